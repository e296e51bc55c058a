use kfp_dsl::prelude::*;

#[component]
fn scale(factor: f64, #[kfp(default = 1)] offset: f64) -> f64 {
    factor + offset
}

#[component]
fn add(a: i64, b: i64) -> i64 {
    a + b
}

#[pipeline]
fn p() {
    scale(2).offset(1);
    let n: i32 = 2;
    add(n, 1);
}

fn main() {}
