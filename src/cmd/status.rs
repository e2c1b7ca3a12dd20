//! `motions status`: where the motion stands with every registered organisation.

use anyhow::Result;

use super::args::FilterArgs;
use super::{Context, emit, resolve};
use crate::model::{Group, Status, StatusFilter, parse_date_arg};
use crate::output::OutputArgs;
use crate::output::rows::{NO_ORGS, org_cells, org_columns};
use crate::output::{Cell, Column, Report};

/// Show each registered organisation's current status for a motion (`-` where it has not
/// moved it yet).
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  motions status --kind clp --region London\n  \
    motions status --status none --kind clp --region London\n  \
    motions status --as-of 2019-02-15 --format csv -o status.csv"
)]
pub(crate) struct Args {
    /// The motion's slug (may be left out when there is only one motion)
    #[arg(long, value_name = "SLUG", add = clap_complete::engine::ArgValueCompleter::new(crate::cmd::complete::motion_slugs))]
    motion: Option<String>,

    /// Only organisations whose current status is this one, or in this group: passed
    /// (as written or amended), rejected, pending, dropped, none (not yet moved)
    #[arg(long, value_name = "STATUS")]
    status: Option<String>,

    #[command(flatten)]
    filter: FilterArgs,

    /// Show the picture as it stood at the end of this day
    #[arg(long, value_name = "DATE")]
    as_of: Option<String>,

    #[command(flatten)]
    output: OutputArgs,
}

pub(crate) fn run(args: Args, ctx: &Context) -> Result<()> {
    let wanted: Option<StatusFilter> = args.status.as_deref().map(str::parse).transpose()?;
    let as_of = args.as_of.as_deref().map(parse_date_arg).transpose()?;
    let mut store = ctx.reader()?;
    let filter = args.filter.parse(&mut store)?;
    let motion = resolve::motion(&mut store, args.motion.as_deref())?;
    let for_people = args.output.format()?.is_for_people();
    let report = status(&mut store, motion.id, &filter, wanted, as_of, for_people)?;
    emit(&args.output, &report, NO_ORGS)
}

/// The status report of one motion, as `status` prints it (and the web intake's API serves
/// it).
pub(crate) fn status(
    store: &mut crate::db::Store,
    motion_id: i64,
    filter: &crate::model::OrgFilter,
    wanted: Option<StatusFilter>,
    as_of: Option<chrono::NaiveDate>,
    for_people: bool,
) -> Result<Report> {
    let standings = store.standings(motion_id, filter, as_of)?;

    let mut report = Report::new(org_columns("organisation"));
    report.columns.extend(
        [
            ("status", "Status"),
            ("group", "Group"),
            ("meeting_date", "Meeting date"),
            ("votes_for", "For"),
            ("votes_against", "Against"),
            ("votes_abstain", "Abstain"),
            ("source", "Source"),
        ]
        .map(|(key, heading)| Column::new(key, heading)),
    );
    for standing in standings {
        let status = standing.latest.as_ref().map(|latest| latest.status);
        if wanted.is_some_and(|wanted| !wanted.matches(status)) {
            continue;
        }
        let mut row = org_cells(&standing.org);
        let none = if for_people { "-" } else { "none" };
        row.push(Cell::from(status.map_or(none, Status::as_str)));
        row.push(Cell::from(Group::of(status).as_str()));
        match &standing.latest {
            Some(latest) => row.extend([
                Cell::from(latest.meeting_date.to_string()),
                Cell::opt_count(latest.votes.cast_for),
                Cell::opt_count(latest.votes.against),
                Cell::opt_count(latest.votes.abstain),
                Cell::opt(latest.source.as_deref()),
            ]),
            None => row.extend(std::iter::repeat_n(Cell::Empty, 5)),
        }
        report.rows.push(row);
    }
    Ok(report)
}
