//! Provenance helpers: dates, checksums.

use std::path::Path;

use odyssey_report::InputFile;

/// The current UTC time as RFC 3339 (`2026-11-29T20:13:40Z`), or the time given by the
/// `SOURCE_DATE_EPOCH` environment variable (seconds since 1970) for reproducible outputs.
pub fn now_rfc3339() -> String {
    let secs = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<i64>().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_secs() as i64)
                .unwrap_or(0)
        });
    rfc3339(secs)
}

/// Formats seconds since the Unix epoch as RFC 3339 UTC (proleptic Gregorian calendar;
/// days-to-civil conversion after Howard Hinnant's published algorithm).
pub fn rfc3339(secs: i64) -> String {
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

/// An input record with the xxh3-64 checksum of the file's bytes, read in 1 MiB blocks
/// (None when it is not a regular file, e.g. a pipe that hashing would consume, or cannot
/// be read).
pub fn input_file(role: &str, path: &Path) -> InputFile {
    InputFile {
        role: role.to_string(),
        path: path.display().to_string(),
        checksum: file_checksum(path),
    }
}

/// xxh3-64 (hex) of a regular file's bytes, streamed; the digest equals the one-shot
/// `xxh3_64` of the whole content.
fn file_checksum(path: &Path) -> Option<String> {
    use std::io::Read as _;
    let mut f = std::fs::File::open(path).ok()?;
    if !f.metadata().ok()?.is_file() {
        return None;
    }
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    let mut buf = vec![0u8; 1 << 20];
    loop {
        match f.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => h.update(&buf[..n]),
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(_) => return None,
        }
    }
    Some(format!("{:016x}", h.digest()))
}

#[cfg(test)]
mod tests {
    /// The streamed checksum equals the one-shot xxh3-64 of the bytes, across block
    /// boundaries; a non-regular file gets none.
    #[test]
    fn streamed_checksum_is_the_one_shot_digest() {
        let dir = std::env::temp_dir().join(format!("odyssey-prov-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let p = dir.join("x.bin");
        let bytes: Vec<u8> = (0..(3 << 20) + 17)
            .map(|i: u32| (i * 31 % 251) as u8)
            .collect();
        std::fs::write(&p, &bytes).unwrap();
        let want = format!("{:016x}", xxhash_rust::xxh3::xxh3_64(&bytes));
        assert_eq!(super::input_file("vcf", &p).checksum, Some(want));
        assert_eq!(super::input_file("vcf", &dir).checksum, None);
        assert_eq!(
            super::input_file("vcf", &dir.join("missing")).checksum,
            None
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn known_dates() {
        // 0 is the epoch; 951782400 is 2000-02-29 (leap day), from `date -u -d @951782400`
        assert_eq!(super::rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(super::rfc3339(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(super::rfc3339(1_796_000_000), "2026-11-30T00:53:20Z");
    }
}
