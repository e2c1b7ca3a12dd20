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

use super::migrate::{APPLICATION_ID, MIGRATIONS, SCHEMA_VERSION, decision_clashes};
use super::{Store, StoreError};
use crate::model::{Kind, name_key};

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
    if path.is_dir() {
        anyhow::bail!(
            "{} is a folder; give the database's file name, e.g. --db {}",
            path.display(),
            path.join("motions.db").display()
        );
    }
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
/// SQL in a normal form (see [`normal_sql`]), leaving out SQLite's own.
pub(super) fn schema_of(conn: &Connection) -> Result<BTreeMap<String, (String, String)>> {
    let mut statement = conn.prepare(
        "SELECT type, name, coalesce(sql, '') FROM sqlite_schema \
         WHERE name NOT LIKE 'sqlite_%'",
    )?;
    let rows = statement.query_map([], |row| {
        let sql: String = row.get(2)?;
        Ok((
            row.get::<_, String>(1)?,
            (row.get::<_, String>(0)?, normal_sql(&sql)),
        ))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// SQL as stored in `sqlite_schema`, with what does not change its meaning made uniform:
/// comments dropped, and spacing kept only as one space between two words. A table made in
/// one step and the same table grown by `ALTER TABLE ... ADD COLUMN` (which SQLite writes into
/// the stored text with its own spacing) then read alike. Quoted text is kept as it is.
pub(super) fn normal_sql(sql: &str) -> String {
    let chars: Vec<char> = sql.chars().collect();
    let is_word = |c: char| c.is_alphanumeric() || c == '_' || c == '\'' || c == '"';
    let mut out = String::with_capacity(sql.len());
    let mut space = false;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '\'' || c == '"' || c == '`' || c == '[' {
            let close = if c == '[' { ']' } else { c };
            if space && out.chars().last().is_some_and(is_word) {
                out.push(' ');
            }
            space = false;
            out.push(c);
            i += 1;
            while i < chars.len() {
                out.push(chars[i]);
                i += 1;
                if chars[i - 1] == close {
                    // A doubled quote is one quote inside the text.
                    if close != ']' && chars.get(i) == Some(&close) {
                        out.push(close);
                        i += 1;
                        continue;
                    }
                    break;
                }
            }
        } else if c == '-' && chars.get(i + 1) == Some(&'-') {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
            space = true;
        } else if c == '/' && chars.get(i + 1) == Some(&'*') {
            i += 2;
            while i < chars.len() && !(chars[i] == '*' && chars.get(i + 1) == Some(&'/')) {
                i += 1;
            }
            i += 2;
            space = true;
        } else if c.is_whitespace() {
            space = true;
            i += 1;
        } else {
            if space && is_word(c) && out.chars().last().is_some_and(is_word) {
                out.push(' ');
            }
            space = false;
            out.push(c);
            i += 1;
        }
    }
    out
}

/// The schema a database of `version` has when made by this version of motions: the frozen
/// steps up to it (a new database gets `schema.sql` in one step, which tests prove the same).
pub(super) fn expected_schema(version: i64) -> Result<BTreeMap<String, (String, String)>> {
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
        Finding::new(
            "no meeting has two decisions on one motion",
            one_decision(conn),
        ),
        Finding::new(
            "a branch's parent is a CLP, and a CLP has none",
            parents(conn),
        ),
        Finding::new(
            "no organisation is its own parent's parent (no cycles)",
            cycles(conn),
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

/// Meetings with more than one decision not retracted: the one database version 3 refuses to
/// store, and the one an older version may have left.
fn one_decision(conn: &Connection) -> Result<Vec<String>> {
    Ok(decision_clashes(conn)?
        .iter()
        .map(|clash| {
            format!(
                "{clash}; retract the wrong one with: motions outcome retract ID --reason \"...\""
            )
        })
        .collect())
}

/// An organisation as the parent checks see it.
struct Node {
    name: String,
    kind: String,
    parent: Option<i64>,
}

fn registry(conn: &Connection) -> Result<BTreeMap<i64, Node>> {
    let mut stmt = conn.prepare("SELECT id, name, kind, parent_id FROM org")?;
    let rows = stmt.query_map([], |row| {
        Ok((
            row.get::<_, i64>(0)?,
            Node {
                name: row.get(1)?,
                kind: row.get(2)?,
                parent: row.get(3)?,
            },
        ))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// CLPs with a parent, and parents that are not CLPs, by name.
fn parents(conn: &Connection) -> Result<Vec<String>> {
    let orgs = registry(conn)?;
    let clp = Kind::Clp.as_str();
    let mut problems = Vec::new();
    for node in orgs.values() {
        // A parent that is missing altogether is the foreign-key check's finding.
        let Some(parent) = node.parent.and_then(|id| orgs.get(&id)) else {
            continue;
        };
        if node.kind == clp {
            problems.push(format!(
                "\"{}\" is a CLP with a parent, \"{}\"; a CLP belongs to no other. Clear it \
                 with: motions org edit \"{}\" --parent \"\"",
                node.name, parent.name, node.name
            ));
        } else if parent.kind != clp {
            problems.push(format!(
                "\"{}\" has \"{}\" as its parent, which is a {}, not a CLP. Give it its CLP \
                 with: motions org edit \"{}\" --parent \"CLP\" (or --parent \"\" for none)",
                node.name, parent.name, parent.kind, node.name
            ));
        }
    }
    Ok(problems)
}

/// Chains of parents that come back to where they began, each said once, by name.
fn cycles(conn: &Connection) -> Result<Vec<String>> {
    let orgs = registry(conn)?;
    let mut found: BTreeMap<Vec<i64>, String> = BTreeMap::new();
    for &start in orgs.keys() {
        let mut path = vec![start];
        let mut at = start;
        // A chain longer than the registry has come back on itself.
        while path.len() <= orgs.len() {
            let Some(next) = orgs.get(&at).and_then(|node| node.parent) else {
                break;
            };
            if !orgs.contains_key(&next) {
                break;
            }
            if let Some(begin) = path.iter().position(|&id| id == next) {
                let mut cycle = path[begin..].to_vec();
                // The same cycle reached from any of its members is said once, from its
                // lowest id.
                let lowest = (0..cycle.len()).min_by_key(|&i| cycle[i]).unwrap_or(0);
                cycle.rotate_left(lowest);
                let names: Vec<String> = cycle
                    .iter()
                    .chain(cycle.first())
                    .map(|id| format!("\"{}\"", orgs[id].name))
                    .collect();
                found.entry(cycle).or_insert_with(|| {
                    format!(
                        "parents form a cycle: {} (each followed by its parent); clear \
                         one with: motions org edit NAME --parent \"\"",
                        names.join(" -> ")
                    )
                });
                break;
            }
            path.push(next);
            at = next;
        }
    }
    Ok(found.into_values().collect())
}
