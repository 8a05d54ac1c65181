//! Field rules shared by every form and every importer: how long a text may be, which characters
//! it may hold, and the ranges of numbers and dates a user can type.
//!
//! Text: single-line fields refuse every control character; multi-line fields (notes, contents)
//! allow line breaks and tabs. Lengths count characters (not bytes), after trimming.

use std::ops::RangeInclusive;

use chrono::{Datelike as _, NaiveDate};

use super::DomainError;

/// Surname (姓), in any script: 王, 欧阳, O'Brien, Smith-Jones.
pub const SURNAME_MAX: usize = 40;
/// Full name.
pub const NAME_MAX: usize = 40;
/// Company.
pub const COMPANY_MAX: usize = 100;
/// Region (where a customer comes from).
pub const REGION_MAX: usize = 50;
/// Short labels: complaint category, waybill number.
pub const LABEL_MAX: usize = 60;
/// Purpose of a visit, reasons.
pub const PURPOSE_MAX: usize = 500;
/// Multi-line notes and contents (customer notes, what a caller asked, a complaint as told).
pub const NOTES_MAX: usize = 2000;

/// People in a visiting party.
pub const PARTY_SIZE: RangeInclusive<i64> = 1..=999;
/// Retention of personal data, in days (30 days to 10 years).
pub const RETENTION_DAYS: RangeInclusive<i64> = 30..=3650;
/// Revisit interval of key accounts, in days (1 day to 10 years).
pub const REVISIT_DAYS: RangeInclusive<i64> = 1..=3650;
/// Years a report period may lie in.
pub const REPORT_YEARS: RangeInclusive<i32> = 2000..=2099;
/// The longest reception report period, in days (10 years).
pub const REPORT_MAX_DAYS: i64 = 3660;

fn check_chars(field: &'static str, s: &str, allowed: &[char]) -> Result<(), DomainError> {
    if s.chars().any(|c| c.is_control() && !allowed.contains(&c)) {
        return Err(DomainError::Invalid {
            field,
            reason: "err.control_chars",
        });
    }
    Ok(())
}

fn check_length(field: &'static str, s: &str, max: usize) -> Result<(), DomainError> {
    // A char takes at most 4 bytes, so a short byte length needs no counting.
    if s.len() > max && s.chars().count() > max {
        return Err(DomainError::TooLong { field, max });
    }
    Ok(())
}

/// A one-line text field (name, company, region…): trimmed, at most `max` characters, no control
/// characters. Empty is allowed.
pub fn single_line(field: &'static str, s: &str, max: usize) -> Result<String, DomainError> {
    let s = s.trim();
    check_chars(field, s, &[])?;
    check_length(field, s, max)?;
    Ok(s.to_owned())
}

/// Like [`single_line`], but empty is refused.
pub fn required_line(field: &'static str, s: &str, max: usize) -> Result<String, DomainError> {
    let s = single_line(field, s, max)?;
    if s.is_empty() {
        return Err(DomainError::Invalid {
            field,
            reason: "err.required",
        });
    }
    Ok(s)
}

/// A multi-line text (notes, contents): trimmed, Windows line ends made `\n`, at most `max`
/// characters; line breaks and tabs are the only control characters allowed.
pub fn multi_line(field: &'static str, s: &str, max: usize) -> Result<String, DomainError> {
    let s = s.trim();
    let s = if s.contains('\r') {
        s.replace("\r\n", "\n")
    } else {
        s.to_owned()
    };
    check_chars(field, &s, &['\n', '\t'])?;
    check_length(field, &s, max)?;
    Ok(s)
}

/// Like [`multi_line`], but empty is refused.
pub fn required_text(field: &'static str, s: &str, max: usize) -> Result<String, DomainError> {
    let s = multi_line(field, s, max)?;
    if s.is_empty() {
        return Err(DomainError::Invalid {
            field,
            reason: "err.required",
        });
    }
    Ok(s)
}

/// A text that must not be blank (a note, a reply, whom a complaint was reported to): trimmed,
/// refused when nothing is left. Unlike [`required_text`] it sets no length or character limit.
pub fn non_blank(field: &'static str, s: &str) -> Result<String, DomainError> {
    let s = s.trim();
    if s.is_empty() {
        return Err(DomainError::Invalid {
            field,
            reason: "err.required",
        });
    }
    Ok(s.to_owned())
}

/// The entries of a list managed in the settings (complaint categories, claim causes) as saved:
/// trimmed, blank ones dropped, in the order given.
pub fn list_entries(names: &[String]) -> Vec<&str> {
    names
        .iter()
        .map(|n| n.trim())
        .filter(|n| !n.is_empty())
        .collect()
}

/// A surname as the customer gives it: required, at most [`SURNAME_MAX`] characters in any
/// script (apostrophes, hyphens and spaces included), no control characters.
pub fn surname(s: &str) -> Result<String, DomainError> {
    required_line("field.surname", s, SURNAME_MAX)
}

/// A whole number within `range`.
pub fn in_range(
    field: &'static str,
    value: i64,
    range: &RangeInclusive<i64>,
) -> Result<i64, DomainError> {
    if range.contains(&value) {
        Ok(value)
    } else {
        Err(DomainError::OutOfRange {
            field,
            min: *range.start(),
            max: *range.end(),
        })
    }
}

/// A retention period in days within [`RETENTION_DAYS`].
pub fn retention_days(days: i64) -> Result<i64, DomainError> {
    in_range("settings.retention", days, &RETENTION_DAYS)
}

/// A revisit interval in days within [`REVISIT_DAYS`].
pub fn revisit_days(days: i64) -> Result<i64, DomainError> {
    in_range("customer.revisit_days", days, &REVISIT_DAYS)
}

/// How many backups of one sort the rotation keeps: 0 to 1000.
pub const KEEP_COUNT: RangeInclusive<i64> = 0..=1000;

/// A backup rotation count within [`KEEP_COUNT`].
pub fn keep_count(n: u32) -> Result<u32, DomainError> {
    in_range("settings.backup_keep", i64::from(n), &KEEP_COUNT)?;
    Ok(n)
}

/// A day a report may cover: within [`REPORT_YEARS`].
pub fn report_day(field: &'static str, day: NaiveDate) -> Result<NaiveDate, DomainError> {
    if REPORT_YEARS.contains(&day.year()) {
        Ok(day)
    } else {
        Err(DomainError::Invalid {
            field,
            reason: "err.report_years",
        })
    }
}

/// A report period `from..=to`: both days within [`REPORT_YEARS`], `from` not after `to`, at most
/// [`REPORT_MAX_DAYS`] days long.
pub fn report_period(from: NaiveDate, to: NaiveDate) -> Result<(), DomainError> {
    report_day("report.from", from)?;
    report_day("report.to", to)?;
    if from > to {
        return Err(DomainError::Invalid {
            field: "report.from",
            reason: "err.period_order",
        });
    }
    if (to - from).num_days() + 1 > REPORT_MAX_DAYS {
        return Err(DomainError::Invalid {
            field: "report.to",
            reason: "err.period_too_long",
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn surnames_in_any_script() {
        for ok in [
            "王",
            "欧阳",
            "O'Brien",
            "Smith",
            "van der Berg",
            "Müller-Lüdenscheidt",
        ] {
            assert_eq!(surname(&format!(" {ok} ")).unwrap(), ok);
        }
        assert!(surname("").is_err());
        assert!(surname("  ").is_err());
        assert!(surname(&"a".repeat(SURNAME_MAX)).is_ok());
        assert_eq!(
            surname(&"a".repeat(SURNAME_MAX + 1)),
            Err(DomainError::TooLong {
                field: "field.surname",
                max: SURNAME_MAX
            })
        );
        assert!(surname("Wang\0").is_err());
        assert!(surname("Wa\nng").is_err());
    }

    #[test]
    fn single_and_multi_line_text() {
        assert_eq!(
            single_line("field.name", " 张三 ", NAME_MAX).unwrap(),
            "张三"
        );
        assert!(single_line("field.name", "a\tb", NAME_MAX).is_err());
        assert!(single_line("field.name", "a\u{7f}b", NAME_MAX).is_err());
        assert!(single_line("field.name", "a\u{85}b", NAME_MAX).is_err());
        assert_eq!(
            single_line("field.name", "\u{202e}abc\u{200f}", NAME_MAX).unwrap(),
            "\u{202e}abc\u{200f}",
        );
        assert!(single_line("field.name", &"名".repeat(NAME_MAX), NAME_MAX).is_ok());
        assert!(single_line("field.name", &"名".repeat(10_000), NAME_MAX).is_err());
        assert_eq!(
            multi_line("customer.notes", "a\r\nb\tc\n", NOTES_MAX).unwrap(),
            "a\nb\tc"
        );
        assert!(multi_line("customer.notes", "a\0b", NOTES_MAX).is_err());
        assert!(multi_line("customer.notes", "a\rb", NOTES_MAX).is_err());
        assert!(required_text("customer.notes", " \n ", NOTES_MAX).is_err());
    }

    #[test]
    fn non_blank_texts() {
        assert_eq!(
            non_blank("claim.note", "  已联系司机 ").unwrap(),
            "已联系司机"
        );
        assert_eq!(
            non_blank("claim.note", " \n\t "),
            Err(DomainError::Invalid {
                field: "claim.note",
                reason: "err.required"
            })
        );
        assert_eq!(
            non_blank("claim.note", &"长".repeat(5000))
                .unwrap()
                .chars()
                .count(),
            5000
        );
    }

    #[test]
    fn settings_lists() {
        let names = vec![
            " 运输延误 ".to_owned(),
            String::new(),
            "  ".to_owned(),
            "包装破损".to_owned(),
        ];
        assert_eq!(list_entries(&names), vec!["运输延误", "包装破损"]);
        assert!(list_entries(&[]).is_empty());
    }

    #[test]
    fn ranges() {
        assert_eq!(retention_days(30), Ok(30));
        assert_eq!(retention_days(3650), Ok(3650));
        assert!(retention_days(29).is_err());
        assert!(retention_days(100_000_000).is_err());
        assert!(revisit_days(0).is_err());
        assert!(revisit_days(i64::MAX).is_err());
        assert_eq!(revisit_days(90), Ok(90));
    }

    #[test]
    fn report_periods() {
        assert!(report_period(day(2026, 11, 1), day(2026, 11, 30)).is_ok());
        assert!(report_period(day(2026, 11, 1), day(2026, 11, 1)).is_ok());
        assert!(report_period(day(2026, 11, 2), day(2026, 11, 1)).is_err());
        assert!(report_period(day(1999, 12, 31), day(2026, 11, 1)).is_err());
        assert!(report_period(day(2026, 11, 1), day(2100, 1, 1)).is_err());
        assert!(report_period(day(1, 1, 1), day(9999, 12, 31)).is_err());
        assert!(report_period(day(2000, 1, 1), day(2010, 1, 7)).is_ok());
        assert!(report_period(day(2000, 1, 1), day(2010, 1, 8)).is_err());
    }

    mod properties {
        use proptest::prelude::*;

        use super::super::*;

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(256))]

            /// Any text is either accepted as its trimmed self without control characters, or
            /// refused with a message; never a panic.
            #[test]
            fn single_line_accepts_or_refuses(s in any::<String>()) {
                match single_line("field.name", &s, NAME_MAX) {
                    Ok(v) => {
                        prop_assert_eq!(v.as_str(), s.trim());
                        prop_assert!(!v.chars().any(char::is_control));
                        prop_assert!(v.chars().count() <= NAME_MAX);
                    }
                    Err(e) => prop_assert!(!e.user_message().is_empty()),
                }
            }

            #[test]
            fn multi_line_accepts_or_refuses(s in any::<String>()) {
                match multi_line("customer.notes", &s, NOTES_MAX) {
                    Ok(v) => {
                        prop_assert!(v.chars().all(|c| !c.is_control() || c == '\n' || c == '\t'));
                        prop_assert!(v.chars().count() <= NOTES_MAX);
                    }
                    Err(e) => prop_assert!(!e.user_message().is_empty()),
                }
            }

            #[test]
            fn surname_of_printable_text_is_kept(s in "[\\PC]{1,40}") {
                let trimmed = s.trim();
                match surname(&s) {
                    Ok(v) => prop_assert_eq!(v.as_str(), trimmed),
                    Err(_) => prop_assert!(trimmed.is_empty()),
                }
            }

            #[test]
            fn report_period_never_panics(a in any::<i32>(), b in any::<i32>()) {
                let (Some(from), Some(to)) = (
                    NaiveDate::from_num_days_from_ce_opt(a),
                    NaiveDate::from_num_days_from_ce_opt(b),
                ) else {
                    return Ok(());
                };
                if report_period(from, to).is_ok() {
                    prop_assert!(from <= to);
                    prop_assert!((to - from).num_days() < REPORT_MAX_DAYS);
                }
            }
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(4))]

            /// Megabyte strings are refused quickly, not stored.
            #[test]
            fn megabyte_text_is_refused(c in any::<char>().prop_filter("not blank", |c| !c.is_whitespace())) {
                let s: String = std::iter::repeat_n(c, 1 << 20).collect();
                prop_assert!(single_line("field.name", &s, NAME_MAX).is_err());
                prop_assert!(multi_line("customer.notes", &s, NOTES_MAX).is_err());
            }
        }
    }
}
