//! What several integration tests share (each test binary includes this module).

use std::path::{Path, PathBuf};

/// The shared corpus of real specs: `OASLINT_CORPUS`, else `../shared/corpus` beside the
/// repository, canonical (so the loader's sandbox compares like with like even when the
/// corpus is reached through a symlink). `None`, saying so, when it is absent: the tests
/// that need it then skip.
pub fn corpus_dir() -> Option<PathBuf> {
    let dir = match std::env::var_os("OASLINT_CORPUS") {
        Some(dir) => PathBuf::from(dir),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus"),
    };
    if dir.is_dir() {
        Some(dir.canonicalize().unwrap_or(dir))
    } else {
        println!("SKIPPED: corpus not found at {} (set OASLINT_CORPUS or put shared/ beside the repo)", dir.display());
        None
    }
}
