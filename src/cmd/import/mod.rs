//! `motions import motions|orgs|outcomes`: bulk loads from CSV, all or nothing. Every row is
//! checked and written inside one transaction, which is kept only when no row had a problem
//! (and it is not a dry run); rows already recorded are skipped and counted.

mod motions;
mod orgs;
mod outcomes;

use std::path::PathBuf;

use anyhow::Result;

use super::{Context, note};
use crate::csv_io::Mapping;
pub(crate) use crate::model::plural;

/// Load motions, organisations or outcomes from a CSV file.
#[derive(Debug, clap::Subcommand)]
pub(crate) enum Command {
    Motions(motions::Args),
    Orgs(orgs::Args),
    Outcomes(outcomes::Args),
}

/// What every import takes.
#[derive(Debug, clap::Args)]
pub(crate) struct FileArgs {
    /// The CSV file ('-' for standard input)
    file: Option<PathBuf>,

    /// Check the file and say what would be added, writing nothing
    #[arg(long)]
    dry_run: bool,

    /// Read a column of the file as a field: "HEADER=field", or "HEADER=-" to ignore it
    /// (repeat for each column)
    #[arg(long = "column", value_name = "HEADER=FIELD")]
    columns: Vec<Mapping>,
}

pub(crate) fn run(command: Command, ctx: &Context) -> Result<()> {
    match command {
        Command::Motions(args) => motions::run(args, ctx),
        Command::Orgs(args) => orgs::run(args, ctx),
        Command::Outcomes(args) => outcomes::run(args, ctx),
    }
}

impl FileArgs {
    /// The file to read: a usage error when it is missing.
    fn path(&self) -> Result<&std::path::Path> {
        match &self.file {
            Some(file) => Ok(file),
            None => Err(super::UsageError(
                "give the CSV file to import ('-' for standard input)".into(),
            )
            .into()),
        }
    }
}

/// At most this many notes are shown after an import; the rest are counted.
const SHOWN_WARNINGS: usize = 10;

/// Says what deserves a second look though it did not stop the import.
pub(crate) fn warn(warnings: &[String]) {
    for warning in warnings.iter().take(SHOWN_WARNINGS) {
        note(format!("Note: {warning}"));
    }
    if warnings.len() > SHOWN_WARNINGS {
        note(format!(
            "Note: ... and {} more like these",
            warnings.len() - SHOWN_WARNINGS
        ));
    }
}

/// What an import of motions or organisations did, in a sentence.
pub(crate) fn registry_summary(
    file: &str,
    dry_run: bool,
    rows: u64,
    added: u64,
    skipped: u64,
    (one, many): (&str, &str),
) -> String {
    if rows == 0 {
        return format!("{file} has no rows to import, only a header.");
    }
    format!(
        "{} {}; skipped {skipped} already registered.{}",
        summary_start(dry_run, file),
        plural(added, one, many),
        if dry_run { " Nothing was written." } else { "" }
    )
}

/// The first words of a summary: what was done to which file.
pub(crate) fn summary_start(dry_run: bool, file: &str) -> String {
    if dry_run {
        format!("Dry run of {file}: would add")
    } else {
        format!("Imported {file}: added")
    }
}
