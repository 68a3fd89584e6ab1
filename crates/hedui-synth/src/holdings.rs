//! Who holds what: recipients' real holdings, hard negatives that resemble recipients, and
//! the non-recipient bulk that makes up most of every export.

use chrono::Datelike;
use rand::Rng;

use crate::assets::{Assets, Life, Negative, NegativeKind, outsider_life, recipient_life, vehicle};
use crate::business::{OUTSIDER_TYPES, RECIPIENT_TYPES, Use, licence, property};
use crate::household::{Household, Relation};
use crate::people::{AGE_YEAR, ChunkWorld};
use crate::rng::{chance, pick, stochastic_round, weighted};

pub(crate) fn adults(world: &ChunkWorld<'_>, hh: &Household) -> Vec<usize> {
    hh.members
        .iter()
        .map(|(p, _)| *p)
        .filter(|&p| AGE_YEAR - world.people[p].birth.year() >= 18)
        .collect()
}

/// Head, plus the spouse as co-owner in about half of the cases.
fn home_owners(world: &mut ChunkWorld<'_>, hh: &Household) -> Vec<usize> {
    let mut owners = vec![hh.head()];
    if let Some(spouse) = hh.with(Relation::Spouse)
        && world.rng.random_bool(0.5)
    {
        owners.push(spouse);
    }
    owners
}

/// Adds the holdings of recipient household `hh`.
pub(crate) fn recipient_holdings(world: &mut ChunkWorld<'_>, hh: &Household, assets: &mut Assets) {
    let w = world.rates.world.clone();
    let home_rate = if hh.urban() {
        w.home_urban
    } else {
        w.home_rural
    };
    if chance(&mut world.rng, home_rate) {
        // The family home is a true link that must not become a candidate, so it stays active.
        let owners = home_owners(world, hh);
        let kind = if hh.urban() {
            Use::UrbanHome
        } else {
            Use::RuralHome
        };
        assets
            .property
            .push(property(world, owners, kind, hh.place, Life::Active, true));
    }
    let adults = adults(world, hh);
    let Some(&first_adult) = adults.first() else {
        return;
    };
    if chance(&mut world.rng, w.vehicle_holding) {
        let owner = if world.rng.random_bool(0.6) {
            first_adult
        } else {
            *pick(&mut world.rng, &adults)
        };
        let exempt = chance(&mut world.rng, world.rates.defects.asset_exempt);
        let life = recipient_life(world);
        assets
            .vehicles
            .push(vehicle(world, owner, exempt, life, true));
    }
    if chance(&mut world.rng, w.licence_holding) {
        let operator = *pick(&mut world.rng, &adults);
        let etype = weighted(&mut world.rng, RECIPIENT_TYPES);
        let life = recipient_life(world);
        assets
            .licences
            .push(licence(world, operator, etype, life, true));
    }
    if chance(&mut world.rng, w.shop_holding) {
        let owners = home_owners(world, hh);
        let life = recipient_life(world);
        assets.property.push(property(
            world,
            owners,
            Use::Commercial,
            hh.place,
            life,
            true,
        ));
    }
    if chance(&mut world.rng, w.second_home_holding) {
        let owners = vec![*pick(&mut world.rng, &adults)];
        let place = world
            .tables
            .geo
            .place(&mut world.rng, hh.place.county, true);
        let life = recipient_life(world);
        assets
            .property
            .push(property(world, owners, Use::UrbanHome, place, life, true));
    }
}

/// An active asset of a kind that would disqualify a recipient, held by `owner`.
pub(crate) fn tempting_asset(
    world: &mut ChunkWorld<'_>,
    owner: usize,
    negative: Negative,
    assets: &mut Assets,
) {
    match world.rng.random_range(0..10) {
        0..5 => {
            let mut v = vehicle(world, owner, false, Life::Active, false);
            v.common.negative = Some(negative);
            assets.vehicles.push(v);
        }
        5..8 => {
            let mut l = licence(world, owner, "个体工商户", Life::Active, false);
            l.common.negative = Some(negative);
            assets.licences.push(l);
        }
        _ => {
            let place = world.people[owner].place;
            let mut p = property(
                world,
                vec![owner],
                Use::Commercial,
                place,
                Life::Active,
                false,
            );
            p.common.negative = Some(negative);
            assets.property.push(p);
        }
    }
}

/// Adds non-recipients who resemble members of `hh` and hold disqualifying assets.
pub(crate) fn hard_negatives(world: &mut ChunkWorld<'_>, hh: &Household, assets: &mut Assets) {
    let w = world.rates.world.clone();
    let adults = adults(world, hh);
    if adults.is_empty() {
        return;
    }
    if chance(&mut world.rng, w.hard_negative_same_name_dob) {
        let target = *pick(&mut world.rng, &adults);
        let t = world.people[target].clone();
        let county = world.tables.geo.county(&mut world.rng);
        let urban = world.rng.random_bool(0.4);
        let place = world.tables.geo.place(&mut world.rng, county, urban);
        let twin = world.add_person(t.name.clone(), t.male, t.birth, place, t.pattern);
        // The allocator may shift a full birth date; only a true twin is a hard negative.
        if world.people[twin].birth == t.birth {
            tempting_asset(
                world,
                twin,
                Negative {
                    kind: NegativeKind::SameNameDob,
                    similar_to: target,
                    written: None,
                },
                assets,
            );
        }
    }
    if chance(&mut world.rng, w.hard_negative_near_id) {
        let target = *pick(&mut world.rng, &adults);
        let t = world.people[target].clone();
        if let Some(id) = world.ids.alloc_near(&t.id) {
            let county = world.tables.geo.county(&mut world.rng);
            let urban = world.rng.random_bool(0.4);
            let place = world.tables.geo.place(&mut world.rng, county, urban);
            let spec = world.spec(t.pattern, t.male, t.birth.year());
            let name = world.tables.names.name(&mut world.rng, &spec);
            let person = crate::people::Person {
                id,
                name,
                male: t.male,
                birth: t.birth,
                place,
                pattern: t.pattern,
                household: None,
            };
            world.people.push(person);
            let p = world.people.len() - 1;
            tempting_asset(
                world,
                p,
                Negative {
                    kind: NegativeKind::NearId,
                    similar_to: target,
                    written: None,
                },
                assets,
            );
        }
    }
    if chance(&mut world.rng, w.hard_negative_relative) {
        let head = world.people[hh.head()].clone();
        let place = world.tables.geo.neighbour(&mut world.rng, &hh.place);
        let male = world.rng.random_bool(0.7);
        let age = (AGE_YEAR - head.birth.year() + world.rng.random_range(-10..=10)).clamp(20, 80);
        let birth = world.birth_for_age(age);
        let mut spec = world.spec(head.pattern, male, birth.year());
        let surname = head.name.surname().to_string();
        spec.father_last = head.name.full.chars().nth(head.name.surname_len);
        let name = if surname.is_empty() {
            world.tables.names.name(&mut world.rng, &spec)
        } else {
            let spec = crate::names::NameSpec {
                surname: Some(&surname),
                ..spec
            };
            world.tables.names.name(&mut world.rng, &spec)
        };
        let relative = world.add_person(name, male, birth, place, head.pattern);
        tempting_asset(
            world,
            relative,
            Negative {
                kind: NegativeKind::Relative,
                similar_to: hh.head(),
                written: None,
            },
            assets,
        );
    }
}

/// Tops each export up with non-recipients' records to the configured size.
pub(crate) fn fill(world: &mut ChunkWorld<'_>, households: usize, assets: &mut Assets) {
    let w = world.rates.world.clone();
    let n = households as f64;
    let vehicles = stochastic_round(&mut world.rng, w.vehicles_per_household * n);
    while assets.vehicles.len() < vehicles {
        let owner = world.owner();
        let exempt = world.rng.random_bool(0.35);
        let life = outsider_life(world);
        assets
            .vehicles
            .push(vehicle(world, owner, exempt, life, false));
    }
    let licences = stochastic_round(&mut world.rng, w.licences_per_household * n);
    while assets.licences.len() < licences {
        let owner = world.owner();
        let etype = weighted(&mut world.rng, OUTSIDER_TYPES);
        let life = outsider_life(world);
        assets
            .licences
            .push(licence(world, owner, etype, life, false));
    }
    // Co-owned titles repeated per owner add rows, so aim at ~1.2 rows per title.
    let titles = stochastic_round(&mut world.rng, w.property_per_household * n / 1.2);
    while assets.property.len() < titles {
        let owner = world.owner();
        let mut owners = vec![owner];
        if world.rng.random_bool(0.4) {
            owners.push(world.new_spouse(owner));
            if world.rng.random_bool(0.1) {
                owners.push(world.new_outsider());
            }
        }
        let place = world.people[owner].place;
        let kind = match world.rng.random_range(0..100) {
            0..20 => Use::Commercial,
            _ if place.urban => Use::UrbanHome,
            _ => Use::RuralHome,
        };
        let life = outsider_life(world);
        assets
            .property
            .push(property(world, owners, kind, place, life, false));
    }
}
