//! Reading whole text inputs (PED, phenopackets, HPO release files, lists) with errors that say
//! where: invalid UTF-8 and damaged compressed streams are reported with the line and byte
//! offset reached, not as a bare "stream did not contain valid UTF-8" (issue 13).

use std::io::{BufRead, BufReader, Read};
use std::path::Path;

/// 1-based line of byte `at` of `bytes` (one more than the line feeds before it).
fn line_at(bytes: &[u8], at: usize) -> usize {
    bytes[..at.min(bytes.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

/// `bytes` as UTF-8 text; the error message names the first bad byte's line and offset:
/// `line 3 (byte 41): not valid UTF-8 text (found byte 0xff; expected a UTF-8 text file)`.
pub fn utf8_text(bytes: Vec<u8>) -> Result<String, String> {
    String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let bytes = e.as_bytes();
        format!(
            "line {} (byte {at}): not valid UTF-8 text (found byte 0x{:02x}; expected a UTF-8 text file)",
            line_at(bytes, at),
            bytes.get(at).copied().unwrap_or(0)
        )
    })
}

/// Largest text [`read_text_file`] reads (after decompression): 1 GiB. The inputs it serves
/// (phenopackets, PED, HPO release files, lists) are at most tens of MB; the bound makes a
/// device such as `/dev/zero`, or a decompression bomb, fail instead of filling memory.
pub const MAX_TEXT_BYTES: u64 = 1 << 30;

/// Reads the whole file as UTF-8 text, decompressing it when it starts with the gzip magic
/// bytes (gzip or bgzip, several members allowed), reading at most [`MAX_TEXT_BYTES`].
/// Errors (`std::io::Error`, message without the path, for the caller to add): the system's
/// error when the file cannot be opened or read; `InvalidData` for text over the bound, with
/// the line and byte of the first invalid UTF-8 sequence ([`utf8_text`]), or for a damaged or
/// truncated compressed stream, the decompressor's message with the line and decompressed
/// byte reached ("line 80 (after 4096 bytes of decompressed text): corrupt deflate stream: the
/// compressed file is truncated or damaged").
pub fn read_text_file(path: &Path) -> std::io::Result<String> {
    read_text_bounded(path, MAX_TEXT_BYTES)
}

/// [`read_text_file`] with the bound `limit` in bytes of (decompressed) text.
fn read_text_bounded(path: &Path, limit: u64) -> std::io::Result<String> {
    let file = std::fs::File::open(path)?;
    let mut reader = BufReader::new(file);
    let gz = reader.fill_buf()?.starts_with(&[0x1f, 0x8b]);
    let mut bytes = Vec::new();
    if gz {
        let decoder = flate2::read::MultiGzDecoder::new(reader);
        if let Err(e) = decoder.take(limit + 1).read_to_end(&mut bytes) {
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                format!(
                    "line {} (after {} bytes of decompressed text): {e}: the compressed file is truncated or damaged",
                    line_at(&bytes, bytes.len()),
                    bytes.len()
                ),
            ));
        }
    } else {
        reader.take(limit + 1).read_to_end(&mut bytes)?;
    }
    if bytes.len() as u64 > limit {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            format!("more than {limit} bytes of text: expected a text file of at most that size (is it a device or the wrong file?)"),
        ));
    }
    utf8_text(bytes).map_err(|m| std::io::Error::new(std::io::ErrorKind::InvalidData, m))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_over_the_bound_is_refused_and_at_the_bound_read() {
        let p = std::env::temp_dir().join(format!("odyssey-text-bound-{}.txt", std::process::id()));
        std::fs::write(&p, "abcdefghij").unwrap();
        assert_eq!(read_text_bounded(&p, 10).unwrap(), "abcdefghij");
        let e = read_text_bounded(&p, 9).unwrap_err().to_string();
        assert!(e.starts_with("more than 9 bytes of text"), "{e}");
        std::fs::remove_file(&p).unwrap();
        // a device: refused after the bound instead of read until memory runs out
        let e = read_text_bounded(Path::new("/dev/zero"), 1 << 20)
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("more than 1048576 bytes"), "{e}");
    }

    #[test]
    fn invalid_utf8_names_line_and_byte() {
        let e = utf8_text(b"ab\ncd\nx\xffy\n".to_vec()).unwrap_err();
        assert_eq!(
            e,
            "line 3 (byte 7): not valid UTF-8 text (found byte 0xff; expected a UTF-8 text file)"
        );
        assert_eq!(utf8_text(b"caf\xc3\xa9\n".to_vec()).unwrap(), "café\n");
    }

    #[test]
    fn a_truncated_gzip_names_the_line_reached() {
        use std::io::Write;
        let text: String = (1..=2000).map(|i| format!("line {i}\n")).collect();
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        e.write_all(text.as_bytes()).unwrap();
        let gz = e.finish().unwrap();
        let dir = std::env::temp_dir().join(format!("odyssey-text-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let p = dir.join("t.txt.gz");
        std::fs::write(&p, &gz).unwrap();
        assert_eq!(read_text_file(&p).unwrap(), text);
        std::fs::write(&p, &gz[..gz.len() / 2]).unwrap();
        let m = read_text_file(&p).unwrap_err().to_string();
        // whatever was decompressed before the cut is counted: some lines, not all
        let line: usize = m
            .strip_prefix("line ")
            .and_then(|r| r.split(' ').next())
            .and_then(|n| n.parse().ok())
            .unwrap_or_else(|| panic!("{m}"));
        assert!((1..2000).contains(&line), "{m}");
        assert!(
            m.ends_with("the compressed file is truncated or damaged"),
            "{m}"
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
