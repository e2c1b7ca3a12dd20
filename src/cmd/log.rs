//! `motions log`: record what happened to a motion at one meeting.

use anyhow::{Context as _, Result, bail};

use super::org::OrgDetails;
use super::{Context, note, resolve, text_arg};
use crate::db::{Recorded, Registration};
use chrono::NaiveDate;

use crate::model::{
    Group, Kind, MAX_TEXT_CHARS, NewOutcome, Outcome, Status, Votes, check_meeting_date,
    parse_date_arg, today,
};

/// Record what happened to a motion at one meeting.
#[derive(Debug, clap::Args)]
#[command(after_help = "Statuses (other words accepted in brackets):\n  \
    planned          someone intends to table it (notice-given, intended)\n  \
    moved            tabled and moved, no decision yet (tabled, submitted)\n  \
    deferred         adjourned, not reached, postponed (adjourned, not-reached, postponed)\n  \
    referred         sent to an executive or committee (remitted)\n  \
    passed           carried as written (carried, agreed, adopted)\n  \
    passed-amended   carried with amendments (carried-as-amended, amended)\n  \
    rejected         lost on a vote (lost, defeated, fell, not-carried)\n  \
    withdrawn        withdrawn by the mover\n  \
    ruled-out        ruled out of order (ruled-out-of-order, out-of-order)\n\n\
    Examples:\n  \
    motions log \"Ashby CLP\" passed --date 2019-02-04 --for 34 --against 3 --abstain 1\n  \
    motions log \"Ashby Ward Branch\" deferred --date 28/01/2019 --note \"not reached\"\n  \
    motions log \"Walford Momentum\" carried --kind momentum --region London")]
pub(crate) struct Args {
    /// The organisation, as registered (case and accents do not matter). Leave out the
    /// organisation and the status to be asked, one question at a time.
    #[arg(requires = "status", add = clap_complete::engine::ArgValueCompleter::new(crate::cmd::complete::org_names))]
    pub(crate) org: Option<String>,

    /// What happened: passed, passed-amended, rejected, deferred, moved, ... (see below)
    #[arg(add = clap_complete::engine::ArgValueCompleter::new(crate::cmd::complete::statuses))]
    pub(crate) status: Option<String>,

    /// The motion's slug (may be left out when there is only one motion)
    #[arg(long, value_name = "SLUG", add = clap_complete::engine::ArgValueCompleter::new(crate::cmd::complete::motion_slugs))]
    pub(crate) motion: Option<String>,

    /// The date of the meeting [default: today]
    #[arg(long, value_name = "DATE")]
    pub(crate) date: Option<String>,

    /// Votes for
    #[arg(long = "for", value_name = "N", allow_negative_numbers = true)]
    pub(crate) votes_for: Option<i64>,

    /// Votes against
    #[arg(long = "against", value_name = "N", allow_negative_numbers = true)]
    pub(crate) votes_against: Option<i64>,

    /// Abstentions
    #[arg(long = "abstain", value_name = "N", allow_negative_numbers = true)]
    pub(crate) votes_abstain: Option<i64>,

    /// Who is reporting this
    #[arg(long, value_name = "NAME", allow_hyphen_values = true)]
    pub(crate) by: Option<String>,

    /// Where it is recorded: a URL or a minutes reference
    #[arg(long, allow_hyphen_values = true)]
    pub(crate) source: Option<String>,

    /// Anything else worth keeping
    #[arg(long, value_name = "TEXT", allow_hyphen_values = true)]
    pub(crate) note: Option<String>,

    #[command(
        flatten,
        next_help_heading = "If the organisation is not registered yet"
    )]
    pub(crate) new_org: OrgDetails,
}

pub(crate) fn run(args: Args, ctx: &Context) -> Result<()> {
    let args = if args.org.is_none() {
        if !super::guided::can_ask() {
            // Never wait for answers that cannot come: off a terminal, it is a usage error.
            let mut command = (ctx.app)();
            let usage = command
                .find_subcommand_mut("log")
                .map(|c| {
                    c.render_usage()
                        .to_string()
                        .replacen("Usage: log", "Usage: motions log", 1)
                })
                .unwrap_or_default();
            return Err(super::UsageError(format!(
                "give the organisation and the status, or run motions log on a terminal to be asked\n\n{usage}"
            ))
            .into());
        }
        match super::guided::ask(args, ctx)? {
            Some(args) => args,
            None => {
                note("Nothing recorded.");
                return Ok(());
            }
        }
    } else {
        args
    };
    let org = args.org.clone().unwrap_or_default();
    let status: Status = args.status.as_deref().unwrap_or_default().parse()?;
    let meeting_date = match &args.date {
        Some(date) => parse_date_arg(date)?,
        None => today(),
    };
    check_meeting_date(meeting_date, status)?;
    let votes = Votes {
        cast_for: count("--for", args.votes_for)?,
        against: count("--against", args.votes_against)?,
        abstain: count("--abstain", args.votes_abstain)?,
    };

    let mut store = ctx.store()?;
    let motion = resolve::motion(&mut store, args.motion.as_deref())?;
    let (known, register) = match store.find_org(&org)? {
        Some(org) => {
            if let Some(kind) = &args.new_org.kind {
                let kind: Kind = kind.parse()?;
                if kind != org.kind {
                    bail!(
                        "\"{}\" is registered as a {}, not a {kind}; leave out --kind to log \
                         for it, or give the name of another organisation",
                        org.name,
                        org.kind
                    );
                }
            }
            (Some(org), None)
        }
        None if args.new_org.kind.is_some() => {
            (None, Some(args.new_org.new_org(&org, None, None)?))
        }
        None => {
            let register = "to register it, add --kind KIND (and --region REGION) to this command, \
                            or run: motions org add NAME --kind KIND";
            return Err(resolve::unknown_org(&mut store, &org, register)?);
        }
    };
    let before = match &known {
        Some(org) => store.latest(motion.id, org.id)?,
        None => None,
    };
    let outcome = NewOutcome {
        motion_id: motion.id,
        org_id: known.as_ref().map_or(0, |org| org.id),
        status,
        meeting_date,
        votes,
        reported_by: text_arg("--by", args.by.as_deref(), MAX_TEXT_CHARS)?,
        source: text_arg("--source", args.source.as_deref(), MAX_TEXT_CHARS)?,
        notes: text_arg("--note", args.note.as_deref(), MAX_TEXT_CHARS)?,
    };
    let (recorded, registered) = store
        .record(register.as_ref(), &outcome)
        .with_context(|| format!("recording the outcome for {}", org.trim()))?;
    match &registered {
        Some(Registration::New(org)) => {
            note(format!("Registered {}", super::org::describe(org)));
        }
        Some(Registration::Existing(org)) => note(format!(
            "Used {}, registered a moment ago by someone else",
            super::org::describe(org)
        )),
        None => {}
    }
    let org_name = registered
        .map(|r| r.org().name.clone())
        .or(known.map(|org| org.name))
        .unwrap_or_default();
    let what = format!("{org_name} {status} {} on {meeting_date}", motion.slug);
    match recorded {
        Recorded::Added(id) => {
            note(format!("Recorded: {what} (event {id})"));
            for warning in warnings(&outcome, motion.issued_on, before.as_ref()) {
                note(format!("Note: {warning}"));
            }
        }
        Recorded::AlreadyThere(id) => {
            note(format!(
                "Already recorded: {what} (event {id}); nothing added"
            ));
            if let Some(existing) = store.outcome(id)? {
                let differences = existing.differences(&outcome);
                if !differences.is_empty() {
                    note(format!(
                        "Note: event {id} has different details ({}); they were not changed",
                        differences.join("; ")
                    ));
                }
            }
        }
        Recorded::Contradicts { event, status: was } => {
            bail!(Recorded::contradiction(event, was, status, meeting_date))
        }
    }
    Ok(())
}

/// What looks wrong about an outcome just recorded, though it may be right.
fn warnings(
    new: &NewOutcome,
    issued_on: Option<NaiveDate>,
    before: Option<&Outcome>,
) -> Vec<String> {
    let mut warnings = Vec::new();
    if let (Some(cast_for), Some(against)) = (new.votes.cast_for, new.votes.against) {
        let odd = match new.status.group() {
            Group::Passed => cast_for < against,
            Group::Rejected => cast_for > against,
            _ => false,
        };
        if odd {
            warnings.push(format!(
                "it was {} with {cast_for} for and {against} against; check the status and the votes",
                new.status
            ));
        }
    }
    if let Some(issued) = issued_on.filter(|issued| new.meeting_date < *issued) {
        warnings.push(format!(
            "the meeting ({}) was before the motion was issued ({issued}); check the date",
            new.meeting_date
        ));
    }
    // A planned meeting later than this one stays the current status, as the rule says; say so,
    // since a meeting brought forward leaves such a plan behind.
    if let Some(plan) =
        before.filter(|b| b.status == Status::Planned && b.meeting_date > new.meeting_date)
    {
        warnings.push(format!(
            "the meeting planned for {} (event {}) stays the current status until then; if it will \
             not happen, retract it: motions outcome retract {} --reason \"...\"",
            plan.meeting_date, plan.id, plan.id
        ));
    }
    let replaced = before.filter(|b| {
        b.meeting_date == new.meeting_date && b.status.is_decision() && !new.status.is_decision()
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

/// A vote count must be a whole number, 0 or more.
fn count(flag: &str, value: Option<i64>) -> Result<Option<u32>> {
    match value {
        None => Ok(None),
        Some(n) if (0..=i64::from(u32::MAX)).contains(&n) => Ok(Some(n as u32)),
        Some(n) if n < 0 => bail!("{flag} {n}: a number of votes cannot be negative"),
        Some(n) => bail!("{flag} {n}: that is more votes than any meeting has"),
    }
}
