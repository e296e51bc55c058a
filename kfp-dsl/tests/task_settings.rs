//! The names the macros reserve for task methods are exactly the methods
//! of the task-settings traits: an optional input becomes a method of its
//! task, and one named after a setting (say `mount_pvc`) would silently
//! shadow it. The macros cannot see kfp-dsl's traits, so they keep the
//! list; this test reads the traits from the source and checks that list,
//! so that a setting added to a trait without being added there fails.

use std::collections::BTreeSet;
use std::path::Path;

/// Every trait in the crate's sources that is a task-settings trait:
/// `TaskSettings` itself and every trait with it as a supertrait; with the
/// names of its methods.
fn settings_traits() -> Vec<(String, BTreeSet<String>)> {
    let mut out = Vec::new();
    let mut stack = vec![Path::new(env!("CARGO_MANIFEST_DIR")).join("src")];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).unwrap();
                let file =
                    syn::parse_file(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
                collect(&file.items, &mut out);
            }
        }
    }
    out
}

fn collect(items: &[syn::Item], out: &mut Vec<(String, BTreeSet<String>)>) {
    for item in items {
        match item {
            syn::Item::Trait(t) if is_settings_trait(t) => {
                let methods = t
                    .items
                    .iter()
                    .filter_map(|i| match i {
                        syn::TraitItem::Fn(f) => Some(f.sig.ident.to_string()),
                        _ => None,
                    })
                    .collect();
                out.push((t.ident.to_string(), methods));
            }
            syn::Item::Mod(m) => {
                if let Some((_, items)) = &m.content {
                    collect(items, out);
                }
            }
            _ => {}
        }
    }
}

fn is_settings_trait(t: &syn::ItemTrait) -> bool {
    t.ident == "TaskSettings"
        || t.supertraits.iter().any(|bound| {
            matches!(bound, syn::TypeParamBound::Trait(b)
                if b.path.segments.last().is_some_and(|s| s.ident == "TaskSettings"))
        })
}

#[test]
fn the_reserved_names_are_the_methods_of_the_task_settings_traits() {
    let traits = settings_traits();
    let names: BTreeSet<&str> = traits.iter().map(|(name, _)| name.as_str()).collect();
    assert!(
        names.contains("TaskSettings") && names.contains("KubernetesSettings"),
        "the task-settings traits found in src/: {names:?}"
    );
    let methods: BTreeSet<String> = traits.into_iter().flat_map(|(_, m)| m).collect();
    let reserved: BTreeSet<String> = kfp_dsl::__private::TASK_SETTINGS
        .iter()
        .map(|s| (*s).to_owned())
        .collect();
    assert_eq!(
        kfp_dsl::__private::TASK_SETTINGS.len(),
        reserved.len(),
        "a name is listed twice"
    );
    let missing: Vec<_> = methods.difference(&reserved).collect();
    let stale: Vec<_> = reserved.difference(&methods).collect();
    assert!(
        missing.is_empty() && stale.is_empty(),
        "kfp-macros/src/task_methods.rs (SETTINGS) is out of step with the task-settings \
         traits: add {missing:?}, remove {stale:?}"
    );
}
