//! Reading a CSV file as the contract describes: a header row matched by name (case and
//! surrounding spaces ignored, any order, aliases and `--column` mappings), UTF-8 with or
//! without a BOM, LF, CRLF or CR line ends, RFC 4180 quoting.
//!
//! The whole input is read and checked once before any row is handed out, so that an import
//! takes the database's write lock only when its input is all there: a pipe, a FIFO or standard
//! input is copied as it is read into a private temporary file, which the rows then stream from;
//! a regular file is read where it is, twice. Cells are held to a size limit while they are read,
//! so a file that is not CSV at all (one line of 200 MB) is refused without filling the memory.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read, Seek};
use std::path::Path;

use anyhow::{Context, Result, anyhow, bail};

use super::header::{Mapping, Slot, match_header, required_names};
use super::problem::{Problem, problems_error};
use super::restore;
use super::scan::{Excess, Limits, OverLimit, Overflow, Scan, Tracked};
use super::schema::Schema;
use crate::model::{MAX_TEXT_CHARS, MAX_WORDING_BYTES, MAX_WORDING_CHARS, unix_newlines, visible};

/// The most bytes a cell of a row may hold; the wording of a motion may hold as much as a
/// `--text-file`.
const MAX_CELL_BYTES: u64 = 64 << 10;

/// What a file is read within: a column name of at most 1 KB, at most 10,000 cells and 16 MB
/// in a record. Until the header is known every cell of a row may be as long as the wording
/// of a motion; then each column gets its own limit.
const LIMITS: Limits = Limits {
    header_cell: 1 << 10,
    cell: MAX_WORDING_BYTES as u64,
    cells: 10_000,
    row: 16 << 20,
};

/// One row: the value of each schema field (trimmed; the formula guard removed; `None` when
/// empty or absent). The values are held one after another in one string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Row {
    pub(crate) line: u64,
    schema: &'static Schema,
    text: String,
    /// Where each field's value is in `text`.
    values: Vec<Option<std::ops::Range<usize>>>,
}

impl Row {
    pub(crate) fn get(&self, field: &str) -> Option<&str> {
        let range = self.values.get(self.schema.position(field))?.clone()?;
        self.text.get(range)
    }
}

/// Characters invisible on screen that spreadsheets and copied text leave at the edges of
/// cells: trimmed like spaces, so "Ashby CLP\u{200b}" is Ashby CLP.
fn is_invisible_edge(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '\u{feff}' | '\u{200b}' | '\u{200c}' | '\u{200d}' | '\u{2060}'
        )
}

/// Where the bytes of an import come from.
enum Source {
    /// A regular file, read where it is.
    Regular(File),
    /// Standard input, a FIFO, a device: read once, as it comes, into a private copy.
    Stream(Box<dyn Read + Send>),
}

impl Source {
    /// Opens `path` (`-` for standard input); the name to give it in messages.
    fn open(path: &Path) -> Result<(String, Source)> {
        if path.as_os_str() == "-" {
            return Ok(("<stdin>".to_string(), Source::Stream(Box::new(io::stdin()))));
        }
        let name = path.display().to_string();
        let file = File::open(path).with_context(|| format!("opening {name}"))?;
        let regular = file
            .metadata()
            .with_context(|| format!("opening {name}"))?
            .is_file();
        let source = if regular {
            Source::Regular(file)
        } else {
            Source::Stream(Box::new(file))
        };
        Ok((name, source))
    }
}

/// An open CSV file whose header has been checked.
pub(crate) struct CsvInput {
    /// The file's name in messages (`<stdin>` for standard input).
    pub(crate) name: String,
    /// Its size, for progress.
    pub(crate) size: Option<u64>,
    schema: &'static Schema,
    reader: csv::Reader<Tracked>,
    slots: Vec<(Slot, String)>,
    record: csv::ByteRecord,
    ended: bool,
}

impl CsvInput {
    /// Opens `path` (`-` for standard input), reads it all and checks its header against
    /// `schema` and every cell against its limit; `exempt` names required fields that may be
    /// absent (`motion` when `--motion` is given). The rows are then read from the start.
    pub(crate) fn open(
        path: &Path,
        schema: &'static Schema,
        mappings: &[Mapping],
        exempt: &[&str],
    ) -> Result<CsvInput> {
        let (name, source) = Source::open(path)?;
        let columns = (schema, mappings, exempt);
        let mut file = match source {
            Source::Regular(file) => {
                let again = file
                    .try_clone()
                    .with_context(|| format!("reading {name}"))?;
                CsvInput::start(&name, Box::new(again), None, columns)?.read_all()?;
                file
            }
            Source::Stream(stream) => {
                let spool = tempfile::tempfile().with_context(|| {
                    format!(
                        "making a temporary file in {} to hold {name} while it is checked",
                        std::env::temp_dir().display()
                    )
                })?;
                let copy = spool.try_clone().context("opening the temporary file")?;
                let mut first = CsvInput::start(&name, stream, Some(copy), columns)?;
                first.read_all()?;
                first
                    .reader
                    .into_inner()
                    .into_copy()
                    .with_context(|| format!("copying {name} to a temporary file"))?;
                spool
            }
        };
        file.rewind().with_context(|| format!("reading {name}"))?;
        let size = file.metadata().ok().map(|m| m.len());
        let mut input = CsvInput::start(&name, Box::new(file), None, columns)?;
        input.size = size;
        Ok(input)
    }

    /// Starts reading `raw`: drops a byte-order mark, reads and matches the header. `copy`
    /// keeps every byte read after the mark.
    fn start(
        name: &str,
        mut raw: Box<dyn Read + Send>,
        copy: Option<File>,
        (schema, mappings, exempt): (&'static Schema, &[Mapping], &[&str]),
    ) -> Result<CsvInput> {
        let mut first = Vec::with_capacity(3);
        (&mut raw)
            .take(3)
            .read_to_end(&mut first)
            .with_context(|| format!("reading {name}"))?;
        if first == b"\xEF\xBB\xBF" {
            first.clear();
        }
        let mut input = BufReader::with_capacity(1 << 16, io::Cursor::new(first).chain(raw));
        if input
            .fill_buf()
            .with_context(|| format!("reading {name}"))?
            .is_empty()
        {
            bail!(
                "{name} is empty; the first line must be a header naming the columns, e.g. {}",
                required_names(schema).join(",")
            );
        }
        let scan = Scan::new(LIMITS);
        let mut reader = csv::ReaderBuilder::new()
            .flexible(true)
            .has_headers(false)
            .buffer_capacity(1 << 15)
            .from_reader(Tracked::new(Box::new(input), scan, copy));
        let mut header = csv::ByteRecord::new();
        if let Err(err) = reader.read_byte_record(&mut header) {
            let scan = &reader.get_ref().scan;
            return Err(match scan.overflow() {
                Some(overflow) if is_over_limit(&err) => header_too_long(name, overflow),
                _ => anyhow!(err).context(format!("reading the header of {name}")),
            });
        }
        let line = match header.position() {
            Some(position) => reader.get_mut().scan.record_line(position.byte()),
            None => 1,
        };
        let slots = match_header(name, line, schema, &header, mappings, exempt)?;
        let limits = slots
            .iter()
            .map(|(slot, _)| match slot {
                Slot::Field(i) if schema.fields[*i].name == "text" => MAX_WORDING_BYTES as u64,
                _ => MAX_CELL_BYTES,
            })
            .collect();
        reader.get_mut().scan.set_columns(limits, MAX_CELL_BYTES);
        Ok(CsvInput {
            name: name.to_string(),
            size: None,
            schema,
            reader,
            slots,
            record: csv::ByteRecord::new(),
            ended: false,
        })
    }

    /// Reads every record to the end, for what stops a file being read at all: a cell over
    /// its limit, or a failure to read. Problems within rows are left for the rows.
    fn read_all(&mut self) -> Result<()> {
        loop {
            match self.reader.read_byte_record(&mut self.record) {
                Ok(true) => {
                    if let Some(position) = self.record.position() {
                        self.reader.get_mut().scan.record_line(position.byte());
                    }
                }
                Ok(false) => return Ok(()),
                Err(err) => {
                    return Err(match self.overflow(&err) {
                        Some(problem) => problems_error(&self.name, vec![problem], 0),
                        None => anyhow!(err).context(format!("reading {}", self.name)),
                    });
                }
            }
        }
    }

    /// The problem of a cell over its limit, when that is what stopped the reading.
    fn overflow(&self, err: &csv::Error) -> Option<Problem> {
        let overflow = self.reader.get_ref().scan.overflow()?;
        if !is_over_limit(err) {
            return None;
        }
        let column = match (overflow.excess, self.slots.get(overflow.field)) {
            (Excess::Cell, Some((_, header))) if !header.is_empty() => header.as_str(),
            (Excess::Cell, Some(_)) => "(no header)",
            _ => "(row)",
        };
        let mut message = match overflow.excess {
            Excess::Cell => format!(
                "this cell is {} bytes long; a cell holds at most {}",
                length(overflow),
                size(overflow.limit)
            ),
            Excess::Cells => format!(
                "this row has more than {} cells; a row has at most {} (is this a CSV file?)",
                overflow.limit, overflow.limit
            ),
            Excess::Row => format!(
                "this row is more than {} long; a row holds at most {}",
                size(overflow.limit),
                size(overflow.limit)
            ),
        };
        if overflow.quoted_lines {
            message.push_str(
                " (a cell starts with a quote and runs on over the lines after it: is its \
                 closing \" missing?)",
            );
        }
        Some(Problem::new(overflow.line, column, message))
    }

    /// True when the header has a column for `field`.
    pub(crate) fn has(&self, field: &str) -> bool {
        let index = self.schema.position(field);
        self.slots
            .iter()
            .any(|(slot, _)| *slot == Slot::Field(index))
    }

    /// How far through the file reading has got, in bytes.
    pub(crate) fn position(&self) -> u64 {
        self.reader.position().byte()
    }

    /// The next row that is not blank, or the problem that stops it being read.
    pub(crate) fn next_row(&mut self) -> Option<Result<Row, Problem>> {
        loop {
            if self.ended {
                return None;
            }
            match self.reader.read_byte_record(&mut self.record) {
                Ok(false) => {
                    self.ended = true;
                    let start = self.reader.get_ref().scan.unclosed_quote()?;
                    let message = "a quoted cell that starts on this line is never closed, so \
                                   the rest of the file was read into it; add the closing \"";
                    return Some(Err(Problem::new(start, "(row)", message)));
                }
                Ok(true) => {}
                Err(err) => {
                    self.ended = true;
                    let scan = &self.reader.get_ref().scan;
                    let problem = self.overflow(&err).unwrap_or_else(|| {
                        Problem::new(
                            scan.line(),
                            "(row)",
                            format!("cannot read this line: {err}"),
                        )
                    });
                    return Some(Err(problem));
                }
            }
            let line = match self.record.position() {
                Some(position) => self.reader.get_mut().scan.record_line(position.byte()),
                None => 0,
            };
            if self
                .record
                .iter()
                .all(|cell| cell.iter().all(u8::is_ascii_whitespace))
            {
                continue;
            }
            return Some(self.decode(line));
        }
    }

    fn decode(&self, line: u64) -> Result<Row, Problem> {
        let mut values = vec![None; self.schema.fields.len()];
        let mut joined = String::with_capacity(self.record.as_slice().len());
        if self.record.len() > self.slots.len() {
            let message = format!(
                "this row has {} cells but the header names {} columns; check for an unquoted \
                 comma (a number such as 1,000 must be written 1000 or in quotes)",
                self.record.len(),
                self.slots.len()
            );
            return Err(Problem::new(line, "(row)", message));
        }
        for (cell, (slot, header)) in self.record.iter().zip(&self.slots) {
            let Ok(text) = std::str::from_utf8(cell) else {
                return Err(Problem::new(
                    line,
                    header,
                    "not UTF-8 text; save the file as UTF-8 (\"CSV UTF-8\" in Excel)",
                ));
            };
            let text = restore(text.trim_matches(is_invisible_edge));
            if text.is_empty() {
                continue;
            }
            // A line break inside a cell is stored as \n, whichever way the file ends its lines.
            let text = unix_newlines(text);
            match slot {
                Slot::Ignored => {}
                Slot::Unnamed => {
                    return Err(Problem::new(
                        line,
                        "(no header)",
                        format!(
                            "\"{}\" is in a column with no header; name the column or remove the value",
                            visible(&text)
                        ),
                    ));
                }
                Slot::Field(i) => {
                    // Wording may be long; every other cell has the limit of free text.
                    let limit = if self.schema.fields[*i].name == "text" {
                        MAX_WORDING_CHARS
                    } else {
                        MAX_TEXT_CHARS
                    };
                    let chars = text.chars().count();
                    if chars > limit {
                        return Err(Problem::new(
                            line,
                            header,
                            format!("{chars} characters long; the limit is {limit}"),
                        ));
                    }
                    let start = joined.len();
                    joined.push_str(&text);
                    values[*i] = Some(start..joined.len());
                }
            }
        }
        Ok(Row {
            line,
            schema: self.schema,
            text: joined,
            values,
        })
    }
}

/// True for the error a [`Tracked`] reader gives for a cell over its limit.
fn is_over_limit(err: &csv::Error) -> bool {
    match err.kind() {
        csv::ErrorKind::Io(err) => err.get_ref().is_some_and(|inner| inner.is::<OverLimit>()),
        _ => false,
    }
}

/// The error for a header over its limits: most likely not a CSV file at all.
fn header_too_long(name: &str, overflow: &Overflow) -> anyhow::Error {
    match overflow.excess {
        Excess::Cells => anyhow!(
            "{name}: the header on line {} has more than {} columns; a file has at most {} — is \
             this a CSV file?",
            overflow.line,
            overflow.limit,
            overflow.limit
        ),
        _ => anyhow!(
            "{name}: the header cell on line {} is {} bytes long; a column name is at most {} — \
             is this a CSV file?",
            overflow.line,
            length(overflow),
            size(overflow.limit)
        ),
    }
}

/// The length of a cell over its limit, as far as it was measured.
fn length(overflow: &Overflow) -> String {
    if overflow.complete {
        overflow.length.to_string()
    } else if overflow.length >= 1 << 20 {
        // Measuring gave up: a round number is as much as is known.
        format!("more than {} MB", overflow.length >> 20)
    } else {
        format!("more than {}", overflow.length)
    }
}

/// A limit in bytes, in words: "64 KB", "1 MB".
fn size(bytes: u64) -> String {
    if bytes >= 1 << 20 && bytes.is_multiple_of(1 << 20) {
        format!("{} MB", bytes >> 20)
    } else if bytes.is_multiple_of(1 << 10) {
        format!("{} KB", bytes >> 10)
    } else {
        format!("{bytes} bytes")
    }
}

#[cfg(test)]
mod properties {
    use proptest::prelude::*;

    use super::*;
    use crate::csv_io::schema::OUTCOMES;

    /// Bytes that look like CSV more often than random bytes would.
    fn csvish() -> impl Strategy<Value = Vec<u8>> {
        let pieces = prop_oneof![
            Just(b"organisation,status,meeting_date\n".to_vec()),
            Just(b",".to_vec()),
            Just(b"\"".to_vec()),
            Just(b"\r\n".to_vec()),
            Just(b"\n".to_vec()),
            Just("\u{feff}".as_bytes().to_vec()),
            Just(b"'=".to_vec()),
            Just(b"\xff\xfe".to_vec()),
            Just(b"\0".to_vec()),
            proptest::collection::vec(any::<u8>(), 0..8),
            "[a-zA-Z0-9 ŵáé/:-]{0,12}".prop_map(String::into_bytes),
        ];
        proptest::collection::vec(pieces, 0..40).prop_map(|parts| parts.concat())
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

        #[test]
        fn any_bytes_are_read_or_refused_without_a_panic(bytes in csvish()) {
            let file = tempfile::NamedTempFile::new().unwrap();
            std::fs::write(file.path(), &bytes).unwrap();
            if let Ok(mut input) = CsvInput::open(file.path(), &OUTCOMES, &[], &["motion"]) {
                let mut rows = 0;
                while let Some(row) = input.next_row() {
                    if let Ok(row) = row {
                        let _ = row.get("organisation");
                    }
                    rows += 1;
                    prop_assert!(rows < 10_000);
                }
            }
        }
    }
}
