//! `motions import motions|orgs|outcomes`: bulk loads from CSV, all or nothing. Every row is
//! checked and written inside one transaction, which is kept only when no row had a problem
//! (and it is not a dry run); rows already recorded are skipped and counted.

mod motions;
mod orgs;
mod outcomes;

use std::fmt::Display;
use std::path::PathBuf;

use anyhow::Result;

use super::{Context, note};
use crate::csv_io::{Mapping, Problem, problems_error};
use crate::db::Finish;

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

/// The problems found in a file, each reported as `FILE:LINE: column: problem`.
pub(super) struct Problems {
    file: String,
    list: Vec<Problem>,
}

impl Problems {
    pub(super) fn new(file: &str) -> Problems {
        Problems {
            file: file.to_string(),
            list: Vec::new(),
        }
    }

    pub(super) fn push(&mut self, problem: Problem) {
        self.list.push(problem);
    }

    pub(super) fn add(&mut self, line: u64, column: &str, message: impl Display) {
        self.push(Problem::new(line, column, message));
    }

    pub(super) fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    /// The error that ends an import with problems: every problem, up to a limit.
    pub(super) fn into_error(self) -> anyhow::Error {
        problems_error(&self.file, self.list)
    }
}

/// At most this many notes are shown after an import; the rest are counted.
const SHOWN_WARNINGS: usize = 10;

/// Says what deserves a second look though it did not stop the import.
pub(super) fn warn(warnings: &[String]) {
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

/// How an import ends: with its problems and nothing written, or (unless it is a dry run)
/// committed.
pub(super) fn finish<T>(
    problems: Problems,
    dry_run: bool,
    value: T,
) -> Finish<Result<T, Problems>> {
    if !problems.is_empty() {
        Finish::RollBack(Err(problems))
    } else if dry_run {
        Finish::RollBack(Ok(value))
    } else {
        Finish::Commit(Ok(value))
    }
}

/// What an import of motions or organisations did, in a sentence.
pub(super) fn registry_summary(
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

/// "1,234": counts in summaries.
pub(crate) fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// "1 outcome", "2 outcomes".
pub(crate) fn plural(n: u64, one: &str, many: &str) -> String {
    format!("{} {}", thousands(n), if n == 1 { one } else { many })
}

/// The first words of a summary: what was done to which file.
pub(super) fn summary_start(dry_run: bool, file: &str) -> String {
    if dry_run {
        format!("Dry run of {file}: would add")
    } else {
        format!("Imported {file}: added")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_read_easily() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(1234567), "1,234,567");
        assert_eq!(plural(1, "outcome", "outcomes"), "1 outcome");
        assert_eq!(plural(1500, "outcome", "outcomes"), "1,500 outcomes");
    }
}
