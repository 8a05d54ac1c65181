//! Complaints (《顾客投诉记录》): the six steps (六清楚), the status workflow, SLA clocks and the
//! wording to use depending on whether the company is at fault.

use chrono::{Duration, NaiveDateTime};

use super::DomainError;
use super::calendar::BusinessCalendar;

zh_enum!(
    /// How the complaint reached us.
    Channel {
        /// 电话
        Phone = "电话", "complaint.channel_phone";
        /// 来访
        Visit = "来访", "complaint.channel_visit";
        /// 其他
        Other = "其他", "complaint.channel_other";
    }
);

zh_enum!(
    /// 一般 / 重大: major complaints are reported to the department head at once.
    Severity {
        /// 一般
        Ordinary = "一般", "complaint.severity_ordinary";
        /// 重大
        Major = "重大", "complaint.severity_major";
    }
);

zh_enum!(
    /// Is the company at fault? Changes the suggested wording.
    AtFault {
        /// 是
        Yes = "是", "complaint.fault_yes";
        /// 否
        No = "否", "complaint.fault_no";
        /// 待查
        Unknown = "待查", "complaint.fault_unknown";
    }
);

zh_enum!(
    /// The complaint's status.
    Status {
        /// 受理
        Received = "受理", "complaint.status_received";
        /// 处理中
        InProgress = "处理中", "complaint.status_in_progress";
        /// 等待客户 — pauses the resolution clock.
        WaitingCustomer = "等待客户", "complaint.status_waiting";
        /// 已答复
        Replied = "已答复", "complaint.status_replied";
        /// 已结案
        Closed = "已结案", "complaint.status_closed";
    }
);

zh_enum!(
    /// Satisfaction recorded at closing (and in callbacks).
    Satisfaction {
        /// 满意
        Satisfied = "满意", "satisfaction.satisfied";
        /// 基本满意
        Basic = "基本满意", "satisfaction.basic";
        /// 不满意
        Unsatisfied = "不满意", "satisfaction.unsatisfied";
    }
);

zh_enum!(
    /// How a reply reached the customer (复清楚).
    ReplyChannel {
        /// 电话
        Phone = "电话", "complaint.reply_phone";
        /// 上门
        Visit = "上门", "complaint.reply_visit";
        /// 短信/微信
        Message = "短信/微信", "complaint.reply_message";
    }
);

impl Status {
    /// True until the complaint is answered or closed.
    pub fn is_open(self) -> bool {
        !matches!(self, Self::Replied | Self::Closed)
    }

    /// True while the resolution clock runs.
    pub fn clock_runs(self) -> bool {
        matches!(self, Self::Received | Self::InProgress)
    }

    /// Whether a change from `self` to `to` is allowed (closed complaints only reopen).
    pub fn can_move_to(self, to: Self) -> bool {
        match (self, to) {
            (_, Self::Received) => false,
            (a, b) if a == b => false,
            (Self::Closed, b) => b == Self::InProgress,
            _ => true,
        }
    }
}

impl Severity {
    /// Major complaints are reported to the supervisors' inbox at once: when registered, or
    /// when they become major.
    pub fn goes_to_inbox(self) -> bool {
        self == Self::Major
    }
}

impl Satisfaction {
    /// Counts towards the satisfaction rate (满意 + 基本满意).
    pub fn is_satisfied(self) -> bool {
        !matches!(self, Self::Unsatisfied)
    }
}

/// SLA limits (settings).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SlaRules {
    /// First response within (default 24 h).
    pub first_response_secs: i64,
    /// Major complaints resolved within (default 48 h).
    pub major_resolution_secs: i64,
    /// Ordinary complaints resolved within (default 5 days).
    pub ordinary_resolution_secs: i64,
    /// Amber this long before a deadline (default 2 h).
    pub warn_secs: i64,
    /// Working days and hours, when only working time counts.
    pub calendar: BusinessCalendar,
}

impl Default for SlaRules {
    fn default() -> Self {
        Self {
            first_response_secs: 24 * 3600,
            major_resolution_secs: 48 * 3600,
            ordinary_resolution_secs: 5 * 24 * 3600,
            warn_secs: 2 * 3600,
            calendar: BusinessCalendar::default(),
        }
    }
}

impl SlaRules {
    /// Checks the limits.
    pub fn validate(&self) -> Result<(), DomainError> {
        let bad = |field| DomainError::Invalid {
            field,
            reason: "err.setting_range",
        };
        if !(3600..=30 * 86_400).contains(&self.first_response_secs) {
            return Err(bad("settings.sla_first_response"));
        }
        if !(3600..=60 * 86_400).contains(&self.major_resolution_secs) {
            return Err(bad("settings.sla_major"));
        }
        if !(3600..=60 * 86_400).contains(&self.ordinary_resolution_secs) {
            return Err(bad("settings.sla_ordinary"));
        }
        if !(0..=86_400).contains(&self.warn_secs) {
            return Err(bad("settings.sla_warn"));
        }
        if self.calendar.enabled && self.calendar.start >= self.calendar.end {
            return Err(bad("settings.business_hours"));
        }
        Ok(())
    }

    /// The resolution limit for `severity`.
    pub fn resolution_secs(&self, severity: Severity) -> i64 {
        match severity {
            Severity::Major => self.major_resolution_secs,
            Severity::Ordinary => self.ordinary_resolution_secs,
        }
    }
}

/// One SLA clock as the list shows it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Clock {
    /// Done within the limit.
    Met,
    /// Done, but late.
    Missed,
    /// Running: counting seconds left and the (projected) deadline.
    Running {
        /// Counting seconds left.
        left_secs: i64,
        /// When it runs out if nothing pauses it.
        deadline: NaiveDateTime,
    },
    /// Running and within the warning time of the deadline (amber).
    Warning {
        /// Counting seconds left.
        left_secs: i64,
        /// When it runs out.
        deadline: NaiveDateTime,
    },
    /// Past the limit and still open (red).
    Overdue {
        /// Counting seconds over.
        over_secs: i64,
    },
    /// Stopped while waiting for the customer.
    Paused {
        /// Counting seconds left.
        left_secs: i64,
    },
}

impl Clock {
    /// True when past the limit and still open.
    pub fn is_overdue(self) -> bool {
        matches!(self, Self::Overdue { .. })
    }
}

/// A complaint with the history its clocks are computed from.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Complaint {
    /// Database id.
    pub id: i64,
    /// When it was received.
    pub received_at: NaiveDateTime,
    /// How.
    pub channel: Option<Channel>,
    /// The archived customer, when known.
    pub customer_id: Option<i64>,
    /// Customer's name as told.
    pub customer_name: String,
    /// Phone.
    pub phone: String,
    /// Waybill number, optional.
    pub waybill: String,
    /// Category (settings-managed list).
    pub category: String,
    /// Severity.
    pub severity: Option<Severity>,
    /// Company at fault.
    pub at_fault: Option<AtFault>,
    /// The complaint as told (听清楚).
    pub content: String,
    /// Who received it.
    pub received_by: Option<i64>,
    /// Status.
    pub status: Option<Status>,
    /// 问清楚: facts clarified.
    pub facts: String,
    /// When the facts were clarified.
    pub clarified_at: Option<NaiveDateTime>,
    /// 跟清楚: the promised next-reply time when it cannot be solved now.
    pub next_reply_at: Option<NaiveDateTime>,
    /// 记清楚: the record was checked complete.
    pub recorded_at: Option<NaiveDateTime>,
    /// 报告: who in management was told.
    pub reported_to: String,
    /// When it was reported.
    pub reported_at: Option<NaiveDateTime>,
    /// Satisfaction at closing.
    pub satisfaction: Option<Satisfaction>,
    /// The call it came from.
    pub call_id: Option<i64>,
    /// Status changes, oldest first (the first is the creation as 受理).
    pub history: Vec<(NaiveDateTime, Status)>,
    /// Number of handling entries (跟清楚).
    pub handling_entries: i64,
    /// Number of replies to the customer (复清楚).
    pub replies: i64,
}

/// The six steps (六清楚) in order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    /// 听清楚
    Heard,
    /// 问清楚
    Clarified,
    /// 跟清楚
    Followed,
    /// 复清楚
    Replied,
    /// 记清楚
    Recorded,
    /// 报告 (major only)
    Reported,
}

impl Step {
    /// All steps.
    pub const ALL: [Self; 6] = [
        Self::Heard,
        Self::Clarified,
        Self::Followed,
        Self::Replied,
        Self::Recorded,
        Self::Reported,
    ];

    /// Translation key of the step's name.
    pub fn label_key(self) -> &'static str {
        match self {
            Self::Heard => "complaint.step_heard",
            Self::Clarified => "complaint.step_clarified",
            Self::Followed => "complaint.step_followed",
            Self::Replied => "complaint.step_replied",
            Self::Recorded => "complaint.step_recorded",
            Self::Reported => "complaint.step_reported",
        }
    }
}

impl Complaint {
    /// The current status (受理 for a new complaint).
    pub fn status(&self) -> Status {
        self.status.unwrap_or(Status::Received)
    }

    /// The severity (一般 when unset).
    pub fn severity(&self) -> Severity {
        self.severity.unwrap_or(Severity::Ordinary)
    }

    /// Whether `step` is done.
    pub fn step_done(&self, step: Step) -> bool {
        match step {
            Step::Heard => !self.content.trim().is_empty(),
            Step::Clarified => self.clarified_at.is_some(),
            Step::Followed => self.handling_entries > 0,
            Step::Replied => self.replies > 0,
            Step::Recorded => self.recorded_at.is_some(),
            Step::Reported => self.severity() != Severity::Major || self.reported_at.is_some(),
        }
    }

    /// The translation key of the wording to suggest: an apology only when the company is at fault.
    pub fn wording_key(&self) -> &'static str {
        match self.at_fault {
            Some(AtFault::Yes) => "complaint.wording_apology",
            _ => "complaint.wording_neutral",
        }
    }

    /// When the complaint was first responded to: its first status change.
    pub fn first_response_at(&self) -> Option<NaiveDateTime> {
        self.history.get(1).map(|(at, _)| *at)
    }

    /// Counting seconds during which the resolution clock ran, up to `until`.
    pub fn open_secs(&self, cal: &BusinessCalendar, until: NaiveDateTime) -> i64 {
        let mut total = 0;
        let mut state = (self.received_at, Status::Received);
        for &(at, status) in self.history.iter().skip(1) {
            if at > until {
                break;
            }
            if state.1.clock_runs() {
                total += cal.secs_between(state.0, at);
            }
            state = (at, status);
        }
        if state.1.clock_runs() {
            total += cal.secs_between(state.0, until);
        }
        total
    }

    /// When the complaint was last resolved (answered or closed), if it is now.
    pub fn resolved_at(&self) -> Option<NaiveDateTime> {
        if self.status().is_open() {
            return None;
        }
        self.history
            .iter()
            .rev()
            .take_while(|(_, s)| !s.is_open())
            .last()
            .map(|(at, _)| *at)
    }

    /// The first-response clock at `now`.
    pub fn first_response_clock(&self, rules: &SlaRules, now: NaiveDateTime) -> Clock {
        let cal = &rules.calendar;
        match self.first_response_at() {
            Some(at) if cal.secs_between(self.received_at, at) <= rules.first_response_secs => {
                Clock::Met
            }
            Some(_) => Clock::Missed,
            None => running(
                rules.first_response_secs - cal.secs_between(self.received_at, now),
                rules,
                now,
                false,
            ),
        }
    }

    /// The resolution clock at `now` (paused while waiting for the customer).
    pub fn resolution_clock(&self, rules: &SlaRules, now: NaiveDateTime) -> Clock {
        let limit = rules.resolution_secs(self.severity());
        if let Some(at) = self.resolved_at() {
            return if self.open_secs(&rules.calendar, at) <= limit {
                Clock::Met
            } else {
                Clock::Missed
            };
        }
        let left = limit - self.open_secs(&rules.calendar, now);
        running(left, rules, now, self.status() == Status::WaitingCustomer)
    }

    /// The promised next-reply time's state: overdue once passed while no reply came after it
    /// was promised (it is cleared by a reply).
    pub fn next_reply_clock(&self, rules: &SlaRules, now: NaiveDateTime) -> Option<Clock> {
        let at = self.next_reply_at?;
        if !self.status().is_open() {
            return None;
        }
        let left = (at - now).num_seconds();
        Some(if left < 0 {
            Clock::Overdue { over_secs: -left }
        } else if left <= rules.warn_secs {
            Clock::Warning {
                left_secs: left,
                deadline: at,
            }
        } else {
            Clock::Running {
                left_secs: left,
                deadline: at,
            }
        })
    }

    /// True when any clock is overdue.
    pub fn is_overdue(&self, rules: &SlaRules, now: NaiveDateTime) -> bool {
        self.first_response_clock(rules, now).is_overdue()
            || self.resolution_clock(rules, now).is_overdue()
            || self
                .next_reply_clock(rules, now)
                .is_some_and(Clock::is_overdue)
    }

    /// Checks a status change; closing needs a satisfaction rating.
    pub fn check_move(
        &self,
        to: Status,
        satisfaction: Option<Satisfaction>,
    ) -> Result<(), DomainError> {
        if !self.status().can_move_to(to) {
            return Err(DomainError::WrongState("err.status_move"));
        }
        if to == Status::Closed && satisfaction.is_none() {
            return Err(DomainError::Invalid {
                field: "complaint.satisfaction",
                reason: "err.required",
            });
        }
        Ok(())
    }

    /// Moves the complaint to `to` after [`Complaint::check_move`]; closing records the
    /// satisfaction. Returns the timeline line: the note (trimmed), after `重新打开` when a closed
    /// complaint reopens, after the satisfaction when it closes.
    pub fn move_to(
        &mut self,
        to: Status,
        satisfaction: Option<Satisfaction>,
        note: &str,
    ) -> Result<String, DomainError> {
        self.check_move(to, satisfaction)?;
        let reopening = self.status() == Status::Closed;
        let mut detail = note.trim().to_owned();
        if reopening {
            detail = format!("重新打开 {detail}").trim().to_owned();
        }
        if let Some(s) = satisfaction.filter(|_| to == Status::Closed) {
            detail = format!("{} {detail}", s.as_zh()).trim().to_owned();
            self.satisfaction = Some(s);
        }
        self.status = Some(to);
        Ok(detail)
    }

    /// Checks a step taken on the complaint (clarifying, a handling entry, a reply): a closed
    /// complaint takes none. Returns the status the complaint moves to first: a new one moves to
    /// 处理中 with its first step (the first response).
    pub fn first_step(&self) -> Result<Option<Status>, DomainError> {
        match self.status() {
            Status::Closed => Err(DomainError::WrongState("err.complaint_closed")),
            Status::Received => Ok(Some(Status::InProgress)),
            _ => Ok(None),
        }
    }

    /// 问清楚: records the facts as clarified; the time of the first clarification stays.
    pub fn clarify(&mut self, facts: &str, now: NaiveDateTime) {
        facts.clone_into(&mut self.facts);
        self.clarified_at.get_or_insert(now);
    }

    /// The status a reply moves the complaint to: 已答复 when the reply answers the customer
    /// and the complaint is not answered yet.
    pub fn status_after_reply(&self, answered: bool) -> Option<Status> {
        (answered && self.status() != Status::Replied).then_some(Status::Replied)
    }

    /// 记清楚: the record was checked complete, once.
    pub fn mark_recorded(&mut self, now: NaiveDateTime) -> Result<(), DomainError> {
        if self.recorded_at.is_some() {
            return Err(DomainError::WrongState("err.already_done"));
        }
        self.recorded_at = Some(now);
        Ok(())
    }

    /// Changes category, severity and company-at-fault. Returns what the timeline and the inbox
    /// need, or `None` when nothing changed.
    pub fn reclassify(
        &mut self,
        category: &str,
        severity: Severity,
        at_fault: AtFault,
    ) -> Option<Reclassification> {
        let mut changes = Vec::new();
        if self.category != category {
            changes.push(format!("类别: {} → {category}", self.category));
        }
        if self.severity() != severity {
            changes.push(format!(
                "严重程度: {} → {}",
                self.severity().as_zh(),
                severity.as_zh()
            ));
        }
        if self.at_fault != Some(at_fault) {
            changes.push(format!(
                "公司责任: {} → {}",
                self.at_fault.map_or("", AtFault::as_zh),
                at_fault.as_zh()
            ));
        }
        if changes.is_empty() {
            return None;
        }
        let report_to_inbox = severity.goes_to_inbox() && !self.severity().goes_to_inbox();
        category.clone_into(&mut self.category);
        self.severity = Some(severity);
        self.at_fault = Some(at_fault);
        Some(Reclassification {
            detail: changes.join("; "),
            report_to_inbox,
        })
    }

    /// The line the supervisors' inbox shows for this complaint.
    pub fn inbox_summary(&self) -> String {
        inbox_summary(&self.category, &self.customer_name, &self.content)
    }

    /// When the displayed clocks next change (they show minutes), from `now`.
    pub fn next_change(&self, now: NaiveDateTime) -> Option<Duration> {
        if !self.status().is_open() && self.status() != Status::Replied {
            return None;
        }
        Some(Duration::seconds(
            60 - (now - self.received_at).num_seconds().rem_euclid(60),
        ))
    }
}

/// What [`Complaint::reclassify`] changed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reclassification {
    /// The timeline line: each change as `类别: 延误 → 货物破损`, joined by `; `.
    pub detail: String,
    /// The complaint became major and goes to the supervisors' inbox.
    pub report_to_inbox: bool,
}

/// The line the supervisors' inbox shows for a complaint: `category · customer · content`.
pub fn inbox_summary(category: &str, customer_name: &str, content: &str) -> String {
    format!("{category} · {customer_name} · {content}")
}

/// Checks a promised next-reply time: it must lie after `now`.
pub fn check_next_reply(
    next_reply_at: Option<NaiveDateTime>,
    now: NaiveDateTime,
) -> Result<(), DomainError> {
    if next_reply_at.is_some_and(|t| t <= now) {
        return Err(DomainError::Invalid {
            field: "complaint.next_reply",
            reason: "err.in_the_past",
        });
    }
    Ok(())
}

/// The week's business volume and analysis text (weekly complaint summary).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct WeekNotes {
    /// Waybills that week, for the complaint rate.
    pub waybills: Option<i64>,
    /// Analysis and suggestions.
    pub analysis: String,
}

impl WeekNotes {
    /// The notes as saved: no negative waybill count; the analysis trimmed.
    pub fn checked(&self) -> Result<Self, DomainError> {
        if self.waybills.is_some_and(|w| w < 0) {
            return Err(DomainError::Invalid {
                field: "report.waybills",
                reason: "err.not_negative",
            });
        }
        Ok(Self {
            waybills: self.waybills,
            analysis: self.analysis.trim().to_owned(),
        })
    }
}

fn running(left_secs: i64, rules: &SlaRules, now: NaiveDateTime, paused: bool) -> Clock {
    if left_secs < 0 {
        return Clock::Overdue {
            over_secs: -left_secs,
        };
    }
    if paused {
        return Clock::Paused { left_secs };
    }
    let deadline = rules.calendar.add_secs(now, left_secs);
    if left_secs <= rules.warn_secs {
        Clock::Warning {
            left_secs,
            deadline,
        }
    } else {
        Clock::Running {
            left_secs,
            deadline,
        }
    }
}

/// A complaint as typed into the form, before checking.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ComplaintDraft {
    /// How it came in.
    pub channel: Option<Channel>,
    /// The archived customer, if picked.
    pub customer_id: Option<i64>,
    /// Customer's name.
    pub customer_name: String,
    /// Phone.
    pub phone: String,
    /// Waybill number.
    pub waybill: String,
    /// Category.
    pub category: String,
    /// Severity.
    pub severity: Option<Severity>,
    /// Company at fault.
    pub at_fault: Option<AtFault>,
    /// The complaint as told.
    pub content: String,
    /// The call it came from.
    pub call_id: Option<i64>,
}

impl ComplaintDraft {
    /// Checks the draft.
    pub fn validate(&self) -> Result<Self, DomainError> {
        let required = |field| DomainError::Invalid {
            field,
            reason: "err.required",
        };
        if self.channel.is_none() {
            return Err(required("complaint.channel"));
        }
        use super::validation::{LABEL_MAX, NAME_MAX, NOTES_MAX, required_line, single_line};
        let customer_name = required_line("complaint.customer", &self.customer_name, NAME_MAX)?;
        let category = required_line("complaint.category", &self.category, LABEL_MAX)?;
        let waybill = single_line("complaint.waybill", &self.waybill, LABEL_MAX)?;
        if self.severity.is_none() {
            return Err(required("complaint.severity"));
        }
        if self.at_fault.is_none() {
            return Err(required("complaint.at_fault"));
        }
        let content =
            super::validation::required_text("complaint.content", &self.content, NOTES_MAX)?;
        let phone = super::customer::normalize_phone(&self.phone)?;
        Ok(Self {
            customer_name,
            phone,
            waybill,
            category,
            content,
            ..self.clone()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::{Clock as _, FakeClock};

    fn complaint(clock: &FakeClock, severity: Severity) -> Complaint {
        Complaint {
            id: 1,
            received_at: clock.now(),
            severity: Some(severity),
            status: Some(Status::Received),
            content: "货物外包装破损".into(),
            history: vec![(clock.now(), Status::Received)],
            ..Complaint::default()
        }
    }

    fn set(c: &mut Complaint, at: NaiveDateTime, s: Status) {
        c.history.push((at, s));
        c.status = Some(s);
    }

    #[test]
    fn first_response_within_24_hours() {
        let clock = FakeClock::at("2026-11-23 09:00:00");
        let rules = SlaRules::default();
        let mut c = complaint(&clock, Severity::Ordinary);
        clock.advance_secs(22 * 3600);
        assert!(matches!(
            c.first_response_clock(&rules, clock.now()),
            Clock::Warning {
                left_secs: 7200,
                ..
            }
        ));
        clock.advance_secs(2 * 3600 + 1);
        assert_eq!(
            c.first_response_clock(&rules, clock.now()),
            Clock::Overdue { over_secs: 1 }
        );
        assert!(c.is_overdue(&rules, clock.now()));
        set(&mut c, clock.now(), Status::InProgress);
        assert_eq!(c.first_response_clock(&rules, clock.now()), Clock::Missed);
    }

    #[test]
    fn major_complaints_resolve_within_48_hours_and_waiting_pauses() {
        let clock = FakeClock::at("2026-11-23 09:00:00");
        let rules = SlaRules::default();
        let mut c = complaint(&clock, Severity::Major);
        clock.advance_secs(3600);
        set(&mut c, clock.now(), Status::InProgress);
        clock.advance_secs(10 * 3600);
        set(&mut c, clock.now(), Status::WaitingCustomer);
        // Three days waiting for the customer do not count.
        clock.advance_secs(72 * 3600);
        assert_eq!(
            c.resolution_clock(&rules, clock.now()),
            Clock::Paused {
                left_secs: 37 * 3600
            }
        );
        set(&mut c, clock.now(), Status::InProgress);
        clock.advance_secs(36 * 3600);
        assert!(matches!(
            c.resolution_clock(&rules, clock.now()),
            Clock::Warning {
                left_secs: 3600,
                ..
            }
        ));
        set(&mut c, clock.now(), Status::Replied);
        assert_eq!(c.resolution_clock(&rules, clock.now()), Clock::Met);
        // Reopened, the clock goes on from where it stopped.
        clock.advance_secs(3600);
        set(&mut c, clock.now(), Status::InProgress);
        clock.advance_secs(2 * 3600);
        assert_eq!(
            c.resolution_clock(&rules, clock.now()),
            Clock::Overdue { over_secs: 3600 }
        );
        set(&mut c, clock.now(), Status::Replied);
        assert_eq!(c.resolution_clock(&rules, clock.now()), Clock::Missed);
    }

    #[test]
    fn business_hours_across_a_weekend() {
        // Received Friday 16:30; office hours 08:30–17:30 Monday to Friday.
        let clock = FakeClock::at("2026-11-20 16:30:00");
        let rules = SlaRules {
            calendar: BusinessCalendar {
                enabled: true,
                ..BusinessCalendar::default()
            },
            ..SlaRules::default()
        };
        let c = complaint(&clock, Severity::Ordinary);
        // Monday 09:30: 1 h Friday + 1 h Monday have counted.
        clock.set(
            NaiveDateTime::parse_from_str("2026-11-23 09:30:00", "%Y-%m-%d %H:%M:%S").unwrap(),
        );
        let Clock::Running {
            left_secs,
            deadline,
        } = c.first_response_clock(&rules, clock.now())
        else {
            panic!("running expected");
        };
        assert_eq!(left_secs, 22 * 3600);
        // 22 working hours from Monday 09:30: 8 h Mon, 9 h Tue, 5 h Wed → Wednesday 13:30.
        assert_eq!(deadline.to_string(), "2026-11-25 13:30:00");
    }

    #[test]
    fn promised_reply_time_goes_overdue() {
        let clock = FakeClock::at("2026-11-23 09:00:00");
        let rules = SlaRules::default();
        let mut c = complaint(&clock, Severity::Ordinary);
        c.next_reply_at = Some(clock.now() + Duration::hours(3));
        assert!(matches!(
            c.next_reply_clock(&rules, clock.now()),
            Some(Clock::Running { .. })
        ));
        clock.advance_secs(3 * 3600 + 60);
        assert_eq!(
            c.next_reply_clock(&rules, clock.now()),
            Some(Clock::Overdue { over_secs: 60 })
        );
        assert!(c.is_overdue(&rules, clock.now()));
    }

    #[test]
    fn wording_apologises_only_when_at_fault() {
        let clock = FakeClock::at("2026-11-23 09:00:00");
        let mut c = complaint(&clock, Severity::Ordinary);
        assert_eq!(c.wording_key(), "complaint.wording_neutral");
        c.at_fault = Some(AtFault::Unknown);
        assert_eq!(c.wording_key(), "complaint.wording_neutral");
        c.at_fault = Some(AtFault::No);
        assert_eq!(c.wording_key(), "complaint.wording_neutral");
        c.at_fault = Some(AtFault::Yes);
        assert_eq!(c.wording_key(), "complaint.wording_apology");
    }

    #[test]
    fn status_moves_and_closing_needs_satisfaction() {
        let clock = FakeClock::at("2026-11-23 09:00:00");
        let mut c = complaint(&clock, Severity::Ordinary);
        assert!(c.check_move(Status::Received, None).is_err());
        assert!(c.check_move(Status::Closed, None).is_err());
        assert!(
            c.check_move(Status::Closed, Some(Satisfaction::Basic))
                .is_ok()
        );
        set(&mut c, clock.now(), Status::Closed);
        assert!(
            c.check_move(Status::Replied, None).is_err(),
            "closed complaints only reopen"
        );
        assert!(c.check_move(Status::InProgress, None).is_ok());
    }

    #[test]
    fn moving_records_the_status_and_the_satisfaction_at_closing() {
        let clock = FakeClock::at("2026-11-23 09:00:00");
        let mut c = complaint(&clock, Severity::Ordinary);
        assert_eq!(
            c.move_to(
                Status::InProgress,
                Some(Satisfaction::Satisfied),
                " 已联系 "
            ),
            Ok("已联系".to_owned())
        );
        assert_eq!(c.status, Some(Status::InProgress));
        assert_eq!(c.satisfaction, None, "recorded only when closing");
        assert_eq!(
            c.move_to(Status::Closed, None, ""),
            Err(DomainError::Invalid {
                field: "complaint.satisfaction",
                reason: "err.required"
            })
        );
        assert_eq!(c.status, Some(Status::InProgress), "unchanged when refused");
        assert_eq!(
            c.move_to(Status::Closed, Some(Satisfaction::Basic), " 客户接受 "),
            Ok("基本满意 客户接受".to_owned())
        );
        assert_eq!(c.status, Some(Status::Closed));
        assert_eq!(c.satisfaction, Some(Satisfaction::Basic));
        assert_eq!(
            c.move_to(Status::Replied, None, ""),
            Err(DomainError::WrongState("err.status_move"))
        );
        assert_eq!(
            c.move_to(Status::InProgress, Some(Satisfaction::Unsatisfied), ""),
            Ok("重新打开".to_owned())
        );
        assert_eq!(
            c.satisfaction,
            Some(Satisfaction::Basic),
            "reopening keeps the rating given at closing"
        );
        assert_eq!(
            c.move_to(Status::Closed, Some(Satisfaction::Unsatisfied), ""),
            Ok("不满意".to_owned())
        );
        c.move_to(Status::InProgress, None, "客户再次来电").unwrap();
        assert_eq!(
            c.move_to(Status::InProgress, None, ""),
            Err(DomainError::WrongState("err.status_move")),
            "no move to the same status"
        );
    }

    #[test]
    fn the_first_step_is_the_first_response() {
        let clock = FakeClock::at("2026-11-23 09:00:00");
        let mut c = complaint(&clock, Severity::Ordinary);
        assert_eq!(c.first_step(), Ok(Some(Status::InProgress)));
        for (status, expected) in [
            (Status::InProgress, Ok(None)),
            (Status::WaitingCustomer, Ok(None)),
            (Status::Replied, Ok(None)),
            (
                Status::Closed,
                Err(DomainError::WrongState("err.complaint_closed")),
            ),
        ] {
            c.status = Some(status);
            assert_eq!(c.first_step(), expected, "{status:?}");
        }
    }

    #[test]
    fn clarifying_keeps_the_first_time() {
        let clock = FakeClock::at("2026-11-23 09:00:00");
        let mut c = complaint(&clock, Severity::Ordinary);
        c.clarify("破损两箱", clock.now());
        clock.advance_secs(3600);
        c.clarify("破损三箱", clock.now());
        assert_eq!(c.facts, "破损三箱");
        assert_eq!(c.clarified_at.unwrap().to_string(), "2026-11-23 09:00:00");
    }

    #[test]
    fn replies_answer_once_and_record_once() {
        let clock = FakeClock::at("2026-11-23 09:00:00");
        let mut c = complaint(&clock, Severity::Ordinary);
        assert_eq!(c.status_after_reply(false), None);
        assert_eq!(c.status_after_reply(true), Some(Status::Replied));
        c.status = Some(Status::Replied);
        assert_eq!(c.status_after_reply(true), None, "already answered");
        c.status = Some(Status::Closed);
        assert_eq!(c.status_after_reply(true), Some(Status::Replied));

        assert_eq!(c.mark_recorded(clock.now()), Ok(()));
        assert_eq!(c.recorded_at, Some(clock.now()));
        clock.advance_secs(60);
        assert_eq!(
            c.mark_recorded(clock.now()),
            Err(DomainError::WrongState("err.already_done"))
        );
        assert_eq!(
            c.recorded_at.unwrap().to_string(),
            "2026-11-23 09:00:00",
            "the first check stays"
        );
    }

    #[test]
    fn a_promised_reply_lies_ahead() {
        let clock = FakeClock::at("2026-11-23 09:00:00");
        let now = clock.now();
        assert_eq!(check_next_reply(None, now), Ok(()));
        assert_eq!(
            check_next_reply(Some(now + Duration::seconds(1)), now),
            Ok(())
        );
        let refused = Err(DomainError::Invalid {
            field: "complaint.next_reply",
            reason: "err.in_the_past",
        });
        assert_eq!(check_next_reply(Some(now), now), refused);
        assert_eq!(
            check_next_reply(Some(now - Duration::hours(1)), now),
            refused
        );
    }

    #[test]
    fn reclassifying_logs_the_changes_and_reports_new_major_complaints() {
        let clock = FakeClock::at("2026-11-23 09:00:00");
        let mut c = Complaint {
            category: "延误".into(),
            customer_name: "王先生".into(),
            severity: None,
            at_fault: None,
            ..complaint(&clock, Severity::Ordinary)
        };
        assert_eq!(
            c.reclassify("货物破损", Severity::Major, AtFault::Yes),
            Some(Reclassification {
                detail: "类别: 延误 → 货物破损; 严重程度: 一般 → 重大; 公司责任:  → 是".into(),
                report_to_inbox: true,
            })
        );
        assert_eq!(c.category, "货物破损");
        assert_eq!(c.severity, Some(Severity::Major));
        assert_eq!(c.at_fault, Some(AtFault::Yes));
        assert_eq!(c.inbox_summary(), "货物破损 · 王先生 · 货物外包装破损");
        assert_eq!(
            c.reclassify("货物破损", Severity::Major, AtFault::Yes),
            None,
            "nothing changed"
        );
        assert_eq!(
            c.reclassify("货物破损", Severity::Major, AtFault::No),
            Some(Reclassification {
                detail: "公司责任: 是 → 否".into(),
                report_to_inbox: false,
            }),
            "already major: reported once"
        );
        assert_eq!(
            c.reclassify("货物破损", Severity::Ordinary, AtFault::No),
            Some(Reclassification {
                detail: "严重程度: 重大 → 一般".into(),
                report_to_inbox: false,
            })
        );
        assert!(Severity::Major.goes_to_inbox());
        assert!(!Severity::Ordinary.goes_to_inbox());
        assert_eq!(inbox_summary("其他", "", "x"), "其他 ·  · x");
    }

    #[test]
    fn week_notes_checks() {
        let notes = WeekNotes {
            waybills: Some(0),
            analysis: " 破损集中在周一 \n".into(),
        };
        assert_eq!(
            notes.checked(),
            Ok(WeekNotes {
                waybills: Some(0),
                analysis: "破损集中在周一".into(),
            })
        );
        let negative = WeekNotes {
            waybills: Some(-1),
            ..notes
        };
        assert_eq!(
            negative.checked(),
            Err(DomainError::Invalid {
                field: "report.waybills",
                reason: "err.not_negative"
            })
        );
        assert!(WeekNotes::default().checked().is_ok());
    }

    #[test]
    fn six_steps() {
        let clock = FakeClock::at("2026-11-23 09:00:00");
        let mut c = complaint(&clock, Severity::Major);
        assert!(c.step_done(Step::Heard));
        assert!(!c.step_done(Step::Clarified));
        assert!(
            !c.step_done(Step::Reported),
            "major complaints must be reported"
        );
        c.reported_at = Some(clock.now());
        assert!(c.step_done(Step::Reported));
        c.severity = Some(Severity::Ordinary);
        c.reported_at = None;
        assert!(
            c.step_done(Step::Reported),
            "ordinary complaints need no report"
        );
    }
}
