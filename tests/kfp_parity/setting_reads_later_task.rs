//! `setting_reads_later_task.py` in Rust: settings, and `after`, that name
//! a task made after the task they are set on.

use kfp_dsl::prelude::*;

#[component]
pub fn train(epochs: i64) -> String {
    epochs.to_string()
}

#[component]
pub fn pick_cpu() -> String {
    "2".to_owned()
}

#[component]
pub fn pick_image() -> String {
    "python:3.12".to_owned()
}

#[pipeline]
pub fn setting_reads_later_task() {
    let trained = train(3);
    let cpu = pick_cpu();
    let image = pick_image();
    let trained = trained
        .set_cpu_request(cpu.output())
        .set_container_image(image.output());
    let last = train(1);
    trained.after(&last);
}
