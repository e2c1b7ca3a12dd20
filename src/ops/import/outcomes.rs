//! Importing outcomes from a CSV file or a form export.

use std::collections::HashMap;

use anyhow::Result;
use chrono::NaiveDate;

use super::{Problems, Progress, finish};
use crate::csv_io::{CsvInput, Row};
use crate::db::{OrgRef, Recorded, Settled, Store};
use crate::model::{
    Answers, DateOrder, Field, Meaning, NewOrg, NewOutcome, OrgDraft, OrgRef as Org, OutcomeDraft,
    Rejected, Status, name_key, read_vote_count, today, visible,
};
use crate::ops::registry::{Places, in_places};
use crate::ops::resolve;

/// What an import of outcomes did.
#[derive(Debug, Default)]
pub(crate) struct Imported {
    pub(crate) added: u64,
    pub(crate) skipped: u64,
    pub(crate) registered: Vec<String>,
    pub(crate) rows: u64,
    /// Things worth a second look that did not stop the import.
    pub(crate) warnings: Vec<String>,
    /// Rows left out, as a `--value ...=-` said.
    pub(crate) left_out: u64,
}

/// How to read a file of outcomes.
#[derive(Debug, Clone, Default)]
pub(crate) struct Options {
    /// The motion of rows that do not name one (or of every row, without a motion column).
    pub(crate) motion: Option<String>,
    /// Register organisations not in the registry, from the kind, region and union columns.
    pub(crate) create_orgs: bool,
    pub(crate) dry_run: bool,
    /// The form's own words for statuses and kinds (`--value "status:Carried nem con=passed"`).
    pub(crate) answers: Answers,
    /// Whether the file's dates in numbers only are day or month first.
    pub(crate) dates: DateOrder,
    /// With `create_orgs`, take the file's regions and unions as written, even near misses of
    /// ones in use.
    pub(crate) create_regions: bool,
}

/// Records the outcomes of a file, all or nothing; a row already recorded is skipped.
pub(crate) fn import(
    store: &mut Store,
    input: &mut CsvInput,
    options: &Options,
    progress: &mut dyn Progress,
) -> Result<Imported> {
    let default_motion =
        match &options.motion {
            Some(slug) => Some(resolve::motion(store, Some(slug))?),
            None if !input.has("motion") => Some(resolve::motion(store, None).map_err(|err| {
                anyhow::anyhow!("{} has no motion column, and {err:#}", input.name)
            })?),
            None => None,
        };
    let dry_run = options.dry_run;
    let name = input.name.clone();
    let places = Places::load(store)?;
    let result = store.import(|importer| {
        let mut state = State {
            options,
            places,
            orgs: importer.org_index()?,
            by_spelling: HashMap::new(),
            motions: importer.motion_index()?,
            default_motion: default_motion.as_ref().map(|m| m.id),
            today: today(),
            create_orgs: options.create_orgs,
            problems: Problems::new(&name),
            tally: Imported::default(),
            warnings: Vec::new(),
            suggestions: HashMap::new(),
        };
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
            match importer.add_outcome(&outcome, row.line)? {
                Recorded::Added(_) => state.tally.added += 1,
                Recorded::AlreadyThere(id) => {
                    state.tally.skipped += 1;
                    let differences = importer
                        .outcome(id)?
                        .map(|e| e.differences(outcome.details()))
                        .unwrap_or_default();
                    state.repeat(row.line, id, differences);
                }
                Recorded::Contradicts { event, status } => {
                    let earlier = importer.line_of(event);
                    let (new, date) = (outcome.status(), outcome.meeting_date());
                    state.contradiction(row.line, new, date, event, status, earlier);
                }
            }
        }
        // A large import checks most of its rows against their meetings only now.
        for settled in importer.settle()? {
            state.tally.added -= 1;
            match settled {
                Settled::Repeat {
                    line,
                    event,
                    differences,
                } => {
                    state.tally.skipped += 1;
                    state.repeat(line, event, differences);
                }
                Settled::Contradicts {
                    line,
                    new,
                    date,
                    event,
                    status,
                } => {
                    let earlier = importer.line_of(event);
                    state.contradiction(line, new, date, event, status, earlier);
                }
            }
        }
        progress.finish();
        let State {
            problems,
            mut tally,
            mut warnings,
            ..
        } = state;
        warnings.sort_by_key(|(line, _)| *line);
        tally.warnings = warnings.into_iter().map(|(_, warning)| warning).collect();
        Ok(finish(problems, dry_run, tally))
    })?;
    result.map_err(|problems| problems.into_error(options.dates))
}

/// What checking rows needs to know, and what it has found.
struct State<'o> {
    options: &'o Options,
    /// The regions and unions in use, and those the file has brought in so far.
    places: Places,
    orgs: HashMap<String, OrgRef>,
    /// Names as the file spells them, once found.
    by_spelling: HashMap<String, i64>,
    motions: HashMap<String, i64>,
    default_motion: Option<i64>,
    /// The day meeting dates are checked against.
    today: chrono::NaiveDate,
    create_orgs: bool,
    problems: Problems,
    tally: Imported,
    /// Things worth a second look, by line.
    warnings: Vec<(u64, String)>,
    /// "Did you mean" hints already worked out, by the key of the unknown name.
    suggestions: HashMap<String, String>,
}

impl State<'_> {
    /// Checks one row; the outcome to record and, with --create-orgs, the org to register
    /// first. Problems are recorded and give `None`, as does a row a `--value` leaves out.
    fn check(&mut self, row: &Row) -> Option<(NewOutcome, Option<NewOrg>)> {
        let before = self.problems_count();
        let line = row.line;
        let answers = &self.options.answers;
        let status = match row.get("status").map(|said| answers.read_status(said)) {
            Some(Ok(Meaning::LeaveOut)) => {
                self.tally.left_out += 1;
                return None;
            }
            Some(Ok(Meaning::Means(status))) => Some(status),
            Some(Err(err)) => {
                self.problems.add(line, "status", err);
                None
            }
            None => {
                self.problems
                    .add(line, "status", "empty; every row needs one");
                None
            }
        };
        let motion_id = self.motion(row);
        let dates = self.options.dates;
        let meeting_date = match row.get("meeting_date") {
            Some(text) => match self.problems.date(text, dates) {
                Ok(date) => Some(date),
                Err(err) => {
                    self.problems.add(line, "meeting_date", err);
                    None
                }
            },
            None => {
                self.problems
                    .add(line, "meeting_date", "empty; every row needs one");
                None
            }
        };
        let votes_for = self.parse_optional(row, "votes_for", read_vote_count);
        let votes_against = self.parse_optional(row, "votes_against", read_vote_count);
        let votes_abstain = self.parse_optional(row, "votes_abstain", read_vote_count);
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

    /// A row already recorded as `event`: skipped, with a warning when it gives other details.
    fn repeat(&mut self, line: u64, event: i64, differences: Vec<String>) {
        if !differences.is_empty() {
            self.warnings.push((
                line,
                format!(
                    "line {line}: already recorded as event {event}, with different details \
                     ({}); they were not changed",
                    differences.join("; ")
                ),
            ));
        }
    }

    /// A decision contradicting `event`, a decision recorded as `status`: by line `earlier` of
    /// this file, when the import added it.
    fn contradiction(
        &mut self,
        line: u64,
        new: Status,
        date: NaiveDate,
        event: i64,
        status: Status,
        earlier: Option<u64>,
    ) {
        let message = match earlier {
            Some(earlier) => format!(
                "\"{new}\" contradicts line {earlier} of this file, which says \"{status}\" for \
                 the same organisation and meeting ({date}); check which is right"
            ),
            None => Recorded::contradiction(event, status, new, date),
        };
        self.problems.add(line, "status", message);
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
                .and_then(|k| match self.options.answers.read_kind(k) {
                    Ok(Meaning::Means(kind)) => Some(kind),
                    _ => None,
                })
                .filter(|k| *k != org.kind)
            {
                self.warnings.push((
                    row.line,
                    format!(
                        "line {}: {} is registered as a {}, so the kind \"{kind}\" in the file \
                         was not used",
                        row.line, org.name, org.kind
                    ),
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
        let answers = &self.options.answers;
        let kind = match self.parse_optional(row, "kind", |s| answers.read_kind(s))? {
            Meaning::Means(kind) => kind,
            Meaning::LeaveOut => {
                let message = format!(
                    "\"{}\" is not registered, and --value leaves out its kind; give its kind \
                     to register it",
                    visible(raw)
                );
                self.problems.add(row.line, "kind", message);
                return None;
            }
        };
        let draft = OrgDraft {
            name: raw,
            kind: Some(kind),
            region: row.get("region"),
            union: row.get("union"),
            ..OrgDraft::default()
        };
        let new_org = match NewOrg::new(draft) {
            Ok(new_org) => new_org,
            Err(rejected) => {
                self.refuse(row.line, rejected);
                return None;
            }
        };
        match in_places(new_org, &mut self.places, self.options.create_regions) {
            Ok(new_org) => Some((Org::Pending(new_org.name().clone()), Some(new_org))),
            Err(near) => {
                let column = near.field().column();
                self.problems.add(row.line, column, near.in_a_file());
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
