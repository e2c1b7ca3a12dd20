//! `motions completions SHELL`: tab completion for commands, flags, motion slugs and
//! organisation names.

use std::io::{self, Write};

use anyhow::Result;
use clap_complete::env::{Bash, Elvish, EnvCompleter, Fish, Powershell, Zsh};

/// Print the script that gives your shell tab completion for motions, motion slugs and
/// organisation names included.
#[derive(Debug, clap::Args)]
#[command(after_help = "Install it once:\n  \
    bash:  echo 'source <(motions completions bash)' >> ~/.bashrc\n  \
    zsh:   echo 'source <(motions completions zsh)' >> ~/.zshrc\n  \
    fish:  motions completions fish > ~/.config/fish/completions/motions.fish\n\n\
    Slugs and names come from the database MOTIONS_DB names, or the default one.")]
pub(crate) struct Args {
    #[arg(value_enum)]
    shell: Shell,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Shell {
    Bash,
    Zsh,
    Fish,
    Powershell,
    Elvish,
}

pub(crate) fn run(args: Args) -> Result<()> {
    let shell: &dyn EnvCompleter = match args.shell {
        Shell::Bash => &Bash,
        Shell::Zsh => &Zsh,
        Shell::Fish => &Fish,
        Shell::Powershell => &Powershell,
        Shell::Elvish => &Elvish,
    };
    // The script calls `motions` back (with COMPLETE set) to complete each word.
    let mut out = io::stdout().lock();
    shell.write_registration("COMPLETE", "motions", "motions", "motions", &mut out)?;
    out.flush()?;
    Ok(())
}
