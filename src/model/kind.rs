//! The kinds of organisation of the contract and their aliases.

use std::fmt;
use std::str::FromStr;

use super::words::{UnknownWord, normalise_word};

/// What sort of body an organisation is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum Kind {
    Clp,
    LabourBranch,
    MomentumGroup,
    UnionBranch,
    TradesCouncil,
    Other,
}

impl Kind {
    pub(crate) const ALL: [Kind; 6] = [
        Kind::Clp,
        Kind::LabourBranch,
        Kind::MomentumGroup,
        Kind::UnionBranch,
        Kind::TradesCouncil,
        Kind::Other,
    ];

    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Kind::Clp => "clp",
            Kind::LabourBranch => "labour-branch",
            Kind::MomentumGroup => "momentum-group",
            Kind::UnionBranch => "union-branch",
            Kind::TradesCouncil => "trades-council",
            Kind::Other => "other",
        }
    }

    pub(crate) fn aliases(self) -> &'static [&'static str] {
        match self {
            Kind::Clp => &["constituency-labour-party"],
            Kind::LabourBranch => &["branch", "ward", "labour"],
            Kind::MomentumGroup => &["momentum"],
            Kind::UnionBranch => &["union"],
            Kind::TradesCouncil => &["trades-union-council", "tuc"],
            Kind::Other => &[],
        }
    }

    /// More words forms use for this kind, understood but not listed.
    fn more_words(self) -> &'static [&'static str] {
        match self {
            Kind::Clp => &["constituency", "constituency-party", "constituency-labour"],
            Kind::LabourBranch => &[
                "ward-branch",
                "branch-labour-party",
                "blp",
                "labour-party-branch",
                "local-branch",
                "ward-labour-party",
            ],
            Kind::MomentumGroup => &["momentum-branch", "momentum-local-group", "local-group"],
            Kind::UnionBranch => &[
                "trade-union",
                "trade-union-branch",
                "trades-union-branch",
                "tu-branch",
                "trade-union-chapel",
                "chapel",
            ],
            Kind::TradesCouncil => &["trade-union-council", "trade-council"],
            Kind::Other => &["other-body", "organisation", "organization", "campaign"],
        }
    }

    /// How the kind reads in a sentence, for `count` of them ("83 CLPs", "1 union branch").
    pub(crate) fn noun(self, count: u64) -> &'static str {
        let one = count == 1;
        match self {
            Kind::Clp if one => "CLP",
            Kind::Clp => "CLPs",
            Kind::LabourBranch if one => "Labour branch",
            Kind::LabourBranch => "Labour branches",
            Kind::MomentumGroup if one => "Momentum group",
            Kind::MomentumGroup => "Momentum groups",
            Kind::UnionBranch if one => "union branch",
            Kind::UnionBranch => "union branches",
            Kind::TradesCouncil if one => "trades council",
            Kind::TradesCouncil => "trades councils",
            Kind::Other if one => "other body",
            Kind::Other => "other bodies",
        }
    }

    /// The kind as a heading or a label in a report ("CLP", "Labour branch").
    pub(crate) fn label(self) -> String {
        let noun = self.noun(1);
        let mut chars = noun.chars();
        chars.next().map_or(String::new(), |first| {
            first.to_uppercase().chain(chars).collect()
        })
    }

    /// Only union bodies belong to a union.
    pub(crate) fn may_have_union(self) -> bool {
        matches!(self, Kind::UnionBranch | Kind::TradesCouncil | Kind::Other)
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Kind {
    type Err = UnknownWord;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let word = normalise_word(s);
        let words = |kind: Kind| {
            std::iter::once(kind.as_str())
                .chain(kind.aliases().iter().copied())
                .chain(kind.more_words().iter().copied())
        };
        Kind::ALL
            .into_iter()
            .find(|kind| words(*kind).any(|known| known == word))
            .ok_or_else(|| {
                let every = Kind::ALL
                    .into_iter()
                    .flat_map(|kind| words(kind).map(move |known| (known, kind.as_str())));
                UnknownWord::new("kind", s, Kind::ALL.map(Kind::as_str).join(", "), every)
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_canonical_word_and_alias_parses() {
        for kind in Kind::ALL {
            assert_eq!(kind.as_str().parse::<Kind>().unwrap(), kind);
            for alias in kind.aliases() {
                assert_eq!(alias.parse::<Kind>().unwrap(), kind, "alias {alias}");
            }
        }
        assert_eq!(
            "Constituency Labour Party".parse::<Kind>().unwrap(),
            Kind::Clp
        );
        assert_eq!("TUC".parse::<Kind>().unwrap(), Kind::TradesCouncil);
        assert_eq!(
            "Momentum_Group".parse::<Kind>().unwrap(),
            Kind::MomentumGroup
        );
        assert_eq!("Ward".parse::<Kind>().unwrap(), Kind::LabourBranch);
    }

    #[test]
    fn forms_words_for_kinds_are_understood_and_slips_get_a_suggestion() {
        assert_eq!("Trade Union".parse::<Kind>().unwrap(), Kind::UnionBranch);
        assert_eq!("Ward branch".parse::<Kind>().unwrap(), Kind::LabourBranch);
        assert_eq!(
            "Trades Union Council".parse::<Kind>().unwrap(),
            Kind::TradesCouncil
        );
        let err = "Momentun".parse::<Kind>().unwrap_err().to_string();
        assert!(
            err.starts_with(
                "unknown kind \"Momentun\"; did you mean \"momentum-group\"? Use one of: clp,"
            ),
            "{err}"
        );
        let err = "labour brunch".parse::<Kind>().unwrap_err().to_string();
        assert!(err.contains("did you mean \"labour-branch\"?"), "{err}");
    }

    #[test]
    fn unknown_kind_lists_the_valid_ones() {
        let err = "society".parse::<Kind>().unwrap_err().to_string();
        assert_eq!(
            err,
            "unknown kind \"society\"; use one of: clp, labour-branch, momentum-group, \
             union-branch, trades-council, other"
        );
    }
}
