//! The machine-readable outputs: `candidates.csv` and `evidence.jsonl`.

use std::io::Write;

use crate::mask::Masker;
use crate::model::EvidenceRecord;

/// Writing an output failed.
#[derive(Debug, thiserror::Error)]
pub enum EvidenceError {
    #[error("{0}")]
    Io(#[from] std::io::Error),
    #[error("{0}")]
    Csv(#[from] csv::Error),
    #[error("{0}")]
    Json(#[from] serde_json::Error),
    #[error("report template: {0:#}")]
    Template(#[from] minijinja::Error),
    #[error("worksheet: {0}")]
    Xlsx(#[from] rust_xlsxwriter::XlsxError),
    /// A file hedui wrote earlier no longer reads as hedui wrote it.
    #[error("{0}")]
    NotAsWritten(String),
}

/// `candidates.csv`: one row per (household, rule, record, member).
pub fn write_candidates_csv(
    out: &mut dyn Write,
    records: &[EvidenceRecord],
    mask: Masker,
) -> Result<(), EvidenceError> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record([
        "candidate_id",
        "household_id",
        "rule",
        "department",
        "record_key",
        "member_id",
        "member_name",
        "band",
        "match_band",
        "match_probability",
        "policy_version",
        "file",
        "sheet",
        "line",
        "status",
    ])?;
    for r in records {
        w.write_record([
            r.candidate_id.as_str(),
            &r.household_id,
            &r.rule,
            &r.record.department,
            &mask.record_key(&r.record.department, &r.record.record_key),
            &mask.id(&r.member.id),
            &mask.name(&r.member.name),
            r.band.as_str(),
            r.matching.band.as_str(),
            &format!("{:.6}", r.matching.probability),
            &r.policy.version,
            &r.record.source.file,
            r.record.source.sheet.as_deref().unwrap_or(""),
            &r.record.source.line.to_string(),
            r.case.as_ref().map_or("", |c| c.status.as_str()),
        ])?;
    }
    w.flush()?;
    Ok(())
}

/// `evidence.jsonl`: one JSON object per candidate, masked when asked.
pub fn write_evidence_jsonl(
    out: &mut dyn Write,
    records: &[EvidenceRecord],
    mask: Masker,
) -> Result<(), EvidenceError> {
    for r in records {
        let masked = masked(r, mask);
        serde_json::to_writer(&mut *out, &masked)?;
        out.write_all(b"\n")?;
    }
    Ok(())
}

/// A copy of `r` with every personal identifier masked: identity numbers wherever they
/// appear, names in the member, in the raw cells listed in `name_headers` and in normalised
/// values whose key names a person, and — because reasons and warnings are free text built
/// from those values — every occurrence of any of those names elsewhere.
pub(crate) fn masked(r: &EvidenceRecord, mask: Masker) -> EvidenceRecord {
    if !mask.enabled {
        return r.clone();
    }
    // Normalised keys are the engine's (`owner_name`); `entity_name` is a business name,
    // which is only scrubbed of the personal names it contains, not masked whole.
    let is_name_key = |key: &str| {
        let key_lc = key.to_ascii_lowercase();
        r.record.name_headers.iter().any(|h| h == key)
            || (key_lc.contains("name") && !key_lc.starts_with("entity"))
    };
    // Every name we know is personal, so free text can be scrubbed of it below.
    let mut names = vec![r.member.name.clone()];
    if let Some(kin) = &r.kin {
        names.push(kin.staff_name.clone());
    }
    for (h, v) in r.record.raw.iter().chain(&r.record.normalised) {
        if is_name_key(h) {
            names.extend(mask.split_names(v));
        }
    }
    let scrub = |text: &str| mask.known_names(&mask.text(text), &names);
    let cell = |(h, v): &(String, String)| {
        let v = if is_name_key(h) {
            mask.names_in(v)
        } else {
            scrub(v)
        };
        (h.clone(), mask.text(&v))
    };
    let mut m = r.clone();
    m.member.id = mask.id(&m.member.id);
    m.member.name = mask.name(&m.member.name);
    m.member.address = scrub(&m.member.address);
    m.record.record_key = mask.record_key(&r.record.department, &r.record.record_key);
    m.record.raw = r.record.raw.iter().map(cell).collect();
    m.record.normalised = r.record.normalised.iter().map(cell).collect();
    m.record.warnings = r.record.warnings.iter().map(|w| scrub(w)).collect();
    m.fired_because = r.fired_because.iter().map(cell).collect();
    m.matching.note = r.matching.note.as_deref().map(scrub);
    m.reason_zh = scrub(&r.reason_zh);
    if let Some(kin) = &mut m.kin {
        kin.staff_name = mask.name(&kin.staff_name);
        kin.staff_id = mask.id(&kin.staff_id);
        kin.via = scrub(&kin.via);
        kin.term = scrub(&kin.term);
        kin.evidence_raw = kin
            .evidence_raw
            .iter()
            .map(|(h, v)| (h.clone(), scrub(v)))
            .collect();
    }
    m
}
