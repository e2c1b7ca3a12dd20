//! The web intake's operations: links for reporters, reports sent through them, and the review
//! that decides which reports count.
//!
//! A report is checked when it is sent, by [`record::check`], the same code `log` runs, so a bad
//! value is refused then, with the same words, and never waits for review only to fail at
//! approval. Approval checks it again (the registry may have changed) and records it as `log`
//! would, under the reporter's name.

use anyhow::{Result, anyhow, bail};
use chrono::NaiveDate;

use super::record::{self, LogRequest};
use super::resolve;
use crate::db::{IntakeWrite, NewReporter, Refused, Store, Written};
use crate::model::{
    Dead, Field, FieldError, FreeText, Label, Motion, Org, Rejected, Reporter, Status, Submission,
    SubmissionState, Token, parse_date_arg, shorten,
};

/// A link to make, as the coordinator asked for it.
#[derive(Debug, Clone, Default)]
pub(crate) struct ReporterRequest {
    pub(crate) name: String,
    pub(crate) orgs: Vec<String>,
    pub(crate) motions: Vec<String>,
    pub(crate) trusted: bool,
    pub(crate) coordinator: bool,
    pub(crate) expires: Option<NaiveDate>,
}

/// How to register an organisation a reporter names that the registry does not have.
const UNKNOWN_ORG_HINT: &str = "pick one from the list, or ask the coordinator to register it";

/// Makes a link; its token is returned once, to be shown once.
pub(crate) fn add_reporter(
    store: &mut Store,
    request: &ReporterRequest,
    today: NaiveDate,
) -> Result<(Reporter, Token)> {
    let name = reporter_name(&request.name)?;
    if let Some(same) = store.reporters()?.into_iter().find(|(r, _)| {
        r.revoked_at.is_none() && r.name.to_lowercase() == name.as_str().to_lowercase()
    }) {
        bail!(
            "{} already has a working link (reporter {}); give another name (add a place or an \
             initial), or make a new link for them with: motions reporter link {} --new",
            same.0.name,
            same.0.id,
            same.0.id
        );
    }
    if let Some(expires) = request.expires.filter(|day| *day < today) {
        bail!("--expires {expires} is in the past; give today or a later day");
    }
    let mut orgs = Vec::new();
    for org in &request.orgs {
        let org = resolve::org(
            store,
            org,
            "register it first: motions org add NAME --kind KIND",
        )?;
        if !orgs.contains(&org.id) {
            orgs.push(org.id);
        }
    }
    let mut motions = Vec::new();
    for slug in &request.motions {
        let motion = resolve::motion(store, Some(slug))?;
        if !motions.contains(&motion.id) {
            motions.push(motion.id);
        }
    }
    let token = Token::new()?;
    let reporter = store.add_reporter(&NewReporter {
        name,
        token_hash: token.hash(),
        orgs: (!orgs.is_empty()).then_some(orgs),
        motions: (!motions.is_empty()).then_some(motions),
        trusted: request.trusted,
        coordinator: request.coordinator,
        expires: request.expires,
    })?;
    Ok((reporter, token))
}

/// A reporter's name: one line, no control characters, 1 to 200 characters.
fn reporter_name(raw: &str) -> Result<Label> {
    match Label::parse(raw) {
        Ok(Some(name)) => Ok(name),
        Ok(None) => bail!("give the reporter's name, as the coordinator will know them"),
        Err(problem) => bail!("the name {problem}"),
    }
}

/// Every link, with how many reports each has sent.
pub(crate) fn reporters(store: &mut Store) -> Result<Vec<(Reporter, u64)>> {
    store.reporters()
}

/// The link named by its id or by its holder's name (a working link before a revoked one).
pub(crate) fn find_reporter(store: &mut Store, who: &str) -> Result<Reporter> {
    let all = store.reporters()?;
    let who = who.trim();
    if let Ok(id) = who.parse::<i64>() {
        return all
            .into_iter()
            .map(|(r, _)| r)
            .find(|r| r.id == id)
            .ok_or_else(|| {
                anyhow!("there is no reporter {id}; see them with: motions reporter list")
            });
    }
    let wanted = who.to_lowercase();
    let mut named: Vec<Reporter> = all
        .into_iter()
        .map(|(r, _)| r)
        .filter(|r| r.name.to_lowercase() == wanted)
        .collect();
    named.sort_by_key(|r| r.revoked_at.is_some());
    let working = named.iter().filter(|r| r.revoked_at.is_none()).count();
    match (named.len(), working) {
        (0, _) => {
            let names: Vec<String> = store
                .reporters()?
                .into_iter()
                .map(|(r, _)| r.name)
                .collect();
            bail!(
                "no reporter is named \"{}\"{}",
                shorten(who),
                resolve::then(
                    &resolve::did_you_mean(who, &names),
                    "see them with: motions reporter list"
                )
            )
        }
        (1, _) | (_, 1) => Ok(named.remove(0)),
        _ => {
            let ids: Vec<String> = named.iter().map(|r| r.id.to_string()).collect();
            bail!(
                "{} reporters are named \"{}\" (ids {}); give the id instead",
                named.len(),
                shorten(who),
                ids.join(", ")
            )
        }
    }
}

/// Gives the link a new token: the old link stops working, and a revoked one works again.
/// Returns the reporter as it was, and the new token.
pub(crate) fn new_link(store: &mut Store, who: &str) -> Result<(Reporter, Token)> {
    let reporter = find_reporter(store, who)?;
    let token = Token::new()?;
    store.replace_token(reporter.id, &token.hash())?;
    Ok((reporter, token))
}

/// Stops a link working; false when it was revoked already.
pub(crate) fn revoke(store: &mut Store, who: &str) -> Result<(Reporter, bool)> {
    let reporter = find_reporter(store, who)?;
    let changed = store.revoke_reporter(reporter.id)?;
    Ok((reporter, changed))
}

/// Why a token opens nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Denied {
    /// No link has this token (a typo, or a link replaced by a new one).
    Unknown,
    /// The link was revoked or has expired.
    Dead(Dead),
}

impl Denied {
    /// The reason in plain words, for the page or the API.
    pub(crate) fn words(self) -> &'static str {
        match self {
            Denied::Unknown => {
                "this link does not work: it may be mistyped, or replaced by a newer one; ask \
                 the coordinator for your link"
            }
            Denied::Dead(Dead::Revoked) => {
                "this link has been turned off; ask the coordinator for a new one"
            }
            Denied::Dead(Dead::Expired) => {
                "this link has expired; ask the coordinator for a new one"
            }
        }
    }
}

/// The reporter a token belongs to, if the link works on `today`.
pub(crate) fn reporter_for(
    store: &mut Store,
    token: &str,
    today: NaiveDate,
) -> Result<Result<Reporter, Denied>> {
    let Some(token) = Token::parse(token) else {
        return Ok(Err(Denied::Unknown));
    };
    Ok(match store.reporter_by_token(&token.hash())? {
        None => Err(Denied::Unknown),
        Some(reporter) => match reporter.dead(today) {
            Some(dead) => Err(Denied::Dead(dead)),
            None => Ok(reporter),
        },
    })
}

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
    let votes_for = parse(&mut problems, Field::VotesFor, &report.votes_for, votes);
    let votes_against = parse(
        &mut problems,
        Field::VotesAgainst,
        &report.votes_against,
        votes,
    );
    let votes_abstain = parse(
        &mut problems,
        Field::VotesAbstain,
        &report.votes_abstain,
        votes,
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

/// A number of votes as a whole number; whether it can be a number of votes is the model's
/// rule, as for every way in.
fn votes(text: &str) -> Result<i64, String> {
    text.parse::<i64>().map_err(|_| {
        format!(
            "\"{}\" is not a number of votes; write a whole number such as 12",
            shorten(text)
        )
    })
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

/// Checks a waiting submission for approval as `log` would check it today, under its
/// reporter's name; nothing is written.
pub(crate) fn prepare_approval(
    store: &mut Store,
    id: i64,
    today: NaiveDate,
) -> Result<IntakeWrite> {
    let submission = waiting(store, id)?;
    let count = |n: Option<u32>| n.map(i64::from);
    let request = LogRequest {
        motion: Some(submission.motion.clone()),
        org: submission.organisation.clone(),
        status: Some(submission.status),
        meeting_date: Some(submission.meeting_date),
        votes_for: count(submission.votes.cast_for),
        votes_against: count(submission.votes.against),
        votes_abstain: count(submission.votes.abstain),
        reported_by: Some(submission.reporter.clone()),
        source: submission.source.clone(),
        notes: submission.notes.clone(),
        register: None,
        how_to_register: "register it again (motions org add NAME --kind KIND), or reject the \
                          report"
            .to_string(),
    };
    let checked =
        record::check(store, &request, today).map_err(|err| anyhow!("submission {id}: {err:#}"))?;
    Ok(IntakeWrite::Approve {
        submission_id: id,
        outcome: checked.outcome,
    })
}

/// Checks a rejection: a waiting submission and a reason.
pub(crate) fn prepare_rejection(store: &mut Store, id: i64, reason: &str) -> Result<IntakeWrite> {
    let reason = match FreeText::parse(reason) {
        Ok(Some(reason)) => reason,
        Ok(None) => bail!("give the reason for turning it down, for the record"),
        Err(problem) => bail!("the reason {problem}"),
    };
    waiting(store, id)?;
    Ok(IntakeWrite::Reject {
        submission_id: id,
        reason,
    })
}

/// The submission, if it is waiting for review.
fn waiting(store: &mut Store, id: i64) -> Result<Submission> {
    let Some(submission) = store.submission(id)? else {
        return Err(Refused::Missing(id).into());
    };
    if submission.state != SubmissionState::AwaitingReview {
        let hint = match submission.outcome_id {
            Some(event) => format!(
                " (as event {event}; to take it back: motions outcome retract {event} --reason \"...\")"
            ),
            None => String::new(),
        };
        bail!(
            "{}{hint}",
            Refused::Decided {
                id,
                state: submission.state
            }
        );
    }
    Ok(submission)
}

/// Decides the submissions (approvals or rejections) all at once: every one is checked first,
/// and nothing is written unless every one can be.
pub(crate) fn decide(store: &mut Store, writes: &[IntakeWrite]) -> Result<Vec<Written>> {
    let results = store.intake(writes, true)?;
    results
        .into_iter()
        .map(|result| result.map_err(anyhow::Error::from))
        .collect()
}

/// Writes a batch of independent writes (reports sent at the same moment): each is written or
/// refused on its own, in one transaction.
pub(crate) fn write_batch(
    store: &mut Store,
    writes: &[IntakeWrite],
) -> Result<Vec<Result<Written, Refused>>> {
    store.intake(writes, false)
}

/// The submissions waiting for review, or all of them.
pub(crate) fn submissions(store: &mut Store, all: bool) -> Result<Vec<Submission>> {
    store.submissions(all)
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
        None => OrgChoice::Registry(
            store
                .orgs(&crate::model::OrgFilter::default())?
                .into_iter()
                .map(|o| o.name)
                .collect(),
        ),
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

/// One submission, by id.
pub(crate) fn submission(store: &mut Store, id: i64) -> Result<Option<Submission>> {
    store.submission(id)
}
