//! The wire enums: each a table of the strings the AWS API spells, for parsing, printing and
//! serialising.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Declares an enum of wire strings with one table for parsing, printing and serialising.
macro_rules! wire_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident = $wire:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name { $($variant),+ }

        impl $name {
            /// Every accepted value, in the order the AWS model lists them.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The values as the AWS API spells them, in the same order.
            pub const NAMES: &'static [&'static str] = &[$($wire),+];

            /// The value as the AWS API spells it.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $wire),+ }
            }

        }

        impl WireEnum for $name {
            fn parse(text: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|v| v.as_str() == text)
            }

            fn choices() -> String {
                Self::ALL.iter().map(|v| v.as_str()).collect::<Vec<_>>().join(", ")
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
                Self::parse(&text).ok_or_else(|| {
                    serde::de::Error::custom(format!("expected one of {}", Self::choices()))
                })
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }
    };
}

wire_enum!(
    /// The channels CreateContact supports (the model also lists CHAT, which it rejects).
    Channel { Voice = "VOICE", Email = "EMAIL", Task = "TASK" }
);

wire_enum!(
    /// The initiation methods CreateContact supports, across all channels.
    InitiationMethod {
        Transfer = "TRANSFER",
        Outbound = "OUTBOUND",
        AgentReply = "AGENT_REPLY",
        Flow = "FLOW",
        Api = "API",
    }
);

wire_enum!(
    /// The state a contact is created in.
    InitiateAs { ConnectedToUser = "CONNECTED_TO_USER", Completed = "COMPLETED" }
);

wire_enum!(
    /// `ReferenceType` of the Connect model.
    ReferenceType {
        Url = "URL",
        Attachment = "ATTACHMENT",
        ContactAnalysis = "CONTACT_ANALYSIS",
        Number = "NUMBER",
        String = "STRING",
        Date = "DATE",
        Email = "EMAIL",
        EmailMessage = "EMAIL_MESSAGE",
        EmailMessagePlainText = "EMAIL_MESSAGE_PLAIN_TEXT",
        EmailMessagePlainTextRedacted = "EMAIL_MESSAGE_PLAIN_TEXT_REDACTED",
        EmailMessageRedacted = "EMAIL_MESSAGE_REDACTED",
        VoicemailRecording = "VOICEMAIL_RECORDING",
        VoicemailRecordingRedacted = "VOICEMAIL_RECORDING_REDACTED",
        VoicemailAnalysis = "VOICEMAIL_ANALYSIS",
        VoicemailAnalysisRedacted = "VOICEMAIL_ANALYSIS_REDACTED",
    }
);

wire_enum!(
    /// `ReferenceStatus` of the Connect model.
    ReferenceStatus {
        Available = "AVAILABLE",
        Deleted = "DELETED",
        Approved = "APPROVED",
        Rejected = "REJECTED",
        Processing = "PROCESSING",
        Failed = "FAILED",
        Drafting = "DRAFTING",
    }
);

impl Channel {
    /// The initiation methods CreateContact accepts on this channel.
    pub fn initiation_methods(self) -> &'static [InitiationMethod] {
        match self {
            Channel::Voice => &[InitiationMethod::Transfer],
            Channel::Email => &[
                InitiationMethod::Outbound,
                InitiationMethod::AgentReply,
                InitiationMethod::Flow,
            ],
            Channel::Task => &[InitiationMethod::Api],
        }
    }
}

impl ReferenceType {
    /// Reference types a TASK contact may carry.
    pub const TASK: &'static [ReferenceType] = &[
        ReferenceType::Url,
        ReferenceType::Number,
        ReferenceType::String,
        ReferenceType::Date,
        ReferenceType::Email,
        ReferenceType::Attachment,
    ];
}

/// What the checker needs of a wire enum (implemented by `wire_enum!`).
pub trait WireEnum: Sized {
    fn parse(text: &str) -> Option<Self>;
    fn choices() -> String;
}

wire_enum!(
    /// `TrafficType` of StartOutboundVoiceContact.
    TrafficType { General = "GENERAL", Campaign = "CAMPAIGN" }
);

wire_enum!(
    /// `OutboundStrategyType` of StartOutboundVoiceContact.
    OutboundStrategyType { AgentFirst = "AGENT_FIRST" }
);

wire_enum!(
    /// `AllowedUserAction` of an outbound strategy's preview.
    AllowedUserAction { Call = "CALL", Discard = "DISCARD" }
);
