//! `#[derive(Outputs)]`: a struct of named output parameters, returned by a
//! component or pipeline (kfp's `NamedTuple` return).

use proc_macro2::TokenStream;
use quote::{format_ident, quote, quote_spanned};
use syn::spanned::Spanned;
use syn::{Data, DeriveInput, Fields};

use crate::attr::{doc_line, lit};

/// Expands the derive; errors become `compile_error!`.
pub fn derive(input: &DeriveInput) -> TokenStream {
    let name = &input.ident;
    let fields = match &input.data {
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
    let vis = &input.vis;
    let handles = format_ident!("{}Handles", name);
    let p = quote!(::kfp_dsl::__private);
    let idents: Vec<_> = fields.iter().filter_map(|f| f.ident.clone()).collect();
    let names: Vec<_> = idents
        .iter()
        .map(|i| {
            let s = i.to_string();
            lit(s.strip_prefix("r#").unwrap_or(&s))
        })
        .collect();
    let tys: Vec<_> = fields.iter().map(|f| &f.ty).collect();
    let docs: Vec<TokenStream> = fields
        .iter()
        .map(|f| {
            let lines: Vec<String> = f
                .attrs
                .iter()
                .filter_map(|a| a.path().is_ident("doc").then(|| doc_line(a)).flatten())
                .collect();
            quote!(#p::doc(&[#(#lines),*]))
        })
        .collect();
    let kinds = tys
        .iter()
        .map(|ty| quote_spanned!(ty.span()=> <#ty as ::kfp_dsl::Parameter>::KIND));
    let handle_doc = format!("Typed handles of the outputs of [`{name}`], in a pipeline.");
    quote! {
        #[doc = #handle_doc]
        #[derive(Clone, Copy, Debug)]
        #vis struct #handles {
            #(
                #[doc = concat!("The output `", #names, "`.")]
                pub #idents: ::kfp_dsl::ParamOutput<#tys>,
            )*
        }

        impl #p::ComponentReturn for #name {
            type Handles = #handles;

            fn specs() -> ::std::vec::Vec<#p::graph::OutputParameter> {
                ::std::vec![#(
                    #p::graph::OutputParameter {
                        name: ::std::string::String::from(#names),
                        kind: #kinds,
                        description: #docs,
                    }
                ),*]
            }

            fn handles(task: #p::TaskHandle) -> Self::Handles {
                #handles { #(#idents: ::kfp_dsl::ParamOutput::__new(task, #names),)* }
            }

            fn into_values(self) -> ::std::vec::Vec<(&'static str, #p::serde_json::Value)> {
                ::std::vec![#((#names, ::kfp_dsl::Parameter::to_value(&self.#idents))),*]
            }
        }

        impl ::kfp_dsl::PipelineReturn<#name> for #handles {
            fn outputs(self) -> ::std::vec::Vec<(&'static str, #p::ParamOutputRef)> {
                ::std::vec![#(
                    (#names, #p::ParamOutputRef { task: self.#idents.task(), output: self.#idents.name() })
                ),*]
            }
        }
    }
}
