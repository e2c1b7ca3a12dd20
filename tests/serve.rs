//! `motions serve`, `reporter` and `review`: reports sent through links as a phone's browser or
//! a script sends them, checked by the same rules and with the same words as `log`, waiting
//! for review until approved, and never written by a GET.
//!
//! Every server here listens on 127.0.0.1 on a free port (`--bind 127.0.0.1:0`) and is stopped
//! when its test ends; every loop is bounded.

use std::collections::HashSet;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use rusqlite::Connection;
use serde_json::{Value, json};

use crate::util::{Scratch, csv_rows};

/// A running `motions serve`, stopped (SIGTERM, then SIGKILL) when dropped.
pub struct Server {
    child: Child,
    pub base: String,
    stderr: Arc<Mutex<String>>,
}

impl Server {
    /// Starts `motions --db DB serve --bind 127.0.0.1:0 EXTRA` and waits for its first line.
    pub fn start(s: &Scratch, extra: &[&str]) -> Server {
        Server::start_with(s, extra, &[])
    }

    pub fn start_with(s: &Scratch, extra: &[&str], env: &[(&str, &str)]) -> Server {
        let mut cmd = Command::new(assert_cmd::cargo::cargo_bin!("motions"));
        cmd.env_remove("MOTIONS_DB")
            .arg("--db")
            .arg(&s.db)
            .args(["serve", "--bind", "127.0.0.1:0"])
            .args(extra)
            .current_dir(s.dir.path())
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
        for (key, value) in env {
            cmd.env(key, value);
        }
        let mut child = cmd.spawn().unwrap();
        let mut lines = BufReader::new(child.stderr.take().unwrap());
        let mut first = String::new();
        lines.read_line(&mut first).unwrap();
        let address = first
            .trim()
            .strip_prefix("Listening on http://")
            .unwrap_or_else(|| panic!("the first line was {first:?}"))
            .to_string();
        assert!(address.starts_with("127.0.0.1:"), "{address}");
        let stderr = Arc::new(Mutex::new(String::new()));
        let rest = Arc::clone(&stderr);
        std::thread::spawn(move || {
            let mut text = String::new();
            let _ = lines.read_to_string(&mut text);
            rest.lock().unwrap().push_str(&text);
        });
        Server {
            child,
            base: format!("http://{address}"),
            stderr,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Sends SIGTERM and waits (bounded) for the server to stop; its exit status and what it
    /// said after the first line.
    pub fn stop(mut self) -> (std::process::ExitStatus, String) {
        let status = terminate(&mut self.child);
        // The reading thread ends when the process closes its stderr.
        for _ in 0..50 {
            if Arc::strong_count(&self.stderr) == 1 {
                break;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let said = self.stderr.lock().unwrap().clone();
        (status, said)
    }
}

fn terminate(child: &mut Child) -> std::process::ExitStatus {
    if let Ok(Some(status)) = child.try_wait() {
        return status;
    }
    // SAFETY: kill has no memory preconditions; the pid is our own child's, not yet reaped.
    unsafe {
        libc::kill(child.id() as libc::pid_t, libc::SIGTERM);
    }
    for _ in 0..200 {
        if let Ok(Some(status)) = child.try_wait() {
            return status;
        }
        std::thread::sleep(Duration::from_millis(25));
    }
    let _ = child.kill();
    child.wait().unwrap()
}

impl Drop for Server {
    fn drop(&mut self) {
        terminate(&mut self.child);
    }
}

/// What the server answered.
#[derive(Debug, Clone)]
pub struct Answer {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Answer {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body)
            .unwrap_or_else(|err| panic!("not JSON ({err}): {}", self.body))
    }
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .timeout_global(Some(Duration::from_secs(60)))
        .build()
        .into()
}

fn answer(result: Result<ureq::http::Response<ureq::Body>, ureq::Error>) -> Answer {
    let mut response = result.unwrap();
    let headers = response
        .headers()
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_str().unwrap_or_default().to_string()))
        .collect();
    Answer {
        status: response.status().as_u16(),
        headers,
        body: response
            .body_mut()
            .with_config()
            .limit(64 * 1024 * 1024)
            .read_to_string()
            .unwrap(),
    }
}

pub fn get(url: &str) -> Answer {
    answer(agent().get(url).call())
}

pub fn get_bearer(url: &str, token: &str) -> Answer {
    answer(
        agent()
            .get(url)
            .header("Authorization", &format!("Bearer {token}"))
            .call(),
    )
}

pub fn post_form(url: &str, fields: &[(&str, &str)]) -> Answer {
    answer(agent().post(url).send_form(fields.iter().copied()))
}

pub fn post_json(url: &str, token: &str, body: &Value) -> Answer {
    post_raw(url, token, &body.to_string())
}

pub fn post_raw(url: &str, token: &str, body: &str) -> Answer {
    answer(
        agent()
            .post(url)
            .header("Authorization", &format!("Bearer {token}"))
            .header("Content-Type", "application/json")
            .send(body),
    )
}

/// Makes a link with `reporter add ARGS` and returns its token (from the last line of stdout).
pub fn link(s: &Scratch, args: &[&str]) -> String {
    let mut all = vec!["reporter", "add"];
    all.extend_from_slice(args);
    let out = s.stdout(&all);
    let last = out.lines().last().unwrap();
    let (base, token) = last.split_once("/r/").unwrap();
    assert_eq!(base, "http://127.0.0.1:8080", "{out}");
    token.to_string()
}

/// Every row of every table, to tell whether anything at all was written.
pub fn dump_all(db: &Path) -> String {
    let conn = Connection::open(db).unwrap();
    let tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let mut text = String::new();
    for table in tables {
        let mut stmt = conn.prepare(&format!("SELECT * FROM \"{table}\"")).unwrap();
        let columns = stmt.column_count();
        let mut rows = stmt.query([]).unwrap();
        while let Some(row) = rows.next().unwrap() {
            let values: Vec<String> = (0..columns)
                .map(|i| format!("{:?}", row.get_ref(i).unwrap()))
                .collect();
            text.push_str(&format!("{table}: {}\n", values.join(" | ")));
        }
    }
    text
}

/// How many events `history` shows.
fn events(s: &Scratch) -> usize {
    csv_rows(&s.stdout(&["history", "--format", "csv"])).len() - 1
}

/// The `review list --all` rows as maps of column to value.
fn reviews(s: &Scratch) -> Vec<std::collections::HashMap<String, String>> {
    let rows = csv_rows(&s.stdout(&["review", "list", "--all", "--format", "csv"]));
    let header = rows[0].clone();
    rows[1..]
        .iter()
        .map(|row| header.iter().cloned().zip(row.iter().cloned()).collect())
        .collect()
}

const SECURITY_HEADERS: [(&str, &str); 4] = [
    ("referrer-policy", "no-referrer"),
    ("cache-control", "no-store"),
    ("x-content-type-options", "nosniff"),
    ("x-frame-options", "DENY"),
];

fn assert_safe_headers(answer: &Answer) {
    for (name, value) in SECURITY_HEADERS {
        assert_eq!(answer.header(name), Some(value), "{name} on {answer:?}");
    }
    let csp = answer.header("content-security-policy").unwrap();
    assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
    assert!(csp.contains("default-src 'none'"), "{csp}");
    assert!(
        !csp.contains("script-src"),
        "no script source at all: {csp}"
    );
}

#[test]
fn the_form_opens_without_writing_and_every_answer_carries_the_safety_headers() {
    let s = Scratch::demo();
    let token = link(&s, &["Sam Sample"]);
    let coordinator = link(&s, &["Alex Organiser", "--coordinator"]);
    let server = Server::start(&s, &[]);
    let before = dump_all(&s.db);

    let form = get(&server.url(&format!("/r/{token}")));
    assert_eq!(form.status, 200, "{}", form.body);
    assert_safe_headers(&form);
    assert!(
        form.body.contains("Sam Sample"),
        "the reporter's name is shown"
    );
    assert!(form.body.contains("<datalist id=\"registry\">"));
    assert!(
        form.body.contains("<option value=\"Ashby CLP\">"),
        "the registry is offered"
    );
    for status in [
        "passed",
        "passed-amended",
        "rejected",
        "deferred",
        "ruled-out",
    ] {
        assert!(
            form.body.contains(&format!("value=\"{status}\"")),
            "{status} is offered"
        );
    }
    assert!(
        form.body.contains("carried with amendments"),
        "statuses in plain words"
    );
    assert!(form.body.contains("name=\"source\""));
    assert!(!form.body.contains("<script"), "no script is needed");

    // Links a mail scanner may open, good and bad, and every read: nothing is written.
    let reads = [
        format!("/r/{token}"),
        format!("/c/{coordinator}"),
        format!("/c/{token}"),
        "/r/not-a-token".to_string(),
        format!("/r/{}", "A".repeat(43)),
        "/".to_string(),
        "/data/outcomes.csv".to_string(),
        "/nowhere".to_string(),
    ];
    for path in &reads {
        let answer = get(&server.url(path));
        assert_safe_headers(&answer);
    }
    let api = get_bearer(&server.url("/api/v1/tally"), &coordinator);
    assert_eq!(api.status, 200, "{}", api.body);
    assert_safe_headers(&api);
    assert_eq!(dump_all(&s.db), before, "a GET wrote to the database");
    let (status, said) = server.stop();
    assert!(status.success(), "{status:?} {said}");
    assert!(said.contains("Stopped"), "{said}");
}

#[test]
fn a_report_waits_for_review_and_counts_once_approved_under_the_reporters_name() {
    let s = Scratch::demo();
    let token = link(&s, &["Sam Sample"]);
    let server = Server::start(&s, &[]);
    let history_before = s.stdout(&["history", "--format", "csv"]);
    let tally_before = s.stdout(&["tally", "--format", "csv"]);

    let sent = post_form(
        &server.url(&format!("/r/{token}")),
        &[
            ("organisation", "walford clp"),
            ("status", "carried"),
            ("meeting_date", "2019-03-20"),
            ("votes_for", "21"),
            ("votes_against", "4"),
            ("source", "minutes of 20 March, item 6"),
        ],
    );
    assert_eq!(sent.status, 200, "{}", sent.body);
    assert!(
        sent.body.contains("A coordinator will check it"),
        "{}",
        sent.body
    );
    assert!(
        sent.body.contains("Walford CLP"),
        "the registered name is shown"
    );
    assert!(
        sent.body.contains(&format!("href=\"/r/{token}\"")),
        "a link to report another"
    );

    assert_eq!(s.stdout(&["history", "--format", "csv"]), history_before);
    assert_eq!(s.stdout(&["tally", "--format", "csv"]), tally_before);
    let waiting = reviews(&s);
    assert_eq!(waiting.len(), 1);
    let report = &waiting[0];
    assert_eq!(report["state"], "awaiting-review");
    assert_eq!(report["reporter"], "Sam Sample");
    assert_eq!(report["organisation"], "Walford CLP");
    assert_eq!(report["status"], "passed");
    assert_eq!(report["votes_for"], "21");
    let id = report["id"].clone();

    s.run(&["review", "approve", &id]).success();
    let after = csv_rows(&s.stdout(&["history", "--org", "Walford CLP", "--format", "csv"]));
    let last = after.last().unwrap();
    let column = |name: &str| after[0].iter().position(|h| h == name).unwrap();
    assert_eq!(last[column("status")], "passed");
    assert_eq!(last[column("meeting_date")], "2019-03-20");
    assert_eq!(last[column("reported_by")], "Sam Sample");
    assert_eq!(last[column("source")], "minutes of 20 March, item 6");
    assert_ne!(s.stdout(&["tally", "--format", "csv"]), tally_before);
    let decided = &reviews(&s)[0];
    assert_eq!(decided["state"], "recorded");
    assert!(!decided["decided_at"].is_empty());

    // Approving again changes nothing, and says why.
    let said = s.fails(&["review", "approve", &id]);
    assert!(said.contains("recorded already"), "{said}");
}

#[test]
fn a_trusted_link_records_at_once_and_the_same_report_again_adds_nothing() {
    let s = Scratch::demo();
    let token = link(&s, &["Alex Organiser", "--trusted"]);
    let server = Server::start(&s, &[]);
    let before = events(&s);
    let report = json!({
        "organisation": "Borchester CLP",
        "status": "rejected",
        "meeting_date": "18/03/2019",
        "votes_for": 3,
        "votes_against": "30",
    });
    let first = post_json(&server.url("/api/v1/reports"), &token, &report);
    assert_eq!(first.status, 201, "{}", first.body);
    let body = first.json();
    assert_eq!(body["state"], "recorded");
    let event = body["outcome_id"].as_i64().unwrap();
    assert_eq!(events(&s), before + 1);
    let again = post_json(&server.url("/api/v1/reports"), &token, &report);
    assert_eq!(again.status, 201, "{}", again.body);
    assert_eq!(again.json()["outcome_id"].as_i64(), Some(event));
    assert_ne!(again.json()["id"], body["id"]);
    assert_eq!(events(&s), before + 1, "counted twice");
    let history = s.stdout(&["history", "--org", "Borchester CLP"]);
    assert!(history.contains("Alex Organiser"), "{history}");

    // Another decision for the same meeting is refused, as log refuses it.
    let other = post_json(
        &server.url("/api/v1/reports"),
        &token,
        &json!({"organisation": "Borchester CLP", "status": "passed", "meeting_date": "2019-03-18"}),
    );
    assert_eq!(other.status, 422, "{}", other.body);
    let problem = other.json()["errors"][0].clone();
    assert_eq!(problem["field"], "status");
    let log = String::from_utf8(
        s.run(&["log", "Borchester CLP", "passed", "--date", "2019-03-18"])
            .code(1)
            .get_output()
            .stderr
            .clone(),
    )
    .unwrap();
    assert!(
        log.contains(problem["problem"].as_str().unwrap()),
        "{log} / {problem}"
    );
    assert_eq!(events(&s), before + 1);
}

#[test]
fn a_link_reports_only_for_its_own_organisations_and_motions() {
    let s = Scratch::demo();
    s.run(&[
        "motion",
        "add",
        "second-motion",
        "--title",
        "A second motion",
    ])
    .success();
    let token = link(
        &s,
        &[
            "Sam Sample",
            "--org",
            "Ashby CLP",
            "--motion",
            "venezuela-coup",
        ],
    );
    let server = Server::start(&s, &[]);
    let before = dump_all(&s.db);
    let url = server.url("/api/v1/reports");

    let outside = post_json(
        &url,
        &token,
        &json!({"organisation": "Walford CLP", "status": "passed", "meeting_date": "2019-03-20"}),
    );
    assert_eq!(outside.status, 403, "{}", outside.body);
    let problem = &outside.json()["errors"][0];
    assert_eq!(problem["field"], "organisation");
    assert!(
        problem["problem"]
            .as_str()
            .unwrap()
            .contains("\"Ashby CLP\" only"),
        "{problem}"
    );
    let other_motion = post_json(
        &url,
        &token,
        &json!({"motion": "second-motion", "organisation": "Ashby CLP", "status": "passed", "meeting_date": "2019-03-20"}),
    );
    assert_eq!(other_motion.status, 403, "{}", other_motion.body);
    assert_eq!(other_motion.json()["errors"][0]["field"], "motion");

    // The form says it beside the field, with what was typed kept.
    let form = post_form(
        &server.url(&format!("/r/{token}")),
        &[
            ("organisation", "Walford CLP"),
            ("status", "passed"),
            ("meeting_date", "2019-03-20"),
        ],
    );
    assert_eq!(form.status, 403, "{}", form.body);
    assert!(
        form.body.contains("reports for &quot;Ashby CLP&quot; only")
            || form.body.contains("reports for \"Ashby CLP\" only"),
        "{}",
        form.body
    );
    assert_eq!(dump_all(&s.db), before, "a refused report wrote something");

    // Its own organisation and motion are taken, without naming them.
    let own = post_json(
        &url,
        &token,
        &json!({"status": "passed", "meeting_date": "2019-03-20"}),
    );
    assert_eq!(own.status, 201, "{}", own.body);
    assert_eq!(reviews(&s)[0]["organisation"], "Ashby CLP");
    assert_eq!(reviews(&s)[0]["motion"], "venezuela-coup");
    // The form offers no other organisation.
    let page = get(&server.url(&format!("/r/{token}")));
    assert!(
        !page.body.contains("Walford CLP"),
        "other organisations offered"
    );
}

#[test]
fn unknown_expired_revoked_and_replaced_links_are_refused() {
    let s = Scratch::demo();
    let expiring = link(&s, &["Jo Example", "--expires", "2030-06-30"]);
    let revoked = link(&s, &["Sam Sample"]);
    let replaced = link(&s, &["Kim Sample"]);
    s.run(&["reporter", "revoke", "Sam Sample"]).success();
    let fresh = s.stdout(&["reporter", "link", "kim sample", "--new"]);
    let fresh = fresh.trim().rsplit_once("/r/").unwrap().1.to_string();
    let report =
        json!({"organisation": "Ashby CLP", "status": "passed", "meeting_date": "2019-03-20"});

    let server = Server::start_with(&s, &[], &[("MOTIONS_TODAY", "2030-07-01")]);
    let url = server.url("/api/v1/reports");
    let before = dump_all(&s.db);
    for (token, why) in [
        (expiring.as_str(), "expired"),
        (revoked.as_str(), "turned off"),
        (replaced.as_str(), "does not work"),
        ("not-a-token", "does not work"),
    ] {
        let answer = post_json(&url, token, &report);
        assert_eq!(answer.status, 401, "{token}: {}", answer.body);
        assert!(answer.header("www-authenticate").is_some());
        assert!(answer.body.contains(why), "{why}: {}", answer.body);
        let page = get(&server.url(&format!("/r/{token}")));
        assert_eq!(page.status, 401);
        assert!(page.body.contains(why), "{why}: {}", page.body);
    }
    let no_token = answer(agent().post(&url).send(report.to_string()));
    assert_eq!(no_token.status, 401);
    assert_eq!(dump_all(&s.db), before);
    drop(server);

    // The day before it expires, the link works; the new link works.
    let server = Server::start_with(&s, &[], &[("MOTIONS_TODAY", "2030-06-30")]);
    let url = server.url("/api/v1/reports");
    assert_eq!(post_json(&url, &expiring, &report).status, 201);
    assert_eq!(post_json(&url, &fresh, &report).status, 201);
    let list = csv_rows(&s.stdout(&["reporter", "list", "--format", "csv"]));
    assert_eq!(
        list[0],
        [
            "id",
            "name",
            "orgs",
            "motions",
            "trusted",
            "coordinator",
            "expires",
            "revoked",
            "last_used",
            "submissions"
        ]
    );
    let text = s.stdout(&["reporter", "list", "--format", "json"]);
    for token in [&expiring, &revoked, &replaced, &fresh] {
        assert!(
            !text.contains(token.as_str()),
            "reporter list shows a token"
        );
    }
}

/// What `motions log ARGS` says on stderr (it must fail).
fn log_says(s: &Scratch, args: &[&str]) -> String {
    let mut all = vec!["log"];
    all.extend_from_slice(args);
    String::from_utf8(s.run(&all).code(1).get_output().stderr.clone()).unwrap()
}

#[test]
fn bad_values_are_refused_with_the_words_log_uses_and_nothing_is_written() {
    let s = Scratch::demo();
    let token = link(&s, &["Sam Sample", "--trusted"]);
    let server = Server::start(&s, &["--rate", "100000"]);
    let url = server.url("/api/v1/reports");
    let good = |field: &str, value: &str| {
        let mut report =
            json!({"organisation": "Ashby CLP", "status": "passed", "meeting_date": "2019-03-20"});
        report[field] = json!(value);
        report
    };
    let cases: Vec<(&str, &str, Vec<&str>)> = vec![
        (
            "votes_for",
            "-3",
            vec!["Ashby CLP", "passed", "--date", "2019-03-20", "--for", "-3"],
        ),
        (
            "votes_against",
            "99999999999",
            vec![
                "Ashby CLP",
                "passed",
                "--date",
                "2019-03-20",
                "--against",
                "99999999999",
            ],
        ),
        (
            "meeting_date",
            "2099-01-01",
            vec!["Ashby CLP", "passed", "--date", "2099-01-01"],
        ),
        (
            "meeting_date",
            "31/02/2019",
            vec!["Ashby CLP", "passed", "--date", "31/02/2019"],
        ),
        (
            "meeting_date",
            "1850-01-01",
            vec!["Ashby CLP", "passed", "--date", "1850-01-01"],
        ),
        (
            "status",
            "maybe",
            vec!["Ashby CLP", "maybe", "--date", "2019-03-20"],
        ),
        (
            "notes",
            "a bell \u{7} rings",
            vec![
                "Ashby CLP",
                "passed",
                "--date",
                "2019-03-20",
                "--note",
                "a bell \u{7} rings",
            ],
        ),
        (
            "organisation",
            "Ashbey CLP",
            vec!["Ashbey CLP", "passed", "--date", "2019-03-20"],
        ),
    ];
    let before = dump_all(&s.db);
    for (field, value, log) in &cases {
        let answer = post_json(&url, &token, &good(field, value));
        assert_eq!(answer.status, 422, "{field}={value}: {}", answer.body);
        let errors = answer.json()["errors"].as_array().unwrap().clone();
        assert_eq!(errors.len(), 1, "{field}={value}: {errors:?}");
        assert_eq!(errors[0]["field"], *field);
        let problem = errors[0]["problem"].as_str().unwrap();
        let said = log_says(&s, log);
        // The unknown organisation's hint says how to register it, which differs by the way in.
        let compared = problem.split(" (").next().unwrap();
        assert!(
            said.contains(compared),
            "{field}={value}\n  web: {problem}\n  log: {said}"
        );
        // The form shows the same words beside the field, with the value kept.
        let mut fields = vec![
            ("organisation", "Ashby CLP"),
            ("status", "passed"),
            ("meeting_date", "2019-03-20"),
        ];
        fields.retain(|(name, _)| name != field);
        fields.push((field, value));
        let page = post_form(&server.url(&format!("/r/{token}")), &fields);
        assert_eq!(page.status, 422, "{field}={value}");
        let escaped = compared
            .replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
            .replace('"', "&quot;");
        let beside = format!("<p class=\"error-message\" id=\"{field}-error\">");
        let at = page
            .body
            .find(&beside)
            .unwrap_or_else(|| panic!("{field}: no message beside it:\n{}", page.body));
        assert!(
            page.body[at..].contains(&escaped) || page.body[at..].contains(compared),
            "{field}: {}",
            &page.body[at..]
        );
        assert!(
            page.body.contains("There is a problem"),
            "a summary at the top"
        );
    }
    // Several problems at once are all said.
    let many = post_json(
        &url,
        &token,
        &json!({"organisation": "Ashby CLP", "status": "passed", "meeting_date": "2099-01-01", "votes_for": "x", "votes_abstain": -1}),
    );
    assert_eq!(many.status, 422);
    let fields: Vec<String> = many.json()["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(fields, ["meeting_date", "votes_for", "votes_abstain"]);
    // A missing status is asked for; an unknown field is named; a body that is not JSON is 400.
    let missing = post_json(&url, &token, &json!({"organisation": "Ashby CLP"}));
    assert_eq!(missing.status, 422);
    assert_eq!(missing.json()["errors"][0]["field"], "status");
    let unknown = post_json(
        &url,
        &token,
        &json!({"organisation": "Ashby CLP", "status": "passed", "colour": "red"}),
    );
    assert_eq!(unknown.status, 422);
    assert_eq!(unknown.json()["errors"][0]["field"], "colour");
    assert_eq!(post_raw(&url, &token, "organisation=Ashby").status, 400);
    assert_eq!(dump_all(&s.db), before, "a refused report wrote something");
}

#[test]
fn hostile_text_is_escaped_in_every_page() {
    let s = Scratch::demo();
    let hostile_org = "<img src=x onerror=alert(1)> \"Quoted' Branch";
    s.run(&["org", "add", hostile_org, "--kind", "other"])
        .success();
    let name = "<script>alert('name')</script> O'Brien \"Jo\"";
    let token = link(&s, &[name, "--coordinator"]);
    let server = Server::start(&s, &["--public"]);
    let notes = "</textarea><script>alert('notes')</script>";
    let source = "javascript:alert('source')\"><b>";
    let form_url = server.url(&format!("/r/{token}"));

    let mut pages = vec![get(&form_url)];
    // Refused: the values come back in the form.
    pages.push(post_form(
        &form_url,
        &[
            ("organisation", hostile_org),
            ("status", "<b>passed</b>"),
            ("meeting_date", "\"><script>x</script>"),
            ("votes_for", "<i>3</i>"),
            ("source", source),
            ("notes", notes),
        ],
    ));
    pages.push(post_form(
        &form_url,
        &[
            ("organisation", "<script>unknown</script>"),
            ("status", "passed"),
        ],
    ));
    // Taken: the page after it shows them.
    let done = post_form(
        &form_url,
        &[
            ("organisation", hostile_org),
            ("status", "passed"),
            ("meeting_date", "2019-03-20"),
            ("source", source),
            ("notes", notes),
        ],
    );
    assert_eq!(done.status, 200, "{}", done.body);
    pages.push(done);
    pages.push(get(&server.url(&format!("/c/{token}"))));
    let id = reviews(&s)[0]["id"].clone();
    // A rejection's reason comes back on the page too.
    let rejected = post_form(
        &server.url(&format!("/c/{token}/review/{id}/reject")),
        &[("reason", "<script>alert('reason')</script>")],
    );
    assert_eq!(rejected.status, 303, "{}", rejected.body);
    pages.push(get(&server.url(rejected.header("location").unwrap())));
    s.run(&[
        "log",
        hostile_org,
        "passed",
        "--date",
        "2019-03-21",
        "--source",
        source,
        "--by",
        name,
    ])
    .success();
    pages.push(get(&server.url("/")));
    for page in &pages {
        for raw in ["<script>", "<img src=x", "<b>", "<i>", "</textarea><script"] {
            assert!(
                !page.body.contains(raw),
                "{raw} unescaped in:\n{}",
                page.body
            );
        }
        assert!(!page.body.contains("href=\"javascript:"), "{}", page.body);
    }
    assert!(
        pages[0].body.contains("&lt;script&gt;alert"),
        "the name is shown, escaped"
    );
    assert!(
        pages[3].body.contains("&lt;/textarea&gt;&lt;script&gt;"),
        "{}",
        pages[3].body
    );
    assert!(
        !pages.last().unwrap().body.contains("alert('name')"),
        "the public page names a reporter"
    );
}

#[test]
fn the_coordinators_page_lists_reports_and_decides_them() {
    let s = Scratch::demo();
    let reporter = link(&s, &["Sam Sample"]);
    let coordinator = link(&s, &["Alex Organiser", "--coordinator"]);
    let server = Server::start(&s, &[]);
    let url = server.url("/api/v1/reports");
    for (org, status) in [("Walford CLP", "passed"), ("Holby CLP", "rejected")] {
        let sent = post_json(
            &url,
            &reporter,
            &json!({"organisation": org, "status": status, "meeting_date": "2019-03-20", "notes": "from the branch secretary"}),
        );
        assert_eq!(sent.status, 201, "{}", sent.body);
        assert_eq!(sent.json()["state"], "awaiting-review");
    }
    let ids: Vec<String> = reviews(&s).iter().map(|r| r["id"].clone()).collect();

    let page = get(&server.url(&format!("/c/{coordinator}")));
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(
        page.body.contains("Reports waiting for review (2)"),
        "{}",
        page.body
    );
    assert!(page.body.contains("Walford CLP") && page.body.contains("Sam Sample"));
    assert!(
        page.body.contains("Oppose the attempted coup"),
        "the live report is on the page"
    );
    assert!(page.body.contains(&format!(
        "action=\"/c/{coordinator}/review/{}/approve\"",
        ids[0]
    )));
    // A reporter's link opens no coordinator's page and decides nothing.
    assert_eq!(get(&server.url(&format!("/c/{reporter}"))).status, 403);
    let not_yours = post_form(
        &server.url(&format!("/c/{reporter}/review/{}/approve", ids[0])),
        &[],
    );
    assert_eq!(not_yours.status, 403);
    assert_eq!(reviews(&s)[0]["state"], "awaiting-review");

    let before = events(&s);
    let approved = post_form(
        &server.url(&format!("/c/{coordinator}/review/{}/approve", ids[0])),
        &[],
    );
    assert_eq!(approved.status, 303, "{}", approved.body);
    assert!(
        approved
            .header("location")
            .unwrap()
            .starts_with(&format!("/c/{coordinator}?approved={}", ids[0]))
    );
    assert_eq!(events(&s), before + 1);
    let no_reason = post_form(
        &server.url(&format!("/c/{coordinator}/review/{}/reject", ids[1])),
        &[("reason", " ")],
    );
    assert_eq!(no_reason.status, 422);
    assert!(
        no_reason.body.contains("give the reason"),
        "{}",
        no_reason.body
    );
    let rejected = post_form(
        &server.url(&format!("/c/{coordinator}/review/{}/reject", ids[1])),
        &[("reason", "the meeting was not quorate")],
    );
    assert_eq!(rejected.status, 303);
    assert_eq!(events(&s), before + 1);
    // Deciding twice is refused.
    let twice = post_form(
        &server.url(&format!("/c/{coordinator}/review/{}/approve", ids[1])),
        &[],
    );
    assert_eq!(twice.status, 422);
    assert!(twice.body.contains("rejected already"), "{}", twice.body);

    let all = reviews(&s);
    assert_eq!(all[0]["state"], "recorded");
    assert_eq!(all[1]["state"], "rejected");
    assert_eq!(all[1]["reason"], "the meeting was not quorate");
    let waiting = s.stdout(&["review", "list", "--format", "csv"]);
    assert_eq!(csv_rows(&waiting).len(), 1, "only the header: {waiting}");
    let history = s.stdout(&["history", "--org", "Walford CLP", "--format", "csv"]);
    assert!(history.contains("Sam Sample") && history.contains("from the branch secretary"));
}

#[test]
fn review_from_the_command_line_is_all_or_nothing() {
    let s = Scratch::demo();
    let reporter = link(&s, &["Sam Sample"]);
    let server = Server::start(&s, &[]);
    let url = server.url("/api/v1/reports");
    for org in ["Walford CLP", "Holby CLP", "Ashby CLP"] {
        let sent = post_json(
            &url,
            &reporter,
            &json!({"organisation": org, "status": "moved", "meeting_date": "2019-03-20"}),
        );
        assert_eq!(sent.status, 201, "{}", sent.body);
    }
    drop(server);
    let ids: Vec<String> = reviews(&s).iter().map(|r| r["id"].clone()).collect();
    let said = s.fails(&["review", "approve", &ids[0], "999"]);
    assert!(
        said.contains("there is no submission 999") && said.contains("Nothing was changed"),
        "{said}"
    );
    let said = s.fails(&["review", "reject", &ids[0], "--reason", ""]);
    assert!(said.contains("give the reason"), "{said}");
    s.run(&[
        "review",
        "reject",
        &ids[0],
        &ids[1],
        "--reason",
        "duplicate",
    ])
    .success();
    s.run(&["review", "approve", &ids[2]]).success();
    let said = s.fails(&["review", "approve", &ids[0]]);
    assert!(said.contains("rejected already"), "{said}");
    let states: Vec<String> = reviews(&s).iter().map(|r| r["state"].clone()).collect();
    assert_eq!(states, ["rejected", "rejected", "recorded"]);
    let json: Value =
        serde_json::from_str(&s.stdout(&["review", "list", "--all", "--format", "json"])).unwrap();
    let keys: Vec<&str> = json[0]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        [
            "id",
            "state",
            "reporter",
            "motion",
            "organisation",
            "status",
            "meeting_date",
            "votes_for",
            "votes_against",
            "votes_abstain",
            "source",
            "notes",
            "submitted_at",
            "decided_at",
            "reason"
        ]
    );
}

#[test]
fn the_api_gives_the_same_json_as_tally_and_status() {
    let s = Scratch::demo();
    let coordinator = link(&s, &["Alex Organiser", "--coordinator"]);
    let reporter = link(&s, &["Sam Sample"]);
    let server = Server::start(&s, &[]);
    let tally = get_bearer(
        &server.url("/api/v1/tally?motion=venezuela-coup&by=kind,region"),
        &coordinator,
    );
    assert_eq!(tally.status, 200, "{}", tally.body);
    assert_eq!(tally.header("content-type"), Some("application/json"));
    assert_eq!(
        tally.body,
        s.stdout(&[
            "tally",
            "--motion",
            "venezuela-coup",
            "--by",
            "kind",
            "--by",
            "region",
            "--format",
            "json"
        ])
    );
    let status = get_bearer(
        &server.url("/api/v1/status?motion=venezuela-coup&as_of=2019-02-15"),
        &coordinator,
    );
    assert_eq!(status.status, 200);
    assert_eq!(
        status.body,
        s.stdout(&["status", "--as-of", "2019-02-15", "--format", "json"])
    );
    assert_eq!(get(&server.url("/api/v1/tally")).status, 401);
    assert_eq!(
        get_bearer(&server.url("/api/v1/tally"), &reporter).status,
        403
    );
    let bad = get_bearer(&server.url("/api/v1/tally?by=colour"), &coordinator);
    assert_eq!(bad.status, 422);
    assert_eq!(bad.json()["errors"][0]["field"], "by");
    let bad = get_bearer(&server.url("/api/v1/status?motion=nope"), &coordinator);
    assert_eq!(bad.status, 422);
    assert_eq!(bad.json()["errors"][0]["field"], "motion");
    // Without --public, nothing is served to everyone.
    assert_eq!(get(&server.url("/")).status, 404);
    assert_eq!(get(&server.url("/data/outcomes.csv")).status, 404);
}

#[test]
fn public_serves_the_report_and_the_outcomes_without_names_or_notes() {
    let s = Scratch::demo();
    s.log(&[
        "Walford CLP",
        "passed",
        "--date",
        "2019-03-20",
        "--by",
        "Pat Secretary",
        "--note",
        "Pat Secretary moved it",
        "--source",
        "https://example.org/minutes",
    ]);
    let server = Server::start(&s, &["--public"]);
    let page = get(&server.url("/"));
    assert_eq!(page.status, 200, "{}", page.body);
    assert_safe_headers(&page);
    assert!(page.body.contains("Oppose the attempted coup"));
    assert!(
        !page.body.contains("Pat Secretary"),
        "a reporter's name on the public page"
    );
    let csv = get(&server.url("/data/outcomes.csv"));
    assert_eq!(csv.status, 200);
    assert!(csv.header("content-type").unwrap().starts_with("text/csv"));
    assert!(!csv.body.contains("Pat Secretary"), "{}", csv.body);
    assert!(
        !csv.body.contains("secretary"),
        "names or notes in the public CSV"
    );
    assert!(
        csv.body.contains("https://example.org/minutes"),
        "sources stay"
    );
    let rows = csv_rows(&csv.body);
    let export = csv_rows(&s.stdout(&["export", "outcomes", "--no-names"]));
    assert_eq!(rows[0], export[0], "the same columns as export outcomes");
    assert_eq!(
        rows.len(),
        export.len(),
        "the same outcomes as export outcomes"
    );
    let tally = get(&server.url("/api/v1/tally"));
    assert_eq!(tally.status, 200, "with --public the figures need no token");
    assert_eq!(tally.body, s.stdout(&["tally", "--format", "json"]));
}

#[test]
fn a_link_is_held_to_its_rate_and_a_large_body_is_refused() {
    let s = Scratch::demo();
    let token = link(&s, &["Sam Sample"]);
    let other = link(&s, &["Kim Sample"]);
    let server = Server::start(&s, &[]);
    let url = server.url("/api/v1/reports");
    let report =
        json!({"organisation": "Ashby CLP", "status": "moved", "meeting_date": "2019-03-20"});
    let statuses: Vec<u16> = (0..12)
        .map(|_| post_json(&url, &token, &report).status)
        .collect();
    assert_eq!(
        &statuses[..10],
        &[201; 10],
        "a burst of 10 is taken: {statuses:?}"
    );
    assert_eq!(statuses[11], 429, "{statuses:?}");
    let refused = post_json(&url, &token, &report);
    assert_eq!(refused.status, 429);
    assert!(refused.header("retry-after").is_some());
    assert_eq!(
        post_json(&url, &other, &report).status,
        201,
        "another link has its own rate"
    );

    let huge = format!(
        "{{\"organisation\": \"Ashby CLP\", \"notes\": \"{}\"}}",
        "x".repeat(70 * 1024)
    );
    let answer = post_raw(&url, &other, &huge);
    assert_eq!(answer.status, 413, "{}", answer.body);
    assert_safe_headers(&answer);
}

#[test]
fn concurrent_reports_are_all_recorded_once() {
    let s = Scratch::demo();
    let tokens: Vec<String> = (0..4)
        .map(|i| link(&s, &[&format!("Reporter {i}"), "--trusted"]))
        .collect();
    let orgs: Vec<String> = csv_rows(&s.stdout(&["org", "list", "--format", "csv"]))[1..]
        .iter()
        .map(|r| r[0].clone())
        .collect();
    let server = Server::start(&s, &["--rate", "100000"]);
    let url = server.url("/api/v1/reports");
    let before = events(&s);
    // Every thread sends every report of its share, and the first thread's share is sent by
    // the second too: each distinct report must be counted once.
    let reports: Vec<Value> = orgs
        .iter()
        .take(20)
        .flat_map(|org| {
            ["2019-04-01", "2019-04-02"]
                .map(|date| json!({"organisation": org, "status": "moved", "meeting_date": date}))
        })
        .collect();
    let shares: Vec<Vec<Value>> = reports.chunks(10).map(<[Value]>::to_vec).collect();
    let threads: Vec<_> = (0..shares.len())
        .map(|i| {
            let mut share = shares[i].clone();
            if i == 1 {
                share.extend(shares[0].clone());
            }
            let (url, token) = (url.clone(), tokens[i % tokens.len()].clone());
            std::thread::spawn(move || {
                share
                    .iter()
                    .map(|report| {
                        let answer = post_json(&url, &token, report);
                        (answer.status, answer.json()["outcome_id"].as_i64())
                    })
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    let answers: Vec<(u16, Option<i64>)> = threads
        .into_iter()
        .flat_map(|t| t.join().unwrap())
        .collect();
    assert!(
        answers.iter().all(|(status, _)| *status == 201),
        "{answers:?}"
    );
    let distinct: HashSet<i64> = answers.iter().filter_map(|(_, id)| *id).collect();
    assert_eq!(distinct.len(), reports.len());
    assert_eq!(events(&s), before + reports.len());
    s.run(&["check"]).success();
}

#[test]
fn the_command_line_keeps_working_while_the_server_runs() {
    let s = Scratch::demo();
    let token = link(&s, &["Sam Sample", "--trusted"]);
    let server = Server::start(&s, &["--rate", "100000"]);
    let url = server.url("/api/v1/reports");
    let sender = std::thread::spawn(move || {
        (0..40)
            .map(|i| {
                let date = format!("2019-04-{:02}", i % 28 + 1);
                post_json(
                    &url,
                    &token,
                    &json!({"organisation": "Ashby CLP", "status": "moved", "meeting_date": date}),
                )
                .status
            })
            .collect::<Vec<_>>()
    });
    for day in 1..=5 {
        s.log(&[
            "Walford CLP",
            "moved",
            "--date",
            &format!("2019-05-{day:02}"),
        ]);
        s.run(&["report", "-o", "report.html"]).success();
    }
    let statuses = sender.join().unwrap();
    assert!(statuses.iter().all(|s| *s == 201), "{statuses:?}");
    let history = s.stdout(&[
        "history",
        "--org",
        "Walford CLP",
        "--since",
        "2019-05-01",
        "--format",
        "csv",
    ]);
    assert_eq!(csv_rows(&history).len(), 6);
    let (status, said) = server.stop();
    assert!(status.success(), "{said}");
}

/// Sends reports from 8 threads, stops the server with `signal` once 100 are answered, and
/// checks that every report answered 201 is in the database; the server's exit status.
fn stopped_under_load(signal: libc::c_int) -> std::process::ExitStatus {
    let s = Scratch::demo();
    let token = link(&s, &["Sam Sample"]);
    let trusted = link(&s, &["Alex Organiser", "--trusted"]);
    let orgs: Vec<String> = csv_rows(&s.stdout(&["org", "list", "--format", "csv"]))[1..]
        .iter()
        .map(|r| r[0].clone())
        .collect();
    let mut server = Server::start(&s, &["--rate", "1000000"]);
    let url = server.url("/api/v1/reports");
    let answered = Arc::new(Mutex::new(Vec::new()));
    let threads: Vec<_> = (0..8)
        .map(|t| {
            let (url, answered) = (url.clone(), Arc::clone(&answered));
            let token = if t % 2 == 0 {
                token.clone()
            } else {
                trusted.clone()
            };
            let orgs = orgs.clone();
            std::thread::spawn(move || {
                let agent = agent();
                for i in 0..400 {
                    let day = 1 + (i / orgs.len()) % 28;
                    let report = json!({
                        "organisation": orgs[(i + t * 5) % orgs.len()],
                        "status": "moved",
                        "meeting_date": format!("2019-06-{day:02}"),
                    });
                    let sent = agent
                        .post(&url)
                        .header("Authorization", &format!("Bearer {token}"))
                        .header("Content-Type", "application/json")
                        .send(report.to_string());
                    let Ok(response) = sent else { return };
                    let answer = answer(Ok(response));
                    if answer.status == 201 {
                        answered.lock().unwrap().push(answer.json());
                    }
                }
            })
        })
        .collect();
    // Kill it once some reports are answered, while the rest are on their way.
    for _ in 0..400 {
        if answered.lock().unwrap().len() >= 100 {
            break;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    // SAFETY: kill has no memory preconditions; the pid is our own child's, not yet reaped.
    unsafe {
        libc::kill(server.child.id() as libc::pid_t, signal);
    }
    let mut status = None;
    for _ in 0..400 {
        if let Some(exited) = server.child.try_wait().unwrap() {
            status = Some(exited);
            break;
        }
        std::thread::sleep(Duration::from_millis(25));
    }
    let status = status.expect("the server did not stop within 10 s");
    for thread in threads {
        thread.join().unwrap();
    }
    let answered = answered.lock().unwrap().clone();
    assert!(answered.len() >= 100, "only {} answered", answered.len());
    let kept: HashSet<String> = reviews(&s).iter().map(|r| r["id"].clone()).collect();
    let history = s.stdout(&["history", "--format", "csv"]);
    let events: HashSet<String> = csv_rows(&history)[1..]
        .iter()
        .map(|r| r[0].clone())
        .collect();
    for report in &answered {
        assert!(
            kept.contains(&report["id"].to_string()),
            "report {report} was answered 201 and lost"
        );
        if let Some(event) = report["outcome_id"].as_i64() {
            assert!(
                events.contains(&event.to_string()),
                "event {event} was answered 201 and lost"
            );
        }
    }
    s.run(&["check"]).success();
    status
}

#[test]
fn every_report_answered_before_a_sigkill_is_in_the_database() {
    let status = stopped_under_load(libc::SIGKILL);
    assert!(!status.success());
}

#[test]
fn sigterm_answers_the_requests_in_flight_and_stops_cleanly() {
    let status = stopped_under_load(libc::SIGTERM);
    assert!(status.success(), "{status:?}");
}

#[test]
fn forget_erases_a_reporters_name_and_what_their_reports_said() {
    let s = Scratch::demo();
    let token = link(&s, &["Pat Reporter"]);
    let server = Server::start(&s, &[]);
    let sent = post_json(
        &server.url("/api/v1/reports"),
        &token,
        &json!({"organisation": "Ashby CLP", "status": "moved", "meeting_date": "2019-03-20", "notes": "moved by Pat Reporter"}),
    );
    assert_eq!(sent.status, 201);
    drop(server);
    s.run(&["forget", "Pat Reporter", "--yes"]).success();
    let all = dump_all(&s.db);
    assert!(!all.to_lowercase().contains("pat reporter"), "{all}");
    assert_eq!(reviews(&s)[0]["reporter"], "[name removed]");
    assert_eq!(reviews(&s)[0]["notes"], "moved by [name removed]");
}

#[test]
fn a_link_limited_to_an_organisation_follows_it_through_a_merge_and_a_removal() {
    let s = Scratch::demo();
    s.run(&["org", "add", "Ashby Constituency LP", "--kind", "clp"])
        .success();
    s.run(&["org", "add", "Test Branch", "--kind", "other"])
        .success();
    let merged = link(&s, &["Sam Sample", "--org", "Ashby Constituency LP"]);
    let removed = link(&s, &["Kim Sample", "--org", "Test Branch"]);
    s.run(&["org", "merge", "Ashby Constituency LP", "Ashby CLP"])
        .success();
    s.run(&["org", "remove", "Test Branch"]).success();
    let list = s.stdout(&["reporter", "list", "--format", "csv"]);
    let rows = csv_rows(&list);
    assert_eq!(rows[1][2], "Ashby CLP", "{list}");
    assert_eq!(rows[2][2], "(none)", "{list}");
    let server = Server::start(&s, &[]);
    let url = server.url("/api/v1/reports");
    let report =
        json!({"organisation": "Ashby CLP", "status": "moved", "meeting_date": "2019-03-20"});
    assert_eq!(post_json(&url, &merged, &report).status, 201);
    assert_eq!(
        post_json(&url, &removed, &report).status,
        403,
        "a link whose organisations went reports for none"
    );
}

#[test]
fn reporter_add_refuses_what_it_cannot_keep() {
    let s = Scratch::demo();
    let said = s.fails(&["reporter", "add", "Sam Sample", "--org", "Ashbey CLP"]);
    assert!(said.contains("did you mean \"Ashby CLP\""), "{said}");
    let said = s.fails(&["reporter", "add", "Sam Sample", "--motion", "nope"]);
    assert!(said.contains("unknown motion"), "{said}");
    let said = s.fails(&["reporter", "add", "Sam Sample", "--expires", "2000-01-01"]);
    assert!(said.contains("in the past"), "{said}");
    let said = s.fails(&["reporter", "add", "Sam\tSample"]);
    assert!(said.contains("control character"), "{said}");
    let said = s.fails(&[
        "reporter",
        "add",
        "Sam Sample",
        "--base-url",
        "javascript:alert(1)",
    ]);
    assert!(said.contains("not a web address"), "{said}");
    let out = s.stdout(&[
        "reporter",
        "add",
        "Sam Sample",
        "--base-url",
        "https://motions.example.org/",
    ]);
    let last = out.lines().last().unwrap();
    let token = last.strip_prefix("https://motions.example.org/r/").unwrap();
    assert!(
        token.len() >= 22
            && token
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'),
        "{last}"
    );
    let said = s.fails(&["reporter", "add", "sam sample"]);
    assert!(said.contains("already has a working link"), "{said}");
    let said = s.fails(&["reporter", "link", "Sam Sample"]);
    assert!(said.contains("--new"), "{said}");
    // Only the token's hash is kept.
    assert!(!dump_all(&s.db).contains(token));
    let said = s.fails(&["reporter", "revoke", "Sam Sampel"]);
    assert!(said.contains("did you mean \"Sam Sample\""), "{said}");
}
