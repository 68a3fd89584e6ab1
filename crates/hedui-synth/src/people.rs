//! People of one chunk, recipients and non-recipients alike, and the shared tables and
//! counters that creating them needs.

use chrono::{Datelike, NaiveDate};
use rand::Rng;

use crate::config::Rates;
use crate::ids::{IdAllocator, Rid, rid_str};
use crate::names::{Name, NameSpec, NameTables, Pattern};
use crate::places::{Geography, Place, county_of, minority_share};
use crate::rng::{SynthRng, chance, chunk_rng};

/// Tables shared read-only by all chunks.
#[derive(Debug)]
pub(crate) struct Tables {
    pub names: NameTables,
    pub geo: Geography,
}

impl Tables {
    pub(crate) fn new(area: crate::config::Area, households: u64, per_county: f64) -> Self {
        Self {
            names: NameTables::new(),
            geo: Geography::new(area, households, per_county),
        }
    }
}

/// One person of the synthetic world.
#[derive(Debug, Clone)]
pub(crate) struct Person {
    pub id: Rid,
    pub name: Name,
    pub male: bool,
    pub birth: NaiveDate,
    pub place: Place,
    pub pattern: Pattern,
    /// Local index of the recipient household this person belongs to.
    pub household: Option<u32>,
}

impl Person {
    pub(crate) fn id_str(&self) -> &str {
        rid_str(&self.id)
    }
}

/// Year a county's former code stopped being issued (蒙自县→蒙自市 2010, 弥勒县→弥勒市 2013).
fn code_change_year(county: u8) -> i32 {
    match county {
        2 => 2010,
        3 => 2013,
        _ => i32::MIN,
    }
}

/// Mutable state of one chunk: its random stream, people and key serials.
#[derive(Debug)]
pub(crate) struct ChunkWorld<'a> {
    pub chunk: u32,
    pub seed: u64,
    pub rng: SynthRng,
    pub ids: IdAllocator,
    pub tables: &'a Tables,
    pub rates: &'a Rates,
    pub people: Vec<Person>,
    /// Non-recipients who already hold something, reused as owners of further assets.
    pub owner_pool: Vec<usize>,
    pub vehicle_serial: u64,
    pub new_energy_serial: u64,
    pub licence_serial: u64,
    pub property_serial: u64,
}

/// Reference date for ages: the check date's year.
pub(crate) const AGE_YEAR: i32 = 2026;

impl<'a> ChunkWorld<'a> {
    pub(crate) fn new(seed: u64, chunk: u32, tables: &'a Tables, rates: &'a Rates) -> Self {
        Self {
            chunk,
            seed,
            rng: chunk_rng(seed, chunk),
            ids: IdAllocator::new(chunk),
            tables,
            rates,
            people: Vec::new(),
            owner_pool: Vec::new(),
            vehicle_serial: 0,
            new_energy_serial: 0,
            licence_serial: 0,
            property_serial: 0,
        }
    }

    /// A birth date for someone `age` years old at mid-2026.
    pub(crate) fn birth_for_age(&mut self, age: i32) -> NaiveDate {
        let year = AGE_YEAR - age.clamp(0, 100);
        let ordinal = self.rng.random_range(1..=365);
        let date = NaiveDate::from_yo_opt(year, ordinal).unwrap_or_default();
        // Keep everyone born before the check date.
        date.min(NaiveDate::from_ymd_opt(AGE_YEAR, 6, 1).unwrap_or_default())
    }

    /// The area code on an ID: usually the home county, sometimes another Honghe county,
    /// and for older people of 蒙自/弥勒 often the former code.
    fn id_area(&mut self, home: u8, birth_year: i32) -> u32 {
        let county = if self.rng.random_bool(0.9) {
            home
        } else {
            self.tables.geo.county(&mut self.rng)
        };
        let c = county_of(county);
        let former = c
            .former_codes
            .first()
            .filter(|_| birth_year < code_change_year(county));
        let code = match former {
            Some(old) if chance(&mut self.rng, self.rates.world.former_code) => old,
            _ => c.code,
        };
        code.parse().unwrap_or(532501)
    }

    /// Naming tradition for someone living in `county`.
    pub(crate) fn pattern_for(&mut self, county: u8) -> Pattern {
        if self.rng.random_bool(minority_share(county)) {
            Pattern::Minority
        } else {
            Pattern::Han
        }
    }

    /// Creates a person with a fresh unique ID and returns its index.
    pub(crate) fn add_person(
        &mut self,
        name: Name,
        male: bool,
        birth: NaiveDate,
        place: Place,
        pattern: Pattern,
    ) -> usize {
        let area = self.id_area(place.county, birth.year());
        let (id, birth) = match self.ids.alloc_shifting(&mut self.rng, area, birth, male) {
            Some(found) => found,
            // Ten thousand people of one sex born on every day of a year in one county and
            // chunk cannot happen at any supported size; fall back to another county's code.
            None => self
                .ids
                .alloc_shifting(&mut self.rng, 532530, birth, male)
                .unwrap_or((crate::ids::resident_id(532530, birth, 1), birth)),
        };
        self.people.push(Person {
            id,
            name,
            male,
            birth,
            place,
            pattern,
            household: None,
        });
        self.people.len() - 1
    }

    /// A name spec with this world's multi-part and rare-character rates.
    pub(crate) fn spec(&self, pattern: Pattern, male: bool, birth_year: i32) -> NameSpec<'static> {
        NameSpec {
            pattern,
            male,
            birth_year,
            surname: None,
            father_last: None,
            multipart_rate: self.rates.world.multipart_name,
            rare_rate: self.rates.world.rare_char_name,
        }
    }

    /// A new adult non-recipient somewhere in Honghe.
    pub(crate) fn new_outsider(&mut self) -> usize {
        let county = self.tables.geo.county(&mut self.rng);
        let urban = self.rng.random_bool(0.35);
        let place = self.tables.geo.place(&mut self.rng, county, urban);
        let male = self.rng.random_bool(0.62);
        let age = self.rng.random_range(20..=72);
        let birth = self.birth_for_age(age);
        let pattern = self.pattern_for(county);
        let spec = self.spec(pattern, male, birth.year());
        let name = self.tables.names.name(&mut self.rng, &spec);
        self.add_person(name, male, birth, place, pattern)
    }

    /// The spouse of `partner`: opposite sex, similar age, same home.
    pub(crate) fn new_spouse(&mut self, partner: usize) -> usize {
        let (male, year, place, pattern) = {
            let p = &self.people[partner];
            (!p.male, p.birth.year(), p.place, p.pattern)
        };
        // Husbands are usually a few years older than their wives.
        let delta = self.rng.random_range(-2..=6);
        let partner_age = AGE_YEAR - year;
        let age = if male {
            partner_age + delta
        } else {
            partner_age - delta
        };
        let birth = self.birth_for_age(age.max(18));
        let spec = self.spec(pattern, male, birth.year());
        let name = self.tables.names.name(&mut self.rng, &spec);
        self.add_person(name, male, birth, place, pattern)
    }

    /// A non-recipient owner: often someone who already holds something.
    pub(crate) fn owner(&mut self) -> usize {
        if !self.owner_pool.is_empty() && self.rng.random_bool(0.2) {
            let i = self.rng.random_range(0..self.owner_pool.len());
            return self.owner_pool[i];
        }
        let p = self.new_outsider();
        self.owner_pool.push(p);
        p
    }

    pub(crate) fn next_vehicle_serial(&mut self, new_energy: bool) -> u64 {
        let counter = if new_energy {
            &mut self.new_energy_serial
        } else {
            &mut self.vehicle_serial
        };
        *counter += 1;
        crate::ids::global_serial(*counter - 1, self.chunk)
    }

    pub(crate) fn next_licence_serial(&mut self) -> u64 {
        self.licence_serial += 1;
        crate::ids::global_serial(self.licence_serial - 1, self.chunk)
    }

    pub(crate) fn next_property_serial(&mut self) -> u64 {
        self.property_serial += 1;
        crate::ids::global_serial(self.property_serial - 1, self.chunk)
    }

    /// Seed-dependent offset of a key scramble, so different seeds give different keys.
    pub(crate) fn key_offset(&self, kind: u64) -> u64 {
        crate::rng::mix64(self.seed ^ kind.wrapping_mul(0x5851_F42D_4C95_7F2D))
    }
}
