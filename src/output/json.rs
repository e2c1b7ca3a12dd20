//! JSON reports: an array of objects keyed by the CSV header's names.

use std::io::{self, Write};

use serde_json::{Map, Value};

use super::{Cell, Report};

pub(super) fn render(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let rows: Vec<Value> = report
        .rows
        .iter()
        .map(|row| {
            let object: Map<String, Value> = report
                .columns
                .iter()
                .zip(row)
                .map(|(column, cell)| (column.key.clone(), to_value(cell)))
                .collect();
            Value::Object(object)
        })
        .collect();
    serde_json::to_writer_pretty(&mut *out, &rows)?;
    writeln!(out)
}

fn to_value(cell: &Cell) -> Value {
    match cell {
        Cell::Empty | Cell::Missing(_) => Value::Null,
        Cell::Text(text) => Value::String(text.clone()),
        Cell::Count(n) => Value::from(*n),
    }
}
