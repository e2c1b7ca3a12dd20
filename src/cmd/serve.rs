//! `motions serve`: the web intake, placeholder.

use anyhow::Result;

use super::Context;

/// Serve the report form for reporters' links, the coordinator's page and the API.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {}

pub(crate) fn run(_args: Args, _ctx: &Context) -> Result<()> {
    Ok(())
}
