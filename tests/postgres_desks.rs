//! Several desks on one server: a change at one desk is heard at another within two seconds,
//! eight desks writing at once lose nothing that was acknowledged, and a desk whose server
//! restarts connects again by itself with every acknowledged record still there.
#![allow(clippy::unwrap_used, reason = "test code: a panic is a failed test")]

mod common;

use std::sync::mpsc;
use std::time::{Duration, Instant};

use chrono::NaiveDateTime;
use common::pg::PgServer;
use egui_kittest::kittest::Queryable as _;
use frontdesk::clock::Clock as _;
use frontdesk::db_params;
use frontdesk::domain::call::{CallDraft, Category};
use frontdesk::domain::complaint::{AtFault, Channel, ComplaintDraft, Severity};
use frontdesk::i18n::{self, Lang};
use frontdesk::store::{Store, calls, complaints, visits};

/// Waits a moment for another thread or process (the desk under test never sleeps).
#[allow(
    clippy::disallowed_methods,
    reason = "a test waits for a server and another desk"
)]
fn pause(d: Duration) {
    std::thread::sleep(d);
}

fn at(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S").unwrap()
}

#[test]
fn a_change_at_one_desk_is_heard_at_another_within_two_seconds() {
    let Some(server) = PgServer::start() else {
        return;
    };
    let url = server.create_database("heard");
    let clock = common::clock();
    let mut reception = Store::open(&url).unwrap();
    let mut supervisor = Store::open(&url).unwrap();
    let (woken, wakes) = mpsc::channel();
    supervisor.watch_changes(move || {
        let _ = woken.send(());
    });
    let deadline = Instant::now() + Duration::from_secs(5);
    while !supervisor.watch().unwrap().listening() {
        assert!(Instant::now() < deadline, "the watch listens");
        pause(Duration::from_millis(20));
    }
    // Its own writes do not wake the desk: it knows of them already.
    supervisor
        .write(|tx| visits::arrive(tx, clock.now(), None))
        .unwrap();
    assert!(wakes.recv_timeout(Duration::from_millis(500)).is_err());
    let before = supervisor.data_version().unwrap();

    let sent = Instant::now();
    reception
        .write(|tx| visits::arrive(tx, clock.now(), None))
        .unwrap();
    wakes.recv_timeout(Duration::from_secs(2)).unwrap();
    assert!(sent.elapsed() < Duration::from_secs(2));
    let watch = supervisor.watch().unwrap();
    assert!(watch.online());
    assert_eq!(watch.heard(), 1);
    assert!(watch.take_tables().contains("visits"));
    assert!(supervisor.data_version().unwrap() > before);
    assert_eq!(visits::present(supervisor.db()).unwrap().len(), 2);
    // A write that changes nothing sealed, or one that fails, is not announced.
    let failed: Result<(), _> = reception.write(|tx| {
        visits::arrive(tx, clock.now(), None)?;
        Err(frontdesk::store::StoreError::NotFound)
    });
    assert!(failed.is_err());
    assert!(wakes.recv_timeout(Duration::from_millis(500)).is_err());
    assert_eq!(watch.heard(), 1);
}

#[test]
fn the_board_of_another_desk_shows_a_new_visitor_within_two_seconds() {
    i18n::set_lang(Lang::ZhCn);
    let Some(server) = PgServer::start() else {
        return;
    };
    let url = server.create_database("board");
    let clock = common::clock();
    let mut desk_a = Store::open(&url).unwrap();
    let desk_b = Store::open(&url).unwrap();
    let mut h = common::harness(common::app(desk_b, &clock));
    h.run();
    assert!(h.query_all_by_label("目前没有在场访客").next().is_some());
    desk_a
        .write(|tx| visits::arrive(tx, clock.now(), None))
        .unwrap();
    let sent = Instant::now();
    while h.query_all_by_label("今日来访 1").next().is_none() {
        assert!(
            sent.elapsed() < Duration::from_secs(2),
            "desk B did not show the visitor within 2 s"
        );
        pause(Duration::from_millis(20));
        h.run();
    }
}

/// Runs desk `h`'s frames until it reloads (at most 2 s); returns what it loaded again.
fn next_reload(h: &mut egui_kittest::Harness<'_, frontdesk::app::App>) -> Vec<&'static str> {
    let (before, _) = h.state().reloaded();
    let sent = Instant::now();
    while h.state().reloaded().0 == before {
        assert!(
            sent.elapsed() < Duration::from_secs(2),
            "no reload within 2 s"
        );
        pause(Duration::from_millis(20));
        h.run();
    }
    h.state().reloaded().1.to_vec()
}

#[test]
fn another_desks_change_reloads_only_what_its_tables_feed() {
    i18n::set_lang(Lang::ZhCn);
    let Some(server) = PgServer::start() else {
        return;
    };
    let url = server.create_database("scoped_reload");
    let clock = common::clock();
    let mut phone_desk = Store::open(&url).unwrap();
    let mut h = common::harness(common::app(Store::open(&url).unwrap(), &clock));
    h.run();
    let deadline = Instant::now() + Duration::from_secs(5);
    while !h.state().store().watch().is_some_and(|w| w.listening()) {
        assert!(Instant::now() < deadline, "the watch listens");
        pause(Duration::from_millis(20));
        h.run();
    }
    h.run();
    // A call logged at the phone desk: the call list reloads, the board does not.
    phone_desk
        .write(|tx| {
            let call = CallDraft {
                rings: "2".into(),
                category: Some(Category::Tracking),
                content: "查询运单".into(),
                ..CallDraft::default()
            }
            .validate(clock.now(), None)?;
            calls::insert(tx, &call)
        })
        .unwrap();
    let reloaded = next_reload(&mut h);
    assert!(reloaded.contains(&"calls"), "{reloaded:?}");
    assert!(!reloaded.contains(&"board"), "{reloaded:?}");
    assert!(!reloaded.contains(&"claims"), "{reloaded:?}");
    assert!(!reloaded.contains(&"settings"), "{reloaded:?}");
    // A visitor registered there: the board reloads, the call list does not.
    phone_desk
        .write(|tx| visits::arrive(tx, clock.now(), None))
        .unwrap();
    let reloaded = next_reload(&mut h);
    assert!(reloaded.contains(&"board"), "{reloaded:?}");
    assert!(!reloaded.contains(&"calls"), "{reloaded:?}");
    assert!(!reloaded.contains(&"complaints"), "{reloaded:?}");
    assert!(h.query_all_by_label("今日来访 1").next().is_some());
}

#[test]
fn eight_desks_writing_at_once_lose_nothing_acknowledged() {
    const DESKS: usize = 8;
    const WRITES: usize = 500;
    let Some(server) = PgServer::start() else {
        return;
    };
    let url = server.create_database("busy");
    Store::open(&url).unwrap();
    let start = at("2026-11-23 09:00:00");
    let desks: Vec<_> = (0..DESKS)
        .map(|desk| {
            let url = url.clone();
            std::thread::spawn(move || {
                let mut store = Store::open(&url).unwrap();
                let mut acknowledged = Vec::new();
                let mut latencies = Vec::new();
                for i in 0..WRITES {
                    let now = start + chrono::Duration::seconds((desk * WRITES + i) as i64);
                    let began = Instant::now();
                    // A visit, a call, or a complaint with a handling step, in turn.
                    let written = match i % 3 {
                        0 => store
                            .write(|tx| visits::arrive(tx, now, None))
                            .map(|id| ("visit", id)),
                        1 => store
                            .write(|tx| {
                                let call = CallDraft {
                                    rings: "2".into(),
                                    category: Some(Category::Tracking),
                                    content: format!("desk {desk} call {i}"),
                                    ..CallDraft::default()
                                }
                                .validate(now, None)?;
                                calls::insert(tx, &call)
                            })
                            .map(|id| ("call", id)),
                        _ => store
                            .write(|tx| {
                                let draft = ComplaintDraft {
                                    channel: Some(Channel::Phone),
                                    customer_name: format!("客户{desk}-{i}"),
                                    category: "延误".into(),
                                    severity: Some(Severity::Ordinary),
                                    at_fault: Some(AtFault::Unknown),
                                    content: "晚到".into(),
                                    ..ComplaintDraft::default()
                                };
                                let id = complaints::create(tx, &draft, now, None)?;
                                complaints::add_handling(tx, id, "跟进", None, now, None)?;
                                Ok(id)
                            })
                            .map(|id| ("complaint", id)),
                    };
                    latencies.push(began.elapsed());
                    acknowledged.push(written.unwrap());
                }
                (acknowledged, latencies)
            })
        })
        .collect();
    let mut acknowledged = Vec::new();
    let mut latencies = Vec::new();
    for desk in desks {
        let (a, l) = desk.join().unwrap();
        acknowledged.extend(a);
        latencies.extend(l);
    }
    assert_eq!(acknowledged.len(), DESKS * WRITES);
    let store = Store::open(&url).unwrap();
    let db = store.db();
    for (kind, table) in [
        ("visit", "visits"),
        ("call", "calls"),
        ("complaint", "complaints"),
    ] {
        let mut ids: Vec<i64> = acknowledged
            .iter()
            .filter(|(k, _)| *k == kind)
            .map(|(_, id)| *id)
            .collect();
        let n = ids.len();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), n, "{kind} numbers are unique");
        let stored: Vec<i64> = db
            .query_map(
                &format!("SELECT id FROM {table} ORDER BY id"),
                db_params![],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(
            stored, ids,
            "every acknowledged {kind} is there, and nothing else"
        );
    }
    let events: i64 = db
        .query_value(
            "SELECT count(*) FROM complaint_events WHERE kind = 'handling'",
            db_params![],
        )
        .unwrap();
    assert_eq!(
        usize::try_from(events).unwrap(),
        acknowledged
            .iter()
            .filter(|(k, _)| *k == "complaint")
            .count()
    );
    assert!(store.check().unwrap().is_empty(), "{:?}", store.check());
    latencies.sort_unstable();
    let p95 = latencies[latencies.len() * 95 / 100];
    let p50 = latencies[latencies.len() / 2];
    // Reported, not asserted: timing belongs to the benchmarks.
    eprintln!(
        "{} writes by {DESKS} desks at once: p50 {:.1} ms, p95 {:.1} ms",
        latencies.len(),
        p50.as_secs_f64() * 1000.0,
        p95.as_secs_f64() * 1000.0
    );
}

#[test]
fn a_desk_connects_again_by_itself_after_the_server_restarts() {
    // As a real server keeps them: every commit on disk before it is acknowledged (the other
    // tests' servers skip that for speed).
    let Some(server) = PgServer::start_with(common::pg::Options {
        durable: true,
        ..common::pg::Options::default()
    }) else {
        return;
    };
    let url = server.create_database("restart");
    let clock = common::clock();
    let mut store = Store::open(&url).unwrap();
    let (woken, _wakes) = mpsc::channel();
    store.watch_changes(move || {
        let _ = woken.send(());
    });
    let mut acknowledged = Vec::new();
    for _ in 0..20 {
        acknowledged.push(
            store
                .write(|tx| visits::arrive(tx, clock.now(), None))
                .unwrap(),
        );
    }
    server.stop();
    // A save while the server is away fails with the message for it; nothing is half-written.
    let lost = store
        .write(|tx| visits::arrive(tx, clock.now(), None))
        .unwrap_err();
    assert!(
        lost.user_message().contains("连接已断开"),
        "{}",
        lost.user_message()
    );
    let deadline = Instant::now() + Duration::from_secs(10);
    while !store.offline() {
        assert!(Instant::now() < deadline, "the loss is noticed");
        pause(Duration::from_millis(50));
    }
    server.start_again();
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        if store.reconnect_if_needed().unwrap_or(false) {
            break;
        }
        assert!(Instant::now() < deadline, "connected again by itself");
        pause(Duration::from_millis(100));
    }
    let deadline = Instant::now() + Duration::from_secs(15);
    while store.offline() {
        assert!(Instant::now() < deadline, "the watch is back too");
        pause(Duration::from_millis(100));
    }
    let stored: Vec<i64> = store
        .db()
        .query_map("SELECT id FROM visits ORDER BY id", db_params![], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(stored, acknowledged, "every acknowledged visit survived");
    store
        .write(|tx| visits::arrive(tx, clock.now(), None))
        .unwrap();
    assert!(store.check().unwrap().is_empty());
}

#[test]
fn a_window_without_its_server_says_so_keeps_the_typed_call_and_saves_it_once_back() {
    i18n::set_lang(Lang::ZhCn);
    let Some(server) = PgServer::start_with(common::pg::Options {
        durable: true,
        ..common::pg::Options::default()
    }) else {
        return;
    };
    let url = server.create_database("window_offline");
    let clock = common::clock();
    let (store, _, _) = common::store_with_staff(std::path::Path::new(&url), &clock);
    let mut h = common::harness(common::app(store, &clock));
    h.run();
    h.get_by_label("客户到达").click();
    h.run();
    h.get_by_label("电话记录").click();
    h.run();
    h.get_by_label("响铃声数").focus();
    h.run();
    h.get_by_label("响铃声数").type_text("2");
    h.run();
    h.get_by_role_and_label(egui::accesskit::Role::RadioButton, "查询")
        .click();
    h.run();
    h.get_by_label("来电人").focus();
    h.run();
    h.get_by_label("来电人").type_text("王先生");
    h.get_by_label("来电内容").focus();
    h.run();
    h.get_by_label("来电内容")
        .type_text("查询运单 SD001 到哪了");
    h.run();

    server.stop();
    let deadline = Instant::now() + Duration::from_secs(10);
    while h
        .query_all_by_label_contains("正在自动重新连接")
        .next()
        .is_none()
    {
        assert!(Instant::now() < deadline, "the window shows the loss");
        pause(Duration::from_millis(50));
        h.run();
    }
    // Reading fails quietly beside the bar; a save says nothing was saved, the form stays.
    let shown = |h: &egui_kittest::Harness<'_, frontdesk::app::App>| {
        h.state()
            .message()
            .map(|m| m.text.clone())
            .unwrap_or_default()
    };
    assert!(!shown(&h).contains("未能保存"), "{}", shown(&h));
    h.get_by_label("保存来电").click();
    h.run();
    assert!(shown(&h).contains("未能保存"), "{}", shown(&h));
    assert_eq!(
        h.get_by_label("来电内容").value().as_deref(),
        Some("查询运单 SD001 到哪了")
    );
    // The greeting timer keeps running meanwhile.
    clock.advance_secs(30);
    h.run();
    h.get_by_label("今日接待").click();
    h.run();
    assert!(h.query_all_by_label("00:30").next().is_some());

    server.start_again();
    let deadline = Instant::now() + Duration::from_secs(20);
    while h.state().store().offline() {
        assert!(Instant::now() < deadline, "connected again by itself");
        pause(Duration::from_millis(100));
        h.run();
    }
    h.run();
    assert!(
        h.query_all_by_label_contains("正在自动重新连接")
            .next()
            .is_none()
    );
    h.get_by_label("电话记录").click();
    h.run();
    h.get_by_label("保存来电").click();
    h.run();
    let saved = calls::page(h.state().store().db(), &Default::default(), 0, 10).unwrap();
    assert_eq!(saved.len(), 1, "{}", shown(&h));
    assert_eq!(saved[0].content, "查询运单 SD001 到哪了");
}

#[test]
fn supervisors_see_which_desks_are_connected_and_who_is_signed_in() {
    i18n::set_lang(Lang::ZhCn);
    let Some(server) = PgServer::start() else {
        return;
    };
    let url = server.create_database("who");
    let clock = common::clock();
    let mut office = Store::open(&url).unwrap();
    common::add_supervisor(&mut office, &clock);
    // Another desk, nobody signed in there.
    let _reception = Store::open(&url).unwrap();
    let mut h = common::harness(common::app(office, &clock));
    h.run();
    h.get_by_label("设置").click();
    h.run();
    h.get_by_label("数据").click();
    h.run();
    assert!(
        h.query_all_by_label("主管登录后可查看哪些柜台正在使用")
            .next()
            .is_some()
    );
    h.state_mut()
        .login("wuhao", common::SUPERVISOR_PASSWORD)
        .unwrap();
    h.run();
    h.run();
    assert!(h.query_all_by_label("在线柜台").next().is_some());
    let pc = frontdesk::platform::pc_name();
    assert!(h.query_all_by_label(&pc).count() >= 2, "both desks' PC");
    let listed = h.state().store().desks().unwrap();
    assert!(
        h.query_all_by_label("吴昊").next().is_some(),
        "who is signed in: {listed:?}"
    );
    assert!(h.query_all_by_label("(未登录)").next().is_some());
    // The desk without a login is not shown the list, in the store either.
    let desk = Store::open(&url).unwrap();
    assert!(desk.desks().is_err());
}
