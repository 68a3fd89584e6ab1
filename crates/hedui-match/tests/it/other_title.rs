//! Which pairs learn that the member's household already holds another title.

#![allow(clippy::unwrap_used)]

use crate::common;

use common::{member, title_row};
use hedui_core::Department;
use hedui_match::compare::OtherTitleLevel;
use hedui_match::compare::other_title::HeldTitles;
use hedui_match::prepare::{MemberFeatures, MemberTable};

#[test]
fn another_certificate_of_the_household_is_held_but_the_same_one_is_not() {
    let members = [
        member("h1", "张福", "户主"),
        member("h1", "沈秀英", "配偶"),
        member("h2", "张福", "户主"),
    ];
    let table = MemberTable::build(&members, members.iter().map(MemberFeatures::of).collect());
    let assets = [
        // The household's own title, one row per owner; the spouse's row carries her number.
        title_row("建水集用(2013)第794886号", "张福", 2),
        title_row("建水集用(2013)第794886号", "沈秀英", 3),
        // An old title in the same name: a second home, or a namesake's.
        title_row("建水集用(1992)第952200号", "张福", 4),
    ];
    let mut held = HeldTitles::default();
    held.insert(&table, 1, 1, &assets[1]);

    // The head's row of the same certificate is the title already held, not another.
    assert_eq!(held.level(&table, 0, 0, &assets), OtherTitleLevel::None);
    // The old title is another one, whichever member of the household it is paired with.
    assert_eq!(held.level(&table, 0, 2, &assets), OtherTitleLevel::Held);
    assert_eq!(held.level(&table, 1, 2, &assets), OtherTitleLevel::Held);
    // The namesake in another household holds nothing.
    assert_eq!(held.level(&table, 2, 2, &assets), OtherTitleLevel::None);
    // A record that does not exist is not assessed rather than guessed.
    assert_eq!(
        held.level(&table, 0, 99, &assets),
        OtherTitleLevel::NotAssessed
    );
}

#[test]
fn titles_of_another_department_do_not_count() {
    let members = [member("h1", "张福", "户主")];
    let table = MemberTable::build(&members, members.iter().map(MemberFeatures::of).collect());
    let assets = [
        hedui_testkit::Rec::vehicle("云G12345", "小型轿车")
            .owner("张福")
            .build(),
        title_row("建水集用(1992)第952200号", "张福", 3),
    ];
    let mut held = HeldTitles::default();
    held.insert(&table, 0, 0, &assets[0]);
    assert_eq!(assets[0].department(), Department::Vehicle);
    assert_eq!(held.level(&table, 0, 1, &assets), OtherTitleLevel::None);
}

/// The use of a title, as the export wrote it.
fn with_use(mut title: hedui_core::AssetRecord, uses: &[&str]) -> hedui_core::AssetRecord {
    if let hedui_core::record::AssetDetail::Property { use_parts, .. } = &mut title.detail {
        *use_parts = uses.iter().map(|u| Box::from(*u)).collect();
    }
    title
}

#[test]
fn a_homestead_reading_only_dwelling_is_still_the_homestead_and_a_shop_is_no_home() {
    let members = [member("h1", "张福", "户主")];
    let table = MemberTable::build(&members, members.iter().map(MemberFeatures::of).collect());
    let assets = [
        // The household's own home in its village group, firmly linked, reading only 住宅.
        with_use(
            title_row("云(2021)建水县不动产权第0012345号", "张福", 2),
            &["住宅"],
        ),
        // A namesake's old homestead in the same group.
        title_row("建水集用(1998)第123456号", "张福", 3),
        // A shop the household holds.
        with_use(
            title_row("云(2019)建水县不动产权第0054321号", "张福", 4),
            &["商服用地", "商业"],
        ),
    ];
    // The namesake's title (record 1) beside what member 0's household holds.
    let level_beside = |held: usize| {
        let mut titles = HeldTitles::default();
        titles.insert(&table, 0, held, &assets[held]);
        titles.level(&table, 0, 1, &assets)
    };
    assert_eq!(
        level_beside(0),
        OtherTitleLevel::Held,
        "a dwelling in a village group is the homestead, whatever its use says"
    );
    assert_eq!(
        level_beside(2),
        OtherTitleLevel::None,
        "a shop says nothing about where the household lives"
    );
}
