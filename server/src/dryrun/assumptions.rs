//! The one table of what the dry run assumes where Alibaba's documentation is silent.
//! Each entry has a stable id; a run whose outcome depended on one says so in a warning
//! (code `assumption`) naming the id, and README.md lists them all.

pub struct Assumption {
    pub id: &'static str,
    pub text: &'static str,
}

pub const ASSUMPTIONS: &[Assumption] = &[
    Assumption {
        id: "catch-output",
        text: "Without a Catch OutputConstructor the next state receives the error as `{\"Code\", \"Detail\"}`; `$Output` in a Catch OutputConstructor is that object. (The docs only say the constructor builds the data handed on.)",
    },
    Assumption {
        id: "task-timeout",
        text: "A task that runs longer than its `Timeout` (legacy `timeoutSeconds`) fails with `FnF.TaskTimeout`, the name official legacy flows retry on; CloudFlow's docs name no timeout error.",
    },
    Assumption {
        id: "runtime-error",
        text: "An expression that fails at run time (a type mismatch, an index out of range, a Map ItemsPath that is not an array) fails the state with `FnF.RuntimeError`, which Retry and Catch can match (official legacy flows catch it).",
    },
    Assumption {
        id: "data-limit",
        text: "A state input or output over the size limit (CloudFlow 64 KiB each; legacy 32 KiB for input, output and local together), or not a JSON object, fails the execution at once with `FnF.DataLimitExceeded` / `FnF.InvalidData`: the docs say the flow fails, not that a Catch can handle it.",
    },
    Assumption {
        id: "retry-first-rule",
        text: "Only the first Retry rule whose errors match is used; once its MaxAttempts are spent the error goes to Catch, even if a later rule also matches (documented for CloudFlow, assumed for legacy).",
    },
    Assumption {
        id: "retry-interval",
        text: "Retry n (from 1) of a rule waits IntervalSeconds × BackoffRate^(n-1), at most MaxBackoffSeconds; without BackoffRate the interval is constant. Legacy defaults: intervalSeconds 1, multiplier 2, maxAttempts 3, maxIntervalSeconds 86400.",
    },
    Assumption {
        id: "subflow-output",
        text: "A child flow started with WaitForSystemCallback (legacy `sync`) gives the task the child's output; a failed child fails the task with the child's error. With WaitForCustomCallback (legacy `waitForCallback`) the child is assumed to report its own output with the task token when it succeeds. RequestComplete (legacy `requestResponse`) gives `{FlowName, ExecutionName, RequestID}` at once; the child still runs, but its outcome only shows as a warning.",
    },
    Assumption {
        id: "subflow-lookup",
        text: "A child flow `acs:fnf:…:flow/NAME` is the flow file of the workspace whose `Name` (legacy `name`, else the file name without `.fdl.yaml`/`.flow.yaml`/`.yaml`) is NAME, searched in the flow's folder first.",
    },
    Assumption {
        id: "succeed-scope",
        text: "A legacy `succeed` step ends the step list it is in (a choice branch's steps, a parallel branch, a foreach iteration), like CloudFlow's Succeed ends its scope; `end: true` likewise.",
    },
    Assumption {
        id: "map-concurrency",
        text: "A Map without MaxConcurrency starts every iteration at once; a legacy foreach runs at most 100 iterations at a time (the documented limit).",
    },
    Assumption {
        id: "default-output",
        text: "Wait, Choice and Succeed output their input; `$Output` in the OutputConstructor of a state that is not a Task is the state's default output (Pass: its input, Parallel: `{Branch0, …}`, Map: `{Items}`).",
    },
    Assumption {
        id: "dollar-key-object",
        text: "A `.$` key whose value is a mapping or a list (undocumented) evaluates the string leaves that look like expressions (`$Input.x`, a function call) and keeps the others as they are.",
    },
    Assumption {
        id: "global-merge",
        text: "GlobalConstructor's result is merged key by key into `$Global` after the state's OutputConstructor; Parallel branches and Map iterations write in the order the dry run runs them.",
    },
    Assumption {
        id: "fail-code",
        text: "A Fail state (legacy `fail` step) without `Code` (`error`) fails with an empty error name, which only `FnF.ALL` matches.",
    },
    Assumption {
        id: "parallel-failure",
        text: "The first branch or Map iteration that fails stops the others and fails the Parallel or Map state with its error (then its Retry and Catch apply).",
    },
    Assumption {
        id: "invalid-local",
        text: "A legacy Function Compute task whose result is not a JSON object fails with `FnF.InvalidLocal`.",
    },
    Assumption {
        id: "express-duration",
        text: "An Express execution times out after 300 virtual seconds (five minutes); a Standard one after a year, unless the flow sets a shorter Timeout.",
    },
    Assumption {
        id: "history-events",
        text: "The dry run's events stand for the service's history events one to one; the service writes a few more per state, so the 5,000-event quota may be reached earlier than the warning says.",
    },
    Assumption {
        id: "map-items-objects",
        text: "Map items are state inputs, so each must be a JSON object (the docs say every state input must be one).",
    },
];

pub fn assumption(id: &str) -> Option<&'static Assumption> {
    ASSUMPTIONS.iter().find(|a| a.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_kebab_case() {
        let mut ids: Vec<&str> = ASSUMPTIONS.iter().map(|a| a.id).collect();
        assert!(ids.iter().all(|id| id.chars().all(|c| c.is_ascii_lowercase() || c == '-')), "{ids:?}");
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), ASSUMPTIONS.len());
    }
}

#[cfg(test)]
mod readme {
    use super::ASSUMPTIONS;

    /// README.md lists every assumption with the same words as this table.
    #[test]
    fn readme_lists_every_assumption() {
        let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../README.md")).unwrap();
        for a in ASSUMPTIONS {
            let row = format!("| `{}` | {} |", a.id, a.text);
            assert!(readme.contains(&row), "README.md's assumptions table lacks or differs on:\n{row}");
        }
    }
}
