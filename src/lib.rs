//! contact-bridge: an AWS Lambda function that turns events into Amazon Connect contacts.
//!
//! - [`request`]: the requests of each operation and their validation (description, wire enums,
//!   model, checker, rules, schema);
//! - [`operation`]: the operations by name ([`operation::OperationName`]), below everything else;
//! - [`violation`]: violations at JSON Pointer paths, shared by the request rules and [`json`];
//! - [`admission`]: what a source may ask for (credentials only for a waiting client, the policy);
//! - [`config`]: our settings, read once at init;
//! - [`policy`]: the deployer's policy: what each source may ask for;
//! - [`connect`]: the Connect call through the AWS SDK, and its errors ([`error`]);
//! - [`local_connect`]: the local run's stand-in for Connect, which prints what it would send;
//! - [`idempotency`]: ClientTokens and logged ids derived from an event's identity;
//! - [`pacing`]: the pace of bulk calls under Connect's API quota, and a waiting caller's retries;
//! - [`bridge`]: one request from JSON to contact, shared by every source;
//! - [`source`]: which source sent an event;
//! - [`sources`]: one module per event source, and the answer of each;
//! - [`handler`]: recognises the source of an event and dispatches it;
//! - [`json`]: strict JSON reading (duplicate members are errors);
//! - [`metrics`]: CloudWatch Embedded Metric Format lines;
//! - [`outcome`]: outcome events, one per request, for asynchronous producers; [`outcome_bus`]
//!   puts them on the bus;
//! - [`cli`]: the local command line (`contact-bridge invoke FILE`);
//! - [`after_answer`]: the runtime layer that finishes background work after each answer;
//! - [`strict_event`]: the runtime layer that refuses an event body with bytes after its JSON.

pub mod admission;
pub mod after_answer;
pub mod bridge;
pub mod cli;
pub mod config;
pub mod connect;
pub mod error;
pub mod handler;
pub mod idempotency;
pub mod json;
pub mod local_connect;
pub mod metrics;
pub mod operation;
pub mod outcome;
pub mod outcome_bus;
pub mod pacing;
pub mod policy;
pub mod request;
pub mod source;
pub mod sources;
pub mod strict_event;
pub mod violation;
