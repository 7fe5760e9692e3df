//! Arbitrary bytes through load, `$ref` resolution and the API view, as YAML and as JSON.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| oaslint_fuzz::exercise(data));
