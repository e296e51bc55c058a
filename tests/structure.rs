//! The shape of the code, checked: inside each crate the modules depend on
//! each other one way (no cycle of `crate::`/`super::` references), no
//! source file is over 1,000 lines and no function over 150, unless
//! ARCHITECTURE.md's "Long on purpose" section names it and says why.
//!
//! The checks read the sources as text. They rely on rustfmt's layout
//! (`cargo fmt --check` runs in CI): a function's closing brace is the first
//! line after its signature at the signature's indentation.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::PathBuf;

/// The crates whose modules must form a DAG.
const CRATES: &[&str] = &[
    "kfp-ir-schema",
    "kfp-compiler",
    "kfp-macros",
    "kfp-dsl",
    "kfp-client",
    "kfp-cli",
    "kfp-graph",
    "kfp-ui",
];

const MAX_FILE_LINES: usize = 1000;
const MAX_FN_LINES: usize = 150;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A module's path inside its crate: `["compile", "lower"]` for
/// `src/compile/lower.rs` (or `src/compile/lower/mod.rs`); `[]` for the
/// crate root.
type ModPath = Vec<String>;

struct Source {
    path: PathBuf,
    module: ModPath,
    text: String,
}

fn sources(krate: &str) -> Vec<Source> {
    let src = root().join(krate).join("src");
    let mut out = Vec::new();
    let mut stack = vec![src.clone()];
    while let Some(dir) = stack.pop() {
        let mut entries: Vec<_> = fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .map(|e| e.unwrap().path())
            .collect();
        entries.sort();
        for path in entries {
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let rel = path.strip_prefix(&src).unwrap().with_extension("");
                let mut module: ModPath = rel
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect();
                if matches!(
                    module.last().map(String::as_str),
                    Some("mod" | "lib" | "main")
                ) {
                    module.pop();
                }
                let text = fs::read_to_string(&path).unwrap();
                out.push(Source { path, module, text });
            }
        }
    }
    out
}

/// The code of a file with comments, string literals and `#[cfg(test)]`
/// modules blanked out (line breaks kept, so line numbers stay true).
fn code_only(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let rest = &text[i..];
        if rest.starts_with("//") {
            let end = rest.find('\n').map_or(bytes.len(), |n| i + n);
            i = end;
        } else if rest.starts_with("/*") {
            let end = rest.find("*/").map_or(bytes.len(), |n| i + n + 2);
            out.extend(text[i..end].chars().filter(|&c| c == '\n'));
            i = end;
        } else if rest.starts_with("r#\"") || rest.starts_with("r\"") {
            let close = if rest.starts_with("r#") { "\"#" } else { "\"" };
            let open = if rest.starts_with("r#") { 3 } else { 2 };
            let end = rest[open..]
                .find(close)
                .map_or(bytes.len(), |n| i + open + n + close.len());
            out.extend(text[i..end].chars().filter(|&c| c == '\n'));
            i = end;
        } else if rest.starts_with('"') {
            let mut j = i + 1;
            while j < bytes.len() && bytes[j] != b'"' {
                j += if bytes[j] == b'\\' { 2 } else { 1 };
            }
            out.extend(text[i..j.min(bytes.len())].chars().filter(|&c| c == '\n'));
            i = j + 1;
        } else if rest.starts_with("'\"'") {
            i += 3;
        } else {
            let c = rest.chars().next().unwrap();
            out.push(c);
            i += c.len_utf8();
        }
    }
    // Test modules may use anything.
    let mut kept = String::with_capacity(out.len());
    let mut lines = out.lines().peekable();
    while let Some(line) = lines.next() {
        if line.trim() == "#[cfg(test)]"
            && let Some(next) = lines.peek()
            && next.trim_start().starts_with("mod ")
            && next.trim_end().ends_with('{')
        {
            let indent = indentation(next);
            kept.push('\n');
            for inner in lines.by_ref() {
                kept.push('\n');
                if indentation(inner) == indent && inner.trim() == "}" {
                    break;
                }
            }
            continue;
        }
        kept.push_str(line);
        kept.push('\n');
    }
    kept
}

fn indentation(line: &str) -> usize {
    line.len() - line.trim_start().len()
}

/// The paths a file names that start with `crate::` or `super::`, with
/// the line each is on; `use` groups (`use crate::{a, b::{c, d}}`) are
/// expanded.
fn references(code: &str) -> Vec<(Vec<String>, usize)> {
    let mut out = Vec::new();
    let line_of = |at: usize| code[..at].matches('\n').count() + 1;
    for anchor in ["crate::", "super::"] {
        let mut from = 0;
        while let Some(found) = code[from..].find(anchor) {
            let at = from + found;
            from = at + anchor.len();
            let before = code[..at].chars().next_back();
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':') {
                continue; // `super::` inside `super::super::`, or `kfp_dsl::crate`
            }
            let head = anchor.trim_end_matches("::").to_owned();
            for path in expand_path(&code[from..]) {
                let mut full = vec![head.clone()];
                full.extend(path);
                out.push((full, line_of(at)));
            }
        }
    }
    out
}

/// The paths written at the start of `text`: `a::b::c` gives one, a group
/// `{a, b::{c, d}}` gives each of its members.
fn expand_path(text: &str) -> Vec<Vec<String>> {
    let mut prefix = Vec::new();
    let mut rest = text;
    loop {
        let ident: String = rest
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        if ident.is_empty() {
            break;
        }
        rest = &rest[ident.len()..];
        prefix.push(ident);
        if let Some(after) = rest.strip_prefix("::") {
            rest = after;
        } else {
            return vec![prefix];
        }
    }
    let Some(group) = rest.strip_prefix('{') else {
        return vec![prefix];
    };
    // Split the group's members at top-level commas.
    let mut members = Vec::new();
    let (mut depth, mut start) = (0usize, 0usize);
    for (i, c) in group.char_indices() {
        match c {
            '{' => depth += 1,
            '}' if depth == 0 => {
                members.push(&group[start..i]);
                break;
            }
            '}' => depth -= 1,
            ',' if depth == 0 => {
                members.push(&group[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    for member in members {
        for tail in expand_path(member.trim_start()) {
            let mut full = prefix.clone();
            full.extend(tail);
            out.push(full);
        }
    }
    if out.is_empty() {
        out.push(prefix);
    }
    out
}

/// The module a reference names: the longest prefix of its resolved path
/// that is a module of the crate.
fn target(from: &ModPath, path: &[String], modules: &BTreeSet<ModPath>) -> Option<ModPath> {
    let mut resolved: ModPath = match path.first()?.as_str() {
        "crate" => Vec::new(),
        "super" => from[..from.len().checked_sub(1)?].to_vec(),
        _ => return None,
    };
    let mut segments = path[1..].iter().peekable();
    while segments.peek().is_some_and(|s| *s == "super") {
        segments.next();
        resolved.pop();
    }
    let mut best = resolved.clone();
    for segment in segments {
        resolved.push(segment.clone());
        if modules.contains(&resolved) {
            best = resolved.clone();
        }
    }
    Some(best)
}

/// Whether one module is inside the other (or the same): such references,
/// a parent re-exporting its children and children using their parent's
/// items, are the tree itself, not an edge between modules.
fn nested(a: &ModPath, b: &ModPath) -> bool {
    a.starts_with(b) || b.starts_with(a)
}

fn show(module: &ModPath) -> String {
    if module.is_empty() {
        "crate".into()
    } else {
        module.join("::")
    }
}

/// The first cycle in `edges`, as the modules along it.
fn find_cycle(edges: &BTreeMap<ModPath, BTreeSet<ModPath>>) -> Option<Vec<ModPath>> {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        Open,
        Done,
    }
    fn visit(
        node: &ModPath,
        edges: &BTreeMap<ModPath, BTreeSet<ModPath>>,
        marks: &mut BTreeMap<ModPath, Mark>,
        stack: &mut Vec<ModPath>,
    ) -> Option<Vec<ModPath>> {
        match marks.get(node) {
            Some(Mark::Done) => return None,
            Some(Mark::Open) => {
                let start = stack.iter().position(|n| n == node).unwrap();
                let mut cycle = stack[start..].to_vec();
                cycle.push(node.clone());
                return Some(cycle);
            }
            None => {}
        }
        marks.insert(node.clone(), Mark::Open);
        stack.push(node.clone());
        for next in edges.get(node).into_iter().flatten() {
            if let Some(cycle) = visit(next, edges, marks, stack) {
                return Some(cycle);
            }
        }
        stack.pop();
        marks.insert(node.clone(), Mark::Done);
        None
    }
    let mut marks = BTreeMap::new();
    for node in edges.keys() {
        if let Some(cycle) = visit(node, edges, &mut marks, &mut Vec::new()) {
            return Some(cycle);
        }
    }
    None
}

#[test]
fn modules_depend_on_each_other_one_way() {
    let mut problems = Vec::new();
    for krate in CRATES {
        let files = sources(krate);
        let modules: BTreeSet<ModPath> = files.iter().map(|f| f.module.clone()).collect();
        let mut edges: BTreeMap<ModPath, BTreeSet<ModPath>> = BTreeMap::new();
        let mut witness: BTreeMap<(ModPath, ModPath), String> = BTreeMap::new();
        for file in &files {
            for (path, line) in references(&code_only(&file.text)) {
                let Some(to) = target(&file.module, &path, &modules) else {
                    continue;
                };
                if nested(&file.module, &to) {
                    continue;
                }
                edges
                    .entry(file.module.clone())
                    .or_default()
                    .insert(to.clone());
                witness.entry((file.module.clone(), to)).or_insert_with(|| {
                    format!(
                        "{}:{line}: {}",
                        file.path.strip_prefix(root()).unwrap().display(),
                        path.join("::")
                    )
                });
            }
        }
        if let Some(cycle) = find_cycle(&edges) {
            let steps: Vec<String> = cycle
                .windows(2)
                .map(|w| {
                    format!(
                        "{} -> {}   ({})",
                        show(&w[0]),
                        show(&w[1]),
                        witness[&(w[0].clone(), w[1].clone())]
                    )
                })
                .collect();
            problems.push(format!(
                "{krate}: a module cycle:\n    {}",
                steps.join("\n    ")
            ));
        }
    }
    assert!(problems.is_empty(), "\n{}\n", problems.join("\n"));
}

/// The files and functions that ARCHITECTURE.md's "Long on purpose"
/// section names (each with its reason): `path/to/file.rs` or
/// `path/to/file.rs: fn_name`.
fn long_on_purpose() -> BTreeSet<String> {
    let text = fs::read_to_string(root().join("ARCHITECTURE.md")).unwrap();
    let Some(start) = text.find("### Long on purpose") else {
        return BTreeSet::new();
    };
    let section = &text[start..];
    let end = section[3..].find("\n#").map_or(section.len(), |n| n + 3);
    section[..end]
        .lines()
        .filter_map(|line| line.strip_prefix("- `"))
        .filter_map(|line| line.split('`').next())
        .map(str::to_owned)
        .collect()
}

#[test]
fn files_and_functions_are_small_enough_to_read() {
    let allowed = long_on_purpose();
    let mut problems = Vec::new();
    for krate in CRATES {
        for file in sources(krate) {
            let rel = file
                .path
                .strip_prefix(root())
                .unwrap()
                .display()
                .to_string();
            let lines = file.text.lines().count();
            if lines > MAX_FILE_LINES && !allowed.contains(&rel) {
                problems.push(format!("{rel}: {lines} lines (at most {MAX_FILE_LINES})"));
            }
            for (name, line, length) in functions(&file.text) {
                let key = format!("{rel}: {name}");
                if length > MAX_FN_LINES && !allowed.contains(&key) {
                    problems.push(format!(
                        "{rel}:{line}: fn {name} is {length} lines (at most {MAX_FN_LINES})"
                    ));
                }
            }
        }
    }
    assert!(
        problems.is_empty(),
        "\nsplit these, or name them with a reason under ARCHITECTURE.md's \
         \"Long on purpose\":\n  {}\n",
        problems.join("\n  ")
    );
}

/// Every function of a rustfmt-formatted file: its name, first line and
/// length in lines (signature to closing brace).
fn functions(text: &str) -> Vec<(String, usize, usize)> {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let Some(name) = fn_name(line) else { continue };
        let indent = indentation(line);
        // The body ends at the first `}` line at the signature's indent.
        let Some(end) = lines[i..]
            .iter()
            .position(|l| indentation(l) == indent && l.trim_start().starts_with('}'))
        else {
            continue;
        };
        // A signature ending in `;` (a trait method) has no body.
        if lines[i..i + end]
            .iter()
            .any(|l| l.trim_end().ends_with(';'))
            && end <= 1
        {
            continue;
        }
        out.push((name, i + 1, end + 1));
    }
    out
}

fn fn_name(line: &str) -> Option<String> {
    let mut words = line.split_whitespace();
    loop {
        let word = words.next()?;
        match word {
            "pub" | "const" | "async" | "unsafe" | "extern" | "\"C\"" => continue,
            w if w.starts_with("pub(") => continue,
            "fn" => {
                let name: String = words
                    .next()?
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                return (!name.is_empty()).then_some(name);
            }
            _ => return None,
        }
    }
}

#[test]
fn the_checks_see_what_they_check() {
    // A cycle through a `use` group and a `super::` path is found.
    let modules: BTreeSet<ModPath> = [vec![], vec!["a".into()], vec!["b".into()]].into();
    let refs = references(&code_only(
        "use crate::{b::{x, y}, c};\n// crate::a\nfn f() { super::a::g() }\n",
    ));
    let targets: Vec<_> = refs
        .iter()
        .filter_map(|(p, _)| target(&vec!["b".into(), "c".into()], p, &modules))
        .collect();
    assert_eq!(
        targets,
        [
            vec!["b".to_string()],
            vec!["b".into()],
            vec![],
            vec!["b".into()]
        ]
    );
    let edges: BTreeMap<ModPath, BTreeSet<ModPath>> = [
        (vec!["a".to_string()], [vec!["b".to_string()]].into()),
        (vec!["b".to_string()], [vec!["a".to_string()]].into()),
    ]
    .into();
    assert!(find_cycle(&edges).is_some());
    // Function lengths follow rustfmt's braces.
    let text =
        "fn a() {\n    if x {\n    }\n}\n\npub(crate) fn b(\n    x: u8,\n) -> u8 {\n    x\n}\n";
    assert_eq!(
        functions(text),
        [("a".to_string(), 1, 4), ("b".to_string(), 6, 5)]
    );
}
