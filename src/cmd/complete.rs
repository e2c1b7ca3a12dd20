//! Completion of motion slugs and organisation names in the shell, read from the database
//! (`MOTIONS_DB`, or the default one) without creating it.

use std::ffi::OsStr;

use clap_complete::engine::CompletionCandidate;

use crate::db::Store;

/// The database a completion reads: nothing when there is none yet.
fn store() -> Option<Store> {
    let path = match std::env::var_os("MOTIONS_DB") {
        Some(path) => std::path::PathBuf::from(path),
        None => super::data_folder().ok()?.join("motions.db"),
    };
    Store::open_read(&path).ok()
}

/// The values that begin with what has been typed. For bash, which inserts a candidate as it
/// stands, spaces and other special characters are escaped with `\`, so that "Ashby CLP" goes
/// in as one word; what has been typed is read the same way.
fn candidates(current: &OsStr, values: Vec<String>) -> Vec<CompletionCandidate> {
    // Only the bash script passes the kind of completion asked for.
    let bash = std::env::var_os("_CLAP_COMPLETE_COMP_TYPE").is_some();
    let typed = current.to_string_lossy();
    let typed = if bash {
        typed.replace('\\', "")
    } else {
        typed.into_owned()
    }
    .to_lowercase();
    let typed = typed.trim_start_matches(['"', '\'']);
    values
        .into_iter()
        .filter(|value| value.to_lowercase().starts_with(typed))
        .map(|value| if bash { escape_for_bash(&value) } else { value })
        .map(CompletionCandidate::new)
        .collect()
}

fn escape_for_bash(value: &str) -> String {
    let mut escaped = String::with_capacity(value.len());
    for c in value.chars() {
        if c.is_whitespace() || "\\'\"()&;|<>$`!*?[]{}#~".contains(c) {
            escaped.push('\\');
        }
        escaped.push(c);
    }
    escaped
}

/// The statuses, for the second word of `log`.
pub(crate) fn statuses(current: &OsStr) -> Vec<CompletionCandidate> {
    candidates(
        current,
        crate::model::Status::ALL
            .iter()
            .map(|s| s.as_str().to_string())
            .collect(),
    )
}

/// The slugs of the motions.
pub(crate) fn motion_slugs(current: &OsStr) -> Vec<CompletionCandidate> {
    let slugs = store()
        .and_then(|mut store| store.motions().ok())
        .map(|motions| motions.into_iter().map(|m| m.slug).collect())
        .unwrap_or_default();
    candidates(current, slugs)
}

/// The names (and aliases) of the organisations.
pub(crate) fn org_names(current: &OsStr) -> Vec<CompletionCandidate> {
    let names = store()
        .and_then(|mut store| store.org_names().ok())
        .unwrap_or_default();
    candidates(current, names)
}
