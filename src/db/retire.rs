//! Organisations that leave the registry (dissolved, or succeeded by another body), and the
//! queries that say which have.

use std::collections::HashMap;

use anyhow::Result;
use chrono::NaiveDate;
use rusqlite::{OptionalExtension, Transaction, params};

use super::{Store, to_date};
use crate::model::{Org, Retirement};

/// The retirement of one org, if it has one.
fn retirement_of(tx: &Transaction<'_>, org_id: i64) -> Result<Option<Retirement>> {
    let found: Option<(Option<String>, Option<String>)> = tx
        .query_row(
            "SELECT o.retired_on, s.name FROM org o LEFT JOIN org s ON s.id = o.succeeded_by \
             WHERE o.id = ?1",
            [org_id],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )
        .optional()?;
    let Some((on, succeeded_by)) = found else {
        return Ok(None);
    };
    Ok(to_date(on)?.map(|on| Retirement { on, succeeded_by }))
}

impl Store {
    /// Marks `org` as having left the registry at the start of `on` (succeeded by `successor`,
    /// when given), or returns it to the registry (`on` of `None`). Returns the retirement it
    /// had before.
    pub(crate) fn retire_org(
        &mut self,
        org: &Org,
        on: Option<NaiveDate>,
        successor: Option<&Org>,
    ) -> Result<Option<Retirement>> {
        self.write(|tx| {
            let before = retirement_of(tx, org.id)?;
            tx.execute(
                "UPDATE org SET retired_on = ?2, succeeded_by = ?3 WHERE id = ?1",
                params![org.id, on.map(|d| d.to_string()), successor.map(|s| s.id)],
            )?;
            Ok(before)
        })
    }

    /// The retirement of one org, if it has one.
    pub(crate) fn retirement(&mut self, org: &Org) -> Result<Option<Retirement>> {
        self.read(|tx| retirement_of(tx, org.id))
    }

    /// Every retired org's retirement, by the org's id.
    pub(crate) fn retirements(&mut self) -> Result<HashMap<i64, Retirement>> {
        self.read(|tx| {
            let mut stmt = tx.prepare(
                "SELECT o.id, o.retired_on, s.name FROM org o \
                 LEFT JOIN org s ON s.id = o.succeeded_by WHERE o.retired_on IS NOT NULL",
            )?;
            let mut rows = stmt.query([])?;
            let mut found = HashMap::new();
            while let Some(row) = rows.next()? {
                if let Some(on) = to_date(row.get(1)?)? {
                    let retirement = Retirement {
                        on,
                        succeeded_by: row.get(2)?,
                    };
                    found.insert(row.get(0)?, retirement);
                }
            }
            Ok(found)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Dimension, NewOrg, OrgDraft, OrgFilter};

    fn org(store: &mut Store, name: &str) -> Org {
        let new = NewOrg::new(OrgDraft {
            name,
            kind: Some(crate::model::Kind::Clp),
            region: None,
            union: None,
            parent: None,
            code: None,
        })
        .unwrap();
        store.add_org(&new).unwrap()
    }

    fn day(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    #[test]
    fn a_retired_org_leaves_the_registry_from_its_day_and_counts_before_it() {
        let mut store = Store::open_in_memory().unwrap();
        let motion = store
            .add_motion(
                &crate::model::NewMotion::new(crate::model::MotionDraft {
                    slug: "m",
                    title: "M",
                    text: None,
                    issued_by: None,
                    issued_on: None,
                    deadline: None,
                })
                .unwrap(),
            )
            .unwrap();
        let old = org(&mut store, "Old CLP");
        let new = org(&mut store, "New CLP");
        store
            .retire_org(&old, Some(day("2024-07-04")), Some(&new))
            .unwrap();
        let registered = |store: &mut Store, on: &str| {
            let rows = store
                .tally(
                    motion.id,
                    &OrgFilter::default(),
                    &[] as &[Dimension],
                    Some(day(on)),
                )
                .unwrap();
            rows[0].counts.registered()
        };
        assert_eq!(registered(&mut store, "2024-07-03"), 2);
        assert_eq!(registered(&mut store, "2024-07-04"), 1);
        let kept = store.retirement(&old).unwrap().unwrap();
        assert_eq!(kept.succeeded_by.as_deref(), Some("New CLP"));
        assert_eq!(store.retirements().unwrap().len(), 1);
        let before = store.retire_org(&old, None, None).unwrap();
        assert_eq!(before, Some(kept));
        assert_eq!(registered(&mut store, "2024-07-04"), 2);
    }
}
