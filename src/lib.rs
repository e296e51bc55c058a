//! Examples and cross-crate tests of kfp-rs live in `examples/` and `tests/`.
