//! `#[derive(Outputs)]`: a struct of named outputs, returned by a component
//! or pipeline (kfp's `NamedTuple` return). Read into a model (`model`),
//! with every mistake reported, then generated (`expand`).
//!
//! A field is an output parameter (a parameter type), an output artifact
//! (`Output<A>`) or a list of output artifacts (`Vec<Output<A>>`). A struct
//! with artifact fields can only be returned by a pipeline: a component
//! writes its artifacts through `Output<_>` parameters.
//!
//! For `struct Stats { mean: f64, model: Output<Model> }` the derive
//! generates `StatsHandles<Mean = ParamOutput<f64>, Model = ArtifactOutput<Model>>`
//! (the generic names are hidden): with its defaults it is what a task
//! returning `Stats` gives (`task.output()`); a pipeline body builds it
//! from any handles that can be published as each field
//! (`IntoPipelineOutput<field type>`), for instance `collected(..)` outputs
//! of a loop for a `Vec<_>` field.

mod expand;
mod model;

use proc_macro2::TokenStream;
use syn::DeriveInput;

use crate::ctxt::Ctxt;

/// Expands the derive; errors become `compile_error!` (and nothing else is
/// generated).
pub fn derive(input: &DeriveInput) -> TokenStream {
    let mut cx = Ctxt::default();
    match model::OutputsStruct::from_syn(&mut cx, input) {
        Some(outputs) => expand::expand(&outputs),
        None => cx.into_compile_errors(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_struct_with_a_list_of_artifacts_is_not_a_component_return() {
        let input: DeriveInput = syn::parse_quote! {
            struct Stats { mean: f64, best_model: Output<Model> }
        };
        let out = derive(&input).to_string();
        assert!(out.contains("ComponentReturn for Stats"), "{out}");
        assert!(
            out.contains("returned_artifact (& self . best_model)"),
            "{out}"
        );
        assert!(out.contains("__BestModel"), "{out}");
        let input: DeriveInput = syn::parse_quote! {
            struct Gathered { sum: Output<Dataset>, parts: Vec<Output<Dataset>> }
        };
        let out = derive(&input).to_string();
        assert!(out.contains("PipelineOutputType for Gathered"), "{out}");
        assert!(!out.contains("ComponentReturn for Gathered"), "{out}");
        let input: DeriveInput = syn::parse_quote! { struct Vals { a: String } };
        assert!(
            derive(&input)
                .to_string()
                .contains("ComponentReturn for Vals")
        );
    }
}
