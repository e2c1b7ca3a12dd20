//! `motions timeline`: the campaign week by week (or month by month), with a chart of how many
//! organisations had passed the motion.

use anyhow::Result;

use super::{Context, emit, resolve};
use crate::model::{Every, parse_date_arg, timeline};
use crate::output::OutputArgs;
use crate::output::bar::{bar, chart_width};
use crate::output::{Cell, Column, Format, Report};

/// Show the motion's progress per week or month: new decisions by group, and the running total
/// of organisations that have passed it, drawn as a bar chart in the terminal.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Weeks run Monday to Sunday. Passed, rejected, pending and dropped count the \
    organisations whose status moved into that group during the period (planned counts as \
    pending); passed so far, and the chart, how many stood at passed (as written or amended) at \
    its end.\n\n\
    Examples:\n  motions timeline\n  motions timeline --every month --since 2019-01-01\n  \
    motions timeline --format csv -o timeline.csv"
)]
pub(crate) struct Args {
    /// The motion's slug (may be left out when there is only one motion)
    #[arg(long, value_name = "SLUG", add = clap_complete::engine::ArgValueCompleter::new(crate::cmd::complete::motion_slugs))]
    motion: Option<String>,

    /// The length of each period
    #[arg(long, value_enum, default_value = "week", value_name = "PERIOD")]
    every: EveryArg,

    /// Start with the period holding this date
    #[arg(long, value_name = "DATE")]
    since: Option<String>,

    /// End with the period holding this date
    #[arg(long, value_name = "DATE")]
    until: Option<String>,

    #[command(flatten)]
    output: OutputArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum EveryArg {
    Week,
    Month,
}

pub(crate) fn run(args: Args, ctx: &Context) -> Result<()> {
    let since = args.since.as_deref().map(parse_date_arg).transpose()?;
    let until = args.until.as_deref().map(parse_date_arg).transpose()?;
    if let (Some(since), Some(until)) = (since, until)
        && until < since
    {
        anyhow::bail!(
            "--until {until} is before --since {since}; give the earlier date to --since"
        );
    }
    let every = match args.every {
        EveryArg::Week => Every::Week,
        EveryArg::Month => Every::Month,
    };
    let mut store = ctx.reader()?;
    let motion = resolve::motion(&mut store, args.motion.as_deref())?;
    let events = store.events_of(motion.id)?;
    let periods = timeline(&events, every, since, until);

    let mut report = Report::new(
        [
            ("period_start", "From"),
            ("period_end", "To"),
            ("passed", "Passed"),
            ("rejected", "Rejected"),
            ("pending", "Pending"),
            ("dropped", "Dropped"),
            ("passed_total", "Passed so far"),
        ]
        .map(|(key, heading)| Column::new(key, heading))
        .to_vec(),
    );
    let chart = args.output.format()? == Format::Table;
    let most = periods.iter().map(|p| p.passed_total).max().unwrap_or(0);
    let width = chart_width(92);
    if chart {
        report.columns.push(Column::new("chart", "Chart"));
    }
    for period in &periods {
        let mut row = vec![
            Cell::from(period.start.to_string()),
            Cell::from(period.end.to_string()),
            Cell::Count(period.passed),
            Cell::Count(period.rejected),
            Cell::Count(period.pending),
            Cell::Count(period.dropped),
            Cell::Count(period.passed_total),
        ];
        if chart {
            row.push(Cell::from(bar(period.passed_total, most, width)));
        }
        report.rows.push(row);
    }
    emit(
        &args.output,
        &report,
        "No events recorded for this motion in that time; record one with: motions log ORG STATUS",
    )
}
