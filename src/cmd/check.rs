//! `motions check`: is the database sound?

use std::io::{self, Write};

use anyhow::{Result, bail};

use super::Context;
use crate::db::Store;

/// Check the database: SQLite's integrity and foreign-key checks, and the tool's own rules
/// (every current status is the latest event). Exits 1 when anything is wrong.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:\n  motions check\n  motions --db backup.db check")]
pub(crate) struct Args {}

pub(crate) fn run(_args: Args, ctx: &Context) -> Result<()> {
    let path = ctx.db_path()?;
    let findings = Store::check_file(&path)?;
    let mut out = io::stdout().lock();
    writeln!(out, "Checked {}:", path.display())?;
    let mut problems = 0;
    for finding in &findings {
        let verdict = if finding.problems.is_empty() {
            "ok"
        } else {
            "PROBLEMS"
        };
        writeln!(out, "  {verdict:8} {}", finding.check)?;
        for problem in finding.problems.iter().take(20) {
            writeln!(out, "           {problem}")?;
        }
        if finding.problems.len() > 20 {
            writeln!(
                out,
                "           ... and {} more",
                finding.problems.len() - 20
            )?;
        }
        problems += finding.problems.len();
    }
    out.flush()?;
    if problems > 0 {
        bail!(
            "{problems} problem{} found; keep a copy of the file (motions backup FILE) before changing anything",
            if problems == 1 { "" } else { "s" }
        );
    }
    Ok(())
}
