//! UI tests: the real `App` driven through egui_kittest — find widgets by label, click, type,
//! check what the user sees and what was saved.
#![allow(clippy::unwrap_used, reason = "test code: a panic is a failed test")]

mod common;

use common::{click, has_label, has_label_containing, settle, type_into};

use egui_kittest::kittest::Queryable as _;
use frontdesk::app::Screen;
use frontdesk::clock::Clock as _;
use frontdesk::domain::visit::{Stage, TravelMode};
use frontdesk::i18n::{self, Lang};
use frontdesk::store::{customers, visits};

#[test]
fn a_visit_from_arrival_to_departure() {
    i18n::set_lang(Lang::ZhCn);
    let (_dir, path) = common::temp_db();
    let clock = common::clock();
    let (store, li, zhang) = common::store_with_staff(&path, &clock);
    let mut h = common::harness(common::app(store, &clock));
    h.run();
    assert!(has_label(&h, "目前没有在场访客"));

    // Arrival starts the greeting timer at once.
    h.get_by_label("客户到达").click();
    h.run();
    let present = visits::present(h.state().store().db()).unwrap();
    assert_eq!(present.len(), 1);
    let id = present[0].id;
    assert_eq!(present[0].arrived_at, clock.now());
    assert!(has_label(&h, "00:00"));
    assert!(has_label_containing(&h, "您好,欢迎光临"));
    assert!(!has_label(&h, "已超时!"));

    // Amber from 45 s.
    clock.advance_secs(50);
    h.run();
    assert!(has_label(&h, "00:50"));
    assert!(has_label(&h, "即将超时"));

    // Past 60 s: overdue, and the apology comes first.
    clock.advance_secs(11);
    h.run();
    assert!(has_label(&h, "01:01"));
    assert!(has_label(&h, "已超时!"));
    assert!(has_label_containing(&h, "对不起,让您久等了。您好,欢迎光临"));

    // Greeted: recorded with who and when.
    h.get_by_label("已问候").click();
    h.run();
    let v = visits::get(h.state().store().db(), id).unwrap();
    assert_eq!(v.greeting_latency_secs(), Some(61));
    assert_eq!(v.greeted_by, Some(li));
    assert!(has_label(&h, "迟于时限"));
    assert!(has_label(&h, "问候人:李娜"));

    // Registration details follow.
    h.get_by_label("登记信息").click();
    h.run();
    type_into(&mut h, "电话", "13812345678");
    type_into(&mut h, "姓氏", "王");
    h.get_by_label("先生").click();
    h.run();
    type_into(&mut h, "公司", "华东五金贸易有限公司");
    type_into(&mut h, "来访目的", "咨询运价");
    h.get_by_label("保存登记").click();
    h.run();
    let v = visits::get(h.state().store().db(), id).unwrap();
    assert_eq!(v.stage(), Stage::Registered);
    assert_eq!(v.salutation().as_deref(), Some("王先生"));
    assert!(v.customer_id.is_some(), "a new customer is archived");
    assert_eq!(customers::count(h.state().store().db()).unwrap(), 1);
    assert!(has_label(&h, "王先生"));
    assert!(has_label(&h, "138****5678"), "phone masked on the board");

    // Water.
    clock.advance_secs(30);
    h.run();
    h.get_by_label("已倒水").click();
    h.run();
    let v = visits::get(h.state().store().db(), id).unwrap();
    assert_eq!(v.water_served_at, Some(clock.now()));
    assert_eq!(v.water_served_by, Some(li));

    // Hand-over to 张伟.
    h.get_by_label("转交…").click();
    h.run();
    h.get_by_label("转交给").click();
    h.run();
    h.get_by_label("张伟 · 业务员").click();
    h.run();
    h.get_by_label("确认转交").click();
    h.run();
    let v = visits::get(h.state().store().db(), id).unwrap();
    assert_eq!(v.handed_over_to, Some(zhang));
    assert_eq!(v.purpose, "咨询运价");
    assert!(has_label(&h, "已转交 张伟:咨询运价"));

    // Seeing off with the checklist.
    clock.advance_secs(20 * 60);
    h.run();
    h.get_by_label("准备离开").click();
    h.run();
    assert!(has_label_containing(&h, "请慢走,欢迎再来"));
    assert_eq!(
        visits::get(h.state().store().db(), id).unwrap().stage(),
        Stage::SeeingOff
    );
    h.get_by_label("已主动提出送客户下楼").click();
    h.get_by_label("打车").click();
    h.get_by_label("已提醒带好随身物品").click();
    h.run();
    h.get_by_label("确认离开").click();
    h.run();
    let v = visits::get(h.state().store().db(), id).unwrap();
    assert_eq!(v.stage(), Stage::Left);
    assert!(v.offered_accompany);
    assert_eq!(v.travel_mode, Some(TravelMode::Taxi));
    assert!(v.reminded_belongings);
    assert!(!v.reminded_documents);
    assert_eq!(v.duration_secs(), Some(61 + 30 + 20 * 60));
    assert!(has_label(&h, "目前没有在场访客"));
    assert!(has_label(&h, "今日来访 1"));
    assert!(has_label(&h, "60秒内问候 0.0%"));
    let log: Vec<String> = visits::log_of(h.state().store().db(), id)
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .collect();
    assert_eq!(
        log,
        [
            "arrive",
            "greet",
            "register",
            "water",
            "hand_over",
            "see_off",
            "depart"
        ]
    );
}

#[test]
fn timers_keep_time_while_another_screen_is_open() {
    i18n::set_lang(Lang::ZhCn);
    let (_dir, path) = common::temp_db();
    let clock = common::clock();
    let (store, _, _) = common::store_with_staff(&path, &clock);
    let mut h = common::harness(common::app(store, &clock));
    h.run();
    h.get_by_label("客户到达").click();
    h.run();
    h.get_by_label("设置").click();
    h.run();
    assert_eq!(h.state().screen(), Screen::Settings);
    clock.advance_secs(95);
    h.run();
    h.get_by_label("今日接待").click();
    h.run();
    assert!(has_label(&h, "01:35"));
    assert!(has_label(&h, "已超时!"));
    // The app asks to be repainted when the next second ticks, not continuously.
    let next = h.state().next_change();
    assert!(next <= chrono::Duration::seconds(1) && next > chrono::Duration::zero());
}

#[test]
fn a_failed_save_keeps_the_form_and_says_why() {
    i18n::set_lang(Lang::ZhCn);
    let (_dir, path) = common::temp_db();
    let clock = common::clock();
    let (store, _, _) = common::store_with_staff(&path, &clock);
    let mut h = common::harness(common::app(store, &clock));
    h.run();
    h.get_by_label("登记来访").click();
    h.run();
    assert!(
        h.get_by_label("电话").is_focused(),
        "the form opens ready to type"
    );
    type_into(&mut h, "姓氏", "欧阳");
    type_into(&mut h, "电话", "139 0000 1111");
    // No honorific chosen.
    h.get_by_label("保存登记").click();
    h.run();
    assert!(has_label(&h, "称呼: 必填"), "the error is shown in Chinese");
    assert!(
        visits::present(h.state().store().db()).unwrap().is_empty(),
        "nothing saved"
    );
    assert_eq!(
        h.get_by_label("姓氏").value().as_deref(),
        Some("欧阳"),
        "input kept"
    );
    h.get_by_label("女士").click();
    h.run();
    h.get_by_label("保存登记").click();
    h.run();
    let present = visits::present(h.state().store().db()).unwrap();
    assert_eq!(present.len(), 1);
    assert_eq!(present[0].salutation().as_deref(), Some("欧阳女士"));
    assert_eq!(present[0].phone, "13900001111");
    assert_eq!(
        present[0].arrived_at,
        clock.now(),
        "a walk-in registration starts the visit"
    );
}

#[test]
fn returning_customers_are_offered_while_typing() {
    i18n::set_lang(Lang::ZhCn);
    let (_dir, path) = common::temp_db();
    let clock = common::clock();
    let (mut store, li, _) = common::store_with_staff(&path, &clock);
    let reg = frontdesk::domain::visit::RegistrationDraft {
        surname: "王".into(),
        honorific: Some(frontdesk::domain::customer::Honorific::Mr),
        name: "王堃".into(),
        phone: "13812345678".into(),
        company: "顺达贸易".into(),
        ..Default::default()
    }
    .validate()
    .unwrap();
    let customer = store
        .write(|tx| {
            let id = visits::register(tx, None, &reg, clock.now(), Some(li))?;
            visits::change(tx, id, clock.now(), Some(li), "depart", "", |v| {
                v.depart(&Default::default(), Some(li), clock.now())
            })?;
            Ok(visits::get(tx, id)?.customer_id)
        })
        .unwrap();
    clock.advance_secs(3600);
    let mut h = common::harness(common::app(store, &clock));
    h.run();
    h.get_by_label("登记来访").click();
    h.run();
    type_into(&mut h, "电话", "1381234");
    h.run();
    let suggestion = "王先生 王堃 138****5678 顺达贸易";
    assert!(
        has_label(&h, suggestion),
        "the archived customer is offered"
    );
    h.get_by_label(suggestion).click();
    h.run();
    assert!(has_label(&h, "老客户:王先生"));
    h.get_by_label("保存登记").click();
    h.run();
    let present = visits::present(h.state().store().db()).unwrap();
    assert_eq!(present.len(), 1);
    assert!(present[0].returning);
    assert_eq!(present[0].customer_id, customer);
    assert!(has_label_containing(&h, "老客户"));
    assert_eq!(customers::count(h.state().store().db()).unwrap(), 1);
}

#[test]
fn cancelling_a_mistaken_visit_needs_a_reason_and_keeps_it() {
    i18n::set_lang(Lang::ZhCn);
    let (_dir, path) = common::temp_db();
    let clock = common::clock();
    let (store, _, _) = common::store_with_staff(&path, &clock);
    let mut h = common::harness(common::app(store, &clock));
    h.run();
    h.get_by_label("客户到达").click();
    h.run();
    h.get_by_label("取消来访").click();
    h.run();
    h.get_by_label("确认取消来访").click();
    h.run();
    assert!(has_label(&h, "取消原因: 必填"));
    type_into(&mut h, "取消原因", "误点到达");
    h.get_by_label("确认取消来访").click();
    h.run();
    assert!(visits::present(h.state().store().db()).unwrap().is_empty());
    let all = visits::page(h.state().store().db(), &Default::default(), 0, 10).unwrap();
    assert_eq!(all.len(), 1, "kept, not deleted");
    assert_eq!(all[0].cancel_reason, "误点到达");
    // The history screen shows it as cancelled.
    h.get_by_label("来访记录").click();
    settle(&mut h);
    assert!(has_label(&h, "已取消:误点到达"));
    // Its log: who did what, when.
    h.get_by_label("操作记录").click();
    settle(&mut h);
    assert!(has_label(&h, "来访 #1 的操作记录"));
    assert!(has_label(&h, "到达"));
    assert!(has_label(&h, "误点到达"));
}

#[test]
fn visit_history_pages_through_many_visits() {
    i18n::set_lang(Lang::ZhCn);
    let (_dir, path) = common::temp_db();
    let clock = common::clock();
    let (mut store, li, _) = common::store_with_staff(&path, &clock);
    store
        .write(|tx| {
            for i in 0..120 {
                visits::arrive(tx, clock.now() - chrono::Duration::minutes(i), Some(li))?;
            }
            Ok(())
        })
        .unwrap();
    let mut h = common::harness(common::app(store, &clock));
    h.run();
    h.get_by_label("来访记录").click();
    settle(&mut h);
    assert!(has_label(&h, "共 120 条"));
    assert!(has_label(&h, "第 1–50 条"));
    // Already on the newest page: "previous" does nothing.
    h.get_by_label("上一页").click();
    settle(&mut h);
    assert!(has_label(&h, "第 1–50 条"));
    h.get_by_label("下一页").click();
    settle(&mut h);
    assert!(has_label(&h, "第 51–100 条"));
    h.get_by_label("下一页").click();
    settle(&mut h);
    assert!(has_label(&h, "第 101–120 条"));
    // The last page holds the 20 earliest visits (50 a page), read on a worker.
    assert_eq!(
        h.query_all_by_label("操作记录").count(),
        20,
        "the third page's rows arrived"
    );
    // On the last page: "next" does nothing.
    h.get_by_label("下一页").click();
    settle(&mut h);
    assert!(has_label(&h, "第 101–120 条"));
    h.get_by_label("上一页").click();
    settle(&mut h);
    assert!(has_label(&h, "第 51–100 条"));
    h.get_by_label("最新").click();
    settle(&mut h);
    assert!(has_label(&h, "第 1–50 条"));
}

/// Ten years are not paged through one by one: a date jumps to that day's visits (its newest
/// first), and the pages go on from there.
#[test]
fn visit_history_jumps_to_a_date() {
    i18n::set_lang(Lang::ZhCn);
    let (_dir, path) = common::temp_db();
    let clock = common::clock();
    let (mut store, li, _) = common::store_with_staff(&path, &clock);
    let today = clock.now().date();
    store
        .write(|tx| {
            for day in 0..3 {
                for i in 0..40 {
                    let at = (today - chrono::Duration::days(day))
                        .and_hms_opt(9, 0, 0)
                        .unwrap()
                        + chrono::Duration::minutes(i);
                    visits::arrive(tx, at, Some(li))?;
                }
            }
            Ok(())
        })
        .unwrap();
    let mut h = common::harness(common::app(store, &clock));
    h.run();
    h.get_by_label("来访记录").click();
    settle(&mut h);
    assert!(has_label(&h, "共 120 条"));
    let yesterday = (today - chrono::Duration::days(1))
        .format("%Y-%m-%d")
        .to_string();
    type_into(&mut h, "跳到日期", &yesterday);
    click(&mut h, "跳转");
    settle(&mut h);
    // Today's 40 come before: yesterday's newest is the 41st, and the page of 50 goes on into
    // the day before.
    assert!(has_label(&h, "第 41–90 条"), "the page starts at that day");
    assert!(has_label_containing(&h, &format!("{yesterday} 09:39")));
    let before = (today - chrono::Duration::days(2))
        .format("%Y-%m-%d")
        .to_string();
    assert!(has_label_containing(&h, &format!("{before} 09:39")));
    assert!(!has_label_containing(&h, &format!("{before} 09:29")));
    h.get_by_label("下一页").click();
    settle(&mut h);
    assert!(has_label(&h, "第 91–120 条"));
    h.get_by_label("上一页").click();
    settle(&mut h);
    assert!(has_label(&h, "第 41–90 条"));
    // A date that is not one says so and keeps the page.
    type_into(&mut h, "跳到日期", "x");
    click(&mut h, "跳转");
    settle(&mut h);
    assert!(has_label(&h, "第 41–90 条"));
}

#[test]
fn language_switch_changes_visible_text_and_is_saved() {
    i18n::set_lang(Lang::ZhCn);
    let (_dir, path) = common::temp_db();
    let clock = common::clock();
    let (store, _, _) = common::store_with_staff(&path, &clock);
    let mut h = common::harness(common::app(store, &clock));
    h.run();
    assert!(has_label(&h, "客户到达"));
    h.get_by_label("设置").click();
    h.run();
    h.get_by_label("English").click();
    h.run();
    assert!(has_label(&h, "Reception today"));
    assert!(!has_label(&h, "今日接待"));
    assert_eq!(h.state().settings().lang, Lang::En);
    h.get_by_label("Reception today").click();
    h.run();
    assert!(has_label(&h, "Customer arrived"));
    // Saved for this desk (each desk sharing a server keeps its own language).
    let store = h.state().store();
    let saved = frontdesk::store::settings::load_for_desk(store.db(), store.desk()).unwrap();
    assert_eq!(saved.lang, Lang::En);
    i18n::set_lang(Lang::ZhCn);
}

#[test]
fn settings_change_the_greeting_limit_and_staff_can_be_added() {
    i18n::set_lang(Lang::ZhCn);
    let (_dir, path) = common::temp_db();
    let clock = common::clock();
    let (mut store, _, _) = common::store_with_staff(&path, &clock);
    common::add_supervisor(&mut store, &clock);
    let mut h = common::harness(common::app(store, &clock));
    h.run();
    h.get_by_label("设置").click();
    h.run();
    assert!(
        has_label(&h, "修改这些设置需要主管登录"),
        "the desk cannot change the rules"
    );
    // A supervisor logs in through the dialog.
    h.get_by_label("主管登录").click();
    h.run();
    type_into(&mut h, "用户名", "wuhao");
    type_into(&mut h, "密码", common::SUPERVISOR_PASSWORD);
    h.get_by_label("登录").click();
    h.run();
    assert!(has_label(&h, "吴昊(主管)"), "{:?}", h.state().message());
    assert!(!has_label(&h, "修改这些设置需要主管登录"));
    h.get_by_label("数据").click();
    h.run();
    assert!(
        has_label_containing(&h, &common::shown_database(&path)),
        "the database is shown"
    );
    h.get_by_label("员工").click();
    h.run();
    type_into(&mut h, "新员工姓名", "赵敏");
    h.get_by_label("添加员工").click();
    h.run();
    assert!(has_label(&h, "赵敏"));
    // Greeting limit 60 → 90 seconds.
    h.get_by_label("常规与接待").click();
    h.run();
    h.get_by_label("问候时限(秒)").focus();
    h.run();
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.run();
    h.get_by_label("问候时限(秒)").type_text("90");
    h.run();
    assert_eq!(
        h.get_by_label("问候时限(秒)").value().as_deref(),
        Some("90")
    );
    h.get_by_label("保存设置").click();
    h.run();
    assert_eq!(h.state().settings().rules.greeting_limit_secs, 90);
    h.get_by_label("今日接待").click();
    h.run();
    h.get_by_label("客户到达").click();
    h.run();
    clock.advance_secs(70);
    h.run();
    assert!(!has_label(&h, "已超时!"), "70 s is within a 90 s limit");
    assert!(has_label(&h, "即将超时"));

    // Public holidays and a make-up working day: a day that is not one is refused with a
    // message, nothing saved; then saved as typed.
    h.get_by_label("设置").click();
    h.run();
    h.get_by_label("常规与接待").click();
    h.run();
    type_into(
        &mut h,
        "法定节假日(每行一个日期,不计缺勤)",
        "2026-10-01\n十月二日",
    );
    h.get_by_label("保存设置").click();
    h.run();
    assert!(has_label_containing(&h, "“十月二日”不是日期"));
    assert!(h.state().settings().days_off.holidays.is_empty());
    h.get_by_label("法定节假日(每行一个日期,不计缺勤)").focus();
    h.run();
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.run();
    h.get_by_label("法定节假日(每行一个日期,不计缺勤)")
        .type_text("2026-10-02\n2026-10-01");
    h.run();
    type_into(&mut h, "调休上班日(每行一个日期)", "2026-10-10");
    h.get_by_label("保存设置").click();
    h.run();
    let off = &h.state().settings().days_off;
    let day = |d| chrono::NaiveDate::from_ymd_opt(2026, 10, d).unwrap();
    assert_eq!(off.holidays, [day(1), day(2)]);
    assert_eq!(off.makeup_workdays, [day(10)]);
    assert_eq!(
        frontdesk::store::settings::load(h.state().store().db())
            .unwrap()
            .days_off,
        *off,
        "saved"
    );
}

#[test]
fn hand_over_without_a_colleague_is_refused_with_a_message() {
    i18n::set_lang(Lang::ZhCn);
    let (_dir, path) = common::temp_db();
    let clock = common::clock();
    let (store, _, _) = common::store_with_staff(&path, &clock);
    let mut h = common::harness(common::app(store, &clock));
    h.run();
    h.get_by_label("客户到达").click();
    h.run();
    h.get_by_label("转交…").click();
    h.run();
    type_into(&mut h, "来访目的", "提货");
    h.get_by_label("确认转交").click();
    h.run();
    assert!(has_label(&h, "转交给: 必填"));
    assert_eq!(
        h.get_by_label("来访目的").value().as_deref(),
        Some("提货"),
        "input kept"
    );
    let v = &visits::present(h.state().store().db()).unwrap()[0];
    assert!(v.handed_over_at.is_none());
}

/// A staff member added in Settings with one of the regulations' roles (理赔员) is offered for
/// hand-over with that role, colleagues listed by role: the front desk first, supervisors last.
#[test]
fn a_colleague_added_with_a_new_role_is_offered_for_hand_over_by_role() {
    use frontdesk::domain::staff::Role;
    use frontdesk::store::staff;
    i18n::set_lang(Lang::ZhCn);
    let (_dir, path) = common::temp_db();
    let clock = common::clock();
    let (mut store, _, _) = common::store_with_staff(&path, &clock);
    common::add_supervisor(&mut store, &clock);
    store
        .write(|tx| staff::add(tx, "郑洁", Role::ServiceSupervisor, clock.now()))
        .unwrap();
    let mut h = common::harness(common::app(store, &clock));
    h.run();
    h.state_mut()
        .login("wuhao", common::SUPERVISOR_PASSWORD)
        .unwrap();
    h.run();
    h.get_by_label("设置").click();
    h.run();
    h.get_by_label("员工").click();
    h.run();
    type_into(&mut h, "新员工姓名", "钱进");
    h.get_by_role_and_label(egui::accesskit::Role::ComboBox, "岗位")
        .click();
    h.run();
    for role in [
        "查询员",
        "开票员",
        "结算员",
        "兑付员",
        "监察主管",
        "客服主管",
    ] {
        assert!(has_label(&h, role), "{role} is offered");
    }
    click(&mut h, "理赔员");
    click(&mut h, "添加员工");
    let added = staff::all(h.state().store().db())
        .unwrap()
        .into_iter()
        .find(|s| s.name == "钱进")
        .unwrap();
    assert_eq!(
        added.role,
        Role::ClaimsAdjuster,
        "{:?}",
        h.state().message()
    );
    assert!(has_label(&h, "理赔员"), "the staff list shows the role");

    h.get_by_label("今日接待").click();
    h.run();
    h.get_by_label("客户到达").click();
    h.run();
    h.get_by_label("转交…").click();
    h.run();
    type_into(&mut h, "来访目的", "货损理赔");
    h.get_by_label("转交给").click();
    h.run();
    assert_eq!(
        shown_order(
            &h,
            &[
                "郑洁 · 客服主管",
                "张伟 · 业务员",
                "钱进 · 理赔员",
                "李娜 · 客服代表"
            ]
        ),
        [
            "李娜 · 客服代表",
            "钱进 · 理赔员",
            "张伟 · 业务员",
            "郑洁 · 客服主管"
        ]
    );
    click(&mut h, "钱进 · 理赔员");
    h.get_by_label("确认转交").click();
    h.run();
    let v = &visits::present(h.state().store().db()).unwrap()[0];
    assert_eq!(
        v.handed_over_to,
        Some(added.id),
        "{:?}",
        h.state().message()
    );
    assert!(has_label(&h, "已转交 钱进:货损理赔"));
}

#[test]
fn writes_by_another_program_show_up_without_a_restart() {
    i18n::set_lang(Lang::ZhCn);
    let (_dir, path) = common::temp_db();
    let clock = common::clock();
    let (store, _, _) = common::store_with_staff(&path, &clock);
    let mut h = common::harness(common::app(store, &clock));
    h.run();
    assert!(has_label(&h, "目前没有在场访客"));
    // Another desk (another connection to the same file) records an arrival.
    let mut other = frontdesk::store::Store::open(&path).unwrap();
    other
        .write(|tx| visits::arrive(tx, clock.now(), None))
        .unwrap();
    clock.advance_secs(1);
    h.run();
    // On a server the change is heard through the watch's notification, a moment later.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    while !has_label(&h, "今日来访 1") && std::time::Instant::now() < deadline {
        common::pause(std::time::Duration::from_millis(20));
        h.run();
    }
    assert!(has_label(&h, "今日来访 1"));
    assert!(has_label(&h, "00:01"));
}

#[test]
fn a_late_call_becomes_a_major_complaint_followed_through_six_steps() {
    use frontdesk::domain::complaint::{Satisfaction, Status};
    use frontdesk::store::{calls, complaints, inbox};
    i18n::set_lang(Lang::ZhCn);
    let (_dir, path) = common::temp_db();
    let clock = common::clock();
    let (mut store, li, _) = common::store_with_staff(&path, &clock);
    common::add_supervisor(&mut store, &clock);
    let mut h = common::harness(common::app(store, &clock));
    h.run();
    h.get_by_label("电话记录").click();
    h.run();
    assert!(
        has_label_containing(&h, "您好,这里是"),
        "the opening line is shown"
    );
    assert!(
        has_label_containing(&h, "谢谢您的来电"),
        "the closing line is shown"
    );

    // More than five rings: the apology line, and whether it was said.
    type_into(&mut h, "响铃声数", "7");
    assert!(has_label_containing(&h, "请先说:“对不起,让您久等了。"));
    h.get_by_label("已向客户致歉").click();
    type_into(&mut h, "来电人", "王先生");
    type_into(&mut h, "电话", "13812345678");
    h.get_by_label("投诉").click();
    h.run();
    type_into(&mut h, "来电内容", "司机卸货时乱扔箱子,态度恶劣");
    h.get_by_label("保存并转为投诉").click();
    h.run();
    let call = &calls::page(h.state().store().db(), &Default::default(), 0, 10).unwrap()[0];
    assert_eq!(call.rings, 7);
    assert_eq!(call.apology_said, Some(true));

    // The complaint form carries the caller over.
    assert_eq!(h.get_by_label("客户").value().as_deref(), Some("王先生"));
    h.get_by_label("投诉类别").click();
    h.run();
    h.get_by_label("服务态度").click();
    h.run();
    h.get_by_label("重大").click();
    h.get_by_label("是").click();
    h.run();
    h.get_by_label("受理投诉").click();
    h.run();
    let id = complaints::list(h.state().store().db(), clock.now(), 14, "").unwrap()[0].id;
    assert_eq!(
        calls::get(h.state().store().db(), call.id)
            .unwrap()
            .complaint_id,
        Some(id)
    );
    assert_eq!(
        h.state().screen(),
        Screen::Complaints,
        "taken to the complaint"
    );
    assert!(
        has_label_containing(&h, "非常抱歉给您带来不便"),
        "at fault: the apology wording"
    );
    assert!(
        !has_label(&h, "主管收件箱(1)") && !has_label(&h, "主管收件箱"),
        "the desk does not see the supervisor inbox"
    );
    h.state_mut()
        .login("wuhao", common::SUPERVISOR_PASSWORD)
        .unwrap();
    h.run();
    assert!(
        has_label(&h, "主管收件箱(1)"),
        "a major complaint reaches the inbox at once"
    );

    // Past 24 hours without a response: overdue.
    clock.advance_secs(25 * 3600);
    h.run();
    assert!(has_label(&h, "已超时 1 小时 0 分"));

    // The six steps.
    type_into(&mut h, "核实的事实", "司机承认卸货不规范");
    h.get_by_label("记录").click();
    h.run();
    type_into(&mut h, "处理情况", "已对司机批评教育并扣分");
    h.get_by_label("添加处理记录").click();
    h.run();
    h.get_by_role_and_label(egui::accesskit::Role::RadioButton, "电话")
        .click();
    h.run();
    type_into(&mut h, "答复内容", "已向客户致歉并告知处理结果");
    h.get_by_label("已告知处理结果(改为“已答复”)").click();
    h.run();
    h.get_by_label("记录答复").click();
    h.run();
    click(&mut h, "确认记录完整");
    type_into(&mut h, "已报告给", "客服部吴经理");
    click(&mut h, "记录报告");
    let c = complaints::get(h.state().store().db(), id).unwrap();
    assert_eq!(c.status(), Status::Replied);
    assert_eq!(c.facts, "司机承认卸货不规范");
    assert_eq!(c.reported_to, "客服部吴经理");
    assert!(c.recorded_at.is_some());
    assert!(has_label(&h, "超时完成"), "the first response came late");

    // The supervisor's session locked while the clock moved a day; log in again and acknowledge.
    assert_eq!(
        h.state().store().actor().account_id,
        None,
        "an idle session locks"
    );
    h.state_mut()
        .login("wuhao", common::SUPERVISOR_PASSWORD)
        .unwrap();
    h.run();
    h.get_by_label("主管收件箱(1)").click();
    h.run();
    h.get_by_label("确认已阅").click();
    h.run();
    assert_eq!(inbox::open_count(h.state().store().db()).unwrap(), 0);
    assert!(has_label(&h, "主管收件箱"));
    h.get_by_label("查看").click();
    h.run();

    // Close with the customer's rating (further down the page).
    h.get_by_label("结案").scroll_to_me();
    h.run();
    h.get_by_label("满意").click();
    h.run();
    h.get_by_label("结案").click();
    h.run();
    let c = complaints::get(h.state().store().db(), id).unwrap();
    assert_eq!(c.status(), Status::Closed, "{:?}", h.state().message());
    assert_eq!(c.satisfaction, Some(Satisfaction::Satisfied));
    let events = complaints::events(h.state().store().db(), id).unwrap();
    assert!(
        events.iter().all(|e| e.staff_id == Some(li)),
        "every entry is attributed"
    );
}

#[test]
fn weekly_summary_shows_the_week_and_saves_volume_and_analysis() {
    use frontdesk::store::complaints;
    i18n::set_lang(Lang::ZhCn);
    let (_dir, path) = common::temp_db();
    let clock = common::clock();
    let (mut store, li, _) = common::store_with_staff(&path, &clock);
    let draft = common::late_delivery_complaint();
    store
        .write(|tx| complaints::create(tx, &draft, clock.now(), Some(li)))
        .unwrap();
    // Two calls: one answered at once, one after 7 rings without the apology.
    store
        .write(|tx| {
            frontdesk::store::calls::insert(tx, &common::tracking_call(clock.now(), "甲", li))?;
            let late = frontdesk::domain::call::Call {
                rings: 7,
                apology_said: Some(false),
                ..common::tracking_call(clock.now(), "乙", li)
            };
            frontdesk::store::calls::insert(tx, &late)
        })
        .unwrap();
    let mut h = common::harness(common::app(store, &clock));
    h.run();
    h.get_by_label("投诉周报").click();
    settle(&mut h);
    // How fast the phone was answered: half within 2 rings, one late call without the apology.
    assert!(has_label(&h, "电话接听速度"));
    assert!(has_label(&h, "李娜"));
    assert!(has_label(&h, "50.0%"));
    assert!(has_label(&h, "0/1"));
    assert_eq!(
        h.get_by_label("周").value().as_deref(),
        Some("2026-W48"),
        "the current week first"
    );
    assert!(has_label(&h, "本周投诉 1 件"));
    assert!(has_label(&h, "公司责任 1 件"));
    // 1 complaint in 100 waybills misses the target (below 0.50 %): said in red words.
    type_into(&mut h, "本周运单量", "100");
    assert!(has_label(&h, "投诉率 1.000%"));
    assert!(has_label(&h, "(目标 < 0.50%,未达标)"));
    // In 1,000 it is met.
    type_into(&mut h, "本周运单量", "0");
    assert!(has_label(&h, "投诉率 0.100%"));
    assert!(has_label(&h, "(目标 < 0.50%)"));
    // Nothing rated yet: the satisfaction target is said, nothing is missed.
    assert!(has_label(&h, "(目标 ≥ 90%)"));
    type_into(
        &mut h,
        "分析与改进建议",
        "延误集中在周末中转,建议增加周末班次",
    );
    click(&mut h, "保存运单量与分析");
    let notes = complaints::week_notes(h.state().store().db(), "2026-W48").unwrap();
    assert_eq!(notes.waybills, Some(1000));
    assert_eq!(notes.analysis, "延误集中在周末中转,建议增加周末班次");
    // The previous week has no complaints.
    click(&mut h, "◀");
    settle(&mut h);
    assert!(has_label(&h, "本周投诉 0 件"));
}

/// The texts on the line of the widget labelled `first`, left to right from it: a table's row.
fn row_texts(h: &egui_kittest::Harness<'_, frontdesk::app::App>, first: &str) -> Vec<String> {
    use egui_kittest::kittest::NodeT as _;
    let anchor = h.get_by_label(first).rect();
    let mut cells: Vec<(f32, String)> = h
        .query_all_by_role(egui::accesskit::Role::Label)
        .filter_map(|n| {
            let r = n.rect();
            let on_line = (r.center().y - anchor.center().y).abs() < 2.0;
            // A label's text is its value.
            let node = n.accesskit_node();
            let label = node.label().or_else(|| node.value())?;
            (on_line && r.min.x >= anchor.min.x).then_some((r.min.x, label))
        })
        .collect();
    cells.sort_by(|a, b| a.0.total_cmp(&b.0));
    cells.into_iter().map(|(_, text)| text).collect()
}

/// 投诉周报: how fast the phone was answered on each day of the week, Monday to Sunday — the
/// calls, the shares within 2 rings, 3–5 and over 5, and the apologies among the late ones; a day
/// without calls is a row too, a call of the week before is not counted.
#[test]
fn weekly_summary_shows_answering_speed_per_day_of_the_week() {
    i18n::set_lang(Lang::ZhCn);
    let (_dir, path) = common::temp_db();
    let clock = common::clock();
    let (mut store, li, zhang) = common::store_with_staff(&path, &clock);
    let at = |s: &str| chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S").unwrap();
    // (when, rings, apology said, who)
    let made = [
        ("2026-11-22 18:00:00", 9, Some(false), li), // Sunday of the week before
        ("2026-11-23 09:00:00", 2, None, li),
        ("2026-11-23 10:00:00", 7, Some(false), li),
        ("2026-11-25 10:00:00", 4, None, li),
        ("2026-11-29 15:00:00", 6, Some(true), zhang),
        ("2026-11-29 16:00:00", 1, None, zhang),
    ];
    store
        .write(|tx| {
            for (when, rings, apology_said, who) in made {
                let call = frontdesk::domain::call::Call {
                    rings,
                    apology_said,
                    ..common::tracking_call(at(when), "王先生", who)
                };
                frontdesk::store::calls::insert(tx, &call)?;
            }
            Ok(())
        })
        .unwrap();
    clock.advance_secs(6 * 24 * 3600 + 9 * 3600);
    let mut h = common::harness(common::app(store, &clock));
    h.run();
    click(&mut h, "投诉周报");
    settle(&mut h);
    assert_eq!(h.get_by_label("周").value().as_deref(), Some("2026-W48"));
    assert!(has_label(&h, "每日接听速度"));
    let expected = [
        ("周一 11-23", ["2", "50.0%", "0.0%", "50.0%", "0/1"]),
        ("周二 11-24", ["0", "—", "—", "—", "0/0"]),
        ("周三 11-25", ["1", "0.0%", "100.0%", "0.0%", "0/0"]),
        ("周四 11-26", ["0", "—", "—", "—", "0/0"]),
        ("周五 11-27", ["0", "—", "—", "—", "0/0"]),
        ("周六 11-28", ["0", "—", "—", "—", "0/0"]),
        ("周日 11-29", ["2", "50.0%", "0.0%", "50.0%", "1/1"]),
    ];
    for (day, figures) in expected {
        assert_eq!(
            row_texts(&h, day),
            [&[day][..], &figures[..]].concat(),
            "{day}"
        );
    }
    assert!(!has_label(&h, "周日 11-22"), "the week before is not in it");
    // The week's rows add up to the desk's row.
    assert_eq!(
        row_texts(&h, "全部"),
        ["全部", "5", "40.0%", "20.0%", "40.0%", "1/2"]
    );
    // The week before: its own Sunday only.
    click(&mut h, "◀");
    settle(&mut h);
    assert_eq!(
        row_texts(&h, "周日 11-22"),
        ["周日 11-22", "1", "0.0%", "0.0%", "100.0%", "0/1"]
    );
    assert_eq!(row_texts(&h, "周一 11-16")[1], "0");
}

/// 看板: the 30-day trend draws the share of calls answered within 2 rings each day beside
/// greeting and water, with its legend.
#[test]
fn the_dashboard_trend_draws_the_calls_answered_within_two_rings_each_day() {
    i18n::set_lang(Lang::ZhCn);
    let (_dir, path) = common::temp_db();
    let clock = common::clock();
    let (mut store, li, _) = common::store_with_staff(&path, &clock);
    common::add_supervisor(&mut store, &clock);
    store
        .write(|tx| {
            for days_ago in [0, 1, 3] {
                let when = clock.now() - chrono::Duration::days(days_ago);
                frontdesk::store::calls::insert(tx, &common::tracking_call(when, "甲", li))?;
                let late = frontdesk::domain::call::Call {
                    rings: 4,
                    ..common::tracking_call(when, "乙", li)
                };
                frontdesk::store::calls::insert(tx, &late)?;
            }
            Ok(())
        })
        .unwrap();
    let mut h = common::harness(common::app(store, &clock));
    h.run();
    h.state_mut()
        .login("wuhao", common::SUPERVISOR_PASSWORD)
        .unwrap();
    h.run();
    click(&mut h, "主管工作台");
    click(&mut h, "看板");
    settle(&mut h);
    assert!(has_label(&h, "近 30 天趋势"));
    // No visits: only the calls' line is drawn, and named in the legend.
    let legend = |name| {
        h.query_by_role_and_label(egui::accesskit::Role::CheckBox, name)
            .is_some()
    };
    assert!(legend("电话 2 声内接听率 %"), "the calls' line");
    assert!(!legend("问候及时率 %"), "no greeting line without visits");
    assert!(
        has_label_containing(&h, "近 30 天电话 2 声内接听 50.0%"),
        "the 30-day figure"
    );
}

#[test]
fn a_callback_scheduled_from_a_call_falls_due_on_the_board_and_gets_a_result() {
    use frontdesk::domain::complaint::Satisfaction;
    i18n::set_lang(Lang::ZhCn);
    let (_dir, path) = common::temp_db();
    let clock = common::clock();
    let (store, li, _) = common::store_with_staff(&path, &clock);
    let mut h = common::harness(common::app(store, &clock));
    h.run();
    h.get_by_label("电话记录").click();
    h.run();
    type_into(&mut h, "响铃声数", "1");
    type_into(&mut h, "来电人", "赵先生");
    type_into(&mut h, "电话", "13900001111");
    h.get_by_label("咨询").click();
    type_into(&mut h, "来电内容", "询问冷链运输");
    h.get_by_label("保存来电").click();
    h.run();
    h.get_by_label("更多…").click();
    h.run();
    h.get_by_label("安排回访").click();
    h.run();
    // A malformed date is explained, not saved.
    h.get_by_label("回访日期").focus();
    h.run();
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.get_by_label("回访日期").type_text("明天");
    h.run();
    h.get_by_label("确定安排").click();
    h.run();
    assert!(has_label_containing(&h, "格式不对"));
    h.get_by_label("回访日期").focus();
    h.run();
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.get_by_label("回访日期").type_text("2026-11-24");
    h.run();
    h.get_by_label("确定安排").click();
    h.run();
    let due = frontdesk::store::callbacks::open_until(
        h.state().store().db(),
        clock.now().date() + chrono::Duration::days(1),
    )
    .unwrap();
    assert_eq!(due.len(), 1);
    assert_eq!(due[0].name, "赵先生");

    // The next day it is due on the reception board.
    clock.advance_secs(24 * 3600);
    h.get_by_label("今日接待").click();
    h.run();
    assert!(has_label(&h, "今日到期"));
    h.get_by_label("记录结果").click();
    h.run();
    h.get_all_by_label("满意").nth(1).unwrap().click();
    h.run();
    h.get_by_label("保存回访结果").click();
    h.run();
    assert!(has_label(&h, "今天没有到期的回访"));
    let done: (Option<String>, Option<i64>) = h
        .state()
        .store()
        .db()
        .query_row(
            "SELECT satisfaction, done_by FROM callbacks",
            frontdesk::db_params![],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(
        done,
        (Some(Satisfaction::Satisfied.as_zh().to_owned()), Some(li))
    );
}

#[test]
fn a_claim_from_a_complaint_split_60_40_agreed_paid_and_closed() {
    use frontdesk::domain::claim::ClaimStatus;
    use frontdesk::domain::complaint::{AtFault, Channel, ComplaintDraft, Severity};
    use frontdesk::store::{claims, complaints};
    i18n::set_lang(Lang::ZhCn);
    let (_dir, path) = common::temp_db();
    let clock = common::clock();
    let (mut store, li, _) = common::store_with_staff(&path, &clock);
    let complaint = ComplaintDraft {
        channel: Some(Channel::Phone),
        customer_name: "王先生".into(),
        phone: "13812345678".into(),
        waybill: "SD20261123".into(),
        category: "货物破损".into(),
        severity: Some(Severity::Ordinary),
        at_fault: Some(AtFault::Unknown),
        content: "电视机屏幕碎裂".into(),
        ..ComplaintDraft::default()
    };
    let complaint_id = store
        .write(|tx| complaints::create(tx, &complaint, clock.now(), Some(li)))
        .unwrap();
    let mut h = common::harness(common::app(store, &clock));
    h.run();
    h.get_by_label("投诉处理").click();
    h.run();
    h.get_by_label("#1").click();
    h.run();
    click(&mut h, "转为理赔");
    assert_eq!(h.state().screen(), Screen::Claims);
    assert_eq!(
        h.get_by_label("运单号").value().as_deref(),
        Some("SD20261123"),
        "carried over"
    );
    h.get_by_label("事故原因").click();
    h.run();
    h.get_by_label("装卸不当").click();
    h.run();
    type_into(&mut h, "索赔金额", "1500");
    h.get_by_label("报案").click();
    h.run();
    let id = claims::list(h.state().store().db(), &Default::default(), 0, 10)
        .unwrap()
        .0[0]
        .id;
    assert_eq!(
        claims::get(h.state().store().db(), id)
            .unwrap()
            .complaint_id,
        Some(complaint_id)
    );

    click(&mut h, "进入下一步:调查中");
    // Two parties, 60 / 40.
    click(&mut h, "添加责任方");
    click(&mut h, "添加责任方");
    for (i, (name, role, share)) in [("张伟", "司机", "60"), ("上海分公司", "分公司", "40")]
        .into_iter()
        .enumerate()
    {
        h.get_all_by_label("责任方名称").nth(i).unwrap().focus();
        h.run();
        h.get_all_by_label("责任方名称")
            .nth(i)
            .unwrap()
            .type_text(name);
        h.get_all_by_label("比例").nth(i).unwrap().focus();
        h.run();
        h.get_all_by_label("比例").nth(i).unwrap().type_text(share);
        h.run();
        h.get_all_by_label("角色").nth(i).unwrap().click();
        h.run();
        h.get_by_label(role).click();
        h.run();
    }
    assert!(has_label(&h, "比例合计 100%(须为 100%)"));
    click(&mut h, "保存责任划分");
    click(&mut h, "进入下一步:已定责");
    type_into(&mut h, "协商金额", "1000.01");
    click(&mut h, "保存协商金额");
    assert!(has_label(&h, "¥600.01"), "60 % of ¥1,000.01");
    assert!(has_label(&h, "¥400.00"), "the parts add up to the whole");
    click(&mut h, "进入下一步:已协商");
    type_into(&mut h, "赔付金额", "1000.01");
    click(&mut h, "保存赔付金额");
    click(&mut h, "进入下一步:已赔付");
    while h.query_all_by_label("今天已通知").next().is_some() {
        h.get_all_by_label("今天已通知").next().unwrap().click();
        h.run();
    }
    click(&mut h, "进入下一步:已结案");
    let c = claims::get(h.state().store().db(), id).unwrap();
    assert_eq!(c.status(), ClaimStatus::Closed, "{:?}", h.state().message());
    assert_eq!(c.agreed_fen, Some(100_001));
    assert_eq!(c.paid_fen, Some(100_001));
    assert_eq!(c.party_amounts(100_001), vec![60_001, 40_000]);
    assert!(
        c.parties
            .iter()
            .all(|p| p.notified_on == Some(clock.now().date()))
    );
}

#[test]
fn a_supervisor_inspects_raises_a_rectification_verifies_it_and_reads_the_dashboard() {
    use frontdesk::domain::account::Action;
    use frontdesk::store::inspections;
    i18n::set_lang(Lang::ZhCn);
    let (_dir, path) = common::temp_db();
    let clock = common::clock();
    let (mut store, _, _) = common::store_with_staff(&path, &clock);
    common::add_supervisor(&mut store, &clock);
    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("质量异常分析.pdf");
    let asked = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let picker = {
        let (asked, pdf) = (asked.clone(), pdf.clone());
        Box::new(move |want: &frontdesk::app::FileFor| {
            asked.lock().unwrap().push(want.suggested_name());
            vec![pdf.clone()]
        })
    };
    let mut h = common::harness(common::app(store, &clock).with_file_picker(picker));
    h.run();
    assert!(
        !has_label(&h, "主管工作台"),
        "the desk does not see the supervisor screens"
    );
    assert!(
        h.state()
            .store()
            .read_as(Action::ReadSupervisorData, |c| inspections::templates(c))
            .is_err(),
        "nor can it read their data"
    );
    h.state_mut()
        .login("wuhao", common::SUPERVISOR_PASSWORD)
        .unwrap();
    h.run();
    h.get_by_label("主管工作台").click();
    h.run();
    h.get_by_label("监察").click();
    h.run();
    h.get_by_label("检查模板").click();
    h.run();
    h.get_by_label("前台服务规范抽查").click();
    h.run();
    h.get_by_label("员工").click();
    h.run();
    h.get_by_label("被检查员工").click();
    h.run();
    h.get_by_label("李娜 · 客服代表").click();
    h.run();
    // 柜台整洁 (the fifth item) fails.
    h.get_all_by_label("不合格").nth(4).unwrap().click();
    h.run();
    click(&mut h, "保存监察结果");
    let done = h
        .state()
        .store()
        .read_as(Action::ReadSupervisorData, |c| {
            inspections::between(
                c,
                clock.now() - chrono::Duration::days(1),
                clock.now() + chrono::Duration::days(1),
            )
        })
        .unwrap();
    assert_eq!(done.len(), 1, "{:?}", h.state().message());
    assert_eq!(done[0].score_bp(), Some(8571), "6 of 7 passed");
    assert_eq!(done[0].target, "李娜");
    assert!(has_label(&h, "得分 85.71%"));

    click(&mut h, "发起整改");
    type_into(&mut h, "整改要求", "每日下班前整理台面");
    click(&mut h, "保存整改");
    h.get_by_label("整改").click();
    h.run();
    assert!(has_label(&h, "每日下班前整理台面"));
    assert!(has_label(&h, "待整改"));
    click(&mut h, "验证通过");
    let r = h
        .state()
        .store()
        .read_as(Action::ReadSupervisorData, |c| {
            inspections::rectifications(c, clock.now())
        })
        .unwrap();
    assert_eq!(r[0].verified_pass, Some(true));
    assert_eq!(r[0].verified_by, "吴昊");

    h.get_by_label("看板").click();
    h.run();
    assert!(
        has_label(&h, "近 30 天监察合格率 85.7%"),
        "the dashboard matches the data"
    );
    assert!(has_label(&h, "逾期整改 0 项"));
    assert!(has_label(&h, "未结投诉 0 件,超时 0 件,重大 0 件"));

    // The monthly quality report, and its export.
    h.get_by_label("月度报表").click();
    h.run();
    assert!(has_label(&h, "本月监察 1 次,合格率 85.7%"));
    // The month's inspection report, item by item, the total last.
    assert!(has_label(&h, "检查月报"));
    assert!(has_label(&h, "合计"));
    assert!(has_label(&h, "85.7%"));
    let out = dir.path().join("quality.csv");
    h.state_mut()
        .apply(&frontdesk::app::Command::Supervisor(
            frontdesk::app::SupervisorCommand::ExportMonthly {
                month: "2026-11".into(),
                rewards: false,
                path: out.clone(),
                format: frontdesk::app::ExportFormat::Csv,
            },
        ))
        .unwrap();
    // Written on a worker.
    settle(&mut h);
    let csv = std::fs::read_to_string(&out).unwrap();
    assert!(csv.contains("inspections,pass_pct,85.7"), "{csv}");
    assert!(csv.contains("top_failing,\"柜台整洁"), "{csv}");

    // The same analysis as a PDF for the manager, from its button.
    click(&mut h, "导出质量报表 PDF");
    settle(&mut h);
    assert_eq!(
        asked.lock().unwrap().as_slice(),
        ["质量异常分析-2026-11.pdf"]
    );
    let text = common::pdf_text(&pdf);
    for expected in [
        "质量异常分析报表2026-11",
        "抽查合格率%",
        "85.7",
        "不合格次数最多的项目",
        "柜台整洁",
    ] {
        assert!(text.contains(expected), "{expected} not in {text}");
    }
}

/// A spot check's person checked is one of the staff who are not supervisors (主管, 监察主管,
/// 客服主管 do the checking), listed by role with the role shown.
#[test]
fn the_person_spot_checked_is_chosen_among_staff_who_are_not_supervisors() {
    use frontdesk::domain::staff::Role;
    use frontdesk::store::staff;
    i18n::set_lang(Lang::ZhCn);
    let (_dir, path) = common::temp_db();
    let clock = common::clock();
    let (mut store, _, _) = common::store_with_staff(&path, &clock);
    common::add_supervisor(&mut store, &clock);
    store
        .write(|tx| {
            staff::add(tx, "吴昊", Role::Supervisor, clock.now())?;
            staff::add(tx, "冯刚", Role::InspectionSupervisor, clock.now())?;
            staff::add(tx, "郑洁", Role::ServiceSupervisor, clock.now())?;
            staff::add(tx, "钱进", Role::ClaimsAdjuster, clock.now())
        })
        .unwrap();
    let mut h = common::harness(common::app(store, &clock));
    h.run();
    h.state_mut()
        .login("wuhao", common::SUPERVISOR_PASSWORD)
        .unwrap();
    h.run();
    h.get_by_label("主管工作台").click();
    h.run();
    h.get_by_label("监察").click();
    h.run();
    h.get_by_label("员工").click();
    h.run();
    h.get_by_label("被检查员工").click();
    h.run();
    assert_eq!(
        shown_order(&h, &["张伟 · 业务员", "钱进 · 理赔员", "李娜 · 客服代表"]),
        ["李娜 · 客服代表", "钱进 · 理赔员", "张伟 · 业务员"]
    );
    for supervisor in ["吴昊 · 主管", "冯刚 · 监察主管", "郑洁 · 客服主管"] {
        assert!(!has_label(&h, supervisor), "{supervisor} is not offered");
    }
    click(&mut h, "钱进 · 理赔员");
    assert_eq!(
        h.get_by_label("被检查员工").value().as_deref(),
        Some("钱进"),
        "the person checked is named without the role"
    );
}

#[test]
fn first_start_creates_the_admin_who_opens_a_supervisor_account() {
    i18n::set_lang(Lang::ZhCn);
    let (_dir, path) = common::temp_db();
    let clock = common::clock();
    let (store, _, _) = common::store_with_staff(&path, &clock);
    let mut h = common::harness(common::app(store, &clock));
    h.run();
    h.get_by_label("主管登录").click();
    h.run();
    assert!(has_label_containing(&h, "首次使用"));
    type_into(&mut h, "用户名", "admin");
    type_into(&mut h, "姓名", "系统管理员");
    type_into(&mut h, "密码", "短");
    type_into(&mut h, "再次输入密码", "短");
    h.get_by_label("创建管理员并登录").click();
    h.run();
    assert!(
        has_label_containing(&h, "密码至少 8 位"),
        "a weak password is refused"
    );
    assert_eq!(
        frontdesk::store::accounts::count(h.state().store().db()).unwrap(),
        0
    );
    for label in ["密码", "再次输入密码"] {
        h.get_by_label(label).focus();
        h.run();
        h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
        h.get_by_label(label).type_text("管理员密码2026");
        h.run();
    }
    h.get_by_label("创建管理员并登录").click();
    h.run();
    assert!(
        has_label(&h, "系统管理员(管理员)"),
        "{:?}",
        h.state().message()
    );
    h.get_by_label("主管工作台").click();
    h.run();
    h.get_by_label("账户").click();
    h.run();
    type_into(&mut h, "用户名", "wuhao");
    type_into(&mut h, "姓名", "吴昊");
    h.get_by_label("主管").click();
    type_into(&mut h, "密码", common::SUPERVISOR_PASSWORD);
    h.get_by_label("创建账户").click();
    h.run();
    let accounts = h
        .state()
        .store()
        .read_as(frontdesk::domain::account::Action::ManageAccounts, |c| {
            frontdesk::store::accounts::list(c)
        })
        .unwrap();
    assert_eq!(accounts.len(), 2);
    assert!(
        accounts.iter().any(|a| a.username == "wuhao"
            && a.role == frontdesk::domain::account::AccountRole::Supervisor)
    );
}

#[test]
fn find_a_customer_by_part_of_the_phone_or_company_and_see_the_history() {
    use frontdesk::domain::complaint::{AtFault, Channel, ComplaintDraft, Severity};
    use frontdesk::store::{audit, complaints};
    i18n::set_lang(Lang::ZhCn);
    let (_dir, path) = common::temp_db();
    let clock = common::clock();
    let (mut store, li, _) = common::store_with_staff(&path, &clock);
    let reg = frontdesk::domain::visit::RegistrationDraft {
        surname: "王".into(),
        honorific: Some(frontdesk::domain::customer::Honorific::Mr),
        name: "王堃".into(),
        phone: "13812345678".into(),
        company: "重庆某运输有限公司".into(),
        ..Default::default()
    }
    .validate()
    .unwrap();
    store
        .write(|tx| visits::register(tx, None, &reg, clock.now(), Some(li)))
        .unwrap();
    let complaint = ComplaintDraft {
        channel: Some(Channel::Phone),
        customer_name: "王先生".into(),
        phone: "13812345678".into(),
        category: "延误".into(),
        severity: Some(Severity::Ordinary),
        at_fault: Some(AtFault::Yes),
        content: "晚到两天".into(),
        ..ComplaintDraft::default()
    };
    store
        .write(|tx| complaints::create(tx, &complaint, clock.now(), Some(li)))
        .unwrap();
    let mut h = common::harness(common::app(store, &clock));
    h.run();
    h.get_by_label("客户档案").click();
    h.run();
    type_into(&mut h, "搜索客户", "5678");
    assert!(
        has_label(&h, "王先生 王堃"),
        "found by the last digits of the phone"
    );
    h.get_by_label("搜索客户").focus();
    h.run();
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.get_by_label("搜索客户").type_text("运输");
    h.run();
    h.get_by_label("王先生 王堃").click();
    h.run();
    assert!(
        has_label(&h, "138****5678 "),
        "masked on the page until revealed"
    );
    assert!(
        has_label(&h, "往来记录(2 条)"),
        "the visit and the complaint"
    );
    assert!(has_label_containing(&h, "延误 · 受理 · 晚到两天"));
    h.get_by_label("显示完整号码").click();
    h.run();
    assert!(has_label(&h, "13812345678 "));
    let last = audit::recent(h.state().store().db(), 1).unwrap();
    assert_eq!(last[0].action, "reveal_phone", "revealing is recorded");
}

#[test]
fn merge_two_customer_records_carrying_the_history_over() {
    i18n::set_lang(Lang::ZhCn);
    let (_dir, path) = common::temp_db();
    let clock = common::clock();
    let (mut store, li, _) = common::store_with_staff(&path, &clock);
    for (name, phone) in [("王堃", "13812345678"), ("王坤", "13900001111")] {
        let reg = frontdesk::domain::visit::RegistrationDraft {
            surname: "王".into(),
            honorific: Some(frontdesk::domain::customer::Honorific::Mr),
            name: name.into(),
            phone: phone.into(),
            company: "顺达贸易".into(),
            ..Default::default()
        }
        .validate()
        .unwrap();
        store
            .write(|tx| visits::register(tx, None, &reg, clock.now(), Some(li)))
            .unwrap();
    }
    let mut h = common::harness(common::app(store, &clock));
    h.run();
    h.get_by_label("客户档案").click();
    h.run();
    type_into(&mut h, "搜索客户", "顺达");
    h.get_by_label("王先生 王堃").click();
    h.run();
    h.get_by_label("并入本客户的重复档案").click();
    h.run();
    h.get_by_label("#2 王坤 139****1111").click();
    h.run();
    click(&mut h, "确认合并(往来记录全部转入)");
    assert_eq!(
        customers::count(h.state().store().db()).unwrap(),
        1,
        "{:?}",
        h.state().message()
    );
    let history = frontdesk::store::customers::history(h.state().store().db(), 1).unwrap();
    assert_eq!(
        history.len(),
        2,
        "both visits now belong to the kept record"
    );
    let file = frontdesk::store::customers::file(h.state().store().db(), 1).unwrap();
    assert_eq!(
        file.phone2, "13900001111",
        "the duplicate's phone is kept as the second phone"
    );
    assert_eq!(
        frontdesk::store::audit::recent(h.state().store().db(), 1).unwrap()[0].action,
        "merge"
    );
}

#[test]
fn the_archive_export_masks_phones_unless_a_supervisor_asks_for_full_data() {
    use frontdesk::app::Command;
    use frontdesk::app::CustomerCommand;
    i18n::set_lang(Lang::ZhCn);
    let (dir, path) = common::temp_db();
    let clock = common::clock();
    let (mut store, li, _) = common::store_with_staff(&path, &clock);
    common::add_supervisor(&mut store, &clock);
    let reg = frontdesk::domain::visit::RegistrationDraft {
        surname: "王".into(),
        honorific: Some(frontdesk::domain::customer::Honorific::Mr),
        phone: "13812345678".into(),
        ..Default::default()
    }
    .validate()
    .unwrap();
    store
        .write(|tx| visits::register(tx, None, &reg, clock.now(), Some(li)))
        .unwrap();
    let mut app = common::app(store, &clock);
    let out = dir.path().join("c.csv");
    let export = |full| {
        Command::Customer(CustomerCommand::Export {
            path: out.clone(),
            full,
            xlsx: false,
        })
    };
    assert!(
        app.apply(&export(false)).is_err(),
        "the desk cannot export the archive"
    );
    app.login("wuhao", common::SUPERVISOR_PASSWORD).unwrap();
    // The archive is read and written on a worker.
    app.apply(&export(false)).unwrap();
    app.wait_for_reads(std::time::Duration::from_secs(5));
    let masked = std::fs::read_to_string(&out).unwrap();
    assert!(
        masked.contains("138****5678") && !masked.contains("13812345678"),
        "{masked}"
    );
    app.apply(&export(true)).unwrap();
    app.wait_for_reads(std::time::Duration::from_secs(5));
    assert!(
        std::fs::read_to_string(&out)
            .unwrap()
            .contains("13812345678")
    );
    let last = frontdesk::store::audit::recent(app.store().db(), 1).unwrap();
    assert_eq!(last[0].action, "export_full", "a full export is recorded");
}

#[test]
fn settings_show_where_the_data_lives_and_which_file_chose_it() {
    i18n::set_lang(Lang::ZhCn);
    let (dir, path) = common::temp_db();
    let clock = common::clock();
    let (store, _, _) = common::store_with_staff(&path, &clock);
    let machine = dir.path().join("machine.toml");
    std::fs::write(
        &machine,
        format!(
            "# IT\ndatabase = '{}'\nbackup_folder = 'nightly'\n",
            path.display()
        ),
    )
    .unwrap();
    let user = dir.path().join("user.toml");
    let config = frontdesk::config::load_from(
        &[
            (frontdesk::config::Scope::Machine, machine.clone()),
            (frontdesk::config::Scope::User, user.clone()),
        ],
        None,
    )
    .unwrap();
    let mut h = common::harness(common::app(store, &clock).with_config(config));
    h.run();
    h.get_by_label("设置").click();
    h.run();
    h.get_by_label("数据").click();
    h.run();
    assert!(has_label(&h, "数据位置"));
    assert!(has_label(&h, &path.display().to_string()));
    assert!(has_label(
        &h,
        &format!("来自全机配置文件 {} 第 2 行", machine.display())
    ));
    let nightly = dir.path().join("nightly").display().to_string();
    if common::on_server() {
        // A server's backups are its administrator's: no folder of FrontDesk's, and it says so.
        assert!(!has_label(&h, &nightly));
        assert!(has_label_containing(
            &h,
            "由数据库管理员用 PostgreSQL 自带的工具"
        ));
        assert!(!has_label(&h, "立即备份"));
    } else {
        assert!(has_label(&h, &nightly));
        assert!(has_label(
            &h,
            &format!("来自全机配置文件 {} 第 3 行", machine.display())
        ));
    }
    assert!(has_label(&h, &format!("{}  (已读取)", machine.display())));
    assert!(has_label(&h, &format!("{}  (不存在)", user.display())));
}

#[test]
fn a_config_error_is_shown_in_a_window_of_its_own() {
    i18n::set_lang(Lang::ZhCn);
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("frontdesk.toml");
    std::fs::write(&bad, "database = \n").unwrap();
    let err =
        frontdesk::config::load_from(&[(frontdesk::config::Scope::Machine, bad.clone())], None)
            .unwrap_err();
    let mut h = egui_kittest::Harness::builder()
        .with_size([640.0, 280.0])
        .with_context_setup(frontdesk::ui::theme::install)
        .build_ui_state(
            |ui, e: &mut frontdesk::ui::startup_error::StartupError| e.ui(ui),
            frontdesk::ui::startup_error::StartupError::new(err.user_message()),
        );
    h.run();
    assert!(h.query_by_label("前台客服台无法启动").is_some());
    assert!(
        h.query_all_by_label_contains(&format!("配置文件 {} 第 1 行有错误", bad.display()))
            .next()
            .is_some()
    );
    h.get_by_label("关闭").click();
    h.run();
}

/// Logs in as the admin of `common::add_supervisor` and opens the accounts tab.
fn admin_opens_the_accounts_tab(h: &mut egui_kittest::Harness<'_, frontdesk::app::App>) {
    h.get_by_label("主管登录").click();
    h.run();
    type_into(h, "用户名", "admin");
    type_into(h, "密码", common::SUPERVISOR_PASSWORD);
    h.get_by_label("登录").click();
    h.run();
    assert_eq!(
        h.state().store().actor().role,
        frontdesk::domain::account::AccountRole::Admin,
        "{:?}",
        h.state().message()
    );
    h.get_by_label("主管工作台").click();
    h.run();
    h.get_by_label("账户").click();
    h.run();
}

fn account(
    h: &egui_kittest::Harness<'_, frontdesk::app::App>,
    username: &str,
) -> frontdesk::store::accounts::Account {
    frontdesk::store::accounts::list(h.state().store().db())
        .unwrap()
        .into_iter()
        .find(|a| a.username == username)
        .unwrap()
}

#[test]
fn an_admin_unlocks_a_locked_account_in_the_accounts_tab() {
    use frontdesk::store::{accounts, audit};
    i18n::set_lang(Lang::ZhCn);
    let (_dir, path) = common::temp_db();
    let clock = common::clock();
    let (mut store, _, _) = common::store_with_staff(&path, &clock);
    common::add_supervisor(&mut store, &clock);
    // Someone at the desk guesses 吴昊's password five times: locked.
    for _ in 0..5 {
        assert!(accounts::login_or_refuse(&mut store, "wuhao", "guess-1234", clock.now()).is_err());
    }
    let mut h = common::harness(common::app(store, &clock));
    h.run();
    admin_opens_the_accounts_tab(&mut h);
    assert!(has_label(&h, "锁定至 2026-11-23 09:01"), "the lock shows");
    assert!(has_label(&h, "5 次,最近 2026-11-23 09:00"), "failures show");
    click(&mut h, "解除锁定");
    let a = account(&h, "wuhao");
    assert_eq!((a.failed_logins, a.locked_until), (0, None));
    assert!(!has_label(&h, "解除锁定"), "nothing left to unlock");
    assert!(!has_label_containing(&h, "锁定至"));
    assert!(has_label(&h, "已解除锁定"), "{:?}", h.state().message());
    let entry = &audit::recent(h.state().store().db(), 1).unwrap()[0];
    assert_eq!(entry.action, "unlock");
    assert_eq!(entry.entity_id, Some(a.id));
    assert_eq!(entry.actor, "管理员");
}

#[test]
fn resetting_a_password_uses_its_own_dialog_and_leaves_the_new_account_form_alone() {
    use frontdesk::store::{Store, accounts};
    i18n::set_lang(Lang::ZhCn);
    let (_dir, path) = common::temp_db();
    let clock = common::clock();
    let (mut store, _, _) = common::store_with_staff(&path, &clock);
    common::add_supervisor(&mut store, &clock);
    let mut h = common::harness(common::app(store, &clock));
    h.run();
    admin_opens_the_accounts_tab(&mut h);
    // Half a new account typed in the form below.
    type_into(&mut h, "用户名", "zhaoli");
    type_into(&mut h, "姓名", "赵丽");
    type_into(&mut h, "密码", "新账户密码123");
    let before = accounts::password_hash_of(h.state().store().db(), "wuhao").unwrap();

    // 吴昊's row (accounts are listed by login name: admin, wuhao).
    h.get_all_by_label("重置密码…").nth(1).unwrap().click();
    h.run();
    assert!(has_label(&h, "重置密码:wuhao"));
    type_into(&mut h, "新密码", "重置后密码2026");
    type_into(&mut h, "再次输入新密码", "重置后密码2027");
    click(&mut h, "确认重置");
    assert!(has_label(&h, "两次输入的密码不一致"));
    assert_eq!(
        accounts::password_hash_of(h.state().store().db(), "wuhao").unwrap(),
        before,
        "nothing saved while the two differ"
    );
    h.get_by_label("再次输入新密码").focus();
    h.run();
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.get_by_label("再次输入新密码").type_text("重置后密码2026");
    h.run();
    click(&mut h, "确认重置");
    assert!(!has_label(&h, "重置密码:wuhao"), "the dialog closes");

    // The dialog's password is 吴昊's now, not the form's.
    let mut other = Store::open(&path).unwrap();
    assert!(accounts::login_or_refuse(&mut other, "wuhao", "新账户密码123", clock.now()).is_err());
    let actor =
        accounts::login_or_refuse(&mut other, "wuhao", "重置后密码2026", clock.now()).unwrap();
    assert_eq!(actor.name, "吴昊");
    drop(other);

    // The new-account form kept what was typed and still creates its account.
    assert_eq!(h.get_by_label("用户名").value().as_deref(), Some("zhaoli"));
    assert_eq!(
        h.get_by_label("密码").value().map(|v| v.chars().count()),
        Some("新账户密码123".chars().count())
    );
    h.get_by_label("前台").click();
    h.run();
    click(&mut h, "创建账户");
    let zhaoli = account(&h, "zhaoli");
    assert_eq!(zhaoli.display_name, "赵丽");
    let mut other = Store::open(&path).unwrap();
    assert!(accounts::login_or_refuse(&mut other, "zhaoli", "新账户密码123", clock.now()).is_ok());
}

#[test]
fn a_claim_call_or_complaint_becomes_one_claim_and_then_links_to_it() {
    use frontdesk::domain::call::{CallDraft, Category};
    use frontdesk::domain::claim::{ClaimDraft, ClaimType};
    use frontdesk::domain::complaint::{AtFault, Channel, ComplaintDraft, Severity};
    use frontdesk::store::{calls, claims, complaints};
    i18n::set_lang(Lang::ZhCn);
    let (_dir, path) = common::temp_db();
    let clock = common::clock();
    let (mut store, li, _) = common::store_with_staff(&path, &clock);
    let call = CallDraft {
        rings: "2".into(),
        caller_name: "王先生".into(),
        phone: "13812345678".into(),
        category: Some(Category::Claim),
        content: "冰箱运输途中损坏,要求赔偿".into(),
        ..CallDraft::default()
    }
    .validate(clock.now(), Some(li))
    .unwrap();
    let call_id = store.write(|tx| calls::insert(tx, &call)).unwrap();
    let mut h = common::harness(common::app(store, &clock));
    h.run();
    h.get_by_label("电话记录").click();
    h.run();
    click(&mut h, "转为理赔");
    type_into(&mut h, "运单号", "SD20261123");
    h.get_by_label("破损").click();
    h.run();
    h.get_by_label("事故原因").click();
    h.run();
    h.get_by_label("装卸不当").click();
    h.run();
    type_into(&mut h, "索赔金额", "800");
    h.get_by_label("报案").click();
    h.run();
    let claim_id = claims::claim_for_call(h.state().store().db(), call_id)
        .unwrap()
        .expect("claim reported");

    // Back in the call list the call links to its claim instead of offering another.
    h.get_by_label("电话记录").click();
    h.run();
    assert!(
        !has_label(&h, "转为理赔"),
        "no second claim from the same call"
    );
    click(&mut h, &format!("已转理赔 #{claim_id}"));
    assert_eq!(h.state().screen(), Screen::Claims);
    assert!(has_label_containing(
        &h,
        &format!("理赔 #{claim_id}:SD20261123")
    ));

    // The same for a complaint that already has a claim.
    let complaint = ComplaintDraft {
        channel: Some(Channel::Phone),
        customer_name: "李女士".into(),
        phone: "13900001111".into(),
        category: "货物破损".into(),
        severity: Some(Severity::Ordinary),
        at_fault: Some(AtFault::Unknown),
        content: "外箱破损".into(),
        ..ComplaintDraft::default()
    };
    // Another desk writes them.
    let mut store = frontdesk::store::Store::open(&path).unwrap();
    let complaint_id = store
        .write(|tx| complaints::create(tx, &complaint, clock.now(), Some(li)))
        .unwrap();
    let claim = ClaimDraft {
        waybill: "SD20261124".into(),
        customer_name: "李女士".into(),
        incident_date: "2026-11-22".into(),
        claim_type: Some(ClaimType::Damage),
        cause: "装卸不当".into(),
        description: "外箱破损".into(),
        claimed: "300".into(),
        complaint_id: Some(complaint_id),
        ..ClaimDraft::default()
    }
    .validate(clock.now())
    .unwrap();
    let second = store.write(|tx| claims::create(tx, &claim, None)).unwrap();
    h.run();
    h.get_by_label("投诉处理").click();
    h.run();
    h.get_by_label(&format!("#{complaint_id}")).click();
    h.run();
    assert!(!has_label(&h, "转为理赔"));
    click(&mut h, &format!("已转理赔 #{second},查看"));
    assert_eq!(h.state().screen(), Screen::Claims);
    assert!(has_label_containing(
        &h,
        &format!("理赔 #{second}:SD20261124")
    ));
}

#[test]
fn the_claims_list_pages_through_every_matching_claim() {
    use frontdesk::app::{Command, ServiceCommand};
    i18n::set_lang(Lang::ZhCn);
    let (_dir, path) = common::temp_db();
    let clock = common::clock();
    let (store, _, _) = common::store_with_staff(&path, &clock);
    let mut h = common::harness(common::app(store, &clock));
    for i in 0..120 {
        let draft = common::damage_claim(&format!("SD{i:05}"));
        h.state_mut()
            .apply(&Command::Service(ServiceCommand::CreateClaim(draft)))
            .unwrap();
        clock.advance_secs(60);
    }
    h.run();
    click(&mut h, "理赔");
    assert!(has_label(&h, "共 120 件理赔"));
    assert!(has_label(&h, "第 1–50 条"));
    assert!(has_label(&h, "SD00119"), "newest first");
    assert!(!has_label(&h, "SD00000"), "one page at a time");
    // Pages are read by position (the claim just older than the last one shown), not counted
    // off with OFFSET.
    click(&mut h, "下一页");
    assert!(has_label(&h, "第 51–100 条"));
    assert!(has_label(&h, "SD00069") && !has_label(&h, "SD00070"));
    click(&mut h, "下一页");
    assert!(has_label(&h, "第 101–120 条"));
    assert!(has_label(&h, "SD00000"), "the oldest claim is reachable");
    assert!(!has_label(&h, "SD00119"));
    click(&mut h, "上一页");
    assert!(has_label(&h, "第 51–100 条"));
    click(&mut h, "最新");
    assert!(has_label(&h, "第 1–50 条") && has_label(&h, "SD00119"));
}

/// The call log, the complaint list, the customer search and the supervisor's tabs are read on
/// workers: the frame that asks for them is drawn at once (a spinner in the top bar), and the
/// rows appear when the answer is there. The answers are held back here, as on a slow disk.
#[test]
fn lists_are_read_on_workers_and_the_window_draws_meanwhile() {
    use frontdesk::domain::call::{CallDraft, Category};
    use frontdesk::store::calls;
    i18n::set_lang(Lang::ZhCn);
    let (_dir, path) = common::temp_db();
    let clock = common::clock();
    let (mut store, li, _) = common::store_with_staff(&path, &clock);
    let call = CallDraft {
        rings: "2".into(),
        caller_name: "邰喆昇".into(),
        phone: "13812345678".into(),
        category: Some(Category::Enquiry),
        content: "询问运价".into(),
        ..CallDraft::default()
    }
    .validate(clock.now(), Some(li))
    .unwrap();
    store.write(|tx| calls::insert(tx, &call)).unwrap();
    let mut h = common::harness(common::app(store, &clock));
    h.run();
    // As on a slow disk or server: the answer does not come yet.
    h.state_mut().hold_reads(true);
    // The spinner repaints: frames are stepped, the window never settles meanwhile.
    h.get_by_label("电话记录").click();
    h.run_steps(3);
    assert_eq!(h.state().screen(), Screen::Calls);
    assert!(h.state().loading(), "the page is read on a worker");
    assert!(has_label(&h, "正在读取…"), "the top bar says so");
    assert!(!has_label_containing(&h, "邰喆昇"), "not there yet");
    // The window is not held up meanwhile: another screen opens.
    h.get_by_label("今日接待").click();
    h.run_steps(3);
    assert_eq!(h.state().screen(), Screen::Reception);
    h.get_by_label("电话记录").click();
    h.run_steps(3);
    h.state_mut().hold_reads(false);
    settle(&mut h);
    assert!(!h.state().loading());
    assert!(!has_label(&h, "正在读取…"));
    assert!(has_label_containing(&h, "邰喆昇"), "the call is listed");
}

/// Reports and records are read on workers too: the weekly complaint report, the claims list,
/// a claim's file and its evidence photos (decoded on the worker). While the answers are held
/// back the window draws, switches screens and shows nothing stale; then the figures appear.
#[test]
fn reports_records_and_photos_are_read_on_workers() {
    use frontdesk::store::{claims, complaints};
    i18n::set_lang(Lang::ZhCn);
    let (_dir, path) = common::temp_db();
    let clock = common::clock();
    let (mut store, li, _) = common::store_with_staff(&path, &clock);
    let complaint = common::late_delivery_complaint();
    let photo = {
        let img = image::RgbImage::from_fn(640, 480, |x, y| {
            image::Rgb([(x % 256) as u8, (y % 256) as u8, 90])
        });
        let mut out = std::io::Cursor::new(Vec::new());
        img.write_to(&mut out, image::ImageFormat::Png).unwrap();
        out.into_inner()
    };
    store
        .write(|tx| {
            complaints::create(tx, &complaint, clock.now(), Some(li))?;
            let draft = common::damage_claim("SD20261123")
                .validate(clock.now())
                .unwrap();
            let id = claims::create(tx, &draft, Some(li))?;
            claims::add_file(tx, id, "现场.png", &photo, clock.now(), Some(li))
        })
        .unwrap();
    let mut h = common::harness(common::app(store, &clock));
    h.run();
    let held = |h: &mut egui_kittest::Harness<'_, frontdesk::app::App>, screen: &str| {
        h.state_mut().hold_reads(true);
        h.get_by_label(screen).click();
        h.run_steps(3);
        assert!(h.state().loading(), "{screen}: read on a worker");
        assert!(has_label(h, "正在读取…"), "{screen}: the top bar says so");
    };
    let release = |h: &mut egui_kittest::Harness<'_, frontdesk::app::App>| {
        h.state_mut().hold_reads(false);
        settle(h);
        assert!(!h.state().loading());
    };

    held(&mut h, "投诉周报");
    assert!(!has_label(&h, "本周投诉 1 件"), "not there yet");
    release(&mut h);
    assert!(has_label(&h, "本周投诉 1 件"), "the week's figures");

    held(&mut h, "理赔");
    assert!(!has_label_containing(&h, "SD20261123"), "not listed yet");
    release(&mut h);
    assert!(
        has_label_containing(&h, "SD20261123"),
        "the claim is listed"
    );

    // The claim's file, then its photo, each from a worker.
    h.state_mut().hold_reads(true);
    h.get_by_label("#1").click();
    h.run_steps(3);
    assert!(h.state().loading());
    assert!(
        !has_label_containing(&h, "现场.png"),
        "the file is not read yet"
    );
    release(&mut h);
    assert!(
        has_label_containing(&h, "现场.png"),
        "the evidence is listed"
    );
    assert!(
        !has_label(&h, "无法显示此照片") && !has_label(&h, "PDF"),
        "the photo decoded as a photo"
    );
}

/// File dialogs go through the app: a screen asks for a file for an export or for evidence, the
/// app's picker answers (here the test's), the export is written on a worker and the evidence
/// is added to the claim.
#[test]
fn files_are_picked_through_the_app_and_exports_are_written_on_a_worker() {
    use frontdesk::app::{ExportFormat, FileFor};
    use frontdesk::store::claims;
    i18n::set_lang(Lang::ZhCn);
    let (dir, path) = common::temp_db();
    let clock = common::clock();
    let (mut store, li, _) = common::store_with_staff(&path, &clock);
    store
        .write(|tx| {
            let draft = common::damage_claim("SD20261123")
                .validate(clock.now())
                .unwrap();
            claims::create(tx, &draft, Some(li))
        })
        .unwrap();
    let photo = dir.path().join("现场.png");
    image::RgbImage::from_fn(64, 48, |x, y| image::Rgb([x as u8, y as u8, 90]))
        .save(&photo)
        .unwrap();
    let export = dir.path().join("周报.csv");
    let printed = dir.path().join("周报.pdf");
    let asked = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let picker = {
        let (asked, photo) = (asked.clone(), photo.clone());
        let (export, printed) = (export.clone(), printed.clone());
        Box::new(move |want: &FileFor| {
            asked.lock().unwrap().push(want.clone());
            match want {
                FileFor::ClaimEvidence(_) => vec![photo.clone()],
                FileFor::ExportWeek {
                    format: ExportFormat::Pdf,
                    ..
                } => vec![printed.clone()],
                FileFor::ExportWeek { .. } => vec![export.clone()],
                _ => Vec::new(),
            }
        })
    };
    let mut h = common::harness(common::app(store, &clock).with_file_picker(picker));
    h.run();
    h.get_by_label("投诉周报").click();
    settle(&mut h);
    h.get_by_label("导出 CSV").click();
    settle(&mut h);
    assert_eq!(
        asked.lock().unwrap().as_slice(),
        &[FileFor::ExportWeek {
            week: "2026-W48".into(),
            format: ExportFormat::Csv,
        }]
    );
    let written = std::fs::read_to_string(&export).unwrap();
    assert!(written.contains("total"), "the week's summary: {written}");
    assert!(
        has_label_containing(&h, "已导出到"),
        "{:?}",
        h.state().message()
    );
    // The PDF for the manager: the summary and the targets the week is measured against.
    h.get_by_label("导出 PDF").click();
    settle(&mut h);
    let text = common::pdf_text(&printed);
    for expected in [
        "投诉周报2026-W48",
        "合计",
        "目标与分析",
        "满意率",
        "满意率≥90%",
    ] {
        assert!(text.contains(expected), "{expected} not in {text}");
    }

    h.get_by_label("理赔").click();
    settle(&mut h);
    h.get_by_label("#1").click();
    settle(&mut h);
    h.get_by_label("添加证据文件…").click();
    settle(&mut h);
    let files = claims::files(h.state().store().db(), 1).unwrap();
    assert_eq!(files.len(), 1, "{:?}", h.state().message());
    assert_eq!(files[0].name, "现场.png");
    assert!(has_label_containing(&h, "现场.png"));
}

/// The call log pages by position like the visit history: older pages, back, and the newest.
#[test]
fn the_call_log_pages_through_many_calls() {
    use frontdesk::store::calls;
    i18n::set_lang(Lang::ZhCn);
    let (_dir, path) = common::temp_db();
    let clock = common::clock();
    let (mut store, li, _) = common::store_with_staff(&path, &clock);
    store
        .write(|tx| {
            for i in 0..120 {
                let at = clock.now() - chrono::Duration::minutes(i);
                calls::insert(tx, &common::tracking_call(at, &format!("来电{i}"), li))?;
            }
            Ok(())
        })
        .unwrap();
    let mut h = common::harness(common::app(store, &clock));
    h.run();
    click(&mut h, "电话记录");
    settle(&mut h);
    assert!(has_label(&h, "第 1–50 条"));
    assert!(has_label_containing(&h, "来电0"));
    click(&mut h, "下一页");
    settle(&mut h);
    click(&mut h, "下一页");
    settle(&mut h);
    assert!(has_label(&h, "第 101–120 条"));
    assert!(
        has_label_containing(&h, "来电119"),
        "the oldest call is reachable"
    );
    click(&mut h, "上一页");
    settle(&mut h);
    assert!(has_label(&h, "第 51–100 条"));
    click(&mut h, "最新");
    settle(&mut h);
    assert!(has_label(&h, "第 1–50 条"));
}

/// The top-to-bottom order of the widgets labelled `labels` on screen.
fn shown_order<'a>(
    h: &egui_kittest::Harness<'_, frontdesk::app::App>,
    labels: &[&'a str],
) -> Vec<&'a str> {
    let mut shown: Vec<(f32, &str)> = labels
        .iter()
        .map(|&l| (h.get_by_label(l).rect().center().y, l))
        .collect();
    shown.sort_by(|a, b| a.0.total_cmp(&b.0));
    shown.into_iter().map(|(_, l)| l).collect()
}

#[test]
fn the_complaint_list_sorts_by_a_clicked_column_and_back_the_other_way() {
    use frontdesk::domain::complaint::{AtFault, Channel, ComplaintDraft, Severity};
    use frontdesk::store::complaints;
    i18n::set_lang(Lang::ZhCn);
    let (_dir, path) = common::temp_db();
    let clock = common::clock();
    let (mut store, li, _) = common::store_with_staff(&path, &clock);
    // By code point: 张 < 李 < 王.
    let mut ids = Vec::new();
    for (who, category) in [
        ("李女士", "延误"),
        ("王先生", "货物破损"),
        ("张先生", "服务态度"),
    ] {
        let draft = ComplaintDraft {
            channel: Some(Channel::Phone),
            customer_name: who.into(),
            category: category.into(),
            severity: Some(Severity::Ordinary),
            at_fault: Some(AtFault::Unknown),
            content: "投诉内容".into(),
            ..ComplaintDraft::default()
        };
        let id = store
            .write(|tx| complaints::create(tx, &draft, clock.now(), Some(li)))
            .unwrap();
        ids.push(format!("#{id}"));
    }
    let [li_, wang, zhang] = [ids[0].as_str(), ids[1].as_str(), ids[2].as_str()];
    let mut h = common::harness(common::app(store, &clock));
    h.run();
    h.get_by_label("投诉处理").click();
    settle(&mut h);
    let rows = [li_, wang, zhang];
    assert_eq!(
        shown_order(&h, &rows),
        [li_, wang, zhang],
        "as read at first"
    );
    assert!(has_label(&h, "客户"), "no arrow before a click");

    click(&mut h, "客户");
    assert!(has_label(&h, "客户 ▲"), "the active column has its arrow");
    assert!(has_label(&h, "编号"), "the others have none");
    assert_eq!(shown_order(&h, &rows), [zhang, li_, wang], "by customer");

    click(&mut h, "客户 ▲");
    assert!(has_label(&h, "客户 ▼"));
    assert_eq!(shown_order(&h, &rows), [wang, li_, zhang], "the other way");

    // Another column starts ascending.
    click(&mut h, "编号");
    assert!(has_label(&h, "编号 ▲") && has_label(&h, "客户"));
    assert_eq!(shown_order(&h, &rows), [li_, wang, zhang]);
    click(&mut h, "编号 ▲");
    assert_eq!(shown_order(&h, &rows), [zhang, wang, li_]);

    // Rows another desk adds are sorted in when the list is read again.
    let mut other = frontdesk::store::Store::open(&path).unwrap();
    let draft = ComplaintDraft {
        channel: Some(Channel::Visit),
        customer_name: "陈女士".into(),
        category: "延误".into(),
        severity: Some(Severity::Ordinary),
        at_fault: Some(AtFault::Unknown),
        content: "投诉内容".into(),
        ..ComplaintDraft::default()
    };
    let newest = other
        .write(|tx| complaints::create(tx, &draft, clock.now(), Some(li)))
        .unwrap();
    let newest = format!("#{newest}");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    while !has_label(&h, &newest) && std::time::Instant::now() < deadline {
        common::pause(std::time::Duration::from_millis(20));
        h.run();
    }
    settle(&mut h);
    assert_eq!(
        shown_order(&h, &[li_, wang, zhang, &newest]),
        [newest.as_str(), zhang, wang, li_],
        "still by number, descending"
    );
    assert!(has_label(&h, "编号 ▼"));
}

/// "打印/导出 PDF" on a complaint: the save dialog suggests the record's name, the PDF is written
/// on a worker, the status line says where, and the file is opened in the system's viewer (here:
/// handed to the test). The file holds the record's text.
#[test]
fn a_complaint_prints_as_a_pdf_and_opens_in_the_viewer() {
    use frontdesk::app::FileFor;
    use frontdesk::store::complaints;
    i18n::set_lang(Lang::ZhCn);
    let (dir, path) = common::temp_db();
    let clock = common::clock();
    let (mut store, li, _) = common::store_with_staff(&path, &clock);
    let id = store
        .write(|tx| {
            complaints::create(
                tx,
                &common::late_delivery_complaint(),
                clock.now(),
                Some(li),
            )
        })
        .unwrap();
    let out = dir.path().join("记录.pdf");
    let asked = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let opened = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let picker = {
        let (asked, out) = (asked.clone(), out.clone());
        Box::new(move |want: &FileFor| {
            asked.lock().unwrap().push(want.suggested_name());
            vec![out.clone()]
        })
    };
    let opener = {
        let opened = opened.clone();
        Box::new(move |file: &std::path::Path| opened.lock().unwrap().push(file.to_path_buf()))
    };
    let app = common::app(store, &clock)
        .with_file_picker(picker)
        .with_file_opener(opener);
    let mut h = common::harness(app);
    h.run();
    h.get_by_label("投诉处理").click();
    settle(&mut h);
    h.get_by_label(&format!("#{id}")).click();
    settle(&mut h);
    click(&mut h, "打印/导出 PDF");
    settle(&mut h);
    assert_eq!(
        asked.lock().unwrap().as_slice(),
        [format!("顾客投诉记录-{id}.pdf")]
    );
    assert_eq!(
        opened.lock().unwrap().as_slice(),
        std::slice::from_ref(&out)
    );
    assert!(
        has_label_containing(&h, "已导出到"),
        "{:?}",
        h.state().message()
    );
    let pdf = std::fs::read(&out).unwrap();
    assert!(pdf.starts_with(b"%PDF-"));
    let text = common::pdf_text(&out);
    for expected in ["顾客投诉记录", "李女士", "晚到两天", "延误", "六清楚"] {
        assert!(text.contains(expected), "{expected} not in {text}");
    }
}

/// Visits of September to November 2026 for the reception report: greeting times chosen so that
/// October's median of its visits (25 s) differs from the mean of its days' medians.
fn seed_reception_visits(store: &mut frontdesk::store::Store, clock: &frontdesk::clock::FakeClock) {
    use frontdesk::domain::customer::Honorific;
    use frontdesk::domain::visit::ImportedVisit;
    let at = |s: &str| chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S").unwrap();
    // (arrived, greeted after seconds, water, departed)
    let visits = [
        ("2026-09-10 09:00:00", Some(5), true, true), // before the period
        ("2026-09-20 09:00:00", Some(10), true, true),
        ("2026-09-20 10:00:00", Some(20), false, true),
        ("2026-10-01 09:00:00", Some(10), true, true),
        ("2026-10-01 10:00:00", Some(20), false, true),
        ("2026-10-01 11:00:00", Some(30), true, false),
        ("2026-10-02 09:00:00", Some(100), true, true),
        ("2026-10-30 09:00:00", None, false, false),
        ("2026-11-05 09:00:00", Some(40), true, true),
        ("2026-11-05 10:00:00", Some(50), true, true),
        ("2026-11-05 11:00:00", Some(200), false, true),
    ];
    let rows: Vec<ImportedVisit> = visits
        .iter()
        .enumerate()
        .map(|(i, &(arrived, greet, water, left))| {
            let a = at(arrived);
            ImportedVisit {
                arrived_at: a,
                surname: "王".into(),
                honorific: Honorific::Mr,
                name: format!("王{i}"),
                phone: format!("1381234{:04}", 1000 + i),
                company: "顺达贸易".into(),
                purpose: "提货".into(),
                party_size: 1,
                greeted_at: greet.map(|s| a + chrono::Duration::seconds(s)),
                water_served_at: water.then_some(a + chrono::Duration::seconds(300)),
                departed_at: left.then_some(a + chrono::Duration::seconds(1800)),
                travel_mode: None,
            }
        })
        .collect();
    store
        .write(|tx| visits::insert_imported(tx, &rows, clock.now(), "import"))
        .unwrap();
    // Two seen off at the desk on 11-10: one with the whole checklist, one without asking how
    // they travel on. Imported visits carry no checklist.
    let whole = frontdesk::domain::visit::SeeOffChecklist {
        offered_accompany: true,
        travel_mode: Some(frontdesk::domain::visit::TravelMode::Train),
        reminded_belongings: true,
        reminded_documents: true,
        reminded_next_contact: true,
    };
    let no_travel_mode = frontdesk::domain::visit::SeeOffChecklist {
        travel_mode: None,
        ..whole.clone()
    };
    for (arrived, checklist) in [
        ("2026-11-10 09:00:00", whole),
        ("2026-11-10 10:00:00", no_travel_mode),
    ] {
        let (arrived, left) = (at(arrived), at(arrived) + chrono::Duration::minutes(40));
        store
            .write(|tx| {
                let id = visits::arrive(tx, arrived, None)?;
                visits::change(tx, id, left, None, "depart", "", |v| {
                    v.depart(&checklist, None, left)
                })
            })
            .unwrap();
    }
}

/// 接待报表: a period typed, months rather than days — the figures shown are those of the
/// reception report for the period (a month's median from its visits) — then the CSV and PDF
/// exports through the file dialog; a date that is not one is explained.
#[test]
fn the_reception_report_shows_months_of_a_typed_period_and_exports_them() {
    use frontdesk::app::{ExportFormat, FileFor};
    use frontdesk::report::reception::{self, Rows};
    i18n::set_lang(Lang::ZhCn);
    let (dir, path) = common::temp_db();
    let clock = common::clock();
    let (mut store, _, _) = common::store_with_staff(&path, &clock);
    seed_reception_visits(&mut store, &clock);
    let csv = dir.path().join("接待报表.csv");
    let pdf = dir.path().join("接待报表.pdf");
    let asked = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let picker = {
        let (asked, csv, pdf) = (asked.clone(), csv.clone(), pdf.clone());
        Box::new(move |want: &FileFor| {
            asked.lock().unwrap().push(want.clone());
            match want {
                FileFor::ExportReception {
                    format: ExportFormat::Csv,
                    ..
                } => vec![csv.clone()],
                FileFor::ExportReception {
                    format: ExportFormat::Pdf,
                    ..
                } => vec![pdf.clone()],
                _ => Vec::new(),
            }
        })
    };
    let mut h = common::harness(common::app(store, &clock).with_file_picker(picker));
    h.run();
    click(&mut h, "接待报表");
    settle(&mut h);
    assert_eq!(
        h.get_by_label("开始日期").value().as_deref(),
        Some("2026-11-01"),
        "this month first"
    );
    assert_eq!(
        h.get_by_label("结束日期").value().as_deref(),
        Some("2026-11-23")
    );
    let retype = |h: &mut egui_kittest::Harness<'_, frontdesk::app::App>, field, text| {
        h.get_by_label(field).focus();
        h.run();
        h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
        h.get_by_label(field).type_text(text);
        settle(h);
    };
    // A day that is not one is explained; nothing is read.
    retype(&mut h, "开始日期", "2026-09-31");
    assert!(
        has_label_containing(&h, "“2026-09-31”不是日期"),
        "the bad date is named"
    );
    retype(&mut h, "开始日期", "2026-09-15");
    retype(&mut h, "结束日期", "2026-11-20");
    click(&mut h, "按月");
    settle(&mut h);

    let (from, to) = (
        chrono::NaiveDate::from_ymd_opt(2026, 9, 15).unwrap(),
        chrono::NaiveDate::from_ymd_opt(2026, 11, 20).unwrap(),
    );
    let limit = h.state().settings().rules.greeting_limit_secs;
    let expected = reception::build_streamed_by(Rows::Monthly, from, to, limit, |add| {
        visits::times_between(
            h.state().store().db(),
            from.and_hms_opt(0, 0, 0).unwrap(),
            to.succ_opt().unwrap().and_hms_opt(0, 0, 0).unwrap(),
            add,
        )
    })
    .unwrap();
    let dates: Vec<&str> = expected.iter().map(|r| r.date.as_str()).collect();
    assert_eq!(dates, ["2026-09", "2026-10", "2026-11", "total"]);
    assert_eq!(
        expected[1].median_greeting_s,
        Some(25.0),
        "October's visits"
    );
    // November: five seen off, one of them with the whole checklist.
    assert_eq!(
        (
            expected[2].seen_off,
            expected[2].seen_off_checklist,
            expected[2].seen_off_checklist_pct
        ),
        (5, 1, Some(20.0))
    );
    assert!(has_label(&h, "送客要点齐全"), "the column");
    assert!(
        has_label(&h, "送客要点齐全率%(占送别)"),
        "the share's column"
    );
    let dec = |x: Option<f64>| x.map_or_else(|| "—".to_owned(), |x| format!("{x:.1}"));
    for r in &expected {
        let date = if r.date == "total" { "合计" } else { &r.date };
        assert!(has_label(&h, date), "row {date}");
        for figure in [
            r.visits.to_string(),
            r.greeted.to_string(),
            r.greeted_within_limit.to_string(),
            dec(r.greeting_compliance_pct),
            dec(r.median_greeting_s),
            dec(r.max_greeting_s),
            r.water_served.to_string(),
            dec(r.water_served_pct),
            r.seen_off.to_string(),
            dec(r.seen_off_pct),
            r.seen_off_checklist.to_string(),
            dec(r.seen_off_checklist_pct),
        ] {
            assert!(has_label(&h, &figure), "{date}: {figure} shown");
        }
    }
    assert!(!has_label(&h, "2026-10-01"), "months, not days");

    click(&mut h, "导出 CSV");
    settle(&mut h);
    assert_eq!(
        asked.lock().unwrap().as_slice(),
        &[FileFor::ExportReception {
            from,
            to,
            monthly: true,
            format: ExportFormat::Csv,
        }]
    );
    let mut want = Vec::new();
    frontdesk::report::write_csv(&reception::table(&expected), &mut want, true).unwrap();
    let written = std::fs::read(&csv).unwrap();
    assert_eq!(
        String::from_utf8(written).unwrap(),
        String::from_utf8(want).unwrap(),
        "the report's CSV"
    );
    assert!(
        has_label_containing(&h, "已导出到"),
        "{:?}",
        h.state().message()
    );
    click(&mut h, "导出 PDF");
    settle(&mut h);
    let printed = std::fs::read(&pdf).unwrap();
    assert!(printed.starts_with(b"%PDF"), "a PDF file");
}

/// 理赔月报: the month's claim shows, the cause analysis typed and saved, and the report printed
/// as a PDF for the manager with its figures, its chart and the analysis.
#[test]
fn the_claims_month_is_analysed_and_printed() {
    use frontdesk::app::{ExportFormat, FileFor};
    use frontdesk::store::claims;
    i18n::set_lang(Lang::ZhCn);
    let (dir, path) = common::temp_db();
    let clock = common::clock();
    let (mut store, li, _) = common::store_with_staff(&path, &clock);
    store
        .write(|tx| {
            let draft = common::damage_claim("SD20261124")
                .validate(clock.now())
                .unwrap();
            claims::create(tx, &draft, Some(li))
        })
        .unwrap();
    let out = dir.path().join("理赔月报.pdf");
    let asked = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let picker = {
        let (asked, out) = (asked.clone(), out.clone());
        Box::new(move |want: &FileFor| {
            asked.lock().unwrap().push(want.clone());
            vec![out.clone()]
        })
    };
    let mut h = common::harness(common::app(store, &clock).with_file_picker(picker));
    h.run();
    h.get_by_label("理赔月报").click();
    settle(&mut h);
    assert!(has_label(&h, "装卸不当"), "the month's cause");
    type_into(&mut h, "事故原因分析", "装卸不当占多数,加强装卸培训。");
    click(&mut h, "保存分析");
    settle(&mut h);
    assert_eq!(
        claims::month_analysis(h.state().store().db(), "2026-11").unwrap(),
        "装卸不当占多数,加强装卸培训。"
    );
    click(&mut h, "导出 PDF");
    settle(&mut h);
    assert_eq!(
        asked.lock().unwrap().as_slice(),
        [FileFor::ExportClaimMonth {
            month: "2026-11".into(),
            format: ExportFormat::Pdf,
        }]
    );
    let text = common::pdf_text(&out);
    for expected in [
        "理赔月报2026-11",
        "SD20261124",
        "¥100.00",
        "各事故原因索赔金额",
        "目标与分析",
        "加强装卸培训",
    ] {
        assert!(text.contains(expected), "{expected} not in {text}");
    }
}

/// 直接打印: where the PC has a printer service, a complaint's record goes to the default
/// printer without a dialog (here the test's printer, which reads the document); the printer's
/// refusal is said in the status line; a PC without one is not offered the button.
#[test]
fn a_complaint_prints_directly_on_the_default_printer() {
    use frontdesk::store::complaints;
    i18n::set_lang(Lang::ZhCn);
    let (_dir, path) = common::temp_db();
    let clock = common::clock();
    let (mut store, li, _) = common::store_with_staff(&path, &clock);
    let id = store
        .write(|tx| {
            complaints::create(
                tx,
                &common::late_delivery_complaint(),
                clock.now(),
                Some(li),
            )
        })
        .unwrap();
    let printed = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let refuse = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let printer: frontdesk::app::Printer = {
        let (printed, refuse) = (printed.clone(), refuse.clone());
        std::sync::Arc::new(move |file: &std::path::Path| {
            if refuse.load(std::sync::atomic::Ordering::SeqCst) {
                return Err("无法直接打印:打印机缺纸".to_owned());
            }
            printed.lock().unwrap().push(common::pdf_text(file));
            Ok(())
        })
    };
    let app = common::app(store, &clock)
        .with_printer(Some(printer))
        .with_file_picker(Box::new(|_: &frontdesk::app::FileFor| {
            panic!("direct printing asks for no file")
        }));
    let mut h = common::harness(app);
    h.run();
    h.get_by_label("投诉处理").click();
    settle(&mut h);
    h.get_by_label(&format!("#{id}")).click();
    settle(&mut h);
    click(&mut h, "直接打印");
    settle(&mut h);
    let texts = printed.lock().unwrap().clone();
    assert_eq!(texts.len(), 1, "{:?}", h.state().message());
    assert!(texts[0].contains("顾客投诉记录"), "{}", texts[0]);
    assert!(texts[0].contains("晚到两天"), "{}", texts[0]);
    assert!(
        has_label(&h, &format!("已发送到默认打印机:顾客投诉记录-{id}")),
        "{:?}",
        h.state().message()
    );

    refuse.store(true, std::sync::atomic::Ordering::SeqCst);
    click(&mut h, "直接打印");
    settle(&mut h);
    assert!(
        has_label(&h, "无法直接打印:打印机缺纸"),
        "{:?}",
        h.state().message()
    );
    assert_eq!(printed.lock().unwrap().len(), 1);

    // A PC without a printer service: only the dialog's way.
    let (_dir, path) = common::temp_db();
    let (mut store, li, _) = common::store_with_staff(&path, &clock);
    let id = store
        .write(|tx| {
            complaints::create(
                tx,
                &common::late_delivery_complaint(),
                clock.now(),
                Some(li),
            )
        })
        .unwrap();
    let mut h = common::harness(common::app(store, &clock));
    h.run();
    h.get_by_label("投诉处理").click();
    settle(&mut h);
    h.get_by_label(&format!("#{id}")).click();
    settle(&mut h);
    assert!(h.query_by_label("打印/导出 PDF").is_some());
    assert!(h.query_by_label("直接打印").is_none());
}

/// 理赔时限 and 重大事故 in the window: a claim shows the days left on the list and its file,
/// turns red once past the deadline, the deadline is moved with a reason, and ticking 重大事故
/// puts it in the supervisors' inbox.
#[test]
fn a_claims_deadline_turns_red_and_a_major_accident_reaches_the_inbox() {
    use frontdesk::store::{claims, inbox};
    i18n::set_lang(Lang::ZhCn);
    let (_dir, path) = common::temp_db();
    let clock = common::clock();
    let (mut store, li, _) = common::store_with_staff(&path, &clock);
    let id = store
        .write(|tx| {
            let mut c = common::damage_claim("SD20261203")
                .validate(clock.now())
                .unwrap();
            c.settle_by = Some(clock.now().date() + chrono::Duration::days(30));
            claims::create(tx, &c, Some(li))
        })
        .unwrap();
    let mut h = common::harness(common::app(store, &clock));
    h.run();
    h.get_by_label("理赔").click();
    settle(&mut h);
    assert!(has_label(&h, "剩 30 天"), "the list's deadline");
    h.get_by_label(&format!("#{id}")).click();
    settle(&mut h);
    let due = (clock.now().date() + chrono::Duration::days(30))
        .format("%Y-%m-%d")
        .to_string();
    assert!(has_label(&h, &format!("理赔时限 {due}")));

    clock.advance_secs(32 * 86_400);
    h.run();
    settle(&mut h);
    assert!(has_label(&h, "超期 2 天"), "red once past it");

    // Moved with a reason: days left again.
    let later = (clock.now().date() + chrono::Duration::days(10))
        .format("%Y-%m-%d")
        .to_string();
    type_into(&mut h, "新时限", &later);
    type_into(&mut h, "原因", "等保险公司定损");
    click(&mut h, "修改时限");
    settle(&mut h);
    let c = claims::get(h.state().store().db(), id).unwrap();
    assert_eq!(
        c.settle_by.map(|d| d.format("%Y-%m-%d").to_string()),
        Some(later.clone()),
        "{:?}",
        h.state().message()
    );
    assert!(has_label(&h, "剩 10 天"));

    assert!(inbox::list(h.state().store().db()).unwrap().is_empty());
    click(&mut h, "重大事故");
    settle(&mut h);
    let items = inbox::list(h.state().store().db()).unwrap();
    assert_eq!(items.len(), 1, "{:?}", h.state().message());
    assert_eq!(items[0].kind, inbox::Kind::Claim);
    assert!(claims::get(h.state().store().db(), id).unwrap().major);
}
