//! `motions log`: record what happened to a motion at one meeting.

use anyhow::Result;
use chrono::NaiveDate;

use super::args::{self, OrgDetails};
use super::{Context, note};
use crate::db::{Recorded, Registration};
use crate::model::{Status, shell_quote, today};
use crate::ops::record::{self, LogRequest, Logged};

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
    motions log \"Walford Momentum\" carried --kind momentum --region London\n  \
    motions log \"Ashby North Ward Branch\" moved --kind branch --parent \"Ashby CLP\"")]
pub(crate) struct Args {
    /// The organisation, as registered (case and accents do not matter). Leave out the
    /// organisation and the status to be asked, one question at a time.
    #[arg(requires = "status", add = clap_complete::engine::ArgValueCompleter::new(crate::cmd::complete::org_names))]
    pub(crate) org: Option<String>,

    /// What happened: passed, passed-amended, rejected, deferred, moved, ... (see below)
    #[arg(value_parser = args::status, add = clap_complete::engine::ArgValueCompleter::new(crate::cmd::complete::statuses))]
    pub(crate) status: Option<Status>,

    /// The motion's slug (may be left out when there is only one motion)
    #[arg(long, value_name = "SLUG", add = clap_complete::engine::ArgValueCompleter::new(crate::cmd::complete::motion_slugs))]
    pub(crate) motion: Option<String>,

    /// The date of the meeting [default: today]
    #[arg(long, value_name = "DATE", value_parser = args::date)]
    pub(crate) date: Option<NaiveDate>,

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

    /// Its code: for a CLP, its constituency's ONS code (E14..., W07...), which puts it on the map
    #[arg(
        long,
        value_name = "CODE",
        help_heading = "If the organisation is not registered yet"
    )]
    pub(crate) code: Option<String>,

    /// The CLP a branch belongs to (a registered organisation)
    #[arg(long, value_name = "NAME", help_heading = "If the organisation is not registered yet",
          add = clap_complete::engine::ArgValueCompleter::new(crate::cmd::complete::org_names))]
    pub(crate) parent: Option<String>,
}

/// How to register an organisation `log` does not know.
const HOW_TO_REGISTER: &str = "to register it, add --kind KIND (and --region REGION) to this \
                               command, or run: motions org add NAME --kind KIND";

pub(crate) fn run(args: Args, ctx: &Context) -> Result<()> {
    let request = if args.org.is_none() {
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
        let mut store = ctx.store()?;
        match super::guided::ask(&mut store, args.motion.as_deref())? {
            Some(request) => request,
            None => {
                note("Nothing recorded.");
                return Ok(());
            }
        }
    } else {
        request(args)
    };
    let mut store = ctx.store()?;
    let logged = record::record(&mut store, &request, today())?;
    say(&logged);
    let gave_details = request
        .register
        .as_ref()
        .is_some_and(|r| r.code.is_some() || r.parent.is_some());
    if gave_details && !matches!(logged.registration, Some(Registration::New(_))) {
        note(format!(
            "Note: {} was registered already, so --code and --parent changed nothing; change its \
             details with: motions org edit {} --code CODE --parent NAME",
            logged.org.name,
            shell_quote(&logged.org.name)
        ));
    }
    Ok(())
}

/// The request the flags make.
fn request(args: Args) -> LogRequest {
    // Without a kind nothing is registered; a code or parent alone is kept so that `log` can
    // say it changed nothing.
    let register = (args.new_org.kind.is_some() || args.code.is_some() || args.parent.is_some())
        .then(|| args.new_org.request(args.code, args.parent));
    LogRequest {
        motion: args.motion,
        org: args.org.unwrap_or_default(),
        status: args.status,
        meeting_date: args.date,
        votes_for: args.votes_for,
        votes_against: args.votes_against,
        votes_abstain: args.votes_abstain,
        reported_by: args.by,
        source: args.source,
        notes: args.note,
        register,
        how_to_register: HOW_TO_REGISTER.to_string(),
    }
}

/// Says what was recorded, and anything that looks wrong about it.
fn say(logged: &Logged) {
    match &logged.registration {
        Some(Registration::New(org)) => note(format!("Registered {}", org.describe())),
        Some(Registration::Existing(org)) => note(format!(
            "Used {}, registered a moment ago by someone else",
            org.describe()
        )),
        None => {}
    }
    let what = format!(
        "{} {} {} on {}",
        logged.org.name, logged.status, logged.motion.slug, logged.meeting_date
    );
    match logged.recorded {
        Recorded::Added(id) => {
            note(format!("Recorded: {what} (event {id})"));
            for warning in &logged.warnings {
                note(format!("Note: {warning}"));
            }
        }
        Recorded::AlreadyThere(id) => {
            note(format!(
                "Already recorded: {what} (event {id}); nothing added"
            ));
            if !logged.differences.is_empty() {
                note(format!(
                    "Note: event {id} has different details ({}); they were not changed",
                    logged.differences.join("; ")
                ));
            }
        }
        Recorded::Contradicts { .. } => {}
    }
}
