//! `motions man`: the manual pages.

use std::io::{self, Write};

use anyhow::{Result, bail};

use super::Context;

/// Print the manual page of motions, or of one of its commands (read it with: man -l -).
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  motions man | man -l -\n  motions man log | man -l -\n  \
    motions man org merge | man -l -\n  \
    motions man > ~/.local/share/man/man1/motions.1"
)]
pub(crate) struct Args {
    /// The command whose page to print (e.g. log, or org merge) [default: motions itself]
    command: Vec<String>,
}

pub(crate) fn run(args: Args, ctx: &Context) -> Result<()> {
    let mut command = (ctx.app)();
    let mut name = String::from("motions");
    for word in &args.command {
        let Some(sub) = command.find_subcommand(word).cloned() else {
            let known: Vec<String> = command
                .get_subcommands()
                .map(|c| c.get_name().to_string())
                .collect();
            bail!(
                "{name} has no command \"{word}\"; its commands are: {}",
                known.join(", ")
            );
        };
        name = format!("{name}-{}", sub.get_name());
        command = sub;
    }
    let command = command.name(name).version(env!("CARGO_PKG_VERSION"));
    let mut page = Vec::new();
    clap_mangen::Man::new(command).render(&mut page)?;
    let mut out = io::stdout().lock();
    out.write_all(&page)?;
    out.flush()?;
    Ok(())
}
