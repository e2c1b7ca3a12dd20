//! Counting current statuses into the columns of a tally row.

use super::{Group, Status};

/// A column a tally can be broken down by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum Dimension {
    Kind,
    Region,
    Union,
    /// A branch's parent CLP: the tally then counts ward branches under their CLP.
    Clp,
}

/// Asking for `clp` beside other columns: `clp` counts branches under their CLP and stands
/// alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ClpStandsAlone;

impl Dimension {
    const ALL: [Dimension; 4] = [
        Dimension::Kind,
        Dimension::Region,
        Dimension::Union,
        Dimension::Clp,
    ];

    /// The column a word names (`kind`, `region`, `union`, `clp`, in any case).
    pub(crate) fn from_word(word: &str) -> Option<Dimension> {
        let word = word.trim().to_lowercase();
        Dimension::ALL.into_iter().find(|d| d.as_str() == word)
    }

    /// The columns a tally is broken down by: each once, in the order first given.
    pub(crate) fn columns(given: &[Dimension]) -> Result<Vec<Dimension>, ClpStandsAlone> {
        let mut columns: Vec<Dimension> = Vec::new();
        for dimension in given {
            if !columns.contains(dimension) {
                columns.push(*dimension);
            }
        }
        if columns.contains(&Dimension::Clp) && columns.len() > 1 {
            return Err(ClpStandsAlone);
        }
        Ok(columns)
    }

    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Dimension::Kind => "kind",
            Dimension::Region => "region",
            Dimension::Union => "union",
            Dimension::Clp => "clp",
        }
    }

    /// The column's heading in tables.
    pub(crate) fn heading(self) -> &'static str {
        match self {
            Dimension::Kind => "Kind",
            Dimension::Region => "Region",
            Dimension::Union => "Union",
            Dimension::Clp => "CLP",
        }
    }

    /// How a table labels the row of orgs without a value.
    pub(crate) fn missing(self) -> &'static str {
        match self {
            Dimension::Kind => "(no kind)",
            Dimension::Region => "(no region)",
            Dimension::Union => "(no union)",
            Dimension::Clp => "(no CLP)",
        }
    }
}

/// How many orgs stand at each status; `none` counts those that have not moved the motion.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct StatusCounts {
    by_status: [u64; Status::ALL.len()],
    none: u64,
}

impl StatusCounts {
    pub(crate) fn add(&mut self, status: Option<Status>, count: u64) {
        match status {
            Some(status) => self.by_status[status as usize] += count,
            None => self.none += count,
        }
    }

    pub(crate) fn merge(&mut self, other: &StatusCounts) {
        for (mine, theirs) in self.by_status.iter_mut().zip(other.by_status) {
            *mine += theirs;
        }
        self.none += other.none;
    }

    pub(crate) fn status(&self, status: Status) -> u64 {
        self.by_status[status as usize]
    }

    pub(crate) fn group(&self, group: Group) -> u64 {
        match group {
            Group::None => self.none,
            _ => Status::ALL
                .into_iter()
                .filter(|status| status.group() == group)
                .map(|status| self.status(status))
                .sum(),
        }
    }

    /// Every org counted: the registry denominator.
    pub(crate) fn registered(&self) -> u64 {
        self.by_status.iter().sum::<u64>() + self.none
    }
}

/// One row of a tally: the values of the `--by` dimensions (in the order given; `None` for
/// orgs without that value) and the counts of the orgs in the row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct TallyRow {
    pub(crate) values: Vec<Option<String>>,
    pub(crate) counts: StatusCounts,
}

/// A motion's tally: a row per combination of the `by` values, in the order tables show them.
#[derive(Debug, Clone)]
pub(crate) struct Tally {
    pub(crate) by: Vec<Dimension>,
    pub(crate) rows: Vec<TallyRow>,
    /// For `--by clp`: each CLP's own status beside its branches' counts.
    pub(crate) clp_statuses: Option<Vec<(String, Option<Status>)>>,
}

impl Tally {
    /// The counts of every row added up.
    pub(crate) fn total(&self) -> StatusCounts {
        let mut total = StatusCounts::default();
        for row in &self.rows {
            total.merge(&row.counts);
        }
        total
    }

    /// For `--by clp`: leaves out the CLPs with no branches and no outcome of their own (rows
    /// of zeros, which would bury the rest under 575 CLPs); returns how many were left out.
    pub(crate) fn without_idle_clps(&mut self) -> usize {
        let Some(statuses) = &self.clp_statuses else {
            return 0;
        };
        let moved: std::collections::HashSet<&str> = statuses
            .iter()
            .filter(|(_, status)| status.is_some())
            .map(|(name, _)| name.as_str())
            .collect();
        let before = self.rows.len();
        self.rows.retain(|row| {
            row.counts.registered() > 0
                || row
                    .values
                    .first()
                    .and_then(|clp| clp.as_deref())
                    .is_none_or(|clp| moved.contains(clp))
        });
        before - self.rows.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_are_each_counted_once_and_clp_stands_alone() {
        use Dimension::*;
        assert_eq!(
            Dimension::columns(&[Region, Kind, Region]),
            Ok(vec![Region, Kind])
        );
        assert_eq!(Dimension::columns(&[Clp, Clp]), Ok(vec![Clp]));
        assert_eq!(Dimension::columns(&[Clp, Kind]), Err(ClpStandsAlone));
        assert_eq!(Dimension::from_word(" Region "), Some(Region));
        assert_eq!(Dimension::from_word("ward"), None);
    }

    #[test]
    fn groups_add_up_to_the_registry() {
        let mut counts = StatusCounts::default();
        counts.add(Some(Status::Passed), 3);
        counts.add(Some(Status::PassedAmended), 2);
        counts.add(Some(Status::Deferred), 1);
        counts.add(Some(Status::Planned), 1);
        counts.add(Some(Status::RuledOut), 1);
        counts.add(None, 4);
        assert_eq!(counts.group(Group::Passed), 5);
        assert_eq!(counts.status(Status::PassedAmended), 2);
        assert_eq!(counts.group(Group::Pending), 2);
        assert_eq!(counts.group(Group::Dropped), 1);
        assert_eq!(counts.group(Group::Rejected), 0);
        assert_eq!(counts.group(Group::None), 4);
        let groups: u64 = [
            Group::Passed,
            Group::Rejected,
            Group::Pending,
            Group::Dropped,
            Group::None,
        ]
        .into_iter()
        .map(|g| counts.group(g))
        .sum();
        assert_eq!(groups, counts.registered());
        assert_eq!(counts.registered(), 12);
    }
}
