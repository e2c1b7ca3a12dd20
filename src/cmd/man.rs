//! `motions man`: the manual page.

use std::io::{self, Write};

use anyhow::Result;
use clap::CommandFactory;

use crate::cli::Cli;

/// Print the manual page (read it with: motions man | man -l -).
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:\n  motions man | man -l -\n  \
    motions man > ~/.local/share/man/man1/motions.1")]
pub(crate) struct Args {}

pub(crate) fn run(_args: Args) -> Result<()> {
    let mut page = Vec::new();
    clap_mangen::Man::new(Cli::command()).render(&mut page)?;
    let mut out = io::stdout().lock();
    out.write_all(&page)?;
    out.flush()?;
    Ok(())
}
