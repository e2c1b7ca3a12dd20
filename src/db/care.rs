//! Looking after the database: checking it, copying it while others write, and erasing a
//! person's name from it.

use std::path::Path;

use anyhow::{Context, Result, bail};
use rusqlite::backup::Backup;
use rusqlite::{Connection, Transaction, params};

use super::Store;
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

/// One check `motions check` makes, and what it found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Finding {
    pub(crate) check: &'static str,
    /// Empty when all is well.
    pub(crate) problems: Vec<String>,
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

    /// SQLite's own checks and the tool's invariants.
    pub(crate) fn check(&mut self) -> Result<Vec<Finding>> {
        let mut findings = Vec::new();
        let integrity: Vec<String> = self
            .conn
            .prepare("PRAGMA integrity_check")?
            .query_map([], |row| row.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        findings.push(Finding {
            check: "SQLite integrity check (every page and index readable and consistent)",
            problems: integrity.into_iter().filter(|line| line != "ok").collect(),
        });
        let foreign: Vec<String> = self
            .conn
            .prepare("PRAGMA foreign_key_check")?
            .query_map([], |row| {
                Ok(format!(
                    "{} row {} points at a missing {}",
                    row.get::<_, String>(0)?,
                    row.get::<_, i64>(1)?,
                    row.get::<_, String>(2)?
                ))
            })?
            .collect::<rusqlite::Result<_>>()?;
        findings.push(Finding {
            check: "references between tables (foreign keys)",
            problems: foreign,
        });
        let standing: Vec<String> = self
            .conn
            .prepare(
                "WITH latest AS ( \
                   SELECT motion_id, org_id, id, status, meeting_date, row_number() OVER ( \
                     PARTITION BY motion_id, org_id ORDER BY meeting_date DESC, id DESC) AS n \
                   FROM outcome WHERE retracted_at IS NULL) \
                 SELECT l.motion_id, l.org_id, l.id, s.outcome_id FROM latest l \
                   LEFT JOIN standing s ON s.motion_id = l.motion_id AND s.org_id = l.org_id \
                   WHERE l.n = 1 AND (s.outcome_id IS NOT l.id OR s.status IS NOT l.status \
                                      OR s.meeting_date IS NOT l.meeting_date) \
                 UNION ALL \
                 SELECT s.motion_id, s.org_id, NULL, s.outcome_id FROM standing s \
                   WHERE NOT EXISTS (SELECT 1 FROM outcome e WHERE e.motion_id = s.motion_id \
                                     AND e.org_id = s.org_id AND e.retracted_at IS NULL)",
            )?
            .query_map([], |row| {
                Ok(format!(
                    "motion {} and org {}: the latest event is {:?} but the current status says {:?}",
                    row.get::<_, i64>(0)?,
                    row.get::<_, i64>(1)?,
                    row.get::<_, Option<i64>>(2)?,
                    row.get::<_, Option<i64>>(3)?
                ))
            })?
            .collect::<rusqlite::Result<_>>()?;
        findings.push(Finding {
            check: "every current status is the latest event not retracted",
            problems: standing,
        });
        let mut names = Vec::new();
        let orgs: Vec<(i64, String)> = self
            .conn
            .prepare("SELECT id, name FROM org")?
            .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        for (id, name) in orgs {
            let found: i64 = self.conn.query_row(
                "SELECT count(*) FROM org_name WHERE org_id = ?1 AND key = ?2",
                params![id, name_key(&name)],
                |row| row.get(0),
            )?;
            if found == 0 {
                names.push(format!(
                    "\"{name}\" (org {id}) is not found by its own name"
                ));
            }
        }
        findings.push(Finding {
            check: "every organisation is found by its own name",
            problems: names,
        });
        Ok(findings)
    }

    /// A consistent copy of the database at `target`, readable by the owner only, made with
    /// SQLite's online backup while others may be writing. An existing file is replaced only
    /// when `force` is given, and only once the copy is complete.
    pub(crate) fn backup_to(&mut self, target: &Path, force: bool) -> Result<()> {
        if target.exists() && !force {
            bail!(
                "{} already exists; give another name, or add --force to replace it",
                target.display()
            );
        }
        let folder = match target.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        };
        if !folder.is_dir() {
            bail!("there is no folder {} for the backup", folder.display());
        }
        // tempfile makes the file readable by its owner only, and SQLite keeps that mode.
        let temp = tempfile::NamedTempFile::new_in(folder).context("creating the backup file")?;
        {
            let mut copy = Connection::open(temp.path()).context("opening the backup file")?;
            let backup = Backup::new(&self.conn, &mut copy)?;
            // One step copies every page within one read of the database: a consistent copy
            // that other writers cannot restart.
            backup.step(-1).context("copying the database")?;
        }
        let persisted = if force {
            temp.persist(target)
        } else {
            temp.persist_noclobber(target)
        };
        persisted
            .map_err(|err| err.error)
            .with_context(|| format!("writing {}", target.display()))?;
        Ok(())
    }
}

/// A record that holds a person's name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Holder {
    Outcome(i64),
    Motion { id: i64, slug: String },
    Org { id: i64, name: String },
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

/// Everything that names a person: what `forget` erases, and what it leaves to the user.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Traces {
    pub(crate) erasures: Vec<Erasure>,
    pub(crate) kept: Vec<Kept>,
}

/// Whether the old text is gone from the file once the records are changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Wipe {
    /// Freed space overwritten, the file rebuilt and the write-ahead log emptied; `checked` when
    /// the bytes of the file were then read and the name was not in them.
    Done { checked: bool },
    /// Another connection was reading, so the log could not be folded back and emptied.
    Blocked,
    /// The file could not be rebuilt (the disk is full, say).
    Failed(String),
    /// The file was rebuilt, yet the name is still in its bytes.
    StillInFile,
}

/// How long the wipe waits for readers to finish before saying it could not empty the log.
const CHECKPOINT_WAIT: std::time::Duration = std::time::Duration::from_secs(5);

impl Store {
    /// Every record that holds the name, and what `forget` would make of it; changes nothing.
    pub(crate) fn forget_plan(&mut self, name: &PersonName) -> Result<Traces> {
        self.read(|tx| traces(tx, name))
    }

    /// Erases a person's name from every field that holds it: each whole match in free text
    /// becomes "[name removed]", an alias that holds it is removed, and names that identify a
    /// record (an organisation's name or code, a motion's slug) are left for the user and
    /// returned. Then overwrites the freed space, rebuilds the file and empties the
    /// write-ahead log, and reads the file back to make sure the name is gone.
    pub(crate) fn forget(&mut self, name: &PersonName) -> Result<(Traces, Wipe)> {
        self.conn.pragma_update(None, "secure_delete", "ON")?;
        let found = self.write(|tx| {
            let found = traces(tx, name)?;
            for erasure in &found.erasures {
                match &erasure.target {
                    Target::Column { table, column, id } => {
                        tx.execute(
                            &format!("UPDATE {table} SET {column} = ?2 WHERE id = ?1"),
                            params![id, erasure.after],
                        )?;
                    }
                    Target::Alias { key } => {
                        tx.execute("DELETE FROM org_name WHERE key = ?1", [key])?;
                    }
                }
            }
            Ok(found)
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
        if let Err(err) = self.conn.execute_batch("VACUUM") {
            let why = match err.sqlite_error_code() {
                Some(rusqlite::ErrorCode::DiskFull) => "the disk is full".to_string(),
                _ => err.to_string(),
            };
            return Ok(Wipe::Failed(why));
        }
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
        match checkpoint {
            Ok((0, log, done)) if log == done => {}
            Ok(_) => return Ok(Wipe::Blocked),
            Err(err) if err.sqlite_error_code() == Some(rusqlite::ErrorCode::DatabaseBusy) => {
                return Ok(Wipe::Blocked);
            }
            Err(err) => return Ok(Wipe::Failed(err.to_string())),
        }
        // Read the file back: nothing like the name is the proof; the name as a whole word,
        // which no record holds, means something kept it; the name within longer words
        // ("Lee" in "Kathleen") proves nothing either way.
        if !check {
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

/// Every field that holds the name, read in one snapshot.
fn traces(tx: &Transaction<'_>, name: &PersonName) -> Result<Traces> {
    let mut found = Traces::default();
    let mut column = |holder: &Holder,
                      field: &'static str,
                      table: &'static str,
                      column: &'static str,
                      id: i64,
                      text: Option<String>| {
        if let Some(after) = text.as_deref().and_then(|t| name.redact(t)) {
            found.erasures.push(Erasure {
                holder: holder.clone(),
                field,
                after: Some(after),
                target: Target::Column { table, column, id },
            });
        }
    };

    let mut stmt = tx.prepare(
        "SELECT id, reported_by, notes, source, retraction_reason FROM outcome \
         WHERE coalesce(reported_by, notes, source, retraction_reason) IS NOT NULL ORDER BY id",
    )?;
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        let id: i64 = row.get(0)?;
        let holder = Holder::Outcome(id);
        column(&holder, "reported by", "outcome", "reported_by", id, row.get(1)?);
        column(&holder, "notes", "outcome", "notes", id, row.get(2)?);
        column(&holder, "source", "outcome", "source", id, row.get(3)?);
        column(&holder, "reason for retraction", "outcome", "retraction_reason", id, row.get(4)?);
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
        column(&holder, "title", "motion", "title", id, row.get(2)?);
        column(&holder, "text", "motion", "text", id, row.get(3)?);
        column(&holder, "issued by", "motion", "issued_by", id, row.get(4)?);
        if name.in_slug(&slug) {
            slugs.push(Kept::Slug { id, slug });
        }
    }

    let mut kept = Vec::new();
    let mut stmt =
        tx.prepare("SELECT id, name, region, union_name, code FROM org ORDER BY id")?;
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        let (id, org): (i64, String) = (row.get(0)?, row.get(1)?);
        let holder = Holder::Org {
            id,
            name: org.clone(),
        };
        column(&holder, "region", "org", "region", id, row.get(2)?);
        column(&holder, "union", "org", "union_name", id, row.get(3)?);
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
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        let (key, alias, id, org): (String, String, i64, String) =
            (row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?);
        if key != name_key(&org) && !name.find(&alias).is_empty() {
            found.erasures.push(Erasure {
                holder: Holder::Org { id, name: org },
                field: "alias",
                after: None,
                target: Target::Alias { key },
            });
        }
    }
    found.kept = kept;
    found.kept.extend(slugs);
    Ok(found)
}
