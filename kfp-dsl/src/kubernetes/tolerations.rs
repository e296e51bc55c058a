//! Tolerations given as a JSON constant (`add_toleration_json` with a dict
//! or a list): read field by field, as kfp-kubernetes reads them.

use serde_json::{Map, Value};

use super::{TaintEffect, Toleration, TolerationOperator};

/// The fields kfp-kubernetes reads from a toleration given as JSON.
const FIELDS: &[&str] = &["key", "operator", "value", "effect", "toleration_seconds"];

/// The tolerations of `json`, one object or a list of them.
pub(super) fn from_json(json: &Value) -> Result<Vec<Toleration>, String> {
    match json {
        Value::Object(fields) => Ok(vec![toleration(fields)?]),
        Value::Array(items) => items
            .iter()
            .map(|item| match item {
                Value::Object(fields) => toleration(fields),
                other => Err(format!("a toleration is a JSON object, not `{other}`")),
            })
            .collect(),
        other => Err(format!(
            "tolerations are a JSON object or a list of them, not `{other}`"
        )),
    }
}

fn toleration(fields: &Map<String, Value>) -> Result<Toleration, String> {
    if let Some(unknown) = fields.keys().find(|k| !FIELDS.contains(&k.as_str())) {
        return Err(format!(
            "unknown toleration field `{unknown}` (kfp-kubernetes reads {})",
            FIELDS.join(", ")
        ));
    }
    let text = |name: &str| -> Result<Option<String>, String> {
        match fields.get(name) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(other) => Err(format!(
                "the toleration's `{name}` is a string, not `{other}`"
            )),
        }
    };
    let operator = match text("operator")?.as_deref() {
        None => None,
        Some("Equal") => Some(TolerationOperator::Equal),
        Some("Exists") => Some(TolerationOperator::Exists),
        Some(other) => {
            return Err(format!(
                "the toleration's `operator` is `Equal` or `Exists`, not `{other}`"
            ));
        }
    };
    let effect = match text("effect")?.as_deref() {
        None => None,
        Some("NoSchedule") => Some(TaintEffect::NoSchedule),
        Some("PreferNoSchedule") => Some(TaintEffect::PreferNoSchedule),
        Some("NoExecute") => Some(TaintEffect::NoExecute),
        Some(other) => {
            return Err(format!(
                "the toleration's `effect` is `NoSchedule`, `PreferNoSchedule` or `NoExecute`, \
                 not `{other}`"
            ));
        }
    };
    let toleration_seconds = match fields.get("toleration_seconds") {
        None | Some(Value::Null) => None,
        Some(v) => Some(v.as_i64().ok_or_else(|| {
            format!("the toleration's `toleration_seconds` is an integer, not `{v}`")
        })?),
    };
    Ok(Toleration {
        key: text("key")?,
        operator,
        value: text("value")?,
        effect,
        toleration_seconds,
    })
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn tolerations_are_read_as_kfp_kubernetes_reads_them() {
        let one = from_json(&json!({"key": "a", "operator": "Equal", "value": "b"})).unwrap();
        assert_eq!(one, [Toleration::equal("a", "b")]);
        let list = from_json(&json!([
            {"key": "c", "operator": "Exists", "effect": "NoExecute", "toleration_seconds": 30},
            {"key": "d", "operator": "Exists"},
        ]))
        .unwrap();
        assert_eq!(list[0].toleration_seconds, Some(30));
        assert_eq!(list[1], Toleration::exists("d"));
        for (bad, message) in [
            (json!("gpu"), "a JSON object or a list of them"),
            (
                json!({"tolerationSeconds": 3}),
                "unknown toleration field `tolerationSeconds`",
            ),
            (json!({"operator": "In"}), "`Equal` or `Exists`, not `In`"),
            (json!([{"effect": "Never"}]), "not `Never`"),
            (json!({"toleration_seconds": "30"}), "an integer"),
        ] {
            let error = from_json(&bad).unwrap_err();
            assert!(error.contains(message), "{error}");
        }
    }
}
