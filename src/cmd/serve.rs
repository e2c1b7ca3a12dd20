//! `motions serve`: the web intake, for reporters' links, the coordinator's page and the API.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, Ordering};

use anyhow::Result;

use super::{Context, note};
use crate::serve::{self, Options};

/// Serve the report form that reporters' links open, the coordinator's page and the JSON API.
///
/// Reports sent through a link are checked as `motions log` checks them. The server listens
/// on 127.0.0.1 only unless --bind says otherwise: put it behind a TLS proxy (see README) to
/// reach it from phones. Stop it with Ctrl-C: it finishes the requests in flight first.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Make links with motions reporter add; decide reports with motions review, or \
    on the coordinator's page (BASE/c/TOKEN).\n\n\
    Examples:\n  motions serve\n  motions serve --bind 127.0.0.1:8081 --public\n  \
    motions serve --rate 600"
)]
pub(crate) struct Args {
    /// The address and port to listen on (port 0 takes a free one)
    #[arg(long, value_name = "ADDR:PORT", default_value = "127.0.0.1:8080")]
    bind: SocketAddr,

    /// Also show the report to everyone at / and the outcomes (no names, no notes) at
    /// /data/outcomes.csv, and the API's figures without a token
    #[arg(long)]
    public: bool,

    /// How many reports one link may send a minute (in bursts of up to 10)
    #[arg(long, value_name = "N", default_value_t = 60, value_parser = clap::value_parser!(u32).range(1..))]
    rate: u32,
}

pub(crate) fn run(args: Args, ctx: &Context) -> Result<()> {
    let store = ctx.store()?;
    let options = Options {
        db: ctx.db_path()?,
        bind: args.bind,
        public: args.public,
        rate: args.rate,
    };
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let asked = AtomicBool::new(false);
    crate::files::on_interrupt(move || {
        if asked.swap(true, Ordering::SeqCst) {
            // A second Ctrl-C: stop now. Every report answered is on disk already.
            std::process::exit(130);
        }
        let _ = stop.send(true);
    });
    serve::run(&options, store, stopped, |address| {
        note(format!("Listening on http://{address}"));
    })?;
    note("Stopped: every request was answered.");
    Ok(())
}
