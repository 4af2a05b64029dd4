//! The walk over a value by what the service model states alone (`Shape::Model`): structures
//! (unknown and required members), strings (bounds, patterns with the model's meaning, enum
//! values), integers, booleans, lists and maps, all the way down; every violation at once.

use serde_json::{Map, Value};

use super::checker::{At, Checker};
use super::pattern;
use super::service_model::{ModelKind, ModelShape};
use crate::violation::{ViolationKind as Kind, json_type};

fn bound(value: Option<i64>, otherwise: usize) -> usize {
    value
        .and_then(|v| usize::try_from(v).ok())
        .unwrap_or(otherwise)
}

impl Checker<'_> {
    /// One value of the model's `shape`, as it goes into the checked request; `None` after a
    /// violation in it.
    pub(super) fn modeled(
        &mut self,
        value: &Value,
        path: &At,
        shape: &'static ModelShape,
    ) -> Option<Value> {
        match &shape.kind {
            ModelKind::String {
                values: Some(values),
                ..
            } => self.one_of(value, path, values, None),
            ModelKind::String {
                min, max, pattern, ..
            } => {
                let text =
                    self.string_value(value, path, bound(*min, 0), bound(*max, usize::MAX))?;
                if let Some(pattern) = pattern
                    && pattern::of_model(pattern).is_some_and(|regex| !regex.is_match(&text))
                {
                    self.add(path, Kind::Pattern { pattern });
                    return None;
                }
                Some(Value::String(text))
            }
            ModelKind::Integer { min, max } => self
                .integer_value(
                    value,
                    path,
                    min.unwrap_or(i64::from(i32::MIN)),
                    max.unwrap_or(i64::from(i32::MAX)),
                )
                .map(Value::from),
            ModelKind::Boolean => self.boolean_value(value, path).map(Value::Bool),
            ModelKind::Timestamp => self
                .timestamp(value, path, super::spec::ANY_FUTURE_TIME)
                .map(Value::from),
            ModelKind::List { member, min, max } => {
                let items = self.array_value(value, path)?;
                self.count(path, items.len(), bound(*min, 0), bound(*max, usize::MAX));
                let checked: Vec<Option<Value>> = items
                    .iter()
                    .enumerate()
                    .map(|(i, item)| self.modeled(item, &path.item(i), member))
                    .collect();
                checked
                    .into_iter()
                    .collect::<Option<Vec<_>>>()
                    .map(Value::Array)
            }
            ModelKind::Map {
                key,
                value: entry,
                min,
                max,
            } => {
                let object = self.object_value(value, path)?;
                self.count(path, object.len(), bound(*min, 0), bound(*max, usize::MAX));
                let before = self.found;
                let mut checked = Map::new();
                for (name, item) in object {
                    let at = path.member(name);
                    self.modeled(&Value::String(name.clone()), &at, key);
                    if let Some(item) = self.modeled(item, &at, entry) {
                        checked.insert(name.clone(), item);
                    }
                }
                (self.found == before).then_some(Value::Object(checked))
            }
            ModelKind::Structure {
                members,
                member_names,
                required,
            } => {
                let object = self.object_value(value, path)?;
                let before = self.found;
                self.unknown_members(object, path, member_names, shape.name);
                let mut checked = Map::new();
                for member in members.iter() {
                    let at = path.member(member.name);
                    match Self::member(object, member.name) {
                        Some(item) => {
                            if let Some(item) = self.modeled(item, &at, member.shape) {
                                checked.insert(member.name.to_owned(), item);
                            }
                        }
                        None if required.contains(&member.name) => self.add(&at, Kind::Required),
                        None => {}
                    }
                }
                (self.found == before).then_some(Value::Object(checked))
            }
        }
    }

    /// A list's (or map's) number of items within `min..=max`.
    pub(super) fn count(&mut self, path: &At, count: usize, min: usize, max: usize) {
        if !(min..=max).contains(&count) {
            self.add(path, Kind::ItemCount { min, max, count });
        }
    }

    pub(super) fn array_value<'v>(&mut self, value: &'v Value, path: &At) -> Option<&'v [Value]> {
        let items = value.as_array().map(Vec::as_slice);
        if items.is_none() {
            self.add(
                path,
                Kind::WrongType {
                    expected: "an array",
                    found: json_type(value),
                },
            );
        }
        items
    }

    pub(super) fn boolean_value(&mut self, value: &Value, path: &At) -> Option<bool> {
        let flag = value.as_bool();
        if flag.is_none() {
            self.add(
                path,
                Kind::WrongType {
                    expected: "a boolean",
                    found: json_type(value),
                },
            );
        }
        flag
    }
}
