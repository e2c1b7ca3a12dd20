//! Completion of motion slugs and organisation names in the shell, read from the database
//! (`MOTIONS_DB`, or the default one) without creating it.

use std::ffi::OsStr;
use std::path::Path;

use clap_complete::engine::CompletionCandidate;

use crate::db::Store;

/// The database a completion reads: nothing when there is none yet.
fn store() -> Option<Store> {
    let path = match std::env::var_os("MOTIONS_DB") {
        Some(path) => std::path::PathBuf::from(path),
        None => super::data_folder().ok()?.join("motions.db"),
    };
    Path::new(&path)
        .exists()
        .then(|| Store::open(&path, false).ok())
        .flatten()
}

fn candidates(current: &OsStr, values: Vec<String>) -> Vec<CompletionCandidate> {
    let typed = current.to_string_lossy().to_lowercase();
    values
        .into_iter()
        .filter(|value| value.to_lowercase().starts_with(&typed))
        .map(CompletionCandidate::new)
        .collect()
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
