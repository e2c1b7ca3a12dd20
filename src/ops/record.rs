//! Recording one outcome: what `log`, the guided prompts and the web form do.

use anyhow::{Context as _, Result};
use chrono::NaiveDate;

use super::{registry, resolve};
use crate::db::{Recorded, Registration, Store};
use crate::model::{
    Field, FieldError, Group, Motion, NewOutcome, Org, OrgRef, Outcome, OutcomeDraft, Rejected,
    Status,
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
        Recorded::Added(_) => (
            warnings(&outcome, motion.issued_on, before.as_ref()),
            Vec::new(),
        ),
        Recorded::AlreadyThere(id) => (
            Vec::new(),
            store
                .outcome(id)?
                .map(|existing| existing.differences(&outcome))
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
                        "\"{}\" is registered as a {}, not a {kind}; leave out the kind to log \
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
