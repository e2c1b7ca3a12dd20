//! Queries on the outcome history.

use anyhow::{Result, bail};
use chrono::NaiveDate;
use rusqlite::{OptionalExtension, Row, Transaction, params};

use super::export::each_row;
use super::org::{find_org, insert_org};
use super::{DateText, Store, timestamp, to_date, to_word};
use crate::model::{HistoryFilter, NewOrg, NewOutcome, Org, Outcome, Retraction, Status, Votes};

/// What recording an outcome did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Recorded {
    /// A new event, with its id.
    Added(i64),
    /// The same motion, org, status and meeting date were already recorded, as this event.
    AlreadyThere(i64),
    /// Another decision for the same org, motion and date is recorded, as this event; nothing
    /// was added.
    Contradicts { event: i64, status: Status },
}

impl Recorded {
    /// Why a contradicting decision was refused, and what to do.
    pub(crate) fn contradiction(
        event: i64,
        recorded: Status,
        new: Status,
        date: NaiveDate,
    ) -> String {
        format!(
            "event {event} already records this organisation's decision on {date} as \
             \"{recorded}\"; one meeting cannot both {} and {}: check which is right",
            verb(recorded),
            verb(new)
        )
    }
}

pub(super) const SELECT: &str = "SELECT e.id, m.slug, o.name, e.status, e.meeting_date, e.votes_for, \
                             e.votes_against, e.votes_abstain, e.reported_by, e.source, e.notes, \
                             e.recorded_at, e.retracted_at, e.retraction_reason \
                      FROM outcome e JOIN motion m ON m.id = e.motion_id JOIN org o ON o.id = e.org_id";

pub(super) fn from_row(row: &Row<'_>) -> rusqlite::Result<Outcome> {
    Ok(Outcome {
        id: row.get(0)?,
        motion: row.get(1)?,
        org: row.get(2)?,
        status: to_word(row.get(3)?)?,
        meeting_date: to_date(row.get(4)?)?.unwrap_or_default(),
        votes: Votes {
            cast_for: row.get(5)?,
            against: row.get(6)?,
            abstain: row.get(7)?,
        },
        reported_by: row.get(8)?,
        source: row.get(9)?,
        notes: row.get(10)?,
        recorded_at: row.get(11)?,
        retracted: match (
            row.get::<_, Option<String>>(12)?,
            row.get::<_, Option<String>>(13)?,
        ) {
            (Some(at), Some(reason)) => Some(Retraction { at, reason }),
            _ => None,
        },
    })
}

/// The organisation an outcome was recorded for when the caller asked to register it.
#[derive(Debug, Clone)]
pub(crate) enum Registration {
    /// Registered by this write.
    New(Org),
    /// Registered by another writer between the caller's look and this write: used as it is.
    Existing(Org),
}

impl Registration {
    pub(crate) fn org(&self) -> &Org {
        match self {
            Registration::New(org) | Registration::Existing(org) => org,
        }
    }
}

impl Store {
    /// Records one outcome, first registering its org when `register` is given (the outcome's
    /// `org_id` is then ignored). Nothing is written when it fails.
    pub(crate) fn record(
        &mut self,
        register: Option<&NewOrg>,
        outcome: &NewOutcome,
    ) -> Result<(Recorded, Option<Registration>)> {
        self.write(|tx| {
            // Another writer may have registered the same org since the caller looked: use it
            // then, rather than failing on the name.
            let registered = match register {
                Some(org) => match find_org(tx, org.name().as_str())? {
                    Some(existing) if existing.kind == org.kind() => {
                        Some(Registration::Existing(existing))
                    }
                    _ => Some(Registration::New(insert_org(tx, org)?)),
                },
                None => None,
            };
            let outcome = match &registered {
                Some(registration) => outcome.for_org(registration.org().id),
                None => outcome.clone(),
            };
            let recorded = insert_outcome(tx, &outcome, &timestamp(), false)?;
            if let Recorded::Contradicts { event, status } = recorded {
                bail!(Recorded::contradiction(
                    event,
                    status,
                    outcome.status(),
                    outcome.meeting_date()
                ));
            }
            Ok((recorded, registered))
        })
    }

    /// One event, by id.
    pub(crate) fn outcome(&mut self, id: i64) -> Result<Option<Outcome>> {
        self.read(|tx| outcome_by_id(tx, id))
    }

    /// The event that stands now for one org and motion.
    pub(crate) fn latest(&mut self, motion_id: i64, org_id: i64) -> Result<Option<Outcome>> {
        self.read(|tx| {
            let sql = format!(
                "{SELECT} WHERE e.id = (SELECT outcome_id FROM standing WHERE motion_id = ?1 AND org_id = ?2)"
            );
            Ok(tx.query_row(&sql, [motion_id, org_id], from_row).optional()?)
        })
    }

    /// The event log, oldest meeting first, then in the order of recording: the events
    /// matching `filter`, each handed to `each` as it is read.
    pub(crate) fn each_history(
        &mut self,
        filter: &HistoryFilter,
        each: impl FnMut(&Outcome) -> std::io::Result<()>,
    ) -> Result<()> {
        let sql = history_sql(filter);
        let params = params![
            filter.motion_id,
            filter.org_id,
            filter.since.map(|d| d.to_string()),
            filter.until.map(|d| d.to_string()),
            filter.all,
        ];
        self.read(|tx| each_row(tx, &sql, params, from_row, each))
    }

    /// The event log matching `filter`, all at once.
    #[cfg(test)]
    pub(crate) fn history(&mut self, filter: &HistoryFilter) -> Result<Vec<Outcome>> {
        let mut events = Vec::new();
        self.each_history(filter, |event| {
            events.push(event.clone());
            Ok(())
        })?;
        Ok(events)
    }
}

/// The query of [`Store::history`]. A motion or an organisation asked for is an equality, not
/// an `?1 IS NULL OR ...` (which plans cannot know is one), so the events are found through
/// `outcome_by_pair` or `outcome_by_org`, not by reading the whole history.
pub(super) fn history_sql(filter: &HistoryFilter) -> String {
    let motion = if filter.motion_id.is_some() {
        "e.motion_id = ?1"
    } else {
        "?1 IS NULL"
    };
    let org = if filter.org_id.is_some() {
        "e.org_id = ?2"
    } else {
        "?2 IS NULL"
    };
    format!(
        "{SELECT} \
         WHERE {motion} AND {org} \
           AND (?3 IS NULL OR e.meeting_date >= ?3) AND (?4 IS NULL OR e.meeting_date <= ?4) \
           AND (?5 OR e.retracted_at IS NULL) \
         ORDER BY e.meeting_date, e.id"
    )
}

/// One event, by id.
pub(super) fn outcome_by_id(tx: &Transaction<'_>, id: i64) -> Result<Option<Outcome>> {
    let sql = format!("{SELECT} WHERE e.id = ?1");
    let mut stmt = tx.prepare_cached(&sql)?;
    Ok(stmt.query_row([id], from_row).optional()?)
}

/// Records one outcome at `recorded_at` (a UTC timestamp, one for a whole import).
///
/// A retracted event is no obstacle: it contradicts nothing, and logging it again records it
/// anew. For imports (`retracted_stay` true) it still counts as recorded, so importing the same
/// file again does not bring back what was retracted.
pub(super) fn insert_outcome(
    tx: &Transaction<'_>,
    new: &NewOutcome,
    recorded_at: &str,
    retracted_stay: bool,
) -> Result<Recorded> {
    let date = DateText::new(new.meeting_date());
    let date = date.as_str();
    let org_id = super::org::org_id(tx, new.org())?;
    // One seek finds every event of that day: a repeat of this one, or a contradiction.
    let mut same_day = tx.prepare_cached(
        "SELECT id, status, retracted_at IS NOT NULL FROM outcome \
         WHERE motion_id = ?1 AND org_id = ?2 AND meeting_date = ?3 ORDER BY id",
    )?;
    let events = same_day
        .query_map(params![new.motion_id(), org_id, date], |row| {
            Ok(SameDay {
                id: row.get(0)?,
                status: to_word(row.get(1)?)?,
                retracted: row.get(2)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    if let Some(found) = same_day_rule(&events, new.status(), retracted_stay) {
        return Ok(found);
    }
    let added = insert_checked(tx, new, org_id, date, recorded_at, true)?;
    Ok(added)
}

/// An event already recorded for one motion, organisation and meeting date, as far as the
/// rule for another event of that meeting needs to know.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct SameDay {
    pub(super) id: i64,
    pub(super) status: Status,
    pub(super) retracted: bool,
}

/// The rule for a new event with `status`, given the events of the same meeting (`recorded`,
/// in the order they were recorded): a repeat of the first with its status, a contradiction
/// of a decision that stands, or `None`, to be added. A retracted event contradicts nothing; it
/// is repeated only when `retracted_stay` (imports: importing a file again does not bring back
/// what was retracted).
pub(super) fn same_day_rule(
    recorded: &[SameDay],
    status: Status,
    retracted_stay: bool,
) -> Option<Recorded> {
    let mut contradiction = None;
    for event in recorded {
        if event.status == status && (retracted_stay || !event.retracted) {
            return Some(Recorded::AlreadyThere(event.id));
        }
        if !event.retracted
            && event.status.is_decision()
            && status.is_decision()
            && event.status != status
            && contradiction.is_none()
        {
            contradiction = Some(Recorded::Contradicts {
                event: event.id,
                status: event.status,
            });
        }
    }
    contradiction
}

/// Inserts an outcome the caller found no repeat or contradiction of, and makes it stand.
/// Should the store's own rule (one decision per meeting) refuse it all the same, the event it
/// meets is returned as the caller's check would have found it.
pub(super) fn insert_checked(
    tx: &Transaction<'_>,
    new: &NewOutcome,
    org_id: i64,
    date: &str,
    recorded_at: &str,
    stand: bool,
) -> Result<Recorded> {
    let mut insert = tx.prepare_cached(
        "INSERT INTO outcome (motion_id, org_id, status, meeting_date, votes_for, votes_against, \
                              votes_abstain, reported_by, source, notes, recorded_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
    )?;
    let inserted = insert.execute(params![
        new.motion_id(),
        org_id,
        new.status().as_str(),
        date,
        new.votes().cast_for,
        new.votes().against,
        new.votes().abstain,
        new.reported_by(),
        new.source(),
        new.notes(),
        recorded_at,
    ]);
    match inserted {
        Ok(_) => {}
        Err(err) if super::is_unique_violation(&err) => {
            let standing: Option<(i64, String)> = tx
                .query_row(
                    &format!(
                        "SELECT id, status FROM outcome WHERE motion_id = ?1 AND org_id = ?2 \
                         AND meeting_date = ?3 AND retracted_at IS NULL AND {} \
                         ORDER BY id LIMIT 1",
                        super::migrate::is_decision_sql("status")
                    ),
                    params![new.motion_id(), org_id, date],
                    |row| Ok((row.get(0)?, row.get(1)?)),
                )
                .optional()?;
            let Some((event, status)) = standing else {
                return Err(err.into());
            };
            let status: Status = to_word(status)?;
            return Ok(if status == new.status() {
                Recorded::AlreadyThere(event)
            } else {
                Recorded::Contradicts { event, status }
            });
        }
        Err(err) => return Err(err.into()),
    }
    let id = tx.last_insert_rowid();
    if !stand {
        return Ok(Recorded::Added(id));
    }
    // The new outcome stands unless one with a later meeting date is there already. Ids only
    // grow, so on an equal date the new record wins, as the rule says.
    let mut stand = tx.prepare_cached(
        "INSERT INTO standing (motion_id, org_id, outcome_id, status, meeting_date) \
         VALUES (?1, ?2, ?3, ?4, ?5) \
         ON CONFLICT (motion_id, org_id) DO UPDATE \
             SET outcome_id = excluded.outcome_id, status = excluded.status, \
                 meeting_date = excluded.meeting_date \
             WHERE excluded.meeting_date >= standing.meeting_date",
    )?;
    stand.execute(params![
        new.motion_id(),
        org_id,
        id,
        new.status().as_str(),
        date
    ])?;
    Ok(Recorded::Added(id))
}

fn verb(decision: Status) -> &'static str {
    match decision {
        Status::Passed => "pass it",
        Status::PassedAmended => "pass it amended",
        _ => "reject it",
    }
}
