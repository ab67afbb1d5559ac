//! Resource ARNs as the service will see them after deployment: a placeholder stands for
//! text inside one segment (`acs:fc:${ALIYUN::Region}:…:services/${ServiceName}.LATEST/…`),
//! so the shape around it is still checked; a placeholder that starts the value, or that
//! is the whole resource part, may stand for several segments and is not judged.

use fdl_schema::integrations::{ArnError, ArnTarget, classify_resource_arn};

use crate::templates::Syntaxes;
use crate::templates::placeholder::{self, Masked};

/// What an ARN value is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ArnReading {
    /// A target of a known kind; names hold their placeholders as written.
    Target(ArnTarget),
    /// Only known at deployment.
    DeployTime,
    /// Malformed: the message says why (placeholders as written).
    Invalid(String),
}

pub fn read_arn(arn: &str, syntaxes: &Syntaxes) -> ArnReading {
    let placeholders = placeholder::find(arn, syntaxes);
    if placeholders.is_empty() {
        return match classify_resource_arn(arn) {
            Ok(t) => ArnReading::Target(t),
            Err(e) => ArnReading::Invalid(e.to_string()),
        };
    }
    let masked = Masked::new(arn, &placeholders);
    let starts_masked = masked.text.trim_start().starts_with(Masked::is_masked);
    match classify_resource_arn(&masked.text) {
        Ok(t) => ArnReading::Target(unmask(t, &masked)),
        Err(ArnError::NotAnArn { .. } | ArnError::TooFewParts { .. }) if starts_masked => {
            ArnReading::DeployTime
        }
        Err(ArnError::BadResource { resource, .. }) if resource.chars().all(Masked::is_masked) => {
            ArnReading::DeployTime
        }
        Err(e) => ArnReading::Invalid(masked.unmask(&e.to_string())),
    }
}

/// The target of an ARN, placeholders of every tool allowed (for editor features).
pub fn target(arn: &str) -> Option<ArnTarget> {
    match read_arn(arn, &Syntaxes::ALL) {
        ArnReading::Target(t) => Some(t),
        _ => None,
    }
}

fn unmask(target: ArnTarget, m: &Masked) -> ArnTarget {
    let u = |s: String| m.unmask(&s);
    match target {
        ArnTarget::FcServiceFunction { region, account, service, qualifier, function } => {
            ArnTarget::FcServiceFunction {
                region: u(region),
                account: u(account),
                service: u(service),
                qualifier: qualifier.map(u),
                function: u(function),
            }
        }
        ArnTarget::FcFunction { region, account, function, qualifier } => ArnTarget::FcFunction {
            region: u(region),
            account: u(account),
            function: u(function),
            qualifier: qualifier.map(u),
        },
        ArnTarget::Flow { region, account, name } => {
            ArnTarget::Flow { region: u(region), account: u(account), name: u(name) }
        }
        ArnTarget::MnsQueue { region, account, queue } => {
            ArnTarget::MnsQueue { region: u(region), account: u(account), queue: u(queue) }
        }
        ArnTarget::MnsTopic { region, account, topic } => {
            ArnTarget::MnsTopic { region: u(region), account: u(account), topic: u(topic) }
        }
    }
}

#[cfg(test)]
mod tests {
    use expect_test::expect;

    use super::*;

    #[test]
    fn placeholders_stand_for_text_within_a_segment() {
        let cases = [
            "acs:fc:${ALIYUN::Region}:${ALIYUN::TenantId}:services/${ServiceName}.LATEST/functions/${FunctionName}",
            "acs:fc:${var.region}:${var.account}:functions/${resources.fn.props.functionName}/LATEST",
            "acs:fnf:::flow/${vars.flowName}-child",
            "acs:mns:{{ region }}:{{ uid }}:/queues/{{ queue }}/messages",
            "${resources.queue.output.arn}",
            "${ARN_PREFIX}/functions/x",
            "acs:fc:::${vars.functionPath}",
            "acs:fc:${var.region}:${var.account}:service/${var.svc}/functions/f",
            "acs:fnf:::flows/${vars.name}",
            "acs:oss:::${vars.bucket}",
            "acs:mns:::/queues/${vars.q} x/messages",
        ];
        let out: Vec<String> = cases
            .iter()
            .map(|arn| match read_arn(arn, &Syntaxes::ALL) {
                ArnReading::Target(t) => format!("{arn}\n  {}", t.describe()),
                ArnReading::DeployTime => format!("{arn}\n  deploy-time"),
                ArnReading::Invalid(why) => format!("{arn}\n  invalid: {why}"),
            })
            .collect();
        expect![[r#"
            acs:fc:${ALIYUN::Region}:${ALIYUN::TenantId}:services/${ServiceName}.LATEST/functions/${FunctionName}
              Function Compute function `${ServiceName}/${FunctionName}`
            acs:fc:${var.region}:${var.account}:functions/${resources.fn.props.functionName}/LATEST
              Function Compute function `${resources.fn.props.functionName}`
            acs:fnf:::flow/${vars.flowName}-child
              child workflow `${vars.flowName}-child`
            acs:mns:{{ region }}:{{ uid }}:/queues/{{ queue }}/messages
              MNS queue `{{ queue }}`
            ${resources.queue.output.arn}
              deploy-time
            ${ARN_PREFIX}/functions/x
              deploy-time
            acs:fc:::${vars.functionPath}
              deploy-time
            acs:fc:${var.region}:${var.account}:service/${var.svc}/functions/f
              invalid: The Function Compute resource `service/${var.svc}/functions/f` has the wrong shape: expected `services/{service}[.{qualifier}]/functions/{function}` (or, for Function Compute 3.0, `functions/{function}[/{qualifier}]`).
            acs:fnf:::flows/${vars.name}
              invalid: The workflow resource `flows/${vars.name}` has the wrong shape: expected `flow/{name}`.
            acs:oss:::${vars.bucket}
              invalid: `acs:oss:` resources cannot be called by a task; supported targets are Function Compute functions (`acs:fc:`), workflows (`acs:fnf:`) and MNS queues or topics (`acs:mns:`).
            acs:mns:::/queues/${vars.q} x/messages
              invalid: The queue name in `/queues/${vars.q} x/messages` is empty or contains spaces."#]].assert_eq(&out.join("\n"));
    }
}
