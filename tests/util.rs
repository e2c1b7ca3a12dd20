//! A scratch database and ways to run `motions` against it.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use rusqlite::Connection;

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

    /// `motions --db <scratch> ARGS`, with no MOTIONS_DB from outside.
    pub fn cmd(&self, args: &[&str]) -> Command {
        let mut cmd = motions();
        cmd.arg("--db")
            .arg(&self.db)
            .args(args)
            .current_dir(self.dir.path());
        cmd
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

/// The `motions` binary, with the environment cleared of a user's own settings.
pub fn motions() -> Command {
    let mut cmd = Command::new(assert_cmd::cargo::cargo_bin!("motions"));
    cmd.env_remove("MOTIONS_DB");
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
