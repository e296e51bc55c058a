//! Code generation: from the model to the task builder, its module of
//! types, and (for Rust-native components) the executor.
//!
//! For `fn train(..)` the expansion is:
//!
//! * `fn train(required inputs) -> train::Task`: the task builder;
//! * `mod train`: `Task` (optional inputs and task settings as methods,
//!   `outputs()`), `Outputs` (typed handles), `DEFINITION` (how to build the
//!   graph component and, for `#[component]`, run it), `ENTRY` (the
//!   component or pipeline compiled on its own), and the hidden
//!   `__kfp_body`: the function as written (for a container component or
//!   pipeline, with each parameter turned into its placeholder or handle
//!   type). The module imports its parent (`use super::*`), so the body sees
//!   the items of the module the function is declared in.

use proc_macro2::TokenStream;
use quote::{format_ident, quote, quote_spanned};
use syn::spanned::Spanned;
use syn::{Ident, LitStr, Type};

use crate::attr::{Kind, lit};
use crate::model::{Function, Param, Role, is_unit};

/// The path of the runtime support module.
fn private() -> TokenStream {
    quote!(::kfp_dsl::__private)
}

/// The KFP name of a parameter (its identifier without `r#`).
fn kfp_name(ident: &Ident) -> LitStr {
    let s = ident.to_string();
    lit(s.strip_prefix("r#").unwrap_or(&s))
}

fn docs_tokens(lines: &[String]) -> TokenStream {
    let p = private();
    quote!(#p::doc(&[#(#lines),*]))
}

fn description(param: &Param) -> TokenStream {
    match &param.attrs.description {
        Some(d) => quote!(::core::option::Option::Some(::std::string::String::from(#d))),
        None => docs_tokens(&param.docs),
    }
}

/// Statements adding the inputs and outputs of the parameters to the
/// component or pipeline `target` (a `graph::Component` or `graph::Pipeline`).
fn interface(f: &Function, target: &Ident, outputs: bool) -> TokenStream {
    let p = private();
    let mut out = TokenStream::new();
    for param in &f.params {
        let name = kfp_name(&param.ident);
        let desc = description(param);
        match &param.role {
            Role::Param { ty, .. } => {
                let default = match &param.attrs.default {
                    Some(expr) => quote_spanned! {expr.span()=>
                        ::core::option::Option::Some(#p::default_value::<#ty, _>(#expr))
                    },
                    None => quote!(::core::option::Option::None),
                };
                out.extend(quote_spanned! {ty.span()=>
                    #target.inputs.push(#p::graph::InputParameter {
                        name: ::std::string::String::from(#name),
                        kind: <#ty as ::kfp_dsl::Parameter>::KIND,
                        default: #default,
                        optional: <#ty as ::kfp_dsl::Parameter>::OPTIONAL,
                        description: #desc,
                    });
                });
            }
            Role::InputArtifact {
                artifact,
                optional,
                list,
            } => out.extend(quote_spanned! {artifact.span()=>
                #target.input_artifacts.push(#p::graph::InputArtifact {
                    name: ::std::string::String::from(#name),
                    artifact_type: #p::artifact_type_of::<#artifact>(),
                    is_list: #list,
                    optional: #optional,
                    description: #desc,
                });
            }),
            Role::OutputArtifact { artifact } if outputs => {
                out.extend(quote_spanned! {artifact.span()=>
                    #target.output_artifacts.push(#p::graph::OutputArtifact {
                        name: ::std::string::String::from(#name),
                        artifact_type: #p::artifact_type_of::<#artifact>(),
                        is_list: false,
                        description: #desc,
                    });
                })
            }
            Role::OutputPath { ty } if outputs => out.extend(quote_spanned! {ty.span()=>
                #target.outputs.push(#p::graph::OutputParameter {
                    name: ::std::string::String::from(#name),
                    kind: <#ty as ::kfp_dsl::Parameter>::KIND,
                    description: #desc,
                });
            }),
            _ => {}
        }
    }
    if outputs {
        let r = &f.ret.value;
        out.extend(quote_spanned! {r.span()=>
            #target.outputs.extend(<#r as #p::ComponentReturn>::specs());
        });
        if let Some(d) = &f.args.output_description {
            out.extend(quote! {
                for output in &mut #target.outputs {
                    if output.name == #p::SINGLE_OUTPUT {
                        output.description = ::core::option::Option::Some(::std::string::String::from(#d));
                    }
                }
            });
        }
    }
    out
}

/// Statements giving the pipeline `target` its compile-time arguments
/// (`#[kfp(argument = …)]`).
fn arguments(f: &Function, target: &Ident) -> TokenStream {
    let p = private();
    let mut out = TokenStream::new();
    for param in &f.params {
        if let (Some(expr), Role::Param { ty, .. }) = (&param.attrs.argument, &param.role) {
            let name = kfp_name(&param.ident);
            out.extend(quote_spanned! {expr.span()=>
                #target.set_argument(#name, #p::default_value::<#ty, _>(#expr));
            });
        }
    }
    out
}

/// The type the body sees for a parameter of a container component or a
/// pipeline.
fn rewritten_type(kind: Kind, param: &Param) -> Type {
    let p = private();
    let ty = match (&param.role, kind) {
        (Role::Param { ty, .. }, Kind::Container) => quote!(#p::InputValue<#ty>),
        (
            Role::InputArtifact {
                artifact,
                list: true,
                ..
            },
            Kind::Container,
        ) => {
            quote!(#p::InputArtifactList<#artifact>)
        }
        (Role::InputArtifact { artifact, .. }, Kind::Container) => {
            quote!(#p::InputArtifact<#artifact>)
        }
        (Role::OutputArtifact { artifact }, Kind::Container) => {
            quote!(#p::OutputArtifact<#artifact>)
        }
        (Role::OutputPath { ty }, _) => quote!(#p::OutputParameter<#ty>),
        (Role::Param { ty, .. }, _) => quote!(::kfp_dsl::PipelineParam<#ty>),
        (
            Role::InputArtifact {
                artifact,
                list: true,
                ..
            },
            _,
        ) => {
            quote!(::kfp_dsl::PipelineArtifacts<#artifact>)
        }
        (Role::InputArtifact { artifact, .. }, _) => quote!(::kfp_dsl::PipelineArtifact<#artifact>),
        (Role::OutputArtifact { artifact }, _) => quote!(#p::OutputArtifact<#artifact>),
    };
    let ty_span = param.ty.span();
    syn::parse2(quote_spanned!(ty_span=> #ty)).unwrap_or_else(|_| param.ty.clone())
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
                *pt.ty = rewritten_type(f.kind, param);
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

/// The builder's argument type for a required input.
fn input_bound(param: &Param) -> TokenStream {
    match &param.role {
        Role::Param { ty, .. } => quote_spanned!(ty.span()=> impl ::kfp_dsl::IntoParam<#ty>),
        Role::InputArtifact {
            artifact,
            list: true,
            ..
        } => quote_spanned!(artifact.span()=> impl ::kfp_dsl::IntoArtifactList<#artifact>),
        Role::InputArtifact { artifact, .. } => {
            quote_spanned!(artifact.span()=> impl ::kfp_dsl::IntoArtifact<#artifact>)
        }
        _ => quote!(()),
    }
}

/// The conversion of a builder argument `value` into a binding.
fn binding(param: &Param, value: &TokenStream) -> TokenStream {
    match &param.role {
        Role::Param { ty, .. } => quote!(::kfp_dsl::IntoParam::<#ty>::into_binding(#value)),
        Role::InputArtifact {
            artifact,
            list: true,
            ..
        } => quote!(::kfp_dsl::IntoArtifactList::<#artifact>::into_binding(#value)),
        Role::InputArtifact { artifact, .. } => {
            quote!(::kfp_dsl::IntoArtifact::<#artifact>::into_binding(#value))
        }
        _ => quote!(::core::option::Option::None),
    }
}

/// The executor of a Rust-native component.
fn executor(f: &Function, body: &Ident) -> TokenStream {
    let p = private();
    let mut reads = TokenStream::new();
    let mut args = Vec::new();
    for param in &f.params {
        let ident = &param.ident;
        let name = kfp_name(ident);
        let read = match &param.role {
            Role::Param { ty, .. } => match &param.attrs.default {
                Some(expr) => quote_spanned! {expr.span()=>
                    __kfp_run.param_with_default::<#ty>(#name, #p::default_value::<#ty, _>(#expr))?
                },
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
        };
        reads.extend(quote!(let #ident = #read;));
        args.push(ident);
    }
    let result = if f.ret.is_result {
        quote!(__kfp_result)
    } else {
        quote!(::core::result::Result::<_, ::core::convert::Infallible>::Ok(__kfp_result))
    };
    quote! {
        fn __kfp_execute(
            __kfp_input: &#p::ExecutorInput,
        ) -> ::core::result::Result<#p::ExecutorOutput, #p::ExecutorError> {
            let mut __kfp_run = #p::Run::new(__kfp_input);
            #reads
            let __kfp_result = #body(#(#args),*);
            let __kfp_values = #p::ComponentResult::into_outputs(#result)?;
            ::core::result::Result::Ok(__kfp_run.finish(__kfp_values))
        }
    }
}

/// Expands the model into the generated items.
pub fn expand(f: &Function) -> TokenStream {
    let p = private();
    let name = f.ident();
    let vis = &f.item.vis;
    let fn_name = lit(&name.to_string());
    let body = format_ident!("__kfp_body");
    let kfp_name_lit = f.args.name.clone().unwrap_or_else(|| fn_name.clone());
    let docs = f.item.attrs.iter().filter(|a| a.path().is_ident("doc"));
    let docs_text = {
        let lines = &f.docs;
        quote!(#p::docstring(&[#(#lines),*]))
    };
    let ret = &f.ret.value;
    let ret_span = ret.span();

    let required: Vec<&Param> = f.params.iter().filter(|p| p.is_required_input()).collect();
    let req_idents: Vec<&Ident> = required.iter().map(|p| &p.ident).collect();
    let req_bounds: Vec<TokenStream> = required.iter().map(|p| input_bound(p)).collect();
    let req_names: Vec<LitStr> = required.iter().map(|p| kfp_name(&p.ident)).collect();
    let req_bindings: Vec<TokenStream> = required
        .iter()
        .map(|p| {
            let ident = &p.ident;
            binding(p, &quote!(#ident))
        })
        .collect();

    let setters = f
        .params
        .iter()
        .filter(|p| p.is_input() && !p.is_required_input())
        .map(|param| {
            let ident = &param.ident;
            let name = kfp_name(ident);
            let bound = input_bound(param);
            let bind = binding(param, &quote!(value));
            let doc = format!("Sets the optional input `{}`.", name.value());
            let extra = param.docs.iter();
            quote! {
                #[doc = #doc]
                #[doc = ""]
                #(#[doc = #extra])*
                pub fn #ident(self, value: #bound) -> Self {
                    #p::set_input(self.handle, #name, #bind);
                    self
                }
            }
        });

    let mut output_fields = Vec::new();
    let mut output_values = Vec::new();
    for param in &f.params {
        let ident = &param.ident;
        let name = kfp_name(ident);
        let doc = format!("The output `{}`.", name.value());
        match &param.role {
            Role::OutputArtifact { artifact } if f.kind != Kind::Pipeline => {
                output_fields
                    .push(quote!(#[doc = #doc] pub #ident: ::kfp_dsl::ArtifactOutput<#artifact>));
                output_values
                    .push(quote!(#ident: ::kfp_dsl::ArtifactOutput::__new(self.handle, #name)));
            }
            Role::OutputPath { ty } if f.kind != Kind::Pipeline => {
                output_fields.push(quote!(#[doc = #doc] pub #ident: ::kfp_dsl::ParamOutput<#ty>));
                output_values
                    .push(quote!(#ident: ::kfp_dsl::ParamOutput::__new(self.handle, #name)));
            }
            _ => {}
        }
    }
    let returns = !is_unit(ret);
    // What the return type gives a task: a component's return value, or for
    // a pipeline also an `Output<A>` artifact.
    let ret_trait = match f.kind {
        Kind::Pipeline => quote!(#p::PipelineOutputType),
        _ => quote!(#p::ComponentReturn),
    };
    let (ret_field, ret_value, output_method) = if returns {
        (
            quote_spanned!(ret_span=> #[doc = "The return value: the output named `Output`."] pub output: <#ret as #ret_trait>::Handles,),
            quote!(output: <#ret as #ret_trait>::handles(self.handle),),
            quote_spanned! {ret_span=>
                /// The handle of the return value (the output named `Output`).
                pub fn output(&self) -> <#ret as #ret_trait>::Handles {
                    <#ret as #ret_trait>::handles(self.handle)
                }
            },
        )
    } else {
        (quote!(), quote!(), quote!())
    };

    let definition_and_entry = match f.kind {
        Kind::Component | Kind::Container => {
            let iface = interface(f, &format_ident!("__kfp_component"), true);
            let implementation = if f.kind == Kind::Component {
                let image = match &f.args.image {
                    Some(i) => quote!(::core::option::Option::Some(#i)),
                    None => quote!(::core::option::Option::None),
                };
                quote!(#p::native_container(#fn_name, #image))
            } else {
                let placeholders = f.params.iter().map(|param| {
                    let name = kfp_name(&param.ident);
                    let ty = rewritten_type(Kind::Container, param);
                    quote!(<#ty>::__new(#name))
                });
                if is_unit(&f.ret.ty) {
                    // Rejected by the checks: no `ContainerSpec` to call for.
                    quote!(#p::graph::ContainerSpec::default())
                } else {
                    quote!(::kfp_dsl::ContainerSpec::into_graph(#body(#(#placeholders),*)))
                }
            };
            let (native, exec) = if f.kind == Kind::Component {
                (
                    quote!(::core::option::Option::Some((#fn_name, __kfp_execute as ::kfp_dsl::ExecutorFn))),
                    executor(f, &body),
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
        Kind::Pipeline => {
            let iface = interface(f, &format_ident!("__kfp_pipeline"), false);
            let args = arguments(f, &format_ident!("__kfp_pipeline"));
            let new_pipeline = match &f.args.name {
                Some(n) => quote!(#p::graph::Pipeline::new(#n)),
                None => quote!(#p::graph::Pipeline::from_function_name(#fn_name)),
            };
            let description = match &f.args.description {
                Some(d) => quote!(::core::option::Option::Some(::std::string::String::from(#d))),
                None => docs_text.clone(),
            };
            let opt = |v: &Option<LitStr>| match v {
                Some(s) => quote!(::core::option::Option::Some(::std::string::String::from(#s))),
                None => quote!(::core::option::Option::None),
            };
            let display_name = opt(&f.args.display_name);
            let root = opt(&f.args.pipeline_root);
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
            let handles = f.params.iter().map(|param| {
                let name = kfp_name(&param.ident);
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
            });
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
    };

    let body_item = body_fn(f, &body);
    let what = match f.kind {
        Kind::Pipeline => "pipeline",
        _ => "component",
    };
    let mod_doc = format!("The task and output types of the {what} [`{name}`](fn@{name}).");
    let task_doc = format!(
        "A task calling `{name}`: set optional inputs and task settings, then read its `outputs()`."
    );
    let outputs_doc = format!("The typed outputs of a `{name}` task.");
    let builder_note = format!(
        "\n\nCalling it in a pipeline adds a `{name}` task; required inputs are arguments, \
         optional inputs are methods of [`{name}::Task`].\n\n# Panics\n\nWhen called \
         outside a `#[pipeline]` function, where there is no pipeline to add the task to."
    );
    quote! {
        #(#docs)*
        #[doc = #builder_note]
        #[allow(dead_code, clippy::too_many_arguments)]
        #vis fn #name(#(#req_idents: #req_bounds),*) -> #name::Task {
            #name::Task::__new(#p::add_task(
                &#name::DEFINITION,
                [#((#req_names, #req_bindings)),*],
            ))
        }

        #[doc = #mod_doc]
        #[allow(dead_code, unused_imports, non_snake_case)]
        #vis mod #name {
            use super::*;

            #body_item

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
                    Outputs {
                        #(#output_values,)*
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
            pub struct Outputs {
                #(#output_fields,)*
                #ret_field
            }

            #definition_and_entry
        }
    }
}
