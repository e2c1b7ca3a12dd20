//! Looking after the database: checking it, copying it while others write, and erasing a
//! person's name from it.

use std::path::Path;

use anyhow::{Context, Result, bail};
use rusqlite::backup::Backup;
use rusqlite::{Connection, params};

use super::Store;
use crate::model::{find_name, name_key};

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

    /// Erases a person's name wherever it is stored: as the reporter of an outcome (whatever
    /// else the field says), and within notes, sources and reasons for retraction, where it is
    /// replaced by "[name removed]". Then wipes the freed space and rebuilds the file, so the name
    /// is gone from the file itself. Returns how many reporter fields and texts changed.
    pub(crate) fn forget(&mut self, name: &str) -> Result<(u64, u64)> {
        self.conn.pragma_update(None, "secure_delete", "ON")?;
        let key = name_key(name);
        let (reporters, texts) = self.write(|tx| {
            let mut rows = Vec::new();
            {
                let mut stmt = tx.prepare(
                    "SELECT id, reported_by, notes, source, retraction_reason FROM outcome \
                     WHERE coalesce(reported_by, notes, source, retraction_reason) IS NOT NULL",
                )?;
                let mut query = stmt.query([])?;
                while let Some(row) = query.next()? {
                    let texts: [Option<String>; 4] =
                        [row.get(1)?, row.get(2)?, row.get(3)?, row.get(4)?];
                    rows.push((row.get::<_, i64>(0)?, texts));
                }
            }
            let (mut reporters, mut texts) = (0u64, 0u64);
            for (id, [reporter, notes, source, reason]) in rows {
                if reporter
                    .as_deref()
                    .is_some_and(|r| !find_name(r, name).is_empty() || name_key(r) == key)
                {
                    tx.execute("UPDATE outcome SET reported_by = NULL WHERE id = ?1", [id])?;
                    reporters += 1;
                }
                for (column, text) in [
                    ("notes", notes),
                    ("source", source),
                    ("retraction_reason", reason),
                ] {
                    let Some(text) = text else { continue };
                    let spans = find_name(&text, name);
                    if spans.is_empty() {
                        continue;
                    }
                    let mut erased = text.clone();
                    for span in spans.into_iter().rev() {
                        erased.replace_range(span, "[name removed]");
                    }
                    tx.execute(
                        &format!("UPDATE outcome SET {column} = ?2 WHERE id = ?1"),
                        params![id, erased],
                    )?;
                    texts += 1;
                }
            }
            Ok((reporters, texts))
        })?;
        // Rebuild the file so no freed page keeps the old text, and fold the log back in so
        // the write-ahead log does not keep it either.
        self.conn.execute_batch("VACUUM")?;
        self.conn
            .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
        Ok((reporters, texts))
    }
}
