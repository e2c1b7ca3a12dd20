//! `motions outcome retract|amend`: corrections to the record that keep its history.

use anyhow::Result;

use super::{Context, note};
use crate::ops::record;

/// Correct recorded outcomes.
#[derive(Debug, clap::Subcommand)]
pub(crate) enum Command {
    Retract(RetractArgs),
    Amend(AmendArgs),
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
        Command::Amend(args) => amend(args, ctx),
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

/// Correct an event's votes, date, source, notes or reporter: a corrected copy is recorded and
/// the original retracted, in one step; `history --all` shows both, the original's reason
/// naming the copy.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "What is not given stays as it was; --source \"\", --note \"\" or --by \"\" \
    clears one. To change the status, retract the event and log the right one.\n\n\
    Examples:\n  motions history --org \"Ashby CLP\"\n  \
    motions outcome amend 17 --for 34 --against 3 --reason \"the minutes give 34 to 3\"\n  \
    motions outcome amend 17 --date 2019-02-25 --reason \"the meeting was on the 25th\""
)]
pub(crate) struct AmendArgs {
    /// The event's id, as `motions history` shows it
    id: i64,

    /// Votes for
    #[arg(long = "for", value_name = "N", allow_negative_numbers = true)]
    votes_for: Option<i64>,

    /// Votes against
    #[arg(long = "against", value_name = "N", allow_negative_numbers = true)]
    votes_against: Option<i64>,

    /// Abstentions
    #[arg(long = "abstain", value_name = "N", allow_negative_numbers = true)]
    votes_abstain: Option<i64>,

    /// The date of the meeting
    #[arg(long, value_name = "DATE", value_parser = super::args::date)]
    date: Option<chrono::NaiveDate>,

    /// Who reported it
    #[arg(long, value_name = "NAME", allow_hyphen_values = true)]
    by: Option<String>,

    /// Where it is recorded: a URL or a minutes reference
    #[arg(long, allow_hyphen_values = true)]
    source: Option<String>,

    /// Anything else worth keeping
    #[arg(long, value_name = "TEXT", allow_hyphen_values = true)]
    note: Option<String>,

    /// Why it is corrected, for whoever reads the history later
    #[arg(long, allow_hyphen_values = true)]
    reason: String,
}

fn amend(args: AmendArgs, ctx: &Context) -> Result<()> {
    let request = crate::ops::record::AmendRequest {
        id: args.id,
        meeting_date: args.date,
        votes_for: args.votes_for,
        votes_against: args.votes_against,
        votes_abstain: args.votes_abstain,
        reported_by: args.by,
        source: args.source,
        notes: args.note,
        reason: args.reason,
    };
    let amended = crate::ops::record::amend(&mut ctx.store()?, &request, crate::model::today())?;
    let was = &amended.original;
    note(format!(
        "Amended event {}: {} {} {} on {} is now event {}; the original stays in history --all",
        was.id, was.org, was.status, was.motion, was.meeting_date, amended.id
    ));
    Ok(())
}
