//! Queries for the web intake's reports: the submissions sent through reporters' links (see
//! `reporter` for the links themselves).
//!
//! Reports are written in batches: [`Store::intake`] runs many writes in one IMMEDIATE
//! transaction, each inside its own savepoint, so one refused write leaves the others alone
//! and a busy server pays for one commit (one sync to disk) per batch instead of one per
//! report. Each write checks, under the write lock, what it depends on (a decision for the same
//! day, a submission still waiting), so a check and its write share one transaction.

use anyhow::{Context as _, Result};
use rusqlite::{OptionalExtension, Row, Transaction, params};

use super::outcome::insert_outcome;
use super::{Recorded, Store, timestamp, to_date, to_word};
use crate::model::{
    Field, FieldError, FreeText, NewOutcome, Rejected, Submission, SubmissionState, Votes,
};

/// One write of the intake, checked before it is handed over.
#[derive(Debug, Clone)]
pub(crate) enum IntakeWrite {
    /// A report sent through a link: kept for review, or (`record`) recorded at once.
    Submit {
        reporter_id: i64,
        /// The organisation's name as registered when the report was checked.
        organisation: String,
        outcome: NewOutcome,
        record: bool,
    },
    /// A coordinator's approval: the outcome to record for a waiting submission.
    Approve {
        submission_id: i64,
        outcome: NewOutcome,
    },
    /// A coordinator's rejection of a waiting submission.
    Reject {
        submission_id: i64,
        reason: FreeText,
    },
}

/// What one write did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Written {
    pub(crate) submission_id: i64,
    pub(crate) state: SubmissionState,
    pub(crate) outcome_id: Option<i64>,
    /// For a write that recorded an outcome: whether it was new or already there.
    pub(crate) recorded: Option<Recorded>,
}

/// Why one write of a batch was refused; the others are unaffected.
#[derive(Debug, thiserror::Error)]
pub(crate) enum Refused {
    /// A value the records refuse (another decision for the same meeting).
    #[error(transparent)]
    Rejected(#[from] Rejected),
    /// The submission was decided already (by someone else meanwhile, perhaps).
    #[error("submission {id} is {state} already; only a submission awaiting review can be decided")]
    Decided { id: i64, state: SubmissionState },
    /// There is no such submission.
    #[error("there is no submission {0}; see them with: motions review list --all")]
    Missing(i64),
    /// Anything else that went wrong with this write alone.
    #[error("{0:#}")]
    Failed(anyhow::Error),
}

const SUBMISSION: &str = "SELECT s.id, s.state, s.reporter_id, r.name, s.motion_id, m.slug, \
                          s.organisation, s.status, s.meeting_date, s.votes_for, s.votes_against, \
                          s.votes_abstain, s.source, s.notes, s.submitted_at, s.decided_at, \
                          s.reason, s.outcome_id \
                          FROM submission s JOIN reporter r ON r.id = s.reporter_id \
                          JOIN motion m ON m.id = s.motion_id";

fn submission_row(row: &Row<'_>) -> rusqlite::Result<Submission> {
    Ok(Submission {
        id: row.get(0)?,
        state: to_word(row.get(1)?)?,
        reporter_id: row.get(2)?,
        reporter: row.get(3)?,
        motion_id: row.get(4)?,
        motion: row.get(5)?,
        organisation: row.get(6)?,
        status: to_word(row.get(7)?)?,
        meeting_date: to_date(row.get(8)?)?.unwrap_or_default(),
        votes: Votes {
            cast_for: row.get(9)?,
            against: row.get(10)?,
            abstain: row.get(11)?,
        },
        source: row.get(12)?,
        notes: row.get(13)?,
        submitted_at: row.get(14)?,
        decided_at: row.get(15)?,
        reason: row.get(16)?,
        outcome_id: row.get(17)?,
    })
}

impl Store {
    /// Submissions in the order they came: those awaiting review, or `all` of them.
    pub(crate) fn submissions(&mut self, all: bool) -> Result<Vec<Submission>> {
        self.read(|tx| {
            let only = if all {
                ""
            } else {
                " WHERE s.state = 'awaiting-review'"
            };
            let mut stmt = tx.prepare(&format!("{SUBMISSION}{only} ORDER BY s.id"))?;
            let rows = stmt
                .query_map([], submission_row)?
                .collect::<rusqlite::Result<_>>()?;
            Ok(rows)
        })
    }

    /// One submission, by id.
    pub(crate) fn submission(&mut self, id: i64) -> Result<Option<Submission>> {
        self.read(|tx| {
            Ok(tx
                .query_row(
                    &format!("{SUBMISSION} WHERE s.id = ?1"),
                    [id],
                    submission_row,
                )
                .optional()?)
        })
    }

    /// Runs the writes in one transaction, each in a savepoint of its own. With `together`,
    /// any refusal leaves everything unwritten (and is returned as the only result);
    /// otherwise each write succeeds or is refused on its own. An error of the database
    /// itself (a full disk) is an error of the whole batch.
    pub(crate) fn intake(
        &mut self,
        writes: &[IntakeWrite],
        together: bool,
    ) -> Result<Vec<Result<Written, Refused>>> {
        let now = timestamp();
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let mut results = Vec::with_capacity(writes.len());
        for write in writes {
            tx.execute_batch("SAVEPOINT intake")?;
            let result = match one_write(&tx, write, &now) {
                Ok(Ok(written)) => Ok(written),
                Ok(Err(refused)) => Err(refused),
                Err(err) if is_fatal(&err) => return Err(err),
                Err(err) => Err(Refused::Failed(err)),
            };
            if result.is_ok() {
                tx.execute_batch("RELEASE intake")?;
            } else {
                tx.execute_batch("ROLLBACK TO intake; RELEASE intake")?;
                if together {
                    // Dropping the transaction rolls everything back.
                    return Ok(vec![result]);
                }
            }
            results.push(result);
        }
        tx.commit().context("saving the reports")?;
        Ok(results)
    }
}

/// True for an error of the database as a whole (a full disk, a broken file, a lock not
/// given), as opposed to one write's own.
fn is_fatal(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        matches!(cause.downcast_ref::<rusqlite::Error>(),
            Some(rusqlite::Error::SqliteFailure(e, _)) if !matches!(e.code,
                rusqlite::ErrorCode::ConstraintViolation | rusqlite::ErrorCode::TypeMismatch))
    })
}

fn one_write(
    tx: &Transaction<'_>,
    write: &IntakeWrite,
    now: &str,
) -> Result<Result<Written, Refused>> {
    match write {
        IntakeWrite::Submit {
            reporter_id,
            organisation,
            outcome,
            record,
        } => {
            tx.prepare_cached("UPDATE reporter SET last_used = ?2 WHERE id = ?1")?
                .execute(params![reporter_id, now])?;
            if !record && let Some(id) = same_waiting(tx, *reporter_id, organisation, outcome)? {
                // The same report sent again (a double tap, a retry): the one waiting stands.
                return Ok(Ok(Written {
                    submission_id: id,
                    state: SubmissionState::AwaitingReview,
                    outcome_id: None,
                    recorded: None,
                }));
            }
            let recorded = match record {
                true => match recorded(tx, outcome, now)? {
                    Ok(recorded) => Some(recorded),
                    Err(refused) => return Ok(Err(refused)),
                },
                false => None,
            };
            let outcome_id = recorded.map(outcome_id);
            let state = match recorded {
                Some(_) => SubmissionState::Recorded,
                None => SubmissionState::AwaitingReview,
            };
            let votes = outcome.votes();
            tx.prepare_cached(
                "INSERT INTO submission (reporter_id, state, motion_id, organisation, status, \
                     meeting_date, votes_for, votes_against, votes_abstain, source, notes, \
                     submitted_at, decided_at, outcome_id) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
            )?
            .execute(params![
                reporter_id,
                state.as_str(),
                outcome.motion_id(),
                organisation,
                outcome.status().as_str(),
                outcome.meeting_date().to_string(),
                votes.cast_for,
                votes.against,
                votes.abstain,
                outcome.source(),
                outcome.notes(),
                now,
                outcome_id.map(|_| now),
                outcome_id,
            ])?;
            Ok(Ok(Written {
                submission_id: tx.last_insert_rowid(),
                state,
                outcome_id,
                recorded,
            }))
        }
        IntakeWrite::Approve {
            submission_id,
            outcome,
        } => {
            if let Err(refused) = waiting(tx, *submission_id)? {
                return Ok(Err(refused));
            }
            let recorded = match recorded(tx, outcome, now)? {
                Ok(recorded) => recorded,
                Err(refused) => return Ok(Err(refused)),
            };
            tx.execute(
                "UPDATE submission SET state = 'recorded', decided_at = ?2, outcome_id = ?3 \
                 WHERE id = ?1",
                params![submission_id, now, outcome_id(recorded)],
            )?;
            Ok(Ok(Written {
                submission_id: *submission_id,
                state: SubmissionState::Recorded,
                outcome_id: Some(outcome_id(recorded)),
                recorded: Some(recorded),
            }))
        }
        IntakeWrite::Reject {
            submission_id,
            reason,
        } => {
            if let Err(refused) = waiting(tx, *submission_id)? {
                return Ok(Err(refused));
            }
            tx.execute(
                "UPDATE submission SET state = 'rejected', decided_at = ?2, reason = ?3 \
                 WHERE id = ?1",
                params![submission_id, now, reason.as_str()],
            )?;
            Ok(Ok(Written {
                submission_id: *submission_id,
                state: SubmissionState::Rejected,
                outcome_id: None,
                recorded: None,
            }))
        }
    }
}

/// Records the outcome, or says which decision for the same meeting it contradicts.
fn recorded(
    tx: &Transaction<'_>,
    outcome: &NewOutcome,
    now: &str,
) -> Result<Result<Recorded, Refused>> {
    match insert_outcome(tx, outcome, now, false)? {
        Recorded::Contradicts { event, status } => {
            Ok(Err(Refused::Rejected(Rejected(vec![FieldError::new(
                Field::Status,
                Recorded::contradiction(event, status, outcome.status(), outcome.meeting_date()),
            )]))))
        }
        recorded => Ok(Ok(recorded)),
    }
}

fn outcome_id(recorded: Recorded) -> i64 {
    match recorded {
        Recorded::Added(id) | Recorded::AlreadyThere(id) => id,
        Recorded::Contradicts { event, .. } => event,
    }
}

/// Refuses a submission that is missing or decided already.
fn waiting(tx: &Transaction<'_>, id: i64) -> Result<Result<(), Refused>> {
    let state: Option<String> = tx
        .query_row("SELECT state FROM submission WHERE id = ?1", [id], |row| {
            row.get(0)
        })
        .optional()?;
    Ok(match state {
        None => Err(Refused::Missing(id)),
        Some(state) => match to_word::<SubmissionState>(state)? {
            SubmissionState::AwaitingReview => Ok(()),
            state => Err(Refused::Decided { id, state }),
        },
    })
}

/// The submission of the same reporter, motion, organisation, status and date still waiting.
fn same_waiting(
    tx: &Transaction<'_>,
    reporter_id: i64,
    organisation: &str,
    outcome: &NewOutcome,
) -> Result<Option<i64>> {
    Ok(tx
        .prepare_cached(
            "SELECT id FROM submission WHERE reporter_id = ?1 AND state = 'awaiting-review' \
             AND motion_id = ?2 AND organisation = ?3 AND status = ?4 AND meeting_date = ?5 \
             ORDER BY id LIMIT 1",
        )?
        .query_row(
            params![
                reporter_id,
                outcome.motion_id(),
                organisation,
                outcome.status().as_str(),
                outcome.meeting_date().to_string()
            ],
            |row| row.get(0),
        )
        .optional()?)
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;
    use crate::db::NewReporter;
    use crate::model::{
        Kind, Label, MotionDraft, NewMotion, NewOrg, OrgDraft, OrgRef, OutcomeDraft, Status, Token,
    };

    fn outcome(motion_id: i64, org_id: i64, status: Status, date: &str) -> NewOutcome {
        NewOutcome::new(
            OutcomeDraft {
                motion_id,
                org: OrgRef::Registered(org_id),
                status,
                meeting_date: NaiveDate::parse_from_str(date, "%Y-%m-%d").unwrap(),
                votes_for: None,
                votes_against: None,
                votes_abstain: None,
                reported_by: Some("Sam Sample"),
                source: None,
                notes: None,
            },
            NaiveDate::parse_from_str("2100-01-01", "%Y-%m-%d").unwrap(),
        )
        .unwrap()
    }

    /// A store with one motion, two CLPs and a link; the ids.
    fn intake() -> (Store, i64, [i64; 2], i64) {
        let mut store = Store::open_in_memory().unwrap();
        let motion = store
            .add_motion(
                &NewMotion::new(MotionDraft {
                    slug: "m",
                    title: "M",
                    ..MotionDraft::default()
                })
                .unwrap(),
            )
            .unwrap();
        let org = |name| {
            NewOrg::new(OrgDraft {
                name,
                kind: Some(Kind::Clp),
                ..OrgDraft::default()
            })
            .unwrap()
        };
        let a = store.add_org(&org("Ashby CLP")).unwrap().id;
        let b = store.add_org(&org("Walford CLP")).unwrap().id;
        let reporter = store
            .add_reporter(&NewReporter {
                name: Label::parse("Sam Sample").unwrap().unwrap(),
                token_hash: Token::new().unwrap().hash(),
                orgs: Some(vec![a]),
                motions: None,
                trusted: false,
                coordinator: false,
                expires: None,
            })
            .unwrap();
        (store, motion.id, [a, b], reporter.id)
    }

    fn submit(reporter_id: i64, outcome: NewOutcome, record: bool) -> IntakeWrite {
        IntakeWrite::Submit {
            reporter_id,
            organisation: "Ashby CLP".to_string(),
            outcome,
            record,
        }
    }

    #[test]
    fn a_refused_write_leaves_the_rest_of_its_batch() {
        let (mut store, motion, [a, _], reporter) = intake();
        let writes = [
            submit(
                reporter,
                outcome(motion, a, Status::Passed, "2019-02-04"),
                true,
            ),
            submit(
                reporter,
                outcome(motion, a, Status::Rejected, "2019-02-04"),
                true,
            ),
            submit(
                reporter,
                outcome(motion, a, Status::Moved, "2019-01-28"),
                false,
            ),
        ];
        let results = store.intake(&writes, false).unwrap();
        assert!(results[0].is_ok());
        assert!(matches!(&results[1], Err(Refused::Rejected(r)) if r.0[0].field == Field::Status));
        assert_eq!(
            results[2].as_ref().unwrap().state,
            SubmissionState::AwaitingReview
        );
        let kept = store.submissions(true).unwrap();
        assert_eq!(kept.len(), 2, "the refused report left a trace: {kept:?}");
        assert_eq!(kept[0].state, SubmissionState::Recorded);
        assert_eq!(kept[0].outcome_id, results[0].as_ref().unwrap().outcome_id);
    }

    #[test]
    fn decisions_together_are_all_written_or_none() {
        let (mut store, motion, [a, _], reporter) = intake();
        let sent = store
            .intake(
                &[submit(
                    reporter,
                    outcome(motion, a, Status::Passed, "2019-02-04"),
                    false,
                )],
                false,
            )
            .unwrap();
        let id = sent[0].as_ref().unwrap().submission_id;
        let approve = IntakeWrite::Approve {
            submission_id: id,
            outcome: outcome(motion, a, Status::Passed, "2019-02-04"),
        };
        let missing = IntakeWrite::Reject {
            submission_id: 999,
            reason: FreeText::parse("no").unwrap().unwrap(),
        };
        let results = store.intake(&[approve.clone(), missing], true).unwrap();
        assert!(matches!(results[..], [Err(Refused::Missing(999))]));
        assert_eq!(
            store.submission(id).unwrap().unwrap().state,
            SubmissionState::AwaitingReview
        );
        assert!(
            store.latest(motion, a).unwrap().is_none(),
            "an approval was written"
        );
        let results = store.intake(std::slice::from_ref(&approve), true).unwrap();
        assert_eq!(
            results[0].as_ref().unwrap().state,
            SubmissionState::Recorded
        );
        let again = store.intake(&[approve], true).unwrap();
        assert!(matches!(
            again[..],
            [Err(Refused::Decided {
                state: SubmissionState::Recorded,
                ..
            })]
        ));
    }

    #[test]
    fn the_same_report_sent_twice_while_it_waits_is_kept_once() {
        let (mut store, motion, [a, _], reporter) = intake();
        let write = submit(
            reporter,
            outcome(motion, a, Status::Moved, "2019-02-04"),
            false,
        );
        let first = store.intake(std::slice::from_ref(&write), false).unwrap();
        let second = store.intake(&[write], false).unwrap();
        assert_eq!(
            first[0].as_ref().unwrap().submission_id,
            second[0].as_ref().unwrap().submission_id
        );
        assert_eq!(store.submissions(true).unwrap().len(), 1);
    }

    #[test]
    fn a_link_follows_its_organisation_into_a_merge() {
        let (mut store, _, [_, b], reporter) = intake();
        let from = store.find_org("Ashby CLP").unwrap().unwrap();
        let into = store.find_org("Walford CLP").unwrap().unwrap();
        store.merge_orgs(&from, &into).unwrap();
        let reporters = store.reporters().unwrap();
        let orgs = reporters[0].0.orgs.clone().unwrap();
        assert_eq!(orgs.iter().map(|o| o.id).collect::<Vec<_>>(), [b]);
        assert_eq!(reporters[0].0.id, reporter);
    }
}
