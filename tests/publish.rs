//! `publish`: the static site's pages parse, link only to files that exist, name no reporter,
//! escape every piece of user text, and leave nothing stale when published again; and the
//! deadline and retirement scenarios, counted by hand, as tally, summary, report and the site
//! show them.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use scraper::{Html, Selector};
use serde_json::Value;

use crate::popolo::{popolo_problems, run};
use crate::util::Scratch;

/// Every file under `dir`, as `/`-separated paths relative to it.
fn files(dir: &Path) -> BTreeSet<String> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeSet<String>) {
        for entry in fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(root, &path, out);
            } else {
                let relative = path.strip_prefix(root).unwrap();
                out.insert(relative.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    let mut out = BTreeSet::new();
    walk(dir, dir, &mut out);
    out
}

/// What the manifest says publish wrote.
fn manifest(dir: &Path) -> BTreeSet<String> {
    fs::read_to_string(dir.join(".motions-site"))
        .unwrap()
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .map(str::to_string)
        .collect()
}

fn publish(s: &Scratch, extra: &[&str]) -> (PathBuf, String) {
    let dir = s.dir.path().join("site");
    let mut args = vec!["publish", dir.to_str().unwrap()];
    args.extend_from_slice(extra);
    let snippet = run(s, &args);
    (dir, snippet)
}

/// Checks every page of the site: it parses as HTML without errors, runs no script, and every
/// link and source inside the site leads to a file there (and an anchor to an element of that
/// page). Returns the problems found.
fn check_site(dir: &Path) -> Vec<String> {
    let mut problems = Vec::new();
    let links = Selector::parse("[href], [src]").unwrap();
    let scripts = Selector::parse("script, [onload], [onclick], [onerror]").unwrap();
    for file in files(dir) {
        let path = dir.join(&file);
        if file.ends_with(".svg") {
            let text = fs::read_to_string(&path).unwrap();
            if let Err(err) = roxmltree::Document::parse(&text) {
                problems.push(format!("{file}: not well-formed SVG: {err}"));
            }
            if text.contains("<script") {
                problems.push(format!("{file}: a script"));
            }
            continue;
        }
        if !file.ends_with(".html") {
            continue;
        }
        let page = Html::parse_document(&fs::read_to_string(&path).unwrap());
        if !page.errors.is_empty() {
            problems.push(format!("{file}: HTML errors {:?}", page.errors));
        }
        if page.select(&scripts).next().is_some() {
            problems.push(format!("{file}: a script"));
        }
        for element in page.select(&links) {
            for attr in ["href", "src"] {
                let Some(link) = element.value().attr(attr) else {
                    continue;
                };
                if link.starts_with("https://") || link.starts_with("http://") {
                    // A source's own web address, outside the site.
                    assert_eq!(attr, "href", "{file} loads {link} from elsewhere");
                    continue;
                }
                if link.contains(':') || link.starts_with('/') || link.is_empty() {
                    problems.push(format!("{file}: {attr}=\"{link}\" is not a relative link"));
                    continue;
                }
                let (target, anchor) = link.split_once('#').unwrap_or((link, ""));
                let target = if target.is_empty() {
                    path.clone()
                } else {
                    path.parent().unwrap().join(target)
                };
                let Ok(real) = target.canonicalize() else {
                    problems.push(format!("{file}: {link} leads to no file"));
                    continue;
                };
                assert!(
                    real.starts_with(dir.canonicalize().unwrap()),
                    "{file}: {link} leaves the site"
                );
                if !anchor.is_empty() {
                    let linked = Html::parse_document(&fs::read_to_string(&real).unwrap());
                    let id = Selector::parse(&format!("[id=\"{anchor}\"]")).unwrap();
                    if linked.select(&id).next().is_none() {
                        problems.push(format!("{file}: {link}: no element with that id"));
                    }
                }
            }
        }
    }
    problems
}

#[test]
fn the_site_check_finds_broken_links_scripts_and_bad_markup() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("regions")).unwrap();
    fs::write(dir.path().join("index.html"), "<!DOCTYPE html><html><head><title>t</title></head><body>\
        <a href=\"regions/london.html#passed\">ok</a><a href=\"missing.html\">x</a><a href=\"#nowhere\">y</a>\
        <script>alert(1)</script><a href=\"file:///etc/passwd\">z</a></body></html>").unwrap();
    fs::write(
        dir.path().join("regions/london.html"),
        "<!DOCTYPE html><html><head><title>t</title></head>\
        <body><h2 id=\"passed\">P</h2><div></span></div></body></html>",
    )
    .unwrap();
    let problems = check_site(dir.path());
    assert_eq!(problems.len(), 5, "{problems:#?}");
}

#[test]
fn the_site_has_every_file_its_pages_parse_and_every_link_leads_to_one() {
    let s = Scratch::demo();
    run(
        &s,
        &[
            "import",
            "orgs",
            "--builtin",
            "uk-clps",
            "--region",
            "London",
        ],
    );
    run(
        &s,
        &[
            "log",
            "Hackney South and Shoreditch CLP",
            "passed",
            "--date",
            "2019-03-01",
            "--source",
            "https://example.org/minutes?a=1&b=2",
        ],
    );
    let (dir, snippet) = publish(
        &s,
        &[
            "--title",
            "Stop the coup",
            "--base-url",
            "https://example.org/campaign/",
        ],
    );
    assert_eq!(
        snippet.trim(),
        "<iframe src=\"https://example.org/campaign/embed.html\" title=\"Oppose the attempted coup in Venezuela\" \
         width=\"640\" height=\"760\" style=\"border:0;max-width:100%\" loading=\"lazy\"></iframe>"
    );
    let site = files(&dir);
    for expected in [
        "index.html",
        "map.svg",
        "embed.html",
        "data/outcomes.csv",
        "data/orgs.csv",
        "data/tally.json",
        "data/popolo.json",
        "regions/london.html",
        "regions/eastern.html",
        "kinds/clp.html",
        ".motions-site",
    ] {
        assert!(
            site.contains(expected),
            "{expected} is missing from {site:?}"
        );
    }
    let mut listed = manifest(&dir);
    listed.insert(".motions-site".into());
    assert_eq!(listed, site, "the manifest lists every file written");
    assert_eq!(check_site(&dir), Vec::<String>::new());

    // The London list holds every London organisation, the one that passed it first.
    let london = fs::read_to_string(dir.join("regions/london.html")).unwrap();
    let page = Html::parse_document(&london);
    let passed = page
        .select(&Selector::parse("#passed + div td:first-child").unwrap())
        .map(|td| td.text().collect::<String>())
        .collect::<Vec<_>>();
    assert!(
        passed.contains(&"Hackney South and Shoreditch CLP".to_string()),
        "{passed:?}"
    );
    assert!(london.contains("Not yet moved"), "the list still to win");
    let index = fs::read_to_string(dir.join("index.html")).unwrap();
    assert!(
        index.contains("href=\"regions/london.html\"") && index.contains("href=\"kinds/clp.html\"")
    );
    assert!(
        index.contains("By the deadline of 31 March 2019, 25 had passed it; 25 have now."),
        "the deadline is shown"
    );

    // The data: the tally as `tally --format json` has it, the outcomes as the export without
    // reporters and notes, and Popolo that validates.
    assert_eq!(
        fs::read_to_string(dir.join("data/tally.json")).unwrap(),
        run(&s, &["tally", "--format", "json"])
    );
    let exported = crate::util::csv_rows(&run(&s, &["export", "outcomes", "--no-names"]));
    let published =
        crate::util::csv_rows(&fs::read_to_string(dir.join("data/outcomes.csv")).unwrap());
    assert_eq!(published.len(), exported.len());
    let notes = exported[0].iter().position(|h| h == "notes").unwrap();
    let reporter = exported[0].iter().position(|h| h == "reported_by").unwrap();
    for (published, exported) in published.iter().zip(&exported).skip(1) {
        let mut expected = exported.clone();
        expected[notes] = String::new();
        assert_eq!(published, &expected);
        assert_eq!(published[reporter], "");
    }
    assert!(
        published
            .iter()
            .any(|row| row.contains(&"https://example.org/minutes?a=1&b=2".to_string())),
        "sources stay"
    );
    assert_eq!(
        fs::read_to_string(dir.join("data/orgs.csv")).unwrap(),
        run(&s, &["export", "orgs"])
    );
    let popolo: Value =
        serde_json::from_str(&fs::read_to_string(dir.join("data/popolo.json")).unwrap()).unwrap();
    assert_eq!(popolo_problems(&popolo), Vec::<String>::new());
    let embed = fs::read_to_string(dir.join("embed.html")).unwrap();
    assert!(
        embed.contains("<svg") && embed.contains("registered organisations"),
        "count and map"
    );
}

#[test]
fn several_motions_have_a_page_each_and_an_index() {
    let s = Scratch::demo();
    run(
        &s,
        &[
            "motion",
            "add",
            "nhs",
            "--title",
            "Save our NHS",
            "--issued-on",
            "2019-03-01",
        ],
    );
    run(
        &s,
        &[
            "log",
            "Ashby CLP",
            "passed",
            "--motion",
            "nhs",
            "--date",
            "2019-03-10",
        ],
    );
    let (dir, snippet) = publish(&s, &[]);
    assert!(snippet.contains("src=\"embed.html\""), "{snippet}");
    let site = files(&dir);
    for expected in [
        "index.html",
        "map.svg",
        "embed.html",
        "data/tally.json",
        "data/popolo.json",
        "motions/nhs/index.html",
        "motions/nhs/regions/east-midlands.html",
        "motions/nhs/data/tally.json",
        "motions/venezuela-coup/index.html",
        "motions/venezuela-coup/embed.html",
    ] {
        assert!(site.contains(expected), "{expected} is missing");
    }
    assert_eq!(check_site(&dir), Vec::<String>::new());
    let index = fs::read_to_string(dir.join("index.html")).unwrap();
    assert!(
        index.contains("href=\"motions/nhs/index.html\"")
            && index.contains("href=\"motions/venezuela-coup/index.html\"")
    );
    assert_eq!(
        fs::read_to_string(dir.join("motions/nhs/data/tally.json")).unwrap(),
        run(&s, &["tally", "--motion", "nhs", "--format", "json"])
    );
    let all: Value =
        serde_json::from_str(&fs::read_to_string(dir.join("data/tally.json")).unwrap()).unwrap();
    assert_eq!(all[0]["motion"], "nhs");
    assert_eq!(all[0]["passed"], 1);
    assert_eq!(all[1]["motion"], "venezuela-coup");
    assert_eq!(all[1]["passed"], 24);
    let only = s.dir.path().join("only");
    run(&s, &["publish", only.to_str().unwrap(), "--motion", "nhs"]);
    assert!(only.join("regions").is_dir() && !only.join("motions").exists());
}

#[test]
fn nothing_published_names_a_reporter_or_carries_notes() {
    let s = Scratch::demo();
    run(
        &s,
        &[
            "log",
            "Holby CLP",
            "passed",
            "--date",
            "2019-03-04",
            "--by",
            "Zebedee Reporter",
            "--note",
            "Zebedee said",
            "--source",
            "GC minutes, item 4",
        ],
    );
    run(
        &s,
        &[
            "log",
            "Skelbeck CLP",
            "moved",
            "--date",
            "2019-03-05",
            "--note",
            "zebedee rang",
        ],
    );
    let (dir, _) = publish(&s, &[]);
    for file in files(&dir) {
        let text = fs::read_to_string(dir.join(&file)).unwrap().to_lowercase();
        assert!(!text.contains("zebedee"), "{file} names the reporter");
        assert!(
            !text.contains("secretary"),
            "{file} names the demo's reporters"
        );
    }
    let outcomes = fs::read_to_string(dir.join("data/outcomes.csv")).unwrap();
    assert!(outcomes.contains("GC minutes, item 4"), "sources stay");
}

#[test]
fn every_piece_of_user_text_is_escaped() {
    let s = Scratch::new();
    run(
        &s,
        &[
            "motion",
            "add",
            "m",
            "--title",
            "<img src=x onerror=alert(1)> & \"quotes\"",
            "--issued-on",
            "2019-01-01",
        ],
    );
    run(
        &s,
        &[
            "org",
            "add",
            "<script>alert(1)</script>",
            "--kind",
            "clp",
            "--region",
            "<b>Bold</b> \"Region\"",
        ],
    );
    run(
        &s,
        &[
            "org",
            "add",
            "Plain CLP",
            "--kind",
            "clp",
            "--region",
            "'; DROP",
        ],
    );
    run(
        &s,
        &[
            "log",
            "<script>alert(1)</script>",
            "passed",
            "--date",
            "2019-02-01",
            "--source",
            "javascript:alert(1)",
        ],
    );
    run(
        &s,
        &[
            "log",
            "Plain CLP",
            "rejected",
            "--date",
            "2019-02-02",
            "--source",
            "https://example.org/\"><script>alert(2)</script>",
        ],
    );
    let (dir, snippet) = publish(&s, &["--title", "</title><script>alert(3)</script>"]);
    assert!(
        !snippet.contains("<img") && snippet.contains("&lt;img"),
        "{snippet}"
    );
    for file in files(&dir) {
        if file.ends_with(".html") || file.ends_with(".svg") {
            let text = fs::read_to_string(dir.join(&file)).unwrap();
            for raw in ["<script", "<img", "<b>", "href=\"javascript"] {
                assert!(!text.contains(raw), "{file} holds {raw} unescaped");
            }
        }
    }
    assert_eq!(check_site(&dir), Vec::<String>::new());
    let region = files(&dir)
        .into_iter()
        .find(|f| f.starts_with("regions/b-bold"))
        .expect("the region's page");
    let page = Html::parse_document(&fs::read_to_string(dir.join(region)).unwrap());
    let text: String = page.root_element().text().collect();
    assert!(
        text.contains("<script>alert(1)</script>"),
        "the name is shown as written"
    );
    assert!(text.contains("<b>Bold</b> \"Region\""));
}

#[test]
fn publishing_again_updates_the_site_and_leaves_nothing_stale() {
    let s = Scratch::demo();
    run(&s, &["motion", "add", "nhs", "--title", "Save our NHS"]);
    run(
        &s,
        &[
            "log",
            "Fenmarsh CLP",
            "passed",
            "--motion",
            "nhs",
            "--date",
            "2019-03-10",
        ],
    );
    let (dir, _) = publish(&s, &[]);
    assert!(dir.join("motions/nhs/regions/eastern.html").exists());
    fs::write(dir.join("CNAME"), "campaign.example.org\n").unwrap();
    let tally = |path: &str| -> Value {
        serde_json::from_str(&fs::read_to_string(dir.join(path)).unwrap()).unwrap()
    };
    assert_eq!(tally("motions/nhs/data/tally.json")[0]["passed"], 1);

    // The motion's last event retracted, the only Eastern organisation moved to another region,
    // and the other motion's slug changed.
    let history = run(&s, &["history", "--motion", "nhs", "--format", "json"]);
    let id = serde_json::from_str::<Value>(&history).unwrap()[0]["id"].to_string();
    run(&s, &["outcome", "retract", &id, "--reason", "wrong motion"]);
    run(
        &s,
        &["org", "edit", "Fenmarsh CLP", "--region", "East Midlands"],
    );
    run(
        &s,
        &["motion", "edit", "venezuela-coup", "--slug", "venezuela"],
    );
    let (dir, _) = publish(&s, &[]);
    let site = files(&dir);
    assert!(
        !site.iter().any(|f| f.contains("eastern")),
        "the region's pages are gone"
    );
    assert!(
        !site
            .iter()
            .any(|f| f.starts_with("motions/venezuela-coup/")),
        "the old slug's pages are gone"
    );
    assert!(
        !dir.join("motions/venezuela-coup").exists(),
        "and its folders"
    );
    assert!(site.contains("motions/venezuela/index.html"));
    assert_eq!(tally("motions/nhs/data/tally.json")[0]["passed"], 0);
    let mut listed = manifest(&dir);
    listed.insert(".motions-site".into());
    listed.insert("CNAME".into());
    assert_eq!(
        listed, site,
        "only what this publish wrote, and the file it did not write"
    );
    assert_eq!(
        fs::read_to_string(dir.join("CNAME")).unwrap(),
        "campaign.example.org\n"
    );
    assert_eq!(check_site(&dir), Vec::<String>::new());
}

#[test]
fn a_folder_that_holds_other_files_is_refused() {
    let s = Scratch::demo();
    let folder = s.dir.path().join("documents");
    fs::create_dir(&folder).unwrap();
    fs::write(folder.join("letter.txt"), "mine").unwrap();
    let err = s.fails(&["publish", folder.to_str().unwrap()]);
    assert!(
        err.contains("not empty") && err.contains(".motions-site"),
        "{err}"
    );
    assert_eq!(files(&folder), BTreeSet::from(["letter.txt".to_string()]));
    let err = s.fails(&["publish", folder.join("letter.txt").to_str().unwrap()]);
    assert!(err.contains("not a folder"), "{err}");
    let err = s.fails(&["publish", "site", "--base-url", "example.org"]);
    assert!(err.contains("--base-url"), "{err}");
    assert!(!s.dir.path().join("site").exists(), "nothing written");
    let empty = s.dir.path().join("empty");
    fs::create_dir(&empty).unwrap();
    run(&s, &["publish", empty.to_str().unwrap()]);
    assert!(empty.join("index.html").exists());
}

/// The seven numbers of `tally --format json` (see popolo.rs).
fn numbers(s: &Scratch, extra: &[&str]) -> [u64; 7] {
    crate::popolo::tally_numbers(s, extra)
}

#[test]
fn deadlines_and_retirements_change_the_counts_as_a_hand_count_says() {
    let s = Scratch::new();
    run(
        &s,
        &[
            "motion",
            "add",
            "m",
            "--title",
            "Sample motion",
            "--issued-on",
            "2019-01-01",
            "--deadline",
            "2019-03-31",
        ],
    );
    for name in ["A CLP", "B CLP", "C CLP", "E CLP"] {
        run(
            &s,
            &[
                "org",
                "add",
                name,
                "--kind",
                "clp",
                "--region",
                "North East",
            ],
        );
    }
    run(
        &s,
        &[
            "org",
            "add",
            "D Ward Branch",
            "--kind",
            "branch",
            "--region",
            "North East",
        ],
    );
    run(&s, &["log", "A CLP", "passed", "--date", "2019-02-01"]);
    run(&s, &["log", "E CLP", "passed", "--date", "2019-02-15"]);
    run(
        &s,
        &["log", "D Ward Branch", "rejected", "--date", "2019-03-01"],
    );
    run(&s, &["log", "B CLP", "passed", "--date", "2019-03-31"]);
    run(&s, &["log", "C CLP", "passed", "--date", "2019-04-02"]);
    run(
        &s,
        &[
            "org",
            "retire",
            "E CLP",
            "--on",
            "2019-03-15",
            "--succeeded-by",
            "C CLP",
        ],
    );

    // By hand, [registered, passed, amended, rejected, pending, dropped, not moved]:
    // on 14 March all five count; A and E had passed it, D had rejected it.
    assert_eq!(
        numbers(&s, &["--as-of", "2019-03-14"]),
        [5, 2, 0, 1, 0, 0, 2]
    );
    // From 15 March E is gone: A alone had passed it until B did on the deadline day.
    assert_eq!(
        numbers(&s, &["--as-of", "2019-03-15"]),
        [4, 1, 0, 1, 0, 0, 2]
    );
    assert_eq!(numbers(&s, &["--as-of", "deadline"]), [4, 2, 0, 1, 0, 0, 1]);
    assert_eq!(
        numbers(&s, &["--as-of", "2019-03-31"]),
        [4, 2, 0, 1, 0, 0, 1]
    );
    // Now (10 April): C passed it after the deadline.
    assert_eq!(numbers(&s, &[]), [4, 3, 0, 1, 0, 0, 0]);

    let summary = |as_of: &str| run(&s, &["summary", "--as-of", as_of]);
    assert!(
        summary("2019-03-19")
            .trim()
            .ends_with(" 12 days to the deadline of 31 March."),
        "{}",
        summary("2019-03-19")
    );
    assert!(
        summary("deadline")
            .trim()
            .ends_with(" The deadline is today, 31 March.")
    );
    let now = run(&s, &["summary"]);
    assert!(
        now.trim()
            .ends_with(" By the deadline of 31 March 2019, 2 had passed it; 1 more since."),
        "{now}"
    );
    let report = run(&s, &["report", "--as-of", "2019-03-30"]);
    assert!(report.contains("1 day to the deadline of 31 March."));

    let status = |extra: &[&str]| {
        let mut args = vec!["status", "--format", "csv"];
        args.extend_from_slice(extra);
        run(&s, &args)
    };
    assert!(
        status(&["--as-of", "2019-03-14"]).contains("E CLP"),
        "counted before it retired"
    );
    assert!(!status(&[]).contains("E CLP"), "not since");
    assert!(!run(&s, &["org", "list"]).contains("E CLP"));
    let all = run(&s, &["org", "list", "--all", "--format", "csv"]);
    assert!(
        all.contains("E CLP,clp,North East,,,,2019-03-15,C CLP"),
        "{all}"
    );
    assert!(
        run(&s, &["history", "--org", "E CLP"]).contains("passed"),
        "its history stays"
    );
    assert!(run(&s, &["map", "--as-of", "deadline"]).starts_with("<?xml"));

    let (dir, _) = publish(&s, &[]);
    for page in ["index.html", "embed.html", "regions/north-east.html"] {
        let text = fs::read_to_string(dir.join(page)).unwrap();
        assert!(
            text.contains("By the deadline of 31 March 2019, 2 had passed it; 1 more since."),
            "{page}"
        );
    }

    run(&s, &["motion", "add", "other", "--title", "No deadline"]);
    let err = s.fails(&["tally", "--motion", "other", "--as-of", "deadline"]);
    assert!(
        err.contains("has no deadline") && err.contains("motion edit other --deadline"),
        "{err}"
    );
    let err = s.fails(&["tally", "--motion", "m", "--as-of", "soon"]);
    assert!(err.contains("deadline"), "{err}");
}

#[test]
fn an_outcome_for_a_retired_body_is_kept_and_said_not_to_count() {
    let s = Scratch::demo();
    s.run(&["org", "retire", "Walford CLP", "--on", "2019-02-10"])
        .success();
    let said = String::from_utf8(
        s.run(&["log", "Walford CLP", "rejected", "--date", "2019-03-01"])
            .success()
            .get_output()
            .stderr
            .clone(),
    )
    .unwrap();
    assert!(said.contains("was retired on 2019-02-10"), "{said}");
    assert!(said.contains("not counted"), "{said}");
}
