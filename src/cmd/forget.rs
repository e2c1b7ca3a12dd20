//! `motions forget`: erase a person's name from the records.

use anyhow::{Result, bail};

use super::{Context, note};
use crate::model::clean_optional;

/// Erase a person's name from every outcome that records them as its reporter, and wipe the
/// space it took, so the name is gone from the file itself.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "The names of reporters are personal data, and those of trade unionists and \
    party members special category data: erase them when asked, or when the campaign is over.\n\n\
    Examples:\n  motions forget \"Sam Sample\""
)]
pub(crate) struct Args {
    /// The name, as it was recorded (case does not matter)
    name: String,
}

pub(crate) fn run(args: Args, ctx: &Context) -> Result<()> {
    let Some(name) = clean_optional(Some(&args.name)) else {
        bail!("give the name to erase");
    };
    let spinner = super::progress::Spinner::new("Erasing and rebuilding the file");
    let (changed, mentions) = ctx.store()?.forget(&name)?;
    drop(spinner);
    note(format!(
        "Erased \"{name}\" from {changed} record{} and wiped the space it took.",
        if changed == 1 { "" } else { "s" }
    ));
    if mentions > 0 {
        note(format!(
            "Note: {mentions} record{} still mention{} \"{name}\" in notes or sources; see them with: \
             motions history --all --format csv, and correct them by hand",
            if mentions == 1 { "" } else { "s" },
            if mentions == 1 { "s" } else { "" }
        ));
    }
    Ok(())
}
