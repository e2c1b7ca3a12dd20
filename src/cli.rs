//! The command line's global flags. The commands, and each command's own flags, live with
//! their code in `src/cmd/`.

use std::io::Write;
use std::path::PathBuf;

use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{CommandFactory, Parser};
use clap_complete::env::CompleteEnv;

use crate::cmd::Command;
use crate::output::Colour;

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
                if err.kind() == ErrorKind::ValueValidation {
                    // A bad status, kind or date is bad input, not a mistake in the command's
                    // shape: exit 1 with the model's message, as for any bad input.
                    let text = err.to_string();
                    let first = text.lines().next().unwrap_or_default();
                    let _ = writeln!(std::io::stderr(), "{first}");
                    std::process::exit(1);
                }
                if err.use_stderr() && std::env::var_os("MOTIONS_DB").is_some() && !db_typed() {
                    // clap lists the arguments already given in a usage line, and a flag set from
                    // the environment counts as given: the usage would show `--db <PATH>` as if
                    // it were required.
                    let text = err.render().to_string().replace(" --db <PATH>", "");
                    let _ = write!(std::io::stderr(), "{text}");
                    std::process::exit(err.exit_code());
                }
                err.exit()
            }
        }
    }
}

/// True when `--db` was typed on the command line (rather than set by `MOTIONS_DB`).
fn db_typed() -> bool {
    std::env::args_os().any(|arg| {
        let arg = arg.to_string_lossy();
        arg == "--db" || arg.starts_with("--db=")
    })
}

/// Runs a parsed command line.
pub fn run(cli: Cli) -> anyhow::Result<()> {
    let globals = crate::cmd::Globals {
        db: cli.db,
        colour: cli.colour,
    };
    crate::cmd::run(cli.command, globals, Cli::command)
}
