//! The `#[component]`, `#[container_component]` and `#[pipeline]` macros of
//! kfp-rs. Use them through `kfp_dsl`, which documents them and holds the
//! runtime the generated code calls.
//!
//! `load_component!` reads a component file instead (`load`), the one
//! I/O of the macros.
//!
//! Each macro reads the function into a model (`model`, with `attr` for
//! the attributes), checks it (`check`) collecting every error with its
//! span (`ctxt`), and generates code (`expand`; `outputs` for
//! `#[derive(Outputs)]`). Errors are emitted as `compile_error!` *next to*
//! the generated items, so that a mistake in one component does not
//! cascade into errors at every place that calls it.

mod attr;
mod check;
mod ctxt;
mod expand;
mod load;
mod model;
mod outputs;
mod task_methods;
mod tokens;

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
    check::check(&mut cx, &function);
    let mut out = cx.into_compile_errors();
    out.extend(expand::expand(&function));
    out.into()
}

/// A Rust-native KFP component: the function's body runs inside the
/// container, which KFP starts as `<binary> --executor_input {{$}}
/// --function_to_execute <name>`.
///
/// ```text
/// /// Trains a model (becomes the component's description).
/// #[component(image = "ghcr.io/acme/train:1")]
/// fn train(
///     /// Training data (becomes the input's description).
///     data: Input<Dataset>,
///     #[kfp(default = 0.01)] learning_rate: f64,
///     epochs: Option<u32>,
///     model: Output<Model>,
///     metrics: Output<Metrics>,
/// ) -> anyhow::Result<f64> { /* … */ }
/// ```
///
/// * Parameters of a [parameter type] are input parameters; `Option<T>`
///   inputs may be left unset; `#[kfp(default = …)]` gives a default.
///   `Input<A>` / `Option<Input<A>>` are input artifacts, `Output<A>`
///   output artifacts, and `OutputPath<T>` an output parameter the function
///   writes to a file (kfp's `OutputPath(T)`).
/// * The return value (also inside `Result<T, E>`) is the output named
///   `Output`: a parameter, or an artifact the function made with
///   `Output::at(get_uri("model")?)` (`-> Output<Model>`, kfp's `-> Model`);
///   a struct with `#[derive(Outputs)]` gives named outputs, parameters and
///   artifacts. An `Err` fails the task with its message.
/// * `Vec<Input<A>>` is a list-of-artifacts input.
/// * Attribute keys: `image = "…"` (else the binary's default image),
///   `name = "…"` (the KFP component name; default: from the function
///   name) and `output_description = "…"` (of the return value).
///
/// It generates a task builder with the function's name taking the required
/// inputs, and a module of the same name with `Task` (optional inputs and
/// task settings as methods, `outputs()`, `output()`), `Outputs`,
/// `DEFINITION` and `ENTRY` (the component compiled on its own).
///
/// [parameter type]: https://docs.rs/kfp-dsl/latest/kfp_dsl/trait.Parameter.html
#[proc_macro_attribute]
pub fn component(args: TokenStream, item: TokenStream) -> TokenStream {
    run(Kind::Component, args, item)
}

/// A container component (kfp's `dsl.container_component`): the function
/// runs when the pipeline is defined and returns a `ContainerSpec` whose
/// command and args use its inputs and outputs as typed placeholders.
///
/// ```text
/// #[container_component]
/// fn report(model: Input<Model>, title: String, html: Output<HTML>, pages: OutputPath<i64>) -> ContainerSpec {
///     ContainerSpec::new("python:3.11")
///         .command(["python3", "-m", "report"])
///         .args(("--model", model.path(), "--title", title, "--out", html.path(), "--pages", pages))
/// }
/// ```
///
/// In the body a parameter `x: T` is an `InputValue<T>`, `Input<A>` an
/// `InputArtifact<A>` (`.path()`, `.uri()`, `.metadata()`), `Output<A>` an
/// `OutputArtifact<A>`, and `OutputPath<T>` (an output parameter) an
/// `OutputParameter<T>`. `if_present` and `concat` build kfp's `IfPresent`
/// and `Concat` placeholders. Attribute key: `name = "…"`.
#[proc_macro_attribute]
pub fn container_component(args: TokenStream, item: TokenStream) -> TokenStream {
    run(Kind::Container, args, item)
}

/// A pipeline: the parameters are the pipeline's inputs, the body calls
/// component builders, and the return value is the pipeline's output.
///
/// ```text
/// #[pipeline(name = "churn", description = "Train and report")]
/// fn churn(#[kfp(default = "gs://b/churn.csv")] url: String, lr: f64) -> f64 {
///     let data = download(url);
///     train(data.outputs().data).learning_rate(lr).set_retry(3).output()
/// }
/// ```
///
/// The body runs when the pipeline is defined: a parameter `x: T` is a
/// `PipelineParam<T>` and `Input<A>` a `PipelineArtifact<A>`; a declared
/// return type `T` is returned as a task's `ParamOutput<T>` (or the handles
/// of a `#[derive(Outputs)]` struct). rustc checks every connection. The
/// same function called inside another pipeline adds it as a sub-DAG task.
///
/// A pipeline input parameter may take `#[kfp(default = …)]` (a default:
/// the input becomes optional) or `#[kfp(argument = …)]` (kfp's
/// `pipeline_parameters`: its value for this compilation, written as the
/// root's `defaultValue` while the input stays required; it replaces a
/// `default` and is ignored when the pipeline is used inside another).
///
/// Attribute keys: `name` (the IR's name is derived from it as kfp derives
/// it: `"Vertex AI demo"` becomes `vertex-ai-demo`; refused, as by kfp,
/// when that leaves nothing or more than 128 characters; default: from the
/// function name), `description` (default: the doc comment),
/// `display_name`, `pipeline_root`, `output_description` (of the return
/// value: the root's `outputDefinitions`), and `pipeline_config = <expr>`
/// (kfp's `pipeline_config`: a `kfp_dsl::PipelineConfig`, such as
/// `PipelineConfig::new().workspace(WorkspaceConfig::new("1Gi"))`).
#[proc_macro_attribute]
pub fn pipeline(args: TokenStream, item: TokenStream) -> TokenStream {
    run(Kind::Pipeline, args, item)
}

/// A component read from a YAML file when the crate is built, as a typed
/// component called in a `#[pipeline]` exactly like a `#[component]`:
///
/// ```text
/// load_component!("components/train.yaml");              // fn train(..) and mod train
/// load_component!(pub trainer = "components/train.yaml");  // named, and public
///
/// #[pipeline]
/// fn p(data: Input<Dataset>) {
///     let model = train(data).epochs(20).set_cpu_limit("2").outputs().model;
///     evaluate(model);
/// }
/// ```
///
/// The path is relative to the package (`CARGO_MANIFEST_DIR`). The file
/// is a compiled v2 component (kfp's `Compiler().compile(component)`), a
/// compiled v2 pipeline (used as a nested pipeline: its components,
/// executors and platform spec are merged in as kfp merges them), or a
/// legacy v1 component (converted as kfp converts it). The macro never
/// reaches the network: fetch a published component once with
/// `kfp component fetch URL -o FILE`.
///
/// It generates what `#[component]` does: a builder named after the
/// component (`Xgboost train` → `xgboost_train`) taking the required
/// inputs in the file's order, and a module of the same name with `Task`
/// (optional inputs as methods, task settings, `outputs()`, and `output()`
/// when the component has one output), `Outputs`, `DEFINITION` and `ENTRY`.
/// Every input and output keeps its type: `STRING` is `String`,
/// `NUMBER_INTEGER` `i64`, `NUMBER_DOUBLE` `f64`, `BOOLEAN` `bool`, `LIST`
/// `Vec<serde_json::Value>`, `STRUCT` `serde_json::Map<String, Value>`,
/// `TASK_FINAL_STATUS` `PipelineTaskFinalStatus`; artifacts are kfp-dsl's
/// system types, `kfp_dsl::google` types, or a type the module declares
/// for any other schema title. Wiring it wrongly is a compile error.
///
/// Names become Rust names by one rule: every run of characters other
/// than letters, digits and `_` becomes `_`, letters are lower-cased with
/// `_` between words (`model-name` → `model_name`, `learningRate` →
/// `learning_rate`, `Output` → `output`), a leading digit gets a `_`, and
/// a keyword is raw (`type` → `r#type`; `self` → `self_`). An optional
/// input named like a method of every task (`after`, `outputs`, …) is set
/// with `<name>_input`. Two names that become one are an error.
///
/// The generated code embeds the file, so the crate is rebuilt when it
/// changes. A file that cannot be read or loaded is a compile error naming
/// the file and each problem, with its line.
#[proc_macro]
pub fn load_component(input: TokenStream) -> TokenStream {
    load::load_component(input.into(), proc_macro::Span::call_site()).into()
}

/// Named outputs: a struct whose fields are the outputs of the component or
/// pipeline that returns it (kfp's `NamedTuple` return). Also generates
/// `<Name>Handles`, the typed handles of those outputs.
///
/// A field is an output parameter (a parameter type), an artifact
/// (`Output<A>`; a component returns one it made with `Output::at`), or,
/// for a struct only a pipeline returns, a list of artifacts
/// (`Vec<Output<A>>`). A pipeline returns the handles struct built from its
/// tasks' outputs; each field takes what can be published as its type
/// (`kfp_dsl::IntoPipelineOutput`):
///
/// ```text
/// #[derive(Outputs)]
/// pub struct Results {
///     /// Every dataset written (becomes the output's description).
///     datasets: Vec<Output<Dataset>>,
///     sum: Output<Dataset>,
///     count: i64,
/// }
///
/// #[pipeline]
/// fn results() -> Results {
///     let written = parallel_for([1, 2, 3], |n| write(n).outputs().out);
///     let sum = add(collected(written));
///     ResultsHandles { datasets: collected(written), sum: sum.outputs().out, count: sum.output() }
/// }
/// ```
#[proc_macro_derive(Outputs)]
pub fn derive_outputs(input: TokenStream) -> TokenStream {
    match syn::parse::<syn::DeriveInput>(input) {
        Ok(input) => outputs::derive(&input).into(),
        Err(e) => e.to_compile_error().into(),
    }
}

/// The methods of kfp-dsl's task-settings traits, as a `&[&str]`: the
/// names an optional input may not take, from the one list the macros
/// check against. Not public API: kfp-dsl's test checks it against the
/// traits, so that the list cannot drift from them.
#[doc(hidden)]
#[proc_macro]
pub fn __task_settings(input: TokenStream) -> TokenStream {
    if !input.is_empty() {
        let message = "`__task_settings!` takes no arguments";
        return syn::Error::new(proc_macro2::Span::call_site(), message)
            .to_compile_error()
            .into();
    }
    let names = task_methods::SETTINGS;
    quote::quote!(&[#(#names),*]).into()
}

/// The pipeline name kfp derives from a string literal, as the
/// `#[pipeline]` macro derives it to check a `name`. Not public API:
/// kfp-dsl's test `pipeline_names` checks it against the compiler's rule,
/// so that the macro's copy cannot drift from it.
#[doc(hidden)]
#[proc_macro]
pub fn __pipeline_name(input: TokenStream) -> TokenStream {
    match syn::parse::<syn::LitStr>(input) {
        Ok(name) => {
            let derived = attr::derived_pipeline_name(&name.value());
            quote::quote!(#derived).into()
        }
        Err(e) => e.to_compile_error().into(),
    }
}
