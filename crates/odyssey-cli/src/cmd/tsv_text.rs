//! Text made safe for one TSV field or header line: control characters (C0, U+0000-U+001F, and
//! DEL, U+007F) are written as `\n`, `\t`, `\r` or `\xHH`, so that a case id or file name
//! holding a newline or tab cannot add rows or columns (issue 13; docs/tsv-output.md).

use std::borrow::Cow;

/// `s` with every control character escaped (see the module docs); borrowed when clean.
pub(crate) fn field(s: &str) -> Cow<'_, str> {
    if !s.chars().any(|c| c.is_ascii_control()) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_ascii_control() => out.push_str(&format!("\\x{:02X}", c as u32)),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::field;

    #[test]
    fn controls_are_escaped() {
        assert_eq!(
            field("case\n1\tx\ry\u{0}z\u{7f}"),
            "case\\n1\\tx\\ry\\x00z\\x7F"
        );
        assert_eq!(field("plain é"), "plain é");
    }
}
