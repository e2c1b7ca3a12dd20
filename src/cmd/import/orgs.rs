//! `motions import orgs`: the registry of organisations from a CSV file.

use anyhow::Result;

use super::{FileArgs, FormArgs, plural, registry_summary};
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
    A region or union that looks like a slip for one in use (or one of Labour's regions) is \
    refused; --create-regions takes the file's as written.\n\n\
    Examples:\n  motions import orgs registry.csv\n  \
    motions import orgs branches.csv --column \"Branch=name\" --column \"Type=kind\" --column \"Notes=-\"\n  \
    motions import orgs branches.csv --value \"kind:Ward=labour-branch\" --value \"kind:Individual=-\""
)]
pub(crate) struct Args {
    #[command(flatten)]
    file: FileArgs,

    #[command(flatten)]
    form: FormArgs,

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
            crate::model::thousands(counts.skipped),
            if dry_run { " Nothing was written." } else { "" }
        ));
        super::warn(&counts.warnings, 0);
        return Ok(());
    }
    let mut input = CsvInput::open(args.file.path()?, &ORGS, &args.file.columns, &[])?;
    let mut progress = Progress::new("Importing organisations", input.size);
    let options = import::orgs::Options {
        dry_run,
        answers: args.form.answers(),
        create_regions: args.form.create_regions,
    };
    let counts = import::orgs::import(&mut ctx.store()?, &mut input, &options, &mut progress)?;
    note(registry_summary(
        &input.name,
        dry_run,
        counts.rows,
        counts.added,
        counts.skipped,
        ("organisation", "organisations"),
    ));
    if counts.left_out > 0 {
        note(format!(
            "Left out {} as --value says.",
            plural(counts.left_out, "row", "rows")
        ));
    }
    Ok(())
}
