//! `motions timeline`: the campaign week by week (or month by month), with a chart of how many
//! organisations had passed the motion.

use anyhow::Result;

use super::{Context, emit, resolve};
use crate::output::OutputArgs;
use chrono::NaiveDate;

use crate::model::{Every, MOST_PERIODS, Status, TooLong, parse_date_arg, timeline};
use crate::output::bar::bar;
use crate::output::{Cell, Column, Format, Report, least_important_first};

/// Show the motion's progress per week or month: new decisions by group, and the running total
/// of organisations that have passed it, drawn as a bar chart in the terminal.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Weeks run Monday to Sunday. Passed, rejected, pending and dropped count the \
    organisations whose status moved into that group during the period (planned counts as \
    pending); passed so far, and the chart, how many stood at passed (as written or amended) at \
    its end. A timeline holds at most 1,000 periods (19 years of weeks).\n\n\
    On a narrow terminal the chart keeps at least 10 characters and To, Dropped, Pending and \
    Rejected are left out, in that order (--wide shows every column).\n\n\
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
    let periods = timeline(&events, every, since, until)
        .map_err(|too_long| anyhow::anyhow!(too_long_message(too_long, every, &events, until)))?;

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
    least_important_first(
        &mut report.columns,
        &[&["period_end"], &["dropped"], &["pending"], &["rejected"]],
    );
    for period in &periods {
        let row = vec![
            Cell::from(period.start.to_string()),
            Cell::from(period.end.to_string()),
            Cell::Count(period.passed),
            Cell::Count(period.rejected),
            Cell::Count(period.pending),
            Cell::Count(period.dropped),
            Cell::Count(period.passed_total),
        ];
        report.rows.push(row);
    }
    if args.output.format()? == Format::Table {
        // The chart takes what the terminal leaves beside the numbers (40 characters off a
        // terminal), from 10 to 60.
        let width = args.output.room_beside(&report, 10, 60).unwrap_or(40);
        let most = periods.iter().map(|p| p.passed_total).max().unwrap_or(0);
        report.columns.push(Column::new("chart", "Chart"));
        for (row, period) in report.rows.iter_mut().zip(&periods) {
            row.push(Cell::from(bar(period.passed_total, most, width)));
        }
    }
    emit(
        &args.output,
        &report,
        "No events recorded for this motion in that time; record one with: motions log ORG STATUS",
    )
}

/// Why a timeline is refused as too long, and the nearest ways to one that is not.
fn too_long_message(
    too_long: TooLong,
    every: Every,
    events: &[(i64, Status, NaiveDate)],
    until: Option<NaiveDate>,
) -> String {
    let TooLong {
        periods,
        first,
        last,
    } = too_long;
    let fits = |every: Every, first, last| every.count(first, last) <= MOST_PERIODS;
    let mut ways = Vec::new();
    let first_event = events.first().map_or(first, |event| event.2);
    let last_event = events.last().map_or(last, |event| event.2);
    if first < first_event && first_event <= last && fits(every, first_event, last) {
        ways.push(format!(
            "start at the motion's first event with --since {first_event}"
        ));
    } else if until.is_some()
        && last > last_event
        && first <= last_event
        && fits(every, first, last_event)
    {
        ways.push(format!("end at its last event with --until {last_event}"));
    }
    if every == Every::Week && fits(Every::Month, first, last) {
        ways.push("count months with --every month".to_string());
    }
    if ways.is_empty() {
        ways.push(format!(
            "start later, at --since {} or after",
            every.back(last, (MOST_PERIODS - 1) as u32)
        ));
    }
    let unit = match every {
        Every::Week => "weeks",
        Every::Month => "months",
    };
    format!(
        "a timeline from {first} to {last} would have {} {unit}, more than the {} periods a \
         timeline shows; {}",
        crate::model::thousands(periods),
        crate::model::thousands(MOST_PERIODS),
        ways.join(", or ")
    )
}
