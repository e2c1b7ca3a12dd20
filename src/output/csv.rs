//! CSV reports, with spreadsheet formulas neutralised as the contract says.

use std::io::{self, Write};

use super::{Cell, Report};
use crate::csv_io::neutralise;

pub(super) fn render(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let mut writer = ::csv::Writer::from_writer(out);
    writer.write_record(report.columns.iter().map(|c| c.key.as_str()))?;
    for row in &report.rows {
        writer.write_record(row.iter().map(|cell| match cell {
            Cell::Empty => String::new(),
            Cell::Text(text) => neutralise(text).into_owned(),
            Cell::Count(n) => n.to_string(),
        }))?;
    }
    writer.flush()
}
