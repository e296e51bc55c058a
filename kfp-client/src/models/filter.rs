//! The `Filter` of list calls, sent as URL-encoded protojson in `filter=`.

use serde::Serialize;

use kfp_ir_schema::proto_enum;

proto_enum! {
    /// The comparison of a filter [`Predicate`].
    pub open enum PredicateOperation {
        /// The zero value: the field was not set.
        #[default]
        Unspecified = 0 => "OPERATION_UNSPECIFIED",
        /// `key == value`.
        Equals = 1 => "EQUALS",
        /// `key != value`.
        NotEquals = 2 => "NOT_EQUALS",
        /// `key > value`.
        GreaterThan = 3 => "GREATER_THAN",
        /// `key >= value`.
        GreaterThanEquals = 5 => "GREATER_THAN_EQUALS",
        /// `key < value`.
        LessThan = 6 => "LESS_THAN",
        /// `key <= value`.
        LessThanEquals = 7 => "LESS_THAN_EQUALS",
        /// `key` is one of the values.
        In = 8 => "IN",
        /// `value` is a substring of `key`.
        IsSubstring = 9 => "IS_SUBSTRING",
    }
}

/// The value a [`Predicate`] compares with (the proto `oneof value`).
#[derive(Debug, Clone, PartialEq)]
pub enum PredicateValue {
    /// `int_value` (int32).
    Int(i32),
    /// `long_value` (int64, written as a string).
    Long(i64),
    /// `string_value`.
    String(String),
    /// `timestamp_value`, RFC 3339.
    Timestamp(String),
    /// `int_values`, for `IN`.
    Ints(Vec<i32>),
    /// `long_values`, for `IN`.
    Longs(Vec<i64>),
    /// `string_values`, for `IN`.
    Strings(Vec<String>),
}

/// One condition of a [`Filter`].
#[derive(Debug, Clone, PartialEq)]
pub struct Predicate {
    /// The field compared, e.g. `display_name`, `state`, `created_at`.
    pub key: String,
    /// The comparison.
    pub operation: PredicateOperation,
    /// The value compared with.
    pub value: PredicateValue,
}

/// A conjunction of predicates on a list call.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Filter {
    /// All must hold.
    pub predicates: Vec<Predicate>,
}

impl Filter {
    /// A filter `key == value` on a string field.
    pub fn string_equals(key: impl Into<String>, value: impl Into<String>) -> Self {
        Self::default().and(
            key,
            PredicateOperation::Equals,
            PredicateValue::String(value.into()),
        )
    }

    /// Adds a predicate.
    pub fn and(
        mut self,
        key: impl Into<String>,
        operation: PredicateOperation,
        value: PredicateValue,
    ) -> Self {
        self.predicates.push(Predicate {
            key: key.into(),
            operation,
            value,
        });
        self
    }

    /// The protojson text of this filter, as sent in `filter=`.
    pub fn to_query_value(&self) -> String {
        let wire = WireFilter {
            predicates: self.predicates.iter().map(WirePredicate::from).collect(),
        };
        serde_json::to_string(&wire).unwrap_or_default()
    }
}

#[derive(Serialize)]
struct WireFilter<'a> {
    predicates: Vec<WirePredicate<'a>>,
}

#[derive(Serialize)]
struct Values<T> {
    values: T,
}

#[derive(Serialize, Default)]
struct WirePredicate<'a> {
    operation: &'a str,
    key: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    int_value: Option<i32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    long_value: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    string_value: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    timestamp_value: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    int_values: Option<Values<&'a [i32]>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    long_values: Option<Values<Vec<String>>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    string_values: Option<Values<&'a [String]>>,
}

impl<'a> From<&'a Predicate> for WirePredicate<'a> {
    fn from(p: &'a Predicate) -> Self {
        let mut w = WirePredicate {
            operation: p.operation.as_str(),
            key: &p.key,
            ..WirePredicate::default()
        };
        match &p.value {
            PredicateValue::Int(v) => w.int_value = Some(*v),
            PredicateValue::Long(v) => w.long_value = Some(v.to_string()),
            PredicateValue::String(v) => w.string_value = Some(v),
            PredicateValue::Timestamp(v) => w.timestamp_value = Some(v),
            PredicateValue::Ints(v) => w.int_values = Some(Values { values: v }),
            PredicateValue::Longs(v) => {
                w.long_values = Some(Values {
                    values: v.iter().map(i64::to_string).collect(),
                })
            }
            PredicateValue::Strings(v) => w.string_values = Some(Values { values: v }),
        }
        w
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn string_equals_is_written_as_protojson() {
        let f = Filter::string_equals("display_name", "exp1");
        let v: serde_json::Value = serde_json::from_str(&f.to_query_value()).unwrap();
        assert_eq!(
            v,
            json!({"predicates": [{"operation": "EQUALS", "key": "display_name", "string_value": "exp1"}]})
        );
    }

    #[test]
    fn long_values_are_strings() {
        let f = Filter::default().and(
            "x",
            PredicateOperation::In,
            PredicateValue::Longs(vec![1, 2]),
        );
        let v: serde_json::Value = serde_json::from_str(&f.to_query_value()).unwrap();
        assert_eq!(
            v["predicates"][0]["long_values"],
            json!({"values": ["1", "2"]})
        );
    }
}
