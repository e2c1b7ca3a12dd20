//! `motions export motions|orgs|outcomes`: CSV that `import` reads back unchanged; and
//! `motions export popolo`: the campaign as Popolo open data (JSON).

use std::io::{self, Write};
use std::path::PathBuf;

use anyhow::Result;

use super::progress::Progress;
use super::{Context, note, resolve};
use crate::csv_io::outcome_row;
use crate::csv_io::{CsvOutput, MOTIONS, ORGS, OUTCOMES};
use crate::db::Store;
use crate::output::write_to;

/// Write motions, organisations or outcomes as CSV, for spreadsheets and for import; or the
/// whole campaign as Popolo JSON, for open-data tools.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Rows come in a stable order (motions by slug, organisations by name, \
    outcomes by motion, organisation and date), so two exports diff cleanly. Cells a spreadsheet \
    would run as a formula (starting with =, +, -, @) are written with a leading ', which import \
    removes again.\n\n\
    popolo writes one JSON document: the organisations, and each motion as each organisation \
    considered it, with a vote event per recorded outcome (see README, \"Open data and a public \
    site\"). With --no-names it holds no reporter and no notes.\n\n\
    Examples:\n  motions export outcomes -o outcomes.csv\n  \
    motions export popolo --no-names -o popolo.json\n  \
    motions export orgs --excel -o registry.csv\n  \
    motions export outcomes --motion venezuela-coup > venezuela.csv"
)]
pub(crate) struct Args {
    /// What to export
    #[arg(value_enum)]
    what: What,

    /// Only the outcomes of this motion (outcomes and popolo)
    #[arg(long, value_name = "SLUG", add = clap_complete::engine::ArgValueCompleter::new(crate::cmd::complete::motion_slugs))]
    motion: Option<String>,

    /// Write to FILE instead of standard output (replaced whole, only once complete)
    #[arg(long, short = 'o', value_name = "FILE")]
    output: Option<PathBuf>,

    /// For Excel: a byte-order mark and CRLF line ends, so accents and emoji open correctly
    #[arg(long)]
    excel: bool,

    /// Leave out who reported each outcome (the reported_by column empty; in popolo, no
    /// reporters and no notes), for files shared outside the team
    #[arg(long)]
    no_names: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum What {
    Motions,
    Orgs,
    Outcomes,
    /// The campaign as Popolo JSON
    Popolo,
}

pub(crate) fn run(args: Args, ctx: &Context) -> Result<()> {
    let mut store = ctx.reader()?;
    let motion_id = match &args.motion {
        Some(slug) => Some(resolve::motion(&mut store, Some(slug))?.id),
        None => None,
    };
    if motion_id.is_some() && !matches!(args.what, What::Outcomes | What::Popolo) {
        anyhow::bail!(
            "--motion chooses the outcomes of one motion; leave it out when exporting motions or orgs"
        );
    }
    if args.what == What::Popolo {
        return popolo(&mut store, &args, motion_id);
    }
    let mut written = 0u64;
    let file = write_to(args.output.as_deref(), |out| {
        write(&mut store, &args, motion_id, out, &mut written)
    })?;
    if let Some(path) = file {
        let (one, many) = match args.what {
            What::Motions => ("motion", "motions"),
            What::Orgs => ("organisation", "organisations"),
            What::Outcomes | What::Popolo => ("outcome", "outcomes"),
        };
        note(format!(
            "Wrote {} to {}",
            crate::model::plural(written, one, many),
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
        What::Outcomes | What::Popolo => &OUTCOMES,
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
        What::Outcomes | What::Popolo => {
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

/// `export popolo`: one JSON document, written whole or not at all.
fn popolo(store: &mut Store, args: &Args, motion_id: Option<i64>) -> Result<()> {
    if args.excel {
        anyhow::bail!("--excel is for CSV; leave it out when exporting popolo (JSON)");
    }
    let options = crate::ops::popolo::Options {
        motion_id,
        no_names: args.no_names,
    };
    let mut written = crate::ops::popolo::Written::default();
    let file = write_to(args.output.as_deref(), |out| {
        written = crate::ops::popolo::write(store, options, out).map_err(|err| match err
            .downcast::<io::Error>()
        {
            Ok(io) => io,
            Err(other) => io::Error::other(format!("{other:#}")),
        })?;
        Ok(())
    })?;
    if let Some(path) = file {
        note(format!(
            "Wrote {} and {} (a motion as one organisation considered it) to {}",
            crate::model::plural(written.organizations, "organisation", "organisations"),
            crate::model::plural(written.motions, "Popolo motion", "Popolo motions"),
            path.display()
        ));
    }
    Ok(())
}
