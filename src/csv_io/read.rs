//! Reading a CSV file as the contract describes: a header row matched by name (case and
//! surrounding spaces ignored, any order, aliases and `--column` mappings), UTF-8 with or
//! without a BOM, LF or CRLF, RFC 4180 quoting. Rows stream one at a time.

use std::cell::Cell;
use std::fmt;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::Path;
use std::rc::Rc;
use std::str::FromStr;

use anyhow::{Context, Result, anyhow, bail};

use super::restore;
use super::schema::{Field, Schema};
use crate::model::{MAX_TEXT_CHARS, MAX_WORDING_CHARS, unix_newlines};

/// `--column "HEADER=field"`: read a file's own header as a contract field, or ignore it (`-`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Mapping {
    header: String,
    /// `None` ignores the column.
    field: Option<String>,
}

impl FromStr for Mapping {
    type Err = anyhow::Error;

    fn from_str(s: &str) -> Result<Mapping> {
        let Some((header, field)) = s.rsplit_once('=') else {
            bail!(
                "--column \"{s}\": write it as \"HEADER=field\" (or \"HEADER=-\" to ignore that column)"
            );
        };
        let field = field.trim();
        Ok(Mapping {
            header: header.trim().to_string(),
            field: (field != "-").then(|| field.to_lowercase()),
        })
    }
}

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

/// What a column of the file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Slot {
    /// A contract field, by its place in the schema.
    Field(usize),
    /// Mapped to `-`.
    Ignored,
    /// A column with an empty header: it must stay empty.
    Unnamed,
}

/// One row: the value of each schema field (trimmed; the formula guard removed; `None` when
/// empty or absent).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Row {
    pub(crate) line: u64,
    schema: &'static Schema,
    values: Vec<Option<String>>,
}

impl Row {
    pub(crate) fn get(&self, field: &str) -> Option<&str> {
        self.values.get(self.schema.position(field))?.as_deref()
    }
}

/// Counts the `"` characters read through it: a well-formed CSV file has an even number of
/// them, so an odd count at the end means a quoted cell that was never closed.
struct QuoteCounter<R> {
    inner: R,
    quotes: Rc<Cell<u64>>,
}

impl<R: Read> Read for QuoteCounter<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        let quotes = buf[..n].iter().filter(|&&b| b == b'"').count() as u64;
        self.quotes.set(self.quotes.get() + quotes);
        Ok(n)
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

/// An open CSV file whose header has been checked.
pub(crate) struct CsvInput {
    /// The file's name in messages (`<stdin>` for standard input).
    pub(crate) name: String,
    /// Its size, when it is a file, for progress.
    pub(crate) size: Option<u64>,
    schema: &'static Schema,
    reader: csv::Reader<Box<dyn BufRead>>,
    slots: Vec<(Slot, String)>,
    record: csv::ByteRecord,
    quotes: Rc<Cell<u64>>,
    /// Where the last row read began and ended, to name it when a quote is never closed.
    last_lines: (u64, u64),
    ended: bool,
}

impl CsvInput {
    /// Opens `path` (`-` for standard input) and matches its header to `schema`; `exempt`
    /// names required fields that may be absent (`motion` when `--motion` is given).
    pub(crate) fn open(
        path: &Path,
        schema: &'static Schema,
        mappings: &[Mapping],
        exempt: &[&str],
    ) -> Result<CsvInput> {
        let (name, size, input): (String, Option<u64>, Box<dyn Read>) = if path.as_os_str() == "-" {
            ("<stdin>".to_string(), None, Box::new(io::stdin()))
        } else {
            let file = File::open(path).with_context(|| format!("opening {}", path.display()))?;
            let size = file.metadata().ok().map(|m| m.len());
            (path.display().to_string(), size, Box::new(file))
        };
        let quotes = Rc::new(Cell::new(0));
        let input = QuoteCounter {
            inner: input,
            quotes: Rc::clone(&quotes),
        };
        let mut input: Box<dyn BufRead> = Box::new(BufReader::with_capacity(1 << 16, input));
        let start = input
            .fill_buf()
            .with_context(|| format!("reading {name}"))?;
        if start.starts_with(b"\xEF\xBB\xBF") {
            input.consume(3);
        }
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
        let mut reader = csv::ReaderBuilder::new()
            .flexible(true)
            .has_headers(false)
            .from_reader(input);
        let mut header = csv::ByteRecord::new();
        reader
            .read_byte_record(&mut header)
            .with_context(|| format!("reading the header of {name}"))?;
        let slots = match_header(&name, schema, &header, mappings, exempt)?;
        Ok(CsvInput {
            name,
            size,
            schema,
            reader,
            slots,
            record: csv::ByteRecord::new(),
            quotes,
            last_lines: (1, 1),
            ended: false,
        })
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
                    let (start, end) = self.last_lines;
                    if self.quotes.get() % 2 == 1 && end > start {
                        let message = "a quoted cell that starts on this line is never closed, so \
                                       the rest of the file was read into it; add the closing \"";
                        return Some(Err(Problem::new(start, "(row)", message)));
                    }
                    return None;
                }
                Ok(true) => {}
                Err(err) => {
                    let line = err.position().map_or(0, |p| p.line());
                    return Some(Err(Problem::new(
                        line,
                        "(row)",
                        format!("cannot read this line: {err}"),
                    )));
                }
            }
            let line = self.record.position().map_or(0, |p| p.line());
            self.last_lines = (line, self.reader.position().line());
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
                            "\"{text}\" is in a column with no header; name the column or remove the value"
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
                    values[*i] = Some(text.to_string());
                }
            }
        }
        Ok(Row {
            line,
            schema: self.schema,
            values,
        })
    }
}

fn required_names(schema: &Schema) -> Vec<&'static str> {
    schema
        .fields
        .iter()
        .filter(|f| f.required)
        .map(|f| f.name)
        .collect()
}

/// Reads the header: each column becomes a field, ignored, or unnamed. Unknown columns,
/// two columns for one field, missing required fields and mappings that match nothing are
/// refused, all of them in one message.
fn match_header(
    name: &str,
    schema: &'static Schema,
    header: &csv::ByteRecord,
    mappings: &[Mapping],
    exempt: &[&str],
) -> Result<Vec<(Slot, String)>> {
    let mut problems = Vec::new();
    let mut slots = Vec::new();
    let mut used = vec![false; mappings.len()];
    let mut seen: Vec<Option<String>> = vec![None; schema.fields.len()];
    let mut unknown = Vec::new();
    for cell in header {
        let text = std::str::from_utf8(cell)
            .map_err(|_| anyhow!("{name}:1: the header is not UTF-8 text; save the file as UTF-8 (\"CSV UTF-8\" in Excel)"))?;
        let text = text.trim().to_string();
        let mapped = mappings.iter().position(|m| {
            m.header.eq_ignore_ascii_case(&text) || m.header.to_lowercase() == text.to_lowercase()
        });
        let field: Option<&Field> = match mapped {
            Some(i) => {
                used[i] = true;
                match &mappings[i].field {
                    None => {
                        slots.push((Slot::Ignored, text));
                        continue;
                    }
                    Some(target) => match schema.field(target) {
                        Some(field) => Some(field),
                        None => {
                            problems.push(format!(
                                "--column \"{text}={target}\": there is no field \"{target}\"; the fields are: {}",
                                schema.names().join(", ")
                            ));
                            None
                        }
                    },
                }
            }
            None if text.is_empty() => {
                slots.push((Slot::Unnamed, text));
                continue;
            }
            None => {
                let field = schema.field(&text);
                if field.is_none() {
                    unknown.push(format!("\"{text}\""));
                }
                field
            }
        };
        match field {
            Some(field) => {
                let index = schema.position(field.name);
                if let Some(earlier) = &seen[index] {
                    problems.push(format!(
                        "columns \"{earlier}\" and \"{text}\" both give {}; ignore one with --column \"{text}=-\"",
                        field.name
                    ));
                }
                seen[index] = Some(text.clone());
                slots.push((Slot::Field(index), text));
            }
            None => slots.push((Slot::Ignored, text)),
        }
    }
    if !unknown.is_empty() {
        let (noun, verb) = if unknown.len() == 1 {
            ("column", "is")
        } else {
            ("columns", "are")
        };
        problems.push(format!(
            "{noun} {} {verb} not known; the known columns are: {}. Map a column with --column \
             \"HEADER=field\", or ignore it with --column \"HEADER=-\"",
            unknown.join(", "),
            schema.names().join(", ")
        ));
    }
    for (i, mapping) in mappings.iter().enumerate() {
        let twice = mappings[..i]
            .iter()
            .any(|m| m.header.to_lowercase() == mapping.header.to_lowercase());
        if twice {
            problems.push(format!(
                "--column maps \"{}\" more than once; keep one",
                mapping.header
            ));
        }
    }
    for (i, (mapping, used)) in mappings.iter().zip(used).enumerate() {
        let twice = mappings[..i]
            .iter()
            .any(|m| m.header.to_lowercase() == mapping.header.to_lowercase());
        if !used && !twice {
            problems.push(format!(
                "--column \"{}=...\": the file has no column \"{}\"",
                mapping.header, mapping.header
            ));
        }
    }
    let missing: Vec<&str> = schema
        .fields
        .iter()
        .zip(&seen)
        .filter(|(f, seen)| f.required && seen.is_none() && !exempt.contains(&f.name))
        .map(|(f, _)| f.name)
        .collect();
    if !missing.is_empty() {
        problems.push(format!(
            "missing column{} {}; the header must name {} (or map the file's own with --column \"HEADER=field\")",
            if missing.len() == 1 { "" } else { "s" },
            missing.join(", "),
            if missing.len() == 1 { "it" } else { "them" }
        ));
    }
    if problems.is_empty() {
        Ok(slots)
    } else {
        let lines: Vec<String> = problems.iter().map(|p| format!("{name}:1: {p}")).collect();
        bail!(
            "the header of {name} does not fit the {} columns:\n{}",
            schema.what,
            lines.join("\n")
        )
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
