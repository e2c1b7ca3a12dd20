//! The paragraph a press officer would write: who has passed the motion, out of how many, who
//! rejected it and how many have it under way, in words.

use chrono::NaiveDate;

use super::{Group, Kind, StatusCounts};

/// How the summary is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Style {
    Plain,
    Markdown,
}

/// "1 March 2019".
fn long_date(date: NaiveDate) -> String {
    date.format("%-d %B %Y").to_string()
}

/// The summary of a motion's tally by kind, as things stood at the end of `as_of`.
pub(crate) fn summary(
    title: &str,
    as_of: NaiveDate,
    by_kind: &[(Kind, StatusCounts)],
    style: Style,
) -> String {
    let title = match style {
        Style::Plain => format!("\u{201c}{title}\u{201d}"),
        Style::Markdown => format!("*{}*", escape_markdown(title)),
    };
    let total = |group: Group| {
        by_kind
            .iter()
            .map(|(_, counts)| counts.group(group))
            .sum::<u64>()
    };
    let registered: u64 = by_kind.iter().map(|(_, counts)| counts.registered()).sum();
    let mut text = format!("As of {}, {title} ", long_date(as_of));
    let passes: Vec<String> = by_kind
        .iter()
        .filter(|(_, counts)| counts.group(Group::Passed) > 0)
        .map(|(kind, counts)| {
            let passed = counts.group(Group::Passed);
            if *kind == Kind::Clp {
                let share = 100.0 * passed as f64 / counts.registered() as f64;
                format!(
                    "{passed} of {} {} ({share:.1}%)",
                    counts.registered(),
                    kind.noun(counts.registered())
                )
            } else {
                format!("{passed} {}", kind.noun(passed))
            }
        })
        .collect();
    if passes.is_empty() {
        match registered {
            0 => text.push_str("has not been taken up yet: no organisations are registered"),
            1 => text.push_str("has not yet been passed by the 1 registered organisation"),
            n => text.push_str(&format!(
                "has not yet been passed by any of the {n} registered organisations"
            )),
        }
    } else {
        text.push_str(&format!("has been passed by {}", join(&passes)));
    }
    let rejected = total(Group::Rejected);
    if rejected > 0 {
        text.push_str(&format!("; rejected by {rejected}"));
    }
    let pending = total(Group::Pending);
    if pending > 0 {
        let more = if passes.is_empty() && rejected == 0 {
            ""
        } else {
            " more"
        };
        let verb = if pending == 1 { "has" } else { "have" };
        text.push_str(&format!("; {pending}{more} {verb} it under way"));
    }
    let dropped = total(Group::Dropped);
    if dropped > 0 {
        text.push_str(&format!(
            "; {dropped} withdrew it or had it ruled out of order"
        ));
    }
    text.push('.');
    text
}

/// "a", "a and b", "a, b and c".
fn join(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [only] => only.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

fn escape_markdown(text: &str) -> String {
    text.chars()
        .flat_map(|c| {
            let escape = matches!(c, '\\' | '*' | '_' | '`' | '[' | ']' | '<' | '>' | '#');
            escape.then_some('\\').into_iter().chain(std::iter::once(c))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Status;

    fn counts(
        passed: u64,
        amended: u64,
        rejected: u64,
        pending: u64,
        dropped: u64,
        none: u64,
    ) -> StatusCounts {
        let mut counts = StatusCounts::default();
        counts.add(Some(Status::Passed), passed);
        counts.add(Some(Status::PassedAmended), amended);
        counts.add(Some(Status::Rejected), rejected);
        counts.add(Some(Status::Deferred), pending);
        counts.add(Some(Status::Withdrawn), dropped);
        counts.add(None, none);
        counts
    }

    fn day() -> NaiveDate {
        NaiveDate::from_ymd_opt(2019, 3, 1).unwrap()
    }

    #[test]
    fn the_press_officers_paragraph() {
        let by_kind = [
            (Kind::Clp, counts(80, 3, 10, 25, 0, 532)),
            (Kind::LabourBranch, counts(120, 0, 2, 5, 0, 300)),
            (Kind::MomentumGroup, counts(9, 0, 0, 0, 0, 1)),
            (Kind::UnionBranch, counts(41, 0, 0, 0, 0, 10)),
            (Kind::TradesCouncil, counts(0, 0, 0, 0, 0, 4)),
        ];
        assert_eq!(
            summary(
                "Oppose the attempted coup in Venezuela",
                day(),
                &by_kind,
                Style::Markdown
            ),
            "As of 1 March 2019, *Oppose the attempted coup in Venezuela* has been passed by 83 of \
             650 CLPs (12.8%), 120 Labour branches, 9 Momentum groups and 41 union branches; \
             rejected by 12; 30 more have it under way."
        );
    }

    #[test]
    fn counts_of_one_read_in_the_singular() {
        let by_kind = [
            (Kind::Clp, counts(1, 0, 1, 1, 1, 0)),
            (Kind::LabourBranch, counts(1, 0, 0, 0, 0, 0)),
            (Kind::Other, counts(0, 1, 0, 0, 0, 0)),
        ];
        assert_eq!(
            summary("Save our NHS", day(), &by_kind, Style::Plain),
            "As of 1 March 2019, \u{201c}Save our NHS\u{201d} has been passed by 1 of 4 CLPs (25.0%), \
             1 Labour branch and 1 other body; rejected by 1; 1 more has it under way; 1 withdrew \
             it or had it ruled out of order."
        );
    }

    #[test]
    fn nothing_yet() {
        let none = [(Kind::Clp, counts(0, 0, 0, 0, 0, 650))];
        assert_eq!(
            summary("M", day(), &none, Style::Plain),
            "As of 1 March 2019, \u{201c}M\u{201d} has not yet been passed by any of the 650 registered organisations."
        );
        let under_way = [(Kind::Clp, counts(0, 0, 0, 2, 0, 648))];
        assert!(
            summary("M", day(), &under_way, Style::Plain)
                .ends_with("organisations; 2 have it under way.")
        );
        assert!(
            summary("M", day(), &[], Style::Plain)
                .ends_with("has not been taken up yet: no organisations are registered.")
        );
        assert!(
            summary("a_b*c", day(), &[], Style::Markdown).contains(" *a\\_b\\*c* "),
            "title escaped"
        );
    }
}
