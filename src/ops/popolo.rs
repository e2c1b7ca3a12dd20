//! The campaign as Popolo open data (<http://www.popoloproject.com/>), the format civic-tech
//! tools read: the organisations, and each motion as one organisation considered it, with a
//! vote event for each recorded outcome.
//!
//! Ids are stable: an organisation's comes from its ONS/GSS code (`org/gss-E14001063`), else
//! from its other code or its name (`org/ashby-clp`), so a file published again next week
//! names the same bodies the same way. The document streams out one motion at a time, so a
//! national campaign's history never sits in memory whole.

use std::collections::HashMap;
use std::io::{self, Write};

use anyhow::Result;
use chrono::NaiveDate;
use serde::Serialize;

use crate::db::Store;
use crate::model::{Group, Motion, Org, Outcome, Retirement, Status, is_gss_code, slug_of};

/// What to export, and whether people's names may appear.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Options {
    /// Only this motion.
    pub(crate) motion_id: Option<i64>,
    /// Leave out who reported each outcome and the notes (free text that may name people).
    pub(crate) no_names: bool,
}

/// How much the document holds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Written {
    pub(crate) organizations: u64,
    pub(crate) motions: u64,
}

#[derive(Debug, Serialize)]
struct Organization<'a> {
    id: &'a str,
    name: &'a str,
    classification: &'static str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    identifiers: Vec<Identifier>,
    #[serde(skip_serializing_if = "Option::is_none")]
    parent_id: Option<&'a str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    other_names: Vec<OtherName<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    dissolution_date: Option<String>,
}

#[derive(Debug, Serialize)]
struct Identifier {
    scheme: &'static str,
    identifier: String,
}

#[derive(Debug, Serialize)]
struct OtherName<'a> {
    name: &'a str,
}

/// One campaign motion as one organisation considered it.
#[derive(Debug, Serialize)]
struct PopoloMotion<'a> {
    id: String,
    organization_id: &'a str,
    identifier: &'a str,
    text: &'a str,
    date: String,
    result: &'static str,
    vote_events: Vec<VoteEvent<'a>>,
}

/// One recorded outcome: a meeting that considered the motion.
#[derive(Debug, Serialize)]
struct VoteEvent<'a> {
    id: String,
    motion_id: String,
    organization_id: &'a str,
    start_date: String,
    /// The canonical status (`passed-amended`); `result` gives its group in Popolo's words.
    classification: &'static str,
    result: &'static str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    counts: Vec<Count>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    sources: Vec<Link>,
    #[serde(skip_serializing_if = "Option::is_none")]
    reported_by: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    notes: Option<&'a str>,
}

#[derive(Debug, Serialize)]
struct Count {
    option: &'static str,
    value: u32,
}

#[derive(Debug, Serialize)]
struct Link {
    url: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    note: Option<String>,
}

/// Popolo's result for a status: `pass`, `fail`, `pending` or `withdrawn` (withdrawn and
/// ruled out of order alike), one word per group of the tallies.
pub(crate) fn result(status: Status) -> &'static str {
    match status.group() {
        Group::Passed => "pass",
        Group::Rejected => "fail",
        Group::Dropped => "withdrawn",
        Group::Pending | Group::None => "pending",
    }
}

/// A date as Popolo's date-time fields take it: the day, at midnight UTC (meetings' times are
/// not recorded).
fn date_time(day: NaiveDate) -> String {
    format!("{day}T00:00:00Z")
}

/// A stable id for every organisation, by its database id: from its GSS code, else its other
/// code, else its name; a clash (two names with one slug) takes `-2`, `-3` in name order.
pub(crate) fn org_ids(orgs: &[Org]) -> HashMap<i64, String> {
    let mut taken: HashMap<String, i64> = HashMap::new();
    let mut ids = HashMap::new();
    for org in orgs {
        let code = org.code.as_deref().map(str::trim).unwrap_or_default();
        let base = if is_gss_code(code) {
            format!("org/gss-{}", code.to_ascii_uppercase())
        } else if !slug_of(code).is_empty() {
            format!("org/code-{}", slug_of(code))
        } else if !slug_of(&org.name).is_empty() {
            format!("org/{}", slug_of(&org.name))
        } else {
            format!("org/id-{}", org.id)
        };
        let mut id = base.clone();
        let mut n = 1;
        while taken.contains_key(&id) {
            n += 1;
            id = format!("{base}-{n}");
        }
        taken.insert(id.clone(), org.id);
        ids.insert(org.id, id);
    }
    ids
}

/// A source as a Popolo link: a web address as it is (characters a URI may not hold
/// percent-encoded); any other reference (minutes, a meeting) as a `data:` URI carrying the
/// text, with the text as the link's note.
fn link(source: &str) -> Link {
    let lower = source.get(..8).unwrap_or(source).to_ascii_lowercase();
    if lower.starts_with("https://") || lower.starts_with("http://") {
        Link {
            url: uri_safe(source, false),
            note: None,
        }
    } else {
        Link {
            url: format!("data:text/plain;charset=utf-8,{}", uri_safe(source, true)),
            note: Some(source.to_string()),
        }
    }
}

/// Percent-encodes what a URI may not hold as it is (spaces, quotes, non-ASCII letters, a `%`
/// that begins no escape); with `everything`, all but the unreserved characters.
fn uri_safe(text: &str, everything: bool) -> String {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    for (i, &b) in bytes.iter().enumerate() {
        let unreserved = b.is_ascii_alphanumeric() || b"-._~".contains(&b);
        let reserved = b":/?#[]@!$&'()*+,;=".contains(&b);
        let escape = b == b'%'
            && bytes.len() > i + 2
            && bytes[i + 1].is_ascii_hexdigit()
            && bytes[i + 2].is_ascii_hexdigit();
        if unreserved || (!everything && (reserved || escape)) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Writes the Popolo document to `out`: every organisation, then one motion object per motion
/// and organisation with recorded outcomes.
pub(crate) fn write(store: &mut Store, options: Options, out: &mut dyn Write) -> Result<Written> {
    let mut orgs = Vec::new();
    store.each_org(|org| {
        orgs.push(org.clone());
        Ok(())
    })?;
    let ids = org_ids(&orgs);
    let by_name: HashMap<&str, &Org> = orgs.iter().map(|o| (o.name.as_str(), o)).collect();
    let mut other_names: HashMap<String, Vec<String>> = HashMap::new();
    for (name, owner) in store.org_names_and_owners()? {
        if name != owner {
            other_names.entry(owner).or_default().push(name);
        }
    }
    let retirements = store.retirements()?;
    let mut written = Written::default();

    out.write_all(b"{\"organizations\": [")?;
    for (i, org) in orgs.iter().enumerate() {
        let parent_id = org
            .parent
            .as_deref()
            .and_then(|parent| by_name.get(parent))
            .and_then(|parent| ids.get(&parent.id))
            .map(String::as_str);
        let record = organization(org, &ids[&org.id], parent_id, &other_names, &retirements);
        out.write_all(if i == 0 { b"\n" } else { b",\n" })?;
        serde_json::to_writer(&mut *out, &record)?;
        written.organizations += 1;
    }
    out.write_all(b"\n],\n\"motions\": [")?;

    let motions: HashMap<String, Motion> = store
        .motions()?
        .into_iter()
        .map(|m| (m.slug.clone(), m))
        .collect();
    let mut group: Vec<Outcome> = Vec::new();
    let mut first = true;
    let mut flush = |group: &mut Vec<Outcome>, out: &mut dyn Write| -> io::Result<()> {
        let Some(head) = group.first() else {
            return Ok(());
        };
        let (Some(motion), Some(org)) = (motions.get(&head.motion), by_name.get(head.org.as_str()))
        else {
            group.clear();
            return Ok(());
        };
        let record = motion_record(motion, &ids[&org.id], group, options.no_names);
        out.write_all(if first { b"\n" } else { b",\n" })?;
        first = false;
        serde_json::to_writer(&mut *out, &record)?;
        written.motions += 1;
        group.clear();
        Ok(())
    };
    store.each_outcome(options.motion_id, |outcome| {
        let same = group
            .first()
            .is_some_and(|head| head.motion == outcome.motion && head.org == outcome.org);
        if !same {
            flush(&mut group, out)?;
        }
        group.push(outcome.clone());
        Ok(())
    })?;
    flush(&mut group, out)?;
    out.write_all(b"\n]}\n")?;
    Ok(written)
}

fn organization<'a>(
    org: &'a Org,
    id: &'a str,
    parent_id: Option<&'a str>,
    other_names: &'a HashMap<String, Vec<String>>,
    retirements: &HashMap<i64, Retirement>,
) -> Organization<'a> {
    let identifiers = org
        .code
        .as_deref()
        .map(|code| Identifier {
            scheme: if is_gss_code(code) { "gss" } else { "code" },
            identifier: if is_gss_code(code) {
                code.to_ascii_uppercase()
            } else {
                code.to_string()
            },
        })
        .into_iter()
        .collect();
    Organization {
        id,
        name: &org.name,
        classification: org.kind.as_str(),
        identifiers,
        parent_id,
        other_names: other_names
            .get(&org.name)
            .map(|names| names.iter().map(|name| OtherName { name }).collect())
            .unwrap_or_default(),
        dissolution_date: retirements.get(&org.id).map(|r| r.on.to_string()),
    }
}

/// The motion object of one organisation's events for one motion (oldest first).
fn motion_record<'a>(
    motion: &'a Motion,
    org_id: &'a str,
    events: &'a [Outcome],
    no_names: bool,
) -> PopoloMotion<'a> {
    let id = format!("{}/{org_id}", motion.slug);
    let vote_events = events
        .iter()
        .enumerate()
        .map(|(i, event)| {
            let counts = [
                ("yes", event.votes.cast_for),
                ("no", event.votes.against),
                ("abstain", event.votes.abstain),
            ]
            .into_iter()
            .filter_map(|(option, value)| {
                Some(Count {
                    option,
                    value: value?,
                })
            })
            .collect();
            VoteEvent {
                id: format!("{id}/{}", i + 1),
                motion_id: id.clone(),
                organization_id: org_id,
                start_date: date_time(event.meeting_date),
                classification: event.status.as_str(),
                result: result(event.status),
                counts,
                sources: event.source.as_deref().map(link).into_iter().collect(),
                reported_by: event.reported_by.as_deref().filter(|_| !no_names),
                notes: event.notes.as_deref().filter(|_| !no_names),
            }
        })
        .collect::<Vec<_>>();
    let latest = events.last().map_or(Status::Planned, |e| e.status);
    PopoloMotion {
        date: events
            .first()
            .map(|e| date_time(e.meeting_date))
            .unwrap_or_default(),
        id,
        organization_id: org_id,
        identifier: &motion.slug,
        text: motion.text.as_deref().unwrap_or(&motion.title),
        result: result(latest),
        vote_events,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Kind;

    fn org(id: i64, name: &str, code: Option<&str>) -> Org {
        Org {
            id,
            name: name.into(),
            kind: Kind::Clp,
            region: None,
            union: None,
            parent: None,
            code: code.map(str::to_string),
        }
    }

    #[test]
    fn ids_come_from_the_code_else_the_name_and_never_clash() {
        let ids = org_ids(&[
            org(1, "Aldershot CLP", Some("e14001063")),
            org(2, "Ashby CLP", None),
            org(3, "Ashby  CLP!", None),
            org(4, "Unite Sample Branch", Some("LE/999")),
            org(5, "ελληνικά", None),
        ]);
        assert_eq!(ids[&1], "org/gss-E14001063");
        assert_eq!(ids[&2], "org/ashby-clp");
        assert_eq!(ids[&3], "org/ashby-clp-2");
        assert_eq!(ids[&4], "org/code-le-999");
        assert_eq!(ids[&5], "org/id-5");
    }

    #[test]
    fn sources_become_links_a_uri_checker_accepts() {
        let web = link("https://example.org/minutes 2019.pdf?a=1&b=%20");
        assert_eq!(web.url, "https://example.org/minutes%202019.pdf?a=1&b=%20");
        assert!(web.note.is_none());
        let minutes = link("GC minutes, 28 Jan: item 4");
        assert_eq!(
            minutes.url,
            "data:text/plain;charset=utf-8,GC%20minutes%2C%2028%20Jan%3A%20item%204"
        );
        assert_eq!(minutes.note.as_deref(), Some("GC minutes, 28 Jan: item 4"));
    }

    #[test]
    fn results_are_the_groups_in_popolos_words() {
        assert_eq!(result(Status::PassedAmended), "pass");
        assert_eq!(result(Status::Rejected), "fail");
        assert_eq!(result(Status::Referred), "pending");
        assert_eq!(result(Status::RuledOut), "withdrawn");
    }
}
