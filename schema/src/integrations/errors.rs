//! Error names that Retry/Catch rules can match, for completion and hover.
//!
//! Besides these, any name is valid: a Fail state's code, a custom error reported
//! through ReportTaskFailed, or a service error code with the service prefix
//! (`FC.{Code}`, `{service}.{Code}` for legacy `action:` calls).

use crate::Dialect;

/// Which dialects an entry of [`KNOWN_ERRORS`] applies to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Dialects {
    /// Only the current CloudFlow dialect.
    CloudFlow,
    /// Only the legacy Serverless Workflow dialect.
    Legacy,
    /// Both dialects.
    Both,
}

impl Dialects {
    /// Whether the entry applies to `dialect`.
    pub fn includes(self, dialect: Dialect) -> bool {
        matches!(
            (self, dialect),
            (Dialects::Both, _)
                | (Dialects::CloudFlow, Dialect::CloudFlow)
                | (Dialects::Legacy, Dialect::Legacy)
        )
    }
}

/// Known error names: `(name, description, dialects)`, the wildcard first.
pub const KNOWN_ERRORS: &[(&str, &str, Dialects)] = &[
    (
        "FnF.ALL",
        "Matches every error. Put it after more specific names: the first matching rule wins.",
        Dialects::Both,
    ),
    (
        "FC.ResourceThrottled",
        "Function Compute throttled the call because the function's concurrency limit was reached; worth retrying.",
        Dialects::Both,
    ),
    (
        "FC.ResourceExhausted",
        "Function Compute had no resources for the call (HTTP 429); the function did not run; worth retrying.",
        Dialects::Both,
    ),
    (
        "FC.InternalServerError",
        "Function Compute failed internally (HTTP 5xx); worth retrying.",
        Dialects::Both,
    ),
    (
        "FC.ServiceNotFound",
        "The Function Compute service in the ARN does not exist; the function did not run.",
        Dialects::Both,
    ),
    (
        "FC.FunctionNotFound",
        "The function in the ARN does not exist; the function did not run.",
        Dialects::Both,
    ),
    (
        "FC.InvalidArgument",
        "Function Compute rejected the request as invalid; the function did not run.",
        Dialects::Both,
    ),
    (
        "FC.Unknown",
        "Function Compute failed for an unclassified reason; part of the standard retry list of the official examples.",
        Dialects::Legacy,
    ),
    (
        "FC.ServerError",
        "A Function Compute server-side error, seen in official examples' retry lists.",
        Dialects::Legacy,
    ),
    (
        "FnF.TaskTimeout",
        "A task ran longer than its `timeoutSeconds` (inferred from official examples, which retry on it).",
        Dialects::Legacy,
    ),
    (
        "FnF.RuntimeError",
        "A runtime error of the workflow engine; seen in official catch lists, its exact meaning is undocumented.",
        Dialects::Legacy,
    ),
    (
        "FnF.InvalidLocal",
        "The step's result was not valid, e.g. a function returned something other than a JSON object, or raised an error.",
        Dialects::Legacy,
    ),
    (
        "fnf.ResourceThrottled",
        "A Serverless Workflow API called through `action: fnf:…` was throttled.",
        Dialects::Legacy,
    ),
    (
        "fnf.ExecutionAlreadyExists",
        "`action: fnf:StartExecution` was given the name of an execution that already finished.",
        Dialects::Legacy,
    ),
];

/// The known errors that apply to `dialect`, in table order.
pub fn known_errors(dialect: Dialect) -> impl Iterator<Item = (&'static str, &'static str)> {
    KNOWN_ERRORS
        .iter()
        .filter(move |(_, _, dialects)| dialects.includes(dialect))
        .map(|(name, description, _)| (*name, *description))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wildcard_first_and_names_unique() {
        assert_eq!(KNOWN_ERRORS[0].0, "FnF.ALL");
        for (i, (name, description, _)) in KNOWN_ERRORS.iter().enumerate() {
            assert!(KNOWN_ERRORS[..i].iter().all(|(n, _, _)| n != name), "{name}");
            assert!(description.ends_with('.'), "{name}");
        }
        let cloudflow: Vec<_> = known_errors(Dialect::CloudFlow).map(|(n, _)| n).collect();
        assert!(cloudflow.contains(&"FC.ResourceThrottled"));
        assert!(!cloudflow.contains(&"FnF.TaskTimeout"));
        assert!(known_errors(Dialect::Legacy).any(|(n, _)| n == "FnF.InvalidLocal"));
    }
}
