//! `motions import orgs`: the registry of organisations from a CSV file.

use std::collections::HashMap;

use anyhow::Result;

use super::{FileArgs, Problems, finish, plural, registry_summary};
use crate::cmd::progress::Progress;
use crate::cmd::{Context, note};
use crate::csv_io::{CsvInput, ORGS, Row};
use crate::db::OrgRef;
use crate::model::{
    Constituency, Kind, Name, NewOrg, OrgDraft, Parent, Rejected, constituencies, name_key, visible,
};

/// Load organisations into the registry from a CSV file, all or nothing.
///
/// Columns: name, kind; optional region, union, parent (the CLP of a branch: registered, or
/// anywhere in the file), code. A name already registered is skipped.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Kinds: clp, labour-branch, momentum-group, union-branch, trades-council, \
    other (or branch, ward, momentum, union, tuc).\n\n\
    Examples:\n  motions import orgs registry.csv\n  \
    motions import orgs branches.csv --column \"Branch=name\" --column \"Type=kind\" --column \"Notes=-\""
)]
pub(crate) struct Args {
    #[command(flatten)]
    file: FileArgs,

    /// Register a list shipped with motions instead of reading a file: uk-clps, the 575 CLPs
    /// of England and Wales (2024 boundaries)
    #[arg(long, value_enum, value_name = "LIST", conflicts_with = "file")]
    builtin: Option<Builtin>,

    /// With --builtin, only the CLPs of this region (repeat for more)
    #[arg(long, value_name = "REGION", requires = "builtin")]
    region: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Builtin {
    /// The 575 CLPs of England and Wales
    UkClps,
}

/// A registered org waiting for its parent, named on a line of the file.
struct Orphan {
    line: u64,
    org_id: i64,
    org: NewOrg,
    parent: String,
}

pub(crate) fn run(args: Args, ctx: &Context) -> Result<()> {
    if args.builtin.is_some() {
        return builtin(&args, ctx);
    }
    let mut input = CsvInput::open(args.file.path()?, &ORGS, &args.file.columns, &[])?;
    let name = input.name.clone();
    let dry_run = args.file.dry_run;
    let mut store = ctx.store()?;
    let result = store.import(|importer| {
        let mut known: HashMap<String, OrgRef> = importer.org_index()?;
        let mut problems = Problems::new(&name);
        let mut orphans = Vec::new();
        let (mut added, mut skipped, mut rows) = (0u64, 0u64, 0u64);
        let mut progress = Progress::new("Importing organisations", input.size);
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
            let Some((org, parent)) = check(&row, &mut problems) else {
                continue;
            };
            if let Some(existing) = known.get(&org.name().key()) {
                if existing.kind == org.kind() {
                    skipped += 1;
                } else {
                    let message = format!(
                        "\"{}\" is already registered as a {} (in the registry, or earlier in \
                         this file), and a name belongs to one organisation; check the kind",
                        existing.name, existing.kind
                    );
                    problems.add(row.line, "kind", message);
                }
                continue;
            }
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
    let (rows, added, skipped) = result.map_err(Problems::into_error)?;
    note(registry_summary(
        &name,
        dry_run,
        rows,
        added,
        skipped,
        ("organisation", "organisations"),
    ));
    Ok(())
}

/// Registers the CLPs of England and Wales from the constituencies shipped with motions. A
/// CLP already registered (by its code or its name) is left as it is, and counted; one found
/// by its name without the code is pointed out, since the map cannot place it.
fn builtin(args: &Args, ctx: &Context) -> Result<()> {
    let seats: Vec<&Constituency> = constituencies()
        .iter()
        .filter(|c| c.has_westminster_clp())
        .collect();
    let mut regions: Vec<&str> = seats.iter().map(|c| c.region).collect();
    regions.sort_unstable();
    regions.dedup();
    for wanted in &args.region {
        if !regions
            .iter()
            .any(|r| r.eq_ignore_ascii_case(wanted.trim()))
        {
            anyhow::bail!(
                "no CLPs in the region \"{}\"; the regions of England and Wales are: {}",
                wanted.trim(),
                regions.join(", ")
            );
        }
    }
    let chosen = |seat: &&&Constituency| {
        args.region.is_empty()
            || args
                .region
                .iter()
                .any(|r| r.trim().eq_ignore_ascii_case(seat.region))
    };
    let dry_run = args.file.dry_run;
    let mut store = ctx.store()?;
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
                        crate::cmd::shell_quote(&existing.name),
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
        .map_err(Problems::into_error)?;
    note(format!(
        "{} {} of England and Wales (2024 boundaries); skipped {skipped} already registered.{}",
        if dry_run {
            "Dry run: would register"
        } else {
            "Registered"
        },
        plural(added, "CLP", "CLPs"),
        if dry_run { " Nothing was written." } else { "" }
    ));
    super::warn(&warnings);
    Ok(())
}

/// Checks one row: the org to register (its parent is checked once every row is in) and the
/// name of its parent.
fn check(row: &Row, problems: &mut Problems) -> Option<(NewOrg, Option<String>)> {
    let kind = match row.get("kind").map(str::parse::<Kind>) {
        Some(Ok(kind)) => Some(kind),
        Some(Err(err)) => {
            problems.add(row.line, "kind", err);
            return None;
        }
        None => {
            problems.add(row.line, "kind", "empty; every organisation needs a kind");
            return None;
        }
    };
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
