//! kfp's `pipeline_with_parallelfor_parallelism` golden: loops with and
//! without a parallelism limit (`parallelism(0)` is no limit, as in kfp)
//! over a pipeline input, static lists of objects and the list outputs of
//! tasks, one of them a component compiled on its own and loaded back when
//! the program runs (`LoadedComponent`), as kfp's source compiles
//! `list_dict_maker_1` to a file and loads it
//! (`components.load_component_from_file`).
//!
//! kfp types the item of a loop over a bare `List` output, and over the
//! loaded component's `LIST` output, as `STRING`, and still reads its
//! field `a`: here those lists are `Vec<Untyped>`, whose items are
//! `STRING`s that have fields.
//!
//! On a cluster (and locally) the run fails: the backend's driver removes
//! the list a loop iterates from each iteration's inputs, so the loop over
//! `loop_parameter` nested in the loop over it finds no such input.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use kfp_dsl::prelude::*;
use kfp_dsl::{LoadedComponent, Untyped};
use serde_json::{Map, Value, json};

/// An object of the lists the loops go over.
type Object = Map<String, Value>;

/// The lists of objects the `list_dict_maker_*` components return.
fn objects() -> Vec<Value> {
    vec![
        json!({"a": 1, "b": 2}),
        json!({"a": 2, "b": 3}),
        json!({"a": 3, "b": 4}),
    ]
}

/// The objects of [`objects`] as maps.
fn object_maps() -> Vec<Object> {
    objects()
        .into_iter()
        .filter_map(|o| match o {
            Value::Object(map) => Some(map),
            _ => None,
        })
        .collect()
}

#[component]
fn print_text(msg: String) {
    println!("{msg}");
}

#[component]
fn print_int(x: i64) {
    println!("{x}");
}

/// Returns a list of objects whose values are integers (`List[Dict[str,
/// int]]`).
#[component]
fn list_dict_maker_0() -> Vec<BTreeMap<String, i64>> {
    object_maps()
        .into_iter()
        .map(|o| {
            o.into_iter()
                .filter_map(|(k, v)| Some((k, v.as_i64()?)))
                .collect()
        })
        .collect()
}

/// Returns a list of objects of any values (`List[Dict]`).
#[component]
fn list_dict_maker_1() -> Vec<Object> {
    object_maps()
}

/// Returns a list of objects of any values (`List[dict]`).
#[component]
fn list_dict_maker_2() -> Vec<Object> {
    object_maps()
}

/// Returns a list of anything (`List`).
#[component]
fn list_dict_maker_3() -> Vec<Untyped> {
    objects().into_iter().map(Untyped).collect()
}

/// `list_dict_maker_1` compiled on its own and loaded back, as kfp's
/// source loads it from the file it compiled it to.
static LOADED_DICT_MAKER: LazyLock<LoadedComponent> = LazyLock::new(|| {
    let (_, yaml) = kfp_dsl::compile_to_string(list_dict_maker_1::ENTRY, false)
        .unwrap_or_else(|e| panic!("list_dict_maker_1 does not compile: {e}"));
    LoadedComponent::from_yaml(&yaml)
        .unwrap_or_else(|e| panic!("list_dict_maker_1 does not load: {e}"))
});

/// An object of strings of the static lists.
fn strings(a: &str, b: &str) -> BTreeMap<String, String> {
    BTreeMap::from([
        ("A_a".to_owned(), a.to_owned()),
        ("B_b".to_owned(), b.to_owned()),
    ])
}

#[pipeline(name = "pipeline-with-loops")]
pub fn my_pipeline(loop_parameter: Vec<String>) {
    // The items are a pipeline input.
    ParallelFor::new(loop_parameter).parallelism(2).run(|item| {
        print_text(item);
        parallel_for(loop_parameter, print_text);
    });

    // The items are known when compiling.
    ParallelFor::new([strings("1", "2"), strings("10", "20")])
        .parallelism(0)
        .run(|item| {
            print_text(item.field("A_a"));
            print_text(item.field("B_b"));
            ParallelFor::new([strings("10", "20"), strings("100", "200")])
                .parallelism(1)
                .run(|nested| {
                    print_text(nested.field("A_a"));
                    print_text(nested.field("B_b"));
                });
        });

    // The items are a static list of objects of integers.
    ParallelFor::new(object_maps())
        .parallelism(1)
        .run(|item| print_int(item.field("a")));

    // The items are a task's output.
    parallel_for(list_dict_maker_0().output(), |item| {
        print_int(item.field("a"))
    });
    parallel_for(list_dict_maker_1().output(), |item| {
        print_int(item.field("a"))
    });
    parallel_for(list_dict_maker_2().output(), |item| {
        print_int(item.field("a"))
    });
    parallel_for(list_dict_maker_3().output(), |item| {
        print_int(item.field("a"))
    });

    // The items are the output of the component loaded back, a `LIST`.
    let loaded = LOADED_DICT_MAKER.task().add();
    let made: ParamOutput<Vec<Untyped>> = loaded.output("Output");
    parallel_for(made, |item| print_int(item.field("a")));
}

fn main() -> std::process::ExitCode {
    kfp_dsl::main!(my_pipeline)
}
