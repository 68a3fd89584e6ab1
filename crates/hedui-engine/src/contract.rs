//! The contract between the exports, the policy and hedui, checked after ingest.
//!
//! A run can go wrong without any error: a column the rules need is left unmapped, or the
//! policy's words no longer match the data. Three findings come out of this stage:
//!
//! - **degraded**: a field a rule needs is unmapped while the file has an unmapped column
//!   that resembles it. `check` stops unless `--allow-degraded` is given, and then records
//!   the field in the manifest and the report.
//! - **absent**: a needed field with no candidate column; a warning that says which rule
//!   outcome it weakens, and on how many records.
//! - the **dry-run table**: every status, vehicle type, entity type and property use with
//!   what the policy makes of it; values it does not understand are warned about.

use std::collections::BTreeMap;
use std::sync::Arc;

use hedui_core::{AssetRecord, Department};
use hedui_ingest::{TableKind, resemble};
use hedui_policy::{Policy, StateMeaning, ValueRow, dry_run};
use serde::Serialize;

use crate::config::RunConfig;
use crate::error::EngineError;
use crate::ingest::Ingested;

/// What the contract check found for a run.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Contract {
    pub degraded: Vec<FieldFinding>,
    pub absent: Vec<FieldFinding>,
    /// Per department source, the dry-run table.
    pub values: Vec<SourceValues>,
    /// The policy's own warnings (deprecated keys, entries that catch active words).
    pub policy_warnings: Vec<String>,
}

/// A needed field that a file does not provide.
#[derive(Debug, Clone, Serialize)]
pub struct FieldFinding {
    pub source: String,
    /// The file, with `[sheet]` for a workbook sheet.
    pub file: String,
    pub field: &'static str,
    /// For a degraded field: the unmapped column that resembles it, and the alias it
    /// resembles.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resembles: Option<String>,
    /// The rule outcome it weakens, with a count of the file's records.
    pub weakens: String,
}

/// The dry-run table of one department source.
#[derive(Debug, Clone, Serialize)]
pub struct SourceValues {
    pub source: String,
    pub kind: &'static str,
    pub values: Vec<ValueRow>,
}

/// A field some rule (or matching) reads, and what is lost without it.
struct Need {
    field: &'static str,
    /// What is lost, given the file's records.
    weakens: fn(&Policy, &[&AssetRecord]) -> String,
}

fn plural(department: Department) -> &'static str {
    match department {
        Department::Vehicle => "vehicles",
        Department::Licence => "licences",
        Department::Property => "property records",
        Department::Staff => "staff rows",
        Department::Register => "register rows",
        Department::Hukou => "registration rows",
    }
}

fn department_of(kind: TableKind) -> Option<Department> {
    match kind {
        TableKind::Vehicle => Some(Department::Vehicle),
        TableKind::Licence => Some(Department::Licence),
        TableKind::Property => Some(Department::Property),
        TableKind::Staff => Some(Department::Staff),
        TableKind::RelativesRegister => Some(Department::Register),
        TableKind::Hukou => Some(Department::Hukou),
        TableKind::Recipients => None,
    }
}

/// Records whose statuses end them, with no change date: without the date column all of
/// them are taken as ended, including those that ended after the check date.
fn ended_without_date(policy: &Policy, records: &[&AssetRecord]) -> String {
    let n = records
        .iter()
        .filter(|r| {
            policy.status.of(r.department()).is_some_and(|v| {
                v.read_all(&r.statuses)
                    .iter()
                    .any(|s| s.meaning == StateMeaning::Inactive)
            })
        })
        .count();
    let department = records
        .first()
        .map_or(Department::Vehicle, |r| r.department());
    format!(
        "no status change date: {n} inactive {} are taken as ended, also those that ended \
         after the check date",
        plural(department)
    )
}

/// Needs every department shares: its status, and when the status changed.
const SHARED: &[Need] = &[
    Need {
        field: "status",
        weakens: |_, r| {
            format!(
                "no status: all {} {} count as active, also ended ones",
                r.len(),
                plural_of(r)
            )
        },
    },
    Need {
        field: "status_changed_on",
        weakens: ended_without_date,
    },
];

/// The department's own needs: when a holding started, and the identity number of its
/// holders (matching reads it for every rule).
fn own_needs(department: Department) -> &'static [Need] {
    const VEHICLE: &[Need] = &[
        Need {
            field: "registered_on",
            weakens: not_yet_counted,
        },
        Need {
            field: "owner_id",
            weakens: no_number,
        },
    ];
    const LICENCE: &[Need] = &[
        Need {
            field: "established_on",
            weakens: not_yet_counted,
        },
        Need {
            field: "operator_id",
            weakens: no_number,
        },
    ];
    const PROPERTY: &[Need] = &[
        Need {
            field: "registered_on",
            weakens: not_yet_counted,
        },
        Need {
            field: "owner_ids",
            weakens: no_number,
        },
    ];
    const STAFF: &[Need] = &[
        Need {
            field: "staff_id",
            weakens: |_, r| {
                format!(
                    "no identity number: {} staff rows cannot be tied to the registration \
                     export or the register, so no relative of theirs is found",
                    r.len()
                )
            },
        },
        Need {
            field: "term_end",
            weakens: |_, r| {
                format!(
                    "no term end date: all {} staff rows are taken as in office, also those \
                     who left",
                    r.len()
                )
            },
        },
    ];
    const REGISTER: &[Need] = &[Need {
        field: "staff_id",
        weakens: |_, r| {
            format!(
                "no staff identity number: the {} declarations are matched to staff by name \
                 only",
                r.len()
            )
        },
    }];
    const HUKOU: &[Need] = &[
        Need {
            field: "person_id",
            weakens: |_, r| {
                format!(
                    "no identity number: {} registration rows link on name and address alone, \
                     and no staff member is found among them",
                    r.len()
                )
            },
        },
        Need {
            field: "relation",
            weakens: |_, r| {
                format!(
                    "no 与户主关系: relations cannot be derived in {} registration rows; \
                     shared 户号 is medium evidence at most",
                    r.len()
                )
            },
        },
    ];
    match department {
        Department::Vehicle => VEHICLE,
        Department::Licence => LICENCE,
        Department::Property => PROPERTY,
        Department::Staff => STAFF,
        Department::Register => REGISTER,
        Department::Hukou => HUKOU,
    }
}

/// What is lost without a field one of the rules reads (the registry says which).
fn rule_need(field: &'static str) -> Need {
    let weakens: fn(&Policy, &[&AssetRecord]) -> String = match field {
        "vehicle_type" => |_, r| {
            format!(
                "no vehicle type: all {} vehicles are review candidates at most",
                r.len()
            )
        },
        "entity_type" => |_, r| {
            format!(
                "no entity type: all {} licences are review candidates at most",
                r.len()
            )
        },
        "registered_capital" => |_, r| {
            format!(
                "no registered capital: the capital floor cannot be applied; {} licences are \
                 review candidates at most",
                r.len()
            )
        },
        "use" => |_, r| format!("no use: no property rule can fire on {} records", r.len()),
        "term_start" => |_, r| {
            format!(
                "no term start date: {} staff rows count as in office however late they started",
                r.len()
            )
        },
        "position" => |_, r| {
            format!(
                "no position: case_worker_conflict cannot tell the case workers among {} staff \
                 rows",
                r.len()
            )
        },
        "served_village" => |_, r| {
            format!(
                "no village served: case_worker_conflict cannot fire on {} staff rows",
                r.len()
            )
        },
        "floor_area" => |_, r| {
            format!(
                "no floor area: the per-person area limit cannot fire on {} records",
                r.len()
            )
        },
        _ => |_, r| format!("{} {} lack a field a rule reads", r.len(), plural_of(r)),
    };
    Need { field, weakens }
}

fn plural_of(records: &[&AssetRecord]) -> &'static str {
    records
        .first()
        .map_or("records", |r| plural(r.department()))
}

fn not_yet_counted(_: &Policy, records: &[&AssetRecord]) -> String {
    format!(
        "no registration date: {} {} count even if registered after the check date",
        records.len(),
        plural_of(records)
    )
}

fn no_number(_: &Policy, records: &[&AssetRecord]) -> String {
    format!(
        "no holder identity number: {} {} link on name and address alone",
        records.len(),
        plural_of(records)
    )
}

/// Checks every department file against the needs of the policy's enabled rules, and builds
/// the dry-run tables.
pub fn assess(
    config: &RunConfig,
    policy: &Policy,
    ingested: &Ingested,
) -> Result<Contract, EngineError> {
    // Records per (file, sheet), so each file's findings carry its own counts.
    // A file's rows lie together in the run's lists, so the file is looked up only when it
    // changes: a map lookup by path for each of millions of rows took seconds on one thread.
    let mut by_file: BTreeMap<(&str, Option<&str>), Vec<&AssetRecord>> = BTreeMap::new();
    let mut records = ingested.records().peekable();
    while let Some(first) = records.next() {
        let file = &first.provenance.file;
        let rows = by_file
            .entry((file.path.as_ref(), first.provenance.sheet()))
            .or_default();
        rows.push(first);
        while let Some(next) = records.next_if(|r| Arc::ptr_eq(&r.provenance.file, file)) {
            rows.push(next);
        }
    }
    let mut enabled: BTreeMap<Department, bool> =
        policy.rules.enabled_departments().into_iter().collect();
    // The staff rules also read the register and the registration export.
    let staff_rules = enabled.get(&Department::Staff).copied().unwrap_or(false);
    *enabled.entry(Department::Register).or_default() |= staff_rules;
    *enabled.entry(Department::Hukou).or_default() |= staff_rules;
    let mut contract = Contract {
        policy_warnings: policy.warnings.clone(),
        ..Contract::default()
    };
    for (report, spec) in ingested.reports.iter().zip(config.all_sources()) {
        let Some(department) = department_of(report.kind) else {
            continue;
        };
        let aliases = config.aliases_for(spec)?;
        let mut source_records: Vec<&AssetRecord> = Vec::new();
        for file in &report.files {
            let records = by_file
                .get(&(file.path.as_str(), file.sheet.as_deref()))
                .map_or(&[][..], Vec::as_slice);
            source_records.extend_from_slice(records);
            if !enabled.get(&department).copied().unwrap_or(false) {
                continue;
            }
            let mapped = |field: &str| file.mapping.iter().any(|(_, f)| *f == Some(field));
            let rule_needs: Vec<Need> = policy
                .rules
                .reads(department)
                .into_iter()
                .map(rule_need)
                .collect();
            // Statuses are the assets'; a staff, register or registration row has none.
            let shared = if department.is_asset() { SHARED } else { &[] };
            for need in shared
                .iter()
                .chain(own_needs(department))
                .chain(&rule_needs)
            {
                // A rule may read fields of several kinds (the staff rules read the
                // registration export too); each file is asked only for its own.
                if mapped(need.field) || report.kind.field(need.field).is_none() {
                    continue;
                }
                let names = aliases.names(report.kind, need.field);
                let found = resemble::resembling(&file.unmapped, names);
                let finding = FieldFinding {
                    source: report.name.clone(),
                    file: file_label(&file.path, file.sheet.as_deref()),
                    field: need.field,
                    column: found.map(|(c, _)| c.to_owned()),
                    resembles: found.map(|(_, a)| a.to_owned()),
                    weakens: (need.weakens)(policy, records),
                };
                if found.is_some() {
                    contract.degraded.push(finding);
                } else {
                    contract.absent.push(finding);
                }
            }
        }
        if department.is_asset() && enabled.get(&department).copied().unwrap_or(false) {
            contract.values.push(SourceValues {
                source: report.name.clone(),
                kind: report.kind.as_str(),
                values: dry_run(policy, department, &source_records),
            });
        }
    }
    Ok(contract)
}

/// A needed field's Chinese name and what its absence does to the results.
fn field_zh(field: &str) -> (&'static str, &'static str) {
    match field {
        "status" => ("状态", "无法识别已注销、报废、转出的记录，全部按在用计"),
        "status_changed_on" => (
            "状态变更日期",
            "已注销、吊销的记录一律视为核对日前已终止，核对日后才终止的也不再列出",
        ),
        "registered_on" => ("登记日期", "核对日后才登记的记录也会计入"),
        "established_on" => ("成立日期", "核对日后才成立的市场主体也会计入"),
        "vehicle_type" => ("车辆类型", "无法判断是否属于豁免车型，相关车辆只列为待复核"),
        "entity_type" => (
            "市场主体类型",
            "无法判断是否属于政策所列类型，相关执照只列为待复核",
        ),
        "registered_capital" => ("注册资本", "无法适用注册资本下限，相关执照只列为待复核"),
        "use" => ("用途", "房产规则无法适用"),
        "floor_area" => ("建筑面积", "无法适用人均住房面积上限"),
        "owner_id" | "operator_id" | "owner_ids" => {
            ("证件号码", "只能凭姓名和住址匹配，匹配可靠性下降")
        }
        "staff_id" => (
            "工作人员身份证号",
            "无法把工作人员与户籍、备案登记对应，其亲属查不出",
        ),
        "person_id" => ("身份证号", "户籍中的工作人员无法识别，亲属关系查不出"),
        "relation" => ("与户主关系", "亲属关系无法推定，同户只作中等证据"),
        "term_end" => ("任职结束日期", "已离任的工作人员也按在任计"),
        "term_start" => ("任职开始日期", "核对日后才到任的工作人员也按在任计"),
        "position" => ("职务", "无法识别经办人员，经办人员与亲属同村的规则无法适用"),
        "served_village" => ("服务村（社区）", "经办人员与亲属同村的规则无法适用"),
        _ => ("字段", "相关规则结果不完整"),
    }
}

fn file_label(path: &str, sheet: Option<&str>) -> String {
    match sheet {
        Some(sheet) => format!("{path}[{sheet}]"),
        None => path.to_owned(),
    }
}

impl Contract {
    /// Stops the run on a degraded field unless the person running it allowed it.
    pub fn refuse_degraded(&self, config: &RunConfig) -> Result<(), EngineError> {
        if self.degraded.is_empty() || config.allow_degraded {
            return Ok(());
        }
        let mut message = String::from(
            "a column a rule needs looks present but is not mapped; the run would quietly \
             judge without it",
        );
        for d in &self.degraded {
            let column = d.column.as_deref().unwrap_or_default();
            message.push_str(&format!(
                "\n  {}: column {column:?} looks like `{}` (close to {:?}) but is not mapped: {}\
                 \n    to read it, add under the source `{}` in {}:\
                 \n      [sources.columns]\n      {} = [{column:?}]",
                d.file,
                d.field,
                d.resembles.as_deref().unwrap_or_default(),
                d.weakens,
                d.source,
                config.path.display(),
                d.field,
            ));
        }
        message.push_str(
            "\n  or run with --allow-degraded to go on without it; each degraded field is then \
             recorded in manifest.json and the report",
        );
        Err(EngineError::Degraded(message))
    }

    /// The same findings in Chinese, for the audit report: what an auditor must know about
    /// the data before reading any count. The policy's own warnings are for its author and
    /// stay in the summary.
    pub fn caveats_zh(&self) -> Vec<String> {
        let mut out = Vec::new();
        for (f, degraded) in self
            .degraded
            .iter()
            .map(|f| (f, true))
            .chain(self.absent.iter().map(|f| (f, false)))
        {
            let (name, effect) = field_zh(f.field);
            let column = match (&f.column, degraded) {
                (Some(c), true) => {
                    format!("（文件中的“{c}”列疑似该字段，但未被识别，本次按缺失处理）")
                }
                _ => String::new(),
            };
            out.push(format!(
                "{}（{}）缺少“{name}”{column}：{effect}。",
                f.source, f.file
            ));
        }
        for s in &self.values {
            let unknown: Vec<String> = s
                .values
                .iter()
                .filter(|v| v.not_understood())
                .map(|v| format!("“{}”{}条", v.value, v.count))
                .collect();
            if !unknown.is_empty() {
                out.push(format!(
                    "{}：{}个状态值不在政策的状态词表中（{}），涉及的资产只列为待复核。",
                    s.source,
                    unknown.len(),
                    unknown.join("、")
                ));
            }
        }
        out
    }

    /// Lines for the run summary and the log: allowed degraded fields, absent fields,
    /// values the policy does not understand, and the policy's warnings.
    pub fn warnings(&self) -> Vec<String> {
        let mut out = Vec::new();
        for d in &self.degraded {
            out.push(format!(
                "{} ({}): `{}` degraded, column {:?} not read: {}",
                d.source,
                d.file,
                d.field,
                d.column.as_deref().unwrap_or_default(),
                d.weakens
            ));
        }
        for a in &self.absent {
            out.push(format!("{} ({}): {}", a.source, a.file, a.weakens));
        }
        for s in &self.values {
            let unknown: Vec<&ValueRow> = s.values.iter().filter(|v| v.not_understood()).collect();
            if unknown.is_empty() {
                continue;
            }
            let records: u64 = unknown.iter().map(|v| v.count).sum();
            let shown: Vec<String> = unknown
                .iter()
                .take(5)
                .map(|v| format!("{} ×{}", v.value, v.count))
                .collect();
            out.push(format!(
                "{}: {} status value(s) not understood by the policy ({}{}) on {records} record(s); \
                 holdings with them are review candidates at most; add them to [status.{}]",
                s.source,
                unknown.len(),
                shown.join(", "),
                if unknown.len() > 5 { ", …" } else { "" },
                s.kind,
            ));
        }
        out.extend(self.policy_warnings.iter().cloned());
        out
    }
}
