//! Which identity numbers the roster might hold, answered from a megabyte of bits.
//!
//! An owner whose number was upgraded from 15 digits is searched under some 160 neighbours
//! (every slip of the typed digits). Almost none of them is anyone's number, and checking
//! and looking up each one in the member index cost a cache miss apiece, over a second of
//! CPU at prefecture scale. This filter (a Bloom filter with two probes) says "certainly
//! not" for all but about 2% of them, so only those are checked and looked up. It never
//! says "not" for a number a member holds, so the blocks found are the same.

use std::hash::BuildHasher;

use hedui_core::resident_id::ResidentId;
use rustc_hash::FxBuildHasher;

/// 2²³ bits: 1 MiB, which stays in cache; with a prefecture's 700,000 members about 2% of
/// absent numbers pass.
const BITS: usize = 1 << 23;

#[derive(Debug)]
pub(crate) struct IdFilter {
    words: Vec<u64>,
}

impl Default for IdFilter {
    fn default() -> Self {
        Self {
            words: vec![0; BITS / 64],
        }
    }
}

impl IdFilter {
    pub(crate) fn build<'a>(ids: impl Iterator<Item = &'a ResidentId>) -> Self {
        let mut filter = Self::default();
        for id in ids {
            let Some(body) = id.as_bytes().first_chunk::<17>() else {
                continue;
            };
            for bit in probes(body) {
                filter.words[bit / 64] |= 1 << (bit % 64);
            }
        }
        filter
    }

    /// Whether a member may hold the number with this 17-digit body.
    pub(crate) fn may_hold(&self, body: &[u8; 17]) -> bool {
        probes(body)
            .iter()
            .all(|&bit| self.words[bit / 64] & (1 << (bit % 64)) != 0)
    }
}

fn probes(body: &[u8; 17]) -> [usize; 2] {
    // Mixed once more, so that both probes draw on well-spread bits.
    let h = FxBuildHasher
        .hash_one(body)
        .wrapping_mul(0x9E37_79B9_7F4A_7C15);
    [h as usize % BITS, (h >> 40) as usize % BITS]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(body: &[u8; 17]) -> ResidentId {
        ResidentId::from_body(body).unwrap_or_else(|| panic!("{body:?} is no valid body"))
    }

    #[test]
    fn holds_every_member_and_rejects_most_others() {
        let members = [id(b"53250119700101123"), id(b"53250119850203002")];
        let filter = IdFilter::build(members.iter());
        for m in &members {
            let body: [u8; 17] = m.body().as_bytes().try_into().unwrap_or([0; 17]);
            assert!(filter.may_hold(&body));
        }
        let passed = (0..10_000u32)
            .filter(|n| {
                let text = format!("532502196001{n:05}");
                let body: [u8; 17] = text.as_bytes().try_into().unwrap_or([0; 17]);
                filter.may_hold(&body)
            })
            .count();
        assert!(passed < 10, "{passed} of 10,000 absent numbers passed");
    }
}
