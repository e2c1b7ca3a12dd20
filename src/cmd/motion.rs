//! `motions motion add|list|show`: the model motions of a campaign.

use std::path::PathBuf;

use anyhow::{Result, anyhow};

use super::{Context, emit, note, read_text, resolve};
use crate::model::{self, StatusCounts, parse_date_arg};
use crate::ops::motions::{self, Edited, MotionEdit, MotionRequest};
use crate::output::OutputArgs;
use crate::output::{Cell, Column, Layout, Report};

/// Register a motion, list them, or show one.
#[derive(Debug, clap::Subcommand)]
pub(crate) enum Command {
    Add(AddArgs),
    List(ListArgs),
    Show(ShowArgs),
    Edit(EditArgs),
}

/// Change a motion's details; what is not given stays as it is, and an empty value clears it.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  motions motion edit venezuela-coup --deadline 2019-04-30\n  \
    motions motion edit venezuela-coup --text-file motion.txt --issued-by \"\""
)]
pub(crate) struct EditArgs {
    /// The motion's slug now
    slug: String,

    /// A new slug
    #[arg(long = "slug", value_name = "NEW")]
    new_slug: Option<String>,

    /// A new title
    #[arg(long, allow_hyphen_values = true)]
    title: Option<String>,

    /// Read the full wording from FILE ('-' for standard input)
    #[arg(long, value_name = "FILE")]
    text_file: Option<PathBuf>,

    /// Who circulated it ("" clears it)
    #[arg(long, value_name = "WHO", allow_hyphen_values = true)]
    issued_by: Option<String>,

    /// When it was circulated ("" clears it)
    #[arg(long, value_name = "DATE")]
    issued_on: Option<String>,

    /// The date by which bodies are asked to pass it ("" clears it)
    #[arg(long, value_name = "DATE")]
    deadline: Option<String>,
}

/// Register a model motion.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:\n  \
    motions motion add venezuela-coup --title \"Oppose the attempted coup in Venezuela\" \\\n      \
    --issued-on 2019-01-24 --issued-by \"Sample Campaign Network\"\n  \
    motions motion add nhs-2026 --title \"Save our NHS\" --text-file motion.txt")]
pub(crate) struct AddArgs {
    /// A short handle for the motion: lower-case letters, digits and '-' (e.g. venezuela-coup)
    slug: String,

    /// The motion's title
    #[arg(long, allow_hyphen_values = true)]
    title: String,

    /// Read the full wording from FILE ('-' for standard input)
    #[arg(long, value_name = "FILE")]
    text_file: Option<PathBuf>,

    /// Who circulated it
    #[arg(long, value_name = "WHO", allow_hyphen_values = true)]
    issued_by: Option<String>,

    /// When it was circulated (YYYY-MM-DD or DD/MM/YYYY)
    #[arg(long, value_name = "DATE")]
    issued_on: Option<String>,

    /// The date by which bodies are asked to pass it
    #[arg(long, value_name = "DATE")]
    deadline: Option<String>,
}

/// List the motions with their headline tally.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:\n  motions motion list\n  motions motion list --format csv")]
pub(crate) struct ListArgs {
    #[command(flatten)]
    output: OutputArgs,
}

/// Show one motion: its details, its wording and its tally.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:\n  motions motion show venezuela-coup")]
pub(crate) struct ShowArgs {
    /// The motion's slug
    #[arg(add = clap_complete::engine::ArgValueCompleter::new(crate::cmd::complete::motion_slugs))]
    slug: String,

    #[command(flatten)]
    output: OutputArgs,
}

pub(crate) fn run(command: Command, ctx: &Context) -> Result<()> {
    match command {
        Command::Add(args) => add(args, ctx),
        Command::List(args) => list(args, ctx),
        Command::Show(args) => show(args, ctx),
        Command::Edit(args) => edit(args, ctx),
    }
}

/// A date flag of `motion edit`: absent keeps, empty clears.
fn date_change(value: Option<&str>) -> Result<Option<Option<chrono::NaiveDate>>> {
    match value.map(str::trim) {
        None => Ok(None),
        Some("") => Ok(Some(None)),
        Some(text) => Ok(Some(Some(parse_date_arg(text)?))),
    }
}

fn edit(args: EditArgs, ctx: &Context) -> Result<()> {
    let edit = MotionEdit {
        slug: args.new_slug,
        title: args.title,
        text: args
            .text_file
            .as_deref()
            .map(read_text)
            .transpose()?
            .map(Some),
        issued_by: args.issued_by.map(Some),
        issued_on: date_change(args.issued_on.as_deref())?,
        deadline: date_change(args.deadline.as_deref())?,
    };
    match motions::edit(&mut ctx.store()?, &args.slug, &edit)? {
        Edited::Unchanged(motion) => note(format!(
            "Nothing to change for {}; give the details to change",
            motion.slug
        )),
        Edited::Changed(motion) => {
            note(format!("Updated motion {}: {}", motion.slug, motion.title));
        }
    }
    Ok(())
}

fn add(args: AddArgs, ctx: &Context) -> Result<()> {
    let request = MotionRequest {
        slug: args.slug,
        title: args.title,
        text: args.text_file.as_deref().map(read_text).transpose()?,
        issued_by: args.issued_by,
        issued_on: args.issued_on.as_deref().map(parse_date_arg).transpose()?,
        deadline: args.deadline.as_deref().map(parse_date_arg).transpose()?,
    };
    let motion = motions::add(&mut ctx.store()?, &request)?;
    note(format!("Added motion {}: {}", motion.slug, motion.title));
    Ok(())
}

fn headline(counts: &StatusCounts, latest: Option<chrono::NaiveDate>) -> Vec<Cell> {
    let mut cells = crate::output::rows::count_cells(counts);
    cells.push(Cell::opt(latest));
    cells
}

fn motion_columns() -> Vec<Column> {
    [
        ("slug", "Slug"),
        ("title", "Title"),
        ("issued_by", "Issued by"),
        ("issued_on", "Issued on"),
        ("deadline", "Deadline"),
    ]
    .into_iter()
    .map(|(key, heading)| Column::new(key, heading))
    .chain(crate::output::rows::count_columns())
    .chain([Column::new("latest_event", "Latest event")])
    .collect()
}

fn motion_cells(motion: &model::Motion) -> Vec<Cell> {
    vec![
        Cell::from(motion.slug.as_str()),
        Cell::from(motion.title.as_str()),
        Cell::opt(motion.issued_by.as_deref()),
        Cell::opt(motion.issued_on),
        Cell::opt(motion.deadline),
    ]
}

fn list(args: ListArgs, ctx: &Context) -> Result<()> {
    let summaries = ctx.reader()?.motion_summaries()?;
    let mut report = Report::new(motion_columns());
    crate::output::least_important_first(
        &mut report.columns,
        &[
            &["issued_by"],
            &["amended"],
            &["dropped"],
            &["issued_on"],
            &["deadline"],
            &["pending"],
            &["latest_event"],
            &["rejected"],
        ],
    );
    for summary in &summaries {
        let mut row = motion_cells(&summary.motion);
        row.extend(headline(&summary.counts, summary.latest_event));
        report.rows.push(row);
    }
    emit(
        &args.output,
        &report,
        "No motions yet; add one with: motions motion add SLUG --title \"TITLE\"",
    )
}

fn show(args: ShowArgs, ctx: &Context) -> Result<()> {
    let mut store = ctx.reader()?;
    let motion = resolve::motion(&mut store, Some(&args.slug))?;
    let summary = store
        .motion_summaries()?
        .into_iter()
        .find(|s| s.motion.id == motion.id)
        .ok_or_else(|| anyhow!("motion \"{}\" was removed while reading it", motion.slug))?;
    let mut report = Report::new(motion_columns());
    report.columns.push(Column::new("text", "Text"));
    report.layout = Layout::Record;
    let mut row = motion_cells(&motion);
    row.extend(headline(&summary.counts, summary.latest_event));
    row.push(Cell::opt(motion.text.as_deref()));
    report.rows.push(row);
    args.output.emit(&report)
}
