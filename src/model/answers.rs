//! A form's own answers for a status or a kind, and what each means: `import --value
//! "status:Carried nem con=passed"`, so a form export is read as it is, without editing the
//! sheet. An answer may also mean "leave this row out" (`=-`).

use std::str::FromStr;

use super::words::{normalise_word, visible};
use super::{Kind, Status};

/// What a form's answer means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Meaning<T> {
    Means(T),
    /// The row is left out of the import.
    LeaveOut,
}

/// One `--value`: the column it is for, the answer as the form writes it (normalised as
/// statuses and kinds are, so case, spaces and punctuation do not matter) and what it means.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Answer {
    Status(String, Meaning<Status>),
    Kind(String, Meaning<Kind>),
}

/// Why a `--value` cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub(crate) struct BadAnswer(String);

const FORM: &str = "give it as \"status:THEIR WORDS=STATUS\" or \"kind:THEIR WORDS=KIND\" (\"=-\" \
                    leaves such rows out)";

impl FromStr for Answer {
    type Err = BadAnswer;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = |why: String| BadAnswer(format!("--value \"{}\": {why}", visible(s)));
        let Some((column, rest)) = s.split_once(':') else {
            return Err(bad(format!("no column before a ':'; {FORM}")));
        };
        let Some((said, meant)) = rest.rsplit_once('=') else {
            return Err(bad(format!("no '=' before what it means; {FORM}")));
        };
        let key = normalise_word(said);
        if key.is_empty() {
            return Err(bad(format!("no answer before the '='; {FORM}")));
        }
        let meant = meant.trim();
        fn meaning<T: FromStr>(meant: &str) -> Result<Meaning<T>, T::Err> {
            match meant {
                "-" => Ok(Meaning::LeaveOut),
                _ => meant.parse().map(Meaning::Means),
            }
        }
        match normalise_word(column).as_str() {
            "status" => meaning::<Status>(meant)
                .map(|m| Answer::Status(key, m))
                .map_err(|err| bad(err.to_string())),
            "kind" => meaning::<Kind>(meant)
                .map(|m| Answer::Kind(key, m))
                .map_err(|err| bad(err.to_string())),
            _ => Err(bad(format!(
                "\"{}\" is not a column whose answers can be mapped; {FORM}",
                visible(column.trim())
            ))),
        }
    }
}

/// Every `--value` of an import.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Answers(pub(crate) Vec<Answer>);

impl Answers {
    /// What a form's status answer means, when a `--value` says.
    pub(crate) fn status(&self, said: &str) -> Option<Meaning<Status>> {
        let key = normalise_word(said);
        self.0.iter().find_map(|answer| match answer {
            Answer::Status(k, meaning) if *k == key => Some(*meaning),
            _ => None,
        })
    }

    /// What a form's kind answer means, when a `--value` says.
    pub(crate) fn kind(&self, said: &str) -> Option<Meaning<Kind>> {
        let key = normalise_word(said);
        self.0.iter().find_map(|answer| match answer {
            Answer::Kind(k, meaning) if *k == key => Some(*meaning),
            _ => None,
        })
    }

    /// Reads a status cell: through the `--value`s, else as any status is read.
    pub(crate) fn read_status(&self, said: &str) -> Result<Meaning<Status>, String> {
        match self.status(said) {
            Some(meaning) => Ok(meaning),
            None => said.parse().map(Meaning::Means).map_err(|err| {
                format!(
                    "{err} (or say what the form means by it: --value \"status:{}=STATUS\", \
                     or --value \"status:{}=-\" to leave such rows out)",
                    visible(said.trim()),
                    visible(said.trim())
                )
            }),
        }
    }

    /// Reads a kind cell: through the `--value`s, else as any kind is read.
    pub(crate) fn read_kind(&self, said: &str) -> Result<Meaning<Kind>, String> {
        match self.kind(said) {
            Some(meaning) => Ok(meaning),
            None => said.parse().map(Meaning::Means).map_err(|err| {
                format!(
                    "{err} (or say what the form means by it: --value \"kind:{}=KIND\")",
                    visible(said.trim())
                )
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_forms_answers_are_read_as_it_means_them() {
        let answers = Answers(vec![
            "status:Yes - it passed!=passed".parse().unwrap(),
            "status: Not moved = -".parse().unwrap(),
            "Kind:Ward=labour-branch".parse().unwrap(),
            "status:x=y=carried as amended".parse().unwrap(),
        ]);
        assert_eq!(
            answers.read_status("YES, it passed"),
            Ok(Meaning::Means(Status::Passed))
        );
        assert_eq!(answers.read_status("not moved"), Ok(Meaning::LeaveOut));
        assert_eq!(
            answers.read_status("x=y"),
            Ok(Meaning::Means(Status::PassedAmended))
        );
        assert_eq!(
            answers.read_status("carried"),
            Ok(Meaning::Means(Status::Passed))
        );
        assert_eq!(
            answers.read_kind("ward"),
            Ok(Meaning::Means(Kind::LabourBranch))
        );
        let err = answers.read_status("Maybe").unwrap_err();
        assert!(
            err.ends_with(
                "(or say what the form means by it: --value \"status:Maybe=STATUS\", or --value \"status:Maybe=-\" to leave such rows out)"
            ),
            "{err}"
        );
    }

    #[test]
    fn a_bad_value_says_how_to_write_it() {
        let err = |s: &str| s.parse::<Answer>().unwrap_err().to_string();
        assert!(err("Carried=passed").contains("no column before a ':'"));
        assert!(err("status:Carried").contains("no '=' before what it means"));
        assert!(err("status:=passed").contains("no answer before the '='"));
        assert!(err("region:Lond=London").contains("\"region\" is not a column"));
        assert!(err("status:Yes=won").contains("unknown status \"won\""));
        assert!(err("kind:Ward=wrd").contains("unknown kind \"wrd\""));
    }
}
