//! 首问负责制 and 一跟到底: a complaint, a claim or an escalated call stays with the person who took
//! it first (its owner), who may hand it to a colleague or a department with a reason. The
//! receiver accepts it and gives the outcome; the owner confirms the outcome back, and only then
//! is the transfer done. Until then the case is on both people's lists, and a transfer not
//! accepted in time, or whose outcome is not confirmed in time, is flagged to the owner and the
//! supervisors.

use chrono::{Duration, NaiveDateTime};

use super::DomainError;

/// What kind of case is handed over.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CaseKind {
    /// A complaint.
    Complaint,
    /// A claim.
    Claim,
    /// A call that needs follow-up.
    Call,
}

impl CaseKind {
    /// The stored code.
    pub fn code(self) -> &'static str {
        match self {
            Self::Complaint => "complaint",
            Self::Claim => "claim",
            Self::Call => "call",
        }
    }

    /// Parses a stored code.
    pub fn from_code(code: &str) -> Option<Self> {
        [Self::Complaint, Self::Claim, Self::Call]
            .into_iter()
            .find(|k| k.code() == code)
    }

    /// The translation key of its name with its number (`{id}`).
    pub fn label_key(self) -> &'static str {
        match self {
            Self::Complaint => "transfer.case_complaint",
            Self::Claim => "transfer.case_claim",
            Self::Call => "transfer.case_call",
        }
    }
}

/// One hand-over of a case.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Transfer {
    /// Database id.
    pub id: i64,
    /// What was handed over.
    pub kind: Option<CaseKind>,
    /// Its number.
    pub case_id: i64,
    /// When.
    pub at: NaiveDateTime,
    /// The owner who handed it over.
    pub from_staff_id: Option<i64>,
    /// The colleague it went to (none: a department).
    pub to_staff_id: Option<i64>,
    /// The department it went to (empty: a colleague).
    pub department: String,
    /// Why, and what the receiver must know.
    pub reason: String,
    /// When the receiver accepted it.
    pub accepted_at: Option<NaiveDateTime>,
    /// Who accepted it (for a department: who recorded its acceptance).
    pub accepted_by: Option<i64>,
    /// The outcome the receiver reported.
    pub outcome: String,
    /// When.
    pub outcome_at: Option<NaiveDateTime>,
    /// When the owner confirmed the outcome: the transfer is done.
    pub confirmed_at: Option<NaiveDateTime>,
}

/// How long a receiver and an owner have (the company's practice; the same for every desk).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TransferRules {
    /// A transfer is to be accepted within this (2 h).
    pub accept_within: Duration,
    /// The outcome is to be confirmed back to the owner within this of the transfer (3 days).
    pub confirm_within: Duration,
}

impl Default for TransferRules {
    fn default() -> Self {
        Self {
            accept_within: Duration::hours(2),
            confirm_within: Duration::days(3),
        }
    }
}

/// Where a transfer stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stage {
    /// Waiting for the receiver to accept it.
    Sent,
    /// Accepted, the receiver is working on it.
    Accepted,
    /// The outcome is given, waiting for the owner to confirm it.
    Answered,
    /// The owner confirmed the outcome.
    Confirmed,
}

impl Stage {
    /// The translation key of its name.
    pub fn label_key(self) -> &'static str {
        match self {
            Self::Sent => "transfer.stage_sent",
            Self::Accepted => "transfer.stage_accepted",
            Self::Answered => "transfer.stage_answered",
            Self::Confirmed => "transfer.stage_confirmed",
        }
    }
}

/// Why a transfer is flagged.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Late {
    /// Not accepted in time.
    Acceptance,
    /// The outcome not confirmed back in time.
    Outcome,
}

impl Transfer {
    /// Where it stands.
    pub fn stage(&self) -> Stage {
        if self.confirmed_at.is_some() {
            Stage::Confirmed
        } else if self.outcome_at.is_some() {
            Stage::Answered
        } else if self.accepted_at.is_some() {
            Stage::Accepted
        } else {
            Stage::Sent
        }
    }

    /// Whether it is late at `now`: not accepted within the time, or its outcome not confirmed
    /// within the time (none once confirmed).
    pub fn late(&self, now: NaiveDateTime, rules: &TransferRules) -> Option<Late> {
        match self.stage() {
            Stage::Confirmed => None,
            Stage::Sent if now > self.at + rules.accept_within => Some(Late::Acceptance),
            _ if now > self.at + rules.confirm_within => Some(Late::Outcome),
            _ => None,
        }
    }

    /// Checks that `staff` may accept it (a colleague's transfer: only that colleague; a
    /// department's: anyone, recording that the department took it).
    pub fn check_accept(&self, staff: Option<i64>) -> Result<(), DomainError> {
        if self.stage() != Stage::Sent {
            return Err(DomainError::WrongState("err.transfer_not_waiting"));
        }
        match (self.to_staff_id, staff) {
            (Some(to), Some(me)) if to != me => {
                Err(DomainError::WrongState("err.transfer_not_yours"))
            }
            (_, None) => Err(DomainError::Invalid {
                field: "transfer.by",
                reason: "err.required",
            }),
            _ => Ok(()),
        }
    }

    /// Checks that the outcome can be given now (after acceptance, before confirmation).
    pub fn check_outcome(&self) -> Result<(), DomainError> {
        match self.stage() {
            Stage::Accepted | Stage::Answered => Ok(()),
            Stage::Sent => Err(DomainError::WrongState("err.transfer_not_accepted")),
            Stage::Confirmed => Err(DomainError::WrongState("err.transfer_done")),
        }
    }

    /// Checks that the owner can confirm now (once the outcome is given).
    pub fn check_confirm(&self) -> Result<(), DomainError> {
        if self.stage() == Stage::Answered {
            Ok(())
        } else {
            Err(DomainError::WrongState("err.transfer_no_outcome"))
        }
    }
}

/// Checks a new transfer: to a colleague other than the owner, or to a department, with a reason.
pub fn check_new(
    from: Option<i64>,
    to_staff: Option<i64>,
    department: &str,
    reason: &str,
) -> Result<(), DomainError> {
    let department = department.trim();
    match (to_staff, department.is_empty()) {
        (None, true) => {
            return Err(DomainError::Invalid {
                field: "transfer.to",
                reason: "err.required",
            });
        }
        (Some(_), false) => {
            return Err(DomainError::Invalid {
                field: "transfer.to",
                reason: "err.transfer_one_receiver",
            });
        }
        _ => {}
    }
    if to_staff.is_some() && to_staff == from {
        return Err(DomainError::Invalid {
            field: "transfer.to",
            reason: "err.transfer_to_self",
        });
    }
    if reason.trim().is_empty() {
        return Err(DomainError::Invalid {
            field: "transfer.reason",
            reason: "err.required",
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
    }

    #[test]
    fn a_transfer_goes_from_sent_to_confirmed_and_is_flagged_when_late() {
        let rules = TransferRules::default();
        let mut t = Transfer {
            at: at("2026-11-23 09:00"),
            from_staff_id: Some(1),
            to_staff_id: Some(2),
            reason: "运费争议,需业务核实".into(),
            ..Transfer::default()
        };
        assert_eq!(t.stage(), Stage::Sent);
        assert_eq!(t.late(at("2026-11-23 10:59"), &rules), None);
        assert_eq!(
            t.late(at("2026-11-23 11:01"), &rules),
            Some(Late::Acceptance)
        );
        assert!(t.check_accept(Some(3)).is_err(), "only the colleague");
        assert!(t.check_outcome().is_err(), "accept first");
        assert!(t.check_confirm().is_err());
        t.check_accept(Some(2)).unwrap();
        t.accepted_at = Some(at("2026-11-23 09:30"));
        assert_eq!(t.stage(), Stage::Accepted);
        assert_eq!(t.late(at("2026-11-25 09:00"), &rules), None);
        assert_eq!(t.late(at("2026-11-26 09:01"), &rules), Some(Late::Outcome));
        t.check_outcome().unwrap();
        t.outcome = "已退还多收运费".into();
        t.outcome_at = Some(at("2026-11-24 15:00"));
        assert_eq!(t.stage(), Stage::Answered);
        assert_eq!(t.late(at("2026-11-26 09:01"), &rules), Some(Late::Outcome));
        t.check_confirm().unwrap();
        t.confirmed_at = Some(at("2026-11-24 16:00"));
        assert_eq!(t.stage(), Stage::Confirmed);
        assert_eq!(t.late(at("2026-12-30 09:00"), &rules), None);
        assert!(t.check_outcome().is_err());
    }

    #[test]
    fn a_department_transfer_is_accepted_by_whoever_records_it() {
        let t = Transfer {
            from_staff_id: Some(1),
            department: "财务".into(),
            reason: "退款".into(),
            ..Transfer::default()
        };
        assert!(t.check_accept(Some(1)).is_ok());
        assert!(t.check_accept(None).is_err());
    }

    #[test]
    fn a_new_transfer_names_one_receiver_and_a_reason() {
        assert!(check_new(Some(1), Some(2), "", "核实运费").is_ok());
        assert!(check_new(Some(1), None, "财务", "退款").is_ok());
        assert!(check_new(Some(1), None, " ", "退款").is_err());
        assert!(check_new(Some(1), Some(2), "财务", "退款").is_err());
        assert!(check_new(Some(1), Some(1), "", "退款").is_err());
        assert!(check_new(Some(1), Some(2), "", "  ").is_err());
        assert_eq!(CaseKind::from_code("claim"), Some(CaseKind::Claim));
        assert_eq!(CaseKind::from_code("visit"), None);
    }
}
