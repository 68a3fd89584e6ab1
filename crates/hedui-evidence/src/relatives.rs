//! The 关系保 chapter's own facts: the relatives the register declares (context for the
//! reviewer, never a lead) and the register rows that describe no one any more (hygiene for
//! the centre, written to `register_stale.csv`). The leads themselves are candidates like
//! any other, with their staff member in [`crate::KinEvidence`].

use serde::{Deserialize, Serialize};

use crate::mask::Masker;
use crate::model::SourceRef;
use crate::write::EvidenceError;

/// What the report's 关系保 chapter lists besides the candidates.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RelativesChapter {
    /// Each declared (staff member, recipient member) pair found among the members.
    pub declared: Vec<DeclaredRelative>,
    /// Register rows that describe no one any more.
    pub stale: Vec<RegisterFinding>,
    /// Rows read per kind (`staff`, `relatives_register`, `hukou`), for the chapter's
    /// opening line.
    pub rows: Vec<(String, u64)>,
}

/// A relative the register declares, found as a current member.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeclaredRelative {
    pub household_id: String,
    pub member_name: String,
    pub member_id: String,
    pub staff_name: String,
    pub staff_id: String,
    pub relation: String,
    /// Whether the declared staff member is in office on the check date (`None`: not on
    /// the roster).
    pub staff_in_office: Option<bool>,
    /// The register row.
    pub source: SourceRef,
}

/// A register row that describes no one any more.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RegisterFinding {
    /// `recipient_gone`, `staff_left` or `staff_unknown`.
    pub kind: String,
    pub reason_zh: String,
    pub recipient_name: String,
    pub recipient_id: String,
    pub staff_name: String,
    pub staff_id: String,
    pub relation: String,
    pub source: SourceRef,
}

impl RelativesChapter {
    /// The chapter with names and identity numbers masked.
    pub fn masked(&self, mask: Masker) -> RelativesChapter {
        let mut out = self.clone();
        for d in &mut out.declared {
            d.member_name = mask.name(&d.member_name);
            d.member_id = mask.id(&d.member_id);
            d.staff_name = mask.name(&d.staff_name);
            d.staff_id = mask.id(&d.staff_id);
            d.household_id = mask.text(&d.household_id);
        }
        for f in &mut out.stale {
            f.recipient_name = mask.name(&f.recipient_name);
            f.recipient_id = mask.id(&f.recipient_id);
            f.staff_name = mask.name(&f.staff_name);
            f.staff_id = mask.id(&f.staff_id);
        }
        out
    }
}

/// `register_stale.csv`: one row per finding, in register order.
pub fn write_register_stale_csv(
    out: &mut dyn std::io::Write,
    stale: &[RegisterFinding],
    mask: Masker,
) -> Result<(), EvidenceError> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record([
        "kind",
        "file",
        "sheet",
        "line",
        "recipient_name",
        "recipient_id",
        "staff_name",
        "staff_id",
        "relation",
        "reason",
    ])?;
    for f in stale {
        let line = f.source.line.to_string();
        w.write_record([
            f.kind.as_str(),
            f.source.file.as_str(),
            f.source.sheet.as_deref().unwrap_or(""),
            line.as_str(),
            &mask.name(&f.recipient_name),
            &mask.id(&f.recipient_id),
            &mask.name(&f.staff_name),
            &mask.id(&f.staff_id),
            f.relation.as_str(),
            f.reason_zh.as_str(),
        ])?;
    }
    w.flush()?;
    Ok(())
}
