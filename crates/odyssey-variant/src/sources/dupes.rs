//! Refuses sources TOML files in which two `[[source]]` entries (or one entry twice) name the
//! same file: each entry loads or maps its files, so a thousand entries naming one file would
//! take a thousand times the memory (issue 13), and the same data counted twice is a mistake.

use std::path::{Path, PathBuf};

use super::config::ResolvedSource;
use crate::error::{Error, Result};

/// The identity of a file: its canonical path when it exists, else the path as written
/// (joined to the TOML file's folder).
fn identity(p: &Path) -> PathBuf {
    std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf())
}

/// Errors when `new` (entry number `new_no`, 1-based) names a file that an earlier entry of
/// `earlier` or `new` itself already names; the message names both entries and the file.
pub(crate) fn check_duplicate_files(
    earlier: &[ResolvedSource],
    new: &ResolvedSource,
    new_no: usize,
    ctx: &str,
) -> Result<()> {
    for (k, p) in new.paths.iter().enumerate() {
        let id = identity(p);
        if new.paths[..k].iter().any(|q| identity(q) == id) {
            return Err(Error::config(
                ctx,
                format!(
                    "[[source]] #{new_no} ({:?}) lists the file {} twice",
                    new.name,
                    p.display()
                ),
            ));
        }
        for (j, s) in earlier.iter().enumerate() {
            if s.paths.iter().any(|q| identity(q) == id) {
                return Err(Error::config(
                    ctx,
                    format!(
                        "[[source]] #{} ({:?}) and [[source]] #{new_no} ({:?}) both name the file {}: define each file once",
                        j + 1,
                        s.name,
                        new.name,
                        p.display()
                    ),
                ));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::config::parse_sources_toml;
    use std::path::Path;

    #[test]
    fn two_entries_naming_one_file_are_refused_naming_both() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.vcf"), "").unwrap();
        std::fs::create_dir(dir.path().join("sub")).unwrap();
        let toml = dir.path().join("s.toml");
        // the second entry reaches the same file through another spelling
        let text = "[[source]]\nname = \"one\"\nrole = \"frequency\"\npath = \"a.vcf\"\n\
                    [[source]]\nname = \"two\"\nrole = \"frequency\"\npath = \"sub/../a.vcf\"\n";
        let e = parse_sources_toml(text, &toml).unwrap_err().to_string();
        assert!(
            e.contains("[[source]] #1 (\"one\") and [[source]] #2 (\"two\") both name the file")
                && e.contains("a.vcf"),
            "{e}"
        );
        let text = "[[source]]\nname = \"one\"\nrole = \"frequency\"\npaths = [\"a.vcf\", \"b.vcf\", \"a.vcf\"]\n";
        let e = parse_sources_toml(text, &toml).unwrap_err().to_string();
        assert!(e.contains("[[source]] #1 (\"one\") lists the file"), "{e}");
        // distinct files are fine
        let text = "[[source]]\nname = \"one\"\nrole = \"frequency\"\npath = \"a.vcf\"\n\
                    [[source]]\nname = \"two\"\nrole = \"frequency\"\npath = \"b.vcf\"\n";
        assert_eq!(
            parse_sources_toml(text, Path::new(&toml)).unwrap().1.len(),
            2
        );
    }
}
