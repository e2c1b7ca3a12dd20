//! `motions info`: where the database is and what it holds.

use anyhow::Result;

use super::Context;
use crate::output::OutputArgs;
use crate::output::{Cell, Column, Layout, Report};

/// Show the database's path, size, schema version and SQLite version, and how many motions,
/// organisations and outcomes it holds.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:\n  motions info\n  motions info --format json")]
pub(crate) struct Args {
    #[command(flatten)]
    output: OutputArgs,
}

pub(crate) fn run(args: Args, ctx: &Context) -> Result<()> {
    let path = ctx.db_path()?;
    let mut store = ctx.reader()?;
    let info = store.info()?;
    let size: u64 = ["", "-wal"]
        .iter()
        .filter_map(|suffix| {
            let mut file = path.clone().into_os_string();
            file.push(suffix);
            std::fs::metadata(file).ok().map(|m| m.len())
        })
        .sum();
    let mut report = Report::new(
        [
            ("path", "Database"),
            ("size_bytes", "Size (bytes)"),
            ("schema_version", "Schema version"),
            ("sqlite_version", "SQLite version"),
            ("motions", "Motions"),
            ("organisations", "Organisations"),
            ("outcomes", "Outcomes"),
            ("retracted", "Of which retracted"),
        ]
        .map(|(key, heading)| Column::new(key, heading))
        .to_vec(),
    );
    report.layout = Layout::Record;
    report.rows.push(vec![
        Cell::from(path.display().to_string()),
        Cell::Count(size),
        Cell::Count(info.schema_version),
        Cell::from(info.sqlite_version),
        Cell::Count(info.motions),
        Cell::Count(info.orgs),
        Cell::Count(info.outcomes),
        Cell::Count(info.retracted),
    ]);
    args.output.emit(&report)
}
