//! Token helpers every generator uses: the path through which generated
//! code reaches kfp-dsl's support items, and the literals of generated
//! names.

use proc_macro2::{Span, TokenStream};
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;
use syn::{Expr, GenericArgument, Ident, LitStr, PathArguments, Type};

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

/// The trait a builder takes a parameter input of type `ty` through:
/// kfp-dsl's `IntoFloatParam` for a float input (`f64`, `f32`, optional or
/// not), whose error also says to write `1.0` for `1`, and `IntoParam` for
/// every other input; spanned at `ty`, so that rustc points there.
pub fn param_trait(ty: &Type) -> TokenStream {
    if is_float(ty) {
        quote_spanned!(ty.span()=> ::kfp_dsl::IntoFloatParam)
    } else {
        quote_spanned!(ty.span()=> ::kfp_dsl::IntoParam)
    }
}

/// Whether `ty` is written `f64` or `f32`, or `Option` of one.
fn is_float(ty: &Type) -> bool {
    let Type::Path(path) = ty else {
        return false;
    };
    let Some(last) = path.path.segments.last() else {
        return false;
    };
    if last.ident == "Option" {
        return match &last.arguments {
            PathArguments::AngleBracketed(args) => matches!(
                args.args.first(),
                Some(GenericArgument::Type(inner)) if args.args.len() == 1 && is_float(inner)
            ),
            _ => false,
        };
    }
    path.qself.is_none()
        && path.path.segments.len() == 1
        && (last.ident == "f64" || last.ident == "f32")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn float_inputs_are_given_through_into_float_param() {
        let is_float = |ty: &str| {
            let parsed: Type = syn::parse_str(ty).unwrap();
            param_trait(&parsed).to_string().contains("IntoFloatParam")
        };
        for ty in ["f64", "f32", "Option<f64>", "std::option::Option<f32>"] {
            assert!(is_float(ty), "{ty}");
        }
        for ty in ["i64", "String", "Vec<f64>", "Option<i64>", "my::f64"] {
            assert!(!is_float(ty), "{ty}");
        }
    }
}
