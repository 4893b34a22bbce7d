//! `--force` replaces only regular files (issue 13): device nodes, symbolic links, pipes and
//! folders are refused with an error naming the path, and are left as they were.

use std::path::Path;

use super::files::{check_target, write_file};

fn ok(w: &mut dyn std::io::Write) -> std::io::Result<()> {
    w.write_all(b"new")
}

#[cfg(unix)]
#[test]
fn force_never_replaces_a_non_regular_file() {
    let e = check_target(Path::new("/dev/null"), true)
        .unwrap_err()
        .to_string();
    assert_eq!(
        e,
        "cannot write /dev/null: it is a device node, not a regular file (Odyssey replaces only regular files, even with --force)"
    );
    let root = std::env::temp_dir().join(format!("odyssey-special-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    std::fs::create_dir_all(&root).unwrap();
    let dir = Dir(root);
    let real = dir.path().join("real.tsv");
    std::fs::write(&real, "old").unwrap();
    let link = dir.path().join("link.tsv");
    std::os::unix::fs::symlink(&real, &link).unwrap();
    let e = write_file(&link, true, ok).unwrap_err().to_string();
    assert_eq!(
        e,
        format!("cannot write {}: it is a symbolic link, not a regular file (Odyssey replaces only regular files, even with --force)", link.display())
    );
    assert!(std::fs::symlink_metadata(&link)
        .unwrap()
        .file_type()
        .is_symlink());
    assert_eq!(std::fs::read_to_string(&real).unwrap(), "old");
    let fifo = dir.path().join("pipe.tsv");
    if std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .is_ok_and(|s| s.success())
    {
        let e = write_file(&fifo, true, ok).unwrap_err().to_string();
        assert!(e.contains("it is a named pipe"), "{e}");
    }
    // a regular file is still replaced with --force, and no temporary file is left
    write_file(&real, true, ok).unwrap();
    assert_eq!(std::fs::read_to_string(&real).unwrap(), "new");
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect();
    assert!(names.is_empty(), "{names:?}");
}

/// A scratch folder removed when dropped.
struct Dir(std::path::PathBuf);

impl Dir {
    fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for Dir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
