//! Status-code keys, HTTP methods and the IANA status-code registry.

use std::cmp::Ordering;
use std::fmt;

use serde::de::{self, Deserialize, Deserializer, Visitor};

/// A key of a response-code table: one status code (`404`) or a class range (`4XX`).
///
/// Keys order by class, then exact codes before the class range: `400 < 404 < 4XX < 500`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TableKey {
    /// A three-digit code from 100 to 599.
    Code(u16),
    /// A class range: `Range(4)` is `4XX`.
    Range(u8),
}

impl TableKey {
    /// The table key a document's response key stands for: an exact code, or a range
    /// written in upper case as OpenAPI writes them (`4XX`); `None` for `default` and keys
    /// that are neither.
    pub fn of(status: &crate::model::StatusKey) -> Option<TableKey> {
        match status.kind {
            crate::model::CodeKind::Exact(code) => Some(TableKey::Code(code)),
            crate::model::CodeKind::Range(class) if status.text.bytes().skip(1).all(|byte| byte == b'X') => {
                Some(TableKey::Range(class))
            }
            _ => None,
        }
    }

    /// Read a table key: three digits from 100 to 599, or `1XX` to `5XX` (upper case, as
    /// OpenAPI writes ranges).
    pub fn parse(text: &str) -> Result<TableKey, String> {
        let bytes = text.as_bytes();
        match bytes {
            [class @ b'1'..=b'5', b'X', b'X'] => Ok(TableKey::Range(class - b'0')),
            [b'1'..=b'5', b'x' | b'X', b'x' | b'X'] => {
                Err(format!("write the range `{text}` in upper case, as OpenAPI does: `{}`", text.to_ascii_uppercase()))
            }
            [b'0'..=b'9', b'0'..=b'9', b'0'..=b'9'] => match text.parse::<u16>() {
                Ok(code) if (100..=599).contains(&code) => Ok(TableKey::Code(code)),
                _ => Err(format!("`{text}` is not an HTTP status code: codes run from 100 to 599")),
            },
            _ => Err(format!(
                "`{text}` is not a status code: write three digits from 100 to 599, or a range such as 4XX"
            )),
        }
    }

    /// The first digit: 4 for `404` and for `4XX`.
    pub fn class(self) -> u8 {
        match self {
            // Codes are 100..=599, so the quotient fits.
            TableKey::Code(code) => u8::try_from(code / 100).unwrap_or(0),
            TableKey::Range(class) => class,
        }
    }

    /// The exact code, or `None` for a range.
    pub fn code(self) -> Option<u16> {
        match self {
            TableKey::Code(code) => Some(code),
            TableKey::Range(_) => None,
        }
    }

    pub fn is_range(self) -> bool {
        matches!(self, TableKey::Range(_))
    }

    /// 4xx or 5xx: a client or server error.
    pub fn is_error(self) -> bool {
        matches!(self.class(), 4 | 5)
    }

    /// Whether this key covers `code`: the same code, or the range of its class.
    pub fn covers(self, code: u16) -> bool {
        match self {
            TableKey::Code(own) => own == code,
            TableKey::Range(class) => u16::from(class) == code / 100,
        }
    }
}

impl fmt::Display for TableKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TableKey::Code(code) => write!(f, "{code}"),
            TableKey::Range(class) => write!(f, "{class}XX"),
        }
    }
}

impl Ord for TableKey {
    fn cmp(&self, other: &TableKey) -> Ordering {
        let rank = |key: &TableKey| match *key {
            TableKey::Code(code) => (key.class(), 0, code),
            TableKey::Range(class) => (class, 1, 0),
        };
        rank(self).cmp(&rank(other))
    }
}

impl PartialOrd for TableKey {
    fn partial_cmp(&self, other: &TableKey) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl<'de> Deserialize<'de> for TableKey {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<TableKey, D::Error> {
        struct KeyVisitor;
        impl Visitor<'_> for KeyVisitor {
            type Value = TableKey;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a status code such as 404, or a range such as 4XX")
            }
            fn visit_u64<E: de::Error>(self, value: u64) -> Result<TableKey, E> {
                TableKey::parse(&value.to_string()).map_err(E::custom)
            }
            fn visit_i64<E: de::Error>(self, value: i64) -> Result<TableKey, E> {
                TableKey::parse(&value.to_string()).map_err(E::custom)
            }
            fn visit_str<E: de::Error>(self, value: &str) -> Result<TableKey, E> {
                TableKey::parse(value).map_err(E::custom)
            }
        }
        deserializer.deserialize_any(KeyVisitor)
    }
}

pub use crate::model::Method;

/// Read a method as rulesets write it, in lower case like OpenAPI path items (`get`);
/// anything else is an error that says why.
pub fn parse_method(text: &str) -> Result<Method, String> {
    if let Some(method) = Method::ALL.iter().find(|m| m.key() == text) {
        return Ok(*method);
    }
    let lower = text.to_ascii_lowercase();
    if Method::ALL.iter().any(|m| m.key() == lower) {
        return Err(format!("write the method `{text}` in lower case, as OpenAPI does: `{lower}`"));
    }
    let names: Vec<&str> = Method::ALL.iter().map(|m| m.key()).collect();
    Err(format!("`{text}` is not an HTTP method (expected one of {})", names.join(", ")))
}

impl<'de> Deserialize<'de> for Method {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Method, D::Error> {
        struct MethodVisitor;
        impl Visitor<'_> for MethodVisitor {
            type Value = Method;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an HTTP method such as get or post")
            }
            fn visit_str<E: de::Error>(self, value: &str) -> Result<Method, E> {
                parse_method(value).map_err(E::custom)
            }
        }
        deserializer.deserialize_str(MethodVisitor)
    }
}

pub use crate::model::reason_phrase;

/// Whether `name` is a valid HTTP header field name (an RFC 9110 token).
pub fn is_header_name(name: &str) -> bool {
    !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_codes_and_ranges() {
        assert_eq!(TableKey::parse("404"), Ok(TableKey::Code(404)));
        assert_eq!(TableKey::parse("4XX"), Ok(TableKey::Range(4)));
        assert!(TableKey::parse("4xx").unwrap_err().contains("upper case"));
        assert!(TableKey::parse("600").is_err());
        assert!(TableKey::parse("099").is_err());
        assert!(TableKey::parse("6XX").is_err());
        assert!(TableKey::parse("default").is_err());
        assert!(TableKey::parse("40").is_err());
        assert!(TableKey::parse("+40").is_err());
    }

    #[test]
    fn keys_order_by_class_with_the_range_last() {
        let mut keys =
            [TableKey::Range(4), TableKey::Code(500), TableKey::Code(404), TableKey::Code(400), TableKey::Range(5)];
        keys.sort();
        let shown: Vec<String> = keys.iter().map(ToString::to_string).collect();
        assert_eq!(shown, ["400", "404", "4XX", "500", "5XX"]);
    }

    #[test]
    fn ranges_cover_their_class() {
        assert!(TableKey::Range(4).covers(404));
        assert!(!TableKey::Range(4).covers(504));
        assert!(TableKey::Code(404).covers(404));
        assert!(TableKey::Range(4).is_error());
        assert!(!TableKey::Code(304).is_error());
    }

    #[test]
    fn registry_knows_the_common_codes_and_not_the_typos() {
        assert_eq!(reason_phrase(404), Some("Not Found"));
        assert_eq!(reason_phrase(429), Some("Too Many Requests"));
        assert_eq!(reason_phrase(492), None);
        assert_eq!(reason_phrase(418), None);
    }

    #[test]
    fn methods_are_lower_case() {
        assert_eq!(parse_method("patch"), Ok(Method::Patch));
        assert!(parse_method("GET").unwrap_err().contains("lower case"));
        assert!(parse_method("fetch").is_err());
    }

    #[test]
    fn header_names_are_tokens() {
        assert!(is_header_name("If-None-Match"));
        assert!(!is_header_name("If None Match"));
        assert!(!is_header_name(""));
    }
}
