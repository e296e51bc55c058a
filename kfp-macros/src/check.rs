//! Checks that need the whole model (one function per rule), run after it
//! is read and before code is generated. Simpler checks happen while the
//! model is read.

use crate::attr::Kind;
use crate::ctxt::Ctxt;
use crate::model::{Function, Role, is_unit};
use crate::task_methods::is_task_method;

/// Runs every check.
pub fn check(cx: &mut Ctxt, f: &Function) {
    check_defaults(cx, f);
    check_roles_for_kind(cx, f);
    check_names(cx, f);
    check_return(cx, f);
}

/// Defaults only on parameters; compile-time arguments only on pipeline
/// input parameters.
fn check_defaults(cx: &mut Ctxt, f: &Function) {
    for p in &f.params {
        if let Some(argument) = &p.attrs.argument {
            if f.kind != Kind::Pipeline {
                cx.error(
                    argument,
                    "`argument` gives a pipeline input its value when the pipeline is compiled; \
                     use `default` for a component input",
                );
            } else if !matches!(p.role, Role::Param { .. }) {
                cx.error(
                    argument,
                    format!(
                        "`{}` is not an input parameter; only those take an `argument`",
                        p.ident
                    ),
                );
            }
        }
        let Some(default) = &p.attrs.default else {
            continue;
        };
        match p.role {
            Role::Param { .. } => {}
            Role::InputArtifact { .. } => cx.error(
                default,
                format!(
                    "the artifact input `{}` cannot have a default; make it optional with \
                     `Option<Input<_>>`",
                    p.ident
                ),
            ),
            Role::OutputArtifact { .. } | Role::OutputPath { .. } => cx.error(
                default,
                format!("the output `{}` cannot have a default", p.ident),
            ),
        }
    }
}

/// Pipelines have no output parameters: their outputs are what they return.
fn check_roles_for_kind(cx: &mut Ctxt, f: &Function) {
    if f.kind != Kind::Pipeline {
        return;
    }
    for p in &f.params {
        if let Role::OutputArtifact { .. } | Role::OutputPath { .. } = p.role {
            cx.error(
                &p.ty,
                format!(
                    "a pipeline has no output parameters: `{}` cannot be an output; return a \
                     task's output from the pipeline instead",
                    p.ident
                ),
            );
        }
    }
}

/// Names that would clash: two parameters with one KFP name, and names
/// the generated task and outputs types use.
fn check_names(cx: &mut Ctxt, f: &Function) {
    let returns = !is_unit(&f.ret.value);
    let mut seen: Vec<String> = Vec::with_capacity(f.params.len());
    for p in &f.params {
        let kfp = p.name();
        let kfp_name = kfp.value();
        if seen.contains(&kfp_name) {
            cx.error(
                &kfp,
                format!("two parameters have the KFP name `{kfp_name}`; rename one"),
            );
        }
        if kfp_name == "Output" && returns {
            cx.error(
                &kfp,
                "`Output` is the name of the return value's output; rename this parameter",
            );
        }
        seen.push(kfp_name);
        let name = p.ident.to_string();
        let is_method = p.is_input() && !p.is_required_input();
        if is_method && is_task_method(&name) {
            cx.error(
                &p.ident,
                format!(
                    "the optional input `{name}` would shadow the task method `{name}`; rename it"
                ),
            );
        }
        if name == "output" && returns && !p.is_input() {
            cx.error(
                &p.ident,
                "`output` is the handle of the return value; rename this output",
            );
        }
    }
}

/// What each macro may return.
fn check_return(cx: &mut Ctxt, f: &Function) {
    if f.kind == Kind::Pipeline && f.ret.is_result {
        cx.error(
            &f.ret.ty,
            "a pipeline function returns task outputs, not a `Result`",
        );
    }
    if let (Some(d), true) = (&f.args.output_description, is_unit(&f.ret.value)) {
        cx.error(
            d,
            "`output_description` describes the return value, but the function returns nothing",
        );
    }
    if f.kind == Kind::Container && is_unit(&f.ret.ty) {
        cx.error(
            &f.item.sig.ident,
            "a `#[container_component]` function returns a `ContainerSpec`",
        );
    }
}

#[cfg(test)]
mod tests {
    use super::check;
    use crate::attr::Kind;
    use crate::ctxt::Ctxt;
    use crate::model::Function;
    use quote::quote;

    fn errors(kind: Kind, item: syn::ItemFn) -> Vec<String> {
        let mut cx = Ctxt::default();
        let f = Function::from_syn(&mut cx, kind, quote!(), item);
        check(&mut cx, &f);
        cx.messages()
    }

    #[test]
    fn artifact_defaults_and_pipeline_outputs_are_rejected() {
        let e = errors(
            Kind::Pipeline,
            syn::parse_quote! {
                fn p(#[kfp(default = 1)] d: Input<Dataset>, m: Output<Model>) {}
            },
        );
        assert_eq!(e.len(), 2);
        assert!(e[0].starts_with("the artifact input `d` cannot have a default"));
        assert!(e[1].starts_with("a pipeline has no output parameters"));
    }

    #[test]
    fn arguments_only_on_pipeline_input_parameters() {
        let e = errors(
            Kind::Component,
            syn::parse_quote! { fn c(#[kfp(argument = "x")] s: String) {} },
        );
        assert_eq!(
            e,
            [
                "`argument` gives a pipeline input its value when the pipeline is compiled; use \
                 `default` for a component input"
            ]
        );
        let e = errors(
            Kind::Pipeline,
            syn::parse_quote! { fn p(#[kfp(argument = 1)] d: Input<Dataset>, #[kfp(argument = "x")] s: String) {} },
        );
        assert_eq!(
            e,
            ["`d` is not an input parameter; only those take an `argument`"]
        );
    }

    #[test]
    fn kfp_names_are_python_identifiers_and_unique() {
        let e = errors(
            Kind::Component,
            syn::parse_quote! {
                fn c(
                    #[kfp(name = "retryCount")] retry_count: i64,
                    #[kfp(name = "retryCount")] retries: i64,
                    #[kfp(name = "2x")] twice: i64,
                ) {}
            },
        );
        assert_eq!(
            e,
            [
                "invalid input or output name `2x`: a KFP name of a component's input or output \
                 is an identifier, as Python's are (letters, digits and `_`, not starting with a \
                 digit)",
                "two parameters have the KFP name `retryCount`; rename one",
            ]
        );
    }

    #[test]
    fn optional_inputs_cannot_shadow_task_methods() {
        let e = errors(
            Kind::Component,
            syn::parse_quote! {
                fn c(after: Option<String>, set_retry: u32, #[kfp(default = 1)] mount_pvc: i64) {}
            },
        );
        assert_eq!(
            e,
            [
                "the optional input `after` would shadow the task method `after`; rename it",
                "the optional input `mount_pvc` would shadow the task method `mount_pvc`; rename it",
            ]
        );
    }
}
