//! Records the commit oaslint is built from, for `oaslint --version`: sets `OASLINT_VERSION`
//! to `0.1.0 (0123456789ab 2026-12-02)`, or just the version when no commit can be known.
//!
//! Where the commit comes from, first found wins:
//! 1. `OASLINT_COMMIT`, for builds from a copy without git history (a release pipeline that
//!    unpacks a source archive, a distribution's package);
//! 2. git, when the crate is the top of its own git checkout (a clone, `cargo install --git`,
//!    pre-commit's clone) — not a crate unpacked inside some other project's repository;
//! 3. `.cargo_vcs_info.json`, which `cargo package` writes into the crates.io tarball.
//!
//! A new HEAD (a commit, a checkout) reruns this and so recompiles oaslint's own crates,
//! not their dependencies; nothing else does. A maturin sdist has none of the three: a wheel
//! built from it says only the version.

use std::path::{Path, PathBuf};
use std::process::Command;

fn main() {
    println!("cargo::rerun-if-changed=build.rs");
    println!("cargo::rerun-if-env-changed=OASLINT_COMMIT");
    let manifest_dir = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default());
    let commit = std::env::var("OASLINT_COMMIT")
        .ok()
        .map(|commit| commit.trim().to_owned())
        .filter(|commit| !commit.is_empty())
        .or_else(|| from_git(&manifest_dir))
        .or_else(|| from_cargo_vcs_info(&manifest_dir));
    let version = std::env::var("CARGO_PKG_VERSION").unwrap_or_default();
    match commit {
        Some(commit) => println!("cargo::rustc-env=OASLINT_VERSION={version} ({commit})"),
        None => println!("cargo::rustc-env=OASLINT_VERSION={version}"),
    }
}

/// `0123456789ab 2026-12-02`: HEAD's abbreviated hash and commit date, when `dir` is the top
/// of a git work tree. Also tells cargo to run this again when HEAD moves.
fn from_git(dir: &Path) -> Option<String> {
    let top = git(dir, &["rev-parse", "--show-toplevel"])?;
    if Path::new(&top).canonicalize().ok()? != dir.canonicalize().ok()? {
        return None;
    }
    // HEAD, the branch it points at, and packed-refs (where a branch lives after `git gc`):
    // in a linked worktree the first is in the worktree's git dir, the others in the common
    // one, and `--git-path` finds each. Only existing files: cargo reruns a build script
    // whose watched file is missing on every build.
    let mut watched = vec!["HEAD".to_owned(), "packed-refs".to_owned()];
    if let Some(branch) = git(dir, &["symbolic-ref", "--quiet", "HEAD"]) {
        watched.push(branch);
    }
    for name in watched {
        // Relative to `dir` when relative (`--path-format=absolute` needs git 2.31).
        if let Some(path) = git(dir, &["rev-parse", "--git-path", &name]).map(|path| dir.join(path))
            && path.exists()
        {
            println!("cargo::rerun-if-changed={}", path.display());
        }
    }
    git(dir, &["log", "-1", "--no-show-signature", "--abbrev=12", "--date=short", "--format=%h %cd"])
}

fn git(dir: &Path, args: &[&str]) -> Option<String> {
    let output = Command::new("git").arg("-C").arg(dir).args(args).output().ok()?;
    let text = String::from_utf8(output.stdout).ok()?.trim().to_owned();
    (output.status.success() && !text.is_empty()).then_some(text)
}

/// The first 12 hex digits of `"sha1": "..."` in `.cargo_vcs_info.json` (read by hand:
/// a build dependency on a JSON parser would be compiled into every build for one field).
fn from_cargo_vcs_info(dir: &Path) -> Option<String> {
    let info = std::fs::read_to_string(dir.join(".cargo_vcs_info.json")).ok()?;
    let after_key = info.split_once("\"sha1\"")?.1;
    let value = after_key.split('"').nth(1)?;
    let hash = value.get(..12)?;
    hash.chars().all(|c| c.is_ascii_hexdigit()).then(|| hash.to_owned())
}
