//! Reports written as their rows come, so that a million events need no more memory than a
//! hundred. A command hands its columns and a producer that pushes rows one at a time (straight
//! from a database query) to [`emit`]:
//!
//! - CSV and JSON are written as the rows come.
//! - Tables and Markdown need every row before the first line (which columns are empty, which
//!   hold numbers, how wide each is). Up to 10,000 rows (and 8 MB of text) are held in
//!   memory and drawn as any report is; beyond that the rows go to an unnamed temporary file
//!   (gone when the process ends, however it ends), and are read back to be written, a table
//!   1,000 rows (or 2 MB) at a time with the widths all the rows need, so the pieces join into
//!   one table.

use std::fs::File;
use std::io::{self, BufReader, BufWriter, Read, Seek, Write};
use std::path::Path;

use anyhow::{Context, Result};

use super::csv::{self as csv_out, write_row as csv_row};
use super::fit::Need;
use super::json::JsonRows;
use super::table::{self, Shape, row_size};
use super::{Cell, Column, Format, Layout, Report, Style, markdown, write_to};
use crate::csv_io::CsvOutput;

/// How much of a report for people is in memory at once.
#[derive(Debug, Clone, Copy)]
struct Limits {
    /// The rows, and bytes of text, held before the rest go to the temporary file.
    held: (usize, usize),
    /// The rows, and bytes of text, of a long table drawn at once.
    piece: (usize, usize),
}

/// A table or Markdown report of up to 10,000 rows (and 8 MB of text) is held in memory and
/// drawn as any report is; a longer table is drawn 1,000 rows (or 2 MB) at a time.
const LIMITS: Limits = Limits {
    held: (10_000, 8 << 20),
    piece: (1_000, 2 << 20),
};

/// Where a report's rows go, one at a time.
pub(crate) struct Rows<'w> {
    columns: Vec<Column>,
    sink: Sink<'w>,
    count: u64,
}

enum Sink<'w> {
    Csv(Box<CsvOutput<'w>>),
    Json(JsonRows<'w>),
    Spool(Spool),
}

impl Rows<'_> {
    /// Adds a row: one cell per column.
    pub(crate) fn push(&mut self, row: Vec<Cell>) -> io::Result<()> {
        debug_assert_eq!(row.len(), self.columns.len());
        self.count += 1;
        match &mut self.sink {
            Sink::Csv(csv) => csv_row(csv, &row),
            Sink::Json(json) => json.push(&self.columns, &row),
            Sink::Spool(spool) => spool.push(row),
        }
    }
}

/// Writes the report whose rows `produce` pushes to `output` (standard output when `None`) in
/// `format`; returns how many rows there were. A table or Markdown with no rows is not written
/// at all: the command says so in words instead.
pub(super) fn emit(
    output: Option<&Path>,
    columns: Vec<Column>,
    format: Format,
    style: Style,
    produce: impl FnOnce(&mut Rows<'_>) -> Result<()>,
) -> Result<u64> {
    if format.is_for_people() {
        let mut rows = Rows {
            sink: Sink::Spool(Spool::new(columns.len(), LIMITS)),
            columns,
            count: 0,
        };
        produce(&mut rows)?;
        let Rows {
            columns,
            sink: Sink::Spool(spool),
            count,
        } = rows
        else {
            unreachable!("a report for people is spooled");
        };
        if count > 0 {
            let long = spool
                .finish()
                .context("keeping the rows of a long report in a temporary file")?;
            write_to(output, |out| long.write(columns, format, style, out))?;
        }
        return Ok(count);
    }
    // CSV and JSON go out as they come. The producer's own errors (the database's) are kept
    // whole; an error writing (a closed pipe, a full disk) stays an I/O error.
    let mut failed = None;
    let mut count = 0;
    let written = write_to(output, |out| {
        let sink = match format {
            Format::Json => Sink::Json(JsonRows::new(out)),
            _ => Sink::Csv(Box::new(csv_out::start(&columns, out)?)),
        };
        let mut rows = Rows {
            columns,
            sink,
            count: 0,
        };
        if let Err(err) = produce(&mut rows) {
            return Err(match err.downcast::<io::Error>() {
                Ok(io) => io,
                Err(other) => {
                    failed = Some(other);
                    io::Error::other("the report stopped")
                }
            });
        }
        count = rows.count;
        match rows.sink {
            Sink::Csv(csv) => csv.finish(),
            Sink::Json(json) => json.finish(),
            Sink::Spool(_) => Ok(()),
        }
    });
    match (written, failed) {
        (_, Some(err)) => Err(err),
        (Err(err), None) => Err(err),
        (Ok(_), None) => Ok(count),
    }
}

/// What each column holds, over all the rows.
#[derive(Debug, Clone)]
struct Seen {
    /// Some row has a value here.
    full: bool,
    /// Some row has a count here.
    counts: bool,
    /// Every row has a count or nothing here.
    only_counts: bool,
    /// How wide its cells are, and their longest words.
    need: Need,
}

/// The rows of a report for people, held in memory while few, then in a temporary file.
struct Spool {
    held: Vec<Vec<Cell>>,
    /// The bytes of text held.
    held_bytes: usize,
    limits: Limits,
    file: Option<BufWriter<File>>,
    /// The labels of [`Cell::Missing`] cells in the file, by number.
    labels: Vec<&'static str>,
    seen: Vec<Seen>,
}

impl Spool {
    fn new(columns: usize, limits: Limits) -> Spool {
        let nothing = Seen {
            full: false,
            counts: false,
            only_counts: true,
            need: Need::default(),
        };
        Spool {
            held: Vec::new(),
            held_bytes: 0,
            limits,
            file: None,
            labels: Vec::new(),
            seen: vec![nothing; columns],
        }
    }

    fn push(&mut self, row: Vec<Cell>) -> io::Result<()> {
        self.keep(row).map_err(|err| {
            let folder = std::env::temp_dir();
            io::Error::new(
                err.kind(),
                format!(
                    "keeping the rows of a long report in a temporary file in {}: {err}; set \
                     TMPDIR to a folder with room, or write CSV (--format csv), which needs none",
                    folder.display()
                ),
            )
        })
    }

    fn keep(&mut self, row: Vec<Cell>) -> io::Result<()> {
        for (seen, cell) in self.seen.iter_mut().zip(&row) {
            seen.full |= !cell.is_empty();
            seen.counts |= matches!(cell, Cell::Count(_));
            seen.only_counts &= matches!(cell, Cell::Count(_) | Cell::Empty);
            seen.need.see(cell);
        }
        let (rows, bytes) = self.limits.held;
        if self.file.is_none() && self.held.len() < rows && self.held_bytes < bytes {
            self.held_bytes += row_size(&row);
            self.held.push(row);
            return Ok(());
        }
        if self.file.is_none() {
            let mut file = BufWriter::with_capacity(1 << 16, tempfile::tempfile()?);
            for held in std::mem::take(&mut self.held) {
                write_cells(&mut file, &held, &mut self.labels)?;
            }
            self.file = Some(file);
        }
        match &mut self.file {
            Some(file) => write_cells(file, &row, &mut self.labels),
            None => Ok(()),
        }
    }

    /// Ends the intake: the rows, in memory or in the file read from its start.
    fn finish(self) -> io::Result<Spooled> {
        let rows = match self.file {
            None => Held::Memory(self.held),
            Some(file) => {
                let mut file = file.into_inner().map_err(|err| err.into_error())?;
                file.rewind()?;
                Held::File(BufReader::with_capacity(1 << 16, file))
            }
        };
        Ok(Spooled {
            piece: self.limits.piece,
            rows,
            labels: self.labels,
            seen: self.seen,
        })
    }
}

enum Held {
    Memory(Vec<Vec<Cell>>),
    File(BufReader<File>),
}

/// All the rows of a report for people, ready to write.
struct Spooled {
    piece: (usize, usize),
    rows: Held,
    labels: Vec<&'static str>,
    seen: Vec<Seen>,
}

impl Spooled {
    fn write(
        self,
        columns: Vec<Column>,
        format: Format,
        style: Style,
        out: &mut dyn Write,
    ) -> io::Result<()> {
        let mut file = match self.rows {
            // Few rows: drawn as any report is.
            Held::Memory(rows) => {
                let report = Report {
                    columns,
                    rows,
                    total: None,
                    layout: Layout::Rows,
                };
                return super::render(&report, format, style, out);
            }
            Held::File(file) => file,
        };
        // As a table or Markdown, a column empty in every row is left out.
        let keep: Vec<bool> = (self.seen.iter())
            .map(|seen| seen.full || !format.is_for_people())
            .collect();
        let pick = |row: Vec<Cell>| -> Vec<Cell> {
            row.into_iter()
                .zip(&keep)
                .filter_map(|(cell, keep)| keep.then_some(cell))
                .collect()
        };
        let columns: Vec<Column> = pick_from(columns, &keep);
        let seen: Vec<Seen> = pick_from(self.seen, &keep);
        let labels = self.labels;
        let width = keep.len();
        let mut rows = std::iter::from_fn(|| read_cells(&mut file, width, &labels).transpose())
            .map(|row| row.map(pick));
        match format {
            Format::Table => {
                let needs = table::needs_of(&columns).into_iter().zip(&seen);
                let shape = Shape {
                    needs: needs
                        .map(|(heading, seen)| Need {
                            widest: seen.need.widest,
                            longest_word: seen.need.longest_word,
                            ..heading
                        })
                        .collect(),
                    right: seen.iter().map(|s| s.counts && s.only_counts).collect(),
                };
                table::render_long(&columns, &shape, style, &mut rows, self.piece, out)
            }
            Format::Markdown => {
                let numeric: Vec<bool> = seen.iter().map(|s| s.counts).collect();
                markdown::header(out, &columns, &numeric)?;
                for row in rows {
                    markdown::write_row(out, &row?)?;
                }
                Ok(())
            }
            // Written as the rows come, so never from the file; but whole if they were.
            Format::Csv => {
                let mut csv = csv_out::start(&columns, out)?;
                for row in rows {
                    csv_row(&mut csv, &row?)?;
                }
                csv.finish()
            }
            Format::Json => {
                let mut json = JsonRows::new(out);
                for row in rows {
                    json.push(&columns, &row?)?;
                }
                json.finish()
            }
        }
    }
}

fn pick_from<T>(items: Vec<T>, keep: &[bool]) -> Vec<T> {
    items
        .into_iter()
        .zip(keep)
        .filter_map(|(item, keep)| keep.then_some(item))
        .collect()
}

// A row in the file: per cell, a tag byte, then for text its length (4 bytes) and bytes, for a
// count its 8 bytes, for a labelled blank the label's number (2 bytes).
const EMPTY: u8 = 0;
const TEXT: u8 = 1;
const COUNT: u8 = 2;
const MISSING: u8 = 3;

fn write_cells(
    file: &mut impl Write,
    row: &[Cell],
    labels: &mut Vec<&'static str>,
) -> io::Result<()> {
    for cell in row {
        match cell {
            Cell::Empty => file.write_all(&[EMPTY])?,
            Cell::Text(text) => {
                let len = u32::try_from(text.len()).map_err(io::Error::other)?;
                file.write_all(&[TEXT])?;
                file.write_all(&len.to_le_bytes())?;
                file.write_all(text.as_bytes())?;
            }
            Cell::Count(n) => {
                file.write_all(&[COUNT])?;
                file.write_all(&n.to_le_bytes())?;
            }
            Cell::Missing(label) => {
                let number = match labels.iter().position(|l| l == label) {
                    Some(i) => i,
                    None => {
                        labels.push(label);
                        labels.len() - 1
                    }
                };
                let number = u16::try_from(number).map_err(io::Error::other)?;
                file.write_all(&[MISSING])?;
                file.write_all(&number.to_le_bytes())?;
            }
        }
    }
    Ok(())
}

/// The next row of `width` cells, or `None` at the end of the file.
fn read_cells(
    file: &mut impl Read,
    width: usize,
    labels: &[&'static str],
) -> io::Result<Option<Vec<Cell>>> {
    let mut row = Vec::with_capacity(width);
    for i in 0..width {
        let mut tag = [0u8; 1];
        if i == 0 && file.read(&mut tag)? == 0 {
            return Ok(None);
        } else if i > 0 {
            file.read_exact(&mut tag)?;
        }
        row.push(match tag[0] {
            EMPTY => Cell::Empty,
            TEXT => {
                let mut len = [0u8; 4];
                file.read_exact(&mut len)?;
                let mut bytes = vec![0u8; u32::from_le_bytes(len) as usize];
                file.read_exact(&mut bytes)?;
                Cell::Text(String::from_utf8(bytes).map_err(io::Error::other)?)
            }
            COUNT => {
                let mut n = [0u8; 8];
                file.read_exact(&mut n)?;
                Cell::Count(u64::from_le_bytes(n))
            }
            _ => {
                let mut number = [0u8; 2];
                file.read_exact(&mut number)?;
                let label = labels.get(usize::from(u16::from_le_bytes(number)));
                Cell::Missing(label.copied().unwrap_or_default())
            }
        });
    }
    Ok(Some(row))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report(rows: u64) -> Report {
        let mut report = Report::new(vec![
            Column::new("id", "Id"),
            Column::new("organisation", "Organisation"),
            Column::new("status", "Status"),
            Column::new("votes_for", "For"),
            Column::new("never", "Never filled"),
            Column::new("notes", "Notes"),
        ]);
        report.rows = (1..=rows)
            .map(|i| {
                vec![
                    Cell::Count(i * 37),
                    Cell::from(format!(
                        "Ashby Ward Branch {}",
                        "x".repeat((i % 17) as usize)
                    )),
                    Cell::from(if i % 3 == 0 { "passed" } else { "rejected" }),
                    if i % 4 == 0 {
                        Cell::Empty
                    } else {
                        Cell::Count(i % 50)
                    },
                    Cell::Empty,
                    match i % 5 {
                        0 => Cell::from("Moved at the\nAGM | *late*"),
                        1 => Cell::Missing("(no notes)"),
                        _ => Cell::Empty,
                    },
                ]
            })
            .collect();
        report
    }

    /// Writes `report` through a spool holding at most `rows` rows in memory.
    fn spooled(report: &Report, format: Format, style: Style, rows: usize) -> String {
        let limits = Limits {
            held: (rows, usize::MAX),
            ..LIMITS
        };
        spooled_within(report, format, style, limits)
    }

    fn spooled_within(report: &Report, format: Format, style: Style, limits: Limits) -> String {
        let mut spool = Spool::new(report.columns.len(), limits);
        for row in &report.rows {
            spool.push(row.clone()).unwrap();
        }
        assert_eq!(
            spool.file.is_some(),
            report.rows.len() > spool.held.len(),
            "rows beyond the limits go to the file"
        );
        let mut out = Vec::new();
        spool
            .finish()
            .unwrap()
            .write(report.columns.clone(), format, style, &mut out)
            .unwrap();
        String::from_utf8(out).unwrap()
    }

    fn whole(report: &Report, format: Format, style: Style) -> String {
        let mut out = Vec::new();
        super::super::render(report, format, style, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    /// A long table, drawn a piece at a time from the file, is the table drawn whole: one
    /// heading, one bottom rule, the same widths and alignment, empty columns left out.
    #[test]
    fn a_long_table_drawn_in_pieces_is_the_whole_table() {
        let report = report(2_345);
        for colour in [false, true] {
            let style = Style {
                width: None,
                colour,
            };
            let expected = whole(&report, Format::Table, style);
            assert!(!expected.contains("Never filled"));
            assert_eq!(spooled(&report, Format::Table, style, 100), expected);
        }
        for format in [Format::Markdown, Format::Csv, Format::Json] {
            let style = Style::default();
            assert_eq!(
                spooled(&report, format, style, 100),
                whole(&report, format, style)
            );
        }
    }

    /// Fitted to a terminal, the pieces still join: every line of the long table is as wide
    /// as the first, and every row is there.
    #[test]
    fn a_long_table_fitted_to_a_terminal_keeps_its_columns() {
        let report = report(2_345);
        let text = spooled(
            &report,
            Format::Table,
            Style {
                width: Some(72),
                colour: false,
            },
            100,
        );
        let width = text.lines().next().unwrap().chars().count();
        assert!(width <= 72, "{width}");
        assert!(text.lines().all(|line| line.chars().count() == width));
        // The long names are broken over two lines, as in a table drawn whole.
        assert!(text.lines().count() > 2_345 + 4);
        assert_eq!(text.lines().filter(|l| l.starts_with('╭')).count(), 1);
        assert_eq!(text.lines().filter(|l| l.starts_with('╰')).count(), 1);
        for i in [37, 2_345 * 37] {
            assert!(text.contains(&format!(" {i} ")), "row with id {i} missing");
        }
    }

    #[test]
    fn few_rows_are_drawn_as_any_report() {
        let report = report(40);
        for format in [Format::Table, Format::Markdown] {
            let style = Style::default();
            assert_eq!(
                spooled(&report, format, style, 100),
                whole(&report, format, style)
            );
        }
    }

    /// Long cells are counted too: the rows held, and the rows of a piece of table, stop at
    /// so many bytes of text.
    #[test]
    fn long_cells_go_to_the_file_and_make_shorter_pieces() {
        let mut report = report(300);
        for (i, row) in report.rows.iter_mut().enumerate() {
            row[5] = Cell::from("a long note ".repeat(i % 40).trim_end().to_string());
        }
        let limits = Limits {
            held: (usize::MAX, 20_000),
            piece: (usize::MAX, 7_000),
        };
        for format in [Format::Table, Format::Markdown] {
            let style = Style::default();
            let expected = whole(&report, format, style);
            assert_eq!(spooled_within(&report, format, style, limits), expected);
        }
    }
}
