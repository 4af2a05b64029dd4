//! One module per event source: its event to request(s), its outcome to the response it expects.

pub mod connect_flow;
pub mod direct;
pub mod eventbridge;
pub mod http;
pub mod sqs;
