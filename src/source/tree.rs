//! The span tree: an arena of nodes shared by the JSON and YAML readers.
//!
//! Nodes live in one `Vec` and refer to their children by index, so a 13 MB
//! spec costs a few allocations, not millions. Mapping keys are nodes too, so
//! every key has its own span. YAML aliases point at the anchored node (no
//! copying), which makes the tree a DAG; the builder caps the size the aliases
//! would expand to, so a walk over the tree stays bounded.

use super::InputProblem;
use rustc_hash::{FxHashMap, FxHashSet};

use super::{Limits, ParseError, ParseWarning, Span};

/// The index of a node in its [`Tree`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct NodeId(u32);

impl NodeId {
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// One `key: value` pair of a mapping. The key is a node (usually a string scalar).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Entry {
    pub key: NodeId,
    pub value: NodeId,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Null,
    Bool,
    Number,
    String,
    Mapping,
    Sequence,
}

/// Scalars: `a`/`b` locate the text (`b` has [`POOL`] set when it lives in the
/// string pool rather than the source). Containers: `a` is the first child, `b` the count.
#[derive(Clone, Copy, Debug)]
struct Node {
    span: Span,
    kind: Kind,
    a: u32,
    b: u32,
}

const POOL: u32 = 1 << 31;
/// Mappings larger than this get a sorted key index.
const INDEXED: usize = 16;
const NO_PARENT: u32 = u32::MAX;
/// While building: a node written inside the open container at depth `d` has the parent
/// `PENDING | d` until that container closes and takes it (node ids stay below this bit).
const PENDING: u32 = 1 << 31;

/// A read-only view of one node.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Value<'t> {
    Null,
    Bool(bool),
    /// A number, as written.
    Number(&'t str),
    String(&'t str),
    Mapping(&'t [Entry]),
    Sequence(&'t [NodeId]),
}

/// The parsed document.
#[derive(Debug, Default)]
pub struct Tree {
    nodes: Vec<Node>,
    entries: Vec<Entry>,
    items: Vec<NodeId>,
    parents: Vec<u32>,
    /// Where each node sits in its parent: the absolute index into `entries` (mapping)
    /// or `items` (sequence), so walking up is O(1) a level.
    slots: Vec<u32>,
    /// Mappings that hold a `$ref` key (whatever its value), in document order.
    refs: Vec<NodeId>,
    /// For mappings with more than [`INDEXED`] entries: entry indices sorted by key,
    /// so lookups in `paths` or `components/schemas` are binary searches.
    sorted: Vec<u32>,
    sorted_at: FxHashMap<NodeId, u32>,
    pool: String,
    source: String,
    root: Option<NodeId>,
}

impl Tree {
    pub fn root(&self) -> Option<NodeId> {
        self.root
    }

    pub fn node_count(&self) -> usize {
        self.nodes.len()
    }

    fn node(&self, id: NodeId) -> Option<&Node> {
        self.nodes.get(id.index())
    }

    /// The node's byte range (for a container, from its first to its last character).
    pub fn span(&self, id: NodeId) -> Span {
        self.node(id).map_or(Span::default(), |node| node.span)
    }

    /// The spans of every scalar (keys included), in the order they were built.
    pub(super) fn scalar_spans(&self) -> impl Iterator<Item = Span> + '_ {
        self.nodes.iter().filter(|node| !matches!(node.kind, Kind::Mapping | Kind::Sequence)).map(|node| node.span)
    }

    pub fn value(&self, id: NodeId) -> Value<'_> {
        self.value_in(id, &self.source)
    }

    /// [`Tree::value`] against an explicit source (the builder's, before the tree owns it).
    fn value_in<'a>(&'a self, id: NodeId, source: &'a str) -> Value<'a> {
        let Some(node) = self.node(id) else {
            return Value::Null;
        };
        match node.kind {
            Kind::Null => Value::Null,
            Kind::Bool => Value::Bool(node.a != 0),
            Kind::Number => Value::Number(stored_text(node, &self.pool, source)),
            Kind::String => Value::String(stored_text(node, &self.pool, source)),
            Kind::Mapping => Value::Mapping(self.entries.get(range(node)).unwrap_or(&[])),
            Kind::Sequence => Value::Sequence(self.items.get(range(node)).unwrap_or(&[])),
        }
    }

    fn text_of(&self, node: &Node) -> &str {
        stored_text(node, &self.pool, &self.source)
    }

    /// The whole text the tree was read from.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// Give the tree the text its spans point into (the readers build it while borrowing the text).
    pub(super) fn with_source(mut self, source: String) -> Tree {
        self.source = source;
        self
    }

    /// The text of a string scalar.
    pub fn str(&self, id: NodeId) -> Option<&str> {
        match self.value(id) {
            Value::String(text) => Some(text),
            _ => None,
        }
    }

    /// The text of any scalar as written (`200`, `true`, `~`), or `None` for a container.
    pub fn scalar_text(&self, id: NodeId) -> Option<&str> {
        let node = self.node(id)?;
        match node.kind {
            Kind::Mapping | Kind::Sequence => None,
            Kind::String | Kind::Number => Some(self.text_of(node)),
            Kind::Null | Kind::Bool => self.source.get(node.span.range()),
        }
    }

    pub fn as_bool(&self, id: NodeId) -> Option<bool> {
        match self.value(id) {
            Value::Bool(value) => Some(value),
            _ => None,
        }
    }

    pub fn is_mapping(&self, id: NodeId) -> bool {
        matches!(self.value(id), Value::Mapping(_))
    }

    /// The entries of a mapping (empty for anything else).
    pub fn entries(&self, id: NodeId) -> &[Entry] {
        match self.value(id) {
            Value::Mapping(entries) => entries,
            _ => &[],
        }
    }

    /// The items of a sequence (empty for anything else).
    pub fn items(&self, id: NodeId) -> &[NodeId] {
        match self.value(id) {
            Value::Sequence(items) => items,
            _ => &[],
        }
    }

    /// A key's text; keys that are not scalars read as their source text.
    pub fn key_text(&self, entry: &Entry) -> &str {
        self.key_text_in(entry, &self.source)
    }

    fn key_text_in<'a>(&'a self, entry: &Entry, source: &'a str) -> &'a str {
        let Some(node) = self.node(entry.key) else {
            return "";
        };
        match node.kind {
            Kind::String | Kind::Number => stored_text(node, &self.pool, source),
            _ => source.get(node.span.range()).unwrap_or(""),
        }
    }

    /// The entry of `key` in a mapping.
    pub fn entry(&self, id: NodeId, key: &str) -> Option<&Entry> {
        let entries = self.entries(id);
        if entries.len() > INDEXED {
            if let Some(&at) = self.sorted_at.get(&id) {
                let order = self.sorted.get(at as usize..at as usize + entries.len())?;
                let position = order
                    .binary_search_by(|&index| {
                        entries.get(index as usize).map_or("", |entry| self.key_text(entry)).cmp(key)
                    })
                    .ok()?;
                return entries.get(*order.get(position)? as usize);
            }
        }
        entries.iter().find(|entry| self.key_text(entry) == key)
    }

    /// The value of `key` in a mapping.
    pub fn get(&self, id: NodeId, key: &str) -> Option<NodeId> {
        self.entry(id, key).map(|entry| entry.value)
    }

    /// The string value of `key` in a mapping.
    pub fn get_str(&self, id: NodeId, key: &str) -> Option<&str> {
        self.get(id, key).and_then(|value| self.str(value))
    }

    /// The node this node hangs under (for an aliased node, where it was defined).
    pub fn parent(&self, id: NodeId) -> Option<NodeId> {
        match self.parents.get(id.index()) {
            Some(&parent) if parent & PENDING == 0 => Some(NodeId(parent)),
            _ => None,
        }
    }

    /// The entry whose value (or key) is `id`, if `id` sits in a mapping.
    pub fn entry_of(&self, id: NodeId) -> Option<&Entry> {
        let parent = self.parent(id)?;
        if !self.is_mapping(parent) {
            return None;
        }
        self.entries.get(*self.slots.get(id.index())? as usize)
    }

    /// Index of a container's first child in `entries` or `items`.
    fn first_child(&self, id: NodeId) -> usize {
        self.node(id).map_or(0, |node| node.a as usize)
    }

    /// Mappings that hold a `$ref` key (whatever its value: the resolver reports one that
    /// is not a string), in document order.
    pub fn refs(&self) -> &[NodeId] {
        &self.refs
    }

    /// The span of the key under which `id` sits, or of `id` itself at the root or in a sequence.
    /// Findings point here: the key is what a person looks for.
    pub fn key_span(&self, id: NodeId) -> Span {
        match self.entry_of(id) {
            Some(entry) if entry.value == id => self.span(entry.key),
            _ => self.span(id),
        }
    }

    /// The JSON pointer (RFC 6901) of a node, from the root of its file.
    pub fn pointer(&self, id: NodeId) -> String {
        let mut tokens = Vec::new();
        let mut current = id;
        // The parent chain is acyclic (parents close before their children are
        // recorded), but bound the walk anyway.
        for _ in 0..self.nodes.len() {
            let Some(parent) = self.parent(current) else {
                break;
            };
            let slot = self.slots.get(current.index()).copied().unwrap_or(0) as usize;
            match self.value(parent) {
                Value::Mapping(_) => {
                    if let Some(entry) = self.entries.get(slot) {
                        tokens.push(escape_pointer_token(self.key_text(entry)));
                    }
                }
                Value::Sequence(_) => {
                    let index = slot.saturating_sub(self.first_child(parent));
                    tokens.push(index.to_string());
                }
                _ => {}
            }
            current = parent;
        }
        let mut pointer = String::new();
        for token in tokens.iter().rev() {
            pointer.push('/');
            pointer.push_str(token);
        }
        pointer
    }

    /// Follow a JSON pointer (already split and unescaped) from the root.
    pub fn lookup<'a>(&self, tokens: impl IntoIterator<Item = &'a str>) -> Option<NodeId> {
        let mut current = self.root?;
        for token in tokens {
            current = match self.value(current) {
                Value::Mapping(_) => self.get(current, token)?,
                Value::Sequence(items) => {
                    // RFC 6901: array indices are decimal without leading zeros.
                    if token.is_empty() || (token.len() > 1 && token.starts_with('0')) {
                        return None;
                    }
                    *items.get(token.parse::<usize>().ok()?)?
                }
                _ => return None,
            };
        }
        Some(current)
    }
}

/// Length and first and last bytes: equal keys have equal prints.
fn key_print(key: &str) -> u64 {
    let bytes = key.as_bytes();
    let first = bytes.first().copied().unwrap_or(0) as u64;
    let last = bytes.last().copied().unwrap_or(0) as u64;
    (bytes.len() as u64) << 16 | first << 8 | last
}

fn stored_text<'a>(node: &Node, pool: &'a str, source: &'a str) -> &'a str {
    let (start, len) = (node.a as usize, (node.b & !POOL) as usize);
    let store = if node.b & POOL != 0 { pool } else { source };
    store.get(start..start + len).unwrap_or("")
}

fn range(node: &Node) -> std::ops::Range<usize> {
    node.a as usize..node.a as usize + node.b as usize
}

/// Escape `~` and `/` for a JSON pointer token.
pub fn escape_pointer_token(token: &str) -> String {
    if token.contains(['~', '/']) { token.replace('~', "~0").replace('/', "~1") } else { token.to_owned() }
}

/// How a scalar's text is stored: as a slice of the source, or decoded text to copy.
pub enum ScalarText<'a> {
    Source(Span),
    Decoded(&'a str),
}

/// The kind of scalar, as the reader resolved it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScalarKind {
    Null,
    Bool(bool),
    Number,
    String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Container {
    Mapping,
    Sequence,
}

struct Frame {
    container: Container,
    start: u32,
    /// Where this container's children start in `scratch`.
    mark: usize,
    /// Size the container expands to with aliases followed (itself included).
    weight: u64,
    /// How many nodes existed when it opened: the nodes written inside it were added since.
    first_node: usize,
}

/// Builds a [`Tree`] from a stream of parse events; both readers drive it.
pub struct TreeBuilder<'s, 'l> {
    /// The tree under construction; its `source` is attached by the caller at the end.
    tree: Tree,
    source: &'s str,
    stack: Vec<Frame>,
    /// Children of the open containers; keys and values alternate for mappings.
    scratch: Vec<NodeId>,
    weights: Vec<u64>,
    limits: &'l Limits,
    /// Reading YAML: `<<` merge keys apply, and aliases share nodes (so weights are tracked).
    yaml: bool,
    /// Nodes an alias has named: they have a place of their own in the document.
    alias_targets: FxHashSet<NodeId>,
    warnings: Vec<ParseWarning>,
}

impl<'s, 'l> TreeBuilder<'s, 'l> {
    pub fn new(source: &'s str, limits: &'l Limits, yaml: bool) -> TreeBuilder<'s, 'l> {
        TreeBuilder {
            tree: Tree::default(),
            source,
            stack: Vec::new(),
            scratch: Vec::new(),
            weights: Vec::new(),
            limits,
            yaml,
            alias_targets: FxHashSet::default(),
            warnings: Vec::new(),
        }
    }

    /// Pre-size the arena (the readers know roughly how big the input is), within the budget.
    pub fn reserve(&mut self, nodes: usize) {
        let nodes = nodes.min(usize::try_from(self.limits.max_nodes).unwrap_or(usize::MAX));
        self.tree.nodes.reserve(nodes);
        self.tree.parents.reserve(nodes);
        self.tree.slots.reserve(nodes);
        self.weights.reserve(nodes);
    }

    pub fn depth(&self) -> usize {
        self.stack.len()
    }

    /// Whether the innermost open container is a mapping waiting for a key.
    pub fn expects_key(&self) -> bool {
        match self.stack.last() {
            Some(frame) => frame.container == Container::Mapping && (self.scratch.len() - frame.mark) % 2 == 0,
            None => false,
        }
    }

    /// A key's text while building (the tree does not hold the source yet).
    fn key_text(&self, entry: &Entry) -> &str {
        self.tree.key_text_in(entry, self.source)
    }

    fn entries_of(&self, id: NodeId) -> &[Entry] {
        match self.tree.value_in(id, self.source) {
            Value::Mapping(entries) => entries,
            _ => &[],
        }
    }

    pub fn warn(&mut self, warning: ParseWarning) {
        self.warnings.push(warning);
    }

    fn push_node(&mut self, node: Node, weight: u64) -> Result<NodeId, ParseError> {
        let count = self.tree.nodes.len();
        if count as u64 >= self.limits.max_nodes {
            return Err(ParseError::new(
                InputProblem::TooLarge,
                format!(
                    "the document has more than {} nodes (keys, values and items), the limit",
                    self.limits.max_nodes
                ),
                node.span,
            ));
        }
        let id = u32::try_from(count)
            .ok()
            .filter(|&id| id < PENDING)
            .ok_or_else(|| ParseError::new(InputProblem::TooLarge, "the document has too many nodes", node.span))?;
        self.tree.nodes.push(node);
        self.tree.parents.push(NO_PARENT);
        self.tree.slots.push(0);
        if self.yaml {
            self.weights.push(weight);
        }
        Ok(NodeId(id))
    }

    /// Add a scalar at the current position.
    pub fn scalar(&mut self, kind: ScalarKind, text: ScalarText<'_>, span: Span) -> Result<NodeId, ParseError> {
        let (a, b) = match text {
            ScalarText::Source(text_span) => (text_span.start, text_span.len()),
            ScalarText::Decoded(decoded) => {
                let start = self.tree.pool.len() as u32;
                let len = u32::try_from(decoded.len())
                    .ok()
                    .filter(|len| len & POOL == 0)
                    .ok_or_else(|| ParseError::new(InputProblem::TooLarge, "a scalar is too long", span))?;
                self.tree.pool.push_str(decoded);
                (start, len | POOL)
            }
        };
        let (kind, a, b) = match kind {
            ScalarKind::Null => (Kind::Null, a, b),
            ScalarKind::Bool(value) => (Kind::Bool, u32::from(value), 0),
            ScalarKind::Number => (Kind::Number, a, b),
            ScalarKind::String => (Kind::String, a, b),
        };
        let id = self.push_node(Node { span, kind, a, b }, 1)?;
        self.attach(id, true)?;
        Ok(id)
    }

    /// Open a mapping or sequence starting at byte `start`.
    pub fn begin(&mut self, container: Container, start: u32) -> Result<(), ParseError> {
        if self.stack.len() >= self.limits.max_depth as usize {
            return Err(ParseError::new(
                InputProblem::TooDeep,
                format!("the document nests deeper than {} levels", self.limits.max_depth),
                Span::new(start, start + 1),
            ));
        }
        let first_node = self.tree.nodes.len();
        self.stack.push(Frame { container, start, mark: self.scratch.len(), weight: 1, first_node });
        Ok(())
    }

    /// Close the innermost container; `end` is the byte just past it.
    pub fn end(&mut self, end: u32) -> Result<NodeId, ParseError> {
        let Some(frame) = self.stack.pop() else {
            return Err(ParseError::new(
                InputProblem::InvalidSyntax,
                "unbalanced end of a mapping or sequence",
                Span::at(end),
            ));
        };
        let span = Span::new(frame.start, end.max(frame.start));
        let children = self.scratch.split_off(frame.mark);
        let mut sorted_index = None;
        let mut holds_ref = false;
        let (kind, first, count) = match frame.container {
            Container::Sequence => {
                let first = self.tree.items.len();
                self.tree.items.extend_from_slice(&children);
                (Kind::Sequence, first, children.len())
            }
            Container::Mapping => {
                let first = self.tree.entries.len();
                for pair in children.chunks(2) {
                    if let [key, value] = *pair {
                        self.tree.entries.push(Entry { key, value });
                    }
                }
                if self.yaml {
                    self.apply_merge_keys(first)?;
                }
                sorted_index = self.check_duplicate_keys(first, &mut holds_ref);
                (Kind::Mapping, first, self.tree.entries.len() - first)
            }
        };
        let (first, count) = match (u32::try_from(first), u32::try_from(count)) {
            (Ok(first), Ok(count)) => (first, count),
            _ => {
                return Err(ParseError::new(InputProblem::TooLarge, "the document has too many nodes", span));
            }
        };
        let id = self.push_node(Node { span, kind, a: first, b: count }, frame.weight)?;
        if let Some(order) = sorted_index {
            let at = self.tree.sorted.len() as u32;
            self.tree.sorted.extend(order);
            self.tree.sorted_at.insert(id, at);
        }
        self.adopt(id, kind, first, count, PENDING | self.stack.len() as u32);
        if holds_ref {
            self.tree.refs.push(id);
        }
        // What aliases add: the expanded size beyond the nodes written inside (the node
        // budget bounds those). A large document without aliases is not an alias bomb.
        let written = (self.tree.nodes.len() - frame.first_node) as u64;
        if frame.weight.saturating_sub(written) > self.limits.max_alias_expansion {
            return Err(ParseError::new(
                InputProblem::AliasBomb,
                format!("YAML aliases add more than {} nodes to this node", self.limits.max_alias_expansion),
                span,
            ));
        }
        self.attach(id, true)?;
        Ok(id)
    }

    /// Record `parent` as the parent of the children written in it (`pending` marks them)
    /// and of entries merged in from a source written in place (released, see
    /// [`TreeBuilder::release_children`]), with their slots. A node named by an alias keeps
    /// the place where it was written, even when that container closes later.
    fn adopt(&mut self, parent: NodeId, kind: Kind, first: u32, count: u32, pending: u32) {
        let range = first as usize..first as usize + count as usize;
        let mut set = |child: NodeId, slot: usize| {
            if let Some(current) = self.tree.parents.get_mut(child.index()) {
                if *current == NO_PARENT || *current == pending {
                    *current = parent.0;
                    if let Some(place) = self.tree.slots.get_mut(child.index()) {
                        *place = slot as u32;
                    }
                }
            }
        };
        match kind {
            Kind::Mapping => {
                for (slot, entry) in self.tree.entries.get(range).unwrap_or(&[]).iter().enumerate() {
                    set(entry.key, first as usize + slot);
                    set(entry.value, first as usize + slot);
                }
            }
            Kind::Sequence => {
                for (slot, &item) in self.tree.items.get(range).unwrap_or(&[]).iter().enumerate() {
                    set(item, first as usize + slot);
                }
            }
            _ => {}
        }
    }

    /// Place an already-built node (an alias's target) at the current position.
    pub fn alias(&mut self, target: NodeId) -> Result<(), ParseError> {
        self.alias_targets.insert(target);
        self.attach(target, false)
    }

    /// Place `id` in the innermost open container (or make it the root). `written_here`:
    /// this is where the node is written, not an alias naming it.
    fn attach(&mut self, id: NodeId, written_here: bool) -> Result<(), ParseError> {
        // Weights only matter where aliases can share nodes (YAML).
        let weight = if self.yaml { self.weights.get(id.index()).copied().unwrap_or(1) } else { 1 };
        let depth = self.stack.len().saturating_sub(1) as u32;
        match self.stack.last_mut() {
            Some(frame) => {
                frame.weight = frame.weight.saturating_add(weight);
                self.scratch.push(id);
                if written_here {
                    if let Some(parent) = self.tree.parents.get_mut(id.index()) {
                        *parent = PENDING | depth;
                    }
                }
            }
            None => {
                if self.tree.root.is_some() {
                    return Err(ParseError::new(
                        InputProblem::InvalidSyntax,
                        "more than one document in the file",
                        self.tree.span(id),
                    ));
                }
                self.tree.root = Some(id);
            }
        }
        Ok(())
    }

    /// YAML merge keys (`<<: *base` or `<<: [*a, *b]`): copy in the entries of the
    /// merged mappings whose keys the mapping does not set itself.
    fn apply_merge_keys(&mut self, first: usize) -> Result<(), ParseError> {
        let own: Vec<Entry> = self.tree.entries.get(first..).unwrap_or(&[]).to_vec();
        if !own.iter().any(|entry| self.key_text(entry) == "<<") {
            return Ok(());
        }
        self.tree.entries.truncate(first);
        let mut merged: Vec<Entry> = Vec::new();
        for entry in &own {
            if self.key_text(entry) != "<<" {
                continue;
            }
            let sources: Vec<NodeId> = match self.tree.value_in(entry.value, self.source) {
                Value::Mapping(_) => vec![entry.value],
                Value::Sequence(items) => items.to_vec(),
                _ => {
                    return Err(ParseError::new(
                        InputProblem::InvalidSyntax,
                        "a merge key (<<) must name a mapping or a list of mappings",
                        self.tree.span(entry.value),
                    ));
                }
            };
            // A source written in place (`<<: {z: 9}`, or an item of `<<: [{…}]`), not named
            // by an alias, has no place of its own in the document: its entries belong to this
            // mapping, so they are released to be adopted by it (`/top/z`, not `/z`).
            let written_here = |node: NodeId| !self.alias_targets.contains(&node);
            let inline: Vec<NodeId> = if written_here(entry.value) {
                sources.iter().copied().filter(|&source| written_here(source)).collect()
            } else {
                Vec::new()
            };
            for source in inline {
                self.release_children(source);
            }
            for source in sources {
                for inherited in self.entries_of(source) {
                    let key = self.key_text(inherited);
                    let already =
                        own.iter().any(|e| self.key_text(e) == key) || merged.iter().any(|e| self.key_text(e) == key);
                    if !already {
                        merged.push(*inherited);
                    }
                }
            }
        }
        for entry in own {
            if self.key_text(&entry) != "<<" {
                self.tree.entries.push(entry);
            }
        }
        self.tree.entries.extend(merged);
        Ok(())
    }

    /// Forget that `mapping` is the parent of its entries' keys and values, so that the
    /// mapping they are merged into adopts them (see [`TreeBuilder::adopt`]). Nodes placed
    /// elsewhere first (aliases) keep their place.
    fn release_children(&mut self, mapping: NodeId) {
        let entries: Vec<Entry> = self.entries_of(mapping).to_vec();
        for entry in entries {
            for child in [entry.key, entry.value] {
                if let Some(parent) = self.tree.parents.get_mut(child.index()) {
                    if *parent == mapping.0 {
                        *parent = NO_PARENT;
                    }
                }
            }
        }
    }

    /// Warn about keys written twice and keep only the first of each (so lookups see
    /// what the warning says). For a large mapping, returns its sorted key index.
    /// Also notes whether the mapping holds a `$ref` key.
    fn check_duplicate_keys(&mut self, first: usize, holds_ref: &mut bool) -> Option<Vec<u32>> {
        let entries = self.tree.entries.get(first..).unwrap_or(&[]);
        let mut duplicates: Vec<usize> = Vec::new();
        let mut order: Option<Vec<u32>> = None;
        if entries.len() <= INDEXED {
            // Compare cheap fingerprints first; read the texts only when those agree.
            let mut prints = [0u64; INDEXED];
            for (i, entry) in entries.iter().enumerate() {
                let key = self.key_text(entry);
                if key == "$ref" {
                    *holds_ref = true;
                }
                let print = key_print(key);
                for (j, earlier) in prints.iter().take(i).enumerate() {
                    if *earlier == print && entries.get(j).is_some_and(|e| self.key_text(e) == key) {
                        duplicates.push(i);
                        break;
                    }
                }
                if let Some(slot) = prints.get_mut(i) {
                    *slot = print;
                }
            }
        } else {
            let mut sorted: Vec<u32> = (0..entries.len() as u32).collect();
            // Stable: among equal keys the first written comes first.
            sorted.sort_by(|&a, &b| self.key_at(first, a).cmp(self.key_at(first, b)));
            *holds_ref = entries.iter().any(|entry| self.key_text(entry) == "$ref");
            for pair in sorted.windows(2) {
                if let [earlier, later] = *pair {
                    if self.key_at(first, earlier) == self.key_at(first, later) {
                        duplicates.push(later as usize);
                    }
                }
            }
            order = Some(sorted);
        }
        if duplicates.is_empty() {
            return order;
        }
        duplicates.sort_unstable();
        for &index in &duplicates {
            let Some(duplicate) = entries.get(index).copied() else { continue };
            let key = self.key_text(&duplicate).to_owned();
            let span = self.tree.span(duplicate.key);
            self.warnings.push(ParseError::new(
                InputProblem::DuplicateKey,
                format!("duplicate key `{key}`: the first one is used"),
                span,
            ));
        }
        let kept: Vec<Entry> = entries
            .iter()
            .enumerate()
            .filter(|(index, _)| duplicates.binary_search(index).is_err())
            .map(|(_, entry)| *entry)
            .collect();
        self.tree.entries.truncate(first);
        self.tree.entries.extend(kept);
        // Rebuild the index without the duplicates (they are gone, so this finds none).
        self.check_duplicate_keys(first, holds_ref)
    }

    fn key_at(&self, first: usize, index: u32) -> &str {
        self.tree.entries.get(first + index as usize).map_or("", |entry| self.key_text(entry))
    }

    pub fn finish(self) -> Result<(Tree, Vec<ParseWarning>), ParseError> {
        if let Some(frame) = self.stack.last() {
            return Err(ParseError::new(
                InputProblem::InvalidSyntax,
                "unexpected end of file: a mapping or sequence is not closed",
                Span::new(frame.start, frame.start + 1),
            ));
        }
        if self.tree.root.is_none() {
            return Err(ParseError::new(InputProblem::EmptyDocument, "the file holds no document", Span::at(0)));
        }
        Ok((self.tree, self.warnings))
    }
}
