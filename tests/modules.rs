//! No import circle between the modules of `src/` — a module is a file — so that arrows run
//! only downward (STYLE.md).
//!
//! The test reads every file the library declares, from `src/lib.rs` down its `mod` lines,
//! with `syn`, and collects what each file refers to: its `use` declarations (nested braces,
//! `self`, renames, globs) and every path in its code, in macro arguments and in serde
//! attributes. Each reference is resolved to the file that defines the item, through
//! re-exports: a `pub use` forwards a name, it is no import of the file that writes it, so a
//! facade (`lib.rs`, a `mod.rs` re-exporting its children) joins no circle by itself, and a
//! parent declaring a child (`mod build;`) is no edge either. Code under `#[cfg(test)]` is
//! left out: a unit test may use the modules above its own. A cycle is printed edge by edge,
//! with the line that makes each edge.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};

use proc_macro2::{Spacing, TokenStream, TokenTree};
use syn::visit::{self, Visit};
use syn::{Attribute, Item, UseTree, Visibility};

/// The cycles tolerated, each as the modules it runs through: none. Any cycle fails the test,
/// and so does an entry here that is no longer a cycle; an entry needs a reason and an issue
/// that removes it.
const KNOWN_CYCLES: &[&[&str]] = &[];

/// A module's path below the crate (`["layout", "build"]`); the crate root is empty.
type ModPath = Vec<String>;

/// What one module (a file, or an inline module within one) declares.
#[derive(Debug, Default)]
struct Scope {
    /// The file it is written in.
    file: usize,
    /// The names of the items it defines, child modules included.
    items: HashSet<String>,
    /// The names its `use` declarations bring in, each with its path as written.
    uses: HashMap<String, Vec<String>>,
    /// The paths of its glob imports, as written.
    globs: Vec<Vec<String>>,
}

/// A path one file refers to, as written in `scope`, on `line`.
#[derive(Debug)]
struct Reference {
    scope: ModPath,
    segments: Vec<String>,
    line: usize,
}

/// The library as modules and references.
#[derive(Debug, Default)]
struct Crate {
    /// Each file, relative to `src/`, with its module.
    files: Vec<(PathBuf, ModPath)>,
    scopes: HashMap<ModPath, Scope>,
    /// What each file refers to.
    references: Vec<Vec<Reference>>,
}

/// The module of a file as messages show it (`layout::build`; `lib` for the root).
fn shown(module: &[String]) -> String {
    if module.is_empty() {
        "lib".to_string()
    } else {
        module.join("::")
    }
}

/// True for items and members under `#[cfg(test)]` (or any `cfg` naming `test`).
fn is_test(attrs: &[Attribute]) -> bool {
    attrs.iter().any(|a| {
        a.path().is_ident("cfg") && {
            let mut found = false;
            let _ = a.parse_nested_meta(|meta| {
                found |= meta.path.is_ident("test");
                Ok(())
            });
            found
        }
    })
}

fn attrs_of(item: &Item) -> &[Attribute] {
    match item {
        Item::Const(i) => &i.attrs,
        Item::Enum(i) => &i.attrs,
        Item::ExternCrate(i) => &i.attrs,
        Item::Fn(i) => &i.attrs,
        Item::ForeignMod(i) => &i.attrs,
        Item::Impl(i) => &i.attrs,
        Item::Macro(i) => &i.attrs,
        Item::Mod(i) => &i.attrs,
        Item::Static(i) => &i.attrs,
        Item::Struct(i) => &i.attrs,
        Item::Trait(i) => &i.attrs,
        Item::TraitAlias(i) => &i.attrs,
        Item::Type(i) => &i.attrs,
        Item::Union(i) => &i.attrs,
        Item::Use(i) => &i.attrs,
        _ => &[],
    }
}

/// The name an item defines in its module, if any.
fn name_of(item: &Item) -> Option<String> {
    let ident = match item {
        Item::Const(i) => &i.ident,
        Item::Enum(i) => &i.ident,
        Item::ExternCrate(i) => i.rename.as_ref().map_or(&i.ident, |(_, r)| r),
        Item::Fn(i) => &i.sig.ident,
        Item::Macro(i) => i.ident.as_ref()?,
        Item::Mod(i) => &i.ident,
        Item::Static(i) => &i.ident,
        Item::Struct(i) => &i.ident,
        Item::Trait(i) => &i.ident,
        Item::TraitAlias(i) => &i.ident,
        Item::Type(i) => &i.ident,
        Item::Union(i) => &i.ident,
        _ => return None,
    };
    Some(ident.to_string())
}

/// One leaf of a `use` tree: a name brought in (none for `as _`) with its path, or a glob.
enum Leaf {
    Name(Option<String>, Vec<String>, usize),
    Glob(Vec<String>, usize),
}

/// The leaves of a use tree under `prefix` (`["::"]` for a leading `::`: another crate).
fn leaves(tree: &UseTree, prefix: &[String], out: &mut Vec<Leaf>) {
    let with = |ident: &syn::Ident| {
        let mut path = prefix.to_vec();
        path.push(ident.to_string());
        path
    };
    match tree {
        UseTree::Path(p) => leaves(&p.tree, &with(&p.ident), out),
        UseTree::Name(n) => {
            let line = n.ident.span().start().line;
            if n.ident == "self" {
                out.push(Leaf::Name(prefix.last().cloned(), prefix.to_vec(), line));
            } else {
                out.push(Leaf::Name(Some(n.ident.to_string()), with(&n.ident), line));
            }
        }
        UseTree::Rename(r) => {
            let path = if r.ident == "self" {
                prefix.to_vec()
            } else {
                with(&r.ident)
            };
            let name = (r.rename != "_").then(|| r.rename.to_string());
            out.push(Leaf::Name(name, path, r.ident.span().start().line));
        }
        UseTree::Glob(g) => out.push(Leaf::Glob(prefix.to_vec(), g.star_token.span.start().line)),
        UseTree::Group(g) => {
            for t in &g.items {
                leaves(t, prefix, out);
            }
        }
    }
}

/// The leaves of a `use` declaration.
fn use_leaves(item: &syn::ItemUse) -> Vec<Leaf> {
    let prefix = if item.leading_colon.is_some() {
        vec!["::".to_string()]
    } else {
        Vec::new()
    };
    let mut out = Vec::new();
    leaves(&item.tree, &prefix, &mut out);
    out
}

/// The serde attribute keys whose string value is a path (`deserialize_with = "x::y"`).
const SERDE_PATH_KEYS: &[&str] = &[
    "with",
    "serialize_with",
    "deserialize_with",
    "default",
    "skip_serializing_if",
    "from",
    "into",
    "try_from",
    "remote",
];

/// The paths in the code of one item, and the `use` declarations inside its blocks.
#[derive(Default)]
struct Collector {
    paths: Vec<(Vec<String>, usize)>,
    uses: Vec<Leaf>,
}

impl Collector {
    /// Paths in macro arguments: `a::b…` token runs (not after `::`, which are another
    /// crate's or the tail of a path with generic arguments).
    fn tokens(&mut self, tokens: TokenStream) {
        let trees: Vec<TokenTree> = tokens.into_iter().collect();
        let colons = |at: usize| {
            matches!((trees.get(at), trees.get(at + 1)),
                (Some(TokenTree::Punct(a)), Some(TokenTree::Punct(b)))
                    if a.as_char() == ':' && a.spacing() == Spacing::Joint && b.as_char() == ':')
        };
        let mut i = 0;
        while i < trees.len() {
            match &trees[i] {
                TokenTree::Group(g) => self.tokens(g.stream()),
                TokenTree::Ident(ident) => {
                    let after_colons = i >= 2 && colons(i - 2);
                    let dollar = i >= 1
                        && matches!(&trees[i - 1], TokenTree::Punct(p) if p.as_char() == '$');
                    let mut segments = vec![ident.to_string()];
                    if dollar && ident == "crate" {
                        segments[0] = "$crate".to_string();
                    }
                    let mut j = i + 1;
                    while colons(j) {
                        match trees.get(j + 2) {
                            Some(TokenTree::Ident(next)) => segments.push(next.to_string()),
                            _ => break,
                        }
                        j += 3;
                    }
                    if segments.len() > 1 && !after_colons {
                        self.paths.push((segments, ident.span().start().line));
                    }
                    i = j;
                    continue;
                }
                _ => {}
            }
            i += 1;
        }
    }
}

impl<'ast> Visit<'ast> for Collector {
    fn visit_item(&mut self, item: &'ast Item) {
        if is_test(attrs_of(item)) {
            return;
        }
        if let Item::Use(u) = item {
            self.uses.extend(use_leaves(u));
            return;
        }
        visit::visit_item(self, item);
    }

    fn visit_impl_item(&mut self, item: &'ast syn::ImplItem) {
        let attrs: &[Attribute] = match item {
            syn::ImplItem::Const(i) => &i.attrs,
            syn::ImplItem::Fn(i) => &i.attrs,
            syn::ImplItem::Type(i) => &i.attrs,
            syn::ImplItem::Macro(i) => &i.attrs,
            _ => &[],
        };
        if !is_test(attrs) {
            visit::visit_impl_item(self, item);
        }
    }

    fn visit_path(&mut self, path: &'ast syn::Path) {
        if path.leading_colon.is_none() && !path.segments.is_empty() {
            let segments = path.segments.iter().map(|s| s.ident.to_string()).collect();
            let line = path.segments[0].ident.span().start().line;
            self.paths.push((segments, line));
        }
        visit::visit_path(self, path);
    }

    /// `pub(super)`, `pub(in crate::x)`: who may see an item, no reference.
    fn visit_visibility(&mut self, _: &'ast Visibility) {}

    fn visit_macro(&mut self, mac: &'ast syn::Macro) {
        self.visit_path(&mac.path);
        self.tokens(mac.tokens.clone());
    }

    fn visit_attribute(&mut self, attr: &'ast Attribute) {
        if !attr.path().is_ident("serde") {
            return;
        }
        let _ = attr.parse_nested_meta(|meta| {
            let is_path_key = SERDE_PATH_KEYS.iter().any(|k| meta.path.is_ident(k));
            if let Ok(value) = meta.value() {
                let lit: syn::Lit = value.parse()?;
                if let (true, syn::Lit::Str(s)) = (is_path_key, &lit)
                    && let Ok(path) = s.parse::<syn::Path>()
                {
                    let line = s.span().start().line;
                    let segments = path.segments.iter().map(|s| s.ident.to_string());
                    self.paths.push((segments.collect(), line));
                }
            }
            Ok(())
        });
    }
}

impl Crate {
    /// Reads the library under `src` from its `lib.rs`.
    fn read(src: &Path) -> Crate {
        let mut krate = Crate::default();
        krate.add_file(src, Path::new("lib.rs"), Vec::new());
        krate
    }

    fn add_file(&mut self, src: &Path, relative: &Path, module: ModPath) {
        let path = src.join(relative);
        let text =
            std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let file = syn::parse_file(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let id = self.files.len();
        self.files.push((relative.to_path_buf(), module.clone()));
        self.references.push(Vec::new());
        // The files of its children: beside `lib.rs` and a `mod.rs`, in a folder named after
        // any other file.
        let name = relative.file_name().and_then(|n| n.to_str()).unwrap_or("");
        let folder = relative.parent().unwrap_or(Path::new(""));
        let children = if name == "lib.rs" || name == "mod.rs" {
            folder.to_path_buf()
        } else {
            folder.join(name.trim_end_matches(".rs"))
        };
        self.add_items(src, &children, id, module, &file.items);
    }

    fn add_items(
        &mut self,
        src: &Path,
        children: &Path,
        file: usize,
        scope: ModPath,
        items: &[Item],
    ) {
        self.scopes.entry(scope.clone()).or_insert_with(|| Scope {
            file,
            ..Scope::default()
        });
        for item in items {
            if is_test(attrs_of(item)) {
                continue;
            }
            if let Some(name) = name_of(item) {
                self.scope(&scope).items.insert(name);
            }
            match item {
                Item::Mod(m) => {
                    assert!(
                        !m.attrs.iter().any(|a| a.path().is_ident("path")),
                        "#[path] on mod {} is not followed by this test",
                        m.ident
                    );
                    let name = m.ident.to_string();
                    let mut child = scope.clone();
                    child.push(name.clone());
                    match &m.content {
                        Some((_, inner)) => {
                            self.add_items(src, &children.join(&name), file, child, inner);
                        }
                        None => {
                            let candidates = [
                                children.join(format!("{name}.rs")),
                                children.join(&name).join("mod.rs"),
                            ];
                            let found = candidates
                                .iter()
                                .find(|c| src.join(c).is_file())
                                .unwrap_or_else(|| panic!("no file for mod {}", shown(&child)));
                            self.add_file(src, &found.clone(), child);
                        }
                    }
                }
                Item::Use(u) => {
                    // A re-export forwards a name: references through it reach its target.
                    let import = matches!(u.vis, Visibility::Inherited);
                    for leaf in use_leaves(u) {
                        self.add_leaf(file, &scope, leaf, import, true);
                    }
                }
                other => {
                    let mut c = Collector::default();
                    c.visit_item(other);
                    for leaf in c.uses {
                        self.add_leaf(file, &scope, leaf, true, false);
                    }
                    for (segments, line) in c.paths {
                        self.references[file].push(Reference {
                            scope: scope.clone(),
                            segments,
                            line,
                        });
                    }
                }
            }
        }
    }

    fn scope(&mut self, path: &[String]) -> &mut Scope {
        self.scopes
            .get_mut(path)
            .expect("a scope is added before its items")
    }

    /// Records a `use` leaf: the name it brings into `scope` (a block's `use` only when the
    /// module has no such name), and, for an import, a reference.
    fn add_leaf(&mut self, file: usize, scope: &ModPath, leaf: Leaf, import: bool, module: bool) {
        let (path, line) = match leaf {
            Leaf::Name(name, path, line) => {
                if let Some(name) = name {
                    let s = self.scope(scope);
                    if module || !(s.uses.contains_key(&name) || s.items.contains(&name)) {
                        s.uses.insert(name, path.clone());
                    }
                }
                (path, line)
            }
            Leaf::Glob(path, line) => {
                self.scope(scope).globs.push(path.clone());
                (path, line)
            }
        };
        if import {
            self.references[file].push(Reference {
                scope: scope.clone(),
                segments: path,
                line,
            });
        }
    }

    /// The absolute path of `segments` as written in `scope`; `None` for another crate's
    /// item, a local variable or a name of the prelude.
    fn absolute(&self, scope: &[String], segments: &[String], depth: usize) -> Option<ModPath> {
        let first = segments.first()?.as_str();
        if depth > 32 {
            return None;
        }
        let join = |base: &[String], rest: &[String]| -> ModPath {
            base.iter().chain(rest).cloned().collect()
        };
        match first {
            "::" => None,
            "crate" | "$crate" => Some(segments[1..].to_vec()),
            "self" => Some(join(scope, &segments[1..])),
            "super" => {
                let mut at = scope.to_vec();
                let mut rest = segments;
                while rest.first().is_some_and(|s| s == "super") {
                    at.pop()?;
                    rest = &rest[1..];
                }
                Some(join(&at, rest))
            }
            _ => {
                let s = self.scopes.get(scope)?;
                if s.items.contains(first) {
                    return Some(join(scope, segments));
                }
                if let Some(target) = s.uses.get(first) {
                    let target = self.absolute(scope, target, depth + 1)?;
                    return Some(join(&target, &segments[1..]));
                }
                s.globs.iter().find_map(|glob| {
                    let module = self.absolute(scope, glob, depth + 1)?;
                    let m = self.scopes.get(&module)?;
                    (m.items.contains(first) || m.uses.contains_key(first))
                        .then(|| join(&module, segments))
                })
            }
        }
    }

    /// The file that defines the item at the absolute path `path`, through re-exports;
    /// `None` when it is another crate's.
    fn file_of(&self, path: &[String], depth: usize) -> Option<usize> {
        let mut k = path.len();
        while k > 0 && !self.scopes.contains_key(&path[..k]) {
            k -= 1;
        }
        let (module, rest) = path.split_at(k);
        let scope = self.scopes.get(module)?;
        let Some(name) = rest.first() else {
            return Some(scope.file);
        };
        if scope.items.contains(name) || depth > 32 {
            return Some(scope.file);
        }
        let forwarded = scope.uses.get(name).map(|target| {
            let target = self.absolute(module, target, 0)?;
            self.file_of(&[target.as_slice(), &rest[1..]].concat(), depth + 1)
        });
        if let Some(file) = forwarded {
            return file;
        }
        for glob in &scope.globs {
            if let Some(g) = self.absolute(module, glob, 0)
                && self
                    .scopes
                    .get(&g)
                    .is_some_and(|m| m.items.contains(name) || m.uses.contains_key(name))
            {
                return self.file_of(&[g.as_slice(), rest].concat(), depth + 1);
            }
        }
        Some(scope.file)
    }

    /// Every edge between two files, with the line of the first reference that makes it.
    fn edges(&self) -> BTreeMap<(usize, usize), usize> {
        let mut edges = BTreeMap::new();
        for (from, references) in self.references.iter().enumerate() {
            for r in references {
                let to = self
                    .absolute(&r.scope, &r.segments, 0)
                    .and_then(|path| self.file_of(&path, 0));
                if let Some(to) = to
                    && to != from
                {
                    let line = edges.entry((from, to)).or_insert(r.line);
                    *line = (*line).min(r.line);
                }
            }
        }
        edges
    }

    /// The module of file `file`.
    fn module(&self, file: usize) -> String {
        shown(&self.files[file].1)
    }
}

/// The strongly connected components of more than one file (Tarjan's algorithm), each
/// sorted.
fn cycles(nodes: usize, edges: &BTreeMap<(usize, usize), usize>) -> Vec<Vec<usize>> {
    struct Tarjan {
        next: Vec<Vec<usize>>,
        index: Vec<Option<usize>>,
        low: Vec<usize>,
        on_stack: Vec<bool>,
        stack: Vec<usize>,
        counter: usize,
        out: Vec<Vec<usize>>,
    }
    impl Tarjan {
        fn visit(&mut self, v: usize) {
            self.index[v] = Some(self.counter);
            self.low[v] = self.counter;
            self.counter += 1;
            self.stack.push(v);
            self.on_stack[v] = true;
            for w in self.next[v].clone() {
                match self.index[w] {
                    None => {
                        self.visit(w);
                        self.low[v] = self.low[v].min(self.low[w]);
                    }
                    Some(i) if self.on_stack[w] => self.low[v] = self.low[v].min(i),
                    Some(_) => {}
                }
            }
            if Some(self.low[v]) == self.index[v] {
                let mut component = Vec::new();
                while let Some(w) = self.stack.pop() {
                    self.on_stack[w] = false;
                    component.push(w);
                    if w == v {
                        break;
                    }
                }
                if component.len() > 1 {
                    component.sort_unstable();
                    self.out.push(component);
                }
            }
        }
    }
    let mut next = vec![Vec::new(); nodes];
    for &(a, b) in edges.keys() {
        next[a].push(b);
    }
    let mut t = Tarjan {
        next,
        index: vec![None; nodes],
        low: vec![0; nodes],
        on_stack: vec![false; nodes],
        stack: Vec::new(),
        counter: 0,
        out: Vec::new(),
    };
    for v in 0..nodes {
        if t.index[v].is_none() {
            t.visit(v);
        }
    }
    t.out.sort();
    t.out
}

/// A shortest circle through the first file of `component`, edge by edge with its line.
fn describe(krate: &Crate, component: &[usize], edges: &BTreeMap<(usize, usize), usize>) -> String {
    let start = component[0];
    let inside: BTreeSet<usize> = component.iter().copied().collect();
    // Breadth first from `start` back to it, within the component.
    let mut from: HashMap<usize, usize> = HashMap::new();
    let mut queue = std::collections::VecDeque::from([start]);
    let mut last = None;
    'search: while let Some(v) = queue.pop_front() {
        for (&(a, b), _) in edges.range((v, 0)..(v + 1, 0)) {
            debug_assert_eq!(a, v);
            if b == start {
                last = Some(v);
                break 'search;
            }
            if inside.contains(&b) && !from.contains_key(&b) {
                from.insert(b, v);
                queue.push_back(b);
            }
        }
    }
    let mut path = vec![start];
    let mut at = last.expect("a component of a cycle leads back to its start");
    while at != start {
        path.push(at);
        at = from[&at];
    }
    path.push(start);
    path.reverse();
    let names: Vec<String> = path.iter().map(|&f| krate.module(f)).collect();
    let mut out = format!("  {}\n", names.join(" → "));
    for pair in path.windows(2) {
        let (a, b) = (pair[0], pair[1]);
        out += &format!(
            "    src/{}:{} {} uses {}\n",
            krate.files[a].0.display(),
            edges[&(a, b)],
            krate.module(a),
            krate.module(b)
        );
    }
    let members: Vec<String> = component.iter().map(|&f| krate.module(f)).collect();
    out += &format!("    (the circle joins {})\n", members.join(", "));
    out
}

/// The cycles of the library under `src`, as module names, with their descriptions.
fn find_cycles(src: &Path) -> Vec<(BTreeSet<String>, String)> {
    let krate = Crate::read(src);
    let edges = krate.edges();
    cycles(krate.files.len(), &edges)
        .into_iter()
        .map(|component| {
            let names = component.iter().map(|&f| krate.module(f)).collect();
            (names, describe(&krate, &component, &edges))
        })
        .collect()
}

#[test]
fn no_module_of_src_imports_another_in_a_circle() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let found = find_cycles(&src);
    // `JIXIAO_MODULE_EDGES=1 cargo test --test modules -- --nocapture` shows the graph.
    if std::env::var_os("JIXIAO_MODULE_EDGES").is_some() {
        let krate = Crate::read(&src);
        for ((a, b), line) in krate.edges() {
            let file = krate.files[a].0.display();
            println!(
                "{} → {} (src/{file}:{line})",
                krate.module(a),
                krate.module(b)
            );
        }
    }
    let known: Vec<BTreeSet<String>> = KNOWN_CYCLES
        .iter()
        .map(|c| c.iter().map(|s| s.to_string()).collect())
        .collect();
    let mut report = String::new();
    for (members, description) in &found {
        if !known.iter().any(|k| members.is_subset(k)) {
            report += &format!("an import circle:\n{description}");
        }
    }
    for k in &known {
        if !found.iter().any(|(members, _)| members.is_subset(k)) {
            report += &format!("no longer a circle, remove it from KNOWN_CYCLES: {k:?}\n");
        }
    }
    assert!(report.is_empty(), "\n{report}");
}

/// The edges of a small crate written to a temporary folder, as `from → to` module names.
fn edges_of(files: &[(&str, &str)]) -> BTreeSet<(String, String)> {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in files {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    let krate = Crate::read(dir.path());
    krate
        .edges()
        .keys()
        .map(|&(a, b)| (krate.module(a), krate.module(b)))
        .collect()
}

#[test]
fn references_are_followed_through_braces_self_re_exports_macros_and_globs() {
    let files = [
        (
            "lib.rs",
            "pub mod a;\npub mod b;\nmod c;\npub mod d;\nmod e;\npub use a::Thing;",
        ),
        // Nested braces with `self`; a path in a macro's arguments; a block's `use`.
        (
            "a.rs",
            "use crate::{b::{self, Other as O}, c};\npub struct Thing;\n\
             fn f() -> String { use crate::d::Deep; format!(\"{:?}\", crate::c::x()) }",
        ),
        // Through the root's re-export, `Thing` is a's: a circle with a.
        (
            "b.rs",
            "pub struct Other;\npub fn g() -> crate::Thing { crate::Thing }",
        ),
        // Test code and another crate's paths make no edge.
        (
            "c.rs",
            "pub fn x() {}\nuse ::std::fmt;\n#[cfg(test)]\nmod tests { use crate::a::Thing; }",
        ),
        // A folder module re-exporting its child: the child is used, not the facade.
        ("d/mod.rs", "mod inner;\npub use inner::Deep;"),
        (
            "d/inner.rs",
            "#[derive(Debug)] pub struct Deep;\nuse crate::c::*;\nfn h() { x() }",
        ),
        // An inline module and a serde path stay in their file; a serde path to another
        // file is an edge.
        (
            "e.rs",
            "mod inline { pub struct Y; }\nuse self::inline::Y;\n\
             #[derive(serde::Deserialize)]\n\
             struct S { #[serde(deserialize_with = \"crate::d::parse\")] y: u8 }",
        ),
    ];
    let pairs = |list: &[(&str, &str)]| -> BTreeSet<(String, String)> {
        list.iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    };
    assert_eq!(
        edges_of(&files),
        pairs(&[
            ("a", "b"),
            ("a", "c"),
            ("a", "d::inner"),
            ("b", "a"),
            ("d::inner", "c"),
            ("e", "d"),
        ])
    );
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in files {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    let found = find_cycles(dir.path());
    assert_eq!(found.len(), 1);
    let names: Vec<&str> = found[0].0.iter().map(String::as_str).collect();
    assert_eq!(names, ["a", "b"]);
    assert!(found[0].1.contains("src/b.rs:2 b uses a"), "{}", found[0].1);
}
