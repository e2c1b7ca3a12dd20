//! `motions demo`: a sample campaign to try the tool on, in a database of its own.

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result, bail};

use super::{Context, data_folder, note, shell_quote};
use crate::db::Store;
use crate::model::{Dimension, OrgFilter};
use crate::ops::{demo, reports};
use crate::output::rows;
use crate::output::{Format, Style, render};

/// Load a sample campaign (the seed motion, 40 invented organisations, five weeks of
/// outcomes), print its tally and the commands to try next.
///
/// Without --db the sample goes to demo.db in your data folder, apart from your own records,
/// and replaces any earlier demo there. With --db or MOTIONS_DB, the database must be empty.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:\n  motions demo\n  motions --db sample.db demo")]
pub(crate) struct Args {}

pub(crate) fn run(_args: Args, ctx: &Context) -> Result<()> {
    let (path, own_file) = match &ctx.db {
        Some(path) => (path.clone(), false),
        None => (data_folder()?.join("demo.db"), true),
    };
    let replaced = own_file && path.exists();
    if replaced {
        remove_database(&path)?;
    }
    let mut store = Store::open(&path, own_file)?;
    if !store.is_empty()? {
        bail!(
            "{} already holds data, and the demo loads only into an empty database; give --db \
             the name of a new file, e.g. motions --db sample.db demo",
            path.display()
        );
    }
    let loaded = demo::load(&mut store)?;

    let tally = reports::tally(
        &mut store,
        &loaded.motion,
        &[Dimension::Kind],
        &OrgFilter::default(),
        None,
    )?;
    let mut out = std::io::stdout().lock();
    render(
        &rows::tally(&tally, false, true),
        Format::Table,
        Style::stdout(),
        &mut out,
    )?;
    drop(out);

    // The commands to try must reach this file: say --db unless MOTIONS_DB already does.
    let from_env =
        std::env::var_os("MOTIONS_DB").is_some_and(|env| Some(PathBuf::from(env)) == ctx.db);
    let db = if from_env {
        String::new()
    } else {
        format!(" --db {}", shell_quote(&path.to_string_lossy()))
    };
    note(format!(
        "\nLoaded the sample campaign \"{}\": {} organisations, {} outcomes, into {}.\n\
         Try next:\n  \
         motions{db} tally --by region\n  \
         motions{db} tally --by kind --as-of 2019-02-10\n  \
         motions{db} status --kind clp\n  \
         motions{db} history --org \"Borchester CLP\"\n  \
         motions{db} log \"Holby CLP\" passed --date 2019-03-04 --for 30 --against 2",
        demo::SLUG,
        loaded.orgs,
        loaded.outcomes,
        path.display()
    ));
    if own_file {
        note(
            "Your own records go elsewhere: leave out --db and motions uses motions.db beside it.",
        );
    }
    Ok(())
}

/// Replaces an earlier demo: the demo's own file, with SQLite's files beside it.
fn remove_database(path: &Path) -> Result<()> {
    for suffix in ["", "-wal", "-shm"] {
        let mut file = PathBuf::from(path).into_os_string();
        file.push(suffix);
        match fs::remove_file(&file) {
            Err(err) if err.kind() != std::io::ErrorKind::NotFound => {
                return Err(err)
                    .with_context(|| format!("replacing the earlier demo {}", path.display()));
            }
            _ => {}
        }
    }
    Ok(())
}
