//! The `wire_enum!` macro: protobuf enums of the REST API that are written by
//! name and read tolerantly.
//!
//! A newer server may add enum values. A client that fails to read a run
//! because its state is a value it has not heard of is worse than useless, so
//! every enum keeps unknown names (and unknown numbers) in an `Unknown`
//! variant instead of failing. On output only known names are written.

/// Declares a proto enum of the REST API: `Serialize` writes the proto name,
/// `Deserialize` reads a name or a number and keeps anything else as
/// `Unknown`.
macro_rules! wire_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident ($unspecified:literal) {
            $( $(#[$vmeta:meta])* $variant:ident = ($number:literal, $wire:literal), )+
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
        pub enum $name {
            /// The zero value: the field was not set.
            #[default]
            Unspecified,
            $( $(#[$vmeta])* $variant, )+
            /// A value this client does not know, as the server sent it.
            Unknown(String),
        }

        impl $name {
            const UNSPECIFIED_NAME: &'static str = $unspecified;

            /// The proto name of this value, as written on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    Self::Unspecified => Self::UNSPECIFIED_NAME,
                    $( Self::$variant => $wire, )+
                    Self::Unknown(name) => name,
                }
            }

            /// Reads a proto name; unknown names become `Unknown`.
            pub fn from_name(name: &str) -> Self {
                match name {
                    $( $wire => Self::$variant, )+
                    n if n == Self::UNSPECIFIED_NAME => Self::Unspecified,
                    other => Self::Unknown(other.to_owned()),
                }
            }

            fn from_number(number: i64) -> Self {
                match number {
                    0 => Self::Unspecified,
                    $( $number => Self::$variant, )+
                    other => Self::Unknown(other.to_string()),
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                match serde_json::Value::deserialize(d)? {
                    serde_json::Value::String(name) => Ok(Self::from_name(&name)),
                    serde_json::Value::Number(n) => Ok(n
                        .as_i64()
                        .map(Self::from_number)
                        .unwrap_or_else(|| Self::Unknown(n.to_string()))),
                    serde_json::Value::Null => Ok(Self::Unspecified),
                    other => Err(serde::de::Error::custom(format!(
                        "expected a {} name or number, found {other}",
                        stringify!($name)
                    ))),
                }
            }
        }
    };
}

pub(crate) use wire_enum;
