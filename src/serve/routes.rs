//! The pages: the report form (`/r/TOKEN`), the coordinator's page (`/c/TOKEN`) and its
//! review buttons, and with `--public` the report and the outcomes for everyone.
//!
//! A GET never writes: mail scanners and link previews open links. Only the form's button
//! (a POST) sends a report, and only a coordinator's POST decides one.

use std::sync::Arc;

use anyhow::Result;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};

use super::pages::{self, DonePage, FormPage, Notice};
use super::{Access, App, Sent, blocking, coordinator, send, written};
use crate::model::{Reporter, SubmissionState, today};
use crate::ops::Recorded;
use crate::ops::intake::{self, Refusal, Report};
use crate::ops::links::{self, Denied};
use crate::ops::review;

/// A page with its status.
fn page(status: StatusCode, html: String) -> Response {
    (status, Html(html)).into_response()
}

/// The page for a link that opens nothing: 401, as for the API.
pub(super) fn denied(denied: Denied) -> Response {
    let heading = match denied {
        Denied::Unknown => "This link does not work",
        Denied::Dead(_) => "This link no longer works",
    };
    let mut response = page(
        StatusCode::UNAUTHORIZED,
        pages::refused(heading, denied.words()),
    );
    response.headers_mut().insert(
        header::WWW_AUTHENTICATE,
        HeaderValue::from_static("Bearer realm=\"motions\""),
    );
    response
}

fn too_many(app: &App) -> Response {
    let mut response = page(
        StatusCode::TOO_MANY_REQUESTS,
        pages::refused(
            "Too many reports at once",
            "This link has sent many reports in a short time. Wait a minute, then send again.",
        ),
    );
    if let Ok(value) = HeaderValue::from_str(&app.limits.retry_after().to_string()) {
        response.headers_mut().insert(header::RETRY_AFTER, value);
    }
    response
}

fn failed(err: &anyhow::Error) -> Response {
    page(
        StatusCode::INTERNAL_SERVER_ERROR,
        pages::refused(
            "Something went wrong",
            &format!("Nothing was changed by this request. The server said: {err:#}"),
        ),
    )
}

fn respond(result: Result<Response>) -> Response {
    result.unwrap_or_else(|err| failed(&err))
}

/// `GET /r/TOKEN`: the report form. Reads only.
pub(super) async fn form(State(app): State<Arc<App>>, Path(token): Path<String>) -> Response {
    respond(
        blocking(&app, move |app| {
            app.readers.with(|store| {
                let today = today();
                match links::reporter_for(store, &token, today)? {
                    Err(refused) => Ok(denied(refused)),
                    Ok(reporter) => form_page(
                        store,
                        &token,
                        &reporter,
                        &Report::default(),
                        &[],
                        StatusCode::OK,
                    ),
                }
            })
        })
        .await,
    )
}

fn form_page(
    store: &mut crate::ops::Store,
    token: &str,
    reporter: &Reporter,
    values: &Report,
    problems: &[crate::model::FieldError],
    status: StatusCode,
) -> Result<Response> {
    let choices = intake::choices(store, reporter)?;
    Ok(page(
        status,
        pages::form(&FormPage {
            token,
            reporter: &reporter.name,
            trusted: reporter.trusted,
            choices: &choices,
            values,
            problems,
            today: today(),
        }),
    ))
}

/// A report as a form sends it; fields the contract does not name are ignored.
fn report_from_form(fields: &[(String, String)]) -> Report {
    let mut report = Report::default();
    for (name, value) in fields {
        let Some(slot) = report.field_mut(name) else {
            continue;
        };
        *slot = Some(value.clone());
    }
    report
}

/// `POST /r/TOKEN`: a report from the form. Problems come back beside their fields, with the
/// values kept; a report taken shows what was recorded.
pub(super) async fn send_form(
    State(app): State<Arc<App>>,
    Path(token): Path<String>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    let report = report_from_form(&fields);
    let sent = send(&app, token.clone(), Ok(report.clone())).await;
    match sent {
        Err(err) => failed(&err),
        Ok(Sent::Denied(refused)) => denied(refused),
        Ok(Sent::TooMany) => too_many(&app),
        Ok(Sent::Bad(response)) => *response,
        Ok(Sent::Refused(reporter, refusal)) => {
            let status = match refusal {
                Refusal::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
                Refusal::Outside(_) => StatusCode::FORBIDDEN,
            };
            respond(
                blocking(&app, move |app| {
                    app.readers.with(|store| {
                        form_page(
                            store,
                            &token,
                            &reporter,
                            &report,
                            refusal.problems(),
                            status,
                        )
                    })
                })
                .await,
            )
        }
        Ok(Sent::Written(prepared, written)) => {
            let event = written.outcome_id;
            page(
                StatusCode::OK,
                pages::done(&DonePage {
                    token: &token,
                    event,
                    already: matches!(written.recorded, Some(Recorded::AlreadyThere(_))),
                    submission: written.submission_id,
                    motion: &prepared.motion.title,
                    organisation: &prepared.org.name,
                    status: prepared.status,
                    meeting_date: prepared.meeting_date,
                    values: &report,
                }),
            )
        }
    }
}

/// `GET /c/TOKEN`: the review queue above the live report. Reads only.
pub(super) async fn coordinator_page(
    State(app): State<Arc<App>>,
    Path(token): Path<String>,
    Query(query): Query<Vec<(String, String)>>,
) -> Response {
    let get = |name: &str| {
        query
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
    };
    let number = |name: &str| get(name).and_then(|v| v.parse::<i64>().ok());
    let notice = match (number("approved"), number("event"), number("rejected")) {
        (Some(id), Some(event), _) => Notice::Done(format!(
            "Approved report {id}: it counts now, as event {event}."
        )),
        (_, _, Some(id)) => Notice::Done(format!("Rejected report {id}.")),
        _ => Notice::None,
    };
    let motion = get("motion");
    respond(
        blocking(&app, move |app| {
            app.readers
                .with(|store| match coordinator(store, &token, today())? {
                    Access::Denied(refused) => Ok(denied(refused)),
                    Access::NotCoordinator => Ok(not_coordinator()),
                    Access::Coordinator(reporter) => Ok(page(
                        StatusCode::OK,
                        coordinator_html(store, &token, &reporter, motion.as_deref(), &notice)?,
                    )),
                })
        })
        .await,
    )
}

fn not_coordinator() -> Response {
    page(
        StatusCode::FORBIDDEN,
        pages::refused(
            "This is a reporter's link",
            "It sends reports; it does not open the coordinator's page. Ask the coordinator if \
             you should review reports.",
        ),
    )
}

fn coordinator_html(
    store: &mut crate::ops::Store,
    token: &str,
    reporter: &Reporter,
    motion: Option<&str>,
    notice: &Notice,
) -> Result<String> {
    let submissions: Vec<_> = review::submissions(store, false)?
        .into_iter()
        .filter(|s| reporter.may_report_on(s.motion_id))
        .collect();
    let motions = intake::motions_for(store, Some(reporter))?;
    let links: Vec<(String, String)> = motions
        .iter()
        .map(|m| (m.slug.clone(), m.title.clone()))
        .collect();
    let chosen = match motion {
        Some(slug) => motions
            .iter()
            .find(|m| m.slug.eq_ignore_ascii_case(slug.trim())),
        None => motions.first(),
    };
    let report = match chosen {
        Some(motion) => Some(crate::ops::reports::report_page_now(
            store,
            motion,
            crate::model::today(),
        )?),
        None => None,
    };
    Ok(pages::coordinator(
        pages::queue(token, &submissions, notice, &links),
        report,
    ))
}

/// `POST /c/TOKEN/review/ID/approve|reject`: a coordinator's decision, then back to the page.
pub(super) async fn review(
    State(app): State<Arc<App>>,
    Path((token, id, action)): Path<(String, i64, String)>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    let reason = fields
        .iter()
        .find(|(k, _)| k == "reason")
        .map(|(_, v)| v.clone())
        .unwrap_or_default();
    if action != "approve" && action != "reject" {
        return not_found().await;
    }
    let page_token = token.clone();
    let checked = blocking(&app, move |app| {
        app.readers.with(|store| {
            let today = today();
            let reporter = match coordinator(store, &token, today)? {
                Access::Denied(refused) => return Ok(Err(denied(refused))),
                Access::NotCoordinator => return Ok(Err(not_coordinator())),
                Access::Coordinator(reporter) => reporter,
            };
            if !app.limits.allow(reporter.id) {
                return Ok(Err(too_many(app)));
            }
            let submission = review::submission(store, id)?;
            if submission.is_some_and(|s| !reporter.may_report_on(s.motion_id)) {
                return Ok(Err(page(
                    StatusCode::FORBIDDEN,
                    pages::refused(
                        "Not yours to decide",
                        "This report is on a motion outside your link.",
                    ),
                )));
            }
            let write = match action.as_str() {
                "approve" => review::prepare_approval(store, id, today),
                _ => review::prepare_rejection(store, id, &reason),
            };
            match write {
                Ok(write) => Ok(Ok((reporter, app.writer.send(write)?))),
                Err(err) => {
                    let notice = Notice::Problem(format!("{err:#}"));
                    let html = coordinator_html(store, &token, &reporter, None, &notice)?;
                    Ok(Err(page(StatusCode::UNPROCESSABLE_ENTITY, html)))
                }
            }
        })
    })
    .await;
    let (reporter, answer) = match checked {
        Err(err) => return failed(&err),
        Ok(Err(response)) => return response,
        Ok(Ok(queued)) => queued,
    };
    match written(answer).await {
        Err(err) => failed(&err),
        Ok(Ok(written)) => {
            let to = match (written.state, written.outcome_id) {
                (SubmissionState::Recorded, Some(event)) => {
                    format!(
                        "/c/{page_token}?approved={}&event={event}#review",
                        written.submission_id
                    )
                }
                _ => format!("/c/{page_token}?rejected={}#review", written.submission_id),
            };
            Redirect::to(&to).into_response()
        }
        Ok(Err(refused)) => {
            let notice = Notice::Problem(refused.to_string());
            respond(
                blocking(&app, move |app| {
                    app.readers.with(|store| {
                        let html = coordinator_html(store, &page_token, &reporter, None, &notice)?;
                        Ok(page(StatusCode::UNPROCESSABLE_ENTITY, html))
                    })
                })
                .await,
            )
        }
    }
}

/// `GET /` with `--public`: the report page, without any reporter's name.
pub(super) async fn public_report(
    State(app): State<Arc<App>>,
    Query(query): Query<Vec<(String, String)>>,
) -> Response {
    if !app.public {
        return not_found().await;
    }
    let slug = query
        .into_iter()
        .find(|(k, _)| k == "motion")
        .map(|(_, v)| v);
    respond(
        blocking(&app, move |app| {
            app.readers.with(|store| {
                let motions = intake::motions_for(store, None)?;
                let chosen = match &slug {
                    Some(slug) => motions
                        .iter()
                        .find(|m| m.slug.eq_ignore_ascii_case(slug.trim())),
                    None if motions.len() == 1 => motions.first(),
                    None => None,
                };
                match chosen {
                    Some(motion) => Ok(page(
                        StatusCode::OK,
                        crate::ops::reports::report_page_now(store, motion, crate::model::today())?,
                    )),
                    None => {
                        let links: Vec<(String, String)> = motions
                            .iter()
                            .map(|m| (m.slug.clone(), m.title.clone()))
                            .collect();
                        let status = match slug {
                            Some(_) => StatusCode::NOT_FOUND,
                            None => StatusCode::OK,
                        };
                        Ok(page(
                            status,
                            pages::motion_list("The campaign's motions", "/", &links),
                        ))
                    }
                }
            })
        })
        .await,
    )
}

/// `GET /data/outcomes.csv` with `--public`: as `export outcomes --no-names`, notes left out.
pub(super) async fn public_outcomes(State(app): State<Arc<App>>) -> Response {
    if !app.public {
        return not_found().await;
    }
    respond(
        blocking(&app, move |app| {
            app.readers.with(|store| {
                let mut csv = Vec::new();
                crate::ops::publish::outcomes_csv(store, None, &mut csv)?;
                Ok((
                    StatusCode::OK,
                    [
                        (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
                        (
                            header::CONTENT_DISPOSITION,
                            "inline; filename=\"outcomes.csv\"",
                        ),
                    ],
                    csv,
                )
                    .into_response())
            })
        })
        .await,
    )
}

/// Any other address.
pub(super) async fn not_found() -> Response {
    page(
        StatusCode::NOT_FOUND,
        pages::refused(
            "Nothing here",
            "There is no page at this address. If someone sent you a link, check that it was copied whole.",
        ),
    )
}
