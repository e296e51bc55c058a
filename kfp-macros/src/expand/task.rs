//! The task side of a component or pipeline: the builder function that
//! adds a task (required inputs as arguments), and in its module the
//! `Task` type (optional inputs as methods, `outputs()`, `output()`, task
//! settings) and `Outputs`, the typed handles of the task's outputs.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;
use syn::{Ident, LitStr};

use super::param::{binding, input_bound};
use crate::attr::Kind;
use crate::model::{Function, Param, Role, is_unit};
use crate::tokens::private;

/// The builder: `fn name(required inputs) -> name::Task`, which adds a
/// task to the pipeline being recorded.
pub fn builder(f: &Function) -> TokenStream {
    let p = private();
    let name = f.ident();
    let vis = &f.item.vis;
    let docs = f.item.attrs.iter().filter(|a| a.path().is_ident("doc"));
    let lints = f.lints();
    let required: Vec<&Param> = f.params.iter().filter(|p| p.is_required_input()).collect();
    let idents: Vec<&Ident> = required.iter().map(|p| &p.ident).collect();
    let bounds: Vec<TokenStream> = required.iter().map(|p| input_bound(p)).collect();
    let names: Vec<LitStr> = required.iter().map(|p| p.name()).collect();
    let bindings: Vec<TokenStream> = required
        .iter()
        .map(|p| {
            let ident = &p.ident;
            binding(p, &quote!(#ident))
        })
        .collect();
    let note = format!(
        "\n\nCalling it in a pipeline adds a `{name}` task; required inputs are arguments, \
         optional inputs are methods of [`{name}::Task`].\n\n# Panics\n\nWhen called \
         outside a `#[pipeline]` function, where there is no pipeline to add the task to."
    );
    quote! {
        #(#docs)*
        #[doc = #note]
        #[allow(dead_code, clippy::too_many_arguments)]
        #(#lints)*
        #[track_caller]
        #vis fn #name(#(#idents: #bounds),*) -> #name::Task {
            #name::Task::__new(#p::add_task(
                &#name::DEFINITION,
                [#((#names, #bindings)),*],
            ))
        }
    }
}

/// `Task` and `Outputs`, in the function's module.
pub fn task_types(f: &Function) -> TokenStream {
    let p = private();
    let name = f.ident();
    let setters = f
        .params
        .iter()
        .filter(|p| p.is_input() && !p.is_required_input())
        .map(setter);
    let (fields, values): (Vec<_>, Vec<_>) = f.params.iter().filter_map(|p| output(f, p)).unzip();
    let ret = ReturnValue::of(f);
    let (ret_field, ret_value, output_method) = (&ret.field, &ret.value, &ret.method);
    let task_doc = format!(
        "A task calling `{name}`: set optional inputs and task settings, then read its `outputs()`."
    );
    let outputs_doc = format!("The typed outputs of a `{name}` task.");
    let lints: Vec<_> = f.lints().collect();
    quote! {
        #[doc = #task_doc]
        #[derive(Clone, Copy, Debug)]
        pub struct Task {
            handle: #p::TaskHandle,
        }

        #(#lints)*
        impl Task {
            #[doc(hidden)]
            pub fn __new(handle: #p::TaskHandle) -> Self {
                Task { handle }
            }

            #(#setters)*

            /// The typed handles of the task's outputs.
            pub fn outputs(&self) -> Outputs {
                Outputs {
                    #(#values,)*
                    #ret_value
                }
            }

            #output_method
        }

        impl ::kfp_dsl::TaskSettings for Task {
            fn task_handle(&self) -> #p::TaskHandle {
                self.handle
            }
        }

        #[doc = #outputs_doc]
        #[derive(Clone, Copy, Debug)]
        #(#lints)*
        pub struct Outputs {
            #(#fields,)*
            #ret_field
        }
    }
}

/// The method setting an optional input.
fn setter(param: &Param) -> TokenStream {
    let p = private();
    let ident = &param.ident;
    let name = param.name();
    let bound = input_bound(param);
    let bind = binding(param, &quote!(value));
    let doc = format!("Sets the optional input `{}`.", name.value());
    let extra = param.docs.iter();
    quote! {
        #[doc = #doc]
        #[doc = ""]
        #(#[doc = #extra])*
        #[track_caller]
        pub fn #ident(self, value: #bound) -> Self {
            #p::set_input(self.handle, #name, #bind);
            self
        }
    }
}

/// For an output parameter of a component: its field of `Outputs` and the
/// value `outputs()` gives it.
fn output(f: &Function, param: &Param) -> Option<(TokenStream, TokenStream)> {
    if f.kind == Kind::Pipeline {
        // Rejected by the checks: a pipeline's outputs are what it returns.
        return None;
    }
    let ident = &param.ident;
    let name = param.name();
    let doc = format!("The output `{}`.", name.value());
    match &param.role {
        Role::OutputArtifact { artifact } => Some((
            quote!(#[doc = #doc] pub #ident: ::kfp_dsl::ArtifactOutput<#artifact>),
            quote!(#ident: ::kfp_dsl::ArtifactOutput::__new(self.handle, #name)),
        )),
        Role::OutputPath { ty } => Some((
            quote!(#[doc = #doc] pub #ident: ::kfp_dsl::ParamOutput<#ty>),
            quote!(#ident: ::kfp_dsl::ParamOutput::__new(self.handle, #name)),
        )),
        _ => None,
    }
}

/// What the return value gives a task: a field of `Outputs`, its value in
/// `outputs()`, and the `output()` method (all empty for `()`).
struct ReturnValue {
    field: TokenStream,
    value: TokenStream,
    method: TokenStream,
}

impl ReturnValue {
    fn of(f: &Function) -> ReturnValue {
        let p = private();
        let ret = &f.ret.value;
        if is_unit(ret) {
            return ReturnValue {
                field: quote!(),
                value: quote!(),
                method: quote!(),
            };
        }
        // A component's return value, or for a pipeline also an
        // `Output<A>` artifact.
        let ret_trait = match f.kind {
            Kind::Pipeline => quote!(#p::PipelineOutputType),
            _ => quote!(#p::ComponentReturn),
        };
        let span = ret.span();
        ReturnValue {
            field: quote_spanned!(span=> #[doc = "The return value: the output named `Output`."] pub output: <#ret as #ret_trait>::Handles,),
            value: quote!(output: <#ret as #ret_trait>::handles(self.handle),),
            method: quote_spanned! {span=>
                /// The handle of the return value (the output named `Output`).
                pub fn output(&self) -> <#ret as #ret_trait>::Handles {
                    <#ret as #ret_trait>::handles(self.handle)
                }
            },
        }
    }
}
