//! A database left by an older version with two decisions for one meeting: it is read as it is,
//! writes name the clash and the command that resolves it, the retraction works, and the next
//! write brings the database up to date.

use predicates::str::contains;
use rusqlite::Connection;

use crate::util::{Scratch, csv_rows, dump};

/// A version-2 database as motions 0.1 left it: Ashby CLP's meeting of 2019-02-04 recorded as
/// passed (event 1) and as rejected (event 2), and a later meeting of Bexley CLP.
fn clashing_version_2() -> Scratch {
    let s = Scratch::new();
    let conn = Connection::open(&s.db).unwrap();
    conn.execute_batch(include_str!("../migrations/1-initial.sql"))
        .unwrap();
    conn.execute_batch(include_str!("../migrations/2-retractions.sql"))
        .unwrap();
    conn.execute_batch(
        "PRAGMA user_version = 2; PRAGMA application_id = 1297044558;
         INSERT INTO motion (slug, title) VALUES ('venezuela-coup', 'Oppose the coup');
         INSERT INTO org (name, kind) VALUES ('Ashby CLP', 'clp'), ('Bexley CLP', 'clp');
         INSERT INTO org_name VALUES ('ashby clp', 1, 'Ashby CLP'), ('bexley clp', 2, 'Bexley CLP');
         INSERT INTO outcome (motion_id, org_id, status, meeting_date) VALUES
             (1, 1, 'passed', '2019-02-04'), (1, 1, 'rejected', '2019-02-04'),
             (1, 2, 'passed', '2019-02-11');
         INSERT INTO standing VALUES (1, 1, 2, 'rejected', '2019-02-04'),
                                     (1, 2, 3, 'passed', '2019-02-11');",
    )
    .unwrap();
    s
}

fn version(s: &Scratch) -> i64 {
    Connection::open(&s.db)
        .unwrap()
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap()
}

fn indexes(s: &Scratch) -> Vec<String> {
    Connection::open(&s.db)
        .unwrap()
        .prepare("SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'outcome' ORDER BY name")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap()
}

#[test]
fn clashing_decisions_from_an_older_version_are_read_named_retracted_and_then_migrated() {
    let s = clashing_version_2();
    let before = dump(&s.db);

    // Reads work on the database as it is, and change nothing.
    let tally = csv_rows(&s.stdout(&["tally", "--format", "csv"]));
    // Registered, passed, amended, rejected, ...: Bexley passed it, Ashby's latest record says
    // rejected.
    assert_eq!(tally[1][..4], ["2", "1", "0", "1"], "{tally:?}");
    let history = s.stdout(&["history", "--org", "Ashby CLP", "--format", "csv"]);
    assert_eq!(csv_rows(&history).len(), 3, "{history}");
    assert_eq!(dump(&s.db), before);
    assert_eq!(version(&s), 2);

    // A write names the clash and the command that resolves it, and writes nothing.
    let err = s.fails(&["log", "Bexley CLP", "moved", "--date", "2019-03-01"]);
    assert!(
        err.contains(
            "venezuela-coup, Ashby CLP, 2019-02-04: event 1 says passed, event 2 says rejected"
        ),
        "{err}"
    );
    assert!(
        err.contains("motions outcome retract ID --reason \"...\""),
        "{err}"
    );
    assert!(!err.contains("Bexley CLP, 2019-02-11"), "{err}");
    assert_eq!(version(&s), 2);
    let err = s.fails(&["org", "add", "Holby CLP", "--kind", "clp"]);
    assert!(
        err.contains("event 1 says passed, event 2 says rejected"),
        "{err}"
    );

    // `check` names it too.
    s.run(&["check"])
        .code(1)
        .stdout(contains(
            "PROBLEMS no meeting has two decisions on one motion",
        ))
        .stdout(contains("venezuela-coup, Ashby CLP, 2019-02-04"));

    // The retraction that resolves it works on the old version, and migrates nothing itself.
    s.run(&["outcome", "retract", "2", "--reason", "it was passed"])
        .success()
        .stderr(contains(
            "Retracted event 2: Ashby CLP rejected venezuela-coup",
        ));
    assert_eq!(version(&s), 2);
    assert!(!indexes(&s).contains(&"one_decision_per_meeting".to_string()));

    // The next write brings the database up to date, every record kept.
    s.log(&["Bexley CLP", "moved", "--date", "2019-03-01"]);
    assert_eq!(version(&s), 5);
    assert!(indexes(&s).contains(&"one_decision_per_meeting".to_string()));
    assert!(indexes(&s).contains(&"outcome_by_org".to_string()));
    let all = csv_rows(&s.stdout(&["history", "--all", "--format", "csv"]));
    assert_eq!(all.len(), 5, "{all:?}");
    s.run(&["check"]).success();
    let tally = csv_rows(&s.stdout(&["tally", "--format", "csv"]));
    // Ashby CLP passed it; Bexley CLP's latest record is now the motion moved again.
    assert_eq!(tally[1][..5], ["2", "1", "0", "0", "1"], "{tally:?}");
}

#[test]
fn a_retraction_on_an_up_to_date_database_and_a_new_decision_after_it() {
    let s = Scratch::demo();
    s.run(&["org", "add", "Sample Ward Branch", "--kind", "branch"])
        .success();
    s.log(&["Sample Ward Branch", "passed", "--date", "2019-02-13"]);
    let err = s.fails(&[
        "log",
        "Sample Ward Branch",
        "rejected",
        "--date",
        "2019-02-13",
    ]);
    assert!(
        err.contains("already records this organisation's decision"),
        "{err}"
    );
    let history =
        csv_rows(&s.stdout(&["history", "--org", "Sample Ward Branch", "--format", "csv"]));
    let id = history[1][0].clone();
    s.run(&["outcome", "retract", &id, "--reason", "it was rejected"])
        .success();
    s.log(&["Sample Ward Branch", "rejected", "--date", "2019-02-13"]);
    s.run(&["check"]).success();
}
