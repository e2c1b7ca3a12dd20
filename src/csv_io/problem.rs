//! Problems with the rows of a file, and the error that lists them.

use std::fmt;

use anyhow::anyhow;

use crate::model::thousands;

/// At most this many problems are listed; the rest are counted.
const SHOWN_PROBLEMS: usize = 50;

/// A problem with one cell of one row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Problem {
    pub(crate) line: u64,
    pub(crate) column: String,
    pub(crate) message: String,
}

impl Problem {
    pub(crate) fn new(line: u64, column: &str, message: impl fmt::Display) -> Problem {
        Problem {
            line,
            column: column.to_string(),
            message: message.to_string(),
        }
    }
}

/// The error that ends an import of `file` with problems: each as `FILE:LINE: column:
/// problem`, in the order of the lines, up to a limit.
/// `more` are the problems found but not kept, after those of `list`.
pub(crate) fn problems_error(file: &str, mut list: Vec<Problem>, more: u64) -> anyhow::Error {
    list.sort_by_key(|p| p.line);
    let count = list.len() as u64 + more;
    let shown = SHOWN_PROBLEMS as u64;
    let mut lines: Vec<String> = list
        .iter()
        .take(SHOWN_PROBLEMS)
        .map(|p| format!("  {file}:{}: {}: {}", p.line, p.column, p.message))
        .collect();
    if count > shown {
        lines.push(format!("  ... and {} more", thousands(count - shown)));
    }
    let problems = if count == 1 {
        "a problem".to_string()
    } else {
        format!("{} problems", thousands(count))
    };
    anyhow!(
        "{file} has {problems}, so nothing was imported:\n{}\nFix {} and import the file again.",
        lines.join("\n"),
        if count == 1 { "it" } else { "them" }
    )
}
