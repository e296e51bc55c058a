//! `#[derive(Outputs)]`: a struct of named outputs, returned by a component
//! or pipeline (kfp's `NamedTuple` return).
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

use proc_macro2::TokenStream;
use quote::{format_ident, quote, quote_spanned};
use syn::spanned::Spanned;
use syn::{Data, DeriveInput, Fields, Ident, LitStr, Type};

use crate::attr::{doc_line, lit};
use crate::model::last_segment;

/// What a field of an outputs struct declares.
#[derive(Clone, Copy)]
pub enum FieldKind<'a> {
    /// An output parameter of the field's type.
    Param,
    /// `Output<A>`, or `Vec<Output<A>>` (`list`).
    Artifact {
        /// The artifact type `A`.
        artifact: &'a Type,
        /// Whether it is a list of artifacts.
        list: bool,
    },
}

/// Reads what a field declares from its type; an error message for types
/// that are inputs or output paths, which have no place in an outputs struct.
pub fn field_kind(ty: &Type) -> Result<FieldKind<'_>, &'static str> {
    const NOT_AN_OUTPUT: &str = "an output field is a parameter type, `Output<A>` (an artifact) \
                                 or `Vec<Output<A>>` (a list of artifacts)";
    match last_segment(ty) {
        Some((id, Some(inner))) if id == "Output" => Ok(FieldKind::Artifact {
            artifact: inner,
            list: false,
        }),
        Some((id, Some(inner))) if id == "Vec" => match last_segment(inner) {
            Some((iid, Some(artifact))) if iid == "Output" => Ok(FieldKind::Artifact {
                artifact,
                list: true,
            }),
            Some((iid, _)) if iid == "Input" || iid == "OutputPath" => Err(NOT_AN_OUTPUT),
            _ => Ok(FieldKind::Param),
        },
        Some((id, _)) if id == "Input" || id == "OutputPath" => Err(NOT_AN_OUTPUT),
        Some((id, Some(inner))) if id == "Option" => match last_segment(inner) {
            Some((iid, _)) if iid == "Input" || iid == "Output" => Err(NOT_AN_OUTPUT),
            _ => Ok(FieldKind::Param),
        },
        _ => Ok(FieldKind::Param),
    }
}

/// One field, with what the expansion needs.
struct Field<'a> {
    ident: &'a Ident,
    name: LitStr,
    ty: &'a Type,
    kind: FieldKind<'a>,
    docs: Vec<String>,
    /// The handles struct's type parameter for this field.
    generic: Ident,
}

impl Field<'_> {
    /// The handle a task returning the struct gives for this field.
    fn task_handle(&self) -> TokenStream {
        let ty = self.ty;
        match &self.kind {
            FieldKind::Param => quote_spanned!(ty.span()=> ::kfp_dsl::ParamOutput<#ty>),
            FieldKind::Artifact {
                artifact,
                list: false,
            } => quote_spanned!(ty.span()=> ::kfp_dsl::ArtifactOutput<#artifact>),
            FieldKind::Artifact {
                artifact,
                list: true,
            } => quote_spanned!(ty.span()=> ::kfp_dsl::ArtifactListOutput<#artifact>),
        }
    }
}

/// `model_name` → `ModelName`.
fn camel_case(name: &str) -> String {
    name.split('_')
        .filter(|part| !part.is_empty())
        .map(|part| {
            let mut chars = part.chars();
            chars
                .next()
                .map(|c| c.to_uppercase().chain(chars).collect::<String>())
                .unwrap_or_default()
        })
        .collect()
}

/// Expands the derive; errors become `compile_error!`.
pub fn derive(input: &DeriveInput) -> TokenStream {
    let name = &input.ident;
    let named = match &input.data {
        Data::Struct(s) => match &s.fields {
            Fields::Named(f) => f.named.iter().collect::<Vec<_>>(),
            _ => {
                return syn::Error::new_spanned(
                    &input.ident,
                    "`#[derive(Outputs)]` needs a struct with named fields: each field is an output",
                )
                .to_compile_error();
            }
        },
        _ => {
            return syn::Error::new_spanned(
                &input.ident,
                "`#[derive(Outputs)]` goes on a struct with named fields",
            )
            .to_compile_error();
        }
    };
    if !input.generics.params.is_empty() {
        return syn::Error::new_spanned(&input.generics, "`#[derive(Outputs)]` cannot be generic")
            .to_compile_error();
    }
    let mut errors = TokenStream::new();
    let mut fields = Vec::new();
    for f in named {
        let Some(ident) = &f.ident else { continue };
        let s = ident.to_string();
        let s = s.strip_prefix("r#").unwrap_or(&s);
        let kind = field_kind(&f.ty).unwrap_or_else(|message| {
            errors.extend(syn::Error::new_spanned(&f.ty, message).to_compile_error());
            FieldKind::Param
        });
        fields.push(Field {
            ident,
            name: lit(s),
            ty: &f.ty,
            kind,
            docs: f
                .attrs
                .iter()
                .filter_map(|a| a.path().is_ident("doc").then(|| doc_line(a)).flatten())
                .collect(),
            generic: format_ident!("__{}", camel_case(s)),
        });
    }
    if !errors.is_empty() {
        return errors;
    }
    let vis = &input.vis;
    let handles = format_ident!("{}Handles", name);
    let p = quote!(::kfp_dsl::__private);
    let idents: Vec<_> = fields.iter().map(|f| f.ident).collect();
    let names: Vec<_> = fields.iter().map(|f| &f.name).collect();
    let tys: Vec<_> = fields.iter().map(|f| f.ty).collect();
    let generics: Vec<_> = fields.iter().map(|f| &f.generic).collect();
    let task_handles: Vec<_> = fields.iter().map(Field::task_handle).collect();
    let field_docs = fields.iter().map(|f| {
        let head = format!("The output `{}`.", f.name.value());
        let lines = &f.docs;
        quote!(#[doc = #head] #(#[doc = #lines])*)
    });
    let handle_doc = format!(
        "Typed handles of the outputs of [`{name}`]: with its default type parameters, what a \
         task returning `{name}` gives; a pipeline declared `-> {name}` returns it built from \
         handles that can be published as each field (`kfp_dsl::IntoPipelineOutput`)."
    );
    let new_handles = quote! {
        #handles { #(#idents: <#task_handles>::__new(task, #names),)* }
    };
    let descriptions: Vec<TokenStream> = fields
        .iter()
        .map(|f| {
            let lines = &f.docs;
            quote!(#p::doc(&[#(#lines),*]))
        })
        .collect();
    let count = fields.len();
    let artifacts = fields
        .iter()
        .any(|f| matches!(f.kind, FieldKind::Artifact { .. }));
    let returned_by = if artifacts {
        // Only a pipeline returns artifacts; a task of it gives the handles.
        // No value of the struct is ever built (the pipeline returns
        // handles), so its fields are marked read for the dead-code lint:
        // they declare the outputs.
        quote! {
            impl #p::PipelineOutputType for #name {
                type Handles = #handles;

                fn handles(task: #p::TaskHandle) -> Self::Handles {
                    #new_handles
                }

                fn descriptions() -> ::std::vec::Vec<(::std::string::String, ::std::string::String)> {
                    [#((#names, #descriptions)),*]
                        .into_iter()
                        .filter_map(|(name, description)| {
                            ::core::option::Option::Some((::std::string::String::from(name), description?))
                        })
                        .collect()
                }
            }

            const _: () = {
                #[allow(dead_code)]
                fn __kfp_declared_outputs(outputs: &#name) {
                    let _ = (#(&outputs.#idents,)*);
                }
            };
        }
    } else {
        let kinds = tys
            .iter()
            .map(|ty| quote_spanned!(ty.span()=> <#ty as ::kfp_dsl::Parameter>::KIND));
        quote! {
            impl #p::ComponentReturn for #name {
                type Handles = #handles;

                fn specs() -> ::std::vec::Vec<#p::graph::OutputParameter> {
                    ::std::vec![#(
                        #p::graph::OutputParameter {
                            name: ::std::string::String::from(#names),
                            kind: #kinds,
                            description: #descriptions,
                        }
                    ),*]
                }

                fn handles(task: #p::TaskHandle) -> Self::Handles {
                    #new_handles
                }

                fn into_values(self) -> ::std::vec::Vec<(&'static str, #p::serde_json::Value)> {
                    ::std::vec![#((#names, ::kfp_dsl::Parameter::to_value(&self.#idents))),*]
                }
            }
        }
    };
    quote! {
        #[doc = #handle_doc]
        #[derive(Clone, Copy, Debug)]
        #vis struct #handles<#(#generics = #task_handles),*> {
            #(
                #field_docs
                pub #idents: #generics,
            )*
        }

        #returned_by

        impl<#(#generics: ::kfp_dsl::IntoPipelineOutput<#tys>),*> ::kfp_dsl::PipelineReturn<#name>
            for #handles<#(#generics),*>
        {
            fn outputs(self) -> ::std::vec::Vec<(&'static str, #p::PublishedOutput)> {
                let __kfp_outputs: [(&'static str, ::core::option::Option<#p::PublishedOutput>); #count] = [#(
                    (#names, ::kfp_dsl::IntoPipelineOutput::<#tys>::into_output_ref(self.#idents))
                ),*];
                __kfp_outputs
                    .into_iter()
                    .filter_map(|(name, output)| output.map(|output| (name, output)))
                    .collect()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::ToTokens;

    fn is_param(ty: Type) -> bool {
        matches!(field_kind(&ty), Ok(FieldKind::Param))
    }

    #[test]
    fn fields_are_parameters_artifacts_or_artifact_lists() {
        assert!(is_param(syn::parse_quote!(f64)));
        assert!(is_param(syn::parse_quote!(Vec<String>)));
        assert!(is_param(syn::parse_quote!(Option<i64>)));
        let ty: Type = syn::parse_quote!(kfp_dsl::Output<Model>);
        match field_kind(&ty) {
            Ok(FieldKind::Artifact { artifact, list }) => {
                assert_eq!(artifact.to_token_stream().to_string(), "Model");
                assert!(!list);
            }
            Ok(FieldKind::Param) => panic!("a parameter"),
            Err(e) => panic!("{e}"),
        }
        let ty: Type = syn::parse_quote!(Vec<Output<Dataset>>);
        assert!(matches!(
            field_kind(&ty),
            Ok(FieldKind::Artifact { list: true, .. })
        ));
    }

    #[test]
    fn inputs_and_output_paths_are_not_outputs() {
        let types: [Type; 4] = [
            syn::parse_quote!(Input<Dataset>),
            syn::parse_quote!(Vec<Input<Dataset>>),
            syn::parse_quote!(Option<Output<Dataset>>),
            syn::parse_quote!(OutputPath<String>),
        ];
        for ty in &types {
            let Err(e) = field_kind(ty) else {
                panic!("accepted as an output")
            };
            assert!(e.starts_with("an output field is"), "{e}");
        }
    }

    #[test]
    fn a_struct_with_artifacts_is_not_a_component_return() {
        let input: DeriveInput = syn::parse_quote! {
            struct Stats { mean: f64, best_model: Output<Model> }
        };
        let out = derive(&input).to_string();
        assert!(out.contains("PipelineOutputType for Stats"), "{out}");
        assert!(!out.contains("ComponentReturn for Stats"), "{out}");
        assert!(out.contains("__BestModel"), "{out}");
        let input: DeriveInput = syn::parse_quote! { struct Vals { a: String } };
        assert!(
            derive(&input)
                .to_string()
                .contains("ComponentReturn for Vals")
        );
    }
}
