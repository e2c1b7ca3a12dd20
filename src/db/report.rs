//! The report queries: where a motion stands with every org, now or as of a date.
//!
//! Now: one seek per org into `standing`. As of a date: one seek per org into
//! `outcome_by_pair` for the latest event on or before that day. Both give the same answer for
//! a date after the last meeting; a store test holds them to it.

use std::io;

use anyhow::Result;
use chrono::NaiveDate;
use rusqlite::types::Value;
use rusqlite::{Row, params_from_iter};

use super::export::each_row;
use super::org::{filter_sql, registered_on_sql};
use super::{Store, to_date, to_word};
use crate::model::{
    Dimension, Latest, Org, OrgFilter, Standing, Status, StatusCounts, TallyRow, Votes,
};

/// The SQL giving the id of the latest outcome for (?1 motion, `o` org), now or as of ?2.
fn latest_outcome_id(as_of: Option<NaiveDate>) -> &'static str {
    match as_of {
        None => "(SELECT s.outcome_id FROM standing s WHERE s.motion_id = ?1 AND s.org_id = o.id)",
        Some(_) => {
            "(SELECT x.id FROM outcome x WHERE x.motion_id = ?1 AND x.org_id = o.id \
               AND x.meeting_date <= ?2 AND x.retracted_at IS NULL ORDER BY x.meeting_date DESC, x.id DESC LIMIT 1)"
        }
    }
}

/// The first query parameters: the motion (?1), and the as-of date (?2) when there is one.
fn parameters(motion_id: i64, as_of: Option<NaiveDate>) -> Vec<Value> {
    let mut values = vec![Value::Integer(motion_id)];
    values.extend(as_of.map(|d| Value::Text(d.to_string())));
    values
}

/// The orgs a report counts: those matching `filter` that were in the registry at the end of
/// `as_of` (today when not given), so an org retired since still counts in a picture of before.
fn registry_clause(
    filter: &OrgFilter,
    as_of: Option<NaiveDate>,
    values: &mut Vec<Value>,
) -> String {
    let clause = filter_sql(filter, values);
    let on = as_of.unwrap_or_else(crate::model::today);
    format!("{clause} AND {}", registered_on_sql(on, values))
}

fn standing_from_row(row: &Row<'_>) -> rusqlite::Result<Standing> {
    let org = Org {
        id: row.get(0)?,
        name: row.get(1)?,
        kind: to_word(row.get(2)?)?,
        region: row.get(3)?,
        union: row.get(4)?,
        parent: row.get(5)?,
        code: row.get(6)?,
    };
    let status: Option<String> = row.get(7)?;
    let latest = match status {
        None => None,
        Some(status) => Some(Latest {
            status: to_word(status)?,
            meeting_date: to_date(row.get(8)?)?.unwrap_or_default(),
            votes: Votes {
                cast_for: row.get(9)?,
                against: row.get(10)?,
                abstain: row.get(11)?,
            },
            source: row.get(12)?,
        }),
    };
    Ok(Standing { org, latest })
}

impl Store {
    /// Every registered org matching `filter`, in name order, with its latest outcome for the
    /// motion (as of the end of `as_of`, when given).
    pub(crate) fn standings(
        &mut self,
        motion_id: i64,
        filter: &OrgFilter,
        as_of: Option<NaiveDate>,
    ) -> Result<Vec<Standing>> {
        let mut standings = Vec::new();
        self.each_standing(motion_id, filter, as_of, |standing| {
            standings.push(standing.clone());
            Ok(())
        })?;
        Ok(standings)
    }

    /// The same, each org handed to `each` as it is read.
    pub(crate) fn each_standing(
        &mut self,
        motion_id: i64,
        filter: &OrgFilter,
        as_of: Option<NaiveDate>,
        each: impl FnMut(&Standing) -> io::Result<()>,
    ) -> Result<()> {
        let mut values = parameters(motion_id, as_of);
        let clause = registry_clause(filter, as_of, &mut values);
        let sql = format!(
            "SELECT o.id, o.name, o.kind, o.region, o.union_name, p.name, o.code, \
                    e.status, e.meeting_date, e.votes_for, e.votes_against, e.votes_abstain, \
                    e.source \
             FROM org o LEFT JOIN org p ON p.id = o.parent_id \
             LEFT JOIN outcome e ON e.id = {latest} \
             WHERE {clause} ORDER BY o.name COLLATE NOCASE, o.id",
            latest = latest_outcome_id(as_of),
        );
        self.read(|tx| each_row(tx, &sql, params_from_iter(values), standing_from_row, each))
    }

    /// Counts of current statuses (as of the end of `as_of`, when given) over the orgs
    /// matching `filter`, one row per combination of the `by` values present in the registry.
    /// Two grouped queries: the registry (the denominators), and the statuses of the orgs
    /// that have moved the motion; the rest have not.
    pub(crate) fn tally(
        &mut self,
        motion_id: i64,
        filter: &OrgFilter,
        by: &[Dimension],
        as_of: Option<NaiveDate>,
    ) -> Result<Vec<TallyRow>> {
        self.read(|tx| {
            let dims: String = by
                .iter()
                .map(|dim| match dim {
                    Dimension::Kind => "o.kind, ",
                    Dimension::Region => "o.region, ",
                    Dimension::Union => "o.union_name, ",
                    Dimension::Clp => "p.name, ",
                })
                .collect();
            let group_dims = match by.is_empty() {
                true => String::new(),
                false => format!("GROUP BY {}", dims.trim_end_matches(", ")),
            };
            // By CLP, the rows are the ward branches, under their parent.
            let (branches, parent) = match by.contains(&Dimension::Clp) {
                true => (" AND o.kind = 'labour-branch'", "LEFT JOIN org p ON p.id = o.parent_id"),
                false => ("", ""),
            };
            let read_values = |row: &rusqlite::Row<'_>| {
                (0..by.len()).map(|i| row.get(i)).collect::<rusqlite::Result<Vec<Option<String>>>>()
            };

            let mut values = Vec::new();
            let clause = registry_clause(filter, as_of, &mut values);
            let sql = format!(
                "SELECT {dims} count(*) FROM org o {parent} WHERE {clause}{branches} {group_dims}"
            );
            let mut stmt = tx.prepare(&sql)?;
            let mut rows = stmt.query(params_from_iter(values))?;
            let mut tally: Vec<(u64, TallyRow)> = Vec::new();
            while let Some(row) = rows.next()? {
                let registered: i64 = row.get(by.len())?;
                let row = TallyRow { values: read_values(row)?, counts: StatusCounts::default() };
                tally.push((registered as u64, row));
            }

            let mut values = parameters(motion_id, as_of);
            let clause = registry_clause(filter, as_of, &mut values);
            let sql = match as_of {
                None => format!(
                    "SELECT {dims} s.status, count(*) FROM standing s JOIN org o ON o.id = s.org_id \
                     {parent} WHERE s.motion_id = ?1 AND {clause}{branches} GROUP BY {dims} s.status"
                ),
                Some(_) => format!(
                    "SELECT {dims} x.status, count(*) FROM org o {parent} \
                     JOIN outcome x ON x.id = {latest} \
                     WHERE {clause}{branches} GROUP BY {dims} x.status",
                    latest = latest_outcome_id(as_of)
                ),
            };
            let mut stmt = tx.prepare(&sql)?;
            let mut rows = stmt.query(params_from_iter(values))?;
            while let Some(row) = rows.next()? {
                let values = read_values(row)?;
                let status = to_word(row.get(by.len())?)?;
                let count: i64 = row.get(by.len() + 1)?;
                if let Some((_, entry)) = tally.iter_mut().find(|(_, t)| t.values == values) {
                    entry.counts.add(Some(status), count as u64);
                }
            }
            Ok(tally
                .into_iter()
                .map(|(registered, mut row)| {
                    let moved = row.counts.registered();
                    row.counts.add(None, registered.saturating_sub(moved));
                    row
                })
                .collect())
        })
    }
}

impl Store {
    /// Every event of a motion as (org, status, meeting date), in the order the latest-event
    /// rule reads them: by meeting date, then by recording.
    pub(crate) fn events_of(&mut self, motion_id: i64) -> Result<Vec<(i64, Status, NaiveDate)>> {
        self.read(|tx| {
            let mut stmt = tx.prepare(
                "SELECT org_id, status, meeting_date FROM outcome WHERE motion_id = ?1 AND retracted_at IS NULL \
                 ORDER BY meeting_date, id",
            )?;
            let mut rows = stmt.query([motion_id])?;
            let mut events = Vec::new();
            while let Some(row) = rows.next()? {
                let date = to_date(row.get(2)?)?.unwrap_or_default();
                events.push((row.get(0)?, to_word(row.get(1)?)?, date));
            }
            Ok(events)
        })
    }
}
