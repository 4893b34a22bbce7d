//! Safe file writing: never over an existing file unless `force`, never over an input, and
//! always through a temporary file moved into place, so an interrupted run leaves no
//! half-written output and (on Linux, where the temporary files are unnamed) no temporary
//! file. [`Staged`] groups files written all or nothing.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use super::cleanup;
use super::mover::{self, c_path, Op};
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

/// One output file being written: a temporary file in the target's folder (same file system,
/// so moving it into place is one link or rename). On Linux it is unnamed (`O_TMPFILE`): it
/// has no name until [`Staged::commit`] links it in, so even a killed run leaves nothing.
/// Where that is not available (another system, a file system without `O_TMPFILE`, no
/// `/proc`), it is `.NAME.tmpPID-N`, registered for removal on SIGINT/SIGTERM
/// ([`super::cleanup`]). Dropping it uncommitted removes it and the folders made for it.
struct PendingFile {
    target: PathBuf,
    /// The temporary file, kept open: an unnamed file lives only while a descriptor does.
    file: File,
    /// The temporary file's name; `None` while it is unnamed.
    named: Option<PathBuf>,
    force: bool,
    /// Folders created for this file, deepest first.
    created_dirs: Vec<PathBuf>,
    /// Moved into place (the temporary file is gone).
    committed: bool,
}

fn remove_dirs(dirs: &[PathBuf]) {
    for d in dirs {
        cleanup::unregister(d);
    }
    for d in dirs {
        // only empty folders go: another file of the run may have been written there
        if std::fs::remove_dir(d).is_err() {
            break;
        }
    }
}

/// `.NAME.tmpPID-N` beside `target` (unique per process and call).
fn temp_name(dir: &Path, target: &Path) -> PathBuf {
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let n = TMP_COUNTER.fetch_add(1, Ordering::Relaxed);
    dir.join(format!(".{name}.tmp{}-{n}", std::process::id()))
}

/// An unnamed temporary file in `dir` (Linux `O_TMPFILE`, mode 0666 less the umask, like a
/// created file). `None` when not available: another system, a file system or kernel without
/// it, no `/proc` to link it through, or `ODYSSEY_TEST_NAMED_TEMPS` set (a test hook forcing
/// the named fallback).
#[cfg(target_os = "linux")]
fn unnamed_temp(dir: &Path) -> Option<File> {
    use std::os::unix::fs::OpenOptionsExt;
    if std::env::var_os("ODYSSEY_TEST_NAMED_TEMPS").is_some()
        || !Path::new("/proc/self/fd").is_dir()
    {
        return None;
    }
    std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .mode(0o666)
        .custom_flags(libc::O_TMPFILE)
        .open(dir)
        .ok()
}

#[cfg(not(target_os = "linux"))]
fn unnamed_temp(_dir: &Path) -> Option<File> {
    None
}

/// `/proc/self/fd/N` of an open file: a path to it that works while it is open, named or not.
#[cfg(target_os = "linux")]
fn fd_path(file: &File) -> PathBuf {
    use std::os::fd::AsRawFd;
    PathBuf::from(format!("/proc/self/fd/{}", file.as_raw_fd()))
}

#[cfg(not(target_os = "linux"))]
fn fd_path(_file: &File) -> PathBuf {
    PathBuf::new()
}

/// Creates the folder of `target` if needed; returns the folders made, deepest first
/// (registered for removal if the run is interrupted).
fn make_folder(target: &Path, dir: &Path) -> Result<Vec<PathBuf>> {
    if dir.is_dir() {
        return Ok(Vec::new());
    }
    let created_dirs: Vec<PathBuf> = dir
        .ancestors()
        .take_while(|a| !a.as_os_str().is_empty() && !a.exists())
        .map(Path::to_path_buf)
        .collect();
    for d in created_dirs.iter().rev() {
        cleanup::register_folder(d);
    }
    if let Err(e) = std::fs::create_dir_all(dir) {
        remove_dirs(&created_dirs);
        return Err(Error::Output(format!(
            "cannot write {}: cannot create the folder {}: {}",
            target.display(),
            dir.display(),
            reason(&e)
        )));
    }
    Ok(created_dirs)
}

impl PendingFile {
    fn create(target: &Path, force: bool) -> Result<PendingFile> {
        check_target(target, force)?;
        let dir = parent_dir(target);
        let created_dirs = make_folder(target, &dir)?;
        let pending = |file, named| PendingFile {
            target: target.to_path_buf(),
            file,
            named,
            force,
            created_dirs: created_dirs.clone(),
            committed: false,
        };
        if let Some(f) = unnamed_temp(&dir) {
            return Ok(pending(f, None));
        }
        let tmp = temp_name(&dir, target);
        match std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create_new(true)
            .open(&tmp)
        {
            Ok(f) => {
                cleanup::register_file(&tmp);
                Ok(pending(f, Some(tmp)))
            }
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
                    "cannot write {}: cannot write in {}: {why}",
                    target.display(),
                    dir.display()
                )))
            }
        }
    }

    /// A path to the temporary file for writers that open it themselves.
    fn path(&self) -> PathBuf {
        self.named.clone().unwrap_or_else(|| fd_path(&self.file))
    }

    fn error(&self, what: &str, e: &std::io::Error) -> Error {
        Error::Output(format!(
            "cannot write {}: {what}{}",
            self.target.display(),
            reason(e)
        ))
    }

    /// Checks, just before the move, that the target may still be replaced: only a regular
    /// file, and only with `force`. Returns whether it exists.
    fn check_replaceable(&self) -> Result<bool> {
        let before = std::fs::symlink_metadata(&self.target).ok();
        if let Some(kind) = before.as_ref().and_then(special_kind) {
            return Err(Error::Output(format!(
                "cannot write {}: it is {kind}, not a regular file (Odyssey replaces only regular files, even with --force)",
                self.target.display()
            )));
        }
        if before.is_some() && !self.force {
            return Err(Error::Exists {
                paths: vec![self.target.clone()],
            });
        }
        Ok(before.is_some())
    }

    /// The step that moves this file into place (see [`Staged::commit`]): a link for a new
    /// file (which fails if the target appeared meanwhile, so a concurrent writer is never
    /// overwritten), a rename over an existing one with `force`. An unnamed file replacing
    /// another is first linked to a name beside it (a rename needs a name).
    fn moves(&mut self, ops: &mut Vec<Op>) -> std::io::Result<()> {
        let to = c_path(&self.target)?;
        match (&self.named, self.force) {
            (None, false) => ops.push(Op::Link {
                from: c_path(&fd_path(&self.file))?,
                to,
            }),
            (None, true) => {
                let tmp = temp_name(&parent_dir(&self.target), &self.target);
                cleanup::register_file(&tmp);
                ops.push(Op::Link {
                    from: c_path(&fd_path(&self.file))?,
                    to: c_path(&tmp)?,
                });
                ops.push(Op::Rename {
                    from: c_path(&tmp)?,
                    to,
                });
                self.named = Some(tmp);
            }
            (Some(tmp), true) => ops.push(Op::Rename {
                from: c_path(tmp)?,
                to,
            }),
            (Some(tmp), false) => ops.push(Op::LinkThenRemove {
                from: c_path(tmp)?,
                to,
            }),
        }
        Ok(())
    }

    /// Marks the file moved into place: nothing of it is removed when dropped.
    fn mark_committed(&mut self) {
        if let Some(tmp) = &self.named {
            cleanup::unregister(tmp);
        }
        for d in &self.created_dirs {
            cleanup::unregister(d);
        }
        self.committed = true;
    }
}

impl Drop for PendingFile {
    fn drop(&mut self) {
        if !self.committed {
            if let Some(tmp) = &self.named {
                let _ = std::fs::remove_file(tmp);
                cleanup::unregister(tmp);
            }
            remove_dirs(&self.created_dirs);
        }
    }
}

/// Files written together, all or nothing: each is written to its temporary file first
/// ([`Staged::add`]); [`Staged::commit`] then moves them all into place. Dropping a `Staged`
/// before the commit (an error while rendering) removes every temporary file and the folders
/// made for them, so nothing is written.
///
/// Interruptions: unnamed temporary files (Linux) leave nothing even after `SIGKILL`; on
/// `SIGINT`/`SIGTERM`/`SIGHUP` (with [`super::install_signal_cleanup`]) a set being moved
/// into place is finished first, then named temporary files are removed, so a set is complete
/// new or untouched. Only a `SIGKILL` during the move itself (a few link/rename calls after
/// every file is written and synced) can leave a set part old, part new.
#[derive(Default)]
pub struct Staged {
    files: Vec<PendingFile>,
    /// Files of an older set that this set does not have, removed when it is moved into place.
    removals: Vec<PathBuf>,
}

impl Staged {
    /// Checks `target` ([`check_target`]), creates its folder if needed and a temporary file
    /// beside it, and returns that file (to fill) and a path to it (for writers that open the
    /// path themselves: on Linux `/proc/self/fd/N`, valid until the commit). Errors name
    /// `target`.
    pub fn add(&mut self, target: &Path, force: bool) -> Result<(File, PathBuf)> {
        let p = PendingFile::create(target, force)?;
        let f = p.file.try_clone().map_err(|e| p.error("", &e))?;
        let path = p.path();
        self.files.push(p);
        Ok((f, path))
    }

    /// Removes `path`, if it is a regular file, when the set is moved into place: a member of
    /// an older set under the same names that this set does not make (replaced with `--force`,
    /// the set must not stay part old, part new).
    pub fn remove_on_commit(&mut self, path: &Path) {
        self.removals.push(path.to_path_buf());
    }

    /// Moves every file into place, in the order added, after syncing them all to disk, then
    /// removes the [`Staged::remove_on_commit`] files. Every target is checked again just
    /// before (only regular files are replaced, and only with `force`); the moves are made by
    /// a process that a kill of this one does not stop (see `mover.rs`). If a move fails, the
    /// files this call created are removed again and the remaining temporary files are
    /// removed; the error names the file.
    pub fn commit(mut self) -> Result<()> {
        for p in &self.files {
            // the data reaches the disk before a name points at it
            p.file.sync_all().map_err(|e| p.error("", &e))?;
        }
        cleanup::test_pause("staged");
        let _guard = cleanup::commit_guard();
        let existed = self
            .files
            .iter()
            .map(PendingFile::check_replaceable)
            .collect::<Result<Vec<bool>>>()?;
        let mut ops = Vec::new();
        // index of the step that puts each file in place
        let mut placed_at = Vec::new();
        for p in &mut self.files {
            p.moves(&mut ops)
                .map_err(|e| p.error("moving the finished file into place: ", &e))?;
            placed_at.push(ops.len() - 1);
        }
        let mut removed = Vec::new();
        for r in &self.removals {
            if std::fs::symlink_metadata(r).is_ok_and(|m| m.is_file()) {
                let path = c_path(r).map_err(|e| {
                    Error::Output(format!("cannot remove {}: {}", r.display(), reason(&e)))
                })?;
                ops.push(Op::Remove(path));
                removed.push(r);
            }
        }
        let notice = cleanup::pause_notice("commit");
        let pause = cleanup::pause_ms("commit").map(|ms| (placed_at[0], notice.as_bytes(), ms));
        let Err(failed) = mover::run(&ops, pause) else {
            self.files.iter_mut().for_each(PendingFile::mark_committed);
            return Ok(());
        };
        for (i, p) in self.files.iter().enumerate() {
            if placed_at[i] < failed.op && !existed[i] {
                let _ = std::fs::remove_file(&p.target);
                remove_dirs(&p.created_dirs);
            }
        }
        let Some(i) = placed_at.iter().position(|&at| at >= failed.op) else {
            // every file is in place; an older set's member could not be removed
            let stale = removed[failed.op - ops.len() + removed.len()];
            return Err(Error::Output(format!(
                "cannot remove {}, a file of an older output set (the new set is written): {}",
                stale.display(),
                reason(&failed.error)
            )));
        };
        let p = &self.files[i];
        Err(match failed.error.kind() {
            std::io::ErrorKind::AlreadyExists => Error::Exists {
                paths: vec![p.target.clone()],
            },
            _ => p.error("moving the finished file into place: ", &failed.error),
        })
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

/// Writes `path` through a temporary file in the same folder (unnamed on Linux, else
/// `.NAME.tmpPID-N`; see [`Staged`]) moved into place once complete; on error the temporary
/// file is removed. Refuses to replace an existing file unless `force`. Errors name `path`:
/// "parent x is not a directory", "cannot write in /dir: permission denied", "x exists; pass
/// --force".
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
