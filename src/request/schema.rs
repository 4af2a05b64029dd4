//! The JSON Schema of a payload and the member tables of docs/requests.md, both derived from the operations'
//! description (`spec`), with the rules between members that a schema can state.

use serde_json::{Map, Value, json};

use super::model::SEGMENT_VALUE_MEMBERS;
use super::service_model::{ModelKind, ModelShape};
use super::spec::*;
use super::time::DURATION_PATTERN;
use super::wire::*;

/// `$defs` names, one per operation's request.
fn request_def(operation: OperationName) -> String {
    format!("{}Request", operation.as_str())
}

/// The JSON Schema of a payload: one member named after its operation, or a bare CreateContact
/// request. Byte totals (Attributes 32,768, References 4,096) and the time window of
/// `ScheduledTime` are checked by the function, not by this schema.
pub fn json_schema() -> Value {
    let mut defs = Map::new();
    let mut choices = vec![json!({ "$ref": "#/$defs/CreateContactRequest" })];
    let correlation = json!({ "$ref": format!("#/$defs/{CORRELATION_ID}") });
    for &operation in OperationName::ALL {
        let spec = operation.spec();
        let mut schema = object_schema(spec.members, &mut defs);
        schema["title"] = json!(operation.as_str());
        if let Some(rules) = cross_member_rules(operation) {
            schema["allOf"] = rules;
        }
        defs.insert(request_def(operation), schema);
        let mut body = json!({ "$ref": format!("#/$defs/{}", request_def(operation)) });
        if operation == OperationName::StartOutboundEmailContact {
            // Alone, it names the contact it sends for (see the pair below).
            body = json!({ "allOf": [body, { "required": ["ContactId"] }] });
        }
        choices.push(json!({
            "type": "object",
            "properties": { operation.as_str(): body, CORRELATION_ID: correlation },
            "required": [operation.as_str()],
            "additionalProperties": false,
        }));
    }
    // A CreateContact EMAIL request, and the email sent for the contact it creates.
    let (create, send) = (
        OperationName::CreateContact.as_str(),
        OperationName::StartOutboundEmailContact.as_str(),
    );
    choices.push(json!({
        "type": "object",
        "properties": {
            create: { "allOf": [
                { "$ref": format!("#/$defs/{}", request_def(OperationName::CreateContact)) },
                { "properties": { "Channel": { "const": "EMAIL" } } },
            ] },
            CORRELATION_ID: correlation,
            send: { "allOf": [
                { "$ref": format!("#/$defs/{}", request_def(OperationName::StartOutboundEmailContact)) },
                { "not": { "required": ["ContactId"] } },
            ] },
        },
        "required": [create, send],
        "additionalProperties": false,
    }));
    defs.insert("Reference".to_owned(), reference_schema());
    defs.insert(
        CORRELATION_ID.to_owned(),
        json!({ "type": "string", "minLength": 1, "maxLength": super::check::CORRELATION_ID_MAX_CHARS }),
    );
    defs.insert("SegmentAttributeValue".to_owned(), segment_value_schema());
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "Amazon Connect contact request (contact-bridge)",
        "description": format!("A payload contact-bridge accepts: one member named after the \
            operation ({}) holding that operation's input (API 2017-08-08); a CreateContact EMAIL \
            input with the StartOutboundEmailContact input that sends its email; or a bare \
            CreateContact input. Byte totals (Attributes 32,768, References 4,096), \
            ScheduledTime's window, an email's 49 additional recipients across ToAddresses and \
            CcAddresses, and the instance shared by a CreateContact and its email are checked by \
            the function, not by this schema.", OperationName::choices()),
        "oneOf": choices,
        "$defs": defs,
    })
}

/// An object of `members`, closed to others; members that a default may supply are not required.
fn object_schema(members: &[Member], defs: &mut Map<String, Value>) -> Value {
    let mut properties = Map::new();
    let mut required = Vec::new();
    for member in members {
        properties.insert(member.name.to_owned(), shape_schema(&member.shape, defs));
        if member.presence == Presence::Required {
            required.push(member.name);
        }
    }
    json!({
        "type": "object",
        "properties": properties,
        "required": required,
        "additionalProperties": false,
    })
}

fn shape_schema(shape: &Shape, defs: &mut Map<String, Value>) -> Value {
    match shape {
        Shape::Text { min, max, form } => {
            let mut schema = json!({ "type": "string" });
            if *min > 0 {
                schema["minLength"] = json!(min);
            }
            if let Some(max) = max {
                schema["maxLength"] = json!(max);
            }
            if let Some(form) = form {
                schema["pattern"] = json!(form.pattern());
            }
            schema
        }
        Shape::Integer { min, max } => json!({ "type": "integer", "minimum": min, "maximum": max }),
        Shape::Boolean => json!({ "type": "boolean" }),
        Shape::Timestamp(window) => json!({
            "description": format!(
                "Epoch seconds, ISO 8601 text, or an ISO 8601 duration from now (PT1H); not in \
                 the past, at most {} days ahead.",
                window.max_ahead_seconds / 86_400
            ),
            "anyOf": [
                { "type": "number" },
                { "type": "string", "pattern": "^[0-9]+$" },
                { "type": "string", "format": "date-time" },
                { "type": "string", "pattern": DURATION_PATTERN },
            ],
        }),
        Shape::Enum { values, .. } => json!({ "type": "string", "enum": values }),
        Shape::ChannelMethod => json!({ "type": "string", "enum": InitiationMethod::NAMES }),
        Shape::Attributes => json!({
            "type": "object",
            "description": "Keys of letters, digits, '-' and '_'; keys plus values at most 32,768 UTF-8 bytes.",
            "propertyNames": { "pattern": "^[A-Za-z0-9_-]+$" },
            "additionalProperties": { "type": "string" },
        }),
        Shape::References { types } => {
            let reference = json!({ "$ref": "#/$defs/Reference" });
            let entry = match types {
                Some(types) => {
                    json!({ "allOf": [reference, { "properties": { "Type": { "enum": names(types) } } }] })
                }
                None => reference,
            };
            json!({
                "type": "object",
                "description": "Names plus values at most 4,096 UTF-8 bytes.",
                "propertyNames": { "minLength": 1, "maxLength": 4096 },
                "additionalProperties": entry,
            })
        }
        Shape::SegmentAttributes => segment_map_schema(),
        Shape::Model(model) => model_schema(model, defs),
        Shape::Structure(structure) => {
            if !defs.contains_key(structure.name) {
                let schema = object_schema(structure.members, defs);
                defs.insert(structure.name.to_owned(), schema);
            }
            json!({ "$ref": format!("#/$defs/{}", structure.name) })
        }
        Shape::List { item, min, max } => {
            let mut schema = json!({ "type": "array", "items": shape_schema(item, defs) });
            if *min > 0 {
                schema["minItems"] = json!(min);
            }
            if *max != usize::MAX {
                schema["maxItems"] = json!(max);
            }
            schema
        }
    }
}

/// What the service model states of a shape, as JSON Schema; structures go to `$defs` by their
/// model name.
fn model_schema(shape: &'static ModelShape, defs: &mut Map<String, Value>) -> Value {
    let bounds =
        |schema: &mut Value, low: &str, high: &str, min: &Option<i64>, max: &Option<i64>| {
            if let Some(min) = min.filter(|m| *m > 0) {
                schema[low] = json!(min);
            }
            if let Some(max) = max {
                schema[high] = json!(max);
            }
        };
    match &shape.kind {
        ModelKind::String {
            values: Some(values),
            ..
        } => json!({ "type": "string", "enum": values }),
        ModelKind::String {
            min, max, pattern, ..
        } => {
            let mut schema = json!({ "type": "string" });
            bounds(&mut schema, "minLength", "maxLength", min, max);
            if let Some(pattern) = pattern {
                schema["pattern"] = json!(if *pattern == super::pattern::NO_CATEGORY_C {
                    super::pattern::no_category_c_schema_pattern().to_owned()
                } else {
                    pattern.replace(r"\\", r"\")
                });
            }
            schema
        }
        ModelKind::Integer { min, max } => json!({
            "type": "integer",
            "minimum": min.unwrap_or(i64::from(i32::MIN)),
            "maximum": max.unwrap_or(i64::from(i32::MAX)),
        }),
        ModelKind::Boolean => json!({ "type": "boolean" }),
        ModelKind::Timestamp => json!({ "type": ["number", "string"] }),
        ModelKind::List { member, min, max } => {
            let mut schema = json!({ "type": "array", "items": model_schema(member, defs) });
            bounds(&mut schema, "minItems", "maxItems", min, max);
            schema
        }
        ModelKind::Map {
            key,
            value,
            min,
            max,
        } => {
            let mut schema = json!({
                "type": "object",
                "propertyNames": model_schema(key, defs),
                "additionalProperties": model_schema(value, defs),
            });
            bounds(&mut schema, "minProperties", "maxProperties", min, max);
            schema
        }
        ModelKind::Structure {
            members, required, ..
        } => {
            if !defs.contains_key(shape.name) {
                // Placed first: a recursive shape refers to itself.
                defs.insert(shape.name.to_owned(), Value::Null);
                let mut properties = Map::new();
                for member in members.iter() {
                    properties.insert(member.name.to_owned(), model_schema(member.shape, defs));
                }
                defs.insert(
                    shape.name.to_owned(),
                    json!({
                        "type": "object",
                        "properties": properties,
                        "required": required,
                        "additionalProperties": false,
                    }),
                );
            }
            json!({ "$ref": format!("#/$defs/{}", shape.name) })
        }
    }
}

fn names(types: &[ReferenceType]) -> Vec<&'static str> {
    types.iter().map(|t| t.as_str()).collect()
}

fn segment_map_schema() -> Value {
    json!({
        "type": "object",
        "propertyNames": { "pattern": r"^(connect:)?[A-Za-z0-9_-]+$", "maxLength": 128 },
        "additionalProperties": { "$ref": "#/$defs/SegmentAttributeValue" },
    })
}

fn reference_schema() -> Value {
    json!({
        "type": "object",
        "properties": {
            "Type": { "type": "string", "enum": ReferenceType::NAMES },
            "Value": { "type": "string", "maxLength": 4096 },
            "Status": { "type": "string", "enum": ReferenceStatus::NAMES },
            "Arn": { "type": "string", "minLength": 20, "maxLength": 256, "pattern": r"^[-:/A-Za-z0-9]+$" },
            "StatusReason": { "type": "string", "maxLength": 100 },
        },
        "required": ["Type"],
        "additionalProperties": false,
    })
}

/// Exactly one of the value members, in the model's order.
fn segment_value_schema() -> Value {
    let one = |name: &str, schema: Value| {
        json!({
            "type": "object",
            "properties": { name: schema },
            "required": [name],
            "additionalProperties": false,
        })
    };
    let variants: Vec<Value> = SEGMENT_VALUE_MEMBERS
        .iter()
        .map(|name| {
            let schema = match *name {
                "ValueInteger" => {
                    json!({ "type": "integer", "minimum": i32::MIN, "maximum": i32::MAX })
                }
                "ValueMap" => segment_map_schema(),
                "ValueList" => {
                    json!({ "type": "array", "items": { "$ref": "#/$defs/SegmentAttributeValue" } })
                }
                _ => json!({ "type": "string", "maxLength": 1024 }),
            };
            one(name, schema)
        })
        .collect();
    json!({ "oneOf": variants })
}

/// The rules between members that a schema can state, per operation.
fn cross_member_rules(operation: OperationName) -> Option<Value> {
    let when = |condition: Value, then: Value| json!({ "if": condition, "then": then });
    let rules: Vec<Value> = match operation {
        OperationName::CreateContact => {
            let mut rules: Vec<Value> = Channel::ALL
                .iter()
                .map(|channel| {
                    let methods: Vec<&str> =
                        channel.initiation_methods().iter().map(|m| m.as_str()).collect();
                    when(
                        json!({ "properties": { "Channel": { "const": channel.as_str() } }, "required": ["Channel"] }),
                        json!({ "properties": { "InitiationMethod": { "enum": methods } } }),
                    )
                })
                .collect();
            rules.extend(super::member_rules::schema(super::rules::CREATE_CONTACT));
            rules.extend([
                when(
                    json!({ "properties": { "Channel": { "const": "TASK" } }, "required": ["Channel"] }),
                    json!({ "properties": { "References": { "additionalProperties": { "properties": { "Type": { "enum": names(ReferenceType::TASK) } } } } } }),
                ),
            ]);
            rules
        }
        // At most one route; none is left to DEFAULT_CONTACT_FLOW_ID.
        OperationName::StartTaskContact => {
            let pairs: Vec<Value> = TASK_ROUTES
                .iter()
                .enumerate()
                .flat_map(|(i, a)| {
                    TASK_ROUTES[i + 1..]
                        .iter()
                        .map(move |b| json!({ "required": [a, b] }))
                })
                .collect();
            vec![json!({ "not": { "anyOf": pairs } })]
        }
        OperationName::StartOutboundVoiceContact => {
            super::member_rules::schema(super::rules::START_OUTBOUND_VOICE_CONTACT)
        }
        modeled => super::member_rules::schema(super::message_rules::of(modeled)),
    };
    (!rules.is_empty()).then_some(Value::Array(rules))
}

/// The table of an operation's members in docs/requests.md: name, what it holds, whether it is required.
pub fn rules_table(operation: OperationName) -> String {
    let mut out = String::from("| member | holds | required |\n| --- | --- | --- |\n");
    for member in operation.spec().members {
        let presence = match member.presence {
            Presence::Optional => "no".to_owned(),
            Presence::Required => "yes".to_owned(),
            Presence::RequiredOr(setting) => format!("yes, unless `{}` is set", setting.name()),
            Presence::OptionalOr { setting, unless } => format!(
                "no; `{}` fills it when {} absent",
                setting.name(),
                unless
                    .iter()
                    .map(|u| format!("`{u}`"))
                    .collect::<Vec<_>>()
                    .join(" and ")
                    + if unless.len() == 1 { " is" } else { " are" }
            ),
        };
        out.push_str(&format!(
            "| `{}` | {} | {presence} |\n",
            member.name,
            describe(&member.shape)
        ));
    }
    out
}

/// A shape of the model in words; the members of a structure at the top only (`members`).
fn describe_model(shape: &ModelShape, members: bool) -> String {
    let range =
        |what: &str, min: &Option<i64>, max: &Option<i64>| match (min.filter(|m| *m > 0), max) {
            (None, None) => String::new(),
            (None, Some(max)) => format!(" of at most {max} {what}"),
            (Some(min), None) => format!(" of at least {min} {what}"),
            (Some(min), Some(max)) => format!(" of {min} to {max} {what}"),
        };
    match &shape.kind {
        ModelKind::String {
            values: Some(values),
            ..
        } => values
            .iter()
            .map(|v| format!("`{v}`"))
            .collect::<Vec<_>>()
            .join(", "),
        ModelKind::String {
            min, max, pattern, ..
        } => {
            let pattern = pattern
                .map(|p| format!(", matching `{}`", p.replace(r"\\", r"\")))
                .unwrap_or_default();
            format!("a string{}{pattern}", range("characters", min, max))
        }
        ModelKind::Integer { min, max } => format!(
            "an integer from {} to {}, as a JSON number",
            min.unwrap_or(i64::from(i32::MIN)),
            max.unwrap_or(i64::from(i32::MAX))
        ),
        ModelKind::Boolean => "`true` or `false`".to_owned(),
        ModelKind::Timestamp => "a timestamp".to_owned(),
        ModelKind::List { member, min, max } => format!(
            "a list{}, each {}",
            range("items", min, max),
            describe_model(member, false)
        ),
        ModelKind::Map { key, value, .. } => format!(
            "an object of {} to {}",
            describe_model(key, false),
            describe_model(value, false)
        ),
        ModelKind::Structure {
            members: all,
            required,
            ..
        } if members => {
            let described: Vec<String> = all
                .iter()
                .map(|m| {
                    let needed = if required.contains(&m.name) {
                        ", required"
                    } else {
                        ""
                    };
                    format!("`{}` ({}{needed})", m.name, describe_model(m.shape, false))
                })
                .collect();
            format!("an object: {}", described.join("; "))
        }
        ModelKind::Structure { .. } => format!("a `{}` object", shape.name),
    }
}

/// A shape in words, for the tables of docs/requests.md.
fn describe(shape: &Shape) -> String {
    match shape {
        Shape::Text { min, max, form } => {
            let length = match (min, max) {
                (0, None) => "a string".to_owned(),
                (0, Some(max)) => format!("a string of at most {max} characters"),
                (min, None) => format!("a string of at least {min} characters"),
                (min, Some(max)) => format!("a string of {min} to {max} characters"),
            };
            match form {
                Some(Form::PhoneNumber) => "an E.164 phone number (`+` then 2 to 15 digits, the first not 0)".to_owned(),
                Some(Form::NoCategoryC) => format!("{length}, no character of Unicode category C (control, format, private use, unassigned)"),
                Some(Form::ArnCharacters) => format!("{length} of letters, digits, `-:/`"),
                None => length,
            }
        }
        Shape::Integer { min, max } if *max == i64::from(i32::MAX) => {
            format!("an integer of at least {min} (32-bit), as a JSON number")
        }
        Shape::Integer { min, max } => format!("an integer from {min} to {max}, as a JSON number"),
        Shape::Boolean => "`true` or `false`".to_owned(),
        Shape::Timestamp(window) => format!(
            "epoch seconds, ISO 8601 text (`2026-12-01T09:30:00Z`), or an ISO 8601 duration from now (`PT1H`); not in the past, at most {} days ahead",
            window.max_ahead_seconds / 86_400
        ),
        Shape::Enum { values, .. } => values
            .iter()
            .map(|v| format!("`{v}`"))
            .collect::<Vec<_>>()
            .join(", "),
        Shape::ChannelMethod => "by channel: VOICE `TRANSFER`; EMAIL `OUTBOUND`, `AGENT_REPLY`, `FLOW`; TASK `API`".to_owned(),
        Shape::Attributes => "an object of string values; keys of letters, digits, `-`, `_`; keys plus values at most 32,768 UTF-8 bytes".to_owned(),
        Shape::References { types } => {
            let allowed = match types {
                Some(types) => format!("types {}", names(types).join(", ")),
                None => format!(
                    "any of the model's types (TASK contacts: {})",
                    names(ReferenceType::TASK).join(", ")
                ),
            };
            format!(
                "an object of name (1 to 4096 characters) to `{{Type, Value, Status, Arn, StatusReason}}`, {allowed}; names plus values at most 4,096 UTF-8 bytes"
            )
        }
        Shape::SegmentAttributes => "an object of key (1 to 128 characters, optionally `connect:`-prefixed) to exactly one of `ValueString`, `ValueInteger`, `ValueMap`, `ValueList`, `ValueArn`".to_owned(),
        Shape::Model(model) => describe_model(model, true),
        Shape::Structure(structure) => {
            let members: Vec<String> = structure
                .members
                .iter()
                .map(|m| {
                    let required = if m.presence == Presence::Required { ", required" } else { "" };
                    format!("`{}` ({}{required})", m.name, describe(&m.shape))
                })
                .collect();
            format!("an object: {}", members.join("; "))
        }
        Shape::List { item, min, max } => {
            let count = if *max == usize::MAX {
                String::new()
            } else {
                format!("{min} to {max} ")
            };
            format!("a list of {count}items, each {}", describe(item))
        }
    }
}
