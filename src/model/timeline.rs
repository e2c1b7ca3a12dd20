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
pub(crate) fn timeline(
    events: &[(i64, Status, NaiveDate)],
    every: Every,
    since: Option<NaiveDate>,
    until: Option<NaiveDate>,
) -> Vec<Period> {
    let (Some(first_event), Some(last_event)) = (events.first(), events.last()) else {
        return Vec::new();
    };
    let first = since.unwrap_or(first_event.2.min(until.unwrap_or(first_event.2)));
    let last = until.unwrap_or(last_event.2.max(first));
    let mut standing: HashMap<i64, Status> = HashMap::new();
    let mut passed_now = 0u64;
    let mut periods = Vec::new();
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
    periods
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
        let weeks = timeline(&events(), Every::Week, None, None);
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
        let week = &timeline(&events, Every::Week, None, None)[0];
        assert_eq!((week.passed, week.pending, week.passed_total), (1, 2, 1));
    }

    #[test]
    fn a_window_after_the_last_event_keeps_the_total() {
        let later = timeline(&events(), Every::Week, Some(day("2019-03-20")), None);
        assert_eq!(later.len(), 1);
        assert_eq!((later[0].passed, later[0].passed_total), (0, 2));
        let before = timeline(&events(), Every::Week, None, Some(day("2019-01-10")));
        assert_eq!(before.len(), 1);
        assert_eq!(before[0].passed_total, 0);
    }

    #[test]
    fn months_and_a_window_that_starts_later_keep_the_total() {
        let months = timeline(&events(), Every::Month, None, None);
        assert_eq!(months.len(), 2);
        assert_eq!((months[0].passed, months[0].passed_total), (1, 1));
        assert_eq!((months[1].passed, months[1].passed_total), (2, 2));
        let late = timeline(
            &events(),
            Every::Week,
            Some(day("2019-02-20")),
            Some(day("2019-02-24")),
        );
        assert_eq!(late.len(), 1);
        assert_eq!(
            (late[0].start, late[0].passed, late[0].passed_total),
            (day("2019-02-18"), 0, 2)
        );
        assert!(timeline(&[], Every::Week, None, None).is_empty());
    }
}
