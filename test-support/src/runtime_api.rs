//! A local Lambda Runtime API, enough to run the real binary as Lambda does: `/next` long-polls
//! for the events a test (or the benchmark) pushes, and the binary's responses, function errors
//! and init errors come back to it.
//!
//! Hand-written on tokio: HTTP mocking crates answer each request from a fixed script, and `/next`
//! must instead wait until the test has an event to give.
#![allow(dead_code)]

use std::collections::HashMap;
use std::process::Stdio;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde_json::Value;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio::process::{Child, Command};
use tokio::sync::{mpsc, oneshot};

/// What the function answered for one invocation.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    Response(Value),
    /// A function error: `{"errorType", "errorMessage"}`.
    Error(Value),
}

impl Outcome {
    pub fn response(self) -> Value {
        match self {
            Outcome::Response(v) => v,
            Outcome::Error(e) => panic!("expected a response, got the function error {e}"),
        }
    }

    pub fn error(self) -> Value {
        match self {
            Outcome::Error(e) => e,
            Outcome::Response(v) => panic!("expected a function error, got the response {v}"),
        }
    }
}

struct Pending {
    id: String,
    body: Vec<u8>,
    deadline_ms: u64,
}

#[derive(Default)]
struct State {
    waiting: HashMap<String, oneshot::Sender<Outcome>>,
    init_error: Option<Value>,
    /// When each `/next` poll arrived (the benchmark's "ready" signal).
    polls: Vec<std::time::Instant>,
}

pub struct RuntimeApi {
    pub address: String,
    events: mpsc::UnboundedSender<Pending>,
    state: Arc<Mutex<State>>,
    next_id: Mutex<u64>,
    poll_signal: Arc<tokio::sync::Notify>,
}

impl RuntimeApi {
    pub async fn start() -> RuntimeApi {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap().to_string();
        let (events, queue) = mpsc::unbounded_channel();
        let queue = Arc::new(tokio::sync::Mutex::new(queue));
        let state = Arc::new(Mutex::new(State::default()));
        let poll_signal = Arc::new(tokio::sync::Notify::new());
        let (s, n) = (state.clone(), poll_signal.clone());
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                tokio::spawn(serve(stream, queue.clone(), s.clone(), n.clone()));
            }
        });
        RuntimeApi {
            address,
            events,
            state,
            next_id: Mutex::new(0),
            poll_signal,
        }
    }

    /// Sends one event (raw bytes, so tests can send what a JSON serialiser never would) and
    /// waits for the function's answer.
    pub async fn invoke_raw(&self, body: Vec<u8>, timeout: Duration) -> Outcome {
        let id = {
            let mut n = self.next_id.lock().unwrap();
            *n += 1;
            format!("req-{n:06}")
        };
        let (tx, rx) = oneshot::channel();
        self.state.lock().unwrap().waiting.insert(id.clone(), tx);
        let deadline_ms = (SystemTime::now() + timeout)
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .as_millis() as u64;
        self.events
            .send(Pending {
                id,
                body,
                deadline_ms,
            })
            .unwrap();
        // Generous: a test fails on a missing answer rather than hanging.
        tokio::time::timeout(timeout + Duration::from_secs(30), rx)
            .await
            .expect("the function answered")
            .expect("the runtime API is up")
    }

    pub async fn invoke(&self, event: &Value, timeout: Duration) -> Outcome {
        self.invoke_raw(event.to_string().into_bytes(), timeout)
            .await
    }

    pub fn init_error(&self) -> Option<Value> {
        self.state.lock().unwrap().init_error.clone()
    }

    pub fn polls(&self) -> Vec<std::time::Instant> {
        self.state.lock().unwrap().polls.clone()
    }

    /// Waits until the function polls `/next` (its init is done).
    pub async fn wait_for_poll(&self) {
        loop {
            let notified = self.poll_signal.notified();
            if !self.polls().is_empty() {
                return;
            }
            notified.await;
        }
    }

    /// Starts `binary` as Lambda would, against this API; `env` adds to the usual variables.
    pub fn spawn(&self, binary: &str, env: &[(&str, &str)]) -> Child {
        self.spawn_without(binary, env, &[])
    }

    /// As [`RuntimeApi::spawn`], without the variables `unset` names (the credentials, say).
    pub fn spawn_without(&self, binary: &str, env: &[(&str, &str)], unset: &[&str]) -> Child {
        let mut command = Command::new(binary);
        command
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("AWS_LAMBDA_RUNTIME_API", &self.address)
            .env("AWS_LAMBDA_FUNCTION_NAME", "contact-bridge")
            .env("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "128")
            .env("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST")
            .env("AWS_LAMBDA_LOG_STREAM_NAME", "test-stream")
            .env("AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/contact-bridge")
            .env("AWS_LAMBDA_LOG_FORMAT", "JSON")
            .env("AWS_REGION", "us-east-1")
            .env("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE")
            .env(
                "AWS_SECRET_ACCESS_KEY",
                "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
            )
            .env("AWS_EC2_METADATA_DISABLED", "true")
            .envs(env.iter().copied());
        for name in unset {
            command.env_remove(name);
        }
        command
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .expect("the binary starts")
    }
}

/// One connection: HTTP/1.1 requests, kept alive, until the client closes it.
async fn serve(
    stream: TcpStream,
    queue: Arc<tokio::sync::Mutex<mpsc::UnboundedReceiver<Pending>>>,
    state: Arc<Mutex<State>>,
    poll_signal: Arc<tokio::sync::Notify>,
) {
    let mut stream = BufReader::new(stream);
    while let Some((method, path, body)) = read_request(&mut stream).await {
        let reply = if method == "GET" && path.ends_with("/runtime/invocation/next") {
            state.lock().unwrap().polls.push(std::time::Instant::now());
            poll_signal.notify_waiters();
            let Some(event) = queue.lock().await.recv().await else {
                return;
            };
            let head = format!(
                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\
                 lambda-runtime-aws-request-id: {}\r\nlambda-runtime-deadline-ms: {}\r\n\
                 lambda-runtime-invoked-function-arn: arn:aws:lambda:us-east-1:123456789012:function:contact-bridge\r\n\
                 lambda-runtime-trace-id: Root=1-00000000-000000000000000000000000\r\n\r\n",
                event.body.len(),
                event.id,
                event.deadline_ms
            );
            let mut bytes = head.into_bytes();
            bytes.extend_from_slice(&event.body);
            bytes
        } else {
            let value: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
            let segments: Vec<&str> = path.trim_start_matches('/').split('/').collect();
            match segments.as_slice() {
                [_, "runtime", "init", "error"] => state.lock().unwrap().init_error = Some(value),
                [_, "runtime", "invocation", id, kind] => {
                    let outcome = if *kind == "response" {
                        Outcome::Response(value)
                    } else {
                        Outcome::Error(value)
                    };
                    if let Some(tx) = state.lock().unwrap().waiting.remove(*id) {
                        let _ = tx.send(outcome);
                    }
                }
                _ => {}
            }
            b"HTTP/1.1 202 Accepted\r\ncontent-length: 0\r\n\r\n".to_vec()
        };
        if stream.get_mut().write_all(&reply).await.is_err() {
            return;
        }
    }
}

/// Reads one request: method, path and body (content-length or chunked).
async fn read_request(stream: &mut BufReader<TcpStream>) -> Option<(String, String, Vec<u8>)> {
    let mut line = String::new();
    if stream.read_line(&mut line).await.ok()? == 0 {
        return None;
    }
    let mut parts = line.split_whitespace();
    let method = parts.next()?.to_owned();
    let path = parts.next()?.to_owned();
    let (mut length, mut chunked) = (0usize, false);
    loop {
        let mut header = String::new();
        stream.read_line(&mut header).await.ok()?;
        let header = header.trim_end();
        if header.is_empty() {
            break;
        }
        let (name, value) = header.split_once(':')?;
        match name.trim().to_ascii_lowercase().as_str() {
            "content-length" => length = value.trim().parse().ok()?,
            "transfer-encoding" => chunked = value.to_ascii_lowercase().contains("chunked"),
            _ => {}
        }
    }
    let mut body = Vec::new();
    if chunked {
        loop {
            let mut size = String::new();
            stream.read_line(&mut size).await.ok()?;
            let size = usize::from_str_radix(size.trim().split(';').next()?, 16).ok()?;
            let mut chunk = vec![0; size + 2];
            stream.read_exact(&mut chunk).await.ok()?;
            if size == 0 {
                break;
            }
            body.extend_from_slice(&chunk[..size]);
        }
    } else {
        body.resize(length, 0);
        stream.read_exact(&mut body).await.ok()?;
    }
    Some((method, path, body))
}
