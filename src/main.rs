use std::process::ExitCode;

use contact_bridge::bridge::Bridge;
use contact_bridge::cli;
use contact_bridge::config::Settings;
use contact_bridge::connect::ConnectClient;
use contact_bridge::handler::Handler;
use contact_bridge::metrics::Metrics;
use lambda_runtime::service_fn;

#[tokio::main]
async fn main() -> ExitCode {
    if std::env::var_os("AWS_LAMBDA_RUNTIME_API").is_some() {
        run_in_lambda().await
    } else {
        cli::main(std::env::args().skip(1)).await
    }
}

/// Init (settings, one Connect client), then the Lambda Runtime API loop.
async fn run_in_lambda() -> ExitCode {
    lambda_runtime::tracing::init_default_subscriber();
    let settings = match Settings::from_env() {
        Ok(settings) => settings,
        Err(error) => {
            tracing::error!(%error, "init failed");
            report_init_error(&error.to_string()).await;
            return ExitCode::FAILURE;
        }
    };
    let bridge =
        Bridge::new(settings, ConnectClient::from_env().await).with_metrics(Metrics::to_stdout());
    let handler = Handler::new(bridge);
    match lambda_runtime::run(service_fn(|event| handler.handle_raw(event))).await {
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
