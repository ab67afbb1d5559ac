//! The language server's input pump on any byte stream: it never panics, and everything it
//! hands on is a JSON-RPC 2.0 message that tower-lsp-server can decode (a request, a
//! notification or a response), so no input can stop the server.

#![no_main]

use libfuzzer_sys::fuzz_target;
use serde_json::Value;

fuzz_target!(|bytes: &[u8]| {
    for body in fdl::lsp::pumped_bodies(bytes) {
        let value: Value = serde_json::from_str(&body).unwrap_or_else(|e| panic!("{e}: {body:?}"));
        assert_eq!(value["jsonrpc"], "2.0", "{body}");
        let id_ok = match value.get("id") {
            None | Some(Value::Null | Value::String(_)) => true,
            Some(Value::Number(n)) => n.is_i64(),
            Some(_) => false,
        };
        assert!(id_ok, "{body}");
        let request = value["method"].is_string();
        let response = value.get("id").is_some() && (value.get("result").is_some() || value.get("error").is_some());
        assert!(request || response, "{body}");
    }
});
