//! Lowers a kfp-rs pipeline graph to the KFP v2 IR.
