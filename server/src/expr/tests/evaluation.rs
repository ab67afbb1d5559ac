//! Evaluation: every operator, legacy paths and conditions, seeded randomness, and the cap
//! on the values an expression builds.

use expect_test::expect;
use fdl_schema::Dialect;
use serde_json::{Value, json};

use super::eval_table;
use crate::expr::eval::{Env, evaluate_text};

#[test]
fn operators() {
    eval_table(
        Dialect::CloudFlow,
        &[
            r#"$Input.status=="ready""#,
            r#"$Input.status != `ready`"#,
            "$Input.n >= 3 && $Input.f < 3",
            "$Input.n > 3 || $Input.flag",
            "!$Input.flag",
            "-$Input.n",
            "-$Input.f",
            "1 == 1.0",
            r#""b" > "a""#,
            r#""视" > "a""#,
            "[1, {\"a\": 2}] == [1.0, {\"a\": 2}]",
            "2 in $Input.list",
            r#""a" in $Input.obj"#,
            r#""z" in $Input.obj"#,
            "$Input.obj.b[1]",
            "$Input.list[3]",
            "$Input.list[-1]",
            "$Input.missing.deeper",
            "$Input.name.x",
            "$Input.nothing == null",
            "1 + 2",
            "1 + 2.5",
            r#""a" + "b""#,
            "7 / 2",
            "6 / 3",
            "7 % 4",
            "1 / 0",
            "2 * 3 + 4 * 5",
            "9223372036854775807 * 2",
            "$Input.n < \"4\"",
            "$Input.nothing < 1",
            "$Input.status && true",
            "false && $Input.nothing.x.y",
            "$Context.Execution.Input.videoUrl",
            "$Global.count",
            "$Output.Body.x",
            "$Item.k",
            "$Input.orders[*].id",
            "$Input.orders[*].parts[*]",
        ],
        expect![[r#"
            $Input.status=="ready" => true
            $Input.status != `ready` => false
            $Input.n >= 3 && $Input.f < 3 => true
            $Input.n > 3 || $Input.flag => true
            !$Input.flag => false
            -$Input.n => -3
            -$Input.f => -2.5
            1 == 1.0 => true
            "b" > "a" => true
            "视" > "a" => true
            [1, {"a": 2}] == [1.0, {"a": 2}] => true
            2 in $Input.list => true
            "a" in $Input.obj => true
            "z" in $Input.obj => false
            $Input.obj.b[1] => 20
            $Input.list[3] => error[index-out-of-range] 12..13 "3": index 3 is out of range: the array has 3 elements
            $Input.list[-1] => error[index-out-of-range] 12..14 "-1": index -1 is out of range: the array has 3 elements
            $Input.missing.deeper => null
            $Input.name.x => error[type-mismatch] 0..13 "$Input.name.x": cannot read field `x` of a string
            $Input.nothing == null => true
            1 + 2 => 3
            1 + 2.5 => 3.5
            "a" + "b" => "ab"
            7 / 2 => 3.5
            6 / 3 => 2.0
            7 % 4 => 3
            1 / 0 => error[division-by-zero] 0..5 "1 / 0": division by zero
            2 * 3 + 4 * 5 => 26
            9223372036854775807 * 2 => 18446744073709551614
            $Input.n < "4" => error[type-mismatch] 0..14 "$Input.n < \"4\"": `<` compares two numbers or two strings, not an integer and a string
            $Input.nothing < 1 => error[type-mismatch] 0..18 "$Input.nothing < 1": `<` compares two numbers or two strings, not null and an integer
            $Input.status && true => error[type-mismatch] 0..13 "$Input.status": `&&` needs booleans, not a string
            false && $Input.nothing.x.y => false
            $Context.Execution.Input.videoUrl => "u"
            $Global.count => 7
            $Output.Body.x => "y"
            $Item.k => 1
            $Input.orders[*].id => [1,2]
            $Input.orders[*].parts[*] => [1,2,3]
        "#]],
    );
}

#[test]
fn legacy_paths_and_conditions() {
    eval_table(
        Dialect::Legacy,
        &[
            r#"$.status == "ready""#,
            "$.missing == \"x\"",
            "$.missing >= 4000",
            "$.flag && ($.n >= 4000 || $.n <= 3)",
            "$.nothing",
            "$.missing && true",
            "$input.obj.b[0]",
            "$local[*].name",
            "$local.items[*].name",
            "$local.cause",
            "$",
            "$Input.x",
        ],
        expect![[r#"
            $.status == "ready" => true
            $.missing == "x" => false
            $.missing >= 4000 => false
            $.flag && ($.n >= 4000 || $.n <= 3) => true
            $.nothing => null
            $.missing && true => false
            $input.obj.b[0] => 10
            $local[*].name => []
            $local.items[*].name => ["a","b"]
            $local.cause => "C"
            $ => {"status":"ready","n":3,"f":2.5,"list":[1,2,3],"obj":{"a":1,"b":[10,20]},"name":"视频","flag":true,"nothing":null,"orders":[{"id":1,"parts":[1,2]},{"id":2,"parts":[3]},{"other":0}]}
            $Input.x => error[unknown-variable] 0..6 "$Input": unknown variable `$Input`: `$Input` is a CloudFlow variable; legacy flows read `$`, `$input`, `$local`, `$context` (did you mean `$input`?)
        "#]],
    );
}

#[test]
fn seeded_randomness_is_reproducible() {
    let run = |seed| {
        let mut env = Env::new(Dialect::CloudFlow, Some(seed));
        let a = evaluate_text("toArray(uuid(), randomInt(0, 1000), uuid())", &mut env).value.unwrap();
        let b = evaluate_text("randomInt(-5, 5)", &mut env).value.unwrap();
        (a, b)
    };
    assert_eq!(run(1), run(1));
    assert_ne!(run(1), run(2));
    let mut env = Env::new(Dialect::CloudFlow, None);
    let Ok(Value::String(u)) = evaluate_text("uuid()", &mut env).value else { panic!("uuid") };
    assert_eq!((u.len(), &u[14..15]), (36, "4"));
}

/// Values an expression builds are capped (here at 40 bytes of JSON, to keep the cases
/// short): literals, the arguments of a call together, a call's result, a joined string.
/// Reading a value is not building one, and a value right at the cap passes.
#[test]
fn values_built_are_capped() {
    let mut out = String::new();
    for case in [
        // 20 characters: 22 bytes as JSON.
        "$Input.s",
        "length($Input.s)",
        "$Input.s + $Input.s",
        // 40 bytes as JSON: at the cap; one more is over it.
        "$Input.s + \"123456789012345678\"",
        "$Input.s + \"1234567890123456789\"",
        "[$Input.s, $Input.s]",
        "{\"a\": $Input.s, \"b\": $Input.s}",
        "toArray($Input.s, $Input.s)",
        "format(\"{}{}\", $Input.s, 1)",
        "format(\"{}{}\", $Input.s, $Input.s)",
        "length(split($Input.s, \"\"))",
        "toBase64(toBase64($Input.s))",
    ] {
        let mut env = Env::new(Dialect::CloudFlow, Some(1));
        env.input = json!({"s": "abcdefghijklmnopqrst"});
        env.max_value_bytes = 40;
        match evaluate_text(case, &mut env).value {
            Ok(v) => out.push_str(&format!("{case} => {v}\n")),
            Err(e) => out.push_str(&format!("{case} => error[{}] {:?}: {}\n", e.code, e.range, e.message)),
        }
    }
    expect![[r#"
        $Input.s => "abcdefghijklmnopqrst"
        length($Input.s) => 20
        $Input.s + $Input.s => error[value-too-large] 0..19: the joined string would be over 40 bytes as JSON, the most an expression may build (the service itself allows 64 KiB per state input or output and 256 KiB per global variable)
        $Input.s + "123456789012345678" => "abcdefghijklmnopqrst123456789012345678"
        $Input.s + "1234567890123456789" => error[value-too-large] 0..32: the joined string would be over 40 bytes as JSON, the most an expression may build (the service itself allows 64 KiB per state input or output and 256 KiB per global variable)
        [$Input.s, $Input.s] => error[value-too-large] 0..20: the list would be over 40 bytes as JSON, the most an expression may build (the service itself allows 64 KiB per state input or output and 256 KiB per global variable)
        {"a": $Input.s, "b": $Input.s} => error[value-too-large] 0..30: the object would be over 40 bytes as JSON, the most an expression may build (the service itself allows 64 KiB per state input or output and 256 KiB per global variable)
        toArray($Input.s, $Input.s) => error[value-too-large] 0..27: the arguments of `toArray` together would be over 40 bytes as JSON, the most an expression may build (the service itself allows 64 KiB per state input or output and 256 KiB per global variable)
        format("{}{}", $Input.s, 1) => "abcdefghijklmnopqrst1"
        format("{}{}", $Input.s, $Input.s) => error[value-too-large] 0..34: the arguments of `format` together would be over 40 bytes as JSON, the most an expression may build (the service itself allows 64 KiB per state input or output and 256 KiB per global variable)
        length(split($Input.s, "")) => error[value-too-large] 7..26: the result of `split` would be over 40 bytes as JSON, the most an expression may build (the service itself allows 64 KiB per state input or output and 256 KiB per global variable)
        toBase64(toBase64($Input.s)) => error[value-too-large] 0..28: the result of `toBase64` would be over 40 bytes as JSON, the most an expression may build (the service itself allows 64 KiB per state input or output and 256 KiB per global variable)
    "#]].assert_eq(&out);
}

/// Without a cap, `format` over a big input a thousand times would build a gigabyte.
#[test]
fn the_default_cap_stops_a_format_bomb_early() {
    let mut env = Env::new(Dialect::CloudFlow, Some(1));
    env.input = json!({"s": "x".repeat(100_000)});
    let text = format!("format(\"{}\", {})", "{}".repeat(1000), vec!["$Input.s"; 1000].join(", "));
    let error = evaluate_text(&text, &mut env).value.expect_err("over the cap");
    assert_eq!(error.code, "value-too-large");
    assert!(error.message.contains("over 1 MiB"), "{}", error.message);
    // Ten copies are within it.
    let text = format!("format(\"{}\", {})", "{}".repeat(10), ["$Input.s"; 10].join(", "));
    let value = evaluate_text(&text, &mut env).value.expect("within the cap");
    assert_eq!(value.as_str().map(str::len), Some(1_000_000));
}
