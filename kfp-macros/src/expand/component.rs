//! The definition of a component (`#[component]` or
//! `#[container_component]`): `DEFINITION` (how the graph component is
//! built and, for a Rust-native component, run), `ENTRY` (the component
//! compiled on its own, as kfp compiles a single component) and the
//! executor of a Rust-native component.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use syn::{Ident, LitStr};

use super::executor::executor;
use super::interface::{docstring, interface};
use super::param::rewritten_type;
use crate::attr::Kind;
use crate::model::{Function, is_unit};
use crate::tokens::private;

/// `DEFINITION`, `ENTRY` and their functions for a component whose body
/// function is `body`.
pub fn definition(f: &Function, fn_name: &LitStr, body: &Ident) -> TokenStream {
    let p = private();
    let kfp_name_lit = f.args.name.clone().unwrap_or_else(|| fn_name.clone());
    let docs_text = docstring(f);
    let iface = interface(f, &format_ident!("__kfp_component"), true);
    let implementation = implementation(f, fn_name, body);
    let (native, exec) = if f.kind == Kind::Component {
        (
            quote!(::core::option::Option::Some((#fn_name, __kfp_execute as ::kfp_dsl::ExecutorFn))),
            executor(f, body),
        )
    } else {
        (quote!(::core::option::Option::None), quote!())
    };
    quote! {
        /// How this component is described and run.
        pub static DEFINITION: #p::Definition = #p::Definition {
            key: ::core::concat!(::core::module_path!(), " (", ::core::file!(), ":", ::core::line!(), ")"),
            build: __kfp_build,
            native: #native,
            nested: ::core::option::Option::None,
        };

        /// This component compiled on its own as a pipeline (as kfp
        /// compiles a single component).
        pub const ENTRY: ::kfp_dsl::PipelineEntry = ::kfp_dsl::PipelineEntry {
            function: #fn_name,
            record: __kfp_record,
        };

        fn __kfp_record() -> #p::Recorded {
            #p::record_component(&DEFINITION)
        }

        fn __kfp_build() -> #p::graph::Component {
            let mut __kfp_component =
                #p::graph::Component::from_function_name(#kfp_name_lit);
            __kfp_component.description = #docs_text;
            #iface
            __kfp_component.implementation =
                #p::graph::Implementation::Container(#implementation);
            __kfp_component
        }

        #exec
    }
}

/// The component's container: the pipeline binary for a Rust-native
/// component; for a container component, the `ContainerSpec` its body
/// returns when called with a placeholder for each parameter.
fn implementation(f: &Function, fn_name: &LitStr, body: &Ident) -> TokenStream {
    let p = private();
    if f.kind == Kind::Component {
        let image = match &f.args.image {
            Some(i) => quote!(::core::option::Option::Some(#i)),
            None => quote!(::core::option::Option::None),
        };
        return quote!(#p::native_container(#fn_name, #image));
    }
    if is_unit(&f.ret.ty) {
        // Rejected by the checks: no `ContainerSpec` to call for.
        return quote!(#p::graph::ContainerSpec::default());
    }
    let placeholders = f.params.iter().map(|param| {
        let name = param.name();
        let ty = rewritten_type(Kind::Container, param);
        quote!(<#ty>::__new(#name))
    });
    quote!(::kfp_dsl::ContainerSpec::into_graph(#body(#(#placeholders),*)))
}
