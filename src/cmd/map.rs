//! `motions map`: a hex map of the 650 constituencies, coloured by where the motion stands.

use std::path::PathBuf;

use anyhow::Result;

use super::{Context, note, resolve};
use crate::model::{Kind, today};
use crate::ops::reports;
use crate::output::map::MapStyle;
use crate::output::write_to;

/// Draw the campaign on a hex map of the UK: one hex a constituency, coloured by the status of
/// the registered organisation whose code is its ONS code. Writes SVG.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Each hex's tooltip names the constituency, the organisation, its status and \
    the date. Register the CLPs with their codes first: motions import orgs --builtin uk-clps.\n\n\
    Examples:\n  motions map -o map.svg\n  motions map --as-of 2019-03-01 -o march.svg\n  \
    motions map --labels -o named.svg"
)]
pub(crate) struct Args {
    /// The motion's slug (may be left out when there is only one motion)
    #[arg(long, value_name = "SLUG", add = clap_complete::engine::ArgValueCompleter::new(crate::cmd::complete::motion_slugs))]
    motion: Option<String>,

    /// The picture as it stood at the end of this day, or deadline (the
    /// motion's deadline) [default: today]
    #[arg(long, value_name = "DATE", value_parser = super::args::as_of)]
    as_of: Option<crate::model::AsOf>,

    /// The kind of organisation a constituency's hex shows
    #[arg(long, value_name = "KIND", default_value = "clp")]
    kind: String,

    /// Print each constituency's name on the hexes that passed or rejected the motion (small:
    /// zoom in, or print it large)
    #[arg(long)]
    labels: bool,

    /// Write the map to FILE (e.g. map.svg) instead of standard output
    #[arg(long, short = 'o', value_name = "FILE")]
    output: Option<PathBuf>,
}

pub(crate) fn run(args: Args, ctx: &Context) -> Result<()> {
    let kind: Kind = args.kind.parse()?;
    let mut store = ctx.reader()?;
    let motion = resolve::motion(&mut store, args.motion.as_deref())?;
    let as_of = args.as_of.map(|as_of| as_of.day(&motion)).transpose()?;
    let view = reports::map(
        &mut store,
        &motion,
        kind,
        as_of,
        today(),
        MapStyle {
            standalone: true,
            labels: args.labels,
        },
    )?;
    if view.matched == 0 {
        note(format!(
            "Note: no registered {} has a constituency's ONS code, so every hex is an outline; \
             register the CLPs with: motions import orgs --builtin uk-clps",
            kind.noun(1)
        ));
    }
    let svg = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n{}\n",
        view.svg.into_string()
    );
    if let Some(path) = write_to(args.output.as_deref(), |out| out.write_all(svg.as_bytes()))? {
        note(format!(
            "Wrote the map to {}; open it in a browser",
            path.display()
        ));
    }
    Ok(())
}
