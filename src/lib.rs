//! oaslint: a linter for OpenAPI documents (Swagger 2.0 and OpenAPI 3.0, 3.1 and 3.2).
//!
//! The modules follow the data's path, and each uses only the ones listed
//! before it:
//!
//! - [`source`]: files, byte spans, line index, YAML and JSON into one span tree.
//! - [`finding`]: the plain-data finding every later layer produces and consumes.
//! - [`resolve`]: JSON pointers, `$ref` to (file, node), cycle detection, the ref sandbox.
//! - [`model`]: the version-neutral view of operations, parameters and responses.
//! - [`checks`]: the rule engine, one file per check, and the rulesets from `rules/`.
//! - [`pipeline`]: the one lint run every front end drives: discovery, roots in
//!   parallel, suppressions and overrides, findings streamed root by root.
//! - [`report`]: one file per output format.
//! - [`config`]: `.oaslint.yaml` and the front end's choices into the pipeline's settings.
//! - [`cli`]: the command line; [`lsp`]: the language server. Front ends, side by side.

pub mod checks;
pub mod cli;
pub mod config;
pub mod finding;
pub mod lsp;
pub mod model;
pub mod pipeline;
pub mod report;
pub mod resolve;
pub mod source;
