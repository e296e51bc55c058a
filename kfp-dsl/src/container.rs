//! Container components: an image, a command and args, where the
//! component's inputs and outputs appear as typed placeholders that KFP
//! fills in at run time.
//!
//! In a `#[container_component]` function each parameter is a placeholder
//! of its declared type: a parameter `text: String` is an
//! [`InputValue<String>`], `data: Input<Dataset>` an [`InputArtifact`],
//! `model: Output<Model>` an [`OutputArtifact`] and `out: OutputPath<i64>`
//! an [`OutputParameter`]. The function runs when the pipeline is defined
//! and returns the [`ContainerSpec`].

use std::marker::PhantomData;

use kfp_compiler::graph;

pub use kfp_compiler::graph::Arg;

/// A container: image, command and args.
#[derive(Clone, Debug, PartialEq)]
pub struct ContainerSpec {
    spec: graph::ContainerSpec,
}

impl ContainerSpec {
    /// A container running `image` with the image's own entrypoint.
    pub fn new(image: impl Into<String>) -> Self {
        ContainerSpec {
            spec: graph::ContainerSpec::new(image),
        }
    }

    /// Appends to the command: an array of one type, or a tuple mixing
    /// literals and placeholders.
    pub fn command(mut self, command: impl IntoArgs) -> Self {
        self.spec.command.extend(command.into_args());
        self
    }

    /// Appends to the args (as [`command`](Self::command)).
    pub fn args(mut self, args: impl IntoArgs) -> Self {
        self.spec.args.extend(args.into_args());
        self
    }

    /// Appends one arg.
    pub fn arg(mut self, arg: impl Into<Arg>) -> Self {
        self.spec.args.push(arg.into());
        self
    }

    /// The graph's container.
    pub fn into_graph(self) -> graph::ContainerSpec {
        self.spec
    }
}

/// Something that gives a list of command-line elements: arrays and `Vec`s
/// of one type, and tuples (up to 12) mixing literals and placeholders.
pub trait IntoArgs {
    /// The elements.
    fn into_args(self) -> Vec<Arg>;
}

impl<A: Into<Arg>, const N: usize> IntoArgs for [A; N] {
    fn into_args(self) -> Vec<Arg> {
        self.into_iter().map(Into::into).collect()
    }
}

impl<A: Into<Arg>> IntoArgs for Vec<A> {
    fn into_args(self) -> Vec<Arg> {
        self.into_iter().map(Into::into).collect()
    }
}

impl IntoArgs for () {
    fn into_args(self) -> Vec<Arg> {
        Vec::new()
    }
}

macro_rules! tuple_args {
    ($($name:ident),+) => {
        impl<$($name: Into<Arg>),+> IntoArgs for ($($name,)+) {
            #[allow(non_snake_case)]
            fn into_args(self) -> Vec<Arg> {
                let ($($name,)+) = self;
                vec![$($name.into()),+]
            }
        }
    };
}
tuple_args!(A);
tuple_args!(A, B);
tuple_args!(A, B, C);
tuple_args!(A, B, C, D);
tuple_args!(A, B, C, D, E);
tuple_args!(A, B, C, D, E, F);
tuple_args!(A, B, C, D, E, F, G);
tuple_args!(A, B, C, D, E, F, G, H);
tuple_args!(A, B, C, D, E, F, G, H, I);
tuple_args!(A, B, C, D, E, F, G, H, I, J);
tuple_args!(A, B, C, D, E, F, G, H, I, J, K);
tuple_args!(A, B, C, D, E, F, G, H, I, J, K, L);

/// The value of an input parameter of type `T`:
/// `{{$.inputs.parameters['name']}}`.
pub struct InputValue<T> {
    name: &'static str,
    _type: PhantomData<fn() -> T>,
}

/// An input artifact of type `A`: its [`path`](Self::path),
/// [`uri`](Self::uri) or [`metadata`](Self::metadata).
pub struct InputArtifact<A> {
    name: &'static str,
    _type: PhantomData<fn() -> A>,
}

/// A list-of-artifacts input (`Vec<Input<A>>`): as an argument, the JSON
/// list of the artifacts, `{{$.inputs.artifacts['name']}}`.
pub struct InputArtifactList<A> {
    name: &'static str,
    _type: PhantomData<fn() -> A>,
}

impl<A> From<InputArtifactList<A>> for Arg {
    fn from(v: InputArtifactList<A>) -> Arg {
        Arg::InputArtifactList(v.name.to_owned())
    }
}

/// An output artifact of type `A`: its [`path`](Self::path),
/// [`uri`](Self::uri) or [`metadata`](Self::metadata).
pub struct OutputArtifact<A> {
    name: &'static str,
    _type: PhantomData<fn() -> A>,
}

/// The file an output parameter of type `T` is written to:
/// `{{$.outputs.parameters['name'].output_file}}`.
pub struct OutputParameter<T> {
    name: &'static str,
    _type: PhantomData<fn() -> T>,
}

macro_rules! placeholder {
    ($($p:ident),*) => {$(
        impl<T> $p<T> {
            #[doc(hidden)]
            pub fn __new(name: &'static str) -> Self {
                $p { name, _type: PhantomData }
            }

            /// The input's or output's name.
            pub fn name(&self) -> &'static str {
                self.name
            }
        }
        impl<T> Clone for $p<T> {
            fn clone(&self) -> Self {
                *self
            }
        }
        impl<T> Copy for $p<T> {}
        impl<T> std::fmt::Debug for $p<T> {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.debug_struct(stringify!($p)).field("name", &self.name).finish()
            }
        }
    )*};
}
placeholder!(
    InputValue,
    InputArtifact,
    InputArtifactList,
    OutputArtifact,
    OutputParameter
);

/// Writes the placeholder, so it can be formatted into a string as a kfp
/// f-string does: `format!("echo {nums} | jq add")`.
impl<T> std::fmt::Display for InputValue<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{{{{$.inputs.parameters['{}']}}}}", self.name)
    }
}

/// Writes the placeholder of the output file, as [`InputValue`]'s does.
impl<T> std::fmt::Display for OutputParameter<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{{{{$.outputs.parameters['{}'].output_file}}}}",
            self.name
        )
    }
}

impl<T> From<InputValue<T>> for Arg {
    fn from(v: InputValue<T>) -> Arg {
        Arg::InputValue(v.name.to_owned())
    }
}

impl<T> From<OutputParameter<T>> for Arg {
    fn from(v: OutputParameter<T>) -> Arg {
        Arg::OutputParameterFile(v.name.to_owned())
    }
}

impl<A> InputArtifact<A> {
    /// The local path: `{{$.inputs.artifacts['name'].path}}`.
    pub fn path(&self) -> Arg {
        Arg::InputPath(self.name.to_owned())
    }

    /// The URI: `{{$.inputs.artifacts['name'].uri}}`.
    pub fn uri(&self) -> Arg {
        Arg::InputUri(self.name.to_owned())
    }

    /// The metadata: `{{$.inputs.artifacts['name'].metadata}}`.
    pub fn metadata(&self) -> Arg {
        Arg::InputMetadata(self.name.to_owned())
    }
}

impl<A> OutputArtifact<A> {
    /// The local path: `{{$.outputs.artifacts['name'].path}}`.
    pub fn path(&self) -> Arg {
        Arg::OutputPath(self.name.to_owned())
    }

    /// The URI: `{{$.outputs.artifacts['name'].uri}}`.
    pub fn uri(&self) -> Arg {
        Arg::OutputUri(self.name.to_owned())
    }

    /// The metadata: `{{$.outputs.artifacts['name'].metadata}}`.
    pub fn metadata(&self) -> Arg {
        Arg::OutputMetadata(self.name.to_owned())
    }
}

/// An input whose presence can be tested with [`if_present`].
pub trait NamedInput {
    /// The input's name.
    fn input_name(&self) -> &'static str;
}

impl<T> NamedInput for InputValue<T> {
    fn input_name(&self) -> &'static str {
        self.name
    }
}

impl<A> NamedInput for InputArtifact<A> {
    fn input_name(&self) -> &'static str {
        self.name
    }
}

/// `then` when `input` is set (kfp's `IfPresentPlaceholder`); add an
/// alternative with [`IfPresent::or_else`].
///
/// ```
/// use kfp_dsl::container::{if_present, Arg, InputValue};
/// let x: InputValue<Option<String>> = InputValue::__new("x");
/// let arg: Arg = if_present(&x, ("--x", x)).or_else(["none"]).into();
/// assert!(matches!(arg, Arg::IfPresent { .. }));
/// ```
pub fn if_present(input: &impl NamedInput, then: impl IntoArgs) -> IfPresent {
    IfPresent {
        input: input.input_name(),
        then: then.into_args(),
        otherwise: None,
    }
}

/// An `IfPresent` placeholder being built; it converts into an [`Arg`].
#[derive(Clone, Debug)]
pub struct IfPresent {
    input: &'static str,
    then: Vec<Arg>,
    otherwise: Option<Vec<Arg>>,
}

impl IfPresent {
    /// The args when the input is not set.
    pub fn or_else(mut self, otherwise: impl IntoArgs) -> Self {
        self.otherwise = Some(otherwise.into_args());
        self
    }
}

impl From<IfPresent> for Arg {
    fn from(p: IfPresent) -> Arg {
        Arg::IfPresent {
            input: p.input.to_owned(),
            then: p.then,
            otherwise: p.otherwise,
        }
    }
}

/// The items joined into one argument (kfp's `ConcatPlaceholder`).
pub fn concat(items: impl IntoArgs) -> Arg {
    Arg::Concat(items.into_args())
}
