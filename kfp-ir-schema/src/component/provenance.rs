//! Where a fetched component file came from, recorded in its header
//! comment by `kfp component fetch`:
//!
//! ```text
//! # PIPELINE DEFINITION            <- the file's own header comment, if any
//! # Name: train
//! # Fetched from: https://example.com/components/train.yaml
//! # sha256: 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08
//! components:
//! ...
//! ```
//!
//! The two lines go after the file's own leading comment lines (where kfp
//! reads a description from, by line number), so every other byte is the
//! file as it was downloaded, and the digest is of those bytes. Loading a
//! component ([`super::load_str`]) checks the digest: a fetched file edited
//! by hand no longer loads until its two lines are removed, so a review
//! sees either the file as published or a deliberate change.

use sha2::{Digest, Sha256};

use crate::diagnostic::{Diagnostic, Document};
use crate::validate::ValidationError;
use crate::yaml::Position;

/// The comment line naming where the file was fetched from.
const FETCHED_FROM: &str = "# Fetched from: ";
/// The comment line holding the sha256 of the file as fetched.
const SHA256: &str = "# sha256: ";

/// Where a fetched file came from and its digest as fetched.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Provenance {
    /// The URL it was fetched from.
    pub url: String,
    /// The sha256 of the file as fetched, in lower-case hex.
    pub sha256: String,
}

/// The sha256 of `bytes`, in lower-case hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// The byte offset just past the file's leading comment lines.
fn header_end(text: &str) -> usize {
    let mut end = 0;
    for line in text.split_inclusive('\n') {
        if !line.starts_with('#') || !line.ends_with('\n') {
            break;
        }
        end += line.len();
    }
    end
}

/// `text` as fetched from `url`, with its provenance recorded: the two
/// comment lines inserted after its own leading comment lines.
///
/// ```
/// use kfp_ir_schema::component::provenance::{self, Provenance};
///
/// let fetched = "# Name: x\nname: x\n";
/// let stamped = provenance::stamp(fetched, "https://example.com/x.yaml");
/// assert!(stamped.starts_with("# Name: x\n# Fetched from: https://example.com/x.yaml\n# sha256: "));
/// let (recorded, original) = provenance::split(&stamped).unwrap();
/// assert_eq!(original, fetched);
/// assert_eq!(recorded.sha256, provenance::sha256_hex(fetched.as_bytes()));
/// ```
pub fn stamp(text: &str, url: &str) -> String {
    let at = header_end(text);
    let url = url.replace(['\n', '\r'], " ");
    let lines = format!(
        "{FETCHED_FROM}{url}\n{SHA256}{}\n",
        sha256_hex(text.as_bytes())
    );
    let mut out = String::with_capacity(text.len() + lines.len());
    out.push_str(&text[..at]);
    out.push_str(&lines);
    out.push_str(&text[at..]);
    out
}

/// The recorded provenance of `text` and the text as it was fetched
/// (without the two lines), when its leading comment records one.
pub fn split(text: &str) -> Option<(Provenance, String)> {
    let end = header_end(text);
    let header = &text[..end];
    let mut offset = 0;
    for line in header.split_inclusive('\n') {
        let rest = &text[offset + line.len()..];
        if let Some(url) = line.strip_prefix(FETCHED_FROM)
            && let Some(next) = rest.split_inclusive('\n').next()
            && let Some(sha256) = next.strip_prefix(SHA256)
        {
            let recorded = Provenance {
                url: url.trim_end().to_owned(),
                sha256: sha256.trim_end().to_owned(),
            };
            let original = format!("{}{}", &text[..offset], &rest[next.len()..]);
            return Some((recorded, original));
        }
        offset += line.len();
    }
    None
}

/// Checks the digest a fetched file records, if it records one.
///
/// # Errors
/// When the file's bytes (but the two lines) no longer have the digest
/// recorded: the file was changed after it was fetched.
pub fn verify(text: &str) -> Result<Option<Provenance>, ValidationError> {
    let Some((recorded, original)) = split(text) else {
        return Ok(None);
    };
    let actual = sha256_hex(original.as_bytes());
    if actual == recorded.sha256 {
        return Ok(Some(recorded));
    }
    let line = text
        .lines()
        .position(|l| l.starts_with(SHA256))
        .map_or(1, |i| i + 1);
    let mut d = Diagnostic::new(
        Document::File,
        "",
        format!(
            "the file was changed after it was fetched from {}: it records sha256 {}, its content has {actual}; fetch it again, or remove the `# Fetched from:` and `# sha256:` lines to keep the change",
            recorded.url, recorded.sha256
        ),
    );
    d.location = Some(Position { line, column: 1 });
    Err(ValidationError::new(vec![d]))
}
