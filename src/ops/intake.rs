//! Reports sent through reporters' links, from the form or the API: checked, then written in
//! batches by the server's writer.
//!
//! A report is checked when it is sent, by [`record::check`], the same code `log` runs, so a bad
//! value is refused then, with the same words, and never waits for review only to fail at
//! approval (see `review`).

use anyhow::Result;
use chrono::NaiveDate;

use super::record::{self, LogRequest};
use super::resolve;
use crate::db::{IntakeWrite, Refused, Store, Written};
use crate::model::{
    Field, FieldError, Motion, Org, Rejected, Reporter, Status, parse_date_arg, read_vote_count,
};

/// How to register an organisation a reporter names that the registry does not have.
const UNKNOWN_ORG_HINT: &str = "pick one from the list, or ask the coordinator to register it";
/// A report as a form or the API sends it: the outcome columns of the CSV contract, as text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Report {
    pub(crate) motion: Option<String>,
    pub(crate) organisation: Option<String>,
    pub(crate) status: Option<String>,
    pub(crate) meeting_date: Option<String>,
    pub(crate) votes_for: Option<String>,
    pub(crate) votes_against: Option<String>,
    pub(crate) votes_abstain: Option<String>,
    pub(crate) source: Option<String>,
    pub(crate) notes: Option<String>,
    /// Only ever the link holder's own name.
    pub(crate) reported_by: Option<String>,
}

impl Report {
    /// The field a form or the API names (the CSV contract's outcome columns, with their
    /// aliases), or `None` for a name the contract does not have.
    pub(crate) fn field_mut(&mut self, name: &str) -> Option<&mut Option<String>> {
        Some(match name {
            "motion" => &mut self.motion,
            "organisation" | "organization" | "org" => &mut self.organisation,
            "status" => &mut self.status,
            "meeting_date" | "date" => &mut self.meeting_date,
            "votes_for" => &mut self.votes_for,
            "votes_against" => &mut self.votes_against,
            "votes_abstain" => &mut self.votes_abstain,
            "reported_by" => &mut self.reported_by,
            "source" => &mut self.source,
            "notes" => &mut self.notes,
            _ => return None,
        })
    }
}

/// Why a report was not taken.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Refusal {
    /// Values the rules refuse, each beside its field.
    Invalid(Vec<FieldError>),
    /// An organisation or motion the link may not report for.
    Outside(Vec<FieldError>),
}

impl Refusal {
    pub(crate) fn problems(&self) -> &[FieldError] {
        match self {
            Refusal::Invalid(problems) | Refusal::Outside(problems) => problems,
        }
    }
}

/// A report checked and ready to write, with what it is about.
#[derive(Debug, Clone)]
pub(crate) struct Prepared {
    pub(crate) write: IntakeWrite,
    pub(crate) motion: Motion,
    pub(crate) org: Org,
    pub(crate) status: Status,
    pub(crate) meeting_date: NaiveDate,
}

/// Checks a report sent through `reporter`'s link, as `log` checks an outcome: nothing is
/// written. Scope first (a motion or organisation outside the link), then every value.
pub(crate) fn prepare_report(
    store: &mut Store,
    reporter: &Reporter,
    report: &Report,
    today: NaiveDate,
) -> Result<Result<Prepared, Refusal>> {
    let mut problems = Vec::new();
    let mut outside = Vec::new();
    if let Some(by) = text(&report.reported_by)
        && by.to_lowercase() != reporter.name.to_lowercase()
    {
        problems.push(FieldError::new(
            Field::ReportedBy,
            format!(
                "is the name of the link's holder, {}; leave it out",
                reporter.name
            ),
        ));
    }
    let motion = which_motion(store, Some(reporter), text(&report.motion))?;
    let motion = match motion {
        Ok(motion) if !reporter.may_report_on(motion.id) => {
            outside.push(FieldError::new(
                Field::Motion,
                format!(
                    "this link reports on {} only",
                    scope_list(reporter.motions.as_deref())
                ),
            ));
            None
        }
        Ok(motion) => Some(motion),
        Err(problem) => {
            problems.push(problem);
            None
        }
    };
    let org = match report_org(store, reporter, text(&report.organisation))? {
        Ok(org) if !reporter.may_report_for(org.id) => {
            outside.push(FieldError::new(
                Field::Organisation,
                format!(
                    "this link reports for {} only",
                    scope_list(reporter.orgs.as_deref())
                ),
            ));
            None
        }
        Ok(org) => Some(org),
        Err(problem) => {
            problems.push(problem);
            None
        }
    };
    if !outside.is_empty() {
        return Ok(Err(Refusal::Outside(outside)));
    }
    let status = parse(&mut problems, Field::Status, &report.status, |s| {
        s.parse::<Status>().map_err(|e| e.to_string())
    });
    let meeting_date = parse(
        &mut problems,
        Field::MeetingDate,
        &report.meeting_date,
        |s| parse_date_arg(s).map_err(|e| e.to_string()),
    );
    let votes_for = parse(
        &mut problems,
        Field::VotesFor,
        &report.votes_for,
        read_vote_count,
    );
    let votes_against = parse(
        &mut problems,
        Field::VotesAgainst,
        &report.votes_against,
        read_vote_count,
    );
    let votes_abstain = parse(
        &mut problems,
        Field::VotesAbstain,
        &report.votes_abstain,
        read_vote_count,
    );
    let (Some(motion), Some(org)) = (motion, org) else {
        return Ok(Err(Refusal::Invalid(problems)));
    };
    // Every value is checked even when some could not be read, so every problem is said at
    // once: a status that is missing or could not be read is checked as "planned" (and the
    // date is not checked against it), and its own problem comes from `check` as for `log`.
    let unread: Vec<Field> = problems.iter().map(|p| p.field).collect();
    let mut request = LogRequest {
        motion: Some(motion.slug.clone()),
        org: org.name.clone(),
        status: status.flatten(),
        meeting_date: meeting_date.flatten(),
        votes_for: votes_for.flatten(),
        votes_against: votes_against.flatten(),
        votes_abstain: votes_abstain.flatten(),
        reported_by: Some(reporter.name.clone()),
        source: report.source.clone(),
        notes: report.notes.clone(),
        register: None,
        how_to_register: UNKNOWN_ORG_HINT.to_string(),
    };
    let mut guessed = unread.contains(&Field::MeetingDate);
    if request.status.is_none() {
        if !unread.contains(&Field::Status) {
            // Not given: `check` says what to give.
            problems.extend(rejected(record::check(store, &request, today))?);
        }
        request.status = Some(Status::Planned);
        guessed = true;
    }
    match record::check(store, &request, today) {
        Ok(checked) if problems.is_empty() => {
            let outcome = checked.outcome;
            Ok(Ok(Prepared {
                write: IntakeWrite::Submit {
                    reporter_id: reporter.id,
                    organisation: org.name.clone(),
                    record: reporter.trusted,
                    outcome: outcome.clone(),
                },
                motion,
                org,
                status: outcome.status(),
                meeting_date: outcome.meeting_date(),
            }))
        }
        result => {
            problems.extend(rejected(result)?.into_iter().filter(|p| {
                !(unread.contains(&p.field) || guessed && p.field == Field::MeetingDate)
            }));
            problems.sort_by_key(|p| field_order(p.field));
            Ok(Err(Refusal::Invalid(problems)))
        }
    }
}

/// The problems a check found; an error that is not a refusal is passed on.
fn rejected<T>(result: Result<T>) -> Result<Vec<FieldError>> {
    match result {
        Ok(_) => Ok(Vec::new()),
        Err(err) => Ok(err.downcast::<Rejected>()?.0),
    }
}

/// The order of the form's fields, so problems are listed as the form asks.
fn field_order(field: Field) -> usize {
    [
        Field::Motion,
        Field::Organisation,
        Field::Status,
        Field::MeetingDate,
        Field::VotesFor,
        Field::VotesAgainst,
        Field::VotesAbstain,
        Field::Source,
        Field::Notes,
        Field::ReportedBy,
    ]
    .iter()
    .position(|f| *f == field)
    .unwrap_or(usize::MAX)
}

/// Text given, trimmed; blank as absent.
fn text(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

/// Parses an optional field, noting its problem; `None` when it could not be read,
/// `Some(None)` when it was not given.
fn parse<T>(
    problems: &mut Vec<FieldError>,
    field: Field,
    value: &Option<String>,
    read: impl FnOnce(&str) -> Result<T, String>,
) -> Option<Option<T>> {
    match text(value) {
        None => Some(None),
        Some(value) => match read(value) {
            Ok(value) => Some(Some(value)),
            Err(problem) => {
                problems.push(FieldError::new(field, problem));
                None
            }
        },
    }
}

/// "Ashby CLP and Walford CLP", for a scope.
fn scope_list(items: Option<&[crate::model::ScopeItem]>) -> String {
    let names: Vec<String> = items
        .unwrap_or_default()
        .iter()
        .map(|i| format!("\"{}\"", i.name))
        .collect();
    match names.as_slice() {
        [] => "nothing (its organisations were removed from the registry)".to_string(),
        [only] => only.clone(),
        [first @ .., last] => format!("{} and {last}", first.join(", ")),
    }
}

/// The motion a report or a page is about: the one named, the link's only one, or the only
/// one there is (`reporter` limits the choice to a link's motions).
pub(crate) fn which_motion(
    store: &mut Store,
    reporter: Option<&Reporter>,
    slug: Option<&str>,
) -> Result<Result<Motion, FieldError>> {
    let slug = slug.map(str::trim).filter(|s| !s.is_empty());
    let slug = match (slug, reporter.and_then(|r| r.motions.as_deref())) {
        (Some(slug), _) => slug.to_string(),
        (None, Some([only])) => only.name.clone(),
        (None, _) => {
            let mut motions = motions_for(store, reporter)?;
            return Ok(match motions.len() {
                1 => Ok(motions.remove(0)),
                0 => Err(FieldError::new(
                    Field::Motion,
                    "there is no motion to report on yet; ask the coordinator",
                )),
                _ => {
                    let slugs: Vec<String> = motions.into_iter().map(|m| m.slug).collect();
                    Err(FieldError::new(
                        Field::Motion,
                        format!("say which motion: {}", slugs.join(", ")),
                    ))
                }
            });
        }
    };
    Ok(resolve::motion(store, Some(&slug))
        .map_err(|err| FieldError::new(Field::Motion, format!("{err:#}"))))
}

/// The organisation a report is for: the one named, or the link's only one.
fn report_org(
    store: &mut Store,
    reporter: &Reporter,
    name: Option<&str>,
) -> Result<Result<Org, FieldError>> {
    let name = match (name, reporter.orgs.as_deref()) {
        (Some(name), _) => name.to_string(),
        (None, Some([only])) => only.name.clone(),
        (None, _) => {
            return Ok(Err(FieldError::new(
                Field::Organisation,
                "say which organisation met",
            )));
        }
    };
    Ok(match store.find_org(&name)? {
        Some(org) => Ok(org),
        None => Err(FieldError::new(
            Field::Organisation,
            format!(
                "{:#}",
                resolve::unknown_org(store, &name, UNKNOWN_ORG_HINT)?
            ),
        )),
    })
}
/// Writes a batch of independent writes (reports sent at the same moment): each is written or
/// refused on its own, in one transaction.
pub(crate) fn write_batch(
    store: &mut Store,
    writes: &[IntakeWrite],
) -> Result<Vec<Result<Written, Refused>>> {
    store.intake(writes, false)
}

/// What the report form offers a link: the motions it may report on, and its organisations.
#[derive(Debug, Clone)]
pub(crate) struct Choices {
    pub(crate) motions: Vec<Motion>,
    pub(crate) orgs: OrgChoice,
}

/// The organisations the form offers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum OrgChoice {
    /// The link's own organisations, by name.
    Own(Vec<String>),
    /// Any in the registry: the names, to pick from or type.
    Registry(Vec<String>),
}

/// The form's choices for `reporter`'s link.
pub(crate) fn choices(store: &mut Store, reporter: &Reporter) -> Result<Choices> {
    let motions = store
        .motions()?
        .into_iter()
        .filter(|m| reporter.may_report_on(m.id))
        .collect();
    let orgs = match &reporter.orgs {
        Some(own) => OrgChoice::Own(own.iter().map(|o| o.name.clone()).collect()),
        None => {
            let mut names = Vec::new();
            store.each_org_in(&crate::model::OrgFilter::default(), |org| {
                names.push(org.name.clone());
                Ok(())
            })?;
            OrgChoice::Registry(names)
        }
    };
    Ok(Choices { motions, orgs })
}

/// The motions a page may show: every one, or the link's own.
pub(crate) fn motions_for(store: &mut Store, reporter: Option<&Reporter>) -> Result<Vec<Motion>> {
    Ok(store
        .motions()?
        .into_iter()
        .filter(|m| reporter.is_none_or(|r| r.may_report_on(m.id)))
        .collect())
}
