//! Turns YAML text into JSON values for schema validation. User-defined tags (the
//! Funcraft `!Ref Service/Function` in legacy examples) are dropped: the service
//! only ever sees the resolved string.

use saphyr::{LoadableYamlNode, Scalar, Yaml};
use serde_json::{Map, Number, Value};

/// The first document of `text` as JSON.
pub fn to_json(text: &str) -> Result<Value, String> {
    let documents = Yaml::load_from_str(text).map_err(|e| e.to_string())?;
    let document = documents.first().ok_or("no YAML document")?;
    convert(document)
}

fn convert(node: &Yaml<'_>) -> Result<Value, String> {
    Ok(match node {
        Yaml::Value(scalar) => scalar_to_json(scalar),
        Yaml::Representation(text, _, _) => Value::String(text.to_string()),
        Yaml::Tagged(_, inner) => convert(inner)?,
        Yaml::Sequence(items) => Value::Array(items.iter().map(convert).collect::<Result<_, _>>()?),
        Yaml::Mapping(entries) => {
            let mut object = Map::new();
            for (key, value) in entries {
                let key = match convert(key)? {
                    Value::String(text) => text,
                    other => other.to_string(),
                };
                object.insert(key, convert(value)?);
            }
            Value::Object(object)
        }
        Yaml::Alias(_) => return Err("YAML aliases are not used by FDL examples".into()),
        Yaml::BadValue => return Err("invalid YAML value".into()),
    })
}

fn scalar_to_json(scalar: &Scalar<'_>) -> Value {
    match scalar {
        Scalar::Null => Value::Null,
        Scalar::Boolean(b) => Value::Bool(*b),
        Scalar::Integer(i) => Value::from(*i),
        Scalar::FloatingPoint(f) => Number::from_f64(f.into_inner()).map_or(Value::Null, Value::Number),
        Scalar::String(s) => Value::String(s.to_string()),
    }
}
