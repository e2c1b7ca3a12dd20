//! The schema migrations: an ordered list applied through `PRAGMA user_version`, one
//! transaction per step, with the version bumped inside it.

use anyhow::{Context, Result};
use rusqlite::{Connection, TransactionBehavior};

/// Marks a motions database in its header ("MOTN"), so it can be told from any other file.
pub(crate) const APPLICATION_ID: i32 = 0x4D4F_544E;

/// Each step takes the database from version `i` to `i + 1`.
pub(super) const MIGRATIONS: &[&str] = &[
    include_str!("../../schema.sql"),
    include_str!("../../migrations/2-retractions.sql"),
    include_str!("../../migrations/4-intake.sql"),
];

/// The schema version this build writes.
pub(crate) const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

pub(super) fn user_version(conn: &Connection) -> Result<i64> {
    Ok(conn.pragma_query_value(None, "user_version", |row| row.get(0))?)
}

/// Applies the steps the database has not had. Opening an up-to-date database takes no lock.
pub(super) fn migrate(conn: &mut Connection) -> Result<()> {
    if user_version(conn)? == SCHEMA_VERSION {
        return Ok(());
    }
    loop {
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        // Read again under the write lock: another process may have migrated meanwhile.
        let version = user_version(&tx)?;
        if version >= SCHEMA_VERSION {
            return Ok(());
        }
        let step = MIGRATIONS[version as usize];
        tx.execute_batch(step)
            .with_context(|| format!("applying schema version {}", version + 1))?;
        tx.pragma_update(None, "user_version", version + 1)?;
        if version == 0 {
            tx.pragma_update(None, "application_id", APPLICATION_ID)?;
        }
        tx.commit()?;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_database_gets_every_step_and_the_application_id() {
        let mut conn = Connection::open_in_memory().unwrap();
        migrate(&mut conn).unwrap();
        assert_eq!(user_version(&conn).unwrap(), SCHEMA_VERSION);
        let app_id: i32 = conn
            .pragma_query_value(None, "application_id", |r| r.get(0))
            .unwrap();
        assert_eq!(app_id, APPLICATION_ID);
        let tables: i64 = conn
            .query_row(
                "SELECT count(*) FROM sqlite_schema WHERE type = 'table' \
                 AND name IN ('motion', 'org', 'org_name', 'outcome', 'standing')",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(tables, 5);
    }

    #[test]
    fn a_version_1_database_with_records_moves_to_the_latest() {
        let mut conn = Connection::open_in_memory().unwrap();
        conn.execute_batch(MIGRATIONS[0]).unwrap();
        conn.pragma_update(None, "user_version", 1).unwrap();
        conn.execute_batch(
            "INSERT INTO motion (slug, title) VALUES ('m', 'M');
             INSERT INTO org (name, kind) VALUES ('Ashby CLP', 'clp');
             INSERT INTO org_name VALUES ('ashby clp', 1, 'Ashby CLP');
             INSERT INTO outcome (motion_id, org_id, status, meeting_date) VALUES (1, 1, 'passed', '2019-02-04');
             INSERT INTO standing VALUES (1, 1, 1, 'passed', '2019-02-04');",
        )
        .unwrap();
        migrate(&mut conn).unwrap();
        assert_eq!(user_version(&conn).unwrap(), SCHEMA_VERSION);
        let kept: (String, Option<String>) = conn
            .query_row(
                "SELECT status, retracted_at FROM outcome WHERE id = 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        assert_eq!(kept, ("passed".to_string(), None));
    }

    #[test]
    fn migrating_twice_changes_nothing() {
        let mut conn = Connection::open_in_memory().unwrap();
        migrate(&mut conn).unwrap();
        migrate(&mut conn).unwrap();
        assert_eq!(user_version(&conn).unwrap(), SCHEMA_VERSION);
    }
}
