//! `motions import orgs`: the registry of organisations from a CSV file.

use anyhow::Result;

use super::{FileArgs, plural, registry_summary};
use crate::cmd::progress::Progress;
use crate::cmd::{Context, note};
use crate::csv_io::{CsvInput, ORGS};
use crate::ops::import;

/// Load organisations into the registry from a CSV file, all or nothing.
///
/// Columns: name, kind; optional region, union, parent (the CLP of a branch: registered, or
/// anywhere in the file), code. A name already registered is skipped.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Kinds: clp, labour-branch, momentum-group, union-branch, trades-council, \
    other (or branch, ward, momentum, union, tuc).\n\n\
    Examples:\n  motions import orgs registry.csv\n  \
    motions import orgs branches.csv --column \"Branch=name\" --column \"Type=kind\" --column \"Notes=-\""
)]
pub(crate) struct Args {
    #[command(flatten)]
    file: FileArgs,

    /// Register a list shipped with motions instead of reading a file: uk-clps, the 575 CLPs
    /// of England and Wales (the 2024 Westminster boundaries; when they are redrawn, retire the
    /// CLPs abolished with: motions org retire)
    #[arg(long, value_enum, value_name = "LIST", conflicts_with = "file")]
    builtin: Option<Builtin>,

    /// With --builtin, only the CLPs of this region (repeat for more)
    #[arg(long, value_name = "REGION", requires = "builtin")]
    region: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Builtin {
    /// The 575 CLPs of England and Wales
    UkClps,
}

pub(crate) fn run(args: Args, ctx: &Context) -> Result<()> {
    let dry_run = args.file.dry_run;
    if args.builtin.is_some() {
        let counts = import::orgs::builtin(&mut ctx.store()?, &args.region, dry_run)?;
        note(format!(
            "{} {} of England and Wales (2024 boundaries); skipped {} already registered.{}",
            if dry_run {
                "Dry run: would register"
            } else {
                "Registered"
            },
            plural(counts.added, "CLP", "CLPs"),
            counts.skipped,
            if dry_run { " Nothing was written." } else { "" }
        ));
        super::warn(&counts.warnings);
        return Ok(());
    }
    let mut input = CsvInput::open(args.file.path()?, &ORGS, &args.file.columns, &[])?;
    let mut progress = Progress::new("Importing organisations", input.size);
    let counts = import::orgs::import(&mut ctx.store()?, &mut input, dry_run, &mut progress)?;
    note(registry_summary(
        &input.name,
        dry_run,
        counts.rows,
        counts.added,
        counts.skipped,
        ("organisation", "organisations"),
    ));
    Ok(())
}
