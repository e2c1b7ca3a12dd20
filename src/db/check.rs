//! `motions check`: whether a database file is sound, said finding by finding.
//!
//! It must work on the files that most need it, damaged or truncated ones, so it opens the file
//! read-only without the checks that refuse a bad file, runs each check on its own, and turns a
//! check that cannot run into a finding rather than an error.

use std::collections::BTreeMap;
use std::fs;
use std::io::Read;
use std::path::Path;

use anyhow::Result;
use rusqlite::{Connection, params};

use super::migrate::{APPLICATION_ID, MIGRATIONS, SCHEMA_VERSION};
use super::{Store, StoreError};
use crate::model::name_key;

/// One check `motions check` makes, and what it found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Finding {
    pub(crate) check: &'static str,
    /// Empty when all is well.
    pub(crate) problems: Vec<String>,
}

impl Finding {
    fn new(check: &'static str, outcome: Result<Vec<String>>) -> Finding {
        let problems = match outcome {
            Ok(problems) => problems,
            Err(err) => vec![format!("could not be run: {err:#}")],
        };
        Finding { check, problems }
    }
}

impl Store {
    /// Checks the database file at `path`, however damaged: its header and size, its schema
    /// against the one this version expects, SQLite's integrity and foreign-key checks, and the
    /// tool's own rules. Errors only when there is no file to check.
    pub(crate) fn check_file(path: &Path) -> Result<Vec<Finding>> {
        let mut findings = Vec::new();
        let header = read_header(path)?;
        let file_problems = file_problems(path, &header);
        let readable = file_problems.is_empty();
        findings.push(Finding::new(
            "the file is a whole SQLite database",
            Ok(file_problems),
        ));
        if !readable {
            return Ok(findings);
        }
        let conn = match super::open_read_only(path) {
            Ok(conn) => conn,
            Err(err) => {
                findings.push(Finding::new("the file can be opened", Err(err)));
                return Ok(findings);
            }
        };
        findings.push(Finding::new(
            "it is a motions database of a known version",
            identity(&conn),
        ));
        findings.push(Finding::new(
            "tables, indexes and triggers are those this version expects",
            schema_problems(&conn),
        ));
        findings.extend(checks(&conn));
        Ok(findings)
    }
}

/// The first 100 bytes of the file (SQLite's header), fewer if it is shorter.
fn read_header(path: &Path) -> Result<Vec<u8>> {
    let file = fs::File::open(path).map_err(|err| match err.kind() {
        std::io::ErrorKind::NotFound => StoreError::Missing(path.to_path_buf()).into(),
        _ => anyhow::Error::new(err).context(format!("opening {}", path.display())),
    })?;
    let mut header = Vec::with_capacity(100);
    file.take(100).read_to_end(&mut header)?;
    if header.is_empty() {
        return Err(StoreError::Empty(path.to_path_buf()).into());
    }
    Ok(header)
}

/// Problems with the file as a whole: not SQLite's header, or shorter than its header says.
fn file_problems(path: &Path, header: &[u8]) -> Vec<String> {
    if header.len() < 100 || !header.starts_with(b"SQLite format 3\0") {
        return vec![format!(
            "{} does not begin with SQLite's header: it is damaged at the start, or not a \
             database at all. Restore it from a backup",
            path.display()
        )];
    }
    let page_size = match u16::from_be_bytes([header[16], header[17]]) {
        1 => 65_536,
        n => u64::from(n),
    };
    let pages = u64::from(u32::from_be_bytes([
        header[28], header[29], header[30], header[31],
    ]));
    let length = fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    if pages > 0 && length < pages * page_size {
        return vec![format!(
            "the file is truncated: its header says {pages} pages of {page_size} bytes ({} \
             bytes), but it is {length} bytes long. Restore it from a backup",
            pages * page_size
        )];
    }
    Vec::new()
}

/// The file's application id and schema version.
fn identity(conn: &Connection) -> Result<Vec<String>> {
    let (app_id, version): (i64, i64) = conn.query_row(
        "SELECT (SELECT application_id FROM pragma_application_id), \
                (SELECT user_version FROM pragma_user_version)",
        [],
        |row| Ok((row.get(0)?, row.get(1)?)),
    )?;
    let mut problems = Vec::new();
    if app_id != i64::from(APPLICATION_ID) {
        problems.push(format!(
            "its application id is {app_id:#x}, not motions' {APPLICATION_ID:#x}: another \
             program's database, or a damaged header"
        ));
    }
    if version > SCHEMA_VERSION {
        problems.push(format!(
            "its schema version is {version}, newer than this motions knows ({SCHEMA_VERSION}); \
             check it with a newer motions"
        ));
    }
    Ok(problems)
}

/// The schema objects (tables, indexes, triggers, views) of a database by name, with their
/// SQL with spacing made uniform, leaving out SQLite's own.
fn schema_of(conn: &Connection) -> Result<BTreeMap<String, (String, String)>> {
    let mut statement = conn.prepare(
        "SELECT type, name, coalesce(sql, '') FROM sqlite_schema \
         WHERE name NOT LIKE 'sqlite_%'",
    )?;
    let rows = statement.query_map([], |row| {
        let sql: String = row.get(2)?;
        let sql = sql.split_whitespace().collect::<Vec<_>>().join(" ");
        Ok((row.get::<_, String>(1)?, (row.get::<_, String>(0)?, sql)))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The schema a database of `version` has when made by this version of motions.
fn expected_schema(version: i64) -> Result<BTreeMap<String, (String, String)>> {
    let conn = Connection::open_in_memory()?;
    let steps = usize::try_from(version.clamp(0, SCHEMA_VERSION)).unwrap_or(0);
    for step in &MIGRATIONS[..steps] {
        conn.execute_batch(step)?;
    }
    schema_of(&conn)
}

/// Tables, indexes and triggers missing, extra, or different from what is expected.
fn schema_problems(conn: &Connection) -> Result<Vec<String>> {
    let version: i64 = conn.query_row("PRAGMA user_version", [], |row| row.get(0))?;
    let expected = expected_schema(version)?;
    let found = schema_of(conn)?;
    let mut problems = Vec::new();
    for (name, (kind, sql)) in &expected {
        match found.get(name) {
            None => problems.push(format!("the {kind} {name} is missing")),
            Some((found_kind, found_sql)) if found_kind != kind || found_sql != sql => {
                problems.push(format!(
                    "the {kind} {name} is not as this version defines it"
                ));
            }
            Some(_) => {}
        }
    }
    for (name, (kind, _)) in &found {
        if !expected.contains_key(name) {
            problems.push(format!(
                "there is an extra {kind} {name}, which motions did not make"
            ));
        }
    }
    Ok(problems)
}

/// SQLite's checks and the tool's invariants, each run on its own.
fn checks(conn: &Connection) -> Vec<Finding> {
    vec![
        Finding::new(
            "SQLite integrity check (every page and index readable and consistent)",
            integrity(conn),
        ),
        Finding::new(
            "references between tables (foreign keys)",
            foreign_keys(conn),
        ),
        Finding::new(
            "every current status is the latest event not retracted",
            standing(conn),
        ),
        Finding::new(
            "every organisation is found by its own name",
            own_names(conn),
        ),
    ]
}

fn integrity(conn: &Connection) -> Result<Vec<String>> {
    let lines: Vec<String> = conn
        .prepare("PRAGMA integrity_check")?
        .query_map([], |row| row.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(lines.into_iter().filter(|line| line != "ok").collect())
}

fn foreign_keys(conn: &Connection) -> Result<Vec<String>> {
    Ok(conn
        .prepare("PRAGMA foreign_key_check")?
        .query_map([], |row| {
            Ok(format!(
                "{} row {} points at a missing {}",
                row.get::<_, String>(0)?,
                row.get::<_, i64>(1)?,
                row.get::<_, String>(2)?
            ))
        })?
        .collect::<rusqlite::Result<_>>()?)
}

fn standing(conn: &Connection) -> Result<Vec<String>> {
    Ok(conn
        .prepare(
            "WITH latest AS ( \
               SELECT motion_id, org_id, id, status, meeting_date, row_number() OVER ( \
                 PARTITION BY motion_id, org_id ORDER BY meeting_date DESC, id DESC) AS n \
               FROM outcome WHERE retracted_at IS NULL) \
             SELECT l.motion_id, l.org_id, l.id, s.outcome_id FROM latest l \
               LEFT JOIN standing s ON s.motion_id = l.motion_id AND s.org_id = l.org_id \
               WHERE l.n = 1 AND (s.outcome_id IS NOT l.id OR s.status IS NOT l.status \
                                  OR s.meeting_date IS NOT l.meeting_date) \
             UNION ALL \
             SELECT s.motion_id, s.org_id, NULL, s.outcome_id FROM standing s \
               WHERE NOT EXISTS (SELECT 1 FROM outcome e WHERE e.motion_id = s.motion_id \
                                 AND e.org_id = s.org_id AND e.retracted_at IS NULL)",
        )?
        .query_map([], |row| {
            Ok(format!(
                "motion {} and org {}: the latest event is {:?} but the current status says {:?}",
                row.get::<_, i64>(0)?,
                row.get::<_, i64>(1)?,
                row.get::<_, Option<i64>>(2)?,
                row.get::<_, Option<i64>>(3)?
            ))
        })?
        .collect::<rusqlite::Result<_>>()?)
}

fn own_names(conn: &Connection) -> Result<Vec<String>> {
    let mut names = Vec::new();
    let orgs: Vec<(i64, String)> = conn
        .prepare("SELECT id, name FROM org")?
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    for (id, name) in orgs {
        let found: i64 = conn.query_row(
            "SELECT count(*) FROM org_name WHERE org_id = ?1 AND key = ?2",
            params![id, name_key(&name)],
            |row| row.get(0),
        )?;
        if found == 0 {
            names.push(format!(
                "\"{name}\" (org {id}) is not found by its own name"
            ));
        }
    }
    Ok(names)
}
