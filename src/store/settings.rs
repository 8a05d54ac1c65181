//! Key–value settings: language, company name, reception limits, the desk operator.
//!
//! What a stored value means (ranges, defaults, parsing) is decided in
//! [`crate::domain::settings`]; this module only reads and writes the keys.

use chrono::NaiveTime;

use super::Result;
use super::db::Db;
use crate::db_params;
use crate::domain::calendar::BusinessCalendar;
use crate::domain::complaint::SlaRules;
use crate::domain::settings;
use crate::domain::visit::ReceptionRules;
use crate::i18n::Lang;

pub use crate::domain::settings::DEFAULT_PRIVACY_NOTICE;

/// Everything the settings screen edits, with defaults for a fresh database.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Settings {
    /// UI language.
    pub lang: Lang,
    /// Company name used in the phone opening line.
    pub company_name: String,
    /// Reception limits.
    pub rules: ReceptionRules,
    /// From this time of day, visitors still present are called out (end of the working day).
    pub closing_time: NaiveTime,
    /// The staff member at the desk, who greets and serves by default.
    pub operator_id: Option<i64>,
    /// Complaint SLA limits and the business-hours calendar.
    pub sla: SlaRules,
    /// An idle supervisor session locks after this many seconds.
    pub idle_lock_secs: i64,
    /// The privacy notice the desk can show a visitor.
    pub privacy_notice: String,
    /// Retention periods of personal data (saved separately, by admins).
    pub retention: super::privacy::Retention,
    /// Satisfaction and complaint-rate targets.
    pub targets: settings::Targets,
    /// Claims' settlement deadlines.
    pub settle: crate::domain::claim::SettleRules,
    /// The departments a case can be handed to (业务, 运输/车队, 仓库, 财务, 分公司 …).
    pub departments: Vec<String>,
    /// When the desk's shift starts: a sign-in a whole minute later is late (签到).
    pub shift_start: NaiveTime,
    /// Public holidays and make-up working days: no absence on a holiday, one on a make-up day.
    pub days_off: crate::domain::attendance::DaysOff,
}

/// The departments offered at first.
pub const DEFAULT_DEPARTMENTS: [&str; 5] = ["业务", "运输/车队", "仓库", "财务", "分公司"];

impl Default for Settings {
    fn default() -> Self {
        Self {
            lang: Lang::ZhCn,
            company_name: String::new(),
            rules: ReceptionRules::default(),
            closing_time: settings::default_closing_time(),
            operator_id: None,
            sla: SlaRules::default(),
            idle_lock_secs: settings::DEFAULT_IDLE_LOCK_SECS,
            privacy_notice: DEFAULT_PRIVACY_NOTICE.to_owned(),
            retention: super::privacy::Retention::default(),
            targets: settings::Targets::default(),
            settle: crate::domain::claim::SettleRules::default(),
            departments: DEFAULT_DEPARTMENTS.map(str::to_owned).to_vec(),
            shift_start: crate::domain::attendance::default_shift_start(),
            days_off: crate::domain::attendance::DaysOff::default(),
        }
    }
}

fn get(db: Db<'_>, key: &str) -> Result<Option<String>> {
    db.query_opt(
        "SELECT value FROM settings WHERE key = ?1",
        db_params![key],
        |r| r.get(0),
    )
}

fn put(db: Db<'_>, key: &str, value: &str) -> Result<()> {
    db.execute(
        "INSERT INTO settings (key, value) VALUES (?1, ?2)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        db_params![key, value],
    )?;
    Ok(())
}

/// Loads the settings; missing or unreadable values fall back to the defaults, and so do limits
/// outside their allowed ranges (written by hand or by an older version), so that no stored
/// value can make a timer or a date computation overflow.
pub fn load<'a>(db: impl Into<Db<'a>>) -> Result<Settings> {
    let s = load_raw(db.into())?;
    Ok(Settings {
        rules: settings::loaded_reception_rules(s.rules),
        sla: settings::loaded_sla_rules(s.sla),
        idle_lock_secs: settings::loaded_idle_lock_secs(s.idle_lock_secs),
        targets: s.targets.loaded(),
        settle: if s.settle.validate().is_ok() {
            s.settle
        } else {
            crate::domain::claim::SettleRules::default()
        },
        ..s
    })
}

fn load_raw(db: Db<'_>) -> Result<Settings> {
    let d = Settings::default();
    let int = |key: &str, default: i64| -> Result<i64> {
        Ok(settings::parse_int(get(db, key)?.as_deref(), default))
    };
    Ok(Settings {
        lang: get(db, "language")?.map_or(d.lang, |c| Lang::from_code(&c)),
        company_name: get(db, "company_name")?.unwrap_or_default(),
        rules: ReceptionRules {
            greeting_warn_secs: int("greeting_warn_secs", d.rules.greeting_warn_secs)?,
            greeting_limit_secs: int("greeting_limit_secs", d.rules.greeting_limit_secs)?,
            water_limit_secs: int("water_limit_secs", d.rules.water_limit_secs)?,
            wait_limit_secs: int("wait_limit_secs", d.rules.wait_limit_secs)?,
        },
        closing_time: settings::parse_time_of_day(
            get(db, "closing_time")?.as_deref(),
            d.closing_time,
        ),
        shift_start: settings::parse_time_of_day(get(db, "shift_start")?.as_deref(), d.shift_start),
        operator_id: settings::parse_id(get(db, "operator_id")?.as_deref()),
        sla: SlaRules {
            first_response_secs: int("sla_first_response_secs", d.sla.first_response_secs)?,
            major_resolution_secs: int("sla_major_resolution_secs", d.sla.major_resolution_secs)?,
            ordinary_resolution_secs: int(
                "sla_ordinary_resolution_secs",
                d.sla.ordinary_resolution_secs,
            )?,
            warn_secs: int("sla_warn_secs", d.sla.warn_secs)?,
            calendar: calendar(db, &d.sla.calendar)?,
        },
        idle_lock_secs: int("idle_lock_secs", d.idle_lock_secs)?,
        privacy_notice: get(db, "privacy_notice")?.unwrap_or(d.privacy_notice),
        retention: super::privacy::retention(db)?,
        targets: settings::Targets {
            satisfaction_bp: int("target_satisfaction_bp", d.targets.satisfaction_bp)?,
            complaint_rate_bp: int("target_complaint_rate_bp", d.targets.complaint_rate_bp)?,
        },
        settle: crate::domain::claim::SettleRules {
            days: int("claim_settle_days", d.settle.days)?,
            warn_days: int("claim_warn_days", d.settle.warn_days)?,
        },
        departments: get(db, "departments")?
            .map_or(d.departments, |v| v.lines().map(str::to_owned).collect()),
        days_off: crate::domain::attendance::DaysOff {
            holidays: days(db, "holidays")?,
            makeup_workdays: days(db, "makeup_workdays")?,
        },
    })
}

/// A list of days kept one per line; a line that is not a day (edited by hand) is left out.
fn days(db: Db<'_>, key: &str) -> Result<Vec<chrono::NaiveDate>> {
    Ok(get(db, key)?
        .map(|v| {
            v.lines()
                .filter_map(|l| chrono::NaiveDate::parse_from_str(l.trim(), "%Y-%m-%d").ok())
                .collect()
        })
        .unwrap_or_default())
}

fn calendar(db: Db<'_>, d: &BusinessCalendar) -> Result<BusinessCalendar> {
    let time = |key: &str, default: NaiveTime| -> Result<NaiveTime> {
        Ok(settings::parse_time_of_day(
            get(db, key)?.as_deref(),
            default,
        ))
    };
    let workdays = settings::parse_workdays(get(db, "business_days")?.as_deref(), d.workdays);
    Ok(BusinessCalendar {
        enabled: settings::parse_flag(get(db, "business_hours_enabled")?.as_deref()),
        workdays,
        start: time("business_start", d.start)?,
        end: time("business_end", d.end)?,
    })
}

/// Saves all settings after checking the reception limits.
pub fn save<'a>(db: impl Into<Db<'a>>, s: &Settings) -> Result<()> {
    let db = db.into();
    settings::check_limits(&s.rules, &s.sla, s.idle_lock_secs)?;
    s.settle.validate()?;
    let company_name = settings::company_name(&s.company_name)?;
    let privacy_notice = settings::privacy_notice(&s.privacy_notice)?;
    put(db, "idle_lock_secs", &s.idle_lock_secs.to_string())?;
    put(db, "privacy_notice", &privacy_notice)?;
    put(db, "language", s.lang.code())?;
    put(
        db,
        "sla_first_response_secs",
        &s.sla.first_response_secs.to_string(),
    )?;
    put(
        db,
        "sla_major_resolution_secs",
        &s.sla.major_resolution_secs.to_string(),
    )?;
    put(
        db,
        "sla_ordinary_resolution_secs",
        &s.sla.ordinary_resolution_secs.to_string(),
    )?;
    put(db, "sla_warn_secs", &s.sla.warn_secs.to_string())?;
    let c = &s.sla.calendar;
    put(
        db,
        "business_hours_enabled",
        settings::format_flag(c.enabled),
    )?;
    put(db, "business_days", &settings::format_workdays(&c.workdays))?;
    put(db, "business_start", &settings::format_time_of_day(c.start))?;
    put(db, "business_end", &settings::format_time_of_day(c.end))?;
    put(db, "company_name", &company_name)?;
    put(
        db,
        "greeting_warn_secs",
        &s.rules.greeting_warn_secs.to_string(),
    )?;
    put(
        db,
        "greeting_limit_secs",
        &s.rules.greeting_limit_secs.to_string(),
    )?;
    put(
        db,
        "water_limit_secs",
        &s.rules.water_limit_secs.to_string(),
    )?;
    put(db, "wait_limit_secs", &s.rules.wait_limit_secs.to_string())?;
    let targets = s.targets.loaded();
    put(
        db,
        "target_satisfaction_bp",
        &targets.satisfaction_bp.to_string(),
    )?;
    put(
        db,
        "target_complaint_rate_bp",
        &targets.complaint_rate_bp.to_string(),
    )?;
    put(db, "claim_settle_days", &s.settle.days.to_string())?;
    put(db, "claim_warn_days", &s.settle.warn_days.to_string())?;
    let departments = crate::domain::validation::list_entries(&s.departments);
    put(db, "departments", &departments.join("\n"))?;
    let days = crate::domain::attendance::format_days;
    put(db, "holidays", &days(&s.days_off.holidays))?;
    put(db, "makeup_workdays", &days(&s.days_off.makeup_workdays))?;
    put(
        db,
        "closing_time",
        &settings::format_time_of_day(s.closing_time),
    )?;
    put(
        db,
        "shift_start",
        &settings::format_time_of_day(s.shift_start),
    )?;
    set_operator(db, s.operator_id)?;
    Ok(())
}

/// Saves only the language (the switch takes effect at once).
pub fn set_lang<'a>(db: impl Into<Db<'a>>, lang: Lang) -> Result<()> {
    put(db.into(), "language", lang.code())
}

/// Saves only the desk operator.
pub fn set_operator<'a>(db: impl Into<Db<'a>>, operator_id: Option<i64>) -> Result<()> {
    let db = db.into();
    match operator_id {
        Some(id) => put(db, "operator_id", &id.to_string()),
        None => {
            db.execute(
                "DELETE FROM settings WHERE key = 'operator_id'",
                db_params![],
            )?;
            Ok(())
        }
    }
}

/// The key of a desk's own value of `key` ("operator_id@1号台").
fn desk_key(key: &str, desk: &str) -> String {
    format!("{key}@{desk}")
}

/// The settings as desk `desk` uses them: the shared ones, with this desk's own operator and
/// language (several desks share one database; each chooses who works at it and its language).
/// A desk that never chose keeps the shared values.
pub fn load_for_desk<'a>(db: impl Into<Db<'a>>, desk: &str) -> Result<Settings> {
    let db = db.into();
    let mut s = load(db)?;
    if let Some(v) = get(db, &desk_key("operator_id", desk))? {
        s.operator_id = settings::parse_id(Some(&v));
    }
    if let Some(code) = get(db, &desk_key("language", desk))? {
        s.lang = Lang::from_code(&code);
    }
    Ok(s)
}

/// Saves who works at desk `desk` (`None`: nobody chosen).
pub fn set_desk_operator<'a>(
    db: impl Into<Db<'a>>,
    desk: &str,
    operator_id: Option<i64>,
) -> Result<()> {
    let value = operator_id.map(|id| id.to_string()).unwrap_or_default();
    put(db.into(), &desk_key("operator_id", desk), &value)
}

/// Saves desk `desk`'s language.
pub fn set_desk_lang<'a>(db: impl Into<Db<'a>>, desk: &str, lang: Lang) -> Result<()> {
    put(db.into(), &desk_key("language", desk), lang.code())
}

/// Reads one raw setting.
pub fn value<'a>(db: impl Into<Db<'a>>, key: &str) -> Result<Option<String>> {
    get(db.into(), key)
}

/// Writes one raw setting.
pub fn set_value<'a>(db: impl Into<Db<'a>>, key: &str, value: &str) -> Result<()> {
    put(db.into(), key, value)
}
