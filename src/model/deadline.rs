//! A motion's deadline: `--as-of deadline` as a shorthand for its day, and the sentence that
//! counts down to it or, once it has passed, says where things stood then.

use chrono::{Datelike, NaiveDate};

use super::{BadDate, Motion, parse_date_arg};

/// A day as `--as-of` takes it: a date, or the motion's deadline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum AsOf {
    Day(NaiveDate),
    Deadline,
}

/// An `--as-of` that is neither a date nor `deadline`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}, or write deadline for the motion's deadline")]
pub(crate) struct BadAsOf(BadDate);

/// `--as-of deadline` for a motion that has none.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "the motion {slug} has no deadline, so --as-of deadline names no day; give a date, or set \
     the deadline with: motions motion edit {slug} --deadline DATE"
)]
pub(crate) struct NoDeadline {
    slug: String,
}

impl AsOf {
    /// Reads `--as-of`: `deadline` (any case), or a date as [`parse_date_arg`] reads it.
    pub(crate) fn parse(text: &str) -> Result<AsOf, BadAsOf> {
        if text.trim().eq_ignore_ascii_case("deadline") {
            return Ok(AsOf::Deadline);
        }
        parse_date_arg(text).map(AsOf::Day).map_err(BadAsOf)
    }

    /// The day this names for `motion`.
    pub(crate) fn day(self, motion: &Motion) -> Result<NaiveDate, NoDeadline> {
        match self {
            AsOf::Day(day) => Ok(day),
            AsOf::Deadline => motion.deadline.ok_or_else(|| NoDeadline {
                slug: motion.slug.clone(),
            }),
        }
    }
}

/// Where a motion stands against its deadline, on the day of a picture.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Countdown {
    /// Days left until the deadline (at least 1).
    Before { days: i64 },
    /// The picture's day is the deadline.
    On,
    /// The deadline has passed: how many had passed the motion by the end of it, and by the
    /// picture's day.
    After { by_deadline: u64, now: u64 },
}

/// "12 September", with the year when it is not the year of `on` ("12 September 2020").
fn day_name(day: NaiveDate, on: NaiveDate) -> String {
    if day.year() == on.year() {
        day.format("%-d %B").to_string()
    } else {
        day.format("%-d %B %Y").to_string()
    }
}

/// The sentence for a deadline as things stood on `on`: "12 days to the deadline of 12
/// September.", or after it "By the deadline of 31 March 2019, 14 had passed it; 2 more since."
pub(crate) fn deadline_sentence(
    deadline: NaiveDate,
    on: NaiveDate,
    countdown: Countdown,
) -> String {
    match countdown {
        Countdown::Before { days } => format!(
            "{days} day{} to the deadline of {}.",
            if days == 1 { "" } else { "s" },
            day_name(deadline, on)
        ),
        Countdown::On => format!("The deadline is today, {}.", day_name(deadline, on)),
        Countdown::After { by_deadline, now } => {
            let since = match now.cmp(&by_deadline) {
                std::cmp::Ordering::Greater => format!("{} more since", now - by_deadline),
                // The same count may hide a pass since and a pass lost: say the count.
                std::cmp::Ordering::Equal | std::cmp::Ordering::Less => {
                    format!("{now} have now")
                }
            };
            format!(
                "By the deadline of {}, {by_deadline} had passed it; {since}.",
                deadline.format("%-d %B %Y")
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    #[test]
    fn counts_down_then_says_where_things_stood() {
        let deadline = day("2019-09-12");
        let say = |on: &str| {
            let on = day(on);
            let countdown = match (deadline - on).num_days() {
                days if days > 0 => Countdown::Before { days },
                0 => Countdown::On,
                _ => Countdown::After {
                    by_deadline: 14,
                    now: 16,
                },
            };
            deadline_sentence(deadline, on, countdown)
        };
        assert_eq!(
            say("2019-08-31"),
            "12 days to the deadline of 12 September."
        );
        assert_eq!(say("2019-09-11"), "1 day to the deadline of 12 September.");
        assert_eq!(
            say("2018-09-12"),
            "365 days to the deadline of 12 September 2019."
        );
        assert_eq!(say("2019-09-12"), "The deadline is today, 12 September.");
        assert_eq!(
            say("2019-10-01"),
            "By the deadline of 12 September 2019, 14 had passed it; 2 more since."
        );
        let after = |at, now| {
            deadline_sentence(
                deadline,
                day("2020-01-01"),
                Countdown::After {
                    by_deadline: at,
                    now,
                },
            )
        };
        assert!(after(3, 3).ends_with("3 had passed it; 3 have now."));
        assert!(after(3, 2).ends_with("3 had passed it; 2 have now."));
    }

    #[test]
    fn as_of_deadline_is_the_motions_deadline() {
        let mut motion = Motion {
            id: 1,
            slug: "m".into(),
            title: "M".into(),
            text: None,
            issued_by: None,
            issued_on: None,
            deadline: None,
        };
        let shorthand = AsOf::parse(" Deadline ").unwrap();
        assert!(
            shorthand
                .day(&motion)
                .unwrap_err()
                .to_string()
                .contains("motion edit m --deadline")
        );
        motion.deadline = Some(day("2019-03-31"));
        assert_eq!(shorthand.day(&motion), Ok(day("2019-03-31")));
        assert_eq!(
            AsOf::parse("31/03/2019").unwrap().day(&motion),
            Ok(day("2019-03-31"))
        );
        assert!(
            AsOf::parse("soon")
                .unwrap_err()
                .to_string()
                .contains("deadline")
        );
    }
}
