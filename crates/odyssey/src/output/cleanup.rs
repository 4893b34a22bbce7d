//! What an interrupted run must not leave behind, and the signal handling that removes it.
//!
//! Output files are written to unnamed temporary files where the system has them (Linux
//! `O_TMPFILE`, see `files.rs`): those vanish with the process, even after `SIGKILL`. Named
//! temporary files (the fallback, and the moment a `--force` set is renamed over the old one)
//! and the folders made for outputs are registered here; [`install_signal_cleanup`] removes them
//! on `SIGINT`, `SIGTERM` and `SIGHUP`, after letting an output set that is being moved into
//! place finish ([`commit_guard`]), so a set is never left half old, half new by a signal.

use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

/// Named temporary files and made folders of this process, in the order registered.
static REGISTERED: Mutex<Vec<Registered>> = Mutex::new(Vec::new());

/// Held while an output set is moved into place; the signal clean-up takes it and never gives
/// it back, so no set starts moving after a signal and none is interrupted midway.
static COMMIT: Mutex<()> = Mutex::new(());

#[derive(PartialEq, Eq)]
enum Registered {
    File(PathBuf),
    Folder(PathBuf),
}

fn registered() -> MutexGuard<'static, Vec<Registered>> {
    REGISTERED.lock().unwrap_or_else(|p| p.into_inner())
}

/// Records a named temporary file, removed if the run is interrupted.
pub(crate) fn register_file(path: &Path) {
    registered().push(Registered::File(path.to_path_buf()));
}

/// Records a folder made for an output, removed (if still empty) if the run is interrupted.
pub(crate) fn register_folder(path: &Path) {
    registered().push(Registered::Folder(path.to_path_buf()));
}

/// Forgets a file or folder registered before (it was moved into place or removed).
pub(crate) fn unregister(path: &Path) {
    registered().retain(|r| match r {
        Registered::File(p) | Registered::Folder(p) => p != path,
    });
}

/// Taken while an output set is moved into place (see the module documentation).
pub(crate) fn commit_guard() -> MutexGuard<'static, ()> {
    COMMIT.lock().unwrap_or_else(|p| p.into_inner())
}

/// Removes every registered file, then every registered folder that is empty (last made
/// first). Returns how many entries were removed.
fn remove_registered() -> usize {
    let entries = std::mem::take(&mut *registered());
    remove_entries(&entries)
}

/// Removes the files of `entries`, then its folders that are empty (last first).
fn remove_entries(entries: &[Registered]) -> usize {
    let mut removed = 0;
    for r in entries {
        if let Registered::File(p) = r {
            removed += usize::from(std::fs::remove_file(p).is_ok());
        }
    }
    for r in entries.iter().rev() {
        if let Registered::Folder(p) = r {
            removed += usize::from(std::fs::remove_dir(p).is_ok());
        }
    }
    removed
}

/// Test hook: with `ODYSSEY_TEST_PAUSE=POINT:MILLISECONDS` in the environment, the run prints
/// `odyssey-test-pause: POINT` to standard error and sleeps at that point, so a test can send
/// a signal at a known moment. Points: `staged` (every file of a set written to its temporary
/// file, nothing moved yet) and `commit` (inside the move, after the first file of the set is
/// in place; printed and slept by the process making the moves). Returns the milliseconds
/// asked for at `point`, if any.
pub(crate) fn pause_ms(point: &str) -> Option<u64> {
    let v = std::env::var("ODYSSEY_TEST_PAUSE").ok()?;
    let (p, ms) = v.split_once(':')?;
    (p == point)
        .then(|| ms.parse::<u64>().ok())
        .flatten()
        .map(|ms| ms.min(60_000))
}

/// The notice printed at a test pause point (see [`pause_ms`]).
pub(crate) fn pause_notice(point: &str) -> String {
    format!("odyssey-test-pause: {point}\n")
}

/// Pauses at `point` when the test hook asks for it (see [`pause_ms`]).
pub(crate) fn test_pause(point: &str) {
    if let Some(ms) = pause_ms(point) {
        eprint!("{}", pause_notice(point));
        std::thread::sleep(std::time::Duration::from_millis(ms));
    }
}

/// Installs the clean-up on `SIGINT`, `SIGTERM` and `SIGHUP` for this process (call once, from
/// a command-line front end that writes files; not from a server with its own shutdown). On
/// such a signal, a thread waits for any output set being moved into place, removes the
/// registered temporary files and folders, then ends the process by the same signal (default
/// action), so the exit status still says how the run ended. `SIGKILL` cannot be caught: only
/// unnamed temporary files help there.
///
/// Errors: the pipe or the handlers cannot be set up (the run then goes on without them).
#[cfg(unix)]
pub fn install_signal_cleanup() -> std::io::Result<()> {
    use std::io::Read;
    use std::os::fd::FromRawFd;

    let mut fds = [0 as libc::c_int; 2];
    // SAFETY: `fds` has room for the two descriptors pipe2 writes.
    if unsafe { libc::pipe2(fds.as_mut_ptr(), libc::O_CLOEXEC) } != 0 {
        return Err(std::io::Error::last_os_error());
    }
    let (read_end, write_end) = (fds[0], fds[1]);
    for sig in [libc::SIGINT, libc::SIGTERM, libc::SIGHUP] {
        let byte = sig as u8;
        // SAFETY: the action only calls write(2) on a descriptor that stays open for the life
        // of the process, which is async-signal-safe.
        unsafe {
            signal_hook_registry::register(sig, move || {
                libc::write(write_end, (&byte as *const u8).cast(), 1);
            })
        }?;
    }
    // SAFETY: `read_end` was just made by pipe2 and is owned by nothing else.
    let mut pipe = unsafe { std::fs::File::from_raw_fd(read_end) };
    std::thread::Builder::new()
        .name("odyssey-signals".into())
        .spawn(move || {
            let mut b = [0u8; 1];
            if pipe.read_exact(&mut b).is_ok() {
                let sig = libc::c_int::from(b[0]);
                // never released: no output set starts or stops moving from here on
                let guard = commit_guard();
                remove_registered();
                std::mem::forget(guard);
                // SAFETY: restoring the default action and raising the signal ends the process
                // as the signal would have without a handler.
                unsafe {
                    libc::signal(sig, libc::SIG_DFL);
                    libc::raise(sig);
                }
                std::process::exit(128 + sig);
            }
        })?;
    Ok(())
}

/// Signal clean-up is available on Unix only; elsewhere this does nothing.
#[cfg(not(unix))]
pub fn install_signal_cleanup() -> std::io::Result<()> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn is_registered(r: &Registered) -> bool {
        registered().contains(r)
    }

    #[test]
    fn registered_files_and_empty_folders_are_removed() {
        let dir = std::env::temp_dir().join(format!("odyssey-cleanup-{}", std::process::id()));
        let sub = dir.join("made");
        std::fs::create_dir_all(&sub).unwrap();
        let tmp = sub.join(".x.tmp");
        std::fs::write(&tmp, b"x").unwrap();
        let kept = dir.join("kept");
        std::fs::write(&kept, b"x").unwrap();
        let full = dir.join("full");
        std::fs::create_dir_all(&full).unwrap();
        std::fs::write(full.join("result.json"), b"x").unwrap();
        // the registry (other tests of this process use it at the same time: only ours are checked)
        register_file(&tmp);
        assert!(is_registered(&Registered::File(tmp.clone())));
        unregister(&tmp);
        assert!(!is_registered(&Registered::File(tmp.clone())));
        // removal: files first, then folders that are empty; a folder with a result stays
        let entries = [
            Registered::Folder(full.clone()),
            Registered::Folder(sub.clone()),
            Registered::File(tmp.clone()),
        ];
        assert_eq!(remove_entries(&entries), 2);
        assert!(!tmp.exists() && !sub.exists());
        assert!(kept.exists() && full.join("result.json").exists());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
