//! Write Kubeflow Pipelines in Rust.
