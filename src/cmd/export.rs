//! `motions export motions|orgs|outcomes`: CSV that `import` reads back unchanged.

use std::io::{self, Write};
use std::path::PathBuf;

use anyhow::Result;

use super::progress::Progress;
use super::{Context, note, resolve};
use crate::csv_io::{CsvOutput, MOTIONS, ORGS, OUTCOMES};
use crate::db::Store;
use crate::model::Outcome;
use crate::output::write_to;

/// Write motions, organisations or outcomes as CSV, for spreadsheets and for import.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Rows come in a stable order (motions by slug, organisations by name, \
    outcomes by motion, organisation and date), so two exports diff cleanly. Cells a spreadsheet \
    would run as a formula (starting with =, +, -, @) are written with a leading ', which import \
    removes again.\n\n\
    Examples:\n  motions export outcomes -o outcomes.csv\n  \
    motions export orgs --excel -o registry.csv\n  \
    motions export outcomes --motion venezuela-coup > venezuela.csv"
)]
pub(crate) struct Args {
    /// What to export
    #[arg(value_enum)]
    what: What,

    /// Only the outcomes of this motion
    #[arg(long, value_name = "SLUG", add = clap_complete::engine::ArgValueCompleter::new(crate::cmd::complete::motion_slugs))]
    motion: Option<String>,

    /// Write to FILE instead of standard output (replaced whole, only once complete)
    #[arg(long, short = 'o', value_name = "FILE")]
    output: Option<PathBuf>,

    /// For Excel: a byte-order mark and CRLF line ends, so accents and emoji open correctly
    #[arg(long)]
    excel: bool,

    /// Leave the reported_by column empty, for files shared outside the team
    #[arg(long)]
    no_names: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum What {
    Motions,
    Orgs,
    Outcomes,
}

pub(crate) fn run(args: Args, ctx: &Context) -> Result<()> {
    let mut store = ctx.reader()?;
    let motion_id = match &args.motion {
        Some(slug) => Some(resolve::motion(&mut store, Some(slug))?.id),
        None => None,
    };
    if motion_id.is_some() && args.what != What::Outcomes {
        anyhow::bail!(
            "--motion chooses the outcomes of one motion; leave it out when exporting motions or orgs"
        );
    }
    let mut written = 0u64;
    let file = write_to(args.output.as_deref(), |out| {
        write(&mut store, &args, motion_id, out, &mut written)
    })?;
    if let Some(path) = file {
        let (one, many) = match args.what {
            What::Motions => ("motion", "motions"),
            What::Orgs => ("organisation", "organisations"),
            What::Outcomes => ("outcome", "outcomes"),
        };
        note(format!(
            "Wrote {} to {}",
            super::import::plural(written, one, many),
            path.display()
        ));
    }
    Ok(())
}

/// Writes the CSV; the store's errors are carried as I/O errors so a closed pipe stays one.
fn write(
    store: &mut Store,
    args: &Args,
    motion_id: Option<i64>,
    out: &mut dyn Write,
    written: &mut u64,
) -> io::Result<()> {
    let (what, excel) = (args.what, args.excel);
    let schema = match what {
        What::Motions => &MOTIONS,
        What::Orgs => &ORGS,
        What::Outcomes => &OUTCOMES,
    };
    let mut csv = CsvOutput::new(out, &schema.export_header(), excel)?;
    let result = match what {
        What::Motions => store.each_motion(|m| {
            *written += 1;
            let dates = [
                m.issued_on.map(|d| d.to_string()),
                m.deadline.map(|d| d.to_string()),
            ];
            let [issued_on, deadline] = dates;
            csv.row([
                Some(m.slug.clone()),
                Some(m.title.clone()),
                m.issued_by.clone(),
                issued_on,
                deadline,
                m.text.clone(),
            ])
        }),
        What::Orgs => store.each_org(|o| {
            *written += 1;
            csv.row([
                Some(o.name.as_str()),
                Some(o.kind.as_str()),
                o.region.as_deref(),
                o.union.as_deref(),
                o.parent.as_deref(),
                o.code.as_deref(),
            ])
        }),
        What::Outcomes => {
            let total = store.count_outcomes(motion_id).map_err(io::Error::other)?;
            let mut progress = Progress::new("Exporting outcomes", Some(total));
            let result = store.each_outcome(motion_id, |e| {
                *written += 1;
                progress.update(*written, *written);
                csv.row(outcome_row(e, !args.no_names, true))
            });
            progress.finish();
            result
        }
    };
    result.map_err(|err| match err.downcast::<io::Error>() {
        Ok(io) => io,
        Err(other) => io::Error::other(format!("{other:#}")),
    })?;
    csv.finish()
}

/// An outcome as a row of the outcomes CSV; without `names` the reported_by column is left
/// empty, and without `notes` the notes (free text that may name people).
pub(crate) fn outcome_row(e: &Outcome, names: bool, notes: bool) -> [Option<String>; 10] {
    let count = |n: Option<u32>| n.map(|n| n.to_string());
    [
        Some(e.motion.clone()),
        Some(e.org.clone()),
        Some(e.status.to_string()),
        Some(e.meeting_date.to_string()),
        count(e.votes.cast_for),
        count(e.votes.against),
        count(e.votes.abstain),
        e.reported_by.clone().filter(|_| names),
        e.source.clone(),
        e.notes.clone().filter(|_| notes),
    ]
}

/// The outcomes CSV for everyone (`serve --public`), as `export outcomes --no-names` writes it
/// and with the notes left empty too (free text that may name people).
pub(crate) fn public_outcomes(store: &mut Store, out: &mut dyn Write) -> Result<()> {
    let mut csv = CsvOutput::new(out, &OUTCOMES.export_header(), false)?;
    store.each_outcome(None, |e| csv.row(outcome_row(e, false, false)))?;
    csv.finish()?;
    Ok(())
}
