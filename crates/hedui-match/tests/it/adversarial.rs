//! The cases a namesake, a twin or a stranger makes of a broken identity number, each
//! pinned by its waterfall: a repaired number must not link another person, and the
//! member's own number with one slip in it must still link.

#![allow(clippy::unwrap_used)]

use crate::common;

use std::collections::BTreeMap;

use common::{member, title_row};
use hedui_core::record::{AssetDetail, Holder, IdField};
use hedui_core::{Address, AssetRecord, Member, ResidentId};
use hedui_match::{Band, Link, MatchConfig, ModelParameters, link};

/// The member every case is about: 张伟, born 1980-01-01 in 泸西县, sequence 003.
const BODY: &str = "53252719800101003";
const HOME: &str = "泸西县旧城镇凉水村委会竹林村民小组12号";

fn number(body: &str) -> String {
    ResidentId::from_body(body.as_bytes().first_chunk().unwrap())
        .unwrap()
        .as_str()
        .to_owned()
}

/// `text` with the character at `at` replaced by `c`.
fn typed(text: &str, at: usize, c: char) -> String {
    text.char_indices()
        .map(|(i, x)| if i == at { c } else { x })
        .collect()
}

fn roster() -> Vec<Member> {
    let mut members = Vec::new();
    let mut add = |household: &str, name: &str, relation: &str, body: &str| {
        let mut m = member(household, name, relation);
        m.id = IdField::parse(&number(body));
        m.address = Address::parse(HOME).into();
        members.push(m);
    };
    add("h1", "张伟", "户主", BODY);
    add("h1", "李秀英", "配偶", "53252719820304002");
    // A roster large enough to sample u from: other people of the county and the village.
    for i in 0..300u32 {
        let body = format!(
            "53252719{:02}{:02}{:02}{:03}",
            50 + i % 40,
            1 + i % 12,
            1 + i % 28,
            100 + i % 97
        );
        let surname = ["王", "李", "赵", "刘", "陈", "杨"][i as usize % 6];
        let given = char::from_u32(0x4e00 + 37 * i).unwrap();
        add(
            &format!("x{i}"),
            &format!("{surname}{given}"),
            "户主",
            &body,
        );
    }
    members
}

fn vehicle(owner: &str, id: &str, address: &str, line: u64) -> AssetRecord {
    let mut record = title_row(&format!("云G{line:05}"), owner, line);
    record.owners[0].id = IdField::parse(id);
    record.address = Address::parse(address).into();
    record.detail = AssetDetail::Vehicle {
        vin: "".into(),
        vehicle_type: "小型普通客车".into(),
        use_nature: "非营运".into(),
    };
    record
}

/// Weights that a prefecture's run estimates, fixed so each case's waterfall is known.
fn config() -> MatchConfig {
    let fields = |levels: &[(&str, &str, f64, f64)]| {
        let mut fields: BTreeMap<String, BTreeMap<String, _>> = BTreeMap::new();
        for &(field, level, m, u) in levels {
            fields.entry(field.to_owned()).or_default().insert(
                level.to_owned(),
                hedui_match::params::LevelProbabilities { m, u },
            );
        }
        fields
    };
    let vehicle = ModelParameters {
        lambda: 2e-7,
        lambda_without_id: Some(1e-6),
        fields: fields(&[
            ("id", "exact", 0.95, 1e-10),
            ("id", "one_edit", 0.02, 3e-9),
            ("id", "one_edit_sequence", 0.005, 1e-9),
            ("id", "legacy_one_edit", 0.005, 1e-9),
            ("id", "same_area_and_birth", 0.001, 4e-6),
            ("id", "different", 0.019, 0.99999),
            ("name", "exact", 0.9, 1e-4),
            ("name", "homophone", 0.02, 1e-4),
            ("name", "different", 0.02, 0.99),
            ("address", "same_house", 0.5, 1e-5),
            ("address", "same_village_and_group", 0.2, 1e-4),
            ("address", "same_township", 0.1, 1e-2),
            ("address", "same_county", 0.1, 0.1),
            ("address", "different", 0.1, 0.85),
        ]),
        origin: "configured".into(),
        em_iterations: 0,
    };
    MatchConfig {
        parameters: [("vehicle".to_owned(), vehicle)].into(),
        ..MatchConfig::default()
    }
}

/// The link (or review item) each record made with the member 张伟, if any.
fn outcomes(records: &[AssetRecord]) -> Vec<Option<Link>> {
    let members = roster();
    let out = link(&members, records, &config()).unwrap();
    (0..records.len())
        .map(|r| {
            out.links
                .iter()
                .find(|l| l.record == r && l.member == 0)
                .cloned()
        })
        .collect()
}

fn step<'a>(link: &'a Link, field: &str) -> &'a hedui_match::Step {
    link.waterfall
        .steps
        .iter()
        .find(|s| s.field() == field)
        .unwrap()
}

/// The birth date and sex read from a number weigh nothing beside it.
fn assert_counted_once(link: &Link) {
    for field in ["birth_date", "sex"] {
        let s = step(link, field);
        assert_eq!((s.level(), s.weight()), ("implied_by_id", 0.0), "{field}");
    }
}

const OTHER_TOWNSHIP: &str = "泸西县午街铺镇小布坎村委会";
const ELSEWHERE: &str = "蒙自市文澜镇";

#[test]
fn the_members_own_number_with_one_slip_still_links() {
    let own = number(BODY);
    let records = [
        // A typo in the birth date digits.
        vehicle("张伟", &typed(&own, 10, '7'), HOME, 1),
        // A typo in the sequence, at home.
        vehicle("张伟", &typed(&own, 15, '8'), HOME, 2),
        // The check character left off.
        vehicle("张伟", &own[..17], OTHER_TOWNSHIP, 3),
    ];
    for (i, outcome) in outcomes(&records).into_iter().enumerate() {
        let l = outcome.unwrap_or_else(|| panic!("record {i} not linked"));
        assert_eq!(l.band, Band::Link, "record {i}: {:?}", l.note);
        assert_counted_once(&l);
    }
}

#[test]
fn a_namesake_of_the_same_day_does_not_link() {
    // 张伟 born the same day in the same county, sequence 005, living in another township.
    let namesake = number("53252719800101005");
    // Its sequence digit typed as the member's: the member's digits under its check.
    let seq_typo = typed(&namesake, 16, '3');
    // Its own 15-digit form, correct as typed: with no check, it is one slip from the
    // member's 15-digit form.
    let legacy = "532527800101005";
    // Two slips: the same area, birth and sex, and nothing more.
    let two_slips = typed(&typed(&namesake, 15, '4'), 17, 'X');
    let records = [
        vehicle("张伟", &seq_typo, OTHER_TOWNSHIP, 1),
        vehicle("张伟", legacy, OTHER_TOWNSHIP, 2),
        vehicle("张伟", &two_slips, OTHER_TOWNSHIP, 3),
    ];
    let levels = [
        "one_edit_sequence",
        "legacy_one_edit",
        "same_area_and_birth",
    ];
    let out = outcomes(&records);
    // The sequence typo weighs as much as the member's own would (p > 0.99 with these
    // weights); the rule, not the weights, keeps it from the link band.
    let seq = out[0].as_ref().expect("reviewable");
    assert!(seq.probability >= 0.99, "{:?}", seq.waterfall);
    assert_eq!(seq.band, Band::Review);
    assert!(seq.note.as_deref().unwrap().contains("village"));
    for (outcome, level) in out.into_iter().zip(levels) {
        if let Some(l) = outcome {
            assert_eq!(step(&l, "id").level(), level);
            assert_ne!(l.band, Band::Link, "{level}: {:?}", l.waterfall);
            assert_counted_once(&l);
        }
    }
}

#[test]
fn a_twin_with_a_name_alike_does_not_link() {
    // 张玮, the twin: sequence 005 (one slip from 003 is impossible; the twin's own typo
    // makes it), in the same village, another household.
    let twin = number("53252719800101005");
    let records = [
        vehicle("张玮", &typed(&twin, 16, '3'), HOME, 1),
        // 张伟强: a near spelling, the commoner pattern of twins' names.
        vehicle("张伟强", &typed(&twin, 16, '3'), HOME, 2),
    ];
    let mut out = outcomes(&records);
    let l = out.remove(0).expect("reviewable");
    assert_eq!(step(&l, "id").level(), "one_edit_sequence");
    assert_eq!(step(&l, "name").level(), "homophone");
    assert_eq!(l.band, Band::Review);
    assert!(l.note.as_deref().unwrap().contains("twin"));
    assert!(out.remove(0).is_none(), "a near spelling is no pair");
}

#[test]
fn a_stranger_one_slip_from_the_member_is_never_a_link() {
    // 李国华's number fails its check one digit from the member's, in the birth date. Even
    // at the member's own address (where number and address alone would clear the link
    // threshold with these weights), another name makes it no pair at all.
    let own = number(BODY);
    let records = [
        vehicle("李国华", &typed(&own, 11, '9'), ELSEWHERE, 1),
        vehicle("李国华", &typed(&own, 11, '9'), HOME, 2),
    ];
    assert!(outcomes(&records).iter().all(Option::is_none));
}

#[test]
fn a_legacy_slip_needs_the_village() {
    // The member's own 15-digit number with its sequence typed wrongly: no check could
    // catch it. At home it links; in another township it is for review.
    let legacy = "532527800101008";
    let records = [
        vehicle("张伟", legacy, HOME, 1),
        vehicle("张伟", legacy, OTHER_TOWNSHIP, 2),
    ];
    let out = outcomes(&records);
    let home = out[0].as_ref().unwrap();
    assert_eq!(step(home, "id").level(), "legacy_one_edit");
    assert_eq!(home.band, Band::Link, "{:?}", home.note);
    // Weighed alone it would link (p > 0.99 with these weights); the rule keeps it for
    // a person.
    let away = out[1].as_ref().unwrap();
    assert!(away.probability >= 0.99, "{:?}", away.waterfall);
    assert_eq!(away.band, Band::Review);
    assert!(away.note.as_deref().unwrap().contains("15-digit"));
}

#[test]
fn an_organisation_owner_is_never_paired() {
    // The worst case: the export marks the owner as an organisation (身份证明名称 `B`) yet
    // its cells carry the member's own name and number, as a sole proprietor's company car
    // typed with the proprietor's details would. A company is no household member.
    let own = number(BODY);
    let mut company = vehicle("张伟", &own, HOME, 2);
    company.owners[0].holder = Holder::Organisation;
    let records = [vehicle("张伟", &own, HOME, 1), company];
    let members = roster();
    let out = link(&members, &records, &config()).unwrap();
    assert!(
        out.links
            .iter()
            .any(|l| l.record == 0 && l.band == Band::Link),
        "the person's car links"
    );
    assert!(
        out.links.iter().all(|l| l.record != 1),
        "the organisation's car has no pair at all"
    );
    assert_eq!(
        out.owners, 1,
        "an organisation is not counted among the owners"
    );
}
