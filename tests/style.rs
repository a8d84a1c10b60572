//! Two rules of STYLE.md that a reviewer would otherwise count by hand, checked over every
//! file of `src/` (code under `#[cfg(test)]` left out): no function longer than 120 lines,
//! and no `Result<_, String>` — an error is a type that keeps its source, not a sentence.
//!
//! Files are parsed with `syn` (with span locations), so that a function's length is the
//! lines from its signature to its closing brace, whatever its formatting.

use std::path::{Path, PathBuf};

use syn::visit::{self, Visit};
use syn::{Attribute, GenericArgument, PathArguments, Type};

const MAX_LINES: usize = 120;

fn is_test(attrs: &[Attribute]) -> bool {
    attrs.iter().any(|a| {
        a.path().is_ident("test")
            || a.path().is_ident("cfg")
                && matches!(&a.meta, syn::Meta::List(l) if l.tokens.to_string().contains("test"))
    })
}

#[derive(Default)]
struct Check {
    file: PathBuf,
    long: Vec<String>,
    string_errors: Vec<String>,
}

impl Check {
    fn function(&mut self, name: &syn::Ident, sig: &syn::Signature, block: &syn::Block) {
        let start = sig.fn_token.span.start().line;
        let end = block.brace_token.span.close().start().line;
        let lines = end - start + 1;
        if lines > MAX_LINES {
            self.long.push(format!(
                "{}:{start} fn {name}: {lines} lines",
                self.file.display()
            ));
        }
    }
}

impl<'ast> Visit<'ast> for Check {
    fn visit_item_mod(&mut self, m: &'ast syn::ItemMod) {
        if !is_test(&m.attrs) {
            visit::visit_item_mod(self, m);
        }
    }

    fn visit_item_fn(&mut self, f: &'ast syn::ItemFn) {
        if is_test(&f.attrs) {
            return;
        }
        self.function(&f.sig.ident, &f.sig, &f.block);
        visit::visit_item_fn(self, f);
    }

    fn visit_impl_item_fn(&mut self, f: &'ast syn::ImplItemFn) {
        if is_test(&f.attrs) {
            return;
        }
        self.function(&f.sig.ident, &f.sig, &f.block);
        visit::visit_impl_item_fn(self, f);
    }

    fn visit_item_impl(&mut self, i: &'ast syn::ItemImpl) {
        if !is_test(&i.attrs) {
            visit::visit_item_impl(self, i);
        }
    }

    fn visit_type_path(&mut self, t: &'ast syn::TypePath) {
        if let Some(last) = t.path.segments.last()
            && last.ident == "Result"
            && let PathArguments::AngleBracketed(args) = &last.arguments
            && let Some(GenericArgument::Type(Type::Path(error))) = args.args.iter().nth(1)
            && error.path.is_ident("String")
        {
            self.string_errors.push(format!(
                "{}:{} Result<_, String>",
                self.file.display(),
                last.ident.span().start().line
            ));
        }
        visit::visit_type_path(self, t);
    }
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("src/ is readable") {
        let path = entry.expect("a directory entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

fn check_src() -> Check {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    files.sort();
    assert!(files.len() > 20, "src/ has the project's files");
    let mut check = Check::default();
    for file in files {
        let text = std::fs::read_to_string(&file).expect("a source file is UTF-8");
        let parsed = syn::parse_file(&text).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        check.file = file.strip_prefix(&src).unwrap_or(&file).to_path_buf();
        check.visit_file(&parsed);
    }
    check
}

#[test]
fn no_function_is_longer_than_120_lines() {
    let check = check_src();
    assert!(
        check.long.is_empty(),
        "functions over {MAX_LINES} lines (cut them into named steps):\n{}",
        check.long.join("\n")
    );
}

#[test]
fn no_result_carries_a_string_error() {
    let check = check_src();
    assert!(
        check.string_errors.is_empty(),
        "errors as strings (give them a type that keeps the source):\n{}",
        check.string_errors.join("\n")
    );
}

/// The checks see what they claim to: a long function and a string error in a snippet are
/// found, the same under `#[cfg(test)]` are not.
#[test]
fn the_checks_find_what_they_look_for() {
    let body = "    let x = 1;\n".repeat(MAX_LINES);
    let text = format!(
        "fn long() {{\n{body}}}\nfn short() -> Result<(), String> {{ Ok(()) }}\n\
         #[cfg(test)]\nmod tests {{\n fn long_test() {{\n{body}}}\n fn s() -> Result<(), String> {{ Ok(()) }}\n}}\n"
    );
    let parsed = syn::parse_file(&text).expect("the snippet parses");
    let mut check = Check {
        file: PathBuf::from("snippet.rs"),
        ..Check::default()
    };
    check.visit_file(&parsed);
    assert_eq!(check.long.len(), 1, "{:?}", check.long);
    assert!(check.long[0].contains("fn long:"), "{:?}", check.long);
    assert_eq!(check.string_errors.len(), 1, "{:?}", check.string_errors);
}
