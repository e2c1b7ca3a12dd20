//! Terminal tables, through comfy-table.

use std::io::{self, Write};

use comfy_table::{
    Attribute, Cell as TableCell, CellAlignment, Color, ColumnConstraint, ContentArrangement,
    Table, Width, presets,
};

use super::{Cell, Layout, Report, Style};
use crate::model::{Group, StatusFilter};

pub(super) fn render(report: &Report, style: Style, out: &mut dyn Write) -> io::Result<()> {
    let fit = style.fit;
    let table = match report.layout {
        Layout::Rows => rows_table(report, style, true),
        Layout::Record => record_table(report, fit),
    };
    let mut lines: Vec<String> = table.lines().collect();
    if report.total.is_some() {
        // comfy-table has no footer: rule off the total row by hand, measuring its height as
        // the difference the row makes to the table.
        let height = lines.len() - rows_table(report, style, false).lines().count();
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

fn rows_table(report: &Report, style: Style, with_total: bool) -> Table {
    let fit = style.fit;
    let mut table = new_table(fit);
    if style.colour {
        table.enforce_styling();
    }
    table.set_header(report.columns.iter().map(|c| c.heading.as_str()));
    for row in &report.rows {
        table.add_row(row.iter().zip(&report.columns).map(|(cell, column)| {
            let cell_out = to_cell(cell);
            match cell
                .text()
                .filter(|_| style.colour && COLOURED.contains(&column.key.as_str()))
            {
                Some(text) => colour_by_group(cell_out, text),
                None => cell_out,
            }
        }));
    }
    if let Some(total) = report.total.as_ref().filter(|_| with_total) {
        // The total row stands out in bold when colour is on.
        table.add_row(total.iter().map(|cell| match style.colour {
            true => to_cell(cell).add_attribute(Attribute::Bold),
            false => to_cell(cell),
        }));
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

/// The columns whose words are statuses or groups, coloured by group.
const COLOURED: [&str; 3] = ["status", "group", "clp_status"];

/// Colours a status or group word by its group, in colours people with colour-blindness tell
/// apart (after the Okabe–Ito palette): passed bluish green, rejected vermillion, pending
/// orange, dropped grey; not yet moved stays plain.
fn colour_by_group(cell: TableCell, word: &str) -> TableCell {
    let group = match word.parse::<StatusFilter>() {
        Ok(StatusFilter::Status(status)) => status.group(),
        Ok(StatusFilter::Group(group)) => group,
        Err(_) => return cell,
    };
    match group {
        Group::Passed => cell.fg(Color::AnsiValue(36)).add_attribute(Attribute::Bold),
        Group::Rejected => cell.fg(Color::AnsiValue(166)),
        Group::Pending => cell.fg(Color::AnsiValue(178)),
        Group::Dropped => cell.fg(Color::AnsiValue(245)),
        Group::None => cell,
    }
}

fn to_cell(cell: &Cell) -> TableCell {
    match cell {
        Cell::Empty => TableCell::new(""),
        Cell::Text(text) => TableCell::new(text),
        Cell::Count(n) => TableCell::new(n),
        Cell::Missing(label) => TableCell::new(label),
    }
}
