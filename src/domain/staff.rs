//! Staff members and their roles.

use serde::{Deserialize, Serialize};

/// A role in the customer-service centre (SPEC P and the service regulations).
///
/// The variants are declared in the order they are offered ([`Role::ALL`]): the front-desk roles
/// first, then the other departments a visitor or a matter is handed over to, the supervisors
/// last. Pickers that list colleagues sort by role in that order (`Ord`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Role {
    /// 客服代表
    ServiceRep,
    /// 查询员: answers tracking and general enquiries.
    EnquiryClerk,
    /// 开票员: issues waybills and invoices.
    InvoicingClerk,
    /// 结算员: settles freight charges and accounts.
    SettlementClerk,
    /// 兑付员: pays out collected-on-delivery money.
    PayoutClerk,
    /// 理赔员: handles damage and loss claims.
    ClaimsAdjuster,
    /// 业务员
    Salesperson,
    /// 大客户项目主管 (a key-account manager, not a supervisor of the centre).
    KeyAccountManager,
    /// 司机
    Driver,
    /// 操作员
    Operator,
    /// 仓管员
    Warehouse,
    /// 主管
    Supervisor,
    /// 监察主管: runs the conduct spot checks.
    InspectionSupervisor,
    /// 客服主管: heads the customer-service centre.
    ServiceSupervisor,
}

impl Role {
    /// Every role, in the order they are offered (front-desk roles first, supervisors last).
    pub const ALL: [Self; 14] = [
        Self::ServiceRep,
        Self::EnquiryClerk,
        Self::InvoicingClerk,
        Self::SettlementClerk,
        Self::PayoutClerk,
        Self::ClaimsAdjuster,
        Self::Salesperson,
        Self::KeyAccountManager,
        Self::Driver,
        Self::Operator,
        Self::Warehouse,
        Self::Supervisor,
        Self::InspectionSupervisor,
        Self::ServiceSupervisor,
    ];

    /// The stable code stored in the database (the column is plain text, so a new role needs
    /// no migration; a code this program does not know reads as [`Role::ServiceRep`]).
    pub fn code(self) -> &'static str {
        match self {
            Self::ServiceRep => "service_rep",
            Self::EnquiryClerk => "enquiry_clerk",
            Self::InvoicingClerk => "invoicing_clerk",
            Self::SettlementClerk => "settlement_clerk",
            Self::PayoutClerk => "payout_clerk",
            Self::ClaimsAdjuster => "claims_adjuster",
            Self::Salesperson => "salesperson",
            Self::KeyAccountManager => "key_account_manager",
            Self::Driver => "driver",
            Self::Operator => "operator",
            Self::Warehouse => "warehouse",
            Self::Supervisor => "supervisor",
            Self::InspectionSupervisor => "inspection_supervisor",
            Self::ServiceSupervisor => "service_supervisor",
        }
    }

    /// Parses a stored code.
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.code() == code)
    }

    /// The translation key of the role's name.
    pub fn label_key(self) -> &'static str {
        match self {
            Self::ServiceRep => "role.service_rep",
            Self::EnquiryClerk => "role.enquiry_clerk",
            Self::InvoicingClerk => "role.invoicing_clerk",
            Self::SettlementClerk => "role.settlement_clerk",
            Self::PayoutClerk => "role.payout_clerk",
            Self::ClaimsAdjuster => "role.claims_adjuster",
            Self::Salesperson => "role.salesperson",
            Self::KeyAccountManager => "role.key_account_manager",
            Self::Driver => "role.driver",
            Self::Operator => "role.operator",
            Self::Warehouse => "role.warehouse",
            Self::Supervisor => "role.supervisor",
            Self::InspectionSupervisor => "role.inspection_supervisor",
            Self::ServiceSupervisor => "role.service_supervisor",
        }
    }

    /// Whether the role supervises the centre (主管, 监察主管, 客服主管): supervisors check
    /// the others' conduct and are not themselves the staff a spot check picks.
    pub fn is_supervisor(self) -> bool {
        match self {
            Self::Supervisor | Self::InspectionSupervisor | Self::ServiceSupervisor => true,
            Self::ServiceRep
            | Self::EnquiryClerk
            | Self::InvoicingClerk
            | Self::SettlementClerk
            | Self::PayoutClerk
            | Self::ClaimsAdjuster
            | Self::Salesperson
            | Self::KeyAccountManager
            | Self::Driver
            | Self::Operator
            | Self::Warehouse => false,
        }
    }
}

/// The staff `staff` as pickers offer them: by role in the order of [`Role::ALL`], and in the
/// order given (the store's: by name) within a role.
pub fn by_role<'a>(staff: impl IntoIterator<Item = &'a Staff>) -> Vec<&'a Staff> {
    let mut list: Vec<&Staff> = staff.into_iter().collect();
    list.sort_by_key(|s| s.role);
    list
}

/// A staff member.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Staff {
    /// Database id.
    pub id: i64,
    /// Full name as shown everywhere a person is named.
    pub name: String,
    /// Role.
    pub role: Role,
    /// Deactivated staff stay in the records but are no longer offered.
    pub active: bool,
}

/// Checks a staff member's name.
pub fn validate_staff_name(name: &str) -> Result<String, super::DomainError> {
    let name = name.trim();
    if name.is_empty() {
        return Err(super::DomainError::Invalid {
            field: "field.staff_name",
            reason: "err.required",
        });
    }
    if name.chars().count() > 30 {
        return Err(super::DomainError::Invalid {
            field: "field.staff_name",
            reason: "err.too_long",
        });
    }
    Ok(name.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn role_codes_round_trip() {
        for role in Role::ALL {
            assert_eq!(Role::from_code(role.code()), Some(role));
        }
        assert_eq!(Role::from_code("boss"), None);
    }

    #[test]
    fn roles_are_offered_in_their_sort_order_with_supervisors_last() {
        assert!(Role::ALL.windows(2).all(|w| w[0] < w[1]), "ALL follows Ord");
        let codes: std::collections::HashSet<_> = Role::ALL.iter().map(|r| r.code()).collect();
        assert_eq!(codes.len(), Role::ALL.len(), "codes are unique");
        let supervisors: Vec<Role> = Role::ALL
            .into_iter()
            .filter(|r| r.is_supervisor())
            .collect();
        assert_eq!(
            supervisors,
            [
                Role::Supervisor,
                Role::InspectionSupervisor,
                Role::ServiceSupervisor
            ]
        );
        assert!(Role::ALL.ends_with(&supervisors), "supervisors come last");
        assert!(!Role::KeyAccountManager.is_supervisor());
        assert!(!Role::ClaimsAdjuster.is_supervisor());
    }

    #[test]
    fn every_role_is_named_in_both_languages() {
        use crate::i18n::{Lang, set_lang, translated};
        let expected = [
            (Role::EnquiryClerk, "查询员", "Enquiry clerk"),
            (Role::InvoicingClerk, "开票员", "Invoicing clerk"),
            (Role::SettlementClerk, "结算员", "Settlement clerk"),
            (Role::PayoutClerk, "兑付员", "Payout clerk"),
            (Role::ClaimsAdjuster, "理赔员", "Claims adjuster"),
            (
                Role::InspectionSupervisor,
                "监察主管",
                "Inspection supervisor",
            ),
            (
                Role::ServiceSupervisor,
                "客服主管",
                "Customer-service supervisor",
            ),
            (Role::Supervisor, "主管", "Supervisor"),
        ];
        for lang in Lang::ALL {
            set_lang(lang);
            let mut names = std::collections::HashSet::new();
            for role in Role::ALL {
                let name = translated(role.label_key())
                    .unwrap_or_else(|| panic!("{role:?} has no {lang:?} name"));
                assert!(
                    names.insert(name),
                    "two roles are called {name} in {lang:?}"
                );
            }
            for (role, zh, en) in expected {
                let want = if lang == Lang::En { en } else { zh };
                assert_eq!(translated(role.label_key()), Some(want));
            }
        }
        set_lang(Lang::ZhCn);
    }

    #[test]
    fn pickers_list_staff_by_role_keeping_the_order_within_a_role() {
        let s = |id, role| Staff {
            id,
            name: format!("s{id}"),
            role,
            active: true,
        };
        let staff = [
            s(1, Role::ServiceSupervisor),
            s(2, Role::Salesperson),
            s(3, Role::ServiceRep),
            s(4, Role::ClaimsAdjuster),
            s(5, Role::Salesperson),
            s(6, Role::ServiceRep),
        ];
        let ids: Vec<i64> = by_role(&staff).iter().map(|s| s.id).collect();
        assert_eq!(ids, [3, 6, 4, 2, 5, 1]);
    }

    #[test]
    fn staff_name_rules() {
        assert_eq!(validate_staff_name("  李娜 ").unwrap(), "李娜");
        assert!(validate_staff_name(" ").is_err());
        assert!(validate_staff_name(&"长".repeat(31)).is_err());
    }
}
