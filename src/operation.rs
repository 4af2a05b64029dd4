//! The operations the function calls, by name: the one type that names an operation anywhere in
//! the function (requests, errors, violations, metrics, outcome events). Its own module, below the
//! requests and the errors, so that both name it without depending on each other; each operation's
//! description is `crate::request::spec`'s.

/// The operations a payload may name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum OperationName {
    CreateContact,
    StartTaskContact,
    StartOutboundVoiceContact,
    StartOutboundChatContact,
    StartEmailContact,
    StartOutboundEmailContact,
    StartChatContact,
    StartWebRTCContact,
}

impl OperationName {
    pub const ALL: &'static [OperationName] = &[
        OperationName::CreateContact,
        OperationName::StartTaskContact,
        OperationName::StartOutboundVoiceContact,
        OperationName::StartOutboundChatContact,
        OperationName::StartEmailContact,
        OperationName::StartOutboundEmailContact,
        OperationName::StartChatContact,
        OperationName::StartWebRTCContact,
    ];

    /// The operation's name, as the AWS API spells it.
    pub const fn as_str(self) -> &'static str {
        match self {
            OperationName::CreateContact => "CreateContact",
            OperationName::StartTaskContact => "StartTaskContact",
            OperationName::StartOutboundVoiceContact => "StartOutboundVoiceContact",
            OperationName::StartOutboundChatContact => "StartOutboundChatContact",
            OperationName::StartEmailContact => "StartEmailContact",
            OperationName::StartOutboundEmailContact => "StartOutboundEmailContact",
            OperationName::StartChatContact => "StartChatContact",
            OperationName::StartWebRTCContact => "StartWebRTCContact",
        }
    }

    pub fn parse(text: &str) -> Option<OperationName> {
        Self::ALL.iter().copied().find(|op| op.as_str() == text)
    }

    /// The supported operations, as messages list them.
    pub fn choices() -> String {
        Self::ALL
            .iter()
            .map(|op| op.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// Whether Connect answers credentials for a waiting client (a participant token, a meeting's
    /// join token): only a source with a caller waiting for the answer (HTTP, direct invocation)
    /// may ask for it, and the answer goes to that caller alone.
    pub fn answers_credentials(self) -> bool {
        matches!(
            self,
            OperationName::StartChatContact | OperationName::StartWebRTCContact
        )
    }

    /// Whether the request is checked by the generated model alone (with its hand rules) and
    /// reaches the SDK through the generated mapping, rather than through a typed request.
    pub fn is_modeled(self) -> bool {
        !matches!(
            self,
            OperationName::CreateContact
                | OperationName::StartTaskContact
                | OperationName::StartOutboundVoiceContact
        )
    }

    /// Whether Connect answers the new contact's ARN besides its ID (CreateContact alone does).
    pub fn answers_contact_arn(self) -> bool {
        self == OperationName::CreateContact
    }
}

impl std::fmt::Display for OperationName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl serde::Serialize for OperationName {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl PartialEq<&str> for OperationName {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}
