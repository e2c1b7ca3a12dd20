//! A property of the operations together: whatever sequence of recordings, retractions,
//! merges, imports, renames, registrations and removals a campaign goes through, the database
//! stays sound (`motions check` finds nothing) and the cached current status of every
//! organisation (the `standing` table) is the one its history gives: the latest event not
//! retracted, by meeting date, ties going to the later record.
//!
//! The operations run in-process on a store in a temporary file, so a case of thirty steps
//! takes milliseconds. The pools of names, dates and event ids are small on purpose: merges
//! find duplicates and conflicts, recordings contradict each other, renames collide, and
//! retractions hit real events. Operations that are refused are part of the property: a
//! refusal must leave the database as sound as a success does.

use std::collections::HashMap;

use chrono::NaiveDate;
use proptest::prelude::*;

use super::motions::{MotionRequest, add};
use super::record::{LogRequest, record};
use super::registry::{OrgRequest, alias, merge, register, remove, rename};
use crate::db::{Finish, Recorded, Settled, Store};
use crate::model::{
    HistoryFilter, Kind, NewOutcome, OrgFilter, OrgRef, OutcomeDraft, Status, StatusCounts,
    name_key,
};

/// The day the operations run on.
const TODAY: &str = "2019-06-01";

const MOTIONS: [&str; 2] = ["venezuela-coup", "nhs-2019"];

/// Names the steps use: registered, renamed to, aliased, merged. Two kinds, so that some
/// merges are refused for the kind and others go ahead. The first four are registered before
/// the first step.
const NAMES: [(&str, Kind); 5] = [
    ("Ashby CLP", Kind::Clp),
    ("Walford CLP", Kind::Clp),
    ("Ashby Ward Branch", Kind::LabourBranch),
    ("Walford Ward Branch", Kind::LabourBranch),
    ("Holby Ward Branch", Kind::LabourBranch),
];

/// Meeting dates: two past days, today, and a day after it (only for "planned").
const DATES: [&str; 4] = ["2019-02-04", "2019-02-11", "2019-06-01", "2019-07-01"];

fn day(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
}

/// One outcome, as a step gives it: indexes into the pools.
#[derive(Debug, Clone, Copy)]
struct Event {
    motion: usize,
    org: usize,
    status: usize,
    date: usize,
}

#[derive(Debug, Clone)]
enum Step {
    Register(usize),
    /// `log`, registering the organisation on the way when `register` is set.
    Record(Event, bool),
    /// Retracts one of the events recorded so far (counting round them).
    Retract(usize),
    Merge(usize, usize),
    Rename(usize, usize),
    Alias(usize, usize),
    Remove(usize),
    /// An import of outcomes, kept only when every row is good and `commit` is set (as a real
    /// import keeps nothing of a file with a bad row, or of a dry run).
    Import(Vec<Event>, bool),
}

fn event() -> impl Strategy<Value = Event> {
    (
        prop_oneof![3 => Just(0), 1 => Just(1)],
        0..NAMES.len(),
        // Half of them decisions, so that some contradict each other.
        prop_oneof![0..Status::ALL.len(), Just(4), Just(5), Just(6)],
        0..DATES.len(),
    )
        .prop_map(|(motion, org, status, date)| Event {
            motion,
            org,
            status,
            date,
        })
}

fn step() -> impl Strategy<Value = Step> {
    let name = || 0..NAMES.len();
    prop_oneof![
        2 => name().prop_map(Step::Register),
        6 => (event(), any::<bool>()).prop_map(|(e, register)| Step::Record(e, register)),
        2 => any::<usize>().prop_map(Step::Retract),
        // Mostly two organisations of one kind, as duplicates are.
        2 => (0..2usize, 0..2usize).prop_map(|(from, into)| Step::Merge(from, into)),
        2 => (2..5usize, 2..5usize).prop_map(|(from, into)| Step::Merge(from, into)),
        1 => (name(), name()).prop_map(|(from, into)| Step::Merge(from, into)),
        1 => (name(), name()).prop_map(|(old, new)| Step::Rename(old, new)),
        1 => (name(), name()).prop_map(|(org, other)| Step::Alias(org, other)),
        1 => name().prop_map(Step::Remove),
        2 => (proptest::collection::vec(event(), 1..4), prop::bool::weighted(0.8))
            .prop_map(|(rows, commit)| Step::Import(rows, commit)),
    ]
}

/// Runs one step; a refusal is an `Err`, as it is for the commands.
fn apply(store: &mut Store, step: &Step) -> anyhow::Result<()> {
    let today = day(TODAY);
    let details = |org: usize| OrgRequest {
        kind: Some(NAMES[org].1),
        ..OrgRequest::default()
    };
    match step {
        Step::Register(org) => register(store, NAMES[*org].0, &details(*org)).map(drop),
        Step::Record(e, registering) => {
            let request = LogRequest {
                motion: Some(MOTIONS[e.motion].to_string()),
                org: NAMES[e.org].0.to_string(),
                status: Some(Status::ALL[e.status]),
                meeting_date: Some(day(DATES[e.date])),
                register: registering.then(|| details(e.org)),
                ..LogRequest::default()
            };
            record(store, &request, today).map(drop)
        }
        Step::Retract(n) => {
            let events = store.history(&HistoryFilter {
                all: true,
                ..HistoryFilter::default()
            })?;
            match events.get(n % events.len().max(1)) {
                Some(event) => store.retract(event.id, "recorded in error").map(drop),
                None => anyhow::bail!("nothing to retract"),
            }
        }
        Step::Merge(from, into) => merge(store, NAMES[*from].0, NAMES[*into].0).map(drop),
        Step::Rename(old, new) => rename(store, NAMES[*old].0, NAMES[*new].0).map(drop),
        Step::Alias(org, other) => alias(store, NAMES[*org].0, NAMES[*other].0).map(drop),
        Step::Remove(org) => remove(store, NAMES[*org].0).map(drop),
        Step::Import(rows, commit) => import(store, rows, *commit, today),
    }
}

/// Imports outcomes the way `motions import outcomes` does: in one transaction, names found
/// through the registry's index, every row built by `NewOutcome::new`, a contradiction a
/// problem, and nothing kept when there is a problem.
fn import(store: &mut Store, rows: &[Event], commit: bool, today: NaiveDate) -> anyhow::Result<()> {
    let problems = store.import(|importer| {
        let orgs = importer.org_index()?;
        let motions = importer.motion_index()?;
        let mut problems = 0;
        for (line, e) in (2..).zip(rows) {
            let (Some(org), Some(&motion_id)) = (
                orgs.get(&name_key(NAMES[e.org].0)),
                motions.get(MOTIONS[e.motion]),
            ) else {
                problems += 1;
                continue;
            };
            let draft = OutcomeDraft {
                motion_id,
                org: OrgRef::Registered(org.id),
                status: Status::ALL[e.status],
                meeting_date: day(DATES[e.date]),
                votes_for: None,
                votes_against: None,
                votes_abstain: None,
                reported_by: None,
                source: None,
                notes: None,
            };
            let Ok(outcome) = NewOutcome::new(draft, today) else {
                problems += 1;
                continue;
            };
            if let Recorded::Contradicts { .. } = importer.add_outcome(&outcome, line)? {
                problems += 1;
            }
        }
        for settled in importer.settle()? {
            if let Settled::Contradicts { .. } = settled {
                problems += 1;
            }
        }
        Ok(match problems == 0 && commit {
            true => Finish::Commit(problems),
            false => Finish::RollBack(problems),
        })
    })?;
    match problems {
        0 => Ok(()),
        n => anyhow::bail!("{n} rows refused"),
    }
}

/// Everything that must hold of the database, whatever steps came before.
fn assert_consistent(store: &mut Store, path: &std::path::Path) -> Result<(), TestCaseError> {
    for finding in Store::check_file(path).unwrap() {
        prop_assert!(
            finding.problems.is_empty(),
            "check: {}: {:?}",
            finding.check,
            finding.problems
        );
    }
    let mut orgs = Vec::new();
    store
        .each_org_in(&OrgFilter::default(), |org| {
            orgs.push(org.clone());
            Ok(())
        })
        .unwrap();
    let summaries = store.motion_summaries().unwrap();
    for motion in store.motions().unwrap() {
        let mut expected_counts = StatusCounts::default();
        let mut expected_latest_event = None;
        for org in &orgs {
            let history = store
                .history(&HistoryFilter {
                    all: true,
                    motion_id: Some(motion.id),
                    org_id: Some(org.id),
                    ..HistoryFilter::default()
                })
                .unwrap();
            let standing = history
                .iter()
                .filter(|e| e.retracted.is_none())
                .max_by_key(|e| (e.meeting_date, e.id));
            let cached = store.latest(motion.id, org.id).unwrap();
            prop_assert_eq!(
                cached.as_ref().map(|e| e.id),
                standing.map(|e| e.id),
                "the current status of {} for {}",
                &org.name,
                &motion.slug
            );
            expected_counts.add(standing.map(|e| e.status), 1);
            expected_latest_event = expected_latest_event.max(standing.map(|e| e.meeting_date));

            // No two different decisions stand for one meeting.
            let mut decisions: HashMap<NaiveDate, Status> = HashMap::new();
            for e in history.iter().filter(|e| e.retracted.is_none()) {
                if e.status.is_decision()
                    && let Some(other) = decisions.insert(e.meeting_date, e.status)
                {
                    prop_assert_eq!(
                        other,
                        e.status,
                        "two decisions of {} on {}",
                        &org.name,
                        e.meeting_date
                    );
                }
            }
        }
        // The tally and `motion list` read the status and date cached in `standing` itself.
        let tally = store
            .tally(motion.id, &OrgFilter::default(), &[], None)
            .unwrap();
        let counts = tally.first().map(|row| row.counts).unwrap_or_default();
        prop_assert_eq!(counts, expected_counts, "the tally of {}", &motion.slug);
        let summary = summaries.iter().find(|s| s.motion.id == motion.id).unwrap();
        prop_assert_eq!(
            summary.counts,
            expected_counts,
            "motion list: {}",
            &motion.slug
        );
        prop_assert_eq!(summary.latest_event, expected_latest_event);
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn any_sequence_of_operations_leaves_the_database_consistent(
        steps in proptest::collection::vec(step(), 1..=30)
    ) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("motions.db");
        let mut store = Store::open(&path, false).unwrap();
        for slug in MOTIONS {
            add(&mut store, &MotionRequest {
                slug: slug.to_string(),
                title: format!("The {slug} motion"),
                ..MotionRequest::default()
            })
            .unwrap();
        }
        // Most names are registered from the start, so that steps find them; the rest are
        // registered by steps.
        for org in 0..4 {
            apply(&mut store, &Step::Register(org)).unwrap();
        }
        for (at, step) in steps.iter().enumerate() {
            if let Err(err) = apply(&mut store, step) {
                // A refusal is said in words; SQLite's own errors mean a rule was left to a
                // constraint, or broken.
                prop_assert!(
                    !err.chain().any(|cause| cause.is::<rusqlite::Error>()),
                    "step {at} {step:?} failed inside SQLite: {err:#}"
                );
            }
            assert_consistent(&mut store, &path)
                .map_err(|err| TestCaseError::fail(format!("after step {at} {step:?}: {err}")))?;
        }
    }
}
