//! `motions backup`: a consistent copy of the database, safe while others write.

use std::path::PathBuf;

use anyhow::Result;

use super::{Context, note};

/// Copy the database to FILE, consistently, even while others are logging; the copy is
/// readable by you only.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  motions backup ~/backups/motions-2019-03-01.db\n  \
    motions backup latest.db --force"
)]
pub(crate) struct Args {
    /// Where to write the copy
    file: PathBuf,

    /// Replace FILE if it exists (only once the new copy is complete)
    #[arg(long)]
    force: bool,
}

pub(crate) fn run(args: Args, ctx: &Context) -> Result<()> {
    let spinner = super::progress::Spinner::new("Copying the database");
    ctx.reader()?.backup_to(&args.file, args.force)?;
    drop(spinner);
    note(format!(
        "Copied the database to {}; check it with: motions --db {} check",
        args.file.display(),
        super::shell_quote(&args.file.to_string_lossy())
    ));
    Ok(())
}
