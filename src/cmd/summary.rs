//! `motions summary`: the paragraph a press officer would write, from the data.

use anyhow::Result;

use super::{Context, resolve};
use crate::model::{Style, today};
use crate::ops::reports;
use crate::output::{Cell, Column, Format, OutputArgs, Report, write_to};

/// Write the state of the campaign as a paragraph, ready for an email or a press release.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Plain text by default; --format markdown puts the title in italics; csv and \
    json give the paragraph with the motion and the date.\n\n\
    Examples:\n  motions summary\n  motions summary --as-of 2019-03-01 --format markdown"
)]
pub(crate) struct Args {
    /// The motion's slug (may be left out when there is only one motion)
    #[arg(long, value_name = "SLUG", add = clap_complete::engine::ArgValueCompleter::new(crate::cmd::complete::motion_slugs))]
    motion: Option<String>,

    /// As things stood at the end of this day, or deadline (the
    /// motion's deadline) [default: today]
    #[arg(long, value_name = "DATE", value_parser = super::args::as_of)]
    as_of: Option<crate::model::AsOf>,

    #[command(flatten)]
    output: OutputArgs,
}

pub(crate) fn run(args: Args, ctx: &Context) -> Result<()> {
    let mut store = ctx.reader()?;
    let motion = resolve::motion(&mut store, args.motion.as_deref())?;
    let as_of = args.as_of.map(|as_of| as_of.day(&motion)).transpose()?;
    let date = as_of.unwrap_or_else(today);
    let format = args.output.format()?;
    let style = if format == Format::Markdown {
        Style::Markdown
    } else {
        Style::Plain
    };
    let text = reports::summary(&mut store, &motion, as_of, today(), style)?;
    match format {
        Format::Table | Format::Markdown => {
            write_to(args.output.file(), |out| writeln!(out, "{text}"))?;
            Ok(())
        }
        Format::Csv | Format::Json => {
            let mut report = Report::new(vec![
                Column::new("motion", "Motion"),
                Column::new("as_of", "As of"),
                Column::new("summary", "Summary"),
            ]);
            report.rows.push(vec![
                Cell::from(motion.slug),
                Cell::from(date.to_string()),
                Cell::from(text),
            ]);
            args.output.emit(&report)
        }
    }
}
