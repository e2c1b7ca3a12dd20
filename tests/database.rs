//! Where the database lives, who can read it, and what is refused.

use std::fs;
use std::io::Read;
use std::process::Stdio;

use crate::util::{Scratch, motions};

#[test]
fn a_new_database_is_readable_by_its_owner_only() {
    let s = Scratch::new();
    let out = s.stdout(&["init"]);
    assert_eq!(out.trim(), s.db.display().to_string());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            fs::metadata(&s.db).unwrap().permissions().mode() & 0o777,
            0o600
        );
    }
    s.run(&["init"])
        .success()
        .stderr(predicates::str::contains("already there"));
}

#[test]
fn motions_db_in_the_environment_chooses_the_file() {
    let s = Scratch::new();
    let path = s.dir.path().join("from-env.db");
    motions()
        .env("MOTIONS_DB", &path)
        .arg("init")
        .assert()
        .success();
    assert!(path.exists());
}

#[test]
fn without_db_the_data_folder_is_used() {
    let s = Scratch::new();
    let data = s.dir.path().join("data");
    let out = motions()
        .env("XDG_DATA_HOME", &data)
        .env("HOME", s.dir.path())
        .arg("init")
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let expected = data.join("motions").join("motions.db");
    assert_eq!(
        String::from_utf8(out).unwrap().trim(),
        expected.display().to_string()
    );
    assert!(expected.exists());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = fs::metadata(expected.parent().unwrap())
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o700);
    }
}

#[test]
fn a_text_file_is_refused_and_left_unchanged() {
    let s = Scratch::new();
    fs::write(&s.db, "organisation,status\nAshby CLP,passed\n").unwrap();
    let err = s.fails(&["tally"]);
    assert!(
        err.contains(
            "is not a motions database (it is not an SQLite file); pass another path with --db"
        ),
        "{err}"
    );
    assert_eq!(
        fs::read_to_string(&s.db).unwrap(),
        "organisation,status\nAshby CLP,passed\n"
    );
}

#[test]
fn another_programs_sqlite_file_is_refused_and_left_unchanged() {
    let s = Scratch::new();
    let conn = rusqlite::Connection::open(&s.db).unwrap();
    conn.execute_batch("CREATE TABLE contacts(name TEXT); INSERT INTO contacts VALUES ('x');")
        .unwrap();
    drop(conn);
    let before = fs::read(&s.db).unwrap();
    let err = s.fails(&["org", "add", "Ashby CLP", "--kind", "clp"]);
    assert!(
        err.contains("is an SQLite database of another program, not a motions database"),
        "{err}"
    );
    assert_eq!(fs::read(&s.db).unwrap(), before);
}

#[test]
fn a_database_from_a_newer_motions_is_refused() {
    let s = Scratch::new();
    s.run(&["init"]).success();
    let conn = rusqlite::Connection::open(&s.db).unwrap();
    conn.pragma_update(None, "user_version", 99).unwrap();
    drop(conn);
    let err = s.fails(&["tally"]);
    assert!(
        err.contains("was written by a newer version of motions (schema version 99"),
        "{err}"
    );
}

#[test]
fn a_closed_pipe_ends_quietly() {
    let s = Scratch::demo();
    // Enough output to fill the pipe: a few thousand events.
    let conn = rusqlite::Connection::open(&s.db).unwrap();
    conn.execute_batch(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 5000)
         INSERT INTO outcome (motion_id, org_id, status, meeting_date)
         SELECT 1, 1 + i % 40, 'moved', '2019-01-01' FROM n;",
    )
    .unwrap();
    drop(conn);
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin!("motions"))
        .arg("--db")
        .arg(&s.db)
        .args(["history", "--format", "csv"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = [0u8; 100];
    child
        .stdout
        .as_mut()
        .unwrap()
        .read_exact(&mut first)
        .unwrap();
    drop(child.stdout.take());
    let output = child.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(String::from_utf8_lossy(&output.stderr), "");
}
