//! The registry of organisations: registering, editing, renaming, aliasing, merging and
//! removing them, with the rules of `model::NewOrg` applied whichever way the change comes in.
//!
//! Regions and unions are checked here too ([`Places`]), for every way in (`org add`, `org
//! edit`, `log` registering, the guided log, `import orgs`, `import outcomes --create-orgs`): a
//! value that is a near miss of one in use, or of Labour's regions, is refused with "did you
//! mean", since it would split every tally; one meant as new is given as new.

use anyhow::{Result, bail};
use chrono::NaiveDate;

use super::resolve;
use crate::db::{Merged, Store};
use crate::model::{
    Dimension, Field, FieldError, Kind, Name, NewOrg, Org, OrgDraft, OrgRef, Parent, Rejected,
    Retirement, name_key, own_parent, visible,
};

/// The regions as the Labour Party names them (the built-in CLPs use these), known before any
/// is in use.
pub(crate) const LABOUR_REGIONS: [&str; 13] = [
    "East Midlands",
    "Eastern",
    "London",
    "North East",
    "North West",
    "Northern",
    "Scotland",
    "South East",
    "South West",
    "Wales",
    "West Midlands",
    "Yorkshire and the Humber",
    "Northern Ireland",
];

/// The regions and unions in use, which a new organisation's are checked against.
#[derive(Debug, Clone, Default)]
pub(crate) struct Places {
    regions: Vec<String>,
    unions: Vec<String>,
}

/// A region or union that looks like a slip for one in use: refused, with what was meant.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("\"{}\" is not a {what} in use; did you mean {}?", visible(.given), either(.near))]
pub(crate) struct NearMiss {
    what: &'static str,
    given: String,
    near: Vec<String>,
}

/// `"A"`, `"A" or "B"`, `"A", "B" or "C"`.
fn either(names: &[String]) -> String {
    let quoted: Vec<String> = names.iter().take(4).map(|n| format!("\"{n}\"")).collect();
    match quoted.split_last() {
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
        None => String::new(),
    }
}

impl NearMiss {
    /// The regions or unions it may have meant.
    pub(crate) fn near(&self) -> &[String] {
        &self.near
    }

    pub(crate) fn field(&self) -> Field {
        match self.what {
            "union" => Field::Union,
            _ => Field::Region,
        }
    }

    /// The refusal, saying how to give it on the command line if it is new after all.
    pub(crate) fn on_command_line(&self) -> String {
        format!(
            "{self} If it is a new {}, give it with --new-{} {}",
            self.what,
            self.what,
            crate::model::shell_quote(&visible(&self.given))
        )
    }

    /// The refusal, saying how to import a file whose new ones are meant.
    pub(crate) fn in_a_file(&self) -> String {
        format!(
            "{self} If it is a new {}, import with --create-regions to take the file's regions \
             and unions as written",
            self.what
        )
    }
}

impl Places {
    /// The regions and unions of the registry.
    pub(crate) fn load(store: &mut Store) -> Result<Places> {
        Ok(Places {
            regions: store.values(Dimension::Region)?,
            unions: store.values(Dimension::Union)?,
        })
    }

    /// The region to register for `given`: the spelling in use (or Labour's) for the same
    /// region in another case; `given` itself when it is new, or `new` says it is meant as
    /// new; refused when it is a near miss of one in use or of Labour's.
    pub(crate) fn region(&mut self, given: &str, new: bool) -> Result<String, NearMiss> {
        let labour = LABOUR_REGIONS.map(str::to_string);
        check_place("region", &mut self.regions, &labour, given, new)
    }

    /// The union to register for `given`, as [`Places::region`] (against the unions in use).
    pub(crate) fn union(&mut self, given: &str, new: bool) -> Result<String, NearMiss> {
        check_place("union", &mut self.unions, &[], given, new)
    }

    /// Checks an organisation's region and union, as given; returns them as they are to be
    /// registered.
    pub(crate) fn check(
        &mut self,
        region: Option<&str>,
        union: Option<&str>,
        new: (bool, bool),
    ) -> Result<(Option<String>, Option<String>), NearMiss> {
        let region = region.map(|r| self.region(r, new.0)).transpose()?;
        let union = union.map(|u| self.union(u, new.1)).transpose()?;
        Ok((region, union))
    }
}

/// `org` with its region and union checked against `places` (`new`: taken as written even when
/// near misses, as `--create-regions` says), spelt as the registry spells them.
pub(crate) fn in_places(org: NewOrg, places: &mut Places, new: bool) -> Result<NewOrg, NearMiss> {
    let (region, union) = places.check(org.region(), org.union(), (new, new))?;
    if region.as_deref() == org.region() && union.as_deref() == org.union() {
        return Ok(org);
    }
    let respelt = NewOrg::new(OrgDraft {
        name: org.name().as_str(),
        kind: Some(org.kind()),
        region: region.as_deref(),
        union: union.as_deref(),
        parent: org.parent().cloned(),
        code: org.code(),
    });
    Ok(respelt.unwrap_or(org))
}

/// The rule for regions and unions; `in_use` learns a new value, so a later near miss of it (in
/// the same file) is caught too.
fn check_place(
    what: &'static str,
    in_use: &mut Vec<String>,
    known: &[String],
    given: &str,
    new: bool,
) -> Result<String, NearMiss> {
    let key = place_key(given);
    if key.is_empty() {
        return Ok(given.to_string());
    }
    if let Some(same) = in_use.iter().chain(known).find(|k| place_key(k) == key) {
        return Ok(same.clone());
    }
    let given = given.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut near: Vec<String> = in_use
        .iter()
        .chain(known)
        .filter(|k| is_near_miss(&key, &place_key(k)))
        .cloned()
        .collect();
    near.dedup();
    if !near.is_empty() && !new {
        return Err(NearMiss { what, given, near });
    }
    in_use.push(given.clone());
    Ok(given)
}

/// A region or union as compared: lower case, spaces collapsed, "&" as "and".
fn place_key(text: &str) -> String {
    text.replace('&', " and ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// True when `typed` looks like a slip for `known` (both as [`place_key`] gives them): a
/// letter or two out for a longer word (one for six letters or fewer, none for three), or the
/// start of it ("Lond" for "London").
fn is_near_miss(typed: &str, known: &str) -> bool {
    let length = typed.chars().count();
    let most = match length {
        0..=3 => 0,
        4..=6 => 1,
        _ => 2,
    };
    strsim::damerau_levenshtein(typed, known) <= most || (length >= 3 && known.starts_with(typed))
}

/// The details of an organisation to register, as a person gave them.
#[derive(Debug, Clone, Default)]
pub(crate) struct OrgRequest {
    pub(crate) kind: Option<Kind>,
    pub(crate) region: Option<String>,
    pub(crate) union: Option<String>,
    pub(crate) code: Option<String>,
    /// The name of the CLP a branch belongs to.
    pub(crate) parent: Option<String>,
    /// The region and the union are meant as new ones, even if they look like slips for ones
    /// in use (`--new-region`, `--new-union`).
    pub(crate) new_region: bool,
    pub(crate) new_union: bool,
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
    let (region, union) = Places::load(store)?
        .check(
            details.region.as_deref(),
            details.union.as_deref(),
            (details.new_region, details.new_union),
        )
        .map_err(refused)?;
    Ok(NewOrg::new(OrgDraft {
        name,
        kind: details.kind,
        region: region.as_deref(),
        union: union.as_deref(),
        parent,
        code: details.code.as_deref(),
    })?)
}

/// A near miss, refused as a problem with the field, saying how to give a new one.
fn refused(near: NearMiss) -> Rejected {
    Rejected(vec![FieldError::new(near.field(), near.on_command_line())])
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
    /// The region and the union given are meant as new ones (see [`OrgRequest`]).
    pub(crate) new_region: bool,
    pub(crate) new_union: bool,
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
    // A region or union given is checked as for a new organisation; one kept is not.
    let mut places = Places::load(store)?;
    fn given(value: &Option<String>) -> Option<&str> {
        value.as_deref().filter(|v| !v.trim().is_empty())
    }
    let (region_given, union_given) = places
        .check(
            given(&edit.region),
            given(&edit.union),
            (edit.new_region, edit.new_union),
        )
        .map_err(refused)?;
    let region = region_given.or_else(|| keep(&edit.region, &org.region));
    let union = union_given.or_else(|| keep(&edit.union, &org.union));
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
