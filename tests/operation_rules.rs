//! The rules of StartTaskContact and StartOutboundVoiceContact, and how a payload names its
//! operation: each rule with accepted and rejected cases, every rejection asserting the whole
//! list of violations (path and exact message).

use contact_bridge::request::{
    Request, RequestDefaults, StartOutboundVoiceContactRequest, StartTaskContactRequest,
    ValidationErrors, ViolationKind as K, parse_payload,
};
use contact_bridge_test_support::with;
use serde_json::{Value, json};

/// The time the requests are checked at: 2026-11-29T12:00:00Z.
const NOW: i64 = 1_795_953_600;
const DAY: i64 = 86_400;

fn defaults() -> RequestDefaults<'static> {
    RequestDefaults {
        now: Some(NOW),
        ..RequestDefaults::default()
    }
}

fn task(patch: Value) -> Value {
    let body = json!({"InstanceId": "inst-1", "Name": "n", "ContactFlowId": "flow-1"});
    json!({ "StartTaskContact": with(body, patch) })
}

fn callback(patch: Value) -> Value {
    let body = json!({
        "InstanceId": "inst-1", "DestinationPhoneNumber": "+14155550100",
        "ContactFlowId": "flow-1", "QueueId": "queue-1",
    });
    json!({ "StartOutboundVoiceContact": with(body, patch) })
}

fn parse_with(payload: &Value, defaults: &RequestDefaults) -> Result<Request, ValidationErrors> {
    parse_payload(payload, defaults)
}

#[track_caller]
fn accepted_task(payload: Value) -> StartTaskContactRequest {
    match parse_with(&payload, &defaults()) {
        Ok(Request::StartTaskContact(r)) => r.into_inner(),
        other => panic!("expected a task from {payload}: {other:?}"),
    }
}

#[track_caller]
fn accepted_callback(payload: Value) -> StartOutboundVoiceContactRequest {
    match parse_with(&payload, &defaults()) {
        Ok(Request::StartOutboundVoiceContact(r)) => r.into_inner(),
        other => panic!("expected a callback from {payload}: {other:?}"),
    }
}

/// The whole list of `(path, message)` the payload is refused with.
#[track_caller]
fn refused(payload: Value) -> Vec<(String, String)> {
    match parse_with(&payload, &defaults()) {
        Ok(r) => panic!("expected a refusal of {payload}, accepted {r:?}"),
        Err(e) => e
            .violations
            .into_iter()
            .map(|v| (v.path, v.kind.to_string()))
            .collect(),
    }
}

fn one(path: &str, message: &str) -> Vec<(String, String)> {
    vec![(path.to_owned(), message.to_owned())]
}

// ---------------------------------------------------------------------- the payload's operation

#[test]
fn a_payload_names_its_operation_or_is_a_bare_create_contact() {
    accepted_task(task(json!({})));
    accepted_callback(callback(json!({})));
    let bare = json!({"InstanceId": "i", "Channel": "TASK", "InitiationMethod": "API"});
    assert!(matches!(
        parse_with(&bare, &defaults()),
        Ok(Request::CreateContact(_))
    ));
    let wrapped = json!({ "CreateContact": bare });
    assert!(matches!(
        parse_with(&wrapped, &defaults()),
        Ok(Request::CreateContact(_))
    ));
}

#[test]
fn an_unknown_operation_names_the_supported_ones() {
    assert_eq!(
        refused(json!({"StartContactRecording": {"InstanceId": "i"}})),
        one(
            "/StartContactRecording",
            "is not an operation contact-bridge calls; supported: CreateContact, \
             StartTaskContact, StartOutboundVoiceContact, StartOutboundChatContact, \
             StartEmailContact, StartOutboundEmailContact, StartChatContact, StartWebRTCContact"
        )
    );
    assert_eq!(
        refused(json!({"StartTaskContacts": {"Name": "n"}})),
        one(
            "/StartTaskContacts",
            "is not an operation contact-bridge calls (did you mean StartTaskContact?); \
             supported: CreateContact, StartTaskContact, StartOutboundVoiceContact, \
             StartOutboundChatContact, StartEmailContact, StartOutboundEmailContact, \
             StartChatContact, StartWebRTCContact"
        )
    );
}

#[test]
fn two_operations_in_one_payload_are_refused() {
    let mut payload = task(json!({}));
    payload["StartOutboundVoiceContact"] = callback(json!({}))["StartOutboundVoiceContact"].clone();
    assert_eq!(
        refused(payload),
        one(
            "",
            "names 2 operations (StartTaskContact, StartOutboundVoiceContact); a payload names \
             one of CreateContact, StartTaskContact, StartOutboundVoiceContact, \
             StartOutboundChatContact, StartEmailContact, StartOutboundEmailContact, \
             StartChatContact, StartWebRTCContact"
        )
    );
}

#[test]
fn a_member_beside_the_operation_is_unknown() {
    let mut payload = task(json!({}));
    payload["Name"] = json!("n");
    assert_eq!(
        refused(payload),
        one("/Name", "unknown member of the payload")
    );
}

#[test]
fn a_correlation_id_may_stand_beside_the_operation() {
    let mut payload = task(json!({}));
    payload["CorrelationId"] = json!("order-1042");
    accepted_task(payload.clone());
    assert_eq!(
        contact_bridge::request::payload_correlation_id(&payload),
        Some("order-1042")
    );
    for (bad, message) in [
        (json!(""), "must not be empty".to_owned()),
        (
            json!("c".repeat(257)),
            "must be at most 256 characters (it has 257)".to_owned(),
        ),
        (json!(1042), "must be a string, not a number".to_owned()),
    ] {
        payload["CorrelationId"] = bad;
        assert_eq!(refused(payload.clone()), one("/CorrelationId", &message));
        assert_eq!(
            contact_bridge::request::payload_correlation_id(&payload),
            None
        );
    }
    // A bare CreateContact request has no place for one: name the operation.
    let bare = json!({"InstanceId": "i", "Channel": "TASK", "InitiationMethod": "API", "CorrelationId": "c"});
    assert_eq!(refused(bare.clone())[0].0, "/CorrelationId");
    assert_eq!(contact_bridge::request::payload_correlation_id(&bare), None);
}

#[test]
fn a_member_of_another_operation_names_the_operation_it_belongs_to() {
    assert_eq!(
        refused(task(json!({"Channel": "TASK"}))),
        one(
            "/StartTaskContact/Channel",
            "is not a member of StartTaskContact but of CreateContact: name the operation, \
             as in {\"CreateContact\": {...}}"
        )
    );
    // A bare request is CreateContact's: a task's member there says whose it is.
    let bare = json!({"InstanceId": "i", "Channel": "TASK", "InitiationMethod": "API", "ContactFlowId": "f"});
    let violations = refused(bare);
    assert_eq!(violations.len(), 1);
    assert_eq!(violations[0].0, "/ContactFlowId");
    assert!(
        violations[0].1.starts_with(
            "is not a member of CreateContact but of StartTaskContact, \
             StartOutboundVoiceContact, StartOutboundChatContact, StartEmailContact, \
             StartChatContact and StartWebRTCContact: name the operation, as in \
             {\"StartTaskContact\": {...}}"
        ),
        "{}",
        violations[0].1
    );
    // A typo still gets its suggestion.
    assert_eq!(
        refused(task(json!({"Nme": "x"})))[0].1,
        "unknown member of StartTaskContact (did you mean Name?)"
    );
    // The accepted members are listed once per answer, in its message and in `accepted`.
    let errors = parse_payload(
        &task(json!({"Nme": "x", "Nam": "y", "Channel": "TASK"})),
        &defaults(),
    )
    .unwrap_err();
    let members = contact_bridge::request::START_TASK_CONTACT.member_names;
    assert_eq!(errors.accepted(), vec![("StartTaskContact", members)]);
    let message = errors.to_string();
    let list = format!("StartTaskContact accepts: {}", members.join(", "));
    assert_eq!(message.matches(&list).count(), 1, "{message}");
}

#[test]
fn the_operation_body_must_be_an_object() {
    assert_eq!(
        refused(json!({"StartTaskContact": []})),
        one("/StartTaskContact", "must be an object, not an array")
    );
}

// ---------------------------------------------------------------------- StartTaskContact

#[test]
fn a_task_needs_a_name_and_an_instance() {
    assert_eq!(
        refused(task(json!({"Name": null, "InstanceId": null}))),
        vec![
            (
                "/StartTaskContact/InstanceId".to_owned(),
                "is required (no CONNECT_INSTANCE_ID default is configured)".to_owned()
            ),
            (
                "/StartTaskContact/Name".to_owned(),
                "is required".to_owned()
            ),
        ]
    );
    let with_default = RequestDefaults {
        instance_id: Some("default-inst"),
        ..defaults()
    };
    match parse_with(&task(json!({"InstanceId": null})), &with_default) {
        Ok(Request::StartTaskContact(r)) => assert_eq!(r.instance_id, "default-inst"),
        other => panic!("{other:?}"),
    }
    // The model allows an empty name.
    assert_eq!(accepted_task(task(json!({"Name": ""}))).name, "");
}

#[test]
fn a_task_names_exactly_one_route() {
    let template = accepted_task(task(
        json!({"ContactFlowId": null, "TaskTemplateId": "tt-1"}),
    ));
    assert_eq!(template.task_template_id.as_deref(), Some("tt-1"));
    let quick = accepted_task(task(
        json!({"ContactFlowId": null, "QuickConnectId": "qc-1"}),
    ));
    assert_eq!(quick.quick_connect_id.as_deref(), Some("qc-1"));
    assert_eq!(
        refused(task(json!({"ContactFlowId": null}))),
        one(
            "/StartTaskContact",
            "needs one of ContactFlowId, QuickConnectId or TaskTemplateId (a task template with \
             a flow may stand alone); no DEFAULT_CONTACT_FLOW_ID default is configured"
        )
    );
    assert_eq!(
        refused(task(json!({"TaskTemplateId": "tt-1"}))),
        one(
            "/StartTaskContact",
            "must have exactly one of ContactFlowId, QuickConnectId, TaskTemplateId (it has 2)"
        )
    );
    assert_eq!(
        refused(task(
            json!({"TaskTemplateId": "tt-1", "QuickConnectId": "q"})
        )),
        one(
            "/StartTaskContact",
            "must have exactly one of ContactFlowId, QuickConnectId, TaskTemplateId (it has 3)"
        )
    );
    // A route that is there but broken counts as named: one message for the length, none more.
    assert_eq!(
        refused(task(json!({"ContactFlowId": null, "TaskTemplateId": ""}))),
        one("/StartTaskContact/TaskTemplateId", "must not be empty")
    );
}

#[test]
fn the_default_flow_fills_a_task_that_names_no_route() {
    let with_default = RequestDefaults {
        contact_flow_id: Some("default-flow"),
        ..defaults()
    };
    let parse = |payload: Value| match parse_with(&payload, &with_default) {
        Ok(Request::StartTaskContact(r)) => r.into_inner(),
        other => panic!("{other:?}"),
    };
    let routed = parse(task(json!({"ContactFlowId": null})));
    assert_eq!(routed.contact_flow_id.as_deref(), Some("default-flow"));
    let explicit = parse(task(json!({})));
    assert_eq!(explicit.contact_flow_id.as_deref(), Some("flow-1"));
    let template = parse(task(
        json!({"ContactFlowId": null, "TaskTemplateId": "tt-1"}),
    ));
    assert_eq!(
        template.contact_flow_id, None,
        "a template names its own flow"
    );
    let quick = parse(task(
        json!({"ContactFlowId": null, "QuickConnectId": "qc-1"}),
    ));
    assert_eq!(quick.contact_flow_id, None);
}

#[test]
fn task_references_exclude_attachments_and_the_other_types() {
    for kind in ["URL", "NUMBER", "STRING", "DATE", "EMAIL"] {
        accepted_task(task(
            json!({"References": {"r": {"Type": kind, "Value": "v"}}}),
        ));
    }
    for kind in ["ATTACHMENT", "CONTACT_ANALYSIS", "EMAIL_MESSAGE"] {
        assert_eq!(
            refused(task(
                json!({"References": {"r": {"Type": kind, "Value": "v"}}})
            )),
            one(
                "/StartTaskContact/References/r/Type",
                "StartTaskContact accepts only references of type URL, NUMBER, STRING, DATE, EMAIL"
            ),
            "{kind}"
        );
    }
}

#[test]
fn attachments_are_one_to_five_named_files() {
    let attachment =
        json!({"FileName": "invoice.pdf", "S3Url": "https://bucket.s3.amazonaws.com/x?sig"});
    let r = accepted_task(task(json!({"Attachments": [attachment]})));
    assert_eq!(r.attachments[0].file_name, "invoice.pdf");
    accepted_task(task(json!({"Attachments": vec![attachment.clone(); 5]})));
    assert_eq!(
        refused(task(json!({"Attachments": vec![attachment.clone(); 6]}))),
        one(
            "/StartTaskContact/Attachments",
            "must have 1 to 5 items (it has 6)"
        )
    );
    // Every character of category C, as the model's `^\P{C}*$` means it: the ones the review saw
    // reach Connect (a soft hyphen, a zero-width space, a right-to-left override, a byte order
    // mark, private use, unassigned, a language tag).
    for c in [
        '\u{00AD}',
        '\u{200B}',
        '\u{202E}',
        '\u{FEFF}',
        '\u{E000}',
        '\u{0378}',
        '\u{E0001}',
    ] {
        let attachment = json!({"FileName": format!("report{c}.pdf"), "S3Url": "s3://b/k"});
        assert_eq!(
            refused(task(json!({"Attachments": [attachment]})))[0].0,
            "/StartTaskContact/Attachments/0/FileName",
            "U+{:04X}",
            c as u32
        );
    }
    accepted_task(task(
        json!({"Attachments": [{"FileName": "Überweisung 申请 😀.pdf", "S3Url": "s3://b/k"}]}),
    ));
    assert_eq!(
        refused(task(json!({"Attachments": []}))),
        one(
            "/StartTaskContact/Attachments",
            "must have 1 to 5 items (it has 0)"
        )
    );
    assert_eq!(
        refused(task(
            json!({"Attachments": [{"FileName": "a\u{7}b", "S3Url": ""}, {"Name": "x"}]})
        )),
        vec![
            (
                "/StartTaskContact/Attachments/0/FileName".to_owned(),
                "must not contain control, format, private-use or unassigned characters \
                 (Unicode category C)"
                    .to_owned()
            ),
            (
                "/StartTaskContact/Attachments/0/S3Url".to_owned(),
                "must not be empty".to_owned()
            ),
            (
                "/StartTaskContact/Attachments/1/Name".to_owned(),
                "unknown member of TaskAttachment".to_owned()
            ),
            (
                "/StartTaskContact/Attachments/1/FileName".to_owned(),
                "is required".to_owned()
            ),
            (
                "/StartTaskContact/Attachments/1/S3Url".to_owned(),
                "is required".to_owned()
            ),
        ]
    );
    assert_eq!(
        refused(task(json!({"Attachments": {"FileName": "a"}}))),
        one(
            "/StartTaskContact/Attachments",
            "must be an array, not an object"
        )
    );
}

#[test]
fn scheduled_time_is_epoch_seconds_or_iso_8601_within_six_days() {
    let at = |value: Value| accepted_task(task(json!({"ScheduledTime": value}))).scheduled_time;
    assert_eq!(at(json!(NOW + 3600)), Some(NOW + 3600));
    assert_eq!(at(json!(NOW)), Some(NOW), "now is not the past");
    assert_eq!(at(json!(NOW + 6 * DAY)), Some(NOW + 6 * DAY));
    assert_eq!(
        at(json!((NOW + 60).to_string())),
        Some(NOW + 60),
        "digits as text (flows)"
    );
    assert_eq!(at(json!("2026-11-30T09:30:00Z")), Some(NOW + DAY - 9000));
    assert_eq!(
        at(json!("2026-11-30T09:30:00.750Z")),
        Some(NOW + DAY - 9000)
    );
    assert_eq!(at(json!(NOW as f64 + 10.5)), Some(NOW + 10));
    // A duration from the time of the check: a time that is always ahead.
    assert_eq!(at(json!("PT1H")), Some(NOW + 3600));
    assert_eq!(at(json!("P6D")), Some(NOW + 6 * DAY));
    let path = "/StartTaskContact/ScheduledTime";
    assert_eq!(
        refused(task(json!({"ScheduledTime": "P6DT1S"}))),
        one(path, "must be at most 6 days ahead")
    );
    assert_eq!(
        refused(task(json!({"ScheduledTime": NOW - 1}))),
        one(path, "must not be in the past")
    );
    assert_eq!(
        refused(task(json!({"ScheduledTime": NOW + 6 * DAY + 1}))),
        one(path, "must be at most 6 days ahead")
    );
    for bad in [json!("tomorrow"), json!("2026-13-01T00:00:00Z"), json!("")] {
        assert_eq!(
            refused(task(json!({"ScheduledTime": bad}))),
            one(
                path,
                "must be epoch seconds (a JSON number) or an ISO 8601 timestamp such as \
                 2026-12-01T09:30:00Z, or an ISO 8601 duration from now such as PT1H"
            ),
            "{bad}"
        );
    }
    assert_eq!(
        refused(task(json!({"ScheduledTime": true}))),
        one(
            path,
            "must be a timestamp (epoch seconds, or ISO 8601 text), not a boolean"
        )
    );
}

#[test]
fn task_lengths_follow_the_model() {
    let path = |m: &str| format!("/StartTaskContact/{m}");
    for (member, max) in [
        ("Name", 1024),
        ("Description", 4096),
        ("ContactFlowId", 500),
        ("ClientToken", 500),
    ] {
        accepted_task(task(json!({ member: "x".repeat(max) })));
        assert_eq!(
            refused(task(json!({ member: "x".repeat(max + 1) }))),
            one(
                &path(member),
                &format!("must be at most {max} characters (it has {})", max + 1)
            )
        );
    }
    for member in ["PreviousContactId", "RelatedContactId"] {
        accepted_task(task(json!({ member: "c-1" })));
        assert_eq!(
            refused(task(json!({ member: "" }))),
            one(&path(member), "must not be empty")
        );
    }
}

#[test]
fn task_attributes_and_segment_attributes_follow_create_contacts_rules() {
    let r = accepted_task(task(json!({
        "Attributes": {"orderId": "1042"},
        "SegmentAttributes": {"connect:ContactExpiry": {"ValueMap": {"ExpiryDuration": {"ValueInteger": 135}}}},
    })));
    assert_eq!(r.attributes["orderId"], "1042");
    assert!(r.segment_attributes.contains_key("connect:ContactExpiry"));
    assert_eq!(
        refused(task(json!({"Attributes": {"bad key": "v", "big": "x".repeat(32_768)}}))),
        vec![
            (
                "/StartTaskContact/Attributes/bad key".to_owned(),
                "attribute keys may contain only letters, digits, '-' and '_', and must not be empty"
                    .to_owned()
            ),
            (
                "/StartTaskContact/Attributes".to_owned(),
                "keys and values total 32779 UTF-8 bytes; at most 32768 are allowed".to_owned()
            ),
        ]
    );
    assert_eq!(
        refused(task(json!({"SegmentAttributes": {"k": {}}}))),
        one(
            "/StartTaskContact/SegmentAttributes/k",
            "must have exactly one of ValueString, ValueInteger, ValueMap, ValueList, ValueArn (it has 0)"
        )
    );
}

// ---------------------------------------------------------------------- StartOutboundVoiceContact

#[test]
fn a_callback_needs_a_number_a_flow_and_an_instance() {
    assert_eq!(
        refused(callback(
            json!({"DestinationPhoneNumber": null, "ContactFlowId": null, "InstanceId": null})
        )),
        vec![
            (
                "/StartOutboundVoiceContact/InstanceId".to_owned(),
                "is required (no CONNECT_INSTANCE_ID default is configured)".to_owned()
            ),
            (
                "/StartOutboundVoiceContact/DestinationPhoneNumber".to_owned(),
                "is required".to_owned()
            ),
            (
                "/StartOutboundVoiceContact/ContactFlowId".to_owned(),
                "is required (no DEFAULT_CONTACT_FLOW_ID default is configured)".to_owned()
            ),
        ]
    );
}

#[test]
fn phone_numbers_are_e164() {
    for good in ["+14155550100", "+44", "+123456789012345"] {
        accepted_callback(callback(
            json!({"DestinationPhoneNumber": good, "SourcePhoneNumber": good}),
        ));
    }
    let message = "must be an E.164 phone number: '+' then 2 to 15 digits, the first not 0";
    for bad in [
        "14155550100",
        "+0123",
        "+1",
        "+1234567890123456",
        "+1 415 555 0100",
        "",
        "+1415555010a",
    ] {
        assert_eq!(
            refused(callback(json!({"DestinationPhoneNumber": bad}))),
            one("/StartOutboundVoiceContact/DestinationPhoneNumber", message),
            "{bad:?}"
        );
        assert_eq!(
            refused(callback(json!({"SourcePhoneNumber": bad}))),
            one("/StartOutboundVoiceContact/SourcePhoneNumber", message),
            "{bad:?}"
        );
    }
}

#[test]
fn a_callback_names_a_queue_or_a_source_number() {
    let r = accepted_callback(callback(
        json!({"QueueId": null, "SourcePhoneNumber": "+14155550199"}),
    ));
    assert_eq!(r.queue_id, None);
    assert_eq!(
        refused(callback(json!({"QueueId": null}))),
        one(
            "/StartOutboundVoiceContact/QueueId",
            "is required when SourcePhoneNumber is not given (no DEFAULT_QUEUE_ID default is \
             configured)"
        )
    );
    let with_defaults = RequestDefaults {
        contact_flow_id: Some("default-flow"),
        queue_id: Some("default-queue"),
        ..defaults()
    };
    let parse = |payload: Value| match parse_with(&payload, &with_defaults) {
        Ok(Request::StartOutboundVoiceContact(r)) => r.into_inner(),
        other => panic!("{other:?}"),
    };
    let filled = parse(callback(json!({"QueueId": null, "ContactFlowId": null})));
    assert_eq!(
        (filled.contact_flow_id.as_str(), filled.queue_id.as_deref()),
        ("default-flow", Some("default-queue"))
    );
    let explicit = parse(callback(json!({})));
    assert_eq!(
        (
            explicit.contact_flow_id.as_str(),
            explicit.queue_id.as_deref()
        ),
        ("flow-1", Some("queue-1"))
    );
    let by_number = parse(callback(
        json!({"QueueId": null, "SourcePhoneNumber": "+14155550199"}),
    ));
    assert_eq!(by_number.queue_id, None, "the producer chose the caller ID");
}

#[test]
fn ring_timeout_is_15_to_60_seconds() {
    for ok in [15, 60] {
        assert_eq!(
            accepted_callback(callback(json!({"RingTimeoutInSeconds": ok})))
                .ring_timeout_in_seconds,
            Some(ok)
        );
    }
    for bad in [14, 61, -1] {
        assert_eq!(
            refused(callback(json!({"RingTimeoutInSeconds": bad}))),
            one(
                "/StartOutboundVoiceContact/RingTimeoutInSeconds",
                "must be an integer from 15 to 60"
            )
        );
    }
    assert_eq!(
        refused(callback(json!({"RingTimeoutInSeconds": "30"}))),
        one(
            "/StartOutboundVoiceContact/RingTimeoutInSeconds",
            "must be an integer (a JSON number), not a string"
        )
    );
}

#[test]
fn answering_machine_detection_needs_campaign_traffic() {
    let campaign = accepted_callback(callback(json!({
        "TrafficType": "CAMPAIGN", "CampaignId": "c-1",
        "AnswerMachineDetectionConfig": {"EnableAnswerMachineDetection": true, "AwaitAnswerMachinePrompt": true},
    })));
    assert_eq!(
        campaign
            .answer_machine_detection_config
            .unwrap()
            .enable_answer_machine_detection,
        Some(true)
    );
    accepted_callback(callback(json!({
        "AnswerMachineDetectionConfig": {"EnableAnswerMachineDetection": false},
    })));
    let rule = one(
        "/StartOutboundVoiceContact/AnswerMachineDetectionConfig/EnableAnswerMachineDetection",
        "may be true only with TrafficType CAMPAIGN",
    );
    assert_eq!(
        refused(callback(
            json!({"AnswerMachineDetectionConfig": {"EnableAnswerMachineDetection": true}})
        )),
        rule
    );
    assert_eq!(
        refused(callback(
            json!({"TrafficType": "GENERAL", "AnswerMachineDetectionConfig": {"EnableAnswerMachineDetection": true}})
        )),
        rule
    );
    // A misspelt TrafficType is reported once, as itself.
    assert_eq!(
        refused(callback(
            json!({"TrafficType": "campaign", "AnswerMachineDetectionConfig": {"EnableAnswerMachineDetection": true}})
        )),
        one(
            "/StartOutboundVoiceContact/TrafficType",
            "must be one of GENERAL, CAMPAIGN"
        )
    );
    assert_eq!(
        refused(callback(
            json!({"AnswerMachineDetectionConfig": {"EnableAnswerMachineDetection": "yes"}})
        )),
        one(
            "/StartOutboundVoiceContact/AnswerMachineDetectionConfig/EnableAnswerMachineDetection",
            "must be a boolean, not a string"
        )
    );
}

#[test]
fn the_outbound_strategy_follows_the_model() {
    let strategy = json!({"Type": "AGENT_FIRST", "Config": {"AgentFirst": {"Preview": {
        "PostAcceptTimeoutConfig": {"DurationInSeconds": 30},
        "AllowedUserActions": ["CALL", "DISCARD"],
    }}}});
    let r = accepted_callback(callback(json!({"OutboundStrategy": strategy})));
    let preview = r
        .outbound_strategy
        .unwrap()
        .config
        .unwrap()
        .agent_first
        .unwrap()
        .preview
        .unwrap();
    assert_eq!(preview.post_accept_timeout_config.duration_in_seconds, 30);
    assert_eq!(preview.allowed_user_actions.len(), 2);
    accepted_callback(callback(
        json!({"OutboundStrategy": {"Type": "AGENT_FIRST"}}),
    ));
    let at = "/StartOutboundVoiceContact/OutboundStrategy";
    assert_eq!(
        refused(callback(json!({"OutboundStrategy": {"Config": {}}}))),
        one(&format!("{at}/Type"), "is required")
    );
    assert_eq!(
        refused(callback(
            json!({"OutboundStrategy": {"Type": "AGENT_FIRST", "Config": {"AgentFirst": {"Preview": {
                "PostAcceptTimeoutConfig": {"DurationInSeconds": -1},
                "AllowedUserActions": ["CALL", "HANG_UP"],
            }}}}})
        )),
        vec![
            (
                format!("{at}/Config/AgentFirst/Preview/PostAcceptTimeoutConfig/DurationInSeconds"),
                "must be an integer from 0 to 2147483647".to_owned()
            ),
            (
                format!("{at}/Config/AgentFirst/Preview/AllowedUserActions/1"),
                "must be one of CALL, DISCARD".to_owned()
            ),
        ]
    );
}

#[test]
fn callback_references_campaign_and_lengths() {
    accepted_callback(callback(
        json!({"References": {"r": {"Type": "URL", "Value": "https://x"}}, "CampaignId": "c"}),
    ));
    assert_eq!(
        refused(callback(
            json!({"References": {"r": {"Type": "ATTACHMENT"}}})
        )),
        one(
            "/StartOutboundVoiceContact/References/r/Type",
            "StartOutboundVoiceContact accepts only references of type URL, NUMBER, STRING, DATE, EMAIL"
        )
    );
    assert_eq!(
        refused(callback(json!({"CampaignId": "c".repeat(101)}))),
        one(
            "/StartOutboundVoiceContact/CampaignId",
            "must be at most 100 characters (it has 101)"
        )
    );
    assert_eq!(
        refused(callback(json!({"CampaignId": ""}))),
        one("/StartOutboundVoiceContact/CampaignId", "must not be empty")
    );
}

#[test]
fn every_violation_of_a_callback_is_reported_at_once() {
    let errors = parse_with(
        &callback(json!({
            "DestinationPhoneNumber": "555-0100", "QueueId": null, "RingTimeoutInSeconds": 5,
            "TrafficType": "BULK", "Channel": "VOICE",
        })),
        &defaults(),
    )
    .unwrap_err();
    assert_eq!(
        errors.operation,
        Some(contact_bridge::request::OperationName::StartOutboundVoiceContact)
    );
    let kinds: Vec<(&str, &K)> = errors
        .violations
        .iter()
        .map(|v| (v.path.as_str(), &v.kind))
        .collect();
    let paths: Vec<&str> = kinds.iter().map(|(p, _)| *p).collect();
    assert_eq!(
        paths,
        [
            "/StartOutboundVoiceContact/Channel",
            "/StartOutboundVoiceContact/DestinationPhoneNumber",
            "/StartOutboundVoiceContact/TrafficType",
            "/StartOutboundVoiceContact/RingTimeoutInSeconds",
            "/StartOutboundVoiceContact/QueueId",
        ]
    );
    assert!(
        errors
            .to_string()
            .starts_with("invalid StartOutboundVoiceContact request (5 problems): "),
        "{errors}"
    );
}

#[test]
fn messages_never_echo_values() {
    let secret = "+14155550123";
    let errors = parse_with(
        &callback(json!({"DestinationPhoneNumber": format!("{secret}999"), "SourcePhoneNumber": "x+1", "Name": 3})),
        &defaults(),
    )
    .unwrap_err();
    assert!(!errors.to_string().contains(secret), "{errors}");
}

#[test]
fn each_request_serialises_as_the_aws_cli_input() {
    let full_task = json!({
        "InstanceId": "inst-1", "Name": "n", "ContactFlowId": "f", "ClientToken": "t",
        "PreviousContactId": "p", "RelatedContactId": "r", "Description": "d",
        "ScheduledTime": NOW + 60, "Attributes": {"a": "1"},
        "References": {"x": {"Type": "URL", "Value": "v"}},
        "SegmentAttributes": {"connect:ContactExpiry": {"ValueMap": {"ExpiryDuration": {"ValueInteger": 135}}}},
        "Attachments": [{"FileName": "f.txt", "S3Url": "https://s3/x"}],
    });
    let r = accepted_task(json!({"StartTaskContact": full_task}));
    assert_eq!(serde_json::to_value(&r).unwrap(), full_task);
    let full_callback = json!({
        "InstanceId": "inst-1", "DestinationPhoneNumber": "+14155550100", "ContactFlowId": "f",
        "QueueId": "q", "SourcePhoneNumber": "+14155550199", "ClientToken": "t", "Name": "n",
        "Description": "d", "RelatedContactId": "r", "Attributes": {"a": "1"},
        "References": {"x": {"Type": "NUMBER", "Value": "1"}},
        "AnswerMachineDetectionConfig": {"EnableAnswerMachineDetection": true, "AwaitAnswerMachinePrompt": false},
        "CampaignId": "c", "TrafficType": "CAMPAIGN",
        "OutboundStrategy": {"Type": "AGENT_FIRST", "Config": {"AgentFirst": {"Preview": {
            "PostAcceptTimeoutConfig": {"DurationInSeconds": 10}, "AllowedUserActions": ["CALL"],
        }}}},
        "RingTimeoutInSeconds": 20,
    });
    let r = accepted_callback(json!({"StartOutboundVoiceContact": full_callback}));
    assert_eq!(serde_json::to_value(&r).unwrap(), full_callback);
}

#[test]
fn every_member_of_each_description_is_read() {
    // The serialisation test above names every member of both operations: the descriptions'
    // member lists hold exactly those.
    for (operation, count) in [
        (contact_bridge::request::OperationName::StartTaskContact, 14),
        (
            contact_bridge::request::OperationName::StartOutboundVoiceContact,
            16,
        ),
    ] {
        let spec = operation.spec();
        let mut described: Vec<&str> = spec.members.iter().map(|m| m.name).collect();
        let mut named = spec.member_names.to_vec();
        described.sort_unstable();
        named.sort_unstable();
        assert_eq!(described, named, "{operation}");
        assert_eq!(described.len(), count, "{operation}");
    }
}
