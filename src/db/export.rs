//! Streaming the tables out in the stable order exports promise, one row at a time.

use std::io;

use anyhow::Result;
use rusqlite::{Params, Row, Transaction, params};

use super::{Store, motion, org, outcome};
use crate::model::{Motion, Org, Outcome};

/// Runs `sql` and hands each row, read by `read`, to `each`: one row in memory at a time.
pub(super) fn each_row<T>(
    tx: &Transaction<'_>,
    sql: &str,
    params: impl Params,
    read: fn(&Row<'_>) -> rusqlite::Result<T>,
    mut each: impl FnMut(&T) -> io::Result<()>,
) -> Result<()> {
    let mut stmt = tx.prepare(sql)?;
    let mut rows = stmt.query(params)?;
    while let Some(row) = rows.next()? {
        each(&read(row)?)?;
    }
    Ok(())
}

impl Store {
    /// Every motion, by slug.
    pub(crate) fn each_motion(
        &mut self,
        each: impl FnMut(&Motion) -> io::Result<()>,
    ) -> Result<()> {
        let sql = format!("SELECT {} FROM motion ORDER BY slug", motion::COLUMNS);
        self.read(|tx| each_row(tx, &sql, [], motion::from_row, each))
    }

    /// Every org, by name (case aside).
    pub(crate) fn each_org(&mut self, each: impl FnMut(&Org) -> io::Result<()>) -> Result<()> {
        let sql = format!("{} ORDER BY o.name COLLATE NOCASE, o.id", org::SELECT);
        self.read(|tx| each_row(tx, &sql, [], org::from_row, each))
    }

    /// How many events an export of outcomes will write.
    pub(crate) fn count_outcomes(&mut self, motion_id: Option<i64>) -> Result<u64> {
        self.read(|tx| {
            let n: i64 = tx.query_row(
                "SELECT count(*) FROM outcome WHERE (?1 IS NULL OR motion_id = ?1) AND retracted_at IS NULL",
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
        each: impl FnMut(&Outcome) -> io::Result<()>,
    ) -> Result<()> {
        let sql = format!(
            "{} WHERE (?1 IS NULL OR m.id = ?1) AND e.retracted_at IS NULL ORDER BY m.slug, o.name COLLATE NOCASE, o.id, e.meeting_date, e.id",
            outcome::SELECT
        );
        self.read(|tx| each_row(tx, &sql, params![motion_id], outcome::from_row, each))
    }
}
