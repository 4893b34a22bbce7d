//! Allocation-free decimal formatting for the hot output paths (HGVS positions, CSQ fields).

/// Appends the decimal digits of `n`.
pub(crate) fn push_u64(out: &mut String, mut n: u64) {
    let mut buf = [0u8; 20];
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.push_str(std::str::from_utf8(&buf[i..]).expect("ascii digits"));
}

/// Appends a signed integer (`-` for negatives).
pub(crate) fn push_i64(out: &mut String, n: i64) {
    if n < 0 {
        out.push('-');
    }
    push_u64(out, n.unsigned_abs());
}

#[cfg(test)]
mod tests {
    #[test]
    fn digits() {
        for n in [0i64, 7, 10, 99, 1234567890, -5, -120, i64::MIN + 1] {
            let mut s = String::new();
            super::push_i64(&mut s, n);
            assert_eq!(s, n.to_string());
        }
    }
}
