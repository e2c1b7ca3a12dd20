//! The JSON API under `/api/v1/`, with a link's token as a bearer token: reports in, and for
//! coordinators (or everyone, with `--public`) the tally and status reports, as exactly the
//! JSON `tally` and `status --format json` print.

use std::sync::Arc;

use anyhow::Result;
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use super::{Access, App, Sent, blocking, coordinator, send};
use crate::model::{Dimension, FieldError, Reporter, StatusFilter, parse_date_arg, today};
use crate::ops::intake::{self, Refusal, Report};
use crate::ops::links::Denied;
use crate::output::{Format, Style, render};

/// The fields a report may have: the outcome columns of the CSV contract (and their aliases).
const FIELDS: [&str; 10] = [
    "motion",
    "organisation",
    "status",
    "meeting_date",
    "votes_for",
    "votes_against",
    "votes_abstain",
    "reported_by",
    "source",
    "notes",
];

fn json_response(status: StatusCode, body: Value) -> Response {
    (status, axum::Json(body)).into_response()
}

/// `{"errors": [{"field", "problem"}]}` with the status.
fn errors(status: StatusCode, problems: &[(String, String)]) -> Response {
    let list: Vec<Value> = problems
        .iter()
        .map(|(field, problem)| json!({"field": field, "problem": problem}))
        .collect();
    json_response(status, json!({ "errors": list }))
}

fn field_errors(status: StatusCode, problems: &[FieldError]) -> Response {
    let pairs: Vec<(String, String)> = problems
        .iter()
        .map(|p| (p.field.column().to_string(), p.problem.clone()))
        .collect();
    errors(status, &pairs)
}

fn unauthorised(words: &str) -> Response {
    let mut response = errors(
        StatusCode::UNAUTHORIZED,
        &[("token".to_string(), words.to_string())],
    );
    response.headers_mut().insert(
        header::WWW_AUTHENTICATE,
        HeaderValue::from_static("Bearer realm=\"motions\""),
    );
    response
}

fn failed(err: &anyhow::Error) -> Response {
    errors(
        StatusCode::INTERNAL_SERVER_ERROR,
        &[(String::new(), format!("nothing was changed: {err:#}"))],
    )
}

/// The token of `Authorization: Bearer TOKEN`.
fn bearer(headers: &HeaderMap) -> Option<String> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.trim().split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim().to_string())
}

const NO_TOKEN: &str = "give the link's token as: Authorization: Bearer TOKEN";

/// A report from a JSON object; a body that is not one, an unknown field or a value that is
/// not text or a number is refused.
fn report_from_json(body: &[u8]) -> Result<Report, Box<Response>> {
    let value: Value = serde_json::from_slice(body).map_err(|err| {
        Box::new(errors(
            StatusCode::BAD_REQUEST,
            &[(String::new(), format!("the body is not JSON: {err}"))],
        ))
    })?;
    let Value::Object(object) = value else {
        return Err(Box::new(errors(
            StatusCode::BAD_REQUEST,
            &[(
                String::new(),
                "the body must be a JSON object of the report's fields".to_string(),
            )],
        )));
    };
    let mut report = Report::default();
    let mut problems = Vec::new();
    for (name, value) in object {
        let key = name.trim().to_lowercase();
        let Some(slot) = report.field_mut(&key) else {
            problems.push((
                name.clone(),
                format!("unknown field; the fields are: {}", FIELDS.join(", ")),
            ));
            continue;
        };
        *slot = match value {
            Value::Null => None,
            Value::String(text) => Some(text),
            Value::Number(n) => Some(n.to_string()),
            _ => {
                problems.push((name, "give text or a number".to_string()));
                continue;
            }
        };
    }
    if problems.is_empty() {
        Ok(report)
    } else {
        Err(Box::new(errors(
            StatusCode::UNPROCESSABLE_ENTITY,
            &problems,
        )))
    }
}

/// `POST /api/v1/reports`: 201 with the submission; 401, 403, 413, 422 or 429 otherwise.
pub(super) async fn report(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let Some(token) = bearer(&headers) else {
        return unauthorised(NO_TOKEN);
    };
    match send(&app, token, report_from_json(&body)).await {
        Err(err) => failed(&err),
        Ok(Sent::Denied(denied)) => unauthorised(denied.words()),
        Ok(Sent::TooMany) => {
            let mut response = errors(
                StatusCode::TOO_MANY_REQUESTS,
                &[(
                    String::new(),
                    "this link has sent more reports than its rate allows; wait and send again"
                        .to_string(),
                )],
            );
            if let Ok(value) = HeaderValue::from_str(&app.limits.retry_after().to_string()) {
                response.headers_mut().insert(header::RETRY_AFTER, value);
            }
            response
        }
        Ok(Sent::Bad(response)) => *response,
        Ok(Sent::Refused(_, Refusal::Invalid(problems))) => {
            field_errors(StatusCode::UNPROCESSABLE_ENTITY, &problems)
        }
        Ok(Sent::Refused(_, Refusal::Outside(problems))) => {
            field_errors(StatusCode::FORBIDDEN, &problems)
        }
        Ok(Sent::Written(_, written)) => json_response(
            StatusCode::CREATED,
            json!({
                "id": written.submission_id,
                "state": written.state.as_str(),
                "outcome_id": written.outcome_id,
            }),
        ),
    }
}

/// Who may read the figures: everyone with `--public`, else a coordinator's link. `None`
/// means anyone; an error is the response to give.
fn reader(
    app: &App,
    store: &mut crate::ops::Store,
    token: Option<&str>,
) -> Result<Result<Option<Reporter>, Response>> {
    if app.public {
        return Ok(Ok(None));
    }
    let Some(token) = token else {
        return Ok(Err(unauthorised(NO_TOKEN)));
    };
    Ok(match coordinator(store, token, today())? {
        Access::Coordinator(reporter) => Ok(Some(reporter)),
        Access::Denied(denied) => Err(unauthorised(Denied::words(denied))),
        Access::NotCoordinator => Err(errors(
            StatusCode::FORBIDDEN,
            &[(
                "token".to_string(),
                "this is a reporter's link; the figures are for coordinators".to_string(),
            )],
        )),
    })
}

/// The query's parameters, refusing any not in `known`.
fn parameters(
    query: Vec<(String, String)>,
    known: &[&str],
) -> Result<Vec<(String, String)>, Box<Response>> {
    let unknown: Vec<(String, String)> = query
        .iter()
        .filter(|(k, _)| !known.contains(&k.as_str()))
        .map(|(k, _)| {
            (
                k.clone(),
                format!(
                    "unknown parameter; the parameters are: {}",
                    known.join(", ")
                ),
            )
        })
        .collect();
    if unknown.is_empty() {
        Ok(query)
    } else {
        Err(Box::new(errors(StatusCode::UNPROCESSABLE_ENTITY, &unknown)))
    }
}

fn get<'a>(query: &'a [(String, String)], name: &str) -> Option<&'a str> {
    query
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
        .filter(|v| !v.trim().is_empty())
}

/// A report in the JSON the commands print.
fn report_json(report: &crate::output::Report) -> Result<Response> {
    let mut body = Vec::new();
    render(report, Format::Json, Style::default(), &mut body)?;
    Ok((
        StatusCode::OK,
        [(header::CONTENT_TYPE, "application/json")],
        body,
    )
        .into_response())
}

/// What both figures need: the motion (in the link's scope) and the date.
type Figures = (crate::model::Motion, Option<chrono::NaiveDate>);

fn figures(
    store: &mut crate::ops::Store,
    reporter: Option<&Reporter>,
    query: &[(String, String)],
) -> Result<Result<Figures, Response>> {
    let slug = get(query, "motion");
    let motion = match intake::which_motion(store, reporter, slug)? {
        Ok(motion) => motion,
        Err(problem) => {
            return Ok(Err(field_errors(
                StatusCode::UNPROCESSABLE_ENTITY,
                &[problem],
            )));
        }
    };
    if reporter.is_some_and(|r| !r.may_report_on(motion.id)) {
        return Ok(Err(errors(
            StatusCode::FORBIDDEN,
            &[(
                "motion".to_string(),
                format!("this link does not cover the motion {}", motion.slug),
            )],
        )));
    }
    let as_of = match get(query, "as_of").map(parse_date_arg).transpose() {
        Ok(as_of) => as_of,
        Err(err) => {
            return Ok(Err(errors(
                StatusCode::UNPROCESSABLE_ENTITY,
                &[("as_of".to_string(), err.to_string())],
            )));
        }
    };
    Ok(Ok((motion, as_of)))
}

/// `GET /api/v1/tally?motion=SLUG&by=kind,region`: the JSON of `tally --format json`.
pub(super) async fn tally(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    Query(query): Query<Vec<(String, String)>>,
) -> Response {
    let token = bearer(&headers);
    let query = match parameters(query, &["motion", "by", "as_of", "detail"]) {
        Ok(query) => query,
        Err(response) => return *response,
    };
    let result = blocking(&app, move |app| {
        app.readers.with(|store| {
            let reporter = match reader(app, store, token.as_deref())? {
                Ok(reporter) => reporter,
                Err(response) => return Ok(response),
            };
            let (motion, as_of) = match figures(store, reporter.as_ref(), &query)? {
                Ok(figures) => figures,
                Err(response) => return Ok(response),
            };
            let mut given = Vec::new();
            for word in get(&query, "by").unwrap_or_default().split(',') {
                if word.trim().is_empty() {
                    continue;
                }
                let Some(dimension) = Dimension::from_word(word) else {
                    return Ok(errors(
                        StatusCode::UNPROCESSABLE_ENTITY,
                        &[(
                            "by".to_string(),
                            format!(
                                "\"{}\" is not a column to count by; give kind, region, union or clp",
                                crate::model::visible(&word.trim().to_lowercase())
                            ),
                        )],
                    ));
                };
                given.push(dimension);
            }
            let Ok(by) = Dimension::columns(&given) else {
                return Ok(errors(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    &[(
                        "by".to_string(),
                        "clp counts branches under their CLP and stands alone; leave out the \
                         other columns"
                            .to_string(),
                    )],
                ));
            };
            let detail = matches!(get(&query, "detail"), Some("true" | "1" | "yes"));
            let report = crate::ops::reports::tally_report(store, &motion, &by, as_of, detail)?;
            report_json(&report)
        })
    })
    .await;
    result.unwrap_or_else(|err| failed(&err))
}

/// `GET /api/v1/status?motion=SLUG`: the JSON of `status --format json`.
pub(super) async fn status(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    Query(query): Query<Vec<(String, String)>>,
) -> Response {
    let token = bearer(&headers);
    let query = match parameters(query, &["motion", "as_of", "status"]) {
        Ok(query) => query,
        Err(response) => return *response,
    };
    let result = blocking(&app, move |app| {
        app.readers.with(|store| {
            let reporter = match reader(app, store, token.as_deref())? {
                Ok(reporter) => reporter,
                Err(response) => return Ok(response),
            };
            let (motion, as_of) = match figures(store, reporter.as_ref(), &query)? {
                Ok(figures) => figures,
                Err(response) => return Ok(response),
            };
            let wanted = match get(&query, "status")
                .map(str::parse::<StatusFilter>)
                .transpose()
            {
                Ok(wanted) => wanted,
                Err(err) => {
                    return Ok(errors(
                        StatusCode::UNPROCESSABLE_ENTITY,
                        &[("status".to_string(), err.to_string())],
                    ));
                }
            };
            let wanted: Vec<StatusFilter> = wanted.into_iter().collect();
            let report = crate::ops::reports::status_report(store, &motion, &wanted, as_of)?;
            report_json(&report)
        })
    })
    .await;
    result.unwrap_or_else(|err| failed(&err))
}
