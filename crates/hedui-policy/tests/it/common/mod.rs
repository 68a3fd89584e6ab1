//! Hand-built members, records and policies for the policy tests: the builders shared
//! with the other crates' tests come from hedui-testkit, what is the policy's own (link
//! references, policies) is here.

#![allow(dead_code, clippy::unwrap_used)] // each test file uses a different subset

use chrono::NaiveDate;
use hedui_core::Member;
use hedui_policy::{LinkRef, Policy};
pub use hedui_testkit::{Rec, date};

pub const CHECK: &str = "2026-06-30";

pub fn check() -> NaiveDate {
    date(CHECK)
}

/// A roster member; `address` decides the county (`个旧市…` is 532501, `""` is unknown).
pub fn member(household: &str, name: &str, id: &str, address: &str) -> Member {
    hedui_testkit::Mem::new(household, name)
        .id(id)
        .address(address)
        .build()
}

pub fn link(record: usize, member: usize) -> LinkRef {
    LinkRef {
        record,
        owner: 0,
        member,
        review: false,
    }
}

pub fn review(record: usize, member: usize) -> LinkRef {
    LinkRef {
        review: true,
        ..link(record, member)
    }
}

/// A policy of the demo's shape, with the rule tables given.
pub fn policy_with(rules: &str) -> Policy {
    let text = format!(
        "name = \"测试政策\"\nversion = \"t1\"\neffective_from = \"2026-01-01\"\n\
         {rules}\n\
         [status.vehicle]\ninactive = [{{ exact = \"注销\" }}, {{ exact = \"报废\" }}, \
         {{ exact = \"转出\" }}, {{ exact = \"被盗抢\" }}]\n\
         [status.licence]\ninactive = [{{ exact = \"注销\" }}, {{ exact = \"吊销\" }}]\n\
         [status.property]\ninactive = [{{ exact = \"注销\" }}]\n"
    );
    Policy::from_toml(&text, "test.toml").unwrap()
}

/// The demo policy file's rule tables.
pub fn demo_policy() -> Policy {
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/demo/policy.toml");
    Policy::load(&path).unwrap()
}

/// The committed demo world's folder.
pub fn demo_dir() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/demo")
}

/// One demo source, read as `hedui check` reads it, from its `[[sources]]` table.
pub fn read_demo(spec: &str) -> (Vec<Member>, Vec<hedui_core::AssetRecord>) {
    let spec: hedui_ingest::SourceSpec = toml::from_str(spec).unwrap();
    let aliases = hedui_ingest::AliasTable::builtin().unwrap();
    let data = hedui_ingest::read_source(&spec, &demo_dir(), &aliases).unwrap();
    (data.members, data.assets)
}
