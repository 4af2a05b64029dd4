//! Settings: read once, validated, and a malformed one names itself.

use std::collections::HashMap;

use contact_bridge::config::{DEFAULT_MAX_CONCURRENCY, Home, InstanceAllowList, Settings};
use contact_bridge::error::ContactError;
use contact_bridge::request::parse_request;
use serde_json::json;

fn settings(vars: &[(&str, &str)]) -> Result<Settings, contact_bridge::config::ConfigError> {
    let map: HashMap<String, String> = vars
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    Settings::from_lookup(|name| map.get(name).cloned())
}

#[test]
fn unset_means_any_instance_and_default_concurrency() {
    let s = settings(&[]).unwrap();
    assert_eq!(s.default_instance_id, None);
    assert_eq!(s.allowed_instances, InstanceAllowList::Any);
    assert_eq!(s.max_concurrency, DEFAULT_MAX_CONCURRENCY);
    // Empty values (optional template parameters) count as unset.
    assert_eq!(
        settings(&[("ALLOWED_INSTANCE_IDS", " "), ("CONNECT_INSTANCE_ID", "")]).unwrap(),
        s
    );
}

#[test]
fn the_default_instance_alone_is_allowed_when_no_list_is_set() {
    let s = settings(&[("CONNECT_INSTANCE_ID", "inst-a")]).unwrap();
    assert_eq!(s.default_instance_id.as_deref(), Some("inst-a"));
    assert!(s.allowed_instances.permits("inst-a", None));
    assert!(!s.allowed_instances.permits("inst-b", None));
}

#[test]
fn allowed_list_is_comma_separated_ids_or_arns() {
    let s = settings(&[(
        "ALLOWED_INSTANCE_IDS",
        " inst-a , arn:aws:connect:eu-west-2:123456789012:instance/inst-b",
    )])
    .unwrap();
    let home = Home::from_function_arn("arn:aws:lambda:eu-west-2:123456789012:function:cb");
    let home = home.as_ref();
    let list = &s.allowed_instances;
    assert!(list.permits("inst-a", home));
    assert!(
        list.permits("inst-b", home),
        "inst-b's ARN is in the function's home"
    );
    assert!(list.permits(
        "arn:aws:connect:eu-west-2:123456789012:instance/inst-a",
        home
    ));
    assert!(list.permits(
        "arn:aws:connect:eu-west-2:123456789012:instance/inst-b",
        home
    ));
    assert!(!list.permits("inst-c", home));
}

/// An ARN is compared whole: partition, Region, account and ID; a bare ID is the instance of that
/// ID in the function's own account and Region.
#[test]
fn instance_arns_are_compared_whole() {
    let s = settings(&[("ALLOWED_INSTANCE_IDS", "inst-a")]).unwrap();
    let list = &s.allowed_instances;
    let home = Home::from_function_arn("arn:aws:lambda:eu-west-1:111111111111:function:cb");
    let home = home.as_ref();
    // The review's cases: another account, and text that only contains ":instance/<id>".
    for refused in [
        "arn:aws:connect:eu-west-1:999999999999:instance/inst-a",
        "arn:aws:connect:us-east-1:111111111111:instance/inst-a",
        "arn:aws-cn:connect:eu-west-1:111111111111:instance/inst-a",
        "x:instance/inst-a/anything",
        "arn:aws:connect:eu-west-1:111111111111:instance/inst-a/contact/c",
        "arn:aws:iam:eu-west-1:111111111111:instance/inst-a",
    ] {
        assert!(!list.permits(refused, home), "{refused}");
        let error = s.check_instance(refused, home).unwrap_err();
        assert_eq!(error.kind(), "InstanceNotAllowed");
    }
    assert!(list.permits(
        "arn:aws:connect:eu-west-1:111111111111:instance/inst-a",
        home
    ));
    assert!(list.permits("inst-a", home));
    // Outside Lambda the home is not known: an ARN cannot be matched to a bare ID.
    assert!(!list.permits(
        "arn:aws:connect:eu-west-1:111111111111:instance/inst-a",
        None
    ));

    // An ARN in the list matches that ARN, and a bare ID only in the function's own home.
    let s = settings(&[(
        "ALLOWED_INSTANCE_IDS",
        "arn:aws:connect:eu-west-1:222222222222:instance/inst-b",
    )])
    .unwrap();
    let list = &s.allowed_instances;
    assert!(list.permits(
        "arn:aws:connect:eu-west-1:222222222222:instance/inst-b",
        home
    ));
    assert!(
        !list.permits("inst-b", home),
        "a bare ID is in 111111111111, not 222222222222"
    );
    let theirs = Home::from_function_arn("arn:aws:lambda:eu-west-1:222222222222:function:cb");
    assert!(list.permits("inst-b", theirs.as_ref()));

    // A list entry that is neither fails init, naming itself.
    let error = settings(&[("ALLOWED_INSTANCE_IDS", "inst-a,x:instance/inst-b")]).unwrap_err();
    assert!(error.to_string().contains("entry 2 is neither"), "{error}");
}

#[test]
fn malformed_settings_name_themselves() {
    let cases: &[(&[(&str, &str)], &str)] = &[
        (
            &[("ALLOWED_INSTANCE_IDS", "inst-a,,inst-b")],
            "ALLOWED_INSTANCE_IDS: entry 2 is empty",
        ),
        (
            &[("ALLOWED_INSTANCE_IDS", "inst a")],
            "ALLOWED_INSTANCE_IDS",
        ),
        (
            &[("ALLOWED_INSTANCE_IDS", "inst-a;inst-b")],
            "ALLOWED_INSTANCE_IDS",
        ),
        (
            &[("CONNECT_INSTANCE_ID", "has space")],
            "CONNECT_INSTANCE_ID",
        ),
        (
            &[("CONNECT_INSTANCE_ID", "x".repeat(101).leak())],
            "CONNECT_INSTANCE_ID",
        ),
        (
            &[
                ("CONNECT_INSTANCE_ID", "inst-c"),
                ("ALLOWED_INSTANCE_IDS", "inst-a"),
            ],
            "CONNECT_INSTANCE_ID: the default instance is not listed",
        ),
        (&[("MAX_CONCURRENCY", "0")], "MAX_CONCURRENCY"),
        (&[("MAX_CONCURRENCY", "ten")], "MAX_CONCURRENCY"),
        (&[("MAX_CONCURRENCY", "1001")], "MAX_CONCURRENCY"),
        (&[("MAX_CONCURRENCY", "-1")], "MAX_CONCURRENCY"),
        (&[("MAX_CALLS_PER_SECOND", "0")], "MAX_CALLS_PER_SECOND"),
        (
            &[("MAX_CALLS_PER_SECOND", "2.5001")],
            "MAX_CALLS_PER_SECOND",
        ),
        (&[("MAX_CALLS_PER_SECOND", "fast")], "MAX_CALLS_PER_SECOND"),
        (&[("MAX_CALLS_PER_SECOND", "10001")], "MAX_CALLS_PER_SECOND"),
        (
            &[("CONNECT_QUOTA_PER_SECOND", "0")],
            "CONNECT_QUOTA_PER_SECOND",
        ),
        (
            &[("CONNECT_QUOTA_PER_SECOND", "-2")],
            "CONNECT_QUOTA_PER_SECOND",
        ),
        (&[("BULK_ENVIRONMENTS", "0")], "BULK_ENVIRONMENTS"),
        (&[("BULK_ENVIRONMENTS", "1001")], "BULK_ENVIRONMENTS"),
    ];
    for (vars, expected) in cases {
        let error = settings(vars).expect_err(expected).to_string();
        assert!(
            error.contains(expected),
            "{error:?} should contain {expected:?}"
        );
        assert!(error.starts_with("invalid setting "), "{error}");
    }
    assert_eq!(
        settings(&[("MAX_CONCURRENCY", " 25 ")])
            .unwrap()
            .max_concurrency,
        25
    );
}

/// The pace of bulk calls: the quota's bulk share, split between the environments; an explicit
/// MAX_CALLS_PER_SECOND wins; neither: not paced.
#[test]
fn the_bulk_ceiling_follows_the_quota_and_the_environments() {
    let ceiling = |vars: &[(&str, &str)]| settings(vars).unwrap().bulk_ceiling().map(|c| c.get());
    assert_eq!(ceiling(&[]), None);
    assert_eq!(
        ceiling(&[
            ("CONNECT_QUOTA_PER_SECOND", "2"),
            ("BULK_ENVIRONMENTS", "2")
        ]),
        Some(0.9),
        "0.9 of 2 per second, for 2 environments"
    );
    assert_eq!(ceiling(&[("CONNECT_QUOTA_PER_SECOND", "20")]), Some(18.0));
    assert_eq!(
        ceiling(&[
            ("CONNECT_QUOTA_PER_SECOND", "2"),
            ("MAX_CALLS_PER_SECOND", "0.25")
        ]),
        Some(0.25)
    );
    assert_eq!(ceiling(&[("MAX_CALLS_PER_SECOND", "2.5")]), Some(2.5));
}

#[test]
fn requests_for_other_instances_are_rejected() {
    let s = settings(&[("ALLOWED_INSTANCE_IDS", "inst-a")]).unwrap();
    let ok = parse_request(
        &json!({"InstanceId": "inst-a", "Channel": "TASK", "InitiationMethod": "API"}),
        None,
    )
    .unwrap();
    assert!(s.check_instance(&ok.instance_id, None).is_ok());
    let other = parse_request(
        &json!({"InstanceId": "inst-b", "Channel": "TASK", "InitiationMethod": "API"}),
        None,
    )
    .unwrap();
    let error = s.check_instance(&other.instance_id, None).unwrap_err();
    assert!(
        matches!(&error, ContactError::InstanceNotAllowed { instance_id } if instance_id == "inst-b")
    );
    assert_eq!(error.kind(), "InstanceNotAllowed");
    assert!(!error.is_retryable());
}

/// The `AllowedPattern` of a template parameter.
fn allowed_pattern(template: &str, parameter: &str) -> String {
    let start = template
        .find(&format!("\n  {parameter}:\n"))
        .unwrap_or_else(|| panic!("template.yaml has no parameter {parameter}"));
    template[start..]
        .lines()
        .find_map(|line| line.trim().strip_prefix("AllowedPattern: "))
        .unwrap_or_else(|| panic!("{parameter} has no AllowedPattern"))
        .to_owned()
}

#[test]
fn the_template_takes_instances_as_the_function_does() {
    use contact_bridge::request::{INSTANCE_ID_MAX_CHARS, is_instance_reference_char};
    let template =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/template.yaml")).unwrap();
    // ^[a-zA-Z0-9-]{1,100}$: an instance ID, within the model's length.
    assert_eq!(
        allowed_pattern(&template, "ConnectInstanceId"),
        format!("^[a-zA-Z0-9-]{{1,{INSTANCE_ID_MAX_CHARS}}}$")
    );
    // Every character the allow-list parameter takes, but its separators, is one of an instance
    // reference's; and every character of one is taken.
    let list = allowed_pattern(&template, "AllowedInstanceIds");
    assert_eq!(list, "^[a-zA-Z0-9:/, -]*$");
    for c in (' '..='~').filter(|c| !matches!(c, ',' | ' ')) {
        let in_class = c.is_ascii_alphanumeric() || ":/-".contains(c);
        assert_eq!(in_class, is_instance_reference_char(c), "{c:?}");
    }
}

/// Every MaxCallsPerSecond the template takes, the function takes (an empty one is unset).
#[test]
fn the_template_takes_rates_the_function_takes() {
    let template =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/template.yaml")).unwrap();
    let pattern = regex::Regex::new(&allowed_pattern(&template, "MaxCallsPerSecond")).unwrap();
    let values = [
        "1", "2", "0.5", "0.001", "0.01", "0.010", "0.100", "1.5", "9999.999", "0", "0.0", "0.000",
        "00.5", "1.", ".5", "1.2345", "10000", "-1", "x",
    ];
    let mut taken = 0;
    for value in values {
        if pattern.is_match(value) {
            taken += 1;
            assert!(
                settings(&[("MAX_CALLS_PER_SECOND", value)]).is_ok(),
                "the template takes {value:?}, the function refuses it"
            );
        }
    }
    assert_eq!(taken, 9, "the pattern takes the rates it should");
}

/// A message is received at most maxReceiveCount times, each at least VisibilityTimeout after
/// the last: the queue-age alarm must fire before the last receive can send it to the DLQ.
#[test]
fn the_backlog_alarm_fires_before_a_message_can_reach_the_dead_letter_queue() {
    let template =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/template.yaml")).unwrap();
    let number = |key: &str| -> u64 {
        template
            .lines()
            .find_map(|line| line.trim().strip_prefix(key))
            .unwrap_or_else(|| panic!("template.yaml has no {key}"))
            .trim()
            .parse()
            .unwrap()
    };
    let receives = number("maxReceiveCount:");
    let visibility = number("VisibilityTimeout:");
    let start = template.find("\n  QueueAgeAlarmSeconds:\n").unwrap();
    let alarm: u64 = template[start..]
        .lines()
        .find_map(|line| line.trim().strip_prefix("Default:"))
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    assert!(
        alarm < (receives - 1) * visibility,
        "alarm at {alarm} s, DLQ possible after {} s",
        (receives - 1) * visibility
    );
}

#[test]
fn the_default_flow_and_queue_are_ids_read_once() {
    let s = settings(&[
        ("DEFAULT_CONTACT_FLOW_ID", " flow-1 "),
        ("DEFAULT_QUEUE_ID", "queue-1"),
    ])
    .unwrap();
    assert_eq!(s.default_contact_flow_id.as_deref(), Some("flow-1"));
    assert_eq!(s.default_queue_id.as_deref(), Some("queue-1"));
    let unset = settings(&[("DEFAULT_CONTACT_FLOW_ID", ""), ("DEFAULT_QUEUE_ID", " ")]).unwrap();
    assert_eq!(
        (unset.default_contact_flow_id, unset.default_queue_id),
        (None, None)
    );
    for (name, value) in [
        ("DEFAULT_CONTACT_FLOW_ID", "flow 1"),
        ("DEFAULT_QUEUE_ID", "queue;1"),
        ("DEFAULT_CONTACT_FLOW_ID", &"f".repeat(501)),
    ] {
        let error = settings(&[(name, value)]).unwrap_err();
        assert_eq!(
            error.to_string(),
            format!(
                "invalid setting {name}: expected an ID (or ARN): 1 to 500 letters, digits, '-', \
                 ':' or '/'"
            )
        );
    }
}

#[test]
fn the_template_takes_the_default_flow_and_queue_as_the_function_does() {
    let template =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/template.yaml")).unwrap();
    for parameter in ["DefaultContactFlowId", "DefaultQueueId"] {
        // Empty (unset), or what DEFAULT_CONTACT_FLOW_ID and DEFAULT_QUEUE_ID take: the
        // characters of an instance reference (the test above holds that class to the
        // function's), at most 500.
        assert_eq!(
            allowed_pattern(&template, parameter),
            "^[a-zA-Z0-9:/-]{0,500}$",
            "{parameter}"
        );
    }
}

#[test]
fn the_outcome_bus_is_a_name_or_an_arn() {
    for bus in [
        "contact-outcomes",
        "arn:aws:events:eu-west-2:123456789012:event-bus/contact-outcomes",
        "aws.partner/example.com/123/bus",
    ] {
        let s = settings(&[("OUTCOME_EVENT_BUS", bus)]).unwrap();
        assert_eq!(s.outcome_event_bus.as_deref(), Some(bus));
    }
    assert_eq!(
        settings(&[("OUTCOME_EVENT_BUS", " ")])
            .unwrap()
            .outcome_event_bus,
        None
    );
    for bad in ["contact outcomes", "bus;drop", &"b".repeat(1601)] {
        assert_eq!(
            settings(&[("OUTCOME_EVENT_BUS", bad)])
                .unwrap_err()
                .to_string(),
            "invalid setting OUTCOME_EVENT_BUS: expected an EventBridge bus name or ARN: 1 to \
             1600 letters, digits, '.', '-', '_', '/' or ':'"
        );
    }
}

/// The template offers no log level at which the runtime logs event bodies (TRACE).
#[test]
fn the_template_offers_no_trace_log_level() {
    let template =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/template.yaml")).unwrap();
    let start = template
        .find("\n  LogLevel:\n")
        .expect("a LogLevel parameter");
    let values: Vec<&str> = template[start..]
        .lines()
        .skip_while(|line| !line.trim().starts_with("AllowedValues:"))
        .skip(1)
        .map_while(|line| line.trim().strip_prefix("- "))
        .collect();
    assert_eq!(values, ["DEBUG", "INFO", "WARN", "ERROR", "FATAL"]);
}

/// The template's POLICY, as CloudFormation builds it from AllowedDestinationPrefixes, is a policy
/// the function accepts, that holds every source to those prefixes; the EventBridge rule matches
/// the named sources from this account; the HTTP API is throttled; TRACE is not offered.
#[test]
fn the_template_builds_a_policy_and_wires_the_rule() {
    use contact_bridge::policy::Policy;
    use contact_bridge::request::OperationName;
    let template =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/template.yaml")).unwrap();
    let document = template
        .lines()
        .find_map(|line| line.trim().strip_prefix("- '{\"sqs\""))
        .map(|rest| format!("{{\"sqs\"{}", rest.trim_end_matches('\'')))
        .expect("the built POLICY document");
    // !Join ["", ['"', !Join ['","', !Split [",", prefixes]], '"']]
    let built = |prefixes: &str| {
        let quoted = format!(
            "\"{}\"",
            prefixes.split(',').collect::<Vec<_>>().join("\",\"")
        );
        Policy::parse(&document.replace("${Prefixes}", &quoted))
            .unwrap_or_else(|e| panic!("{prefixes}: {e}"))
    };
    let policy = built("+1,+44");
    for source in contact_bridge::policy::SOURCES {
        for &operation in OperationName::ALL {
            let rules = policy
                .rules(source, operation)
                .expect("every source, every operation");
            assert!(rules.permits_destination("+12065550100"));
            assert!(rules.permits_destination("+442071838750"));
            assert!(!rules.permits_destination("+882123456789"), "{source}");
        }
    }
    assert!(
        built("*")
            .rules("sqs", OperationName::StartOutboundVoiceContact)
            .unwrap()
            .permits_destination("+882123456789")
    );
    // The parameter's pattern refuses what the function would refuse at init.
    assert_eq!(
        allowed_pattern(&template, "AllowedDestinationPrefixes"),
        r"^(\*|\+[0-9]{1,15}(,\+[0-9]{1,15})*)$"
    );
    // The rule: the named sources, this account (or the named ones); the API: throttled.
    for wiring in [
        "source: !Ref EventSources",
        "- [!Ref AWS::AccountId]",
        "ThrottlingRateLimit: !If [HasHttpRateLimit, !Ref HttpThrottlingRateLimit, !Ref ConnectQuotaPerSecond]",
        "ThrottlingBurstLimit: !If [HasHttpBurstLimit, !Ref HttpThrottlingBurstLimit, !Ref ConnectQuotaBurst]",
        "CONNECT_QUOTA_PER_SECOND: !Ref ConnectQuotaPerSecond",
        "BULK_ENVIRONMENTS: !Ref SqsMaximumConcurrency",
        "ReservedConcurrentExecutions: !If",
        "POLICY: !If",
    ] {
        assert!(template.contains(wiring), "template.yaml lacks {wiring:?}");
    }
    for required in ["AllowedDestinationPrefixes", "EventSources"] {
        let start = template.find(&format!("\n  {required}:\n")).unwrap();
        let block: String = template[start + 1..]
            .lines()
            .skip(1)
            .take_while(|l| l.starts_with("    "))
            .collect();
        assert!(
            !block.contains("Default:"),
            "{required} must have no default"
        );
    }
}

/// The role may call every operation the function calls; the EventBridge rule takes every
/// operation an event may ask for (not those that answer credentials: nobody would receive them);
/// and browsers of other origins may call the HTTP API only where the deployer names them.
#[test]
fn the_template_grants_every_operation_and_lists_the_events_of_each() {
    use contact_bridge::request::OperationName;
    let template =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/template.yaml")).unwrap();
    let start = template.find("              detail-type:\n").unwrap();
    let detail_types: Vec<&str> = template[start..]
        .lines()
        .skip(1)
        .map_while(|line| line.trim().strip_prefix("- "))
        .collect();
    for operation in OperationName::ALL {
        assert!(
            template.contains(&format!("- connect:{operation}\n")),
            "the role may not call {operation}"
        );
        assert_eq!(
            detail_types.contains(&operation.as_str()),
            !operation.answers_credentials(),
            "{operation} in the rule's detail-types: {detail_types:?}"
        );
    }
    let cors = template.find("\n  CorsAllowedOrigins:\n").unwrap();
    assert!(
        template[cors..].lines().nth(3) == Some("    Default: \"\""),
        "no origin by default"
    );
    assert!(
        template.contains(
            "HasCorsOrigins: !Not [!Equals [!Join [\"\", !Ref CorsAllowedOrigins], \"\"]]"
        )
    );
    let api_cors = template.find("x-amazon-apigateway-cors: !If").unwrap();
    assert!(
        template[api_cors..]
            .contains("- HasCorsOrigins\n          - allowOrigins: !Ref CorsAllowedOrigins")
    );
}
