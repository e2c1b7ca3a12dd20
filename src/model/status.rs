//! The statuses of the contract, their aliases and the groups tallies count them in.

use std::fmt;
use std::str::FromStr;

use super::words::{UnknownWord, normalise_word};

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

    /// More words and phrases forms use for this status, understood but not listed.
    fn more_words(self) -> &'static [&'static str] {
        match self {
            Status::Planned => &[
                "scheduled",
                "on-agenda",
                "on-the-agenda",
                "notice-of-motion",
                "to-be-moved",
                "will-be-moved",
                "submitted-for-next-meeting",
            ],
            Status::Moved => &[
                "debated",
                "discussed",
                "proposed",
                "moved-and-seconded",
                "moved-no-decision",
                "heard",
            ],
            Status::Deferred => &[
                "held-over",
                "carried-over",
                "carried-forward",
                "deferred-to-next-meeting",
                "next-meeting",
                "ran-out-of-time",
                "out-of-time",
                "not-heard",
                "not-discussed",
                "not-debated",
                "delayed",
                "put-off",
            ],
            Status::Referred => &["sent-to-executive", "sent-to-committee"],
            Status::Passed => &["approved", "accepted", "endorsed", "supported", "affirmed"],
            Status::PassedAmended => &["passed-with-amendments", "carried-with-amendments"],
            Status::Rejected => &[
                "voted-down",
                "not-passed",
                "not-agreed",
                "not-adopted",
                "not-approved",
                "not-supported",
                "failed",
                "turned-down",
                "voted-against",
                "did-not-pass",
            ],
            Status::Withdrawn => &["pulled", "withdrawn-by-mover"],
            Status::RuledOut => &[
                "not-in-order",
                "disallowed",
                "not-allowed",
                "not-competent",
                "ruled-not-competent",
            ],
        }
    }

    /// Every word accepted for a status, with the status's own word.
    fn every_word() -> impl Iterator<Item = (&'static str, &'static str)> {
        Status::ALL.into_iter().flat_map(|status| {
            std::iter::once(status.as_str())
                .chain(status.aliases().iter().copied())
                .chain(status.more_words().iter().copied())
                .map(move |word| (word, status.as_str()))
        })
    }

    /// The status a form's answer says, read as people write them: "Carried unanimously",
    /// "Passed with amendments", "Motion fell", "Referred to the EC/GC", "Ruled out of order by
    /// the chair". `key` is normalised ([`normalise_word`]).
    fn understand(key: &str) -> Option<Status> {
        let known = |word: &str| {
            Status::ALL.into_iter().find(|status| {
                status.as_str() == word
                    || status.aliases().contains(&word)
                    || status.more_words().contains(&word)
            })
        };
        if let Some(status) = known(key) {
            return Some(status);
        }
        // How it was carried or lost, and who did it, say nothing about what happened.
        let mut plain = format!("-{key}-");
        for phrase in PHRASES_SAYING_NOTHING {
            let phrase = format!("-{phrase}-");
            while let Some(at) = plain.find(&phrase) {
                plain.replace_range(at..at + phrase.len(), "-");
            }
        }
        let words: Vec<&str> = plain
            .split('-')
            .filter(|word| !word.is_empty() && !WORDS_SAYING_NOTHING.contains(word))
            .collect();
        if let Some(status) = known(&words.join("-")) {
            return Some(status);
        }
        let first = *words.first()?;
        match first {
            "referred" | "remitted" => return Some(Status::Referred),
            "withdrawn" => return Some(Status::Withdrawn),
            "ruled" if words.get(1) == Some(&"out") => return Some(Status::RuledOut),
            _ => {}
        }
        // Put off to a later meeting: "deferred to the next meeting", "held over until May".
        let put_off = match words.as_slice() {
            ["deferred" | "postponed" | "adjourned", rest @ ..] => Some(rest),
            ["held" | "carried", "over" | "forward", rest @ ..] => Some(rest),
            ["put", "off", rest @ ..] => Some(rest),
            _ => None,
        };
        if let Some(rest) = put_off
            && matches!(rest.first(), None | Some(&("to" | "until" | "till")))
        {
            return Some(Status::Deferred);
        }
        // Passed with amendments, agreed as amended, amended and carried, amendment accepted...
        if words.iter().any(|word| word.starts_with("amend")) {
            let rest: Vec<&str> = words
                .iter()
                .copied()
                .filter(|word| !word.starts_with("amend") && !AMENDMENT_LINKS.contains(word))
                .collect();
            if let [verb] = rest.as_slice()
                && known(verb) == Some(Status::Passed)
            {
                return Some(Status::PassedAmended);
            }
        }
        None
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

/// Phrases that say how a motion was carried or lost, or who did it, and nothing about what
/// happened: left out when reading a status.
const PHRASES_SAYING_NOTHING: [&str; 16] = [
    "nem-con",
    "nemine-contradicente",
    "by-acclamation",
    "on-a-show-of-hands",
    "by-a-large-majority",
    "by-a-big-majority",
    "by-a-majority",
    "by-a-large-margin",
    "by-the-chair",
    "by-chair",
    "by-the-mover",
    "by-mover",
    "without-dissent",
    "without-opposition",
    "without-a-vote",
    "as-written",
];

/// Words that say nothing about what happened.
const WORDS_SAYING_NOTHING: [&str; 23] = [
    "the",
    "motion",
    "was",
    "were",
    "is",
    "has",
    "been",
    "it",
    "this",
    "unanimously",
    "unanimous",
    "overwhelmingly",
    "heavily",
    "narrowly",
    "comfortably",
    "easily",
    "clearly",
    "convincingly",
    "resoundingly",
    "emphatically",
    "overwhelming",
    "successfully",
    "formally",
];

/// The words that join "amended" to a verb: "passed with amendments", "agreed as amended".
const AMENDMENT_LINKS: [&str; 11] = [
    "with",
    "as",
    "and",
    "after",
    "following",
    "an",
    "a",
    "one",
    "some",
    "minor",
    "friendly",
];

impl FromStr for Status {
    type Err = UnknownWord;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let key = normalise_word(s);
        if let Some(status) = Status::understand(&key) {
            return Ok(status);
        }
        let mut err = UnknownWord::new("status", s, Status::valid_list(), Status::every_word());
        if matches!(
            key.as_str(),
            "not-moved" | "not-yet-moved" | "motion-not-moved"
        ) {
            err.hint = ": a body that has not moved it is counted as not moved already, so there \
                        is nothing to record (if it was on the agenda but not reached, it was \
                        deferred)"
                .to_string();
            err.valid = String::new();
        }
        Err(err)
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
    fn forms_phrasings_are_understood() {
        let status = |s: &str| s.parse::<Status>().unwrap_or_else(|e| panic!("{s}: {e}"));
        for (said, meant) in [
            ("Carried unanimously", Status::Passed),
            ("Passed unanimously", Status::Passed),
            ("carried nem. con.", Status::Passed),
            ("Motion carried", Status::Passed),
            ("The motion was passed", Status::Passed),
            ("Approved", Status::Passed),
            ("Passed with amendments", Status::PassedAmended),
            ("Agreed as amended", Status::PassedAmended),
            ("Carried (with an amendment)", Status::PassedAmended),
            ("Amended and carried", Status::PassedAmended),
            ("Passed, with one friendly amendment", Status::PassedAmended),
            ("Fell", Status::Rejected),
            ("Voted down", Status::Rejected),
            ("Heavily defeated", Status::Rejected),
            ("NOT CARRIED", Status::Rejected),
            ("Referred to the EC/GC", Status::Referred),
            ("Referred back", Status::Referred),
            ("Tabled", Status::Moved),
            ("Ruled out of order", Status::RuledOut),
            ("Ruled out of order by the chair", Status::RuledOut),
            ("Withdrawn by the mover", Status::Withdrawn),
            ("Not reached", Status::Deferred),
            ("Held over to the next meeting", Status::Deferred),
            ("Carried over", Status::Deferred),
            ("  notice   given ", Status::Planned),
        ] {
            assert_eq!(status(said), meant, "{said}");
        }
        // Words that change the meaning are not dropped.
        assert!("rejected with amendments".parse::<Status>().is_err());
        assert!("carried over the amendment".parse::<Status>().is_err());
    }

    #[test]
    fn not_moved_records_nothing_and_says_why() {
        let err = "Not moved".parse::<Status>().unwrap_err().to_string();
        assert!(
            err.contains("counted as not moved already, so there is nothing to record"),
            "{err}"
        );
        assert!(err.contains("deferred"), "{err}");
    }

    #[test]
    fn a_slip_gets_a_suggestion() {
        let err = |s: &str| s.parse::<Status>().unwrap_err().to_string();
        assert!(
            err("pased").starts_with(
                "unknown status \"pased\"; did you mean \"passed\"? Use one of: planned,"
            ),
            "{}",
            err("pased")
        );
        assert!(err("rejectd").contains("did you mean \"rejected\"?"));
        assert!(err("defered").contains("did you mean \"deferred\"?"));
        assert!(
            err("carreid").contains("did you mean \"passed\"?"),
            "{}",
            err("carreid")
        );
        assert!(!err("banana").contains("did you mean"), "{}", err("banana"));
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
