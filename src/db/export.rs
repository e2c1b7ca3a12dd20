//! Streaming the tables out in the stable order exports promise, one row at a time.

use std::io;

use anyhow::Result;
use rusqlite::params;

use super::{Store, to_date, to_word};
use crate::model::{Motion, Org, Outcome, Votes};

impl Store {
    /// Every motion, by slug.
    pub(crate) fn each_motion(
        &mut self,
        mut each: impl FnMut(&Motion) -> io::Result<()>,
    ) -> Result<()> {
        self.read(|tx| {
            let mut stmt = tx.prepare(
                "SELECT id, slug, title, text, issued_by, issued_on, deadline FROM motion ORDER BY slug",
            )?;
            let mut rows = stmt.query([])?;
            while let Some(row) = rows.next()? {
                let motion = Motion {
                    id: row.get(0)?,
                    slug: row.get(1)?,
                    title: row.get(2)?,
                    text: row.get(3)?,
                    issued_by: row.get(4)?,
                    issued_on: to_date(row.get(5)?)?,
                    deadline: to_date(row.get(6)?)?,
                };
                each(&motion)?;
            }
            Ok(())
        })
    }

    /// Every org, by name (case aside).
    pub(crate) fn each_org(&mut self, mut each: impl FnMut(&Org) -> io::Result<()>) -> Result<()> {
        self.read(|tx| {
            let mut stmt = tx.prepare(
                "SELECT o.id, o.name, o.kind, o.region, o.union_name, p.name, o.code \
                 FROM org o LEFT JOIN org p ON p.id = o.parent_id ORDER BY o.name COLLATE NOCASE, o.id",
            )?;
            let mut rows = stmt.query([])?;
            while let Some(row) = rows.next()? {
                let org = Org {
                    id: row.get(0)?,
                    name: row.get(1)?,
                    kind: to_word(row.get(2)?)?,
                    region: row.get(3)?,
                    union: row.get(4)?,
                    parent: row.get(5)?,
                    code: row.get(6)?,
                };
                each(&org)?;
            }
            Ok(())
        })
    }

    /// How many events an export of outcomes will write.
    pub(crate) fn count_outcomes(&mut self, motion_id: Option<i64>) -> Result<u64> {
        self.read(|tx| {
            let n: i64 = tx.query_row(
                "SELECT count(*) FROM outcome WHERE ?1 IS NULL OR motion_id = ?1",
                [motion_id],
                |row| row.get(0),
            )?;
            Ok(n as u64)
        })
    }

    /// Every event (of one motion, when given), by motion, organisation, meeting date, then in
    /// the order of recording: imported into an empty database, the same histories result.
    pub(crate) fn each_outcome(
        &mut self,
        motion_id: Option<i64>,
        mut each: impl FnMut(&Outcome) -> io::Result<()>,
    ) -> Result<()> {
        self.read(|tx| {
            let mut stmt = tx.prepare(
                "SELECT e.id, m.slug, o.name, e.status, e.meeting_date, e.votes_for, e.votes_against, \
                        e.votes_abstain, e.reported_by, e.source, e.notes, e.recorded_at \
                 FROM motion m JOIN org o JOIN outcome e ON e.motion_id = m.id AND e.org_id = o.id \
                 WHERE ?1 IS NULL OR m.id = ?1 \
                 ORDER BY m.slug, o.name COLLATE NOCASE, o.id, e.meeting_date, e.id",
            )?;
            let mut rows = stmt.query(params![motion_id])?;
            while let Some(row) = rows.next()? {
                let outcome = Outcome {
                    id: row.get(0)?,
                    motion: row.get(1)?,
                    org: row.get(2)?,
                    status: to_word(row.get(3)?)?,
                    meeting_date: to_date(row.get(4)?)?.unwrap_or_default(),
                    votes: Votes { cast_for: row.get(5)?, against: row.get(6)?, abstain: row.get(7)? },
                    reported_by: row.get(8)?,
                    source: row.get(9)?,
                    notes: row.get(10)?,
                    recorded_at: row.get(11)?,
                };
                each(&outcome)?;
            }
            Ok(())
        })
    }
}
