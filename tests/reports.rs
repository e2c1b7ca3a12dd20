//! `status` and `tally` on the demo campaign, against tallies worked out by hand from the
//! demo's events (see src/cmd/demo.rs).

use crate::util::{Scratch, csv_rows};

const TALLY_HEADER: [&str; 7] = [
    "registered",
    "passed",
    "amended",
    "rejected",
    "pending",
    "dropped",
    "not_moved",
];

/// The tally rows as (first column, numbers), header checked.
fn tally(s: &Scratch, args: &[&str], dims: &[&str]) -> Vec<(Vec<String>, Vec<u64>)> {
    let mut all = vec!["tally", "--format", "csv"];
    all.extend_from_slice(args);
    let rows = csv_rows(&s.stdout(&all));
    let mut header: Vec<&str> = dims.to_vec();
    header.extend(TALLY_HEADER);
    assert_eq!(rows[0], header);
    rows[1..]
        .iter()
        .map(|row| {
            let (labels, numbers) = row.split_at(dims.len());
            (
                labels.to_vec(),
                numbers.iter().map(|n| n.parse().unwrap()).collect(),
            )
        })
        .collect()
}

fn by_kind(s: &Scratch, extra: &[&str]) -> Vec<(String, Vec<u64>)> {
    let mut args = vec!["--by", "kind"];
    args.extend_from_slice(extra);
    tally(s, &args, &["kind"])
        .into_iter()
        .map(|(k, n)| (k[0].clone(), n))
        .collect()
}

fn row(kind: &str, numbers: [u64; 7]) -> (String, Vec<u64>) {
    (kind.to_string(), numbers.to_vec())
}

#[test]
fn tally_by_kind_now() {
    let s = Scratch::demo();
    assert_eq!(
        by_kind(&s, &[]),
        [
            //                     reg pass amend rej pend drop none
            row("clp", [10, 4, 2, 1, 3, 0, 2]),
            row("labour-branch", [12, 8, 2, 2, 1, 1, 0]),
            row("momentum-group", [5, 4, 0, 0, 0, 0, 1]),
            row("union-branch", [8, 5, 0, 0, 1, 1, 1]),
            row("trades-council", [3, 2, 1, 0, 1, 0, 0]),
            row("other", [2, 1, 0, 0, 0, 0, 1]),
        ]
    );
    let total = tally(&s, &[], &[]);
    assert_eq!(total, [(vec![], vec![40, 24, 5, 3, 6, 2, 5])]);
}

#[test]
fn tally_as_of_the_middle_of_the_campaign() {
    let s = Scratch::demo();
    // By 10 February: Walford CLP's notice was for the 13th, Ashby CLP and Borchester CLP had
    // deferred, Weatherfield CLP had it moved.
    assert_eq!(
        by_kind(&s, &["--as-of", "2019-02-10"]),
        [
            row("clp", [10, 0, 0, 0, 3, 0, 7]),
            row("labour-branch", [12, 8, 2, 2, 0, 1, 1]),
            row("momentum-group", [5, 4, 0, 0, 0, 0, 1]),
            row("union-branch", [8, 1, 0, 0, 0, 0, 7]),
            row("trades-council", [3, 0, 0, 0, 0, 0, 3]),
            row("other", [2, 1, 0, 0, 0, 0, 1]),
        ]
    );
    // The day before the first meeting nothing had moved; after the last, it is the present.
    assert_eq!(
        tally(&s, &["--as-of", "2019-01-26"], &[]),
        [(vec![], vec![40, 0, 0, 0, 0, 0, 40])]
    );
    assert_eq!(
        tally(&s, &["--as-of", "10/03/2019"], &[]),
        tally(&s, &[], &[])
            .into_iter()
            .map(|(l, mut n)| {
                // Trumpton CLP's notice is for 14 March, Loxley Barrett's for 6 March (counted by then).
                n[4] -= 1;
                n[6] += 1;
                (l, n)
            })
            .collect::<Vec<_>>()
    );
}

#[test]
fn every_row_adds_up_and_the_rows_add_up_to_the_total() {
    let s = Scratch::demo();
    for dims in [
        &["region"][..],
        &["union"],
        &["region", "kind"],
        &["kind", "union"],
    ] {
        let mut args = Vec::new();
        for dim in dims {
            args.extend(["--by", dim]);
        }
        let rows = tally(&s, &args, dims);
        let mut sums = [0u64; 7];
        for (labels, n) in &rows {
            assert_eq!(n[1] + n[3] + n[4] + n[5] + n[6], n[0], "{labels:?}");
            assert!(n[2] <= n[1], "amended is a part of passed");
            for (sum, value) in sums.iter_mut().zip(n) {
                *sum += value;
            }
        }
        assert_eq!(sums, [40, 24, 5, 3, 6, 2, 5], "{dims:?}");
    }
    let regions: Vec<String> = tally(&s, &["--by", "region"], &["region"])
        .into_iter()
        .map(|(l, _)| l[0].clone())
        .collect();
    assert_eq!(
        regions,
        [
            "East Midlands",
            "Eastern",
            "London",
            "North West",
            "Northern",
            "South East",
            "South West",
            "Wales",
            "West Midlands",
            "Yorkshire and the Humber"
        ]
    );
    let unions: Vec<String> = tally(&s, &["--by", "union"], &["union"])
        .into_iter()
        .map(|(l, _)| l[0].clone())
        .collect();
    assert_eq!(
        unions,
        ["CWU", "GMB", "NEU", "RMT", "UNISON", "Unite", ""],
        "orgs without a union last"
    );
}

#[test]
fn tally_filters_and_detail() {
    let s = Scratch::demo();
    let london = tally(&s, &["--region", "london", "--kind", "labour-branch"], &[]);
    assert_eq!(london, [(vec![], vec![2, 1, 0, 1, 0, 0, 0])]);
    let rows = csv_rows(&s.stdout(&["tally", "--detail", "--format", "csv"]));
    assert_eq!(
        &rows[0][7..],
        [
            "status_planned",
            "status_moved",
            "status_deferred",
            "status_referred",
            "status_passed",
            "status_passed_amended",
            "status_rejected",
            "status_withdrawn",
            "status_ruled_out"
        ]
    );
    assert_eq!(
        &rows[1][7..],
        ["2", "1", "2", "1", "19", "5", "3", "1", "1"]
    );
}

#[test]
fn the_table_ends_with_a_total_row() {
    let s = Scratch::demo();
    let table = s.stdout(&["tally", "--by", "kind"]);
    let lines: Vec<&str> = table.lines().collect();
    assert!(lines[0].starts_with('╭'));
    assert!(
        lines[1].contains("Kind") && lines[1].contains("Not moved"),
        "{table}"
    );
    let total = lines[lines.len() - 2];
    assert!(
        total.contains("Total") && total.contains("40") && total.contains("24"),
        "{table}"
    );
    assert!(
        lines[lines.len() - 3].starts_with('├'),
        "the total is ruled off:\n{table}"
    );
    let markdown = s.stdout(&["tally", "--by", "kind", "--format", "markdown"]);
    assert!(
        markdown.starts_with("| Kind | Registered | Passed |"),
        "{markdown}"
    );
    assert!(markdown.contains("| --- | ---: |"), "{markdown}");
    assert!(
        markdown
            .trim_end()
            .ends_with("| **Total** | **40** | **24** | **5** | **3** | **6** | **2** | **5** |"),
        "{markdown}"
    );
}

#[test]
fn status_lists_every_org_with_its_current_status() {
    let s = Scratch::demo();
    let rows = csv_rows(&s.stdout(&["status", "--kind", "clp", "--format", "csv"]));
    assert_eq!(
        rows[0],
        [
            "organisation",
            "kind",
            "region",
            "union",
            "parent",
            "code",
            "status",
            "group",
            "meeting_date",
            "votes_for",
            "votes_against",
            "votes_abstain",
            "source"
        ]
    );
    let summary: Vec<[&str; 3]> = rows[1..]
        .iter()
        .map(|r| [r[0].as_str(), r[6].as_str(), r[8].as_str()])
        .collect();
    assert_eq!(
        summary,
        [
            ["Ashby CLP", "passed", "2019-02-25"],
            ["Borchester CLP", "passed", "2019-02-27"],
            ["Fenmarsh CLP", "deferred", "2019-02-28"],
            ["Holby CLP", "none", ""],
            ["Hotten CLP", "rejected", "2019-02-11"],
            ["Pontypandy CLP", "passed-amended", "2019-02-14"],
            ["Skelbeck CLP", "none", ""],
            ["Trumpton CLP", "planned", "2019-03-14"],
            ["Walford CLP", "passed-amended", "2019-02-13"],
            ["Weatherfield CLP", "deferred", "2019-02-21"],
        ]
    );
    assert_eq!(&rows[1][9..12], ["34", "3", "1"]);
    let table = s.stdout(&["status", "--kind", "clp"]);
    assert!(
        table
            .lines()
            .any(|l| l.contains("Holby CLP") && l.contains(" - ")),
        "{table}"
    );
}

#[test]
fn status_as_of_and_by_status() {
    let s = Scratch::demo();
    let rows = csv_rows(&s.stdout(&[
        "status",
        "--as-of",
        "2019-02-10",
        "--status",
        "deferred",
        "--format",
        "csv",
    ]));
    let names: Vec<&str> = rows[1..].iter().map(|r| r[0].as_str()).collect();
    assert_eq!(names, ["Ashby CLP", "Borchester CLP"]);
    let rows = csv_rows(&s.stdout(&["status", "--status", "amended", "--format", "csv"]));
    let names: Vec<&str> = rows[1..].iter().map(|r| r[0].as_str()).collect();
    assert_eq!(
        names,
        [
            "Ashby South Ward Branch",
            "Borchester Trades Union Council",
            "Emmerdale Ward Branch",
            "Pontypandy CLP",
            "Walford CLP"
        ]
    );
    let rows = csv_rows(&s.stdout(&["status", "--region", "WALES", "--format", "csv"]));
    assert_eq!(
        rows[1..].iter().map(|r| r[0].as_str()).collect::<Vec<_>>(),
        [
            "Llareggub Ward Branch",
            "Pontypandy CLP",
            "Pontypandy Momentum"
        ]
    );
    assert_eq!(rows[1][4], "Pontypandy CLP", "a branch's parent CLP");
}

#[test]
fn json_uses_the_csv_names_with_numbers_and_nulls() {
    let s = Scratch::demo();
    let json: serde_json::Value =
        serde_json::from_str(&s.stdout(&["status", "--kind", "clp", "--format", "json"])).unwrap();
    let ashby = &json[0];
    assert_eq!(ashby["organisation"], "Ashby CLP");
    assert_eq!(ashby["status"], "passed");
    assert_eq!(ashby["group"], "passed");
    assert_eq!(ashby["votes_for"], 34);
    assert_eq!(ashby["union"], serde_json::Value::Null);
    let holby = &json[3];
    assert_eq!(
        (holby["status"].as_str(), holby["group"].as_str()),
        (Some("none"), Some("none"))
    );
    assert_eq!(holby["meeting_date"], serde_json::Value::Null);
    let tally: serde_json::Value =
        serde_json::from_str(&s.stdout(&["tally", "--by", "kind", "--format", "json"])).unwrap();
    assert_eq!(tally.as_array().unwrap().len(), 6, "no total row in json");
    assert_eq!(tally[0]["kind"], "clp");
    assert_eq!(tally[0]["not_moved"], 2);
}

#[test]
fn output_goes_to_a_file_in_the_format_its_name_suggests() {
    let s = Scratch::demo();
    s.run(&["tally", "--by", "kind", "-o", "tally.csv"])
        .success()
        .stdout("");
    let text = std::fs::read_to_string(s.dir.path().join("tally.csv")).unwrap();
    assert!(text.starts_with("kind,registered,passed,amended"), "{text}");
    s.run(&["status", "-o", "status.json"]).success();
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(s.dir.path().join("status.json")).unwrap())
            .unwrap();
    assert_eq!(json.as_array().unwrap().len(), 40);
    s.run(&["status", "--format", "markdown", "-o", "status.txt"])
        .success();
    let md = std::fs::read_to_string(s.dir.path().join("status.txt")).unwrap();
    assert!(md.starts_with("| Organisation |"), "{md}");
}

#[test]
fn csv_output_neutralises_spreadsheet_formulas() {
    let s = Scratch::demo();
    s.log(&[
        "=HYPERLINK(\"http://example.org\")",
        "passed",
        "--date",
        "2019-02-01",
        "--kind",
        "other",
        "--note",
        "+1 from the chair",
        "--source",
        "@minutes",
    ]);
    let text = s.stdout(&[
        "history",
        "--format",
        "csv",
        "--org",
        "=HYPERLINK(\"http://example.org\")",
    ]);
    let rows = csv_rows(&text);
    assert_eq!(rows[1][2], "'=HYPERLINK(\"http://example.org\")");
    assert_eq!(rows[1][9], "'@minutes");
    assert_eq!(rows[1][10], "'+1 from the chair");
    let json: serde_json::Value = serde_json::from_str(&s.stdout(&[
        "history",
        "--format",
        "json",
        "--org",
        "=hyperlink(\"http://example.org\")",
    ]))
    .unwrap();
    assert_eq!(
        json[0]["organisation"], "=HYPERLINK(\"http://example.org\")",
        "json is not a spreadsheet"
    );
}

#[test]
fn history_filters_by_org_motion_and_dates() {
    let s = Scratch::demo();
    let rows = csv_rows(&s.stdout(&["history", "--org", "borchester clp", "--format", "csv"]));
    assert_eq!(
        rows[0],
        [
            "id",
            "motion",
            "organisation",
            "status",
            "meeting_date",
            "votes_for",
            "votes_against",
            "votes_abstain",
            "reported_by",
            "source",
            "notes",
            "recorded_at"
        ]
    );
    let events: Vec<[&str; 2]> = rows[1..]
        .iter()
        .map(|r| [r[3].as_str(), r[4].as_str()])
        .collect();
    assert_eq!(
        events,
        [
            ["deferred", "2019-02-04"],
            ["deferred", "2019-02-18"],
            ["passed", "2019-02-27"]
        ]
    );
    assert!(
        rows[1][11].ends_with('Z'),
        "recorded_at is a UTC timestamp: {}",
        rows[1][11]
    );
    let rows = csv_rows(&s.stdout(&[
        "history",
        "--since",
        "2019-02-26",
        "--until",
        "27/02/2019",
        "--format",
        "csv",
    ]));
    assert_eq!(rows.len(), 3);
    let rows = csv_rows(&s.stdout(&["history", "--motion", "venezuela-coup", "--format", "csv"]));
    assert_eq!(rows.len(), 41);
}

#[test]
fn status_takes_groups_as_well_as_statuses() {
    let s = Scratch::demo();
    let names = |args: &[&str]| -> Vec<String> {
        let mut all = vec!["status", "--format", "csv"];
        all.extend_from_slice(args);
        csv_rows(&s.stdout(&all))[1..]
            .iter()
            .map(|r| r[0].clone())
            .collect()
    };
    assert_eq!(
        names(&["--status", "none", "--kind", "clp"]),
        ["Holby CLP", "Skelbeck CLP"]
    );
    assert_eq!(
        names(&["--status", "not moved", "--region", "wales"]),
        ["Pontypandy Momentum"]
    );
    assert_eq!(
        names(&["--status", "passed", "--kind", "clp"]),
        [
            "Ashby CLP",
            "Borchester CLP",
            "Pontypandy CLP",
            "Walford CLP"
        ]
    );
    assert_eq!(
        names(&["--status", "carried", "--kind", "clp"]),
        ["Ashby CLP", "Borchester CLP"]
    );
    assert_eq!(
        names(&["--status", "pending", "--kind", "clp"]),
        ["Fenmarsh CLP", "Trumpton CLP", "Weatherfield CLP"]
    );
    assert_eq!(
        names(&["--status", "dropped"]),
        ["Beckindale Ward Branch", "GMB Weatherfield Sample Branch"]
    );
}

#[test]
fn rows_without_a_value_are_labelled_in_tables_and_empty_in_csv() {
    let s = Scratch::demo();
    let table = s.stdout(&["tally", "--by", "union"]);
    assert!(
        table
            .lines()
            .any(|l| l.contains("(no union)") && l.contains("32")),
        "{table}"
    );
    let rows = csv_rows(&s.stdout(&["tally", "--by", "union", "--format", "csv"]));
    assert_eq!(rows.last().unwrap()[0], "");
    let json: serde_json::Value =
        serde_json::from_str(&s.stdout(&["tally", "--by", "union", "--format", "json"])).unwrap();
    assert_eq!(json[6]["union"], serde_json::Value::Null);
}

#[test]
fn nothing_to_show_is_said_in_words() {
    let s = Scratch::new();
    s.run(&["init"]).success();
    s.run(&["org", "list"])
        .success()
        .stdout("")
        .stderr(predicates::str::contains(
            "No registered organisation matches",
        ));
    s.run(&["motion", "list"])
        .success()
        .stdout("")
        .stderr(predicates::str::contains("No motions yet"));
    assert_eq!(
        s.stdout(&["org", "list", "--format", "csv"]),
        "name,kind,region,union,parent,code\n"
    );
    assert_eq!(s.stdout(&["org", "list", "--format", "json"]), "[]\n");
    let d = Scratch::demo();
    d.run(&["history", "--since", "2020-01-01"])
        .success()
        .stdout("")
        .stderr(predicates::str::contains("No recorded events match"));
}

#[test]
fn dash_as_the_output_file_is_standard_output() {
    let s = Scratch::demo();
    let out = s.stdout(&["tally", "-o", "-", "--format", "csv"]);
    assert!(out.starts_with("registered,passed"), "{out}");
    assert!(!s.dir.path().join("-").exists());
}

mod html {
    use scraper::{Html, Selector};

    use crate::util::Scratch;

    fn page(s: &Scratch, args: &[&str]) -> Html {
        let mut all = vec!["report", "-o", "report.html"];
        all.extend_from_slice(args);
        s.run(&all).success();
        Html::parse_document(&std::fs::read_to_string(s.dir.path().join("report.html")).unwrap())
    }

    fn texts(doc: &Html, selector: &str) -> Vec<String> {
        let selector = Selector::parse(selector).unwrap();
        doc.select(&selector)
            .map(|e| e.text().collect::<String>().trim().to_string())
            .collect()
    }

    #[test]
    fn the_report_has_the_numbers_and_escapes_user_text() {
        let s = Scratch::demo();
        s.log(&[
            "<script>alert('x')</script> Branch",
            "passed",
            "--date",
            "2019-02-20",
            "--kind",
            "other",
            "--region",
            "London",
            "--source",
            "javascript:alert(1)",
        ]);
        s.log(&[
            "Holby CLP",
            "passed",
            "--date",
            "2019-03-01",
            "--source",
            "https://example.org/holby?a=1&b=<2>",
        ]);
        let doc = page(&s, &[]);
        assert!(
            texts(&doc, "script").is_empty(),
            "no script element, and none from user text"
        );
        let html = std::fs::read_to_string(s.dir.path().join("report.html")).unwrap();
        assert!(!html.contains("<script>alert"), "user text is escaped");
        assert!(
            !html.contains("http-equiv=\"refresh\"") && !html.contains("src="),
            "nothing is fetched"
        );
        assert!(
            html.contains("content=\"default-src 'none';"),
            "a policy that lets no script run"
        );

        let summary = texts(&doc, "p.summary");
        assert!(
            summary[0].contains("has been passed by 5 of 10 CLPs (50.0%)"),
            "{summary:?}"
        );
        let totals = texts(&doc, "tr.total td");
        assert_eq!(&totals[..8], ["Total", "41", "26", "5", "3", "6", "2", "4"]);
        let rows = texts(&doc, "h2 + div table tbody tr");
        assert!(
            rows.iter()
                .any(|r| r.starts_with("CLP") && r.contains("10")),
            "{rows:?}"
        );

        let names = texts(&doc, "table td:first-child");
        assert!(
            names.contains(&"<script>alert('x')</script> Branch".to_string()),
            "shown as text"
        );
        let links: Vec<String> = doc
            .select(&Selector::parse("a").unwrap())
            .filter_map(|a| a.value().attr("href").map(str::to_string))
            .collect();
        assert_eq!(
            links,
            ["https://example.org/holby?a=1&b=<2>"],
            "only web addresses are links"
        );
        let headings = texts(&doc, "h2");
        assert!(
            headings.contains(&"Organisations that have passed it (26)".to_string()),
            "{headings:?}"
        );
        assert!(
            headings.contains(&"Not yet moved (4)".to_string()),
            "{headings:?}"
        );
        assert_eq!(
            texts(&doc, "h3"),
            [
                "Northern (1)",
                "Wales (1)",
                "West Midlands (1)",
                "Yorkshire and the Humber (1)"
            ]
        );
        assert!(texts(&doc, "svg title")[0].contains("26 at the end"));
    }

    #[test]
    fn the_report_as_of_a_date_states_it() {
        let s = Scratch::demo();
        let doc = page(&s, &["--as-of", "2019-02-10"]);
        assert!(texts(&doc, "p.dated")[0].contains("10 February 2019"));
        assert_eq!(&texts(&doc, "tr.total td")[..3], ["Total", "40", "14"]);
        let headings = texts(&doc, "h2");
        assert!(
            headings.contains(&"Organisations that have passed it (14)".to_string()),
            "{headings:?}"
        );
        assert!(
            headings.contains(&"Not yet moved (20)".to_string()),
            "{headings:?}"
        );
    }
}

#[test]
fn tally_by_clp_counts_branches_under_every_clp() {
    let s = Scratch::demo();
    let rows = csv_rows(&s.stdout(&["tally", "--by", "clp", "--all-rows", "--format", "csv"]));
    assert_eq!(rows[0][..4], ["clp", "clp_status", "registered", "passed"]);
    let find = |name: &str| rows.iter().find(|r| r[0] == name).cloned().unwrap();
    assert_eq!(
        find("Ashby CLP")[1..],
        ["passed", "2", "2", "1", "0", "0", "0", "0"]
    );
    assert_eq!(
        find("Borchester CLP")[1..],
        ["passed", "2", "1", "0", "0", "1", "0", "0"]
    );
    assert_eq!(
        find("Holby CLP")[1..],
        ["none", "0", "0", "0", "0", "0", "0", "0"],
        "a CLP without branches"
    );
    assert_eq!(rows.len(), 11, "every CLP, and no row for other kinds");
    // Without --all-rows, only the CLPs with branches or an outcome of their own.
    let moving = csv_rows(&s.stdout(&["tally", "--by", "clp", "--format", "csv"]));
    assert!(
        moving
            .iter()
            .all(|r| r[0] != "Holby CLP" && r[0] != "Skelbeck CLP")
    );
    assert_eq!(moving.len(), 9);
    let early = csv_rows(&s.stdout(&[
        "tally",
        "--by",
        "clp",
        "--as-of",
        "2019-02-05",
        "--format",
        "csv",
    ]));
    let ashby = early.iter().find(|r| r[0] == "Ashby CLP").unwrap();
    assert_eq!(ashby[1..4], ["deferred", "2", "1"]);
    let err = s.fails(&["tally", "--by", "clp", "--by", "region"]);
    assert!(
        err.contains("--by clp counts branches under their CLP and stands alone"),
        "{err}"
    );
}

#[test]
fn summary_and_timeline_from_the_command_line() {
    let s = Scratch::demo();
    let text = s.stdout(&["summary", "--as-of", "2019-02-10"]);
    assert_eq!(
        text.trim(),
        "As of 10 February 2019, \u{201c}Oppose the attempted coup in Venezuela\u{201d} has been passed by \
         8 Labour branches, 4 Momentum groups, 1 union branch and 1 other body; rejected by 2; 3 more \
         have it under way; 1 withdrew it or had it ruled out of order. 49 days to the deadline of \
         31 March."
    );
    let json: serde_json::Value =
        serde_json::from_str(&s.stdout(&["summary", "--as-of", "2019-03-01", "--format", "json"]))
            .unwrap();
    assert_eq!(json[0]["as_of"], "2019-03-01");
    assert!(
        json[0]["summary"]
            .as_str()
            .unwrap()
            .contains("4 of 10 CLPs (40.0%)")
    );
    let weeks = csv_rows(&s.stdout(&[
        "timeline",
        "--since",
        "2019-02-04",
        "--until",
        "2019-02-17",
        "--format",
        "csv",
    ]));
    assert_eq!(
        weeks[1],
        ["2019-02-04", "2019-02-10", "5", "2", "2", "1", "14"]
    );
    assert_eq!(
        weeks[2],
        ["2019-02-11", "2019-02-17", "5", "1", "1", "0", "19"]
    );
    assert_eq!(weeks.len(), 3);
    let err = s.fails(&["timeline", "--since", "2019-03-01", "--until", "2019-02-01"]);
    assert!(
        err.contains("--until 2019-02-01 is before --since 2019-03-01"),
        "{err}"
    );
}

#[test]
fn colour_only_when_wanted() {
    let s = Scratch::demo();
    let plain = s.stdout(&["status", "--kind", "clp"]);
    assert!(!plain.contains('\u{1b}'), "no colour on a pipe");
    let coloured = s.stdout(&["status", "--kind", "clp", "--colour", "always"]);
    assert!(
        coloured.contains("\u{1b}[38;5;36m"),
        "passed in bluish green:\n{coloured}"
    );
    assert!(
        coloured.contains("\u{1b}[38;5;166m"),
        "rejected in vermillion"
    );
    let tally = s.stdout(&["tally", "--by", "kind", "--color", "always"]);
    assert!(tally.contains("\u{1b}[1m"), "a bold total");
    let never = s.stdout(&["status", "--color", "never"]);
    assert!(!never.contains('\u{1b}'));
    let csv = s.stdout(&["status", "--colour", "always", "--format", "csv"]);
    assert!(!csv.contains('\u{1b}'), "colour is for tables only");
}

#[test]
fn help_teaches_and_mistyped_commands_are_suggested() {
    let s = Scratch::new();
    let err = s.run(&["lgo"]).code(2).get_output().stderr.clone();
    assert!(
        String::from_utf8(err)
            .unwrap()
            .contains("a similar subcommand exists: 'log'")
    );
    let err = s.run(&["tallly"]).code(2).get_output().stderr.clone();
    assert!(String::from_utf8(err).unwrap().contains("'tally'"));
    for command in [
        "log",
        "status",
        "tally",
        "import outcomes",
        "export",
        "report",
        "org merge",
        "summary",
        "timeline",
    ] {
        let mut args: Vec<&str> = command.split(' ').collect();
        args.push("--help");
        let help = s.stdout(&args);
        assert!(
            help.contains("Examples:\n  motions"),
            "motions {command} --help has examples"
        );
    }
    let statuses = s.stdout(&["statuses", "--format", "csv"]);
    assert!(
        statuses.contains(
            "passed-amended,carried with amendments,\"carried-as-amended, amended\",passed"
        ),
        "{statuses}"
    );
    let man = s.stdout(&["man"]);
    assert!(man.contains(".TH motions 1"));
    let log = s.stdout(&["man", "log"]);
    assert!(
        log.contains(".TH motions-log 1") && log.contains("carried with amendments"),
        "each command has its page"
    );
    s.run(&["man", "lgo"]).code(1);
    let bash = s.stdout(&["completions", "bash"]);
    assert!(
        bash.contains("complete -o") && bash.contains("COMPLETE"),
        "{bash}"
    );
}

#[test]
fn completion_offers_slugs_and_names_from_the_database() {
    let s = Scratch::demo();
    let complete = |index: &str, words: &[&str]| {
        let out = crate::util::motions()
            .env("MOTIONS_DB", &s.db)
            .env("COMPLETE", "bash")
            .env("_CLAP_COMPLETE_INDEX", index)
            .env("_CLAP_COMPLETE_COMP_TYPE", "9")
            .env("_CLAP_COMPLETE_SPACE", "true")
            .arg("--")
            .args(words)
            .output()
            .unwrap();
        String::from_utf8(out.stdout)
            .unwrap()
            .lines()
            .map(str::to_string)
            .collect::<Vec<_>>()
    };
    // Bash inserts a candidate as it stands, so spaces come escaped.
    assert_eq!(
        complete("2", &["motions", "log", "Ashby"]),
        [
            "Ashby\\ CLP",
            "Ashby\\ North\\ Ward\\ Branch",
            "Ashby\\ South\\ Ward\\ Branch"
        ]
    );
    assert_eq!(
        complete("3", &["motions", "log", "Holby\\ CLP", "passed-a"]),
        ["passed-amended"]
    );
    assert_eq!(
        complete("3", &["motions", "tally", "--motion", "ven"]),
        ["venezuela-coup"]
    );
}

#[test]
fn info_says_where_and_how_much() {
    let s = Scratch::demo();
    let json: serde_json::Value =
        serde_json::from_str(&s.stdout(&["info", "--format", "json"])).unwrap();
    assert_eq!(json[0]["path"], s.db.display().to_string());
    assert_eq!(
        (
            json[0]["motions"].as_u64(),
            json[0]["organisations"].as_u64(),
            json[0]["outcomes"].as_u64()
        ),
        (Some(1), Some(40), Some(40))
    );
    assert_eq!(json[0]["schema_version"], 5);
}
