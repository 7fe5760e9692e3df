//! `$ref` resolution.
