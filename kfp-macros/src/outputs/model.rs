//! The model of an outputs struct: its fields, each with what it declares
//! (an output parameter, an artifact, or a list of artifacts), read with
//! every mistake recorded.

use syn::{Data, DeriveInput, Fields, Ident, LitStr, Type, Visibility};

use crate::attr::doc_line;
use crate::ctxt::Ctxt;
use crate::model::last_segment;
use crate::tokens::kfp_name;

/// What a field of an outputs struct declares.
#[derive(Clone, Copy)]
pub enum FieldKind<'a> {
    /// An output parameter of the field's type.
    Param,
    /// `Output<A>`, or `Vec<Output<A>>` (`list`).
    Artifact {
        /// The artifact type `A`.
        artifact: &'a Type,
        /// Whether it is a list of artifacts.
        list: bool,
    },
}

/// Reads what a field declares from its type; an error message for types
/// that are inputs or output paths, which have no place in an outputs struct.
pub fn field_kind(ty: &Type) -> Result<FieldKind<'_>, &'static str> {
    const NOT_AN_OUTPUT: &str = "an output field is a parameter type, `Output<A>` (an artifact) \
                                 or `Vec<Output<A>>` (a list of artifacts)";
    match last_segment(ty) {
        Some((id, Some(inner))) if id == "Output" => Ok(FieldKind::Artifact {
            artifact: inner,
            list: false,
        }),
        Some((id, Some(inner))) if id == "Vec" => match last_segment(inner) {
            Some((iid, Some(artifact))) if iid == "Output" => Ok(FieldKind::Artifact {
                artifact,
                list: true,
            }),
            Some((iid, _)) if iid == "Input" || iid == "OutputPath" => Err(NOT_AN_OUTPUT),
            _ => Ok(FieldKind::Param),
        },
        Some((id, _)) if id == "Input" || id == "OutputPath" => Err(NOT_AN_OUTPUT),
        Some((id, Some(inner))) if id == "Option" => match last_segment(inner) {
            Some((iid, _)) if iid == "Input" || iid == "Output" => Err(NOT_AN_OUTPUT),
            _ => Ok(FieldKind::Param),
        },
        _ => Ok(FieldKind::Param),
    }
}

/// One field: one output.
pub struct Field<'a> {
    /// The field's name.
    pub ident: &'a Ident,
    /// The output's KFP name.
    pub name: LitStr,
    /// The field's type.
    pub ty: &'a Type,
    /// What it declares.
    pub kind: FieldKind<'a>,
    /// Doc-comment lines (the output's description).
    pub docs: Vec<String>,
}

/// A struct of named outputs.
pub struct OutputsStruct<'a> {
    /// The struct's name.
    pub ident: &'a Ident,
    /// Its visibility (the handles struct gets the same).
    pub vis: &'a Visibility,
    /// Its fields, in order.
    pub fields: Vec<Field<'a>>,
}

impl<'a> OutputsStruct<'a> {
    /// Reads the struct; `None`, with the mistakes in `cx`, when it is not
    /// a struct of outputs. A shape that is not one (an enum, a tuple
    /// struct, generics) is the only error reported; otherwise every field
    /// is read and each wrong one reported.
    pub fn from_syn(cx: &mut Ctxt, input: &'a DeriveInput) -> Option<OutputsStruct<'a>> {
        let named = match &input.data {
            Data::Struct(s) => match &s.fields {
                Fields::Named(f) => &f.named,
                _ => {
                    cx.error(
                        &input.ident,
                        "`#[derive(Outputs)]` needs a struct with named fields: each field is \
                         an output",
                    );
                    return None;
                }
            },
            _ => {
                cx.error(
                    &input.ident,
                    "`#[derive(Outputs)]` goes on a struct with named fields",
                );
                return None;
            }
        };
        if !input.generics.params.is_empty() {
            cx.error(&input.generics, "`#[derive(Outputs)]` cannot be generic");
            return None;
        }
        let mut fields = Vec::new();
        let mut valid = true;
        for f in named {
            let Some(ident) = &f.ident else { continue };
            let kind = field_kind(&f.ty).unwrap_or_else(|message| {
                cx.error(&f.ty, message);
                valid = false;
                FieldKind::Param
            });
            fields.push(Field {
                ident,
                name: kfp_name(ident),
                ty: &f.ty,
                kind,
                docs: f
                    .attrs
                    .iter()
                    .filter(|a| a.path().is_ident("doc"))
                    .filter_map(doc_line)
                    .collect(),
            });
        }
        valid.then_some(OutputsStruct {
            ident: &input.ident,
            vis: &input.vis,
            fields,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::ToTokens;

    fn is_param(ty: Type) -> bool {
        matches!(field_kind(&ty), Ok(FieldKind::Param))
    }

    #[test]
    fn fields_are_parameters_artifacts_or_artifact_lists() {
        assert!(is_param(syn::parse_quote!(f64)));
        assert!(is_param(syn::parse_quote!(Vec<String>)));
        assert!(is_param(syn::parse_quote!(Option<i64>)));
        let ty: Type = syn::parse_quote!(kfp_dsl::Output<Model>);
        match field_kind(&ty) {
            Ok(FieldKind::Artifact { artifact, list }) => {
                assert_eq!(artifact.to_token_stream().to_string(), "Model");
                assert!(!list);
            }
            Ok(FieldKind::Param) => panic!("a parameter"),
            Err(e) => panic!("{e}"),
        }
        let ty: Type = syn::parse_quote!(Vec<Output<Dataset>>);
        assert!(matches!(
            field_kind(&ty),
            Ok(FieldKind::Artifact { list: true, .. })
        ));
    }

    #[test]
    fn inputs_and_output_paths_are_not_outputs() {
        let types: [Type; 4] = [
            syn::parse_quote!(Input<Dataset>),
            syn::parse_quote!(Vec<Input<Dataset>>),
            syn::parse_quote!(Option<Output<Dataset>>),
            syn::parse_quote!(OutputPath<String>),
        ];
        for ty in &types {
            let Err(e) = field_kind(ty) else {
                panic!("accepted as an output")
            };
            assert!(e.starts_with("an output field is"), "{e}");
        }
    }

    #[test]
    fn every_wrong_field_is_reported_and_a_wrong_shape_alone() {
        let input: DeriveInput = syn::parse_quote! {
            struct S { a: Input<Dataset>, b: f64, c: OutputPath<i64> }
        };
        let mut cx = Ctxt::default();
        assert!(OutputsStruct::from_syn(&mut cx, &input).is_none());
        assert_eq!(cx.messages().len(), 2);
        let input: DeriveInput = syn::parse_quote! { struct S<T> { a: Input<T> } };
        let mut cx = Ctxt::default();
        assert!(OutputsStruct::from_syn(&mut cx, &input).is_none());
        assert_eq!(cx.messages(), ["`#[derive(Outputs)]` cannot be generic"]);
    }
}
