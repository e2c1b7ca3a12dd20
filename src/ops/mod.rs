//! What the tool does, as functions over a [`Store`](crate::db::Store): record an outcome,
//! register and correct organisations and motions, import files, compute reports.
//!
//! Every way in (command-line flags, the guided prompts, CSV imports, the web intake) calls
//! these, and these build every record through the checked constructors of `model`, so a rule
//! lives in one place. Nothing here prints: each operation returns a typed result (and the
//! notes a person should read) for its caller to show.

/// The store, as the front ends hold it: they open it and hand it to the operations, and never
/// query it themselves.
pub(crate) use crate::db::{IntakeWrite, Recorded, Refused, Store, Written};

pub(crate) mod demo;
pub(crate) mod import;
pub(crate) mod intake;
pub(crate) mod links;
pub(crate) mod motions;
pub(crate) mod popolo;
pub(crate) mod publish;
pub(crate) mod record;
pub(crate) mod registry;
pub(crate) mod reports;
pub(crate) mod resolve;
pub(crate) mod review;

#[cfg(test)]
mod tests;
