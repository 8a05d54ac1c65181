//! Spot-check inspections (监察), rectifications (整改) and rewards/penalties (奖罚).

use chrono::{NaiveDate, NaiveDateTime};

use super::DomainError;
use super::money::Fen;

/// The result of one checklist item.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ItemResult {
    /// 合格
    Pass,
    /// 不合格
    Fail,
    /// 不适用
    NotApplicable,
}

impl ItemResult {
    /// All results.
    pub const ALL: [Self; 3] = [Self::Pass, Self::Fail, Self::NotApplicable];

    /// Stored code.
    pub fn code(self) -> &'static str {
        match self {
            Self::Pass => "pass",
            Self::Fail => "fail",
            Self::NotApplicable => "na",
        }
    }

    /// Parses a stored code.
    pub fn from_code(s: &str) -> Self {
        match s {
            "pass" => Self::Pass,
            "fail" => Self::Fail,
            _ => Self::NotApplicable,
        }
    }

    /// Translation key.
    pub fn label_key(self) -> &'static str {
        match self {
            Self::Pass => "inspect.pass",
            Self::Fail => "inspect.fail",
            Self::NotApplicable => "inspect.na",
        }
    }
}

/// What was inspected.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TargetKind {
    /// A staff member.
    Staff,
    /// A counter.
    Counter,
    /// A department.
    Department,
    /// A branch.
    Branch,
    /// A vehicle, by plate number.
    Vehicle,
}

impl TargetKind {
    /// All kinds.
    pub const ALL: [Self; 5] = [
        Self::Staff,
        Self::Counter,
        Self::Department,
        Self::Branch,
        Self::Vehicle,
    ];

    /// Stored code.
    pub fn code(self) -> &'static str {
        match self {
            Self::Staff => "staff",
            Self::Counter => "counter",
            Self::Department => "department",
            Self::Branch => "branch",
            Self::Vehicle => "vehicle",
        }
    }

    /// Parses a stored code.
    pub fn from_code(s: &str) -> Self {
        Self::ALL
            .into_iter()
            .find(|k| k.code() == s)
            .unwrap_or(Self::Staff)
    }

    /// Translation key.
    pub fn label_key(self) -> &'static str {
        match self {
            Self::Staff => "inspect.target_staff",
            Self::Counter => "inspect.target_counter",
            Self::Department => "inspect.target_department",
            Self::Branch => "inspect.target_branch",
            Self::Vehicle => "inspect.target_vehicle",
        }
    }
}

/// One checked item.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CheckedItem {
    /// Database id (0 before saving).
    pub id: i64,
    /// The item's text (copied from the template).
    pub text: String,
    /// Result.
    pub result: ItemResult,
    /// Note.
    pub note: String,
    /// Optional photo (PNG/JPEG bytes) and its name.
    pub photo: Option<(String, Vec<u8>)>,
}

/// An inspection.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Inspection {
    /// Database id.
    pub id: i64,
    /// When.
    pub at: NaiveDateTime,
    /// Inspector's name.
    pub inspector: String,
    /// Kind of target.
    pub target_kind: TargetKind,
    /// Target (name, counter, department, branch or plate number).
    pub target: String,
    /// The staff member inspected, when the target is one.
    pub staff_id: Option<i64>,
    /// Template used.
    pub template_name: String,
    /// Items.
    pub items: Vec<CheckedItem>,
    /// Overall remark.
    pub remark: String,
}

impl Inspection {
    /// Passed items ÷ applicable items, in basis points; `None` when nothing applied.
    pub fn score_bp(&self) -> Option<i64> {
        let applicable = self
            .items
            .iter()
            .filter(|i| i.result != ItemResult::NotApplicable)
            .count() as i64;
        let passed = self
            .items
            .iter()
            .filter(|i| i.result == ItemResult::Pass)
            .count() as i64;
        (applicable > 0).then(|| passed * 10_000 / applicable)
    }

    /// Checks an inspection before saving.
    pub fn validate(&self) -> Result<(), DomainError> {
        if self.target.trim().is_empty() {
            return Err(DomainError::Invalid {
                field: "inspect.target",
                reason: "err.required",
            });
        }
        if self.items.is_empty() {
            return Err(DomainError::Invalid {
                field: "inspect.items",
                reason: "err.required",
            });
        }
        for item in &self.items {
            if let Some((_, bytes)) = &item.photo {
                super::evidence::check(bytes)?;
            }
        }
        Ok(())
    }
}

/// A rectification raised from a failed item.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rectification {
    /// Id.
    pub id: i64,
    /// The failed item.
    pub item_id: i64,
    /// The item's text.
    pub item_text: String,
    /// Owner.
    pub owner: String,
    /// What must be done.
    pub requirement: String,
    /// Due date.
    pub due: NaiveDate,
    /// When verified.
    pub verified_at: Option<NaiveDateTime>,
    /// By whom.
    pub verified_by: String,
    /// Passed verification.
    pub verified_pass: Option<bool>,
    /// Note.
    pub verify_note: String,
}

impl Rectification {
    /// Overdue: not verified as passed and past its due date.
    pub fn is_overdue(&self, today: NaiveDate) -> bool {
        self.verified_pass != Some(true) && self.due < today
    }
}

/// A reward or a penalty.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RewardPenalty {
    /// Id.
    pub id: i64,
    /// Staff member.
    pub staff_id: i64,
    /// Reward (true) or penalty.
    pub reward: bool,
    /// Amount.
    pub amount_fen: Fen,
    /// Reason.
    pub reason: String,
    /// Date.
    pub on: NaiveDate,
    /// Linked inspection.
    pub inspection_id: Option<i64>,
    /// Linked complaint.
    pub complaint_id: Option<i64>,
    /// Linked claim.
    pub claim_id: Option<i64>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(result: ItemResult) -> CheckedItem {
        CheckedItem {
            id: 0,
            text: "x".into(),
            result,
            note: String::new(),
            photo: None,
        }
    }

    #[test]
    fn score_ignores_not_applicable_items() {
        let mut i = Inspection {
            id: 0,
            at: NaiveDateTime::default(),
            inspector: "吴昊".into(),
            target_kind: TargetKind::Staff,
            target: "李娜".into(),
            staff_id: None,
            template_name: "前台".into(),
            items: vec![
                item(ItemResult::Pass),
                item(ItemResult::Fail),
                item(ItemResult::NotApplicable),
                item(ItemResult::Pass),
            ],
            remark: String::new(),
        };
        assert_eq!(i.score_bp(), Some(6666));
        i.items = vec![item(ItemResult::NotApplicable)];
        assert_eq!(i.score_bp(), None);
        i.target = " ".into();
        assert!(i.validate().is_err());
    }

    #[test]
    fn rectification_overdue() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        let mut r = Rectification {
            id: 1,
            item_id: 1,
            item_text: String::new(),
            owner: "李娜".into(),
            requirement: "整理柜台".into(),
            due: NaiveDate::from_ymd_opt(2026, 11, 22).unwrap(),
            verified_at: None,
            verified_by: String::new(),
            verified_pass: None,
            verify_note: String::new(),
        };
        assert!(r.is_overdue(today));
        r.verified_pass = Some(false);
        assert!(r.is_overdue(today), "failed verification stays open");
        r.verified_pass = Some(true);
        assert!(!r.is_overdue(today));
    }
}
