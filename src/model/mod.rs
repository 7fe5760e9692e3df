//! The version-neutral view of an API: every operation of Swagger 2.0, OpenAPI
//! 3.0, 3.1 (and 3.2 where it is a superset) lowered to one shape, each element
//! pointing back to its node so checks report where things are written.
//!
//! The `openapiv3` crate is not used: it models 3.0 only, drops 3.1's webhooks,
//! rejects `type: [string, "null"]`, knows no 2.0 and keeps no positions.

/// What schemas declare, through `$ref` and combinators.
pub mod schema;
mod status;

use crate::resolve::{NodeRef, Workspace};

pub use status::{CodeKind, StatusKey, reason_phrase};

/// Which specification a document follows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SpecVersion {
    Swagger2,
    OpenApi30,
    OpenApi31,
    OpenApi32,
}

impl SpecVersion {
    pub fn label(self) -> &'static str {
        match self {
            SpecVersion::Swagger2 => "Swagger 2.0",
            SpecVersion::OpenApi30 => "OpenAPI 3.0",
            SpecVersion::OpenApi31 => "OpenAPI 3.1",
            SpecVersion::OpenApi32 => "OpenAPI 3.2",
        }
    }

    /// Whether response keys may be ranges such as `4XX` (not in Swagger 2.0).
    pub fn allows_ranges(self) -> bool {
        self != SpecVersion::Swagger2
    }
}

/// What a parsed document is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DocumentKind {
    /// An OpenAPI or Swagger root of a supported version.
    Root(SpecVersion),
    /// It declares a version this tool does not know (`node` is the version value).
    Unsupported { version: String, node: NodeRef },
    /// No `openapi`/`swagger` key: a fragment that other files reference.
    Fragment,
}

/// Tell what the workspace's root document is.
pub fn detect(workspace: &Workspace) -> DocumentKind {
    let Some(root) = workspace.root() else {
        return DocumentKind::Fragment;
    };
    if !workspace.tree(root.file).is_mapping(root.node) {
        return DocumentKind::Fragment;
    }
    let tree = workspace.tree(root.file);
    let (key, prefix_ok): (&str, fn(&str) -> Option<SpecVersion>) = if tree.get(root.node, "openapi").is_some() {
        ("openapi", |v| match v.split('.').take(2).collect::<Vec<_>>().as_slice() {
            ["3", "0"] => Some(SpecVersion::OpenApi30),
            ["3", "1"] => Some(SpecVersion::OpenApi31),
            ["3", "2"] => Some(SpecVersion::OpenApi32),
            _ => None,
        })
    } else if tree.get(root.node, "swagger").is_some() {
        ("swagger", |v| matches!(v, "2.0" | "2").then_some(SpecVersion::Swagger2))
    } else {
        return DocumentKind::Fragment;
    };
    let Some(node) = workspace.get(root, key) else {
        return DocumentKind::Fragment;
    };
    let version = tree.scalar_text(node.node).unwrap_or("").trim().to_owned();
    match prefix_ok(&version) {
        Some(spec) => DocumentKind::Root(spec),
        None => DocumentKind::Unsupported { version, node },
    }
}

/// An HTTP method an operation can be declared under.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Method {
    Get,
    Put,
    Post,
    Delete,
    Options,
    Head,
    Patch,
    Trace,
    /// OpenAPI 3.2's QUERY.
    Query,
}

impl Method {
    pub const ALL: [Method; 9] = [
        Method::Get,
        Method::Put,
        Method::Post,
        Method::Delete,
        Method::Options,
        Method::Head,
        Method::Patch,
        Method::Trace,
        Method::Query,
    ];

    /// The key in a path item (`get`).
    pub fn key(self) -> &'static str {
        match self {
            Method::Get => "get",
            Method::Put => "put",
            Method::Post => "post",
            Method::Delete => "delete",
            Method::Options => "options",
            Method::Head => "head",
            Method::Patch => "patch",
            Method::Trace => "trace",
            Method::Query => "query",
        }
    }

    /// The method as HTTP spells it (`GET`).
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Put => "PUT",
            Method::Post => "POST",
            Method::Delete => "DELETE",
            Method::Options => "OPTIONS",
            Method::Head => "HEAD",
            Method::Patch => "PATCH",
            Method::Trace => "TRACE",
            Method::Query => "QUERY",
        }
    }

    pub fn parse(text: &str) -> Option<Method> {
        Method::ALL.into_iter().find(|method| method.as_str().eq_ignore_ascii_case(text))
    }
}

impl std::fmt::Display for Method {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where a parameter is sent.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ParamIn {
    Path,
    Query,
    Header,
    Cookie,
    /// Swagger 2.0 `in: body`.
    Body,
    /// Swagger 2.0 `in: formData`.
    FormData,
    /// Missing or unknown `in`.
    Other,
}

impl ParamIn {
    fn parse(text: &str) -> ParamIn {
        match text {
            "path" => ParamIn::Path,
            "query" => ParamIn::Query,
            "header" => ParamIn::Header,
            "cookie" => ParamIn::Cookie,
            "body" => ParamIn::Body,
            "formData" => ParamIn::FormData,
            _ => ParamIn::Other,
        }
    }
}

#[derive(Clone, Debug)]
pub struct Parameter {
    pub name: String,
    pub location: ParamIn,
    pub required: bool,
    /// The parameter object, after following `$ref`s.
    pub node: NodeRef,
    /// The `$ref` mappings followed to reach it.
    pub chain: Vec<NodeRef>,
}

/// One media type of a body: `application/json` with its schema.
#[derive(Clone, Debug)]
pub struct MediaType {
    pub name: String,
    /// The media type object (3.x); for 2.0 the response or body parameter node.
    pub node: NodeRef,
    /// The schema as written (may be a `$ref`; resolve it to look inside).
    pub schema: Option<NodeRef>,
}

#[derive(Clone, Debug)]
pub struct RequestBody {
    /// The request body object (3.x) or the `in: body` parameter (2.0), refs followed.
    pub node: NodeRef,
    pub required: bool,
    pub content: Vec<MediaType>,
}

#[derive(Clone, Debug)]
pub struct Header {
    pub name: String,
    /// The header object after following `$ref`s (the `$ref` mapping itself when it is broken).
    pub node: NodeRef,
    pub chain: Vec<NodeRef>,
    /// False when its `$ref` is broken (reported while loading): declared, contents unknown.
    pub resolved: bool,
}

#[derive(Clone, Debug)]
pub struct Response {
    pub code: StatusKey,
    /// The key node (`"200":`), in the file where the responses mapping is written.
    pub key: NodeRef,
    /// The response object after following `$ref`s.
    pub node: NodeRef,
    /// The `$ref` mappings followed to reach it (empty when written inline).
    pub chain: Vec<NodeRef>,
    /// False when its `$ref` is broken (reported while loading): the code is declared,
    /// but nothing is known of the response, so checks of its contents skip it.
    pub resolved: bool,
    pub description: Option<String>,
    pub headers: Vec<Header>,
    /// The declared body, one entry per media type; empty when the response has no body.
    pub content: Vec<MediaType>,
    /// Where the body is declared (`content` in 3.x, `schema` in 2.0), for locations.
    pub content_node: Option<NodeRef>,
}

impl Response {
    pub fn has_body(&self) -> bool {
        !self.content.is_empty()
    }

    /// Whether the response declares a body whose every schema declares nothing (see
    /// [`schema_declares_nothing`]): a body as written, but no content anyone reads.
    pub fn declares_empty_body(&self, workspace: &Workspace) -> bool {
        self.has_body()
            && self
                .content
                .iter()
                .all(|media| media.schema.is_some_and(|schema| schema_declares_nothing(workspace, schema)))
    }

    pub fn header(&self, name: &str) -> Option<&Header> {
        self.headers.iter().find(|header| header.name.eq_ignore_ascii_case(name))
    }
}

#[derive(Clone, Debug)]
pub struct Responses {
    /// The responses mapping.
    pub node: NodeRef,
    pub entries: Vec<Response>,
}

impl Responses {
    /// The response declared for an exact code (`"200"`), if any.
    pub fn exact(&self, code: u16) -> Option<&Response> {
        self.entries.iter().find(|response| response.code.kind == CodeKind::Exact(code))
    }

    pub fn default(&self) -> Option<&Response> {
        self.entries.iter().find(|response| response.code.kind == CodeKind::Default)
    }

    /// The range response (`4XX`) covering `code`.
    pub fn range_for(&self, code: u16) -> Option<&Response> {
        let class = (code / 100) as u8;
        self.entries.iter().find(|response| response.code.kind == CodeKind::Range(class))
    }
}

/// Where an operation's effective security comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SecuritySource {
    Operation,
    Global,
    /// Declared nowhere.
    None,
}

#[derive(Clone, Debug)]
pub struct Security {
    pub source: SecuritySource,
    /// The alternatives: each names the schemes that must all be satisfied. An empty
    /// alternative (`{}`) makes authentication optional.
    pub requirements: Vec<Vec<String>>,
    /// The `security` node that decided it.
    pub node: Option<NodeRef>,
}

impl Security {
    /// Whether every way in needs credentials.
    pub fn is_secured(&self) -> bool {
        !self.requirements.is_empty() && self.requirements.iter().all(|requirement| !requirement.is_empty())
    }

    /// Declared and explicitly open (`security: []`, or only `{}`).
    pub fn is_public(&self) -> bool {
        self.source != SecuritySource::None && !self.is_secured() && self.requirements.iter().all(Vec::is_empty)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum OperationKind {
    Path,
    /// An OpenAPI 3.1 webhook: `path` is the webhook's name.
    Webhook,
}

#[derive(Clone, Debug)]
pub struct Operation {
    pub method: Method,
    /// The path template (`/pets/{id}`) or webhook name.
    pub path: String,
    pub kind: OperationKind,
    /// The operation mapping (its key is the method).
    pub node: NodeRef,
    /// The path item, after following a `$ref`.
    pub path_item: NodeRef,
    pub operation_id: Option<String>,
    /// Path-level parameters merged with the operation's own (which win).
    pub parameters: Vec<Parameter>,
    pub request_body: Option<RequestBody>,
    pub security: Security,
    /// `None` when the operation has no `responses` key.
    pub responses: Option<Responses>,
    /// `deprecated: true`.
    pub deprecated: bool,
    /// Whether a path parameter names a resource (which may not exist: 404). One that
    /// only selects the API version names none: a first parameter named `version` or
    /// `api-version` (`/calendars/{version}`, unlike `/apis/{owner}/{version}`), or one
    /// whose `enum` allows a single value.
    pub names_resource: bool,
    /// `x-ms-long-running-operation: true`: Azure's documented convention for an operation
    /// that may answer before its work is done (200 when done, 202 when accepted).
    pub long_running: bool,
}

impl Operation {
    /// `GET /pets` (or `webhook newPet POST`).
    pub fn label(&self) -> String {
        match self.kind {
            OperationKind::Path => format!("{} {}", self.method, self.path),
            OperationKind::Webhook => format!("{} webhook `{}`", self.method, self.path),
        }
    }

    /// Whether the path is templated (`/pets/{id}`); see [`Operation::names_resource`]
    /// for whether a parameter names something that may not exist.
    pub fn has_path_parameters(&self) -> bool {
        self.parameters.iter().any(|parameter| parameter.location == ParamIn::Path) || self.path.contains('{')
    }

    /// Whether the request carries input the server validates (400 when malformed): a
    /// body, or a query, form or cookie parameter, or a header other than those with
    /// codes of their own (`Authorization` → 401, `Accept` → 406, `Content-Type` → 415,
    /// the conditional `If-*` → 304 and 412).
    pub fn has_input(&self) -> bool {
        const OWN_CODES: [&str; 8] = [
            "Authorization",
            "Accept",
            "Content-Type",
            "If-Match",
            "If-None-Match",
            "If-Modified-Since",
            "If-Unmodified-Since",
            "If-Range",
        ];
        self.request_body.is_some()
            || self.parameters.iter().any(|parameter| match parameter.location {
                ParamIn::Path => false,
                ParamIn::Header => !OWN_CODES.iter().any(|name| name.eq_ignore_ascii_case(&parameter.name)),
                _ => true,
            })
    }

    pub fn accepts_header(&self, name: &str) -> bool {
        self.parameters.iter().any(|p| p.location == ParamIn::Header && p.name.eq_ignore_ascii_case(name))
    }

    /// Whether this is where the API's OAuth 2 clients get their tokens: a POST to the path
    /// of a `tokenUrl` or `refreshUrl` a security scheme names (`/connect/token` for
    /// `https://host/adminapi/connect/token`). Credentials are what it hands out.
    pub fn is_token_endpoint(&self, api: &Api) -> bool {
        let path = self.path.trim_end_matches('/');
        // The token URL may carry the server's base path (`/adminapi` + `/connect/token`);
        // the operation's own path starts at a segment boundary.
        self.method == Method::Post
            && self.kind == OperationKind::Path
            && path.starts_with('/')
            && path.len() > 1
            && api.token_paths.iter().any(|token| token.ends_with(path))
    }
}

/// The whole API.
#[derive(Clone, Debug)]
pub struct Api {
    pub version: SpecVersion,
    pub root: NodeRef,
    pub operations: Vec<Operation>,
    /// All path templates declared (to judge whether a POST creates: `/pets` with a `/pets/{id}` sibling).
    pub paths: Vec<String>,
    /// Whether the document declares any security scheme (`components.securitySchemes`
    /// in 3.x, `securityDefinitions` in 2.0). Without one, nothing can be said about
    /// whether an operation is public.
    pub declares_security_schemes: bool,
    /// The paths of the OAuth 2 token and refresh URLs the security schemes name, without
    /// scheme, host and query (`/adminapi/connect/token`).
    pub token_paths: Vec<String>,
}

impl Api {
    /// The operations of each path item (and of each webhook), in document order: what
    /// checks that compare an operation with its siblings (HEAD with GET, POST with PUT) read.
    pub fn path_items(&self) -> impl Iterator<Item = &[Operation]> {
        // The builder pushes a path item's operations together.
        self.operations.chunk_by(|a, b| a.kind == b.kind && a.path == b.path)
    }

    /// The operation answering `method` on `path` (a path template as the document writes
    /// it, or a webhook's name).
    pub fn operation(&self, kind: OperationKind, path: &str, method: Method) -> Option<&Operation> {
        self.operations
            .iter()
            .find(|operation| operation.kind == kind && operation.method == method && operation.path == path)
    }

    /// The operation beside `operation` on its path item that answers `method`.
    pub fn sibling(&self, operation: &Operation, method: Method) -> Option<&Operation> {
        self.operation(operation.kind, &operation.path, method)
    }

    /// Every error response (4xx, 5xx, `default`) of the API's operations, in document order.
    /// A `default` is an error response only beside a declared 2xx or 3xx: alone, it is the
    /// answer itself (InfluxDB's `GET /` lists its routes under `default`). Webhooks answer with
    /// the receiver's errors, and HEAD answers carry no body: both are left out.
    pub fn error_responses(&self) -> Vec<(&Operation, &Response)> {
        self.operations
            .iter()
            .filter(|operation| operation.kind == OperationKind::Path && operation.method != Method::Head)
            .filter_map(|operation| operation.responses.as_ref().map(|responses| (operation, responses)))
            .flat_map(|(operation, responses)| {
                let answers_otherwise =
                    responses.entries.iter().any(|response| matches!(response.code.class(), Some(2 | 3)));
                responses
                    .entries
                    .iter()
                    // A response whose `$ref` is broken was reported while loading: nothing is known of it.
                    .filter(move |response| {
                        response.resolved
                            && (response.code.is_error()
                                || (response.code.kind == CodeKind::Default && answers_otherwise))
                    })
                    .map(move |response| (operation, response))
            })
            .collect()
    }

    /// Build the view of a supported root document.
    pub fn build(workspace: &Workspace, version: SpecVersion) -> Option<Api> {
        let root = workspace.root()?;
        let builder = Builder { ws: workspace, version };
        let global_security = workspace.get(root, "security");
        let global_produces = builder.string_list(workspace.get(root, "produces"));
        let mut operations = Vec::new();
        let mut paths = Vec::new();
        if let Some(paths_node) = workspace.get(root, "paths") {
            for entry in workspace.tree(paths_node.file).entries(paths_node.node) {
                let path = workspace.tree(paths_node.file).key_text(entry).to_owned();
                if path.starts_with("x-") {
                    continue;
                }
                paths.push(path.clone());
                let item = NodeRef { file: paths_node.file, node: entry.value };
                builder.path_item(&path, OperationKind::Path, item, global_security, &global_produces, &mut operations);
            }
        }
        if let Some(webhooks) = workspace.get(root, "webhooks") {
            for entry in workspace.tree(webhooks.file).entries(webhooks.node) {
                let name = workspace.tree(webhooks.file).key_text(entry).to_owned();
                let item = NodeRef { file: webhooks.file, node: entry.value };
                builder.path_item(
                    &name,
                    OperationKind::Webhook,
                    item,
                    global_security,
                    &global_produces,
                    &mut operations,
                );
            }
        }
        let schemes = workspace
            .get(root, "components")
            .and_then(|components| workspace.deref(components))
            .and_then(|components| workspace.get(components, "securitySchemes"))
            .or_else(|| workspace.get(root, "securityDefinitions"))
            .and_then(|schemes| workspace.deref(schemes));
        let declares_security_schemes =
            schemes.is_some_and(|schemes| !workspace.tree(schemes.file).entries(schemes.node).is_empty());
        let token_paths = schemes.map(|schemes| token_paths(workspace, schemes)).unwrap_or_default();
        Some(Api { version, root, operations, paths, declares_security_schemes, token_paths })
    }
}

/// The paths of the token and refresh URLs of the OAuth 2 schemes: 3.x `flows.*.tokenUrl`
/// and `refreshUrl`, 2.0 `tokenUrl`.
fn token_paths(workspace: &Workspace, schemes: NodeRef) -> Vec<String> {
    let mut urls = Vec::new();
    for entry in workspace.tree(schemes.file).entries(schemes.node) {
        let Some(scheme) = workspace.deref(NodeRef { file: schemes.file, node: entry.value }) else { continue };
        urls.extend(workspace.get(scheme, "tokenUrl").and_then(|url| workspace.str(url)).map(str::to_owned));
        let Some(flows) = workspace.get(scheme, "flows") else { continue };
        for flow in workspace.tree(flows.file).entries(flows.node) {
            let flow = NodeRef { file: flows.file, node: flow.value };
            for key in ["tokenUrl", "refreshUrl"] {
                urls.extend(workspace.get(flow, key).and_then(|url| workspace.str(url)).map(str::to_owned));
            }
        }
    }
    let mut paths: Vec<String> = urls.iter().filter_map(|url| url_path(url)).collect();
    paths.sort_unstable();
    paths.dedup();
    paths
}

/// `/connect/token` for `https://host/connect/token?x=1`, `connect/token` or `/connect/token/`.
fn url_path(url: &str) -> Option<String> {
    let without_query = url.split(['?', '#']).next().unwrap_or("");
    let path = match without_query.split_once("://") {
        Some((_, rest)) => rest.find('/').and_then(|at| rest.get(at..)).unwrap_or(""),
        None => without_query,
    };
    let path = path.trim_end_matches('/');
    if path.is_empty() {
        return None;
    }
    Some(if path.starts_with('/') { path.to_owned() } else { format!("/{path}") })
}

/// Keys that describe a schema without constraining the value.
const SCHEMA_ANNOTATIONS: [&str; 10] = [
    "description",
    "title",
    "example",
    "examples",
    "default",
    "nullable",
    "readOnly",
    "writeOnly",
    "deprecated",
    "externalDocs",
];

/// Whether a schema (after `$ref`s) declares nothing: `{}`, annotations only
/// (`{example: {}}`), or an object with an empty `properties` (`{type: object, properties:
/// {}}`: Google's `Empty`, AWS's empty output shapes). `{type: object}` alone declares an
/// object, and `additionalProperties`, `items`, combinators or another type declare
/// something too.
pub fn schema_declares_nothing(workspace: &Workspace, schema: NodeRef) -> bool {
    let Some(schema) = workspace.deref(schema) else { return false };
    let tree = workspace.tree(schema.file);
    if !tree.is_mapping(schema.node) {
        return false;
    }
    let entries = tree.entries(schema.node);
    let empty_properties =
        entries.iter().any(|entry| tree.key_text(entry) == "properties" && tree.entries(entry.value).is_empty());
    entries.iter().all(|entry| {
        let key = tree.key_text(entry);
        key.starts_with("x-")
            || SCHEMA_ANNOTATIONS.contains(&key)
            || (key == "type" && tree.str(entry.value) == Some("object") && empty_properties)
            || (key == "properties" && tree.entries(entry.value).is_empty())
    })
}

fn is_version_name(name: &str) -> bool {
    let normalized: String = name.chars().filter(|c| !matches!(c, '_' | '-')).flat_map(char::to_lowercase).collect();
    matches!(normalized.as_str(), "version" | "apiversion")
}

struct Builder<'w> {
    ws: &'w Workspace,
    version: SpecVersion,
}

impl Builder<'_> {
    fn string_list(&self, node: Option<NodeRef>) -> Vec<String> {
        let Some(node) = node else { return Vec::new() };
        let tree = self.ws.tree(node.file);
        tree.items(node.node).iter().filter_map(|&item| tree.str(item).map(str::to_owned)).collect()
    }

    fn path_item(
        &self,
        path: &str,
        kind: OperationKind,
        item: NodeRef,
        global_security: Option<NodeRef>,
        global_produces: &[String],
        out: &mut Vec<Operation>,
    ) {
        let Some(item) = self.ws.deref(item) else {
            return;
        };
        let shared_parameters = self.parameters(self.ws.get(item, "parameters"));
        for method in Method::ALL {
            if method == Method::Query && self.version != SpecVersion::OpenApi32 {
                continue;
            }
            let Some(node) = self.ws.get(item, method.key()) else {
                continue;
            };
            // Operations may not be `$ref`s by the specification, but real multi-file
            // specs (DigitalOcean's) write them so; follow them.
            let Some(node) = self.ws.deref(node) else {
                continue;
            };
            if !self.ws.tree(node.file).is_mapping(node.node) {
                continue;
            }
            let mut parameters = self.parameters(self.ws.get(node, "parameters"));
            for shared in &shared_parameters {
                if !parameters.iter().any(|own| own.name == shared.name && own.location == shared.location) {
                    parameters.push(shared.clone());
                }
            }
            let produces = match self.ws.get(node, "produces") {
                Some(list) => self.string_list(Some(list)),
                None => global_produces.to_vec(),
            };
            let request_body = self.request_body(node, &parameters);
            let security = self.security(node, global_security);
            let responses = self.ws.get(node, "responses").and_then(|responses| self.responses(responses, &produces));
            let tree = self.ws.tree(node.file);
            out.push(Operation {
                method,
                path: path.to_owned(),
                kind,
                node,
                path_item: item,
                operation_id: tree.get_str(node.node, "operationId").map(str::to_owned),
                request_body,
                security,
                responses,
                deprecated: tree.get(node.node, "deprecated").and_then(|flag| tree.as_bool(flag)) == Some(true),
                names_resource: self.names_resource(path, &parameters),
                long_running: tree.get(node.node, "x-ms-long-running-operation").and_then(|flag| tree.as_bool(flag))
                    == Some(true),
                parameters,
            });
        }
    }

    /// See [`Operation::names_resource`].
    fn names_resource(&self, path: &str, parameters: &[Parameter]) -> bool {
        let templated = path.split('{').skip(1).filter_map(|rest| rest.split_once('}').map(|(name, _)| name));
        templated.enumerate().any(|(position, name)| {
            let declared = parameters.iter().find(|p| p.location == ParamIn::Path && p.name == name);
            let selects_version = (position == 0 && is_version_name(name))
                || declared.is_some_and(|parameter| self.has_one_value(parameter));
            !selects_version
        })
    }

    /// A parameter whose `enum` (in 2.0 on the parameter, in 3.x in its `schema`) allows one value.
    fn has_one_value(&self, parameter: &Parameter) -> bool {
        let schema = self.ws.get(parameter.node, "schema").and_then(|schema| self.ws.deref(schema));
        let values =
            self.ws.get(parameter.node, "enum").or_else(|| schema.and_then(|schema| self.ws.get(schema, "enum")));
        values.is_some_and(|values| self.ws.tree(values.file).items(values.node).len() == 1)
    }

    fn parameters(&self, list: Option<NodeRef>) -> Vec<Parameter> {
        let Some(list) = list else { return Vec::new() };
        let tree = self.ws.tree(list.file);
        let mut parameters = Vec::new();
        for &item in tree.items(list.node) {
            let Some(resolved) = self.ws.resolve(NodeRef { file: list.file, node: item }) else {
                continue;
            };
            let node = resolved.target;
            let tree = self.ws.tree(node.file);
            let location = ParamIn::parse(tree.get_str(node.node, "in").unwrap_or(""));
            let required = tree.get(node.node, "required").and_then(|flag| tree.as_bool(flag)) == Some(true)
                || location == ParamIn::Path;
            parameters.push(Parameter {
                name: tree.get_str(node.node, "name").unwrap_or("").to_owned(),
                location,
                required,
                node,
                chain: resolved.chain,
            });
        }
        parameters
    }

    fn request_body(&self, operation: NodeRef, parameters: &[Parameter]) -> Option<RequestBody> {
        if let Some(body) = self.ws.get(operation, "requestBody") {
            let body = self.ws.deref(body)?;
            let tree = self.ws.tree(body.file);
            return Some(RequestBody {
                node: body,
                required: tree.get(body.node, "required").and_then(|flag| tree.as_bool(flag)) == Some(true),
                content: self.content(self.ws.get(body, "content")),
            });
        }
        // Swagger 2.0: a body parameter, or form fields.
        let body = parameters.iter().find(|p| p.location == ParamIn::Body);
        let form = parameters.iter().find(|p| p.location == ParamIn::FormData);
        let parameter = body.or(form)?;
        let schema = self.ws.get(parameter.node, "schema");
        let name = if body.is_some() { "application/json" } else { "application/x-www-form-urlencoded" };
        Some(RequestBody {
            node: parameter.node,
            required: parameter.required,
            content: vec![MediaType { name: name.to_owned(), node: parameter.node, schema }],
        })
    }

    /// 3.x `content`: media type → media type object with `schema`.
    fn content(&self, content: Option<NodeRef>) -> Vec<MediaType> {
        let Some(content) = content else {
            return Vec::new();
        };
        let tree = self.ws.tree(content.file);
        tree.entries(content.node)
            .iter()
            .map(|entry| {
                let node = NodeRef { file: content.file, node: entry.value };
                MediaType { name: tree.key_text(entry).to_owned(), node, schema: self.ws.get(node, "schema") }
            })
            .collect()
    }

    fn security(&self, operation: NodeRef, global: Option<NodeRef>) -> Security {
        let (source, node) = match (self.ws.get(operation, "security"), global) {
            (Some(own), _) => (SecuritySource::Operation, Some(own)),
            (None, Some(global)) => (SecuritySource::Global, Some(global)),
            (None, None) => (SecuritySource::None, None),
        };
        let requirements = node
            .map(|node| {
                let tree = self.ws.tree(node.file);
                tree.items(node.node)
                    .iter()
                    .map(|&requirement| {
                        tree.entries(requirement).iter().map(|entry| tree.key_text(entry).to_owned()).collect()
                    })
                    .collect()
            })
            .unwrap_or_default();
        Security { source, requirements, node }
    }

    fn responses(&self, responses: NodeRef, produces: &[String]) -> Option<Responses> {
        // `responses` itself cannot be a reference, but be lenient.
        let responses = self.ws.deref(responses)?;
        let tree = self.ws.tree(responses.file);
        let mut entries = Vec::new();
        for entry in tree.entries(responses.node) {
            let text = tree.key_text(entry);
            if text.starts_with("x-") {
                continue;
            }
            let code = StatusKey::parse(text);
            let key = NodeRef { file: responses.file, node: entry.key };
            let written = NodeRef { file: responses.file, node: entry.value };
            let response = match self.ws.resolve(written) {
                Some(resolved) => self.response(code, key, resolved.target, resolved.chain, produces),
                // A broken reference was reported while loading; keep the response (its
                // code is declared) with nothing inside.
                None => Response {
                    code,
                    key,
                    node: written,
                    chain: Vec::new(),
                    resolved: false,
                    description: None,
                    headers: Vec::new(),
                    content: Vec::new(),
                    content_node: None,
                },
            };
            entries.push(response);
        }
        Some(Responses { node: responses, entries })
    }

    fn response(
        &self,
        code: StatusKey,
        key: NodeRef,
        node: NodeRef,
        chain: Vec<NodeRef>,
        produces: &[String],
    ) -> Response {
        let tree = self.ws.tree(node.file);
        let description = tree.get_str(node.node, "description").map(str::to_owned);
        let headers = self
            .ws
            .get(node, "headers")
            .map(|headers| {
                let tree = self.ws.tree(headers.file);
                tree.entries(headers.node)
                    .iter()
                    .map(|entry| {
                        let written = NodeRef { file: headers.file, node: entry.value };
                        let name = tree.key_text(entry).to_owned();
                        match self.ws.resolve(written) {
                            Some(resolved) => {
                                Header { name, node: resolved.target, chain: resolved.chain, resolved: true }
                            }
                            None => Header { name, node: written, chain: Vec::new(), resolved: false },
                        }
                    })
                    .collect()
            })
            .unwrap_or_default();
        let (content, content_node) = if self.version == SpecVersion::Swagger2 {
            match self.ws.get(node, "schema") {
                Some(schema) => {
                    let names: Vec<String> =
                        if produces.is_empty() { vec!["application/json".to_owned()] } else { produces.to_vec() };
                    let content =
                        names.into_iter().map(|name| MediaType { name, node, schema: Some(schema) }).collect();
                    (content, Some(schema))
                }
                None => (Vec::new(), None),
            }
        } else {
            let content_node = self.ws.get(node, "content");
            (self.content(content_node), content_node)
        };
        Response { code, key, node, chain, resolved: true, description, headers, content, content_node }
    }
}

#[cfg(test)]
mod tests {
    use super::{Api, DocumentKind, Method, OperationKind, detect};
    use crate::resolve::{LoadOptions, Workspace};

    fn api(text: &str) -> Api {
        let workspace = Workspace::from_text("t.yaml", text, None, &LoadOptions::default());
        let DocumentKind::Root(version) = detect(&workspace) else { panic!("not a root") };
        Api::build(&workspace, version).unwrap_or_else(|| panic!("no API"))
    }

    #[test]
    fn operations_are_grouped_by_path_item_and_found_by_method() {
        let api = api(concat!(
            "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths:\n",
            "  /pets: {get: {responses: {'200': {description: d}}}, post: {responses: {'201': {description: d}}}}\n",
            "  /pets/{id}: {get: {responses: {'200': {description: d}}}, head: {responses: {'200': {description: d}}}}\n",
            "webhooks:\n  /pets: {post: {responses: {'200': {description: d}}}}\n",
        ));
        let items: Vec<Vec<String>> =
            api.path_items().map(|item| item.iter().map(|operation| operation.label()).collect()).collect();
        assert_eq!(
            items,
            [vec!["GET /pets", "POST /pets"], vec!["GET /pets/{id}", "HEAD /pets/{id}"], vec!["POST webhook `/pets`"]]
        );
        let head = api.operation(OperationKind::Path, "/pets/{id}", Method::Head).unwrap_or_else(|| panic!("no HEAD"));
        assert_eq!(api.sibling(head, Method::Get).map(|get| get.label()).as_deref(), Some("GET /pets/{id}"));
        assert!(api.sibling(head, Method::Delete).is_none());
        let hook = api.operation(OperationKind::Webhook, "/pets", Method::Post).unwrap_or_else(|| panic!("no hook"));
        assert!(api.sibling(hook, Method::Get).is_none(), "a webhook is no sibling of the path of its name");
    }
}
