//! `motions reporter add|list|revoke|link`: the links activists report through, from their
//! phones, with `motions serve`.

use anyhow::{Result, bail};
use chrono::NaiveDate;

use super::args::date;
use super::{Context, emit, note};
use crate::model::{Reporter, ScopeItem, Token, today};
use crate::ops::links::{self, ReporterRequest};
use crate::output::{Cell, Column, OutputArgs, Report, write_to};

/// Make, list and turn off the links reporters send outcomes through (see motions serve).
#[derive(Debug, clap::Subcommand)]
pub(crate) enum Command {
    Add(AddArgs),
    List(ListArgs),
    Revoke(RevokeArgs),
    Link(LinkArgs),
}

/// The link's address, the part before /r/TOKEN.
const DEFAULT_BASE: &str = "http://127.0.0.1:8080";

/// Make a link for a reporter, and print it (once: only a hash of it is kept).
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Send the link to the reporter privately: whoever has it can report. Reports \
    from a link without --trusted wait for a coordinator (motions review). A link with \
    --coordinator also opens the coordinator's page, BASE/c/TOKEN: the live report and the \
    reports waiting for review.\n\n\
    Examples:\n  \
    motions reporter add \"Sam Sample\" --org \"Ashby CLP\" --base-url https://motions.example.org\n  \
    motions reporter add \"Jo Example\" --motion venezuela-coup --expires 2019-06-30\n  \
    motions reporter add \"Alex Organiser\" --trusted --coordinator"
)]
pub(crate) struct AddArgs {
    /// The reporter's name, as the coordinator knows them; it becomes reported_by
    name: String,

    /// Only for this organisation (repeat for several) [default: any]
    #[arg(long, value_name = "ORG", add = clap_complete::engine::ArgValueCompleter::new(crate::cmd::complete::org_names))]
    org: Vec<String>,

    /// Only on this motion (repeat for several) [default: any]
    #[arg(long, value_name = "SLUG", add = clap_complete::engine::ArgValueCompleter::new(crate::cmd::complete::motion_slugs))]
    motion: Vec<String>,

    /// Record this reporter's reports at once, without review
    #[arg(long)]
    trusted: bool,

    /// Let this link review reports and see the coordinator's page
    #[arg(long)]
    coordinator: bool,

    /// The last day the link works
    #[arg(long, value_name = "DATE", value_parser = date)]
    expires: Option<NaiveDate>,

    /// The address people reach motions serve at (e.g. https://motions.example.org)
    #[arg(long, value_name = "URL", default_value = DEFAULT_BASE)]
    base_url: String,
}

/// List the links (never their tokens).
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:\n  motions reporter list\n  motions reporter list --format csv")]
pub(crate) struct ListArgs {
    #[command(flatten)]
    output: OutputArgs,
}

/// Turn a link off: it stops working at once. Its reports stay.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  motions reporter revoke \"Sam Sample\"\n  motions reporter revoke 3"
)]
pub(crate) struct RevokeArgs {
    /// The reporter's name or id (from motions reporter list)
    who: String,
}

/// Make a fresh link for a reporter (a lost or leaked one); the old link stops working.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:\n  motions reporter link \"Sam Sample\" --new")]
pub(crate) struct LinkArgs {
    /// The reporter's name or id (from motions reporter list)
    who: String,

    /// Make a new link (links are shown once and not kept, so the old one cannot be shown)
    #[arg(long)]
    new: bool,

    /// The address people reach motions serve at
    #[arg(long, value_name = "URL", default_value = DEFAULT_BASE)]
    base_url: String,
}

pub(crate) fn run(command: Command, ctx: &Context) -> Result<()> {
    match command {
        Command::Add(args) => add(args, ctx),
        Command::List(args) => list(args, ctx),
        Command::Revoke(args) => {
            let (reporter, changed) = links::revoke(&mut ctx.store()?, &args.who)?;
            if changed {
                note(format!(
                    "Turned off the link of {} (reporter {}); it no longer works. Their reports stay.",
                    reporter.name, reporter.id
                ));
            } else {
                note(format!(
                    "The link of {} (reporter {}) was turned off already.",
                    reporter.name, reporter.id
                ));
            }
            Ok(())
        }
        Command::Link(args) => link(args, ctx),
    }
}

fn add(args: AddArgs, ctx: &Context) -> Result<()> {
    let base = base_url(&args.base_url)?;
    let request = ReporterRequest {
        name: args.name,
        orgs: args.org,
        motions: args.motion,
        trusted: args.trusted,
        coordinator: args.coordinator,
        expires: args.expires,
    };
    let (reporter, token) = links::add_reporter(&mut ctx.store()?, &request, today())?;
    note(format!(
        "Made a link for {} (reporter {}): {}. It is shown this once; send it to them privately.",
        reporter.name,
        reporter.id,
        describe(&reporter)
    ));
    show_link(&base, &reporter, &token)
}

fn link(args: LinkArgs, ctx: &Context) -> Result<()> {
    if !args.new {
        bail!(
            "links are shown once and not kept, so the old one cannot be shown again; make a new \
             one with: motions reporter link {} --new (the old link then stops working)",
            super::shell_quote(&args.who)
        );
    }
    let base = base_url(&args.base_url)?;
    let (reporter, token) = links::new_link(&mut ctx.store()?, &args.who)?;
    let revived = match reporter.revoked_at {
        Some(_) => " The link had been turned off; the new one works.",
        None => "",
    };
    note(format!(
        "Made a new link for {} (reporter {}); the old one no longer works.{revived}",
        reporter.name, reporter.id
    ));
    show_link(&base, &reporter, &token)
}

/// Prints the link as the last line of standard output, and a coordinator's page on stderr.
fn show_link(base: &str, reporter: &Reporter, token: &Token) -> Result<()> {
    if reporter.coordinator {
        note(format!(
            "The coordinator's page: {base}/c/{}",
            token.as_str()
        ));
    }
    write_to(None, |out| writeln!(out, "{base}/r/{}", token.as_str()))?;
    Ok(())
}

/// The base address, without a trailing slash; only http and https make a link a phone opens.
fn base_url(raw: &str) -> Result<String> {
    let base = raw.trim().trim_end_matches('/');
    let lower = base.to_ascii_lowercase();
    let rest = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"));
    match rest {
        Some(host)
            if !host.is_empty() && !base.chars().any(|c| c.is_whitespace() || c.is_control()) =>
        {
            Ok(base.to_string())
        }
        _ => bail!(
            "--base-url \"{}\" is not a web address; give one such as https://motions.example.org",
            crate::model::visible(raw)
        ),
    }
}

/// "any organisation, trusted, until 2019-06-30", for the note after `add`.
fn describe(reporter: &Reporter) -> String {
    let mut parts = vec![
        match &reporter.orgs {
            None => "any organisation".to_string(),
            Some(orgs) => format!("for {}", names(orgs)),
        },
        match &reporter.motions {
            None => "any motion".to_string(),
            Some(motions) => format!("on {}", names(motions)),
        },
    ];
    parts.push(
        if reporter.trusted {
            "recorded at once"
        } else {
            "reports wait for review"
        }
        .to_string(),
    );
    if reporter.coordinator {
        parts.push("coordinator".to_string());
    }
    if let Some(expires) = reporter.expires {
        parts.push(format!("until {expires}"));
    }
    parts.join(", ")
}

fn names(items: &[ScopeItem]) -> String {
    if items.is_empty() {
        return "(none)".to_string();
    }
    items
        .iter()
        .map(|i| i.name.as_str())
        .collect::<Vec<_>>()
        .join("; ")
}

fn list(args: ListArgs, ctx: &Context) -> Result<()> {
    let reporters = links::reporters(&mut ctx.reader()?)?;
    let mut report = Report::new(
        [
            ("id", "Id"),
            ("name", "Name"),
            ("orgs", "Organisations"),
            ("motions", "Motions"),
            ("trusted", "Trusted"),
            ("coordinator", "Coordinator"),
            ("expires", "Expires"),
            ("revoked", "Turned off"),
            ("last_used", "Last used"),
            ("submissions", "Reports"),
        ]
        .map(|(key, heading)| Column::new(key, heading))
        .to_vec(),
    );
    let for_people = args.output.format()?.is_for_people();
    let yes_no = |b: bool| Cell::from(if b { "yes" } else { "no" });
    for (reporter, submissions) in reporters {
        let scope = |items: &Option<Vec<ScopeItem>>| match items {
            Some(items) => Cell::from(names(items)),
            None if for_people => Cell::from("any"),
            None => Cell::Empty,
        };
        report.rows.push(vec![
            Cell::Count(reporter.id as u64),
            Cell::from(reporter.name.clone()),
            scope(&reporter.orgs),
            scope(&reporter.motions),
            yes_no(reporter.trusted),
            yes_no(reporter.coordinator),
            Cell::opt(reporter.expires),
            Cell::opt(reporter.revoked_at.as_deref()),
            Cell::opt(reporter.last_used.as_deref()),
            Cell::Count(submissions),
        ]);
    }
    emit(
        &args.output,
        &report,
        "No links yet; make one with: motions reporter add NAME",
    )
}
