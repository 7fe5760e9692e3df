//! The language server on a large spec, as an editor drives it: Stripe's `spec3.yaml`
//! (from the shared corpus, or a path given after `--`) is opened as an unsaved buffer
//! (never written anywhere), then edited 1,000 times, one keystroke-sized change at a
//! time, each waiting for its diagnostics.
//!
//! - Latency: from sending `didChange` to receiving the diagnostics for that version
//!   (debounce included), median, 90th percentile and worst. Target: within 300 ms.
//! - Memory: the server's resident set (`VmRSS`, Linux) every 100 edits; after the first
//!   edits have warmed it up it must not grow.
//!
//! `cargo bench --bench lsp` (optimised build of the binary); `-- --edits N` for fewer
//! edits. Not a criterion benchmark: each edit is measured once. Prints the figures and
//! exits non-zero when a target is missed.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::PathBuf;
use std::process::{ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

const LATENCY_TARGET: Duration = Duration::from_millis(300);
/// The resident set may move by this much between the warm-up and the end.
const GROWTH_ALLOWED: f64 = 0.10;

fn main() {
    let mut args = std::env::args().skip(1).filter(|arg| arg != "--bench");
    let mut edits = 1000usize;
    let mut spec = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/large/stripe/spec3.yaml");
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--edits" => edits = args.next().and_then(|count| count.parse().ok()).unwrap_or(edits),
            path => spec = PathBuf::from(path),
        }
    }
    let Ok(text) = std::fs::read_to_string(&spec) else {
        println!("lsp bench: skipped: {} is absent", spec.display());
        return;
    };
    let scratch = tempfile::tempdir().expect("a temporary directory");
    // The buffer's path: in an empty project, so no configuration but the defaults applies.
    let path = scratch.path().join("spec3.yaml");
    let uri = format!("file://{}", path.display());

    let mut child = Command::new(env!("CARGO_BIN_EXE_oaslint"))
        .args(["lsp", "--no-config"])
        .current_dir(scratch.path())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("oaslint lsp starts");
    let pid = child.id();
    let mut stdin = child.stdin.take().expect("stdin");
    let messages = read_messages(child.stdout.take().expect("stdout"));
    let folder = format!("file://{}", scratch.path().display());
    send(
        &mut stdin,
        &json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
            "processId": null, "rootUri": folder, "capabilities": {}
        }}),
    );
    wait_for(&messages, |message| message["id"] == 1);
    send(&mut stdin, &json!({"jsonrpc": "2.0", "method": "initialized", "params": {}}));

    let started = Instant::now();
    send(
        &mut stdin,
        &json!({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {
            "textDocument": {"uri": uri, "languageId": "yaml", "version": 1, "text": text}
        }}),
    );
    let first = wait_for(&messages, |message| is_diagnostics(message, &uri, 1));
    let count = first["params"]["diagnostics"].as_array().map_or(0, Vec::len);
    println!(
        "lsp bench: {} ({:.1} MB): first diagnostics ({count}) {} ms after opening",
        spec.display(),
        text.len() as f64 / 1e6,
        started.elapsed().as_millis()
    );

    // Each edit types or deletes one character at the end of the `info.description` line
    // (line 3 of Stripe's spec; the first line otherwise), as typing would.
    let line = text.lines().position(|line| line.trim_start().starts_with("description:")).unwrap_or(0);
    let end = text.lines().nth(line).map_or(0, |line| line.encode_utf16().count());
    let mut latencies = Vec::with_capacity(edits);
    let mut memory: Vec<(usize, u64)> = vec![(0, rss_kb(pid))];
    for edit in 1..=edits {
        let version = edit as i64 + 1;
        let change = if edit % 2 == 1 {
            json!({"range": {"start": {"line": line, "character": end}, "end": {"line": line, "character": end}}, "text": "x"})
        } else {
            json!({"range": {"start": {"line": line, "character": end}, "end": {"line": line, "character": end + 1}}, "text": ""})
        };
        let sent = Instant::now();
        send(
            &mut stdin,
            &json!({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {
                "textDocument": {"uri": uri, "version": version}, "contentChanges": [change]
            }}),
        );
        let published = wait_for(&messages, |message| is_diagnostics(message, &uri, version));
        latencies.push(sent.elapsed());
        let now = published["params"]["diagnostics"].as_array().map_or(0, Vec::len);
        assert_eq!(now, count, "edit {edit} changed the diagnostics");
        if edit % 100 == 0 {
            memory.push((edit, rss_kb(pid)));
        }
    }
    send(&mut stdin, &json!({"jsonrpc": "2.0", "id": 2, "method": "shutdown", "params": null}));
    wait_for(&messages, |message| message["id"] == 2);
    send(&mut stdin, &json!({"jsonrpc": "2.0", "method": "exit", "params": null}));
    let _ = child.wait();

    latencies.sort();
    let percentile = |p: usize| latencies.get((latencies.len() * p / 100).min(latencies.len().saturating_sub(1)));
    let ms = |duration: Option<&Duration>| duration.map_or(0.0, |duration| duration.as_secs_f64() * 1000.0);
    let (median, p90, worst) = (ms(percentile(50)), ms(percentile(90)), ms(latencies.last()));
    println!(
        "lsp bench: {edits} edits, diagnostics after each: median {median:.0} ms, p90 {p90:.0} ms, worst {worst:.0} ms"
    );
    let figures: Vec<String> = memory.iter().map(|(edit, kb)| format!("{edit}: {} MB", kb / 1024)).collect();
    println!("lsp bench: resident set after N edits: {}", figures.join(", "));

    let mut failed = false;
    if median > LATENCY_TARGET.as_secs_f64() * 1000.0 {
        println!("lsp bench: FAILED: the median latency is above {} ms", LATENCY_TARGET.as_millis());
        failed = true;
    }
    // Warm after the first 100 edits; from there on, no growth.
    let warm = memory.iter().find(|(edit, _)| *edit >= 100).map(|(_, kb)| *kb);
    let last = memory.last().map(|(_, kb)| *kb);
    if let (Some(warm), Some(last)) = (warm, last) {
        if last as f64 > warm as f64 * (1.0 + GROWTH_ALLOWED) {
            println!("lsp bench: FAILED: the resident set grew from {} MB to {} MB", warm / 1024, last / 1024);
            failed = true;
        }
    }
    if failed {
        std::process::exit(1);
    }
}

fn is_diagnostics(message: &Value, uri: &str, version: i64) -> bool {
    message["method"] == "textDocument/publishDiagnostics"
        && message["params"]["uri"] == uri
        && message["params"]["version"] == version
}

fn send(stdin: &mut ChildStdin, message: &Value) {
    let body = message.to_string();
    write!(stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).expect("the server reads");
    stdin.flush().expect("the server reads");
}

fn wait_for(messages: &Receiver<Value>, wanted: impl Fn(&Value) -> bool) -> Value {
    loop {
        let message = messages.recv_timeout(Duration::from_secs(120)).expect("the server answers within 2 minutes");
        if wanted(&message) {
            return message;
        }
    }
}

fn read_messages(stdout: std::process::ChildStdout) -> Receiver<Value> {
    let (sender, receiver) = channel();
    std::thread::spawn(move || {
        let mut reader = BufReader::new(stdout);
        loop {
            let mut length = 0;
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 {
                    return;
                }
                let line = line.trim_end();
                if line.is_empty() {
                    break;
                }
                if let Some(value) = line.strip_prefix("Content-Length: ") {
                    length = value.parse().unwrap_or(0);
                }
            }
            let mut body = vec![0; length];
            if reader.read_exact(&mut body).is_err() {
                return;
            }
            let Ok(message) = serde_json::from_slice::<Value>(&body) else { return };
            if sender.send(message).is_err() {
                return;
            }
        }
    });
    receiver
}

/// The resident set of a process, in kB (0 where /proc does not tell).
fn rss_kb(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmRSS:")?.trim().strip_suffix("kB")?.trim().parse().ok())
        .unwrap_or(0)
}
