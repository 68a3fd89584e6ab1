//! Term frequencies of names among recipients. A shared common name (王伟) is weak evidence;
//! a shared rare one is strong. Splink-style adjustment replaces the average u-probability of
//! an exact name match with the frequency of the actual name.

use std::collections::HashMap;

use hedui_core::name::PersonName;

/// Name and pinyin frequencies over the recipient members.
#[derive(Debug, Default)]
pub struct NameFrequencies {
    names: HashMap<String, u32>,
    pinyin: HashMap<String, u32>,
    total: u32,
}

impl NameFrequencies {
    pub fn build<'a>(names: impl Iterator<Item = &'a PersonName>) -> Self {
        let mut tf = Self::default();
        for name in names.filter(|n| !n.is_empty()) {
            *tf.names.entry(name.as_str().to_owned()).or_default() += 1;
            *tf.pinyin.entry(name.pinyin_key().to_owned()).or_default() += 1;
            tf.total += 1;
        }
        tf
    }

    /// The share of members with exactly this name, never below one member's share.
    pub fn name(&self, name: &PersonName) -> f64 {
        self.share(self.names.get(name.as_str()))
    }

    /// The share of members whose name sounds like this one.
    pub fn pinyin(&self, name: &PersonName) -> f64 {
        self.share(self.pinyin.get(name.pinyin_key()))
    }

    fn share(&self, count: Option<&u32>) -> f64 {
        let total = f64::from(self.total.max(1));
        f64::from((*count.unwrap_or(&1)).max(1)) / total
    }
}
