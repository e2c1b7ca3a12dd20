//! Bulk writes: an import runs in one IMMEDIATE transaction, row by row, and is committed only
//! when every row was good (and it is not a dry run). Lookups of names and slugs are held in
//! memory for the length of the import; each row costs one index seek and one insert.

use std::collections::HashMap;

use anyhow::Result;
use rusqlite::{Transaction, TransactionBehavior, params};

use super::motion::insert_motion;
use super::org::insert_org;
use super::outcome::{Recorded, insert_outcome, outcome_by_id};
use super::{Store, timestamp, to_word};
use crate::model::{Kind, Motion, NewMotion, NewOrg, NewOutcome, Org, Outcome};

/// The page cache of an import, in KiB (SQLite's negative `cache_size`).
const IMPORT_CACHE_KIB: i64 = -48 * 1024;

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
}

impl Store {
    /// Runs an import; `work` decides whether what it wrote is kept.
    pub(crate) fn import<T>(
        &mut self,
        work: impl FnOnce(&mut Importer<'_>) -> Result<Finish<T>>,
    ) -> Result<T> {
        // A large import touches index pages all over the file: a bigger page cache keeps them
        // in memory instead of writing and re-reading them through the WAL. Foreign keys are
        // not checked row by row: every id written comes from the lookups below, read in the
        // same transaction, and checking would make SQLite keep a journal for every statement.
        self.conn
            .pragma_update(None, "cache_size", IMPORT_CACHE_KIB)?;
        self.conn.pragma_update(None, "temp_store", "MEMORY")?;
        self.conn.pragma_update(None, "foreign_keys", "OFF")?;
        let result = self.run_import(work);
        self.conn.pragma_update(None, "foreign_keys", "ON")?;
        result
    }

    fn run_import<T>(
        &mut self,
        work: impl FnOnce(&mut Importer<'_>) -> Result<Finish<T>>,
    ) -> Result<T> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let first_new: i64 =
            tx.query_row("SELECT coalesce(max(id), 0) + 1 FROM outcome", [], |r| {
                r.get(0)
            })?;
        let finish = work(&mut Importer {
            tx: &tx,
            recorded_at: timestamp(),
            first_new,
        })?;
        match finish {
            Finish::Commit(value) => {
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
        insert_outcome(self.tx, new, &self.recorded_at, true)
    }
}
