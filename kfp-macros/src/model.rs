//! The model of an annotated function: its interface (inputs, outputs,
//! return value), read from the signature and attributes, with every
//! mistake recorded and the rest kept. Checks that need the whole model
//! come after (`check`).

use syn::{FnArg, GenericArgument, Ident, ItemFn, Pat, PathArguments, ReturnType, Type};

use crate::attr::{Kind, MacroArgs, ParamAttrs, doc_line, parse_macro_args, take_param_attrs};
use crate::ctxt::Ctxt;

/// What a parameter of the function is, read from its type.
#[derive(Clone)]
pub enum Role {
    /// A parameter of type `ty` (`Option<T>` is optional).
    Param {
        /// The type as written.
        ty: Type,
        /// Whether it may be left unset: `Option<_>`, or a
        /// `PipelineTaskFinalStatus`, which the compiler sets.
        option: bool,
    },
    /// `Input<A>` (or `Option<Input<A>>`, optional; or `Vec<Input<A>>`, a
    /// list of artifacts).
    InputArtifact {
        /// The artifact type.
        artifact: Type,
        /// Whether it is `Option<Input<A>>`.
        optional: bool,
        /// Whether it is `Vec<Input<A>>`.
        list: bool,
    },
    /// `Output<A>`.
    OutputArtifact {
        /// The artifact type.
        artifact: Type,
    },
    /// `OutputPath<T>`: an output parameter written to a file.
    OutputPath {
        /// The parameter type.
        ty: Type,
    },
}

/// One parameter of the function.
pub struct Param {
    /// Its Rust name (also its KFP name, unless `#[kfp(name = "...")]`
    /// gives another).
    pub ident: Ident,
    /// Its type as written.
    pub ty: Type,
    /// What it is.
    pub role: Role,
    /// `#[kfp(...)]` settings.
    pub attrs: ParamAttrs,
    /// Doc-comment lines.
    pub docs: Vec<String>,
}

impl Param {
    /// Its KFP name: `#[kfp(name = "...")]`, else its identifier without
    /// `r#`.
    pub fn name(&self) -> syn::LitStr {
        self.attrs
            .name
            .clone()
            .unwrap_or_else(|| crate::tokens::kfp_name(&self.ident))
    }

    /// Whether the task builder takes it positionally: an input with no
    /// default that is not optional.
    pub fn is_required_input(&self) -> bool {
        match &self.role {
            Role::Param { option, .. } => !option && self.attrs.default.is_none(),
            Role::InputArtifact { optional, .. } => !optional,
            _ => false,
        }
    }

    /// Whether it is an input (parameter or artifact).
    pub fn is_input(&self) -> bool {
        matches!(self.role, Role::Param { .. } | Role::InputArtifact { .. })
    }
}

/// The return type of the function.
pub struct Return {
    /// The declared type (`()` when there is none).
    pub ty: Type,
    /// The value type inside `Result<T, E>`, or `ty` itself.
    pub value: Type,
    /// Whether the declared type is a `Result`.
    pub is_result: bool,
    /// Whether the return type was reported as one a component cannot
    /// return: `value` is then `()`, and the executor drops what the
    /// function returns, so that the mistake gives one error.
    pub rejected: bool,
}

/// The whole annotated function.
pub struct Function {
    /// Which macro.
    pub kind: Kind,
    /// The macro's arguments.
    pub args: MacroArgs,
    /// The function as written, minus the attributes taken from its
    /// parameters.
    pub item: ItemFn,
    /// Doc-comment lines of the function.
    pub docs: Vec<String>,
    /// Its parameters.
    pub params: Vec<Param>,
    /// Its return type.
    pub ret: Return,
}

impl Function {
    /// Reads the function; every mistake goes to `cx`.
    pub fn from_syn(
        cx: &mut Ctxt,
        kind: Kind,
        args: proc_macro2::TokenStream,
        mut item: ItemFn,
    ) -> Function {
        let args = parse_macro_args(cx, kind, args);
        check_signature(cx, kind, &item);
        // Reported above; dropped so that the items generated anyway do not
        // fail again for the same reason.
        item.sig.generics = syn::Generics::default();
        item.sig.asyncness = None;
        let docs = item
            .attrs
            .iter()
            .filter(|a| a.path().is_ident("doc"))
            .filter_map(doc_line)
            .collect();
        let mut params = Vec::new();
        for input in &mut item.sig.inputs {
            match input {
                FnArg::Receiver(r) => cx.error(
                    r,
                    format!("a `#[{}]` function cannot take `self`", kind.macro_name()),
                ),
                FnArg::Typed(pt) => {
                    let (attrs, docs) = take_param_attrs(cx, &mut pt.attrs);
                    let Pat::Ident(pi) = &*pt.pat else {
                        cx.error(&pt.pat, "expected a plain parameter name, such as `data`");
                        continue;
                    };
                    let role = role_of(&pt.ty);
                    params.push(Param {
                        ident: pi.ident.clone(),
                        ty: (*pt.ty).clone(),
                        role,
                        attrs,
                        docs,
                    });
                }
            }
        }
        let mut ret = return_of(&item.sig.output);
        if kind == Kind::Pipeline && ret.is_result {
            // Reported by the checks; the pipeline then publishes nothing.
            ret.value = syn::parse_quote!(());
        }
        if kind == Kind::Component && !returns_artifacts_one_by_one(cx, &ret.value) {
            ret.value = syn::parse_quote!(());
            ret.rejected = true;
        }
        if kind == Kind::Container {
            // A container component returns its `ContainerSpec`; its outputs
            // are all `Output<_>`/`OutputPath<_>` parameters.
            ret.value = syn::parse_quote!(());
        }
        Function {
            kind,
            args,
            item,
            docs,
            params,
            ret,
        }
    }

    /// The Rust function's name.
    pub fn ident(&self) -> &Ident {
        &self.item.sig.ident
    }

    /// The function's lint attributes (`#[allow(non_snake_case)]` and the
    /// like), which the items generated from it carry too.
    pub fn lints(&self) -> impl Iterator<Item = &syn::Attribute> {
        self.item.attrs.iter().filter(|a| {
            ["allow", "expect", "warn", "deny", "forbid"]
                .iter()
                .any(|lint| a.path().is_ident(lint))
        })
    }
}

fn check_signature(cx: &mut Ctxt, kind: Kind, item: &ItemFn) {
    let sig = &item.sig;
    let name = kind.macro_name();
    if !sig.generics.params.is_empty() {
        cx.error(
            &sig.generics,
            format!("a `#[{name}]` function cannot be generic"),
        );
    }
    if let Some(a) = &sig.asyncness {
        cx.error(a, format!("a `#[{name}]` function cannot be `async`"));
    }
    if let Some(u) = &sig.unsafety {
        cx.error(u, format!("a `#[{name}]` function cannot be `unsafe`"));
    }
    if let Some(v) = &sig.variadic {
        cx.error(v, format!("a `#[{name}]` function cannot be variadic"));
    }
}

/// A component returns the artifacts it makes, one per output: not an
/// input artifact, nor a list of artifacts (kfp has no `-> List[Dataset]`).
fn returns_artifacts_one_by_one(cx: &mut Ctxt, r: &Type) -> bool {
    let is_artifact =
        |ty| matches!(last_segment(ty), Some((id, Some(_))) if id == "Input" || id == "Output");
    match last_segment(r) {
        Some((id, Some(_))) if id == "Input" => cx.error(
            r,
            "a component returns the artifacts it makes (`Output<A>`, made with `Output::at`); \
             `Input<A>` is an artifact it was given",
        ),
        Some((id, Some(inner))) if id == "Vec" && is_artifact(inner) => cx.error(
            r,
            "a component cannot return a list of artifacts (kfp has no `-> List[Dataset]`): \
             return one `Output<A>` from a task inside `parallel_for` and gather them with \
             `collected(..)`",
        ),
        _ => return true,
    }
    false
}

/// The last path segment of a type and its single type argument, if any.
pub(crate) fn last_segment(ty: &Type) -> Option<(&Ident, Option<&Type>)> {
    let Type::Path(tp) = ty else { return None };
    if tp.qself.is_some() {
        return None;
    }
    let seg = tp.path.segments.last()?;
    let arg = match &seg.arguments {
        PathArguments::AngleBracketed(ab) => ab.args.iter().find_map(|a| match a {
            GenericArgument::Type(t) => Some(t),
            _ => None,
        }),
        _ => None,
    };
    Some((&seg.ident, arg))
}

/// What a parameter is, by its type: `Input<A>`, `Option<Input<A>>`,
/// `Output<A>`, `OutputPath<T>`, or a parameter.
pub fn role_of(ty: &Type) -> Role {
    match last_segment(ty) {
        Some((id, Some(inner))) if id == "Input" => Role::InputArtifact {
            artifact: inner.clone(),
            optional: false,
            list: false,
        },
        Some((id, Some(inner))) if id == "Vec" && is_input(inner) => match last_segment(inner) {
            Some((_, Some(art))) => Role::InputArtifact {
                artifact: art.clone(),
                optional: false,
                list: true,
            },
            _ => Role::Param {
                ty: ty.clone(),
                option: false,
            },
        },
        Some((id, Some(inner))) if id == "Output" => Role::OutputArtifact {
            artifact: inner.clone(),
        },
        Some((id, Some(inner))) if id == "OutputPath" => Role::OutputPath { ty: inner.clone() },
        Some((id, None)) if id == "PipelineTaskFinalStatus" => Role::Param {
            ty: ty.clone(),
            option: true,
        },
        Some((id, Some(inner))) if id == "Option" => match last_segment(inner) {
            Some((iid, Some(art))) if iid == "Input" => Role::InputArtifact {
                artifact: art.clone(),
                optional: true,
                list: false,
            },
            _ => Role::Param {
                ty: ty.clone(),
                option: true,
            },
        },
        _ => Role::Param {
            ty: ty.clone(),
            option: false,
        },
    }
}

/// Whether a type is `Input<_>`.
fn is_input(ty: &Type) -> bool {
    matches!(last_segment(ty), Some((id, Some(_))) if id == "Input")
}

/// The return type and the value inside a `Result`.
pub fn return_of(output: &ReturnType) -> Return {
    let ty: Type = match output {
        ReturnType::Default => syn::parse_quote!(()),
        ReturnType::Type(_, t) => (**t).clone(),
    };
    match last_segment(&ty) {
        Some((id, Some(inner))) if id == "Result" => Return {
            value: inner.clone(),
            ty: ty.clone(),
            is_result: true,
            rejected: false,
        },
        _ => Return {
            value: ty.clone(),
            ty,
            is_result: false,
            rejected: false,
        },
    }
}

/// Whether a type is `()`.
pub fn is_unit(ty: &Type) -> bool {
    matches!(ty, Type::Tuple(t) if t.elems.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::{ToTokens, quote};

    fn model(kind: Kind, item: ItemFn) -> (Function, Vec<String>) {
        let mut cx = Ctxt::default();
        let f = Function::from_syn(&mut cx, kind, quote!(), item);
        (f, cx.messages())
    }

    #[test]
    fn roles_come_from_the_types() {
        let (f, errors) = model(
            Kind::Component,
            syn::parse_quote! {
                fn train(
                    data: Input<Dataset>,
                    extra: Option<Input<Artifact>>,
                    #[kfp(default = 0.1)] lr: f64,
                    epochs: Option<u32>,
                    model: Output<Model>,
                ) -> anyhow::Result<f64> { todo!() }
            },
        );
        assert!(errors.is_empty(), "{errors:?}");
        let required: Vec<String> = f
            .params
            .iter()
            .filter(|p| p.is_required_input())
            .map(|p| p.ident.to_string())
            .collect();
        assert_eq!(required, ["data"]);
        assert!(matches!(
            f.params[1].role,
            Role::InputArtifact { optional: true, .. }
        ));
        assert!(matches!(f.params[3].role, Role::Param { option: true, .. }));
        assert!(matches!(f.params[4].role, Role::OutputArtifact { .. }));
        assert!(f.ret.is_result);
        assert_eq!(f.ret.value.to_token_stream().to_string(), "f64");
    }

    #[test]
    fn a_task_final_status_is_set_by_the_compiler_not_passed() {
        let (f, errors) = model(
            Kind::Component,
            syn::parse_quote! {
                fn report(text: String, status: kfp_dsl::PipelineTaskFinalStatus) {}
            },
        );
        assert!(errors.is_empty(), "{errors:?}");
        assert!(f.params[0].is_required_input());
        assert!(f.params[1].is_input() && !f.params[1].is_required_input());
    }

    #[test]
    fn signature_mistakes_are_all_reported() {
        let (_, errors) = model(
            Kind::Component,
            syn::parse_quote! { async fn f<T>(self, (a, b): (i32, i32)) {} },
        );
        assert_eq!(
            errors,
            [
                "a `#[component]` function cannot be generic",
                "a `#[component]` function cannot be `async`",
                "a `#[component]` function cannot take `self`",
                "expected a plain parameter name, such as `data`",
            ]
        );
    }

    #[test]
    fn components_return_the_artifacts_they_make_one_by_one() {
        let (f, e) = model(
            Kind::Component,
            syn::parse_quote! { fn c(d: Input<Dataset>) -> anyhow::Result<Input<Dataset>> { todo!() } },
        );
        assert!(f.ret.rejected && is_unit(&f.ret.value));
        assert_eq!(e.len(), 1);
        assert!(
            e[0].contains("`Input<A>` is an artifact it was given"),
            "{e:?}"
        );
        let (_, e) = model(
            Kind::Component,
            syn::parse_quote! { fn c() -> Vec<Output<Dataset>> { todo!() } },
        );
        assert_eq!(e.len(), 1);
        assert!(
            e[0].starts_with("a component cannot return a list of artifacts"),
            "{e:?}"
        );
        let (_, e) = model(
            Kind::Component,
            syn::parse_quote! { fn c() -> Output<Model> { todo!() } },
        );
        assert!(e.is_empty(), "{e:?}");
    }
}
