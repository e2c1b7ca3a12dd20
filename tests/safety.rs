//! Nothing destroyed: outputs never land on the database, devices and FIFOs are written into
//! rather than replaced, backups are checked and never made onto the live file, reads never
//! write, loose file modes are tightened, `check` reads damaged files, and a full disk is said
//! in plain words.

use std::fs;
use std::os::unix::fs::{FileTypeExt, PermissionsExt};
use std::path::Path;
use std::process::Command as Process;

use crate::util::{Scratch, dump, motions};

fn stderr_of(assert: assert_cmd::assert::Assert) -> String {
    String::from_utf8(assert.get_output().stderr.clone()).unwrap()
}

/// Makes a device node inside the test's own folder (never /dev itself).
fn mknod(path: &Path, major: u32, minor: u32) {
    let status = Process::new("mknod")
        .arg(path)
        .arg("c")
        .arg(major.to_string())
        .arg(minor.to_string())
        .status()
        .unwrap();
    assert!(status.success(), "mknod {} failed", path.display());
}

#[test]
fn an_output_aimed_at_the_database_is_refused_however_it_is_named() {
    let s = Scratch::demo();
    let folder = s.dir.path();
    fs::create_dir(folder.join("sub")).unwrap();
    std::os::unix::fs::symlink(&s.db, folder.join("link.csv")).unwrap();
    fs::hard_link(&s.db, folder.join("hard.csv")).unwrap();
    let aims = [
        "motions.db",
        "./sub/../motions.db",
        "link.csv",
        "hard.csv",
        "motions.db-wal",
        "motions.db-shm",
        "motions.db-journal",
    ];
    for aim in aims {
        for command in [
            &["export", "outcomes", "-o", aim][..],
            &["history", "-o", aim],
            &["report", "-o", aim],
            &["map", "-o", aim],
            &["summary", "-o", aim],
        ] {
            let before = dump(&s.db);
            let err = stderr_of(s.run(command).code(1));
            assert_eq!(dump(&s.db), before, "{command:?} changed the database");
            assert!(err.contains("refusing to write"), "{command:?}: {err}");
            assert!(err.contains("would destroy your records"), "{err}");
        }
        let err = s.fails(&["backup", aim, "--force"]);
        assert!(err.contains("refusing to write"), "backup {aim}: {err}");
    }
    assert!(
        fs::symlink_metadata(folder.join("link.csv"))
            .unwrap()
            .file_type()
            .is_symlink()
    );
    s.run(&["check"]).success();
    assert_eq!(s.stdout(&["tally", "--format", "csv"]).lines().count(), 2);
}

#[test]
fn a_device_or_a_fifo_is_written_into_not_replaced() {
    let s = Scratch::demo();
    let null = s.dir.path().join("null");
    mknod(&null, 1, 3);
    s.run(&["export", "outcomes", "-o", null.to_str().unwrap()])
        .success();
    s.run(&["history", "-o", null.to_str().unwrap()]).success();
    assert!(fs::metadata(&null).unwrap().file_type().is_char_device());

    let fifo = s.dir.path().join("pipe");
    assert!(
        Process::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || fs::read_to_string(fifo).unwrap())
    };
    s.run(&["tally", "--format", "csv", "-o", fifo.to_str().unwrap()])
        .success();
    let read = reader.join().unwrap();
    assert!(read.starts_with("registered,passed"), "{read}");
    assert!(fs::metadata(&fifo).unwrap().file_type().is_fifo());

    let out = s.stdout(&["tally", "--format", "csv", "-o", "/dev/stdout"]);
    assert!(out.starts_with("registered,passed"), "{out}");
}

#[test]
fn an_output_through_a_symlink_replaces_the_file_it_points_at() {
    let s = Scratch::demo();
    let real = s.dir.path().join("real.csv");
    fs::write(&real, "old\n").unwrap();
    let link = s.dir.path().join("tally.csv");
    std::os::unix::fs::symlink(&real, &link).unwrap();
    s.run(&["tally", "-o", "tally.csv"]).success();
    assert!(
        fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert!(
        fs::read_to_string(&real)
            .unwrap()
            .starts_with("registered,")
    );
    let leftovers: Vec<_> = fs::read_dir(s.dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".motions-partial"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn a_full_disk_is_said_in_plain_words_and_leaves_nothing() {
    let s = Scratch::demo();
    let full = s.dir.path().join("full");
    mknod(&full, 1, 7);
    let err = s.fails(&["export", "outcomes", "-o", full.to_str().unwrap()]);
    assert!(err.contains("the disk is full"), "{err}");
    assert!(err.contains("nothing was written"), "{err}");
}

#[test]
fn a_backup_is_checked_and_never_written_over_stale_companions() {
    let s = Scratch::demo();
    let target = s.dir.path().join("copy.db");
    let stale = s.dir.path().join("copy.db-wal");
    fs::write(&stale, b"left by an earlier database").unwrap();
    let err = s.fails(&["backup", "copy.db"]);
    assert!(err.contains("copy.db-wal"), "{err}");
    assert!(err.contains("--force"), "{err}");
    assert!(!target.exists());

    let said = stderr_of(s.run(&["backup", "copy.db", "--force"]).success());
    assert!(said.contains("Copied the database"), "{said}");
    assert!(!stale.exists(), "--force removes the stale -wal");
    assert_eq!(
        fs::metadata(&target).unwrap().permissions().mode() & 0o777,
        0o600
    );
    motions()
        .arg("--db")
        .arg(&target)
        .arg("check")
        .assert()
        .success();
    assert_eq!(dump(&target), dump(&s.db));
}

#[test]
fn read_commands_on_a_missing_database_create_nothing() {
    let s = Scratch::new();
    let reads: &[&[&str]] = &[
        &["status"],
        &["tally"],
        &["history"],
        &["summary"],
        &["timeline"],
        &["report", "-o", "r.html"],
        &["map", "-o", "m.svg"],
        &["export", "outcomes"],
        &["info"],
        &["check"],
        &["backup", "copy.db"],
        &["org", "list"],
        &["motion", "list"],
    ];
    for read in reads {
        let err = stderr_of(s.run(read).code(1));
        assert!(err.contains("there is no database at"), "{read:?}: {err}");
        assert!(err.contains("motions init"), "{err}");
        assert!(
            fs::read_dir(s.dir.path()).unwrap().next().is_none(),
            "{read:?} left a file behind"
        );
    }
}

#[test]
fn reads_work_on_a_read_only_database_and_writes_say_it_is_read_only() {
    let s = Scratch::demo();
    let expected = s.stdout(&["tally", "--format", "csv"]);
    let folder = s.dir.path().join("shelf");
    fs::create_dir(&folder).unwrap();
    let db = folder.join("campaign.db");
    s.run(&["backup", db.to_str().unwrap()]).success();
    let root = unsafe { libc::geteuid() } == 0;
    if root {
        // Root may write anywhere, so the tool runs as nobody on files nobody owns read-only.
        Process::new("chown")
            .args(["-R", "65534:65534"])
            .arg(&folder)
            .status()
            .unwrap();
        fs::set_permissions(s.dir.path(), fs::Permissions::from_mode(0o755)).unwrap();
    }
    fs::set_permissions(&db, fs::Permissions::from_mode(0o400)).unwrap();
    fs::set_permissions(&folder, fs::Permissions::from_mode(0o500)).unwrap();
    let run = |args: &[&str]| {
        let mut cmd = if root {
            let mut cmd = assert_cmd::Command::new("setpriv");
            cmd.args(["--reuid=65534", "--regid=65534", "--clear-groups"])
                .arg(assert_cmd::cargo::cargo_bin!("motions"));
            cmd
        } else {
            motions()
        };
        cmd.env_remove("MOTIONS_DB")
            .arg("--db")
            .arg(&db)
            .args(args)
            .assert()
    };
    let out = run(&["tally", "--format", "csv"]).success();
    assert_eq!(
        String::from_utf8(out.get_output().stdout.clone()).unwrap(),
        expected
    );
    for read in [
        &["status"][..],
        &["history"],
        &["info"],
        &["check"],
        &["org", "list"],
    ] {
        run(read).success();
    }
    let err = stderr_of(run(&["log", "Ashby CLP", "moved", "--date", "2019-03-01"]).code(1));
    assert!(err.contains("read-only"), "{err}");
    let names: Vec<_> = fs::read_dir(&folder)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, ["campaign.db"], "nothing written beside it");
    fs::set_permissions(&folder, fs::Permissions::from_mode(0o700)).unwrap();
}

#[test]
fn a_database_readable_by_others_is_made_private_once() {
    let s = Scratch::demo();
    fs::set_permissions(&s.db, fs::Permissions::from_mode(0o644)).unwrap();
    let said = stderr_of(s.run(&["tally"]).success());
    assert!(said.contains("was readable by other users"), "{said}");
    assert_eq!(
        fs::metadata(&s.db).unwrap().permissions().mode() & 0o777,
        0o600
    );
    let again = stderr_of(s.run(&["tally"]).success());
    assert!(!again.contains("readable by other users"), "{again}");
}

#[test]
fn check_reads_a_damaged_or_truncated_file_and_says_what_is_wrong() {
    let s = Scratch::demo();
    let copy = s.dir.path().join("copy.db");
    s.run(&["backup", "copy.db"]).success();
    let check = |path: &Path| {
        let assert = motions()
            .arg("--db")
            .arg(path)
            .arg("check")
            .assert()
            .code(1);
        let out = assert.get_output();
        String::from_utf8(out.stdout.clone()).unwrap() + &String::from_utf8_lossy(&out.stderr)
    };

    let conn = rusqlite::Connection::open(&copy).unwrap();
    conn.execute_batch("DROP INDEX outcome_by_pair; CREATE TABLE scratch_notes (x TEXT);")
        .unwrap();
    drop(conn);
    let said = check(&copy);
    assert!(
        said.contains("the index outcome_by_pair is missing"),
        "{said}"
    );
    assert!(said.contains("extra table scratch_notes"), "{said}");

    let bytes = fs::read(&s.db).unwrap();
    let truncated = s.dir.path().join("truncated.db");
    fs::write(&truncated, &bytes[..bytes.len() / 2]).unwrap();
    let said = check(&truncated);
    assert!(said.contains("the file is truncated"), "{said}");

    let scribbled = s.dir.path().join("scribbled.db");
    let mut damaged = bytes.clone();
    damaged[..16].copy_from_slice(b"not a database!!");
    fs::write(&scribbled, &damaged).unwrap();
    let said = check(&scribbled);
    assert!(
        said.contains("does not begin with SQLite's header"),
        "{said}"
    );
}

#[test]
fn of_writers_registering_one_new_organisation_at_once_only_one_says_registered() {
    let s = Scratch::demo();
    let children: Vec<_> = (0..8)
        .map(|_| {
            Process::new(assert_cmd::cargo::cargo_bin!("motions"))
                .env_remove("MOTIONS_DB")
                .arg("--db")
                .arg(&s.db)
                .args([
                    "log",
                    "Zeta Sample Ward Branch",
                    "passed",
                    "--date",
                    "2019-02-20",
                    "--kind",
                    "branch",
                ])
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let mut registered = 0;
    for child in children {
        let out = child.wait_with_output().unwrap();
        assert!(out.status.success());
        let said = String::from_utf8(out.stderr).unwrap();
        if said.contains("Registered Zeta Sample Ward Branch") {
            registered += 1;
        }
    }
    assert_eq!(registered, 1, "exactly one writer registered it");
    let orgs = s.stdout(&["org", "list", "--format", "csv"]);
    assert_eq!(orgs.matches("Zeta Sample Ward Branch").count(), 1);
}

#[test]
fn a_read_leaves_an_older_database_as_it_is_and_the_next_write_brings_it_up_to_date() {
    let s = Scratch::new();
    let conn = rusqlite::Connection::open(&s.db).unwrap();
    conn.execute_batch(include_str!("../migrations/1-initial.sql"))
        .unwrap();
    conn.execute_batch(
        "PRAGMA user_version = 1; PRAGMA application_id = 1297044558;
         INSERT INTO motion (slug, title) VALUES ('venezuela-coup', 'Oppose the coup');
         INSERT INTO org (name, kind) VALUES ('Ashby CLP', 'clp');
         INSERT INTO org_name VALUES ('ashby clp', 1, 'Ashby CLP');
         INSERT INTO outcome (motion_id, org_id, status, meeting_date)
             VALUES (1, 1, 'passed', '2019-02-04');
         INSERT INTO standing VALUES (1, 1, 1, 'passed', '2019-02-04');",
    )
    .unwrap();
    drop(conn);
    let version = || -> i64 {
        rusqlite::Connection::open(&s.db)
            .unwrap()
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap()
    };
    let tally = s.stdout(&["tally", "--format", "csv"]);
    assert!(tally.contains("\n1,1,0,0,0,0,0\n"), "{tally}");
    s.stdout(&["history"]);
    assert_eq!(version(), 1, "a read does not migrate");
    s.log(&["Ashby CLP", "moved", "--date", "2019-03-01"]);
    assert!(version() > 1, "a write migrates");
}

#[test]
fn a_backup_is_never_written_over_a_device_a_fifo_or_a_link_to_one() {
    let s = Scratch::demo();
    let null = s.dir.path().join("null");
    mknod(&null, 1, 3);
    let fifo = s.dir.path().join("pipe");
    assert!(
        Process::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    let out = s.dir.path().join("out");
    std::os::unix::fs::symlink("/proc/self/fd/1", &out).unwrap();
    for target in [&null, &fifo, &out] {
        for force in [false, true] {
            let mut args = vec!["backup", target.to_str().unwrap()];
            if force {
                args.push("--force");
            }
            let err = s.fails(&args);
            assert!(err.contains("is not a regular file"), "{args:?}: {err}");
        }
    }
    assert!(fs::metadata(&null).unwrap().file_type().is_char_device());
    assert!(fs::metadata(&fifo).unwrap().file_type().is_fifo());
    assert!(fs::symlink_metadata(&out).unwrap().file_type().is_symlink());
    let err = s.fails(&["backup", s.dir.path().to_str().unwrap(), "--force"]);
    assert!(err.contains("is a folder"), "{err}");
}

#[test]
fn an_output_through_a_link_to_a_file_not_made_yet_makes_that_file() {
    let s = Scratch::demo();
    fs::create_dir(s.dir.path().join("www")).unwrap();
    let link = s.dir.path().join("r.csv");
    std::os::unix::fs::symlink("www/tally.csv", &link).unwrap();
    s.run(&["tally", "-o", "r.csv"]).success();
    assert!(
        fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    let made = fs::read_to_string(s.dir.path().join("www/tally.csv")).unwrap();
    assert!(made.starts_with("registered,"), "{made}");
}

#[test]
fn check_on_a_folder_says_so() {
    let s = Scratch::new();
    let err = String::from_utf8(
        motions()
            .arg("--db")
            .arg(s.dir.path())
            .arg("check")
            .assert()
            .code(1)
            .get_output()
            .stderr
            .clone(),
    )
    .unwrap();
    assert!(err.contains("is a folder"), "{err}");
}

#[test]
fn a_clp_with_branches_stays_a_clp() {
    let s = Scratch::demo();
    let parent = s.stdout(&["org", "list", "--format", "csv"]);
    let clp = parent
        .lines()
        .skip(1)
        .filter_map(|l| l.split(',').nth(4))
        .find(|p| !p.is_empty())
        .expect("the demo has a branch with a parent")
        .to_string();
    let err = s.fails(&["org", "edit", &clp, "--kind", "other"]);
    assert!(err.contains("so it stays a CLP"), "{err}");
    s.run(&["check"]).success();
}
