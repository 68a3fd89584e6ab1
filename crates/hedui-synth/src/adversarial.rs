//! Adversarial hard negatives (issue 19): non-recipients made to be linked wrongly.
//!
//! Everyone born on one day in one county shares the first 14 digits of the identity number;
//! only the 3-digit sequence and the check character tell them apart. So when a namesake's
//! or a twin's number is broken, the member's number can be one of its valid one-edit
//! neighbours. Each builder here makes such a person, gives them a disqualifying asset and
//! fixes the number their record carries (`Written`), which no other ID defect then touches.
//! Each rate is a chance per recipient household and draws nothing when zero, so a world
//! without these negatives is exactly the world it was before they existed.

use chrono::{Datelike, NaiveDate};
use hedui_core::area::County;
use hedui_core::resident_id::{check_char, one_edit_neighbours, one_slip};
use rand::Rng;

use crate::assets::{Assets, Negative, NegativeKind, Written};
use crate::defects::{homophone, same_sound, typo};
use crate::holdings::{adults, tempting_asset};
use crate::household::Household;
use crate::ids::{Rid, legacy15, parts, rid_str, step_id};
use crate::names::{Name, NameSpec};
use crate::people::{AGE_YEAR, ChunkWorld, Person};
use crate::places::Place;
use crate::rng::{chance, pick};

/// Adds the adversarial negatives of recipient household `hh`.
pub(crate) fn negatives(world: &mut ChunkWorld<'_>, hh: &Household, assets: &mut Assets) {
    let w = &world.rates.world;
    let rates = [
        w.adversarial_namesake_sequence,
        w.adversarial_twin,
        w.adversarial_namesake_township,
        w.adversarial_near_stranger,
    ];
    if rates.iter().all(|r| *r <= 0.0) {
        return;
    }
    let adults = adults(world, hh);
    if adults.is_empty() {
        return;
    }
    let [sequence, twin_rate, township, stranger] = rates;
    if chance(&mut world.rng, sequence) {
        namesake_sequence(world, hh, &adults, false, assets);
    }
    if chance(&mut world.rng, sequence) {
        namesake_sequence(world, hh, &adults, true, assets);
    }
    if chance(&mut world.rng, twin_rate) {
        twin(world, hh, &adults, assets);
    }
    if chance(&mut world.rng, township) {
        namesake_township(world, hh, &adults, assets);
    }
    if chance(&mut world.rng, stranger) {
        near_stranger(world, hh, &adults, assets);
    }
}

/// Whether an 18-character number fails its check.
fn fails_check(w: &Rid) -> bool {
    let mut body = [0u8; 17];
    body.copy_from_slice(&w[..17]);
    check_char(&body) != w[17]
}

/// `own` with the sequence digit that differs from `member`'s typed as the member's: the
/// member's body with `own`'s check character. One slip from both, valid for neither.
fn typed_as_member(own: &Rid, member: &Rid) -> Rid {
    let mut w = *member;
    w[17] = own[17];
    w
}

/// Adjacent transpositions of `own` that land one slip from `member` and fail the check.
fn transpositions_towards(own: &Rid, member: &Rid) -> Vec<Rid> {
    (0..17)
        .filter(|&i| own[i] != own[i + 1])
        .map(|i| {
            let mut w = *own;
            w.swap(i, i + 1);
            w
        })
        .filter(|w| one_slip(w, member).is_some() && digit_body(w) && fails_check(w))
        .collect()
}

/// Whether the 17 characters before the check are digits: a transposition that moves a
/// final `X` into the body makes a number no reader takes for a slip of a digit.
fn digit_body(w: &Rid) -> bool {
    w[..17].iter().all(u8::is_ascii_digit)
}

/// The numbers `step` sequence numbers below and above `id` that this chunk may still issue.
fn free_steps(world: &ChunkWorld<'_>, id: &Rid, step: i16) -> Vec<Rid> {
    [-step, step]
        .into_iter()
        .filter_map(|s| step_id(id, s))
        .filter(|id| world.ids.is_free(id))
        .collect()
}

/// Adds a namesake of the member `t` (same name, birth date, sex and naming pattern), with
/// number `id` and living at `place`, who holds a tempting asset as `negative` says.
fn namesake_holds(
    world: &mut ChunkWorld<'_>,
    t: Person,
    id: Rid,
    place: Place,
    negative: Negative,
    assets: &mut Assets,
) {
    let person = add(
        world,
        Person {
            id,
            household: None,
            place,
            ..t
        },
    );
    tempting_asset(world, person, negative, assets);
}

fn add(world: &mut ChunkWorld<'_>, person: Person) -> usize {
    world.people.push(person);
    world.people.len() - 1
}

fn negative(kind: NegativeKind, similar_to: usize, written: Written) -> Negative {
    Negative {
        kind,
        similar_to,
        written: Some(written),
    }
}

/// A namesake of an adult member: same name, birth date, sex and issuing county, the
/// sequence number ±2, living elsewhere in the member's county. With `random_typo` the
/// number carries an ordinary random typo; otherwise it is written one slip from the
/// member's: the differing digit typed as the member's, an adjacent transposition that lands
/// next to it, or (born 1900–1999) the 15-digit legacy form, whose typed digits differ from
/// the member's in that one digit and have no check to show it.
fn namesake_sequence(
    world: &mut ChunkWorld<'_>,
    hh: &Household,
    adults: &[usize],
    random_typo: bool,
    assets: &mut Assets,
) {
    let target = *pick(&mut world.rng, adults);
    let t = world.people[target].clone();
    let own = free_steps(world, &t.id, 2);
    if own.is_empty() {
        return;
    }
    let (id, kind, written) = if random_typo {
        let id = *pick(&mut world.rng, &own);
        let w = typo(&mut world.rng, rid_str(&id));
        (
            id,
            NegativeKind::NamesakeSeqRandomTypo,
            Written::id(w.as_bytes()),
        )
    } else {
        let legacy = (1900..2000).contains(&t.birth.year());
        let form = world.rng.random_range(0..if legacy { 3 } else { 2 });
        let transposed: Vec<(Rid, Rid)> = own
            .iter()
            .flat_map(|id| {
                transpositions_towards(id, &t.id)
                    .into_iter()
                    .map(move |w| (*id, w))
            })
            .collect();
        match form {
            1 if !transposed.is_empty() => {
                let (id, w) = *pick(&mut world.rng, &transposed);
                (id, NegativeKind::NamesakeSeqTransposition, Written::id(&w))
            }
            2 => {
                let id = *pick(&mut world.rng, &own);
                let w = legacy15(&id).unwrap_or_default();
                (
                    id,
                    NegativeKind::NamesakeSeqLegacy15,
                    Written::id(w.as_bytes()),
                )
            }
            // A transposition that lands next to the member's number is a coincidence of
            // digits; without one, the namesake's number is typed as the member's.
            _ => {
                let id = *pick(&mut world.rng, &own);
                let w = typed_as_member(&id, &t.id);
                (id, NegativeKind::NamesakeSeqTypo, Written::id(&w))
            }
        }
    };
    if !world.ids.claim(&id) {
        return;
    }
    let urban = world.rng.random_bool(0.4);
    let place = world
        .tables
        .geo
        .place(&mut world.rng, hh.place.county, urban);
    let negative = negative(kind, target, written);
    namesake_holds(world, t, id, place, negative, assets);
}

/// A given name for a twin of `t`: the same surname and all but one given-name character
/// (one in common for a one-character given name), or a homophone of `t`'s name.
fn twin_name(world: &mut ChunkWorld<'_>, t: &Person, male: bool) -> Option<Name> {
    let surname = t.name.surname().to_string();
    let given: Vec<char> = t.name.full.chars().skip(t.name.surname_len).collect();
    if surname.is_empty() || given.is_empty() {
        return None;
    }
    if world.rng.random_bool(0.25)
        && let Some(full) = homophone(&mut world.rng, &t.name.full, t.name.surname_len)
    {
        return Some(Name {
            full,
            surname_len: t.name.surname_len,
        });
    }
    let spec = NameSpec {
        surname: Some(&surname),
        multipart_rate: 0.0,
        rare_rate: 0.0,
        ..world.spec(t.pattern, male, t.birth.year())
    };
    for _ in 0..12 {
        let drawn = world.tables.names.name(&mut world.rng, &spec);
        let Some(x) = drawn
            .full
            .chars()
            .skip(drawn.surname_len)
            .find(|c| !given.iter().any(|g| same_sound(*g, *c)))
        else {
            continue;
        };
        let twin_given: String = if given.len() == 1 {
            if world.rng.random_bool(0.5) {
                [given[0], x].iter().collect()
            } else {
                [x, given[0]].iter().collect()
            }
        } else {
            let at = world.rng.random_range(0..given.len());
            given
                .iter()
                .enumerate()
                .map(|(i, &c)| if i == at { x } else { c })
                .collect()
        };
        return Some(Name {
            full: format!("{surname}{twin_given}"),
            surname_len: t.name.surname_len,
        });
    }
    None
}

/// A twin of an adult member: same birth date and issuing county, the consecutive sequence
/// number (the sex its parity gives), a similar given name, in the same village or township
/// but another household, whose number is written one slip from the member's.
fn twin(world: &mut ChunkWorld<'_>, hh: &Household, adults: &[usize], assets: &mut Assets) {
    let target = *pick(&mut world.rng, adults);
    let t = world.people[target].clone();
    let own = free_steps(world, &t.id, 1);
    if own.is_empty() {
        return;
    }
    let id = *pick(&mut world.rng, &own);
    let male = (id[16] - b'0') % 2 == 1;
    let Some(name) = twin_name(world, &t, male) else {
        return;
    };
    let transposed = transpositions_towards(&id, &t.id);
    let (kind, w) = if world.rng.random_bool(0.5) && !transposed.is_empty() {
        (
            NegativeKind::TwinTransposition,
            *pick(&mut world.rng, &transposed),
        )
    } else {
        (NegativeKind::TwinTypo, typed_as_member(&id, &t.id))
    };
    if !world.ids.claim(&id) {
        return;
    }
    let place = if world.rng.random_bool(0.5) {
        world.tables.geo.neighbour(&mut world.rng, &hh.place)
    } else {
        world.tables.geo.same_township(&mut world.rng, &hh.place)
    };
    let person = add(
        world,
        Person {
            id,
            name,
            male,
            birth: t.birth,
            place,
            pattern: t.pattern,
            household: None,
        },
    );
    tempting_asset(
        world,
        person,
        negative(kind, target, Written::id(&w)),
        assets,
    );
}

/// A namesake of an adult member born the same day and issued in the same county (another
/// sequence number), living in the next township of the member's county, whose record
/// carries their own number correctly written, or no number.
fn namesake_township(
    world: &mut ChunkWorld<'_>,
    hh: &Household,
    adults: &[usize],
    assets: &mut Assets,
) {
    let target = *pick(&mut world.rng, adults);
    let t = world.people[target].clone();
    let Some((area, birth, _)) = parts(&t.id) else {
        return;
    };
    let Some(id) = world.ids.alloc(&mut world.rng, area, birth, t.male) else {
        return;
    };
    let place = world.tables.geo.next_township(&mut world.rng, &hh.place);
    let (kind, written) = if world.rng.random_bool(0.5) {
        (NegativeKind::NamesakeTownshipValid, Written::id(&id))
    } else {
        (NegativeKind::NamesakeTownshipNoId, Written::Missing)
    };
    let negative = negative(kind, target, written);
    namesake_holds(world, t, id, place, negative, assets);
}

/// Numbers one slip from `member`: every substitution, or every adjacent transposition,
/// with the position where it differs.
fn slips(member: &Rid, transposition: bool) -> Vec<(usize, Rid)> {
    let mut out = Vec::new();
    if transposition {
        for i in 0..17 {
            if member[i] != member[i + 1] {
                let mut w = *member;
                w.swap(i, i + 1);
                out.push((i, w));
            }
        }
    } else {
        for (i, &from) in member.iter().enumerate() {
            let alphabet: &[u8] = if i == 17 {
                b"0123456789X"
            } else {
                b"0123456789"
            };
            for &to in alphabet.iter().filter(|&&c| c != from) {
                let mut w = *member;
                w[i] = to;
                out.push((i, w));
            }
        }
    }
    out
}

/// Synth county index of the county holding `code`, current or former.
fn county_index(code: &str) -> Option<u8> {
    crate::places::synth_index(County::from_code(code)?)
}

/// Whether no character of `a` is, or sounds like, a character of `b` (`·` aside).
fn unlike(a: &str, b: &str) -> bool {
    a.chars()
        .filter(|&c| c != crate::names::NAME_DOT)
        .all(|x| b.chars().all(|y| !same_sound(x, y)))
}

/// An unrelated adult (another surname and given name, no character or homophone in common
/// with the member's name, living in another township) whose number is broken one slip
/// from an adult member's, at any position. Their own valid number is one edit from the
/// written one (the slip is theirs); it is drawn among the numbers this chunk may issue, so
/// it is unique.
fn near_stranger(
    world: &mut ChunkWorld<'_>,
    hh: &Household,
    adults: &[usize],
    assets: &mut Assets,
) {
    let target = *pick(&mut world.rng, adults);
    let t = world.people[target].clone();
    let latest = NaiveDate::from_ymd_opt(AGE_YEAR - 18, 6, 1).unwrap_or_default();
    let earliest = NaiveDate::from_ymd_opt(AGE_YEAR - 90, 1, 1).unwrap_or_default();
    let transposition = world.rng.random_bool(1.0 / 3.0);
    let mut options: Vec<(usize, Rid, Rid)> = Vec::new();
    for form in [transposition, !transposition] {
        for (at, w) in slips(&t.id, form) {
            if !digit_body(&w) || !fails_check(&w) {
                continue;
            }
            for own in one_edit_neighbours(rid_str(&w)) {
                let mut id: Rid = [0; 18];
                id.copy_from_slice(own.as_str().as_bytes());
                let plausible = id != t.id
                    && own.county().is_some_and(|c| world.tables.geo.holds(c))
                    && (earliest..=latest).contains(&own.birth_date())
                    && world.ids.is_free(&id);
                if plausible {
                    options.push((at, w, id));
                }
            }
        }
        if !options.is_empty() {
            break;
        }
    }
    // Every position where a slip can land is as likely as any other.
    let mut positions: Vec<usize> = options.iter().map(|o| o.0).collect();
    positions.dedup();
    let Some(&at) = positions.get(world.rng.random_range(0..positions.len().max(1))) else {
        return;
    };
    let here: Vec<&(usize, Rid, Rid)> = options.iter().filter(|o| o.0 == at).collect();
    let &&(_, w, id) = pick(&mut world.rng, &here);
    let transposed = one_slip(&w, &t.id).is_some_and(|(first, last)| first != last);
    let Some((area, birth, seq)) = parts(&id) else {
        return;
    };
    let male = seq % 2 == 1;
    let home = county_index(&format!("{area:06}")).unwrap_or(hh.place.county);
    let urban = world.rng.random_bool(0.35);
    let mut place = world.tables.geo.place(&mut world.rng, home, urban);
    // Not the member's township: nothing but the number may bring the two together.
    for _ in 0..16 {
        if (place.county, place.township) != (hh.place.county, hh.place.township) {
            break;
        }
        place = world.tables.geo.place(&mut world.rng, home, !place.urban);
    }
    if (place.county, place.township) == (hh.place.county, hh.place.township) {
        place = world.tables.geo.next_township(&mut world.rng, &hh.place);
    }
    let pattern = world.pattern_for(home);
    let spec = NameSpec {
        multipart_rate: 0.0,
        rare_rate: 0.0,
        ..world.spec(pattern, male, birth.year())
    };
    let Some(name) = (0..20)
        .map(|_| world.tables.names.name(&mut world.rng, &spec))
        .find(|n| unlike(&n.full, &t.name.full))
    else {
        return;
    };
    if !world.ids.claim(&id) {
        return;
    }
    let person = add(
        world,
        Person {
            id,
            name,
            male,
            birth,
            place,
            pattern,
            household: None,
        },
    );
    let kind = if transposed {
        NegativeKind::NearStrangerTransposition
    } else {
        NegativeKind::NearStrangerTypo
    };
    tempting_asset(
        world,
        person,
        negative(kind, target, Written::id(&w)),
        assets,
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::resident_id;

    fn id(seq: u16) -> Rid {
        resident_id(532524, NaiveDate::from_ymd_opt(1975, 6, 15).unwrap(), seq)
    }

    #[test]
    fn the_namesakes_number_typed_as_the_members_is_next_to_both() {
        let (member, own) = (id(153), id(155));
        let w = typed_as_member(&own, &member);
        assert!(fails_check(&w));
        let neighbours = one_edit_neighbours(rid_str(&w));
        for valid in [member, own] {
            assert!(
                neighbours.iter().any(|n| n.as_str().as_bytes() == valid),
                "{} is not next to {}",
                rid_str(&valid),
                rid_str(&w)
            );
        }
        for w in transpositions_towards(&own, &member) {
            assert!(fails_check(&w) && one_slip(&w, &member).is_some() && w != member);
        }
    }

    #[test]
    fn names_unlike_share_no_character_or_sound() {
        assert!(unlike("张伟", "李明"));
        assert!(!unlike("张玮", "李伟"));
        assert!(!unlike("王芳", "李芳"));
        assert!(unlike("阿布·沙玛", "李明"));
    }
}
