//! A serde [`Deserializer`] over the span tree, so a ruleset error names the YAML node it
//! comes from.
//!
//! Every error raised while a node is read (by serde's derived code or by our own
//! visitors) is stamped with that node's span on its way out, innermost first: an unknown
//! key points at the key, a bad value at the value, a missing field at the mapping.
//! [`Spanned`] hands the span of any node to the code after deserialization, for the
//! checks that need more than one field.

use std::fmt;
use std::marker::PhantomData;

use serde::de::value::BorrowedStrDeserializer;
use serde::de::{self, Deserialize, DeserializeSeed, Deserializer, IntoDeserializer, MapAccess, SeqAccess, Visitor};

use crate::source::{Entry, NodeId, Span, Tree, Value};

/// Why a node could not be read, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct DeError {
    pub message: String,
    pub span: Option<Span>,
}

impl DeError {
    pub fn new(message: impl Into<String>, span: Span) -> DeError {
        DeError { message: message.into(), span: Some(span) }
    }

    /// Locate the error at `span` unless a more precise (inner) span is already known.
    fn at(mut self, span: Span) -> DeError {
        if self.span.is_none() {
            self.span = Some(span);
        }
        self
    }
}

impl de::Error for DeError {
    fn custom<T: fmt::Display>(message: T) -> DeError {
        DeError { message: message.to_string(), span: None }
    }
}

impl fmt::Display for DeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for DeError {}

/// Deserialize the whole document (the root node) as `T`.
pub(super) fn from_tree<'de, T: Deserialize<'de>>(tree: &'de Tree) -> Result<T, DeError> {
    let Some(root) = tree.root() else {
        return Err(DeError::new("the file holds no document", Span::at(0)));
    };
    T::deserialize(NodeDeserializer::value(tree, root))
}

/// Deserialize one node of a tree as `T` (a section of a configuration file, say); errors
/// carry the span of the innermost node they are about.
pub(crate) fn from_node<'de, T: Deserialize<'de>>(tree: &'de Tree, node: NodeId) -> Result<T, DeError> {
    T::deserialize(NodeDeserializer::value(tree, node)).map_err(|err| err.at(tree.span(node)))
}

/// A value together with the span of the node it was read from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Spanned<T> {
    pub span: Span,
    pub value: T,
}

// The magic struct name and fields by which `Spanned` asks `NodeDeserializer` for a span
// (the technique of toml's `serde_spanned`). Other deserializers reject the request.
const SPANNED: &str = "$__oaslint_private_Spanned";
const SPANNED_START: &str = "$__oaslint_private_start";
const SPANNED_END: &str = "$__oaslint_private_end";
const SPANNED_VALUE: &str = "$__oaslint_private_value";
const SPANNED_FIELDS: &[&str] = &[SPANNED_START, SPANNED_END, SPANNED_VALUE];

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Spanned<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Spanned<T>, D::Error> {
        struct SpannedVisitor<T>(PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for SpannedVisitor<T> {
            type Value = Spanned<T>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a node of the ruleset")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Spanned<T>, A::Error> {
                expect_key(&mut map, SPANNED_START)?;
                let start: u32 = map.next_value()?;
                expect_key(&mut map, SPANNED_END)?;
                let end: u32 = map.next_value()?;
                expect_key(&mut map, SPANNED_VALUE)?;
                let value: T = map.next_value()?;
                Ok(Spanned { span: Span::new(start, end), value })
            }
        }
        deserializer.deserialize_struct(SPANNED, SPANNED_FIELDS, SpannedVisitor(PhantomData))
    }
}

fn expect_key<'de, A: MapAccess<'de>>(map: &mut A, field: &str) -> Result<(), A::Error> {
    match map.next_key::<&str>()? {
        Some(key) if key == field => Ok(()),
        _ => Err(de::Error::custom("spans are only known in ruleset files")),
    }
}

/// Reads one node. Mapping keys are read with `is_key`, which makes every scalar key a
/// string (`200:` is the key "200", as OpenAPI reads it).
#[derive(Clone, Copy)]
struct NodeDeserializer<'de> {
    tree: &'de Tree,
    node: NodeId,
    is_key: bool,
}

impl<'de> NodeDeserializer<'de> {
    fn value(tree: &'de Tree, node: NodeId) -> NodeDeserializer<'de> {
        NodeDeserializer { tree, node, is_key: false }
    }

    fn key(tree: &'de Tree, node: NodeId) -> NodeDeserializer<'de> {
        NodeDeserializer { tree, node, is_key: true }
    }

    fn span(&self) -> Span {
        self.tree.span(self.node)
    }

    /// A key's text: the scalar as written, or the source text of a complex key.
    fn key_text(&self) -> &'de str {
        match self.tree.scalar_text(self.node) {
            Some(text) => text,
            None => self.tree.source().get(self.span().range()).unwrap_or(""),
        }
    }

    /// The text of a string or number scalar (a number read where text is expected keeps
    /// its spelling: `title: 2024` is the title "2024").
    fn text(&self) -> Option<&'de str> {
        if self.is_key {
            return Some(self.key_text());
        }
        match self.tree.value(self.node) {
            Value::String(text) | Value::Number(text) => Some(text),
            _ => None,
        }
    }
}

fn visit_number<'de, V: Visitor<'de>>(text: &'de str, visitor: V) -> Result<V::Value, DeError> {
    if let Ok(value) = text.parse::<u64>() {
        visitor.visit_u64(value)
    } else if let Ok(value) = text.parse::<i64>() {
        visitor.visit_i64(value)
    } else if let Ok(value) = text.parse::<f64>() {
        visitor.visit_f64(value)
    } else {
        // YAML spellings Rust does not parse (`0x1F`, `.inf`) stay text.
        visitor.visit_borrowed_str(text)
    }
}

impl<'de> Deserializer<'de> for NodeDeserializer<'de> {
    type Error = DeError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        let span = self.span();
        let result = if self.is_key {
            visitor.visit_borrowed_str(self.key_text())
        } else {
            match self.tree.value(self.node) {
                Value::Null => visitor.visit_unit(),
                Value::Bool(value) => visitor.visit_bool(value),
                Value::Number(text) => visit_number(text, visitor),
                Value::String(text) => visitor.visit_borrowed_str(text),
                Value::Mapping(entries) => {
                    visitor.visit_map(NodeMapAccess { tree: self.tree, entries: entries.iter(), pending_value: None })
                }
                Value::Sequence(items) => visitor.visit_seq(NodeSeqAccess { tree: self.tree, items: items.iter() }),
            }
        };
        result.map_err(|err| err.at(span))
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        if !self.is_key && self.tree.value(self.node) == Value::Null {
            visitor.visit_none::<DeError>().map_err(|err| err.at(self.span()))
        } else {
            visitor.visit_some(self)
        }
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        match self.text() {
            Some(text) => visitor.visit_borrowed_str::<DeError>(text).map_err(|err| err.at(self.span())),
            None => self.deserialize_any(visitor),
        }
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        self.deserialize_str(visitor)
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        self.deserialize_str(visitor)
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, DeError> {
        if name == SPANNED && fields == SPANNED_FIELDS {
            let span = self.span();
            return visitor.visit_map(SpannedAccess { node: self, span, next: 0 });
        }
        self.deserialize_any(visitor)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, DeError> {
        match self.text() {
            Some(text) => {
                visitor.visit_enum(BorrowedStrDeserializer::<DeError>::new(text)).map_err(|err| err.at(self.span()))
            }
            None => self.deserialize_any(visitor),
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(self, _name: &'static str, visitor: V) -> Result<V::Value, DeError> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        visitor.visit_unit()
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char bytes byte_buf unit
        unit_struct seq tuple tuple_struct map
    }
}

struct NodeMapAccess<'de> {
    tree: &'de Tree,
    entries: std::slice::Iter<'de, Entry>,
    /// The value of the entry whose key was just read.
    pending_value: Option<NodeId>,
}

impl<'de> MapAccess<'de> for NodeMapAccess<'de> {
    type Error = DeError;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, DeError> {
        let Some(entry) = self.entries.next() else {
            return Ok(None);
        };
        self.pending_value = Some(entry.value);
        seed.deserialize(NodeDeserializer::key(self.tree, entry.key))
            .map(Some)
            .map_err(|err| err.at(self.tree.span(entry.key)))
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, DeError> {
        let Some(node) = self.pending_value.take() else {
            return Err(de::Error::custom("a mapping value was read before its key"));
        };
        seed.deserialize(NodeDeserializer::value(self.tree, node)).map_err(|err| err.at(self.tree.span(node)))
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.entries.len())
    }
}

struct NodeSeqAccess<'de> {
    tree: &'de Tree,
    items: std::slice::Iter<'de, NodeId>,
}

impl<'de> SeqAccess<'de> for NodeSeqAccess<'de> {
    type Error = DeError;

    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>, DeError> {
        let Some(&item) = self.items.next() else {
            return Ok(None);
        };
        seed.deserialize(NodeDeserializer::value(self.tree, item)).map(Some).map_err(|err| err.at(self.tree.span(item)))
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.items.len())
    }
}

/// Presents a node to [`Spanned`]'s visitor as `{start, end, value}`.
struct SpannedAccess<'de> {
    node: NodeDeserializer<'de>,
    span: Span,
    next: usize,
}

impl<'de> MapAccess<'de> for SpannedAccess<'de> {
    type Error = DeError;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, DeError> {
        match SPANNED_FIELDS.get(self.next) {
            Some(field) => seed.deserialize(BorrowedStrDeserializer::<DeError>::new(field)).map(Some),
            None => Ok(None),
        }
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, DeError> {
        let field = self.next;
        self.next += 1;
        match field {
            0 => seed.deserialize(self.span.start.into_deserializer()),
            1 => seed.deserialize(self.span.end.into_deserializer()),
            _ => seed.deserialize(self.node),
        }
    }
}

/// A mapping read in document order, keeping duplicate-free keys as written (the parser
/// already reports duplicate keys).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Entries<K, V>(pub Vec<(K, V)>);

impl<K, V> Default for Entries<K, V> {
    fn default() -> Entries<K, V> {
        Entries(Vec::new())
    }
}

impl<'de, K: Deserialize<'de>, V: Deserialize<'de>> Deserialize<'de> for Entries<K, V> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Entries<K, V>, D::Error> {
        struct EntriesVisitor<K, V>(PhantomData<(K, V)>);
        impl<'de, K: Deserialize<'de>, V: Deserialize<'de>> Visitor<'de> for EntriesVisitor<K, V> {
            type Value = Entries<K, V>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a mapping")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Entries<K, V>, A::Error> {
                let mut entries = Vec::with_capacity(map.size_hint().unwrap_or(0));
                while let Some(key) = map.next_key()? {
                    let value = map.next_value()?;
                    entries.push((key, value));
                }
                Ok(Entries(entries))
            }
        }
        deserializer.deserialize_map(EntriesVisitor(PhantomData))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::SourceFile;

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Sample {
        name: String,
        #[serde(default)]
        codes: Vec<u16>,
        level: Option<Level>,
        inner: Option<Spanned<Inner>>,
    }

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Inner {
        flag: bool,
    }

    #[derive(Debug, PartialEq, serde::Deserialize)]
    #[serde(rename_all = "lowercase")]
    enum Level {
        Low,
        High,
    }

    fn read(text: &str) -> (SourceFile, Result<Sample, DeError>) {
        let (file, parsed) = SourceFile::from_text("t.yaml", text);
        parsed.unwrap();
        let result = from_tree::<Sample>(&file.tree);
        (file, result)
    }

    fn error_at(text: &str) -> (String, String) {
        let (file, result) = read(text);
        let err = result.unwrap_err();
        let span = err.span.unwrap();
        (err.message, file.slice(span).to_owned())
    }

    #[test]
    fn reads_values_with_spans() {
        let (file, result) = read("name: 2024\ncodes: [200, 404]\nlevel: high\ninner: {flag: true}\n");
        let sample = result.unwrap();
        assert_eq!(sample.name, "2024");
        assert_eq!(sample.codes, [200, 404]);
        assert_eq!(sample.level, Some(Level::High));
        let inner = sample.inner.unwrap();
        assert!(inner.value.flag);
        assert_eq!(file.slice(inner.span), "{flag: true}");
    }

    #[test]
    fn errors_point_at_the_offending_node() {
        let (message, at) = error_at("name: a\ncolour: red\n");
        assert!(message.contains("unknown field `colour`"), "{message}");
        assert_eq!(at, "colour");

        let (message, at) = error_at("name: a\nlevel: medium\n");
        assert!(message.contains("unknown variant `medium`"), "{message}");
        assert_eq!(at, "medium");

        let (message, at) = error_at("name: a\ncodes: [200, x]\n");
        assert!(message.contains("invalid type"), "{message}");
        assert_eq!(at, "x");

        let (message, at) = error_at("name: a\ninner: {}\n");
        assert!(message.contains("missing field `flag`"), "{message}");
        assert_eq!(at, "{}");
    }

    #[test]
    fn null_reads_as_none() {
        let (_, result) = read("name: a\nlevel: ~\n");
        assert_eq!(result.unwrap().level, None);
    }
}
