//! The alias table in `docs/ingest.md` is generated from `aliases.toml`, so the page staff
//! read is the table the program uses.
//!
//! The section between `<!-- aliases:start -->` and `<!-- aliases:end -->` must equal
//! [`render`] of the built-in table. After changing `aliases.toml`, regenerate it with
//!
//! ```sh
//! HEDUI_UPDATE_DOCS=1 cargo test -p hedui-ingest --test it alias_docs
//! ```

#![allow(clippy::unwrap_used)] // a failed expectation should panic with its message

use std::fmt::Write as _;
use std::path::PathBuf;

use hedui_ingest::{AliasTable, TableKind};

const START: &str = "<!-- aliases:start -->";
const END: &str = "<!-- aliases:end -->";

/// Every table kind, in the order the page lists them.
const KINDS: [(TableKind, &str); 7] = [
    (TableKind::Recipients, "Recipient roster"),
    (TableKind::Vehicle, "Vehicles (车管所)"),
    (TableKind::Licence, "Business licences (市场监管)"),
    (TableKind::Property, "Property (不动产登记)"),
    (TableKind::Staff, "Staff roster (工作人员名册)"),
    (
        TableKind::RelativesRegister,
        "Relatives register (亲属备案登记)",
    ),
    (TableKind::Hukou, "Household registration (户籍)"),
];

#[test]
fn the_page_lists_every_table_kind() {
    let listed: Vec<TableKind> = KINDS.iter().map(|(k, _)| *k).collect();
    assert_eq!(listed, TableKind::ALL);
}

fn docs_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../docs/ingest.md")
}

/// The Markdown for the built-in aliases: one table per kind, fields in output order,
/// names in the order they are tried.
fn render(table: &AliasTable) -> String {
    let mut out = String::new();
    out.push_str(
        "<!-- Generated from crates/hedui-ingest/aliases.toml by \
         crates/hedui-ingest/tests/it/alias_docs.rs; do not edit by hand. -->\n",
    );
    for (kind, title) in KINDS {
        let _ = writeln!(out, "\n### {title}: `{}`\n", kind.as_str());
        out.push_str("| field | required | header names, in the order they are tried |\n");
        out.push_str("|---|---|---|\n");
        for field in kind.fields() {
            let names: Vec<String> = table
                .names(kind, field.name)
                .iter()
                .map(|n| format!("`{}`", n.replace('|', "\\|")))
                .collect();
            let _ = writeln!(
                out,
                "| `{}` | {} | {} |",
                field.name,
                if field.required { "yes" } else { "" },
                names.join(", ")
            );
        }
    }
    out
}

/// Replaces what lies between the markers (exclusive) with `section`.
fn splice(doc: &str, section: &str) -> String {
    let start = doc
        .find(START)
        .expect("docs/ingest.md lacks the start marker")
        + START.len();
    let end = doc.find(END).expect("docs/ingest.md lacks the end marker");
    assert!(start <= end, "markers out of order in docs/ingest.md");
    format!("{}\n{section}\n{}", &doc[..start], &doc[end..])
}

#[test]
fn every_field_has_names() {
    let table = AliasTable::builtin().unwrap();
    for (kind, _) in KINDS {
        for field in kind.fields() {
            assert!(
                !table.names(kind, field.name).is_empty(),
                "{}.{} has no alias",
                kind.as_str(),
                field.name
            );
        }
    }
}

#[test]
fn docs_alias_table_matches_aliases_toml() {
    let rendered = render(&AliasTable::builtin().unwrap());
    let path = docs_path();
    let doc = std::fs::read_to_string(&path).unwrap();
    let expected = splice(&doc, &rendered);
    if expected == doc {
        return;
    }
    if std::env::var_os("HEDUI_UPDATE_DOCS").is_some_and(|v| v == "1") {
        std::fs::write(&path, expected).unwrap();
        eprintln!("updated {}", path.display());
        return;
    }
    let first_difference = expected
        .lines()
        .zip(doc.lines())
        .find(|(want, have)| want != have)
        .map_or_else(
            || "one is a prefix of the other".to_owned(),
            |(want, have)| format!("expected {want:?}\n  found    {have:?}"),
        );
    panic!(
        "the alias table in docs/ingest.md is out of date with aliases.toml; regenerate it \
         with `HEDUI_UPDATE_DOCS=1 cargo test -p hedui-ingest --test it alias_docs`\n  \
         {first_difference}"
    );
}
