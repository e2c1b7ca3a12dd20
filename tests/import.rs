//! CSV imports and exports: every error class reported by line with nothing written, form
//! exports through --column, re-imports that add nothing, and round trips that change nothing.

use std::fs;

use predicates::str::contains;

use crate::util::{Campaign, Scratch, csv_rows};

/// The demo motion and a few orgs.
fn registry_campaign() -> Campaign {
    Campaign::new()
        .motion_with(
            "venezuela-coup",
            "Oppose the attempted coup in Venezuela",
            &[("issued_on", "2019-01-24")],
        )
        .org("Ashby CLP", "clp", Some("East Midlands"))
        .org("Walford CLP", "clp", Some("London"))
}

/// A database with the demo motion and a few orgs, and a way to write files beside it.
fn registry() -> Scratch {
    registry_campaign().build()
}

fn write(s: &Scratch, name: &str, bytes: impl AsRef<[u8]>) {
    fs::write(s.dir.path().join(name), bytes).unwrap();
}

#[test]
fn every_bad_row_is_reported_by_line_and_nothing_is_written() {
    let s = registry();
    write(
        &s,
        "outcomes.csv",
        "organisation,status,meeting_date,votes_for\n\
         Ashby CLP,carried,04/02/2019,34\n\
         Walford CLP,won,2019-02-13,\n\
         Walford CLP,passed,2019-02-30,\n\
         Ashbey CLP,passed,2019-02-01,\n\
         Walford CLP,passed,2019-02-13,-4\n\
         Walford CLP,passed,2019-02-13,many\n\
         Ashby CLP,lost,2019-02-04,\n\
         Walford CLP,passed,2999-01-01,\n",
    );
    let err = s.fails(&["import", "outcomes", "outcomes.csv"]);
    for expected in [
        "outcomes.csv has 7 problems, so nothing was imported:",
        "outcomes.csv:3: status: unknown status \"won\"; use one of: planned,",
        "outcomes.csv:4: meeting_date: \"2019-02-30\" is not a date; February 2019 has no day 30",
        "outcomes.csv:5: organisation: unknown organisation \"Ashbey CLP\"; did you mean \"Ashby CLP\"?",
        "outcomes.csv:6: votes_for: -4: a number of votes cannot be negative",
        "outcomes.csv:7: votes_for: \"many\" is not a number of votes",
        "outcomes.csv:8: status: \"rejected\" contradicts line 2 of this file, which says \"passed\" for the same organisation and meeting (2019-02-04)",
        "outcomes.csv:9: meeting_date: the meeting date 2999-01-01 is in the future",
    ] {
        assert!(err.contains(expected), "missing {expected:?} in:\n{err}");
    }
}

#[test]
fn a_decision_contradicting_the_database_is_refused() {
    let s = registry_campaign()
        .outcome("Ashby CLP", "passed", "2019-02-04")
        .build();
    write(
        &s,
        "later.csv",
        "organisation,status,meeting_date\nAshby CLP,defeated,2019-02-04\n",
    );
    let err = s.fails(&["import", "outcomes", "later.csv"]);
    assert!(err.contains("later.csv:2: status: event 1 already records this organisation's decision on 2019-02-04 as \"passed\""), "{err}");
}

#[test]
fn header_problems_name_the_columns() {
    let s = registry();
    write(
        &s,
        "unknown.csv",
        "organisation,result,when,colour\nAshby CLP,passed,2019-02-04,red\n",
    );
    let err = s.fails(&["import", "outcomes", "unknown.csv"]);
    assert!(err.contains("unknown.csv:1: columns \"result\", \"when\", \"colour\" are not known; the known columns are: motion, organisation, status, meeting_date,"), "{err}");
    assert!(
        err.contains("unknown.csv:1: missing columns status, meeting_date"),
        "{err}"
    );
    write(&s, "two.csv", "organisation,org,status,meeting_date\n");
    let err = s.fails(&["import", "outcomes", "two.csv"]);
    assert!(err.contains("columns \"organisation\" and \"org\" both give organisation; ignore one with --column \"org=-\""), "{err}");
    let err = s.fails(&[
        "import",
        "outcomes",
        "two.csv",
        "--column",
        "Branch=organisation",
    ]);
    assert!(
        err.contains("--column \"Branch=...\": the file has no column \"Branch\""),
        "{err}"
    );
}

#[test]
fn empty_and_header_only_files() {
    let s = registry();
    write(&s, "empty.csv", "");
    let err = s.fails(&["import", "outcomes", "empty.csv"]);
    assert!(err.contains("empty.csv is empty; the first line must be a header naming the columns, e.g. motion,organisation,status,meeting_date"), "{err}");
    write(&s, "header.csv", "organisation,status,meeting_date\n");
    s.run(&["import", "outcomes", "header.csv"])
        .success()
        .stderr("header.csv has no rows to import, only a header.\n");
}

#[test]
fn invalid_utf8_is_reported_with_its_line() {
    let s = registry();
    write(
        &s,
        "latin1.csv",
        b"organisation,status,meeting_date,notes\nAshby CLP,passed,2019-02-04,caf\xe9\n",
    );
    let err = s.fails(&["import", "outcomes", "latin1.csv"]);
    assert!(
        err.contains("latin1.csv:2: notes: not UTF-8 text; save the file as UTF-8"),
        "{err}"
    );
}

#[test]
fn a_bom_crlf_and_quoted_commas_are_read() {
    let s = registry();
    write(
        &s,
        "registry.csv",
        "\u{feff}Name,Kind,Region,Union,Parent\r\n\
         \"Ashby North, East and Castle Ward Branch\",ward,East Midlands,,Ashby CLP\r\n\
         Ystradgynlais CLP,Constituency Labour Party,Wales,,\r\n\
         Pen-y-bont Ward Branch,branch,Wales,,Ystradgynlais CLP\r\n\
         \"Comann Labarach Steòrnabhaigh\",other,Scotland,,\r\n\
         Unite LE/999 Sample Branch,union,East Midlands,Unite,\r\n",
    );
    s.run(&["import", "orgs", "registry.csv"])
        .success()
        .stderr("Imported registry.csv: added 5 organisations; skipped 0 already registered.\n");
    let rows = csv_rows(&s.stdout(&["org", "list", "--format", "csv"]));
    let find = |name: &str| rows.iter().find(|r| r[0] == name).cloned().unwrap();
    assert_eq!(
        find("Ashby North, East and Castle Ward Branch")[1..5],
        ["labour-branch", "East Midlands", "", "Ashby CLP"]
    );
    assert_eq!(
        find("Pen-y-bont Ward Branch")[4],
        "Ystradgynlais CLP",
        "a parent later in the file"
    );
    assert_eq!(find("Comann Labarach Steòrnabhaigh")[1], "other");
    assert_eq!(find("Ystradgynlais CLP")[1], "clp");
    s.run(&["import", "orgs", "registry.csv"])
        .success()
        .stderr("Imported registry.csv: added 0 organisations; skipped 5 already registered.\n");
}

#[test]
fn registry_problems_are_reported_by_line() {
    let s = registry();
    write(
        &s,
        "orgs.csv",
        "name,kind,union,parent,code\n\
         Hotten CLP,clp,,,E14999001\n\
         Holby CLP,clp,Unite,,\n\
         Beckindale Ward Branch,ward,,Nowhere CLP,\n\
         Emmerdale Ward Branch,ward,,Walford Momentum,\n\
         Walford Momentum,momentum,,,\n\
         ,clp,,,\n\
         Skelbeck CLP,party,,,\n\
         Fenmarsh CLP,clp,,,e14999001\n",
    );
    let err = s.fails(&["import", "orgs", "orgs.csv"]);
    for expected in [
        "orgs.csv:3: union: a clp has no union",
        "orgs.csv:4: parent: unknown organisation \"Nowhere CLP\"",
        "orgs.csv:5: parent: \"Walford Momentum\" is a momentum-group, not a CLP",
        "orgs.csv:7: name: the name is empty",
        "orgs.csv:8: kind: unknown kind \"party\"",
        "orgs.csv:9: code: code \"e14999001\" already belongs to \"Hotten CLP\"",
    ] {
        assert!(err.contains(expected), "missing {expected:?} in:\n{err}");
    }
}

#[test]
fn hundreds_of_problems_are_counted_not_all_listed() {
    let s = registry();
    let mut file = String::from("organisation,status,meeting_date\n");
    for i in 0..300 {
        file.push_str(&format!("Unknown Branch {i},passed,2019-02-04\n"));
    }
    write(&s, "many.csv", file);
    let err = s.fails(&["import", "outcomes", "many.csv"]);
    assert!(err.contains("many.csv has 300 problems"), "{err}");
    assert!(err.contains("  ... and 250 more"), "{err}");
    assert_eq!(err.matches("many.csv:").count(), 50);
}

#[test]
fn a_form_export_imports_through_column_mappings_and_again_adds_nothing() {
    let s = registry();
    write(
        &s,
        "responses.csv",
        "Timestamp,Which branch or CLP?,Result,Date of the meeting,Votes for,Your name\n\
         28/01/2019 21:04:11,Ashby CLP,Deferred,28/01/2019 19:30:00,,Sam Sample\n\
         13/02/2019 22:10:43,walford clp,Carried as amended,13/02/2019,61,Alex Example\n\
         25/02/2019 21:30:00,Ashby CLP,Carried,25/02/2019,34,Sam Sample\n\
         26/02/2019 09:00:00,Weatherfield Momentum,Carried,26/02/2019,,Jo Test\n",
    );
    let mapping = [
        "--column",
        "Timestamp=-",
        "--column",
        "Which branch or CLP?=organisation",
        "--column",
        "Result=status",
        "--column",
        "Date of the meeting=meeting_date",
        "--column",
        "Votes for=votes_for",
        "--column",
        "Your name=reported_by",
    ];
    let mut args = vec![
        "import",
        "outcomes",
        "responses.csv",
        "--motion",
        "venezuela-coup",
    ];
    args.extend(mapping);
    let err = s.fails(&args);
    assert!(
        err.contains(
            "responses.csv:5: organisation: unknown organisation \"Weatherfield Momentum\""
        ),
        "{err}"
    );

    let mut dry = args.clone();
    dry.extend(["--create-orgs", "--dry-run"]);
    let err = s.fails(&dry);
    assert!(err.contains("responses.csv:5: kind: \"Weatherfield Momentum\" is not registered; give its kind to register it"), "{err}");

    let form = fs::read_to_string(s.dir.path().join("responses.csv")).unwrap();
    let form = form
        .replacen("Your name\n", "Your name,Type\n", 1)
        .replace("Jo Test\n", "Jo Test,momentum\n")
        .replace("Alex Example\n", "Alex Example,\n")
        .replace("Sam Sample\n", "Sam Sample,\n");
    write(&s, "responses.csv", form);
    args.extend(["--column", "Type=kind", "--create-orgs"]);
    let mut dry = args.clone();
    dry.push("--dry-run");
    s.run(&dry).success().stderr(
        "Dry run of responses.csv: would add 4 outcomes; skipped 0 already recorded; would register 1 organisation: Weatherfield Momentum. Nothing was written.\n",
    );
    assert!(
        s.stdout(&["history", "--format", "csv"]).lines().count() == 1,
        "a dry run writes nothing"
    );
    s.run(&args).success().stderr(
        "Imported responses.csv: added 4 outcomes; skipped 0 already recorded; registered 1 organisation: Weatherfield Momentum.\n",
    );
    s.run(&args)
        .success()
        .stderr("Imported responses.csv: added 0 outcomes; skipped 4 already recorded.\n");
    let rows = csv_rows(&s.stdout(&["tally", "--format", "csv"]));
    assert_eq!(rows[1], ["3", "3", "1", "0", "0", "0", "0"]);
    let history = csv_rows(&s.stdout(&["history", "--org", "Walford CLP", "--format", "csv"]));
    assert_eq!(
        &history[1][3..9],
        ["passed-amended", "2019-02-13", "61", "", "", "Alex Example"]
    );
}

#[test]
fn without_a_motion_column_the_only_motion_is_used_and_several_are_listed() {
    let s = registry();
    write(
        &s,
        "o.csv",
        "organisation,status,date\nAshby CLP,passed,2019-02-04\n",
    );
    s.run(&["import", "outcomes", "o.csv"]).success();
    s.run(&["motion", "add", "nhs-2019", "--title", "Save our NHS"])
        .success();
    let err = s.fails(&["import", "outcomes", "o.csv"]);
    assert!(err.contains("o.csv has no motion column, and there are 2 motions; say which with --motion: venezuela-coup, nhs-2019"), "{err}");
    write(
        &s,
        "m.csv",
        "motion,organisation,status,date\nnhs,Ashby CLP,passed,2019-02-04\n",
    );
    let err = s.fails(&["import", "outcomes", "m.csv"]);
    assert!(
        err.contains(
            "m.csv:2: motion: unknown motion \"nhs\"; the motions are: nhs-2019, venezuela-coup"
        ),
        "{err}"
    );
}

#[test]
fn motions_import_and_skip_what_is_there() {
    let s = Scratch::new();
    s.run(&["init"]).success();
    write(
        &s,
        "motions.csv",
        "slug,title,issued_by,issued_on,deadline,text\n\
         venezuela-coup,Oppose the attempted coup in Venezuela,Sample Campaign,24/01/2019,2019-03-31,\"This branch notes...\n\nIt resolves...\"\n\
         Save NHS,Save our NHS,,,,\n\
         nhs,,,2019-03-01,2019-02-01,\n",
    );
    let err = s.fails(&["import", "motions", "motions.csv"]);
    assert!(
        err.contains("motions.csv:5: slug: slug \"Save NHS\" may hold only"),
        "{err}"
    );
    assert!(
        err.contains("motions.csv:6: title: is empty; every motion needs a title"),
        "{err}"
    );
    assert!(
        err.contains("motions.csv:6: deadline: 2019-02-01 is before the issue date 2019-03-01"),
        "{err}"
    );
    write(
        &s,
        "motions.csv",
        "slug,title,issued_on,text\nvenezuela-coup,Oppose the attempted coup in Venezuela,24/01/2019,\"Line one\nLine two\"\n",
    );
    s.run(&["import", "motions", "motions.csv"])
        .success()
        .stderr(contains("added 1 motion;"));
    s.run(&["import", "motions", "motions.csv"])
        .success()
        .stderr(contains("added 0 motions; skipped 1 already registered"));
    let json: serde_json::Value =
        serde_json::from_str(&s.stdout(&["motion", "show", "venezuela-coup", "--format", "json"]))
            .unwrap();
    assert_eq!(json[0]["text"], "Line one\nLine two");
    assert_eq!(json[0]["issued_on"], "2019-01-24");
}

#[test]
fn exports_round_trip_into_a_new_database() {
    let a = Scratch::demo();
    a.log(&[
        "=SUM(A1:A9) Branch",
        "passed",
        "--date",
        "2019-02-20",
        "--kind",
        "other",
        "--note",
        "said \"yes\", twice\nthen left",
        "--source",
        "-minutes-",
    ]);
    for what in ["motions", "orgs", "outcomes"] {
        a.run(&["export", what, "-o", &format!("{what}.csv")])
            .success();
    }
    let b = Scratch::new();
    for what in ["motions", "orgs", "outcomes"] {
        let file = a.dir.path().join(format!("{what}.csv"));
        b.run(&["import", what, file.to_str().unwrap()]).success();
    }
    for what in ["motions", "orgs", "outcomes"] {
        assert_eq!(
            a.stdout(&["export", what]),
            b.stdout(&["export", what]),
            "{what}"
        );
    }
    assert_eq!(
        a.stdout(&["tally", "--by", "region", "--format", "csv"]),
        b.stdout(&["tally", "--by", "region", "--format", "csv"])
    );
    let outcomes = a.stdout(&["export", "outcomes"]);
    assert!(
        outcomes.contains("'=SUM(A1:A9) Branch"),
        "formulas are neutralised:\n{outcomes}"
    );
    assert!(outcomes.contains("'-minutes-"), "{outcomes}");
    assert!(
        outcomes.contains("\"said \"\"yes\"\", twice\nthen left\""),
        "{outcomes}"
    );
}

#[test]
fn excel_exports_have_a_bom_and_crlf() {
    let s = Scratch::demo();
    let out = s
        .cmd(&["export", "orgs", "--excel"])
        .output()
        .unwrap()
        .stdout;
    assert!(out.starts_with(b"\xEF\xBB\xBFname,kind,region,union,parent,code\r\n"));
    assert!(
        !String::from_utf8(out.clone())
            .unwrap()
            .replace("\r\n", "")
            .contains('\n')
    );
    s.run(&["export", "outcomes", "--excel", "-o", "outcomes.csv"])
        .success()
        .stderr("Wrote 40 outcomes to outcomes.csv\n");
    let b = Scratch::new();
    b.cmd(&["import", "motions", "-"])
        .write_stdin(s.stdout(&["export", "motions"]))
        .assert()
        .success();
    b.cmd(&["import", "orgs", "-"])
        .write_stdin(out)
        .assert()
        .success();
    let file = s.dir.path().join("outcomes.csv");
    b.run(&["import", "outcomes", file.to_str().unwrap()])
        .success()
        .stderr(contains("added 40 outcomes"));
}

mod round_trip {
    use proptest::prelude::*;

    use crate::util::Scratch;

    /// Text a spreadsheet or a CSV writer might trip on: commas, quotes, line breaks, tabs,
    /// formula starts, apostrophes, Welsh, Irish and Scottish Gaelic letters, emoji.
    fn tricky(lines: bool) -> impl Strategy<Value = String> {
        let mut pieces: Vec<&'static str> = vec![
            "a", "Z", "7", " ", ",", "\"", "'", "=", "+", "-", "@", ";", "ŵ", "ŷ", "Á", "í", "ò",
            "ċ", "✊", "🌹", "<b>", "Llan", "Craobh",
        ];
        if lines {
            pieces.extend(["\n", "\t", "\r\n"]);
        }
        proptest::collection::vec(proptest::sample::select(pieces), 1..12)
            .prop_map(|parts| parts.concat())
    }

    fn history(s: &Scratch) -> Vec<serde_json::Value> {
        let json: serde_json::Value =
            serde_json::from_str(&s.stdout(&["history", "--format", "json"])).unwrap();
        json.as_array()
            .unwrap()
            .iter()
            .map(|event| {
                let mut event = event.clone();
                event.as_object_mut().unwrap().remove("id");
                event.as_object_mut().unwrap().remove("recorded_at");
                event
            })
            .collect()
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

        #[test]
        fn any_text_survives_export_and_import(
            names in proptest::collection::vec(tricky(false), 1..4),
            notes in tricky(true),
            source in tricky(true),
            by in tricky(false),
        ) {
            let a = Scratch::new();
            a.run(&["motion", "add", "m", "--title", "Test"]).success();
            let mut expected = Vec::new();
            for (i, name) in names.iter().enumerate() {
                let name = format!("{name} {i}");
                let date = format!("2019-02-0{}", i + 1);
                a.run(&[
                    "log", "--date", &date, "--kind", "other", "--note", &notes, "--source", &source,
                    "--by", &by, "--", &name, "passed",
                ]).success();
                expected.push(name.split_whitespace().collect::<Vec<_>>().join(" "));
            }
            let stored = history(&a);
            let stored_names: Vec<&str> = stored.iter().map(|e| e["organisation"].as_str().unwrap()).collect();
            prop_assert_eq!(stored_names, expected.iter().map(String::as_str).collect::<Vec<_>>());
            // Stored trimmed, with line breaks as \n.
            let kept = |text: &str| Some(text.trim().replace("\r\n", "\n")).filter(|t| !t.is_empty());
            prop_assert_eq!(stored[0]["notes"].as_str().map(str::to_string), kept(&notes));
            prop_assert_eq!(stored[0]["source"].as_str().map(str::to_string), kept(&source));

            let b = Scratch::new();
            b.run(&["init"]).success();
            for what in ["motions", "orgs", "outcomes"] {
                let csv = a.stdout(&["export", what]);
                b.cmd(&["import", what, "-"]).write_stdin(csv).assert().success();
            }
            for what in ["motions", "orgs", "outcomes"] {
                prop_assert_eq!(a.stdout(&["export", what]), b.stdout(&["export", what]));
            }
            prop_assert_eq!(history(&a), history(&b));
        }
    }
}

#[test]
fn a_quote_never_closed_is_named_not_swallowed() {
    let s = registry();
    write(
        &s,
        "open.csv",
        "organisation,status,meeting_date,notes\n\
         Ashby CLP,passed,2019-02-04,fine\n\
         Walford CLP,passed,2019-02-13,\"oops, no closing quote\n\
         Ashby CLP,rejected,2019-02-20,\n",
    );
    let err = s.fails(&["import", "outcomes", "open.csv"]);
    assert!(
        err.contains("open.csv:3: (row): a quoted cell that starts on this line is never closed"),
        "{err}"
    );
}

#[test]
fn a_row_with_more_cells_than_the_header_is_refused() {
    let s = registry();
    write(
        &s,
        "votes.csv",
        "organisation,status,meeting_date,votes_for,votes_against\nAshby CLP,passed,2019-02-04,1,000,\n",
    );
    let err = s.fails(&["import", "outcomes", "votes.csv"]);
    assert!(err.contains("votes.csv:2: (row): this row has 6 cells but the header names 5 columns; check for an unquoted comma"), "{err}");
}

#[test]
fn an_org_listed_twice_with_different_kinds_is_refused() {
    let s = registry();
    write(
        &s,
        "orgs.csv",
        "name,kind\nHotten CLP,clp\nhotten clp,ward\nAshby CLP,union\nWalford CLP,clp\n",
    );
    let err = s.fails(&["import", "orgs", "orgs.csv"]);
    assert!(err.contains("orgs.csv:3: kind: \"Hotten CLP\" is already registered with the kind clp (in the registry, or earlier in this file)"), "{err}");
    assert!(
        err.contains("orgs.csv:4: kind: \"Ashby CLP\" is already registered with the kind clp"),
        "{err}"
    );
    assert!(
        !err.contains("orgs.csv:5"),
        "the same org again is fine:\n{err}"
    );
}

#[test]
fn repeated_events_with_other_details_are_pointed_out() {
    let s = registry_campaign()
        .outcome_with("Ashby CLP", "passed", "2019-02-04", &[("votes_for", "5")])
        .build();
    write(
        &s,
        "again.csv",
        "organisation,status,meeting_date,votes_for,kind\nAshby CLP,passed,2019-02-04,6,union\n",
    );
    s.run(&["import", "outcomes", "again.csv", "--create-orgs"])
        .success()
        .stderr(contains("added 0 outcomes; skipped 1 already recorded"))
        .stderr(contains("Note: line 2: Ashby CLP is registered with the kind clp, so the kind \"union-branch\" in the file was not used"))
        .stderr(contains("Note: line 2: already recorded as event 1, with different details (votes for 5 there, 6 here); they were not changed"));
}

#[test]
fn a_new_org_without_a_kind_is_one_problem() {
    let s = registry();
    write(
        &s,
        "new.csv",
        "organisation,status,meeting_date,kind\nMystery Group,passed,2019-02-04,\n",
    );
    let err = s.fails(&["import", "outcomes", "new.csv", "--create-orgs"]);
    assert!(err.contains("new.csv has a problem"), "{err}");
    assert!(
        err.contains(
            "new.csv:2: kind: \"Mystery Group\" is not registered; give its kind to register it"
        ),
        "{err}"
    );
}

#[test]
fn slips_in_cells_are_forgiven_or_shown() {
    let s = registry();
    write(
        &s,
        "slips.csv",
        "motion,organisation,status,meeting_date,notes\n\
         VENEZUELA-COUP,\u{feff}Ashby CLP,passed,2019-02-04\u{200b},\"two\r\nlines\"\n\
         venezuela-coup,Walford\u{0}CLP,passed,2019-02-04,\n",
    );
    let err = s.fails(&["import", "outcomes", "slips.csv"]);
    assert!(
        err.contains("slips.csv has a problem"),
        "only the NUL is a problem:\n{err}"
    );
    assert!(
        err.contains("unknown organisation \"Walford\\u{0}CLP\""),
        "{err}"
    );
    write(
        &s,
        "slips.csv",
        "motion,organisation,status,meeting_date,notes\nVENEZUELA-COUP,\u{feff}Ashby CLP,passed,2019-02-04\u{200b},\"two\r\nlines\"\n",
    );
    s.run(&["import", "outcomes", "slips.csv"]).success();
    let json: serde_json::Value =
        serde_json::from_str(&s.stdout(&["history", "--format", "json"])).unwrap();
    assert_eq!(json[0]["notes"], "two\nlines");
}

#[test]
fn a_header_mapped_twice_is_refused() {
    let s = registry();
    write(&s, "o.csv", "Branch,Result,date\n");
    let err = s.fails(&[
        "import",
        "outcomes",
        "o.csv",
        "--column",
        "Branch=organisation",
        "--column",
        "Result=status",
        "--column",
        "result=notes",
    ]);
    assert!(
        err.contains("--column maps \"result\" more than once; keep one"),
        "{err}"
    );
    assert!(!err.contains("has no column"), "{err}");
}

#[test]
fn text_longer_than_import_takes_is_refused_when_typed() {
    let s = registry();
    let long = "x".repeat(10_001);
    let err = s.fails(&[
        "log",
        "Ashby CLP",
        "passed",
        "--date",
        "2019-02-04",
        "--note",
        &long,
    ]);
    assert!(
        err.contains("--note is 10001 characters long; the limit is 10000"),
        "{err}"
    );
}

/// A file long enough that the import stops checking rows one by one against the history
/// (after 10,000 added) and checks the rest at its end: the same repeats are skipped, the same
/// contradictions refused by line, and what it keeps is what checking row by row would keep.
#[test]
fn a_large_import_checks_its_late_rows_as_it_does_its_first() {
    let s = registry();
    let dates = ["2019-02-01", "2019-02-08", "2019-02-15", "2019-02-22"];
    let mut file = String::from("organisation,kind,status,meeting_date,votes_for\n");
    // Lines 2 to 12,001: 3,000 new branches, each moving the motion at four meetings. Each
    // branch is registered by its first row, and found by the rest.
    for date in dates {
        for n in 0..3000 {
            file.push_str(&format!(
                "Sample Ward {n} Branch,labour-branch,moved,{date},\n"
            ));
        }
    }
    // Line 12,002 repeats line 2 with votes; line 12,003 names a branch registered by line 3
    // as another kind.
    file.push_str("Sample Ward 0 Branch,labour-branch,moved,2019-02-01,12\n");
    file.push_str("Sample Ward 1 Branch,clp,moved,2019-02-08,\n");
    // Line 12,004 decides, 12,005 repeats it, 12,006 contradicts it.
    file.push_str("Sample Ward 7 Branch,,passed,2019-03-01,30\n");
    file.push_str("Sample Ward 7 Branch,,passed,2019-03-01,\n");
    let good = file.clone();
    file.push_str("Sample Ward 7 Branch,,rejected,2019-03-01,\n");
    // Line 12,007 contradicts a decision recorded before the import.
    file.push_str("Ashby CLP,clp,rejected,2019-02-04,\n");
    write(&s, "large.csv", &file);
    s.run(&["log", "Ashby CLP", "passed", "--date", "2019-02-04"])
        .success();

    let err = s.fails(&["import", "outcomes", "large.csv", "--create-orgs"]);
    assert!(
        err.contains("large.csv has 2 problems, so nothing was imported"),
        "{err}"
    );
    assert!(
        err.contains(
            "large.csv:12006: status: \"rejected\" contradicts line 12004 of this file, which \
             says \"passed\" for the same organisation and meeting (2019-03-01)"
        ),
        "{err}"
    );
    assert!(
        err.contains(
            "large.csv:12007: status: event 1 already records this organisation's decision on \
             2019-02-04 as \"passed\""
        ),
        "{err}"
    );
    assert_eq!(s.stdout(&["history", "--format", "csv"]).lines().count(), 2);
    assert!(!s.stdout(&["org", "list"]).contains("Sample Ward"));

    write(&s, "large.csv", &good);
    s.run(&["import", "outcomes", "large.csv", "--create-orgs"])
        .success()
        .stderr(contains(
            "Imported large.csv: added 12,001 outcomes; skipped 3 already recorded; registered \
             3,000 organisations: Sample Ward 0 Branch, Sample Ward 1 Branch, Sample Ward 2 \
             Branch, Sample Ward 3 Branch, Sample Ward 4 Branch, Sample Ward 5 Branch, Sample \
             Ward 6 Branch, Sample Ward 7 Branch, Sample Ward 8 Branch and 2,991 more (see them \
             with: motions org list).\n",
        ))
        .stderr(contains(
            "Note: line 12002: already recorded as event 2, with different details (votes for \
             none there, 12 here); they were not changed",
        ))
        .stderr(contains(
            "Note: line 12003: Sample Ward 1 Branch is registered with the kind labour-branch on an \
             earlier line, so the kind \"clp\" in the file was not used",
        ));
    let history = csv_rows(&s.stdout(&[
        "history",
        "--org",
        "Sample Ward 7 Branch",
        "--format",
        "csv",
    ]));
    let kept: Vec<_> = history[1..]
        .iter()
        .map(|row| (row[3].as_str(), row[4].as_str(), row[5].as_str()))
        .collect();
    assert_eq!(
        kept,
        [
            ("moved", "2019-02-01", ""),
            ("moved", "2019-02-08", ""),
            ("moved", "2019-02-15", ""),
            ("moved", "2019-02-22", ""),
            ("passed", "2019-03-01", "30"),
        ]
    );
    let status = csv_rows(&s.stdout(&["status", "--format", "csv"]));
    let ward = |name: &str| status.iter().find(|row| row[0] == name).unwrap().clone();
    assert_eq!(ward("Sample Ward 7 Branch")[6], "passed");
    assert_eq!(ward("Sample Ward 2999 Branch")[6], "moved");
    s.run(&["check"]).success();
    s.run(&["import", "outcomes", "large.csv", "--create-orgs"])
        .success()
        .stderr(contains(
            "added 0 outcomes; skipped 12,004 already recorded",
        ));
}

/// A new organisation's first row has a problem of its own (here its status): that row is
/// reported, and the later rows naming the organisation are not reported as problems they do
/// not have; once the first row is mended, the file imports.
#[test]
fn a_bad_first_row_for_a_new_org_is_the_only_problem_reported() {
    let s = registry();
    write(
        &s,
        "new.csv",
        "organisation,kind,region,status,meeting_date\n\
         Brand New Sample CLP,clp,East Midlands,xyzzy,2019-02-01\n\
         Brand New Sample CLP,clp,East Midlands,moved,2019-02-08\n\
         brand new sample clp,clp,East Midlands,passed,2019-02-15\n\
         Other New Sample CLP,clp,East Midlands,passed,2019-02-31\n\
         Other New Sample CLP,clp,East Midlands,moved,2019-03-01\n",
    );
    let err = s.fails(&["import", "outcomes", "new.csv", "--create-orgs"]);
    assert!(
        err.contains("new.csv has 2 problems, so nothing was imported"),
        "{err}"
    );
    assert!(
        err.contains("new.csv:2: status: unknown status \"xyzzy\""),
        "{err}"
    );
    assert!(err.contains("new.csv:5: meeting_date:"), "{err}");
    assert!(!err.contains("could not be registered"), "{err}");

    write(
        &s,
        "new.csv",
        "organisation,kind,region,status,meeting_date\n\
         Brand New Sample CLP,clp,East Midlands,bogus,2019-02-01\n\
         Brand New Sample CLP,clp,East Midlands,moved,2019-02-08\n\
         brand new sample clp,clp,East Midlands,passed,2019-02-15\n",
    );
    s.run(&[
        "import",
        "outcomes",
        "new.csv",
        "--create-orgs",
        "--value",
        "status:bogus=-",
    ])
    .success()
    .stderr(contains(
        "added 2 outcomes; skipped 0 already recorded; registered 1 organisation: Brand \
             New Sample CLP; left out 1 row",
    ));
}

/// A file with a problem on every row is reported by count, its first problems by line,
/// whatever its length: the problems past the first thousand are counted, not kept.
#[test]
fn a_file_of_bad_rows_is_counted_and_its_first_problems_shown() {
    let s = registry();
    let mut file = String::from("organisation,status,meeting_date\n");
    for n in 0..1500 {
        file.push_str(&format!("Ashby CLP,won {n},2019-02-04\n"));
    }
    write(&s, "bad.csv", &file);
    let err = s.fails(&["import", "outcomes", "bad.csv"]);
    assert!(
        err.contains("bad.csv has 1,500 problems, so nothing was imported"),
        "{err}"
    );
    assert!(
        err.contains("bad.csv:2: status: unknown status \"won 0\""),
        "{err}"
    );
    assert!(
        err.contains("bad.csv:51: status: unknown status \"won 49\""),
        "{err}"
    );
    assert!(!err.contains("bad.csv:52:"), "{err}");
    assert!(err.contains("  ... and 1,450 more"), "{err}");
}
