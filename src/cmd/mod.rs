//! The commands: one file each, turning parsed flags into `Store` calls and reports. Messages
//! for people go to stderr through [`note`]; data goes to stdout through `output`.

pub(crate) mod backup;
pub(crate) mod check;
pub(crate) mod complete;
pub(crate) mod completions;
pub(crate) mod demo;
pub(crate) mod export;
pub(crate) mod forget;
mod guided;
pub(crate) mod history;
pub(crate) mod import;
pub(crate) mod info;
pub(crate) mod init;
pub(crate) mod log;
pub(crate) mod man;
pub(crate) mod map;
pub(crate) mod motion;
pub(crate) mod org;
pub(crate) mod outcome;
mod progress;
pub(crate) use crate::model::shell_quote;
pub(crate) use crate::ops::resolve;
mod args;
pub(crate) mod report;
pub(crate) mod reporter;
pub(crate) mod review;
pub(crate) mod serve;
pub(crate) mod status;
pub(crate) mod statuses;
pub(crate) mod summary;
pub(crate) mod tally;
pub(crate) mod timeline;

use std::fmt::Display;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result, anyhow};

use crate::db::Store;
use crate::output::Report;
use crate::output::{Colour, OutputArgs};

/// Every command, one file each in this folder.
#[derive(Debug, clap::Subcommand)]
pub(crate) enum Command {
    Demo(demo::Args),
    Init(init::Args),
    #[command(subcommand)]
    Motion(motion::Command),
    #[command(subcommand)]
    Org(org::Command),
    Log(log::Args),
    #[command(subcommand)]
    Outcome(outcome::Command),
    Status(status::Args),
    Tally(tally::Args),
    Summary(summary::Args),
    Timeline(timeline::Args),
    Report(report::Args),
    Map(map::Args),
    History(history::Args),
    #[command(subcommand)]
    Import(import::Command),
    Export(export::Args),
    Check(check::Args),
    Backup(backup::Args),
    Forget(forget::Args),
    #[command(subcommand)]
    Reporter(reporter::Command),
    Review(review::Args),
    Serve(serve::Args),
    Info(info::Args),
    Statuses(statuses::Args),
    Completions(completions::Args),
    Man(man::Args),
}

/// The global flags, as the command line gave them.
pub(crate) struct Globals {
    pub(crate) db: Option<PathBuf>,
    pub(crate) colour: Colour,
}

/// Runs one command; `app` gives the whole command line's definition (for usage lines and
/// manual pages).
pub(crate) fn run(command: Command, globals: Globals, app: fn() -> clap::Command) -> Result<()> {
    crate::output::choose_colour(globals.colour);
    let ctx = Context {
        db: globals.db,
        app,
    };
    crate::files::install_cleanup();
    if let Ok(path) = ctx.db_path() {
        crate::files::protect(&path);
    }
    dispatch(command, &ctx).map_err(plain_words)
}

fn dispatch(command: Command, ctx: &Context) -> Result<()> {
    match command {
        Command::Demo(args) => demo::run(args, ctx),
        Command::Init(args) => init::run(args, ctx),
        Command::Motion(command) => motion::run(command, ctx),
        Command::Org(command) => org::run(command, ctx),
        Command::Log(args) => log::run(args, ctx),
        Command::Outcome(command) => outcome::run(command, ctx),
        Command::Status(args) => status::run(args, ctx),
        Command::Tally(args) => tally::run(args, ctx),
        Command::Summary(args) => summary::run(args, ctx),
        Command::Timeline(args) => timeline::run(args, ctx),
        Command::Report(args) => report::run(args, ctx),
        Command::Map(args) => map::run(args, ctx),
        Command::History(args) => history::run(args, ctx),
        Command::Import(command) => import::run(command, ctx),
        Command::Export(args) => export::run(args, ctx),
        Command::Check(args) => check::run(args, ctx),
        Command::Backup(args) => backup::run(args, ctx),
        Command::Forget(args) => forget::run(args, ctx),
        Command::Reporter(command) => reporter::run(command, ctx),
        Command::Review(args) => review::run(args, ctx),
        Command::Serve(args) => serve::run(args, ctx),
        Command::Info(args) => info::run(args, ctx),
        Command::Statuses(args) => statuses::run(args),
        Command::Completions(args) => completions::run(args),
        Command::Man(args) => man::run(args, ctx),
    }
}

/// Says in plain words what a full disk is, whichever layer met it: SQLite's SQLITE_FULL or an
/// operating system's "no space left on device". Nothing was written: every write is one
/// transaction and every file goes through a partial file.
fn plain_words(err: anyhow::Error) -> anyhow::Error {
    let full = err.chain().any(|cause| {
        let sqlite_full = matches!(cause.downcast_ref::<rusqlite::Error>(),
            Some(rusqlite::Error::SqliteFailure(e, _)) if e.code == rusqlite::ErrorCode::DiskFull);
        let os_full = cause
            .downcast_ref::<io::Error>()
            .is_some_and(|e| e.kind() == io::ErrorKind::StorageFull);
        sqlite_full || os_full
    });
    if full {
        err.context(
            "the disk is full, so nothing was written; free some space and run the command again",
        )
    } else {
        err
    }
}

/// A command line that cannot be run as given: exit 2, as for clap's own usage errors.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub(crate) struct UsageError(pub(crate) String);

/// The exit code for an error: 2 for usage errors, 1 for everything a user can fix.
pub(crate) fn exit_code(err: &anyhow::Error) -> u8 {
    if err.downcast_ref::<UsageError>().is_some() {
        2
    } else {
        1
    }
}

/// What every command may need besides its own flags.
pub(crate) struct Context {
    /// `--db` or `MOTIONS_DB`, when given.
    db: Option<PathBuf>,
    /// The whole command line's definition.
    app: fn() -> clap::Command,
}

impl Context {
    /// The database file: `--db`, else `MOTIONS_DB`, else `motions.db` in the data folder.
    fn db_path(&self) -> Result<PathBuf> {
        match &self.db {
            Some(path) => Ok(path.clone()),
            None => Ok(data_folder()?.join("motions.db")),
        }
    }

    /// Opens (creating on first use) the database to write; the default location's folder is
    /// created too, while a folder named with --db must exist (a typo should not make folders).
    fn store(&self) -> Result<Store> {
        let mut store = Store::open(&self.db_path()?, self.db.is_none())?;
        for notice in store.take_notices() {
            note(notice);
        }
        Ok(store)
    }

    /// Opens the database to read only: a read never creates, migrates or writes it.
    fn reader(&self) -> Result<Store> {
        let mut store = Store::open_read(&self.db_path()?)?;
        for notice in store.take_notices() {
            note(notice);
        }
        Ok(store)
    }
}

/// The platform's data folder for motions (`~/.local/share/motions` on Linux).
fn data_folder() -> Result<PathBuf> {
    directories::ProjectDirs::from("", "", "motions")
        .map(|dirs| dirs.data_dir().to_path_buf())
        .ok_or_else(|| {
            anyhow!("cannot find your home folder to keep the database in; pass --db PATH")
        })
}

/// Writes a report; when it has no rows and is meant for people (a table, Markdown), says so
/// in words on stderr instead of drawing an empty box.
fn emit(output: &OutputArgs, report: &Report, nothing: &str) -> Result<()> {
    if report.rows.is_empty() && output.format()?.is_for_people() {
        note(nothing);
        return Ok(());
    }
    output.emit(report)
}

/// Tells the person at the terminal what happened, on stderr.
fn note(message: impl Display) {
    let _ = writeln!(io::stderr(), "{message}");
}

/// Free text from a flag: trimmed, blank as absent, line breaks as `\n`, no longer than `limit`
/// characters, and without control characters a terminal would act on when it is shown.
fn text_arg(flag: &str, value: Option<&str>, limit: usize) -> Result<Option<String>> {
    let Some(text) = crate::model::clean_optional(value) else {
        return Ok(None);
    };
    let text = crate::model::unix_newlines(&text).into_owned();
    let chars = text.chars().count();
    if chars > limit {
        anyhow::bail!("{flag} is {chars} characters long; the limit is {limit}");
    }
    if let Some(c) = crate::model::stray_control(&text) {
        anyhow::bail!(
            "{flag} contains a control character (U+{:04X}); remove it",
            c as u32
        );
    }
    Ok(Some(text))
}

/// Reads a whole text file, or standard input for `-`.
fn read_text(path: &Path) -> Result<String> {
    if path.as_os_str() == "-" {
        io::read_to_string(io::stdin()).context("reading standard input")
    } else {
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_disk_is_said_in_plain_words_whichever_layer_met_it() {
        let sqlite = rusqlite::Error::SqliteFailure(
            rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_FULL),
            None,
        );
        let said = format!(
            "{:#}",
            plain_words(anyhow::Error::new(sqlite).context("recording"))
        );
        assert!(said.starts_with("the disk is full"), "{said}");
        let os = io::Error::from(io::ErrorKind::StorageFull);
        let said = format!("{:#}", plain_words(anyhow::Error::new(os)));
        assert!(said.starts_with("the disk is full"), "{said}");
        let other = format!("{:#}", plain_words(anyhow!("unknown organisation")));
        assert_eq!(other, "unknown organisation");
    }
}
