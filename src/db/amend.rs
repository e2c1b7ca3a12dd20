//! Amending an event: the corrected copy recorded and the original retracted in one write, the
//! retraction's reason naming the copy, so `history --all` shows the two side by side.

use anyhow::{Result, bail};
use rusqlite::params;

use super::correct::restand;
use super::outcome::{insert_outcome, outcome_by_id};
use super::{Recorded, Store, timestamp};
use crate::model::{NewOutcome, Outcome};

/// What an amendment did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Amended {
    /// The event as it was, now retracted.
    pub(crate) original: Outcome,
    /// The id of the corrected copy.
    pub(crate) id: i64,
}

impl Store {
    /// Replaces event `id` with a corrected copy, made by `correct` from the event and its
    /// motion's and organisation's ids inside the same transaction (so no other writer can
    /// change the event in between). The original stays in the history, retracted with the
    /// reason "amended by event N: `reason`".
    pub(crate) fn amend(
        &mut self,
        id: i64,
        reason: &str,
        correct: impl FnOnce(&Outcome, i64, i64) -> Result<NewOutcome>,
    ) -> Result<Amended> {
        self.write(|tx| {
            let Some(original) = outcome_by_id(tx, id)? else {
                bail!("there is no event {id}; see the event ids with: motions history");
            };
            if let Some(retraction) = &original.retracted {
                bail!(
                    "event {id} was retracted on {} (\"{}\"); amend the event that stands instead \
                     (see them with: motions history --all)",
                    retraction.at,
                    retraction.reason
                );
            }
            let (motion_id, org_id): (i64, i64) = tx.query_row(
                "SELECT motion_id, org_id FROM outcome WHERE id = ?1",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?;
            let corrected = correct(&original, motion_id, org_id)?;
            let now = timestamp();
            // Retracted first, so the copy does not count as the same event recorded again.
            tx.execute(
                "UPDATE outcome SET retracted_at = ?2, retraction_reason = ?3 WHERE id = ?1",
                params![id, now, reason],
            )?;
            let new_id = match insert_outcome(tx, &corrected, &now, false)? {
                Recorded::Added(new_id) => new_id,
                Recorded::AlreadyThere(other) => bail!(
                    "event {other} already records {} {} on {}; retract event {id} instead: \
                     motions outcome retract {id} --reason \"...\"",
                    original.org,
                    corrected.status(),
                    corrected.meeting_date()
                ),
                Recorded::Contradicts { event, status } => bail!(Recorded::contradiction(
                    event,
                    status,
                    corrected.status(),
                    corrected.meeting_date()
                )),
            };
            tx.execute(
                "UPDATE outcome SET retraction_reason = ?2 WHERE id = ?1",
                params![id, format!("amended by event {new_id}: {reason}")],
            )?;
            restand(tx, motion_id, org_id)?;
            Ok(Amended {
                original,
                id: new_id,
            })
        })
    }
}
