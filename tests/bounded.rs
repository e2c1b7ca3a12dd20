//! Long reports come out whole in every format, and a timeline too long to show is refused with
//! the way to a shorter one. (Memory itself is measured on the generated campaign, not here.)

use std::fmt::Write as _;

use crate::util::{Scratch, csv_rows};

/// More rows than a table or Markdown report holds in memory (10,000), so they go through the
/// temporary file and the table is drawn in pieces.
const EVENTS: usize = 10_200;
const ORGS: usize = 60;

/// A campaign of one motion, 60 branches and 10,200 events, imported from CSV.
fn long_campaign() -> Scratch {
    let s = Scratch::new();
    let folder = s.dir.path();
    std::fs::write(
        folder.join("motions.csv"),
        "slug,title\nlong-motion,A motion with a long history\n",
    )
    .unwrap();
    let mut orgs = String::from("name,kind\n");
    for org in 0..ORGS {
        writeln!(orgs, "Ashby Ward {org} Branch,labour-branch").unwrap();
    }
    std::fs::write(folder.join("orgs.csv"), orgs).unwrap();
    let mut outcomes = String::from("motion,organisation,status,meeting_date,votes_for,notes\n");
    let start = chrono::NaiveDate::from_ymd_opt(2000, 1, 1).unwrap();
    for i in 0..EVENTS {
        let date = start + chrono::Duration::days((i / ORGS) as i64);
        let votes = if i % 3 == 0 {
            (i % 120).to_string()
        } else {
            String::new()
        };
        let notes = "deferred again ".repeat(i % 4);
        writeln!(
            outcomes,
            "long-motion,Ashby Ward {} Branch,deferred,{date},{votes},{}",
            i % ORGS,
            notes.trim_end()
        )
        .unwrap();
    }
    std::fs::write(folder.join("outcomes.csv"), outcomes).unwrap();
    for what in ["motions", "orgs", "outcomes"] {
        let file = format!("{what}.csv");
        s.run(&["import", what, &file]).success();
    }
    s
}

#[test]
fn a_long_history_comes_out_whole_in_every_format() {
    let s = long_campaign();

    // A table: one table, its heading once, every row on one line in order, every line as
    // wide as the others, and the column nobody filled in (source) left out.
    let table = s.stdout(&["history"]);
    let lines: Vec<&str> = table.lines().collect();
    assert_eq!(lines.len(), EVENTS + 4, "heading, rules and one line a row");
    for (corner, count) in [('╭', 1), ('╞', 1), ('╰', 1)] {
        let found = lines.iter().filter(|l| l.starts_with(corner)).count();
        assert_eq!(found, count, "lines starting with {corner}");
    }
    assert!(lines[1].contains("Notes") && !lines[1].contains("Source"));
    let width = lines[0].chars().count();
    assert!(lines.iter().all(|line| line.chars().count() == width));
    let ids: Vec<usize> = lines[3..lines.len() - 1]
        .iter()
        .map(|line| {
            let id = line.trim_start_matches('│').split('┆').next().unwrap();
            id.trim().parse().unwrap()
        })
        .collect();
    assert_eq!(ids, (1..=EVENTS).collect::<Vec<_>>());
    s.run(&["history", "-o", "history.txt"]).success();
    let file = std::fs::read_to_string(s.dir.path().join("history.txt")).unwrap();
    assert_eq!(file, table, "the file holds what the terminal would show");

    // Markdown: the heading, its rule (ids and votes aligned right), a line a row.
    let markdown = s.stdout(&["history", "--format", "markdown"]);
    let lines: Vec<&str> = markdown.lines().collect();
    assert_eq!(lines.len(), EVENTS + 2);
    assert!(lines[1].starts_with("| ---: | --- |"), "{}", lines[1]);
    assert!(lines[EVENTS + 1].starts_with(&format!("| {EVENTS} | long-motion |")));

    // CSV and JSON: every event, every column.
    let rows = csv_rows(&s.stdout(&["history", "--format", "csv"]));
    assert_eq!(rows.len(), EVENTS + 1);
    assert_eq!(rows[0].len(), 12);
    assert_eq!(rows[EVENTS][0], EVENTS.to_string());
    let json: serde_json::Value =
        serde_json::from_str(&s.stdout(&["history", "--all", "--format", "json"])).unwrap();
    let events = json.as_array().unwrap();
    assert_eq!(events.len(), EVENTS);
    assert_eq!(events[EVENTS - 1]["id"], EVENTS as u64);
    assert_eq!(events[0]["votes_for"], 0);
    assert_eq!(events[1]["votes_for"], serde_json::Value::Null);
    assert_eq!(events[0]["retraction_reason"], serde_json::Value::Null);
}

#[test]
fn a_long_status_and_registry_keep_their_rows() {
    let s = long_campaign();
    let status = s.stdout(&["status", "--format", "csv"]);
    assert_eq!(csv_rows(&status).len(), ORGS + 1);
    let registry = s.stdout(&["org", "list"]);
    assert_eq!(registry.lines().count(), ORGS + 4);
}

#[test]
fn a_timeline_of_more_than_a_thousand_periods_is_refused() {
    let s = Scratch::demo();
    let err = s.fails(&["timeline", "--since", "0001-01-01"]);
    assert!(
        err.contains("from 0001-01-01 to 2019-03-14 would have 105,305 weeks, more than the 1,000"),
        "{err}"
    );
    assert!(
        err.contains("start at the motion's first event with --since 2019-01-27"),
        "{err}"
    );
    let err = s.fails(&["timeline", "--until", "9999-12-31"]);
    assert!(
        err.contains("end at its last event with --until 2019-"),
        "{err}"
    );
    let err = s.fails(&["timeline", "--since", "1980-01-01", "--until", "2019-02-01"]);
    assert!(err.contains("count months with --every month"), "{err}");
    let err = s.fails(&[
        "timeline",
        "--since",
        "1900-01-01",
        "--until",
        "1990-01-01",
        "--every",
        "month",
    ]);
    assert!(
        err.contains("1,081 months") && err.contains("start later, at --since 1906-10-01"),
        "{err}"
    );

    // What the messages suggest works.
    let months = csv_rows(&s.stdout(&[
        "timeline",
        "--since",
        "1980-01-01",
        "--until",
        "2019-02-01",
        "--every",
        "month",
        "--format",
        "csv",
    ]));
    assert_eq!(months.len(), 1 + 39 * 12 + 2);
    assert_eq!(months[1][0], "1980-01-01");
    // A report as of a day far ahead charts the last thousand weeks, not every week to then.
    s.run(&["report", "--as-of", "9999-12-31", "-o", "far.html"])
        .success();
}
