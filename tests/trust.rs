//! Trustworthy records: corrections that keep history, many writers at once, crashes that
//! lose nothing committed, checks, backups, and erasing a person's name.

use std::fs;
use std::io::Write as _;
use std::os::unix::process::ExitStatusExt as _;
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use predicates::str::contains;

use crate::util::{Campaign, Scratch, csv_rows, motions};

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
    let mut campaign = Campaign::new().motion("m", "Many writers");
    let mut outcomes = String::from("organisation,status,meeting_date\n");
    for i in 0..500 {
        campaign = campaign.org(&format!("Imported Branch {i}"), "branch", None);
        outcomes.push_str(&format!("Imported Branch {i},passed,2019-02-04\n"));
    }
    let s = campaign.build();
    fs::write(s.dir.path().join("outcomes.csv"), outcomes).unwrap();

    let mut writers = Vec::new();
    for p in 0..8 {
        let db = s.db.clone();
        writers.push(std::thread::spawn(move || {
            let mut failures = Vec::new();
            for i in 0..200 {
                let org = format!("Writer {p} Branch {i}");
                let out = motions()
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
    let importer = s
        .command(&["import", "outcomes", "outcomes.csv"])
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

/// How a process a crash test started came to an end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ended {
    /// Our SIGKILL ended it, after it was under way and before it finished.
    Killed,
    /// It finished on its own before the kill reached it: nothing was tested.
    Finished,
}

/// Waits for `child` to end after a SIGKILL, and says whether the kill is what ended it.
fn kill(mut child: Child) -> Ended {
    let _ = child.kill();
    let status = child.wait().unwrap();
    match status.signal() {
        Some(libc::SIGKILL) => Ended::Killed,
        _ => {
            assert!(status.success(), "it failed on its own: {status}");
            Ended::Finished
        }
    }
}

/// Starts `motions ARGS`, waits until `ready` says it is under way, and kills it (SIGKILL).
fn kill_part_way(s: &Scratch, args: &[&str], ready: impl Fn() -> bool) -> Ended {
    let mut child = s
        .command(args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let start = Instant::now();
    // A bounded poll for the condition: each turn looks again, and the kill follows as soon as
    // it holds (or the process has ended by itself, which `kill` reports).
    while !ready() && child.try_wait().unwrap().is_none() {
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "motions {args:?} never got under way"
        );
        std::thread::sleep(Duration::from_micros(200));
    }
    kill(child)
}

fn integrity(s: &Scratch) -> String {
    let conn = rusqlite::Connection::open(&s.db).unwrap();
    conn.query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap()
}

/// One motion, 500 organisations, and beside them `big.csv`: 100,000 outcomes for them.
fn crash_campaign() -> Scratch {
    let mut campaign = Campaign::new().motion("m", "Crash");
    for i in 0..500 {
        campaign = campaign.org(&format!("Org {i}"), "other", None);
    }
    let s = campaign.build();
    fs::write(s.dir.path().join("big.csv"), big_csv()).unwrap();
    s
}

/// 200 meetings of each of the 500 organisations, on 200 days from 1 January 2018.
fn big_csv() -> String {
    let first = chrono::NaiveDate::from_ymd_opt(2018, 1, 1).unwrap();
    let mut outcomes = String::from("organisation,status,meeting_date\n");
    for i in 0..100_000 {
        let date = first + chrono::Duration::days(i / 500);
        outcomes.push_str(&format!("Org {},moved,{date}\n", i % 500));
    }
    outcomes
}

/// The number of events recorded.
fn events(s: &Scratch) -> usize {
    csv_rows(&s.stdout(&["history", "--format", "csv"])).len() - 1
}

/// What was there before a crash is there after it: the file is a sound database, `check`
/// finds nothing wrong, and the motion and the 500 organisations are all still registered.
fn assert_survived(s: &Scratch) {
    assert_eq!(integrity(s), "ok");
    s.run(&["check"]).success();
    let orgs = csv_rows(&s.stdout(&["org", "list", "--format", "csv"]));
    assert_eq!(orgs.len() - 1, 500, "the registry survived");
    assert!(orgs[1..].iter().all(|r| r[0].starts_with("Org ")));
    let motions = csv_rows(&s.stdout(&["motion", "list", "--format", "csv"]));
    assert_eq!(motions[1][0], "m", "the motion survived");
}

#[test]
fn a_killed_import_leaves_all_or_nothing() {
    let s = crash_campaign();
    // Killed while reading and checking rows. The rows come through a pipe that is never
    // closed, so the import cannot reach its end: once more has been written than the pipe and
    // the reader's buffers hold, it is reading rows inside its transaction, and still running.
    let mut child = s
        .command(&["import", "outcomes", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let rows = big_csv();
    let half = rows[..rows.len() / 2].rfind('\n').unwrap() + 1;
    assert!(half > 1_000_000, "more than the buffers hold");
    child
        .stdin
        .as_mut()
        .unwrap()
        .write_all(&rows.as_bytes()[..half])
        .unwrap();
    assert!(
        child.try_wait().unwrap().is_none(),
        "the import is still reading"
    );
    assert_eq!(kill(child), Ended::Killed);
    assert_survived(&s);
    assert_eq!(events(&s), 0, "nothing of the import was written");

    // Killed while committing, once it has begun to write pages into the write-ahead log. The
    // commit takes a few milliseconds; should the import finish before the kill lands, it is
    // tried again on a new database, a few times at most.
    let mut s = s;
    for attempt in 1.. {
        let wal = s.db.with_extension("db-wal");
        let before = fs::metadata(&wal).map(|m| m.len()).unwrap_or(0);
        let ended = kill_part_way(&s, &["import", "outcomes", "big.csv"], || {
            fs::metadata(&wal).map(|m| m.len()).unwrap_or(0) > before + 1_000_000
        });
        if ended == Ended::Killed {
            break;
        }
        assert!(
            attempt < 5,
            "every import finished before it could be killed"
        );
        s = crash_campaign();
    }
    assert_survived(&s);
    let count = events(&s);
    assert!(
        count == 0 || count == 100_000,
        "{count} events: part of an import survived"
    );
    s.run(&["import", "outcomes", "big.csv"]).success();
    assert_eq!(events(&s), 100_000);
}

#[test]
fn a_killed_log_leaves_the_event_whole_or_absent() {
    let s = Scratch::demo();
    let demo_events = || {
        let rows = csv_rows(&s.stdout(&["history", "--all", "--format", "csv"]));
        rows.into_iter()
            .filter(|r| r[0].parse::<u32>().is_ok_and(|id| id <= 40))
            .collect::<Vec<_>>()
    };
    let before = demo_events();
    assert_eq!(before.len(), 40);
    // The write-ahead log exists from the moment a process opens the database until the last
    // one closes it: a log file that appears means the new process has the database open.
    let wal = s.db.with_extension("db-wal");
    let mut killed = 0;
    for (i, delay_us) in [0u64, 0, 500, 1_000, 2_000, 4_000, 8_000]
        .into_iter()
        .enumerate()
    {
        assert_eq!(integrity(&s), "ok");
        assert!(!wal.exists(), "no process has the database open");
        let note = format!("attempt {i}");
        let date = format!("2019-03-{:02}", i + 1);
        let opened = std::cell::Cell::new(None);
        let ended = kill_part_way(
            &s,
            &[
                "log",
                "Holby CLP",
                "moved",
                "--date",
                &date,
                "--note",
                &note,
            ],
            // Kill points spread over the write, from the moment the database is open.
            || {
                let at = opened.get().or_else(|| wal.exists().then(Instant::now));
                opened.set(at);
                at.is_some_and(|at| at.elapsed() >= Duration::from_micros(delay_us))
            },
        );
        let rows = csv_rows(&s.stdout(&["history", "--org", "Holby CLP", "--format", "csv"]));
        let mine = rows[1..].iter().filter(|r| r[10] == note).count();
        match ended {
            Ended::Killed => killed += 1,
            Ended::Finished => assert_eq!(mine, 1, "a log that finished recorded its event"),
        }
        assert!(mine <= 1);
    }
    // Every event that survived is whole: each field as its log gave it.
    let rows = csv_rows(&s.stdout(&["history", "--org", "Holby CLP", "--format", "csv"]));
    for row in &rows[1..] {
        let i: u32 = row[10].strip_prefix("attempt ").unwrap().parse().unwrap();
        let date = format!("2019-03-{:02}", i + 1);
        assert_eq!(
            row[1..5],
            ["venezuela-coup", "Holby CLP", "moved", date.as_str()]
        );
    }
    assert!(killed > 0, "no log was killed part-way: nothing was tested");
    assert_eq!(integrity(&s), "ok");
    s.run(&["check"]).success();
    assert_eq!(
        demo_events(),
        before,
        "the events before the crashes survived"
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
