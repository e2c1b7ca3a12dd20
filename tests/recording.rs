//! Recording motions, organisations and outcomes, and what each write says it did.

use predicates::str::contains;

use crate::util::{Campaign, Scratch, TODAY, YESTERDAY, csv_rows};

/// The demo campaign's motion, as the campaign issued it.
fn with_motion() -> Campaign {
    Campaign::new().motion_with(
        "venezuela-coup",
        "Oppose the attempted coup in Venezuela",
        &[
            ("issued_on", "24/01/2019"),
            ("issued_by", "Sample Solidarity Campaign"),
        ],
    )
}

/// The motion and one CLP.
fn with_ashby() -> Scratch {
    with_motion().org("Ashby CLP", "clp", None).build()
}

#[test]
fn log_says_what_it_recorded() {
    let s = Scratch::new();
    s.run(&[
        "motion",
        "add",
        "venezuela-coup",
        "--title",
        "Oppose the attempted coup in Venezuela",
        "--issued-on",
        "24/01/2019",
        "--issued-by",
        "Sample Solidarity Campaign",
    ])
    .success()
    .stderr("Added motion venezuela-coup: Oppose the attempted coup in Venezuela\n");
    s.run(&[
        "org",
        "add",
        "Ashby CLP",
        "--kind",
        "Constituency Labour Party",
        "--region",
        "East Midlands",
    ])
    .success()
    .stderr("Registered Ashby CLP (clp, East Midlands)\n");
    s.run(&[
        "log",
        "ashby clp",
        "Carried",
        "--date",
        "04/02/2019",
        "--for",
        "34",
        "--against",
        "3",
    ])
    .success()
    .stdout("")
    .stderr("Recorded: Ashby CLP passed venezuela-coup on 2019-02-04 (event 1)\n");
    s.run(&["log", "Ashby CLP", "passed", "--date", "2019-02-04T19:30:00"])
        .success()
        .stderr("Already recorded: Ashby CLP passed venezuela-coup on 2019-02-04 (event 1); nothing added\n");
    let rows = csv_rows(&s.stdout(&["history", "--format", "csv"]));
    assert_eq!(rows.len(), 2, "one event, once");
    assert_eq!(
        &rows[1][..8],
        [
            "1",
            "venezuela-coup",
            "Ashby CLP",
            "passed",
            "2019-02-04",
            "34",
            "3",
            ""
        ]
    );
}

#[test]
fn log_with_kind_registers_a_new_org() {
    let s = with_motion().build();
    s.run(&[
        "log",
        "Walford Momentum",
        "passed",
        "--date",
        "2019-01-27",
        "--kind",
        "momentum",
        "--region",
        "London",
        "--by",
        "Sam Sample",
        "--source",
        "https://example.org/minutes",
        "--note",
        "unanimous",
    ])
    .success()
    .stderr(contains(
        "Registered Walford Momentum (momentum-group, London)",
    ))
    .stderr(contains(
        "Recorded: Walford Momentum passed venezuela-coup on 2019-01-27 (event 1)",
    ));
    let rows = csv_rows(&s.stdout(&["org", "list", "--format", "csv"]));
    assert_eq!(
        rows[0],
        ["name", "kind", "region", "union", "parent", "code"]
    );
    assert_eq!(
        rows[1],
        ["Walford Momentum", "momentum-group", "London", "", "", ""]
    );
    let history = csv_rows(&s.stdout(&["history", "--format", "csv"]));
    assert_eq!(
        &history[1][8..11],
        ["Sam Sample", "https://example.org/minutes", "unanimous"]
    );
}

#[test]
fn date_defaults_to_today_and_accepts_words() {
    let s = with_ashby();
    s.log(&["Ashby CLP", "moved"]);
    s.log(&["Ashby CLP", "deferred", "--date", "yesterday"]);
    s.log(&["Ashby CLP", "referred", "--date", "Today"]);
    let rows = csv_rows(&s.stdout(&["history", "--format", "csv"]));
    let dates: Vec<&str> = rows[1..].iter().map(|r| r[4].as_str()).collect();
    assert_eq!(dates, [YESTERDAY, TODAY, TODAY]);
}

#[test]
fn without_a_fixed_day_today_is_the_real_date() {
    let s = with_ashby();
    let before = chrono::Local::now().date_naive();
    s.cmd(&["log", "Ashby CLP", "moved"])
        .env_remove("MOTIONS_TODAY")
        .assert()
        .success();
    let after = chrono::Local::now().date_naive();
    let rows = csv_rows(&s.stdout(&["history", "--format", "csv"]));
    let date: chrono::NaiveDate = rows[1][4].parse().unwrap();
    // The command ran between the two readings of the clock, which may straddle midnight.
    assert!(
        (before..=after).contains(&date),
        "{date} is not between {before} and {after}"
    );
}

#[test]
fn the_only_motion_needs_no_flag_and_others_are_chosen_by_slug() {
    let s = with_ashby();
    s.log(&["Ashby CLP", "passed", "--date", "2019-02-04"]);
    s.run(&["motion", "add", "nhs-2019", "--title", "Save our NHS"])
        .success();
    s.log(&[
        "Ashby CLP",
        "rejected",
        "--date",
        "2019-03-04",
        "--motion",
        "nhs-2019",
    ]);
    let rows = csv_rows(&s.stdout(&["motion", "list", "--format", "csv"]));
    assert_eq!(
        rows[0],
        [
            "slug",
            "title",
            "issued_by",
            "issued_on",
            "deadline",
            "registered",
            "passed",
            "amended",
            "rejected",
            "pending",
            "dropped",
            "not_moved",
            "latest_event"
        ]
    );
    assert_eq!(rows[1][0], "venezuela-coup");
    assert_eq!(
        &rows[1][5..],
        ["1", "1", "0", "0", "0", "0", "0", "2019-02-04"]
    );
    assert_eq!(rows[2][0], "nhs-2019");
    assert_eq!(
        &rows[2][5..],
        ["1", "0", "0", "1", "0", "0", "0", "2019-03-04"]
    );
}

#[test]
fn motion_text_comes_from_a_file_or_standard_input() {
    let s = Scratch::new();
    std::fs::write(
        s.dir.path().join("motion.txt"),
        "This branch notes...\n\nIt resolves...\n",
    )
    .unwrap();
    s.run(&[
        "motion",
        "add",
        "a",
        "--title",
        "A",
        "--text-file",
        "motion.txt",
    ])
    .success();
    s.cmd(&["motion", "add", "b", "--title", "B", "--text-file", "-"])
        .write_stdin("From standard input.")
        .assert()
        .success();
    let json: serde_json::Value =
        serde_json::from_str(&s.stdout(&["motion", "show", "a", "--format", "json"])).unwrap();
    assert_eq!(json[0]["text"], "This branch notes...\n\nIt resolves...");
    let json: serde_json::Value =
        serde_json::from_str(&s.stdout(&["motion", "show", "b", "--format", "json"])).unwrap();
    assert_eq!(json[0]["text"], "From standard input.");
    assert_eq!(json[0]["not_moved"], 0);
    assert_eq!(json[0]["issued_on"], serde_json::Value::Null);
}

#[test]
fn log_points_out_what_looks_wrong() {
    let s = with_ashby();
    s.run(&[
        "log",
        "Ashby CLP",
        "passed",
        "--date",
        "2019-02-04",
        "--for",
        "2",
        "--against",
        "10",
    ])
    .success()
    .stderr(contains(
        "Note: it was passed with 2 for and 10 against; check the status and the votes",
    ));
    s.run(&["log", "Ashby CLP", "passed", "--date", "2019-02-04", "--for", "12", "--against", "1", "--source", "minutes"])
        .success()
        .stderr(contains("Already recorded"))
        .stderr(contains("Note: event 1 has different details (votes for 2 there, 12 here; against 10 there, 1 here; source differs); they were not changed"));
    s.run(&["log", "Ashby CLP", "moved", "--date", "2019-02-04"])
        .success()
        .stderr(contains("Note: this is now the current status, replacing \"passed\" (event 1), because it was recorded later for the same date"));
    s.run(&["log", "Ashby CLP", "deferred", "--date", "2018-12-01"])
        .success()
        .stderr(contains("Note: the meeting (2018-12-01) was before the motion was issued (2019-01-24); check the date"));
}

#[test]
fn a_later_plan_that_still_stands_is_pointed_out() {
    let s = with_ashby();
    s.log(&["Ashby CLP", "planned", "--date", "2999-01-01"]);
    s.run(&["log", "Ashby CLP", "passed", "--date", "2019-02-04"])
        .success()
        .stderr(contains("Note: the meeting planned for 2999-01-01 (event 1) stays the current status until then; if it will not happen, retract it: motions outcome retract 1"));
    s.run(&[
        "outcome",
        "retract",
        "1",
        "--reason",
        "the meeting was brought forward",
    ])
    .success();
    let rows = csv_rows(&s.stdout(&["status", "--format", "csv"]));
    assert_eq!(rows[1][6], "passed");
}
