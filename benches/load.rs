//! Load + resolve + view on the big specs of the shared corpus (`../shared/corpus/large/`)
//! and DigitalOcean's multi-file spec. Each iteration does what `oaslint` does before its
//! rules run: read the file(s), parse into the span tree, resolve every `$ref`, detect the
//! version and build the API view.
//!
//! `cargo bench --bench load` (or `scripts/bench.sh`, which also compares the medians with
//! the targets and measures peak memory). Skipped, with a message, when the corpus is absent.

use std::path::{Path, PathBuf};
use std::time::Duration;

use criterion::{BenchmarkId, Criterion, SamplingMode, Throughput, criterion_group, criterion_main};
use oaslint::checks::lint;
use oaslint::checks::ruleset::Ruleset;
use oaslint::model::{Api, DocumentKind, detect};
use oaslint::resolve::{LoadOptions, Workspace};

// The allocator the `oaslint` binary uses, so the figures are the product's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// (benchmark name, root document under the corpus, target median in milliseconds, if any).
const DOCUMENTS: [(&str, &str, Option<u64>); 7] = [
    ("stripe-json", "large/stripe/spec3.json", Some(20)),
    ("stripe-yaml", "large/stripe/spec3.yaml", Some(100)),
    ("github-json", "large/github/api.github.com.json", Some(60)),
    ("kubernetes-json", "large/kubernetes/swagger.json", None),
    ("kubernetes-yaml", "large/openapi-directory/kubernetes.io_unversioned_swagger.yaml", None),
    // Holds C1 control characters: the YAML reader's stand-in path (src/source/c1_control.rs).
    ("docusign-yaml", "large/openapi-directory/docusign.net_v2.1_openapi.yaml", None),
    ("digitalocean-multifile", "ugly/multifile/digitalocean/specification/DigitalOcean-public.v2.yaml", None),
];

fn corpus_dir() -> Option<PathBuf> {
    let dir = match std::env::var_os("OASLINT_CORPUS") {
        Some(dir) => PathBuf::from(dir),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus"),
    };
    dir.is_dir().then_some(dir)
}

/// Everything up to the rules; returns the operation count so the work cannot be optimised away.
fn load_resolve_view(path: &Path, options: &LoadOptions) -> usize {
    let workspace = Workspace::load(path, options);
    let api = match detect(&workspace) {
        DocumentKind::Root(version) => Api::build(&workspace, version),
        _ => None,
    };
    api.map_or(0, |api| api.operations.len())
}

fn bench_load(c: &mut Criterion) {
    let Some(corpus) = corpus_dir() else {
        println!("SKIPPED: the shared corpus is absent (expected at ../shared/corpus, or set OASLINT_CORPUS)");
        return;
    };
    let options = LoadOptions::default();
    let mut group = c.benchmark_group("load");
    // The big specs take tens of milliseconds: flat sampling (the same number of iterations in
    // every sample) gets 20 samples in a few seconds each, a minute or two for the whole run.
    group
        .sampling_mode(SamplingMode::Flat)
        .sample_size(20)
        .warm_up_time(Duration::from_secs(2))
        .measurement_time(Duration::from_secs(10));
    for (name, relative, target) in DOCUMENTS {
        let path = corpus.join(relative);
        let Ok(metadata) = std::fs::metadata(&path) else {
            println!("SKIPPED {name}: {} not found", path.display());
            continue;
        };
        // A failed load would make a fast, meaningless benchmark.
        let operations = load_resolve_view(&path, &options);
        assert!(operations > 0, "{relative}: no operations; did it load?");
        let target = target.map_or(String::new(), |ms| format!(", target < {ms} ms"));
        println!("{name}: {relative} ({} bytes of root, {operations} operations{target})", metadata.len());
        group.throughput(Throughput::Bytes(metadata.len()));
        group.bench_with_input(BenchmarkId::from_parameter(name), &path, |bencher, path| {
            bencher.iter(|| load_resolve_view(path, &options));
        });
    }
    group.finish();
    write_targets(&corpus);
}

/// For `scripts/bench.sh`, which compares criterion's medians with the targets:
/// `name<TAB>target ms` under criterion's output folder.
fn write_targets(corpus: &Path) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/criterion/load");
    let lines: String = DOCUMENTS
        .iter()
        .filter(|(_, relative, _)| corpus.join(relative).is_file())
        .map(|(name, _, target)| format!("{name}\t{}\n", target.map_or("-".to_owned(), |ms| ms.to_string())))
        .collect();
    if std::fs::create_dir_all(&dir).and_then(|()| std::fs::write(dir.join("targets.tsv"), lines)).is_err() {
        println!("could not write {}/targets.tsv", dir.display());
    }
}

/// Issue 3's budget: running the rules (API view and every check of `recommended`) on an
/// already loaded spec costs at most 1.5x loading it. `rules/<name>` beside `load/<name>`.
fn bench_rules(c: &mut Criterion) {
    let Some(corpus) = corpus_dir() else {
        println!("SKIPPED: the shared corpus is absent (expected at ../shared/corpus, or set OASLINT_CORPUS)");
        return;
    };
    let Ok(ruleset) = Ruleset::builtin("recommended") else { return };
    let options = LoadOptions::default();
    let mut group = c.benchmark_group("rules");
    group
        .sampling_mode(SamplingMode::Flat)
        .sample_size(20)
        .warm_up_time(Duration::from_secs(2))
        .measurement_time(Duration::from_secs(5));
    for (name, relative, _) in DOCUMENTS.iter().take(3) {
        let path = corpus.join(relative);
        if !path.is_file() {
            println!("SKIPPED {name}: {} not found", path.display());
            continue;
        }
        let workspace = Workspace::load(&path, &options);
        // A rough ratio for the log, from a few timed runs outside criterion.
        let time = |run: &dyn Fn()| {
            let start = std::time::Instant::now();
            for _ in 0..5 {
                run();
            }
            start.elapsed()
        };
        let loading = time(&|| {
            load_resolve_view(&path, &options);
        });
        let rules = time(&|| {
            lint(&workspace, &ruleset);
        });
        println!(
            "{name}: rules take {:.2}x the load (budget 1.5x)",
            rules.as_secs_f64() / loading.as_secs_f64().max(f64::EPSILON)
        );
        group.bench_function(BenchmarkId::from_parameter(name), |bencher| {
            bencher.iter(|| lint(&workspace, &ruleset).len());
        });
    }
    group.finish();
}

criterion_group!(benches, bench_load, bench_rules);
criterion_main!(benches);
