//! Code generation: from the checked model to the task builder, its module
//! of types, and (for Rust-native components) the executor.
//!
//! For `fn train(..)` the expansion is:
//!
//! * `fn train(required inputs) -> train::Task`: the task builder
//!   (`task`);
//! * `mod train`: `Task` (optional inputs and task settings as methods,
//!   `outputs()`) and `Outputs` (typed handles) (`task`), `DEFINITION` (how
//!   to build the graph component and, for `#[component]`, run it) and
//!   `ENTRY` (the component or pipeline compiled on its own) (`component`,
//!   `pipeline`), the executor entry of a Rust-native component
//!   (`executor`), and the hidden `__kfp_body`: the function as written
//!   (for a container component or pipeline, with each parameter turned
//!   into its placeholder or handle type). The module imports its parent
//!   (`use super::*`), so the body sees the items of the module the
//!   function is declared in.
//!
//! The model may hold mistakes that the checks reported; the items are
//! generated anyway (with a neutral stand-in for what is wrong, marked
//! "Rejected by the checks"), so that code using them compiles and the
//! user sees one error per mistake.

mod component;
mod executor;
mod interface;
mod param;
mod pipeline;
mod task;

use proc_macro2::TokenStream;
use quote::{format_ident, quote, quote_spanned};
use syn::Ident;
use syn::spanned::Spanned;

use crate::attr::Kind;
use crate::model::Function;
use crate::tokens::lit;

/// Expands the model into the generated items.
pub fn expand(f: &Function) -> TokenStream {
    let name = f.ident();
    let vis = &f.item.vis;
    let fn_name = lit(&name.to_string());
    let body = format_ident!("__kfp_body");
    let builder = task::builder(f);
    let body_item = body_fn(f, &body);
    let task_types = task::task_types(f);
    let definition = match f.kind {
        Kind::Component | Kind::Container => component::definition(f, &fn_name, &body),
        Kind::Pipeline => pipeline::definition(f, &fn_name, &body),
    };
    let what = match f.kind {
        Kind::Pipeline => "pipeline",
        _ => "component",
    };
    let mod_doc = format!("The task and output types of the {what} [`{name}`](fn@{name}).");
    quote! {
        #builder

        #[doc = #mod_doc]
        #[allow(dead_code, unused_imports, non_snake_case)]
        #vis mod #name {
            use super::*;

            #body_item

            #task_types

            #definition
        }
    }
}

/// The body function: the user's function under a hidden name.
fn body_fn(f: &Function, body: &Ident) -> TokenStream {
    let mut item = f.item.clone();
    item.sig.ident = body.clone();
    item.vis = syn::Visibility::Inherited;
    item.attrs.retain(|a| !a.path().is_ident("doc"));
    if f.kind != Kind::Component {
        for (arg, param) in item.sig.inputs.iter_mut().zip(&f.params) {
            if let syn::FnArg::Typed(pt) = arg {
                *pt.ty = param::rewritten_type(f.kind, param);
            }
        }
    }
    if f.kind == Kind::Pipeline && !f.ret.is_result {
        let r = &f.ret.value;
        let span = r.span();
        item.sig.output = syn::parse2(quote_spanned!(span=> -> impl ::kfp_dsl::PipelineReturn<#r>))
            .unwrap_or(item.sig.output);
    }
    quote! {
        #[doc(hidden)]
        #[allow(non_snake_case, clippy::too_many_arguments, dead_code)]
        #item
    }
}
