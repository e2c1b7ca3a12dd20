//! `motions init`: create the database and say where it is.

use std::io::{self, Write};

use anyhow::Result;

use super::{Context, note};

/// Create the database (every other command also creates it on first use) and print its path.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:\n  motions init\n  motions --db ~/campaigns/venezuela.db init")]
pub(crate) struct Args {}

pub(crate) fn run(_args: Args, ctx: &Context) -> Result<()> {
    let path = ctx.db_path()?;
    let existed = path.exists();
    ctx.store()?;
    if existed {
        note("The database is already there and up to date.");
    } else {
        note("Created a new database, readable by you only.");
    }
    writeln!(io::stdout(), "{}", path.display())?;
    Ok(())
}
