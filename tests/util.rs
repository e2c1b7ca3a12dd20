//! A scratch database and ways to run `motions` against it: every command on a fixed day, and a
//! campaign to start from written in one import per kind of record.

use std::path::{Path, PathBuf};
use std::process::Command as StdCommand;

use assert_cmd::Command;
use rusqlite::Connection;

/// The day every command runs on (through `MOTIONS_TODAY`), whatever the real date: "today",
/// "yesterday", the default meeting date and the future-date rule never depend on the clock.
pub const TODAY: &str = "2019-06-01";
/// The day before [`TODAY`].
pub const YESTERDAY: &str = "2019-05-31";
/// The day after [`TODAY`]: the first day that is in the future.
pub const TOMORROW: &str = "2019-06-02";

/// A temporary folder holding one database.
pub struct Scratch {
    pub dir: tempfile::TempDir,
    pub db: PathBuf,
}

impl Scratch {
    pub fn new() -> Scratch {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("motions.db");
        Scratch { dir, db }
    }

    /// A scratch database holding the demo campaign.
    pub fn demo() -> Scratch {
        let scratch = Scratch::new();
        scratch.run(&["demo"]).success();
        scratch
    }

    /// `motions --db <scratch> ARGS` in the scratch folder, on [`TODAY`], with no MOTIONS_DB
    /// from outside: to spawn, or to drive through a pseudo-terminal.
    pub fn command(&self, args: &[&str]) -> StdCommand {
        let mut cmd = motions_command();
        cmd.arg("--db")
            .arg(&self.db)
            .args(args)
            .current_dir(self.dir.path());
        cmd
    }

    /// [`Scratch::command`], to assert on.
    pub fn cmd(&self, args: &[&str]) -> Command {
        Command::from_std(self.command(args))
    }

    /// [`Scratch::command`] on a pseudo-terminal, as a person at a terminal would run it.
    pub fn pty(&self, args: &[&str]) -> rexpect::session::PtySession {
        let mut cmd = self.command(args);
        cmd.env("TERM", "xterm");
        rexpect::session::spawn_command(cmd, Some(10_000)).unwrap()
    }

    pub fn run(&self, args: &[&str]) -> assert_cmd::assert::Assert {
        self.cmd(args).assert()
    }

    /// Standard output of a command that must succeed.
    pub fn stdout(&self, args: &[&str]) -> String {
        let output = self.run(args).success().get_output().stdout.clone();
        String::from_utf8(output).unwrap()
    }

    /// Runs a command that must fail with exit 1 and returns its message, after checking that
    /// it printed nothing on stdout and left the database exactly as it was.
    pub fn fails(&self, args: &[&str]) -> String {
        let before = dump(&self.db);
        let assert = self.run(args).code(1).stdout("");
        assert_eq!(
            dump(&self.db),
            before,
            "motions {args:?} changed the database"
        );
        let stderr = String::from_utf8(assert.get_output().stderr.clone()).unwrap();
        assert!(stderr.starts_with("error: "), "{stderr}");
        stderr
    }

    /// Logs an outcome that must be recorded.
    pub fn log(&self, args: &[&str]) {
        let mut all = vec!["log"];
        all.extend_from_slice(args);
        self.run(&all).success();
    }
}

/// The `motions` binary on [`TODAY`], with the environment cleared of a user's own settings.
pub fn motions() -> Command {
    Command::from_std(motions_command())
}

fn motions_command() -> StdCommand {
    let mut cmd = StdCommand::new(assert_cmd::cargo::cargo_bin!("motions"));
    cmd.env_remove("MOTIONS_DB").env("MOTIONS_TODAY", TODAY);
    cmd
}

/// Every row of every table, as text, to tell whether a command changed anything.
pub fn dump(db: &Path) -> String {
    if !db.exists() {
        return String::from("(no database)");
    }
    let conn = Connection::open(db).unwrap();
    let is_database = conn.query_row("SELECT count(*) FROM sqlite_schema", [], |r| {
        r.get::<_, i64>(0)
    });
    if is_database.is_err() {
        return String::from_utf8_lossy(&std::fs::read(db).unwrap()).into_owned();
    }
    let mut text = String::new();
    for table in ["motion", "org", "org_name", "outcome", "standing"] {
        let exists: bool = conn
            .query_row(
                "SELECT count(*) FROM sqlite_schema WHERE name = ?1",
                [table],
                |r| r.get(0),
            )
            .unwrap();
        if !exists {
            continue;
        }
        let mut stmt = conn
            .prepare(&format!("SELECT * FROM {table} ORDER BY 1, 2"))
            .unwrap();
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

/// Parses CSV output into rows of fields, header first.
pub fn csv_rows(text: &str) -> Vec<Vec<String>> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.as_bytes());
    reader
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect()
}

/// A campaign for a test to start from: motions, organisations and outcomes, written by one
/// `motions import` per kind of record (at most three processes, however many records), so
/// a test spends its time on what it tests.
///
/// ```ignore
/// let s = Campaign::new()
///     .motion("venezuela-coup", "Oppose the attempted coup in Venezuela")
///     .org("Ashby CLP", "clp", Some("East Midlands"))
///     .org_with("Ashby Ward Branch", "branch", &[("parent", "Ashby CLP")])
///     .outcome("Ashby CLP", "passed", "2019-02-04")
///     .build();
/// ```
///
/// Records are written in the order given, so ids follow it (the first outcome is event 1).
/// Outcomes are for the first motion unless they name another (`("motion", SLUG)`).
#[derive(Default)]
pub struct Campaign {
    motions: Vec<Row>,
    orgs: Vec<Row>,
    outcomes: Vec<Row>,
}

/// One CSV row: its columns and values, in order.
type Row = Vec<(String, String)>;

fn row(fields: &[(&str, &str)], more: &[(&str, &str)]) -> Row {
    fields
        .iter()
        .chain(more)
        .map(|(column, value)| (column.to_string(), value.to_string()))
        .collect()
}

impl Campaign {
    pub fn new() -> Campaign {
        Campaign::default()
    }

    pub fn motion(self, slug: &str, title: &str) -> Campaign {
        self.motion_with(slug, title, &[])
    }

    /// A motion with more of the motions file's columns: `issued_by`, `issued_on`, `deadline`,
    /// `text`.
    pub fn motion_with(mut self, slug: &str, title: &str, more: &[(&str, &str)]) -> Campaign {
        self.motions
            .push(row(&[("slug", slug), ("title", title)], more));
        self
    }

    pub fn org(self, name: &str, kind: &str, region: Option<&str>) -> Campaign {
        let region = region.map(|region| ("region", region));
        self.org_with(name, kind, region.as_slice())
    }

    /// An organisation with more of the organisations file's columns: `region`, `union`,
    /// `parent` (a CLP anywhere in the campaign), `code`.
    pub fn org_with(mut self, name: &str, kind: &str, more: &[(&str, &str)]) -> Campaign {
        self.orgs.push(row(&[("name", name), ("kind", kind)], more));
        self
    }

    pub fn outcome(self, org: &str, status: &str, date: &str) -> Campaign {
        self.outcome_with(org, status, date, &[])
    }

    /// An outcome with more of the outcomes file's columns: `motion`, `votes_for`,
    /// `votes_against`, `votes_abstain`, `reported_by`, `source`, `notes`.
    pub fn outcome_with(
        mut self,
        org: &str,
        status: &str,
        date: &str,
        more: &[(&str, &str)],
    ) -> Campaign {
        let motion = match more.iter().find(|(column, _)| *column == "motion") {
            Some(_) => Vec::new(),
            None => {
                let first = self.motions.first().expect("an outcome needs a motion");
                vec![("motion", first[0].1.as_str())]
            }
        };
        let outcome = row(
            &[
                motion.as_slice(),
                &[
                    ("organisation", org),
                    ("status", status),
                    ("meeting_date", date),
                ],
            ]
            .concat(),
            more,
        );
        self.outcomes.push(outcome);
        self
    }

    /// Writes the campaign into a new scratch database, and checks every record is there.
    pub fn build(self) -> Scratch {
        let s = Scratch::new();
        if self.motions.is_empty() && self.orgs.is_empty() {
            s.run(&["init"]).success();
        }
        for (what, rows) in [
            ("motions", &self.motions),
            ("orgs", &self.orgs),
            ("outcomes", &self.outcomes),
        ] {
            if !rows.is_empty() {
                s.cmd(&["import", what, "-"])
                    .write_stdin(csv_text(rows))
                    .assert()
                    .success();
            }
        }
        let conn = Connection::open(&s.db).unwrap();
        for (table, rows) in [
            ("motion", &self.motions),
            ("org", &self.orgs),
            ("outcome", &self.outcomes),
        ] {
            let count: i64 = conn
                .query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
                .unwrap();
            assert_eq!(
                count as usize,
                rows.len(),
                "the campaign's {table} rows are all there"
            );
        }
        s
    }
}

/// Rows as a CSV file: a header with every column any row has, in the order first given.
fn csv_text(rows: &[Row]) -> Vec<u8> {
    let mut header: Vec<&str> = Vec::new();
    for (column, _) in rows.iter().flatten() {
        if !header.contains(&column.as_str()) {
            header.push(column);
        }
    }
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(&header).unwrap();
    for row in rows {
        let cells = header.iter().map(|column| {
            row.iter()
                .find(|(c, _)| c == column)
                .map_or("", |(_, value)| value.as_str())
        });
        writer.write_record(cells).unwrap();
    }
    writer.into_inner().unwrap()
}
