//! Tests of the expression language: evaluation tables per operator and per built-in
//! (with the docs' own examples), parser and checker fixtures, and properties (round
//! trip, totality). The editor features on expressions are tested in `ide::expressions`.

use expect_test::{Expect, expect};
use fdl_schema::Dialect;
use serde_json::{Value, json};

use super::ast::shape;
use super::check::check_text;
use super::eval::{Env, evaluate_text};
use super::parse;
use super::printer::print;
use super::scope::{ExprContext, Place};

fn env(dialect: Dialect) -> Env {
    let mut env = Env::new(dialect, Some(42));
    env.input = json!({
        "status": "ready", "n": 3, "f": 2.5, "list": [1, 2, 3], "obj": {"a": 1, "b": [10, 20]},
        "name": "视频", "flag": true, "nothing": null,
        "orders": [{"id": 1, "parts": [1, 2]}, {"id": 2, "parts": [3]}, {"other": 0}]
    });
    env.context = json!({"Execution": {"Name": "exec-1", "Input": {"videoUrl": "u"}}, "Current": {"Name": "S", "Input": {}}});
    env.global = json!({"count": 7});
    env.output = Some(json!({"Body": {"x": "y"}}));
    env.item = Some(json!({"k": 1}));
    env.local = json!({"items": [{"name": "a"}, {"name": "b"}], "error": "E", "cause": "C"});
    env
}

/// Evaluates each case and renders `expression => value` or `expression => error[code] @range: message`.
fn eval_table(dialect: Dialect, cases: &[&str], expect: Expect) {
    let mut out = String::new();
    for case in cases {
        let mut env = env(dialect);
        let result = evaluate_text(case, &mut env);
        match result.value {
            Ok(v) => out.push_str(&format!("{case} => {v}\n")),
            Err(e) => out.push_str(&format!(
                "{case} => error[{}] {:?} {:?}: {}\n",
                e.code,
                e.range,
                case.get(e.range.as_usize()).unwrap_or(""),
                e.message
            )),
        }
    }
    expect.assert_eq(&out);
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

#[test]
fn doc_examples_of_builtins() {
    eval_table(
        Dialect::CloudFlow,
        &[
            r#"arrayContains(["Tom",10],10)"#,
            r#"arrayContains(["Tom",10],"Jack")"#,
            "arrayUnique([1, 2, 3, 1])",
            r#"format("hello {}","world")"#,
            r#"format('Hello, {}', $Input.name)"#,
            r#"fromBase64("Rm5G")"#,
            r#"stringToJson('{"name": "Tom", "age": 10}')"#,
            r#"fromJSON('[1, 2.0]')"#,
            r#"hash("abc","MD5")"#,
            r#"hash("abc","SHA-1")"#,
            r#"hash("abc","SHA-256")"#,
            r#"hash("abc","SHA-512")"#,
            r#"jsonMerge({"name":"Tom","age":10},{"name":"Tom","address":"beijing"})"#,
            r#"jsonMerge({"a":1},{"a":2})"#,
            "length([1,2,3])",
            r#"length({"name":"Tom","age":10})"#,
            r#"length("name")"#,
            r#"length("视频😀")"#,
            "uuid()",
        ],
        expect![[r#"
            arrayContains(["Tom",10],10) => true
            arrayContains(["Tom",10],"Jack") => false
            arrayUnique([1, 2, 3, 1]) => [1,2,3]
            format("hello {}","world") => "hello world"
            format('Hello, {}', $Input.name) => "Hello, 视频"
            fromBase64("Rm5G") => "FnF"
            stringToJson('{"name": "Tom", "age": 10}') => {"name":"Tom","age":10}
            fromJSON('[1, 2.0]') => [1,2.0]
            hash("abc","MD5") => "900150983cd24fb0d6963f7d28e17f72"
            hash("abc","SHA-1") => "a9993e364706816aba3e25717850c26c9cd0d89d"
            hash("abc","SHA-256") => "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
            hash("abc","SHA-512") => "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f"
            jsonMerge({"name":"Tom","age":10},{"name":"Tom","address":"beijing"}) => {"name":"Tom","age":10,"address":"beijing"}
            jsonMerge({"a":1},{"a":2}) => {"a":2}
            length([1,2,3]) => 3
            length({"name":"Tom","age":10}) => 2
            length("name") => 4
            length("视频😀") => 3
            uuid() => "956eeb2f-2632-47bd-83f1-66b233e3ef28"
        "#]],
    );
}

#[test]
fn other_builtins_and_their_errors() {
    eval_table(
        Dialect::CloudFlow,
        &[
            r#"mapKeys({"b": 1, "a": 2})"#,
            r#"mapValues({"b": 1, "a": [2]})"#,
            r#"regexMatchString("^v[0-9]+$", "v12")"#,
            r#"regexMatchString("[0-9]", "abc")"#,
            r#"split("a,b,,c", ",")"#,
            r#"split("视频", "")"#,
            r#"toArray(1, "a", null, [true])"#,
            "toArray()",
            r#"toBase64("FnF")"#,
            r#"get(["a", "b"], 1)"#,
            r#"get(["a"], 5)"#,
            r#"get({"k": "v"}, "k")"#,
            "intAdd(2, 40)",
            "intAdd(9223372036854775807, 1)",
            "randomInt(1, 7)",
            "randomInt(5, 5)",
            r#"format("{} and {}", 1)"#,
            r#"format("{} {}", [1], {"a": null})"#,
            "fromBase64(\"%%\")",
            "fromBase64(\"/w==\")",
            r#"stringToJson("{oops")"#,
            "length(5)",
            "length($Input.n)",
            "mapKeys([1])",
            "intAdd(1.5, 1)",
            r#"regexMatchString("(", "x")"#,
            "uuid(1)",
            "nope(1)",
        ],
        expect![[r#"
            mapKeys({"b": 1, "a": 2}) => ["b","a"]
            mapValues({"b": 1, "a": [2]}) => [1,[2]]
            regexMatchString("^v[0-9]+$", "v12") => true
            regexMatchString("[0-9]", "abc") => false
            split("a,b,,c", ",") => ["a","b","","c"]
            split("视频", "") => ["视","频"]
            toArray(1, "a", null, [true]) => [1,"a",null,[true]]
            toArray() => []
            toBase64("FnF") => "Rm5G"
            get(["a", "b"], 1) => "b"
            get(["a"], 5) => null
            get({"k": "v"}, "k") => "v"
            intAdd(2, 40) => 42
            intAdd(9223372036854775807, 1) => 9223372036854775808
            randomInt(1, 7) => 6
            randomInt(5, 5) => error[invalid-argument] 0..15 "randomInt(5, 5)": randomInt: `max` (5) must be greater than `min` (5)
            format("{} and {}", 1) => error[invalid-argument] 0..22 "format(\"{} and {}\", 1)": format: the template has 2 `{}` placeholders but 1 value is given
            format("{} {}", [1], {"a": null}) => "[1] {\"a\":null}"
            fromBase64("%%") => error[invalid-argument] 11..15 "\"%%\"": fromBase64: not valid Base64: Invalid symbol 37, offset 0.
            fromBase64("/w==") => error[invalid-argument] 11..17 "\"/w==\"": fromBase64: the decoded bytes are not UTF-8 text
            stringToJson("{oops") => error[invalid-argument] 13..20 "\"{oops\"": not valid JSON: key must be a string at line 1 column 2
            length(5) => error[invalid-argument] 7..8 "5": `value` of `length` must be string | array | object, but this is integer
            length($Input.n) => error[invalid-argument] 7..15 "$Input.n": length: the argument must be a string, an array or an object, not an integer
            mapKeys([1]) => error[invalid-argument] 8..11 "[1]": mapKeys: the argument must be an object, not an array
            intAdd(1.5, 1) => error[invalid-argument] 7..10 "1.5": intAdd: the first argument must be an integer, not 1.5
            regexMatchString("(", "x") => error[invalid-argument] 17..20 "\"(\"": regexMatchString: not a valid regular expression: unclosed group
            uuid(1) => error[wrong-arity] 5..6 "1": `uuid() -> string` takes 0 arguments, but 1 is given
            nope(1) => error[unknown-function] 0..4 "nope": unknown function `nope`
        "#]],
    );
}

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

fn syntax(cases: &[&str], expect: Expect) {
    let mut out = String::new();
    for case in cases {
        match parse(case) {
            Ok(e) => out.push_str(&format!("{case} => {}\n", shape(&e))),
            Err(e) => out.push_str(&format!("{case} => error {:?}: {}\n", e.range, e.message)),
        }
    }
    expect.assert_eq(&out);
}

#[test]
fn parser_precedence_and_forms() {
    syntax(
        &[
            "a || b && c == d + e * -f",
            "!a == b",
            "(a || b) && c",
            "1 - 2 - 3",
            "x in [1, 2] || y in {\"k\": 1, n: 2}",
            "$Output.output.choices[0].message.content",
            "$local[*].parts[*]",
            "$.a",
            "f(g(1), [], {})",
            "$Input.视频.名",
            "1.5e3 + 0.25",
            "`raw \\n` + 'it\\'s'",
        ],
        expect![[r#"
            a || b && c == d + e * -f => (|| ident:a (&& ident:b (== ident:c (+ ident:d (* ident:e (- ident:f))))))
            !a == b => (== (! ident:a) ident:b)
            (a || b) && c => (&& (|| ident:a ident:b) ident:c)
            1 - 2 - 3 => (- (- 1 2) 3)
            x in [1, 2] || y in {"k": 1, n: 2} => (|| (in ident:x (array 1 2)) (in ident:y (object ""k":1 "n":2)))
            $Output.output.choices[0].message.content => (.content (.message ([] (.choices (.output $Output)) 0)))
            $local[*].parts[*] => ([*] (.parts ([*] $local)))
            $.a => (.a $)
            f(g(1), [], {}) => (f() (g() 1) (array) (object))
            $Input.视频.名 => (.名 (.视频 $Input))
            1.5e3 + 0.25 => (+ 1500.0 0.25)
            `raw \n` + 'it\'s' => (+ `"raw \\n" '"it's")
        "#]],
    );
}

#[test]
fn parser_errors_are_precise() {
    syntax(
        &[
            "",
            "   ",
            "$Input.status = \"ready\"",
            "$Input.a and $Input.b",
            "$Input.",
            "format(\"a\", ",
            "format(\"a\",)",
            "[1, 2",
            "(1 + 2",
            "1 + 2)",
            "\"unterminated",
            "\"bad \\q escape\"",
            "$Input.f()",
            "a[]",
            "{1: 2}",
            "1 2",
            "#",
            "@x",
        ],
        expect![[r#"
             => error 0..0: the expression is empty
                => error 0..0: the expression is empty
            $Input.status = "ready" => error 14..15: `=` is not an operator: compare with `==`
            $Input.a and $Input.b => error 9..12: use `&&` for a logical and
            $Input. => error 7..7: expected a field name after `.`, found the end of the expression
            format("a",  => error 12..12: a value is missing at the end of the expression
            format("a",) => error 11..12: expected a value after `,`, found `)`
            [1, 2 => error 5..5: expected `,` or `]`, found the end of the expression (to close the `[` at column 1)
            (1 + 2 => error 6..6: expected `)`, found the end of the expression (to close the `(` at column 1)
            1 + 2) => error 5..6: `)` closes nothing
            "unterminated => error 0..13: this string has no closing "
            "bad \q escape" => error 5..7: unknown escape `\q`: use `\\` for a backslash
            $Input.f() => error 8..9: only built-in functions can be called, by their bare name: `name(...)`
            a[] => error 2..3: expected an index between `[` and `]`
            {1: 2} => error 1..2: expected a key (a name or a string), found `1`
            1 2 => error 2..3: expected an operator or the end of the expression, found `2`
            # => error 0..1: expected a value, found `#`
            @x => error 0..1: expected a value, found `@`
        "#]],
    );
}

#[test]
fn nesting_is_bounded() {
    let deep = format!("{}1{}", "(".repeat(100_000), ")".repeat(100_000));
    assert!(parse(&deep).unwrap_err().message.contains("nested too deeply"));
    let bangs = format!("{}true", "!".repeat(100_000));
    assert!(parse(&bangs).is_err());
    let long = vec!["1"; 100_000].join(" + ");
    assert!(parse(&long).is_err());
    let ok = vec!["$Input.a"; 50].join(" && ");
    assert!(parse(&ok).is_ok());
}

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

pub(crate) mod properties {
    use proptest::prelude::*;
    use serde_json::Number;

    use super::super::ast::{BinaryOp, Expr, ExprKind, ObjectEntry, UnaryOp, shape};
    use super::super::check::check_text;
    use super::super::eval::{Env, evaluate_text};
    use super::super::lexer::Quote;
    use super::super::parse;
    use super::super::printer::print;
    use super::super::scope::{ExprContext, Place};
    use crate::syntax::TextRange;
    use fdl_schema::Dialect;

    fn node(kind: ExprKind) -> Expr {
        Expr::new(kind, TextRange::default())
    }

    fn name() -> impl Strategy<Value = String> {
        prop_oneof![
            Just("a".to_string()),
            Just("in".to_string()),
            Just("视频".to_string()),
            "[a-zA-Z_][a-zA-Z0-9_]{0,6}"
        ]
    }

    fn leaf() -> impl Strategy<Value = Expr> {
        prop_oneof![
            Just(node(ExprKind::Null)),
            any::<bool>().prop_map(|b| node(ExprKind::Bool(b))),
            any::<u64>().prop_map(|n| node(ExprKind::Number(Number::from(n)))),
            (0.0f64..1e12)
                .prop_map(|f| node(ExprKind::Number(Number::from_f64(f).unwrap_or(Number::from(0))))),
            (".{0,8}", prop_oneof![Just(Quote::Double), Just(Quote::Single), Just(Quote::Back)])
                // A back-quoted string cannot hold a back-quote.
                .prop_map(|(s, q)| {
                    let q = if q == Quote::Back && s.contains('`') { Quote::Double } else { q };
                    node(ExprKind::String(s, q))
                }),
            prop_oneof![Just("$Input"), Just("$"), Just("$local"), Just("$Context")]
                .prop_map(|v| node(ExprKind::Variable(v.to_string()))),
            "[a-z][a-z0-9_]{0,5}"
                .prop_filter("keywords", |s| !matches!(s.as_str(), "true" | "false" | "null" | "in"))
                .prop_map(|s| node(ExprKind::Ident(s))),
        ]
    }

    fn binary_op() -> impl Strategy<Value = BinaryOp> {
        use BinaryOp::*;
        prop::sample::select(vec![Or, And, Eq, Ne, Lt, Le, Gt, Ge, In, Add, Sub, Mul, Div, Rem])
    }

    fn tree() -> impl Strategy<Value = Expr> {
        leaf().prop_recursive(6, 48, 4, |inner| {
            prop_oneof![
                (inner.clone(), name()).prop_map(|(b, n)| node(ExprKind::Member {
                    base: Box::new(b),
                    name: n,
                    name_range: TextRange::default()
                })),
                (inner.clone(), inner.clone())
                    .prop_map(|(b, i)| node(ExprKind::Index { base: Box::new(b), index: Box::new(i) })),
                inner.clone().prop_map(|b| node(ExprKind::Wildcard { base: Box::new(b) })),
                (
                    // A keyword is never a function name.
                    "[a-z]{1,6}"
                        .prop_filter("keywords", |s| !matches!(s.as_str(), "true" | "false" | "null" | "in")),
                    prop::collection::vec(inner.clone(), 0..3),
                )
                    .prop_map(|(n, args)| node(ExprKind::Call {
                        name: n,
                        name_range: TextRange::default(),
                        args
                    })),
                prop::collection::vec(inner.clone(), 0..3).prop_map(|items| node(ExprKind::Array(items))),
                prop::collection::vec((name(), any::<bool>(), inner.clone()), 0..3).prop_map(|entries| node(
                    ExprKind::Object(
                        entries
                            .into_iter()
                            .map(|(key, quoted, value)| ObjectEntry {
                                key,
                                quote: quoted.then_some(Quote::Double),
                                key_range: TextRange::default(),
                                value,
                            })
                            .collect()
                    )
                )),
                (prop::sample::select(vec![UnaryOp::Not, UnaryOp::Neg]), inner.clone()).prop_map(
                    |(op, e)| node(ExprKind::Unary {
                        op,
                        op_range: TextRange::default(),
                        operand: Box::new(e)
                    })
                ),
                (binary_op(), inner.clone(), inner).prop_map(|(op, l, r)| node(ExprKind::Binary {
                    op,
                    op_range: TextRange::default(),
                    lhs: Box::new(l),
                    rhs: Box::new(r)
                })),
            ]
        })
    }

    /// Text that is mostly expression-like, to reach deep into the parser.
    pub(crate) fn expression_text() -> impl Strategy<Value = String> {
        let piece = prop_oneof![
            Just("$Input".to_string()),
            Just("$".to_string()),
            Just(".".to_string()),
            Just("a".to_string()),
            Just("视".to_string()),
            Just("format(".to_string()),
            Just("hash(".to_string()),
            Just(")".to_string()),
            Just("[".to_string()),
            Just("]".to_string()),
            Just("{".to_string()),
            Just("}".to_string()),
            Just(",".to_string()),
            Just(":".to_string()),
            Just(" == ".to_string()),
            Just(" && ".to_string()),
            Just(" in ".to_string()),
            Just("!".to_string()),
            Just("-".to_string()),
            Just("+".to_string()),
            Just("/".to_string()),
            Just("%".to_string()),
            Just("1".to_string()),
            Just("2.5".to_string()),
            Just("0".to_string()),
            Just("\"s\"".to_string()),
            Just("'q".to_string()),
            Just("`".to_string()),
            Just("\\".to_string()),
            Just("[*]".to_string()),
            Just("null".to_string()),
            ".".prop_map(|s| s),
        ];
        prop::collection::vec(piece, 0..24).prop_map(|v| v.concat())
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

        /// Printing a tree and parsing the text gives the same tree.
        #[test]
        fn print_then_parse_is_the_identity(expr in tree()) {
            let text = print(&expr);
            let parsed = parse(&text).map_err(|e| TestCaseError::fail(format!("{text:?}: {}", e.message)))?;
            prop_assert_eq!(shape(&parsed), shape(&expr), "printed as {:?}", text);
        }

        /// Parse, print, parse: the same tree; and every stage is total on any text.
        #[test]
        fn every_stage_is_total(text in expression_text()) {
            if let Ok(expr) = parse(&text) {
                let printed = print(&expr);
                let again = parse(&printed).map_err(|e| TestCaseError::fail(format!("{printed:?}: {}", e.message)))?;
                prop_assert_eq!(shape(&again), shape(&expr));
                for r in expr.walk().iter().map(|e| e.range) {
                    prop_assert!(r.end as usize <= text.len() && text.is_char_boundary(r.start as usize));
                }
            }
            for dialect in [Dialect::CloudFlow, Dialect::Legacy] {
                let ctx = ExprContext::new(dialect, Place::Condition);
                for issue in check_text(&text, &ctx) {
                    prop_assert!(issue.range.end as usize <= text.len());
                }
                let mut env = Env::new(dialect, Some(1));
                let _ = evaluate_text(&text, &mut env);
            }
        }
    }
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

#[test]
fn printer_output_is_canonical() {
    let printed = |text: &str| print(&parse(text).expect("parses"));
    assert_eq!(printed("$Input.a==1&&!($Input.b||$Input.c)"), "$Input.a == 1 && !($Input.b || $Input.c)");
    assert_eq!(printed("format('{}',`x`)"), "format('{}', `x`)");
    assert_eq!(printed("{\"a b\":[1,-2.5]}"), "{\"a b\": [1, -2.5]}");
    assert_eq!(printed("(1 - 2) - (3 - 4)"), "1 - 2 - (3 - 4)");
}
