//! Importing outcomes from a CSV file or a form export.

use std::collections::HashMap;
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};

use anyhow::{Context, Result};
use chrono::NaiveDate;

use super::{Kept, Problems, Progress, Remembered, finish};
use crate::csv_io::{CsvInput, Row};
use crate::db::{Importer, OrgRef, Recorded, Settled, Store};
use crate::model::{
    Answers, DateOrder, Field, Kind, Meaning, Name, NewOrg, NewOutcome, OrgDraft, OrgRef as Org,
    OutcomeDraft, Rejected, Status, name_key, read_vote_count, today, visible,
};
use crate::ops::registry::{Places, in_places};
use crate::ops::resolve;

/// What an import of outcomes did.
#[derive(Debug, Default)]
pub(crate) struct Imported {
    pub(crate) added: u64,
    pub(crate) skipped: u64,
    /// Organisations registered, and the names of the first [`NAMED`] of them.
    pub(crate) registered: u64,
    pub(crate) registered_names: Vec<String>,
    pub(crate) rows: u64,
    /// Things worth a second look that did not stop the import (the first of them, by line),
    /// and how many more there were.
    pub(crate) warnings: Vec<String>,
    pub(crate) more_warnings: u64,
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

/// The organisations an import registered that it names (the rest are counted): enough to
/// say which, without holding every name of a file that registers thousands.
pub(crate) const NAMED: usize = 10;

/// Rows checked and handed to the writer at a time.
const BATCH_ROWS: usize = 256;

/// Batches checked ahead of the writer at most: a bound on the memory the rows in between
/// may take.
const BATCHES_AHEAD: usize = 16;

/// A row checked, to be written.
struct Checked {
    line: u64,
    outcome: NewOutcome,
    /// With `--create-orgs`, the organisation to register first.
    register: Option<NewOrg>,
}

/// Rows checked, with how far reading has got (rows and bytes) after them.
struct Batch {
    rows: Vec<Checked>,
    read: u64,
    position: u64,
}

/// Records the outcomes of a file, all or nothing; a row already recorded is skipped.
///
/// Rows are read and checked on a thread of their own while the rows checked before them are
/// written: checking a row costs about what writing it does, so the two together take little
/// longer than either.
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
        let state = State {
            options,
            places,
            orgs: importer.org_index()?,
            by_spelling: HashMap::new(),
            pending: HashMap::new(),
            motions: importer.motion_index()?,
            default_motion: default_motion.as_ref().map(|m| m.id),
            today: today(),
            create_orgs: options.create_orgs,
            problems: Problems::new(&name),
            rows: 0,
            left_out: 0,
            warnings: Kept::default(),
            suggestions: HashMap::new(),
            statuses: Remembered::default(),
            dates: Remembered::default(),
        };
        let mut writer = Writer::new(&name);
        let state = std::thread::scope(|scope| -> Result<State<'_>> {
            let (send, batches) = sync_channel(BATCHES_AHEAD);
            let checker = std::thread::Builder::new()
                .name("checking rows".to_string())
                .spawn_scoped(scope, move || state.check_all(input, &send))
                .context("starting a thread to check the rows")?;
            // Should writing fail, the batches are dropped, and the checker stops.
            let written = writer.write_all(importer, batches, progress);
            let state = match checker.join() {
                Ok(state) => state,
                Err(panic) => std::panic::resume_unwind(panic),
            };
            written.map(|()| state)
        })?;
        // A large import checks most of its rows against their meetings only now. (What it
        // finds is kept apart, in the order of its own lines.)
        let (row_problems, row_warnings) = writer.found_so_far(&name);
        for settled in importer.settle()? {
            writer.added -= 1;
            match settled {
                Settled::Repeat {
                    line,
                    event,
                    differences,
                } => {
                    writer.skipped += 1;
                    writer.repeat(line, event, differences);
                }
                Settled::Contradicts {
                    line,
                    new,
                    date,
                    event,
                    status,
                } => {
                    let earlier = importer.line_of(event);
                    writer.contradiction(line, new, date, event, status, earlier);
                }
            }
        }
        progress.finish();
        let State {
            mut problems,
            mut warnings,
            rows,
            left_out,
            ..
        } = state;
        for (more_problems, more_warnings) in [
            (row_problems, row_warnings),
            (writer.problems, writer.warnings),
        ] {
            problems.absorb(more_problems);
            warnings.absorb(more_warnings);
        }
        let (mut warnings, more_warnings) = warnings.into_parts();
        warnings.sort_by_key(|(line, _)| *line);
        let tally = Imported {
            added: writer.added,
            skipped: writer.skipped,
            registered: writer.registered,
            registered_names: writer.registered_names,
            rows,
            warnings: warnings.into_iter().map(|(_, warning)| warning).collect(),
            more_warnings,
            left_out,
        };
        Ok(finish(problems, dry_run, tally))
    })?;
    result.map_err(|problems| problems.into_error(options.dates))
}

/// What writing the rows checked has done.
struct Writer {
    added: u64,
    skipped: u64,
    /// Organisations registered, the first names, and their ids by the key of the name.
    registered: u64,
    registered_names: Vec<String>,
    registered_ids: HashMap<String, i64>,
    problems: Problems,
    warnings: Kept<(u64, String)>,
}

impl Writer {
    fn new(file: &str) -> Writer {
        Writer {
            added: 0,
            skipped: 0,
            registered: 0,
            registered_names: Vec::new(),
            registered_ids: HashMap::new(),
            problems: Problems::new(file),
            warnings: Kept::default(),
        }
    }

    /// The problems and warnings found so far, leaving none.
    fn found_so_far(&mut self, file: &str) -> (Problems, Kept<(u64, String)>) {
        (
            std::mem::replace(&mut self.problems, Problems::new(file)),
            std::mem::take(&mut self.warnings),
        )
    }

    /// Writes every batch the checker hands over, until it has checked the last row.
    fn write_all(
        &mut self,
        importer: &mut Importer<'_>,
        batches: Receiver<Batch>,
        progress: &mut dyn Progress,
    ) -> Result<()> {
        for batch in batches {
            for checked in batch.rows {
                self.write(importer, checked)?;
            }
            progress.update(batch.read, batch.position);
        }
        Ok(())
    }

    fn write(&mut self, importer: &mut Importer<'_>, checked: Checked) -> Result<()> {
        let Checked {
            line,
            outcome,
            register,
        } = checked;
        let outcome = match (register, outcome.org()) {
            (Some(new_org), _) => match importer.add_org(&new_org) {
                Ok(org) => {
                    self.registered_ids.insert(name_key(&org.name), org.id);
                    self.registered += 1;
                    if self.registered_names.len() < NAMED {
                        self.registered_names.push(org.name);
                    }
                    outcome.for_org(org.id)
                }
                Err(err) => {
                    self.problem(line, "organisation", format!("{err:#}"));
                    return Ok(());
                }
            },
            // An organisation an earlier row registered.
            (None, Org::Pending(name)) => match self.registered_ids.get(&name.key()) {
                Some(id) => outcome.for_org(*id),
                None => {
                    let message = format!(
                        "\"{}\" could not be registered (see the row that first names it)",
                        visible(name.as_str())
                    );
                    self.problem(line, "organisation", message);
                    return Ok(());
                }
            },
            (None, Org::Registered(_)) => outcome,
        };
        match importer.add_outcome(&outcome, line)? {
            Recorded::Added(_) => self.added += 1,
            Recorded::AlreadyThere(id) => {
                self.skipped += 1;
                let differences = importer
                    .outcome(id)?
                    .map(|e| e.differences(outcome.details()))
                    .unwrap_or_default();
                self.repeat(line, id, differences);
            }
            Recorded::Contradicts { event, status } => {
                let earlier = importer.line_of(event);
                let (new, date) = (outcome.status(), outcome.meeting_date());
                self.contradiction(line, new, date, event, status, earlier);
            }
        }
        Ok(())
    }

    fn problem(&mut self, line: u64, column: &str, message: impl std::fmt::Display) {
        self.problems.add(line, column, message);
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
        self.problem(line, "status", message);
    }
}

/// What checking rows needs to know, and what it has found.
struct State<'o> {
    options: &'o Options,
    /// The regions and unions in use, and those the file has brought in so far.
    places: Places,
    orgs: HashMap<String, OrgRef>,
    /// Names as the file spells them, once found.
    by_spelling: HashMap<String, i64>,
    /// With `--create-orgs`, the organisations an earlier row is to register, and their
    /// kinds, by the key of the name.
    pending: HashMap<String, (Name, Kind)>,
    motions: HashMap<String, i64>,
    default_motion: Option<i64>,
    /// The day meeting dates are checked against.
    today: chrono::NaiveDate,
    create_orgs: bool,
    problems: Problems,
    /// Rows read, and rows a `--value ...=-` left out.
    rows: u64,
    left_out: u64,
    /// Things worth a second look, by line.
    warnings: Kept<(u64, String)>,
    /// "Did you mean" hints already worked out, by the key of the unknown name.
    suggestions: HashMap<String, String>,
    /// Statuses and meeting dates as read, by the cell's text.
    statuses: Remembered<Result<Meaning<Status>, String>>,
    dates: Remembered<Result<NaiveDate, String>>,
}

impl State<'_> {
    /// Checks every row of `input`, handing those to write over in batches, until the rows
    /// end or the writer stops taking them.
    fn check_all(mut self, input: &mut CsvInput, send: &SyncSender<Batch>) -> Self {
        let mut rows = Vec::with_capacity(BATCH_ROWS);
        let mut read = 0;
        loop {
            let row = input.next_row();
            let ended = row.is_none();
            if let Some(row) = row {
                self.rows += 1;
                read += 1;
                match row {
                    Ok(row) => {
                        if let Some((outcome, register)) = self.check(&row) {
                            rows.push(Checked {
                                line: row.line,
                                outcome,
                                register,
                            });
                        }
                    }
                    Err(problem) => self.problems.push(problem),
                }
            }
            if read == BATCH_ROWS || ended {
                let batch = Batch {
                    rows: std::mem::replace(&mut rows, Vec::with_capacity(BATCH_ROWS)),
                    read: self.rows,
                    position: input.position(),
                };
                read = 0;
                if send.send(batch).is_err() || ended {
                    return self;
                }
            }
        }
    }

    /// Checks one row; the outcome to record and, with --create-orgs, the org to register
    /// first. Problems are recorded and give `None`, as does a row a `--value` leaves out.
    fn check(&mut self, row: &Row) -> Option<(NewOutcome, Option<NewOrg>)> {
        let before = self.problems_count();
        let line = row.line;
        let answers = &self.options.answers;
        let statuses = &mut self.statuses;
        let status = match row
            .get("status")
            .map(|said| statuses.get_or(said, |said| answers.read_status(said)))
        {
            Some(Ok(Meaning::LeaveOut)) => {
                self.left_out += 1;
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
        let problems = &mut self.problems;
        let meeting_date = match row.get("meeting_date") {
            Some(text) => match self.dates.get_or(text, |text| problems.date(text, dates)) {
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
            self.unpend(org.as_ref().and_then(|(_, new_org)| new_org.as_ref()));
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
                self.unpend(new_org.as_ref());
                None
            }
        }
    }

    /// Forgets the organisation a refused row was to register: the next row naming it
    /// registers it instead.
    fn unpend(&mut self, new_org: Option<&NewOrg>) {
        if let Some(new_org) = new_org {
            self.pending.remove(&new_org.name().key());
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

    fn problems_count(&self) -> u64 {
        self.problems.count()
    }

    fn motion(&mut self, row: &Row) -> Option<i64> {
        match row.get("motion") {
            Some(slug) => match self
                .motions
                .get(slug)
                .or_else(|| self.motions.get(&slug.to_lowercase()))
            {
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
            if let Some(kind) = self.kind_other_than(row, org.kind) {
                self.warnings.push((
                    row.line,
                    format!(
                        "line {}: {} is registered with the kind {}, so the kind \"{kind}\" in the file \
                         was not used",
                        row.line, org.name, org.kind
                    ),
                ));
            }
            return Some((Org::Registered(org.id), None));
        }
        if let Some((name, kind)) = self.pending.get(&key) {
            if let Some(other) = self.kind_other_than(row, *kind) {
                self.warnings.push((
                    row.line,
                    format!(
                        "line {}: {name} is registered with the kind {kind} on an earlier line, so the \
                         kind \"{other}\" in the file was not used",
                        row.line
                    ),
                ));
            }
            return Some((Org::Pending(name.clone()), None));
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
            Ok(new_org) => {
                let pending = (new_org.name().clone(), new_org.kind());
                self.pending.insert(key, pending);
                Some((Org::Pending(new_org.name().clone()), Some(new_org)))
            }
            Err(near) => {
                let column = near.field().column();
                self.problems.add(row.line, column, near.in_a_file());
                None
            }
        }
    }

    /// The kind a row gives, when it reads as another than `kind`.
    fn kind_other_than(&self, row: &Row, kind: Kind) -> Option<Kind> {
        match self.options.answers.read_kind(row.get("kind")?) {
            Ok(Meaning::Means(said)) if said != kind => Some(said),
            _ => None,
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
