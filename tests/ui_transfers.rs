//! 首问负责制 and 一跟到底: a case handed to a colleague or a department, accepted, answered and
//! confirmed back by its owner, on real SQLite files and through the window; and a call passed
//! to a colleague with what they were told (电话 12).
#![allow(clippy::unwrap_used, reason = "test code: a panic is a failed test")]

mod common;

use common::{click, has_label, has_label_containing, settle, type_into};

use egui_kittest::kittest::Queryable as _;
use frontdesk::app::{Command, Screen};
use frontdesk::clock::Clock as _;
use frontdesk::domain::transfer::{CaseKind, Late, Stage, TransferRules};
use frontdesk::i18n::{self, Lang};
use frontdesk::store::{calls, complaints, transfers};

#[test]
fn a_transfer_is_accepted_answered_and_confirmed_and_late_ones_are_flagged() {
    let (_dir, path) = common::temp_db();
    let clock = common::clock();
    let (mut store, li, zhang) = common::store_with_staff(&path, &clock);
    let now = clock.now();
    let id = store
        .write(|tx| complaints::create(tx, &common::late_delivery_complaint(), now, Some(li)))
        .unwrap();
    assert_eq!(
        transfers::owner(store.db(), CaseKind::Complaint, id).unwrap(),
        Some(li)
    );
    assert!(
        transfers::owner(store.db(), CaseKind::Claim, 999).is_err(),
        "no such case"
    );
    // To whom and why are needed; not to oneself.
    for (to, dept, reason) in [
        (None, "", "核实运费"),
        (Some(zhang), "", " "),
        (Some(li), "", "核实运费"),
        (Some(zhang), "财务", "核实运费"),
    ] {
        assert!(
            store
                .write(|tx| transfers::send(
                    tx,
                    CaseKind::Complaint,
                    id,
                    Some(li),
                    to,
                    dept,
                    reason,
                    now
                ))
                .is_err(),
            "{to:?} {dept} {reason}"
        );
    }
    let tid = store
        .write(|tx| {
            transfers::send(
                tx,
                CaseKind::Complaint,
                id,
                Some(li),
                Some(zhang),
                "",
                "运费争议,请业务核实合同价",
                now,
            )
        })
        .unwrap();
    // One open transfer per case.
    assert!(
        store
            .write(|tx| transfers::send(
                tx,
                CaseKind::Complaint,
                id,
                Some(li),
                None,
                "财务",
                "退款",
                now
            ))
            .is_err()
    );
    let mine = transfers::my_cases(store.db(), li, false).unwrap();
    assert_eq!(mine.waiting_on.len(), 1);
    assert_eq!(mine.owned.len(), 1, "the complaint li took");
    assert!(mine.to_me.is_empty());
    let his = transfers::my_cases(store.db(), zhang, true).unwrap();
    assert_eq!(his.to_me.len(), 1);
    assert_eq!(his.all_open.len(), 1);

    let rules = TransferRules::default();
    let later = now + chrono::Duration::hours(3);
    assert_eq!(
        transfers::get(store.db(), tid).unwrap().late(later, &rules),
        Some(Late::Acceptance)
    );
    // Only the colleague accepts; then the outcome, then the owner's confirmation.
    assert!(
        store
            .write(|tx| transfers::accept(tx, tid, Some(li), later))
            .is_err()
    );
    assert!(
        store
            .write(|tx| transfers::answer(tx, tid, "已核实", later))
            .is_err(),
        "accept first"
    );
    store
        .write(|tx| transfers::accept(tx, tid, Some(zhang), later))
        .unwrap();
    assert!(
        store
            .write(|tx| transfers::confirm(tx, tid, later))
            .is_err()
    );
    store
        .write(|tx| transfers::answer(tx, tid, "合同价无误,已向客户解释", later))
        .unwrap();
    store
        .write(|tx| transfers::confirm(tx, tid, later))
        .unwrap();
    let t = transfers::get(store.db(), tid).unwrap();
    assert_eq!(t.stage(), Stage::Confirmed);
    assert_eq!(t.accepted_by, Some(zhang));
    assert!(
        transfers::my_cases(store.db(), li, false)
            .unwrap()
            .waiting_on
            .is_empty()
    );
    // A department's transfer may follow once the first is confirmed.
    store
        .write(|tx| {
            transfers::send(
                tx,
                CaseKind::Complaint,
                id,
                Some(li),
                None,
                "财务",
                "退还多收运费",
                later,
            )
        })
        .unwrap();
    assert_eq!(
        transfers::of_case(store.db(), CaseKind::Complaint, id)
            .unwrap()
            .len(),
        2
    );
    assert!(store.check().unwrap().is_empty(), "{:?}", store.check());
}

#[test]
fn a_call_passed_to_a_colleague_keeps_to_whom_and_what_was_said() {
    use frontdesk::domain::call::{CallDraft, Category};
    let (_dir, path) = common::temp_db();
    let clock = common::clock();
    let (mut store, li, zhang) = common::store_with_staff(&path, &clock);
    let mut draft = CallDraft {
        rings: "2".into(),
        category: Some(Category::ALL[0]),
        content: "问合同运价".into(),
        transferred_to: Some(zhang),
        ..CallDraft::default()
    };
    assert!(
        draft.validate(clock.now(), Some(li)).is_err(),
        "what was told is needed"
    );
    draft.transfer_note = "王先生,顺达贸易,问合同运价".into();
    let call = draft.validate(clock.now(), Some(li)).unwrap();
    let id = store.write(|tx| calls::insert(tx, &call)).unwrap();
    let saved = calls::get(store.db(), id).unwrap();
    assert_eq!(saved.transferred_to, Some(zhang));
    assert_eq!(saved.transfer_note, "王先生,顺达贸易,问合同运价");
}

/// Through the window: 李娜 hands her complaint to 张伟 with the reason; at the desk, 张伟 finds
/// it under 我的案件, accepts it and reports the outcome; 李娜 confirms it on the complaint.
#[test]
fn a_complaint_is_handed_over_and_followed_up_to_the_end_in_the_window() {
    i18n::set_lang(Lang::ZhCn);
    let (_dir, path) = common::temp_db();
    let clock = common::clock();
    let (mut store, li, zhang) = common::store_with_staff(&path, &clock);
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
    assert!(has_label(&h, "转交与跟进(首问负责)"));
    // Without a colleague: refused with a message, nothing saved.
    type_into(&mut h, "转交原因", "运费争议,请业务核实合同价");
    click(&mut h, "转交");
    settle(&mut h);
    assert!(h.state().message().is_some_and(|m| m.is_error));
    let store_db = |h: &egui_kittest::Harness<'_, frontdesk::app::App>| {
        transfers::of_case(h.state().store().db(), CaseKind::Complaint, id).unwrap()
    };
    assert!(store_db(&h).is_empty());
    click(&mut h, "同事");
    click(&mut h, "张伟 · 业务员");
    click(&mut h, "转交");
    settle(&mut h);
    let sent = store_db(&h);
    assert_eq!(sent.len(), 1, "{:?}", h.state().message());
    assert_eq!(sent[0].to_staff_id, Some(zhang));
    assert!(has_label(&h, "李娜 → 张伟"));
    assert!(has_label(&h, "待接收"));

    // Three hours later nobody accepted: red.
    clock.advance_secs(3 * 3600);
    h.run();
    assert!(has_label_containing(&h, "超时未接收"));

    // 张伟 at the desk.
    h.state_mut()
        .apply(&Command::SetOperator(Some(zhang)))
        .unwrap();
    h.state_mut()
        .apply(&Command::Goto(Screen::MyCases))
        .unwrap();
    settle(&mut h);
    assert!(has_label(&h, "转给我的(1)"));
    click(&mut h, "接收");
    settle(&mut h);
    type_into(&mut h, "处理结果", "合同价无误,已向客户解释");
    click(&mut h, "提交结果");
    settle(&mut h);
    let t = &store_db(&h)[0];
    assert_eq!(t.stage(), Stage::Answered, "{:?}", h.state().message());

    // 李娜 back at the desk confirms it from her list.
    h.state_mut()
        .apply(&Command::SetOperator(Some(li)))
        .unwrap();
    h.state_mut()
        .apply(&Command::Goto(Screen::MyCases))
        .unwrap();
    settle(&mut h);
    assert!(has_label(&h, "我在等待的(1)"));
    assert!(has_label_containing(&h, "合同价无误"));
    click(&mut h, "确认结果");
    settle(&mut h);
    assert_eq!(
        store_db(&h)[0].stage(),
        Stage::Confirmed,
        "{:?}",
        h.state().message()
    );
    assert!(has_label(&h, "我在等待的(0)"));
}

/// Types `text` into the text field labelled `label` (another widget on the screen may show the
/// same words as a plain label).
fn type_into_field(
    h: &mut egui_kittest::Harness<'_, frontdesk::app::App>,
    label: &str,
    text: &str,
) {
    use egui::accesskit::Role;
    h.get_by_role_and_label(Role::TextInput, label).focus();
    h.run();
    h.get_by_role_and_label(Role::TextInput, label)
        .type_text(text);
    h.run();
}

/// An escalated call is a case: only it is handed over (an answered call is not); on the call
/// log, 李娜 opens its case panel, sees that she owns it and hands it to 张伟; at the desk, 张伟
/// opens it from 我的案件, accepts it and reports the outcome there; 李娜 opens it from her list
/// and confirms the outcome.
#[test]
fn an_escalated_call_is_handed_over_and_confirmed_from_its_case_panel() {
    i18n::set_lang(Lang::ZhCn);
    let (_dir, path) = common::temp_db();
    let clock = common::clock();
    let (mut store, li, zhang) = common::store_with_staff(&path, &clock);
    common::add_supervisor(&mut store, &clock);
    let at = clock.now() - chrono::Duration::minutes(30);
    let (answered, escalated) = store
        .write(|tx| {
            let answered = calls::insert(tx, &common::tracking_call(at, "赵先生", li))?;
            let mut call = common::tracking_call(at, "王先生", li);
            call.content = "货到仓库三天未派送".into();
            call.escalated = true;
            Ok((answered, calls::insert(tx, &call)?))
        })
        .unwrap();
    assert!(
        store
            .write(|tx| transfers::send(
                tx,
                CaseKind::Call,
                answered,
                Some(li),
                Some(zhang),
                "",
                "请跟进",
                clock.now()
            ))
            .is_err(),
        "an answered call is no case"
    );
    let saved = |h: &egui_kittest::Harness<'_, frontdesk::app::App>| {
        transfers::of_case(h.state().store().db(), CaseKind::Call, escalated).unwrap()
    };
    let mut h = common::harness(common::app(store, &clock));
    h.run();
    h.get_by_label("电话记录").click();
    settle(&mut h);
    assert_eq!(
        h.query_all_by_label("案件跟进").count(),
        1,
        "only the escalated call is a case"
    );
    click(&mut h, "案件跟进");
    settle(&mut h);
    let title = format!("来电 #{escalated} · 转交与跟进");
    assert!(has_label(&h, &title));
    assert!(has_label(&h, "首问负责人"));
    assert!(has_label(&h, "货到仓库三天未派送"));
    assert!(has_label(&h, "转交与跟进(首问负责)"));
    click(&mut h, "同事");
    click(&mut h, "张伟 · 业务员");
    type_into(&mut h, "转交原因", "客户催派送,请车队安排");
    click(&mut h, "转交");
    settle(&mut h);
    let sent = saved(&h);
    assert_eq!(sent.len(), 1, "{:?}", h.state().message());
    assert_eq!(
        (sent[0].to_staff_id, sent[0].reason.as_str()),
        (Some(zhang), "客户催派送,请车队安排")
    );
    assert!(has_label(&h, "李娜 → 张伟"));
    assert!(has_label(&h, "待接收"));
    // Esc closes it (as 关闭 does).
    h.key_press(egui::Key::Escape);
    h.run();
    assert!(!has_label(&h, &title));

    // 张伟 at the desk opens it from his list.
    h.state_mut()
        .apply(&Command::SetOperator(Some(zhang)))
        .unwrap();
    h.state_mut()
        .apply(&Command::Goto(Screen::MyCases))
        .unwrap();
    settle(&mut h);
    assert!(has_label(&h, "转给我的(1)"));
    let link = format!("来电 #{escalated}");
    click(&mut h, &link);
    settle(&mut h);
    assert!(has_label(&h, &title), "the call's case panel opens");
    click(&mut h, "接收");
    settle(&mut h);
    assert_eq!(saved(&h)[0].accepted_by, Some(zhang));
    type_into_field(&mut h, "处理结果", "车队已安排今日下午派送");
    click(&mut h, "提交结果");
    settle(&mut h);
    assert_eq!(
        saved(&h)[0].stage(),
        Stage::Answered,
        "{:?}",
        h.state().message()
    );
    assert!(has_label(&h, "待确认结果"));

    // 李娜 confirms it from hers.
    h.state_mut()
        .apply(&Command::SetOperator(Some(li)))
        .unwrap();
    h.state_mut()
        .apply(&Command::Goto(Screen::MyCases))
        .unwrap();
    settle(&mut h);
    assert!(has_label(&h, "我在等待的(1)"));
    click(&mut h, &link);
    settle(&mut h);
    assert!(has_label_containing(&h, "车队已安排今日下午派送"));
    click(&mut h, "确认结果");
    settle(&mut h);
    assert_eq!(
        saved(&h)[0].stage(),
        Stage::Confirmed,
        "{:?}",
        h.state().message()
    );
    assert!(has_label(&h, "已确认"));
    // Confirmed: the form to hand it over again is back.
    assert!(has_label(&h, "转交原因"));

    // A supervisor opens it from the escalated call's line in the inbox.
    h.key_press(egui::Key::Escape);
    h.run();
    assert!(!has_label(&h, &title));
    h.state_mut()
        .login("wuhao", common::SUPERVISOR_PASSWORD)
        .unwrap();
    h.run();
    click(&mut h, "主管收件箱(1)");
    settle(&mut h);
    click(&mut h, "查看");
    settle(&mut h);
    assert_eq!(h.state().screen(), Screen::Calls);
    assert!(has_label(&h, &title));
}

/// A complaint's and a claim's timelines show each step of their transfers — handed to whom and
/// why, accepted by whom, the outcome, confirmed — in time order among the case's own steps.
#[test]
fn the_timelines_of_a_complaint_and_a_claim_show_the_steps_of_their_transfers() {
    i18n::set_lang(Lang::ZhCn);
    let (_dir, path) = common::temp_db();
    let clock = common::clock();
    let (mut store, li, zhang) = common::store_with_staff(&path, &clock);
    let complaint = store
        .write(|tx| {
            complaints::create(
                tx,
                &common::late_delivery_complaint(),
                clock.now(),
                Some(li),
            )
        })
        .unwrap();
    clock.advance_secs(1800);
    let tid = common::send_and_accept(
        &mut store,
        &clock,
        (CaseKind::Complaint, complaint),
        (li, Some(zhang), ""),
        "运费争议,请业务核实合同价",
    );
    // 李娜 keeps following it up while 张伟 works on it.
    store
        .write(|tx| {
            complaints::add_handling(
                tx,
                complaint,
                "已致电客户说明进度",
                None,
                clock.now(),
                Some(li),
            )
        })
        .unwrap();
    clock.advance_secs(1800);
    common::answer_and_confirm(&mut store, &clock, tid, "合同价无误,已向客户解释");
    let claim = store
        .write(|tx| {
            let c = common::damage_claim("SD20261123").validate(clock.now())?;
            frontdesk::store::claims::create(tx, &c, Some(li))
        })
        .unwrap();
    let tid = common::send_and_accept(
        &mut store,
        &clock,
        (CaseKind::Claim, claim),
        (li, None, "财务"),
        "请财务核对赔付账户",
    );
    common::answer_and_confirm(&mut store, &clock, tid, "账户无误,已安排付款");

    let mut h = common::harness(common::app(store, &clock));
    h.state_mut()
        .apply(&Command::OpenComplaint(complaint))
        .unwrap();
    settle(&mut h);
    let top = |h: &egui_kittest::Harness<'_, frontdesk::app::App>, label: &str| {
        h.get_by_label(label).rect().top()
    };
    let order = [
        "转交给 张伟",
        "张伟 已接收转交",
        "已致电客户说明进度",
        "转交处理结果",
        "确认转交结果",
    ];
    for pair in order.windows(2) {
        assert!(
            top(&h, pair[0]) < top(&h, pair[1]),
            "{} comes before {}",
            pair[0],
            pair[1]
        );
    }
    // The reason and the outcome are there (also in the transfer's own line above).
    assert!(h.query_all_by_label("运费争议,请业务核实合同价").count() >= 2);
    assert!(h.query_all_by_label("合同价无误,已向客户解释").count() >= 1);

    h.state_mut().apply(&Command::OpenClaim(claim)).unwrap();
    settle(&mut h);
    for step in [
        "转交给 财务",
        "财务 已接收转交",
        "转交处理结果",
        "确认转交结果",
    ] {
        assert!(has_label(&h, step), "{step}");
    }
    assert!(top(&h, "转交给 财务") < top(&h, "确认转交结果"));
    assert!(has_label(&h, "账户无误,已安排付款"));
}
