//! Trustworthy records: corrections that keep history, many writers at once, crashes that
//! lose nothing committed, checks, backups, and erasing a person's name.

use std::fs;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use predicates::str::contains;

use crate::util::{Scratch, csv_rows, motions};

fn tally_row(s: &Scratch, args: &[&str]) -> Vec<String> {
    let mut all = vec!["tally", "--format", "csv"];
    all.extend_from_slice(args);
    csv_rows(&s.stdout(&all)).remove(1)
}

#[test]
fn a_retracted_event_stays_in_the_history_and_counts_no_more() {
    let s = Scratch::demo();
    assert_eq!(tally_row(&s, &["--kind", "clp"])[..2], ["10", "4"]);
    s.run(&["outcome", "retract", "39", "--reason", "it was the branch, not the CLP"])
        .success()
        .stderr("Retracted event 39: Borchester CLP passed venezuela-coup on 2019-02-27 (it was the branch, not the CLP)\n");
    assert_eq!(tally_row(&s, &["--kind", "clp"])[..2], ["10", "3"]);
    let status = csv_rows(&s.stdout(&["status", "--kind", "clp", "--format", "csv"]));
    let borchester = status.iter().find(|r| r[0] == "Borchester CLP").unwrap();
    assert_eq!(
        (borchester[6].as_str(), borchester[8].as_str()),
        ("deferred", "2019-02-18")
    );
    assert_eq!(
        tally_row(&s, &["--kind", "clp", "--as-of", "2019-03-01"])[..2],
        ["10", "3"]
    );

    let history = csv_rows(&s.stdout(&["history", "--org", "Borchester CLP", "--format", "csv"]));
    assert_eq!(history.len(), 3, "hidden from the history by default");
    let all = csv_rows(&s.stdout(&[
        "history",
        "--org",
        "Borchester CLP",
        "--all",
        "--format",
        "csv",
    ]));
    assert_eq!(all[0][12..], ["retracted_at", "retraction_reason"]);
    assert_eq!(all[3][13], "it was the branch, not the CLP");
    assert!(
        !s.stdout(&["export", "outcomes"]).contains("2019-02-27,40"),
        "exports leave it out"
    );

    let err = s.fails(&["outcome", "retract", "39", "--reason", "again"]);
    assert!(err.contains("event 39 was already retracted on"), "{err}");
    let err = s.fails(&["outcome", "retract", "4000", "--reason", "x"]);
    assert!(err.contains("there is no event 4000"), "{err}");
    let err = s.fails(&["outcome", "retract", "38", "--reason", "  "]);
    assert!(err.contains("give the reason with --reason"), "{err}");

    // Importing the same event again does not bring it back; logging it on purpose does.
    fs::write(
        s.dir.path().join("again.csv"),
        "organisation,status,meeting_date\nBorchester CLP,passed,2019-02-27\n",
    )
    .unwrap();
    s.run(&["import", "outcomes", "again.csv"])
        .success()
        .stderr(contains("added 0 outcomes; skipped 1"));
    s.run(&["log", "Borchester CLP", "passed", "--date", "2019-02-27"])
        .success()
        .stderr(contains("(event 41)"));
    assert_eq!(tally_row(&s, &["--kind", "clp"])[..2], ["10", "4"]);
}

#[test]
fn renamed_and_aliased_organisations_are_found_by_every_name() {
    let s = Scratch::demo();
    s.run(&["org", "rename", "Holby CLP", "Holby and District CLP"])
        .success();
    s.run(&[
        "org",
        "alias",
        "holby and district clp",
        "Holby Constituency Labour Party",
    ])
    .success();
    s.log(&["holby clp", "deferred", "--date", "2019-03-01"]);
    fs::write(
        s.dir.path().join("o.csv"),
        "organisation,status,date\nHolby Constituency Labour Party,passed,2019-03-08\n",
    )
    .unwrap();
    s.run(&["import", "outcomes", "o.csv"])
        .success()
        .stderr(contains("added 1 outcome;"));
    let rows = csv_rows(&s.stdout(&[
        "history",
        "--org",
        "Holby and District CLP",
        "--format",
        "csv",
    ]));
    assert_eq!(rows.len(), 3);
    assert!(rows[1..].iter().all(|r| r[2] == "Holby and District CLP"));
    let err = s.fails(&["org", "alias", "Walford CLP", "holby clp"]);
    assert!(
        err.contains("\"holby clp\" already names \"Holby and District CLP\""),
        "{err}"
    );
    let err = s.fails(&["org", "rename", "Walford CLP", "Ashby CLP"]);
    assert!(
        err.contains("\"Ashby CLP\" already names \"Ashby CLP\""),
        "{err}"
    );
}

#[test]
fn a_duplicate_is_merged_and_its_name_keeps_working() {
    let s = Scratch::demo();
    s.run(&[
        "org",
        "add",
        "Walford Constituency LP",
        "--kind",
        "clp",
        "--region",
        "London",
    ])
    .success();
    s.log(&[
        "Walford Constituency LP",
        "rejected",
        "--date",
        "2019-02-13",
    ]);
    s.log(&["Walford Constituency LP", "moved", "--date", "2019-02-01"]);
    let err = s.fails(&["org", "merge", "Walford Constituency LP", "Walford CLP"]);
    assert!(
        err.contains(
            "venezuela-coup on 2019-02-13: event 41 says rejected, event 26 says passed-amended"
        ),
        "{err}"
    );
    s.run(&[
        "outcome",
        "retract",
        "41",
        "--reason",
        "the CLP passed it amended",
    ])
    .success();
    s.run(&["org", "merge", "Walford Constituency LP", "Walford CLP"])
        .success()
        .stderr(contains(
            "Merged Walford Constituency LP into Walford CLP: moved 2 events",
        ));
    let rows = csv_rows(&s.stdout(&[
        "history",
        "--org",
        "Walford Constituency LP",
        "--format",
        "csv",
    ]));
    let events: Vec<[&str; 2]> = rows[1..]
        .iter()
        .map(|r| [r[2].as_str(), r[3].as_str()])
        .collect();
    assert_eq!(
        events,
        [
            ["Walford CLP", "moved"],
            ["Walford CLP", "planned"],
            ["Walford CLP", "passed-amended"]
        ]
    );
    assert_eq!(
        tally_row(&s, &["--kind", "clp"])[..2],
        ["10", "4"],
        "one org, not two"
    );
    let err = s.fails(&["org", "merge", "Walford CLP", "Walford Momentum"]);
    assert!(
        err.contains("Walford CLP is a clp and Walford Momentum a momentum-group"),
        "{err}"
    );
}

#[test]
fn only_an_organisation_without_history_is_removed() {
    let s = Scratch::demo();
    let err = s.fails(&["org", "remove", "Ashby CLP"]);
    assert!(err.contains("\"Ashby CLP\" has 2 recorded events"), "{err}");
    s.run(&["org", "add", "Typo Branch", "--kind", "branch"])
        .success();
    s.run(&["org", "remove", "typo branch"])
        .success()
        .stderr("Removed Typo Branch (labour-branch)\n");
    let err = s.fails(&["org", "remove", "Typo Branch"]);
    assert!(err.contains("unknown organisation"), "{err}");
}

#[test]
fn a_motion_is_edited_in_place() {
    let s = Scratch::demo();
    s.run(&[
        "motion",
        "edit",
        "venezuela-coup",
        "--slug",
        "venezuela",
        "--deadline",
        "30/04/2019",
        "--issued-by",
        "",
    ])
    .success()
    .stderr("Updated motion venezuela: Oppose the attempted coup in Venezuela\n");
    let json: serde_json::Value =
        serde_json::from_str(&s.stdout(&["motion", "show", "venezuela", "--format", "json"]))
            .unwrap();
    assert_eq!(json[0]["deadline"], "2019-04-30");
    assert_eq!(json[0]["issued_by"], serde_json::Value::Null);
    assert_eq!(json[0]["passed"], 24, "the outcomes stay with it");
    let err = s.fails(&["motion", "edit", "venezuela", "--deadline", "2019-01-01"]);
    assert!(err.contains("is before the issue date 2019-01-24"), "{err}");
}

#[test]
fn check_says_what_it_checked_and_finds_damage() {
    let s = Scratch::demo();
    let out = s.stdout(&["check"]);
    assert!(out.contains("ok       SQLite integrity check"), "{out}");
    assert!(
        out.contains("ok       every current status is the latest event not retracted"),
        "{out}"
    );
    let conn = rusqlite::Connection::open(&s.db).unwrap();
    conn.execute(
        "UPDATE standing SET status = 'rejected' WHERE org_id = 1",
        [],
    )
    .unwrap();
    drop(conn);
    let assert = s.run(&["check"]).code(1);
    let out = String::from_utf8(assert.get_output().stdout.clone()).unwrap();
    assert!(
        out.contains("PROBLEMS every current status is the latest event not retracted"),
        "{out}"
    );
}

#[test]
fn a_backup_is_a_private_consistent_copy() {
    let s = Scratch::demo();
    let copy = s.dir.path().join("copy.db");
    s.run(&["backup", copy.to_str().unwrap()]).success();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            fs::metadata(&copy).unwrap().permissions().mode() & 0o777,
            0o600
        );
    }
    let from_copy = motions()
        .arg("--db")
        .arg(&copy)
        .args(["tally", "--format", "csv"])
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8(from_copy.stdout).unwrap(),
        s.stdout(&["tally", "--format", "csv"])
    );
    let err = s.fails(&["backup", copy.to_str().unwrap()]);
    assert!(
        err.contains("already exists; give another name, or add --force"),
        "{err}"
    );
    s.log(&["Holby CLP", "passed", "--date", "2019-03-01"]);
    s.run(&["backup", copy.to_str().unwrap(), "--force"])
        .success();
    let again = motions()
        .arg("--db")
        .arg(&copy)
        .args(["tally", "--format", "csv"])
        .output()
        .unwrap();
    assert!(String::from_utf8(again.stdout).unwrap().contains("40,25,"));
}

#[test]
fn forget_erases_a_name_from_the_file_itself() {
    let s = Scratch::demo();
    s.log(&[
        "Holby CLP",
        "passed",
        "--date",
        "2019-03-01",
        "--by",
        "Zebedee Quistclose",
    ]);
    s.log(&[
        "Skelbeck CLP",
        "moved",
        "--date",
        "2019-03-01",
        "--by",
        "zebedee  quistclose (secretary)",
        "--note",
        "ZEBEDEE Quistclose spoke",
    ]);
    s.log(&[
        "Fenmarsh CLP",
        "moved",
        "--date",
        "2019-03-01",
        "--by",
        "Zoë Ärmstrong",
    ]);
    let raw = || {
        let mut bytes = fs::read(&s.db).unwrap();
        bytes.extend(fs::read(s.db.with_extension("db-wal")).unwrap_or_default());
        String::from_utf8_lossy(&bytes).to_lowercase()
    };
    let names = csv_rows(&s.stdout(&["export", "outcomes", "--no-names"]));
    assert!(
        names[1..].iter().all(|r| r[7].is_empty()),
        "--no-names leaves reported_by empty"
    );
    s.run(&["forget", "Zebedee Quistclose", "--yes"])
        .success()
        .stderr(contains(
            "replaced it with \"[name removed]\" in 3 fields of 2 records",
        ));
    let history = s.stdout(&["history", "--all", "--format", "csv"]);
    assert!(!history.to_lowercase().contains("zebedee"), "{history}");
    assert!(history.contains("[name removed] spoke"));
    assert!(history.contains("[name removed] (secretary)"));
    assert!(
        !raw().contains("zebedee"),
        "the name is gone from the file itself"
    );
    s.run(&["forget", "ZOE ARMSTRONG", "--yes"])
        .success()
        .stderr(contains("in 1 field of 1 record"));
    assert!(!raw().contains("rmstrong"));
    let before = crate::util::dump(&s.db);
    s.run(&["forget", "Zebedee Quistclose", "--yes"])
        .success()
        .stderr(contains("No record names \"Zebedee Quistclose\""));
    assert_eq!(crate::util::dump(&s.db), before);
    s.run(&["check"]).success();
}

#[test]
fn many_writers_at_once_lose_nothing() {
    let s = Scratch::new();
    s.run(&["motion", "add", "m", "--title", "Many writers"])
        .success();
    let mut orgs = String::from("name,kind\n");
    let mut outcomes = String::from("organisation,status,meeting_date\n");
    for i in 0..500 {
        orgs.push_str(&format!("Imported Branch {i},branch\n"));
        outcomes.push_str(&format!("Imported Branch {i},passed,2019-02-04\n"));
    }
    fs::write(s.dir.path().join("orgs.csv"), orgs).unwrap();
    fs::write(s.dir.path().join("outcomes.csv"), outcomes).unwrap();
    s.run(&["import", "orgs", "orgs.csv"]).success();

    let bin = assert_cmd::cargo::cargo_bin!("motions");
    let mut writers = Vec::new();
    for p in 0..8 {
        let db = s.db.clone();
        writers.push(std::thread::spawn(move || {
            let mut failures = Vec::new();
            for i in 0..200 {
                let org = format!("Writer {p} Branch {i}");
                let out = Command::new(bin)
                    .arg("--db")
                    .arg(&db)
                    .args([
                        "log",
                        &org,
                        "passed",
                        "--date",
                        "2019-02-04",
                        "--kind",
                        "branch",
                    ])
                    .output()
                    .unwrap();
                if !out.status.success() {
                    failures.push(String::from_utf8_lossy(&out.stderr).into_owned());
                }
            }
            failures
        }));
    }
    let importer = Command::new(bin)
        .arg("--db")
        .arg(&s.db)
        .args(["import", "outcomes", "outcomes.csv"])
        .current_dir(s.dir.path())
        .output()
        .unwrap();
    assert!(
        importer.status.success(),
        "{}",
        String::from_utf8_lossy(&importer.stderr)
    );
    for writer in writers {
        let failures = writer.join().unwrap();
        assert!(
            failures.is_empty(),
            "{} logs failed, e.g. {}",
            failures.len(),
            failures[0]
        );
    }
    let events = csv_rows(&s.stdout(&["history", "--format", "csv"]));
    assert_eq!(events.len() - 1, 8 * 200 + 500, "every event is there");
    let mut pairs: Vec<&str> = events[1..].iter().map(|r| r[2].as_str()).collect();
    pairs.sort();
    pairs.dedup();
    assert_eq!(pairs.len(), 8 * 200 + 500, "and each once");
    assert_eq!(
        tally_row(&s, &[])[..2],
        ["2100", "2100"],
        "the tally agrees with the events"
    );
    s.run(&["check"]).success();
}

/// Starts `motions ARGS` and kills it (SIGKILL) once `ready` says it is under way.
fn kill_part_way(s: &Scratch, args: &[&str], ready: impl Fn() -> bool) {
    let mut child = Command::new(assert_cmd::cargo::cargo_bin!("motions"))
        .arg("--db")
        .arg(&s.db)
        .args(args)
        .current_dir(s.dir.path())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let start = Instant::now();
    while !ready() && start.elapsed() < Duration::from_secs(20) {
        std::thread::sleep(Duration::from_millis(2));
    }
    child.kill().unwrap();
    child.wait().unwrap();
}

fn integrity(s: &Scratch) -> String {
    let conn = rusqlite::Connection::open(&s.db).unwrap();
    conn.query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap()
}

#[test]
fn a_killed_import_leaves_all_or_nothing() {
    let s = Scratch::new();
    s.run(&["motion", "add", "m", "--title", "Crash"]).success();
    let mut orgs = String::from("name,kind\n");
    for i in 0..500 {
        orgs.push_str(&format!("Org {i},other\n"));
    }
    fs::write(s.dir.path().join("orgs.csv"), orgs).unwrap();
    s.run(&["import", "orgs", "orgs.csv"]).success();
    let mut outcomes = String::from("organisation,status,meeting_date\n");
    for i in 0..100_000 {
        outcomes.push_str(&format!(
            "Org {},moved,2019-{:02}-{:02}\n",
            i % 500,
            1 + (i / 500) % 12,
            1 + (i / 6000) % 28
        ));
    }
    fs::write(s.dir.path().join("big.csv"), outcomes).unwrap();
    let events = |s: &Scratch| csv_rows(&s.stdout(&["history", "--format", "csv"])).len() - 1;
    // Killed while reading and checking rows: nothing of it is written.
    let started = Instant::now();
    kill_part_way(&s, &["import", "outcomes", "big.csv"], || {
        started.elapsed() >= Duration::from_millis(300)
    });
    assert_eq!(integrity(&s), "ok");
    assert_eq!(events(&s), 0);
    // Killed while committing, once it has begun to write pages into the write-ahead log.
    let wal = s.db.with_extension("db-wal");
    let before = fs::metadata(&wal).map(|m| m.len()).unwrap_or(0);
    kill_part_way(&s, &["import", "outcomes", "big.csv"], || {
        fs::metadata(&wal).map(|m| m.len()).unwrap_or(0) > before + 1_000_000
    });
    assert_eq!(integrity(&s), "ok");
    let count = events(&s);
    assert!(
        count == 0 || count == 100_000,
        "{count} events: part of an import survived"
    );
    s.run(&["check"]).success();
    s.run(&["import", "outcomes", "big.csv"]).success();
}

#[test]
fn a_killed_log_leaves_the_event_whole_or_absent() {
    let s = Scratch::demo();
    for (i, delay) in [0u64, 1, 2, 3, 5, 8].into_iter().enumerate() {
        let note = format!("attempt {i}");
        let started = Instant::now();
        kill_part_way(
            &s,
            &[
                "log",
                "Holby CLP",
                "moved",
                "--date",
                &format!("2019-03-{:02}", i + 1),
                "--note",
                &note,
            ],
            || started.elapsed() >= Duration::from_millis(delay),
        );
        assert_eq!(integrity(&s), "ok");
    }
    s.run(&["check"]).success();
    let rows = csv_rows(&s.stdout(&["history", "--org", "Holby CLP", "--format", "csv"]));
    assert!(
        rows[1..].iter().all(|r| r[10].starts_with("attempt")),
        "whole events only"
    );
}

#[test]
fn text_that_looks_like_sql_or_html_is_kept_as_written() {
    let s = Scratch::demo();
    let hostile = [
        "Robert'); DROP TABLE org;-- Branch",
        "<b>Bold</b> & \"Quotes\" Branch",
        "%s %n {0} $(rm -rf) Branch",
    ];
    for name in hostile {
        s.run(&[
            "log",
            "--kind",
            "other",
            "--date",
            "2019-03-01",
            "--note",
            "x'; DELETE FROM outcome; --",
            "--",
            name,
            "passed",
        ])
        .success();
    }
    let rows = csv_rows(&s.stdout(&["status", "--kind", "other", "--format", "csv"]));
    for name in hostile {
        assert!(
            rows.iter().any(|r| r[0] == name),
            "{name} is stored as written"
        );
    }
    assert_eq!(
        tally_row(&s, &[])[0],
        "43",
        "nothing was dropped or deleted"
    );
    s.run(&["check"]).success();
}

mod hostile_files {
    use proptest::prelude::*;

    use crate::util::{Scratch, dump};

    proptest! {
        #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

        #[test]
        fn any_file_is_imported_or_refused_with_nothing_written(
            body in proptest::collection::vec(any::<u8>(), 0..300),
            header in prop_oneof![Just(""), Just("organisation,status,meeting_date\n"), Just("name,kind\n")],
        ) {
            let s = Scratch::demo();
            let mut bytes = header.as_bytes().to_vec();
            bytes.extend(body);
            std::fs::write(s.dir.path().join("f.csv"), &bytes).unwrap();
            for what in ["outcomes", "orgs", "motions"] {
                let before = dump(&s.db);
                let out = s.cmd(&["import", what, "f.csv"]).output().unwrap();
                let code = out.status.code();
                prop_assert!(code == Some(0) || code == Some(1), "exit {code:?}: {}", String::from_utf8_lossy(&out.stderr));
                if code == Some(1) {
                    prop_assert_eq!(dump(&s.db), before);
                }
            }
        }
    }
}
