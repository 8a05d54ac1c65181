//! Service phone calls and callbacks (电话记录、回访).
//!
//! Answer within two rings; after five rings apologise first ("让您久等了").

use chrono::{NaiveDate, NaiveDateTime};

use super::DomainError;
use super::complaint::Satisfaction;

/// What the call was about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Category {
    /// 咨询
    Enquiry,
    /// 查询 (tracking)
    Tracking,
    /// 投诉
    Complaint,
    /// 理赔
    Claim,
    /// 其他
    Other,
}

impl Category {
    /// Every category in order.
    pub const ALL: [Self; 5] = [
        Self::Enquiry,
        Self::Tracking,
        Self::Complaint,
        Self::Claim,
        Self::Other,
    ];

    /// The stored Chinese word.
    pub fn as_zh(self) -> &'static str {
        match self {
            Self::Enquiry => "咨询",
            Self::Tracking => "查询",
            Self::Complaint => "投诉",
            Self::Claim => "理赔",
            Self::Other => "其他",
        }
    }

    /// Parses the stored word.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_zh() == s.trim())
    }

    /// Translation key of the label.
    pub fn label_key(self) -> &'static str {
        match self {
            Self::Enquiry => "call.cat_enquiry",
            Self::Tracking => "call.cat_tracking",
            Self::Complaint => "call.cat_complaint",
            Self::Claim => "call.cat_claim",
            Self::Other => "call.cat_other",
        }
    }
}

/// How promptly the phone was answered.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Answering {
    /// 1–2 rings.
    OnTime,
    /// 3–5 rings.
    Late,
    /// More than 5 rings: apologise first.
    Apology,
}

impl Answering {
    /// From the number of rings.
    pub fn of(rings: i64) -> Self {
        match rings {
            ..=2 => Self::OnTime,
            3..=5 => Self::Late,
            _ => Self::Apology,
        }
    }

    /// Translation key of the label.
    pub fn label_key(self) -> &'static str {
        match self {
            Self::OnTime => "call.answer_on_time",
            Self::Late => "call.answer_late",
            Self::Apology => "call.answer_apology",
        }
    }
}

/// What came of the call.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Outcome {
    /// 已解答
    Answered,
    /// 待跟进
    FollowUp,
    /// 已转投诉/理赔
    Converted,
    /// 其他
    Other,
}

impl Outcome {
    /// Every outcome in order.
    pub const ALL: [Self; 4] = [Self::Answered, Self::FollowUp, Self::Converted, Self::Other];

    /// Stored word.
    pub fn as_zh(self) -> &'static str {
        match self {
            Self::Answered => "已解答",
            Self::FollowUp => "待跟进",
            Self::Converted => "已转投诉",
            Self::Other => "其他",
        }
    }

    /// Parses the stored word.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_zh() == s.trim())
    }

    /// Translation key of the label.
    pub fn label_key(self) -> &'static str {
        match self {
            Self::Answered => "call.outcome_answered",
            Self::FollowUp => "call.outcome_follow_up",
            Self::Converted => "call.outcome_converted",
            Self::Other => "call.outcome_other",
        }
    }
}

/// A logged call.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Call {
    /// Database id.
    pub id: i64,
    /// When the call came in.
    pub at: NaiveDateTime,
    /// Rings before answering.
    pub rings: i64,
    /// Whether the apology was said (asked only after more than 5 rings).
    pub apology_said: Option<bool>,
    /// Caller's name.
    pub caller_name: String,
    /// Phone.
    pub phone: String,
    /// Where the caller is from.
    pub region: String,
    /// Category.
    pub category: Option<Category>,
    /// What was asked.
    pub content: String,
    /// The answer given.
    pub answer: String,
    /// Key details repeated back.
    pub repeated_back: bool,
    /// Outcome.
    pub outcome: Option<Outcome>,
    /// Needs a superior.
    pub escalated: bool,
    /// Who took the call.
    pub staff_id: Option<i64>,
    /// The archived customer, if recognised.
    pub customer_id: Option<i64>,
    /// The complaint made from this call.
    pub complaint_id: Option<i64>,
    /// The colleague the call was passed to (电话 12).
    pub transferred_to: Option<i64>,
    /// What was passed on with it: the caller's name and the matter.
    pub transfer_note: String,
}

impl Call {
    /// What came of the call (已解答 when not recorded).
    pub fn outcome(&self) -> Outcome {
        self.outcome.unwrap_or(Outcome::Answered)
    }

    /// Whether the call is a case its answerer follows up to the end (首问负责制): escalated to
    /// a superior, or left to follow up (待跟进). Such a call can be handed to a colleague or a
    /// department like a complaint or a claim.
    pub fn is_case(&self) -> bool {
        self.escalated || self.outcome == Some(Outcome::FollowUp)
    }

    /// The line the supervisors' inbox shows for an escalated call: the category, the caller
    /// (by name, else by phone) and what was asked, e.g. `投诉 王先生: 货物破损`.
    pub fn inbox_summary(&self) -> String {
        let who = if self.caller_name.is_empty() {
            &self.phone
        } else {
            &self.caller_name
        };
        format!(
            "{} {}: {}",
            self.category.map_or("", Category::as_zh),
            who,
            self.content
        )
    }
}

/// A call as typed into the form.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CallDraft {
    /// When the call came in, `YYYY-MM-DD HH:MM`; empty means now (logged during the call).
    pub at: String,
    /// Rings as typed.
    pub rings: String,
    /// Apology said (after > 5 rings).
    pub apology_said: bool,
    /// Caller's name.
    pub caller_name: String,
    /// Phone.
    pub phone: String,
    /// Region.
    pub region: String,
    /// Category.
    pub category: Option<Category>,
    /// What was asked.
    pub content: String,
    /// The answer given.
    pub answer: String,
    /// Key details repeated back.
    pub repeated_back: bool,
    /// Outcome.
    pub outcome: Option<Outcome>,
    /// Needs a superior.
    pub escalated: bool,
    /// The archived customer picked from suggestions.
    pub customer_id: Option<i64>,
    /// The colleague the call was passed to.
    pub transferred_to: Option<i64>,
    /// What was told to the colleague (告知对方姓名、大概事项).
    pub transfer_note: String,
}

impl CallDraft {
    /// Checks the form and makes the call record; `now` is the call time unless one was typed
    /// (a call logged afterwards), which may not lie in the future.
    pub fn validate(&self, now: NaiveDateTime, staff_id: Option<i64>) -> Result<Call, DomainError> {
        let at = match self.at.trim() {
            "" => now,
            typed => {
                let parsed =
                    NaiveDateTime::parse_from_str(&format!("{typed}:00"), super::TIMESTAMP_FORMAT)
                        .map_err(|_| DomainError::Invalid {
                            field: "call.at",
                            reason: "err.time_format",
                        })?;
                if parsed > now {
                    return Err(DomainError::Invalid {
                        field: "call.at",
                        reason: "err.in_the_future",
                    });
                }
                parsed
            }
        };
        let rings = match self.rings.trim().parse::<i64>() {
            Ok(n) if (1..=99).contains(&n) => n,
            _ => {
                return Err(DomainError::Invalid {
                    field: "call.rings",
                    reason: "err.rings",
                });
            }
        };
        let Some(category) = self.category else {
            return Err(DomainError::Invalid {
                field: "call.category",
                reason: "err.required",
            });
        };
        use super::validation::{NAME_MAX, NOTES_MAX, REGION_MAX, multi_line, single_line};
        let content = super::validation::required_text("call.content", &self.content, NOTES_MAX)?;
        let caller_name = single_line("calls.caller", &self.caller_name, NAME_MAX)?;
        let region = single_line("field.region", &self.region, REGION_MAX)?;
        let answer = multi_line("calls.answer", &self.answer, NOTES_MAX)?;
        let phone = super::customer::normalize_phone(&self.phone)?;
        let transfer_note = multi_line("calls.transfer_note", &self.transfer_note, NOTES_MAX)?;
        if self.transferred_to.is_some() && transfer_note.is_empty() {
            return Err(DomainError::Invalid {
                field: "calls.transfer_note",
                reason: "err.transfer_note_needed",
            });
        }
        Ok(Call {
            id: 0,
            at,
            rings,
            apology_said: (Answering::of(rings) == Answering::Apology).then_some(self.apology_said),
            caller_name,
            phone,
            region,
            category: Some(category),
            content,
            answer,
            repeated_back: self.repeated_back,
            outcome: Some(self.outcome.unwrap_or(Outcome::Answered)),
            escalated: self.escalated,
            staff_id,
            customer_id: self.customer_id,
            complaint_id: None,
            transferred_to: self.transferred_to,
            transfer_note: if self.transferred_to.is_some() {
                transfer_note
            } else {
                String::new()
            },
        })
    }
}

/// A scheduled callback (回访).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Callback {
    /// Database id.
    pub id: i64,
    /// Due date.
    pub due: NaiveDate,
    /// Who to call.
    pub name: String,
    /// Their phone.
    pub phone: String,
    /// What to ask about.
    pub purpose: String,
    /// The call it follows up.
    pub call_id: Option<i64>,
    /// The complaint it follows up.
    pub complaint_id: Option<i64>,
    /// The customer.
    pub customer_id: Option<i64>,
    /// When it was done.
    pub done_at: Option<NaiveDateTime>,
    /// Who did it.
    pub done_by: Option<i64>,
    /// Product/service quality as the customer judged it.
    pub quality: Option<Satisfaction>,
    /// How the customer uses the service.
    pub usage: String,
    /// Overall satisfaction.
    pub satisfaction: Option<Satisfaction>,
    /// Notes.
    pub notes: String,
}

/// What a callback found out (回访结果).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CallbackResult {
    /// Product/service quality as the customer judged it.
    pub quality: Option<Satisfaction>,
    /// How the customer uses the service.
    pub usage: String,
    /// Overall satisfaction (required).
    pub satisfaction: Option<Satisfaction>,
    /// Notes.
    pub notes: String,
    /// The customer's feedback on the staff serving them (征求大客户对客服人员的意见); optional,
    /// asked of key accounts.
    pub staff_feedback: String,
}

impl CallbackResult {
    /// The result as recorded: the overall satisfaction is required; usage and notes trimmed.
    pub fn checked(&self) -> Result<Self, DomainError> {
        if self.satisfaction.is_none() {
            return Err(DomainError::Invalid {
                field: "callback.satisfaction",
                reason: "err.required",
            });
        }
        Ok(Self {
            usage: self.usage.trim().to_owned(),
            notes: self.notes.trim().to_owned(),
            staff_feedback: super::validation::multi_line(
                "callback.staff_feedback",
                &self.staff_feedback,
                super::validation::NOTES_MAX,
            )?,
            ..self.clone()
        })
    }
}

/// Where a callback stands on a day.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CallbackState {
    /// Due later.
    Upcoming,
    /// Due today.
    DueToday,
    /// Past its due date and not done.
    Overdue,
    /// Done.
    Done,
}

impl Callback {
    /// The callback as scheduled at `now`: due today or later, with someone to call (a name or
    /// a phone); name, phone and purpose trimmed.
    pub fn scheduled(&self, now: NaiveDateTime) -> Result<Self, DomainError> {
        if self.due < now.date() {
            return Err(DomainError::Invalid {
                field: "callback.due",
                reason: "err.in_the_past",
            });
        }
        if self.name.trim().is_empty() && self.phone.trim().is_empty() {
            return Err(DomainError::Invalid {
                field: "callback.who",
                reason: "err.required",
            });
        }
        Ok(Self {
            name: self.name.trim().to_owned(),
            phone: self.phone.trim().to_owned(),
            purpose: self.purpose.trim().to_owned(),
            ..self.clone()
        })
    }

    /// State on `today`.
    pub fn state(&self, today: NaiveDate) -> CallbackState {
        if self.done_at.is_some() {
            CallbackState::Done
        } else if self.due < today {
            CallbackState::Overdue
        } else if self.due == today {
            CallbackState::DueToday
        } else {
            CallbackState::Upcoming
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at() -> NaiveDateTime {
        NaiveDateTime::parse_from_str("2026-11-23 09:00:00", "%Y-%m-%d %H:%M:%S").unwrap()
    }

    #[test]
    fn rings_decide_the_answering_class() {
        assert_eq!(Answering::of(1), Answering::OnTime);
        assert_eq!(Answering::of(2), Answering::OnTime);
        assert_eq!(Answering::of(3), Answering::Late);
        assert_eq!(Answering::of(5), Answering::Late);
        assert_eq!(Answering::of(6), Answering::Apology);
    }

    #[test]
    fn the_apology_is_recorded_only_after_five_rings() {
        let mut d = CallDraft {
            rings: "4".into(),
            apology_said: true,
            category: Some(Category::Tracking),
            content: "查询运单 8812".into(),
            ..CallDraft::default()
        };
        assert_eq!(d.validate(at(), None).unwrap().apology_said, None);
        d.rings = "7".into();
        assert_eq!(d.validate(at(), None).unwrap().apology_said, Some(true));
        d.apology_said = false;
        assert_eq!(d.validate(at(), None).unwrap().apology_said, Some(false));
    }

    #[test]
    fn a_call_logged_afterwards_keeps_its_time() {
        let d = CallDraft {
            at: "2026-11-23 08:40".into(),
            rings: "1".into(),
            category: Some(Category::Enquiry),
            content: "运价".into(),
            ..CallDraft::default()
        };
        assert_eq!(
            d.validate(at(), None).unwrap().at.to_string(),
            "2026-11-23 08:40:00"
        );
        let future = CallDraft {
            at: "2026-11-23 09:30".into(),
            ..d.clone()
        };
        assert!(future.validate(at(), None).is_err());
        let bad = CallDraft {
            at: "昨天".into(),
            ..d
        };
        assert!(bad.validate(at(), None).is_err());
    }

    #[test]
    fn call_validation() {
        let d = CallDraft {
            rings: "0".into(),
            ..CallDraft::default()
        };
        assert!(d.validate(at(), None).is_err());
        let d = CallDraft {
            rings: "2".into(),
            content: "x".into(),
            ..CallDraft::default()
        };
        assert_eq!(
            d.validate(at(), None).unwrap_err(),
            DomainError::Invalid {
                field: "call.category",
                reason: "err.required"
            }
        );
    }

    #[test]
    fn escalated_calls_and_calls_to_follow_up_are_cases() {
        let mut c = Call {
            outcome: Some(Outcome::Answered),
            ..Call::default()
        };
        assert!(!c.is_case());
        c.escalated = true;
        assert!(c.is_case());
        c.escalated = false;
        c.outcome = Some(Outcome::FollowUp);
        assert!(c.is_case());
        c.outcome = None;
        assert!(!c.is_case(), "answered when not recorded");
    }

    #[test]
    fn escalated_calls_name_the_caller_in_the_inbox() {
        let mut c = Call {
            caller_name: "王先生".into(),
            phone: "13812345678".into(),
            category: Some(Category::Complaint),
            content: "货物破损".into(),
            ..Call::default()
        };
        assert_eq!(c.inbox_summary(), "投诉 王先生: 货物破损");
        c.caller_name = String::new();
        assert_eq!(c.inbox_summary(), "投诉 13812345678: 货物破损");
        c.category = None;
        assert_eq!(c.inbox_summary(), " 13812345678: 货物破损");
        assert_eq!(c.outcome(), Outcome::Answered, "unrecorded outcome");
        c.outcome = Some(Outcome::FollowUp);
        assert_eq!(c.outcome(), Outcome::FollowUp);
    }

    #[test]
    fn callbacks_are_scheduled_for_someone_from_today_on() {
        let now = at();
        let c = Callback {
            due: now.date(),
            name: " 王先生 ".into(),
            phone: " 138 ".into(),
            purpose: " 回访破损处理 ".into(),
            customer_id: Some(4),
            ..Callback::default()
        };
        let scheduled = c.scheduled(now).unwrap();
        assert_eq!(scheduled.name, "王先生");
        assert_eq!(scheduled.phone, "138");
        assert_eq!(scheduled.purpose, "回访破损处理");
        assert_eq!(scheduled.customer_id, Some(4));
        let yesterday = Callback {
            due: now.date().pred_opt().unwrap(),
            ..c.clone()
        };
        assert_eq!(
            yesterday.scheduled(now),
            Err(DomainError::Invalid {
                field: "callback.due",
                reason: "err.in_the_past"
            })
        );
        let nobody = Callback {
            name: " ".into(),
            phone: String::new(),
            ..c.clone()
        };
        assert_eq!(
            nobody.scheduled(now),
            Err(DomainError::Invalid {
                field: "callback.who",
                reason: "err.required"
            })
        );
        let phone_only = Callback {
            name: String::new(),
            ..c
        };
        assert!(phone_only.scheduled(now).is_ok());
    }

    #[test]
    fn a_callback_result_needs_the_satisfaction() {
        let r = CallbackResult {
            quality: Some(Satisfaction::Basic),
            usage: " 每周发货 ".into(),
            satisfaction: None,
            notes: " 无 ".into(),
            staff_feedback: " 小李很耐心 ".into(),
        };
        assert_eq!(
            r.checked(),
            Err(DomainError::Invalid {
                field: "callback.satisfaction",
                reason: "err.required"
            })
        );
        let r = CallbackResult {
            satisfaction: Some(Satisfaction::Satisfied),
            ..r
        };
        assert_eq!(
            r.checked(),
            Ok(CallbackResult {
                quality: Some(Satisfaction::Basic),
                usage: "每周发货".into(),
                satisfaction: Some(Satisfaction::Satisfied),
                notes: "无".into(),
                staff_feedback: "小李很耐心".into(),
            })
        );
    }

    #[test]
    fn callback_states() {
        let today = at().date();
        let mut c = Callback {
            due: today,
            ..Callback::default()
        };
        assert_eq!(c.state(today), CallbackState::DueToday);
        assert_eq!(c.state(today.pred_opt().unwrap()), CallbackState::Upcoming);
        assert_eq!(c.state(today.succ_opt().unwrap()), CallbackState::Overdue);
        c.done_at = Some(at());
        assert_eq!(c.state(today.succ_opt().unwrap()), CallbackState::Done);
    }
}
