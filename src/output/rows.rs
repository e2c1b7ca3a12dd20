//! Report rows built from the domain's typed values, shared by the reports that show them.

use super::{Cell, Column, Report};
use crate::model::{Dimension, Group, Kind, Org, Standing, Status, StatusCounts, Tally};

/// What to say when no organisation is registered or matches.
pub(crate) const NO_ORGS: &str = "No registered organisation matches; register one with: \
    motions org add NAME --kind KIND";

/// The registry columns, which begin the `status` report too; the name's column is `name` in
/// the registry (as `import orgs` reads it) and `organisation` in reports.
pub(crate) fn org_columns(name_key: &str) -> Vec<Column> {
    [
        (name_key, "Organisation"),
        ("kind", "Kind"),
        ("region", "Region"),
        ("union", "Union"),
        ("parent", "Parent"),
        ("code", "Code"),
    ]
    .into_iter()
    .map(|(key, heading)| Column::new(key, heading))
    .collect()
}

pub(crate) fn org_cells(org: &Org) -> Vec<Cell> {
    vec![
        Cell::from(org.name.as_str()),
        Cell::from(org.kind.as_str()),
        Cell::opt(org.region.as_deref()),
        Cell::opt(org.union.as_deref()),
        Cell::opt(org.parent.as_deref()),
        Cell::opt(org.code.as_deref()),
    ]
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

/// The group columns' headings, in the order of [`count_cells`].
pub(crate) fn count_columns() -> Vec<Column> {
    GROUP_COLUMNS
        .map(|(key, heading)| Column::new(key, heading))
        .to_vec()
}

/// The group columns' cells: registered, passed, amended, rejected, pending, dropped, not moved.
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

/// The tally report: a row per combination of `by` values (or one row without `--by`), with
/// a total row for tables; `detail` adds a column per status. `for_people` says a CLP not yet
/// moved as `-` rather than `none`.
pub(crate) fn tally(tally: &Tally, detail: bool, for_people: bool) -> Report {
    let by = &tally.by;
    let mut columns: Vec<Column> = by
        .iter()
        .map(|dim| Column::new(dim.as_str(), dim.heading()))
        .collect();
    columns.extend(count_columns());
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
    for row in &tally.rows {
        let labels = by.iter().zip(&row.values).map(|(dim, value)| match value {
            Some(value) => Cell::from(value.as_str()),
            None => Cell::Missing(dim.missing()),
        });
        report.rows.push(cells(labels.collect(), &row.counts));
    }
    let total = tally.total();
    if by.is_empty() && report.rows.is_empty() {
        report.rows.push(cells(Vec::new(), &total));
    }
    if !by.is_empty() {
        let mut label = vec![Cell::Empty; by.len()];
        label[0] = Cell::from("Total");
        report.total = Some(cells(label, &total));
    }
    if let Some(statuses) = &tally.clp_statuses {
        add_clp_status(&mut report, statuses, for_people);
    }
    super::least_important_first(&mut report.columns, &TALLY_DROPS);
    report
}

/// The columns of a tally a narrow terminal leaves out, least important first: the status
/// columns of `--detail`, then amended, dropped, pending, the CLP's own status and rejected;
/// the `--by` columns, registered, passed and not moved always stay.
const TALLY_DROPS: [&[&str]; 6] = [
    &[
        "status_planned",
        "status_moved",
        "status_deferred",
        "status_referred",
        "status_passed",
        "status_passed_amended",
        "status_rejected",
        "status_withdrawn",
        "status_ruled_out",
    ],
    &["amended"],
    &["dropped"],
    &["pending"],
    &["clp_status"],
    &["rejected"],
];

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

/// The tally by kind of body, each kind by its label ("Labour branches"), with a total row.
pub(crate) fn by_kind_labelled(by_kind: &[(Kind, StatusCounts)]) -> Report {
    let mut columns = vec![Column::new("kind", Dimension::Kind.heading())];
    columns.extend(count_columns());
    let mut report = Report::new(columns);
    let mut total = StatusCounts::default();
    for (kind, counts) in by_kind {
        total.merge(counts);
        let mut row = vec![Cell::from(kind.label())];
        row.extend(count_cells(counts));
        report.rows.push(row);
    }
    let mut label = vec![Cell::from("Total")];
    label.extend(count_cells(&total));
    report.total = Some(label);
    super::least_important_first(&mut report.columns, &TALLY_DROPS);
    report
}

/// The columns of the `status` report: the registry's, then where the motion stands.
pub(crate) fn status_columns() -> Vec<Column> {
    let mut columns = org_columns("organisation");
    columns.extend(
        [
            ("status", "Status"),
            ("group", "Group"),
            ("meeting_date", "Meeting date"),
            ("votes_for", "For"),
            ("votes_against", "Against"),
            ("votes_abstain", "Abstain"),
            ("source", "Source"),
        ]
        .map(|(key, heading)| Column::new(key, heading)),
    );
    columns
}

/// One organisation's row of the `status` report; `none` is what not yet moved is shown as.
pub(crate) fn status_cells(standing: &Standing, none: &'static str) -> Vec<Cell> {
    let status = standing.latest.as_ref().map(|latest| latest.status);
    let mut row = org_cells(&standing.org);
    row.push(Cell::from(status.map_or(none, Status::as_str)));
    row.push(Cell::from(Group::of(status).as_str()));
    match &standing.latest {
        Some(latest) => row.extend([
            Cell::from(latest.meeting_date.to_string()),
            Cell::opt_count(latest.votes.cast_for),
            Cell::opt_count(latest.votes.against),
            Cell::opt_count(latest.votes.abstain),
            Cell::opt(latest.source.as_deref()),
        ]),
        None => row.extend(std::iter::repeat_n(Cell::Empty, 5)),
    }
    row
}
