//! The static checks per place and dialect (variables in scope, functions, arguments),
//! and the expressions of the docs' examples, which must check clean.

use expect_test::{Expect, expect};
use fdl_schema::Dialect;

use crate::expr::check::check_text;
use crate::expr::scope::{ExprContext, Place};

fn issues(dialect: Dialect, place: Place, cases: &[&str], expect: Expect) {
    let ctx = ExprContext::new(dialect, place);
    let mut out = String::new();
    for case in cases {
        out.push_str(case);
        out.push('\n');
        for i in check_text(case, &ctx) {
            let fix = i.fix.map(|f| format!(" [fix: {}]", f.title)).unwrap_or_default();
            out.push_str(&format!(
                "  {:?} {} {:?} {:?}: {}{fix}\n",
                i.level,
                i.code.as_str(),
                i.range,
                case.get(i.range.as_usize()).unwrap_or(""),
                i.message
            ));
        }
    }
    expect.assert_eq(&out);
}

#[test]
fn checks_in_cloudflow_parameters() {
    issues(
        Dialect::CloudFlow,
        Place::Parameters,
        &[
            "$Input.videoUrl",
            "$Output.Body",
            "$Item",
            "$input.x",
            "$",
            "$Inptu.x",
            "$Context.Current.Error.Code",
            "$Context.Current.Eror",
            "$Context.Foo",
            "$Context.Execution.Input.anything.goes",
            "lenght($Input.x)",
            "Format(\"{}\", 1)",
            "hash(\"a\", \"MD4\")",
            "hash(\"a\", \"sha256\")",
            "hash(\"a\")",
            "hash(1, \"MD5\")",
            "uuid(1, 2)",
            "length(arrayContains([1], 1))",
            "format(\"{} {}\", 1)",
            "stringToJson(\"{x\")",
            "regexMatchString(\"(\", $Input.s)",
            "split($Input.s)",
            "toBase64(\"x\")",
            "$Input.a + 1",
            "$Input.list[*]",
            "ready",
            "$Input.status == ready",
            "length(format(format(format(format(format(format(format(format(format(format(\"x\")))))))))))",
        ],
        expect![[r#"
            $Input.videoUrl
            $Output.Body
              Error variable-out-of-scope 0..7 "$Output": `$Output` cannot be read in Parameters: `$Output` holds the state's result, so it is only readable in OutputConstructor and GlobalConstructor
            $Item
              Error variable-out-of-scope 0..5 "$Item": `$Item` cannot be read in Parameters: `$Item` is the current element of a distributed Map, only readable in its ItemConstructor
            $input.x
              Error unknown-variable 0..6 "$input": unknown variable `$input`: `$input` is legacy syntax; CloudFlow reads `$Input`, `$Output`, `$Context`, `$Global`, `$Item` (did you mean `$Input`?) [fix: Change to `$Input`]
            $
              Error unknown-variable 0..1 "$": unknown variable `$`: `$` is legacy syntax; CloudFlow reads `$Input`, `$Output`, `$Context`, `$Global`, `$Item` (did you mean `$Input`?) [fix: Change to `$Input`]
            $Inptu.x
              Error unknown-variable 0..6 "$Inptu": unknown variable `$Inptu`: the variables are `$Input`, `$Output`, `$Context`, `$Global`, `$Item` (did you mean `$Input`?) [fix: Change to `$Input`]
            $Context.Current.Error.Code
            $Context.Current.Eror
              Warning unknown-variable 17..21 "Eror": `$Context.Current` has no documented field `Eror`: did you mean `Error`? [fix: Change to `Error`]
            $Context.Foo
              Warning unknown-variable 9..12 "Foo": `$Context` has no documented field `Foo`; its fields are `Execution`, `Current`
            $Context.Execution.Input.anything.goes
            lenght($Input.x)
              Error unknown-function 0..6 "lenght": unknown function `lenght`: did you mean `length`? [fix: Change to `length`]
            Format("{}", 1)
              Error unknown-function 0..6 "Format": unknown function `Format`: did you mean `format`? [fix: Change to `format`]
            hash("a", "MD4")
              Error invalid-argument 10..15 "\"MD4\"": unknown hash algorithm `MD4`: the algorithms are `MD5`, `SHA-1`, `SHA-256`, `SHA-512`
            hash("a", "sha256")
              Error invalid-argument 10..18 "\"sha256\"": unknown hash algorithm `sha256`: write it `SHA-256`
            hash("a")
              Error wrong-arity 0..9 "hash(\"a\")": `hash(input: string, algorithm: string) -> string` takes 2 arguments, but 1 is given
            hash(1, "MD5")
              Error invalid-argument 5..6 "1": `input` of `hash` must be string, but this is integer
            uuid(1, 2)
              Error wrong-arity 5..9 "1, 2": `uuid() -> string` takes 0 arguments, but 2 are given
            length(arrayContains([1], 1))
              Error invalid-argument 7..28 "arrayContains([1], 1)": `value` of `length` must be string | array | object, but this is boolean
            format("{} {}", 1)
              Warning invalid-argument 7..14 "\"{} {}\"": the template has 2 `{}` placeholders but 1 value follows
            stringToJson("{x")
              Error invalid-argument 13..17 "\"{x\"": not valid JSON: key must be a string at line 1 column 2
            regexMatchString("(", $Input.s)
              Warning invalid-argument 17..20 "\"(\"": not a valid regular expression: unclosed group
            split($Input.s)
              Warning wrong-arity 0..15 "split($Input.s)": `split(input: string, separator: string) -> array` takes 2 arguments, but 1 is given (assumed signature)
            toBase64("x")
              Hint undocumented-syntax 0..8 "toBase64": `toBase64` is not confirmed by the docs; the service may not know it
            $Input.a + 1
              Hint undocumented-syntax 9..10 "+": arithmetic (`+`) is not documented for FDL expressions and may be rejected by the service; `intAdd(a, b)` adds integers
            $Input.list[*]
              Hint undocumented-syntax 11..14 "[*]": `[*]` is legacy JSONPath; CloudFlow documents only `[index]`
            ready
              Error not-an-expression 0..5 "ready": `ready` is not an expression: read a value such as `$Input.ready`, call a function, or write a literal such as `"ready"`
            $Input.status == ready
              Error unknown-variable 17..22 "ready": `ready` is not a value: write a string `"ready"` or a field `$Input.ready`; variables start with `$`
            length(format(format(format(format(format(format(format(format(format(format("x")))))))))))
              Error too-deep 70..76 "format": function calls are nested more than 10 levels deep, the documented limit
        "#]],
    );
}

#[test]
fn scopes_per_place() {
    let cases = ["$Output.Body", "$Item.k", "$Global.g", "$Context.Current.TaskToken"];
    issues(
        Dialect::CloudFlow,
        Place::OutputConstructor,
        &cases,
        expect![[r#"
            $Output.Body
            $Item.k
              Error variable-out-of-scope 0..5 "$Item": `$Item` cannot be read in an OutputConstructor: `$Item` is the current element of a distributed Map, only readable in its ItemConstructor
            $Global.g
            $Context.Current.TaskToken
        "#]],
    );
    issues(
        Dialect::CloudFlow,
        Place::ItemConstructor,
        &cases,
        expect![[r#"
            $Output.Body
              Error variable-out-of-scope 0..7 "$Output": `$Output` cannot be read in an ItemConstructor: `$Output` holds the state's result, so it is only readable in OutputConstructor and GlobalConstructor
            $Item.k
            $Global.g
            $Context.Current.TaskToken
        "#]],
    );
}

#[test]
fn checks_in_legacy_places() {
    issues(
        Dialect::Legacy,
        Place::Condition,
        &[
            "$.has_more && ($.event_id >= 4000 || $.total_group_count >= $.total_group_threshold)",
            "$.offset_bytes != -1",
            "$local.x == 1",
            "$input.x == 1",
            "!$.a",
            "$.a in [1]",
            "length($.a) > 1",
            "$.a == null",
            "$.a == 'x'",
            "$Input.a",
        ],
        expect![[r#"
            $.has_more && ($.event_id >= 4000 || $.total_group_count >= $.total_group_threshold)
            $.offset_bytes != -1
            $local.x == 1
              Error variable-out-of-scope 0..6 "$local": `$local` cannot be read in a condition: `$local` is only readable in inputMappings, outputMappings and errorMappings; here `$` is the step's mapped input
            $input.x == 1
              Warning variable-out-of-scope 0..6 "$input": `$input` cannot be read in a condition: outside mappings the docs read the step's input with `$` (`$.key`), not `$input`
            !$.a
              Hint undocumented-syntax 0..1 "!": `!` is not confirmed for legacy conditions; the documented forms are paths, literals, comparisons, `&&`, `||` and parentheses
            $.a in [1]
              Hint undocumented-syntax 4..6 "in": `in` is not confirmed for legacy conditions; the documented forms are paths, literals, comparisons, `&&`, `||` and parentheses
              Hint undocumented-syntax 7..10 "[1]": an array or object literal is not confirmed for legacy conditions; the documented forms are paths, literals, comparisons, `&&`, `||` and parentheses
            length($.a) > 1
              Hint undocumented-syntax 0..6 "length": a function call is not confirmed for legacy conditions; the documented forms are paths, literals, comparisons, `&&`, `||` and parentheses
            $.a == null
              Hint undocumented-syntax 7..11 "null": `null` is not confirmed for legacy conditions; the documented forms are paths, literals, comparisons, `&&`, `||` and parentheses
            $.a == 'x'
              Hint undocumented-syntax 7..10 "'x'": a single-quoted string is not confirmed for legacy conditions; the documented forms are paths, literals, comparisons, `&&`, `||` and parentheses
            $Input.a
              Error unknown-variable 0..6 "$Input": unknown variable `$Input`: `$Input` is a CloudFlow variable; legacy flows read `$`, `$input`, `$local`, `$context` (did you mean `$input`?) [fix: Change to `$input`]
        "#]],
    );
    issues(
        Dialect::Legacy,
        Place::InputMapping { flow_level: false },
        &[
            "$input.key_info[0]",
            "$local[*].parts[*]",
            "$context.task.token",
            "$.x",
            "$input.a == 1",
            "$input[$.i]",
        ],
        expect![[r#"
            $input.key_info[0]
            $local[*].parts[*]
            $context.task.token
            $.x
            $input.a == 1
              Error expression-syntax 0..13 "$input.a == 1": inputMappings takes a JSONPath such as `$input.key`, `$.items[0]` or `$local[*].name`, not an expression
            $input[$.i]
              Error expression-syntax 0..11 "$input[$.i]": inputMappings takes a JSONPath such as `$input.key`, `$.items[0]` or `$local[*].name`, not an expression
        "#]],
    );
    issues(
        Dialect::Legacy,
        Place::InputMapping { flow_level: true },
        &["$input.a", "$local.a"],
        expect![[r#"
            $input.a
            $local.a
              Error variable-out-of-scope 0..6 "$local": `$local` cannot be read in the flow's inputMappings: the flow's inputMappings read the execution input (`$input`); there is no `$local` yet
        "#]],
    );
}

/// Every expression in the doc examples parses and checks clean.
#[test]
fn doc_example_expressions_are_clean() {
    use crate::analysis::expressions::{SiteKind, sites};
    use crate::analysis::model::Flow;
    use crate::syntax::{SourceText, SyntaxTree};

    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/spec/examples");
    if !root.is_dir() {
        eprintln!("note: no example corpus at {}", root.display());
        return;
    }
    let mut files = Vec::new();
    let mut dirs = vec![root.clone()];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let path = entry.path();
            let name = path.to_string_lossy().to_string();
            if path.is_dir() {
                if !name.ends_with("quirks") {
                    dirs.push(path);
                }
            } else if name.ends_with(".yaml") || name.ends_with(".yml") {
                files.push(path);
            }
        }
    }
    let mut seen = 0;
    let mut problems = Vec::new();
    for file in files {
        let Ok(source) = std::fs::read_to_string(&file) else { continue };
        let text = SourceText::new(&source);
        let tree = SyntaxTree::parse(&text);
        let Some(flow) = Flow::new(&tree) else { continue };
        for site in sites(&flow).iter().filter(|s| s.kind == SiteKind::Expression) {
            let Some(value) = site.node.scalar() else { continue };
            seen += 1;
            let ctx = crate::analysis::expressions::context_for(&flow, site);
            for issue in check_text(value, &ctx) {
                problems.push(format!("{}: {value:?}: {}", file.display(), issue.message));
            }
        }
    }
    assert!(seen >= 40, "only {seen} expressions found in the examples");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
