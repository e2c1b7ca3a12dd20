//! GitHub-flavoured Markdown tables, with every cell escaped so names print as typed.

use std::io::{self, Write};

use super::{Cell, Column, Layout, Report};

pub(super) fn render(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    match report.layout {
        Layout::Rows => {
            header(out, &report.columns, &report.numeric_columns())?;
            for row in &report.rows {
                write_row(out, row)?;
            }
            if let Some(total) = &report.total {
                line(out, total.iter().map(|c| bold(&escape(&c.display()))))?;
            }
        }
        Layout::Record => {
            line(out, ["Field".to_string(), "Value".to_string()].into_iter())?;
            line(out, ["---".to_string(), "---".to_string()].into_iter())?;
            for row in &report.rows {
                for (column, cell) in report.columns.iter().zip(row) {
                    line(
                        out,
                        [escape(&column.heading), escape(&cell.display())].into_iter(),
                    )?;
                }
            }
        }
    }
    Ok(())
}

/// The heading row and the rule under it, which aligns the `numeric` columns right. Markdown
/// needs no padding, so the rows can follow one at a time.
pub(super) fn header(out: &mut dyn Write, columns: &[Column], numeric: &[bool]) -> io::Result<()> {
    line(out, columns.iter().map(|c| escape(&c.heading)))?;
    line(
        out,
        numeric
            .iter()
            .map(|n| if *n { "---:" } else { "---" }.to_string()),
    )
}

pub(super) fn write_row(out: &mut dyn Write, row: &[Cell]) -> io::Result<()> {
    line(out, row.iter().map(|c| escape(&c.display())))
}

fn line(out: &mut dyn Write, cells: impl Iterator<Item = String>) -> io::Result<()> {
    let cells: Vec<String> = cells.collect();
    writeln!(out, "| {} |", cells.join(" | "))
}

fn bold(text: &str) -> String {
    if text.is_empty() {
        String::new()
    } else {
        format!("**{text}**")
    }
}

/// Backslash-escapes Markdown's punctuation and turns line breaks into `<br>`, so a cell
/// shows exactly the text stored.
fn escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' | '|' | '*' | '_' | '`' | '[' | ']' | '<' | '>' | '#' | '~' => {
                escaped.push('\\');
                escaped.push(c);
            }
            '\r' => {}
            '\n' => escaped.push_str("<br>"),
            _ => escaped.push(c),
        }
    }
    escaped
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn cells_cannot_break_the_table_or_inject_markup() {
        assert_eq!(escape("A | B"), "A \\| B");
        assert_eq!(escape("<script>"), "\\<script\\>");
        assert_eq!(escape("two\r\nlines"), "two<br>lines");
        assert_eq!(escape("Ashby Ward Branch"), "Ashby Ward Branch");
    }
}
