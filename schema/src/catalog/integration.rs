//! What CloudFlow and the legacy dialect know beyond the OpenAPI catalog: the services the
//! docs spell their own way, Actions documented outside the integration pages, the
//! `serviceParams` of legacy `resourceArn` targets, and the ARN forms editors complete.

use crate::integrations::{
    ArnTarget, IntegrationKind, OPTIMIZED_INTEGRATIONS, ParamSpec, ParamType, optimized_integration,
};

/// A service the CloudFlow docs name in an `Action`: the optimized integrations' services
/// and DashScope. `catalog_code` is the OpenAPI product it shares a name with, if any.
pub(crate) struct Family {
    /// The docs' spelling, e.g. `FNF` for the product code `fnf`.
    pub(crate) spelling: &'static str,
    pub(crate) name: &'static str,
    pub(crate) name_zh: &'static str,
    pub(crate) catalog_code: Option<&'static str>,
}

pub(crate) const FAMILIES: &[Family] = &[
    Family { spelling: "FC", name: "Function Compute", name_zh: "函数计算", catalog_code: Some("FC") },
    Family { spelling: "FNF", name: "CloudFlow", name_zh: "云工作流", catalog_code: Some("fnf") },
    Family {
        spelling: "MNS",
        name: "Simple Message Queue (formerly MNS)",
        name_zh: "轻量消息队列（原 MNS）",
        catalog_code: None,
    },
    Family { spelling: "SMS", name: "Short Message Service", name_zh: "短信服务", catalog_code: None },
    Family {
        spelling: "EventBridge",
        name: "EventBridge",
        name_zh: "事件总线",
        catalog_code: Some("eventbridge"),
    },
    Family {
        spelling: "OSS",
        name: "Object Storage Service",
        name_zh: "对象存储",
        catalog_code: Some("Oss"),
    },
    Family { spelling: "HTTP", name: "HTTP and HTTPS endpoints", name_zh: "HTTP 请求", catalog_code: None },
    Family {
        spelling: "DashScope",
        name: "Model Studio (DashScope)",
        name_zh: "大模型服务平台百炼",
        catalog_code: None,
    },
];

pub(crate) fn family(service: &str) -> Option<&'static Family> {
    FAMILIES.iter().find(|f| f.spelling.eq_ignore_ascii_case(service))
}

/// An Action documented outside the integration pages.
pub(crate) struct DocumentedAction {
    pub(crate) action: &'static str,
    pub(crate) service: &'static str,
    pub(crate) params: &'static [ParamSpec],
    pub(crate) note: &'static str,
    pub(crate) doc: &'static [&'static str],
}

/// Only the parameter names are known (from a best-practice flow), so every type is `Any`
/// and no parameter is marked required.
const DASHSCOPE_PARAMS: &[ParamSpec] = &[
    ParamSpec::new("model", ParamType::Any, None, "Name of the model, e.g. a Qwen model."),
    ParamSpec::new("api_key", ParamType::Any, None, "The DashScope API key."),
    ParamSpec::new(
        "messages",
        ParamType::Any,
        None,
        "The conversation: a list of role and content messages.",
    ),
    ParamSpec::new("enable_search", ParamType::Any, None, "Whether the model may search the web."),
    ParamSpec::new("max_tokens", ParamType::Any, None, "Upper bound on the tokens generated."),
    ParamSpec::new("temperature", ParamType::Any, None, "Sampling temperature."),
    ParamSpec::new("top_p", ParamType::Any, None, "Nucleus sampling threshold."),
];

pub(crate) const DOCUMENTED_ACTIONS: &[DocumentedAction] = &[DocumentedAction {
    action: "DashScope:QwenTextGeneration",
    service: "Model Studio (DashScope)",
    params: DASHSCOPE_PARAMS,
    note: "Seen in Alibaba's best-practice flows, not on an integration page: the parameter names come \
           from those flows, their types and required flags are not documented.",
    doc: &[
        "https://help.aliyun.com/zh/model-studio/user-guide/best-practices-for-applying-video-understanding-and-one-click-film",
    ],
}];

pub(crate) fn documented_action(service: &str, api: &str) -> Option<&'static DocumentedAction> {
    DOCUMENTED_ACTIONS
        .iter()
        .find(|d| d.action.split_once(':').is_some_and(|(s, a)| s.eq_ignore_ascii_case(service) && a == api))
}

/// The documented Actions (optimized integrations and the others) of a family, as
/// `(api, summary)`.
pub(crate) fn family_actions(spelling: &str) -> Vec<(&'static str, &'static str)> {
    let optimized = OPTIMIZED_INTEGRATIONS.iter().map(|i| (i.action, i.service));
    let documented = DOCUMENTED_ACTIONS.iter().map(|d| (d.action, d.service));
    optimized
        .chain(documented)
        .filter_map(|(action, service)| {
            let (s, a) = action.split_once(':')?;
            s.eq_ignore_ascii_case(spelling).then_some((a, service))
        })
        .collect()
}

/// Whether `Service:Api` is an optimized integration spelled exactly as documented in its
/// API part (the service part is case-insensitive).
pub(crate) fn optimized_exact(
    service: &str,
    api: &str,
) -> Option<&'static crate::integrations::OptimizedIntegration> {
    let found = optimized_integration(&format!("{service}:{api}"))?;
    let (_, documented_api) = found.action.split_once(':')?;
    (documented_api == api).then_some(found)
}

/// Whether CloudFlow's integration for this service takes its own parameters, which the
/// OpenAPI catalog does not describe (OSS operations besides the documented GetObject).
pub(crate) fn own_parameters(service: &str) -> bool {
    service.eq_ignore_ascii_case("OSS")
}

// Legacy `serviceParams` of `resourceArn` targets (legacy reference, section 6).

const LEGACY_FC_PARAMS: &[ParamSpec] = &[
    ParamSpec::new(
        "InvocationType",
        ParamType::String,
        Some(false),
        "`Sync` (default) waits for the function's result; `Async` queues the event. With `Async`, \
         `pattern: sync` waits until the asynchronous invocation ends.",
    )
    .values(&["Sync", "Async"], false),
    ParamSpec::new(
        "StatefulAsyncInvocationID",
        ParamType::String,
        Some(false),
        "ID of a stateful asynchronous invocation, unique within the function.",
    ),
];

const LEGACY_FLOW_PARAMS: &[ParamSpec] = &[
    ParamSpec::new(
        "Input",
        ParamType::Any,
        Some(false),
        "Input of the child execution, e.g. `$` for the step's mapped input (the default).",
    ),
    ParamSpec::new(
        "ExecutionName",
        ParamType::String,
        Some(false),
        "Name of the child execution; random when omitted.",
    ),
];

const LEGACY_QUEUE_PARAMS: &[ParamSpec] = &[
    ParamSpec::new(
        "MessageBody",
        ParamType::Any,
        Some(true),
        "The message; `$` sends the step's mapped input serialized as JSON.",
    ),
    ParamSpec::new(
        "Priority",
        ParamType::Integer,
        None,
        "Message priority from 1 (highest) to 16 (lowest). The legacy docs list it as required; MNS \
         itself defaults to 8.",
    )
    .range(1, 16),
    ParamSpec::new(
        "DelaySeconds",
        ParamType::Integer,
        Some(false),
        "Seconds before the message becomes visible, 0 to 604800.",
    )
    .range(0, 604_800),
];

const LEGACY_TOPIC_PARAMS: &[ParamSpec] = &[
    ParamSpec::new(
        "MessageBody",
        ParamType::Any,
        Some(true),
        "The message; `$` sends the step's mapped input serialized as JSON.",
    ),
    ParamSpec::new("MessageTag", ParamType::String, Some(false), "Tag used to filter topic messages."),
    ParamSpec::new(
        "MessageAttributes",
        ParamType::Any,
        Some(false),
        "Push attributes (JSON), e.g. for mail or SMS subscriptions.",
    ),
];

/// The `serviceParams` a legacy task may give for its `resourceArn` target, with a name
/// for messages.
pub(crate) fn legacy_target(target: &ArnTarget) -> (&'static str, &'static [ParamSpec]) {
    match target {
        ArnTarget::FcServiceFunction { .. } | ArnTarget::FcFunction { .. } => {
            ("Function Compute function", LEGACY_FC_PARAMS)
        }
        ArnTarget::Flow { .. } => ("child workflow", LEGACY_FLOW_PARAMS),
        ArnTarget::MnsQueue { .. } => ("MNS queue", LEGACY_QUEUE_PARAMS),
        ArnTarget::MnsTopic { .. } => ("MNS topic", LEGACY_TOPIC_PARAMS),
    }
}

pub(crate) const LEGACY_DOC: &str = "https://help.aliyun.com/en/document_detail/149828.html";

/// A documented shape of `resourceArn`, for completion.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ArnForm {
    /// What the ARN names, e.g. "Function Compute 3.0 function".
    pub label: &'static str,
    /// The form with `{placeholders}`, as the docs write it.
    pub template: &'static str,
    /// A filled-in example that [`crate::integrations::classify_resource_arn`] accepts.
    pub example: &'static str,
}

impl ArnForm {
    /// The template as an editor snippet: `{region}` becomes `${1:region}`, and so on.
    pub fn snippet(&self) -> String {
        let mut out = String::new();
        let mut n = 0;
        let mut rest = self.template;
        while let Some(open) = rest.find('{') {
            let Some(close) = rest[open..].find('}').map(|c| open + c) else { break };
            n += 1;
            out.push_str(&rest[..open]);
            out.push_str(&format!("${{{n}:{}}}", &rest[open + 1..close]));
            rest = &rest[close + 1..];
        }
        out.push_str(rest);
        out
    }
}

const FC3: ArnForm = ArnForm {
    label: "Function Compute 3.0 function",
    template: "acs:fc:{region}:{account}:functions/{function}/{qualifier}",
    example: "acs:fc:cn-hangzhou:123456:functions/my-function/LATEST",
};
const FC2: ArnForm = ArnForm {
    label: "Function Compute 2.0 function",
    template: "acs:fc:{region}:{account}:services/{service}.{qualifier}/functions/{function}",
    example: "acs:fc:cn-hangzhou:123456:services/my-service.LATEST/functions/my-function",
};
const FC2_PLAIN: ArnForm = ArnForm {
    label: "Function Compute function (this flow's region and account)",
    template: "acs:fc:::services/{service}/functions/{function}",
    example: "acs:fc:::services/my-service/functions/my-function",
};
const FLOW: ArnForm = ArnForm {
    label: "workflow",
    template: "acs:fnf:{region}:{account}:flow/{flow}",
    example: "acs:fnf:cn-hangzhou:123456:flow/my-flow",
};
const FLOW_PLAIN: ArnForm = ArnForm {
    label: "workflow (this flow's region and account)",
    template: "acs:fnf:::flow/{flow}",
    example: "acs:fnf:::flow/my-flow",
};
const QUEUE: ArnForm = ArnForm {
    label: "MNS queue",
    template: "acs:mns:{region}:{account}:/queues/{queue}/messages",
    example: "acs:mns:cn-hangzhou:123456:/queues/my-queue/messages",
};
const TOPIC: ArnForm = ArnForm {
    label: "MNS topic",
    template: "acs:mns:{region}:{account}:/topics/{topic}/messages",
    example: "acs:mns:cn-hangzhou:123456:/topics/my-topic/messages",
};
const QUEUE_PLAIN: ArnForm = ArnForm {
    label: "MNS queue (this flow's region and account)",
    template: "acs:mns:::/queues/{queue}/messages",
    example: "acs:mns:::/queues/my-queue/messages",
};
const TOPIC_PLAIN: ArnForm = ArnForm {
    label: "MNS topic (this flow's region and account)",
    template: "acs:mns:::/topics/{topic}/messages",
    example: "acs:mns:::/topics/my-topic/messages",
};

/// The `resourceArn` forms that fit a CloudFlow optimized integration (`Parameters.resourceArn`).
pub fn cloudflow_arn_forms(kind: IntegrationKind) -> &'static [ArnForm] {
    match kind {
        IntegrationKind::FunctionCompute => &[FC3, FC2],
        IntegrationKind::ChildWorkflow => &[FLOW],
        IntegrationKind::MessageQueue => &[QUEUE, TOPIC],
        _ => &[],
    }
}

/// Every `resourceArn` form of a legacy task step.
pub const LEGACY_ARN_FORMS: &[ArnForm] =
    &[FC2, FC2_PLAIN, FC3, FLOW_PLAIN, FLOW, QUEUE_PLAIN, QUEUE, TOPIC_PLAIN, TOPIC];
