//! `motions publish DIR`: the campaign as a static website, and the `<iframe>` snippet that
//! embeds its headline count and map in another site.

use std::path::PathBuf;

use anyhow::{Result, bail};

use super::{Context, note, resolve};
use crate::model::today;
use crate::ops::publish::{self, MANIFEST, Request};
use crate::output::site::iframe;
use crate::output::write_to;

/// Write the campaign as a static website to upload anywhere (GitHub Pages, Netlify, any web
/// host): the report, a page for each region and kind of body, the map, an embed, and the
/// data as CSV, JSON and Popolo. Prints the <iframe> snippet for the embed.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "DIR gets index.html, map.svg, embed.html, regions/*.html, kinds/*.html and \
    data/ (outcomes.csv, orgs.csv, tally.json, popolo.json); with several motions, each has its \
    own under motions/SLUG/ and index.html lists them. Nothing in it names a reporter or carries \
    notes; sources stay. The pages have no script and link to each other relatively, so the \
    folder works opened from disk or from any web server.\n\n\
    Publishing again updates the site in place and removes the files it no longer writes (the \
    list of what it wrote is kept in DIR/.motions-site); a folder that is not empty and was not \
    made by publish is refused.\n\n\
    Examples:\n  motions publish site\n  \
    motions publish site --title \"Stop the coup: the campaign\" --base-url https://example.org/campaign\n  \
    motions publish public --motion venezuela-coup"
)]
pub(crate) struct Args {
    /// The folder to write the site into (made when missing)
    #[arg(value_name = "DIR")]
    dir: PathBuf,

    /// Only this motion [default: every motion]
    #[arg(long, value_name = "SLUG", add = clap_complete::engine::ArgValueCompleter::new(crate::cmd::complete::motion_slugs))]
    motion: Option<String>,

    /// The site's name, at the top of its pages
    #[arg(long, value_name = "T")]
    title: Option<String>,

    /// Where the site will be served from (e.g. https://example.org/campaign), for the
    /// <iframe> snippet's address
    #[arg(long, value_name = "URL")]
    base_url: Option<String>,
}

pub(crate) fn run(args: Args, ctx: &Context) -> Result<()> {
    let title = match args.title.as_deref().map(crate::model::Label::parse) {
        Some(Err(problem)) => anyhow::bail!("--title {problem}"),
        Some(Ok(title)) => title.map(|t| t.as_str().to_string()),
        None => None,
    };
    let base_url = args.base_url.as_deref().map(base_url).transpose()?;
    let mut store = ctx.reader()?;
    let mut motions = match &args.motion {
        Some(slug) => vec![resolve::motion(&mut store, Some(slug))?],
        None => store.motions()?,
    };
    // Newest first: the index lists them so, and the site's own embed is the newest's.
    motions.sort_by(|a, b| {
        b.issued_on
            .is_some()
            .cmp(&a.issued_on.is_some())
            .then(b.issued_on.cmp(&a.issued_on))
            .then_with(|| a.slug.cmp(&b.slug))
    });
    let request = Request {
        motions,
        title,
        generated: chrono::Local::now()
            .format("%-d %B %Y at %H:%M")
            .to_string(),
        today: today(),
    };
    let published = publish::publish(&mut store, &args.dir, &request)?;
    let removed = match published.removed.len() {
        0 => String::new(),
        n => format!(
            "; removed {} it no longer writes",
            crate::model::plural(n as u64, "file", "files")
        ),
    };
    note(format!(
        "Published {} to {}{removed}. Open {} in a browser, or upload the folder to any web host \
         ({MANIFEST} lists what publish wrote there; it need not be uploaded).",
        crate::model::plural(published.files as u64, "file", "files"),
        args.dir.display(),
        args.dir.join("index.html").display()
    ));
    let src = match &base_url {
        Some(base) => format!("{base}/{}", published.embed),
        None => published.embed.clone(),
    };
    note("To show the count and the map on another website, paste this where it should appear:");
    let snippet = iframe(&src, &published.embed_title);
    write_to(None, |out| writeln!(out, "{snippet}"))?;
    if base_url.is_none() {
        note(
            "(Its address is relative to the site; give --base-url with the site's address for one \
             that works on any website.)",
        );
    }
    Ok(())
}

/// A site's address: http or https, without spaces or quotes; any final `/` dropped.
fn base_url(text: &str) -> Result<String> {
    let url = text.trim();
    let lower = url.to_ascii_lowercase();
    let web = lower.starts_with("https://") || lower.starts_with("http://");
    if !web
        || url.len() <= "https://".len()
        || url
            .chars()
            .any(|c| c.is_whitespace() || "\"'<>`".contains(c))
    {
        bail!(
            "--base-url \"{}\" is not a web address; give the address the site will be served \
             from, such as https://example.org/campaign",
            crate::model::visible(url)
        );
    }
    Ok(url.trim_end_matches('/').to_string())
}
