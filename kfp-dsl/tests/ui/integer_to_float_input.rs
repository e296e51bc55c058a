use kfp_dsl::prelude::*;

#[component]
fn scale(factor: f64, #[kfp(default = 1)] offset: f64) -> f64 {
    factor + offset
}

#[component]
fn add(a: i64, b: i64) -> i64 {
    a + b
}

#[component]
fn shift(by: Option<f32>) -> f32 {
    by.unwrap_or_default()
}

#[pipeline]
fn p() {
    // kfp refuses `scale(factor=2)` too; the error says to write `2.0`.
    scale(2).offset(1);
    shift().by(3);
    // Every other integer mistake keeps `IntoParam`'s words.
    let n: i32 = 2;
    add(n, 1);
}

fn main() {}
