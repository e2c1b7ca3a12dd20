//! `motions import motions`: model motions from a CSV file.

use anyhow::Result;

use super::{FileArgs, registry_summary};
use crate::cmd::{Context, note};
use crate::csv_io::{CsvInput, MOTIONS};
use crate::ops::import;

/// Load motions from a CSV file, all or nothing.
///
/// Columns: slug, title; optional issued_by, issued_on, deadline, text. A slug already
/// registered is skipped.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:\n  motions import motions motions.csv\n  \
    motions import motions campaign.csv --column \"Short name=slug\" --column \"Motion=title\"")]
pub(crate) struct Args {
    #[command(flatten)]
    file: FileArgs,
}

pub(crate) fn run(args: Args, ctx: &Context) -> Result<()> {
    let mut input = CsvInput::open(args.file.path()?, &MOTIONS, &args.file.columns, &[])?;
    let dry_run = args.file.dry_run;
    let dates = args.file.dates();
    let counts = import::motions::import(&mut ctx.store()?, &mut input, dry_run, dates)?;
    note(registry_summary(
        &input.name,
        dry_run,
        counts.rows,
        counts.added,
        counts.skipped,
        ("motion", "motions"),
    ));
    Ok(())
}
