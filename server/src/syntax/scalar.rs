//! What a plain YAML scalar means: a boolean, an integer or text. FDL files follow YAML
//! 1.2's core schema in practice (the service parses them with a Go YAML library), so
//! `yes`/`no` are text, not booleans.

/// `true`/`false` in the spellings the core schema accepts.
pub fn parse_bool(s: &str) -> Option<bool> {
    match s {
        "true" | "True" | "TRUE" => Some(true),
        "false" | "False" | "FALSE" => Some(false),
        _ => None,
    }
}

/// A decimal integer (surrounding spaces allowed) or a `0x` hexadecimal one.
pub fn parse_int(s: &str) -> Option<i64> {
    let t = s.trim();
    if let Some(hex) = t.strip_prefix("0x") {
        return i64::from_str_radix(hex, 16).ok();
    }
    t.parse::<i64>().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn core_schema_spellings() {
        assert_eq!(parse_bool("True"), Some(true));
        assert_eq!(parse_bool("FALSE"), Some(false));
        assert_eq!(parse_bool("yes"), None);
        assert_eq!(parse_int(" 42 "), Some(42));
        assert_eq!(parse_int("-7"), Some(-7));
        assert_eq!(parse_int("0x1F"), Some(31));
        assert_eq!(parse_int("1.5"), None);
        assert_eq!(parse_int("12abc"), None);
    }
}
