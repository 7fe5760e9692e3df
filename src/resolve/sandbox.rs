//! Where references may read files from: by default only the root document's
//! directory tree, so a hostile spec cannot pull `/etc/passwd` into a report.

use std::path::{Component, Path, PathBuf};

/// Resolve `.` and `..` lexically (the file need not exist) and make the path absolute.
pub fn normalize(path: &Path) -> PathBuf {
    let absolute = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().map(|dir| dir.join(path)).unwrap_or_else(|_| path.to_path_buf())
    };
    let mut out = PathBuf::new();
    for component in absolute.components() {
        match component {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// The canonical forms of the root document's directory and the configured extra roots.
pub fn roots(root_dir: &Path, extra: &[PathBuf]) -> Vec<PathBuf> {
    std::iter::once(root_dir)
        .chain(extra.iter().map(PathBuf::as_path))
        .map(|dir| {
            let dir = if dir.as_os_str().is_empty() { Path::new(".") } else { dir };
            dir.canonicalize().unwrap_or_else(|_| normalize(dir))
        })
        .collect()
}

/// Whether `path` (normalized) lies inside one of `roots`, after following symlinks.
pub fn allows(roots: &[PathBuf], path: &Path) -> bool {
    // A file that does not exist cannot leak anything: let the load report it as missing,
    // as long as its lexical path is inside a root.
    roots.iter().any(|root| real_path(path).starts_with(root))
}

/// `path` with symlinks followed: canonical when it exists, else its nearest existing
/// ancestor made canonical with the rest appended, so that a missing file under a
/// symlinked folder is compared in the same terms as the (canonical) roots.
fn real_path(path: &Path) -> PathBuf {
    if let Ok(real) = path.canonicalize() {
        return real;
    }
    for ancestor in path.ancestors().skip(1) {
        if let (Ok(real), Ok(rest)) = (ancestor.canonicalize(), path.strip_prefix(ancestor)) {
            return real.join(rest);
        }
    }
    path.to_path_buf()
}
