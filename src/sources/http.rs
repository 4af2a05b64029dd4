//! API Gateway REST API (proxy), HTTP API (payload 2.0) and Lambda function URLs.
//!
//! Every outcome is an HTTP response with a JSON body, never a function error (API Gateway would
//! turn that into a bare 502).

use std::collections::BTreeMap;

use base64::Engine;
use serde::Serialize;
use serde_json::{Value, json};

use crate::bridge::{Bridge, Deadline, Origin, Payload, SourceDefaults};
use crate::connect::Connect;
use crate::error::{ConnectErrorKind, ContactError};
use crate::idempotency::derive_client_token;
use crate::json::parse_strict;
use crate::outcome::Producer;
use crate::request::ValidationErrors;
use crate::source::{Source, epoch_seconds_of_millis};
use crate::violation::ViolationKind as Kind;

/// Seconds a throttled or unavailable caller is asked to wait.
const RETRY_AFTER_SECONDS: &str = "1";

pub use crate::source::HttpShape;

impl HttpShape {
    pub fn recognise(event: &Value) -> Option<HttpShape> {
        let context = event.get("requestContext")?;
        if event["httpMethod"].is_string() || context["httpMethod"].is_string() {
            return Some(HttpShape::RestApi);
        }
        if event["version"] != "2.0" || !context["http"]["method"].is_string() {
            return None;
        }
        let domain = context["domainName"].as_str().unwrap_or_default();
        Some(if domain.contains(".lambda-url.") {
            HttpShape::FunctionUrl
        } else {
            HttpShape::HttpApi
        })
    }
}

/// The response all three shapes accept.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct HttpResponse {
    pub status_code: u16,
    pub headers: BTreeMap<String, String>,
    pub body: String,
    pub is_base64_encoded: bool,
}

impl HttpResponse {
    pub fn json(status_code: u16, body: &Value) -> Self {
        HttpResponse {
            status_code,
            headers: BTreeMap::from([("content-type".to_owned(), "application/json".to_owned())]),
            body: body.to_string(),
            is_base64_encoded: false,
        }
    }

    fn with_header(mut self, name: &str, value: &str) -> Self {
        self.headers.insert(name.to_owned(), value.to_owned());
        self
    }
}

/// What the function needs of an HTTP event, whichever shape it came in.
///
/// Read tolerantly, member by member, from the fields used here only: real events leave out,
/// null or vary members a strict type requires (a REST event without `requestContext.httpMethod`,
/// null maps, `multiValueHeaders` without `headers`, `isBase64Encoded` missing).
struct HttpCall<'a> {
    method: &'a str,
    /// Header names as sent; looked up case-insensitively.
    headers: Vec<(&'a str, &'a str)>,
    body: &'a str,
    is_base64_encoded: bool,
    dry_run: bool,
    request_id: &'a str,
    /// Who called, as API Gateway or the function URL states it.
    caller: Option<Caller<'a>>,
}

/// An HTTP caller's identity: the first the event has of the IAM principal (SigV4), the JWT
/// subject (a JWT or Cognito authorizer), the Lambda authorizer's principal, the source IP.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Caller<'a> {
    /// [`Producer::kind`]'s name for it.
    kind: &'static str,
    id: &'a str,
}

impl<'a> Caller<'a> {
    fn read(context: &'a Value) -> Option<Caller<'a>> {
        let authorizer = &context["authorizer"];
        let candidates = [
            // REST API (identity), HTTP API and function URLs (authorizer.iam).
            ("IamPrincipal", &context["identity"]["userArn"]),
            ("IamPrincipal", &authorizer["iam"]["userArn"]),
            // HTTP API JWT authorizer, REST API Cognito authorizer.
            ("JwtSubject", &authorizer["jwt"]["claims"]["sub"]),
            ("JwtSubject", &authorizer["claims"]["sub"]),
            // REST API Lambda authorizer, HTTP API Lambda authorizer's context.
            ("AuthorizerPrincipal", &authorizer["principalId"]),
            ("AuthorizerPrincipal", &authorizer["lambda"]["principalId"]),
            ("SourceIp", &context["identity"]["sourceIp"]),
            ("SourceIp", &context["http"]["sourceIp"]),
        ];
        candidates.into_iter().find_map(|(kind, value)| {
            let id = value.as_str().filter(|id| !id.is_empty())?;
            Some(Caller { kind, id })
        })
    }
}

impl<'a> HttpCall<'a> {
    fn read(shape: HttpShape, event: &'a Value) -> Self {
        let context = &event["requestContext"];
        let method = match shape {
            HttpShape::RestApi => event["httpMethod"]
                .as_str()
                .or_else(|| context["httpMethod"].as_str()),
            HttpShape::HttpApi | HttpShape::FunctionUrl => context["http"]["method"].as_str(),
        };
        HttpCall {
            method: method.unwrap_or_default(),
            headers: headers(event),
            body: event["body"].as_str().unwrap_or_default(),
            is_base64_encoded: event["isBase64Encoded"].as_bool().unwrap_or(false),
            dry_run: query_values(event, "dryRun").any(|v| v == "true"),
            request_id: context["requestId"].as_str().unwrap_or_default(),
            caller: Caller::read(context),
        }
    }

    fn header(&self, name: &str) -> Option<&'a str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| *v)
    }
}

/// `headers`, then the first value of each `multiValueHeaders` entry not already there.
fn headers(event: &Value) -> Vec<(&str, &str)> {
    let mut all: Vec<(&str, &str)> = Vec::new();
    if let Some(single) = event["headers"].as_object() {
        all.extend(
            single
                .iter()
                .filter_map(|(n, v)| Some((n.as_str(), v.as_str()?))),
        );
    }
    if let Some(multi) = event["multiValueHeaders"].as_object() {
        for (name, values) in multi {
            let known = all.iter().any(|(n, _)| n.eq_ignore_ascii_case(name));
            if let (false, Some(first)) = (known, values[0].as_str()) {
                all.push((name.as_str(), first));
            }
        }
    }
    all
}

/// The values of a query string parameter, from whichever of the shapes' members carry them
/// (`queryStringParameters`, `multiValueQueryStringParameters`, HTTP API's comma-joined values).
fn query_values<'a>(event: &'a Value, name: &'a str) -> impl Iterator<Item = &'a str> {
    let single = event["queryStringParameters"][name]
        .as_str()
        .into_iter()
        .flat_map(|v| v.split(','));
    let multi = event["multiValueQueryStringParameters"][name]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str);
    single.chain(multi)
}

/// Answers one HTTP event.
pub async fn handle<C: Connect>(
    bridge: &Bridge<C>,
    shape: HttpShape,
    event: &Value,
    deadline: Deadline,
) -> HttpResponse {
    let source = Source::Http(shape);
    let call = HttpCall::read(shape, event);
    if !call.method.eq_ignore_ascii_case("POST") {
        return HttpResponse::json(405, &json!({"message": "only POST is accepted"}))
            .with_header("allow", "POST");
    }
    let body = decode_body(&call);
    let defaults = SourceDefaults {
        instance_id: None,
        client_token: default_token(source, &call),
        // REST API: requestTimeEpoch; HTTP API and function URLs: timeEpoch (milliseconds).
        event_time: epoch_seconds_of_millis(&event["requestContext"]["requestTimeEpoch"])
            .or_else(|| epoch_seconds_of_millis(&event["requestContext"]["timeEpoch"])),
    };
    if let (true, Ok(body)) = (call.dry_run, &body) {
        // Validate only: nothing is sent, logged or counted.
        return match bridge.prepare(source, Payload::Any(body), defaults) {
            Ok(request) => HttpResponse::json(
                200,
                &json!({ "operation": request.operation().as_str(), "request": request.body() }),
            ),
            Err(error) => error_response(&error),
        };
    }
    let origin = Origin {
        source,
        id: call.request_id,
        defaults,
        correlation_id: None,
        producer: call.caller.map(|c| Producer::new(c.kind, c.id)),
    };
    let handled = bridge
        .handle(
            origin,
            body.as_ref().map(Payload::Any).map_err(Clone::clone),
            deadline,
        )
        .await;
    // A contact whose event was not published is a 503: the caller's retry (same
    // Idempotency-Key) gets the same contact and publishes it. A failure is answered as it is:
    // the caller has it.
    let delivery = bridge.publish_one(&handled.event, deadline).await;
    match handled.answer(delivery) {
        Ok(contact) => HttpResponse::json(201, &json!(contact)),
        Err(error) => error_response(&error),
    }
}

/// From the `Idempotency-Key` header (any case) and the caller's identity, so that two callers'
/// keys never meet; else from API Gateway's request id.
fn default_token(source: Source, call: &HttpCall) -> Option<String> {
    let key = call.header("idempotency-key").filter(|k| !k.is_empty());
    let (kind, caller) = call.caller.map_or(("", ""), |c| (c.kind, c.id));
    match (key, call.request_id) {
        (Some(key), _) => Some(derive_client_token(
            "http-idempotency-key",
            &[kind, caller, key],
        )),
        (None, "") => None,
        (None, id) => Some(derive_client_token(source.name(), &[id])),
    }
}

fn decode_body(call: &HttpCall) -> Result<Value, ContactError> {
    let invalid = |problem: &str| {
        ContactError::Invalid(ValidationErrors::one(
            "",
            Kind::Unreadable(problem.to_owned()),
        ))
    };
    let body = call.body;
    if body.is_empty() {
        return Err(invalid("the request body is empty; expected a request"));
    }
    let bytes = if call.is_base64_encoded {
        base64::engine::general_purpose::STANDARD
            .decode(body)
            .map_err(|_| invalid("the request body is not valid base64"))?
    } else {
        body.as_bytes().to_vec()
    };
    parse_strict(&bytes).map_err(|e| ContactError::Invalid(e.into_validation("the request body")))
}

/// The HTTP answer to a failure; never repeats what Connect said of our own configuration.
pub fn error_response(error: &ContactError) -> HttpResponse {
    use ConnectErrorKind as Kind;
    match error {
        ContactError::Invalid(errors) => HttpResponse::json(400, &errors.to_answer()),
        ContactError::Refused(errors) => HttpResponse::json(403, &errors.to_answer()),
        ContactError::InstanceNotAllowed { .. } => HttpResponse::json(
            403,
            &json!({"message": error.to_string(), "error": error.kind()}),
        ),
        ContactError::OutcomeNotPublished { .. } => HttpResponse::json(
            503,
            &json!({"message": error.to_string(), "error": error.kind()}),
        )
        .with_header("retry-after", RETRY_AFTER_SECONDS),
        ContactError::Connect(e) => {
            let (status, message) = match e.kind {
                Kind::Throttling | Kind::LimitExceeded | Kind::Deferred => (429, e.to_string()),
                Kind::Unavailable if matches!(e.code.as_str(), "Timeout" | "NetworkError") => {
                    (503, e.to_string())
                }
                Kind::Unavailable => (502, e.to_string()),
                Kind::InvalidRequest => (400, e.to_string()),
                Kind::NotFound => (404, e.to_string()),
                Kind::Conflict => (409, e.to_string()),
                Kind::QuotaExceeded | Kind::NotPermitted => (403, e.to_string()),
                Kind::AccessDenied | Kind::Internal | Kind::Unconfigured => (
                    500,
                    "contact-bridge is misconfigured and cannot create contacts; its logs say why"
                        .to_owned(),
                ),
            };
            let response =
                HttpResponse::json(status, &json!({"message": message, "error": e.code}));
            if matches!(status, 429 | 503) {
                response.with_header("retry-after", RETRY_AFTER_SECONDS)
            } else {
                response
            }
        }
    }
}
