//! `motions outcome retract`: corrections to the record that keep its history.

use anyhow::Result;

use super::{Context, note};
use crate::ops::record;

/// Correct recorded outcomes.
#[derive(Debug, clap::Subcommand)]
pub(crate) enum Command {
    Retract(RetractArgs),
}

/// Mark an event as recorded in error: it stays in the history (`history --all`) with the
/// reason, and status, tallies and exports leave it out.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:\n  motions history --org \"Ashby CLP\"\n  \
    motions outcome retract 17 --reason \"logged for the wrong branch\"")]
pub(crate) struct RetractArgs {
    /// The event's id, as `motions history` shows it
    id: i64,

    /// Why it is wrong, for whoever reads the history later
    #[arg(long, allow_hyphen_values = true)]
    reason: String,
}

pub(crate) fn run(command: Command, ctx: &Context) -> Result<()> {
    match command {
        Command::Retract(args) => {
            let (event, reason) =
                record::retract(&mut ctx.store_to_retract()?, args.id, &args.reason)?;
            note(format!(
                "Retracted event {}: {} {} {} on {} ({reason})",
                event.id, event.org, event.status, event.motion, event.meeting_date
            ));
            Ok(())
        }
    }
}
