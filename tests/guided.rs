//! `motions log` with no arguments asks, one question at a time, on a terminal: driven here
//! through a pseudo-terminal as a person would answer.

use rexpect::session::PtySession;

use crate::util::{Scratch, TODAY, TOMORROW, csv_rows};

fn guided(s: &Scratch) -> PtySession {
    s.pty(&["log"])
}

/// Types `text` and presses Enter, once the prompt is showing `prompt`: a prompt is drawn only
/// once it reads keys, so what is typed after it shows is never lost.
fn answer(p: &mut rexpect::session::PtySession, prompt: &str, text: &str) {
    p.exp_string(prompt).unwrap();
    p.send(text).unwrap();
    p.send("\r").unwrap();
    p.flush().unwrap();
}

/// Presses Esc once the prompt is showing `prompt`.
fn escape(p: &mut rexpect::session::PtySession, prompt: &str) {
    p.exp_string(prompt).unwrap();
    p.send("\u{1b}").unwrap();
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
    answer(&mut p, "Anything else to note?", "");
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
    // Nothing registered matches what is typed: registering it keeps the name, and Tab
    // completes the region.
    answer(&mut p, "Which organisation?", "Ambridge Momentum");
    answer(&mut p, "Its name: Ambridge Momentum", "");
    answer(&mut p, "What kind of body is it?", "momentum");
    answer(&mut p, "Its region", "west m\t");
    answer(&mut p, "What happened?", "deferred");
    answer(&mut p, "Date of the meeting", TOMORROW);
    p.exp_string("is in the future").unwrap();
    p.send(&"\u{7f}".repeat(10)).unwrap();
    p.flush().unwrap();
    answer(&mut p, "Date of the meeting", "28/02/2019");
    answer(&mut p, "Who is reporting", "");
    answer(&mut p, "Where is it recorded", "");
    answer(&mut p, "Anything else to note?", "");
    answer(&mut p, "Record: Ambridge Momentum deferred", "y");
    p.exp_string("Registered Ambridge Momentum (momentum-group, West Midlands)")
        .unwrap();
    p.exp_string("Recorded: Ambridge Momentum deferred venezuela-coup on 2019-02-28")
        .unwrap();
    p.exp_eof().unwrap();
}

#[test]
fn escape_records_nothing() {
    let s = Scratch::demo();
    let before = crate::util::dump(&s.db);
    let mut p = guided(&s);
    escape(&mut p, "Which organisation?");
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

#[test]
fn the_current_status_is_shown_and_esc_skips_an_optional_question() {
    let s = Scratch::demo();
    let mut p = guided(&s);
    answer(&mut p, "Which organisation?", "ashby clp");
    p.exp_string("Where it stands with Ashby CLP: passed on 25 February 2019 (event 37)")
        .unwrap();
    answer(&mut p, "What happened?", "passed-amended");
    answer(&mut p, "Date of the meeting", "26/02/2019");
    escape(&mut p, "Votes for, against");
    // Esc skipped the votes only: the next question comes.
    answer(&mut p, "Who is reporting", "Sam Sample");
    escape(&mut p, "Where is it recorded");
    answer(
        &mut p,
        "Anything else to note?",
        "carried after a long debate",
    );
    answer(
        &mut p,
        "Record: Ashby CLP passed-amended venezuela-coup on 26 February 2019?",
        "y",
    );
    p.exp_string("Recorded: Ashby CLP passed-amended").unwrap();
    p.exp_eof().unwrap();
    let rows = csv_rows(&s.stdout(&["history", "--org", "Ashby CLP", "--format", "csv"]));
    let last = rows.last().unwrap();
    assert_eq!(
        last[3..11],
        [
            "passed-amended",
            "2019-02-26",
            "",
            "",
            "",
            "Sam Sample",
            "",
            "carried after a long debate"
        ]
    );

    // An organisation with no events says so.
    let mut p = guided(&s);
    answer(&mut p, "Which organisation?", "holby");
    p.exp_string("Where it stands with Holby CLP: not yet moved")
        .unwrap();
    escape(&mut p, "What happened?");
    p.exp_string("Nothing recorded.").unwrap();
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
    answer(&mut p, "Anything else to note?", "");
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
fn a_region_typed_with_a_slip_is_asked_about_at_once() {
    let s = Scratch::demo();
    let mut p = guided(&s);
    answer(&mut p, "Which organisation?", "Brand New Sample CLP");
    answer(&mut p, "Its name: Brand New Sample CLP", "");
    answer(&mut p, "What kind of body is it?", "clp");
    answer(&mut p, "Its region", "Lond");
    answer(&mut p, "did you mean \"London\"", "");
    answer(&mut p, "What happened?", "moved");
    answer(&mut p, "Date of the meeting", "");
    answer(&mut p, "Who is reporting", "");
    answer(&mut p, "Where is it recorded", "");
    answer(&mut p, "Anything else to note?", "");
    answer(&mut p, "Record: Brand New Sample CLP moved", "y");
    p.exp_string("Registered Brand New Sample CLP (clp, London)")
        .unwrap();
    p.exp_eof().unwrap();
}
