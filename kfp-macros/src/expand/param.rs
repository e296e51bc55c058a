//! A parameter in generated code: the argument a task builder takes for
//! it, how that argument becomes a binding, and the type the function's
//! body sees it as.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::Type;
use syn::spanned::Spanned;

use crate::attr::Kind;
use crate::model::{Param, Role};
use crate::tokens::{param_trait, private};

/// The builder's argument type for an input.
pub fn input_bound(param: &Param) -> TokenStream {
    match &param.role {
        Role::Param { ty, .. } => {
            let bound = param_trait(ty);
            quote_spanned!(ty.span()=> impl #bound<#ty>)
        }
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
pub fn binding(param: &Param, value: &TokenStream) -> TokenStream {
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

/// The type the body sees for a parameter of a container component or a
/// pipeline: a placeholder (container component) or a handle (pipeline).
pub fn rewritten_type(kind: Kind, param: &Param) -> Type {
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
