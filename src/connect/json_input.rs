//! What the generated mapping (`generated.rs`) reads a checked request's JSON with: one helper per
//! primitive, list and map. Every value was held to the model before, so a wrong type here is a
//! defect of ours; it is answered as the SDK's own build error, never a panic.

use std::collections::HashMap;
use std::hash::Hash;

use aws_sdk_connect::error::BuildError;
use aws_sdk_connect::primitives::DateTime;
use serde_json::{Map, Value};

fn wrong(expected: &'static str) -> BuildError {
    BuildError::other(format!("a checked value is not {expected}"))
}

/// Member `name` of `object`, read by `read` (`None`: absent or null).
pub fn member<T>(
    object: &Map<String, Value>,
    name: &str,
    read: impl Fn(&Value) -> Result<T, BuildError>,
) -> Result<Option<T>, BuildError> {
    match object.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(value) => read(value).map(Some),
    }
}

pub fn object(value: &Value) -> Result<&Map<String, Value>, BuildError> {
    value.as_object().ok_or_else(|| wrong("an object"))
}

pub fn text(value: &Value) -> Result<String, BuildError> {
    value
        .as_str()
        .map(str::to_owned)
        .ok_or_else(|| wrong("a string"))
}

pub fn integer(value: &Value) -> Result<i32, BuildError> {
    value
        .as_i64()
        .and_then(|n| i32::try_from(n).ok())
        .ok_or_else(|| wrong("a 32-bit integer"))
}

#[allow(dead_code)] // for models with `long` members
pub fn long(value: &Value) -> Result<i64, BuildError> {
    value.as_i64().ok_or_else(|| wrong("an integer"))
}

#[allow(dead_code)] // for models with `boolean` members
pub fn boolean(value: &Value) -> Result<bool, BuildError> {
    value.as_bool().ok_or_else(|| wrong("a boolean"))
}

/// Epoch seconds, as the checker leaves every timestamp.
#[allow(dead_code)] // for models with `timestamp` members
pub fn timestamp(value: &Value) -> Result<DateTime, BuildError> {
    value
        .as_i64()
        .map(DateTime::from_secs)
        .ok_or_else(|| wrong("epoch seconds"))
}

pub fn list<T>(
    value: &Value,
    item: impl Fn(&Value) -> Result<T, BuildError>,
) -> Result<Vec<T>, BuildError> {
    value
        .as_array()
        .ok_or_else(|| wrong("an array"))?
        .iter()
        .map(item)
        .collect()
}

/// A map's key as it is.
pub fn key(key: &str) -> Result<String, BuildError> {
    Ok(key.to_owned())
}

pub fn map<K: Eq + Hash, V>(
    value: &Value,
    key: impl Fn(&str) -> Result<K, BuildError>,
    item: impl Fn(&Value) -> Result<V, BuildError>,
) -> Result<HashMap<K, V>, BuildError> {
    let object = object(value)?;
    let mut map = HashMap::with_capacity(object.len());
    for (k, v) in object {
        map.insert(key(k)?, item(v)?);
    }
    Ok(map)
}
