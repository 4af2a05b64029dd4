//! The one description of each operation: its members, their shapes and bounds, as the Connect
//! service model (API 2017-08-08) states them, plus what the model cannot say (which setting may
//! supply a member, which values a channel takes). The checker, the JSON Schema and rule
//! tables are derived from it; `tests/service_model.rs` holds it to botocore's model.

use std::sync::OnceLock;

use super::generated;
use super::service_model::{ModelKind, ModelOperation, ModelShape};
use super::wire::{
    AllowedUserAction, Channel, InitiateAs, OutboundStrategyType, ReferenceType, TrafficType,
};
pub use crate::operation::OperationName;

/// The member beside the operation that carries a producer's correlation value, passed through
/// to the request's outcome event.
pub const CORRELATION_ID: &str = "CorrelationId";

/// Each operation's description.
impl OperationName {
    pub fn spec(self) -> &'static Operation {
        match self {
            OperationName::CreateContact => &CREATE_CONTACT,
            OperationName::StartTaskContact => &START_TASK_CONTACT,
            OperationName::StartOutboundVoiceContact => &START_OUTBOUND_VOICE_CONTACT,
            OperationName::StartOutboundChatContact => {
                derived(&OUTBOUND_CHAT, self, OUTBOUND_CHAT_MEMBERS)
            }
            OperationName::StartEmailContact => derived(&EMAIL, self, EMAIL_MEMBERS),
            OperationName::StartOutboundEmailContact => {
                derived(&OUTBOUND_EMAIL, self, OUTBOUND_EMAIL_MEMBERS)
            }
            OperationName::StartChatContact => derived(&CHAT, self, CHAT_MEMBERS),
            OperationName::StartWebRTCContact => derived(&WEB_RTC, self, WEB_RTC_MEMBERS),
        }
    }

    /// Whether a request of the operation must carry Connect's segment attribute `key`: an
    /// outbound chat's `connect:Subtype` (SMS or WhatsApp).
    pub fn requires_segment_attribute(self, key: &str) -> bool {
        self == OperationName::StartOutboundChatContact && key == SUBTYPE_ATTRIBUTE
    }

    /// What the service model states of the operation.
    pub fn model(self) -> &'static ModelOperation {
        match self {
            OperationName::CreateContact => &generated::CREATE_CONTACT,
            OperationName::StartTaskContact => &generated::START_TASK_CONTACT,
            OperationName::StartOutboundVoiceContact => &generated::START_OUTBOUND_VOICE_CONTACT,
            OperationName::StartOutboundChatContact => &generated::START_OUTBOUND_CHAT_CONTACT,
            OperationName::StartEmailContact => &generated::START_EMAIL_CONTACT,
            OperationName::StartOutboundEmailContact => &generated::START_OUTBOUND_EMAIL_CONTACT,
            OperationName::StartChatContact => &generated::START_CHAT_CONTACT,
            OperationName::StartWebRTCContact => &generated::START_WEB_RTC_CONTACT,
        }
    }
}

/// One operation's input.
#[derive(Debug)]
pub struct Operation {
    /// The member list of the model's input structure, in the order the checker reads them.
    pub members: &'static [Member],
    /// The member names, as unknown-member messages list them: the generated model's.
    pub member_names: &'static [&'static str],
}

/// A structure of the model (the operation's input, or one nested in it).
#[derive(Debug)]
pub struct Structure {
    pub name: &'static str,
    pub members: &'static [Member],
    pub member_names: &'static [&'static str],
}

#[derive(Debug, Clone)]
pub struct Member {
    pub name: &'static str,
    pub shape: Shape,
    pub presence: Presence,
}

/// Whether a member must be there, and what may supply it when it is not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Presence {
    Optional,
    Required,
    /// Required; when absent, the event's or the named setting's value is used.
    RequiredOr(Setting),
    /// Optional; when absent and none of `unless` is given, the named setting's value is used.
    OptionalOr {
        setting: Setting,
        unless: &'static [&'static str],
    },
}

/// The settings that may supply a member a request leaves out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Setting {
    ConnectInstanceId,
    DefaultContactFlowId,
    DefaultQueueId,
}

impl Setting {
    pub fn name(self) -> &'static str {
        match self {
            Setting::ConnectInstanceId => "CONNECT_INSTANCE_ID",
            Setting::DefaultContactFlowId => "DEFAULT_CONTACT_FLOW_ID",
            Setting::DefaultQueueId => "DEFAULT_QUEUE_ID",
        }
    }
}

/// A rule on a string's characters, beyond its length.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    /// E.164: '+', then 2 to 15 digits, the first not 0 (the model's `\+[1-9]\d{1,14}$`).
    PhoneNumber,
    /// No character of Unicode category C: control, format, surrogate, private use, unassigned
    /// (the model's `^\P{C}*$`, with its meaning).
    NoCategoryC,
    /// Letters, digits, '-', ':' and '/' throughout (a reference ARN; the model's pattern
    /// `^[-:/A-Za-z0-9]+`, not anchored at the end, holds only the first character to them).
    ArnCharacters,
}

impl Form {
    /// The model's pattern of the members of this form, exactly as botocore states it
    /// (`tests/service_model.rs` holds it so); [`super::pattern::model_regex`] reads it.
    pub fn model_pattern(self) -> &'static str {
        match self {
            Form::PhoneNumber => r"\\+[1-9]\\d{1,14}$",
            Form::NoCategoryC => super::pattern::NO_CATEGORY_C,
            Form::ArnCharacters => "^[-:/A-Za-z0-9]+",
        }
    }

    /// The JSON Schema pattern of the form, in the subset every validator reads (explicit ranges,
    /// no `\p{..}`).
    pub fn pattern(self) -> &'static str {
        match self {
            Form::PhoneNumber => r"^\+[1-9][0-9]{1,14}$",
            Form::NoCategoryC => super::pattern::no_category_c_schema_pattern(),
            Form::ArnCharacters => r"^[-:/A-Za-z0-9]+$",
        }
    }
}

/// What a member holds.
#[derive(Debug, Clone, Copy)]
pub enum Shape {
    /// Checked by what the service model states alone: its members, required members, bounds,
    /// patterns (with the model's meaning) and values, all the way down.
    Model(&'static ModelShape),
    /// A string of `min..=max` characters (`max` `None`: unbounded), in `form` when given.
    Text {
        min: usize,
        max: Option<usize>,
        form: Option<Form>,
    },
    /// A JSON integer in `min..=max`.
    Integer {
        min: i64,
        max: i64,
    },
    Boolean,
    /// A point in time: epoch seconds (a JSON number) or ISO 8601 text, as the AWS CLI accepts.
    Timestamp(TimeWindow),
    /// One of the wire strings; `hint` says more about a common mistake.
    Enum {
        values: &'static [&'static str],
        hint: Option<fn(&str) -> Option<String>>,
    },
    /// `InitiationMethod`: the values the already-read `Channel` takes.
    ChannelMethod,
    /// Contact attributes: keys of letters, digits, '-' and '_'; at most 32,768 UTF-8 bytes.
    Attributes,
    /// References; `types` limits their types at creation (`None`: the channel decides).
    References {
        types: Option<&'static [ReferenceType]>,
    },
    SegmentAttributes,
    Structure(&'static Structure),
    List {
        item: &'static Shape,
        min: usize,
        max: usize,
    },
}

/// Where a timestamp may fall, relative to the time of the check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimeWindow {
    /// Seconds after now at the latest.
    pub max_ahead_seconds: i64,
}

/// A timestamp the model bounds no further: not in the past.
pub const ANY_FUTURE_TIME: TimeWindow = TimeWindow {
    max_ahead_seconds: i64::MAX,
};

/// `ScheduledTime`: not in the past, at most 6 days ahead.
pub const SCHEDULE_WINDOW: TimeWindow = TimeWindow {
    max_ahead_seconds: 6 * 24 * 60 * 60,
};

/// The one definition of an instance reference, for requests, settings and (checked by a test) the
/// SAM template: an instance ID, or an instance ARN, of 1 to [`INSTANCE_ID_MAX_CHARS`] characters
/// (the model's bound). Requests are held to the model's length only; settings also to these
/// characters, since they name the function's own instances.
pub const INSTANCE_ID_MAX_CHARS: usize = match text_of(CREATE, "InstanceId") {
    Shape::Text { max: Some(max), .. } => max,
    _ => panic!("the model bounds InstanceId"),
};

/// The characters of an instance ID (letters, digits, '-') or instance ARN (also ':' and '/').
pub fn is_instance_reference_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '-' | ':' | '/')
}

/// Total UTF-8 bytes allowed across all attribute keys and values of a contact.
pub const MAX_ATTRIBUTES_BYTES: usize = 32_768;
/// Total UTF-8 bytes allowed across all reference keys and values of a contact.
pub const MAX_REFERENCES_BYTES: usize = 4_096;

/// The shape of `structure`'s member `member` in the generated model; a name the model does not
/// have fails the build.
const fn model_member(structure: &ModelShape, member: &str) -> &'static ModelShape {
    let ModelKind::Structure { members, .. } = &structure.kind else {
        panic!("not a structure of the model");
    };
    let mut i = 0;
    while i < members.len() {
        if same(members[i].name, member) {
            return members[i].shape;
        }
        i += 1;
    }
    panic!("no such member in the model's structure")
}

const fn same(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

/// A text member with the model's length bounds (the model's characters are the checker's
/// `form`, held to the model's pattern by `tests/service_model.rs`).
const fn model_text(structure: &ModelShape, member: &str, form: Option<Form>) -> Shape {
    let ModelKind::String { min, max, .. } = &model_member(structure, member).kind else {
        panic!("not a string member of the model");
    };
    Shape::Text {
        min: match min {
            Some(min) => *min as usize,
            None => 0,
        },
        max: match max {
            Some(max) => Some(*max as usize),
            None => None,
        },
        form,
    }
}

/// A text member of CreateContact's, StartTaskContact's or StartOutboundVoiceContact's input
/// (each shared member has one shape across them, as `tests/service_model.rs` checks).
const fn text_of(structure: &ModelShape, member: &str) -> Shape {
    model_text(structure, member, None)
}

const CREATE: &ModelShape = &generated::CREATE_CONTACT_REQUEST;
const TASK: &ModelShape = &generated::START_TASK_CONTACT_REQUEST;
const VOICE: &ModelShape = &generated::START_OUTBOUND_VOICE_CONTACT_REQUEST;

const fn optional(name: &'static str, shape: Shape) -> Member {
    Member {
        name,
        shape,
        presence: Presence::Optional,
    }
}

const fn required(name: &'static str, shape: Shape) -> Member {
    Member {
        name,
        shape,
        presence: Presence::Required,
    }
}

const INSTANCE_ID: Member = Member {
    name: "InstanceId",
    shape: text_of(CREATE, "InstanceId"),
    presence: Presence::RequiredOr(Setting::ConnectInstanceId),
};
const CLIENT_TOKEN: Member = optional("ClientToken", text_of(CREATE, "ClientToken"));
const RELATED_CONTACT_ID: Member =
    optional("RelatedContactId", text_of(CREATE, "RelatedContactId"));
const PREVIOUS_CONTACT_ID: Member =
    optional("PreviousContactId", text_of(CREATE, "PreviousContactId"));
const NAME: Member = optional("Name", text_of(CREATE, "Name"));
const DESCRIPTION: Member = optional("Description", text_of(CREATE, "Description"));
const ATTRIBUTES: Member = optional("Attributes", Shape::Attributes);
/// References at creation, as tasks, callbacks and WebRTC calls take them.
const CREATION_REFERENCES: Member = optional(
    "References",
    Shape::References {
        types: Some(CREATION_REFERENCE_TYPES),
    },
);
const SEGMENT_ATTRIBUTES: Member = optional("SegmentAttributes", Shape::SegmentAttributes);

/// Reference types StartTaskContact and StartOutboundVoiceContact take at creation.
pub const CREATION_REFERENCE_TYPES: &[ReferenceType] = &[
    ReferenceType::Url,
    ReferenceType::Number,
    ReferenceType::String,
    ReferenceType::Date,
    ReferenceType::Email,
];

// ------------------------------------------------------------------------------- CreateContact

/// The members of CreateContactRequest, as the AWS API spells them (the model's order).
pub const MEMBERS: &[&str] = generated::CREATE_CONTACT_REQUEST_MEMBERS;

pub static USER_INFO: Structure = Structure {
    name: "UserInfo",
    members: &[required("UserId", text_of(&generated::USER_INFO, "UserId"))],
    member_names: generated::USER_INFO_MEMBERS,
};

fn channel_hint(text: &str) -> Option<String> {
    (text == "CHAT").then(|| "CreateContact does not create CHAT contacts".to_owned())
}

pub static CREATE_CONTACT: Operation = Operation {
    // The order violations are reported in.
    members: &[
        required(
            "Channel",
            Shape::Enum {
                values: Channel::NAMES,
                hint: Some(channel_hint),
            },
        ),
        required("InitiationMethod", Shape::ChannelMethod),
        INSTANCE_ID,
        CLIENT_TOKEN,
        RELATED_CONTACT_ID,
        PREVIOUS_CONTACT_ID,
        NAME,
        DESCRIPTION,
        optional(
            "ExpiryDurationInMinutes",
            Shape::Integer {
                min: 1,
                max: i32::MAX as i64,
            },
        ),
        optional(
            "InitiateAs",
            Shape::Enum {
                values: InitiateAs::NAMES,
                hint: None,
            },
        ),
        optional("UserInfo", Shape::Structure(&USER_INFO)),
        ATTRIBUTES,
        optional("References", Shape::References { types: None }),
        SEGMENT_ATTRIBUTES,
    ],
    member_names: MEMBERS,
};

// ---------------------------------------------------------------------------- StartTaskContact

pub static TASK_ATTACHMENT: Structure = Structure {
    name: "TaskAttachment",
    members: &[
        required(
            "FileName",
            model_text(
                &generated::TASK_ATTACHMENT,
                "FileName",
                Some(Form::NoCategoryC),
            ),
        ),
        required("S3Url", text_of(&generated::TASK_ATTACHMENT, "S3Url")),
    ],
    member_names: generated::TASK_ATTACHMENT_MEMBERS,
};

const TASK_ATTACHMENT_SHAPE: Shape = Shape::Structure(&TASK_ATTACHMENT);

/// The members of which a task names exactly one (a template with a flow may stand alone).
pub const TASK_ROUTES: &[&str] = &["ContactFlowId", "QuickConnectId", "TaskTemplateId"];

pub static START_TASK_CONTACT: Operation = Operation {
    members: &[
        INSTANCE_ID,
        required("Name", text_of(TASK, "Name")),
        Member {
            name: "ContactFlowId",
            shape: text_of(TASK, "ContactFlowId"),
            presence: Presence::OptionalOr {
                setting: Setting::DefaultContactFlowId,
                unless: &["QuickConnectId", "TaskTemplateId"],
            },
        },
        optional("QuickConnectId", text_of(TASK, "QuickConnectId")),
        optional("TaskTemplateId", text_of(TASK, "TaskTemplateId")),
        CLIENT_TOKEN,
        PREVIOUS_CONTACT_ID,
        RELATED_CONTACT_ID,
        DESCRIPTION,
        optional("ScheduledTime", Shape::Timestamp(SCHEDULE_WINDOW)),
        ATTRIBUTES,
        CREATION_REFERENCES,
        SEGMENT_ATTRIBUTES,
        optional(
            "Attachments",
            Shape::List {
                item: &TASK_ATTACHMENT_SHAPE,
                min: 1,
                max: 5,
            },
        ),
    ],
    member_names: generated::START_TASK_CONTACT_REQUEST_MEMBERS,
};

// ------------------------------------------------------------------- StartOutboundVoiceContact

pub static ANSWER_MACHINE_DETECTION_CONFIG: Structure = Structure {
    name: "AnswerMachineDetectionConfig",
    members: &[
        optional("EnableAnswerMachineDetection", Shape::Boolean),
        optional("AwaitAnswerMachinePrompt", Shape::Boolean),
    ],
    member_names: generated::ANSWER_MACHINE_DETECTION_CONFIG_MEMBERS,
};

const ALLOWED_USER_ACTION: Shape = Shape::Enum {
    values: AllowedUserAction::NAMES,
    hint: None,
};

pub static POST_ACCEPT_TIMEOUT_CONFIG: Structure = Structure {
    name: "PostAcceptTimeoutConfig",
    members: &[required(
        "DurationInSeconds",
        Shape::Integer {
            min: 0,
            max: i32::MAX as i64,
        },
    )],
    member_names: generated::POST_ACCEPT_TIMEOUT_CONFIG_MEMBERS,
};

pub static PREVIEW: Structure = Structure {
    name: "Preview",
    members: &[
        required(
            "PostAcceptTimeoutConfig",
            Shape::Structure(&POST_ACCEPT_TIMEOUT_CONFIG),
        ),
        required(
            "AllowedUserActions",
            Shape::List {
                item: &ALLOWED_USER_ACTION,
                min: 0,
                max: usize::MAX,
            },
        ),
    ],
    member_names: generated::PREVIEW_MEMBERS,
};

pub static AGENT_FIRST: Structure = Structure {
    name: "AgentFirst",
    members: &[optional("Preview", Shape::Structure(&PREVIEW))],
    member_names: generated::AGENT_FIRST_MEMBERS,
};

pub static OUTBOUND_STRATEGY_CONFIG: Structure = Structure {
    name: "OutboundStrategyConfig",
    members: &[optional("AgentFirst", Shape::Structure(&AGENT_FIRST))],
    member_names: generated::OUTBOUND_STRATEGY_CONFIG_MEMBERS,
};

pub static OUTBOUND_STRATEGY: Structure = Structure {
    name: "OutboundStrategy",
    members: &[
        required(
            "Type",
            Shape::Enum {
                values: OutboundStrategyType::NAMES,
                hint: None,
            },
        ),
        optional("Config", Shape::Structure(&OUTBOUND_STRATEGY_CONFIG)),
    ],
    member_names: generated::OUTBOUND_STRATEGY_MEMBERS,
};

pub static START_OUTBOUND_VOICE_CONTACT: Operation = Operation {
    members: &[
        INSTANCE_ID,
        required(
            "DestinationPhoneNumber",
            model_text(VOICE, "DestinationPhoneNumber", Some(Form::PhoneNumber)),
        ),
        Member {
            name: "ContactFlowId",
            shape: text_of(VOICE, "ContactFlowId"),
            presence: Presence::RequiredOr(Setting::DefaultContactFlowId),
        },
        Member {
            name: "QueueId",
            shape: text_of(VOICE, "QueueId"),
            presence: Presence::OptionalOr {
                setting: Setting::DefaultQueueId,
                unless: &["SourcePhoneNumber"],
            },
        },
        optional(
            "SourcePhoneNumber",
            model_text(VOICE, "SourcePhoneNumber", Some(Form::PhoneNumber)),
        ),
        CLIENT_TOKEN,
        NAME,
        DESCRIPTION,
        RELATED_CONTACT_ID,
        ATTRIBUTES,
        CREATION_REFERENCES,
        optional(
            "AnswerMachineDetectionConfig",
            Shape::Structure(&ANSWER_MACHINE_DETECTION_CONFIG),
        ),
        optional("CampaignId", text_of(VOICE, "CampaignId")),
        optional(
            "TrafficType",
            Shape::Enum {
                values: TrafficType::NAMES,
                hint: None,
            },
        ),
        optional("OutboundStrategy", Shape::Structure(&OUTBOUND_STRATEGY)),
        optional("RingTimeoutInSeconds", Shape::Integer { min: 15, max: 60 }),
    ],
    member_names: generated::START_OUTBOUND_VOICE_CONTACT_REQUEST_MEMBERS,
};

// -------------------------------------------- The operations described by the model itself

/// The description of an operation checked by the model: each member of its input in the model's
/// order, by the model (`Shape::Model`, required as the model says) unless `described` describes
/// it, for what the model cannot say (a setting that supplies it, contact attributes' and
/// references' rules). Built once, at the first request of the operation.
fn derived(
    cell: &'static OnceLock<Operation>,
    operation: OperationName,
    described: &'static [Member],
) -> &'static Operation {
    cell.get_or_init(|| {
        let input = operation.model().input;
        let members: Vec<Member> = input
            .members()
            .iter()
            .map(|m| match described.iter().find(|d| d.name == m.name) {
                Some(member) => member.clone(),
                None => Member {
                    name: m.name,
                    shape: Shape::Model(m.shape),
                    presence: if input.requires(m.name) {
                        Presence::Required
                    } else {
                        Presence::Optional
                    },
                },
            })
            .collect();
        Operation {
            members: Box::leak(members.into_boxed_slice()),
            member_names: match input.kind {
                ModelKind::Structure { member_names, .. } => member_names,
                _ => &[],
            },
        }
    })
}

static OUTBOUND_CHAT: OnceLock<Operation> = OnceLock::new();
static EMAIL: OnceLock<Operation> = OnceLock::new();
static OUTBOUND_EMAIL: OnceLock<Operation> = OnceLock::new();
static CHAT: OnceLock<Operation> = OnceLock::new();
static WEB_RTC: OnceLock<Operation> = OnceLock::new();

/// A flow the request names, or `DEFAULT_CONTACT_FLOW_ID`.
const CONTACT_FLOW_OR_DEFAULT: Member = Member {
    name: "ContactFlowId",
    shape: Shape::Model(&generated::CONTACT_FLOW_ID),
    presence: Presence::RequiredOr(Setting::DefaultContactFlowId),
};

/// The content types of an email's raw message.
pub const EMAIL_CONTENT_TYPES: &[&str] = &["text/plain", "text/html"];
/// The subtypes of an outbound chat: SMS or WhatsApp.
pub const OUTBOUND_CHAT_SUBTYPES: &[&str] = &["connect:SMS", "connect:WhatsApp"];
/// The segment attribute that names an outbound chat's subtype.
pub const SUBTYPE_ATTRIBUTE: &str = "connect:Subtype";
/// The most additional recipients of one email (Connect counts the destination too: 50 in all).
pub const MAX_ADDITIONAL_RECIPIENTS: usize = 49;

/// Reference types StartEmailContact takes at creation.
pub const EMAIL_REFERENCE_TYPES: &[ReferenceType] = &[
    ReferenceType::Url,
    ReferenceType::Number,
    ReferenceType::String,
    ReferenceType::Date,
];

const OUTBOUND_CHAT_MEMBERS: &[Member] = &[
    INSTANCE_ID,
    CONTACT_FLOW_OR_DEFAULT,
    ATTRIBUTES,
    required("SegmentAttributes", Shape::SegmentAttributes),
];

const EMAIL_MEMBERS: &[Member] = &[
    INSTANCE_ID,
    ATTRIBUTES,
    optional(
        "References",
        Shape::References {
            types: Some(EMAIL_REFERENCE_TYPES),
        },
    ),
    SEGMENT_ATTRIBUTES,
];

const OUTBOUND_EMAIL_MEMBERS: &[Member] = &[
    INSTANCE_ID,
    // Required, unless a CreateContact request beside it supplies it (`message_rules`).
    optional("ContactId", Shape::Model(&generated::CONTACT_ID)),
];

const CHAT_MEMBERS: &[Member] = &[
    INSTANCE_ID,
    CONTACT_FLOW_OR_DEFAULT,
    ATTRIBUTES,
    SEGMENT_ATTRIBUTES,
];

const WEB_RTC_MEMBERS: &[Member] = &[
    INSTANCE_ID,
    CONTACT_FLOW_OR_DEFAULT,
    ATTRIBUTES,
    CREATION_REFERENCES,
    SEGMENT_ATTRIBUTES,
];

/// Every member name of every operation (for recognising a direct invocation).
pub fn all_member_names() -> impl Iterator<Item = &'static str> {
    OperationName::ALL
        .iter()
        .flat_map(|op| op.spec().member_names.iter().copied())
}

/// The rule of a form, as its violation states it.
pub(super) fn form_rule(form: Form) -> &'static str {
    match form {
        Form::PhoneNumber => {
            "must be an E.164 phone number: '+' then 2 to 15 digits, the first not 0"
        }
        Form::NoCategoryC => {
            "must not contain control, format, private-use or unassigned characters (Unicode \
             category C)"
        }
        Form::ArnCharacters => "may contain only letters, digits, '-', ':' and '/'",
    }
}
