//! The fuzz targets' code, kept out of `fuzz_targets/` so plain tests can use it too:
//! `tests/fuzz_regressions.rs` replays saved inputs through [`exercise`] and
//! [`exercise_lint`], and `tests/corpus.rs` checks real documents with the same
//! [`invariants`]. They include these files by path, so a saved crash is replayed through
//! exactly the code that found it.

mod exercise;
pub mod invariants;
mod lint;

pub use exercise::exercise;
pub use lint::exercise_lint;
