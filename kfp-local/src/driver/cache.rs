//! The cache key of a container task, in the shape of the KFP backend's
//! (`cache_key.proto`, `cacheutils.GenerateCacheKey`): the input parameter
//! values, the input artifacts, the output specs with URIs wiped, the
//! image and the raw command and arguments, hashed with SHA-256.
//!
//! Where the backend names an input artifact by its ML Metadata id, the
//! local runner uses the digest of its content, so a task whose input file
//! changed runs again. A Rust-native component run by its pipeline binary
//! adds the digest of that binary, so editing a component's code is a
//! cache miss even though the IR is the same.

use std::collections::BTreeMap;

use kfp_ir_schema::ComponentSpec;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use super::value_text;

/// What a container task's cache key is made of.
#[derive(Clone, Debug, Default)]
pub struct CacheKey<'a> {
    /// The component (its declared inputs and outputs).
    pub component: Option<&'a ComponentSpec>,
    /// The image.
    pub image: &'a str,
    /// The command then the arguments, placeholders unresolved.
    pub command_and_args: Vec<&'a str>,
    /// The resolved input parameter values.
    pub parameters: Option<&'a BTreeMap<String, Value>>,
    /// The content digest of each input artifact, by input name.
    pub artifact_digests: BTreeMap<String, Vec<String>>,
    /// The digest of the program that runs a Rust-native component.
    pub program_digest: Option<String>,
    /// The PVCs the task mounts.
    pub pvc_names: Vec<String>,
}

impl CacheKey<'_> {
    /// The key's fingerprint: the SHA-256 of its JSON (keys sorted,
    /// whole numbers as integers), as lower-case hex.
    pub fn fingerprint(&self) -> String {
        let outputs = self.component.and_then(|c| c.output_definitions.as_ref());
        let output_artifacts: BTreeMap<_, _> = outputs
            .iter()
            .flat_map(|o| o.artifacts.iter())
            .map(|(name, spec)| {
                (
                    name.to_string(),
                    json!({"name": name.as_str(), "type": spec.artifact_type}),
                )
            })
            .collect();
        let output_parameters: BTreeMap<_, _> = outputs
            .iter()
            .flat_map(|o| o.parameters.iter())
            .map(|(name, spec)| (name.to_string(), json!(spec.parameter_type.as_str())))
            .collect();
        let inputs = self
            .component
            .and_then(|c| c.input_definitions.as_ref())
            .map(|i| serde_json::to_value(i).unwrap_or_default());
        let parameters = self
            .parameters
            .map(|p| value_text::whole_numbers_as_integers(&json!(p)))
            .unwrap_or_default();
        let artifact_names: BTreeMap<_, _> = self
            .artifact_digests
            .iter()
            .map(|(name, digests)| (name.clone(), json!({ "artifactNames": digests })))
            .collect();
        let mut pvc_names = self.pvc_names.clone();
        pvc_names.sort();
        let key = json!({
            "inputArtifactNames": artifact_names,
            "inputParameterValues": parameters,
            "outputArtifactsSpec": output_artifacts,
            "outputParametersSpec": output_parameters,
            "containerSpec": {"image": self.image, "cmdArgs": self.command_and_args},
            "pvcNames": pvc_names,
            "inputDefinitions": inputs,
            "programDigest": self.program_digest,
        });
        hex(&Sha256::digest(key.to_string().as_bytes()))
    }
}

/// The fingerprint of a task with a custom cache key: the backend's
/// SHA-256 of the component's name, a zero byte and the key, so that only
/// the key decides.
pub fn custom_fingerprint(component_name: &str, key: &str) -> String {
    let mut hasher = Sha256::new();
    hasher.update(component_name.as_bytes());
    hasher.update([0]);
    hasher.update(key.as_bytes());
    hex(&hasher.finalize())
}

/// Bytes as lower-case hex.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn component(out_type: &str) -> ComponentSpec {
        serde_json::from_value(json!({
            "executorLabel": "exec-a",
            "inputDefinitions": {"parameters": {"n": {"parameterType": "NUMBER_INTEGER"}}},
            "outputDefinitions": {"parameters": {"o": {"parameterType": out_type}}}
        }))
        .unwrap()
    }

    #[test]
    fn every_part_of_the_key_counts() {
        let c = component("STRING");
        let params = BTreeMap::from([("n".to_owned(), json!(3))]);
        let base = CacheKey {
            component: Some(&c),
            image: "alpine",
            command_and_args: vec!["echo", "{{$.inputs.parameters['n']}}"],
            parameters: Some(&params),
            ..Default::default()
        };
        let fp = base.fingerprint();
        assert_eq!(fp.len(), 64);
        assert_eq!(fp, base.clone().fingerprint());

        // 3 and 3.0 are one protobuf value.
        let same = BTreeMap::from([("n".to_owned(), json!(3.0))]);
        assert_eq!(
            CacheKey {
                parameters: Some(&same),
                ..base.clone()
            }
            .fingerprint(),
            fp
        );

        let other = BTreeMap::from([("n".to_owned(), json!(4))]);
        let c2 = component("NUMBER_INTEGER");
        let changed = [
            CacheKey {
                parameters: Some(&other),
                ..base.clone()
            },
            CacheKey {
                image: "busybox",
                ..base.clone()
            },
            CacheKey {
                command_and_args: vec!["echo"],
                ..base.clone()
            },
            CacheKey {
                component: Some(&c2),
                ..base.clone()
            },
            CacheKey {
                artifact_digests: BTreeMap::from([("d".into(), vec!["ab".into()])]),
                ..base.clone()
            },
            CacheKey {
                program_digest: Some("cd".into()),
                ..base.clone()
            },
        ];
        for key in changed {
            assert_ne!(key.fingerprint(), fp, "{key:?}");
        }
    }

    #[test]
    fn a_custom_key_is_the_component_and_the_key() {
        let a = custom_fingerprint("comp-a", "v1");
        assert_eq!(a, custom_fingerprint("comp-a", "v1"));
        assert_ne!(a, custom_fingerprint("comp-a", "v2"));
        assert_ne!(a, custom_fingerprint("comp-b", "v1"));
        // The zero byte keeps the two parts apart.
        assert_ne!(custom_fingerprint("ab", "c"), custom_fingerprint("a", "bc"));
    }
}
