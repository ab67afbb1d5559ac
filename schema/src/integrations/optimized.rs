//! The `Parameters` of CloudFlow's optimized integrations. These Actions take
//! CloudFlow's own lowerCamelCase parameters, not the OpenAPI operation's.
//!
//! Required flags are `None` where the documentation does not say; callers should
//! not report errors on those.

use super::{ALL_MODES, IntegrationKind, REQUEST_AND_CUSTOM_CALLBACK, REQUEST_ONLY, TaskMode, split_action};

/// The JSON type a parameter takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ParamType {
    /// A string.
    String,
    /// A whole number.
    Integer,
    /// Any number.
    Number,
    /// `true` or `false`.
    Boolean,
    /// A list.
    Array,
    /// A JSON object.
    Object,
    /// Anything: the service serializes objects and arrays to JSON itself.
    Any,
}

impl ParamType {
    /// The JSON name of the type, for editors.
    pub const fn as_str(self) -> &'static str {
        match self {
            ParamType::String => "string",
            ParamType::Integer => "integer",
            ParamType::Number => "number",
            ParamType::Boolean => "boolean",
            ParamType::Array => "array",
            ParamType::Object => "object",
            ParamType::Any => "any",
        }
    }
}

/// One parameter of an optimized integration.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ParamSpec {
    /// The key under `Parameters` (without a `.$` suffix).
    pub name: &'static str,
    /// The expected value type.
    pub ty: ParamType,
    /// `Some(true)` required, `Some(false)` optional, `None` not documented.
    pub required: Option<bool>,
    /// Hover text.
    pub description: &'static str,
    /// The allowed values, when the docs list them; empty otherwise.
    pub values: &'static [&'static str],
    /// Whether `values` are matched ignoring ASCII case.
    pub values_ignore_case: bool,
    /// The smallest allowed integer.
    pub min: Option<i64>,
    /// The largest allowed integer.
    pub max: Option<i64>,
    /// The value used when the parameter is omitted, as written in YAML.
    pub default: Option<&'static str>,
    /// For a parameter the docs require but Alibaba's own templates omit: what is known of
    /// the service without it. Such a parameter is reported missing as a warning only.
    pub omitted_in_practice: Option<&'static str>,
}

impl ParamSpec {
    pub(crate) const fn new(
        name: &'static str,
        ty: ParamType,
        required: Option<bool>,
        description: &'static str,
    ) -> ParamSpec {
        ParamSpec {
            name,
            ty,
            required,
            description,
            values: &[],
            values_ignore_case: false,
            min: None,
            max: None,
            default: None,
            omitted_in_practice: None,
        }
    }

    pub(crate) const fn values(mut self, values: &'static [&'static str], ignore_case: bool) -> ParamSpec {
        self.values = values;
        self.values_ignore_case = ignore_case;
        self
    }

    pub(crate) const fn range(mut self, min: i64, max: i64) -> ParamSpec {
        self.min = Some(min);
        self.max = Some(max);
        self
    }

    const fn default(mut self, default: &'static str) -> ParamSpec {
        self.default = Some(default);
        self
    }

    const fn omitted_in_practice(mut self, why: &'static str) -> ParamSpec {
        self.omitted_in_practice = Some(why);
        self
    }

    /// Whether `value` is one of `values` (always true when no values are listed).
    pub fn accepts_value(&self, value: &str) -> bool {
        self.values.is_empty()
            || self
                .values
                .iter()
                .any(|v| if self.values_ignore_case { v.eq_ignore_ascii_case(value) } else { *v == value })
    }
}

/// An optimized integration: its Action, supported task modes and parameters.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OptimizedIntegration {
    /// The documented `Service:Api` spelling.
    pub action: &'static str,
    /// The integration family.
    pub kind: IntegrationKind,
    /// The service's display name, e.g. "Function Compute".
    pub service: &'static str,
    /// Task modes supported in Standard workflows (Express allows only `RequestComplete`).
    pub modes: &'static [TaskMode],
    /// The documented parameters. Not necessarily complete: see `note`.
    pub params: &'static [ParamSpec],
    /// What the documentation leaves open about this integration, if anything.
    pub note: Option<&'static str>,
    /// Documentation pages, most specific first.
    pub doc: &'static [&'static str],
}

impl OptimizedIntegration {
    /// The parameter called `name` (exact, case-sensitive, without `.$`).
    pub fn param(&self, name: &str) -> Option<&'static ParamSpec> {
        self.params.iter().find(|p| p.name == name)
    }
}

use ParamType::{Any, Integer, Object, String as Text};

const REQUIRED: Option<bool> = Some(true);
const OPTIONAL: Option<bool> = Some(false);
const UNKNOWN: Option<bool> = None;

const FC_PARAMS: &[ParamSpec] = &[
    ParamSpec::new(
        "resourceArn",
        Text,
        REQUIRED,
        "ARN of the function to invoke. Function Compute 3.0 form: \
         `acs:fc:{region}:{account}:functions/{name}[/{qualifier}]` (qualifier e.g. `LATEST`, a version \
         or an alias). The 2.0 form `acs:fc:{region}:{account}:services/{service}[.{qualifier}]/functions/{function}` \
         also appears in the docs.",
    ),
    ParamSpec::new(
        "invocationType",
        Text,
        REQUIRED,
        "`Sync` waits for the function's result; `Async` only queues the event. \
         `TaskMode: WaitForSystemCallback` needs `Async`.",
    )
    .values(&["Sync", "Async"], false)
    .omitted_in_practice(
        "the docs require it, but Alibaba's published templates call `FC:InvokeFunction` without it; \
         the function is then presumably invoked synchronously, Function Compute's default",
    ),
    ParamSpec::new(
        "body",
        Any,
        OPTIONAL,
        "The event handed to the function: a JSON object (serialized for you) or a string.",
    ),
];

const FNF_PARAMS: &[ParamSpec] = &[
    ParamSpec::new(
        "resourceArn",
        Text,
        REQUIRED,
        "ARN of the child workflow, `acs:fnf:{region}:{account}:flow/{name}` (region and account may be \
         left empty). The child must be in the same region.",
    ),
    ParamSpec::new(
        "executionName",
        Text,
        OPTIONAL,
        "Name of the child execution; generated when omitted. Must be unique within the child workflow.",
    ),
    ParamSpec::new("input", Any, OPTIONAL, "Input of the child execution, usually an object."),
];

const MNS_PARAMS: &[ParamSpec] = &[
    ParamSpec::new(
        "resourceArn",
        Text,
        REQUIRED,
        "ARN of the queue, `acs:mns:{region}:{account}:/queues/{queue}/messages`, or of the topic, \
         `acs:mns:{region}:{account}:/topics/{topic}/messages`.",
    ),
    ParamSpec::new(
        "message",
        Any,
        UNKNOWN,
        "The message: text, or an object or array that is sent JSON-encoded.",
    ),
    ParamSpec::new(
        "priority",
        Integer,
        OPTIONAL,
        "Message priority from 1 (highest) to 16 (lowest). Default 8.",
    )
    .range(1, 16)
    .default("8"),
    ParamSpec::new(
        "delaySeconds",
        Integer,
        OPTIONAL,
        "Seconds before the message becomes visible, 0 to 604800 (7 days). Default 0.",
    )
    .range(0, 604_800)
    .default("0"),
    ParamSpec::new("messageTag", Text, OPTIONAL, "Tag of a topic message (topics only)."),
    ParamSpec::new(
        "messageAttributes",
        Object,
        OPTIONAL,
        "Push attributes for topic subscriptions: `MailAttributes` (`Subject`, `AccountName`, \
         `AddressType`, `IsHTML`, `ReplyToAddress`) and `SMSAttributes` (`FreeSignName`, `TemplateCode`, \
         `Type`, `Receiver`, `SmsParams`).",
    ),
];

const EVENTBRIDGE_PARAMS: &[ParamSpec] = &[
    ParamSpec::new("id", Text, UNKNOWN, "Event ID."),
    ParamSpec::new("source", Text, UNKNOWN, "Event source."),
    ParamSpec::new("type", Text, UNKNOWN, "Event type."),
    ParamSpec::new("eventBusName", Text, UNKNOWN, "Name of the event bus that receives the event."),
    ParamSpec::new("subject", Text, UNKNOWN, "Event subject."),
    ParamSpec::new("data", Any, UNKNOWN, "Event payload, usually an object."),
];

const OSS_GET_OBJECT_PARAMS: &[ParamSpec] = &[
    ParamSpec::new("bucket", Text, REQUIRED, "Name of the bucket."),
    ParamSpec::new("key", Text, REQUIRED, "Key (full path) of the object to read."),
    ParamSpec::new("region", Text, OPTIONAL, "Region of the bucket; defaults to the workflow's region."),
    ParamSpec::new("versionId", Text, OPTIONAL, "Version of the object to read."),
    ParamSpec::new(
        "range",
        Text,
        OPTIONAL,
        "Byte range to read: `1024-2048`, from an offset `1024-`, or the last bytes `-2048`.",
    ),
    ParamSpec::new(
        "ifMatch",
        Text,
        OPTIONAL,
        "Read only if the object's ETag equals this value (otherwise the request fails with 412).",
    ),
    ParamSpec::new(
        "ifNoneMatch",
        Text,
        OPTIONAL,
        "Read only if the object's ETag differs from this value (otherwise 304 Not Modified).",
    ),
];

const HTTP_PARAMS: &[ParamSpec] = &[
    ParamSpec::new(
        "url",
        Text,
        UNKNOWN,
        "Full URL including the scheme; it must be reachable from the public internet.",
    ),
    ParamSpec::new("method", Text, UNKNOWN, "HTTP method. The docs' own example writes `Get`.")
        .values(&["GET", "POST", "PATCH", "PUT", "DELETE", "HEAD"], true),
    ParamSpec::new(
        "body",
        Any,
        OPTIONAL,
        "Request body: a string is sent as-is, objects and arrays are JSON-encoded.",
    ),
    ParamSpec::new("headers", Object, OPTIONAL, "Request headers as a map of names to values."),
];

const SMS_PARAMS: &[ParamSpec] = &[
    ParamSpec::new(
        "phoneNumbers",
        Text,
        REQUIRED,
        "Recipients, comma-separated, at most 1000. Mainland China numbers have 11 digits (optionally \
         prefixed with `+`, `+86`, `0086` or `86`); others are country code plus number.",
    ),
    // The SMS integration page and the CloudFlow reference mark these required, and so
    // does the SMS OpenAPI's SendSms (`SignName`, `TemplateCode`); the hand-compiled
    // integration list left them open.
    ParamSpec::new("signName", Text, REQUIRED, "An approved SMS signature."),
    ParamSpec::new("templateCode", Text, REQUIRED, "Code of an approved SMS template."),
    ParamSpec::new("templateParam", Any, UNKNOWN, "Values of the template's variables, as a map."),
];

/// The optimized integrations whose parameters are documented, in the order of the
/// integration overview.
pub const OPTIMIZED_INTEGRATIONS: &[OptimizedIntegration] = &[
    OptimizedIntegration {
        action: "FC:InvokeFunction",
        kind: IntegrationKind::FunctionCompute,
        service: "Function Compute",
        modes: ALL_MODES,
        params: FC_PARAMS,
        note: Some("The result's shape besides `Body` (the function's return value) is not documented."),
        doc: &[
            "https://www.alibabacloud.com/help/en/serverless-workflow/latest/integrated-function-compute",
            "https://help.aliyun.com/en/document_detail/2400200.html",
        ],
    },
    OptimizedIntegration {
        action: "FNF:StartExecution",
        kind: IntegrationKind::ChildWorkflow,
        service: "CloudFlow child workflow",
        modes: ALL_MODES,
        params: FNF_PARAMS,
        note: Some("Whether an Express workflow can be started as the child is not documented."),
        doc: &["https://www.alibabacloud.com/help/en/serverless-workflow/latest/integrating-cloud-workflows"],
    },
    OptimizedIntegration {
        action: "SMS:SendSms",
        kind: IntegrationKind::Sms,
        service: "Short Message Service",
        modes: REQUEST_AND_CUSTOM_CALLBACK,
        params: SMS_PARAMS,
        note: None,
        doc: &["https://help.aliyun.com/en/document_detail/2619166.html"],
    },
    OptimizedIntegration {
        action: "MNS:SendMessage",
        kind: IntegrationKind::MessageQueue,
        service: "Simple Message Queue (formerly MNS)",
        modes: REQUEST_AND_CUSTOM_CALLBACK,
        params: MNS_PARAMS,
        note: Some("Whether `message` is required is not stated explicitly."),
        doc: &["https://help.aliyun.com/en/document_detail/2593184.html"],
    },
    OptimizedIntegration {
        action: "EventBridge:PutEvents",
        kind: IntegrationKind::EventBridge,
        service: "EventBridge",
        modes: REQUEST_AND_CUSTOM_CALLBACK,
        params: EVENTBRIDGE_PARAMS,
        note: Some("Which parameters are required is not documented."),
        doc: &["https://help.aliyun.com/en/document_detail/2400202.html"],
    },
    OptimizedIntegration {
        action: "OSS:GetObject",
        kind: IntegrationKind::Oss,
        service: "Object Storage Service",
        modes: REQUEST_ONLY,
        params: OSS_GET_OBJECT_PARAMS,
        note: Some(
            "Other OSS operations (writing, copying, deleting objects, bucket management) exist with \
             RequestComplete only, but their parameters are not documented here.",
        ),
        doc: &["https://help.aliyun.com/en/document_detail/2573663.html"],
    },
    OptimizedIntegration {
        action: "HTTP:Request",
        kind: IntegrationKind::Http,
        service: "HTTP",
        modes: REQUEST_AND_CUSTOM_CALLBACK,
        params: HTTP_PARAMS,
        note: Some(
            "Required flags are not documented. With WaitForCustomCallback the task token is also sent \
             in the request header `X-FnF-Http-Callback-Task-Token`.",
        ),
        doc: &[
            "https://help.aliyun.com/document_detail/2593203.html",
            "https://alibabacloud.com/help/en/serverless-workflow/latest/task-task",
        ],
    },
];

/// The optimized integration named by `action`, ignoring ASCII case in both parts.
pub fn optimized_integration(action: &str) -> Option<&'static OptimizedIntegration> {
    let (service, api) = split_action(action)?;
    OPTIMIZED_INTEGRATIONS.iter().find(|integration| {
        let (s, a) = integration.action.split_once(':').expect("table entries are Service:Api");
        s.eq_ignore_ascii_case(service) && a.eq_ignore_ascii_case(api)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_integration_is_found_by_its_action() {
        for integration in OPTIMIZED_INTEGRATIONS {
            assert_eq!(optimized_integration(integration.action), Some(integration));
            assert!(integration.modes.contains(&TaskMode::RequestComplete));
            assert!(!integration.params.is_empty());
        }
        assert_eq!(
            optimized_integration("eventbridge:putevents").map(|i| i.action),
            Some("EventBridge:PutEvents")
        );
        assert!(optimized_integration("OSS:PutObject").is_none());
    }

    #[test]
    fn documented_enums_and_ranges() {
        let fc = optimized_integration("FC:InvokeFunction").unwrap();
        let inv = fc.param("invocationType").unwrap();
        assert_eq!(inv.values, ["Sync", "Async"]);
        assert!(inv.accepts_value("Async") && !inv.accepts_value("async"));
        assert_eq!(fc.param("resourceArn").unwrap().required, Some(true));

        let mns = optimized_integration("MNS:SendMessage").unwrap();
        let priority = mns.param("priority").unwrap();
        assert_eq!((priority.min, priority.max, priority.default), (Some(1), Some(16), Some("8")));
        let delay = mns.param("delaySeconds").unwrap();
        assert_eq!((delay.min, delay.max), (Some(0), Some(604_800)));
        assert_eq!(mns.param("message").unwrap().required, None);

        let http = optimized_integration("HTTP:Request").unwrap();
        assert!(http.param("method").unwrap().accepts_value("Get"));
        assert!(!http.param("method").unwrap().accepts_value("FETCH"));
    }

    #[test]
    fn parameter_names_are_unique_lower_camel_case() {
        for integration in OPTIMIZED_INTEGRATIONS {
            for (i, p) in integration.params.iter().enumerate() {
                assert!(p.name.starts_with(|c: char| c.is_ascii_lowercase()), "{}", p.name);
                assert!(
                    integration.params[..i].iter().all(|q| q.name != p.name),
                    "{} repeats {}",
                    integration.action,
                    p.name
                );
            }
        }
    }
}
