//! Key–value settings: language, company name, reception limits, the desk operator.

use chrono::NaiveTime;
use rusqlite::{Connection, OptionalExtension as _, Transaction, params};

use super::Result;
use crate::domain::calendar::BusinessCalendar;
use crate::domain::complaint::SlaRules;
use crate::domain::visit::ReceptionRules;
use crate::i18n::Lang;

/// The privacy notice shown to visitors until a supervisor edits it.
pub const DEFAULT_PRIVACY_NOTICE: &str = "我们登记您的姓名、电话和单位,仅用于本次接待、业务联系和服务回访。非大客户的个人信息在一年后自动匿名化;您可以随时要求查询或删除您的个人信息。";

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
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            lang: Lang::ZhCn,
            company_name: String::new(),
            rules: ReceptionRules::default(),
            closing_time: NaiveTime::from_hms_opt(18, 0, 0).unwrap_or_default(),
            operator_id: None,
            sla: SlaRules::default(),
            idle_lock_secs: 600,
            privacy_notice: DEFAULT_PRIVACY_NOTICE.to_owned(),
            retention: super::privacy::Retention::default(),
        }
    }
}

fn get(conn: &Connection, key: &str) -> Result<Option<String>> {
    Ok(conn
        .query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| {
            r.get(0)
        })
        .optional()?)
}

fn put(tx: &Transaction<'_>, key: &str, value: &str) -> Result<()> {
    tx.execute(
        "INSERT INTO settings (key, value) VALUES (?1, ?2)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        params![key, value],
    )?;
    Ok(())
}

/// Loads the settings; missing or unreadable values fall back to the defaults, and so do limits
/// outside their allowed ranges (written by hand or by an older version), so that no stored
/// value can make a timer or a date computation overflow.
pub fn load(conn: &Connection) -> Result<Settings> {
    let mut s = load_raw(conn)?;
    let d = Settings::default();
    if s.rules.validate().is_err() {
        s.rules = d.rules;
    }
    if s.sla.validate().is_err() {
        s.sla = d.sla;
    }
    if !IDLE_LOCK_SECS.contains(&s.idle_lock_secs) {
        s.idle_lock_secs = d.idle_lock_secs;
    }
    Ok(s)
}

/// An idle supervisor session locks after 1 minute to 8 hours.
const IDLE_LOCK_SECS: std::ops::RangeInclusive<i64> = 60..=8 * 3600;

fn load_raw(conn: &Connection) -> Result<Settings> {
    let d = Settings::default();
    let int = |key: &str, default: i64| -> Result<i64> {
        Ok(get(conn, key)?
            .and_then(|v| v.parse().ok())
            .unwrap_or(default))
    };
    Ok(Settings {
        lang: get(conn, "language")?.map_or(d.lang, |c| Lang::from_code(&c)),
        company_name: get(conn, "company_name")?.unwrap_or_default(),
        rules: ReceptionRules {
            greeting_warn_secs: int("greeting_warn_secs", d.rules.greeting_warn_secs)?,
            greeting_limit_secs: int("greeting_limit_secs", d.rules.greeting_limit_secs)?,
            water_limit_secs: int("water_limit_secs", d.rules.water_limit_secs)?,
            wait_limit_secs: int("wait_limit_secs", d.rules.wait_limit_secs)?,
        },
        closing_time: get(conn, "closing_time")?
            .and_then(|v| NaiveTime::parse_from_str(&v, "%H:%M").ok())
            .unwrap_or(d.closing_time),
        operator_id: get(conn, "operator_id")?.and_then(|v| v.parse().ok()),
        sla: SlaRules {
            first_response_secs: int("sla_first_response_secs", d.sla.first_response_secs)?,
            major_resolution_secs: int("sla_major_resolution_secs", d.sla.major_resolution_secs)?,
            ordinary_resolution_secs: int(
                "sla_ordinary_resolution_secs",
                d.sla.ordinary_resolution_secs,
            )?,
            warn_secs: int("sla_warn_secs", d.sla.warn_secs)?,
            calendar: calendar(conn, &d.sla.calendar)?,
        },
        idle_lock_secs: int("idle_lock_secs", d.idle_lock_secs)?,
        privacy_notice: get(conn, "privacy_notice")?.unwrap_or(d.privacy_notice),
        retention: super::privacy::retention(conn)?,
    })
}

fn calendar(conn: &Connection, d: &BusinessCalendar) -> Result<BusinessCalendar> {
    let time = |key: &str, default: NaiveTime| -> Result<NaiveTime> {
        Ok(get(conn, key)?
            .and_then(|v| NaiveTime::parse_from_str(&v, "%H:%M").ok())
            .unwrap_or(default))
    };
    let mut workdays = d.workdays;
    if let Some(days) = get(conn, "business_days")?
        && days.len() == 7
    {
        for (slot, c) in workdays.iter_mut().zip(days.chars()) {
            *slot = c == '1';
        }
    }
    Ok(BusinessCalendar {
        enabled: get(conn, "business_hours_enabled")?.is_some_and(|v| v == "1"),
        workdays,
        start: time("business_start", d.start)?,
        end: time("business_end", d.end)?,
    })
}

/// Saves all settings after checking the reception limits.
pub fn save(tx: &Transaction<'_>, s: &Settings) -> Result<()> {
    s.rules.validate()?;
    s.sla.validate()?;
    if !IDLE_LOCK_SECS.contains(&s.idle_lock_secs) {
        return Err(crate::domain::DomainError::Invalid {
            field: "settings.idle_lock",
            reason: "err.setting_range",
        }
        .into());
    }
    use crate::domain::validation::{COMPANY_MAX, NOTES_MAX, multi_line, single_line};
    let company_name = single_line("settings.company_name", &s.company_name, COMPANY_MAX)?;
    let privacy_notice = multi_line("settings.privacy_notice", &s.privacy_notice, NOTES_MAX)?;
    put(tx, "idle_lock_secs", &s.idle_lock_secs.to_string())?;
    put(tx, "privacy_notice", &privacy_notice)?;
    put(tx, "language", s.lang.code())?;
    put(
        tx,
        "sla_first_response_secs",
        &s.sla.first_response_secs.to_string(),
    )?;
    put(
        tx,
        "sla_major_resolution_secs",
        &s.sla.major_resolution_secs.to_string(),
    )?;
    put(
        tx,
        "sla_ordinary_resolution_secs",
        &s.sla.ordinary_resolution_secs.to_string(),
    )?;
    put(tx, "sla_warn_secs", &s.sla.warn_secs.to_string())?;
    let c = &s.sla.calendar;
    put(
        tx,
        "business_hours_enabled",
        if c.enabled { "1" } else { "0" },
    )?;
    let days: String = c
        .workdays
        .iter()
        .map(|&w| if w { '1' } else { '0' })
        .collect();
    put(tx, "business_days", &days)?;
    put(tx, "business_start", &c.start.format("%H:%M").to_string())?;
    put(tx, "business_end", &c.end.format("%H:%M").to_string())?;
    put(tx, "company_name", &company_name)?;
    put(
        tx,
        "greeting_warn_secs",
        &s.rules.greeting_warn_secs.to_string(),
    )?;
    put(
        tx,
        "greeting_limit_secs",
        &s.rules.greeting_limit_secs.to_string(),
    )?;
    put(
        tx,
        "water_limit_secs",
        &s.rules.water_limit_secs.to_string(),
    )?;
    put(tx, "wait_limit_secs", &s.rules.wait_limit_secs.to_string())?;
    put(
        tx,
        "closing_time",
        &s.closing_time.format("%H:%M").to_string(),
    )?;
    set_operator(tx, s.operator_id)?;
    Ok(())
}

/// Saves only the language (the switch takes effect at once).
pub fn set_lang(tx: &Transaction<'_>, lang: Lang) -> Result<()> {
    put(tx, "language", lang.code())
}

/// Saves only the desk operator.
pub fn set_operator(tx: &Transaction<'_>, operator_id: Option<i64>) -> Result<()> {
    match operator_id {
        Some(id) => put(tx, "operator_id", &id.to_string()),
        None => {
            tx.execute("DELETE FROM settings WHERE key = 'operator_id'", [])?;
            Ok(())
        }
    }
}

/// Reads one raw setting.
pub fn value(conn: &Connection, key: &str) -> Result<Option<String>> {
    get(conn, key)
}

/// Writes one raw setting.
pub fn set_value(tx: &Transaction<'_>, key: &str, value: &str) -> Result<()> {
    put(tx, key, value)
}
