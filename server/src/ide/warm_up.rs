//! What a server does once, before the first document arrives.
//!
//! The first analysis in a process builds the schema's runtime view of both dialects and
//! opens the API catalog (a few milliseconds, more than the rest of analysing a flow of a
//! hundred states). The server does it on another thread when the session starts, so the
//! first document opened does not wait for it (or waits only for what is left of it).

use super::{Config, Document};

/// A small flow of each dialect touching what the analysis builds lazily: the schema's
/// objects, task modes and a catalog Action with its parameters, expressions.
const CLOUDFLOW: &str = "Type: StateMachine\nName: warm-up\nSpecVersion: v1\nStartAt: 调用\nStates:\n  - Type: Task\n    Name: 调用\n    Action: FC:InvokeFunction\n    TaskMode: RequestComplete\n    Parameters:\n      resourceArn: acs:fc:cn-hangzhou:123:functions/f/LATEST\n      invocationType: Sync\n      body.$: $Input\n    End: true\n";
const LEGACY: &str = "version: v1\ntype: flow\nsteps:\n  - type: pass\n    name: 开始\n    end: true\n";

/// Analyses [`CLOUDFLOW`] and [`LEGACY`]; returns how many diagnostics they gave (none).
pub fn warm_up() -> usize {
    let config = Config::default();
    [CLOUDFLOW, LEGACY].iter().map(|text| Document::new(text).diagnostics(&config).len()).sum()
}

#[cfg(test)]
mod tests {
    /// The warm-up flows are clean: a diagnostic there would mean the warm-up no longer
    /// goes where a real flow goes (an Action unknown to the catalog stops the parameter
    /// checks, for one).
    #[test]
    fn the_warm_up_flows_are_clean() {
        assert_eq!(super::warm_up(), 0);
    }
}
