//! Token helpers every generator uses: the path through which generated
//! code reaches kfp-dsl's support items, and the literals of generated
//! names.

use proc_macro2::{Span, TokenStream};
use quote::quote;
use syn::{Ident, LitStr};

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
