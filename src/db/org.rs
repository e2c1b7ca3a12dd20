//! Queries on the org registry: `org` and the names it answers to in `org_name`.

use anyhow::{Result, bail};
use rusqlite::types::Value;
use rusqlite::{OptionalExtension, Row, Transaction, params};

use super::{Store, is_unique_violation, to_word};
use crate::model::{Dimension, Kind, NewOrg, Org, OrgFilter, OrgRef, name_key};

pub(super) const SELECT: &str = "SELECT o.id, o.name, o.kind, o.region, o.union_name, p.name, o.code \
                      FROM org o LEFT JOIN org p ON p.id = o.parent_id";

pub(super) fn from_row(row: &Row<'_>) -> rusqlite::Result<Org> {
    Ok(Org {
        id: row.get(0)?,
        name: row.get(1)?,
        kind: to_word(row.get(2)?)?,
        region: row.get(3)?,
        union: row.get(4)?,
        parent: row.get(5)?,
        code: row.get(6)?,
    })
}

/// The WHERE clause for a filter on the registry (`o` is the org table), numbering its
/// placeholders after the `params` already bound, to which it adds its own.
pub(super) fn filter_sql(filter: &OrgFilter, params: &mut Vec<Value>) -> String {
    let mut clauses = vec!["1".to_string()];
    let mut bind = |value: &str, test: &str| {
        params.push(Value::Text(value.to_string()));
        clauses.push(format!("{test} = ?{} COLLATE NOCASE", params.len()));
    };
    if let Some(kind) = filter.kind {
        bind(kind.as_str(), "o.kind");
    }
    if let Some(region) = &filter.region {
        bind(region, "o.region");
    }
    if let Some(union) = &filter.union {
        bind(union, "o.union_name");
    }
    clauses.join(" AND ")
}

/// The clause keeping the organisations (`o`) that are in the registry at the end of `on`: not
/// retired by then. Binds the date after the `params` already bound.
pub(super) fn registered_on_sql(on: chrono::NaiveDate, params: &mut Vec<Value>) -> String {
    params.push(Value::Text(on.to_string()));
    format!("(o.retired_on IS NULL OR o.retired_on > ?{})", params.len())
}

impl Store {
    /// Registers an organisation; a name (or alias) or code already taken is an error.
    pub(crate) fn add_org(&mut self, new: &NewOrg) -> Result<Org> {
        self.write(|tx| insert_org(tx, new))
    }

    /// The org that answers to `name` (its name or an alias, in any case or spacing).
    pub(crate) fn find_org(&mut self, name: &str) -> Result<Option<Org>> {
        self.read(|tx| find_org(tx, name))
    }

    /// Every name and alias in the registry, for "did you mean" suggestions.
    pub(crate) fn org_names(&mut self) -> Result<Vec<String>> {
        self.read(|tx| {
            let mut stmt = tx.prepare("SELECT name FROM org_name ORDER BY key")?;
            let names = stmt
                .query_map([], |row| row.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            Ok(names)
        })
    }

    /// The values of a region or union column in the registry, alphabetically.
    pub(crate) fn values(&mut self, dimension: Dimension) -> Result<Vec<String>> {
        let (column, only) = match dimension {
            Dimension::Kind => ("kind", "1"),
            Dimension::Region => ("region", "1"),
            Dimension::Union => ("union_name", "1"),
            Dimension::Clp => ("name", "kind = 'clp'"),
        };
        self.read(|tx| {
            let sql = format!(
                "SELECT DISTINCT {column} FROM org WHERE {column} IS NOT NULL AND {only} \
                 ORDER BY {column} COLLATE NOCASE"
            );
            let mut stmt = tx.prepare(&sql)?;
            let values = stmt
                .query_map([], |row| row.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            Ok(values)
        })
    }

    /// True when some organisation of `kind` has a code: the map is in use for that kind.
    pub(crate) fn any_coded(&mut self, kind: Kind) -> Result<bool> {
        self.read(|tx| {
            Ok(tx.query_row(
                "SELECT EXISTS (SELECT 1 FROM org WHERE kind = ?1 AND code IS NOT NULL)",
                [kind.as_str()],
                |row| row.get(0),
            )?)
        })
    }

    /// Every name and alias with the name of the org it finds, alphabetically.
    pub(crate) fn org_names_and_owners(&mut self) -> Result<Vec<(String, String)>> {
        self.read(|tx| {
            let mut stmt = tx.prepare(
                "SELECT n.name, o.name FROM org_name n JOIN org o ON o.id = n.org_id ORDER BY n.key",
            )?;
            let pairs = stmt.query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?.collect::<rusqlite::Result<_>>()?;
            Ok(pairs)
        })
    }

    /// The registry matching `filter`, in name order, each org handed to `each` as it is read.
    pub(crate) fn each_org_in(
        &mut self,
        filter: &OrgFilter,
        each: impl FnMut(&Org) -> std::io::Result<()>,
    ) -> Result<()> {
        let mut values = Vec::new();
        let clause = filter_sql(filter, &mut values);
        let sql = format!("{SELECT} WHERE {clause} ORDER BY o.name COLLATE NOCASE, o.id");
        self.read(|tx| {
            super::export::each_row(tx, &sql, rusqlite::params_from_iter(values), from_row, each)
        })
    }
}

pub(super) fn find_org(tx: &Transaction<'_>, name: &str) -> Result<Option<Org>> {
    let sql = format!("{SELECT} JOIN org_name n ON n.org_id = o.id WHERE n.key = ?1");
    let mut stmt = tx.prepare_cached(&sql)?;
    Ok(stmt.query_row([name_key(name)], from_row).optional()?)
}

/// The spelling already in the registry for a region or union typed in another case, so
/// "london" joins "London" rather than starting a row of its own in tallies.
fn known_spelling(
    tx: &Transaction<'_>,
    column: &str,
    value: Option<&str>,
) -> Result<Option<String>> {
    let Some(value) = value else { return Ok(None) };
    let sql = format!("SELECT {column} FROM org WHERE {column} = ?1 COLLATE NOCASE LIMIT 1");
    let mut stmt = tx.prepare_cached(&sql)?;
    let known: Option<String> = stmt.query_row([value], |row| row.get(0)).optional()?;
    Ok(Some(known.unwrap_or_else(|| value.to_string())))
}

/// The id of an organisation a record refers to: registered, or registered earlier in the same
/// write.
pub(super) fn org_id(tx: &Transaction<'_>, org: &OrgRef) -> Result<i64> {
    match org {
        OrgRef::Registered(id) => Ok(*id),
        OrgRef::Pending(name) => match find_org(tx, name.as_str())? {
            Some(org) => Ok(org.id),
            None => bail!("\"{name}\" is not registered"),
        },
    }
}

pub(super) fn insert_org(tx: &Transaction<'_>, new: &NewOrg) -> Result<Org> {
    if let Some(existing) = find_org(tx, new.name().as_str())? {
        bail!(
            "an organisation named \"{}\" is already registered (as \"{}\", {}); \
             use that name, or choose another",
            crate::model::visible(new.name().as_str()),
            existing.name,
            existing.kind
        );
    }
    let region = known_spelling(tx, "region", new.region())?;
    let union = known_spelling(tx, "union_name", new.union())?;
    let parent_id = new.parent().map(|p| org_id(tx, &p.org)).transpose()?;
    let inserted = tx
        .prepare_cached(
            "INSERT INTO org (name, kind, region, union_name, parent_id, code) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )?
        .execute(params![
            new.name().as_str(),
            new.kind().as_str(),
            region,
            union,
            parent_id,
            new.code()
        ]);
    match inserted {
        Err(err) if is_unique_violation(&err) => {
            let code = new.code().unwrap_or_default();
            let holder: String = tx.query_row(
                "SELECT name FROM org WHERE code = ?1 COLLATE NOCASE",
                [code],
                |row| row.get(0),
            )?;
            bail!(
                "code \"{}\" already belongs to \"{holder}\"; each code names one organisation",
                crate::model::visible(code)
            )
        }
        other => other?,
    };
    let id = tx.last_insert_rowid();
    tx.prepare_cached("INSERT INTO org_name (key, org_id, name) VALUES (?1, ?2, ?3)")?
        .execute(params![new.name().key(), id, new.name().as_str()])?;
    let parent = new.parent().map(|p| p.name.to_string());
    Ok(Org {
        id,
        name: new.name().to_string(),
        kind: new.kind(),
        region,
        union,
        parent,
        code: new.code().map(str::to_string),
    })
}
