//! The response map of a root document: its operations and the status codes each declares,
//! as plain data (names, spans and lines, no tree), so that a report can draw it after the
//! document is freed. Built from the [`Api`] the checks ran on, only when a report asks
//! for it ([`super::Settings::response_map`]).

use crate::finding::Location;
use crate::model::{Api, OperationKind};
use crate::resolve::{NodeRef, Workspace};
use crate::source::{Span, excerpt};

/// How many characters of a summary or description the map keeps.
pub const TEXT_CHARS: usize = 160;

/// One root document's operations and the codes they declare.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ResponseMap {
    /// The root document's name, as reports show it.
    pub file: String,
    /// "OpenAPI 3.1"; empty when the document could not be read as one.
    pub spec: String,
    /// `info.title` and `info.version`, cut short.
    pub title: Option<String>,
    pub version: Option<String>,
    /// The document's top-level `tags`, in their order.
    pub tags: Vec<String>,
    /// In the document's order.
    pub operations: Vec<MappedOperation>,
}

/// An operation of the map.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MappedOperation {
    /// Upper case, as findings name it (`GET`).
    pub method: String,
    /// The path template, or the webhook's name.
    pub path: String,
    pub webhook: bool,
    pub operation_id: Option<String>,
    /// The `summary`, cut short and on one line.
    pub summary: Option<String>,
    pub tags: Vec<String>,
    pub deprecated: bool,
    /// The method's key (`get:`) where the operation is written.
    pub at: Place,
    /// In the order written; keys as written (`"200"`, `4XX`, `default`).
    pub responses: Vec<MappedResponse>,
}

/// A response an operation declares.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MappedResponse {
    /// The key as written, without quotes.
    pub code: String,
    /// The first line of its `description`, cut short.
    pub description: Option<String>,
    /// The key (`"200":`): a finding located there, or about it, concerns this response.
    pub key: Place,
}

/// A place in a file, as plain data.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Place {
    /// The file's name, as reports show it.
    pub file: String,
    pub span: Span,
    /// 1-based.
    pub line: u32,
    pub column: u32,
}

impl Place {
    fn of(location: &Location) -> Place {
        let start = location.start();
        Place { file: location.file_name().to_owned(), span: location.span, line: start.line, column: start.column }
    }

    /// Whether `location` is at or inside this place (same file, span within).
    pub fn contains(&self, location: &Location) -> bool {
        location.file_name() == self.file
            && location.span.start >= self.span.start
            && location.span.end <= self.span.end
    }
}

impl ResponseMap {
    /// The map of a workspace's root document: its operations when `api` was built, else
    /// none (a document that could not be read still has its place in a report).
    pub fn build(workspace: &Workspace, api: Option<&Api>) -> ResponseMap {
        let file = workspace.root_file().map(|file| file.name.clone()).unwrap_or_default();
        let Some(api) = api else {
            return ResponseMap { file, ..ResponseMap::default() };
        };
        let info = workspace.get(api.root, "info");
        let info_text =
            |key: &str| info.and_then(|info| workspace.get(info, key)).and_then(|node| short(workspace, node));
        let operations = api
            .operations
            .iter()
            .map(|operation| {
                let written = workspace.get(operation.path_item, operation.method.key()).unwrap_or(operation.node);
                let at = workspace
                    .key_location(written)
                    .map(|location| Place::of(&location))
                    .unwrap_or_else(|| Place { file: file.clone(), span: Span::at(0), line: 1, column: 1 });
                let responses = operation
                    .responses
                    .iter()
                    .flat_map(|responses| &responses.entries)
                    .filter_map(|response| {
                        let key = Place::of(&workspace.key_location(response.key)?);
                        let description = response.description.as_deref().and_then(first_line);
                        Some(MappedResponse { code: response.code.text.clone(), description, key })
                    })
                    .collect();
                MappedOperation {
                    method: operation.method.as_str().to_owned(),
                    path: operation.path.clone(),
                    webhook: operation.kind == OperationKind::Webhook,
                    operation_id: operation.operation_id.clone(),
                    summary: workspace.get(operation.node, "summary").and_then(|node| short(workspace, node)),
                    tags: strings(workspace, workspace.get(operation.node, "tags")),
                    deprecated: operation.deprecated,
                    at,
                    responses,
                }
            })
            .collect();
        let tags = workspace
            .get(api.root, "tags")
            .map(|list| {
                let tree = workspace.tree(list.file);
                tree.items(list.node).iter().filter_map(|&tag| tree.get_str(tag, "name").map(str::to_owned)).collect()
            })
            .unwrap_or_default();
        ResponseMap {
            file,
            spec: api.version.label().to_owned(),
            title: info_text("title"),
            version: info_text("version"),
            tags,
            operations,
        }
    }
}

/// A scalar's text on one line, cut short; `None` when empty or not a scalar.
fn short(workspace: &Workspace, node: NodeRef) -> Option<String> {
    workspace.tree(node.file).scalar_text(node.node).and_then(first_line)
}

fn first_line(text: &str) -> Option<String> {
    let line = text.lines().map(str::trim).find(|line| !line.is_empty())?;
    Some(excerpt(line, TEXT_CHARS))
}

/// A list of strings (`tags: [pets, store]`); anything else in it is skipped.
fn strings(workspace: &Workspace, list: Option<NodeRef>) -> Vec<String> {
    let Some(list) = list else { return Vec::new() };
    let tree = workspace.tree(list.file);
    tree.items(list.node).iter().filter_map(|&item| tree.str(item).map(str::to_owned)).collect()
}

#[cfg(test)]
mod tests {
    use super::ResponseMap;
    use crate::checks::lint_api;
    use crate::checks::ruleset::Ruleset;
    use crate::resolve::{LoadOptions, Workspace};

    const SPEC: &str = "\
openapi: 3.1.0
info: {title: \"Pets <script>\", version: '2'}
tags: [{name: store}, {name: pets}]
paths:
  /pets:
    get:
      tags: [pets, extra]
      operationId: listPets
      summary: |

        List the pets.
        More text.
      responses:
        '200': {description: \"OK\\nsecond line\"}
        4XX: {description: Bad}
        default: {$ref: '#/components/responses/Err'}
    post:
      deprecated: true
      responses:
        201: {description: Created}
webhooks:
  newPet:
    post:
      responses: {'200': {description: d}}
components:
  responses:
    Err: {description: Error}
";

    #[test]
    fn the_map_holds_every_operation_and_the_codes_it_declares() {
        let workspace = Workspace::from_text("api.yaml", SPEC, None, &LoadOptions::default());
        let ruleset = Ruleset::builtin("recommended").unwrap_or_else(|err| panic!("{err}"));
        let (_, api) = lint_api(&workspace, &ruleset);
        let map = ResponseMap::build(&workspace, api.as_ref());
        assert_eq!(map.file, "api.yaml");
        assert_eq!(map.spec, "OpenAPI 3.1");
        assert_eq!(map.title.as_deref(), Some("Pets <script>"));
        assert_eq!(map.version.as_deref(), Some("2"));
        assert_eq!(map.tags, ["store", "pets"]);
        let summary: Vec<(&str, &str, bool)> =
            map.operations.iter().map(|op| (op.method.as_str(), op.path.as_str(), op.webhook)).collect();
        assert_eq!(summary, [("GET", "/pets", false), ("POST", "/pets", false), ("POST", "newPet", true)]);
        let get = &map.operations[0];
        assert_eq!(get.operation_id.as_deref(), Some("listPets"));
        assert_eq!(get.summary.as_deref(), Some("List the pets."));
        assert_eq!(get.tags, ["pets", "extra"]);
        assert_eq!((get.at.line, get.at.column), (6, 5));
        let codes: Vec<(&str, u32, Option<&str>)> =
            get.responses.iter().map(|r| (r.code.as_str(), r.key.line, r.description.as_deref())).collect();
        assert_eq!(codes, [("200", 14, Some("OK")), ("4XX", 15, Some("Bad")), ("default", 16, Some("Error"))]);
        // The key's own span: what a finding at the key is inside.
        assert_eq!(workspace.root_file().map(|file| file.slice(get.responses[0].key.span)), Some("'200'"));
        assert!(map.operations[1].deprecated);
        assert_eq!(map.operations[1].responses[0].code, "201");
    }

    #[test]
    fn a_document_that_could_not_be_read_has_an_empty_map() {
        let workspace = Workspace::from_text("broken.yaml", "openapi: [\n", None, &LoadOptions::default());
        let ruleset = Ruleset::builtin("recommended").unwrap_or_else(|err| panic!("{err}"));
        let (findings, api) = lint_api(&workspace, &ruleset);
        assert!(!findings.is_empty());
        let map = ResponseMap::build(&workspace, api.as_ref());
        assert_eq!(map, ResponseMap { file: "broken.yaml".to_owned(), ..ResponseMap::default() });
    }
}
