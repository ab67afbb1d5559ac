//! What the analyser reports: plain data, no LSP or terminal types.

use crate::syntax::TextRange;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
    Information,
    Hint,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Information => "information",
            Severity::Hint => "hint",
        }
    }
}

macro_rules! codes {
    ($($variant:ident = $code:literal: $doc:literal,)*) => {
        /// Every diagnostic code. Codes are stable: editors and CI configurations refer to them.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Code {
            $(#[doc = $doc] $variant,)*
        }

        impl Code {
            pub const ALL: &'static [Code] = &[$(Code::$variant,)*];

            pub fn as_str(self) -> &'static str {
                match self {
                    $(Code::$variant => $code,)*
                }
            }

            /// One line on what the code means, for docs and `--explain`-style listings.
            pub fn summary(self) -> &'static str {
                match self {
                    $(Code::$variant => $doc,)*
                }
            }
        }
    };
}

codes! {
    YamlSyntax = "yaml-syntax": "The text is not valid YAML.",
    UnknownDialect = "unknown-dialect": "The document is neither a CloudFlow state machine nor a legacy Serverless Workflow flow.",
    DuplicateKey = "duplicate-key": "The same key appears twice in one mapping.",
    ExcessiveAliasing = "excessive-aliasing": "Aliases that would expand to an enormous document (a \"billion laughs\"); they are not followed.",
    UnknownKey = "unknown-key": "A key that this object does not have.",
    MissingKey = "missing-key": "A required key is absent.",
    ConflictingKeys = "conflicting-keys": "Keys that exclude each other (e.g. `Seconds` and `Seconds.$`, `resourceArn` and `action`).",
    InvalidType = "invalid-type": "A value of the wrong YAML type (e.g. a list where a string is expected).",
    InvalidValue = "invalid-value": "A value outside its allowed set (Type, TaskMode, pattern, ...).",
    ObsoleteKey = "obsolete-key": "A key from an older version of the language.",
    UnknownState = "unknown-state": "A transition names no state of its scope.",
    DuplicateStateName = "duplicate-state-name": "Two states of one scope have the same name.",
    UnreachableState = "unreachable-state": "No path from StartAt leads to this state (reported at the first state of a chain).",
    MissingTransition = "missing-transition": "A state has neither Next nor End where one is needed.",
    ConflictingTransition = "conflicting-transition": "A state has both Next and End.",
    NoTerminalState = "no-terminal-state": "No state of a scope ends it, so an execution can never finish.",
    UnsupportedTaskMode = "unsupported-task-mode": "The TaskMode is not supported by the Action's service (or by Express workflows).",
    UnsupportedPattern = "unsupported-pattern": "The legacy pattern is not supported by the resourceArn's service.",
    InvalidResourceArn = "invalid-resource-arn": "A resourceArn that names no function, flow, queue or topic.",
    InvocationTypeMismatch = "invocation-type-mismatch": "FC invocationType and TaskMode cannot work together.",
    OutOfRange = "out-of-range": "A number outside the limit documented by the service.",
    DocQuirk = "doc-quirk": "A construct copied from a known mistake in Alibaba's documentation.",
    ExpressionSyntax = "expression-syntax": "An expression (a `.$` value, Condition, ItemsPath, legacy mapping source or condition) that does not parse.",
    UnknownVariable = "unknown-variable": "A `$` variable the dialect does not have, a bare name, or an undocumented `$Context` field.",
    VariableOutOfScope = "variable-out-of-scope": "A variable not readable where it is used (`$Output` outside OutputConstructor/GlobalConstructor, `$Item` outside ItemConstructor, legacy `$local` outside mappings).",
    UnknownFunction = "unknown-function": "A call of a function that is not a built-in.",
    WrongArity = "wrong-arity": "A built-in called with too few or too many arguments.",
    InvalidArgument = "invalid-argument": "A built-in argument of the wrong type, or a constant one that cannot work (e.g. `hash(x, \"MD4\")`).",
    TooDeep = "too-deep": "Function calls nested more than 10 levels deep.",
    MissingDollarKey = "missing-dollar-key": "A value that looks like an expression under a key without `.$`, so it is taken literally.",
    NotAnExpression = "not-an-expression": "A key ending in `.$` whose value is not an expression.",
    UndocumentedSyntax = "undocumented-syntax": "Expression syntax the docs do not confirm (arithmetic, `[*]` in CloudFlow, unconfirmed functions, most operators in legacy conditions).",
    UnknownService = "unknown-service": "The service of a Task's Action is not in the API catalog (an error only for a near miss of a known one).",
    UnknownApi = "unknown-api": "The API of a Task's Action is not in its service's catalog (an error only for a near miss of a known one).",
    MissingParameter = "missing-parameter": "A parameter the called API requires is absent from Parameters (legacy: serviceParams).",
    UnknownParameter = "unknown-parameter": "A parameter the called API does not have, as far as the catalog knows.",
    InvalidParameterValue = "invalid-parameter-value": "A constant parameter value of the wrong type, not among the listed values, or out of range.",
    MissingFlowFile = "missing-flow-file": "A deployment file (s.yaml, a template, Terraform) names a flow file that does not exist.",
    TestFile = "test-file": "A dry-run mocks or test file that cannot be used as written: an unknown key, a malformed response, a missing or invalid flow.",
}

/// A text replacement that fixes a diagnostic.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fix {
    pub title: String,
    pub edits: Vec<(TextRange, String)>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub range: TextRange,
    pub severity: Severity,
    pub code: Code,
    pub message: String,
    pub fixes: Vec<Fix>,
}

impl Diagnostic {
    pub fn new(code: Code, severity: Severity, range: TextRange, message: impl Into<String>) -> Diagnostic {
        Diagnostic { range, severity, code, message: message.into(), fixes: Vec::new() }
    }

    pub fn error(code: Code, range: TextRange, message: impl Into<String>) -> Diagnostic {
        Diagnostic::new(code, Severity::Error, range, message)
    }

    pub fn warning(code: Code, range: TextRange, message: impl Into<String>) -> Diagnostic {
        Diagnostic::new(code, Severity::Warning, range, message)
    }

    pub fn with_fix(
        mut self,
        title: impl Into<String>,
        range: TextRange,
        replacement: impl Into<String>,
    ) -> Self {
        self.fixes.push(Fix { title: title.into(), edits: vec![(range, replacement.into())] });
        self
    }
}
