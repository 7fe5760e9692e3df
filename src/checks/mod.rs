//! The rule engine and checks.

/// The response-code guideline tables (`rules/*.yaml`) the checks read.
pub mod ruleset;
