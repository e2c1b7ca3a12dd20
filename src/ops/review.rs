//! Review: a coordinator approves or rejects the reports that wait for it.
//!
//! Approval checks a report again (the registry may have changed since it was sent) with
//! [`record::check`], the code `log` runs, and records it as `log` would, under the reporter's
//! name. Decisions from the command line are all or nothing.

use anyhow::{Result, anyhow, bail};
use chrono::NaiveDate;

use super::record::{self, LogRequest};
use crate::db::{IntakeWrite, Refused, Store, Written};
use crate::model::{FreeText, Submission, SubmissionState};

/// Checks a waiting submission for approval as `log` would check it today, under its
/// reporter's name; nothing is written.
pub(crate) fn prepare_approval(
    store: &mut Store,
    id: i64,
    today: NaiveDate,
) -> Result<IntakeWrite> {
    let submission = waiting(store, id)?;
    let count = |n: Option<u32>| n.map(i64::from);
    let request = LogRequest {
        motion: Some(submission.motion.clone()),
        org: submission.organisation.clone(),
        status: Some(submission.status),
        meeting_date: Some(submission.meeting_date),
        votes_for: count(submission.votes.cast_for),
        votes_against: count(submission.votes.against),
        votes_abstain: count(submission.votes.abstain),
        reported_by: Some(submission.reporter.clone()),
        source: submission.source.clone(),
        notes: submission.notes.clone(),
        register: None,
        how_to_register: "register it again (motions org add NAME --kind KIND), or reject the \
                          report"
            .to_string(),
    };
    let checked =
        record::check(store, &request, today).map_err(|err| anyhow!("submission {id}: {err:#}"))?;
    Ok(IntakeWrite::Approve {
        submission_id: id,
        outcome: checked.outcome,
    })
}

/// Checks a rejection: a waiting submission and a reason.
pub(crate) fn prepare_rejection(store: &mut Store, id: i64, reason: &str) -> Result<IntakeWrite> {
    let reason = match FreeText::parse(reason) {
        Ok(Some(reason)) => reason,
        Ok(None) => bail!("give the reason for turning it down, for the record"),
        Err(problem) => bail!("the reason {problem}"),
    };
    waiting(store, id)?;
    Ok(IntakeWrite::Reject {
        submission_id: id,
        reason,
    })
}

/// The submission, if it is waiting for review.
fn waiting(store: &mut Store, id: i64) -> Result<Submission> {
    let Some(submission) = store.submission(id)? else {
        return Err(Refused::Missing(id).into());
    };
    if submission.state != SubmissionState::AwaitingReview {
        let hint = match submission.outcome_id {
            Some(event) => format!(
                " (as event {event}; to take it back: motions outcome retract {event} --reason \"...\")"
            ),
            None => String::new(),
        };
        bail!(
            "{}{hint}",
            Refused::Decided {
                id,
                state: submission.state
            }
        );
    }
    Ok(submission)
}

/// Decides the submissions (approvals or rejections) all at once: every one is checked first,
/// and nothing is written unless every one can be.
pub(crate) fn decide(store: &mut Store, writes: &[IntakeWrite]) -> Result<Vec<Written>> {
    let results = store.intake(writes, true)?;
    results
        .into_iter()
        .map(|result| result.map_err(anyhow::Error::from))
        .collect()
}

/// The submissions waiting for review, or all of them.
pub(crate) fn submissions(store: &mut Store, all: bool) -> Result<Vec<Submission>> {
    store.submissions(all)
}

/// One submission, by id.
pub(crate) fn submission(store: &mut Store, id: i64) -> Result<Option<Submission>> {
    store.submission(id)
}
