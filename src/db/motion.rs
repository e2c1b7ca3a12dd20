//! Queries on the `motion` table.

use anyhow::{Result, bail};
use rusqlite::{OptionalExtension, Row, Transaction, params};

use super::{Store, is_unique_violation, to_date};
use crate::model::{Motion, MotionSummary, NewMotion, StatusCounts};

pub(super) const COLUMNS: &str = "id, slug, title, text, issued_by, issued_on, deadline";

pub(super) fn from_row(row: &Row<'_>) -> rusqlite::Result<Motion> {
    Ok(Motion {
        id: row.get(0)?,
        slug: row.get(1)?,
        title: row.get(2)?,
        text: row.get(3)?,
        issued_by: row.get(4)?,
        issued_on: to_date(row.get(5)?)?,
        deadline: to_date(row.get(6)?)?,
    })
}

impl Store {
    /// Registers a motion; a slug already taken is an error.
    pub(crate) fn add_motion(&mut self, new: &NewMotion) -> Result<Motion> {
        self.write(|tx| insert_motion(tx, new))
    }

    /// Every motion, oldest issue date first (then by slug).
    pub(crate) fn motions(&mut self) -> Result<Vec<Motion>> {
        self.read(|tx| {
            let sql =
                format!("SELECT {COLUMNS} FROM motion ORDER BY issued_on IS NULL, issued_on, slug");
            let mut stmt = tx.prepare(&sql)?;
            let motions = stmt
                .query_map([], from_row)?
                .collect::<rusqlite::Result<_>>()?;
            Ok(motions)
        })
    }

    pub(crate) fn motion_by_slug(&mut self, slug: &str) -> Result<Option<Motion>> {
        self.read(|tx| {
            let sql = format!("SELECT {COLUMNS} FROM motion WHERE slug = ?1");
            Ok(tx.query_row(&sql, [slug], from_row).optional()?)
        })
    }

    /// Every motion with the count of each current status across the whole registry and the
    /// date of its latest event, read from the `standing` cache in one pass.
    pub(crate) fn motion_summaries(&mut self) -> Result<Vec<MotionSummary>> {
        let motions = self.motions()?;
        self.read(|tx| {
            // The registry as it stands today: retired orgs count no more.
            let today = crate::model::today().to_string();
            let registered: i64 = tx.query_row(
                "SELECT count(*) FROM org o WHERE o.retired_on IS NULL OR o.retired_on > ?1",
                [&today],
                |r| r.get(0),
            )?;
            let registered = registered as u64;
            let mut stmt = tx.prepare(
                "SELECT s.motion_id, s.status, count(*), max(s.meeting_date) FROM standing s \
                 JOIN org o ON o.id = s.org_id WHERE o.retired_on IS NULL OR o.retired_on > ?1 \
                 GROUP BY s.motion_id, s.status",
            )?;
            let mut rows = stmt.query([&today])?;
            let mut summaries: Vec<MotionSummary> = motions
                .into_iter()
                .map(|motion| MotionSummary {
                    motion,
                    counts: StatusCounts::default(),
                    latest_event: None,
                })
                .collect();
            while let Some(row) = rows.next()? {
                let motion_id: i64 = row.get(0)?;
                let Some(summary) = summaries.iter_mut().find(|s| s.motion.id == motion_id) else {
                    continue;
                };
                let count: i64 = row.get(2)?;
                summary
                    .counts
                    .add(Some(super::to_word(row.get(1)?)?), count as u64);
                let latest = to_date(row.get(3)?)?;
                summary.latest_event = summary.latest_event.max(latest);
            }
            for summary in &mut summaries {
                let moved = summary.counts.registered();
                summary.counts.add(None, registered.saturating_sub(moved));
            }
            Ok(summaries)
        })
    }
}

pub(super) fn insert_motion(tx: &Transaction<'_>, new: &NewMotion) -> Result<Motion> {
    let inserted = tx.execute(
        "INSERT INTO motion (slug, title, text, issued_by, issued_on, deadline) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            new.slug(),
            new.title(),
            new.text(),
            new.issued_by(),
            new.issued_on().map(|d| d.to_string()),
            new.deadline().map(|d| d.to_string()),
        ],
    );
    match inserted {
        Err(err) if is_unique_violation(&err) => {
            bail!(
                "a motion with slug \"{}\" already exists; choose another slug",
                new.slug()
            )
        }
        other => other?,
    };
    Ok(Motion {
        id: tx.last_insert_rowid(),
        slug: new.slug().to_string(),
        title: new.title().to_string(),
        text: new.text().map(str::to_string),
        issued_by: new.issued_by().map(str::to_string),
        issued_on: new.issued_on(),
        deadline: new.deadline(),
    })
}
