//! `Store`: the SQLite database behind every command, and the only place that holds SQL.
//!
//! Opening refuses anything that is not a motions database before writing a byte to it, sets
//! the pragmas every connection needs, and brings the schema up to date. Every write runs in
//! an IMMEDIATE transaction, so concurrent writers queue on the busy timeout instead of failing
//! half-way, and a failed command leaves nothing behind.

mod amend;
mod care;
mod check;
mod correct;
mod export;
mod import;
mod intake;
mod migrate;
mod motion;
mod org;
mod outcome;
mod report;
mod reporter;
mod retire;

use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, Result, bail};
use rusqlite::config::DbConfig;
use rusqlite::{Connection, ErrorCode, OpenFlags, Transaction, TransactionBehavior};

pub(crate) use amend::Amended;
pub(crate) use care::{Erasure, Holder, Kept, Traces, Wipe};
pub(crate) use correct::Merged;
pub(crate) use import::{Finish, Importer, OrgRef, Settled};
pub(crate) use intake::{IntakeWrite, Refused, Written};
pub(crate) use migrate::{APPLICATION_ID, Blocked, SCHEMA_VERSION};
pub(crate) use outcome::{Recorded, Registration};
pub(crate) use reporter::NewReporter;

/// How long a writer waits for another to finish before giving up.
const BUSY_TIMEOUT: Duration = Duration::from_secs(60);

/// Problems with the database a user can act on.
#[derive(Debug, thiserror::Error)]
pub(crate) enum StoreError {
    #[error(
        "{0} is not a motions database (it is not an SQLite file); pass another path with --db"
    )]
    NotSqlite(PathBuf),
    #[error(
        "{0} is an SQLite database of another program, not a motions database; \
         pass another path with --db"
    )]
    Foreign(PathBuf),
    #[error(
        "{path} was written by a newer version of motions (schema version {found}; this one \
         knows up to {SCHEMA_VERSION}); upgrade motions to use it"
    )]
    Newer { path: PathBuf, found: i64 },
    #[error(
        "there is no database at {0}: nothing has been recorded there. Create it with \
         `motions init` (or `motions demo` for a sample campaign), or check --db and MOTIONS_DB"
    )]
    Missing(PathBuf),
    #[error(
        "{0} holds no motions database yet; create one there with `motions --db {0} init`, or \
         check --db and MOTIONS_DB"
    )]
    Empty(PathBuf),
    #[error(
        "the database {0} is read-only (its file or folder may not be written by you): it can \
         be read, not changed. Ask its owner, or copy it with `motions backup` and work on the copy"
    )]
    ReadOnly(PathBuf),
}

/// An open motions database.
pub(crate) struct Store {
    conn: Connection,
    /// The file it was opened from (outputs and backups must never land on it).
    path: PathBuf,
    /// Things done on opening that the user should hear about (a file made private).
    notices: Vec<String>,
    /// Set when the schema could not be brought up to date (opened with
    /// [`Store::open_to_retract`]): the database stays at its version, and only a retraction
    /// writes to it.
    blocked: Option<Blocked>,
}

/// Whether opening to write may leave a database whose migration is [`Blocked`] as it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Upgrade {
    /// Bring the schema up to date, or fail.
    Required,
    /// Bring it up to date if it can be; otherwise open it at its version, for retractions.
    MayWait,
}

impl Store {
    /// Opens the database at `path` to write, creating it readable by the owner only when it
    /// does not exist, with its folder too when `create_folder` allows (the default location),
    /// and bringing its schema up to date.
    pub(crate) fn open(path: &Path, create_folder: bool) -> Result<Store> {
        Store::open_as(path, create_folder, Upgrade::Required)
    }

    /// Opens the database to retract events, as [`Store::open`] does, except that a database
    /// whose migration is [`Blocked`] by clashing decisions is opened at its own version: the
    /// retraction that resolves a clash must work on it. Nothing but a retraction writes then.
    pub(crate) fn open_to_retract(path: &Path, create_folder: bool) -> Result<Store> {
        Store::open_as(path, create_folder, Upgrade::MayWait)
    }

    fn open_as(path: &Path, create_folder: bool, upgrade: Upgrade) -> Result<Store> {
        check_path(path, create_folder)?;
        let notices = tighten_modes(path, create_folder);
        create_private(path).with_context(|| format!("creating database {}", path.display()))?;
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(path, flags)
            .with_context(|| format!("opening database {}", path.display()))?;
        conn.busy_timeout(BUSY_TIMEOUT)?;
        if check_identity(&conn, path)? == Identity::Blank {
            make_private(path)?;
        }
        conn.pragma_update(None, "journal_mode", "WAL")
            .map_err(|err| readonly_or(err, path))?;
        let mut store = Store::configure(conn, path, upgrade)?;
        store.notices = notices;
        Ok(store)
    }

    /// Opens the database at `path` to read only: never creates, migrates or writes it, and
    /// reads one whose file or folder is read-only. A database whose tables are older than this
    /// version's is read through an up-to-date copy in memory, leaving the file as it is; one
    /// that lacks only later indexes is read as it is.
    pub(crate) fn open_read(path: &Path) -> Result<Store> {
        let meta = fs::metadata(path).map_err(|err| match err.kind() {
            io::ErrorKind::NotFound => anyhow::Error::new(StoreError::Missing(path.to_path_buf())),
            _ => anyhow::Error::new(err).context(format!("opening database {}", path.display())),
        })?;
        if meta.is_dir() {
            bail!(
                "{} is a folder; give the database a file name, e.g. --db {}",
                path.display(),
                path.join("motions.db").display()
            );
        }
        if !meta.is_file() {
            bail!(
                "{} is not a regular file, so not a motions database",
                path.display()
            );
        }
        let notices = tighten_modes(path, false);
        let conn = open_read_only(path)?;
        match check_identity(&conn, path)? {
            Identity::Blank => return Err(StoreError::Empty(path.to_path_buf()).into()),
            Identity::Motions => {}
        }
        conn.pragma_update(None, "query_only", true)?;
        let version = migrate::user_version(&conn)?;
        let conn = if version < migrate::READABLE_FROM {
            let mut copy = Connection::open_in_memory()?;
            rusqlite::backup::Backup::new(&conn, &mut copy)?
                .step(-1)
                .with_context(|| format!("reading database {}", path.display()))?;
            migrate::migrate_copy(&mut copy).context("reading an older database")?;
            copy
        } else {
            conn
        };
        let mut store = Store::configure_read(conn, path)?;
        store.notices = notices;
        Ok(store)
    }

    /// A private database in memory, for tests.
    #[cfg(test)]
    pub(crate) fn open_in_memory() -> Result<Store> {
        Store::configure(
            Connection::open_in_memory()?,
            Path::new(":memory:"),
            Upgrade::Required,
        )
    }

    fn configure(mut conn: Connection, path: &Path, upgrade: Upgrade) -> Result<Store> {
        conn.pragma_update(None, "foreign_keys", "ON")?;
        // Plans must not depend on bound values: otherwise each new value re-prepares the
        // statement, which costs an import of a million rows more than the rows themselves.
        conn.set_db_config(DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG, true)?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        let blocked = match migrate::migrate(&mut conn) {
            Ok(()) => None,
            Err(err) => match migrate::blocked(&err) {
                Some(blocked) if upgrade == Upgrade::MayWait => Some(blocked.clone()),
                // Said as it is: it names the records and the command that resolves them.
                Some(_) => return Err(err),
                None => {
                    return Err(readonly_or_any(err, path)
                        .context("bringing the database schema up to date"));
                }
            },
        };
        let mut store = Store::new(conn, path);
        store.blocked = blocked;
        Ok(store)
    }

    fn configure_read(conn: Connection, path: &Path) -> Result<Store> {
        conn.busy_timeout(BUSY_TIMEOUT)?;
        conn.set_db_config(DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG, true)?;
        Ok(Store::new(conn, path))
    }

    fn new(conn: Connection, path: &Path) -> Store {
        Store {
            conn,
            path: path.to_path_buf(),
            notices: Vec::new(),
            blocked: None,
        }
    }

    /// What opening did that the user should hear about, once.
    pub(crate) fn take_notices(&mut self) -> Vec<String> {
        std::mem::take(&mut self.notices)
    }

    /// Runs `work` in an IMMEDIATE transaction: all of it is committed, or none of it.
    fn write<T>(&mut self, work: impl FnOnce(&Transaction<'_>) -> Result<T>) -> Result<T> {
        self.refuse_if_blocked()?;
        self.write_at_any_version(work)
    }

    /// Refuses to write to a database left at an older version by a [`Blocked`] migration.
    fn refuse_if_blocked(&self) -> Result<()> {
        match &self.blocked {
            Some(blocked) => Err(blocked.clone().into()),
            None => Ok(()),
        }
    }

    /// [`Store::write`] for the one write that must work on a database whose migration is
    /// blocked: the retraction that unblocks it, whose SQL every version from 2 on takes.
    fn write_at_any_version<T>(
        &mut self,
        work: impl FnOnce(&Transaction<'_>) -> Result<T>,
    ) -> Result<T> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let value = work(&tx)?;
        tx.commit()?;
        Ok(value)
    }

    /// Runs `work` in a read transaction, so every query it makes sees the same snapshot.
    fn read<T>(&mut self, work: impl FnOnce(&Transaction<'_>) -> Result<T>) -> Result<T> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Deferred)?;
        work(&tx)
    }

    /// True when the database holds no motions, organisations or outcomes.
    pub(crate) fn is_empty(&mut self) -> Result<bool> {
        self.read(|tx| {
            let count: i64 = tx.query_row(
                "SELECT (SELECT count(*) FROM motion) + (SELECT count(*) FROM org) \
                        + (SELECT count(*) FROM outcome)",
                [],
                |row| row.get(0),
            )?;
            Ok(count == 0)
        })
    }
}

/// Refuses a path that cannot hold the database, with the reason: a folder, a missing folder
/// (unless it may be created), a file the user may not write.
fn check_path(path: &Path, create_folder: bool) -> Result<()> {
    if path.is_dir() {
        bail!(
            "{} is a folder; give the database a file name, e.g. --db {}",
            path.display(),
            path.join("motions.db").display()
        );
    }
    // A device, a pipe or a socket (/dev/null, say) is never a database: refuse it before
    // SQLite writes beside it or the file's mode is changed.
    if let Ok(meta) = fs::metadata(path)
        && !meta.is_file()
    {
        bail!(
            "{} is not a regular file; give the database a file name",
            path.display()
        );
    }
    let folder = path.parent().filter(|p| !p.as_os_str().is_empty());
    if let Some(folder) = folder.filter(|f| !create_folder && !f.is_dir()) {
        bail!(
            "there is no folder {} for the database {}; create it first (mkdir -p {}) or give \
             another path",
            folder.display(),
            path.display(),
            folder.display()
        );
    }
    if path.exists()
        && let Err(err) = fs::OpenOptions::new().read(true).write(true).open(path)
    {
        let readable = fs::File::open(path).is_ok();
        if err.kind() == io::ErrorKind::PermissionDenied && readable {
            return Err(StoreError::ReadOnly(path.to_path_buf()).into());
        }
        let why = match err.kind() {
            io::ErrorKind::PermissionDenied => {
                "you may not read and write it; check its owner and permissions".to_string()
            }
            _ => err.to_string(),
        };
        bail!("cannot open the database {}: {why}", path.display());
    }
    Ok(())
}

/// Makes a database file readable by its owner only (a blank file someone else created).
fn make_private(path: &Path) -> Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(path, fs::Permissions::from_mode(0o600))
            .with_context(|| format!("making {} readable by you only", path.display()))?;
    }
    Ok(())
}

/// Creates an empty file readable by its owner only (and its missing folders, 0700), unless
/// something is already there. SQLite gives the `-wal` and `-shm` files the same mode.
fn create_private(path: &Path) -> io::Result<()> {
    if path.exists() {
        return Ok(());
    }
    if let Some(folder) = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty() && !p.exists())
    {
        let mut builder = fs::DirBuilder::new();
        builder.recursive(true);
        #[cfg(unix)]
        std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
        builder.create(folder)?;
    }
    let mut options = fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    match options.open(path) {
        Err(err) if err.kind() == io::ErrorKind::AlreadyExists => Ok(()),
        other => other.map(drop),
    }
}

/// What an existing file turned out to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Identity {
    /// Empty, or an SQLite file with nothing in it: a new database.
    Blank,
    Motions,
}

/// Refuses a file that is not a motions database, reading only: an empty file or an SQLite
/// file with nothing in it is taken as new; a newer schema is refused.
fn check_identity(conn: &Connection, path: &Path) -> Result<Identity> {
    let header = conn.query_row(
        "SELECT (SELECT application_id FROM pragma_application_id), \
                (SELECT user_version FROM pragma_user_version), \
                (SELECT count(*) FROM sqlite_schema)",
        [],
        |row| {
            Ok((
                row.get::<_, i64>(0)?,
                row.get::<_, i64>(1)?,
                row.get::<_, i64>(2)?,
            ))
        },
    );
    let (app_id, version, objects) = match header {
        Err(rusqlite::Error::SqliteFailure(err, _)) if err.code == ErrorCode::NotADatabase => {
            return Err(StoreError::NotSqlite(path.to_path_buf()).into());
        }
        other => other.with_context(|| format!("reading database {}", path.display()))?,
    };
    let blank = app_id == 0 && objects == 0;
    if app_id != i64::from(APPLICATION_ID) && !blank {
        return Err(StoreError::Foreign(path.to_path_buf()).into());
    }
    if version > SCHEMA_VERSION {
        return Err(StoreError::Newer {
            path: path.to_path_buf(),
            found: version,
        }
        .into());
    }
    Ok(if blank {
        Identity::Blank
    } else {
        Identity::Motions
    })
}

/// The time of recording, as `recorded_at` holds it: UTC, to the millisecond.
fn timestamp() -> String {
    chrono::Utc::now()
        .format("%Y-%m-%dT%H:%M:%S%.3fZ")
        .to_string()
}

/// Turns a text column holding `YYYY-MM-DD` into a date.
/// A date as the database holds it, `YYYY-MM-DD`, written without an allocation: a large
/// import writes a million of them.
struct DateText {
    bytes: [u8; 10],
    /// A year out of 1000 to 9999, written by chrono.
    other: Option<String>,
}

impl DateText {
    fn new(date: chrono::NaiveDate) -> DateText {
        use chrono::Datelike;
        let (year, month, day) = (date.year(), date.month(), date.day());
        if !(1000..=9999).contains(&year) {
            return DateText {
                bytes: [0; 10],
                other: Some(date.to_string()),
            };
        }
        let mut bytes = *b"0000-00-00";
        let year = year as u32;
        for (i, digit) in [year / 1000, year / 100 % 10, year / 10 % 10, year % 10]
            .into_iter()
            .enumerate()
        {
            bytes[i] = b'0' + digit as u8;
        }
        bytes[5] = b'0' + (month / 10) as u8;
        bytes[6] = b'0' + (month % 10) as u8;
        bytes[8] = b'0' + (day / 10) as u8;
        bytes[9] = b'0' + (day % 10) as u8;
        DateText { bytes, other: None }
    }

    fn as_str(&self) -> &str {
        match &self.other {
            Some(text) => text,
            // Only ASCII digits and hyphens were written.
            None => std::str::from_utf8(&self.bytes).unwrap_or_default(),
        }
    }
}

fn to_date(text: Option<String>) -> rusqlite::Result<Option<chrono::NaiveDate>> {
    text.map(|text| {
        chrono::NaiveDate::parse_from_str(&text, "%Y-%m-%d").map_err(|err| {
            rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, err.into())
        })
    })
    .transpose()
}

/// Reads a canonical status or kind word stored under a CHECK constraint.
fn to_word<T: std::str::FromStr>(text: String) -> rusqlite::Result<T>
where
    T::Err: std::error::Error + Send + Sync + 'static,
{
    text.parse().map_err(|err: T::Err| {
        rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, err.into())
    })
}

/// True when `err` is a UNIQUE or PRIMARY KEY violation.
fn is_unique_violation(err: &rusqlite::Error) -> bool {
    matches!(err, rusqlite::Error::SqliteFailure(e, _)
        if e.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE
            || e.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_PRIMARYKEY)
}

#[cfg(test)]
mod tests;

/// Opens a file to read without writing to it or beside it. A database in WAL mode needs its
/// `-shm` index; in a read-only folder, where none can be made, the file is opened as immutable
/// (nobody can be writing to it there).
pub(super) fn open_read_only(path: &Path) -> Result<Connection> {
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let context = || format!("opening database {}", path.display());
    let conn = Connection::open_with_flags(path, flags).with_context(context)?;
    match conn.query_row("SELECT count(*) FROM sqlite_schema", [], |_| Ok(())) {
        Err(rusqlite::Error::SqliteFailure(err, _))
            if matches!(err.code, ErrorCode::CannotOpen | ErrorCode::ReadOnly) =>
        {
            drop(conn);
            let uri = format!("file:{}?immutable=1", uri_path(path)?);
            Connection::open_with_flags(uri, flags | OpenFlags::SQLITE_OPEN_URI)
                .with_context(context)
        }
        _ => Ok(conn),
    }
}

/// A path written for an SQLite `file:` URI: absolute, with `%`, `?` and `#` escaped.
fn uri_path(path: &Path) -> Result<String> {
    let absolute = std::path::absolute(path)?;
    let text = absolute.to_string_lossy();
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '%' => out.push_str("%25"),
            '?' => out.push_str("%3F"),
            '#' => out.push_str("%23"),
            _ => out.push(c),
        }
    }
    Ok(out)
}

/// An SQLite error from writing to a read-only database, said as such.
fn readonly_or(err: rusqlite::Error, path: &Path) -> anyhow::Error {
    match &err {
        rusqlite::Error::SqliteFailure(e, _) if e.code == ErrorCode::ReadOnly => {
            StoreError::ReadOnly(path.to_path_buf()).into()
        }
        _ => anyhow::Error::new(err).context(format!("opening database {}", path.display())),
    }
}

fn readonly_or_any(err: anyhow::Error, path: &Path) -> anyhow::Error {
    let read_only = err.chain().any(|cause| {
        matches!(cause.downcast_ref::<rusqlite::Error>(),
            Some(rusqlite::Error::SqliteFailure(e, _)) if e.code == ErrorCode::ReadOnly)
    });
    if read_only {
        StoreError::ReadOnly(path.to_path_buf()).into()
    } else {
        err
    }
}

/// Takes back read access from others to an existing database (and its `-wal`/`-shm` files,
/// and the default data folder) that its owner runs motions on: it may hold names. Returns
/// what it changed, to be said once.
fn tighten_modes(path: &Path, default_folder: bool) -> Vec<String> {
    let mut notices = Vec::new();
    #[cfg(unix)]
    {
        use std::os::unix::fs::{MetadataExt, PermissionsExt};
        // SAFETY: geteuid has no preconditions and cannot fail.
        let me = unsafe { libc::geteuid() };
        let mut tighten = |file: &Path, mode: u32| {
            let Ok(meta) = fs::symlink_metadata(file) else {
                return;
            };
            let is_kind = if mode == 0o700 {
                meta.is_dir()
            } else {
                meta.is_file()
            };
            let loose = meta.mode() & 0o077 != 0;
            if is_kind
                && loose
                && meta.uid() == me
                && fs::set_permissions(file, fs::Permissions::from_mode(mode)).is_ok()
            {
                notices.push(format!(
                    "note: {} was readable by other users; it may hold names, so it is now \
                     readable by you only ({mode:o})",
                    file.display()
                ));
            }
        };
        tighten(path, 0o600);
        for suffix in ["-wal", "-shm"] {
            let mut name = path.as_os_str().to_os_string();
            name.push(suffix);
            tighten(Path::new(&name), 0o600);
        }
        if default_folder && let Some(folder) = path.parent() {
            tighten(folder, 0o700);
        }
    }
    #[cfg(not(unix))]
    let _ = (path, default_folder);
    notices
}
