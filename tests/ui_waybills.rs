//! Waybill change requests (更改收货人、联系电话): the store's rules on real databases, the purge
//! and an erase on request, then the screen driven through egui_kittest — from a call, from a
//! visitor at the counter, answered by operations and confirmed back to the customer.
#![allow(clippy::unwrap_used, reason = "test code: a panic is a failed test")]

mod common;

use common::{click, has_label, has_label_containing, settle, type_into};

use chrono::Duration;
use frontdesk::app::Screen;
use frontdesk::clock::Clock as _;
use frontdesk::domain::DomainError;
use frontdesk::domain::customer::Customer;
use frontdesk::domain::waybill::{ChangeDraft, ChangeRules, ChangeStage};
use frontdesk::i18n::{self, Lang};
use frontdesk::store::waybill_changes::{self, ChangeFilter};
use frontdesk::store::{StoreError, audit, calls, customers};

/// A request to give waybill SD20261123001 a new consignee phone, asked by 王先生.
fn request(customer_id: Option<i64>) -> ChangeDraft {
    ChangeDraft {
        waybill_no: "SD20261123001".into(),
        customer_id,
        requester: "王先生".into(),
        requester_phone: "13812345678".into(),
        identity_checked: true,
        new_consignee: "赵六".into(),
        new_phone: "13900001111".into(),
        note: "原收货人出差".into(),
        department: "业务".into(),
        ..ChangeDraft::default()
    }
}

#[test]
fn a_request_is_passed_on_answered_and_confirmed_back_with_every_step_audited() {
    let (_dir, path) = common::temp_db();
    let clock = common::clock();
    let (mut store, li, zhang) = common::store_with_staff(&path, &clock);
    let now = clock.now();

    // The shipper not checked: refused, nothing saved.
    let unchecked = ChangeDraft {
        identity_checked: false,
        ..request(None)
    };
    assert!(matches!(
        store.write(|tx| waybill_changes::record(tx, &unchecked, now, Some(li))),
        Err(StoreError::Domain(DomainError::Invalid {
            field: "waybill.identity_checked",
            ..
        }))
    ));
    // A call that does not exist: refused.
    let ghost = ChangeDraft {
        call_id: Some(999),
        ..request(None)
    };
    assert!(
        store
            .write(|tx| waybill_changes::record(tx, &ghost, now, Some(li)))
            .is_err()
    );
    assert_eq!(waybill_changes::open_count(store.db()).unwrap(), 0);

    let id = store
        .write(|tx| waybill_changes::record(tx, &request(None), now, Some(li)))
        .unwrap();
    let w = waybill_changes::get(store.db(), id).unwrap();
    assert_eq!(w.stage(), ChangeStage::Passed);
    assert!(w.identity_checked);
    assert_eq!(w.recorded_by, Some(li));
    assert_eq!(w.department, "业务");
    let trail = &audit::recent(store.db(), 1).unwrap()[0];
    assert_eq!(trail.entity, "waybill_change");
    assert_eq!(trail.after, "SD20261123001: consignee+phone → 业务");
    assert!(
        !trail.after.contains("赵六") && !trail.after.contains("1390000"),
        "the trail outlives the purge: no names or phones in it"
    );
    let rules = ChangeRules::default();
    assert!(w.late(now + Duration::hours(3), &rules).is_some());

    // Told the customer before operations answered: refused.
    assert!(
        store
            .write(|tx| waybill_changes::confirm(tx, id, Some(li), "电话", now))
            .is_err()
    );
    // A refusal needs its reason.
    assert!(matches!(
        store.write(|tx| waybill_changes::answer(tx, id, "刘调度", false, " ", now)),
        Err(StoreError::Domain(DomainError::Invalid {
            field: "waybill.handling_note",
            ..
        }))
    ));
    let answered = now + Duration::minutes(40);
    store
        .write(|tx| waybill_changes::answer(tx, id, "刘调度", false, "货物已派送签收", answered))
        .unwrap();
    let w = waybill_changes::get(store.db(), id).unwrap();
    assert_eq!(w.stage(), ChangeStage::Answered);
    assert_eq!(w.changed, Some(false));
    assert_eq!(w.handled_at, Some(answered));
    assert_eq!(waybill_changes::open(store.db()).unwrap().len(), 1);

    // A colleague tells the customer: done, off the open list.
    let told = answered + Duration::minutes(10);
    store
        .write(|tx| waybill_changes::confirm(tx, id, Some(zhang), "电话告知王先生", told))
        .unwrap();
    let w = waybill_changes::get(store.db(), id).unwrap();
    assert_eq!(w.stage(), ChangeStage::Confirmed);
    assert_eq!(w.confirmed_by, Some(zhang));
    assert_eq!(waybill_changes::open_count(store.db()).unwrap(), 0);
    let open = waybill_changes::page(store.db(), ChangeFilter::Open, 0, 10).unwrap();
    assert!(open.rows.is_empty());
    let all = waybill_changes::page(store.db(), ChangeFilter::All, 0, 10).unwrap();
    assert_eq!(all.rows.len(), 1);
    // Done once: no second answer or confirmation.
    assert!(
        store
            .write(|tx| waybill_changes::answer(tx, id, "刘调度", true, "", told))
            .is_err()
    );
    assert!(
        store
            .write(|tx| waybill_changes::confirm(tx, id, Some(li), "", told))
            .is_err()
    );
    let actions: Vec<String> = audit::recent(store.db(), 3)
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .collect();
    assert_eq!(
        actions,
        ["waybill_confirmed", "waybill_answered", "create"],
        "newest first"
    );
}

#[test]
fn the_purge_and_an_erase_clear_who_asked_and_the_new_consignee() {
    use frontdesk::store::privacy::{self, Retention};
    let (_dir, path) = common::temp_db();
    let clock = common::clock();
    let (mut store, li, _) = common::store_with_staff(&path, &clock);
    let now = clock.now();
    let long_ago = now - Duration::days(400);
    let customer = store
        .write(|tx| {
            customers::insert(
                tx,
                &Customer {
                    surname: "王".into(),
                    phone: "13812345678".into(),
                    ..Customer::default()
                },
                now,
            )
        })
        .unwrap();
    // An old request of nobody on file, a recent one on a call of the customer.
    let old = store
        .write(|tx| waybill_changes::record(tx, &request(None), long_ago, Some(li)))
        .unwrap();
    let call = store
        .write(|tx| {
            let c = frontdesk::domain::call::Call {
                customer_id: Some(customer),
                ..common::tracking_call(now, "王先生", li)
            };
            calls::insert(tx, &c)
        })
        .unwrap();
    let recent = store
        .write(|tx| {
            let d = ChangeDraft {
                call_id: Some(call),
                ..request(None)
            };
            waybill_changes::record(tx, &d, now, Some(li))
        })
        .unwrap();
    store
        .write(|tx| waybill_changes::answer(tx, recent, "刘调度", true, "已改赵六", now))
        .unwrap();

    let report = store
        .write(|tx| privacy::purge(tx, now, Retention::default()))
        .unwrap();
    assert_eq!(report.waybills, 1, "only the old one");
    let w = waybill_changes::get(store.db(), old).unwrap();
    assert_eq!(
        (
            w.requester.as_str(),
            w.requester_phone.as_str(),
            w.new_consignee.as_str(),
            w.new_phone.as_str(),
            w.note.as_str()
        ),
        ("", "", "", "", "")
    );
    assert_eq!(w.waybill_no, "SD20261123001", "the waybill stays");
    assert_eq!(w.department, "业务");
    assert!(
        !privacy::purge_due(store.db(), now, Retention::default()).unwrap(),
        "nothing left to purge"
    );
    let w = waybill_changes::get(store.db(), recent).unwrap();
    assert_eq!(w.new_consignee, "赵六", "recent: kept");

    // The customer asks to be forgotten: the request asked on their call goes too.
    store
        .write(|tx| privacy::erase_customer(tx, customer, now))
        .unwrap();
    let w = waybill_changes::get(store.db(), recent).unwrap();
    assert_eq!(
        (
            w.requester.as_str(),
            w.new_consignee.as_str(),
            w.new_phone.as_str(),
            w.handling_note.as_str()
        ),
        ("", "", "", "")
    );
}

#[test]
fn a_request_from_a_call_is_recorded_answered_and_confirmed_in_the_window() {
    i18n::set_lang(Lang::ZhCn);
    let (dir, path) = common::temp_db();
    let clock = common::clock();
    let (mut store, li, _) = common::store_with_staff(&path, &clock);
    let now = clock.now();
    let call = store
        .write(|tx| calls::insert(tx, &common::tracking_call(now, "王先生", li)))
        .unwrap();
    // In the test's folder (the database may be on a server).
    let export = dir.path().join("运单更改.csv");
    let picker = {
        let export = export.clone();
        Box::new(move |_: &frontdesk::app::FileFor| vec![export.clone()])
    };
    let mut h = common::harness(common::app(store, &clock).with_file_picker(picker));
    h.run();
    click(&mut h, "电话记录");
    settle(&mut h);
    click(&mut h, "更多…");
    click(&mut h, "更改运单");
    settle(&mut h);
    assert_eq!(h.state().screen(), Screen::Waybills);
    assert!(has_label(&h, &format!("来自来电 #{call}")));

    // Who asks came from the call; without the shipper checked, it is refused next to the form.
    type_into(&mut h, "运单号", "SD20261123001");
    type_into(&mut h, "新联系电话", "139 0000 1111");
    click(&mut h, "登记并转交");
    assert!(has_label_containing(&h, "请先核实申请人为托运人本人"));
    click(&mut h, "已核实申请人为托运人本人");
    click(&mut h, "登记并转交");
    assert!(has_label_containing(&h, "转交部门"));
    assert_eq!(
        waybill_changes::open_count(h.state().store().db()).unwrap(),
        0,
        "no department yet: nothing saved"
    );
    click(&mut h, "业务");
    click(&mut h, "登记并转交");
    settle(&mut h);
    let rows = waybill_changes::page(h.state().store().db(), ChangeFilter::All, 0, 10)
        .unwrap()
        .rows;
    assert_eq!(rows.len(), 1);
    let w = &rows[0];
    assert_eq!(w.call_id, Some(call));
    assert_eq!(w.requester, "王先生");
    assert_eq!(w.requester_phone, "13955556666");
    assert_eq!(w.new_phone, "13900001111");
    assert_eq!(w.recorded_by, Some(li));
    assert!(
        has_label(&h, "运单更改(1)"),
        "the open count in the navigation"
    );
    assert!(has_label(&h, "待部门答复"));
    assert!(has_label(&h, "电话改为 139****1111"), "masked on the list");

    // Operations answer on the phone; the desk records it, then tells the customer.
    click(&mut h, &format!("办理 #{}", w.id));
    type_into(&mut h, "答复人", "刘调度");
    click(&mut h, "记录答复");
    assert!(
        has_label_containing(&h, "处理结果"),
        "changed or not: required"
    );
    click(&mut h, "已更改");
    click(&mut h, "记录答复");
    settle(&mut h);
    let w = waybill_changes::get(h.state().store().db(), w.id).unwrap();
    assert_eq!(w.changed, Some(true));
    assert_eq!(w.handled_by, "刘调度");
    assert!(has_label(&h, "待告知客户"));
    click(&mut h, &format!("办理 #{}", w.id));
    type_into(&mut h, "告知方式、客户反应", "回电告知,客户满意");
    click(&mut h, "已告知客户");
    settle(&mut h);
    let w = waybill_changes::get(h.state().store().db(), w.id).unwrap();
    assert_eq!(w.stage(), ChangeStage::Confirmed);
    assert_eq!(w.confirm_note, "回电告知,客户满意");
    assert_eq!(w.confirmed_by, Some(li));
    assert!(has_label(&h, "没有更改申请"), "off the open list");
    click(&mut h, "全部");
    settle(&mut h);
    assert!(has_label(&h, "已办结"));
    assert!(has_label(&h, "运单更改"), "no count once none is open");

    // The month's requests exported: the figures and the row, without who asked.
    click(&mut h, "导出 CSV");
    settle(&mut h);
    let written = std::fs::read_to_string(&export).unwrap();
    assert!(
        written.contains(&format!("SD20261123001,call {call},业务,李娜,")),
        "{written}"
    );
    assert!(written.contains(",changed,"), "{written}");
    assert!(
        !written.contains("王先生") && !written.contains("1390000"),
        "{written}"
    );
}

#[test]
fn the_command_line_writes_the_months_requests() {
    let (dir, path) = common::temp_db();
    let clock = common::clock();
    let (mut store, li, _) = common::store_with_staff(&path, &clock);
    let now = clock.now();
    let id = store
        .write(|tx| waybill_changes::record(tx, &request(None), now, Some(li)))
        .unwrap();
    store
        .write(|tx| waybill_changes::answer(tx, id, "刘调度", false, "已签收", now))
        .unwrap();
    drop(store);
    let out = common::frontdesk_on(
        dir.path(),
        &path,
        &["report", "waybills", "--month", "2026-11"],
    );
    assert!(out.status.success(), "{out:?}");
    let csv = String::from_utf8(out.stdout).unwrap();
    assert!(csv.contains("SD20261123001,desk,业务,李娜,"), "{csv}");
    assert!(csv.contains(",refused,"), "{csv}");
    // Not told for days: late.
    assert!(csv.trim_end().ends_with(",told"), "{csv}");
    // The summary is in the workbook.
    let xlsx = dir.path().join("运单更改.xlsx");
    let out = common::frontdesk_on(
        dir.path(),
        &path,
        &[
            "report",
            "waybills",
            "--month",
            "2026-11",
            "--format",
            "xlsx",
            "--out",
            xlsx.to_str().unwrap(),
        ],
    );
    assert!(out.status.success(), "{out:?}");
    use calamine::Reader as _;
    let mut book = calamine::open_workbook_auto(&xlsx).unwrap();
    assert_eq!(book.sheet_names(), ["waybill_changes", "summary"]);
    let summary = book.worksheet_range("summary").unwrap();
    let refused = summary
        .rows()
        .find(|r| r[0] == "refused")
        .map(|r| r[1].to_string());
    assert_eq!(refused.as_deref(), Some("1"));
    let bad = common::frontdesk_on(
        dir.path(),
        &path,
        &["report", "waybills", "--month", "11-2026"],
    );
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("--month 11-2026"));
}

#[test]
fn a_late_request_is_red_on_the_list_and_counted_on_the_dashboard() {
    i18n::set_lang(Lang::ZhCn);
    let (_dir, path) = common::temp_db();
    let clock = common::clock();
    let (mut store, li, _) = common::store_with_staff(&path, &clock);
    common::add_supervisor(&mut store, &clock);
    let three_hours_ago = clock.now() - Duration::hours(3);
    store
        .write(|tx| waybill_changes::record(tx, &request(None), three_hours_ago, Some(li)))
        .unwrap();
    let mut h = common::harness(common::app(store, &clock));
    h.run();
    click(&mut h, "运单更改(1)");
    settle(&mut h);
    assert!(has_label(&h, "待部门答复 · 部门超时未答复"));

    h.state_mut()
        .login("wuhao", common::SUPERVISOR_PASSWORD)
        .unwrap();
    h.run();
    click(&mut h, "主管工作台");
    click(&mut h, "看板");
    settle(&mut h);
    assert!(has_label(&h, "运单更改未办结 1 件,超时 1 件"));
    click(&mut h, "查看运单更改");
    settle(&mut h);
    assert_eq!(h.state().screen(), Screen::Waybills);
}

#[test]
fn a_visitor_at_the_counter_asks_for_a_change_from_their_card() {
    i18n::set_lang(Lang::ZhCn);
    let (_dir, path) = common::temp_db();
    let clock = common::clock();
    let (store, _, _) = common::store_with_staff(&path, &clock);
    let mut h = common::harness(common::app(store, &clock));
    h.run();
    click(&mut h, "客户到达");
    click(&mut h, "已问候");
    assert!(
        !has_label(&h, "更改运单"),
        "a visitor not registered yet cannot ask"
    );
    click(&mut h, "登记信息");
    type_into(&mut h, "电话", "13812345678");
    type_into(&mut h, "姓氏", "王");
    click(&mut h, "先生");
    type_into(&mut h, "来访目的", "更改收货人");
    click(&mut h, "保存登记");
    settle(&mut h);
    let visit = frontdesk::store::visits::present(h.state().store().db()).unwrap()[0].clone();
    click(&mut h, "更改运单");
    settle(&mut h);
    assert_eq!(h.state().screen(), Screen::Waybills);
    assert!(has_label(&h, &format!("来自来访 #{}", visit.id)));
    type_into(&mut h, "运单号", "SD20261123002");
    type_into(&mut h, "新收货人", "赵六");
    click(&mut h, "已核实申请人为托运人本人");
    click(&mut h, "业务");
    click(&mut h, "登记并转交");
    settle(&mut h);
    let w = &waybill_changes::page(h.state().store().db(), ChangeFilter::Open, 0, 10)
        .unwrap()
        .rows[0];
    assert_eq!(w.visit_id, Some(visit.id));
    assert_eq!(w.customer_id, visit.customer_id);
    assert_eq!(w.requester, "王先生");
    assert_eq!(w.requester_phone, "13812345678");
    assert_eq!(w.new_consignee, "赵六");
    assert!(has_label(&h, "收货人改为 赵六"));
}

#[test]
fn a_customers_requests_are_in_their_history_and_follow_a_merge() {
    let (_dir, path) = common::temp_db();
    let clock = common::clock();
    let (mut store, li, _) = common::store_with_staff(&path, &clock);
    let now = clock.now();
    let (keep, dup) = store
        .write(|tx| {
            let a = customers::insert(
                tx,
                &Customer {
                    surname: "王".into(),
                    phone: "13812345678".into(),
                    ..Customer::default()
                },
                now,
            )?;
            let b = customers::insert(
                tx,
                &Customer {
                    surname: "王".into(),
                    phone: "13812340000".into(),
                    ..Customer::default()
                },
                now,
            )?;
            Ok((a, b))
        })
        .unwrap();
    let id = store
        .write(|tx| waybill_changes::record(tx, &request(Some(dup)), now, Some(li)))
        .unwrap();
    let history = customers::history(store.db(), dup).unwrap();
    assert_eq!(history.len(), 1);
    assert_eq!(
        (history[0].kind, history[0].id, history[0].summary.as_str()),
        ("waybill", id, "SD20261123001 · 待部门答复")
    );
    store
        .write(|tx| customers::merge(tx, keep, dup, now))
        .unwrap();
    assert_eq!(
        waybill_changes::get(store.db(), id).unwrap().customer_id,
        Some(keep)
    );
    assert_eq!(
        waybill_changes::of_customer(store.db(), keep)
            .unwrap()
            .len(),
        1
    );
}

#[test]
fn my_cases_lists_the_open_requests_i_recorded_and_opens_one_to_handle() {
    i18n::set_lang(Lang::ZhCn);
    let (_dir, path) = common::temp_db();
    let clock = common::clock();
    let (mut store, li, zhang) = common::store_with_staff(&path, &clock);
    let now = clock.now();
    let mine = store
        .write(|tx| waybill_changes::record(tx, &request(None), now, Some(li)))
        .unwrap();
    // A colleague's request is on their list, not mine.
    store
        .write(|tx| waybill_changes::record(tx, &request(None), now, Some(zhang)))
        .unwrap();
    let mut h = common::harness(common::app(store, &clock));
    h.run();
    click(&mut h, "我的案件");
    settle(&mut h);
    assert!(has_label(&h, "我登记的运单更改(未办结 1 件)"));
    assert!(has_label(&h, "待部门答复"));
    // Three hours on, nobody answered: red.
    clock.advance_secs(3 * 3600);
    h.run();
    assert!(has_label(&h, "待部门答复 · 部门超时未答复"));
    click(&mut h, &format!("运单更改 #{mine}"));
    settle(&mut h);
    assert_eq!(h.state().screen(), Screen::Waybills);
    assert!(has_label(
        &h,
        &format!("更改申请 #{mine} · 运单 SD20261123001")
    ));
    type_into(&mut h, "答复人", "刘调度");
    click(&mut h, "已更改");
    click(&mut h, "记录答复");
    settle(&mut h);
    assert_eq!(
        waybill_changes::get(h.state().store().db(), mine)
            .unwrap()
            .changed,
        Some(true)
    );
}
