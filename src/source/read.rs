//! The one way oaslint reads a file: input documents, `$ref` targets, the configuration,
//! rulesets and the baseline all come through [`open`] (or [`read_capped`] for standard
//! input).
//!
//! - Only regular files are read. A device, FIFO, socket or directory is refused at once:
//!   judged by name before opening (so a device is never opened), and again on the opened
//!   descriptor, which is opened non-blocking so that a FIFO swapped in between cannot
//!   hang the run.
//! - Every read stops at a cap as the bytes arrive (`take(limit + 1)`): the size a file
//!   reports is never trusted (`/proc` files report 0, a file may grow while read).
//! - The opened file's identity (device, inode) comes with its bytes, so that one file
//!   reached by several names is loaded once and an output never replaces an input.

use super::InputProblem;
use std::fmt;
use std::fs::{File, Metadata};
use std::io::{self, Read};
use std::path::{Path, PathBuf};

/// The cap on configuration and ruleset files, which are read before (or without) the
/// configuration's `max_file_size`: far above any real one, small enough to be harmless.
pub const MAX_SETTINGS_FILE_BYTES: u64 = 16 * 1024 * 1024;

/// What makes a file the same file whatever its name: device and inode. Hardlinks,
/// symlinks and `a/../b` spellings of one file share it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FileIdentity {
    pub device: u64,
    pub inode: u64,
}

impl FileIdentity {
    /// The identity in `metadata`; `None` where the platform has none (std gives device
    /// and inode on Unix only).
    pub fn of(metadata: &Metadata) -> Option<FileIdentity> {
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt as _;
            Some(FileIdentity { device: metadata.dev(), inode: metadata.ino() })
        }
        #[cfg(not(unix))]
        {
            let _ = metadata;
            None
        }
    }

    /// The identity of the file `path` names now (following symlinks), if it exists.
    pub fn of_path(path: &Path) -> Option<FileIdentity> {
        std::fs::metadata(path).ok().as_ref().and_then(FileIdentity::of)
    }
}

/// What kind of thing a path names, when it is not a regular file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileKind {
    Directory,
    Fifo,
    Socket,
    CharDevice,
    BlockDevice,
    Other,
}

impl FileKind {
    /// `None` for a regular file.
    fn of(metadata: &Metadata) -> Option<FileKind> {
        let kind = metadata.file_type();
        if kind.is_file() {
            return None;
        }
        if kind.is_dir() {
            return Some(FileKind::Directory);
        }
        #[cfg(unix)]
        {
            use std::os::unix::fs::FileTypeExt as _;
            if kind.is_fifo() {
                return Some(FileKind::Fifo);
            }
            if kind.is_socket() {
                return Some(FileKind::Socket);
            }
            if kind.is_char_device() {
                return Some(FileKind::CharDevice);
            }
            if kind.is_block_device() {
                return Some(FileKind::BlockDevice);
            }
        }
        Some(FileKind::Other)
    }
}

impl fmt::Display for FileKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            FileKind::Directory => "a directory",
            FileKind::Fifo => "a FIFO (named pipe)",
            FileKind::Socket => "a socket",
            FileKind::CharDevice => "a character device",
            FileKind::BlockDevice => "a block device",
            FileKind::Other => "not a regular file",
        })
    }
}

/// Why a file was not read.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("{0}")]
    Io(#[from] io::Error),
    #[error("it is {0}, not a regular file")]
    NotRegular(FileKind),
    #[error("it is larger than the limit of {limit} bytes")]
    TooLarge { limit: u64 },
}

impl ReadError {
    /// The input-problem id a finding about this gets: `too-large`, else `unreadable-file`.
    pub fn code(&self) -> InputProblem {
        match self {
            ReadError::TooLarge { .. } => InputProblem::TooLarge,
            _ => InputProblem::UnreadableFile,
        }
    }

    pub fn is_not_found(&self) -> bool {
        matches!(self, ReadError::Io(err) if err.kind() == io::ErrorKind::NotFound)
    }

    /// A message naming the file as `shown`.
    pub fn describe(&self, shown: &str) -> String {
        match self {
            ReadError::Io(err) => format!("cannot read `{shown}`: {err}"),
            ReadError::NotRegular(FileKind::Other) => format!("`{shown}` is not a regular file"),
            ReadError::NotRegular(kind) => format!("`{shown}` is {kind}, not a regular file"),
            ReadError::TooLarge { limit } => {
                format!("`{shown}` is larger than the limit of {limit} bytes (`max_file_size`)")
            }
        }
    }
}

impl From<ReadError> for io::Error {
    fn from(err: ReadError) -> io::Error {
        match err {
            ReadError::Io(err) => err,
            ReadError::NotRegular(_) => io::Error::new(io::ErrorKind::InvalidInput, err),
            ReadError::TooLarge { .. } => io::Error::new(io::ErrorKind::FileTooLarge, err),
        }
    }
}

/// A regular file, opened and not yet read.
#[derive(Debug)]
pub struct OpenFile {
    file: File,
    identity: Option<FileIdentity>,
    /// The size the file reported: a hint for the buffer, never a limit.
    reported_len: u64,
}

/// A file's bytes and what identifies it.
#[derive(Debug)]
pub struct ReadFile {
    pub bytes: Vec<u8>,
    pub identity: Option<FileIdentity>,
}

/// Open `path` for reading if it is a regular file (after following symlinks).
pub fn open(path: &Path) -> Result<OpenFile, ReadError> {
    // By name first: a device or FIFO is refused without being opened at all.
    if let Some(kind) = FileKind::of(&std::fs::metadata(path)?) {
        return Err(ReadError::NotRegular(kind));
    }
    let file = open_without_blocking(path)?;
    // Then on what was opened: the name may have been pointed elsewhere in between.
    let metadata = file.metadata()?;
    if let Some(kind) = FileKind::of(&metadata) {
        return Err(ReadError::NotRegular(kind));
    }
    restore_blocking(&file)?;
    Ok(OpenFile { identity: FileIdentity::of(&metadata), reported_len: metadata.len(), file })
}

/// Open and read the whole file, refusing it past `limit` bytes.
pub fn read_file(path: &Path, limit: u64) -> Result<ReadFile, ReadError> {
    open(path)?.read(limit)
}

impl OpenFile {
    pub fn identity(&self) -> Option<FileIdentity> {
        self.identity
    }

    /// The open file (to lock it, or to read it without giving it up).
    pub fn file(&self) -> &File {
        &self.file
    }

    /// The path the opened file has now, from its descriptor, where the platform tells it
    /// (Linux and Android through `/proc/self/fd`, Apple systems through `F_GETPATH`).
    pub fn real_path(&self) -> Option<PathBuf> {
        descriptor_path(&self.file)
    }

    /// Read it all, refusing it past `limit` bytes.
    pub fn read(self, limit: u64) -> Result<ReadFile, ReadError> {
        let capacity = self.reported_len.min(limit);
        let bytes = read_capped_with(self.file, limit, capacity)?;
        Ok(ReadFile { bytes, identity: self.identity })
    }

    /// At most `max` bytes from the start, and whether that is the whole file (for a
    /// quick look at a file that may turn out too large to read whole).
    pub fn read_head(self, max: u64) -> Result<(Vec<u8>, bool), ReadError> {
        let capacity = usize::try_from(self.reported_len.min(max).saturating_add(1)).unwrap_or(0);
        let mut bytes = Vec::with_capacity(capacity);
        self.file.take(max.saturating_add(1)).read_to_end(&mut bytes)?;
        let complete = bytes.len() as u64 <= max;
        bytes.truncate(usize::try_from(max).unwrap_or(usize::MAX));
        Ok((bytes, complete))
    }
}

/// Read everything `reader` gives, refusing it past `limit` bytes: at most `limit + 1`
/// bytes are ever taken, whatever the source (standard input, a growing file).
pub fn read_capped(reader: impl Read, limit: u64) -> Result<Vec<u8>, ReadError> {
    read_capped_with(reader, limit, 0)
}

fn read_capped_with(reader: impl Read, limit: u64, capacity: u64) -> Result<Vec<u8>, ReadError> {
    // One byte over the cap tells "exactly the limit" from "more".
    let mut bytes = Vec::with_capacity(usize::try_from(capacity.saturating_add(1)).unwrap_or(0));
    reader.take(limit.saturating_add(1)).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(ReadError::TooLarge { limit });
    }
    Ok(bytes)
}

#[cfg(unix)]
fn open_without_blocking(path: &Path) -> io::Result<File> {
    use std::os::unix::fs::OpenOptionsExt as _;
    // O_NONBLOCK: opening a FIFO waits for a writer otherwise. O_NOCTTY: a terminal swapped
    // in never becomes the controlling terminal.
    let flags = rustix::fs::OFlags::NONBLOCK | rustix::fs::OFlags::NOCTTY;
    std::fs::OpenOptions::new().read(true).custom_flags(flags.bits() as i32).open(path)
}

#[cfg(not(unix))]
fn open_without_blocking(path: &Path) -> io::Result<File> {
    File::open(path)
}

/// Clear `O_NONBLOCK` again: it means nothing for a regular file on Linux, but POSIX
/// leaves it unspecified, so reads get their ordinary semantics.
#[cfg(unix)]
fn restore_blocking(file: &File) -> io::Result<()> {
    let flags = rustix::fs::fcntl_getfl(file)?;
    rustix::fs::fcntl_setfl(file, flags - rustix::fs::OFlags::NONBLOCK)?;
    Ok(())
}

#[cfg(not(unix))]
fn restore_blocking(_file: &File) -> io::Result<()> {
    Ok(())
}

#[cfg(any(target_os = "linux", target_os = "android"))]
fn descriptor_path(file: &File) -> Option<PathBuf> {
    use std::os::fd::AsRawFd as _;
    let path = std::fs::read_link(format!("/proc/self/fd/{}", file.as_raw_fd())).ok()?;
    // Not a path at all (`anon_inode:…`), or a file deleted since it was opened.
    let deleted = path.as_os_str().as_encoded_bytes().ends_with(b" (deleted)");
    (path.is_absolute() && !deleted).then_some(path)
}

#[cfg(any(target_os = "macos", target_os = "ios"))]
fn descriptor_path(file: &File) -> Option<PathBuf> {
    use std::os::unix::ffi::OsStringExt as _;
    let path = rustix::fs::getpath(file).ok()?;
    Some(PathBuf::from(std::ffi::OsString::from_vec(path.into_bytes())))
}

#[cfg(not(any(target_os = "linux", target_os = "android", target_os = "macos", target_os = "ios")))]
fn descriptor_path(_file: &File) -> Option<PathBuf> {
    None
}

#[cfg(test)]
mod tests {
    use crate::source::InputProblem;
    use std::io::Cursor;

    use super::{ReadError, read_capped, read_file};

    #[test]
    fn reads_stop_one_byte_past_the_cap() {
        assert_eq!(read_capped(Cursor::new(b"abcd".to_vec()), 4).ok(), Some(b"abcd".to_vec()));
        assert!(matches!(read_capped(Cursor::new(b"abcde".to_vec()), 4), Err(ReadError::TooLarge { limit: 4 })));
        // An endless source is cut at the cap, not read to its end.
        let endless = std::io::repeat(b'a');
        assert!(matches!(read_capped(endless, 1000), Err(ReadError::TooLarge { limit: 1000 })));
    }

    #[test]
    fn only_regular_files_are_read() {
        let dir = std::env::temp_dir();
        let err = read_file(&dir, 10).err();
        assert_eq!(err.as_ref().map(ReadError::code), Some(InputProblem::UnreadableFile));
        assert!(err.is_some_and(|err| err.describe("tmp") == "`tmp` is a directory, not a regular file"));
        #[cfg(unix)]
        {
            let err = read_file(std::path::Path::new("/dev/zero"), 10).err();
            assert!(err.is_some_and(|err| err.describe("z").contains("a character device")));
        }
    }
}
