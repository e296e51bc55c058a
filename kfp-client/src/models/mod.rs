//! Wire models of the KFP v2beta1 REST API.
//!
//! The server speaks grpc-gateway protojson with snake_case proto names,
//! int64 as strings, enums as names and RFC 3339 timestamps. This module
//! follows one rule, in both directions:
//!
//! * **Strict on what we send.** Request bodies have their own types
//!   ([`NewExperiment`], [`NewRun`], [`NewRecurringRun`]) that hold only the
//!   fields the server accepts, leave unset fields out, and write int64 as
//!   strings. The server rejects unknown fields with HTTP 400, so nothing we
//!   send may carry one.
//! * **Tolerant on what we read.** Response types accept unknown fields and
//!   unknown enum values (kept as `Unknown`), and treat every field as
//!   optional, because the server leaves unset fields out and newer servers
//!   add fields. `deny_unknown_fields` on a response would break this client
//!   against every server newer than its swagger.
//!
//! Timestamps are kept as the RFC 3339 strings the server sends.

mod experiment;
mod filter;
mod pipeline;
mod recurring_run;
mod run;

pub use experiment::*;
pub use filter::*;
pub use pipeline::*;
pub use recurring_run::*;
pub use run::*;

use serde::{Deserialize, Serialize};

/// Serde helpers for an int64 field of a response: written as a string,
/// read from a number or a decimal string; any other value (a mock
/// server's placeholder such as `"string"`) reads as `None` instead of
/// failing the whole response.
pub(crate) mod lenient_int64 {
    use serde::{Deserialize, Deserializer, Serializer};

    /// Writes the value as a decimal string.
    pub fn serialize<S: Serializer>(value: &Option<i64>, s: S) -> Result<S::Ok, S::Error> {
        match value {
            Some(v) => s.serialize_str(&v.to_string()),
            None => s.serialize_none(),
        }
    }

    /// Reads a number or a decimal string; anything else is `None`.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
        Ok(match serde_json::Value::deserialize(d)? {
            serde_json::Value::Number(n) => n.as_i64(),
            serde_json::Value::String(s) => s.trim().parse().ok(),
            _ => None,
        })
    }
}

/// A `google.rpc.Status`: the error body of grpc-gateway routes, also
/// embedded as `error` in pipelines, runs and tasks.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Status {
    /// The gRPC status code (3 InvalidArgument, 5 NotFound, ...).
    pub code: i32,
    /// The internal message (often the whole error chain).
    pub message: String,
    /// Details; KFP puts the user-facing message in a nested `Status` here.
    pub details: Vec<Any>,
}

impl Status {
    /// The most useful message for a user: the first non-generic
    /// user-facing message from `details`, else the top-level message.
    ///
    /// KFP wraps some failures (an invalid inline spec) as internal errors
    /// whose detail is only "Internal Server Error"; the top-level message
    /// then holds the real cause.
    pub fn user_message(&self) -> String {
        let detail = self
            .details
            .iter()
            .filter_map(|d| d.message.as_deref())
            .map(str::trim)
            .find(|m| !m.is_empty() && !m.eq_ignore_ascii_case("internal server error"));
        match detail {
            Some(d) if self.message.is_empty() || self.message.contains(d) => d.to_owned(),
            Some(d) => format!("{d} ({})", self.message.trim()),
            None => self.message.trim().to_owned(),
        }
    }
}

/// A `google.protobuf.Any` as grpc-gateway writes it: a `@type` plus the
/// fields of the packed message (for `google.rpc.Status` details: `code` and
/// `message`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Any {
    /// The type URL, e.g. `type.googleapis.com/google.rpc.Status`.
    #[serde(rename = "@type", default, skip_serializing_if = "Option::is_none")]
    pub type_url: Option<String>,
    /// `code` of a packed `google.rpc.Status`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<i32>,
    /// `message` of a packed `google.rpc.Status`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// Any other field of the packed message.
    #[serde(flatten)]
    pub other: serde_json::Map<String, serde_json::Value>,
}

/// The answer of `GET /apis/v2beta1/healthz`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Healthz {
    /// True when the server runs in multi-user mode (namespaces required).
    pub multi_user: bool,
    /// `database` or `kubernetes` (the Kubernetes-native pipeline store).
    pub pipeline_store: String,
    /// The server's git commit (not in the swagger, sent by real servers).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub commit_sha: String,
    /// The server's release tag (not in the swagger, sent by real servers).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub tag_name: String,
}

/// Paging, sorting, filtering and namespace of a list call.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ListOptions {
    /// The `next_page_token` of the previous page; it carries the filter and
    /// sort of the first request.
    pub page_token: Option<String>,
    /// Page size; the server defaults to 20 and caps at 200.
    pub page_size: Option<u32>,
    /// Sort key and direction, e.g. `created_at desc`.
    pub sort_by: Option<String>,
    /// A filter on the listed resources.
    pub filter: Option<Filter>,
    /// The namespace to list in (multi-user mode).
    pub namespace: Option<String>,
}

impl ListOptions {
    /// Options with only a filter set.
    pub fn filtered(filter: Filter) -> Self {
        Self {
            filter: Some(filter),
            ..Self::default()
        }
    }

    /// Sets the namespace.
    pub fn in_namespace(mut self, namespace: impl Into<String>) -> Self {
        self.namespace = Some(namespace.into());
        self
    }

    /// Sets the page size.
    pub fn page_size(mut self, size: u32) -> Self {
        self.page_size = Some(size);
        self
    }

    /// The query pairs, without empty values.
    pub(crate) fn query(&self) -> Vec<(&'static str, String)> {
        let mut q = Vec::new();
        if let Some(ns) = self.namespace.as_deref().filter(|s| !s.is_empty()) {
            q.push(("namespace", ns.to_owned()));
        }
        if let Some(t) = self.page_token.as_deref().filter(|s| !s.is_empty()) {
            q.push(("page_token", t.to_owned()));
        }
        if let Some(n) = self.page_size {
            q.push(("page_size", n.to_string()));
        }
        if let Some(s) = self.sort_by.as_deref().filter(|s| !s.is_empty()) {
            q.push(("sort_by", s.to_owned()));
        }
        if let Some(f) = self.filter.as_ref().filter(|f| !f.predicates.is_empty()) {
            q.push(("filter", f.to_query_value()));
        }
        q
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn status_prefers_the_user_facing_detail() {
        let s: Status = serde_json::from_value(json!({
            "code": 5, "message": "Failed to get run: ResourceNotFoundError: Run r not found",
            "details": [{"@type": "type.googleapis.com/google.rpc.Status", "code": 5, "message": "Run r not found"}]
        }))
        .unwrap();
        assert_eq!(s.user_message(), "Run r not found");
    }

    #[test]
    fn status_falls_back_to_the_top_message_for_generic_details() {
        let s: Status = serde_json::from_value(json!({
            "code": 13, "message": "Failed to create a run: invalid pipeline spec: bad",
            "details": [{"@type": "type.googleapis.com/google.rpc.Status", "code": 13, "message": "Internal Server Error"}]
        }))
        .unwrap();
        assert_eq!(
            s.user_message(),
            "Failed to create a run: invalid pipeline spec: bad"
        );
    }

    #[test]
    fn healthz_ignores_unknown_fields() {
        let h: Healthz = serde_json::from_value(json!({
            "multi_user": true, "pipeline_store": "kubernetes", "commit_sha": "abc", "new_field": 1
        }))
        .unwrap();
        assert!(h.multi_user);
        assert_eq!(h.pipeline_store, "kubernetes");
        assert_eq!(h.commit_sha, "abc");
    }

    #[test]
    fn list_options_leave_out_empty_values() {
        let o = ListOptions {
            page_token: Some(String::new()),
            page_size: Some(5),
            sort_by: Some("created_at desc".into()),
            ..ListOptions::default()
        };
        assert_eq!(
            o.query(),
            vec![
                ("page_size", "5".to_owned()),
                ("sort_by", "created_at desc".to_owned())
            ]
        );
    }
}
