//! Spot-check inspections (监察), rectifications (整改) and rewards/penalties (奖罚).

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};

use super::DomainError;
use super::attendance::AttendanceDay;
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

    /// The score as the audit trail shows it: `66.66%`, or `—` when nothing applied.
    pub fn score_text(&self) -> String {
        self.score_bp().map_or_else(
            || "—".to_owned(),
            |s| format!("{}.{:02}%", s / 100, s % 100),
        )
    }

    /// The audit line of a new inspection: target, template and score.
    pub fn audit_line(&self) -> String {
        format!(
            "{} {} {}",
            self.target,
            self.template_name,
            self.score_text()
        )
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

/// A checklist template with its items.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Template {
    /// Id (0 before saving).
    pub id: i64,
    /// Name.
    pub name: String,
    /// Built in (copy to change).
    pub builtin: bool,
    /// Items in order.
    pub items: Vec<String>,
}

impl Template {
    /// The template as saved: name and items trimmed, blank items dropped; a name and at least
    /// one item are required.
    pub fn checked(&self) -> Result<Self, DomainError> {
        let name = self.name.trim();
        let items: Vec<String> = self
            .items
            .iter()
            .map(|s| s.trim())
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect();
        if name.is_empty() || items.is_empty() {
            return Err(DomainError::Invalid {
                field: "inspect.template",
                reason: "err.required",
            });
        }
        Ok(Self {
            id: self.id,
            name: name.to_owned(),
            builtin: self.builtin,
            items,
        })
    }

    /// The audit line of a saved template: `name: item | item | …`.
    pub fn audit_line(&self) -> String {
        format!("{}: {}", self.name, self.items.join(" | "))
    }
}

/// Checks that a stored template may be changed: built-in ones are copied, not edited.
pub fn check_template_editable(builtin: bool) -> Result<(), DomainError> {
    if builtin {
        return Err(DomainError::WrongState("err.builtin_template"));
    }
    Ok(())
}

/// Rectifications verified as passed stay on the list this many days.
pub const RECENTLY_VERIFIED_DAYS: i64 = 30;

/// A rectification to raise from a checked item: who, what, by when.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RectificationOrder {
    /// Who must put it right (trimmed).
    pub owner: String,
    /// What must be done (trimmed).
    pub requirement: String,
    /// By when.
    pub due: NaiveDate,
}

impl RectificationOrder {
    /// Checks an order raised at `now` from an item that got `item_result`: only failed items
    /// are rectified; owner and requirement are required; the due date may not lie in the past.
    pub fn new(
        item_result: ItemResult,
        owner: &str,
        requirement: &str,
        due: NaiveDate,
        now: NaiveDateTime,
    ) -> Result<Self, DomainError> {
        if item_result != ItemResult::Fail {
            return Err(DomainError::WrongState("err.rectify_failed_only"));
        }
        let (owner, requirement) = (owner.trim(), requirement.trim());
        if owner.is_empty() || requirement.is_empty() {
            return Err(DomainError::Invalid {
                field: "inspect.rectification",
                reason: "err.required",
            });
        }
        if due < now.date() {
            return Err(DomainError::Invalid {
                field: "inspect.due",
                reason: "err.in_the_past",
            });
        }
        Ok(Self {
            owner: owner.to_owned(),
            requirement: requirement.to_owned(),
            due,
        })
    }

    /// The audit line: `owner requirement YYYY-MM-DD`.
    pub fn audit_line(&self) -> String {
        format!("{} {} {}", self.owner, self.requirement, self.due)
    }
}

/// Checks a verification of a rectification whose last verification gave `verified_pass`: one
/// that passed is done.
pub fn check_verification(verified_pass: Option<bool>) -> Result<(), DomainError> {
    if verified_pass == Some(true) {
        return Err(DomainError::WrongState("err.already_done"));
    }
    Ok(())
}

/// The audit lines (before, after) of a verification: the previous result, then the new one
/// with the note.
pub fn verification_audit(before: Option<bool>, passed: bool, note: &str) -> (String, String) {
    (format!("{before:?}"), format!("{passed} {}", note.trim()))
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
    /// Linked day of attendance (a late arrival, or the month it closes).
    pub attendance_id: Option<i64>,
    /// That day as read with the reward or penalty (not written: `attendance_id` is).
    pub attendance: Option<AttendanceDay>,
}

impl RewardPenalty {
    /// The stored code of the kind: `reward` or `penalty`.
    pub fn kind_code(&self) -> &'static str {
        if self.reward { "reward" } else { "penalty" }
    }

    /// Whether a stored kind code is a reward (anything else is a penalty).
    pub fn is_reward_code(code: &str) -> bool {
        code == "reward"
    }

    /// Checks a new reward or penalty: a positive amount and a reason (trimmed).
    pub fn checked(&self) -> Result<Self, DomainError> {
        if self.amount_fen <= 0 {
            return Err(DomainError::Invalid {
                field: "reward.amount",
                reason: "err.money_positive",
            });
        }
        let reason = self.reason.trim();
        if reason.is_empty() {
            return Err(DomainError::Invalid {
                field: "reward.reason",
                reason: "err.required",
            });
        }
        Ok(Self {
            reason: reason.to_owned(),
            ..self.clone()
        })
    }

    /// Checks the day of attendance it is given for: the same staff member's, and not dated
    /// before that day.
    pub fn check_attendance(&self, day: &AttendanceDay) -> Result<(), DomainError> {
        if day.staff_id != self.staff_id {
            return Err(DomainError::Invalid {
                field: "reward.attendance",
                reason: "reward.attendance_other_staff",
            });
        }
        if self.on < day.day {
            return Err(DomainError::Invalid {
                field: "reward.attendance",
                reason: "reward.attendance_before_day",
            });
        }
        Ok(())
    }

    /// The day of attendance it was given for and the minutes late that day against
    /// `shift_start` (as read).
    pub fn attendance_late(&self, shift_start: NaiveTime) -> Option<(NaiveDate, i64)> {
        self.attendance
            .as_ref()
            .map(|d| (d.day, d.late_minutes(shift_start)))
    }

    /// The audit line: `staff 3 奖励 ¥50.00 reason`, and ` attendance 7` when given for a day's
    /// attendance.
    pub fn audit_line(&self) -> String {
        let kind = if self.reward { "奖励" } else { "处罚" };
        let attendance = self
            .attendance_id
            .map_or_else(String::new, |id| format!(" attendance {id}"));
        format!(
            "staff {} {kind} {} {}{attendance}",
            self.staff_id,
            super::money::format_fen(self.amount_fen),
            self.reason.trim()
        )
    }
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

    fn at(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S").unwrap()
    }

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn score_and_audit_line() {
        let mut i = Inspection {
            id: 0,
            at: at("2026-11-23 09:00:00"),
            inspector: "吴昊".into(),
            target_kind: TargetKind::Counter,
            target: "1号柜台".into(),
            staff_id: None,
            template_name: "前台".into(),
            items: vec![
                item(ItemResult::Pass),
                item(ItemResult::Pass),
                item(ItemResult::Fail),
            ],
            remark: String::new(),
        };
        assert_eq!(i.score_text(), "66.66%");
        assert_eq!(i.audit_line(), "1号柜台 前台 66.66%");
        i.items = vec![item(ItemResult::Pass)];
        assert_eq!(i.score_text(), "100.00%");
        i.items = vec![item(ItemResult::Fail)];
        assert_eq!(i.score_text(), "0.00%");
        i.items = vec![item(ItemResult::NotApplicable)];
        assert_eq!(i.audit_line(), "1号柜台 前台 —");
    }

    #[test]
    fn templates_need_a_name_and_an_item() {
        let t = Template {
            id: 3,
            name: " 前台检查 ".into(),
            builtin: false,
            items: vec![" 着装整洁 ".into(), "  ".into(), "桌面整齐".into()],
        };
        let checked = t.checked().unwrap();
        assert_eq!(
            checked,
            Template {
                id: 3,
                name: "前台检查".into(),
                builtin: false,
                items: vec!["着装整洁".into(), "桌面整齐".into()],
            }
        );
        assert_eq!(checked.audit_line(), "前台检查: 着装整洁 | 桌面整齐");
        let required = Err(DomainError::Invalid {
            field: "inspect.template",
            reason: "err.required",
        });
        let nameless = Template {
            name: " ".into(),
            ..t.clone()
        };
        assert_eq!(nameless.checked(), required);
        let empty = Template {
            items: vec![" ".into()],
            ..t
        };
        assert_eq!(empty.checked(), required);
        assert_eq!(check_template_editable(false), Ok(()));
        assert_eq!(
            check_template_editable(true),
            Err(DomainError::WrongState("err.builtin_template"))
        );
    }

    #[test]
    fn rectifications_come_from_failed_items() {
        let now = at("2026-11-23 09:00:00");
        let order = RectificationOrder::new(
            ItemResult::Fail,
            " 李娜 ",
            " 整理柜台 ",
            day(2026, 11, 23),
            now,
        )
        .unwrap();
        assert_eq!(
            order,
            RectificationOrder {
                owner: "李娜".into(),
                requirement: "整理柜台".into(),
                due: day(2026, 11, 23),
            }
        );
        assert_eq!(order.audit_line(), "李娜 整理柜台 2026-11-23");
        for result in [ItemResult::Pass, ItemResult::NotApplicable] {
            assert_eq!(
                RectificationOrder::new(result, "李娜", "整理", day(2026, 12, 1), now),
                Err(DomainError::WrongState("err.rectify_failed_only"))
            );
        }
        let required = Err(DomainError::Invalid {
            field: "inspect.rectification",
            reason: "err.required",
        });
        assert_eq!(
            RectificationOrder::new(ItemResult::Fail, " ", "整理", day(2026, 12, 1), now),
            required
        );
        assert_eq!(
            RectificationOrder::new(ItemResult::Fail, "李娜", "", day(2026, 12, 1), now),
            required
        );
        assert_eq!(
            RectificationOrder::new(ItemResult::Fail, "李娜", "整理", day(2026, 11, 22), now),
            Err(DomainError::Invalid {
                field: "inspect.due",
                reason: "err.in_the_past"
            })
        );
    }

    #[test]
    fn a_passed_verification_is_final() {
        assert_eq!(check_verification(None), Ok(()));
        assert_eq!(
            check_verification(Some(false)),
            Ok(()),
            "a failed one is redone"
        );
        assert_eq!(
            check_verification(Some(true)),
            Err(DomainError::WrongState("err.already_done"))
        );
        assert_eq!(
            verification_audit(Some(false), true, " 已整改 "),
            ("Some(false)".to_owned(), "true 已整改".to_owned())
        );
        assert_eq!(
            verification_audit(None, false, ""),
            ("None".to_owned(), "false ".to_owned())
        );
    }

    #[test]
    fn rewards_and_penalties_need_an_amount_and_a_reason() {
        let rp = RewardPenalty {
            id: 0,
            staff_id: 3,
            reward: true,
            amount_fen: 5_000,
            reason: " 表扬信 ".into(),
            on: day(2026, 11, 23),
            inspection_id: None,
            complaint_id: Some(2),
            claim_id: None,
            attendance_id: None,
            attendance: None,
        };
        let checked = rp.checked().unwrap();
        assert_eq!(checked.reason, "表扬信");
        assert_eq!(checked.complaint_id, Some(2));
        assert_eq!(checked.kind_code(), "reward");
        assert_eq!(checked.audit_line(), "staff 3 奖励 ¥50.00 表扬信");
        let penalty = RewardPenalty {
            reward: false,
            amount_fen: 1,
            ..rp.clone()
        };
        assert_eq!(penalty.kind_code(), "penalty");
        assert_eq!(penalty.audit_line(), "staff 3 处罚 ¥0.01 表扬信");
        assert!(RewardPenalty::is_reward_code("reward"));
        assert!(!RewardPenalty::is_reward_code("penalty"));
        for amount in [0, -100] {
            let bad = RewardPenalty {
                amount_fen: amount,
                ..rp.clone()
            };
            assert_eq!(
                bad.checked(),
                Err(DomainError::Invalid {
                    field: "reward.amount",
                    reason: "err.money_positive"
                })
            );
        }
        let no_reason = RewardPenalty {
            reason: "  ".into(),
            ..rp
        };
        assert_eq!(
            no_reason.checked(),
            Err(DomainError::Invalid {
                field: "reward.reason",
                reason: "err.required"
            })
        );
    }

    #[test]
    fn a_penalty_for_a_day_s_attendance_is_the_same_person_s_and_not_dated_before_it() {
        let signed_in_at = day(2026, 11, 5).and_hms_opt(9, 12, 0).unwrap();
        let late = AttendanceDay {
            id: 7,
            staff_id: 3,
            day: signed_in_at.date(),
            signed_in_at,
            signed_out_at: None,
            desk: None,
        };
        let rp = RewardPenalty {
            id: 0,
            staff_id: 3,
            reward: false,
            amount_fen: 2_000,
            reason: "迟到".into(),
            on: day(2026, 11, 6),
            inspection_id: None,
            complaint_id: None,
            claim_id: None,
            attendance_id: Some(7),
            attendance: Some(late.clone()),
        };
        assert_eq!(rp.check_attendance(&late), Ok(()));
        assert_eq!(rp.audit_line(), "staff 3 处罚 ¥20.00 迟到 attendance 7");
        let nine = NaiveTime::from_hms_opt(9, 0, 0).unwrap();
        assert_eq!(rp.attendance_late(nine), Some((day(2026, 11, 5), 12)));
        let someone_else = RewardPenalty {
            staff_id: 4,
            ..rp.clone()
        };
        assert_eq!(
            someone_else.check_attendance(&late),
            Err(DomainError::Invalid {
                field: "reward.attendance",
                reason: "reward.attendance_other_staff"
            })
        );
        let before = RewardPenalty {
            on: day(2026, 11, 4),
            ..rp
        };
        assert_eq!(
            before.check_attendance(&late),
            Err(DomainError::Invalid {
                field: "reward.attendance",
                reason: "reward.attendance_before_day"
            })
        );
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
