//! Chasing: the report's lists of who rejected the motion, who has it under way, who dropped
//! it and who has not moved it; a map readable on paper; correcting an event with `outcome
//! amend`; and registering with a code and a parent as you log.

use predicates::prelude::*;
use scraper::{Html, Selector};

use crate::util::{Scratch, csv_rows};

/// A campaign with one organisation at each stage, in two regions.
fn campaign() -> Scratch {
    let s = Scratch::new();
    s.run(&["motion", "add", "m", "--title", "A sample motion"])
        .success();
    for (name, region) in [
        ("Ashby CLP", "East Midlands"),
        ("Ashby North Ward Branch", "East Midlands"),
        ("Borchester CLP", "East Midlands"),
        ("Coton Ward Branch", "East Midlands"),
        ("Walford CLP", "London"),
        ("Walford East Ward Branch", "London"),
        ("Walford West Ward Branch", "London"),
        ("Walford Momentum", "London"),
        ("Walford Trades Council", "London"),
        (
            "A Very Long Name Of A Sample Branch That Must Wrap Within Its Column",
            "London",
        ),
        ("Unnamed Region Sample Branch", ""),
    ] {
        let mut args = vec!["org", "add", name, "--kind", "other"];
        if !region.is_empty() {
            args.extend(["--region", region]);
        }
        s.run(&args).success();
    }
    for (name, status, date, votes) in [
        ("Ashby CLP", "passed", "2019-02-04", None),
        (
            "Ashby CLP",
            "rejected",
            "2019-02-20",
            Some(["10", "31", "2"]),
        ),
        ("Ashby North Ward Branch", "planned", "2019-03-01", None),
        (
            "Borchester CLP",
            "rejected",
            "2019-02-11",
            Some(["4", "9", ""]),
        ),
        ("Walford CLP", "deferred", "2019-02-06", None),
        ("Walford East Ward Branch", "moved", "2019-02-07", None),
        ("Walford West Ward Branch", "withdrawn", "2019-02-08", None),
        ("Walford Momentum", "ruled-out", "2019-02-09", None),
        ("Walford Trades Council", "referred", "2019-02-10", None),
    ] {
        let mut args = vec![name, status, "--date", date];
        if let Some([f, a, x]) = votes {
            args.extend(["--for", f, "--against", a]);
            if !x.is_empty() {
                args.extend(["--abstain", x]);
            }
        }
        s.log(&args);
    }
    s
}

fn report(s: &Scratch, args: &[&str]) -> Html {
    let mut all = vec!["report", "-o", "report.html"];
    all.extend_from_slice(args);
    s.run(&all).success();
    Html::parse_document(&std::fs::read_to_string(s.dir.path().join("report.html")).unwrap())
}

fn texts(doc: &Html, selector: &str) -> Vec<String> {
    let selector = Selector::parse(selector).unwrap();
    doc.select(&selector)
        .map(|e| {
            e.text()
                .collect::<Vec<_>>()
                .join(" ")
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect()
}

#[test]
fn the_report_lists_who_rejected_it_has_it_under_way_or_dropped_it() {
    let s = campaign();
    let doc = report(&s, &["--as-of", "2019-03-01"]);
    assert_eq!(
        texts(&doc, "#rejected td.org .name"),
        ["Borchester CLP", "Ashby CLP"],
        "by the date of the meeting; Ashby's later rejection replaces its pass"
    );
    assert_eq!(texts(&doc, "#rejected td.votes"), ["4–9", "10–31–2"]);
    assert_eq!(texts(&doc, "#rejected td.d"), ["2019-02-11", "2019-02-20"]);
    assert_eq!(texts(&doc, "#rejected h2"), ["Rejected it (2)"]);
    let under_way: Vec<String> = texts(&doc, "#under-way tbody tr").into_iter().collect();
    assert_eq!(
        under_way,
        [
            "Ashby North Ward Branch Other body, East Midlands planned 2019-03-01",
            "Walford East Ward Branch Other body, London moved 2019-02-07",
            "Walford CLP Other body, London deferred 2019-02-06",
            "Walford Trades Council Other body, London referred 2019-02-10",
        ],
        "each with its stage and date, the stages in order"
    );
    assert_eq!(
        texts(&doc, "#dropped tbody tr td.status"),
        ["withdrawn", "ruled-out"]
    );
    assert_eq!(
        texts(&doc, "#dropped td.org .name"),
        ["Walford West Ward Branch", "Walford Momentum"]
    );
    assert!(
        !texts(&doc, "#rejected, #under-way, #dropped")
            .concat()
            .contains("Coton"),
        "an organisation that has not moved it is in none of the chase lists"
    );

    // Not yet moved: the count of each region first, then the names.
    assert_eq!(texts(&doc, "#not-moved h2"), ["Not yet moved (3)"]);
    assert_eq!(
        texts(&doc, "#not-moved ul.counts li"),
        ["East Midlands: 1", "London: 1", "(no region): 1"]
    );
    assert_eq!(
        texts(&doc, "#not-moved h3"),
        ["East Midlands (1)", "London (1)", "(no region) (1)"]
    );
    assert_eq!(
        texts(&doc, "#not-moved ul.names li"),
        [
            "Coton Ward Branch",
            "A Very Long Name Of A Sample Branch That Must Wrap Within Its Column",
            "Unnamed Region Sample Branch"
        ]
    );
    let html = std::fs::read_to_string(s.dir.path().join("report.html")).unwrap();
    assert!(
        html.contains("break-inside: avoid; overflow-wrap: anywhere"),
        "a long name wraps inside its column, never into the next"
    );

    // Earlier, the lists are as they stood then.
    let early = report(&s, &["--as-of", "2019-02-06"]);
    assert!(texts(&early, "#rejected td.org").is_empty());
    assert_eq!(texts(&early, "#rejected p"), ["None."]);
    assert_eq!(texts(&early, "#under-way td.org .name"), ["Walford CLP"]);
}

#[test]
fn the_chart_marks_several_dates_and_values() {
    let s = Scratch::demo();
    let doc = report(&s, &["--as-of", "2019-03-01"]);
    let dates = texts(&doc, "svg.chart g.dates text");
    assert!(
        dates.len() >= 4,
        "several dates along the bottom: {dates:?}"
    );
    assert_eq!(dates[0], "27 Jan");
    assert!(
        dates.contains(&"2019".to_string()),
        "the year is said: {dates:?}"
    );
    let values = texts(&doc, "svg.chart g.values text");
    assert!(values.len() >= 4, "several values up the side: {values:?}");
    assert_eq!(values[0], "0");
    let numbers: Vec<u64> = values.iter().map(|v| v.parse().unwrap()).collect();
    let title = texts(&doc, "svg.chart title").concat();
    let latest: u64 = title
        .split(": ")
        .last()
        .and_then(|end| end.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap();
    assert!(latest > 20, "{title}");
    assert!(
        numbers.windows(2).all(|w| w[1] > w[0]) && *numbers.last().unwrap() >= latest,
        "rising, up to the {latest} passes at least: {values:?}"
    );
}

/// The demo campaign with the built-in CLPs, a few of which have moved.
fn with_clps() -> Scratch {
    let s = Scratch::demo();
    s.run(&["import", "orgs", "--builtin", "uk-clps"]).success();
    for (name, status) in [
        ("Barnsley North CLP", "passed"),
        ("Cardiff East CLP", "rejected"),
        ("Bristol Central CLP", "withdrawn"),
        ("Islington North CLP", "deferred"),
    ] {
        s.log(&[name, status, "--date", "2019-02-14"]);
    }
    s
}

#[test]
fn the_map_outlines_and_names_the_regions_and_hatches_what_was_dropped() {
    let s = with_clps();
    let svg = s.stdout(&["map", "--as-of", "2019-03-01"]);
    let doc = roxmltree::Document::parse(&svg).unwrap();
    let outline = doc
        .descendants()
        .find(|n| n.attribute("class") == Some("outlines"))
        .and_then(|n| n.attribute("d"))
        .expect("the regions are outlined");
    assert!(
        outline.matches('M').count() > 300,
        "an edge wherever two regions meet, and along the coast"
    );
    let regions: Vec<String> = doc
        .descendants()
        .filter(|n| n.has_tag_name("text"))
        .filter(|n| n.parent().and_then(|p| p.attribute("class")) == Some("regions"))
        .map(|n| {
            n.descendants()
                .filter(|t| t.is_text())
                .filter_map(|t| t.text())
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect();
    let mut sorted = regions.clone();
    sorted.sort();
    assert_eq!(
        sorted,
        [
            "East Midlands",
            "Eastern",
            "London",
            "North West",
            "Northern",
            "Northern Ireland",
            "Scotland",
            "South East",
            "South West",
            "Wales",
            "West Midlands",
            "Yorkshire and the Humber",
        ]
    );
    let hatch = doc
        .descendants()
        .find(|n| n.has_tag_name("pattern") && n.attribute("id") == Some("hatched"))
        .expect("a hatch pattern");
    let line = hatch
        .descendants()
        .find(|n| n.has_tag_name("line"))
        .unwrap();
    let width: f64 = hatch.attribute("width").unwrap().parse().unwrap();
    let stroke: f64 = line.attribute("stroke-width").unwrap().parse().unwrap();
    assert!(
        width <= 3.0 && stroke / width >= 0.4 && line.attribute("stroke") == Some("#1a1a1a"),
        "close, dark stripes"
    );
    let hatched: Vec<&str> = doc
        .descendants()
        .filter(|n| n.attribute("fill") == Some("url(#hatched)") && n.has_tag_name("polygon"))
        .filter_map(|n| n.children().find(|c| c.has_tag_name("title"))?.text())
        .collect();
    assert_eq!(
        hatched,
        ["Bristol Central — Bristol Central CLP: withdrawn on 2019-02-14"]
    );
    assert!(
        doc.descendants()
            .all(|n| n.attribute("class") != Some("seat")),
        "no seat names without --labels"
    );
}

#[test]
fn map_labels_name_the_seats_that_passed_or_rejected_it() {
    let s = with_clps();
    let svg = s.stdout(&["map", "--labels"]);
    let doc = roxmltree::Document::parse(&svg).unwrap();
    let mut named: Vec<String> = doc
        .descendants()
        .filter(|n| n.attribute("class") == Some("seat"))
        .map(|n| {
            n.descendants()
                .filter(|t| t.is_text())
                .filter_map(|t| t.text())
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect();
    named.sort();
    assert_eq!(
        named,
        ["Barnsley North", "Cardiff East"],
        "passed and rejected, not withdrawn or deferred"
    );
    let sizes: Vec<f64> = doc
        .descendants()
        .filter(|n| n.attribute("class") == Some("seat"))
        .map(|n| n.attribute("font-size").unwrap().parse().unwrap())
        .collect();
    assert!(
        sizes.iter().all(|size| (0.5..=2.5).contains(size)),
        "{sizes:?}"
    );
}

#[test]
fn the_report_shows_the_map_with_its_legend_beneath_as_text() {
    let s = with_clps();
    let doc = report(&s, &["--as-of", "2019-03-01"]);
    let legend = texts(&doc, "figure.map ul.legend li");
    assert_eq!(
        legend,
        [
            "Passed: 1",
            "Rejected: 1",
            "Under way: 1",
            "Withdrawn or ruled out: 1",
            "Not yet moved: 571",
            "No organisation registered: 75"
        ]
    );
    assert!(
        texts(&doc, "figure.map svg.map g.legend").is_empty(),
        "one legend, in the page's own text"
    );
    let html = std::fs::read_to_string(s.dir.path().join("report.html")).unwrap();
    assert!(
        html.contains("figure.map { display: flex; flex-wrap: wrap;"),
        "the legend goes beneath the map when there is no room beside it"
    );
}

#[test]
fn outcome_amend_corrects_an_event_and_keeps_the_original_linked() {
    let s = campaign();
    let before = csv_rows(&s.stdout(&["history", "--org", "Borchester CLP", "--format", "csv"]));
    let id = before[1][0].clone();
    assert_eq!(before[1][5..8], ["4", "9", ""]);
    s.run(&[
        "outcome",
        "amend",
        &id,
        "--for",
        "14",
        "--against",
        "19",
        "--abstain",
        "1",
        "--date",
        "2019-03-04",
        "--reason",
        "the minutes say 14 to 19, on the 4th",
    ])
    .success()
    .stderr(format!(
        "Amended event {id}: Borchester CLP rejected m on 2019-02-11 is now event 10; the \
         original stays in history --all\n"
    ));
    let all = csv_rows(&s.stdout(&[
        "history",
        "--org",
        "Borchester CLP",
        "--all",
        "--format",
        "csv",
    ]));
    assert_eq!(all.len(), 3, "both events: {all:?}");
    assert_eq!(all[1][0], id);
    assert_eq!(
        all[1][13], "amended by event 10: the minutes say 14 to 19, on the 4th",
        "the original names its correction"
    );
    assert_eq!(all[2][0], "10");
    assert_eq!(all[2][3..8], ["rejected", "2019-03-04", "14", "19", "1"]);
    assert_eq!(all[2][13], "", "the correction stands");
    let now = csv_rows(&s.stdout(&["history", "--org", "Borchester CLP", "--format", "csv"]));
    assert_eq!(
        now.len(),
        2,
        "history without --all shows the correction only"
    );

    // The tallies follow the corrected date.
    let tally = |as_of: &str| {
        csv_rows(&s.stdout(&["tally", "--as-of", as_of, "--format", "csv"]))[1][3].clone()
    };
    assert_eq!(
        tally("2019-02-28"),
        "1",
        "rejected by Ashby only, until the 4th"
    );
    assert_eq!(tally("2019-03-04"), "2");
    let status = csv_rows(&s.stdout(&["status", "--format", "csv"]));
    let row = status.iter().find(|r| r[0] == "Borchester CLP").unwrap();
    assert_eq!(row[8..11], ["2019-03-04", "14", "19"]);

    // Text can be cleared, and the reporter kept.
    s.run(&[
        "outcome",
        "amend",
        "10",
        "--by",
        "Sam Sample",
        "--reason",
        "who sent it",
    ])
    .success();
    let last = csv_rows(&s.stdout(&["history", "--org", "Borchester CLP", "--format", "csv"]));
    assert_eq!(last[1][8], "Sam Sample");
    assert_eq!(
        last[1][5..8],
        ["14", "19", "1"],
        "the votes stay as corrected"
    );
}

#[test]
fn a_bad_amendment_is_refused_and_nothing_is_written() {
    let s = campaign();
    let id = csv_rows(&s.stdout(&["history", "--org", "Borchester CLP", "--format", "csv"]))[1][0]
        .clone();
    let err = s.fails(&["outcome", "amend", &id, "--for", "-3", "--reason", "typo"]);
    assert!(
        err.contains("--for -3: a number of votes cannot be negative"),
        "{err}"
    );
    let err = s.fails(&[
        "outcome",
        "amend",
        &id,
        "--date",
        "2999-01-01",
        "--reason",
        "x",
    ]);
    assert!(err.contains("is in the future"), "{err}");
    let err = s.fails(&["outcome", "amend", &id, "--for", "4", "--reason", "same"]);
    assert!(err.contains("already says that"), "{err}");
    let err = s.fails(&["outcome", "amend", &id, "--for", "5", "--reason", " "]);
    assert!(err.contains("give the reason"), "{err}");
    let err = s.fails(&["outcome", "amend", "999", "--for", "5", "--reason", "x"]);
    assert!(err.contains("there is no event 999"), "{err}");
    // Moved onto a day when the same organisation's other decision is recorded: refused.
    s.log(&["Borchester CLP", "passed", "--date", "2019-02-25"]);
    let err = s.fails(&[
        "outcome",
        "amend",
        &id,
        "--date",
        "2019-02-25",
        "--reason",
        "x",
    ]);
    assert!(err.contains("one meeting cannot both"), "{err}");
    s.run(&["outcome", "amend", &id, "--for", "5", "--reason", "first"])
        .success();
    let err = s.fails(&["outcome", "amend", &id, "--for", "6", "--reason", "again"]);
    assert!(
        err.contains(&format!("event {id} was retracted")) && err.contains("amended by event"),
        "{err}"
    );
}

#[test]
fn log_registers_with_a_code_and_a_parent() {
    let s = Scratch::new();
    s.run(&["motion", "add", "m", "--title", "M"]).success();
    s.run(&[
        "log",
        "Barnsley North CLP",
        "passed",
        "--date",
        "2019-02-04",
        "--kind",
        "clp",
        "--region",
        "Yorkshire and the Humber",
        "--code",
        "E14001074",
    ])
    .success()
    .stderr(
        "Registered Barnsley North CLP (clp, Yorkshire and the Humber)\n\
         Recorded: Barnsley North CLP passed m on 2019-02-04 (event 1)\n",
    );
    s.run(&[
        "log",
        "Barnsley North Ward Branch",
        "moved",
        "--date",
        "2019-02-05",
        "--kind",
        "branch",
        "--parent",
        "barnsley north clp",
    ])
    .success();
    let orgs = csv_rows(&s.stdout(&["org", "list", "--format", "csv"]));
    assert_eq!(
        orgs[1..],
        [
            vec![
                "Barnsley North CLP",
                "clp",
                "Yorkshire and the Humber",
                "",
                "",
                "E14001074"
            ],
            vec![
                "Barnsley North Ward Branch",
                "labour-branch",
                "",
                "",
                "Barnsley North CLP",
                ""
            ],
        ]
    );
    assert_eq!(
        s.stdout(&["map"]).matches("class=\"passed\"").count(),
        1,
        "the CLP is on the map"
    );
    let err = s.fails(&[
        "log",
        "Another Ward Branch",
        "moved",
        "--kind",
        "branch",
        "--parent",
        "Nowhere CLP",
    ]);
    assert!(
        err.contains("unknown organisation \"Nowhere CLP\""),
        "{err}"
    );
    let err = s.fails(&["log", "New CLP", "passed", "--code", "E14000001"]);
    assert!(err.contains("add --kind KIND"), "{err}");
    s.run(&[
        "log",
        "Barnsley North CLP",
        "passed",
        "--date",
        "2019-02-06",
        "--code",
        "X1",
    ])
    .success()
    .stderr(predicates::str::contains(
        "Note: Barnsley North CLP was registered already, so --code and --parent changed nothing",
    ));
}

#[test]
fn a_clp_registered_without_a_code_is_said_to_be_off_the_map() {
    let s = Scratch::new();
    s.run(&["motion", "add", "m", "--title", "M"]).success();
    // A constituency's CLP: always said, with the code it should have.
    s.run(&["org", "add", "Aldershot CLP", "--kind", "clp"])
        .success()
        .stderr(
            "Registered Aldershot CLP (clp)\n\
             Note: Aldershot CLP has no code, so it will not appear on the map; give it its \
             constituency's ONS code with: motions org edit 'Aldershot CLP' --code E14001063\n",
        );
    // Another name, while no CLP has a code: the map is not in use, nothing to say.
    s.run(&["org", "add", "Sample Town CLP", "--kind", "clp"])
        .success()
        .stderr("Registered Sample Town CLP (clp)\n");
    s.run(&[
        "org",
        "add",
        "Coded CLP",
        "--kind",
        "clp",
        "--code",
        "E14001064",
    ])
    .success()
    .stderr("Registered Coded CLP (clp)\n");
    // Once CLPs have codes, every CLP registered without one is pointed out, by log too.
    s.run(&[
        "log",
        "Sample City CLP",
        "passed",
        "--date",
        "2019-02-04",
        "--kind",
        "clp",
    ])
    .success()
    .stderr(
        "Registered Sample City CLP (clp)\n\
             Recorded: Sample City CLP passed m on 2019-02-04 (event 1)\n\
             Note: Sample City CLP has no code, so it will not appear on the map; give it its \
             constituency's ONS code with: motions org edit 'Sample City CLP' --code E14...\n",
    );
    s.run(&["org", "add", "Ashby Ward Branch", "--kind", "branch"])
        .success()
        .stderr(predicates::str::contains("no code").not());
}
