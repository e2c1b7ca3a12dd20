//! CSV reports, with spreadsheet formulas neutralised as the contract says.

use std::io::{self, Write};

use super::{Cell, Report};
use crate::csv_io::neutralise;

pub(super) fn render(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    write(report, out).map_err(into_io)
}

/// Unwraps the I/O error inside a CSV error, so a closed pipe is still seen as one.
fn into_io(err: ::csv::Error) -> io::Error {
    match err.into_kind() {
        ::csv::ErrorKind::Io(err) => err,
        other => io::Error::other(format!("{other:?}")),
    }
}

fn write(report: &Report, out: &mut dyn Write) -> ::csv::Result<()> {
    let mut writer = ::csv::Writer::from_writer(out);
    writer.write_record(report.columns.iter().map(|c| c.key.as_str()))?;
    for row in &report.rows {
        writer.write_record(row.iter().map(|cell| match cell {
            Cell::Empty | Cell::Missing(_) => String::new(),
            Cell::Text(text) => neutralise(text).into_owned(),
            Cell::Count(n) => n.to_string(),
        }))?;
    }
    writer.flush()?;
    Ok(())
}
