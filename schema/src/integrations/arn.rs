//! Classifying the ARNs a task may target, and the legacy patterns each target
//! supports.
//!
//! Region and account may be empty (`acs:fc:::…` means "this flow's region and
//! account"), and documentation placeholders such as `{region}`, `<topic>` or
//! `${ALIUID}` are accepted wherever a name goes: they are common in real
//! definitions that get templated before deployment.

use std::fmt;

use super::{InvocationType, Pattern};

/// What a `resourceArn` points at.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum ArnTarget {
    /// A Function Compute 2.0 function:
    /// `acs:fc:{region}:{account}:services/{service}[.{qualifier}]/functions/{function}`.
    FcServiceFunction {
        region: String,
        account: String,
        service: String,
        /// Version or alias after the service name, e.g. `LATEST`.
        qualifier: Option<String>,
        function: String,
    },
    /// A Function Compute 3.0 function, as used by CloudFlow's `FC:InvokeFunction`:
    /// `acs:fc:{region}:{account}:functions/{function}[/{qualifier}]`.
    FcFunction {
        region: String,
        account: String,
        function: String,
        /// Version or alias after the function name, e.g. `LATEST`.
        qualifier: Option<String>,
    },
    /// A workflow started as a child flow: `acs:fnf:{region}:{account}:flow/{name}`.
    Flow { region: String, account: String, name: String },
    /// An MNS queue: `acs:mns:{region}:{account}:/queues/{queue}/messages`.
    MnsQueue { region: String, account: String, queue: String },
    /// An MNS topic: `acs:mns:{region}:{account}:/topics/{topic}/messages`.
    MnsTopic { region: String, account: String, topic: String },
}

impl ArnTarget {
    /// The region part (empty means the flow's own region).
    pub fn region(&self) -> &str {
        match self {
            ArnTarget::FcServiceFunction { region, .. }
            | ArnTarget::FcFunction { region, .. }
            | ArnTarget::Flow { region, .. }
            | ArnTarget::MnsQueue { region, .. }
            | ArnTarget::MnsTopic { region, .. } => region,
        }
    }

    /// The account part (empty means the flow's own account).
    pub fn account(&self) -> &str {
        match self {
            ArnTarget::FcServiceFunction { account, .. }
            | ArnTarget::FcFunction { account, .. }
            | ArnTarget::Flow { account, .. }
            | ArnTarget::MnsQueue { account, .. }
            | ArnTarget::MnsTopic { account, .. } => account,
        }
    }

    /// Whether this is a Function Compute function (either form).
    pub fn is_function(&self) -> bool {
        matches!(self, ArnTarget::FcServiceFunction { .. } | ArnTarget::FcFunction { .. })
    }

    /// A short description for messages, e.g. "Function Compute function `svc/fn`".
    pub fn describe(&self) -> String {
        match self {
            ArnTarget::FcServiceFunction { service, function, .. } => {
                format!("Function Compute function `{service}/{function}`")
            }
            ArnTarget::FcFunction { function, .. } => format!("Function Compute function `{function}`"),
            ArnTarget::Flow { name, .. } => format!("child workflow `{name}`"),
            ArnTarget::MnsQueue { queue, .. } => format!("MNS queue `{queue}`"),
            ArnTarget::MnsTopic { topic, .. } => format!("MNS topic `{topic}`"),
        }
    }
}

/// Why a string is not a usable task ARN. `Display` gives a full sentence.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ArnError {
    /// The value is empty.
    Empty,
    /// The value does not start with `acs:`.
    NotAnArn { value: String },
    /// Fewer than five colon-separated parts.
    TooFewParts { value: String },
    /// The service part names a service that cannot be a task target.
    UnsupportedService { service: String },
    /// The service is right but the resource part has the wrong shape.
    BadResource { service: &'static str, resource: String, expected: &'static str },
    /// A name inside the resource path is empty or contains whitespace.
    BadName { what: &'static str, resource: String },
}

impl fmt::Display for ArnError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ArnError::Empty => f.write_str(
                "The resource ARN is empty; give the ARN of a function, a child workflow or an MNS queue or topic.",
            ),
            ArnError::NotAnArn { value } => write!(
                f,
                "`{value}` is not an Alibaba Cloud resource name: an ARN starts with `acs:` and reads \
                 `acs:{{service}}:{{region}}:{{account}}:{{resource}}`."
            ),
            ArnError::TooFewParts { value } => write!(
                f,
                "`{value}` has too few parts: an ARN reads `acs:{{service}}:{{region}}:{{account}}:{{resource}}` \
                 (region and account may be empty, as in `acs:fc:::services/my-service/functions/my-function`)."
            ),
            ArnError::UnsupportedService { service } => write!(
                f,
                "`acs:{service}:` resources cannot be called by a task; supported targets are Function Compute \
                 functions (`acs:fc:`), workflows (`acs:fnf:`) and MNS queues or topics (`acs:mns:`)."
            ),
            ArnError::BadResource { service, resource, expected } => write!(
                f,
                "The {service} resource `{resource}` has the wrong shape: expected {expected}."
            ),
            ArnError::BadName { what, resource } => {
                write!(f, "The {what} in `{resource}` is empty or contains spaces.")
            }
        }
    }
}

impl std::error::Error for ArnError {}

const FC_EXPECTED: &str = "`services/{service}[.{qualifier}]/functions/{function}` \
                           (or, for Function Compute 3.0, `functions/{function}[/{qualifier}]`)";
const FNF_EXPECTED: &str = "`flow/{name}`";
const MNS_EXPECTED: &str = "`/queues/{queue}/messages` or `/topics/{topic}/messages`";

/// Classifies a task's target ARN: a Function Compute function (2.0 `services/…`
/// form or 3.0 `functions/…` form), a workflow, or an MNS queue or topic.
pub fn classify_resource_arn(arn: &str) -> Result<ArnTarget, ArnError> {
    let arn = arn.trim();
    if arn.is_empty() {
        return Err(ArnError::Empty);
    }
    let Some(rest) = strip_prefix_ignore_case(arn, "acs:") else {
        return Err(ArnError::NotAnArn { value: arn.to_owned() });
    };
    let parts: Vec<&str> = rest.splitn(4, ':').collect();
    let &[service, region, account, resource] = parts.as_slice() else {
        return Err(ArnError::TooFewParts { value: arn.to_owned() });
    };
    let (region, account) = (region.to_owned(), account.to_owned());
    match service.to_ascii_lowercase().as_str() {
        "fc" => classify_function(region, account, resource),
        "fnf" => {
            let segments: Vec<&str> = resource.split('/').collect();
            match segments.as_slice() {
                ["flow", name] => Ok(ArnTarget::Flow {
                    region,
                    account,
                    name: checked_name(name, "workflow name", resource)?,
                }),
                _ => Err(bad_resource("workflow", resource, FNF_EXPECTED)),
            }
        }
        "mns" => {
            let segments: Vec<&str> = resource.split('/').collect();
            match segments.as_slice() {
                ["", "queues", queue, "messages"] => Ok(ArnTarget::MnsQueue {
                    region,
                    account,
                    queue: checked_name(queue, "queue name", resource)?,
                }),
                ["", "topics", topic, "messages"] => Ok(ArnTarget::MnsTopic {
                    region,
                    account,
                    topic: checked_name(topic, "topic name", resource)?,
                }),
                _ => Err(bad_resource("MNS", resource, MNS_EXPECTED)),
            }
        }
        _ => Err(ArnError::UnsupportedService { service: service.to_owned() }),
    }
}

fn classify_function(region: String, account: String, resource: &str) -> Result<ArnTarget, ArnError> {
    let segments: Vec<&str> = resource.split('/').collect();
    match segments.as_slice() {
        ["services", service_and_qualifier, "functions", function] => {
            // Service names cannot contain dots, so the first dot starts the qualifier.
            let (service, qualifier) = match service_and_qualifier.split_once('.') {
                Some((service, qualifier)) => {
                    (service, Some(checked_name(qualifier, "service qualifier", resource)?))
                }
                None => (*service_and_qualifier, None),
            };
            Ok(ArnTarget::FcServiceFunction {
                region,
                account,
                service: checked_name(service, "service name", resource)?,
                qualifier,
                function: checked_name(function, "function name", resource)?,
            })
        }
        ["functions", function] => Ok(ArnTarget::FcFunction {
            region,
            account,
            function: checked_name(function, "function name", resource)?,
            qualifier: None,
        }),
        ["functions", function, qualifier] => Ok(ArnTarget::FcFunction {
            region,
            account,
            function: checked_name(function, "function name", resource)?,
            qualifier: Some(checked_name(qualifier, "function qualifier", resource)?),
        }),
        _ => Err(bad_resource("Function Compute", resource, FC_EXPECTED)),
    }
}

fn strip_prefix_ignore_case<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    let head = text.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix).then(|| &text[prefix.len()..])
}

fn checked_name(name: &str, what: &'static str, resource: &str) -> Result<String, ArnError> {
    if name.is_empty() || name.chars().any(char::is_whitespace) {
        Err(ArnError::BadName { what, resource: resource.to_owned() })
    } else {
        Ok(name.to_owned())
    }
}

fn bad_resource(service: &'static str, resource: &str, expected: &'static str) -> ArnError {
    ArnError::BadResource { service, resource: resource.to_owned(), expected }
}

/// The legacy `pattern`s a `resourceArn` target supports. `invocation` is the task's
/// `serviceParams.InvocationType` (`None` means the default synchronous invocation);
/// it only matters for functions.
pub fn supported_patterns(target: &ArnTarget, invocation: Option<InvocationType>) -> Vec<Pattern> {
    match target {
        ArnTarget::FcServiceFunction { .. } | ArnTarget::FcFunction { .. } => match invocation {
            Some(InvocationType::Async) => {
                vec![Pattern::RequestResponse, Pattern::Sync, Pattern::WaitForCallback]
            }
            None | Some(InvocationType::Sync) => vec![Pattern::RequestResponse, Pattern::WaitForCallback],
        },
        ArnTarget::MnsQueue { .. } | ArnTarget::MnsTopic { .. } => {
            vec![Pattern::RequestResponse, Pattern::WaitForCallback]
        }
        ArnTarget::Flow { .. } => Pattern::ALL.to_vec(),
    }
}

/// The legacy `pattern`s a task calling a cloud API through `action:` supports:
/// only `requestResponse` is documented.
pub fn supported_patterns_for_action(_action: &str) -> Vec<Pattern> {
    vec![Pattern::RequestResponse]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(text: &str) -> String {
        text.to_owned()
    }

    #[test]
    fn documented_forms_are_recognised() {
        let cases = [
            (
                "acs:fc:{region}:{account}:services/fnf_test/functions/toUpperCase",
                ArnTarget::FcServiceFunction {
                    region: s("{region}"),
                    account: s("{account}"),
                    service: s("fnf_test"),
                    qualifier: None,
                    function: s("toUpperCase"),
                },
            ),
            (
                "acs:fc:{region}:{account}:services/{serviceName}.{qualifier}/functions/{functionName}",
                ArnTarget::FcServiceFunction {
                    region: s("{region}"),
                    account: s("{account}"),
                    service: s("{serviceName}"),
                    qualifier: Some(s("{qualifier}")),
                    function: s("{functionName}"),
                },
            ),
            (
                "acs:fc:::services/myService1.LATEST/functions/myFunction1",
                ArnTarget::FcServiceFunction {
                    region: s(""),
                    account: s(""),
                    service: s("myService1"),
                    qualifier: Some(s("LATEST")),
                    function: s("myFunction1"),
                },
            ),
            (
                "acs:fc:{regionId}:{accountId}:functions/dataji/LATEST",
                ArnTarget::FcFunction {
                    region: s("{regionId}"),
                    account: s("{accountId}"),
                    function: s("dataji"),
                    qualifier: Some(s("LATEST")),
                },
            ),
            (
                "acs:fc:cn-shanghai:${ALIUID}:functions/${VIDEO_CUT_FUNCTION_NAME}/LATEST",
                ArnTarget::FcFunction {
                    region: s("cn-shanghai"),
                    account: s("${ALIUID}"),
                    function: s("${VIDEO_CUT_FUNCTION_NAME}"),
                    qualifier: Some(s("LATEST")),
                },
            ),
            (
                "acs:fc:cn-hangzhou:123:functions/my-fn",
                ArnTarget::FcFunction {
                    region: s("cn-hangzhou"),
                    account: s("123"),
                    function: s("my-fn"),
                    qualifier: None,
                },
            ),
            ("acs:fnf:::flow/flowABC", ArnTarget::Flow { region: s(""), account: s(""), name: s("flowABC") }),
            (
                "acs:fnf:cn-hangzhou::flow/test-workflow",
                ArnTarget::Flow { region: s("cn-hangzhou"), account: s(""), name: s("test-workflow") },
            ),
            (
                "acs:mns:::/topics/<topic>/messages",
                ArnTarget::MnsTopic { region: s(""), account: s(""), topic: s("<topic>") },
            ),
            (
                "acs:mns:cn-hangzhou:1231231****:/queues/fnf-mns-queues/messages",
                ArnTarget::MnsQueue {
                    region: s("cn-hangzhou"),
                    account: s("1231231****"),
                    queue: s("fnf-mns-queues"),
                },
            ),
        ];
        for (arn, expected) in cases {
            assert_eq!(classify_resource_arn(arn), Ok(expected), "{arn}");
        }
    }

    #[test]
    fn malformed_arns_get_helpful_messages() {
        let cases = [
            ("", "The resource ARN is empty"),
            ("OssCopy/listObjects", "is not an Alibaba Cloud resource name: an ARN starts with `acs:`"),
            ("acs:fc:services/a/functions/b", "has too few parts"),
            ("acs:oss:::bucket/key", "`acs:oss:` resources cannot be called by a task"),
            (
                "acs:fc:{region}:{accountID}:xxx",
                "The Function Compute resource `xxx` has the wrong shape: expected `services/{service}[.{qualifier}]/functions/{function}`",
            ),
            (
                "acs:fc:::services/svc/function/fn",
                "The Function Compute resource `services/svc/function/fn` has the wrong shape",
            ),
            ("acs:fc:::services/svc/functions/", "The function name in `services/svc/functions/` is empty"),
            ("acs:fc:::services/svc./functions/fn", "The service qualifier in"),
            (
                "acs:fnf:::flows/x",
                "The workflow resource `flows/x` has the wrong shape: expected `flow/{name}`",
            ),
            (
                "acs:mns:::queues/q/messages",
                "expected `/queues/{queue}/messages` or `/topics/{topic}/messages`",
            ),
            ("acs:mns:::/queues/q", "The MNS resource `/queues/q` has the wrong shape"),
            (
                "acs:mns:::/queues/my queue/messages",
                "The queue name in `/queues/my queue/messages` is empty or contains spaces",
            ),
        ];
        for (arn, expected) in cases {
            let message = classify_resource_arn(arn).unwrap_err().to_string();
            assert!(message.contains(expected), "{arn}: {message}");
            assert!(message.ends_with('.'), "{arn}: {message}");
        }
    }

    #[test]
    fn pattern_matrix() {
        use Pattern::*;
        let fc2 = classify_resource_arn("acs:fc:::services/s/functions/f").unwrap();
        let fc3 = classify_resource_arn("acs:fc:::functions/f").unwrap();
        let flow = classify_resource_arn("acs:fnf:::flow/child").unwrap();
        let queue = classify_resource_arn("acs:mns:::/queues/q/messages").unwrap();
        let topic = classify_resource_arn("acs:mns:::/topics/t/messages").unwrap();
        for function in [&fc2, &fc3] {
            assert!(function.is_function());
            assert_eq!(supported_patterns(function, None), [RequestResponse, WaitForCallback]);
            assert_eq!(
                supported_patterns(function, Some(InvocationType::Sync)),
                [RequestResponse, WaitForCallback]
            );
            assert_eq!(
                supported_patterns(function, Some(InvocationType::Async)),
                [RequestResponse, Sync, WaitForCallback]
            );
        }
        for mns in [&queue, &topic] {
            assert_eq!(supported_patterns(mns, None), [RequestResponse, WaitForCallback]);
            assert_eq!(
                supported_patterns(mns, Some(InvocationType::Async)),
                [RequestResponse, WaitForCallback]
            );
        }
        assert_eq!(supported_patterns(&flow, None), [RequestResponse, Sync, WaitForCallback]);
        assert_eq!(supported_patterns_for_action("ocr:RecognizeIdentityCard"), [RequestResponse]);
        assert_eq!(flow.describe(), "child workflow `child`");
        assert_eq!(topic.region(), "");
    }
}
