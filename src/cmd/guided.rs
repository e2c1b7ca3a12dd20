//! `motions log` with no arguments on a terminal: the questions, one at a time, for someone who
//! logs an outcome once a month and remembers neither the names nor the words.

use std::cell::RefCell;
use std::io::IsTerminal;

use anyhow::Result;
use inquire::validator::Validation;
use inquire::{Confirm, InquireError, Select, Text};

use super::note;
use crate::db::Store;
use crate::model::{Kind, Motion, Status, check_meeting_date, parse_date_arg, today};
use crate::ops::record::LogRequest;
use crate::ops::registry::OrgRequest;
use crate::ops::resolve;

/// True when there is a person at a terminal to answer questions.
pub(crate) fn can_ask() -> bool {
    std::io::stdin().is_terminal() && std::io::stderr().is_terminal()
}

/// The hint under an optional question, and under one whose known answers Tab completes.
const SKIP: &str = "enter to go on, esc to skip";
const COMPLETE_OR_SKIP: &str = "↑↓ to choose, tab to complete, enter to go on, esc to skip";

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
    let motion = choose_motion(store)?;
    note(format!("Motion: {} ({})", motion.title, motion.slug));
    args.motion = Some(motion.slug.clone());

    match choose_org(store)? {
        Chosen::Registered(name) => {
            say_where_it_stands(store, &motion, &name)?;
            args.org = name;
        }
        Chosen::New(typed) => {
            let (name, details) = register(store, &typed)?;
            args.org = name;
            args.register = Some(details);
        }
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
        let typed = optional(
            Text::new("Votes for, against and abstaining (optional, e.g. 34 3 1):").with_validator(
                |text: &str| {
                    Ok(match votes(text) {
                        Ok(_) => Validation::Valid,
                        Err(err) => Validation::Invalid(err.into()),
                    })
                },
            ),
        )?;
        let [cast_for, against, abstain] =
            votes(typed.as_deref().unwrap_or("")).unwrap_or_default();
        (args.votes_for, args.votes_against, args.votes_abstain) = (cast_for, against, abstain);
    }
    args.reported_by = optional(Text::new("Who is reporting this? (optional)"))?;
    args.source = optional(Text::new(
        "Where is it recorded: a link or minutes reference? (optional)",
    ))?;
    args.notes = optional(Text::new("Anything else to note? (optional)"))?;

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

/// The answer to an optional question: `None` when it is left blank or skipped with Esc
/// (which on these questions skips the question, not the whole record).
fn optional(mut question: Text<'_, '_>) -> Result<Option<String>> {
    if question.help_message.is_none() {
        question = question.with_help_message(SKIP);
    }
    let answer = question.prompt_skippable()?;
    Ok(answer.filter(|a| !a.trim().is_empty()))
}

/// The motion: the only one, or the one chosen.
fn choose_motion(store: &mut Store) -> Result<Motion> {
    let motions = store.motions()?;
    match motions.len() {
        0 => Err(resolve::motion(store, None)
            .err()
            .unwrap_or_else(|| anyhow::anyhow!("no motions"))),
        1 => Ok(motions[0].clone()),
        _ => {
            let choices: Vec<String> = motions
                .iter()
                .map(|m| format!("{} ({})", m.title, m.slug))
                .collect();
            let chosen = Select::new("Which motion?", choices.clone()).prompt()?;
            let at = choices.iter().position(|c| *c == chosen).unwrap_or(0);
            Ok(motions[at].clone())
        }
    }
}

/// The organisation chosen: a registered one, by name, or a new one, with what was typed to
/// look for it (most often its name).
enum Chosen {
    Registered(String),
    New(String),
}

fn choose_org(store: &mut Store) -> Result<Chosen> {
    // Every name and alias, so any spelling someone remembers finds the organisation; an alias
    // shows the name it stands for, and choosing it chooses that.
    let owners = store.org_names_and_owners()?;
    let mut names = vec![NEW_ORG.to_string()];
    names.extend(owners.iter().map(|(name, owner)| match name == owner {
        true => name.clone(),
        false => format!("{name} (= {owner})"),
    }));
    // The list is scored afresh with what has been typed at every key, so the last text scored
    // is what the filter holds when the choice is made.
    let typed = RefCell::new(String::new());
    let scorer = |input: &str, option: &String, shown: &str, at: usize| {
        if *typed.borrow() != input {
            *typed.borrow_mut() = input.to_string();
        }
        keep_new_org_in_view(input, option, shown, at)
    };
    let org = Select::new("Which organisation? (type part of its name)", names)
        .with_page_size(10)
        .with_scorer(&scorer)
        .prompt()?;
    if org == NEW_ORG {
        return Ok(Chosen::New(typed.take()));
    }
    let owner = owners
        .iter()
        .find(|(name, owner)| *name == org || format!("{name} (= {owner})") == org);
    Ok(Chosen::Registered(
        owner.map_or(org, |(_, owner)| owner.clone()),
    ))
}

/// Says where the motion stands with the organisation now, before asking what happened.
fn say_where_it_stands(store: &mut Store, motion: &Motion, name: &str) -> Result<()> {
    let Some(org) = store.find_org(name)? else {
        return Ok(());
    };
    let now = match store.latest(motion.id, org.id)? {
        Some(latest) => format!(
            "{} on {} (event {})",
            latest.status,
            latest.meeting_date.format("%-d %B %Y"),
            latest.id
        ),
        None => "not yet moved".to_string(),
    };
    note(format!("Where it stands with {}: {now}", org.name));
    Ok(())
}

/// The name and details of an organisation to register, starting from what was typed.
fn register(store: &mut Store, typed: &str) -> Result<(String, OrgRequest)> {
    let name = Text::new("Its name:")
        .with_initial_value(typed.trim())
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
    let region = optional(
        Text::new("Its region (optional):")
            .with_autocomplete(Suggest(regions))
            .with_help_message(COMPLETE_OR_SKIP),
    )?;
    let mut details = OrgRequest {
        kind: Some(kind),
        ..OrgRequest::default()
    };
    if let Some(region) = region {
        let (region, new) = place(store, &region, true)?;
        details.region = Some(region);
        details.new_region = new;
    }
    if kind == Kind::UnionBranch {
        let unions = store.values(crate::model::Dimension::Union)?;
        let union = optional(
            Text::new("Its union (optional):")
                .with_autocomplete(Suggest(unions))
                .with_help_message(COMPLETE_OR_SKIP),
        )?;
        if let Some(union) = union {
            let (union, new) = place(store, &union, false)?;
            details.union = Some(union);
            details.new_union = new;
        }
    }
    Ok((name, details))
}

/// A region (or union) as the registry spells it, checked as it is typed: a slip for one in use
/// is asked about at once ("did you mean"), not found when the record is saved. Returns the
/// value and whether it is meant as a new one.
fn place(store: &mut Store, typed: &str, region: bool) -> Result<(String, bool)> {
    let mut places = crate::ops::registry::Places::load(store)?;
    let checked = if region {
        places.region(typed, false)
    } else {
        places.union(typed, false)
    };
    let miss = match checked {
        Ok(spelled) => return Ok((spelled, false)),
        Err(miss) => miss,
    };
    let keep = format!("\"{}\", a new one", typed.trim());
    let mut choices: Vec<String> = miss.near().to_vec();
    choices.push(keep.clone());
    let chosen = Select::new(&format!("{miss} Choose:"), choices).prompt()?;
    Ok(if chosen == keep {
        (typed.trim().to_string(), true)
    } else {
        (chosen, false)
    })
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
        input: &str,
        highlighted: Option<String>,
    ) -> std::result::Result<inquire::autocompletion::Replacement, inquire::CustomUserError> {
        if highlighted.is_some() {
            return Ok(highlighted);
        }
        Ok(self.complete(input))
    }
}

impl Suggest {
    /// What Tab puts in place of `input` when no suggestion is highlighted: the one value that
    /// starts with it, or as much as all those values have in common.
    fn complete(&self, input: &str) -> Option<String> {
        let typed = input.to_lowercase();
        let matching: Vec<&String> = self
            .0
            .iter()
            .filter(|v| v.to_lowercase().starts_with(&typed))
            .collect();
        let first = matching.first()?;
        let mut common: Vec<char> = first.chars().collect();
        for other in &matching[1..] {
            let same = common
                .iter()
                .zip(other.chars())
                .take_while(|(a, b)| a.to_lowercase().eq(b.to_lowercase()))
                .count();
            common.truncate(same);
        }
        let common: String = common.into_iter().collect();
        (common.chars().count() > input.chars().count()).then_some(common)
    }
}

#[cfg(test)]
mod tests {
    use super::{Suggest, votes};

    #[test]
    fn tab_completes_the_one_match_or_what_the_matches_share() {
        let regions = Suggest(
            ["North West", "Northern", "West Midlands", "Wales"]
                .map(String::from)
                .to_vec(),
        );
        assert_eq!(regions.complete("west m").as_deref(), Some("West Midlands"));
        assert_eq!(regions.complete("nor").as_deref(), Some("North"));
        assert_eq!(
            regions.complete("North").as_deref(),
            None,
            "nothing more in common"
        );
        assert_eq!(
            regions.complete("w").as_deref(),
            None,
            "Wales and West share only W"
        );
        assert_eq!(regions.complete("x").as_deref(), None);
        assert_eq!(regions.complete("").as_deref(), None);
    }

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
