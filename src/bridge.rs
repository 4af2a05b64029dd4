//! One request from JSON to contact, the same for every source: validate, fill the source's
//! defaults, check the instance, call Connect within the invocation's deadline, log the outcome.

use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use std::num::NonZeroU32;
use std::sync::Arc;

use governor::{DefaultDirectRateLimiter, Quota, RateLimiter};
use serde_json::Value;
use tracing::{Instrument, info, warn};

use crate::config::{Home, Settings};
use crate::connect::{Connect, CreatedContact};
use crate::error::{ConnectError, ConnectErrorKind, ContactError};
use crate::idempotency::derive_client_token;
use crate::metrics::Metrics;
use crate::outcome::{Background, Delivery, OutcomeEvent, OutcomeSink, Producer};
use crate::request::{
    OperationName, Request, RequestDefaults, ValidationErrors, Violation, ViolationKind,
    parse_operation, parse_payload, payload_body, payload_correlation_id, pointer,
};
use crate::source::Source;

/// Time kept back from the invocation's deadline to report an outcome before Lambda stops us.
pub const ANSWER_MARGIN: Duration = Duration::from_millis(500);

/// Time an SQS batch keeps back, beyond [`ANSWER_MARGIN`], to publish its outcome events after
/// its last call (one PutEvents call, typically tens of milliseconds): the records' calls end
/// early enough that the events of those that finished are published whatever the slowest did.
pub const PUBLISH_RESERVE: Duration = Duration::from_secs(1);

/// 2001-09-09 in milliseconds since the epoch: a Runtime API deadline below it cannot be an
/// epoch time (see [`Deadline::from_epoch_millis`]).
pub const EPOCH_MILLIS_FLOOR: u64 = 1_000_000_000_000;

/// When the invocation must have answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Deadline(Option<Instant>);

impl Deadline {
    /// No deadline (local runs without one).
    pub const NONE: Deadline = Deadline(None);

    /// From Lambda's deadline, in milliseconds since the epoch (0: none).
    ///
    /// A value below [`EPOCH_MILLIS_FLOOR`] is taken as a duration from now: `cargo lambda
    /// watch` sends the constant `600000` (its 10-minute timeout), not an epoch time, and read
    /// as 1970 it would leave no time for any call. Lambda's own deadlines are epoch times, far
    /// above the floor, and are read as such.
    pub fn from_epoch_millis(millis: u64) -> Self {
        if millis == 0 {
            return Deadline::NONE;
        }
        if millis < EPOCH_MILLIS_FLOOR {
            return Deadline::after(Duration::from_millis(millis));
        }
        let at = UNIX_EPOCH + Duration::from_millis(millis);
        let left = at
            .duration_since(SystemTime::now())
            .unwrap_or(Duration::ZERO);
        Deadline(Some(Instant::now() + left))
    }

    pub fn after(duration: Duration) -> Self {
        Deadline(Some(Instant::now() + duration))
    }

    /// The same deadline, `reserve` earlier: what is left for work that must finish before
    /// something else that also has to fit.
    pub fn reserving(self, reserve: Duration) -> Self {
        Deadline(
            self.0
                .map(|at| at.checked_sub(reserve).unwrap_or_else(Instant::now)),
        )
    }

    /// How long a Connect call may take and still leave [`ANSWER_MARGIN`]; `None` is unbounded.
    pub fn call_budget(&self) -> Option<Duration> {
        self.0.map(|at| {
            at.saturating_duration_since(Instant::now())
                .saturating_sub(ANSWER_MARGIN)
        })
    }
}

/// Where one request came from: the source, its id for the event, and what the event supplies
/// when the request leaves a member out.
#[derive(Debug, Clone)]
pub struct Origin<'a> {
    pub source: Source,
    /// The source's id for the event (SQS messageId, EventBridge event id, API request id, flow
    /// ContactId, Lambda request id): logged as `source_id`, never content.
    pub id: &'a str,
    pub defaults: SourceDefaults,
    /// The producer's correlation value from the event itself (an SQS message attribute, a flow
    /// parameter); one beside the payload's operation wins.
    pub correlation_id: Option<String>,
    /// Who sent the event, as the source states it (for the outcome event).
    pub producer: Option<Producer>,
}

/// What a source read from its event: a payload (one member naming the operation, or a bare
/// CreateContact request), or the body of an operation the event itself names (a flow's
/// `Operation` parameter, an EventBridge detail-type).
#[derive(Debug, Clone, Copy)]
pub enum Payload<'a> {
    Any(&'a Value),
    Of(OperationName, &'a Value),
}

/// What the event supplies when the request leaves a member out.
#[derive(Debug, Clone, Default)]
pub struct SourceDefaults {
    /// The instance of the event itself (a Connect flow's), before `CONNECT_INSTANCE_ID`.
    pub instance_id: Option<String>,
    /// Derived from the event's identity, so a redelivery reuses it (see
    /// [`crate::idempotency::derive_client_token`]).
    pub client_token: Option<String>,
    /// When the event was sent, in seconds since the epoch, as the event says (SQS
    /// `SentTimestamp`, EventBridge `time`, API Gateway's request time); `None`: now. The
    /// policy's windows are taken from it, so that a redelivery falls in the same window.
    pub event_time: Option<i64>,
}

/// One request's outcome: the contact or the error, and the event that reports it.
#[derive(Debug)]
pub struct Handled {
    pub result: Result<CreatedContact, ContactError>,
    pub event: OutcomeEvent,
}

impl Handled {
    /// Whether the source must hand the request back for a retry (an SQS record listed in
    /// `batchItemFailures`, a function error, a 5xx), given how its outcome event fared: when
    /// the event was not published, so that the retry publishes it; when the error may pass; and
    /// when a permanent error reached no one else (no outcome bus), as without outcome events.
    /// A permanent error whose event was published is not retried: the producer has it, and a
    /// retry cannot mend it.
    pub fn needs_retry(&self, delivery: Delivery) -> bool {
        match (&self.result, delivery) {
            (_, Delivery::Failed) => true,
            (Ok(_), _) => false,
            (Err(error), _) if error.is_retryable() => true,
            (Err(_), Delivery::Published) => false,
            (Err(_), Delivery::Off) => true,
        }
    }

    /// What a source answers: the request's own result, except that a contact whose event was
    /// not published is an `OutcomeNotPublished` error, so that the source's retry publishes it.
    pub fn answer(self, delivery: Delivery) -> Result<CreatedContact, ContactError> {
        match (self.result, delivery) {
            (Ok(contact), Delivery::Failed) => Err(ContactError::OutcomeNotPublished {
                contact_id: contact.contact_id,
            }),
            (result, _) => result,
        }
    }
}

/// The settings, the Connect client and the metrics: everything a request needs besides its event.
pub struct Bridge<C> {
    pub settings: Settings,
    pub connect: C,
    /// Shared with background publications.
    metrics: Arc<Metrics>,
    /// `MAX_CALLS_PER_SECOND`, evenly spaced (no burst), shared by all calls of this environment.
    limiter: Option<DefaultDirectRateLimiter>,
    /// Where outcome events go (`OUTCOME_EVENT_BUS`); `None`: none are published.
    outcomes: Option<Arc<dyn OutcomeSink>>,
    /// Publications a flow's caller does not wait for.
    background: Background,
    /// The function's own partition, Region and account, from the first invocation's function
    /// ARN (unknown outside Lambda).
    home: std::sync::OnceLock<Home>,
}

impl<C: Connect> Bridge<C> {
    /// A bridge that emits no metrics (see [`Bridge::with_metrics`]).
    pub fn new(settings: Settings, connect: C) -> Self {
        let limiter = settings
            .max_calls_per_second
            .map(|rate| RateLimiter::direct(Quota::per_second(rate).allow_burst(NonZeroU32::MIN)));
        Bridge {
            settings,
            connect,
            metrics: Arc::new(Metrics::disabled()),
            limiter,
            outcomes: None,
            background: Background::default(),
            home: std::sync::OnceLock::new(),
        }
    }

    /// Learns the function's home from the ARN Lambda invokes it by (the same for every
    /// invocation of the process).
    pub fn learn_home(&self, invoked_function_arn: &str) {
        if self.home.get().is_none()
            && let Some(home) = Home::from_function_arn(invoked_function_arn)
        {
            let _ = self.home.set(home);
        }
    }

    pub fn with_metrics(mut self, metrics: Metrics) -> Self {
        self.metrics = Arc::new(metrics);
        self
    }

    /// Publishes an outcome event for every request to `sink`.
    pub fn with_outcomes(mut self, sink: Arc<dyn OutcomeSink>) -> Self {
        self.outcomes = Some(sink);
        self
    }

    /// Whether outcome events are published (`OUTCOME_EVENT_BUS` is set).
    pub fn publishes_outcomes(&self) -> bool {
        self.outcomes.is_some()
    }

    /// Publishes the events, giving up in time to answer before the deadline; how each fared.
    pub async fn publish(&self, events: &[OutcomeEvent], deadline: Deadline) -> Vec<Delivery> {
        match &self.outcomes {
            None => vec![Delivery::Off; events.len()],
            Some(sink) => publish_to(&**sink, &self.metrics, events, deadline.call_budget()).await,
        }
    }

    /// Publishes one request's event (see [`Bridge::publish`]).
    pub async fn publish_one(&self, event: &OutcomeEvent, deadline: Deadline) -> Delivery {
        let deliveries = self.publish(std::slice::from_ref(event), deadline).await;
        deliveries.first().copied().unwrap_or(Delivery::Failed)
    }

    /// Publishes the event without keeping anyone waiting (a flow's caller): in the background,
    /// within the invocation's deadline, finished by [`Bridge::finish_background`].
    pub fn publish_in_background(&self, event: OutcomeEvent, deadline: Deadline) {
        let Some(sink) = self.outcomes.clone() else {
            return;
        };
        let metrics = self.metrics.clone();
        let budget = deadline.call_budget();
        self.background.spawn(async move {
            publish_to(&*sink, &metrics, &[event], budget).await;
        });
    }

    /// Waits for the background publications: after the answer, before the next invocation.
    pub async fn finish_background(&self) {
        self.background.finish().await;
    }

    /// Holds the payload to the policy (when there is one), validates it, fills the defaults
    /// (the event's, then the settings'), holds it to the policy's destinations and window, and
    /// checks the instance.
    pub fn prepare(
        &self,
        source: Source,
        payload: Payload<'_>,
        defaults: SourceDefaults,
    ) -> Result<Request, ContactError> {
        let settings = &self.settings;
        // The policy's rules for this source and operation, and the payload with its fixed
        // values filled in.
        let (rules, patched) = match (&settings.policy, payload_of(payload)) {
            (Some(policy), Some((operation, body, at))) => {
                let Some(rules) = policy.rules(source.policy_name(), operation) else {
                    return Err(ContactError::Refused(ValidationErrors::refusal(
                        Some(operation.as_str()),
                        vec![Violation {
                            path: at,
                            kind: ViolationKind::OperationNotAllowed {
                                source: source.policy_name(),
                                operation: operation.as_str(),
                            },
                        }],
                    )));
                };
                let body = rules.apply(operation, body, &at).map_err(|refusals| {
                    ContactError::Refused(ValidationErrors::refusal(
                        Some(operation.as_str()),
                        refusals,
                    ))
                })?;
                let patched = with_body(payload, &at, body);
                (Some((rules, at)), Some(patched))
            }
            _ => (None, None),
        };
        let payload = match &patched {
            Some((Some(operation), value)) => Payload::Of(*operation, value),
            Some((None, value)) => Payload::Any(value),
            None => payload,
        };
        let request_defaults = RequestDefaults {
            instance_id: defaults
                .instance_id
                .as_deref()
                .or(settings.default_instance_id.as_deref()),
            contact_flow_id: settings.default_contact_flow_id.as_deref(),
            queue_id: settings.default_queue_id.as_deref(),
            now: None,
        };
        let mut request = match payload {
            Payload::Any(value) => parse_payload(value, &request_defaults)?,
            Payload::Of(operation, value) => parse_operation(operation, value, &request_defaults)?,
        };
        request.default_client_token(defaults.client_token);
        if let Some((rules, at)) = rules
            && let Some((member, destination)) = request.destination()
        {
            if !rules.permits_destination(destination) {
                return Err(ContactError::Refused(ValidationErrors::refusal(
                    Some(request.operation().as_str()),
                    vec![Violation {
                        path: pointer(&at, member),
                        kind: ViolationKind::DestinationNotAllowed,
                    }],
                )));
            }
            if let Some(minutes) = rules.once_per_destination_minutes {
                let token = once_per_window_token(
                    request.operation(),
                    destination,
                    defaults.event_time,
                    minutes,
                );
                request.replace_client_token(token);
            }
        }
        settings.check_instance(request.instance_id(), self.home.get())?;
        Ok(request)
    }

    /// Sends a prepared request, giving up in time to answer before the deadline.
    pub async fn create(
        &self,
        source: Source,
        request: &Request,
        deadline: Deadline,
    ) -> Result<CreatedContact, ContactError> {
        if let Err(error) = self.wait_for_rate_limit(deadline).await {
            return Err(self.fail(source, request, error.into(), None));
        }
        let started = Instant::now();
        let call = self.connect.start_contact(request);
        let (outcome, latency) = match deadline.call_budget() {
            None => (call.await, Some(started.elapsed())),
            Some(budget) if budget.is_zero() => (Err(deadline_error()), None),
            Some(budget) => {
                let outcome = tokio::time::timeout(budget, call)
                    .await
                    .unwrap_or_else(|_| Err(deadline_error()));
                (outcome, Some(started.elapsed()))
            }
        };
        match outcome {
            Ok(contact) => {
                let message = if self.connect.is_dry_run() {
                    "dry run: contact not created, Amazon Connect not called"
                } else {
                    "contact created"
                };
                info!(
                    operation = %request.operation(),
                    instance_id = %request.instance_id(),
                    contact_id = %contact.contact_id,
                    "{message}"
                );
                let operation = Some(request.operation().as_str());
                self.metrics
                    .record(source.name(), operation, &Ok(()), latency);
                Ok(contact)
            }
            Err(error) => Err(self.fail(source, request, error.into(), latency)),
        }
    }

    /// Logs and counts a failed call; returns the error.
    fn fail(
        &self,
        source: Source,
        request: &Request,
        error: ContactError,
        latency: Option<Duration>,
    ) -> ContactError {
        let error = match error {
            ContactError::Connect(e) => ContactError::Connect(e.during(request.operation())),
            other => other,
        };
        // By code, status and request ID: never Connect's message, which may repeat values.
        let (status, aws_request_id) = match &error {
            ContactError::Connect(e) => (e.status, e.request_id.as_deref()),
            _ => (None, None),
        };
        warn!(
            operation = %request.operation(),
            instance_id = %request.instance_id(),
            error = error.kind(),
            retryable = error.is_retryable(),
            status,
            aws_request_id,
            "Connect call failed"
        );
        let operation = Some(request.operation().as_str());
        self.metrics
            .record(source.name(), operation, &Err(&error), latency);
        error
    }

    /// Waits for a `MAX_CALLS_PER_SECOND` permit, as long as the deadline allows; a request that
    /// cannot start in time fails as throttled (retryable: SQS redelivers it), never dropped.
    async fn wait_for_rate_limit(&self, deadline: Deadline) -> Result<(), ConnectError> {
        let Some(limiter) = &self.limiter else {
            return Ok(());
        };
        let waited = match deadline.call_budget() {
            None => {
                limiter.until_ready().await;
                true
            }
            Some(budget) => tokio::time::timeout(budget, limiter.until_ready())
                .await
                .is_ok(),
        };
        if waited {
            Ok(())
        } else {
            Err(ConnectError::new(
                ConnectErrorKind::Throttling,
                "RateLimited",
                "MAX_CALLS_PER_SECOND left no time to call Connect before the deadline",
            ))
        }
    }

    /// The one path of every request, from any source: in a span naming the source and its id
    /// for the event, [`Bridge::prepare`] then [`Bridge::create`], or, when the source could not
    /// read a request from its event, the reason, refused as [`Bridge::reject`] refuses. Each
    /// outcome is logged and counted once, and described by its outcome event (which the source
    /// publishes, see [`Bridge::publish`]).
    pub async fn handle(
        &self,
        origin: Origin<'_>,
        payload: Result<Payload<'_>, ContactError>,
        deadline: Deadline,
    ) -> Handled {
        let source = origin.source;
        let source_id = loggable_id(origin.id);
        let span = tracing::info_span!(
            "request",
            source = source.name(),
            source_id = %source_id
        );
        async move {
            let correlation_id = match &payload {
                Ok(Payload::Any(value)) => payload_correlation_id(value).map(str::to_owned),
                _ => None,
            }
            .or(origin.correlation_id);
            let (result, operation, instance_id) =
                match payload.and_then(|payload| self.prepare(source, payload, origin.defaults)) {
                    Ok(request) => {
                        let result = self.create(source, &request, deadline).await;
                        let instance_id = request.instance_id().to_owned();
                        (
                            result,
                            Some(request.operation().as_str()),
                            Some(instance_id),
                        )
                    }
                    Err(error) => {
                        let operation = error.operation();
                        (Err(self.reject(source, error)), operation, None)
                    }
                };
            let event = OutcomeEvent::of(
                source.name(),
                &source_id,
                operation,
                instance_id.as_deref(),
                correlation_id,
                origin.producer,
                &result,
            );
            Handled { result, event }
        }
        .instrument(span)
        .await
    }

    /// Logs and counts a request turned away before Connect; returns the error. Private: every
    /// refusal goes through [`Bridge::handle`], so none can skip the log line or the metric.
    fn reject(&self, source: Source, error: ContactError) -> ContactError {
        warn!(
            error = error.kind(),
            "request rejected before calling Connect"
        );
        self.connect.show_refusal(&error);
        self.metrics
            .record(source.name(), error.operation(), &Err(&error), None);
        error
    }
}

/// The operation of a payload, its body, and the body's JSON Pointer in the payload.
fn payload_of<'a>(payload: Payload<'a>) -> Option<(OperationName, &'a Value, String)> {
    match payload {
        Payload::Any(value) => payload_body(value),
        Payload::Of(operation, value) => Some((operation, value, String::new())),
    }
}

/// The payload with its operation's body, at `at` (as [`payload_of`] found it), replaced by
/// `body`: the operation when the payload is a body of one (`Payload::Of`), else `None` and the
/// whole payload, still read as a payload (the members beside the operation are checked as
/// before).
fn with_body(payload: Payload<'_>, at: &str, body: Value) -> (Option<OperationName>, Value) {
    match payload {
        Payload::Of(operation, _) => (Some(operation), body),
        // A bare CreateContact request: the body is the payload.
        Payload::Any(_) if at.is_empty() => (None, body),
        Payload::Any(value) => {
            let mut whole = value.clone();
            // An operation's name, so its pointer needs no unescaping.
            whole[&at[1..]] = body;
            (None, whole)
        }
    }
}

/// The ClientToken of a policy's one outbound contact per destination and window: the same for
/// every request to `destination` in the same window of `minutes`, aligned to the UTC clock and
/// taken from the event's own time, so that a repeat inside the window gets the same contact and
/// Connect enforces it with no database.
pub fn once_per_window_token(
    operation: OperationName,
    destination: &str,
    event_time: Option<i64>,
    minutes: u64,
) -> String {
    let now = event_time.unwrap_or_else(|| {
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs() as i64)
    });
    let window = (minutes * 60) as i64;
    let start = now.div_euclid(window) * window;
    derive_client_token(
        "once-per-destination",
        &[
            operation.as_str(),
            destination,
            &start.to_string(),
            &minutes.to_string(),
        ],
    )
}

/// Publishes `events` to `sink`, for at most `budget`; how each fared, counted in `metrics`.
async fn publish_to(
    sink: &dyn OutcomeSink,
    metrics: &Metrics,
    events: &[OutcomeEvent],
    budget: Option<Duration>,
) -> Vec<Delivery> {
    let Some(first) = events.first() else {
        return Vec::new();
    };
    let accepted = match budget {
        None => sink.publish(events).await,
        Some(budget) => tokio::time::timeout(budget, sink.publish(events))
            .await
            .unwrap_or_else(|_| {
                warn!(
                    entries = events.len(),
                    "outcome events not published before the deadline"
                );
                vec![false; events.len()]
            }),
    };
    let deliveries: Vec<Delivery> = (0..events.len())
        .map(|i| match accepted.get(i) {
            Some(true) => Delivery::Published,
            _ => Delivery::Failed,
        })
        .collect();
    let failed = deliveries
        .iter()
        .filter(|d| **d == Delivery::Failed)
        .count();
    metrics.record_outcome_events(first.source, events.len() - failed, failed);
    deliveries
}

/// The longest source id logged (and put in outcome events) as it is.
const MAX_LOGGED_ID_CHARS: usize = 128;

/// A source's id for its event as the logs and outcome events carry it: itself when it looks like
/// an ID (at most [`MAX_LOGGED_ID_CHARS`] letters, digits and `-_.:/=+`), else a digest of it. AWS
/// sets these ids, but a direct invocation can send an event of any shape, with an "id" of any
/// length and content, which must not reach a log line.
pub fn loggable_id(id: &str) -> std::borrow::Cow<'_, str> {
    let id_like = id.len() <= MAX_LOGGED_ID_CHARS
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_.:/=+".contains(&b));
    if id_like {
        std::borrow::Cow::Borrowed(id)
    } else {
        std::borrow::Cow::Owned(crate::idempotency::id_digest(id))
    }
}

fn deadline_error() -> ConnectError {
    ConnectError::new(
        ConnectErrorKind::Unavailable,
        "Timeout",
        "no time left before the invocation's deadline to finish the call",
    )
}
