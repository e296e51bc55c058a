//! Feeds arbitrary bytes to the YAML and JSON readers and the validator: no
//! input may panic, and a file that validates must write and re-validate.
#![no_main]

use kfp_ir_schema::PipelineFile;
use kfp_ir_schema::validate::{Format, validate_str};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    for format in [Format::Yaml, Format::Json] {
        if let Ok(file) = validate_str(text, format) {
            let written = file.to_yaml();
            let again = PipelineFile::from_str(&written, Format::Yaml)
                .expect("a file kfp-rs wrote validates");
            assert_eq!(again.to_yaml(), written, "writing is stable");
        }
    }
});
