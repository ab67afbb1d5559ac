//! The built-in functions: the docs' own examples, then the other cases and the errors
//! of each.

use expect_test::expect;
use fdl_schema::Dialect;

use super::eval_table;

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
