//! Generator configuration: world shape (`WorldRates`), noise (`DefectRates`) and the demo
//! policy that `truth/expected_candidates.csv` is computed under.
//!
//! Rates are plain serde structs so that a TOML file, a `--rate key=value` override and the
//! manifest all speak the same field names. Unknown keys are errors, because a misspelt rate
//! that silently keeps its default would make a benchmark measure the wrong thing.

use std::path::Path;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::error::SynthError;

/// How often each kind of noise is injected into department exports.
///
/// Every field is a probability in `[0, 1]` unless stated otherwise. Noise rates (`id_*`,
/// `name_*`, `date_mixed_format`, `number_units`, `duplicate_row`) apply per row to every
/// row, multiplied by `linked_multiplier` on rows that truly link to a recipient so that
/// recall per defect can be measured on a modest sample.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DefectRates {
    /// One digit of the ID substituted by another (default 0.01).
    pub id_typo: f64,
    /// Two adjacent, different characters of the ID swapped (default 0.005).
    pub id_transposition: f64,
    /// Share of IDs ending in `X` written with a lowercase `x` (default 0.3).
    pub id_lowercase_x: f64,
    /// ID written with full-width digits `０-９`/`Ｘ` (default 0.005).
    pub id_fullwidth: f64,
    /// ID with embedded spaces (default 0.005).
    pub id_spaces: f64,
    /// Share of IDs of people born 1900–1999 written in the legacy 15-digit form (default 0.01).
    pub id_legacy15: f64,
    /// ID cell left empty (default 0.01).
    pub id_missing: f64,
    /// Old rural 宅基地 records whose owner-ID column is empty (default 0.5).
    pub old_rural_id_missing: f64,
    /// One given-name character replaced by a same-pinyin character (default 0.01).
    pub name_homophone: f64,
    /// Name written in traditional characters, counted only when that changes it (default 0.005).
    pub name_traditional: f64,
    /// One name character replaced by `?`, `？`, `□`, U+FFFD or a private-use character
    /// (default 0.002). Independently of this rate, names holding a rare character are always
    /// mangled in exports whose system cannot store such characters.
    pub name_rare_placeholder: f64,
    /// Share of export files whose system cannot store rare characters (default 0.5).
    pub name_rare_export_share: f64,
    /// Share of `·` names written with another separator (•, ∙, ・, ‧, `.`, space) (default 0.3).
    pub name_separator: f64,
    /// Row dates written in a format other than the file's usual one (default 0.1).
    pub date_mixed_format: f64,
    /// Numbers written with units or in an unusual unit (`46.07㎡`, `3万`) (default 0.2).
    pub number_units: f64,
    /// Share of multi-owner certificates written with all owners in one cell rather than one
    /// row per co-owner (default 0.4).
    pub coowner_cell: f64,
    /// Share of recipients' holdings that were deregistered, scrapped or cancelled on or
    /// before the check date (default 0.3).
    pub asset_inactive: f64,
    /// Share of recipients' vehicles of an exempt type (motorcycle, tricycle, tractor,
    /// disability vehicle) (default 0.65).
    pub asset_exempt: f64,
    /// Share of recipients' holdings registered after the check date (default 0.05).
    pub asset_after_check_date: f64,
    /// Share of recipients' holdings deregistered after the check date, which still count
    /// (default 0.05).
    pub asset_late_deregistration: f64,
    /// Extra malformed rows per data row: wrong field count, empty line or an unparseable
    /// required date (default 0.002).
    pub malformed_row: f64,
    /// Exact duplicate rows per data row (default 0.003).
    pub duplicate_row: f64,
    /// Factor applied to noise rates on rows that link to a recipient, capped at 1
    /// (default 3.0; not a probability).
    pub linked_multiplier: f64,
}

impl Default for DefectRates {
    fn default() -> Self {
        Self {
            id_typo: 0.01,
            id_transposition: 0.005,
            id_lowercase_x: 0.3,
            id_fullwidth: 0.005,
            id_spaces: 0.005,
            id_legacy15: 0.01,
            id_missing: 0.01,
            old_rural_id_missing: 0.5,
            name_homophone: 0.01,
            name_traditional: 0.005,
            name_rare_placeholder: 0.002,
            name_rare_export_share: 0.5,
            name_separator: 0.3,
            date_mixed_format: 0.1,
            number_units: 0.2,
            coowner_cell: 0.4,
            asset_inactive: 0.3,
            asset_exempt: 0.65,
            asset_after_check_date: 0.05,
            asset_late_deregistration: 0.05,
            malformed_row: 0.002,
            duplicate_row: 0.003,
            linked_multiplier: 3.0,
        }
    }
}

/// The shape of the synthetic world: export sizes, who holds what, and hard negatives.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct WorldRates {
    /// Vehicle rows per recipient household (default 6.0; not a probability).
    pub vehicles_per_household: f64,
    /// Licence rows per recipient household (default 3.0; not a probability).
    pub licences_per_household: f64,
    /// Property rows per recipient household (default 3.0; not a probability).
    pub property_per_household: f64,
    /// Share of households in rural dibao (default 0.82).
    pub rural_share: f64,
    /// Rural recipient households owning their 宅基地 home (default 0.85).
    pub home_rural: f64,
    /// Urban recipient households owning their home (default 0.4).
    pub home_urban: f64,
    /// Recipient households with a member holding a vehicle (default 0.04).
    pub vehicle_holding: f64,
    /// Recipient households with a member running a registered business (default 0.012).
    pub licence_holding: f64,
    /// Recipient households (co-)owning a shop, office, garage or workshop (default 0.003).
    pub shop_holding: f64,
    /// Recipient households (co-)owning a second home (default 0.003).
    pub second_home_holding: f64,
    /// Households with a non-recipient namesake born the same day who holds an asset (default 0.03).
    pub hard_negative_same_name_dob: f64,
    /// Households with a non-recipient whose valid ID is two characters from a member's (default 0.03).
    pub hard_negative_near_id: f64,
    /// Households with a non-recipient relative in the same village who holds an asset (default 0.05).
    pub hard_negative_relative: f64,
    /// Households with two adversarial namesakes of an adult member (default 0): same name,
    /// birth date, sex and issuing county, the member's sequence number ±2, holding a
    /// disqualifying asset. One writes its number one slip from the member's (the differing
    /// sequence digit typed as the member's, an adjacent transposition, or the 15-digit legacy
    /// form); the other, drawn at the same rate, with an ordinary random typo.
    #[serde(skip_serializing_if = "is_zero")]
    pub adversarial_namesake_sequence: f64,
    /// Households with an adversarial twin of an adult member (default 0): same birth date and
    /// issuing county, the next or previous sequence number, a similar given name, in the same
    /// township or village but another household, holding a disqualifying asset under a number
    /// written one slip from the member's.
    #[serde(skip_serializing_if = "is_zero")]
    pub adversarial_twin: f64,
    /// Households with a namesake of an adult member born the same day in the same issuing
    /// county who lives in the next township and holds a disqualifying asset under a correctly
    /// written number of their own, or with no number at all (default 0).
    #[serde(skip_serializing_if = "is_zero")]
    pub adversarial_namesake_township: f64,
    /// Households with an unrelated non-recipient (no name character in common with the
    /// member, living in another township) whose broken number is one slip from an adult
    /// member's, at any position, holding a disqualifying asset (default 0).
    #[serde(skip_serializing_if = "is_zero")]
    pub adversarial_near_stranger: f64,
    /// Share of minority-pattern people with a multi-part `·` name (default 0.01).
    pub multipart_name: f64,
    /// Share of people whose name holds a rare character (default 0.005).
    pub rare_char_name: f64,
    /// Share of people born in 蒙自/弥勒 before the code change whose ID keeps the former
    /// code 532522/532526 (default 0.8).
    pub former_code: f64,
    /// Recipient households per member of the staff roster (`staff.csv`): civil-affairs
    /// staff, case workers and committee members (default 150; not a probability; 0 writes
    /// an empty roster). Left out of the manifest at its default.
    #[serde(skip_serializing_if = "is_default_staff_density")]
    pub households_per_staff: f64,
    /// Recipient households per county of a `--area yunnan` world (default 200,000 / 13,
    /// Honghe's density; not a probability): how many of Yunnan's counties the world
    /// spreads over. Read by no other area; left out of the manifest at its default.
    #[serde(skip_serializing_if = "is_default_county_density")]
    pub households_per_county: f64,
}

/// Households per county by default: Honghe's 200,000 over its 13 counties.
pub(crate) const HOUSEHOLDS_PER_COUNTY: f64 = 200_000.0 / 13.0;

/// Recipient households per staff member by default.
pub(crate) const HOUSEHOLDS_PER_STAFF: f64 = 150.0;

impl Default for WorldRates {
    fn default() -> Self {
        Self {
            vehicles_per_household: 6.0,
            licences_per_household: 3.0,
            property_per_household: 3.0,
            rural_share: 0.82,
            home_rural: 0.85,
            home_urban: 0.4,
            vehicle_holding: 0.04,
            licence_holding: 0.012,
            shop_holding: 0.003,
            second_home_holding: 0.003,
            hard_negative_same_name_dob: 0.03,
            hard_negative_near_id: 0.03,
            hard_negative_relative: 0.05,
            adversarial_namesake_sequence: 0.0,
            adversarial_twin: 0.0,
            adversarial_namesake_township: 0.0,
            adversarial_near_stranger: 0.0,
            multipart_name: 0.01,
            rare_char_name: 0.005,
            former_code: 0.8,
            households_per_staff: HOUSEHOLDS_PER_STAFF,
            households_per_county: HOUSEHOLDS_PER_COUNTY,
        }
    }
}

/// Serialisation leaves an adversarial rate out while it is zero, so that the manifest of a
/// world without adversarial negatives reads exactly as it did before they existed.
fn is_zero(rate: &f64) -> bool {
    *rate == 0.0
}

/// The staff roster's density is left out of the manifest at its default, so that a default
/// world's manifest reads exactly as it did before the roster existed.
fn is_default_staff_density(rate: &f64) -> bool {
    *rate == HOUSEHOLDS_PER_STAFF
}

/// The same for the county density of province worlds.
fn is_default_county_density(rate: &f64) -> bool {
    *rate == HOUSEHOLDS_PER_COUNTY
}

impl WorldRates {
    /// The adversarial rates by name, including those serialisation leaves out at zero.
    fn adversarial(&self) -> [(&'static str, f64); 4] {
        [
            (
                "adversarial_namesake_sequence",
                self.adversarial_namesake_sequence,
            ),
            ("adversarial_twin", self.adversarial_twin),
            (
                "adversarial_namesake_township",
                self.adversarial_namesake_township,
            ),
            ("adversarial_near_stranger", self.adversarial_near_stranger),
        ]
    }

    /// Every field as a TOML table, zero adversarial rates and the default staff density
    /// included.
    fn table(&self) -> Result<toml::Table, SynthError> {
        let mut table = to_table(self)?;
        let densities = [
            ("households_per_staff", self.households_per_staff),
            ("households_per_county", self.households_per_county),
        ];
        for (key, value) in self.adversarial().into_iter().chain(densities) {
            table
                .entry(key)
                .or_insert_with(|| toml::Value::Float(value));
        }
        Ok(table)
    }
}

/// Fields whose value is a count or factor rather than a probability.
const UNBOUNDED: [&str; 5] = [
    "linked_multiplier",
    "vehicles_per_household",
    "licences_per_household",
    "property_per_household",
    "households_per_staff",
];

fn validate_table(table: &toml::Table) -> Result<(), SynthError> {
    for (key, value) in table {
        let v = value
            .as_float()
            .or_else(|| value.as_integer().map(|i| i as f64));
        let Some(v) = v else {
            return Err(SynthError::InvalidRate {
                key: key.clone(),
                reason: "not a number".into(),
            });
        };
        let ok = if key == "households_per_county" {
            // A count of households, at least one per county.
            v.is_finite() && v >= 1.0
        } else if UNBOUNDED.contains(&key.as_str()) {
            v.is_finite() && (0.0..=1000.0).contains(&v)
        } else {
            (0.0..=1.0).contains(&v)
        };
        if !ok {
            return Err(SynthError::InvalidRate {
                key: key.clone(),
                reason: format!("{v} is out of range"),
            });
        }
    }
    Ok(())
}

fn to_table<T: Serialize>(value: &T) -> Result<toml::Table, SynthError> {
    toml::Table::try_from(value).map_err(|e| SynthError::Internal(format!("rates to TOML: {e}")))
}

fn from_table<T: for<'de> Deserialize<'de>>(
    table: toml::Table,
    origin: &str,
) -> Result<T, SynthError> {
    table
        .try_into()
        .map_err(|e: toml::de::Error| SynthError::RatesFile {
            origin: origin.to_string(),
            message: e.message().to_string(),
        })
}

impl DefectRates {
    /// Parses a TOML document of defect rates; fields left out keep their defaults.
    pub fn from_toml_str(text: &str, origin: &str) -> Result<Self, SynthError> {
        let table: toml::Table =
            text.parse()
                .map_err(|e: toml::de::Error| SynthError::RatesFile {
                    origin: origin.to_string(),
                    message: e.message().to_string(),
                })?;
        let rates: Self = from_table(table, origin)?;
        validate_table(&to_table(&rates)?)?;
        Ok(rates)
    }

    /// Reads and parses a TOML rates file.
    pub fn load(path: &Path) -> Result<Self, SynthError> {
        let text = std::fs::read_to_string(path).map_err(|source| SynthError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        Self::from_toml_str(&text, &path.display().to_string())
    }
}

/// Every rate of both structs, for overrides and the manifest.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Rates {
    /// Noise in department exports.
    pub defects: DefectRates,
    /// Shape of the world.
    pub world: WorldRates,
}

/// Rate files shipped with the generator, by name (`hedui synth --preset NAME`).
pub const PRESETS: [(&str, &str); 1] =
    [("adversarial", include_str!("../presets/adversarial.toml"))];

impl Rates {
    /// Sets one field of either struct by name, e.g. `id_typo` or `vehicle_holding`.
    pub fn set(&mut self, key: &str, value: f64) -> Result<(), SynthError> {
        let mut defects = to_table(&self.defects)?;
        let mut world = self.world.table()?;
        let target = if defects.contains_key(key) {
            &mut defects
        } else if world.contains_key(key) {
            &mut world
        } else {
            return Err(SynthError::UnknownRate(key.to_string()));
        };
        target.insert(key.to_string(), toml::Value::Float(value));
        validate_table(target)?;
        self.defects = from_table(defects, "--rate")?;
        self.world = from_table(world, "--rate")?;
        Ok(())
    }

    /// Applies a TOML document of rates on top of these. Keys are the fields of either
    /// struct, flat (`id_typo = 0.03`, `adversarial_twin = 0.03`), as `--rate` names them;
    /// keys left out keep their current values, and an unknown key is an error naming it.
    pub fn apply_toml_str(&mut self, text: &str, origin: &str) -> Result<(), SynthError> {
        let file_error = |message: String| SynthError::RatesFile {
            origin: origin.to_string(),
            message,
        };
        let table: toml::Table = text
            .parse()
            .map_err(|e: toml::de::Error| file_error(e.message().to_string()))?;
        let mut defects = to_table(&self.defects)?;
        let mut world = self.world.table()?;
        for (key, value) in table {
            let target = if defects.contains_key(&key) {
                &mut defects
            } else if world.contains_key(&key) {
                &mut world
            } else {
                return Err(file_error(format!("unknown rate `{key}`")));
            };
            target.insert(key, value);
        }
        validate_table(&defects)?;
        validate_table(&world)?;
        self.defects = from_table(defects, origin)?;
        self.world = from_table(world, origin)?;
        Ok(())
    }

    /// Reads a TOML rates file and applies it on top of these (see [`Rates::apply_toml_str`]).
    pub fn apply_file(&mut self, path: &Path) -> Result<(), SynthError> {
        let text = std::fs::read_to_string(path).map_err(|source| SynthError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        self.apply_toml_str(&text, &path.display().to_string())
    }

    /// The default rates with the shipped preset `name` applied, or `None` if there is no
    /// such preset.
    pub fn preset(name: &str) -> Option<Result<Self, SynthError>> {
        let (_, text) = PRESETS.iter().find(|(n, _)| *n == name)?;
        let mut rates = Self::default();
        Some(
            rates
                .apply_toml_str(text, &format!("preset {name}"))
                .map(|()| rates),
        )
    }

    /// Parses `key=value` as given on the command line and applies it.
    pub fn set_from_arg(&mut self, arg: &str) -> Result<(), SynthError> {
        let Some((key, value)) = arg.split_once('=') else {
            return Err(SynthError::InvalidRate {
                key: arg.to_string(),
                reason: "expected KEY=VALUE".into(),
            });
        };
        let key = key.trim();
        let value: f64 = value.trim().parse().map_err(|_| SynthError::InvalidRate {
            key: key.to_string(),
            reason: format!("{value:?} is not a number"),
        })?;
        self.set(key, value)
    }
}

/// The demo policy under which `truth/expected_candidates.csv` is computed. It is fixed
/// rather than configurable because later stages are scored against exactly this truth.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DemoPolicy {
    /// Holdings are judged as of this date.
    pub check_date: NaiveDate,
    /// Statuses that make a holding inactive when changed on or before the check date.
    pub inactive_statuses: &'static [&'static str],
    /// Vehicle types that never disqualify.
    pub exempt_vehicle_types: &'static [&'static str],
    /// Business types whose operator or legal representative is disqualified.
    pub licence_types: &'static [&'static str],
    /// Building uses (last part after `/`) that count as commercial property.
    pub commercial_uses: &'static [&'static str],
    /// Building use that counts as a home.
    pub residential_use: &'static str,
}

impl Default for DemoPolicy {
    fn default() -> Self {
        Self {
            check_date: NaiveDate::from_ymd_opt(2026, 6, 30).unwrap_or_default(),
            inactive_statuses: &["注销", "报废", "转出", "被盗抢", "吊销"],
            exempt_vehicle_types: &[
                "普通二轮摩托车",
                "轻便二轮摩托车",
                "三轮汽车",
                "拖拉机",
                "残疾人专用小型自动挡载客汽车",
            ],
            licence_types: &["个体工商户", "有限责任公司", "个人独资企业", "合伙企业"],
            commercial_uses: &["商业", "商服", "办公", "工业", "车库"],
            residential_use: "住宅",
        }
    }
}

/// How the department exports are rendered. Both styles write the same world: the same
/// records, rows, defects and truth; only the exports' columns and status encoding differ.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ExportStyle {
    /// County systems' exports: header wording drawn per file from alias sets, status words.
    #[default]
    Local,
    /// The national systems' layouts: fixed national headers, vehicle statuses as GA letter
    /// codes, the owner's document type, split 注销日期/吊销日期 columns for licences and a
    /// 不动产单元号 for property (docs/synth.md, "National export style").
    National,
}

impl ExportStyle {
    /// Whether this is the default style, which the manifest leaves unnamed so that a local
    /// world's manifest reads exactly as before the national style existed.
    pub fn is_local(&self) -> bool {
        *self == Self::Local
    }
}

/// Which counties a world's households live in.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Area {
    /// Honghe's 13 counties at every size: a larger world is a denser prefecture.
    #[default]
    Honghe,
    /// Yunnan's counties at Honghe's density (200,000 households over 13 counties),
    /// Honghe's first: a larger world is a larger province, and 200,000 households are the
    /// Honghe world. Townships outside Honghe are invented.
    Yunnan,
}

impl Area {
    /// Whether this is the default, Honghe.
    pub fn is_honghe(&self) -> bool {
        *self == Self::Honghe
    }
}

/// Everything one generation run depends on. Same config ⇒ byte-identical output.
#[derive(Debug, Clone)]
pub struct SynthConfig {
    /// Number of recipient households.
    pub households: u64,
    /// Seed of every random choice.
    pub seed: u64,
    /// Worker threads; `None` uses rayon's default. Does not change the output.
    pub threads: Option<usize>,
    /// Noise and world rates.
    pub rates: Rates,
    /// How the department exports are rendered; does not change the world or its truth.
    pub export_style: ExportStyle,
    /// Rows per property sheet, Excel's limit (1,048,576) by default. Past it the table goes
    /// on in another sheet with the same titles and header, as export systems split it; a
    /// smaller value splits a small world the same way.
    pub sheet_rows: u64,
    /// Which counties the households live in.
    pub area: Area,
}

impl SynthConfig {
    /// A config with default rates.
    pub fn new(households: u64, seed: u64) -> Self {
        Self {
            households,
            seed,
            threads: None,
            rates: Rates::default(),
            export_style: ExportStyle::Local,
            sheet_rows: crate::writer::SHEET_ROWS,
            area: Area::Honghe,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_key_in_file_is_named() {
        let err =
            DefectRates::from_toml_str("id_typo = 0.1\nid_tpyo = 0.2\n", "x.toml").unwrap_err();
        assert!(err.to_string().contains("id_tpyo"), "{err}");
    }

    #[test]
    fn overrides_reach_either_struct_and_check_range() {
        let mut rates = Rates::default();
        rates.set_from_arg("id_typo=0.25").unwrap();
        rates.set_from_arg("vehicles_per_household=2").unwrap();
        assert_eq!(rates.defects.id_typo, 0.25);
        assert_eq!(rates.world.vehicles_per_household, 2.0);
        assert!(rates.set_from_arg("id_typo=1.5").is_err());
        assert!(
            matches!(rates.set_from_arg("nope=0.1"), Err(SynthError::UnknownRate(k)) if k == "nope")
        );
    }
}
