//! The command line: clap derive types for the global flags and the list of commands. Each
//! command's own flags live beside its code in `src/cmd/`.

use std::path::PathBuf;

use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{CommandFactory, Parser, Subcommand};
use clap_complete::env::CompleteEnv;

use crate::cmd;
use crate::output::Colour;
pub(crate) use crate::output::OutputArgs;

/// Track which branches, CLPs, Momentum groups and union branches have moved, passed or
/// rejected a campaign's model motion, and print the tallies.
#[derive(Debug, Parser)]
#[command(name = "motions", version, max_term_width = 100)]
#[command(after_help = "New here? Run `motions demo` to load a sample campaign and see a tally.")]
pub struct Cli {
    /// The database file [default: motions.db in your data folder, e.g. ~/.local/share/motions]
    #[arg(
        long,
        global = true,
        env = "MOTIONS_DB",
        hide_env_values = true,
        value_name = "PATH"
    )]
    pub(crate) db: Option<PathBuf>,

    /// Colour in tables: auto (on a terminal, unless NO_COLOR is set), always or never
    #[arg(long = "colour", visible_alias = "color", global = true, value_enum, default_value_t = Colour::Auto, value_name = "WHEN")]
    pub(crate) colour: Colour,

    #[command(subcommand)]
    pub(crate) command: Command,
}

impl Cli {
    /// Reads the command line: completes a word for the shell when asked to (and exits), and
    /// suggests the command meant when a short one is mistyped ("lgo" for "log"), which clap's
    /// own suggestions miss.
    pub fn parse_args() -> Cli {
        CompleteEnv::with_factory(Cli::command).complete();
        match Cli::try_parse() {
            Ok(cli) => cli,
            Err(mut err) => {
                if err.kind() == ErrorKind::InvalidSubcommand
                    && err.get(ContextKind::SuggestedSubcommand).is_none()
                    && let Some(ContextValue::String(typed)) =
                        err.get(ContextKind::InvalidSubcommand)
                {
                    let typed = typed.clone();
                    let close = Cli::command()
                        .get_subcommands()
                        .map(|c| c.get_name().to_string())
                        .find(|name| strsim::damerau_levenshtein(&typed, name) <= 1);
                    if let Some(name) = close {
                        err.insert(
                            ContextKind::SuggestedSubcommand,
                            ContextValue::Strings(vec![name]),
                        );
                    }
                }
                err.exit()
            }
        }
    }
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    Demo(cmd::demo::Args),
    Init(cmd::init::Args),
    #[command(subcommand)]
    Motion(cmd::motion::Command),
    #[command(subcommand)]
    Org(cmd::org::Command),
    Log(cmd::log::Args),
    #[command(subcommand)]
    Outcome(cmd::outcome::Command),
    Status(cmd::status::Args),
    Tally(cmd::tally::Args),
    Summary(cmd::summary::Args),
    Timeline(cmd::timeline::Args),
    Report(cmd::report::Args),
    Map(cmd::map::Args),
    History(cmd::history::Args),
    #[command(subcommand)]
    Import(cmd::import::Command),
    Export(cmd::export::Args),
    Check(cmd::check::Args),
    Backup(cmd::backup::Args),
    Forget(cmd::forget::Args),
    Info(cmd::info::Args),
    Statuses(cmd::statuses::Args),
    Completions(cmd::completions::Args),
    Man(cmd::man::Args),
}
