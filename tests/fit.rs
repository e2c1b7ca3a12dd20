//! Fitting real screens, spreadsheets and typing: tables at 80, 100, 120 and 160 columns
//! (`MOTIONS_TERMINAL_WIDTH` stands in for a terminal that wide), `--status` with several
//! values, a form's own words and dates, and regions and unions without slips.

use std::collections::HashSet;

use crate::util::{Scratch, csv_rows};

const WIDTHS: [usize; 4] = [80, 100, 120, 160];

/// The demo campaign with the 575 built-in CLPs registered beside it.
fn national() -> Scratch {
    let s = Scratch::demo();
    s.run(&["import", "orgs", "--builtin", "uk-clps"]).success();
    s
}

/// A command's table as on a terminal `width` columns wide (or piped, for `None`), without
/// colour: (stdout, stderr).
fn drawn(s: &Scratch, width: Option<usize>, args: &[&str]) -> (String, String) {
    let mut all = vec!["--colour", "never"];
    all.extend_from_slice(args);
    let mut cmd = s.cmd(&all);
    cmd.env_remove("MOTIONS_TERMINAL_WIDTH")
        .env_remove("COLUMNS");
    if let Some(width) = width {
        cmd.env("MOTIONS_TERMINAL_WIDTH", width.to_string());
    }
    let output = cmd.assert().success().get_output().clone();
    (
        String::from_utf8(output.stdout).unwrap(),
        String::from_utf8(output.stderr).unwrap(),
    )
}

/// The words of a table's cells and headings (the text between its borders).
fn words(table: &str) -> Vec<String> {
    table
        .lines()
        .filter(|line| line.starts_with('│'))
        .flat_map(|line| {
            line.split(['│', '┆'])
                .flat_map(str::split_whitespace)
                // Bars are drawn to the room there is; they are not words.
                .filter(|word| !word.contains(|c| ('█'..='▏').contains(&c)))
                .map(str::to_string)
                .collect::<Vec<_>>()
        })
        .collect()
}

/// The headings of a table: its first row of cells (a heading wrapped over lines is joined).
fn headings(table: &str) -> Vec<String> {
    let mut lines = table.lines().skip(1);
    let mut cells: Vec<String> = Vec::new();
    for line in lines.by_ref() {
        if !line.starts_with('│') {
            break;
        }
        let parts: Vec<&str> = line
            .trim_start_matches('│')
            .trim_end_matches('│')
            .split('┆')
            .collect();
        cells.resize(parts.len(), String::new());
        for (cell, part) in cells.iter_mut().zip(parts) {
            let part = part.trim();
            if !part.is_empty() {
                if !cell.is_empty() {
                    cell.push(' ');
                }
                cell.push_str(part);
            }
        }
    }
    cells
}

const REPORTS: [&[&str]; 10] = [
    &["status"],
    &["status", "--kind", "union"],
    &["tally", "--by", "kind"],
    &["tally", "--by", "region", "--by", "kind"],
    &["tally", "--by", "clp"],
    &["tally", "--by", "kind", "--detail"],
    &["timeline"],
    &["history"],
    &["org", "list"],
    &["motion", "list"],
];

/// At every width, every table is no wider than the terminal and breaks no word: every word
/// it shows is a word of the same table drawn whole.
#[test]
fn tables_fit_every_width_without_breaking_a_word() {
    let s = national();
    for args in REPORTS {
        let (whole, _) = drawn(&s, None, args);
        let known: HashSet<String> = words(&whole).into_iter().collect();
        for width in WIDTHS {
            let (table, notes) = drawn(&s, Some(width), args);
            for line in table.lines() {
                assert!(
                    line.chars().count() <= width,
                    "motions {args:?} at {width} columns: {line}"
                );
            }
            for word in words(&table) {
                assert!(
                    known.contains(&word),
                    "motions {args:?} at {width} columns broke a word: {word:?}\n{table}"
                );
            }
            for fragment in ["labour-branc", "momentum-grou", "Organisati", "Registere"] {
                assert!(
                    !table.contains(&format!("{fragment} ")),
                    "{fragment}\n{table}"
                );
            }
            // What is left out is said, with the way to see it.
            if headings(&table).len() < headings(&whole).len() {
                assert!(
                    notes.contains(&format!(
                        "to fit the terminal ({width} columns); --wide shows every column"
                    )),
                    "motions {args:?} at {width}: {notes}"
                );
            } else {
                assert!(!notes.contains("--wide"), "{notes}");
            }
        }
    }
}

/// The tables of the issue: `tally --by kind` is drawn whole, one line a row, from 100
/// columns; `status --kind union` keeps "Organisation" whole at 120.
#[test]
fn a_table_that_fits_is_not_wrapped() {
    let s = national();
    for width in [100, 120, 130, 160] {
        let (table, notes) = drawn(&s, Some(width), &["tally", "--by", "kind"]);
        // Top, heading, rule, six kinds, the rule over the total, the total, bottom.
        assert_eq!(table.lines().count(), 12, "at {width}:\n{table}");
        assert!(table.contains(" labour-branch "), "{table}");
        assert!(notes.is_empty(), "{notes}");
    }
    let (table, _) = drawn(&s, Some(120), &["status", "--kind", "union"]);
    let shown = headings(&table);
    assert_eq!(shown[0], "Organisation", "{table}");
    assert!(shown.contains(&"Region".to_string()), "{shown:?}");
}

/// Each report leaves out its least important columns first, in its documented order, and
/// keeps the ones that matter.
#[test]
fn the_least_important_columns_go_first() {
    let s = national();
    let (table, notes) = drawn(&s, Some(80), &["status"]);
    assert_eq!(
        headings(&table),
        ["Organisation", "Kind", "Status", "Meeting date"]
    );
    assert!(
        notes.contains(
            "Note: For, Against, Abstain, Group, Code, Parent, Union and Region are left out to \
             fit the terminal (80 columns); --wide shows every column"
        ),
        "{notes}"
    );
    let (table, _) = drawn(&s, Some(120), &["status"]);
    assert_eq!(
        headings(&table),
        [
            "Organisation",
            "Kind",
            "Region",
            "Union",
            "Status",
            "Meeting date"
        ]
    );
    let (table, _) = drawn(&s, Some(80), &["tally", "--by", "kind"]);
    let shown = headings(&table);
    assert!(!shown.contains(&"Amended".to_string()), "{shown:?}");
    for kept in ["Kind", "Registered", "Passed", "Rejected"] {
        assert!(shown.contains(&kept.to_string()), "{shown:?}");
    }
    let (table, _) = drawn(&s, Some(80), &["history"]);
    let shown = headings(&table);
    for gone in ["Notes", "Source", "Recorded at", "Reported by"] {
        assert!(!shown.contains(&gone.to_string()), "{shown:?}");
    }
    for kept in ["Id", "Organisation", "Status", "Meeting date"] {
        assert!(shown.contains(&kept.to_string()), "{shown:?}");
    }
    let (table, _) = drawn(&s, Some(80), &["timeline"]);
    let shown = headings(&table);
    assert!(!shown.contains(&"To".to_string()), "{shown:?}");
    assert_eq!(shown.last().map(String::as_str), Some("Chart"), "{table}");
    assert!(table.contains('█'), "{table}");
}

/// `--wide` shows every column however narrow the terminal, and piped output is never cut.
#[test]
fn wide_and_piped_tables_are_whole() {
    let s = national();
    let (piped, notes) = drawn(&s, None, &["status"]);
    let all = [
        "Organisation",
        "Kind",
        "Region",
        "Union",
        "Parent",
        "Code",
        "Status",
        "Group",
        "Meeting date",
        "For",
        "Against",
        "Abstain",
    ];
    assert_eq!(headings(&piped), all);
    assert!(notes.is_empty(), "{notes}");
    assert!(piped.lines().next().unwrap().chars().count() > 160);
    // Every organisation, one line each.
    let csv = csv_rows(&s.stdout(&["status", "--format", "csv"]));
    assert_eq!(piped.lines().count(), csv.len() - 1 + 4);
    let (wide, notes) = drawn(&s, Some(80), &["status", "--wide"]);
    assert_eq!(wide, piped);
    assert!(notes.is_empty(), "{notes}");
}

fn statuses(s: &Scratch, args: &[&str]) -> Vec<(String, String)> {
    let mut all = vec!["status", "--format", "csv"];
    all.extend_from_slice(args);
    let rows = csv_rows(&s.stdout(&all));
    let status = rows[0].iter().position(|c| c == "status").unwrap();
    let group = rows[0].iter().position(|c| c == "group").unwrap();
    rows[1..]
        .iter()
        .map(|r| (r[status].clone(), r[group].clone()))
        .collect()
}

#[test]
fn status_takes_several_values_groups_and_any() {
    let s = Scratch::demo();
    let every = statuses(&s, &[]);
    let count = |keep: &dyn Fn(&(String, String)) -> bool| every.iter().filter(|r| keep(r)).count();
    let two = statuses(&s, &["--status", "passed,rejected"]);
    assert_eq!(two.len(), count(&|r| r.1 == "passed" || r.1 == "rejected"));
    assert!(
        two.iter().any(|r| r.0 == "passed-amended"),
        "a group: {two:?}"
    );
    let repeated = statuses(&s, &["--status", "pending", "--status", "dropped"]);
    assert_eq!(
        repeated.len(),
        count(&|r| r.1 == "pending" || r.1 == "dropped")
    );
    assert!(!repeated.is_empty());
    let any = statuses(&s, &["--status", "any"]);
    assert_eq!(any.len(), count(&|r| r.0 != "none"));
    assert_eq!(
        any.len() + statuses(&s, &["--status", "none"]).len(),
        every.len()
    );
    // `moved` is the status of that name (tabled, no decision yet), not every outcome.
    let moved = statuses(&s, &["--status", "moved"]);
    assert!(moved.iter().all(|r| r.0 == "moved"), "{moved:?}");
    assert!(moved.len() < any.len());
    let both = statuses(&s, &["--status", "moved,none"]);
    assert_eq!(both.len(), moved.len() + count(&|r| r.0 == "none"));
    let err = s.fails(&["status", "--status", "passed,pased"]);
    assert!(
        err.contains("unknown status \"pased\"; did you mean \"passed\"?"),
        "{err}"
    );
}

/// The outcomes of a form export, by organisation, as recorded.
fn recorded(s: &Scratch) -> Vec<(String, String, String)> {
    let rows = csv_rows(&s.stdout(&["history", "--format", "csv"]));
    rows[1..]
        .iter()
        .map(|r| (r[2].clone(), r[3].clone(), r[4].clone()))
        .collect()
}

fn small(s: &Scratch) {
    s.run(&["motion", "add", "m", "--title", "Sample motion"])
        .success();
    for (name, kind, region) in [
        ("Ashby CLP", "clp", "East Midlands"),
        ("Walford CLP", "clp", "London"),
        ("Holby CLP", "clp", "South West"),
        ("Ashby Ward Branch", "branch", "East Midlands"),
        ("Walford Momentum", "momentum", "London"),
    ] {
        s.run(&["org", "add", name, "--kind", kind, "--region", region])
            .success();
    }
}

#[test]
fn a_forms_own_phrasings_are_read() {
    let s = Scratch::new();
    small(&s);
    std::fs::write(
        s.dir.path().join("form.csv"),
        "Which body?,What happened?,Date of the meeting\n\
         Ashby CLP,Carried unanimously,28 Feb 2019\n\
         Walford CLP,Passed with amendments,28.02.2019\n\
         Holby CLP,Referred to the EC/GC,2019/02/28\n\
         Ashby Ward Branch,Agreed as amended,28/2/19\n\
         Walford Momentum,Heavily defeated,28-02-2019 19:30\n",
    )
    .unwrap();
    s.run(&[
        "import",
        "outcomes",
        "form.csv",
        "--column",
        "Which body?=organisation",
        "--column",
        "What happened?=status",
        "--column",
        "Date of the meeting=meeting_date",
    ])
    .success();
    let day = "2019-02-28".to_string();
    let mut got = recorded(&s);
    got.sort();
    assert_eq!(
        got,
        [
            ("Ashby CLP".into(), "passed".into(), day.clone()),
            (
                "Ashby Ward Branch".into(),
                "passed-amended".into(),
                day.clone()
            ),
            ("Holby CLP".into(), "referred".into(), day.clone()),
            ("Walford CLP".into(), "passed-amended".into(), day.clone()),
            ("Walford Momentum".into(), "rejected".into(), day),
        ]
    );
}

#[test]
fn value_maps_a_forms_own_answers_and_leaves_rows_out() {
    let s = Scratch::new();
    small(&s);
    let form = "organisation,status,meeting_date,kind\n\
                Ashby CLP,Yes - we won!,01/03/2019,\n\
                Walford CLP,Not moved yet,01/03/2019,\n\
                Skelbeck Ward,Yes - we won!,01/03/2019,Ward\n";
    std::fs::write(s.dir.path().join("form.csv"), form).unwrap();
    let err = s.fails(&["import", "outcomes", "form.csv", "--create-orgs"]);
    assert!(
        err.contains("form.csv:2: status: unknown status \"Yes - we won!\"")
            && err.contains("--value \"status:Yes - we won!=STATUS\""),
        "{err}"
    );
    let said = s
        .run(&[
            "import",
            "outcomes",
            "form.csv",
            "--create-orgs",
            "--value",
            "status:yes, we won=passed",
            "--value",
            "status:Not moved yet=-",
        ])
        .success()
        .get_output()
        .stderr
        .clone();
    let said = String::from_utf8(said).unwrap();
    assert!(said.contains("added 2 outcomes"), "{said}");
    assert!(said.contains("left out 1 row as --value says"), "{said}");
    let got = recorded(&s);
    assert!(
        got.iter().all(|r| r.1 == "passed" && r.0 != "Walford CLP"),
        "{got:?}"
    );
    let kinds = csv_rows(&s.stdout(&["org", "list", "--format", "csv"]));
    assert!(
        kinds
            .iter()
            .any(|r| r[0] == "Skelbeck Ward" && r[1] == "labour-branch")
    );
    // Kinds the same way, and a bad --value says how to write one.
    std::fs::write(
        s.dir.path().join("orgs.csv"),
        "name,kind\nTrumpton Branch,Local party\nAn Individual,Person\n",
    )
    .unwrap();
    s.run(&[
        "import",
        "orgs",
        "orgs.csv",
        "--value",
        "kind:Local party=labour-branch",
        "--value",
        "kind:person=-",
    ])
    .success();
    let orgs = csv_rows(&s.stdout(&["org", "list", "--format", "csv"]));
    assert!(
        orgs.iter()
            .any(|r| r[0] == "Trumpton Branch" && r[1] == "labour-branch")
    );
    assert!(orgs.iter().all(|r| r[0] != "An Individual"));
    let err = s.fails(&[
        "import",
        "orgs",
        "orgs.csv",
        "--value",
        "Local party=branch",
    ]);
    assert!(err.contains("\"status:THEIR WORDS=STATUS\""), "{err}");
}

#[test]
fn unknown_words_get_a_suggestion_and_not_moved_says_why() {
    let s = Scratch::new();
    small(&s);
    let err = s.fails(&["log", "Ashby CLP", "rejectd", "--date", "2019-02-01"]);
    assert!(
        err.contains("unknown status \"rejectd\"; did you mean \"rejected\"?"),
        "{err}"
    );
    let err = s.fails(&["org", "add", "Ashby Momentum", "--kind", "momentun"]);
    assert!(
        err.contains("unknown kind \"momentun\"; did you mean \"momentum-group\"?"),
        "{err}"
    );
    let err = s.fails(&["log", "Ashby CLP", "not moved", "--date", "2019-02-01"]);
    assert!(
        err.contains("counted as not moved already, so there is nothing to record"),
        "{err}"
    );
    s.log(&["Ashby CLP", "carried nem con", "--date", "2019-02-01"]);
    s.log(&["Walford CLP", "Voted down", "--date", "2019-02-01"]);
    let got = recorded(&s);
    assert_eq!(got[0].1, "passed");
    assert_eq!(got[1].1, "rejected");
}

#[test]
fn dates_as_people_write_them() {
    let s = Scratch::new();
    small(&s);
    for (org, date) in [
        ("Ashby CLP", "28 Feb 2019"),
        ("Walford CLP", "28 February 2019"),
        ("Holby CLP", "28.02.2019"),
        ("Ashby Ward Branch", "2019/02/28"),
        ("Walford Momentum", "28/2/19"),
    ] {
        s.log(&[org, "passed", "--date", date]);
    }
    assert!(recorded(&s).iter().all(|r| r.2 == "2019-02-28"));
}

#[test]
fn month_first_files_are_pointed_out_and_read_with_dates_mdy() {
    let s = Scratch::new();
    small(&s);
    std::fs::write(
        s.dir.path().join("us.csv"),
        "organisation,status,meeting_date\n\
         Ashby CLP,passed,2/28/2019 7:30:00 PM\n\
         Walford CLP,passed,03/01/2019\n\
         Holby CLP,passed,3/13/2019\n",
    )
    .unwrap();
    let err = s.fails(&["import", "outcomes", "us.csv"]);
    assert!(
        err.contains(
            "us.csv:2: meeting_date: \"2/28/2019 7:30:00 PM\" is not a date; there is no month 28"
        ),
        "{err}"
    );
    assert!(
        err.contains("Hint: this file's dates look month-first (such as \"2/28/2019 7:30:00 PM\"); import it with --dates mdy."),
        "{err}"
    );
    s.run(&["import", "outcomes", "us.csv", "--dates", "mdy"])
        .success();
    let mut dates: Vec<String> = recorded(&s).into_iter().map(|r| r.2).collect();
    dates.sort();
    assert_eq!(dates, ["2019-02-28", "2019-03-01", "2019-03-13"]);
    // A day-first file read month first is pointed out too; a file that fits both is not.
    std::fs::write(
        s.dir.path().join("uk.csv"),
        "organisation,status,meeting_date\nAshby Ward Branch,passed,25/02/2019\n",
    )
    .unwrap();
    let err = s.fails(&["import", "outcomes", "uk.csv", "--dates", "mdy"]);
    assert!(err.contains("import it without --dates mdy"), "{err}");
    std::fs::write(
        s.dir.path().join("bad.csv"),
        "organisation,status,meeting_date\nAshby Ward Branch,passed,31/02/2019\n",
    )
    .unwrap();
    let err = s.fails(&["import", "outcomes", "bad.csv"]);
    assert!(!err.contains("Hint"), "{err}");
}

#[test]
fn regions_and_unions_that_look_like_slips_are_refused() {
    let s = Scratch::new();
    // The first union of an empty database is taken as typed; a region is still checked
    // against Labour's, and takes their spelling.
    s.run(&[
        "org",
        "add",
        "Unite LE/999 Sample Branch",
        "--kind",
        "union",
        "--union",
        "Unite",
    ])
    .success();
    s.run(&[
        "org",
        "add",
        "Ashby CLP",
        "--kind",
        "clp",
        "--region",
        "east midlands",
    ])
    .success();
    let err = s.fails(&[
        "org",
        "add",
        "Walford CLP",
        "--kind",
        "clp",
        "--region",
        "Lond",
    ]);
    assert!(
        err.contains("\"Lond\" is not a region in use; did you mean \"London\"?")
            && err.contains("--new-region Lond"),
        "{err}"
    );
    let err = s.fails(&[
        "org",
        "add",
        "Unite LE/998 Sample Branch",
        "--kind",
        "union",
        "--union",
        "Unitee",
    ]);
    assert!(
        err.contains("did you mean \"Unite\"?") && err.contains("--new-union"),
        "{err}"
    );
    let err = s.fails(&["org", "edit", "Ashby CLP", "--region", "East Midland"]);
    assert!(err.contains("did you mean \"East Midlands\"?"), "{err}");
    s.run(&["motion", "add", "m", "--title", "Sample motion"])
        .success();
    let err = s.fails(&[
        "log",
        "Holby CLP",
        "passed",
        "--date",
        "2019-02-01",
        "--kind",
        "clp",
        "--region",
        "Sout West",
    ]);
    assert!(err.contains("did you mean \"South West\"?"), "{err}");
    // A new one meant as new.
    s.run(&[
        "org",
        "add",
        "Walford CLP",
        "--kind",
        "clp",
        "--new-region",
        "Lond",
    ])
    .success();
    s.run(&[
        "org",
        "add",
        "Holby CLP",
        "--kind",
        "clp",
        "--region",
        "LONDON",
    ])
    .success();
    let orgs = csv_rows(&s.stdout(&["org", "list", "--format", "csv"]));
    let region = |name: &str| orgs.iter().find(|r| r[0] == name).unwrap()[2].clone();
    assert_eq!(region("Ashby CLP"), "East Midlands");
    assert_eq!(region("Walford CLP"), "Lond");
    assert_eq!(region("Holby CLP"), "London");
    // Files: refused line by line, or taken as written with --create-regions.
    std::fs::write(
        s.dir.path().join("orgs.csv"),
        "name,kind,region,union\n\
         Skelbeck CLP,clp,Yorkshire and the Humbr,\n\
         Unite LE/997 Sample Branch,union,,unite\n",
    )
    .unwrap();
    let err = s.fails(&["import", "orgs", "orgs.csv"]);
    assert!(
        err.contains("orgs.csv:2: region: \"Yorkshire and the Humbr\" is not a region in use; did you mean \"Yorkshire and the Humber\"?")
            && err.contains("--create-regions"),
        "{err}"
    );
    s.run(&["import", "orgs", "orgs.csv", "--create-regions"])
        .success();
    let orgs = csv_rows(&s.stdout(&["org", "list", "--format", "csv"]));
    let row = |name: &str| orgs.iter().find(|r| r[0] == name).unwrap().clone();
    assert_eq!(row("Skelbeck CLP")[2], "Yorkshire and the Humbr");
    assert_eq!(
        row("Unite LE/997 Sample Branch")[3],
        "Unite",
        "the spelling in use"
    );
    std::fs::write(
        s.dir.path().join("outcomes.csv"),
        "organisation,status,meeting_date,kind,region\nBorchester CLP,passed,2019-02-01,clp,Wale\n",
    )
    .unwrap();
    let err = s.fails(&["import", "outcomes", "outcomes.csv", "--create-orgs"]);
    assert!(err.contains("did you mean \"Wales\"?"), "{err}");
}
