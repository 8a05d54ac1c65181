//! The improvement measures agreed for a month's most failed checklist items (质量管理 4–5):
//! the cause, the measure, who owns it and by when; the next month's report compares the item's
//! failures and the supervisor records whether the measure worked.

use chrono::{Datelike, NaiveDate, NaiveDateTime};

use super::DomainError;
use super::validation;

/// The longest cause or measure, in characters.
pub const MAX_TEXT_CHARS: usize = 1000;

/// A measure as saved.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct QualityMeasure {
    /// Database id.
    pub id: i64,
    /// The month of the report it answers, `YYYY-MM`.
    pub month: String,
    /// The failing checklist item.
    pub item: String,
    /// The agreed cause.
    pub cause: String,
    /// The improvement measure.
    pub measure: String,
    /// Who owns it (name).
    pub owner: String,
    /// Who owns it, as a staff member.
    pub owner_staff_id: Option<i64>,
    /// By when.
    pub due: NaiveDate,
    /// When it was first saved.
    pub created_at: Option<NaiveDateTime>,
    /// When its effect was reviewed.
    pub reviewed_at: Option<NaiveDateTime>,
    /// Whether it worked (set by the review).
    pub effective: Option<bool>,
    /// The review's note.
    pub review_note: String,
}

impl QualityMeasure {
    /// Whether its due date has passed on `today` without a review.
    pub fn is_overdue(&self, today: NaiveDate) -> bool {
        self.reviewed_at.is_none() && self.due < today
    }
}

/// A measure to save for (month, item): a second save of the same item updates it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MeasureDraft {
    /// `YYYY-MM`.
    pub month: String,
    /// The failing checklist item.
    pub item: String,
    /// The agreed cause.
    pub cause: String,
    /// The improvement measure.
    pub measure: String,
    /// Who owns it (name).
    pub owner: String,
    /// Who owns it, as a staff member.
    pub owner_staff_id: Option<i64>,
    /// By when.
    pub due: NaiveDate,
}

impl MeasureDraft {
    /// Checks the draft: a valid month, an item, a cause, a measure and an owner are required
    /// (trimmed, limited in length).
    pub fn checked(&self) -> Result<Self, DomainError> {
        if month_start(&self.month).is_none() {
            return Err(DomainError::Invalid {
                field: "report.month",
                reason: "err.month_format",
            });
        }
        Ok(Self {
            month: self.month.trim().to_owned(),
            item: validation::required_line("col.item", &self.item, MAX_TEXT_CHARS)?,
            cause: validation::required_text("qm.cause", &self.cause, MAX_TEXT_CHARS)?,
            measure: validation::required_text("qm.measure", &self.measure, MAX_TEXT_CHARS)?,
            owner: validation::required_line("qm.owner", &self.owner, 100)?,
            owner_staff_id: self.owner_staff_id,
            due: self.due,
        })
    }
}

/// Parses a due date typed as `YYYY-MM-DD`.
pub fn parse_due(s: &str) -> Result<NaiveDate, DomainError> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").map_err(|_| DomainError::Invalid {
        field: "qm.due",
        reason: "err.date_format",
    })
}

/// The first day of `month` (`YYYY-MM`), if it is one.
fn month_start(month: &str) -> Option<NaiveDate> {
    let month = month.trim();
    if month.len() != 7 {
        return None;
    }
    NaiveDate::parse_from_str(&format!("{month}-01"), "%Y-%m-%d").ok()
}

/// The month before `month` (`YYYY-MM`), if `month` is one.
pub fn previous_month(month: &str) -> Option<String> {
    let first = month_start(month)?;
    let last_of_previous = first.pred_opt()?;
    Some(format!(
        "{:04}-{:02}",
        last_of_previous.year(),
        last_of_previous.month()
    ))
}

/// A previous month's measure with its item's failures in that month and in the month after.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MeasureEffect {
    /// The measure.
    pub measure: QualityMeasure,
    /// The item's failures in the measure's month.
    pub failures_before: i64,
    /// The item's failures in the month after.
    pub failures_after: i64,
}

impl MeasureEffect {
    /// The suggested review: effective when the failures went down (the supervisor decides).
    pub fn suggested_effective(&self) -> bool {
        self.failures_after < self.failures_before
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn draft() -> MeasureDraft {
        MeasureDraft {
            month: "2026-11".into(),
            item: " 柜台整洁 ".into(),
            cause: " 下班前未整理 ".into(),
            measure: "每日下班前检查台面".into(),
            owner: "李娜".into(),
            owner_staff_id: Some(1),
            due: day(2026, 12, 10),
        }
    }

    #[test]
    fn a_measure_needs_cause_measure_and_owner() {
        let d = draft().checked().unwrap();
        assert_eq!(d.item, "柜台整洁");
        assert_eq!(d.cause, "下班前未整理");
        for broken in [
            MeasureDraft {
                cause: " ".into(),
                ..draft()
            },
            MeasureDraft {
                measure: String::new(),
                ..draft()
            },
            MeasureDraft {
                owner: String::new(),
                ..draft()
            },
        ] {
            assert!(matches!(
                broken.checked(),
                Err(DomainError::Invalid {
                    reason: "err.required",
                    ..
                })
            ));
        }
        let bad_month = MeasureDraft {
            month: "2026-13".into(),
            ..draft()
        };
        assert!(bad_month.checked().is_err());
    }

    #[test]
    fn due_dates_are_year_month_day() {
        assert_eq!(parse_due(" 2026-12-10 "), Ok(day(2026, 12, 10)));
        for bad in ["2026-12-32", "12/10/2026", "", "2026-12"] {
            assert_eq!(
                parse_due(bad),
                Err(DomainError::Invalid {
                    field: "qm.due",
                    reason: "err.date_format",
                }),
                "{bad}"
            );
        }
    }

    #[test]
    fn the_previous_month_crosses_the_year() {
        assert_eq!(previous_month("2026-12").as_deref(), Some("2026-11"));
        assert_eq!(previous_month("2027-01").as_deref(), Some("2026-12"));
        assert_eq!(previous_month("2027-1"), None);
    }

    #[test]
    fn overdue_until_reviewed_and_effective_suggested_when_failures_fall() {
        let m = QualityMeasure {
            due: day(2026, 12, 10),
            ..QualityMeasure::default()
        };
        assert!(!m.is_overdue(day(2026, 12, 10)));
        assert!(m.is_overdue(day(2026, 12, 11)));
        let reviewed = QualityMeasure {
            reviewed_at: Some(day(2026, 12, 11).and_hms_opt(9, 0, 0).unwrap()),
            ..m.clone()
        };
        assert!(!reviewed.is_overdue(day(2026, 12, 11)));
        let effect = |before, after| MeasureEffect {
            measure: m.clone(),
            failures_before: before,
            failures_after: after,
        };
        assert!(effect(3, 1).suggested_effective());
        assert!(!effect(3, 3).suggested_effective());
        assert!(!effect(0, 1).suggested_effective());
    }
}
