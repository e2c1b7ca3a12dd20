//! `motions report`: one HTML page to email, print or hand to the press.

use std::collections::BTreeMap;
use std::path::PathBuf;

use anyhow::Result;
use chrono::NaiveDate;

use super::{Context, note, resolve};
use crate::db::Store;
use crate::model::{
    Dimension, Every, Group, Kind, Motion, OrgFilter, Style, parse_date_arg, timeline, today,
};
use crate::output::Cell;
use crate::output::html::{Page, Passed, page};
use crate::output::write_to;

/// Write the campaign as one self-contained web page: the summary, tallies by kind and region,
/// charts, the organisations that passed it and those still to move it.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "The page needs nothing else to show: no script, no fonts or pictures from \
    elsewhere. It reads on a phone and prints on A4.\n\n\
    Examples:\n  motions report -o report.html\n  motions report --as-of 2019-03-01 -o march.html"
)]
pub(crate) struct Args {
    /// The motion's slug (may be left out when there is only one motion)
    #[arg(long, value_name = "SLUG", add = clap_complete::engine::ArgValueCompleter::new(crate::cmd::complete::motion_slugs))]
    motion: Option<String>,

    /// The picture as it stood at the end of this day [default: today]
    #[arg(long, value_name = "DATE")]
    as_of: Option<String>,

    /// Write the page to FILE (e.g. report.html) instead of standard output
    #[arg(long, short = 'o', value_name = "FILE")]
    output: Option<PathBuf>,
}

pub(crate) fn run(args: Args, ctx: &Context) -> Result<()> {
    let as_of = args.as_of.as_deref().map(parse_date_arg).transpose()?;
    let mut store = ctx.reader()?;
    let motion = resolve::motion(&mut store, args.motion.as_deref())?;
    let html = html(&mut store, &motion, as_of)?;
    if let Some(path) = write_to(args.output.as_deref(), |out| out.write_all(html.as_bytes()))? {
        note(format!(
            "Wrote the report to {}; open it in a browser, or print it.",
            path.display()
        ));
    }
    Ok(())
}

/// The report page of one motion as it stood at the end of `as_of` (today when `None`), as
/// `report` writes it (and the web intake serves it).
pub(crate) fn html(store: &mut Store, motion: &Motion, as_of: Option<NaiveDate>) -> Result<String> {
    let date = as_of.unwrap_or_else(today);

    let summary = super::summary::paragraph(store, motion, as_of, Style::Plain)?;
    let mut by_kind = super::tally::report_by(store, motion.id, Dimension::Kind, as_of)?;
    for row in &mut by_kind.rows {
        if let Some(Ok(kind)) = row.first().and_then(Cell::text).map(str::parse::<Kind>) {
            row[0] = Cell::from(kind.label());
        }
    }
    let by_region = super::tally::report_by(store, motion.id, Dimension::Region, as_of)?;
    let mut regions: Vec<(Option<String>, u64, u64)> = store
        .tally(
            motion.id,
            &OrgFilter::default(),
            &[Dimension::Region],
            as_of,
        )?
        .into_iter()
        .map(|row| {
            (
                row.values[0].clone(),
                row.counts.group(Group::Passed),
                row.counts.registered(),
            )
        })
        .collect();
    regions.sort_by_key(|(region, _, _)| {
        (region.is_none(), region.as_ref().map(|r| r.to_lowercase()))
    });
    let regions = regions
        .into_iter()
        .map(|(region, passed, registered)| {
            (
                region.unwrap_or_else(|| "(no region)".into()),
                passed,
                registered,
            )
        })
        .collect();
    let events = store.events_of(motion.id)?;
    let weeks = timeline(&events, Every::Week, None, as_of)
        .into_iter()
        .map(|period| (period.end.min(date), period.passed_total))
        .collect();

    let mut passed = Vec::new();
    let mut not_moved: BTreeMap<(bool, String), Vec<String>> = BTreeMap::new();
    let standings = store.standings(motion.id, &OrgFilter::default(), as_of)?;
    let registered = standings.len() as u64;
    let latest_meeting = standings
        .iter()
        .filter_map(|s| s.latest.as_ref().map(|l| l.meeting_date))
        .max();
    for standing in standings {
        match standing.latest {
            Some(latest) if latest.status.group() == Group::Passed => passed.push(Passed {
                name: standing.org.name,
                kind: standing.org.kind.label(),
                region: standing.org.region,
                status: latest.status.to_string(),
                date: latest.meeting_date,
                source: latest.source,
            }),
            Some(_) => {}
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

    let map = Some(super::map::map(store, motion, Kind::Clp, as_of, false)?);
    let html = page(&Page {
        title: &motion.title,
        slug: &motion.slug,
        as_of: date,
        generated: chrono::Local::now()
            .format("%-d %B %Y at %H:%M")
            .to_string(),
        summary,
        by_kind: &by_kind,
        by_region: &by_region,
        timeline: weeks,
        regions,
        passed,
        not_moved: not_moved
            .into_iter()
            .map(|((_, region), names)| (region, names))
            .collect(),
        latest_meeting,
        registered,
        figure: map.filter(|(_, matched)| *matched > 0).map(|(svg, _)| svg),
    });
    Ok(html)
}
