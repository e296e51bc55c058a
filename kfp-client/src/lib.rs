//! A client of the Kubeflow Pipelines v2beta1 REST API.
