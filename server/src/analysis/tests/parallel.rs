//! Checking the states of a big document on several threads gives what one thread gives.

use crate::analysis::{CheckOptions, Code, check, passes};
use crate::syntax::{SourceText, SyntaxTree};

/// Every `every`-th occurrence of `from` (counting from 0) replaced by `to`.
fn replace_every(src: &str, from: &str, to: &str, every: usize) -> String {
    let mut out = String::with_capacity(src.len());
    let mut rest = src;
    let mut n = 0;
    while let Some(at) = rest.find(from) {
        out.push_str(&rest[..at]);
        out.push_str(if n % every == 0 { to } else { from });
        rest = &rest[at + from.len()..];
        n += 1;
    }
    out.push_str(rest);
    out
}

#[test]
fn states_checked_on_several_threads_give_what_one_thread_gives() {
    // A generated flow (Chinese names, nested scopes, catalog Actions, expressions) with
    // mistakes of every kind of pass spread over it.
    let mut src = fdl_bench::cloudflow(900);
    src = replace_every(&src, "TaskMode: ", "TaskMode: WaitForSystemCallbak\n    TaskMode: ", 7);
    src = replace_every(&src, "Next: ", "Next: 不存在\n    Nxt: ", 11);
    src = replace_every(&src, "Action: FC:Invoke", "Action: FC:Invok", 5);
    src = replace_every(&src, "orderId.$: $Input.", "orderId.$: length($Input.", 3);
    src = replace_every(&src, "    Name: ", "    Comment: a#b\n    Name: ", 13);
    let text = SourceText::new(&src);
    let tree = SyntaxTree::parse(&text);
    let options = CheckOptions::default();
    let parallel = check(&text, &tree, &options);
    passes::SEQUENTIAL.store(true, std::sync::atomic::Ordering::Relaxed);
    let sequential = check(&text, &tree, &options);
    passes::SEQUENTIAL.store(false, std::sync::atomic::Ordering::Relaxed);
    for code in [Code::DuplicateKey, Code::UnknownState, Code::UnknownKey] {
        assert!(parallel.iter().filter(|d| d.code == code).count() >= 10, "{code:?}");
    }
    assert!(parallel.len() > 1_000, "{}", parallel.len());
    assert_eq!(parallel, sequential);
}
