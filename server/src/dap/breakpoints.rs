//! The breakpoints the client set: line breakpoints (each placed on the state that holds
//! its line), function breakpoints (state names), exception filters, and what each asks
//! besides a stop: a condition (an FDL expression), a hit count, a log message. The table
//! is shared: the adapter thread replaces its parts as requests come, the run thread reads
//! it at each state and counts hits.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::protocol::{Breakpoint, FunctionBreakpoint, SourceBreakpoint, SourceOut};
use super::source::SourceMap;

#[derive(Default)]
pub struct Table {
    /// By file (canonical path).
    lines: HashMap<PathBuf, Vec<Armed>>,
    functions: Vec<(String, Armed)>,
    pub exceptions: Exceptions,
    next_id: i64,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Exceptions {
    /// Stop where any state fails, even if a Retry or Catch takes the error.
    pub any: bool,
    /// Stop where an error will fail the execution.
    pub uncaught: bool,
}

pub const FILTER_ANY: &str = "any";
pub const FILTER_UNCAUGHT: &str = "uncaught";

/// One breakpoint as the run checks it.
#[derive(Clone, Debug)]
pub struct Armed {
    pub id: i64,
    /// Line breakpoints: the zero-based first line of the state.
    pub line: u32,
    pub condition: Option<String>,
    pub hit: Option<HitCondition>,
    pub log: Option<String>,
    pub hits: u64,
}

/// When a breakpoint whose condition holds stops, by the number of such hits so far.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HitCondition {
    /// `5` or `==5`: the fifth hit only.
    Eq(u64),
    Ge(u64),
    Gt(u64),
    Le(u64),
    Lt(u64),
    /// `%3`: every third hit.
    Every(u64),
}

impl HitCondition {
    pub fn parse(text: &str) -> Result<HitCondition, String> {
        let t = text.trim();
        let (op, n) = [">=", "<=", "==", ">", "<", "%", "="]
            .iter()
            .find_map(|op| t.strip_prefix(op).map(|rest| (*op, rest.trim())))
            .unwrap_or(("==", t));
        let bad =
            || format!("the hit count `{text}` is a number with `==`, `>=`, `>`, `<=`, `<` or `%` before it");
        let n: u64 = n.parse().map_err(|_| bad())?;
        Ok(match op {
            ">=" => HitCondition::Ge(n),
            "<=" => HitCondition::Le(n),
            ">" => HitCondition::Gt(n),
            "<" => HitCondition::Lt(n),
            "%" if n == 0 => return Err(bad()),
            "%" => HitCondition::Every(n),
            _ => HitCondition::Eq(n),
        })
    }

    pub fn holds(self, hits: u64) -> bool {
        match self {
            HitCondition::Eq(n) => hits == n,
            HitCondition::Ge(n) => hits >= n,
            HitCondition::Gt(n) => hits > n,
            HitCondition::Le(n) => hits <= n,
            HitCondition::Lt(n) => hits < n,
            HitCondition::Every(n) => hits.is_multiple_of(n),
        }
    }
}

/// How the client counts lines and columns (DAP: from 1 unless it says otherwise).
#[derive(Clone, Copy, Debug)]
pub struct Lines {
    pub line_base: i64,
    pub column_base: i64,
}

impl Default for Lines {
    fn default() -> Lines {
        Lines { line_base: 1, column_base: 1 }
    }
}

/// The condition's text if it parses as an expression, else why not.
fn check_condition(text: Option<&str>) -> Result<Option<String>, String> {
    let Some(text) = text.map(str::trim).filter(|t| !t.is_empty()) else { return Ok(None) };
    match crate::expr::parse(text) {
        Ok(_) => Ok(Some(text.to_string())),
        Err(e) => Err(format!("the condition `{text}` is no expression: {}", e.message)),
    }
}

fn check_hit(text: Option<&str>) -> Result<Option<HitCondition>, String> {
    text.map(str::trim).filter(|t| !t.is_empty()).map(HitCondition::parse).transpose()
}

impl Table {
    fn id(&mut self) -> i64 {
        self.next_id += 1;
        self.next_id
    }

    /// Replaces the line breakpoints of a file and says where each went: on the first line
    /// of the state that holds its line (moved there if it was inside the state), or
    /// nowhere, with the reason.
    pub fn set_lines(
        &mut self,
        path: &Path,
        shown: &str,
        wanted: &[SourceBreakpoint],
        map: Result<&SourceMap, &str>,
        lines: Lines,
    ) -> Vec<Breakpoint> {
        let source = SourceOut {
            name: path.file_name().map_or_else(|| shown.to_string(), |n| n.to_string_lossy().into_owned()),
            path: shown.to_string(),
        };
        let mut armed = Vec::new();
        let mut out = Vec::new();
        for bp in wanted {
            let id = self.id();
            let zero_based = bp.line - lines.line_base;
            let placed = match map {
                Err(why) => Err(why.to_string()),
                Ok(map) => u32::try_from(zero_based)
                    .ok()
                    .and_then(|l| map.state_at(l))
                    .ok_or_else(|| "no state on this line: a breakpoint goes on a state".to_string()),
            };
            let checked = placed.and_then(|(range, _)| {
                let condition = check_condition(bp.condition.as_deref())?;
                let hit = check_hit(bp.hit_condition.as_deref())?;
                Ok((range, condition, hit))
            });
            match checked {
                Ok((range, condition, hit)) => {
                    let log = bp.log_message.clone().filter(|m| !m.is_empty());
                    armed.push(Armed { id, line: range.start.line, condition, hit, log, hits: 0 });
                    out.push(Breakpoint {
                        id,
                        verified: true,
                        message: None,
                        line: Some(i64::from(range.start.line) + lines.line_base),
                        // No column: a breakpoint is on a state's line, not inside it
                        // (with one, VS Code draws an inline breakpoint).
                        column: None,
                        end_line: Some(i64::from(range.end.line) + lines.line_base),
                        source: Some(source.clone()),
                    });
                }
                Err(message) => out.push(Breakpoint {
                    id,
                    verified: false,
                    message: Some(message),
                    line: Some(bp.line),
                    column: None,
                    end_line: None,
                    source: Some(source.clone()),
                }),
            }
        }
        self.lines.insert(path.to_path_buf(), armed);
        out
    }

    /// Replaces the function breakpoints: a name is a state's, in any scope (sub-flows
    /// included). `known`: the flow being debugged, once launched, to tell a name it lacks.
    pub fn set_functions(
        &mut self,
        wanted: &[FunctionBreakpoint],
        known: Option<&SourceMap>,
    ) -> Vec<Breakpoint> {
        let mut out = Vec::new();
        self.functions.clear();
        for bp in wanted {
            let id = self.id();
            let checked = check_condition(bp.condition.as_deref())
                .and_then(|c| check_hit(bp.hit_condition.as_deref()).map(|h| (c, h)));
            let missing = known.is_some_and(|m| !m.has_state(&bp.name));
            match checked {
                Ok((condition, hit)) => {
                    self.functions
                        .push((bp.name.clone(), Armed { id, line: 0, condition, hit, log: None, hits: 0 }));
                    out.push(Breakpoint {
                        id,
                        // Armed all the same: a sub-flow may have the state.
                        verified: !missing,
                        message: missing.then(|| format!("the flow has no state named `{}`", bp.name)),
                        line: None,
                        column: None,
                        end_line: None,
                        source: None,
                    });
                }
                Err(message) => out.push(Breakpoint {
                    id,
                    verified: false,
                    message: Some(message),
                    line: None,
                    column: None,
                    end_line: None,
                    source: None,
                }),
            }
        }
        out
    }

    pub fn set_exceptions(&mut self, filters: &[String]) {
        self.exceptions = Exceptions {
            any: filters.iter().any(|f| f == FILTER_ANY),
            uncaught: filters.iter().any(|f| f == FILTER_UNCAUGHT),
        };
    }

    /// The breakpoints on a state (its file and first line, its name), for the run to
    /// check; `(id, is_function)`.
    pub fn at_state(&mut self, file: &Path, line: u32, name: &str) -> Vec<(&mut Armed, bool)> {
        let lines =
            self.lines.get_mut(file).into_iter().flatten().filter(|a| a.line == line).map(|a| (a, false));
        let functions = self.functions.iter_mut().filter(|(n, _)| n == name).map(|(_, a)| (a, true));
        lines.chain(functions).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hit_conditions_read_like_other_debuggers() {
        let cases = ["3", "==3", "= 3", ">=2", "> 2", "<= 2", "<2", "%2", "%0", "x", ""];
        let out: Vec<String> = cases
            .iter()
            .map(|c| match HitCondition::parse(c) {
                Ok(h) => {
                    format!("{c:?} {h:?} stops at {:?}", (1..=6).filter(|n| h.holds(*n)).collect::<Vec<_>>())
                }
                Err(e) => format!("{c:?} {e}"),
            })
            .collect();
        expect_test::expect![[r#"
            "3" Eq(3) stops at [3]
            "==3" Eq(3) stops at [3]
            "= 3" Eq(3) stops at [3]
            ">=2" Ge(2) stops at [2, 3, 4, 5, 6]
            "> 2" Gt(2) stops at [3, 4, 5, 6]
            "<= 2" Le(2) stops at [1, 2]
            "<2" Lt(2) stops at [1]
            "%2" Every(2) stops at [2, 4, 6]
            "%0" the hit count `%0` is a number with `==`, `>=`, `>`, `<=`, `<` or `%` before it
            "x" the hit count `x` is a number with `==`, `>=`, `>`, `<=`, `<` or `%` before it
            "" the hit count `` is a number with `==`, `>=`, `>`, `<=`, `<` or `%` before it"#]]
        .assert_eq(&out.join("\n"));
    }

    #[test]
    fn line_breakpoints_go_on_states_or_say_why_not() {
        let text = "Type: StateMachine\nName: f\nSpecVersion: v1\nStartAt: A\nStates:\n  - Type: Pass\n    Name: A\n    End: true\n";
        let map = SourceMap::of_text(text).unwrap();
        let mut table = Table::default();
        let bp = |line: i64, condition: Option<&str>, hit: Option<&str>| SourceBreakpoint {
            line,
            condition: condition.map(str::to_string),
            hit_condition: hit.map(str::to_string),
            ..SourceBreakpoint::default()
        };
        let wanted = [
            bp(6, None, None),
            bp(8, Some("$Input.n > 1"), Some(">= 2")),
            bp(1, None, None),
            bp(7, Some("$Input.n >"), None),
            bp(7, None, Some("often")),
        ];
        let placed = table.set_lines(Path::new("/f.yaml"), "/f.yaml", &wanted, Ok(&map), Lines::default());
        let out: Vec<String> =
            placed.iter().map(|b| format!("{} {} {:?} {:?}", b.id, b.verified, b.line, b.message)).collect();
        expect_test::expect![[r#"
            1 true Some(6) None
            2 true Some(6) None
            3 false Some(1) Some("no state on this line: a breakpoint goes on a state")
            4 false Some(7) Some("the condition `$Input.n >` is no expression: a value is missing at the end of the expression")
            5 false Some(7) Some("the hit count `often` is a number with `==`, `>=`, `>`, `<=`, `<` or `%` before it")"#]]
        .assert_eq(&out.join("\n"));
        let at: Vec<i64> = table.at_state(Path::new("/f.yaml"), 5, "A").iter().map(|(a, _)| a.id).collect();
        assert_eq!(at, [1, 2]);
        // Setting a file's breakpoints again replaces them.
        table.set_lines(Path::new("/f.yaml"), "/f.yaml", &[], Ok(&map), Lines::default());
        assert!(table.at_state(Path::new("/f.yaml"), 5, "A").is_empty());
        let placed = table.set_lines(
            Path::new("/g.yaml"),
            "g.yaml",
            &[bp(3, None, None)],
            Err("g.yaml is no flow"),
            Lines::default(),
        );
        assert_eq!(placed[0].message.as_deref(), Some("g.yaml is no flow"));
        let functions = [
            FunctionBreakpoint { name: "A".into(), ..Default::default() },
            FunctionBreakpoint { name: "Z".into(), ..Default::default() },
        ];
        let placed = table.set_functions(&functions, Some(&map));
        assert_eq!(
            placed.iter().map(|b| (b.verified, b.message.clone())).collect::<Vec<_>>(),
            [(true, None), (false, Some("the flow has no state named `Z`".into()))]
        );
        assert_eq!(table.at_state(Path::new("/elsewhere"), 0, "Z").len(), 1);
    }
}
