//! Importing CSV files, all or nothing: every row is checked through the same constructors as
//! any record and written inside one transaction, which is kept only when no row had a problem
//! (and it is not a dry run); rows already recorded are skipped and counted.

pub(crate) mod motions;
pub(crate) mod orgs;
pub(crate) mod outcomes;

use std::fmt::Display;

use crate::csv_io::{Problem, problems_error};
use crate::db::Finish;

/// Told how far an import has got, so a front end can show progress; it prints nothing itself.
pub(crate) trait Progress {
    /// `rows` rows are done and `position` (bytes, or rows) is reached.
    fn update(&mut self, rows: u64, position: u64);
    /// The rows are all read.
    fn finish(&mut self);
}

/// What an import of motions or organisations did.
#[derive(Debug, Clone, Default)]
pub(crate) struct Counts {
    pub(crate) rows: u64,
    pub(crate) added: u64,
    pub(crate) skipped: u64,
    /// Things worth a second look that did not stop the import.
    pub(crate) warnings: Vec<String>,
}

/// The problems found in a file, each reported as `FILE:LINE: column: problem`.
pub(crate) struct Problems {
    file: String,
    list: Vec<Problem>,
}

impl Problems {
    pub(crate) fn new(file: &str) -> Problems {
        Problems {
            file: file.to_string(),
            list: Vec::new(),
        }
    }

    pub(crate) fn push(&mut self, problem: Problem) {
        self.list.push(problem);
    }

    pub(crate) fn add(&mut self, line: u64, column: &str, message: impl Display) {
        self.push(Problem::new(line, column, message));
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    /// The error that ends an import with problems: every problem, up to a limit.
    pub(crate) fn into_error(self) -> anyhow::Error {
        problems_error(&self.file, self.list)
    }
}

/// How an import ends: with its problems and nothing written, or (unless it is a dry run)
/// committed.
pub(crate) fn finish<T>(
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
