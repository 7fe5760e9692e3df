//! `$ref` strings: splitting off the fragment, percent-decoding, JSON pointer tokens.

/// A `$ref` value taken apart.
#[derive(Debug, PartialEq, Eq)]
pub struct RefTarget {
    /// The document part (`common.yaml`, `https://…`), empty for a local reference.
    pub document: String,
    /// The fragment after `#`, percent-decoded (a JSON pointer, or a plain name).
    pub fragment: String,
}

impl RefTarget {
    pub fn parse(reference: &str) -> RefTarget {
        let (document, fragment) = match reference.split_once('#') {
            Some((document, fragment)) => (document, fragment),
            None => (reference, ""),
        };
        RefTarget { document: percent_decode(document), fragment: percent_decode(fragment) }
    }

    pub fn is_remote(&self) -> bool {
        let lower = self.document.to_ascii_lowercase();
        lower.starts_with("http://") || lower.starts_with("https://") || lower.starts_with("//")
    }

    /// The URI scheme of the document part (`file`, `ftp`, `data`, `urn`, `http`), if it
    /// has one. A single letter is a Windows drive (`C:\specs`), not a scheme.
    pub fn scheme(&self) -> Option<&str> {
        let (scheme, _) = self.document.split_once(':')?;
        let mut chars = scheme.chars();
        let starts_with_letter = chars.next().is_some_and(|c| c.is_ascii_alphabetic());
        let rest_valid = chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
        (starts_with_letter && rest_valid && scheme.len() > 1).then_some(scheme)
    }

    /// The query string of the document part (`a.yaml?v=2` gives `v=2`).
    pub fn query(&self) -> Option<&str> {
        self.document.split_once('?').map(|(_, query)| query)
    }

    /// The unescaped tokens of a JSON pointer fragment (`/a~1b/c` → `a/b`, `c`),
    /// or `None` when the fragment is not a pointer (a plain-name anchor).
    pub fn pointer_tokens(&self) -> Option<Vec<String>> {
        if self.fragment.is_empty() {
            return Some(Vec::new());
        }
        let rest = self.fragment.strip_prefix('/')?;
        Some(rest.split('/').map(unescape_token).collect())
    }
}

/// `~1` → `/`, then `~0` → `~` (RFC 6901 order).
pub fn unescape_token(token: &str) -> String {
    if token.contains('~') { token.replace("~1", "/").replace("~0", "~") } else { token.to_owned() }
}

/// Decode `%XX` escapes; invalid escapes and non-UTF-8 results are kept as written.
pub fn percent_decode(text: &str) -> String {
    if !text.contains('%') {
        return text.to_owned();
    }
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&byte) = bytes.get(i) {
        if byte == b'%' {
            let hex = bytes.get(i + 1..i + 3).and_then(|pair| std::str::from_utf8(pair).ok());
            if let Some(value) = hex.and_then(|pair| u8::from_str_radix(pair, 16).ok()) {
                out.push(value);
                i += 3;
                continue;
            }
        }
        out.push(byte);
        i += 1;
    }
    String::from_utf8(out).unwrap_or_else(|_| text.to_owned())
}

#[cfg(test)]
mod tests {
    use super::{RefTarget, percent_decode};

    #[test]
    fn splits_and_decodes() {
        let target = RefTarget::parse("common.yaml#/paths/~1pets~1%7Bid%7D/get");
        assert_eq!(target.document, "common.yaml");
        assert_eq!(target.pointer_tokens(), Some(vec!["paths".to_owned(), "/pets/{id}".to_owned(), "get".to_owned()]));
        assert_eq!(RefTarget::parse("#/a~01").pointer_tokens(), Some(vec!["a~1".to_owned()]));
        assert_eq!(RefTarget::parse("#Pet").pointer_tokens(), None);
        assert!(RefTarget::parse("https://x/y.json#/a").is_remote());
        assert_eq!(percent_decode("a%2"), "a%2");
    }

    #[test]
    fn schemes_and_queries_are_recognised() {
        let scheme = |reference: &str| RefTarget::parse(reference).scheme().map(str::to_owned);
        assert_eq!(scheme("file:///etc/passwd"), Some("file".to_owned()));
        assert_eq!(scheme("FTP://host/a.yaml#/x"), Some("FTP".to_owned()));
        assert_eq!(scheme("data:application/json,{}"), Some("data".to_owned()));
        assert_eq!(scheme("urn:uuid:6e8bc430-9c3a-11d9-9669-0800200c9a66"), Some("urn".to_owned()));
        assert_eq!(scheme("svn+ssh://host/a"), Some("svn+ssh".to_owned()));
        assert_eq!(scheme("C:\\specs\\a.yaml"), None);
        assert_eq!(scheme("schemas/a:b.yaml"), None);
        assert_eq!(scheme("./a.yaml#/x:y"), None);
        assert_eq!(scheme("#/components/schemas/a:b"), None);
        assert_eq!(RefTarget::parse("a.yaml?v=2#/x").query(), Some("v=2"));
        assert_eq!(RefTarget::parse("a.yaml#/x?y").query(), None);
    }
}
