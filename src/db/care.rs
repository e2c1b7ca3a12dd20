//! Looking after the database: checking it, copying it while others write, and erasing a
//! person's name from it.

use std::path::Path;

use anyhow::{Context, Result, bail};
use rusqlite::backup::Backup;
use rusqlite::{Connection, params};

use super::Store;
use crate::files;
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
        if target.is_dir() {
            bail!(
                "{} is a folder; give the backup a file name",
                target.display()
            );
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
