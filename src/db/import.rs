//! Bulk writes: an import runs in one IMMEDIATE transaction, row by row, and is committed only
//! when every row was good (and it is not a dry run). Lookups of names and slugs are held in
//! memory for the length of the import.
//!
//! Each outcome is checked against the events of its meeting (a repeat is skipped, a
//! contradiction refused) by the one rule of [`same_day_rule`]. A small import asks the history
//! row by row, one index seek each. A large one, once it has added more outcomes than the
//! history held, stops: it sets the history's indexes aside, appends its outcomes, and at the
//! end ([`Importer::settle`]) sorts the events of the history and of the import by meeting and
//! puts each of its own to the same rule, in the order they were recorded. The history is then
//! read once, not sought a million times, and the indexes are built again by one sort each.

use std::collections::HashMap;

use anyhow::{Result, bail};
use chrono::NaiveDate;
use rusqlite::{OptionalExtension, Transaction, TransactionBehavior, params};

use super::motion::insert_motion;
use super::org::{insert_org, org_id};
use super::outcome::{
    Recorded, SameDay, insert_checked, insert_outcome, outcome_by_id, same_day_rule,
};
use super::{DateText, Store, timestamp, to_date, to_word};
use crate::model::{Kind, Motion, NewMotion, NewOrg, NewOutcome, Org, Outcome, Status};

/// The page cache of an import, in KiB (SQLite's negative `cache_size`).
const IMPORT_CACHE_KIB: i64 = -48 * 1024;

/// The indexes of the history. A large import sets them aside and builds them again before it
/// commits: one sort costs less than keeping them up to date row by row, with their pages all
/// over the cache. The import commits with them or not at all, and building the unique one
/// again proves the import left one decision per meeting.
const SET_ASIDE: [&str; 3] = [
    "outcome_by_pair",
    "outcome_by_org",
    "one_decision_per_meeting",
];

/// An import sets those indexes aside once it has added this many outcomes, or as many as the
/// history held before it if that is more: reading the whole history once and building the
/// indexes again then costs less than seeking and keeping them would have. (Unit tests set
/// them aside much sooner, so that the property tests put the way large imports check their
/// rows to the test.)
const SET_ASIDE_AFTER: i64 = if cfg!(test) { 3 } else { 10_000 };

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

/// What became of an outcome a large import added without checking it against its meeting,
/// once [`Importer::settle`] has: taken out again, it is not part of the import.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Settled {
    /// A repeat of `event`; `differences` are the details the line gives that `event` does
    /// not have.
    Repeat {
        line: u64,
        event: i64,
        differences: Vec<String>,
    },
    /// A decision contradicting `event`, which says `status`.
    Contradicts {
        line: u64,
        new: Status,
        date: NaiveDate,
        event: i64,
        status: Status,
    },
}

/// One event, as a large import sorts the history to check its own outcomes: 32 bytes.
#[derive(Debug, Clone, Copy)]
struct Event {
    motion_id: i64,
    org_id: i64,
    date: NaiveDate,
    id: i64,
    status: Status,
    retracted: bool,
}

impl Event {
    fn same_day(&self) -> SameDay {
        SameDay {
            id: self.id,
            status: self.status,
            retracted: self.retracted,
        }
    }
}

/// The open transaction of an import.
pub(crate) struct Importer<'tx> {
    tx: &'tx Transaction<'tx>,
    /// When this import's outcomes were recorded: one time for all of them.
    recorded_at: String,
    /// The id of the first outcome this import adds.
    first_new: i64,
    /// The line of each outcome this import added, by its id less `first_new` (ids run on
    /// without a gap: nothing else adds outcomes while the import holds the write lock).
    lines: Vec<u64>,
    /// Outcomes added so far, and how many make it worth setting indexes aside.
    added: i64,
    set_aside_after: i64,
    /// The indexes set aside, as `sqlite_schema` states them, to be made again.
    set_aside: Vec<String>,
    /// Once the indexes are set aside: the id from which outcomes were added unchecked, and
    /// every event of the history and of the import, to check them against at the end.
    unchecked: Option<(i64, Vec<Event>)>,
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
            lines: Vec::new(),
            added: 0,
            set_aside_after: SET_ASIDE_AFTER.max(first_new - 1),
            set_aside: Vec::new(),
            unchecked: None,
        };
        let finish = work(&mut importer)?;
        match finish {
            Finish::Commit(value) => {
                if importer.unchecked.is_some() {
                    bail!("an import added outcomes it never checked; nothing was imported");
                }
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

    /// Sets the indexes aside once `added` outcomes are added, whatever the history holds: for
    /// tests of the two ways of checking outcomes against their meetings.
    #[cfg(test)]
    pub(crate) fn set_aside_after(&mut self, added: i64) {
        self.set_aside_after = added;
    }

    /// The line of the file an outcome this import added came from.
    pub(crate) fn line_of(&self, id: i64) -> Option<u64> {
        let index = usize::try_from(id.checked_sub(self.first_new)?).ok()?;
        self.lines.get(index).copied()
    }

    /// Adds an outcome, from line `line` of the file. Until the indexes are set aside, it is
    /// checked against its meeting first; after, [`Importer::settle`] checks it.
    pub(crate) fn add_outcome(&mut self, new: &NewOutcome, line: u64) -> Result<Recorded> {
        let recorded = match &mut self.unchecked {
            Some((_, events)) => {
                let org_id = org_id(self.tx, new.org())?;
                let date = new.meeting_date();
                let added = insert_checked(
                    self.tx,
                    new,
                    org_id,
                    DateText::new(date).as_str(),
                    &self.recorded_at,
                    false,
                )?;
                if let Recorded::Added(id) = added {
                    events.push(Event {
                        motion_id: new.motion_id(),
                        org_id,
                        date,
                        id,
                        status: new.status(),
                        retracted: false,
                    });
                }
                added
            }
            None => insert_outcome(self.tx, new, &self.recorded_at, true)?,
        };
        if let Recorded::Added(id) = recorded {
            debug_assert_eq!(id - self.first_new, self.lines.len() as i64);
            self.lines.push(line);
            self.added += 1;
            if self.added == self.set_aside_after {
                self.set_indexes_aside()?;
            }
        }
        Ok(recorded)
    }

    /// Drops the indexes of [`SET_ASIDE`], keeping what makes them, within the transaction,
    /// and reads every event of the history, to check the outcomes added from now on against.
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
        let mut stmt = self.tx.prepare(
            "SELECT motion_id, org_id, meeting_date, id, status, retracted_at IS NOT NULL \
             FROM outcome",
        )?;
        // Room for the history, and as many events again from the import.
        let held = usize::try_from(self.first_new - 1 + self.added).unwrap_or_default();
        let mut events = Vec::with_capacity(held.saturating_mul(2));
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            events.push(Event {
                motion_id: row.get(0)?,
                org_id: row.get(1)?,
                date: to_date(row.get(2)?)?.unwrap_or_default(),
                id: row.get(3)?,
                status: to_word(row.get(4)?)?,
                retracted: row.get(5)?,
            });
        }
        let from = self.first_new + self.added;
        self.unchecked = Some((from, events));
        Ok(())
    }

    /// Checks the outcomes added unchecked against the events of their meetings, as
    /// [`same_day_rule`] would have row by row, in the order they were added: each repeat or
    /// contradiction is taken out again and returned, in the order of the lines. The rest stand
    /// as the rule of the latest meeting says. Must be called before the import commits.
    pub(crate) fn settle(&mut self) -> Result<Vec<Settled>> {
        let Some((from, mut events)) = self.unchecked.take() else {
            return Ok(Vec::new());
        };
        events.sort_unstable_by_key(|e| (e.motion_id, e.org_id, e.date, e.id));
        let mut found: Vec<(i64, Recorded, Event)> = Vec::new();
        let mut meeting: Vec<SameDay> = Vec::new();
        let mut stands: Vec<Event> = Vec::new();
        for pair in events.chunk_by(|a, b| (a.motion_id, a.org_id) == (b.motion_id, b.org_id)) {
            // The latest event not retracted, and whether the import added to the pair.
            let mut latest: Option<&Event> = None;
            let mut touched = false;
            for day in pair.chunk_by(|a, b| a.date == b.date) {
                meeting.clear();
                for event in day {
                    if event.id >= from {
                        if let Some(verdict) = same_day_rule(&meeting, event.status, true) {
                            found.push((event.id, verdict, *event));
                            continue;
                        }
                        touched = true;
                    }
                    meeting.push(event.same_day());
                    if !event.retracted {
                        latest = Some(event);
                    }
                }
            }
            if let (true, Some(e)) = (touched, latest) {
                stands.push(*e);
            }
        }
        drop(events);
        found.sort_unstable_by_key(|(id, ..)| *id);
        let mut settled = Vec::with_capacity(found.len());
        let mut taken_out = Vec::with_capacity(found.len());
        for (id, verdict, event) in found {
            let line = self.line_of(id).unwrap_or_default();
            settled.push(match verdict {
                Recorded::AlreadyThere(earlier) => {
                    let differences = match (
                        outcome_by_id(self.tx, earlier)?,
                        outcome_by_id(self.tx, id)?,
                    ) {
                        (Some(there), Some(here)) => there.differences(here.details()),
                        _ => Vec::new(),
                    };
                    Settled::Repeat {
                        line,
                        event: earlier,
                        differences,
                    }
                }
                Recorded::Contradicts {
                    event: earlier,
                    status,
                } => Settled::Contradicts {
                    line,
                    new: event.status,
                    date: event.date,
                    event: earlier,
                    status,
                },
                Recorded::Added(_) => continue,
            });
            taken_out.push(id);
        }
        self.take_out(&taken_out)?;
        // In the order of the history, each event a row of the table looks up is on a page
        // the one before it looked at.
        stands.sort_unstable_by_key(|e| e.id);
        let mut stand = self.tx.prepare_cached(
            "INSERT INTO standing (motion_id, org_id, outcome_id, status, meeting_date) \
             VALUES (?1, ?2, ?3, ?4, ?5) \
             ON CONFLICT (motion_id, org_id) DO UPDATE \
                 SET outcome_id = excluded.outcome_id, status = excluded.status, \
                     meeting_date = excluded.meeting_date",
        )?;
        for e in stands {
            stand.execute(params![
                e.motion_id,
                e.org_id,
                e.id,
                e.status.as_str(),
                DateText::new(e.date).as_str()
            ])?;
        }
        Ok(settled)
    }

    /// Takes out again outcomes this import added. SQLite then looks for the rows that refer
    /// to each, in `standing` and `submission`, which have no index by event: for more than a
    /// few, one is made for the length of this write, so that each look is a seek and not a
    /// reading of the whole table.
    fn take_out(&self, ids: &[i64]) -> Result<()> {
        const BY_EVENT: [(&str, &str); 2] = [
            ("import_standing_by_outcome", "standing"),
            ("import_submission_by_outcome", "submission"),
        ];
        let indexed = ids.len() > 64;
        if indexed {
            for (index, table) in BY_EVENT {
                self.tx
                    .execute_batch(&format!("CREATE INDEX {index} ON {table}(outcome_id)"))?;
            }
        }
        {
            let mut take_out = self
                .tx
                .prepare_cached("DELETE FROM outcome WHERE id = ?1")?;
            for id in ids {
                take_out.execute([id])?;
            }
        }
        if indexed {
            for (index, _) in BY_EVENT {
                self.tx.execute_batch(&format!("DROP INDEX {index}"))?;
            }
        }
        Ok(())
    }

    /// Makes the indexes set aside again, as they were stated.
    fn restore_indexes(&mut self) -> Result<()> {
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
