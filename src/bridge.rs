//! One request from JSON to contact, the same for every source: validate, fill the source's
//! defaults, check the instance, call Connect within the invocation's deadline, log the outcome.

use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use std::sync::Arc;

use tracing::{Instrument, debug, info, warn};

pub use crate::admission::Payload;
use crate::admission::admit;
use crate::config::{Home, Settings};
use crate::connect::{Connect, CreatedContact};
use crate::error::{ConnectError, ConnectErrorKind, ContactError};
use crate::idempotency::{loggable_id, once_per_window_token};
use crate::metrics::Metrics;
use crate::outcome::{Background, Delivery, OutcomeEvent, OutcomeSink, Producer};
use crate::pacing::{Backoff, MIN_CALL_TIME, Pacer};
use crate::request::{
    OperationName, Request, RequestDefaults, ValidationErrors, Violation, ViolationKind,
    parse_operation, parse_payload, payload_correlation_id,
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

    /// Whether the request was never sent: the pace gave it no turn before the deadline.
    pub fn was_deferred(&self) -> bool {
        matches!(&self.result, Err(ContactError::Connect(e)) if e.kind == ConnectErrorKind::Deferred)
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
    /// The pace of this environment's bulk calls ([`Settings::bulk_ceiling`]); `None`: not paced.
    pacer: Option<Pacer>,
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
        let pacer = settings.bulk_ceiling().map(Pacer::new);
        Bridge {
            settings,
            connect,
            metrics: Arc::new(Metrics::disabled()),
            pacer,
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

    /// This environment's pace for bulk calls now, in calls per second (`None`: not paced).
    pub fn pace_rate(&self) -> Option<f64> {
        self.pacer.as_ref().map(Pacer::rate)
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
        let admitted = admit(settings.policy.as_ref(), source, payload)?;
        let payload = match &admitted.patched {
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
        if let Some((rules, at)) = admitted.rules_of(request.operation())
            && let Some((member, destination)) = request.destination()
        {
            if !rules.permits_destination(destination) {
                return Err(ContactError::Refused(ValidationErrors::refusal(
                    Some(request.operation()),
                    vec![Violation {
                        path: format!("{at}{member}"),
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

    /// Sends a prepared request, giving up in time to answer before the deadline. A bulk
    /// source's call waits for its turn in this environment's pace, and a throttled one takes
    /// another turn while the deadline allows; a waiting caller's call goes at once, and a
    /// throttled one is retried after a jittered backoff while the deadline leaves time for it
    /// (docs/quota.md).
    pub async fn create(
        &self,
        source: Source,
        request: &Request,
        deadline: Deadline,
    ) -> Result<CreatedContact, ContactError> {
        let bulk = source.is_bulk();
        // Seeded only if a waiting caller's call is throttled.
        let mut backoff: Option<Backoff> = None;
        let mut last_error: Option<ConnectError> = None;
        for attempt in 0.. {
            if bulk
                && let Some(pacer) = &self.pacer
                && pacer.turn(deadline.call_budget()).await.is_err()
            {
                // A record tried before keeps its last error; one never tried is deferred.
                let error = last_error.unwrap_or_else(|| deferred_error(request.operation()));
                return Err(self.fail(source, request, error.into(), None));
            }
            let (outcome, latency) = self.call(request, bulk, deadline).await;
            let throttled = matches!(&outcome, Err(e) if e.kind == ConnectErrorKind::Throttling);
            self.pace_after(&outcome, throttled);
            // A paced bulk call makes one attempt: the pace also retries what the SDK would
            // (Connect's 5xx, a failed connection), but not a call the deadline cut short.
            let passing = throttled
                || bulk
                    && matches!(&outcome, Err(e) if e.kind == ConnectErrorKind::Unavailable
                        && e.code != DEADLINE_CODE);
            match outcome {
                Ok(contact) => return Ok(self.created(source, request, contact, latency)),
                Err(error)
                    if passing
                        && self
                            .tries_again(bulk, attempt, &mut backoff, deadline)
                            .await =>
                {
                    debug!(
                        operation = %request.operation(),
                        attempt,
                        error = %error.code,
                        "Connect call failed; trying again"
                    );
                    last_error = Some(error);
                }
                Err(error) => {
                    // A retry cut short by the deadline failed as the try before it did.
                    let error = match last_error {
                        Some(throttle) if error.code == DEADLINE_CODE => throttle,
                        _ => error,
                    };
                    return Err(self.fail(source, request, error.into(), latency));
                }
            }
        }
        unreachable!("the attempts are unbounded; each ends in a return")
    }

    /// One Connect call within the deadline, and how long it took (`None`: not sent).
    async fn call(
        &self,
        request: &Request,
        bulk: bool,
        deadline: Deadline,
    ) -> (Result<CreatedContact, ConnectError>, Option<Duration>) {
        let started = Instant::now();
        let operation = request.operation();
        let budget = deadline.call_budget();
        if budget.is_some_and(|b| b.is_zero()) {
            return (Err(deadline_error(operation)), None);
        }
        let outcome = if bulk && self.pacer.is_some() {
            within(operation, budget, self.connect.start_bulk_contact(request)).await
        } else {
            within(operation, budget, self.connect.start_contact(request)).await
        };
        (outcome, Some(started.elapsed()))
    }

    /// Tells the pace how a call fared, bulk or not: Connect's quota is the environment's.
    fn pace_after(&self, outcome: &Result<CreatedContact, ConnectError>, throttled: bool) {
        let Some(pacer) = &self.pacer else {
            return;
        };
        match self.connect.throttles() {
            Some(counter) => pacer.observe(counter, outcome.is_ok()),
            None if throttled => pacer.throttled(),
            None if outcome.is_ok() => pacer.succeeded(),
            None => {}
        }
    }

    /// Whether a call that may pass is tried again: a paced bulk one (throttled, or Connect's 5xx)
    /// at its next turn, which decides whether there is time; a waiting caller's throttled one
    /// after a jittered backoff, when the deadline leaves time for the wait and a call. At most
    /// [`MAX_RETRIES`] times either way.
    async fn tries_again(
        &self,
        bulk: bool,
        attempt: u32,
        backoff: &mut Option<Backoff>,
        deadline: Deadline,
    ) -> bool {
        if bulk {
            return self.pacer.is_some() && attempt < MAX_RETRIES;
        }
        if attempt >= MAX_RETRIES {
            return false;
        }
        let wait = backoff.get_or_insert_with(Backoff::new).next_wait();
        if deadline
            .call_budget()
            .is_some_and(|budget| budget < wait + MIN_CALL_TIME)
        {
            return false;
        }
        tokio::time::sleep(wait).await;
        true
    }

    /// Logs and counts a new contact; returns it.
    fn created(
        &self,
        source: Source,
        request: &Request,
        contact: CreatedContact,
        latency: Option<Duration>,
    ) -> CreatedContact {
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
        let operation = Some(request.operation());
        self.metrics
            .record(source.name(), operation, &Ok(()), latency);
        contact
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
        let operation = Some(request.operation());
        self.metrics
            .record(source.name(), operation, &Err(&error), latency);
        error
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
                        (result, Some(request.operation()), Some(instance_id))
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

/// The most times one request is tried again (its deadline usually stops it sooner; a local run
/// without one stops here).
pub const MAX_RETRIES: u32 = 20;

fn deferred_error(operation: OperationName) -> ConnectError {
    ConnectError::new(
        operation,
        ConnectErrorKind::Deferred,
        "RateLimited",
        "this environment's pace for bulk calls (CONNECT_QUOTA_PER_SECOND, MAX_CALLS_PER_SECOND) \
         gave the call no turn before the deadline; the record goes back to its queue",
    )
}

/// `call`, cut short after `budget` (`None`: never).
async fn within(
    operation: OperationName,
    budget: Option<Duration>,
    call: impl std::future::Future<Output = Result<CreatedContact, ConnectError>>,
) -> Result<CreatedContact, ConnectError> {
    match budget {
        None => call.await,
        Some(budget) => tokio::time::timeout(budget, call)
            .await
            .unwrap_or_else(|_| Err(deadline_error(operation))),
    }
}

/// The code of a call cut short by the invocation's deadline.
const DEADLINE_CODE: &str = "Timeout";

fn deadline_error(operation: OperationName) -> ConnectError {
    ConnectError::new(
        operation,
        ConnectErrorKind::Unavailable,
        DEADLINE_CODE,
        "no time left before the invocation's deadline to finish the call",
    )
}
