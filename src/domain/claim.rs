//! Freight damage and loss claims (理赔): the workflow, the liability split and the insurer.
//!
//! 报案 → 调查中 → 已定责 → 已协商 → 已赔付 → 已结案, or 拒赔 with a reason. No step is skipped:
//! liability needs shares adding up to 100 %, agreeing needs an amount, paying needs a payment.

use chrono::{NaiveDate, NaiveDateTime};

use super::DomainError;
use super::money::{Bp, Fen, WHOLE_BP, allocate, format_fen, format_percent};
use super::staff::Role;

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

impl PartyRole {
    /// The party role a staff member added as a responsible party starts with: a driver is a
    /// 司机 and a warehouse keeper stands for the 仓库; any other role (the claims adjuster who
    /// handles the claim, a clerk, a supervisor) has no party role of its own, so the person
    /// recording the split picks one.
    pub fn of_staff(role: Role) -> Option<Self> {
        match role {
            Role::Driver => Some(Self::Driver),
            Role::Warehouse => Some(Self::Warehouse),
            Role::ServiceRep
            | Role::EnquiryClerk
            | Role::InvoicingClerk
            | Role::SettlementClerk
            | Role::PayoutClerk
            | Role::ClaimsAdjuster
            | Role::Salesperson
            | Role::KeyAccountManager
            | Role::Operator
            | Role::Supervisor
            | Role::InspectionSupervisor
            | Role::ServiceSupervisor => None,
        }
    }
}

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
    /// The settlement deadline; none for a claim reported before deadlines were kept (its
    /// report day plus the settings' days, see [`Claim::settle_by`]).
    pub settle_by: Option<NaiveDate>,
    /// A major accident (重大事故): reported to the supervisors' inbox at once.
    pub major: bool,
    /// Settled directly between a branch, a driver or a loader and the customer.
    pub settled_directly: bool,
}

/// The settlement deadlines of claims (settings).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SettleRules {
    /// Days from the report to the settlement (default 30).
    pub days: i64,
    /// Amber this many days before the deadline (default 3).
    pub warn_days: i64,
}

impl Default for SettleRules {
    fn default() -> Self {
        Self {
            days: 30,
            warn_days: 3,
        }
    }
}

impl SettleRules {
    /// Checks the numbers: 1 to 365 days, amber up to 30 days before.
    pub fn validate(&self) -> Result<(), DomainError> {
        if !(1..=365).contains(&self.days) {
            return Err(DomainError::Invalid {
                field: "settings.claim_settle_days",
                reason: "err.setting_range",
            });
        }
        if !(0..=30).contains(&self.warn_days) {
            return Err(DomainError::Invalid {
                field: "settings.claim_warn_days",
                reason: "err.setting_range",
            });
        }
        Ok(())
    }

    /// The deadline of a claim reported at `reported_at`.
    pub fn deadline(&self, reported_at: NaiveDateTime) -> NaiveDate {
        reported_at.date() + chrono::Duration::days(self.days)
    }
}

/// Where a claim stands against its settlement deadline, as the lists show it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SettleClock {
    /// Paid, closed or rejected: nothing to chase.
    Done,
    /// Open, with days left.
    Running {
        /// Whole days to the deadline (0: due today).
        days_left: i64,
    },
    /// Open, within the warning days (amber).
    Warning {
        /// Whole days to the deadline.
        days_left: i64,
    },
    /// Open past the deadline (red).
    Overdue {
        /// Whole days past it.
        days_over: i64,
    },
}

impl Claim {
    /// The settlement deadline: the one kept with the claim, or its report day plus the
    /// settings' days.
    pub fn settle_by(&self, rules: &SettleRules) -> NaiveDate {
        self.settle_by
            .unwrap_or_else(|| rules.deadline(self.reported_at))
    }

    /// Whether the customer's claim is done: paid, closed or rejected.
    pub fn is_settled(&self) -> bool {
        matches!(
            self.status(),
            ClaimStatus::Paid | ClaimStatus::Closed | ClaimStatus::Rejected
        )
    }

    /// The claim against its settlement deadline on `today`.
    pub fn settle_clock(&self, today: NaiveDate, rules: &SettleRules) -> SettleClock {
        if self.is_settled() {
            return SettleClock::Done;
        }
        let left = (self.settle_by(rules) - today).num_days();
        if left < 0 {
            SettleClock::Overdue { days_over: -left }
        } else if left <= rules.warn_days {
            SettleClock::Warning { days_left: left }
        } else {
            SettleClock::Running { days_left: left }
        }
    }

    /// The inbox line of a major accident.
    pub fn inbox_summary(&self) -> String {
        format!(
            "重大事故 · {} · {} · {}",
            self.customer_name,
            self.waybill,
            super::money::format_fen(self.claimed_fen)
        )
    }

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

impl Claim {
    /// Moves the claim to `to` after [`Claim::check_move`]; a rejection keeps its reason
    /// (trimmed). Returns the timeline line: the trimmed reason.
    pub fn move_to(&mut self, to: ClaimStatus, reason: &str) -> Result<String, DomainError> {
        self.check_move(to, reason)?;
        let reason = reason.trim();
        self.status = Some(to);
        if to == ClaimStatus::Rejected {
            reason.clone_into(&mut self.reject_reason);
        }
        Ok(reason.to_owned())
    }

    /// Replaces the liability split, which is only open before liability is set. Every party
    /// needs a name, a role and a share of 0.01 % to 100 %; names are trimmed and nobody has been
    /// notified yet. Returns the timeline line, e.g. `张三(司机) 60%; 北京分公司(分公司) 40%`.
    pub fn set_parties(&mut self, parties: &[Party]) -> Result<String, DomainError> {
        if !matches!(
            self.status(),
            ClaimStatus::Reported | ClaimStatus::Investigating
        ) {
            return Err(DomainError::WrongState("err.liability_locked"));
        }
        if parties.iter().any(|p| {
            p.name.trim().is_empty() || p.role.is_none() || !(1..=WHOLE_BP).contains(&p.share_bp)
        }) {
            return Err(DomainError::Invalid {
                field: "claim.parties",
                reason: "err.party_incomplete",
            });
        }
        self.parties = parties
            .iter()
            .map(|p| Party {
                id: 0,
                staff_id: p.staff_id,
                name: p.name.trim().to_owned(),
                role: p.role,
                share_bp: p.share_bp,
                notified_on: None,
            })
            .collect();
        Ok(self
            .parties
            .iter()
            .map(|p| {
                format!(
                    "{}({}) {}",
                    p.name,
                    p.role.map_or("", PartyRole::as_zh),
                    format_percent(p.share_bp)
                )
            })
            .collect::<Vec<_>>()
            .join("; "))
    }

    /// Checks that a party can be recorded as told on `on`: only once liability is set, and
    /// not on a day still to come.
    pub fn check_notify(&self, on: NaiveDate, now: NaiveDateTime) -> Result<(), DomainError> {
        if matches!(
            self.status(),
            ClaimStatus::Reported | ClaimStatus::Investigating
        ) {
            return Err(DomainError::WrongState("err.notify_before_liability"));
        }
        if on > now.date() {
            return Err(DomainError::Invalid {
                field: "claim.notified_on",
                reason: "err.in_the_future",
            });
        }
        Ok(())
    }

    /// Sets the agreed amount (while investigating or once liability is set) and the paid
    /// amount (once agreed). An amount equal to the current one is no change and needs no
    /// step. Returns the timeline line, or `None` when nothing changed.
    pub fn set_money(
        &mut self,
        agreed: Option<Fen>,
        paid: Option<Fen>,
    ) -> Result<Option<String>, DomainError> {
        for (field, amount) in [("claim.agreed", agreed), ("claim.paid", paid)] {
            if amount.is_some_and(|a| a < 0) {
                return Err(DomainError::Invalid {
                    field,
                    reason: "err.money_negative",
                });
            }
        }
        let agreed = agreed.filter(|&a| self.agreed_fen != Some(a));
        let paid = paid.filter(|&p| self.paid_fen != Some(p));
        if agreed.is_some()
            && !matches!(
                self.status(),
                ClaimStatus::Investigating | ClaimStatus::LiabilitySet
            )
        {
            return Err(DomainError::WrongState("err.agree_step"));
        }
        if paid.is_some() && self.status() != ClaimStatus::Agreed {
            return Err(DomainError::WrongState("err.pay_step"));
        }
        let mut detail = Vec::new();
        if let Some(a) = agreed {
            self.agreed_fen = Some(a);
            detail.push(format!("协商金额 {}", format_fen(a)));
        }
        if let Some(p) = paid {
            self.paid_fen = Some(p);
            detail.push(format!("赔付金额 {}", format_fen(p)));
        }
        Ok((!detail.is_empty()).then(|| detail.join("; ")))
    }

    /// The timeline line of a newly reported claim: the amount claimed.
    pub fn reported_detail(&self) -> String {
        format_fen(self.claimed_fen)
    }
}

/// Checks that a new claim does not repeat one: a call or a complaint becomes at most one claim.
/// `claim_for_call` and `claim_for_complaint` are the claims already reported from the new
/// claim's call and complaint; the error names the existing one.
pub fn check_source_unclaimed(
    claim_for_call: Option<i64>,
    claim_for_complaint: Option<i64>,
) -> Result<(), DomainError> {
    if let Some(id) = claim_for_call {
        return Err(DomainError::AlreadyDone {
            reason: "err.claim_exists_for_call",
            id,
        });
    }
    if let Some(id) = claim_for_complaint {
        return Err(DomainError::AlreadyDone {
            reason: "err.claim_exists_for_complaint",
            id,
        });
    }
    Ok(())
}

/// The timeline line of a party told what it owes: `张三 2026-11-20`.
pub fn notified_detail(party_name: &str, on: NaiveDate) -> String {
    format!("{party_name} {}", on.format("%Y-%m-%d"))
}

/// The insurer's side of a claim.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Insurer {
    /// Insurer's name.
    pub name: String,
    /// Policy number.
    pub policy_no: String,
    /// Insurer's case number.
    pub case_no: String,
    /// Status.
    pub status: Option<InsurerStatus>,
    /// Amount recovered.
    pub recovered_fen: Fen,
}

impl Insurer {
    /// As saved: texts trimmed, no status meaning 未报.
    pub fn normalized(&self) -> Self {
        Self {
            name: self.name.trim().to_owned(),
            policy_no: self.policy_no.trim().to_owned(),
            case_no: self.case_no.trim().to_owned(),
            status: Some(self.status.unwrap_or(InsurerStatus::NotReported)),
            recovered_fen: self.recovered_fen,
        }
    }

    /// The timeline line, from the [normalised](Self::normalized) values.
    pub fn timeline_detail(&self) -> String {
        let i = self.normalized();
        format!(
            "{} {} {} {} 追回 {}",
            i.name,
            i.policy_no,
            i.case_no,
            i.status.map_or("", InsurerStatus::as_zh),
            format_fen(i.recovered_fen)
        )
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
    /// A major accident (重大事故).
    pub major: bool,
    /// Settled directly between a branch, a driver or a loader and the customer.
    pub settled_directly: bool,
}

impl ClaimDraft {
    /// Checks the form and makes the claim (reported at `now`; the store keeps its deadline,
    /// [`SettleRules::deadline`]).
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
            major: self.major,
            settled_directly: self.settled_directly,
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
    fn staff_become_parties_with_the_role_they_stand_for() {
        assert_eq!(PartyRole::of_staff(Role::Driver), Some(PartyRole::Driver));
        assert_eq!(
            PartyRole::of_staff(Role::Warehouse),
            Some(PartyRole::Warehouse)
        );
        assert_eq!(PartyRole::of_staff(Role::ClaimsAdjuster), None);
        assert_eq!(PartyRole::of_staff(Role::ServiceSupervisor), None);
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

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn at(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S").unwrap()
    }

    #[test]
    fn moving_sets_the_status_and_keeps_a_rejection_reason() {
        let mut c = claim();
        assert_eq!(
            c.move_to(ClaimStatus::Investigating, "  开始调查 "),
            Ok("开始调查".to_owned())
        );
        assert_eq!(c.status, Some(ClaimStatus::Investigating));
        assert_eq!(c.reject_reason, "", "only a rejection keeps its reason");
        assert_eq!(
            c.move_to(ClaimStatus::Agreed, ""),
            Err(DomainError::WrongState("err.claim_step"))
        );
        assert_eq!(c.status, Some(ClaimStatus::Investigating), "unchanged");
        assert_eq!(
            c.move_to(ClaimStatus::Rejected, " 超过索赔时效 "),
            Ok("超过索赔时效".to_owned())
        );
        assert_eq!(c.status, Some(ClaimStatus::Rejected));
        assert_eq!(c.reject_reason, "超过索赔时效");
        assert_eq!(
            c.move_to(ClaimStatus::Rejected, "再次"),
            Err(DomainError::WrongState("err.claim_step")),
            "a rejected claim is not rejected again"
        );
    }

    #[test]
    fn rejection_is_possible_until_paid() {
        for status in [
            ClaimStatus::Reported,
            ClaimStatus::Investigating,
            ClaimStatus::LiabilitySet,
            ClaimStatus::Agreed,
        ] {
            let mut c = Claim {
                status: Some(status),
                ..claim()
            };
            assert!(
                c.move_to(ClaimStatus::Rejected, "理由").is_ok(),
                "{status:?}"
            );
        }
        for status in [
            ClaimStatus::Paid,
            ClaimStatus::Closed,
            ClaimStatus::Rejected,
        ] {
            let mut c = Claim {
                status: Some(status),
                ..claim()
            };
            assert_eq!(
                c.move_to(ClaimStatus::Rejected, "理由"),
                Err(DomainError::WrongState("err.claim_step")),
                "{status:?}"
            );
        }
        let mut unknown = Claim {
            status: None,
            ..claim()
        };
        assert_eq!(
            unknown.move_to(ClaimStatus::Investigating, ""),
            Ok(String::new()),
            "an unreadable status counts as 报案"
        );
    }

    #[test]
    fn parties_are_set_before_liability_only() {
        let mut c = claim();
        let mut driver = party(PartyRole::Driver, 6000);
        driver.name = "  张三 ".into();
        driver.id = 9;
        driver.staff_id = Some(4);
        driver.notified_on = Some(day(2026, 11, 1));
        let branch = Party {
            name: "北京分公司".into(),
            role: Some(PartyRole::Branch),
            share_bp: 4000,
            ..Party::default()
        };
        assert_eq!(
            c.set_parties(&[driver, branch]),
            Ok("张三(司机) 60%; 北京分公司(分公司) 40%".to_owned())
        );
        assert_eq!(
            c.parties[0],
            Party {
                id: 0,
                staff_id: Some(4),
                name: "张三".into(),
                role: Some(PartyRole::Driver),
                share_bp: 6000,
                notified_on: None,
            }
        );
        assert_eq!(
            c.set_parties(&[]),
            Ok(String::new()),
            "the split may be cleared"
        );
        assert!(c.parties.is_empty());
        c.status = Some(ClaimStatus::Investigating);
        assert!(c.set_parties(&[party(PartyRole::Carrier, 10_000)]).is_ok());
        for locked in [
            ClaimStatus::LiabilitySet,
            ClaimStatus::Agreed,
            ClaimStatus::Paid,
            ClaimStatus::Closed,
            ClaimStatus::Rejected,
        ] {
            c.status = Some(locked);
            assert_eq!(
                c.set_parties(&[party(PartyRole::Driver, 10_000)]),
                Err(DomainError::WrongState("err.liability_locked")),
                "{locked:?}"
            );
        }
        assert_eq!(c.parties.len(), 1, "unchanged when refused");
    }

    #[test]
    fn every_party_needs_a_name_a_role_and_a_share() {
        let mut c = claim();
        let incomplete = Err(DomainError::Invalid {
            field: "claim.parties",
            reason: "err.party_incomplete",
        });
        assert!(c.set_parties(&[party(PartyRole::Driver, 1)]).is_ok());
        assert!(c.set_parties(&[party(PartyRole::Driver, 10_000)]).is_ok());
        assert_eq!(c.set_parties(&[party(PartyRole::Driver, 0)]), incomplete);
        assert_eq!(
            c.set_parties(&[party(PartyRole::Driver, 10_001)]),
            incomplete
        );
        assert_eq!(c.set_parties(&[party(PartyRole::Driver, -1)]), incomplete);
        let mut nameless = party(PartyRole::Driver, 5000);
        nameless.name = "  ".into();
        assert_eq!(
            c.set_parties(&[party(PartyRole::Loader, 5000), nameless]),
            incomplete
        );
        let roleless = Party {
            role: None,
            ..party(PartyRole::Driver, 5000)
        };
        assert_eq!(c.set_parties(&[roleless]), incomplete);
        assert_eq!(c.parties, vec![party(PartyRole::Driver, 10_000)]);
    }

    #[test]
    fn parties_are_told_once_liability_is_set_and_not_in_the_future() {
        let now = at("2026-11-23 09:00:00");
        let mut c = claim();
        for early in [ClaimStatus::Reported, ClaimStatus::Investigating] {
            c.status = Some(early);
            assert_eq!(
                c.check_notify(day(2026, 11, 22), now),
                Err(DomainError::WrongState("err.notify_before_liability"))
            );
        }
        c.status = Some(ClaimStatus::LiabilitySet);
        assert_eq!(c.check_notify(day(2026, 11, 23), now), Ok(()));
        assert_eq!(
            c.check_notify(day(2026, 11, 24), now),
            Err(DomainError::Invalid {
                field: "claim.notified_on",
                reason: "err.in_the_future"
            })
        );
        c.status = Some(ClaimStatus::Closed);
        assert_eq!(c.check_notify(day(2026, 1, 1), now), Ok(()));
        assert_eq!(notified_detail("张三", day(2026, 11, 2)), "张三 2026-11-02");
    }

    #[test]
    fn money_follows_the_steps() {
        let mut c = claim();
        assert_eq!(
            c.set_money(Some(100_000), None),
            Err(DomainError::WrongState("err.agree_step")),
            "nothing is agreed before investigating"
        );
        assert_eq!(c.set_money(None, None), Ok(None));
        c.status = Some(ClaimStatus::Investigating);
        assert_eq!(
            c.set_money(Some(-1), None),
            Err(DomainError::Invalid {
                field: "claim.agreed",
                reason: "err.money_negative"
            }),
            "a negative amount is refused by the rule, not only by the schema"
        );
        assert_eq!(
            c.set_money(Some(100_000), None),
            Ok(Some("协商金额 ¥1,000.00".to_owned()))
        );
        assert_eq!(c.agreed_fen, Some(100_000));
        assert_eq!(
            c.set_money(Some(100_000), None),
            Ok(None),
            "the same amount is no change"
        );
        assert_eq!(
            c.set_money(None, Some(100_000)),
            Err(DomainError::WrongState("err.pay_step"))
        );
        c.status = Some(ClaimStatus::LiabilitySet);
        assert_eq!(
            c.set_money(Some(90_000), None),
            Ok(Some("协商金额 ¥900.00".to_owned()))
        );
        c.status = Some(ClaimStatus::Agreed);
        assert_eq!(
            c.set_money(Some(80_000), Some(80_000)),
            Err(DomainError::WrongState("err.agree_step")),
            "the agreed amount is fixed once agreed"
        );
        assert_eq!(c.agreed_fen, Some(90_000));
        assert_eq!(c.paid_fen, None, "nothing changes when refused");
        assert_eq!(
            c.set_money(Some(90_000), Some(90_000)),
            Ok(Some("赔付金额 ¥900.00".to_owned()))
        );
        assert_eq!(c.paid_fen, Some(90_000));
        c.status = Some(ClaimStatus::Paid);
        assert_eq!(c.set_money(Some(90_000), Some(90_000)), Ok(None));
        assert_eq!(
            c.set_money(None, Some(1)),
            Err(DomainError::WrongState("err.pay_step"))
        );
    }

    #[test]
    fn agreeing_and_paying_in_one_go() {
        let mut c = Claim {
            status: Some(ClaimStatus::LiabilitySet),
            ..claim()
        };
        assert_eq!(
            c.set_money(Some(5_000), Some(5_000)),
            Err(DomainError::WrongState("err.pay_step"))
        );
        assert_eq!(c.agreed_fen, None, "nothing changes when refused");
        c.status = Some(ClaimStatus::Agreed);
        assert_eq!(
            c.set_money(None, Some(12_345)),
            Ok(Some("赔付金额 ¥123.45".to_owned()))
        );
        c.agreed_fen = Some(1);
        c.status = Some(ClaimStatus::Investigating);
        assert_eq!(
            c.set_money(Some(2), Some(12_345)),
            Ok(Some("协商金额 ¥0.02".to_owned())),
            "a paid amount equal to the current one needs no step"
        );
    }

    #[test]
    fn a_call_or_complaint_becomes_one_claim() {
        assert_eq!(check_source_unclaimed(None, None), Ok(()));
        assert_eq!(
            check_source_unclaimed(Some(7), Some(8)),
            Err(DomainError::AlreadyDone {
                reason: "err.claim_exists_for_call",
                id: 7
            })
        );
        assert_eq!(
            check_source_unclaimed(None, Some(8)),
            Err(DomainError::AlreadyDone {
                reason: "err.claim_exists_for_complaint",
                id: 8
            })
        );
        assert_eq!(claim().reported_detail(), "¥1,500.00");
    }

    #[test]
    fn insurer_is_trimmed_and_defaults_to_not_reported() {
        let typed = Insurer {
            name: " 平安财险 ".into(),
            policy_no: " P-1 ".into(),
            case_no: String::new(),
            status: None,
            recovered_fen: 50_000,
        };
        assert_eq!(
            typed.normalized(),
            Insurer {
                name: "平安财险".into(),
                policy_no: "P-1".into(),
                case_no: String::new(),
                status: Some(InsurerStatus::NotReported),
                recovered_fen: 50_000,
            }
        );
        assert_eq!(typed.timeline_detail(), "平安财险 P-1  未报 追回 ¥500.00");
        let paid = Insurer {
            status: Some(InsurerStatus::Paid),
            ..typed
        };
        assert_eq!(paid.normalized().status, Some(InsurerStatus::Paid));
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

    #[test]
    fn the_settlement_clock_turns_amber_then_red_and_stops_when_paid() {
        let rules = SettleRules::default();
        let reported = NaiveDate::from_ymd_opt(2026, 11, 2)
            .unwrap()
            .and_hms_opt(10, 0, 0)
            .unwrap();
        let mut c = Claim {
            reported_at: reported,
            ..claim()
        };
        let day = |d: u32| NaiveDate::from_ymd_opt(2026, 12, d).unwrap();
        // Reported before deadlines were kept: 30 days from the report day.
        assert_eq!(c.settle_by(&rules), day(2));
        assert_eq!(
            c.settle_clock(NaiveDate::from_ymd_opt(2026, 11, 28).unwrap(), &rules),
            SettleClock::Running { days_left: 4 }
        );
        assert_eq!(
            c.settle_clock(NaiveDate::from_ymd_opt(2026, 11, 29).unwrap(), &rules),
            SettleClock::Warning { days_left: 3 }
        );
        assert_eq!(
            c.settle_clock(day(2), &rules),
            SettleClock::Warning { days_left: 0 }
        );
        assert_eq!(
            c.settle_clock(day(4), &rules),
            SettleClock::Overdue { days_over: 2 }
        );
        // A deadline kept with the claim wins over the settings.
        c.settle_by = Some(day(10));
        assert_eq!(
            c.settle_clock(day(4), &rules),
            SettleClock::Running { days_left: 6 }
        );
        for done in [
            ClaimStatus::Paid,
            ClaimStatus::Closed,
            ClaimStatus::Rejected,
        ] {
            c.status = Some(done);
            assert_eq!(c.settle_clock(day(20), &rules), SettleClock::Done);
        }
        c.status = Some(ClaimStatus::Agreed);
        assert!(c.settle_clock(day(20), &rules) != SettleClock::Done);
        assert!(
            SettleRules {
                days: 0,
                warn_days: 3
            }
            .validate()
            .is_err()
        );
        assert!(
            SettleRules {
                days: 30,
                warn_days: 31
            }
            .validate()
            .is_err()
        );
        assert!(rules.validate().is_ok());
    }
}
