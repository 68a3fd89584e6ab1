//! Whether the member's household already holds another record of the department through a
//! link that does not rest on a name: one on the identity number, or one corroborated by a
//! co-owner from the household. Asked only for owners without a usable number, whose link
//! otherwise rests on name and place.
//!
//! A rural household holds one homestead (一户一宅). When the household's own homestead
//! is already linked on such evidence, a second old homestead title in the same name is far
//! more often a namesake's than a second home; when the household holds nothing, the title
//! fills a gap the household is expected to have. The rule limits homesteads only: a family
//! with a flat in town may well keep its village homestead, and that second title is
//! exactly what the multi-home rule must see. So a title of the other kind is its own level.
//! EM measures how strong each effect is per department: people own several vehicles, so
//! there the field weighs little.

use hedui_core::record::{AssetDetail, AssetRecord, Department};

use rustc_hash::FxHashMap;

use crate::compare::AddressLevel;
use crate::prepare::MemberTable;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OtherTitleLevel {
    /// The household holds no other record of the department on such evidence.
    None = 0,
    /// Another record of the same kind (homestead or not) is linked to a member of the
    /// household on such evidence.
    Held = 1,
    /// Only records of the other kind are: a flat in town beside a village homestead.
    HeldOtherKind = 2,
    /// [`OtherTitleLevel::HeldOtherKind`], for a title in the member's own village and group
    /// (or house). A namesake's title is what usually sits beside a household's own, but
    /// within one group there are few namesakes, and the field's weight would otherwise be
    /// one compromise across every distance: EM weighs each on its own.
    HeldOtherKindInGroup = 3,
    /// The owner carries a number, or the first pass has not run.
    NotAssessed = 4,
}

impl OtherTitleLevel {
    /// The level once the pair's address level (a [`Levels`](crate::compare::Levels)
    /// entry) is known: only a title of the other kind is told apart by distance.
    pub fn at_address(self, address: u8) -> Self {
        let in_group = address == AddressLevel::SameHouse as u8
            || address == AddressLevel::SameVillageAndGroup as u8;
        match self {
            Self::HeldOtherKind if in_group => Self::HeldOtherKindInGroup,
            level => level,
        }
    }
}

/// Records linked on a number or a co-owner, per household and department, each with its
/// kind: read from the title's words once, not again for every pair that asks.
#[derive(Debug, Default)]
pub struct HeldTitles {
    records: FxHashMap<(u32, Department), Vec<Held>>,
}

#[derive(Debug, Clone, Copy)]
struct Held {
    record: usize,
    kind: Kind,
}

/// What a record is, for this field: a homestead, and somewhere to live.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Kind {
    homestead: bool,
    dwelling: bool,
}

impl Kind {
    fn of(asset: &AssetRecord) -> Self {
        Self {
            homestead: is_homestead(asset),
            dwelling: is_dwelling(asset),
        }
    }
}

impl HeldTitles {
    /// Notes that `member`'s household holds `record`, which is `asset`.
    pub fn insert(&mut self, table: &MemberTable, member: u32, record: usize, asset: &AssetRecord) {
        if let Some(household) = table.household_index(member) {
            let key = (household, asset.department());
            let held = self.records.entry(key).or_default();
            if !held.iter().any(|h| h.record == record) {
                held.push(Held {
                    record,
                    kind: Kind::of(asset),
                });
            }
        }
    }

    /// The level for pairing `member` with an owner of `record`.
    pub fn level(
        &self,
        table: &MemberTable,
        member: u32,
        record: usize,
        assets: &[AssetRecord],
    ) -> OtherTitleLevel {
        let Some(this) = assets.get(record) else {
            return OtherTitleLevel::NotAssessed;
        };
        let held = table
            .household_index(member)
            .and_then(|h| self.records.get(&(h, this.department())));
        // Most households hold nothing on such evidence: the record's kind, read from its
        // words, is not needed then.
        let Some(held) = held.filter(|held| !held.is_empty()) else {
            return OtherTitleLevel::None;
        };
        // The same certificate on another row (one row per owner, or a co-owner's number)
        // is the same title, not another one.
        let other = |h: &Held| {
            assets
                .get(h.record)
                .is_some_and(|a| a.record_key != this.record_key)
        };
        let Kind {
            homestead,
            dwelling,
        } = Kind::of(this);
        let same_kind = |h: &Held| h.kind.homestead == homestead;
        // Beside a dwelling, only the household's other dwellings count.
        let relevant = |h: &Held| !dwelling || h.kind.dwelling;
        let mut others = held.iter().filter(|h| other(h) && relevant(h));
        match others.next() {
            None => OtherTitleLevel::None,
            Some(first) if same_kind(first) || others.any(same_kind) => OtherTitleLevel::Held,
            Some(_) => OtherTitleLevel::HeldOtherKind,
        }
    }
}

/// Whether a record is a rural homestead title, the kind 一户一宅 allows once per household.
///
/// The kind of right says so when the export gives it: `宅基地使用权`, or
/// `集体建设用地使用权` under a dwelling (village collective land). Otherwise the use says
/// so (`宅基地/住宅`, `农村宅基地`), but many titles read only `住宅`: a dwelling is then a
/// homestead when it stands on village collective land, known by a collective land-use
/// certificate (`…集用(1996)第…号`, 集体土地使用证) or by a location in a village (村, not
/// 社区), even where its use or right names urban or state land. Nothing here is evidence
/// *against* a homestead: taking a village dwelling for a town flat gives a namesake's
/// homestead beside the household's own the bonus of a second home, the error that makes
/// false candidates, while the other error only sends a true second home to review.
pub(crate) fn is_homestead(asset: &AssetRecord) -> bool {
    let AssetDetail::Property {
        use_parts,
        right_type,
        ..
    } = &asset.detail
    else {
        return false;
    };
    let says = |word: &str| use_parts.iter().any(|part| part.contains(word));
    let rural_use = says("宅基地")
        || use_parts
            .iter()
            .any(|p| p.contains("住宅") && p.contains("农村"));
    let collective_right = right_type.contains("宅基地") || right_type.contains("集体");
    let collective_land = asset.record_key.contains("集用")
        || asset
            .address
            .village
            .as_deref()
            .is_some_and(|v| v.ends_with('村'));
    rural_use || (used_for_living(use_parts) && (collective_right || collective_land))
}

/// Whether a record is somewhere to live: a shop or a garage a household holds says
/// nothing about whether a title in its name is its home.
fn is_dwelling(asset: &AssetRecord) -> bool {
    match &asset.detail {
        AssetDetail::Property { use_parts, .. } => used_for_living(use_parts),
        _ => true,
    }
}

/// A use to live in (`住宅`, `农村住宅`, `宅基地`); a title that gives no use is taken as one.
fn used_for_living(use_parts: &[Box<str>]) -> bool {
    use_parts.is_empty()
        || use_parts
            .iter()
            .any(|p| p.contains('住') || p.contains("宅基地"))
}

#[cfg(test)]
mod tests {
    use crate::test_common::title_row;

    use super::*;

    fn title(key: &str, uses: &[&str]) -> AssetRecord {
        let mut title = title_row(key, "李燕", 2);
        if let AssetDetail::Property { use_parts, .. } = &mut title.detail {
            *use_parts = uses.iter().map(|u| Box::from(*u)).collect();
        }
        title
    }

    #[test]
    fn a_homestead_is_known_by_its_use_or_by_a_collective_land_certificate() {
        let modern = "云(2023)个旧市不动产权第4855106号";
        let collective = "个旧集用(1996)字第33141号";
        assert!(is_homestead(&title(modern, &["宅基地", "住宅"])));
        assert!(is_homestead(&title(modern, &["农村住宅"])));
        assert!(is_homestead(&title(collective, &["住宅"])));
        assert!(is_homestead(&title(collective, &[])));
        // title_row's location is a village group: a dwelling there is a homestead...
        assert!(is_homestead(&title(modern, &["住宅"])));
        assert!(is_homestead(&title(modern, &[])));
        // ...even when its use says urban land; not when it stands in a town community.
        assert!(is_homestead(&title(modern, &["城镇住宅用地", "住宅"])));
        let mut flat = title(modern, &["住宅"]);
        flat.address =
            hedui_core::address::Address::parse("个旧市城区街道建设社区红河大道19号").into();
        assert!(!is_homestead(&flat));
        assert!(is_dwelling(&flat));
        assert!(!is_dwelling(&title(modern, &["商服用地", "商业"])));
        // The kind of right, when given, decides.
        let with_right = |mut t: AssetRecord, right: &str| {
            if let AssetDetail::Property { right_type, .. } = &mut t.detail {
                *right_type = right.into();
            }
            t
        };
        assert!(is_homestead(&with_right(
            flat.clone(),
            "宅基地使用权/房屋所有权"
        )));
        // State land is no evidence against: the location and the use still decide.
        assert!(is_homestead(&with_right(
            title(modern, &["住宅"]),
            "国有建设用地使用权/房屋所有权"
        )));
        assert!(!is_homestead(&with_right(
            flat.clone(),
            "国有建设用地使用权/房屋所有权"
        )));
        assert!(is_homestead(&with_right(
            title(modern, &["城镇住宅用地", "住宅"]),
            "集体建设用地使用权/房屋所有权"
        )));
        // Collective land used for a shop or a workshop is not a dwelling.
        assert!(!is_homestead(&title(collective, &["商业"])));
        assert!(!is_homestead(&title(collective, &["工业"])));
    }

    #[test]
    fn only_a_title_of_the_other_kind_is_told_apart_by_distance() {
        use AddressLevel::*;
        use OtherTitleLevel::*;
        for address in [SameHouse, SameVillageAndGroup] {
            assert_eq!(
                HeldOtherKind.at_address(address as u8),
                HeldOtherKindInGroup
            );
        }
        for address in [
            SameVillage,
            SameVillageOtherGroup,
            SameTownship,
            SameCounty,
            Different,
            Missing,
        ] {
            assert_eq!(HeldOtherKind.at_address(address as u8), HeldOtherKind);
        }
        for level in [None, Held, NotAssessed] {
            assert_eq!(level.at_address(SameHouse as u8), level);
        }
    }
}
