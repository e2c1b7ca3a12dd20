//! Dates as users and spreadsheets write them (the contract's date forms).

use chrono::{Datelike, Duration, Local, NaiveDate};

use super::Status;
use super::words::visible;

/// A date that is not in one of the accepted forms, or names a day that does not exist.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("\"{given}\" is not a date; {}", match .no_such_day {
    Some(why) => why.clone(),
    None => format!("write it as {forms}"),
})]
pub(crate) struct BadDate {
    pub(crate) given: String,
    forms: &'static str,
    /// Why a date in the right form is still not a day ("February 2019 has no day 30").
    no_such_day: Option<String>,
}

/// A meeting date that cannot be right for the status.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(crate) enum BadMeetingDate {
    #[error(
        "the meeting date {0} is in the future; only \"planned\" may have a future date (log \
         it as planned now, and the outcome after the meeting)"
    )]
    Future(NaiveDate),
    #[error("the meeting date {0} is before 1900; check the year")]
    TooEarly(NaiveDate),
}

/// Checks a meeting date against today: only `planned` may be in the future.
pub(crate) fn check_meeting_date(date: NaiveDate, status: Status) -> Result<(), BadMeetingDate> {
    check_meeting_date_on(date, status, today())
}

/// Checks a meeting date against the day given as today: only `planned` may be later.
pub(crate) fn check_meeting_date_on(
    date: NaiveDate,
    status: Status,
    today: NaiveDate,
) -> Result<(), BadMeetingDate> {
    if date.year() < 1900 {
        Err(BadMeetingDate::TooEarly(date))
    } else if date > today && status != Status::Planned {
        Err(BadMeetingDate::Future(date))
    } else {
        Ok(())
    }
}

/// Today's date where the user is; `MOTIONS_TODAY` (a date) stands in for it, so tests and
/// demonstrations can fix the day.
pub(crate) fn today() -> NaiveDate {
    std::env::var("MOTIONS_TODAY")
        .ok()
        .and_then(|day| NaiveDate::parse_from_str(day.trim(), "%Y-%m-%d").ok())
        .unwrap_or_else(|| Local::now().date_naive())
}

/// Which comes first in a date written in numbers only: the day, as in the UK
/// (`28/02/2019`), or the month, as a form set to a US locale exports them (`02/28/2019`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) enum DateOrder {
    #[default]
    DayFirst,
    MonthFirst,
}

/// Reads a date typed on the command line: any form [`parse_date`] accepts, `today` or
/// `yesterday`.
pub(crate) fn parse_date_arg(s: &str) -> Result<NaiveDate, BadDate> {
    parse_date_arg_on(s, today)
}

/// [`parse_date_arg`], with the day `today` gives standing for today (asked only for the
/// words).
fn parse_date_arg_on(s: &str, today: impl FnOnce() -> NaiveDate) -> Result<NaiveDate, BadDate> {
    match s.trim().to_ascii_lowercase().as_str() {
        "today" => Ok(today()),
        "yesterday" => Ok(today() - Duration::days(1)),
        _ => parse_date(s).map_err(|err| BadDate {
            forms: ARG_FORMS,
            ..err
        }),
    }
}

/// Reads a date as people, CSV files and form exports write it, day first: `2019-02-28`,
/// `2019/02/28`, `28/02/2019`, `28/2/19`, `28.02.2019`, `28-02-2019`, `28 Feb 2019`,
/// `28th February 2019`, `Thursday 28 February 2019`, `February 28, 2019`, `28-Feb-2019`;
/// optionally followed by a time (`T19:30:00`, ` 19:30:11`, ` 7:30 pm`), which is dropped.
pub(crate) fn parse_date(s: &str) -> Result<NaiveDate, BadDate> {
    parse_date_in(s, DateOrder::DayFirst)
}

/// Reads a date as [`parse_date`] does, a date in numbers only read in `order`. A two-digit
/// year is this century's (`19` is 2019): a campaign records meetings, not history.
pub(crate) fn parse_date_in(s: &str, order: DateOrder) -> Result<NaiveDate, BadDate> {
    let bad = |no_such_day| BadDate {
        given: visible(s.trim()),
        forms: FORMS,
        no_such_day,
    };
    let (day, time) = split_time(s.trim());
    if time.is_some_and(|time| !is_time(time)) {
        return Err(bad(None));
    }
    let found = read_day(day, order).ok_or_else(|| bad(None))?;
    let date = NaiveDate::from_ymd_opt(found.year, found.month, found.day).ok_or_else(|| {
        let order = (!found.month_named).then_some(order);
        bad(Some(no_such_day(found.year, found.month, found.day, order)))
    })?;
    match found.weekday {
        Some(said) if said != date.weekday() => Err(bad(Some(format!(
            "{} was a {}, not a {}",
            date.format("%-d %B %Y"),
            date.format("%A"),
            weekday_name(said)
        )))),
        _ => Ok(date),
    }
}

/// The accepted forms, as error messages give them.
const FORMS: &str = "2019-02-28, 28/02/2019 or 28 Feb 2019 (day first; a time after it is \
                     ignored)";
const ARG_FORMS: &str = "2019-02-28, 28/02/2019, 28 Feb 2019, today or yesterday";

/// Splits a date from the time after it: at a `T` between digits (ISO 8601), or at the first
/// word holding a `:`.
fn split_time(s: &str) -> (&str, Option<&str>) {
    let bytes = s.as_bytes();
    for (at, b) in bytes.iter().enumerate() {
        if (*b == b'T' || *b == b't')
            && at > 0
            && bytes[at - 1].is_ascii_digit()
            && bytes.get(at + 1).is_some_and(u8::is_ascii_digit)
        {
            return (&s[..at], Some(&s[at + 1..]));
        }
    }
    let mut start = None;
    for (at, c) in s.char_indices() {
        if c.is_whitespace() || c == ',' {
            start = None;
        } else if start.is_none() {
            start = Some(at);
        }
        if c == ':' {
            let at = start.unwrap_or(at);
            return (&s[..at], Some(s[at..].trim()));
        }
    }
    (s, None)
}

/// What a date says, before it is checked to be a day.
struct Found {
    year: i32,
    month: u32,
    day: u32,
    /// The month was written as a name, so the order of day and month is not in question.
    month_named: bool,
    weekday: Option<chrono::Weekday>,
}

/// Reads year, month and day (and a weekday, if named) from a date without its time.
fn read_day(text: &str, order: DateOrder) -> Option<Found> {
    let text = text.trim().trim_end_matches([',', '.']).trim_end();
    let mut words: Vec<&str> = text
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|word| !word.is_empty() && !word.eq_ignore_ascii_case("of"))
        .collect();
    let weekday = match words.first().and_then(|word| weekday(word)) {
        Some(day) if words.len() > 1 => {
            words.remove(0);
            Some(day)
        }
        _ => None,
    };
    let parts: Vec<&str> = match words.as_slice() {
        [one] => {
            let sep = one.chars().find(|c| matches!(c, '-' | '/' | '.'))?;
            one.split(sep).collect()
        }
        [_, _, _] => words.clone(),
        _ => return None,
    };
    let [a, b, c] = parts.as_slice() else {
        return None;
    };
    let found = |year: &str, month: &str, day: &str| -> Option<Found> {
        let (month, month_named) = match month_number(month) {
            Some(month) => (month, true),
            None => (number(month, 2)?, false),
        };
        Some(Found {
            year: year_number(year)?,
            month,
            day: number(day.trim_end_matches(['s', 't', 'n', 'd', 'r', 'h']), 2)
                .filter(|_| is_day(day))?,
            month_named,
            weekday,
        })
    };
    if is_digits(a, 4) {
        // Year first: 2019-02-28, 2019/02/28, 2019.02.28.
        return found(a, b, c);
    }
    let named = |part: &str| month_number(part).is_some();
    match (named(a), named(b)) {
        (true, _) => found(c, a, b),
        (_, true) => found(c, b, a),
        _ if words.len() > 1 => None,
        _ => match order {
            DateOrder::DayFirst => found(c, b, a),
            DateOrder::MonthFirst => found(c, a, b),
        },
    }
}

/// A day of the month as written: one or two digits, perhaps with its ordinal ("28th").
fn is_day(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    let digits = lower.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    let suffix = &lower[digits.len()..];
    is_digits(digits, 2) && matches!(suffix, "" | "st" | "nd" | "rd" | "th")
}

/// True when `text` is one to `most` ASCII digits (exactly four when `most` is 4).
fn is_digits(text: &str, most: usize) -> bool {
    let count = text.len();
    !text.is_empty()
        && text.bytes().all(|b| b.is_ascii_digit())
        && if most == 4 { count == 4 } else { count <= most }
}

fn number(text: &str, most: usize) -> Option<u32> {
    is_digits(text, most).then(|| text.parse().ok()).flatten()
}

/// A year of four digits, or of two (this century's).
fn year_number(text: &str) -> Option<i32> {
    match text.len() {
        4 if is_digits(text, 4) => text.parse().ok(),
        2 if is_digits(text, 2) => text.parse::<i32>().ok().map(|yy| 2000 + yy),
        _ => None,
    }
}

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// A month's name, in full or shortened to three letters or more ("Feb", "Sept", "Feb.").
fn month_number(text: &str) -> Option<u32> {
    let word = text.trim_end_matches('.').to_lowercase();
    if word.len() < 3 || !word.bytes().all(|b| b.is_ascii_alphabetic()) {
        return None;
    }
    let at = MONTHS.iter().position(|month| month.starts_with(&word))?;
    u32::try_from(at + 1).ok()
}

/// A weekday's name, in full or shortened to three letters or more ("Thu", "Thurs").
fn weekday(text: &str) -> Option<chrono::Weekday> {
    use chrono::Weekday::*;
    let word = text.trim_end_matches(['.', ',']).to_lowercase();
    if word.len() < 3 || !word.bytes().all(|b| b.is_ascii_alphabetic()) {
        return None;
    }
    [Mon, Tue, Wed, Thu, Fri, Sat, Sun]
        .into_iter()
        .find(|day| weekday_name(*day).to_lowercase().starts_with(&word))
}

fn weekday_name(day: chrono::Weekday) -> &'static str {
    use chrono::Weekday::*;
    match day {
        Mon => "Monday",
        Tue => "Tuesday",
        Wed => "Wednesday",
        Thu => "Thursday",
        Fri => "Friday",
        Sat => "Saturday",
        Sun => "Sunday",
    }
}

/// Why year, month and day in the right form are not a day; `order`, for a date in numbers
/// only, says how its day and month were read.
fn no_such_day(year: i32, month: u32, day: u32, order: Option<DateOrder>) -> String {
    match NaiveDate::from_ymd_opt(year, month, 1) {
        None => match order {
            Some(DateOrder::DayFirst) => {
                format!("there is no month {month} (dates are read day first: DD/MM/YYYY)")
            }
            Some(DateOrder::MonthFirst) => format!(
                "there is no month {month} (dates are read month first, as --dates mdy says: \
                 MM/DD/YYYY)"
            ),
            None => format!("there is no month {month}"),
        },
        Some(first) => format!("{} has no day {day}", first.format("%B %Y")),
    }
}

/// For a date in numbers only that cannot be read day first but can month first (or the
/// other way about): which order reads it. `None` when both or neither do, or it is not
/// such a date.
pub(crate) fn only_order(s: &str) -> Option<DateOrder> {
    let day_first = parse_date_in(s, DateOrder::DayFirst).is_ok();
    let month_first = parse_date_in(s, DateOrder::MonthFirst).is_ok();
    match (day_first, month_first) {
        (true, false) => Some(DateOrder::DayFirst),
        (false, true) => Some(DateOrder::MonthFirst),
        _ => None,
    }
}

/// `HH:MM`, `HH:MM:SS`, with optional fractions of a second and a `Z` or `±HH:MM` offset, or
/// `H:MM am`/`pm` (a US export's `7:30:00 PM`).
fn is_time(s: &str) -> bool {
    let lower = s.trim().to_ascii_lowercase();
    if let Some(clock) = lower
        .strip_suffix("am")
        .or_else(|| lower.strip_suffix("pm"))
    {
        let clock = clock.trim_end();
        let hour = clock.split(':').next().and_then(|h| h.parse::<u32>().ok());
        return is_clock(clock, true) && hour.is_some_and(|h| (1..=12).contains(&h));
    }
    let s = s.trim_end_matches('Z');
    let s = match s.rfind(['+', '-']) {
        Some(at) if is_clock(&s[at + 1..], false) => &s[..at],
        _ => s,
    };
    is_clock(s, true)
}

fn is_clock(s: &str, seconds_allowed: bool) -> bool {
    let (s, fraction) = s.split_once('.').unwrap_or((s, "0"));
    let parts: Vec<&str> = s.split(':').collect();
    let most = if seconds_allowed { 3 } else { 2 };
    let limits = [24, 60, 61];
    (2..=most).contains(&parts.len())
        && !fraction.is_empty()
        && fraction.bytes().all(|b| b.is_ascii_digit())
        && parts.iter().zip(limits).all(|(part, limit)| {
            (1..=2).contains(&part.len())
                && part.bytes().all(|b| b.is_ascii_digit())
                && part.parse::<u32>().is_ok_and(|n| n < limit)
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn accepts_every_contract_form() {
        let d = ymd(2019, 1, 28);
        for s in [
            "2019-01-28",
            "28/01/2019",
            "28/1/2019",
            " 2019-01-28 ",
            "2019-01-28T19:30:00",
            "2019-01-28T19:30:00Z",
            "2019-01-28T19:30:00.123+00:00",
            "2019-01-28 19:30",
            "28/01/2019 19:30:11",
            "28/01/2019 9:05:11",
        ] {
            assert_eq!(parse_date(s), Ok(d), "{s}");
        }
        assert_eq!(
            parse_date("1/2/2019"),
            Ok(ymd(2019, 2, 1)),
            "UK order: day first"
        );
    }

    #[test]
    fn accepts_dates_as_people_write_them() {
        let d = ymd(2019, 2, 28);
        for s in [
            "28 Feb 2019",
            "28 February 2019",
            "28 feb. 2019",
            "28th February 2019",
            "28th of February, 2019",
            "Thursday 28 February 2019",
            "Thu, 28 Feb 2019 19:30",
            "February 28, 2019",
            "Feb 28 2019",
            "28-Feb-2019",
            "28-Feb-19",
            "28.02.2019",
            "28-02-2019",
            "2019/02/28",
            "2019.02.28",
            "28/2/19",
            "28/02/19 7:30 pm",
            "28 Feb 2019, 19:30",
            "28/02/2019 07:30:00 PM",
            "28 Sept 2019",
        ] {
            let expected = if s.contains("Sept") {
                ymd(2019, 9, 28)
            } else {
                d
            };
            assert_eq!(parse_date(s), Ok(expected), "{s}");
        }
        assert_eq!(parse_date("1/2/19"), Ok(ymd(2019, 2, 1)));
        assert_eq!(
            parse_date("1/2/00"),
            Ok(ymd(2000, 2, 1)),
            "two digits: 20yy"
        );
    }

    #[test]
    fn month_first_only_when_asked() {
        let mdy = |s: &str| parse_date_in(s, DateOrder::MonthFirst);
        assert_eq!(mdy("2/28/2019"), Ok(ymd(2019, 2, 28)));
        assert_eq!(mdy("02-28-19 7:30:00 PM"), Ok(ymd(2019, 2, 28)));
        assert_eq!(mdy("1/2/2019"), Ok(ymd(2019, 1, 2)));
        assert_eq!(mdy("2019-02-28"), Ok(ymd(2019, 2, 28)), "ISO stays ISO");
        assert_eq!(mdy("28 Feb 2019"), Ok(ymd(2019, 2, 28)), "a named month");
        assert_eq!(
            mdy("28/02/2019").unwrap_err().to_string(),
            "\"28/02/2019\" is not a date; there is no month 28 (dates are read month first, as \
             --dates mdy says: MM/DD/YYYY)"
        );
        assert_eq!(only_order("2/28/2019"), Some(DateOrder::MonthFirst));
        assert_eq!(only_order("28/2/2019"), Some(DateOrder::DayFirst));
        assert_eq!(only_order("2/3/2019"), None);
        assert_eq!(only_order("2019-02-28"), None);
    }

    #[test]
    fn rejects_what_is_not_a_date() {
        for s in [
            "",
            "2019-1-28x",
            "2019-01-28 garbage",
            "2019-01-28T25:00",
            "28/01/2019 13:00 pm",
            "next tuesday",
            "2019-001-28",
            "+2019-01-28",
            "28/01/219",
            "28 01 2019",
            "28/01-2019",
            "Feb 2019",
            "28 Febuary 2019",
            "28th Feb",
            "28xx Feb 2019",
        ] {
            let err = parse_date(s).unwrap_err();
            assert!(
                err.to_string()
                    .contains("write it as 2019-02-28, 28/02/2019 or 28 Feb 2019"),
                "{s}: {err}"
            );
        }
        assert_eq!(
            parse_date("Monday 28 February 2019")
                .unwrap_err()
                .to_string(),
            "\"Monday 28 February 2019\" is not a date; 28 February 2019 was a Thursday, not a Monday"
        );
    }

    #[test]
    fn meeting_dates_in_the_future_are_only_for_planned() {
        let today = ymd(2019, 6, 1);
        let check = |date, status| check_meeting_date_on(date, status, today);
        let tomorrow = ymd(2019, 6, 2);
        assert_eq!(check(tomorrow, Status::Planned), Ok(()));
        assert_eq!(check(today, Status::Passed), Ok(()));
        assert_eq!(
            check(tomorrow, Status::Passed),
            Err(BadMeetingDate::Future(tomorrow))
        );
        let hastings = ymd(1066, 10, 14);
        assert_eq!(
            check(hastings, Status::Rejected),
            Err(BadMeetingDate::TooEarly(hastings))
        );
    }

    #[test]
    fn days_that_do_not_exist_are_named() {
        let err = |s: &str| parse_date(s).unwrap_err().to_string();
        assert_eq!(
            err("31/02/2019"),
            "\"31/02/2019\" is not a date; February 2019 has no day 31"
        );
        assert_eq!(
            err("2019-02-29"),
            "\"2019-02-29\" is not a date; February 2019 has no day 29"
        );
        assert_eq!(
            err("00/02/2019"),
            "\"00/02/2019\" is not a date; February 2019 has no day 0"
        );
        assert_eq!(
            err("01/28/2019"),
            "\"01/28/2019\" is not a date; there is no month 28 (dates are read day first: DD/MM/YYYY)"
        );
        assert_eq!(parse_date("29/02/2020"), Ok(ymd(2020, 2, 29)));
        assert!(
            err("1/2/2019\u{200b}x").contains("\\u{200b}"),
            "invisible characters are shown"
        );
    }

    #[test]
    fn command_line_words() {
        let today = || ymd(2020, 3, 1);
        assert_eq!(parse_date_arg_on("today", today), Ok(ymd(2020, 3, 1)));
        assert_eq!(parse_date_arg_on(" Yesterday", today), Ok(ymd(2020, 2, 29)));
        assert_eq!(parse_date_arg_on("1/2/2019", today), Ok(ymd(2019, 2, 1)));
        let err = parse_date_arg_on("tomorrow", today)
            .unwrap_err()
            .to_string();
        assert_eq!(
            err,
            "\"tomorrow\" is not a date; write it as 2019-02-28, 28/02/2019, 28 Feb 2019, today or \
             yesterday"
        );
    }
}

#[cfg(test)]
mod properties {
    use proptest::prelude::*;

    use super::*;

    proptest! {
        #[test]
        fn parsing_any_text_never_panics(text in "\\PC{0,40}") {
            let _ = parse_date(&text);
            let _ = parse_date_arg_on(&text, || NaiveDate::from_ymd_opt(2019, 6, 1).unwrap());
        }

        #[test]
        fn parsing_date_like_text_never_panics(text in "[0-9/: T+Z.,-]{0,30}") {
            let _ = parse_date(&text);
            let _ = parse_date_in(&text, DateOrder::MonthFirst);
        }

        #[test]
        fn parsing_worded_dates_never_panics(
            text in "(Mon|Thu|Thursday)?,? ?[0-9]{0,3}(st|th)? ?(of )?(Feb|February|Sept|Xyz)?\\.? ?[0-9]{0,5},? ?([0-9]{1,2}:[0-9]{2} ?(am|PM)?)?"
        ) {
            let _ = parse_date(&text);
            let _ = only_order(&text);
        }

        #[test]
        fn every_real_date_reads_back_in_both_forms(days in 0i64..200_000) {
            let date = NaiveDate::from_ymd_opt(1900, 1, 1).unwrap() + Duration::days(days);
            prop_assert_eq!(parse_date(&date.format("%Y-%m-%d").to_string()), Ok(date));
            prop_assert_eq!(parse_date(&date.format("%d/%m/%Y 19:30").to_string()), Ok(date));
            prop_assert_eq!(parse_date(&date.format("%-d/%-m/%Y").to_string()), Ok(date));
            prop_assert_eq!(parse_date(&date.format("%-d %b %Y").to_string()), Ok(date));
            prop_assert_eq!(parse_date(&date.format("%A %-d %B %Y").to_string()), Ok(date));
            prop_assert_eq!(parse_date(&date.format("%d.%m.%Y").to_string()), Ok(date));
            let evening = date.and_hms_opt(19, 30, 0).unwrap_or_default();
            prop_assert_eq!(
                parse_date_in(
                    &evening.format("%m/%d/%Y %I:%M:%S %p").to_string(),
                    DateOrder::MonthFirst
                ),
                Ok(date)
            );
            if (2000..2100).contains(&date.year()) {
                prop_assert_eq!(parse_date(&date.format("%-d/%-m/%y").to_string()), Ok(date));
            }
        }
    }
}
