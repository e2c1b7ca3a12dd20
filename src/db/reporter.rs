//! Queries on reporters' links: only the hash of a link's token is ever stored or looked up.

use anyhow::Result;
use rusqlite::{OptionalExtension, Row, Transaction, params};

use super::{Store, timestamp, to_date};
use crate::model::{Label, Reporter, ScopeItem, TokenHash};

/// A link to register.
#[derive(Debug, Clone)]
pub(crate) struct NewReporter {
    pub(crate) name: Label,
    pub(crate) token_hash: TokenHash,
    /// The organisations' ids the link is limited to; `None` for any.
    pub(crate) orgs: Option<Vec<i64>>,
    /// The motions' ids the link is limited to; `None` for any.
    pub(crate) motions: Option<Vec<i64>>,
    pub(crate) trusted: bool,
    pub(crate) coordinator: bool,
    pub(crate) expires: Option<chrono::NaiveDate>,
}

const REPORTER: &str = "SELECT id, name, orgs_limited, motions_limited, trusted, coordinator, \
                        expires, revoked_at, created_at, last_used FROM reporter";

fn reporter_row(row: &Row<'_>) -> rusqlite::Result<(Reporter, bool, bool)> {
    Ok((
        Reporter {
            id: row.get(0)?,
            name: row.get(1)?,
            orgs: None,
            motions: None,
            trusted: row.get(4)?,
            coordinator: row.get(5)?,
            expires: to_date(row.get(6)?)?,
            revoked_at: row.get(7)?,
            created_at: row.get(8)?,
            last_used: row.get(9)?,
        },
        row.get(2)?,
        row.get(3)?,
    ))
}

/// Fills in a reporter's scopes when the link is limited.
fn with_scopes(
    tx: &Transaction<'_>,
    (mut reporter, orgs_limited, motions_limited): (Reporter, bool, bool),
) -> Result<Reporter> {
    let items = |sql: &str| -> Result<Vec<ScopeItem>> {
        let mut stmt = tx.prepare_cached(sql)?;
        let items = stmt
            .query_map([reporter.id], |row| {
                Ok(ScopeItem {
                    id: row.get(0)?,
                    name: row.get(1)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(items)
    };
    if orgs_limited {
        reporter.orgs = Some(items(
            "SELECT o.id, o.name FROM reporter_org s JOIN org o ON o.id = s.org_id \
             WHERE s.reporter_id = ?1 ORDER BY o.name COLLATE NOCASE",
        )?);
    }
    if motions_limited {
        reporter.motions = Some(items(
            "SELECT m.id, m.slug FROM reporter_motion s JOIN motion m ON m.id = s.motion_id \
             WHERE s.reporter_id = ?1 ORDER BY m.slug",
        )?);
    }
    Ok(reporter)
}

impl Store {
    /// Registers a link; its organisations and motions must be registered.
    pub(crate) fn add_reporter(&mut self, new: &NewReporter) -> Result<Reporter> {
        self.write(|tx| {
            tx.execute(
                "INSERT INTO reporter (name, token_hash, orgs_limited, motions_limited, trusted, \
                                       coordinator, expires) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![
                    new.name.as_str(),
                    new.token_hash.0,
                    new.orgs.is_some(),
                    new.motions.is_some(),
                    new.trusted,
                    new.coordinator,
                    new.expires.map(|d| d.to_string()),
                ],
            )?;
            let id = tx.last_insert_rowid();
            for org in new.orgs.iter().flatten() {
                tx.execute(
                    "INSERT OR IGNORE INTO reporter_org (reporter_id, org_id) VALUES (?1, ?2)",
                    [id, *org],
                )?;
            }
            for motion in new.motions.iter().flatten() {
                tx.execute(
                    "INSERT OR IGNORE INTO reporter_motion (reporter_id, motion_id) VALUES (?1, ?2)",
                    [id, *motion],
                )?;
            }
            let row = tx.query_row(&format!("{REPORTER} WHERE id = ?1"), [id], reporter_row)?;
            with_scopes(tx, row)
        })
    }

    /// The link whose token has this hash, whether it still works or not.
    pub(crate) fn reporter_by_token(&mut self, hash: &TokenHash) -> Result<Option<Reporter>> {
        self.read(|tx| {
            let row = tx
                .prepare_cached(&format!("{REPORTER} WHERE token_hash = ?1"))?
                .query_row([&hash.0], reporter_row)
                .optional()?;
            row.map(|row| with_scopes(tx, row)).transpose()
        })
    }

    /// Every link, oldest first, with how many reports each has sent.
    pub(crate) fn reporters(&mut self) -> Result<Vec<(Reporter, u64)>> {
        self.read(|tx| {
            let mut stmt = tx.prepare(&format!(
                "{}, (SELECT count(*) FROM submission s WHERE s.reporter_id = reporter.id) \
                 FROM reporter ORDER BY id",
                REPORTER.trim_end_matches(" FROM reporter")
            ))?;
            let rows: Vec<((Reporter, bool, bool), i64)> = stmt
                .query_map([], |row| Ok((reporter_row(row)?, row.get(10)?)))?
                .collect::<rusqlite::Result<_>>()?;
            rows.into_iter()
                .map(|(row, count)| Ok((with_scopes(tx, row)?, count as u64)))
                .collect()
        })
    }

    /// Gives a link a new token (the old one stops working) and makes it work again if it
    /// was revoked.
    pub(crate) fn replace_token(&mut self, reporter_id: i64, hash: &TokenHash) -> Result<()> {
        self.write(|tx| {
            tx.execute(
                "UPDATE reporter SET token_hash = ?2, revoked_at = NULL WHERE id = ?1",
                params![reporter_id, hash.0],
            )?;
            Ok(())
        })
    }

    /// Stops a link working; false when it had been revoked already.
    pub(crate) fn revoke_reporter(&mut self, reporter_id: i64) -> Result<bool> {
        self.write(|tx| {
            let changed = tx.execute(
                "UPDATE reporter SET revoked_at = ?2 WHERE id = ?1 AND revoked_at IS NULL",
                params![reporter_id, timestamp()],
            )?;
            Ok(changed > 0)
        })
    }
}
