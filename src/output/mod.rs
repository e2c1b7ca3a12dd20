//! Reports as tables, CSV, JSON or Markdown. Commands build a [`Report`] (columns and rows of
//! cells), or hand over a long report's rows one at a time ([`Rows`]); the format is chosen once
//! and one renderer per format writes it. This is the only place that knows comfy-table.

pub(crate) mod bar;
mod csv;
mod fit;
pub(crate) mod html;
mod json;
pub(crate) mod map;
mod markdown;
pub(crate) mod rows;
pub(crate) mod site;
mod stream;
pub(crate) mod svg;
mod table;

pub(crate) use stream::Rows;

use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};

use anyhow::{Result, bail};

/// When tables are drawn in colour.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum Colour {
    /// On a terminal, unless NO_COLOR is set
    #[default]
    Auto,
    Always,
    Never,
}

static COLOUR: std::sync::OnceLock<Colour> = std::sync::OnceLock::new();

/// Chooses colour for the rest of the run (from `--colour`).
pub(crate) fn choose_colour(colour: Colour) {
    let _ = COLOUR.set(colour);
}

/// True when a table going to a terminal (`to_terminal`) or elsewhere is to be coloured.
fn colour_wanted(to_terminal: bool) -> bool {
    match COLOUR.get().copied().unwrap_or_default() {
        Colour::Always => true,
        Colour::Never => false,
        Colour::Auto => to_terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
    }
}

/// How a report is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum Format {
    /// A table for reading in the terminal.
    Table,
    /// Comma-separated values, for spreadsheets (the contract's columns).
    Csv,
    /// An array of objects with the CSV header's field names.
    Json,
    /// A GitHub-flavoured Markdown table, to paste into documents and chats.
    Markdown,
}

impl Format {
    /// The format a file name suggests (`tally.csv`), when `--format` is not given.
    fn from_extension(path: &Path) -> Result<Option<Format>> {
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .unwrap_or_default()
            .to_ascii_lowercase();
        Ok(match ext.as_str() {
            "csv" => Some(Format::Csv),
            "json" => Some(Format::Json),
            "md" | "markdown" => Some(Format::Markdown),
            "txt" => Some(Format::Table),
            "xlsx" | "xls" | "ods" | "numbers" => bail!(
                "motions cannot write .{ext} spreadsheets; write CSV (-o {}) and open that in \
                 your spreadsheet",
                path.with_extension("csv").display()
            ),
            _ => None,
        })
    }

    /// Tables and Markdown are for people: an empty one is better said in words.
    pub(crate) fn is_for_people(self) -> bool {
        matches!(self, Format::Table | Format::Markdown)
    }
}

/// One value in a report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Cell {
    /// A missing value: an empty cell in CSV, `null` in JSON.
    Empty,
    Text(String),
    Count(u64),
    /// A missing value that tables label, such as "(no region)" in a tally row; empty in CSV
    /// and `null` in JSON, like [`Cell::Empty`].
    Missing(&'static str),
}

impl Cell {
    fn is_empty(&self) -> bool {
        matches!(self, Cell::Empty | Cell::Missing(_))
    }

    /// Text for an optional value.
    pub(crate) fn opt(value: Option<impl ToString>) -> Cell {
        value.map_or(Cell::Empty, |v| Cell::Text(v.to_string()))
    }

    /// A count for an optional number.
    pub(crate) fn opt_count(value: Option<impl Into<u64>>) -> Cell {
        value.map_or(Cell::Empty, |v| Cell::Count(v.into()))
    }

    /// The text of a text cell.
    pub(crate) fn text(&self) -> Option<&str> {
        match self {
            Cell::Text(text) => Some(text),
            _ => None,
        }
    }

    pub(crate) fn display(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(text) => text.clone(),
            Cell::Count(n) => n.to_string(),
            Cell::Missing(label) => label.to_string(),
        }
    }
}

impl From<&str> for Cell {
    fn from(text: &str) -> Cell {
        Cell::Text(text.to_string())
    }
}

impl From<String> for Cell {
    fn from(text: String) -> Cell {
        Cell::Text(text)
    }
}

impl From<u64> for Cell {
    fn from(n: u64) -> Cell {
        Cell::Count(n)
    }
}

/// A column: its contract name (CSV header, JSON key) and its heading in tables.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Column {
    pub(crate) key: String,
    pub(crate) heading: String,
    /// When a table on a narrow terminal may leave the column out: lower ranks first, columns
    /// of one rank together; `None`, never. See [`least_important_first`].
    pub(crate) drop: Option<u8>,
}

impl Column {
    pub(crate) fn new(key: impl Into<String>, heading: impl Into<String>) -> Column {
        Column {
            key: key.into(),
            heading: heading.into(),
            drop: None,
        }
    }
}

/// Gives a report's columns the order in which a table on a narrow terminal leaves them out:
/// the columns of `order[0]` (by key) first, together, then those of `order[1]`... A column not
/// named is never left out.
pub(crate) fn least_important_first(columns: &mut [Column], order: &[&[&str]]) {
    for column in columns {
        column.drop = order
            .iter()
            .position(|keys| keys.contains(&column.key.as_str()))
            .and_then(|rank| u8::try_from(rank).ok());
    }
}

/// How a table shows the rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Layout {
    /// One line per row.
    Rows,
    /// One record shown as field/value lines (for `show` commands).
    Record,
}

/// What a command prints: columns, rows, and for tables an optional total row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Report {
    pub(crate) columns: Vec<Column>,
    pub(crate) rows: Vec<Vec<Cell>>,
    /// Shown at the foot of tables; CSV and JSON leave it out, so sums are not counted twice.
    pub(crate) total: Option<Vec<Cell>>,
    pub(crate) layout: Layout,
}

impl Report {
    pub(crate) fn new(columns: Vec<Column>) -> Report {
        Report {
            columns,
            rows: Vec::new(),
            total: None,
            layout: Layout::Rows,
        }
    }

    /// For each column, whether any row holds a count there (such columns align right).
    fn numeric_columns(&self) -> Vec<bool> {
        (0..self.columns.len())
            .map(|i| self.rows.iter().any(|row| matches!(row[i], Cell::Count(_))))
            .collect()
    }

    /// The same report without the columns that are empty in every row, for tables: a column
    /// of blanks (no unions in the registry, say) only takes width.
    fn without_empty_columns(&self) -> Report {
        let keep: Vec<bool> = (0..self.columns.len())
            .map(|i| {
                let full = |row: &Vec<Cell>| !row[i].is_empty();
                self.rows.iter().any(full) || self.total.iter().any(full)
            })
            .collect();
        let pick = |row: &Vec<Cell>| {
            row.iter()
                .zip(&keep)
                .filter(|(_, k)| **k)
                .map(|(c, _)| c.clone())
                .collect()
        };
        Report {
            columns: self
                .columns
                .iter()
                .zip(&keep)
                .filter(|(_, k)| **k)
                .map(|(c, _)| c.clone())
                .collect(),
            rows: self.rows.iter().map(pick).collect(),
            total: self.total.as_ref().map(pick),
            layout: self.layout,
        }
    }
}

/// Where a read command writes and in which format: the flags every read command takes.
#[derive(Debug, Clone, Default, clap::Args)]
pub(crate) struct OutputArgs {
    /// Output format [default: table, or the one the --output file name ends in]
    #[arg(long, short = 'f', value_enum, value_name = "FORMAT")]
    pub(crate) format: Option<Format>,

    /// Write to FILE instead of standard output (replaced whole, only once complete)
    #[arg(long, short = 'o', value_name = "FILE")]
    pub(crate) output: Option<PathBuf>,

    /// Show every column of a table however wide it is (to fit a terminal, the least important
    /// columns are otherwise left out)
    #[arg(long)]
    pub(crate) wide: bool,
}

impl OutputArgs {
    /// The file to write, if not standard output (`-o -` is standard output).
    pub(crate) fn file(&self) -> Option<&Path> {
        file_named(self.output.as_deref())
    }

    pub(crate) fn format(&self) -> Result<Format> {
        if let Some(format) = self.format {
            return Ok(format);
        }
        let from_name = self
            .file()
            .map(Format::from_extension)
            .transpose()?
            .flatten();
        Ok(from_name.unwrap_or(Format::Table))
    }

    /// How a table is drawn: fitted to the terminal it goes to (unless `--wide`), coloured when
    /// colour is wanted there; a table written to a file or a pipe is never cut.
    fn style(&self) -> Style {
        if self.file().is_some() {
            return Style {
                width: None,
                colour: colour_wanted(false),
            };
        }
        let style = Style::stdout();
        match self.wide {
            true => Style {
                width: None,
                ..style
            },
            false => style,
        }
    }

    /// How many columns are left beside `report`'s table for one more column of at least
    /// `least` and at most `most` characters (a chart): what the terminal leaves once the table
    /// is fitted to the rest, or `None` when the table is not fitted to a terminal.
    pub(crate) fn room_beside(&self, report: &Report, least: usize, most: usize) -> Option<usize> {
        let width = usize::from(self.style().width?);
        let room = table::room_beside(&report.without_empty_columns(), width, least);
        Some(room.clamp(least, most))
    }

    /// Writes the report where the flags say.
    pub(crate) fn emit(&self, report: &Report) -> Result<()> {
        let format = self.format()?;
        let style = self.style();
        write_to(self.output.as_deref(), |out| {
            render(report, format, style, out)
        })?;
        Ok(())
    }

    /// Writes a report whose rows `produce` pushes one at a time, in bounded memory however
    /// many there are (see [`stream`]); returns how many rows there were. A table or Markdown
    /// with none is not written, so the command can say so in words.
    pub(crate) fn emit_rows(
        &self,
        columns: Vec<Column>,
        produce: impl FnOnce(&mut Rows<'_>) -> Result<()>,
    ) -> Result<u64> {
        let format = self.format()?;
        let style = self.style();
        stream::emit(self.output.as_deref(), columns, format, style, produce)
    }
}

/// The file an `--output` flag names, or `None` for standard output (`-o -` is standard output).
fn file_named(output: Option<&Path>) -> Option<&Path> {
    output.filter(|path| path.as_os_str() != "-")
}

/// Writes what `fill` writes to the file `output` names (through [`write_file`]), or to
/// standard output when it names none; returns the file written, if any, for the command's
/// closing note.
pub(crate) fn write_to(
    output: Option<&Path>,
    fill: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> Result<Option<&Path>> {
    match file_named(output) {
        Some(path) => {
            write_file(path, fill)?;
            Ok(Some(path))
        }
        None => {
            let mut out = io::BufWriter::new(io::stdout().lock());
            fill(&mut out)?;
            out.flush()?;
            Ok(None)
        }
    }
}

/// Writes a file without ever destroying one: see [`crate::files`].
fn write_file(path: &Path, fill: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> Result<()> {
    crate::files::write(path, fill)
}

/// How a table is drawn: fitted to a terminal this many columns wide (`None`: whole, as for a
/// file or a pipe, which are never cut), in colour.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Style {
    pub(crate) width: Option<u16>,
    pub(crate) colour: bool,
}

impl Style {
    /// A table for standard output, whatever the report's own flags.
    pub(crate) fn stdout() -> Style {
        Style {
            width: terminal_width(),
            colour: colour_wanted(io::stdout().is_terminal()),
        }
    }
}

/// The width of the terminal standard output goes to, or `None` when it goes to a file or a
/// pipe. `COLUMNS`, when set, is the terminal's width; `MOTIONS_TERMINAL_WIDTH` stands in for a
/// terminal that wide wherever the output goes (for tests and demonstrations: a table is then
/// fitted, and not coloured unless asked).
pub(crate) fn terminal_width() -> Option<u16> {
    let from = |name: &str| {
        std::env::var(name)
            .ok()
            .and_then(|value| value.trim().parse::<u16>().ok())
            .filter(|width| *width > 0)
    };
    if let Some(width) = from("MOTIONS_TERMINAL_WIDTH") {
        return Some(width);
    }
    if !io::stdout().is_terminal() {
        return None;
    }
    from("COLUMNS")
        .or_else(|| terminal_size::terminal_size().map(|(width, _)| width.0))
        .or(Some(80))
}

/// Notes for the person at the terminal that rendering left (the columns a table left out),
/// for the command to say once it is done: nothing below the commands prints.
static NOTES: std::sync::Mutex<Vec<String>> = std::sync::Mutex::new(Vec::new());

fn leave_note(note: String) {
    if let Ok(mut notes) = NOTES.lock()
        && !notes.contains(&note)
    {
        notes.push(note);
    }
}

/// The notes rendering has left since the last call.
pub(crate) fn take_notes() -> Vec<String> {
    NOTES
        .lock()
        .map(|mut notes| std::mem::take(&mut *notes))
        .unwrap_or_default()
}

/// Renders `report` in `format`, tables drawn in `style`.
pub(crate) fn render(
    report: &Report,
    format: Format,
    style: Style,
    out: &mut dyn Write,
) -> io::Result<()> {
    match format {
        Format::Table => table::render(&report.without_empty_columns(), style, out),
        Format::Csv => csv::render(report, out),
        Format::Json => json::render(report, out),
        Format::Markdown => markdown::render(&report.without_empty_columns(), out),
    }
}
