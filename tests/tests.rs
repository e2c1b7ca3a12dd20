//! The integration tests: one binary, one module per area. They run `motions` as a user would
//! and check what a user would notice: output, messages, exit codes, and the database.

mod util;

mod browser;
mod database;
mod docs;
mod errors;
mod forget;
mod guided;
mod import;
mod map;
mod recording;
mod reports;
mod safety;
mod serve;
mod trust;
