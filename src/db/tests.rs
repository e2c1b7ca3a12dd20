//! Store tests on private databases: the latest-event rule, `--as-of`, the registry
//! denominators, and refusing files that are not motions databases.

use chrono::NaiveDate;

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
