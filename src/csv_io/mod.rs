//! CSV as the contract describes it: the columns of each file, the readers imports use, the
//! writer exports and reports use, and the spreadsheet-formula guard they share.

mod header;
mod problem;
mod read;
mod scan;
mod schema;
mod write;

use std::borrow::Cow;

pub(crate) use header::Mapping;
pub(crate) use problem::{Problem, problems_error};
pub(crate) use read::{CsvInput, Row};
pub(crate) use schema::{MOTIONS, ORGS, OUTCOMES};
pub(crate) use write::{CsvOutput, outcome_row};

/// Characters that make a spreadsheet read a cell as a formula.
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// True for text that is written with a guarding `'`: text a spreadsheet would run as a
/// formula, and text that already looks guarded (`'=x`), so that removing the guard on import
/// gives back exactly what was stored.
fn needs_guard(text: &str) -> bool {
    text.starts_with(FORMULA_STARTS) || text.strip_prefix('\'').is_some_and(needs_guard)
}

/// Prefixes a text cell that a spreadsheet would run as a formula with `'`.
pub(crate) fn neutralise(text: &str) -> Cow<'_, str> {
    if needs_guard(text) {
        Cow::Owned(format!("'{text}"))
    } else {
        Cow::Borrowed(text)
    }
}

/// Removes exactly the `'` that [`neutralise`] added, so a file round-trips.
pub(crate) fn restore(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if needs_guard(rest) => rest,
        _ => cell,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_neutralised_and_restored() {
        for text in ["=SUM(A1)", "+44 20", "-3", "@home", "\tx", "\rx"] {
            let written = neutralise(text);
            assert_eq!(written, format!("'{text}"));
            assert_eq!(restore(&written), text);
        }
        for text in [
            "Ashby CLP",
            "'quoted'",
            "",
            "'=already",
            "''+x",
            "'",
            "=",
            "'-",
        ] {
            assert_eq!(restore(&neutralise(text)), text, "{text:?}");
        }
        assert_eq!(neutralise("Ashby CLP"), "Ashby CLP");
    }
}
