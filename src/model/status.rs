//! The statuses of the contract, their aliases and the groups tallies count them in.

use std::fmt;
use std::str::FromStr;

use super::words::{UnknownWord, normalise_word, visible};

/// What happened to a motion at one meeting. Output always uses the canonical word.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum Status {
    Planned,
    Moved,
    Deferred,
    Referred,
    Passed,
    PassedAmended,
    Rejected,
    Withdrawn,
    RuledOut,
}

/// The groups a tally counts statuses in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum Group {
    Passed,
    Rejected,
    Pending,
    Dropped,
    /// Not yet moved: no outcome recorded.
    None,
}

impl Status {
    pub(crate) const ALL: [Status; 9] = [
        Status::Planned,
        Status::Moved,
        Status::Deferred,
        Status::Referred,
        Status::Passed,
        Status::PassedAmended,
        Status::Rejected,
        Status::Withdrawn,
        Status::RuledOut,
    ];

    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Status::Planned => "planned",
            Status::Moved => "moved",
            Status::Deferred => "deferred",
            Status::Referred => "referred",
            Status::Passed => "passed",
            Status::PassedAmended => "passed-amended",
            Status::Rejected => "rejected",
            Status::Withdrawn => "withdrawn",
            Status::RuledOut => "ruled-out",
        }
    }

    /// The other words accepted for this status (after normalising case, `_` and spaces).
    pub(crate) fn aliases(self) -> &'static [&'static str] {
        match self {
            Status::Planned => &["notice-given", "intended"],
            Status::Moved => &["tabled", "submitted"],
            Status::Deferred => &["adjourned", "not-reached", "postponed"],
            Status::Referred => &["remitted"],
            Status::Passed => &["carried", "agreed", "adopted"],
            Status::PassedAmended => &["carried-as-amended", "amended"],
            Status::Rejected => &["lost", "defeated", "fell", "not-carried"],
            Status::Withdrawn => &[],
            Status::RuledOut => &["ruled-out-of-order", "out-of-order"],
        }
    }

    /// One line of plain English, for help and prompts.
    pub(crate) fn meaning(self) -> &'static str {
        match self {
            Status::Planned => "someone intends to table it; notice given",
            Status::Moved => "tabled and moved at a meeting; no decision yet",
            Status::Deferred => "adjourned, not reached, or postponed to a later meeting",
            Status::Referred => "sent to an executive or committee without a decision",
            Status::Passed => "carried as written",
            Status::PassedAmended => "carried with amendments",
            Status::Rejected => "lost on a vote",
            Status::Withdrawn => "withdrawn by the mover",
            Status::RuledOut => "ruled out of order by the chair or a committee",
        }
    }

    pub(crate) fn group(self) -> Group {
        match self {
            Status::Planned | Status::Moved | Status::Deferred | Status::Referred => Group::Pending,
            Status::Passed | Status::PassedAmended => Group::Passed,
            Status::Rejected => Group::Rejected,
            Status::Withdrawn | Status::RuledOut => Group::Dropped,
        }
    }

    /// A decision settles the motion at that meeting: two different decisions on one date
    /// for one org cannot both be true.
    pub(crate) fn is_decision(self) -> bool {
        matches!(
            self,
            Status::Passed | Status::PassedAmended | Status::Rejected
        )
    }

    fn valid_list() -> String {
        Status::ALL.map(Status::as_str).join(", ")
    }
}

impl Group {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Group::Passed => "passed",
            Group::Rejected => "rejected",
            Group::Pending => "pending",
            Group::Dropped => "dropped",
            Group::None => "none",
        }
    }

    /// The group of an org's current status, `None` when it has not moved the motion.
    pub(crate) fn of(status: Option<Status>) -> Group {
        status.map_or(Group::None, Status::group)
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Display for Group {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Status {
    type Err = UnknownWord;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let word = normalise_word(s);
        Status::ALL
            .into_iter()
            .find(|status| status.as_str() == word || status.aliases().contains(&word.as_str()))
            .ok_or_else(|| UnknownWord {
                what: "status",
                given: visible(s.trim()),
                valid: Status::valid_list(),
            })
    }
}

/// What `--status` selects: one status, a whole group (`passed` takes in passed-amended;
/// `none` is the orgs that have not moved the motion), or `any`: every org that has an outcome,
/// whatever it is. (`moved` stays the status of that name: moved at a meeting, no decision yet.)
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum StatusFilter {
    Status(Status),
    Group(Group),
    Any,
}

impl StatusFilter {
    pub(crate) fn matches(self, status: Option<Status>) -> bool {
        match self {
            StatusFilter::Status(wanted) => status == Some(wanted),
            StatusFilter::Group(group) => Group::of(status) == group,
            StatusFilter::Any => status.is_some(),
        }
    }

    /// True when an org whose current status is `status` is selected by any of `filters`
    /// (all orgs when there are none).
    pub(crate) fn any_matches(filters: &[StatusFilter], status: Option<Status>) -> bool {
        filters.is_empty() || filters.iter().any(|filter| filter.matches(status))
    }
}

impl FromStr for StatusFilter {
    type Err = UnknownWord;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let group = match normalise_word(s).as_str() {
            "passed" => Some(Group::Passed),
            "rejected" => Some(Group::Rejected),
            "pending" => Some(Group::Pending),
            "dropped" => Some(Group::Dropped),
            "none" | "not-moved" | "not-yet-moved" => Some(Group::None),
            "any" | "recorded" => return Ok(StatusFilter::Any),
            _ => None,
        };
        if let Some(group) = group {
            return Ok(StatusFilter::Group(group));
        }
        s.parse()
            .map(StatusFilter::Status)
            .map_err(|err: UnknownWord| UnknownWord {
                valid: format!(
                    "{}, or a group: passed, rejected, pending, dropped, none, or any (every \
                     organisation with an outcome)",
                    err.valid
                ),
                ..err
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_canonical_word_and_alias_parses() {
        for status in Status::ALL {
            assert_eq!(status.as_str().parse::<Status>().unwrap(), status);
            for alias in status.aliases() {
                assert_eq!(alias.parse::<Status>().unwrap(), status, "alias {alias}");
            }
        }
    }

    #[test]
    fn case_underscores_and_spaces_are_forgiven() {
        assert_eq!(
            "Carried As Amended".parse::<Status>().unwrap(),
            Status::PassedAmended
        );
        assert_eq!("NOT_REACHED".parse::<Status>().unwrap(), Status::Deferred);
        assert_eq!(
            "  ruled out of order ".parse::<Status>().unwrap(),
            Status::RuledOut
        );
        assert_eq!(
            "Passed-Amended".parse::<Status>().unwrap(),
            Status::PassedAmended
        );
    }

    #[test]
    fn unknown_status_lists_the_valid_ones() {
        let err = "won".parse::<Status>().unwrap_err().to_string();
        assert!(err.contains("unknown status \"won\""), "{err}");
        assert!(
            err.contains("planned, moved, deferred, referred, passed, passed-amended"),
            "{err}"
        );
        assert!("".parse::<Status>().is_err());
        assert!("pass".parse::<Status>().is_err());
    }

    #[test]
    fn filters_take_groups_and_statuses() {
        let filter = |s: &str| s.parse::<StatusFilter>().unwrap();
        assert_eq!(filter("passed"), StatusFilter::Group(Group::Passed));
        assert!(filter("passed").matches(Some(Status::PassedAmended)));
        assert!(filter("carried").matches(Some(Status::Passed)));
        assert!(!filter("carried").matches(Some(Status::PassedAmended)));
        assert!(filter("none").matches(None));
        assert!(filter("Not moved").matches(None));
        assert!(filter("pending").matches(Some(Status::Referred)));
        assert!(filter("amended").matches(Some(Status::PassedAmended)));
        let err = "won".parse::<StatusFilter>().unwrap_err().to_string();
        assert!(
            err.ends_with("or a group: passed, rejected, pending, dropped, none, or any (every organisation with an outcome)"),
            "{err}"
        );
    }

    #[test]
    fn groups_follow_the_contract() {
        let group = |s: &str| s.parse::<Status>().unwrap().group();
        assert_eq!(group("planned"), Group::Pending);
        assert_eq!(group("moved"), Group::Pending);
        assert_eq!(group("deferred"), Group::Pending);
        assert_eq!(group("referred"), Group::Pending);
        assert_eq!(group("passed"), Group::Passed);
        assert_eq!(group("passed-amended"), Group::Passed);
        assert_eq!(group("rejected"), Group::Rejected);
        assert_eq!(group("withdrawn"), Group::Dropped);
        assert_eq!(group("ruled-out"), Group::Dropped);
        assert_eq!(Group::of(None), Group::None);
    }
}
