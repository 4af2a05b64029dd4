//! ClientTokens derived from an event's identity, so that every delivery of the same event asks
//! Connect for the same contact.

use std::time::{SystemTime, UNIX_EPOCH};

use sha2::{Digest, Sha256};

/// A ClientToken derived from a source's id for its event: the same id always gives the same
/// token, so Connect creates one contact however often the event is delivered.
pub fn derive_client_token(source: &str, parts: &[&str]) -> String {
    let mut all = Vec::with_capacity(parts.len() + 1);
    all.push(source);
    all.extend_from_slice(parts);
    format!("contact-bridge-{source}-{}", digest_hex(&all))
}

/// SHA-256 of `parts` in hex (see [`digest`]).
pub fn digest_hex(parts: &[&str]) -> String {
    hex::encode(digest(parts))
}

/// SHA-256 of `parts`; each part is length-prefixed, so ("ab", "c") and ("a", "bc") differ.
pub fn digest(parts: &[&str]) -> [u8; 32] {
    let mut hash = Sha256::new();
    for part in parts {
        hash.update((part.len() as u64).to_be_bytes());
        hash.update(part.as_bytes());
    }
    hash.finalize().into()
}

/// An identifier that stands for `text` where the text itself must not go (too long, or not an
/// identifier): `sha256:` and the text's digest.
pub fn id_digest(text: &str) -> String {
    format!("sha256:{}", digest_hex(&[text]))
}

/// The ClientToken of a policy's one outbound contact per destination and window: the same for
/// every request to `destination` in the same window of `minutes`, aligned to the UTC clock and
/// taken from the event's own time, so that a repeat inside the window gets the same contact and
/// Connect enforces it with no database.
pub fn once_per_window_token(
    operation: crate::operation::OperationName,
    destination: &str,
    event_time: Option<i64>,
    minutes: u64,
) -> String {
    let now = event_time.unwrap_or_else(|| {
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs() as i64)
    });
    let window = (minutes * 60) as i64;
    let start = now.div_euclid(window) * window;
    derive_client_token(
        "once-per-destination",
        &[
            operation.as_str(),
            destination,
            &start.to_string(),
            &minutes.to_string(),
        ],
    )
}

/// The longest source id logged (and put in outcome events) as it is.
const MAX_LOGGED_ID_CHARS: usize = 128;

/// A source's id for its event as the logs and outcome events carry it: itself when it looks like
/// an ID (at most [`MAX_LOGGED_ID_CHARS`] letters, digits and `-_.:/=+`), else a digest of it. AWS
/// sets these ids, but a direct invocation can send an event of any shape, with an "id" of any
/// length and content, which must not reach a log line.
pub fn loggable_id(id: &str) -> std::borrow::Cow<'_, str> {
    let id_like = id.len() <= MAX_LOGGED_ID_CHARS
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_.:/=+".contains(&b));
    if id_like {
        std::borrow::Cow::Borrowed(id)
    } else {
        std::borrow::Cow::Owned(id_digest(id))
    }
}
