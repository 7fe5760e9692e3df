//! In-memory texts that stand in for files: an editor's unsaved buffers, or a fix's
//! result being linted again before it is written. Wherever oaslint would read a file
//! (a root, a `$ref`'d fragment, a walked file), a text in the overlay under the same
//! path is read instead, under the same size limit; the disk is not touched for it.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::sandbox::normalize;
use crate::source::FileIdentity;
use crate::source::read::{ReadError, ReadFile};

/// Paths (absolute, normalized) to the texts that replace their files. Cloning is cheap
/// (the map is shared); changing a clone copies the map, never the texts.
#[derive(Clone, Debug, Default)]
pub struct Overlay {
    texts: Arc<HashMap<PathBuf, Arc<str>>>,
}

impl Overlay {
    /// Let `text` stand in for the file at `path` (made absolute and normalized).
    pub fn insert(&mut self, path: &Path, text: impl Into<Arc<str>>) {
        Arc::make_mut(&mut self.texts).insert(normalize(path), text.into());
    }

    /// Read `path` from disk again.
    pub fn remove(&mut self, path: &Path) {
        if self.texts.contains_key(&normalize(path)) {
            Arc::make_mut(&mut self.texts).remove(&normalize(path));
        }
    }

    /// The text standing in for `path`, if any.
    pub fn get(&self, path: &Path) -> Option<&Arc<str>> {
        if self.texts.is_empty() {
            return None;
        }
        self.texts.get(&normalize(path))
    }

    pub fn contains(&self, path: &Path) -> bool {
        self.get(path).is_some()
    }

    pub fn is_empty(&self) -> bool {
        self.texts.is_empty()
    }

    /// The paths with a text, in no particular order.
    pub fn paths(&self) -> impl Iterator<Item = &Path> {
        self.texts.keys().map(PathBuf::as_path)
    }

    /// The text for `path` as if read from disk, refused past `limit` bytes as a file
    /// would be; its identity is the file's on disk where there is one, so that another
    /// name of the same file is not loaded twice. `None` when `path` has no text here.
    pub fn read(&self, path: &Path, limit: u64) -> Option<Result<ReadFile, ReadError>> {
        let text = self.get(path)?;
        if text.len() as u64 > limit {
            return Some(Err(ReadError::TooLarge { limit }));
        }
        Some(Ok(ReadFile { bytes: text.as_bytes().to_vec(), identity: FileIdentity::of_path(path) }))
    }
}

#[cfg(test)]
mod tests {
    use super::Overlay;
    use std::path::Path;

    #[test]
    fn texts_are_found_by_any_spelling_of_their_path() {
        let mut overlay = Overlay::default();
        overlay.insert(Path::new("/project/specs/../api.yaml"), "openapi: 3.1.0\n");
        assert!(overlay.contains(Path::new("/project/api.yaml")));
        assert!(overlay.contains(Path::new("/project/./api.yaml")));
        assert!(!overlay.contains(Path::new("/project/specs/api.yaml")));
        let copy = overlay.clone();
        overlay.remove(Path::new("/project/api.yaml"));
        assert!(overlay.is_empty());
        assert!(copy.contains(Path::new("/project/api.yaml")), "a clone keeps its texts");
    }

    #[test]
    fn a_text_over_the_limit_is_refused_as_a_file_would_be() {
        let mut overlay = Overlay::default();
        overlay.insert(Path::new("/project/api.yaml"), "openapi: 3.1.0\n");
        let read = overlay.read(Path::new("/project/api.yaml"), 4);
        assert!(matches!(read, Some(Err(crate::source::read::ReadError::TooLarge { limit: 4 }))));
        let read = overlay.read(Path::new("/project/api.yaml"), 1000);
        assert!(matches!(read, Some(Ok(file)) if file.bytes == b"openapi: 3.1.0\n"));
    }
}
