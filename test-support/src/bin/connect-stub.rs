//! A local Amazon Connect endpoint in one command: `cargo connect-stub [PORT]` (default 4599).
//! It answers CreateContact (`PUT /contact/create-contact`), StartTaskContact (`/contact/task`)
//! and StartOutboundVoiceContact (`/contact/outbound-voice`) as Connect does, with a contact
//! named after the call's ClientToken (the same token gets the same contact), and prints each
//! call. Point the function at it with `AWS_ENDPOINT_URL_CONNECT=http://127.0.0.1:4599`; it
//! checks no signature, so any credentials do. The tests and the benchmark run the same stub.

use std::net::TcpListener;
use std::process::ExitCode;

use contact_bridge_test_support::connect_stub::ConnectStub;

const DEFAULT_PORT: u16 = 4599;

#[tokio::main]
async fn main() -> ExitCode {
    let port = match std::env::args().nth(1).map(|a| a.parse::<u16>()) {
        None => DEFAULT_PORT,
        Some(Ok(port)) => port,
        Some(Err(_)) => {
            eprintln!("usage: cargo connect-stub [PORT]   (default {DEFAULT_PORT})");
            return ExitCode::from(2);
        }
    };
    let listener = match TcpListener::bind(("127.0.0.1", port)) {
        Ok(listener) => listener,
        Err(error) => {
            eprintln!("connect-stub: cannot listen on 127.0.0.1:{port}: {error}");
            return ExitCode::FAILURE;
        }
    };
    let stub = ConnectStub::serve(listener).await;
    println!(
        "Amazon Connect stub on {} (set AWS_ENDPOINT_URL_CONNECT to it); Ctrl-C stops it",
        stub.server.uri()
    );
    std::future::pending::<()>().await;
    ExitCode::SUCCESS
}
