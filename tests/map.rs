//! The built-in CLP registry and the hex map.

use std::collections::BTreeMap;

use crate::util::{Campaign, Scratch, csv_rows};

fn with_clps() -> Scratch {
    let s = Campaign::new()
        .motion("venezuela-coup", "Oppose the attempted coup in Venezuela")
        .build();
    s.run(&["import", "orgs", "--builtin", "uk-clps"])
        .success()
        .stderr("Registered 575 CLPs of England and Wales (2024 boundaries); skipped 0 already registered.\n");
    s
}

#[test]
fn the_registry_has_575_clps_by_labour_region_and_registers_them_once() {
    let s = Scratch::new();
    s.run(&["org", "add", "Barnsley North CLP", "--kind", "clp"])
        .success();
    s.run(&[
        "org",
        "add",
        "Our Own Name",
        "--kind",
        "clp",
        "--code",
        "E14001075",
    ])
    .success();
    s.run(&["import", "orgs", "--builtin", "uk-clps", "--region", "yorkshire and the humber"])
        .success()
        .stderr(
            "Registered 52 CLPs of England and Wales (2024 boundaries); skipped 2 already registered.\n\
             Note: Barnsley North CLP was registered before without the code E14001074, so the map cannot \
             place it; give it the code with: motions org edit 'Barnsley North CLP' --code E14001074\n",
        );
    s.run(&["import", "orgs", "--builtin", "uk-clps"])
        .success()
        .stderr(predicates::str::starts_with("Registered 521 CLPs of England and Wales (2024 boundaries); skipped 54 already registered.\n"));
    s.run(&["import", "orgs", "--builtin", "uk-clps"])
        .success()
        .stderr(predicates::str::contains("Registered 0 CLPs"));
    s.run(&["motion", "add", "m", "--title", "M"]).success();
    let rows = csv_rows(&s.stdout(&["tally", "--by", "region", "--format", "csv"]));
    let per_region: BTreeMap<&str, &str> = rows[1..]
        .iter()
        .map(|r| (r[0].as_str(), r[1].as_str()))
        .collect();
    assert_eq!(
        per_region.into_iter().collect::<Vec<_>>(),
        [
            ("", "2"),
            ("East Midlands", "47"),
            ("Eastern", "61"),
            ("London", "75"),
            ("North West", "73"),
            ("Northern", "27"),
            ("South East", "91"),
            ("South West", "58"),
            ("Wales", "32"),
            ("West Midlands", "57"),
            ("Yorkshire and the Humber", "52"),
        ],
        "the two registered before kept their own details, without a region"
    );
    let orgs = csv_rows(&s.stdout(&["org", "list", "--region", "wales", "--format", "csv"]));
    assert_eq!(
        orgs[1],
        ["Aberafan Maesteg CLP", "clp", "Wales", "", "", "W07000081"]
    );
    let err = s.fails(&[
        "import",
        "orgs",
        "--builtin",
        "uk-clps",
        "--region",
        "Scotland",
    ]);
    assert!(err.contains("no CLPs in the region \"Scotland\"; the regions of England and Wales are: East Midlands"), "{err}");
}

#[test]
fn the_map_has_650_hexes_coloured_as_the_tally_counts() {
    let s = with_clps();
    let mut outcomes = String::from("organisation,status,meeting_date\n");
    for (name, status) in [
        ("Barnsley North CLP", "passed"),
        ("Barnsley South CLP", "carried as amended"),
        ("Bethnal Green and Stepney CLP", "rejected"),
        ("Beckenham and Penge CLP", "deferred"),
        ("Bicester and Woodstock CLP", "withdrawn"),
    ] {
        outcomes.push_str(&format!("{name},{status},2019-02-04\n"));
    }
    std::fs::write(s.dir.path().join("o.csv"), outcomes).unwrap();
    s.run(&["import", "outcomes", "o.csv"]).success();
    s.log(&[
        "Birmingham Edgbaston CLP",
        "planned",
        "--date",
        "2019-03-01",
        "--note",
        "<b>bold</b>",
    ]);
    s.run(&[
        "org",
        "rename",
        "Birmingham Edgbaston CLP",
        "<script>alert(1)</script> CLP",
    ])
    .success();

    s.run(&["map", "-o", "map.svg"]).success();
    let svg = std::fs::read_to_string(s.dir.path().join("map.svg")).unwrap();
    let doc = roxmltree::Document::parse(&svg).expect("the map is well-formed XML");
    let hexes: Vec<_> = doc
        .descendants()
        .filter(|n| n.has_tag_name("polygon"))
        .collect();
    assert_eq!(hexes.len(), 650);
    let count = |class: &str| {
        hexes
            .iter()
            .filter(|n| n.attribute("class") == Some(class))
            .count()
    };
    let tally = csv_rows(&s.stdout(&["tally", "--kind", "clp", "--format", "csv"]));
    let numbers: Vec<usize> = tally[1].iter().map(|n| n.parse().unwrap()).collect();
    // registered, passed, amended, rejected, pending, dropped, not_moved
    assert_eq!(count("passed"), numbers[1]);
    assert_eq!(count("rejected"), numbers[3]);
    assert_eq!(count("pending"), numbers[4]);
    assert_eq!(count("dropped"), numbers[5]);
    assert_eq!(count("none"), numbers[6]);
    assert_eq!(
        (count("passed"), count("pending"), count("none")),
        (2, 2, 569)
    );
    assert_eq!(
        count("unregistered"),
        75,
        "Scotland and Northern Ireland, drawn as outlines"
    );
    let tips: Vec<&str> = hexes
        .iter()
        .filter_map(|n| n.children().find(|c| c.has_tag_name("title"))?.text())
        .collect();
    assert!(
        tips.contains(&"Barnsley North — Barnsley North CLP: passed on 2019-02-04"),
        "{:?}",
        &tips[..3]
    );
    assert!(
        tips.contains(
            &"Birmingham Edgbaston — <script>alert(1)</script> CLP: planned on 2019-03-01"
        )
    );
    assert!(!svg.contains("<script>"), "user text is escaped");
    let legend: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("text"))
        .filter_map(|n| n.text())
        .collect();
    assert!(
        legend.contains(&"Passed: 2") && legend.contains(&"No organisation registered: 75"),
        "{legend:?}"
    );

    let early = s.stdout(&["map", "--as-of", "2019-02-01"]);
    assert!(early.contains("As of 1 February 2019"));
    assert_eq!(early.matches("class=\"passed\"").count(), 0);

    s.run(&["report", "-o", "report.html"]).success();
    let html = std::fs::read_to_string(s.dir.path().join("report.html")).unwrap();
    assert_eq!(
        html.matches("<polygon").count(),
        650,
        "the map is in the report"
    );
}

#[test]
fn without_codes_the_map_is_outlines_and_says_why() {
    let s = Scratch::demo();
    let assert = s.run(&["map"]).success();
    let out = assert.get_output();
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains("register the CLPs with: motions import orgs --builtin uk-clps")
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stdout)
            .matches("class=\"unregistered\"")
            .count(),
        650
    );
}

#[test]
fn a_clp_registered_by_hand_is_pointed_out_and_given_its_code() {
    let s = Scratch::new();
    s.run(&["motion", "add", "m", "--title", "M"]).success();
    s.run(&["org", "add", "Aldershot CLP", "--kind", "clp"])
        .success();
    s.run(&["import", "orgs", "--builtin", "uk-clps", "--region", "South East"])
        .success()
        .stderr(predicates::str::contains(
            "Note: Aldershot CLP was registered before without the code E14001063, so the map cannot place it; \
             give it the code with: motions org edit 'Aldershot CLP' --code E14001063",
        ));
    s.log(&["Aldershot CLP", "passed", "--date", "2019-02-04"]);
    assert!(!s.stdout(&["map"]).contains("class=\"passed\""));
    s.run(&[
        "org",
        "edit",
        "Aldershot CLP",
        "--code",
        "E14001063",
        "--region",
        "South East",
    ])
    .success()
    .stderr("Updated Aldershot CLP (clp, South East)\n");
    assert_eq!(s.stdout(&["map"]).matches("class=\"passed\"").count(), 1);
    let err = s.fails(&["org", "edit", "Aldershot CLP", "--code", "e14001090"]);
    assert!(err.contains("already belongs to"), "{err}");
    let err = s.fails(&[
        "org",
        "add",
        "Sub CLP",
        "--kind",
        "clp",
        "--parent",
        "Aldershot CLP",
    ]);
    assert!(err.contains("a CLP belongs to no other CLP"), "{err}");
}
