//! `python_input_names.py` in Rust: inputs and outputs named as Python
//! names them, with `#[kfp(name = ..)]` or an `#[allow(non_snake_case)]`
//! parameter, and an integer default for a float input.

use kfp_dsl::prelude::*;

#[component]
#[allow(non_snake_case)]
pub fn fetch(
    retryCount: i64,
    #[kfp(name = "sourceUrl")] source_url: String,
    outData: Output<Dataset>,
    #[kfp(name = "rowCount")] row_count: OutputPath<i64>,
    #[kfp(default = 1)] maxWait: f64,
) {
    let _ = (retryCount, source_url, outData, row_count, maxWait);
}

#[pipeline]
pub fn python_input_names(#[kfp(name = "retryCount", default = 3)] retry_count: i64) {
    fetch(retry_count, "gs://b/x").maxWait(2.0);
}
