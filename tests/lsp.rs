//! `oaslint lsp` as an editor sees it: JSON-RPC over the built binary's standard input and
//! output. Open a bad spec, get its diagnostics, fix it by an edit, see them cleared; ask
//! for a code action at a diagnostic, apply its edit, see the finding gone; fragments,
//! hover, position encodings with non-ASCII text, and configuration reloads.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

const TIMEOUT: Duration = Duration::from_secs(30);

/// A running `oaslint lsp` and the messages it sent.
struct Client {
    child: Child,
    stdin: ChildStdin,
    messages: Receiver<Value>,
    /// Messages read but not yet asked for.
    pending: Vec<Value>,
    next_id: i64,
}

impl Client {
    fn start(dir: &Path, position_encodings: &[&str]) -> (Client, Value) {
        let mut child = Command::new(assert_cmd::cargo::cargo_bin!("oaslint"))
            .arg("lsp")
            .current_dir(dir)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap();
        let stdin = child.stdin.take().unwrap();
        let stdout = child.stdout.take().unwrap();
        let (sender, messages) = channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            loop {
                let mut length = None;
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
                        length = value.parse::<usize>().ok();
                    }
                }
                let mut body = vec![0; length.unwrap()];
                reader.read_exact(&mut body).unwrap();
                if sender.send(serde_json::from_slice::<Value>(&body).unwrap()).is_err() {
                    return;
                }
            }
        });
        let mut client = Client { child, stdin, messages, pending: Vec::new(), next_id: 0 };
        let folder = Url::from_path(dir);
        let result = client.request(
            "initialize",
            json!({
                "processId": null,
                "rootUri": folder,
                "workspaceFolders": [{"uri": folder, "name": "project"}],
                "capabilities": {
                    "general": {"positionEncodings": position_encodings},
                    "workspace": {"didChangeWatchedFiles": {"dynamicRegistration": true}},
                    "textDocument": {"publishDiagnostics": {"relatedInformation": true, "codeDescriptionSupport": true}}
                }
            }),
        );
        client.notify("initialized", json!({}));
        (client, result)
    }

    fn send(&mut self, message: &Value) {
        let body = message.to_string();
        write!(self.stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
        self.stdin.flush().unwrap();
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(&json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    fn request(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        self.send(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        let response = self.wait(|message| message["id"] == json!(id) && message.get("method").is_none());
        assert!(response.get("error").is_none(), "{method}: {response}");
        response["result"].clone()
    }

    /// The first message (read now or before) that `wanted` accepts; the server's own
    /// requests are answered on the way.
    fn wait(&mut self, wanted: impl Fn(&Value) -> bool) -> Value {
        if let Some(at) = self.pending.iter().position(&wanted) {
            return self.pending.remove(at);
        }
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let message = match self.messages.recv_timeout(left) {
                Ok(message) => message,
                Err(RecvTimeoutError::Timeout) => panic!("no such message within {TIMEOUT:?}; got {:#?}", self.pending),
                Err(RecvTimeoutError::Disconnected) => panic!("the server exited; got {:#?}", self.pending),
            };
            if message.get("method").is_some() && message.get("id").is_some() {
                // client/registerCapability: accept.
                let id = message["id"].clone();
                self.send(&json!({"jsonrpc": "2.0", "id": id, "result": null}));
                self.pending.push(message);
                continue;
            }
            if wanted(&message) {
                return message;
            }
            self.pending.push(message);
        }
    }

    /// The next diagnostics published for `uri` (earlier ones are dropped).
    fn diagnostics(&mut self, uri: &str) -> Vec<Value> {
        let message = self
            .wait(|message| message["method"] == "textDocument/publishDiagnostics" && message["params"]["uri"] == uri);
        message["params"]["diagnostics"].as_array().cloned().unwrap_or_default()
    }

    fn open(&mut self, uri: &str, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": "yaml", "version": 1, "text": text}}),
        );
    }

    fn change(&mut self, uri: &str, version: i64, text: &str) {
        self.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": [{"text": text}]}),
        );
    }

    fn shutdown(mut self) {
        self.request("shutdown", Value::Null);
        self.notify("exit", Value::Null);
        let started = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                assert!(status.success(), "exit status {status}");
                return;
            }
            assert!(started.elapsed() < TIMEOUT, "the server did not exit");
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

struct Url;

impl Url {
    fn from_path(path: &Path) -> String {
        format!("file://{}", path.display())
    }
}

/// A spec whose DELETE answers 204 with a body; the line holds non-ASCII text before the
/// offending key, so UTF-8 and UTF-16 columns differ.
const BAD: &str = "openapi: 3.1.0
info: {title: Pets, version: '1'}
paths:
  /größe/{id}:
    delete:
      responses:
        '204': {description: 'Gelöscht 😀', content: {application/json: {schema: {type: object}}}}
        '404': {description: Nicht gefunden}
";

const GOOD: &str = "openapi: 3.1.0
info: {title: Pets, version: '1'}
paths:
  /größe/{id}:
    delete:
      responses:
        '204': {description: 'Gelöscht 😀'}
        '404': {description: Nicht gefunden}
";

/// A project: `.oaslint.yaml` with every check off but `no-body`.
fn project() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let base = dir.path().canonicalize().unwrap();
    std::fs::write(base.join(".oaslint.yaml"), config_with_no_body("error")).unwrap();
    (dir, base)
}

fn config_with_no_body(level: &str) -> String {
    let mut config = format!("rules:\n  no-body: {level}\n");
    for id in oaslint::checks::ruleset::CHECK_IDS.iter().filter(|id| **id != "no-body") {
        config.push_str(&format!("  {id}: off\n"));
    }
    config
}

/// Apply LSP text edits (UTF-16 positions) to a text.
fn apply_edits(text: &str, edits: &[Value]) -> String {
    let offset = |position: &Value| -> usize {
        let line = position["line"].as_u64().unwrap() as usize;
        let character = position["character"].as_u64().unwrap() as usize;
        let start: usize = text.split_inclusive('\n').take(line).map(str::len).sum();
        let mut units = 0;
        for (at, c) in text[start..].char_indices() {
            if units >= character || c == '\n' {
                return start + at;
            }
            units += c.len_utf16();
        }
        text.len()
    };
    let mut edits: Vec<(usize, usize, String)> = edits
        .iter()
        .map(|edit| {
            (
                offset(&edit["range"]["start"]),
                offset(&edit["range"]["end"]),
                edit["newText"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    edits.sort_by_key(|edit| std::cmp::Reverse(edit.0));
    let mut out = text.to_owned();
    for (start, end, new_text) in edits {
        out.replace_range(start..end, &new_text);
    }
    out
}

#[test]
fn diagnostics_appear_clear_and_a_code_action_removes_the_finding() {
    let (_dir, base) = project();
    let spec = base.join("openapi.yaml");
    std::fs::write(&spec, GOOD).unwrap();
    let uri = Url::from_path(&spec);
    let (mut client, initialized) = Client::start(&base, &["utf-16"]);
    assert_eq!(initialized["capabilities"]["positionEncoding"], "utf-16");
    assert_eq!(initialized["serverInfo"]["name"], "oaslint");

    // The editor's text, not the file's (which is clean), is linted.
    client.open(&uri, BAD);
    let diagnostics = client.diagnostics(&uri);
    assert_eq!(diagnostics.len(), 1, "{diagnostics:#?}");
    let diagnostic = &diagnostics[0];
    assert_eq!(diagnostic["code"], "no-body");
    assert_eq!(diagnostic["severity"], 1);
    assert_eq!(diagnostic["source"], "oaslint");
    assert!(diagnostic["codeDescription"]["href"].as_str().unwrap().ends_with("docs/rules/no-body.md"));
    // `content` on line 7 (0-based 6), after `'Gelöscht 😀'`: UTF-16 units, not bytes.
    let line = BAD.lines().nth(6).unwrap();
    let column_utf16: usize = line[..line.find("content").unwrap()].chars().map(char::len_utf16).sum();
    assert_eq!(diagnostic["range"]["start"], json!({"line": 6, "character": column_utf16}));

    // An edit that fixes it clears the diagnostics.
    client.change(&uri, 2, GOOD);
    assert_eq!(client.diagnostics(&uri), Vec::<Value>::new());

    // Broken again, then fixed through a code action at the diagnostic.
    client.change(&uri, 3, BAD);
    let diagnostics = client.diagnostics(&uri);
    assert_eq!(diagnostics.len(), 1);
    // Hover on the finding: its rule's page, as `oaslint explain` prints it.
    let hover = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": diagnostics[0]["range"]["start"]}),
    );
    let text = hover["contents"]["value"].as_str().unwrap();
    assert!(text.contains("no-body") && text.contains("## What it does"), "{text}");
    let actions = client.request(
        "textDocument/codeAction",
        json!({
            "textDocument": {"uri": uri},
            "range": diagnostics[0]["range"],
            "context": {"diagnostics": diagnostics}
        }),
    );
    let actions = actions.as_array().unwrap();
    assert!(!actions.is_empty(), "no code action");
    // The preferred one (a fix) where there is one, else the ignore.
    let action = actions
        .iter()
        .find(|action| action["isPreferred"] == true)
        .or_else(|| actions.iter().find(|action| action["title"].as_str().unwrap().starts_with("Ignore no-body here")))
        .unwrap();
    assert_eq!(action["kind"], "quickfix");
    let edits = action["edit"]["changes"][&uri].as_array().unwrap();
    let fixed = apply_edits(BAD, edits);
    assert_ne!(fixed, BAD);
    client.change(&uri, 4, &fixed);
    assert_eq!(client.diagnostics(&uri), Vec::<Value>::new(), "after applying `{}`:\n{fixed}", action["title"]);

    // Hover on the status code: the ruleset's row.
    let line = fixed.lines().position(|line| line.contains("'204'")).unwrap();
    let character = fixed.lines().nth(line).unwrap().find("204").unwrap();
    let hover = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": {"line": line, "character": character}}),
    );
    let text = hover["contents"]["value"].as_str().unwrap();
    assert!(text.contains("204 No Content") && text.contains("- body: none"), "{text}");

    // Fix all: through the fix engine, as `source.fixAll.oaslint` (on save, say).
    client.change(&uri, 5, BAD);
    assert_eq!(client.diagnostics(&uri).len(), 1);
    let actions = client.request(
        "textDocument/codeAction",
        json!({
            "textDocument": {"uri": uri},
            "range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}},
            "context": {"diagnostics": [], "only": ["source.fixAll"]}
        }),
    );
    let actions = actions.as_array().unwrap();
    assert_eq!(actions.len(), 1, "{actions:#?}");
    assert_eq!(actions[0]["kind"], "source.fixAll.oaslint");
    let fixed = apply_edits(BAD, actions[0]["edit"]["changes"][&uri].as_array().unwrap());
    assert!(!fixed.contains("content"), "{fixed}");
    client.change(&uri, 6, &fixed);
    assert_eq!(client.diagnostics(&uri), Vec::<Value>::new(), "after fixing all:\n{fixed}");

    // Closing clears the diagnostics; the file on disk was never written.
    client.notify("textDocument/didClose", json!({"textDocument": {"uri": uri}}));
    assert_eq!(client.diagnostics(&uri), Vec::<Value>::new());
    assert_eq!(std::fs::read_to_string(&spec).unwrap(), GOOD);
    client.shutdown();
}

#[test]
fn utf8_positions_when_the_client_offers_them() {
    let (_dir, base) = project();
    let spec = base.join("openapi.yaml");
    std::fs::write(&spec, BAD).unwrap();
    let uri = Url::from_path(&spec);
    let (mut client, initialized) = Client::start(&base, &["utf-8", "utf-16"]);
    assert_eq!(initialized["capabilities"]["positionEncoding"], "utf-8");
    client.open(&uri, BAD);
    let diagnostics = client.diagnostics(&uri);
    let line = BAD.lines().nth(6).unwrap();
    let column_bytes = line.find("content").unwrap();
    assert_eq!(diagnostics[0]["range"]["start"], json!({"line": 6, "character": column_bytes}));
    client.shutdown();
}

#[test]
fn an_unsaved_fragment_is_linted_through_its_root_with_the_ref_chain_related() {
    let (_dir, base) = project();
    let root = "openapi: 3.1.0
info: {title: Pets, version: '1'}
paths:
  /pets/{id}:
    delete:
      responses:
        '204':
          $ref: 'responses.yaml#/Deleted'
";
    std::fs::write(base.join("openapi.yaml"), root).unwrap();
    std::fs::write(base.join("responses.yaml"), "Deleted:\n  description: Deleted\n").unwrap();
    let fragment = Url::from_path(&base.join("responses.yaml"));
    let (mut client, _) = Client::start(&base, &["utf-16"]);
    let bad = "Deleted:\n  description: Deleted\n  content: {application/json: {}}\n";
    client.open(&fragment, bad);
    let diagnostics = client.diagnostics(&fragment);
    assert_eq!(diagnostics.len(), 1, "{diagnostics:#?}");
    assert_eq!(diagnostics[0]["range"]["start"], json!({"line": 2, "character": 2}));
    let related = diagnostics[0]["relatedInformation"].as_array().cloned().unwrap_or_default();
    let reference = related
        .iter()
        .find(|related| related["location"]["uri"] == Url::from_path(&base.join("openapi.yaml")))
        .unwrap_or_else(|| panic!("the $ref in the root: {related:#?}"));
    assert_eq!(reference["location"]["range"]["start"], json!({"line": 7, "character": 16}));

    // Ignoring it here puts the ignore on the shared response, in the fragment.
    let actions = client.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": fragment}, "range": diagnostics[0]["range"], "context": {"diagnostics": diagnostics}}),
    );
    let ignore = actions
        .as_array()
        .unwrap()
        .iter()
        .find(|action| action["title"].as_str().unwrap().starts_with("Ignore no-body here"))
        .unwrap_or_else(|| panic!("{actions:#?}"));
    let fixed = apply_edits(bad, ignore["edit"]["changes"][&fragment].as_array().unwrap());
    assert!(fixed.starts_with("Deleted:\n  x-oaslint-ignore: [{rule: no-body, reason: \""), "{fixed}");
    client.change(&fragment, 2, &fixed);
    assert_eq!(client.diagnostics(&fragment), Vec::<Value>::new());
    client.shutdown();
}

#[test]
fn the_configuration_is_reloaded_when_it_changes() {
    let (_dir, base) = project();
    let spec = base.join("openapi.yaml");
    std::fs::write(&spec, BAD).unwrap();
    let uri = Url::from_path(&spec);
    let (mut client, _) = Client::start(&base, &["utf-16"]);
    client.open(&uri, BAD);
    assert_eq!(client.diagnostics(&uri).len(), 1);

    std::fs::write(base.join(".oaslint.yaml"), config_with_no_body("off")).unwrap();
    let config = Url::from_path(&base.join(".oaslint.yaml"));
    client.notify("workspace/didChangeWatchedFiles", json!({"changes": [{"uri": config, "type": 2}]}));
    assert_eq!(client.diagnostics(&uri), Vec::<Value>::new());

    // A broken configuration: located on the file, and said once.
    std::fs::write(base.join(".oaslint.yaml"), "rules:\n  no-bdy: warning\n").unwrap();
    client.notify("workspace/didChangeWatchedFiles", json!({"changes": [{"uri": config, "type": 2}]}));
    let problems = client.diagnostics(&config);
    assert_eq!(problems.len(), 1);
    assert!(problems[0]["message"].as_str().unwrap().contains("no-bdy"), "{problems:#?}");
    assert_eq!(problems[0]["range"]["start"], json!({"line": 1, "character": 2}));
    let shown = client.wait(|message| message["method"] == "window/showMessage");
    assert!(shown["params"]["message"].as_str().unwrap().contains("no-bdy"));
    // Nothing can be linted under it meanwhile.
    assert_eq!(client.diagnostics(&uri), Vec::<Value>::new());

    // Repaired: the configuration's diagnostics go, the document's come back.
    std::fs::write(base.join(".oaslint.yaml"), config_with_no_body("warning")).unwrap();
    client.notify("workspace/didChangeWatchedFiles", json!({"changes": [{"uri": config, "type": 2}]}));
    assert_eq!(client.diagnostics(&config), Vec::<Value>::new());
    let diagnostics = client.diagnostics(&uri);
    assert_eq!(diagnostics.len(), 1);
    assert_eq!(diagnostics[0]["severity"], 2);
    client.shutdown();
}

#[test]
fn a_file_that_is_no_openapi_document_gets_no_diagnostics() {
    let (_dir, base) = project();
    let workflow = base.join("ci.yaml");
    std::fs::write(&workflow, "name: ci\non: [push]\n").unwrap();
    let uri = Url::from_path(&workflow);
    let (mut client, _) = Client::start(&base, &["utf-16"]);
    client.open(&uri, "name: ci\non: [push]\njobs: {a: {$ref: nowhere.yaml}}\n");
    assert_eq!(client.diagnostics(&uri), Vec::<Value>::new());
    client.shutdown();
}

#[test]
fn with_root_and_fragment_open_the_fragments_unsaved_text_is_linted_once() {
    let (_dir, base) = project();
    let root = "openapi: 3.1.0\ninfo: {title: Pets, version: '1'}\npaths:\n  /pets/{id}:\n    $ref: paths/pet.yaml\n";
    std::fs::create_dir(base.join("paths")).unwrap();
    std::fs::write(base.join("openapi.yaml"), root).unwrap();
    let clean = "delete:\n  responses:\n    '204': {description: Deleted}\n";
    std::fs::write(base.join("paths/pet.yaml"), clean).unwrap();
    let root_uri = Url::from_path(&base.join("openapi.yaml"));
    let fragment_uri = Url::from_path(&base.join("paths/pet.yaml"));
    let (mut client, _) = Client::start(&base, &["utf-16"]);
    client.open(&root_uri, root);
    assert_eq!(client.diagnostics(&root_uri), Vec::<Value>::new());
    client.open(&fragment_uri, clean);
    assert_eq!(client.diagnostics(&fragment_uri), Vec::<Value>::new());

    // The fragment's unsaved edit: found through the open root, shown on the fragment only.
    let bad = "delete:\n  responses:\n    '204': {description: Deleted, content: {application/json: {}}}\n";
    client.change(&fragment_uri, 2, bad);
    let diagnostics = client.diagnostics(&fragment_uri);
    assert_eq!(diagnostics.len(), 1, "{diagnostics:#?}");
    assert_eq!(diagnostics[0]["code"], "no-body");
    assert_eq!(client.diagnostics(&root_uri), Vec::<Value>::new());

    // Closed without saving: the disk's clean text counts again, and its diagnostics go.
    client.notify("textDocument/didClose", json!({"textDocument": {"uri": fragment_uri}}));
    assert_eq!(client.diagnostics(&fragment_uri), Vec::<Value>::new());
    assert_eq!(client.diagnostics(&root_uri), Vec::<Value>::new());
    client.shutdown();
}
