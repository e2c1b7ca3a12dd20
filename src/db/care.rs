//! Looking after the database: checking it, copying it while others write, and erasing a
//! person's name from it.

use std::path::Path;

use anyhow::{Context, Result, bail};
use rusqlite::backup::Backup;
use rusqlite::{Connection, Transaction, params};

use super::Store;
use crate::files;
use crate::model::{PersonName, name_key};

/// What `motions info` shows of the database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Info {
    pub(crate) schema_version: u64,
    pub(crate) sqlite_version: String,
    pub(crate) motions: u64,
    pub(crate) orgs: u64,
    pub(crate) outcomes: u64,
    pub(crate) retracted: u64,
}

impl Store {
    /// The schema and SQLite versions, and how much the database holds.
    pub(crate) fn info(&mut self) -> Result<Info> {
        self.read(|tx| {
            let count = |sql: &str| -> rusqlite::Result<u64> {
                tx.query_row(sql, [], |r| r.get::<_, i64>(0))
                    .map(|n| n as u64)
            };
            Ok(Info {
                schema_version: count("PRAGMA user_version")?,
                sqlite_version: rusqlite::version().to_string(),
                motions: count("SELECT count(*) FROM motion")?,
                orgs: count("SELECT count(*) FROM org")?,
                outcomes: count("SELECT count(*) FROM outcome")?,
                retracted: count("SELECT count(*) FROM outcome WHERE retracted_at IS NOT NULL")?,
            })
        })
    }

    /// A consistent copy of the database at `target`, readable by the owner only, made with
    /// SQLite's online backup while others may be writing, and checked before it is put in
    /// place. Never the live database or its companion files; an existing file, or stale
    /// `-wal`/`-shm` files beside the target (which SQLite would replay into the copy), are
    /// replaced or removed only when `force` is given.
    pub(crate) fn backup_to(&mut self, target: &Path, force: bool) -> Result<()> {
        files::refuse_database(target, &self.path)?;
        if target.is_dir() {
            bail!(
                "{} is a folder; give the backup a file name",
                target.display()
            );
        }
        // A backup is a database file: a device, a FIFO or /dev/stdout cannot hold one, and is
        // never replaced by one. Through a symlink, the file it points at is the backup.
        let target = match files::target(target)? {
            files::Target::Regular(real) => real,
            files::Target::Special(_) => bail!(
                "{} is not a regular file (a device, a pipe or a terminal), so it cannot hold a \
                 backup; give the backup a file name",
                target.display()
            ),
        };
        let target = target.as_path();
        if target.exists() && !force {
            bail!(
                "{} already exists; give another name, or add --force to replace it",
                target.display()
            );
        }
        let folder = files::folder_of(target);
        if !folder.is_dir() {
            bail!("there is no folder {} for the backup", folder.display());
        }
        clear_stale_companions(target, force)?;
        let partial = files::Partial::beside(target)?;
        self.copy_into(partial.path())?;
        verify_copy(partial.path())?;
        partial.finish(target, force)
    }

    /// Copies every page within one read of the database into the file at `path`, left in
    /// rollback-journal mode so the copy is one self-contained file.
    fn copy_into(&mut self, path: &Path) -> Result<()> {
        let mut copy = Connection::open(path).context("opening the backup file")?;
        {
            let backup = Backup::new(&self.conn, &mut copy)?;
            // One step copies every page within one read: other writers cannot restart it.
            backup.step(-1).context("copying the database")?;
        }
        copy.pragma_update(None, "journal_mode", "DELETE")
            .context("finishing the backup file")?;
        copy.close()
            .map_err(|(_, err)| err)
            .context("closing the backup file")?;
        Ok(())
    }
}

/// A record that holds a person's name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Holder {
    Outcome(i64),
    Motion {
        id: i64,
        slug: String,
    },
    Org {
        id: i64,
        name: String,
    },
    /// A link of the web intake (whose holder's name it keeps).
    Reporter(i64),
    /// A report sent through a link.
    Submission(i64),
}

/// One field `forget` changes: the text it becomes, or `None` for an alias it removes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Erasure {
    pub(crate) holder: Holder,
    /// The field as a user knows it: "reported by", "notes", "title", "alias"...
    pub(crate) field: &'static str,
    pub(crate) after: Option<String>,
    /// The table, column and row `forget` writes.
    target: Target,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Target {
    Column {
        table: &'static str,
        column: &'static str,
        id: i64,
    },
    Alias {
        key: String,
    },
}

/// A name that identifies a record, which `forget` leaves for the user to change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Kept {
    /// An organisation's own name.
    OrgName { id: i64, name: String },
    /// An organisation's code.
    OrgCode { id: i64, name: String, code: String },
    /// A motion's slug.
    Slug { id: i64, slug: String },
}

/// How much of the records holds a person's name, and what `forget` leaves to the user.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Traces {
    /// Free-text fields that become "[name removed]" where the name stood.
    pub(crate) fields: u64,
    /// The records those fields belong to.
    pub(crate) records: u64,
    /// Aliases of organisations that are removed.
    pub(crate) aliases: u64,
    pub(crate) kept: Vec<Kept>,
}

impl Traces {
    /// True when no field is to be changed.
    pub(crate) fn is_empty(&self) -> bool {
        self.fields == 0 && self.aliases == 0
    }
}

/// Stale `-wal`/`-shm` files beside a backup's target would be replayed into the new copy and
/// corrupt it: refused, naming them, unless `force`, which removes them first.
fn clear_stale_companions(target: &Path, force: bool) -> Result<()> {
    let stale: Vec<std::path::PathBuf> = ["-wal", "-shm", "-journal"]
        .iter()
        .map(|suffix| {
            let mut name = target.as_os_str().to_os_string();
            name.push(suffix);
            std::path::PathBuf::from(name)
        })
        .filter(|p| p.symlink_metadata().is_ok())
        .collect();
    if stale.is_empty() {
        return Ok(());
    }
    let names: Vec<String> = stale.iter().map(|p| p.display().to_string()).collect();
    if !force {
        bail!(
            "{} lie{} beside {}, left by an earlier database there; SQLite would mix {} into \
             the backup. Move {} away, or add --force to remove {}",
            names.join(" and "),
            if stale.len() == 1 { "s" } else { "" },
            target.display(),
            if stale.len() == 1 { "it" } else { "them" },
            if stale.len() == 1 { "it" } else { "them" },
            if stale.len() == 1 { "it" } else { "them" },
        );
    }
    for path in &stale {
        std::fs::remove_file(path).with_context(|| format!("removing {}", path.display()))?;
    }
    Ok(())
}

/// Opens the copy on its own and runs SQLite's integrity check on it: a backup is only
/// reported once it is known to be good.
fn verify_copy(path: &Path) -> Result<()> {
    let copy = Connection::open_with_flags(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
        .context("opening the backup to check it")?;
    let verdict: Vec<String> = copy
        .prepare("PRAGMA integrity_check")?
        .query_map([], |row| row.get(0))?
        .collect::<rusqlite::Result<_>>()
        .context("checking the backup")?;
    if verdict != ["ok"] {
        bail!(
            "the copy failed its integrity check ({}); nothing was written. Run motions check \
             on the database",
            verdict.join("; ")
        );
    }
    Ok(())
}

/// Whether the old text is gone from the file once the records are changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Wipe {
    /// Freed space overwritten, the file rebuilt and the write-ahead log emptied; `checked` when
    /// the bytes of the file were then read and nothing like the name was in them.
    Done { checked: bool },
    /// Another connection was reading, so the log could not be folded back and emptied.
    Blocked,
    /// The file could not be rebuilt: the disk is full.
    DiskFull,
    /// The file could not be rebuilt, for the reason given.
    Failed(String),
    /// The file was rebuilt, yet the name is still in its bytes.
    StillInFile,
}

/// How long the wipe waits for readers to finish before saying it could not empty the log.
const CHECKPOINT_WAIT: std::time::Duration = std::time::Duration::from_secs(5);

impl Store {
    /// Every field that holds the name, each passed to `each` as it is found, and what
    /// `forget` would leave; changes nothing.
    pub(crate) fn forget_plan(
        &mut self,
        name: &PersonName,
        mut each: impl FnMut(&Erasure) -> Result<()>,
    ) -> Result<Traces> {
        self.read(|tx| traces(tx, name, &mut each))
    }

    /// Erases a person's name from every field that holds it: each whole match in free text
    /// becomes "[name removed]", an alias that holds it is removed, and names that identify a
    /// record (an organisation's name or code, a motion's slug) are left for the user and
    /// returned. Then overwrites the freed space, rebuilds the file and empties the
    /// write-ahead log, and reads the file back to make sure the name is gone.
    pub(crate) fn forget(&mut self, name: &PersonName) -> Result<(Traces, Wipe)> {
        self.conn.pragma_update(None, "secure_delete", "ON")?;
        let found = self.write(|tx| {
            traces(tx, name, &mut |erasure| {
                match (&erasure.target, &erasure.after) {
                    (Target::Column { table, column, id }, Some(after)) => {
                        tx.execute(
                            &format!("UPDATE {table} SET {column} = ?2 WHERE id = ?1"),
                            params![id, after],
                        )?;
                    }
                    _ => {
                        if let Target::Alias { key } = &erasure.target {
                            tx.execute("DELETE FROM org_name WHERE key = ?1", [key])?;
                        }
                    }
                }
                Ok(())
            })
        })?;
        let wipe = self.wipe(name, found.kept.is_empty())?;
        Ok((found, wipe))
    }

    /// True when the bytes of the database file or its write-ahead log still hold the name:
    /// as a whole when `whole`, else also as part of a longer word (where it may have been
    /// left by an erase whose wipe could not finish, stored right after another text).
    pub(crate) fn name_in_file(&self, name: &PersonName, whole: bool) -> Result<bool> {
        let Some(path) = self.conn.path().filter(|p| !p.is_empty()) else {
            return Ok(false);
        };
        for file in [path.to_string(), format!("{path}-wal")] {
            let reader = match std::fs::File::open(&file) {
                Ok(reader) => reader,
                Err(err) if err.kind() == std::io::ErrorKind::NotFound => continue,
                Err(err) => return Err(err).with_context(|| format!("reading {file}")),
            };
            if name
                .occurs_in(std::io::BufReader::new(reader), whole)
                .with_context(|| format!("reading {file}"))?
            {
                return Ok(true);
            }
        }
        Ok(false)
    }

    /// Overwrites what was freed, rebuilds the file and folds the write-ahead log back into
    /// it, emptying the log; then, when `check` allows (no record still holds the name), reads
    /// the file back for the name.
    fn wipe(&mut self, name: &PersonName, check: bool) -> Result<Wipe> {
        self.conn.pragma_update(None, "secure_delete", "ON")?;
        let vacuum = self.conn.execute_batch("VACUUM");
        // Fold the log back in even when the rebuild failed: it empties the log of old text.
        self.conn.busy_timeout(CHECKPOINT_WAIT)?;
        let checkpoint = self
            .conn
            .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |row| {
                Ok((
                    row.get::<_, i64>(0)?,
                    row.get::<_, i64>(1)?,
                    row.get::<_, i64>(2)?,
                ))
            });
        self.conn.busy_timeout(super::BUSY_TIMEOUT)?;
        if let Err(err) = vacuum {
            return Ok(match err.sqlite_error_code() {
                Some(rusqlite::ErrorCode::DiskFull) => Wipe::DiskFull,
                Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked) => {
                    Wipe::Blocked
                }
                _ => Wipe::Failed(err.to_string()),
            });
        }
        match checkpoint {
            Ok((0, log, done)) if log == done => {}
            Ok(_) => return Ok(Wipe::Blocked),
            Err(err) if err.sqlite_error_code() == Some(rusqlite::ErrorCode::DatabaseBusy) => {
                return Ok(Wipe::Blocked);
            }
            Err(err) if err.sqlite_error_code() == Some(rusqlite::ErrorCode::DiskFull) => {
                return Ok(Wipe::DiskFull);
            }
            Err(err) => return Ok(Wipe::Failed(err.to_string())),
        }
        // Read the file back: nothing like the name is the proof; the name as a whole word,
        // which no record holds, means something kept it; the name within longer words
        // ("Lee" in "Kathleen") proves nothing either way.
        // The schema's own words (a status such as "moved", a column such as "notes") are in
        // the file too, and prove nothing.
        let schema: String = self.conn.query_row(
            "SELECT coalesce(group_concat(sql, ' '), '') FROM sqlite_schema",
            [],
            |row| row.get(0),
        )?;
        if !check || !name.find(&schema).is_empty() {
            return Ok(Wipe::Done { checked: false });
        }
        Ok(if !self.name_in_file(name, false)? {
            Wipe::Done { checked: true }
        } else if self.name_in_file(name, true)? {
            Wipe::StillInFile
        } else {
            Wipe::Done { checked: false }
        })
    }
}

/// Walks every field that can hold the name, in one snapshot, passing each that does to
/// `each` and counting them.
struct Walk<'a, F> {
    name: &'a PersonName,
    each: F,
    found: Traces,
    last: Option<Holder>,
}

impl<F: FnMut(&Erasure) -> Result<()>> Walk<'_, F> {
    fn text(
        &mut self,
        holder: &Holder,
        field: &'static str,
        (table, column, id): (&'static str, &'static str, i64),
        text: Option<String>,
    ) -> Result<()> {
        let Some(after) = text.as_deref().and_then(|t| self.name.redact(t)) else {
            return Ok(());
        };
        if self.last.as_ref() != Some(holder) {
            self.found.records += 1;
            self.last = Some(holder.clone());
        }
        self.found.fields += 1;
        (self.each)(&Erasure {
            holder: holder.clone(),
            field,
            after: Some(after),
            target: Target::Column { table, column, id },
        })
    }
}

fn traces(
    tx: &Transaction<'_>,
    name: &PersonName,
    each: &mut impl FnMut(&Erasure) -> Result<()>,
) -> Result<Traces> {
    let mut walk = Walk {
        name,
        each,
        found: Traces::default(),
        last: None,
    };

    let mut stmt = tx.prepare(
        "SELECT id, reported_by, notes, source, retraction_reason FROM outcome \
         WHERE coalesce(reported_by, notes, source, retraction_reason) IS NOT NULL ORDER BY id",
    )?;
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        let id: i64 = row.get(0)?;
        let holder = Holder::Outcome(id);
        let at = |column| ("outcome", column, id);
        walk.text(&holder, "reported by", at("reported_by"), row.get(1)?)?;
        walk.text(&holder, "notes", at("notes"), row.get(2)?)?;
        walk.text(&holder, "source", at("source"), row.get(3)?)?;
        walk.text(
            &holder,
            "reason for retraction",
            at("retraction_reason"),
            row.get(4)?,
        )?;
    }

    // The web intake: links' holders, and the reports sent through them.
    let mut stmt = tx.prepare("SELECT id, name FROM reporter ORDER BY id")?;
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        let id: i64 = row.get(0)?;
        walk.text(
            &Holder::Reporter(id),
            "name",
            ("reporter", "name", id),
            row.get(1)?,
        )?;
    }
    let mut stmt = tx.prepare(
        "SELECT id, source, notes, reason FROM submission \
         WHERE coalesce(source, notes, reason) IS NOT NULL ORDER BY id",
    )?;
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        let id: i64 = row.get(0)?;
        let holder = Holder::Submission(id);
        let at = |column| ("submission", column, id);
        walk.text(&holder, "source", at("source"), row.get(1)?)?;
        walk.text(&holder, "notes", at("notes"), row.get(2)?)?;
        walk.text(&holder, "reason for rejection", at("reason"), row.get(3)?)?;
    }

    let mut slugs = Vec::new();
    let mut stmt = tx.prepare("SELECT id, slug, title, text, issued_by FROM motion ORDER BY id")?;
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        let (id, slug): (i64, String) = (row.get(0)?, row.get(1)?);
        let holder = Holder::Motion {
            id,
            slug: slug.clone(),
        };
        let at = |column| ("motion", column, id);
        walk.text(&holder, "title", at("title"), row.get(2)?)?;
        walk.text(&holder, "text", at("text"), row.get(3)?)?;
        walk.text(&holder, "issued by", at("issued_by"), row.get(4)?)?;
        if name.in_slug(&slug) {
            slugs.push(Kept::Slug { id, slug });
        }
    }

    let mut kept = Vec::new();
    let mut stmt = tx.prepare("SELECT id, name, region, union_name, code FROM org ORDER BY id")?;
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        let (id, org): (i64, String) = (row.get(0)?, row.get(1)?);
        let holder = Holder::Org {
            id,
            name: org.clone(),
        };
        let at = |column| ("org", column, id);
        walk.text(&holder, "region", at("region"), row.get(2)?)?;
        walk.text(&holder, "union", at("union_name"), row.get(3)?)?;
        if !name.find(&org).is_empty() {
            kept.push(Kept::OrgName {
                id,
                name: org.clone(),
            });
        }
        if let Some(code) = row.get::<_, Option<String>>(4)?
            && !name.find(&code).is_empty()
        {
            kept.push(Kept::OrgCode {
                id,
                name: org,
                code,
            });
        }
    }

    // An alias is only a way to look an organisation up: one that holds the name goes. The
    // entry for the organisation's own name stays with that name.
    let mut stmt = tx.prepare(
        "SELECT n.key, n.name, o.id, o.name FROM org_name n JOIN org o ON o.id = n.org_id \
         ORDER BY o.id, n.key",
    )?;
    // Read them all before removing any (there are few).
    let aliases: Vec<(String, String, i64, String)> = stmt
        .query_map([], |row| {
            Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?))
        })?
        .collect::<rusqlite::Result<_>>()?;
    for (key, alias, id, org) in aliases {
        if key != name_key(&org) && !name.find(&alias).is_empty() {
            walk.found.aliases += 1;
            (walk.each)(&Erasure {
                holder: Holder::Org { id, name: org },
                field: "alias",
                after: None,
                target: Target::Alias { key },
            })?;
        }
    }
    let mut found = walk.found;
    found.kept = kept;
    found.kept.extend(slugs);
    Ok(found)
}
