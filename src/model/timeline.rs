//! A motion's progress over time: per week or month, the new events by group and how many
//! organisations stood at "passed" when the period ended.

use std::collections::HashMap;

use chrono::{Datelike, Duration, NaiveDate};

use super::{Group, Status};

/// How long each period of a timeline is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Every {
    /// Monday to Sunday.
    Week,
    Month,
}

impl Every {
    /// The first day of the period holding `date`.
    fn start(self, date: NaiveDate) -> NaiveDate {
        match self {
            Every::Week => date - Duration::days(i64::from(date.weekday().num_days_from_monday())),
            Every::Month => date.with_day(1).unwrap_or(date),
        }
    }

    /// The first day of the next period.
    fn next(self, start: NaiveDate) -> NaiveDate {
        match self {
            Every::Week => start + Duration::days(7),
            Every::Month => start
                .checked_add_months(chrono::Months::new(1))
                .unwrap_or(start),
        }
    }
}

impl Every {
    /// How many periods run from the one holding `first` to the one holding `last`: what a
    /// timeline between those days holds, counted before any is made.
    pub(crate) fn count(self, first: NaiveDate, last: NaiveDate) -> u64 {
        let (from, to) = (self.start(first), self.start(last));
        if to < from {
            return 0;
        }
        let periods = match self {
            Every::Week => (to - from).num_days() / 7,
            Every::Month => {
                let months = |d: NaiveDate| i64::from(d.year()) * 12 + i64::from(d.month0());
                months(to) - months(from)
            }
        };
        u64::try_from(periods).unwrap_or(0) + 1
    }

    /// The first day of the period `n` periods before the one holding `date`.
    pub(crate) fn back(self, date: NaiveDate, n: u32) -> NaiveDate {
        let start = self.start(date);
        match self {
            Every::Week => start
                .checked_sub_signed(Duration::weeks(i64::from(n)))
                .unwrap_or(NaiveDate::MIN),
            Every::Month => start
                .checked_sub_months(chrono::Months::new(n))
                .unwrap_or(NaiveDate::MIN),
        }
    }
}

/// The most periods a timeline holds: 19 years of weeks, 83 of months.
pub(crate) const MOST_PERIODS: u64 = 1_000;

/// A timeline that would hold more than [`MOST_PERIODS`] periods, from the period holding
/// `first` to the one holding `last`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct TooLong {
    pub(crate) periods: u64,
    pub(crate) first: NaiveDate,
    pub(crate) last: NaiveDate,
}

/// The first and last day the timeline of `events` covers, as [`timeline`] describes it, or
/// `None` when there are no events.
pub(crate) fn span(
    events: &[(i64, Status, NaiveDate)],
    since: Option<NaiveDate>,
    until: Option<NaiveDate>,
) -> Option<(NaiveDate, NaiveDate)> {
    let (first_event, last_event) = (events.first()?, events.last()?);
    let first = since.unwrap_or(first_event.2.min(until.unwrap_or(first_event.2)));
    let last = until.unwrap_or(last_event.2.max(first));
    Some((first, last))
}

/// One period of a timeline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Period {
    pub(crate) start: NaiveDate,
    /// The last day of the period.
    pub(crate) end: NaiveDate,
    /// Organisations whose status moved into each group in the period: passed (as written or
    /// amended), rejected, pending, dropped.
    pub(crate) passed: u64,
    pub(crate) rejected: u64,
    pub(crate) pending: u64,
    pub(crate) dropped: u64,
    /// Organisations whose status was in the passed group at the end of the period.
    pub(crate) passed_total: u64,
}

/// The timeline of `events` (org, status, meeting date; in the order of the latest-event rule:
/// by date, then by recording), from the period of `since` (or of the first event) to the
/// period of `until` (or of the last event, or of `since` when that is later).
///
/// A period's counts are of organisations whose status moved into that group during it: an
/// organisation that passed the motion and had it moved again the same day has not newly
/// passed it, and one deferred twice in a week counts once.
///
/// More than [`MOST_PERIODS`] periods is refused before any is made.
pub(crate) fn timeline(
    events: &[(i64, Status, NaiveDate)],
    every: Every,
    since: Option<NaiveDate>,
    until: Option<NaiveDate>,
) -> Result<Vec<Period>, TooLong> {
    let Some((first, last)) = span(events, since, until) else {
        return Ok(Vec::new());
    };
    let count = every.count(first, last);
    if count > MOST_PERIODS {
        return Err(TooLong {
            periods: count,
            first,
            last,
        });
    }
    let mut standing: HashMap<i64, Status> = HashMap::new();
    let mut passed_now = 0u64;
    let mut periods = Vec::with_capacity(count as usize);
    let mut events = events.iter().peekable();
    let mut start = every.start(first);
    while start <= last {
        let next = every.next(start);
        let mut period = Period {
            start,
            end: next - Duration::days(1),
            passed: 0,
            rejected: 0,
            pending: 0,
            dropped: 0,
            passed_total: 0,
        };
        // Where each organisation touched in this period stood when it began.
        let mut at_start: HashMap<i64, Group> = HashMap::new();
        while let Some(&&(org, status, date)) = events.peek() {
            if date >= next {
                break;
            }
            events.next();
            let before = Group::of(standing.get(&org).copied());
            if date >= start {
                at_start.entry(org).or_insert(before);
            }
            passed_now = passed_now + u64::from(status.group() == Group::Passed)
                - u64::from(before == Group::Passed);
            standing.insert(org, status);
        }
        for (org, before) in at_start {
            let now = Group::of(standing.get(&org).copied());
            if now == before {
                continue;
            }
            match now {
                Group::Passed => period.passed += 1,
                Group::Rejected => period.rejected += 1,
                Group::Pending => period.pending += 1,
                Group::Dropped => period.dropped += 1,
                Group::None => {}
            }
        }
        period.passed_total = passed_now;
        periods.push(period);
        if next <= start {
            break;
        }
        start = next;
    }
    Ok(periods)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    fn events() -> Vec<(i64, Status, NaiveDate)> {
        vec![
            (1, Status::Deferred, day("2019-01-28")),
            (2, Status::Passed, day("2019-01-30")),
            (3, Status::PassedAmended, day("2019-02-13")),
            (1, Status::Passed, day("2019-02-25")),
            (2, Status::Moved, day("2019-02-26")),
        ]
    }

    #[test]
    fn weeks_run_monday_to_sunday_with_a_running_total() {
        let weeks = timeline(&events(), Every::Week, None, None).unwrap();
        let summary: Vec<(String, u64, u64, u64)> = weeks
            .iter()
            .map(|p| (p.start.to_string(), p.passed, p.pending, p.passed_total))
            .collect();
        assert_eq!(
            summary,
            [
                ("2019-01-28".into(), 1, 1, 1),
                ("2019-02-04".into(), 0, 0, 1),
                ("2019-02-11".into(), 1, 0, 2),
                ("2019-02-18".into(), 0, 0, 2),
                ("2019-02-25".into(), 1, 1, 2),
            ]
        );
        assert_eq!(weeks[0].end, day("2019-02-03"));
    }

    #[test]
    fn counts_are_of_organisations_newly_in_a_group() {
        let events = vec![
            (1, Status::Passed, day("2019-02-11")),
            (1, Status::Moved, day("2019-02-11")),
            (2, Status::Deferred, day("2019-02-12")),
            (2, Status::Passed, day("2019-02-12")),
            (3, Status::Deferred, day("2019-02-12")),
            (3, Status::Deferred, day("2019-02-14")),
        ];
        let week = &timeline(&events, Every::Week, None, None).unwrap()[0];
        assert_eq!((week.passed, week.pending, week.passed_total), (1, 2, 1));
    }

    #[test]
    fn a_window_after_the_last_event_keeps_the_total() {
        let later = timeline(&events(), Every::Week, Some(day("2019-03-20")), None).unwrap();
        assert_eq!(later.len(), 1);
        assert_eq!((later[0].passed, later[0].passed_total), (0, 2));
        let before = timeline(&events(), Every::Week, None, Some(day("2019-01-10"))).unwrap();
        assert_eq!(before.len(), 1);
        assert_eq!(before[0].passed_total, 0);
    }

    #[test]
    fn months_and_a_window_that_starts_later_keep_the_total() {
        let months = timeline(&events(), Every::Month, None, None).unwrap();
        assert_eq!(months.len(), 2);
        assert_eq!((months[0].passed, months[0].passed_total), (1, 1));
        assert_eq!((months[1].passed, months[1].passed_total), (2, 2));
        let late = timeline(
            &events(),
            Every::Week,
            Some(day("2019-02-20")),
            Some(day("2019-02-24")),
        )
        .unwrap();
        assert_eq!(late.len(), 1);
        assert_eq!(
            (late[0].start, late[0].passed, late[0].passed_total),
            (day("2019-02-18"), 0, 2)
        );
        assert!(timeline(&[], Every::Week, None, None).unwrap().is_empty());
    }

    #[test]
    fn periods_are_counted_before_any_is_made() {
        // 2019-01-28 is a Monday; 2019-02-03 the Sunday of the same week.
        assert_eq!(Every::Week.count(day("2019-01-28"), day("2019-02-03")), 1);
        assert_eq!(Every::Week.count(day("2019-01-27"), day("2019-01-28")), 2);
        assert_eq!(Every::Month.count(day("2018-12-31"), day("2019-02-01")), 3);
        assert_eq!(Every::Week.count(day("2019-02-01"), day("2019-01-01")), 0);
        for every in [Every::Week, Every::Month] {
            let periods = timeline(&events(), every, Some(day("2001-01-01")), None).unwrap();
            assert_eq!(
                periods.len() as u64,
                every.count(day("2001-01-01"), day("2019-02-26"))
            );
        }
        // The latest start that fits the limit.
        let last = day("2019-02-26");
        let since = Every::Week.back(last, 999);
        assert_eq!(Every::Week.count(since, last), MOST_PERIODS);
        assert_eq!(
            Every::Month.count(Every::Month.back(last, 999), last),
            MOST_PERIODS
        );
    }

    #[test]
    fn more_than_a_thousand_periods_are_refused() {
        let refused = timeline(&events(), Every::Week, Some(day("0001-01-01")), None);
        let Err(too_long) = refused else {
            panic!("a timeline from the year 1 was made");
        };
        assert_eq!(too_long.first, day("0001-01-01"));
        assert_eq!(too_long.last, day("2019-02-26"));
        assert!(too_long.periods > 100_000, "{}", too_long.periods);
        let months = timeline(&events(), Every::Month, Some(day("1936-01-01")), None);
        assert_eq!(months.map(|m| m.len()), Ok(998));
        let far = timeline(&events(), Every::Week, None, Some(day("9999-12-31")));
        assert!(far.is_err());
    }
}
