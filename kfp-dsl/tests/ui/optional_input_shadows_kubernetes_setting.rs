use kfp_dsl::prelude::*;

#[component]
fn train(data: Input<Dataset>, mount_pvc: Option<String>) {
    let _ = (data, mount_pvc);
}

fn main() {}
