//! Every validation rule of the canonical request, each with accepted and rejected cases.

use contact_bridge_test_support::with;

use contact_bridge::request::service_model::{ModelKind, ModelShape};
use contact_bridge::request::{
    Channel, InitiateAs, InitiationMethod, OperationName, ReferenceType, RequestDefaults,
    SEGMENT_VALUE_MEMBERS, SegmentAttributeValue, ValidationErrors, ViolationKind, parse_payload,
    parse_request, pointer,
};
use serde_json::{Value, json};

fn task() -> Value {
    json!({"InstanceId": "inst-1", "Channel": "TASK", "InitiationMethod": "API", "Name": "n"})
}

fn email(method: &str) -> Value {
    json!({"InstanceId": "inst-1", "Channel": "EMAIL", "InitiationMethod": method, "UserInfo": {"UserId": "agent-1"}})
}

fn voice() -> Value {
    json!({"InstanceId": "inst-1", "Channel": "VOICE", "InitiationMethod": "TRANSFER"})
}

fn errors(value: &Value) -> ValidationErrors {
    match parse_request(value, None) {
        Ok(r) => panic!("expected a rejection, accepted {r:?}"),
        Err(e) => e,
    }
}

#[track_caller]
fn accepted(value: Value) -> contact_bridge::request::CreateContactRequest {
    parse_request(&value, None).unwrap_or_else(|e| panic!("expected acceptance of {value}: {e}"))
}

/// The request's whole list of violations is one, at `path`, with exactly this message (its
/// kind's `Display`).
#[track_caller]
fn rejected(value: Value, path: &str, message: &str) {
    let errors = errors(&value);
    match errors.violations() {
        [only] => assert_eq!(
            (only.path.as_str(), only.kind.to_string().as_str()),
            (path, message),
            "{errors}"
        ),
        _ => panic!("expected one violation at {path:?}, got {errors}"),
    }
}

fn text(n: usize) -> String {
    "x".repeat(n)
}

#[test]
fn sample_shapes_are_accepted() {
    let r = accepted(task());
    assert_eq!(
        (r.channel, r.initiation_method),
        (Channel::Task, InitiationMethod::Api)
    );
    accepted(email("OUTBOUND"));
    accepted(voice());
}

#[test]
fn a_request_must_be_an_object() {
    for (v, found) in [
        (json!([]), "an array"),
        (json!("TASK"), "a string"),
        (json!(3), "a number"),
        (Value::Null, "null"),
    ] {
        rejected(
            v,
            "",
            &format!("must be a JSON object (a CreateContact request), not {found}"),
        );
    }
}

#[test]
fn unknown_members_are_named_with_a_suggestion() {
    rejected(
        with(task(), json!({"Atributes": {}})),
        "/Atributes",
        "unknown member of CreateContact (did you mean Attributes?)",
    );
    rejected(
        with(task(), json!({"Foo": 1})),
        "/Foo",
        "unknown member of CreateContact",
    );
    assert_eq!(
        kinds(with(task(), json!({"UserInfo": {"UserID": "a"}}))),
        [
            at(
                "/UserInfo/UserID",
                ViolationKind::UnknownMember {
                    of: "UserInfo",
                    suggestion: Some("UserId"),
                    accepted: &["UserId"],
                },
            ),
            at("/UserInfo/UserId", ViolationKind::Required),
        ]
    );
    rejected(
        with(
            task(),
            json!({"References": {"r": {"Type": "URL", "Valeu": "x"}}}),
        ),
        "/References/r/Valeu",
        "unknown member of Reference (did you mean Value?)",
    );
}

#[test]
fn channel_and_initiation_method_are_required() {
    rejected(
        with(task(), json!({"Channel": null})),
        "/Channel",
        "is required",
    );
    rejected(
        with(task(), json!({"InitiationMethod": null})),
        "/InitiationMethod",
        "is required",
    );
}

#[test]
fn instance_id_is_required_unless_a_default_is_configured() {
    let request = with(task(), json!({"InstanceId": null}));
    rejected(
        request.clone(),
        "/InstanceId",
        "is required (no CONNECT_INSTANCE_ID default is configured)",
    );
    let r = parse_request(&request, Some("default-inst")).unwrap();
    assert_eq!(r.instance_id, "default-inst");
    // An explicit InstanceId wins over the default.
    assert_eq!(
        parse_request(&task(), Some("default-inst"))
            .unwrap()
            .instance_id,
        "inst-1"
    );
}

#[test]
fn channel_is_voice_email_or_task() {
    rejected(
        with(task(), json!({"Channel": "CHAT"})),
        "/Channel",
        "must be one of VOICE, EMAIL, TASK (CreateContact does not create CHAT contacts)",
    );
    rejected(
        with(task(), json!({"Channel": "task"})),
        "/Channel",
        "must be one of VOICE, EMAIL, TASK",
    );
    rejected(
        with(task(), json!({"Channel": 1})),
        "/Channel",
        "must be a string, not a number",
    );
}

#[test]
fn initiation_method_must_fit_the_channel() {
    let all = [
        "INBOUND",
        "OUTBOUND",
        "TRANSFER",
        "QUEUE_TRANSFER",
        "CALLBACK",
        "API",
        "DISCONNECT",
        "MONITOR",
        "EXTERNAL_OUTBOUND",
        "WEBRTC_API",
        "AGENT_REPLY",
        "FLOW",
    ];
    let allowed = [
        ("VOICE", vec!["TRANSFER"]),
        ("EMAIL", vec!["OUTBOUND", "AGENT_REPLY", "FLOW"]),
        ("TASK", vec!["API"]),
    ];
    for (channel, methods) in allowed {
        for method in all {
            let request = json!({
                "InstanceId": "i", "Channel": channel, "InitiationMethod": method,
                "UserInfo": {"UserId": "agent-1"},
            });
            if methods.contains(&method) {
                accepted(request);
            } else {
                rejected(
                    request,
                    "/InitiationMethod",
                    &format!("must be {} for the {channel} channel", methods.join(" or ")),
                );
            }
        }
    }
    assert_eq!(
        kinds(with(
            task(),
            json!({"Channel": "CHAT", "InitiationMethod": "NOPE"}),
        )),
        [
            at(
                "/Channel",
                ViolationKind::NotOneOf {
                    choices: "VOICE, EMAIL, TASK".to_owned(),
                    hint: Some("CreateContact does not create CHAT contacts".to_owned()),
                },
            ),
            at(
                "/InitiationMethod",
                ViolationKind::NotOneOf {
                    choices: "TRANSFER, OUTBOUND, AGENT_REPLY, FLOW, API".to_owned(),
                    hint: None,
                },
            ),
        ]
    );
}

#[test]
fn initiate_as_completed_only_for_tasks() {
    let r = accepted(with(task(), json!({"InitiateAs": "COMPLETED"})));
    assert_eq!(r.initiate_as, Some(InitiateAs::Completed));
    accepted(with(
        email("FLOW"),
        json!({"InitiateAs": "CONNECTED_TO_USER"}),
    ));
    accepted(with(voice(), json!({"InitiateAs": "CONNECTED_TO_USER"})));
    rejected(
        with(email("FLOW"), json!({"InitiateAs": "COMPLETED"})),
        "/InitiateAs",
        "COMPLETED is allowed only for the TASK channel",
    );
    rejected(
        with(voice(), json!({"InitiateAs": "COMPLETED"})),
        "/InitiateAs",
        "COMPLETED is allowed only for the TASK channel",
    );
    rejected(
        with(task(), json!({"InitiateAs": "DONE"})),
        "/InitiateAs",
        "must be one of CONNECTED_TO_USER, COMPLETED",
    );
}

#[test]
fn previous_contact_id_only_for_external_audio() {
    accepted(with(voice(), json!({"PreviousContactId": "c-1"})));
    rejected(
        with(task(), json!({"PreviousContactId": "c-1"})),
        "/PreviousContactId",
        "is allowed only for VOICE contacts with InitiationMethod TRANSFER (external audio)",
    );
    rejected(
        with(email("FLOW"), json!({"PreviousContactId": "c-1"})),
        "/PreviousContactId",
        "is allowed only for VOICE contacts with InitiationMethod TRANSFER (external audio)",
    );
}

#[test]
fn user_id_is_required_for_outbound_and_agent_reply_email() {
    for method in ["OUTBOUND", "AGENT_REPLY"] {
        let r = accepted(email(method));
        assert_eq!(r.user_info.unwrap().user_id, "agent-1");
        rejected(
            with(email(method), json!({"UserInfo": null})),
            "/UserInfo/UserId",
            "is required for EMAIL contacts with InitiationMethod OUTBOUND or AGENT_REPLY",
        );
        rejected(
            with(email(method), json!({"UserInfo": {}})),
            "/UserInfo/UserId",
            "is required",
        );
        // A violation at a sibling whose name merely begins with "UserInfo" hides nothing.
        let sibling = with(email(method), json!({"UserInfo": null, "UserInfoX": "x"}));
        assert_eq!(
            kinds(sibling),
            [
                at(
                    "/UserInfoX",
                    ViolationKind::UnknownMember {
                        of: "CreateContact",
                        suggestion: Some("UserInfo"),
                        accepted: contact_bridge::request::MEMBERS,
                    },
                ),
                at(
                    "/UserInfo/UserId",
                    ViolationKind::Rule(
                        "is required for EMAIL contacts with InitiationMethod OUTBOUND or AGENT_REPLY",
                    ),
                ),
            ]
        );
    }
    accepted(with(email("FLOW"), json!({"UserInfo": null})));
    rejected(
        with(email("FLOW"), json!({"UserInfo": {"UserId": ""}})),
        "/UserInfo/UserId",
        "must not be empty",
    );
    rejected(
        with(email("FLOW"), json!({"UserInfo": {"UserId": text(257)}})),
        "/UserInfo/UserId",
        "must be at most 256 characters (it has 257)",
    );
    accepted(with(
        email("FLOW"),
        json!({"UserInfo": {"UserId": text(256)}}),
    ));
    rejected(
        with(email("FLOW"), json!({"UserInfo": "agent"})),
        "/UserInfo",
        "must be an object, not a string",
    );
}

#[test]
fn attributes_are_string_to_string_with_restricted_keys() {
    let r = accepted(with(
        task(),
        json!({"Attributes": {"order-id_1": "42", "empty": ""}}),
    ));
    assert_eq!(r.attributes["order-id_1"], "42");
    rejected(
        with(task(), json!({"Attributes": {"order id": "42"}})),
        "/Attributes/order id",
        "attribute keys may contain only letters, digits, '-' and '_', and must not be empty",
    );
    rejected(
        with(task(), json!({"Attributes": {"": "42"}})),
        "/Attributes/",
        "attribute keys may contain only letters, digits, '-' and '_', and must not be empty",
    );
    rejected(
        with(task(), json!({"Attributes": {"a.b": "42"}})),
        "/Attributes/a.b",
        "attribute keys may contain only letters, digits, '-' and '_', and must not be empty",
    );
    rejected(
        with(task(), json!({"Attributes": {"n": 42}})),
        "/Attributes/n",
        "must be a string, not a number",
    );
    rejected(
        with(task(), json!({"Attributes": ["a"]})),
        "/Attributes",
        "must be an object, not an array",
    );
}

#[test]
fn attributes_total_at_most_32768_utf8_bytes() {
    // key "k" (1 byte) + value.
    accepted(with(task(), json!({"Attributes": {"k": text(32_767)}})));
    rejected(
        with(task(), json!({"Attributes": {"k": text(32_768)}})),
        "/Attributes",
        "keys and values total 32769 UTF-8 bytes; at most 32768 are allowed",
    );
    // Bytes, not characters: 'é' is two bytes in UTF-8.
    let accented = "é".repeat(16_384);
    rejected(
        with(task(), json!({"Attributes": {"k": accented}})),
        "/Attributes",
        "keys and values total 32769 UTF-8 bytes; at most 32768 are allowed",
    );
    let spread: serde_json::Map<String, Value> = (0..40)
        .map(|i| (format!("k{i:02}"), json!(text(1000))))
        .collect();
    rejected(
        with(task(), json!({"Attributes": spread})),
        "/Attributes",
        "keys and values total 40120 UTF-8 bytes; at most 32768 are allowed",
    );
}

#[test]
fn references_need_a_known_type() {
    let r = accepted(with(
        task(),
        json!({"References": {"Order": {"Type": "URL", "Value": "https://x"}}}),
    ));
    assert_eq!(r.references["Order"].r#type, ReferenceType::Url);
    rejected(
        with(task(), json!({"References": {"Order": {"Value": "x"}}})),
        "/References/Order/Type",
        "is required",
    );
    rejected(
        with(task(), json!({"References": {"Order": {"Type": "LINK"}}})),
        "/References/Order/Type",
        "must be one of URL, ATTACHMENT, CONTACT_ANALYSIS, NUMBER, STRING, DATE, EMAIL, EMAIL_MESSAGE, EMAIL_MESSAGE_PLAIN_TEXT, EMAIL_MESSAGE_PLAIN_TEXT_REDACTED, EMAIL_MESSAGE_REDACTED, VOICEMAIL_RECORDING, VOICEMAIL_RECORDING_REDACTED, VOICEMAIL_ANALYSIS, VOICEMAIL_ANALYSIS_REDACTED",
    );
    rejected(
        with(task(), json!({"References": {"Order": "x"}})),
        "/References/Order",
        "must be an object, not a string",
    );
    // Every model type is accepted on an EMAIL contact.
    for t in ReferenceType::ALL {
        accepted(with(
            email("FLOW"),
            json!({"References": {"r": {"Type": t.as_str(), "Value": "v"}}}),
        ));
    }
}

#[test]
fn task_references_are_limited_to_six_types() {
    for t in ReferenceType::ALL {
        let request = with(
            task(),
            json!({"References": {"r": {"Type": t.as_str(), "Value": "v"}}}),
        );
        if ReferenceType::TASK.contains(t) {
            accepted(request);
        } else {
            rejected(
                request,
                "/References/r/Type",
                "TASK contacts accept only references of type URL, NUMBER, STRING, DATE, EMAIL, ATTACHMENT",
            );
        }
    }
}

#[test]
fn reference_lengths_and_totals() {
    rejected(
        with(
            task(),
            json!({"References": {"r": {"Type": "STRING", "Value": text(4097)}}}),
        ),
        "/References/r/Value",
        "must be at most 4096 characters (it has 4097)",
    );
    rejected(
        with(task(), json!({"References": {"": {"Type": "STRING"}}})),
        "/References/",
        "reference names must be 1 to 4096 characters",
    );
    accepted(with(
        task(),
        json!({"References": {"r": {"Type": "STRING", "Value": text(4095)}}}),
    ));
    rejected(
        with(
            task(),
            json!({"References": {"r": {"Type": "STRING", "Value": text(4096)}}}),
        ),
        "/References",
        "keys and values total 4097 UTF-8 bytes; at most 4096 are allowed",
    );
    rejected(
        with(
            task(),
            json!({"References": {"a": {"Type": "STRING", "Value": text(3000)}, "b": {"Type": "STRING", "Value": text(3000)}}}),
        ),
        "/References",
        "keys and values total 6002 UTF-8 bytes; at most 4096 are allowed",
    );
}

#[test]
fn reference_optional_members() {
    let full = json!({"Type": "ATTACHMENT", "Value": "v", "Status": "APPROVED", "Arn": "arn:aws:connect:us-east-1:1:x/y", "StatusReason": "ok"});
    accepted(with(task(), json!({"References": {"r": full}})));
    rejected(
        with(
            task(),
            json!({"References": {"r": {"Type": "URL", "Status": "OK"}}}),
        ),
        "/References/r/Status",
        "must be one of AVAILABLE, DELETED, APPROVED, REJECTED, PROCESSING, FAILED, DRAFTING",
    );
    rejected(
        with(
            task(),
            json!({"References": {"r": {"Type": "URL", "Arn": "short"}}}),
        ),
        "/References/r/Arn",
        "must be at least 20 characters (it has 5)",
    );
    rejected(
        with(
            task(),
            json!({"References": {"r": {"Type": "URL", "Arn": "arn:aws:connect:us east 1:x"}}}),
        ),
        "/References/r/Arn",
        "may contain only letters, digits, '-', ':' and '/'",
    );
    rejected(
        with(
            task(),
            json!({"References": {"r": {"Type": "URL", "StatusReason": text(101)}}}),
        ),
        "/References/r/StatusReason",
        "must be at most 100 characters (it has 101)",
    );
}

#[test]
fn segment_attributes_contact_expiry_is_accepted() {
    let r = accepted(with(
        voice(),
        json!({"SegmentAttributes": {
            "connect:ContactExpiry": {"ValueMap": {"ExpiryDuration": {"ValueInteger": 135}}}
        }}),
    ));
    let SegmentAttributeValue::ValueMap(map) = &r.segment_attributes["connect:ContactExpiry"]
    else {
        panic!("expected a ValueMap");
    };
    assert_eq!(
        map["ExpiryDuration"],
        SegmentAttributeValue::ValueInteger(135)
    );
}

#[test]
fn segment_attribute_values_of_every_kind() {
    let r = accepted(with(
        task(),
        json!({"SegmentAttributes": {
            "s": {"ValueString": "x"},
            "a": {"ValueArn": "arn:aws:connect:us-east-1:1:instance/i"},
            "l": {"ValueList": [{"ValueString": "x"}, {"ValueInteger": -3}]},
            "m": {"ValueMap": {"inner": {"ValueMap": {"deep": {"ValueString": "y"}}}}},
        }}),
    ));
    assert_eq!(
        r.segment_attributes["l"],
        SegmentAttributeValue::ValueList(vec![
            SegmentAttributeValue::ValueString("x".into()),
            SegmentAttributeValue::ValueInteger(-3)
        ])
    );
}

#[test]
fn segment_attribute_keys() {
    accepted(with(
        task(),
        json!({"SegmentAttributes": {text(128): {"ValueString": "x"}}}),
    ));
    rejected(
        with(
            task(),
            json!({"SegmentAttributes": {text(129): {"ValueString": "x"}}}),
        ),
        // A key longer than 64 characters is cut in the path, which stays bounded.
        &format!("/SegmentAttributes/{}…", text(64)),
        "segment attribute keys must be 1 to 128 characters: letters, digits, '-' and '_', optionally after the 'connect:' prefix of system-defined keys",
    );
    rejected(
        with(
            task(),
            json!({"SegmentAttributes": {"": {"ValueString": "x"}}}),
        ),
        "/SegmentAttributes/",
        "segment attribute keys must be 1 to 128 characters: letters, digits, '-' and '_', optionally after the 'connect:' prefix of system-defined keys",
    );
    rejected(
        with(
            task(),
            json!({"SegmentAttributes": {"other:Key": {"ValueString": "x"}}}),
        ),
        "/SegmentAttributes/other:Key",
        "segment attribute keys must be 1 to 128 characters: letters, digits, '-' and '_', optionally after the 'connect:' prefix of system-defined keys",
    );
    rejected(
        with(
            task(),
            json!({"SegmentAttributes": {"connect:": {"ValueString": "x"}}}),
        ),
        "/SegmentAttributes/connect:",
        "segment attribute keys must be 1 to 128 characters: letters, digits, '-' and '_', optionally after the 'connect:' prefix of system-defined keys",
    );
    rejected(
        with(
            task(),
            json!({"SegmentAttributes": {"a b": {"ValueString": "x"}}}),
        ),
        "/SegmentAttributes/a b",
        "segment attribute keys must be 1 to 128 characters: letters, digits, '-' and '_', optionally after the 'connect:' prefix of system-defined keys",
    );
    // JSON Pointer escaping of '/' and '~' in keys.
    rejected(
        with(
            task(),
            json!({"SegmentAttributes": {"a/b~": {"ValueString": "x"}}}),
        ),
        "/SegmentAttributes/a~1b~0",
        "segment attribute keys must be 1 to 128 characters: letters, digits, '-' and '_', optionally after the 'connect:' prefix of system-defined keys",
    );
}

#[test]
fn segment_attribute_values_are_checked_recursively() {
    let base = |v: Value| with(task(), json!({"SegmentAttributes": {"k": v}}));
    rejected(
        base(json!({})),
        "/SegmentAttributes/k",
        "must have exactly one of ValueString, ValueInteger, ValueMap, ValueList, ValueArn (it has 0)",
    );
    rejected(
        base(json!({"ValueString": "x", "ValueInteger": 1})),
        "/SegmentAttributes/k",
        "must have exactly one of ValueString, ValueInteger, ValueMap, ValueList, ValueArn (it has 2)",
    );
    rejected(
        base(json!({"ValueString": text(1025)})),
        "/SegmentAttributes/k/ValueString",
        "must be at most 1024 characters (it has 1025)",
    );
    accepted(base(json!({"ValueString": text(1024)})));
    rejected(
        base(json!({"ValueArn": text(1025)})),
        "/SegmentAttributes/k/ValueArn",
        "must be at most 1024 characters (it has 1025)",
    );
    rejected(
        base(json!({"ValueInteger": 1.5})),
        "/SegmentAttributes/k/ValueInteger",
        "must be an integer, not a fraction",
    );
    rejected(
        base(json!({"ValueInteger": "1"})),
        "/SegmentAttributes/k/ValueInteger",
        "must be an integer (a JSON number), not a string",
    );
    rejected(
        base(json!({"ValueInteger": 2_147_483_648_i64})),
        "/SegmentAttributes/k/ValueInteger",
        "must be an integer from -2147483648 to 2147483647",
    );
    accepted(base(json!({"ValueInteger": i32::MIN})));
    rejected(
        base(json!({"ValueMap": []})),
        "/SegmentAttributes/k/ValueMap",
        "must be an object, not an array",
    );
    rejected(
        base(json!({"ValueList": {}})),
        "/SegmentAttributes/k/ValueList",
        "must be an array, not an object",
    );
    rejected(
        base(json!({"ValueMap": {"ExpiryDuration": {"ValueInteger": "135"}}})),
        "/SegmentAttributes/k/ValueMap/ExpiryDuration/ValueInteger",
        "must be an integer (a JSON number), not a string",
    );
    rejected(
        base(json!({"ValueList": [{"ValueString": 1}]})),
        "/SegmentAttributes/k/ValueList/0/ValueString",
        "must be a string, not a number",
    );
    assert_eq!(
        kinds(base(json!({"ValueMap": {"x": {"Value": 1}}}))),
        [
            at(
                "/SegmentAttributes/k/ValueMap/x/Value",
                ViolationKind::UnknownMember {
                    of: "SegmentAttributeValue",
                    suggestion: None,
                    accepted: SEGMENT_VALUE_MEMBERS,
                },
            ),
            at(
                "/SegmentAttributes/k/ValueMap/x",
                ViolationKind::ExactlyOne {
                    of: SEGMENT_VALUE_MEMBERS,
                    found: 0,
                },
            ),
        ]
    );
}

/// The body of an otherwise valid request of each operation.
fn base_of(operation: &str) -> Value {
    match operation {
        "CreateContact" => task(),
        "StartTaskContact" => json!({"InstanceId": "inst-1", "Name": "n", "ContactFlowId": "f"}),
        "StartOutboundVoiceContact" => json!({
            "InstanceId": "inst-1", "DestinationPhoneNumber": "+14155550100",
            "ContactFlowId": "f", "QueueId": "q",
        }),
        other => contact_bridge_test_support::requests::minimal_body(other),
    }
}

use contact_bridge_test_support::requests::MODELED;

/// Where in `value` (of the model's `shape`, at `at`) a value of the shape named `target` is.
fn find_shape(
    shape: &'static ModelShape,
    value: &Value,
    target: &str,
    at: String,
) -> Option<(String, &'static ModelShape)> {
    if shape.name == target {
        return Some((at, shape));
    }
    match &shape.kind {
        ModelKind::Structure { members, .. } => members.iter().find_map(|m| {
            let inner = value.get(m.name)?;
            find_shape(m.shape, inner, target, format!("{at}/{}", m.name))
        }),
        ModelKind::List { member, .. } => value
            .as_array()?
            .iter()
            .enumerate()
            .find_map(|(i, v)| find_shape(member, v, target, format!("{at}/{i}"))),
        ModelKind::Map { value: entry, .. } => value
            .as_object()?
            .iter()
            .find_map(|(k, v)| find_shape(entry, v, target, pointer(&at, k))),
        _ => None,
    }
}

/// `text` at the schema location `at` of a structure the model describes (`/$defs/<shape>/
/// properties/<member>`, then `/items`, `/propertyNames` or `/additionalProperties`), placed in
/// the first valid body of the five operations that has one; `None` when no body has it.
fn place_by_model(at: &str, text: &str) -> Option<(Value, String)> {
    let (def, rest) = at.strip_prefix("/$defs/")?.split_once("/properties/")?;
    let (member, part) = rest.split_once('/').map_or((rest, ""), |(m, p)| (m, p));
    for operation in MODELED {
        let input = OperationName::parse(operation)?.model().input;
        for body in contact_bridge_test_support::requests::full_bodies(operation) {
            let Some((found, shape)) = find_shape(input, &body, def, String::new()) else {
                continue;
            };
            let member_shape = shape.member(member)?.shape;
            let (value, path) = match (part, &member_shape.kind) {
                ("", _) => (json!(text), format!("{found}/{member}")),
                ("items", _) => (json!([text]), format!("{found}/{member}/0")),
                ("propertyNames", _) => (
                    json!({ text: "v" }),
                    pointer(&format!("{found}/{member}"), text),
                ),
                ("additionalProperties", ModelKind::Map { key, .. }) => {
                    let key = match &key.kind {
                        ModelKind::String {
                            values: Some(values),
                            ..
                        } => values[0],
                        _ => "k",
                    };
                    (
                        json!({ key: text }),
                        pointer(&format!("{found}/{member}"), key),
                    )
                }
                _ => return None,
            };
            let mut body = body;
            let target = if found.is_empty() {
                Some(&mut body)
            } else {
                body.pointer_mut(&found)
            };
            target?[member] = value;
            return Some((json!({ operation: body }), format!("/{operation}{path}")));
        }
    }
    None
}

/// The payload of `operation` with `body` (bare for CreateContact), and the prefix of its paths.
fn payload_of(operation: &str, body: Value) -> (Value, String) {
    if operation == "CreateContact" {
        (body, String::new())
    } else {
        (json!({ operation: body }), format!("/{operation}"))
    }
}

/// An otherwise valid payload with `text` at the schema location `at` (a JSON Pointer into the
/// schema), and the path of the value in the payload. Every bounded location the schema declares
/// must be placed here: a new one fails the bound walk below until it is.
fn place(at: &str, text: &str) -> (Value, String) {
    if let Some((operation, rest)) = at
        .strip_prefix("/$defs/")
        .and_then(|r| r.split_once("Request/properties/"))
    {
        let body = if rest == "PreviousContactId" && operation == "CreateContact" {
            voice()
        } else {
            base_of(operation)
        };
        let (body, path) = match rest {
            "References/propertyNames" => (
                with(body, json!({"References": {text: {"Type": "URL"}}})),
                pointer("/References", text),
            ),
            "SegmentAttributes/propertyNames" => (
                with(
                    body,
                    json!({"SegmentAttributes": {text: {"ValueString": "v"}}}),
                ),
                pointer("/SegmentAttributes", text),
            ),
            member if !member.contains('/') => {
                (with(body, json!({ member: text })), format!("/{member}"))
            }
            other => {
                return place_by_model(at, text).unwrap_or_else(|| {
                    panic!("the schema bounds {other} of {operation}: place it in this test")
                });
            }
        };
        let (payload, prefix) = payload_of(operation, body);
        return (payload, format!("{prefix}{path}"));
    }
    match at {
        "/$defs/CorrelationId" => (
            json!({"StartTaskContact": base_of("StartTaskContact"), "CorrelationId": text}),
            "/CorrelationId".to_owned(),
        ),
        "/$defs/Reference/properties/Value"
        | "/$defs/Reference/properties/Arn"
        | "/$defs/Reference/properties/StatusReason" => {
            let name = at.rsplit('/').next().unwrap();
            (
                with(
                    task(),
                    json!({"References": {"r": {"Type": "URL", name: text}}}),
                ),
                format!("/References/r/{name}"),
            )
        }
        "/$defs/UserInfo/properties/UserId" => (
            with(email("OUTBOUND"), json!({"UserInfo": {"UserId": text}})),
            "/UserInfo/UserId".to_owned(),
        ),
        "/$defs/TaskAttachment/properties/FileName" | "/$defs/TaskAttachment/properties/S3Url" => {
            let name = at.rsplit('/').next().unwrap();
            let mut attachment = json!({"FileName": "f.txt", "S3Url": "https://x"});
            attachment[name] = json!(text);
            let body = with(
                base_of("StartTaskContact"),
                json!({"Attachments": [attachment]}),
            );
            (
                payload_of("StartTaskContact", body).0,
                format!("/StartTaskContact/Attachments/0/{name}"),
            )
        }
        "/$defs/SegmentAttributeValue/oneOf/0/properties/ValueString"
        | "/$defs/SegmentAttributeValue/oneOf/4/properties/ValueArn" => {
            let name = at.rsplit('/').next().unwrap();
            (
                with(task(), json!({"SegmentAttributes": {"k": {name: text}}})),
                format!("/SegmentAttributes/k/{name}"),
            )
        }
        "/$defs/SegmentAttributeValue/oneOf/2/properties/ValueMap/propertyNames" => (
            with(
                task(),
                json!({"SegmentAttributes": {"k": {"ValueMap": {text: {"ValueString": "v"}}}}}),
            ),
            pointer("/SegmentAttributes/k/ValueMap", text),
        ),
        other => place_by_model(other, text)
            .unwrap_or_else(|| panic!("the schema bounds {other}: place it in this test")),
    }
}

/// A string length bound the schema declares: `(location, minLength, maxLength)`.
type Bound = (String, Option<usize>, Option<usize>);

/// Every string length bound the schema declares.
fn length_bounds(node: &Value, at: &str, out: &mut Vec<Bound>) {
    match node {
        Value::Object(map) => {
            let bound = |name: &str| map.get(name).and_then(Value::as_u64).map(|n| n as usize);
            if bound("minLength").is_some() || bound("maxLength").is_some() {
                out.push((at.to_owned(), bound("minLength"), bound("maxLength")));
            }
            for (key, child) in map {
                length_bounds(child, &format!("{at}/{key}"), out);
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                length_bounds(child, &format!("{at}/{i}"), out);
            }
        }
        _ => {}
    }
}

/// The violations at exactly `path`.
fn violations_at(value: &Value, path: &str) -> Vec<ViolationKind> {
    match parse_payload(value, &RequestDefaults::default()) {
        Ok(_) => Vec::new(),
        Err(errors) => errors
            .violations
            .into_iter()
            .filter(|v| v.path == path)
            .map(|v| v.kind)
            .collect(),
    }
}

#[test]
fn every_length_bound_the_schema_declares_holds_on_both_sides() {
    let mut bounds = Vec::new();
    length_bounds(&contact_bridge::request::json_schema(), "", &mut bounds);
    assert!(bounds.len() >= 30, "{bounds:?}");
    for (at, min, max) in bounds {
        // At each bound nothing is wrong at the value's path (a map's byte budget may still be).
        for length in [min, max].into_iter().flatten() {
            let (request, path) = place(&at, &"a".repeat(length));
            // (A model pattern, such as an email address's, and a documented set of values, such
            // as an email's content types, are rules of their own.)
            let kinds: Vec<ViolationKind> = violations_at(&request, &path)
                .into_iter()
                .filter(|k| {
                    !matches!(
                        k,
                        ViolationKind::Pattern { .. }
                            | ViolationKind::NotOneOf { .. }
                            | ViolationKind::Rule(_)
                    )
                })
                .collect();
            assert_eq!(kinds, [], "{at}: {length} characters");
        }
        if let Some(min) = min.filter(|&min| min > 0) {
            let (request, path) = place(&at, &"a".repeat(min - 1));
            let kinds = violations_at(&request, &path);
            assert!(!kinds.is_empty(), "{at}: {} characters accepted", min - 1);
            if !at.ends_with("propertyNames") {
                let expected = if min == 1 {
                    ViolationKind::Empty
                } else {
                    ViolationKind::TooShort {
                        min,
                        length: min - 1,
                    }
                };
                assert_eq!(kinds, [expected], "{at}");
            }
        }
        if let Some(max) = max {
            let (request, path) = place(&at, &"a".repeat(max + 1));
            let kinds = violations_at(&request, &path);
            assert!(!kinds.is_empty(), "{at}: {} characters accepted", max + 1);
            if !at.ends_with("propertyNames") {
                let expected = ViolationKind::TooLong {
                    max,
                    length: max + 1,
                };
                assert_eq!(kinds, [expected], "{at}");
            }
        }
    }
}

#[test]
fn lengths_count_characters_and_strings_must_be_strings() {
    accepted(with(task(), json!({"Name": "é".repeat(1024)})));
    for member in [
        "InstanceId",
        "ClientToken",
        "RelatedContactId",
        "Name",
        "Description",
    ] {
        assert_eq!(
            kinds(with(task(), json!({member: true}))),
            [at(
                &format!("/{member}"),
                ViolationKind::WrongType {
                    expected: "a string",
                    found: "a boolean",
                },
            )]
        );
    }
}

#[test]
fn expiry_duration_is_a_positive_json_integer() {
    assert_eq!(
        accepted(with(task(), json!({"ExpiryDurationInMinutes": 1}))).expiry_duration_in_minutes,
        Some(1)
    );
    accepted(with(task(), json!({"ExpiryDurationInMinutes": i32::MAX})));
    rejected(
        with(task(), json!({"ExpiryDurationInMinutes": 0})),
        "/ExpiryDurationInMinutes",
        "must be a positive integer",
    );
    rejected(
        with(task(), json!({"ExpiryDurationInMinutes": -5})),
        "/ExpiryDurationInMinutes",
        "must be a positive integer",
    );
    rejected(
        with(task(), json!({"ExpiryDurationInMinutes": "60"})),
        "/ExpiryDurationInMinutes",
        "must be an integer (a JSON number), not a string",
    );
    rejected(
        with(task(), json!({"ExpiryDurationInMinutes": 1.5})),
        "/ExpiryDurationInMinutes",
        "must be an integer, not a fraction",
    );
    rejected(
        with(task(), json!({"ExpiryDurationInMinutes": 1_i64 << 40})),
        "/ExpiryDurationInMinutes",
        "must be an integer from 1 to 2147483647",
    );
    rejected(
        with(task(), json!({"ExpiryDurationInMinutes": 1e300})),
        "/ExpiryDurationInMinutes",
        "must be an integer from 1 to 2147483647",
    );
}

#[test]
fn null_members_count_as_absent() {
    let r = accepted(with(task(), json!({"Description": Value::Null})));
    assert_eq!(r.description, None);
    let request = json!({"InstanceId": "i", "Channel": "TASK", "InitiationMethod": "API", "Attributes": null, "References": null});
    accepted(request);
}

#[test]
fn every_violation_is_reported_at_once() {
    let request = json!({
        "Channel": "CHAT",
        "InitiationMethod": "API",
        "Atributes": {},
        "Name": 5,
        "ExpiryDurationInMinutes": "10",
        "Attributes": {"bad key": "v"},
        "SegmentAttributes": {"k": {}},
    });
    let errors = errors(&request);
    let paths: Vec<&str> = errors
        .violations()
        .iter()
        .map(|v| v.path.as_str())
        .collect();
    for expected in [
        "/Channel",
        "/InstanceId",
        "/Atributes",
        "/Name",
        "/ExpiryDurationInMinutes",
        "/Attributes/bad key",
        "/SegmentAttributes/k",
    ] {
        assert!(
            paths.contains(&expected),
            "{expected} missing from {paths:?}"
        );
    }
    let message = errors.to_string();
    assert!(
        message.starts_with("invalid CreateContact request (7 problems)"),
        "{message}"
    );
}

#[test]
fn messages_never_echo_member_values() {
    let secret = "jane.doe@example.com";
    let request = json!({
        "InstanceId": "i", "Channel": "TASK", "InitiationMethod": "API",
        "Name": secret.repeat(100), "Attributes": {"k": 5, "email": secret.repeat(3000)},
        "References": {"r": {"Type": "EMAIL_MESSAGE", "Value": secret}},
    });
    let message = errors(&request).to_string();
    assert!(!message.contains(secret), "{message}");
}

#[test]
fn serialises_as_the_aws_cli_input() {
    let request = json!({
        "InstanceId": "i", "Channel": "VOICE", "InitiationMethod": "TRANSFER",
        "ClientToken": "t", "PreviousContactId": "p", "RelatedContactId": "r",
        "Attributes": {"a": "1"}, "InitiateAs": "CONNECTED_TO_USER", "Name": "n", "Description": "d",
        "ExpiryDurationInMinutes": 5, "UserInfo": {"UserId": "u"},
        "References": {"x": {"Type": "URL", "Value": "v"}},
        "SegmentAttributes": {"connect:ContactExpiry": {"ValueMap": {"ExpiryDuration": {"ValueInteger": 135}}}},
    });
    let parsed = accepted(request.clone());
    assert_eq!(serde_json::to_value(&parsed).unwrap(), request);
}

// ------------------------------------------------------------- violations as data, exactly

/// The whole list of `(path, kind)` a request produces.
fn kinds(value: Value) -> Vec<(String, ViolationKind)> {
    errors(&value)
        .violations
        .into_iter()
        .map(|v| (v.path, v.kind))
        .collect()
}

fn at(path: &str, kind: ViolationKind) -> (String, ViolationKind) {
    (path.to_owned(), kind)
}

#[test]
fn every_violation_of_a_request_is_reported_exactly() {
    use ViolationKind as K;
    assert_eq!(
        kinds(json!({"Chanel": "TASK", "InitiationMethod": "API", "Name": 3})),
        [
            at(
                "/Chanel",
                K::UnknownMember {
                    of: "CreateContact",
                    suggestion: Some("Channel"),
                    accepted: contact_bridge::request::MEMBERS,
                },
            ),
            at("/Channel", K::Required),
            at(
                "/InstanceId",
                K::RequiredWithoutDefault {
                    setting: "CONNECT_INSTANCE_ID"
                }
            ),
            at(
                "/Name",
                K::WrongType {
                    expected: "a string",
                    found: "a number",
                },
            ),
        ]
    );
    assert_eq!(
        kinds(with(
            task(),
            json!({"RelatedContactId": "", "Description": "d".repeat(4097), "ExpiryDurationInMinutes": 0,
                   "References": {"r": {"Type": "URL", "Arn": "short"}}})
        )),
        [
            at("/RelatedContactId", K::Empty),
            at(
                "/Description",
                K::TooLong {
                    max: 4096,
                    length: 4097,
                },
            ),
            at("/ExpiryDurationInMinutes", K::NotPositive),
            at("/References/r/Arn", K::TooShort { min: 20, length: 5 }),
        ]
    );
    assert_eq!(
        kinds(with(
            task(),
            json!({"InitiationMethod": "TRANSFER", "InitiateAs": "LATER",
                   "SegmentAttributes": {"k": {"ValueString": "a", "ValueInteger": 1}}})
        )),
        [
            at(
                "/InitiationMethod",
                K::NotForChannel {
                    allowed: vec!["API"],
                    channel: "TASK",
                },
            ),
            at(
                "/InitiateAs",
                K::NotOneOf {
                    choices: "CONNECTED_TO_USER, COMPLETED".to_owned(),
                    hint: None,
                },
            ),
            at(
                "/SegmentAttributes/k",
                K::ExactlyOne {
                    of: SEGMENT_VALUE_MEMBERS,
                    found: 2,
                },
            ),
        ]
    );
}

#[test]
fn the_messages_are_the_kinds_display() {
    use ViolationKind as K;
    for (kind, message) in [
        (K::Required, "is required"),
        (K::Empty, "must not be empty"),
        (
            K::TooShort { min: 20, length: 5 },
            "must be at least 20 characters (it has 5)",
        ),
        (
            K::TooLong { max: 1, length: 2 },
            "must be at most 1 characters (it has 2)",
        ),
        (
            K::ByteBudget {
                bytes: 40000,
                max: 32768,
            },
            "keys and values total 40000 UTF-8 bytes; at most 32768 are allowed",
        ),
        (
            K::UnknownMember {
                of: "UserInfo",
                suggestion: None,
                accepted: &["UserId"],
            },
            "unknown member of UserInfo",
        ),
        (
            K::NotOneOf {
                choices: "VOICE, EMAIL, TASK".to_owned(),
                hint: Some("CreateContact does not create CHAT contacts".to_owned()),
            },
            "must be one of VOICE, EMAIL, TASK (CreateContact does not create CHAT contacts)",
        ),
    ] {
        assert_eq!(kind.to_string(), message);
    }
}
