//! The header of a CSV file: each column matched to a field of the contract by its name (case
//! and surrounding spaces ignored, any order, aliases) or by a `--column` mapping, with every
//! problem of the header found at once.

use std::str::FromStr;

use anyhow::{Result, anyhow, bail};

use super::schema::{Field, Schema};
use crate::model::visible;

/// At most this many unknown columns are named; the rest are counted.
const SHOWN_COLUMNS: usize = 20;

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
                "--column \"{}\": write it as \"HEADER=field\" (or \"HEADER=-\" to ignore that column)",
                visible(s)
            );
        };
        let field = field.trim();
        Ok(Mapping {
            header: header.trim().to_string(),
            field: (field != "-").then(|| field.to_lowercase()),
        })
    }
}

/// What a column of the file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Slot {
    /// A contract field, by its place in the schema.
    Field(usize),
    /// Mapped to `-`.
    Ignored,
    /// A column with an empty header: it must stay empty.
    Unnamed,
}

pub(super) fn required_names(schema: &Schema) -> Vec<&'static str> {
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
pub(super) fn match_header(
    name: &str,
    line: u64,
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
            .map_err(|_| anyhow!("{name}:{line}: the header is not UTF-8 text; save the file as UTF-8 (\"CSV UTF-8\" in Excel)"))?;
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
                                "--column \"{}={}\": there is no field \"{}\"; the fields are: {}",
                                visible(&text),
                                visible(target),
                                visible(target),
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
                    unknown.push(format!("\"{}\"", visible(&text)));
                }
                field
            }
        };
        match field {
            Some(field) => {
                let index = schema.position(field.name);
                if let Some(earlier) = &seen[index] {
                    problems.push(format!(
                        "columns \"{}\" and \"{}\" both give {}; ignore one with --column \"{}=-\"",
                        visible(earlier),
                        visible(&text),
                        field.name,
                        visible(&text)
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
        let mut listed = unknown[..unknown.len().min(SHOWN_COLUMNS)].join(", ");
        if unknown.len() > SHOWN_COLUMNS {
            listed.push_str(&format!(" and {} more", unknown.len() - SHOWN_COLUMNS));
        }
        problems.push(format!(
            "{noun} {listed} {verb} not known; the known columns are: {}. Map a column with --column \
             \"HEADER=field\", or ignore it with --column \"HEADER=-\"",
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
        let lines: Vec<String> = problems
            .iter()
            .map(|p| format!("{name}:{line}: {p}"))
            .collect();
        bail!(
            "the header of {name} does not fit the {} columns:\n{}",
            schema.what,
            lines.join("\n")
        )
    }
}
