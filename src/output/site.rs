//! The pages of a published campaign site besides the report: the links that join them, one
//! page per region or kind of body (the list a coordinator sends round), the embed for a
//! campaign's own website, and the index of motions. Plain HTML with inline styles: no script,
//! nothing fetched, relative links only, so the site works from a folder (`file://`) as on any
//! web host; maud escapes every piece of user text.

use chrono::NaiveDate;
use maud::{DOCTYPE, Markup, PreEscaped, html};

use super::html::CONTENT_SECURITY_POLICY;

/// A link to another page or file of the site, relative to the page it is on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Link {
    pub(crate) href: String,
    pub(crate) text: String,
}

impl Link {
    pub(crate) fn new(href: impl Into<String>, text: impl Into<String>) -> Link {
        Link {
            href: href.into(),
            text: text.into(),
        }
    }
}

/// The links every page of a motion carries: back to the start, and to its filtered views
/// and data.
#[derive(Debug, Clone, Default)]
pub(crate) struct Nav {
    /// The site's name (`publish --title`), linking to its first page.
    pub(crate) site: Option<Link>,
    /// The motion's own page.
    pub(crate) motion: Option<Link>,
    pub(crate) regions: Vec<Link>,
    pub(crate) kinds: Vec<Link>,
    /// The map, the embed and the data files.
    pub(crate) files: Vec<Link>,
}

const STYLE: &str = r#"
:root { color-scheme: light; --ink: #1a1a1a; --muted: #595959; --rule: #d0d0d0; --passed: #009E73; }
* { box-sizing: border-box; }
body { font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif;
       color: var(--ink); margin: 0 auto; max-width: 60rem; padding: 1rem; }
h1 { font-size: 1.6rem; margin: 0 0 .25rem; line-height: 1.25; }
h2 { font-size: 1.2rem; margin: 2rem 0 .5rem; border-bottom: 2px solid var(--passed); padding-bottom: .2rem; }
.dated { color: var(--muted); margin: 0 0 1rem; }
.summary { font-size: 1.15rem; background: #f3f8f6; border-left: 4px solid var(--passed); padding: .75rem 1rem; }
.deadline { font-weight: bold; }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0; }
th, td { border-bottom: 1px solid var(--rule); padding: .3rem .5rem; text-align: left; vertical-align: top; }
th { background: #f2f2f2; }
td.d { white-space: nowrap; }
td.src { overflow-wrap: anywhere; min-width: 6rem; }
ul.motions { padding-left: 1.2rem; }
ul.motions li { margin: 0 0 1rem; }
a { color: #0b5394; overflow-wrap: anywhere; }
footer { margin-top: 2rem; color: var(--muted); font-size: .85rem; border-top: 1px solid var(--rule); padding-top: .5rem; }
@media (max-width: 40rem) { body { padding: .5rem; font-size: 15px; } table { font-size: .8rem; } }
@media print { nav.site { display: none; } a { color: inherit; text-decoration: none; } }
"#;

/// The head every page shares: no script may run, nothing is fetched.
fn head(title: &str, style: &str) -> Markup {
    html! {
        meta charset="utf-8";
        meta name="viewport" content="width=device-width, initial-scale=1";
        meta http-equiv="Content-Security-Policy" content=(CONTENT_SECURITY_POLICY);
        meta name="referrer" content="no-referrer";
        title { (title) }
        style { (PreEscaped(style)) }
    }
}

fn long(day: NaiveDate) -> String {
    day.format("%-d %B %Y").to_string()
}

const NAV_STYLE: &str =
    "border: 1px solid #d0d0d0; padding: .5rem .75rem; margin: 0 0 1rem; font-size: .95rem";

/// Links one after another, with a dot between.
fn links(links: &[&Link]) -> Markup {
    html! {
        @for (i, link) in links.iter().enumerate() {
            @if i > 0 { " \u{b7} " }
            a href=(link.href) { (link.text) }
        }
    }
}

/// The links to the site's pages and files.
pub(crate) fn nav(nav: &Nav) -> Markup {
    html! {
        // Styled in place: the report page that carries it has a style sheet of its own.
        nav.site aria-label="This site" style=(NAV_STYLE) {
            @let top: Vec<&Link> = nav.site.iter().chain(&nav.motion).collect();
            @if !top.is_empty() { p style="margin:.2rem 0" { (links(&top)) } }
            @if !nav.regions.is_empty() {
                p id="regions" style="margin:.2rem 0" { "By region: " (links(&nav.regions.iter().collect::<Vec<_>>())) }
            }
            @if !nav.kinds.is_empty() {
                p id="kinds" style="margin:.2rem 0" { "By kind: " (links(&nav.kinds.iter().collect::<Vec<_>>())) }
            }
            @if !nav.files.is_empty() {
                p id="data" style="margin:.2rem 0" { "Map and data: " (links(&nav.files.iter().collect::<Vec<_>>())) }
            }
        }
    }
}

/// One organisation in a region's or kind's list.
#[derive(Debug, Clone)]
pub(crate) struct ViewRow {
    pub(crate) name: String,
    pub(crate) kind: String,
    pub(crate) region: Option<String>,
    /// The canonical status, or `None` when not yet moved.
    pub(crate) status: Option<String>,
    pub(crate) date: Option<NaiveDate>,
    pub(crate) source: Option<String>,
}

/// A section of a view: the organisations of one group ("Passed", "Not yet moved").
#[derive(Debug, Clone)]
pub(crate) struct Section {
    /// The anchor (`passed`, `not-moved`), so a link can point at one list.
    pub(crate) id: &'static str,
    pub(crate) heading: &'static str,
    pub(crate) rows: Vec<ViewRow>,
}

/// A page of one region's or one kind's organisations.
pub(crate) struct View<'a> {
    pub(crate) motion_title: &'a str,
    pub(crate) slug: &'a str,
    /// "London", "CLPs".
    pub(crate) heading: &'a str,
    pub(crate) as_of: NaiveDate,
    /// The counts in a sentence.
    pub(crate) headline: String,
    pub(crate) deadline: Option<&'a str>,
    pub(crate) sections: Vec<Section>,
    pub(crate) nav: &'a Nav,
    pub(crate) generated: &'a str,
}

/// The page of one region or kind: its counts, then each group's organisations.
pub(crate) fn view_page(view: &View<'_>) -> String {
    let title = format!("{}: {}", view.heading, view.motion_title);
    html! {
        (DOCTYPE)
        html lang="en-GB" {
            head { (head(&title, STYLE)) }
            body {
                header {
                    h1 { (view.heading) ": " (view.motion_title) }
                    p.dated { "As of " strong { (long(view.as_of)) } " (motion " code { (view.slug) } ")." }
                }
                (nav(view.nav))
                p.summary {
                    (view.headline)
                    @if let Some(deadline) = view.deadline { " " span.deadline { (deadline) } }
                }
                p { @for section in &view.sections { a href=(format!("#{}", section.id)) { (section.heading) " (" (section.rows.len()) ")" } " " } }
                @for section in &view.sections {
                    h2 id=(section.id) { (section.heading) " (" (section.rows.len()) ")" }
                    @if section.rows.is_empty() {
                        p { "None." }
                    } @else {
                        div.scroll { table {
                            thead { tr { th { "Organisation" } th { "Kind, region" } th { "Status" } th { "Date" } th { "Source" } } }
                            tbody {
                                @for row in &section.rows {
                                    tr {
                                        td { (row.name) }
                                        td { (row.kind) @if let Some(region) = &row.region { ", " (region) } }
                                        td { (row.status.as_deref().unwrap_or("not yet moved")) }
                                        td.d { @if let Some(date) = row.date { (date.to_string()) } }
                                        td.src { (source(row.source.as_deref())) }
                                    }
                                }
                            }
                        } }
                    }
                }
                footer { "Made by motions on " (view.generated) ". An organisation's status is its latest recorded outcome." }
            }
        }
    }
    .into_string()
}

/// A source as a link when it is a web address, and as text otherwise (never a `javascript:`
/// or other scheme a reader's browser would act on).
fn source(source: Option<&str>) -> Markup {
    match source {
        Some(url) if is_web_address(url) => {
            html! { a href=(url) rel="nofollow noopener" { (url) } }
        }
        Some(text) => html! { (text) },
        None => html! {},
    }
}

fn is_web_address(text: &str) -> bool {
    let lower = text.get(..8).unwrap_or(text).to_ascii_lowercase();
    lower.starts_with("https://") || lower.starts_with("http://")
}

/// What the embed shows.
pub(crate) struct Embed<'a> {
    pub(crate) title: &'a str,
    pub(crate) passed: u64,
    pub(crate) registered: u64,
    /// "4 of 10 CLPs, 8 Labour branches, …" or the like.
    pub(crate) detail: String,
    pub(crate) deadline: Option<&'a str>,
    pub(crate) as_of: NaiveDate,
    pub(crate) map: Option<Markup>,
    /// The full picture, relative to the embed.
    pub(crate) full: &'a str,
}

const EMBED_STYLE: &str = r#"
:root { color-scheme: light; }
* { box-sizing: border-box; }
html, body { margin: 0; padding: 0; background: #fff; }
body { font: 15px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif; color: #1a1a1a; padding: .5rem; }
.count { font-size: 2.6rem; font-weight: bold; color: #00563F; line-height: 1; margin: 0; }
.of { margin: .2rem 0; font-size: 1.05rem; }
.detail, .dated { margin: .2rem 0; color: #595959; font-size: .9rem; }
.deadline { margin: .3rem 0; font-weight: bold; }
figure { margin: .4rem 0; }
figure svg { width: 100%; height: auto; max-height: 70vh; display: block; }
a { color: #0b5394; }
"#;

/// The headline count and the map, sized to sit in an `<iframe>` on a campaign's website.
pub(crate) fn embed_page(embed: &Embed<'_>) -> String {
    let organisations = if embed.registered == 1 {
        "organisation"
    } else {
        "organisations"
    };
    html! {
        (DOCTYPE)
        html lang="en-GB" {
            head { (head(embed.title, EMBED_STYLE)) }
            body {
                p.count { (embed.passed) }
                p.of { "of " (embed.registered) " registered " (organisations) " " (if embed.passed == 1 { "has" } else { "have" }) " passed \u{201c}" (embed.title) "\u{201d}" }
                @if !embed.detail.is_empty() { p.detail { (embed.detail) } }
                @if let Some(deadline) = embed.deadline { p.deadline { (deadline) } }
                @if let Some(map) = &embed.map { figure { (map) } }
                p.dated {
                    "As of " (long(embed.as_of)) ". "
                    a href=(embed.full) target="_blank" rel="noopener" { "The full picture" }
                }
            }
        }
    }
    .into_string()
}

/// The snippet to paste into a campaign's website to show the embed.
pub(crate) fn iframe(src: &str, title: &str) -> String {
    html! {
        iframe src=(src) title=(title) width="640" height="760" style="border:0;max-width:100%" loading="lazy" {}
    }
    .into_string()
}

/// One motion on the site's first page.
#[derive(Debug, Clone)]
pub(crate) struct MotionEntry {
    pub(crate) title: String,
    pub(crate) slug: String,
    pub(crate) href: String,
    pub(crate) summary: String,
}

/// The first page of a site with several motions.
pub(crate) struct Index<'a> {
    pub(crate) title: &'a str,
    pub(crate) as_of: NaiveDate,
    pub(crate) motions: &'a [MotionEntry],
    pub(crate) nav: &'a Nav,
    pub(crate) generated: &'a str,
}

/// The index of motions, each with its paragraph and a link to its page.
pub(crate) fn index_page(index: &Index<'_>) -> String {
    html! {
        (DOCTYPE)
        html lang="en-GB" {
            head { (head(index.title, STYLE)) }
            body {
                header {
                    h1 { (index.title) }
                    p.dated { "As of " strong { (long(index.as_of)) } ": " (index.motions.len()) " motions." }
                }
                (nav(index.nav))
                ul.motions {
                    @for motion in index.motions {
                        li {
                            a href=(motion.href) { strong { (motion.title) } }
                            " (" code { (motion.slug) } ")"
                            br;
                            (motion.summary)
                        }
                    }
                }
                footer { "Made by motions on " (index.generated) ". Counts are of registered organisations; an organisation's status is its latest recorded outcome." }
            }
        }
    }
    .into_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_text_is_escaped_and_only_web_sources_are_links() {
        let nav = Nav {
            regions: vec![Link::new("regions/x.html", "<b>X</b>")],
            ..Nav::default()
        };
        let page = view_page(&View {
            motion_title: "<script>alert(1)</script>",
            slug: "m",
            heading: "A & B",
            as_of: NaiveDate::from_ymd_opt(2019, 3, 1).unwrap(),
            headline: "1 of 2".into(),
            deadline: None,
            sections: vec![Section {
                id: "passed",
                heading: "Passed",
                rows: vec![ViewRow {
                    name: "<img src=x onerror=alert(1)>".into(),
                    kind: "CLP".into(),
                    region: None,
                    status: Some("passed".into()),
                    date: None,
                    source: Some("javascript:alert(1)".into()),
                }],
            }],
            nav: &nav,
            generated: "today",
        });
        assert!(
            !page.contains("<script>alert") && !page.contains("<img") && !page.contains("<b>X")
        );
        assert!(!page.contains("href=\"javascript"), "{page}");
        let snippet = iframe("https://example.org/site/embed.html", "\"><script>");
        assert!(snippet.starts_with("<iframe src=\"https://example.org/site/embed.html\""));
        assert!(!snippet.contains("<script>"));
    }
}
