//! The rule engine and checks.
