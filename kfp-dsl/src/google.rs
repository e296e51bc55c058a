//! The artifact types of Google Cloud Pipeline Components
//! (`google_cloud_pipeline_components.types.artifact_types`), schema
//! titles `google.*` at version `0.0.1`.
//!
//! [`load_component!`](crate::load_component) gives a loaded component's
//! `google.*` inputs and outputs these types, so that a GCPC component's
//! `VertexModel` output connects to another's `VertexModel` input; use
//! them for your own components and importers too.

crate::artifact_type! {
    /// A model registered in Vertex AI (`google.VertexModel`).
    pub VertexModel = "google.VertexModel", "0.0.1";
}
crate::artifact_type! {
    /// A Vertex AI endpoint (`google.VertexEndpoint`).
    pub VertexEndpoint = "google.VertexEndpoint", "0.0.1";
}
crate::artifact_type! {
    /// A Vertex AI batch prediction job (`google.VertexBatchPredictionJob`).
    pub VertexBatchPredictionJob = "google.VertexBatchPredictionJob", "0.0.1";
}
crate::artifact_type! {
    /// A Vertex AI dataset (`google.VertexDataset`).
    pub VertexDataset = "google.VertexDataset", "0.0.1";
}
crate::artifact_type! {
    /// A BigQuery ML model (`google.BQMLModel`).
    pub BQMLModel = "google.BQMLModel", "0.0.1";
}
crate::artifact_type! {
    /// A BigQuery table (`google.BQTable`).
    pub BQTable = "google.BQTable", "0.0.1";
}
crate::artifact_type! {
    /// A model not yet registered in Vertex AI (`google.UnmanagedContainerModel`).
    pub UnmanagedContainerModel = "google.UnmanagedContainerModel", "0.0.1";
}
crate::artifact_type! {
    /// Classification metrics of GCPC's evaluation components
    /// (`google.ClassificationMetrics`).
    pub ClassificationMetrics = "google.ClassificationMetrics", "0.0.1";
}
crate::artifact_type! {
    /// Regression metrics of GCPC's evaluation components
    /// (`google.RegressionMetrics`).
    pub RegressionMetrics = "google.RegressionMetrics", "0.0.1";
}
crate::artifact_type! {
    /// Forecasting metrics of GCPC's evaluation components
    /// (`google.ForecastingMetrics`).
    pub ForecastingMetrics = "google.ForecastingMetrics", "0.0.1";
}
