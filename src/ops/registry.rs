//! The registry of organisations: registering, editing, renaming, aliasing, merging and
//! removing them, with the rules of `model::NewOrg` applied whichever way the change comes in.

use anyhow::{Result, bail};
use chrono::NaiveDate;

use super::resolve;
use crate::db::{Merged, Store};
use crate::model::{
    Field, FieldError, Kind, Name, NewOrg, Org, OrgDraft, OrgRef, Parent, Rejected, Retirement,
    name_key, own_parent,
};

/// The details of an organisation to register, as a person gave them.
#[derive(Debug, Clone, Default)]
pub(crate) struct OrgRequest {
    pub(crate) kind: Option<Kind>,
    pub(crate) region: Option<String>,
    pub(crate) union: Option<String>,
    pub(crate) code: Option<String>,
    /// The name of the CLP a branch belongs to.
    pub(crate) parent: Option<String>,
}

/// Checks a new organisation named `name` with `details`, its parent looked up in the
/// registry; nothing is written.
pub(crate) fn new_org(store: &mut Store, name: &str, details: &OrgRequest) -> Result<NewOrg> {
    let parent = match details.parent.as_deref().map(str::trim) {
        Some(parent) if name_key(parent) == name_key(name) => {
            return Err(Rejected(vec![own_parent()]).into());
        }
        Some(parent) if !parent.is_empty() => Some(find_parent(store, parent)?),
        _ => None,
    };
    Ok(NewOrg::new(OrgDraft {
        name,
        kind: details.kind,
        region: details.region.as_deref(),
        union: details.union.as_deref(),
        parent,
        code: details.code.as_deref(),
    })?)
}

/// The registered CLP a branch names as its parent.
fn find_parent(store: &mut Store, name: &str) -> Result<Parent> {
    let org = resolve::org(
        store,
        name,
        "register it first: motions org add NAME --kind clp",
    )
    .map_err(|err| Rejected(vec![FieldError::new(Field::Parent, format!("{err:#}"))]))?;
    Ok(parent_of(&org)?)
}

fn parent_of(org: &Org) -> Result<Parent, Rejected> {
    let name = Name::parse(&org.name)
        .map_err(|err| Rejected(vec![FieldError::new(Field::Parent, err)]))?;
    Ok(Parent {
        org: OrgRef::Registered(org.id),
        name,
        kind: org.kind,
    })
}

/// Registers an organisation.
pub(crate) fn register(store: &mut Store, name: &str, details: &OrgRequest) -> Result<Org> {
    let new = new_org(store, name, details)?;
    store.add_org(&new)
}

/// New details for a registered organisation: `None` keeps a value, `Some("")` clears it.
#[derive(Debug, Clone, Default)]
pub(crate) struct OrgEdit {
    pub(crate) kind: Option<Kind>,
    pub(crate) region: Option<String>,
    pub(crate) union: Option<String>,
    pub(crate) code: Option<String>,
    pub(crate) parent: Option<String>,
}

/// Changes an organisation's details (all but its name) under the same rules as registering it,
/// and returns it as it now is.
pub(crate) fn edit(store: &mut Store, name: &str, edit: &OrgEdit) -> Result<Org> {
    let org = find(store, name)?;
    let keep = |given: &Option<String>, now: &Option<String>| given.clone().or_else(|| now.clone());
    let parent = match edit.parent.as_deref().map(str::trim) {
        None => match &org.parent {
            Some(parent) => Some(parent_of(&find(store, parent)?)?),
            None => None,
        },
        Some("") => None,
        Some(name) => Some(find_parent(store, name)?),
    };
    let region = keep(&edit.region, &org.region);
    let union = keep(&edit.union, &org.union);
    let code = keep(&edit.code, &org.code);
    let edited = NewOrg::new(OrgDraft {
        name: &org.name,
        kind: Some(edit.kind.unwrap_or(org.kind)),
        region: region.as_deref(),
        union: union.as_deref(),
        parent,
        code: code.as_deref(),
    })?;
    store.edit_org(&org, &edited)?;
    find(store, &org.name)
}

/// The registered organisation a name (or alias) finds.
pub(crate) fn find(store: &mut Store, name: &str) -> Result<Org> {
    resolve::org(
        store,
        name,
        "see the registry with: motions org list; register it with: motions org add NAME --kind KIND",
    )
}

/// Gives an organisation a new name; the old one still finds it. Returns the organisation as it
/// was.
pub(crate) fn rename(store: &mut Store, old: &str, new: &str) -> Result<(Org, Name)> {
    let org = find(store, old)?;
    let new = Name::parse(new).map_err(|err| anyhow::anyhow!("the new name: {err}"))?;
    store.rename_org(&org, new.as_str())?;
    Ok((org, new))
}

/// Adds another spelling that finds an organisation.
pub(crate) fn alias(store: &mut Store, name: &str, alias: &str) -> Result<(Org, Name)> {
    let org = find(store, name)?;
    let alias = Name::parse(alias).map_err(|err| anyhow::anyhow!("the alias: {err}"))?;
    store.add_alias(&org, alias.as_str())?;
    Ok((org, alias))
}

/// Removes an organisation registered by mistake.
pub(crate) fn remove(store: &mut Store, name: &str) -> Result<Org> {
    let org = find(store, name)?;
    store.remove_org(&org)?;
    Ok(org)
}

/// An organisation that left the registry (or came back to it), with its retirement before.
#[derive(Debug, Clone)]
pub(crate) struct Retired {
    pub(crate) org: Org,
    pub(crate) before: Option<Retirement>,
}

/// Marks an organisation as dissolved or succeeded from the start of `on`: tallies of that
/// day and later leave it out, and those of earlier days still count it; its history stays.
pub(crate) fn retire(
    store: &mut Store,
    name: &str,
    on: NaiveDate,
    succeeded_by: Option<&str>,
) -> Result<Retired> {
    let org = find(store, name)?;
    let successor = succeeded_by.map(|name| find(store, name)).transpose()?;
    if successor.as_ref().is_some_and(|s| s.id == org.id) {
        bail!(
            "{} cannot succeed itself; give the body that took its place",
            org.name
        );
    }
    let before = store.retire_org(&org, Some(on), successor.as_ref())?;
    Ok(Retired { org, before })
}

/// Returns a retired organisation to the registry (a retirement recorded in error).
pub(crate) fn unretire(store: &mut Store, name: &str) -> Result<Retired> {
    let org = find(store, name)?;
    if store.retirement(&org)?.is_none() {
        bail!("{} is not retired; nothing to undo", org.name);
    }
    let before = store.retire_org(&org, None, None)?;
    Ok(Retired { org, before })
}

/// What a merge did, with the two organisations.
#[derive(Debug, Clone)]
pub(crate) struct Merge {
    pub(crate) from: Org,
    pub(crate) into: Org,
    pub(crate) merged: Merged,
}

/// Merges a duplicate into the organisation it repeats. Refused when they are one already, of
/// different kinds, or hold different decisions for one meeting (checked inside the merge's own
/// write, so no writer can slip one in between).
pub(crate) fn merge(store: &mut Store, from: &str, into: &str) -> Result<Merge> {
    let from_org = find(store, from)?;
    let into_org = find(store, into)?;
    if from_org.id == into_org.id {
        bail!(
            "\"{}\" and \"{}\" are the same organisation already",
            from.trim(),
            into.trim()
        );
    }
    if from_org.kind != into_org.kind {
        bail!(
            "{} is a {} and {} a {}; only duplicates of one kind are merged",
            from_org.name,
            from_org.kind,
            into_org.name,
            into_org.kind
        );
    }
    let conflicts = store.merge_conflicts(&from_org, &into_org)?;
    if !conflicts.is_empty() {
        let lines: Vec<String> = conflicts
            .iter()
            .map(|c| {
                let ((a, a_status), (b, b_status)) = (c.from, c.into);
                format!(
                    "  {} on {}: event {a} says {a_status}, event {b} says {b_status}",
                    c.motion, c.date
                )
            })
            .collect();
        bail!(
            "{} and {} have different decisions recorded for the same meetings:\n{}\n\
             Retract the wrong ones (motions outcome retract ID --reason ...), then merge",
            from_org.name,
            into_org.name,
            lines.join("\n")
        );
    }
    let merged = store.merge_orgs(&from_org, &into_org)?;
    Ok(Merge {
        from: from_org,
        into: into_org,
        merged,
    })
}
