//! Reporters' links: made, listed, replaced and turned off from the command line, and the
//! reporter a token opens. A token is shown once; only its hash is kept (see `model::Token`).

use anyhow::{Result, anyhow, bail};
use chrono::NaiveDate;

use super::resolve;
use crate::db::{NewReporter, Store};
use crate::model::{Dead, Label, Reporter, Token, visible};

/// A link to make, as the coordinator asked for it.
#[derive(Debug, Clone, Default)]
pub(crate) struct ReporterRequest {
    pub(crate) name: String,
    pub(crate) orgs: Vec<String>,
    pub(crate) motions: Vec<String>,
    pub(crate) trusted: bool,
    pub(crate) coordinator: bool,
    pub(crate) expires: Option<NaiveDate>,
}

/// Makes a link; its token is returned once, to be shown once.
pub(crate) fn add_reporter(
    store: &mut Store,
    request: &ReporterRequest,
    today: NaiveDate,
) -> Result<(Reporter, Token)> {
    let name = reporter_name(&request.name)?;
    if let Some(same) = store.reporters()?.into_iter().find(|(r, _)| {
        r.revoked_at.is_none() && r.name.to_lowercase() == name.as_str().to_lowercase()
    }) {
        bail!(
            "{} already has a working link (reporter {}); give another name (add a place or an \
             initial), or make a new link for them with: motions reporter link {} --new",
            same.0.name,
            same.0.id,
            same.0.id
        );
    }
    if let Some(expires) = request.expires.filter(|day| *day < today) {
        bail!("--expires {expires} is in the past; give today or a later day");
    }
    let mut orgs = Vec::new();
    for org in &request.orgs {
        let org = resolve::org(
            store,
            org,
            "register it first: motions org add NAME --kind KIND",
        )?;
        if !orgs.contains(&org.id) {
            orgs.push(org.id);
        }
    }
    let mut motions = Vec::new();
    for slug in &request.motions {
        let motion = resolve::motion(store, Some(slug))?;
        if !motions.contains(&motion.id) {
            motions.push(motion.id);
        }
    }
    let token = Token::new()?;
    let reporter = store.add_reporter(&NewReporter {
        name,
        token_hash: token.hash(),
        orgs: (!orgs.is_empty()).then_some(orgs),
        motions: (!motions.is_empty()).then_some(motions),
        trusted: request.trusted,
        coordinator: request.coordinator,
        expires: request.expires,
    })?;
    Ok((reporter, token))
}

/// A reporter's name: one line, no control characters, 1 to 200 characters.
fn reporter_name(raw: &str) -> Result<Label> {
    match Label::parse(raw) {
        Ok(Some(name)) => Ok(name),
        Ok(None) => bail!("give the reporter's name, as the coordinator will know them"),
        Err(problem) => bail!("the name {problem}"),
    }
}

/// Every link, with how many reports each has sent.
pub(crate) fn reporters(store: &mut Store) -> Result<Vec<(Reporter, u64)>> {
    store.reporters()
}

/// The link named by its id or by its holder's name (a working link before a revoked one).
pub(crate) fn find_reporter(store: &mut Store, who: &str) -> Result<Reporter> {
    let all = store.reporters()?;
    let who = who.trim();
    if let Ok(id) = who.parse::<i64>() {
        return all
            .into_iter()
            .map(|(r, _)| r)
            .find(|r| r.id == id)
            .ok_or_else(|| {
                anyhow!("there is no reporter {id}; see them with: motions reporter list")
            });
    }
    let wanted = who.to_lowercase();
    let mut named: Vec<Reporter> = all
        .into_iter()
        .map(|(r, _)| r)
        .filter(|r| r.name.to_lowercase() == wanted)
        .collect();
    named.sort_by_key(|r| r.revoked_at.is_some());
    let working = named.iter().filter(|r| r.revoked_at.is_none()).count();
    match (named.len(), working) {
        (0, _) => {
            let names: Vec<String> = store
                .reporters()?
                .into_iter()
                .map(|(r, _)| r.name)
                .collect();
            bail!(
                "no reporter is named \"{}\"{}",
                visible(who),
                resolve::then(
                    &resolve::did_you_mean(who, &names),
                    "see them with: motions reporter list"
                )
            )
        }
        (1, _) | (_, 1) => Ok(named.remove(0)),
        _ => {
            let ids: Vec<String> = named.iter().map(|r| r.id.to_string()).collect();
            bail!(
                "{} reporters are named \"{}\" (ids {}); give the id instead",
                named.len(),
                visible(who),
                ids.join(", ")
            )
        }
    }
}

/// Gives the link a new token: the old link stops working, and a revoked one works again.
/// Returns the reporter as it was, and the new token.
pub(crate) fn new_link(store: &mut Store, who: &str) -> Result<(Reporter, Token)> {
    let reporter = find_reporter(store, who)?;
    let token = Token::new()?;
    store.replace_token(reporter.id, &token.hash())?;
    Ok((reporter, token))
}

/// Stops a link working; false when it was revoked already.
pub(crate) fn revoke(store: &mut Store, who: &str) -> Result<(Reporter, bool)> {
    let reporter = find_reporter(store, who)?;
    let changed = store.revoke_reporter(reporter.id)?;
    Ok((reporter, changed))
}

/// Why a token opens nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Denied {
    /// No link has this token (a typo, or a link replaced by a new one).
    Unknown,
    /// The link was revoked or has expired.
    Dead(Dead),
}

impl Denied {
    /// The reason in plain words, for the page or the API.
    pub(crate) fn words(self) -> &'static str {
        match self {
            Denied::Unknown => {
                "this link does not work: it may be mistyped, or replaced by a newer one; ask \
                 the coordinator for your link"
            }
            Denied::Dead(Dead::Revoked) => {
                "this link has been turned off; ask the coordinator for a new one"
            }
            Denied::Dead(Dead::Expired) => {
                "this link has expired; ask the coordinator for a new one"
            }
        }
    }
}

/// The reporter a token belongs to, if the link works on `today`.
pub(crate) fn reporter_for(
    store: &mut Store,
    token: &str,
    today: NaiveDate,
) -> Result<Result<Reporter, Denied>> {
    let Some(token) = Token::parse(token) else {
        return Ok(Err(Denied::Unknown));
    };
    Ok(match store.reporter_by_token(&token.hash())? {
        None => Err(Denied::Unknown),
        Some(reporter) => match reporter.dead(today) {
            Some(dead) => Err(Denied::Dead(dead)),
            None => Ok(reporter),
        },
    })
}
