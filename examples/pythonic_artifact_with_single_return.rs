//! kfp's `pythonic_artifact_with_single_return` golden: a component that
//! makes its model itself, at a URI under its task root
//! (`Output::at(get_uri("model")?)`, kfp's `Model(uri=dsl.get_uri(...))`),
//! and returns it (`-> Output<Model>`, kfp's `-> Model`); the model is the
//! pipeline's output. Its dataset is imported.

use kfp_dsl::prelude::*;

// kfp's component has no docstring, so no description.
#[component]
fn make_language_model(text_dataset: Input<Dataset>) -> anyhow::Result<Output<Model>> {
    let text = std::fs::read_to_string(text_dataset.path())?;

    // insert train on text here: this model repeats what it is given.
    let model = Output::<Model>::at(get_uri("model")?)?;
    model.set_metadata("data", text_dataset.name());
    std::fs::write(
        model.path(),
        format!("an identity model, trained on {} characters", text.len()),
    )?;
    Ok(model)
}

#[pipeline(name = "make-language-model-pipeline")]
pub fn make_language_model_pipeline() -> Output<Model> {
    let importer = importer::<Dataset>("gs://ml-pipeline-playground/shakespeare1.txt")
        .reimport(false)
        .metadata(serde_json::json!({"key": "value"}));
    make_language_model(importer.output()).output()
}

fn main() -> std::process::ExitCode {
    kfp_dsl::main!(make_language_model_pipeline)
}
