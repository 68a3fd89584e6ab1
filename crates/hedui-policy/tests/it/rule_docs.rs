//! `docs/rules/` is generated from the rule files' `//!` comments, so the pages staff read
//! say what the code does. After editing a rule's comment, regenerate them with
//!
//! ```sh
//! HEDUI_UPDATE_DOCS=1 cargo test -p hedui-policy --test it rule_docs
//! ```

#![allow(clippy::unwrap_used)] // a failed expectation should panic with its message

use std::collections::BTreeMap;
use std::path::PathBuf;

use hedui_policy::{Policy, index_markdown, rules};

fn docs_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../docs/rules")
}

/// Every page the directory must hold: `<id>.md` per rule and the index.
fn expected_pages() -> BTreeMap<String, String> {
    let mut pages: BTreeMap<String, String> = rules()
        .iter()
        .map(|doc| (format!("{}.md", doc.id), doc.markdown()))
        .collect();
    pages.insert("README.md".to_owned(), index_markdown());
    pages
}

#[test]
fn every_rule_documents_every_section() {
    let ids: std::collections::BTreeSet<&str> = rules().iter().map(|d| d.id).collect();
    assert!(!ids.is_empty());
    assert_eq!(ids.len(), rules().len(), "two rules share an id");
    for doc in rules() {
        for (section, text) in [
            ("title", &doc.title),
            ("What it does", &doc.what_it_does),
            ("Why", &doc.why),
            ("Evidence it needs", &doc.evidence_it_needs),
            ("Example", &doc.example),
        ] {
            assert!(!text.trim().is_empty(), "{}: `{section}` is empty", doc.id);
        }
    }
}

#[test]
fn every_example_is_a_valid_policy_table() {
    for doc in rules() {
        let toml = doc
            .example
            .strip_prefix("```toml")
            .and_then(|s| s.strip_suffix("```"))
            .unwrap_or_else(|| panic!("{}: the example is not one ```toml block", doc.id));
        assert!(toml.contains(&format!("[rules.{}]", doc.id)), "{}", doc.id);
        let text = format!(
            "name = \"例\"\nversion = \"1\"\neffective_from = \"2026-01-01\"\n\
             inactive_statuses = [\"注销\"]\n{toml}"
        );
        if let Err(e) = Policy::from_toml(&text, &format!("docs/rules/{}.md", doc.id)) {
            panic!("{}: the example does not load: {e}", doc.id);
        }
    }
}

#[test]
fn docs_rules_match_the_rule_files() {
    let dir = docs_dir();
    let expected = expected_pages();
    let mut stale = Vec::new();
    for (name, text) in &expected {
        if std::fs::read_to_string(dir.join(name)).ok().as_ref() != Some(text) {
            stale.push(name.clone());
        }
    }
    let extra: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|x| x == "md"))
                .filter(|p| {
                    let name = p.file_name().unwrap().to_string_lossy().into_owned();
                    !expected.contains_key(&name)
                })
                .collect()
        })
        .unwrap_or_default();
    if stale.is_empty() && extra.is_empty() {
        return;
    }
    if std::env::var_os("HEDUI_UPDATE_DOCS").is_some_and(|v| v == "1") {
        std::fs::create_dir_all(&dir).unwrap();
        for name in &stale {
            std::fs::write(dir.join(name), &expected[name]).unwrap();
            eprintln!("updated docs/rules/{name}");
        }
        // A page for a rule that no longer exists would document something hedui does not do.
        for path in &extra {
            std::fs::remove_file(path).unwrap();
            eprintln!("removed {}", path.display());
        }
        return;
    }
    panic!(
        "docs/rules is out of date with crates/hedui-policy/src/rules: stale {stale:?}, \
         no longer a rule {extra:?}; regenerate with \
         `HEDUI_UPDATE_DOCS=1 cargo test -p hedui-policy --test it rule_docs`"
    );
}
