//! Compile-error tests: wiring mistakes and macro misuse are rejected by
//! rustc with messages in KFP's words, at the offending argument.
//!
//! The `.stderr` snapshots depend on rustc's wording, so these run only on
//! the pinned toolchain (`rust-toolchain.toml`); regenerate them with
//! `TRYBUILD=overwrite cargo test -p kfp-dsl --test ui`.

const PINNED: &str = "rustc 1.95";

#[test]
fn ui() {
    let version = std::process::Command::new(std::env::var("RUSTC").unwrap_or("rustc".into()))
        .arg("--version")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
        .unwrap_or_default();
    if !version.starts_with(PINNED) {
        println!("skipped: UI snapshots are for {PINNED}, this is {version}");
        return;
    }
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/ui/*.rs");
}
