//! Terminal tables, through comfy-table, fitted to the terminal's width by [`fit`](super::fit);
//! a table too long to hold in memory is drawn a piece at a time ([`render_long`]).

use std::io::{self, Write};

use comfy_table::{
    Attribute, Cell as TableCell, CellAlignment, Color, ColumnConstraint, ContentArrangement,
    Table, Width, presets,
};

use super::fit::{Need, Plan, fit};
use super::{Cell, Column, Layout, Report, Style};
use crate::model::{Group, StatusFilter};

pub(super) fn render(report: &Report, style: Style, out: &mut dyn Write) -> io::Result<()> {
    if report.layout == Layout::Record {
        for line in record_table(report, style).lines() {
            writeln!(out, "{line}")?;
        }
        return Ok(());
    }
    let mut needs = needs_of(&report.columns);
    for row in report.rows.iter().chain(&report.total) {
        for (need, cell) in needs.iter_mut().zip(row) {
            need.see(cell);
        }
    }
    let plan = plan(&needs, style);
    tell_hidden(&report.columns, &plan, style);
    let columns = pick(&report.columns, &plan.shown);
    let rows: Vec<Vec<Cell>> = report
        .rows
        .iter()
        .map(|row| pick(row, &plan.shown))
        .collect();
    let total = report.total.as_ref().map(|row| pick(row, &plan.shown));
    let right = right_aligned(&rows, total.as_ref());
    let table = |with_total: bool| {
        let mut table = filled_table(&columns, &rows, style);
        if let Some(total) = total.as_ref().filter(|_| with_total) {
            // The total row stands out in bold when colour is on.
            table.add_row(total.iter().map(|cell| match style.colour {
                true => to_cell(cell).add_attribute(Attribute::Bold),
                false => to_cell(cell),
            }));
        }
        set_widths(&mut table, &plan.widths, &right);
        table
    };
    let mut lines: Vec<String> = table(true).lines().collect();
    if total.is_some() {
        // comfy-table has no footer: rule off the total row by hand, measuring its height as
        // the difference the row makes to the table.
        let height = lines.len() - table(false).lines().count();
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

/// The room a table `width` wide leaves beside `report` for one more column of at least `least`
/// characters: the report is fitted to what is left once that column has its least.
pub(super) fn room_beside(report: &Report, width: usize, least: usize) -> usize {
    let mut needs = needs_of(&report.columns);
    for row in report.rows.iter().chain(&report.total) {
        for (need, cell) in needs.iter_mut().zip(row) {
            need.see(cell);
        }
    }
    let plan = fit(&needs, width.saturating_sub(least + 3));
    width.saturating_sub(plan.width() + 3)
}

/// What each column needs before its cells are seen: its heading, and when it may be left out.
pub(super) fn needs_of(columns: &[Column]) -> Vec<Need> {
    columns
        .iter()
        .map(|column| Need::of_heading(&column.heading, column.drop))
        .collect()
}

/// How a table with these needs is drawn: fitted to the terminal, or whole.
fn plan(needs: &[Need], style: Style) -> Plan {
    match style.width {
        Some(width) => fit(needs, usize::from(width)),
        None => Plan::whole(needs),
    }
}

/// Says which columns were left out to fit, and how to see them (a note for the command).
fn tell_hidden(columns: &[Column], plan: &Plan, style: Style) {
    let Some(width) = style.width.filter(|_| !plan.hidden.is_empty()) else {
        return;
    };
    let mut hidden: Vec<&str> = plan
        .hidden
        .iter()
        .map(|&i| columns[i].heading.as_str())
        .collect();
    let last = hidden.pop().unwrap_or_default();
    let (names, verb) = match hidden.is_empty() {
        true => (last.to_string(), "is"),
        false => (format!("{} and {last}", hidden.join(", ")), "are"),
    };
    super::leave_note(format!(
        "Note: {names} {verb} left out to fit the terminal ({width} columns); --wide shows \
         every column"
    ));
}

/// The items at `shown`, in order.
fn pick<T: Clone>(items: &[T], shown: &[usize]) -> Vec<T> {
    shown
        .iter()
        .filter_map(|&i| items.get(i).cloned())
        .collect()
}

/// For each column, whether it holds counts and nothing else (and so reads best right-aligned).
fn right_aligned(rows: &[Vec<Cell>], total: Option<&Vec<Cell>>) -> Vec<bool> {
    let width = rows.first().map_or(0, Vec::len);
    (0..width)
        .map(|i| {
            let mut cells = rows.iter().chain(total).map(|row| &row[i]);
            cells.clone().any(|c| matches!(c, Cell::Count(_)))
                && cells.all(|c| matches!(c, Cell::Count(_) | Cell::Empty))
        })
        .collect()
}

/// Draws each column at its planned content width (comfy-table's widths count the padding).
fn set_widths(table: &mut Table, widths: &[usize], right: &[bool]) {
    for (i, width) in widths.iter().enumerate() {
        if let Some(column) = table.column_mut(i) {
            let padded = u16::try_from(width + 2).unwrap_or(u16::MAX);
            column.set_constraint(ColumnConstraint::Absolute(Width::Fixed(padded)));
            if right.get(i).copied().unwrap_or(false) {
                column.set_cell_alignment(CellAlignment::Right);
            }
        }
    }
}

fn new_table() -> Table {
    let mut table = Table::new();
    table.load_style(presets::UTF8_FULL_CONDENSED.with_rounded_corners());
    table.set_content_arrangement(ContentArrangement::Disabled);
    table
}

/// A table with the report's heading and `rows`, coloured when `style` says.
fn filled_table(columns: &[Column], rows: &[Vec<Cell>], style: Style) -> Table {
    let mut table = new_table();
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
    /// For each column, what its heading and all its cells need.
    pub(super) needs: Vec<Need>,
    /// For each column, whether it holds only counts (and blanks), to align right.
    pub(super) right: Vec<bool>,
}

/// Draws a table too long to hold in memory a piece at a time (at most so many rows and bytes of
/// text, at least one row): every piece is drawn with the columns and widths all the rows need,
/// and only the first carries the heading and only the last the bottom rule, so the pieces join
/// into one table.
pub(super) fn render_long(
    columns: &[Column],
    shape: &Shape,
    style: Style,
    rows: &mut dyn Iterator<Item = io::Result<Vec<Cell>>>,
    (most_rows, most_bytes): (usize, usize),
    out: &mut dyn Write,
) -> io::Result<()> {
    let plan = plan(&shape.needs, style);
    tell_hidden(columns, &plan, style);
    let shown_columns = pick(columns, &plan.shown);
    let right = pick(&shape.right, &plan.shown);
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
            piece.push(pick(&row, &plan.shown));
        }
        if piece.is_empty() {
            break;
        }
        let mut table = filled_table(&shown_columns, &piece, style);
        set_widths(&mut table, &plan.widths, &right);
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

/// One record as field/value lines, the values wrapped at words to fit the terminal.
fn record_table(report: &Report, style: Style) -> Table {
    let mut table = new_table();
    let mut needs = [Need::default(), Need::default()];
    for row in &report.rows {
        for (column, cell) in report.columns.iter().zip(row) {
            needs[0].see(&Cell::from(column.heading.as_str()));
            needs[1].see(cell);
            table.add_row(vec![TableCell::new(&column.heading), to_cell(cell)]);
        }
    }
    set_widths(&mut table, &plan(&needs, style).widths, &[]);
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
        Ok(StatusFilter::Any) | Err(_) => return cell,
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
