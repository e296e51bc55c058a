use kfp_dsl::prelude::*;

#[component]
fn c(
    #[kfp(name = "retryCount")] retry_count: i64,
    #[kfp(name = "retryCount")] retries: i64,
    #[kfp(name = "2x")] twice: i64,
) {
    let _ = (retry_count, retries, twice);
}

fn main() {}
