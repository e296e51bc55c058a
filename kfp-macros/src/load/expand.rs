//! The items `load_component!` generates, the same shape as
//! `#[component]`'s: the builder `fn NAME(required inputs) -> NAME::Task`,
//! and `mod NAME` with `Task` (optional inputs and task settings as
//! methods, `outputs()`, and `output()` when there is one output),
//! `Outputs`, `DEFINITION`, `ENTRY` and the artifact types no Rust type
//! stands for.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::names::setter_name;
use super::{Model, Port, PortType, format_words};
use crate::tokens::{lit, param_trait, private};

/// Everything the macro generates for `model`.
pub fn expand(model: &Model) -> TokenStream {
    let p = private();
    let name = &model.name;
    let vis = &model.vis;
    let fn_name = lit(&name.to_string());
    let path = &model.path;
    let absolute = &model.absolute;
    let required: Vec<&Port> = model.inputs.iter().filter(|i| !i.optional).collect();
    let idents = required.iter().map(|i| &i.ident);
    let bounds = required.iter().map(|i| bound(i));
    let bindings = required.iter().map(|i| {
        let kfp = lit(&i.kfp);
        let ident = &i.ident;
        let binding = binding(i, &quote!(#ident));
        quote!((#kfp, #binding))
    });
    let docs = docs(model);
    let setters = model.inputs.iter().filter(|i| i.optional).map(setter);
    let (fields, values): (Vec<_>, Vec<_>) = model.outputs.iter().map(output).unzip();
    let output_method = match model.outputs.as_slice() {
        [one] => {
            let ty = output_type(one);
            let ident = &one.ident;
            let doc = format!("The handle of the component's one output, `{}`.", one.kfp);
            quote! {
                #[doc = #doc]
                pub fn output(&self) -> #ty {
                    self.outputs().#ident
                }
            }
        }
        _ => quote!(),
    };
    let types = model.types.iter().map(|(rust, title, version)| {
        let doc = format!("The artifact type `{title}` (version `{version}`) of this component.");
        quote! {
            ::kfp_dsl::artifact_type! {
                #[doc = #doc]
                pub #rust = #title, #version;
            }
        }
    });
    let task_doc = format!(
        "A task of `{name}`: set optional inputs and task settings, then read its `outputs()`."
    );
    let outputs_doc = format!("The typed outputs of a `{name}` task.");
    let mod_doc =
        format!("The task and output types of the loaded component [`{name}`](fn@{name}).");
    quote! {
        #docs
        #[allow(dead_code, clippy::too_many_arguments)]
        #vis fn #name(#(#idents: #bounds),*) -> #name::Task {
            #name::Task::__new(#p::add_task(&#name::DEFINITION, [#(#bindings),*]))
        }

        #[doc = #mod_doc]
        #[allow(dead_code, unused_imports, non_snake_case, non_camel_case_types)]
        #vis mod #name {
            use super::*;

            /// The component file, embedded: the crate is rebuilt when it
            /// changes, and the component is read from these bytes.
            const FILE: &[u8] = ::core::include_bytes!(#absolute);

            #(#types)*

            /// How this component is described: read from its file.
            pub static DEFINITION: #p::Definition = #p::Definition {
                key: ::core::concat!(::core::module_path!(), " (", ::core::file!(), ":", ::core::line!(), ")"),
                build: __kfp_build,
                native: ::core::option::Option::None,
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
                #p::loaded_component(FILE, #path)
            }

            #[doc = #task_doc]
            #[derive(Clone, Copy, Debug)]
            pub struct Task {
                handle: #p::TaskHandle,
            }

            impl Task {
                #[doc(hidden)]
                pub fn __new(handle: #p::TaskHandle) -> Self {
                    Task { handle }
                }

                #(#setters)*

                /// The typed handles of the task's outputs.
                pub fn outputs(&self) -> Outputs {
                    Outputs { #(#values,)* }
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
            pub struct Outputs {
                #(#fields,)*
            }
        }
    }
}

/// The builder's doc: the component's description, where it was loaded
/// from, its inputs and outputs.
fn docs(model: &Model) -> TokenStream {
    let mut lines: Vec<String> = Vec::new();
    if let Some(description) = &model.component.description {
        lines.extend(description.lines().map(str::to_owned));
        lines.push(String::new());
    }
    lines.push(format!(
        "Loaded from `{}`: {} (`{}`).",
        model.path.value(),
        format_words(&model.component),
        model.component.name
    ));
    for (heading, ports) in [("Inputs", &model.inputs), ("Outputs", &model.outputs)] {
        if ports.is_empty() {
            continue;
        }
        lines.push(String::new());
        lines.push(format!("# {heading}"));
        lines.push(String::new());
        for port in ports {
            let optional = if port.optional { ", optional" } else { "" };
            lines.push(format!(
                "* `{}` (KFP `{}`): {}{optional}",
                port.ident, port.kfp, port.doc
            ));
        }
    }
    lines.push(String::new());
    lines.push(format!(
        "Calling it in a pipeline adds a `{}` task; required inputs are arguments, optional inputs are methods of [`{}::Task`].",
        model.name, model.name
    ));
    quote!(#(#[doc = #lines])*)
}

/// The builder's or setter's argument type for an input.
fn bound(port: &Port) -> TokenStream {
    match &port.ty {
        PortType::Param(ty) => {
            let bound = param_trait(&syn::parse_quote!(#ty));
            quote!(impl #bound<#ty>)
        }
        PortType::Artifact { ty, list: true } => quote!(impl ::kfp_dsl::IntoArtifactList<#ty>),
        PortType::Artifact { ty, list: false } => quote!(impl ::kfp_dsl::IntoArtifact<#ty>),
    }
}

/// The binding of an input given `value`.
fn binding(port: &Port, value: &TokenStream) -> TokenStream {
    match &port.ty {
        PortType::Param(ty) => quote!(::kfp_dsl::IntoParam::<#ty>::into_binding(#value)),
        PortType::Artifact { ty, list: true } => {
            quote!(::kfp_dsl::IntoArtifactList::<#ty>::into_binding(#value))
        }
        PortType::Artifact { ty, list: false } => {
            quote!(::kfp_dsl::IntoArtifact::<#ty>::into_binding(#value))
        }
    }
}

/// The method setting an optional input.
fn setter(port: &Port) -> TokenStream {
    let p = private();
    let method = setter_name(&port.ident.to_string());
    let method = match method.strip_prefix("r#") {
        Some(raw) => format_ident!("r#{raw}"),
        None => format_ident!("{method}"),
    };
    let kfp = lit(&port.kfp);
    let bound = bound(port);
    let binding = binding(port, &quote!(value));
    let doc = format!("Sets the optional input `{}`: {}.", port.kfp, port.doc);
    quote! {
        #[doc = #doc]
        pub fn #method(self, value: #bound) -> Self {
            #p::set_input(self.handle, #kfp, #binding);
            self
        }
    }
}

/// The handle type of an output.
fn output_type(port: &Port) -> TokenStream {
    match &port.ty {
        PortType::Param(ty) => quote!(::kfp_dsl::ParamOutput<#ty>),
        PortType::Artifact { ty, list: true } => quote!(::kfp_dsl::ArtifactListOutput<#ty>),
        PortType::Artifact { ty, list: false } => quote!(::kfp_dsl::ArtifactOutput<#ty>),
    }
}

/// An output's field of `Outputs` and the value `outputs()` gives it.
fn output(port: &Port) -> (TokenStream, TokenStream) {
    let ident = &port.ident;
    let kfp = lit(&port.kfp);
    let ty = output_type(port);
    let doc = format!("The output `{}`: {}.", port.kfp, port.doc);
    let constructor = match &port.ty {
        PortType::Param(_) => quote!(::kfp_dsl::ParamOutput::__new),
        PortType::Artifact { list: true, .. } => quote!(::kfp_dsl::ArtifactListOutput::__new),
        PortType::Artifact { list: false, .. } => quote!(::kfp_dsl::ArtifactOutput::__new),
    };
    (
        quote!(#[doc = #doc] pub #ident: #ty),
        quote!(#ident: #constructor(self.handle, #kfp)),
    )
}
