//! `motions import outcomes`: outcomes from a CSV file or a form export.

use std::collections::HashMap;

use anyhow::Result;

use super::{FileArgs, Problems, plural, summary_start};
use crate::cmd::progress::Progress;
use crate::cmd::{Context, note, resolve};
use crate::csv_io::{CsvInput, OUTCOMES, Row};
use crate::db::{OrgRef, Recorded};
use crate::model::{
    Field, Kind, NewOrg, NewOutcome, OrgDraft, OrgRef as Org, OutcomeDraft, Rejected, Status,
    name_key, parse_date, today, visible,
};

/// Load outcomes from a CSV file, such as a form's responses, all or nothing.
///
/// Columns: motion (unless --motion), organisation, status, meeting_date; optional votes_for,
/// votes_against, votes_abstain, reported_by, source, notes; with --create-orgs, kind, region
/// and union for organisations not yet registered.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Rows already recorded (same motion, organisation, status and meeting date) \
    are skipped, so a growing form export can be imported again and again.\n\n\
    Examples:\n  \
    motions import outcomes outcomes.csv\n  \
    motions import outcomes responses.csv --motion venezuela-coup --create-orgs \\\n      \
    --column \"Which branch or CLP?=organisation\" --column \"Result=status\" \\\n      \
    --column \"Date of the meeting=meeting_date\" --column \"Timestamp=-\""
)]
pub(crate) struct Args {
    #[command(flatten)]
    file: FileArgs,

    /// The motion of rows that do not name one (or of every row, when the file has no
    /// motion column)
    #[arg(long, value_name = "SLUG", add = clap_complete::engine::ArgValueCompleter::new(crate::cmd::complete::motion_slugs))]
    motion: Option<String>,

    /// Register organisations that are not in the registry, from the kind, region and union
    /// columns
    #[arg(long)]
    create_orgs: bool,
}

/// What the import did, for the summary.
#[derive(Debug, Default)]
struct Tally {
    added: u64,
    skipped: u64,
    registered: Vec<String>,
    rows: u64,
    /// Things worth a second look that did not stop the import.
    warnings: Vec<String>,
}

pub(crate) fn run(args: Args, ctx: &Context) -> Result<()> {
    // Without a motion column, every row is for --motion, or for the only motion there is.
    let mut input = CsvInput::open(
        args.file.path()?,
        &OUTCOMES,
        &args.file.columns,
        &["motion"],
    )?;
    let mut store = ctx.store()?;
    let default_motion = match &args.motion {
        Some(slug) => Some(resolve::motion(&mut store, Some(slug))?),
        None if !input.has("motion") => {
            Some(resolve::motion(&mut store, None).map_err(|err| {
                anyhow::anyhow!("{} has no motion column, and {err:#}", input.name)
            })?)
        }
        None => None,
    };
    let dry_run = args.file.dry_run;
    let name = input.name.clone();
    let result = store.import(|importer| {
        let mut state = State {
            orgs: importer.org_index()?,
            by_spelling: HashMap::new(),
            motions: importer.motion_index()?,
            default_motion: default_motion.as_ref().map(|m| m.id),
            today: today(),
            create_orgs: args.create_orgs,
            problems: Problems::new(&name),
            tally: Tally::default(),
            suggestions: HashMap::new(),
        };
        let mut progress = Progress::new("Importing outcomes", input.size);
        while let Some(row) = input.next_row() {
            state.tally.rows += 1;
            progress.update(state.tally.rows, input.position());
            let row = match row {
                Ok(row) => row,
                Err(problem) => {
                    state.problems.push(problem);
                    continue;
                }
            };
            let Some((outcome, new_org)) = state.check(&row) else {
                continue;
            };
            let outcome = match new_org {
                Some(new_org) => match importer.add_org(&new_org) {
                    Ok(org) => {
                        state.orgs.insert(
                            name_key(&org.name),
                            OrgRef {
                                id: org.id,
                                name: org.name.clone(),
                                kind: org.kind,
                            },
                        );
                        state.tally.registered.push(org.name);
                        outcome.for_org(org.id)
                    }
                    Err(err) => {
                        state
                            .problems
                            .add(row.line, "organisation", format!("{err:#}"));
                        continue;
                    }
                },
                None => outcome,
            };
            match importer.add_outcome(&outcome)? {
                Recorded::Added(_) => state.tally.added += 1,
                Recorded::AlreadyThere(id) => {
                    state.tally.skipped += 1;
                    let differences = importer.outcome(id)?.map(|e| e.differences(&outcome)).unwrap_or_default();
                    if !differences.is_empty() {
                        state.tally.warnings.push(format!(
                            "line {}: already recorded as event {id}, with different details ({}); \
                             they were not changed",
                            row.line,
                            differences.join("; ")
                        ));
                    }
                }
                Recorded::Contradicts { event, status } => {
                    // Lines are not remembered (memory must not grow with the file), so an
                    // earlier row is named by what it says.
                    let message = if importer.is_new(event) {
                        format!(
                            "\"{}\" contradicts an earlier row of this file, which says \"{status}\" \
                             for {} on {}; check which is right",
                            outcome.status(),
                            visible(row.get("organisation").unwrap_or_default()),
                            outcome.meeting_date()
                        )
                    } else {
                        Recorded::contradiction(event, status, outcome.status(), outcome.meeting_date())
                    };
                    state.problems.add(row.line, "status", message);
                }
            }
        }
        progress.finish();
        let State {
            problems, tally, ..
        } = state;
        Ok(super::finish(problems, dry_run, tally))
    })?;
    let tally = result.map_err(Problems::into_error)?;
    note(summary(&name, dry_run, &tally));
    super::warn(&tally.warnings);
    Ok(())
}

fn summary(file: &str, dry_run: bool, tally: &Tally) -> String {
    if tally.rows == 0 {
        return format!("{file} has no rows to import, only a header.");
    }
    let mut text = format!(
        "{} {}; skipped {} already recorded",
        summary_start(dry_run, file),
        plural(tally.added, "outcome", "outcomes"),
        tally.skipped
    );
    if !tally.registered.is_empty() {
        let verb = if dry_run {
            "would register"
        } else {
            "registered"
        };
        let n = tally.registered.len() as u64;
        text.push_str(&format!(
            "; {verb} {}: {}",
            plural(n, "organisation", "organisations"),
            tally.registered.join(", ")
        ));
    }
    text.push('.');
    if dry_run {
        text.push_str(" Nothing was written.");
    }
    text
}

/// What checking rows needs to know, and what it has found.
struct State {
    orgs: HashMap<String, OrgRef>,
    /// Names as the file spells them, once found.
    by_spelling: HashMap<String, i64>,
    motions: HashMap<String, i64>,
    default_motion: Option<i64>,
    /// The day meeting dates are checked against.
    today: chrono::NaiveDate,
    create_orgs: bool,
    problems: Problems,
    tally: Tally,
    /// "Did you mean" hints already worked out, by the key of the unknown name.
    suggestions: HashMap<String, String>,
}

impl State {
    /// Checks one row; the outcome to record and, with --create-orgs, the org to register
    /// first. Problems are recorded and give `None`.
    fn check(&mut self, row: &Row) -> Option<(NewOutcome, Option<NewOrg>)> {
        let before = self.problems_count();
        let line = row.line;
        let motion_id = self.motion(row);
        let status = self.parse(row, "status", |s| {
            s.parse::<Status>().map_err(|e| e.to_string())
        });
        let meeting_date = self.parse(row, "meeting_date", |s| {
            parse_date(s).map_err(|e| e.to_string())
        });
        let votes_for = self.parse_optional(row, "votes_for", parse_votes);
        let votes_against = self.parse_optional(row, "votes_against", parse_votes);
        let votes_abstain = self.parse_optional(row, "votes_abstain", parse_votes);
        let org = self.org(row);
        if self.problems_count() > before {
            return None;
        }
        let (org, new_org) = org?;
        let draft = OutcomeDraft {
            motion_id: motion_id?,
            org,
            status: status?,
            meeting_date: meeting_date?,
            votes_for,
            votes_against,
            votes_abstain,
            reported_by: row.get("reported_by"),
            source: row.get("source"),
            notes: row.get("notes"),
        };
        match NewOutcome::new(draft, self.today) {
            Ok(outcome) => Some((outcome, new_org)),
            Err(rejected) => {
                self.refuse(line, rejected);
                None
            }
        }
    }

    /// Records each problem of a refused record against the row's column.
    fn refuse(&mut self, line: u64, Rejected(problems): Rejected) {
        for problem in problems {
            let column = match problem.field {
                Field::Name => "organisation",
                field => field.column(),
            };
            self.problems.add(line, column, problem.problem);
        }
    }

    fn problems_count(&self) -> usize {
        self.problems.list.len()
    }

    fn motion(&mut self, row: &Row) -> Option<i64> {
        match row.get("motion") {
            Some(slug) => match self.motions.get(&slug.to_lowercase()) {
                Some(id) => Some(*id),
                None => {
                    let mut slugs: Vec<&String> = self.motions.keys().collect();
                    slugs.sort();
                    let slugs: Vec<&str> = slugs.into_iter().map(String::as_str).collect();
                    let list = if slugs.is_empty() {
                        "none yet".to_string()
                    } else {
                        slugs.join(", ")
                    };
                    self.problems.add(
                        row.line,
                        "motion",
                        format!(
                            "unknown motion \"{}\"; the motions are: {list}",
                            visible(slug)
                        ),
                    );
                    None
                }
            },
            None => match self.default_motion {
                Some(id) => Some(id),
                None => {
                    self.problems.add(
                        row.line,
                        "motion",
                        "empty; say which motion, or give --motion SLUG for such rows",
                    );
                    None
                }
            },
        }
    }

    /// The org a row names: registered, or (with --create-orgs) one to register.
    fn org(&mut self, row: &Row) -> Option<(Org, Option<NewOrg>)> {
        let Some(raw) = row.get("organisation") else {
            self.problems.add(
                row.line,
                "organisation",
                "empty; every row needs the organisation",
            );
            return None;
        };
        // Most rows repeat names exactly as typed before: look those up without normalising.
        if let Some(id) = self.by_spelling.get(raw) {
            return Some((Org::Registered(*id), None));
        }
        let key = name_key(raw);
        if let Some(org) = self.orgs.get(&key) {
            self.by_spelling.insert(raw.to_string(), org.id);
            if let Some(kind) = row
                .get("kind")
                .and_then(|k| k.parse::<Kind>().ok())
                .filter(|k| *k != org.kind)
            {
                self.tally.warnings.push(format!(
                    "line {}: {} is registered as a {}, so the kind \"{kind}\" in the file was not used",
                    row.line, org.name, org.kind
                ));
            }
            return Some((Org::Registered(org.id), None));
        }
        if !self.create_orgs {
            let hint = self.suggestion(&key, raw);
            self.problems.add(
                row.line,
                "organisation",
                format!(
                    "unknown organisation \"{}\"{}",
                    visible(raw),
                    resolve::then(
                        &hint,
                        "if it is new, register it first (motions org add, or import orgs), or \
                         import with --create-orgs and a kind column"
                    )
                ),
            );
            return None;
        }
        if row.get("kind").is_none() {
            let message = format!(
                "\"{}\" is not registered; give its kind to register it",
                visible(raw)
            );
            self.problems.add(row.line, "kind", message);
            return None;
        }
        let kind = self.parse_optional(row, "kind", |s| {
            s.parse::<Kind>().map_err(|e| e.to_string())
        })?;
        let draft = OrgDraft {
            name: raw,
            kind: Some(kind),
            region: row.get("region"),
            union: row.get("union"),
            ..OrgDraft::default()
        };
        match NewOrg::new(draft) {
            Ok(new_org) => Some((Org::Pending(new_org.name().clone()), Some(new_org))),
            Err(rejected) => {
                self.refuse(row.line, rejected);
                None
            }
        }
    }

    fn suggestion(&mut self, key: &str, raw: &str) -> String {
        if let Some(hint) = self.suggestions.get(key) {
            return hint.clone();
        }
        let names: Vec<String> = self.orgs.values().map(|org| org.name.clone()).collect();
        let hint = resolve::did_you_mean(raw, &names);
        self.suggestions.insert(key.to_string(), hint.clone());
        hint
    }

    /// A required cell, parsed; a missing or bad value is a problem.
    fn parse<T>(
        &mut self,
        row: &Row,
        field: &str,
        parse: impl FnOnce(&str) -> Result<T, String>,
    ) -> Option<T> {
        match row.get(field) {
            None => {
                self.problems
                    .add(row.line, field, "empty; every row needs one");
                None
            }
            Some(_) => self.parse_optional(row, field, parse),
        }
    }

    /// An optional cell, parsed; a bad value is a problem.
    fn parse_optional<T>(
        &mut self,
        row: &Row,
        field: &str,
        parse: impl FnOnce(&str) -> Result<T, String>,
    ) -> Option<T> {
        let text = row.get(field)?;
        match parse(text) {
            Ok(value) => Some(value),
            Err(message) => {
                self.problems.add(row.line, field, message);
                None
            }
        }
    }
}

/// A number of votes as a whole number; whether it can be a number of votes is the model's
/// rule (`NewOutcome`), as for every way in.
fn parse_votes(text: &str) -> Result<i64, String> {
    text.parse::<i64>().map_err(|_| {
        format!(
            "\"{}\" is not a number of votes; write a whole number such as 12",
            visible(text)
        )
    })
}
