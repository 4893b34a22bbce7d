//! Moving a finished output set into place so that killing the run cannot stop it halfway.
//!
//! The moves are a few `linkat`/`renameat`/`unlinkat` calls. On Unix they are made by a child
//! process forked for the purpose: it leaves the run's session (`setsid`), blocks every
//! catchable signal, makes the moves and exits. A `SIGKILL` of the run while the child works
//! does not stop the child, so the set still ends complete; only killing the child itself
//! (for example a whole control group) can leave a set part old, part new. The child calls
//! nothing but those system calls (no allocation), as required after `fork` in a
//! multi-threaded process. Where `fork` fails, and on other systems, the moves are made in
//! this process.

use std::path::Path;

/// A path as the system calls take it.
#[cfg(unix)]
pub(crate) type OsPath = std::ffi::CString;
/// A path as the system calls take it.
#[cfg(not(unix))]
pub(crate) type OsPath = std::path::PathBuf;

/// One step of moving a set into place. Paths are prepared (`OsPath`) before any step runs.
pub(crate) enum Op {
    /// `linkat(from, to)` following a `/proc/self/fd/N` link; fails if `to` exists.
    Link { from: OsPath, to: OsPath },
    /// A link as [`Op::Link`], then `from` removed; on a file system without hard links
    /// (any failure but "exists") a rename instead.
    LinkThenRemove { from: OsPath, to: OsPath },
    /// `renameat(from, to)`, replacing `to`.
    Rename { from: OsPath, to: OsPath },
    /// `unlinkat(path)`; a missing file is not an error.
    Remove(OsPath),
}

/// A path as a C string. Errors: a NUL byte in the path.
#[cfg(unix)]
pub(crate) fn c_path(p: &Path) -> std::io::Result<OsPath> {
    use std::os::unix::ffi::OsStrExt;
    OsPath::new(p.as_os_str().as_bytes()).map_err(|_| {
        std::io::Error::new(std::io::ErrorKind::InvalidInput, "a NUL byte in the name")
    })
}

/// The path itself (no C strings needed here).
#[cfg(not(unix))]
pub(crate) fn c_path(p: &Path) -> std::io::Result<OsPath> {
    Ok(p.to_path_buf())
}

/// Runs the steps in this process (no `fork` here), stopping at the first failure.
#[cfg(not(unix))]
pub(crate) fn run(ops: &[Op], _pause: Option<(usize, &[u8], u64)>) -> Result<(), Failed> {
    for (i, op) in ops.iter().enumerate() {
        let r = match op {
            Op::Link { from, to } => std::fs::hard_link(from, to),
            Op::LinkThenRemove { from, to } => match std::fs::hard_link(from, to) {
                Ok(()) => std::fs::remove_file(from).or(Ok(())),
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Err(e),
                Err(_) => std::fs::rename(from, to),
            },
            Op::Rename { from, to } => std::fs::rename(from, to),
            Op::Remove(p) => match std::fs::remove_file(p) {
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
                r => r,
            },
        };
        r.map_err(|error| Failed { op: i, error })?;
    }
    Ok(())
}

/// The step that failed and why.
pub(crate) struct Failed {
    /// Index of the step in the list given to [`run`].
    pub op: usize,
    /// The system's error.
    pub error: std::io::Error,
}

#[cfg(unix)]
fn errno() -> libc::c_int {
    std::io::Error::last_os_error()
        .raw_os_error()
        .unwrap_or(libc::EIO)
}

/// Runs one step; `Err(errno)` on failure. Only system calls: safe in a forked child.
#[cfg(unix)]
fn exec(op: &Op) -> Result<(), libc::c_int> {
    // SAFETY (every call): NUL-terminated paths that outlive the call.
    let link = |from: &OsPath, to: &OsPath| unsafe {
        libc::linkat(
            libc::AT_FDCWD,
            from.as_ptr(),
            libc::AT_FDCWD,
            to.as_ptr(),
            libc::AT_SYMLINK_FOLLOW,
        )
    };
    let rename = |from: &OsPath, to: &OsPath| unsafe {
        libc::renameat(libc::AT_FDCWD, from.as_ptr(), libc::AT_FDCWD, to.as_ptr())
    };
    let ok = |r: libc::c_int| if r == 0 { Ok(()) } else { Err(errno()) };
    match op {
        Op::Link { from, to } => ok(link(from, to)),
        Op::LinkThenRemove { from, to } => {
            if link(from, to) == 0 {
                unsafe { libc::unlink(from.as_ptr()) };
                return Ok(());
            }
            match errno() {
                libc::EEXIST => Err(libc::EEXIST),
                _ => ok(rename(from, to)),
            }
        }
        Op::Rename { from, to } => ok(rename(from, to)),
        Op::Remove(p) => match ok(unsafe { libc::unlink(p.as_ptr()) }) {
            Err(libc::ENOENT) => Ok(()),
            r => r,
        },
    }
}

/// Runs the steps in this process, stopping at the first failure.
#[cfg(unix)]
fn run_here(ops: &[Op], pause: Option<(usize, &[u8], u64)>) -> Result<(), Failed> {
    for (i, op) in ops.iter().enumerate() {
        exec(op).map_err(|e| Failed {
            op: i,
            error: std::io::Error::from_raw_os_error(e),
        })?;
        if let Some((at, notice, ms)) = pause {
            if at == i {
                eprint!("{}", String::from_utf8_lossy(notice));
                std::thread::sleep(std::time::Duration::from_millis(ms));
            }
        }
    }
    Ok(())
}

/// Runs the steps in order in a forked child (see the module documentation), stopping at the
/// first failure, which is returned. `pause` (a test hook, see `cleanup::test_pause`): after
/// step `.0`, the child writes `.1` to standard error and sleeps `.2` milliseconds.
#[cfg(unix)]
pub(crate) fn run(ops: &[Op], pause: Option<(usize, &[u8], u64)>) -> Result<(), Failed> {
    if ops.is_empty() {
        return Ok(());
    }
    let mut fds = [0 as libc::c_int; 2];
    // SAFETY: `fds` has room for the two descriptors.
    if unsafe { libc::pipe2(fds.as_mut_ptr(), libc::O_CLOEXEC) } != 0 {
        return run_here(ops, pause);
    }
    let (read_end, write_end) = (fds[0], fds[1]);
    // SAFETY: plain signal-mask and process calls; the child runs only system calls on
    // memory prepared before the fork, then _exit.
    unsafe {
        let mut all: libc::sigset_t = std::mem::zeroed();
        let mut old: libc::sigset_t = std::mem::zeroed();
        libc::sigfillset(&mut all);
        // the child starts with every signal blocked (no handler of ours ever runs in it)
        libc::pthread_sigmask(libc::SIG_BLOCK, &all, &mut old);
        let pid = libc::fork();
        if pid == 0 {
            libc::setsid();
            for (i, op) in ops.iter().enumerate() {
                if let Err(e) = exec(op) {
                    let report = [i as u32, e as u32];
                    libc::write(write_end, report.as_ptr().cast(), 8);
                    libc::_exit(1);
                }
                if let Some((at, notice, ms)) = pause {
                    if at == i {
                        libc::write(2, notice.as_ptr().cast(), notice.len());
                        let t = libc::timespec {
                            tv_sec: (ms / 1000) as libc::time_t,
                            tv_nsec: ((ms % 1000) * 1_000_000) as libc::c_long,
                        };
                        libc::nanosleep(&t, std::ptr::null_mut());
                    }
                }
            }
            libc::_exit(0);
        }
        libc::pthread_sigmask(libc::SIG_SETMASK, &old, std::ptr::null_mut());
        libc::close(write_end);
        if pid < 0 {
            libc::close(read_end);
            return run_here(ops, pause);
        }
        let mut status = 0;
        while libc::waitpid(pid, &mut status, 0) < 0 && errno() == libc::EINTR {}
        let mut report = [0u32; 2];
        let n = libc::read(read_end, report.as_mut_ptr().cast(), 8);
        libc::close(read_end);
        if libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0 {
            return Ok(());
        }
        if n == 8 {
            return Err(Failed {
                op: report[0] as usize,
                error: std::io::Error::from_raw_os_error(report[1] as i32),
            });
        }
        // the child died without a word (killed): which steps ran is unknown
        Err(Failed {
            op: 0,
            error: std::io::Error::other("the process moving the files into place was killed"),
        })
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn steps_run_in_order_and_the_failing_one_is_named() {
        let dir = std::env::temp_dir().join(format!("odyssey-mover-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let p = |n: &str| dir.join(n);
        let c = |n: &str| c_path(&p(n)).unwrap();
        std::fs::write(p("a.tmp"), "new a").unwrap();
        std::fs::write(p("b.tmp"), "new b").unwrap();
        std::fs::write(p("b"), "old b").unwrap();
        std::fs::write(p("stale"), "old").unwrap();
        let ops = [
            Op::LinkThenRemove {
                from: c("a.tmp"),
                to: c("a"),
            },
            Op::Rename {
                from: c("b.tmp"),
                to: c("b"),
            },
            Op::Remove(c("stale")),
            Op::Remove(c("never-there")),
        ];
        assert!(run(&ops, None).is_ok());
        assert_eq!(std::fs::read_to_string(p("a")).unwrap(), "new a");
        assert_eq!(std::fs::read_to_string(p("b")).unwrap(), "new b");
        assert!(!p("a.tmp").exists() && !p("b.tmp").exists() && !p("stale").exists());
        // a link over an existing file fails with "exists", naming the step; later steps do
        // not run
        std::fs::write(p("c.tmp"), "c").unwrap();
        let ops = [
            Op::Link {
                from: c("c.tmp"),
                to: c("a"),
            },
            Op::Remove(c("b")),
        ];
        let f = run(&ops, None).unwrap_err();
        assert_eq!(f.op, 0);
        assert_eq!(f.error.kind(), std::io::ErrorKind::AlreadyExists);
        assert!(p("b").exists());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
