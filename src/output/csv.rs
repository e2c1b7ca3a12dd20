//! CSV reports, with spreadsheet formulas neutralised as the contract says.

use std::io::{self, Write};

use super::{Cell, Report};
use crate::csv_io::CsvOutput;

pub(super) fn render(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let header: Vec<&str> = report.columns.iter().map(|c| c.key.as_str()).collect();
    let mut csv = CsvOutput::new(out, &header, false)?;
    for row in &report.rows {
        csv.row(row.iter().map(|cell| match cell {
            Cell::Empty | Cell::Missing(_) => None,
            Cell::Text(text) => Some(text.clone()),
            Cell::Count(n) => Some(n.to_string()),
        }))?;
    }
    csv.finish()
}
