//! CSV reports, with spreadsheet formulas neutralised as the contract says.

use std::borrow::Cow;
use std::io::{self, Write};

use super::{Cell, Column, Report};
use crate::csv_io::CsvOutput;

pub(super) fn render(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let mut csv = start(&report.columns, out)?;
    for row in &report.rows {
        write_row(&mut csv, row)?;
    }
    csv.finish()
}

/// Starts a report's CSV with its header.
pub(super) fn start<'w>(columns: &[Column], out: &'w mut dyn Write) -> io::Result<CsvOutput<'w>> {
    let header: Vec<&str> = columns.iter().map(|c| c.key.as_str()).collect();
    CsvOutput::new(out, &header, false)
}

pub(super) fn write_row(csv: &mut CsvOutput<'_>, row: &[Cell]) -> io::Result<()> {
    csv.row(row.iter().map(|cell| match cell {
        Cell::Empty | Cell::Missing(_) => None,
        Cell::Text(text) => Some(Cow::Borrowed(text.as_str())),
        Cell::Count(n) => Some(Cow::Owned(n.to_string())),
    }))
}
