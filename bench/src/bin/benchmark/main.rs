//! The performance benchmark (docs/performance.md); run it with `bench/run`, which builds the
//! binaries it measures first.
//!
//! Runs the project's release binary and the floor (`bench/src/bin/floor.rs`) under a local Lambda
//! Runtime API (`test-support/src/runtime_api.rs`) against a local Connect endpoint (wiremock), side by
//! side and interleaved, and prints a Markdown table of the figures against their targets.
//!
//! Exits non-zero only when the harness fails (a binary missing, not starting, or answering
//! wrongly); a missed target is a FAIL in the table.

use std::error::Error;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

mod hostile;
mod quota;
mod report;
mod stats;
mod tls;

use contact_bridge_test_support::Captured;
use contact_bridge_test_support::connect_stub::ConnectStub;
use contact_bridge_test_support::runtime_api::{Outcome, RuntimeApi};
use contact_bridge_test_support::{INSTANCE, QUEUE_ARN};
use report::{Table, Verdict};
use serde_json::Value;
use stats::{median, mib, ms, percentile, size, us};
use tokio::process::Child;
use tokio::task::JoinHandle;

type Result<T, E = Box<dyn Error>> = std::result::Result<T, E>;

const DIRECT_TASK: &str = include_str!("../../../../events/direct-task.json");
/// Both binaries log at this level while timed (the project's metric lines still print).
const LOG_LEVEL: &str = "WARN";
/// How much of a function's output is kept, for error messages.
const OUTPUT_KEPT: usize = 4096;
/// The invocation timeout, as in the SAM template.
const TIMEOUT: Duration = Duration::from_secs(8);

// Targets (issue 6).
const COLD_INIT_MAX_RATIO: f64 = 1.15;
const WARM_P50_MAX_RATIO: f64 = 1.10;
const PEAK_RSS_MAX_RATIO: f64 = 1.25;
const SQS_MAX_OVER_IDEAL: f64 = 1.5;
const TRANSLATION_MAX_NS: f64 = 10_000.0;

/// What `--only` may name, in the order a full run measures them.
const SCENARIOS: &[&str] = &[
    "cold",
    "warm",
    "sqs",
    "rate",
    "tls",
    "hostile",
    "quota",
    "translation",
    "sizes",
];

/// How many samples; `--quick` takes fewer, for trying the harness out.
struct Plan {
    cold_starts: usize,
    warm_blocks: usize,
    warm_block_size: usize,
    warm_up: usize,
    sqs_repeats: usize,
    tls_starts: usize,
}

impl Plan {
    fn full() -> Plan {
        Plan {
            cold_starts: 40,
            warm_blocks: 50,
            warm_block_size: 20,
            warm_up: 50,
            sqs_repeats: 9,
            tls_starts: 20,
        }
    }

    fn quick() -> Plan {
        Plan {
            cold_starts: 5,
            warm_blocks: 5,
            warm_block_size: 20,
            warm_up: 10,
            sqs_repeats: 3,
            tls_starts: 5,
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Binary {
    Floor,
    Project,
}

impl Binary {
    fn name(self) -> &'static str {
        match self {
            Binary::Floor => "floor",
            Binary::Project => "project",
        }
    }
}

/// The binaries measured: fresh copies of the built ones, in a directory of our own.
struct Binaries {
    target_dir: PathBuf,
    /// Removed when done.
    work: PathBuf,
    floor: PathBuf,
    project: PathBuf,
}

impl Drop for Binaries {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.work);
    }
}

impl Binaries {
    /// `$CARGO_TARGET_DIR/release/`, else the release directory this harness runs from.
    /// `project` overrides the project's binary (e.g. to compare two builds of it).
    fn find(project: Option<PathBuf>) -> Result<Binaries> {
        let target_dir = match std::env::var_os("CARGO_TARGET_DIR") {
            Some(dir) => PathBuf::from(dir),
            None => {
                let exe = std::env::current_exe()?;
                // <target>/release/benchmark
                exe.ancestors()
                    .nth(2)
                    .ok_or("cannot tell the target directory from this executable's path")?
                    .to_path_buf()
            }
        };
        let release = target_dir.join("release");
        // The floor has a target directory of its own (bench/run says why).
        let built = [
            target_dir.join("floor/release/floor"),
            project.unwrap_or_else(|| release.join("contact-bridge")),
        ];
        for binary in &built {
            if !binary.is_file() {
                return Err(format!(
                    "{} is missing: build it first (bench/run does)",
                    binary.display()
                )
                .into());
            }
        }
        let work =
            std::env::temp_dir().join(format!("contact-bridge-bench-{}", std::process::id()));
        std::fs::create_dir_all(&work)?;
        let binaries = Binaries {
            floor: work.join("floor"),
            project: work.join("contact-bridge"),
            target_dir,
            work,
        };
        // Both files written the same way, just now: how much of its binary a process maps
        // (RSS), and how fast it starts, depend on the file's state in the page cache.
        std::fs::copy(&built[0], &binaries.floor)?;
        std::fs::copy(&built[1], &binaries.project)?;
        Ok(binaries)
    }

    fn path(&self, binary: Binary) -> &Path {
        match binary {
            Binary::Floor => &self.floor,
            Binary::Project => &self.project,
        }
    }
}

/// One running function: its own Runtime API (a killed process's pending `/next` poll would take
/// the next event of a shared one), the process, and the tasks draining its output.
struct Function {
    api: RuntimeApi,
    child: Child,
    pid: u32,
    /// When the process was started.
    started: Instant,
    init: Duration,
    /// The start of what it wrote, for error messages.
    output: Captured,
    drains: Vec<JoinHandle<()>>,
}

/// What a function left when stopped.
struct Stopped {
    peak_rss_kib: u64,
    /// The `/proc/<pid>/status` lines on memory, `VmHWM: 13000 kB, RssAnon: ...`.
    memory: String,
}

impl Function {
    async fn start(
        binaries: &Binaries,
        binary: Binary,
        env: &[(&'static str, String)],
    ) -> Result<Function> {
        let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let api = RuntimeApi::start().await;
        let program = binaries.path(binary).to_str().ok_or("non-UTF-8 path")?;
        let started = Instant::now();
        let mut child = api.spawn(program, &env);
        let pid = child.id().ok_or("the process has no id")?;
        // Piped output must be read, or the process blocks once the pipe is full.
        let output = Captured::default();
        let drains = vec![
            output.collect(child.stdout.take().ok_or("no stdout")?, OUTPUT_KEPT),
            output.collect(child.stderr.take().ok_or("no stderr")?, OUTPUT_KEPT),
        ];
        let mut function = Function {
            api,
            child,
            pid,
            started,
            init: Duration::ZERO,
            output,
            drains,
        };
        if tokio::time::timeout(Duration::from_secs(20), function.api.wait_for_poll())
            .await
            .is_err()
            || function.api.polls().is_empty()
        {
            let init_error = function.api.init_error();
            let output = function.stop_with_output().await;
            return Err(format!(
                "the {} binary did not poll the Runtime API within 20 s (init error: {init_error:?}); \
                 its output began: {output}",
                binary.name()
            )
            .into());
        }
        function.init = function.api.polls()[0] - started;
        Ok(function)
    }

    async fn invoke(&self, body: &[u8]) -> Result<(Duration, Value)> {
        let started = Instant::now();
        let outcome = self.api.invoke_raw(body.to_vec(), TIMEOUT).await;
        let elapsed = started.elapsed();
        match outcome {
            Outcome::Response(value) => Ok((elapsed, value)),
            Outcome::Error(error) => Err(format!("function error: {error}").into()),
        }
    }

    /// The answer, or the function error, either as JSON (a refusal is a function error).
    async fn invoke_any(&self, body: &[u8]) -> Result<(Duration, Value)> {
        let started = Instant::now();
        let outcome = self.api.invoke_raw(body.to_vec(), TIMEOUT).await;
        let answer = match outcome {
            Outcome::Response(value) | Outcome::Error(value) => value,
        };
        Ok((started.elapsed(), answer))
    }

    /// The process's resident set now (`VmRSS`), in bytes.
    fn rss_bytes(&self) -> Result<u64> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.pid))?;
        let kib = status_kib(&status, "VmRSS")
            .ok_or_else(|| format!("no VmRSS in /proc/{}/status", self.pid))?;
        Ok(kib * 1024)
    }

    /// CPU time of all the process's threads so far (`/proc/<pid>/task/*/schedstat`).
    fn cpu_time(&self) -> Result<Duration> {
        let mut total = 0u64;
        for task in std::fs::read_dir(format!("/proc/{}/task", self.pid))? {
            let stat = std::fs::read_to_string(task?.path().join("schedstat")).unwrap_or_default();
            total += stat
                .split_whitespace()
                .next()
                .and_then(|ns| ns.parse::<u64>().ok())
                .unwrap_or(0);
        }
        Ok(Duration::from_nanos(total))
    }

    /// Reads the peak RSS (VmHWM), then kills the process.
    async fn stop(mut self) -> Result<Stopped> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.pid))?;
        let peak_rss_kib = status_kib(&status, "VmHWM")
            .ok_or_else(|| format!("no VmHWM in /proc/{}/status", self.pid))?;
        let memory = ["VmHWM", "VmRSS", "RssAnon", "RssFile", "Threads"]
            .iter()
            .filter_map(|name| Some(format!("{name} {}", status_kib(&status, name)?)))
            .collect::<Vec<_>>()
            .join(", ");
        self.kill().await;
        Ok(Stopped {
            peak_rss_kib,
            memory,
        })
    }

    async fn kill(&mut self) {
        let _ = self.child.start_kill();
        let _ = self.child.wait().await;
        for drain in self.drains.drain(..) {
            let _ = drain.await;
        }
    }

    /// Kills the process; answers the start of what it wrote, for error messages.
    async fn stop_with_output(mut self) -> String {
        let _ = self.child.start_kill();
        let _ = self.child.wait().await;
        for drain in self.drains.drain(..) {
            let _ = drain.await;
        }
        self.output.text()
    }
}

/// A number from a `/proc/<pid>/status` line (kB for the memory lines).
fn status_kib(status: &str, name: &str) -> Option<u64> {
    status
        .lines()
        .find_map(|line| line.strip_prefix(name)?.strip_prefix(':'))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
}

/// The environment of a spawned function, besides what `RuntimeApi::spawn` sets.
fn env_for(mock: &ConnectStub, extra: &[(&'static str, &str)]) -> Vec<(&'static str, String)> {
    env_at(&mock.server.uri(), extra)
}

/// The environment of a spawned function whose Connect endpoint is `endpoint`.
fn env_at(endpoint: &str, extra: &[(&'static str, &str)]) -> Vec<(&'static str, String)> {
    let mut env = vec![
        ("AWS_ENDPOINT_URL_CONNECT", endpoint.to_owned()),
        ("CONNECT_INSTANCE_ID", INSTANCE.to_owned()),
        ("AWS_LAMBDA_LOG_LEVEL", LOG_LEVEL.to_owned()),
        ("MAX_CONCURRENCY", "10".to_owned()),
    ];
    env.extend(extra.iter().map(|&(name, value)| (name, value.to_owned())));
    env
}

fn direct_payload() -> Result<Vec<u8>> {
    Ok(serde_json::from_str::<Value>(DIRECT_TASK)?
        .to_string()
        .into_bytes())
}

/// An SQS batch of `count` copies of `events/direct-task.json`, each with its own messageId.
fn sqs_batch(count: usize, batch: usize) -> Result<Vec<u8>> {
    let body = serde_json::from_str::<Value>(DIRECT_TASK)?.to_string();
    let records = (0..count).map(|i| {
        (
            format!("00000000-0000-4000-8000-{batch:06}{i:06}"),
            body.clone(),
        )
    });
    Ok(contact_bridge_test_support::sqs_batch(QUEUE_ARN, records)
        .to_string()
        .into_bytes())
}

fn check_contact(binary: Binary, answer: &Value) -> Result<()> {
    if answer["ContactId"].is_string() && answer["ContactArn"].is_string() {
        Ok(())
    } else {
        Err(format!("the {} answered {answer}, not a contact", binary.name()).into())
    }
}

fn check_batch(answer: &Value) -> Result<()> {
    match answer["batchItemFailures"].as_array() {
        Some(failures) if failures.is_empty() => Ok(()),
        _ => Err(format!("the SQS batch did not fully succeed: {answer}").into()),
    }
}

fn progress(message: &str) {
    eprintln!("[benchmark] {message}");
}

/// 1. Process start to the first `/next` poll, floor and project alternately.
async fn cold_init(binaries: &Binaries, plan: &Plan, table: &mut Table) -> Result<()> {
    progress(&format!(
        "cold init: {} starts per binary, alternating (plus one discarded start each)",
        plan.cold_starts
    ));
    let mock = ConnectStub::start_unrecorded(Duration::ZERO).await;
    let env = env_for(&mock, &[]);
    let (mut floor, mut project) = (Vec::new(), Vec::new());
    for round in 0..=plan.cold_starts {
        // Floor, project, project, floor, ...: neither always starts right after the other.
        let order = if round % 2 == 0 {
            [Binary::Floor, Binary::Project]
        } else {
            [Binary::Project, Binary::Floor]
        };
        for binary in order {
            let function = Function::start(binaries, binary, &env).await?;
            let init = function.init;
            function.stop().await?;
            if round > 0 {
                match binary {
                    Binary::Floor => floor.push(init),
                    Binary::Project => project.push(init),
                }
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
    for (name, samples) in [("floor", &floor), ("project", &project)] {
        let mut sorted = samples.clone();
        sorted.sort();
        progress(&format!(
            "cold init of the {name}, sorted (ms): {}",
            sorted
                .iter()
                .map(|d| format!("{:.1}", d.as_secs_f64() * 1e3))
                .collect::<Vec<_>>()
                .join(" ")
        ));
    }
    // The ratio of each round's two starts, a few milliseconds apart, then the median: the
    // machine's speed drifts between runs and within one, and this cancels it.
    let mut ratios: Vec<f64> = floor
        .iter()
        .zip(&project)
        .map(|(f, p)| p.as_secs_f64() / f.as_secs_f64())
        .collect();
    ratios.sort_by(f64::total_cmp);
    let ratio = ratios[(ratios.len() - 1) / 2];
    table.row(
        [
            &format!(
                "cold init, process start to first poll (median of {} starts each)",
                plan.cold_starts
            ),
            &ms(median(&floor)),
            &ms(median(&project)),
            &format!("{ratio:.2}x (median of paired starts)"),
            &format!("≤ {COLD_INIT_MAX_RATIO:.2}x floor"),
        ],
        Verdict::of(ratio <= COLD_INIT_MAX_RATIO),
    );
    Ok(())
}

/// 2. and 3. Direct invocations in alternating blocks, then each process's peak RSS.
async fn warm(
    binaries: &Binaries,
    plan: &Plan,
    table: &mut Table,
    notes: &mut Vec<String>,
) -> Result<()> {
    let total = plan.warm_blocks * plan.warm_block_size;
    progress(&format!(
        "warm: {total} direct invocations per binary in blocks of {}, alternating (after {} \
         warm-up invocations each)",
        plan.warm_block_size, plan.warm_up
    ));
    let mock = ConnectStub::start_unrecorded(Duration::ZERO).await;
    let env = env_for(&mock, &[]);
    let payload = direct_payload()?;
    let functions = [
        (
            Binary::Floor,
            Function::start(binaries, Binary::Floor, &env).await?,
        ),
        (
            Binary::Project,
            Function::start(binaries, Binary::Project, &env).await?,
        ),
    ];
    for (binary, function) in &functions {
        for _ in 0..plan.warm_up {
            check_contact(*binary, &function.invoke(&payload).await?.1)?;
        }
    }
    let cpu_before = [functions[0].1.cpu_time()?, functions[1].1.cpu_time()?];
    let mut samples = [Vec::new(), Vec::new()];
    for block in 0..plan.warm_blocks {
        // Alternate which goes first, so neither always follows the other.
        let order = if block % 2 == 0 { [0, 1] } else { [1, 0] };
        for i in order {
            let (binary, function) = &functions[i];
            for _ in 0..plan.warm_block_size {
                let (elapsed, answer) = function.invoke(&payload).await?;
                check_contact(*binary, &answer)?;
                samples[i].push(elapsed);
            }
        }
    }
    let cpu = [
        functions[0].1.cpu_time()? - cpu_before[0],
        functions[1].1.cpu_time()? - cpu_before[1],
    ];
    let expected_calls = 2 * (plan.warm_up + total);
    if mock.calls() != expected_calls {
        return Err(format!(
            "Connect saw {} calls for {expected_calls} invocations",
            mock.calls()
        )
        .into());
    }
    let [(_, floor), (_, project)] = functions;
    let (floor_rss, project_rss) = (floor.stop().await?, project.stop().await?);
    notes.push(format!(
        "memory after the warm invocations (kB): floor {}; project {}",
        floor_rss.memory, project_rss.memory
    ));

    let secs = |d: Duration| d.as_secs_f64();
    let show_us = |s: f64| us(Duration::from_secs_f64(s));
    table.ratio(
        &format!("warm invocation p50 (of {total})"),
        secs(median(&samples[0])),
        secs(median(&samples[1])),
        show_us,
        WARM_P50_MAX_RATIO,
    );
    let (p99_floor, p99_project) = (percentile(&samples[0], 99.0), percentile(&samples[1], 99.0));
    table.row(
        [
            &format!("warm invocation p99 (of {total})"),
            &us(p99_floor),
            &us(p99_project),
            &format!("{:.2}x", secs(p99_project) / secs(p99_floor)),
            "none (reported)",
        ],
        Verdict::Reported,
    );
    let per_call = |d: Duration| d / total as u32;
    table.row(
        [
            "CPU time per warm invocation (process, all threads)",
            &us(per_call(cpu[0])),
            &us(per_call(cpu[1])),
            &format!("{:.2}x", secs(cpu[1]) / secs(cpu[0])),
            "none (reported)",
        ],
        Verdict::Reported,
    );
    table.ratio(
        &format!(
            "peak RSS (VmHWM after {} invocations)",
            plan.warm_up + total
        ),
        floor_rss.peak_rss_kib as f64,
        project_rss.peak_rss_kib as f64,
        |kib| mib(kib as u64),
        PEAK_RSS_MAX_RATIO,
    );
    Ok(())
}

/// 4. SQS batches of `count` records against Connect answering in `latency`, MAX_CONCURRENCY=10.
async fn sqs_batches(
    binaries: &Binaries,
    plan: &Plan,
    table: &mut Table,
    notes: &mut Vec<String>,
    count: usize,
    latency: Duration,
) -> Result<()> {
    progress(&format!(
        "SQS: {} batches of {count} records at {} ms (after one warm-up batch)",
        plan.sqs_repeats,
        latency.as_millis()
    ));
    let mock = ConnectStub::start_unrecorded(latency).await;
    let env = env_for(&mock, &[]);
    let function = Function::start(binaries, Binary::Project, &env).await?;
    let mut samples = Vec::new();
    for batch in 0..=plan.sqs_repeats {
        let (elapsed, answer) = function.invoke(&sqs_batch(count, batch)?).await?;
        check_batch(&answer)?;
        if batch > 0 {
            samples.push(elapsed);
        }
    }
    let calls = mock.calls();
    let stopped = function.stop().await?;
    if calls != count * (plan.sqs_repeats + 1) {
        return Err(format!("Connect saw {calls} calls for {count}-record batches").into());
    }
    let ideal = latency * count.div_ceil(10) as u32;
    let (median, max) = (median(&samples), percentile(&samples, 100.0));
    let ratio = median.as_secs_f64() / ideal.as_secs_f64();
    table.row(
        [
            &format!(
                "SQS batch of {count}, Connect at {} ms, MAX_CONCURRENCY=10 (median of {})",
                latency.as_millis(),
                plan.sqs_repeats,
            ),
            "-",
            &format!("{} (max {})", ms(median), ms(max)),
            &format!("ideal {} ({ratio:.2}x)", ms(ideal)),
            &format!("≤ {SQS_MAX_OVER_IDEAL:.1}x ideal"),
        ],
        Verdict::of(ratio <= SQS_MAX_OVER_IDEAL),
    );
    notes.push(format!(
        "memory after the batches of {count} (kB): project {}",
        stopped.memory
    ));
    Ok(())
}

/// 7. MAX_CALLS_PER_SECOND=20: 10 batches of 10, one after the other, in one environment.
async fn rate_limit(binaries: &Binaries, table: &mut Table) -> Result<()> {
    const RATE: u32 = 20;
    const BATCHES: usize = 10;
    const RECORDS: usize = 10;
    let latency = Duration::from_millis(50);
    let total = BATCHES * RECORDS;
    progress(&format!(
        "rate limit: {BATCHES} batches of {RECORDS}, MAX_CALLS_PER_SECOND={RATE}, Connect at 50 ms"
    ));
    let mock = ConnectStub::start_unrecorded(latency).await;
    let env = env_for(&mock, &[("MAX_CALLS_PER_SECOND", &RATE.to_string())]);
    let function = Function::start(binaries, Binary::Project, &env).await?;
    let started = Instant::now();
    for batch in 0..BATCHES {
        let (_, answer) = function.invoke(&sqs_batch(RECORDS, batch)?).await?;
        check_batch(&answer)?;
    }
    let wall = started.elapsed();
    function.stop().await?;
    let mut arrivals = mock.take_arrivals();
    if arrivals.len() != total {
        return Err(format!("Connect saw {} calls for {total} records", arrivals.len()).into());
    }
    arrivals.sort();
    // The most calls in any window [t, t + 1 s) that starts at a call.
    let window = Duration::from_secs(1);
    let busiest = (0..arrivals.len())
        .map(|i| {
            arrivals[i..]
                .iter()
                .take_while(|&&t| t - arrivals[i] < window)
                .count()
        })
        .max()
        .unwrap_or(0);
    // Evenly spaced permits: the first call at once, then one every 1/RATE s.
    let ideal = Duration::from_secs(total as u64 - 1) / RATE;
    let upper = Duration::from_secs(6);
    table.row([
        &format!(
            "rate limit: {total} SQS records ({BATCHES} batches), MAX_CALLS_PER_SECOND={RATE}: wall time"
        ),
        "-",
        &format!("{:.2} s", wall.as_secs_f64()),
        &format!("ideal {:.2} s ((N-1)/rate)", ideal.as_secs_f64()),
        &format!("about 5 s: {:.2} to {:.0} s", ideal.as_secs_f64(), upper.as_secs_f64())], Verdict::of(wall >= ideal && wall <= upper));
    table.row(
        [
            "rate limit: most calls reaching Connect in any 1 s window",
            "-",
            &busiest.to_string(),
            &format!("limit {RATE}"),
            &format!("≤ {} (limit + 1 for the window edge)", RATE + 1),
        ],
        Verdict::of(busiest <= RATE as usize + 1),
    );
    Ok(())
}

/// Step 5, translation: Criterion's figures from `cargo bench --bench translation`, which
/// bench/run runs first with Criterion's documented `--output-format bencher` and saves as
/// `translation.bencher` in the target directory (`test GROUP/ID ... bench: 4,957 ns/iter`).
fn translation(binaries: &Binaries, table: &mut Table, notes: &mut Vec<String>) {
    let file = binaries.target_dir.join("translation.bencher");
    let output = std::fs::read_to_string(&file).unwrap_or_default();
    for (bench, what, target) in [
        (
            "translation/typical",
            "translation (parse, validate, build the SDK call): typical record (events/direct-task.json)",
            true,
        ),
        (
            "translation/typical-task",
            "translation: typical routed task, StartTaskContact (events/direct-routed-task.json)",
            true,
        ),
        (
            "translation/typical-callback",
            "translation: typical callback, StartOutboundVoiceContact (events/direct-callback.json)",
            true,
        ),
        (
            "translation/typical-outbound-sms",
            "translation: typical SMS, StartOutboundChatContact (events/direct-outbound-sms.json)",
            true,
        ),
        (
            "translation/typical-inbound-email",
            "translation: typical inbound email, StartEmailContact (events/eventbridge-inbound-email.json)",
            true,
        ),
        (
            "translation/typical-outbound-email",
            "translation: typical email with its CreateContact, StartOutboundEmailContact (events/direct-outbound-email.json)",
            true,
        ),
        (
            "translation/typical-chat",
            "translation: typical web chat, StartChatContact (events/http-api-chat.json)",
            true,
        ),
        (
            "translation/typical-web-rtc",
            "translation: typical WebRTC call, StartWebRTCContact (events/direct-webrtc.json)",
            true,
        ),
        (
            "translation/largest",
            "translation: largest valid request",
            false,
        ),
        (
            "translation-steps/direct-invocation-without-sdk",
            "the project's own work per direct invocation (handler without the SDK call)",
            false,
        ),
    ] {
        let Some(ns) = bencher_ns(&output, bench) else {
            table.row([what, "-", "not run", "-", "-"], Verdict::NotMeasured);
            continue;
        };
        if let Ok(age) = std::fs::metadata(&file)
            .and_then(|m| m.modified())
            .map(|t| t.elapsed().unwrap_or_default())
            && age > Duration::from_secs(3600)
        {
            notes.push(format!(
                "the criterion figure {bench} is from a run {} min ago",
                age.as_secs() / 60
            ));
        }
        let shown = if ns >= 1000.0 {
            format!("{:.2} µs", ns / 1000.0)
        } else {
            format!("{ns:.0} ns")
        };
        if target {
            table.row(
                [what, "-", &shown, "-", "< 10 µs per record"],
                Verdict::of(ns < TRANSLATION_MAX_NS),
            );
        } else {
            table.row(
                [what, "-", &shown, "-", "none (reported)"],
                Verdict::Reported,
            );
        }
    }
}

/// Nanoseconds per iteration of `bench` in Criterion's bencher format.
fn bencher_ns(output: &str, bench: &str) -> Option<f64> {
    let line = output.lines().find(|line| {
        line.strip_prefix("test ")
            .and_then(|rest| rest.strip_prefix(bench))
            .is_some_and(|rest| rest.starts_with(' '))
    })?;
    let figure = line.split("bench:").nth(1)?.split("ns/iter").next()?;
    figure.trim().replace(',', "").parse().ok()
}

/// 6. The binaries' sizes and their deployment zips: `bootstrap`, deflated, by the `zip` command.
fn sizes(binaries: &Binaries, table: &mut Table, notes: &mut Vec<String>) -> Result<()> {
    let directory = &binaries.work;
    let mut sizes = Vec::new();
    for binary in [Binary::Floor, Binary::Project] {
        let path = binaries.path(binary);
        // Lambda runs the file named `bootstrap`; zip stores the name it is given.
        let staged = directory
            .join(format!("zip-{}", binary.name()))
            .join("bootstrap");
        std::fs::create_dir_all(staged.parent().ok_or("no parent")?)?;
        std::fs::copy(path, &staged)?;
        let zip = directory.join(format!("{}.zip", binary.name()));
        let zipped = Command::new("zip")
            .args(["-q", "-9", "-j"])
            .arg(&zip)
            .arg(&staged)
            .status();
        let zip_size = match zipped {
            Ok(status) if status.success() => Some(std::fs::metadata(&zip)?.len()),
            _ => None,
        };
        sizes.push((std::fs::metadata(path)?.len(), zip_size));
    }
    let [(floor_bin, floor_zip), (project_bin, project_zip)] = sizes[..] else {
        unreachable!()
    };
    table.row(
        [
            "release binary size",
            &size(floor_bin),
            &size(project_bin),
            &format!("{:.2}x", project_bin as f64 / floor_bin as f64),
            "none (reported)",
        ],
        Verdict::Reported,
    );
    match (floor_zip, project_zip) {
        (Some(floor), Some(project)) => table.row(
            [
                "deployment zip (bootstrap, deflated)",
                &size(floor),
                &size(project),
                &format!("{:.2}x", project as f64 / floor as f64),
                "none (reported)",
            ],
            Verdict::Reported,
        ),
        _ => {
            notes.push(
                "the zip command is missing (apt-get install zip): zip sizes not measured"
                    .to_owned(),
            );
            table.row(
                ["deployment zip", "-", "not measured", "-", "none"],
                Verdict::NotMeasured,
            );
        }
    }
    Ok(())
}

/// Today's date (UTC), from `date`.
fn today() -> String {
    Command::new("date")
        .args(["-u", "+%F"])
        .output()
        .ok()
        .filter(|output| output.status.success())
        .map(|output| String::from_utf8_lossy(&output.stdout).trim().to_owned())
        .unwrap_or_else(|| "(date unknown)".to_owned())
}

fn machine() -> String {
    let cpus = std::thread::available_parallelism().map_or(0, |n| n.get());
    let model = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|info| {
            info.lines()
                .find_map(|l| l.strip_prefix("model name"))
                .map(|rest| rest.trim_start_matches([' ', '\t', ':']).to_owned())
        })
        .unwrap_or_else(|| "unknown CPU".to_owned());
    format!("{cpus} CPUs ({model})")
}

#[tokio::main]
async fn main() -> Result<()> {
    let (mut quick, mut project, mut only) = (false, None, None);
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--quick" => quick = true,
            "--project" => project = Some(PathBuf::from(args.next().ok_or("--project PATH")?)),
            "--only" => only = Some(args.next().ok_or("--only SCENARIO")?),
            _ => {
                return Err(format!(
                    "unknown argument {arg}; accepted: --quick, --project PATH, --only SCENARIO \
                     ({})",
                    SCENARIOS.join(", ")
                )
                .into());
            }
        }
    }
    let plan = if quick { Plan::quick() } else { Plan::full() };
    let binaries = Binaries::find(project)?;
    let started = Instant::now();
    let mut table = Table::default();
    let mut notes = Vec::new();

    if let Some(name) = &only
        && !SCENARIOS.contains(&name.as_str())
    {
        return Err(format!(
            "unknown scenario {name}; accepted: {}",
            SCENARIOS.join(", ")
        )
        .into());
    }
    let runs = |name: &str| only.as_deref().is_none_or(|only| only == name);
    if runs("cold") {
        cold_init(&binaries, &plan, &mut table).await?;
    }
    if runs("warm") {
        warm(&binaries, &plan, &mut table, &mut notes).await?;
    }
    if runs("sqs") {
        for (count, latency) in [(10, 100), (100, 50)] {
            let latency = Duration::from_millis(latency);
            sqs_batches(&binaries, &plan, &mut table, &mut notes, count, latency).await?;
        }
    }
    if runs("rate") {
        rate_limit(&binaries, &mut table).await?;
    }
    if runs("tls") {
        tls::first_contact(&binaries, plan.tls_starts, &mut table, &mut notes).await?;
    }
    if runs("hostile") {
        hostile::run(&binaries, &mut table, &mut notes).await?;
    }
    if runs("quota") {
        quota::run(&binaries, &mut table, &mut notes).await?;
    }
    if runs("translation") {
        translation(&binaries, &mut table, &mut notes);
    }
    if runs("sizes") {
        sizes(&binaries, &mut table, &mut notes)?;
    }

    println!(
        "\n{} on {}, {}; AWS_LAMBDA_LOG_LEVEL={LOG_LEVEL} for both binaries{}:\n",
        today(),
        machine(),
        std::env::consts::ARCH,
        if quick {
            "; QUICK RUN (fewer samples)"
        } else {
            ""
        }
    );
    println!("{}", table.markdown());
    for note in notes {
        println!("Note: {note}");
    }
    let failed = table.failed();
    println!(
        "{} target(s) missed; harness ran in {:.0} s.",
        failed,
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
