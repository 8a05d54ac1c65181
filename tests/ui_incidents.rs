//! The on-site incident log (突发事件), key accounts' feedback on the staff given with their
//! revisits, and reassigning a customer's owner: the store's rules on real SQLite files, then
//! the screens driven through egui_kittest.
#![allow(clippy::unwrap_used, reason = "test code: a panic is a failed test")]

mod common;

use common::{click, has_label, has_label_containing, settle, type_into};

use egui_kittest::kittest::Queryable as _;
use frontdesk::app::Screen;
use frontdesk::clock::Clock as _;
use frontdesk::domain::DomainError;
use frontdesk::domain::call::{Callback, CallbackResult};
use frontdesk::domain::complaint::Satisfaction;
use frontdesk::domain::customer::{Customer, Honorific};
use frontdesk::domain::incident::Incident;
use frontdesk::domain::incident::{IncidentDraft, IncidentKind};
use frontdesk::i18n::{self, Lang};
use frontdesk::store::{StoreError, audit, callbacks, customers, incidents};

/// A key account, 王先生 of 重庆某运输有限公司, owned by nobody yet. Returns its id.
fn key_account(store: &mut frontdesk::store::Store, now: chrono::NaiveDateTime) -> i64 {
    store
        .write(|tx| {
            let c = Customer {
                surname: "王".into(),
                honorific: Some(Honorific::Mr),
                name: "王堃".into(),
                phone: "13812345678".into(),
                company: "重庆某运输有限公司".into(),
                ..Customer::default()
            };
            let id = customers::insert(tx, &c, now)?;
            let mut f = customers::file(tx, id)?;
            f.key_account = true;
            f.revisit_days = Some(30);
            customers::save_file(tx, &f, now)?;
            Ok(id)
        })
        .unwrap()
}

/// A revisit of customer `id` due today. Returns the callback's id.
fn revisit_due_today(
    store: &mut frontdesk::store::Store,
    id: i64,
    now: chrono::NaiveDateTime,
) -> i64 {
    let cb = Callback {
        due: now.date(),
        name: "王先生".into(),
        phone: "13812345678".into(),
        purpose: "大客户定期回访".into(),
        customer_id: Some(id),
        ..Callback::default()
    };
    store
        .write(|tx| callbacks::schedule(tx, &cb, now, None))
        .unwrap()
}

#[test]
fn an_incident_is_recorded_with_the_desk_and_resolved_with_its_handling() {
    let (_dir, path) = common::temp_db();
    let clock = common::clock();
    let (mut store, li, _) = common::store_with_staff(&path, &clock);
    let now = clock.now();
    let draft = IncidentDraft {
        kind: Some(IncidentKind::Dispute),
        at: Some(now - chrono::Duration::minutes(20)),
        description: " 客户因提货排队与保安争执 ".into(),
        ..IncidentDraft::default()
    };
    let id = store
        .write(|tx| incidents::record(tx, &draft, now, Some(li)))
        .unwrap();
    let db = store.db();
    let i = incidents::get(db, id).unwrap();
    assert_eq!(i.description, "客户因提货排队与保安争执");
    assert_eq!(i.at, now - chrono::Duration::minutes(20));
    assert_eq!(i.recorded_by, Some(li));
    assert!(i.is_open());
    assert_eq!(incidents::open_count(db).unwrap(), 1);
    let desk: Option<String> = db
        .query_value("SELECT desk FROM session_actor", frontdesk::db_params![])
        .unwrap();
    assert_eq!(i.desk, desk, "the session's desk");
    assert_eq!(audit::recent(db, 1).unwrap()[0].entity, "incident");

    // Nothing said about the handling: refused.
    assert!(matches!(
        store.write(|tx| incidents::resolve(tx, id, "  ", None, now)),
        Err(StoreError::Domain(DomainError::Invalid {
            field: "incident.handling",
            ..
        }))
    ));
    let later = now + chrono::Duration::hours(1);
    store
        .write(|tx| incidents::resolve(tx, id, "值班经理出面调解,客户接受道歉", None, later))
        .unwrap();
    let i = incidents::get(store.db(), id).unwrap();
    assert_eq!(i.resolved_at, Some(later));
    assert_eq!(i.handling, "值班经理出面调解,客户接受道歉");
    assert_eq!(incidents::open_count(store.db()).unwrap(), 0);
    // Once.
    assert!(
        store
            .write(|tx| incidents::resolve(tx, id, "再次", None, later))
            .is_err()
    );
    // A time in the future is refused.
    let future = IncidentDraft {
        at: Some(now + chrono::Duration::hours(2)),
        ..draft
    };
    assert!(
        store
            .write(|tx| incidents::record(tx, &future, now, Some(li)))
            .is_err()
    );
}

#[test]
fn an_outage_is_closed_only_once_the_customers_question_is_answered() {
    let (_dir, path) = common::temp_db();
    let clock = common::clock();
    let (mut store, li, _) = common::store_with_staff(&path, &clock);
    let now = clock.now();
    let draft = IncidentDraft {
        kind: Some(IncidentKind::Outage),
        description: "开单系统无法登录".into(),
        ..IncidentDraft::default()
    };
    let id = store
        .write(|tx| incidents::record(tx, &draft, now, Some(li)))
        .unwrap();
    assert_eq!(
        incidents::get(store.db(), id).unwrap().at,
        now,
        "now by default"
    );
    assert!(matches!(
        store.write(|tx| incidents::resolve(tx, id, "重启服务器后恢复", None, now)),
        Err(StoreError::Domain(DomainError::Invalid {
            field: "incident.customers_informed",
            ..
        }))
    ));
    assert!(incidents::get(store.db(), id).unwrap().is_open());
    store
        .write(|tx| incidents::resolve(tx, id, "重启服务器后恢复", Some(true), now))
        .unwrap();
    let i = incidents::get(store.db(), id).unwrap();
    assert_eq!(i.customers_informed, Some(true));
    assert!(!i.is_open());

    // The answer given when recording is enough.
    let answered = IncidentDraft {
        customers_informed: Some(false),
        ..draft
    };
    let id = store
        .write(|tx| incidents::record(tx, &answered, now, Some(li)))
        .unwrap();
    store
        .write(|tx| incidents::resolve(tx, id, "已恢复", None, now))
        .unwrap();
    assert_eq!(
        incidents::get(store.db(), id).unwrap().customers_informed,
        Some(false)
    );
    // Newest first, paged.
    let page = incidents::page(store.db(), 0, 1).unwrap();
    assert_eq!((page.rows.len(), page.more, page.open), (1, true, 0));
    assert_eq!(page.rows[0].id, id);
    let rest = incidents::page(store.db(), 1, 1).unwrap();
    assert_eq!((rest.rows.len(), rest.more), (1, false));
}

#[test]
fn a_completed_revisit_keeps_the_feedback_on_the_staff() {
    let (_dir, path) = common::temp_db();
    let clock = common::clock();
    let (mut store, li, _) = common::store_with_staff(&path, &clock);
    let now = clock.now();
    let customer = key_account(&mut store, now);
    let first = revisit_due_today(&mut store, customer, now);
    let second = revisit_due_today(&mut store, customer, now);
    let result = CallbackResult {
        satisfaction: Some(Satisfaction::Satisfied),
        staff_feedback: " 李娜回复及时,服务周到 ".into(),
        ..CallbackResult::default()
    };
    store
        .write(|tx| callbacks::complete(tx, first, &result, now, Some(li)))
        .unwrap();
    let without = CallbackResult {
        staff_feedback: String::new(),
        ..result
    };
    store
        .write(|tx| callbacks::complete(tx, second, &without, now, Some(li)))
        .unwrap();
    let stored: Option<String> = store
        .db()
        .query_value(
            "SELECT staff_feedback FROM callbacks WHERE id = ?1",
            frontdesk::db_params![second],
        )
        .unwrap();
    assert_eq!(stored, None, "no feedback: NULL, as for older revisits");
    let feedback = callbacks::staff_feedback(store.db(), customer).unwrap();
    assert_eq!(feedback.len(), 1);
    assert_eq!(feedback[0].callback_id, first);
    assert_eq!(feedback[0].text, "李娜回复及时,服务周到");
    assert_eq!(feedback[0].done_by, Some(li));
}

#[test]
fn a_customers_owner_is_reassigned_in_one_audited_save() {
    let (_dir, path) = common::temp_db();
    let clock = common::clock();
    let (mut store, li, zhang) = common::store_with_staff(&path, &clock);
    let now = clock.now();
    let customer = key_account(&mut store, now);
    for owner in [li, zhang] {
        store
            .write(|tx| {
                let mut f = customers::file(tx, customer)?;
                f.owner_staff_id = Some(owner);
                customers::save_file(tx, &f, now)
            })
            .unwrap();
    }
    let f = customers::file(store.db(), customer).unwrap();
    assert_eq!(f.owner_staff_id, Some(zhang));
    let last = &audit::recent(store.db(), 1).unwrap()[0];
    assert_eq!(
        (last.action.as_str(), last.entity.as_str()),
        ("update", "customer")
    );
    assert!(
        last.before.contains(&format!("owner=Some({li})")),
        "{last:?}"
    );
    assert!(
        last.after.contains(&format!("owner=Some({zhang})")),
        "{last:?}"
    );
}

#[test]
fn record_an_outage_and_resolve_it_through_the_form() {
    i18n::set_lang(Lang::ZhCn);
    let (_dir, path) = common::temp_db();
    let clock = common::clock();
    let (store, li, _) = common::store_with_staff(&path, &clock);
    let mut h = common::harness(common::app(store, &clock));
    h.run();
    click(&mut h, "突发事件");
    settle(&mut h);
    assert_eq!(h.state().screen(), Screen::Incidents);
    assert!(has_label(&h, "暂无突发事件记录"));

    // Nothing chosen: explained next to the form, nothing saved.
    click(&mut h, "保存突发事件");
    assert!(has_label(&h, "事件类型: 必填"));
    click(&mut h, "系统故障");
    type_into(&mut h, "发生时间", "昨天");
    type_into(&mut h, "事件经过", "开单系统无法登录,客户排队");
    click(&mut h, "保存突发事件");
    assert!(has_label_containing(&h, "发生时间格式不对"));
    h.get_by_label("发生时间").focus();
    h.run();
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.get_by_label("发生时间").type_text("2026-11-23 08:40");
    h.run();
    click(&mut h, "保存突发事件");
    settle(&mut h);
    let db = h.state().store().db();
    let page = incidents::page(db, 0, 10).unwrap();
    assert_eq!(page.rows.len(), 1);
    let i = &page.rows[0];
    assert_eq!(i.kind, IncidentKind::Outage);
    assert_eq!(i.at.format("%H:%M").to_string(), "08:40");
    assert_eq!(i.recorded_by, Some(li));
    assert_eq!(i.customers_informed, None);
    assert!(has_label(&h, "未处理"));
    assert!(
        has_label(&h, "突发事件(1)"),
        "the open count in the navigation"
    );
    assert!(has_label(&h, "未处理突发事件 1 件"));

    // Closing an outage asks whether the customers were told.
    let resolve = format!("处理完毕 #{}", i.id);
    click(&mut h, &resolve);
    type_into(&mut h, "最终处理情况", "重启服务器后恢复,向排队客户致歉");
    click(&mut h, "确认处理完毕");
    assert!(has_label_containing(
        &h,
        "系统故障须注明是否已告知等候的客户"
    ));
    assert!(
        incidents::get(h.state().store().db(), page.rows[0].id)
            .unwrap()
            .is_open()
    );
    click(&mut h, "已告知客户");
    click(&mut h, "确认处理完毕");
    settle(&mut h);
    let i = incidents::get(h.state().store().db(), page.rows[0].id).unwrap();
    assert_eq!(i.resolved_at, Some(clock.now()));
    assert_eq!(i.customers_informed, Some(true));
    assert_eq!(i.handling, "重启服务器后恢复,向排队客户致歉");
    assert!(has_label(&h, "未处理突发事件 0 件"));
    assert!(has_label(&h, "突发事件"), "no count once none is open");
}

#[test]
fn the_dashboard_shows_the_open_incidents_and_opens_the_log() {
    i18n::set_lang(Lang::ZhCn);
    let (_dir, path) = common::temp_db();
    let clock = common::clock();
    let (mut store, li, _) = common::store_with_staff(&path, &clock);
    common::add_supervisor(&mut store, &clock);
    let now = clock.now();
    for (kind, what) in [
        (IncidentKind::Accident, "客户在柜台前滑倒"),
        (IncidentKind::Dispute, "两位客户因排队争吵"),
    ] {
        let draft = IncidentDraft {
            kind: Some(kind),
            description: what.into(),
            ..IncidentDraft::default()
        };
        store
            .write(|tx| incidents::record(tx, &draft, now, Some(li)))
            .unwrap();
    }
    store
        .write(|tx| incidents::resolve(tx, 2, "已劝开", None, now))
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
    assert!(has_label(&h, "未处理突发事件 1 件"));
    assert!(has_label(&h, "客户在柜台前滑倒"), "today's incidents");
    assert!(has_label(&h, "两位客户因排队争吵"));
    click(&mut h, "查看突发事件");
    settle(&mut h);
    assert_eq!(h.state().screen(), Screen::Incidents);
    assert!(has_label_containing(&h, "客户在柜台前滑倒"));
}

#[test]
fn a_revisit_with_feedback_on_the_staff_shows_on_the_customer_page() {
    i18n::set_lang(Lang::ZhCn);
    let (_dir, path) = common::temp_db();
    let clock = common::clock();
    let (mut store, li, _) = common::store_with_staff(&path, &clock);
    let now = clock.now();
    let customer = key_account(&mut store, now);
    let cb = revisit_due_today(&mut store, customer, now);
    let mut h = common::harness(common::app(store, &clock));
    h.run();
    click(&mut h, "记录结果");
    h.get_all_by_label("满意").nth(1).unwrap().click();
    h.run();
    type_into(&mut h, "客户对客服人员的意见", "李娜回复及时,服务周到");
    click(&mut h, "保存回访结果");
    settle(&mut h);
    let feedback = callbacks::staff_feedback(h.state().store().db(), customer).unwrap();
    assert_eq!(feedback.len(), 1);
    assert_eq!(feedback[0].callback_id, cb);
    assert_eq!(feedback[0].done_by, Some(li));

    click(&mut h, "客户档案");
    type_into(&mut h, "搜索客户", "5678");
    settle(&mut h);
    click(&mut h, "王先生 王堃");
    settle(&mut h);
    assert!(has_label(&h, "大客户对客服人员的意见(1 条)"));
    assert!(has_label(&h, "李娜回复及时,服务周到"));
    assert!(has_label(&h, "回访人 李娜"));
}

#[test]
fn reassign_the_owner_from_the_customer_page() {
    i18n::set_lang(Lang::ZhCn);
    let (_dir, path) = common::temp_db();
    let clock = common::clock();
    let (mut store, _, zhang) = common::store_with_staff(&path, &clock);
    let customer = key_account(&mut store, clock.now());
    let mut h = common::harness(common::app(store, &clock));
    h.run();
    click(&mut h, "客户档案");
    type_into(&mut h, "搜索客户", "运输");
    settle(&mut h);
    click(&mut h, "王先生 王堃");
    settle(&mut h);
    click(&mut h, "客户负责人");
    // The active staff by role, each with the role.
    assert!(has_label(&h, "李娜 · 客服代表"));
    click(&mut h, "张伟 · 业务员");
    click(&mut h, "保存客户档案");
    settle(&mut h);
    let db = h.state().store().db();
    assert_eq!(
        customers::file(db, customer).unwrap().owner_staff_id,
        Some(zhang)
    );
    let last = &audit::recent(db, 1).unwrap()[0];
    assert_eq!(last.entity, "customer");
    assert!(last.after.contains(&format!("owner=Some({zhang})")));
}

/// The store's side of the three features, as lines to compare: run on a SQLite file and on a
/// PostgreSQL database, the answers must be the same.
fn store_scenario(path: &std::path::Path, clock: &frontdesk::clock::FakeClock) -> Vec<String> {
    let (mut store, li, zhang) = common::store_with_staff(path, clock);
    let now = clock.now();
    let mut lines = Vec::new();
    let outage = IncidentDraft {
        kind: Some(IncidentKind::Outage),
        at: Some(now - chrono::Duration::minutes(5)),
        description: "开单系统无法登录".into(),
        ..IncidentDraft::default()
    };
    let dispute = IncidentDraft {
        kind: Some(IncidentKind::Dispute),
        description: "客户争执".into(),
        handling: "已安抚".into(),
        ..IncidentDraft::default()
    };
    let first = store
        .write(|tx| incidents::record(tx, &outage, now, Some(li)))
        .unwrap();
    let second = store
        .write(|tx| incidents::record(tx, &dispute, now, Some(zhang)))
        .unwrap();
    let refused = store.write(|tx| incidents::resolve(tx, first, "已恢复", None, now));
    lines.push(format!("closing unanswered: {refused:?}"));
    store
        .write(|tx| incidents::resolve(tx, first, "已恢复", Some(true), now))
        .unwrap();
    let page = incidents::page(store.db(), 0, 1).unwrap();
    lines.push(format!(
        "page: {:?} more={} open={}",
        page.rows.iter().map(|i| i.id).collect::<Vec<_>>(),
        page.more,
        page.open
    ));
    for id in [first, second] {
        let i = Incident {
            desk: None,
            ..incidents::get(store.db(), id).unwrap()
        };
        lines.push(format!("{i:?}"));
    }
    let today = now.date().and_hms_opt(0, 0, 0).unwrap();
    let listed = incidents::between(store.db(), today, today + chrono::Duration::days(1)).unwrap();
    lines.push(format!("today: {}", listed.len()));

    let customer = key_account(&mut store, now);
    let cb = revisit_due_today(&mut store, customer, now);
    let result = CallbackResult {
        satisfaction: Some(Satisfaction::Satisfied),
        staff_feedback: "张伟服务周到".into(),
        ..CallbackResult::default()
    };
    store
        .write(|tx| callbacks::complete(tx, cb, &result, now, Some(li)))
        .unwrap();
    lines.push(format!(
        "{:?}",
        callbacks::staff_feedback(store.db(), customer).unwrap()
    ));
    store
        .write(|tx| {
            let mut f = customers::file(tx, customer)?;
            f.owner_staff_id = Some(zhang);
            customers::save_file(tx, &f, now)
        })
        .unwrap();
    lines.push(format!(
        "owner {:?}",
        customers::file(store.db(), customer)
            .unwrap()
            .owner_staff_id
    ));
    lines
}

#[test]
fn the_incident_log_and_the_feedback_behave_the_same_on_both_backends() {
    let Some(server) = common::pg::PgServer::start() else {
        return;
    };
    let clock = common::clock();
    let (_dir, path) = common::temp_db();
    let on_sqlite = store_scenario(&path, &clock);
    let url = server.create_database("incidents");
    let on_postgres = store_scenario(std::path::Path::new(&url), &clock);
    assert_eq!(on_sqlite, on_postgres);
    assert!(
        on_sqlite[0].contains("incident.customers_informed"),
        "{on_sqlite:?}"
    );
}
