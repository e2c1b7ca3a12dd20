//! The integration tests: one binary, one module per area. They run `motions` as a user would
//! and check what a user would notice: output, messages, exit codes, and the database.

mod util;

mod architecture;
mod bounded;
mod browser;
mod chase;
mod database;
mod docs;
mod errors;
mod first_steps;
mod fit;
mod forget;
mod guided;
mod import;
mod intake;
mod map;
mod popolo;
mod publish;
mod recording;
mod reports;
mod safety;
mod schema;
mod serve;
mod trust;
