//! motions: records which bodies have moved, passed or rejected a campaign's model motion,
//! keeps that record in SQLite, and prints tallies. `cli` parses, `cmd` runs each command,
//! `db` is the only place with SQL, `model` holds the domain, `output` renders reports.

#![deny(unreachable_pub)]

mod cli;
mod cmd;
mod csv_io;
mod db;
mod files;
mod model;
mod ops;
mod output;
mod serve;

pub use cli::{Cli, run};

/// The exit code for an error: 2 for usage errors, 1 for everything a user can fix.
pub fn exit_code(err: &anyhow::Error) -> u8 {
    cmd::exit_code(err)
}
