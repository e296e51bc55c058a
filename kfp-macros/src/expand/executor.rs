//! The executor entry of a Rust-native component: `__kfp_execute` reads
//! each parameter from the executor input, calls the body, and hands its
//! return value back as outputs (parameters, or artifacts it made).

use proc_macro2::TokenStream;
use quote::quote;
use syn::Ident;

use crate::model::{Function, Param, Role};
use crate::tokens::{default_value, private};

/// The function that runs a Rust-native component's `body` on an
/// executor input.
pub fn executor(f: &Function, body: &Ident) -> TokenStream {
    let p = private();
    let reads = f.params.iter().map(|param| {
        let ident = &param.ident;
        let read = read(param);
        quote!(let #ident = #read;)
    });
    let args = f.params.iter().map(|param| &param.ident);
    let values = if f.ret.rejected {
        // Reported: what the function returns declares no output.
        quote!({
            let _ = __kfp_result;
            ::std::vec::Vec::new()
        })
    } else if f.ret.is_result {
        quote!(#p::ComponentResult::into_outputs(__kfp_result)?)
    } else {
        quote!(#p::ComponentResult::into_outputs(
            ::core::result::Result::<_, ::core::convert::Infallible>::Ok(__kfp_result)
        )?)
    };
    quote! {
        fn __kfp_execute(
            __kfp_input: &#p::ExecutorInput,
        ) -> ::core::result::Result<#p::ExecutorOutput, #p::ExecutorError> {
            let mut __kfp_run = #p::Run::new(__kfp_input);
            #(#reads)*
            let __kfp_result = #body(#(#args),*);
            let __kfp_values = #values;
            ::core::result::Result::Ok(__kfp_run.finish(__kfp_values))
        }
    }
}

/// How the executor gets the value of one parameter from the run.
fn read(param: &Param) -> TokenStream {
    let name = param.name();
    match &param.role {
        Role::Param { ty, .. } => match &param.attrs.default {
            Some(expr) => {
                let value = default_value(ty, expr);
                quote!(__kfp_run.param_with_default::<#ty>(#name, #value)?)
            }
            None => quote!(__kfp_run.param::<#ty>(#name)?),
        },
        Role::InputArtifact {
            artifact,
            list: true,
            ..
        } => quote!(__kfp_run.input_artifacts::<#artifact>(#name)?),
        Role::InputArtifact {
            artifact,
            optional: false,
            ..
        } => quote!(__kfp_run.input_artifact::<#artifact>(#name)?),
        Role::InputArtifact {
            artifact,
            optional: true,
            ..
        } => quote!(__kfp_run.optional_input_artifact::<#artifact>(#name)?),
        Role::OutputArtifact { artifact } => {
            quote!(__kfp_run.output_artifact::<#artifact>(#name)?)
        }
        Role::OutputPath { ty } => quote!(__kfp_run.output_parameter::<#ty>(#name)?),
    }
}
