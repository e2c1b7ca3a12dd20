//! `motions log`: record what happened to a motion at one meeting.

use anyhow::{Context as _, Result, bail};

use super::org::OrgDetails;
use super::{Context, note, resolve};
use crate::db::Recorded;
use crate::model::{NewOutcome, Status, Votes, clean_optional, parse_date_arg, today};

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
    /// The organisation, as registered (or one of its aliases)
    org: String,

    /// What happened: passed, passed-amended, rejected, deferred, moved, ... (see below)
    status: String,

    /// The motion's slug (may be left out when there is only one motion)
    #[arg(long, value_name = "SLUG")]
    motion: Option<String>,

    /// The date of the meeting [default: today]
    #[arg(long, value_name = "DATE")]
    date: Option<String>,

    /// Votes for
    #[arg(long = "for", value_name = "N", allow_negative_numbers = true)]
    votes_for: Option<i64>,

    /// Votes against
    #[arg(long = "against", value_name = "N", allow_negative_numbers = true)]
    votes_against: Option<i64>,

    /// Abstentions
    #[arg(long = "abstain", value_name = "N", allow_negative_numbers = true)]
    votes_abstain: Option<i64>,

    /// Who is reporting this
    #[arg(long, value_name = "NAME")]
    by: Option<String>,

    /// Where it is recorded: a URL or a minutes reference
    #[arg(long)]
    source: Option<String>,

    /// Anything else worth keeping
    #[arg(long, value_name = "TEXT")]
    note: Option<String>,

    #[command(
        flatten,
        next_help_heading = "If the organisation is not registered yet"
    )]
    new_org: OrgDetails,
}

pub(crate) fn run(args: Args, ctx: &Context) -> Result<()> {
    let status: Status = args.status.parse()?;
    let meeting_date = match &args.date {
        Some(date) => parse_date_arg(date)?,
        None => today(),
    };
    if meeting_date > today() && status != Status::Planned {
        bail!(
            "the meeting date {meeting_date} is in the future; only \"planned\" may have a \
             future date (log it as planned now, and the outcome after the meeting)"
        );
    }
    let votes = Votes {
        cast_for: count("--for", args.votes_for)?,
        against: count("--against", args.votes_against)?,
        abstain: count("--abstain", args.votes_abstain)?,
    };

    let mut store = ctx.store()?;
    let motion = resolve::motion(&mut store, args.motion.as_deref())?;
    let (org_id, known_name, register) = match store.find_org(&args.org)? {
        Some(org) => {
            if let Some(kind) = &args.new_org.kind {
                let kind: crate::model::Kind = kind.parse()?;
                if kind != org.kind {
                    bail!(
                        "\"{}\" is registered as a {}, not a {kind}; leave out --kind to log \
                         for it, or give the name of another organisation",
                        org.name,
                        org.kind
                    );
                }
            }
            (org.id, Some(org.name), None)
        }
        None if args.new_org.kind.is_some() => {
            (0, None, Some(args.new_org.new_org(&args.org, None, None)?))
        }
        None => {
            let register = "to register it, add --kind KIND (and --region REGION) to this command, \
                            or run: motions org add NAME --kind KIND";
            return Err(resolve::unknown_org(&mut store, &args.org, register)?);
        }
    };
    let outcome = NewOutcome {
        motion_id: motion.id,
        org_id,
        status,
        meeting_date,
        votes,
        reported_by: clean_optional(args.by.as_deref()),
        source: clean_optional(args.source.as_deref()),
        notes: clean_optional(args.note.as_deref()),
    };
    let (recorded, registered) = store
        .record(register.as_ref(), &outcome)
        .with_context(|| format!("recording the outcome for {}", args.org.trim()))?;
    if let Some(org) = &registered {
        note(format!("Registered {}", super::org::describe(org)));
    }
    let org_name = registered
        .map(|org| org.name)
        .or(known_name)
        .unwrap_or_default();
    match recorded {
        Recorded::Added(id) => note(format!(
            "Recorded: {org_name} {status} {} on {meeting_date} (event {id})",
            motion.slug
        )),
        Recorded::AlreadyThere(id) => note(format!(
            "Already recorded: {org_name} {status} {} on {meeting_date} (event {id}); nothing added",
            motion.slug
        )),
    }
    Ok(())
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
