//! The operations' description (`request::spec`) against the AWS service model of Connect
//! (API 2017-08-08) as `cargo xtask codegen` generated it from the pinned botocore
//! (`request::generated`, which CI regenerates and compares): every member, whether it is
//! required, its type, bounds, pattern and values, down through nested structures and lists. A
//! model update that changes one of them fails here, naming it.

use std::collections::BTreeSet;

use contact_bridge::request::generated::{BOTOCORE_VERSION, operation};
use contact_bridge::request::service_model::{ModelKind, ModelShape};
use contact_bridge::request::{
    Form, InitiationMethod, Member, OperationName, Presence, REFERENCE_MEMBERS, ReferenceStatus,
    ReferenceType, SEGMENT_VALUE_MEMBERS, Shape,
};
use serde_json::{Map, Value, json};

/// A model shape as JSON, members resolved recursively (a shape inside itself is named only).
fn shape_json(shape: &ModelShape, seen: &mut Vec<&'static str>) -> Value {
    let mut out = Map::new();
    out.insert("name".to_owned(), json!(shape.name));
    let bound = |out: &mut Map<String, Value>, min: Option<i64>, max: Option<i64>| {
        if let Some(min) = min {
            out.insert("min".to_owned(), json!(min));
        }
        if let Some(max) = max {
            out.insert("max".to_owned(), json!(max));
        }
    };
    let recursive = seen.contains(&shape.name);
    match &shape.kind {
        ModelKind::Structure {
            members, required, ..
        } => {
            out.insert("type".to_owned(), json!("structure"));
            if !required.is_empty() {
                out.insert("required".to_owned(), json!(required));
            }
            if !recursive {
                seen.push(shape.name);
                let members: Map<String, Value> = members
                    .iter()
                    .map(|m| (m.name.to_owned(), shape_json(m.shape, seen)))
                    .collect();
                seen.pop();
                out.insert("members".to_owned(), Value::Object(members));
            }
        }
        ModelKind::String {
            min,
            max,
            pattern,
            values,
        } => {
            out.insert("type".to_owned(), json!("string"));
            bound(&mut out, *min, *max);
            if let Some(pattern) = pattern {
                out.insert("pattern".to_owned(), json!(pattern));
            }
            if let Some(values) = values {
                out.insert("enum".to_owned(), json!(values));
            }
        }
        ModelKind::Integer { min, max } => {
            out.insert("type".to_owned(), json!("integer"));
            bound(&mut out, *min, *max);
        }
        ModelKind::Boolean => {
            out.insert("type".to_owned(), json!("boolean"));
        }
        ModelKind::Timestamp => {
            out.insert("type".to_owned(), json!("timestamp"));
        }
        ModelKind::List { member, min, max } => {
            out.insert("type".to_owned(), json!("list"));
            bound(&mut out, *min, *max);
            if !recursive {
                seen.push(shape.name);
                out.insert("member".to_owned(), shape_json(member, seen));
                seen.pop();
            }
        }
        ModelKind::Map {
            key,
            value,
            min,
            max,
        } => {
            out.insert("type".to_owned(), json!("map"));
            bound(&mut out, *min, *max);
            if !recursive {
                seen.push(shape.name);
                out.insert("key".to_owned(), shape_json(key, seen));
                out.insert("value".to_owned(), shape_json(value, seen));
                seen.pop();
            }
        }
    }
    Value::Object(out)
}

/// Each supported operation's input shape, as JSON.
fn model() -> Value {
    let operations: Map<String, Value> = OperationName::ALL
        .iter()
        .map(|op| {
            let model = operation(op.as_str()).expect("the generated model has the operation");
            (
                op.as_str().to_owned(),
                shape_json(model.input, &mut Vec::new()),
            )
        })
        .collect();
    json!({ "version": BOTOCORE_VERSION, "operations": operations })
}

fn names(values: &[&str]) -> BTreeSet<String> {
    values.iter().map(|v| (*v).to_owned()).collect()
}

fn model_names(value: &Value) -> BTreeSet<String> {
    value
        .as_array()
        .map(|a| a.iter().map(|v| v.as_str().unwrap().to_owned()).collect())
        .unwrap_or_default()
}

/// Where our description deliberately narrows the model's values: CreateContact creates no CHAT
/// contacts, and takes only the initiation methods its documentation lists per channel.
fn narrowed(at: &str) -> bool {
    matches!(
        at,
        "CreateContact.Channel" | "CreateContact.InitiationMethod"
    )
}

/// Where our description requires what the model leaves optional: a `UserInfo` without a
/// `UserId` names no user (and EMAIL OUTBOUND and AGENT_REPLY contacts need one).
fn required_beyond_the_model(at: &str) -> bool {
    // UserInfo.UserId: required for outbound EMAIL contacts only. ContactId: required unless a
    // CreateContact request beside it supplies it (both rules are in the request's rules).
    matches!(
        at,
        "CreateContact.UserInfo.UserId" | "StartOutboundEmailContact.ContactId"
    )
}

/// Compares the members of a structure: names, presence, then each member's shape.
fn compare_members(
    at: &str,
    ours: &[Member],
    our_names: &[&str],
    theirs: &Value,
    problems: &mut Vec<String>,
) {
    let model_members: BTreeSet<String> = theirs["members"]
        .as_object()
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default();
    let described: BTreeSet<String> = ours.iter().map(|m| m.name.to_owned()).collect();
    if described != model_members {
        problems.push(format!(
            "{at}: members {described:?}, the model's {model_members:?}"
        ));
    }
    if names(our_names) != model_members {
        problems.push(format!(
            "{at}: member names {our_names:?}, the model's {model_members:?}"
        ));
    }
    let required = model_names(&theirs["required"]);
    for member in ours {
        let path = format!("{at}.{}", member.name);
        let ours_required = matches!(
            member.presence,
            Presence::Required | Presence::RequiredOr(_)
        );
        if ours_required != required.contains(member.name) && !required_beyond_the_model(&path) {
            problems.push(format!(
                "{path}: required {ours_required}, the model says otherwise"
            ));
        }
        match theirs["members"].get(member.name) {
            Some(shape) => compare_shape(&path, &member.shape, shape, problems),
            None => problems.push(format!("{path}: not in the model")),
        }
    }
}

fn compare_shape(at: &str, ours: &Shape, theirs: &Value, problems: &mut Vec<String>) {
    let kind = theirs["type"].as_str().unwrap_or_default();
    let min = theirs["min"].as_i64();
    let max = theirs["max"].as_i64();
    let mut differ = |what: String| problems.push(format!("{at}: {what}"));
    match ours {
        Shape::Text {
            min: our_min,
            max: our_max,
            form,
        } => {
            if kind != "string" || theirs.get("enum").is_some() {
                differ(format!("text here, the model's {kind} {theirs}"));
            }
            if min.unwrap_or(0) != *our_min as i64 || max != our_max.map(|m| m as i64) {
                differ(format!(
                    "{our_min}..{our_max:?} characters, the model's {min:?}..{max:?}"
                ));
            }
            let pattern = theirs["pattern"].as_str();
            let expected = form.map(Form::model_pattern);
            if pattern != expected {
                differ(format!("pattern for {form:?}, the model's {pattern:?}"));
            }
        }
        Shape::Integer {
            min: our_min,
            max: our_max,
        } => {
            if kind != "integer" {
                differ(format!("integer here, the model's {kind}"));
            }
            if min.unwrap_or(i64::from(i32::MIN)) != *our_min && !(min.is_none() && *our_min == 1) {
                differ(format!("minimum {our_min}, the model's {min:?}"));
            }
            if max.unwrap_or(i64::from(i32::MAX)) != *our_max {
                differ(format!("maximum {our_max}, the model's {max:?}"));
            }
        }
        // Checked by the model's own shape: it must be the shape the model names here.
        Shape::Model(model) if theirs["name"] != model.name => differ(format!(
            "the model's shape {}, the model says {}",
            model.name, theirs["name"]
        )),
        Shape::Boolean if kind != "boolean" => differ(format!("boolean here, the model's {kind}")),
        Shape::Timestamp(_) if kind != "timestamp" => {
            differ(format!("timestamp here, the model's {kind}"))
        }
        Shape::Enum { values, .. } => {
            let model_values = model_names(&theirs["enum"]);
            let ours = names(values);
            let fits = if narrowed(at) {
                ours.is_subset(&model_values)
            } else {
                ours == model_values
            };
            if !fits {
                differ(format!("values {ours:?}, the model's {model_values:?}"));
            }
        }
        Shape::ChannelMethod => {
            let model_values = model_names(&theirs["enum"]);
            if !names(InitiationMethod::NAMES).is_subset(&model_values) || !narrowed(at) {
                differ(format!(
                    "initiation methods beyond the model's {model_values:?}"
                ));
            }
        }
        Shape::Attributes | Shape::References { .. } | Shape::SegmentAttributes => {
            let value = theirs["value"]["name"].as_str().unwrap_or_default();
            let expected = match ours {
                Shape::Attributes => "AttributeValue",
                Shape::References { .. } => "Reference",
                _ => "SegmentAttributeValue",
            };
            if kind != "map" || value != expected {
                differ(format!(
                    "a map of {expected}, the model's {kind} of {value}"
                ));
            }
        }
        Shape::Structure(structure) => {
            if kind != "structure" || theirs["name"] != structure.name {
                differ(format!(
                    "structure {}, the model's {kind} {}",
                    structure.name, theirs["name"]
                ));
            }
            compare_members(
                at,
                structure.members,
                structure.member_names,
                theirs,
                problems,
            );
        }
        Shape::List {
            item,
            min: our_min,
            max: our_max,
        } => {
            if kind != "list" {
                differ(format!("list here, the model's {kind}"));
            }
            let model_max = max.map_or(usize::MAX, |m| m as usize);
            if min.unwrap_or(0) as usize != *our_min || model_max != *our_max {
                differ(format!(
                    "{our_min}..{our_max} items, the model's {min:?}..{max:?}"
                ));
            }
            compare_shape(&format!("{at}[]"), item, &theirs["member"], problems);
        }
        _ => {}
    }
}

#[test]
fn the_description_matches_botocores_service_model() {
    let model = model();
    let mut problems = Vec::new();
    for &operation in OperationName::ALL {
        let spec = operation.spec();
        let input = &model["operations"][operation.as_str()];
        compare_members(
            operation.as_str(),
            spec.members,
            spec.member_names,
            input,
            &mut problems,
        );
    }
    // What every operation's References and SegmentAttributes hold.
    let create = &model["operations"]["CreateContact"]["members"];
    let reference = &create["References"]["value"];
    for (what, ours, theirs) in [
        (
            "Reference members",
            names(REFERENCE_MEMBERS),
            reference["members"]
                .as_object()
                .unwrap()
                .keys()
                .cloned()
                .collect::<BTreeSet<_>>(),
        ),
        (
            "ReferenceType",
            names(ReferenceType::NAMES),
            model_names(&reference["members"]["Type"]["enum"]),
        ),
        (
            "ReferenceStatus",
            names(ReferenceStatus::NAMES),
            model_names(&reference["members"]["Status"]["enum"]),
        ),
        (
            "SegmentAttributeValue members",
            names(SEGMENT_VALUE_MEMBERS),
            create["SegmentAttributes"]["value"]["members"]
                .as_object()
                .unwrap()
                .keys()
                .cloned()
                .collect(),
        ),
    ] {
        if ours != theirs {
            problems.push(format!("{what}: ours {ours:?}, the model's {theirs:?}"));
        }
    }
    assert!(
        problems.is_empty(),
        "the description differs from botocore {}'s model:\n{}",
        model["version"],
        problems.join("\n")
    );
}

/// Every pattern a shape of the model states, anywhere under the given shape.
fn model_patterns(shape: &Value, at: &str, out: &mut Vec<(String, String)>) {
    if let Some(pattern) = shape["pattern"].as_str() {
        out.push((at.to_owned(), pattern.to_owned()));
    }
    if let Some(members) = shape["members"].as_object() {
        for (name, member) in members {
            model_patterns(member, &format!("{at}.{name}"), out);
        }
    }
    for part in ["member", "key", "value"] {
        if shape.get(part).is_some() {
            model_patterns(&shape[part], &format!("{at}[{part}]"), out);
        }
    }
}

/// One character of each Unicode general category.
const CATEGORIES: &[(&str, char)] = &[
    ("Lu", 'A'),
    ("Ll", 'z'),
    ("Lt", 'ǅ'),
    ("Lm", 'ʰ'),
    ("Lo", '中'),
    ("Mn", '\u{0301}'),
    ("Mc", '\u{0903}'),
    ("Me", '\u{20DD}'),
    ("Nd", '7'),
    ("Nd", '٣'),
    ("Nl", 'Ⅻ'),
    ("No", '½'),
    ("Pc", '_'),
    ("Pd", '-'),
    ("Ps", '('),
    ("Pe", ')'),
    ("Pi", '«'),
    ("Pf", '»'),
    ("Po", '!'),
    ("Po", '@'),
    ("Po", '/'),
    ("Po", ':'),
    ("Sm", '+'),
    ("Sc", '$'),
    ("Sk", '^'),
    ("So", '©'),
    ("So", '😀'),
    ("Zs", ' '),
    ("Zs", '\u{3000}'),
    ("Zl", '\u{2028}'),
    ("Zp", '\u{2029}'),
    ("Cc", '\u{0007}'),
    ("Cc", '\u{007F}'),
    ("Cf", '\u{00AD}'),
    ("Cf", '\u{200B}'),
    ("Cf", '\u{202E}'),
    ("Cf", '\u{FEFF}'),
    ("Cf", '\u{E0001}'),
    ("Co", '\u{E000}'),
    ("Co", '\u{F0000}'),
    ("Cn", '\u{0378}'),
    ("Cn", '\u{FFFF}'),
];

/// Every pattern the model states for the supported operations is enforced with the model's
/// meaning (Java's, as `request::pattern::model_regex` reads it): a text the checker admits
/// always matches the model's pattern, for characters of every Unicode category in every place,
/// and where no documented rule is stricter (`FileName`), the checker admits exactly what the
/// pattern matches.
#[test]
fn every_model_pattern_is_enforced_with_its_meaning() {
    use contact_bridge::request::pattern::model_regex;
    let model = model();
    let mut patterns = Vec::new();
    for &operation in OperationName::ALL {
        model_patterns(
            &model["operations"][operation.as_str()],
            operation.as_str(),
            &mut patterns,
        );
    }
    assert!(patterns.len() >= 5, "{patterns:?}");
    let forms = [Form::PhoneNumber, Form::NoCategoryC, Form::ArnCharacters];
    // A valid text of each form, to put the characters into.
    let valid = |form: Form| match form {
        Form::PhoneNumber => "+12065550100",
        Form::NoCategoryC => "report.pdf",
        Form::ArnCharacters => "arn:aws:connect:us-east-1:1:instance/i",
    };
    for (at, pattern) in &patterns {
        // A pattern no hand form covers is checked by the model's own regex (`Shape::Model`),
        // which `model_members_are_checked_by_the_model` holds to the description.
        let Some(form) = forms.into_iter().find(|f| f.model_pattern() == pattern) else {
            assert!(
                contact_bridge::request::pattern::of_model(pattern).is_some(),
                "{at}: no form or model regex enforces the model's pattern {pattern:?}"
            );
            continue;
        };
        let regex = model_regex(pattern);
        let base = valid(form);
        assert!(form.admits(base) && regex.is_match(base), "{at}: {base}");
        for (category, c) in CATEGORIES {
            for text in [
                format!("{c}{base}"),
                format!("{base}{c}"),
                format!("{}{c}{}", &base[..3], &base[3..]),
                c.to_string(),
            ] {
                let ours = form.admits(&text);
                let theirs = regex.is_match(&text);
                assert!(
                    !ours || theirs,
                    "{at}: {category} {text:?} admitted, the model refuses it"
                );
                if form == Form::NoCategoryC {
                    assert_eq!(ours, theirs, "{at}: {category} {text:?}");
                    assert_eq!(
                        ours,
                        !category.starts_with('C'),
                        "{at}: {category} {text:?}"
                    );
                }
            }
        }
    }
}
