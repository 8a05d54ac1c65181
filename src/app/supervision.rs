//! Supervisor commands: inspections, templates, rectifications, rewards and penalties, accounts.
//! Each runs under the permission it needs; the store refuses it for anyone else.

use chrono::NaiveDateTime;

use crate::domain::account::Action;
use crate::domain::attendance;
use crate::domain::inspection::RewardPenalty;
use crate::domain::quality::MeasureEffect;
use crate::report::{self, quality::Quality};
use crate::store::inspections::{self};
use crate::store::{Store, StoreError, accounts};

use super::SupervisorCommand;

impl SupervisorCommand {
    /// The translation key of the success message.
    pub fn success_key(&self) -> &'static str {
        match self {
            Self::SaveInspection { .. } => "sup.ok_inspection",
            Self::RaiseRectification { .. } => "sup.ok_rectification",
            Self::VerifyRectification { .. } => "sup.ok_verified",
            Self::AddRewardPenalty(_) => "sup.ok_reward",
            Self::SaveTemplate(_) => "sup.ok_template",
            Self::SaveQualityMeasure(_) => "qm.ok_saved",
            Self::ReviewQualityMeasure { .. } => "qm.ok_reviewed",
            Self::CreateAccount { .. } | Self::UpdateAccount { .. } => "sup.ok_account",
            Self::UnlockAccount(_) => "sup.ok_unlocked",
            Self::ExportMonthly { .. } | Self::ExportAudit(_) => "app.ok_exported",
            Self::MarkDailyReportRead(_) => "daily.ok_read",
            Self::ExportAttendance { .. } | Self::ExportDailyReports { .. } => "app.ok_exported",
        }
    }
}

/// Applies `cmd`; returns the id of a record it created, if any.
pub fn apply(
    store: &mut Store,
    cmd: &SupervisorCommand,
    now: NaiveDateTime,
) -> Result<Option<i64>, StoreError> {
    apply_inner(store, cmd, now)
}

/// The month's quality-anomaly figures and its rewards/penalties (supervisor data).
pub fn monthly(
    store: &Store,
    month: &str,
    now: NaiveDateTime,
    settings: &crate::store::settings::Settings,
) -> Result<(Quality, Vec<RewardPenalty>), StoreError> {
    let (from, to) = report::claims::month_period(month)?;
    store.read_as(Action::ReadSupervisorData, |conn| {
        let list = inspections::between(conn, from, to)?;
        let rows = report::inspections::build(&list);
        let by_category = crate::store::complaints::count_by_category(conn, from, to)?;
        let limit = settings.rules.greeting_limit_secs;
        let visits = crate::store::visits::counts_between(conn, from, to, limit)?;
        let overdue = inspections::rectifications(conn, now)?
            .iter()
            .filter(|r| r.is_overdue(now.date()))
            .count();
        let quality = Quality {
            inspections: i64::try_from(list.len()).unwrap_or(0),
            pass_pct: rows.last().and_then(report::inspections::Row::pass_pct),
            top_failing: report::inspections::top_failing(&rows, 5)
                .into_iter()
                .map(|r| (r.item.clone(), r.failed))
                .collect(),
            complaints_by_category: by_category,
            greeting_pct: crate::domain::visit::percent(visits.greeted_within_limit, visits.visits),
            water_pct: crate::domain::visit::percent(visits.water_served, visits.visits),
            overdue_rectifications: i64::try_from(overdue).unwrap_or(0),
            measures: crate::store::quality_measures::of_month(conn, month)?,
            previous_measures: previous_measures(conn, month, &rows)?,
            items: rows,
        };
        let rewards = inspections::rewards_between(conn, from.date(), to.date())?;
        Ok((quality, rewards))
    })
}

/// The measures agreed for the month before `month`, each with its item's failures in that month
/// and in `month` (whose inspection report is `items`).
fn previous_measures<'a>(
    db: impl Into<crate::store::db::Db<'a>>,
    month: &str,
    items: &[report::inspections::Row],
) -> Result<Vec<MeasureEffect>, StoreError> {
    let db = db.into();
    let Some(previous) = crate::domain::quality::previous_month(month) else {
        return Ok(Vec::new());
    };
    let measures = crate::store::quality_measures::of_month(db, &previous)?;
    let Some(first) = report::claims::parse_month(&previous).filter(|_| !measures.is_empty())
    else {
        return Ok(Vec::new());
    };
    let (from, to) = report::claims::month_bounds(first);
    let before = report::inspections::build(&inspections::between(db, from, to)?);
    Ok(measures
        .into_iter()
        .map(|m| MeasureEffect {
            failures_before: report::quality::failures_of(&before, &m.item),
            failures_after: report::quality::failures_of(items, &m.item),
            measure: m,
        })
        .collect())
}

/// The tables of a monthly report of `month` as its exports write them: the quality-anomaly
/// analysis (`quality`, then the month's inspection report, `inspections`), or the reward and
/// penalty details with each person's totals (`rewards`).
pub fn monthly_tables(
    store: &Store,
    month: &str,
    now: NaiveDateTime,
    settings: &crate::store::settings::Settings,
    rewards: bool,
) -> Result<Vec<(&'static str, report::Table)>, StoreError> {
    let (quality, entries) = monthly(store, month, now, settings)?;
    if !rewards {
        return Ok(vec![
            ("quality", report::quality::quality_table(&quality)),
            ("inspections", report::inspections::table(&quality.items)),
            ("measures", report::quality::measures_table(&quality)),
        ]);
    }
    let staff = crate::store::staff::all(store.db())?;
    let name_of = |id: i64| {
        staff
            .iter()
            .find(|s| s.id == id)
            .map_or_else(|| id.to_string(), |s| s.name.clone())
    };
    Ok(vec![(
        "rewards",
        report::quality::rewards_table(&entries, name_of, settings.shift_start),
    )])
}

fn apply_inner(
    store: &mut Store,
    cmd: &SupervisorCommand,
    now: NaiveDateTime,
) -> Result<Option<i64>, StoreError> {
    use SupervisorCommand as C;
    let inspector_id = store.actor().account_id;
    let me = store.actor().name.clone();
    Ok(match cmd {
        C::SaveInspection {
            inspection,
            template_id,
        } => {
            let mut i = (**inspection).clone();
            i.at = now;
            i.inspector = me;
            Some(store.write_as(Action::Inspect, |tx| {
                inspections::create(tx, &i, inspector_id, *template_id)
            })?)
        }
        C::RaiseRectification {
            item_id,
            owner,
            owner_staff_id,
            requirement,
            due,
        } => Some(store.write_as(Action::Inspect, |tx| {
            inspections::raise_rectification(
                tx,
                *item_id,
                owner,
                *owner_staff_id,
                requirement,
                *due,
                now,
            )
        })?),
        C::VerifyRectification { id, passed, note } => {
            store.write_as(Action::Inspect, |tx| {
                inspections::verify(tx, *id, &me, *passed, note, now)
            })?;
            None
        }
        C::AddRewardPenalty(rp) => Some(store.write_as(Action::RewardPenalty, |tx| {
            inspections::add_reward_penalty(tx, rp, now)
        })?),
        C::SaveTemplate(t) => {
            Some(store.write_as(Action::Inspect, |tx| inspections::save_template(tx, t, now))?)
        }
        C::CreateAccount {
            username,
            display_name,
            role,
            password,
        } => Some(store.write_as(Action::ManageAccounts, |tx| {
            accounts::create(tx, username, display_name, *role, password, now)
        })?),
        C::SaveQualityMeasure(draft) => Some(store.write_as(Action::Inspect, |tx| {
            crate::store::quality_measures::save(tx, draft, inspector_id, now)
        })?),
        C::ReviewQualityMeasure {
            id,
            effective,
            note,
        } => {
            store.write_as(Action::Inspect, |tx| {
                crate::store::quality_measures::review(tx, *id, *effective, note, now)
            })?;
            None
        }
        C::ExportMonthly {
            month,
            rewards,
            path,
            format,
        } => {
            let settings = crate::store::settings::load(store.db())?;
            let sheets = monthly_tables(store, month, now, &settings, *rewards)?;
            let sheets = super::service::sheets(&sheets);
            let title = if *rewards {
                "pdf.report_rewards"
            } else {
                "pdf.report_quality"
            };
            super::service::write_export(
                &sheets,
                path,
                *format,
                &crate::pdf::Header::report(&settings, title, month),
            )?;
            None
        }
        C::ExportAudit(path) => {
            use report::Cell;
            let entries = store.read_as(Action::ReadSupervisorData, |c| {
                crate::store::audit::recent(c, 10_000)
            })?;
            let table = report::Table::new(
                &[
                    "id",
                    "at",
                    "actor",
                    "action",
                    "entity",
                    "entity_id",
                    "before",
                    "after",
                ],
                entries
                    .iter()
                    .map(|e| {
                        vec![
                            Cell::Int(e.id),
                            Cell::Text(e.at.format(crate::domain::TIMESTAMP_FORMAT).to_string()),
                            Cell::Text(e.actor.clone()),
                            Cell::Text(e.action.clone()),
                            Cell::Text(e.entity.clone()),
                            e.entity_id.map_or(Cell::Empty, Cell::Int),
                            Cell::Text(e.before.clone()),
                            Cell::Text(e.after.clone()),
                        ]
                    })
                    .collect(),
            );
            super::service::export(&[("audit", &table)], path, false)?;
            None
        }
        C::UpdateAccount {
            id,
            active,
            password,
        } => {
            store.write_as(Action::ManageAccounts, |tx| {
                accounts::update(tx, *id, *active, password.as_deref(), now)
            })?;
            None
        }
        C::UnlockAccount(id) => {
            accounts::unlock(store, *id, now)?;
            None
        }
        C::MarkDailyReportRead(id) => {
            store.write_as(Action::ReadSupervisorData, |tx| {
                crate::store::daily_reports::mark_read(tx, *id, now, inspector_id, &me)
            })?;
            None
        }
        C::ExportAttendance { .. } | C::ExportDailyReports { .. } => {
            export_staff_days(store, cmd, now)?;
            None
        }
    })
}

/// The staff members' names by id (every one, also those who left).
fn staff_names(store: &Store) -> Result<Vec<(i64, String)>, StoreError> {
    Ok(crate::store::staff::all(store.db())?
        .into_iter()
        .map(|s| (s.id, s.name))
        .collect())
}

/// The month's attendance table: one row per staff member who signed in during `month`
/// (`YYYY-MM`) and per active one who did not, late against the settings' shift start,
/// sign-outs missing and working days absent before `now`'s day (working days: the settings'
/// business calendar), with the rewards and penalties given for its days (supervisor data).
pub fn attendance_month(
    store: &Store,
    month: &str,
    now: NaiveDateTime,
    settings: &crate::store::settings::Settings,
) -> Result<Vec<crate::domain::attendance::AttendanceSummary>, StoreError> {
    let (from, to) = report::claims::month_period(month)?;
    let (from, to) = (from.date(), to.date());
    let (days, rewards, staff) = store.read_as(Action::ReadSupervisorData, |c| {
        Ok((
            crate::store::attendance::between(c, from, to)?,
            inspections::rewards_for_attendance(c, from, to)?,
            crate::store::staff::all(c)?,
        ))
    })?;
    let mut rows = attendance::summarize(&days, settings.shift_start, now.date());
    let active: Vec<i64> = staff.iter().filter(|s| s.active).map(|s| s.id).collect();
    let workdays = attendance::workdays_over(
        from,
        to,
        now.date(),
        &settings.sla.calendar,
        &settings.days_off,
    );
    attendance::count_absences(&mut rows, &active, &workdays);
    attendance::attach_rewards(&mut rows, rewards);
    Ok(rows)
}

/// The daily work reports submitted for `day` (supervisor data).
pub fn daily_reports(
    store: &Store,
    day: chrono::NaiveDate,
) -> Result<Vec<crate::domain::attendance::DailyReport>, StoreError> {
    store.read_as(Action::ReadSupervisorData, |c| {
        crate::store::daily_reports::on_day(c, day)
    })
}

/// Writes the month's attendance table or the day's daily work reports (the exports of the
/// attendance and daily report tabs).
fn export_staff_days(
    store: &Store,
    cmd: &SupervisorCommand,
    now: NaiveDateTime,
) -> Result<(), StoreError> {
    match cmd {
        SupervisorCommand::ExportAttendance {
            month,
            path,
            format,
        } => {
            let settings = crate::store::settings::load(store.db())?;
            let rows = attendance_month(store, month, now, &settings)?;
            let names = staff_names(store)?;
            let (summary, days) = report::attendance::tables(&rows, &settings, &names);
            super::service::write_export(
                &[("attendance", &summary), ("days", &days)],
                path,
                *format,
                &crate::pdf::Header::report(&settings, "pdf.report_attendance", month),
            )?;
            Ok(())
        }
        SupervisorCommand::ExportDailyReports { day, path, format } => {
            let settings = crate::store::settings::load(store.db())?;
            let reports = daily_reports(store, *day)?;
            let names = staff_names(store)?;
            let table = report::attendance::daily_table(&reports, &names);
            super::service::write_export(
                &[("daily_reports", &table)],
                path,
                *format,
                &crate::pdf::Header::report(
                    &settings,
                    "pdf.report_daily",
                    &day.format("%Y-%m-%d").to_string(),
                ),
            )?;
            Ok(())
        }
        _ => Ok(()),
    }
}
