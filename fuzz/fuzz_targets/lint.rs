//! Arbitrary bytes through the whole path: load, resolve, every check under every built-in
//! ruleset, and every output format.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| oaslint_fuzz::exercise_lint(data));
