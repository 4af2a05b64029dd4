//! At Connect's API quota (docs/quota.md): the default deployment, simulated as it runs in
//! Lambda. A local Connect endpoint with one account-wide token bucket answers 429
//! ThrottlingException beyond it; an SQS event source mapping emulator (receive counts,
//! visibility timeout, maxReceiveCount, then the DLQ) feeds a backlog of CreateContact tasks to
//! several function processes, each an execution environment; meanwhile a Connect flow asks for a
//! callback every 2 s on an environment of its own. The settings are the template's defaults,
//! the 60 s visibility timeout included: a record returned to the queue costs the drain that.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use contact_bridge_test_support::connect_stub::{contact_answer, contact_id};
use contact_bridge_test_support::{QUEUE_ARN, sqs_record};
use serde_json::{Value, json};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

use super::report::{Table, Verdict};
use super::stats::percentile;
use super::{Binaries, Binary, Function, Result, env_at, progress};

const FLOW_CALLBACK: &str = include_str!("../../../../events/connect-flow-callback.json");

/// The template's defaults (template.yaml).
const ENVIRONMENTS: usize = 2;
const BATCH_SIZE: usize = 3;
const MAX_RECEIVE_COUNT: u32 = 10;
const VISIBILITY: Duration = Duration::from_secs(60);
// The invocation timeout (8 s) is the harness's own, as in the template.
const SDK_MAX_ATTEMPTS: &str = "3";
/// A flow asks for a callback this often.
const FLOW_EVERY: Duration = Duration::from_secs(2);
/// Connect's latency per call.
const LATENCY: Duration = Duration::from_millis(30);

// Targets (issue 21).
const MAX_THROTTLED_SHARE: f64 = 0.10;
const MAX_FLOW_P99: Duration = Duration::from_secs(3);
const MAX_DRAIN_OVER_IDEAL: f64 = 1.3;

/// One account's quota: a token bucket of `burst` tokens refilled at `rate` per second.
struct Bucket {
    rate: f64,
    burst: f64,
    tokens: f64,
    at: Instant,
}

impl Bucket {
    fn take(&mut self) -> bool {
        let now = Instant::now();
        let refill = (now - self.at).as_secs_f64() * self.rate;
        self.tokens = (self.tokens + refill).min(self.burst);
        self.at = now;
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            true
        } else {
            false
        }
    }
}

#[derive(Default)]
struct Seen {
    calls: usize,
    throttled: usize,
    /// Each task's contacts (by its Name), one per distinct ClientToken Connect accepted.
    contacts: BTreeMap<String, BTreeSet<String>>,
}

/// Connect behind one token bucket: a call within the quota gets the contact of its ClientToken
/// (the same token, the same contact), one beyond it a 429 ThrottlingException.
struct QuotaConnect {
    bucket: Mutex<Bucket>,
    seen: Arc<Mutex<Seen>>,
}

impl Respond for QuotaConnect {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let mut seen = self.seen.lock().unwrap();
        seen.calls += 1;
        if !self.bucket.lock().unwrap().take() {
            seen.throttled += 1;
            return ResponseTemplate::new(429)
                .insert_header("x-amzn-ErrorType", "ThrottlingException")
                .set_body_json(json!({"message": "Rate exceeded"}))
                .set_delay(LATENCY);
        }
        let body: Value = serde_json::from_slice(&request.body).unwrap_or(Value::Null);
        let id = contact_id(body["ClientToken"].as_str().unwrap_or("none"));
        let name = body["Name"].as_str().unwrap_or("flow").to_owned();
        seen.contacts.entry(name).or_default().insert(id.clone());
        let answer = contact_answer(request.url.path(), &id);
        ResponseTemplate::new(200)
            .set_body_json(answer)
            .set_delay(LATENCY)
    }
}

struct Message {
    id: String,
    body: String,
    visible_at: Instant,
    receives: u32,
    done: bool,
    dead: bool,
}

/// The queue, as the event source mapping sees it.
struct Queue {
    messages: Vec<Message>,
}

impl Queue {
    /// Up to `max` visible messages, oldest first, each received once more; a message received
    /// `MAX_RECEIVE_COUNT` times already goes to the DLQ instead.
    fn receive(&mut self, max: usize) -> Vec<usize> {
        let now = Instant::now();
        let mut batch = Vec::new();
        for (i, m) in self.messages.iter_mut().enumerate() {
            if batch.len() == max {
                break;
            }
            if m.done || m.dead || m.visible_at > now {
                continue;
            }
            if m.receives >= MAX_RECEIVE_COUNT {
                m.dead = true;
                continue;
            }
            m.receives += 1;
            m.visible_at = now + VISIBILITY;
            batch.push(i);
        }
        batch
    }

    fn outstanding(&self) -> usize {
        self.messages.iter().filter(|m| !m.done && !m.dead).count()
    }

    fn event(&self, batch: &[usize]) -> Vec<u8> {
        let records: Vec<Value> = batch
            .iter()
            .map(|&i| {
                let m = &self.messages[i];
                sqs_record(QUEUE_ARN, &m.id, &m.body, m.receives)
            })
            .collect();
        json!({ "Records": records }).to_string().into_bytes()
    }
}

/// One run's figures.
struct Figures {
    label: String,
    backlog: usize,
    calls: usize,
    throttled: usize,
    dead: usize,
    lost: usize,
    duplicated: usize,
    flow_calls: usize,
    flow_failed: usize,
    flow_p99: Duration,
    drain: Duration,
    ideal: Duration,
    deferred_receives: u32,
}

/// One drain of `backlog` tasks at a quota of `quota` per second (burst `burst`).
async fn drain(binaries: &Binaries, quota: u32, burst: u32, backlog: usize) -> Result<Figures> {
    let label = format!("quota {quota}/s burst {burst}, backlog {backlog}");
    progress(&format!("quota: {label}, a flow callback every 2 s"));
    let seen = Arc::new(Mutex::new(Seen::default()));
    let server = MockServer::builder()
        .disable_request_recording()
        .start()
        .await;
    Mock::given(method("PUT"))
        .respond_with(QuotaConnect {
            bucket: Mutex::new(Bucket {
                rate: f64::from(quota),
                burst: f64::from(burst),
                tokens: f64::from(burst),
                at: Instant::now(),
            }),
            seen: seen.clone(),
        })
        .mount(&server)
        .await;
    // The template's environment for every function.
    let quota_text = quota.to_string();
    let environments = ENVIRONMENTS.to_string();
    let env = env_at(
        &server.uri(),
        &[
            ("AWS_MAX_ATTEMPTS", SDK_MAX_ATTEMPTS),
            ("CONNECT_QUOTA_PER_SECOND", &quota_text),
            ("BULK_ENVIRONMENTS", &environments),
            (
                "POLICY",
                r#"{"sqs":{"*":{"destinations":["+1"]}},"connect_flow":{"*":{"destinations":["+1"]}}}"#,
            ),
        ],
    );
    let mut pollers = Vec::new();
    for _ in 0..ENVIRONMENTS {
        pollers.push(Function::start(binaries, Binary::Project, &env).await?);
    }
    let flow = Function::start(binaries, Binary::Project, &env).await?;

    let queue = Arc::new(Mutex::new(Queue {
        messages: (0..backlog)
            .map(|i| Message {
                id: format!("00000000-0000-4000-8000-{i:012}"),
                body: json!({"Channel": "TASK", "InitiationMethod": "API", "Name": format!("task-{i}")})
                    .to_string(),
                visible_at: Instant::now(),
                receives: 0,
                done: false,
                dead: false,
            })
            .collect(),
    }));
    let started = Instant::now();
    let pollers = Arc::new(pollers);
    let mut tasks = Vec::new();
    for e in 0..ENVIRONMENTS {
        let (queue, pollers) = (queue.clone(), pollers.clone());
        tasks.push(tokio::spawn(async move {
            loop {
                let (batch, event) = {
                    let mut q = queue.lock().unwrap();
                    if q.outstanding() == 0 {
                        return Ok::<(), String>(());
                    }
                    let batch = q.receive(BATCH_SIZE);
                    let event = q.event(&batch);
                    (batch, event)
                };
                if batch.is_empty() {
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
                let answer = pollers[e].invoke(&event).await.map_err(|e| e.to_string())?;
                let failed: BTreeSet<String> = answer.1["batchItemFailures"]
                    .as_array()
                    .ok_or_else(|| format!("not a batch answer: {}", answer.1))?
                    .iter()
                    .filter_map(|f| f["itemIdentifier"].as_str().map(str::to_owned))
                    .collect();
                let mut q = queue.lock().unwrap();
                for i in batch {
                    if !failed.contains(&q.messages[i].id) {
                        q.messages[i].done = true;
                    }
                }
            }
        }));
    }
    // The flow: a callback every 2 s while the backlog drains.
    let template: Value = serde_json::from_str(FLOW_CALLBACK)?;
    let mut flow_latencies = Vec::new();
    let mut flow_failed = 0;
    let mut n = 0u64;
    let mut next = Instant::now();
    while queue.lock().unwrap().outstanding() > 0 {
        tokio::time::sleep_until(next.into()).await;
        next += FLOW_EVERY;
        n += 1;
        let mut event = template.clone();
        let contact = format!("dddddddd-eeee-4fff-8000-{n:012}");
        event["Details"]["ContactData"]["ContactId"] = json!(contact);
        event["Details"]["ContactData"]["InitialContactId"] = json!(contact);
        let (latency, answer) = flow.invoke_any(event.to_string().as_bytes()).await?;
        flow_latencies.push(latency);
        if !answer["ContactId"].is_string() {
            flow_failed += 1;
        }
        if started.elapsed() > Duration::from_secs(1800) {
            return Err("the backlog did not drain in 30 minutes".into());
        }
    }
    let drain = started.elapsed();
    for task in tasks {
        task.await??;
    }
    for poller in Arc::try_unwrap(pollers).map_err(|_| "pollers still in use")? {
        poller.stop().await?;
    }
    flow.stop().await?;

    let seen = seen.lock().unwrap();
    let q = queue.lock().unwrap();
    let created = |name: &str| seen.contacts.get(name).map_or(0, BTreeSet::len);
    let names: Vec<String> = (0..backlog).map(|i| format!("task-{i}")).collect();
    let dead = q.messages.iter().filter(|m| m.dead).count();
    let lost = q
        .messages
        .iter()
        .zip(&names)
        .filter(|(m, name)| !m.dead && created(name) == 0)
        .count();
    let duplicated = names.iter().filter(|name| created(name) > 1).count();
    // Receives beyond the first of the messages that ended as one contact: each was a return.
    let deferred_receives = q
        .messages
        .iter()
        .map(|m| m.receives.saturating_sub(1))
        .sum();
    let flow_rate = 1.0 / FLOW_EVERY.as_secs_f64();
    let ideal = Duration::from_secs_f64(backlog as f64 / (f64::from(quota) - flow_rate));
    flow_latencies.sort();
    Ok(Figures {
        label,
        backlog,
        calls: seen.calls,
        throttled: seen.throttled,
        dead,
        lost,
        duplicated,
        flow_calls: flow_latencies.len(),
        flow_failed,
        flow_p99: percentile(&flow_latencies, 99.0),
        drain,
        ideal,
        deferred_receives,
    })
}

/// The scenario: the template's defaults at a quota of 2/s (burst 5) with a backlog of 200, then
/// at ten times both.
pub async fn run(binaries: &Binaries, table: &mut Table, notes: &mut Vec<String>) -> Result<()> {
    for (quota, burst, backlog) in [(2, 5, 200), (20, 50, 2000)] {
        let f = drain(binaries, quota, burst, backlog).await?;
        let l = &f.label;
        let share = f.throttled as f64 / f.calls.max(1) as f64;
        table.row(
            [
                &format!("quota ({l}): throttled calls"),
                "-",
                &format!("{} of {}", f.throttled, f.calls),
                &format!("{:.1}%", share * 100.0),
                &format!("< {:.0}%", MAX_THROTTLED_SHARE * 100.0),
            ],
            Verdict::of(share < MAX_THROTTLED_SHARE),
        );
        table.row(
            [
                &format!("quota ({l}): messages sent to the DLQ; lost; duplicated"),
                "-",
                &format!("{}; {}; {}", f.dead, f.lost, f.duplicated),
                &format!("of {}", f.backlog),
                "0; 0; 0",
            ],
            Verdict::of(f.dead == 0 && f.lost == 0 && f.duplicated == 0),
        );
        table.row(
            [
                &format!("quota ({l}): flow callers without a callback; flow p99"),
                "-",
                &format!(
                    "{} of {}; {:.2} s",
                    f.flow_failed,
                    f.flow_calls,
                    f.flow_p99.as_secs_f64()
                ),
                "-",
                &format!("0; < {} s", MAX_FLOW_P99.as_secs()),
            ],
            Verdict::of(f.flow_failed == 0 && f.flow_p99 < MAX_FLOW_P99),
        );
        let ratio = f.drain.as_secs_f64() / f.ideal.as_secs_f64();
        table.row(
            [
                &format!("quota ({l}): drain time"),
                "-",
                &format!("{:.0} s", f.drain.as_secs_f64()),
                &format!("{ratio:.2}x ideal {:.0} s", f.ideal.as_secs_f64()),
                &format!("≤ {MAX_DRAIN_OVER_IDEAL}x"),
            ],
            Verdict::of(ratio <= MAX_DRAIN_OVER_IDEAL),
        );
        notes.push(format!(
            "quota ({l}): {} receives beyond each message's first (records returned untried or \
             throttled to the end)",
            f.deferred_receives
        ));
    }
    Ok(())
}
