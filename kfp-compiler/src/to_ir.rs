//! The graph's types as IR types: parameter and artifact types, input and
//! output specs, parameter values, and the sorted maps the IR holds them in.
//!
//! Every part of the compiler that writes IR (components, tasks, groups,
//! Kubernetes settings) maps the graph through these functions, so each
//! mapping is made in one place. The module depends on the graph and
//! `kfp-ir-schema` only.

use kfp_ir_schema::parameter::{ValueError, protobuf_value};
use kfp_ir_schema::{self as ir, CompactString};
use serde_json::Value;

use crate::graph::{ArtifactType, OutputArtifact, ParameterType};

/// The IR type of a parameter type.
pub(crate) fn parameter_type(kind: ParameterType) -> ir::ParameterType {
    match kind {
        ParameterType::String => ir::ParameterType::String,
        ParameterType::Integer => ir::ParameterType::NumberInteger,
        ParameterType::Double => ir::ParameterType::NumberDouble,
        ParameterType::Boolean => ir::ParameterType::Boolean,
        ParameterType::List => ir::ParameterType::List,
        ParameterType::Struct => ir::ParameterType::Struct,
        ParameterType::TaskFinalStatus => ir::ParameterType::TaskFinalStatus,
    }
}

/// `value`, given to a parameter of type `kind` (a task's constant, an
/// input's default, a compile-time argument), as the IR holds it: a
/// `google.protobuf.Value`, whose numbers are doubles.
///
/// # Errors
/// KFP's rule, [`ir::ParameterType::check_given`]: the value is not of the
/// type (a whole-number float is an integer, a fractional one is not), or
/// the type is one KFP sets itself.
pub(crate) fn parameter_value(kind: ParameterType, value: &Value) -> Result<Value, ValueError> {
    let value = parameter_type(kind).check_given(value)?;
    Ok(protobuf_value(&value))
}

/// The IR schema of an artifact type.
pub(crate) fn artifact_type(t: &ArtifactType) -> ir::ArtifactTypeSchema {
    ir::ArtifactTypeSchema {
        kind: Some(ir::ArtifactTypeKind::SchemaTitle(
            t.schema_title.as_str().into(),
        )),
        schema_version: t.schema_version.as_str().into(),
    }
}

/// An output parameter's declaration of type `kind` (no description).
pub(crate) fn output_parameter(kind: ParameterType) -> ir::ComponentOutputParameterSpec {
    ir::ComponentOutputParameterSpec {
        parameter_type: parameter_type(kind),
        ..Default::default()
    }
}

/// An output artifact's declaration (its type and list-ness; no
/// description).
pub(crate) fn output_artifact(a: &OutputArtifact) -> ir::ComponentOutputArtifactSpec {
    ir::ComponentOutputArtifactSpec {
        artifact_type: Some(artifact_type(&a.artifact_type)),
        is_artifact_list: a.is_list,
        ..Default::default()
    }
}

/// A task input that reads `kind`, with no selector.
pub(crate) fn parameter_spec(kind: ir::InputParameterKind) -> ir::InputParameterSpec {
    ir::InputParameterSpec {
        kind: Some(kind),
        parameter_expression_selector: CompactString::default(),
    }
}

/// An input parameter declaration of type `kind` and nothing else, as a
/// group declares the values punched into it.
pub(crate) fn input_parameter(kind: ir::ParameterType) -> ir::ComponentInputParameterSpec {
    ir::ComponentInputParameterSpec {
        parameter_type: kind,
        ..Default::default()
    }
}

/// `inputDefinitions`, left out when there are none (as kfp does).
pub(crate) fn non_empty_inputs(i: ir::ComponentInputsSpec) -> Option<ir::ComponentInputsSpec> {
    (!i.parameters.is_empty() || !i.artifacts.is_empty()).then_some(i)
}

/// `outputDefinitions`, left out when there are none (as kfp does).
pub(crate) fn non_empty_outputs(o: ir::ComponentOutputsSpec) -> Option<ir::ComponentOutputsSpec> {
    (!o.parameters.is_empty() || !o.artifacts.is_empty()).then_some(o)
}

/// Collects `entries` into a map as `VecMap::from_iter` does (of equal
/// keys the last value counts), but sorts their positions rather than the
/// entries: a component, executor or task is hundreds of bytes, which a
/// sort would move a dozen times over. The entries are then put in key
/// order in place, following each cycle of the permutation, and the same
/// vector becomes the map (`from_iter` reuses it, and finds it sorted).
pub(crate) fn sorted_map<V>(mut entries: Vec<(CompactString, V)>) -> ir::VecMap<CompactString, V> {
    // Positions with the first 16 bytes of their key, so that nearly every
    // comparison (names rarely share 16 bytes) stays in this vector instead
    // of reading two keys scattered over the heap: in a large pipeline each
    // such read is a cache miss. Zero-padding keeps the prefixes in the
    // keys' order, and equal prefixes fall back to the whole keys.
    let mut order: Vec<(u128, usize)> = entries
        .iter()
        .enumerate()
        .map(|(i, (key, _))| {
            let mut prefix = [0; 16];
            let len = key.len().min(16);
            prefix[..len].copy_from_slice(&key.as_bytes()[..len]);
            (u128::from_be_bytes(prefix), i)
        })
        .collect();
    // Stable, so equal keys stay in order and `from_iter` keeps the last.
    order.sort_by(|&(pa, a), &(pb, b)| pa.cmp(&pb).then_with(|| entries[a].0.cmp(&entries[b].0)));
    // `order[k].1` is where the entry for position `k` is; `usize::MAX`
    // marks a position already filled.
    for start in 0..order.len() {
        let mut k = start;
        while order[k].1 != usize::MAX {
            let from = std::mem::replace(&mut order[k].1, usize::MAX);
            if from == start {
                break;
            }
            entries.swap(k, from);
            k = from;
        }
    }
    entries.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use serde_json::json;

    use super::*;

    /// `sorted_map` gives what `BTreeMap::from_iter` gives, for every order
    /// of a few keys with repeats (the last value of a key counts).
    #[test]
    fn sorted_map_is_from_iter() {
        let long = "a-name-longer-than-sixteen-bytes";
        let keys = [
            "b",
            "a",
            "c",
            "a",
            "d",
            "b",
            long,
            "a-name-longer-than-sixteen",
            long,
            "a\0",
        ];
        let mut seed: u64 = 7;
        for _ in 0..500 {
            let mut entries: Vec<(CompactString, usize)> = keys
                .iter()
                .enumerate()
                .map(|(i, k)| (CompactString::from(*k), i))
                .collect();
            for i in (1..entries.len()).rev() {
                seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
                entries.swap(i, (seed >> 33) as usize % (i + 1));
            }
            let want: BTreeMap<CompactString, usize> = entries.clone().into_iter().collect();
            assert_eq!(
                sorted_map(entries.clone()),
                ir::VecMap::from(want),
                "{entries:?}"
            );
        }
        assert_eq!(sorted_map::<u8>(Vec::new()), ir::VecMap::new());
    }

    #[test]
    fn parameter_values_follow_kfps_rule_and_are_held_as_doubles() {
        let integer = ParameterType::Integer;
        for whole in [json!(2), json!(2.0)] {
            let value = parameter_value(integer, &whole).unwrap();
            assert_eq!(value, json!(2.0));
            assert!(value.is_f64());
        }
        let err = parameter_value(integer, &json!(2.5)).unwrap_err();
        assert_eq!(
            err.to_string(),
            "expected an integer (NUMBER_INTEGER), got the number 2.5"
        );
        assert_eq!(
            parameter_value(ParameterType::Struct, &json!({"a": [1]})).unwrap(),
            json!({"a": [1.0]})
        );
        assert!(parameter_value(ParameterType::TaskFinalStatus, &json!({})).is_err());
    }
}
