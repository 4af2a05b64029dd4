//! Hostile input: requests of about 5.5 MB built to make the function work (tens of thousands of
//! unknown members with long or near-miss names, invalid keys, a hundred thousand tiny values),
//! against a request of the same size whose bulk is one value. Each costs the project's binary
//! CPU time (median per invocation, all threads) and peak memory (a fresh process's VmHWM after
//! answering it). Targets: at most 2x the CPU of the one-value request, and a peak RSS under 3x the
//! request's size plus 16 MB.

use std::time::Duration;

use contact_bridge_test_support::QUEUE_ARN;
use contact_bridge_test_support::connect_stub::ConnectStub;
use serde_json::{Map, Value, json};

use super::report::{Table, Verdict};
use super::stats::{size as mib, us};
use super::{Binaries, Binary, Function, Result, env_for, progress};

/// The size of each request, as the review sent them: just under Lambda's 6 MB payload limit.
const SIZE: usize = 5_500_000;
/// A hostile request may cost this many times the CPU of the one-value request of its size.
const CPU_MAX_RATIO: f64 = 2.0;
/// Peak RSS at most this many times the request's size, plus [`RSS_SLACK_BYTES`].
const RSS_MAX_FACTOR: f64 = 3.0;
const RSS_SLACK_BYTES: f64 = 16.0 * 1024.0 * 1024.0;
/// Invocations measured per request (after one not measured).
const REPEATS: usize = 9;

/// A StartTaskContact body with members `member(i)` added until it is about `size` bytes.
fn task_with(size: usize, member: impl Fn(usize) -> (String, Value)) -> Value {
    let mut body = Map::new();
    body.insert("Name".to_owned(), json!("n"));
    body.insert("ContactFlowId".to_owned(), json!("f"));
    let mut length = 64;
    let mut i = 0;
    while length < size {
        let (key, value) = member(i);
        length += key.len() + value.to_string().len() + 4;
        body.insert(key, value);
        i += 1;
    }
    json!({ "StartTaskContact": body })
}

/// The requests, each about `size` bytes: the one-value baseline first.
fn requests(size: usize) -> Vec<(&'static str, Value)> {
    let one_value = json!({"StartTaskContact": {"Name": "n", "ContactFlowId": "f",
        "Attributes": {"note": "x".repeat(size)}}});
    let long_names = task_with(size, |i| {
        (format!("{i:08}{}", "unknown-member-".repeat(4)), json!(0))
    });
    // Each one or two edits from a member name: the suggestions' worst case.
    let near_misses = task_with(size, |i| {
        let names = [
            "Nme",
            "Nmae",
            "Atributes",
            "Descriptin",
            "ClientTokn",
            "QuickConectId",
        ];
        (format!("{}{i}", names[i % names.len()]), json!(0))
    });
    let bad_keys = json!({"StartTaskContact": {"Name": "n", "ContactFlowId": "f",
        "Attributes": task_with(size, |i| (format!("bad key {i}"), json!("v")))["StartTaskContact"]}});
    let tiny_values = json!({"StartTaskContact": {"Name": "n", "ContactFlowId": "f",
        "Attributes": {"a": vec![0; size / 2]}}});
    vec![
        ("one big value (baseline)", one_value),
        ("unknown members, long names", long_names),
        ("unknown members, near misses", near_misses),
        ("invalid attribute keys", bad_keys),
        ("tiny values", tiny_values),
    ]
}

/// An SQS batch of ten records of about `size / 10` bytes each.
fn sqs_of(request: impl Fn(usize) -> Value, size: usize) -> Value {
    contact_bridge_test_support::sqs_batch(
        QUEUE_ARN,
        (0..10).map(|i| (format!("hostile-{i}"), request(size / 10).to_string())),
    )
}

pub async fn run(binaries: &Binaries, table: &mut Table, notes: &mut Vec<String>) -> Result<()> {
    progress("hostile input: CPU per invocation and peak RSS for requests of about 5.5 MB");
    let mock = ConnectStub::start_unrecorded(Duration::ZERO).await;
    let env = env_for(&mock, &[]);
    let mut events: Vec<(String, Vec<u8>)> = requests(SIZE)
        .into_iter()
        .map(|(name, request)| (format!("direct: {name}"), request.to_string().into_bytes()))
        .collect();
    let sqs_baseline = sqs_of(|s| requests(s).swap_remove(0).1, SIZE);
    let sqs_long = sqs_of(|s| requests(s).swap_remove(1).1, SIZE);
    events.push((
        "SQS, 10 records: one big value each (baseline)".to_owned(),
        sqs_baseline.to_string().into_bytes(),
    ));
    events.push((
        "SQS, 10 records: unknown members, long names".to_owned(),
        sqs_long.to_string().into_bytes(),
    ));

    let mut baseline = None;
    for (name, body) in &events {
        // CPU: one process answers it REPEATS times.
        let function = Function::start(binaries, Binary::Project, &env).await?;
        let idle = function.rss_bytes()?;
        let (_, first) = function.invoke_any(body).await?;
        let answer_bytes = first.to_string().len();
        let before = function.cpu_time()?;
        for _ in 0..REPEATS {
            function.invoke_any(body).await?;
        }
        let cpu = (function.cpu_time()? - before) / REPEATS as u32;
        let stopped = function.stop().await?;
        let peak = stopped.peak_rss_kib as f64 * 1024.0;
        let size = body.len() as f64;
        let rss_max = RSS_MAX_FACTOR * size + RSS_SLACK_BYTES;
        if name.ends_with("(baseline)") {
            baseline = Some(cpu);
        }
        let ratio = baseline.map_or(1.0, |b| cpu.as_secs_f64() / b.as_secs_f64());
        table.row(
            [
                &format!("hostile CPU per invocation: {name} ({})", mib(size as u64)),
                "-",
                &us(cpu),
                &format!("{ratio:.2}x the baseline"),
                &format!("≤ {CPU_MAX_RATIO:.1}x"),
            ],
            Verdict::of(ratio <= CPU_MAX_RATIO),
        );
        table.row(
            [
                &format!("hostile peak RSS: {name}"),
                "-",
                &mib(peak as u64),
                &format!("{:.2}x the request", peak / size),
                &format!("< 3x + 16 MiB = {}", mib(rss_max as u64)),
            ],
            Verdict::of(peak < rss_max),
        );
        // The same, over the process's RSS before the request (the binary's own pages, the
        // runtime's threads, the SDK's configuration): what answering it added.
        let growth = peak - idle as f64;
        table.row(
            [
                &format!("hostile RSS growth over idle ({}): {name}", mib(idle)),
                "-",
                &mib(growth.max(0.0) as u64),
                &format!("{:.2}x the request", growth / size),
                &format!("< 3x + 16 MiB = {}", mib(rss_max as u64)),
            ],
            Verdict::of(growth < rss_max),
        );
        notes.push(format!(
            "hostile {name}: {} request, {answer_bytes} bytes answered; {}",
            mib(size as u64),
            stopped.memory
        ));
    }
    Ok(())
}
