//! The campaign's picture as typed values: tallies, the summary paragraph, the map and the
//! whole report. Commands, the web server and the published site render these; none of them
//! computes a count of its own.

use std::cmp::Ordering;
use std::collections::{BTreeMap, HashMap};

use anyhow::Result;
use chrono::NaiveDate;
use maud::Markup;

use crate::db::Store;
use crate::model::{
    Countdown, Dimension, Every, Group, Kind, MOST_PERIODS, Motion, OrgFilter, Standing, Status,
    StatusCounts, Style, Tally, TallyRow, constituencies, deadline_sentence, span,
    summary as paragraph, timeline,
};
use crate::output::html::{self, Page};
use crate::output::map::{self as hexes, MapStyle, Seat, SeatOrg, hex_map};
use crate::output::rows;

/// Counts current statuses against the registry, broken down by `by`. With `--by clp` every
/// CLP has a row, even one with no branches, and its own status beside them.
pub(crate) fn tally(
    store: &mut Store,
    motion: &Motion,
    by: &[Dimension],
    filter: &OrgFilter,
    as_of: Option<NaiveDate>,
) -> Result<Tally> {
    let Ok(dims) = Dimension::columns(by) else {
        anyhow::bail!(
            "--by clp counts branches under their CLP and stands alone; leave out the other --by columns"
        );
    };
    let mut rows = store.tally(motion.id, filter, &dims, as_of)?;
    let clp_statuses = if dims == [Dimension::Clp] {
        let clps = clp_statuses(store, filter, motion.id, as_of)?;
        for (name, _) in &clps {
            if !rows
                .iter()
                .any(|row| row.values[0].as_deref() == Some(name.as_str()))
            {
                rows.push(TallyRow {
                    values: vec![Some(name.clone())],
                    counts: StatusCounts::default(),
                });
            }
        }
        Some(clps)
    } else {
        None
    };
    rows.sort_by(|a, b| compare_rows(&dims, a, b));
    Ok(Tally {
        by: dims,
        rows,
        clp_statuses,
    })
}

/// The CLPs' own statuses (in the region asked for).
fn clp_statuses(
    store: &mut Store,
    filter: &OrgFilter,
    motion_id: i64,
    as_of: Option<NaiveDate>,
) -> Result<Vec<(String, Option<Status>)>> {
    let clps = OrgFilter {
        kind: Some(Kind::Clp),
        region: filter.region.clone(),
        union: None,
    };
    Ok(store
        .standings(motion_id, &clps, as_of)?
        .into_iter()
        .map(|s| (s.org.name, s.latest.map(|l| l.status)))
        .collect())
}

/// Kinds in the contract's order; regions and unions alphabetically, blanks last.
fn compare_rows(by: &[Dimension], a: &TallyRow, b: &TallyRow) -> Ordering {
    by.iter()
        .zip(a.values.iter().zip(&b.values))
        .map(|(dim, (x, y))| match (x, y) {
            (None, None) => Ordering::Equal,
            (None, Some(_)) => Ordering::Greater,
            (Some(_), None) => Ordering::Less,
            (Some(x), Some(y)) if *dim == Dimension::Kind => kind_rank(x).cmp(&kind_rank(y)),
            (Some(x), Some(y)) => x
                .to_lowercase()
                .cmp(&y.to_lowercase())
                .then_with(|| x.cmp(y)),
        })
        .find(|order| order.is_ne())
        .unwrap_or(Ordering::Equal)
}

fn kind_rank(kind: &str) -> usize {
    kind.parse::<Kind>().map_or(usize::MAX, |k| k as usize)
}

/// The counts of each kind of body, in the contract's order of kinds.
pub(crate) fn by_kind(
    store: &mut Store,
    motion: &Motion,
    as_of: Option<NaiveDate>,
) -> Result<Vec<(Kind, StatusCounts)>> {
    let rows = store.tally(motion.id, &OrgFilter::default(), &[Dimension::Kind], as_of)?;
    let mut by_kind: Vec<(Kind, StatusCounts)> = rows
        .into_iter()
        .filter_map(|row| {
            let kind = row.values.first()?.as_deref()?.parse::<Kind>().ok()?;
            Some((kind, row.counts))
        })
        .collect();
    by_kind.sort_by_key(|(kind, _)| *kind);
    Ok(by_kind)
}

/// The paragraph a press officer would write, now (`today`) or as of the end of a day.
pub(crate) fn summary(
    store: &mut Store,
    motion: &Motion,
    as_of: Option<NaiveDate>,
    today: NaiveDate,
    style: Style,
) -> Result<String> {
    let by_kind = by_kind(store, motion, as_of)?;
    let mut text = paragraph(&motion.title, as_of.unwrap_or(today), &by_kind, style);
    if let Some(sentence) = deadline(store, motion, as_of, today)? {
        text.push(' ');
        text.push_str(&sentence);
    }
    Ok(text)
}

/// The motion's deadline as things stood at the end of `as_of` (or `today`): a countdown
/// before it, and after it the passes by the deadline and since. `None` without a deadline.
pub(crate) fn deadline(
    store: &mut Store,
    motion: &Motion,
    as_of: Option<NaiveDate>,
    today: NaiveDate,
) -> Result<Option<String>> {
    let Some(deadline) = motion.deadline else {
        return Ok(None);
    };
    let on = as_of.unwrap_or(today);
    let mut passed = |day: Option<NaiveDate>| -> Result<u64> {
        let rows = store.tally(motion.id, &OrgFilter::default(), &[], day)?;
        Ok(rows.iter().map(|row| row.counts.group(Group::Passed)).sum())
    };
    let countdown = match (deadline - on).num_days() {
        days if days > 0 => Countdown::Before { days },
        0 => Countdown::On,
        _ => Countdown::After {
            by_deadline: passed(Some(deadline))?,
            now: passed(as_of)?,
        },
    };
    Ok(Some(deadline_sentence(deadline, on, countdown)))
}

/// A motion drawn on the hex map, and how many hexes found their organisation.
pub(crate) struct MapView {
    pub(crate) svg: Markup,
    /// The legend as HTML, for a page that shows the map without one of its own.
    pub(crate) legend: Markup,
    pub(crate) matched: usize,
}

/// The hex map of a motion: each constituency coloured by the status of the organisation of
/// `kind` whose code is its ONS code.
pub(crate) fn map(
    store: &mut Store,
    motion: &Motion,
    kind: Kind,
    as_of: Option<NaiveDate>,
    today: NaiveDate,
    style: MapStyle,
) -> Result<MapView> {
    let filter = OrgFilter {
        kind: Some(kind),
        ..OrgFilter::default()
    };
    let standings = store.standings(motion.id, &filter, as_of)?;
    let by_code: HashMap<String, &Standing> = standings
        .iter()
        .filter_map(|s| Some((s.org.code.as_ref()?.to_uppercase(), s)))
        .collect();
    let seats: Vec<Seat<'_>> = constituencies()
        .iter()
        .map(|c| Seat {
            constituency: &c.name,
            region: c.region,
            q: c.q,
            r: c.r,
            org: by_code.get(&c.code.to_uppercase()).map(|s| SeatOrg {
                name: &s.org.name,
                status: s.latest.as_ref().map(|l| l.status),
                date: s.latest.as_ref().map(|l| l.meeting_date),
            }),
        })
        .collect();
    let matched = seats.iter().filter(|s| s.org.is_some()).count();
    let date = as_of.unwrap_or(today);
    Ok(MapView {
        svg: hex_map(&motion.title, date, &seats, style),
        legend: hexes::legend(&seats),
        matched,
    })
}

/// An organisation that passed the motion, for the report's list.
#[derive(Debug, Clone)]
pub(crate) struct Passed {
    pub(crate) name: String,
    pub(crate) kind: Kind,
    pub(crate) region: Option<String>,
    pub(crate) status: Status,
    pub(crate) date: NaiveDate,
    pub(crate) source: Option<String>,
}

/// An organisation to chase: one that rejected the motion, has it under way, or dropped it.
#[derive(Debug, Clone)]
pub(crate) struct Chased {
    pub(crate) name: String,
    pub(crate) kind: Kind,
    pub(crate) region: Option<String>,
    pub(crate) status: Status,
    pub(crate) date: NaiveDate,
    pub(crate) votes: crate::model::Votes,
    pub(crate) source: Option<String>,
}

/// Everything the one-page report shows.
pub(crate) struct Report {
    pub(crate) motion: Motion,
    pub(crate) as_of: NaiveDate,
    pub(crate) summary: String,
    pub(crate) by_kind: Vec<(Kind, StatusCounts)>,
    pub(crate) by_region: Tally,
    /// The running total of passes at the end of each week.
    pub(crate) weeks: Vec<(NaiveDate, u64)>,
    /// Per region (or "(no region)"): passed, registered.
    pub(crate) regions: Vec<(String, u64, u64)>,
    pub(crate) passed: Vec<Passed>,
    /// Who rejected it, oldest meeting first.
    pub(crate) rejected: Vec<Chased>,
    /// Who has it under way (planned, moved, deferred, referred), by status, then date.
    pub(crate) under_way: Vec<Chased>,
    /// Who withdrew it or had it ruled out, oldest first.
    pub(crate) dropped: Vec<Chased>,
    /// The organisations not yet moved, by region.
    pub(crate) not_moved: Vec<(String, Vec<String>)>,
    pub(crate) latest_meeting: Option<NaiveDate>,
    pub(crate) registered: u64,
    /// The map, when any hex found its organisation.
    pub(crate) map: Option<Markup>,
}

/// The whole picture of a motion, now (`today`) or as it stood at the end of a day.
pub(crate) fn report(
    store: &mut Store,
    motion: &Motion,
    as_of: Option<NaiveDate>,
    today: NaiveDate,
) -> Result<Report> {
    let date = as_of.unwrap_or(today);
    let summary = summary(store, motion, as_of, today, Style::Plain)?;
    let by_kind = by_kind(store, motion, as_of)?;
    let by_region = tally(
        store,
        motion,
        &[Dimension::Region],
        &OrgFilter::default(),
        as_of,
    )?;
    let regions = by_region
        .rows
        .iter()
        .map(|row| {
            (
                row.values[0]
                    .clone()
                    .unwrap_or_else(|| "(no region)".into()),
                row.counts.group(Group::Passed),
                row.counts.registered(),
            )
        })
        .collect();
    let events = store.events_of(motion.id)?;
    // The chart shows at most the last 1,000 weeks (19 years): a meeting date far in the past
    // (a typing slip) or an --as-of far ahead would otherwise make it endless.
    let since = span(&events, None, as_of)
        .map(|(_, last)| Every::Week.back(last, (MOST_PERIODS - 1) as u32))
        .filter(|since| events.first().is_some_and(|first| first.2 < *since));
    let weeks = timeline(&events, Every::Week, since, as_of)
        .unwrap_or_default()
        .into_iter()
        .map(|period| (period.end.min(date), period.passed_total))
        .collect();
    let standings = store.standings(motion.id, &OrgFilter::default(), as_of)?;
    let registered = standings.len() as u64;
    let latest_meeting = standings
        .iter()
        .filter_map(|s| s.latest.as_ref().map(|l| l.meeting_date))
        .max();
    let mut passed = Vec::new();
    let (mut rejected, mut under_way, mut dropped) = (Vec::new(), Vec::new(), Vec::new());
    let mut not_moved: BTreeMap<(bool, String), Vec<String>> = BTreeMap::new();
    for standing in standings {
        match standing.latest {
            Some(latest) if latest.status.group() == Group::Passed => passed.push(Passed {
                name: standing.org.name,
                kind: standing.org.kind,
                region: standing.org.region,
                status: latest.status,
                date: latest.meeting_date,
                source: latest.source,
            }),
            Some(latest) => {
                let list = match latest.status.group() {
                    Group::Rejected => &mut rejected,
                    Group::Pending => &mut under_way,
                    _ => &mut dropped,
                };
                list.push(Chased {
                    name: standing.org.name,
                    kind: standing.org.kind,
                    region: standing.org.region,
                    status: latest.status,
                    date: latest.meeting_date,
                    votes: latest.votes,
                    source: latest.source,
                });
            }
            None => {
                // Regions alphabetically, organisations without one last, as in the tables.
                let region = match standing.org.region {
                    Some(region) => (false, region),
                    None => (true, "(no region)".to_string()),
                };
                not_moved.entry(region).or_default().push(standing.org.name);
            }
        }
    }
    passed.sort_by(|a, b| {
        a.date
            .cmp(&b.date)
            .then_with(|| a.name.to_lowercase().cmp(&b.name.to_lowercase()))
    });
    let by_date = |a: &Chased, b: &Chased| {
        a.date
            .cmp(&b.date)
            .then_with(|| a.name.to_lowercase().cmp(&b.name.to_lowercase()))
    };
    rejected.sort_by(by_date);
    dropped.sort_by(by_date);
    under_way.sort_by(|a, b| a.status.cmp(&b.status).then_with(|| by_date(a, b)));
    let map = map(store, motion, Kind::Clp, as_of, today, MapStyle::default())?;
    Ok(Report {
        motion: motion.clone(),
        as_of: date,
        summary,
        by_kind,
        by_region,
        weeks,
        regions,
        passed,
        rejected,
        under_way,
        dropped,
        not_moved: not_moved
            .into_iter()
            .map(|((_, region), names)| (region, names))
            .collect(),
        latest_meeting,
        registered,
        map: (map.matched > 0).then(|| maud::html! { (map.svg) (map.legend) }),
    })
}

/// The report as one self-contained HTML page; `generated` says when it was made.
pub(crate) fn report_html(report: &Report, generated: &str) -> String {
    report_page(report, generated, None)
}

/// The report page with `links` (a published site's other pages) under its heading.
pub(crate) fn report_page(report: &Report, generated: &str, links: Option<Markup>) -> String {
    let by_kind = rows::by_kind_labelled(&report.by_kind);
    let by_region = rows::tally(&report.by_region, false, true);
    html::page(&Page {
        title: &report.motion.title,
        slug: &report.motion.slug,
        as_of: report.as_of,
        generated: generated.to_string(),
        summary: report.summary.clone(),
        by_kind: &by_kind,
        by_region: &by_region,
        timeline: report.weeks.clone(),
        regions: report.regions.clone(),
        passed: report
            .passed
            .iter()
            .map(|p| html::Passed {
                name: p.name.clone(),
                kind: p.kind.label(),
                region: p.region.clone(),
                status: p.status.to_string(),
                date: p.date,
                source: p.source.clone(),
            })
            .collect(),
        rejected: chased(&report.rejected),
        under_way: chased(&report.under_way),
        dropped: chased(&report.dropped),
        not_moved: report.not_moved.clone(),
        latest_meeting: report.latest_meeting,
        registered: report.registered,
        figure: report.map.clone(),
        links,
    })
}

fn chased(list: &[Chased]) -> Vec<html::Chased> {
    list.iter()
        .map(|c| html::Chased {
            name: c.name.clone(),
            kind: c.kind.label(),
            region: c.region.clone(),
            status: c.status.to_string(),
            date: c.date,
            votes: [c.votes.cast_for, c.votes.against, c.votes.abstain],
            source: c.source.clone(),
        })
        .collect()
}

/// The `tally` report of a motion as its JSON and CSV give it (the web intake's API serves it).
pub(crate) fn tally_report(
    store: &mut Store,
    motion: &Motion,
    by: &[Dimension],
    as_of: Option<NaiveDate>,
    detail: bool,
) -> Result<crate::output::Report> {
    let tally = tally(store, motion, by, &OrgFilter::default(), as_of)?;
    Ok(rows::tally(&tally, detail, false))
}

/// The `status` report of a motion as its JSON and CSV give it (the web intake's API serves
/// it): every registered organisation matching `wanted` (all when empty).
pub(crate) fn status_report(
    store: &mut Store,
    motion: &Motion,
    wanted: &[crate::model::StatusFilter],
    as_of: Option<NaiveDate>,
) -> Result<crate::output::Report> {
    let mut report = crate::output::Report::new(rows::status_columns());
    store.each_standing(motion.id, &OrgFilter::default(), as_of, |standing| {
        let status = standing.latest.as_ref().map(|latest| latest.status);
        if crate::model::StatusFilter::any_matches(wanted, status) {
            report.rows.push(rows::status_cells(standing, "none"));
        }
        Ok(())
    })?;
    Ok(report)
}

/// The report page of a motion now, as `report` writes it (the web intake serves it).
pub(crate) fn report_page_now(
    store: &mut Store,
    motion: &Motion,
    today: NaiveDate,
) -> Result<String> {
    let report = report(store, motion, None, today)?;
    let generated = chrono::Local::now()
        .format("%-d %B %Y at %H:%M")
        .to_string();
    Ok(report_html(&report, &generated))
}
