//! kfp's `collected_artifacts` golden: artifacts gathered (`collected`)
//! out of nested loops. A sub-pipeline loops over a task's list of ids
//! and, inside, over a list of characters; the inner loop runs a
//! sub-pipeline that returns a dataset and a task that makes a model of
//! it. The outer loop reads the models and datasets of its inner loop; the
//! sub-pipeline returns the models of every iteration, which the pipeline
//! reads.

use kfp_dsl::Untyped;
use kfp_dsl::prelude::*;

/// The comma-separated parts of `text`, as a list of no element type
/// (Python's bare `list`).
fn split(text: &str) -> Vec<Untyped> {
    text.split(',').map(|part| Untyped(part.into())).collect()
}

#[component]
fn split_ids(model_ids: String) -> Vec<Untyped> {
    split(&model_ids)
}

#[component]
fn create_file(file: Output<Artifact>, content: String) -> std::io::Result<()> {
    println!("Creating file with content: {content}");
    std::fs::write(file.path(), content)
}

#[component]
fn read_files(files: Vec<Input<Artifact>>) -> std::io::Result<String> {
    for file in &files {
        println!(
            "Reading artifact {} file: {}",
            file.name(),
            file.path().display()
        );
        println!("{}", std::fs::read_to_string(file.path())?);
    }
    Ok("files read".to_owned())
}

#[component]
fn read_single_file(file: Input<Artifact>) -> std::io::Result<String> {
    println!("Reading file: {}", file.path().display());
    println!("{}", std::fs::read_to_string(file.path())?);
    Ok(file.uri().to_owned())
}

#[component]
fn split_chars(model_ids: String) -> Vec<Untyped> {
    split(&model_ids)
}

#[component]
fn create_dataset(data: Output<Dataset>, content: String) -> std::io::Result<()> {
    println!("Creating file with content: {content}");
    std::fs::write(data.path(), content)
}

#[component]
fn read_datasets(data: Vec<Input<Dataset>>) -> std::io::Result<String> {
    for dataset in &data {
        println!(
            "Reading dataset {} file: {}",
            dataset.name(),
            dataset.path().display()
        );
        println!("{}", std::fs::read_to_string(dataset.path())?);
    }
    Ok("files read".to_owned())
}

#[component]
fn read_single_dataset_generate_model(
    data: Input<Dataset>,
    id: String,
    results: Output<Model>,
) -> std::io::Result<()> {
    println!("Reading file: {}", data.path().display());
    let info = std::fs::read_to_string(data.path())?;
    std::fs::write(results.path(), format!("{info}-{id}"))?;
    results.set_metadata("model", info.as_str());
    results.set_metadata(
        "model_name",
        format!("model-artifact-inner-iteration-{info}-{id}"),
    );
    Ok(())
}

#[component]
fn read_models(models: Vec<Input<Model>>) -> std::io::Result<String> {
    for model in &models {
        println!(
            "Reading model {} file: {}",
            model.name(),
            model.path().display()
        );
        let info = std::fs::read_to_string(model.path())?;
        println!("Model raw data: {info}");
        println!("Model metadata: {:?}", model.metadata());
    }
    Ok("models read".to_owned())
}

#[pipeline]
fn single_node_dag(char: String) -> Output<Dataset> {
    let create_dataset_op = create_dataset(char).set_caching_options(false);
    create_dataset_op.outputs().data
}

#[pipeline]
fn collecting_artifacts(
    #[kfp(default = "")] model_ids: String,
    #[kfp(default = "")] model_chars: String,
) -> Vec<Output<Model>> {
    let ids_split_op = split_ids(model_ids).set_caching_options(false);
    let char_split_op = split_chars(model_chars).set_caching_options(false);

    let models = parallel_for(ids_split_op.output(), |model_id| {
        let create_file_op = create_file(model_id).set_caching_options(false);
        read_single_file(create_file_op.outputs().file).set_caching_options(false);

        let (datasets, models) = parallel_for(char_split_op.output(), |model_char| {
            let single_dag_op = single_node_dag(model_char).set_caching_options(false);
            let model = read_single_dataset_generate_model(single_dag_op.output(), model_id)
                .set_caching_options(false);
            (single_dag_op.output(), model.outputs().results)
        });

        read_models(collected(models)).set_caching_options(false);
        read_datasets(collected(datasets)).set_caching_options(false);
        models
    });
    collected(models)
}

#[pipeline]
pub fn collected_artifact_pipeline() {
    let model_ids = "s1,s2,s3";
    let model_chars = "x,y,z";
    let dag = collecting_artifacts()
        .model_ids(model_ids)
        .model_chars(model_chars)
        .set_caching_options(false);
    read_models(dag.output()).set_caching_options(false);
}

fn main() -> std::process::ExitCode {
    kfp_dsl::main!(collected_artifact_pipeline)
}
