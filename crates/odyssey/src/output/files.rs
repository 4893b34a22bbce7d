//! Safe file writing: never over an existing file unless `force`, never over an input, and
//! always through a temporary file renamed into place, so an interrupted run leaves no
//! half-written output. [`Staged`] groups files written all or nothing.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use crate::error::{Error, Result};

/// Temporary files of this process are told apart by this counter (with the process id), so
/// threads writing the same output name at once (batch mode) never share a temporary file.
static TMP_COUNTER: AtomicU64 = AtomicU64::new(0);

/// An I/O error for people: `permission denied`, `read-only file system`, ... (the OS message,
/// lower-cased, without its `(os error N)` suffix).
fn reason(e: &std::io::Error) -> String {
    use std::io::ErrorKind as K;
    match e.kind() {
        K::PermissionDenied => "permission denied".into(),
        K::ReadOnlyFilesystem => "read-only file system".into(),
        K::StorageFull => "no space left on device".into(),
        K::QuotaExceeded => "disk quota exceeded".into(),
        _ => {
            let s = e.to_string();
            let s = s
                .find(" (os error")
                .map_or(s.as_str(), |i| &s[..i])
                .to_string();
            let mut c = s.chars();
            c.next()
                .map(|f| f.to_lowercase().chain(c).collect())
                .unwrap_or(s)
        }
    }
}

/// The folder a file goes into (`.` for a bare name).
pub(crate) fn parent_dir(path: &Path) -> PathBuf {
    path.parent()
        .filter(|p| !p.as_os_str().is_empty())
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf)
}

/// Checks that `path` can be created: it names a file, its nearest existing ancestor is a
/// folder, and it is not itself a folder. Returns whether the file exists; an existing file that is not a regular one (a
/// symbolic link, a device node, a pipe) is an error. Errors name `path` and say what is wrong.
pub fn target_exists(path: &Path) -> Result<bool> {
    let shown = path.display();
    if path.file_name().is_none() {
        return Err(Error::Output(format!(
            "cannot write {shown}: not a file name"
        )));
    }
    for a in parent_dir(path)
        .ancestors()
        .take_while(|a| !a.as_os_str().is_empty())
    {
        match std::fs::metadata(a) {
            Ok(m) if m.is_dir() => break,
            Ok(_) => {
                return Err(Error::Output(format!(
                    "cannot write {shown}: parent {} is not a directory",
                    a.display()
                )))
            }
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::NotFound | std::io::ErrorKind::NotADirectory
                ) =>
            {
                continue
            }
            Err(e) => {
                return Err(Error::Output(format!(
                    "cannot write {shown}: cannot reach {}: {}",
                    a.display(),
                    reason(&e)
                )))
            }
        }
    }
    match std::fs::symlink_metadata(path) {
        Ok(_) if path.is_dir() => Err(Error::Output(format!(
            "cannot write {shown}: it is a directory"
        ))),
        Ok(m) => match special_kind(&m) {
            None => Ok(true),
            Some(kind) => Err(Error::Output(format!(
                "cannot write {shown}: it is {kind}, not a regular file (Odyssey replaces only regular files, even with --force)"
            ))),
        },
        Err(e)
            if matches!(
                e.kind(),
                std::io::ErrorKind::NotFound | std::io::ErrorKind::NotADirectory
            ) =>
        {
            Ok(false)
        }
        Err(e) => Err(Error::Output(format!(
            "cannot write {shown}: {}",
            reason(&e)
        ))),
    }
}

/// What a non-regular file is (`a symbolic link`, `a device node`, ...), `None` for a regular
/// file: outputs replace only regular files (issue 13: `-o /dev/null --force` run as root
/// replaced `/dev/null`).
fn special_kind(m: &std::fs::Metadata) -> Option<&'static str> {
    let t = m.file_type();
    if t.is_file() {
        return None;
    }
    if t.is_symlink() {
        return Some("a symbolic link");
    }
    if t.is_dir() {
        return Some("a directory");
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_char_device() || t.is_block_device() {
            return Some("a device node");
        }
        if t.is_fifo() {
            return Some("a named pipe");
        }
        if t.is_socket() {
            return Some("a socket");
        }
    }
    Some("a special file")
}

/// Checks, before any work, that `path` can be written: see [`target_exists`]; an existing file
/// is refused unless `force`.
pub fn check_target(path: &Path, force: bool) -> Result<()> {
    if target_exists(path)? && !force {
        return Err(Error::Exists {
            paths: vec![path.to_path_buf()],
        });
    }
    Ok(())
}

/// True when `a` and `b` are the same file (same device and inode: `./x`, symbolic and hard
/// links count).
fn same_file(a: &std::fs::Metadata, b: &std::fs::Metadata) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        a.dev() == b.dev() && a.ino() == b.ino()
    }
    #[cfg(not(unix))]
    {
        let _ = (a, b);
        false
    }
}

/// Refuses an output that is one of the inputs, even with `--force` (the run would replace
/// what it reads). Inputs named `-` (standard input) and missing files are skipped.
pub fn check_not_input<'a>(
    output: &Path,
    inputs: impl IntoIterator<Item = &'a Path>,
) -> Result<()> {
    if output.as_os_str() == "-" {
        return Ok(());
    }
    let Ok(out) = std::fs::metadata(output) else {
        return Ok(());
    };
    for input in inputs {
        if input.as_os_str() == "-" {
            continue;
        }
        let same = match std::fs::metadata(input) {
            Ok(m) => {
                same_file(&out, &m)
                    || matches!((output.canonicalize(), input.canonicalize()), (Ok(a), Ok(b)) if a == b)
            }
            Err(_) => false,
        };
        if same {
            return Err(Error::Output(format!(
                "the output {} is the input {}: write the output to another file",
                output.display(),
                input.display()
            )));
        }
    }
    Ok(())
}

/// One output file being written: an empty temporary file created beside the target (same
/// folder, so the final rename is atomic), named `.NAME.tmpPID-N`. [`PendingFile::commit`]
/// moves it into place; dropping it uncommitted removes it and the folders made for it.
struct PendingFile {
    target: PathBuf,
    tmp: PathBuf,
    force: bool,
    /// Folders created for this file, deepest first.
    created_dirs: Vec<PathBuf>,
    /// Moved into place (the temporary file is gone).
    committed: bool,
}

fn remove_dirs(dirs: &[PathBuf]) {
    for d in dirs {
        // only empty folders go: another file of the run may have been written there
        if std::fs::remove_dir(d).is_err() {
            break;
        }
    }
}

impl PendingFile {
    fn create(target: &Path, force: bool) -> Result<(PendingFile, File)> {
        check_target(target, force)?;
        let shown = target.display();
        let dir = parent_dir(target);
        let mut created_dirs = Vec::new();
        if !dir.is_dir() {
            created_dirs = dir
                .ancestors()
                .take_while(|a| !a.as_os_str().is_empty() && !a.exists())
                .map(Path::to_path_buf)
                .collect();
            if let Err(e) = std::fs::create_dir_all(&dir) {
                remove_dirs(&created_dirs);
                return Err(Error::Output(format!(
                    "cannot write {shown}: cannot create the folder {}: {}",
                    dir.display(),
                    reason(&e)
                )));
            }
        }
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let n = TMP_COUNTER.fetch_add(1, Ordering::Relaxed);
        let tmp = dir.join(format!(".{name}.tmp{}-{n}", std::process::id()));
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&tmp)
        {
            Ok(f) => Ok((
                PendingFile {
                    target: target.to_path_buf(),
                    tmp,
                    force,
                    created_dirs,
                    committed: false,
                },
                f,
            )),
            Err(e) => {
                remove_dirs(&created_dirs);
                let why = match e.kind() {
                    // e.g. /proc: the folder exists but its file system takes no new files
                    std::io::ErrorKind::NotFound if dir.is_dir() => {
                        "its file system does not accept new files".to_string()
                    }
                    _ => reason(&e),
                };
                Err(Error::Output(format!(
                    "cannot write {shown}: cannot write in {}: {why}",
                    dir.display()
                )))
            }
        }
    }

    /// Moves the finished temporary file into place: over an existing file only with `force`
    /// (without it, a hard link that fails if the target appeared meanwhile, so a concurrent
    /// writer is never overwritten). Returns true when the target did not exist before.
    fn commit(&mut self) -> Result<bool> {
        let shown = self.target.display();
        // the data reaches the disk before the name points at it
        File::open(&self.tmp)
            .and_then(|f| f.sync_all())
            .map_err(|e| Error::Output(format!("cannot write {shown}: {}", reason(&e))))?;
        let before = std::fs::symlink_metadata(&self.target).ok();
        if let Some(kind) = before.as_ref().and_then(special_kind) {
            return Err(Error::Output(format!(
                "cannot write {shown}: it is {kind}, not a regular file (Odyssey replaces only regular files, even with --force)"
            )));
        }
        let existed = before.is_some();
        if existed && !self.force {
            return Err(Error::Exists {
                paths: vec![self.target.clone()],
            });
        }
        let moved = if self.force {
            std::fs::rename(&self.tmp, &self.target)
        } else {
            match std::fs::hard_link(&self.tmp, &self.target) {
                Ok(()) => {
                    let _ = std::fs::remove_file(&self.tmp);
                    Ok(())
                }
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                    return Err(Error::Exists {
                        paths: vec![self.target.clone()],
                    })
                }
                // a file system without hard links: checked above, then renamed
                Err(_) => std::fs::rename(&self.tmp, &self.target),
            }
        };
        moved.map_err(|e| {
            Error::Output(format!(
                "cannot write {shown}: moving the finished file into place: {}",
                reason(&e)
            ))
        })?;
        self.committed = true;
        Ok(!existed)
    }
}

impl Drop for PendingFile {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_file(&self.tmp);
            remove_dirs(&self.created_dirs);
        }
    }
}

/// Files written together, all or nothing: each is written to its temporary file first
/// ([`Staged::add`]); [`Staged::commit`] then moves them all into place. Dropping a `Staged`
/// before the commit (an error while rendering) removes every temporary file and the folders
/// made for them, so nothing is written.
#[derive(Default)]
pub struct Staged {
    files: Vec<PendingFile>,
}

impl Staged {
    /// Checks `target` ([`check_target`]), creates its folder if needed and a temporary file
    /// beside it, and returns that file (to fill) and its path (for writers that open the path
    /// themselves). Errors name `target`.
    pub fn add(&mut self, target: &Path, force: bool) -> Result<(File, PathBuf)> {
        let (p, f) = PendingFile::create(target, force)?;
        let tmp = p.tmp.clone();
        self.files.push(p);
        Ok((f, tmp))
    }

    /// Moves every file into place, in the order added. If one fails, the files this call
    /// created are removed again (files replaced with `--force` cannot be restored) and the
    /// remaining temporary files are removed.
    pub fn commit(mut self) -> Result<()> {
        let mut new = Vec::new();
        for i in 0..self.files.len() {
            match self.files[i].commit() {
                Ok(was_new) => new.push((i, was_new)),
                Err(e) => {
                    for &(j, was_new) in new.iter().rev() {
                        if was_new {
                            let _ = std::fs::remove_file(&self.files[j].target);
                            remove_dirs(&self.files[j].created_dirs);
                        }
                    }
                    return Err(e);
                }
            }
        }
        Ok(())
    }
}

impl Drop for Staged {
    fn drop(&mut self) {
        // last first, so a folder made for the first file is empty when its turn comes
        while let Some(p) = self.files.pop() {
            drop(p);
        }
    }
}

/// Writes `path` through a temporary file in the same folder (`.NAME.tmpPID-N`, unique per
/// call) renamed into place once complete; on error the temporary file is removed. Refuses to
/// replace an existing file unless `force`. Errors name `path`: "parent x is not a directory",
/// "cannot write in /dir: permission denied", "x exists; pass --force".
pub fn write_file(
    path: &Path,
    force: bool,
    fill: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<()> {
    let mut staged = Staged::default();
    let (f, _) = staged.add(path, force)?;
    let mut w = BufWriter::new(f);
    let written = fill(&mut w).and_then(|()| w.into_inner().map(drop).map_err(|e| e.into_error()));
    written.map_err(|source| Error::Write {
        path: path.to_path_buf(),
        source,
    })?;
    staged.commit()
}
