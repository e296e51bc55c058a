//! kfp's `collected_parameters` golden: a pipeline splits a string into
//! ids, prepends to each inside a loop, and returns the collected results
//! (`collected`, kfp's `dsl.Collected`), which a task inside it and a task
//! of the outer pipeline both consume.

use kfp_dsl::prelude::*;

#[component]
fn split_ids(ids: String) -> Vec<String> {
    ids.split(',').map(str::to_owned).collect()
}

#[component]
fn prepend_id(content: String) -> String {
    println!("prepending: {content} with 'model_id'");
    format!("model_id_{content}")
}

#[component]
fn consume_single_id(id: String) -> String {
    println!("Consuming single: {id}");
    "completed".to_owned()
}

#[component]
fn consume_ids(ids: Vec<String>) -> String {
    for id in ids {
        println!("Consuming: {id}");
    }
    "completed".to_owned()
}

#[pipeline]
fn collecting_parameters(#[kfp(default = "")] model_ids: String) -> Vec<String> {
    let ids = split_ids(model_ids).output();
    let prepended = parallel_for(ids, |id| {
        let prepended = prepend_id(id).set_caching_options(false).output();
        consume_single_id(prepended).set_caching_options(false);
        prepended
    });
    consume_ids(collected(prepended)).set_caching_options(false);
    collected(prepended)
}

#[pipeline(name = "collected-param-pipeline")]
pub fn collected_param_pipeline() {
    let ids = collecting_parameters()
        .model_ids("s1,s2,s3")
        .set_caching_options(false);
    consume_ids(ids.output()).set_caching_options(false);
}

fn main() -> std::process::ExitCode {
    kfp_dsl::main!(collected_param_pipeline)
}
