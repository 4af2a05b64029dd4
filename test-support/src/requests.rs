//! Valid request bodies of the operations the model describes: the fewest members each needs,
//! and every member the model has (in variants where members exclude each other).

use serde_json::{Value, json};

/// The operations the service model describes alone.
pub const MODELED: [&str; 5] = [
    "StartOutboundChatContact",
    "StartEmailContact",
    "StartOutboundEmailContact",
    "StartChatContact",
    "StartWebRTCContact",
];

/// The fewest members a valid `operation` body needs (with no settings to supply any).
pub fn minimal_body(operation: &str) -> Value {
    match operation {
        "StartOutboundChatContact" => json!({
            "InstanceId": "inst-1",
            "ContactFlowId": "flow-1",
            "SourceEndpoint": {
                "Type": "CONNECT_PHONENUMBER_ARN",
                "Address": "arn:aws:connect:us-east-1:123456789012:instance/inst-1/phone-number/pn-1",
            },
            "DestinationEndpoint": { "Type": "TELEPHONE_NUMBER", "Address": "+14155550100" },
            "SegmentAttributes": { "connect:Subtype": { "ValueString": "connect:SMS" } },
        }),
        "StartEmailContact" => json!({
            "InstanceId": "inst-1",
            "FromEmailAddress": { "EmailAddress": "customer@example.com" },
            "DestinationEmailAddress": "support@example.com",
            "EmailMessage": {
                "MessageSourceType": "RAW",
                "RawMessage": { "Subject": "Order 1042", "Body": "Where is it?", "ContentType": "text/plain" },
            },
        }),
        "StartOutboundEmailContact" => json!({
            "InstanceId": "inst-1",
            "ContactId": "c-1",
            "DestinationEmailAddress": { "EmailAddress": "customer@example.com" },
            "EmailMessage": {
                "MessageSourceType": "RAW",
                "RawMessage": { "Subject": "Order 1042", "Body": "It shipped.", "ContentType": "text/plain" },
            },
        }),
        "StartChatContact" | "StartWebRTCContact" => json!({
            "InstanceId": "inst-1",
            "ContactFlowId": "flow-1",
            "ParticipantDetails": { "DisplayName": "Ana" },
        }),
        other => panic!("no body for {other}"),
    }
}

fn templated() -> Value {
    json!({
        "KnowledgeBaseId": "kb-1",
        "MessageTemplateId": "mt-1",
        "TemplateAttributes": {
            "CustomAttributes": { "orderId": "1042" },
            "CustomerProfileAttributes": "{\"FirstName\":\"Ana\"}",
        },
    })
}

/// Bodies of `operation` that between them give every member of the model.
pub fn full_bodies(operation: &str) -> Vec<Value> {
    let mut full = minimal_body(operation);
    let add = |body: &mut Value, members: Value| {
        for (k, v) in members.as_object().unwrap() {
            body[k] = v.clone();
        }
    };
    let mut variants = Vec::new();
    match operation {
        "StartOutboundChatContact" => {
            add(
                &mut full,
                json!({
                    "Attributes": { "orderId": "1042" },
                    "ChatDurationInMinutes": 1440,
                    "ParticipantDetails": { "DisplayName": "Orders" },
                    "RelatedContactId": "rel-1",
                    "SupportedMessagingContentTypes": ["text/plain", "text/markdown"],
                    "ClientToken": "tok-1",
                }),
            );
            let mut templated_variant = full.clone();
            full["InitialSystemMessage"] =
                json!({ "ContentType": "text/plain", "Content": "Your order shipped." });
            templated_variant["InitialTemplatedSystemMessage"] = templated();
            variants.push(templated_variant);
        }
        "StartEmailContact" => add(
            &mut full,
            json!({
                "FromEmailAddress": { "EmailAddress": "customer@example.com", "DisplayName": "Ana" },
                "Description": "From the ticketing tool",
                "References": { "ticket": { "Type": "URL", "Value": "https://tickets.example.com/1042" } },
                "Name": "Order 1042",
                "EmailMessage": {
                    "MessageSourceType": "RAW",
                    "RawMessage": {
                        "Subject": "Order 1042", "Body": "<p>Where is it?</p>", "ContentType": "text/html",
                        "Headers": { "MESSAGE_ID": "<1042@example.com>", "IN_REPLY_TO": "<1041@example.com>" },
                    },
                },
                "AdditionalRecipients": {
                    "ToAddresses": [{ "EmailAddress": "orders@example.com", "DisplayName": "Orders" }],
                    "CcAddresses": [{ "EmailAddress": "manager@example.com" }],
                },
                "Attachments": [{ "FileName": "invoice.pdf", "S3Url": "https://bucket.s3.amazonaws.com/invoice.pdf" }],
                "ContactFlowId": "flow-1",
                "RelatedContactId": "rel-1",
                "Attributes": { "ticket": "1042" },
                "SegmentAttributes": { "priority": { "ValueString": "high" } },
                "ClientToken": "tok-1",
            }),
        ),
        "StartOutboundEmailContact" => {
            add(
                &mut full,
                json!({
                    "FromEmailAddress": { "EmailAddress": "orders@example.com", "DisplayName": "Orders" },
                    "DestinationEmailAddress": { "EmailAddress": "customer@example.com", "DisplayName": "Ana" },
                    "AdditionalRecipients": { "CcEmailAddresses": [{ "EmailAddress": "manager@example.com", "DisplayName": "M" }] },
                    "ClientToken": "tok-1",
                }),
            );
            let mut template = full.clone();
            template["EmailMessage"] =
                json!({ "MessageSourceType": "TEMPLATE", "TemplatedMessageConfig": templated() });
            variants.push(template);
        }
        "StartChatContact" => {
            add(
                &mut full,
                json!({
                    "Attributes": { "page": "checkout" },
                    "ParticipantConfiguration": { "ResponseMode": "INCREMENTAL" },
                    "InitialMessage": { "ContentType": "text/plain", "Content": "Hello" },
                    "ClientToken": "tok-1",
                    "ChatDurationInMinutes": 60,
                    "SupportedMessagingContentTypes": ["text/plain", "text/markdown"],
                    "SegmentAttributes": { "priority": { "ValueString": "high" } },
                    "CustomerId": "customer-1",
                    "DisconnectOnCustomerExit": ["AGENT"],
                    "ConnectionTypes": ["WEBSOCKET", "CONNECTION_CREDENTIALS"],
                    "ChatStreamingConfiguration": { "StreamingEndpointArn": "arn:aws:sns:us-east-1:123456789012:chat" },
                }),
            );
            let mut related = full.clone();
            full["PersistentChat"] =
                json!({ "RehydrationType": "ENTIRE_PAST_SESSION", "SourceContactId": "c-0" });
            related["RelatedContactId"] = json!("rel-1");
            variants.push(related);
        }
        "StartWebRTCContact" => add(
            &mut full,
            json!({
                "Attributes": { "page": "checkout" },
                "ClientToken": "tok-1",
                "AllowedCapabilities": {
                    "Customer": { "Video": "SEND", "ScreenShare": "SEND" },
                    "Agent": { "Video": "SEND", "ScreenShare": "SEND" },
                },
                "RelatedContactId": "rel-1",
                "References": { "order": { "Type": "STRING", "Value": "1042" } },
                "Description": "Video support",
                "SegmentAttributes": { "priority": { "ValueString": "high" } },
            }),
        ),
        other => panic!("no body for {other}"),
    }
    variants.insert(0, full);
    variants
}

/// A CreateContact EMAIL request and the StartOutboundEmailContact that sends its email (which
/// leaves its ContactId out).
pub fn email_pair() -> Value {
    let mut send = minimal_body("StartOutboundEmailContact");
    send.as_object_mut().unwrap().remove("ContactId");
    json!({
        "CreateContact": {
            "InstanceId": "inst-1", "Channel": "EMAIL", "InitiationMethod": "OUTBOUND",
            "UserInfo": { "UserId": "agent-1" },
        },
        "StartOutboundEmailContact": send,
    })
}

/// The cases of [`refused_cases`] no JSON Schema can state (a sum across two lists).
pub fn beyond_a_schema(case: &Case) -> bool {
    case.2 == "/AdditionalRecipients" && case.0 == "StartEmailContact"
}

/// `(operation, members replaced in its minimal body, the one violation, its message)`.
pub type Case = (&'static str, Value, &'static str, &'static str);

pub fn refused_cases() -> Vec<Case> {
    let raw = |content_type: &str| json!({"MessageSourceType": "RAW", "RawMessage": {"Subject": "s", "Body": "b", "ContentType": content_type}});
    let addresses = |n: usize| -> Value {
        (0..n)
            .map(|i| json!({"EmailAddress": format!("r{i}@example.com")}))
            .collect()
    };
    vec![
        // StartOutboundChatContact
        (
            "StartOutboundChatContact",
            json!({"SourceEndpoint": {"Type": "TELEPHONE_NUMBER", "Address": "+14155550199"}}),
            "/SourceEndpoint/Type",
            "must be CONNECT_PHONENUMBER_ARN: the ARN of the instance's phone number that sends the messages",
        ),
        (
            "StartOutboundChatContact",
            json!({"DestinationEndpoint": {"Type": "EMAIL_ADDRESS", "Address": "+14155550100"}}),
            "/DestinationEndpoint/Type",
            "must be TELEPHONE_NUMBER: the customer's phone number",
        ),
        (
            "StartOutboundChatContact",
            json!({"DestinationEndpoint": {"Type": "TELEPHONE_NUMBER", "Address": "4155550100"}}),
            "/DestinationEndpoint/Address",
            "must be an E.164 phone number: '+' then 2 to 15 digits, the first not 0",
        ),
        (
            "StartOutboundChatContact",
            json!({"DestinationEndpoint": {"Type": "TELEPHONE_NUMBER"}}),
            "/DestinationEndpoint/Address",
            "is required",
        ),
        (
            "StartOutboundChatContact",
            json!({"DestinationEndpoint": {"Type": "FAX", "Address": "+14155550100"}}),
            "/DestinationEndpoint/Type",
            "must be one of TELEPHONE_NUMBER, VOIP, CONTACT_FLOW, CONNECT_PHONENUMBER_ARN, EMAIL_ADDRESS",
        ),
        (
            "StartOutboundChatContact",
            json!({"SegmentAttributes": {"connect:Subtype": {"ValueString": "connect:Chat"}}}),
            "/SegmentAttributes/connect:Subtype",
            "must be {\"ValueString\": \"connect:SMS\"} or {\"ValueString\": \"connect:WhatsApp\"}: the channel the conversation uses",
        ),
        (
            "StartOutboundChatContact",
            json!({"SegmentAttributes": {}}),
            "/SegmentAttributes/connect:Subtype",
            "must be {\"ValueString\": \"connect:SMS\"} or {\"ValueString\": \"connect:WhatsApp\"}: the channel the conversation uses",
        ),
        (
            "StartOutboundChatContact",
            json!({"ChatDurationInMinutes": 59}),
            "/ChatDurationInMinutes",
            "must be an integer from 60 to 10080",
        ),
        (
            "StartOutboundChatContact",
            json!({"ChatDurationInMinutes": 10081}),
            "/ChatDurationInMinutes",
            "must be an integer from 60 to 10080",
        ),
        (
            "StartOutboundChatContact",
            json!({"SupportedMessagingContentTypes": ["text/markdown"]}),
            "/SupportedMessagingContentTypes",
            "must include text/plain",
        ),
        (
            "StartOutboundChatContact",
            json!({
               "InitialSystemMessage": {"ContentType": "text/plain", "Content": "hi"},
               "InitialTemplatedSystemMessage": {"KnowledgeBaseId": "k", "MessageTemplateId": "m", "TemplateAttributes": {}},
            }),
            "/StartOutboundChatContact",
            "may have at most one of InitialSystemMessage and InitialTemplatedSystemMessage",
        ),
        (
            "StartOutboundChatContact",
            json!({"InitialSystemMessage": {"ContentType": "text/plain"}}),
            "/InitialSystemMessage/Content",
            "is required",
        ),
        (
            "StartOutboundChatContact",
            json!({"ParticipantDetails": {"DisplayName": "", "Colour": "red"}}),
            "/ParticipantDetails/Colour",
            "unknown member of ParticipantDetails",
        ),
        // StartEmailContact
        (
            "StartEmailContact",
            json!({"EmailMessage": {"MessageSourceType": "HTML"}}),
            "/EmailMessage/MessageSourceType",
            "must be one of RAW",
        ),
        (
            "StartEmailContact",
            json!({"EmailMessage": {"MessageSourceType": "RAW"}}),
            "/EmailMessage/RawMessage",
            "is required with MessageSourceType RAW",
        ),
        (
            "StartEmailContact",
            json!({"EmailMessage": raw("text/rtf")}),
            "/EmailMessage/RawMessage/ContentType",
            "must be one of text/plain, text/html",
        ),
        (
            "StartEmailContact",
            json!({"EmailMessage": {"MessageSourceType": "RAW", "RawMessage": {"Subject": "s", "Body": "b", "ContentType": "text/plain", "Headers": {"X-Mailer": "x"}}}}),
            "/EmailMessage/RawMessage/Headers/X-Mailer",
            "must be one of REFERENCES, MESSAGE_ID, IN_REPLY_TO, X_SES_SPAM_VERDICT, X_SES_VIRUS_VERDICT",
        ),
        (
            "StartEmailContact",
            json!({"AdditionalRecipients": {"ToAddresses": addresses(25), "CcAddresses": addresses(25)}}),
            "/AdditionalRecipients",
            "may list at most 49 recipients across ToAddresses and CcAddresses",
        ),
        (
            "StartEmailContact",
            json!({"AdditionalRecipients": {"ToAddresses": addresses(51)}}),
            "/AdditionalRecipients/ToAddresses",
            "must have 1 to 50 items (it has 51)",
        ),
        (
            "StartEmailContact",
            json!({"References": {"r": {"Type": "EMAIL", "Value": "a@example.com"}}}),
            "/References/r/Type",
            "StartEmailContact accepts only references of type URL, NUMBER, STRING, DATE",
        ),
        (
            "StartEmailContact",
            json!({"Attachments": []}),
            "/Attachments",
            "must have 1 to 50 items (it has 0)",
        ),
        (
            "StartEmailContact",
            json!({"Attachments": [{"FileName": "a\u{0007}.pdf", "S3Url": "https://b"}]}),
            "/Attachments/0/FileName",
            "must match the service model's pattern ^\\P{C}*$",
        ),
        (
            "StartEmailContact",
            json!({"DestinationEmailAddress": "support.example.com"}),
            "/DestinationEmailAddress",
            "must match the service model's pattern [^\\s@]+@[^\\s@]+\\.[^\\s@]+",
        ),
        (
            "StartEmailContact",
            json!({"FromEmailAddress": {"EmailAddress": "a@b"}}),
            "/FromEmailAddress/EmailAddress",
            "must match the service model's pattern [^\\s@]+@[^\\s@]+\\.[^\\s@]+",
        ),
        // StartOutboundEmailContact
        (
            "StartOutboundEmailContact",
            json!({"EmailMessage": {"MessageSourceType": "TEMPLATE", "RawMessage": {"Subject": "s", "Body": "b", "ContentType": "text/plain"}}}),
            "/EmailMessage/TemplatedMessageConfig",
            "is required: MessageSourceType names it",
        ),
        (
            "StartOutboundEmailContact",
            json!({"EmailMessage": {"MessageSourceType": "RAW"}}),
            "/EmailMessage/RawMessage",
            "is required: MessageSourceType names it",
        ),
        (
            "StartOutboundEmailContact",
            json!({"EmailMessage": raw("application/pdf")}),
            "/EmailMessage/RawMessage/ContentType",
            "must be one of text/plain, text/html",
        ),
        (
            "StartOutboundEmailContact",
            json!({"AdditionalRecipients": {"CcEmailAddresses": addresses(50)}}),
            "/AdditionalRecipients/CcEmailAddresses",
            "may list at most 49 recipients",
        ),
        (
            "StartOutboundEmailContact",
            json!({"EmailMessage": {"MessageSourceType": "RAW", "RawMessage": {"Subject": "", "Body": "b", "ContentType": "text/plain"}}}),
            "/EmailMessage/RawMessage/Subject",
            "must not be empty",
        ),
        // StartChatContact
        (
            "StartChatContact",
            json!({"SupportedMessagingContentTypes": ["text/markdown"]}),
            "/SupportedMessagingContentTypes",
            "must include text/plain",
        ),
        (
            "StartChatContact",
            json!({"PersistentChat": {"RehydrationType": "FROM_SEGMENT"}}),
            "/PersistentChat/SourceContactId",
            "is required with RehydrationType: the chat the new one continues",
        ),
        (
            "StartChatContact",
            json!({"PersistentChat": {"SourceContactId": "c"}, "RelatedContactId": "r"}),
            "/StartChatContact",
            "may have at most one of RelatedContactId and PersistentChat",
        ),
        (
            "StartChatContact",
            json!({"ConnectionTypes": ["WEBSOCKET", "CONNECTION_CREDENTIALS", "WEBRTC_CONNECTION"]}),
            "/ConnectionTypes",
            "must have 1 to 2 items (it has 3)",
        ),
        (
            "StartChatContact",
            json!({"DisconnectOnCustomerExit": ["CUSTOMER"]}),
            "/DisconnectOnCustomerExit/0",
            "must be one of AGENT",
        ),
        (
            "StartChatContact",
            json!({"ParticipantDetails": {"DisplayName": ""}}),
            "/ParticipantDetails/DisplayName",
            "must not be empty",
        ),
        // StartWebRTCContact
        (
            "StartWebRTCContact",
            json!({"AllowedCapabilities": {"Customer": {"Video": "RECEIVE"}}}),
            "/AllowedCapabilities/Customer/Video",
            "must be one of SEND",
        ),
        (
            "StartWebRTCContact",
            json!({"References": {"r": {"Type": "ATTACHMENT", "Value": "v"}}}),
            "/References/r/Type",
            "StartWebRTCContact accepts only references of type URL, NUMBER, STRING, DATE, EMAIL",
        ),
        (
            "StartWebRTCContact",
            json!({"Description": "d".repeat(4097)}),
            "/Description",
            "must be at most 4096 characters (it has 4097)",
        ),
    ]
}
