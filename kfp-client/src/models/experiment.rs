//! Experiments.

use serde::{Deserialize, Serialize};

use kfp_ir_schema::proto_enum;

proto_enum! {
    /// Whether an experiment or a run is archived.
    pub open enum StorageState {
        /// The zero value: the field was not set.
        #[default]
        Unspecified = 0 => "STORAGE_STATE_UNSPECIFIED",
        /// Shown in the default lists.
        Available = 1 => "AVAILABLE",
        /// Archived.
        Archived = 2 => "ARCHIVED",
    }
}

/// An experiment (`v2beta1Experiment`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Experiment {
    /// Server-assigned id.
    pub experiment_id: String,
    /// The name shown in the UI (unique within a namespace).
    pub display_name: String,
    /// Free text.
    pub description: String,
    /// Creation time, RFC 3339.
    pub created_at: Option<String>,
    /// The namespace (multi-user mode).
    pub namespace: String,
    /// Available or archived.
    pub storage_state: StorageState,
    /// When the last run of this experiment was created, RFC 3339.
    pub last_run_created_at: Option<String>,
}

/// The body of `CreateExperiment`: only the fields a client may set.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct NewExperiment {
    /// The name shown in the UI (unique within a namespace).
    pub display_name: String,
    /// Free text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The namespace (required in multi-user mode).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
}

impl NewExperiment {
    /// An experiment with only a name.
    pub fn named(display_name: impl Into<String>) -> Self {
        Self {
            display_name: display_name.into(),
            ..Self::default()
        }
    }
}

/// A page of experiments.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ListExperimentsResponse {
    /// The experiments of this page.
    pub experiments: Vec<Experiment>,
    /// The number of experiments matching the filter, over all pages.
    pub total_size: i32,
    /// The token of the next page; empty on the last page.
    pub next_page_token: String,
}
