//! Store tests on private databases: the latest-event rule, `--as-of`, the registry
//! denominators, and refusing files that are not motions databases.

use chrono::{Datelike, NaiveDate};

use super::*;
use crate::model::{
    Dimension, Group, HistoryFilter, Kind, MotionDraft, NewMotion, NewOrg, NewOutcome, OrgDraft,
    OrgFilter, OrgRef, OutcomeDraft, Status, StatusCounts,
};

fn day(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
}

fn org(name: &str, kind: Kind, region: Option<&str>) -> NewOrg {
    coded(name, kind, region, None)
}

fn coded(name: &str, kind: Kind, region: Option<&str>, code: Option<&str>) -> NewOrg {
    NewOrg::new(OrgDraft {
        name,
        kind: Some(kind),
        region,
        code,
        ..OrgDraft::default()
    })
    .unwrap()
}

fn motion(slug: &str, title: &str) -> NewMotion {
    NewMotion::new(MotionDraft {
        slug,
        title,
        ..MotionDraft::default()
    })
    .unwrap()
}

fn outcome(motion_id: i64, org: OrgRef, status: Status, date: &str) -> NewOutcome {
    NewOutcome::new(
        OutcomeDraft {
            motion_id,
            org,
            status,
            meeting_date: day(date),
            votes_for: None,
            votes_against: None,
            votes_abstain: None,
            reported_by: None,
            source: None,
            notes: None,
        },
        day("2100-01-01"),
    )
    .unwrap()
}

/// A store with one motion and the given orgs; returns the motion id and org ids.
fn campaign(orgs: &[(&str, Kind, Option<&str>)]) -> (Store, i64, Vec<i64>) {
    let mut store = Store::open_in_memory().unwrap();
    let motion = store
        .add_motion(&motion(
            "venezuela-coup",
            "Oppose the attempted coup in Venezuela",
        ))
        .unwrap();
    let ids = orgs
        .iter()
        .map(|(name, kind, region)| store.add_org(&org(name, *kind, *region)).unwrap().id)
        .collect();
    (store, motion.id, ids)
}

fn log(store: &mut Store, motion_id: i64, org_id: i64, status: Status, date: &str) -> Recorded {
    let outcome = outcome(motion_id, OrgRef::Registered(org_id), status, date);
    store.record(None, &outcome).unwrap().0
}

fn status_of(
    store: &mut Store,
    motion_id: i64,
    org_id: i64,
    as_of: Option<&str>,
) -> Option<Status> {
    let standings = store
        .standings(motion_id, &OrgFilter::default(), as_of.map(day))
        .unwrap();
    let standing = standings.into_iter().find(|s| s.org.id == org_id).unwrap();
    standing.latest.map(|latest| latest.status)
}

fn totals(store: &mut Store, motion_id: i64, as_of: Option<&str>) -> StatusCounts {
    let rows = store
        .tally(motion_id, &OrgFilter::default(), &[], as_of.map(day))
        .unwrap();
    assert!(rows.len() <= 1);
    rows.first().map(|row| row.counts).unwrap_or_default()
}

#[test]
fn the_latest_meeting_wins_and_a_tie_goes_to_the_later_record() {
    let (mut store, m, ids) = campaign(&[("Ashby CLP", Kind::Clp, None)]);
    let ashby = ids[0];
    log(&mut store, m, ashby, Status::Deferred, "2019-01-28");
    log(&mut store, m, ashby, Status::Passed, "2019-02-25");
    // Reported late, about an earlier meeting: the history gains it, the status does not change.
    log(&mut store, m, ashby, Status::Moved, "2019-02-04");
    assert_eq!(status_of(&mut store, m, ashby, None), Some(Status::Passed));
    // Two events on one date: the one recorded later stands.
    log(&mut store, m, ashby, Status::PassedAmended, "2019-03-01");
    log(&mut store, m, ashby, Status::Moved, "2019-03-01");
    assert_eq!(status_of(&mut store, m, ashby, None), Some(Status::Moved));
    assert_eq!(
        status_of(&mut store, m, ashby, Some("2019-03-01")),
        Some(Status::Moved)
    );
}

#[test]
fn as_of_shows_the_picture_at_the_end_of_that_day() {
    let (mut store, m, ids) = campaign(&[("Ashby CLP", Kind::Clp, None)]);
    let ashby = ids[0];
    log(&mut store, m, ashby, Status::Deferred, "2019-01-28");
    log(&mut store, m, ashby, Status::Passed, "2019-02-25");
    assert_eq!(status_of(&mut store, m, ashby, Some("2019-01-27")), None);
    assert_eq!(
        status_of(&mut store, m, ashby, Some("2019-01-28")),
        Some(Status::Deferred)
    );
    assert_eq!(
        status_of(&mut store, m, ashby, Some("2019-02-24")),
        Some(Status::Deferred)
    );
    assert_eq!(
        status_of(&mut store, m, ashby, Some("2019-02-25")),
        Some(Status::Passed)
    );
}

#[test]
fn the_standing_cache_agrees_with_the_history() {
    let (mut store, m, ids) = campaign(&[
        ("A", Kind::Clp, None),
        ("B", Kind::Clp, None),
        ("C", Kind::UnionBranch, None),
    ]);
    let script = [
        (0, Status::Moved, "2019-02-01"),
        (0, Status::Passed, "2019-02-01"),
        (1, Status::Rejected, "2019-02-10"),
        (1, Status::Planned, "2019-01-10"),
        (0, Status::Deferred, "2019-01-15"),
        (1, Status::Moved, "2019-02-10"),
    ];
    for (i, status, date) in script {
        log(&mut store, m, ids[i], status, date);
        let now = store.standings(m, &OrgFilter::default(), None).unwrap();
        let far = store
            .standings(m, &OrgFilter::default(), Some(day("9999-12-31")))
            .unwrap();
        assert_eq!(now, far, "after logging {status} on {date}");
    }
}

#[test]
fn tallies_count_against_the_whole_registry() {
    let (mut store, m, ids) = campaign(&[
        ("Ashby CLP", Kind::Clp, Some("East Midlands")),
        ("Walford CLP", Kind::Clp, Some("London")),
        ("Holby CLP", Kind::Clp, Some("South West")),
        (
            "Ashby Ward Branch",
            Kind::LabourBranch,
            Some("east midlands"),
        ),
        ("Walford Momentum", Kind::MomentumGroup, None),
    ]);
    log(&mut store, m, ids[0], Status::PassedAmended, "2019-02-25");
    log(&mut store, m, ids[1], Status::Rejected, "2019-02-13");
    log(&mut store, m, ids[3], Status::Withdrawn, "2019-02-01");
    log(&mut store, m, ids[4], Status::Referred, "2019-02-01");

    let counts = totals(&mut store, m, None);
    assert_eq!(counts.registered(), 5);
    assert_eq!(counts.group(Group::Passed), 1);
    assert_eq!(counts.status(Status::PassedAmended), 1);
    assert_eq!(counts.group(Group::Rejected), 1);
    assert_eq!(counts.group(Group::Dropped), 1);
    assert_eq!(counts.group(Group::Pending), 1);
    assert_eq!(counts.group(Group::None), 1);

    // "east midlands" joined the existing spelling, so the region has one row.
    let by_region = store
        .tally(m, &OrgFilter::default(), &[Dimension::Region], None)
        .unwrap();
    let regions: Vec<Option<&str>> = by_region.iter().map(|r| r.values[0].as_deref()).collect();
    assert_eq!(
        regions,
        [
            None,
            Some("East Midlands"),
            Some("London"),
            Some("South West")
        ]
    );
    let east = &by_region[1].counts;
    assert_eq!(
        (
            east.registered(),
            east.group(Group::Passed),
            east.group(Group::Dropped)
        ),
        (2, 1, 1)
    );

    let clps = OrgFilter {
        kind: Some(Kind::Clp),
        ..OrgFilter::default()
    };
    let rows = store.tally(m, &clps, &[], None).unwrap();
    assert_eq!(
        rows[0].counts.registered(),
        3,
        "83 of 650 CLPs: the denominator is the CLPs"
    );
    assert_eq!(rows[0].counts.group(Group::None), 1);

    let before = totals(&mut store, m, Some("2019-02-12"));
    assert_eq!(
        (before.group(Group::None), before.group(Group::Passed)),
        (3, 0)
    );
}

#[test]
fn a_repeated_event_is_recorded_once() {
    let (mut store, m, ids) = campaign(&[("Ashby CLP", Kind::Clp, None)]);
    let first = log(&mut store, m, ids[0], Status::Passed, "2019-02-25");
    let again = log(&mut store, m, ids[0], Status::Passed, "2019-02-25");
    let Recorded::Added(id) = first else {
        panic!("first record was {first:?}")
    };
    assert_eq!(again, Recorded::AlreadyThere(id));
    assert_eq!(store.history(&HistoryFilter::default()).unwrap().len(), 1);
}

#[test]
fn two_decisions_on_one_date_are_refused_and_nothing_is_written() {
    let (mut store, m, ids) = campaign(&[("Ashby CLP", Kind::Clp, None)]);
    log(&mut store, m, ids[0], Status::Passed, "2019-02-25");
    let outcome = outcome(
        m,
        OrgRef::Registered(ids[0]),
        Status::Rejected,
        "2019-02-25",
    );
    let new_org = org("Walford CLP", Kind::Clp, None);
    let pending = OrgRef::Pending(new_org.name().clone());
    let err = store.record(
        Some(&new_org),
        &self::outcome(m, pending, Status::Rejected, "2019-02-25"),
    );
    assert!(err.is_ok(), "a new org has no earlier decision");
    let err = store.record(None, &outcome).unwrap_err().to_string();
    assert!(
        err.contains("already records this organisation's decision"),
        "{err}"
    );
    assert_eq!(store.history(&HistoryFilter::default()).unwrap().len(), 2);
    assert_eq!(status_of(&mut store, m, ids[0], None), Some(Status::Passed));
}

#[test]
fn registering_an_org_with_its_outcome_is_one_transaction() {
    let (mut store, m, _) = campaign(&[]);
    let new_org = org("Ashby CLP", Kind::Clp, None);
    let bad = outcome(
        m + 100,
        OrgRef::Pending(new_org.name().clone()),
        Status::Passed,
        "2019-02-25",
    );
    assert!(
        store
            .record(Some(&org("Ashby CLP", Kind::Clp, None)), &bad)
            .is_err()
    );
    assert_eq!(
        store.find_org("Ashby CLP").unwrap(),
        None,
        "the org was not left behind"
    );
}

#[test]
fn names_are_unique_whatever_the_case_or_spacing() {
    let (mut store, _, _) = campaign(&[("Ashby CLP", Kind::Clp, None)]);
    let err = store
        .add_org(&org("  ASHBY   clp ", Kind::Clp, None))
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("already registered (as \"Ashby CLP\", clp)"),
        "{err}"
    );
    assert_eq!(
        store.find_org("ashby  CLP").unwrap().unwrap().name,
        "Ashby CLP"
    );
    store
        .add_org(&coded("Walford CLP", Kind::Clp, None, Some("E14999001")))
        .unwrap();
    let clash = coded("Holby CLP", Kind::Clp, None, Some("e14999001"));
    let err = store.add_org(&clash).unwrap_err().to_string();
    assert!(err.contains("already belongs to \"Walford CLP\""), "{err}");
    assert_eq!(store.find_org("Holby CLP").unwrap(), None);
}

#[test]
fn a_duplicate_slug_is_refused() {
    let (mut store, _, _) = campaign(&[]);
    let err = store
        .add_motion(&motion("venezuela-coup", "Again"))
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("slug \"venezuela-coup\" already exists"),
        "{err}"
    );
}

mod files {
    use std::fs;

    use super::*;

    #[test]
    fn a_new_database_is_private_and_marked() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("new/folder/motions.db");
        let mut store = Store::open(&path, true).unwrap();
        assert!(store.is_empty().unwrap());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = |p: &Path| fs::metadata(p).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode(&path), 0o600);
            assert_eq!(mode(path.parent().unwrap()), 0o700);
        }
        drop(store);
        // Closing checkpoints the WAL, so the file's own header carries the mark.
        let header = fs::read(&path).unwrap();
        assert_eq!(&header[68..72], &APPLICATION_ID.to_be_bytes());
        Store::open(&path, true).unwrap();
    }

    #[test]
    fn a_text_file_is_refused_and_left_unchanged() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("notes.txt");
        fs::write(&path, "Ashby CLP passed it!\n").unwrap();
        let err = Store::open(&path, true).err().unwrap().to_string();
        assert!(
            err.contains("is not a motions database (it is not an SQLite file)"),
            "{err}"
        );
        assert_eq!(fs::read_to_string(&path).unwrap(), "Ashby CLP passed it!\n");
    }

    #[test]
    fn another_programs_database_is_refused_and_left_unchanged() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("other.sqlite");
        let conn = Connection::open(&path).unwrap();
        conn.execute_batch("CREATE TABLE t(x); INSERT INTO t VALUES (1);")
            .unwrap();
        drop(conn);
        let before = fs::read(&path).unwrap();
        let err = Store::open(&path, true).err().unwrap().to_string();
        assert!(
            err.contains("an SQLite database of another program"),
            "{err}"
        );
        assert_eq!(fs::read(&path).unwrap(), before);
        assert!(!dir.path().join("other.sqlite-wal").exists());
    }

    #[test]
    fn a_database_from_a_newer_motions_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("motions.db");
        drop(Store::open(&path, true).unwrap());
        let conn = Connection::open(&path).unwrap();
        conn.pragma_update(None, "user_version", SCHEMA_VERSION + 1)
            .unwrap();
        drop(conn);
        let err = Store::open(&path, true).err().unwrap().to_string();
        assert!(
            err.contains("written by a newer version of motions"),
            "{err}"
        );
        assert!(err.contains("upgrade motions"), "{err}");
    }

    #[test]
    fn an_empty_file_becomes_a_private_database() {
        let file = tempfile::NamedTempFile::new().unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            fs::set_permissions(file.path(), fs::Permissions::from_mode(0o644)).unwrap();
        }
        let mut store = Store::open(file.path(), false).unwrap();
        assert!(store.is_empty().unwrap());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(
                fs::metadata(file.path()).unwrap().permissions().mode() & 0o777,
                0o600
            );
        }
    }

    #[test]
    fn a_folder_or_a_missing_folder_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let err = Store::open(dir.path(), false).err().unwrap().to_string();
        assert!(
            err.contains("is a folder; give the database a file name"),
            "{err}"
        );
        let missing = dir.path().join("typo/motions.db");
        let err = Store::open(&missing, false).err().unwrap().to_string();
        assert!(err.contains("there is no folder"), "{err}");
        assert!(!dir.path().join("typo").exists());
    }
}

/// What the store enforces itself: one decision per meeting, merges that check inside their own
/// write, foreign keys through imports, migrations that wait for clashing records to be
/// retracted, and `check`'s findings on parents.
mod enforced {
    use std::path::PathBuf;

    use super::*;
    use crate::db::correct::MergeConflicts;
    use crate::db::import::Finish;
    use crate::db::migrate::{Blocked, MIGRATIONS, user_version};
    use crate::db::outcome::insert_checked;

    fn event(motion_id: i64, org_id: i64, status: Status, date: &str) -> NewOutcome {
        super::outcome(motion_id, OrgRef::Registered(org_id), status, date)
    }

    fn added(recorded: Recorded) -> i64 {
        match recorded {
            Recorded::Added(id) => id,
            other => panic!("not added: {other:?}"),
        }
    }

    fn all_events(store: &mut Store) -> Vec<crate::model::Outcome> {
        store
            .history(&HistoryFilter {
                all: true,
                ..HistoryFilter::default()
            })
            .unwrap()
    }

    #[test]
    fn a_repeat_is_skipped_and_a_decision_retracted_makes_way_for_another() {
        let (mut store, m, ids) = campaign(&[("Ashby CLP", Kind::Clp, None)]);
        let first = added(log(&mut store, m, ids[0], Status::Passed, "2019-02-25"));
        assert_eq!(
            log(&mut store, m, ids[0], Status::Passed, "2019-02-25"),
            Recorded::AlreadyThere(first)
        );
        store.retract(first, "it was rejected").unwrap();
        let second = added(log(&mut store, m, ids[0], Status::Rejected, "2019-02-25"));
        // The same decision again after its retraction is a new record too.
        store.retract(second, "it was passed after all").unwrap();
        added(log(&mut store, m, ids[0], Status::Passed, "2019-02-25"));
        assert_eq!(all_events(&mut store).len(), 3);
        assert_eq!(status_of(&mut store, m, ids[0], None), Some(Status::Passed));
    }

    #[test]
    fn the_stores_own_refusal_reads_as_the_contradiction_it_is() {
        let (mut store, m, ids) = campaign(&[("Ashby CLP", Kind::Clp, None)]);
        let first = added(log(&mut store, m, ids[0], Status::Passed, "2019-02-25"));
        // Past the check that finds repeats and contradictions, straight to the insert: the
        // unique index refuses, and the refusal names the event as the check would have.
        let (rejected, passed) = store
            .write(|tx| {
                let rejected = insert_checked(
                    tx,
                    &event(m, ids[0], Status::Rejected, "2019-02-25"),
                    ids[0],
                    "2019-02-25",
                    &timestamp(),
                    true,
                )?;
                let passed = insert_checked(
                    tx,
                    &event(m, ids[0], Status::Passed, "2019-02-25"),
                    ids[0],
                    "2019-02-25",
                    &timestamp(),
                    true,
                )?;
                Ok((rejected, passed))
            })
            .unwrap();
        assert_eq!(
            rejected,
            Recorded::Contradicts {
                event: first,
                status: Status::Passed
            }
        );
        assert_eq!(passed, Recorded::AlreadyThere(first));
        assert_eq!(all_events(&mut store).len(), 1);
    }

    #[test]
    fn a_merge_refuses_different_decisions_and_writes_nothing() {
        let (mut store, m, ids) = campaign(&[
            ("Walford Constituency LP", Kind::Clp, None),
            ("Walford CLP", Kind::Clp, None),
        ]);
        let a = added(log(&mut store, m, ids[0], Status::Rejected, "2019-02-13"));
        let b = added(log(
            &mut store,
            m,
            ids[1],
            Status::PassedAmended,
            "2019-02-13",
        ));
        let from = store.find_org("Walford Constituency LP").unwrap().unwrap();
        let into = store.find_org("Walford CLP").unwrap().unwrap();
        let err = store.merge_orgs(&from, &into).unwrap_err();
        let refused = err.downcast_ref::<MergeConflicts>().expect("conflicts");
        assert_eq!(refused.conflicts.len(), 1);
        assert_eq!(refused.conflicts[0].from, (a, Status::Rejected));
        assert_eq!(refused.conflicts[0].into, (b, Status::PassedAmended));
        assert!(
            err.to_string().contains(
                "venezuela-coup on 2019-02-13: event 1 says rejected, event 2 says passed-amended"
            ),
            "{err}"
        );
        assert!(store.find_org("Walford Constituency LP").unwrap().is_some());
        assert_eq!(
            status_of(&mut store, m, ids[0], None),
            Some(Status::Rejected)
        );
    }

    #[test]
    fn a_decision_written_after_the_orgs_were_looked_up_still_stops_the_merge() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("motions.db");
        let mut store = Store::open(&path, false).unwrap();
        let m = store
            .add_motion(&motion("venezuela-coup", "Oppose the coup"))
            .unwrap()
            .id;
        let from = store
            .add_org(&org("Walford Constituency LP", Kind::Clp, None))
            .unwrap();
        let into = store.add_org(&org("Walford CLP", Kind::Clp, None)).unwrap();
        log(&mut store, m, from.id, Status::Passed, "2019-02-13");
        // Another writer, between the merging command's look and its write.
        let mut other = Store::open(&path, false).unwrap();
        log(&mut other, m, into.id, Status::Rejected, "2019-02-13");
        let err = store.merge_orgs(&from, &into).unwrap_err();
        assert!(err.downcast_ref::<MergeConflicts>().is_some(), "{err}");
        assert_eq!(all_events(&mut store).len(), 2);
    }

    #[test]
    fn merging_repeats_keeps_the_first_record_of_each_and_retracts_the_later() {
        let (mut store, m, ids) = campaign(&[
            ("Walford Constituency LP", Kind::Clp, None),
            ("Walford CLP", Kind::Clp, None),
        ]);
        // The org that goes recorded one meeting first, the org that stays the other.
        let from_first = added(log(&mut store, m, ids[0], Status::Passed, "2019-02-13"));
        let into_later = added(log(&mut store, m, ids[1], Status::Passed, "2019-02-13"));
        let into_first = added(log(&mut store, m, ids[1], Status::Moved, "2019-02-01"));
        let from_later = added(log(&mut store, m, ids[0], Status::Moved, "2019-02-01"));
        let from = store.find_org("Walford Constituency LP").unwrap().unwrap();
        let into = store.find_org("Walford CLP").unwrap().unwrap();
        let merged = store.merge_orgs(&from, &into).unwrap();
        assert_eq!(
            merged,
            crate::db::correct::Merged {
                moved: 2,
                duplicates: 2
            }
        );
        let retracted: Vec<i64> = all_events(&mut store)
            .into_iter()
            .filter(|e| e.retracted.is_some())
            .map(|e| e.id)
            .collect();
        assert_eq!(retracted, [from_later, into_later]);
        let kept: Vec<(i64, String)> = store
            .history(&HistoryFilter::default())
            .unwrap()
            .into_iter()
            .map(|e| (e.id, e.org))
            .collect();
        assert_eq!(
            kept,
            [
                (into_first, "Walford CLP".to_string()),
                (from_first, "Walford CLP".to_string())
            ]
        );
        assert_eq!(status_of(&mut store, m, ids[1], None), Some(Status::Passed));
    }

    #[test]
    fn an_import_keeps_foreign_keys_and_writes_nothing_that_points_at_nothing() {
        let (mut store, m, ids) = campaign(&[("Ashby CLP", Kind::Clp, None)]);
        let orphan = store.import(|import| {
            import.add_outcome(&event(m, ids[0] + 100, Status::Passed, "2019-02-25"), 2)?;
            Ok(Finish::Commit(()))
        });
        let err = orphan.unwrap_err().to_string();
        assert!(err.contains("FOREIGN KEY"), "{err}");
        let parent = store.import(|import| {
            let new = import.add_org(&org("Ashby Ward Branch", Kind::LabourBranch, None))?;
            import.set_parent(new.id, ids[0] + 100)?;
            Ok(Finish::Commit(()))
        });
        assert!(parent.is_err());
        assert_eq!(store.find_org("Ashby Ward Branch").unwrap(), None);
        assert!(all_events(&mut store).is_empty());
        // And a good import after them goes through.
        store
            .import(|import| {
                import.add_outcome(&event(m, ids[0], Status::Passed, "2019-02-25"), 2)?;
                import.settle()?;
                Ok(Finish::Commit(()))
            })
            .unwrap();
        assert_eq!(all_events(&mut store).len(), 1);
    }

    /// A version-2 database file with two decisions for one meeting: events 1 (passed) and
    /// 2 (rejected) of Ashby CLP on 2019-02-04.
    fn clashing_version_2() -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("motions.db");
        let conn = Connection::open(&path).unwrap();
        for step in &MIGRATIONS[..2] {
            conn.execute_batch(step).unwrap();
        }
        conn.execute_batch(
            "PRAGMA user_version = 2; PRAGMA application_id = 1297044558;
             INSERT INTO motion (slug, title) VALUES ('venezuela-coup', 'Oppose the coup');
             INSERT INTO org (name, kind) VALUES ('Ashby CLP', 'clp');
             INSERT INTO org_name VALUES ('ashby clp', 1, 'Ashby CLP');
             INSERT INTO outcome (motion_id, org_id, status, meeting_date) VALUES
                 (1, 1, 'passed', '2019-02-04'), (1, 1, 'rejected', '2019-02-04');
             INSERT INTO standing VALUES (1, 1, 2, 'rejected', '2019-02-04');",
        )
        .unwrap();
        (dir, path)
    }

    fn version_of(path: &Path) -> i64 {
        user_version(&Connection::open(path).unwrap()).unwrap()
    }

    #[test]
    fn a_blocked_database_is_read_as_it_is_written_only_to_retract_and_then_migrates() {
        let (_dir, path) = clashing_version_2();
        let err = Store::open(&path, false).err().expect("refused");
        let blocked = err.downcast_ref::<Blocked>().expect("blocked");
        assert_eq!(
            blocked.clashes[0].events,
            [(1, Status::Passed), (2, Status::Rejected)]
        );
        assert_eq!(version_of(&path), 2);

        let mut reader = Store::open_read(&path).unwrap();
        assert_eq!(all_events(&mut reader).len(), 2);
        drop(reader);

        let mut store = Store::open_to_retract(&path, false).unwrap();
        let other = store.add_org(&org("Bexley CLP", Kind::Clp, None));
        assert!(other.unwrap_err().downcast_ref::<Blocked>().is_some());
        let import = store.import(|_| Ok(Finish::Commit(())));
        assert!(import.unwrap_err().downcast_ref::<Blocked>().is_some());
        store.retract(2, "it was passed").unwrap();
        drop(store);
        assert_eq!(
            version_of(&path),
            2,
            "the retraction alone migrates nothing"
        );

        let mut store = Store::open(&path, false).unwrap();
        assert_eq!(version_of(&path), SCHEMA_VERSION);
        assert_eq!(all_events(&mut store).len(), 2, "every record kept");
        let findings = Store::check_file(&path).unwrap();
        let problems: Vec<_> = findings.iter().flat_map(|f| &f.problems).collect();
        assert!(problems.is_empty(), "{problems:?}");
    }

    #[test]
    fn a_database_opened_to_retract_that_is_not_blocked_is_brought_up_to_date() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("motions.db");
        let mut store = Store::open_to_retract(&path, false).unwrap();
        assert_eq!(version_of(&path), SCHEMA_VERSION);
        store.add_org(&org("Ashby CLP", Kind::Clp, None)).unwrap();
    }

    fn problems_of(path: &Path, check: &str) -> Vec<String> {
        Store::check_file(path)
            .unwrap()
            .into_iter()
            .find(|f| f.check == check)
            .unwrap_or_else(|| panic!("no check {check}"))
            .problems
    }

    #[test]
    fn check_names_clashing_decisions_left_by_an_older_version() {
        let (_dir, path) = clashing_version_2();
        let problems = problems_of(&path, "no meeting has two decisions on one motion");
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(
            problems[0].starts_with(
                "venezuela-coup, Ashby CLP, 2019-02-04: event 1 says passed, event 2 says rejected; \
                 retract the wrong one with: motions outcome retract ID"
            ),
            "{problems:?}"
        );
    }

    #[test]
    fn check_finds_clps_with_parents_parents_that_are_not_clps_and_cycles() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("motions.db");
        let mut store = Store::open(&path, false).unwrap();
        for (name, kind) in [
            ("Ashby CLP", Kind::Clp),
            ("Bexley CLP", Kind::Clp),
            ("Holby CLP", Kind::Clp),
            ("Ashby Ward Branch", Kind::LabourBranch),
            ("Bexley Ward Branch", Kind::LabourBranch),
            ("Walford Momentum", Kind::MomentumGroup),
        ] {
            store.add_org(&org(name, kind, None)).unwrap();
        }
        let clean = |path: &Path| {
            [
                "a branch's parent is a CLP, and a CLP has none",
                "no organisation is its own parent's parent (no cycles)",
            ]
            .map(|check| problems_of(path, check))
        };
        store
            .conn
            .execute_batch("UPDATE org SET parent_id = 1 WHERE id IN (4, 6)")
            .unwrap();
        assert_eq!(clean(&path), [Vec::<String>::new(), Vec::new()]);
        // Ashby CLP and Bexley CLP each the other's parent; Holby CLP under Ashby; a branch
        // under a branch.
        store
            .conn
            .execute_batch(
                "UPDATE org SET parent_id = 2 WHERE id = 1; UPDATE org SET parent_id = 1 WHERE id IN (2, 3);
                 UPDATE org SET parent_id = 4 WHERE id = 5;",
            )
            .unwrap();
        let [parents, cycles] = clean(&path);
        assert_eq!(
            parents,
            [
                "\"Ashby CLP\" is a CLP with a parent, \"Bexley CLP\"; a CLP belongs to no other. \
                 Clear it with: motions org edit \"Ashby CLP\" --parent \"\"",
                "\"Bexley CLP\" is a CLP with a parent, \"Ashby CLP\"; a CLP belongs to no other. \
                 Clear it with: motions org edit \"Bexley CLP\" --parent \"\"",
                "\"Holby CLP\" is a CLP with a parent, \"Ashby CLP\"; a CLP belongs to no other. \
                 Clear it with: motions org edit \"Holby CLP\" --parent \"\"",
                "\"Bexley Ward Branch\" has \"Ashby Ward Branch\" as its parent, which is a \
                 labour-branch, not a CLP. Give it its CLP with: motions org edit \
                 \"Bexley Ward Branch\" --parent \"CLP\" (or --parent \"\" for none)",
            ]
        );
        assert_eq!(
            cycles,
            [
                "parents form a cycle: \"Ashby CLP\" -> \"Bexley CLP\" -> \"Ashby CLP\" (each \
              followed by its parent); clear one with: motions org edit NAME --parent \"\""
            ]
        );
    }
}

#[test]
fn history_of_one_organisation_or_motion_is_found_through_an_index() {
    let (mut store, m, ids) = campaign(&[
        ("Ashby CLP", Kind::Clp, None),
        ("Bexley CLP", Kind::Clp, None),
    ]);
    log(&mut store, m, ids[0], Status::Passed, "2019-02-25");
    log(&mut store, m, ids[1], Status::Moved, "2019-02-20");
    let plan = |filter: &HistoryFilter| -> String {
        let sql = format!("EXPLAIN QUERY PLAN {}", outcome::history_sql(filter));
        let mut stmt = store.conn.prepare(&sql).unwrap();
        let steps: Vec<String> = stmt
            .query_map(
                rusqlite::params![
                    None::<i64>,
                    None::<i64>,
                    None::<String>,
                    None::<String>,
                    false
                ],
                |r| r.get(3),
            )
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        steps.join("; ")
    };
    let by_org = HistoryFilter {
        org_id: Some(ids[1]),
        ..HistoryFilter::default()
    };
    assert!(
        plan(&by_org).contains("USING INDEX outcome_by_org"),
        "{}",
        plan(&by_org)
    );
    let by_motion = HistoryFilter {
        motion_id: Some(m),
        ..HistoryFilter::default()
    };
    assert!(
        plan(&by_motion).contains("USING INDEX outcome_by_pair"),
        "{}",
        plan(&by_motion)
    );
    let events = store.history(&by_org).unwrap();
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].org, "Bexley CLP");
    assert_eq!(store.history(&by_motion).unwrap().len(), 2);
    assert_eq!(store.history(&HistoryFilter::default()).unwrap().len(), 2);
}

#[test]
fn a_large_import_ends_with_every_index_in_place_and_a_dry_run_with_them_untouched() {
    let names: Vec<String> = (0..150)
        .map(|n| format!("Sample Ward {n} Branch"))
        .collect();
    let (mut store, m, ids) = campaign(
        &names
            .iter()
            .map(|n| (n.as_str(), Kind::LabourBranch, None))
            .collect::<Vec<_>>(),
    );
    let schema = |store: &Store| -> Vec<String> {
        store
            .conn
            .prepare("SELECT name || ': ' || coalesce(sql, '') FROM sqlite_schema ORDER BY name")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap()
    };
    let before = schema(&store);
    let import = |store: &mut Store, keep: bool| {
        store
            .import(|import| {
                for &id in &ids {
                    for (status, date) in [
                        (Status::Moved, "2019-02-01"),
                        (Status::Passed, "2019-02-20"),
                    ] {
                        let outcome = outcome(m, OrgRef::Registered(id), status, date);
                        import.add_outcome(&outcome, 2)?;
                    }
                }
                assert!(import.settle()?.is_empty());
                Ok(if keep {
                    Finish::Commit(())
                } else {
                    Finish::RollBack(())
                })
            })
            .unwrap();
    };
    import(&mut store, false);
    assert_eq!(
        schema(&store),
        before,
        "a dry run leaves every index as it was"
    );
    assert!(store.history(&HistoryFilter::default()).unwrap().is_empty());
    import(&mut store, true);
    assert_eq!(
        schema(&store),
        before,
        "the indexes set aside are made again as they were"
    );
    assert_eq!(store.history(&HistoryFilter::default()).unwrap().len(), 300);
    // A large import stops keeping the current statuses row by row and rebuilds them at its
    // end: every organisation stands at its latest event, as check confirms.
    for &id in &ids {
        assert_eq!(status_of(&mut store, m, id, None), Some(Status::Passed));
    }
    let stale: i64 = store
        .conn
        .query_row(
            "SELECT count(*) FROM standing s JOIN outcome e ON e.id = s.outcome_id \
             WHERE e.status <> 'passed'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(stale, 0);
    // The unique index is back at work.
    let refused = store.conn.execute(
        "INSERT INTO outcome (motion_id, org_id, status, meeting_date) VALUES (?1, ?2, 'rejected', '2019-02-20')",
        [m, ids[0]],
    );
    assert!(refused.is_err_and(|err| is_unique_violation(&err)));
}

/// A large import checks its rows against their meetings at its end; it must come to what
/// checking them row by row comes to, whatever the history before it held.
mod settling {
    use std::collections::{BTreeMap, HashMap};

    use proptest::prelude::*;

    use super::*;
    use crate::db::import::{Finish, Settled};

    const DATES: [&str; 3] = ["2019-02-04", "2019-02-11", "2019-03-01"];
    const ORGS: [&str; 3] = ["Ashby CLP", "Ashby Ward Branch", "Walford CLP"];

    /// What became of each line, the events kept and what stands, each event named by the
    /// line that added it or as the event it was before the import.
    #[derive(Debug, PartialEq, Eq)]
    struct Ending {
        lines: BTreeMap<u64, String>,
        events: Vec<(i64, Status, NaiveDate, String)>,
        standing: Vec<(i64, String)>,
    }

    /// (org, status, date, retract it after) before the import, then the import's rows
    /// (org, status, date), checked row by row or, after `set_aside_after` rows added, at its end.
    fn run(
        before: &[(usize, usize, usize, bool)],
        rows: &[(usize, usize, usize)],
        set_aside_after: i64,
    ) -> Ending {
        let orgs: Vec<_> = ORGS.iter().map(|name| (*name, Kind::Clp, None)).collect();
        let (mut store, m, ids) = campaign(&orgs);
        for &(org, status, date, retract) in before {
            let new = outcome(
                m,
                OrgRef::Registered(ids[org]),
                Status::ALL[status],
                DATES[date],
            );
            if let Ok((Recorded::Added(id), _)) = store.record(None, &new)
                && retract
            {
                store.retract(id, "sent in by mistake").unwrap();
            }
        }
        let mut added: HashMap<i64, u64> = HashMap::new();
        let lines = store
            .import(|import| {
                import.set_aside_after(set_aside_after);
                let mut lines = BTreeMap::new();
                let mut found = Vec::new();
                for (line, &(org, status, date)) in (2..).zip(rows) {
                    let new = outcome(
                        m,
                        OrgRef::Registered(ids[org]),
                        Status::ALL[status],
                        DATES[date],
                    );
                    match import.add_outcome(&new, line)? {
                        Recorded::Added(id) => {
                            added.insert(id, line);
                            lines.insert(line, "added".to_string());
                        }
                        Recorded::AlreadyThere(event) => found.push((line, "repeats", event)),
                        Recorded::Contradicts { event, .. } => {
                            found.push((line, "contradicts", event))
                        }
                    }
                }
                for settled in import.settle()? {
                    match settled {
                        Settled::Repeat { line, event, .. } => found.push((line, "repeats", event)),
                        Settled::Contradicts { line, event, .. } => {
                            found.push((line, "contradicts", event))
                        }
                    }
                }
                for (line, what, event) in found {
                    let event = match import.line_of(event) {
                        Some(line) => format!("line {line}"),
                        None => format!("event {event}"),
                    };
                    lines.insert(line, format!("{what} {event}"));
                }
                // Kept even with contradictions, to see what stands and that the indexes,
                // the unique one among them, are made again.
                Ok(Finish::Commit(lines))
            })
            .unwrap();
        let name = |id: i64| match added.get(&id) {
            Some(line) => format!("line {line}"),
            None => format!("event {id}"),
        };
        let events = store
            .history(&HistoryFilter {
                all: true,
                ..HistoryFilter::default()
            })
            .unwrap()
            .into_iter()
            .map(|e| {
                let org = ids[ORGS.iter().position(|o| *o == e.org).unwrap()];
                (org, e.status, e.meeting_date, name(e.id))
            })
            .collect();
        let standing = store
            .conn
            .prepare("SELECT org_id, outcome_id FROM standing WHERE motion_id = ?1 ORDER BY org_id")
            .unwrap()
            .query_map([m], |r| Ok((r.get(0)?, name(r.get(1)?))))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        Ending {
            lines,
            events,
            standing,
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]

        #[test]
        fn checking_at_the_end_comes_to_what_checking_row_by_row_does(
            before in proptest::collection::vec((0..3usize, 0..Status::ALL.len(), 0..3usize, any::<bool>()), 0..8),
            rows in proptest::collection::vec((0..3usize, 0..Status::ALL.len(), 0..3usize), 0..40),
            after in 1..4i64,
        ) {
            let row_by_row = run(&before, &rows, i64::MAX);
            let at_the_end = run(&before, &rows, after);
            prop_assert_eq!(at_the_end, row_by_row);
        }
    }

    #[test]
    fn a_large_import_names_the_line_it_repeats_or_contradicts() {
        // Rows 2 to 4 are added and checked one by one; rows 5 on, at the end.
        let rows = [
            (0, 4, 0), // line 2: Ashby CLP passed on 4 February
            (1, 1, 0), // line 3
            (2, 1, 0), // line 4
            (0, 4, 0), // line 5: a repeat of line 2
            (0, 6, 0), // line 6: rejected, against line 2
            (2, 4, 1), // line 7
        ];
        assert_eq!(Status::ALL[4], Status::Passed);
        assert_eq!(Status::ALL[6], Status::Rejected);
        let ending = run(&[], &rows, 3);
        assert_eq!(ending.lines[&5], "repeats line 2");
        assert_eq!(ending.lines[&6], "contradicts line 2");
        assert_eq!(ending.lines[&7], "added");
        assert_eq!(ending.events.len(), 4);
        assert_eq!(ending, run(&[], &rows, i64::MAX));
    }
}

#[test]
fn dates_are_written_as_chrono_writes_them() {
    let mut date = NaiveDate::from_ymd_opt(1999, 12, 25).unwrap();
    while date.year() < 2031 {
        assert_eq!(DateText::new(date).as_str(), date.to_string());
        date = date.succ_opt().unwrap();
    }
    for (y, m, d) in [
        (999, 1, 1),
        (1000, 1, 1),
        (9999, 12, 31),
        (10000, 1, 1),
        (-44, 3, 15),
    ] {
        let date = NaiveDate::from_ymd_opt(y, m, d).unwrap();
        assert_eq!(DateText::new(date).as_str(), date.to_string());
    }
}
