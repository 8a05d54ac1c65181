//! Attendance and daily work reports through the window: the sign-in at the on-duty picker and
//! the 签退 button, the desk's daily report submitted, a supervisor reading it, and the monthly
//! attendance table with its days, 记奖罚 and the export.
#![allow(clippy::unwrap_used, reason = "test code: a panic is a failed test")]

mod common;

use std::sync::{Arc, Mutex};

use common::{click, has_label, has_label_containing, settle, type_into};
use egui_kittest::kittest::Queryable as _;
use frontdesk::app::{ExportFormat, FileFor};
use frontdesk::clock::{Clock as _, FakeClock};
use frontdesk::domain::staff::Role;
use frontdesk::i18n::{self, Lang};
use frontdesk::store::{attendance, calls, daily_reports, inspections, staff};

fn at(s: &str) -> chrono::NaiveDateTime {
    chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S").unwrap()
}

#[test]
fn picking_the_person_on_duty_signs_them_in_and_sign_out_records_the_time() {
    i18n::set_lang(Lang::ZhCn);
    let (_dir, path) = common::temp_db();
    let clock = FakeClock::at("2026-11-23 09:12:00");
    let (store, li, zhang) = common::store_with_staff(&path, &clock);
    let mut h = common::harness(common::app(store, &clock));
    settle(&mut h);
    // 李娜 is on duty from before, not signed in today: the top bar offers 签到.
    assert!(has_label(&h, "签到"));
    h.get_by_role_and_label(egui::accesskit::Role::ComboBox, "值班人员")
        .click();
    h.run();
    click(&mut h, "张伟 · 业务员");
    settle(&mut h);
    let signed = attendance::on_day(h.state().store().db(), zhang, clock.now().date())
        .unwrap()
        .unwrap();
    assert_eq!(signed.signed_in_at, clock.now());
    assert_eq!(
        h.state().message().map(|m| m.text.as_str()),
        Some("值班人员已签到")
    );
    assert!(
        has_label(&h, "09:12 已签到 迟到 12 分钟"),
        "late after the 09:00 shift start"
    );
    // Signing out later that day records the time; the button gives way to it.
    clock.advance(chrono::Duration::hours(9));
    click(&mut h, "签退");
    settle(&mut h);
    let out = attendance::on_day(h.state().store().db(), zhang, clock.now().date())
        .unwrap()
        .unwrap();
    assert_eq!(out.signed_out_at, Some(at("2026-11-23 18:12:00")));
    assert!(has_label(&h, "18:12 已签退"));
    assert!(!has_label(&h, "签退"));
    // Picking 李娜 now signs her in; picking 张伟 again keeps his first sign-in.
    h.get_by_role_and_label(egui::accesskit::Role::ComboBox, "值班人员")
        .click();
    h.run();
    click(&mut h, "李娜 · 客服代表");
    settle(&mut h);
    assert!(
        attendance::on_day(h.state().store().db(), li, clock.now().date())
            .unwrap()
            .is_some()
    );
    h.get_by_role_and_label(egui::accesskit::Role::ComboBox, "值班人员")
        .click();
    h.run();
    click(&mut h, "张伟 · 业务员");
    settle(&mut h);
    let again = attendance::on_day(h.state().store().db(), zhang, clock.now().date())
        .unwrap()
        .unwrap();
    assert_eq!(again.signed_in_at, at("2026-11-23 09:12:00"));
}

#[test]
fn the_desk_submits_the_day_s_report_with_its_figures() {
    i18n::set_lang(Lang::ZhCn);
    let (_dir, path) = common::temp_db();
    let clock = common::clock();
    let (mut store, li, _) = common::store_with_staff(&path, &clock);
    store
        .write(|tx| calls::insert(tx, &common::tracking_call(clock.now(), "王先生", li)))
        .unwrap();
    let mut h = common::harness(common::app(store, &clock));
    settle(&mut h);
    h.get_by_label("每日工作报表").click();
    settle(&mut h);
    assert!(has_label(&h, "接听电话 / 两声内接听"));
    assert!(has_label(&h, "1 / 1 (100.0%)"), "one call within 2 rings");
    type_into(&mut h, "工作备注", "今日无异常");
    click(&mut h, "提交日报");
    settle(&mut h);
    let report = daily_reports::get(h.state().store().db(), li, clock.now().date())
        .unwrap()
        .unwrap();
    assert_eq!(report.remarks, "今日无异常");
    assert_eq!(report.figures.calls_answered, 1);
    assert_eq!(report.submitted_at, clock.now());
    assert!(has_label(&h, "2026-11-23 09:00 已提交"));
    // Until a supervisor reads it, it can be submitted again (replacing it).
    assert!(has_label(&h, "重新提交(覆盖)"));
}

#[test]
fn a_supervisor_sees_who_submitted_and_marks_a_report_read() {
    i18n::set_lang(Lang::ZhCn);
    let (dir, path) = common::temp_db();
    let clock = common::clock();
    let (mut store, li, _) = common::store_with_staff(&path, &clock);
    store
        .write(|tx| daily_reports::submit(tx, li, "客户来访较多", clock.now(), 30))
        .unwrap();
    common::add_supervisor(&mut store, &clock);
    let export = dir.path().join("日报.csv");
    let picker = {
        let export = export.clone();
        Box::new(move |_: &FileFor| vec![export.clone()])
    };
    let mut h = common::harness(common::app(store, &clock).with_file_picker(picker));
    h.run();
    h.state_mut()
        .login("wuhao", common::SUPERVISOR_PASSWORD)
        .unwrap();
    h.run();
    h.get_by_label("主管工作台").click();
    settle(&mut h);
    click(&mut h, "日报");
    settle(&mut h);
    assert!(has_label(&h, "已提交 1 人,未提交 1 人"));
    assert!(has_label(&h, "未提交:张伟"));
    assert!(has_label(&h, "未阅"));
    click(&mut h, "▶ 李娜");
    assert!(has_label(&h, "客户来访较多"));
    click(&mut h, "标为已阅");
    settle(&mut h);
    let report = daily_reports::get(h.state().store().db(), li, clock.now().date())
        .unwrap()
        .unwrap();
    assert_eq!(report.read_at, Some(clock.now()));
    assert_eq!(report.read_by, "吴昊");
    assert!(report.read_by_id.is_some());
    assert!(has_label(&h, "2026-11-23 09:00 吴昊 已阅"));
    // The day's reports exported, with who read them.
    click(&mut h, "导出日报 CSV");
    settle(&mut h);
    let written = std::fs::read_to_string(&export).unwrap();
    assert!(written.contains("李娜,2026-11-23,"), "{written}");
    assert!(written.contains("客户来访较多"), "{written}");
    assert!(written.contains("吴昊"), "{written}");
}

#[test]
fn the_monthly_attendance_table_shows_each_day_links_a_penalty_and_exports() {
    i18n::set_lang(Lang::ZhCn);
    let (dir, path) = common::temp_db();
    let clock = common::clock();
    let (mut store, li, zhang) = common::store_with_staff(&path, &clock);
    store
        .write(|tx| {
            attendance::sign_in(tx, li, at("2026-11-20 08:55:00"), "1号台")?;
            attendance::sign_out(tx, li, at("2026-11-20 18:00:00"))?;
            attendance::sign_in(tx, zhang, at("2026-11-20 09:10:00"), "2号台")?;
            attendance::sign_in(tx, zhang, at("2026-11-21 09:25:00"), "2号台")?;
            attendance::sign_out(tx, zhang, at("2026-11-21 18:00:00"))?;
            staff::add(tx, "王芳", Role::ServiceRep, clock.now()).map(|_| ())
        })
        .unwrap();
    common::add_supervisor(&mut store, &clock);
    let export = dir.path().join("考勤.csv");
    let printed = dir.path().join("考勤.pdf");
    let asked = Arc::new(Mutex::new(Vec::new()));
    let picker = {
        let (asked, export, printed) = (asked.clone(), export.clone(), printed.clone());
        Box::new(move |want: &FileFor| {
            asked.lock().unwrap().push(want.clone());
            match want {
                FileFor::ExportAttendance {
                    format: ExportFormat::Pdf,
                    ..
                } => vec![printed.clone()],
                _ => vec![export.clone()],
            }
        })
    };
    let mut h = common::harness(common::app(store, &clock).with_file_picker(picker));
    h.run();
    h.state_mut()
        .login("wuhao", common::SUPERVISOR_PASSWORD)
        .unwrap();
    h.run();
    h.get_by_label("主管工作台").click();
    settle(&mut h);
    click(&mut h, "考勤");
    settle(&mut h);
    assert_eq!(
        h.get_by_label("月份").value().as_deref(),
        Some("2026-11"),
        "this month first"
    );
    assert!(
        has_label(&h, "本月未签到:王芳"),
        "the active staff without a sign-in"
    );
    // 张伟: 2 days, late twice for 35 minutes, one day without a sign-out; 王芳 absent on each
    // of the 15 working days so far.
    assert!(has_label(&h, "35"));
    assert!(has_label(&h, "缺勤天数"));
    assert!(has_label(&h, "15"));
    click(&mut h, "▶ 张伟");
    assert!(has_label(&h, "2026-11-20"));
    assert!(has_label(&h, "09:25:00"));
    assert!(has_label(&h, "未签退"));
    // Exported: one row per staff member.
    click(&mut h, "导出考勤 CSV");
    settle(&mut h);
    assert_eq!(
        asked.lock().unwrap().as_slice(),
        &[FileFor::ExportAttendance {
            month: "2026-11".into(),
            format: ExportFormat::Csv,
        }]
    );
    let written = std::fs::read_to_string(&export).unwrap();
    // The working days before Monday the 23rd without a sign-in: 15 less the 20th.
    assert!(written.contains("张伟,2,2,35,1,14"), "{written}");
    assert!(written.contains("李娜,1,0,0,0,14"), "{written}");
    assert!(written.contains("王芳,0,0,0,0,15"), "{written}");
    // The PDF for printing: the title, the month and each person's row.
    click(&mut h, "导出考勤 PDF");
    settle(&mut h);
    let text = common::pdf_text(&printed);
    assert!(text.contains("考勤月报"), "{text}");
    assert!(text.contains("2026-11"), "{text}");
    assert!(text.contains("张伟"), "{text}");
    // 记奖罚 opens the reward/penalty form, prefilled as a penalty for the late arrivals.
    click(&mut h, "记奖罚");
    settle(&mut h);
    assert_eq!(
        h.get_by_label("原因").value().as_deref(),
        Some("2026-11 迟到 2 次,共 35 分钟")
    );
    assert_eq!(
        h.get_by_role_and_label(egui::accesskit::Role::ComboBox, "员工")
            .value()
            .as_deref(),
        Some("张伟")
    );
}

/// A supervisor logged in on the 考勤 tab of November, where 张伟 was late on the 20th (10
/// minutes) and the 21st (25 minutes) and 李娜 was on time. Returns the window and 张伟's days.
fn supervisor_on_late_days(
    path: &std::path::Path,
    clock: &FakeClock,
) -> (
    egui_kittest::Harness<'static, frontdesk::app::App>,
    i64,
    Vec<frontdesk::domain::attendance::AttendanceDay>,
) {
    let (mut store, li, zhang) = common::store_with_staff(path, clock);
    store
        .write(|tx| {
            attendance::sign_in(tx, li, at("2026-11-20 08:55:00"), "1号台")?;
            attendance::sign_in(tx, zhang, at("2026-11-20 09:10:00"), "2号台")?;
            attendance::sign_in(tx, zhang, at("2026-11-21 09:25:00"), "2号台").map(|_| ())
        })
        .unwrap();
    let days: Vec<_> = attendance::between(
        store.db(),
        at("2026-11-01 00:00:00").date(),
        at("2026-12-01 00:00:00").date(),
    )
    .unwrap()
    .into_iter()
    .filter(|d| d.staff_id == zhang)
    .collect();
    common::add_supervisor(&mut store, clock);
    let mut h = common::harness(common::app(store, clock));
    h.run();
    h.state_mut()
        .login("wuhao", common::SUPERVISOR_PASSWORD)
        .unwrap();
    h.run();
    h.get_by_label("主管工作台").click();
    settle(&mut h);
    click(&mut h, "考勤");
    settle(&mut h);
    (h, zhang, days)
}

/// The rewards and penalties saved, as `(staff, amount, linked day of attendance)`.
fn saved_rewards(
    h: &egui_kittest::Harness<'_, frontdesk::app::App>,
) -> Vec<(i64, i64, Option<i64>)> {
    inspections::rewards_between(
        h.state().store().db(),
        at("2026-11-01 00:00:00").date(),
        at("2026-12-01 00:00:00").date(),
    )
    .unwrap()
    .into_iter()
    .map(|r| (r.staff_id, r.amount_fen, r.attendance_id))
    .collect()
}

#[test]
fn a_penalty_for_late_arrivals_is_linked_to_the_day_and_the_table_shows_it() {
    i18n::set_lang(Lang::ZhCn);
    let (_dir, path) = common::temp_db();
    let clock = common::clock();
    let (mut h, zhang, days) = supervisor_on_late_days(&path, &clock);
    let (the_20th, the_21st) = (days[0].id, days[1].id);
    // The month row's 记奖罚: a penalty for the month's late arrivals, linked to the last one.
    click(&mut h, "记奖罚");
    settle(&mut h);
    assert!(has_label(&h, "关联:考勤 2026-11-21 迟到 25 分钟"));
    type_into(&mut h, "金额", "50");
    click(&mut h, "保存奖罚");
    settle(&mut h);
    assert_eq!(saved_rewards(&h), [(zhang, 5_000, Some(the_21st))]);
    // The rewards list says what it was given for.
    assert!(has_label(&h, "考勤 2026-11-21 迟到 25 分钟"));
    assert!(
        !has_label_containing(&h, "关联:"),
        "the form is empty again"
    );
    // The attendance table: the month row and the 21st have their penalty; the 20th does not
    // and offers one.
    click(&mut h, "考勤");
    settle(&mut h);
    assert!(has_label(&h, "已处罚 ¥50.00"));
    click(&mut h, "▶ 张伟");
    assert_eq!(h.query_all_by_label("已处罚 ¥50.00").count(), 2);
    assert_eq!(h.query_all_by_label("记处罚").count(), 1, "only the 20th");
    click(&mut h, "记处罚");
    settle(&mut h);
    assert_eq!(
        h.get_by_label("原因").value().as_deref(),
        Some("2026-11-20 迟到 10 分钟")
    );
    assert!(has_label(&h, "关联:考勤 2026-11-20 迟到 10 分钟"));
    type_into(&mut h, "金额", "20");
    click(&mut h, "保存奖罚");
    settle(&mut h);
    assert_eq!(
        saved_rewards(&h),
        [
            (zhang, 5_000, Some(the_21st)),
            (zhang, 2_000, Some(the_20th))
        ]
    );
    click(&mut h, "考勤");
    settle(&mut h);
    assert!(has_label(&h, "已处罚 ¥70.00"), "the month's penalties");
    assert!(has_label(&h, "已处罚 ¥20.00"), "the 20th's");
    assert!(!has_label(&h, "记处罚"), "every late day has its penalty");
}

#[test]
fn a_link_to_a_day_of_attendance_can_be_taken_off_before_saving() {
    i18n::set_lang(Lang::ZhCn);
    let (_dir, path) = common::temp_db();
    let clock = common::clock();
    let (mut h, zhang, _) = supervisor_on_late_days(&path, &clock);
    click(&mut h, "▶ 张伟");
    // A 记处罚 on each late day: the 20th's first.
    h.get_all_by_label("记处罚").next().unwrap().click();
    settle(&mut h);
    assert!(has_label(&h, "关联:考勤 2026-11-20 迟到 10 分钟"));
    click(&mut h, "取消关联");
    assert!(!has_label_containing(&h, "关联:"));
    type_into(&mut h, "金额", "10");
    click(&mut h, "保存奖罚");
    settle(&mut h);
    assert_eq!(saved_rewards(&h), [(zhang, 1_000, None)]);
}

#[test]
fn the_shift_start_is_set_in_the_settings_and_decides_who_is_late() {
    i18n::set_lang(Lang::ZhCn);
    let (_dir, path) = common::temp_db();
    let clock = FakeClock::at("2026-11-23 09:12:00");
    let (mut store, _, zhang) = common::store_with_staff(&path, &clock);
    common::add_supervisor(&mut store, &clock);
    let mut h = common::harness(common::app(store, &clock));
    h.run();
    h.state_mut()
        .login("wuhao", common::SUPERVISOR_PASSWORD)
        .unwrap();
    h.run();
    h.get_by_label("设置").click();
    h.run();
    h.get_by_label("常规与接待").click();
    h.run();
    let field = "上班时间(签到迟到线)";
    assert_eq!(h.get_by_label(field).value().as_deref(), Some("09:00"));
    for (typed, saved) in [("9点半", false), ("09:30", true)] {
        h.get_by_label(field).focus();
        h.run();
        h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
        h.run();
        h.get_by_label(field).type_text(typed);
        h.run();
        click(&mut h, "保存设置");
        settle(&mut h);
        let shift_start = h.state().settings().shift_start.format("%H:%M").to_string();
        assert_eq!(shift_start == "09:30", saved, "{typed}");
    }
    // Signed in at 09:12: on time for a 09:30 start.
    h.get_by_role_and_label(egui::accesskit::Role::ComboBox, "值班人员")
        .click();
    h.run();
    click(&mut h, "张伟 · 业务员");
    settle(&mut h);
    assert!(has_label(&h, "09:12 已签到"));
    let day = attendance::on_day(h.state().store().db(), zhang, clock.now().date())
        .unwrap()
        .unwrap();
    assert_eq!(day.late_minutes(h.state().settings().shift_start), 0);
}
