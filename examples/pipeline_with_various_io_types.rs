//! kfp's `pipeline_with_various_io_types` golden: container components
//! with parameters and artifacts of many types (among them an artifact type
//! of another schema, `google.BQMLModel`), passed by value, path or URI.

use kfp_dsl::prelude::*;

kfp_dsl::artifact_type! {
    /// A BigQuery ML model.
    pub BQMLModel = "google.BQMLModel", "0.0.1";
}

#[container_component]
#[allow(clippy::too_many_arguments)]
fn upstream(
    input_1: String,
    input_2: f64,
    input_3: Input<Artifact>,
    input_4: String,
    output_1: OutputPath<i64>,
    output_2: Output<Model>,
    output_3: Output<Artifact>,
    output_4: Output<Model>,
    output_5: Output<Artifact>,
    output_6: Output<Artifact>,
    output_7: Output<Artifact>,
    output_8: Output<HTML>,
    output_9: Output<BQMLModel>,
) -> ContainerSpec {
    // Declared but not passed to the program, as in kfp's component.
    let _ = output_9;
    ContainerSpec::new("gcr.io/image").args((
        input_1,
        input_2,
        input_3.path(),
        input_4,
        output_1,
        output_2.uri(),
        output_3.path(),
        output_4.uri(),
        output_5.uri(),
        output_6.path(),
        output_7.path(),
        output_8.path(),
    ))
}

#[container_component]
#[allow(clippy::too_many_arguments)]
fn downstream(
    input_a: i64,
    input_b: Input<Model>,
    input_c: Input<Artifact>,
    input_d: Input<Model>,
    input_e: Input<Artifact>,
    input_f: Input<Artifact>,
    input_g: Input<Artifact>,
    input_h: Input<HTML>,
    input_i: Input<BQMLModel>,
) -> ContainerSpec {
    // Declared but not passed to the program, as in kfp's component.
    let _ = input_i;
    ContainerSpec::new("gcr.io/image").args((
        input_a,
        input_b.uri(),
        input_c.path(),
        input_d.uri(),
        input_e.uri(),
        input_f.path(),
        input_g.path(),
        input_h.path(),
    ))
}

#[pipeline(name = "pipeline-with-various-types")]
pub fn my_pipeline(input1: String, input3: Input<Artifact>, #[kfp(default = "")] input4: String) {
    // kfp's source passes this literal, not `std::f64::consts::PI`.
    #[allow(clippy::approx_constant)]
    let up = upstream(input1, 3.1415926, input3, input4);
    let out = up.outputs();
    downstream(
        out.output_1,
        out.output_2,
        out.output_3,
        out.output_4,
        out.output_5,
        out.output_6,
        out.output_7,
        out.output_8,
        out.output_9,
    );
}

fn main() -> std::process::ExitCode {
    kfp_dsl::main!(my_pipeline)
}
