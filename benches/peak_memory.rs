//! Peak memory of load + resolve + view, relative to the size of the document (target: under
//! 5x). Each document is loaded in a fresh child process (this same binary), which reports
//! its own peak resident set (`VmHWM` in /proc/self/status, Linux), so one document's
//! allocations cannot hide another's.
//!
//! `cargo bench --bench peak_memory` measures the big corpus documents; pass paths after
//! `--` to measure others. Not a criterion benchmark: it measures once, not repeatedly.

use std::path::{Path, PathBuf};
use std::process::Command;

// The allocator the `oaslint` binary uses, so the figures are the product's (with the system
// allocator the same loads peak at 2.8x to 3.8x the file size).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use oaslint::model::{Api, DocumentKind, detect};
use oaslint::resolve::{LoadOptions, Workspace};

/// Set in the child process, which loads the one document it is given.
const CHILD: &str = "OASLINT_PEAK_MEMORY_CHILD";
const TARGET_RATIO: f64 = 5.0;
const DOCUMENTS: [&str; 5] = [
    "large/stripe/spec3.json",
    "large/stripe/spec3.yaml",
    "large/github/api.github.com.json",
    "large/kubernetes/swagger.json",
    "large/openapi-directory/kubernetes.io_unversioned_swagger.yaml",
];

/// A line of /proc/self/status, in kB (`VmHWM:     1234 kB`).
fn status_kb(field: &str) -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|line| line.strip_prefix(field)?.trim().strip_suffix("kB")?.trim().parse().ok())
        .unwrap_or(0)
}

/// In the child: load one document and print `baseline_kb peak_kb operations`.
fn measure_here(path: &Path) {
    let baseline = status_kb("VmRSS:");
    let workspace = Workspace::load(path, &LoadOptions::default());
    let api = match detect(&workspace) {
        DocumentKind::Root(version) => Api::build(&workspace, version),
        _ => None,
    };
    let operations = api.as_ref().map_or(0, |api| api.operations.len());
    let peak = status_kb("VmHWM:");
    // Keep both alive until the peak is read.
    drop((api, workspace));
    println!("{baseline} {peak} {operations}");
}

fn measure_in_child(path: &Path) -> Option<(u64, u64, usize)> {
    let exe = std::env::current_exe().ok()?;
    let output = Command::new(exe).env(CHILD, "1").arg(path).output().ok()?;
    let text = String::from_utf8_lossy(&output.stdout);
    let mut fields = text.split_whitespace().map(|field| field.parse::<u64>().ok());
    Some((fields.next()??, fields.next()??, fields.next()?? as usize))
}

fn main() {
    // `cargo bench` passes flags such as `--bench`; everything else is a document to measure.
    let paths: Vec<PathBuf> =
        std::env::args().skip(1).filter(|arg| !arg.starts_with("--")).map(PathBuf::from).collect();
    if std::env::var_os(CHILD).is_some() {
        paths.iter().for_each(|path| measure_here(path));
        return;
    }
    let paths = if paths.is_empty() {
        let corpus = match std::env::var_os("OASLINT_CORPUS") {
            Some(dir) => PathBuf::from(dir),
            None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus"),
        };
        if !corpus.is_dir() {
            println!("SKIPPED: the shared corpus is absent (expected at {})", corpus.display());
            return;
        }
        DOCUMENTS.iter().map(|relative| corpus.join(relative)).collect()
    } else {
        paths
    };
    println!("peak memory of load + resolve + view (target: under {TARGET_RATIO}x the file size)");
    println!("{:>9} {:>9} {:>9} {:>7} {:>7}  document", "file MB", "peak MB", "+load MB", "peak/x", "+load/x");
    let mut over_target = 0;
    for path in &paths {
        let size = std::fs::metadata(path).map_or(0, |meta| meta.len());
        let Some((baseline_kb, peak_kb, operations)) = measure_in_child(path) else {
            println!("failed to measure {}", path.display());
            over_target += 1;
            continue;
        };
        let mb = |bytes: u64| bytes as f64 / 1_048_576.0;
        let peak = peak_kb * 1024;
        // What loading added to the process (the executable and its runtime are there anyway).
        let added = peak.saturating_sub(baseline_kb * 1024);
        let ratio = peak as f64 / size.max(1) as f64;
        let added_ratio = added as f64 / size.max(1) as f64;
        if ratio >= TARGET_RATIO {
            over_target += 1;
        }
        println!(
            "{:>9.1} {:>9.1} {:>9.1} {ratio:>7.2} {added_ratio:>7.2}  {} ({operations} operations){}",
            mb(size),
            mb(peak),
            mb(added),
            path.display(),
            if ratio >= TARGET_RATIO { "  OVER TARGET" } else { "" }
        );
    }
    if over_target > 0 {
        println!("{over_target} document(s) at or over {TARGET_RATIO}x");
    }
}
