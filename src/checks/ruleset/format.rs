//! A ruleset file as written. Every field is optional so that a file can patch the
//! ruleset it extends; [`super::load`] merges the patches into a resolved [`super::Ruleset`].
//!
//! Values are checked as they are read (check ids, status codes, methods, header names),
//! so a bad one is reported at its own node.

use std::fmt;
use std::marker::PhantomData;

use serde::de::value::{MapAccessDeserializer, SeqAccessDeserializer};
use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};

use super::de::{Entries, Spanned};
use super::status::{Method, TableKey, is_header_name};
use super::{Body, Condition, Declare, Guideline, Level};
use crate::checks::rule_id::{Accept, parse_rule_id};

#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RulesetFile {
    /// For editors (JSON rulesets name their schema this way); not used.
    #[serde(rename = "$schema")]
    #[allow(dead_code)]
    pub schema: Option<String>,
    pub name: Option<Spanned<String>>,
    pub title: Option<String>,
    pub guideline: Option<Guideline>,
    #[serde(default)]
    pub corrections: Vec<String>,
    pub extends: Option<Spanned<String>>,
    #[serde(default)]
    pub checks: Entries<CheckId, Level>,
    #[serde(default)]
    pub citations: Entries<CheckId, String>,
    #[serde(default)]
    pub settings: SettingsPatch,
    #[serde(default)]
    pub codes: Entries<Spanned<TableKey>, Spanned<Patch<CodeRowPatch>>>,
    #[serde(default)]
    pub method_success: Entries<Spanned<Method>, Spanned<Patch<MethodSuccessPatch>>>,
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct SettingsPatch {
    pub default_satisfies_required: Option<bool>,
    pub ranges_satisfy_required: Option<bool>,
    #[serde(default)]
    pub creation: CreationPatch,
    pub error_schema: Option<Spanned<ErrorSchemaPatch>>,
    pub raw_error_properties: Option<Vec<String>>,
    #[serde(default)]
    pub specific_response: SpecificResponsePatch,
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct SpecificResponsePatch {
    pub description: Option<bool>,
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct CreationPatch {
    pub sibling_item_path: Option<bool>,
    pub operation_id_verbs: Option<Vec<String>>,
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ErrorSchemaPatch {
    pub any: Option<bool>,
    pub problem_json: Option<bool>,
    pub required_properties: Option<Vec<String>>,
    pub consistent: Option<bool>,
    pub require_body: Option<bool>,
    pub description_suffices: Option<bool>,
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct CodeRowPatch {
    pub name: Option<String>,
    pub success: Option<Spanned<bool>>,
    pub methods: Option<Spanned<Vec<Method>>>,
    pub body: Option<Body>,
    pub body_forbidden_when: Option<Spanned<When>>,
    pub response_headers: Option<Vec<HeaderAlternatives>>,
    pub request_headers: Option<Vec<HeaderName>>,
    pub implied_by_request_headers: Option<bool>,
    pub required_when: Option<Spanned<When>>,
    pub forbidden_when: Option<Spanned<When>>,
    pub declare: Option<Declare>,
    pub specific_when: Option<Spanned<When>>,
    pub note: Option<String>,
    pub source: Option<String>,
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct MethodSuccessPatch {
    pub expected: Option<Vec<Spanned<TableKey>>>,
    pub acceptable: Option<Vec<Spanned<TableKey>>>,
    pub exclusive: Option<bool>,
    pub creating: Option<Spanned<Patch<SuccessCodesPatch>>>,
    pub long_running: Option<Spanned<Patch<SuccessCodesPatch>>>,
    pub note: Option<String>,
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct SuccessCodesPatch {
    pub expected: Option<Vec<Spanned<TableKey>>>,
    pub acceptable: Option<Vec<Spanned<TableKey>>>,
    pub exclusive: Option<bool>,
    pub note: Option<String>,
}

/// A table entry: `off` removes the inherited one, a mapping adds or changes it.
#[derive(Debug)]
pub(super) enum Patch<T> {
    Off,
    Set(T),
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Patch<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Patch<T>, D::Error> {
        struct PatchVisitor<T>(PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for PatchVisitor<T> {
            type Value = Patch<T>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a mapping, or `off` to remove the inherited entry")
            }
            fn visit_str<E: de::Error>(self, value: &str) -> Result<Patch<T>, E> {
                if value == "off" { Ok(Patch::Off) } else { Err(E::invalid_value(de::Unexpected::Str(value), &self)) }
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Patch<T>, A::Error> {
                T::deserialize(MapAccessDeserializer::new(map)).map(Patch::Set)
            }
        }
        deserializer.deserialize_any(PatchVisitor(PhantomData))
    }
}

/// `required_when` / `forbidden_when`: `always`, `never`, one condition, or a list of
/// conditions of which any one suffices.
#[derive(Debug)]
pub(super) struct When(pub Vec<Condition>);

impl<'de> Deserialize<'de> for When {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<When, D::Error> {
        struct WhenVisitor;
        impl<'de> Visitor<'de> for WhenVisitor {
            type Value = When;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("`always`, `never`, a condition, or a list of conditions")
            }
            fn visit_str<E: de::Error>(self, value: &str) -> Result<When, E> {
                match value {
                    // The empty condition holds for every operation.
                    "always" => Ok(When(vec![Condition::default()])),
                    "never" => Ok(When(Vec::new())),
                    _ => Err(E::invalid_value(de::Unexpected::Str(value), &self)),
                }
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<When, A::Error> {
                Condition::deserialize(MapAccessDeserializer::new(map)).map(|c| When(vec![c]))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<When, A::Error> {
                Vec::<Condition>::deserialize(SeqAccessDeserializer::new(seq)).map(When)
            }
        }
        deserializer.deserialize_any(WhenVisitor)
    }
}

/// A check id that [`CHECK_IDS`] knows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct CheckId(pub String);

impl<'de> Deserialize<'de> for CheckId {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<CheckId, D::Error> {
        let id = String::deserialize(deserializer)?;
        parse_rule_id(&id, Accept::Checks).map(|id| CheckId(id.to_owned())).map_err(de::Error::custom)
    }
}

/// A required response header: a name, or a non-empty list of names any one of which will do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct HeaderAlternatives(pub Vec<HeaderName>);

impl<'de> Deserialize<'de> for HeaderAlternatives {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<HeaderAlternatives, D::Error> {
        struct AlternativesVisitor;
        impl<'de> Visitor<'de> for AlternativesVisitor {
            type Value = HeaderAlternatives;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a header name, or a list of header names any one of which will do")
            }
            fn visit_str<E: de::Error>(self, value: &str) -> Result<HeaderAlternatives, E> {
                HeaderName::deserialize(de::value::StrDeserializer::<E>::new(value))
                    .map(|name| HeaderAlternatives(vec![name]))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<HeaderAlternatives, A::Error> {
                let names = Vec::<HeaderName>::deserialize(SeqAccessDeserializer::new(seq))?;
                if names.is_empty() {
                    return Err(de::Error::custom("an empty list of alternatives asks for nothing; leave it out"));
                }
                Ok(HeaderAlternatives(names))
            }
        }
        deserializer.deserialize_any(AlternativesVisitor)
    }
}

/// An HTTP header field name (an RFC 9110 token), kept as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct HeaderName(pub String);

impl<'de> Deserialize<'de> for HeaderName {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<HeaderName, D::Error> {
        let name = String::deserialize(deserializer)?;
        if is_header_name(&name) {
            Ok(HeaderName(name))
        } else {
            Err(de::Error::custom(format!(
                "`{name}` is not an HTTP header name (letters, digits and !#$%&'*+-.^_`|~ only)"
            )))
        }
    }
}
