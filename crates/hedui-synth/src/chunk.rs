//! One chunk of the world, generated start to finish by one thread: households, holdings,
//! hard negatives, non-recipient bulk, then the rendered rows and truth of every file.

use std::collections::BTreeMap;

use ferrous_opencc::OpenCC;

use crate::assets::Assets;
use crate::config::{DemoPolicy, Rates};
use crate::defects::Noise;
use crate::household::{self, Household};
use crate::ids::CHUNKS;
use crate::licences::LicenceStyle;
use crate::people::{ChunkWorld, Tables};
use crate::policy::{self, Candidate};
use crate::property::PropertyStyle;
use crate::relatives::{ChunkRelatives, RelativesStyle};
use crate::rng::{relatives_rng, shuffle};
use crate::rows::{Cell, Lookup, Section, csv_line};
use crate::vehicles::VehicleStyle;
use crate::{adversarial, holdings, licences, property, vehicles};

/// File-level styles, drawn once per run.
#[derive(Debug, Clone)]
pub(crate) struct Styles {
    pub vehicles: VehicleStyle,
    pub licences: LicenceStyle,
    pub property: PropertyStyle,
    pub relatives: RelativesStyle,
}

/// Everything a chunk reads.
pub(crate) struct Shared<'a> {
    pub seed: u64,
    pub households: u64,
    pub rates: &'a Rates,
    pub tables: &'a Tables,
    pub s2t: Option<&'a OpenCC>,
    pub styles: &'a Styles,
    pub policy: &'a DemoPolicy,
}

impl std::fmt::Debug for Shared<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Shared")
            .field("seed", &self.seed)
            .field("households", &self.households)
            .finish_non_exhaustive()
    }
}

/// What one chunk hands to the writer.
#[derive(Debug, Default)]
pub(crate) struct ChunkOutput {
    pub households: u64,
    pub members: u64,
    pub people: u64,
    /// `recipients.csv` lines, UTF-8.
    pub recipients: String,
    pub vehicles: Section,
    pub licences: Section,
    pub property: Section,
    pub candidates: Vec<Candidate>,
    /// `staff.csv`, `relatives_register.csv`, `hukou.csv` and their truth.
    pub relatives: ChunkRelatives,
}

/// Household range of chunk `chunk`: an even split that depends only on N.
pub(crate) fn household_range(total: u64, chunk: u32) -> (u64, u64) {
    let c = u64::from(CHUNKS);
    let start = (u128::from(total) * u128::from(chunk) / u128::from(c)) as u64;
    let end = (u128::from(total) * (u128::from(chunk) + 1) / u128::from(c)) as u64;
    (start, end)
}

pub(crate) fn generate(
    shared: &Shared<'_>,
    chunk: u32,
) -> Result<ChunkOutput, crate::error::SynthError> {
    let (start, end) = household_range(shared.households, chunk);
    let mut world = ChunkWorld::new(shared.seed, chunk, shared.tables, shared.rates);
    let households: Vec<Household> = (start..end)
        .enumerate()
        .map(|(local, global)| household::generate(&mut world, global, local as u32))
        .collect();

    let mut assets = Assets::default();
    for hh in &households {
        holdings::recipient_holdings(&mut world, hh, &mut assets);
        holdings::hard_negatives(&mut world, hh, &mut assets);
        adversarial::negatives(&mut world, hh, &mut assets);
    }
    holdings::fill(&mut world, households.len(), &mut assets);
    let candidates = policy::candidates(shared.policy, &world.people, &households, &assets);

    // Exports are not sorted by household; mix recipients' records into the bulk.
    shuffle(&mut world.rng, &mut assets.vehicles);
    shuffle(&mut world.rng, &mut assets.licences);
    shuffle(&mut world.rng, &mut assets.property);

    let noise = Noise {
        rates: &shared.rates.defects,
        s2t: shared.s2t,
    };
    let lookup = Lookup {
        people: &world.people,
        households: &households,
    };
    let rng = &mut world.rng;
    let mut out = ChunkOutput {
        households: households.len() as u64,
        members: households.iter().map(|h| h.members.len() as u64).sum(),
        people: world.people.len() as u64,
        recipients: roster(&households, &world.people),
        candidates,
        property: Section::spreadsheet(),
        ..ChunkOutput::default()
    };
    for v in &assets.vehicles {
        let row = vehicles::row(rng, noise, &shared.styles.vehicles, &world.people, v);
        out.vehicles.emit(rng, noise, lookup, row);
    }
    for l in &assets.licences {
        let row = licences::row(rng, noise, &shared.styles.licences, &world.people, l);
        out.licences.emit(rng, noise, lookup, row);
    }
    for p in &assets.property {
        for row in property::rows(rng, noise, &shared.styles.property, &world.people, p) {
            out.property.emit(rng, noise, lookup, row);
        }
    }
    crate::writer::encode_csv(&mut out.vehicles, Some(&mut crate::gb::Gb18030::default()))?;
    crate::writer::encode_csv(&mut out.licences, None)?;

    // Everything above is final. The roster, register and 户籍 draw from a stream of their
    // own and take IDs after everyone else's, so they change nothing above.
    world.rng = relatives_rng(shared.seed, chunk);
    out.relatives = crate::relatives::generate(
        &mut world,
        &households,
        shared.rates.world.households_per_staff,
        &shared.rates.defects,
    );
    Ok(out)
}

/// Header of `recipients.csv`.
pub(crate) const ROSTER_HEADER: [&str; 14] = [
    "户编号",
    "成员姓名",
    "身份证号",
    "与户主关系",
    "性别",
    "出生日期",
    "保障类别",
    "县市区",
    "乡镇",
    "村社区",
    "家庭住址",
    "纳入日期",
    "户主姓名",
    "月保障金额",
];

fn roster(households: &[Household], people: &[crate::people::Person]) -> String {
    let mut text = String::with_capacity(households.len() * 400);
    for hh in households {
        let head = &people[hh.head()];
        let category = if hh.urban() {
            "城市低保"
        } else {
            "农村低保"
        };
        for ((p, relation), amount) in hh.members.iter().zip(&hh.amounts) {
            let m = &people[*p];
            let cells = [
                hh.id.clone(),
                m.name.full.clone(),
                m.id_str().to_string(),
                relation.label().to_string(),
                if m.male { "男" } else { "女" }.to_string(),
                m.birth.format("%Y-%m-%d").to_string(),
                category.to_string(),
                hh.place.county().common_name.to_string(),
                hh.place.township().to_string(),
                hh.place.village_name(),
                hh.address.clone(),
                hh.since.format("%Y-%m-%d").to_string(),
                head.name.full.clone(),
                amount.to_string(),
            ]
            .map(Cell::Text);
            csv_line(&mut text, &cells, false);
        }
    }
    text
}

/// Counts merged over chunks, in a stable order.
pub(crate) fn merge_counts(into: &mut BTreeMap<String, u64>, from: &BTreeMap<&'static str, u64>) {
    for (k, v) in from {
        *into.entry((*k).to_string()).or_default() += v;
    }
}
