//! The registry of organisations: registering, editing, renaming, aliasing, merging and
//! removing them, with the rules of `model::NewOrg` applied whichever way the change comes in.

use anyhow::{Result, bail};

use super::resolve;
use crate::db::{Merged, Store};
use crate::model::{
    Field, FieldError, Kind, Name, NewOrg, Org, OrgDraft, OrgRef, Parent, Rejected, name_key,
    own_parent,
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
    // Refused inside the merge's own transaction when the two hold different decisions for
    // one meeting; the error lists them.
    let merged = store.merge_orgs(&from_org, &into_org)?;
    Ok(Merge {
        from: from_org,
        into: into_org,
        merged,
    })
}

/// What to say when a CLP is registered without a code: the map places a CLP by its
/// constituency's ONS code, so it will not show. Said when its name is a constituency's (with
/// that code), or when the map is in use (other CLPs have codes); a campaign that has no use for
/// the map is not told on every CLP.
pub(crate) fn missing_code(store: &mut Store, org: &Org) -> Result<Option<String>> {
    if org.kind != Kind::Clp || org.code.is_some() {
        return Ok(None);
    }
    let seat = crate::model::constituencies()
        .iter()
        .find(|c| name_key(&c.clp_name()) == name_key(&org.name));
    if seat.is_none() && !store.any_coded(Kind::Clp)? {
        return Ok(None);
    }
    let code = seat.map_or("E14...", |c| c.code.as_str());
    Ok(Some(format!(
        "{} has no code, so it will not appear on the map; give it its constituency's ONS code \
         with: motions org edit {} --code {code}",
        org.name,
        crate::model::shell_quote(&org.name)
    )))
}
