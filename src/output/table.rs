//! Terminal tables, through comfy-table.

use std::io::{self, Write};

use comfy_table::{
    Cell as TableCell, CellAlignment, ColumnConstraint, ContentArrangement, Table, Width, presets,
};

use super::{Cell, Layout, Report};

pub(super) fn render(report: &Report, fit: bool, out: &mut dyn Write) -> io::Result<()> {
    let table = match report.layout {
        Layout::Rows => rows_table(report, fit, true),
        Layout::Record => record_table(report, fit),
    };
    let mut lines: Vec<String> = table.lines().collect();
    if report.total.is_some() {
        // comfy-table has no footer: rule off the total row by hand, measuring its height as
        // the difference the row makes to the table.
        let height = lines.len() - rows_table(report, fit, false).lines().count();
        if let Some(bottom) = lines.last() {
            let rule = bottom
                .replace(['└', '╰'], "├")
                .replace('┴', "┼")
                .replace(['┘', '╯'], "┤");
            lines.insert(lines.len() - 1 - height, rule);
        }
    }
    for line in lines {
        writeln!(out, "{line}")?;
    }
    Ok(())
}

fn new_table(fit: bool) -> Table {
    let mut table = Table::new();
    table.load_style(presets::UTF8_FULL_CONDENSED.with_rounded_corners());
    table.set_content_arrangement(if fit {
        ContentArrangement::Dynamic
    } else {
        ContentArrangement::Disabled
    });
    table
}

fn rows_table(report: &Report, fit: bool, with_total: bool) -> Table {
    let mut table = new_table(fit);
    table.set_header(report.columns.iter().map(|c| c.heading.as_str()));
    let total = report.total.iter().filter(|_| with_total);
    for row in report.rows.iter().chain(total) {
        table.add_row(row.iter().map(to_cell));
    }
    // A column of counts reads best right-aligned; on a narrow terminal no column is squeezed
    // below its longest heading word or its numbers, dates and status words, which break
    // unreadably ("20/24/-0/2").
    let mut needed = 1;
    for i in 0..report.columns.len() {
        if fit {
            let floor = narrowest(
                &report.columns[i].heading,
                report.rows.iter().chain(&report.total).map(|row| &row[i]),
            );
            needed += usize::from(floor) + 3;
            if let Some(column) = table.column_mut(i) {
                column.set_constraint(ColumnConstraint::LowerBoundary(Width::Fixed(floor)));
            }
        }
        let mut cells = report.rows.iter().chain(&report.total).map(|row| &row[i]);
        let numeric = cells.clone().any(|c| matches!(c, Cell::Count(_)))
            && cells.all(|c| matches!(c, Cell::Count(_) | Cell::Empty));
        if let (true, Some(column)) = (numeric, table.column_mut(i)) {
            column.set_cell_alignment(CellAlignment::Right);
        }
    }
    // Narrower than the narrowest readable table: leave the rows whole, for `less -S` or a
    // wider window, rather than break every cell.
    if table
        .width()
        .is_some_and(|width| needed > usize::from(width))
    {
        table.set_content_arrangement(ContentArrangement::Disabled);
    }
    table
}

/// The narrowest a column may be: its longest heading word and its longest token that must
/// not break (counts, and single words of up to 16 characters such as dates and statuses).
fn narrowest<'a>(heading: &str, cells: impl Iterator<Item = &'a Cell>) -> u16 {
    let width = |s: &str| s.chars().count();
    let heading = heading.split_whitespace().map(width).max().unwrap_or(0);
    let cells = cells
        .map(|cell| match cell {
            Cell::Count(n) => width(&n.to_string()),
            Cell::Text(t) if !t.contains(char::is_whitespace) && width(t) <= 16 => width(t),
            _ => 0,
        })
        .max()
        .unwrap_or(0);
    u16::try_from(heading.max(cells)).unwrap_or(u16::MAX)
}

fn record_table(report: &Report, fit: bool) -> Table {
    let mut table = new_table(fit);
    for row in &report.rows {
        for (column, cell) in report.columns.iter().zip(row) {
            table.add_row(vec![TableCell::new(&column.heading), to_cell(cell)]);
        }
    }
    table
}

fn to_cell(cell: &Cell) -> TableCell {
    match cell {
        Cell::Empty => TableCell::new(""),
        Cell::Text(text) => TableCell::new(text),
        Cell::Count(n) => TableCell::new(n),
        Cell::Missing(label) => TableCell::new(label),
    }
}
