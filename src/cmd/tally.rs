//! `motions tally`: how many have passed, rejected, are considering, or have not moved the
//! motion, against the whole registry, broken down by kind, region or union.

use std::cmp::Ordering;

use anyhow::Result;

use super::args::FilterArgs;
use super::{Context, emit, resolve};
use crate::model::{Dimension, Group, Kind, Status, StatusCounts, TallyRow, parse_date_arg};
use crate::output::OutputArgs;
use crate::output::rows::NO_ORGS;
use crate::output::{Cell, Column, Report};

/// Count current statuses against the registry: passed, rejected, pending, dropped and not yet
/// moved, with a total row.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Every row adds up: passed + rejected + pending + dropped + not moved = \
    registered. `amended` counts the passes that were amended (a part of `passed`).\n\n\
    --by clp counts ward branches under their parent CLP, with the CLP's own status beside them.\n\n\
    Examples:\n  motions tally --by kind\n  motions tally --by region --by kind --as-of 2019-02-15\n  \
    motions tally --by clp --region London\n  \
    motions tally --by union --kind union-branch --detail --format csv"
)]
pub(crate) struct Args {
    /// The motion's slug (may be left out when there is only one motion)
    #[arg(long, value_name = "SLUG", add = clap_complete::engine::ArgValueCompleter::new(crate::cmd::complete::motion_slugs))]
    motion: Option<String>,

    /// Break the tally down by kind, region or union (repeat, or list with commas), or count
    /// branches under their CLP
    #[arg(long, value_enum, value_delimiter = ',', value_name = "COLUMN")]
    by: Vec<By>,

    /// Add a column for each status
    #[arg(long)]
    detail: bool,

    #[command(flatten)]
    filter: FilterArgs,

    /// Count as things stood at the end of this day
    #[arg(long, value_name = "DATE")]
    as_of: Option<String>,

    #[command(flatten)]
    output: OutputArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum By {
    Kind,
    Region,
    Union,
    Clp,
}

impl From<By> for Dimension {
    fn from(by: By) -> Dimension {
        match by {
            By::Kind => Dimension::Kind,
            By::Region => Dimension::Region,
            By::Union => Dimension::Union,
            By::Clp => Dimension::Clp,
        }
    }
}

/// The group columns of every tally, after the `--by` columns (the contract's names).
const GROUP_COLUMNS: [(&str, &str); 7] = [
    ("registered", "Registered"),
    ("passed", "Passed"),
    ("amended", "Amended"),
    ("rejected", "Rejected"),
    ("pending", "Pending"),
    ("dropped", "Dropped"),
    ("not_moved", "Not moved"),
];

/// The group columns' cells, in the order of [`GROUP_COLUMNS`].
pub(crate) fn count_cells(counts: &StatusCounts) -> Vec<Cell> {
    vec![
        Cell::Count(counts.registered()),
        Cell::Count(counts.group(Group::Passed)),
        Cell::Count(counts.status(Status::PassedAmended)),
        Cell::Count(counts.group(Group::Rejected)),
        Cell::Count(counts.group(Group::Pending)),
        Cell::Count(counts.group(Group::Dropped)),
        Cell::Count(counts.group(Group::None)),
    ]
}

pub(crate) fn run(args: Args, ctx: &Context) -> Result<()> {
    let as_of = args.as_of.as_deref().map(parse_date_arg).transpose()?;
    let given: Vec<Dimension> = args.by.iter().map(|&b| Dimension::from(b)).collect();
    let by = dimensions(&given)?;
    let mut store = ctx.reader()?;
    let filter = args.filter.parse(&mut store)?;
    let motion = resolve::motion(&mut store, args.motion.as_deref())?;
    let for_people = args.output.format()?.is_for_people();
    let report = tally(
        &mut store,
        motion.id,
        &by,
        &filter,
        args.detail,
        as_of,
        for_people,
    )?;
    emit(&args.output, &report, NO_ORGS)
}

/// The `--by` columns, each once; `clp` stands alone.
pub(crate) fn dimensions(given: &[Dimension]) -> Result<Vec<Dimension>> {
    let mut by: Vec<Dimension> = Vec::new();
    for &dim in given {
        if !by.contains(&dim) {
            by.push(dim);
        }
    }
    if by.contains(&Dimension::Clp) && by.len() > 1 {
        anyhow::bail!(
            "--by clp counts branches under their CLP and stands alone; leave out the other --by columns"
        );
    }
    Ok(by)
}

/// The tally report of one motion, as `tally` prints it (and the web intake's API serves it).
pub(crate) fn tally(
    store: &mut crate::db::Store,
    motion_id: i64,
    by: &[Dimension],
    filter: &crate::model::OrgFilter,
    detail: bool,
    as_of: Option<chrono::NaiveDate>,
    for_people: bool,
) -> Result<Report> {
    let mut rows = store.tally(motion_id, filter, by, as_of)?;
    let clps = match by == [Dimension::Clp] {
        true => clp_statuses(store, filter, motion_id, as_of)?,
        false => Vec::new(),
    };
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
    rows.sort_by(|a, b| compare_rows(by, a, b));
    let mut report = build(by, &rows, detail);
    if by == [Dimension::Clp] {
        add_clp_status(&mut report, &clps, for_people);
    }
    Ok(report)
}

/// The CLPs' own statuses, for `--by clp`: every CLP (in the region asked for) has a row, even
/// one with no branches registered, and its own status beside its branches' counts.
fn clp_statuses(
    store: &mut crate::db::Store,
    filter: &crate::model::OrgFilter,
    motion_id: i64,
    as_of: Option<chrono::NaiveDate>,
) -> Result<Vec<(String, Option<Status>)>> {
    let clps = crate::model::OrgFilter {
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

/// Puts each CLP's own status beside the count of its branches.
fn add_clp_status(report: &mut Report, statuses: &[(String, Option<Status>)], for_people: bool) {
    let statuses: std::collections::HashMap<&str, Option<Status>> = statuses
        .iter()
        .map(|(name, status)| (name.as_str(), *status))
        .collect();
    report
        .columns
        .insert(1, Column::new("clp_status", "CLP's own status"));
    for row in &mut report.rows {
        let status = match row[0].text().and_then(|clp| statuses.get(clp)) {
            Some(Some(status)) => Cell::from(status.as_str()),
            Some(None) => Cell::from(if for_people { "-" } else { "none" }),
            None => Cell::Empty,
        };
        row.insert(1, status);
    }
    if let Some(total) = &mut report.total {
        total.insert(1, Cell::Empty);
    }
}

/// The report: a row per combination of `by` values (or one row without `--by`), and for
/// tables a total row.
fn build(by: &[Dimension], rows: &[TallyRow], detail: bool) -> Report {
    let mut columns: Vec<Column> = by
        .iter()
        .map(|dim| Column::new(dim.as_str(), dim.heading()))
        .collect();
    columns.extend(GROUP_COLUMNS.map(|(key, heading)| Column::new(key, heading)));
    if detail {
        columns.extend(Status::ALL.map(|s| {
            Column::new(
                format!("status_{}", s.as_str().replace('-', "_")),
                s.as_str(),
            )
        }));
    }
    let cells = |values: Vec<Cell>, counts: &StatusCounts| {
        let mut row = values;
        row.extend(count_cells(counts));
        if detail {
            row.extend(Status::ALL.map(|s| Cell::Count(counts.status(s))));
        }
        row
    };
    let mut report = Report::new(columns);
    let mut total = StatusCounts::default();
    for row in rows {
        total.merge(&row.counts);
        let labels = by.iter().zip(&row.values).map(|(dim, value)| match value {
            Some(value) => Cell::from(value.as_str()),
            None => Cell::Missing(dim.missing()),
        });
        report.rows.push(cells(labels.collect(), &row.counts));
    }
    if by.is_empty() && report.rows.is_empty() {
        report.rows.push(cells(Vec::new(), &total));
    }
    if !by.is_empty() {
        let mut label = vec![Cell::Empty; by.len()];
        label[0] = Cell::from("Total");
        report.total = Some(cells(label, &total));
    }
    report
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

/// The tally of one motion by one column, over the whole registry, as `demo` and `report`
/// show it.
pub(crate) fn report_by(
    store: &mut crate::db::Store,
    motion_id: i64,
    by: Dimension,
    as_of: Option<chrono::NaiveDate>,
) -> Result<Report> {
    let by = [by];
    let mut rows = store.tally(motion_id, &crate::model::OrgFilter::default(), &by, as_of)?;
    rows.sort_by(|a, b| compare_rows(&by, a, b));
    Ok(build(&by, &rows, false))
}
