//! Wiring errors in the user's terms: an output read outside the
//! condition branch or loop it comes from says which, and names the Rust
//! function that gathers it (`collected(..)`); a mistake found while the
//! pipeline is recorded says where, `file:line:` of the user's call; a
//! string with a pipeline value formatted into it, given to a task
//! setting, names the setting and the task.

use kfp_dsl::prelude::*;

#[component]
fn flip() -> String {
    "heads".to_owned()
}

#[component]
fn say(text: String) -> String {
    text
}

#[pipeline]
fn reads_a_branch_after_its_chain() {
    let side = flip().output();
    let mut inside = None;
    If::new(side.eq("heads"))
        .then(|| {
            inside = Some(say("heads").output());
        })
        .otherwise(|| {
            say("tails");
        });
    if let Some(text) = inside {
        say(text);
    }
}

#[pipeline]
fn reads_a_loop_after_it() {
    let mut inside = None;
    parallel_for(["a", "b"], |item| {
        inside = Some(say(item).output());
    });
    if let Some(text) = inside {
        say(text);
    }
}

#[component]
fn say_all(texts: Vec<String>) {
    let _ = texts;
}

/// The line of each mistake below, as the error must name it.
const SETTING_LINE: u32 = line!() + 5;
const BUILDER_LINE: u32 = line!() + 7;
#[pipeline]
fn formatted_into_a_setting_and_cut_short() {
    let text = flip().output();
    say("hi").set_cpu_limit(format!("{text}"));
    let n = format!("{}", flip().output());
    // A formatted value cut short: its pipeline value cannot be read back.
    say_all(vec![n[..n.len() - 2].to_owned()]);
}

#[pipeline]
fn formatted_into_settings_of_a_second_task() {
    let text = flip().output();
    say("first");
    say("second")
        .set_memory_request(format!("{text}Mi"))
        .set_container_image(format!("python:{text}"))
        .set_env_variable("SIDE", format!("{text}"));
}

fn compile_error(entry: kfp_dsl::PipelineEntry) -> String {
    kfp_dsl::compile(entry).unwrap_err().to_string()
}

#[test]
fn an_output_of_a_branch_read_after_its_chain_is_described_as_a_branch() {
    let error = compile_error(reads_a_branch_after_its_chain::ENTRY);
    assert!(
        error.contains("task `say` runs in a condition branch this task is not in")
            && error.contains("`collected(..)`")
            && !error.contains("loop"),
        "{error}"
    );
}

#[test]
fn an_output_of_a_loop_read_after_it_names_collected() {
    let error = compile_error(reads_a_loop_after_it::ENTRY);
    assert!(
        error.contains("runs in a loop this task is not in")
            && error.contains("with `collected(..)` (kfp's `Collected`)"),
        "{error}"
    );
}

#[test]
fn a_formatted_string_given_to_a_setting_names_the_task() {
    let error = compile_error(formatted_into_a_setting_and_cut_short::ENTRY);
    assert!(
        error.contains(
            "task `say`: `set_cpu_limit` was given a string with a pipeline input, task output \
             or loop item formatted into it"
        ),
        "{error}"
    );
    let error = compile_error(formatted_into_settings_of_a_second_task::ENTRY);
    for setting in [
        "set_memory_request",
        "set_container_image",
        "set_env_variable",
    ] {
        assert!(
            error.contains(&format!("task `say-2`: `{setting}` was given")),
            "{setting}: {error}"
        );
    }
}

#[test]
fn a_mistake_found_while_recording_says_where_it_was_made() {
    let error = compile_error(formatted_into_a_setting_and_cut_short::ENTRY);
    for line in [SETTING_LINE, BUILDER_LINE] {
        assert!(
            error.contains(&format!("{}:{line}: ", file!())),
            "line {line}: {error}"
        );
    }
}

#[pipeline]
fn one_of_outside_a_chain() {
    say(OneOf::of([flip().output()]));
}

#[test]
fn a_one_of_of_outputs_outside_a_chain_says_where_they_must_be() {
    let error = compile_error(one_of_outside_a_chain::ENTRY);
    assert!(
        error.contains("`OneOf::of` takes outputs of tasks directly in the branches"),
        "{error}"
    );
}
