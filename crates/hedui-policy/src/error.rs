//! Errors of loading a policy file. Each names the file and, where it can, the key, because
//! the person who fixes a policy file is a county administrator, not a programmer.

use std::path::PathBuf;

use chrono::NaiveDate;

/// Why a policy could not be loaded or used.
#[derive(Debug, thiserror::Error)]
pub enum PolicyError {
    /// The file could not be read.
    #[error("{}: cannot read the policy file: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    /// The file is not UTF-8 text.
    #[error("{origin}: the policy file is not UTF-8 text; save it as UTF-8")]
    NotUtf8 { origin: String },

    /// TOML syntax, an unknown key, or a value of the wrong type. `table` is the
    /// `[section]` the error lies in and `text` the offending line, so a message about a
    /// value still shows which key it belongs to.
    #[error(
        "{origin}:{line}:{column}: {message}{}\n  | {text}",
        table.as_ref().map(|t| format!(" (in [{t}])")).unwrap_or_default()
    )]
    Toml {
        origin: String,
        line: usize,
        column: usize,
        table: Option<String>,
        text: String,
        message: String,
    },

    /// The file parses but a value makes no sense, e.g. an empty status word that would
    /// mark every record inactive.
    #[error("{origin}: `{key}`: {message}")]
    Invalid {
        origin: String,
        key: String,
        message: String,
    },

    /// The policy took effect after the check date, so it is not the policy of that date.
    #[error(
        "policy {name} {version} takes effect on {effective_from}, after the check date \
         {check_date}; use the policy that was in force on the check date"
    )]
    NotInForce {
        name: String,
        version: String,
        effective_from: NaiveDate,
        check_date: NaiveDate,
    },
}

impl PolicyError {
    /// A value error on `key` of the file `origin`.
    pub(crate) fn invalid(
        origin: &str,
        key: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Self::Invalid {
            origin: origin.to_owned(),
            key: key.into(),
            message: message.into(),
        }
    }

    /// Locates a TOML error in `text`: line, column, enclosing table and the line itself.
    pub(crate) fn toml(origin: &str, text: &str, error: &toml::de::Error) -> Self {
        let offset = error.span().map_or(0, |span| span.start).min(text.len());
        let before = text.get(..offset).unwrap_or_default();
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let line = before.matches('\n').count() + 1;
        let column = before.get(line_start..).map_or(0, |s| s.chars().count()) + 1;
        let line_text = text
            .get(line_start..)
            .and_then(|rest| rest.lines().next())
            .unwrap_or_default();
        Self::Toml {
            origin: origin.to_owned(),
            line,
            column,
            table: enclosing_table(before),
            text: line_text.trim_end().to_owned(),
            message: error.message().trim().to_owned(),
        }
    }
}

/// The last `[table]` or `[[array]]` header before the error, if any.
fn enclosing_table(before: &str) -> Option<String> {
    before.lines().rev().find_map(|line| {
        let line = line.trim();
        let inner = line.strip_prefix('[')?.split(']').next()?;
        let name = inner.trim_start_matches('[').trim();
        (!name.is_empty()).then(|| name.to_owned())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_enclosing_table() {
        let text = "name = 1\n[rules.vehicle]\nenabled = true\n";
        assert_eq!(enclosing_table(text).as_deref(), Some("rules.vehicle"));
        assert_eq!(enclosing_table("name = 1\n"), None);
    }
}
