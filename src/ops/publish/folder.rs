//! The folder a site is published into, and the manifest (`.motions-site`) that lists what
//! publish wrote there: re-running it replaces those files, removes the ones it no longer
//! writes, and never touches a file it did not write. A folder that is not empty and has no
//! manifest is refused, so publishing into the wrong folder cannot replace anyone's files.

use std::collections::BTreeSet;
use std::fs;
use std::io::{self, Write};
use std::path::{Component, Path, PathBuf};

use anyhow::{Context, Result, bail};

/// The manifest's name, in the site's folder.
pub(crate) const MANIFEST: &str = ".motions-site";

const MANIFEST_NOTE: &str = "# Written by motions publish: the files it wrote in this folder, one a line. \
Publishing again replaces them and removes those it no longer writes; other files are left alone.\n";

/// A site's folder, opened for publishing.
pub(super) struct Folder {
    root: PathBuf,
    /// What the previous publish wrote here.
    previous: BTreeSet<String>,
}

impl Folder {
    /// Opens `root` (making it when it does not exist, in a folder that does), reading what an
    /// earlier publish wrote; refuses a file, and a folder holding files of someone else's.
    pub(super) fn open(root: &Path) -> Result<Folder> {
        if fs::symlink_metadata(root).is_err() {
            let parent = crate::files::folder_of(root);
            if !parent.is_dir() {
                bail!(
                    "cannot publish to {}: there is no folder {}",
                    root.display(),
                    parent.display()
                );
            }
            fs::create_dir(root)
                .with_context(|| format!("making the folder {}", root.display()))?;
            return Ok(Folder {
                root: root.to_path_buf(),
                previous: BTreeSet::new(),
            });
        }
        if !root.is_dir() {
            bail!(
                "cannot publish to {}: it is a file, not a folder; give a folder for the site",
                root.display()
            );
        }
        let manifest = root.join(MANIFEST);
        let previous = match fs::symlink_metadata(&manifest) {
            Ok(meta) if meta.is_file() => read_manifest(&manifest)?,
            _ => {
                let mut entries =
                    fs::read_dir(root).with_context(|| format!("reading {}", root.display()))?;
                if entries.next().is_some() {
                    bail!(
                        "cannot publish to {}: the folder is not empty and holds no site made by \
                         motions publish (it has no {MANIFEST}); give a new or empty folder, so that \
                         no file of yours is replaced or removed",
                        root.display()
                    );
                }
                BTreeSet::new()
            }
        };
        Ok(Folder {
            root: root.to_path_buf(),
            previous,
        })
    }

    /// Records, before writing, every file this publish may leave behind (what the last one
    /// wrote and what this one will), so that an interrupted run is cleaned up by the next.
    pub(super) fn begin(&self, planned: &BTreeSet<String>) -> Result<()> {
        let all: BTreeSet<String> = self.previous.union(planned).cloned().collect();
        self.write_manifest(&all)
    }

    /// Writes one file of the site (`path` relative, `/`-separated), its folders made as
    /// needed; refuses to write through a link or over anything but a regular file.
    pub(super) fn write(
        &self,
        path: &str,
        fill: impl FnOnce(&mut dyn Write) -> io::Result<()>,
    ) -> Result<()> {
        let target = self
            .place(path)
            .with_context(|| format!("writing {path}"))?;
        if let Some(parent) = target.parent() {
            self.make_folders(parent)?;
        }
        if let Ok(meta) = fs::symlink_metadata(&target)
            && !meta.is_file()
        {
            bail!(
                "cannot write {}: something other than a file is there (a link, a folder or a \
                 device); move it away and publish again",
                target.display()
            );
        }
        crate::files::write_public(&target, fill)
    }

    /// Removes the files the last publish wrote that this one did not (and the folders they
    /// leave empty), then records what this one wrote. Returns the files removed.
    pub(super) fn finish(&self, written: &BTreeSet<String>) -> Result<Vec<String>> {
        let mut removed = Vec::new();
        for stale in self.previous.difference(written) {
            let Some(path) = self.place(stale) else {
                continue;
            };
            let Ok(meta) = fs::symlink_metadata(&path) else {
                continue;
            };
            if meta.is_dir() || crate::files::is_database(&path) {
                continue;
            }
            fs::remove_file(&path).with_context(|| format!("removing {}", path.display()))?;
            removed.push(stale.clone());
            // Folders it leaves empty go too, up to the site's own.
            let mut folder = path.parent();
            while let Some(dir) = folder {
                if dir == self.root || fs::remove_dir(dir).is_err() {
                    break;
                }
                folder = dir.parent();
            }
        }
        self.write_manifest(written)?;
        Ok(removed)
    }

    /// The path of a site file, when `relative` is a plain relative path (no `..`, no root).
    fn place(&self, relative: &str) -> Option<PathBuf> {
        let path = Path::new(relative);
        let plain = !relative.is_empty()
            && !relative.contains('\\')
            && path.components().all(|c| matches!(c, Component::Normal(_)));
        plain.then(|| self.root.join(path))
    }

    /// Makes the folders down to `folder`, refusing a link or a file on the way.
    fn make_folders(&self, folder: &Path) -> Result<()> {
        let Ok(inside) = folder.strip_prefix(&self.root) else {
            return Ok(());
        };
        let mut at = self.root.clone();
        for part in inside.components() {
            at.push(part);
            match fs::symlink_metadata(&at) {
                Ok(meta) if meta.is_dir() => {}
                Ok(_) => bail!(
                    "cannot write into {}: it is not a folder (a file or a link); move it away \
                     and publish again",
                    at.display()
                ),
                Err(_) => fs::create_dir(&at)
                    .with_context(|| format!("making the folder {}", at.display()))?,
            }
        }
        Ok(())
    }

    fn write_manifest(&self, files: &BTreeSet<String>) -> Result<()> {
        crate::files::write_public(&self.root.join(MANIFEST), |out| {
            out.write_all(MANIFEST_NOTE.as_bytes())?;
            for file in files {
                writeln!(out, "{file}")?;
            }
            Ok(())
        })
    }
}

/// The files a manifest lists; lines that are not plain relative paths are ignored (and so
/// never removed).
fn read_manifest(path: &Path) -> Result<BTreeSet<String>> {
    let text = fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    Ok(text
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .filter(|line| {
            Path::new(line)
                .components()
                .all(|c| matches!(c, Component::Normal(_)))
                && !line.contains('\\')
                && *line != MANIFEST
        })
        .map(str::to_string)
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(items: &[&str]) -> BTreeSet<String> {
        items.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn a_second_publish_removes_only_what_the_first_wrote_and_this_one_did_not() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        let first = Folder::open(&root).unwrap();
        let planned = set(&["index.html", "regions/london.html", "data/tally.json"]);
        first.begin(&planned).unwrap();
        for path in &planned {
            first.write(path, |out| out.write_all(b"x")).unwrap();
        }
        assert!(first.finish(&planned).unwrap().is_empty());
        fs::write(root.join("regions/mine.html"), b"mine").unwrap();

        let second = Folder::open(&root).unwrap();
        let planned = set(&["index.html", "data/tally.json"]);
        second.begin(&planned).unwrap();
        assert_eq!(second.finish(&planned).unwrap(), ["regions/london.html"]);
        assert!(!root.join("regions/london.html").exists());
        assert!(
            root.join("regions/mine.html").exists(),
            "a file it did not write stays"
        );
    }

    #[test]
    fn a_folder_of_someone_elses_files_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("notes.txt"), b"mine").unwrap();
        let err = Folder::open(dir.path()).err().unwrap().to_string();
        assert!(err.contains("not empty"), "{err}");
        let file = dir.path().join("notes.txt");
        assert!(
            Folder::open(&file)
                .err()
                .unwrap()
                .to_string()
                .contains("is a file")
        );
    }

    #[test]
    fn a_manifest_cannot_reach_outside_the_folder() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        fs::create_dir(&root).unwrap();
        fs::write(dir.path().join("precious.txt"), b"keep").unwrap();
        fs::write(
            root.join(MANIFEST),
            "../precious.txt\n/etc/passwd\nindex.html\n",
        )
        .unwrap();
        let folder = Folder::open(&root).unwrap();
        assert_eq!(folder.previous, set(&["index.html"]));
        folder.finish(&BTreeSet::new()).unwrap();
        assert!(dir.path().join("precious.txt").exists());
    }
}
