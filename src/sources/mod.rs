//! One module per event source: its event to request(s), its outcome to the response it expects.

pub mod connect_flow;
pub mod direct;
pub mod eventbridge;
pub mod http;
pub mod sqs;

use http::HttpShape;

/// Which source sent an event (recognised by [`crate::handler`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    Sqs,
    EventBridge,
    Http(HttpShape),
    ConnectFlow,
    Direct,
}

impl Source {
    /// The source's name in logs, metrics and derived ClientTokens (`sqs`, `http`, ...).
    pub fn name(self) -> &'static str {
        match self {
            Source::Sqs => "sqs",
            Source::EventBridge => "eventbridge",
            Source::Http(_) => "http",
            Source::ConnectFlow => "connect-flow",
            Source::Direct => "direct",
        }
    }
}
