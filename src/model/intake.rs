//! The web intake's domain: reporters' links, their tokens, and the reports sent through them.
//!
//! A link's token is a capability: whoever holds it may report. It is made from 256 random
//! bits from the operating system and shown once; only its SHA-256 is kept, so a copy of the
//! database gives nobody a working link.

use std::fmt;
use std::str::FromStr;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::NaiveDate;
use sha2::{Digest, Sha256};

use super::{Status, Votes};

/// How many random bytes a token holds (256 bits; the contract asks for at least 128).
const TOKEN_BYTES: usize = 32;

/// A link's secret, as it appears in the link: URL-safe base64 without padding.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct Token(String);

impl Token {
    /// A new token from the operating system's random source.
    pub(crate) fn new() -> anyhow::Result<Token> {
        let mut bytes = [0u8; TOKEN_BYTES];
        getrandom::fill(&mut bytes).map_err(|err| {
            anyhow::anyhow!("the operating system gave no random bytes for the link: {err}")
        })?;
        Ok(Token(URL_SAFE_NO_PAD.encode(bytes)))
    }

    /// A token as a link or an `Authorization` header carries it; `None` when it cannot be
    /// one (wrong length or characters), so nothing is looked up for it.
    pub(crate) fn parse(text: &str) -> Option<Token> {
        let decoded = URL_SAFE_NO_PAD.decode(text.as_bytes()).ok()?;
        (decoded.len() == TOKEN_BYTES).then(|| Token(text.to_string()))
    }

    /// What the database keeps: the SHA-256 of the token, in lower-case hex.
    pub(crate) fn hash(&self) -> TokenHash {
        let digest = Sha256::digest(self.0.as_bytes());
        let mut hex = String::with_capacity(64);
        for byte in digest {
            hex.push_str(&format!("{byte:02x}"));
        }
        TokenHash(hex)
    }

    pub(crate) fn as_str(&self) -> &str {
        &self.0
    }
}

/// Never shown by `{:?}`: a token in a log or an error message would be a working link.
impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Token(..)")
    }
}

/// The SHA-256 of a token, as the database keeps it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct TokenHash(pub(crate) String);

/// A person holding a link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Reporter {
    pub(crate) id: i64,
    pub(crate) name: String,
    /// The organisations the link may report for; `None` when it may report for any.
    pub(crate) orgs: Option<Vec<ScopeItem>>,
    /// The motions the link may report on; `None` when it may report on any.
    pub(crate) motions: Option<Vec<ScopeItem>>,
    /// Reports are recorded at once, without review.
    pub(crate) trusted: bool,
    /// May review reports and see the coordinator's page.
    pub(crate) coordinator: bool,
    /// The last day the link works.
    pub(crate) expires: Option<NaiveDate>,
    pub(crate) revoked_at: Option<String>,
    pub(crate) created_at: String,
    pub(crate) last_used: Option<String>,
}

/// An organisation or motion a link is limited to: its id, and its name or slug.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ScopeItem {
    pub(crate) id: i64,
    pub(crate) name: String,
}

/// Why a link does not work.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Dead {
    Revoked,
    Expired,
}

impl Reporter {
    /// Why the link does not work on `today`, if it does not.
    pub(crate) fn dead(&self, today: NaiveDate) -> Option<Dead> {
        if self.revoked_at.is_some() {
            Some(Dead::Revoked)
        } else if self.expires.is_some_and(|last| today > last) {
            Some(Dead::Expired)
        } else {
            None
        }
    }

    /// True when the link may report for the organisation with this id.
    pub(crate) fn may_report_for(&self, org_id: i64) -> bool {
        self.orgs
            .as_ref()
            .is_none_or(|orgs| orgs.iter().any(|o| o.id == org_id))
    }

    /// True when the link may report on the motion with this id.
    pub(crate) fn may_report_on(&self, motion_id: i64) -> bool {
        self.motions
            .as_ref()
            .is_none_or(|motions| motions.iter().any(|m| m.id == motion_id))
    }
}

/// Where a report stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum SubmissionState {
    /// Waiting for a coordinator: not in the history, not counted.
    AwaitingReview,
    /// Recorded as an outcome.
    Recorded,
    /// Turned down by a coordinator, with a reason.
    Rejected,
}

impl SubmissionState {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            SubmissionState::AwaitingReview => "awaiting-review",
            SubmissionState::Recorded => "recorded",
            SubmissionState::Rejected => "rejected",
        }
    }
}

impl fmt::Display for SubmissionState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for SubmissionState {
    type Err = SubmissionStateError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "awaiting-review" => Ok(SubmissionState::AwaitingReview),
            "recorded" => Ok(SubmissionState::Recorded),
            "rejected" => Ok(SubmissionState::Rejected),
            _ => Err(SubmissionStateError),
        }
    }
}

/// A state word the schema's CHECK would not have let in.
#[derive(Debug)]
pub(crate) struct SubmissionStateError;

impl std::error::Error for SubmissionStateError {}

impl fmt::Display for SubmissionStateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("unknown submission state")
    }
}

/// A report sent through a link, as it was checked and kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Submission {
    pub(crate) id: i64,
    pub(crate) state: SubmissionState,
    pub(crate) reporter_id: i64,
    pub(crate) reporter: String,
    pub(crate) motion_id: i64,
    pub(crate) motion: String,
    pub(crate) organisation: String,
    pub(crate) status: Status,
    pub(crate) meeting_date: NaiveDate,
    pub(crate) votes: Votes,
    pub(crate) source: Option<String>,
    pub(crate) notes: Option<String>,
    pub(crate) submitted_at: String,
    pub(crate) decided_at: Option<String>,
    pub(crate) reason: Option<String>,
    pub(crate) outcome_id: Option<i64>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_is_long_url_safe_random_and_kept_only_as_a_hash() {
        let one = Token::new().unwrap();
        let two = Token::new().unwrap();
        assert_ne!(one, two);
        assert_eq!(one.as_str().len(), 43);
        assert!(
            one.as_str()
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'),
            "{}",
            one.as_str()
        );
        assert_eq!(Token::parse(one.as_str()), Some(one.clone()));
        let hash = one.hash().0;
        assert_eq!(hash.len(), 64);
        assert!(!hash.contains(one.as_str()));
        assert_eq!(format!("{one:?}"), "Token(..)");
    }

    #[test]
    fn text_that_cannot_be_a_token_is_not_one() {
        for bad in [
            "",
            "abc",
            "../../etc/passwd",
            &"A".repeat(44),
            &"A".repeat(42),
        ] {
            assert!(Token::parse(bad).is_none(), "{bad}");
        }
        assert!(Token::parse(&"A".repeat(43)).is_some());
    }
}
