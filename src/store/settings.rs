//! Key–value settings: language, company name, reception limits, the desk operator.
//!
//! What a stored value means (ranges, defaults, parsing) is decided in
//! [`crate::domain::settings`]; this module only reads and writes the keys.

use chrono::NaiveTime;
use rusqlite::{Connection, OptionalExtension as _, Transaction, params};

use super::Result;
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
}

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
    let s = load_raw(conn)?;
    Ok(Settings {
        rules: settings::loaded_reception_rules(s.rules),
        sla: settings::loaded_sla_rules(s.sla),
        idle_lock_secs: settings::loaded_idle_lock_secs(s.idle_lock_secs),
        ..s
    })
}

fn load_raw(conn: &Connection) -> Result<Settings> {
    let d = Settings::default();
    let int = |key: &str, default: i64| -> Result<i64> {
        Ok(settings::parse_int(get(conn, key)?.as_deref(), default))
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
        closing_time: settings::parse_time_of_day(
            get(conn, "closing_time")?.as_deref(),
            d.closing_time,
        ),
        operator_id: settings::parse_id(get(conn, "operator_id")?.as_deref()),
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
        Ok(settings::parse_time_of_day(
            get(conn, key)?.as_deref(),
            default,
        ))
    };
    let workdays = settings::parse_workdays(get(conn, "business_days")?.as_deref(), d.workdays);
    Ok(BusinessCalendar {
        enabled: settings::parse_flag(get(conn, "business_hours_enabled")?.as_deref()),
        workdays,
        start: time("business_start", d.start)?,
        end: time("business_end", d.end)?,
    })
}

/// Saves all settings after checking the reception limits.
pub fn save(tx: &Transaction<'_>, s: &Settings) -> Result<()> {
    settings::check_limits(&s.rules, &s.sla, s.idle_lock_secs)?;
    let company_name = settings::company_name(&s.company_name)?;
    let privacy_notice = settings::privacy_notice(&s.privacy_notice)?;
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
        settings::format_flag(c.enabled),
    )?;
    put(tx, "business_days", &settings::format_workdays(&c.workdays))?;
    put(tx, "business_start", &settings::format_time_of_day(c.start))?;
    put(tx, "business_end", &settings::format_time_of_day(c.end))?;
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
        &settings::format_time_of_day(s.closing_time),
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
