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
mod output;

pub use cli::Cli;
pub use cmd::{exit_code, run};
