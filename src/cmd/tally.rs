//! `motions tally`: how many have passed, rejected, are considering, or have not moved the
//! motion, against the whole registry, broken down by kind, region or union.

use anyhow::Result;

use super::args::{self, FilterArgs};
use super::{Context, emit, note, resolve};
use crate::model::{AsOf, Dimension};
use crate::ops::reports;
use crate::output::OutputArgs;
use crate::output::rows::{self, NO_ORGS};

/// Count current statuses against the registry: passed, rejected, pending, dropped and not yet
/// moved, with a total row.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Every row adds up: passed + rejected + pending + dropped + not moved = \
    registered. `amended` counts the passes that were amended (a part of `passed`).\n\n\
    --by clp counts ward branches under their parent CLP, with the CLP's own status beside them; \
    a CLP with no branches and no outcome of its own is left out unless --all-rows.\n\n\
    On a narrow terminal the table leaves out the --detail columns first, then Amended, \
    Dropped, Pending, CLP's own status and Rejected, in that order (--wide shows every \
    column).\n\n\
    Examples:\n  motions tally --by kind\n  motions tally --by region --by kind --as-of 2019-02-15\n  \
    motions tally --by clp --region London\n  \
    motions tally --by union --kind union-branch --detail --format csv"
)]
pub(crate) struct Args {
    /// The motion's slug (may be left out when there is only one motion)
    #[arg(long, value_name = "SLUG", add = clap_complete::engine::ArgValueCompleter::new(crate::cmd::complete::motion_slugs))]
    motion: Option<String>,

    /// Break the tally down by kind, region or union (repeat, or list with commas), or count
    /// branches under their CLP
    #[arg(long, value_enum, value_delimiter = ',', value_name = "COLUMN")]
    by: Vec<By>,

    /// Add a column for each status
    #[arg(long)]
    detail: bool,

    /// With --by clp, every CLP, even those with no branches and no outcome
    #[arg(long)]
    all_rows: bool,

    #[command(flatten)]
    filter: FilterArgs,

    /// Count as things stood at the end of this day, or deadline (the motion's deadline)
    #[arg(long, value_name = "DATE", value_parser = args::as_of)]
    as_of: Option<AsOf>,

    #[command(flatten)]
    output: OutputArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum By {
    Kind,
    Region,
    Union,
    Clp,
}

impl From<By> for Dimension {
    fn from(by: By) -> Dimension {
        match by {
            By::Kind => Dimension::Kind,
            By::Region => Dimension::Region,
            By::Union => Dimension::Union,
            By::Clp => Dimension::Clp,
        }
    }
}

pub(crate) fn run(args: Args, ctx: &Context) -> Result<()> {
    let by: Vec<Dimension> = args.by.iter().map(|&b| Dimension::from(b)).collect();
    let mut store = ctx.reader()?;
    let filter = args.filter.parse(&mut store)?;
    let motion = resolve::motion(&mut store, args.motion.as_deref())?;
    let as_of = args.as_of.map(|as_of| as_of.day(&motion)).transpose()?;
    let mut tally = reports::tally(&mut store, &motion, &by, &filter, as_of)?;
    let idle = match args.all_rows {
        true => 0,
        false => tally.without_idle_clps(),
    };
    let for_people = args.output.format()?.is_for_people();
    emit(
        &args.output,
        &rows::tally(&tally, args.detail, for_people),
        NO_ORGS,
    )?;
    if idle > 0 && for_people {
        note(format!(
            "Note: {} with no branches and no outcome left out; --all-rows shows every CLP",
            crate::model::plural(idle as u64, "CLP", "CLPs")
        ));
    }
    Ok(())
}
