//! Bulk writes: an import runs in one IMMEDIATE transaction, row by row, and is committed only
//! when every row was good (and it is not a dry run). Lookups of names and slugs are held in
//! memory for the length of the import; each row costs one index seek and one insert.

use std::collections::HashMap;

use anyhow::Result;
use rusqlite::{OptionalExtension, Transaction, TransactionBehavior, params};

use super::motion::insert_motion;
use super::org::insert_org;
use super::outcome::{Recorded, insert_outcome_standing, outcome_by_id};
use super::{Store, timestamp, to_word};
use crate::model::{Kind, Motion, NewMotion, NewOrg, NewOutcome, Org, Outcome};

/// The page cache of an import, in KiB (SQLite's negative `cache_size`).
const IMPORT_CACHE_KIB: i64 = -48 * 1024;

/// Indexes of the history that none of an import's own lookups reads. A large import sets them
/// aside and builds them again before it commits: one sort costs less than keeping them up to
/// date row by row, with their pages all over the cache. The import commits with them or not
/// at all, and building the unique one again proves the import left one decision per meeting.
const SET_ASIDE: [&str; 2] = ["outcome_by_org", "one_decision_per_meeting"];

/// An import sets those indexes aside once it has added this many outcomes, or as many as the
/// history held before it if that is more: building them again then costs less than keeping
/// them would have. (Unit tests set them aside sooner, to see it done.)
const SET_ASIDE_AFTER: i64 = if cfg!(test) { 100 } else { 10_000 };

/// How an import ends.
pub(crate) enum Finish<T> {
    /// Keep everything written.
    Commit(T),
    /// Write nothing (problems were found, or it is a dry run).
    RollBack(T),
}

/// An org as imports look it up: by the key of any of its names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct OrgRef {
    pub(crate) id: i64,
    pub(crate) name: String,
    pub(crate) kind: Kind,
}

/// The open transaction of an import.
pub(crate) struct Importer<'tx> {
    tx: &'tx Transaction<'tx>,
    /// When this import's outcomes were recorded: one time for all of them.
    recorded_at: String,
    /// The id of the first outcome this import adds.
    first_new: i64,
    /// Outcomes added so far, and how many make it worth setting indexes aside.
    added: i64,
    set_aside_after: i64,
    /// The indexes set aside, as `sqlite_schema` states them, to be made again.
    set_aside: Vec<String>,
}

impl Store {
    /// Runs an import; `work` decides whether what it wrote is kept.
    pub(crate) fn import<T>(
        &mut self,
        work: impl FnOnce(&mut Importer<'_>) -> Result<Finish<T>>,
    ) -> Result<T> {
        self.refuse_if_blocked()?;
        // A large import touches index pages all over the file: a bigger page cache keeps them
        // in memory instead of writing and re-reading them through the WAL.
        self.conn
            .pragma_update(None, "cache_size", IMPORT_CACHE_KIB)?;
        self.conn.pragma_update(None, "temp_store", "MEMORY")?;
        self.run_import(work)
    }

    fn run_import<T>(
        &mut self,
        work: impl FnOnce(&mut Importer<'_>) -> Result<Finish<T>>,
    ) -> Result<T> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        // Foreign keys stay on, as for every write, but are counted row by row and checked
        // once, at the commit, which fails if any row written points at nothing. Checked
        // statement by statement, they would make SQLite copy every page each insert touches
        // into a journal, to undo that statement alone. The pragma lasts to the transaction's
        // end.
        tx.pragma_update(None, "defer_foreign_keys", true)?;
        let first_new: i64 =
            tx.query_row("SELECT coalesce(max(id), 0) + 1 FROM outcome", [], |r| {
                r.get(0)
            })?;
        let mut importer = Importer {
            tx: &tx,
            recorded_at: timestamp(),
            first_new,
            added: 0,
            set_aside_after: SET_ASIDE_AFTER.max(first_new - 1),
            set_aside: Vec::new(),
        };
        let finish = work(&mut importer)?;
        match finish {
            Finish::Commit(value) => {
                importer.restore_indexes()?;
                tx.commit()?;
                Ok(value)
            }
            Finish::RollBack(value) => Ok(value),
        }
    }
}

impl Importer<'_> {
    /// Every name and alias in the registry, by key.
    pub(crate) fn org_index(&self) -> Result<HashMap<String, OrgRef>> {
        let mut stmt = self.tx.prepare(
            "SELECT n.key, o.id, o.name, o.kind FROM org_name n JOIN org o ON o.id = n.org_id",
        )?;
        let mut rows = stmt.query([])?;
        let mut index = HashMap::new();
        while let Some(row) = rows.next()? {
            let org = OrgRef {
                id: row.get(1)?,
                name: row.get(2)?,
                kind: to_word(row.get(3)?)?,
            };
            index.insert(row.get(0)?, org);
        }
        Ok(index)
    }

    /// Every code in the registry, in upper case.
    pub(crate) fn codes(&self) -> Result<std::collections::HashSet<String>> {
        let mut stmt = self
            .tx
            .prepare("SELECT upper(code) FROM org WHERE code IS NOT NULL")?;
        let codes = stmt
            .query_map([], |row| row.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(codes)
    }

    /// Every motion, by slug.
    pub(crate) fn motion_index(&self) -> Result<HashMap<String, i64>> {
        let mut stmt = self.tx.prepare("SELECT slug, id FROM motion")?;
        let index = stmt
            .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(index)
    }

    pub(crate) fn add_motion(&mut self, new: &NewMotion) -> Result<Motion> {
        insert_motion(self.tx, new)
    }

    pub(crate) fn add_org(&mut self, new: &NewOrg) -> Result<Org> {
        insert_org(self.tx, new)
    }

    pub(crate) fn set_parent(&mut self, org_id: i64, parent_id: i64) -> Result<()> {
        self.tx.execute(
            "UPDATE org SET parent_id = ?2 WHERE id = ?1",
            params![org_id, parent_id],
        )?;
        Ok(())
    }

    /// One event, by id.
    pub(crate) fn outcome(&self, id: i64) -> Result<Option<Outcome>> {
        outcome_by_id(self.tx, id)
    }

    /// True when the outcome `id` was added by this import.
    pub(crate) fn is_new(&self, id: i64) -> bool {
        id >= self.first_new
    }

    pub(crate) fn add_outcome(&mut self, new: &NewOutcome) -> Result<Recorded> {
        let large = !self.set_aside.is_empty();
        let recorded = insert_outcome_standing(self.tx, new, &self.recorded_at, true, !large)?;
        if let Recorded::Added(_) = recorded {
            self.added += 1;
            if self.added == self.set_aside_after {
                self.set_indexes_aside()?;
            }
        }
        Ok(recorded)
    }

    /// Drops the indexes of [`SET_ASIDE`], keeping what makes them, within the transaction.
    fn set_indexes_aside(&mut self) -> Result<()> {
        for name in SET_ASIDE {
            let sql: Option<String> = self
                .tx
                .query_row(
                    "SELECT sql FROM sqlite_schema WHERE type = 'index' AND name = ?1",
                    [name],
                    |row| row.get(0),
                )
                .optional()?;
            if let Some(sql) = sql {
                self.tx.execute_batch(&format!("DROP INDEX \"{name}\""))?;
                self.set_aside.push(sql);
            }
        }
        Ok(())
    }

    /// Makes the indexes set aside again, as they were stated, and (after a large import, which
    /// stops keeping it row by row) the standing of every pair the import touched.
    fn restore_indexes(&mut self) -> Result<()> {
        if !self.set_aside.is_empty() {
            restand_from(self.tx, self.first_new)?;
        }
        for sql in self.set_aside.drain(..) {
            self.tx.execute_batch(&sql).map_err(|err| {
                if super::is_unique_violation(&err) {
                    anyhow::anyhow!(
                        "this import would leave two decisions for one meeting, which the \
                         database refuses; nothing was imported ({err})"
                    )
                } else {
                    err.into()
                }
            })?;
        }
        Ok(())
    }
}

/// Rebuilds the standing of every pair with an event from `first_new` on: its latest event not
/// retracted (latest meeting date, then the larger id), in one pass over the history.
fn restand_from(tx: &Transaction<'_>, first_new: i64) -> Result<()> {
    tx.execute_batch(
        "CREATE TEMP TABLE IF NOT EXISTS touched (motion_id INTEGER, org_id INTEGER, \
                                                  PRIMARY KEY (motion_id, org_id)) WITHOUT ROWID;
         DELETE FROM temp.touched;",
    )?;
    tx.execute(
        "INSERT OR IGNORE INTO temp.touched SELECT motion_id, org_id FROM outcome WHERE id >= ?1",
        [first_new],
    )?;
    tx.execute_batch(
        "DELETE FROM standing WHERE (motion_id, org_id) IN (SELECT motion_id, org_id FROM temp.touched);
         INSERT INTO standing (motion_id, org_id, outcome_id, status, meeting_date)
         SELECT motion_id, org_id, id, status, meeting_date FROM (
             SELECT e.motion_id, e.org_id, e.id, e.status, e.meeting_date,
                    row_number() OVER (PARTITION BY e.motion_id, e.org_id
                                       ORDER BY e.meeting_date DESC, e.id DESC) AS n
             FROM temp.touched t
             JOIN outcome e ON e.motion_id = t.motion_id AND e.org_id = t.org_id
             WHERE e.retracted_at IS NULL)
         WHERE n = 1;
         DELETE FROM temp.touched;",
    )?;
    Ok(())
}
