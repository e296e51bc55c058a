//! The values a parameter input may default to (`#[kfp(default = …)]`),
//! and that a pipeline input may be given when it is compiled
//! (`#[kfp(argument = …)]`): what kfp takes as a Python default.

use serde_json::Value;

use crate::param::Parameter;

/// A value that can be the default of a parameter input of type `T`
/// (`#[kfp(default = …)]`), or a pipeline input's value when it is compiled
/// (`#[kfp(argument = …)]`).
///
/// Implemented for values of type `T` (and of `T` for an `Option<T>`
/// input), `&str` for `String`, an array of `&str` for `Vec<String>`, an
/// integer for a float input (kfp writes `1` as `1.0`, as it does a Python
/// `float` parameter's `= 1`), and a [`serde_json::Value`] for any
/// parameter (`json!({"depth": 3})` for a map or a struct, `json!([…])` for
/// a list of maps): the compiler checks that it is of the input's KFP type
/// (an object for a `STRUCT`, a list for a `LIST`), and the component reads
/// it as `T` when it runs.
///
/// ```
/// use std::collections::BTreeMap;
/// use kfp_dsl::prelude::*;
/// use serde_json::json;
///
/// #[component]
/// fn train(
///     #[kfp(default = json!({"depth": 3, "width": 8}))] config: BTreeMap<String, i64>,
///     #[kfp(default = json!([{"kind": "dense"}]))] layers: Vec<BTreeMap<String, String>>,
///     #[kfp(default = 1)] rate: f64,
/// ) -> String {
///     format!("{config:?} {layers:?} {rate}")
/// }
///
/// #[pipeline]
/// fn training() {
///     train();
/// }
///
/// fn main() {
///     let file = kfp_dsl::compile(training::ENTRY).unwrap();
///     let spec = serde_json::to_value(&file.spec).unwrap();
///     let inputs = &spec["components"]["comp-train"]["inputDefinitions"]["parameters"];
///     assert_eq!(inputs["config"]["defaultValue"], json!({"depth": 3.0, "width": 8.0}));
///     assert_eq!(inputs["layers"]["defaultValue"], json!([{"kind": "dense"}]));
///     assert_eq!(inputs["rate"]["defaultValue"], json!(1.0));
/// }
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be the default of a parameter input of type `{T}`",
    label = "expected a `{T}` value",
    note = "a default is a `{T}` value, or a `serde_json::Value` (`json!(..)`) of the input's KFP \
            type, which the compiler checks"
)]
pub trait ParamDefault<T> {
    /// The default as a JSON value.
    fn default_value(self) -> Value;
}

impl<T: Parameter> ParamDefault<T> for T {
    fn default_value(self) -> Value {
        self.to_value()
    }
}

impl<T: Parameter> ParamDefault<Option<T>> for T {
    fn default_value(self) -> Value {
        self.to_value()
    }
}

impl ParamDefault<String> for &str {
    fn default_value(self) -> Value {
        self.into()
    }
}

impl ParamDefault<Option<String>> for &str {
    fn default_value(self) -> Value {
        self.into()
    }
}

impl<const N: usize> ParamDefault<Vec<String>> for [&str; N] {
    fn default_value(self) -> Value {
        self.into_iter().collect()
    }
}

impl<const N: usize> ParamDefault<Option<Vec<String>>> for [&str; N] {
    fn default_value(self) -> Value {
        self.into_iter().collect()
    }
}

/// Any JSON value; the compiler checks it against the input's KFP type.
impl<T: Parameter> ParamDefault<T> for Value {
    fn default_value(self) -> Value {
        self
    }
}

/// An integer for a float input, as kfp takes a Python `= 1` default of a
/// `float` parameter (and writes it `1.0`).
macro_rules! integer_default_for_float {
    ($($int:ty),*) => {$(
        impl ParamDefault<f64> for $int {
            #[allow(clippy::cast_precision_loss)]
            fn default_value(self) -> Value {
                (self as f64).to_value()
            }
        }
        impl ParamDefault<Option<f64>> for $int {
            #[allow(clippy::cast_precision_loss)]
            fn default_value(self) -> Value {
                (self as f64).to_value()
            }
        }
        impl ParamDefault<f32> for $int {
            #[allow(clippy::cast_precision_loss)]
            fn default_value(self) -> Value {
                (self as f64).to_value()
            }
        }
        impl ParamDefault<Option<f32>> for $int {
            #[allow(clippy::cast_precision_loss)]
            fn default_value(self) -> Value {
                (self as f64).to_value()
            }
        }
    )*};
}
integer_default_for_float!(i8, i16, i32, i64, u8, u16, u32, u64, isize, usize);
