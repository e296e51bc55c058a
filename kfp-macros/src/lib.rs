//! The `#[component]`, `#[container_component]` and `#[pipeline]` macros of
//! kfp-rs. Use them through `kfp_dsl`, which documents them and holds the
//! runtime the generated code calls.
//!
//! Each macro reads the function into a model ([`model`]), checks it
//! ([`check`]) collecting every error with its span, and generates code
//! ([`expand`]). Errors are emitted as `compile_error!` *next to* the
//! generated items, so that a mistake in one component does not cascade
//! into errors at every place that calls it.

mod attr;
mod check;
mod ctxt;
mod expand;
mod model;
mod outputs;

use proc_macro::TokenStream;

use attr::Kind;
use ctxt::Ctxt;

fn run(kind: Kind, args: TokenStream, item: TokenStream) -> TokenStream {
    let item = match syn::parse::<syn::ItemFn>(item) {
        Ok(item) => item,
        Err(e) => {
            let message = format!("`#[{}]` goes on a function", kind.macro_name());
            return syn::Error::new(e.span(), message).to_compile_error().into();
        }
    };
    let mut cx = Ctxt::default();
    let function = model::Function::from_syn(&mut cx, kind, args.into(), item);
    let mut out = cx.into_compile_errors();
    out.extend(expand::expand(&function));
    out.into()
}

/// A Rust-native KFP component: the function's body runs inside the
/// container, started as `<binary> --executor_input {{$}}
/// --function_to_execute <name>`. See `kfp_dsl` for the full reference.
#[proc_macro_attribute]
pub fn component(args: TokenStream, item: TokenStream) -> TokenStream {
    run(Kind::Component, args, item)
}

/// A container component: the function returns a `ContainerSpec` whose
/// command and args use the inputs and outputs as typed placeholders.
#[proc_macro_attribute]
pub fn container_component(args: TokenStream, item: TokenStream) -> TokenStream {
    run(Kind::Container, args, item)
}

/// A pipeline: parameters are pipeline inputs, the body calls components.
#[proc_macro_attribute]
pub fn pipeline(args: TokenStream, item: TokenStream) -> TokenStream {
    run(Kind::Pipeline, args, item)
}

/// Named output parameters: a struct whose fields are the outputs of the
/// component or pipeline that returns it (kfp's `NamedTuple` return). Also
/// generates `<Name>Handles`, the typed handles of those outputs.
#[proc_macro_derive(Outputs)]
pub fn derive_outputs(input: TokenStream) -> TokenStream {
    match syn::parse::<syn::DeriveInput>(input) {
        Ok(input) => outputs::derive(&input).into(),
        Err(e) => e.to_compile_error().into(),
    }
}
