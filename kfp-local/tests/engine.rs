//! The engine on small pipelines of `sh -c` container components, run on
//! this machine.

mod support;

use kfp_local::{RunState, TaskState};
use serde_json::json;
use support::*;

#[test]
fn a_chain_passes_parameters_and_artifacts() {
    let (_home, outcome) = run(&pipeline("chain.yaml"), &["n=4"]);
    assert_eq!(outcome.state(), RunState::Succeeded, "{:#?}", outcome.tasks);
    assert_eq!(outcome.output("Output"), Some(&json!("got 8 and rows")));
    assert_eq!(outcome.task_output("produce", "doubled"), Some(&json!(8)));
    let produce = outcome.task("produce").unwrap();
    assert_eq!(produce.state, TaskState::Succeeded);
    assert_eq!(produce.attempts, 1);
}
