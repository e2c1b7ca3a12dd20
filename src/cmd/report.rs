//! `motions report`: one HTML page to email, print or hand to the press.

use std::path::PathBuf;

use anyhow::Result;

use super::{Context, note, resolve};
use crate::model::today;
use crate::ops::reports;
use crate::output::write_to;

/// Write the campaign as one self-contained web page: the summary, tallies by kind and region,
/// charts, the organisations that passed it and those still to move it.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "The page needs nothing else to show: no script, no fonts or pictures from \
    elsewhere. It reads on a phone and prints on A4.\n\n\
    Examples:\n  motions report -o report.html\n  motions report --as-of 2019-03-01 -o march.html"
)]
pub(crate) struct Args {
    /// The motion's slug (may be left out when there is only one motion)
    #[arg(long, value_name = "SLUG", add = clap_complete::engine::ArgValueCompleter::new(crate::cmd::complete::motion_slugs))]
    motion: Option<String>,

    /// The picture as it stood at the end of this day, or deadline (the
    /// motion's deadline) [default: today]
    #[arg(long, value_name = "DATE", value_parser = super::args::as_of)]
    as_of: Option<crate::model::AsOf>,

    /// Write the page to FILE (e.g. report.html) instead of standard output
    #[arg(long, short = 'o', value_name = "FILE")]
    output: Option<PathBuf>,
}

pub(crate) fn run(args: Args, ctx: &Context) -> Result<()> {
    let mut store = ctx.reader()?;
    let motion = resolve::motion(&mut store, args.motion.as_deref())?;
    let as_of = args.as_of.map(|as_of| as_of.day(&motion)).transpose()?;
    let report = reports::report(&mut store, &motion, as_of, today())?;
    let generated = chrono::Local::now()
        .format("%-d %B %Y at %H:%M")
        .to_string();
    let html = reports::report_html(&report, &generated);
    if let Some(path) = write_to(args.output.as_deref(), |out| out.write_all(html.as_bytes()))? {
        note(format!(
            "Wrote the report to {}; open it in a browser, or print it.",
            path.display()
        ));
    }
    Ok(())
}
