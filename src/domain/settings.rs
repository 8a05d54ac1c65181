//! Rules of the settings: allowed ranges, defaults, how a stored text becomes a value and back,
//! and what happens to a stored value outside its range.
//!
//! The store keeps every setting as text under a key; these functions decide what that text
//! means, so every storage backend reads and writes the same values.

use std::ops::RangeInclusive;

use chrono::NaiveTime;

use super::DomainError;
use super::complaint::SlaRules;
use super::validation::{COMPANY_MAX, NOTES_MAX, RETENTION_DAYS, multi_line, single_line};
use super::visit::ReceptionRules;

/// The privacy notice shown to visitors until a supervisor edits it.
pub const DEFAULT_PRIVACY_NOTICE: &str = "我们登记您的姓名、电话和单位,仅用于本次接待、业务联系和服务回访。非大客户的个人信息在一年后自动匿名化;您可以随时要求查询或删除您的个人信息。";

/// An idle supervisor session locks after 1 minute to 8 hours.
pub const IDLE_LOCK_SECS: RangeInclusive<i64> = 60..=8 * 3600;

/// An idle supervisor session locks after 10 minutes unless set otherwise.
pub const DEFAULT_IDLE_LOCK_SECS: i64 = 600;

/// From this time of day visitors still present are called out, unless set otherwise.
pub fn default_closing_time() -> NaiveTime {
    NaiveTime::from_hms_opt(18, 0, 0).unwrap_or_default()
}

/// How times of day are stored: `HH:MM`.
const TIME_OF_DAY_FORMAT: &str = "%H:%M";

/// Checks the limits before they are saved: the reception limits, then the complaint SLA, then
/// the idle lock time. The first problem is returned.
pub fn check_limits(
    rules: &ReceptionRules,
    sla: &SlaRules,
    idle_lock_secs: i64,
) -> Result<(), DomainError> {
    rules.validate()?;
    sla.validate()?;
    if !IDLE_LOCK_SECS.contains(&idle_lock_secs) {
        return Err(DomainError::Invalid {
            field: "settings.idle_lock",
            reason: "err.setting_range",
        });
    }
    Ok(())
}

/// The company name as saved: one line, at most [`COMPANY_MAX`] characters, trimmed.
pub fn company_name(text: &str) -> Result<String, DomainError> {
    single_line("settings.company_name", text, COMPANY_MAX)
}

/// The privacy notice as saved: multi-line, at most [`NOTES_MAX`] characters, trimmed.
pub fn privacy_notice(text: &str) -> Result<String, DomainError> {
    multi_line("settings.privacy_notice", text, NOTES_MAX)
}

/// Reception limits as loaded: limits that do not make sense together (written by hand or by an
/// older version) fall back to the defaults, so that no stored value can make a timer overflow.
pub fn loaded_reception_rules(rules: ReceptionRules) -> ReceptionRules {
    if rules.validate().is_ok() {
        rules
    } else {
        ReceptionRules::default()
    }
}

/// SLA limits as loaded: out-of-range limits fall back to the defaults (see
/// [`loaded_reception_rules`]).
pub fn loaded_sla_rules(sla: SlaRules) -> SlaRules {
    if sla.validate().is_ok() {
        sla
    } else {
        SlaRules::default()
    }
}

/// The idle lock time as loaded: outside [`IDLE_LOCK_SECS`] it falls back to
/// [`DEFAULT_IDLE_LOCK_SECS`].
pub fn loaded_idle_lock_secs(secs: i64) -> i64 {
    if IDLE_LOCK_SECS.contains(&secs) {
        secs
    } else {
        DEFAULT_IDLE_LOCK_SECS
    }
}

/// A stored whole number; missing or unreadable text gives `default`.
pub fn parse_int(stored: Option<&str>, default: i64) -> i64 {
    stored.and_then(|v| v.parse().ok()).unwrap_or(default)
}

/// A stored id (the desk operator); missing or unreadable text gives none.
pub fn parse_id(stored: Option<&str>) -> Option<i64> {
    stored.and_then(|v| v.parse().ok())
}

/// A stored time of day (`HH:MM`); missing or unreadable text gives `default`.
pub fn parse_time_of_day(stored: Option<&str>, default: NaiveTime) -> NaiveTime {
    stored
        .and_then(|v| NaiveTime::parse_from_str(v, TIME_OF_DAY_FORMAT).ok())
        .unwrap_or(default)
}

/// A time of day as stored: `HH:MM`.
pub fn format_time_of_day(t: NaiveTime) -> String {
    t.format(TIME_OF_DAY_FORMAT).to_string()
}

/// A stored on/off flag: on only when it is `1`.
pub fn parse_flag(stored: Option<&str>) -> bool {
    stored.is_some_and(|v| v == "1")
}

/// An on/off flag as stored: `1` or `0`.
pub fn format_flag(on: bool) -> &'static str {
    if on { "1" } else { "0" }
}

/// Stored working days: seven characters, Monday first, `1` for a working day. Anything not
/// seven long gives `default`.
pub fn parse_workdays(stored: Option<&str>, default: [bool; 7]) -> [bool; 7] {
    let mut workdays = default;
    if let Some(days) = stored
        && days.len() == 7
    {
        for (slot, c) in workdays.iter_mut().zip(days.chars()) {
            *slot = c == '1';
        }
    }
    workdays
}

/// Working days as stored: `1111100` for Monday to Friday.
pub fn format_workdays(workdays: &[bool; 7]) -> String {
    workdays
        .iter()
        .map(|&w| if w { '1' } else { '0' })
        .collect()
}

/// A stored retention period in days: missing or unreadable text gives `default`, a number
/// outside [`RETENTION_DAYS`] (written by hand or by an older version) is clamped into it, so the
/// purge never computes a date out of range.
pub fn parse_retention_days(stored: Option<&str>, default: i64) -> i64 {
    stored
        .and_then(|v| v.trim().parse::<i64>().ok())
        .map_or(default, |v| {
            v.clamp(*RETENTION_DAYS.start(), *RETENTION_DAYS.end())
        })
}

/// Checks the retention periods before they are saved (personal data first, then calls).
pub fn check_retention(personal_days: i64, call_days: i64) -> Result<(), DomainError> {
    super::validation::retention_days(personal_days)?;
    super::validation::retention_days(call_days)?;
    Ok(())
}

/// The audit line of a retention change.
pub fn retention_audit_line(personal_days: i64, call_days: i64) -> String {
    format!("{personal_days} / {call_days} days")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn time(h: u32, m: u32) -> NaiveTime {
        NaiveTime::from_hms_opt(h, m, 0).unwrap()
    }

    #[test]
    fn idle_lock_range_on_save() {
        let rules = ReceptionRules::default();
        let sla = SlaRules::default();
        assert_eq!(check_limits(&rules, &sla, 60), Ok(()));
        assert_eq!(check_limits(&rules, &sla, 8 * 3600), Ok(()));
        let refused = Err(DomainError::Invalid {
            field: "settings.idle_lock",
            reason: "err.setting_range",
        });
        assert_eq!(check_limits(&rules, &sla, 59), refused);
        assert_eq!(check_limits(&rules, &sla, 8 * 3600 + 1), refused);
    }

    #[test]
    fn limits_are_checked_in_order() {
        let bad_rules = ReceptionRules {
            greeting_limit_secs: 9,
            ..ReceptionRules::default()
        };
        let bad_sla = SlaRules {
            warn_secs: -1,
            ..SlaRules::default()
        };
        assert_eq!(
            check_limits(&bad_rules, &bad_sla, 0),
            Err(DomainError::Invalid {
                field: "settings.greeting_limit",
                reason: "err.setting_range"
            })
        );
        assert_eq!(
            check_limits(&ReceptionRules::default(), &bad_sla, 0),
            Err(DomainError::Invalid {
                field: "settings.sla_warn",
                reason: "err.setting_range"
            })
        );
    }

    #[test]
    fn out_of_range_limits_fall_back_on_load() {
        assert_eq!(loaded_idle_lock_secs(60), 60);
        assert_eq!(loaded_idle_lock_secs(28_800), 28_800);
        assert_eq!(loaded_idle_lock_secs(59), DEFAULT_IDLE_LOCK_SECS);
        assert_eq!(loaded_idle_lock_secs(28_801), DEFAULT_IDLE_LOCK_SECS);
        assert_eq!(loaded_idle_lock_secs(i64::MIN), 600);

        let kept = ReceptionRules {
            greeting_warn_secs: 20,
            greeting_limit_secs: 30,
            water_limit_secs: 30,
            wait_limit_secs: 86_400,
        };
        assert_eq!(loaded_reception_rules(kept), kept);
        let overflowing = ReceptionRules {
            water_limit_secs: i64::MAX,
            ..kept
        };
        assert_eq!(
            loaded_reception_rules(overflowing),
            ReceptionRules::default()
        );

        let sla = SlaRules {
            first_response_secs: 3600,
            ..SlaRules::default()
        };
        assert_eq!(loaded_sla_rules(sla), sla);
        let too_long = SlaRules {
            ordinary_resolution_secs: 60 * 86_400 + 1,
            ..sla
        };
        assert_eq!(loaded_sla_rules(too_long), SlaRules::default());
    }

    #[test]
    fn stored_numbers_and_ids() {
        assert_eq!(parse_int(Some("45"), 7), 45);
        assert_eq!(parse_int(Some("-3"), 7), -3);
        assert_eq!(parse_int(Some(" 45"), 7), 7, "no trimming");
        assert_eq!(parse_int(Some("4.5"), 7), 7);
        assert_eq!(parse_int(None, 7), 7);
        assert_eq!(parse_id(Some("12")), Some(12));
        assert_eq!(parse_id(Some("x")), None);
        assert_eq!(parse_id(None), None);
    }

    #[test]
    fn stored_times_and_flags() {
        assert_eq!(parse_time_of_day(Some("17:45"), time(18, 0)), time(17, 45));
        assert_eq!(parse_time_of_day(Some("25:00"), time(18, 0)), time(18, 0));
        assert_eq!(
            parse_time_of_day(Some("17:45:00"), time(18, 0)),
            time(18, 0)
        );
        assert_eq!(parse_time_of_day(None, time(8, 30)), time(8, 30));
        assert_eq!(format_time_of_day(time(8, 5)), "08:05");
        assert_eq!(default_closing_time(), time(18, 0));
        assert!(parse_flag(Some("1")));
        assert!(!parse_flag(Some("0")));
        assert!(!parse_flag(Some("true")));
        assert!(!parse_flag(None));
        assert_eq!(format_flag(true), "1");
        assert_eq!(format_flag(false), "0");
    }

    #[test]
    fn stored_workdays() {
        let default = [true, true, true, true, true, false, false];
        assert_eq!(
            parse_workdays(Some("1010101"), default),
            [true, false, true, false, true, false, true]
        );
        assert_eq!(
            parse_workdays(Some("1x11111"), default),
            [true, false, true, true, true, true, true],
            "anything but 1 is a day off"
        );
        assert_eq!(parse_workdays(Some("111111"), default), default);
        assert_eq!(parse_workdays(Some("11111111"), default), default);
        assert_eq!(parse_workdays(None, default), default);
        assert_eq!(format_workdays(&default), "1111100");
        assert_eq!(
            parse_workdays(Some(&format_workdays(&[false; 7])), default),
            [false; 7]
        );
    }

    #[test]
    fn stored_retention_is_clamped() {
        assert_eq!(parse_retention_days(Some("90"), 365), 90);
        assert_eq!(parse_retention_days(Some(" 90 "), 365), 90, "trimmed");
        assert_eq!(parse_retention_days(Some("29"), 365), 30);
        assert_eq!(parse_retention_days(Some("30"), 365), 30);
        assert_eq!(parse_retention_days(Some("3650"), 365), 3650);
        assert_eq!(parse_retention_days(Some("3651"), 365), 3650);
        assert_eq!(parse_retention_days(Some("-5"), 365), 30);
        assert_eq!(parse_retention_days(Some("9223372036854775807"), 365), 3650);
        assert_eq!(parse_retention_days(Some("一年"), 365), 365);
        assert_eq!(parse_retention_days(None, 365), 365);
    }

    #[test]
    fn retention_on_save() {
        assert_eq!(check_retention(30, 3650), Ok(()));
        let refused = Err(DomainError::OutOfRange {
            field: "settings.retention",
            min: 30,
            max: 3650,
        });
        assert_eq!(check_retention(29, 365), refused);
        assert_eq!(check_retention(365, 3651), refused);
        assert_eq!(retention_audit_line(365, 180), "365 / 180 days");
    }

    #[test]
    fn texts_on_save() {
        assert_eq!(company_name(" 顺达物流 ").unwrap(), "顺达物流");
        assert!(company_name("a\nb").is_err());
        assert_eq!(
            company_name(&"名".repeat(COMPANY_MAX + 1)),
            Err(DomainError::TooLong {
                field: "settings.company_name",
                max: COMPANY_MAX
            })
        );
        assert_eq!(
            privacy_notice("第一行\r\n第二行 ").unwrap(),
            "第一行\n第二行"
        );
        assert!(privacy_notice("a\0b").is_err());
    }
}

/// The service targets the company sets (设置 → 投诉): satisfaction at least
/// `satisfaction_bp`, complaint rate below `complaint_rate_bp` (basis points of a percent of
/// the waybills). The dashboard, the weekly summary and its exports show each figure beside its
/// target, in red when it is missed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Targets {
    /// Satisfaction (满意 + 基本满意 of those rated) at least this.
    pub satisfaction_bp: crate::domain::money::Bp,
    /// Complaints per waybill below this.
    pub complaint_rate_bp: crate::domain::money::Bp,
}

impl Default for Targets {
    fn default() -> Self {
        Self {
            satisfaction_bp: 9_000,
            complaint_rate_bp: 50,
        }
    }
}

impl Targets {
    /// Whether `satisfied` of `rated` meets the satisfaction target (none when nothing was
    /// rated). Exact: no rounding of the rate.
    pub fn satisfaction_met(&self, satisfied: i64, rated: i64) -> Option<bool> {
        (rated > 0).then(|| {
            i128::from(satisfied) * i128::from(crate::domain::money::WHOLE_BP)
                >= i128::from(self.satisfaction_bp) * i128::from(rated)
        })
    }

    /// Whether `complaints` among `waybills` stays below the complaint-rate target (none
    /// without a waybill count).
    pub fn complaint_rate_met(&self, complaints: i64, waybills: i64) -> Option<bool> {
        (waybills > 0).then(|| {
            i128::from(complaints) * i128::from(crate::domain::money::WHOLE_BP)
                < i128::from(self.complaint_rate_bp) * i128::from(waybills)
        })
    }

    /// The targets as stored, each back to its default when out of 0.01 %…100 %.
    pub fn loaded(self) -> Self {
        let d = Self::default();
        let ok = |bp: i64| (1..=crate::domain::money::WHOLE_BP).contains(&bp);
        Self {
            satisfaction_bp: if ok(self.satisfaction_bp) {
                self.satisfaction_bp
            } else {
                d.satisfaction_bp
            },
            complaint_rate_bp: if ok(self.complaint_rate_bp) {
                self.complaint_rate_bp
            } else {
                d.complaint_rate_bp
            },
        }
    }
}

#[cfg(test)]
mod target_tests {
    use super::*;

    #[test]
    fn targets_compare_exactly() {
        let t = Targets::default();
        assert_eq!(t.satisfaction_met(9, 10), Some(true), "90 % meets ≥ 90 %");
        assert_eq!(t.satisfaction_met(89, 99), Some(false), "89.9 % misses");
        assert_eq!(t.satisfaction_met(0, 0), None);
        assert_eq!(
            t.complaint_rate_met(4, 1000),
            Some(true),
            "0.4 % is below 0.5 %"
        );
        assert_eq!(
            t.complaint_rate_met(5, 1000),
            Some(false),
            "0.5 % is not below"
        );
        assert_eq!(t.complaint_rate_met(1, 0), None);
        let odd = Targets {
            satisfaction_bp: 0,
            complaint_rate_bp: 20_000,
        };
        assert_eq!(odd.loaded(), Targets::default());
    }
}
