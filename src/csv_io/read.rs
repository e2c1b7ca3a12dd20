//! Reading a CSV file as the contract describes: a header row matched by name (case and
//! surrounding spaces ignored, any order, aliases and `--column` mappings), UTF-8 with or
//! without a BOM, LF or CRLF, RFC 4180 quoting. Rows stream one at a time.

use std::fmt;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::Path;
use std::str::FromStr;

use anyhow::{Context, Result, anyhow, bail};

use super::restore;
use super::schema::{Field, Schema};

/// The longest cell accepted, in characters.
pub(crate) const MAX_CELL_CHARS: usize = 10_000;

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
            match self.reader.read_byte_record(&mut self.record) {
                Ok(false) => return None,
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
            let extra = self
                .record
                .iter()
                .skip(self.slots.len())
                .any(|cell| !cell.trim_ascii().is_empty());
            if extra {
                let message = format!(
                    "this row has {} cells but the header names {} columns; check for an unquoted comma",
                    self.record.len(),
                    self.slots.len()
                );
                return Err(Problem::new(line, "(row)", message));
            }
        }
        for (cell, (slot, header)) in self.record.iter().zip(&self.slots) {
            let Ok(text) = std::str::from_utf8(cell) else {
                return Err(Problem::new(
                    line,
                    header,
                    "not UTF-8 text; save the file as UTF-8 (\"CSV UTF-8\" in Excel)",
                ));
            };
            let text = restore(text.trim());
            if text.is_empty() {
                continue;
            }
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
                    let chars = text.chars().count();
                    if chars > MAX_CELL_CHARS {
                        return Err(Problem::new(
                            line,
                            header,
                            format!("{chars} characters long; the limit is {MAX_CELL_CHARS}"),
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
    for (mapping, used) in mappings.iter().zip(used) {
        if !used {
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
