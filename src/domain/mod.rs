//! Plain Rust rules of the company's service regulations — no egui, no SQLite.
//!
//! Functions take `now` as an argument; nothing here reads the clock.

/// An enum whose values are stored, imported and reported as Chinese words, each with a
/// translation key for its label: `ALL`, `as_zh`, `parse` and `label_key`.
macro_rules! zh_enum {
    ($(#[$m:meta])* $name:ident { $($(#[$vm:meta])* $variant:ident = $zh:literal, $key:literal;)+ }) => {
        $(#[$m])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name { $($(#[$vm])* $variant,)+ }
        impl $name {
            /// Every value, in display order.
            pub const ALL: &'static [Self] = &[$(Self::$variant,)+];
            /// The Chinese word: how it is stored, imported and reported.
            pub fn as_zh(self) -> &'static str { match self { $(Self::$variant => $zh,)+ } }
            /// Parses the stored Chinese word.
            pub fn parse(s: &str) -> Option<Self> { Self::ALL.iter().copied().find(|v| v.as_zh() == s.trim()) }
            /// Translation key of the label.
            pub fn label_key(self) -> &'static str { match self { $(Self::$variant => $key,)+ } }
        }
    };
}

pub mod account;
pub mod attendance;
pub mod calendar;
pub mod call;
pub mod claim;
pub mod complaint;
pub mod customer;
pub mod evidence;
pub mod incident;
pub mod inspection;
pub mod money;
pub mod quality;
pub mod settings;
pub mod staff;
pub mod transfer;
pub mod validation;
pub mod visit;
pub mod waybill;

use thiserror::Error;

/// A rule was broken by the input or by the record's current state.
///
/// `reason` is a translation key (see [`crate::i18n`]), so the message reaches the user in their
/// language.
#[derive(Clone, Debug, Error, PartialEq, Eq)]
pub enum DomainError {
    /// A field's value is not acceptable.
    #[error("invalid {field}: {reason}")]
    Invalid {
        /// The field's translation key.
        field: &'static str,
        /// Why, as a translation key.
        reason: &'static str,
    },
    /// The action does not fit the record's current state (e.g. greeting a visitor who left).
    #[error("not allowed now: {0}")]
    WrongState(&'static str),
    /// The action may happen once and already has: `id` names the record it made (e.g. the
    /// claim already reported from a call).
    #[error("already done: {reason} (#{id})")]
    AlreadyDone {
        /// Why, as a translation key with an `{id}` placeholder.
        reason: &'static str,
        /// The existing record.
        id: i64,
    },
    /// A text is longer than its field allows.
    #[error("{field} is longer than {max} characters")]
    TooLong {
        /// The field's translation key.
        field: &'static str,
        /// The most characters allowed.
        max: usize,
    },
    /// A number is outside its allowed range.
    #[error("{field} is outside {min}..={max}")]
    OutOfRange {
        /// The field's translation key.
        field: &'static str,
        /// The smallest value allowed.
        min: i64,
        /// The largest value allowed.
        max: i64,
    },
}

impl DomainError {
    /// The message for the user, in the current UI language.
    pub fn user_message(&self) -> String {
        use crate::i18n::t;
        match self {
            Self::Invalid { field, reason } => format!("{}: {}", t(field), t(reason)),
            Self::WrongState(reason) => t(reason).to_owned(),
            Self::AlreadyDone { reason, id } => crate::i18n::tf(reason, &[("id", &id.to_string())]),
            Self::TooLong { field, max } => format!(
                "{}: {}",
                t(field),
                crate::i18n::tf("err.too_long_max", &[("max", &max.to_string())])
            ),
            Self::OutOfRange { field, min, max } => format!(
                "{}: {}",
                t(field),
                crate::i18n::tf(
                    "err.out_of_range",
                    &[("min", &min.to_string()), ("max", &max.to_string())]
                )
            ),
        }
    }
}

/// `YYYY-MM-DD HH:MM:SS`: the one form in which FrontDesk stores and imports local times.
pub const TIMESTAMP_FORMAT: &str = "%Y-%m-%d %H:%M:%S";
/// `YYYY-MM-DD HH:MM`: how times are shown to users.
pub const DISPLAY_FORMAT: &str = "%Y-%m-%d %H:%M";

/// Formats a duration in whole seconds as `mm:ss` (or `h:mm:ss` from one hour), for timers.
pub fn format_timer(secs: i64) -> String {
    let secs = secs.max(0);
    let (h, m, s) = (secs / 3600, (secs % 3600) / 60, secs % 60);
    if h > 0 {
        format!("{h}:{m:02}:{s:02}")
    } else {
        format!("{m:02}:{s:02}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timer_format() {
        assert_eq!(format_timer(0), "00:00");
        assert_eq!(format_timer(59), "00:59");
        assert_eq!(format_timer(61), "01:01");
        assert_eq!(format_timer(3600 + 5), "1:00:05");
        assert_eq!(format_timer(-3), "00:00");
    }
}
