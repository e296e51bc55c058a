//! Persistent volume claims: mounting one, and the inputs of the
//! `CreatePVC` and `DeletePVC` components.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::pipeline_spec::{InputParameterSpec, Struct, TaskOutputParameterSpec};
use crate::protojson::is_default;

/// `PvcMount`: a persistent volume claim mounted into the container.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(try_from = "wire::PvcMount", into = "wire::PvcMount")]
pub struct PvcMount {
    /// The claim, the deprecated way (`oneof pvc_reference`); the SDK still
    /// writes it next to `pvcNameParameter`.
    pub pvc_reference: Option<PvcReference>,
    /// Where the claim is mounted in the container.
    pub mount_path: String,
    /// The claim's name, a constant or a pipeline parameter.
    pub pvc_name_parameter: Option<InputParameterSpec>,
    /// The sub-path of the volume to mount.
    pub sub_path: String,
}

/// The `oneof pvc_reference` of [`PvcMount`] and [`DeletePvc`]: which
/// persistent volume claim.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PvcReference {
    /// The claim named by an upstream task's output
    /// (`taskOutputParameter`).
    TaskOutputParameter(TaskOutputParameterSpec),
    /// A claim name given as a literal (`constant`).
    Constant(String),
    /// The claim named by an input parameter of the enclosing component
    /// (`componentInputParameter`).
    ComponentInputParameter(String),
}

/// `TypedLocalObjectReference`: a Kubernetes object in the same namespace,
/// used as the data source of a new claim.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TypedLocalObjectReference {
    /// The object's API group (proto3 `optional`; none for the core group).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api_group: Option<String>,
    /// The object's kind, e.g. `VolumeSnapshot`.
    #[serde(default, skip_serializing_if = "is_default")]
    pub kind: String,
    /// The object's name.
    #[serde(default, skip_serializing_if = "is_default")]
    pub name: String,
}

/// `CreatePvc`: the inputs of the `CreatePVC` component, which creates a
/// persistent volume claim.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(try_from = "wire::CreatePvc", into = "wire::CreatePvc")]
pub struct CreatePvc {
    /// How the claim is named (`oneof name`).
    pub name: Option<CreatePvcName>,
    /// The claim's access modes, e.g. `ReadWriteOnce`.
    pub access_modes: Vec<String>,
    /// The requested size, e.g. `5Gi`.
    pub size: String,
    /// Whether to use the cluster's default storage class.
    pub default_storage_class: bool,
    /// The storage class, when not the default.
    pub storage_class_name: String,
    /// An existing persistent volume to bind.
    pub volume_name: String,
    /// Annotations of the claim.
    pub annotations: Option<Struct>,
    /// The object to fill the claim from, e.g. a volume snapshot.
    pub data_source: Option<TypedLocalObjectReference>,
}

/// The `oneof name` of [`CreatePvc`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CreatePvcName {
    /// The full name of the claim (`pvcName`).
    PvcName(String),
    /// A suffix appended to a generated name (`pvcNameSuffix`).
    PvcNameSuffix(String),
}

/// `DeletePvc`: the input of the `DeletePVC` component, which deletes a
/// persistent volume claim.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(try_from = "wire::DeletePvc", into = "wire::DeletePvc")]
pub struct DeletePvc {
    /// The claim to delete (`oneof pvc_reference`).
    pub pvc_reference: Option<PvcReference>,
}

/// Wire forms of the messages that hold a `oneof`: one `Option` per key, as
/// the JSON has them. Conversions check that at most one key is set.
///
/// In here a bare message name is the wire form; `super::X` is the domain type.
mod wire {
    use schemars::JsonSchema;
    use serde::{Deserialize, Serialize};

    use crate::pipeline_spec::{InputParameterSpec, Struct, TaskOutputParameterSpec};
    use crate::protojson::{OneOf, at_most_one, is_default, oneof};

    /// The keys of `oneof pvc_reference`, shared by `PvcMount` and
    /// `DeletePvc`.
    const PVC_REFERENCE_KEYS: &[&str] =
        &["taskOutputParameter", "constant", "componentInputParameter"];

    /// Reads `oneof pvc_reference` from its three keys.
    fn pvc_reference(
        message: &str,
        task_output_parameter: Option<TaskOutputParameterSpec>,
        constant: Option<String>,
        component_input_parameter: Option<String>,
    ) -> Result<Option<super::PvcReference>, String> {
        use super::PvcReference as R;
        at_most_one(
            message,
            "pvc_reference",
            vec![
                (
                    "taskOutputParameter",
                    task_output_parameter.map(R::TaskOutputParameter),
                ),
                ("constant", constant.map(R::Constant)),
                (
                    "componentInputParameter",
                    component_input_parameter.map(R::ComponentInputParameter),
                ),
            ],
        )
    }

    /// The three keys of `oneof pvc_reference`, with the member's one set.
    type PvcReferenceKeys = (
        Option<TaskOutputParameterSpec>,
        Option<String>,
        Option<String>,
    );

    /// Writes `oneof pvc_reference` as its three keys.
    fn pvc_reference_keys(reference: Option<super::PvcReference>) -> PvcReferenceKeys {
        use super::PvcReference as R;
        match reference {
            Some(R::TaskOutputParameter(x)) => (Some(x), None, None),
            Some(R::Constant(x)) => (None, Some(x), None),
            Some(R::ComponentInputParameter(x)) => (None, None, Some(x)),
            None => (None, None, None),
        }
    }

    #[derive(Default, Serialize, Deserialize, JsonSchema)]
    #[serde(rename_all = "camelCase", deny_unknown_fields)]
    #[schemars(
        rename = "PvcMount",
        description = "PvcMount: a persistent volume claim mounted into the container.",
        transform = oneof::<Self>
    )]
    pub struct PvcMount {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        task_output_parameter: Option<TaskOutputParameterSpec>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        constant: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        component_input_parameter: Option<String>,
        #[serde(default, skip_serializing_if = "is_default")]
        mount_path: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pvc_name_parameter: Option<InputParameterSpec>,
        #[serde(default, skip_serializing_if = "is_default")]
        sub_path: String,
    }

    impl OneOf for PvcMount {
        const KEYS: &'static [&'static str] = PVC_REFERENCE_KEYS;
    }

    impl TryFrom<PvcMount> for super::PvcMount {
        type Error = String;

        fn try_from(w: PvcMount) -> Result<Self, String> {
            Ok(Self {
                pvc_reference: pvc_reference(
                    "PvcMount",
                    w.task_output_parameter,
                    w.constant,
                    w.component_input_parameter,
                )?,
                mount_path: w.mount_path,
                pvc_name_parameter: w.pvc_name_parameter,
                sub_path: w.sub_path,
            })
        }
    }

    impl From<super::PvcMount> for PvcMount {
        fn from(v: super::PvcMount) -> Self {
            let (task_output_parameter, constant, component_input_parameter) =
                pvc_reference_keys(v.pvc_reference);
            PvcMount {
                task_output_parameter,
                constant,
                component_input_parameter,
                mount_path: v.mount_path,
                pvc_name_parameter: v.pvc_name_parameter,
                sub_path: v.sub_path,
            }
        }
    }

    #[derive(Default, Serialize, Deserialize, JsonSchema)]
    #[serde(rename_all = "camelCase", deny_unknown_fields)]
    #[schemars(
        rename = "DeletePvc",
        description = "DeletePvc: the input of the DeletePVC component.",
        transform = oneof::<Self>
    )]
    pub struct DeletePvc {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        task_output_parameter: Option<TaskOutputParameterSpec>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        constant: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        component_input_parameter: Option<String>,
    }

    impl OneOf for DeletePvc {
        const KEYS: &'static [&'static str] = PVC_REFERENCE_KEYS;
    }

    impl TryFrom<DeletePvc> for super::DeletePvc {
        type Error = String;

        fn try_from(w: DeletePvc) -> Result<Self, String> {
            Ok(Self {
                pvc_reference: pvc_reference(
                    "DeletePvc",
                    w.task_output_parameter,
                    w.constant,
                    w.component_input_parameter,
                )?,
            })
        }
    }

    impl From<super::DeletePvc> for DeletePvc {
        fn from(v: super::DeletePvc) -> Self {
            let (task_output_parameter, constant, component_input_parameter) =
                pvc_reference_keys(v.pvc_reference);
            DeletePvc {
                task_output_parameter,
                constant,
                component_input_parameter,
            }
        }
    }

    #[derive(Default, Serialize, Deserialize, JsonSchema)]
    #[serde(rename_all = "camelCase", deny_unknown_fields)]
    #[schemars(
        rename = "CreatePvc",
        description = "CreatePvc: the inputs of the CreatePVC component.",
        transform = oneof::<Self>
    )]
    pub struct CreatePvc {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pvc_name: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pvc_name_suffix: Option<String>,
        #[serde(default, skip_serializing_if = "is_default")]
        access_modes: Vec<String>,
        #[serde(default, skip_serializing_if = "is_default")]
        size: String,
        #[serde(default, skip_serializing_if = "is_default")]
        default_storage_class: bool,
        #[serde(default, skip_serializing_if = "is_default")]
        storage_class_name: String,
        #[serde(default, skip_serializing_if = "is_default")]
        volume_name: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        annotations: Option<Struct>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        data_source: Option<super::TypedLocalObjectReference>,
    }

    impl OneOf for CreatePvc {
        const KEYS: &'static [&'static str] = &["pvcName", "pvcNameSuffix"];
    }

    impl TryFrom<CreatePvc> for super::CreatePvc {
        type Error = String;

        fn try_from(w: CreatePvc) -> Result<Self, String> {
            use super::CreatePvcName as N;
            let name = at_most_one(
                "CreatePvc",
                "name",
                vec![
                    ("pvcName", w.pvc_name.map(N::PvcName)),
                    ("pvcNameSuffix", w.pvc_name_suffix.map(N::PvcNameSuffix)),
                ],
            )?;
            Ok(Self {
                name,
                access_modes: w.access_modes,
                size: w.size,
                default_storage_class: w.default_storage_class,
                storage_class_name: w.storage_class_name,
                volume_name: w.volume_name,
                annotations: w.annotations,
                data_source: w.data_source,
            })
        }
    }

    impl From<super::CreatePvc> for CreatePvc {
        fn from(v: super::CreatePvc) -> Self {
            use super::CreatePvcName as N;
            let (pvc_name, pvc_name_suffix) = match v.name {
                Some(N::PvcName(x)) => (Some(x), None),
                Some(N::PvcNameSuffix(x)) => (None, Some(x)),
                None => (None, None),
            };
            CreatePvc {
                pvc_name,
                pvc_name_suffix,
                access_modes: v.access_modes,
                size: v.size,
                default_storage_class: v.default_storage_class,
                storage_class_name: v.storage_class_name,
                volume_name: v.volume_name,
                annotations: v.annotations,
                data_source: v.data_source,
            }
        }
    }
}
