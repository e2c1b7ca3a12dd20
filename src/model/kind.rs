//! The kinds of organisation of the contract and their aliases.

use std::fmt;
use std::str::FromStr;

use super::words::{UnknownWord, normalise_word, visible};

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
        Kind::ALL
            .into_iter()
            .find(|kind| kind.as_str() == word || kind.aliases().contains(&word.as_str()))
            .ok_or_else(|| UnknownWord {
                what: "kind",
                given: visible(s.trim()),
                valid: Kind::ALL.map(Kind::as_str).join(", "),
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
    fn unknown_kind_lists_the_valid_ones() {
        let err = "society".parse::<Kind>().unwrap_err().to_string();
        assert_eq!(
            err,
            "unknown kind \"society\"; use one of: clp, labour-branch, momentum-group, \
             union-branch, trades-council, other"
        );
    }
}
