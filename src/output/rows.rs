//! Report rows built from the domain's typed values, shared by the reports that show them.

use super::{Cell, Column};
use crate::model::Org;

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
