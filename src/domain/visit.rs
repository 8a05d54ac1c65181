//! A walk-in visit: its stages, the greeting and water-served deadlines, and what to say.
//!
//! Rules (SPEC R): greet within the greeting limit (default 60 s, amber from 45 s); serve water
//! within the water limit (default 5 min); acknowledge anyone waiting too long; see customers off
//! with the checklist. All functions take `now`.

use chrono::{Duration, NaiveDateTime};

use super::DomainError;
use super::customer::{Customer, Honorific, salutation};

/// Reception settings that the rules depend on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ReceptionRules {
    /// From this many seconds without a greeting the timer turns amber.
    pub greeting_warn_secs: i64,
    /// Past this many seconds without a greeting the visit is overdue (red).
    pub greeting_limit_secs: i64,
    /// Water not served within this many seconds is highlighted.
    pub water_limit_secs: i64,
    /// A visitor waiting longer than this for hand-over should be acknowledged.
    pub wait_limit_secs: i64,
}

impl Default for ReceptionRules {
    fn default() -> Self {
        Self {
            greeting_warn_secs: 45,
            greeting_limit_secs: 60,
            water_limit_secs: 5 * 60,
            wait_limit_secs: 10 * 60,
        }
    }
}

impl ReceptionRules {
    /// Checks that the settings make sense together.
    pub fn validate(&self) -> Result<(), DomainError> {
        let invalid = |field| DomainError::Invalid {
            field,
            reason: "err.setting_range",
        };
        if !(10..=3600).contains(&self.greeting_limit_secs) {
            return Err(invalid("settings.greeting_limit"));
        }
        if !(1..self.greeting_limit_secs).contains(&self.greeting_warn_secs) {
            return Err(invalid("settings.greeting_warn"));
        }
        if !(30..=24 * 3600).contains(&self.water_limit_secs) {
            return Err(invalid("settings.water_limit"));
        }
        if !(30..=24 * 3600).contains(&self.wait_limit_secs) {
            return Err(invalid("settings.wait_limit"));
        }
        Ok(())
    }
}

/// Where a visit stands (三声四心: greeting on arrival, answer on every question, farewell).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Stage {
    /// 已到达: arrived, not yet greeted.
    Arrived,
    /// 已问候
    Greeted,
    /// 已登记
    Registered,
    /// 已倒水
    WaterServed,
    /// 已转交
    HandedOver,
    /// 送客中
    SeeingOff,
    /// 已离开
    Left,
}

impl Stage {
    /// Every stage in order.
    pub const ALL: [Self; 7] = [
        Self::Arrived,
        Self::Greeted,
        Self::Registered,
        Self::WaterServed,
        Self::HandedOver,
        Self::SeeingOff,
        Self::Left,
    ];

    /// Translation key of the stage's name.
    pub fn label_key(self) -> &'static str {
        match self {
            Self::Arrived => "stage.arrived",
            Self::Greeted => "stage.greeted",
            Self::Registered => "stage.registered",
            Self::WaterServed => "stage.water_served",
            Self::HandedOver => "stage.handed_over",
            Self::SeeingOff => "stage.seeing_off",
            Self::Left => "stage.left",
        }
    }
}

/// How a customer travels on (送客: train or plane for distant customers, car or taxi nearby).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TravelMode {
    /// 火车
    Train,
    /// 飞机
    Plane,
    /// 自驾
    OwnCar,
    /// 打车
    Taxi,
    /// 其他
    Other,
}

impl TravelMode {
    /// Every mode in the order offered.
    pub const ALL: [Self; 5] = [
        Self::Train,
        Self::Plane,
        Self::OwnCar,
        Self::Taxi,
        Self::Other,
    ];

    /// The Chinese word, which is also how it is stored and imported.
    pub fn as_zh(self) -> &'static str {
        match self {
            Self::Train => "火车",
            Self::Plane => "飞机",
            Self::OwnCar => "自驾",
            Self::Taxi => "打车",
            Self::Other => "其他",
        }
    }

    /// Parses the stored/imported Chinese word.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|m| m.as_zh() == s.trim())
    }

    /// Translation key of the label.
    pub fn label_key(self) -> &'static str {
        match self {
            Self::Train => "travel.train",
            Self::Plane => "travel.plane",
            Self::OwnCar => "travel.own_car",
            Self::Taxi => "travel.taxi",
            Self::Other => "travel.other",
        }
    }
}

/// The state of a deadline-bound step (greeting, water) as the board shows it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TimerState {
    /// Running, still comfortably within the limit.
    Running,
    /// Running, close to the limit (amber).
    Warning,
    /// Running past the limit (red).
    Overdue,
    /// Done within the limit.
    DoneOnTime,
    /// Done, but late.
    DoneLate,
}

/// One visit as reception sees it.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Visit {
    /// Database id.
    pub id: i64,
    /// The archived customer, once registered or recognised.
    pub customer_id: Option<i64>,
    /// When "客户到达" was pressed (or the walk-in registered).
    pub arrived_at: NaiveDateTime,
    /// Surname, when known.
    pub surname: String,
    /// 先生 / 女士, when known.
    pub honorific: Option<Honorific>,
    /// Full name, when given.
    pub name: String,
    /// Phone, normalised.
    pub phone: String,
    /// Company.
    pub company: String,
    /// Region.
    pub region: String,
    /// Number of people in the party.
    pub party_size: i64,
    /// Why they came.
    pub purpose: String,
    /// A known customer (recognised at registration).
    pub returning: bool,
    /// When registration details were recorded.
    pub registered_at: Option<NaiveDateTime>,
    /// When the visitor was greeted.
    pub greeted_at: Option<NaiveDateTime>,
    /// Who greeted.
    pub greeted_by: Option<i64>,
    /// When water was served.
    pub water_served_at: Option<NaiveDateTime>,
    /// Who served water.
    pub water_served_by: Option<i64>,
    /// When the visitor was handed over to a colleague.
    pub handed_over_at: Option<NaiveDateTime>,
    /// Who took the visitor over.
    pub handed_over_to: Option<i64>,
    /// When seeing-off started ("准备离开").
    pub seeing_off_at: Option<NaiveDateTime>,
    /// When the visitor left.
    pub departed_at: Option<NaiveDateTime>,
    /// Offered to accompany downstairs.
    pub offered_accompany: bool,
    /// How they travel on.
    pub travel_mode: Option<TravelMode>,
    /// Reminded about belongings.
    pub reminded_belongings: bool,
    /// Reminded about documents and receipts.
    pub reminded_documents: bool,
    /// Told about the next contact.
    pub reminded_next_contact: bool,
    /// Who saw the visitor off.
    pub seen_off_by: Option<i64>,
    /// Set when the visit was cancelled as a mistake (kept, not deleted).
    pub cancelled_at: Option<NaiveDateTime>,
    /// Why it was cancelled.
    pub cancel_reason: String,
}

/// The lines the desk says, as data; the UI renders them through the translation table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Script {
    /// "王先生,您好"
    GreetKnown(String),
    /// "您好,欢迎光临"
    GreetUnknown,
    /// "对不起,让您久等了" — said first when a greeting comes late (先外后内).
    Apology,
    /// "请您稍等,马上为您安排" — to acknowledge someone waiting.
    AcknowledgeWaiting,
    /// "请慢走,欢迎再来" and the reminders.
    Farewell,
}

/// Whole seconds from `from` to `to` (negative when `to` is earlier).
pub fn secs_between(from: NaiveDateTime, to: NaiveDateTime) -> i64 {
    (to - from).num_seconds()
}

/// Time until the displayed whole-second count of a timer started at `start` next changes.
fn until_next_second(start: NaiveDateTime, now: NaiveDateTime) -> Duration {
    let elapsed_ms = (now - start).num_milliseconds();
    if elapsed_ms < 0 {
        return Duration::milliseconds(-elapsed_ms);
    }
    Duration::milliseconds(1000 - elapsed_ms % 1000)
}

impl Visit {
    /// True while the visitor is in the building (not left, not cancelled).
    pub fn is_present(&self) -> bool {
        self.departed_at.is_none() && self.cancelled_at.is_none()
    }

    /// The furthest stage reached.
    pub fn stage(&self) -> Stage {
        if self.departed_at.is_some() {
            Stage::Left
        } else if self.seeing_off_at.is_some() {
            Stage::SeeingOff
        } else if self.handed_over_at.is_some() {
            Stage::HandedOver
        } else if self.water_served_at.is_some() {
            Stage::WaterServed
        } else if self.registered_at.is_some() {
            Stage::Registered
        } else if self.greeted_at.is_some() {
            Stage::Greeted
        } else {
            Stage::Arrived
        }
    }

    /// "王先生" when surname and honorific are known.
    pub fn salutation(&self) -> Option<String> {
        salutation(&self.surname, self.honorific)
    }

    /// Seconds from arrival to greeting, once greeted.
    pub fn greeting_latency_secs(&self) -> Option<i64> {
        self.greeted_at.map(|g| secs_between(self.arrived_at, g))
    }

    /// Seconds the greeting timer shows: until the greeting, or until `now`.
    pub fn greeting_timer_secs(&self, now: NaiveDateTime) -> i64 {
        secs_between(self.arrived_at, self.greeted_at.unwrap_or(now)).max(0)
    }

    /// The greeting timer's state at `now`.
    pub fn greeting_state(&self, now: NaiveDateTime, rules: &ReceptionRules) -> TimerState {
        deadline_state(
            self.arrived_at,
            self.greeted_at,
            now,
            rules.greeting_warn_secs,
            rules.greeting_limit_secs,
        )
    }

    /// True when the greeting came (or is still to come) after the limit: apologise first.
    pub fn greeting_is_late(&self, now: NaiveDateTime, rules: &ReceptionRules) -> bool {
        matches!(
            self.greeting_state(now, rules),
            TimerState::Overdue | TimerState::DoneLate
        )
    }

    /// Seconds since arrival without water (or until water was served).
    pub fn water_timer_secs(&self, now: NaiveDateTime) -> i64 {
        secs_between(self.arrived_at, self.water_served_at.unwrap_or(now)).max(0)
    }

    /// The water-served state at `now`; amber from 80 % of the limit.
    pub fn water_state(&self, now: NaiveDateTime, rules: &ReceptionRules) -> TimerState {
        deadline_state(
            self.arrived_at,
            self.water_served_at,
            now,
            rules.water_limit_secs * 4 / 5,
            rules.water_limit_secs,
        )
    }

    /// Seconds waited for hand-over: from arrival until hand-over (or `now`).
    pub fn waiting_secs(&self, now: NaiveDateTime) -> i64 {
        secs_between(self.arrived_at, self.handed_over_at.unwrap_or(now)).max(0)
    }

    /// True while the visitor waits for a colleague (present, not handed over, not leaving).
    pub fn is_waiting(&self) -> bool {
        self.is_present() && self.handed_over_at.is_none() && self.seeing_off_at.is_none()
    }

    /// True when the visitor has waited longer than the limit and should be acknowledged.
    pub fn waited_too_long(&self, now: NaiveDateTime, rules: &ReceptionRules) -> bool {
        self.is_waiting() && self.waiting_secs(now) > rules.wait_limit_secs
    }

    /// The greeting line to say now: by surname when known.
    pub fn greeting_script(&self) -> Script {
        match self.salutation() {
            Some(s) => Script::GreetKnown(s),
            None => Script::GreetUnknown,
        }
    }

    /// The seeing-off checklist as recorded at departure.
    pub fn see_off_checklist(&self) -> SeeOffChecklist {
        SeeOffChecklist {
            offered_accompany: self.offered_accompany,
            travel_mode: self.travel_mode,
            reminded_belongings: self.reminded_belongings,
            reminded_documents: self.reminded_documents,
            reminded_next_contact: self.reminded_next_contact,
        }
    }

    /// True when the visitor left and was seen off with the whole checklist done (what the
    /// reception report counts as `seen_off_checklist`).
    pub fn seen_off_with_checklist(&self) -> bool {
        self.departed_at.is_some() && self.see_off_checklist().is_complete()
    }

    /// Visit duration in seconds, once the visitor has left.
    pub fn duration_secs(&self) -> Option<i64> {
        self.departed_at.map(|d| secs_between(self.arrived_at, d))
    }

    /// When any timer shown for this visit next changes its display, from `now`.
    ///
    /// `None` when nothing about the visit changes with time (it left or was cancelled).
    pub fn next_change(&self, now: NaiveDateTime) -> Option<Duration> {
        if !self.is_present() {
            return None;
        }
        // The greeting timer, the water timer and the waiting time all tick in whole seconds
        // from arrival, so the next change is the next whole second since arrival.
        Some(until_next_second(self.arrived_at, now))
    }

    /// Records the greeting.
    pub fn greet(&mut self, staff: Option<i64>, now: NaiveDateTime) -> Result<(), DomainError> {
        self.ensure_present()?;
        if self.greeted_at.is_some() {
            return Err(DomainError::WrongState("err.already_greeted"));
        }
        self.greeted_at = Some(now.max(self.arrived_at));
        self.greeted_by = staff;
        Ok(())
    }

    /// Records water served.
    pub fn serve_water(
        &mut self,
        staff: Option<i64>,
        now: NaiveDateTime,
    ) -> Result<(), DomainError> {
        self.ensure_present()?;
        if self.water_served_at.is_some() {
            return Err(DomainError::WrongState("err.already_served"));
        }
        self.water_served_at = Some(now.max(self.arrived_at));
        self.water_served_by = staff;
        Ok(())
    }

    /// Hands the visitor over to a colleague for `purpose`.
    pub fn hand_over(
        &mut self,
        to: i64,
        purpose: &str,
        now: NaiveDateTime,
    ) -> Result<(), DomainError> {
        self.ensure_present()?;
        if self.seeing_off_at.is_some() {
            return Err(DomainError::WrongState("err.already_leaving"));
        }
        let purpose = purpose.trim();
        if purpose.is_empty() && self.purpose.trim().is_empty() {
            return Err(DomainError::Invalid {
                field: "field.purpose",
                reason: "err.required",
            });
        }
        if !purpose.is_empty() {
            self.purpose = purpose.to_owned();
        }
        self.handed_over_at = Some(now.max(self.arrived_at));
        self.handed_over_to = Some(to);
        Ok(())
    }

    /// Starts seeing the visitor off ("准备离开").
    pub fn start_seeing_off(&mut self, now: NaiveDateTime) -> Result<(), DomainError> {
        self.ensure_present()?;
        if self.seeing_off_at.is_none() {
            self.seeing_off_at = Some(now.max(self.arrived_at));
        }
        Ok(())
    }

    /// Records the departure with the seeing-off checklist.
    pub fn depart(
        &mut self,
        checklist: &SeeOffChecklist,
        staff: Option<i64>,
        now: NaiveDateTime,
    ) -> Result<(), DomainError> {
        self.ensure_present()?;
        let now = now.max(self.arrived_at);
        self.seeing_off_at.get_or_insert(now);
        self.departed_at = Some(now);
        self.offered_accompany = checklist.offered_accompany;
        self.travel_mode = checklist.travel_mode;
        self.reminded_belongings = checklist.reminded_belongings;
        self.reminded_documents = checklist.reminded_documents;
        self.reminded_next_contact = checklist.reminded_next_contact;
        self.seen_off_by = staff;
        Ok(())
    }

    /// Cancels a visit entered by mistake; the record is kept with the reason.
    pub fn cancel(&mut self, reason: &str, now: NaiveDateTime) -> Result<(), DomainError> {
        if self.cancelled_at.is_some() {
            return Err(DomainError::WrongState("err.already_cancelled"));
        }
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(DomainError::Invalid {
                field: "field.cancel_reason",
                reason: "err.required",
            });
        }
        self.cancelled_at = Some(now);
        self.cancel_reason = reason.to_owned();
        Ok(())
    }

    fn ensure_present(&self) -> Result<(), DomainError> {
        self.ensure_not_cancelled()?;
        if self.departed_at.is_some() {
            return Err(DomainError::WrongState("err.visit_left"));
        }
        Ok(())
    }
}

/// Shared logic of the greeting and water timers.
fn deadline_state(
    start: NaiveDateTime,
    done: Option<NaiveDateTime>,
    now: NaiveDateTime,
    warn_secs: i64,
    limit_secs: i64,
) -> TimerState {
    match done {
        Some(done) if secs_between(start, done) <= limit_secs => TimerState::DoneOnTime,
        Some(_) => TimerState::DoneLate,
        None => {
            let elapsed = secs_between(start, now);
            if elapsed > limit_secs {
                TimerState::Overdue
            } else if elapsed >= warn_secs {
                TimerState::Warning
            } else {
                TimerState::Running
            }
        }
    }
}

/// The seeing-off checklist (送客).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SeeOffChecklist {
    /// Offered to accompany the customer downstairs.
    pub offered_accompany: bool,
    /// How they travel on.
    pub travel_mode: Option<TravelMode>,
    /// Reminded about belongings.
    pub reminded_belongings: bool,
    /// Reminded about documents and receipts.
    pub reminded_documents: bool,
    /// Told about the next contact.
    pub reminded_next_contact: bool,
}

impl SeeOffChecklist {
    /// True when every point was done (SPEC R, 送客): offered to accompany downstairs, asked
    /// how they travel on, and gave all three reminders.
    pub fn is_complete(&self) -> bool {
        self.offered_accompany
            && self.travel_mode.is_some()
            && self.reminded_belongings
            && self.reminded_documents
            && self.reminded_next_contact
    }
}

/// Registration details typed at the desk (or imported), before they are checked.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RegistrationDraft {
    /// Surname (required).
    pub surname: String,
    /// 先生 / 女士 (required).
    pub honorific: Option<Honorific>,
    /// Full name.
    pub name: String,
    /// Phone.
    pub phone: String,
    /// Company.
    pub company: String,
    /// Region.
    pub region: String,
    /// Party size as typed.
    pub party_size: String,
    /// Purpose.
    pub purpose: String,
    /// The archived customer picked from the suggestions, when any.
    pub customer_id: Option<i64>,
}

/// Registration details after checking.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Registration {
    /// Surname.
    pub surname: String,
    /// Honorific.
    pub honorific: Honorific,
    /// Full name.
    pub name: String,
    /// Normalised phone.
    pub phone: String,
    /// Company.
    pub company: String,
    /// Region.
    pub region: String,
    /// Party size ≥ 1.
    pub party_size: i64,
    /// Purpose.
    pub purpose: String,
    /// The archived customer picked, when any.
    pub customer_id: Option<i64>,
}

impl RegistrationDraft {
    /// Checks the draft; the first problem is returned.
    pub fn validate(&self) -> Result<Registration, DomainError> {
        let surname = super::customer::validate_surname(&self.surname)?;
        let Some(honorific) = self.honorific else {
            return Err(DomainError::Invalid {
                field: "field.honorific",
                reason: "err.required",
            });
        };
        let phone = super::customer::normalize_phone(&self.phone)?;
        let party_size = parse_party_size(&self.party_size)?;
        use super::validation::{
            COMPANY_MAX, NAME_MAX, PURPOSE_MAX, REGION_MAX, multi_line, single_line,
        };
        Ok(Registration {
            surname,
            honorific,
            name: single_line("field.name", &self.name, NAME_MAX)?,
            phone,
            company: single_line("field.company", &self.company, COMPANY_MAX)?,
            region: single_line("field.region", &self.region, REGION_MAX)?,
            party_size,
            purpose: multi_line("field.purpose", &self.purpose, PURPOSE_MAX)?,
            customer_id: self.customer_id,
        })
    }
}

impl Registration {
    /// The customer as typed at registration: a new archive record, or what fills in the record
    /// of a returning customer.
    pub fn customer(&self) -> Customer {
        Customer {
            id: 0,
            surname: self.surname.clone(),
            honorific: Some(self.honorific),
            name: self.name.clone(),
            phone: self.phone.clone(),
            company: self.company.clone(),
            region: self.region.clone(),
        }
    }
}

/// The archived customer a registration was linked to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CustomerLink {
    /// The customer's id.
    pub customer_id: i64,
    /// The customer was in the archive already (picked, or found by phone), not created now.
    pub returning: bool,
}

/// The reason for correcting a registration: required, trimmed.
pub fn correction_reason(reason: &str) -> Result<&str, DomainError> {
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(DomainError::Invalid {
            field: "field.correct_reason",
            reason: "err.required",
        });
    }
    Ok(reason)
}

impl Visit {
    /// Copies the checked registration into the visit: who the visitor is, the archive link,
    /// party size; a typed purpose replaces the one given at hand-over, a blank one keeps it.
    /// The first registration time stays. Refused for a cancelled visit.
    pub fn register(
        &mut self,
        reg: &Registration,
        link: CustomerLink,
        now: NaiveDateTime,
    ) -> Result<(), DomainError> {
        self.ensure_not_cancelled()?;
        self.copy_registration(reg, link, now);
        if !reg.purpose.is_empty() {
            self.purpose.clone_from(&reg.purpose);
        }
        Ok(())
    }

    /// The log line of correcting this visit with `reg`: the reason, then each field that
    /// changes as `field: old → new`, e.g. `姓写错 | surname: 黄 → 王; party_size: 1 → 2`.
    /// Refused for a cancelled visit.
    pub fn correction_detail(
        &self,
        reg: &Registration,
        reason: &str,
    ) -> Result<String, DomainError> {
        self.ensure_not_cancelled()?;
        let mut diffs = Vec::new();
        let mut note = |field: &str, old: &str, new: &str| {
            if old != new {
                diffs.push(format!("{field}: {old} → {new}"));
            }
        };
        note("surname", &self.surname, &reg.surname);
        note(
            "honorific",
            self.honorific.map_or("", Honorific::as_zh),
            reg.honorific.as_zh(),
        );
        note("name", &self.name, &reg.name);
        note("phone", &self.phone, &reg.phone);
        note("company", &self.company, &reg.company);
        note("region", &self.region, &reg.region);
        note(
            "party_size",
            &self.party_size.to_string(),
            &reg.party_size.to_string(),
        );
        note("purpose", &self.purpose, &reg.purpose);
        Ok(format!("{reason} | {}", diffs.join("; ")))
    }

    /// Corrects the registration details entered wrongly: every field is replaced by the
    /// correction, a blank purpose included. Refused for a cancelled visit.
    pub fn correct(
        &mut self,
        reg: &Registration,
        link: CustomerLink,
        now: NaiveDateTime,
    ) -> Result<(), DomainError> {
        self.ensure_not_cancelled()?;
        self.copy_registration(reg, link, now);
        self.purpose.clone_from(&reg.purpose);
        Ok(())
    }

    /// Copies everything of a registration but the purpose.
    fn copy_registration(&mut self, reg: &Registration, link: CustomerLink, now: NaiveDateTime) {
        self.customer_id = Some(link.customer_id);
        self.returning = link.returning;
        self.surname.clone_from(&reg.surname);
        self.honorific = Some(reg.honorific);
        self.name.clone_from(&reg.name);
        self.phone.clone_from(&reg.phone);
        self.company.clone_from(&reg.company);
        self.region.clone_from(&reg.region);
        self.party_size = reg.party_size;
        self.registered_at.get_or_insert(now);
    }

    fn ensure_not_cancelled(&self) -> Result<(), DomainError> {
        if self.cancelled_at.is_some() {
            return Err(DomainError::WrongState("err.visit_cancelled"));
        }
        Ok(())
    }
}

/// A visit read from an imported (or demo) register.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportedVisit {
    /// Arrival.
    pub arrived_at: NaiveDateTime,
    /// Surname.
    pub surname: String,
    /// Honorific.
    pub honorific: Honorific,
    /// Full name.
    pub name: String,
    /// Phone, normalised.
    pub phone: String,
    /// Company.
    pub company: String,
    /// Purpose.
    pub purpose: String,
    /// Party size.
    pub party_size: i64,
    /// Greeting time.
    pub greeted_at: Option<NaiveDateTime>,
    /// Water-served time.
    pub water_served_at: Option<NaiveDateTime>,
    /// Departure time.
    pub departed_at: Option<NaiveDateTime>,
    /// Travel mode.
    pub travel_mode: Option<TravelMode>,
}

impl ImportedVisit {
    /// The row checked by the same field rules as the registration form (surname required,
    /// lengths, no control characters, phone normalised, purpose, party size 1–999), with the
    /// texts as they are saved.
    pub fn checked(&self) -> Result<Self, DomainError> {
        use super::validation::{PARTY_SIZE, PURPOSE_MAX, in_range, multi_line};
        let customer = self.customer().validated()?;
        let purpose = multi_line("field.purpose", &self.purpose, PURPOSE_MAX)?;
        in_range("field.party_size", self.party_size, &PARTY_SIZE)?;
        Ok(Self {
            surname: customer.surname,
            name: customer.name,
            phone: customer.phone,
            company: customer.company,
            purpose,
            ..self.clone()
        })
    }

    /// The visitor as a customer record (an old register knows no region).
    pub fn customer(&self) -> Customer {
        Customer {
            id: 0,
            surname: self.surname.clone(),
            honorific: Some(self.honorific),
            name: self.name.clone(),
            phone: self.phone.clone(),
            company: self.company.clone(),
            region: String::new(),
        }
    }

    /// When a customer first seen in this row joined the archive: as old as the visit (this is
    /// what the retention period counts from), but never later than `now`.
    pub fn customer_created_at(&self, now: NaiveDateTime) -> NaiveDateTime {
        self.arrived_at.min(now)
    }
}

/// Parses a party size: empty means 1; otherwise a whole number from 1 to 999.
pub fn parse_party_size(s: &str) -> Result<i64, DomainError> {
    let s = s.trim();
    if s.is_empty() {
        return Ok(1);
    }
    match s.parse::<i64>() {
        Ok(n) if super::validation::PARTY_SIZE.contains(&n) => Ok(n),
        _ => Err(DomainError::Invalid {
            field: "field.party_size",
            reason: "err.party_size",
        }),
    }
}

/// Counts of a day's visits as the board's summary shows them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DayCounts {
    /// Visits that arrived (not cancelled).
    pub visits: i64,
    /// Of those, greeted.
    pub greeted: i64,
    /// Of those, greeted within the limit.
    pub greeted_within_limit: i64,
    /// Of those, served water.
    pub water_served: i64,
    /// Of those, still present.
    pub present: i64,
}

impl DayCounts {
    /// Counts `visits` (cancelled ones are skipped).
    pub fn of<'a>(visits: impl IntoIterator<Item = &'a Visit>, rules: &ReceptionRules) -> Self {
        let mut c = Self::default();
        for v in visits.into_iter().filter(|v| v.cancelled_at.is_none()) {
            c.visits += 1;
            if let Some(latency) = v.greeting_latency_secs() {
                c.greeted += 1;
                if latency <= rules.greeting_limit_secs {
                    c.greeted_within_limit += 1;
                }
            }
            if v.water_served_at.is_some() {
                c.water_served += 1;
            }
            if v.is_present() {
                c.present += 1;
            }
        }
        c
    }

    /// `part` of the visits in per cent, one decimal; `None` with no visits.
    pub fn pct(&self, part: i64) -> Option<f64> {
        percent(part, self.visits)
    }
}

/// `part / whole × 100` rounded to one decimal; `None` when `whole` is 0.
pub fn percent(part: i64, whole: i64) -> Option<f64> {
    if whole == 0 {
        return None;
    }
    #[expect(clippy::cast_precision_loss, reason = "counts are far below 2^52")]
    let pct = part as f64 * 100.0 / whole as f64;
    Some((pct * 10.0).round() / 10.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::{Clock as _, FakeClock};

    fn visit_at(clock: &FakeClock) -> Visit {
        Visit {
            id: 1,
            arrived_at: clock.now(),
            party_size: 1,
            ..Visit::default()
        }
    }

    #[test]
    fn greeting_timer_turns_amber_then_red() {
        let clock = FakeClock::at("2026-11-23 09:00:00");
        let rules = ReceptionRules::default();
        let v = visit_at(&clock);
        assert_eq!(v.greeting_state(clock.now(), &rules), TimerState::Running);
        clock.advance_secs(44);
        assert_eq!(v.greeting_state(clock.now(), &rules), TimerState::Running);
        clock.advance_secs(1);
        assert_eq!(v.greeting_state(clock.now(), &rules), TimerState::Warning);
        clock.advance_secs(15);
        assert_eq!(v.greeting_timer_secs(clock.now()), 60);
        assert_eq!(v.greeting_state(clock.now(), &rules), TimerState::Warning);
        assert!(!v.greeting_is_late(clock.now(), &rules));
        clock.advance_secs(1);
        assert_eq!(v.greeting_state(clock.now(), &rules), TimerState::Overdue);
        assert!(v.greeting_is_late(clock.now(), &rules));
    }

    #[test]
    fn greeting_records_latency_and_lateness() {
        let clock = FakeClock::at("2026-11-23 09:00:00");
        let rules = ReceptionRules::default();
        let mut v = visit_at(&clock);
        clock.advance_secs(75);
        v.greet(Some(7), clock.now()).unwrap();
        assert_eq!(v.greeting_latency_secs(), Some(75));
        assert_eq!(v.greeted_by, Some(7));
        clock.advance_secs(100);
        assert_eq!(
            v.greeting_timer_secs(clock.now()),
            75,
            "the timer stops at the greeting"
        );
        assert_eq!(v.greeting_state(clock.now(), &rules), TimerState::DoneLate);
        assert_eq!(
            v.greet(None, clock.now()),
            Err(DomainError::WrongState("err.already_greeted"))
        );

        let mut on_time = visit_at(&clock);
        clock.advance_secs(60);
        on_time.greet(None, clock.now()).unwrap();
        assert_eq!(
            on_time.greeting_state(clock.now(), &rules),
            TimerState::DoneOnTime
        );
    }

    #[test]
    fn stages_follow_the_visit() {
        let clock = FakeClock::at("2026-11-23 09:00:00");
        let mut v = visit_at(&clock);
        assert_eq!(v.stage(), Stage::Arrived);
        clock.advance_secs(20);
        v.greet(Some(1), clock.now()).unwrap();
        assert_eq!(v.stage(), Stage::Greeted);
        v.registered_at = Some(clock.now());
        assert_eq!(v.stage(), Stage::Registered);
        v.serve_water(Some(1), clock.now()).unwrap();
        assert_eq!(v.stage(), Stage::WaterServed);
        v.hand_over(2, "提货", clock.now()).unwrap();
        assert_eq!(v.stage(), Stage::HandedOver);
        assert_eq!(v.purpose, "提货");
        v.start_seeing_off(clock.now()).unwrap();
        assert_eq!(v.stage(), Stage::SeeingOff);
        clock.advance_secs(600);
        let checklist = SeeOffChecklist {
            offered_accompany: true,
            travel_mode: Some(TravelMode::Taxi),
            ..SeeOffChecklist::default()
        };
        v.depart(&checklist, Some(1), clock.now()).unwrap();
        assert_eq!(v.stage(), Stage::Left);
        assert_eq!(v.duration_secs(), Some(620));
        assert!(!v.is_present());
        assert_eq!(v.next_change(clock.now()), None);
        assert_eq!(
            v.serve_water(None, clock.now()),
            Err(DomainError::WrongState("err.visit_left"))
        );
    }

    /// Seen off with the checklist: only a departure with every point done counts; one point
    /// missing, or a visitor still in the building, does not.
    #[test]
    fn seen_off_with_checklist_needs_every_point_and_the_departure() {
        let clock = FakeClock::at("2026-11-23 09:00:00");
        let whole = SeeOffChecklist {
            offered_accompany: true,
            travel_mode: Some(TravelMode::Train),
            reminded_belongings: true,
            reminded_documents: true,
            reminded_next_contact: true,
        };
        assert!(whole.is_complete());
        let missing_one: [fn(&mut SeeOffChecklist); 5] = [
            |c| c.offered_accompany = false,
            |c| c.travel_mode = None,
            |c| c.reminded_belongings = false,
            |c| c.reminded_documents = false,
            |c| c.reminded_next_contact = false,
        ];
        for (i, drop) in missing_one.iter().enumerate() {
            let mut c = whole.clone();
            drop(&mut c);
            assert!(!c.is_complete(), "point {i} missing");
            let mut v = visit_at(&clock);
            v.depart(&c, Some(1), clock.now()).unwrap();
            assert!(!v.seen_off_with_checklist(), "point {i} missing");
        }
        let mut v = visit_at(&clock);
        v.start_seeing_off(clock.now()).unwrap();
        assert!(!v.seen_off_with_checklist(), "still in the building");
        clock.advance_secs(120);
        v.depart(&whole, Some(1), clock.now()).unwrap();
        assert!(v.seen_off_with_checklist());
        assert_eq!(v.see_off_checklist(), whole);
    }

    #[test]
    fn hand_over_needs_a_purpose() {
        let clock = FakeClock::at("2026-11-23 09:00:00");
        let mut v = visit_at(&clock);
        assert!(v.hand_over(2, "  ", clock.now()).is_err());
        v.purpose = "咨询运价".into();
        v.hand_over(2, "", clock.now()).unwrap();
        assert_eq!(v.purpose, "咨询运价");
    }

    #[test]
    fn water_deadline_defaults_to_five_minutes() {
        let clock = FakeClock::at("2026-11-23 09:00:00");
        let rules = ReceptionRules::default();
        let mut v = visit_at(&clock);
        clock.advance_secs(239);
        assert_eq!(v.water_state(clock.now(), &rules), TimerState::Running);
        clock.advance_secs(1);
        assert_eq!(v.water_state(clock.now(), &rules), TimerState::Warning);
        clock.advance_secs(61);
        assert_eq!(v.water_state(clock.now(), &rules), TimerState::Overdue);
        v.serve_water(Some(3), clock.now()).unwrap();
        assert_eq!(v.water_state(clock.now(), &rules), TimerState::DoneLate);
    }

    #[test]
    fn greeting_line_uses_the_surname_when_known() {
        let clock = FakeClock::at("2026-11-23 09:00:00");
        let mut v = visit_at(&clock);
        assert_eq!(v.greeting_script(), Script::GreetUnknown);
        v.surname = "王".into();
        assert_eq!(
            v.greeting_script(),
            Script::GreetUnknown,
            "no honorific yet"
        );
        v.honorific = Some(Honorific::Mr);
        assert_eq!(v.greeting_script(), Script::GreetKnown("王先生".into()));
        v.surname = "Smith".into();
        assert_eq!(v.greeting_script(), Script::GreetKnown("Smith先生".into()));
        assert_eq!(
            crate::i18n::tf("script.greet_known", &[("salutation", "Smith先生")]),
            "Smith先生,您好"
        );
    }

    #[test]
    fn waiting_too_long_and_next_change() {
        let clock = FakeClock::at("2026-11-23 09:00:00");
        let rules = ReceptionRules::default();
        let mut v = visit_at(&clock);
        clock.advance(Duration::milliseconds(10_250));
        assert_eq!(
            v.next_change(clock.now()),
            Some(Duration::milliseconds(750))
        );
        clock.advance_secs(600);
        assert!(v.waited_too_long(clock.now(), &rules));
        v.hand_over(2, "取件", clock.now()).unwrap();
        assert!(!v.waited_too_long(clock.now(), &rules));
    }

    #[test]
    fn cancel_keeps_the_reason() {
        let clock = FakeClock::at("2026-11-23 09:00:00");
        let mut v = visit_at(&clock);
        assert!(v.cancel("  ", clock.now()).is_err());
        v.cancel("误点到达", clock.now()).unwrap();
        assert_eq!(v.cancel_reason, "误点到达");
        assert!(!v.is_present());
        assert!(v.greet(None, clock.now()).is_err());
    }

    #[test]
    fn registration_validation() {
        let mut d = RegistrationDraft {
            surname: "王".into(),
            honorific: Some(Honorific::Mr),
            phone: "138 1234 5678".into(),
            ..RegistrationDraft::default()
        };
        let r = d.validate().unwrap();
        assert_eq!(r.phone, "13812345678");
        assert_eq!(r.party_size, 1);
        d.party_size = "0".into();
        assert!(d.validate().is_err());
        d.party_size = "3".into();
        d.honorific = None;
        assert_eq!(
            d.validate().unwrap_err(),
            DomainError::Invalid {
                field: "field.honorific",
                reason: "err.required"
            }
        );
    }

    fn registration() -> Registration {
        Registration {
            surname: "王".into(),
            honorific: Honorific::Mr,
            name: "王建国".into(),
            phone: "13812345678".into(),
            company: "顺达物流".into(),
            region: "上海".into(),
            party_size: 2,
            purpose: "咨询运价".into(),
            customer_id: Some(5),
        }
    }

    fn at(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S").unwrap()
    }

    const LINK: CustomerLink = CustomerLink {
        customer_id: 42,
        returning: true,
    };

    #[test]
    fn registration_copies_the_details_into_the_visit() {
        let clock = FakeClock::at("2026-11-23 09:00:00");
        let mut v = visit_at(&clock);
        v.greeted_at = Some(clock.now());
        clock.advance_secs(30);
        v.register(&registration(), LINK, clock.now()).unwrap();
        assert_eq!(
            v,
            Visit {
                id: 1,
                customer_id: Some(42),
                arrived_at: at("2026-11-23 09:00:00"),
                surname: "王".into(),
                honorific: Some(Honorific::Mr),
                name: "王建国".into(),
                phone: "13812345678".into(),
                company: "顺达物流".into(),
                region: "上海".into(),
                party_size: 2,
                purpose: "咨询运价".into(),
                returning: true,
                registered_at: Some(at("2026-11-23 09:00:30")),
                greeted_at: Some(at("2026-11-23 09:00:00")),
                ..Visit::default()
            }
        );
        // Registering again keeps the first registration time.
        clock.advance_secs(60);
        let new_customer = CustomerLink {
            customer_id: 43,
            returning: false,
        };
        v.register(&registration(), new_customer, clock.now())
            .unwrap();
        assert_eq!(v.registered_at, Some(at("2026-11-23 09:00:30")));
        assert_eq!(v.customer_id, Some(43));
        assert!(!v.returning);
    }

    #[test]
    fn a_blank_purpose_at_registration_keeps_the_one_given_before() {
        let clock = FakeClock::at("2026-11-23 09:00:00");
        let mut v = visit_at(&clock);
        v.hand_over(3, "提货", clock.now()).unwrap();
        let reg = Registration {
            purpose: String::new(),
            ..registration()
        };
        v.register(&reg, LINK, clock.now()).unwrap();
        assert_eq!(v.purpose, "提货");
        v.register(&registration(), LINK, clock.now()).unwrap();
        assert_eq!(v.purpose, "咨询运价");
    }

    #[test]
    fn cancelled_visits_are_neither_registered_nor_corrected() {
        let clock = FakeClock::at("2026-11-23 09:00:00");
        let mut v = visit_at(&clock);
        v.cancel("误点到达", clock.now()).unwrap();
        let refused = Err(DomainError::WrongState("err.visit_cancelled"));
        assert_eq!(v.register(&registration(), LINK, clock.now()), refused);
        assert_eq!(
            v.correction_detail(&registration(), "姓写错"),
            Err(DomainError::WrongState("err.visit_cancelled"))
        );
        assert_eq!(v.correct(&registration(), LINK, clock.now()), refused);
        assert_eq!(v.surname, "", "nothing copied");
        assert_eq!(v.customer_id, None);
    }

    #[test]
    fn a_departed_visit_can_still_be_corrected() {
        let clock = FakeClock::at("2026-11-23 09:00:00");
        let mut v = visit_at(&clock);
        v.register(&registration(), LINK, clock.now()).unwrap();
        clock.advance_secs(600);
        v.depart(&SeeOffChecklist::default(), None, clock.now())
            .unwrap();
        clock.advance_secs(3600);
        let fixed = Registration {
            surname: "黄".into(),
            purpose: String::new(),
            party_size: 1,
            ..registration()
        };
        let detail = v.correction_detail(&fixed, "姓写错").unwrap();
        assert_eq!(
            detail,
            "姓写错 | surname: 王 → 黄; party_size: 2 → 1; purpose: 咨询运价 → "
        );
        v.correct(&fixed, LINK, clock.now()).unwrap();
        assert_eq!(v.surname, "黄");
        assert_eq!(v.party_size, 1);
        assert_eq!(
            v.purpose, "",
            "a correction replaces the purpose, blank or not"
        );
        assert_eq!(v.registered_at, Some(at("2026-11-23 09:00:00")));
        assert_eq!(v.departed_at, Some(at("2026-11-23 09:10:00")));
    }

    #[test]
    fn correction_detail_lists_every_changed_field() {
        let v = Visit {
            party_size: 1,
            ..Visit::default()
        };
        assert_eq!(
            v.correction_detail(&registration(), "补登").unwrap(),
            "补登 | surname:  → 王; honorific:  → 先生; name:  → 王建国; \
             phone:  → 13812345678; company:  → 顺达物流; region:  → 上海; party_size: 1 → 2; \
             purpose:  → 咨询运价"
        );
        let mut same = Visit::default();
        same.register(&registration(), LINK, at("2026-11-23 09:00:00"))
            .unwrap();
        assert_eq!(
            same.correction_detail(&registration(), "核对").unwrap(),
            "核对 | ",
            "nothing changed"
        );
    }

    #[test]
    fn a_correction_needs_a_reason() {
        assert_eq!(correction_reason("  姓写错 "), Ok("姓写错"));
        assert_eq!(
            correction_reason(" \t"),
            Err(DomainError::Invalid {
                field: "field.correct_reason",
                reason: "err.required"
            })
        );
    }

    #[test]
    fn the_customer_typed_at_registration() {
        assert_eq!(
            registration().customer(),
            Customer {
                id: 0,
                surname: "王".into(),
                honorific: Some(Honorific::Mr),
                name: "王建国".into(),
                phone: "13812345678".into(),
                company: "顺达物流".into(),
                region: "上海".into(),
            }
        );
    }

    #[test]
    fn imported_rows_follow_the_form_rules() {
        let row = ImportedVisit {
            arrived_at: at("2025-03-01 10:00:00"),
            surname: " 欧阳 ".into(),
            honorific: Honorific::Ms,
            name: " 欧阳娜 ".into(),
            phone: "138-1234-5678".into(),
            company: " 顺达 ".into(),
            purpose: " 提货\r\n两件 ".into(),
            party_size: 999,
            greeted_at: None,
            water_served_at: None,
            departed_at: None,
            travel_mode: Some(TravelMode::Taxi),
        };
        let checked = row.checked().unwrap();
        assert_eq!(checked.surname, "欧阳");
        assert_eq!(checked.name, "欧阳娜");
        assert_eq!(checked.phone, "13812345678");
        assert_eq!(checked.company, "顺达");
        assert_eq!(checked.purpose, "提货\n两件");
        assert_eq!(checked.travel_mode, Some(TravelMode::Taxi));
        assert_eq!(checked.customer().region, "");
        assert_eq!(checked.customer().honorific, Some(Honorific::Ms));
        let too_many = ImportedVisit {
            party_size: 1000,
            ..row.clone()
        };
        assert_eq!(
            too_many.checked(),
            Err(DomainError::OutOfRange {
                field: "field.party_size",
                min: 1,
                max: 999
            })
        );
        let nobody = ImportedVisit {
            party_size: 0,
            surname: " ".into(),
            ..row.clone()
        };
        assert_eq!(
            nobody.checked(),
            Err(DomainError::Invalid {
                field: "field.surname",
                reason: "err.required"
            }),
            "the surname is checked first"
        );
        // The customer is as old as the visit, but not from the future.
        assert_eq!(
            row.customer_created_at(at("2026-11-23 09:00:00")),
            at("2025-03-01 10:00:00")
        );
        assert_eq!(
            row.customer_created_at(at("2025-02-01 00:00:00")),
            at("2025-02-01 00:00:00")
        );
    }

    #[test]
    fn day_counts_and_percent() {
        let clock = FakeClock::at("2026-11-23 09:00:00");
        let rules = ReceptionRules::default();
        let mut a = visit_at(&clock);
        let mut b = visit_at(&clock);
        let mut c = visit_at(&clock);
        clock.advance_secs(30);
        a.greet(None, clock.now()).unwrap();
        a.serve_water(None, clock.now()).unwrap();
        clock.advance_secs(60);
        b.greet(None, clock.now()).unwrap();
        c.cancel("重复登记", clock.now()).unwrap();
        let counts = DayCounts::of([&a, &b, &c], &rules);
        assert_eq!(
            counts,
            DayCounts {
                visits: 2,
                greeted: 2,
                greeted_within_limit: 1,
                water_served: 1,
                present: 2
            }
        );
        assert_eq!(counts.pct(counts.greeted_within_limit), Some(50.0));
        assert_eq!(percent(1, 3), Some(33.3));
        assert_eq!(percent(2, 3), Some(66.7));
        assert_eq!(percent(1, 0), None);
    }

    #[test]
    fn rules_validation() {
        assert!(ReceptionRules::default().validate().is_ok());
        let bad = ReceptionRules {
            greeting_warn_secs: 60,
            ..ReceptionRules::default()
        };
        assert!(bad.validate().is_err());
    }
}
