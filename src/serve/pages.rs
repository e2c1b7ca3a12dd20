//! The web pages, written with maud: the report form a reporter's link opens, what it says
//! after a report, the coordinator's review queue, and the pages that say a link does not work.
//!
//! Every page reads on a 320 px phone and needs no script (the Content-Security-Policy allows
//! none). maud escapes every value put in a page; nothing a user typed is ever put in
//! unescaped. Problems are shown beside their fields and listed at the top, as the GOV.UK
//! Design System's form pattern does.

use chrono::NaiveDate;
use maud::{DOCTYPE, Markup, PreEscaped, html};

use crate::model::{Field, FieldError, Status, Submission};
use crate::ops::intake::{Choices, OrgChoice, Report};

const STYLE: &str = r#"
* { box-sizing: border-box; }
body { font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif;
       color: #1a1a1a; margin: 0; overflow-wrap: anywhere; }
main { max-width: 38rem; margin: 0 auto; padding: 1rem; }
h1 { font-size: 1.5rem; line-height: 1.25; margin: .5rem 0 1rem; }
h2 { font-size: 1.2rem; }
label, legend { display: block; font-weight: 600; margin: 0 0 .25rem; padding: 0; }
.hint { color: #505a5f; margin: 0 0 .35rem; font-size: .95rem; }
.field { margin: 0 0 1.5rem; }
input[type=text], input[type=date], select, textarea {
  display: block; width: 100%; max-width: 100%; font: inherit; padding: .45rem;
  border: 2px solid #0b0c0c; border-radius: 0; background: #fff; color: inherit; }
textarea { min-height: 5rem; resize: vertical; }
fieldset { border: 0; padding: 0; margin: 0 0 1.5rem; min-width: 0; }
.choice { display: flex; gap: .6rem; align-items: flex-start; margin: .45rem 0; }
.choice input { width: 1.4rem; height: 1.4rem; margin: .1rem 0 0; flex: none; }
.choice label { font-weight: 400; margin: 0; }
.choice .hint { display: block; margin: 0; }
.votes { display: grid; grid-template-columns: repeat(3, minmax(0, 1fr)); gap: .5rem; }
.votes label { font-weight: 400; }
.field.error, fieldset.error { border-left: 5px solid #d4351c; padding-left: .75rem; }
.error-message { color: #d4351c; font-weight: 600; margin: 0 0 .35rem; }
.error input, .error select, .error textarea { border-color: #d4351c; }
.summary { border: 5px solid #d4351c; padding: .75rem 1rem; margin: 0 0 1.5rem; }
.summary h2 { margin: 0 0 .5rem; }
.summary ul { margin: 0; padding-left: 1.2rem; }
.summary a { color: #d4351c; font-weight: 600; }
.fixed { font-weight: 600; margin: 0; }
button { font: inherit; font-weight: 600; color: #fff; background: #00703c; border: 0;
         border-bottom: 2px solid #002d18; padding: .6rem 1.2rem; cursor: pointer; }
button.reject { background: #b1240f; border-bottom-color: #5a1208; }
.done { border: 5px solid #00703c; padding: .75rem 1rem; margin: 0 0 1.5rem; }
.done h1 { margin-top: 0; }
dl.what { display: grid; grid-template-columns: minmax(0, max-content) minmax(0, 1fr);
          gap: .25rem 1rem; margin: 0 0 1.5rem; }
dl.what dt { font-weight: 600; }
dl.what dd { margin: 0; white-space: pre-line; }
a { color: #1d70b8; }
.who { margin: 0 0 1.5rem; }
footer { color: #505a5f; font-size: .85rem; margin-top: 2rem; }
"#;

/// Styles of the review queue, put in the coordinator's page above the report.
const QUEUE_STYLE: &str = r#"
section.queue { border: 3px solid #1d70b8; padding: .75rem 1rem; margin: 0 0 2rem; overflow-wrap: anywhere; }
section.queue h2 { margin-top: 0; border: 0; }
section.queue article { border-top: 1px solid #b1b4b6; padding: .75rem 0; }
section.queue h3 { margin: 0 0 .25rem; font-size: 1.05rem; }
section.queue p { margin: .2rem 0; }
section.queue p.said { white-space: pre-line; }
section.queue form { display: inline-block; margin: .5rem .5rem 0 0; vertical-align: top; }
section.queue label { display: block; font-size: .9rem; }
section.queue input[type=text] { font: inherit; padding: .35rem; border: 2px solid #0b0c0c; max-width: 100%; }
section.queue button { font: inherit; font-weight: 600; color: #fff; background: #00703c; border: 0; padding: .45rem 1rem; cursor: pointer; }
section.queue button.reject { background: #b1240f; }
section.queue .message { font-weight: 600; border-left: 5px solid #00703c; padding-left: .5rem; }
section.queue .problem { font-weight: 600; color: #d4351c; border-left: 5px solid #d4351c; padding-left: .5rem; }
"#;

/// A page of the intake.
fn layout(title: &str, body: Markup) -> String {
    html! {
        (DOCTYPE)
        html lang="en-GB" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta name="referrer" content="no-referrer";
                title { (title) }
                style { (PreEscaped(STYLE)) }
            }
            body { main { (body) } }
        }
    }
    .into_string()
}

/// Everything the report form shows.
pub(super) struct FormPage<'a> {
    pub(super) token: &'a str,
    pub(super) reporter: &'a str,
    pub(super) trusted: bool,
    pub(super) choices: &'a Choices,
    /// What was sent, kept when it comes back with problems.
    pub(super) values: &'a Report,
    pub(super) problems: &'a [FieldError],
    pub(super) today: NaiveDate,
}

/// The statuses in the order the form offers them, most common first.
const STATUS_ORDER: [Status; 9] = [
    Status::Passed,
    Status::PassedAmended,
    Status::Rejected,
    Status::Deferred,
    Status::Moved,
    Status::Referred,
    Status::Planned,
    Status::Withdrawn,
    Status::RuledOut,
];

/// A status's name in plain words.
pub(super) fn status_words(status: Status) -> &'static str {
    match status {
        Status::Passed => "Passed",
        Status::PassedAmended => "Passed with amendments",
        Status::Rejected => "Rejected",
        Status::Deferred => "Deferred",
        Status::Moved => "Moved, no decision yet",
        Status::Referred => "Referred",
        Status::Planned => "Planned",
        Status::Withdrawn => "Withdrawn",
        Status::RuledOut => "Ruled out of order",
    }
}

/// The form's fields, in order, with the words a person reads.
const FIELDS: [(Field, &str); 9] = [
    (Field::Motion, "Motion"),
    (Field::Organisation, "Organisation"),
    (Field::Status, "What happened"),
    (Field::MeetingDate, "Date of the meeting"),
    (Field::VotesFor, "Votes for"),
    (Field::VotesAgainst, "Votes against"),
    (Field::VotesAbstain, "Abstentions"),
    (Field::Source, "Where it is recorded"),
    (Field::Notes, "Notes"),
];

fn label_of(field: Field) -> &'static str {
    FIELDS
        .iter()
        .find(|(f, _)| *f == field)
        .map_or("Your report", |(_, label)| label)
}

/// The id of the input a problem's link in the summary jumps to.
fn anchor(field: Field) -> String {
    match field {
        Field::Status => "status-passed".to_string(),
        field => field.column().to_string(),
    }
}

/// The report form: `GET /r/TOKEN`, and again with the problems after a refused `POST`.
pub(super) fn form(page: &FormPage<'_>) -> String {
    let problem = |field: Field| -> Vec<&str> {
        page.problems
            .iter()
            .filter(|p| p.field == field)
            .map(|p| p.problem.as_str())
            .collect()
    };
    let value = |v: &Option<String>| v.clone().unwrap_or_default();
    let title = if page.problems.is_empty() {
        "Report what happened".to_string()
    } else {
        "There is a problem: report what happened".to_string()
    };
    let body = html! {
        h1 { "Report what happened to the motion" }
        p.who {
            "Reporting as " strong { (page.reporter) } ". "
            @if page.trusted { "Your report counts as soon as you send it." }
            @else { "A coordinator checks each report before it counts." }
        }
        @if !page.problems.is_empty() {
            div.summary role="alert" aria-labelledby="problems" tabindex="-1" {
                h2 #problems { "There is a problem" }
                ul {
                    @for p in page.problems {
                        li { a href=(format!("#{}", anchor(p.field))) { (label_of(p.field)) ": " (p.problem) } }
                    }
                }
            }
        }
        form method="post" action=(format!("/r/{}", page.token)) novalidate {
            (motion_field(page, &problem(Field::Motion)))
            (org_field(page, &problem(Field::Organisation)))
            (status_field(page, &problem(Field::Status)))
            (text_field(Field::MeetingDate, "Date of the meeting", Some("Today, unless you say otherwise."),
                &page.values.meeting_date.clone().unwrap_or_else(|| page.today.to_string()),
                &problem(Field::MeetingDate), Input::Date))
            (votes_field(page, &problem))
            (text_field(Field::Source, "Where it is recorded",
                Some("A link to the minutes, or where they are kept (\"minutes of 4 February, item 6\"). This lets the coordinator check it."),
                &value(&page.values.source), &problem(Field::Source), Input::Text))
            (text_field(Field::Notes, "Notes (optional)", Some("Anything else worth keeping. Please do not name members who spoke."),
                &value(&page.values.notes), &problem(Field::Notes), Input::Area))
            button type="submit" { "Send report" }
        }
    };
    layout(&title, body)
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Input {
    Text,
    Date,
    Area,
}

/// One labelled input with its hint and problems.
fn text_field(
    field: Field,
    label: &str,
    hint: Option<&str>,
    value: &str,
    problems: &[&str],
    input: Input,
) -> Markup {
    let id = field.column();
    let described = described_by(id, hint.is_some(), !problems.is_empty());
    // A date input shows nothing for a value it cannot read: show such a value as text, so
    // what was typed stays in front of the person.
    let input = match input {
        Input::Date
            if !value.is_empty() && NaiveDate::parse_from_str(value, "%Y-%m-%d").is_err() =>
        {
            Input::Text
        }
        other => other,
    };
    html! {
        div.field.error[!problems.is_empty()] {
            label for=(id) { (label) }
            @if let Some(hint) = hint { p.hint id=(format!("{id}-hint")) { (hint) } }
            @for p in problems { p.error-message id=(format!("{id}-error")) { (p) } }
            @match input {
                Input::Area => textarea id=(id) name=(id) rows="4" aria-describedby=[described.clone()] { (value) },
                Input::Date => input type="date" id=(id) name=(id) value=(value) aria-describedby=[described.clone()];,
                Input::Text => input type="text" id=(id) name=(id) value=(value) aria-describedby=[described.clone()];,
            }
        }
    }
}

fn described_by(id: &str, hint: bool, error: bool) -> Option<String> {
    let ids: Vec<String> = [
        hint.then(|| format!("{id}-hint")),
        error.then(|| format!("{id}-error")),
    ]
    .into_iter()
    .flatten()
    .collect();
    (!ids.is_empty()).then(|| ids.join(" "))
}

fn motion_field(page: &FormPage<'_>, problems: &[&str]) -> Markup {
    let motions = &page.choices.motions;
    let chosen = page.values.motion.clone().unwrap_or_default();
    html! {
        @match motions.as_slice() {
            [] => div.field.error {
                p.error-message { "There is no motion to report on yet; ask the coordinator." }
            },
            [only] => div.field.error[!problems.is_empty()] {
                p.hint { "The motion" }
                p.fixed { (only.title) }
                @for p in problems { p.error-message id="motion-error" { (p) } }
                input type="hidden" name="motion" value=(only.slug);
            },
            several => div.field.error[!problems.is_empty()] {
                label for="motion" { "Motion" }
                @for p in problems { p.error-message id="motion-error" { (p) } }
                select id="motion" name="motion" {
                    option value="" { "Choose the motion" }
                    @for m in several {
                        option value=(m.slug) selected[m.slug.eq_ignore_ascii_case(chosen.trim())] { (m.title) }
                    }
                }
            },
        }
    }
}

fn org_field(page: &FormPage<'_>, problems: &[&str]) -> Markup {
    let chosen = page.values.organisation.clone().unwrap_or_default();
    let described = described_by("organisation", true, !problems.is_empty());
    html! {
        @match &page.choices.orgs {
            OrgChoice::Own(names) if names.len() == 1 => div.field.error[!problems.is_empty()] {
                p.hint { "The organisation" }
                p.fixed { (names[0]) }
                @for p in problems { p.error-message id="organisation-error" { (p) } }
                input type="hidden" name="organisation" value=(names[0]);
            },
            OrgChoice::Own(names) => div.field.error[!problems.is_empty()] {
                label for="organisation" { "Organisation" }
                p.hint id="organisation-hint" { "The body that met." }
                @for p in problems { p.error-message id="organisation-error" { (p) } }
                select id="organisation" name="organisation" aria-describedby=[described] {
                    option value="" { "Choose the organisation" }
                    @for name in names {
                        option value=(name) selected[name.eq_ignore_ascii_case(chosen.trim())] { (name) }
                    }
                }
            },
            OrgChoice::Registry(names) => div.field.error[!problems.is_empty()] {
                label for="organisation" { "Organisation" }
                p.hint id="organisation-hint" { "The branch, CLP or other body that met, as registered: start typing to pick it from the list." }
                @for p in problems { p.error-message id="organisation-error" { (p) } }
                input type="text" id="organisation" name="organisation" list="registry" value=(chosen)
                    autocomplete="off" aria-describedby=[described];
                datalist id="registry" {
                    @for name in names { option value=(name) {} }
                }
            },
        }
    }
}

fn status_field(page: &FormPage<'_>, problems: &[&str]) -> Markup {
    let chosen = page
        .values
        .status
        .as_deref()
        .and_then(|s| s.parse::<Status>().ok());
    html! {
        fieldset.error[!problems.is_empty()] aria-describedby=[(!problems.is_empty()).then_some("status-error")] {
            legend { "What happened" }
            @for p in problems { p.error-message id="status-error" { (p) } }
            @for status in STATUS_ORDER {
                div.choice {
                    input type="radio" name="status" id=(format!("status-{}", status.as_str()))
                        value=(status.as_str()) checked[chosen == Some(status)];
                    label for=(format!("status-{}", status.as_str())) {
                        (status_words(status))
                        span.hint { (status.meaning()) }
                    }
                }
            }
        }
    }
}

fn votes_field<'a>(page: &FormPage<'a>, problem: &dyn Fn(Field) -> Vec<&'a str>) -> Markup {
    let fields = [
        (Field::VotesFor, "For", &page.values.votes_for),
        (Field::VotesAgainst, "Against", &page.values.votes_against),
        (Field::VotesAbstain, "Abstained", &page.values.votes_abstain),
    ];
    let problems: Vec<(Field, &str)> = fields
        .iter()
        .flat_map(|(f, _, _)| problem(*f).into_iter().map(move |p| (*f, p)))
        .collect();
    html! {
        fieldset.error[!problems.is_empty()] {
            legend { "Votes (if counted)" }
            @for (field, p) in &problems {
                p.error-message id=(format!("{}-error", field.column())) { (label_of(*field)) ": " (p) }
            }
            div.votes {
                @for (field, label, value) in fields {
                    div {
                        label for=(field.column()) { (label) }
                        input type="text" inputmode="numeric" id=(field.column()) name=(field.column())
                            value=(value.clone().unwrap_or_default()) autocomplete="off";
                    }
                }
            }
        }
    }
}

/// What the page after a report shows.
pub(super) struct DonePage<'a> {
    pub(super) token: &'a str,
    /// The event recorded, when the report counts at once.
    pub(super) event: Option<i64>,
    pub(super) already: bool,
    pub(super) submission: i64,
    pub(super) motion: &'a str,
    pub(super) organisation: &'a str,
    pub(super) status: Status,
    pub(super) meeting_date: NaiveDate,
    pub(super) values: &'a Report,
}

/// The page after a report was taken: what was recorded, and a link to report another.
pub(super) fn done(page: &DonePage<'_>) -> String {
    let given = |v: &Option<String>| {
        v.as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
    };
    let votes: Vec<String> = [
        ("for", &page.values.votes_for),
        ("against", &page.values.votes_against),
        ("abstained", &page.values.votes_abstain),
    ]
    .into_iter()
    .filter_map(|(what, v)| given(v).map(|n| format!("{n} {what}")))
    .collect();
    let body = html! {
        div.done role="status" {
            @match (page.event, page.already) {
                (Some(event), true) => {
                    h1 { "Already recorded" }
                    p { "This was recorded before (event " (event) "), so nothing was added. Thank you." }
                }
                (Some(event), false) => {
                    h1 { "Recorded: thank you" }
                    p { "It counts now, as event " (event) "." }
                }
                (None, _) => {
                    h1 { "Sent: thank you" }
                    p { "A coordinator will check it before it counts (report " (page.submission) ")." }
                }
            }
        }
        h2 { "What you reported" }
        dl.what {
            dt { "Motion" } dd { (page.motion) }
            dt { "Organisation" } dd { (page.organisation) }
            dt { "What happened" } dd { (status_words(page.status)) " (" (page.status.meaning()) ")" }
            dt { "Date of the meeting" } dd { (page.meeting_date.format("%-d %B %Y").to_string()) }
            @if !votes.is_empty() { dt { "Votes" } dd { (votes.join(", ")) } }
            @if let Some(source) = given(&page.values.source) { dt { "Recorded in" } dd { (source) } }
            @if let Some(notes) = given(&page.values.notes) { dt { "Notes" } dd { (notes) } }
        }
        p { a href=(format!("/r/{}", page.token)) { "Report another outcome" } }
    };
    layout("Report sent", body)
}

/// A page that says why a link opens nothing.
pub(super) fn refused(heading: &str, words: &str) -> String {
    layout(
        heading,
        html! {
            h1 { (heading) }
            p { (words) }
        },
    )
}

/// A list of motions to choose a report page from.
pub(super) fn motion_list(title: &str, base: &str, motions: &[(String, String)]) -> String {
    layout(
        title,
        html! {
            h1 { (title) }
            @if motions.is_empty() { p { "No motions are registered yet." } }
            ul {
                @for (slug, name) in motions {
                    li { a href=(format!("{base}?motion={slug}")) { (name) } }
                }
            }
        },
    )
}

/// What the review queue says at its top after an action.
pub(super) enum Notice {
    None,
    Done(String),
    Problem(String),
}

/// The review queue of the coordinator's page, with a form to approve and one to reject each
/// report.
pub(super) fn queue(
    token: &str,
    submissions: &[Submission],
    notice: &Notice,
    motions: &[(String, String)],
) -> Markup {
    html! {
        style { (PreEscaped(QUEUE_STYLE)) }
        section.queue #review {
            h2 { "Reports waiting for review (" (submissions.len()) ")" }
            @match notice {
                Notice::Done(message) => p.message role="status" { (message) },
                Notice::Problem(message) => p.problem role="alert" { (message) },
                Notice::None => {},
            }
            @if motions.len() > 1 {
                p { "The report below is for one motion; see another: "
                    @for (i, (slug, _)) in motions.iter().enumerate() {
                        @if i > 0 { ", " }
                        a href=(format!("/c/{token}?motion={slug}")) { (slug) }
                    }
                }
            }
            @if submissions.is_empty() { p { "None: every report sent so far has been decided." } }
            @for s in submissions {
                article id=(format!("report-{}", s.id)) {
                    h3 { "Report " (s.id) ": " (s.organisation) ", " (status_words(s.status).to_lowercase()) }
                    p { "Meeting on " (s.meeting_date.to_string()) ", motion " code { (s.motion) }
                        @if let Some(n) = s.votes.cast_for { "; " (n) " for" }
                        @if let Some(n) = s.votes.against { "; " (n) " against" }
                        @if let Some(n) = s.votes.abstain { "; " (n) " abstained" }
                        "." }
                    p { "Sent by " strong { (s.reporter) } " at " (s.submitted_at) "." }
                    @if let Some(source) = &s.source { p.said { "Recorded in: " (source) } }
                    @if let Some(notes) = &s.notes { p.said { "Notes: " (notes) } }
                    form method="post" action=(format!("/c/{token}/review/{}/approve", s.id)) {
                        button type="submit" { "Approve" }
                    }
                    form method="post" action=(format!("/c/{token}/review/{}/reject", s.id)) {
                        label for=(format!("reason-{}", s.id)) { "Reason to reject" }
                        input type="text" id=(format!("reason-{}", s.id)) name="reason" required;
                        " "
                        button.reject type="submit" { "Reject" }
                    }
                }
            }
            p { a href=(format!("/r/{token}")) { "Report an outcome yourself" } }
        }
    }
}

/// The coordinator's page: the review queue above the live report (when there is a motion).
pub(super) fn coordinator(queue: Markup, report: Option<String>) -> String {
    let queue = queue.into_string();
    match report {
        Some(report) => match report.find("<body>") {
            Some(at) => {
                let at = at + "<body>".len();
                format!("{}{}{}", &report[..at], queue, &report[at..])
            }
            None => format!("{queue}{report}"),
        },
        None => layout(
            "Coordinator",
            html! {
                h1 { "Coordinator" }
                (PreEscaped(queue))
                p { "There is no motion yet, so no report to show." }
            },
        ),
    }
}
