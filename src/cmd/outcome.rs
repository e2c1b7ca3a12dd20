//! `motions outcome retract`: corrections to the record that keep its history.

use anyhow::{Result, bail};

use super::{Context, note, text_arg};
use crate::model::MAX_TEXT_CHARS;

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
            let Some(reason) = text_arg("--reason", Some(&args.reason), MAX_TEXT_CHARS)? else {
                bail!(
                    "give the reason with --reason \"...\"; the history keeps it beside the event"
                );
            };
            let event = ctx.store_to_retract()?.retract(args.id, &reason)?;
            note(format!(
                "Retracted event {}: {} {} {} on {} ({reason})",
                event.id, event.org, event.status, event.motion, event.meeting_date
            ));
            Ok(())
        }
    }
}
