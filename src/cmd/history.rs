//! `motions history`: the event log.

use anyhow::Result;

use super::{Context, emit_rows, resolve};
use crate::model::{HistoryFilter, Outcome, parse_date_arg};
use crate::output::{Cell, Column, OutputArgs, least_important_first};

/// Show the event log, oldest meeting first, with each event's id.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "On a narrow terminal the table leaves out Notes first, then Source, \
    Recorded at, Reported by, Motion, the votes and Retracted at, in that order, keeping Id, \
    Organisation, Status, Meeting date and Why retracted (--wide shows every column).\n\n\
    Examples:\n  motions history --org \"Ashby CLP\"\n  \
    motions history --motion venezuela-coup --since 2019-02-01 --format csv -o events.csv"
)]
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
    let filter = HistoryFilter {
        all: args.all,
        motion_id,
        org_id,
        since,
        until,
    };
    let mut columns: Vec<Column> = COLUMNS
        .map(|(key, heading)| Column::new(key, heading))
        .to_vec();
    if args.all {
        columns.push(Column::new("retracted_at", "Retracted at"));
        columns.push(Column::new("retraction_reason", "Why retracted"));
    }
    least_important_first(
        &mut columns,
        &[
            &["notes"],
            &["source"],
            &["recorded_at"],
            &["reported_by"],
            &["motion"],
            &["votes_for", "votes_against", "votes_abstain"],
            &["retracted_at"],
        ],
    );
    emit_rows(
        &args.output,
        columns,
        "No recorded events match; record one with: motions log ORG STATUS",
        |rows| store.each_history(&filter, |event| rows.push(cells(event, args.all))),
    )
}

/// An event's row; with `all`, when and why it was retracted too.
fn cells(event: &Outcome, all: bool) -> Vec<Cell> {
    let mut row = vec![
        Cell::Count(event.id as u64),
        Cell::from(event.motion.as_str()),
        Cell::from(event.org.as_str()),
        Cell::from(event.status.as_str()),
        Cell::from(event.meeting_date.to_string()),
        Cell::opt_count(event.votes.cast_for),
        Cell::opt_count(event.votes.against),
        Cell::opt_count(event.votes.abstain),
        Cell::opt(event.reported_by.as_deref()),
        Cell::opt(event.source.as_deref()),
        Cell::opt(event.notes.as_deref()),
        Cell::from(event.recorded_at.as_str()),
    ];
    if all {
        let retracted = event.retracted.as_ref();
        row.push(Cell::opt(retracted.map(|r| r.at.as_str())));
        row.push(Cell::opt(retracted.map(|r| r.reason.as_str())));
    }
    row
}
