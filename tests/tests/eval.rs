//! End-to-end tests of `fdl eval`: values on stdout, errors with code and position on
//! stderr, exit codes, data from arguments and files, both dialects, seeded randomness.

mod support;

use support::{Scratch, arg, fdl};

#[test]
fn prints_values_as_json() {
    for (expression, value) in [
        (r#"hash("abc","MD5")"#, r#""900150983cd24fb0d6963f7d28e17f72""#),
        (r#"format("hello {}","world")"#, r#""hello world""#),
        (r#"length("name")"#, "4"),
        (
            r#"jsonMerge({"name":"Tom","age":10},{"name":"Tom","address":"beijing"})"#,
            r#"{"name":"Tom","age":10,"address":"beijing"}"#,
        ),
        ("arrayUnique([1, 2, 3, 1])", "[1,2,3]"),
        (r#"fromBase64("Rm5G")"#, r#""FnF""#),
        ("-1.5", "-1.5"),
    ] {
        let run = fdl(&["eval", expression]);
        assert_eq!(
            (run.code, run.stdout.as_str(), run.stderr.as_str()),
            (0, format!("{value}\n").as_str(), ""),
            "{expression}"
        );
    }
}

#[test]
fn reads_input_and_context_from_arguments_and_files() {
    let run = fdl(&["eval", r#"$Input.status == "ready""#, "--input", r#"{"status": "ready"}"#]);
    assert_eq!((run.code, run.stdout.as_str()), (0, "true\n"), "{run:#?}");

    let scratch = Scratch::new("eval");
    let input = scratch.file("input.json", "\u{feff}{\"视频\": {\"size\": 2048}}");
    let run =
        fdl(&["eval", "$Context.Current.Input.视频.size >= 1024", "--input", &format!("@{}", arg(&input))]);
    assert_eq!((run.code, run.stdout.as_str()), (0, "true\n"), "{run:#?}");

    let run = fdl(&["eval", "$Context.Execution.Name", "--context", r#"{"Execution": {"Name": "e1"}}"#]);
    assert_eq!(run.stdout, "\"e1\"\n", "{run:#?}");

    let run = fdl(&["eval", "$Output.Body.x", "--output", r#"{"Body": {"x": [1, 2.0]}}"#]);
    assert_eq!(run.stdout, "[1,2.0]\n", "{run:#?}");
}

#[test]
fn legacy_dialect() {
    let run = fdl(&[
        "eval",
        "--dialect",
        "legacy",
        r#"$.has_more && ($.event_id >= 4000 || $.n == "x")"#,
        "--input",
        r#"{"has_more": true, "event_id": 4001}"#,
    ]);
    assert_eq!((run.code, run.stdout.as_str()), (0, "true\n"), "{run:#?}");
    let run = fdl(&[
        "eval",
        "--dialect",
        "legacy",
        "$local[*].name",
        "--local",
        r#"[{"name": "a"}, {"name": "b"}]"#,
    ]);
    assert_eq!(run.stdout, "[\"a\",\"b\"]\n", "{run:#?}");
}

#[test]
fn errors_have_a_code_and_a_position() {
    let run = fdl(&["eval", r#"$Input.a == 1 && lenght("视频") > 1"#]);
    assert_eq!(run.code, 1, "{run:#?}");
    assert_eq!(run.stdout, "");
    assert_eq!(
        run.stderr,
        concat!(
            "error[unknown-function]: unknown function `lenght`: did you mean `length`?\n",
            " --> expression:1:18\n",
            "  |\n",
            "1 | $Input.a == 1 && lenght(\"视频\") > 1\n",
            "  |                  ^^^^^^\n",
        )
    );

    let run = fdl(&["eval", r#"hash("a", "MD4")"#]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.starts_with("error[invalid-argument]: unknown hash algorithm `MD4`"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains(" --> expression:1:11\n"), "{}", run.stderr);

    let run = fdl(&["eval", "$Input.status = 1"]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.starts_with("error[expression-syntax]: `=` is not an operator"), "{}", run.stderr);

    let run = fdl(&["eval", "$Input.list[5]", "--input", r#"{"list": [1]}"#]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.starts_with("error[index-out-of-range]: "), "{}", run.stderr);

    let run = fdl(&["eval", "$Output.x"]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.starts_with("error[missing-value]: `$Output` has no value here"), "{}", run.stderr);
}

#[test]
fn undocumented_syntax_is_a_hint_not_a_failure() {
    let run = fdl(&["eval", "$Input.n + 1", "--input", r#"{"n": 41}"#]);
    assert_eq!((run.code, run.stdout.as_str()), (0, "42\n"), "{run:#?}");
    assert!(run.stderr.starts_with("hint[undocumented-syntax]: arithmetic (`+`)"), "{}", run.stderr);
}

#[test]
fn seeded_randomness_repeats() {
    let once = fdl(&["eval", "toArray(uuid(), randomInt(0, 100))", "--seed", "7"]);
    let twice = fdl(&["eval", "toArray(uuid(), randomInt(0, 100))", "--seed", "7"]);
    assert_eq!(once.code, 0, "{once:#?}");
    assert_eq!(once.stdout, twice.stdout);
    let other = fdl(&["eval", "toArray(uuid(), randomInt(0, 100))", "--seed", "8"]);
    assert_ne!(once.stdout, other.stdout);
}

#[test]
fn bad_data_is_a_usage_error() {
    let run = fdl(&["eval", "$Input", "--input", "{bad"]);
    assert_eq!(run.code, 2, "{run:#?}");
    assert_eq!(run.stdout, "");
    assert!(run.stderr.starts_with("error: --input: the argument is not valid JSON"), "{}", run.stderr);

    let run = fdl(&["eval", "$Input", "--input", "@/definitely/not/here.json"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.starts_with("error: --input @/definitely/not/here.json: cannot read the file"),
        "{}",
        run.stderr
    );

    let run = fdl(&["eval"]);
    assert_eq!(run.code, 2);
    let run = fdl(&["eval", "1", "--dialect", "yaml"]);
    assert_eq!(run.code, 2);
}

/// `format` over a big input many times is refused before it is built, with the cap named;
/// the same call a few times over gives its value.
#[test]
fn values_over_the_cap_are_refused_early() {
    let scratch = Scratch::new("eval-cap");
    let input = scratch.file("big.json", format!(r#"{{"s": "{}"}}"#, "x".repeat(100_000)));
    let input = format!("@{}", arg(&input));
    let call = |n: usize| format!("format(\"{}\", {})", "{}".repeat(n), vec!["$Input.s"; n].join(", "));
    let run = fdl(&["eval", &call(500), "--input", &input]);
    assert_eq!((run.code, run.stdout.as_str()), (1, ""), "{run:#?}");
    assert!(
        run.stderr.starts_with(
            "error[value-too-large]: the arguments of `format` together would be over 1 MiB as JSON"
        ),
        "{}",
        run.stderr
    );
    let run = fdl(&["eval", &format!("length({})", call(5)), "--input", &input]);
    assert_eq!((run.code, run.stdout.as_str()), (0, "500000\n"), "{run:#?}");
}
