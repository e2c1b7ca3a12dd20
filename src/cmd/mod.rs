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
pub(crate) mod publish;
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
use crate::output::{Colour, Column, OutputArgs, Report, Rows};

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
    Publish(publish::Args),
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
    let result = dispatch(command, &ctx).map_err(plain_words);
    for left in crate::output::take_notes() {
        note(left);
    }
    result
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
        Command::Publish(args) => publish::run(args, ctx),
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

    /// Opens the database to retract events: like [`Context::store`], but a database that
    /// cannot be brought up to date until clashing decisions are retracted opens as it is.
    fn store_to_retract(&self) -> Result<Store> {
        let mut store = Store::open_to_retract(&self.db_path()?, self.db.is_none())?;
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

/// Writes a report whose rows `produce` pushes one at a time, in bounded memory however long it
/// is; when there are none and it is meant for people, says so in words as [`emit`] does.
fn emit_rows(
    output: &OutputArgs,
    columns: Vec<Column>,
    nothing: &str,
    produce: impl FnOnce(&mut Rows<'_>) -> Result<()>,
) -> Result<()> {
    if output.emit_rows(columns, produce)? == 0 && output.format()?.is_for_people() {
        note(nothing);
    }
    Ok(())
}

/// Tells the person at the terminal what happened, on stderr.
fn note(message: impl Display) {
    let _ = writeln!(io::stderr(), "{message}");
}

/// Reads a whole text file, or standard input for `-`, as UTF-8 (a byte-order mark is
/// dropped). At most [`MAX_WORDING_BYTES`](crate::model::MAX_WORDING_BYTES) are read, so a
/// device or pipe that never ends is refused as soon as it passes the limit.
fn read_text(path: &Path) -> Result<String> {
    use std::io::Read as _;
    let limit = crate::model::MAX_WORDING_BYTES;
    let (what, input): (String, Box<dyn io::Read>) = if path.as_os_str() == "-" {
        ("standard input".to_string(), Box::new(io::stdin()))
    } else {
        let file =
            std::fs::File::open(path).with_context(|| format!("reading {}", path.display()))?;
        (path.display().to_string(), Box::new(file))
    };
    let mut bytes = Vec::new();
    input
        .take(limit as u64 + 1)
        .read_to_end(&mut bytes)
        .with_context(|| format!("reading {what}"))?;
    if bytes.len() > limit {
        anyhow::bail!(
            "{what} is more than {} MB long; the wording of a motion is at most {} MB (and {} \
             characters): is it the right file?",
            limit >> 20,
            limit >> 20,
            crate::model::thousands(crate::model::MAX_WORDING_CHARS as u64)
        );
    }
    let text = String::from_utf8(bytes).map_err(|err| {
        anyhow!(
            "{what} is not UTF-8 text (at byte {}); save it as UTF-8 (\"UTF-8\" in a text \
             editor's Save As) and give it again",
            err.utf8_error().valid_up_to() + 1
        )
    })?;
    Ok(match text.strip_prefix('\u{feff}') {
        Some(rest) => rest.to_string(),
        None => text,
    })
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
