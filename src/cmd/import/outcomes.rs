//! `motions import outcomes`: outcomes from a CSV file or a form export.

use anyhow::Result;

use super::{FileArgs, FormArgs, plural, summary_start};
use crate::cmd::progress::Progress;
use crate::cmd::{Context, note};
use crate::csv_io::{CsvInput, OUTCOMES};
use crate::model::thousands;
use crate::ops::import::{self, outcomes::Imported as Tally, outcomes::Options};

/// Load outcomes from a CSV file, such as a form's responses, all or nothing.
///
/// Columns: motion (unless --motion), organisation, status, meeting_date; optional votes_for,
/// votes_against, votes_abstain, reported_by, source, notes; with --create-orgs, kind, region
/// and union for organisations not yet registered.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Rows already recorded (same motion, organisation, status and meeting date) \
    are skipped, so a growing form export can be imported again and again.\n\n\
    Examples:\n  \
    motions import outcomes outcomes.csv\n  \
    motions import outcomes responses.csv --motion venezuela-coup --create-orgs \\\n      \
    --column \"Which branch or CLP?=organisation\" --column \"Result=status\" \\\n      \
    --column \"Date of the meeting=meeting_date\" --column \"Timestamp=-\"\n  \
    motions import outcomes us-form.csv --dates mdy \\\n      \
    --value \"status:Yes, carried=passed\" --value \"status:Not moved yet=-\"\n\n\
    Dates are read day first (28/02/2019) unless --dates mdy; a file whose dates only make \
    sense month first is pointed out. A form's own answers are read with --value; \
    \"=-\" leaves such rows out."
)]
pub(crate) struct Args {
    #[command(flatten)]
    file: FileArgs,

    #[command(flatten)]
    form: FormArgs,

    /// The motion of rows that do not name one (or of every row, when the file has no
    /// motion column)
    #[arg(long, value_name = "SLUG", add = clap_complete::engine::ArgValueCompleter::new(crate::cmd::complete::motion_slugs))]
    motion: Option<String>,

    /// Register organisations that are not in the registry, from the kind, region and union
    /// columns
    #[arg(long)]
    create_orgs: bool,
}

pub(crate) fn run(args: Args, ctx: &Context) -> Result<()> {
    // Without a motion column, every row is for --motion, or for the only motion there is.
    let mut input = CsvInput::open(
        args.file.path()?,
        &OUTCOMES,
        &args.file.columns,
        &["motion"],
    )?;
    let dry_run = args.file.dry_run;
    let mut progress = Progress::new("Importing outcomes", input.size);
    let options = Options {
        motion: args.motion,
        create_orgs: args.create_orgs,
        dry_run,
        answers: args.form.answers(),
        dates: args.file.dates(),
        create_regions: args.form.create_regions,
    };
    let tally = import::outcomes::import(&mut ctx.store()?, &mut input, &options, &mut progress)?;
    note(summary(&input.name, dry_run, &tally));
    super::warn(&tally.warnings, tally.more_warnings);
    Ok(())
}

fn summary(file: &str, dry_run: bool, tally: &Tally) -> String {
    if tally.rows == 0 {
        return format!("{file} has no rows to import, only a header.");
    }
    let mut text = format!(
        "{} {}; skipped {} already recorded",
        summary_start(dry_run, file),
        plural(tally.added, "outcome", "outcomes"),
        thousands(tally.skipped)
    );
    if tally.registered > 0 {
        let verb = if dry_run {
            "would register"
        } else {
            "registered"
        };
        let named = tally.registered_names.len() as u64;
        // A long list would bury the rest: the first few, and where to see them all.
        let names = match tally.registered {
            n if n <= named => tally.registered_names.join(", "),
            n => format!(
                "{} and {} more (see them with: motions org list)",
                tally.registered_names[..tally.registered_names.len().saturating_sub(1)].join(", "),
                thousands(n - named.saturating_sub(1))
            ),
        };
        text.push_str(&format!(
            "; {verb} {}: {names}",
            plural(tally.registered, "organisation", "organisations"),
        ));
    }
    if tally.left_out > 0 {
        text.push_str(&format!(
            "; left out {} as --value says",
            plural(tally.left_out, "row", "rows")
        ));
    }
    text.push('.');
    if dry_run {
        text.push_str(" Nothing was written.");
    }
    text
}
