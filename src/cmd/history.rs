//! `motions history`: the event log.

use anyhow::Result;

use super::{Context, emit, resolve};
use crate::model::{HistoryFilter, parse_date_arg};
use crate::output::OutputArgs;
use crate::output::{Cell, Column, Report};

/// Show the event log, oldest meeting first, with each event's id.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:\n  motions history --org \"Ashby CLP\"\n  \
    motions history --motion venezuela-coup --since 2019-02-01 --format csv -o events.csv")]
pub(crate) struct Args {
    /// Only events for this motion
    #[arg(long, value_name = "SLUG", add = clap_complete::engine::ArgValueCompleter::new(crate::cmd::complete::motion_slugs))]
    motion: Option<String>,

    /// Only events of this organisation
    #[arg(long, value_name = "NAME", add = clap_complete::engine::ArgValueCompleter::new(crate::cmd::complete::org_names))]
    org: Option<String>,

    /// Only meetings on or after this date
    #[arg(long, value_name = "DATE")]
    since: Option<String>,

    /// Only meetings on or before this date
    #[arg(long, value_name = "DATE")]
    until: Option<String>,

    /// Retracted events too, with when and why they were retracted
    #[arg(long)]
    all: bool,

    #[command(flatten)]
    output: OutputArgs,
}

const COLUMNS: [(&str, &str); 12] = [
    ("id", "Id"),
    ("motion", "Motion"),
    ("organisation", "Organisation"),
    ("status", "Status"),
    ("meeting_date", "Meeting date"),
    ("votes_for", "For"),
    ("votes_against", "Against"),
    ("votes_abstain", "Abstain"),
    ("reported_by", "Reported by"),
    ("source", "Source"),
    ("notes", "Notes"),
    ("recorded_at", "Recorded at"),
];

pub(crate) fn run(args: Args, ctx: &Context) -> Result<()> {
    let since = args.since.as_deref().map(parse_date_arg).transpose()?;
    let until = args.until.as_deref().map(parse_date_arg).transpose()?;
    let mut store = ctx.reader()?;
    let motion_id = match &args.motion {
        Some(slug) => Some(resolve::motion(&mut store, Some(slug))?.id),
        None => None,
    };
    let org_id = match &args.org {
        Some(name) => {
            Some(resolve::org(&mut store, name, "see the registry with: motions org list")?.id)
        }
        None => None,
    };
    let events = store.history(&HistoryFilter {
        all: args.all,
        motion_id,
        org_id,
        since,
        until,
    })?;
    let mut report = Report::new(
        COLUMNS
            .map(|(key, heading)| Column::new(key, heading))
            .to_vec(),
    );
    if args.all {
        report
            .columns
            .push(Column::new("retracted_at", "Retracted at"));
        report
            .columns
            .push(Column::new("retraction_reason", "Why retracted"));
    }
    for event in events {
        let mut row = vec![
            Cell::Count(event.id as u64),
            Cell::from(event.motion),
            Cell::from(event.org),
            Cell::from(event.status.as_str()),
            Cell::from(event.meeting_date.to_string()),
            Cell::opt_count(event.votes.cast_for),
            Cell::opt_count(event.votes.against),
            Cell::opt_count(event.votes.abstain),
            Cell::opt(event.reported_by),
            Cell::opt(event.source),
            Cell::opt(event.notes),
            Cell::from(event.recorded_at),
        ];
        if args.all {
            row.push(Cell::opt(event.retracted.as_ref().map(|r| r.at.clone())));
            row.push(Cell::opt(event.retracted.map(|r| r.reason)));
        }
        report.rows.push(row);
    }
    emit(
        &args.output,
        &report,
        "No recorded events match; record one with: motions log ORG STATUS",
    )
}
