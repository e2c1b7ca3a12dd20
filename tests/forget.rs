//! `motions forget`: the whole name and only the whole name, in every field that can hold it,
//! shown before it is erased, and gone from the file itself, or an error saying it may not be.

use std::fs;

use predicates::str::contains;
use rusqlite::Connection;

use crate::util::{Campaign, Scratch, csv_rows, dump};

/// The bytes of the database file and its write-ahead log, as lower-case text.
fn raw(s: &Scratch) -> String {
    let mut bytes = fs::read(&s.db).unwrap();
    bytes.extend(fs::read(s.db.with_extension("db-wal")).unwrap_or_default());
    String::from_utf8_lossy(&bytes).to_lowercase()
}

/// Column `column` of the events with ids `ids`, in that order.
fn history(s: &Scratch, column: &str, ids: std::ops::RangeInclusive<u32>) -> Vec<String> {
    let rows = csv_rows(&s.stdout(&["history", "--all", "--format", "csv"]));
    let at = rows[0].iter().position(|h| h == column).unwrap();
    ids.map(|id| {
        let row = rows.iter().find(|r| r[0] == id.to_string()).unwrap();
        row[at].clone()
    })
    .collect()
}

/// Every text stored in the database, one a line, each after its table's name.
fn texts(s: &Scratch) -> String {
    let conn = Connection::open(&s.db).unwrap();
    let mut all = String::new();
    for table in ["motion", "org", "org_name", "outcome", "standing"] {
        let mut stmt = conn.prepare(&format!("SELECT * FROM {table}")).unwrap();
        let columns = stmt.column_count();
        let mut rows = stmt.query([]).unwrap();
        while let Some(row) = rows.next().unwrap() {
            for i in 0..columns {
                if let Ok(text) = row.get::<_, String>(i) {
                    all.push_str(&format!("{table}: {text}\n"));
                }
            }
        }
    }
    all
}

fn stderr(assert: assert_cmd::assert::Assert) -> String {
    String::from_utf8(assert.get_output().stderr.clone()).unwrap()
}

#[test]
fn only_the_whole_name_is_erased() {
    let s = Scratch::demo();
    s.log(&[
        "Holby CLP",
        "passed",
        "--date",
        "2019-03-01",
        "--by",
        "Lee Hall",
        "--note",
        "Kathleen and Lee met at the Leeds meeting; LEE's idea",
    ]);
    s.log(&[
        "Ashby CLP",
        "passed",
        "--date",
        "2019-03-01",
        "--by",
        "Kathleen Smith",
        "--note",
        "Lee-Anne spoke; Ashleigh seconded",
        "--source",
        "minutes (lee)",
    ]);
    s.run(&["forget", "Lee", "--yes"])
        .success()
        .stderr(contains(
            "Erased \"Lee\": replaced it with \"[name removed]\" in 2 fields of 2 records",
        ));
    assert_eq!(
        history(&s, "reported_by", 41..=42),
        ["Lee Hall", "Kathleen Smith"],
        "Lee Hall is another person"
    );
    assert_eq!(
        history(&s, "notes", 41..=42),
        [
            "Kathleen and [name removed] met at the Leeds meeting; [name removed]'s idea",
            "Lee-Anne spoke; Ashleigh seconded"
        ]
    );
    assert_eq!(history(&s, "source", 42..=42), ["minutes ([name removed])"]);
    // The demo's own notes are untouched.
    assert_eq!(
        history(&s, "notes", 2..=2),
        ["not reached; carried over to February"]
    );
    s.run(&["check"]).success();
}

#[test]
fn a_name_of_fewer_than_three_letters_is_refused() {
    let s = Scratch::demo();
    for short in ["e", "Jo", "J. B.", "  ", "Lé"] {
        let err = s.fails(&["forget", short, "--yes"]);
        assert!(
            err.contains("fewer than 3 letters") || err.contains("give the name"),
            "{short}: {err}"
        );
    }
    let err = s.fails(&["forget", "Removed", "--yes"]);
    assert!(err.contains("part of \"[name removed]\""), "{err}");
}

#[test]
fn case_accents_spacing_and_invisible_characters_do_not_hide_a_name() {
    let s = Scratch::demo();
    for (day, note) in [
        "ZOË  ÄRMSTRONG spoke",
        "zoe\narmstrong seconded",
        "Zo\u{ad}ë Ärm\u{200b}strong\u{feff} agreed",
        "thanks to Zoe\u{200d} Armstrong's branch",
        "Zoe Armstrongs and Zoe-Armstrong are others",
    ]
    .iter()
    .enumerate()
    {
        let date = format!("2019-03-0{}", day + 1);
        s.log(&["Holby CLP", "moved", "--date", &date, "--note", note]);
    }
    s.run(&["forget", "zoe armstrong", "--yes"]).success();
    assert_eq!(
        history(&s, "notes", 41..=45),
        [
            "[name removed] spoke",
            "[name removed] seconded",
            "[name removed]\u{feff} agreed",
            "thanks to [name removed]'s branch",
            "Zoe Armstrongs and Zoe-Armstrong are others",
        ]
    );
}

#[test]
fn every_field_that_can_hold_a_name_is_covered() {
    let s = Campaign::new()
        .motion_with(
            "quistclose-motion",
            "The Zebedee Quistclose motion",
            &[
                ("issued_by", "Zebedee Quistclose"),
                ("text", "Moved by Zebedee Quistclose of the branch."),
            ],
        )
        .org("Ashby CLP", "clp", Some("Zebedee Quistclose's patch"))
        .org_with(
            "Zebedee Quistclose Branch",
            "labour-branch",
            &[("code", "Zebedee Quistclose/1")],
        )
        .outcome_with(
            "Ashby CLP",
            "passed",
            "2019-03-01",
            &[("reported_by", "Zebedee Quistclose")],
        )
        .build();
    s.run(&["org", "alias", "Ashby CLP", "Zebedee Quistclose CLP"])
        .success();
    s.run(&[
        "outcome",
        "retract",
        "1",
        "--reason",
        "Zebedee Quistclose logged it twice",
    ])
    .success();

    let listed = s.stdout(&["forget", "Zebedee Quistclose", "--dry-run"]);
    for line in [
        "event 1, reported by: \"[name removed]\"",
        "event 1, reason for retraction: \"[name removed] logged it twice\"",
        "motion 1 (quistclose-motion), title: \"The [name removed] motion\"",
        "motion 1 (quistclose-motion), text: \"Moved by [name removed] of the branch.\"",
        "motion 1 (quistclose-motion), issued by: \"[name removed]\"",
        "organisation 1 (Ashby CLP), region: \"[name removed]'s patch\"",
        "organisation 1 (Ashby CLP), alias: removed",
    ] {
        assert!(listed.contains(line), "{line} is not in\n{listed}");
    }

    let err = stderr(s.run(&["forget", "Zebedee Quistclose", "--yes"]).success());
    assert!(
        err.contains(
            "organisation 2 \"Zebedee Quistclose Branch\" is named after them: rename it with \
             motions org rename 'Zebedee Quistclose Branch' 'NEW NAME'"
        ),
        "{err}"
    );
    assert!(
        err.contains("has it in its code \"Zebedee Quistclose/1\""),
        "{err}"
    );
    assert!(
        !err.contains("slug"),
        "the slug spells only part of the name: {err}"
    );
    let records = texts(&s);
    let left: Vec<&str> = records
        .lines()
        .filter(|l| l.to_lowercase().contains("zebedee"))
        .collect();
    assert_eq!(
        left,
        [
            "org: Zebedee Quistclose Branch",
            "org: Zebedee Quistclose/1",
            "org_name: zebedee quistclose branch",
            "org_name: Zebedee Quistclose Branch",
        ],
        "only the organisation's name, its lookup entry and its code keep it"
    );

    // The user renames what identifies the organisation, and forgets again.
    s.run(&[
        "org",
        "rename",
        "Zebedee Quistclose Branch",
        "Ashby North Ward Branch",
    ])
    .success();
    s.run(&[
        "org",
        "edit",
        "Ashby North Ward Branch",
        "--code",
        "E05000001",
    ])
    .success();
    s.run(&["forget", "Zebedee Quistclose", "--yes"])
        .success()
        .stderr(contains("removed 1 alias"))
        .stderr(contains("\"Zebedee Quistclose\" is no longer in it"));
    assert!(!texts(&s).to_lowercase().contains("zebedee"));
    assert!(!raw(&s).contains("zebedee"), "gone from the file itself");
    s.run(&["check"]).success();
}

#[test]
fn a_slug_that_spells_the_name_is_listed() {
    let s = Campaign::new()
        .motion("motion-of-zebedee-quistclose", "A motion")
        .build();
    s.run(&["forget", "Zebedee Quistclose", "--yes"])
        .success()
        .stderr(contains(
            "motion 1's slug \"motion-of-zebedee-quistclose\" spells it: change it with \
             motions motion edit motion-of-zebedee-quistclose --slug NEW-SLUG",
        ));
}

#[test]
fn dry_run_lists_ids_and_fields_and_changes_nothing() {
    let s = Scratch::demo();
    s.log(&[
        "Holby CLP",
        "passed",
        "--date",
        "2019-03-01",
        "--by",
        "Sam Sample",
    ]);
    let before = dump(&s.db);
    let assert = s.run(&["forget", "sam sample", "--dry-run"]).success();
    let out = String::from_utf8(assert.get_output().stdout.clone()).unwrap();
    assert_eq!(out, "event 41, reported by: \"[name removed]\"\n");
    assert!(stderr(assert).contains("nothing changed (--dry-run)"));
    assert_eq!(dump(&s.db), before);
    assert!(raw(&s).contains("sam sample"));
}

#[test]
fn off_a_terminal_forget_needs_yes() {
    let s = Scratch::demo();
    s.log(&[
        "Holby CLP",
        "passed",
        "--date",
        "2019-03-01",
        "--by",
        "Sam Sample",
    ]);
    let before = dump(&s.db);
    let err = stderr(s.run(&["forget", "Sam Sample"]).code(2).stdout(""));
    assert!(err.contains("--yes") && err.contains("--dry-run"), "{err}");
    assert_eq!(dump(&s.db), before);
}

#[test]
fn a_name_no_record_holds_changes_nothing() {
    let s = Scratch::demo();
    let before = dump(&s.db);
    s.run(&["forget", "Nobody Atall", "--yes"])
        .success()
        .stderr(contains("No record names \"Nobody Atall\""));
    assert_eq!(dump(&s.db), before);
}

#[test]
fn at_a_terminal_forget_shows_the_list_and_asks() {
    let s = Scratch::demo();
    s.log(&[
        "Holby CLP",
        "passed",
        "--date",
        "2019-03-01",
        "--by",
        "Sam Sample",
    ]);
    let forget = || s.pty(&["forget", "Sam Sample"]);
    let before = dump(&s.db);
    let mut p = forget();
    p.exp_string("event 41, reported by: \"[name removed]\"")
        .unwrap();
    p.exp_string("(y/N)").unwrap();
    p.send_line("n").unwrap();
    p.exp_string("Nothing erased.").unwrap();
    p.exp_eof().unwrap();
    assert_eq!(dump(&s.db), before);

    let mut p = forget();
    p.exp_string("(y/N)").unwrap();
    p.send_line("y").unwrap();
    p.exp_string("Erased \"Sam Sample\"").unwrap();
    p.exp_eof().unwrap();
    assert_eq!(history(&s, "reported_by", 41..=41), ["[name removed]"]);
}

#[test]
fn a_reader_that_blocks_the_wipe_makes_forget_fail_and_say_so() {
    let s = Scratch::demo();
    s.log(&[
        "Holby CLP",
        "passed",
        "--date",
        "2019-03-01",
        "--by",
        "Zebedee Quistclose",
    ]);
    // Another program reading the database, mid-transaction; and one more connection, so
    // that when the reader closes, SQLite does not fold the log back in on its own.
    let idle = Connection::open(&s.db).unwrap();
    let _: i64 = idle
        .query_row("SELECT count(*) FROM motion", [], |r| r.get(0))
        .unwrap();
    let reader = Connection::open(&s.db).unwrap();
    reader.execute_batch("BEGIN").unwrap();
    let _: i64 = reader
        .query_row("SELECT count(*) FROM outcome", [], |r| r.get(0))
        .unwrap();

    let err = stderr(s.run(&["forget", "Zebedee Quistclose", "--yes"]).code(1));
    assert!(
        err.contains(
            "error: the records are changed, but the old text may still be in the database file"
        ),
        "{err}"
    );
    assert!(
        err.contains("then run motions forget 'Zebedee Quistclose' again"),
        "{err}"
    );
    assert!(
        !texts(&s).to_lowercase().contains("zebedee"),
        "the records are changed"
    );
    assert!(
        raw(&s).contains("quistclose"),
        "and the file does still hold it"
    );

    reader.execute_batch("COMMIT").unwrap();
    drop(reader);
    s.run(&["forget", "Zebedee Quistclose", "--yes"])
        .success()
        .stderr(contains("\"Zebedee Quistclose\" is no longer in it"));
    assert!(!raw(&s).contains("quistclose"), "gone from the file itself");
    drop(idle);
}

#[test]
fn a_full_name_is_found_beside_a_title_a_role_or_a_day() {
    let s = Scratch::demo();
    s.log(&[
        "Holby CLP",
        "moved",
        "--date",
        "2019-02-11",
        "--note",
        "Chair Zebedee Quistclose Tuesday",
        "--by",
        "Zebedee Quistclose Secretary",
    ]);
    s.run(&["forget", "Zebedee Quistclose", "--yes"]).success();
    let history = s.stdout(&["history", "--all", "--format", "csv"]);
    assert!(!history.contains("Quistclose"), "{history}");
    assert!(
        history.contains("Chair [name removed] Tuesday"),
        "{history}"
    );
}
