//! The interface a component or pipeline declares to the graph: its
//! inputs and outputs with their types, defaults and descriptions, and a
//! pipeline's compile-time arguments.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::Ident;
use syn::spanned::Spanned;

use crate::model::{Function, Param, Role};
use crate::tokens::{default_value, private};

/// A description from doc-comment lines (`None` when there are none).
fn docs_tokens(lines: &[String]) -> TokenStream {
    let p = private();
    quote!(#p::doc(&[#(#lines),*]))
}

/// A parameter's description: its `description` attribute, else its doc
/// comment.
fn description(param: &Param) -> TokenStream {
    match &param.attrs.description {
        Some(d) => quote!(::core::option::Option::Some(::std::string::String::from(#d))),
        None => docs_tokens(&param.docs),
    }
}

/// Statements adding the inputs and outputs of the parameters to the
/// component or pipeline `target` (a `graph::Component` or `graph::Pipeline`).
pub fn interface(f: &Function, target: &Ident, outputs: bool) -> TokenStream {
    let mut out = TokenStream::new();
    for param in &f.params {
        out.extend(declare(param, target, outputs));
    }
    if outputs {
        out.extend(return_value(f, target));
    }
    out
}

/// The statement declaring one parameter (nothing for an output when
/// `outputs` is false).
fn declare(param: &Param, target: &Ident, outputs: bool) -> TokenStream {
    let p = private();
    let name = param.name();
    let desc = description(param);
    match &param.role {
        Role::Param { ty, .. } => {
            let default = match &param.attrs.default {
                Some(expr) => {
                    let value = default_value(ty, expr);
                    quote!(::core::option::Option::Some(#value))
                }
                None => quote!(::core::option::Option::None),
            };
            quote_spanned! {ty.span()=>
                #target.inputs.push(#p::graph::InputParameter {
                    name: ::std::string::String::from(#name),
                    kind: <#ty as ::kfp_dsl::Parameter>::KIND,
                    default: #default,
                    optional: <#ty as ::kfp_dsl::Parameter>::OPTIONAL,
                    description: #desc,
                });
            }
        }
        Role::InputArtifact {
            artifact,
            optional,
            list,
        } => quote_spanned! {artifact.span()=>
            #target.input_artifacts.push(#p::graph::InputArtifact {
                name: ::std::string::String::from(#name),
                artifact_type: #p::artifact_type_of::<#artifact>(),
                is_list: #list,
                optional: #optional,
                description: #desc,
            });
        },
        Role::OutputArtifact { artifact } if outputs => quote_spanned! {artifact.span()=>
            #target.output_artifacts.push(#p::graph::OutputArtifact {
                name: ::std::string::String::from(#name),
                artifact_type: #p::artifact_type_of::<#artifact>(),
                is_list: false,
                description: #desc,
            });
        },
        Role::OutputPath { ty } if outputs => quote_spanned! {ty.span()=>
            #target.outputs.push(#p::graph::OutputParameter {
                name: ::std::string::String::from(#name),
                kind: <#ty as ::kfp_dsl::Parameter>::KIND,
                description: #desc,
            });
        },
        _ => TokenStream::new(),
    }
}

/// The statement declaring the outputs of a component's return value
/// (parameters or artifacts), with the `output_description` of the single
/// output.
fn return_value(f: &Function, target: &Ident) -> TokenStream {
    let p = private();
    let r = &f.ret.value;
    let description = match &f.args.output_description {
        Some(d) => quote!(::core::option::Option::Some(#d)),
        None => quote!(::core::option::Option::None),
    };
    let specs = quote_spanned!(r.span()=> <#r as #p::ComponentReturn>::specs());
    quote! {
        #p::declare_return(&mut #target, #specs, #description);
    }
}

/// Statements giving the pipeline `target` its compile-time arguments
/// (`#[kfp(argument = …)]`).
pub fn arguments(f: &Function, target: &Ident) -> TokenStream {
    let mut out = TokenStream::new();
    for param in &f.params {
        if let (Some(expr), Role::Param { ty, .. }) = (&param.attrs.argument, &param.role) {
            let name = param.name();
            let value = default_value(ty, expr);
            out.extend(quote!(#target.set_argument(#name, #value);));
        }
    }
    out
}

/// The description of a component or pipeline from its doc comment.
pub fn docstring(f: &Function) -> TokenStream {
    let p = private();
    let lines = &f.docs;
    quote!(#p::docstring(&[#(#lines),*]))
}
