//! Writing CSV as the contract describes: a header row, RFC 4180 quoting, spreadsheet formulas
//! neutralised; for `--excel`, a UTF-8 BOM and CRLF line ends.

use std::io::{self, Write};

use super::neutralise;

/// A CSV file being written, row by row.
pub(crate) struct CsvOutput<'a> {
    writer: csv::Writer<&'a mut dyn Write>,
}

impl<'a> CsvOutput<'a> {
    /// Starts the file with its header.
    pub(crate) fn new(
        out: &'a mut dyn Write,
        header: &[&str],
        excel: bool,
    ) -> io::Result<CsvOutput<'a>> {
        if excel {
            out.write_all(b"\xEF\xBB\xBF")?;
        }
        let terminator = if excel {
            csv::Terminator::CRLF
        } else {
            csv::Terminator::Any(b'\n')
        };
        let mut writer = csv::WriterBuilder::new()
            .terminator(terminator)
            .from_writer(out);
        writer.write_record(header).map_err(into_io)?;
        Ok(CsvOutput { writer })
    }

    /// Writes one row; `None` is an empty cell.
    pub(crate) fn row<S: AsRef<str>>(
        &mut self,
        cells: impl IntoIterator<Item = Option<S>>,
    ) -> io::Result<()> {
        let cells = cells.into_iter().map(|cell| match cell {
            Some(text) => neutralise(text.as_ref()).into_owned(),
            None => String::new(),
        });
        self.writer.write_record(cells).map_err(into_io)
    }

    pub(crate) fn finish(mut self) -> io::Result<()> {
        self.writer.flush()
    }
}

/// Unwraps the I/O error inside a CSV error, so a closed pipe is still seen as one.
fn into_io(err: csv::Error) -> io::Error {
    match err.into_kind() {
        csv::ErrorKind::Io(err) => err,
        other => io::Error::other(format!("{other:?}")),
    }
}

/// An outcome as a row of the outcomes CSV, in the contract's columns; without `names` the
/// reporter is left empty, and without `notes` the notes (free text that may name people).
pub(crate) fn outcome_row(
    e: &crate::model::Outcome,
    names: bool,
    notes: bool,
) -> [Option<String>; 10] {
    let count = |n: Option<u32>| n.map(|n| n.to_string());
    [
        Some(e.motion.clone()),
        Some(e.org.clone()),
        Some(e.status.to_string()),
        Some(e.meeting_date.to_string()),
        count(e.votes.cast_for),
        count(e.votes.against),
        count(e.votes.abstain),
        e.reported_by.clone().filter(|_| names),
        e.source.clone(),
        e.notes.clone().filter(|_| notes),
    ]
}
