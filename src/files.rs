//! Writing files without destroying anything: the one place that decides how an output file
//! (`-o FILE`, `backup FILE`) is written.
//!
//! A slip of the shell history (`-o campaign.db`) must never replace the records, so the
//! database and its `-wal`, `-shm` and `-journal` files are refused however they are reached
//! (another spelling, a symlink, a hard link). A device or a FIFO (`/dev/null`, `/dev/stdout`,
//! a pipe) is written into, never replaced by a regular file. A regular file is replaced only
//! once its new contents are complete and on disk: written to a recognisable partial file
//! beside it, synced, renamed over it, and the folder synced. Partial files are removed on
//! every error and on Ctrl-C or SIGTERM.

use std::fs::{self, File, OpenOptions};
use std::io;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

use anyhow::{Context, Result, bail};

/// The suffix every partial file carries, so a leftover after a SIGKILL can be recognised (and
/// removed) by name.
pub(crate) const PARTIAL_SUFFIX: &str = ".motions-partial";

/// The database this run works on: outputs must never land on it.
static PROTECTED: OnceLock<PathBuf> = OnceLock::new();

/// Partial files now being written, removed by the signal handler.
static PARTIALS: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// Names the database of this run, so that no output is written over it, and removes partial
/// files when the user interrupts (Ctrl-C) or the system stops the process (SIGTERM).
pub(crate) fn protect(database: &Path) {
    let _ = PROTECTED.set(database.to_path_buf());
    install_cleanup();
}

/// What a long-running command (`serve`) does on SIGINT, SIGTERM or SIGHUP instead of
/// exiting at once: stop taking requests and finish those in flight.
static ON_INTERRUPT: OnceLock<Box<dyn Fn() + Send + Sync>> = OnceLock::new();

/// Removes every partial file on SIGINT, SIGTERM or SIGHUP, then exits as interrupted (or
/// calls what [`on_interrupt`] set).
pub(crate) fn install_cleanup() {
    static ONCE: OnceLock<()> = OnceLock::new();
    ONCE.get_or_init(|| {
        let _ = ctrlc::set_handler(|| {
            if let Some(stop) = ON_INTERRUPT.get() {
                stop();
                return;
            }
            remove_partials();
            std::process::exit(130);
        });
    });
}

/// Has SIGINT, SIGTERM and SIGHUP call `stop` instead of exiting at once.
pub(crate) fn on_interrupt(stop: impl Fn() + Send + Sync + 'static) {
    let _ = ON_INTERRUPT.set(Box::new(stop));
    install_cleanup();
}

fn remove_partials() {
    let paths = match PARTIALS.lock() {
        Ok(paths) => paths.clone(),
        Err(poisoned) => poisoned.into_inner().clone(),
    };
    for path in paths {
        let _ = fs::remove_file(path);
    }
}

/// What a target path turned out to be.
#[derive(Debug)]
pub(crate) enum Target {
    /// A regular file (existing or new) at this real path: replaced through a partial file.
    Regular(PathBuf),
    /// A device, FIFO or socket: written into as it is.
    Special(PathBuf),
}

/// Refuses a target that is the protected database or one of its companion files, a folder,
/// or a file in a missing folder; says how the target is to be written.
pub(crate) fn target(path: &Path) -> Result<Target> {
    if let Some(database) = PROTECTED.get() {
        refuse_database(path, database)?;
    }
    if is_special_path(path) {
        return Ok(Target::Special(path.to_path_buf()));
    }
    match fs::metadata(path) {
        Ok(meta) if meta.is_dir() => bail!(
            "cannot write {}: it is a folder; give a file name",
            path.display()
        ),
        Ok(meta) if !meta.is_file() => return Ok(Target::Special(path.to_path_buf())),
        Ok(_) => {
            // Through a symlink the real file is replaced, not the link.
            let real =
                fs::canonicalize(path).with_context(|| format!("finding {}", path.display()))?;
            return Ok(Target::Regular(real));
        }
        Err(_) => {
            // A symlink to a file not made yet: the file it points at is written, and the link
            // kept.
            if let Some(pointed) = dangling_link_end(path) {
                if let Some(database) = PROTECTED.get() {
                    refuse_database(&pointed, database)?;
                }
                if !folder_of(&pointed).is_dir() {
                    bail!(
                        "cannot write {}: it points at {}, whose folder does not exist",
                        path.display(),
                        pointed.display()
                    );
                }
                return Ok(Target::Regular(pointed));
            }
        }
    }
    let folder = folder_of(path);
    if !folder.is_dir() {
        bail!(
            "cannot write {}: there is no folder {}",
            path.display(),
            folder.display()
        );
    }
    Ok(Target::Regular(path.to_path_buf()))
}

/// True when `path` is this run's database or one of its companion files, which nothing may
/// replace or remove.
pub(crate) fn is_database(path: &Path) -> bool {
    PROTECTED
        .get()
        .is_some_and(|database| refuse_database(path, database).is_err())
}

/// Where a chain of symlinks ending at nothing would put a new file (at most 8 links, so a
/// loop ends); `None` when `path` is not such a link.
fn dangling_link_end(path: &Path) -> Option<PathBuf> {
    let mut at = path.to_path_buf();
    for _ in 0..8 {
        let meta = fs::symlink_metadata(&at).ok()?;
        if !meta.file_type().is_symlink() {
            return None;
        }
        let next = folder_of(&at).join(fs::read_link(&at).ok()?);
        if fs::symlink_metadata(&next).is_err() {
            return Some(next);
        }
        at = next;
    }
    None
}

/// `/dev/...` and `/proc/...` paths (`/dev/stdout`, `/proc/self/fd/1`) are written into as
/// they stand, whatever they point at.
fn is_special_path(path: &Path) -> bool {
    path.is_absolute() && (path.starts_with("/dev") || path.starts_with("/proc"))
}

/// The folder a path is in (`.` for a bare file name).
pub(crate) fn folder_of(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

/// The database's own file and the files SQLite keeps beside it, with what each is.
fn companions(database: &Path) -> Vec<(PathBuf, &'static str)> {
    let with = |suffix: &str| {
        let mut name = database.as_os_str().to_os_string();
        name.push(suffix);
        PathBuf::from(name)
    };
    vec![
        (database.to_path_buf(), "the database itself"),
        (with("-wal"), "the database's write-ahead log"),
        (with("-shm"), "the database's shared-memory index"),
        (with("-journal"), "the database's rollback journal"),
    ]
}

/// Refuses `path` when it is `database` or a companion file: the same file (device and inode,
/// which catches symlinks and hard links) or the same name in the same real folder (which
/// catches a `-wal` file SQLite has not made yet).
pub(crate) fn refuse_database(path: &Path, database: &Path) -> Result<()> {
    let target_id = file_id(path);
    let target_name = real_name(path);
    for (companion, what) in companions(database) {
        let same_file = target_id.is_some() && target_id == file_id(&companion);
        let same_name = target_name.is_some() && target_name == real_name(&companion);
        if same_file || same_name {
            bail!(
                "refusing to write {}: it is {} ({}); writing there would destroy your records. \
                 Give another file name",
                path.display(),
                what,
                companion.display()
            );
        }
    }
    Ok(())
}

/// The device and inode of an existing file (following symlinks).
fn file_id(path: &Path) -> Option<(u64, u64)> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        fs::metadata(path).ok().map(|m| (m.dev(), m.ino()))
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        None
    }
}

/// The path with its folder resolved (symlinks, `..`), for comparing names of files that may
/// not exist yet.
fn real_name(path: &Path) -> Option<PathBuf> {
    let folder = fs::canonicalize(folder_of(path)).ok()?;
    Some(folder.join(path.file_name()?))
}

/// A file being written beside its final place under a recognisable name, removed unless it
/// is put in place.
pub(crate) struct Partial {
    /// Taken when the file is put in place.
    file: Option<tempfile::NamedTempFile>,
    path: PathBuf,
}

impl Partial {
    /// Creates a partial file, readable by its owner only, in `final_path`'s folder.
    pub(crate) fn beside(final_path: &Path) -> Result<Partial> {
        let folder = folder_of(final_path);
        let stem = final_path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let file = tempfile::Builder::new()
            .prefix(&format!(".{stem}."))
            .suffix(PARTIAL_SUFFIX)
            .tempfile_in(folder)
            .with_context(|| format!("creating a file in {}", folder.display()))?;
        let path = file.path().to_path_buf();
        lock(&PARTIALS).push(path.clone());
        Ok(Partial {
            file: Some(file),
            path,
        })
    }

    pub(crate) fn path(&self) -> &Path {
        &self.path
    }

    pub(crate) fn file_mut(&mut self) -> &mut File {
        self.file
            .as_mut()
            .expect("a partial file is only taken when finished")
            .as_file_mut()
    }

    /// Makes the partial file durable and puts it at `final_path` (replacing what is there
    /// only when `replace`), then makes the rename durable too.
    pub(crate) fn finish(mut self, final_path: &Path, replace: bool) -> Result<()> {
        let context = || format!("writing {}", final_path.display());
        let file = self
            .file
            .take()
            .expect("a partial file is only taken when finished");
        file.as_file().sync_all().with_context(context)?;
        let persisted = if replace {
            file.persist(final_path).map(drop)
        } else {
            file.persist_noclobber(final_path).map(drop)
        };
        lock(&PARTIALS).retain(|p| p != &self.path);
        persisted.map_err(|err| err.error).with_context(context)?;
        sync_folder(folder_of(final_path)).with_context(context)
    }
}

/// Forgets partial files that are gone (dropped on an error: tempfile removed them).
impl Drop for Partial {
    fn drop(&mut self) {
        lock(&PARTIALS).retain(|p| p != &self.path);
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Makes a rename in `folder` durable.
pub(crate) fn sync_folder(folder: &Path) -> io::Result<()> {
    #[cfg(unix)]
    {
        File::open(folder)?.sync_all()
    }
    #[cfg(not(unix))]
    {
        let _ = folder;
        Ok(())
    }
}

/// Writes what `fill` writes to `path`: into a device or FIFO as it is, or to a regular file
/// through a partial file, so a failure leaves the old file (or none) rather than half a new
/// one.
pub(crate) fn write(
    path: &Path,
    fill: impl FnOnce(&mut dyn io::Write) -> io::Result<()>,
) -> Result<()> {
    write_with_mode(path, false, fill)
}

/// Writes a file as [`write`] does, readable by everyone (mode 0644) as a web server serving
/// it needs: for a published site, which holds no one's name.
pub(crate) fn write_public(
    path: &Path,
    fill: impl FnOnce(&mut dyn io::Write) -> io::Result<()>,
) -> Result<()> {
    write_with_mode(path, true, fill)
}

fn write_with_mode(
    path: &Path,
    public: bool,
    fill: impl FnOnce(&mut dyn io::Write) -> io::Result<()>,
) -> Result<()> {
    let context = || format!("writing {}", path.display());
    match target(path)? {
        Target::Special(path) => {
            // Truncated as a file would be replaced; a device or FIFO ignores that.
            let file = OpenOptions::new()
                .write(true)
                .create(true)
                .truncate(true)
                .open(&path)
                .with_context(context)?;
            let mut out = io::BufWriter::new(file);
            fill(&mut out).with_context(context)?;
            io::Write::flush(&mut out).with_context(context)?;
            Ok(())
        }
        Target::Regular(real) => {
            let mut partial = Partial::beside(&real)?;
            {
                let mut out = io::BufWriter::new(partial.file_mut());
                fill(&mut out).with_context(context)?;
                io::Write::flush(&mut out).with_context(context)?;
            }
            #[cfg(unix)]
            if public {
                use std::os::unix::fs::PermissionsExt;
                partial
                    .file_mut()
                    .set_permissions(fs::Permissions::from_mode(0o644))
                    .with_context(context)?;
            }
            partial.finish(&real, true)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_database_and_its_companions_are_refused_by_any_name() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("campaign.db");
        fs::write(&db, b"records").unwrap();
        let other_spelling = dir.path().join(".").join("campaign.db");
        assert!(refuse_database(&other_spelling, &db).is_err());
        let wal = dir.path().join("campaign.db-wal");
        assert!(refuse_database(&wal, &db).is_err(), "a -wal not made yet");
        #[cfg(unix)]
        {
            let link = dir.path().join("link.csv");
            std::os::unix::fs::symlink(&db, &link).unwrap();
            assert!(refuse_database(&link, &db).is_err());
            let hard = dir.path().join("hard.csv");
            fs::hard_link(&db, &hard).unwrap();
            assert!(refuse_database(&hard, &db).is_err());
        }
        assert!(refuse_database(&dir.path().join("out.csv"), &db).is_ok());
        assert!(refuse_database(&dir.path().join("campaign.db.csv"), &db).is_ok());
    }

    #[test]
    fn a_failed_write_leaves_the_old_file_and_no_partial() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.csv");
        fs::write(&path, b"old").unwrap();
        let failed = write(&path, |out| {
            out.write_all(b"half")?;
            Err(io::Error::other("stopped"))
        });
        assert!(failed.is_err());
        assert_eq!(fs::read(&path).unwrap(), b"old");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }
}
