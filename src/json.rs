//! Strict JSON reading: like `serde_json::from_slice::<Value>`, but a member named twice in one
//! object is an error (serde_json keeps the last silently; which one a sender meant is unknowable),
//! reported with its JSON Pointer. serde_json's nesting limit (128) still applies, so deeply
//! nested input is an error, not a stack overflow; and at most [`MAX_VALUES`] values are read, so
//! that the tree in memory stays a small multiple of the input whatever its shape.

use std::cell::Cell;
use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};

use crate::violation::{ValidationErrors, ViolationKind, pointer};

/// Why input is not acceptable JSON.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum JsonError {
    #[error("not valid JSON: {0}")]
    Syntax(String),
    #[error("member {0} appears more than once")]
    DuplicateMember(String),
    #[error("it holds more than {MAX_VALUES} values")]
    TooManyValues,
}

/// The most values (objects, arrays, strings, numbers, ...) one input may hold. The largest
/// request Connect takes holds about 16,000: an attribute map filling its 32,768-byte budget with
/// the shortest distinct keys (about 12,300 values), references filling their 4,096 bytes (about
/// 3,000), the members. Twice that leaves room; an input of millions of tiny values would take
/// tens of bytes of memory, and a parse, for each byte it has.
pub const MAX_VALUES: usize = 30_000;

impl JsonError {
    /// As a validation error of the request `what` names (`the message body`, `the event`).
    pub fn into_validation(self, what: &str) -> ValidationErrors {
        match self {
            JsonError::Syntax(problem) => ValidationErrors::one(
                "",
                ViolationKind::NotJson {
                    what: what.to_owned(),
                    problem,
                },
            ),
            JsonError::DuplicateMember(path) => {
                ValidationErrors::one(path, ViolationKind::DuplicateMember)
            }
            JsonError::TooManyValues => ValidationErrors::one(
                "",
                ViolationKind::NotJson {
                    what: what.to_owned(),
                    problem: JsonError::TooManyValues.to_string(),
                },
            ),
        }
    }
}

/// Parses `bytes` as one JSON value, rejecting duplicate members.
pub fn parse_strict(bytes: &[u8]) -> Result<Value, JsonError> {
    // Paths cost an allocation per member and are only needed to name a duplicate: read without
    // them, and only when there is a duplicate, read again to name it.
    match parse(bytes, None) {
        Err(JsonError::DuplicateMember(_)) => parse(bytes, Some(String::new())),
        outcome => outcome,
    }
}

fn parse(bytes: &[u8], path: Option<String>) -> Result<Value, JsonError> {
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    let budget = Cell::new(MAX_VALUES);
    let value = StrictValue {
        path,
        budget: &budget,
    }
    .deserialize(&mut deserializer)
    .map_err(classify)?;
    deserializer.end().map_err(classify)?;
    Ok(value)
}

const DUPLICATE_MARKER: &str = "\u{0}duplicate\u{0}";
const TOO_MANY_MARKER: &str = "\u{0}too many values\u{0}";

fn classify(error: serde_json::Error) -> JsonError {
    let message = error.to_string();
    if message.starts_with(TOO_MANY_MARKER) {
        return JsonError::TooManyValues;
    }
    match message.strip_prefix(DUPLICATE_MARKER) {
        // serde_json appends " at line L column C" to custom messages.
        Some(rest) => JsonError::DuplicateMember(
            rest.rsplit_once(" at line ")
                .map_or(rest, |(p, _)| p)
                .to_owned(),
        ),
        None => JsonError::Syntax(message),
    }
}

/// A value, with its path only while duplicates are being named, and the values left to read.
struct StrictValue<'b> {
    path: Option<String>,
    budget: &'b Cell<usize>,
}

impl<'b> StrictValue<'b> {
    /// The seed for a member or item: with its path only when paths are being kept.
    fn child(&self, key: impl FnOnce() -> String) -> StrictValue<'b> {
        StrictValue {
            path: self.path.as_deref().map(|p| pointer(p, &key())),
            budget: self.budget,
        }
    }
}

impl<'de> DeserializeSeed<'de> for StrictValue<'_> {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        // Counted before the value is read: an input past the budget stops here, having
        // allocated little.
        match self.budget.get().checked_sub(1) {
            Some(left) => self.budget.set(left),
            None => return Err(de::Error::custom(TOO_MANY_MARKER)),
        }
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for StrictValue<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(serde_json::Number::from_f64(v).map_or(Value::Null, Value::Number))
    }

    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }

    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        self.deserialize(deserializer)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(1024));
        while let Some(item) = seq.next_element_seed(self.child(|| items.len().to_string()))? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut object = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            let child = self.child(|| key.clone());
            if let Some(path) = &child.path
                && object.contains_key(&key)
            {
                return Err(de::Error::custom(format!("{DUPLICATE_MARKER}{path}")));
            }
            let value = map.next_value_seed(child)?;
            if object.insert(key, value).is_some() {
                // Read without paths: `parse_strict` reads again, with them, to name the member.
                return Err(de::Error::custom(DUPLICATE_MARKER));
            }
        }
        Ok(Value::Object(object))
    }
}
