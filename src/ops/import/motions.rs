//! Importing motions from a CSV file.

use anyhow::Result;

use super::{Counts, Problems, finish};
use crate::csv_io::{CsvInput, Row};
use crate::db::Store;
use crate::model::{DateOrder, MotionDraft, NewMotion, Rejected};

/// Registers the motions of a file, all or nothing; a slug already registered is skipped. Its
/// dates in numbers only are read in `dates` order.
pub(crate) fn import(
    store: &mut Store,
    input: &mut CsvInput,
    dry_run: bool,
    dates: DateOrder,
) -> Result<Counts> {
    let name = input.name.clone();
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
            let Some(motion) = check(&row, &mut problems, dates) else {
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
    let (rows, added, skipped) = result.map_err(|problems| problems.into_error(dates))?;
    Ok(Counts {
        rows,
        added,
        skipped,
        ..Counts::default()
    })
}

fn check(row: &Row, problems: &mut Problems, dates: DateOrder) -> Option<NewMotion> {
    let before = problems.count();
    let mut date = |field: &str| match row.get(field).map(|text| problems.date(text, dates)) {
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
        Ok(motion) => (problems.count() == before).then_some(motion),
        Err(Rejected(refused)) => {
            for problem in refused {
                problems.add(row.line, problem.field.column(), problem.problem);
            }
            None
        }
    }
}
