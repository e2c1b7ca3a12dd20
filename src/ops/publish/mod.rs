//! `publish`: the campaign as a static website a campaign can upload anywhere. For one motion:
//! `index.html` (the report, with no reporter's name), a page per region and per kind of body
//! (`regions/london.html`, `kinds/clp.html`: the lists a coordinator sends round), `map.svg`,
//! `embed.html` (the headline count and the map, for an `<iframe>`), and `data/` (outcomes and
//! organisations as CSV, the tally as JSON, the Popolo document). With several motions, each
//! has that set under `motions/SLUG/`, and `index.html` lists them.
//!
//! Nothing published names a reporter or carries notes (free text that may name people);
//! sources stay. Every page is plain HTML with relative links and no script, so the folder
//! works opened from disk as well as over HTTP.

mod folder;

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::io::{self, Write};
use std::path::Path;

use anyhow::{Result, bail};
use chrono::NaiveDate;

use super::{popolo, reports};
use crate::csv_io::outcome_row;
use crate::csv_io::{CsvOutput, ORGS, OUTCOMES};
use crate::db::Store;
use crate::model::{Group, Kind, Motion, OrgFilter, Standing, Style, slug_of};
use crate::output::map::MapStyle;
use crate::output::rows;
use crate::output::site::{self, Link, Nav, Section, View, ViewRow};
use crate::output::{Format, render};
use folder::Folder;
pub(crate) use folder::MANIFEST;

/// What to publish.
pub(crate) struct Request {
    /// The motions, newest first: one gives a one-motion site, several a site with an index.
    pub(crate) motions: Vec<Motion>,
    /// The site's name, shown at the top of its pages.
    pub(crate) title: Option<String>,
    /// When the site was made, for its footers.
    pub(crate) generated: String,
    pub(crate) today: NaiveDate,
}

/// What a publish did.
pub(crate) struct Published {
    /// How many files the site has (the manifest aside).
    pub(crate) files: usize,
    /// Files an earlier publish wrote that this one removed.
    pub(crate) removed: Vec<String>,
    /// The embed's path in the site, and what it shows, for the `<iframe>` snippet.
    pub(crate) embed: String,
    pub(crate) embed_title: String,
}

/// A file of the site: a page made in memory, or data streamed from the database.
enum Content {
    Text(String),
    Outcomes(Option<i64>),
    Orgs,
    Popolo(Option<i64>),
}

#[derive(Default)]
struct Plan {
    files: Vec<(String, Content)>,
}

impl Plan {
    fn add(&mut self, path: String, content: Content) {
        self.files.push((path, content));
    }
}

/// Publishes the site into `dir`: every file replaced whole, files an earlier publish wrote
/// and this one does not removed, nothing else touched.
pub(crate) fn publish(store: &mut Store, dir: &Path, request: &Request) -> Result<Published> {
    let Some(newest) = request.motions.first() else {
        bail!("there is no motion to publish; add one with: motions motion add SLUG --title T");
    };
    let mut plan = Plan::default();
    let embed_title = newest.title.clone();
    if request.motions.len() == 1 {
        let site_link = request
            .title
            .as_ref()
            .map(|title| Link::new("index.html", title.clone()));
        motion_site(store, newest, "", site_link, request, &mut plan)?;
    } else {
        several(store, request, &mut plan)?;
    }
    let folder = Folder::open(dir)?;
    let planned: BTreeSet<String> = plan.files.iter().map(|(path, _)| path.clone()).collect();
    folder.begin(&planned)?;
    for (path, content) in plan.files {
        folder.write(&path, |out| fill(store, content, out))?;
    }
    let removed = folder.finish(&planned)?;
    Ok(Published {
        files: planned.len(),
        removed,
        embed: "embed.html".to_string(),
        embed_title,
    })
}

fn fill(store: &mut Store, content: Content, out: &mut dyn Write) -> io::Result<()> {
    let result = match content {
        Content::Text(text) => return out.write_all(text.as_bytes()),
        Content::Outcomes(motion_id) => outcomes_csv(store, motion_id, out),
        Content::Orgs => orgs_csv(store, out),
        Content::Popolo(motion_id) => {
            let options = popolo::Options {
                motion_id,
                no_names: true,
            };
            popolo::write(store, options, out).map(drop)
        }
    };
    result.map_err(|err| match err.downcast::<io::Error>() {
        Ok(io) => io,
        Err(other) => io::Error::other(format!("{other:#}")),
    })
}

/// `export outcomes --no-names` with the notes left out too: sources stay.
pub(crate) fn outcomes_csv(
    store: &mut Store,
    motion_id: Option<i64>,
    out: &mut dyn Write,
) -> Result<()> {
    let mut csv = CsvOutput::new(out, &OUTCOMES.export_header(), false)?;
    store.each_outcome(motion_id, |e| csv.row(outcome_row(e, false, false)))?;
    Ok(csv.finish()?)
}

/// `export orgs`.
fn orgs_csv(store: &mut Store, out: &mut dyn Write) -> Result<()> {
    let mut csv = CsvOutput::new(out, &ORGS.export_header(), false)?;
    store.each_org(|o| {
        csv.row([
            Some(o.name.as_str()),
            Some(o.kind.as_str()),
            o.region.as_deref(),
            o.union.as_deref(),
            o.parent.as_deref(),
            o.code.as_deref(),
        ])
    })?;
    Ok(csv.finish()?)
}

/// The links to a motion's data, relative to `to_root` (its folder, from the page).
fn data_links(to_root: &str) -> Vec<Link> {
    [
        ("map.svg", "Map (SVG)"),
        ("embed.html", "Embed"),
        ("data/tally.json", "Tally (JSON)"),
        ("data/outcomes.csv", "Outcomes (CSV)"),
        ("data/orgs.csv", "Organisations (CSV)"),
        ("data/popolo.json", "Popolo (JSON)"),
    ]
    .into_iter()
    .map(|(file, text)| Link::new(format!("{to_root}{file}"), text))
    .collect()
}

/// "CLPs", "Labour branches": a kind's heading.
fn kind_heading(kind: Kind) -> String {
    let noun = kind.noun(2);
    let mut chars = noun.chars();
    chars.next().map_or(String::new(), |first| {
        first.to_uppercase().chain(chars).collect()
    })
}

/// One region's (or the no-region) organisations, under the file name of its page.
struct Region<'a> {
    name: String,
    file: String,
    standings: Vec<&'a Standing>,
}

/// Regions alphabetically, organisations without one last, each with a file name of its own.
fn regions(standings: &[Standing]) -> Vec<Region<'_>> {
    let mut grouped: BTreeMap<(bool, String, String), Vec<&Standing>> = BTreeMap::new();
    for standing in standings {
        let key = match &standing.org.region {
            Some(region) => (false, region.to_lowercase(), region.clone()),
            None => (true, String::new(), "(no region)".to_string()),
        };
        grouped.entry(key).or_default().push(standing);
    }
    let mut used = HashSet::new();
    grouped
        .into_iter()
        .map(|((none, _, name), standings)| {
            let base = match slug_of(&name) {
                _ if none => "no-region".to_string(),
                slug if slug.is_empty() => "region".to_string(),
                slug => slug,
            };
            let mut file = base.clone();
            let mut n = 1;
            while !used.insert(file.clone()) {
                n += 1;
                file = format!("{base}-{n}");
            }
            Region {
                name,
                file: format!("{file}.html"),
                standings,
            }
        })
        .collect()
}

/// The links every page of a motion carries, relative to `to_root` (the motion's folder, from
/// the page); `site` is the site's first page, relative to the motion's folder.
fn motion_nav(
    motion: &Motion,
    site: Option<&Link>,
    regions: &[Region<'_>],
    kinds: &[(Kind, Vec<&Standing>)],
    to_root: &str,
) -> Nav {
    Nav {
        site: site.map(|link| Link::new(format!("{to_root}{}", link.href), link.text.clone())),
        motion: Some(Link::new(
            format!("{to_root}index.html"),
            format!("The motion: {}", motion.title),
        )),
        regions: regions
            .iter()
            .map(|r| {
                Link::new(
                    format!("{to_root}regions/{}", r.file),
                    format!("{} ({})", r.name, r.standings.len()),
                )
            })
            .collect(),
        kinds: kinds
            .iter()
            .map(|(kind, orgs)| {
                Link::new(
                    format!("{to_root}kinds/{}.html", kind.as_str()),
                    format!("{} ({})", kind_heading(*kind), orgs.len()),
                )
            })
            .collect(),
        files: data_links(to_root),
    }
}

/// Writes one motion's pages and data under `prefix` (`""`, or `motions/SLUG/`).
fn motion_site(
    store: &mut Store,
    motion: &Motion,
    prefix: &str,
    site: Option<Link>,
    request: &Request,
    plan: &mut Plan,
) -> Result<()> {
    let today = request.today;
    let report = reports::report(store, motion, None, today)?;
    let standings = store.standings(motion.id, &OrgFilter::default(), None)?;
    let deadline = reports::deadline(store, motion, None, today)?;
    let regions = regions(&standings);
    let mut by_kind: BTreeMap<Kind, Vec<&Standing>> = BTreeMap::new();
    for standing in &standings {
        by_kind.entry(standing.org.kind).or_default().push(standing);
    }
    let kinds: Vec<(Kind, Vec<&Standing>)> = by_kind.into_iter().collect();

    let nav = motion_nav(motion, site.as_ref(), &regions, &kinds, "");
    let page = reports::report_page(&report, &request.generated, Some(site::nav(&nav)));
    plan.add(format!("{prefix}index.html"), Content::Text(page));

    let nav = motion_nav(motion, site.as_ref(), &regions, &kinds, "../");
    let view = |heading: &str, headline: String, orgs: &[&Standing], show_region: bool| {
        site::view_page(&View {
            motion_title: &motion.title,
            slug: &motion.slug,
            heading,
            as_of: today,
            headline,
            deadline: deadline.as_deref(),
            sections: sections(orgs, show_region),
            nav: &nav,
            generated: &request.generated,
        })
    };
    for region in &regions {
        let headline = headline(
            &format!("In {}, ", region.name),
            "registered organisations",
            &region.standings,
        );
        let page = view(&region.name, headline, &region.standings, false);
        plan.add(
            format!("{prefix}regions/{}", region.file),
            Content::Text(page),
        );
    }
    for (kind, orgs) in &kinds {
        let noun = format!("registered {}", kind.noun(orgs.len() as u64));
        let page = view(&kind_heading(*kind), headline("", &noun, orgs), orgs, true);
        plan.add(
            format!("{prefix}kinds/{}.html", kind.as_str()),
            Content::Text(page),
        );
    }

    plan.add(
        format!("{prefix}map.svg"),
        Content::Text(map_svg(store, motion, today)?),
    );
    let embed = embed(
        store,
        motion,
        &report,
        deadline.as_deref(),
        "index.html",
        today,
    )?;
    plan.add(format!("{prefix}embed.html"), Content::Text(embed));
    plan.add(
        format!("{prefix}data/tally.json"),
        Content::Text(tally_json(store, motion)?),
    );
    plan.add(
        format!("{prefix}data/outcomes.csv"),
        Content::Outcomes(Some(motion.id)),
    );
    plan.add(format!("{prefix}data/orgs.csv"), Content::Orgs);
    plan.add(
        format!("{prefix}data/popolo.json"),
        Content::Popolo(Some(motion.id)),
    );
    Ok(())
}

/// The first page and the whole campaign's data for several motions, and each motion's own
/// pages under `motions/SLUG/`.
fn several(store: &mut Store, request: &Request, plan: &mut Plan) -> Result<()> {
    let today = request.today;
    let title = request
        .title
        .clone()
        .unwrap_or_else(|| "Where the motions stand".to_string());
    let back = Link::new("../../index.html", title.clone());
    let mut entries = Vec::new();
    let mut tallies = Vec::new();
    for motion in &request.motions {
        let prefix = format!("motions/{}/", motion.slug);
        motion_site(store, motion, &prefix, Some(back.clone()), request, plan)?;
        entries.push(site::MotionEntry {
            title: motion.title.clone(),
            slug: motion.slug.clone(),
            href: format!("{prefix}index.html"),
            summary: reports::summary(store, motion, None, today, Style::Plain)?,
        });
        let rows: Vec<serde_json::Value> = serde_json::from_str(&tally_json(store, motion)?)?;
        for row in rows {
            let mut object = serde_json::Map::new();
            object.insert("motion".into(), motion.slug.clone().into());
            if let serde_json::Value::Object(fields) = row {
                object.extend(fields);
            }
            tallies.push(serde_json::Value::Object(object));
        }
    }
    let newest = &request.motions[0];
    let mut files = data_links("");
    // The site's own map and embed are the newest motion's: say so.
    for link in files.iter_mut().take(2) {
        link.text = format!("{} of the newest motion", link.text);
    }
    let nav = Nav {
        files,
        ..Nav::default()
    };
    let index = site::index_page(&site::Index {
        title: &title,
        as_of: today,
        motions: &entries,
        nav: &nav,
        generated: &request.generated,
    });
    plan.add("index.html".into(), Content::Text(index));
    plan.add(
        "map.svg".into(),
        Content::Text(map_svg(store, newest, today)?),
    );
    let report = reports::report(store, newest, None, today)?;
    let deadline = reports::deadline(store, newest, None, today)?;
    let full = format!("motions/{}/index.html", newest.slug);
    let embed = embed(store, newest, &report, deadline.as_deref(), &full, today)?;
    plan.add("embed.html".into(), Content::Text(embed));
    let mut json = serde_json::to_string_pretty(&tallies)?;
    json.push('\n');
    plan.add("data/tally.json".into(), Content::Text(json));
    plan.add("data/outcomes.csv".into(), Content::Outcomes(None));
    plan.add("data/orgs.csv".into(), Content::Orgs);
    plan.add("data/popolo.json".into(), Content::Popolo(None));
    Ok(())
}

/// The counts of a list of organisations in a sentence: "In London, 5 of 12 registered
/// organisations have passed it; 2 rejected it; 5 have not moved it yet."
fn headline(lead: &str, noun: &str, orgs: &[&Standing]) -> String {
    let count = |group: Group| {
        orgs.iter()
            .filter(|s| Group::of(s.latest.as_ref().map(|l| l.status)) == group)
            .count()
    };
    let has = |n: usize| if n == 1 { "has" } else { "have" };
    let passed = count(Group::Passed);
    let mut text = format!(
        "{lead}{passed} of {} {noun} {} passed it",
        orgs.len(),
        has(passed)
    );
    let rest = [
        (count(Group::Rejected), "rejected it".to_string()),
        (
            count(Group::Pending),
            format!("{} it under way", has(count(Group::Pending))),
        ),
        (
            count(Group::Dropped),
            "withdrew it or had it ruled out of order".to_string(),
        ),
        (
            count(Group::None),
            format!("{} not moved it yet", has(count(Group::None))),
        ),
    ];
    for (n, what) in rest {
        if n > 0 {
            text.push_str(&format!("; {n} {what}"));
        }
    }
    text.push('.');
    text
}

/// The organisations of a view by group, each list in name order.
fn sections(orgs: &[&Standing], show_region: bool) -> Vec<Section> {
    [
        (Group::Passed, "passed", "Passed"),
        (Group::Rejected, "rejected", "Rejected"),
        (Group::Pending, "under-way", "Under way"),
        (Group::Dropped, "dropped", "Withdrawn or ruled out"),
        (Group::None, "not-moved", "Not yet moved"),
    ]
    .into_iter()
    .map(|(group, id, heading)| Section {
        id,
        heading,
        rows: orgs
            .iter()
            .filter(|s| Group::of(s.latest.as_ref().map(|l| l.status)) == group)
            .map(|s| ViewRow {
                name: s.org.name.clone(),
                kind: s.org.kind.label(),
                region: s.org.region.clone().filter(|_| show_region),
                status: s.latest.as_ref().map(|l| l.status.to_string()),
                date: s.latest.as_ref().map(|l| l.meeting_date),
                source: s.latest.as_ref().and_then(|l| l.source.clone()),
            })
            .collect(),
    })
    .collect()
}

fn map_svg(store: &mut Store, motion: &Motion, today: NaiveDate) -> Result<String> {
    let view = reports::map(
        store,
        motion,
        Kind::Clp,
        None,
        today,
        MapStyle {
            standalone: true,
            labels: false,
        },
    )?;
    Ok(format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n{}\n",
        view.svg.into_string()
    ))
}

/// The embed of a motion; `full` links to its whole picture, relative to the embed.
fn embed(
    store: &mut Store,
    motion: &Motion,
    report: &reports::Report,
    deadline: Option<&str>,
    full: &str,
    today: NaiveDate,
) -> Result<String> {
    let passed: u64 = report
        .by_kind
        .iter()
        .map(|(_, c)| c.group(Group::Passed))
        .sum();
    let detail = report
        .by_kind
        .iter()
        .filter(|(_, counts)| counts.registered() > 0)
        .map(|(kind, counts)| {
            format!(
                "{} of {} {}",
                counts.group(Group::Passed),
                counts.registered(),
                kind.noun(counts.registered())
            )
        })
        .collect::<Vec<_>>()
        .join(", ");
    let map = reports::map(
        store,
        motion,
        Kind::Clp,
        None,
        today,
        MapStyle {
            standalone: false,
            labels: false,
        },
    )?;
    Ok(site::embed_page(&site::Embed {
        title: &motion.title,
        passed,
        registered: report.registered,
        detail,
        deadline,
        as_of: today,
        map: (map.matched > 0).then_some(map.svg),
        full,
    }))
}

/// `tally --format json` for the motion.
fn tally_json(store: &mut Store, motion: &Motion) -> Result<String> {
    let tally = reports::tally(store, motion, &[], &OrgFilter::default(), None)?;
    let mut bytes = Vec::new();
    render(
        &rows::tally(&tally, false, false),
        Format::Json,
        crate::output::Style::default(),
        &mut bytes,
    )?;
    Ok(String::from_utf8(bytes)?)
}
