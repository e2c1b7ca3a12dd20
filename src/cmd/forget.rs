//! `motions forget`: erase a person's name from the records.

use anyhow::{Result, bail};

use super::{Context, note};
use crate::model::clean_optional;

/// Erase a person's name wherever it is stored (as a reporter, and in notes, sources and reasons,
/// where it becomes "[name removed]"), and wipe the space it took, so the name is gone from the
/// file itself. Backups made earlier still hold it.
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
    let (reporters, texts) = ctx.store()?.forget(&name)?;
    drop(spinner);
    if reporters == 0 && texts == 0 {
        bail!(
            "no record names \"{name}\" (in any case or spelling of its accents); nothing changed"
        );
    }
    let plural = |n: u64, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    note(format!(
        "Erased \"{name}\": removed as the reporter of {}, and replaced by \"[name removed]\" in \
         {}; wiped the space it took and rebuilt the file.",
        plural(reporters, "record", "records"),
        plural(texts, "note, source or reason", "notes, sources or reasons")
    ));
    Ok(())
}
