//! Strict JSON: duplicate members are named by their path; everything else reads as serde_json does.

use contact_bridge::json::{JsonError, parse_strict};
use serde_json::json;

#[test]
fn duplicates_are_named_at_any_depth() {
    let cases = [
        (r#"{"a": 1, "a": 2}"#, "/a"),
        (r#"{"x": [{"ok": 1}, {"b": 1, "b": 2}]}"#, "/x/1/b"),
        (
            r#"{"detail": {"Attributes": {"k/~": "1", "k/~": "2"}}}"#,
            "/detail/Attributes/k~1~0",
        ),
    ];
    for (text, path) in cases {
        assert_eq!(
            parse_strict(text.as_bytes()),
            Err(JsonError::DuplicateMember(path.to_owned())),
            "{text}"
        );
    }
}

#[test]
fn everything_else_reads_as_serde_json_does() {
    for text in [
        r#"{"a": [1, -2, 3.5, true, null, "s"], "b": {"c": {}}}"#,
        "[]",
        "7",
        r#""x""#,
    ] {
        let strict = parse_strict(text.as_bytes()).unwrap();
        assert_eq!(
            strict,
            serde_json::from_str::<serde_json::Value>(text).unwrap()
        );
    }
    assert_eq!(
        parse_strict(br#"{"a": {"a": 1}}"#).unwrap(),
        json!({"a": {"a": 1}}),
        "same name, different objects"
    );
    assert!(matches!(
        parse_strict(b"{\"a\": 1} trailing"),
        Err(JsonError::Syntax(_))
    ));
    let deep = "[".repeat(100_000) + &"]".repeat(100_000);
    assert!(
        matches!(parse_strict(deep.as_bytes()), Err(JsonError::Syntax(_))),
        "nesting is limited, not a stack overflow"
    );
}
