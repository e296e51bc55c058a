//! The macro attributes: `#[component(...)]`, `#[container_component(...)]`,
//! `#[pipeline(...)]`, and `#[kfp(...)]` on parameters.

use proc_macro2::TokenStream;
use syn::parse::Parser;
use syn::punctuated::Punctuated;
use syn::{Expr, Lit, LitStr, Meta, Token};

use crate::ctxt::{Ctxt, unknown_key};

/// Which macro is being expanded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// `#[component]`: a Rust-native component.
    Component,
    /// `#[container_component]`.
    Container,
    /// `#[pipeline]`.
    Pipeline,
}

impl Kind {
    /// The macro's name, as the user wrote it.
    pub fn macro_name(self) -> &'static str {
        match self {
            Kind::Component => "component",
            Kind::Container => "container_component",
            Kind::Pipeline => "pipeline",
        }
    }

    /// The keys the macro accepts.
    pub fn keys(self) -> &'static [&'static str] {
        match self {
            Kind::Component => &["name", "image", "output_description"],
            Kind::Container => &["name"],
            Kind::Pipeline => &[
                "name",
                "description",
                "display_name",
                "pipeline_root",
                "pipeline_config",
                "output_description",
            ],
        }
    }
}

/// The arguments of the macro attribute, each with its span.
#[derive(Default)]
pub struct MacroArgs {
    /// `name = "..."`: the component or pipeline name.
    pub name: Option<LitStr>,
    /// `image = "..."`: the image of a Rust-native component.
    pub image: Option<LitStr>,
    /// `description = "..."`.
    pub description: Option<LitStr>,
    /// `display_name = "..."`.
    pub display_name: Option<LitStr>,
    /// `pipeline_root = "..."`.
    pub pipeline_root: Option<LitStr>,
    /// `output_description = "..."`: the description of the return value.
    pub output_description: Option<LitStr>,
    /// `pipeline_config = <expr>`: a `kfp_dsl::PipelineConfig`, evaluated
    /// when the pipeline is recorded.
    pub pipeline_config: Option<Expr>,
}

/// Reads the macro's arguments; records every mistake and keeps the rest.
pub fn parse_macro_args(cx: &mut Ctxt, kind: Kind, tokens: TokenStream) -> MacroArgs {
    let mut args = MacroArgs::default();
    let metas = match Punctuated::<Meta, Token![,]>::parse_terminated.parse2(tokens) {
        Ok(m) => m,
        Err(e) => {
            cx.syn_error(e);
            return args;
        }
    };
    for meta in metas {
        let key = meta.path().get_ident().map(ToString::to_string);
        let Some(key) = key else {
            cx.error(
                meta.path(),
                format!("expected a key such as `{}`", kind.keys()[0]),
            );
            continue;
        };
        if !kind.keys().contains(&key.as_str()) {
            let what = format!("`#[{}]` attribute", kind.macro_name());
            cx.error(meta.path(), unknown_key(&what, &key, kind.keys()));
            continue;
        }
        if key == "pipeline_config" {
            let Meta::NameValue(nv) = meta else {
                cx.error(
                    &meta,
                    "`pipeline_config` takes a value: `pipeline_config = PipelineConfig::new()...`",
                );
                continue;
            };
            if args.pipeline_config.is_some() {
                cx.error(&nv.path, "duplicate attribute `pipeline_config`");
            } else {
                args.pipeline_config = Some(nv.value);
            }
            continue;
        }
        let Some(value) = string_value(cx, &meta, &key) else {
            continue;
        };
        let slot = match key.as_str() {
            "name" => &mut args.name,
            "image" => &mut args.image,
            "description" => &mut args.description,
            "display_name" => &mut args.display_name,
            "output_description" => &mut args.output_description,
            _ => &mut args.pipeline_root,
        };
        if slot.is_some() {
            cx.error(meta.path(), format!("duplicate attribute `{key}`"));
        } else {
            *slot = Some(value);
        }
    }
    if let (Kind::Pipeline, Some(name)) = (kind, &args.name) {
        check_pipeline_name(cx, name);
    }
    args
}

/// `key = "string"`, or an error.
fn string_value(cx: &mut Ctxt, meta: &Meta, key: &str) -> Option<LitStr> {
    match meta {
        Meta::NameValue(nv) => match &nv.value {
            Expr::Lit(syn::ExprLit {
                lit: Lit::Str(s), ..
            }) => Some(s.clone()),
            other => {
                cx.error(
                    other,
                    format!("`{key}` takes a string literal: `{key} = \"...\"`"),
                );
                None
            }
        },
        _ => {
            cx.error(meta, format!("`{key}` takes a value: `{key} = \"...\"`"));
            None
        }
    }
}

/// kfp's pipeline names: kfp derives the IR name from the one given
/// (`Vertex AI demo` → `vertex-ai-demo`, see [`derived_pipeline_name`]) and
/// refuses only a name from which it derives nothing, or more than 128
/// characters (`^[a-z0-9][a-z0-9-]{0,127}$`); the error shows what it
/// derived and a name that would do.
fn check_pipeline_name(cx: &mut Ctxt, name: &LitStr) {
    let value = name.value();
    let derived = derived_pipeline_name(&value);
    const HOW: &str = "kfp lower-cases a pipeline name and turns every run of characters other \
                       than a-z, 0-9 and `-` into one `-`";
    if derived.is_empty() {
        cx.error(
            name,
            format!(
                "invalid pipeline name `{value}`: {HOW}, which leaves nothing of it; give a name \
                 with a letter or a digit"
            ),
        );
    } else if derived.chars().count() > MAX_PIPELINE_NAME {
        let shorter: String = derived.chars().take(MAX_PIPELINE_NAME).collect();
        cx.error(
            name,
            format!(
                "invalid pipeline name `{value}`: {HOW}, which gives `{derived}`, {} characters; \
                 KFP pipeline names have at most {MAX_PIPELINE_NAME}: shorten it, for example to \
                 `{}`",
                derived.chars().count(),
                shorter.trim_end_matches('-'),
            ),
        );
    }
}

/// The longest pipeline name KFP accepts.
const MAX_PIPELINE_NAME: usize = 128;

/// The pipeline name kfp derives from `name` (`maybe_rename_for_k8s`):
/// lower-cased, every run of characters outside `[-0-9a-z]` turned into
/// `-`, runs of `-` collapsed and `-` trimmed at both ends. The compiler
/// derives the IR's name with `kfp_compiler::naming::maybe_rename_for_k8s`;
/// kfp-dsl's test `pipeline_names` checks that this copy, which the macro
/// needs to refuse a name when it is compiled, gives the same names.
pub fn derived_pipeline_name(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.chars().flat_map(char::to_lowercase) {
        let c = if c.is_ascii_lowercase() || c.is_ascii_digit() {
            c
        } else {
            '-'
        };
        if !(c == '-' && out.ends_with('-')) {
            out.push(c);
        }
    }
    out.trim_matches('-').to_owned()
}

/// The `#[kfp(...)]` settings of one function parameter.
#[derive(Default)]
pub struct ParamAttrs {
    /// `default = <expr>`.
    pub default: Option<Expr>,
    /// `description = "..."`.
    pub description: Option<LitStr>,
    /// `argument = <expr>`: a pipeline input's value for this compilation
    /// (kfp's `pipeline_parameters`).
    pub argument: Option<Expr>,
    /// `name = "..."`: the input's or output's name in KFP, when it is not
    /// the Rust parameter's (`retryCount`, as Python names it).
    pub name: Option<LitStr>,
}

const PARAM_KEYS: &[&str] = &["default", "description", "argument", "name"];

/// Reads the `#[kfp(...)]` attributes of a parameter and its doc comments;
/// removes them from `attrs` (they are not valid on a parameter for rustc).
/// Returns the settings and the doc lines.
pub fn take_param_attrs(
    cx: &mut Ctxt,
    attrs: &mut Vec<syn::Attribute>,
) -> (ParamAttrs, Vec<String>) {
    let mut out = ParamAttrs::default();
    let mut docs = Vec::new();
    let mut kept = Vec::new();
    for attr in attrs.drain(..) {
        if attr.path().is_ident("doc") {
            if let Some(line) = doc_line(&attr) {
                docs.push(line);
            }
            continue;
        }
        if !attr.path().is_ident("kfp") {
            kept.push(attr);
            continue;
        }
        let parsed = attr.parse_args_with(Punctuated::<Meta, Token![,]>::parse_terminated);
        let metas = match parsed {
            Ok(m) => m,
            Err(e) => {
                cx.syn_error(e);
                continue;
            }
        };
        for meta in metas {
            let key = meta
                .path()
                .get_ident()
                .map(ToString::to_string)
                .unwrap_or_default();
            match (key.as_str(), &meta) {
                ("default", Meta::NameValue(nv)) => {
                    if out.default.is_some() {
                        cx.error(meta.path(), "duplicate `default`");
                    }
                    out.default = Some(nv.value.clone());
                }
                ("argument", Meta::NameValue(nv)) => {
                    if out.argument.is_some() {
                        cx.error(meta.path(), "duplicate `argument`");
                    }
                    out.argument = Some(nv.value.clone());
                }
                ("argument", _) => cx.error(&meta, "`argument` takes a value: `argument = ...`"),
                ("description", _) => {
                    if let Some(s) = string_value(cx, &meta, "description") {
                        out.description = Some(s);
                    }
                }
                ("name", _) => {
                    if out.name.is_some() {
                        cx.error(meta.path(), "duplicate `name`");
                    }
                    if let Some(s) = string_value(cx, &meta, "name") {
                        check_io_name(cx, &s);
                        out.name = Some(s);
                    }
                }
                ("default", _) => cx.error(&meta, "`default` takes a value: `default = ...`"),
                _ => cx.error(
                    meta.path(),
                    unknown_key("`#[kfp]` attribute", &key, PARAM_KEYS),
                ),
            }
        }
    }
    *attrs = kept;
    (out, docs)
}

/// An input's or output's KFP name is a Python identifier, as kfp's come
/// from a Python function's parameters.
fn check_io_name(cx: &mut Ctxt, name: &LitStr) {
    let value = name.value();
    let mut chars = value.chars();
    let identifier = chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_');
    if !identifier {
        cx.error(
            name,
            format!(
                "invalid input or output name `{value}`: a KFP name of a component's input or \
                 output is an identifier, as Python's are (letters, digits and `_`, not starting \
                 with a digit)"
            ),
        );
    }
}

/// The text of a `#[doc = "..."]` attribute.
pub fn doc_line(attr: &syn::Attribute) -> Option<String> {
    match &attr.meta {
        Meta::NameValue(nv) => match &nv.value {
            Expr::Lit(syn::ExprLit {
                lit: Lit::Str(s), ..
            }) => Some(s.value()),
            _ => None,
        },
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::quote;

    #[test]
    fn unknown_macro_keys_suggest_the_closest() {
        let mut cx = Ctxt::default();
        let args = parse_macro_args(&mut cx, Kind::Component, quote!(imge = "x", name = "n"));
        assert_eq!(args.name.unwrap().value(), "n");
        assert_eq!(
            cx.messages(),
            ["unknown `#[component]` attribute `imge`; did you mean `image`?"]
        );
    }

    #[test]
    fn pipeline_names_are_derived_as_kfp_derives_them() {
        assert_eq!(derived_pipeline_name("Vertex AI demo"), "vertex-ai-demo");
        assert_eq!(
            derived_pipeline_name("--My_Pipeline!!--v2"),
            "my-pipeline-v2"
        );
        let mut cx = Ctxt::default();
        parse_macro_args(
            &mut cx,
            Kind::Pipeline,
            quote!(name = "Ray Integration Test"),
        );
        assert!(cx.is_empty());
        parse_macro_args(&mut cx, Kind::Pipeline, quote!(name = "!!!"));
        assert!(cx.messages()[0].contains("which leaves nothing of it"));
        let long = "A".repeat(130);
        let mut cx = Ctxt::default();
        parse_macro_args(&mut cx, Kind::Pipeline, quote!(name = #long));
        let message = &cx.messages()[0];
        assert!(message.contains("130 characters"), "{message}");
        assert!(
            message.ends_with(&format!("`{}`", "a".repeat(128))),
            "{message}"
        );
    }

    #[test]
    fn param_attrs_are_taken_with_docs() {
        let mut cx = Ctxt::default();
        let f: syn::ItemFn = syn::parse_quote! {
            fn f(#[doc = " The rate."] #[kfp(default = 0.5, descripton = "x")] rate: f64) {}
        };
        let syn::FnArg::Typed(mut arg) = f.sig.inputs[0].clone() else {
            unreachable!()
        };
        let (attrs, docs) = take_param_attrs(&mut cx, &mut arg.attrs);
        assert!(attrs.default.is_some());
        assert_eq!(docs, [" The rate."]);
        assert!(arg.attrs.is_empty());
        assert_eq!(
            cx.messages(),
            ["unknown `#[kfp]` attribute `descripton`; did you mean `description`?"]
        );
    }
}
