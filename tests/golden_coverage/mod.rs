//! The README's "Golden coverage" table: every valid golden file of kfp's
//! corpus is reproduced by an example compared in `golden_examples.rs` or
//! by a test file of its own, or listed with the reason it is not.

use std::collections::BTreeSet;
use std::path::Path;

use crate::golden;

/// The reasons a golden may be left unreproduced; a row's cell starts with
/// one of them, followed by what the golden needs.
const REASONS: &[&str] = &[
    "Python-only: ",
    "not yet: ",
    "not reproduced: IR kfp 2.17 does not write ",
];

/// A row of the table: `` | `PATH` | COVERED BY | ``.
struct Row {
    /// The golden's path under `sdk_compiled_pipelines/valid/`.
    golden: String,
    /// The example that reproduces it (`hello_world.rs`), if one does.
    example: Option<String>,
    /// The test file that reproduces it (`tests/xgboost_sample.rs`), if
    /// one does (a golden whose components are written by the test).
    test: Option<String>,
}

/// The rows of the README's "Golden coverage" section.
fn rows(readme: &str) -> Vec<Row> {
    let section = readme
        .split("\n## Golden coverage\n")
        .nth(1)
        .expect("README.md has no \"## Golden coverage\" section");
    let section = section.split("\n## ").next().unwrap_or(section);
    section
        .lines()
        .filter(|line| line.starts_with("| `"))
        .map(|line| {
            let cells: Vec<&str> = line.trim_matches('|').split(" | ").map(str::trim).collect();
            let [golden, covered] = cells[..] else {
                panic!("README.md, Golden coverage: not two cells: {line}");
            };
            let golden = golden.trim_matches('`').to_owned();
            let example = covered
                .strip_prefix("reproduced by [`examples/")
                .and_then(|rest| rest.split_once('`'))
                .map(|(file, _)| file.to_owned());
            let test = covered
                .strip_prefix("reproduced by [`")
                .filter(|rest| rest.starts_with("tests/"))
                .and_then(|rest| rest.split_once('`'))
                .map(|(file, _)| file.to_owned());
            if example.is_none() && test.is_none() {
                let reason = REASONS.iter().find_map(|r| covered.strip_prefix(r));
                assert!(
                    reason.is_some_and(|why| !why.trim().is_empty()),
                    "README.md, Golden coverage: `{golden}` is neither reproduced by \
                     [`examples/…`] or [`tests/…`] nor explained (a cell starting with one of {REASONS:?} \
                     and saying why): {covered}"
                );
            }
            Row {
                golden,
                example,
                test,
            }
        })
        .collect()
}

/// Every `.yaml` file under `dir`, as paths relative to `root` with `/`.
fn goldens(root: &Path, dir: &Path, out: &mut BTreeSet<String>) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            goldens(root, &path, out);
        } else if path.extension().is_some_and(|e| e == "yaml") {
            let relative = path.strip_prefix(root).unwrap();
            let parts: Vec<String> = relative
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            out.insert(parts.join("/"));
        }
    }
}

/// Every golden is listed once; a row that says an example reproduces it
/// names an example that `golden_examples` compares, and every compared
/// example is named. With `../shared`, the rows are exactly the corpus's
/// files, and a golden reproduced by an example of another name (or found
/// under another folder) is compared with that example here.
#[test]
fn every_golden_is_reproduced_or_explained() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let rows = rows(&readme);

    let mut listed = BTreeSet::new();
    for row in &rows {
        assert!(
            listed.insert(row.golden.clone()),
            "README.md, Golden coverage: `{}` is listed twice",
            row.golden
        );
    }
    let compared: BTreeSet<&str> = crate::COMPARED
        .iter()
        .map(|path| path.trim_start_matches("../examples/"))
        .collect();
    let mut named = BTreeSet::new();
    for row in &rows {
        let Some(example) = &row.example else {
            continue;
        };
        assert!(
            compared.contains(example.as_str()),
            "README.md, Golden coverage: `{}`: examples/{example} is not compared by \
             tests/golden_examples.rs",
            row.golden
        );
        named.insert(example.as_str());
    }
    assert_eq!(
        named, compared,
        "README.md, Golden coverage: every compared example reproduces a golden listed there"
    );
    for row in &rows {
        if let Some(test) = &row.test {
            check_test_file(root, test, &row.golden);
        }
    }

    let Some(dir) = golden::shared_dir("kfp-golden/sdk_compiled_pipelines/valid") else {
        return;
    };
    let mut corpus = BTreeSet::new();
    goldens(&dir, &dir, &mut corpus);
    let missing: Vec<&String> = corpus.difference(&listed).collect();
    let unknown: Vec<&String> = listed.difference(&corpus).collect();
    assert!(
        missing.is_empty() && unknown.is_empty(),
        "README.md, Golden coverage: not listed (reproduce them or say why): {missing:?}; \
         listed but not in the corpus: {unknown:?}"
    );
    // A golden reproduced by an example of another name, or found under
    // another folder than the file `golden_examples` compares (`golden::find`
    // finds the first file named after the example), is compared here.
    for row in &rows {
        let Some(example) = &row.example else {
            continue;
        };
        let compared = golden::find(&dir, &format!("{}.yaml", crate::stem(example)));
        if compared.as_deref() == Some(dir.join(&row.golden).as_path()) {
            continue;
        }
        let (entry, overrides) =
            crate::compared_entry(&format!("../examples/{example}")).expect("a compared example");
        let stem = row.golden.trim_end_matches(".yaml").replace('/', "--");
        golden::check(&stem, &dir.join(&row.golden), entry, &overrides);
    }
}

/// A test file said to reproduce `golden` (its path under
/// `sdk_compiled_pipelines/valid/`) names the golden's stem and compares
/// with it through `golden::check`, as `golden_examples` does.
fn check_test_file(root: &Path, test: &str, golden: &str) {
    let text = std::fs::read_to_string(root.join(test))
        .unwrap_or_else(|e| panic!("README.md, Golden coverage: `{golden}`: {test}: {e}"));
    let stem = Path::new(golden)
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or(golden);
    assert!(
        text.contains(&format!("\"{stem}\"")) && text.contains("golden::check("),
        "README.md, Golden coverage: `{golden}`: {test} does not compare `{stem}` with \
         golden::check"
    );
}
