//! Violations as the logs show them: the Lambda runtime logs every handler error's Debug, so
//! the Debug of [`ValidationErrors`] names no key a producer chose. Here, beside the description,
//! because only the description knows which path segments are its own names.

use std::collections::HashSet;
use std::fmt;
use std::sync::OnceLock;

use super::model::{REFERENCE_MEMBERS, SEGMENT_VALUE_MEMBERS};
use super::spec::{CORRELATION_ID, Member, OperationName, Shape};
use crate::violation::{MAX_DEBUG_VIOLATIONS, ValidationErrors};

/// For logs: no request content. Paths have every key a producer chose replaced by `*`
/// ([`redacted_path`]); the kinds' messages name members, types and bounds only.
impl fmt::Debug for ValidationErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ValidationErrors(")?;
        self.write_list(f, MAX_DEBUG_VIOLATIONS, redacted_path)?;
        f.write_str(")")
    }
}

/// A path with every segment that is not a member name of the operations' description (nor a
/// short list index) replaced by `*`: attribute keys, reference names, segment attribute keys and
/// unknown member names are the producer's words, and may be personal data.
pub fn redacted_path(path: &str) -> String {
    let names = known_names();
    let mut out = String::with_capacity(path.len().min(256));
    for segment in path.split('/').skip(1) {
        out.push('/');
        let index = !segment.is_empty()
            && segment.len() <= 3
            && segment.bytes().all(|b| b.is_ascii_digit());
        if index || names.contains(segment) {
            out.push_str(segment);
        } else {
            out.push('*');
        }
    }
    out
}

/// Every name the description gives: operations, their members, the members of every structure
/// inside them, of references and segment attribute values, and `CorrelationId`. What is not one
/// of these in a path is a key the producer chose (see [`redacted_path`]).
pub fn known_names() -> &'static HashSet<&'static str> {
    static NAMES: OnceLock<HashSet<&'static str>> = OnceLock::new();
    NAMES.get_or_init(|| {
        fn walk(members: &[Member], names: &mut HashSet<&'static str>) {
            for member in members {
                names.insert(member.name);
                walk_shape(&member.shape, names);
            }
        }
        fn walk_shape(shape: &Shape, names: &mut HashSet<&'static str>) {
            match shape {
                Shape::Structure(structure) => walk(structure.members, names),
                Shape::List { item, .. } => walk_shape(item, names),
                // The member names of the model's structures; a map's keys are the producer's.
                Shape::Model(model) => model.each_reachable(&mut |shape| {
                    names.extend(shape.members().iter().map(|m| m.name));
                }),
                _ => {}
            }
        }
        let mut names = HashSet::new();
        for operation in OperationName::ALL {
            names.insert(operation.as_str());
            walk(operation.spec().members, &mut names);
        }
        names.extend(REFERENCE_MEMBERS);
        names.extend(SEGMENT_VALUE_MEMBERS);
        names.insert(CORRELATION_ID);
        names
    })
}
