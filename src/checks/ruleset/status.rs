//! Status-code keys, HTTP methods and the IANA status-code registry.

use std::cmp::Ordering;
use std::fmt;

use serde::de::{self, Deserialize, Deserializer, Visitor};

/// A key of a response-code table: one status code (`404`) or a class range (`4XX`).
///
/// Keys order by class, then exact codes before the class range: `400 < 404 < 4XX < 500`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum StatusKey {
    /// A three-digit code from 100 to 599.
    Code(u16),
    /// A class range: `Range(4)` is `4XX`.
    Range(u8),
}

impl StatusKey {
    /// Read a table key: three digits from 100 to 599, or `1XX` to `5XX` (upper case, as
    /// OpenAPI writes ranges).
    pub fn parse(text: &str) -> Result<StatusKey, String> {
        let bytes = text.as_bytes();
        match bytes {
            [class @ b'1'..=b'5', b'X', b'X'] => Ok(StatusKey::Range(class - b'0')),
            [b'1'..=b'5', b'x' | b'X', b'x' | b'X'] => {
                Err(format!("write the range `{text}` in upper case, as OpenAPI does: `{}`", text.to_ascii_uppercase()))
            }
            [b'0'..=b'9', b'0'..=b'9', b'0'..=b'9'] => match text.parse::<u16>() {
                Ok(code) if (100..=599).contains(&code) => Ok(StatusKey::Code(code)),
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
            StatusKey::Code(code) => u8::try_from(code / 100).unwrap_or(0),
            StatusKey::Range(class) => class,
        }
    }

    /// The exact code, or `None` for a range.
    pub fn code(self) -> Option<u16> {
        match self {
            StatusKey::Code(code) => Some(code),
            StatusKey::Range(_) => None,
        }
    }

    pub fn is_range(self) -> bool {
        matches!(self, StatusKey::Range(_))
    }

    /// 4xx or 5xx: a client or server error.
    pub fn is_error(self) -> bool {
        matches!(self.class(), 4 | 5)
    }

    /// Whether this key covers `code`: the same code, or the range of its class.
    pub fn covers(self, code: u16) -> bool {
        match self {
            StatusKey::Code(own) => own == code,
            StatusKey::Range(class) => u16::from(class) == code / 100,
        }
    }
}

impl fmt::Display for StatusKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StatusKey::Code(code) => write!(f, "{code}"),
            StatusKey::Range(class) => write!(f, "{class}XX"),
        }
    }
}

impl Ord for StatusKey {
    fn cmp(&self, other: &StatusKey) -> Ordering {
        let rank = |key: &StatusKey| match *key {
            StatusKey::Code(code) => (key.class(), 0, code),
            StatusKey::Range(class) => (class, 1, 0),
        };
        rank(self).cmp(&rank(other))
    }
}

impl PartialOrd for StatusKey {
    fn partial_cmp(&self, other: &StatusKey) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl<'de> Deserialize<'de> for StatusKey {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<StatusKey, D::Error> {
        struct KeyVisitor;
        impl Visitor<'_> for KeyVisitor {
            type Value = StatusKey;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a status code such as 404, or a range such as 4XX")
            }
            fn visit_u64<E: de::Error>(self, value: u64) -> Result<StatusKey, E> {
                StatusKey::parse(&value.to_string()).map_err(E::custom)
            }
            fn visit_i64<E: de::Error>(self, value: i64) -> Result<StatusKey, E> {
                StatusKey::parse(&value.to_string()).map_err(E::custom)
            }
            fn visit_str<E: de::Error>(self, value: &str) -> Result<StatusKey, E> {
                StatusKey::parse(value).map_err(E::custom)
            }
        }
        deserializer.deserialize_any(KeyVisitor)
    }
}

/// An HTTP method an OpenAPI path item can hold (OpenAPI 3.2 adds `query`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Method {
    Get,
    Put,
    Post,
    Delete,
    Options,
    Head,
    Patch,
    Trace,
    Query,
}

impl Method {
    /// Every method, in the order OpenAPI lists them.
    pub const ALL: [Method; 9] = [
        Method::Get,
        Method::Put,
        Method::Post,
        Method::Delete,
        Method::Options,
        Method::Head,
        Method::Patch,
        Method::Trace,
        Method::Query,
    ];

    /// The lower-case name, as OpenAPI path items and rulesets write it.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "get",
            Method::Put => "put",
            Method::Post => "post",
            Method::Delete => "delete",
            Method::Options => "options",
            Method::Head => "head",
            Method::Patch => "patch",
            Method::Trace => "trace",
            Method::Query => "query",
        }
    }

    /// Read a lower-case method name (`get`); anything else is an error that says why.
    pub fn parse(text: &str) -> Result<Method, String> {
        if let Some(method) = Method::ALL.iter().find(|m| m.as_str() == text) {
            return Ok(*method);
        }
        let lower = text.to_ascii_lowercase();
        if Method::ALL.iter().any(|m| m.as_str() == lower) {
            return Err(format!("write the method `{text}` in lower case, as OpenAPI does: `{lower}`"));
        }
        let names: Vec<&str> = Method::ALL.iter().map(|m| m.as_str()).collect();
        Err(format!("`{text}` is not an HTTP method (expected one of {})", names.join(", ")))
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
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
                Method::parse(value).map_err(E::custom)
            }
        }
        deserializer.deserialize_str(MethodVisitor)
    }
}

/// The IANA HTTP Status Code Registry (RFC 9110 and the RFCs it cites), as of 2024.
/// 306 and 418 are registered as "(Unused)" and so are left out: no API should send them.
const REGISTRY: &[(u16, &str)] = &[
    (100, "Continue"),
    (101, "Switching Protocols"),
    (102, "Processing"),
    (103, "Early Hints"),
    (200, "OK"),
    (201, "Created"),
    (202, "Accepted"),
    (203, "Non-Authoritative Information"),
    (204, "No Content"),
    (205, "Reset Content"),
    (206, "Partial Content"),
    (207, "Multi-Status"),
    (208, "Already Reported"),
    (226, "IM Used"),
    (300, "Multiple Choices"),
    (301, "Moved Permanently"),
    (302, "Found"),
    (303, "See Other"),
    (304, "Not Modified"),
    (305, "Use Proxy"),
    (307, "Temporary Redirect"),
    (308, "Permanent Redirect"),
    (400, "Bad Request"),
    (401, "Unauthorized"),
    (402, "Payment Required"),
    (403, "Forbidden"),
    (404, "Not Found"),
    (405, "Method Not Allowed"),
    (406, "Not Acceptable"),
    (407, "Proxy Authentication Required"),
    (408, "Request Timeout"),
    (409, "Conflict"),
    (410, "Gone"),
    (411, "Length Required"),
    (412, "Precondition Failed"),
    (413, "Content Too Large"),
    (414, "URI Too Long"),
    (415, "Unsupported Media Type"),
    (416, "Range Not Satisfiable"),
    (417, "Expectation Failed"),
    (421, "Misdirected Request"),
    (422, "Unprocessable Content"),
    (423, "Locked"),
    (424, "Failed Dependency"),
    (425, "Too Early"),
    (426, "Upgrade Required"),
    (428, "Precondition Required"),
    (429, "Too Many Requests"),
    (431, "Request Header Fields Too Large"),
    (451, "Unavailable For Legal Reasons"),
    (500, "Internal Server Error"),
    (501, "Not Implemented"),
    (502, "Bad Gateway"),
    (503, "Service Unavailable"),
    (504, "Gateway Timeout"),
    (505, "HTTP Version Not Supported"),
    (506, "Variant Also Negotiates"),
    (507, "Insufficient Storage"),
    (508, "Loop Detected"),
    (510, "Not Extended"),
    (511, "Network Authentication Required"),
];

/// The registered reason phrase of a status code (`404` → "Not Found"), or `None` when
/// the code is not registered for use (`492`, `306`, `600`).
pub fn reason_phrase(code: u16) -> Option<&'static str> {
    REGISTRY
        .binary_search_by_key(&code, |&(registered, _)| registered)
        .ok()
        .and_then(|index| REGISTRY.get(index))
        .map(|&(_, phrase)| phrase)
}

/// Whether `name` is a valid HTTP header field name (an RFC 9110 token).
pub fn is_header_name(name: &str) -> bool {
    !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_codes_and_ranges() {
        assert_eq!(StatusKey::parse("404"), Ok(StatusKey::Code(404)));
        assert_eq!(StatusKey::parse("4XX"), Ok(StatusKey::Range(4)));
        assert!(StatusKey::parse("4xx").unwrap_err().contains("upper case"));
        assert!(StatusKey::parse("600").is_err());
        assert!(StatusKey::parse("099").is_err());
        assert!(StatusKey::parse("6XX").is_err());
        assert!(StatusKey::parse("default").is_err());
        assert!(StatusKey::parse("40").is_err());
        assert!(StatusKey::parse("+40").is_err());
    }

    #[test]
    fn keys_order_by_class_with_the_range_last() {
        let mut keys = [
            StatusKey::Range(4),
            StatusKey::Code(500),
            StatusKey::Code(404),
            StatusKey::Code(400),
            StatusKey::Range(5),
        ];
        keys.sort();
        let shown: Vec<String> = keys.iter().map(ToString::to_string).collect();
        assert_eq!(shown, ["400", "404", "4XX", "500", "5XX"]);
    }

    #[test]
    fn ranges_cover_their_class() {
        assert!(StatusKey::Range(4).covers(404));
        assert!(!StatusKey::Range(4).covers(504));
        assert!(StatusKey::Code(404).covers(404));
        assert!(StatusKey::Range(4).is_error());
        assert!(!StatusKey::Code(304).is_error());
    }

    #[test]
    fn registry_is_sorted_and_complete_enough() {
        assert!(REGISTRY.windows(2).all(|w| w[0].0 < w[1].0));
        assert_eq!(reason_phrase(404), Some("Not Found"));
        assert_eq!(reason_phrase(429), Some("Too Many Requests"));
        assert_eq!(reason_phrase(492), None);
        assert_eq!(reason_phrase(418), None);
    }

    #[test]
    fn methods_are_lower_case() {
        assert_eq!(Method::parse("patch"), Ok(Method::Patch));
        assert!(Method::parse("GET").unwrap_err().contains("lower case"));
        assert!(Method::parse("fetch").is_err());
    }

    #[test]
    fn header_names_are_tokens() {
        assert!(is_header_name("If-None-Match"));
        assert!(!is_header_name("If None Match"));
        assert!(!is_header_name(""));
    }
}
