//! Freight damage and loss claims (理赔): the workflow, the liability split and the insurer.
//!
//! 报案 → 调查中 → 已定责 → 已协商 → 已赔付 → 已结案, or 拒赔 with a reason. No step is skipped:
//! liability needs shares adding up to 100 %, agreeing needs an amount, paying needs a payment.

use chrono::{NaiveDate, NaiveDateTime};

use super::DomainError;
use super::money::{Bp, Fen, WHOLE_BP, allocate};

zh_enum!(
    /// What happened to the freight.
    ClaimType {
        /// 破损
        Damage = "破损", "claim.type_damage";
        /// 丢失
        Loss = "丢失", "claim.type_loss";
        /// 延误
        Delay = "延误", "claim.type_delay";
        /// 其他
        Other = "其他", "claim.type_other";
    }
);

zh_enum!(
    /// Role of a responsible party.
    PartyRole {
        /// 司机
        Driver = "司机", "claim.role_driver";
        /// 装卸工
        Loader = "装卸工", "claim.role_loader";
        /// 分公司
        Branch = "分公司", "claim.role_branch";
        /// 仓库
        Warehouse = "仓库", "claim.role_warehouse";
        /// 承运商
        Carrier = "承运商", "claim.role_carrier";
        /// 公司
        Company = "公司", "claim.role_company";
        /// 客户
        Customer = "客户", "claim.role_customer";
    }
);

zh_enum!(
    /// The claim's status.
    ClaimStatus {
        /// 报案
        Reported = "报案", "claim.status_reported";
        /// 调查中
        Investigating = "调查中", "claim.status_investigating";
        /// 已定责
        LiabilitySet = "已定责", "claim.status_liability";
        /// 已协商
        Agreed = "已协商", "claim.status_agreed";
        /// 已赔付
        Paid = "已赔付", "claim.status_paid";
        /// 已结案
        Closed = "已结案", "claim.status_closed";
        /// 拒赔
        Rejected = "拒赔", "claim.status_rejected";
    }
);

zh_enum!(
    /// Where the insurer stands.
    InsurerStatus {
        /// 未报
        NotReported = "未报", "claim.ins_not_reported";
        /// 已报
        Reported = "已报", "claim.ins_reported";
        /// 理算中
        Adjusting = "理算中", "claim.ins_adjusting";
        /// 已赔
        Paid = "已赔", "claim.ins_paid";
        /// 拒赔
        Rejected = "拒赔", "claim.ins_rejected";
    }
);

impl ClaimStatus {
    /// The step after this one on the normal path.
    pub fn next(self) -> Option<Self> {
        match self {
            Self::Reported => Some(Self::Investigating),
            Self::Investigating => Some(Self::LiabilitySet),
            Self::LiabilitySet => Some(Self::Agreed),
            Self::Agreed => Some(Self::Paid),
            Self::Paid => Some(Self::Closed),
            Self::Closed | Self::Rejected => None,
        }
    }

    /// True until paid and closed, or rejected.
    pub fn is_open(self) -> bool {
        !matches!(self, Self::Closed | Self::Rejected)
    }
}

/// One responsible party and its share.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Party {
    /// Database id (0 before saving).
    pub id: i64,
    /// A staff member, when the party is one.
    pub staff_id: Option<i64>,
    /// Name (of the staff member, branch, carrier, customer …).
    pub name: String,
    /// Role.
    pub role: Option<PartyRole>,
    /// Share in basis points.
    pub share_bp: Bp,
    /// When the party was told what it owes.
    pub notified_on: Option<NaiveDate>,
}

/// A claim.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Claim {
    /// Database id.
    pub id: i64,
    /// When it was reported.
    pub reported_at: NaiveDateTime,
    /// Waybill number.
    pub waybill: String,
    /// The archived customer.
    pub customer_id: Option<i64>,
    /// Customer's name.
    pub customer_name: String,
    /// Phone.
    pub phone: String,
    /// Incident date.
    pub incident_date: Option<NaiveDate>,
    /// Incident place.
    pub incident_place: String,
    /// Branch handling it (for filters and the report).
    pub branch: String,
    /// Type.
    pub claim_type: Option<ClaimType>,
    /// Cause (settings-managed list).
    pub cause: String,
    /// What happened.
    pub description: String,
    /// Amount the customer claims.
    pub claimed_fen: Fen,
    /// Amount agreed with the customer.
    pub agreed_fen: Option<Fen>,
    /// Amount paid to the customer.
    pub paid_fen: Option<Fen>,
    /// Status.
    pub status: Option<ClaimStatus>,
    /// Why it was rejected.
    pub reject_reason: String,
    /// Insurer's name.
    pub insurer: String,
    /// Policy number.
    pub policy_no: String,
    /// Insurer's case number.
    pub insurer_case_no: String,
    /// Insurer status.
    pub insurer_status: Option<InsurerStatus>,
    /// Amount recovered from the insurer.
    pub recovered_fen: Fen,
    /// The call it came from.
    pub call_id: Option<i64>,
    /// The complaint it came from.
    pub complaint_id: Option<i64>,
    /// The visit it came from.
    pub visit_id: Option<i64>,
    /// Responsible parties.
    pub parties: Vec<Party>,
}

impl Claim {
    /// Status (报案 for a new claim).
    pub fn status(&self) -> ClaimStatus {
        self.status.unwrap_or(ClaimStatus::Reported)
    }

    /// Sum of the parties' shares in basis points.
    pub fn shares_total(&self) -> Bp {
        self.parties.iter().map(|p| p.share_bp).sum()
    }

    /// Each party's amount of `amount` by share (parts add up exactly).
    pub fn party_amounts(&self, amount: Fen) -> Vec<Fen> {
        let shares: Vec<Bp> = self.parties.iter().map(|p| p.share_bp).collect();
        allocate(amount, &shares)
    }

    /// Checks that the liability split can be set: at least one party, each named with a role,
    /// shares adding up to exactly 100 %.
    pub fn check_liability(&self) -> Result<(), DomainError> {
        if self.parties.is_empty() {
            return Err(DomainError::Invalid {
                field: "claim.parties",
                reason: "err.required",
            });
        }
        if self
            .parties
            .iter()
            .any(|p| p.name.trim().is_empty() || p.role.is_none())
        {
            return Err(DomainError::Invalid {
                field: "claim.parties",
                reason: "err.party_incomplete",
            });
        }
        if self.shares_total() != WHOLE_BP {
            return Err(DomainError::Invalid {
                field: "claim.parties",
                reason: "err.shares_total",
            });
        }
        Ok(())
    }

    /// Checks a move to `to`; `reason` is needed for 拒赔.
    pub fn check_move(&self, to: ClaimStatus, reason: &str) -> Result<(), DomainError> {
        let from = self.status();
        if to == ClaimStatus::Rejected {
            if !from.is_open() || from == ClaimStatus::Paid {
                return Err(DomainError::WrongState("err.claim_step"));
            }
            if reason.trim().is_empty() {
                return Err(DomainError::Invalid {
                    field: "claim.reject_reason",
                    reason: "err.required",
                });
            }
            return Ok(());
        }
        if from.next() != Some(to) {
            return Err(DomainError::WrongState("err.claim_step"));
        }
        match to {
            ClaimStatus::LiabilitySet => self.check_liability(),
            ClaimStatus::Agreed => {
                self.check_liability()?;
                match self.agreed_fen {
                    Some(a) if a > 0 => Ok(()),
                    _ => Err(DomainError::Invalid {
                        field: "claim.agreed",
                        reason: "err.required",
                    }),
                }
            }
            ClaimStatus::Paid => match (self.agreed_fen, self.paid_fen) {
                (Some(_), Some(p)) if p > 0 => Ok(()),
                _ => Err(DomainError::Invalid {
                    field: "claim.paid",
                    reason: "err.required",
                }),
            },
            _ => Ok(()),
        }
    }
}

/// A claim as typed into the new-claim form.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ClaimDraft {
    /// Waybill number.
    pub waybill: String,
    /// The archived customer, if known.
    pub customer_id: Option<i64>,
    /// Customer's name.
    pub customer_name: String,
    /// Phone.
    pub phone: String,
    /// Incident date as typed, `YYYY-MM-DD`.
    pub incident_date: String,
    /// Incident place.
    pub incident_place: String,
    /// Branch.
    pub branch: String,
    /// Type.
    pub claim_type: Option<ClaimType>,
    /// Cause.
    pub cause: String,
    /// Description.
    pub description: String,
    /// Claimed amount as typed.
    pub claimed: String,
    /// Source call.
    pub call_id: Option<i64>,
    /// Source complaint.
    pub complaint_id: Option<i64>,
    /// Source visit.
    pub visit_id: Option<i64>,
}

impl ClaimDraft {
    /// Checks the form and makes the claim (reported at `now`).
    pub fn validate(&self, now: NaiveDateTime) -> Result<Claim, DomainError> {
        let required = |field| DomainError::Invalid {
            field,
            reason: "err.required",
        };
        use super::validation::{
            LABEL_MAX, NAME_MAX, NOTES_MAX, REGION_MAX, multi_line, required_line, single_line,
        };
        let waybill = required_line("claim.waybill", &self.waybill, LABEL_MAX)?;
        let customer_name = required_line("claim.customer", &self.customer_name, NAME_MAX)?;
        let incident_place = single_line("claim.incident_place", &self.incident_place, REGION_MAX)?;
        let branch = single_line("claim.branch", &self.branch, LABEL_MAX)?;
        let cause = single_line("claim.cause", &self.cause, LABEL_MAX)?;
        let description = multi_line("claim.description", &self.description, NOTES_MAX)?;
        let incident_date = NaiveDate::parse_from_str(self.incident_date.trim(), "%Y-%m-%d")
            .map_err(|_| DomainError::Invalid {
                field: "claim.incident_date",
                reason: "err.date_format",
            })?;
        super::validation::report_day("claim.incident_date", incident_date)?;
        if incident_date > now.date() {
            return Err(DomainError::Invalid {
                field: "claim.incident_date",
                reason: "err.in_the_future",
            });
        }
        let Some(claim_type) = self.claim_type else {
            return Err(required("claim.type"));
        };
        if cause.is_empty() {
            return Err(required("claim.cause"));
        }
        if description.is_empty() {
            return Err(required("claim.description"));
        }
        let claimed_fen = super::money::parse_fen(&self.claimed, "claim.claimed")?;
        let phone = super::customer::normalize_phone(&self.phone)?;
        Ok(Claim {
            reported_at: now,
            waybill,
            customer_id: self.customer_id,
            customer_name,
            phone,
            incident_date: Some(incident_date),
            incident_place,
            branch,
            claim_type: Some(claim_type),
            cause,
            description,
            claimed_fen,
            status: Some(ClaimStatus::Reported),
            insurer_status: Some(InsurerStatus::NotReported),
            call_id: self.call_id,
            complaint_id: self.complaint_id,
            visit_id: self.visit_id,
            ..Claim::default()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claim() -> Claim {
        Claim {
            status: Some(ClaimStatus::Reported),
            claimed_fen: 150_000,
            ..Claim::default()
        }
    }

    fn party(role: PartyRole, bp: Bp) -> Party {
        Party {
            name: "张三".into(),
            role: Some(role),
            share_bp: bp,
            ..Party::default()
        }
    }

    #[test]
    fn steps_cannot_be_skipped() {
        let mut c = claim();
        assert!(c.check_move(ClaimStatus::Paid, "").is_err());
        assert!(
            c.check_move(ClaimStatus::LiabilitySet, "").is_err(),
            "investigate first"
        );
        assert!(c.check_move(ClaimStatus::Investigating, "").is_ok());
        c.status = Some(ClaimStatus::Investigating);
        assert_eq!(
            c.check_move(ClaimStatus::LiabilitySet, ""),
            Err(DomainError::Invalid {
                field: "claim.parties",
                reason: "err.required"
            })
        );
        c.parties = vec![
            party(PartyRole::Driver, 6000),
            party(PartyRole::Branch, 3000),
        ];
        assert_eq!(
            c.check_move(ClaimStatus::LiabilitySet, ""),
            Err(DomainError::Invalid {
                field: "claim.parties",
                reason: "err.shares_total"
            })
        );
        c.parties[1].share_bp = 4000;
        assert!(c.check_move(ClaimStatus::LiabilitySet, "").is_ok());
        c.status = Some(ClaimStatus::LiabilitySet);
        assert!(
            c.check_move(ClaimStatus::Agreed, "").is_err(),
            "no amount yet"
        );
        c.agreed_fen = Some(100_001);
        assert!(c.check_move(ClaimStatus::Agreed, "").is_ok());
        c.status = Some(ClaimStatus::Agreed);
        assert!(
            c.check_move(ClaimStatus::Paid, "").is_err(),
            "no payment yet"
        );
        c.paid_fen = Some(100_001);
        assert!(c.check_move(ClaimStatus::Paid, "").is_ok());
        c.status = Some(ClaimStatus::Paid);
        assert!(
            c.check_move(ClaimStatus::Rejected, "太晚").is_err(),
            "paid claims are not rejected"
        );
        assert!(c.check_move(ClaimStatus::Closed, "").is_ok());
        assert_eq!(c.party_amounts(100_001), vec![60_001, 40_000]);
    }

    #[test]
    fn rejection_needs_a_reason() {
        let c = claim();
        assert!(c.check_move(ClaimStatus::Rejected, " ").is_err());
        assert!(c.check_move(ClaimStatus::Rejected, "超过索赔时效").is_ok());
    }

    #[test]
    fn draft_validation() {
        let now =
            NaiveDateTime::parse_from_str("2026-11-23 09:00:00", "%Y-%m-%d %H:%M:%S").unwrap();
        let mut d = ClaimDraft {
            waybill: "SD001".into(),
            customer_name: "王先生".into(),
            incident_date: "2026-11-20".into(),
            claim_type: Some(ClaimType::Damage),
            cause: "装卸不当".into(),
            description: "外箱破损".into(),
            claimed: "1,500.00".into(),
            ..ClaimDraft::default()
        };
        let c = d.validate(now).unwrap();
        assert_eq!(c.claimed_fen, 150_000);
        d.claimed = "-3".into();
        assert!(d.validate(now).is_err());
        d.claimed = "3".into();
        d.incident_date = "2026-11-24".into();
        assert!(d.validate(now).is_err(), "not in the future");
    }
}
