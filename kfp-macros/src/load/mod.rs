//! `load_component!`: a component file read when the crate is built (the
//! macros' one I/O), made a typed component.
//!
//! The macro reads the file with kfp-ir-schema's component reader (the
//! only code that knows the formats), builds a model of its interface with
//! Rust names and types (`names`, [`model`]), and generates the same items
//! `#[component]` does (`expand`): a task builder taking the required
//! inputs, and a module with `Task`, `Outputs`, `DEFINITION` and `ENTRY`.
//! The generated code embeds the file (`include_bytes!`), so the crate is
//! rebuilt when the file changes, and the component is built from those
//! very bytes when a pipeline is recorded.

mod expand;
mod names;

use std::path::{Path, PathBuf};

use kfp_ir_schema::component::{
    self as loaded, ComponentInput, ComponentOutput, Format, Implementation, LoadedComponent,
};
use kfp_ir_schema::{ArtifactTypeSchema, ParameterType};
use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote};
use syn::parse::{Parse, ParseStream};
use syn::{Ident, LitStr, Token, Visibility};

/// The macro's input: `[VIS] [NAME =] "PATH"`.
struct Input {
    vis: Visibility,
    name: Option<Ident>,
    path: LitStr,
}

impl Parse for Input {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let vis: Visibility = input.parse()?;
        let name = if input.peek(Ident) && input.peek2(Token![=]) {
            let name: Ident = input.parse()?;
            input.parse::<Token![=]>()?;
            Some(name)
        } else {
            None
        };
        let path: LitStr = input.parse().map_err(|e| {
            syn::Error::new(
                e.span(),
                "expected `load_component!(\"path/to/component.yaml\")` or `load_component!(pub name = \"path/to/component.yaml\")`",
            )
        })?;
        let _ = input.parse::<Option<Token![,]>>()?;
        Ok(Input { vis, name, path })
    }
}

/// What a port (input or output) is in Rust.
pub enum PortType {
    /// A parameter of this Rust type.
    Param(TokenStream),
    /// An artifact of this artifact type; `list` for a list of artifacts.
    Artifact {
        /// The Rust artifact type.
        ty: TokenStream,
        /// Whether it is a list of artifacts.
        list: bool,
    },
}

/// One input or output of the component.
pub struct Port {
    /// Its KFP name.
    pub kfp: String,
    /// Its Rust name.
    pub ident: Ident,
    /// Its Rust type.
    pub ty: PortType,
    /// For an input, whether a task may leave it unset.
    pub optional: bool,
    /// Its KFP type, default and description, for the docs.
    pub doc: String,
}

/// The component, with everything Rust needs to know of it.
pub struct Model {
    /// The visibility of the generated items.
    pub vis: Visibility,
    /// The builder's and the module's name.
    pub name: Ident,
    /// The path as written.
    pub path: LitStr,
    /// The file's absolute path (for `include_bytes!`).
    pub absolute: String,
    /// The component read.
    pub component: LoadedComponent,
    /// Its inputs, in the file's order.
    pub inputs: Vec<Port>,
    /// Its outputs, in the file's order.
    pub outputs: Vec<Port>,
    /// Artifact types no Rust type stands for, generated in the module:
    /// (Rust name, schema title, version).
    pub types: Vec<(Ident, String, String)>,
}

/// Expands `load_component!`.
pub fn load_component(input: TokenStream, call_site: proc_macro::Span) -> TokenStream {
    let input: Input = match syn::parse2(input) {
        Ok(input) => input,
        Err(e) => return e.to_compile_error(),
    };
    let path = resolve(&input.path.value(), call_site);
    let fail = |message: String| {
        let message = format!("load_component!: {}: {message}", input.path.value());
        let error = syn::Error::new(input.path.span(), message).to_compile_error();
        // Rebuilt when the file is fixed, when it exists.
        match path.to_str().filter(|_| path.is_file()) {
            Some(absolute) => quote!(#error const _: &[u8] = ::core::include_bytes!(#absolute);),
            None => error,
        }
    };
    let bytes = match std::fs::read(&path) {
        Ok(bytes) => bytes,
        Err(e) => {
            return fail(format!(
                "cannot read the file: {e} (a relative path is relative to the package's folder, the one holding its Cargo.toml)"
            ));
        }
    };
    let component = match loaded::load_bytes(&bytes) {
        Ok(component) => component,
        Err(e) => return fail(e.to_string()),
    };
    let Some(absolute) = path.to_str().map(str::to_owned) else {
        return fail("the path is not UTF-8".to_owned());
    };
    match model(
        input.vis,
        input.name,
        input.path.clone(),
        absolute,
        component,
    ) {
        Ok(model) => expand::expand(&model),
        Err(message) => fail(message),
    }
}

/// `relative` from the package that holds the invoking file: its
/// `CARGO_MANIFEST_DIR`. A file outside that folder (trybuild compiles
/// `tests/ui/*.rs` as a crate of its own, elsewhere) belongs to the
/// package whose `Cargo.toml` is nearest above it.
fn resolve(relative: &str, call_site: proc_macro::Span) -> PathBuf {
    let relative = Path::new(relative);
    if relative.is_absolute() {
        return relative.to_owned();
    }
    let manifest = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default());
    let file = call_site
        .local_file()
        .and_then(|f| std::fs::canonicalize(f).ok());
    let manifest_canonical = std::fs::canonicalize(&manifest).unwrap_or_else(|_| manifest.clone());
    let base = match file {
        Some(file) if !file.starts_with(&manifest_canonical) => file
            .ancestors()
            .skip(1)
            .find(|dir| dir.join("Cargo.toml").is_file())
            .map_or(manifest, Path::to_owned),
        _ => manifest,
    };
    base.join(relative)
}

/// The model of `component`: Rust names and types of its ports, each name
/// checked for clashes.
fn model(
    vis: Visibility,
    name: Option<Ident>,
    path: LitStr,
    absolute: String,
    component: LoadedComponent,
) -> Result<Model, String> {
    let name = match name {
        Some(name) => name,
        None => {
            let kfp = kfp_ir_schema::naming::maybe_rename_for_k8s(&component.name);
            ident(&names::rust_name(&kfp), path.span())
        }
    };
    let mut types = Vec::new();
    let mut inputs = Vec::new();
    for (kfp, input) in &component.inputs {
        let (ty, doc) = match input {
            ComponentInput::Parameter(p) => {
                let default = p
                    .default_value
                    .as_ref()
                    .map(|d| format!(", default `{d}`"))
                    .unwrap_or_default();
                (
                    PortType::Param(parameter_type(p.parameter_type)),
                    format!("parameter `{}`{default}", p.parameter_type.as_str()),
                )
            }
            ComponentInput::Artifact(a) => {
                let title = loaded::schema_title(a.artifact_type.as_ref());
                let ty = artifact_type(a.artifact_type.as_ref(), &name, &mut types)?;
                let list = if a.is_artifact_list { "list of " } else { "" };
                (
                    PortType::Artifact {
                        ty,
                        list: a.is_artifact_list,
                    },
                    format!("{list}artifact `{title}`"),
                )
            }
        };
        inputs.push(port(kfp, ty, input.is_optional(), doc, input.description()));
    }
    let mut outputs = Vec::new();
    for (kfp, output) in &component.outputs {
        let (ty, doc) = match output {
            ComponentOutput::Parameter(p) => (
                PortType::Param(parameter_type(p.parameter_type)),
                format!("parameter `{}`", p.parameter_type.as_str()),
            ),
            ComponentOutput::Artifact(a) => {
                let title = loaded::schema_title(a.artifact_type.as_ref());
                let ty = artifact_type(a.artifact_type.as_ref(), &name, &mut types)?;
                (
                    PortType::Artifact {
                        ty,
                        list: a.is_artifact_list,
                    },
                    format!("artifact `{title}`"),
                )
            }
        };
        outputs.push(port(kfp, ty, false, doc, output.description()));
    }
    check_clashes(
        "input",
        inputs.iter().map(|p| (p.kfp.as_str(), p.ident.to_string())),
    )?;
    check_clashes(
        "optional input",
        inputs
            .iter()
            .filter(|p| p.optional)
            .map(|p| (p.kfp.as_str(), names::setter_name(&p.ident.to_string()))),
    )?;
    check_clashes(
        "output",
        outputs
            .iter()
            .map(|p| (p.kfp.as_str(), p.ident.to_string())),
    )?;
    Ok(Model {
        vis,
        name,
        path,
        absolute,
        component,
        inputs,
        outputs,
        types,
    })
}

fn port(kfp: &str, ty: PortType, optional: bool, doc: String, description: &str) -> Port {
    let doc = if description.is_empty() {
        doc
    } else {
        format!("{doc}: {}", description.replace('\n', " "))
    };
    Port {
        kfp: kfp.to_owned(),
        ident: ident(&names::rust_name(kfp), Span::call_site()),
        ty,
        optional,
        doc,
    }
}

/// An identifier, raw (`r#type`) when written so.
fn ident(name: &str, span: Span) -> Ident {
    match name.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, span),
        None => Ident::new(name, span),
    }
}

/// Two KFP names that become one Rust name are an error.
fn check_clashes<'a>(
    what: &str,
    names: impl Iterator<Item = (&'a str, String)>,
) -> Result<(), String> {
    let mut seen: Vec<(&str, String)> = Vec::new();
    for (kfp, rust) in names {
        if let Some((first, _)) = seen.iter().find(|(_, r)| *r == rust) {
            return Err(format!(
                "the {what}s `{first}` and `{kfp}` both become `{rust}` in Rust; load the component at runtime with `kfp_dsl::LoadedComponent`, which takes KFP names"
            ));
        }
        seen.push((kfp, rust));
    }
    Ok(())
}

/// The Rust type of a parameter type.
fn parameter_type(kind: ParameterType) -> TokenStream {
    let json = quote!(::kfp_dsl::__private::serde_json);
    match kind {
        ParameterType::NumberInteger => quote!(i64),
        ParameterType::NumberDouble => quote!(f64),
        ParameterType::Boolean => quote!(bool),
        ParameterType::List => quote!(::std::vec::Vec<#json::Value>),
        ParameterType::Struct => quote!(#json::Map<::std::string::String, #json::Value>),
        ParameterType::TaskFinalStatus => quote!(::kfp_dsl::PipelineTaskFinalStatus),
        _ => quote!(::std::string::String),
    }
}

/// The system artifact types kfp-dsl provides, by schema title.
const SYSTEM_TYPES: &[(&str, &str)] = &[
    ("system.Artifact", "Artifact"),
    ("system.Dataset", "Dataset"),
    ("system.Model", "Model"),
    ("system.Metrics", "Metrics"),
    ("system.ClassificationMetrics", "ClassificationMetrics"),
    (
        "system.SlicedClassificationMetrics",
        "SlicedClassificationMetrics",
    ),
    ("system.HTML", "HTML"),
    ("system.Markdown", "Markdown"),
];

/// The Google Cloud Pipeline Components types of `kfp_dsl::google`.
const GOOGLE_TYPES: &[&str] = &[
    "VertexModel",
    "VertexEndpoint",
    "VertexBatchPredictionJob",
    "VertexDataset",
    "BQMLModel",
    "BQTable",
    "UnmanagedContainerModel",
    "ClassificationMetrics",
    "RegressionMetrics",
    "ForecastingMetrics",
];

/// The Rust type of an artifact type: kfp-dsl's system types, its
/// `google` types, or one generated in the component's module.
fn artifact_type(
    schema: Option<&ArtifactTypeSchema>,
    module: &Ident,
    generated: &mut Vec<(Ident, String, String)>,
) -> Result<TokenStream, String> {
    let title = loaded::schema_title(schema);
    if let Some((_, rust)) = SYSTEM_TYPES.iter().find(|(t, _)| *t == title) {
        let rust = format_ident!("{rust}");
        return Ok(quote!(::kfp_dsl::#rust));
    }
    if let Some(rust) = title
        .strip_prefix("google.")
        .filter(|g| GOOGLE_TYPES.contains(g))
    {
        let rust = format_ident!("{rust}");
        return Ok(quote!(::kfp_dsl::google::#rust));
    }
    let rust = names::type_name(title);
    let version = schema.map_or("0.0.1", |s| s.schema_version.as_str());
    match generated.iter().find(|(r, _, _)| *r == rust) {
        Some((_, known, _)) if known != title => {
            return Err(format!(
                "the artifact types `{known}` and `{title}` both become `{rust}` in Rust"
            ));
        }
        Some(_) => {}
        None => generated.push((
            format_ident!("{rust}"),
            title.to_owned(),
            version.to_owned(),
        )),
    }
    let rust = format_ident!("{rust}");
    Ok(quote!(#module::#rust))
}

/// How the file's format reads in the docs.
fn format_words(component: &LoadedComponent) -> &'static str {
    match (&component.format, &component.implementation) {
        (Format::V1, _) => "a legacy v1 component",
        (Format::Ir, Implementation::Container(_)) => "a compiled component",
        (Format::Ir, Implementation::Pipeline(_)) => {
            "a compiled pipeline, used as a nested pipeline"
        }
    }
}
