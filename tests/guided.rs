//! `motions log` with no arguments asks, one question at a time, on a terminal: driven here
//! through a pseudo-terminal as a person would answer.

use rexpect::session::PtySession;

use crate::util::{Scratch, TODAY, TOMORROW, csv_rows};

fn guided(s: &Scratch) -> PtySession {
    s.pty(&["log"])
}

/// Waits for `prompt` (the question is on the screen, so the program is reading keys), then
/// types `text` and presses Enter. Keys are read in the order they are sent, so nothing needs
/// to wait between them.
fn answer(p: &mut PtySession, prompt: &str, text: &str) {
    p.exp_string(prompt).unwrap();
    p.send(text).unwrap();
    p.send("\r").unwrap();
    p.flush().unwrap();
}

#[test]
fn an_outcome_is_logged_by_answering_questions() {
    let s = Scratch::demo();
    let mut p = guided(&s);
    p.exp_string("Motion: Oppose the attempted coup in Venezuela")
        .unwrap();
    answer(&mut p, "Which organisation?", "holb");
    answer(&mut p, "What happened?", "carried as");
    answer(&mut p, "Date of the meeting", "04/03/2019");
    answer(&mut p, "Votes for, against", "30 2");
    answer(&mut p, "Who is reporting", "Sam Sample");
    answer(&mut p, "Where is it recorded", "");
    answer(
        &mut p,
        "Record: Holby CLP passed venezuela-coup on 4 March 2019, 30 for and 2 against?",
        "y",
    );
    p.exp_string("Recorded: Holby CLP passed venezuela-coup on 2019-03-04 (event 41)")
        .unwrap();
    p.exp_eof().unwrap();
    let rows = csv_rows(&s.stdout(&["history", "--org", "Holby CLP", "--format", "csv"]));
    assert_eq!(
        rows[1][3..9],
        ["passed", "2019-03-04", "30", "2", "", "Sam Sample"]
    );
}

#[test]
fn a_new_organisation_is_registered_on_the_way() {
    let s = Scratch::demo();
    let mut p = guided(&s);
    answer(&mut p, "Which organisation?", "not on the list");
    answer(&mut p, "Its name:", "Ambridge Momentum");
    answer(&mut p, "What kind of body is it?", "momentum");
    answer(&mut p, "Its region", "West Midlands");
    answer(&mut p, "What happened?", "deferred");
    answer(&mut p, "Date of the meeting", TOMORROW);
    p.exp_string(&format!("the meeting date {TOMORROW} is in the future"))
        .unwrap();
    p.send(&"\u{7f}".repeat(10)).unwrap();
    p.flush().unwrap();
    answer(&mut p, "Date of the meeting", "28/02/2019");
    answer(&mut p, "Who is reporting", "");
    answer(&mut p, "Where is it recorded", "");
    answer(&mut p, "Record: Ambridge Momentum deferred", "y");
    p.exp_string("Registered Ambridge Momentum (momentum-group, West Midlands)")
        .unwrap();
    p.exp_string("Recorded: Ambridge Momentum deferred venezuela-coup on 2019-02-28")
        .unwrap();
    p.exp_eof().unwrap();
}

#[test]
fn the_meeting_date_offered_is_today() {
    let s = Scratch::demo();
    let mut p = guided(&s);
    answer(&mut p, "Which organisation?", "holb");
    answer(&mut p, "What happened?", "deferred");
    p.exp_string("Date of the meeting").unwrap();
    p.exp_string("01/06/2019").unwrap(); // TODAY, day first
    p.send("\r").unwrap();
    p.flush().unwrap();
    answer(&mut p, "Who is reporting", "");
    answer(&mut p, "Where is it recorded", "");
    answer(
        &mut p,
        "Record: Holby CLP deferred venezuela-coup on 1 June 2019?",
        "y",
    );
    p.exp_string(&format!(
        "Recorded: Holby CLP deferred venezuela-coup on {TODAY}"
    ))
    .unwrap();
    p.exp_eof().unwrap();
}

#[test]
fn escape_records_nothing() {
    let s = Scratch::demo();
    let before = crate::util::dump(&s.db);
    let mut p = guided(&s);
    p.exp_string("Which organisation?").unwrap();
    p.send("\u{1b}").unwrap();
    p.flush().unwrap();
    p.exp_string("Nothing recorded.").unwrap();
    p.exp_eof().unwrap();
    assert_eq!(crate::util::dump(&s.db), before);
}

#[test]
fn without_a_terminal_it_never_waits() {
    let s = Scratch::demo();
    let out = s.cmd(&["log"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("give the organisation and the status, or run motions log on a terminal"),
        "{err}"
    );
    assert!(err.contains("Usage: motions log"), "{err}");
}
