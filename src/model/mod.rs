//! The domain: motions, organisations, outcomes, and the words and dates that describe them.
//! Parsing and validation live here so every command reads input the same way.

mod answers;
mod constituency;
mod date;
mod deadline;
mod intake;
mod kind;
mod name;
mod record;
mod redact;
mod slug;
mod status;
mod summary;
mod tally;
mod timeline;
mod words;

use chrono::NaiveDate;

pub(crate) use answers::{Answer, Answers, Meaning};
pub(crate) use constituency::{Constituency, constituencies};
pub(crate) use date::{
    BadDate, DateOrder, check_meeting_date, check_meeting_date_on, only_order, parse_date_arg,
    parse_date_in, today,
};
pub(crate) use deadline::{AsOf, Countdown, deadline_sentence};
pub(crate) use intake::{Dead, Reporter, ScopeItem, Submission, SubmissionState, Token, TokenHash};
pub(crate) use kind::Kind;
pub(crate) use name::MAX_WORDING_BYTES;
pub(crate) use name::{
    MAX_TEXT_CHARS, MAX_WORDING_CHARS, check_slug, clean_name, clean_optional, name_key,
    stray_control, unix_newlines,
};
pub(crate) use record::{
    Field, FieldError, FreeText, Label, MotionDraft, Name, NewMotion, NewOrg, NewOutcome, OrgDraft,
    OrgRef, OutcomeDraft, Parent, Rejected, own_parent, read_vote_count,
};
pub(crate) use redact::{PersonName, REDACTED};
pub(crate) use slug::{is_gss_code, slug_of};
pub(crate) use status::{Group, Status, StatusFilter};
pub(crate) use summary::{Style, summary};
pub(crate) use tally::{Dimension, StatusCounts, Tally, TallyRow};
pub(crate) use timeline::{Every, MOST_PERIODS, TooLong, span, timeline};
pub(crate) use words::{plural, shell_quote, thousands, visible};

/// A model motion of a campaign.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Motion {
    pub(crate) id: i64,
    pub(crate) slug: String,
    pub(crate) title: String,
    pub(crate) text: Option<String>,
    pub(crate) issued_by: Option<String>,
    pub(crate) issued_on: Option<NaiveDate>,
    pub(crate) deadline: Option<NaiveDate>,
}

/// A body that can consider a motion.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Org {
    pub(crate) id: i64,
    pub(crate) name: String,
    pub(crate) kind: Kind,
    pub(crate) region: Option<String>,
    pub(crate) union: Option<String>,
    /// The parent's name (a branch's CLP).
    pub(crate) parent: Option<String>,
    pub(crate) code: Option<String>,
}

impl Org {
    /// "Ashby CLP (clp, East Midlands)", for messages.
    pub(crate) fn describe(&self) -> String {
        let details: Vec<&str> = [
            Some(self.kind.as_str()),
            self.region.as_deref(),
            self.union.as_deref(),
        ]
        .into_iter()
        .flatten()
        .collect();
        format!("{} ({})", self.name, details.join(", "))
    }
}

/// When an organisation left the registry: dissolved, or succeeded by another body (after a
/// boundary change, say). It keeps its history; tallies from that day on leave it out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Retirement {
    pub(crate) on: NaiveDate,
    /// The name of the body that took its place.
    pub(crate) succeeded_by: Option<String>,
}

/// Which organisations a report covers; `None` means any.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct OrgFilter {
    pub(crate) kind: Option<Kind>,
    pub(crate) region: Option<String>,
    pub(crate) union: Option<String>,
}

/// The votes cast, where the reporter knows them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Votes {
    pub(crate) cast_for: Option<u32>,
    pub(crate) against: Option<u32>,
    pub(crate) abstain: Option<u32>,
}

/// One recorded event, as `history` shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Outcome {
    pub(crate) id: i64,
    pub(crate) motion: String,
    pub(crate) org: String,
    pub(crate) status: Status,
    pub(crate) meeting_date: NaiveDate,
    pub(crate) votes: Votes,
    pub(crate) reported_by: Option<String>,
    pub(crate) source: Option<String>,
    pub(crate) notes: Option<String>,
    pub(crate) recorded_at: String,
    /// Set when the event was found to be wrong: it stays in the history, and counts no more.
    pub(crate) retracted: Option<Retraction>,
}

/// When and why an event was retracted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Retraction {
    pub(crate) at: String,
    pub(crate) reason: String,
}

/// What an event says beyond what makes it the same event (its motion, organisation, status
/// and meeting date): the votes, and who reported it where.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Details<'a> {
    pub(crate) votes: Votes,
    pub(crate) reported_by: Option<&'a str>,
    pub(crate) source: Option<&'a str>,
    pub(crate) notes: Option<&'a str>,
}

impl Outcome {
    pub(crate) fn details(&self) -> Details<'_> {
        Details {
            votes: self.votes,
            reported_by: self.reported_by.as_deref(),
            source: self.source.as_deref(),
            notes: self.notes.as_deref(),
        }
    }

    /// How this event differs from `new`, the details of an event with the same motion, org,
    /// status and date given again: the details `new` gives that this one does not have.
    pub(crate) fn differences(&self, new: Details<'_>) -> Vec<String> {
        let mut differences = Vec::new();
        let show = |v: Option<u32>| v.map_or("none".to_string(), |v| v.to_string());
        for (what, there, here) in [
            ("votes for", self.votes.cast_for, new.votes.cast_for),
            ("against", self.votes.against, new.votes.against),
            ("abstentions", self.votes.abstain, new.votes.abstain),
        ] {
            if here.is_some() && there != here {
                differences.push(format!("{what} {} there, {} here", show(there), show(here)));
            }
        }
        for (what, there, here) in [
            ("reported by", self.reported_by.as_deref(), new.reported_by),
            ("source", self.source.as_deref(), new.source),
            ("notes", self.notes.as_deref(), new.notes),
        ] {
            if here.is_some() && there != here {
                differences.push(format!("{what} differs"));
            }
        }
        differences
    }
}

/// Which events `history` shows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct HistoryFilter {
    /// Retracted events too.
    pub(crate) all: bool,
    pub(crate) motion_id: Option<i64>,
    pub(crate) org_id: Option<i64>,
    pub(crate) since: Option<NaiveDate>,
    pub(crate) until: Option<NaiveDate>,
}

/// The latest event of one org for one motion, as `status` shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Latest {
    pub(crate) status: Status,
    pub(crate) meeting_date: NaiveDate,
    pub(crate) votes: Votes,
    pub(crate) source: Option<String>,
}

/// One row of the `status` report: an org and where the motion stands with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Standing {
    pub(crate) org: Org,
    pub(crate) latest: Option<Latest>,
}

/// A motion with its headline numbers, as `motion list` shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct MotionSummary {
    pub(crate) motion: Motion,
    pub(crate) counts: StatusCounts,
    pub(crate) latest_event: Option<NaiveDate>,
}
