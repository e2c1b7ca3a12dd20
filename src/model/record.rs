//! The only way to make a new motion, organisation or outcome: constructors that check every
//! field and say which one is wrong and why.
//!
//! Flags, the guided prompts, CSV rows and the web form all build records through these, so a
//! value one way in refuses is refused by all of them, with the same words. A value that passed
//! has a type that says so (`Name`, `Label`, `FreeText`, `NewOrg`, `NewOutcome`, `NewMotion`),
//! and the store takes only those.

use std::fmt;

use chrono::NaiveDate;

use super::name::{MAX_NAME_CHARS, MAX_TEXT_CHARS, MAX_WORDING_CHARS, is_invisible};
use super::{Kind, Status, Votes, check_slug, clean_name, name_key};

/// A field of a record, named as the CSV contract's column (and the web form's field).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Field {
    Motion,
    Organisation,
    Status,
    MeetingDate,
    VotesFor,
    VotesAgainst,
    VotesAbstain,
    ReportedBy,
    Source,
    Notes,
    Name,
    Kind,
    Region,
    Union,
    Parent,
    Code,
    Slug,
    Title,
    Text,
    IssuedBy,
    Deadline,
}

impl Field {
    /// The column of the CSV contract, and the field of the web form and the API.
    pub(crate) fn column(self) -> &'static str {
        match self {
            Field::Motion => "motion",
            Field::Organisation => "organisation",
            Field::Status => "status",
            Field::MeetingDate => "meeting_date",
            Field::VotesFor => "votes_for",
            Field::VotesAgainst => "votes_against",
            Field::VotesAbstain => "votes_abstain",
            Field::ReportedBy => "reported_by",
            Field::Source => "source",
            Field::Notes => "notes",
            Field::Name => "name",
            Field::Kind => "kind",
            Field::Region => "region",
            Field::Union => "union",
            Field::Parent => "parent",
            Field::Code => "code",
            Field::Slug => "slug",
            Field::Title => "title",
            Field::Text => "text",
            Field::IssuedBy => "issued_by",
            Field::Deadline => "deadline",
        }
    }

    /// The command-line flag that gives this field, said before a problem that is about the
    /// value ("--note is 10001 characters long"); nothing for the fields whose problems name
    /// themselves ("unknown organisation ...", "the meeting date ... is in the future").
    pub(crate) fn flag(self) -> Option<&'static str> {
        match self {
            Field::VotesFor => Some("--for"),
            Field::VotesAgainst => Some("--against"),
            Field::VotesAbstain => Some("--abstain"),
            Field::ReportedBy => Some("--by"),
            Field::Source => Some("--source"),
            Field::Notes => Some("--note"),
            Field::Region => Some("--region"),
            Field::Union => Some("--union"),
            Field::Code => Some("--code"),
            Field::Title => Some("--title"),
            Field::Text => Some("the motion's wording"),
            Field::IssuedBy => Some("--issued-by"),
            Field::Deadline => Some("--deadline"),
            Field::Motion
            | Field::Organisation
            | Field::Status
            | Field::MeetingDate
            | Field::Name
            | Field::Kind
            | Field::Parent
            | Field::Slug => None,
        }
    }
}

/// What is wrong with one field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct FieldError {
    pub(crate) field: Field,
    pub(crate) problem: String,
}

impl FieldError {
    pub(crate) fn new(field: Field, problem: impl fmt::Display) -> FieldError {
        FieldError {
            field,
            problem: problem.to_string(),
        }
    }
}

/// A record refused, with every field that is wrong. On the command line each problem is
/// said with the flag that gave it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(crate) struct Rejected(pub(crate) Vec<FieldError>);

impl fmt::Display for Rejected {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let said: Vec<String> = self
            .0
            .iter()
            .map(|e| match e.field.flag() {
                Some(flag) => format!("{flag} {}", e.problem),
                None => e.problem.clone(),
            })
            .collect();
        f.write_str(&said.join("; "))
    }
}

/// Collects the problems of one record while its fields are checked.
#[derive(Debug, Default)]
struct Checks(Vec<FieldError>);

impl Checks {
    fn take<T, E: fmt::Display>(&mut self, field: Field, result: Result<T, E>) -> Option<T> {
        match result {
            Ok(value) => Some(value),
            Err(err) => {
                self.0.push(FieldError::new(field, err));
                None
            }
        }
    }

    fn refuse(&mut self, field: Field, problem: impl fmt::Display) {
        self.0.push(FieldError::new(field, problem));
    }

    fn done<T>(self, make: impl FnOnce() -> Option<T>) -> Result<T, Rejected> {
        if !self.0.is_empty() {
            return Err(Rejected(self.0));
        }
        make().ok_or_else(|| Rejected(Vec::new()))
    }
}

/// An organisation's name: trimmed, inner spaces collapsed, no control or invisible characters,
/// 1 to 200 characters.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct Name(String);

impl Name {
    pub(crate) fn parse(raw: &str) -> Result<Name, super::name::BadName> {
        clean_name(raw).map(Name)
    }

    pub(crate) fn as_str(&self) -> &str {
        &self.0
    }

    /// The key every spelling of this name shares.
    pub(crate) fn key(&self) -> String {
        name_key(&self.0)
    }
}

impl fmt::Display for Name {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A short label (a region, a union, a code, a reporter's name): one line, trimmed, inner
/// spaces collapsed, no control or invisible characters, at most 200 characters. Blank is
/// absent.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct Label(String);

impl Label {
    pub(crate) fn parse(raw: &str) -> Result<Option<Label>, String> {
        if let Some(c) = raw.chars().find(|c| c.is_control()) {
            return Err(format!(
                "contains a control character (U+{:04X}), such as a tab or a line break; remove it",
                c as u32
            ));
        }
        if let Some(c) = raw.chars().find(|c| is_invisible(*c)) {
            return Err(format!(
                "contains an invisible character (U+{:04X}), which would make two values look \
                 alike; remove it",
                c as u32
            ));
        }
        // Runs of spaces become one; most labels have none to lose.
        let single_spaced = !raw.starts_with(' ')
            && !raw.ends_with(' ')
            && !raw.contains("  ")
            && raw.chars().all(|c| c == ' ' || !c.is_whitespace());
        let text = match single_spaced {
            true => raw.to_string(),
            false => raw.split_whitespace().collect::<Vec<_>>().join(" "),
        };
        match text.chars().count() {
            0 => Ok(None),
            n if n > MAX_NAME_CHARS => Err(format!(
                "is {n} characters long; the limit is {MAX_NAME_CHARS}"
            )),
            _ => Ok(Some(Label(text))),
        }
    }

    pub(crate) fn as_str(&self) -> &str {
        &self.0
    }
}

/// Free text (a note, a source, a title, a motion's wording): trimmed, line breaks as `\n`, no
/// control character a terminal would act on, within a length limit. Blank is absent.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct FreeText(String);

impl FreeText {
    /// Free text of at most [`MAX_TEXT_CHARS`] characters.
    pub(crate) fn parse(raw: &str) -> Result<Option<FreeText>, String> {
        FreeText::parse_within(raw, MAX_TEXT_CHARS)
    }

    /// A motion's wording: at most [`MAX_WORDING_CHARS`] characters.
    pub(crate) fn parse_wording(raw: &str) -> Result<Option<FreeText>, String> {
        FreeText::parse_within(raw, MAX_WORDING_CHARS)
    }

    fn parse_within(raw: &str, limit: usize) -> Result<Option<FreeText>, String> {
        let text = super::unix_newlines(raw.trim());
        if text.is_empty() {
            return Ok(None);
        }
        let chars = text.chars().count();
        if chars > limit {
            return Err(format!("is {chars} characters long; the limit is {limit}"));
        }
        if let Some(c) = super::stray_control(&text) {
            return Err(format!(
                "contains a control character (U+{:04X}); remove it",
                c as u32
            ));
        }
        Ok(Some(FreeText(text.into_owned())))
    }

    pub(crate) fn as_str(&self) -> &str {
        &self.0
    }
}

/// Optional text through a parser that takes blank as absent.
fn optional<T>(
    raw: Option<&str>,
    parse: impl FnOnce(&str) -> Result<Option<T>, String>,
) -> Result<Option<T>, String> {
    raw.map_or(Ok(None), parse)
}

/// An organisation an outcome or a branch refers to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum OrgRef {
    /// In the registry, by id.
    Registered(i64),
    /// Not registered yet: registered by the same write, before the record that names it.
    Pending(Name),
}

/// The CLP a branch belongs to, as checked when the branch is registered or edited.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Parent {
    pub(crate) org: OrgRef,
    pub(crate) name: Name,
    pub(crate) kind: Kind,
}

/// What is known of an organisation to register, before it is checked.
#[derive(Debug, Clone, Default)]
pub(crate) struct OrgDraft<'a> {
    pub(crate) name: &'a str,
    pub(crate) kind: Option<Kind>,
    pub(crate) region: Option<&'a str>,
    pub(crate) union: Option<&'a str>,
    pub(crate) parent: Option<Parent>,
    pub(crate) code: Option<&'a str>,
}

/// An organisation to register (or the new details of one), checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct NewOrg {
    name: Name,
    kind: Kind,
    region: Option<Label>,
    union: Option<Label>,
    parent: Option<Parent>,
    code: Option<Label>,
}

impl NewOrg {
    /// Checks every detail: a valid name, a kind, a union only for union bodies, and a parent
    /// only for a body that is not a CLP, and only a CLP as parent.
    pub(crate) fn new(draft: OrgDraft<'_>) -> Result<NewOrg, Rejected> {
        let mut checks = Checks::default();
        let name = checks.take(Field::Name, Name::parse(draft.name));
        let kind = draft.kind;
        if kind.is_none() {
            checks.refuse(
                Field::Kind,
                format!(
                    "say what kind of body \"{}\" is: clp, labour-branch, momentum-group, \
                     union-branch, trades-council or other",
                    super::visible(draft.name.trim())
                ),
            );
        }
        let region = checks.take(Field::Region, optional(draft.region, Label::parse));
        let union = checks.take(Field::Union, optional(draft.union, Label::parse));
        let code = checks.take(Field::Code, optional(draft.code, Label::parse));
        if let (Some(kind), Some(Some(_))) = (kind, &union)
            && !kind.may_have_union()
        {
            checks.refuse(
                Field::Union,
                format!(
                    "a {kind} has no union; the union is for union branches and trades councils"
                ),
            );
        }
        if let (Some(parent), Some(name), Some(kind)) = (&draft.parent, &name, kind)
            && let Err(problem) = parent_rule(name, kind, parent)
        {
            checks.0.push(problem);
        }
        checks.done(|| {
            Some(NewOrg {
                name: name?,
                kind: kind?,
                region: region?,
                union: union?,
                parent: draft.parent,
                code: code?,
            })
        })
    }

    /// The same organisation as a branch of `parent`, under the same rule as [`NewOrg::new`].
    pub(crate) fn with_parent(self, parent: Parent) -> Result<NewOrg, Rejected> {
        parent_rule(&self.name, self.kind, &parent).map_err(|problem| Rejected(vec![problem]))?;
        Ok(NewOrg {
            parent: Some(parent),
            ..self
        })
    }

    pub(crate) fn name(&self) -> &Name {
        &self.name
    }

    pub(crate) fn kind(&self) -> Kind {
        self.kind
    }

    pub(crate) fn region(&self) -> Option<&str> {
        self.region.as_ref().map(Label::as_str)
    }

    pub(crate) fn union(&self) -> Option<&str> {
        self.union.as_ref().map(Label::as_str)
    }

    pub(crate) fn parent(&self) -> Option<&Parent> {
        self.parent.as_ref()
    }

    pub(crate) fn code(&self) -> Option<&str> {
        self.code.as_ref().map(Label::as_str)
    }
}

/// Only a body that is not a CLP has a parent, only a CLP is one, and never itself: so the
/// registry can hold no chain longer than one step, and no cycle.
fn parent_rule(name: &Name, kind: Kind, parent: &Parent) -> Result<(), FieldError> {
    if parent.name.key() == name.key() {
        Err(own_parent())
    } else if kind == Kind::Clp {
        Err(FieldError::new(
            Field::Parent,
            "a CLP belongs to no other CLP; a parent is for branches",
        ))
    } else if parent.kind != Kind::Clp {
        Err(FieldError::new(
            Field::Parent,
            format!(
                "\"{}\" is a {}, not a CLP; the parent is the CLP a branch belongs to",
                parent.name, parent.kind
            ),
        ))
    } else {
        Ok(())
    }
}

/// The problem of an organisation named as its own parent.
pub(crate) fn own_parent() -> FieldError {
    FieldError::new(Field::Parent, "an organisation cannot be its own parent")
}

/// What is known of an outcome to record, before it is checked.
#[derive(Debug, Clone)]
pub(crate) struct OutcomeDraft<'a> {
    pub(crate) motion_id: i64,
    pub(crate) org: OrgRef,
    pub(crate) status: Status,
    pub(crate) meeting_date: NaiveDate,
    pub(crate) votes_for: Option<i64>,
    pub(crate) votes_against: Option<i64>,
    pub(crate) votes_abstain: Option<i64>,
    pub(crate) reported_by: Option<&'a str>,
    pub(crate) source: Option<&'a str>,
    pub(crate) notes: Option<&'a str>,
}

/// An outcome to record, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct NewOutcome {
    motion_id: i64,
    org: OrgRef,
    status: Status,
    meeting_date: NaiveDate,
    votes: Votes,
    reported_by: Option<Label>,
    source: Option<FreeText>,
    notes: Option<FreeText>,
}

impl NewOutcome {
    /// Checks every detail against `today`: a meeting date that can be right for the status
    /// (only `planned` may be in the future), whole numbers of votes, and free text.
    pub(crate) fn new(draft: OutcomeDraft<'_>, today: NaiveDate) -> Result<NewOutcome, Rejected> {
        let mut checks = Checks::default();
        checks.take(
            Field::MeetingDate,
            super::check_meeting_date_on(draft.meeting_date, draft.status, today),
        );
        let cast_for = checks.take(Field::VotesFor, votes(draft.votes_for));
        let against = checks.take(Field::VotesAgainst, votes(draft.votes_against));
        let abstain = checks.take(Field::VotesAbstain, votes(draft.votes_abstain));
        let reported_by = checks.take(Field::ReportedBy, optional(draft.reported_by, Label::parse));
        let source = checks.take(Field::Source, optional(draft.source, FreeText::parse));
        let notes = checks.take(Field::Notes, optional(draft.notes, FreeText::parse));
        checks.done(|| {
            Some(NewOutcome {
                motion_id: draft.motion_id,
                org: draft.org,
                status: draft.status,
                meeting_date: draft.meeting_date,
                votes: Votes {
                    cast_for: cast_for?,
                    against: against?,
                    abstain: abstain?,
                },
                reported_by: reported_by?,
                source: source?,
                notes: notes?,
            })
        })
    }

    pub(crate) fn motion_id(&self) -> i64 {
        self.motion_id
    }

    pub(crate) fn org(&self) -> &OrgRef {
        &self.org
    }

    /// The same outcome for the organisation now registered with `id`.
    pub(crate) fn for_org(&self, id: i64) -> NewOutcome {
        NewOutcome {
            org: OrgRef::Registered(id),
            ..self.clone()
        }
    }

    pub(crate) fn status(&self) -> Status {
        self.status
    }

    pub(crate) fn meeting_date(&self) -> NaiveDate {
        self.meeting_date
    }

    pub(crate) fn details(&self) -> super::Details<'_> {
        super::Details {
            votes: self.votes(),
            reported_by: self.reported_by(),
            source: self.source(),
            notes: self.notes(),
        }
    }

    pub(crate) fn votes(&self) -> Votes {
        self.votes
    }

    pub(crate) fn reported_by(&self) -> Option<&str> {
        self.reported_by.as_ref().map(Label::as_str)
    }

    pub(crate) fn source(&self) -> Option<&str> {
        self.source.as_ref().map(FreeText::as_str)
    }

    pub(crate) fn notes(&self) -> Option<&str> {
        self.notes.as_ref().map(FreeText::as_str)
    }
}

/// A vote count as typed in a cell or a form field: a whole number, or a problem saying so.
/// Whether it can be a number of votes (0 or more) is [`NewOutcome::new`]'s rule.
pub(crate) fn read_vote_count(text: &str) -> Result<i64, String> {
    text.parse::<i64>().map_err(|_| {
        format!(
            "\"{}\" is not a number of votes; write a whole number such as 12",
            super::visible(text)
        )
    })
}

/// A number of votes: a whole number from 0 to what any meeting could have.
fn votes(given: Option<i64>) -> Result<Option<u32>, String> {
    match given {
        None => Ok(None),
        Some(n) if n < 0 => Err(format!("{n}: a number of votes cannot be negative")),
        Some(n) => u32::try_from(n)
            .map(Some)
            .map_err(|_| format!("{n}: that is more votes than any meeting has")),
    }
}

/// What is known of a motion to register (or the new details of one), before it is checked.
#[derive(Debug, Clone, Default)]
pub(crate) struct MotionDraft<'a> {
    pub(crate) slug: &'a str,
    pub(crate) title: &'a str,
    pub(crate) text: Option<&'a str>,
    pub(crate) issued_by: Option<&'a str>,
    pub(crate) issued_on: Option<NaiveDate>,
    pub(crate) deadline: Option<NaiveDate>,
}

/// A motion to register, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct NewMotion {
    slug: String,
    title: FreeText,
    text: Option<FreeText>,
    issued_by: Option<FreeText>,
    issued_on: Option<NaiveDate>,
    deadline: Option<NaiveDate>,
}

impl NewMotion {
    /// Checks every detail: a slug of `[a-z0-9-]`, a title, free text, and a deadline not
    /// before the issue date.
    pub(crate) fn new(draft: MotionDraft<'_>) -> Result<NewMotion, Rejected> {
        let mut checks = Checks::default();
        let slug = draft.slug.trim();
        checks.take(Field::Slug, check_slug(slug));
        let title = match checks.take(Field::Title, FreeText::parse(draft.title)) {
            Some(None) => {
                checks.refuse(Field::Title, "is empty; every motion needs a title");
                None
            }
            other => other.flatten(),
        };
        let text = checks.take(Field::Text, optional(draft.text, FreeText::parse_wording));
        let issued_by = checks.take(Field::IssuedBy, optional(draft.issued_by, FreeText::parse));
        if let (Some(issued), Some(deadline)) = (draft.issued_on, draft.deadline)
            && deadline < issued
        {
            checks.refuse(
                Field::Deadline,
                format!("{deadline} is before the issue date {issued}; check the dates"),
            );
        }
        checks.done(|| {
            Some(NewMotion {
                slug: slug.to_string(),
                title: title?,
                text: text?,
                issued_by: issued_by?,
                issued_on: draft.issued_on,
                deadline: draft.deadline,
            })
        })
    }

    pub(crate) fn slug(&self) -> &str {
        &self.slug
    }

    pub(crate) fn title(&self) -> &str {
        self.title.as_str()
    }

    pub(crate) fn text(&self) -> Option<&str> {
        self.text.as_ref().map(FreeText::as_str)
    }

    pub(crate) fn issued_by(&self) -> Option<&str> {
        self.issued_by.as_ref().map(FreeText::as_str)
    }

    pub(crate) fn issued_on(&self) -> Option<NaiveDate> {
        self.issued_on
    }

    pub(crate) fn deadline(&self) -> Option<NaiveDate> {
        self.deadline
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn draft(status: Status, date: &str) -> OutcomeDraft<'static> {
        OutcomeDraft {
            motion_id: 1,
            org: OrgRef::Registered(1),
            status,
            meeting_date: day(date),
            votes_for: None,
            votes_against: None,
            votes_abstain: None,
            reported_by: None,
            source: None,
            notes: None,
        }
    }

    #[test]
    fn an_outcome_is_refused_field_by_field() {
        let today = day("2019-03-01");
        let bad = OutcomeDraft {
            votes_for: Some(-3),
            notes: Some("bell \u{7} here"),
            reported_by: Some("Jo\tBloggs"),
            ..draft(Status::Passed, "2019-04-01")
        };
        let Rejected(problems) = NewOutcome::new(bad, today).unwrap_err();
        let fields: Vec<Field> = problems.iter().map(|p| p.field).collect();
        assert_eq!(
            fields,
            [
                Field::MeetingDate,
                Field::VotesFor,
                Field::ReportedBy,
                Field::Notes
            ]
        );
        assert!(NewOutcome::new(draft(Status::Planned, "2019-04-01"), today).is_ok());
    }

    #[test]
    fn an_org_keeps_the_union_and_parent_rules() {
        let clp = Parent {
            org: OrgRef::Registered(1),
            name: Name::parse("Ashby CLP").unwrap(),
            kind: Kind::Clp,
        };
        let under_clp = |kind| {
            NewOrg::new(OrgDraft {
                name: "Ashby Ward Branch",
                kind: Some(kind),
                parent: Some(clp.clone()),
                ..OrgDraft::default()
            })
        };
        assert!(under_clp(Kind::LabourBranch).is_ok());
        let err = under_clp(Kind::Clp).unwrap_err();
        assert_eq!(err.0[0].field, Field::Parent);
        let branch_parent = Parent {
            kind: Kind::LabourBranch,
            ..clp.clone()
        };
        let err = NewOrg::new(OrgDraft {
            name: "Ashby North",
            kind: Some(Kind::LabourBranch),
            parent: Some(branch_parent),
            ..OrgDraft::default()
        })
        .unwrap_err();
        assert!(err.to_string().contains("not a CLP"), "{err}");
        let err = NewOrg::new(OrgDraft {
            name: "Walford Momentum",
            kind: Some(Kind::MomentumGroup),
            union: Some("Unite"),
            ..OrgDraft::default()
        })
        .unwrap_err();
        assert_eq!(err.0[0].field, Field::Union);
        let err = NewOrg::new(OrgDraft {
            name: "Walford Momentum",
            kind: Some(Kind::MomentumGroup),
            region: Some("Lon\u{1b}[31mdon"),
            ..OrgDraft::default()
        })
        .unwrap_err();
        assert_eq!(err.0[0].field, Field::Region);
    }

    #[test]
    fn a_motion_needs_a_slug_a_title_and_dates_in_order() {
        let err = NewMotion::new(MotionDraft {
            slug: "Bad Slug",
            title: "  ",
            issued_on: Some(day("2019-02-01")),
            deadline: Some(day("2019-01-01")),
            ..MotionDraft::default()
        })
        .unwrap_err();
        let fields: Vec<Field> = err.0.iter().map(|p| p.field).collect();
        assert_eq!(fields, [Field::Slug, Field::Title, Field::Deadline]);
        let err = NewMotion::new(MotionDraft {
            slug: "ok",
            title: "Title \u{1b}]0;owned\u{7}",
            ..MotionDraft::default()
        })
        .unwrap_err();
        assert_eq!(err.0[0].field, Field::Title);
    }
}
