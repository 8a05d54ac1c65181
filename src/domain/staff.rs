//! Staff members and their roles.

use serde::{Deserialize, Serialize};

/// A role in the customer-service centre (SPEC P).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Role {
    /// 客服代表
    ServiceRep,
    /// 业务员
    Salesperson,
    /// 大客户项目主管
    KeyAccountManager,
    /// 司机
    Driver,
    /// 操作员
    Operator,
    /// 仓管员
    Warehouse,
    /// 主管
    Supervisor,
}

impl Role {
    /// Every role, in the order they are offered.
    pub const ALL: [Self; 7] = [
        Self::ServiceRep,
        Self::Salesperson,
        Self::KeyAccountManager,
        Self::Driver,
        Self::Operator,
        Self::Warehouse,
        Self::Supervisor,
    ];

    /// The stable code stored in the database.
    pub fn code(self) -> &'static str {
        match self {
            Self::ServiceRep => "service_rep",
            Self::Salesperson => "salesperson",
            Self::KeyAccountManager => "key_account_manager",
            Self::Driver => "driver",
            Self::Operator => "operator",
            Self::Warehouse => "warehouse",
            Self::Supervisor => "supervisor",
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
            Self::Salesperson => "role.salesperson",
            Self::KeyAccountManager => "role.key_account_manager",
            Self::Driver => "role.driver",
            Self::Operator => "role.operator",
            Self::Warehouse => "role.warehouse",
            Self::Supervisor => "role.supervisor",
        }
    }
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
    fn staff_name_rules() {
        assert_eq!(validate_staff_name("  李娜 ").unwrap(), "李娜");
        assert!(validate_staff_name(" ").is_err());
        assert!(validate_staff_name(&"长".repeat(31)).is_err());
    }
}
