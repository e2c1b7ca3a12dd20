//! What goes into motions from outside: CSV files with any line ends, pipes and FIFOs that are
//! slow to deliver, and files far too big to be what they claim. Errors name the line an editor
//! shows, a slow input never holds the database's write lock, and oversized input is refused
//! before it fills the memory, with a message that quotes little of it.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use crate::util::Scratch;

/// The longest any of these tests waits for a signal from another thread or process.
const PATIENCE: Duration = Duration::from_secs(120);

/// A database with one motion and two CLPs.
fn campaign() -> Scratch {
    let s = Scratch::new();
    s.run(&[
        "motion",
        "add",
        "venezuela-coup",
        "--title",
        "Oppose the attempted coup in Venezuela",
    ])
    .success();
    for name in ["Ashby CLP", "Walford CLP"] {
        s.run(&["org", "add", name, "--kind", "clp"]).success();
    }
    s
}

fn write(s: &Scratch, name: &str, bytes: impl AsRef<[u8]>) {
    fs::write(s.dir.path().join(name), bytes).unwrap();
}

/// A FIFO made inside the scratch folder.
fn fifo(s: &Scratch, name: &str) -> PathBuf {
    let path = s.dir.path().join(name);
    let status = Command::new("mkfifo").arg(&path).status().unwrap();
    assert!(status.success(), "mkfifo failed");
    path
}

/// Rows of a file with blank lines and quoted cells that hold line breaks; `|` stands for the
/// line end. Three rows are wrong, on lines 7, 10 and 13 as an editor numbers them.
const WITH_PROBLEMS: &str = "organisation,status,meeting_date,notes|\
    Ashby CLP,moved,2019-01-28,|\
    |\
    Walford CLP,moved,2019-01-29,\"minutes say:|\
    moved by the secretary|\
    \"|\
    Ashby CLP,won,2019-02-04,|\
    |\
    |\
    Walford CLP,passed,2019-02-30,\"two|\
    lines\"|\
    Ashby CLP,passed,2019-02-05,\"a \"\"quoted\"\" word\"|\
    Walford CLP,passed,2999-01-01,|";

#[test]
fn errors_name_the_line_an_editor_shows_whatever_the_line_ends() {
    let s = campaign();
    for (what, end) in [("lf", "\n"), ("crlf", "\r\n"), ("cr", "\r")] {
        for bom in ["", "\u{feff}"] {
            let name = format!("{what}{}.csv", bom.len());
            write(
                &s,
                &name,
                format!("{bom}{}", WITH_PROBLEMS.replace('|', end)),
            );
            let err = s.fails(&["import", "outcomes", &name]);
            for expected in [
                format!("{name} has 3 problems, so nothing was imported"),
                format!("{name}:7: status: unknown status \"won\""),
                format!("{name}:10: meeting_date: \"2019-02-30\" is not a date"),
                format!("{name}:13: meeting_date: the meeting date 2999-01-01 is in the future"),
            ] {
                assert!(
                    err.contains(&expected),
                    "{what}: missing {expected:?} in:\n{err}"
                );
            }
        }
    }
}

#[test]
fn problems_in_the_cells_of_a_crlf_file_are_on_their_lines_too() {
    let s = campaign();
    // A cell in a column with no header, and a row with too many cells, after blank lines.
    write(
        &s,
        "form.csv",
        "organisation,status,meeting_date,\r\n\r\nAshby CLP,moved,2019-01-28,stray\r\n\r\n\
         \"Walford\r\nCLP\",moved,2019-01-29,,extra\r\n",
    );
    let err = s.fails(&["import", "outcomes", "form.csv"]);
    assert!(
        err.contains("form.csv:3: (no header): \"stray\" is in a column with no header"),
        "{err}"
    );
    assert!(
        err.contains("form.csv:5: (row): this row has 5 cells"),
        "{err}"
    );
    // A quote never closed is named on the line where it opens.
    write(
        &s,
        "open.csv",
        "organisation,status,meeting_date,notes\r\n\r\nAshby CLP,moved,2019-01-28,\"no end\r\n\
         Walford CLP,moved,2019-01-29,\r\n",
    );
    let err = s.fails(&["import", "outcomes", "open.csv"]);
    assert!(
        err.contains("open.csv:3: (row): a quoted cell that starts on this line is never closed"),
        "{err}"
    );
}

#[test]
fn a_file_with_lone_carriage_returns_is_read_row_by_row() {
    let s = campaign();
    write(
        &s,
        "mac.csv",
        "organisation,status,meeting_date,notes\rAshby CLP,moved,2019-01-28,\"two\rlines\"\r\r\
         Walford CLP,moved,2019-01-29,\rAshby CLP,passed,2019-02-04,\r",
    );
    s.run(&["import", "outcomes", "mac.csv"])
        .success()
        .stderr(predicates::str::contains("added 3 outcomes"));
    let history: serde_json::Value =
        serde_json::from_str(&s.stdout(&["history", "--format", "json"])).unwrap();
    let notes: Vec<&str> = history
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|event| event["notes"].as_str())
        .collect();
    assert_eq!(notes, ["two\nlines"]);
}

/// Outcome rows for Ashby CLP, one a day from 2001, each with a long note: `count` of them,
/// starting at `from`.
fn long_rows(from: usize, count: usize) -> String {
    let note = "The branch discussed the motion at length. ".repeat(100);
    (from..from + count)
        .map(|i| {
            let (year, month, day) = (2001 + i / 336, 1 + (i / 28) % 12, 1 + i % 28);
            format!("Ashby CLP,moved,{year}-{month:02}-{day:02},{note}\n")
        })
        .collect()
}

fn outcomes(s: &Scratch) -> i64 {
    let conn = rusqlite::Connection::open(&s.db).unwrap();
    conn.query_row("SELECT count(*) FROM outcome", [], |r| r.get(0))
        .unwrap()
}

#[test]
fn a_slow_fifo_import_does_not_hold_the_lock_while_it_waits() {
    let s = campaign();
    let path = fifo(&s, "responses.fifo");
    // More than a pipe holds, so that when the first half is written the import has read
    // most of it: it is well into the rows, and waits for the rest.
    let first = format!(
        "organisation,status,meeting_date,notes\n{}",
        long_rows(0, 300)
    );
    let rest = long_rows(300, 300);
    assert!(first.len() > 1 << 20);

    let import = Command::new(assert_cmd::cargo::cargo_bin!("motions"))
        .arg("--db")
        .arg(&s.db)
        .args(["import", "outcomes"])
        .arg(&path)
        .env_remove("MOTIONS_DB")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let (half_written, half) = mpsc::channel();
    let (go_on, go) = mpsc::channel::<()>();
    let (all_written, all) = mpsc::channel();
    thread::spawn(move || {
        let mut fifo = fs::OpenOptions::new().write(true).open(&path).unwrap();
        fifo.write_all(first.as_bytes()).unwrap();
        half_written.send(()).unwrap();
        // The rest only once the colleague's log is through (or has given up).
        go.recv_timeout(PATIENCE).expect("no word from the log");
        fifo.write_all(rest.as_bytes()).unwrap();
        all_written.send(()).unwrap();
    });
    half.recv_timeout(PATIENCE)
        .expect("the import did not read the first half");

    // A colleague logs an outcome while the import waits for the rest of its input.
    let log = s
        .cmd(&["log", "Walford CLP", "passed", "--date", "2019-02-13"])
        .output()
        .unwrap();
    go_on.send(()).unwrap();
    all.recv_timeout(PATIENCE)
        .expect("the import did not read the rest");

    let (done, finished) = mpsc::channel();
    thread::spawn(move || done.send(import.wait_with_output().unwrap()));
    let import = finished
        .recv_timeout(PATIENCE)
        .expect("the import did not finish");

    assert!(
        log.status.success(),
        "the log waited for the import's input: {}",
        String::from_utf8_lossy(&log.stderr)
    );
    assert!(
        import.status.success(),
        "{}",
        String::from_utf8_lossy(&import.stderr)
    );
    assert!(String::from_utf8_lossy(&import.stderr).contains("added 600 outcomes"));
    assert_eq!(outcomes(&s), 601);
}

#[test]
fn standard_input_is_imported_all_or_nothing_and_its_copy_is_private() {
    let s = campaign();
    let temp = s.dir.path().join("tmp");
    fs::create_dir(&temp).unwrap();
    let good = format!(
        "organisation,status,meeting_date,notes\n{}",
        long_rows(0, 50)
    );
    s.cmd(&["import", "outcomes", "-"])
        .env("TMPDIR", &temp)
        .write_stdin(good.clone())
        .assert()
        .success();
    assert_eq!(outcomes(&s), 50);
    // A bad row at the very end: nothing from the rows before it.
    let bad = format!(
        "organisation,status,meeting_date,notes\n{}Ashby CLP,won,2019-01-01,\n",
        long_rows(50, 50)
    );
    let assert = s
        .cmd(&["import", "outcomes", "-"])
        .env("TMPDIR", &temp)
        .write_stdin(bad)
        .assert()
        .code(1);
    let err = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    assert!(
        err.contains("<stdin>:52: status: unknown status \"won\""),
        "{err}"
    );
    assert_eq!(outcomes(&s), 50);
    // Nothing is left behind in the temporary folder.
    assert_eq!(fs::read_dir(&temp).unwrap().count(), 0);
}

/// Checks that a message is short and quotes little of a bad value made of `filler`.
fn short(err: &str, filler: char) {
    assert!(err.len() < 600, "{} bytes of message:\n{err}", err.len());
    let run = filler.to_string().repeat(81);
    assert!(
        !err.contains(&run),
        "more than 80 characters quoted:\n{err}"
    );
}

#[test]
fn a_header_line_of_megabytes_is_refused_with_a_short_message() {
    let s = campaign();
    let huge = format!("{}\nAshby CLP,moved,2019-01-28\n", "x".repeat(2_000_000));
    write(&s, "huge.csv", &huge);
    let err = s.fails(&["import", "outcomes", "huge.csv"]);
    assert!(
        err.contains(
            "huge.csv: the header cell on line 1 is 2000000 bytes long; a column name is at most \
             1 KB — is this a CSV file?"
        ),
        "{err}"
    );
    short(&err, 'x');
    // A line of commas: millions of empty column names.
    write(&s, "commas.csv", format!("{}\n", ",".repeat(2_000_000)));
    let err = s.fails(&["import", "outcomes", "commas.csv"]);
    assert!(
        err.contains("commas.csv: the header on line 1 has more than 10000 columns"),
        "{err}"
    );
    short(&err, ',');
    // The same from standard input, and from a header cell after a few good ones.
    let assert = s
        .cmd(&["import", "orgs", "-"])
        .write_stdin(format!("name,kind,\"{}\"\n", "y".repeat(1025)))
        .assert()
        .code(1)
        .stdout("");
    let err = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    assert!(
        err.contains("<stdin>: the header cell on line 1 is 1025 bytes long"),
        "{err}"
    );
    short(&err, 'y');
}

#[test]
fn a_cell_over_64_kb_is_refused_by_its_line_and_column() {
    let s = campaign();
    let file = format!(
        "organisation,status,meeting_date,notes\r\n\r\nAshby CLP,moved,2019-01-28,fine\r\n\
         Walford CLP,moved,2019-01-29,\"{}\"\r\nAshby CLP,passed,2019-02-04,\r\n",
        "n".repeat(70_000)
    );
    write(&s, "long.csv", &file);
    let err = s.fails(&["import", "outcomes", "long.csv"]);
    assert!(
        err.contains(
            "long.csv:4: notes: this cell is 70000 bytes long; a cell holds at most 64 KB"
        ),
        "{err}"
    );
    short(&err, 'n');
    // A quote never closed in a long file runs into the limit: the message points at it.
    let file = format!(
        "organisation,status,meeting_date,notes\nAshby CLP,moved,2019-01-28,\"oops\n{}",
        "Walford CLP,moved,2019-01-29,\n".repeat(3000)
    );
    write(&s, "open.csv", &file);
    let err = s.fails(&["import", "outcomes", "open.csv"]);
    assert!(err.contains("open.csv:2: notes: this cell is"), "{err}");
    assert!(err.contains("is its closing \" missing?"), "{err}");
    short(&err, 'W');
}

#[test]
fn a_long_bad_value_is_quoted_in_at_most_80_characters() {
    let s = campaign();
    let file = format!(
        "organisation,status,meeting_date,votes_for\n{},won{},{},{}\n",
        "Q".repeat(5000),
        "w".repeat(5000),
        "1".repeat(5000),
        "v".repeat(5000)
    );
    write(&s, "values.csv", &file);
    let err = s.fails(&["import", "outcomes", "values.csv"]);
    assert!(err.contains("values.csv has 4 problems"), "{err}");
    for filler in ['Q', 'w', '1', 'v'] {
        short_quote(&err, filler);
    }
    let motions = format!("slug,title\n{},A title\n", "s".repeat(3000));
    write(&s, "motions.csv", &motions);
    let err = s.fails(&["import", "motions", "motions.csv"]);
    short_quote(&err, 's');
}

/// Checks that no more than 80 characters of a value made of `filler` are quoted.
fn short_quote(err: &str, filler: char) {
    let run = filler.to_string().repeat(81);
    assert!(
        !err.contains(&run),
        "more than 80 characters quoted:\n{err}"
    );
    assert!(err.contains(&format!("{filler}…")), "{err}");
}

/// Runs `motion add` with `--text-file` a FIFO fed `total` bytes of wording by a thread;
/// the message, and how much the thread wrote before the reader stopped.
fn add_motion_from_fifo(s: &Scratch, path: &Path, total: usize) -> (String, usize) {
    let feed = path.to_path_buf();
    let (done, written) = mpsc::channel();
    thread::spawn(move || {
        let mut fifo = fs::OpenOptions::new().write(true).open(&feed).unwrap();
        let chunk = "The branch notes the attempted coup. ".repeat(1000);
        let mut written = 0;
        while written < total {
            match fifo.write(chunk.as_bytes()) {
                Ok(n) => written += n,
                Err(_) => break,
            }
        }
        done.send(written).unwrap();
    });
    let assert = s
        .cmd(&[
            "motion",
            "add",
            "endless",
            "--title",
            "Endless",
            "--text-file",
        ])
        .arg(path)
        .assert()
        .code(1)
        .stdout("");
    let err = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    let written = written
        .recv_timeout(PATIENCE)
        .expect("the command did not read the FIFO");
    (err, written)
}

#[test]
fn a_text_file_that_never_ends_is_refused_at_one_megabyte() {
    let s = campaign();
    let before = crate::util::dump(&s.db);
    let path = fifo(&s, "wording.fifo");
    let (err, written) = add_motion_from_fifo(&s, &path, 256 << 20);
    assert!(
        err.contains("is more than 1 MB long; the wording of a motion is at most 1 MB"),
        "{err}"
    );
    assert!(
        written < 16 << 20,
        "the reader took {written} bytes before stopping"
    );
    assert_eq!(crate::util::dump(&s.db), before);
    short(&err, 'T');
}

#[test]
fn a_text_file_that_is_not_utf8_is_refused() {
    let s = campaign();
    write(
        &s,
        "latin1.txt",
        b"That this branch notes the caf\xe9 meeting.",
    );
    let err = s.fails(&[
        "motion",
        "add",
        "latin",
        "--title",
        "Latin-1",
        "--text-file",
        "latin1.txt",
    ]);
    assert!(
        err.contains("latin1.txt is not UTF-8 text (at byte 31); save it as UTF-8"),
        "{err}"
    );
    // The same file saved as UTF-8 (with the mark Windows editors add) is taken.
    write(
        &s,
        "utf8.txt",
        "\u{feff}That this branch notes the café meeting.",
    );
    s.run(&[
        "motion",
        "add",
        "utf8",
        "--title",
        "UTF-8",
        "--text-file",
        "utf8.txt",
    ])
    .success();
    let json: serde_json::Value =
        serde_json::from_str(&s.stdout(&["motion", "show", "utf8", "--format", "json"])).unwrap();
    assert!(
        json.to_string()
            .contains("\"That this branch notes the café meeting.\""),
        "{json}"
    );
}
