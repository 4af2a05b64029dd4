//! The JSON Schema of the canonical request, derived from the model's types.

use serde_json::Value;

use super::model::*;
use super::wire::*;

/// The JSON Schema of the canonical request.
pub fn json_schema() -> Value {
    serde_json::to_value(schemars::schema_for!(ContactRequest)).unwrap_or(Value::Null)
}

/// The rules between members, for the JSON Schema.
pub(super) fn cross_member_rules(schema: &mut schemars::Schema) {
    // Only these two are always required: InstanceId may come from CONNECT_INSTANCE_ID, and
    // the maps may be left out.
    schema.insert(
        "required".to_owned(),
        serde_json::json!(["Channel", "InitiationMethod"]),
    );
    let when = |condition: Value, then: Value| serde_json::json!({ "if": condition, "then": then });
    let names = |items: &[&str]| Value::from(items.to_vec());
    let mut rules: Vec<Value> = Channel::ALL
        .iter()
        .map(|channel| {
            let methods: Vec<&str> = channel.initiation_methods().iter().map(|m| m.as_str()).collect();
            when(
                serde_json::json!({ "properties": { "Channel": { "const": channel.as_str() } }, "required": ["Channel"] }),
                serde_json::json!({ "properties": { "InitiationMethod": { "enum": methods } } }),
            )
        })
        .collect();
    let task_types: Vec<&str> = ReferenceType::TASK.iter().map(|t| t.as_str()).collect();
    rules.extend([
        when(
            serde_json::json!({ "required": ["InitiateAs"], "properties": { "InitiateAs": { "const": "COMPLETED" } } }),
            serde_json::json!({ "properties": { "Channel": { "const": "TASK" } } }),
        ),
        when(
            serde_json::json!({ "required": ["PreviousContactId"] }),
            serde_json::json!({ "properties": { "Channel": { "const": "VOICE" }, "InitiationMethod": { "const": "TRANSFER" } } }),
        ),
        when(
            serde_json::json!({
                "properties": { "Channel": { "const": "EMAIL" }, "InitiationMethod": { "enum": names(&["OUTBOUND", "AGENT_REPLY"]) } },
                "required": ["Channel", "InitiationMethod"],
            }),
            serde_json::json!({ "required": ["UserInfo"] }),
        ),
        when(
            serde_json::json!({ "properties": { "Channel": { "const": "TASK" } }, "required": ["Channel"] }),
            serde_json::json!({ "properties": { "References": { "additionalProperties": { "properties": { "Type": { "enum": task_types } } } } } }),
        ),
    ]);
    schema.insert("allOf".to_owned(), Value::Array(rules));
}
