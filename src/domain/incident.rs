//! 突发事件: the on-site incident log. Staff and supervisors record what happened at the counter
//! (a dispute with a customer, an accident, a system outage, anything else), when, and how it was
//! handled. An incident stays open until it is resolved with the handling; for a system outage
//! the record must say whether the waiting customers were told (客户已告知) before it can be
//! closed.

use chrono::{Duration, NaiveDateTime};

use super::DomainError;
use super::validation::{NOTES_MAX, multi_line, required_text};

/// The kind of an incident.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum IncidentKind {
    /// 客户纠纷.
    Dispute,
    /// 柜台意外事故.
    Accident,
    /// 系统故障.
    Outage,
    /// 其他.
    Other,
}

impl IncidentKind {
    /// Every kind, in display order.
    pub const ALL: [Self; 4] = [Self::Dispute, Self::Accident, Self::Outage, Self::Other];

    /// How the kind is stored (`incidents.kind`).
    pub fn as_db(self) -> &'static str {
        match self {
            Self::Dispute => "dispute",
            Self::Accident => "accident",
            Self::Outage => "outage",
            Self::Other => "other",
        }
    }

    /// Parses the stored word.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_db() == s)
    }

    /// Translation key of the label.
    pub fn label_key(self) -> &'static str {
        match self {
            Self::Dispute => "incident.kind_dispute",
            Self::Accident => "incident.kind_accident",
            Self::Outage => "incident.kind_outage",
            Self::Other => "incident.kind_other",
        }
    }
}

/// How far ahead of `now` an incident's time may lie (a clock a little behind another desk's).
pub const FUTURE_SLACK_MINUTES: i64 = 5;

/// An incident as the form types it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct IncidentDraft {
    /// The kind (required).
    pub kind: Option<IncidentKind>,
    /// When it happened; `None` is now.
    pub at: Option<NaiveDateTime>,
    /// What happened (required).
    pub description: String,
    /// For an outage: whether the waiting customers were told (may be answered later, before
    /// the incident is closed).
    pub customers_informed: Option<bool>,
    /// How it was handled so far (optional when recording).
    pub handling: String,
}

/// A draft as recorded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CheckedIncident {
    /// The kind.
    pub kind: IncidentKind,
    /// When it happened.
    pub at: NaiveDateTime,
    /// What happened.
    pub description: String,
    /// Whether the waiting customers were told (outages only; `None` for the other kinds).
    pub customers_informed: Option<bool>,
    /// How it was handled so far.
    pub handling: String,
}

impl IncidentDraft {
    /// The draft as recorded at `now`: a kind and a description are required, the time may not
    /// lie in the future, and only an outage keeps the "customers informed" answer.
    pub fn checked(&self, now: NaiveDateTime) -> Result<CheckedIncident, DomainError> {
        let Some(kind) = self.kind else {
            return Err(DomainError::Invalid {
                field: "incident.kind",
                reason: "err.required",
            });
        };
        let at = self.at.unwrap_or(now);
        if at > now + Duration::minutes(FUTURE_SLACK_MINUTES) {
            return Err(DomainError::Invalid {
                field: "incident.at",
                reason: "incident.err_future",
            });
        }
        Ok(CheckedIncident {
            kind,
            at,
            description: required_text("incident.description", &self.description, NOTES_MAX)?,
            customers_informed: self
                .customers_informed
                .filter(|_| kind == IncidentKind::Outage),
            handling: multi_line("incident.handling", &self.handling, NOTES_MAX)?,
        })
    }
}

/// A recorded incident.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Incident {
    /// Id.
    pub id: i64,
    /// When it happened.
    pub at: NaiveDateTime,
    /// The kind.
    pub kind: IncidentKind,
    /// What happened.
    pub description: String,
    /// Whether the waiting customers were told (outages).
    pub customers_informed: Option<bool>,
    /// How it was handled.
    pub handling: String,
    /// When it was resolved; `None` while open.
    pub resolved_at: Option<NaiveDateTime>,
    /// Who recorded it.
    pub recorded_by: Option<i64>,
    /// The desk it was recorded at.
    pub desk: Option<String>,
}

impl Incident {
    /// Whether it still waits to be resolved.
    pub fn is_open(&self) -> bool {
        self.resolved_at.is_none()
    }

    /// The handling and the "customers informed" answer as the incident is closed with them:
    /// the handling is required, and an outage must say whether the waiting customers were told
    /// (the answer given now, or the one recorded before). Returns the answer to store.
    pub fn resolution(
        &self,
        handling: &str,
        customers_informed: Option<bool>,
    ) -> Result<(String, Option<bool>), DomainError> {
        if !self.is_open() {
            return Err(DomainError::WrongState("incident.err_resolved"));
        }
        let handling = required_text("incident.handling", handling, NOTES_MAX)?;
        if self.kind != IncidentKind::Outage {
            return Ok((handling, None));
        }
        match customers_informed.or(self.customers_informed) {
            Some(informed) => Ok((handling, Some(informed))),
            None => Err(DomainError::Invalid {
                field: "incident.customers_informed",
                reason: "incident.err_informed",
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").expect("time")
    }

    #[test]
    fn a_draft_needs_a_kind_and_a_description_and_no_future_time() {
        let now = at("2026-11-20 10:00");
        let mut d = IncidentDraft {
            description: "  打印机卡纸  ".into(),
            ..IncidentDraft::default()
        };
        assert!(matches!(
            d.checked(now),
            Err(DomainError::Invalid {
                field: "incident.kind",
                ..
            })
        ));
        d.kind = Some(IncidentKind::Other);
        d.customers_informed = Some(true);
        let c = d.checked(now).expect("checked");
        assert_eq!(c.at, now);
        assert_eq!(c.description, "打印机卡纸");
        assert_eq!(c.customers_informed, None, "only outages keep the answer");
        d.at = Some(at("2026-11-20 11:00"));
        assert!(d.checked(now).is_err(), "in the future");
        d.description = " ".into();
        d.at = None;
        assert!(d.checked(now).is_err(), "no description");
    }

    #[test]
    fn an_outage_closes_only_when_the_customers_question_is_answered() {
        let outage = Incident {
            id: 1,
            at: at("2026-11-20 09:00"),
            kind: IncidentKind::Outage,
            description: "系统无法登录".into(),
            customers_informed: None,
            handling: String::new(),
            resolved_at: None,
            recorded_by: None,
            desk: None,
        };
        assert!(matches!(
            outage.resolution("重启服务器", None),
            Err(DomainError::Invalid {
                field: "incident.customers_informed",
                ..
            })
        ));
        assert_eq!(
            outage.resolution("重启服务器", Some(false)).expect("ok"),
            ("重启服务器".to_owned(), Some(false))
        );
        assert!(outage.resolution(" ", Some(true)).is_err(), "no handling");
        let answered = Incident {
            customers_informed: Some(true),
            ..outage.clone()
        };
        assert_eq!(
            answered.resolution("已恢复", None).expect("ok").1,
            Some(true)
        );
        let closed = Incident {
            resolved_at: Some(at("2026-11-20 10:00")),
            ..answered
        };
        assert!(closed.resolution("再次", None).is_err());
        let dispute = Incident {
            kind: IncidentKind::Dispute,
            ..outage
        };
        assert_eq!(dispute.resolution("已道歉", None).expect("ok").1, None);
    }
}
