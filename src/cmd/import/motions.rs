//! `motions import motions`: model motions from a CSV file.

use anyhow::Result;

use super::{FileArgs, Problems, finish, registry_summary};
use crate::cmd::{Context, note};
use crate::csv_io::{CsvInput, MOTIONS, Row};
use crate::model::{MotionDraft, NewMotion, Rejected, parse_date};

/// Load motions from a CSV file, all or nothing.
///
/// Columns: slug, title; optional issued_by, issued_on, deadline, text. A slug already
/// registered is skipped.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:\n  motions import motions motions.csv\n  \
    motions import motions campaign.csv --column \"Short name=slug\" --column \"Motion=title\"")]
pub(crate) struct Args {
    #[command(flatten)]
    file: FileArgs,
}

pub(crate) fn run(args: Args, ctx: &Context) -> Result<()> {
    let mut input = CsvInput::open(args.file.path()?, &MOTIONS, &args.file.columns, &[])?;
    let name = input.name.clone();
    let dry_run = args.file.dry_run;
    let mut store = ctx.store()?;
    let result = store.import(|importer| {
        let mut known = importer.motion_index()?;
        let mut problems = Problems::new(&name);
        let (mut added, mut skipped, mut rows) = (0u64, 0u64, 0u64);
        while let Some(row) = input.next_row() {
            rows += 1;
            let row = match row {
                Ok(row) => row,
                Err(problem) => {
                    problems.push(problem);
                    continue;
                }
            };
            let Some(motion) = check(&row, &mut problems) else {
                continue;
            };
            if known.contains_key(motion.slug()) {
                skipped += 1;
                continue;
            }
            match importer.add_motion(&motion) {
                Ok(added_motion) => {
                    known.insert(added_motion.slug, added_motion.id);
                    added += 1;
                }
                Err(err) => problems.add(row.line, "slug", format!("{err:#}")),
            }
        }
        Ok(finish(problems, dry_run, (rows, added, skipped)))
    })?;
    let (rows, added, skipped) = result.map_err(Problems::into_error)?;
    note(registry_summary(
        &name,
        dry_run,
        rows,
        added,
        skipped,
        ("motion", "motions"),
    ));
    Ok(())
}

fn check(row: &Row, problems: &mut Problems) -> Option<NewMotion> {
    let before = problems.list.len();
    let mut date = |field: &str| match row.get(field).map(parse_date) {
        Some(Ok(date)) => Some(date),
        Some(Err(err)) => {
            problems.add(row.line, field, err);
            None
        }
        None => None,
    };
    let issued_on = date("issued_on");
    let deadline = date("deadline");
    let draft = MotionDraft {
        slug: row.get("slug").unwrap_or_default(),
        title: row.get("title").unwrap_or_default(),
        text: row.get("text"),
        issued_by: row.get("issued_by"),
        issued_on,
        deadline,
    };
    match NewMotion::new(draft) {
        Ok(motion) => (problems.list.len() == before).then_some(motion),
        Err(Rejected(refused)) => {
            for problem in refused {
                problems.add(row.line, problem.field.column(), problem.problem);
            }
            None
        }
    }
}
