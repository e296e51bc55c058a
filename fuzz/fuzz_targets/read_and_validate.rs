//! Feeds arbitrary bytes to the YAML and JSON readers and the validator: no
//! input may panic, and a file that validates must write and re-validate,
//! with the same warnings.
#![no_main]

use kfp_ir_schema::validate::{Format, validate_text};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    for format in [Format::Yaml, Format::Json] {
        if let Ok(validated) = validate_text(text, format) {
            let written = validated.file.to_yaml();
            let again = validate_text(&written, Format::Yaml)
                .expect("a file kfp-rs wrote validates");
            assert_eq!(again.file.to_yaml(), written, "writing is stable");
            // In path order: the lines differ between the two texts.
            let warnings = |v: &kfp_ir_schema::validate::Validated| {
                let mut all: Vec<_> = v
                    .warnings
                    .iter()
                    .map(|w| (w.path.clone(), w.message.clone()))
                    .collect();
                all.sort();
                all
            };
            assert_eq!(warnings(&again), warnings(&validated), "same warnings");
        }
    }
});
