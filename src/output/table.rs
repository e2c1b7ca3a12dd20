//! Terminal tables, through comfy-table; a table too long to hold in memory is drawn a piece at
//! a time ([`render_long`]).

use std::io::{self, Write};

use comfy_table::{
    Attribute, Cell as TableCell, CellAlignment, Color, ColumnConstraint, ContentArrangement,
    Table, Width, presets,
};
use unicode_width::UnicodeWidthStr;

use super::{Cell, Column, Layout, Report, Style};
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
    #[cfg(test)]
    if let Some(width) = TEST_WIDTH.get() {
        table.set_width(width);
    }
    table.load_style(presets::UTF8_FULL_CONDENSED.with_rounded_corners());
    table.set_content_arrangement(if fit {
        ContentArrangement::Dynamic
    } else {
        ContentArrangement::Disabled
    });
    table
}

/// A table with the report's heading and `rows`, coloured when `style` says.
fn filled_table(columns: &[Column], rows: &[Vec<Cell>], style: Style, fit: bool) -> Table {
    let mut table = new_table(fit);
    if style.colour {
        table.enforce_styling();
    }
    table.set_header(columns.iter().map(|c| c.heading.as_str()));
    for row in rows {
        table.add_row(row.iter().zip(columns).map(|(cell, column)| {
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
    table
}

fn rows_table(report: &Report, style: Style, with_total: bool) -> Table {
    let fit = style.fit;
    let mut table = filled_table(&report.columns, &report.rows, style, fit);
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
    let heading = heading
        .split_whitespace()
        .map(|word| word.chars().count())
        .max()
        .unwrap_or(0);
    let cells = cells.map(unbreakable).max().unwrap_or(0);
    u16::try_from(heading.max(cells)).unwrap_or(u16::MAX)
}

/// How much of a cell must not break: a count, or a single word of up to 16 characters.
pub(super) fn unbreakable(cell: &Cell) -> usize {
    let width = |s: &str| s.chars().count();
    match cell {
        Cell::Count(n) => width(&n.to_string()),
        Cell::Text(t) if !t.contains(char::is_whitespace) && width(t) <= 16 => width(t),
        _ => 0,
    }
}

/// How wide a cell is drawn unbroken: its longest line, as the terminal shows it.
pub(super) fn display_width(cell: &Cell) -> usize {
    let widest = |text: &str| text.split('\n').map(str::width).max().unwrap_or(0);
    match cell {
        Cell::Empty => 0,
        Cell::Text(text) => widest(text),
        Cell::Count(n) => n.to_string().len(),
        Cell::Missing(label) => widest(label),
    }
}

/// Roughly the memory a row's cells take.
pub(super) fn row_size(row: &[Cell]) -> usize {
    row.iter()
        .map(|cell| match cell {
            Cell::Text(text) => 24 + text.len(),
            _ => 24,
        })
        .sum()
}

/// What drawing a long table needs to know of all its rows before it draws the first.
#[derive(Debug, Clone)]
pub(super) struct Shape {
    /// For each column, its widest cell and its cell with the longest unbreakable word: with
    /// the headings, they decide the columns' widths as all the rows would.
    pub(super) widest: Vec<Cell>,
    pub(super) sturdiest: Vec<Cell>,
    /// For each column, whether it holds only counts (and blanks), to align right.
    pub(super) right: Vec<bool>,
}

/// Draws a table too long to hold in memory a piece at a time (at most so many rows and bytes of
/// text, at least one row): every piece is drawn with the column widths all the rows need, and
/// only the first carries the heading and only the last the bottom rule, so the pieces join
/// into one table.
pub(super) fn render_long(
    columns: &[Column],
    shape: &Shape,
    style: Style,
    rows: &mut dyn Iterator<Item = io::Result<Vec<Cell>>>,
    (most_rows, most_bytes): (usize, usize),
    out: &mut dyn Write,
) -> io::Result<()> {
    let widths = widths(columns, shape, style);
    let mut bottom = None;
    let mut first = true;
    let mut piece = Vec::new();
    loop {
        piece.clear();
        let mut bytes = 0;
        while piece.len() < most_rows && bytes < most_bytes {
            let Some(row) = rows.next() else { break };
            let row = row?;
            bytes += row_size(&row);
            piece.push(row);
        }
        if piece.is_empty() {
            break;
        }
        let mut table = filled_table(columns, &piece, style, false);
        for (i, width) in widths.iter().enumerate() {
            if let Some(column) = table.column_mut(i) {
                column.set_constraint(ColumnConstraint::Absolute(Width::Fixed(*width)));
                if shape.right[i] {
                    column.set_cell_alignment(CellAlignment::Right);
                }
            }
        }
        let mut lines: Vec<String> = table.lines().collect();
        bottom = lines.pop();
        // After the first piece, leave out the heading: the lines down to the rule under it.
        let from = match first {
            true => 0,
            false => lines
                .iter()
                .position(|line| line.starts_with('╞'))
                .map_or(0, |i| i + 1),
        };
        first = false;
        for line in &lines[from..] {
            writeln!(out, "{line}")?;
        }
    }
    if let Some(bottom) = bottom {
        writeln!(out, "{bottom}")?;
    }
    Ok(())
}

/// Each column's width, borders' padding included, as comfy-table lays out the headings over
/// the cells that decide it; read off the top rule it draws.
fn widths(columns: &[Column], shape: &Shape, style: Style) -> Vec<u16> {
    let proxy = Report {
        columns: columns.to_vec(),
        rows: vec![shape.widest.clone(), shape.sturdiest.clone()],
        total: None,
        layout: Layout::Rows,
    };
    let top = rows_table(&proxy, style, false)
        .lines()
        .next()
        .unwrap_or_default();
    let inner: String = top.chars().skip(1).collect();
    let inner = inner.strip_suffix('╮').unwrap_or(&inner);
    inner
        .split('┬')
        .map(|rule| u16::try_from(rule.chars().count()).unwrap_or(u16::MAX))
        .collect()
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

#[cfg(test)]
thread_local! {
    /// The terminal's width for unit tests of fitted tables, which have no terminal.
    pub(super) static TEST_WIDTH: std::cell::Cell<Option<u16>> = const { std::cell::Cell::new(None) };
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
