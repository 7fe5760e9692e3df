//! Writing files atomically: every file oaslint writes (reports, the baseline, `init`'s
//! configuration) is written to a temporary file in the target's directory, flushed to
//! disk, then renamed over the target. A reader, or a run killed half-way, sees the old
//! file or the new one, never a part.
//!
//! The temporary files of unfinished writes are listed here, so that a signal handler can
//! remove them before the process exits ([`abandon_pending_writes`]); a rename and that
//! removal exclude each other, so a write either lands whole or leaves nothing behind.

use std::fs::File;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, PoisonError};

use tempfile::NamedTempFile;

/// The temporary files of writes not yet renamed into place.
static PENDING: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

fn pending() -> MutexGuard<'static, Vec<PathBuf>> {
    PENDING.lock().unwrap_or_else(PoisonError::into_inner)
}

/// A file being written: a temporary file beside its target until [`AtomicFile::commit`].
/// Dropped without a commit, it is removed and the target is left as it was.
#[derive(Debug)]
pub struct AtomicFile {
    temp: Option<NamedTempFile>,
    target: PathBuf,
}

impl AtomicFile {
    /// Start writing `target`: create the temporary file (its directory must exist). It
    /// takes the target's permissions where the target exists, else the usual ones for a
    /// new file (0666 less the umask).
    pub fn create(target: &Path) -> io::Result<AtomicFile> {
        let dir = match target.parent() {
            Some(parent) if !parent.as_os_str().is_empty() => parent,
            _ => Path::new("."),
        };
        // The target's name, cut so that the temporary name stays within a file name's limit.
        let name: String =
            target.file_name().map(|name| name.to_string_lossy().chars().take(100).collect()).unwrap_or_default();
        let prefix = format!(".{name}.");
        let mut builder = tempfile::Builder::new();
        builder.prefix(&prefix).suffix(".oaslint-tmp");
        #[cfg(unix)]
        let new_file_permissions = {
            use std::os::unix::fs::PermissionsExt as _;
            std::fs::Permissions::from_mode(0o666)
        };
        #[cfg(unix)]
        builder.permissions(new_file_permissions);
        // Registered under the lock it is created under: a signal between the two cannot
        // leave it behind.
        let mut pending = pending();
        let temp = builder.tempfile_in(dir)?;
        pending.push(temp.path().to_owned());
        drop(pending);
        if let Ok(metadata) = std::fs::metadata(target) {
            if metadata.is_file() {
                std::fs::set_permissions(temp.path(), metadata.permissions())?;
            }
        }
        Ok(AtomicFile { temp: Some(temp), target: target.to_owned() })
    }

    pub fn target(&self) -> &Path {
        &self.target
    }

    /// Flush the file to disk and rename it over the target.
    pub fn commit(self) -> io::Result<()> {
        self.finish(false)
    }

    /// Like [`AtomicFile::commit`], but never replaces an existing file: fails with
    /// [`io::ErrorKind::AlreadyExists`] instead (also when one appears meanwhile).
    pub fn commit_new(self) -> io::Result<()> {
        self.finish(true)
    }

    fn finish(mut self, no_clobber: bool) -> io::Result<()> {
        let Some(mut temp) = self.temp.take() else {
            return Ok(());
        };
        let synced = temp.flush().and_then(|()| temp.as_file().sync_all());
        let mut pending = pending();
        let path = temp.path().to_owned();
        let result = synced.and_then(|()| {
            let persisted = if no_clobber { temp.persist_noclobber(&self.target) } else { temp.persist(&self.target) };
            // On failure the temporary file comes back, and dropping it removes it.
            persisted.map(drop).map_err(|err| err.error)
        });
        pending.retain(|pending| *pending != path);
        drop(pending);
        if result.is_ok() {
            sync_parent(&self.target);
        }
        result
    }
}

impl Write for AtomicFile {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        match &mut self.temp {
            Some(temp) => temp.write(bytes),
            None => Err(io::Error::other("the file was already committed")),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match &mut self.temp {
            Some(temp) => temp.flush(),
            None => Ok(()),
        }
    }
}

impl Drop for AtomicFile {
    fn drop(&mut self) {
        if let Some(temp) = self.temp.take() {
            let mut pending = pending();
            let path = temp.path().to_owned();
            drop(temp);
            pending.retain(|pending| *pending != path);
        }
    }
}

/// Write `bytes` to `target` atomically.
pub fn write_atomic(target: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut file = AtomicFile::create(target)?;
    file.write_all(bytes)?;
    file.commit()
}

/// Write `bytes` to a new file `target`, atomically; fails with
/// [`io::ErrorKind::AlreadyExists`] if it exists.
pub fn write_new(target: &Path, bytes: &[u8]) -> io::Result<()> {
    if target.symlink_metadata().is_ok() {
        return Err(io::Error::from(io::ErrorKind::AlreadyExists));
    }
    let mut file = AtomicFile::create(target)?;
    file.write_all(bytes)?;
    file.commit_new()
}

/// Remove the temporary file of every unfinished write, and keep any other write from
/// finishing or starting: for a signal handler, just before the process exits.
pub fn abandon_pending_writes() {
    let guard = pending();
    for path in guard.iter() {
        let _ = std::fs::remove_file(path);
    }
    // Held until exit: a rename after the removal would find its file gone anyway, but a
    // new temporary file must not be created.
    std::mem::forget(guard);
}

/// Make the rename itself durable (best effort: not every platform can open a directory).
fn sync_parent(target: &Path) {
    let dir = match target.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    if let Ok(dir) = File::open(dir) {
        let _ = dir.sync_all();
    }
}

#[cfg(test)]
mod tests {
    use std::io::Write as _;

    use super::{AtomicFile, pending, write_atomic, write_new};

    fn temp_dir() -> tempfile::TempDir {
        tempfile::tempdir().unwrap_or_else(|err| panic!("{err}"))
    }

    fn entries(dir: &std::path::Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .map(|entries| entries.flatten().map(|entry| entry.file_name().to_string_lossy().into_owned()).collect())
            .unwrap_or_default();
        names.sort();
        names
    }

    #[test]
    fn a_write_lands_whole_or_not_at_all() {
        let dir = temp_dir();
        let target = dir.path().join("report.json");
        std::fs::write(&target, "old").unwrap_or_else(|err| panic!("{err}"));
        let mut file = AtomicFile::create(&target).unwrap_or_else(|err| panic!("{err}"));
        file.write_all(b"new").unwrap_or_else(|err| panic!("{err}"));
        // Not committed yet: the target is untouched, a temporary file sits beside it.
        assert_eq!(std::fs::read_to_string(&target).ok().as_deref(), Some("old"));
        assert_eq!(entries(dir.path()).len(), 2);
        drop(file);
        assert_eq!(std::fs::read_to_string(&target).ok().as_deref(), Some("old"));
        assert_eq!(entries(dir.path()), ["report.json"]);
        write_atomic(&target, b"new").unwrap_or_else(|err| panic!("{err}"));
        assert_eq!(std::fs::read_to_string(&target).ok().as_deref(), Some("new"));
        assert_eq!(entries(dir.path()), ["report.json"]);
        assert!(!pending().iter().any(|path| path.starts_with(dir.path())));
    }

    #[test]
    fn new_files_never_replace_existing_ones() {
        let dir = temp_dir();
        let target = dir.path().join(".oaslint.yaml");
        write_new(&target, b"first").unwrap_or_else(|err| panic!("{err}"));
        let again = write_new(&target, b"second").err().map(|err| err.kind());
        assert_eq!(again, Some(std::io::ErrorKind::AlreadyExists));
        // Also when the file appears between the start and the commit.
        let mut late = AtomicFile::create(&dir.path().join("late.yaml")).unwrap_or_else(|err| panic!("{err}"));
        late.write_all(b"mine").unwrap_or_else(|err| panic!("{err}"));
        std::fs::write(dir.path().join("late.yaml"), "theirs").unwrap_or_else(|err| panic!("{err}"));
        assert_eq!(late.commit_new().err().map(|err| err.kind()), Some(std::io::ErrorKind::AlreadyExists));
        assert_eq!(std::fs::read_to_string(&target).ok().as_deref(), Some("first"));
        assert_eq!(std::fs::read_to_string(dir.path().join("late.yaml")).ok().as_deref(), Some("theirs"));
        assert_eq!(entries(dir.path()), [".oaslint.yaml", "late.yaml"]);
    }

    #[cfg(unix)]
    #[test]
    fn a_replaced_file_keeps_its_permissions() {
        use std::os::unix::fs::PermissionsExt as _;
        let dir = temp_dir();
        let target = dir.path().join("report.sarif");
        std::fs::write(&target, "old").unwrap_or_else(|err| panic!("{err}"));
        std::fs::set_permissions(&target, std::fs::Permissions::from_mode(0o640)).unwrap_or_else(|err| panic!("{err}"));
        write_atomic(&target, b"new").unwrap_or_else(|err| panic!("{err}"));
        let mode = std::fs::metadata(&target).map(|metadata| metadata.permissions().mode() & 0o777).ok();
        assert_eq!(mode, Some(0o640));
    }
}
