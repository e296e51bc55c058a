//! [`proto_enum!`](crate::proto_enum!): protobuf enums in the proto3 JSON
//! form, for the IR and for the REST API's messages alike.

/// Declares a protobuf enum as a Rust enum in protojson's form: written as
/// its proto name, read from the name or the number, its zero value the
/// `Default` (so a field holding it is left out with
/// `skip_serializing_if = "is_default"`).
///
/// It comes in two forms, which read unknown values differently:
///
/// * `enum Name { .. }` is **strict**, as Go's `protojson.Unmarshal` reads
///   the IR: an unknown name or number is an error that lists the names.
///   The enum is `Copy` and `Ord`, and has `ALL`, `number()`, `from_name`
///   and `from_number` (both `Option`) and a JSON Schema.
/// * `open enum Name { .. }` is **open**, for what a server sends: a newer
///   server may have values this code does not know, and failing to read a
///   whole response for that is worse than useless. An unknown name (or
///   the digits of an unknown number) is kept in an added `Unknown(String)`
///   variant and written back as it was read, and a JSON `null` reads as
///   the zero value. `from_name` and `from_number` never fail.
///
/// Every variant is `Variant = NUMBER => "PROTO_NAME",`; the zero value
/// carries `#[default]`.
///
/// ```
/// use kfp_ir_schema::proto_enum;
///
/// proto_enum! {
///     /// The colour of a thing.
///     pub enum Colour {
///         /// Not set.
///         #[default]
///         Unspecified = 0 => "COLOUR_UNSPECIFIED",
///         /// Red.
///         Red = 1 => "RED",
///     }
/// }
///
/// proto_enum! {
///     /// The state of a thing, as a server reports it.
///     pub open enum State {
///         /// Not set.
///         #[default]
///         Unspecified = 0 => "STATE_UNSPECIFIED",
///         /// Running.
///         Running = 1 => "RUNNING",
///     }
/// }
///
/// assert_eq!(serde_json::from_str::<Colour>("1").unwrap(), Colour::Red);
/// assert_eq!(serde_json::to_string(&Colour::Red).unwrap(), r#""RED""#);
/// assert!(serde_json::from_str::<Colour>(r#""BLUE""#).is_err());
///
/// let state: State = serde_json::from_str(r#""HIBERNATING""#).unwrap();
/// assert_eq!(state, State::Unknown("HIBERNATING".into()));
/// assert_eq!(serde_json::to_string(&state).unwrap(), r#""HIBERNATING""#);
/// assert_eq!(serde_json::from_str::<State>("null").unwrap(), State::Unspecified);
/// ```
#[macro_export]
macro_rules! proto_enum {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $(
                $(#[$vmeta:meta])*
                $variant:ident = $number:literal => $wire:literal,
            )+
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
        $vis enum $name {
            $(
                $(#[$vmeta])*
                $variant,
            )+
        }

        impl $name {
            /// Every value, in proto order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The name protojson writes.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $wire,)+
                }
            }

            /// The proto enum number.
            pub const fn number(self) -> i32 {
                match self {
                    $($name::$variant => $number,)+
                }
            }

            /// Looks a value up by its proto name.
            pub fn from_name(name: &str) -> Option<Self> {
                match name {
                    $($wire => Some($name::$variant),)+
                    _ => None,
                }
            }

            /// Looks a value up by its proto number.
            pub fn from_number(number: i64) -> Option<Self> {
                match number {
                    $($number => Some($name::$variant),)+
                    _ => None,
                }
            }
        }

        $crate::proto_enum!(@display_serialize $name);

        impl<'de> $crate::__private::serde::Deserialize<'de> for $name {
            fn deserialize<D: $crate::__private::serde::Deserializer<'de>>(
                d: D,
            ) -> Result<Self, D::Error> {
                use $crate::__private::serde::de::{Error, Unexpected, Visitor};
                struct V;
                impl Visitor<'_> for V {
                    type Value = $name;

                    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                        f.write_str(concat!("one of ", $("`", $wire, "` "),+))
                    }

                    fn visit_str<E: Error>(self, v: &str) -> Result<$name, E> {
                        $name::from_name(v).ok_or_else(|| E::unknown_variant(v, &[$($wire),+]))
                    }

                    fn visit_i64<E: Error>(self, v: i64) -> Result<$name, E> {
                        $name::from_number(v)
                            .ok_or_else(|| E::invalid_value(Unexpected::Signed(v), &self))
                    }

                    fn visit_u64<E: Error>(self, v: u64) -> Result<$name, E> {
                        i64::try_from(v)
                            .ok()
                            .and_then($name::from_number)
                            .ok_or_else(|| E::invalid_value(Unexpected::Unsigned(v), &self))
                    }
                }
                d.deserialize_any(V)
            }
        }

        impl $crate::__private::schemars::JsonSchema for $name {
            fn schema_name() -> std::borrow::Cow<'static, str> {
                stringify!($name).into()
            }

            fn json_schema(
                _: &mut $crate::__private::schemars::SchemaGenerator,
            ) -> $crate::__private::schemars::Schema {
                $crate::__private::schemars::json_schema!({
                    "description": concat!("The protobuf enum `", stringify!($name), "`, by name (as written) or by number."),
                    "anyOf": [
                        { "type": "string", "enum": [$($wire),+] },
                        { "type": "integer", "enum": [$($number),+] }
                    ]
                })
            }
        }
    };

    (
        $(#[$meta:meta])*
        $vis:vis open enum $name:ident {
            $(
                $(#[$vmeta:meta])*
                $variant:ident = $number:literal => $wire:literal,
            )+
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
        $vis enum $name {
            $(
                $(#[$vmeta])*
                $variant,
            )+
            /// A value not known here, as it was read: a name, or the
            /// digits of a number.
            Unknown(String),
        }

        impl $name {
            /// The proto name of this value, as written on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    $($name::$variant => $wire,)+
                    $name::Unknown(name) => name,
                }
            }

            /// Reads a proto name; an unknown name becomes `Unknown`.
            pub fn from_name(name: &str) -> Self {
                match name {
                    $($wire => $name::$variant,)+
                    other => $name::Unknown(other.to_owned()),
                }
            }

            /// Reads a proto number; an unknown number becomes `Unknown`.
            pub fn from_number(number: i64) -> Self {
                match number {
                    $($number => $name::$variant,)+
                    other => $name::Unknown(other.to_string()),
                }
            }
        }

        $crate::proto_enum!(@display_serialize $name);

        impl<'de> $crate::__private::serde::Deserialize<'de> for $name {
            fn deserialize<D: $crate::__private::serde::Deserializer<'de>>(
                d: D,
            ) -> Result<Self, D::Error> {
                use $crate::__private::serde_json::Value;
                match <Value as $crate::__private::serde::Deserialize>::deserialize(d)? {
                    Value::String(name) => Ok(Self::from_name(&name)),
                    Value::Number(n) => Ok(n
                        .as_i64()
                        .map(Self::from_number)
                        .unwrap_or_else(|| Self::Unknown(n.to_string()))),
                    Value::Null => Ok(Self::default()),
                    other => Err(<D::Error as $crate::__private::serde::de::Error>::custom(
                        format!(
                            "expected a {} name or number, found {other}",
                            stringify!($name)
                        ),
                    )),
                }
            }
        }
    };

    (@display_serialize $name:ident) => {
        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl $crate::__private::serde::Serialize for $name {
            fn serialize<S: $crate::__private::serde::Serializer>(
                &self,
                s: S,
            ) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use crate::protojson::is_default;

    crate::proto_enum! {
        /// A test enum.
        enum Colour {
            #[default]
            Unspecified = 0 => "COLOUR_UNSPECIFIED",
            Red = 1 => "RED",
            Blue = 3 => "BLUE",
        }
    }

    crate::proto_enum! {
        /// A test enum read openly.
        open enum Weather {
            #[default]
            Unspecified = 0 => "WEATHER_UNSPECIFIED",
            Sunny = 1 => "SUNNY",
            Rainy = 3 => "RAINY",
        }
    }

    #[test]
    fn strict_enums_read_names_and_numbers_and_write_names() {
        assert_eq!(
            serde_json::from_str::<Colour>(r#""RED""#).unwrap(),
            Colour::Red
        );
        assert_eq!(serde_json::from_str::<Colour>("1").unwrap(), Colour::Red);
        assert_eq!(serde_json::to_string(&Colour::Red).unwrap(), r#""RED""#);
        let err = serde_json::from_str::<Colour>(r#""GREEN""#).unwrap_err();
        assert!(err.to_string().contains("`RED`, `BLUE`"), "{err}");
        assert!(serde_json::from_str::<Colour>("2").is_err());
        assert!(serde_json::from_str::<Colour>("null").is_err());
        assert!(is_default(&Colour::Unspecified));
        assert_eq!(
            Colour::ALL,
            &[Colour::Unspecified, Colour::Red, Colour::Blue]
        );
        assert_eq!(Colour::Blue.number(), 3);
        assert_eq!(Colour::from_number(3), Some(Colour::Blue));
        assert_eq!(Colour::from_name("GREEN"), None);
    }

    #[test]
    fn open_enums_keep_what_they_do_not_know() {
        let read = |json: &str| serde_json::from_str::<Weather>(json).unwrap();
        assert_eq!(read(r#""SUNNY""#), Weather::Sunny);
        assert_eq!(read("3"), Weather::Rainy);
        assert_eq!(read(r#""WEATHER_UNSPECIFIED""#), Weather::Unspecified);
        assert_eq!(read("0"), Weather::Unspecified);
        assert_eq!(read("null"), Weather::Unspecified);
        assert_eq!(read(r#""HAIL""#), Weather::Unknown("HAIL".into()));
        assert_eq!(read("2"), Weather::Unknown("2".into()));
        assert_eq!(read("1.5"), Weather::Unknown("1.5".into()));
        assert_eq!(
            read("18446744073709551615"),
            Weather::Unknown("18446744073709551615".into())
        );
        let err = serde_json::from_str::<Weather>("[]").unwrap_err();
        assert!(
            err.to_string()
                .contains("expected a Weather name or number, found []"),
            "{err}"
        );
        assert_eq!(
            serde_json::to_string(&Weather::Unknown("HAIL".into())).unwrap(),
            r#""HAIL""#
        );
        assert_eq!(Weather::Rainy.to_string(), "RAINY");
        assert!(is_default(&Weather::Unspecified));
        assert_eq!(Weather::from_name("FOG"), Weather::Unknown("FOG".into()));
    }
}
