//! docs/local.md "Test locally", step 2, as a new user runs it: `cargo lambda watch` (the cargo-lambda
//! emulator, which builds and runs the function) with `AWS_ENDPOINT_URL_CONNECT` at a local
//! Connect stub, and `cargo lambda invoke` of every sample event. Each is answered as the docs
//! says, and every valid request reaches the stub.
//!
//! It needs cargo-lambda on PATH (`pip install cargo-lambda`), so it is ignored by a plain
//! `cargo test`; `.ci/run` installs cargo-lambda and runs it:
//! `cargo test --locked --test emulator -- --ignored`.

use contact_bridge_test_support as common;

use std::net::TcpListener;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::INSTANCE;
use common::connect_stub::ConnectStub;
use common::samples::{assert_sample_answer, sample_files};
use serde_json::Value;

/// The first invocation waits for `cargo lambda watch` to build the function.
const FIRST_BUILD: Duration = Duration::from_secs(20 * 60);

/// `cargo lambda watch` and the function it runs, stopped together (one process group).
struct Watch {
    child: std::process::Child,
    log: std::path::PathBuf,
}

impl Watch {
    fn start(port: u16, connect: &str) -> Watch {
        use std::os::unix::process::CommandExt;
        let log = std::env::temp_dir().join(format!("contact-bridge-watch-{port}.log"));
        let file = std::fs::File::create(&log).unwrap();
        let child = Command::new("cargo")
            .args([
                "lambda",
                "watch",
                "--ignore-changes",
                "-A",
                "127.0.0.1",
                "-P",
            ])
            .arg(port.to_string())
            .args(["--env-var", &format!("CONNECT_INSTANCE_ID={INSTANCE}")])
            .args(["--env-var", &format!("AWS_ENDPOINT_URL_CONNECT={connect}")])
            .env("AWS_REGION", "us-east-1")
            .env("AWS_ACCESS_KEY_ID", "AKIDEMULATORTEST")
            .env("AWS_SECRET_ACCESS_KEY", "emulator-test-secret")
            .env_remove("AWS_PROFILE")
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .stdin(Stdio::null())
            .stdout(file.try_clone().unwrap())
            .stderr(file)
            .process_group(0)
            .spawn()
            .expect("cargo lambda is installed (pip install cargo-lambda)");
        Watch { child, log }
    }

    fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }
}

impl Drop for Watch {
    fn drop(&mut self) {
        let group = format!("-{}", self.child.id());
        for signal in ["-TERM", "-KILL"] {
            let _ = Command::new("kill").args([signal, "--", &group]).status();
            std::thread::sleep(Duration::from_millis(200));
        }
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// `cargo lambda invoke` of one file; its answer as JSON.
fn invoke(port: u16, file: &std::path::Path) -> Result<Value, String> {
    let output = Command::new("cargo")
        .args(["lambda", "invoke", "-A", "127.0.0.1", "-P"])
        .arg(port.to_string())
        .args(["contact-bridge", "--data-file"])
        .arg(file)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    if !output.status.success() {
        return Err(format!(
            "{stdout}{}",
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    serde_json::from_str(stdout.trim()).map_err(|e| format!("{e}: {stdout}"))
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs cargo-lambda on PATH; .ci/run installs it and runs this test"]
async fn every_sample_event_through_cargo_lambda_watch() {
    // Routes by path, as Connect does: each operation has its own, and only CreateContact
    // answers a ContactArn.
    let stub = ConnectStub::start(Duration::ZERO).await;
    let connect = &stub.server;
    let port = free_port();
    let watch = Watch::start(port, &connect.uri());

    // The first call also waits for the build; retry while the emulator is not listening yet.
    let files = sample_files();
    let started = Instant::now();
    let mut first = invoke(port, &files[0]);
    while first.is_err() && started.elapsed() < FIRST_BUILD {
        tokio::time::sleep(Duration::from_secs(2)).await;
        first = invoke(port, &files[0]);
    }

    let mut expected_contacts = 0;
    for (i, file) in files.iter().enumerate() {
        let answer = match i {
            0 => first.clone(),
            _ => invoke(port, file),
        };
        let name = file.file_name().unwrap().to_str().unwrap();
        let answer = answer.unwrap_or_else(|e| panic!("{name}: {e}\n{}", watch.log()));
        expected_contacts += assert_sample_answer(name, &answer);
    }

    let requests = connect.received_requests().await.unwrap();
    assert_eq!(requests.len(), expected_contacts, "{}", watch.log());
    for operation_path in [
        "/contact/create-contact",
        "/contact/task",
        "/contact/outbound-voice",
    ] {
        assert!(
            requests.iter().any(|r| r.url.path() == operation_path),
            "no call of {operation_path}"
        );
    }
    for request in requests {
        let body: Value = serde_json::from_slice(&request.body).unwrap();
        assert_eq!(
            body["InstanceId"], INSTANCE,
            "CONNECT_INSTANCE_ID supplies it"
        );
        assert!(body["ClientToken"].is_string(), "{body}");
        assert!(
            request.headers.contains_key("authorization"),
            "a signed request"
        );
    }
}
