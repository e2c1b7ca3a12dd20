//! `motions status`: where the motion stands with every registered organisation.

use anyhow::Result;

use super::args::{self, FilterArgs};
use super::{Context, emit_rows, resolve};
use crate::model::StatusFilter;
use crate::output::rows::{self, NO_ORGS};
use crate::output::{OutputArgs, least_important_first};

/// Show each registered organisation's current status for a motion (`-` where it has not
/// moved it yet).
#[derive(Debug, clap::Args)]
#[command(
    after_help = "--status takes statuses and groups, separated by commas or with the flag \
    repeated: `--status passed,rejected`, `--status pending --status dropped`. `any` is every \
    organisation with an outcome recorded; `moved` is the status moved (tabled, no decision \
    yet), and `none` those that have not moved it.\n\n\
    On a narrow terminal the table leaves out Source first, then the votes, Group, Code, \
    Parent, Union and Region, in that order, keeping Organisation, Kind, Status and Meeting \
    date (--wide shows every column).\n\n\
    Examples:\n  motions status --kind clp --region London\n  \
    motions status --status none --kind clp --region London\n  \
    motions status --status rejected,pending,dropped\n  \
    motions status --as-of 2019-02-15 --format csv -o status.csv"
)]
pub(crate) struct Args {
    /// The motion's slug (may be left out when there is only one motion)
    #[arg(long, value_name = "SLUG", add = clap_complete::engine::ArgValueCompleter::new(crate::cmd::complete::motion_slugs))]
    motion: Option<String>,

    /// Only organisations whose current status is one of these (comma-separated, or repeat the
    /// flag): a status, a group (passed: as written or amended; rejected, pending, dropped;
    /// none: not yet moved), or any: every organisation with an outcome
    #[arg(long, value_name = "STATUS", value_delimiter = ',', value_parser = args::status_filter)]
    status: Vec<StatusFilter>,

    #[command(flatten)]
    filter: FilterArgs,

    /// Show the picture as it stood at the end of this day, or deadline (the
    /// motion's deadline)
    #[arg(long, value_name = "DATE", value_parser = super::args::as_of)]
    as_of: Option<crate::model::AsOf>,

    #[command(flatten)]
    output: OutputArgs,
}

/// The columns a narrow terminal leaves out, least important first; Organisation, Kind,
/// Status and Meeting date always stay.
const STATUS_DROPS: &[&[&str]] = &[
    &["source"],
    &["votes_for", "votes_against", "votes_abstain"],
    &["group"],
    &["code"],
    &["parent"],
    &["union"],
    &["region"],
];

pub(crate) fn run(args: Args, ctx: &Context) -> Result<()> {
    let mut store = ctx.reader()?;
    let filter = args.filter.parse(&mut store)?;
    let motion = resolve::motion(&mut store, args.motion.as_deref())?;
    let as_of = args.as_of.map(|as_of| as_of.day(&motion)).transpose()?;
    let mut columns = rows::status_columns();
    least_important_first(&mut columns, STATUS_DROPS);
    let none = if args.output.format()?.is_for_people() {
        "-"
    } else {
        "none"
    };
    emit_rows(&args.output, columns, NO_ORGS, |out| {
        store.each_standing(motion.id, &filter, as_of, |standing| {
            let status = standing.latest.as_ref().map(|latest| latest.status);
            if !StatusFilter::any_matches(&args.status, status) {
                return Ok(());
            }
            let row = rows::status_cells(standing, none);
            out.push(row)
        })
    })
}
