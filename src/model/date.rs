//! Dates as users and spreadsheets write them (the contract's date forms).

use chrono::{Datelike, Duration, Local, NaiveDate};

use super::Status;
use super::words::visible;

const FORMS: &str = "YYYY-MM-DD or DD/MM/YYYY (a time after it is ignored)";

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
            forms: "YYYY-MM-DD, DD/MM/YYYY, today or yesterday",
            ..err
        }),
    }
}

/// Reads a date as a CSV cell or form export writes it: `YYYY-MM-DD` or `D/M/YYYY` (UK order),
/// optionally followed by a time (`T19:30:00`, ` 19:30:11`), which is dropped.
pub(crate) fn parse_date(s: &str) -> Result<NaiveDate, BadDate> {
    let bad = |no_such_day| BadDate {
        given: visible(s.trim()),
        forms: FORMS,
        no_such_day,
    };
    let s = s.trim();
    let (day, time) = match s.find(['T', ' ']) {
        Some(at) => (&s[..at], Some(s[at + 1..].trim_start())),
        None => (s, None),
    };
    if time.is_some_and(|time| !is_time(time)) {
        return Err(bad(None));
    }
    let day_first = !day.contains('-');
    let parts = if day.contains('-') {
        parse_parts(day, '-', [0, 1, 2], [4, 2, 2])
    } else {
        parse_parts(day, '/', [2, 1, 0], [2, 2, 4])
    };
    let (year, month, day) = parts.ok_or_else(|| bad(None))?;
    NaiveDate::from_ymd_opt(year, month, day)
        .ok_or_else(|| bad(Some(no_such_day(year, month, day, day_first))))
}

/// Why year, month and day in the right form are not a day.
fn no_such_day(year: i32, month: u32, day: u32, day_first: bool) -> String {
    match NaiveDate::from_ymd_opt(year, month, 1) {
        None if day_first => {
            format!("there is no month {month} (dates are read day first: DD/MM/YYYY)")
        }
        None => format!("there is no month {month}"),
        Some(first) => format!("{} has no day {day}", first.format("%B %Y")),
    }
}

/// Splits `day` on `sep` into three numbers, `order` giving the positions of year, month and
/// day and `widths` the most digits each part may have (the year must have exactly four).
fn parse_parts(
    day: &str,
    sep: char,
    order: [usize; 3],
    widths: [usize; 3],
) -> Option<(i32, u32, u32)> {
    let parts: Vec<&str> = day.split(sep).collect();
    if parts.len() != 3 {
        return None;
    }
    for (part, width) in parts.iter().zip(widths) {
        let digits_ok = !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit());
        if !digits_ok || part.len() > width || (width == 4 && part.len() != 4) {
            return None;
        }
    }
    let year = parts[order[0]].parse().ok()?;
    let month = parts[order[1]].parse().ok()?;
    let day = parts[order[2]].parse().ok()?;
    Some((year, month, day))
}

/// `HH:MM`, `HH:MM:SS`, with optional fractions of a second and a `Z` or `±HH:MM` offset.
fn is_time(s: &str) -> bool {
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
    fn rejects_what_is_not_a_date() {
        for s in [
            "",
            "28-01-2019",
            "2019/01/28",
            "28/01/19",
            "2019-1-28x",
            "2019-01-28 garbage",
            "2019-01-28T25:00",
            "28.01.2019",
            "next tuesday",
            "2019-001-28",
            "+2019-01-28",
        ] {
            let err = parse_date(s).unwrap_err();
            assert!(
                err.to_string().contains("YYYY-MM-DD or DD/MM/YYYY"),
                "{s}: {err}"
            );
        }
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
            "\"tomorrow\" is not a date; write it as YYYY-MM-DD, DD/MM/YYYY, today or yesterday"
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
        fn parsing_date_like_text_never_panics(text in "[0-9/: T+Z.-]{0,30}") {
            let _ = parse_date(&text);
        }

        #[test]
        fn every_real_date_reads_back_in_both_forms(days in 0i64..200_000) {
            let date = NaiveDate::from_ymd_opt(1900, 1, 1).unwrap() + Duration::days(days);
            prop_assert_eq!(parse_date(&date.format("%Y-%m-%d").to_string()), Ok(date));
            prop_assert_eq!(parse_date(&date.format("%d/%m/%Y 19:30").to_string()), Ok(date));
            prop_assert_eq!(parse_date(&date.format("%-d/%-m/%Y").to_string()), Ok(date));
        }
    }
}
