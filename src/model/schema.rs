//! A schema view shared by the checks that read schemas: the schemas a schema is made of
//! (a `$ref`'s target, `allOf`, and the `oneOf`/`anyOf` alternatives), and what it declares
//! at the top level through them, with cycles and chains of any length handled in one
//! place, without recursion.

use std::collections::BTreeSet;
use std::rc::Rc;

use rustc_hash::{FxHashMap, FxHashSet};

use crate::resolve::{NodeRef, Workspace};

use super::Response;

/// Rounds of reading again the schemas of a cycle until what they declare stops growing.
const MAX_SETTLING_ROUNDS: usize = 64;

/// Whether a media type carries structured data whose schema has properties.
pub fn is_structured(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    name.contains("json") || name.contains("xml") || name == "*/*" || name == "application/*"
}

/// The schemas of a response's body worth reading: those of structured media types, or, when
/// it has none, every one. Each schema node once (Swagger 2.0 repeats one schema per `produces`).
pub fn body_schemas(response: &Response) -> Vec<(&super::MediaType, NodeRef)> {
    let structured = response.content.iter().any(|media| is_structured(&media.name));
    let mut schemas: Vec<(&super::MediaType, NodeRef)> = Vec::new();
    for media in &response.content {
        if structured && !is_structured(&media.name) {
            continue;
        }
        if let Some(schema) = media.schema {
            if !schemas.iter().any(|(_, seen)| *seen == schema) {
                schemas.push((media, schema));
            }
        }
    }
    schemas
}

/// What a schema says about the object it describes, as far as error shapes go.
#[derive(Clone, Debug)]
pub struct Shape {
    /// Property names declared at the top level (through `$ref`, `allOf`, and all branches
    /// of `oneOf` / `anyOf`).
    pub properties: Rc<BTreeSet<String>>,
    /// Property names listed as `required` (gathered the same way).
    pub required: Rc<BTreeSet<String>>,
    pub kind: Kind,
    /// False while a schema that reaches itself (through `$ref`, `allOf`, `oneOf`, `anyOf`)
    /// has not gathered what the rest of its cycle declares; a shape that never settles is
    /// not judged (rather than be told it lacks what the cycle would give it).
    pub complete: bool,
}

impl Shape {
    /// Nothing known: not judged.
    fn unknown() -> Shape {
        Shape { properties: Rc::default(), required: Rc::default(), kind: Kind::Object, complete: false }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Kind {
    /// An object, or a schema that does not say (`{}`).
    #[default]
    Object,
    /// A declared `type` other than `object` (`string`, `array`).
    NotObject(String),
}

/// Property sets of schemas, memoized per resolved schema node: many error responses share one schema.
pub struct Shapes<'w> {
    workspace: &'w Workspace,
    memo: FxHashMap<NodeRef, Rc<Shape>>,
}

/// The schemas a schema is made of: what adds up (a `$ref`'s target, `allOf` members) and
/// the alternatives (`oneOf`, `anyOf`), of which only what every branch says holds.
pub struct Parts {
    pub merged: Vec<NodeRef>,
    pub alternatives: Vec<Vec<NodeRef>>,
}

impl Parts {
    pub fn of(workspace: &Workspace, node: NodeRef) -> Parts {
        let members = |list: NodeRef| -> Vec<NodeRef> {
            workspace
                .tree(list.file)
                .items(list.node)
                .iter()
                .map(|&item| NodeRef { file: list.file, node: item })
                .collect()
        };
        let mut merged: Vec<NodeRef> = Vec::new();
        // 3.1 lets siblings of a `$ref` add to its target.
        if let Some(target) = workspace.deref(node).filter(|&target| target != node) {
            merged.push(target);
        }
        if let Some(all) = workspace.get(node, "allOf") {
            merged.extend(members(all));
        }
        let alternatives =
            ["oneOf", "anyOf"].iter().filter_map(|combinator| workspace.get(node, combinator)).map(members).collect();
        Parts { merged, alternatives }
    }

    pub fn all(&self) -> impl Iterator<Item = NodeRef> + '_ {
        self.merged.iter().chain(self.alternatives.iter().flatten()).copied()
    }
}

impl<'w> Shapes<'w> {
    pub fn new(workspace: &'w Workspace) -> Shapes<'w> {
        Shapes { workspace, memo: FxHashMap::default() }
    }

    /// The shape of a schema node (a `$ref` is followed). Parts are read before the schemas
    /// made of them, without recursion and without a depth limit: a chain of thousands of
    /// `allOf`s adds up to the end.
    pub fn of(&mut self, node: NodeRef) -> Rc<Shape> {
        if let Some(shape) = self.memo.get(&node) {
            return Rc::clone(shape);
        }
        // Schemas being read, each with its parts and how many of them have been looked at.
        let mut reading: Vec<(NodeRef, Vec<NodeRef>, usize)> = Vec::new();
        let mut open: FxHashSet<NodeRef> = FxHashSet::default();
        // Schemas read while a part of theirs was still being read (a cycle), in the order read.
        let mut in_cycles: Vec<NodeRef> = Vec::new();
        open.insert(node);
        reading.push((node, Parts::of(self.workspace, node).all().collect(), 0));
        while let Some((current, parts, next)) = reading.last_mut() {
            if let Some(&part) = parts.get(*next) {
                *next += 1;
                // A part still being read is a cycle: `compute` sees it has no shape yet.
                if !self.memo.contains_key(&part) && open.insert(part) {
                    let parts_of_part = Parts::of(self.workspace, part).all().collect();
                    reading.push((part, parts_of_part, 0));
                }
                continue;
            }
            let current = *current;
            reading.pop();
            let shape = Rc::new(self.compute(current));
            open.remove(&current);
            if !shape.complete {
                in_cycles.push(current);
            }
            self.memo.insert(current, shape);
        }
        if !in_cycles.is_empty() {
            self.settle(&in_cycles);
        }
        self.memo.get(&node).cloned().unwrap_or_else(|| Rc::new(Shape::unknown()))
    }

    /// Schemas in a cycle were read with the parts still being read left out: read them again
    /// with what the others have gathered until nothing changes (what a schema declares only
    /// grows, so this ends, usually after a round or two). They are complete then; in the
    /// unlikely case that they have not settled after [`MAX_SETTLING_ROUNDS`], they stay
    /// incomplete and are not judged.
    fn settle(&mut self, in_cycles: &[NodeRef]) {
        for _ in 0..MAX_SETTLING_ROUNDS {
            let mut changed = false;
            for &node in in_cycles {
                let again = self.compute(node);
                let Some(before) = self.memo.get(&node) else { continue };
                if again.properties != before.properties
                    || again.required != before.required
                    || again.kind != before.kind
                {
                    changed = true;
                    self.memo.insert(node, Rc::new(again));
                }
            }
            if !changed {
                // Settled, unless a part outside the cycle never settled itself (an earlier
                // cycle that ran out of rounds).
                let members: FxHashSet<NodeRef> = in_cycles.iter().copied().collect();
                let unsettled_part = in_cycles
                    .iter()
                    .flat_map(|&node| Parts::of(self.workspace, node).all().collect::<Vec<_>>())
                    .any(|part| !members.contains(&part) && self.memo.get(&part).is_none_or(|shape| !shape.complete));
                if unsettled_part {
                    return;
                }
                for &node in in_cycles {
                    if let Some(shape) = self.memo.get_mut(&node) {
                        *shape = Rc::new(Shape { complete: true, ..(**shape).clone() });
                    }
                }
                return;
            }
        }
    }

    /// A schema's shape from its own declarations and its parts' shapes (read already; a
    /// part without one is part of a cycle, which leaves the shape incomplete).
    fn compute(&self, node: NodeRef) -> Shape {
        let ws = self.workspace;
        let parts = Parts::of(ws, node);
        let mut complete = true;
        let mut shape_of = |part: &NodeRef| match self.memo.get(part) {
            Some(shape) => {
                complete &= shape.complete;
                Some(Rc::clone(shape))
            }
            None => {
                complete = false;
                None
            }
        };
        let mut properties: BTreeSet<String> = BTreeSet::new();
        let mut required: BTreeSet<String> = BTreeSet::new();
        let mut kind = declared_kind(ws, node);
        // What every merged part says adds up.
        for part in parts.merged.iter().filter_map(&mut shape_of) {
            properties.extend(part.properties.iter().cloned());
            required.extend(part.required.iter().cloned());
            if kind == Kind::Object {
                kind = part.kind.clone();
            }
        }
        if let Some(own) = ws.get(node, "properties") {
            let tree = ws.tree(own.file);
            properties.extend(tree.entries(own.node).iter().map(|entry| tree.key_text(entry).to_owned()));
        }
        if let Some(own) = ws.get(node, "required") {
            let tree = ws.tree(own.file);
            required.extend(tree.items(own.node).iter().filter_map(|&item| tree.str(item)).map(str::to_owned));
        }
        // Of alternatives, only what every branch says holds.
        for branches in &parts.alternatives {
            let branches: Vec<Rc<Shape>> = branches.iter().filter_map(&mut shape_of).collect();
            properties.extend(common(branches.iter().map(|branch| branch.properties.as_ref())));
            required.extend(common(branches.iter().map(|branch| branch.required.as_ref())));
            let first_other = branches.iter().find_map(|branch| match &branch.kind {
                Kind::NotObject(other) => Some(other.clone()),
                Kind::Object => None,
            });
            if kind == Kind::Object && branches.iter().all(|branch| branch.kind != Kind::Object) {
                if let Some(other) = first_other {
                    kind = Kind::NotObject(other);
                }
            }
        }
        Shape { properties: Rc::new(properties), required: Rc::new(required), kind, complete }
    }
}

/// The names every one of the sets holds (none for no sets).
fn common<'a>(mut sets: impl Iterator<Item = &'a BTreeSet<String>>) -> BTreeSet<String> {
    let Some(first) = sets.next() else { return BTreeSet::new() };
    sets.fold(first.clone(), |common, set| common.intersection(set).cloned().collect())
}

/// The schema's own `type`, when it rules out an object (`type: [object, "null"]` does not).
pub fn declared_kind(workspace: &Workspace, node: NodeRef) -> Kind {
    let Some(declared) = workspace.get(node, "type") else { return Kind::Object };
    let tree = workspace.tree(declared.file);
    let types: Vec<&str> = match tree.str(declared.node) {
        Some(single) => vec![single],
        None => tree.items(declared.node).iter().filter_map(|&item| tree.str(item)).collect(),
    };
    match types.iter().find(|name| **name != "null") {
        Some(&first) if !types.contains(&"object") => Kind::NotObject(first.to_owned()),
        _ => Kind::Object,
    }
}
