//! Where each report goes, and how human output looks there.
//!
//! `--format F` (repeatable) names formats; `--output F=FILE` routes format F to a file
//! (and selects F); a bare `--output FILE` routes the single `--format`. Formats not
//! routed go to standard output, at most one of them. With no `--format`, the default
//! (`human`) goes to standard output besides any routed files.
//!
//! Reports stream: each format's reporter is given the findings root by root as the run
//! goes ([`Reports`]). A report file is written to a temporary file beside it, and renamed
//! over it only once every report of the run is written: a failed or killed run leaves the previous report
//! whole. A report never replaces a file the run reads ([`check_inputs`]), and two
//! reports never go to one file; both are compared by device and inode, so a symlink or
//! a hardlink is seen through. A destination that exists and is not a regular file
//! (`/dev/null`, `/dev/stdout`, a FIFO) is written in place.

use std::fs::File;
use std::io::{self, BufWriter, IsTerminal, Write};
use std::path::{Path, PathBuf};

use crate::finding::Finding;
use crate::pipeline::ResponseMap;
use crate::report::{Format, Reporter, RunEnd, RunInfo};
use crate::resolve::normalize;
use crate::source::FileIdentity;
use crate::source::write::AtomicFile;

use super::args::{ColorChoice, OutputArgs};
use super::error::CliError;

/// The format used when `--format` is not given. Human everywhere, not only on a terminal:
/// the same command gives the same report in a CI log as at a desk; `--format compact`
/// is one flag away for grep.
pub const DEFAULT_FORMAT: Format = Format::HUMAN;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Destination {
    Stdout,
    File(PathBuf),
}

/// One report to write.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sink {
    pub format: Format,
    pub destination: Destination,
}

/// Work out the reports a command line asks for.
pub fn plan(args: &OutputArgs) -> Result<Vec<Sink>, CliError> {
    let mut formats: Vec<Format> = Vec::new();
    for &format in &args.formats {
        if !formats.contains(&format) {
            formats.push(format);
        }
    }
    let mut sinks = Vec::new();
    let mut bare = Vec::new();
    for target in &args.outputs {
        match target.format {
            Some(format) => sinks.push(Sink { format, destination: Destination::File(target.path.clone()) }),
            None => bare.push(&target.path),
        }
    }
    for path in &bare {
        // `--output FILE` takes the single `--format` given, else the format the file's
        // extension names (`report.sarif`).
        let format = match formats.as_slice() {
            [format] if !sinks.iter().any(|sink| sink.format == *format) => Some(*format),
            [] => Format::by_file_name(&path.to_string_lossy()),
            _ => None,
        };
        let Some(format) = format.filter(|format| !sinks.iter().any(|sink| sink.format == *format)) else {
            return Err(CliError::Usage(format!(
                "`--output {}` names no format: give one `--format` that is not routed elsewhere, a file name \
                 ending in a format's extension (.sarif, .json, .xml, ...), or `--output sarif=FILE`",
                path.display()
            )));
        };
        sinks.push(Sink { format, destination: Destination::File((*path).clone()) });
    }
    let mut to_stdout: Vec<Format> =
        formats.into_iter().filter(|format| !sinks.iter().any(|sink| sink.format == *format)).collect();
    if args.formats.is_empty() {
        to_stdout.push(DEFAULT_FORMAT);
    }
    if let [first, second, ..] = to_stdout.as_slice() {
        return Err(CliError::Usage(format!(
            "`{first}` and `{second}` would both go to standard output; route one to a file with `--output {second}=FILE`"
        )));
    }
    sinks.extend(to_stdout.into_iter().map(|format| Sink { format, destination: Destination::Stdout }));
    refuse_shared_files(&sinks)?;
    Ok(sinks)
}

/// Two reports aimed at one file (by name, or by two names of one file) would leave only
/// the last: refused while planning.
fn refuse_shared_files(sinks: &[Sink]) -> Result<(), CliError> {
    let files: Vec<(Format, &PathBuf, FileKey)> = sinks
        .iter()
        .filter_map(|sink| match &sink.destination {
            Destination::File(path) => Some((sink.format, path, FileKey::of(path))),
            Destination::Stdout => None,
        })
        .collect();
    for (index, (format, path, key)) in files.iter().enumerate() {
        let earlier = files.iter().take(index).find(|(_, _, other)| other.same_file(key));
        if let Some((first_format, first_path, _)) = earlier {
            let same = if first_path == path {
                format!("`{}`", path.display())
            } else {
                format!("`{}` and `{}`, the same file", first_path.display(), path.display())
            };
            return Err(CliError::Usage(format!(
                "the `{first_format}` and `{format}` reports would both be written to {same}; give each report its own file"
            )));
        }
    }
    Ok(())
}

/// What makes two destinations one file: device and inode where the file exists, else its
/// absolute path with the directory's symlinks resolved.
struct FileKey {
    identity: Option<FileIdentity>,
    path: PathBuf,
}

impl FileKey {
    fn of(path: &Path) -> FileKey {
        let path = normalize(path);
        let real = match (path.parent().and_then(|dir| dir.canonicalize().ok()), path.file_name()) {
            (Some(dir), Some(name)) => dir.join(name),
            _ => path.clone(),
        };
        FileKey { identity: FileIdentity::of_path(&path), path: real }
    }

    fn same_file(&self, other: &FileKey) -> bool {
        match (self.identity, other.identity) {
            (Some(a), Some(b)) => a == b,
            _ => self.path == other.path,
        }
    }
}

/// Refuse a report that would replace a file this run reads (`read`: shown name and
/// identity of the specs, every file a `$ref` reached, the configuration, the ruleset and
/// the files it extends, the baseline). Compared by device and inode, so a symlink or a
/// hardlink to an input is refused too. Call it before writing anything.
pub fn check_inputs(sinks: &[Sink], read: &[(String, FileIdentity)]) -> Result<(), CliError> {
    for sink in sinks {
        let Destination::File(path) = &sink.destination else {
            continue;
        };
        // A destination that does not exist yet replaces nothing.
        let Some(identity) = FileIdentity::of_path(path) else {
            continue;
        };
        if let Some((input, _)) = read.iter().find(|(_, read)| *read == identity) {
            return Err(CliError::OutputIsInput { format: sink.format, output: path.clone(), input: input.clone() });
        }
    }
    Ok(())
}

/// Every report of a run, open: temporary files created before linting (so a bad path
/// fails fast), each with its reporter, written to batch by batch as the run streams,
/// and put in place only at the end ([`Reports::end`], then [`Written::commit`]).
pub struct Reports<'a> {
    opened: Vec<Opened<'a>>,
    /// How many more findings may be listed (`--max-problems`), if there is a cap.
    room: Option<usize>,
    /// Findings left out because of the cap.
    omitted: usize,
}

struct Opened<'a> {
    sink: Sink,
    /// The run as this destination sees it: colour and width are decided per destination.
    info: RunInfo<'a>,
    reporter: Box<dyn Reporter>,
    out: Out,
}

enum Out {
    Stdout(BufWriter<io::StdoutLock<'static>>),
    /// Standard output's reader went away (`| head`): not a failure of the run; nothing
    /// more is written there.
    Closed,
    /// A regular file (or none yet): written beside, renamed over it at the end.
    Atomic(BufWriter<AtomicFile>, PathBuf),
    /// A device, FIFO or the like (`/dev/null`, `/dev/stdout`): written in place.
    InPlace(BufWriter<File>, PathBuf),
}

/// Report files written whole, waiting to be put in place.
#[must_use = "the reports are put in place only by `commit`"]
pub struct Written {
    files: Vec<(PathBuf, AtomicFile)>,
}

impl Written {
    /// Rename every report over its destination.
    pub fn commit(self) -> Result<(), CliError> {
        for (path, file) in self.files {
            file.commit().map_err(|source| CliError::Write { path, source })?;
        }
        Ok(())
    }
}

impl<'a> Reports<'a> {
    /// Create every sink's file and write each format's header. A file gets colour only
    /// with `--color always`, and wraps only at `--width`.
    pub fn open(sinks: Vec<Sink>, info: &RunInfo<'a>, args: &OutputArgs) -> Result<Reports<'a>, CliError> {
        let mut opened = Vec::with_capacity(sinks.len());
        for sink in sinks {
            let (out, info) = match &sink.destination {
                Destination::Stdout => {
                    let stdout = io::stdout();
                    let terminal = stdout.is_terminal();
                    let info = RunInfo {
                        color: use_color(args.color, terminal),
                        width: width(args.width, terminal),
                        ..info.clone()
                    };
                    (Out::Stdout(BufWriter::new(stdout.lock())), info)
                }
                Destination::File(path) => {
                    let info = RunInfo {
                        color: args.color == ColorChoice::Always,
                        width: args.width.map(usize::from),
                        ..info.clone()
                    };
                    (create(path)?, info)
                }
            };
            opened.push(Opened { reporter: sink.format.reporter(), sink, info, out });
        }
        let mut reports = Reports { opened, room: args.max_problems, omitted: 0 };
        reports.each(|reporter, info, out| reporter.begin(info, out))?;
        Ok(reports)
    }

    /// A root document's response map, before its findings, to the reports that draw it.
    pub fn document(&mut self, map: &ResponseMap) -> Result<(), CliError> {
        self.each(
            |reporter, info, out| {
                if reporter.wants_response_maps() { reporter.document(info, map, out) } else { Ok(()) }
            },
        )
    }

    /// One batch of findings to every report: under `--max-problems`, only as many as
    /// there is room for (counting those the reports list; a suppressed finding that only
    /// SARIF carries goes with the listed ones before it).
    pub fn findings(&mut self, findings: &[Finding]) -> Result<(), CliError> {
        let mut given = findings;
        if let (Some(room), Some(info)) = (self.room, self.opened.first().map(|opened| &opened.info)) {
            let mut listed = 0;
            let mut end = 0;
            for finding in findings {
                if info.shows(finding) {
                    if listed == room {
                        break;
                    }
                    listed += 1;
                }
                end += 1;
            }
            self.omitted += findings.iter().skip(end).filter(|finding| info.shows(finding)).count();
            self.room = Some(room - listed);
            given = findings.get(..end).unwrap_or(findings);
        }
        self.each(|reporter, info, out| reporter.findings(info, given, out))
    }

    /// Findings left out so far because of `--max-problems`.
    pub fn omitted(&self) -> usize {
        self.omitted
    }

    /// The end of the run to every report. The report files are complete, not yet in
    /// place: check them against the run's inputs ([`check_inputs`]), then commit.
    pub fn end(mut self, end: &RunEnd<'_>) -> Result<Written, CliError> {
        self.each(|reporter, info, out| reporter.end(info, end, out))?;
        let mut files = Vec::new();
        for opened in self.opened {
            if let Out::Atomic(file, path) = opened.out {
                let file = file
                    .into_inner()
                    .map_err(|err| CliError::Write { path: path.clone(), source: err.into_error() })?;
                files.push((path, file));
            }
        }
        Ok(Written { files })
    }

    /// The formats and where they go, in the order they are written.
    pub fn sinks(&self) -> Vec<Sink> {
        self.opened.iter().map(|opened| opened.sink.clone()).collect()
    }

    fn each(
        &mut self,
        mut write: impl FnMut(&mut dyn Reporter, &RunInfo<'a>, &mut dyn Write) -> io::Result<()>,
    ) -> Result<(), CliError> {
        for opened in &mut self.opened {
            let reporter = opened.reporter.as_mut();
            match &mut opened.out {
                Out::Atomic(file, path) => write(reporter, &opened.info, file)
                    .and_then(|()| file.flush())
                    .map_err(|source| CliError::Write { path: path.clone(), source })?,
                Out::InPlace(file, path) => write(reporter, &opened.info, file)
                    .and_then(|()| file.flush())
                    .map_err(|source| CliError::Write { path: path.clone(), source })?,
                Out::Stdout(stdout) => {
                    // Flushed after every batch: a long run shows its findings as they come.
                    match write(reporter, &opened.info, stdout).and_then(|()| stdout.flush()) {
                        Err(err) if err.kind() == io::ErrorKind::BrokenPipe => opened.out = Out::Closed,
                        result => result.map_err(CliError::Stdout)?,
                    }
                }
                Out::Closed => {}
            }
        }
        Ok(())
    }
}

fn create(path: &Path) -> Result<Out, CliError> {
    let fail = |source| CliError::Write { path: path.to_owned(), source };
    if let Some(parent) = path.parent().filter(|parent| !parent.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).map_err(fail)?;
    }
    match std::fs::metadata(path) {
        Ok(metadata) if metadata.is_dir() => return Err(fail(io::Error::from(io::ErrorKind::IsADirectory))),
        Ok(metadata) if !metadata.is_file() => {
            let file = File::create(path).map_err(fail)?;
            return Ok(Out::InPlace(BufWriter::new(file), path.to_owned()));
        }
        _ => {}
    }
    // Through a symlink, the file it points to is replaced and the link kept.
    let real = path.canonicalize().unwrap_or_else(|_| path.to_owned());
    AtomicFile::create(&real).map(|file| Out::Atomic(BufWriter::new(file), path.to_owned())).map_err(fail)
}

/// `auto`: on for a terminal, unless `NO_COLOR` is set (to anything but "") or the
/// terminal is dumb. `--color always` wins over `NO_COLOR`, as no-color.org asks.
fn use_color(choice: ColorChoice, terminal: bool) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            let no_color = std::env::var_os("NO_COLOR").is_some_and(|value| !value.is_empty());
            let dumb = std::env::var_os("TERM").is_some_and(|term| term == "dumb");
            terminal && !no_color && !dumb
        }
    }
}

/// `--width`, else `$COLUMNS`, else the terminal's width, else no wrapping.
fn width(flag: Option<u16>, terminal: bool) -> Option<usize> {
    if let Some(width) = flag {
        return Some(usize::from(width));
    }
    let columns = std::env::var("COLUMNS").ok().and_then(|columns| columns.trim().parse::<usize>().ok());
    if let Some(columns) = columns.filter(|&columns| columns >= 20) {
        return Some(columns);
    }
    if terminal {
        return terminal_size::terminal_size_of(io::stdout())
            .map(|(terminal_size::Width(width), _)| usize::from(width));
    }
    None
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::{Destination, Sink, plan};
    use crate::cli::args::{ColorChoice, OutputArgs, OutputTarget};
    use crate::report::Format;

    fn args(formats: &[Format], outputs: &[&str]) -> OutputArgs {
        OutputArgs {
            formats: formats.to_vec(),
            outputs: outputs
                .iter()
                .map(|text| text.parse::<OutputTarget>().unwrap_or_else(|err| panic!("{err}")))
                .collect(),
            color: ColorChoice::Never,
            width: None,
            quiet: false,
            max_problems: None,
        }
    }

    fn file(format: Format, path: &str) -> Sink {
        Sink { format, destination: Destination::File(PathBuf::from(path)) }
    }

    fn stdout(format: Format) -> Sink {
        Sink { format, destination: Destination::Stdout }
    }

    #[test]
    fn routes_formats_to_files_and_the_rest_to_stdout() {
        let plan = |formats: &[Format], outputs: &[&str]| plan(&args(formats, outputs)).map_err(|err| err.to_string());
        assert_eq!(plan(&[], &[]), Ok(vec![stdout(Format::HUMAN)]));
        assert_eq!(plan(&[Format::JSON], &[]), Ok(vec![stdout(Format::JSON)]));
        assert_eq!(
            plan(&[Format::HUMAN, Format::SARIF], &["sarif=out.sarif"]),
            Ok(vec![file(Format::SARIF, "out.sarif"), stdout(Format::HUMAN)])
        );
        assert_eq!(plan(&[], &["sarif=out.sarif"]), Ok(vec![file(Format::SARIF, "out.sarif"), stdout(Format::HUMAN)]));
        assert_eq!(plan(&[Format::SARIF], &["out.sarif"]), Ok(vec![file(Format::SARIF, "out.sarif")]));
        assert!(
            plan(&[Format::JSON, Format::COMPACT], &[]).is_err_and(|err| err.contains("both go to standard output"))
        );
        assert!(plan(&[Format::JSON, Format::SARIF], &["out"]).is_err());
        assert!(plan(&[], &["out"]).is_err());
        // A bare file name picks its format by its extension, beside human on stdout.
        assert_eq!(
            plan(&[], &["out.sarif", "gl.codequality.json"]),
            Ok(vec![
                file(Format::SARIF, "out.sarif"),
                file(Format::GITLAB, "gl.codequality.json"),
                stdout(Format::HUMAN)
            ])
        );
        assert!(plan(&[], &["a.sarif", "b.sarif"]).is_err());
    }
}
