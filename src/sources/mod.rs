//! One module per event source: its event to request(s), its outcome to the response it expects.

pub mod direct;
