//! `export popolo`: the document validates against the Popolo schemas (the copy in
//! `tests/data/popolo-schemas/`, with its licence), keeps names out with `--no-names`, and holds
//! enough to recompute every tally from it, as a reader's script would.

use std::collections::HashMap;
use std::path::Path;

use serde_json::{Value, json};

use crate::util::Scratch;

/// The day the tests take as today, after the demo's last meeting.
pub const TODAY: &str = "2019-04-10";

/// `motions ARGS` on `s` with today fixed, standard output of a command that must succeed.
pub fn run(s: &Scratch, args: &[&str]) -> String {
    let output = s
        .cmd(args)
        .env("MOTIONS_TODAY", TODAY)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    String::from_utf8(output).unwrap()
}

/// The Popolo schemas, made Draft 4 (the oldest draft the `jsonschema` crate knows): Draft 3
/// marks a required property with `"required": true` inside it, Draft 4 lists them in the
/// object's `required` array. Nothing else in these schemas differs between the two drafts;
/// any keyword of Draft 3 alone stops the test rather than being skipped.
fn schemas() -> HashMap<String, Value> {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/popolo-schemas");
    let mut schemas = HashMap::new();
    for entry in std::fs::read_dir(folder).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "json") {
            continue;
        }
        let mut schema: Value =
            serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        assert_eq!(schema["$schema"], "http://json-schema.org/draft-03/schema#");
        to_draft4(&mut schema);
        schema["$schema"] = json!("http://json-schema.org/draft-04/schema#");
        let id = schema["id"]
            .as_str()
            .unwrap()
            .trim_end_matches('#')
            .to_string();
        schemas.insert(id, schema);
    }
    assert!(schemas.len() >= 10, "the schemas are missing");
    schemas
}

fn to_draft4(schema: &mut Value) {
    let Value::Object(map) = schema else { return };
    for word in ["extends", "disallow", "divisibleBy"] {
        assert!(
            !map.contains_key(word),
            "Draft 3 keyword {word} is not converted"
        );
    }
    if let Some(Value::Object(properties)) = map.get_mut("properties") {
        let mut required = Vec::new();
        for (name, property) in properties.iter_mut() {
            if let Some(flag) = property.as_object_mut().and_then(|p| p.remove("required")) {
                assert!(flag.is_boolean(), "{name}: required is {flag}");
                if flag == json!(true) {
                    required.push(json!(name));
                }
            }
        }
        if !required.is_empty() {
            map.insert("required".into(), Value::Array(required));
        }
    }
    for value in map.values_mut() {
        match value {
            Value::Object(_) => to_draft4(value),
            Value::Array(items) => items.iter_mut().for_each(to_draft4),
            _ => {}
        }
    }
}

/// Serves the schemas' `$ref`s (`http://www.popoloproject.com/schemas/*.json#`) from the copy.
struct Local(HashMap<String, Value>);

impl jsonschema::Retrieve for Local {
    fn retrieve(
        &self,
        uri: &jsonschema::Uri<String>,
    ) -> Result<Value, Box<dyn std::error::Error + Send + Sync>> {
        let key = uri.as_str().trim_end_matches('#');
        self.0
            .get(key)
            .cloned()
            .ok_or_else(|| format!("no schema {key} in tests/data/popolo-schemas").into())
    }
}

/// Every way `doc` breaks the schemas (formats checked too: dates, URIs), as messages.
pub fn popolo_problems(doc: &Value) -> Vec<String> {
    let schemas = schemas();
    let mut problems = Vec::new();
    for (kind, key) in [("organization", "organizations"), ("motion", "motions")] {
        let schema = &schemas[&format!("http://www.popoloproject.com/schemas/{kind}.json")];
        let validator = jsonschema::options()
            .with_draft(jsonschema::Draft::Draft4)
            .should_validate_formats(true)
            .with_retriever(Local(schemas.clone()))
            .build(schema)
            .unwrap();
        let items = doc[key]
            .as_array()
            .unwrap_or_else(|| panic!("no {key} array"));
        for item in items {
            for error in validator.iter_errors(item) {
                problems.push(format!(
                    "{kind} {}: {error} at {}",
                    item["id"],
                    error.instance_path()
                ));
            }
        }
    }
    problems
}

fn popolo(s: &Scratch, extra: &[&str]) -> Value {
    let mut args = vec!["export", "popolo"];
    args.extend_from_slice(extra);
    serde_json::from_str(&run(s, &args)).unwrap()
}

/// The demo, with what stretches the format: codes, an alias, a renamed body, a retired one,
/// sources that are and are not web addresses, names that look like markup.
fn campaign() -> Scratch {
    let s = Scratch::demo();
    for args in [
        &[
            "org",
            "add",
            "Aldershot CLP",
            "--kind",
            "clp",
            "--code",
            "e14001063",
            "--region",
            "South East",
        ][..],
        &[
            "org",
            "add",
            "Ynys Môn CLP",
            "--kind",
            "clp",
            "--code",
            "W07000081",
        ],
        &["org", "add", "<script>alert(1)</script>", "--kind", "other"],
        &[
            "org",
            "add",
            "GMB LE/998 Sample Branch",
            "--kind",
            "union",
            "--code",
            "LE/998",
        ],
        &[
            "org",
            "alias",
            "Aldershot CLP",
            "Aldershot Constituency Labour Party",
        ],
        &[
            "org",
            "add",
            "Farnham Ward Branch",
            "--kind",
            "branch",
            "--parent",
            "Aldershot CLP",
        ],
        &[
            "log",
            "Aldershot CLP",
            "moved",
            "--date",
            "2019-03-20",
            "--source",
            "GC minutes, 20 March: item 4",
        ],
        &[
            "log",
            "Aldershot CLP",
            "passed",
            "--date",
            "2019-04-03",
            "--for",
            "40",
            "--against",
            "2",
            "--abstain",
            "0",
            "--source",
            "https://example.org/minutes 3 April.pdf?v=1&x=%zz",
        ],
        &["log", "Ynys Môn CLP", "ruled-out", "--date", "2019-03-02"],
        &[
            "log",
            "<script>alert(1)</script>",
            "rejected",
            "--date",
            "2019-03-05",
            "--source",
            "javascript:alert(1)",
        ],
        &[
            "org",
            "retire",
            "Ynys Môn CLP",
            "--on",
            "2019-04-01",
            "--succeeded-by",
            "Aldershot CLP",
        ],
    ] {
        run(&s, args);
    }
    s
}

#[test]
fn the_export_validates_against_the_popolo_schemas() {
    let s = campaign();
    for extra in [&[][..], &["--no-names"], &["--motion", "venezuela-coup"]] {
        let doc = popolo(&s, extra);
        assert_eq!(
            popolo_problems(&doc),
            Vec::<String>::new(),
            "with {extra:?}"
        );
        assert_eq!(doc["organizations"].as_array().unwrap().len(), 45);
    }
    let doc = popolo(&s, &[]);
    let org = |name: &str| {
        doc["organizations"]
            .as_array()
            .unwrap()
            .iter()
            .find(|o| o["name"] == name)
            .unwrap_or_else(|| panic!("{name} is missing"))
            .clone()
    };
    let aldershot = org("Aldershot CLP");
    assert_eq!(aldershot["id"], "org/gss-E14001063");
    assert_eq!(aldershot["classification"], "clp");
    assert_eq!(
        aldershot["identifiers"],
        json!([{"scheme": "gss", "identifier": "E14001063"}])
    );
    assert_eq!(
        aldershot["other_names"],
        json!([{"name": "Aldershot Constituency Labour Party"}])
    );
    assert_eq!(org("Farnham Ward Branch")["parent_id"], "org/gss-E14001063");
    assert_eq!(org("Ynys Môn CLP")["dissolution_date"], "2019-04-01");
    assert_eq!(org("Ashby CLP")["id"], "org/ashby-clp");
    assert_eq!(
        org("GMB LE/998 Sample Branch")["identifiers"][0]["scheme"],
        "code"
    );

    let motion = doc["motions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["organization_id"] == "org/gss-E14001063")
        .unwrap();
    assert_eq!(motion["id"], "venezuela-coup/org/gss-E14001063");
    assert_eq!(motion["identifier"], "venezuela-coup");
    assert_eq!(motion["date"], "2019-03-20T00:00:00Z");
    assert_eq!(motion["result"], "pass");
    let events = motion["vote_events"].as_array().unwrap();
    assert_eq!(events.len(), 2);
    assert_eq!(events[0]["result"], "pending");
    assert_eq!(events[0]["classification"], "moved");
    assert_eq!(
        events[0]["sources"][0]["note"],
        "GC minutes, 20 March: item 4"
    );
    assert_eq!(events[1]["start_date"], "2019-04-03T00:00:00Z");
    assert_eq!(
        events[1]["counts"],
        json!([{"option": "yes", "value": 40}, {"option": "no", "value": 2}, {"option": "abstain", "value": 0}])
    );
    assert_eq!(
        events[1]["sources"][0]["url"],
        "https://example.org/minutes%203%20April.pdf?v=1&x=%25zz"
    );
}

#[test]
fn the_schema_check_refuses_what_popolo_does_not_allow() {
    let s = campaign();
    let mut doc = popolo(&s, &[]);
    doc["motions"][0]["vote_events"][0]["start_date"] = json!("2019-01-31");
    doc["motions"][0]["vote_events"][0]["counts"] = json!([{"option": "yes", "value": "14"}]);
    doc["organizations"][0]["identifiers"] = json!([{"scheme": "gss"}]);
    let problems = popolo_problems(&doc);
    assert_eq!(problems.len(), 3, "{problems:#?}");
}

#[test]
fn no_names_leaves_out_reporters_and_notes() {
    let s = Scratch::demo();
    run(
        &s,
        &[
            "log",
            "Holby CLP",
            "passed",
            "--date",
            "2019-04-02",
            "--by",
            "Zebedee Reporter",
            "--note",
            "Zebedee said",
        ],
    );
    let with = run(&s, &["export", "popolo"]);
    assert!(with.contains("Zebedee Reporter") && with.contains("Zebedee said"));
    let without = run(&s, &["export", "popolo", "--no-names"]);
    assert!(!without.contains("Zebedee"), "a name is left");
    assert!(
        !without.contains("secretary"),
        "the demo's reporters are left"
    );
    let doc: Value = serde_json::from_str(&without).unwrap();
    assert_eq!(popolo_problems(&doc), Vec::<String>::new());
}

#[test]
fn ids_stay_the_same_from_one_export_to_the_next() {
    let s = campaign();
    let ids = |doc: &Value| -> HashMap<String, String> {
        doc["organizations"]
            .as_array()
            .unwrap()
            .iter()
            .map(|o| {
                (
                    o["name"].as_str().unwrap().to_string(),
                    o["id"].as_str().unwrap().to_string(),
                )
            })
            .collect()
    };
    let before = ids(&popolo(&s, &[]));
    run(&s, &["org", "add", "Aardvark Branch", "--kind", "branch"]);
    run(
        &s,
        &["log", "Ashby CLP", "rejected", "--date", "2019-04-05"],
    );
    let after = ids(&popolo(&s, &[]));
    for (name, id) in &before {
        assert_eq!(after.get(name), Some(id), "{name}");
    }
    let unique: std::collections::HashSet<&String> = after.values().collect();
    assert_eq!(unique.len(), after.len(), "ids clash");
}

/// The tally a reader recomputes from the Popolo document as things stood at the end of `day`
/// (`None`: now, the latest event of each), counting the organisations not dissolved by then:
/// `[registered, passed, amended, rejected, pending, dropped, not_moved]`.
pub fn recount(doc: &Value, slug: &str, day: Option<&str>, today: &str) -> [u64; 7] {
    let on = day.unwrap_or(today);
    let registered: Vec<&str> = doc["organizations"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|o| o["dissolution_date"].as_str().is_none_or(|d| d > on))
        .map(|o| o["id"].as_str().unwrap())
        .collect();
    let mut counts = [registered.len() as u64, 0, 0, 0, 0, 0, 0];
    let mut moved = 0;
    for motion in doc["motions"].as_array().unwrap() {
        if motion["identifier"] != slug
            || !registered.contains(&motion["organization_id"].as_str().unwrap())
        {
            continue;
        }
        let latest = motion["vote_events"]
            .as_array()
            .unwrap()
            .iter()
            .rfind(|e| day.is_none_or(|day| &e["start_date"].as_str().unwrap()[..10] <= day));
        let Some(latest) = latest else { continue };
        moved += 1;
        match latest["result"].as_str().unwrap() {
            "pass" => counts[1] += 1,
            "fail" => counts[3] += 1,
            "pending" => counts[4] += 1,
            "withdrawn" => counts[5] += 1,
            other => panic!("result {other}"),
        }
        if latest["classification"] == "passed-amended" {
            counts[2] += 1;
        }
    }
    counts[6] = counts[0] - moved;
    counts
}

/// `tally --format json` as the same seven numbers.
pub fn tally_numbers(s: &Scratch, extra: &[&str]) -> [u64; 7] {
    let mut args = vec!["tally", "--format", "json"];
    args.extend_from_slice(extra);
    let json: Value = serde_json::from_str(&run(s, &args)).unwrap();
    let row = &json[0];
    [
        "registered",
        "passed",
        "amended",
        "rejected",
        "pending",
        "dropped",
        "not_moved",
    ]
    .map(|key| row[key].as_u64().unwrap_or_else(|| panic!("{key}")))
}

#[test]
fn a_reader_recomputes_every_tally_from_the_popolo_file() {
    let s = campaign();
    run(&s, &["org", "retire", "Ashby CLP", "--on", "2019-02-20"]);
    let doc = popolo(&s, &["--no-names"]);
    assert_eq!(
        recount(&doc, "venezuela-coup", None, TODAY),
        tally_numbers(&s, &[]),
        "now"
    );
    for day in [
        "2019-01-27",
        "2019-02-10",
        "2019-02-19",
        "2019-02-20",
        "2019-03-01",
        "2019-03-31",
        "2019-04-03",
    ] {
        assert_eq!(
            recount(&doc, "venezuela-coup", Some(day), TODAY),
            tally_numbers(&s, &["--as-of", day]),
            "as of {day}"
        );
    }
    assert_eq!(
        tally_numbers(&s, &["--as-of", "deadline"]),
        tally_numbers(&s, &["--as-of", "2019-03-31"])
    );
}
