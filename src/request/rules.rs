//! The rules between members: what the model cannot express, as each operation's documentation
//! states it. They run after every member has been read, on the members that passed (`checked`)
//! and the members as sent (`sent`). Most are data (`member_rules`), which the JSON Schema reads
//! too; the two that depend on the settings (a task's route, a callback's queue or number, where
//! a default may count) are functions here.

use serde_json::{Map, Value};

use super::checker::{At, Checked, Checker};
use super::member_rules::{self, Condition, Literal::*, MemberRule, MemberRule::*};
use super::spec::{OperationName, TASK_ROUTES};
use crate::violation::ViolationKind as Kind;

pub(super) fn check(
    check: &mut Checker,
    operation: OperationName,
    sent: &Map<String, Value>,
    checked: &Checked,
    at: &At,
) {
    match operation {
        OperationName::CreateContact => create_contact(check, checked, at),
        OperationName::StartTaskContact => start_task_contact(check, sent, checked, at),
        OperationName::StartOutboundVoiceContact => {
            start_outbound_voice_contact(check, sent, checked, at)
        }
        modeled => super::message_rules::check(check, modeled, sent, checked, at),
    }
}

fn create_contact(check: &mut Checker, checked: &Checked, at: &At) {
    member_rules::check(check, CREATE_CONTACT, checked, at);
}

const CHANNEL_TASK: &[Condition] = &[Condition {
    path: &["Channel"],
    values: &[Text("TASK")],
}];

const VOICE_TRANSFER: &[Condition] = &[
    Condition {
        path: &["Channel"],
        values: &[Text("VOICE")],
    },
    Condition {
        path: &["InitiationMethod"],
        values: &[Text("TRANSFER")],
    },
];

const EMAIL_SENT_BY_AN_AGENT: &[Condition] = &[
    Condition {
        path: &["Channel"],
        values: &[Text("EMAIL")],
    },
    Condition {
        path: &["InitiationMethod"],
        values: &[Text("OUTBOUND"), Text("AGENT_REPLY")],
    },
];

/// CreateContact's rules between members, as data (the JSON Schema reads them too).
pub(super) const CREATE_CONTACT: &[MemberRule] = &[
    OnlyWith {
        path: &["InitiateAs"],
        value: Some(Text("COMPLETED")),
        conditions: CHANNEL_TASK,
        absent_fails: false,
        message: "COMPLETED is allowed only for the TASK channel",
    },
    OnlyWith {
        path: &["PreviousContactId"],
        value: None,
        conditions: VOICE_TRANSFER,
        absent_fails: true,
        message: "is allowed only for VOICE contacts with InitiationMethod TRANSFER (external audio)",
    },
    RequiredIf {
        conditions: EMAIL_SENT_BY_AN_AGENT,
        path: &["UserInfo"],
        report: &["UserInfo", "UserId"],
        message: "is required for EMAIL contacts with InitiationMethod OUTBOUND or AGENT_REPLY",
    },
];

/// StartOutboundVoiceContact's rules between members that need no setting, as data.
pub(super) const START_OUTBOUND_VOICE_CONTACT: &[MemberRule] = &[OnlyWith {
    path: &[
        "AnswerMachineDetectionConfig",
        "EnableAnswerMachineDetection",
    ],
    value: Some(Flag(true)),
    conditions: &[Condition {
        path: &["TrafficType"],
        values: &[Text("CAMPAIGN")],
    }],
    absent_fails: true,
    message: "may be true only with TrafficType CAMPAIGN",
}];

/// Exactly one of ContactFlowId, QuickConnectId and TaskTemplateId: Connect must find one flow
/// to run (a default ContactFlowId counts only when the task names none).
fn start_task_contact(check: &mut Checker, sent: &Map<String, Value>, checked: &Checked, at: &At) {
    let named = TASK_ROUTES
        .iter()
        .filter(|route| Checker::member(sent, route).is_some())
        .count();
    match named {
        0 if !checked.contains_key("ContactFlowId") => check.add(
            at,
            Kind::Rule(
                "needs one of ContactFlowId, QuickConnectId or TaskTemplateId (a task template \
                 with a flow may stand alone); no DEFAULT_CONTACT_FLOW_ID default is configured",
            ),
        ),
        0 | 1 => {}
        found => check.add(
            at,
            Kind::ExactlyOne {
                of: TASK_ROUTES,
                found,
            },
        ),
    }
}

fn start_outbound_voice_contact(
    check: &mut Checker,
    sent: &Map<String, Value>,
    checked: &Checked,
    at: &At,
) {
    let queue = Checker::member(sent, "QueueId").is_some() || checked.contains_key("QueueId");
    if !queue && Checker::member(sent, "SourcePhoneNumber").is_none() {
        check.add(
            &at.member("QueueId"),
            Kind::Rule(
                "is required when SourcePhoneNumber is not given (no DEFAULT_QUEUE_ID default is \
                 configured)",
            ),
        );
    }
    member_rules::check(check, START_OUTBOUND_VOICE_CONTACT, checked, at);
}
