//! The rules between members, one small function per operation: what the model cannot express,
//! as each operation's documentation states it. They run after every member has been read, on
//! the members that passed (`checked`) and the members as sent (`sent`).

use serde_json::{Map, Value};

use super::checker::{At, Checked, Checker};
use super::spec::{OperationName, TASK_ROUTES};
use super::wire::{Channel, InitiateAs, InitiationMethod, WireEnum};
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

fn parsed<E: WireEnum>(checked: &Checked, name: &str) -> Option<E> {
    checked.get(name).and_then(Value::as_str).and_then(E::parse)
}

fn create_contact(check: &mut Checker, checked: &Checked, at: &At) {
    let channel = parsed::<Channel>(checked, "Channel");
    let method = parsed::<InitiationMethod>(checked, "InitiationMethod");
    if let (Some(InitiateAs::Completed), Some(c)) = (parsed(checked, "InitiateAs"), channel)
        && c != Channel::Task
    {
        check.add(
            &at.member("InitiateAs"),
            Kind::Rule("COMPLETED is allowed only for the TASK channel"),
        );
    }
    if checked.contains_key("PreviousContactId")
        && !(channel == Some(Channel::Voice) && method == Some(InitiationMethod::Transfer))
    {
        check.add(
            &at.member("PreviousContactId"),
            Kind::Rule(
                "is allowed only for VOICE contacts with InitiationMethod TRANSFER (external audio)",
            ),
        );
    }
    if channel == Some(Channel::Email)
        && matches!(
            method,
            Some(InitiationMethod::Outbound | InitiationMethod::AgentReply)
        )
        && !checked.contains_key("UserInfo")
        && !check.has_violation_under(&at.member("UserInfo"))
    {
        check.add(
            &at.member("UserInfo").member("UserId"),
            Kind::Rule(
                "is required for EMAIL contacts with InitiationMethod OUTBOUND or AGENT_REPLY",
            ),
        );
    }
}

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
    let detection = checked
        .get("AnswerMachineDetectionConfig")
        .and_then(|c| c.get("EnableAnswerMachineDetection"))
        .and_then(Value::as_bool)
        == Some(true);
    let campaign = checked.get("TrafficType").and_then(Value::as_str) == Some("CAMPAIGN");
    let traffic_at = at.member("TrafficType");
    if detection && !campaign && !check.has_violation_under(&traffic_at) {
        check.add(
            &at.member("AnswerMachineDetectionConfig")
                .member("EnableAnswerMachineDetection"),
            Kind::Rule("may be true only with TrafficType CAMPAIGN"),
        );
    }
}
