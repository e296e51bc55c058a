//! The definition of a `#[pipeline]`: `DEFINITION` (how it is recorded
//! when used inside another pipeline), `ENTRY` (for `kfp_dsl::main!`), and
//! `__kfp_record`, which records its graph by running its body with a
//! handle for each input.

use proc_macro2::TokenStream;
use quote::{format_ident, quote, quote_spanned};
use syn::spanned::Spanned;
use syn::{Ident, LitStr};

use super::interface::{arguments, docstring, interface};
use super::param::rewritten_type;
use crate::attr::Kind;
use crate::model::{Function, Param, Role};
use crate::tokens::private;

/// `DEFINITION`, `ENTRY` and their functions for a pipeline whose body
/// function is `body`.
pub fn definition(f: &Function, fn_name: &LitStr, body: &Ident) -> TokenStream {
    let p = private();
    let ret = &f.ret.value;
    let target = format_ident!("__kfp_pipeline");
    let iface = interface(f, &target, false);
    let args = arguments(f, &target);
    let new_pipeline = match &f.args.name {
        Some(n) => quote!(#p::graph::Pipeline::new(#n)),
        None => quote!(#p::graph::Pipeline::from_function_name(#fn_name)),
    };
    let description = match &f.args.description {
        Some(d) => quote!(::core::option::Option::Some(::std::string::String::from(#d))),
        None => docstring(f),
    };
    let display_name = optional_string(f.args.display_name.as_ref());
    let root = optional_string(f.args.pipeline_root.as_ref());
    let config = f.args.pipeline_config.as_ref().map(|config| {
        let given = quote_spanned! {config.span()=>
            let __kfp_config: ::kfp_dsl::PipelineConfig = #config;
        };
        quote! {
            #given
            __kfp_pipeline.config = __kfp_config.__into_graph();
        }
    });
    let describe_output = f.args.output_description.as_ref().map(|d| {
        quote! {
            if let ::core::option::Option::Some(__kfp_output) =
                __kfp_recorded.pipeline.output_mut(#p::SINGLE_OUTPUT)
            {
                __kfp_output.description =
                    ::core::option::Option::Some(::std::string::String::from(#d));
            }
        }
    });
    let outputs = if f.ret.is_result {
        // Rejected by the checks: a `Result` publishes nothing.
        quote!({
            let _ = __kfp_returned;
            ::std::vec::Vec::new()
        })
    } else {
        quote!(#p::pipeline_outputs::<#ret, _>(__kfp_returned))
    };
    let handles = f.params.iter().map(input_handle);
    quote! {
        /// How this pipeline is recorded when used inside another.
        pub static DEFINITION: #p::Definition = #p::Definition {
            key: ::core::concat!(::core::module_path!(), " (", ::core::file!(), ":", ::core::line!(), ")"),
            build: __kfp_build,
            native: ::core::option::Option::None,
            nested: ::core::option::Option::Some(__kfp_record),
        };

        /// This pipeline, for `kfp_dsl::main!`.
        pub const ENTRY: ::kfp_dsl::PipelineEntry = ::kfp_dsl::PipelineEntry {
            function: #fn_name,
            record: __kfp_record,
        };

        fn __kfp_build() -> #p::graph::Component {
            #p::graph::Component::from_pipeline(__kfp_record().pipeline)
        }

        /// Records the pipeline's graph by running its function.
        pub fn __kfp_record() -> #p::Recorded {
            let mut __kfp_pipeline = #new_pipeline;
            __kfp_pipeline.description = #description;
            __kfp_pipeline.display_name = #display_name;
            __kfp_pipeline.pipeline_root = #root;
            #config
            #iface
            #args
            #[allow(unused_mut)]
            let mut __kfp_recorded = #p::record_pipeline(__kfp_pipeline, |__kfp_frame| {
                let __kfp_returned = #body(#(#handles),*);
                #outputs
            });
            for (__kfp_name, __kfp_description) in
                <#ret as #p::PipelineOutputType>::descriptions()
            {
                if let ::core::option::Option::Some(__kfp_output) =
                    __kfp_recorded.pipeline.output_mut(&__kfp_name)
                {
                    __kfp_output.description = ::core::option::Option::Some(__kfp_description);
                }
            }
            #describe_output
            __kfp_recorded
        }
    }
}

/// `Some(String::from(value))`, or `None`.
fn optional_string(value: Option<&LitStr>) -> TokenStream {
    match value {
        Some(s) => quote!(::core::option::Option::Some(::std::string::String::from(#s))),
        None => quote!(::core::option::Option::None),
    }
}

/// The handle the body gets for a parameter, made in the frame
/// `__kfp_frame` being recorded.
fn input_handle(param: &Param) -> TokenStream {
    let name = param.name();
    let ty = rewritten_type(Kind::Pipeline, param);
    match param.role {
        Role::Param { .. } | Role::InputArtifact { .. } => {
            quote!(<#ty>::__new(__kfp_frame, #name))
        }
        // Rejected by the checks; built so nothing else fails.
        Role::OutputArtifact { .. } | Role::OutputPath { .. } => {
            quote!(<#ty>::__new(#name))
        }
    }
}
