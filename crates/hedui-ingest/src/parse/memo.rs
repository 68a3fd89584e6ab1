//! Normalised names and parsed addresses, remembered across the rows of a run.
//!
//! Exports repeat themselves (a name in every department, an address for every member of a
//! household), and normalising a name or parsing an address costs far more than looking it
//! up. Both functions are pure, so a remembered value is the value, whichever thread
//! computed it and whatever was evicted: output does not depend on the cache.
//!
//! Texts are looked up by their 128-bit xxh3 fingerprint, not by the text, which saves an
//! allocation per entry and a cache miss per hit; two of a prefecture's few million texts
//! share a fingerprint with a probability below 10⁻²⁵.
//!
//! Low-cardinality cells (statuses, vehicle types, relations, uses) are interned too, one
//! shared value instead of one allocation per row, in memos per thread: shared, their few
//! values made both cores contend for the same locks and counts on every row. Measurements:
//! `docs/perf-log.md`, Ingest.

use std::cell::RefCell;
use std::collections::HashMap;
use std::hash::BuildHasherDefault;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, LazyLock, Mutex};
use std::thread::LocalKey;

use hedui_core::address::Address;
use hedui_core::area::County;
use hedui_core::name::PersonName;
use hedui_core::record::RawName;
use hedui_core::shared::Shared;
use rustc_hash::FxHasher;

use super::values::split_list;
use crate::hashing::{row_fingerprint, table_key};

/// Shards, so that parallel workers rarely wait on the same lock.
const SHARDS: usize = 32;

/// Entries per shard before it starts over: room for every distinct name and address of a
/// prefecture's exports together (two million; about 40 bytes each beyond the values the
/// records keep anyway), and a bound on memory when values never repeat. At a quarter of
/// this, the vehicle and licence exports of a 250,000-household prefecture alone (775,000
/// distinct addresses) emptied the shards over and over, and most repeats were parsed again.
/// Addresses are kept for the process (see [`Shared`]); a shard that starts over keeps a
/// second copy of an address it meets again, so memory grows by at most one shard's worth
/// of addresses each time.
const PER_SHARD: usize = 1 << 16;

type Hasher = BuildHasherDefault<FxHasher>;

struct Memo<V> {
    shards: Vec<Mutex<Table<V>>>,
}

impl<V: Clone> Memo<V> {
    fn new() -> Self {
        Memo {
            shards: (0..SHARDS).map(|_| Mutex::default()).collect(),
        }
    }

    fn get_or(&self, raw: &str, compute: impl Fn(&str) -> V) -> V {
        let key = xxhash_rust::xxh3::xxh3_128(raw.as_bytes());
        self.get_or_keyed(key, || compute(raw))
    }

    /// [`Memo::get_or`] for a value whose text is in several pieces, fingerprinted as one.
    fn get_or_keyed(&self, key: u128, compute: impl FnOnce() -> V) -> V {
        // The fingerprint's high half picks the shard; the map hashes all of it.
        let shard = (key >> 64) as usize % SHARDS;
        let Some(shard) = self.shards.get(shard) else {
            return compute();
        };
        let key = table_key(key);
        if let Ok(map) = shard.lock()
            && let Some(value) = map.get(&key)
        {
            return value.clone();
        }
        // Computed outside the lock: computing may look up other values (an address looks
        // up its place), and a thread that computes the same value meanwhile computes what
        // this one does. The first value kept is the one every later row shares.
        let value = compute();
        let Ok(mut map) = shard.lock() else {
            return value;
        };
        if map.len() >= PER_SHARD && !map.contains_key(&key) {
            map.clear();
        }
        map.entry(key).or_insert(value).clone()
    }
}

impl<V> Memo<V> {
    /// Empties every shard and frees its table.
    fn forget(&self) {
        for shard in &self.shards {
            if let Ok(mut map) = shard.lock() {
                *map = Table::default();
            }
        }
    }
}

/// Keyed by the fingerprint's two halves (see [`table_key`]).
type Table<V> = HashMap<(u64, u64), V, Hasher>;

/// The value under `key`, computed and kept if missing; a table holding `limit` entries
/// starts over first.
fn remembered<V: Clone>(
    map: &mut Table<V>,
    limit: usize,
    key: u128,
    compute: impl FnOnce() -> V,
) -> V {
    let key = table_key(key);
    if let Some(value) = map.get(&key) {
        return value.clone();
    }
    let value = compute();
    if map.len() >= limit {
        map.clear();
    }
    map.insert(key, value.clone());
    value
}

/// Names for the threads' own memos to share: each name is normalised and kept once.
static NAMES: LazyLock<Memo<(PersonName, bool)>> = LazyLock::new(Memo::new);
/// Addresses are kept (see [`Shared`]): the memo holds them for the process.
static ADDRESSES: LazyLock<Memo<Shared<Address>>> = LazyLock::new(Memo::new);
static MEMBER_ADDRESSES: LazyLock<Memo<Shared<Address>>> = LazyLock::new(Memo::new);
static AREA_ADDRESSES: LazyLock<Memo<Shared<Address>>> = LazyLock::new(Memo::new);

/// Entries per thread in a low-cardinality memo before it starts over: far more than any
/// such column holds, and a bound when a column mapped as one holds free text.
const PER_THREAD: usize = 4096;

/// Names per thread before the thread's name memo starts over: more than the distinct
/// names of a prefecture's exports together (about 150,000 at 250,000 households).
const NAMES_PER_THREAD: usize = 1 << 19;

type LocalMemo<V> = RefCell<Table<V>>;

thread_local! {
    /// With each name, whether normalising changed the text: the answer depends only on
    /// the text, and looking it up here spares a comparison against the name's text, a
    /// cache miss per row. Per thread, in front of the shared [`NAMES`]: common names
    /// recur on every page of an export, and with only the shared memo both cores took its
    /// shard locks and counted on the same names for every row (four fifths of the
    /// lookup's time). The names themselves are the shared memo's kept ones.
    static THREAD_NAMES: LocalMemo<(PersonName, bool)> = RefCell::default();
    static TEXTS: LocalMemo<Arc<str>> = RefCell::default();
    static STATUSES: LocalMemo<Arc<[Box<str>]>> = RefCell::default();
    static USES: LocalMemo<Arc<[Box<str>]>> = RefCell::default();
    static OFFICES: LocalMemo<Option<&'static County>> = RefCell::default();
}

/// Whether [`reading_done`] empties the memos: set by [`single_run`].
static SINGLE_RUN: AtomicBool = AtomicBool::new(false);

/// Declares that this process runs one check and exits (the `hedui check` command), so that
/// the memos' tables are emptied once its sources are read ([`reading_done`]). Not for a
/// process that runs several (the nightly service): the names and addresses the memos hand
/// out are kept for the life of the process, and a run after the tables were emptied would
/// keep a second copy of each.
pub fn single_run() {
    SINGLE_RUN.store(true, Ordering::Relaxed);
}

/// Called once every source of a run is read: empties the memos if [`single_run`] was
/// declared, and otherwise leaves them for the process's next run.
pub fn reading_done() {
    if SINGLE_RUN.load(Ordering::Relaxed) {
        forget_remembered();
    }
}

/// Empties the memos and frees their tables, once the rows that used them are read.
///
/// The tables are sized for a prefecture's distinct names and addresses (up to two million
/// entries each) and are held for the rest of the run though only reading consults them:
/// at province scale they are full, about 0.3 GB together. The values they handed out stay
/// with the rows; a later read computes and remembers them again, the same.
fn forget_remembered() {
    NAMES.forget();
    ADDRESSES.forget();
    MEMBER_ADDRESSES.forget();
    AREA_ADDRESSES.forget();
    // Every rayon worker has memos of its own; the readers' own threads have ended.
    let forget_local = || {
        THREAD_NAMES.set(Table::default());
        TEXTS.set(Table::default());
        STATUSES.set(Table::default());
        USES.set(Table::default());
        OFFICES.set(Table::default());
    };
    rayon::broadcast(|_| forget_local());
    forget_local();
}

/// [`Memo::get_or`] on this thread's own memo: no lock, and reference counts no other core
/// touches.
fn local_get_or<V: Clone + 'static>(
    memo: &'static LocalKey<LocalMemo<V>>,
    raw: &str,
    compute: impl Fn(&str) -> V,
) -> V {
    local_get_or_within(memo, PER_THREAD, raw, compute)
}

/// [`local_get_or`] with a memo that starts over at `limit` entries.
fn local_get_or_within<V: Clone + 'static>(
    memo: &'static LocalKey<LocalMemo<V>>,
    limit: usize,
    raw: &str,
    compute: impl Fn(&str) -> V,
) -> V {
    let key = xxhash_rust::xxh3::xxh3_128(raw.as_bytes());
    memo.with_borrow_mut(|map| remembered(map, limit, key, || compute(raw)))
}

const STATUS_SEPARATORS: &[char] = &[',', '，', '、', ';', '；', '/', ' ', '　'];
const USE_SEPARATORS: &[char] = &['/', '／', '\\'];

/// [`PersonName::normalise`], remembered, and the cell as written if that differs.
pub(crate) fn person_name(raw: &str) -> (PersonName, RawName) {
    let (name, changed) = local_get_or_within(&THREAD_NAMES, NAMES_PER_THREAD, raw, |raw| {
        // A name this thread has not met comes from the shared memo, so both threads hold
        // one kept copy of it, not one each.
        NAMES.get_or(raw, |raw| {
            let name = PersonName::normalise(raw).kept();
            let changed = raw != name.as_str();
            (name, changed)
        })
    });
    (name, RawName::kept_if(raw, changed))
}

/// [`Address::parse`], remembered, and so is the place before a house number: the
/// vehicle export of a 250,000-household prefecture writes 578,535 distinct addresses but
/// only 155,370 distinct places before their numbers.
pub(crate) fn address(raw: &str) -> Shared<Address> {
    ADDRESSES.get_or(raw, |raw| {
        Shared::kept(Address::parse_reusing_place(raw, address))
    })
}

/// A roster address completed from its own columns by `fill`, remembered by all four
/// cells: every member of a household writes the same ones.
pub(crate) fn member_address(
    cells: [&str; 4],
    fill: impl Fn([&str; 4]) -> Address,
) -> Shared<Address> {
    MEMBER_ADDRESSES.get_or_keyed(row_fingerprint(&cells), || Shared::kept(fill(cells)))
}

/// A department's address completed from the row's area column, remembered by both cells:
/// an owner's rows repeat both. A text that names no county is completed by `complete`;
/// one whose county was only inferred from a township name is read again within the area's
/// county when the two differ (`in_area` reads the column), since township names repeat
/// across the province and only Honghe's are listed. A county the text writes wins.
pub(crate) fn address_in_area(
    text: &str,
    area: &str,
    in_area: impl FnOnce(&str) -> Option<&'static County>,
    complete: impl FnOnce(Shared<Address>, &str) -> Shared<Address>,
) -> Shared<Address> {
    let address = address(text);
    if area.is_empty() {
        return address;
    }
    if let Some(county) = address.county {
        let Some(area_county) = in_area(area).filter(|a| a.code != county.code) else {
            return address;
        };
        // Reading within the column's county keeps a county the text writes.
        return AREA_ADDRESSES.get_or_keyed(row_fingerprint(&[text, area]), || {
            Shared::kept(Address::parse_in_county(text, area_county))
        });
    }
    AREA_ADDRESSES.get_or_keyed(row_fingerprint(&[text, area]), || {
        complete(address, area).into_kept()
    })
}

/// The trimmed cell text, shared with every other row of this thread that wrote the same.
pub(crate) fn text(raw: &str) -> Arc<str> {
    local_get_or(&TEXTS, crate::mapping::trim_cell(raw), |text| {
        Arc::from(text)
    })
}

/// A status cell split into its states (`抵押,违法未处理` is two), shared with every other
/// row of this thread that wrote the same cell.
pub(crate) fn statuses(raw: &str) -> Arc<[Box<str>]> {
    local_get_or(&STATUSES, raw, |raw| split_list(raw, STATUS_SEPARATORS))
}

/// A compound use split on `/` (`宅基地/住宅`), shared with every other row of this thread
/// that wrote it.
pub(crate) fn use_parts(raw: &str) -> Arc<[Box<str>]> {
    local_get_or(&USES, raw, |raw| split_list(raw, USE_SEPARATORS))
}

/// The county a registering office names, as `resolve` finds it, remembered: a licence
/// export names a few dozen offices over all its rows.
pub(crate) fn office_county(
    raw: &str,
    resolve: impl Fn(&str) -> Option<&'static County>,
) -> Option<&'static County> {
    local_get_or(&OFFICES, raw, resolve)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Held by the tests that read the shared memos' identity, which forgetting changes.
    static SHARED_MEMOS: Mutex<()> = Mutex::new(());

    #[test]
    fn remembered_values_are_the_computed_ones() {
        for raw in ["陳小明", "陳小明", " 张 三 ", "", "阿依古丽·买买提"] {
            let normal = PersonName::normalise(raw);
            assert_eq!(
                person_name(raw),
                (normal.clone(), RawName::new(raw, &normal))
            );
        }
        for raw in [
            "红河州建水县岔科镇阿倮村2组",
            "红河州建水县岔科镇阿倮村2组",
            "勐拉乡",
        ] {
            assert_eq!(*address(raw), Address::parse(raw));
        }
        let bracketed = statuses("存续（在营、开业、在册）,吊销，未注销");
        assert_eq!(
            &*bracketed,
            [
                Box::from("存续（在营、开业、在册）"),
                Box::from("吊销"),
                Box::from("未注销")
            ]
        );
        let listed = statuses(" 抵押，违法未处理 ,");
        assert_eq!(&*listed, [Box::from("抵押"), Box::from("违法未处理")]);
        assert!(Arc::ptr_eq(&listed, &statuses(" 抵押，违法未处理 ,")));
        assert_eq!(use_parts("宅基地/住宅").len(), 2);
        assert!(Arc::ptr_eq(&text(" 户主 "), &text("户主")));
    }

    #[test]
    fn forgotten_memos_give_the_same_values_again() {
        let _alone = SHARED_MEMOS.lock().unwrap_or_else(|e| e.into_inner());
        let name = person_name("陳小明");
        let place = address("红河州建水县岔科镇阿倮村3组");
        let listed = statuses("抵押,查封,冻结");
        forget_remembered();
        assert!(THREAD_NAMES.with_borrow(|m| m.capacity() == 0));
        assert!(STATUSES.with_borrow(|m| m.capacity() == 0));
        assert_eq!(person_name("陳小明"), name);
        let again = address("红河州建水县岔科镇阿倮村3组");
        assert_eq!(*again, *place);
        assert_eq!(statuses("抵押,查封,冻结"), listed);
        // Computed again, not handed out from a table that was kept.
        assert!(!Arc::ptr_eq(&statuses("抵押,查封,冻结"), &listed));
    }

    /// Without [`single_run`] (as in the nightly service), the end of reading keeps the
    /// memos: the next run is handed the values already kept.
    #[test]
    fn reading_done_keeps_the_memos_unless_the_process_runs_once() {
        let _alone = SHARED_MEMOS.lock().unwrap_or_else(|e| e.into_inner());
        assert!(
            !SINGLE_RUN.load(Ordering::Relaxed),
            "no test declares a single run"
        );
        let place = address("红河州建水县岔科镇阿倮村4组");
        reading_done();
        assert!(std::ptr::eq(
            &*place,
            &*address("红河州建水县岔科镇阿倮村4组")
        ));
    }

    #[test]
    fn each_thread_interns_its_own_copy_of_the_same_value() {
        let here = statuses("抵押,查封");
        let there = std::thread::spawn(|| statuses("抵押,查封")).join().unwrap();
        assert_eq!(here, there);
        assert!(!Arc::ptr_eq(&here, &there));
        let texts = std::thread::spawn(|| text("小型汽车")).join().unwrap();
        assert_eq!(texts, text(" 小型汽车"));
    }

    #[test]
    fn roster_cells_split_differently_are_different_addresses() {
        let _alone = SHARED_MEMOS.lock().unwrap_or_else(|e| e.into_inner());
        // The village's name is in a different column in each row: same text when joined,
        // different cells, so each must be completed from its own.
        let fill = |cells: [&str; 4]| Address::parse(&cells.join("|"));
        assert_ne!(
            fill(["蒙自市", "文澜镇", "新安所村", ""]),
            fill(["蒙自市文澜镇", "", "新安所村", ""]),
            "the test needs cells whose completions differ"
        );
        let one = member_address(["蒙自市", "文澜镇", "新安所村", ""], fill);
        let other = member_address(["蒙自市文澜镇", "", "新安所村", ""], fill);
        assert_eq!(*one, fill(["蒙自市", "文澜镇", "新安所村", ""]));
        assert_eq!(*other, fill(["蒙自市文澜镇", "", "新安所村", ""]));
        // Remembered: the same kept value, not a second one.
        assert!(std::ptr::eq(
            &*one,
            &*member_address(["蒙自市", "文澜镇", "新安所村", ""], fill)
        ));
    }
}
