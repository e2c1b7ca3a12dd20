//! `Store`: the SQLite database behind every command, and the only place that holds SQL.
//!
//! Opening refuses anything that is not a motions database before writing a byte to it, sets
//! the pragmas every connection needs, and brings the schema up to date. Every write runs in
//! an IMMEDIATE transaction, so concurrent writers queue on the busy timeout instead of failing
//! half-way, and a failed command leaves nothing behind.

mod care;
mod correct;
mod export;
mod import;
mod migrate;
mod motion;
mod org;
mod outcome;
mod report;

use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, Result, bail};
use rusqlite::config::DbConfig;
use rusqlite::{Connection, ErrorCode, OpenFlags, Transaction, TransactionBehavior};

pub(crate) use care::{Erasure, Holder, Kept, Traces, Wipe};
pub(crate) use import::{Finish, OrgRef};
pub(crate) use migrate::{APPLICATION_ID, SCHEMA_VERSION};
pub(crate) use outcome::Recorded;

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
}

/// An open motions database.
pub(crate) struct Store {
    conn: Connection,
}

impl Store {
    /// Opens the database at `path`, creating it readable by the owner only when it does not
    /// exist, with its folder too when `create_folder` allows (the default location).
    pub(crate) fn open(path: &Path, create_folder: bool) -> Result<Store> {
        check_path(path, create_folder)?;
        create_private(path).with_context(|| format!("creating database {}", path.display()))?;
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(path, flags)
            .with_context(|| format!("opening database {}", path.display()))?;
        conn.busy_timeout(BUSY_TIMEOUT)?;
        if check_identity(&conn, path)? == Identity::Blank {
            make_private(path)?;
        }
        conn.pragma_update(None, "journal_mode", "WAL")
            .with_context(|| format!("opening database {}", path.display()))?;
        Store::configure(conn)
    }

    /// A private database in memory, for tests.
    #[cfg(test)]
    pub(crate) fn open_in_memory() -> Result<Store> {
        Store::configure(Connection::open_in_memory()?)
    }

    fn configure(mut conn: Connection) -> Result<Store> {
        conn.pragma_update(None, "foreign_keys", "ON")?;
        // Plans must not depend on bound values: otherwise each new value re-prepares the
        // statement, which costs an import of a million rows more than the rows themselves.
        conn.set_db_config(DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG, true)?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        migrate::migrate(&mut conn).context("bringing the database schema up to date")?;
        Ok(Store { conn })
    }

    /// Runs `work` in an IMMEDIATE transaction: all of it is committed, or none of it.
    fn write<T>(&mut self, work: impl FnOnce(&Transaction<'_>) -> Result<T>) -> Result<T> {
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
