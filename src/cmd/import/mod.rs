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
use crate::model::{Answer, Answers, DateOrder};

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

    /// The order of dates written in numbers only: dmy (28/02/2019, as in the UK) or mdy
    /// (02/28/2019, as a form set to a US locale exports them)
    #[arg(long, value_enum, value_name = "ORDER", default_value = "dmy")]
    dates: Dates,
}

/// The order of a file's dates in numbers only.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Dates {
    /// Day first: 28/02/2019
    Dmy,
    /// Month first: 02/28/2019
    Mdy,
}

/// What imports of organisations and outcomes take to read a form's own words.
#[derive(Debug, Clone, clap::Args)]
pub(crate) struct FormArgs {
    /// What the file's own answer means: "status:THEIR WORDS=STATUS" or "kind:THEIR
    /// WORDS=KIND"; "=-" leaves such rows out (repeat for each answer)
    #[arg(long = "value", value_name = "COLUMN:WORDS=MEANING", value_parser = answer)]
    values: Vec<Answer>,

    /// Take the file's regions and unions as written, even those that look like slips for ones
    /// in use (which are otherwise refused)
    #[arg(long)]
    create_regions: bool,
}

impl FormArgs {
    fn answers(&self) -> Answers {
        Answers(self.values.clone())
    }
}

fn answer(text: &str) -> Result<Answer, String> {
    text.parse::<Answer>().map_err(|err| err.to_string())
}

pub(crate) fn run(command: Command, ctx: &Context) -> Result<()> {
    match command {
        Command::Motions(args) => motions::run(args, ctx),
        Command::Orgs(args) => orgs::run(args, ctx),
        Command::Outcomes(args) => outcomes::run(args, ctx),
    }
}

impl FileArgs {
    fn dates(&self) -> DateOrder {
        match self.dates {
            Dates::Dmy => DateOrder::DayFirst,
            Dates::Mdy => DateOrder::MonthFirst,
        }
    }

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

/// Says what deserves a second look though it did not stop the import: the first of
/// `warnings`, and how many more there were (`more` beyond those given).
pub(crate) fn warn(warnings: &[String], more: u64) {
    for warning in warnings.iter().take(SHOWN_WARNINGS) {
        note(format!("Note: {warning}"));
    }
    let unshown = warnings.len().saturating_sub(SHOWN_WARNINGS) as u64 + more;
    if unshown > 0 {
        note(format!(
            "Note: ... and {} more like these",
            crate::model::thousands(unshown)
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
        "{} {}; skipped {} already registered.{}",
        summary_start(dry_run, file),
        plural(added, one, many),
        crate::model::thousands(skipped),
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
