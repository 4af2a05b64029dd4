//! API Gateway REST API (proxy), HTTP API (payload 2.0) and Lambda function URLs.
//!
//! Every outcome is an HTTP response with a JSON body, never a function error (API Gateway would
//! turn that into a bare 502).

use std::collections::BTreeMap;

use aws_lambda_events::event::apigw::{ApiGatewayProxyRequest, ApiGatewayV2httpRequest};
use aws_lambda_events::event::lambda_function_urls::LambdaFunctionUrlRequest;
use aws_lambda_events::http::HeaderMap;
use base64::Engine;
use serde::Serialize;
use serde_json::{Value, json};
use tracing::Instrument;

use crate::bridge::{Bridge, Deadline, SourceDefaults, derive_client_token};
use crate::connect::CreateContact;
use crate::error::{ConnectErrorKind, ContactError};
use crate::json::parse_strict;
use crate::request::ValidationErrors;

pub const SOURCE: &str = "http";

/// Seconds a throttled or unavailable caller is asked to wait.
const RETRY_AFTER_SECONDS: &str = "1";

/// The three HTTP event shapes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HttpShape {
    /// API Gateway REST API, proxy integration (`httpMethod`).
    RestApi,
    /// API Gateway HTTP API, payload format 2.0 (`version: "2.0"`, `requestContext.http`).
    HttpApi,
    /// A Lambda function URL (payload 2.0 on a `*.lambda-url.*` domain).
    FunctionUrl,
}

impl HttpShape {
    pub fn recognise(event: &Value) -> Option<HttpShape> {
        let context = event.get("requestContext")?;
        if event.get("httpMethod").is_some() {
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
struct HttpCall {
    method: String,
    headers: HeaderMap,
    body: Option<String>,
    is_base64_encoded: bool,
    dry_run: bool,
    request_id: Option<String>,
}

fn read(shape: HttpShape, event: Value) -> Result<HttpCall, serde_json::Error> {
    Ok(match shape {
        HttpShape::RestApi => {
            let e: ApiGatewayProxyRequest = serde_json::from_value(event)?;
            HttpCall {
                method: e.http_method.to_string(),
                dry_run: e.query_string_parameters.first("dryRun") == Some("true"),
                headers: e.headers,
                body: e.body,
                is_base64_encoded: e.is_base64_encoded,
                request_id: e.request_context.request_id,
            }
        }
        HttpShape::HttpApi => {
            let e: ApiGatewayV2httpRequest = serde_json::from_value(event)?;
            HttpCall {
                method: e.request_context.http.method.to_string(),
                dry_run: e.query_string_parameters.first("dryRun") == Some("true"),
                headers: e.headers,
                body: e.body,
                is_base64_encoded: e.is_base64_encoded,
                request_id: e.request_context.request_id,
            }
        }
        HttpShape::FunctionUrl => {
            let e: LambdaFunctionUrlRequest = serde_json::from_value(event)?;
            HttpCall {
                method: e.request_context.http.method.unwrap_or_default(),
                dry_run: e.query_string_parameters.get("dryRun").map(String::as_str)
                    == Some("true"),
                headers: e.headers,
                body: e.body,
                is_base64_encoded: e.is_base64_encoded,
                request_id: e.request_context.request_id,
            }
        }
    })
}

/// Answers one HTTP event.
pub async fn handle<C: CreateContact>(
    bridge: &Bridge<C>,
    shape: HttpShape,
    event: Value,
    deadline: Deadline,
) -> HttpResponse {
    let call = match read(shape, event) {
        Ok(call) => call,
        Err(_) => {
            return HttpResponse::json(
                400,
                &json!({"message": "the event is not a valid API Gateway or function URL request"}),
            );
        }
    };
    let request_id = call.request_id.clone().unwrap_or_default();
    let span = tracing::info_span!("request", source = SOURCE, source_id = %request_id);
    respond(bridge, call, deadline).instrument(span).await
}

async fn respond<C: CreateContact>(
    bridge: &Bridge<C>,
    call: HttpCall,
    deadline: Deadline,
) -> HttpResponse {
    if !call.method.eq_ignore_ascii_case("POST") {
        return HttpResponse::json(405, &json!({"message": "only POST is accepted"}))
            .with_header("allow", "POST");
    }
    let body = match decode_body(&call) {
        Ok(body) => body,
        Err(error) => return error_response(&bridge.reject(SOURCE, error)),
    };
    let defaults = SourceDefaults {
        source: SOURCE,
        instance_id: None,
        client_token: default_token(&call),
    };
    if call.dry_run {
        return match bridge.prepare(&body, defaults) {
            Ok(request) => HttpResponse::json(200, &json!({ "request": request })),
            Err(error) => error_response(&error),
        };
    }
    match bridge.submit(&body, defaults, deadline).await {
        Ok(contact) => HttpResponse::json(201, &json!(contact)),
        Err(error) => error_response(&error),
    }
}

/// From the `Idempotency-Key` header (any case), else from API Gateway's request id.
fn default_token(call: &HttpCall) -> Option<String> {
    let key = call
        .headers
        .get("idempotency-key")
        .and_then(|v| v.to_str().ok())
        .filter(|k| !k.is_empty());
    match (key, &call.request_id) {
        (Some(key), _) => Some(derive_client_token("http-idempotency-key", &[key])),
        (None, Some(id)) if !id.is_empty() => Some(derive_client_token(SOURCE, &[id])),
        _ => None,
    }
}

fn decode_body(call: &HttpCall) -> Result<Value, ContactError> {
    let invalid = |message: String| ContactError::Invalid(ValidationErrors::one("", message));
    let body = call.body.as_deref().unwrap_or_default();
    if body.is_empty() {
        return Err(invalid(
            "the request body is empty; expected a CreateContact request".to_owned(),
        ));
    }
    let bytes = if call.is_base64_encoded {
        base64::engine::general_purpose::STANDARD
            .decode(body)
            .map_err(|_| invalid("the request body is not valid base64".to_owned()))?
    } else {
        body.as_bytes().to_vec()
    };
    parse_strict(&bytes).map_err(|e| ContactError::Invalid(e.into_validation("the request body")))
}

/// The HTTP answer to a failure; never repeats what Connect said of our own configuration.
pub fn error_response(error: &ContactError) -> HttpResponse {
    use ConnectErrorKind as Kind;
    match error {
        ContactError::Invalid(errors) => HttpResponse::json(
            400,
            &json!({"message": errors.to_string(), "errors": errors.violations()}),
        ),
        ContactError::InstanceNotAllowed { .. } => HttpResponse::json(
            403,
            &json!({"message": error.to_string(), "error": error.kind()}),
        ),
        ContactError::Connect(e) => {
            let (status, message) = match e.kind {
                Kind::Throttling => (429, e.to_string()),
                Kind::Unavailable if matches!(e.code.as_str(), "Timeout" | "NetworkError") => {
                    (503, e.to_string())
                }
                Kind::Unavailable => (502, e.to_string()),
                Kind::InvalidRequest => (400, e.to_string()),
                Kind::NotFound => (404, e.to_string()),
                Kind::Conflict => (409, e.to_string()),
                Kind::QuotaExceeded => (403, e.to_string()),
                Kind::AccessDenied | Kind::Internal => (
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
