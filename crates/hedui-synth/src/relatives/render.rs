//! Rendering one chunk's roster, register and registration households into rows, with
//! the defects of the other exports, and its truth with chunk-local line numbers.

use std::collections::BTreeMap;

use super::kin::member_label;
use super::{Builder, ChunkRelatives, Hu, PairKind, PairOut, export_rates};
use crate::config::DefectRates;
use crate::defects::{self, DateStyle, FileNoise, IdMode, Noise};
use crate::ids::{global_serial, scramble};
use crate::rng::{SynthRng, chance, pick, shuffle};
use crate::rows::{Cell, csv_line};

fn date_text(rng: &mut SynthRng, rate: f64, tags: &mut Vec<&'static str>) -> DateStyle {
    if chance(rng, rate) {
        tags.push("date_mixed_format");
        *pick(
            rng,
            &[
                DateStyle::SlashPadded,
                DateStyle::Compact,
                DateStyle::Chinese,
            ],
        )
    } else {
        DateStyle::Iso
    }
}

fn tally(into: &mut BTreeMap<&'static str, u64>, tags: &[&'static str]) {
    for t in tags {
        *into.entry(t).or_default() += 1;
    }
}

/// The chunk's three exports as text, and its truth.
pub(super) fn render(b: Builder<'_, '_>, rates: &DefectRates) -> ChunkRelatives {
    let Builder {
        world,
        households,
        absorbed,
        extra,
        staff,
        pairs,
        mut register,
        mut hus,
        mut counts,
        ..
    } = b;
    let rates = export_rates(rates);
    let noise = Noise {
        rates: &rates,
        s2t: None,
    };
    let file = FileNoise {
        mangles_rare: false,
        placeholder: '?',
    };
    let mut out = ChunkRelatives::default();

    // staff.csv, in an order unrelated to the situations.
    let mut order: Vec<usize> = (0..staff.len()).collect();
    shuffle(&mut world.rng, &mut order);
    let mut line_of = vec![0u64; staff.len()];
    let mut key_of: Vec<Option<String>> = vec![None; staff.len()];
    for (i, &k) in order.iter().enumerate() {
        let s = &staff[k];
        let o = defects::owner(
            &mut world.rng,
            noise,
            file,
            &world.people[s.person],
            false,
            IdMode::Normal,
        );
        let mut tags = o.tags.clone();
        let style = date_text(&mut world.rng, rates.date_mixed_format, &mut tags);
        tally(&mut out.defects[0], &tags);
        let cells = [
            o.name,
            o.id.clone(),
            s.post.position.to_string(),
            s.post.employer.clone(),
            s.post.township.to_string(),
            s.post.village.clone(),
            defects::format_date(s.start, style),
            s.end
                .map(|d| defects::format_date(d, style))
                .unwrap_or_default(),
        ]
        .map(Cell::Text);
        csv_line(&mut out.staff, &cells, true);
        line_of[k] = i as u64 + 1;
        key_of[k] = (!o.id.is_empty()).then_some(o.id);
        *counts
            .entry(if s.in_office() {
                "staff_in_office"
            } else {
                "staff_left_office"
            })
            .or_default() += 1;
    }
    out.staff_lines = staff.len() as u64;

    // relatives_register.csv
    shuffle(&mut world.rng, &mut register);
    for (i, r) in register.iter().enumerate() {
        let s = &staff[r.staff];
        let who = defects::owner(
            &mut world.rng,
            noise,
            file,
            &world.people[r.recipient],
            false,
            IdMode::Normal,
        );
        let by = defects::owner(
            &mut world.rng,
            noise,
            file,
            &world.people[s.person],
            false,
            IdMode::Normal,
        );
        let mut tags: Vec<&'static str> = who.tags.iter().chain(&by.tags).copied().collect();
        let style = date_text(&mut world.rng, rates.date_mixed_format, &mut tags);
        tally(&mut out.defects[1], &tags);
        let cells = [
            who.name,
            who.id,
            r.cert.clone(),
            by.name,
            by.id,
            r.relation.to_string(),
            defects::format_date(r.date, style),
        ]
        .map(Cell::Text);
        csv_line(&mut out.register, &cells, false);
        *counts.entry("register_rows").or_default() += 1;
        if let Some(reason) = r.stale {
            out.stale.push((i as u64 + 1, reason));
            *counts
                .entry(match reason {
                    "staff_left" => "register_stale_staff_left",
                    _ => "register_stale_recipient_gone",
                })
                .or_default() += 1;
        }
    }
    out.register_lines = register.len() as u64;

    // hukou.csv: every recipient household's 户 and every staff member's own.
    for (h, hh) in households.iter().enumerate() {
        if absorbed[h] {
            continue;
        }
        let head_birth = world.people[hh.head()].birth;
        let mut rows: Vec<(usize, &'static str)> = hh
            .members
            .iter()
            .map(|&(p, r)| {
                let person = &world.people[p];
                (p, member_label(r, person.male, person.birth < head_birth))
            })
            .collect();
        rows.extend(extra[h].iter().copied());
        hus.push(Hu {
            address: hh.place.hukou_address(),
            rows,
        });
    }
    shuffle(&mut world.rng, &mut hus);
    let offset = world.key_offset(11);
    let chunk = world.chunk;
    for (i, hu) in hus.iter().enumerate() {
        let serial = global_serial(i as u64, chunk);
        let number = (100_000_000 + scramble(serial, offset, 900_000_000)).to_string();
        for &(p, label) in &hu.rows {
            let o = defects::owner(
                &mut world.rng,
                noise,
                file,
                &world.people[p],
                false,
                IdMode::Normal,
            );
            tally(&mut out.defects[2], &o.tags);
            let cells = [
                number.clone(),
                o.name,
                o.id,
                label.to_string(),
                hu.address.clone(),
            ]
            .map(Cell::Text);
            csv_line(&mut out.hukou, &cells, false);
            out.hukou_lines += 1;
        }
    }
    *counts.entry("hukou_households").or_default() += hus.len() as u64;

    // Truth, ordered by staff line.
    let mut truth: Vec<PairOut> = pairs
        .iter()
        .map(|p| {
            let s = &staff[p.staff];
            let person = &world.people[s.person];
            let hh = &households[p.household];
            let (kind, evidence) = match p.kind {
                PairKind::SelfMember => ("self", ""),
                PairKind::Relative(e) => ("relative", e.label()),
                PairKind::Namesake => ("namesake", ""),
                PairKind::Neighbour => ("neighbour", ""),
            };
            PairOut {
                staff_id: person.id_str().to_string(),
                staff_name: person.name.full.clone(),
                staff_line: line_of[p.staff],
                staff_key: key_of[p.staff].clone(),
                member_id: world.people[p.member].id_str().to_string(),
                household_id: hh.id.clone(),
                relation: p.relation,
                kind,
                evidence,
                declared: p.declared,
                in_office: s.in_office(),
                case_worker: s.post.serves(hh),
            }
        })
        .collect();
    truth.sort_by_key(|p| p.staff_line);
    out.pairs = truth;
    out.counts = counts;
    out
}
