//! Response keys: `200`, `"200"`, `2XX`, `default`, and what HTTP calls each code.

/// A response key as written, and what it means.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct StatusKey {
    /// The key exactly as written (without quotes).
    pub text: String,
    pub kind: CodeKind,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum CodeKind {
    /// A three-digit code, 100–599.
    Exact(u16),
    /// `1XX`–`5XX`: the class digit.
    Range(u8),
    Default,
    /// Anything else (`600`, `20`, `2xx0`, `ok`).
    Invalid,
}

impl StatusKey {
    pub fn parse(text: &str) -> StatusKey {
        let kind = match text.as_bytes() {
            b"default" => CodeKind::Default,
            [class @ b'1'..=b'5', b'X' | b'x', b'X' | b'x'] => CodeKind::Range(class - b'0'),
            [a, b, c] if a.is_ascii_digit() && b.is_ascii_digit() && c.is_ascii_digit() => match text.parse::<u16>() {
                Ok(code) if (100..=599).contains(&code) => CodeKind::Exact(code),
                _ => CodeKind::Invalid,
            },
            _ => CodeKind::Invalid,
        };
        StatusKey { text: text.to_owned(), kind }
    }

    /// The class (2 for 2xx) of an exact code or range.
    pub fn class(&self) -> Option<u8> {
        match self.kind {
            CodeKind::Exact(code) => Some((code / 100) as u8),
            CodeKind::Range(class) => Some(class),
            _ => None,
        }
    }

    pub fn is_success(&self) -> bool {
        self.class() == Some(2)
    }

    pub fn is_error(&self) -> bool {
        matches!(self.class(), Some(4 | 5))
    }

    pub fn exact(&self) -> Option<u16> {
        match self.kind {
            CodeKind::Exact(code) => Some(code),
            _ => None,
        }
    }
}

/// The reason phrase of a registered status code (IANA HTTP Status Code Registry,
/// RFC 9110 and the RFCs it cites), or `None` when the code is not registered.
pub fn reason_phrase(code: u16) -> Option<&'static str> {
    Some(match code {
        100 => "Continue",
        101 => "Switching Protocols",
        102 => "Processing",
        103 => "Early Hints",
        200 => "OK",
        201 => "Created",
        202 => "Accepted",
        203 => "Non-Authoritative Information",
        204 => "No Content",
        205 => "Reset Content",
        206 => "Partial Content",
        207 => "Multi-Status",
        208 => "Already Reported",
        226 => "IM Used",
        300 => "Multiple Choices",
        301 => "Moved Permanently",
        302 => "Found",
        303 => "See Other",
        304 => "Not Modified",
        305 => "Use Proxy",
        307 => "Temporary Redirect",
        308 => "Permanent Redirect",
        400 => "Bad Request",
        401 => "Unauthorized",
        402 => "Payment Required",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        406 => "Not Acceptable",
        407 => "Proxy Authentication Required",
        408 => "Request Timeout",
        409 => "Conflict",
        410 => "Gone",
        411 => "Length Required",
        412 => "Precondition Failed",
        413 => "Content Too Large",
        414 => "URI Too Long",
        415 => "Unsupported Media Type",
        416 => "Range Not Satisfiable",
        417 => "Expectation Failed",
        421 => "Misdirected Request",
        422 => "Unprocessable Content",
        423 => "Locked",
        424 => "Failed Dependency",
        425 => "Too Early",
        426 => "Upgrade Required",
        428 => "Precondition Required",
        429 => "Too Many Requests",
        431 => "Request Header Fields Too Large",
        451 => "Unavailable For Legal Reasons",
        500 => "Internal Server Error",
        501 => "Not Implemented",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        505 => "HTTP Version Not Supported",
        506 => "Variant Also Negotiates",
        507 => "Insufficient Storage",
        508 => "Loop Detected",
        510 => "Not Extended",
        511 => "Network Authentication Required",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::{CodeKind, StatusKey, reason_phrase};

    #[test]
    fn keys() {
        assert_eq!(StatusKey::parse("200").kind, CodeKind::Exact(200));
        assert_eq!(StatusKey::parse("4XX").kind, CodeKind::Range(4));
        assert_eq!(StatusKey::parse("default").kind, CodeKind::Default);
        assert_eq!(StatusKey::parse("600").kind, CodeKind::Invalid);
        assert_eq!(StatusKey::parse("2000").kind, CodeKind::Invalid);
        assert_eq!(reason_phrase(492), None);
        assert_eq!(reason_phrase(429), Some("Too Many Requests"));
    }
}
