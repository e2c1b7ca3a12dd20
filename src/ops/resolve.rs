//! Turning what a user typed into the motion or org it names, with errors that say what to
//! type instead.

use anyhow::{Result, bail};

use crate::db::Store;
use crate::model::{Dimension, Kind, Motion, Org, OrgFilter, clean_optional, shell_quote, visible};

/// The motion `slug` names; without a slug, the only motion there is.
pub(crate) fn motion(store: &mut Store, slug: Option<&str>) -> Result<Motion> {
    if let Some(slug) = slug {
        // Slugs are lower case; "Venezuela-Coup" is a slip of the shift key.
        let slug = &slug.trim().to_lowercase();
        if let Some(motion) = store.motion_by_slug(slug)? {
            return Ok(motion);
        }
        let slugs: Vec<String> = store.motions()?.into_iter().map(|m| m.slug).collect();
        if slugs.is_empty() {
            bail!("unknown motion \"{slug}\": no motions are registered yet; {ADD_MOTION}");
        }
        let more = format!("the motions are: {}", slugs.join(", "));
        bail!(
            "unknown motion \"{slug}\"{}",
            then(&did_you_mean(slug, &slugs), &more)
        );
    }
    let mut motions = store.motions()?;
    match motions.len() {
        0 => bail!("no motions are registered yet; {ADD_MOTION}"),
        1 => Ok(motions.remove(0)),
        n => {
            let slugs: Vec<String> = motions.into_iter().map(|m| m.slug).collect();
            bail!(
                "there are {n} motions; say which with --motion: {}",
                slugs.join(", ")
            )
        }
    }
}

const ADD_MOTION: &str = "add one with: motions motion add SLUG --title \"TITLE\"";

/// The org `name` names (or an alias of it). Unknown names get suggestions and `register`,
/// the way to add it.
pub(crate) fn org(store: &mut Store, name: &str, register: &str) -> Result<Org> {
    match store.find_org(name)? {
        Some(org) => Ok(org),
        None => Err(unknown_org(store, name, register)?),
    }
}

/// The error for a name that is not in the registry.
pub(crate) fn unknown_org(store: &mut Store, name: &str, register: &str) -> Result<anyhow::Error> {
    let names = store.org_names()?;
    let hint = did_you_mean(name, &names);
    let register = register.replace("NAME", &shell_quote(name.trim()));
    Ok(anyhow::anyhow!(
        "unknown organisation \"{}\"{hint} ({register})",
        visible(name.trim())
    ))
}

/// The registry filter a report was given, with a region or union that no organisation has
/// refused (it would only give zeros) and the known ones listed.
pub(crate) fn filter(
    store: &mut Store,
    kind: Option<Kind>,
    region: Option<&str>,
    union: Option<&str>,
) -> Result<OrgFilter> {
    let filter = OrgFilter {
        kind,
        region: clean_optional(region),
        union: clean_optional(union),
    };
    for (what, value, known) in [
        ("region", &filter.region, Dimension::Region),
        ("union", &filter.union, Dimension::Union),
    ] {
        let Some(value) = value else { continue };
        let known = store.values(known)?;
        if !known
            .iter()
            .any(|k| k.to_lowercase() == value.to_lowercase())
        {
            let hint = did_you_mean(value, &known);
            let list = if known.is_empty() {
                "none yet".to_string()
            } else {
                known.join(", ")
            };
            let more = format!("the {what}s are: {list}");
            bail!(
                "no organisation has the {what} \"{value}\"{}",
                then(&hint, &more)
            );
        }
    }
    Ok(filter)
}

/// A "did you mean" hint followed by more: "; more" without a hint, "? More" after one.
pub(crate) fn then(hint: &str, more: &str) -> String {
    let mut chars = more.chars();
    match chars.next() {
        Some(first) if !hint.is_empty() => {
            format!("{hint} {}{}", first.to_uppercase(), chars.as_str())
        }
        _ => format!("{hint}; {more}"),
    }
}

/// `; did you mean "A" or "B"?` for the known names closest to `typed`, or nothing.
pub(crate) fn did_you_mean(typed: &str, known: &[String]) -> String {
    let close = closest(typed, known, 3);
    match close.as_slice() {
        [] => String::new(),
        [only] => format!("; did you mean \"{only}\"?"),
        [first @ .., last] => {
            let first: Vec<String> = first.iter().map(|n| format!("\"{n}\"")).collect();
            format!("; did you mean {} or \"{last}\"?", first.join(", "))
        }
    }
}

/// Up to `most` of `known` that look like `typed`: close in spelling, or containing it.
fn closest<'a>(typed: &str, known: &'a [String], most: usize) -> Vec<&'a str> {
    let typed = typed.trim().to_lowercase();
    if typed.is_empty() {
        return Vec::new();
    }
    let mut scored: Vec<(f64, &str)> = known
        .iter()
        .filter_map(|name| {
            let lower = name.to_lowercase();
            let mut score = strsim::jaro_winkler(&typed, &lower);
            if typed.chars().count() >= 3 && lower.contains(&typed) {
                score = score.max(0.9);
            }
            (score >= 0.85).then_some((score, name.as_str()))
        })
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(b.1)));
    scored
        .into_iter()
        .take(most)
        .map(|(_, name)| name)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn suggests_near_spellings_and_containing_names() {
        let known = names(&[
            "Ashby CLP",
            "Ashby Ward Branch",
            "Walford CLP",
            "Borchester CLP",
        ]);
        assert_eq!(
            did_you_mean("Ashbey CLP", &known),
            "; did you mean \"Ashby CLP\"?"
        );
        let hint = did_you_mean("ashby", &known);
        assert!(
            hint.contains("\"Ashby CLP\"") && hint.contains("\"Ashby Ward Branch\""),
            "{hint}"
        );
        assert_eq!(did_you_mean("Zzyzx Momentum", &known), "");
        assert_eq!(did_you_mean("", &known), "");
    }
}

#[cfg(test)]
mod properties {
    use proptest::prelude::*;

    use super::did_you_mean;

    proptest! {
        #[test]
        fn suggestions_never_panic(typed in "\\PC{0,30}", known in proptest::collection::vec("\\PC{0,30}", 0..20)) {
            let hint = did_you_mean(&typed, &known);
            prop_assert!(hint.is_empty() || hint.starts_with("; did you mean"));
        }
    }
}
