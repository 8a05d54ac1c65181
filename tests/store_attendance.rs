//! Attendance sign-in and the daily work reports in the store: one sign-in per staff member and
//! day, the sign-out, a day's figures counted from seeded records, submitting and reading a
//! report — on a SQLite file, and the same scenario on a throwaway PostgreSQL server.
#![allow(clippy::unwrap_used, reason = "test code: a panic is a failed test")]

mod common;

use chrono::{Datelike as _, Duration, NaiveDateTime};
use frontdesk::clock::{Clock as _, FakeClock};
use frontdesk::domain::account::{Action, Actor};
use frontdesk::domain::attendance::DayFigures;
use frontdesk::domain::complaint::{Satisfaction, Status};
use frontdesk::domain::inspection::RewardPenalty;
use frontdesk::store::{
    Store, StoreError, attendance, callbacks, calls, claims, complaints, daily_reports,
    inspections, visits,
};

fn at(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S").unwrap()
}

/// The whole scenario on the database at `path` (a file or a server's URL).
fn scenario(path: &std::path::Path) {
    let clock = FakeClock::at("2026-11-23 09:07:00");
    let (mut store, li, zhang) = common::store_with_staff(path, &clock);
    sign_in_and_out(&mut store, li, zhang, clock.now());
    let figures = figures_of_a_day(&mut store, li, zhang, clock.now());
    submit_and_read(&mut store, &clock, li, figures);
    penalties_for_days(&mut store, li, zhang);
    the_month_with_absences(&mut store, li, zhang);
    // The writes were sealed: the check finds nothing changed outside FrontDesk.
    let report = frontdesk::store::seal::verify(store.db(), &[]).unwrap();
    assert!(report.problems.is_empty(), "{:?}", report.problems);
}

/// Signing in once per day, signing out once, the month's days.
fn sign_in_and_out(store: &mut Store, li: i64, zhang: i64, now: NaiveDateTime) {
    // Signing in: once per day; a second sign-in keeps the first time.
    assert!(
        store
            .write(|tx| attendance::sign_in(tx, li, now, "1号台"))
            .unwrap()
    );
    assert!(
        !store
            .write(|tx| attendance::sign_in(tx, li, now + Duration::hours(1), "2号台"))
            .unwrap()
    );
    let today = attendance::on_day(store.db(), li, now.date())
        .unwrap()
        .unwrap();
    assert_eq!(today.signed_in_at, now);
    assert_eq!(today.desk.as_deref(), Some("1号台"));
    assert_eq!(
        today.late_minutes(chrono::NaiveTime::from_hms_opt(9, 0, 0).unwrap()),
        7
    );
    // Signing out: not without a sign-in, once.
    let evening = at("2026-11-23 18:05:00");
    assert!(matches!(
        store.write(|tx| attendance::sign_out(tx, zhang, evening)),
        Err(StoreError::Domain(_))
    ));
    store
        .write(|tx| attendance::sign_out(tx, li, evening))
        .unwrap();
    assert!(
        store
            .write(|tx| attendance::sign_out(tx, li, evening + Duration::minutes(5)))
            .is_err()
    );
    assert_eq!(
        attendance::on_day(store.db(), li, now.date())
            .unwrap()
            .unwrap()
            .signed_out_at,
        Some(evening)
    );
    // The next day's sign-in is a new one; the month lists both days.
    let tuesday = at("2026-11-24 08:58:00");
    store
        .write(|tx| attendance::sign_in(tx, li, tuesday, "1号台"))
        .unwrap();
    store
        .write(|tx| attendance::sign_in(tx, zhang, tuesday, "2号台"))
        .unwrap();
    let month = attendance::between(
        store.db(),
        now.date().with_day0(0).unwrap(),
        chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap(),
    )
    .unwrap();
    assert_eq!(month.len(), 3);
}

/// The day's figures of 李娜 from seeded records; another day has none.
fn figures_of_a_day(store: &mut Store, li: i64, zhang: i64, now: NaiveDateTime) -> DayFigures {
    let tuesday = at("2026-11-24 08:58:00");
    // The day's figures from seeded records: three visits greeted by 李娜 (two in time, one
    // late; one arrived just before midnight), one greeted by 张伟; two calls (2 and 4 rings); a complaint taken and closed; a
    // callback done; two events on one claim.
    let limit = 30;
    let t = at("2026-11-23 10:00:00");
    let before_midnight = at("2026-11-22 23:59:50");
    for (arrived, greeted_after, by) in [
        (t, 20, li),
        (t, 90, li),
        (t, 10, zhang),
        (before_midnight, 20, li),
    ] {
        store
            .write(|tx| {
                let id = visits::arrive(tx, arrived, Some(by))?;
                let greeted = arrived + Duration::seconds(greeted_after);
                visits::change(tx, id, greeted, Some(by), "greet", "", |v| {
                    v.greet(Some(by), greeted)
                })
            })
            .unwrap();
    }
    for (rings, minute) in [(2, 1), (4, 2)] {
        let mut call = common::tracking_call(t + Duration::minutes(minute), "王先生", li);
        call.rings = rings;
        store.write(|tx| calls::insert(tx, &call)).unwrap();
    }
    let complaint = store
        .write(|tx| {
            complaints::create(
                tx,
                &common::late_delivery_complaint(),
                t + Duration::minutes(5),
                Some(li),
            )
        })
        .unwrap();
    store
        .write(|tx| {
            complaints::set_status(
                tx,
                complaint,
                Status::Closed,
                Some(Satisfaction::Satisfied),
                "",
                t + Duration::minutes(30),
                Some(li),
            )
        })
        .unwrap();
    store
        .write(|tx| {
            let cb = frontdesk::domain::call::Callback {
                due: now.date(),
                name: "王先生".into(),
                phone: "13812345678".into(),
                purpose: "回访".into(),
                ..Default::default()
            };
            let id = callbacks::schedule(tx, &cb, t, Some(li))?;
            let result = frontdesk::domain::call::CallbackResult {
                quality: Some(Satisfaction::Satisfied),
                usage: String::new(),
                satisfaction: Some(Satisfaction::Satisfied),
                notes: String::new(),
                staff_feedback: String::new(),
            };
            callbacks::complete(tx, id, &result, t + Duration::minutes(40), Some(li))
        })
        .unwrap();
    store
        .write(|tx| {
            let c = common::damage_claim("SD20261123").validate(t)?;
            let id = claims::create(tx, &c, Some(li))?;
            claims::add_note(tx, id, "已联系仓库", t + Duration::minutes(50), Some(li))
        })
        .unwrap();
    let figures = daily_reports::figures(store.db(), li, now.date(), limit).unwrap();
    assert_eq!(
        figures,
        DayFigures {
            visits_greeted: 3,
            greeted_on_time: 2,
            calls_answered: 2,
            calls_on_time: 1,
            complaints_taken: 1,
            complaints_closed: 1,
            callbacks_done: 1,
            claims_worked: 1,
        }
    );
    let other_day = daily_reports::figures(store.db(), li, tuesday.date(), limit).unwrap();
    assert_eq!(other_day, DayFigures::default());
    figures
}

/// Submitting and resubmitting, a supervisor reading it, and the report staying as read.
fn submit_and_read(store: &mut Store, clock: &FakeClock, li: i64, figures: DayFigures) {
    let (now, limit) = (clock.now(), 30);
    let evening = at("2026-11-23 18:05:00");
    // Submitting: the figures as counted then; again the same day replaces them and the
    // remarks, until a supervisor reads it.
    let id = store
        .write(|tx| daily_reports::submit(tx, li, "今日正常", evening, limit))
        .unwrap();
    let again = store
        .write(|tx| daily_reports::submit(tx, li, "补充:客户来电两次", evening, limit))
        .unwrap();
    assert_eq!(id, again);
    let report = daily_reports::get(store.db(), li, now.date())
        .unwrap()
        .unwrap();
    assert_eq!(report.figures, figures);
    assert_eq!(report.remarks, "补充:客户来电两次");
    assert!(report.read_at.is_none());
    assert_eq!(
        daily_reports::on_day(store.db(), now.date()).unwrap().len(),
        1
    );

    // Reading it is supervisor data: the desk may not, a supervisor may, once.
    assert!(
        store
            .write_as(Action::ReadSupervisorData, |tx| {
                daily_reports::mark_read(tx, id, evening, None, "—")
            })
            .is_err()
    );
    common::add_supervisor(store, clock);
    let supervisor = frontdesk::store::accounts::login_or_refuse(
        store,
        "wuhao",
        common::SUPERVISOR_PASSWORD,
        now,
    )
    .unwrap();
    let reader_id = supervisor.account_id;
    store.set_actor(supervisor);
    store
        .write_as(Action::ReadSupervisorData, |tx| {
            daily_reports::mark_read(tx, id, evening, reader_id, "吴昊")
        })
        .unwrap();
    assert!(
        store
            .write_as(Action::ReadSupervisorData, |tx| {
                daily_reports::mark_read(tx, id, evening, reader_id, "吴昊")
            })
            .is_err()
    );
    let read = daily_reports::get(store.db(), li, now.date())
        .unwrap()
        .unwrap();
    assert_eq!(read.read_at, Some(evening));
    assert_eq!(read.read_by, "吴昊");
    assert_eq!(read.read_by_id, reader_id);
    // Read: a new submission is refused and the report stays as read.
    store.set_actor(Actor::desk());
    assert!(
        store
            .write(|tx| daily_reports::submit(tx, li, "改了", evening, limit))
            .is_err()
    );
    assert_eq!(
        daily_reports::get(store.db(), li, now.date())
            .unwrap()
            .unwrap()
            .remarks,
        "补充:客户来电两次"
    );
}

/// A penalty given for a late day: by a supervisor only, for the same person's day, not dated
/// before it; the month's penalties for days of attendance read back with their day.
fn penalties_for_days(store: &mut Store, li: i64, zhang: i64) {
    let month = (
        chrono::NaiveDate::from_ymd_opt(2026, 11, 1).unwrap(),
        chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap(),
    );
    let late = attendance::on_day(store.db(), li, at("2026-11-23 00:00:00").date())
        .unwrap()
        .unwrap();
    let penalty = RewardPenalty {
        id: 0,
        staff_id: li,
        reward: false,
        amount_fen: 2_000,
        reason: "迟到 7 分钟".into(),
        on: late.day,
        inspection_id: None,
        complaint_id: None,
        claim_id: None,
        attendance_id: Some(late.id),
        attendance: None,
    };
    let now = at("2026-11-24 10:00:00");
    let give = |store: &mut Store, rp: &RewardPenalty| {
        store.write_as(Action::RewardPenalty, |tx| {
            inspections::add_reward_penalty(tx, rp, now)
        })
    };
    // The desk may not.
    assert!(matches!(
        give(store, &penalty),
        Err(StoreError::Domain(
            frontdesk::domain::DomainError::WrongState("err.not_allowed")
        ))
    ));
    let supervisor = frontdesk::store::accounts::login_or_refuse(
        store,
        "wuhao",
        common::SUPERVISOR_PASSWORD,
        now,
    )
    .unwrap();
    store.set_actor(supervisor);
    // Not for someone else's day, not dated before the day, not for a day that does not exist.
    for wrong in [
        RewardPenalty {
            staff_id: zhang,
            ..penalty.clone()
        },
        RewardPenalty {
            on: late.day - Duration::days(1),
            ..penalty.clone()
        },
    ] {
        assert!(matches!(give(store, &wrong), Err(StoreError::Domain(_))));
    }
    let nowhere = RewardPenalty {
        attendance_id: Some(late.id + 1_000),
        ..penalty.clone()
    };
    assert!(matches!(give(store, &nowhere), Err(StoreError::NotFound)));
    let id = give(store, &penalty).unwrap();
    store.set_actor(Actor::desk());
    // Read back with the day it was given for; the month's list of them has it.
    let given = inspections::rewards_between(store.db(), month.0, month.1).unwrap();
    assert_eq!(given.len(), 1);
    assert_eq!(given[0].id, id);
    assert_eq!(given[0].attendance_id, Some(late.id));
    assert_eq!(given[0].attendance.as_ref(), Some(&late));
    assert_eq!(
        given[0].attendance_late(chrono::NaiveTime::from_hms_opt(9, 0, 0).unwrap()),
        Some((late.day, 7))
    );
    let of_days = inspections::rewards_for_attendance(store.db(), month.0, month.1).unwrap();
    assert_eq!(of_days, given);
    let december = inspections::rewards_for_attendance(
        store.db(),
        month.1,
        chrono::NaiveDate::from_ymd_opt(2027, 1, 1).unwrap(),
    )
    .unwrap();
    assert!(december.is_empty());
}

/// Day `d` of November 2026.
fn day(d: u32) -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(2026, 11, d).unwrap()
}

/// The monthly attendance table as the supervisor reads it: the working days over without a
/// sign-in per person, by the working days of the settings; the penalty on its day.
fn the_month_with_absences(store: &mut Store, li: i64, zhang: i64) {
    // Wednesday the 25th: the working days over are the 2nd–6th, 9th–13th, 16th–20th, 23rd and
    // 24th. 李娜 signed in on the 23rd and 24th, 张伟 on the 24th.
    let now = at("2026-11-25 10:00:00");
    let mut settings = frontdesk::store::settings::load(store.db()).unwrap();
    let month = |store: &mut Store, settings: &frontdesk::store::settings::Settings| {
        let rows = frontdesk::app::attendance_month(store, "2026-11", now, settings).unwrap();
        rows.iter()
            .map(|r| (r.staff_id, r.days_present, r.absences, r.rewards.len()))
            .collect::<Vec<_>>()
    };
    // Supervisor data: refused to the desk.
    assert!(frontdesk::app::attendance_month(store, "2026-11", now, &settings).is_err());
    let supervisor = frontdesk::store::accounts::login_or_refuse(
        store,
        "wuhao",
        common::SUPERVISOR_PASSWORD,
        now,
    )
    .unwrap();
    store.set_actor(supervisor);
    assert_eq!(
        month(store, &settings),
        [(li, 2, 15, 1), (zhang, 1, 16, 0)],
        "the penalty for 李娜's late 23rd on her row"
    );
    // With Saturdays as working days, the 7th, 14th and 21st count too.
    settings.sla.calendar.workdays[5] = true;
    assert_eq!(month(store, &settings), [(li, 2, 18, 1), (zhang, 1, 19, 0)]);
    // Back to Monday–Friday, with two public holidays (the 5th and 6th) and a make-up Sunday
    // (the 8th): one absence fewer each.
    settings.sla.calendar.workdays[5] = false;
    settings.days_off = frontdesk::domain::attendance::DaysOff {
        holidays: vec![day(5), day(6)],
        makeup_workdays: vec![day(8)],
    };
    assert_eq!(month(store, &settings), [(li, 2, 14, 1), (zhang, 1, 15, 0)]);
    store.set_actor(Actor::desk());
}

#[test]
fn sign_in_sign_out_figures_and_reports_on_sqlite() {
    let (_dir, path) = common::temp_db();
    scenario(&path);
}

#[test]
fn sign_in_sign_out_figures_and_reports_on_postgres() {
    let Some(server) = common::pg::PgServer::start() else {
        return;
    };
    let url = server.create_database("attendance");
    scenario(std::path::Path::new(&url));
}
