//! The command-line grammar (clap derive). Only parsing lives here; the commands are in
//! their own modules.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::analysis::WorkflowMode;

#[derive(Debug, Parser)]
#[command(
    name = "fdl",
    version,
    about = "Checks and dry-runs Alibaba Cloud CloudFlow flow definitions (FDL, both dialects)",
    long_about = "Checks Alibaba Cloud CloudFlow flow definitions (FDL: YAML state machines, the current \
                  `Type: StateMachine` dialect and the legacy Serverless Workflow `type: flow` dialect) \
                  and reports problems like a compiler; runs them locally with mocked integrations; \
                  migrates legacy flows to CloudFlow.\n\n\
                  Exit status: 0 when no errors were found (run, test: the execution or every test \
                  succeeded), 1 when at least one error was reported (an execution or a test failed), \
                  2 on a usage or I/O error.",
    arg_required_else_help = true,
    propagate_version = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check flow definition files or directories and report problems.
    Check(CheckArgs),
    /// Print the JSON Schema of a dialect (for YAML editors without an FDL plugin).
    Schema(SchemaArgs),
    /// Evaluate one expression against JSON data and print its value as JSON.
    Eval(EvalArgs),
    /// Format flow definitions in place (comments, anchors and key order are kept).
    Fmt(FmtArgs),
    /// Print the state graph of a flow as Mermaid or Graphviz dot.
    Graph(GraphArgs),
    /// Run a flow locally, with mocked integrations on a virtual clock (a dry run).
    #[command(long_about = "Runs a flow locally with mocked integrations on a virtual clock (nothing is \
                            called, nothing sleeps) and shows the path it takes, state by state.\n\n\
                            Exit status: 0 when the execution succeeded, 1 when it failed, timed out or \
                            hit the step limit (or the flow has errors the service would reject, unless \
                            --force), 2 on a usage or I/O error.")]
    Run(RunArgs),
    /// Run the workflow tests of `*.fdltest.yaml` files.
    #[command(long_about = "Runs the workflow tests of `*.fdltest.yaml` files (and of the files named) and \
                            reports each case like `cargo test`.\n\n\
                            Exit status: 0 when every case passed, 1 when one failed or a test file is \
                            invalid, 2 on a usage or I/O error.")]
    Test(TestArgs),
    /// Turn a legacy Serverless Workflow flow into an equivalent CloudFlow flow.
    #[command(
        long_about = "Writes the CloudFlow version (`Type: StateMachine`) of a legacy Serverless Workflow \
                            flow (`type: flow`): explicit transitions, integrations as Actions with their \
                            Parameters, mappings as constructors, Retry and Catch. Where CloudFlow has no exact \
                            equivalent, a `# fdl-migrate:` comment says what differs; the notes are listed on \
                            stderr. With --check, both flows are dry-run with the same inputs and mocks and \
                            compared.\n\n\
                            Exit status: 0 when the flow was migrated (and --check found both equivalent), 1 \
                            when --check found a difference or the migrated flow has errors, 2 on a usage or \
                            I/O error or a file that is not a legacy flow."
    )]
    Migrate(MigrateArgs),
    /// Run the language server on stdin/stdout (for editors).
    Lsp(LspArgs),
    /// Run the debug adapter on stdin/stdout (Debug Adapter Protocol, for editors): step
    /// through a dry run state by state.
    Dap(LspArgs),
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Workflow mode to check against [default: a `# fdl: mode=express` comment in the file, else standard].
    #[arg(long, value_enum, ignore_case = true)]
    pub mode: Option<ModeArg>,

    /// Output format: `human` (rustc-like, for people) or `json` (an array of LSP-style diagnostics).
    #[arg(long, value_enum, default_value_t = Format::Human, ignore_case = true)]
    pub format: Format,

    /// Files to check, or directories to search recursively for `*.yaml` / `*.yml` flow definitions.
    #[arg(value_name = "PATH", required = true)]
    pub paths: Vec<PathBuf>,
}

#[derive(Debug, Args)]
pub struct FmtArgs {
    /// Change nothing; list the files that are not formatted and exit with 1 if there are any.
    #[arg(long)]
    pub check: bool,

    /// Spaces per indentation level.
    #[arg(long, value_name = "N", default_value_t = 2, value_parser = clap::value_parser!(u32).range(1..=8))]
    pub indent: u32,

    /// Files to format, or directories to search recursively for flow definitions.
    #[arg(value_name = "PATH", required = true)]
    pub paths: Vec<PathBuf>,
}

#[derive(Debug, Args)]
pub struct GraphArgs {
    /// The flow definition file.
    #[arg(value_name = "FLOW")]
    pub flow: PathBuf,

    /// `mermaid` (a flowchart for Markdown) or `dot` (Graphviz).
    #[arg(long, value_enum, default_value_t = GraphFormat::Mermaid, ignore_case = true)]
    pub format: GraphFormat,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum GraphFormat {
    Mermaid,
    Dot,
}

#[derive(Debug, Args)]
pub struct LspArgs {
    /// Talk over stdin/stdout (the only transport; accepted because clients add it).
    #[arg(long)]
    pub stdio: bool,
}

#[derive(Debug, Args)]
pub struct EvalArgs {
    /// The expression, e.g. `$Input.status == "ready"` or `format("hi {}", $Input.name)`.
    #[arg(value_name = "EXPRESSION", allow_hyphen_values = true)]
    pub expression: String,

    /// `$Input` (legacy: `$` and `$input`): JSON text, or `@file` to read it [default: {}].
    #[arg(long, value_name = "JSON|@FILE")]
    pub input: Option<String>,

    /// `$Context` (legacy: `$context`) [default: `Execution.Input` and `Current.Input` set to the input].
    #[arg(long, value_name = "JSON|@FILE")]
    pub context: Option<String>,

    /// `$Global` [default: {}].
    #[arg(long, value_name = "JSON|@FILE")]
    pub global: Option<String>,

    /// `$Output`, the state's result, as seen by OutputConstructor and GlobalConstructor.
    #[arg(long, value_name = "JSON|@FILE")]
    pub output: Option<String>,

    /// `$Item`, the element of a distributed Map, as seen by ItemConstructor.
    #[arg(long, value_name = "JSON|@FILE")]
    pub item: Option<String>,

    /// Legacy `$local` [default: {}].
    #[arg(long, value_name = "JSON|@FILE")]
    pub local: Option<String>,

    /// Which dialect's variables and rules to use.
    #[arg(long, value_enum, default_value_t = DialectArg::CloudFlow, ignore_case = true)]
    pub dialect: DialectArg,

    /// Seed for `uuid()` and `randomInt()`, so that every run gives the same values.
    #[arg(long, value_name = "N")]
    pub seed: Option<u64>,
}

#[derive(Debug, Args)]
pub struct RunArgs {
    /// The flow definition to run.
    #[arg(value_name = "FLOW")]
    pub flow: PathBuf,

    /// The execution input: JSON text, or `@file` to read it [default: {}].
    #[arg(long, value_name = "JSON|@FILE")]
    pub input: Option<String>,

    /// Mocked task results (YAML or JSON): `States:` by state name, `Actions:` by Action.
    #[arg(long, value_name = "FILE")]
    pub mocks: Option<PathBuf>,

    /// Workflow mode [default: a `# fdl: mode=express` comment in the file, else standard].
    #[arg(long, value_enum, ignore_case = true)]
    pub mode: Option<ModeArg>,

    /// Output format: `human` (the path taken, for people) or `json` (the result object).
    #[arg(long, value_enum, default_value_t = Format::Human, ignore_case = true)]
    pub format: Format,

    /// Stop after this many states (a flow that loops forever ends with StepLimit).
    #[arg(long, value_name = "N", default_value_t = 10_000)]
    pub max_steps: u64,

    /// Seed for `uuid()`, `randomInt()`, the execution name and task tokens.
    #[arg(long, value_name = "N")]
    pub seed: Option<u64>,

    /// Run even if the flow has errors the service would reject.
    #[arg(long)]
    pub force: bool,

    /// Values for deploy-time placeholders (YAML or JSON): `vars.region: cn-hangzhou`,
    /// `"ALIYUN::TenantId": "123"`, `suffix: dev`. Without it they stay as their text.
    #[arg(long, value_name = "FILE")]
    pub vars: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct TestArgs {
    /// Test files, or directories to search recursively for `*.fdltest.yaml` [default: .].
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// Run only the cases whose name contains this text.
    #[arg(long, value_name = "TEXT")]
    pub case: Option<String>,

    /// Output format: `human` (like `cargo test`) or `json`.
    #[arg(long, value_enum, default_value_t = Format::Human, ignore_case = true)]
    pub format: Format,

    /// Run flows even if they have errors the service would reject.
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Args)]
pub struct MigrateArgs {
    /// The legacy flow definition (`type: flow`).
    #[arg(value_name = "FLOW")]
    pub flow: PathBuf,

    /// Write the CloudFlow flow here instead of printing it (`-o -` prints it too).
    #[arg(short, long, value_name = "OUT")]
    pub output: Option<PathBuf>,

    /// In a deployment file (ROS or Funcraft template, s.yaml, Terraform): the resource
    /// whose legacy flow to migrate (needed when it holds several).
    #[arg(long, value_name = "NAME")]
    pub resource: Option<String>,

    /// Dry-run the legacy and the migrated flow with the same inputs and mocks and compare
    /// status, output and the states visited.
    #[arg(long)]
    pub check: bool,

    /// With --check: the execution input (JSON text or `@file`); without it, generated inputs.
    #[arg(long, value_name = "JSON|@FILE", requires = "check")]
    pub input: Option<String>,

    /// With --check: mocked results for the legacy flow (carried over by state name);
    /// without it, generated results and errors.
    #[arg(long, value_name = "FILE", requires = "check")]
    pub mocks: Option<PathBuf>,

    /// With --check: how many generated cases to run.
    #[arg(long, value_name = "N", default_value_t = 100, requires = "check")]
    pub cases: u32,

    /// With --check: seed of the generated cases and of the runs.
    #[arg(long, value_name = "N", default_value_t = 0, requires = "check")]
    pub seed: u64,
}

#[derive(Debug, Args)]
pub struct SchemaArgs {
    /// Which dialect's schema to print.
    #[arg(long, value_enum, default_value_t = DialectArg::CloudFlow, ignore_case = true)]
    pub dialect: DialectArg,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ModeArg {
    /// Asynchronous workflows: every task mode, waits up to 300 s.
    Standard,
    /// Synchronous workflows: `RequestComplete` tasks only, waits up to 20 s.
    Express,
}

impl From<ModeArg> for WorkflowMode {
    fn from(mode: ModeArg) -> WorkflowMode {
        match mode {
            ModeArg::Standard => WorkflowMode::Standard,
            ModeArg::Express => WorkflowMode::Express,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Human,
    Json,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum DialectArg {
    /// The current dialect (`Type: StateMachine`, `States:`).
    #[value(name = "cloudflow")]
    CloudFlow,
    /// The legacy Serverless Workflow dialect (`type: flow`, `steps:`).
    Legacy,
}

impl From<DialectArg> for fdl_schema::Dialect {
    fn from(dialect: DialectArg) -> fdl_schema::Dialect {
        match dialect {
            DialectArg::CloudFlow => fdl_schema::Dialect::CloudFlow,
            DialectArg::Legacy => fdl_schema::Dialect::Legacy,
        }
    }
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;
    use clap::error::ErrorKind;

    use super::*;

    fn parse(args: &[&str]) -> Result<Cli, clap::Error> {
        Cli::try_parse_from(std::iter::once("fdl").chain(args.iter().copied()))
    }

    #[test]
    fn definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn check_takes_mode_format_and_paths() {
        let cli = parse(&["check", "--mode", "express", "--format", "json", "a.yaml", "dir"]).unwrap();
        let Command::Check(args) = cli.command else { panic!("not check") };
        assert_eq!(args.mode, Some(ModeArg::Express));
        assert_eq!(args.format, Format::Json);
        assert_eq!(args.paths, [PathBuf::from("a.yaml"), PathBuf::from("dir")]);

        // Alibaba's own spelling of the mode is capitalised; accept it too.
        let cli = parse(&["check", "--mode", "Standard", "x"]).unwrap();
        let Command::Check(args) = cli.command else { panic!("not check") };
        assert_eq!(args.mode, Some(ModeArg::Standard));
        assert_eq!(args.format, Format::Human);
    }

    #[test]
    fn schema_defaults_to_cloudflow() {
        let Command::Schema(args) = parse(&["schema"]).unwrap().command else { panic!("not schema") };
        assert_eq!(args.dialect, DialectArg::CloudFlow);
        let Command::Schema(args) = parse(&["schema", "--dialect", "legacy"]).unwrap().command else {
            panic!("not schema")
        };
        assert_eq!(args.dialect, DialectArg::Legacy);
    }

    #[test]
    fn fmt_and_graph_arguments() {
        let Command::Fmt(args) = parse(&["fmt", "--check", "a.yaml"]).unwrap().command else {
            panic!("not fmt")
        };
        assert!(args.check);
        assert_eq!(args.indent, 2);
        assert_eq!(parse(&["fmt", "--indent", "0", "x"]).unwrap_err().kind(), ErrorKind::ValueValidation);
        let Command::Graph(args) = parse(&["graph", "f.yaml", "--format", "dot"]).unwrap().command else {
            panic!("not graph")
        };
        assert_eq!(args.format, GraphFormat::Dot);
    }

    #[test]
    fn run_and_test_take_their_options() {
        let cli = parse(&[
            "run",
            "f.yaml",
            "--input",
            "@in.json",
            "--mocks",
            "m.yaml",
            "--max-steps",
            "5",
            "--seed",
            "3",
        ])
        .unwrap();
        let Command::Run(args) = cli.command else { panic!("not run") };
        assert_eq!(
            (args.flow, args.input.as_deref(), args.mocks, args.max_steps, args.seed, args.force),
            (PathBuf::from("f.yaml"), Some("@in.json"), Some(PathBuf::from("m.yaml")), 5, Some(3), false)
        );
        let Command::Test(args) = parse(&["test"]).unwrap().command else { panic!("not test") };
        assert!(args.paths.is_empty());
        assert_eq!(parse(&["run"]).unwrap_err().kind(), ErrorKind::MissingRequiredArgument);
        assert_eq!(parse(&["run", "f", "--max-steps", "x"]).unwrap_err().kind(), ErrorKind::ValueValidation);
    }

    #[test]
    fn usage_errors_are_reported_not_panicked() {
        assert_eq!(parse(&[]).unwrap_err().kind(), ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand);
        assert_eq!(parse(&["check"]).unwrap_err().kind(), ErrorKind::MissingRequiredArgument);
        assert_eq!(parse(&["check", "--mode", "fast", "x"]).unwrap_err().kind(), ErrorKind::InvalidValue);
        assert_eq!(parse(&["frobnicate"]).unwrap_err().kind(), ErrorKind::InvalidSubcommand);
    }
}
