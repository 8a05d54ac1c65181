//! Several desks on one database (a file here; a server when the test command sets one): two
//! real `App`s driven through egui_kittest, each with its own connection and desk name. No lost
//! updates, who did what at which desk, and each desk's own operator.
#![allow(clippy::unwrap_used, reason = "test code: a panic is a failed test")]

mod common;

use common::{click, has_label_containing, type_into};

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use frontdesk::app::{App, Command, ServiceCommand};
use frontdesk::clock::Clock as _;
use frontdesk::domain::claim::ClaimDraft;
use frontdesk::domain::complaint::{AtFault, Channel, ComplaintDraft, Severity};
use frontdesk::i18n::{self, Lang};
use frontdesk::store::versions::{Record, Seen, stamp};
use frontdesk::store::{Store, StoreError, claims, complaints, visits};

fn at(text: &str) -> chrono::NaiveDateTime {
    chrono::NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S").unwrap()
}

fn message(h: &Harness<'_, App>) -> String {
    h.state()
        .message()
        .map(|m| m.text.clone())
        .unwrap_or_default()
}

fn complaint_draft() -> ComplaintDraft {
    ComplaintDraft {
        channel: Some(Channel::Phone),
        customer_name: "王先生".into(),
        phone: "13812345678".into(),
        category: "货物破损".into(),
        severity: Some(Severity::Ordinary),
        at_fault: Some(AtFault::Unknown),
        content: "外箱破损".into(),
        ..ComplaintDraft::default()
    }
}

/// Desk "1号台" (李娜, the operator stored for every desk) and desk "2号台", where 张伟 signs
/// in as its own operator. Returns both harnesses and the staff ids.
fn two_desks(
    path: &std::path::Path,
    clock: &frontdesk::clock::FakeClock,
) -> (Harness<'static, App>, Harness<'static, App>, i64, i64) {
    let (mut store_a, li, zhang) = common::store_with_staff(path, clock);
    store_a.set_desk("1号台");
    let mut store_b = Store::open(path).unwrap();
    store_b.set_desk("2号台");
    let mut a = common::harness(common::app(store_a, clock));
    let mut b = common::harness(common::app(store_b, clock));
    b.state_mut()
        .apply(&Command::SetOperator(Some(zhang)))
        .unwrap();
    a.run();
    b.run();
    (a, b, li, zhang)
}

#[test]
fn two_desks_on_one_complaint_the_second_save_is_told_who_changed_it_and_keeps_its_text() {
    i18n::set_lang(Lang::ZhCn);
    let (_dir, path) = common::temp_db();
    let clock = common::clock();
    let (mut a, mut b, li, zhang) = two_desks(&path, &clock);
    let id = a
        .state_mut()
        .apply(&Command::Service(ServiceCommand::CreateComplaint(
            complaint_draft(),
        )))
        .unwrap()
        .unwrap();
    for h in [&mut a, &mut b] {
        h.run();
        click(h, "投诉处理");
        click(h, &format!("#{id}"));
    }
    // Each desk has its own operator: 张伟 at desk 2 did not change desk 1's.
    assert_eq!(a.state().settings().operator_id, Some(li));
    assert_eq!(b.state().settings().operator_id, Some(zhang));

    type_into(&mut a, "处理情况", "已联系仓库核实");
    type_into(&mut b, "处理情况", "已安排司机上门取件");
    clock.set(at("2026-11-23 09:31:00"));
    click(&mut b, "添加处理记录");
    assert!(message(&b).contains("已更新"), "{}", message(&b));

    // Desk 1 saves what it typed over a complaint that changed since it opened it.
    click(&mut a, "添加处理记录");
    let told = message(&a);
    assert!(
        told.contains("该记录已被 张伟(2号台) 于 09:31 修改"),
        "{told}"
    );
    assert!(has_label_containing(&a, "该记录已被 张伟(2号台)"), "shown");
    assert_eq!(
        a.get_by_label("处理情况").value().as_deref(),
        Some("已联系仓库核实"),
        "the form keeps what was typed"
    );
    assert!(
        has_label_containing(&a, "已安排司机上门取件"),
        "desk 1 now sees desk 2's entry"
    );
    let handling = |h: &Harness<'_, App>| {
        complaints::events(h.state().store().db(), id)
            .unwrap()
            .into_iter()
            .filter(|e| e.kind == "handling")
            .map(|e| (e.detail, e.staff_id))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        handling(&a),
        vec![("已安排司机上门取件".to_owned(), Some(zhang))],
        "nothing of desk 1 was written"
    );

    // Having seen it, desk 1 saves again: both entries are kept, each attributed.
    click(&mut a, "添加处理记录");
    assert!(message(&a).contains("已更新"), "{}", message(&a));
    assert_eq!(
        handling(&a),
        vec![
            ("已安排司机上门取件".to_owned(), Some(zhang)),
            ("已联系仓库核实".to_owned(), Some(li)),
        ]
    );
    let newest = frontdesk::store::versions::latest(a.state().store().db(), Record::Complaint, id)
        .unwrap()
        .unwrap();
    assert_eq!(newest.desk.as_deref(), Some("1号台"));
    assert!(a.state().store().check().unwrap().is_empty());
}

#[test]
fn a_claim_form_keeps_its_text_while_another_desk_changes_the_claim_and_then_asks() {
    i18n::set_lang(Lang::ZhCn);
    let (_dir, path) = common::temp_db();
    let clock = common::clock();
    let (mut a, mut b, _, _) = two_desks(&path, &clock);
    let draft = ClaimDraft {
        waybill: "SD2026001".into(),
        customer_name: "王先生".into(),
        phone: "13812345678".into(),
        incident_date: "2026-11-20".into(),
        incident_place: "上海仓".into(),
        branch: "上海分公司".into(),
        claim_type: Some(frontdesk::domain::claim::ClaimType::Damage),
        cause: "装卸不当".into(),
        description: "外箱破损".into(),
        claimed: "1500.00".into(),
        ..ClaimDraft::default()
    };
    let id = a
        .state_mut()
        .apply(&Command::Service(ServiceCommand::CreateClaim(draft)))
        .unwrap()
        .unwrap();
    for h in [&mut a, &mut b] {
        h.run();
        click(h, "理赔");
        click(h, &format!("#{id}"));
    }
    type_into(&mut a, "调查情况", "现场照片已收到");
    // Desk 2 adds a note; desk 1 reloads the claim and still has its own note typed.
    type_into(&mut b, "调查情况", "司机称装车时完好");
    click(&mut b, "添加调查记录");
    a.run();
    a.run();
    assert!(has_label_containing(&a, "司机称装车时完好"), "reloaded");
    assert_eq!(
        a.get_by_label("调查情况").value().as_deref(),
        Some("现场照片已收到"),
        "a reload does not wipe the form"
    );
    click(&mut a, "添加调查记录");
    assert!(
        message(&a).contains("该记录已被 张伟(2号台)"),
        "{}",
        message(&a)
    );
    click(&mut a, "添加调查记录");
    let notes: Vec<String> = claims::events(a.state().store().db(), id)
        .unwrap()
        .into_iter()
        .filter(|e| e.kind == "note")
        .map(|e| e.detail)
        .collect();
    assert_eq!(notes, vec!["司机称装车时完好", "现场照片已收到"]);
}

#[test]
fn the_board_shows_who_did_each_step_at_which_desk_and_a_second_greeting_is_refused() {
    i18n::set_lang(Lang::ZhCn);
    let (_dir, path) = common::temp_db();
    let clock = common::clock();
    let (mut a, mut b, _, _) = two_desks(&path, &clock);
    a.state_mut().apply(&Command::Arrive).unwrap();
    a.run();
    b.run();
    let visit = b.state().board().present[0].id;
    // Both desks see the visitor waiting; desk 1 greets first, desk 2 (whose board has not
    // reloaded yet) greets too.
    clock.set(at("2026-11-23 09:00:20"));
    a.state_mut().apply(&Command::Greet(visit)).unwrap();
    let refused = b.state_mut().apply(&Command::Greet(visit));
    match refused {
        Err(StoreError::Changed { by, .. }) => assert_eq!(by, "李娜(1号台)"),
        other => panic!("expected a refusal, got {other:?}"),
    }
    let v = visits::get(b.state().store().db(), visit).unwrap();
    assert_eq!(v.greeted_at, Some(clock.now()), "greeted once, by desk 1");
    b.run();
    assert!(
        has_label_containing(&b, "问候 09:00:20 李娜 @ 1号台"),
        "desk 2's board says who greeted, when and where"
    );
    assert!(has_label_containing(&b, "到达 09:00:00"));
    // Desk 2 serves water: both desks' boards show it with desk 2's name.
    clock.set(at("2026-11-23 09:01:00"));
    click(&mut b, "已倒水");
    a.run();
    a.run();
    assert!(has_label_containing(&a, "倒水 09:01:00 张伟 @ 2号台"));
    assert!(a.state().store().check().unwrap().is_empty());
}

#[test]
fn a_save_based_on_an_older_state_writes_nothing_and_one_based_on_the_newest_goes_through() {
    let (_dir, path) = common::temp_db();
    let clock = common::clock();
    let (mut one, li, _) = common::store_with_staff(&path, &clock);
    one.set_desk("1号台");
    let mut two = Store::open(&path).unwrap();
    two.set_desk("2号台");
    let id = one
        .write(|tx| complaints::create(tx, &complaint_draft(), clock.now(), Some(li)))
        .unwrap();
    let seen = Seen {
        record: Record::Complaint,
        id,
        stamp: stamp(one.db(), Record::Complaint, id).unwrap(),
    };
    two.write(|tx| complaints::clarify(tx, id, "外箱压痕", clock.now(), None))
        .unwrap();
    one.expect_unchanged(Some(seen));
    let refused = one.write(|tx| complaints::clarify(tx, id, "内件完好", clock.now(), Some(li)));
    let Err(StoreError::Changed {
        by, stamp: newest, ..
    }) = refused
    else {
        panic!("expected a refusal, got {refused:?}");
    };
    assert_eq!(by, "2号台", "no operator chosen there: the desk");
    assert_eq!(complaints::get(one.db(), id).unwrap().facts, "外箱压痕");
    // The check applies to one write only.
    one.expect_unchanged(Some(Seen {
        stamp: newest,
        ..seen
    }));
    one.write(|tx| complaints::clarify(tx, id, "内件完好", clock.now(), Some(li)))
        .unwrap();
    assert_eq!(complaints::get(one.db(), id).unwrap().facts, "内件完好");
    one.write(|tx| complaints::clarify(tx, id, "再次核实", clock.now(), Some(li)))
        .unwrap();
    assert!(one.check().unwrap().is_empty());
}

#[test]
fn a_clock_difference_with_the_server_is_shown_on_every_screen() {
    i18n::set_lang(Lang::ZhCn);
    let (_dir, path) = common::temp_db();
    let clock = common::clock();
    let (store, _, _) = common::store_with_staff(&path, &clock);
    // This PC's clock runs 12 s ahead of the server's.
    let app = common::app(store, &clock).with_clock_offset(Some(chrono::Duration::seconds(-12)));
    let mut h = common::harness(app);
    h.run();
    let note = "本机时钟比服务器快 12 秒";
    assert!(has_label_containing(&h, note));
    click(&mut h, "投诉处理");
    assert!(has_label_containing(&h, note));
    // A difference under five seconds is not worth a bar.
    let (_dir2, path2) = common::temp_db();
    let (store, _, _) = common::store_with_staff(&path2, &clock);
    let app = common::app(store, &clock).with_clock_offset(Some(chrono::Duration::seconds(3)));
    let mut h = common::harness(app);
    h.run();
    assert!(!has_label_containing(&h, "本机时钟"));
}
