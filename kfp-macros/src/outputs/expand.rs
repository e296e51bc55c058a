//! Code generation for an outputs struct: `<Name>Handles`, what the
//! struct gives a task returning it (`ComponentReturn` for parameters and
//! artifacts, `PipelineOutputType` when a field is a list of artifacts,
//! which only a pipeline returns), and how a pipeline publishes the
//! handles it returns (`PipelineReturn`).

use proc_macro2::TokenStream;
use quote::{format_ident, quote, quote_spanned};
use syn::Ident;
use syn::spanned::Spanned;

use super::model::{Field, FieldKind, OutputsStruct};
use crate::tokens::private;

/// The generated items.
pub fn expand(s: &OutputsStruct) -> TokenStream {
    let handles = handles_struct(s);
    let returned_by = if s
        .fields
        .iter()
        .any(|f| matches!(f.kind, FieldKind::Artifact { list: true, .. }))
    {
        pipeline_output_type(s)
    } else {
        component_return(s)
    };
    let pipeline_return = pipeline_return(s);
    quote! {
        #handles

        #returned_by

        #pipeline_return
    }
}

/// The name of the handles struct: `<Name>Handles`.
fn handles_ident(s: &OutputsStruct) -> Ident {
    format_ident!("{}Handles", s.ident)
}

/// The handles struct's type parameter for a field (`__ModelName`).
fn generic(field: &Field) -> Ident {
    format_ident!("__{}", camel_case(&field.name.value()))
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

/// The handle a task returning the struct gives for a field.
fn task_handle(field: &Field) -> TokenStream {
    let ty = field.ty;
    match &field.kind {
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

/// A field's description, from its doc comment.
fn description(field: &Field) -> TokenStream {
    let p = private();
    let lines = &field.docs;
    quote!(#p::doc(&[#(#lines),*]))
}

/// `<Name>Handles<__Field = its task handle, ...>`.
fn handles_struct(s: &OutputsStruct) -> TokenStream {
    let name = s.ident;
    let vis = s.vis;
    let handles = handles_ident(s);
    let idents = s.fields.iter().map(|f| f.ident);
    let generics: Vec<Ident> = s.fields.iter().map(generic).collect();
    let task_handles = s.fields.iter().map(task_handle);
    let field_docs = s.fields.iter().map(|f| {
        let head = format!("The output `{}`.", f.name.value());
        let lines = &f.docs;
        quote!(#[doc = #head] #(#[doc = #lines])*)
    });
    let doc = format!(
        "Typed handles of the outputs of [`{name}`]: with its default type parameters, what a \
         task returning `{name}` gives; a pipeline declared `-> {name}` returns it built from \
         handles that can be published as each field (`kfp_dsl::IntoPipelineOutput`)."
    );
    quote! {
        #[doc = #doc]
        #[derive(Clone, Copy, Debug)]
        #vis struct #handles<#(#generics = #task_handles),*> {
            #(
                #field_docs
                pub #idents: #generics,
            )*
        }
    }
}

/// The handles of a task's outputs: `<Name>Handles { field: <its task
/// handle>::__new(task, "field"), ... }`.
fn new_handles(s: &OutputsStruct) -> TokenStream {
    let handles = handles_ident(s);
    let idents = s.fields.iter().map(|f| f.ident);
    let names = s.fields.iter().map(|f| &f.name);
    let task_handles = s.fields.iter().map(task_handle);
    quote! {
        #handles { #(#idents: <#task_handles>::__new(task, #names),)* }
    }
}

/// A field's declaration as an output of a component.
fn output_spec(field: &Field) -> TokenStream {
    let p = private();
    let ty = field.ty;
    let name = &field.name;
    let description = description(field);
    match &field.kind {
        FieldKind::Artifact { artifact, .. } => quote_spanned! {ty.span()=>
            #p::artifact_output_spec::<#artifact>(#name, #description)
        },
        FieldKind::Param => quote_spanned! {ty.span()=>
            #p::OutputSpec::Parameter(#p::graph::OutputParameter {
                name: ::std::string::String::from(#name),
                kind: <#ty as ::kfp_dsl::Parameter>::KIND,
                description: #description,
            })
        },
    }
}

/// A field's value as an output, once the component returned it.
fn output_value(field: &Field) -> TokenStream {
    let p = private();
    let ident = field.ident;
    match &field.kind {
        FieldKind::Artifact { .. } => quote!(#p::returned_artifact(&self.#ident)),
        FieldKind::Param => {
            quote!(#p::OutputValue::Parameter(::kfp_dsl::Parameter::to_value(&self.#ident)))
        }
    }
}

/// A struct of parameters and artifacts: what a component returns (and a
/// pipeline may declare).
fn component_return(s: &OutputsStruct) -> TokenStream {
    let p = private();
    let name = s.ident;
    let handles = handles_ident(s);
    let new_handles = new_handles(s);
    let names: Vec<_> = s.fields.iter().map(|f| &f.name).collect();
    let specs = s.fields.iter().map(output_spec);
    let values = s.fields.iter().map(output_value);
    quote! {
        impl #p::ComponentReturn for #name {
            type Handles = #handles;

            fn specs() -> ::std::vec::Vec<#p::OutputSpec> {
                ::std::vec![#(#specs),*]
            }

            fn handles(task: #p::TaskHandle) -> Self::Handles {
                #new_handles
            }

            fn into_values(self) -> ::std::vec::Vec<(&'static str, #p::OutputValue)> {
                ::std::vec![#((#names, #values)),*]
            }
        }
    }
}

/// A struct with a list of artifacts: only a pipeline returns it; a task of that
/// pipeline gives the handles. No value of the struct is ever built (the
/// pipeline returns handles), so its fields are marked read for the
/// dead-code lint: they declare the outputs.
fn pipeline_output_type(s: &OutputsStruct) -> TokenStream {
    let p = private();
    let name = s.ident;
    let handles = handles_ident(s);
    let new_handles = new_handles(s);
    let idents = s.fields.iter().map(|f| f.ident);
    let names = s.fields.iter().map(|f| &f.name);
    let descriptions = s.fields.iter().map(description);
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
}

/// A pipeline declared `-> Name` returns the handles struct, each field
/// anything that can be published as it (`IntoPipelineOutput`).
fn pipeline_return(s: &OutputsStruct) -> TokenStream {
    let p = private();
    let name = s.ident;
    let handles = handles_ident(s);
    let generics: Vec<Ident> = s.fields.iter().map(generic).collect();
    let tys: Vec<_> = s.fields.iter().map(|f| f.ty).collect();
    let idents = s.fields.iter().map(|f| f.ident);
    let names = s.fields.iter().map(|f| &f.name);
    let count = s.fields.len();
    quote! {
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
