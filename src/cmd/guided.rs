//! `motions log` with no arguments on a terminal: the questions, one at a time, for someone who
//! logs an outcome once a month and remembers neither the names nor the words.

use std::io::IsTerminal;

use anyhow::Result;
use inquire::validator::Validation;
use inquire::{Confirm, InquireError, Select, Text};

use super::note;
use crate::db::Store;
use crate::model::{Kind, Status, check_meeting_date, parse_date_arg, today};
use crate::ops::record::LogRequest;
use crate::ops::registry::OrgRequest;
use crate::ops::resolve;

/// True when there is a person at a terminal to answer questions.
pub(crate) fn can_ask() -> bool {
    std::io::stdin().is_terminal() && std::io::stderr().is_terminal()
}

const NEW_ORG: &str = "+ An organisation not on the list (register it)";

/// Asks for everything `log` needs and returns the same request the flags would make; `None`
/// when the person gives up (Esc or Ctrl-C).
pub(crate) fn ask(store: &mut Store, motion: Option<&str>) -> Result<Option<LogRequest>> {
    let mut request = LogRequest {
        motion: motion.map(str::to_string),
        how_to_register: "choose \"register it\" to add it".to_string(),
        ..LogRequest::default()
    };
    match ask_inner(&mut request, store) {
        Ok(true) => Ok(Some(request)),
        Ok(false) => Ok(None),
        Err(err) => match err.downcast_ref::<InquireError>() {
            Some(InquireError::OperationCanceled) => Ok(None),
            Some(InquireError::OperationInterrupted) => {
                anyhow::bail!("interrupted; nothing recorded")
            }
            _ => Err(err),
        },
    }
}

fn ask_inner(args: &mut LogRequest, store: &mut Store) -> Result<bool> {
    let motions = store.motions()?;
    let motion = match motions.len() {
        0 => {
            return Err(resolve::motion(store, None)
                .err()
                .unwrap_or_else(|| anyhow::anyhow!("no motions")));
        }
        1 => motions[0].clone(),
        _ => {
            let choices: Vec<String> = motions
                .iter()
                .map(|m| format!("{} ({})", m.title, m.slug))
                .collect();
            let chosen = Select::new("Which motion?", choices.clone()).prompt()?;
            let at = choices.iter().position(|c| *c == chosen).unwrap_or(0);
            motions[at].clone()
        }
    };
    note(format!("Motion: {} ({})", motion.title, motion.slug));
    args.motion = Some(motion.slug.clone());

    // Every name and alias, so any spelling someone remembers finds the organisation; an alias
    // shows the name it stands for, and choosing it chooses that.
    let owners = store.org_names_and_owners()?;
    let mut names = vec![NEW_ORG.to_string()];
    names.extend(owners.iter().map(|(name, owner)| match name == owner {
        true => name.clone(),
        false => format!("{name} (= {owner})"),
    }));
    let org = Select::new("Which organisation? (type part of its name)", names)
        .with_page_size(10)
        .with_scorer(&keep_new_org_in_view)
        .prompt()?;
    if org == NEW_ORG {
        let name = Text::new("Its name:")
            .with_validator(|text: &str| {
                Ok(match crate::model::clean_name(text) {
                    Ok(_) => Validation::Valid,
                    Err(err) => Validation::Invalid(err.to_string().into()),
                })
            })
            .prompt()?;
        let kinds: Vec<String> = Kind::ALL
            .iter()
            .map(|k| format!("{} ({})", k.label(), k.as_str()))
            .collect();
        let kind = Select::new("What kind of body is it?", kinds.clone()).prompt()?;
        let kind = Kind::ALL[kinds.iter().position(|k| *k == kind).unwrap_or(0)];
        let regions = store.values(crate::model::Dimension::Region)?;
        let region = Text::new("Its region (optional):")
            .with_autocomplete(Suggest(regions))
            .prompt()?;
        let mut details = OrgRequest {
            kind: Some(kind),
            region: Some(region),
            ..OrgRequest::default()
        };
        if kind.may_have_union() && kind == Kind::UnionBranch {
            let unions = store.values(crate::model::Dimension::Union)?;
            details.union = Some(
                Text::new("Its union:")
                    .with_autocomplete(Suggest(unions))
                    .prompt()?,
            );
        }
        args.org = name;
        args.register = Some(details);
    } else {
        let owner = owners
            .iter()
            .find(|(name, owner)| *name == org || format!("{name} (= {owner})") == org);
        args.org = owner.map_or(org, |(_, owner)| owner.clone());
    }

    let statuses: Vec<String> = Status::ALL
        .iter()
        .map(|s| format!("{} — {}", s.as_str(), s.meaning()))
        .collect();
    let chosen = Select::new("What happened?", statuses.clone())
        .with_page_size(9)
        .prompt()?;
    let status = Status::ALL[statuses.iter().position(|s| *s == chosen).unwrap_or(0)];
    args.status = Some(status);

    let date = Text::new("Date of the meeting:")
        .with_default(&today().format("%d/%m/%Y").to_string())
        .with_help_message("DD/MM/YYYY or YYYY-MM-DD; today or yesterday")
        .with_validator(move |text: &str| {
            Ok(
                match parse_date_arg(text)
                    .map_err(|e| e.to_string())
                    .and_then(|d| check_meeting_date(d, status).map_err(|e| e.to_string()))
                {
                    Ok(()) => Validation::Valid,
                    Err(err) => Validation::Invalid(err.into()),
                },
            )
        })
        .prompt()?;
    args.meeting_date = Some(parse_date_arg(&date)?);

    if status.is_decision() {
        let typed = Text::new("Votes for, against and abstaining (optional, e.g. 34 3 1):")
            .with_validator(|text: &str| {
                Ok(match votes(text) {
                    Ok(_) => Validation::Valid,
                    Err(err) => Validation::Invalid(err.into()),
                })
            })
            .prompt()?;
        let [cast_for, against, abstain] = votes(&typed).unwrap_or_default();
        (args.votes_for, args.votes_against, args.votes_abstain) = (cast_for, against, abstain);
    }
    let by = Text::new("Who is reporting this? (optional)").prompt()?;
    args.reported_by = Some(by).filter(|b| !b.trim().is_empty());
    let source =
        Text::new("Where is it recorded: a link or minutes reference? (optional)").prompt()?;
    args.source = Some(source).filter(|s| !s.trim().is_empty());

    let votes_said = match (args.votes_for, args.votes_against, args.votes_abstain) {
        (Some(f), Some(a), Some(x)) => format!(", {f} for, {a} against and {x} abstaining"),
        (Some(f), Some(a), None) => format!(", {f} for and {a} against"),
        (Some(f), None, _) => format!(", {f} for"),
        _ => String::new(),
    };
    let day = args.meeting_date.unwrap_or_else(today);
    let question = format!(
        "Record: {} {} {} on {}{votes_said}?",
        args.org,
        status,
        motion.slug,
        day.format("%-d %B %Y")
    );
    Ok(Confirm::new(&question).with_default(true).prompt()?)
}

/// Filters the organisations by what has been typed (case and accents aside), always keeping
/// the choice to register a new one in view.
fn keep_new_org_in_view(typed: &str, option: &String, _: &str, _: usize) -> Option<i64> {
    if option == NEW_ORG {
        return Some(0);
    }
    let typed = crate::model::name_key(typed);
    let name = crate::model::name_key(option);
    let at = name.find(&typed)?;
    Some(1_000_000 - at as i64 * 1000 - name.len() as i64)
}

/// Up to three vote counts from "34 3 1" (spaces, commas or slashes between).
fn votes(text: &str) -> std::result::Result<[Option<i64>; 3], String> {
    let numbers: Vec<&str> = text
        .split([' ', ',', '/'])
        .filter(|p| !p.is_empty())
        .collect();
    if numbers.len() > 3 {
        return Err("at most three numbers: for, against, abstaining".to_string());
    }
    let mut votes = [None; 3];
    for (slot, number) in votes.iter_mut().zip(numbers) {
        match number.parse::<u32>() {
            Ok(n) => *slot = Some(i64::from(n)),
            Err(_) => return Err(format!("\"{number}\" is not a number of votes")),
        }
    }
    Ok(votes)
}

/// Suggests the known values that start with what has been typed.
#[derive(Clone)]
struct Suggest(Vec<String>);

impl inquire::Autocomplete for Suggest {
    fn get_suggestions(
        &mut self,
        input: &str,
    ) -> std::result::Result<Vec<String>, inquire::CustomUserError> {
        let typed = input.to_lowercase();
        Ok(self
            .0
            .iter()
            .filter(|v| v.to_lowercase().starts_with(&typed))
            .cloned()
            .collect())
    }

    fn get_completion(
        &mut self,
        _input: &str,
        highlighted: Option<String>,
    ) -> std::result::Result<inquire::autocompletion::Replacement, inquire::CustomUserError> {
        Ok(highlighted)
    }
}

#[cfg(test)]
mod tests {
    use super::votes;

    #[test]
    fn votes_are_read_leniently() {
        assert_eq!(votes("34 3 1"), Ok([Some(34), Some(3), Some(1)]));
        assert_eq!(votes("34, 3"), Ok([Some(34), Some(3), None]));
        assert_eq!(votes(""), Ok([None, None, None]));
        assert!(votes("many").is_err());
        assert!(
            votes("30 -2 1").is_err(),
            "a minus sign is not read as a separator"
        );
        assert!(votes("1 2 3 4").is_err());
    }
}
