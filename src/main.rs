use std::process::ExitCode;

use std::sync::Arc;

use contact_bridge::after_answer::AfterAnswerLayer;
use contact_bridge::bridge::Bridge;
use contact_bridge::cli;
use contact_bridge::config::Settings;
use contact_bridge::connect::ConnectClient;
use contact_bridge::handler::Handler;
use contact_bridge::metrics::Metrics;
use contact_bridge::outcome_bus::EventBridgeOutcomes;
use contact_bridge::strict_event::{ParsedEvent, StrictEventLayer};
use lambda_runtime::layers::TracingLayer;
use lambda_runtime::{Runtime, service_fn};

#[tokio::main]
async fn main() -> ExitCode {
    if std::env::var_os("AWS_LAMBDA_RUNTIME_API").is_some() {
        run_in_lambda().await
    } else {
        cli::main(std::env::args().skip(1)).await
    }
}

/// Init (settings, one Connect client, the outcome bus's client when one is set), then the Lambda
/// Runtime API loop, which finishes each invocation's background publications after its answer.
async fn run_in_lambda() -> ExitCode {
    keep_large_buffers_mapped();
    lambda_runtime::tracing::init_default_subscriber();
    let settings = match Settings::from_env() {
        Ok(settings) => settings,
        Err(error) => {
            tracing::error!(%error, "init failed");
            report_init_error(&error.to_string()).await;
            return ExitCode::FAILURE;
        }
    };
    if settings.policy.is_none() {
        tracing::warn!(
            "no POLICY: every source may request every operation, member and destination \
             (docs/security.md)"
        );
    }
    let config = aws_config::load_defaults(aws_config::BehaviorVersion::latest()).await;
    let outcomes = settings
        .outcome_event_bus
        .as_deref()
        .map(|bus| Arc::new(EventBridgeOutcomes::from_config(&config, bus)));
    let mut bridge = Bridge::new(settings, ConnectClient::from_config(&config))
        .with_metrics(Metrics::to_stdout());
    if let Some(outcomes) = outcomes {
        bridge = bridge.with_outcomes(outcomes);
    }
    let parsed = ParsedEvent::default();
    let handler = Arc::new(Handler::new(bridge).with_parsed_events(parsed.clone()));
    let serve = handler.clone();
    let finish = move || {
        let handler = handler.clone();
        async move { handler.bridge().finish_background().await }
    };
    let runtime = Runtime::new(service_fn(move |event| {
        let handler = serve.clone();
        async move { handler.handle_raw(event).await }
    }))
    .layer(StrictEventLayer::new(parsed))
    .layer(TracingLayer::new())
    .layer(AfterAnswerLayer::new(finish));
    match runtime.run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            tracing::error!(%error, "runtime failed");
            ExitCode::FAILURE
        }
    }
}

/// Tells Lambda why init failed (`/runtime/init/error`), so the error shows in the invoke result
/// and the logs rather than as a bare exit.
async fn report_init_error(message: &str) {
    let body =
        serde_json::json!({ "errorType": "InvalidSetting", "errorMessage": message }).to_string();
    let request = lambda_runtime_api_client::build_request()
        .method("POST")
        .uri("/2018-06-01/runtime/init/error")
        .header("lambda-runtime-function-error-type", "InvalidSetting")
        .body(body.into());
    if let Ok(request) = request {
        let client = lambda_runtime_api_client::PooledClient::builder().build();
        if let Err(error) = client.call(request).await {
            tracing::error!(%error, "could not report the init error to the Runtime API");
        }
    }
}

/// glibc serves an allocation of 128 KiB or more with a mapping of its own, unmapped when freed,
/// but raises that threshold (up to 32 MiB) each time such a mapping is freed: after one large
/// event, the next one's buffers come from the heap, and stay resident once freed. Fixing the
/// threshold keeps a large event's body, parsed value and copies each returned to the kernel as
/// soon as they are dropped, so the function's memory follows what is live (docs/performance.md,
/// hostile input). Typical events allocate nothing this large.
fn keep_large_buffers_mapped() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only sets a parameter of the allocator, under the allocator's own lock;
    // called once, at init, before any event is read.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 128 * 1024);
    }
}
