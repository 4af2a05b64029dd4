//! The requests of the eight operations that create a contact, and every rule we can check before
//! Connect sees them.
//!
//! A request is read from a `serde_json::Value` by hand rather than by `#[derive(Deserialize)]`:
//! serde stops at the first problem, and callers need every violation at once, each with its JSON
//! Pointer path. Messages name members and expected types, never member values (they may hold PII).
//!
//! - [`service_model`]: what the Connect service model states, generated into [`generated`] by
//!   `cargo xtask codegen` from the pinned botocore;
//! - [`spec`]: the one description of each operation's members, shapes and bounds: the first
//!   three's written out (their text bounds read from the model), the other five's derived from
//!   the model, with what it cannot say;
//! - [`wire`]: the wire enums (channels, initiation methods, reference types, ...);
//! - [`model`]: the validated request: its checked body (what the SDK mapping reads), and for the
//!   first three operations their typed members;
//! - [`check`]: the entry points: a payload or an operation's body, every violation at once;
//! - `checker`: the checker's state: paths, defaults, the bounded violations found so far;
//! - `walk`: the walk over a request by the description, member by member; `model_walk`, a value
//!   by the model alone;
//! - `rules`: the rules between members, one function per operation (`message_rules`: the five
//!   operations the model describes);
//! - [`schema`]: the JSON Schema and the rule tables of docs/requests.md, derived from the description.
//!
//! [`Violation`] and JSON Pointers live in [`crate::violation`], shared with strict JSON reading.

mod check;
mod checker;
pub mod generated;
mod member_rules;
mod message_rules;
mod model;
mod model_walk;
pub mod pattern;
mod redact;
mod rules;
mod schema;
pub mod service_model;
mod spec;
mod time;
mod walk;
mod wire;

pub use crate::violation::{ValidationErrors, Violation, ViolationKind, json_type, pointer};
pub use check::{
    CORRELATION_ID_MAX_CHARS, OPERATION_NAMES, RequestDefaults, correlation_id, names_an_operation,
    parse_operation, parse_payload, parse_request, payload_bodies, payload_correlation_id,
    suggest_member,
};
pub use model::*;
pub use redact::{known_names, redacted_path};
pub use schema::{json_schema, rules_table};
pub use spec::*;
pub use wire::*;
