//! JSON reports: an array of objects keyed by the CSV header's names, written one object at a
//! time so a long report needs no more memory than a short one.

use std::io::{self, Write};

use serde::ser::{Serialize, SerializeMap, Serializer};

use super::{Cell, Column, Report};

pub(super) fn render(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let mut rows = JsonRows::new(out);
    for row in &report.rows {
        rows.push(&report.columns, row)?;
    }
    rows.finish()
}

/// A JSON array being written, an object per row, laid out as `serde_json`'s pretty printer
/// lays out a whole array.
pub(super) struct JsonRows<'w> {
    out: &'w mut dyn Write,
    /// The object being written, reused from row to row.
    buffer: Vec<u8>,
    empty: bool,
}

impl<'w> JsonRows<'w> {
    pub(super) fn new(out: &'w mut dyn Write) -> JsonRows<'w> {
        JsonRows {
            out,
            buffer: Vec::new(),
            empty: true,
        }
    }

    pub(super) fn push(&mut self, columns: &[Column], row: &[Cell]) -> io::Result<()> {
        self.buffer.clear();
        serde_json::to_writer_pretty(&mut self.buffer, &Object { columns, row })?;
        self.out
            .write_all(if self.empty { b"[\n  " } else { b",\n  " })?;
        self.empty = false;
        // The object's own lines, one level deeper: JSON strings never hold a raw line break.
        for (i, line) in self.buffer.split(|b| *b == b'\n').enumerate() {
            if i > 0 {
                self.out.write_all(b"\n  ")?;
            }
            self.out.write_all(line)?;
        }
        Ok(())
    }

    pub(super) fn finish(self) -> io::Result<()> {
        self.out
            .write_all(if self.empty { b"[]\n" } else { b"\n]\n" })
    }
}

/// One row as an object, keys in column order.
struct Object<'a> {
    columns: &'a [Column],
    row: &'a [Cell],
}

impl Serialize for Object<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.columns.len()))?;
        for (column, cell) in self.columns.iter().zip(self.row) {
            map.serialize_entry(&column.key, cell)?;
        }
        map.end()
    }
}

impl Serialize for Cell {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Cell::Empty | Cell::Missing(_) => serializer.serialize_none(),
            Cell::Text(text) => serializer.serialize_str(text),
            Cell::Count(n) => serializer.serialize_u64(*n),
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{Map, Value};

    use super::super::{Cell, Column, Report};

    /// Written a row at a time, the array is byte for byte what `serde_json` writes for the
    /// whole array at once.
    #[test]
    fn rows_written_one_at_a_time_make_the_same_array() {
        let mut report = Report::new(vec![
            Column::new("name", "Name"),
            Column::new("votes_for", "For"),
            Column::new("notes", "Notes"),
        ]);
        for rows in [0, 1, 3] {
            report.rows = (0..rows)
                .map(|i| {
                    vec![
                        Cell::from(format!("Ashby \"Ward\"\nBranch {i}")),
                        Cell::Count(i),
                        if i == 1 {
                            Cell::Empty
                        } else {
                            Cell::Missing("(none)")
                        },
                    ]
                })
                .collect();
            let whole: Vec<Value> = report
                .rows
                .iter()
                .map(|row| {
                    let object: Map<String, Value> = report
                        .columns
                        .iter()
                        .zip(row)
                        .map(|(c, cell)| {
                            let value = match cell {
                                Cell::Text(t) => Value::from(t.as_str()),
                                Cell::Count(n) => Value::from(*n),
                                _ => Value::Null,
                            };
                            (c.key.clone(), value)
                        })
                        .collect();
                    Value::Object(object)
                })
                .collect();
            let mut expected = serde_json::to_string_pretty(&whole).unwrap();
            expected.push('\n');
            let mut written = Vec::new();
            super::render(&report, &mut written).unwrap();
            assert_eq!(String::from_utf8(written).unwrap(), expected);
        }
    }
}
