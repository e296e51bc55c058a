//! The strings a Kubernetes setting holds, for the check that none has a
//! pipeline value formatted into it: kfp-kubernetes would write such a
//! string as it is, placeholder and all, and Kubernetes would read it so.

use crate::fstring::json_strings;
use kfp_compiler::graph::ConfigValue;

use super::{EmptyDirMount, EphemeralVolume, JsonSetting, NodeAffinityTerm, Toleration};

/// The text of a literal name, the one kind of name that can hold a
/// formatted pipeline value.
pub(super) fn name(name: &ConfigValue) -> Option<&str> {
    match name {
        ConfigValue::Literal(text) => Some(text),
        _ => None,
    }
}

/// The texts of `(key, variable)` pairs.
pub(super) fn pairs(pairs: &[(String, String)]) -> impl Iterator<Item = &str> {
    pairs.iter().flat_map(|(k, v)| [k.as_str(), v.as_str()])
}

/// The strings of a toleration.
pub(super) fn toleration(t: &Toleration) -> impl Iterator<Item = &str> {
    t.key.as_deref().into_iter().chain(t.value.as_deref())
}

/// The strings of an `emptyDir` mount.
pub(super) fn empty_dir(m: &EmptyDirMount) -> impl Iterator<Item = &str> {
    [m.volume_name.as_str(), m.mount_path.as_str()]
        .into_iter()
        .chain(m.medium.as_deref())
        .chain(m.size_limit.as_deref())
}

/// The strings of a generic ephemeral volume.
pub(super) fn ephemeral_volume(v: &EphemeralVolume) -> impl Iterator<Item = &str> {
    [
        v.volume_name.as_str(),
        v.mount_path.as_str(),
        v.size.as_str(),
    ]
    .into_iter()
    .chain(v.access_modes.iter().map(String::as_str))
    .chain(v.storage_class_name.as_deref())
    .chain(
        v.labels
            .iter()
            .chain(&v.annotations)
            .flat_map(|(k, v)| [k.as_str(), v.as_str()]),
    )
}

/// The strings of a node affinity term.
pub(super) fn node_affinity(term: &NodeAffinityTerm) -> impl Iterator<Item = &str> {
    term.match_expressions
        .iter()
        .chain(&term.match_fields)
        .flat_map(|r| std::iter::once(r.key.as_str()).chain(r.values.iter().map(String::as_str)))
}

/// The strings of a JSON setting: those of a constant (keys and values),
/// none of a value read at run time.
pub(super) fn json(setting: &JsonSetting) -> Vec<&str> {
    match setting {
        JsonSetting::Constant(value) => json_strings(value),
        _ => Vec::new(),
    }
}
