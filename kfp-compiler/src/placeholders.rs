//! Container command-line elements ([`Arg`]) as the strings kfp writes
//! (`kfp/dsl/placeholders.py`).
//!
//! Simple placeholders are `{{$…}}` strings. `IfPresent` and `Concat` are
//! JSON documents in one string, written by kfp-ir-schema's
//! [`Element`] as Python's `json.dumps` writes them, with keys in kfp's
//! order. Nested inside one another they are JSON objects, not strings.

use kfp_ir_schema::CompactString;
use kfp_ir_schema::placeholder::{Branch, Element};

use crate::graph::Arg;
use crate::naming::concat;

/// Why an [`Arg`] cannot be written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PlaceholderError {
    /// kfp allows an `IfPresent` inside a `Concat` only with one element in
    /// `then` and at most one in `otherwise`.
    #[error(
        "an IfPresent on input `{input}` inside a Concat must have exactly one `then` element and at most one `otherwise` element"
    )]
    IfPresentInConcatNotSingle {
        /// The input the `IfPresent` tests.
        input: String,
    },
}

/// The string kfp writes for `arg` as an element of `command` or `args`.
pub fn arg_to_string(arg: &Arg) -> Result<CompactString, PlaceholderError> {
    match arg {
        Arg::Concat(_) | Arg::IfPresent { .. } => Ok(element(arg, false)?.to_arg().into()),
        simple => Ok(simple_to_string(simple)),
    }
}

/// Writes the placeholder as it reads inside a string, so it can be
/// formatted into one as a kfp f-string does: `format!("{}/0", out.uri())`
/// gives `{{$.outputs.artifacts['out'].uri}}/0`. A `Concat` writes its
/// items one after the other; an `IfPresent`, which has no string form,
/// writes the JSON kfp gives it as a whole argument.
impl std::fmt::Display for Arg {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Arg::Concat(items) => items.iter().try_for_each(|item| write!(f, "{item}")),
            Arg::IfPresent { .. } => match arg_to_string(self) {
                Ok(json) => f.write_str(&json),
                Err(e) => write!(f, "<{e}>"),
            },
            simple => f.write_str(&simple_to_string(simple)),
        }
    }
}

/// The placeholder of the value of input parameter `name`:
/// `{{$.inputs.parameters['<name>']}}`. A runtime task setting or an
/// f-string part is written as this placeholder of its injected input.
pub(crate) fn input_value(name: &str) -> CompactString {
    concat(&["{{$.inputs.parameters['", name, "']}}"])
}

/// The `{{$…}}` string of a non-container placeholder or a literal.
fn simple_to_string(arg: &Arg) -> CompactString {
    match arg {
        Arg::Literal(s) => s.as_str().into(),
        Arg::InputValue(n) => input_value(n),
        Arg::InputPath(n) => concat(&["{{$.inputs.artifacts['", n, "'].path}}"]),
        Arg::InputUri(n) => concat(&["{{$.inputs.artifacts['", n, "'].uri}}"]),
        Arg::InputMetadata(n) => concat(&["{{$.inputs.artifacts['", n, "'].metadata}}"]),
        Arg::InputArtifactList(n) => concat(&["{{$.inputs.artifacts['", n, "']}}"]),
        Arg::OutputPath(n) => concat(&["{{$.outputs.artifacts['", n, "'].path}}"]),
        Arg::OutputUri(n) => concat(&["{{$.outputs.artifacts['", n, "'].uri}}"]),
        Arg::OutputMetadata(n) => concat(&["{{$.outputs.artifacts['", n, "'].metadata}}"]),
        Arg::OutputParameterFile(n) => concat(&["{{$.outputs.parameters['", n, "'].output_file}}"]),
        Arg::ExecutorInput => CompactString::const_new("{{$}}"),
        // Only reached through `element`, which handles these first.
        Arg::Concat(_) | Arg::IfPresent { .. } => CompactString::default(),
    }
}

/// The element kfp writes for `arg`: a string, or a container
/// placeholder (written by [`Element::to_arg`]). Inside a `Concat` an
/// `IfPresent`'s branches are single elements, as kfp requires; elsewhere
/// they are lists.
fn element(arg: &Arg, in_concat: bool) -> Result<Element, PlaceholderError> {
    match arg {
        Arg::Concat(items) => Ok(Element::Concat(
            items
                .iter()
                .map(|i| element(i, true))
                .collect::<Result<_, _>>()?,
        )),
        Arg::IfPresent {
            input,
            then,
            otherwise,
        } => {
            let branch = |list: &[Arg]| -> Result<Branch, PlaceholderError> {
                if !in_concat {
                    let items = list.iter().map(|e| element(e, false));
                    return Ok(Branch::List(items.collect::<Result<_, _>>()?));
                }
                match list {
                    [one] => Ok(Branch::One(Box::new(element(one, true)?))),
                    _ => Err(PlaceholderError::IfPresentInConcatNotSingle {
                        input: input.clone(),
                    }),
                }
            };
            let otherwise = match otherwise.as_deref() {
                None | Some([]) => None,
                Some(list) => Some(branch(list)?),
            };
            Ok(Element::IfPresent {
                input: input.clone(),
                then: branch(then)?,
                otherwise,
            })
        }
        simple => Ok(Element::Text(simple_to_string(simple).into())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_format_into_strings_as_in_kfp_f_strings() {
        let uri = Arg::OutputUri("out".into());
        assert_eq!(format!("{uri}/0"), "{{$.outputs.artifacts['out'].uri}}/0");
        let joined = Arg::Concat(vec![Arg::Literal("a-".into()), Arg::input_value("x")]);
        assert_eq!(joined.to_string(), "a-{{$.inputs.parameters['x']}}");
    }

    #[test]
    fn simple_placeholders_are_kfp_strings() {
        assert_eq!(
            arg_to_string(&Arg::input_value("x")).unwrap(),
            "{{$.inputs.parameters['x']}}"
        );
        assert_eq!(
            arg_to_string(&Arg::output_parameter_file("z")).unwrap(),
            "{{$.outputs.parameters['z'].output_file}}"
        );
        assert_eq!(arg_to_string(&Arg::ExecutorInput).unwrap(), "{{$}}");
    }

    /// The compiler writes placeholders at their final size rather than
    /// through `kfp_ir_schema::placeholder`'s `Display` (which allocates
    /// twice); the text is the same.
    #[test]
    fn simple_placeholders_are_those_of_kfp_ir_schema() {
        use kfp_ir_schema::placeholder::{self, ArtifactField, Placeholder};
        let n = || "x".to_owned();
        let input = |field| Placeholder::InputArtifact { name: n(), field };
        let output = |field| Placeholder::OutputArtifact { name: n(), field };
        let cases = [
            (
                Arg::InputValue(n()),
                Placeholder::InputParameter {
                    name: n(),
                    json_escape: 0,
                },
            ),
            (Arg::InputPath(n()), input(ArtifactField::Path)),
            (Arg::InputUri(n()), input(ArtifactField::Uri)),
            (Arg::InputMetadata(n()), input(ArtifactField::Metadata)),
            (
                Arg::InputArtifactList(n()),
                Placeholder::InputArtifactList(n()),
            ),
            (Arg::OutputPath(n()), output(ArtifactField::Path)),
            (Arg::OutputUri(n()), output(ArtifactField::Uri)),
            (Arg::OutputMetadata(n()), output(ArtifactField::Metadata)),
            (
                Arg::OutputParameterFile(n()),
                Placeholder::OutputParameterFile(n()),
            ),
            (Arg::ExecutorInput, Placeholder::ExecutorInput),
        ];
        for (arg, expected) in cases {
            assert_eq!(
                arg_to_string(&arg).unwrap(),
                expected.to_string(),
                "{arg:?}"
            );
        }
        assert_eq!(input_value("x"), placeholder::input_parameter("x"));
    }

    #[test]
    fn concat_and_if_present_are_json_as_python_dumps_them() {
        let concat = Arg::Concat(vec![
            "prefix-".into(),
            Arg::input_value("text1"),
            Arg::output_uri("text2"),
        ]);
        assert_eq!(
            arg_to_string(&concat).unwrap(),
            r#"{"Concat": ["prefix-", "{{$.inputs.parameters['text1']}}", "{{$.outputs.artifacts['text2'].uri}}"]}"#
        );
        let if_present = Arg::IfPresent {
            input: "a".into(),
            then: vec!["--a".into(), Arg::input_value("a")],
            otherwise: None,
        };
        assert_eq!(
            arg_to_string(&if_present).unwrap(),
            r#"{"IfPresent": {"InputName": "a", "Then": ["--a", "{{$.inputs.parameters['a']}}"]}}"#
        );
        let nested = Arg::Concat(vec![Arg::IfPresent {
            input: "a".into(),
            then: vec![Arg::input_value("a")],
            otherwise: Some(vec!["é\"".into()]),
        }]);
        assert_eq!(
            arg_to_string(&nested).unwrap(),
            r#"{"Concat": [{"IfPresent": {"InputName": "a", "Then": "{{$.inputs.parameters['a']}}", "Else": "\u00e9\""}}]}"#
        );
    }

    #[test]
    fn if_present_in_concat_needs_single_branches() {
        let bad = Arg::Concat(vec![Arg::IfPresent {
            input: "a".into(),
            then: vec!["x".into(), "y".into()],
            otherwise: None,
        }]);
        assert_eq!(
            arg_to_string(&bad),
            Err(PlaceholderError::IfPresentInConcatNotSingle { input: "a".into() })
        );
    }
}
