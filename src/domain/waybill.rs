//! Waybill change requests (更改收货人、联系电话). A customer asks, on the phone or at the
//! counter, to change a waybill's consignee or the consignee's phone. Only the shipper may ask,
//! so the desk checks who is asking before recording it. The request is passed to a department
//! (operations, who change the waybill in the transport system). Their answer — changed, or
//! refused and why (the goods already delivered, …) — is recorded. The request is done when the
//! answer has been confirmed back to the customer. A request not answered in time, or whose
//! answer has not been passed on in time, is flagged.

use chrono::{Duration, NaiveDateTime};

use super::DomainError;
use super::customer::normalize_phone;
use super::validation::{LABEL_MAX, NAME_MAX, NOTES_MAX, multi_line, required_line, single_line};

/// A request as the form types it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ChangeDraft {
    /// The waybill (运单号, required).
    pub waybill_no: String,
    /// The customer on file, if known.
    pub customer_id: Option<i64>,
    /// The call it was asked on.
    pub call_id: Option<i64>,
    /// The visit it was asked at.
    pub visit_id: Option<i64>,
    /// Who asks (required).
    pub requester: String,
    /// Their phone.
    pub requester_phone: String,
    /// Whether the desk checked that the requester is the shipper (required to record it).
    pub identity_checked: bool,
    /// The new consignee (收货人), if it changes.
    pub new_consignee: String,
    /// The new consignee's phone, if it changes.
    pub new_phone: String,
    /// Anything else operations must know.
    pub note: String,
    /// The department it is passed to (required).
    pub department: String,
}

/// A draft as recorded: trimmed, phones normalised.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CheckedChange {
    /// The waybill.
    pub waybill_no: String,
    /// The customer on file.
    pub customer_id: Option<i64>,
    /// The call it was asked on.
    pub call_id: Option<i64>,
    /// The visit it was asked at.
    pub visit_id: Option<i64>,
    /// Who asks.
    pub requester: String,
    /// Their phone.
    pub requester_phone: String,
    /// The new consignee.
    pub new_consignee: String,
    /// The new consignee's phone.
    pub new_phone: String,
    /// Anything else.
    pub note: String,
    /// The department.
    pub department: String,
}

impl ChangeDraft {
    /// The draft as recorded: a waybill, who asks (checked as the shipper), at least one of the
    /// new consignee and the new phone, and a department are required; phones must be phones.
    pub fn checked(&self) -> Result<CheckedChange, DomainError> {
        let waybill_no = required_line("waybill.waybill_no", &self.waybill_no, LABEL_MAX)?;
        let requester = required_line("waybill.requester", &self.requester, NAME_MAX)?;
        if !self.identity_checked {
            return Err(DomainError::Invalid {
                field: "waybill.identity_checked",
                reason: "waybill.err_identity",
            });
        }
        let new_consignee = single_line("waybill.new_consignee", &self.new_consignee, NAME_MAX)?;
        let new_phone = phone("waybill.new_phone", &self.new_phone)?;
        if new_consignee.is_empty() && new_phone.is_empty() {
            return Err(DomainError::Invalid {
                field: "waybill.new_consignee",
                reason: "waybill.err_nothing",
            });
        }
        let requester_phone = phone("waybill.requester_phone", &self.requester_phone)?;
        let department = required_line("waybill.department", &self.department, LABEL_MAX)?;
        Ok(CheckedChange {
            waybill_no,
            customer_id: self.customer_id,
            call_id: self.call_id,
            visit_id: self.visit_id,
            requester,
            requester_phone,
            new_consignee,
            new_phone,
            note: multi_line("waybill.note", &self.note, NOTES_MAX)?,
            department,
        })
    }
}

/// A phone normalised, its error naming `field`.
fn phone(field: &'static str, raw: &str) -> Result<String, DomainError> {
    normalize_phone(raw).map_err(|e| match e {
        DomainError::Invalid { reason, .. } => DomainError::Invalid { field, reason },
        other => other,
    })
}

/// How long operations and the desk have (the company's practice: goods move, so a change must
/// reach the waybill before they are delivered).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ChangeRules {
    /// Operations answer within this of the request (2 h).
    pub answer_within: Duration,
    /// The answer is confirmed back to the customer within this of the answer (4 h).
    pub confirm_within: Duration,
}

impl Default for ChangeRules {
    fn default() -> Self {
        Self {
            answer_within: Duration::hours(2),
            confirm_within: Duration::hours(4),
        }
    }
}

/// Where a request stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChangeStage {
    /// Passed to the department, waiting for its answer.
    Passed,
    /// Answered, waiting to be confirmed back to the customer.
    Answered,
    /// The customer was told: done.
    Confirmed,
}

impl ChangeStage {
    /// The translation key of its name.
    pub fn label_key(self) -> &'static str {
        match self {
            Self::Passed => "waybill.stage_passed",
            Self::Answered => "waybill.stage_answered",
            Self::Confirmed => "waybill.stage_confirmed",
        }
    }
}

/// A recorded request.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct WaybillChange {
    /// Id.
    pub id: i64,
    /// When it was recorded.
    pub at: NaiveDateTime,
    /// The waybill.
    pub waybill_no: String,
    /// The customer on file.
    pub customer_id: Option<i64>,
    /// The call it was asked on.
    pub call_id: Option<i64>,
    /// The visit it was asked at.
    pub visit_id: Option<i64>,
    /// Who asked.
    pub requester: String,
    /// Their phone.
    pub requester_phone: String,
    /// Whether the requester was checked as the shipper.
    pub identity_checked: bool,
    /// The new consignee.
    pub new_consignee: String,
    /// The new consignee's phone.
    pub new_phone: String,
    /// Anything else.
    pub note: String,
    /// The department it was passed to.
    pub department: String,
    /// Who recorded it.
    pub recorded_by: Option<i64>,
    /// When the department answered.
    pub handled_at: Option<NaiveDateTime>,
    /// Who in the department answered (as they gave their name).
    pub handled_by: String,
    /// Whether the waybill was changed (`false`: refused).
    pub changed: Option<bool>,
    /// The department's words (why refused, what was done).
    pub handling_note: String,
    /// When the answer was confirmed back to the customer.
    pub confirmed_at: Option<NaiveDateTime>,
    /// Who told the customer.
    pub confirmed_by: Option<i64>,
    /// How the customer was told.
    pub confirm_note: String,
    /// The desk it was recorded at.
    pub desk: Option<String>,
}

/// Why a request is flagged.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChangeLate {
    /// The department has not answered in time.
    Answer,
    /// The answer has not been confirmed back to the customer in time.
    Confirm,
}

impl ChangeLate {
    /// The translation key of the flag.
    pub fn label_key(self) -> &'static str {
        match self {
            Self::Answer => "waybill.late_answer",
            Self::Confirm => "waybill.late_confirm",
        }
    }
}

impl WaybillChange {
    /// Where it stands.
    pub fn stage(&self) -> ChangeStage {
        if self.confirmed_at.is_some() {
            ChangeStage::Confirmed
        } else if self.handled_at.is_some() {
            ChangeStage::Answered
        } else {
            ChangeStage::Passed
        }
    }

    /// Whether it is late at `now` (never once confirmed).
    pub fn late(&self, now: NaiveDateTime, rules: &ChangeRules) -> Option<ChangeLate> {
        match (self.stage(), self.handled_at) {
            (ChangeStage::Passed, _) if now > self.at + rules.answer_within => {
                Some(ChangeLate::Answer)
            }
            (ChangeStage::Answered, Some(handled)) if now > handled + rules.confirm_within => {
                Some(ChangeLate::Confirm)
            }
            _ => None,
        }
    }

    /// The department's answer as recorded: who answered is required, and a refusal needs the
    /// reason. It may be given again until the customer is told.
    pub fn answer(
        &self,
        handled_by: &str,
        changed: bool,
        note: &str,
    ) -> Result<(String, String), DomainError> {
        if self.stage() == ChangeStage::Confirmed {
            return Err(DomainError::WrongState("waybill.err_done"));
        }
        let handled_by = required_line("waybill.handled_by", handled_by, NAME_MAX)?;
        let note = multi_line("waybill.handling_note", note, NOTES_MAX)?;
        if !changed && note.is_empty() {
            return Err(DomainError::Invalid {
                field: "waybill.handling_note",
                reason: "waybill.err_refusal_reason",
            });
        }
        Ok((handled_by, note))
    }

    /// Checks that the answer can be confirmed back to the customer now; returns how they were
    /// told, trimmed.
    pub fn confirmation(&self, note: &str) -> Result<String, DomainError> {
        match self.stage() {
            ChangeStage::Passed => Err(DomainError::WrongState("waybill.err_not_answered")),
            ChangeStage::Confirmed => Err(DomainError::WrongState("waybill.err_done")),
            ChangeStage::Answered => multi_line("waybill.confirm_note", note, NOTES_MAX),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").expect("time")
    }

    fn draft() -> ChangeDraft {
        ChangeDraft {
            waybill_no: " SD20261127001 ".into(),
            requester: "王先生".into(),
            requester_phone: "138-1234-5678".into(),
            identity_checked: true,
            new_phone: "139 0000 1111".into(),
            department: "业务".into(),
            ..ChangeDraft::default()
        }
    }

    #[test]
    fn a_request_needs_a_waybill_a_checked_shipper_a_change_and_a_department() {
        let c = draft().checked().expect("checked");
        assert_eq!(c.waybill_no, "SD20261127001");
        assert_eq!(c.requester_phone, "13812345678");
        assert_eq!(c.new_phone, "13900001111");
        let field = |d: ChangeDraft| match d.checked() {
            Err(DomainError::Invalid { field, .. }) => field,
            other => panic!("{other:?}"),
        };
        assert_eq!(
            field(ChangeDraft {
                waybill_no: " ".into(),
                ..draft()
            }),
            "waybill.waybill_no"
        );
        assert_eq!(
            field(ChangeDraft {
                identity_checked: false,
                ..draft()
            }),
            "waybill.identity_checked"
        );
        assert_eq!(
            field(ChangeDraft {
                new_phone: String::new(),
                ..draft()
            }),
            "waybill.new_consignee",
            "nothing to change"
        );
        assert_eq!(
            field(ChangeDraft {
                new_phone: "12ab".into(),
                ..draft()
            }),
            "waybill.new_phone"
        );
        assert_eq!(
            field(ChangeDraft {
                department: String::new(),
                ..draft()
            }),
            "waybill.department"
        );
        let consignee_only = ChangeDraft {
            new_phone: String::new(),
            new_consignee: "李四".into(),
            ..draft()
        };
        assert_eq!(consignee_only.checked().expect("ok").new_consignee, "李四");
    }

    #[test]
    fn a_request_is_answered_then_confirmed_and_flagged_when_late() {
        let rules = ChangeRules::default();
        let mut w = WaybillChange {
            at: at("2026-11-27 09:00"),
            ..WaybillChange::default()
        };
        assert_eq!(w.stage(), ChangeStage::Passed);
        assert_eq!(w.late(at("2026-11-27 11:00"), &rules), None);
        assert_eq!(
            w.late(at("2026-11-27 11:01"), &rules),
            Some(ChangeLate::Answer)
        );
        assert!(w.confirmation("").is_err(), "not answered yet");
        assert!(
            w.answer("刘调度", false, " ").is_err(),
            "a refusal says why"
        );
        assert!(w.answer(" ", true, "").is_err(), "who answered");
        assert_eq!(
            w.answer(" 刘调度 ", true, "").expect("ok"),
            ("刘调度".to_owned(), String::new())
        );
        w.handled_at = Some(at("2026-11-27 10:00"));
        w.changed = Some(true);
        assert_eq!(w.stage(), ChangeStage::Answered);
        assert_eq!(w.late(at("2026-11-27 14:00"), &rules), None);
        assert_eq!(
            w.late(at("2026-11-27 14:01"), &rules),
            Some(ChangeLate::Confirm)
        );
        assert_eq!(w.confirmation(" 电话告知 ").expect("ok"), "电话告知");
        w.confirmed_at = Some(at("2026-11-27 10:30"));
        assert_eq!(w.stage(), ChangeStage::Confirmed);
        assert_eq!(w.late(at("2026-12-30 00:00"), &rules), None);
        assert!(w.answer("刘调度", true, "").is_err());
        assert!(w.confirmation("").is_err());
    }
}
