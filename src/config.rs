//! Our own settings, read once at init from the environment and validated there.
//!
//! AWS's standard variables (`AWS_REGION`, `AWS_ENDPOINT_URL_CONNECT`, `AWS_MAX_ATTEMPTS`,
//! `AWS_RETRY_MODE`, ...) are read by `aws-config`, not here.

use std::collections::BTreeSet;

use crate::error::ContactError;
use crate::pacing::{BULK_SHARE, CallsPerSecond};
use crate::policy::Policy;
use crate::request::{INSTANCE_ID_MAX_CHARS, is_instance_reference_char};

/// The longest `DEFAULT_CONTACT_FLOW_ID` and `DEFAULT_QUEUE_ID` (the model's ContactFlowId bound).
const RESOURCE_ID_MAX_CHARS: usize = 500;
/// The longest `OUTCOME_EVENT_BUS` (EventBridge's bound on an `EventBusName`, name or ARN).
const EVENT_BUS_MAX_CHARS: usize = 1600;

/// Default for `MAX_CONCURRENCY`.
pub const DEFAULT_MAX_CONCURRENCY: usize = 10;
const MAX_CONCURRENCY_LIMIT: usize = 1_000;
/// The most environments `BULK_ENVIRONMENTS` may name (the SQS mapping's own limit).
const BULK_ENVIRONMENTS_LIMIT: u32 = 1_000;

/// A setting that cannot be used; init fails with this message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid setting {name}: {problem}")]
pub struct ConfigError {
    pub name: &'static str,
    pub problem: String,
}

fn invalid(name: &'static str, problem: impl Into<String>) -> ConfigError {
    ConfigError {
        name,
        problem: problem.into(),
    }
}

/// Which instances requests may target.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InstanceAllowList {
    Any,
    /// Instance IDs and instance ARNs, as the setting lists them.
    Only(BTreeSet<String>),
}

impl InstanceAllowList {
    /// Whether a request may target `instance` (an ID or an instance ARN). An ARN is compared
    /// whole: partition, Region, account and ID. A bare ID means the instance of that ID in the
    /// function's own account and Region (`home`), which is how Connect reads it; where `home` is
    /// not known (outside Lambda), only an ID listed as an ID, or an ARN listed as that ARN,
    /// matches.
    pub fn permits(&self, instance: &str, home: Option<&Home>) -> bool {
        let InstanceAllowList::Only(entries) = self else {
            return true;
        };
        let Some(request) = InstanceRef::parse(instance) else {
            return false;
        };
        entries
            .iter()
            .filter_map(|entry| InstanceRef::parse(entry))
            .any(|entry| entry.names(request, home))
    }
}

/// An instance as a request or a setting names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InstanceRef<'a> {
    /// A bare instance ID: letters, digits and '-'.
    Id(&'a str),
    /// `arn:<partition>:connect:<region>:<account>:instance/<id>`, nothing after the ID.
    Arn {
        partition: &'a str,
        region: &'a str,
        account: &'a str,
        id: &'a str,
    },
}

impl<'a> InstanceRef<'a> {
    /// `None`: neither an instance ID nor an instance ARN (`x:instance/<id>/anything`).
    pub fn parse(text: &'a str) -> Option<InstanceRef<'a>> {
        let is_id =
            |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
        let Some(rest) = text.strip_prefix("arn:") else {
            return is_id(text).then_some(InstanceRef::Id(text));
        };
        let mut parts = rest.splitn(5, ':');
        let (partition, service, region, account, resource) = (
            parts.next()?,
            parts.next()?,
            parts.next()?,
            parts.next()?,
            parts.next()?,
        );
        let id = resource.strip_prefix("instance/")?;
        let well_formed = service == "connect"
            && is_id(partition)
            && is_id(region)
            && account.len() == 12
            && account.bytes().all(|b| b.is_ascii_digit())
            && is_id(id);
        well_formed.then_some(InstanceRef::Arn {
            partition,
            region,
            account,
            id,
        })
    }

    pub fn id(self) -> &'a str {
        match self {
            InstanceRef::Id(id) | InstanceRef::Arn { id, .. } => id,
        }
    }

    /// Whether this allow-list entry names the instance a request names.
    fn names(self, request: InstanceRef<'_>, home: Option<&Home>) -> bool {
        let at_home = |partition: &str, region: &str, account: &str| {
            home.is_some_and(|h| {
                h.partition == partition && h.region == region && h.account == account
            })
        };
        match (self, request) {
            (InstanceRef::Id(listed), InstanceRef::Id(asked)) => listed == asked,
            (InstanceRef::Arn { .. }, InstanceRef::Arn { .. }) => self == request,
            (
                InstanceRef::Id(listed),
                InstanceRef::Arn {
                    partition,
                    region,
                    account,
                    id,
                },
            ) => listed == id && at_home(partition, region, account),
            (
                InstanceRef::Arn {
                    partition,
                    region,
                    account,
                    id,
                },
                InstanceRef::Id(asked),
            ) => id == asked && at_home(partition, region, account),
        }
    }
}

/// The function's own partition, Region and account, where a bare instance ID lives: read from
/// the ARN Lambda invokes it by (`arn:aws:lambda:us-east-1:123456789012:function:name`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Home {
    pub partition: String,
    pub region: String,
    pub account: String,
}

impl Home {
    pub fn from_function_arn(arn: &str) -> Option<Home> {
        let mut parts = arn.strip_prefix("arn:")?.splitn(5, ':');
        let (partition, service, region, account) =
            (parts.next()?, parts.next()?, parts.next()?, parts.next()?);
        let ok = service == "lambda"
            && !partition.is_empty()
            && !region.is_empty()
            && account.len() == 12;
        ok.then(|| Home {
            partition: partition.to_owned(),
            region: region.to_owned(),
            account: account.to_owned(),
        })
    }
}

/// The instance ID inside an instance ARN (`arn:aws:connect:...:instance/ID`), or the text itself.
pub fn instance_id_of(instance: &str) -> &str {
    match instance.split_once(":instance/") {
        Some((_, rest)) => rest.split('/').next().unwrap_or(rest),
        None => instance,
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    /// `CONNECT_INSTANCE_ID`: the instance of requests that name none.
    pub default_instance_id: Option<String>,
    /// `ALLOWED_INSTANCE_IDS`; unset: only the default instance if there is one, else any.
    pub allowed_instances: InstanceAllowList,
    /// `MAX_CONCURRENCY`: CreateContact calls in flight at once for one SQS batch.
    pub max_concurrency: usize,
    /// `MAX_CALLS_PER_SECOND`: the ceiling of this execution environment's bulk calls (SQS,
    /// EventBridge) per second, over the one derived from the quota.
    pub max_calls_per_second: Option<CallsPerSecond>,
    /// `CONNECT_QUOTA_PER_SECOND`: the account's API quota for the operations that create
    /// contacts (2 by default in Connect).
    pub connect_quota_per_second: Option<CallsPerSecond>,
    /// `BULK_ENVIRONMENTS`: the most execution environments that make bulk calls at once (the
    /// SQS event source mapping's maximum concurrency), which share the bulk part of the quota.
    pub bulk_environments: u32,
    /// `DEFAULT_CONTACT_FLOW_ID`: the flow of tasks that name no flow, quick connect or template,
    /// and of callbacks that name no flow.
    pub default_contact_flow_id: Option<String>,
    /// `DEFAULT_QUEUE_ID`: the queue of callbacks that name neither a queue nor a source number.
    pub default_queue_id: Option<String>,
    /// `OUTCOME_EVENT_BUS`: the EventBridge bus (name or ARN) that gets an outcome event for
    /// every request; `None`: no outcome events.
    pub outcome_event_bus: Option<String>,
    /// `POLICY` (the document) or `POLICY_FILE` (a path to it): what each source may ask for;
    /// `None`: everything is allowed.
    pub policy: Option<Policy>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            default_instance_id: None,
            allowed_instances: InstanceAllowList::Any,
            max_concurrency: DEFAULT_MAX_CONCURRENCY,
            max_calls_per_second: None,
            connect_quota_per_second: None,
            bulk_environments: 1,
            default_contact_flow_id: None,
            default_queue_id: None,
            outcome_event_bus: None,
            policy: None,
        }
    }
}

impl Settings {
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// Reads the settings through `lookup` (the environment, or a map in tests). A variable set to
    /// an empty string counts as unset, so templates can pass optional parameters through.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let read = |name: &str| lookup(name).filter(|v| !v.trim().is_empty());

        let default_instance_id = read("CONNECT_INSTANCE_ID")
            .map(|v| parse_instance("CONNECT_INSTANCE_ID", v.trim()))
            .transpose()?;

        let allowed_instances = match read("ALLOWED_INSTANCE_IDS") {
            Some(list) => {
                let mut ids = BTreeSet::new();
                for (i, entry) in list.split(',').enumerate() {
                    let entry = entry.trim();
                    if entry.is_empty() {
                        return Err(invalid(
                            "ALLOWED_INSTANCE_IDS",
                            format!(
                                "entry {} is empty; expected comma-separated instance IDs",
                                i + 1
                            ),
                        ));
                    }
                    let id = parse_instance("ALLOWED_INSTANCE_IDS", entry)?;
                    if InstanceRef::parse(&id).is_none() {
                        return Err(invalid(
                            "ALLOWED_INSTANCE_IDS",
                            format!(
                                "entry {} is neither an instance ID nor an instance ARN \
                                 (arn:<partition>:connect:<region>:<account>:instance/<id>)",
                                i + 1
                            ),
                        ));
                    }
                    ids.insert(id);
                }
                InstanceAllowList::Only(ids)
            }
            None => match &default_instance_id {
                Some(id) => InstanceAllowList::Only(BTreeSet::from([id.clone()])),
                None => InstanceAllowList::Any,
            },
        };
        // Compared by ID here: the function's home (for a bare ID against an ARN) is known only
        // once Lambda invokes it.
        let listed_by_id = |id: &str| match &allowed_instances {
            InstanceAllowList::Any => true,
            InstanceAllowList::Only(entries) => entries.iter().any(|e| {
                InstanceRef::parse(e).map(InstanceRef::id)
                    == InstanceRef::parse(id).map(InstanceRef::id)
            }),
        };
        if let Some(id) = &default_instance_id
            && !listed_by_id(id)
        {
            return Err(invalid(
                "CONNECT_INSTANCE_ID",
                "the default instance is not listed in ALLOWED_INSTANCE_IDS",
            ));
        }

        let max_concurrency = match read("MAX_CONCURRENCY") {
            Some(text) => match text.trim().parse::<usize>() {
                Ok(n) if (1..=MAX_CONCURRENCY_LIMIT).contains(&n) => n,
                _ => {
                    return Err(invalid(
                        "MAX_CONCURRENCY",
                        format!("expected a whole number from 1 to {MAX_CONCURRENCY_LIMIT}"),
                    ));
                }
            },
            None => DEFAULT_MAX_CONCURRENCY,
        };

        let rate = |name: &'static str| match read(name) {
            Some(text) => CallsPerSecond::parse(text.trim()).map(Some).ok_or_else(|| {
                invalid(
                    name,
                    format!(
                        "expected calls per second, from {} to {} with at most three decimals \
                         (0.7, 2), or nothing",
                        CallsPerSecond::MIN,
                        CallsPerSecond::MAX
                    ),
                )
            }),
            None => Ok(None),
        };
        let max_calls_per_second = rate("MAX_CALLS_PER_SECOND")?;
        let connect_quota_per_second = rate("CONNECT_QUOTA_PER_SECOND")?;
        let bulk_environments = match read("BULK_ENVIRONMENTS") {
            Some(text) => match text.trim().parse::<u32>() {
                Ok(n) if (1..=BULK_ENVIRONMENTS_LIMIT).contains(&n) => n,
                _ => {
                    return Err(invalid(
                        "BULK_ENVIRONMENTS",
                        format!("expected a whole number from 1 to {BULK_ENVIRONMENTS_LIMIT}"),
                    ));
                }
            },
            None => 1,
        };

        let default_contact_flow_id = read("DEFAULT_CONTACT_FLOW_ID")
            .map(|v| parse_resource_id("DEFAULT_CONTACT_FLOW_ID", v.trim()))
            .transpose()?;
        let default_queue_id = read("DEFAULT_QUEUE_ID")
            .map(|v| parse_resource_id("DEFAULT_QUEUE_ID", v.trim()))
            .transpose()?;

        let outcome_event_bus = read("OUTCOME_EVENT_BUS")
            .map(|v| parse_event_bus(v.trim()))
            .transpose()?;

        let policy_text = match (read("POLICY"), read("POLICY_FILE")) {
            (Some(_), Some(_)) => {
                return Err(invalid("POLICY", "set POLICY or POLICY_FILE, not both"));
            }
            (Some(text), None) => Some(("POLICY", text)),
            (None, Some(path)) => {
                let path = path.trim().to_owned();
                let text = std::fs::read_to_string(&path)
                    .map_err(|e| invalid("POLICY_FILE", format!("cannot read {path}: {e}")))?;
                Some(("POLICY_FILE", text))
            }
            (None, None) => None,
        };
        let policy = policy_text
            .map(|(name, text)| Policy::parse(&text).map_err(|e| invalid(name, e.to_string())))
            .transpose()?;

        Ok(Settings {
            policy,
            default_instance_id,
            allowed_instances,
            max_concurrency,
            max_calls_per_second,
            connect_quota_per_second,
            bulk_environments,
            default_contact_flow_id,
            default_queue_id,
            outcome_event_bus,
        })
    }

    /// The most bulk calls per second of this environment: `MAX_CALLS_PER_SECOND`, else its
    /// share of the bulk part of the quota (`CONNECT_QUOTA_PER_SECOND` x [`BULK_SHARE`] /
    /// `BULK_ENVIRONMENTS`); `None`: bulk calls are not paced.
    pub fn bulk_ceiling(&self) -> Option<CallsPerSecond> {
        self.max_calls_per_second.or_else(|| {
            self.connect_quota_per_second.map(|quota| {
                CallsPerSecond::from_f64(
                    quota.get() * BULK_SHARE / f64::from(self.bulk_environments),
                )
            })
        })
    }

    /// Rejects a request for an instance this function may not use, before Connect is called
    /// (`home`: the function's own account and Region, see [`InstanceAllowList::permits`]).
    pub fn check_instance(
        &self,
        instance_id: &str,
        home: Option<&Home>,
    ) -> Result<(), ContactError> {
        if self.allowed_instances.permits(instance_id, home) {
            Ok(())
        } else {
            Err(ContactError::InstanceNotAllowed {
                instance_id: instance_id.to_owned(),
            })
        }
    }
}

/// An instance ID or ARN (see [`INSTANCE_ID_MAX_CHARS`]).
fn parse_instance(name: &'static str, text: &str) -> Result<String, ConfigError> {
    parse_id(
        name,
        text,
        INSTANCE_ID_MAX_CHARS,
        "Amazon Connect instance IDs (or instance ARNs)",
    )
}

/// A flow or queue ID (or ARN): 1 to 500 letters, digits, '-', ':' or '/'.
fn parse_resource_id(name: &'static str, text: &str) -> Result<String, ConfigError> {
    parse_id(name, text, RESOURCE_ID_MAX_CHARS, "an ID (or ARN)")
}

/// An ID or ARN of at most `max` characters of an instance reference; `what` names it in the
/// error.
fn parse_id(name: &'static str, text: &str, max: usize, what: &str) -> Result<String, ConfigError> {
    if !text.chars().all(is_instance_reference_char) || text.chars().count() > max {
        return Err(invalid(
            name,
            format!("expected {what}: 1 to {max} letters, digits, '-', ':' or '/'"),
        ));
    }
    Ok(text.to_owned())
}

/// An event bus name (letters, digits, '.', '-', '_', '/') or ARN (also ':').
fn parse_event_bus(text: &str) -> Result<String, ConfigError> {
    let allowed = |c: char| c.is_ascii_alphanumeric() || "._-/:".contains(c);
    if !text.chars().all(allowed) || text.chars().count() > EVENT_BUS_MAX_CHARS {
        return Err(invalid(
            "OUTCOME_EVENT_BUS",
            format!(
                "expected an EventBridge bus name or ARN: 1 to {EVENT_BUS_MAX_CHARS} letters, \
                 digits, '.', '-', '_', '/' or ':'"
            ),
        ));
    }
    Ok(text.to_owned())
}
