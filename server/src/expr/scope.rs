//! Which variables an expression can read, and what is known of their fields, depending on
//! the dialect and on where in a flow the expression is written.

use fdl_schema::Dialect;

/// Where an expression is written. The place decides which variables are visible.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Place {
    // CloudFlow
    InputConstructor,
    OutputConstructor,
    GlobalConstructor,
    ItemConstructor,
    Parameters,
    /// The `OutputConstructor` of a Catch rule.
    CatchOutputConstructor,
    /// A Choice branch `Condition` (legacy: a choice `condition`).
    Condition,
    ItemsPath,
    /// A state field given as an expression with a `.$` key, e.g. `Seconds.$`.
    StateField,
    // Legacy
    /// `source` of an `inputMappings` entry; `flow_level` for the flow's own mappings.
    InputMapping {
        flow_level: bool,
    },
    OutputMapping {
        flow_level: bool,
    },
    ErrorMapping,
    ServiceParams,
    ForeachCollection,
    WaitDuration,
    WaitTimestamp,
    /// Outside any flow (`fdl eval`): every variable of the dialect is visible.
    Anywhere,
}

impl Place {
    /// What the place is called in messages.
    pub fn describe(self) -> &'static str {
        match self {
            Place::InputConstructor => "an InputConstructor",
            Place::OutputConstructor => "an OutputConstructor",
            Place::GlobalConstructor => "a GlobalConstructor",
            Place::ItemConstructor => "an ItemConstructor",
            Place::Parameters => "Parameters",
            Place::CatchOutputConstructor => "the OutputConstructor of a Catch rule",
            Place::Condition => "a condition",
            Place::ItemsPath => "ItemsPath",
            Place::StateField => "a state field",
            Place::InputMapping { flow_level: false } => "inputMappings",
            Place::InputMapping { flow_level: true } => "the flow's inputMappings",
            Place::OutputMapping { flow_level: false } => "outputMappings",
            Place::OutputMapping { flow_level: true } => "the flow's outputMappings",
            Place::ErrorMapping => "errorMappings",
            Place::ServiceParams => "serviceParams",
            Place::ForeachCollection => "iterationMapping.collection",
            Place::WaitDuration => "a wait duration",
            Place::WaitTimestamp => "a wait timestamp",
            Place::Anywhere => "this expression",
        }
    }

    /// Legacy places that take a JSONPath (`$.x`, `$input.a[0]`), not an expression.
    pub fn is_path_only(self) -> bool {
        matches!(
            self,
            Place::InputMapping { .. }
                | Place::OutputMapping { .. }
                | Place::ErrorMapping
                | Place::ServiceParams
                | Place::ForeachCollection
                | Place::WaitDuration
                | Place::WaitTimestamp
        )
    }

    fn is_mapping(self) -> bool {
        matches!(self, Place::InputMapping { .. } | Place::OutputMapping { .. } | Place::ErrorMapping)
    }
}

/// A field known to exist on a value, e.g. a key of `$Input` written by the previous
/// state's OutputConstructor.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Field {
    pub name: String,
    /// Where the field comes from, for completion details (`OutputConstructor of Prev`).
    pub origin: String,
    pub children: Vec<Field>,
}

/// Everything the expression tools need to know about the surroundings of an expression.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExprContext {
    pub dialect: Dialect,
    pub place: Place,
    /// Fields of `$Input` (legacy: of `$` and `$input`) inferred from the flow, if any.
    pub input_fields: Vec<Field>,
}

impl ExprContext {
    pub fn new(dialect: Dialect, place: Place) -> ExprContext {
        ExprContext { dialect, place, input_fields: Vec::new() }
    }

    /// The variables readable here.
    pub fn visible_variables(&self) -> Vec<&'static Variable> {
        variables(self.dialect).iter().filter(|v| visibility(self, v.name) == Visibility::Visible).collect()
    }
}

/// A documented field of a context variable.
pub struct ContextField {
    pub name: &'static str,
    pub doc: &'static str,
    pub children: &'static [ContextField],
}

const fn cf(name: &'static str, doc: &'static str, children: &'static [ContextField]) -> ContextField {
    ContextField { name, doc, children }
}

/// The documented layout of CloudFlow's `$Context`.
pub static CLOUDFLOW_CONTEXT: &[ContextField] = &[
    cf(
        "Execution",
        "The running execution.",
        &[
            cf("Name", "The execution's name (string).", &[]),
            cf("Input", "The execution's input (object).", &[]),
            cf("RoleArn", "The ARN of the RAM role the execution runs with (string).", &[]),
        ],
    ),
    cf(
        "Current",
        "The current state.",
        &[
            cf("Name", "The state's name (string).", &[]),
            cf("Input", "The state's input (object); `$Input` is short for it.", &[]),
            cf("Output", "The state's output (object); `$Output` is short for it.", &[]),
            cf(
                "Error",
                "The error being handled, in a Catch rule.",
                &[
                    cf("Code", "The error's name, e.g. `FC.ResourceThrottled` (string).", &[]),
                    cf("Detail", "The error's message (string).", &[]),
                ],
            ),
            cf("RetryCount", "How many times the state has been retried (number).", &[]),
            cf("TaskToken", "The token a callback task reports with (string).", &[]),
        ],
    ),
];

/// The `$context` fields legacy flows are seen to use; the docs' full list could not be read.
pub static LEGACY_CONTEXT: &[ContextField] = &[
    cf(
        "task",
        "The current task step.",
        &[cf("token", "The callback token of a `waitForCallback` task.", &[])],
    ),
    cf("execution", "The running execution.", &[cf("name", "The execution's name.", &[])]),
    cf("flow", "The flow.", &[cf("name", "The flow's name.", &[])]),
    cf(
        "step",
        "The current step.",
        &[cf(
            "eventId",
            "The id of the current history event (executions are limited to 5,000 events).",
            &[],
        )],
    ),
];

/// A variable of a dialect.
pub struct Variable {
    pub name: &'static str,
    pub doc: &'static str,
    /// The documented fields, for `$Context`.
    pub fields: &'static [ContextField],
}

pub static CLOUDFLOW_VARIABLES: &[Variable] = &[
    Variable {
        name: "$Input",
        doc: "The state's input: the previous state's output, or the result of this state's InputConstructor. Short for `$Context.Current.Input`.",
        fields: &[],
    },
    Variable {
        name: "$Output",
        doc: "The state's result (for a Task, the integration's response, e.g. `$Output.Body`). Only in OutputConstructor and GlobalConstructor; in GlobalConstructor it is the raw result.",
        fields: &[],
    },
    Variable {
        name: "$Context",
        doc: "What the engine knows about the execution (`Execution`) and the current state (`Current`).",
        fields: CLOUDFLOW_CONTEXT,
    },
    Variable {
        name: "$Global",
        doc: "Execution-wide variables written by GlobalConstructor. Not visible in the child executions of a distributed Map.",
        fields: &[],
    },
    Variable {
        name: "$Item",
        doc: "The current element of a distributed Map. Only in ItemConstructor.",
        fields: &[],
    },
];

pub static LEGACY_VARIABLES: &[Variable] = &[
    Variable {
        name: "$",
        doc: "The step's input after its inputMappings (JSONPath root): `$.key`.",
        fields: &[],
    },
    Variable {
        name: "$input",
        doc: "In inputMappings: the parent's input; in outputMappings: this step's input.",
        fields: &[],
    },
    Variable {
        name: "$local",
        doc: "In inputMappings: the parent's local (the merged outputs of earlier steps); in outputMappings: this step's result; in errorMappings: `$local.error` and `$local.cause`.",
        fields: &[],
    },
    Variable {
        name: "$context",
        doc: "The context object: `$context.task.token`, `$context.execution.name`, `$context.flow.name`, `$context.step.eventId`.",
        fields: LEGACY_CONTEXT,
    },
];

pub fn variables(dialect: Dialect) -> &'static [Variable] {
    match dialect {
        Dialect::CloudFlow => CLOUDFLOW_VARIABLES,
        Dialect::Legacy => LEGACY_VARIABLES,
    }
}

pub fn variable(dialect: Dialect, name: &str) -> Option<&'static Variable> {
    variables(dialect).iter().find(|v| v.name == name)
}

/// Whether a variable can be read at a place.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Visibility {
    Visible,
    /// Known, but not readable here: why, and whether using it is surely an error.
    OutOfScope {
        why: String,
        certain: bool,
    },
    Unknown,
}

pub fn visibility(ctx: &ExprContext, name: &str) -> Visibility {
    if variable(ctx.dialect, name).is_none() {
        return Visibility::Unknown;
    }
    let out = |why: &str, certain: bool| Visibility::OutOfScope { why: why.to_string(), certain };
    let place = ctx.place;
    if place == Place::Anywhere {
        return Visibility::Visible;
    }
    match (ctx.dialect, name) {
        (Dialect::CloudFlow, "$Output") => match place {
            Place::OutputConstructor | Place::GlobalConstructor | Place::CatchOutputConstructor => {
                Visibility::Visible
            }
            _ => out(
                "`$Output` holds the state's result, so it is only readable in OutputConstructor and GlobalConstructor",
                true,
            ),
        },
        (Dialect::CloudFlow, "$Item") => match place {
            Place::ItemConstructor => Visibility::Visible,
            _ => out(
                "`$Item` is the current element of a distributed Map, only readable in its ItemConstructor",
                true,
            ),
        },
        (Dialect::Legacy, "$local") => match place {
            Place::InputMapping { flow_level: true } => out(
                "the flow's inputMappings read the execution input (`$input`); there is no `$local` yet",
                true,
            ),
            p if p.is_mapping() => Visibility::Visible,
            _ => out(
                "`$local` is only readable in inputMappings, outputMappings and errorMappings; here `$` is the step's mapped input",
                true,
            ),
        },
        (Dialect::Legacy, "$input") => match place {
            Place::ErrorMapping => out("errorMappings read `$local.error` and `$local.cause`", false),
            p if p.is_mapping() => Visibility::Visible,
            _ => {
                out("outside mappings the docs read the step's input with `$` (`$.key`), not `$input`", false)
            }
        },
        _ => Visibility::Visible,
    }
}

/// The documented fields below a path of a context variable (`["Current", "Error"]`), or
/// `None` when the path leaves the documented layout (e.g. into `Current.Input`, which is data).
pub fn context_fields(fields: &'static [ContextField], path: &[&str]) -> Option<&'static [ContextField]> {
    let mut level = fields;
    for segment in path {
        let field = level.iter().find(|f| f.name == *segment)?;
        level = field.children;
    }
    Some(level)
}
