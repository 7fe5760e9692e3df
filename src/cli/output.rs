//! Where each report goes, and how human output looks there.
//!
//! `--format F` (repeatable) names formats; `--output F=FILE` routes format F to a file
//! (and selects F); a bare `--output FILE` routes the single `--format`. Formats not
//! routed go to standard output, at most one of them. With no `--format`, the default
//! (`human`) goes to standard output besides any routed files.

use std::fs::File;
use std::io::{self, BufWriter, IsTerminal, Write};
use std::path::{Path, PathBuf};

use crate::finding::Finding;
use crate::report::{Format, Reporter, RunEnd, RunInfo};

use super::args::{ColorChoice, OutputArgs};
use super::error::CliError;

/// The format used when `--format` is not given. Human everywhere, not only on a terminal:
/// the same command gives the same report in a CI log as at a desk; `--format compact`
/// is one flag away for grep.
pub const DEFAULT_FORMAT: Format = Format::Human;

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
    match (bare.as_slice(), formats.as_slice()) {
        ([], _) => {}
        ([path], [format]) if !sinks.iter().any(|sink| sink.format == *format) => {
            sinks.push(Sink { format: *format, destination: Destination::File((*path).clone()) });
        }
        _ => {
            return Err(CliError::Usage(
                "`--output FILE` without a format needs exactly one `--format` that is not routed elsewhere; \
                 name the format instead: `--output sarif=FILE`"
                    .to_owned(),
            ));
        }
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
    Ok(sinks)
}

/// Every report of a run, open: files created (before linting, so a bad path fails
/// fast), each with its reporter, written to batch by batch as the run streams.
pub struct Reports<'a> {
    opened: Vec<Opened<'a>>,
}

struct Opened<'a> {
    sink: Sink,
    /// The run as this destination sees it: colour and width are decided per destination.
    info: RunInfo<'a>,
    reporter: Box<dyn Reporter>,
    out: Destined,
}

enum Destined {
    Stdout(BufWriter<io::StdoutLock<'static>>),
    /// Standard output's reader went away (`| head`): not a failure of the run; nothing
    /// more is written there.
    Closed,
    File(BufWriter<File>, PathBuf),
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
                    (Destined::Stdout(BufWriter::new(stdout.lock())), info)
                }
                Destination::File(path) => {
                    let info = RunInfo {
                        color: args.color == ColorChoice::Always,
                        width: args.width.map(usize::from),
                        ..info.clone()
                    };
                    (Destined::File(create(path)?, path.clone()), info)
                }
            };
            opened.push(Opened { reporter: sink.format.reporter(), sink, info, out });
        }
        let mut reports = Reports { opened };
        reports.each(|reporter, info, out| reporter.begin(info, out))?;
        Ok(reports)
    }

    /// One batch of findings to every report.
    pub fn findings(&mut self, findings: &[Finding]) -> Result<(), CliError> {
        self.each(|reporter, info, out| reporter.findings(info, findings, out))
    }

    /// The end of the run to every report; files are flushed and closed.
    pub fn end(mut self, end: &RunEnd<'_>) -> Result<(), CliError> {
        self.each(|reporter, info, out| reporter.end(info, end, out))
    }

    /// The formats and destinations, in the order they are written.
    pub fn sinks(&self) -> impl Iterator<Item = &Sink> {
        self.opened.iter().map(|opened| &opened.sink)
    }

    fn each(
        &mut self,
        mut write: impl FnMut(&mut dyn Reporter, &RunInfo<'a>, &mut dyn Write) -> io::Result<()>,
    ) -> Result<(), CliError> {
        for opened in &mut self.opened {
            let reporter = opened.reporter.as_mut();
            match &mut opened.out {
                Destined::File(file, path) => write(reporter, &opened.info, file)
                    .and_then(|()| file.flush())
                    .map_err(|source| CliError::Write { path: path.clone(), source })?,
                Destined::Stdout(stdout) => {
                    // Flushed after every batch: a long run shows its findings as they come.
                    match write(reporter, &opened.info, stdout).and_then(|()| stdout.flush()) {
                        Err(err) if err.kind() == io::ErrorKind::BrokenPipe => opened.out = Destined::Closed,
                        result => result.map_err(CliError::Stdout)?,
                    }
                }
                Destined::Closed => {}
            }
        }
        Ok(())
    }
}

fn create(path: &Path) -> Result<BufWriter<File>, CliError> {
    let fail = |source| CliError::Write { path: path.to_owned(), source };
    if let Some(parent) = path.parent().filter(|parent| !parent.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).map_err(fail)?;
    }
    File::create(path).map(BufWriter::new).map_err(fail)
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
        assert_eq!(plan(&[], &[]), Ok(vec![stdout(Format::Human)]));
        assert_eq!(plan(&[Format::Json], &[]), Ok(vec![stdout(Format::Json)]));
        assert_eq!(
            plan(&[Format::Human, Format::Sarif], &["sarif=out.sarif"]),
            Ok(vec![file(Format::Sarif, "out.sarif"), stdout(Format::Human)])
        );
        assert_eq!(plan(&[], &["sarif=out.sarif"]), Ok(vec![file(Format::Sarif, "out.sarif"), stdout(Format::Human)]));
        assert_eq!(plan(&[Format::Sarif], &["out.sarif"]), Ok(vec![file(Format::Sarif, "out.sarif")]));
        assert!(
            plan(&[Format::Json, Format::Compact], &[]).is_err_and(|err| err.contains("both go to standard output"))
        );
        assert!(plan(&[Format::Json, Format::Sarif], &["out"]).is_err());
        assert!(plan(&[], &["out"]).is_err());
    }
}
