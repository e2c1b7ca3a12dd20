//! Importing the registry of organisations: from a CSV file, or the CLPs shipped with motions.

use std::collections::HashMap;

use anyhow::Result;

use super::{Counts, Problems, Progress, finish};
use crate::csv_io::{CsvInput, Row};
use crate::db::{OrgRef, Store};
use crate::model::{
    Answers, Constituency, DateOrder, Kind, Meaning, Name, NewOrg, OrgDraft, Parent, Rejected,
    constituencies, name_key, shell_quote, visible,
};
use crate::ops::registry::{Places, in_places};

/// How to read a file of organisations.
#[derive(Debug, Clone, Default)]
pub(crate) struct Options {
    pub(crate) dry_run: bool,
    /// The file's own words for kinds (`--value "kind:Ward=labour-branch"`).
    pub(crate) answers: Answers,
    /// Take the file's regions and unions as written, even near misses of ones in use.
    pub(crate) create_regions: bool,
}

/// A registered org waiting for its parent, named on a line of the file.
struct Orphan {
    line: u64,
    org_id: i64,
    org: NewOrg,
    parent: String,
}

/// Registers the organisations of a file, all or nothing; a name already registered is
/// skipped. A branch's parent may come anywhere in the file.
pub(crate) fn import(
    store: &mut Store,
    input: &mut CsvInput,
    options: &Options,
    progress: &mut dyn Progress,
) -> Result<Counts> {
    let name = input.name.clone();
    let dry_run = options.dry_run;
    let mut places = Places::load(store)?;
    let mut left_out = 0;
    let result = store.import(|importer| {
        let mut known: HashMap<String, OrgRef> = importer.org_index()?;
        let mut problems = Problems::new(&name);
        let mut orphans = Vec::new();
        let (mut added, mut skipped, mut rows) = (0u64, 0u64, 0u64);
        while let Some(row) = input.next_row() {
            rows += 1;
            progress.update(rows, input.position());
            let row = match row {
                Ok(row) => row,
                Err(problem) => {
                    problems.push(problem);
                    continue;
                }
            };
            let kind = match row.get("kind").map(|said| options.answers.read_kind(said)) {
                Some(Ok(Meaning::LeaveOut)) => {
                    left_out += 1;
                    continue;
                }
                Some(Ok(Meaning::Means(kind))) => Some(kind),
                Some(Err(err)) => {
                    problems.add(row.line, "kind", err);
                    continue;
                }
                None => None,
            };
            let Some((org, parent)) = check(&row, kind, &mut problems) else {
                continue;
            };
            if let Some(existing) = known.get(&org.name().key()) {
                if existing.kind == org.kind() {
                    skipped += 1;
                } else {
                    let message = format!(
                        "\"{}\" is already registered with the kind {} (in the registry, or earlier in \
                         this file), and a name belongs to one organisation; check the kind",
                        existing.name, existing.kind
                    );
                    problems.add(row.line, "kind", message);
                }
                continue;
            }
            let org = match in_places(org, &mut places, options.create_regions) {
                Ok(org) => org,
                Err(near) => {
                    problems.add(row.line, near.field().column(), near.in_a_file());
                    continue;
                }
            };
            match importer.add_org(&org) {
                Ok(added_org) => {
                    added += 1;
                    if let Some(parent) = parent {
                        orphans.push(Orphan {
                            line: row.line,
                            org_id: added_org.id,
                            org,
                            parent,
                        });
                    }
                    let org = added_org;
                    known.insert(
                        name_key(&org.name),
                        OrgRef {
                            id: org.id,
                            name: org.name,
                            kind: org.kind,
                        },
                    );
                }
                // Names were checked above: what is left is a code that belongs to another.
                Err(err) => problems.add(row.line, "code", format!("{err:#}")),
            }
        }
        progress.finish();
        // Parents last, so a branch may come before its CLP in the file.
        for orphan in orphans {
            let Some(parent) = known.get(&name_key(&orphan.parent)) else {
                problems.add(
                    orphan.line,
                    "parent",
                    format!(
                        "unknown organisation \"{}\"; register the CLP, or add it to the file",
                        visible(&orphan.parent)
                    ),
                );
                continue;
            };
            let Ok(name) = Name::parse(&parent.name) else {
                continue;
            };
            let parent_id = parent.id;
            let parent = Parent {
                org: crate::model::OrgRef::Registered(parent.id),
                name,
                kind: parent.kind,
            };
            match orphan.org.with_parent(parent) {
                Ok(_) => importer.set_parent(orphan.org_id, parent_id)?,
                Err(Rejected(refused)) => {
                    for problem in refused {
                        problems.add(orphan.line, problem.field.column(), problem.problem);
                    }
                }
            }
        }
        Ok(finish(problems, dry_run, (rows, added, skipped)))
    })?;
    let (rows, added, skipped) = result.map_err(|p| p.into_error(DateOrder::DayFirst))?;
    Ok(Counts {
        rows,
        added,
        skipped,
        left_out,
        ..Counts::default()
    })
}

/// Registers the CLPs of England and Wales from the constituencies shipped with motions (those
/// of `regions`, or all). A CLP already registered (by its code or its name) is left as it is,
/// and counted; one found by its name without the code is pointed out, since the map cannot
/// place it.
pub(crate) fn builtin(store: &mut Store, regions: &[String], dry_run: bool) -> Result<Counts> {
    let seats: Vec<&Constituency> = constituencies()
        .iter()
        .filter(|c| c.has_westminster_clp())
        .collect();
    let mut known_regions: Vec<&str> = seats.iter().map(|c| c.region).collect();
    known_regions.sort_unstable();
    known_regions.dedup();
    for wanted in regions {
        if !known_regions
            .iter()
            .any(|r| r.eq_ignore_ascii_case(wanted.trim()))
        {
            anyhow::bail!(
                "no CLPs in the region \"{}\"; the regions of England and Wales are: {}",
                wanted.trim(),
                known_regions.join(", ")
            );
        }
    }
    let chosen = |seat: &&&Constituency| {
        regions.is_empty()
            || regions
                .iter()
                .any(|r| r.trim().eq_ignore_ascii_case(seat.region))
    };
    let (added, skipped, warnings) = store
        .import(|importer| {
            let known = importer.org_index()?;
            let codes = importer.codes()?;
            let (mut added, mut skipped, mut warnings) = (0u64, 0u64, Vec::new());
            for seat in seats.iter().filter(chosen) {
                let name = seat.clp_name();
                if codes.contains(&seat.code.to_uppercase()) {
                    skipped += 1;
                    continue;
                }
                if let Some(existing) = known.get(&name_key(&name)) {
                    warnings.push(format!(
                        "{} was registered before without the code {}, so the map cannot place it; \
                         give it the code with: motions org edit {} --code {}",
                        existing.name,
                        seat.code,
                        shell_quote(&existing.name),
                        seat.code
                    ));
                    skipped += 1;
                    continue;
                }
                let new = NewOrg::new(OrgDraft {
                    name: &name,
                    kind: Some(Kind::Clp),
                    region: Some(seat.region),
                    code: Some(&seat.code),
                    ..OrgDraft::default()
                })?;
                importer.add_org(&new)?;
                added += 1;
            }
            Ok(finish(
                Problems::new("the built-in list"),
                dry_run,
                (added, skipped, warnings),
            ))
        })?
        .map_err(|p| p.into_error(DateOrder::DayFirst))?;
    Ok(Counts {
        rows: added + skipped,
        added,
        skipped,
        warnings,
        ..Counts::default()
    })
}

/// Checks one row: the org to register (its parent is checked once every row is in) and the
/// name of its parent.
fn check(
    row: &Row,
    kind: Option<Kind>,
    problems: &mut Problems,
) -> Option<(NewOrg, Option<String>)> {
    if kind.is_none() {
        problems.add(row.line, "kind", "empty; every organisation needs a kind");
        return None;
    }
    let draft = OrgDraft {
        name: row.get("name").unwrap_or_default(),
        kind,
        region: row.get("region"),
        union: row.get("union"),
        code: row.get("code"),
        ..OrgDraft::default()
    };
    match NewOrg::new(draft) {
        Ok(org) => Some((org, row.get("parent").map(str::to_string))),
        Err(Rejected(refused)) => {
            for problem in refused {
                problems.add(row.line, problem.field.column(), problem.problem);
            }
            None
        }
    }
}
