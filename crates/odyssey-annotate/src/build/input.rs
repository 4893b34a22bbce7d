//! Opening possibly gzip/bgzip-compressed text inputs, with a bound on the line length.

use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;

use crate::error::Error;

/// Longest text line accepted from GFF3/GTF/VCF inputs (64 MiB): a bound on memory for inputs
/// such as `/dev/zero` or a binary file, which have no line ends (issue 13).
pub const MAX_LINE_BYTES: u64 = 64 << 20;

/// A buffered reader over a plain, gzip or bgzip file (detected from the magic bytes) whose
/// lines may not exceed [`MAX_LINE_BYTES`] (reading a longer one fails with
/// `InvalidData`, which parsers report with the file and line).
pub(crate) fn open_text(path: &Path) -> Result<Box<dyn BufRead>, Error> {
    let mut f = File::open(path).map_err(|e| Error::io(path, e))?;
    let mut magic = [0u8; 2];
    let n = f.read(&mut magic).map_err(|e| Error::io(path, e))?;
    let f = File::open(path).map_err(|e| Error::io(path, e))?;
    if n == 2 && magic == [0x1f, 0x8b] {
        Ok(Box::new(LineLimit::new(
            BufReader::with_capacity(1 << 20, flate2::read::MultiGzDecoder::new(f)),
            MAX_LINE_BYTES,
        )))
    } else {
        Ok(Box::new(LineLimit::new(
            BufReader::with_capacity(1 << 20, f),
            MAX_LINE_BYTES,
        )))
    }
}

/// A [`BufRead`] adapter that fails once more than `max` bytes pass without a line feed (checked
/// when the buffer is refilled, so a line may overshoot by at most one buffer).
pub(crate) struct LineLimit<R> {
    inner: R,
    max: u64,
    run: u64,
}

impl<R: BufRead> LineLimit<R> {
    /// Wraps `inner`; lines (excluding the line feed) may hold at most `max` bytes.
    pub(crate) fn new(inner: R, max: u64) -> Self {
        LineLimit { inner, max, run: 0 }
    }
}

impl<R: BufRead> Read for LineLimit<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let avail = self.fill_buf()?;
        let n = avail.len().min(buf.len());
        buf[..n].copy_from_slice(&avail[..n]);
        self.consume(n);
        Ok(n)
    }
}

impl<R: BufRead> BufRead for LineLimit<R> {
    fn fill_buf(&mut self) -> std::io::Result<&[u8]> {
        if self.run > self.max {
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                format!(
                    "a line longer than {} bytes (no line end found: not a text file of this kind?)",
                    self.max
                ),
            ));
        }
        self.inner.fill_buf()
    }

    fn consume(&mut self, amt: usize) {
        if let Ok(buf) = self.inner.fill_buf() {
            let seen = &buf[..amt.min(buf.len())];
            match seen.iter().rposition(|&b| b == b'\n') {
                Some(i) => self.run = (seen.len() - i - 1) as u64,
                None => self.run += seen.len() as u64,
            }
        }
        self.inner.consume(amt);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_lines_fail_short_ones_pass() {
        let text = b"ab\ncdef\ng\n";
        let mut r = LineLimit::new(BufReader::with_capacity(2, &text[..]), 4);
        let lines: Vec<String> = (&mut r).lines().map(|l| l.unwrap()).collect();
        assert_eq!(lines, ["ab", "cdef", "g"]);
        // the bound is checked between buffer fills (here 2 bytes; 1 MiB in files)
        let mut r = LineLimit::new(BufReader::with_capacity(2, &b"ab\ncdefgh\n"[..]), 4);
        let mut s = String::new();
        r.read_line(&mut s).unwrap();
        let e = r.read_line(&mut String::new()).unwrap_err();
        assert!(e.to_string().contains("longer than 4 bytes"), "{e}");
    }
}
