//! ClientTokens derived from an event's identity, so that every delivery of the same event asks
//! Connect for the same contact.

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
