//! Corrections that keep history: retracting an event, renaming, aliasing, merging and removing
//! organisations, editing a motion. Each is one transaction; the standing cache is rebuilt for
//! every pair a correction touches, inside it.

use anyhow::{Result, bail};
use rusqlite::{OptionalExtension, Transaction, params};

use super::migrate::is_decision_sql;
use super::motion::from_row as motion_from_row;
use super::org::find_org;
use super::outcome::outcome_by_id;
use super::{Store, timestamp, to_word};
use crate::model::{Motion, NewMotion, Org, Outcome, Status, name_key};

/// Rebuilds the standing of one pair from its history: the latest event not retracted.
pub(super) fn restand(tx: &Transaction<'_>, motion_id: i64, org_id: i64) -> Result<()> {
    tx.execute(
        "DELETE FROM standing WHERE motion_id = ?1 AND org_id = ?2",
        params![motion_id, org_id],
    )?;
    tx.execute(
        "INSERT INTO standing (motion_id, org_id, outcome_id, status, meeting_date) \
         SELECT motion_id, org_id, id, status, meeting_date FROM outcome \
         WHERE motion_id = ?1 AND org_id = ?2 AND retracted_at IS NULL \
         ORDER BY meeting_date DESC, id DESC LIMIT 1",
        params![motion_id, org_id],
    )?;
    Ok(())
}

/// Rebuilds the standing of an org for every motion.
fn restand_org(tx: &Transaction<'_>, org_id: i64) -> Result<()> {
    let motions: Vec<i64> = tx
        .prepare("SELECT DISTINCT motion_id FROM outcome WHERE org_id = ?1")?
        .query_map([org_id], |row| row.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    tx.execute("DELETE FROM standing WHERE org_id = ?1", [org_id])?;
    for motion_id in motions {
        restand(tx, motion_id, org_id)?;
    }
    Ok(())
}

/// Two decisions a merge would put side by side that disagree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Conflict {
    pub(crate) motion: String,
    pub(crate) date: String,
    /// The event and decision of the org that goes, and of the org that stays.
    pub(crate) from: (i64, Status),
    pub(crate) into: (i64, Status),
}

/// A merge refused because the two organisations hold different decisions for one meeting.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(crate) struct MergeConflicts {
    pub(crate) from: String,
    pub(crate) into: String,
    pub(crate) conflicts: Vec<Conflict>,
}

impl std::fmt::Display for MergeConflicts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(
            f,
            "{} and {} have different decisions recorded for the same meetings:",
            self.from, self.into
        )?;
        for c in &self.conflicts {
            let ((a, a_status), (b, b_status)) = (c.from, c.into);
            writeln!(
                f,
                "  {} on {}: event {a} says {a_status}, event {b} says {b_status}",
                c.motion, c.date
            )?;
        }
        write!(
            f,
            "Retract the wrong ones (motions outcome retract ID --reason ...), then merge"
        )
    }
}

/// Decisions a merge of `from` into `into` would put side by side that disagree: the same
/// motion and date, different decisions.
fn merge_conflicts(tx: &Transaction<'_>, from: i64, into: i64) -> Result<Vec<Conflict>> {
    let mut stmt = tx.prepare(&format!(
        "SELECT m.slug, a.meeting_date, a.id, a.status, b.id, b.status \
         FROM outcome a JOIN outcome b ON b.motion_id = a.motion_id \
              AND b.meeting_date = a.meeting_date \
         JOIN motion m ON m.id = a.motion_id \
         WHERE a.org_id = ?1 AND b.org_id = ?2 AND a.status <> b.status \
           AND a.retracted_at IS NULL AND b.retracted_at IS NULL AND {} AND {} \
         ORDER BY m.slug, a.meeting_date, a.id, b.id",
        is_decision_sql("a.status"),
        is_decision_sql("b.status")
    ))?;
    let conflicts = stmt
        .query_map(params![from, into], |row| {
            Ok(Conflict {
                motion: row.get(0)?,
                date: row.get(1)?,
                from: (row.get(2)?, to_word(row.get(3)?)?),
                into: (row.get(4)?, to_word(row.get(5)?)?),
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(conflicts)
}

/// What a merge did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Merged {
    pub(crate) moved: u64,
    /// Events that became exact repeats of the other org's, retracted as duplicates.
    pub(crate) duplicates: u64,
}

impl Store {
    /// Marks an event as recorded in error; it stays in the history and counts no more.
    /// The one write that works on a database whose migration is blocked by clashing
    /// decisions: it is how the user resolves them.
    pub(crate) fn retract(&mut self, id: i64, reason: &str) -> Result<Outcome> {
        self.write_at_any_version(|tx| {
            let Some(event) = outcome_by_id(tx, id)? else {
                bail!("there is no event {id}; see the event ids with: motions history");
            };
            if let Some(retraction) = &event.retracted {
                bail!(
                    "event {id} was already retracted on {} (\"{}\"); nothing changed",
                    retraction.at,
                    retraction.reason
                );
            }
            tx.execute(
                "UPDATE outcome SET retracted_at = ?2, retraction_reason = ?3 WHERE id = ?1",
                params![id, timestamp(), reason],
            )?;
            let (motion_id, org_id): (i64, i64) = tx.query_row(
                "SELECT motion_id, org_id FROM outcome WHERE id = ?1",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?;
            restand(tx, motion_id, org_id)?;
            Ok(event)
        })
    }

    /// Gives an org a new name; the old one stays as an alias, so it still finds the org.
    pub(crate) fn rename_org(&mut self, org: &Org, new_name: &str) -> Result<()> {
        self.write(|tx| {
            let key = name_key(new_name);
            if let Some(holder) = find_org(tx, new_name)?.filter(|other| other.id != org.id) {
                bail!(
                    "\"{new_name}\" already names \"{}\"; choose another name (or merge the two)",
                    holder.name
                );
            }
            tx.execute(
                "UPDATE org SET name = ?2 WHERE id = ?1",
                params![org.id, new_name],
            )?;
            tx.execute(
                "INSERT INTO org_name (key, org_id, name) VALUES (?1, ?2, ?3) \
                 ON CONFLICT (key) DO UPDATE SET name = excluded.name",
                params![key, org.id, new_name],
            )?;
            Ok(())
        })
    }

    /// Another spelling that finds the org everywhere, imports included.
    pub(crate) fn add_alias(&mut self, org: &Org, alias: &str) -> Result<()> {
        self.write(|tx| {
            if let Some(holder) = find_org(tx, alias)? {
                if holder.id == org.id {
                    bail!(
                        "\"{alias}\" already finds \"{}\"; nothing changed",
                        org.name
                    );
                }
                bail!(
                    "\"{alias}\" already names \"{}\"; an alias can find one organisation only",
                    holder.name
                );
            }
            tx.execute(
                "INSERT INTO org_name (key, org_id, name) VALUES (?1, ?2, ?3)",
                params![name_key(alias), org.id, alias],
            )?;
            Ok(())
        })
    }

    /// Moves `from`'s events, names and branches to `into`, and removes `from`; its names
    /// become aliases of `into`. Refuses, with [`MergeConflicts`] and nothing written, when the
    /// two hold different decisions for one meeting: the check and the merge are one
    /// transaction, so no writer can slip a contradiction in between.
    pub(crate) fn merge_orgs(&mut self, from: &Org, into: &Org) -> Result<Merged> {
        self.write(|tx| {
            let conflicts = merge_conflicts(tx, from.id, into.id)?;
            if !conflicts.is_empty() {
                return Err(MergeConflicts {
                    from: from.name.clone(),
                    into: into.name.clone(),
                    conflicts,
                }
                .into());
            }
            // The same event recorded for both would be recorded twice: keep the first record,
            // retracting the later before the move, so no meeting ever holds two decisions.
            let duplicates = tx.execute(
                "UPDATE outcome SET retracted_at = ?3, \
                     retraction_reason = 'duplicate after merging ' || ?4 || ' into ' || ?5 \
                 WHERE org_id IN (?1, ?2) AND retracted_at IS NULL AND EXISTS ( \
                     SELECT 1 FROM outcome e WHERE e.org_id IN (?1, ?2) \
                       AND e.motion_id = outcome.motion_id AND e.status = outcome.status \
                       AND e.meeting_date = outcome.meeting_date \
                       AND e.retracted_at IS NULL AND e.id < outcome.id)",
                params![from.id, into.id, timestamp(), from.name, into.name],
            )? as u64;
            let moved = tx.execute(
                "UPDATE outcome SET org_id = ?2 WHERE org_id = ?1",
                params![from.id, into.id],
            )? as u64;
            tx.execute(
                "UPDATE org_name SET org_id = ?2 WHERE org_id = ?1",
                params![from.id, into.id],
            )?;
            tx.execute(
                "UPDATE org SET parent_id = ?2 WHERE parent_id = ?1",
                params![from.id, into.id],
            )?;
            tx.execute("DELETE FROM standing WHERE org_id = ?1", [from.id])?;
            let code: Option<String> =
                tx.query_row("SELECT code FROM org WHERE id = ?1", [from.id], |r| {
                    r.get(0)
                })?;
            tx.execute("DELETE FROM org WHERE id = ?1", [from.id])?;
            if into.code.is_none() && code.is_some() {
                tx.execute(
                    "UPDATE org SET code = ?2 WHERE id = ?1",
                    params![into.id, code],
                )?;
            }
            restand_org(tx, into.id)?;
            Ok(Merged { moved, duplicates })
        })
    }

    /// Replaces an org's details (all but its name) with those of `edited`.
    pub(crate) fn edit_org(&mut self, org: &Org, edited: &crate::model::NewOrg) -> Result<()> {
        self.write(|tx| {
            // A CLP's branches name it as their parent: it stays a CLP while it has any.
            if edited.kind() != crate::model::Kind::Clp {
                let branches: Vec<String> = tx
                    .prepare("SELECT name FROM org WHERE parent_id = ?1 ORDER BY name")?
                    .query_map([org.id], |r| r.get(0))?
                    .collect::<rusqlite::Result<_>>()?;
                if !branches.is_empty() {
                    bail!(
                        "\"{}\" is the CLP of {}, so it stays a CLP; move them to another CLP \
                         first (motions org edit BRANCH --parent CLP)",
                        org.name,
                        branches.join(", ")
                    );
                }
            }
            if let Some(code) = edited.code() {
                let holder: Option<String> = tx
                    .query_row(
                        "SELECT name FROM org WHERE code = ?1 COLLATE NOCASE AND id <> ?2",
                        params![code, org.id],
                        |r| r.get(0),
                    )
                    .optional()?;
                if let Some(holder) = holder {
                    bail!("code \"{code}\" already belongs to \"{holder}\"; each code names one organisation");
                }
            }
            let parent_id = edited.parent().map(|p| super::org::org_id(tx, &p.org)).transpose()?;
            tx.execute(
                "UPDATE org SET kind = ?2, region = ?3, union_name = ?4, parent_id = ?5, code = ?6 WHERE id = ?1",
                params![org.id, edited.kind().as_str(), edited.region(), edited.union(), parent_id, edited.code()],
            )?;
            Ok(())
        })
    }

    /// Removes an org that has no events (retracted ones included) and no branches.
    pub(crate) fn remove_org(&mut self, org: &Org) -> Result<()> {
        self.write(|tx| {
            let events: i64 = tx.query_row("SELECT count(*) FROM outcome WHERE org_id = ?1", [org.id], |r| r.get(0))?;
            if events > 0 {
                bail!(
                    "\"{}\" has {events} recorded event{}; an organisation with a history is not removed. \
                     Retract wrong events with: motions outcome retract ID, or merge a duplicate with: \
                     motions org merge",
                    org.name,
                    if events == 1 { "" } else { "s" }
                );
            }
            let branches: Vec<String> = tx
                .prepare("SELECT name FROM org WHERE parent_id = ?1 ORDER BY name")?
                .query_map([org.id], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            if !branches.is_empty() {
                bail!("\"{}\" is the CLP of {}; remove or move them first", org.name, branches.join(", "));
            }
            tx.execute("DELETE FROM org_name WHERE org_id = ?1", [org.id])?;
            tx.execute("DELETE FROM org WHERE id = ?1", [org.id])?;
            Ok(())
        })
    }

    /// Replaces a motion's details with `edited` (its slug too).
    pub(crate) fn edit_motion(&mut self, id: i64, edited: &NewMotion) -> Result<Motion> {
        self.write(|tx| {
            let taken: Option<i64> = tx
                .query_row("SELECT id FROM motion WHERE slug = ?1 AND id <> ?2", params![edited.slug(), id], |r| r.get(0))
                .optional()?;
            if taken.is_some() {
                bail!("a motion with slug \"{}\" already exists; choose another slug", edited.slug());
            }
            tx.execute(
                "UPDATE motion SET slug = ?2, title = ?3, text = ?4, issued_by = ?5, issued_on = ?6, \
                 deadline = ?7 WHERE id = ?1",
                params![
                    id,
                    edited.slug(),
                    edited.title(),
                    edited.text(),
                    edited.issued_by(),
                    edited.issued_on().map(|d| d.to_string()),
                    edited.deadline().map(|d| d.to_string()),
                ],
            )?;
            Ok(tx.query_row(
                &format!("SELECT {} FROM motion WHERE id = ?1", super::motion::COLUMNS),
                [id],
                motion_from_row,
            )?)
        })
    }
}
