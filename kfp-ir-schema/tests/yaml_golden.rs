//! The YAML reader and writer against KFP's own compiler output: every
//! golden pipeline file must come back byte for byte from
//! `header + dump(load(file))`.

use std::path::{Path, PathBuf};

use kfp_ir_schema::yaml::{dump, header, header_description, header_with_description, load};
use serde_json::Value;

/// How a golden is allowed to differ from `header + dump(load(golden))`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Allowed {
    /// The YAML documents match byte for byte; one header line differs.
    OneHeaderLine,
    /// The file was not written by PyYAML as it stands (edited by hand or
    /// by another tool): only the JSON values must match.
    JsonOnly,
}

/// The goldens that cannot match byte for byte, and why. Any other
/// difference fails the test.
const KNOWN_DIFFERENCES: &[(&str, Allowed, &str)] = &[
    (
        "sdk_compiled_pipelines/valid/pipeline_with_loops_and_conditions.yaml",
        Allowed::OneHeaderLine,
        "a dict default in the header is in protobuf Struct map order, which JSON does not keep",
    ),
    (
        "sdk_compiled_pipelines/valid/pipeline_with_nested_loops.yaml",
        Allowed::OneHeaderLine,
        "a dict default in the header is in protobuf Struct map order, which JSON does not keep",
    ),
    (
        "sdk_compiled_pipelines/valid/pipeline_with_only_display_name.yaml",
        Allowed::OneHeaderLine,
        "hand-edited: the header says `echo` but pipelineInfo.name is `echo-name`",
    ),
    (
        "sdk_compiled_pipelines/valid/critical/pipeline_with_secret_as_env.yaml",
        Allowed::JsonOnly,
        "hand-edited: sequences indented under their keys, which PyYAML never writes",
    ),
    (
        "sdk_compiled_pipelines/valid/pipeline_with_secret_as_volume.yaml",
        Allowed::JsonOnly,
        "hand-edited: sequences indented under their keys, which PyYAML never writes",
    ),
    (
        "sdk_compiled_pipelines/valid/essential/placeholder_with_if_placeholder_none_input_value.yaml",
        Allowed::JsonOnly,
        "hand-edited: sequences indented under their keys, which PyYAML never writes",
    ),
    (
        "sdk_compiled_pipelines/valid/critical/pipeline_with_volume_long_name.yaml",
        Allowed::JsonOnly,
        "hand-edited: no newline at the end of the file",
    ),
];

fn shared_dir() -> Option<PathBuf> {
    let mut dir = Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf();
    loop {
        let manifest = dir.join("Cargo.toml");
        if std::fs::read_to_string(&manifest).is_ok_and(|t| t.contains("[workspace]")) {
            let shared = dir.join("../shared");
            return shared.is_dir().then_some(shared);
        }
        if !dir.pop() {
            return None;
        }
    }
}

fn yaml_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for path in paths {
        if path.is_dir() {
            yaml_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "yaml") {
            out.push(path);
        }
    }
}

fn corpus() -> Option<Vec<PathBuf>> {
    let Some(shared) = shared_dir() else {
        println!("skipped: ../shared not found");
        return None;
    };
    let golden = shared.join("kfp-golden");
    let mut files = Vec::new();
    yaml_files(&golden.join("sdk_compiled_pipelines/valid"), &mut files);
    yaml_files(
        &golden.join("kubernetes_platform_snapshot/data"),
        &mut files,
    );
    assert!(
        files.len() > 50,
        "expected the golden corpus, found {} files",
        files.len()
    );
    Some(files)
}

fn first_difference(want: &str, got: &str) -> String {
    for (i, (w, g)) in want.lines().zip(got.lines()).enumerate() {
        if w != g {
            return format!("line {}:\n  want: {w:?}\n  got:  {g:?}", i + 1);
        }
    }
    format!(
        "lengths differ: want {} lines, got {}",
        want.lines().count(),
        got.lines().count()
    )
}

fn name_of(path: &Path) -> String {
    let s = path.to_string_lossy();
    s.rsplit_once("kfp-golden/")
        .map_or(s.to_string(), |(_, rest)| rest.to_owned())
}

#[test]
fn goldens_round_trip_byte_for_byte() {
    let Some(files) = corpus() else { return };
    let mut failures = Vec::new();
    for path in &files {
        let name = name_of(path);
        let text = std::fs::read_to_string(path).unwrap();
        let docs = match load(&text) {
            Ok(docs) => docs,
            Err(e) => {
                failures.push(format!("{name}: {e}"));
                continue;
            }
        };
        let values: Vec<&Value> = docs.iter().map(|d| &d.value).collect();
        let spec = values[0];
        let head = if spec.pointer("/pipelineInfo/description").is_some() {
            header(spec)
        } else {
            header_with_description(spec, header_description(&text).as_deref())
        };
        let body = dump(&values);
        let got = format!("{head}{body}");
        let known = KNOWN_DIFFERENCES.iter().find(|(n, ..)| *n == name);
        if got == text {
            if let Some((_, _, reason)) = known {
                failures.push(format!(
                    "{name}: matches now, drop it from KNOWN_DIFFERENCES ({reason})"
                ));
            }
            continue;
        }
        let golden_body_start = text
            .match_indices('\n')
            .map(|(i, _)| i + 1)
            .find(|&i| !text[i..].starts_with('#'))
            .unwrap_or(0);
        let (golden_head, golden_body) = text.split_at(golden_body_start);
        let ok = match known.map(|(_, allowed, _)| *allowed) {
            Some(Allowed::OneHeaderLine) => {
                let differing = golden_head
                    .lines()
                    .zip(head.lines())
                    .filter(|(a, b)| a != b)
                    .count();
                golden_body == body
                    && differing == 1
                    && golden_head.lines().count() == head.lines().count()
            }
            Some(Allowed::JsonOnly) => {
                let ours = load(&got).unwrap();
                ours.iter().map(|d| &d.value).eq(values.iter().copied())
            }
            None => false,
        };
        if !ok {
            failures.push(format!("{name}: {}", first_difference(&text, &got)));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} goldens differ:\n{}",
        failures.len(),
        files.len(),
        failures.join("\n")
    );
}

#[test]
fn load_dump_load_keeps_the_json() {
    let Some(files) = corpus() else { return };
    for path in &files {
        let text = std::fs::read_to_string(path).unwrap();
        let docs = load(&text).unwrap_or_else(|e| panic!("{}: {e}", name_of(path)));
        let values: Vec<&Value> = docs.iter().map(|d| &d.value).collect();
        let again = load(&dump(&values)).unwrap();
        let again: Vec<&Value> = again.iter().map(|d| &d.value).collect();
        assert_eq!(values, again, "{}", name_of(path));
    }
}

#[test]
fn every_golden_key_has_a_position() {
    let Some(files) = corpus() else { return };
    fn walk(value: &Value, pointer: &mut String, f: &mut dyn FnMut(&str)) {
        f(pointer);
        let len = pointer.len();
        match value {
            Value::Object(map) => {
                for (k, v) in map {
                    pointer.push('/');
                    pointer.push_str(&k.replace('~', "~0").replace('/', "~1"));
                    walk(v, pointer, f);
                    pointer.truncate(len);
                }
            }
            Value::Array(items) => {
                for (i, v) in items.iter().enumerate() {
                    pointer.push_str(&format!("/{i}"));
                    walk(v, pointer, f);
                    pointer.truncate(len);
                }
            }
            _ => {}
        }
    }
    for path in files.iter().take(20) {
        let text = std::fs::read_to_string(path).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        for doc in load(&text).unwrap() {
            walk(&doc.value, &mut String::new(), &mut |pointer| {
                let pos = doc
                    .index
                    .position(pointer)
                    .unwrap_or_else(|| panic!("{pointer} has no position"));
                // A mapping member's position is its key's: the line there
                // must start with that key (plain, as KFP keys are).
                if let Some(key) = pointer
                    .rsplit('/')
                    .next()
                    .filter(|k| !k.is_empty() && k.parse::<usize>().is_err())
                {
                    let line = lines[pos.line - 1];
                    let at = &line[pos.column - 1..];
                    let key = key.replace("~1", "/").replace("~0", "~");
                    assert!(
                        at.starts_with(&key)
                            || at.starts_with(&format!("'{key}"))
                            || at.starts_with('"'),
                        "{}: {pointer} at {pos}: {line:?}",
                        name_of(path)
                    );
                }
            });
        }
    }
}

/// `PipelineFile::to_yaml` writes the typed IR without building its JSON
/// first: it must give the same bytes as writing the JSON would.
#[test]
fn typed_writer_matches_the_json_writer() {
    use kfp_ir_schema::PipelineFile;
    use kfp_ir_schema::validate::Format;

    let Some(files) = corpus() else { return };
    let mut compared = 0;
    for path in &files {
        let text = std::fs::read_to_string(path).unwrap();
        // Goldens that kfp-rs refuses (a few use newer fields) are covered
        // by the conformance test; here only what reads is compared.
        let Ok(file) = PipelineFile::from_str(&text, Format::Yaml) else {
            continue;
        };
        let spec = serde_json::to_value(&file.spec).unwrap();
        let mut values = vec![spec.clone()];
        if let Some(platform) = file.platform.as_ref().filter(|p| !p.platforms.is_empty()) {
            values.push(serde_json::to_value(platform).unwrap());
        }
        // Reading keeps a header description that `pipelineInfo` lacks.
        let head = match &file.description {
            Some(description) => header_with_description(&spec, Some(description)),
            None => header(&spec),
        };
        let want = format!("{head}{}", dump(&values.iter().collect::<Vec<_>>()));
        assert_eq!(file.to_yaml(), want, "{}", name_of(path));
        compared += 1;
    }
    assert!(compared > files.len() / 2, "only {compared} goldens read");
}
