//! The improvement measures of the month's most failed items (质量管理 4–5): saved per month and
//! item from the monthly tab, reviewed in the next month's report against the item's failures,
//! and exported with the quality analysis.

mod common;

use chrono::NaiveDate;
use common::{click, has_label, settle, type_into};
use egui_kittest::kittest::Queryable as _;
use frontdesk::clock::{Clock, FakeClock};
use frontdesk::domain::account::{Action, Actor};
use frontdesk::domain::inspection::{CheckedItem, Inspection, ItemResult, TargetKind};
use frontdesk::domain::quality::MeasureDraft;
use frontdesk::i18n::{self, Lang};
use frontdesk::report::Cell;
use frontdesk::store::{Store, inspections, quality_measures};

const ITEM: &str = "柜台整洁";

/// A spot check at `when` of the counter where [`ITEM`] got `result` and 仪容仪表 passed.
fn spot_check(when: &str, result: ItemResult) -> Inspection {
    let item = |text: &str, result| CheckedItem {
        id: 0,
        text: text.into(),
        result,
        note: String::new(),
        photo: None,
    };
    Inspection {
        id: 0,
        at: FakeClock::at(when).now(),
        inspector: "吴昊".into(),
        target_kind: TargetKind::Counter,
        target: "一号柜台".into(),
        staff_id: None,
        template_name: "前台".into(),
        items: vec![item("仪容仪表", ItemResult::Pass), item(ITEM, result)],
        remark: String::new(),
    }
}

/// Saves spot checks as the system (the fixtures of a month's inspections).
fn add_spot_checks(store: &mut Store, checks: &[(&str, ItemResult)]) {
    let before = store.actor().clone();
    store.set_actor(Actor::system());
    store
        .write_as(Action::Inspect, |tx| {
            for (when, result) in checks {
                inspections::create(tx, &spot_check(when, *result), None, None)?;
            }
            Ok(())
        })
        .expect("spot checks");
    store.set_actor(before);
}

fn draft(cause: &str, due: NaiveDate) -> MeasureDraft {
    MeasureDraft {
        month: "2026-11".into(),
        item: ITEM.into(),
        cause: cause.into(),
        measure: "每日下班前检查台面".into(),
        owner: "李娜".into(),
        owner_staff_id: None,
        due,
    }
}

#[test]
fn a_measure_is_saved_once_per_month_and_item_reviewed_and_compared_with_the_next_month() {
    i18n::set_lang(Lang::ZhCn);
    let (_dir, path) = common::temp_db();
    let clock = common::clock();
    let (mut store, li, _) = common::store_with_staff(&path, &clock);
    add_spot_checks(
        &mut store,
        &[
            ("2026-11-03 10:00:00", ItemResult::Fail),
            ("2026-11-10 10:00:00", ItemResult::Fail),
            ("2026-11-17 10:00:00", ItemResult::Pass),
            ("2026-12-02 10:00:00", ItemResult::Fail),
            ("2026-12-09 10:00:00", ItemResult::Pass),
        ],
    );
    let due = NaiveDate::from_ymd_opt(2026, 12, 7).unwrap();
    let now = clock.now();
    // The desk may not write supervisor data.
    assert!(
        store
            .write_as(Action::Inspect, |tx| quality_measures::save(
                tx,
                &draft("下班前未整理", due),
                None,
                now
            ))
            .is_err()
    );
    store.set_actor(Actor::system());
    let id = store
        .write_as(Action::Inspect, |tx| {
            quality_measures::save(tx, &draft("下班前未整理", due), None, now)
        })
        .unwrap();
    // Saving the same item again updates it.
    let again = store
        .write_as(Action::Inspect, |tx| {
            let d = MeasureDraft {
                owner_staff_id: Some(li),
                ..draft("交接班无人负责", due)
            };
            quality_measures::save(tx, &d, None, now)
        })
        .unwrap();
    assert_eq!(again, id);
    // A draft without a cause is refused and changes nothing.
    assert!(
        store
            .write_as(Action::Inspect, |tx| quality_measures::save(
                tx,
                &draft(" ", due),
                None,
                now
            ))
            .is_err()
    );
    let saved = store
        .read_as(Action::ReadSupervisorData, |c| {
            quality_measures::of_month(c, "2026-11")
        })
        .unwrap();
    assert_eq!(saved.len(), 1);
    assert_eq!(saved[0].cause, "交接班无人负责");
    assert_eq!(saved[0].owner_staff_id, Some(li));
    assert_eq!(saved[0].due, due);
    assert_eq!(saved[0].effective, None);

    // December's report: November's failures (2) against December's (1).
    let settings = frontdesk::store::settings::load(store.db()).unwrap();
    let later = FakeClock::at("2026-12-15 09:00:00").now();
    let (december, _) = frontdesk::app::monthly(&store, "2026-12", later, &settings).unwrap();
    assert_eq!(december.previous_measures.len(), 1);
    let effect = &december.previous_measures[0];
    assert_eq!((effect.failures_before, effect.failures_after), (2, 1));
    assert!(effect.suggested_effective());
    assert!(
        effect.measure.is_overdue(later.date()),
        "due and not reviewed"
    );
    let (november, _) = frontdesk::app::monthly(&store, "2026-11", later, &settings).unwrap();
    assert_eq!(november.measures.len(), 1);
    assert!(november.previous_measures.is_empty());

    store
        .write_as(Action::Inspect, |tx| {
            quality_measures::review(tx, id, true, " 台面整洁多了 ", later)
        })
        .unwrap();
    let (december, _) = frontdesk::app::monthly(&store, "2026-12", later, &settings).unwrap();
    let m = &december.previous_measures[0].measure;
    assert_eq!(m.effective, Some(true));
    assert_eq!(m.review_note, "台面整洁多了");
    assert_eq!(m.reviewed_at, Some(later));
    assert!(!m.is_overdue(later.date()));
    assert!(matches!(
        store.write_as(Action::Inspect, |tx| quality_measures::review(
            tx, 9999, false, "", later
        )),
        Err(frontdesk::store::StoreError::NotFound)
    ));
}

/// A store with November's and December's spot checks ([`ITEM`] failed twice, then once) and
/// November's measure for it, reviewed as effective on 2026-12-15.
fn store_with_a_reviewed_measure(path: &std::path::Path) -> Store {
    let clock = common::clock();
    let (mut store, _, _) = common::store_with_staff(path, &clock);
    add_spot_checks(
        &mut store,
        &[
            ("2026-11-03 10:00:00", ItemResult::Fail),
            ("2026-11-10 10:00:00", ItemResult::Fail),
            ("2026-12-02 10:00:00", ItemResult::Fail),
        ],
    );
    store.set_actor(Actor::system());
    let due = NaiveDate::from_ymd_opt(2026, 12, 7).expect("a day");
    let later = FakeClock::at("2026-12-15 09:00:00").now();
    store
        .write_as(Action::Inspect, |tx| {
            let id = quality_measures::save(tx, &draft("交接班无人负责", due), None, clock.now())?;
            quality_measures::review(tx, id, true, "台面整洁多了", later)
        })
        .expect("a reviewed measure");
    store
}

#[test]
fn the_quality_export_carries_the_measures_sheet() {
    i18n::set_lang(Lang::ZhCn);
    let (_dir, path) = common::temp_db();
    let store = store_with_a_reviewed_measure(&path);
    let settings = frontdesk::store::settings::load(store.db()).unwrap();
    let later = FakeClock::at("2026-12-15 09:00:00").now();
    // The quality export's third sheet.
    let sheets =
        frontdesk::app::monthly_tables(&store, "2026-12", later, &settings, false).unwrap();
    let names: Vec<&str> = sheets.iter().map(|(n, _)| *n).collect();
    assert_eq!(names, ["quality", "inspections", "measures"]);
    let measures = &sheets[2].1;
    assert_eq!(
        measures.header,
        [
            "month",
            "item",
            "cause",
            "measure",
            "owner",
            "due",
            "failures_before",
            "failures_after",
            "effective"
        ]
    );
    assert_eq!(
        measures.rows,
        [vec![
            Cell::Text("2026-11".into()),
            Cell::Text(ITEM.into()),
            Cell::Text("交接班无人负责".into()),
            Cell::Text("每日下班前检查台面".into()),
            Cell::Text("李娜".into()),
            Cell::Text("2026-12-07".into()),
            Cell::Int(2),
            Cell::Int(1),
            Cell::Text("yes".into()),
        ]]
    );
    // November's own export lists the measure with November's failures, the effect to come.
    let sheets =
        frontdesk::app::monthly_tables(&store, "2026-11", later, &settings, false).unwrap();
    assert_eq!(sheets[2].1.rows[0][6], Cell::Int(2));
    assert_eq!(sheets[2].1.rows[0][7], Cell::Empty);

    // The PDF prints the sheet under its heading.
    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("quality.pdf");
    let sheets: Vec<(&str, &frontdesk::report::Table)> =
        sheets.iter().map(|(n, t)| (*n, t)).collect();
    frontdesk::app::write_export(
        &sheets,
        &pdf,
        frontdesk::app::ExportFormat::Pdf,
        &frontdesk::pdf::Header::report(&settings, "pdf.report_quality", "2026-11"),
    )
    .unwrap();
    let text = common::pdf_text(&pdf);
    for expected in ["改进措施及效果", "交接班无人负责", "措施前不合格"] {
        assert!(text.contains(expected), "{expected} not in {text}");
    }
    // The workbook's third sheet.
    let xlsx = dir.path().join("quality.xlsx");
    frontdesk::app::write_export(
        &sheets,
        &xlsx,
        frontdesk::app::ExportFormat::Xlsx,
        &frontdesk::pdf::Header::report(&settings, "pdf.report_quality", "2026-11"),
    )
    .unwrap();
    use calamine::Reader as _;
    let mut book = calamine::open_workbook_auto(&xlsx).unwrap();
    assert_eq!(book.sheet_names(), ["quality", "inspections", "measures"]);
    let range = book.worksheet_range("measures").unwrap();
    let rows: Vec<Vec<String>> = range
        .rows()
        .map(|r| r.iter().map(ToString::to_string).collect())
        .collect();
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert_eq!(rows[0][6], "failures_before");
    assert_eq!(rows[1][1], ITEM);
    assert_eq!(rows[1][2], "交接班无人负责");
}

fn open_monthly_tab(h: &mut egui_kittest::Harness<'static, frontdesk::app::App>) {
    h.state_mut()
        .login("wuhao", common::SUPERVISOR_PASSWORD)
        .expect("login");
    h.run();
    h.get_by_label("主管工作台").click();
    h.run();
    h.get_by_label("月度报表").click();
    h.run();
    settle(h);
}

#[test]
fn a_supervisor_agrees_a_measure_for_a_failing_item_and_reviews_it_next_month() {
    i18n::set_lang(Lang::ZhCn);
    let (_dir, path) = common::temp_db();
    let clock = common::clock();
    let (mut store, _, _) = common::store_with_staff(&path, &clock);
    common::add_supervisor(&mut store, &clock);
    add_spot_checks(
        &mut store,
        &[
            ("2026-11-03 10:00:00", ItemResult::Fail),
            ("2026-11-10 10:00:00", ItemResult::Fail),
        ],
    );
    let mut h = common::harness(common::app(store, &clock));
    h.run();
    open_monthly_tab(&mut h);
    assert!(has_label(&h, "质量改进措施"));
    type_into(&mut h, "原因", "下班前未整理");
    type_into(&mut h, "改进措施", "每日下班前检查台面");
    click(&mut h, "负责人");
    click(&mut h, "李娜 · 客服代表");
    // A due date that is not one is refused before anything is saved.
    type_into(&mut h, "完成期限", "x");
    click(&mut h, "保存措施");
    assert!(common::has_label_containing(&h, "日期格式不对"));
    h.get_by_label("完成期限").focus();
    h.run();
    h.key_press(egui::Key::Backspace);
    h.run();
    click(&mut h, "保存措施");
    settle(&mut h);
    assert!(
        has_label(&h, "原因:下班前未整理;措施:每日下班前检查台面"),
        "{:?}",
        h.state().message()
    );
    assert!(has_label(&h, "负责人:李娜"));
    assert!(has_label(&h, "完成期限 2026-12-07"));
    // The form keeps what was saved; saving it again changes the measure.
    type_into(&mut h, "原因", ",交接时无人检查");
    click(&mut h, "保存措施");
    settle(&mut h);
    assert!(has_label(
        &h,
        "原因:下班前未整理,交接时无人检查;措施:每日下班前检查台面"
    ));
    let saved = h
        .state()
        .store()
        .read_as(Action::ReadSupervisorData, |c| {
            quality_measures::of_month(c, "2026-11")
        })
        .unwrap();
    assert_eq!(saved.len(), 1);
    drop(h);

    // December: the measure's effect, reviewed.
    let clock = FakeClock::at("2026-12-15 09:00:00");
    let mut store = Store::open(&path).unwrap();
    add_spot_checks(&mut store, &[("2026-12-02 10:00:00", ItemResult::Pass)]);
    let mut h = common::harness(common::app(store, &clock));
    h.run();
    open_monthly_tab(&mut h);
    assert!(has_label(&h, "上月改进措施效果"));
    assert!(has_label(&h, "不合格次数:上月 2,本月 0"));
    assert!(has_label(&h, "建议:有效(不合格次数下降)"));
    assert!(has_label(&h, "尚未评估"));
    type_into(&mut h, "评估说明", "台面整洁多了");
    click(&mut h, "有效");
    settle(&mut h);
    assert!(
        has_label(&h, "评估:有效 台面整洁多了"),
        "{:?}",
        h.state().message()
    );
    let saved = h
        .state()
        .store()
        .read_as(Action::ReadSupervisorData, |c| {
            quality_measures::of_month(c, "2026-11")
        })
        .unwrap();
    assert_eq!(saved[0].effective, Some(true));
    assert_eq!(saved[0].reviewed_at, Some(clock.now()));
    assert_eq!(saved[0].owner, "李娜");
}
