//! The case files of a `--batch` folder: a recursive walk that follows symbolic links but
//! enters each folder once and lists each file once (by canonical path), so a symbolic-link
//! loop neither hangs the walk nor analyses a case many times (issue 13: a loop once gave the
//! same case 41 times).

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use anyhow::Context;

/// Phenopacket-like files (`.json`, `.yml`, `.yaml`) under `root`, sorted by path; a file
/// reached by several paths (links) is kept once, under its first path in sorted order.
/// Folders reached again through a link are skipped with a note on standard error.
pub(crate) fn case_files(root: &Path) -> anyhow::Result<Vec<PathBuf>> {
    let mut seen_dirs: HashSet<PathBuf> = HashSet::new();
    let mut files = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(d) = stack.pop() {
        let canon = d
            .canonicalize()
            .with_context(|| format!("reading {}", d.display()))?;
        if !seen_dirs.insert(canon.clone()) {
            note!(
                "note: {} is {} again (a symbolic-link loop or a second link): skipped",
                d.display(),
                canon.display()
            );
            continue;
        }
        let mut entries: Vec<PathBuf> = std::fs::read_dir(&d)
            .with_context(|| format!("reading {}", d.display()))?
            .map(|e| e.map(|e| e.path()))
            .collect::<Result<_, _>>()
            .with_context(|| format!("reading {}", d.display()))?;
        entries.sort();
        for p in entries.into_iter().rev() {
            if p.is_dir() {
                stack.push(p);
            } else if matches!(
                p.extension().and_then(|e| e.to_str()),
                Some("json" | "yml" | "yaml")
            ) {
                files.push(p);
            }
        }
    }
    files.sort();
    let mut seen_files = HashSet::new();
    files.retain(|f| seen_files.insert(f.canonicalize().unwrap_or_else(|_| f.clone())));
    Ok(files)
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn a_symlink_loop_gives_each_case_once() {
        let root = std::env::temp_dir().join(format!("odyssey-batch-walk-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        std::fs::create_dir_all(root.join("a")).unwrap();
        std::fs::write(root.join("a/one.json"), "{}").unwrap();
        std::fs::write(root.join("two.yaml"), "").unwrap();
        std::fs::write(root.join("notes.txt"), "").unwrap();
        // a/loop -> .. (the root), and a second link to one.json
        std::os::unix::fs::symlink("..", root.join("a/loop")).unwrap();
        std::os::unix::fs::symlink("a/one.json", root.join("z.json")).unwrap();
        let files = case_files(&root).unwrap();
        let _ = std::fs::remove_dir_all(&root);
        assert_eq!(files, vec![root.join("a/one.json"), root.join("two.yaml")]);
    }
}
