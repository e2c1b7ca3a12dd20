//! The web intake: `motions serve`, the report form reporters' links open, the coordinator's
//! page and the JSON API, over the same database and the same rules as the command line.
//!
//! axum on tokio, as axum's own examples build a server: shared state in `State<Arc<App>>`,
//! tower-http layers for the body limit, timeouts and the security headers of every response.
//! The database is never touched on the async threads: reads run in `spawn_blocking` on a
//! small pool of read-only connections, and reports are committed in batches by one writer
//! thread (see `pool`). Reports are checked by `ops::intake`, which runs the checks of `log`.

mod api;
mod pages;
mod pool;
mod rate;
mod routes;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context as _, Result, anyhow};
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderValue, StatusCode, header};
use axum::routing::{get, post};
use chrono::NaiveDate;
use tokio::sync::{oneshot, watch};
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;

use crate::model::{Reporter, today};
use crate::ops::intake::{self, Prepared, Refusal, Report};
use crate::ops::links::{self, Denied};
use crate::ops::{Refused, Store, Written};
use pool::{Answer, Readers, Writer};
use rate::Limits;

/// The largest request body taken (64 KB); a larger one is answered 413.
const BODY_LIMIT: usize = 64 * 1024;

/// How long a request may take, body included, before it is answered 408.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// How many threads may work on the database at once (each with its own connection).
const DATABASE_THREADS: usize = 8;

/// The Content-Security-Policy of every page: no script from anywhere, styles only from the
/// page itself, forms posted only back here, never framed.
const CSP: &str = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; \
                   form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// How the server runs.
#[derive(Debug, Clone)]
pub(crate) struct Options {
    pub(crate) db: std::path::PathBuf,
    pub(crate) bind: SocketAddr,
    /// Also serve the report and the outcomes (without names) to everyone.
    pub(crate) public: bool,
    /// Reports a link may send a minute.
    pub(crate) rate: u32,
}

/// What every request handler shares.
pub(crate) struct App {
    readers: Readers,
    writer: Writer,
    limits: Limits,
    public: bool,
}

/// Serves until `stop` turns true, then finishes the requests in flight and the writes
/// queued. `store` is the database open to write (migrated); `ready` hears the address bound,
/// once the server takes connections.
pub(crate) fn run(
    options: &Options,
    store: Store,
    stop: watch::Receiver<bool>,
    ready: impl FnOnce(SocketAddr),
) -> Result<()> {
    let app = Arc::new(App {
        readers: Readers::new(&options.db),
        writer: Writer::start(store)?,
        limits: Limits::new(options.rate),
        public: options.public,
    });
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .max_blocking_threads(DATABASE_THREADS)
        .thread_name("motions-serve")
        .build()
        .context("starting the server")?;
    let served = runtime.block_on(serve(options.bind, Arc::clone(&app), stop, ready));
    runtime.shutdown_timeout(Duration::from_secs(5));
    app.writer.stop();
    served
}

async fn serve(
    bind: SocketAddr,
    app: Arc<App>,
    mut stop: watch::Receiver<bool>,
    ready: impl FnOnce(SocketAddr),
) -> Result<()> {
    let listener = tokio::net::TcpListener::bind(bind).await.with_context(|| {
        format!("cannot listen on {bind}; is another server using it? (try --bind 127.0.0.1:8081)")
    })?;
    let address = listener.local_addr()?;
    ready(address);
    axum::serve(listener, router(app))
        .with_graceful_shutdown(async move {
            let _ = stop.wait_for(|stopped| *stopped).await;
        })
        .await
        .context("serving")
}

fn router(app: Arc<App>) -> Router {
    let header = |name, value: &'static str| {
        SetResponseHeaderLayer::overriding(name, HeaderValue::from_static(value))
    };
    Router::new()
        .route("/r/{token}", get(routes::form).post(routes::send_form))
        .route("/c/{token}", get(routes::coordinator_page))
        .route("/c/{token}/review/{id}/{action}", post(routes::review))
        .route("/api/v1/reports", post(api::report))
        .route("/api/v1/tally", get(api::tally))
        .route("/api/v1/status", get(api::status))
        .route("/", get(routes::public_report))
        .route("/data/outcomes.csv", get(routes::public_outcomes))
        .fallback(routes::not_found)
        .with_state(app)
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(RequestBodyLimitLayer::new(BODY_LIMIT))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            REQUEST_TIMEOUT,
        ))
        .layer(header(header::REFERRER_POLICY, "no-referrer"))
        .layer(header(header::CACHE_CONTROL, "no-store"))
        .layer(header(header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .layer(header(header::X_FRAME_OPTIONS, "DENY"))
        .layer(header(header::CONTENT_SECURITY_POLICY, CSP))
}

/// Runs database work off the async threads.
async fn blocking<T: Send + 'static>(
    app: &Arc<App>,
    work: impl FnOnce(&App) -> Result<T> + Send + 'static,
) -> Result<T> {
    let app = Arc::clone(app);
    tokio::task::spawn_blocking(move || work(&app))
        .await
        .map_err(|err| anyhow!("the request stopped: {err}"))?
}

/// What became of a report sent through a link.
enum Sent {
    /// The token opens nothing.
    Denied(Denied),
    /// The link sent more than its rate allows.
    TooMany,
    /// The request could not be read (answered as it is, after the link and its rate).
    Bad(Box<axum::response::Response>),
    /// The report was refused; nothing was written.
    Refused(Reporter, Refusal),
    /// The report was written.
    Written(Box<Prepared>, Written),
}

/// Checks a report sent with `token` and writes it: the link, its rate, its scope and every
/// value, as `log` checks them; then the writer's batch.
async fn send(
    app: &Arc<App>,
    token: String,
    report: std::result::Result<Report, Box<axum::response::Response>>,
) -> Result<Sent> {
    let checked = blocking(app, move |app| {
        app.readers.with(|store| {
            let today = today();
            let reporter = match links::reporter_for(store, &token, today)? {
                Ok(reporter) => reporter,
                Err(denied) => return Ok(Err(Sent::Denied(denied))),
            };
            if !app.limits.allow(reporter.id) {
                return Ok(Err(Sent::TooMany));
            }
            let report = match report {
                Ok(report) => report,
                Err(response) => return Ok(Err(Sent::Bad(response))),
            };
            match intake::prepare_report(store, &reporter, &report, today)? {
                Err(refusal) => Ok(Err(Sent::Refused(reporter, refusal))),
                Ok(prepared) => {
                    let answer = app.writer.send(prepared.write.clone())?;
                    Ok(Ok((reporter, prepared, answer)))
                }
            }
        })
    })
    .await?;
    let (reporter, prepared, answer) = match checked {
        Ok(queued) => queued,
        Err(sent) => return Ok(sent),
    };
    match written(answer).await? {
        Ok(written) => Ok(Sent::Written(Box::new(prepared), written)),
        Err(Refused::Rejected(rejected)) => {
            Ok(Sent::Refused(reporter, Refusal::Invalid(rejected.0)))
        }
        Err(other) => Err(anyhow!("{other}")),
    }
}

/// Waits for the writer's answer.
async fn written(answer: oneshot::Receiver<Answer>) -> Result<Result<Written, Refused>> {
    match answer.await {
        Ok(Ok(result)) => Ok(result),
        Ok(Err(batch)) => Err(anyhow!("the report could not be saved: {batch}")),
        Err(_) => Err(anyhow!("the server stopped before saving the report")),
    }
}

/// The reporter whose link may see the coordinator's page and the reports' figures.
enum Access {
    Coordinator(Reporter),
    Denied(Denied),
    /// A working link, but not a coordinator's.
    NotCoordinator,
}

fn coordinator(store: &mut Store, token: &str, day: NaiveDate) -> Result<Access> {
    Ok(match links::reporter_for(store, token, day)? {
        Err(denied) => Access::Denied(denied),
        Ok(reporter) if reporter.coordinator => Access::Coordinator(reporter),
        Ok(_) => Access::NotCoordinator,
    })
}
