//! The HTML report: one self-contained page (inline CSS and SVG, no script, nothing fetched
//! from elsewhere) that reads on a phone, prints on A4, and escapes every piece of user text,
//! written with maud.

use chrono::NaiveDate;
use maud::{DOCTYPE, Markup, PreEscaped, html};

use super::{Report, svg};

/// An organisation that passed the motion, as the report lists it.
pub(crate) struct Passed {
    pub(crate) name: String,
    pub(crate) kind: String,
    pub(crate) region: Option<String>,
    pub(crate) status: String,
    pub(crate) date: NaiveDate,
    pub(crate) source: Option<String>,
}

/// An organisation to chase, as the report lists it: one that rejected the motion, has it
/// under way, or dropped it.
pub(crate) struct Chased {
    pub(crate) name: String,
    pub(crate) kind: String,
    pub(crate) region: Option<String>,
    pub(crate) status: String,
    pub(crate) date: NaiveDate,
    /// For, against, abstaining.
    pub(crate) votes: [Option<u32>; 3],
    pub(crate) source: Option<String>,
}

/// Everything the report shows.
pub(crate) struct Page<'a> {
    pub(crate) title: &'a str,
    pub(crate) slug: &'a str,
    pub(crate) as_of: NaiveDate,
    /// When the report was made, for the reader to judge how fresh it is.
    pub(crate) generated: String,
    pub(crate) summary: String,
    pub(crate) by_kind: &'a Report,
    pub(crate) by_region: &'a Report,
    /// The running total of passes at the end of each week.
    pub(crate) timeline: Vec<(NaiveDate, u64)>,
    /// Per region: passed, registered.
    pub(crate) regions: Vec<(String, u64, u64)>,
    pub(crate) passed: Vec<Passed>,
    /// Who rejected it.
    pub(crate) rejected: Vec<Chased>,
    /// Who has it under way: planned, moved, deferred, referred.
    pub(crate) under_way: Vec<Chased>,
    /// Who withdrew it or had it ruled out.
    pub(crate) dropped: Vec<Chased>,
    /// The organisations not yet moved, by region.
    pub(crate) not_moved: Vec<(String, Vec<String>)>,
    /// The date of the latest meeting in the picture.
    pub(crate) latest_meeting: Option<NaiveDate>,
    /// How many organisations are registered.
    pub(crate) registered: u64,
    /// A figure to put between the summary and the tables (the map), when there is one.
    pub(crate) figure: Option<Markup>,
    /// Links to put under the heading (a published site's other pages), when there are any.
    pub(crate) links: Option<Markup>,
}

/// No script, nothing fetched: the page needs only its own inline styles.
pub(crate) const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; base-uri 'none'; form-action 'none'";

const STYLE: &str = r#"
:root { color-scheme: light; --ink: #1a1a1a; --muted: #595959; --rule: #d0d0d0; --passed: #009E73; }
* { box-sizing: border-box; }
body { font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif;
       color: var(--ink); margin: 0 auto; max-width: 60rem; padding: 1rem; }
h1 { font-size: 1.6rem; margin: 0 0 .25rem; line-height: 1.25; }
h2 { font-size: 1.2rem; margin: 2rem 0 .5rem; border-bottom: 2px solid var(--passed); padding-bottom: .2rem; }
h3 { font-size: 1rem; margin: 1rem 0 .25rem; }
.dated { color: var(--muted); margin: 0 0 1rem; }
.summary { font-size: 1.15rem; background: #f3f8f6; border-left: 4px solid var(--passed); padding: .75rem 1rem; }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0; font-variant-numeric: tabular-nums; }
th, td { border-bottom: 1px solid var(--rule); padding: .3rem .5rem; text-align: left; vertical-align: top; }
th { background: #f2f2f2; }
td.n, th.n { text-align: right; }
td.d { white-space: nowrap; }
td.src { overflow-wrap: anywhere; min-width: 6rem; }
.bars { display: grid; grid-template-columns: minmax(6rem, max-content) 1fr; gap: .3rem .75rem; align-items: center; margin: 1rem 0; }
.bars .label { text-align: right; }
.bars .track { position: relative; background: #e6e6e6; height: 1.1rem; }
.bars .fill { background: var(--passed); height: 100%; }
.bars .count { font-size: .85rem; color: var(--muted); white-space: nowrap; }
.bars .cell { display: flex; align-items: center; gap: .5rem; }
.bars, .bars * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
tr.total td { font-weight: bold; border-top: 2px solid var(--ink); }
svg.chart { width: 100%; max-width: 34rem; height: auto; display: block; margin: .5rem 0; }
figure { margin: .5rem 0; }
figure.map { display: flex; flex-wrap: wrap; gap: .5rem 1.5rem; align-items: flex-start; }
figure.map svg.map { flex: 1 1 22rem; width: 100%; max-width: 34rem; height: auto; display: block; }
ul.legend { flex: 0 1 15rem; list-style: none; padding: 0; margin: 0; }
ul.legend li { display: flex; align-items: center; gap: .45rem; margin: .15rem 0; }
ul.legend svg.swatch { flex: none; }
p.none { color: var(--muted); }
td.org small.where { color: var(--muted); }
td.votes { white-space: nowrap; }
ul.counts { list-style: none; padding: 0; margin: .25rem 0 .75rem; display: flex; flex-wrap: wrap; gap: .2rem 1.2rem; }
ul.counts li { white-space: nowrap; }
#not-moved h3 { font-size: .95rem; margin: .9rem 0 .2rem; }
ul.names { columns: 13rem; column-gap: 1.5rem; column-rule: 1px solid var(--rule); list-style: none;
           padding: 0; margin: 0 0 .5rem; font-size: .9rem; line-height: 1.3; }
ul.names li { break-inside: avoid; overflow-wrap: anywhere; min-width: 0; padding-left: .8em; text-indent: -.8em; margin-bottom: .15rem; }
a { color: #0b5394; overflow-wrap: anywhere; }
footer { margin-top: 2rem; color: var(--muted); font-size: .85rem; border-top: 1px solid var(--rule); padding-top: .5rem; }
@media (max-width: 40rem) {
  body { padding: .5rem; font-size: 15px; }
  ul.names { columns: 2; column-gap: 1rem; font-size: .85rem; }
  table { font-size: .78rem; }
  th, td { padding: .2rem .2rem; }
  th { hyphens: auto; }
}
@media print {
  @page { size: A4; margin: 15mm; }
  body { max-width: none; padding: 0; font-size: 10.5pt; }
  .summary { background: none; }
  h2 { break-after: avoid; }
  svg.chart, figure, .bars { break-inside: avoid; }
  figure.map svg.map { max-height: 20cm; flex-basis: 60%; }
  ul.names { columns: 4; column-gap: 4mm; font-size: 8pt; line-height: 1.25; }
  ul.counts { font-size: 9pt; }
  table { font-size: 9pt; }
  th, td { padding: .1rem .35rem; }
  td.org br { display: none; }
  td.org small.where::before { content: " — "; }
  tr { break-inside: avoid; }
  a { color: inherit; text-decoration: none; }
  .scroll { overflow: visible; }
}
"#;

/// The whole page.
pub(crate) fn page(page: &Page<'_>) -> String {
    let long = |d: NaiveDate| d.format("%-d %B %Y").to_string();
    let markup = html! {
        (DOCTYPE)
        html lang="en-GB" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta http-equiv="Content-Security-Policy" content=(CONTENT_SECURITY_POLICY);
                title { (page.title) " — where the motion stands, " (long(page.as_of)) }
                style { (PreEscaped(STYLE)) }
            }
            body {
                header {
                    h1 { (page.title) }
                    p.dated {
                        "The picture as of " strong { (long(page.as_of)) } " (motion " code { (page.slug) } ")"
                        @if let Some(latest) = page.latest_meeting { "; the latest meeting recorded by then was on " (long(latest)) }
                        "."
                    }
                }
                @if let Some(links) = &page.links { (links) }
                p.summary { (page.summary) }
                @if let Some(figure) = &page.figure {
                    h2 { "Where: the CLPs on a map" }
                    figure.map { (figure) }
                }
                h2 { "By kind of organisation" }
                (table(page.by_kind))
                h2 { "By region" }
                (table(page.by_region))
                @if !page.regions.is_empty() {
                    (share_bars(&page.regions))
                }
                h2 { "Passes over time" }
                @if page.timeline.is_empty() {
                    p { "No outcomes were recorded by then." }
                } @else {
                    figure { (svg::running_total(&page.timeline)) }
                }
                h2 { "Organisations that have passed it (" (page.passed.len()) ")" }
                @if page.passed.is_empty() {
                    p { "None yet." }
                } @else {
                    div.scroll {
                        table {
                            thead { tr { th { "Organisation" } th { "Kind, region" } th { "Passed on" } th { "Source" } } }
                            tbody {
                                @for org in &page.passed {
                                    tr {
                                        td { (org.name) }
                                        td { (org.kind) @if let Some(region) = &org.region { ", " (region) } }
                                        td.d {
                                            (org.date.to_string())
                                            @if org.status == "passed-amended" { br; small { "amended" } }
                                        }
                                        td.src { (source(org.source.as_deref())) }
                                    }
                                }
                            }
                        }
                    }
                }
                (rejected(&page.rejected))
                (under_way(&page.under_way))
                (dropped(&page.dropped))
                (not_moved(&page.not_moved, page.registered))
                footer {
                    "Made by motions on " (page.generated) " from the records in its database. "
                    "Counts are of registered organisations; an organisation's status is its latest recorded outcome."
                }
            }
        }
    };
    markup.into_string()
}

/// An organisation's name, and under it what and where it is: one column, so the lists fit a
/// phone.
fn org_cell(org: &Chased) -> Markup {
    html! {
        td.org {
            span.name { (org.name) }
            br;
            small.where { (org.kind) @if let Some(region) = &org.region { ", " (region) } }
        }
    }
}

/// Votes as "for–against–abstaining", as many as are known.
fn votes(votes: &[Option<u32>; 3]) -> String {
    match votes {
        [None, None, None] => String::new(),
        [f, a, None] => format!("{}–{}", show(*f), show(*a)),
        [f, a, x] => format!("{}–{}–{}", show(*f), show(*a), show(*x)),
    }
}

fn show(n: Option<u32>) -> String {
    n.map_or("?".to_string(), |n| n.to_string())
}

/// A chase list: a heading with the count, "None." when it is empty, else an intro (if any) and
/// a table of `headings` after "Organisation", one row of `cells` per organisation.
fn chase(
    id: &str,
    heading: &str,
    intro: Option<&str>,
    headings: &[&str],
    list: &[Chased],
    cells: impl Fn(&Chased) -> Markup,
) -> Markup {
    html! {
        section id=(id) {
            h2 { (heading) " (" (list.len()) ")" }
            @if list.is_empty() {
                p.none { "None." }
            } @else {
                @if let Some(intro) = intro { p { (intro) } }
                div.scroll {
                    table {
                        thead { tr { th { "Organisation" } @for h in headings { th { (h) } } } }
                        tbody {
                            @for org in list {
                                tr { (org_cell(org)) (cells(org)) }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// Who rejected it: when, and by how many votes.
fn rejected(list: &[Chased]) -> Markup {
    let headings = ["Rejected on", "Votes for–against–abstaining", "Source"];
    chase("rejected", "Rejected it", None, &headings, list, |org| {
        html! {
            td.d { (org.date.to_string()) }
            td.votes { (votes(&org.votes)) }
            td.src { (source(org.source.as_deref())) }
        }
    })
}

/// Who has it under way, to ask how it went: what stage it is at, and since when.
fn under_way(list: &[Chased]) -> Markup {
    let intro =
        "Planned, moved, deferred or referred, but not yet decided: the ones to ask how it went.";
    chase(
        "under-way",
        "Under way",
        Some(intro),
        &["Status", "Date"],
        list,
        |org| {
            html! {
                td.status { (org.status) }
                td.d { (org.date.to_string()) }
            }
        },
    )
}

/// Who withdrew it or had it ruled out of order.
fn dropped(list: &[Chased]) -> Markup {
    let headings = ["Status", "Date", "Source"];
    chase(
        "dropped",
        "Withdrawn or ruled out",
        None,
        &headings,
        list,
        |org| {
            html! {
                td.status { (org.status) }
                td.d { (org.date.to_string()) }
                td.src { (source(org.source.as_deref())) }
            }
        },
    )
}

/// Who has not moved it yet: the count in each region first, then the names, in as many
/// columns as the page has room for.
fn not_moved(regions: &[(String, Vec<String>)], registered: u64) -> Markup {
    let total: usize = regions.iter().map(|(_, names)| names.len()).sum();
    html! {
        section #not-moved {
            h2 { "Not yet moved (" (total) ")" }
            @if regions.is_empty() && registered == 0 {
                p { "No organisations are registered yet." }
            } @else if regions.is_empty() {
                p { "Every registered organisation has moved it." }
            } @else {
                ul.counts {
                    @for (region, names) in regions {
                        li { (region) ": " strong { (names.len()) } }
                    }
                }
                @for (region, names) in regions {
                    h3 { (region) " (" (names.len()) ")" }
                    ul.names { @for name in names { li { (name) } } }
                }
            }
        }
    }
}

/// A bar per row, `passed` out of `registered`, drawn with CSS so the labels stay readable on a
/// phone; the bars print too.
fn share_bars(rows: &[(String, u64, u64)]) -> Markup {
    let most = rows
        .iter()
        .map(|(_, _, registered)| *registered)
        .max()
        .unwrap_or(0)
        .max(1) as f64;
    html! {
        div.bars role="img" aria-label="Organisations that passed the motion, by region" {
            @for (label, passed, registered) in rows {
                div.label { (label) }
                div.cell {
                    div.track style=(format!("width: {:.1}%", 100.0 * *registered as f64 / most)) {
                        div.fill style=(format!("width: {:.1}%", 100.0 * *passed as f64 / (*registered).max(1) as f64)) {}
                    }
                    span.count { (passed) " of " (registered) " passed" }
                }
            }
        }
    }
}

fn is_web_address(text: &str) -> bool {
    let lower = text.get(..8).unwrap_or(text).to_ascii_lowercase();
    lower.starts_with("https://") || lower.starts_with("http://")
}

/// A report's rows as an HTML table, the total row last.
fn table(report: &Report) -> Markup {
    let numeric = report.numeric_columns();
    html! {
        div.scroll {
            table {
                thead { tr { @for (column, n) in report.columns.iter().zip(&numeric) { th class=[n.then_some("n")] { (column.heading) } } } }
                tbody {
                    @for row in &report.rows {
                        tr { @for (cell, n) in row.iter().zip(&numeric) { td class=[n.then_some("n")] { (cell.display()) } } }
                    }
                    // In the body, not a tfoot: printing repeats a tfoot at the foot of every page.
                    @if let Some(total) = &report.total {
                        tr.total { @for (cell, n) in total.iter().zip(&numeric) { td class=[n.then_some("n")] { (cell.display()) } } }
                    }
                }
            }
        }
    }
}

/// A source as a link when it is a web address, and as text otherwise (never a `javascript:`
/// or other scheme a reader's browser would act on).
fn source(source: Option<&str>) -> Markup {
    match source {
        Some(url) if is_web_address(url) => {
            html! { a href=(url) { (url) } }
        }
        Some(text) => html! { (text) },
        None => html! {},
    }
}
