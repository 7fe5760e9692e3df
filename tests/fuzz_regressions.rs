//! Replays inputs through the fuzz targets' code (`load` and `lint`) with plain `cargo test`
//! (no cargo-fuzz needed):
//! - `testdata/fuzz/crashes/`: every input the fuzzers ever crashed on (copied from
//!   `fuzz/artifacts/<target>/` by `fuzz/run.sh` or `scripts/fuzz-long.sh`), kept so the bug
//!   stays fixed;
//! - `testdata/fuzz/hostile/`: hand-written hostile inputs (cycles, odd `$ref`s, merge keys,
//!   surrogates, control bytes), which also seed the fuzzer;
//! - inputs too big to keep as files (100,000-deep nesting), generated here.

#[path = "../fuzz/src/exercise.rs"]
mod exercise;
#[path = "../fuzz/src/invariants.rs"]
mod invariants;
#[path = "../fuzz/src/lint.rs"]
mod lint;

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};

fn saved_inputs(folder: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/fuzz").join(folder);
    let mut inputs: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|err| panic!("{}: {err}", dir.display()))
        .flatten()
        .map(|entry| entry.path())
        // `.gitkeep` holds an empty folder in git.
        .filter(|path| path.is_file() && !path.file_name().is_some_and(|name| name.to_string_lossy().starts_with('.')))
        .collect();
    inputs.sort();
    inputs
}

/// Run each input through both fuzz targets' checks; name every one that fails.
fn replay(inputs: impl IntoIterator<Item = (String, Vec<u8>)>) -> usize {
    let mut failures = Vec::new();
    let mut count = 0;
    for (name, data) in inputs {
        count += 1;
        let outcome = catch_unwind(AssertUnwindSafe(|| {
            exercise::exercise(&data);
            lint::exercise_lint(&data);
        }));
        if let Err(panic) = outcome {
            let message = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|text| (*text).to_owned()))
                .unwrap_or_default();
            failures.push(format!("{name}: {message}"));
        }
    }
    assert!(failures.is_empty(), "{} of {count} inputs fail:\n{}", failures.len(), failures.join("\n"));
    count
}

fn read_all(paths: Vec<PathBuf>) -> Vec<(String, Vec<u8>)> {
    paths.into_iter().map(|path| (path.display().to_string(), std::fs::read(&path).expect("read input"))).collect()
}

#[test]
fn crashes_found_by_the_fuzzer_stay_fixed() {
    let count = replay(read_all(saved_inputs("crashes")));
    println!("replayed {count} saved crash inputs");
}

#[test]
fn hostile_inputs_pass_the_fuzz_checks() {
    let count = replay(read_all(saved_inputs("hostile")));
    assert!(count >= 10, "the hostile inputs are missing ({count} found)");
}

#[test]
fn deep_nesting_passes_the_fuzz_checks() {
    const DEPTH: usize = 100_000;
    let flow_sequences = format!("{}{}", "[".repeat(DEPTH), "]".repeat(DEPTH));
    let flow_mappings = format!("{}1{}", "{a: ".repeat(DEPTH), "}".repeat(DEPTH));
    let json_objects = format!("{}1{}", "{\"a\":".repeat(DEPTH), "}".repeat(DEPTH));
    let unclosed = "[{".repeat(DEPTH);
    let block: String = (0..2_000).map(|depth| format!("{}k{depth}:\n", " ".repeat(depth))).collect();
    let block_sequences: String = (0..2_000).map(|depth| format!("{}-\n", " ".repeat(depth))).collect();
    replay([
        ("flow sequences".to_owned(), flow_sequences.into_bytes()),
        ("flow mappings".to_owned(), flow_mappings.into_bytes()),
        ("JSON objects".to_owned(), json_objects.into_bytes()),
        ("unclosed".to_owned(), unclosed.into_bytes()),
        ("block mappings".to_owned(), block.into_bytes()),
        ("block sequences".to_owned(), block_sequences.into_bytes()),
    ]);
}

/// The checks themselves catch what they claim to (a check that never fails proves nothing).
#[test]
fn the_checks_detect_a_misplaced_location() {
    use oaslint::finding::Location;
    use oaslint::source::{SourceFile, Span};
    let (file, _) = SourceFile::from_text("a.yaml", "a: 1\nbb: 2\n");
    let file = std::sync::Arc::new(file);
    let at = |start, end| invariants::location_problem(&Location::new(file.clone(), Span::new(start, end)));
    assert!(at(5, 7).is_ok());
    // The end of the text is a place (an empty last line).
    assert!(at(11, 11).is_ok());
    assert!(at(5, 99).is_err());
    assert!(at(7, 5).is_err());
    let lines: Vec<&str> = invariants::lines("a\r\nb\rc\n").collect();
    assert_eq!(lines, ["a", "b", "c", ""]);
}
