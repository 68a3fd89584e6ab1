//! `report/`: the audit report as a folder of linked pages, so that a prefecture's report
//! opens at once however many households it holds.
//!
//! - `index.html`: the summary by county and rule, the charts, what changed since the last
//!   run, the inputs and their row accounting, and a search box over `search.js`.
//! - `counties/<code>.html`: one county's households with candidates.
//! - `households/<id>.html`: one household's evidence and waterfalls, one printed page each.
//! - `changes.html`: every change since the last run, when the index shows only the first.
//!
//! Every page is self-contained (inline style, inline SVG, nothing fetched) and stays under
//! [`PAGE_LIMIT`]: a list or household that would be larger is cut into numbered parts.
//! The search index is a script, not JSON, because browsers refuse to fetch files from
//! `file://` but do run a script beside the page.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::path::Path;

use minijinja::Value;
use minijinja::value::Serde;
use rayon::prelude::*;
use serde::Serialize;
use sha2::{Digest, Sha256};

use super::{
    ChangeRow, Counts, CountySummary, Household, InputRow, ReportMeta, charts, county_key,
    households,
};
use crate::mask::Masker;
use crate::model::EvidenceRecord;
use crate::write::EvidenceError;

/// The largest page the folder may hold.
pub const PAGE_LIMIT: usize = 2 * 1024 * 1024;
/// What a part is cut to: room under the limit for the page around the list.
const PAGE_BUDGET: usize = PAGE_LIMIT * 3 / 4;
/// Changes listed on the index itself; the rest are on `changes.html`.
const CHANGES_ON_INDEX: usize = 100;

/// What the report folder holds, for the summary and the tests.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ReportSite {
    pub pages: usize,
    /// The largest page, relative to the folder, and its size in bytes.
    pub largest_page: String,
    pub largest_bytes: usize,
    pub search_bytes: usize,
}

/// A page's file name without `.html`: the household id or county code where that is a
/// plain, short name that holds no identity number, else a hash of it, so that no file name
/// can leak a number or escape the folder.
fn stem(key: &str) -> String {
    let plain = !key.is_empty()
        && key.len() <= 64
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        && Masker { enabled: true }.text(key) == key;
    if plain {
        key.to_owned()
    } else {
        let digest = Sha256::digest(key.as_bytes());
        let hex: String = digest[..8].iter().map(|b| format!("{b:02x}")).collect();
        format!("h{hex}")
    }
}

/// Part `i` (from 0) of a page: `H1.html`, `H1.p2.html`… A dot never occurs in a stem, so a
/// part can never take another page's name.
fn part_file(stem: &str, i: usize) -> String {
    if i == 0 {
        format!("{stem}.html")
    } else {
        format!("{stem}.p{}.html", i + 1)
    }
}

#[derive(Debug, Serialize)]
struct PartLink {
    n: usize,
    href: String,
    current: bool,
}

fn part_links(stem: &str, current: usize, parts: usize) -> Vec<PartLink> {
    (0..parts)
        .map(|i| PartLink {
            n: i + 1,
            href: part_file(stem, i),
            current: i == current,
        })
        .collect()
}

/// Renders `items` on one page, or on as many parts as keep each under the budget. A part
/// holding a single item is kept whatever its size: an item cannot be cut.
fn paged<T: Sync>(
    items: &[T],
    render: impl Fn(&[T], usize, usize) -> Result<String, EvidenceError>,
) -> Result<Vec<String>, EvidenceError> {
    let mut parts = 1;
    loop {
        let size = items.len().div_ceil(parts).max(1);
        let chunks: Vec<&[T]> = if items.is_empty() {
            vec![items]
        } else {
            items.chunks(size).collect()
        };
        let n = chunks.len();
        let pages = chunks
            .iter()
            .enumerate()
            .map(|(i, chunk)| render(chunk, i, n))
            .collect::<Result<Vec<String>, _>>()?;
        let over = pages
            .iter()
            .zip(&chunks)
            .any(|(page, chunk)| page.len() > PAGE_BUDGET && chunk.len() > 1);
        if !over {
            return Ok(pages);
        }
        let largest = pages.iter().map(String::len).max().unwrap_or(0);
        parts = (n * largest.div_ceil(PAGE_BUDGET)).max(n + 1);
    }
}

/// One household on its county's page.
#[derive(Debug, Serialize)]
struct HouseholdRow {
    id: String,
    href: String,
    members: String,
    rules: String,
    candidates: usize,
    review: usize,
    statuses: String,
}

/// One household in the search index: id, page stem (empty when it is the id), county,
/// the members' names and the record keys, each list joined by spaces.
type SearchRow = (String, String, usize, String, String);

/// Households in id order with what their county page and the search need.
struct Listed<'a> {
    household: Household,
    stem: String,
    county_stem: String,
    records: Vec<&'a EvidenceRecord>,
}

fn household_row(l: &Listed<'_>, mask: Masker) -> HouseholdRow {
    let mut members = BTreeSet::new();
    let mut rules = BTreeSet::new();
    let mut statuses = BTreeSet::new();
    let (mut candidates, mut review) = (0, 0);
    for r in &l.records {
        members.insert(mask.name(&r.member.name));
        rules.insert(if r.rule_zh.is_empty() {
            r.rule.clone()
        } else {
            r.rule_zh.clone()
        });
        if let Some(case) = &r.case {
            statuses.insert(case.status.label_zh());
        }
        if r.band == hedui_core::CandidateBand::Candidate {
            candidates += 1;
        } else {
            review += 1;
        }
    }
    let join = |set: BTreeSet<String>| set.into_iter().collect::<Vec<_>>().join("、");
    HouseholdRow {
        id: mask.text(&l.household.id),
        href: format!("../households/{}", part_file(&l.stem, 0)),
        members: join(members),
        rules: join(rules),
        candidates,
        review,
        statuses: statuses.into_iter().collect::<Vec<_>>().join("、"),
    }
}

/// Writes the report folder `dir` (created if needed, owner-only). With `mask.enabled`,
/// names and identity numbers are masked on every page and in the search index.
pub fn write_report_folder(
    dir: &Path,
    meta: &ReportMeta,
    records: &[EvidenceRecord],
    mask: Masker,
) -> Result<ReportSite, EvidenceError> {
    let env = super::environment()?;
    for sub in ["", "counties", "households"] {
        create_private_dir(&dir.join(sub))?;
    }
    let common = super::common_context(meta, mask);

    // Households in id order, grouped with their records.
    let mut by_household: BTreeMap<&str, Vec<&EvidenceRecord>> = BTreeMap::new();
    for r in records {
        by_household.entry(&r.household_id).or_default().push(r);
    }
    let listed: Vec<Listed<'_>> = households(records, mask)
        .into_iter()
        .map(|household| {
            let records = by_household
                .remove(household.id.as_str())
                .unwrap_or_default();
            let (code, name) = county_key(&household.county);
            Listed {
                stem: stem(&household.id),
                county_stem: county_stem(&code, &name),
                household,
                records,
            }
        })
        .collect();

    // Household pages, side by side: at prefecture scale they are nearly all the work.
    let household_pages: Vec<(String, usize)> = listed
        .par_iter()
        .map(|l| -> Result<Vec<(String, usize)>, EvidenceError> {
            let h = &l.household;
            let pages = paged(&h.candidates, |chunk, i, n| {
                let ctx = minijinja::context! {
                    ..common.clone(),
                    ..minijinja::context! {
                        h => minijinja::context! {
                            id => mask.text(&h.id),
                            county => h.county.clone(),
                            total => h.candidates.len(),
                            candidates => Value::from(Serde(chunk)),
                        },
                        county_href => format!("../counties/{}", part_file(&l.county_stem, 0)),
                        parts => Value::from(Serde(&part_links(&l.stem, i, n))),
                    }
                };
                Ok(env.get_template("household.html")?.render(ctx)?)
            })?;
            pages
                .iter()
                .enumerate()
                .map(|(i, page)| {
                    let name = format!("households/{}", part_file(&l.stem, i));
                    write_page(&dir.join(&name), page)?;
                    Ok((name, page.len()))
                })
                .collect()
        })
        .collect::<Result<Vec<_>, _>>()?
        .into_iter()
        .flatten()
        .collect();

    // County pages: their households in id order.
    let (counties, total) = super::summarise(records);
    let mut rows_by_county: BTreeMap<&str, Vec<HouseholdRow>> = BTreeMap::new();
    for l in &listed {
        rows_by_county
            .entry(&l.county_stem)
            .or_default()
            .push(household_row(l, mask));
    }
    let mut written = household_pages;
    let mut county_links = Vec::new();
    for c in &counties {
        let (code, name) = county_key(&c.county);
        let cstem = county_stem(&code, &name);
        let rows = rows_by_county.remove(cstem.as_str()).unwrap_or_default();
        let pages = paged(&rows, |chunk, i, n| {
            let ctx = minijinja::context! {
                ..common.clone(),
                ..minijinja::context! {
                    county => Value::from(Serde(c)),
                    households_total => rows.len(),
                    rows => Value::from(Serde(chunk)),
                    parts => Value::from(Serde(&part_links(&cstem, i, n))),
                }
            };
            Ok(env.get_template("county.html")?.render(ctx)?)
        })?;
        for (i, page) in pages.iter().enumerate() {
            let name = format!("counties/{}", part_file(&cstem, i));
            write_page(&dir.join(&name), page)?;
            written.push((name, page.len()));
        }
        county_links.push((
            c.county.clone(),
            format!("counties/{}", part_file(&cstem, 0)),
        ));
    }

    // Changes: the first on the index, all on their own pages.
    let stems: BTreeMap<&str, &str> = listed
        .iter()
        .map(|l| (l.household.id.as_str(), l.stem.as_str()))
        .collect();
    let changes: Option<Vec<ChangeRow>> = meta.changes.as_ref().map(|c| {
        let mut rows = super::change_rows(c, records, mask);
        for row in &mut rows {
            row.href = stems
                .get(row.household_id.as_str())
                .map(|s| format!("households/{}", part_file(s, 0)));
            row.household_id = mask.text(&row.household_id);
        }
        rows
    });
    let change_pages = match &changes {
        Some(rows) if rows.len() > CHANGES_ON_INDEX => paged(rows, |chunk, i, n| {
            let ctx = minijinja::context! {
                ..common.clone(),
                ..minijinja::context! {
                    changes => Value::from(Serde(chunk)),
                    changes_total => rows.len(),
                    parts => Value::from(Serde(&part_links("changes", i, n))),
                }
            };
            Ok(env.get_template("changes.html")?.render(ctx)?)
        })?,
        _ => Vec::new(),
    };
    for (i, page) in change_pages.iter().enumerate() {
        let name = part_file("changes", i);
        write_page(&dir.join(&name), page)?;
        written.push((name, page.len()));
    }

    // The 关系保 chapter: its leads, the declared relatives and the stale register rows,
    // each a list of its own pages. `list` renders one of them into `relatives.html` under
    // the variable the shared table partial shows.
    let mut list = |page_stem: &str,
                    heading: &str,
                    note: &str,
                    variable: &str,
                    rows: &[Value]|
     -> Result<(String, String, usize), EvidenceError> {
        let pages = paged(rows, |chunk, i, n| {
            let lists: BTreeMap<&str, Value> = BTreeMap::from([
                (variable, Value::from(chunk.to_vec())),
                ("parts", Value::from(Serde(&part_links(page_stem, i, n)))),
            ]);
            Ok(env
                .get_template("relatives.html")?
                .render(minijinja::context! {
                    ..common.clone(),
                    ..minijinja::context! { heading, note },
                    ..Value::from(lists)
                })?)
        })?;
        for (i, page) in pages.iter().enumerate() {
            let name = part_file(page_stem, i);
            write_page(&dir.join(&name), page)?;
            written.push((name, page.len()));
        }
        Ok((part_file(page_stem, 0), heading.to_owned(), rows.len()))
    };
    let kin_pages = match &meta.relatives {
        Some(chapter) => {
            let leads = super::kin_rows(records, mask, |id| {
                stems
                    .get(id)
                    .map(|s| format!("households/{}", part_file(s, 0)))
            });
            Some(vec![
                list(
                    "relatives",
                    "线索",
                    "以下为线索，不是认定结论，须人工核实。",
                    "kin_rows",
                    &values(&leads),
                )?,
                list(
                    "relatives-declared",
                    "已备案的近亲属",
                    "已备案的近亲属不是线索；复核这些家庭时须格外审慎。",
                    "declared_rows",
                    &values(&chapter.declared),
                )?,
                list(
                    "register-stale",
                    "备案登记须清理的行",
                    "供核对中心清理备案登记，与任何家庭无关。",
                    "stale_rows",
                    &values(&chapter.stale),
                )?,
            ])
        }
        None => None,
    };

    // The search index.
    let county_names: Vec<String> = counties.iter().map(|c| c.county.clone()).collect();
    let search: Vec<SearchRow> = listed
        .iter()
        .map(|l| {
            let id = mask.text(&l.household.id);
            let names: BTreeSet<String> = l
                .records
                .iter()
                .map(|r| mask.name(&r.member.name))
                .collect();
            let keys: BTreeSet<String> = l
                .records
                .iter()
                .map(|r| mask.text(&r.record.record_key))
                .collect();
            let county = county_names
                .iter()
                .position(|n| *n == l.household.county)
                .unwrap_or(0);
            let stem = if l.stem == id {
                String::new()
            } else {
                l.stem.clone()
            };
            let join = |set: BTreeSet<String>| set.into_iter().collect::<Vec<_>>().join(" ");
            (id, stem, county, join(names), join(keys))
        })
        .collect();
    let script = format!(
        "// hedui search index: [household id, page (empty: the id), county, names, record keys]\nwindow.HEDUI_SEARCH={{\"counties\":{},\"rows\":{}}};\n",
        serde_json::to_string(&county_names)?,
        serde_json::to_string(&search)?
    );
    write_page(&dir.join("search.js"), &script)?;

    let inputs: Vec<InputRow> = super::input_rows(meta);
    let index_changes: Option<&[ChangeRow]> = changes
        .as_deref()
        .map(|rows| &rows[..rows.len().min(CHANGES_ON_INDEX)]);
    let ctx = minijinja::context! {
        ..common.clone(),
        ..minijinja::context! {
            inputs => Value::from(Serde(&inputs)),
            counties => Value::from(Serde(&counties_with_links(&counties, &county_links))),
            total => Value::from(Serde(total)),
            household_count => listed.len(),
            changes => Value::from(Serde(&index_changes)),
            changes_total => changes.as_ref().map_or(0, Vec::len),
            changes_page => (!change_pages.is_empty()).then(|| part_file("changes", 0)),
            chart_counties => charts::by_county_and_rule(&counties),
            chart_scores => meta.scores.iter().map(charts::score_distribution).collect::<Vec<_>>(),
            kin_pages => Value::from(Serde(&kin_pages)),
        }
    };
    let index = env.get_template("index.html")?.render(ctx)?;
    write_page(&dir.join("index.html"), &index)?;
    written.push(("index.html".to_owned(), index.len()));

    let (largest_page, largest_bytes) = written
        .iter()
        .max_by(|a, b| a.1.cmp(&b.1).then_with(|| b.0.cmp(&a.0)))
        .cloned()
        .unwrap_or_default();
    Ok(ReportSite {
        pages: written.len(),
        largest_page,
        largest_bytes,
        search_bytes: script.len(),
    })
}

/// A county's page stem: its code, or for a name hedui cannot place, a hash of the name.
fn county_stem(code: &str, name: &str) -> String {
    if code == super::UNPLACED_COUNTY {
        stem(&format!("county:{name}"))
    } else {
        stem(code)
    }
}

#[derive(Debug, Serialize)]
struct CountyLink<'a> {
    county: &'a str,
    href: &'a str,
    rules: &'a [(String, Counts)],
    subtotal: Counts,
}

fn counties_with_links<'a>(
    counties: &'a [CountySummary],
    links: &'a [(String, String)],
) -> Vec<CountyLink<'a>> {
    counties
        .iter()
        .zip(links)
        .map(|(c, (_, href))| CountyLink {
            county: &c.county,
            href,
            rules: &c.rules,
            subtotal: c.subtotal,
        })
        .collect()
}

fn create_private_dir(dir: &Path) -> Result<(), EvidenceError> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir)?;
    Ok(())
}

fn write_page(path: &Path, text: &str) -> Result<(), EvidenceError> {
    let mut file = crate::folder::create_owner_only(path)?;
    file.write_all(text.as_bytes())?;
    Ok(())
}

/// Each row as a template value, for a list of its own pages.
fn values<T: Serialize>(rows: &[T]) -> Vec<Value> {
    rows.iter().map(|r| Value::from(Serde(r))).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stems_are_plain_names_or_hashes_never_numbers() {
        assert_eq!(stem("H532501-0007"), "H532501-0007");
        assert_eq!(stem("532501"), "532501");
        let number = stem("53250119800101123X");
        assert!(number.starts_with('h') && number.len() == 17, "{number}");
        assert_ne!(stem("../x"), "../x");
        assert_ne!(stem("红河001"), "红河001");
        assert_eq!(stem("红河001"), stem("红河001"));
        assert_eq!(part_file("H1", 0), "H1.html");
        assert_eq!(part_file("H1", 2), "H1.p3.html");
    }

    #[test]
    fn lists_are_cut_into_parts_under_the_budget() {
        let items: Vec<String> = (0..400).map(|i| format!("{i:04}").repeat(1000)).collect();
        let pages = paged(&items, |chunk, _, _| Ok(chunk.concat())).unwrap();
        assert!(pages.len() > 1);
        assert!(pages.iter().all(|p| p.len() <= PAGE_BUDGET));
        assert_eq!(pages.concat(), items.concat());
        let one = paged(&items[..1], |chunk, _, _| Ok(chunk.concat())).unwrap();
        assert_eq!(one.len(), 1);
        let none: Vec<String> = Vec::new();
        assert_eq!(paged(&none, |_, _, n| Ok(n.to_string())).unwrap(), ["1"]);
    }
}
