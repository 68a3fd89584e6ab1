//! Whether a record counts on the check date.
//!
//! Exports are taken weeks after the check date and list everything the department ever
//! held, so a row says nothing by itself about the check date. Three things decide:
//!
//! - **Registered after the check date**: the holding did not exist yet; it does not count.
//!   A missing registration date counts (old records often lack it, and the row exists).
//! - **An inactive state** (under the department's vocabulary, see [`mod@crate::status`]):
//!   the holding ended, if the status changed on or before the check date. A status
//!   changed *after* the check date still counts, because on the check date the holding
//!   was live.
//! - **An inactive state with no change date** is treated as inactive. This is a
//!   precision-first choice: hedui never proposes a candidate on an asset the department
//!   itself marks as ended, even when it cannot say when.
//!
//! Every other state (`正常`, `抵押`, `查封`, `达到报废标准`, or none at all) counts: a
//! mortgaged or seized car is still the family's car. A state the vocabulary does not
//! understand counts too, but is carried as `unclear` so that the rules propose the holding
//! for review only.

use chrono::NaiveDate;
use serde::Serialize;

use crate::status::{StateMeaning, Vocabulary};

/// A record's state on the check date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum Activity {
    /// Counts. `ended_later` is set when an inactive status changed after the check date;
    /// `unclear` lists states the vocabulary does not understand.
    Active {
        statuses: String,
        ended_later: Option<NaiveDate>,
        unclear: Vec<String>,
    },
    /// Ended on or before the check date (or on an unknown date).
    Ended {
        statuses: String,
        changed_on: Option<NaiveDate>,
    },
    /// Registered after the check date.
    NotYetRegistered { registered_on: NaiveDate },
}

impl Activity {
    /// Whether the record counts on the check date.
    pub fn is_active(&self) -> bool {
        matches!(self, Self::Active { .. })
    }

    /// States nobody understood, when the record counts; empty otherwise.
    pub fn unclear(&self) -> &[String] {
        match self {
            Self::Active { unclear, .. } => unclear,
            _ => &[],
        }
    }

    /// One line of evidence, e.g. `yes: status 正常`.
    pub fn describe(&self) -> String {
        match self {
            Self::Active {
                statuses,
                ended_later,
                unclear,
            } => {
                let mut out = format!("yes: {}", status_phrase(statuses));
                if let Some(d) = ended_later {
                    out.push_str(&format!(" changed on {d}, after the check date"));
                }
                if !unclear.is_empty() {
                    out.push_str(&format!(
                        " (not understood: {}; taken as active)",
                        unclear.join(", ")
                    ));
                }
                out
            }
            Self::Ended {
                statuses,
                changed_on: Some(d),
            } => format!("no: {} since {d}", status_phrase(statuses)),
            Self::Ended {
                statuses,
                changed_on: None,
            } => format!("no: {}, change date unknown", status_phrase(statuses)),
            Self::NotYetRegistered { registered_on } => {
                format!("no: registered on {registered_on}, after the check date")
            }
        }
    }

    /// The status for a sentence of the report: `正常`, `未注明`, or
    /// `注销（2026-07-15变更，晚于核对日）`.
    pub fn status_zh(&self) -> String {
        match self {
            Self::Active {
                statuses,
                ended_later,
                ..
            }
            | Self::Ended {
                statuses,
                changed_on: ended_later,
            } => {
                let shown = if statuses.is_empty() {
                    "未注明"
                } else {
                    statuses
                };
                match (self, ended_later) {
                    (Self::Active { .. }, Some(d)) => format!("{shown}（{d}变更，晚于核对日）"),
                    _ => shown.to_owned(),
                }
            }
            Self::NotYetRegistered { registered_on } => format!("{registered_on}登记，晚于核对日"),
        }
    }
}

fn status_phrase(statuses: &str) -> String {
    if statuses.is_empty() {
        "no status given".to_owned()
    } else {
        format!("status {statuses}")
    }
}

/// The record's statuses as one display string, `抵押,违法未处理` or
/// `GQ（违法未处理、逾期未检验）`.
pub fn status_text(statuses: &[impl AsRef<str>], vocabulary: &Vocabulary) -> String {
    statuses
        .iter()
        .map(|s| s.as_ref().trim())
        .filter(|s| !s.is_empty())
        .map(|s| vocabulary.shown(s))
        .collect::<Vec<_>>()
        .join(",")
}

/// A record's [`Activity`] on `check_date`, from its parts (see the module documentation).
pub fn activity_parts(
    statuses: &[impl AsRef<str>],
    registered_on: Option<NaiveDate>,
    status_changed_on: Option<NaiveDate>,
    check_date: NaiveDate,
    vocabulary: &Vocabulary,
) -> Activity {
    activity_read(
        &StatusReading::of(statuses, vocabulary),
        registered_on,
        status_changed_on,
        check_date,
    )
}

/// What a record's status cell says under a vocabulary, whatever its dates.
///
/// It depends only on the cell's states and the vocabulary, and a prefecture's millions of
/// records write a few hundred distinct cells, so a run can read each cell once and decide
/// every record's [`Activity`] from the reading ([`activity_read`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusReading {
    /// The states as one display string (see [`status_text`]).
    pub text: String,
    /// Whether any state ends the holding.
    pub inactive: bool,
    /// The words of the states nobody understood, in order, repeats next to each other
    /// dropped.
    pub unclear: Vec<String>,
}

impl StatusReading {
    /// Reads a record's states.
    pub fn of(statuses: &[impl AsRef<str>], vocabulary: &Vocabulary) -> Self {
        let text = status_text(statuses, vocabulary);
        let states = vocabulary.read_all(statuses);
        let inactive = states.iter().any(|s| s.meaning == StateMeaning::Inactive);
        let mut unclear: Vec<String> = states
            .into_iter()
            .filter(|s| s.meaning == StateMeaning::NotUnderstood)
            .map(|s| s.word)
            .collect();
        unclear.dedup();
        Self {
            text,
            inactive,
            unclear,
        }
    }
}

/// [`activity_parts`] with the statuses already read.
pub fn activity_read(
    reading: &StatusReading,
    registered_on: Option<NaiveDate>,
    status_changed_on: Option<NaiveDate>,
    check_date: NaiveDate,
) -> Activity {
    if let Some(registered_on) = registered_on.filter(|d| *d > check_date) {
        return Activity::NotYetRegistered { registered_on };
    }
    let statuses = reading.text.clone();
    match status_changed_on {
        Some(d) if reading.inactive && d > check_date => Activity::Active {
            statuses,
            ended_later: Some(d),
            unclear: Vec::new(),
        },
        changed_on if reading.inactive => Activity::Ended {
            statuses,
            changed_on,
        },
        _ => Activity::Active {
            statuses,
            ended_later: None,
            unclear: reading.unclear.clone(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn vocabulary(legacy: bool) -> Vocabulary {
        let text = if legacy {
            "inactive_statuses = [\"注销\", \"报废\", \"转出\", \"被盗抢\", \"吊销\"]\n"
        } else {
            "[status.vehicle]\ninactive = [{ exact = \"注销\" }, { exact = \"报废\" }, \
             { exact = \"转出\" }, { exact = \"被盗抢\" }, { exact = \"吊销\" }, \
             { pattern = \"*注销\" }]\n"
        };
        let policy = crate::Policy::from_toml(
            &format!(
                "name = \"t\"\nversion = \"1\"\neffective_from = \"2026-01-01\"\n{text}\
                 [rules.vehicle]\n"
            ),
            "t.toml",
        )
        .unwrap();
        policy.status.vehicle.unwrap()
    }

    fn of(statuses: &[&str], reg: Option<&str>, changed: Option<&str>) -> Activity {
        let statuses: Vec<String> = statuses.iter().map(|s| s.to_string()).collect();
        activity_parts(
            &statuses,
            reg.map(d),
            changed.map(d),
            d("2026-06-30"),
            &vocabulary(false),
        )
    }

    #[test]
    fn ended_before_or_on_the_check_date_does_not_count() {
        assert!(!of(&["注销"], Some("2010-01-01"), Some("2026-06-30")).is_active());
        assert!(!of(&["报废"], Some("2010-01-01"), Some("2020-01-01")).is_active());
    }

    #[test]
    fn ended_after_the_check_date_still_counts() {
        let a = of(&["注销"], Some("2010-01-01"), Some("2026-07-01"));
        assert!(a.is_active());
        assert!(
            a.describe().contains("after the check date"),
            "{}",
            a.describe()
        );
    }

    #[test]
    fn inactive_without_a_change_date_is_ended() {
        assert!(!of(&["转出"], Some("2010-01-01"), None).is_active());
    }

    #[test]
    fn registered_after_the_check_date_does_not_count() {
        let a = of(&["正常"], Some("2026-07-01"), None);
        assert_eq!(
            a,
            Activity::NotYetRegistered {
                registered_on: d("2026-07-01")
            }
        );
        assert!(of(&["正常"], Some("2026-06-30"), None).is_active());
        assert!(of(&["正常"], None, None).is_active());
    }

    #[test]
    fn other_statuses_count() {
        for s in ["正常", "抵押", "查封", "存续", "现势", "违法未处理", ""] {
            assert!(of(&[s], None, Some("2020-01-01")).is_active(), "{s}");
        }
        assert!(of(&["抵押", "违法未处理"], None, Some("2020-01-01")).is_active());
        assert_eq!(of(&[], None, None).describe(), "yes: no status given");
    }

    #[test]
    fn variants_of_inactive_words_are_inactive() {
        for s in ["已注销", " 注销　", "强制注销", "Ｅ"] {
            assert!(!of(&[s], None, None).is_active(), "{s}");
        }
        assert!(!of(&["抵押", "注销"], None, Some("2020-01-01")).is_active());
        assert!(!of(&["FE"], None, Some("2020-01-01")).is_active());
    }

    #[test]
    fn reaching_the_scrapping_standard_is_not_scrapped() {
        let a = of(&["达到报废标准"], Some("2010-01-01"), None);
        assert!(a.is_active() && a.unclear().is_empty(), "{a:?}");
        assert!(!of(&["报废"], Some("2010-01-01"), None).is_active());
        // The deprecated containment match still ends it, as it always did.
        let legacy = activity_parts(
            &["达到报废标准"],
            None,
            None,
            d("2026-06-30"),
            &vocabulary(true),
        );
        assert!(!legacy.is_active());
    }

    #[test]
    fn unknown_states_count_but_are_unclear() {
        let a = of(&["GZ", "正常"], None, None);
        assert!(a.is_active());
        assert_eq!(a.unclear(), ["GZ"]);
        assert!(
            a.describe().contains("not understood: GZ"),
            "{}",
            a.describe()
        );
        let a = of(&["GQ"], None, None);
        assert!(a.unclear().is_empty(), "{a:?}");
        assert_eq!(a.status_zh(), "GQ（违法未处理、逾期未检验）");
    }
}
