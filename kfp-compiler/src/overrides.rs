//! Compile-time overrides of a compiled pipeline: kfp's
//! `Compiler.compile(pipeline_name=..., pipeline_display_name=...,
//! pipeline_parameters=...)` and `kfp dsl compile --pipeline-parameters`.
//!
//! As in kfp, they change the IR, not the pipeline: the name and display
//! name in `pipelineInfo`, and the defaults of root input parameters. A
//! default given this way does not make the input optional (kfp sets only
//! `defaultValue`).
//!
//! ```
//! use kfp_compiler::Overrides;
//! use kfp_ir_schema as ir;
//!
//! let mut spec = ir::PipelineSpec::default();
//! spec.root = Some(ir::ComponentSpec {
//!     input_definitions: Some(ir::ComponentInputsSpec {
//!         parameters: [(
//!             "epochs".into(),
//!             ir::ComponentInputParameterSpec {
//!                 parameter_type: ir::ParameterType::NumberInteger,
//!                 ..Default::default()
//!             },
//!         )]
//!         .into_iter()
//!         .collect(),
//!         ..Default::default()
//!     }),
//!     ..Default::default()
//! });
//! let overrides = Overrides::default().parameter("epochs", 5);
//! overrides.apply(&mut spec).unwrap();
//! let epochs = &spec.root.unwrap().input_definitions.unwrap().parameters["epochs"];
//! assert_eq!(epochs.default_value, Some(serde_json::json!(5.0)));
//! assert!(!epochs.is_optional);
//! ```

use std::collections::BTreeMap;

use kfp_ir_schema::parameter::protobuf_value;
use kfp_ir_schema::{self as ir, ParameterType};
use serde_json::Value;

/// What to change in a compiled pipeline (see the [module docs](self)).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Overrides {
    /// Replaces `pipelineInfo.name`.
    pub pipeline_name: Option<String>,
    /// Replaces `pipelineInfo.displayName`.
    pub display_name: Option<String>,
    /// New defaults of pipeline input parameters, by name; `null` leaves
    /// an input as it is (as in kfp).
    pub parameters: BTreeMap<String, Value>,
}

/// Why overrides could not be applied.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum OverrideError {
    /// The new pipeline name is not one the KFP backend accepts.
    #[error(
        "pipeline name `{name}` is not allowed: it must match ^[a-z0-9][a-z0-9-]{{0,127}}$ \
         (lower-case letters, digits and `-`, at most 128)"
    )]
    InvalidName {
        /// The name given.
        name: String,
    },
    /// A parameter names no input of the pipeline.
    #[error(
        "pipeline parameter `{name}` does not match any input of the pipeline (its inputs: {known})"
    )]
    UnknownParameter {
        /// The parameter given.
        name: String,
        /// The pipeline's input parameters, comma-separated.
        known: String,
    },
    /// A parameter names an input artifact.
    #[error("pipeline input `{name}` is an artifact: an artifact input cannot have a default")]
    ArtifactDefault {
        /// The input.
        name: String,
    },
    /// A value does not fit the input's type.
    #[error("pipeline parameter `{name}` has type {expected}, but it is given {value}")]
    TypeMismatch {
        /// The input.
        name: String,
        /// The input's type.
        expected: &'static str,
        /// The value given.
        value: Value,
    },
}

impl Overrides {
    /// No change.
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }

    /// Adds a new default for pipeline input `name`.
    pub fn parameter(mut self, name: impl Into<String>, value: impl Into<Value>) -> Self {
        self.parameters.insert(name.into(), value.into());
        self
    }

    /// Applies the overrides to `spec`. Nothing is changed when any
    /// parameter is wrong.
    ///
    /// # Errors
    /// When the new name is not one KFP accepts, a parameter names no input
    /// parameter of the pipeline, or a value does not fit its input's type.
    pub fn apply(&self, spec: &mut ir::PipelineSpec) -> Result<(), OverrideError> {
        if let Some(name) = &self.pipeline_name
            && !kfp_ir_schema::validate::valid_pipeline_name(name)
        {
            return Err(OverrideError::InvalidName { name: name.clone() });
        }
        let inputs = spec
            .root
            .as_mut()
            .and_then(|r| r.input_definitions.as_mut());
        let mut defaults = Vec::new();
        for (name, value) in &self.parameters {
            let declared = inputs
                .as_ref()
                .and_then(|i| i.parameters.get(name.as_str()));
            let Some(declared) = declared else {
                if inputs
                    .as_ref()
                    .is_some_and(|i| i.artifacts.contains_key(name.as_str()))
                {
                    return Err(OverrideError::ArtifactDefault { name: name.clone() });
                }
                let known = inputs.as_ref().map_or_else(String::new, |i| {
                    let names: Vec<&str> = i.parameters.keys().map(|k| k.as_str()).collect();
                    names.join(", ")
                });
                return Err(OverrideError::UnknownParameter {
                    name: name.clone(),
                    known: if known.is_empty() {
                        "none".to_owned()
                    } else {
                        known
                    },
                });
            };
            if value.is_null() {
                continue;
            }
            let value = check_type(name, declared.value_type(), value)?;
            defaults.push((name.as_str(), protobuf_value(&value)));
        }
        if let Some(inputs) = inputs {
            for (name, value) in defaults {
                if let Some(p) = inputs.parameters.get_mut(name) {
                    p.default_value = Some(value);
                }
            }
        }
        if self.pipeline_name.is_some() || self.display_name.is_some() {
            let info = spec.pipeline_info.get_or_insert_with(Default::default);
            if let Some(name) = &self.pipeline_name {
                info.name = name.as_str().into();
            }
            if let Some(display_name) = &self.display_name {
                info.display_name = display_name.as_str().into();
            }
        }
        Ok(())
    }
}

/// `value`, checked by KFP's rule ([`ParameterType::check_given`]: a
/// whole-number float is an integer, a fractional one is not) to be a
/// default of a parameter of type `kind`.
fn check_type(name: &str, kind: ParameterType, value: &Value) -> Result<Value, OverrideError> {
    kind.check_given(value)
        .map_err(|_| OverrideError::TypeMismatch {
            name: name.to_owned(),
            expected: kind.as_str(),
            value: value.clone(),
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn spec() -> ir::PipelineSpec {
        let parameter = |kind| ir::ComponentInputParameterSpec {
            parameter_type: kind,
            ..Default::default()
        };
        ir::PipelineSpec {
            pipeline_info: Some(ir::PipelineInfo {
                name: "p".into(),
                ..Default::default()
            }),
            root: Some(ir::ComponentSpec {
                input_definitions: Some(ir::ComponentInputsSpec {
                    parameters: [
                        ("text".into(), parameter(ParameterType::String)),
                        ("n".into(), parameter(ParameterType::NumberInteger)),
                        ("items".into(), parameter(ParameterType::List)),
                    ]
                    .into_iter()
                    .collect(),
                    artifacts: [("data".into(), Default::default())].into_iter().collect(),
                }),
                ..Default::default()
            }),
            ..Default::default()
        }
    }

    fn parameter(spec: &ir::PipelineSpec, name: &str) -> ir::ComponentInputParameterSpec {
        spec.root
            .as_ref()
            .unwrap()
            .input_definitions
            .as_ref()
            .unwrap()
            .parameters[name]
            .clone()
    }

    #[test]
    fn names_and_defaults_are_replaced_as_kfp_does() {
        let mut s = spec();
        let o = Overrides {
            pipeline_name: Some("renamed".into()),
            display_name: Some("Renamed".into()),
            ..Overrides::default()
        }
        .parameter("text", "hello")
        .parameter("n", 3)
        .parameter("items", json!([1, "a"]));
        o.apply(&mut s).unwrap();
        let info = s.pipeline_info.as_ref().unwrap();
        assert_eq!(
            (info.name.as_str(), info.display_name.as_str()),
            ("renamed", "Renamed")
        );
        assert_eq!(parameter(&s, "text").default_value, Some(json!("hello")));
        assert!(!parameter(&s, "text").is_optional);
        assert!(parameter(&s, "n").default_value.unwrap().is_f64());
        assert_eq!(
            parameter(&s, "items").default_value,
            Some(json!([1.0, "a"]))
        );
    }

    #[test]
    fn null_leaves_an_input_alone() {
        let mut s = spec();
        Overrides::default()
            .parameter("text", Value::Null)
            .apply(&mut s)
            .unwrap();
        assert_eq!(s, spec());
    }

    #[test]
    fn wrong_parameters_change_nothing_and_say_why() {
        let cases = [
            (
                "missing",
                json!(1),
                "does not match any input of the pipeline (its inputs: items, n, text)",
            ),
            ("data", json!("x"), "is an artifact"),
            (
                "n",
                json!(1.5),
                "has type NUMBER_INTEGER, but it is given 1.5",
            ),
            ("text", json!(2), "has type STRING, but it is given 2"),
        ];
        let mut s = spec();
        let renamed = Overrides {
            pipeline_name: Some("Not A Name".into()),
            ..Overrides::default()
        };
        let error = renamed.apply(&mut s).unwrap_err().to_string();
        assert!(error.contains("`Not A Name` is not allowed"), "{error}");
        assert_eq!(s, spec());
        for (name, value, expected) in cases {
            let mut s = spec();
            // A good parameter beside the wrong one is not applied either.
            let o = Overrides::default()
                .parameter("items", json!([]))
                .parameter(name, value);
            let error = o.apply(&mut s).unwrap_err().to_string();
            assert!(error.contains(expected), "{name}: {error}");
            assert_eq!(s, spec(), "{name}");
        }
    }

    /// KFP's rule: a whole-number float is an integer, a fractional one
    /// never is.
    #[test]
    fn an_integer_default_may_be_a_whole_number_float() {
        let mut s = spec();
        Overrides::default()
            .parameter("n", 2.0)
            .apply(&mut s)
            .unwrap();
        let n = parameter(&s, "n").default_value.unwrap();
        assert_eq!(n, json!(2.0));
        assert!(n.is_f64());
        let error = Overrides::default()
            .parameter("n", 2.5)
            .apply(&mut spec())
            .unwrap_err();
        assert_eq!(
            error.to_string(),
            "pipeline parameter `n` has type NUMBER_INTEGER, but it is given 2.5"
        );
    }

    #[test]
    fn no_overrides_is_empty() {
        assert!(Overrides::default().is_empty());
        assert!(!Overrides::default().parameter("a", 1).is_empty());
    }
}
