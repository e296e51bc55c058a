//! The `#[component]` and `#[pipeline]` macros of kfp-rs.
