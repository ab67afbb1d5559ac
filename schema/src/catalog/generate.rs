//! Turns the shared OpenAPI catalog (`../shared/catalog`, JSON, about 23 MB) into the
//! compact payloads of `schema/catalog/catalog.bin` (see [`super::format`]).
//!
//! Only what editor support needs is kept: each product's default version (the one CloudFlow
//! calls, as far as the docs tell), API names, summaries and deprecation, and per parameter
//! its name, position, type, required flag, description, enum, bounds, pattern, style and
//! nested fields. API names are sorted so that the index and the product payload list them
//! in the same order and lookups can binary-search. Repeated strings and parameter schemas
//! are stored once per product.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde_json::Value;

use super::format::{self, write::Writer};
use crate::integrations::ParamType;

/// The payloads, before compression.
pub(crate) struct Generated {
    pub(crate) index: Vec<u8>,
    /// One per product of the index, `None` when the product has no API detail.
    pub(crate) products: Vec<Option<Vec<u8>>>,
}

/// `../shared/catalog` seen from the workspace root.
pub(crate) fn shared_catalog_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/catalog")
}

pub(crate) fn generate(dir: &Path) -> Result<Generated, String> {
    let products = read_json(&dir.join("products.json"))?;
    let mut list: Vec<&Value> =
        products["products"].as_array().ok_or("products.json: no `products`")?.iter().collect();
    list.sort_by_key(|p| p["code"].as_str().unwrap_or_default().to_ascii_lowercase());
    let mut index = Writer::default();
    index.varint(list.len() as u64);
    let mut blobs = Vec::with_capacity(list.len());
    for product in list {
        let code = product["code"].as_str().ok_or("a product without `code`")?;
        let detail = match product["file"].as_str() {
            Some(file) => Some(read_json(&dir.join(file))?),
            None => None,
        };
        let version = product["defaultVersion"].as_str().unwrap_or_default();
        index.str(code);
        index.str(product["name"].as_str().unwrap_or_default());
        index.str(product["nameZh"].as_str().unwrap_or_default());
        index.str(product["style"].as_str().unwrap_or_default());
        index.str(version);
        index.varint(product["apiCount"].as_u64().unwrap_or_default());
        let Some(detail) = detail else {
            index.varint(0);
            index.varint(0);
            blobs.push(None);
            continue;
        };
        let versions = detail["versions"].as_object().ok_or_else(|| format!("{code}: no `versions`"))?;
        let apis = versions
            .get(version)
            .and_then(|v| v["apis"].as_object())
            .ok_or_else(|| format!("{code}: no APIs in the default version {version}"))?;
        let mut names: Vec<&String> = apis.keys().collect();
        names.sort();
        index.varint(names.len() as u64);
        for name in &names {
            index.str(name);
            index.u8(u8::from(apis[name.as_str()]["deprecated"].as_bool().unwrap_or(false)));
        }
        // APIs that only other versions have, so a message can say where they are.
        let mut others: Vec<(&str, &str)> = Vec::new();
        for (other, v) in versions {
            if other == version {
                continue;
            }
            for name in v["apis"].as_object().into_iter().flat_map(|a| a.keys()) {
                if !apis.contains_key(name) && !others.iter().any(|(n, _)| n == name) {
                    others.push((name, other));
                }
            }
        }
        others.sort();
        index.varint(others.len() as u64);
        for (name, v) in others {
            index.str(name);
            index.str(v);
        }
        blobs.push(Some(product_payload(code, &names, apis)?));
    }
    Ok(Generated { index: index.buf, products: blobs })
}

fn read_json(path: &Path) -> Result<Value, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))
}

/// Interned strings and schemas of one product.
#[derive(Default)]
struct Tables {
    strings: Vec<String>,
    string_ids: HashMap<String, u64>,
    schemas: Vec<Vec<u8>>,
    schema_ids: HashMap<Vec<u8>, u64>,
}

impl Tables {
    fn string(&mut self, s: &str) -> u64 {
        if let Some(id) = self.string_ids.get(s) {
            return *id;
        }
        let id = self.strings.len() as u64;
        self.strings.push(s.to_owned());
        self.string_ids.insert(s.to_owned(), id);
        id
    }

    fn schema(&mut self, record: Vec<u8>) -> u64 {
        if let Some(id) = self.schema_ids.get(&record) {
            return *id;
        }
        let id = self.schemas.len() as u64;
        self.schemas.push(record.clone());
        self.schema_ids.insert(record, id);
        id
    }
}

fn product_payload(
    code: &str,
    names: &[&String],
    apis: &serde_json::Map<String, Value>,
) -> Result<Vec<u8>, String> {
    let mut t = Tables::default();
    t.string("");
    let mut api_records = Writer::default();
    api_records.varint(names.len() as u64);
    for name in names {
        let api = &apis[name.as_str()];
        let name_id = t.string(name);
        let summary = t.string(api["summary"].as_str().unwrap_or_default());
        let mut ids = Vec::new();
        for param in api["params"].as_array().into_iter().flatten() {
            let param_name =
                param["name"].as_str().ok_or_else(|| format!("{code}:{name}: a nameless parameter"))?;
            ids.push(schema(&mut t, param_name, param, None));
        }
        api_records.varint(name_id);
        api_records.varint(summary);
        api_records.u8(u8::from(api["deprecated"].as_bool().unwrap_or(false)));
        api_records.varint(ids.len() as u64);
        for id in ids {
            api_records.varint(id);
        }
    }
    let mut w = Writer::default();
    w.varint(t.strings.len() as u64);
    for s in &t.strings {
        w.str(s);
    }
    w.varint(t.schemas.len() as u64);
    for s in &t.schemas {
        w.buf.extend_from_slice(s);
    }
    w.buf.extend_from_slice(&api_records.buf);
    Ok(w.buf)
}

fn param_type(value: &Value) -> ParamType {
    match value["type"].as_str() {
        Some("string") => ParamType::String,
        Some("integer") => ParamType::Integer,
        Some("number") => ParamType::Number,
        Some("boolean") => ParamType::Boolean,
        Some("array") => ParamType::Array,
        Some("object") => ParamType::Object,
        _ => ParamType::Any,
    }
}

/// Bounds are strings in the source (`"1"`, `"2147483647"`) and sometimes numbers.
fn bound_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_owned()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// Lengths and item counts; a few sources write 2^63 as a float, meaning "no limit".
fn count(value: &Value) -> Option<u64> {
    match value {
        Value::Number(n) => {
            n.as_u64().or_else(|| n.as_f64().filter(|f| *f >= 0.0 && *f < 1e18).map(|f| f as u64))
        }
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// Writes one parameter (or nested) schema, children first, and returns its id.
/// `required` overrides the record's own flag for object properties, whose requiredness
/// the source gives inside each property.
fn schema(t: &mut Tables, name: &str, value: &Value, required: Option<bool>) -> u64 {
    let items = value.get("items").filter(|v| v.is_object()).map(|v| schema(t, "", v, Some(false)));
    let properties: Vec<u64> = value
        .get("properties")
        .and_then(Value::as_object)
        .map(|props| props.iter().map(|(k, v)| schema(t, k, v, None)).collect())
        .unwrap_or_default();
    let required = required.unwrap_or_else(|| value["required"].as_bool().unwrap_or(false));
    let mut flags = 0;
    let mut fields = Writer::default();
    if required {
        flags |= format::REQUIRED;
    }
    if value["deprecated"].as_bool() == Some(true) {
        flags |= format::DEPRECATED;
    }
    if value["exclusiveMinimum"].as_bool() == Some(true) {
        flags |= format::EXCLUSIVE_MIN;
    }
    if value["exclusiveMaximum"].as_bool() == Some(true) {
        flags |= format::EXCLUSIVE_MAX;
    }
    let s = |key: &str| value[key].as_str().map(str::to_owned);
    text(t, &mut fields, &mut flags, format::HAS_DESCRIPTION, s("description"));
    text(t, &mut fields, &mut flags, format::HAS_LOCATION, s("in"));
    text(t, &mut fields, &mut flags, format::HAS_STYLE, s("style"));
    text(t, &mut fields, &mut flags, format::HAS_FORMAT, s("format"));
    text(t, &mut fields, &mut flags, format::HAS_MIN, bound_text(&value["minimum"]));
    text(t, &mut fields, &mut flags, format::HAS_MAX, bound_text(&value["maximum"]));
    for (flag, key) in [
        (format::HAS_MIN_LENGTH, "minLength"),
        (format::HAS_MAX_LENGTH, "maxLength"),
        (format::HAS_MIN_ITEMS, "minItems"),
        (format::HAS_MAX_ITEMS, "maxItems"),
    ] {
        if let Some(n) = count(&value[key]) {
            flags |= flag;
            fields.varint(n);
        }
    }
    text(t, &mut fields, &mut flags, format::HAS_PATTERN, s("pattern"));
    if let Some(values) = value["enum"].as_array().filter(|v| !v.is_empty()) {
        flags |= format::HAS_ENUM;
        fields.varint(values.len() as u64);
        for v in values {
            let v = match v {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            fields.varint(t.string(&v));
        }
    }
    if let Some(items) = items {
        flags |= format::HAS_ITEMS;
        fields.varint(items);
    }
    if !properties.is_empty() {
        flags |= format::HAS_PROPERTIES;
        fields.varint(properties.len() as u64);
        for p in properties {
            fields.varint(p);
        }
    }
    let mut record = Writer::default();
    record.varint(t.string(name));
    record.u8(format::type_code(param_type(value)));
    record.varint(flags);
    record.buf.extend_from_slice(&fields.buf);
    t.schema(record.buf)
}

/// Appends an optional string field and sets its flag.
fn text(t: &mut Tables, fields: &mut Writer, flags: &mut u64, flag: u64, s: Option<String>) {
    if let Some(s) = s.filter(|s| !s.is_empty()) {
        *flags |= flag;
        fields.varint(t.string(&s));
    }
}
