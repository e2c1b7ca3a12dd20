//! The schema and its migrations. A new database gets `schema.sql`, the whole current schema, in
//! one step; an older one gets the frozen, numbered steps of `migrations/` it has not had, one
//! transaction each with `PRAGMA user_version` bumped inside it. Tests prove both roads lead to
//! the same schema, and that the shipped steps never change.
//!
//! A step never loses or alters a record. One that cannot hold what the database stores (two
//! decisions for one meeting, left by an older version, under version 3's unique index)
//! changes nothing and returns [`Blocked`], naming the records and the command that resolves
//! them; the database stays at its version until they are retracted.

use std::fmt;

use anyhow::{Context, Result};
use rusqlite::{Connection, TransactionBehavior};

use super::to_word;
use crate::model::Status;

/// Marks a motions database in its header ("MOTN"), so it can be told from any other file.
pub(crate) const APPLICATION_ID: i32 = 0x4D4F_544E;

/// The whole current schema, which a new database gets in one step.
pub(super) const SCHEMA: &str = include_str!("../../schema.sql");

/// Each step takes the database from version `i` to `i + 1`. Shipped steps are frozen (their
/// checksums are tested): a change to the schema is a new step, and `schema.sql` follows it.
pub(super) const MIGRATIONS: &[&str] = &[
    include_str!("../../migrations/1-initial.sql"),
    include_str!("../../migrations/2-retractions.sql"),
    include_str!("../../migrations/3-one-decision-per-meeting.sql"),
    include_str!("../../migrations/4-retirement.sql"),
    include_str!("../../migrations/5-intake.sql"),
];

/// The schema version this build writes.
pub(crate) const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// The oldest version whose tables and columns are those of the current schema: the steps
/// after it add only indexes, so a database of this version or later is read as it is.
pub(super) const READABLE_FROM: i64 = 5;

/// The version that first refuses two decisions for one meeting.
const ONE_DECISION_FROM: i64 = 3;

pub(super) fn user_version(conn: &Connection) -> Result<i64> {
    Ok(conn.pragma_query_value(None, "user_version", |row| row.get(0))?)
}

/// Two or more decisions not retracted for one motion, organisation and meeting date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Clash {
    pub(crate) motion: String,
    pub(crate) org: String,
    pub(crate) date: String,
    /// The events, oldest record first, with what each says.
    pub(crate) events: Vec<(i64, Status)>,
}

impl fmt::Display for Clash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}, {}, {}:", self.motion, self.org, self.date)?;
        for (n, (id, status)) in self.events.iter().enumerate() {
            let sep = if n == 0 { " " } else { ", " };
            write!(f, "{sep}event {id} says {status}")?;
        }
        Ok(())
    }
}

/// A step the database cannot take until the user resolves what it holds. Nothing changed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(crate) struct Blocked {
    /// The version the database is at, and stays at.
    pub(crate) version: i64,
    pub(crate) clashes: Vec<Clash>,
}

/// How many clashes a message lists; `motions check` lists them all.
const LISTED: usize = 20;

impl fmt::Display for Blocked {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.clashes.len();
        let what = match (n, self.clashes.first().map(|c| c.events.len())) {
            (1, Some(2)) => "two decisions for one meeting".to_string(),
            (1, _) => "more than one decision for one meeting".to_string(),
            _ => format!("more than one decision for each of {n} meetings"),
        };
        writeln!(
            f,
            "this database holds {what}, recorded by an older version of motions; this \
             version stores one decision per meeting, so it cannot bring the database up to \
             date (schema version {} to {SCHEMA_VERSION}) and changed nothing:",
            self.version
        )?;
        for clash in self.clashes.iter().take(LISTED) {
            writeln!(f, "  {clash}")?;
        }
        if n > LISTED {
            writeln!(
                f,
                "  ... and {} more (motions check lists them all)",
                n - LISTED
            )?;
        }
        write!(
            f,
            "Retract the wrong one{} with: motions outcome retract ID --reason \"...\"; the \
             next command that writes then brings the database up to date. Commands that only \
             read work meanwhile",
            if n == 1 { "" } else { " of each" }
        )
    }
}

/// The SQL condition "`column` is a decision", from [`Status::is_decision`].
pub(super) fn is_decision_sql(column: &str) -> String {
    let words: Vec<String> = Status::ALL
        .into_iter()
        .filter(|s| s.is_decision())
        .map(|s| format!("{column} = '{}'", s.as_str()))
        .collect();
    format!("({})", words.join(" OR "))
}

/// Every meeting with more than one decision not retracted, by motion, organisation and date.
/// Reads any version (version 1 has no retractions).
pub(super) fn decision_clashes(conn: &Connection) -> Result<Vec<Clash>> {
    let retractions: bool = conn.query_row(
        "SELECT count(*) > 0 FROM pragma_table_info('outcome') WHERE name = 'retracted_at'",
        [],
        |row| row.get(0),
    )?;
    let decision = format!(
        "{} AND {}",
        if retractions {
            "retracted_at IS NULL"
        } else {
            "1"
        },
        is_decision_sql("status")
    );
    // Grouped in the order of outcome_by_pair, so without sorting the whole history.
    let keys: Vec<(i64, i64, String)> = conn
        .prepare(&format!(
            "SELECT motion_id, org_id, meeting_date FROM outcome WHERE {decision} \
             GROUP BY motion_id, org_id, meeting_date HAVING count(*) > 1"
        ))?
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut events = conn.prepare(&format!(
        "SELECT e.id, e.status, m.slug, o.name \
         FROM (SELECT id, status, motion_id, org_id FROM outcome \
               WHERE motion_id = ?1 AND org_id = ?2 AND meeting_date = ?3 AND {decision}) e \
         JOIN motion m ON m.id = e.motion_id JOIN org o ON o.id = e.org_id ORDER BY e.id"
    ))?;
    let mut clashes = Vec::with_capacity(keys.len());
    for (motion_id, org_id, date) in keys {
        let mut clash = Clash {
            motion: String::new(),
            org: String::new(),
            date: date.clone(),
            events: Vec::new(),
        };
        let mut rows = events.query(rusqlite::params![motion_id, org_id, date])?;
        while let Some(row) = rows.next()? {
            clash.events.push((row.get(0)?, to_word(row.get(1)?)?));
            clash.motion = row.get(2)?;
            clash.org = row.get(3)?;
        }
        clashes.push(clash);
    }
    clashes.sort_by(|a, b| (&a.motion, &a.org, &a.date).cmp(&(&b.motion, &b.org, &b.date)));
    Ok(clashes)
}

/// What the database holds that the step to `version` cannot take: empty when it can.
fn blockers(conn: &Connection, version: i64) -> Result<Vec<Clash>> {
    if version == ONE_DECISION_FROM {
        decision_clashes(conn)
    } else {
        Ok(Vec::new())
    }
}

/// Applies the steps the database has not had. Opening an up-to-date database takes no lock.
/// Stops at a step that would meet records it cannot hold, with [`Blocked`] (the steps before
/// it are kept).
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
        if version == 0 {
            tx.execute_batch(SCHEMA)
                .context("creating the database schema")?;
            tx.pragma_update(None, "user_version", SCHEMA_VERSION)?;
            tx.pragma_update(None, "application_id", APPLICATION_ID)?;
            tx.commit()?;
            return Ok(());
        }
        let clashes = blockers(&tx, version + 1)?;
        if !clashes.is_empty() {
            // Dropping the transaction rolls it back: nothing was written.
            return Err(Blocked { version, clashes }.into());
        }
        let step = MIGRATIONS[version as usize];
        tx.execute_batch(step)
            .with_context(|| format!("applying schema version {}", version + 1))?;
        tx.pragma_update(None, "user_version", version + 1)?;
        tx.commit()?;
    }
}

/// Brings a private copy of a database (in memory, for reading) up to date, passing over a
/// step blocked by clashing decisions: such a step only adds the index that refuses them, so
/// the copy still has every table and column the code reads.
pub(super) fn migrate_copy(conn: &mut Connection) -> Result<()> {
    let mut version = user_version(conn)?;
    while version < SCHEMA_VERSION {
        if blockers(conn, version + 1)?.is_empty() {
            conn.execute_batch(MIGRATIONS[version as usize])
                .with_context(|| format!("applying schema version {}", version + 1))?;
        }
        version += 1;
    }
    conn.pragma_update(None, "user_version", SCHEMA_VERSION)?;
    Ok(())
}

/// The blocked step of an error from [`migrate`], if that is what it is.
pub(super) fn blocked(err: &anyhow::Error) -> Option<&Blocked> {
    err.downcast_ref::<Blocked>()
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use rusqlite::types::ValueRef;
    use sha2::{Digest, Sha256};

    use super::*;
    use crate::db::check::{expected_schema, normal_sql, schema_of};
    use crate::model::Kind;

    /// A database at `version`, made as that version of motions made it: the frozen steps.
    fn at_version(version: i64) -> Connection {
        let conn = Connection::open_in_memory().unwrap();
        for step in &MIGRATIONS[..version as usize] {
            conn.execute_batch(step).unwrap();
        }
        conn.pragma_update(None, "user_version", version).unwrap();
        conn.pragma_update(None, "application_id", APPLICATION_ID)
            .unwrap();
        conn
    }

    fn new_database() -> Connection {
        let mut conn = Connection::open_in_memory().unwrap();
        migrate(&mut conn).unwrap();
        conn
    }

    /// Everything SQLite says about a schema: each object's normal SQL, and each table's
    /// columns, foreign keys and indexes with their columns, as text to compare.
    fn describe(conn: &Connection) -> Vec<String> {
        let mut lines: Vec<String> = schema_of(conn)
            .unwrap()
            .into_iter()
            .map(|(name, (kind, sql))| format!("{kind} {name}: {sql}"))
            .collect();
        let rows = |sql: &str, arg: &str| -> Vec<String> {
            let mut stmt = conn.prepare(sql).unwrap();
            let columns = stmt.column_count();
            stmt.query_map([arg], |row| {
                Ok((0..columns)
                    .map(|i| match row.get_ref(i).unwrap() {
                        ValueRef::Null => "NULL".to_string(),
                        ValueRef::Integer(n) => n.to_string(),
                        ValueRef::Real(x) => x.to_string(),
                        ValueRef::Text(t) | ValueRef::Blob(t) => {
                            String::from_utf8_lossy(t).into_owned()
                        }
                    })
                    .collect::<Vec<_>>()
                    .join(" | "))
            })
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap()
        };
        let tables = rows(
            "SELECT name FROM sqlite_schema WHERE type = 'table' AND name <> ?1 ORDER BY name",
            "",
        );
        assert!(tables.len() >= 5, "{tables:?}");
        for table in tables {
            for (what, sql) in [
                (
                    "table",
                    "SELECT type, ncol, wr, strict FROM pragma_table_list WHERE name = ?1",
                ),
                ("column", "SELECT * FROM pragma_table_xinfo(?1)"),
                ("foreign key", "SELECT * FROM pragma_foreign_key_list(?1)"),
                (
                    "index",
                    "SELECT name, \"unique\", origin, partial FROM pragma_index_list(?1) \
                     ORDER BY name",
                ),
            ] {
                for row in rows(sql, &table) {
                    lines.push(format!("{table} {what}: {row}"));
                }
            }
            let indexes: Vec<String> = conn
                .prepare("SELECT name FROM pragma_index_list(?1) ORDER BY name")
                .unwrap()
                .query_map([&table], |r| r.get(0))
                .unwrap()
                .collect::<rusqlite::Result<_>>()
                .unwrap();
            for index in indexes {
                for row in rows("SELECT * FROM pragma_index_xinfo(?1)", &index) {
                    lines.push(format!("{table} index {index}: {row}"));
                }
            }
        }
        lines
    }

    #[test]
    fn a_new_database_gets_the_whole_schema_and_the_application_id() {
        let conn = new_database();
        assert_eq!(user_version(&conn).unwrap(), SCHEMA_VERSION);
        let app_id: i32 = conn
            .pragma_query_value(None, "application_id", |r| r.get(0))
            .unwrap();
        assert_eq!(app_id, APPLICATION_ID);
        let objects: Vec<String> = conn
            .prepare("SELECT name FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%' ORDER BY name")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        for name in [
            "motion",
            "org",
            "org_name",
            "outcome",
            "standing",
            "outcome_by_pair",
            "outcome_by_org",
            "one_decision_per_meeting",
        ] {
            assert!(objects.iter().any(|o| o == name), "{name} in {objects:?}");
        }
    }

    #[test]
    fn a_new_database_and_one_migrated_from_every_earlier_version_are_alike() {
        let new = describe(&new_database());
        assert!(new.iter().any(|l| l.contains("one_decision_per_meeting")));
        for version in 1..SCHEMA_VERSION {
            let mut conn = at_version(version);
            migrate(&mut conn).unwrap();
            assert_eq!(user_version(&conn).unwrap(), SCHEMA_VERSION);
            let migrated = describe(&conn);
            for (a, b) in new.iter().zip(&migrated) {
                assert_eq!(a, b, "from version {version}");
            }
            assert_eq!(new, migrated, "from version {version}");
        }
        // What `check` expects of an up-to-date database (the frozen steps) is schema.sql too.
        assert_eq!(
            expected_schema(SCHEMA_VERSION).unwrap(),
            schema_of(&new_database()).unwrap()
        );
    }

    #[test]
    fn schema_sql_states_every_object_the_steps_make() {
        let chain = at_version(SCHEMA_VERSION);
        let fresh = Connection::open_in_memory().unwrap();
        fresh.execute_batch(SCHEMA).unwrap();
        assert_eq!(describe(&fresh), describe(&chain));
        // And the comparison is not blind to a difference in a CHECK.
        let altered = Connection::open_in_memory().unwrap();
        altered
            .execute_batch(&SCHEMA.replace("OR status = 'ruled-out'", ""))
            .unwrap();
        assert_ne!(describe(&altered), describe(&chain));
    }

    #[test]
    fn normal_sql_drops_comments_and_spacing_but_not_words_or_quoted_text() {
        assert_eq!(
            normal_sql("CREATE TABLE t (\n  a TEXT -- note (x)\n , b  INT\n) STRICT"),
            "CREATE TABLE t(a TEXT,b INT)STRICT"
        );
        assert_eq!(
            normal_sql("x CHECK (a = 'it''s  -- here' /* gone */)"),
            "x CHECK(a='it''s  -- here')"
        );
        assert_ne!(normal_sql("a TEXT"), normal_sql("aTEXT"));
    }

    /// The SHA-256 of every step as shipped. A shipped step is never changed: databases out
    /// there took it as it was. A change to the schema is a new step (and schema.sql follows).
    const SHIPPED: [(&str, &str); 5] = [
        (
            "1-initial.sql",
            "bf886fefbf827d1121a2a1c8800d26058430a245bf283f0041b41a8e82c7b9a2",
        ),
        (
            "2-retractions.sql",
            "897e42921b623ac2c763260d606beaa1a6234ed6dfd5b93f4bf65077c0eed1a2",
        ),
        (
            "3-one-decision-per-meeting.sql",
            "32e04b03b6986e00afa3ae8af741290714e741c1e720346ef521fa26095bf360",
        ),
        (
            "4-retirement.sql",
            "3563e0e5455fa0488fe4715e449df3bbcbf75d82a83514757e4fd94a179d4879",
        ),
        (
            "5-intake.sql",
            "aa71a73ce4ac4958264cd283cc9f5e1de16a449a3fa68838cc2dcf6263f3e487",
        ),
    ];

    #[test]
    fn shipped_migrations_are_frozen() {
        assert_eq!(
            MIGRATIONS.len(),
            SHIPPED.len(),
            "a new step: add its checksum"
        );
        for (step, (name, sum)) in MIGRATIONS.iter().zip(SHIPPED) {
            let digest = Sha256::digest(step.as_bytes());
            let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
            assert_eq!(hex, sum, "migrations/{name} was changed after it shipped");
        }
    }

    /// The quoted words of the `column = '...'` comparisons in a table's CHECK constraints.
    fn check_words(conn: &Connection, table: &str, column: &str) -> BTreeSet<String> {
        let sql: String = conn
            .query_row(
                "SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = ?1",
                [table],
                |r| r.get(0),
            )
            .unwrap();
        let needle = format!("{column} = '");
        sql.match_indices(&needle)
            .map(|(at, _)| {
                let rest = &sql[at + needle.len()..];
                rest[..rest.find('\'').unwrap()].to_string()
            })
            .collect()
    }

    #[test]
    fn the_sql_checks_accept_every_status_and_kind_of_the_rust_enums_and_nothing_else() {
        let conn = new_database();
        let statuses: BTreeSet<String> =
            Status::ALL.iter().map(|s| s.as_str().to_string()).collect();
        let kinds: BTreeSet<String> = Kind::ALL.iter().map(|k| k.as_str().to_string()).collect();
        assert_eq!(check_words(&conn, "outcome", "status"), statuses);
        assert_eq!(check_words(&conn, "org", "kind"), kinds);
        conn.execute("INSERT INTO motion (slug, title) VALUES ('m', 'M')", [])
            .unwrap();
        for (n, kind) in Kind::ALL.iter().enumerate() {
            conn.execute(
                "INSERT INTO org (name, kind) VALUES (?1, ?2)",
                rusqlite::params![format!("Sample Org {n}"), kind.as_str()],
            )
            .unwrap_or_else(|err| panic!("kind {kind}: {err}"));
        }
        for (n, status) in Status::ALL.iter().enumerate() {
            conn.execute(
                "INSERT INTO outcome (motion_id, org_id, status, meeting_date) \
                 VALUES (1, 1, ?1, date('2019-02-01', ?2))",
                rusqlite::params![status.as_str(), format!("+{n} days")],
            )
            .unwrap_or_else(|err| panic!("status {status}: {err}"));
        }
        let refused = conn.execute(
            "INSERT INTO outcome (motion_id, org_id, status, meeting_date) \
             VALUES (1, 1, 'carried', '2019-03-01')",
            [],
        );
        assert!(refused.is_err(), "an alias is not stored");
        let refused = conn.execute("INSERT INTO org (name, kind) VALUES ('X', 'branch')", []);
        assert!(refused.is_err(), "an alias is not stored");
    }

    #[test]
    fn the_store_holds_one_decision_per_meeting_as_is_decision_says() {
        let conn = new_database();
        conn.execute_batch(
            "INSERT INTO motion (slug, title) VALUES ('m', 'M');
             INSERT INTO org (name, kind) VALUES ('Ashby CLP', 'clp');",
        )
        .unwrap();
        let insert = |status: &str, date: &str| {
            conn.execute(
                "INSERT INTO outcome (motion_id, org_id, status, meeting_date) VALUES (1, 1, ?1, ?2)",
                [status, date],
            )
        };
        for (n, status) in Status::ALL.iter().enumerate() {
            let date = format!("2019-01-{:02}", n + 1);
            insert(status.as_str(), &date).unwrap();
            let again = insert(status.as_str(), &date);
            assert_eq!(again.is_err(), status.is_decision(), "{status} twice");
            if let Err(err) = again {
                assert!(crate::db::is_unique_violation(&err), "{err}");
            }
        }
        // Two different decisions: refused; once one is retracted, the other is stored.
        insert("passed", "2019-02-01").unwrap();
        assert!(insert("rejected", "2019-02-01").is_err());
        conn.execute(
            "UPDATE outcome SET retracted_at = 'now', retraction_reason = 'wrong' \
             WHERE meeting_date = '2019-02-01'",
            [],
        )
        .unwrap();
        insert("rejected", "2019-02-01").unwrap();
        insert("moved", "2019-02-01").unwrap();
        // Bringing a retracted decision back beside another is refused too.
        let revived = conn.execute(
            "UPDATE outcome SET retracted_at = NULL, retraction_reason = NULL \
             WHERE meeting_date = '2019-02-01' AND status = 'passed'",
            [],
        );
        assert!(revived.is_err());
    }

    /// A version-2 database holding two decisions for one meeting (events 1 and 2), and an
    /// identical repeat for another (events 3 and 4), as older versions could leave.
    fn clashing_version_2() -> Connection {
        let conn = at_version(2);
        conn.execute_batch(
            "INSERT INTO motion (slug, title) VALUES ('venezuela-coup', 'Oppose the coup');
             INSERT INTO org (name, kind) VALUES ('Ashby CLP', 'clp'), ('Bexley CLP', 'clp');
             INSERT INTO outcome (motion_id, org_id, status, meeting_date) VALUES
                 (1, 1, 'passed', '2019-02-04'), (1, 1, 'rejected', '2019-02-04'),
                 (1, 2, 'passed', '2019-02-05'), (1, 2, 'passed', '2019-02-05'),
                 (1, 2, 'moved', '2019-02-01'), (1, 2, 'moved', '2019-02-01');
             INSERT INTO standing VALUES (1, 1, 2, 'rejected', '2019-02-04'),
                                         (1, 2, 4, 'passed', '2019-02-05');",
        )
        .unwrap();
        conn
    }

    #[test]
    fn clashing_decisions_block_the_step_which_changes_nothing_and_names_them() {
        let mut conn = clashing_version_2();
        let before = describe(&conn);
        let err = migrate(&mut conn).unwrap_err();
        let blocked = blocked(&err).expect("blocked");
        assert_eq!(blocked.version, 2);
        assert_eq!(
            blocked.clashes,
            [
                Clash {
                    motion: "venezuela-coup".into(),
                    org: "Ashby CLP".into(),
                    date: "2019-02-04".into(),
                    events: vec![(1, Status::Passed), (2, Status::Rejected)],
                },
                Clash {
                    motion: "venezuela-coup".into(),
                    org: "Bexley CLP".into(),
                    date: "2019-02-05".into(),
                    events: vec![(3, Status::Passed), (4, Status::Passed)],
                },
            ]
        );
        let message = err.to_string();
        assert!(
            message.contains(
                "venezuela-coup, Ashby CLP, 2019-02-04: event 1 says passed, event 2 says rejected"
            ),
            "{message}"
        );
        assert!(
            message.contains("motions outcome retract ID --reason \"...\""),
            "{message}"
        );
        assert_eq!(user_version(&conn).unwrap(), 2);
        assert_eq!(describe(&conn), before, "nothing changed");
        // Retracting one of each lets the step through.
        conn.execute_batch(
            "UPDATE outcome SET retracted_at = 'now', retraction_reason = 'wrong' WHERE id IN (2, 4)",
        )
        .unwrap();
        migrate(&mut conn).unwrap();
        assert_eq!(user_version(&conn).unwrap(), SCHEMA_VERSION);
        let kept: i64 = conn
            .query_row("SELECT count(*) FROM outcome", [], |r| r.get(0))
            .unwrap();
        assert_eq!(kept, 6, "every record kept");
    }

    #[test]
    fn a_version_1_database_with_clashing_decisions_stops_at_version_2() {
        let mut conn = at_version(1);
        conn.execute_batch(
            "INSERT INTO motion (slug, title) VALUES ('m', 'M');
             INSERT INTO org (name, kind) VALUES ('Ashby CLP', 'clp');
             INSERT INTO outcome (motion_id, org_id, status, meeting_date) VALUES
                 (1, 1, 'passed', '2019-02-04'), (1, 1, 'passed-amended', '2019-02-04');",
        )
        .unwrap();
        assert_eq!(
            decision_clashes(&conn).unwrap().len(),
            1,
            "read at version 1"
        );
        let err = migrate(&mut conn).unwrap_err();
        assert_eq!(blocked(&err).map(|b| b.version), Some(2));
        assert_eq!(user_version(&conn).unwrap(), 2);
    }

    #[test]
    fn a_version_1_database_with_records_moves_to_the_latest() {
        let mut conn = at_version(1);
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
        let mut conn = new_database();
        migrate(&mut conn).unwrap();
        assert_eq!(user_version(&conn).unwrap(), SCHEMA_VERSION);
    }

    #[test]
    fn lookups_by_organisation_use_their_index() {
        let conn = new_database();
        for sql in [
            "SELECT count(*) FROM outcome WHERE org_id = 1",
            "SELECT DISTINCT motion_id FROM outcome WHERE org_id = 1",
            "UPDATE outcome SET org_id = 2 WHERE org_id = 1",
        ] {
            let plan: Vec<String> = conn
                .prepare(&format!("EXPLAIN QUERY PLAN {sql}"))
                .unwrap()
                .query_map([], |r| r.get(3))
                .unwrap()
                .collect::<rusqlite::Result<_>>()
                .unwrap();
            assert!(
                plan.iter().any(|step| step.contains("outcome_by_org")),
                "{sql}: {plan:?}"
            );
        }
    }
}
