//! `motions review [list [--all]] | approve ID ... | reject ID ... --reason TEXT`: the reports
//! sent through links without `--trusted`, which count only once a coordinator approves them.

use anyhow::{Result, bail};

use super::{Context, emit, note};
use crate::db::Recorded;
use crate::model::{Submission, today};
use crate::ops::review;
use crate::output::{Cell, Column, OutputArgs, Report};

/// Decide which reports sent through links count: list them, approve or reject them.
#[derive(Debug, clap::Args)]
#[command(
    args_conflicts_with_subcommands = true,
    after_help = "A report waiting for review is not in history and not counted. Approving \
    records it as motions log would, with the reporter's name as reported_by.\n\n\
    Examples:\n  motions review\n  motions review approve 12 13\n  \
    motions review reject 14 --reason \"the branch did not meet that week\"\n  \
    motions review list --all --format csv"
)]
pub(crate) struct Args {
    #[command(subcommand)]
    command: Option<Command>,

    #[command(flatten)]
    list: ListArgs,
}

#[derive(Debug, clap::Subcommand)]
pub(crate) enum Command {
    List(ListArgs),
    Approve(ApproveArgs),
    Reject(RejectArgs),
}

/// List the reports waiting for review (with --all, the decided ones too).
#[derive(Debug, clap::Args)]
pub(crate) struct ListArgs {
    /// Also the reports already recorded or rejected
    #[arg(long)]
    all: bool,

    #[command(flatten)]
    output: OutputArgs,
}

/// Record reports as outcomes, as motions log would (all of them, or none if one cannot be).
#[derive(Debug, clap::Args)]
pub(crate) struct ApproveArgs {
    /// The reports' ids (from motions review list)
    #[arg(required = true, value_name = "ID")]
    ids: Vec<i64>,
}

/// Turn reports down; they stay listed with the reason (review list --all).
#[derive(Debug, clap::Args)]
pub(crate) struct RejectArgs {
    /// The reports' ids (from motions review list)
    #[arg(required = true, value_name = "ID")]
    ids: Vec<i64>,

    /// Why, for the record
    #[arg(long, required = true, allow_hyphen_values = true)]
    reason: String,
}

pub(crate) fn run(args: Args, ctx: &Context) -> Result<()> {
    match args.command {
        None => list(args.list, ctx),
        Some(Command::List(list_args)) => list(list_args, ctx),
        Some(Command::Approve(args)) => approve(args, ctx),
        Some(Command::Reject(args)) => reject(args, ctx),
    }
}

fn approve(args: ApproveArgs, ctx: &Context) -> Result<()> {
    let mut store = ctx.store()?;
    let today = today();
    let writes = checked_all(&args.ids, |id| {
        review::prepare_approval(&mut store, id, today)
    })?;
    for written in review::decide(&mut store, &writes)? {
        let how = match written.recorded {
            Some(Recorded::AlreadyThere(id)) => format!("already recorded as event {id}"),
            _ => format!(
                "recorded as event {}",
                written.outcome_id.unwrap_or_default()
            ),
        };
        note(format!("Approved report {}: {how}", written.submission_id));
    }
    Ok(())
}

fn reject(args: RejectArgs, ctx: &Context) -> Result<()> {
    let mut store = ctx.store()?;
    let writes = checked_all(&args.ids, |id| {
        review::prepare_rejection(&mut store, id, &args.reason)
    })?;
    for written in review::decide(&mut store, &writes)? {
        note(format!("Rejected report {}", written.submission_id));
    }
    Ok(())
}

/// Checks every id before anything is written; every problem is said, and then nothing is.
fn checked_all<T>(ids: &[i64], mut check: impl FnMut(i64) -> Result<T>) -> Result<Vec<T>> {
    let mut seen = Vec::new();
    let mut checked = Vec::new();
    let mut problems = Vec::new();
    for &id in ids {
        if seen.contains(&id) {
            continue;
        }
        seen.push(id);
        match check(id) {
            Ok(write) => checked.push(write),
            Err(err) => problems.push(format!("{err:#}")),
        }
    }
    if !problems.is_empty() {
        let nothing = if ids.len() > 1 {
            "\nNothing was changed."
        } else {
            ""
        };
        bail!("{}{nothing}", problems.join("\n"));
    }
    Ok(checked)
}

fn list(args: ListArgs, ctx: &Context) -> Result<()> {
    let submissions = review::submissions(&mut ctx.reader()?, args.all)?;
    let report = report(&submissions);
    let nothing = if args.all {
        "No reports have been sent through links yet."
    } else {
        "No reports are waiting for review."
    };
    emit(&args.output, &report, nothing)
}

/// The contract's columns of `review list`.
fn report(submissions: &[Submission]) -> Report {
    let mut report = Report::new(
        [
            ("id", "Id"),
            ("state", "State"),
            ("reporter", "Reporter"),
            ("motion", "Motion"),
            ("organisation", "Organisation"),
            ("status", "Status"),
            ("meeting_date", "Meeting date"),
            ("votes_for", "For"),
            ("votes_against", "Against"),
            ("votes_abstain", "Abstain"),
            ("source", "Source"),
            ("notes", "Notes"),
            ("submitted_at", "Sent"),
            ("decided_at", "Decided"),
            ("reason", "Reason"),
        ]
        .map(|(key, heading)| Column::new(key, heading))
        .to_vec(),
    );
    for s in submissions {
        report.rows.push(vec![
            Cell::Count(s.id as u64),
            Cell::from(s.state.as_str()),
            Cell::from(s.reporter.clone()),
            Cell::from(s.motion.clone()),
            Cell::from(s.organisation.clone()),
            Cell::from(s.status.as_str()),
            Cell::from(s.meeting_date.to_string()),
            Cell::opt_count(s.votes.cast_for),
            Cell::opt_count(s.votes.against),
            Cell::opt_count(s.votes.abstain),
            Cell::opt(s.source.as_deref()),
            Cell::opt(s.notes.as_deref()),
            Cell::from(s.submitted_at.clone()),
            Cell::opt(s.decided_at.as_deref()),
            Cell::opt(s.reason.as_deref()),
        ]);
    }
    report
}
