//! The baseline: the findings a team accepted when it adopted oaslint, kept in the
//! repository (`.oaslint-baseline.json`) so that a run reports only new findings.
//!
//! An entry names a file (relative to the baseline's directory), a rule, a fingerprint
//! and, for people, the message. The fingerprint is [`crate::finding::fingerprint`] of
//! rule, file, JSON pointer and message: no line numbers, so lines added above a finding
//! or other operations moved around leave it unchanged. Where a pointer holds a list
//! index that shifts (a parameter inserted before another), the fingerprint changes but
//! the message does not, so an entry that matches no fingerprint still matches a finding
//! with the same file, rule and message.
//!
//! Matching counts: two identical findings need two entries. The file is sorted (file,
//! rule, fingerprint) with one entry per line, so its diffs read well.
//!
//! The file is written atomically, and changed only under an exclusive lock on it
//! ([`Baseline::update_locked`]): runs sharing one baseline (on different specs, in
//! parallel CI jobs) each re-read it under the lock and replace only their own files'
//! entries, so none loses another's.
//!
//! ```json
//! {
//!   "version": 1,
//!   "findings": [
//!     {"file":"api/openapi.yaml","rule":"no-body","fingerprint":"b3855fb5aec0b053","message":"DELETE /pets/{id}: 204 No Content declares a body (HTTP: this status carries no content)"}
//!   ]
//! }
//! ```

use std::collections::{HashMap, HashSet, VecDeque};
use std::io;
use std::path::{Component, Path, PathBuf};

use crate::finding::{Category, Finding, Suppression, SuppressionKind, fingerprint};
use crate::resolve::normalize;
use crate::source::read::{self, OpenFile};
use crate::source::{FileIdentity, Limits, shorten_quotes, write};

/// Where `oaslint baseline` writes, and `oaslint lint` looks, by default.
pub const DEFAULT_BASELINE_FILE: &str = ".oaslint-baseline.json";

/// The format version this build reads and writes.
pub const BASELINE_VERSION: u64 = 1;

/// The justification of a finding the baseline suppresses.
pub const BASELINE_JUSTIFICATION: &str = "baseline";

/// One accepted finding.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BaselineEntry {
    /// Relative to the baseline file's directory, with `/` separators.
    pub file: String,
    pub rule: String,
    pub fingerprint: String,
    /// The finding's message, for people reading the file (and a fallback match).
    pub message: String,
}

/// A baseline: its entries, sorted, and the directory their file names are relative to.
/// Two baselines are equal when these are (whichever file they were read from).
#[derive(Clone, Debug)]
pub struct Baseline {
    base: PathBuf,
    entries: Vec<BaselineEntry>,
    /// The device and inode of the file it was read from.
    identity: Option<FileIdentity>,
}

impl PartialEq for Baseline {
    fn eq(&self, other: &Baseline) -> bool {
        self.base == other.base && self.entries == other.entries
    }
}

impl Eq for Baseline {}

/// What applying a baseline found.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BaselineOutcome {
    /// Findings the baseline suppressed.
    pub matched: usize,
    /// Entries of files checked in this run that match no finding any more: the API
    /// improved. Report them; `--update-baseline` removes them ([`Baseline::without`]).
    pub stale: Vec<BaselineEntry>,
}

#[derive(Debug, thiserror::Error)]
pub enum BaselineError {
    #[error("cannot read baseline {}: {source}", path.display())]
    Read {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    #[error("cannot write baseline {}: {source}", path.display())]
    Write {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    #[error("cannot lock baseline {}: {source}", path.display())]
    Lock {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    #[error("{} is not an oaslint baseline: {message}", path.display())]
    Invalid { path: PathBuf, message: String },
    #[error("{} is a version {found} baseline; this oaslint reads version {BASELINE_VERSION}", path.display())]
    UnsupportedVersion { path: PathBuf, found: u64 },
}

impl BaselineError {
    /// Whether the file does not exist (`--update-baseline` may start a new one).
    pub fn is_not_found(&self) -> bool {
        matches!(self, BaselineError::Read { source, .. } if source.kind() == io::ErrorKind::NotFound)
    }
}

#[derive(serde::Deserialize)]
struct VersionOnly {
    version: Option<u64>,
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct BaselineFile {
    #[allow(dead_code)]
    version: u64,
    findings: Vec<BaselineEntry>,
}

impl Baseline {
    /// An empty baseline whose file names are relative to `base` (the directory the
    /// baseline file is written to).
    pub fn empty(base: &Path) -> Baseline {
        Baseline { base: normalize(base), entries: Vec::new(), identity: None }
    }

    /// The baseline of a run: every rule finding not suppressed otherwise (inline or by
    /// an override), including those an earlier baseline suppressed. Input problems are
    /// not baselined: they make the run fail whatever the baseline says.
    pub fn from_findings(base: &Path, findings: &[Finding]) -> Baseline {
        let mut baseline = Baseline::empty(base);
        baseline.entries = findings.iter().filter(|f| is_baselinable(f)).map(|f| baseline.entry(f)).collect();
        baseline.entries.sort();
        baseline
    }

    /// Read a baseline file (a regular file, up to the default `max_file_size`); its
    /// directory is the base of its file names.
    pub fn load(path: &Path) -> Result<Baseline, BaselineError> {
        Baseline::load_limited(path, Limits::default().file_bytes())
    }

    /// Read a baseline file of at most `limit` bytes.
    pub fn load_limited(path: &Path, limit: u64) -> Result<Baseline, BaselineError> {
        let read_error = |err: read::ReadError| BaselineError::Read { path: path.to_owned(), source: err.into() };
        let read = read::read_file(path, limit).map_err(read_error)?;
        let mut baseline = Baseline::from_bytes(path, &read.bytes)?;
        baseline.identity = read.identity;
        Ok(baseline)
    }

    fn from_bytes(path: &Path, bytes: &[u8]) -> Result<Baseline, BaselineError> {
        let base = path.parent().unwrap_or(Path::new(""));
        let text = std::str::from_utf8(bytes).map_err(|err| BaselineError::Invalid {
            path: path.to_owned(),
            message: format!("it is not UTF-8 text (at byte {})", err.valid_up_to()),
        })?;
        Baseline::parse(text, base).map_err(|problem| match problem {
            ParseProblem::Invalid(message) => BaselineError::Invalid { path: path.to_owned(), message },
            ParseProblem::Version(found) => BaselineError::UnsupportedVersion { path: path.to_owned(), found },
        })
    }

    /// The device and inode of the file it was read from, if it was.
    pub fn identity(&self) -> Option<FileIdentity> {
        self.identity
    }

    /// Change the baseline file at `path` safely when other runs may change it too: take
    /// an exclusive lock on it, read it again (a missing file is an empty baseline, created
    /// first so that there is something to lock), apply `change`, write the result
    /// atomically, and release the lock. Gives what was written.
    pub fn update_locked(
        path: &Path,
        limit: u64,
        change: impl FnOnce(Baseline) -> Baseline,
    ) -> Result<Baseline, BaselineError> {
        let locked = lock(path)?;
        let read_error = |err: read::ReadError| BaselineError::Read { path: path.to_owned(), source: err.into() };
        let bytes = read::read_capped(locked.file(), limit).map_err(read_error)?;
        let mut current = Baseline::from_bytes(path, &bytes)?;
        current.identity = locked.identity();
        let changed = change(current);
        changed.save(path)?;
        // The lock goes with the old file, which the rename has just replaced.
        drop(locked);
        Ok(changed)
    }

    fn parse(text: &str, base: &Path) -> Result<Baseline, ParseProblem> {
        // serde quotes what it did not expect: only a short excerpt of it.
        let invalid = |err: serde_json::Error| ParseProblem::Invalid(shorten_quotes(&err.to_string()));
        // The version first, so a newer format is named as such rather than as unknown fields.
        let version = serde_json::from_str::<VersionOnly>(text).map_err(invalid)?.version;
        match version {
            Some(BASELINE_VERSION) => {}
            Some(found) => return Err(ParseProblem::Version(found)),
            None => return Err(ParseProblem::Invalid("it has no `version`".to_owned())),
        }
        let file: BaselineFile = serde_json::from_str(text).map_err(invalid)?;
        let mut baseline = Baseline::empty(base);
        baseline.entries = file.findings;
        baseline.entries.sort();
        Ok(baseline)
    }

    /// Write the file, atomically: the version, then one entry per line, sorted. Where
    /// other runs may write it too, use [`Baseline::update_locked`].
    pub fn save(&self, path: &Path) -> Result<(), BaselineError> {
        write::write_atomic(path, self.to_json().as_bytes())
            .map_err(|source| BaselineError::Write { path: path.to_owned(), source })
    }

    /// The file's text.
    pub fn to_json(&self) -> String {
        let mut out = format!("{{\n  \"version\": {BASELINE_VERSION},\n  \"findings\": [");
        for (index, entry) in self.entries.iter().enumerate() {
            out.push_str(if index == 0 { "\n    " } else { ",\n    " });
            // Serializing plain strings cannot fail.
            out.push_str(&serde_json::to_string(entry).unwrap_or_default());
        }
        out.push_str(if self.entries.is_empty() { "]\n}\n" } else { "\n  ]\n}\n" });
        out
    }

    pub fn entries(&self) -> &[BaselineEntry] {
        &self.entries
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Suppress the findings the baseline lists ([`SuppressionKind::External`], justified
    /// `baseline`). `checked` lists every file loaded in this run (each workspace's
    /// files): only entries of those files can be stale, so linting part of a project
    /// does not call the rest of the baseline stale. Give it the run's findings sorted
    /// and deduplicated, after inline suppressions and overrides.
    pub fn apply<'a>(&self, findings: &mut [Finding], checked: impl IntoIterator<Item = &'a Path>) -> BaselineOutcome {
        let mut matcher = self.matcher();
        matcher.apply(findings);
        matcher.finish(checked)
    }

    /// A matcher that applies the baseline batch by batch, as a run streams.
    pub fn matcher(&self) -> BaselineMatcher<'_> {
        let mut by_fingerprint: HashMap<u64, VecDeque<usize>> = HashMap::new();
        let mut by_message: HashMap<u64, VecDeque<usize>> = HashMap::new();
        for (index, entry) in self.entries.iter().enumerate() {
            by_fingerprint.entry(key_hash(&entry.file, &entry.rule, &entry.fingerprint)).or_default().push_back(index);
            by_message.entry(key_hash(&entry.file, &entry.rule, &entry.message)).or_default().push_back(index);
        }
        BaselineMatcher {
            baseline: self,
            by_fingerprint,
            by_message,
            used: vec![false; self.entries.len()],
            matched: 0,
        }
    }

    /// The baseline without `stale` (each removed once): what `--update-baseline` writes.
    /// New findings are not added; `oaslint baseline` accepts them.
    pub fn without(&self, stale: &[BaselineEntry]) -> Baseline {
        let mut remove: HashMap<&BaselineEntry, usize> = HashMap::new();
        for entry in stale {
            *remove.entry(entry).or_default() += 1;
        }
        let entries = self
            .entries
            .iter()
            .filter(|entry| match remove.get_mut(entry) {
                Some(count) if *count > 0 => {
                    *count -= 1;
                    false
                }
                _ => true,
            })
            .cloned()
            .collect();
        Baseline { base: self.base.clone(), entries, identity: self.identity }
    }

    /// What `oaslint baseline` writes over an existing file: the entries of the files
    /// checked in this run replaced by this run's findings, the others kept.
    pub fn replace_checked<'a>(&self, findings: &[Finding], checked: impl IntoIterator<Item = &'a Path>) -> Baseline {
        self.replace_checked_entries(self.entries_for(findings), checked)
    }

    /// Like [`Baseline::replace_checked`], with the entries already made (a run that
    /// streams keeps entries, not findings).
    pub fn replace_checked_entries<'a>(
        &self,
        new: Vec<BaselineEntry>,
        checked: impl IntoIterator<Item = &'a Path>,
    ) -> Baseline {
        let checked: HashSet<String> = checked.into_iter().map(|path| relative_key(path, &self.base)).collect();
        let mut entries: Vec<BaselineEntry> =
            self.entries.iter().filter(|entry| !checked.contains(&entry.file)).cloned().collect();
        entries.extend(new);
        entries.sort();
        Baseline { base: self.base.clone(), entries, identity: self.identity }
    }

    /// The file an entry names, as a path (relative entries are relative to the
    /// baseline's directory).
    pub fn path_of(&self, entry: &BaselineEntry) -> PathBuf {
        normalize(&self.base.join(&entry.file))
    }

    /// The entries the baselinable findings would have in this baseline.
    pub fn entries_for(&self, findings: &[Finding]) -> Vec<BaselineEntry> {
        findings.iter().filter(|f| is_baselinable(f)).map(|f| self.entry(f)).collect()
    }

    /// The entry a finding would have in this baseline.
    fn entry(&self, finding: &Finding) -> BaselineEntry {
        let file = relative_key(&finding.primary.file.path, &self.base);
        BaselineEntry {
            fingerprint: fingerprint(&finding.rule, &file, &finding.pointer, &finding.message),
            file,
            rule: finding.rule.clone(),
            message: finding.message.clone(),
        }
    }
}

/// Applies a baseline to a run's findings batch by batch ([`Baseline::matcher`]). Each
/// entry matches one finding: first by fingerprint, then, for a fingerprint changed by a
/// shifted list index, by file, rule and message.
pub struct BaselineMatcher<'b> {
    baseline: &'b Baseline,
    /// Entry indexes by a hash of (file, rule, fingerprint), and of (file, rule, message).
    by_fingerprint: HashMap<u64, VecDeque<usize>>,
    by_message: HashMap<u64, VecDeque<usize>>,
    used: Vec<bool>,
    matched: usize,
}

impl BaselineMatcher<'_> {
    /// Suppress the findings of one batch the baseline lists (sorted, after inline
    /// suppressions and overrides).
    pub fn apply(&mut self, findings: &mut [Finding]) {
        let candidates: Vec<(usize, BaselineEntry)> = findings
            .iter()
            .enumerate()
            .filter(|(_, finding)| finding.category == Category::Rule && finding.suppression.is_none())
            .map(|(index, finding)| (index, self.baseline.entry(finding)))
            .collect();
        let mut unmatched = Vec::new();
        let mut matched = Vec::new();
        let entries = &self.baseline.entries;
        for (index, key) in &candidates {
            let slot = self.by_fingerprint.get_mut(&key_hash(&key.file, &key.rule, &key.fingerprint));
            let same = |entry: &BaselineEntry| {
                entry.file == key.file && entry.rule == key.rule && entry.fingerprint == key.fingerprint
            };
            match slot.and_then(|slot| take_unused(slot, &mut self.used, entries, same)) {
                Some(_) => matched.push(*index),
                None => unmatched.push((*index, key)),
            }
        }
        for (index, key) in unmatched {
            let slot = self.by_message.get_mut(&key_hash(&key.file, &key.rule, &key.message));
            let same = |entry: &BaselineEntry| {
                entry.file == key.file && entry.rule == key.rule && entry.message == key.message
            };
            if slot.and_then(|slot| take_unused(slot, &mut self.used, entries, same)).is_some() {
                matched.push(index);
            }
        }
        for &index in &matched {
            if let Some(finding) = findings.get_mut(index) {
                finding.suppression = Some(Suppression {
                    kind: SuppressionKind::External,
                    justification: Some(BASELINE_JUSTIFICATION.to_owned()),
                });
            }
        }
        self.matched += matched.len();
    }

    /// How many findings the baseline suppressed, and its stale entries: those of the
    /// files `checked` (every file loaded in the run) that matched nothing.
    pub fn finish<'a>(self, checked: impl IntoIterator<Item = &'a Path>) -> BaselineOutcome {
        let base = &self.baseline.base;
        let checked: HashSet<String> = checked.into_iter().map(|path| relative_key(path, base)).collect();
        let stale = self
            .baseline
            .entries
            .iter()
            .zip(&self.used)
            .filter(|(entry, used)| !**used && checked.contains(&entry.file))
            .map(|(entry, _)| entry.clone())
            .collect();
        BaselineOutcome { matched: self.matched, stale }
    }
}

/// The first entry of `slot` that is the one looked for (`same`: hashes can collide) and
/// not used yet (an entry found by message may have been used by fingerprint, and the
/// other way round), marked used. Entries passed over are gone from the slot only when
/// used.
fn take_unused(
    slot: &mut VecDeque<usize>,
    used: &mut [bool],
    entries: &[BaselineEntry],
    same: impl Fn(&BaselineEntry) -> bool,
) -> Option<usize> {
    slot.retain(|&index| !used.get(index).copied().unwrap_or(true));
    let position = slot.iter().position(|&index| entries.get(index).is_some_and(&same))?;
    let index = slot.remove(position)?;
    if let Some(flag) = used.get_mut(index) {
        *flag = true;
    }
    Some(index)
}

fn key_hash(file: &str, rule: &str, other: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    (file, rule, other).hash(&mut hasher);
    hasher.finish()
}

/// Open the baseline file at `path` and lock it exclusively, creating it (empty) first if
/// it is missing. A run that waited for the lock while another replaced the file (writes
/// rename a new file into place) locks the new file instead: the lock counts only on the
/// file `path` names when it is taken.
fn lock(path: &Path) -> Result<OpenFile, BaselineError> {
    const ATTEMPTS: usize = 1_000;
    let lock_error = |source: io::Error| BaselineError::Lock { path: path.to_owned(), source };
    for _ in 0..ATTEMPTS {
        let opened = match read::open(path) {
            Ok(opened) => opened,
            Err(err) if err.is_not_found() => {
                let empty = Baseline::empty(path.parent().unwrap_or(Path::new(""))).to_json();
                match write::write_new(path, empty.as_bytes()) {
                    Err(err) if err.kind() != io::ErrorKind::AlreadyExists => {
                        return Err(BaselineError::Write { path: path.to_owned(), source: err });
                    }
                    // Created, here or by another run: lock it.
                    _ => continue,
                }
            }
            Err(err) => return Err(BaselineError::Read { path: path.to_owned(), source: err.into() }),
        };
        lock_exclusively(opened.file()).map_err(lock_error)?;
        // Without inode numbers (Windows, with std alone) a replacement cannot be seen;
        // the lock is taken as it is.
        let current = FileIdentity::of_path(path);
        if opened.identity().is_none() || current == opened.identity() {
            return Ok(opened);
        }
    }
    Err(lock_error(io::Error::other("the file kept being replaced while waiting for its lock")))
}

/// Wait for an exclusive advisory lock on the file (`flock`), released when it is closed.
#[cfg(all(unix, not(target_os = "solaris")))]
fn lock_exclusively(file: &std::fs::File) -> io::Result<()> {
    rustix::fs::flock(file, rustix::fs::FlockOperation::LockExclusive).map_err(io::Error::from)
}

/// Not locked where `flock` is missing: concurrent runs may then lose each other's entries.
#[cfg(not(all(unix, not(target_os = "solaris"))))]
fn lock_exclusively(_file: &std::fs::File) -> io::Result<()> {
    Ok(())
}

enum ParseProblem {
    Invalid(String),
    Version(u64),
}

/// Whether the suppression is the baseline's.
pub fn is_baseline_suppression(suppression: &Suppression) -> bool {
    suppression.kind == SuppressionKind::External
        && suppression.justification.as_deref() == Some(BASELINE_JUSTIFICATION)
}

fn is_baselinable(finding: &Finding) -> bool {
    finding.category == Category::Rule && finding.suppression.as_ref().is_none_or(is_baseline_suppression)
}

/// `path` relative to `base` (both made absolute), with `/` separators and `..` where
/// the file lies outside `base`.
pub(super) fn relative_key(path: &Path, base: &Path) -> String {
    let path = normalize(path);
    let base = normalize(base);
    let mut path_parts = path.components().peekable();
    let mut base_parts = base.components().peekable();
    while let (Some(a), Some(b)) = (path_parts.peek(), base_parts.peek()) {
        if a != b {
            break;
        }
        path_parts.next();
        base_parts.next();
    }
    let ups = base_parts.filter(|part| matches!(part, Component::Normal(_))).map(|_| "..".to_owned());
    let rest = path_parts.map(|part| part.as_os_str().to_string_lossy().into_owned());
    ups.chain(rest).collect::<Vec<_>>().join("/")
}

#[cfg(test)]
mod tests {
    use std::path::Path;
    use std::sync::Arc;

    use super::{BASELINE_JUSTIFICATION, Baseline, BaselineError, relative_key};
    use crate::finding::{Category, Finding, Location, Severity, Suppression, SuppressionKind};
    use crate::source::{SourceFile, Span};

    fn finding(file: &str, pointer: &str, message: &str) -> Finding {
        let (source, _) = SourceFile::from_text(file, "a: 1\n");
        let location = Location::new(Arc::new(source), Span::new(0, 1));
        Finding::new("no-body", Category::Rule, Severity::Error, message, location, pointer.to_owned())
    }

    fn parse(text: &str) -> Result<Baseline, String> {
        let dir = tempfile::tempdir().map_err(|err| err.to_string())?;
        let path = dir.path().join("baseline.json");
        std::fs::write(&path, text).map_err(|err| err.to_string())?;
        Baseline::load(&path).map_err(|err| err.to_string())
    }

    #[test]
    fn the_file_is_sorted_one_entry_per_line_and_reads_back() {
        let base = Path::new("/project");
        let findings = [
            finding("/project/b.yaml", "/x", "second file"),
            finding("/project/a.yaml", "/y", "first file, \"quoted\""),
        ];
        let baseline = Baseline::from_findings(base, &findings);
        let text = baseline.to_json();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 7, "{text}");
        assert!(lines.get(3).is_some_and(|line| line.starts_with("    {\"file\":\"a.yaml\",\"rule\":\"no-body\"")));
        assert!(lines.get(4).is_some_and(|line| line.starts_with("    {\"file\":\"b.yaml\"")));
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("baseline.json");
        baseline.save(&path).unwrap();
        assert_eq!(Baseline::load(&path).unwrap().entries(), baseline.entries());
        assert_eq!(Baseline::empty(base).to_json(), "{\n  \"version\": 1,\n  \"findings\": []\n}\n");
        assert!(parse(&Baseline::empty(base).to_json()).unwrap().is_empty());
    }

    #[test]
    fn unreadable_files_are_named() {
        assert!(parse("{\"version\": 2, \"findings\": [], \"more\": 1}").unwrap_err().contains("version 2 baseline"));
        assert!(parse("{\"findings\": []}").unwrap_err().contains("no `version`"));
        assert!(parse("{\"version\": 1, \"findings\": [{\"file\": \"a\"}]}").unwrap_err().contains("missing field"));
        assert!(parse("[").unwrap_err().contains("line 1"));
        let missing = Baseline::load(Path::new("/no/such/baseline.json"));
        assert!(matches!(&missing, Err(error @ BaselineError::Read { .. }) if error.is_not_found()));
    }

    #[test]
    fn matching_counts_and_falls_back_to_the_message() {
        let base = Path::new("/project");
        let accepted = [
            finding("/project/a.yaml", "/paths/~1a/get/parameters/0", "GET /a: twice"),
            finding("/project/a.yaml", "/paths/~1a/get/parameters/0", "GET /a: twice"),
            finding("/project/a.yaml", "/paths/~1b", "GET /b: fixed since"),
            finding("/project/other.yaml", "/x", "not checked this time"),
        ];
        let baseline = Baseline::from_findings(base, &accepted);
        // One of the twins moved to index 1 (a parameter inserted above); a third is new.
        let mut now = vec![
            finding("/project/a.yaml", "/paths/~1a/get/parameters/0", "GET /a: twice"),
            finding("/project/a.yaml", "/paths/~1a/get/parameters/1", "GET /a: twice"),
            finding("/project/a.yaml", "/paths/~1a/get/parameters/2", "GET /a: twice"),
        ];
        let outcome = baseline.apply(&mut now, [Path::new("/project/a.yaml")]);
        assert_eq!(outcome.matched, 2);
        let suppressed: Vec<bool> = now.iter().map(Finding::is_suppressed).collect();
        assert_eq!(suppressed, [true, true, false]);
        let stale: Vec<&str> = outcome.stale.iter().map(|entry| entry.message.as_str()).collect();
        assert_eq!(stale, ["GET /b: fixed since"]);
        let pruned = baseline.without(&outcome.stale);
        assert_eq!(pruned.len(), 3);
        assert!(pruned.entries().iter().all(|entry| entry.message != "GET /b: fixed since"));
    }

    #[test]
    fn regenerating_keeps_other_files_and_skips_other_suppressions() {
        let base = Path::new("/project");
        let old = Baseline::from_findings(
            base,
            &[finding("/project/a.yaml", "/old", "old a"), finding("/project/b.yaml", "/b", "b stays")],
        );
        let mut inline = finding("/project/a.yaml", "/inline", "suppressed in source");
        inline.suppression = Some(Suppression { kind: SuppressionKind::InSource, justification: None });
        let mut baselined = finding("/project/a.yaml", "/kept", "baselined before");
        baselined.suppression = Some(Suppression {
            kind: SuppressionKind::External,
            justification: Some(BASELINE_JUSTIFICATION.to_owned()),
        });
        let new = old.replace_checked(
            &[inline, baselined, finding("/project/a.yaml", "/new", "new a")],
            [Path::new("/project/a.yaml")],
        );
        let messages: Vec<&str> = new.entries().iter().map(|entry| entry.message.as_str()).collect();
        assert_eq!(messages.len(), 3);
        for expected in ["baselined before", "new a", "b stays"] {
            assert!(messages.contains(&expected), "{messages:?}");
        }
    }

    #[test]
    fn file_keys_are_relative_to_the_baseline() {
        assert_eq!(relative_key(Path::new("/p/api/openapi.yaml"), Path::new("/p")), "api/openapi.yaml");
        assert_eq!(relative_key(Path::new("/p/api/../x.yaml"), Path::new("/p/")), "x.yaml");
        assert_eq!(relative_key(Path::new("/q/x.yaml"), Path::new("/p/r")), "../../q/x.yaml");
    }
}
