//! The parser: precedence and forms as tree shapes, errors with their exact ranges, the
//! nesting bound, and the printer's canonical output.

use expect_test::{Expect, expect};

use crate::expr::ast::shape;
use crate::expr::parse;
use crate::expr::printer::print;

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

#[test]
fn printer_output_is_canonical() {
    let printed = |text: &str| print(&parse(text).expect("parses"));
    assert_eq!(printed("$Input.a==1&&!($Input.b||$Input.c)"), "$Input.a == 1 && !($Input.b || $Input.c)");
    assert_eq!(printed("format('{}',`x`)"), "format('{}', `x`)");
    assert_eq!(printed("{\"a b\":[1,-2.5]}"), "{\"a b\": [1, -2.5]}");
    assert_eq!(printed("(1 - 2) - (3 - 4)"), "1 - 2 - (3 - 4)");
}
