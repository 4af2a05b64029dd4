//! The benchmark's floor (see docs/performance.md): the least a Lambda function can do with the
//! same lambda_runtime, aws-config and aws-sdk-connect. It creates its Connect client at init and,
//! per invocation, ignores the payload (no parsing or validation of its own), sends one fixed
//! CreateContact and answers `{"ContactId", "ContactArn"}`.
//!
//! Run by `bench/run` under a local Runtime API; a binary of the benchmark's own package, so it
//! never ships.

use aws_config::BehaviorVersion;
use aws_sdk_connect::types::{Channel, ContactInitiationMethod};
use lambda_runtime::{Error, LambdaEvent, service_fn};
use serde::de::IgnoredAny;
use serde_json::{Value, json};

#[tokio::main]
async fn main() -> Result<(), Error> {
    // The same logging set-up as the project's binary, so both pay for it alike.
    lambda_runtime::tracing::init_default_subscriber();
    let config = aws_config::load_defaults(BehaviorVersion::latest()).await;
    let client = aws_sdk_connect::Client::new(&config);
    let instance_id = std::env::var("CONNECT_INSTANCE_ID")
        .unwrap_or_else(|_| "aaaaaaaa-bbbb-cccc-dddd-111111111111".to_owned());
    let client = &client;
    let instance_id = instance_id.as_str();
    lambda_runtime::run(service_fn(
        move |_event: LambdaEvent<IgnoredAny>| async move {
            let call = client
                .create_contact()
                .instance_id(instance_id)
                .channel(Channel::Task)
                .initiation_method(ContactInitiationMethod::Api)
                .name("Call back about order 1042")
                .client_token("floor-fixed-client-token")
                .send();
            // Boxed, as in src/connect.rs: the SDK's future is too deep to nest unboxed.
            let output = Box::pin(call).await?;
            Ok::<Value, Error>(json!({
                "ContactId": output.contact_id.unwrap_or_default(),
                "ContactArn": output.contact_arn.unwrap_or_default(),
            }))
        },
    ))
    .await
}
