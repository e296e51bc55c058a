//! Token helpers every generator uses: the path through which generated
//! code reaches kfp-dsl's support items, and the literals of generated
//! names.

use proc_macro2::{Span, TokenStream};
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;
use syn::{Expr, Ident, LitStr, Type};

/// The path of kfp-dsl's support module (`::kfp_dsl::__private`), the only
/// way generated code reaches items that are not kfp-dsl's public API.
pub fn private() -> TokenStream {
    quote!(::kfp_dsl::__private)
}

/// A string literal at the call site (for generated names).
pub fn lit(value: &str) -> LitStr {
    LitStr::new(value, Span::call_site())
}

/// The KFP name of a parameter or field: its identifier without `r#`.
pub fn kfp_name(ident: &Ident) -> LitStr {
    let s = ident.to_string();
    lit(s.strip_prefix("r#").unwrap_or(&s))
}

/// The JSON value of a default or compile-time argument `expr` of a
/// parameter of type `ty`, through kfp-dsl's public `ParamDefault`, at the
/// user's expression: a value that cannot be one is reported there, in
/// KFP's words.
pub fn default_value(ty: &Type, expr: &Expr) -> TokenStream {
    quote_spanned! {expr.span()=>
        <_ as ::kfp_dsl::ParamDefault<#ty>>::default_value(#expr)
    }
}
