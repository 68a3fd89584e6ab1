//! Recipient households: size, relations, ages and names that hang together (a Hani son's
//! name links to his father's, siblings share a surname and an address).

use chrono::{Datelike, NaiveDate};
use rand::Rng;

use crate::names::{Name, Pattern};
use crate::people::ChunkWorld;
use crate::places::Place;
use crate::rng::{pick, weighted};

/// Relation to the head of household (与户主关系).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Relation {
    Head,
    Spouse,
    Child,
    Parent,
    Grandchild,
    Sibling,
    Other,
}

impl Relation {
    pub(crate) fn label(self) -> &'static str {
        match self {
            Self::Head => "户主",
            Self::Spouse => "配偶",
            Self::Child => "子女",
            Self::Parent => "父母",
            Self::Grandchild => "孙子女",
            Self::Sibling => "兄弟姐妹",
            Self::Other => "其他",
        }
    }
}

/// One recipient household.
#[derive(Debug, Clone)]
pub(crate) struct Household {
    pub id: String,
    pub place: Place,
    /// Address as the centre's roster writes it.
    pub address: String,
    pub since: NaiveDate,
    /// (person index, relation), head first.
    pub members: Vec<(usize, Relation)>,
    /// Monthly amount per member, yuan.
    pub amounts: Vec<u32>,
}

impl Household {
    pub(crate) fn urban(&self) -> bool {
        self.place.urban
    }

    pub(crate) fn head(&self) -> usize {
        self.members[0].0
    }

    /// The member with the given relation, if any.
    pub(crate) fn with(&self, relation: Relation) -> Option<usize> {
        self.members
            .iter()
            .find(|(_, r)| *r == relation)
            .map(|(p, _)| *p)
    }
}

static SIZES: &[(usize, u32)] = &[(1, 24), (2, 26), (3, 20), (4, 16), (5, 9), (6, 5)];

/// Generates household number `global_index` (0-based) and adds its members to `world`.
pub(crate) fn generate(
    world: &mut ChunkWorld<'_>,
    global_index: u64,
    local_index: u32,
) -> Household {
    let rng = &mut world.rng;
    let size = weighted(rng, SIZES);
    let urban = !rng.random_bool(world.rates.world.rural_share.clamp(0.0, 1.0));
    let county = world.tables.geo.county(rng);
    let place = world.tables.geo.place(rng, county, urban);
    let head_age = match size {
        1 if rng.random_bool(0.65) => rng.random_range(60..=92),
        1 => rng.random_range(30..=59),
        _ if rng.random_bool(0.25) => rng.random_range(25..=44),
        _ if rng.random_bool(0.6) => rng.random_range(45..=64),
        _ => rng.random_range(65..=85),
    };
    let head_male = rng.random_bool(if size == 1 { 0.55 } else { 0.8 });
    let pattern = world.pattern_for(county);

    let mut members: Vec<(usize, Relation)> = Vec::with_capacity(size);
    let birth = world.birth_for_age(head_age);
    let spec = world.spec(pattern, head_male, birth.year());
    let name = world.tables.names.name(&mut world.rng, &spec);
    let head = world.add_person(name, head_male, birth, place, pattern);
    members.push((head, Relation::Head));

    if size >= 2 && world.rng.random_bool(0.75) {
        let spouse = world.new_spouse(head);
        members.push((spouse, Relation::Spouse));
    }
    let mut parents = 0;
    while members.len() < size {
        let relation = pick_relation(world, head_age, &members, parents);
        parents += usize::from(relation == Relation::Parent);
        let person = relative(world, &members, relation, head_age);
        members.push((person, relation));
    }

    let county_code = place.county().code;
    let style = world.rng.random_range(0..5);
    let since = NaiveDate::from_ymd_opt(
        world.rng.random_range(2012..=2025),
        world.rng.random_range(1..=12),
        1,
    )
    .unwrap_or_default();
    let base: &[u32] = if urban {
        &[780, 650, 520]
    } else {
        &[520, 430, 330]
    };
    let amounts = members
        .iter()
        .map(|_| *pick(&mut world.rng, base))
        .collect();
    for (p, _) in &members {
        world.people[*p].household = Some(local_index);
    }
    Household {
        id: format!("{county_code}-{:06}", global_index + 1),
        place,
        address: place.address(style),
        since,
        members,
        amounts,
    }
}

fn pick_relation(
    world: &mut ChunkWorld<'_>,
    head_age: i32,
    members: &[(usize, Relation)],
    parents: usize,
) -> Relation {
    let rng = &mut world.rng;
    let has_child = members.iter().any(|(_, r)| *r == Relation::Child);
    let roll = rng.random_range(0..100);
    if head_age < 50 {
        match roll {
            0..80 => Relation::Child,
            80..92 if parents < 2 && head_age < 45 => Relation::Parent,
            80..92 => Relation::Child,
            92..97 => Relation::Sibling,
            _ => Relation::Other,
        }
    } else {
        match roll {
            0..55 => Relation::Child,
            55..90 if has_child => Relation::Grandchild,
            55..90 => Relation::Child,
            90..95 => Relation::Sibling,
            _ => Relation::Other,
        }
    }
}

/// The father among the current members, if a male head or spouse exists.
fn father_of_children(world: &ChunkWorld<'_>, members: &[(usize, Relation)]) -> Option<usize> {
    members
        .iter()
        .filter(|(_, r)| matches!(r, Relation::Head | Relation::Spouse))
        .map(|(p, _)| *p)
        .find(|&p| world.people[p].male)
}

fn relative(
    world: &mut ChunkWorld<'_>,
    members: &[(usize, Relation)],
    relation: Relation,
    head_age: i32,
) -> usize {
    let head = members[0].0;
    let (place, pattern) = (world.people[head].place, world.people[head].pattern);
    let head_name = world.people[head].name.clone();
    let rng = &mut world.rng;
    let age = match relation {
        Relation::Child => head_age - rng.random_range(20..=38),
        Relation::Grandchild => head_age - rng.random_range(42..=60),
        Relation::Parent => (head_age + rng.random_range(20..=32)).min(99),
        Relation::Sibling => head_age + rng.random_range(-8..=8),
        _ => rng.random_range(5..=80),
    };
    let age = if age < 0 {
        rng.random_range(0..=6)
    } else {
        age
    };
    let male = rng.random_bool(0.5);
    let birth = world.birth_for_age(age);
    let mut spec = world.spec(pattern, male, birth.year());

    // Surname and Hani linkage follow the paternal line.
    let father = match relation {
        Relation::Child => father_of_children(world, members),
        Relation::Grandchild => members
            .iter()
            .find(|(p, r)| *r == Relation::Child && world.people[*p].male)
            .map(|(p, _)| *p),
        _ => None,
    };
    let father_name = father.map(|f| world.people[f].name.clone());
    let head_surname = head_name.surname().to_string();
    let head_first_given = head_name.full.chars().nth(head_name.surname_len);
    let name = match relation {
        Relation::Child | Relation::Grandchild => {
            let surname = father_name
                .as_ref()
                .map_or(head_surname.clone(), |n| n.surname().to_string());
            spec.surname = None;
            spec.father_last = father_name.as_ref().and_then(Name::last_char);
            named(world, &spec, &surname)
        }
        Relation::Sibling => {
            spec.father_last = head_first_given;
            named(world, &spec, &head_surname)
        }
        Relation::Parent if male && pattern == Pattern::Minority && !head_surname.is_empty() => {
            // Reverse linkage: the head's first given syllable is the father's last.
            let first = crate::names::linked_syllable(&mut world.rng);
            let last = head_first_given.map(String::from).unwrap_or_default();
            Name {
                full: format!("{head_surname}{first}{last}"),
                surname_len: head_name.surname_len,
            }
        }
        Relation::Parent if male => named(world, &spec, &head_surname),
        _ => world.tables.names.name(&mut world.rng, &spec),
    };
    world.add_person(name, male, birth, place, pattern)
}

/// A name with the given surname; falls back to a drawn surname for multi-part heads.
fn named(world: &mut ChunkWorld<'_>, spec: &crate::names::NameSpec<'_>, surname: &str) -> Name {
    if surname.is_empty() {
        return world.tables.names.name(&mut world.rng, spec);
    }
    let spec = crate::names::NameSpec {
        surname: Some(surname),
        ..*spec
    };
    world.tables.names.name(&mut world.rng, &spec)
}
