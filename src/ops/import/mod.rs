//! Importing CSV files, all or nothing: every row is checked through the same constructors as
//! any record and written inside one transaction, which is kept only when no row had a problem
//! (and it is not a dry run); rows already recorded are skipped and counted.

pub(crate) mod motions;
pub(crate) mod orgs;
pub(crate) mod outcomes;

use std::collections::HashMap;
use std::fmt::Display;

use chrono::NaiveDate;

use crate::csv_io::{Problem, problems_error};
use crate::db::Finish;
use crate::model::{DateOrder, only_order, parse_date_in, visible};

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
    /// Rows left out, as a `--value ...=-` said.
    pub(crate) left_out: u64,
}

/// What cells read as, remembered for the cells that come again: a file says the same few
/// statuses and meeting dates on thousands of rows. At most [`Remembered::MOST`] are kept, so a
/// file of all different values takes no more memory for them than any other.
pub(crate) struct Remembered<T> {
    read: HashMap<String, T>,
}

impl<T> Default for Remembered<T> {
    fn default() -> Self {
        Remembered {
            read: HashMap::new(),
        }
    }
}

impl<T: Clone> Remembered<T> {
    const MOST: usize = 4096;

    /// What `cell` reads as: as remembered, or as `read` reads it the first time.
    pub(crate) fn get_or(&mut self, cell: &str, read: impl FnOnce(&str) -> T) -> T {
        if let Some(known) = self.read.get(cell) {
            return known.clone();
        }
        let value = read(cell);
        if self.read.len() < Self::MOST {
            self.read.insert(cell.to_string(), value.clone());
        }
        value
    }
}

/// Things found in a file row by row, in the order of their lines: the first [`Kept::MOST`] are
/// kept and the rest counted, so that a file with a problem on each of a million rows is
/// reported in the memory of a small one. (What is shown is fewer still.)
pub(crate) struct Kept<T> {
    list: Vec<T>,
    total: u64,
}

impl<T> Default for Kept<T> {
    fn default() -> Self {
        Kept {
            list: Vec::new(),
            total: 0,
        }
    }
}

impl<T> Kept<T> {
    const MOST: usize = 1000;

    pub(crate) fn push(&mut self, item: T) {
        self.total += 1;
        if self.list.len() < Self::MOST {
            self.list.push(item);
        }
    }

    /// How many were found, kept or not.
    pub(crate) fn total(&self) -> u64 {
        self.total
    }

    /// Adds what another row by row search found (in the order of its own lines).
    pub(crate) fn absorb(&mut self, other: Kept<T>) {
        self.list.extend(other.list);
        self.total += other.total;
    }

    /// Those kept, and how many more were found.
    pub(crate) fn into_parts(self) -> (Vec<T>, u64) {
        let more = self.total - self.list.len() as u64;
        (self.list, more)
    }
}

/// The problems found in a file, each reported as `FILE:LINE: column: problem`.
pub(crate) struct Problems {
    file: String,
    list: Kept<Problem>,
    /// What the problems together suggest, said after them.
    hints: Vec<String>,
    /// Dates in numbers only that only one order reads, and the first of each.
    day_first_only: (u64, Option<String>),
    month_first_only: (u64, Option<String>),
}

impl Problems {
    pub(crate) fn new(file: &str) -> Problems {
        Problems {
            file: file.to_string(),
            list: Kept::default(),
            hints: Vec::new(),
            day_first_only: (0, None),
            month_first_only: (0, None),
        }
    }

    /// Reads a date cell in `order`, taking note of which order a date in numbers only must be
    /// read in, so a file read the wrong way about can be told so (see [`Problems::into_error`]).
    pub(crate) fn date(&mut self, text: &str, order: DateOrder) -> Result<NaiveDate, String> {
        let seen = match only_order(text) {
            Some(DateOrder::DayFirst) => Some(&mut self.day_first_only),
            Some(DateOrder::MonthFirst) => Some(&mut self.month_first_only),
            None => None,
        };
        if let Some((count, first)) = seen {
            *count += 1;
            first.get_or_insert_with(|| visible(text.trim()));
        }
        parse_date_in(text, order).map_err(|err| err.to_string())
    }

    pub(crate) fn push(&mut self, problem: Problem) {
        self.list.push(problem);
    }

    pub(crate) fn add(&mut self, line: u64, column: &str, message: impl Display) {
        self.push(Problem::new(line, column, message));
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.list.total() == 0
    }

    /// How many problems were found.
    pub(crate) fn count(&self) -> u64 {
        self.list.total()
    }

    /// Adds the problems another search of the same file found.
    pub(crate) fn absorb(&mut self, other: Problems) {
        self.list.absorb(other.list);
    }

    /// The error that ends an import with problems: every problem, up to a limit, and what they
    /// suggest: a file whose dates can only be month first (`2/28/2019`, and no `28/2/2019`) is
    /// from a US-locale form, so say `--dates mdy` (and the other way about).
    pub(crate) fn into_error(mut self, order: DateOrder) -> anyhow::Error {
        let (wrong, right, flag) = match order {
            DateOrder::DayFirst => (
                &self.month_first_only,
                &self.day_first_only,
                "with --dates mdy",
            ),
            DateOrder::MonthFirst => (
                &self.day_first_only,
                &self.month_first_only,
                "without --dates mdy",
            ),
        };
        if let ((_, Some(example)), (0, _)) = (wrong, right) {
            let first = match order {
                DateOrder::DayFirst => "month",
                DateOrder::MonthFirst => "day",
            };
            let hint = format!(
                "Hint: this file's dates look {first}-first (such as \"{example}\"); import it {flag}."
            );
            self.hints.push(hint);
        }
        let (list, more) = self.list.into_parts();
        let error = problems_error(&self.file, list, more);
        match self.hints.is_empty() {
            true => error,
            false => anyhow::anyhow!("{error:#}\n{}", self.hints.join("\n")),
        }
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
