//! Recording one outcome: what `log`, the guided prompts and the web form do.

use anyhow::{Context as _, Result};
use chrono::NaiveDate;

use super::{registry, resolve};
use crate::db::{Recorded, Registration, Store};
use crate::model::{
    Field, FieldError, FreeText, Group, Motion, NewOutcome, Org, OrgRef, Outcome, OutcomeDraft,
    Rejected, Status,
};

/// One outcome to record, as a person gave it: names not yet looked up, values not yet checked.
#[derive(Debug, Clone, Default)]
pub(crate) struct LogRequest {
    /// The motion's slug; may be left out while only one motion exists.
    pub(crate) motion: Option<String>,
    pub(crate) org: String,
    pub(crate) status: Option<Status>,
    pub(crate) meeting_date: Option<NaiveDate>,
    pub(crate) votes_for: Option<i64>,
    pub(crate) votes_against: Option<i64>,
    pub(crate) votes_abstain: Option<i64>,
    pub(crate) reported_by: Option<String>,
    pub(crate) source: Option<String>,
    pub(crate) notes: Option<String>,
    /// The details to register the organisation with when it is not registered yet.
    pub(crate) register: Option<registry::OrgRequest>,
    /// How to register an unknown organisation, said after its "did you mean".
    pub(crate) how_to_register: String,
}

/// What recording did.
#[derive(Debug, Clone)]
pub(crate) struct Logged {
    pub(crate) motion: Motion,
    /// The organisation it was recorded for.
    pub(crate) org: Org,
    /// Set when the organisation was registered for it.
    pub(crate) registration: Option<Registration>,
    pub(crate) status: Status,
    pub(crate) meeting_date: NaiveDate,
    pub(crate) recorded: Recorded,
    /// What looks wrong about a new outcome, though it may be right.
    pub(crate) warnings: Vec<String>,
    /// For an outcome already recorded: the details given this time that differ.
    pub(crate) differences: Vec<String>,
}

/// An outcome checked against the records, ready to write: what [`record`] writes, and what
/// the web intake keeps for review, so both refuse the same things with the same words.
#[derive(Debug, Clone)]
pub(crate) struct Checked {
    pub(crate) motion: Motion,
    target: Target,
    pub(crate) outcome: NewOutcome,
}

/// Records one outcome, registering its organisation first when the request says how, all in
/// one write. `today` is the day the meeting date is checked against (and the default date).
pub(crate) fn record(store: &mut Store, request: &LogRequest, today: NaiveDate) -> Result<Logged> {
    let Checked {
        motion,
        target,
        outcome,
    } = check(store, request, today)?;
    let (status, meeting_date) = (outcome.status(), outcome.meeting_date());
    let (before, register) = match &target {
        Target::Known(org) => (store.latest(motion.id, org.id)?, None),
        Target::New(new) => (None, Some(new)),
    };
    let (recorded, registration) = store
        .record(register, &outcome)
        .with_context(|| format!("recording the outcome for {}", request.org.trim()))?;
    let org = match (&registration, target) {
        (Some(registration), _) => registration.org().clone(),
        (None, Target::Known(org)) => org,
        (None, Target::New(new)) => anyhow::bail!("{} was not registered", new.name()),
    };
    let (warnings, differences) = match recorded {
        Recorded::Added(_) => {
            let mut warnings = warnings(&outcome, motion.issued_on, before.as_ref());
            if let Some(Registration::New(new)) = &registration {
                warnings.extend(registry::missing_code(store, new)?);
            }
            if let Some(retired) = store
                .retirements()?
                .get(&org.id)
                .filter(|r| r.on <= meeting_date)
            {
                warnings.push(format!(
                    "{} was retired on {}, so an outcome on {meeting_date} is kept in its \
                     history but not counted; check the organisation{}",
                    org.name,
                    retired.on,
                    retired
                        .succeeded_by
                        .as_ref()
                        .map(|s| format!(" (it was succeeded by {s})"))
                        .unwrap_or_default()
                ));
            }
            (warnings, Vec::new())
        }
        Recorded::AlreadyThere(id) => (
            Vec::new(),
            store
                .outcome(id)?
                .map(|existing| existing.differences(outcome.details()))
                .unwrap_or_default(),
        ),
        Recorded::Contradicts { event, status: was } => {
            return Err(Rejected(vec![FieldError::new(
                Field::Status,
                Recorded::contradiction(event, was, status, meeting_date),
            )])
            .into());
        }
    };
    Ok(Logged {
        motion,
        org,
        registration,
        status,
        meeting_date,
        recorded,
        warnings,
        differences,
    })
}

/// Checks one outcome against the records without writing anything: the motion and the
/// organisation are looked up (an unknown one is refused with "did you mean"), the status is
/// required, and every value goes through the model's constructors.
pub(crate) fn check(store: &mut Store, request: &LogRequest, today: NaiveDate) -> Result<Checked> {
    let motion = resolve::motion(store, request.motion.as_deref())
        .map_err(|err| field_error(Field::Motion, err))?;
    let Some(status) = request.status else {
        return Err(Rejected(vec![FieldError::new(
            Field::Status,
            format!(
                "say what happened: {}",
                Status::ALL.map(Status::as_str).join(", ")
            ),
        )])
        .into());
    };
    let meeting_date = request.meeting_date.unwrap_or(today);
    let target = match store.find_org(&request.org)? {
        Some(org) => {
            if let Some(kind) = request.register.as_ref().and_then(|r| r.kind)
                && kind != org.kind
            {
                return Err(Rejected(vec![FieldError::new(
                    Field::Kind,
                    format!(
                        "\"{}\" is registered with the kind {}, not {kind}; leave out the kind to log \
                         for it, or give the name of another organisation",
                        org.name, org.kind
                    ),
                )])
                .into());
            }
            Target::Known(org)
        }
        None => match &request.register {
            Some(details) if details.kind.is_some() => {
                Target::New(registry::new_org(store, &request.org, details)?)
            }
            _ => {
                let err = resolve::unknown_org(store, &request.org, &request.how_to_register)?;
                return Err(field_error(Field::Organisation, err));
            }
        },
    };
    let org_ref = match &target {
        Target::Known(org) => OrgRef::Registered(org.id),
        Target::New(new) => OrgRef::Pending(new.name().clone()),
    };
    let outcome = NewOutcome::new(
        OutcomeDraft {
            motion_id: motion.id,
            org: org_ref,
            status,
            meeting_date,
            votes_for: request.votes_for,
            votes_against: request.votes_against,
            votes_abstain: request.votes_abstain,
            reported_by: request.reported_by.as_deref(),
            source: request.source.as_deref(),
            notes: request.notes.as_deref(),
        },
        today,
    )?;
    Ok(Checked {
        motion,
        target,
        outcome,
    })
}

/// The organisation an outcome is for: in the registry, or to be registered with it.
#[derive(Debug, Clone)]
enum Target {
    Known(Org),
    New(crate::model::NewOrg),
}

/// An error about one field, as a typed refusal.
fn field_error(field: Field, err: anyhow::Error) -> anyhow::Error {
    match err.downcast::<Rejected>() {
        Ok(rejected) => rejected.into(),
        Err(err) => Rejected(vec![FieldError::new(field, format!("{err:#}"))]).into(),
    }
}

/// What looks wrong about an outcome just recorded, though it may be right.
fn warnings(
    new: &NewOutcome,
    issued_on: Option<NaiveDate>,
    before: Option<&Outcome>,
) -> Vec<String> {
    let mut warnings = Vec::new();
    let votes = new.votes();
    if let (Some(cast_for), Some(against)) = (votes.cast_for, votes.against) {
        let odd = match new.status().group() {
            Group::Passed => cast_for < against,
            Group::Rejected => cast_for > against,
            _ => false,
        };
        if odd {
            warnings.push(format!(
                "it was {} with {cast_for} for and {against} against; check the status and the votes",
                new.status()
            ));
        }
    }
    if let Some(issued) = issued_on.filter(|issued| new.meeting_date() < *issued) {
        warnings.push(format!(
            "the meeting ({}) was before the motion was issued ({issued}); check the date",
            new.meeting_date()
        ));
    }
    // A planned meeting later than this one stays the current status, as the rule says; say so,
    // since a meeting brought forward leaves such a plan behind.
    if let Some(plan) =
        before.filter(|b| b.status == Status::Planned && b.meeting_date > new.meeting_date())
    {
        warnings.push(format!(
            "the meeting planned for {} (event {}) stays the current status until then; if it will \
             not happen, retract it: motions outcome retract {} --reason \"...\"",
            plan.meeting_date, plan.id, plan.id
        ));
    }
    let replaced = before.filter(|b| {
        b.meeting_date == new.meeting_date()
            && b.status.is_decision()
            && !new.status().is_decision()
    });
    if let Some(before) = replaced {
        warnings.push(format!(
            "this is now the current status, replacing \"{}\" (event {}), because it was \
             recorded later for the same date",
            before.status, before.id
        ));
    }
    warnings
}

/// Marks an event as recorded in error, with the reason: it stays in the history and counts
/// no more. Returns the event and the reason as kept.
pub(crate) fn retract(store: &mut Store, id: i64, reason: &str) -> Result<(Outcome, String)> {
    let reason = match FreeText::parse(reason) {
        Ok(Some(reason)) => reason,
        Ok(None) => anyhow::bail!(
            "give the reason with --reason \"...\"; the history keeps it beside the event"
        ),
        Err(problem) => anyhow::bail!("--reason {problem}"),
    };
    let event = store.retract(id, reason.as_str())?;
    Ok((event, reason.as_str().to_string()))
}

/// A correction to one recorded event: the details to change, each `None` to keep it (a blank
/// source, notes or reporter clears it).
#[derive(Debug, Clone, Default)]
pub(crate) struct AmendRequest {
    pub(crate) id: i64,
    pub(crate) meeting_date: Option<NaiveDate>,
    pub(crate) votes_for: Option<i64>,
    pub(crate) votes_against: Option<i64>,
    pub(crate) votes_abstain: Option<i64>,
    pub(crate) reported_by: Option<String>,
    pub(crate) source: Option<String>,
    pub(crate) notes: Option<String>,
    /// Why, kept in the history beside the original.
    pub(crate) reason: String,
}

/// Corrects an event in one write: a copy with the changes, checked by the same rules as any
/// new outcome, is recorded, and the original is retracted with a reason naming the copy.
pub(crate) fn amend(
    store: &mut Store,
    request: &AmendRequest,
    today: NaiveDate,
) -> Result<crate::db::Amended> {
    let reason = match crate::model::FreeText::parse(&request.reason) {
        Ok(Some(reason)) => reason,
        Ok(None) => anyhow::bail!(
            "give the reason with --reason \"...\"; the history keeps it beside the event"
        ),
        Err(problem) => anyhow::bail!("--reason {problem}"),
    };
    store.amend(
        request.id,
        reason.as_str(),
        |original, motion_id, org_id| {
            let given = |new: &Option<String>, old: &Option<String>| match new {
                Some(new) => Some(new.clone()),
                None => old.clone(),
            };
            let count = |new: Option<i64>, old: Option<u32>| new.or(old.map(i64::from));
            let (reported_by, source, notes) = (
                given(&request.reported_by, &original.reported_by),
                given(&request.source, &original.source),
                given(&request.notes, &original.notes),
            );
            let corrected = NewOutcome::new(
                OutcomeDraft {
                    motion_id,
                    org: OrgRef::Registered(org_id),
                    status: original.status,
                    meeting_date: request.meeting_date.unwrap_or(original.meeting_date),
                    votes_for: count(request.votes_for, original.votes.cast_for),
                    votes_against: count(request.votes_against, original.votes.against),
                    votes_abstain: count(request.votes_abstain, original.votes.abstain),
                    reported_by: reported_by.as_deref(),
                    source: source.as_deref(),
                    notes: notes.as_deref(),
                },
                today,
            )?;
            let unchanged = corrected.meeting_date() == original.meeting_date
                && corrected.votes() == original.votes
                && corrected.reported_by() == original.reported_by.as_deref()
                && corrected.source() == original.source.as_deref()
                && corrected.notes() == original.notes.as_deref();
            if unchanged {
                anyhow::bail!(
                    "event {} already says that; give what to change: --for, --against, --abstain, \
                 --date, --by, --source or --note",
                    original.id
                );
            }
            Ok(corrected)
        },
    )
}
