//! Where references may read files from: by default only the root document's
//! directory tree, so a hostile spec cannot pull `/etc/passwd` into a report.
//!
//! A path is checked twice: by name before the file is opened ([`allows`], so nothing
//! outside is even opened), and on the file actually opened ([`allows_opened`]), so that a
//! symlink pointed elsewhere between the check and the open cannot escape. The second
//! check asks the descriptor for its real path where the platform tells it (Linux and
//! Android: `/proc/self/fd`; Apple systems: `F_GETPATH`). Elsewhere it canonicalizes the
//! name and requires the file found there to be the very file opened (same device and
//! inode), so a swap is refused rather than followed; on platforms without inode numbers
//! (Windows, with std alone) only the canonical name is checked.

use std::path::{Component, Path, PathBuf};

use crate::source::FileIdentity;
use crate::source::read::OpenFile;

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

/// The canonical forms of `dirs` (for a caller with no root document).
pub fn roots_of(dirs: &[PathBuf]) -> Vec<PathBuf> {
    match dirs.split_first() {
        Some((first, rest)) => roots(first, rest),
        None => Vec::new(),
    }
}

/// Whether `path` (normalized) lies inside one of `roots`, after following symlinks.
pub fn allows(roots: &[PathBuf], path: &Path) -> bool {
    // A file that does not exist cannot leak anything: let the load report it as missing,
    // as long as its lexical path is inside a root.
    inside(roots, &real_path(path))
}

/// Whether the file opened for `path` lies inside one of `roots`: judged on the open file.
pub fn allows_opened(roots: &[PathBuf], path: &Path, opened: &OpenFile) -> bool {
    match opened.real_path() {
        Some(real) => inside(roots, &real),
        None => allows_by_identity(roots, path, opened.identity()),
    }
}

/// Where the descriptor cannot tell its path: the canonical name must lie inside and name
/// the very file opened (`identity`), else the name was pointed elsewhere meanwhile.
fn allows_by_identity(roots: &[PathBuf], path: &Path, identity: Option<FileIdentity>) -> bool {
    let Ok(real) = path.canonicalize() else {
        return false;
    };
    match identity {
        Some(identity) => FileIdentity::of_path(&real) == Some(identity) && inside(roots, &real),
        None => inside(roots, &real),
    }
}

fn inside(roots: &[PathBuf], real: &Path) -> bool {
    roots.iter().any(|root| real.starts_with(root))
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

#[cfg(all(test, unix))]
mod tests {
    use std::path::Path;

    use super::{allows_by_identity, allows_opened, roots};
    use crate::source::read;

    fn repoint(link: &Path, target: &Path) {
        let _ = std::fs::remove_file(link);
        std::os::unix::fs::symlink(target, link).unwrap_or_else(|err| panic!("{err}"));
    }

    /// Whatever the name says by the time it is checked, the file opened decides.
    #[test]
    fn the_file_opened_is_judged_not_its_name() {
        let dir = tempfile::tempdir().unwrap_or_else(|err| panic!("{err}"));
        let root = dir.path().join("root");
        std::fs::create_dir(&root).unwrap_or_else(|err| panic!("{err}"));
        let (inside, other, outside) = (root.join("inside.yaml"), root.join("other.yaml"), dir.path().join("out.yaml"));
        for file in [&inside, &other, &outside] {
            std::fs::write(file, "a: 1\n").unwrap_or_else(|err| panic!("{err}"));
        }
        let allowed = roots(&root, &[]);
        let link = root.join("link.yaml");

        // Opened while the link led outside, checked after it was pointed back inside.
        repoint(&link, &outside);
        let opened = read::open(&link).unwrap_or_else(|err| panic!("{err}"));
        repoint(&link, &inside);
        assert!(!allows_opened(&allowed, &link, &opened));
        assert!(!allows_by_identity(&allowed, &link, opened.identity()));

        // Opened inside, the name then pointed at another file inside: still not the one opened.
        let opened = read::open(&link).unwrap_or_else(|err| panic!("{err}"));
        repoint(&link, &other);
        assert!(allows_opened(&allowed, &link, &opened));
        assert!(!allows_by_identity(&allowed, &link, opened.identity()));
        repoint(&link, &inside);
        assert!(allows_by_identity(&allowed, &link, opened.identity()));
    }
}
