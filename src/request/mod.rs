//! The canonical CreateContact request and every rule we can check before Connect sees it.
//!
//! The request is read from a `serde_json::Value` by hand rather than by `#[derive(Deserialize)]`:
//! serde stops at the first problem, and callers need every violation at once, each with its JSON
//! Pointer path. Messages name members and expected types, never member values (they may hold PII).
//!
//! - [`wire`]: the wire enums (channels, initiation methods, reference types and statuses);
//! - [`model`]: the members, the validated request and its parts;
//! - [`schema`]: the JSON Schema derived from the model, with the rules between members;
//! - [`check`]: reading and validation, every violation at once with its path.
//!
//! [`Violation`] and JSON Pointers live in [`crate::violation`], shared with strict JSON reading.

mod check;
mod model;
mod schema;
mod wire;

pub use crate::violation::{ValidationErrors, Violation, ViolationKind, json_type, pointer};
pub use check::{parse_request, suggest_member};
pub use model::*;
pub use schema::json_schema;
pub use wire::*;
