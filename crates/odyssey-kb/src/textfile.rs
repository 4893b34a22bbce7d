//! Reading plain or gzip-compressed text files (HPO publishes plain files; mirrors often gzip them).

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// Reads the whole file as UTF-8 text, decompressing it when it starts with the gzip magic
/// bytes; invalid UTF-8 and damaged compressed streams are reported with the line and byte
/// ([`odyssey_genome::text::read_text_file`]).
pub(crate) fn read_text(path: &Path) -> Result<String> {
    odyssey_genome::text::read_text_file(path).map_err(|source| Error::Io {
        path: path.to_path_buf(),
        source,
    })
}

/// Finds `name` or `name.gz` in `dir`. When both are there, their (decompressed) texts must
/// be the same (then the plain file is used): two different releases side by side would make
/// the choice silent (issue 13).
pub(crate) fn find_in(dir: &Path, name: &str) -> Result<PathBuf> {
    let plain = dir.join(name);
    let gz = dir.join(format!("{name}.gz"));
    if plain.is_file() {
        if gz.is_file() && read_text(&plain)? != read_text(&gz)? {
            return Err(Error::Invalid {
                path: dir.to_path_buf(),
                message: format!(
                    "both {name} and {name}.gz are in this HPO release folder and their contents differ: remove the one that is not the release to use"
                ),
            });
        }
        return Ok(plain);
    }
    if gz.is_file() {
        return Ok(gz);
    }
    Err(Error::Invalid {
        path: dir.to_path_buf(),
        message: format!("no {name} (or {name}.gz) in this HPO release folder"),
    })
}
