//! Every bad input gives exit 1, a message that names the problem and the fix, and an
//! unchanged database.

use crate::util::{Campaign, Scratch, TODAY, TOMORROW};

/// One motion and two orgs.
fn small_campaign() -> Campaign {
    Campaign::new()
        .motion("venezuela-coup", "Oppose the attempted coup in Venezuela")
        .org("Ashby CLP", "clp", Some("East Midlands"))
        .org_with("Ashby Ward Branch", "branch", &[("parent", "Ashby CLP")])
}

/// A database with one motion and two orgs.
fn small() -> Scratch {
    small_campaign().build()
}

#[test]
fn unknown_org_suggests_near_names_and_how_to_add_it() {
    let s = small();
    let err = s.fails(&["log", "Ashbey CLP", "passed", "--date", "2019-02-04"]);
    assert!(
        err.contains("unknown organisation \"Ashbey CLP\"; did you mean \"Ashby CLP\"?"),
        "{err}"
    );
    assert!(err.contains("add --kind KIND"), "{err}");
    assert!(
        err.contains("motions org add 'Ashbey CLP' --kind KIND"),
        "{err}"
    );

    let err = s.fails(&["log", "Ashby", "passed", "--date", "2019-02-04"]);
    assert!(
        err.contains("did you mean \"Ashby CLP\" or \"Ashby Ward Branch\"?"),
        "{err}"
    );

    let err = s.fails(&["history", "--org", "Zzyzx Momentum"]);
    assert!(
        err.contains("unknown organisation \"Zzyzx Momentum\" (see the registry"),
        "{err}"
    );

    let err = s.fails(&[
        "org",
        "add",
        "Ashby South Ward Branch",
        "--kind",
        "branch",
        "--parent",
        "Ashbee CLP",
    ]);
    assert!(
        err.contains("unknown organisation \"Ashbee CLP\"; did you mean \"Ashby CLP\"?"),
        "{err}"
    );
}

#[test]
fn unknown_motion_lists_the_slugs() {
    let s = small();
    let err = s.fails(&["tally", "--motion", "venezuela"]);
    assert!(
        err.contains("unknown motion \"venezuela\"; did you mean \"venezuela-coup\"?"),
        "{err}"
    );
    assert!(err.contains("? The motions are: venezuela-coup"), "{err}");
    let err = s.fails(&[
        "log",
        "Ashby CLP",
        "passed",
        "--motion",
        "nhs",
        "--date",
        "2019-02-04",
    ]);
    assert!(
        err.contains("unknown motion \"nhs\"; the motions are: venezuela-coup"),
        "{err}"
    );
}

#[test]
fn several_motions_and_no_motion_flag_lists_them() {
    let s = small();
    s.run(&[
        "motion",
        "add",
        "nhs-2019",
        "--title",
        "Save our NHS",
        "--issued-on",
        "2019-03-01",
    ])
    .success();
    for args in [
        &["status"][..],
        &["tally"],
        &["log", "Ashby CLP", "passed", "--date", "2019-02-04"],
    ] {
        let err = s.fails(args);
        assert!(
            err.contains("there are 2 motions; say which with --motion: nhs-2019, venezuela-coup"),
            "{args:?}: {err}"
        );
    }
}

#[test]
fn no_motions_yet_says_how_to_add_one() {
    let s = Scratch::new();
    s.run(&["init"]).success();
    let err = s.fails(&["tally"]);
    assert!(
        err.contains("no motions are registered yet; add one with: motions motion add SLUG"),
        "{err}"
    );
}

#[test]
fn bad_status_lists_the_valid_ones() {
    let s = small();
    let err = s.fails(&["log", "Ashby CLP", "won", "--date", "2019-02-04"]);
    assert!(err.contains("unknown status \"won\"; use one of: planned, moved, deferred, referred, passed, passed-amended, rejected, withdrawn, ruled-out"), "{err}");
    let err = s.fails(&["status", "--status", "carried-eventually"]);
    assert!(
        err.contains("unknown status \"carried-eventually\""),
        "{err}"
    );
}

#[test]
fn bad_kind_lists_the_valid_ones() {
    let s = small();
    let expected =
        "use one of: clp, labour-branch, momentum-group, union-branch, trades-council, other";
    let err = s.fails(&["org", "add", "Walford Society", "--kind", "society"]);
    assert!(
        err.contains(&format!("unknown kind \"society\"; {expected}")),
        "{err}"
    );
    let err = s.fails(&[
        "log",
        "Walford Society",
        "passed",
        "--date",
        "2019-02-04",
        "--kind",
        "soc",
    ]);
    assert!(err.contains("unknown kind \"soc\""), "{err}");
    let err = s.fails(&["tally", "--kind", "party"]);
    assert!(err.contains("unknown kind \"party\""), "{err}");
}

#[test]
fn bad_dates_name_the_accepted_forms() {
    let s = small();
    for date in ["Feb 4th", "4/2", "2019.2"] {
        let err = s.fails(&["log", "Ashby CLP", "passed", "--date", date]);
        assert!(
            err.contains(&format!(
                "\"{date}\" is not a date; write it as 2019-02-28, 28/02/2019, 28 Feb 2019, \
                 today or yesterday"
            )),
            "{err}"
        );
    }
    let err = s.fails(&["tally", "--as-of", "last week"]);
    assert!(err.contains("\"last week\" is not a date"), "{err}");
    let err = s.fails(&["log", "Ashby CLP", "passed", "--date", "30/02/2019"]);
    assert!(
        err.contains("\"30/02/2019\" is not a date; February 2019 has no day 30"),
        "{err}"
    );
}

#[test]
fn a_future_meeting_is_only_for_planned() {
    let s = small();
    let err = s.fails(&["log", "Ashby CLP", "passed", "--date", TOMORROW]);
    assert!(
        err.contains(&format!(
            "the meeting date {TOMORROW} is in the future; only \"planned\" may have a future date"
        )),
        "{err}"
    );
    s.log(&["Ashby CLP", "notice-given", "--date", TOMORROW]);
    s.log(&["Ashby CLP", "passed", "--date", TODAY]);
}

#[test]
fn negative_votes_are_refused() {
    let s = small();
    let err = s.fails(&[
        "log",
        "Ashby CLP",
        "passed",
        "--date",
        "2019-02-04",
        "--for",
        "-3",
    ]);
    assert!(
        err.contains("--for -3: a number of votes cannot be negative"),
        "{err}"
    );
    let err = s.fails(&[
        "log",
        "Ashby CLP",
        "passed",
        "--date",
        "2019-02-04",
        "--abstain",
        "-1",
    ]);
    assert!(err.contains("--abstain -1"), "{err}");
}

#[test]
fn duplicate_org_names_are_refused_in_any_case() {
    let s = small();
    let err = s.fails(&["org", "add", "ashby  clp", "--kind", "clp"]);
    assert!(
        err.contains(
            "an organisation named \"ashby clp\" is already registered (as \"Ashby CLP\", clp)"
        ),
        "{err}"
    );
    let err = s.fails(&[
        "log",
        "ASHBY CLP",
        "passed",
        "--date",
        "2019-02-04",
        "--kind",
        "branch",
    ]);
    assert!(
        err.contains("\"Ashby CLP\" is registered with the kind clp, not labour-branch"),
        "{err}"
    );
}

#[test]
fn duplicate_and_malformed_slugs_are_refused() {
    let s = small();
    let err = s.fails(&["motion", "add", "venezuela-coup", "--title", "Again"]);
    assert!(
        err.contains("a motion with slug \"venezuela-coup\" already exists; choose another slug"),
        "{err}"
    );
    let err = s.fails(&["motion", "add", "Save Our NHS", "--title", "Save our NHS"]);
    assert!(err.contains("try \"save-our-nhs\""), "{err}");
    let err = s.fails(&["motion", "add", "nhs", "--title", "  "]);
    assert!(err.contains("--title is empty"), "{err}");
    let err = s.fails(&[
        "motion",
        "add",
        "nhs",
        "--title",
        "NHS",
        "--issued-on",
        "2019-03-01",
        "--deadline",
        "2019-02-01",
    ]);
    assert!(
        err.contains("--deadline 2019-02-01 is before the issue date 2019-03-01"),
        "{err}"
    );
}

#[test]
fn bad_names_are_refused() {
    let s = small();
    let long = "x".repeat(201);
    let err = s.fails(&["org", "add", &long, "--kind", "clp"]);
    assert!(
        err.contains("201 characters long; the limit is 200"),
        "{err}"
    );
    let err = s.fails(&["org", "add", "Ashby\tCLP", "--kind", "clp"]);
    assert!(err.contains("control character"), "{err}");
    let err = s.fails(&[
        "org",
        "add",
        "Walford CLP",
        "--kind",
        "clp",
        "--union",
        "Unite",
    ]);
    assert!(err.contains("a clp has no union"), "{err}");
    let err = s.fails(&["org", "add", "Walford CLP"]);
    assert!(
        err.contains("say what kind of body \"Walford CLP\" is"),
        "{err}"
    );
}

#[test]
fn a_second_decision_on_the_same_date_is_refused() {
    let s = small_campaign()
        .outcome("Ashby CLP", "passed", "2019-02-04")
        .build();
    let err = s.fails(&["log", "Ashby CLP", "lost", "--date", "04/02/2019"]);
    assert!(
        err.contains("already records this organisation's decision on 2019-02-04 as \"passed\""),
        "{err}"
    );
}

#[test]
fn usage_errors_exit_2() {
    let s = small();
    s.run(&["tally", "--by", "colour"]).code(2);
    s.run(&["log", "Ashby CLP"]).code(2);
    s.run(&["tally", "--format", "xml"]).code(2);
    s.run(&["frobnicate"]).code(2);
}

#[test]
fn a_filter_value_no_organisation_has_is_refused() {
    let s = small();
    let err = s.fails(&["tally", "--region", "East Midland"]);
    assert!(
        err.contains("no organisation has the region \"East Midland\"; did you mean \"East Midlands\"? The regions are: East Midlands"),
        "{err}"
    );
    let err = s.fails(&["status", "--union", "Unite"]);
    assert!(
        err.contains("no organisation has the union \"Unite\"; the unions are: none yet"),
        "{err}"
    );
}

#[test]
fn a_parent_must_be_a_registered_clp() {
    let s = small();
    let err = s.fails(&[
        "org",
        "add",
        "Ashby South Ward Branch",
        "--kind",
        "branch",
        "--parent",
        "Ashby Ward Branch",
    ]);
    assert!(
        err.contains("\"Ashby Ward Branch\" is a labour-branch, not a CLP"),
        "{err}"
    );
    let err = s.fails(&[
        "org", "add", "Loop CLP", "--kind", "clp", "--parent", "loop clp",
    ]);
    assert!(
        err.contains("an organisation cannot be its own parent"),
        "{err}"
    );
}

#[test]
fn files_and_folders_that_cannot_hold_the_database() {
    let s = Scratch::new();
    let err = crate::util::motions()
        .arg("--db")
        .arg(s.dir.path())
        .arg("tally")
        .assert()
        .code(1)
        .get_output()
        .stderr
        .clone();
    let err = String::from_utf8(err).unwrap();
    assert!(
        err.contains("is a folder; give the database a file name"),
        "{err}"
    );
    let typo = s.dir.path().join("no-such-folder").join("motions.db");
    let err = crate::util::motions()
        .arg("--db")
        .arg(&typo)
        .arg("init")
        .assert()
        .code(1)
        .get_output()
        .stderr
        .clone();
    assert!(
        String::from_utf8(err)
            .unwrap()
            .contains("there is no folder")
    );
    assert!(
        !s.dir.path().join("no-such-folder").exists(),
        "a typo makes no folders"
    );
}

#[test]
fn output_to_a_spreadsheet_file_or_a_missing_folder_is_refused() {
    let s = small();
    let err = s.fails(&["tally", "-o", "tally.xlsx"]);
    assert!(
        err.contains("motions cannot write .xlsx spreadsheets; write CSV (-o tally.csv)"),
        "{err}"
    );
    let err = s.fails(&["tally", "-o", "nowhere/tally.csv"]);
    assert!(
        err.contains("cannot write nowhere/tally.csv: there is no folder nowhere"),
        "{err}"
    );
}
