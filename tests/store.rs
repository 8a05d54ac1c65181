//! Store tests against real SQLite files in a temp dir.
#![allow(clippy::unwrap_used, reason = "test code: a panic is a failed test")]

mod common;

use chrono::Duration;
use frontdesk::clock::Clock as _;
use frontdesk::domain::customer::Honorific;
use frontdesk::domain::visit::RegistrationDraft;
use frontdesk::store::{
    self, APPLICATION_ID, SCHEMA_VERSION, Store, StoreError, customers, visits,
};
use rusqlite::Connection;

fn sha(path: &std::path::Path) -> Vec<u8> {
    std::fs::read(path).unwrap()
}

fn draft(surname: &str, phone: &str) -> RegistrationDraft {
    RegistrationDraft {
        surname: surname.into(),
        honorific: Some(Honorific::Mr),
        phone: phone.into(),
        company: "顺达贸易".into(),
        ..RegistrationDraft::default()
    }
}

#[test]
fn new_file_gets_our_id_version_and_pragmas() {
    let (_dir, path) = common::temp_db();
    let store = Store::open(&path).unwrap();
    let conn = store.sqlite().unwrap();
    let app_id: i32 = conn
        .pragma_query_value(None, "application_id", |r| r.get(0))
        .unwrap();
    let version: i32 = conn
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .unwrap();
    let journal: String = conn
        .pragma_query_value(None, "journal_mode", |r| r.get(0))
        .unwrap();
    let fk: bool = conn
        .pragma_query_value(None, "foreign_keys", |r| r.get(0))
        .unwrap();
    let trusted: bool = conn
        .pragma_query_value(None, "trusted_schema", |r| r.get(0))
        .unwrap();
    assert_eq!(app_id, APPLICATION_ID);
    assert_eq!(version, SCHEMA_VERSION);
    assert_eq!(journal, "wal");
    assert!(fk);
    assert!(!trusted);
    assert!(store.check().unwrap().is_empty());
    drop(store);
    // Opening again changes nothing and works.
    let again = Store::open(&path).unwrap();
    assert!(again.check().unwrap().is_empty());
}

/// Every earlier version's fixture (tests/fixtures/vN.sql) migrates to the current schema with
/// its rows intact.
#[test]
fn migrates_from_every_earlier_version_fixture() {
    let fixtures = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures");
    let mut tested = 0;
    for version in 1..=SCHEMA_VERSION {
        let sql = std::fs::read_to_string(format!("{fixtures}/v{version}.sql"))
            .unwrap_or_else(|_| panic!("fixture for schema version {version} is missing"));
        let (_dir, path) = common::temp_db();
        {
            let conn = Connection::open(&path).unwrap();
            conn.execute_batch(&sql).unwrap();
            let v: i32 = conn
                .pragma_query_value(None, "user_version", |r| r.get(0))
                .unwrap();
            assert_eq!(v, version);
        }
        let store = Store::open(&path).unwrap();
        let v: i32 = store
            .sqlite()
            .unwrap()
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .unwrap();
        assert_eq!(v, SCHEMA_VERSION);
        assert!(store.check().unwrap().is_empty(), "{:?}", store.check());
        let visit = visits::get(store.db(), 1).unwrap();
        assert_eq!(visit.surname, "王");
        assert_eq!(visit.greeting_latency_secs(), Some(20));
        assert_eq!(visit.party_size, 2);
        let customer = customers::get(store.db(), 1).unwrap();
        assert_eq!(customer.name, "王堃");
        assert_eq!(visits::present(store.db()).unwrap().len(), 1);
        // Version 10 indexed the visits already there for the history's text filter.
        let by_name = visits::HistoryFilter {
            text: "王堃".into(),
            ..Default::default()
        };
        assert_eq!(visits::count(store.db(), &by_name).unwrap(), 1);
        let settings = store::settings::load(store.db()).unwrap();
        assert_eq!(settings.operator_id, Some(1));
        // Version 2 brought calls and complaints: present from then on, empty before.
        let complaints: i64 = store
            .sqlite()
            .unwrap()
            .query_row("SELECT count(*) FROM complaints", [], |r| r.get(0))
            .unwrap();
        assert_eq!(complaints, i64::from(version >= 2));
        if version >= 2 {
            let c = frontdesk::store::complaints::get(store.db(), 1).unwrap();
            assert_eq!(c.history.len(), 2);
            assert_eq!(frontdesk::store::inbox::open_count(store.db()).unwrap(), 1);
        }
        assert!(
            !frontdesk::store::complaints::categories(store.db())
                .unwrap()
                .is_empty()
        );
        // Version 3 brought claims.
        let claims: i64 = store
            .sqlite()
            .unwrap()
            .query_row("SELECT count(*) FROM claims", [], |r| r.get(0))
            .unwrap();
        assert_eq!(claims, i64::from(version >= 3));
        if version >= 3 {
            let c = frontdesk::store::claims::get(store.db(), 1).unwrap();
            assert_eq!(c.party_amounts(c.agreed_fen.unwrap()), vec![60_001, 40_000]);
            assert_eq!(
                frontdesk::store::claims::files(store.db(), 1)
                    .unwrap()
                    .len(),
                1
            );
        }
        assert!(
            !frontdesk::store::claims::causes(store.db())
                .unwrap()
                .is_empty()
        );
        // Version 5 brought the search index, built on migration for older files.
        let found = frontdesk::store::customers::search(store.db(), "2345", 10).unwrap();
        assert_eq!(found.len(), 1, "v{version}: partial phone search");
        assert_eq!(
            frontdesk::store::customers::search(store.db(), "达贸", 10)
                .unwrap()
                .len(),
            1
        );
        tested += 1;
    }
    assert_eq!(tested, SCHEMA_VERSION);
}

#[test]
fn newer_database_is_refused_and_left_byte_identical() {
    let (_dir, path) = common::temp_db();
    drop(Store::open(&path).unwrap());
    {
        // A newer FrontDesk wrote the file (simulated from outside the store).
        let conn = Connection::open(&path).unwrap();
        conn.pragma_update(None, "user_version", SCHEMA_VERSION + 1)
            .unwrap();
        conn.pragma_update(None, "journal_mode", "DELETE").unwrap();
    }
    let before = sha(&path);
    let err = Store::open(&path).unwrap_err();
    assert!(
        matches!(err, StoreError::NewerSchema { found, .. } if found == SCHEMA_VERSION + 1),
        "{err:?}"
    );
    assert!(
        err.user_message().contains("更新版本"),
        "{}",
        err.user_message()
    );
    assert_eq!(sha(&path), before, "the file must not change");
    assert!(
        !path.with_extension("sqlite3-wal").exists(),
        "no WAL file may be created"
    );
}

#[test]
fn foreign_files_are_refused_untouched() {
    let (dir, _) = common::temp_db();
    // Another application's database.
    let other = dir.path().join("other.db");
    {
        let conn = Connection::open(&other).unwrap();
        conn.pragma_update(None, "application_id", 0x1234_5678)
            .unwrap();
        conn.execute_batch("CREATE TABLE t (x INTEGER)").unwrap();
    }
    let before = sha(&other);
    assert!(matches!(
        Store::open(&other).unwrap_err(),
        StoreError::ForeignFile {
            found: 0x1234_5678,
            ..
        }
    ));
    assert_eq!(sha(&other), before);
    // A plain SQLite file with tables but no application id.
    let plain = dir.path().join("plain.db");
    {
        let conn = Connection::open(&plain).unwrap();
        conn.execute_batch("CREATE TABLE notes (x TEXT)").unwrap();
    }
    let before = sha(&plain);
    assert!(matches!(
        Store::open(&plain).unwrap_err(),
        StoreError::ForeignFile { .. }
    ));
    assert_eq!(sha(&plain), before);
    // Not a database at all.
    let text = dir.path().join("notes.txt");
    std::fs::write(
        &text,
        "这不是数据库 not a database, just some text that is long enough to matter.\n".repeat(20),
    )
    .unwrap();
    let before = sha(&text);
    assert!(matches!(
        Store::open(&text).unwrap_err(),
        StoreError::ForeignFile { .. }
    ));
    assert_eq!(sha(&text), before);
}

#[test]
fn registration_archives_new_customers_and_recognises_returning_ones() {
    let (_dir, path) = common::temp_db();
    let clock = common::clock();
    let (mut store, li, _) = common::store_with_staff(&path, &clock);
    let now = clock.now();
    let reg = draft("王", "138 1234 5678").validate().unwrap();
    let first = store
        .write(|tx| visits::register(tx, None, &reg, now, Some(li)))
        .unwrap();
    let v = visits::get(store.db(), first).unwrap();
    assert!(!v.returning);
    assert_eq!(v.phone, "13812345678");
    assert_eq!(customers::count(store.db()).unwrap(), 1);
    let customer_id = v.customer_id.unwrap();

    // Suggestions while typing: phone prefix, phone tail, name.
    assert_eq!(customers::suggest(store.db(), "1381", 8).unwrap().len(), 1);
    assert_eq!(customers::suggest(store.db(), "5678", 8).unwrap().len(), 1);
    assert_eq!(customers::suggest(store.db(), "王", 8).unwrap().len(), 1);
    assert!(customers::suggest(store.db(), "139", 8).unwrap().is_empty());

    // Same phone again, typed differently: the same customer, a returning visit.
    clock.advance(Duration::days(1));
    let reg = draft("王", "13812345678").validate().unwrap();
    let second = store
        .write(|tx| visits::register(tx, None, &reg, clock.now(), Some(li)))
        .unwrap();
    let v = visits::get(store.db(), second).unwrap();
    assert!(v.returning);
    assert_eq!(v.customer_id, Some(customer_id));
    assert_eq!(customers::count(store.db()).unwrap(), 1);
}

/// An import writes many visits a statement and looks customers up many phones a query: each
/// row still links to the first customer archived with its phone, or to the one its first row
/// created, and every visit gets its log line.
#[test]
fn a_large_import_links_each_row_to_its_customer_and_logs_every_visit() {
    use frontdesk::domain::visit::ImportedVisit;
    let (_dir, path) = common::temp_db();
    let clock = common::clock();
    let (mut store, li, _) = common::store_with_staff(&path, &clock);
    let reg = draft("王", "13812345678").validate().unwrap();
    let known = store
        .write(|tx| visits::register(tx, None, &reg, clock.now(), Some(li)))
        .unwrap();
    let known = visits::get(store.db(), known).unwrap().customer_id.unwrap();
    let start = clock.now() - Duration::days(30);
    // 1,203 rows (three statements' worth) by 600 phones; the first phone is the archived one.
    let rows: Vec<ImportedVisit> = (0..1203)
        .map(|i| ImportedVisit {
            arrived_at: start + Duration::minutes(i),
            surname: "李".into(),
            honorific: Honorific::Ms,
            name: format!("李{i}"),
            phone: format!("1381234{:04}", 5678 + i % 600),
            company: "顺达贸易".into(),
            purpose: "提货".into(),
            party_size: 1,
            greeted_at: Some(start + Duration::minutes(i) + Duration::seconds(30)),
            water_served_at: None,
            departed_at: Some(start + Duration::minutes(i + 20)),
            travel_mode: None,
        })
        .collect();
    let n = store
        .write(|tx| visits::insert_imported(tx, &rows, clock.now(), "import"))
        .unwrap();
    assert_eq!(n, 1203);
    assert_eq!(customers::count(store.db()).unwrap(), 600);
    let conn = Connection::open(&path).unwrap();
    let links: Vec<(String, i64, bool, i64)> = {
        let mut stmt = conn
            .prepare(
                "SELECT v.phone, v.customer_id, v.is_returning,
                        (SELECT count(*) FROM visit_log l WHERE l.visit_id = v.id AND l.action = 'import')
                 FROM visits v WHERE v.source = 'import' ORDER BY v.arrived_at",
            )
            .unwrap();
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    };
    assert_eq!(links.len(), 1203);
    let mut first_of: std::collections::HashMap<String, i64> = std::collections::HashMap::new();
    for (i, (phone, customer, returning, logged)) in links.iter().enumerate() {
        assert_eq!(*logged, 1, "row {i} has one log line");
        let customer_phone: String = conn
            .query_row(
                "SELECT phone FROM customers WHERE id = ?1",
                [customer],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(&customer_phone, phone, "row {i}");
        match first_of.get(phone) {
            Some(c) => {
                assert_eq!(
                    customer, c,
                    "row {i}: the customer of the phone's first row"
                );
                assert!(returning, "row {i} comes back");
            }
            None => {
                if i == 0 {
                    assert_eq!(*customer, known, "the archived customer");
                    assert!(returning, "an archived customer comes back");
                } else {
                    assert!(!returning, "row {i} is the phone's first visit");
                }
                first_of.insert(phone.clone(), *customer);
            }
        }
    }
    drop(conn);
    assert_eq!(store.check().unwrap(), Vec::<String>::new());
}

#[test]
fn a_failed_write_leaves_nothing_behind() {
    let (_dir, path) = common::temp_db();
    let clock = common::clock();
    let (mut store, li, _) = common::store_with_staff(&path, &clock);
    let generation = store.generation();
    let result = store.write(|tx| {
        visits::arrive(tx, clock.now(), Some(li))?;
        // Greeting someone who does not exist fails inside the same transaction.
        visits::change(tx, 999, clock.now(), Some(li), "greet", "", |v| {
            v.greet(Some(li), clock.now())
        })
    });
    assert!(matches!(result, Err(StoreError::NotFound)));
    assert!(
        visits::present(store.db()).unwrap().is_empty(),
        "the arrival must be rolled back"
    );
    assert_eq!(store.generation(), generation);
}

#[test]
fn visit_log_is_append_only_and_cancel_keeps_the_record() {
    let (_dir, path) = common::temp_db();
    let clock = common::clock();
    let (mut store, li, _) = common::store_with_staff(&path, &clock);
    let id = store
        .write(|tx| visits::arrive(tx, clock.now(), Some(li)))
        .unwrap();
    store
        .write(|tx| {
            visits::change(tx, id, clock.now(), Some(li), "cancel", "误点", |v| {
                v.cancel("误点", clock.now())
            })
        })
        .unwrap();
    let v = visits::get(store.db(), id).unwrap();
    assert_eq!(v.cancel_reason, "误点");
    assert!(visits::present(store.db()).unwrap().is_empty());
    let log = visits::log_of(store.db(), id).unwrap();
    assert_eq!(
        log.iter().map(|e| e.action.as_str()).collect::<Vec<_>>(),
        ["arrive", "cancel"]
    );
    let tampered = store
        .sqlite()
        .unwrap()
        .execute("UPDATE visit_log SET detail = 'x'", []);
    assert!(tampered.is_err());
    let deleted = store.sqlite().unwrap().execute("DELETE FROM visit_log", []);
    assert!(deleted.is_err());
}

/// The reception report read from the store counts a departure as seen off with the checklist
/// only when every point was ticked: one point left out, a visitor still in the building, a
/// cancelled visit and an imported departure (which carries no checklist) do not count.
#[test]
fn seen_off_with_an_incomplete_checklist_does_not_count() {
    use frontdesk::domain::visit::{ImportedVisit, SeeOffChecklist, TravelMode};
    let (_dir, path) = common::temp_db();
    let clock = common::clock();
    let (mut store, li, _) = common::store_with_staff(&path, &clock);
    let whole = SeeOffChecklist {
        offered_accompany: true,
        travel_mode: Some(TravelMode::OwnCar),
        reminded_belongings: true,
        reminded_documents: true,
        reminded_next_contact: true,
    };
    let checklists = [
        Some(whole.clone()),
        Some(SeeOffChecklist {
            reminded_documents: false,
            ..whole.clone()
        }),
        Some(SeeOffChecklist {
            travel_mode: None,
            ..whole.clone()
        }),
        None,
        Some(whole.clone()),
    ];
    let mut ids = Vec::new();
    for checklist in &checklists {
        let id = store
            .write(|tx| visits::arrive(tx, clock.now(), Some(li)))
            .unwrap();
        clock.advance_secs(600);
        if let Some(c) = checklist {
            store
                .write(|tx| {
                    visits::change(tx, id, clock.now(), Some(li), "depart", "", |v| {
                        v.depart(c, Some(li), clock.now())
                    })
                })
                .unwrap();
        }
        ids.push(id);
    }
    // The last one, seen off properly, turns out to have been entered by mistake.
    store
        .write(|tx| {
            visits::change(tx, ids[4], clock.now(), Some(li), "cancel", "重复", |v| {
                v.cancel("重复", clock.now())
            })
        })
        .unwrap();
    let imported = ImportedVisit {
        arrived_at: clock.now(),
        surname: "王".into(),
        honorific: Honorific::Mr,
        name: String::new(),
        phone: String::new(),
        company: String::new(),
        purpose: String::new(),
        party_size: 1,
        greeted_at: None,
        water_served_at: None,
        departed_at: Some(clock.now() + Duration::minutes(30)),
        travel_mode: Some(TravelMode::Taxi),
    };
    store
        .write(|tx| visits::insert_imported(tx, &[imported], clock.now(), "import"))
        .unwrap();
    let saved = visits::get(store.db(), ids[1]).unwrap();
    assert!(saved.departed_at.is_some() && !saved.reminded_documents);
    assert!(!saved.seen_off_with_checklist());
    assert!(
        visits::get(store.db(), ids[0])
            .unwrap()
            .seen_off_with_checklist()
    );

    let today = clock.now().date();
    let midnight = |d: chrono::NaiveDate| d.and_hms_opt(0, 0, 0).unwrap();
    let rows = frontdesk::report::reception::build_streamed(today, today, 60, |add| {
        visits::times_between(
            store.db(),
            midnight(today),
            midnight(today + Duration::days(1)),
            add,
        )
    })
    .unwrap();
    let day = &rows[0];
    assert_eq!(day.visits, 5, "the cancelled visit is not counted");
    assert_eq!(day.seen_off, 4, "three at the desk, one imported");
    assert_eq!(day.seen_off_checklist, 1, "only the whole checklist counts");
    assert_eq!(day.seen_off_checklist_pct, Some(25.0), "of the departures");
    assert_eq!(rows[1].seen_off_checklist, 1, "the total row");
}

#[test]
fn corrections_record_what_changed_and_why() {
    let (_dir, path) = common::temp_db();
    let clock = common::clock();
    let (mut store, li, _) = common::store_with_staff(&path, &clock);
    let reg = draft("黄", "13900001111").validate().unwrap();
    let id = store
        .write(|tx| visits::register(tx, None, &reg, clock.now(), Some(li)))
        .unwrap();
    let fixed = draft("王", "13900001111").validate().unwrap();
    let no_reason = store.write(|tx| visits::correct(tx, id, &fixed, " ", clock.now(), Some(li)));
    assert!(no_reason.is_err());
    store
        .write(|tx| visits::correct(tx, id, &fixed, "听错姓氏", clock.now(), Some(li)))
        .unwrap();
    assert_eq!(visits::get(store.db(), id).unwrap().surname, "王");
    let log = visits::log_of(store.db(), id).unwrap();
    let last = log.last().unwrap();
    assert_eq!(last.action, "correct");
    assert!(
        last.detail.contains("听错姓氏") && last.detail.contains("surname: 黄 → 王"),
        "{}",
        last.detail
    );
}

#[test]
fn history_paging_and_filters() {
    let (_dir, path) = common::temp_db();
    let clock = common::clock();
    let (mut store, li, _) = common::store_with_staff(&path, &clock);
    store
        .write(|tx| {
            for i in 0..120 {
                visits::arrive(tx, clock.now() + Duration::minutes(i), Some(li))?;
            }
            Ok(())
        })
        .unwrap();
    let all = visits::HistoryFilter::default();
    assert_eq!(visits::count(store.db(), &all).unwrap(), 120);
    let page = visits::page(store.db(), &all, 50, 50).unwrap();
    assert_eq!(page.len(), 50);
    assert!(page[0].arrived_at > page[49].arrived_at, "newest first");
    let morning = visits::HistoryFilter {
        to: Some(clock.now() + Duration::minutes(30)),
        ..Default::default()
    };
    assert_eq!(visits::count(store.db(), &morning).unwrap(), 30);
}

#[test]
fn settings_round_trip_and_are_validated() {
    let (_dir, path) = common::temp_db();
    let mut store = Store::open(&path).unwrap();
    let mut s = store::settings::load(store.db()).unwrap();
    assert_eq!(s.rules.greeting_limit_secs, 60);
    assert_eq!(s.rules.greeting_warn_secs, 45);
    assert_eq!(s.rules.water_limit_secs, 300);
    s.rules.greeting_limit_secs = 90;
    s.company_name = "顺达物流".into();
    s.lang = frontdesk::i18n::Lang::En;
    store.write(|tx| store::settings::save(tx, &s)).unwrap();
    assert_eq!(store::settings::load(store.db()).unwrap(), s);
    s.rules.greeting_warn_secs = 100;
    assert!(store.write(|tx| store::settings::save(tx, &s)).is_err());
}

mod complaints_and_calls {
    use chrono::Duration;
    use frontdesk::clock::Clock as _;
    use frontdesk::domain::call::{CallDraft, Callback, Category};
    use frontdesk::domain::complaint::{
        AtFault, Channel, ComplaintDraft, ReplyChannel, Satisfaction, Severity, Status,
    };
    use frontdesk::store::{callbacks, calls, complaints, inbox};

    use super::common;

    fn draft(severity: Severity) -> ComplaintDraft {
        ComplaintDraft {
            channel: Some(Channel::Phone),
            customer_name: "王先生".into(),
            phone: "13812345678".into(),
            category: "货物破损".into(),
            severity: Some(severity),
            at_fault: Some(AtFault::Unknown),
            content: "外箱破损,要求赔偿".into(),
            ..ComplaintDraft::default()
        }
    }

    /// The monthly report's complaints per category are counted in SQL, in the order each
    /// category first came up — as counting the month's complaints one by one gives.
    #[test]
    fn complaints_per_category_count_in_the_order_each_first_came_up() {
        let (_dir, path) = common::temp_db();
        let clock = common::clock();
        let (mut store, li, _) = common::store_with_staff(&path, &clock);
        let from = clock.now();
        for category in ["延误", "货物破损", "延误", "服务态度", "货物破损", "延误"]
        {
            let d = ComplaintDraft {
                category: category.into(),
                ..draft(Severity::Ordinary)
            };
            store
                .write(|tx| complaints::create(tx, &d, clock.now(), Some(li)))
                .unwrap();
            clock.advance_secs(60);
        }
        let to = clock.now();
        let counted = complaints::count_by_category(store.db(), from, to).unwrap();
        let mut by_hand: Vec<(String, i64)> = Vec::new();
        for c in complaints::received_between(store.db(), from, to).unwrap() {
            match by_hand.iter_mut().find(|(k, _)| *k == c.category) {
                Some((_, n)) => *n += 1,
                None => by_hand.push((c.category.clone(), 1)),
            }
        }
        assert_eq!(counted, by_hand);
        assert_eq!(
            counted,
            vec![
                ("延误".to_owned(), 3),
                ("货物破损".to_owned(), 2),
                ("服务态度".to_owned(), 1)
            ]
        );
    }

    #[test]
    fn timeline_is_append_only_and_status_changes_are_dated_and_attributed() {
        let (_dir, path) = common::temp_db();
        let clock = common::clock();
        let (mut store, li, zhang) = common::store_with_staff(&path, &clock);
        let id = store
            .write(|tx| complaints::create(tx, &draft(Severity::Ordinary), clock.now(), Some(li)))
            .unwrap();
        clock.advance_secs(600);
        store
            .write(|tx| complaints::clarify(tx, id, "12 箱破损", clock.now(), Some(li)))
            .unwrap();
        clock.advance_secs(600);
        let promise = clock.now() + Duration::hours(4);
        store
            .write(|tx| {
                complaints::add_handling(
                    tx,
                    id,
                    "联系分公司",
                    Some(promise),
                    clock.now(),
                    Some(zhang),
                )
            })
            .unwrap();
        clock.advance_secs(600);
        store
            .write(|tx| {
                complaints::add_reply(
                    tx,
                    id,
                    ReplyChannel::Phone,
                    "赔偿方案已告知",
                    true,
                    clock.now(),
                    Some(li),
                )
            })
            .unwrap();
        // Closing needs a satisfaction rating.
        assert!(
            store
                .write(|tx| complaints::set_status(
                    tx,
                    id,
                    Status::Closed,
                    None,
                    "",
                    clock.now(),
                    Some(li)
                ))
                .is_err()
        );
        store
            .write(|tx| {
                complaints::set_status(
                    tx,
                    id,
                    Status::Closed,
                    Some(Satisfaction::Basic),
                    "",
                    clock.now(),
                    Some(li),
                )
            })
            .unwrap();
        let c = complaints::get(store.db(), id).unwrap();
        assert_eq!(c.status(), Status::Closed);
        assert_eq!(c.satisfaction, Some(Satisfaction::Basic));
        assert_eq!(c.next_reply_at, None, "a reply fulfils the promise");
        let statuses: Vec<Status> = c.history.iter().map(|(_, s)| *s).collect();
        assert_eq!(
            statuses,
            [
                Status::Received,
                Status::InProgress,
                Status::Replied,
                Status::Closed
            ]
        );
        let events = complaints::events(store.db(), id).unwrap();
        let kinds: Vec<&str> = events.iter().map(|e| e.kind.as_str()).collect();
        assert_eq!(
            kinds,
            [
                "status",
                "status",
                "clarified",
                "handling",
                "reply",
                "status",
                "status"
            ]
        );
        assert_eq!(events[3].staff_id, Some(zhang));
        assert_eq!(events[3].next_reply_at, Some(promise));
        assert!(
            store
                .sqlite()
                .unwrap()
                .execute("UPDATE complaint_events SET detail = 'x'", [])
                .is_err()
        );
        assert!(
            store
                .sqlite()
                .unwrap()
                .execute("DELETE FROM complaint_events", [])
                .is_err()
        );
        // Reopening is recorded too.
        store
            .write(|tx| {
                complaints::set_status(
                    tx,
                    id,
                    Status::InProgress,
                    None,
                    "客户再次来电",
                    clock.now(),
                    Some(li),
                )
            })
            .unwrap();
        let last = complaints::events(store.db(), id).unwrap().pop().unwrap();
        assert!(last.detail.contains("重新打开"), "{}", last.detail);
    }

    #[test]
    fn major_complaints_and_escalated_calls_reach_the_inbox_until_acknowledged() {
        let (_dir, path) = common::temp_db();
        let clock = common::clock();
        let (mut store, li, zhang) = common::store_with_staff(&path, &clock);
        store
            .write(|tx| complaints::create(tx, &draft(Severity::Ordinary), clock.now(), Some(li)))
            .unwrap();
        assert_eq!(inbox::open_count(store.db()).unwrap(), 0);
        let major = store
            .write(|tx| complaints::create(tx, &draft(Severity::Major), clock.now(), Some(li)))
            .unwrap();
        assert_eq!(inbox::open_count(store.db()).unwrap(), 1);
        let call = CallDraft {
            rings: "2".into(),
            category: Some(Category::Other),
            content: "要求见经理".into(),
            escalated: true,
            ..CallDraft::default()
        }
        .validate(clock.now(), Some(li))
        .unwrap();
        store.write(|tx| calls::insert(tx, &call)).unwrap();
        let items = inbox::list(store.db()).unwrap();
        assert_eq!(items.len(), 2);
        assert_eq!(items[0].ref_id, major);
        store
            .write(|tx| inbox::acknowledge(tx, items[0].id, Some(zhang), clock.now()))
            .unwrap();
        assert_eq!(inbox::open_count(store.db()).unwrap(), 1);
        let acked = inbox::list(store.db())
            .unwrap()
            .into_iter()
            .find(|i| i.id == items[0].id)
            .unwrap();
        assert_eq!(acked.acknowledged_by, Some(zhang));
        assert!(
            store
                .write(|tx| inbox::acknowledge(tx, items[0].id, Some(li), clock.now()))
                .is_err(),
            "once"
        );
        // An ordinary complaint reclassified as major goes to the inbox as well.
        let ordinary = complaints::received_between(
            store.db(),
            clock.now(),
            clock.now() + Duration::seconds(1),
        )
        .unwrap()[0]
            .id;
        store
            .write(|tx| {
                complaints::classify(
                    tx,
                    ordinary,
                    "延误",
                    Severity::Major,
                    AtFault::Yes,
                    clock.now(),
                    Some(li),
                )
            })
            .unwrap();
        assert_eq!(inbox::open_count(store.db()).unwrap(), 2);
    }

    /// The answering speed per day comes from one grouped read: a call at midnight belongs to
    /// the day it starts, each day's counts are that day's per-staff counts added up, the calls
    /// outside the period are left out, and the days without calls are filled with zeros.
    #[test]
    fn rings_are_counted_per_day_in_one_grouped_read() {
        let (_dir, path) = common::temp_db();
        let clock = common::clock();
        let (mut store, li, zhang) = common::store_with_staff(&path, &clock);
        let at = |s: &str| chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S").unwrap();
        // (when, rings, apology said, who)
        let made = [
            ("2026-11-22 23:59:59", 1, None, li), // the day before the period
            ("2026-11-23 00:00:00", 2, None, li),
            ("2026-11-23 09:00:00", 4, None, zhang),
            ("2026-11-23 09:30:00", 6, Some(true), li),
            ("2026-11-23 23:59:59", 8, Some(false), zhang),
            ("2026-11-25 10:00:00", 3, None, li),
            ("2026-11-25 11:00:00", 1, None, zhang),
            ("2026-11-26 00:00:00", 2, None, li), // the day after the period
        ];
        store
            .write(|tx| {
                for (when, rings, apology_said, who) in made {
                    let call = frontdesk::domain::call::Call {
                        rings,
                        apology_said,
                        ..common::tracking_call(at(when), "王先生", who)
                    };
                    calls::insert(tx, &call)?;
                }
                Ok(())
            })
            .unwrap();
        let (from, to) = (at("2026-11-23 00:00:00"), at("2026-11-26 00:00:00"));
        let per_day = calls::rings_per_day(store.db(), from, to).unwrap();
        let days: Vec<_> = per_day
            .iter()
            .map(|d| {
                let r = d.rings;
                (
                    d.day.to_string(),
                    r.within_2,
                    r.within_5,
                    r.over_5,
                    r.over_5_apologised,
                )
            })
            .collect();
        assert_eq!(
            days,
            [
                ("2026-11-23".to_owned(), 1, 1, 2, 1),
                ("2026-11-25".to_owned(), 1, 1, 0, 0),
            ]
        );
        for d in &per_day {
            let start = d.day.and_hms_opt(0, 0, 0).unwrap();
            let staff = calls::rings_between(store.db(), start, start + Duration::days(1)).unwrap();
            assert_eq!(d.rings, calls::Rings::total(&staff), "{}", d.day);
        }
        assert_eq!(per_day[0].rings.pct(per_day[0].rings.within_2), Some(25.0));
        let week = calls::DayRings::each_day(&per_day, from.date(), 7);
        assert_eq!(week.len(), 7);
        assert_eq!(week[0], per_day[0]);
        assert_eq!(week[1].day, from.date() + Duration::days(1));
        assert_eq!(week[1].rings.calls(), 0, "no calls: zeros");
        assert_eq!(week[1].rings.pct(week[1].rings.within_2), None);
        assert_eq!(week[2], per_day[1]);
        assert_eq!(week[6].day.to_string(), "2026-11-29");
        assert_eq!(
            week.iter().map(|d| d.rings.calls()).sum::<i64>(),
            6,
            "the calls of the period"
        );
    }

    #[test]
    fn a_call_becomes_a_complaint_and_callbacks_fall_due() {
        let (_dir, path) = common::temp_db();
        let clock = common::clock();
        let (mut store, li, _) = common::store_with_staff(&path, &clock);
        let call = CallDraft {
            rings: "6".into(),
            apology_said: true,
            caller_name: "王先生".into(),
            phone: "13812345678".into(),
            category: Some(Category::Complaint),
            content: "送货晚了三天".into(),
            ..CallDraft::default()
        }
        .validate(clock.now(), Some(li))
        .unwrap();
        let call_id = store.write(|tx| calls::insert(tx, &call)).unwrap();
        let d = ComplaintDraft {
            call_id: Some(call_id),
            ..draft(Severity::Ordinary)
        };
        let complaint = store
            .write(|tx| complaints::create(tx, &d, clock.now(), Some(li)))
            .unwrap();
        let saved = calls::get(store.db(), call_id).unwrap();
        assert_eq!(saved.complaint_id, Some(complaint));
        assert_eq!(saved.apology_said, Some(true));
        let cb = Callback {
            due: clock.now().date() + Duration::days(1),
            name: "王先生".into(),
            call_id: Some(call_id),
            ..Callback::default()
        };
        let past = Callback {
            due: clock.now().date() - Duration::days(1),
            ..cb.clone()
        };
        assert!(
            store
                .write(|tx| callbacks::schedule(tx, &past, clock.now(), Some(li)))
                .is_err()
        );
        let id = store
            .write(|tx| callbacks::schedule(tx, &cb, clock.now(), Some(li)))
            .unwrap();
        assert!(
            callbacks::open_until(store.db(), clock.now().date())
                .unwrap()
                .is_empty()
        );
        assert_eq!(
            callbacks::open_until(store.db(), clock.now().date() + Duration::days(1))
                .unwrap()
                .len(),
            1
        );
        assert!(
            store
                .write(|tx| callbacks::complete(tx, id, &Default::default(), clock.now(), Some(li)))
                .is_err()
        );
        store
            .write(|tx| {
                let result = frontdesk::domain::call::CallbackResult {
                    quality: Some(Satisfaction::Satisfied),
                    usage: "每周发货".into(),
                    satisfaction: Some(Satisfaction::Satisfied),
                    notes: String::new(),
                    staff_feedback: String::new(),
                };
                callbacks::complete(tx, id, &result, clock.now(), Some(li))
            })
            .unwrap();
        assert!(
            callbacks::open_until(store.db(), clock.now().date() + Duration::days(9))
                .unwrap()
                .is_empty()
        );
    }
}

mod claims {
    use frontdesk::clock::Clock as _;
    use frontdesk::domain::claim::{ClaimDraft, ClaimStatus, ClaimType, Party, PartyRole};
    use frontdesk::store::claims;

    use super::common;

    fn png() -> Vec<u8> {
        let img =
            image::RgbImage::from_fn(64, 48, |x, y| image::Rgb([x as u8 * 3, y as u8 * 5, 90]));
        let mut out = std::io::Cursor::new(Vec::new());
        img.write_to(&mut out, image::ImageFormat::Png).unwrap();
        out.into_inner()
    }

    fn new_claim(store: &mut frontdesk::store::Store, clock: &frontdesk::clock::FakeClock) -> i64 {
        let claim = ClaimDraft {
            waybill: "SD001".into(),
            customer_name: "王先生".into(),
            incident_date: "2026-11-20".into(),
            claim_type: Some(ClaimType::Damage),
            cause: "装卸不当".into(),
            description: "外箱破损".into(),
            claimed: "1500".into(),
            ..ClaimDraft::default()
        }
        .validate(clock.now())
        .unwrap();
        store.write(|tx| claims::create(tx, &claim, None)).unwrap()
    }

    /// A call or a complaint becomes one claim: the second is refused, naming the first.
    #[test]
    fn a_call_or_a_complaint_becomes_at_most_one_claim() {
        use frontdesk::domain::DomainError;
        use frontdesk::domain::call::{CallDraft, Category};
        use frontdesk::domain::complaint::{AtFault, Channel, ComplaintDraft, Severity};
        use frontdesk::store::{StoreError, calls, complaints};
        frontdesk::i18n::set_lang(frontdesk::i18n::Lang::ZhCn);
        let (_dir, path) = common::temp_db();
        let clock = common::clock();
        let (mut store, li, _) = common::store_with_staff(&path, &clock);
        let call = CallDraft {
            rings: "2".into(),
            caller_name: "王先生".into(),
            phone: "13812345678".into(),
            category: Some(Category::Claim),
            content: "货物破损要求赔偿".into(),
            ..CallDraft::default()
        }
        .validate(clock.now(), Some(li))
        .unwrap();
        let call_id = store.write(|tx| calls::insert(tx, &call)).unwrap();
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
        let complaint_id = store
            .write(|tx| complaints::create(tx, &complaint, clock.now(), Some(li)))
            .unwrap();
        let claim = |call_id: Option<i64>, complaint_id: Option<i64>| {
            ClaimDraft {
                waybill: "SD001".into(),
                customer_name: "王先生".into(),
                incident_date: "2026-11-20".into(),
                claim_type: Some(ClaimType::Damage),
                cause: "装卸不当".into(),
                description: "外箱破损".into(),
                claimed: "1500".into(),
                call_id,
                complaint_id,
                ..ClaimDraft::default()
            }
            .validate(clock.now())
            .unwrap()
        };
        let count = |store: &frontdesk::store::Store| -> i64 {
            store
                .sqlite()
                .unwrap()
                .query_row("SELECT count(*) FROM claims", [], |r| r.get(0))
                .unwrap()
        };

        let first = store
            .write(|tx| claims::create(tx, &claim(Some(call_id), None), Some(li)))
            .unwrap();
        assert_eq!(
            claims::claim_for_call(store.db(), call_id).unwrap(),
            Some(first)
        );
        let of_calls = claims::claims_for_calls(store.db(), &[call_id, call_id + 1000]).unwrap();
        assert_eq!(
            of_calls,
            std::collections::HashMap::from([(call_id, first)])
        );
        let again = store
            .write(|tx| claims::create(tx, &claim(Some(call_id), None), Some(li)))
            .unwrap_err();
        assert!(
            matches!(again, StoreError::Domain(DomainError::AlreadyDone { id, .. }) if id == first),
            "{again:?}"
        );
        assert!(
            again.user_message().contains(&format!("理赔 #{first}")),
            "{}",
            again.user_message()
        );
        assert_eq!(count(&store), 1, "nothing written");

        let from_complaint = store
            .write(|tx| claims::create(tx, &claim(None, Some(complaint_id)), Some(li)))
            .unwrap();
        assert_eq!(
            claims::claim_for_complaint(store.db(), complaint_id).unwrap(),
            Some(from_complaint)
        );
        let again = store
            .write(|tx| claims::create(tx, &claim(None, Some(complaint_id)), Some(li)))
            .unwrap_err();
        assert!(
            again.user_message().contains(&format!("#{from_complaint}")),
            "{}",
            again.user_message()
        );
        assert_eq!(count(&store), 2);

        // Claims reported directly are not limited.
        for _ in 0..2 {
            store
                .write(|tx| claims::create(tx, &claim(None, None), Some(li)))
                .unwrap();
        }
        assert_eq!(count(&store), 4);
    }

    #[test]
    fn evidence_round_trips_byte_identical_and_bad_files_are_refused() {
        let (_dir, path) = common::temp_db();
        let clock = common::clock();
        let (mut store, li, _) = common::store_with_staff(&path, &clock);
        let id = new_claim(&mut store, &clock);
        let photo = png();
        let file = store
            .write(|tx| claims::add_file(tx, id, "现场.png", &photo, clock.now(), Some(li)))
            .unwrap();
        assert_eq!(claims::file_data(store.db(), file).unwrap(), photo);
        let pdf = b"%PDF-1.7\nsome document".to_vec();
        let doc = store
            .write(|tx| claims::add_file(tx, id, "单据.pdf", &pdf, clock.now(), Some(li)))
            .unwrap();
        assert_eq!(claims::file_data(store.db(), doc).unwrap(), pdf);
        assert!(
            store
                .write(|tx| claims::add_file(tx, id, "x.txt", b"hello", clock.now(), Some(li)))
                .is_err()
        );
        let mut broken = photo.clone();
        broken.truncate(40);
        assert!(
            store
                .write(|tx| claims::add_file(tx, id, "坏.png", &broken, clock.now(), Some(li)))
                .is_err()
        );
        assert_eq!(claims::files(store.db(), id).unwrap().len(), 2);
    }

    #[test]
    fn money_and_shares_are_integer_columns() {
        let (_dir, path) = common::temp_db();
        let clock = common::clock();
        let (mut store, _, _) = common::store_with_staff(&path, &clock);
        let id = new_claim(&mut store, &clock);
        let mut stmt = store
            .sqlite()
            .unwrap()
            .prepare("SELECT name, type FROM pragma_table_info(?1)")
            .unwrap();
        for (table, columns) in [
            (
                "claims",
                &["claimed_fen", "agreed_fen", "paid_fen", "recovered_fen"][..],
            ),
            ("claim_parties", &["share_bp"][..]),
        ] {
            let types: Vec<(String, String)> = stmt
                .query_map([table], |r| Ok((r.get(0)?, r.get(1)?)))
                .unwrap()
                .map(Result::unwrap)
                .collect();
            for col in columns {
                let ty = &types.iter().find(|(n, _)| n == col).unwrap().1;
                assert_eq!(ty, "INTEGER", "{table}.{col}");
            }
        }
        let stored: String = store
            .sqlite()
            .unwrap()
            .query_row(
                "SELECT typeof(claimed_fen) FROM claims WHERE id = ?1",
                [id],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(stored, "integer");
        // STRICT tables refuse a real number in a money column.
        assert!(
            store
                .sqlite()
                .unwrap()
                .execute("UPDATE claims SET claimed_fen = 1.5 WHERE id = ?1", [id])
                .is_err()
        );
    }

    #[test]
    fn the_workflow_is_enforced_and_every_step_is_on_the_timeline() {
        let (_dir, path) = common::temp_db();
        let clock = common::clock();
        let (mut store, li, zhang) = common::store_with_staff(&path, &clock);
        let id = new_claim(&mut store, &clock);
        let now = clock.now();
        assert!(
            store
                .write(|tx| claims::move_status(tx, id, ClaimStatus::Paid, "", now, Some(li)))
                .is_err()
        );
        store
            .write(|tx| claims::move_status(tx, id, ClaimStatus::Investigating, "", now, Some(li)))
            .unwrap();
        let parties = vec![
            Party {
                staff_id: Some(zhang),
                name: "张伟".into(),
                role: Some(PartyRole::Driver),
                share_bp: 6000,
                ..Party::default()
            },
            Party {
                name: "上海分公司".into(),
                role: Some(PartyRole::Branch),
                share_bp: 3000,
                ..Party::default()
            },
        ];
        store
            .write(|tx| claims::set_parties(tx, id, &parties, now, Some(li)))
            .unwrap();
        assert!(
            store
                .write(|tx| claims::move_status(
                    tx,
                    id,
                    ClaimStatus::LiabilitySet,
                    "",
                    now,
                    Some(li)
                ))
                .is_err(),
            "90 %"
        );
        let mut fixed = parties.clone();
        fixed[1].share_bp = 4000;
        store
            .write(|tx| claims::set_parties(tx, id, &fixed, now, Some(li)))
            .unwrap();
        store
            .write(|tx| claims::move_status(tx, id, ClaimStatus::LiabilitySet, "", now, Some(li)))
            .unwrap();
        assert!(
            store
                .write(|tx| claims::set_parties(tx, id, &fixed, now, Some(li)))
                .is_err(),
            "locked once set"
        );
        assert!(
            store
                .write(|tx| claims::set_money(tx, id, None, Some(100), now, Some(li)))
                .is_err(),
            "no payment before agreeing"
        );
        store
            .write(|tx| claims::set_money(tx, id, Some(100_001), None, now, Some(li)))
            .unwrap();
        store
            .write(|tx| claims::move_status(tx, id, ClaimStatus::Agreed, "", now, Some(li)))
            .unwrap();
        store
            .write(|tx| claims::set_money(tx, id, None, Some(100_001), now, Some(li)))
            .unwrap();
        store
            .write(|tx| claims::move_status(tx, id, ClaimStatus::Paid, "", now, Some(li)))
            .unwrap();
        let c = claims::get(store.db(), id).unwrap();
        assert_eq!(c.party_amounts(c.agreed_fen.unwrap()), vec![60_001, 40_000]);
        store
            .write(|tx| claims::notify_party(tx, c.parties[0].id, now.date(), now, Some(li)))
            .unwrap();
        store
            .write(|tx| claims::move_status(tx, id, ClaimStatus::Closed, "", now, Some(li)))
            .unwrap();
        let kinds: Vec<String> = claims::events(store.db(), id)
            .unwrap()
            .into_iter()
            .map(|e| e.kind)
            .collect();
        assert_eq!(
            kinds,
            [
                "status", "status", "parties", "parties", "status", "money", "status", "money",
                "status", "notified", "status"
            ]
        );
        assert!(
            store
                .sqlite()
                .unwrap()
                .execute("DELETE FROM claim_events", [])
                .is_err()
        );
        assert!(
            store
                .sqlite()
                .unwrap()
                .execute("UPDATE claim_events SET detail = ''", [])
                .is_err()
        );
    }
}

mod accounts_and_audit {
    use chrono::Duration;
    use frontdesk::clock::Clock as _;
    use frontdesk::domain::account::{AccountRole, Action, Actor, allowed};
    use frontdesk::store::{StoreError, accounts, audit};

    use super::common;

    #[test]
    fn argon2id_parameters_are_read_back_from_the_stored_hash() {
        let (_dir, path) = common::temp_db();
        let clock = common::clock();
        let (mut store, _, _) = common::store_with_staff(&path, &clock);
        common::add_supervisor(&mut store, &clock);
        let phc = accounts::password_hash_of(store.db(), "wuhao").unwrap();
        assert!(phc.starts_with("$argon2id$v=19$"), "{phc}");
        let params = phc.split('$').nth(3).unwrap();
        let get = |k: &str| -> u32 {
            params
                .split(',')
                .find_map(|p| p.strip_prefix(&format!("{k}=")))
                .unwrap()
                .parse()
                .unwrap()
        };
        assert!(get("m") >= 19_456, "m = {}", get("m"));
        assert!(get("t") >= 2);
        assert!(get("p") >= 1);
        assert!(!phc.contains(common::SUPERVISOR_PASSWORD));
    }

    fn wuhao(store: &frontdesk::store::Store) -> accounts::Account {
        accounts::list(store.db())
            .unwrap()
            .into_iter()
            .find(|a| a.username == "wuhao")
            .unwrap()
    }

    /// The refusal as (variant, message), to compare answers exactly.
    fn refusal(e: StoreError) -> (String, String) {
        let message = e.user_message();
        let StoreError::Domain(d) = e else {
            panic!("not a domain refusal: {e:?}")
        };
        (format!("{d:?}"), message)
    }

    #[test]
    fn unknown_locked_and_wrong_password_get_the_same_answer() {
        let (_dir, path) = common::temp_db();
        let clock = common::clock();
        let (mut store, _, _) = common::store_with_staff(&path, &clock);
        common::add_supervisor(&mut store, &clock);
        let attempt = |store: &mut frontdesk::store::Store, user: &str, pw: &str| {
            accounts::login_or_refuse(store, user, pw, clock.now())
        };
        let unknown = refusal(attempt(&mut store, "nobody", "whatever1").unwrap_err());
        let wrong = refusal(attempt(&mut store, "wuhao", "whatever1").unwrap_err());
        assert_eq!(unknown, wrong, "no hint whether the user exists");
        // Failures are counted with their time.
        let a = wuhao(&store);
        assert_eq!(a.failed_logins, 1);
        assert_eq!(a.last_failed_at, Some(clock.now()));
        assert_eq!(a.locked_until, None);
        for _ in 0..4 {
            clock.advance_secs(5);
            assert_eq!(
                refusal(attempt(&mut store, "wuhao", "whatever1").unwrap_err()),
                wrong
            );
        }
        // Five failures: locked for a minute, and even the right password gets the same answer.
        let a = wuhao(&store);
        assert_eq!(a.failed_logins, 5);
        assert_eq!(a.locked_until, Some(clock.now() + Duration::minutes(1)));
        clock.advance_secs(10);
        let locked =
            refusal(attempt(&mut store, "wuhao", common::SUPERVISOR_PASSWORD).unwrap_err());
        assert_eq!(
            locked, wrong,
            "a locked account answers like a wrong password"
        );
        let a = wuhao(&store);
        assert_eq!(
            a.failed_logins, 5,
            "attempts while locked do not lengthen the lock"
        );
        assert_eq!(a.last_failed_at, Some(clock.now()), "but they are recorded");
        clock.advance(Duration::minutes(2));
        let actor = attempt(&mut store, "wuhao", common::SUPERVISOR_PASSWORD).unwrap();
        assert_eq!(actor.role, AccountRole::Supervisor);
        assert_eq!(actor.name, "吴昊");
        let a = wuhao(&store);
        assert_eq!(
            (a.failed_logins, a.locked_until),
            (0, None),
            "success resets"
        );
    }

    #[test]
    fn the_lock_out_is_capped_even_after_fifty_failures() {
        let (_dir, path) = common::temp_db();
        let clock = common::clock();
        let (mut store, _, _) = common::store_with_staff(&path, &clock);
        common::add_supervisor(&mut store, &clock);
        let cap = Duration::minutes(frontdesk::domain::account::MAX_LOCKOUT_MINUTES);
        assert!(cap <= Duration::minutes(15));
        let mut longest = Duration::zero();
        for _ in 0..50 {
            assert!(
                accounts::login_or_refuse(&mut store, "wuhao", "guess-1234", clock.now()).is_err()
            );
            let a = wuhao(&store);
            if let Some(until) = a.locked_until {
                let wait = until - clock.now();
                assert!(
                    wait <= cap,
                    "waited {wait} after {} failures",
                    a.failed_logins
                );
                longest = longest.max(wait);
                // The next guess comes the moment the lock ends.
                clock.advance(wait);
            }
        }
        let a = wuhao(&store);
        assert_eq!(a.failed_logins, 50);
        assert_eq!(longest, cap, "the delay grows up to the cap");
        // Once the lock ends, the right password works.
        clock.advance(cap);
        assert!(
            accounts::login_or_refuse(
                &mut store,
                "wuhao",
                common::SUPERVISOR_PASSWORD,
                clock.now()
            )
            .is_ok()
        );
    }

    #[test]
    fn only_an_admin_unlocks_an_account_and_the_audit_trail_records_it() {
        let (_dir, path) = common::temp_db();
        let clock = common::clock();
        let (mut store, _, _) = common::store_with_staff(&path, &clock);
        common::add_supervisor(&mut store, &clock);
        for _ in 0..5 {
            assert!(
                accounts::login_or_refuse(&mut store, "wuhao", "guess-1234", clock.now()).is_err()
            );
        }
        let id = wuhao(&store).id;
        assert!(wuhao(&store).locked_until.is_some());
        for role in [AccountRole::FrontDesk, AccountRole::Supervisor] {
            store.set_actor(Actor {
                account_id: None,
                name: "测试".into(),
                role,
            });
            let refused = accounts::unlock(&mut store, id, clock.now()).unwrap_err();
            assert!(
                format!("{refused:?}").contains("not_allowed"),
                "{refused:?}"
            );
            assert_eq!(wuhao(&store).failed_logins, 5, "{role:?} cannot unlock");
        }
        store.set_actor(Actor {
            account_id: Some(1),
            name: "管理员".into(),
            role: AccountRole::Admin,
        });
        accounts::unlock(&mut store, id, clock.now()).unwrap();
        let a = wuhao(&store);
        assert_eq!((a.failed_logins, a.locked_until), (0, None));
        let entry = &audit::recent(store.db(), 1).unwrap()[0];
        assert_eq!(
            (
                entry.action.as_str(),
                entry.entity.as_str(),
                entry.entity_id
            ),
            ("unlock", "account", Some(id))
        );
        assert_eq!(entry.actor, "管理员");
        assert!(entry.before.contains("failed_logins=5"), "{}", entry.before);
        assert!(matches!(
            accounts::unlock(&mut store, 999, clock.now()),
            Err(StoreError::NotFound)
        ));
        // No waiting for the lock to end.
        store.set_actor(Actor::desk());
        assert!(
            accounts::login_or_refuse(
                &mut store,
                "wuhao",
                common::SUPERVISOR_PASSWORD,
                clock.now()
            )
            .is_ok()
        );
    }

    /// Every role × every action, through the store.
    #[test]
    fn permissions_are_enforced_in_the_store() {
        let (_dir, path) = common::temp_db();
        let clock = common::clock();
        let (mut store, _, _) = common::store_with_staff(&path, &clock);
        for role in AccountRole::ALL {
            store.set_actor(Actor {
                account_id: None,
                name: "测试".into(),
                role,
            });
            for action in Action::ALL {
                let wrote = store.write_as(action, |_| Ok(()));
                let read = store.read_as(action, |_| Ok(()));
                assert_eq!(
                    wrote.is_ok(),
                    allowed(role, action),
                    "write {role:?} × {action:?}"
                );
                assert_eq!(
                    read.is_ok(),
                    allowed(role, action),
                    "read {role:?} × {action:?}"
                );
            }
        }
        // The desk cannot read the inbox or acknowledge it.
        store.set_actor(Actor::desk());
        assert!(
            store
                .read_as(Action::ReadSupervisorData, |conn| {
                    frontdesk::store::inbox::list(conn)
                })
                .is_err()
        );
        assert!(
            store
                .write_as(Action::ManageAccounts, |tx| accounts::create(
                    tx,
                    "x",
                    "x",
                    AccountRole::Admin,
                    "abcdefgh1",
                    clock.now()
                ))
                .is_err()
        );
    }

    #[test]
    fn the_audit_trail_is_append_only_and_chained() {
        let (_dir, path) = common::temp_db();
        let clock = common::clock();
        let (mut store, _, _) = common::store_with_staff(&path, &clock);
        common::add_supervisor(&mut store, &clock);
        let entries = audit::recent(store.db(), 10).unwrap();
        assert_eq!(entries.len(), 2, "two accounts created");
        assert_eq!(entries[0].actor, "命令行");
        assert!(
            store
                .sqlite()
                .unwrap()
                .execute("UPDATE audit SET after = 'x'", [])
                .is_err()
        );
        assert!(
            store
                .sqlite()
                .unwrap()
                .execute("DELETE FROM audit", [])
                .is_err()
        );
        assert_eq!(audit::first_broken(store.db()).unwrap(), None);
        // Someone drops the triggers and edits a row by hand: the chain breaks at that row.
        rusqlite::Connection::open(store.path())
            .unwrap()
            .execute_batch(
                "DROP TRIGGER audit_no_update; UPDATE audit SET after = 'tampered' WHERE id = 1;",
            )
            .unwrap();
        assert_eq!(audit::first_broken(store.db()).unwrap(), Some(1));
        assert!(store.check().unwrap().iter().any(|p| p.contains("row 1")));
    }
}

#[test]
fn complaint_and_claim_changes_reach_the_audit_trail_with_the_actor() {
    use frontdesk::clock::Clock as _;
    use frontdesk::domain::account::Actor;
    use frontdesk::domain::complaint::{AtFault, Channel, ComplaintDraft, Severity, Status};
    use frontdesk::store::{audit, complaints};
    let (_dir, path) = common::temp_db();
    let clock = common::clock();
    let (mut store, li, _) = common::store_with_staff(&path, &clock);
    store.set_actor(Actor {
        account_id: Some(7),
        name: "吴昊".into(),
        role: frontdesk::domain::account::AccountRole::Supervisor,
    });
    let draft = ComplaintDraft {
        channel: Some(Channel::Phone),
        customer_name: "王先生".into(),
        category: "延误".into(),
        severity: Some(Severity::Ordinary),
        at_fault: Some(AtFault::No),
        content: "晚到".into(),
        ..ComplaintDraft::default()
    };
    let id = store
        .write(|tx| complaints::create(tx, &draft, clock.now(), Some(li)))
        .unwrap();
    store
        .write(|tx| {
            complaints::set_status(
                tx,
                id,
                Status::InProgress,
                None,
                "开始处理",
                clock.now(),
                Some(li),
            )
        })
        .unwrap();
    let entries = audit::recent(store.db(), 10).unwrap();
    assert!(
        entries
            .iter()
            .all(|e| e.actor == "吴昊" && e.entity == "complaint" && e.entity_id == Some(id))
    );
    assert!(
        entries[0].after.contains("处理中") && entries[0].after.contains("开始处理"),
        "{:?}",
        entries[0]
    );
    assert_eq!(audit::first_broken(store.db()).unwrap(), None);
}

#[test]
fn an_inspection_keeps_its_photo_and_its_own_copy_of_the_template() {
    use frontdesk::clock::Clock as _;
    use frontdesk::domain::account::{Action, Actor};
    use frontdesk::domain::inspection::{CheckedItem, Inspection, ItemResult, TargetKind};
    use frontdesk::store::inspections;
    let (_dir, path) = common::temp_db();
    let clock = common::clock();
    let (mut store, _, _) = common::store_with_staff(&path, &clock);
    store.set_actor(Actor::system());
    let img = image::RgbImage::from_pixel(8, 8, image::Rgb([10, 20, 30]));
    let mut png = std::io::Cursor::new(Vec::new());
    img.write_to(&mut png, image::ImageFormat::Png).unwrap();
    let png = png.into_inner();
    let template = store
        .read_as(Action::ReadSupervisorData, |c| inspections::templates(c))
        .unwrap()[0]
        .clone();
    let copy = inspections::Template {
        id: 0,
        name: "我的模板".into(),
        builtin: false,
        items: template.items.clone(),
    };
    let copy_id = store
        .write_as(Action::Inspect, |tx| {
            inspections::save_template(tx, &copy, clock.now())
        })
        .unwrap();
    let inspection = Inspection {
        id: 0,
        at: clock.now(),
        inspector: "吴昊".into(),
        target_kind: TargetKind::Vehicle,
        target: "沪A12345".into(),
        staff_id: None,
        template_name: copy.name.clone(),
        items: vec![CheckedItem {
            id: 0,
            text: copy.items[0].clone(),
            result: ItemResult::Fail,
            note: "车身脏".into(),
            photo: Some(("车.png".into(), png.clone())),
        }],
        remark: String::new(),
    };
    let id = store
        .write_as(Action::Inspect, |tx| {
            inspections::create(tx, &inspection, None, Some(copy_id))
        })
        .unwrap();
    // Editing the template afterwards does not change the inspection.
    let edited = inspections::Template {
        id: copy_id,
        name: "我的模板".into(),
        builtin: false,
        items: vec!["新项目".into()],
    };
    store
        .write_as(Action::Inspect, |tx| {
            inspections::save_template(tx, &edited, clock.now())
        })
        .unwrap();
    let saved = store
        .read_as(Action::ReadSupervisorData, |c| inspections::get(c, id))
        .unwrap();
    assert_eq!(saved.items[0].text, copy.items[0]);
    assert_eq!(
        saved.items[0].photo.as_ref().unwrap().1,
        png,
        "photo round-trips byte-identical"
    );
    // Built-in templates cannot be edited in place.
    let builtin = inspections::Template {
        items: vec!["x".into()],
        ..template
    };
    assert!(
        store
            .write_as(Action::Inspect, |tx| inspections::save_template(
                tx,
                &builtin,
                clock.now()
            ))
            .is_err()
    );
}

/// Hands the three `cases` (a call, a complaint, a claim) over from 李娜 with reasons and
/// outcomes that name the customer by `marker`: the first confirmed, the second answered, the
/// third just sent.
fn hand_over_naming(
    store: &mut Store,
    clock: &frontdesk::clock::FakeClock,
    marker: &str,
    [call, complaint, claim]: [(frontdesk::domain::transfer::CaseKind, i64); 3],
    (li, zhang): (i64, i64),
) {
    use frontdesk::store::transfers;
    let tid = common::send_and_accept(
        store,
        clock,
        call,
        (li, None, "业务"),
        &format!("{marker}先生要合同价"),
    );
    common::answer_and_confirm(store, clock, tid, &format!("已回电{marker}先生"));
    let tid = common::send_and_accept(
        store,
        clock,
        complaint,
        (li, Some(zhang), ""),
        &format!("{marker}先生等候太久"),
    );
    let outcome = format!("已向{marker}先生道歉");
    store
        .write(|tx| transfers::answer(tx, tid, &outcome, clock.now()))
        .unwrap();
    let reason = format!("{marker}先生的赔款");
    store
        .write(|tx| {
            let (kind, id) = claim;
            transfers::send(tx, kind, id, Some(li), None, "财务", &reason, clock.now())
        })
        .unwrap();
}

/// What the transfers of `cases` said: each one's reason and outcome.
fn transfers_said(
    store: &Store,
    cases: &[(frontdesk::domain::transfer::CaseKind, i64)],
) -> Vec<String> {
    cases
        .iter()
        .flat_map(|&(kind, id)| frontdesk::store::transfers::of_case(store.db(), kind, id).unwrap())
        .map(|t| format!("{}{}", t.reason, t.outcome))
        .collect()
}

#[test]
fn purge_with_a_fake_clock_keeps_report_counts_and_removes_the_marker_from_the_files() {
    use chrono::Duration;
    use frontdesk::clock::Clock as _;
    use frontdesk::domain::account::{Action, Actor};
    use frontdesk::store::privacy::{self, Retention};
    let (_dir, path) = common::temp_db();
    let clock = common::clock();
    let (mut store, li, zhang) = common::store_with_staff(&path, &clock);
    let marker = "标记张三丰喆";
    let reg = frontdesk::domain::visit::RegistrationDraft {
        surname: "张".into(),
        honorific: Some(frontdesk::domain::customer::Honorific::Mr),
        name: marker.into(),
        phone: "13700001111".into(),
        company: format!("{marker}物流"),
        ..Default::default()
    }
    .validate()
    .unwrap();
    let id = store
        .write(|tx| visits::register(tx, None, &reg, clock.now(), Some(li)))
        .unwrap();
    store
        .write(|tx| {
            visits::change(tx, id, clock.now(), Some(li), "greet", "", |v| {
                v.greet(Some(li), clock.now())
            })
        })
        .unwrap();
    // A major complaint by the same customer, with the name as typed: it is copied into the
    // complaint and into the supervisor inbox's summary.
    let customer_id = visits::get(store.db(), id).unwrap().customer_id;
    let complaint = store
        .write(|tx| {
            frontdesk::store::complaints::create(
                tx,
                &frontdesk::domain::complaint::ComplaintDraft {
                    channel: Some(frontdesk::domain::complaint::Channel::Visit),
                    customer_id,
                    customer_name: format!("{marker}先生"),
                    phone: "13700001111".into(),
                    category: "服务态度".into(),
                    severity: Some(frontdesk::domain::complaint::Severity::Major),
                    at_fault: Some(frontdesk::domain::complaint::AtFault::Yes),
                    content: "等候太久".into(),
                    ..Default::default()
                },
                clock.now(),
                Some(li),
            )
        })
        .unwrap();
    // A call passed to a colleague with the caller's name in what was said, and a major
    // accident of the same customer, whose inbox line names them.
    let (call, claim) = store
        .write(|tx| {
            let call = frontdesk::domain::call::CallDraft {
                rings: "2".into(),
                category: Some(frontdesk::domain::call::Category::ALL[0]),
                content: "问运价".into(),
                outcome: Some(frontdesk::domain::call::Outcome::FollowUp),
                transferred_to: Some(zhang),
                transfer_note: format!("{marker}先生问运价"),
                ..Default::default()
            }
            .validate(clock.now(), Some(li))
            .unwrap();
            let call = frontdesk::store::calls::insert(tx, &call)?;
            let mut claim = common::damage_claim("SD20240101")
                .validate(clock.now())
                .unwrap();
            claim.customer_id = customer_id;
            claim.customer_name = format!("{marker}先生");
            claim.major = true;
            Ok((
                call,
                frontdesk::store::claims::create(tx, &claim, Some(li))?,
            ))
        })
        .unwrap();
    // The call (to follow up), the complaint and the claim handed over, with the customer's
    // name in the reason and the outcome.
    use frontdesk::domain::transfer::CaseKind;
    let cases = [
        (CaseKind::Call, call),
        (CaseKind::Complaint, complaint),
        (CaseKind::Claim, claim),
    ];
    hand_over_naming(&mut store, &clock, marker, cases, (li, zhang));
    assert!(
        transfers_said(&store, &cases)
            .iter()
            .all(|said| said.contains(marker)),
        "{:?}",
        transfers_said(&store, &cases)
    );
    let day = clock.now().date();
    let report = |store: &Store| {
        let all = visits::arrived_between(
            store.db(),
            clock.now() - Duration::days(500),
            clock.now() + Duration::days(1),
        )
        .unwrap();
        frontdesk::report::reception::build(&all, day, day, 60)
    };
    let before = report(&store);
    // A year and a month later.
    clock.advance(Duration::days(400));
    store.set_actor(Actor::system());
    let purged = store
        .write_as(Action::ManageAccounts, |tx| {
            privacy::purge(tx, clock.now(), Retention::default())
        })
        .unwrap();
    assert_eq!((purged.visits, purged.customers), (1, 1));
    assert_eq!(
        transfers_said(&store, &cases),
        ["", "", ""],
        "what the transfers said is cleared"
    );
    privacy::scrub_files(&store).unwrap();
    assert_eq!(report(&store), before, "counts stay identical");
    let contains = |p: &std::path::Path| {
        std::fs::read(p)
            .map(|b| b.windows(marker.len()).any(|w| w == marker.as_bytes()))
            .unwrap_or(false)
    };
    assert!(!contains(&path), "not in the database file");
    assert!(
        !contains(&path.with_extension("sqlite3-wal")),
        "not in the WAL"
    );
    assert!(
        frontdesk::store::customers::search(store.db(), "张三", 10)
            .unwrap()
            .is_empty(),
        "not in the search index"
    );
}

/// An erase on request clears what the transfers of the customer's call, complaint and claim
/// said, not another customer's; a transfer of an old call the purge cleared before makes the
/// purge due again, and it clears what the transfer said too.
#[test]
fn an_erase_and_the_purge_clear_what_the_transfers_of_the_cases_said() {
    use frontdesk::domain::account::{Action, Actor};
    use frontdesk::domain::call::Outcome;
    use frontdesk::domain::transfer::CaseKind;
    use frontdesk::store::privacy::{self, Retention};
    use frontdesk::store::{calls, claims, complaints, customers, transfers};
    let (_dir, path) = common::temp_db();
    let clock = common::clock();
    let (mut store, li, zhang) = common::store_with_staff(&path, &clock);
    let now = clock.now();
    let customer = |surname: &str, phone: &str| frontdesk::domain::customer::Customer {
        surname: surname.into(),
        name: format!("{surname}先生"),
        phone: phone.into(),
        ..Default::default()
    };
    let (erased, kept) = store
        .write(|tx| {
            Ok((
                customers::insert(tx, &customer("濮", "13900001111"), now)?,
                customers::insert(tx, &customer("钱", "13900002222"), now)?,
            ))
        })
        .unwrap();
    // The erased customer's call, complaint and claim, and the other's complaint.
    let cases = store
        .write(|tx| {
            let mut call = common::tracking_call(now, "濮先生", li);
            call.customer_id = Some(erased);
            call.outcome = Some(Outcome::FollowUp);
            let mut claim = common::damage_claim("SD20261123").validate(now)?;
            claim.customer_id = Some(erased);
            let complaint = |id| frontdesk::domain::complaint::ComplaintDraft {
                customer_id: Some(id),
                ..common::late_delivery_complaint()
            };
            Ok([
                (CaseKind::Call, calls::insert(tx, &call)?),
                (
                    CaseKind::Complaint,
                    complaints::create(tx, &complaint(erased), now, Some(li))?,
                ),
                (CaseKind::Claim, claims::create(tx, &claim, Some(li))?),
                (
                    CaseKind::Complaint,
                    complaints::create(tx, &complaint(kept), now, Some(li))?,
                ),
            ])
        })
        .unwrap();
    // A call to follow up that nobody hands over this year.
    let old_call = store
        .write(|tx| {
            let mut call = common::tracking_call(now, "赵先生", li);
            call.outcome = Some(Outcome::FollowUp);
            calls::insert(tx, &call)
        })
        .unwrap();
    for case in cases {
        let tid = common::send_and_accept(
            &mut store,
            &clock,
            case,
            (li, Some(zhang), ""),
            &format!("{:?} 濮先生要求尽快处理", case.0),
        );
        common::answer_and_confirm(&mut store, &clock, tid, "已告知濮先生");
    }
    let said = |store: &Store, (kind, id): (CaseKind, i64)| {
        let t = &transfers::of_case(store.db(), kind, id).unwrap()[0];
        format!("{}{}", t.reason, t.outcome)
    };
    store.set_actor(Actor::system());
    store
        .write_as(Action::ManageAccounts, |tx| {
            privacy::erase_customer(tx, erased, clock.now())
        })
        .unwrap();
    for case in &cases[..3] {
        assert_eq!(said(&store, *case), "", "{case:?}");
    }
    assert!(
        said(&store, cases[3]).contains("濮先生"),
        "another customer's"
    );

    // A year and more later the purge clears the old call; then it is handed over after all.
    clock.advance(Duration::days(400));
    let r = Retention::default();
    store
        .write_as(Action::ManageAccounts, |tx| {
            privacy::purge(tx, clock.now(), r)
        })
        .unwrap();
    assert!(!privacy::purge_due(store.db(), clock.now(), r).unwrap());
    store
        .write(|tx| {
            transfers::send(
                tx,
                CaseKind::Call,
                old_call,
                Some(li),
                None,
                "业务",
                "赵先生的旧事",
                clock.now(),
            )
        })
        .unwrap();
    assert!(privacy::purge_due(store.db(), clock.now(), r).unwrap());
    store
        .write_as(Action::ManageAccounts, |tx| {
            privacy::purge(tx, clock.now(), r)
        })
        .unwrap();
    assert_eq!(said(&store, (CaseKind::Call, old_call)), "");
    assert!(!privacy::purge_due(store.db(), clock.now(), r).unwrap());
}

/// Every write goes through `write_as` (the actor's permission check and the seals): outside it
/// the store's connection only reads, so a new write path through `conn()` fails its own tests.
#[test]
fn the_store_connection_refuses_writes_outside_write_as() {
    let (_dir, path) = common::temp_db();
    let store = Store::open(&path).unwrap();
    let err = store
        .sqlite().unwrap()
        .execute(
            "INSERT INTO staff (name, role, created_at) VALUES ('x', 'service_rep', '2026-11-01 08:00:00')",
            [],
        )
        .unwrap_err();
    assert!(err.to_string().contains("readonly"), "{err}");
    assert!(
        store
            .sqlite()
            .unwrap()
            .execute(
                "UPDATE settings SET value = 'en' WHERE key = 'language'",
                []
            )
            .is_err()
    );
    // Reads work, and so does a write through the gate.
    let mut store = store;
    store
        .write(|tx| {
            tx.execute(
                "INSERT INTO staff (name, role, created_at) VALUES ('x', 'service_rep', '2026-11-01 08:00:00')",
                frontdesk::db_params![],
            )?;
            Ok(())
        })
        .unwrap();
    let n: i64 = store
        .sqlite()
        .unwrap()
        .query_row("SELECT count(*) FROM staff", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, 1);
    // After a failed write the connection is read-only again.
    let failed: Result<(), _> = store.write(|tx| {
        tx.execute("INSERT INTO nowhere VALUES (1)", frontdesk::db_params![])?;
        Ok(())
    });
    assert!(failed.is_err());
    assert!(
        store
            .sqlite()
            .unwrap()
            .execute("DELETE FROM staff", [])
            .is_err()
    );
    assert!(store.check().unwrap().is_empty(), "{:?}", store.check());
}

/// A store with 80 days of visits (two a day, one in three corrected), calls (one in four
/// escalated to the inbox) and their customers, every six days from 500 days before the clock:
/// older than the retention up to about day 22, newer after. Visitors and callers have names
/// found nowhere else (`标记<day>…`). Returns the store and the clock.
fn store_with_many_days(path: &std::path::Path) -> (Store, frontdesk::clock::FakeClock) {
    use chrono::Duration;
    use frontdesk::clock::Clock as _;
    use frontdesk::domain::customer::Honorific;
    use frontdesk::domain::visit::RegistrationDraft;
    let clock = common::clock();
    let (mut store, li, _) = common::store_with_staff(path, &clock);
    let start = clock.now() - Duration::days(500);
    store
        .write(|tx| {
            for day in 0..80_i64 {
                let at = start + Duration::days(6 * day);
                for n in 0..2_i64 {
                    let reg = |name: &str| {
                        RegistrationDraft {
                            surname: "标".into(),
                            honorific: Some(Honorific::Ms),
                            name: name.into(),
                            phone: format!("139{:08}", day * 10 + n),
                            company: format!("{name}公司"),
                            ..Default::default()
                        }
                        .validate()
                        .unwrap()
                    };
                    let id =
                        visits::register(tx, None, &reg(&format!("标记{day}甲{n}")), at, Some(li))?;
                    if (day + n) % 3 == 0 {
                        visits::correct(
                            tx,
                            id,
                            &reg(&format!("标记{day}乙{n}")),
                            "登记错了",
                            at,
                            Some(li),
                        )?;
                    }
                }
                let mut call = common::tracking_call(at, &format!("标记{day}来电"), li);
                call.phone = format!("137{day:08}");
                call.content = format!("标记{day}询问运单");
                call.escalated = day % 4 == 0;
                frontdesk::store::calls::insert(tx, &call)?;
            }
            Ok(())
        })
        .unwrap();
    store.set_actor(frontdesk::domain::account::Actor::system());
    (store, clock)
}

/// Every row of the tables the purge changes, as text, in id order.
fn purged_tables(store: &Store) -> Vec<String> {
    let conn = store.sqlite().unwrap();
    let mut all = Vec::new();
    for table in [
        "visits",
        "visit_log",
        "calls",
        "inbox",
        "customers",
        "callbacks",
        "complaints",
        "claims",
        "settings",
    ] {
        let mut stmt = conn
            .prepare(&format!("SELECT * FROM {table} ORDER BY 1"))
            .unwrap();
        let n = stmt.column_count();
        let rows = stmt
            .query_map([], |r| {
                let values: Vec<rusqlite::types::Value> =
                    (0..n).map(|i| r.get(i)).collect::<Result<_, _>>()?;
                Ok(format!("{table} {values:?}"))
            })
            .unwrap();
        all.extend(rows.map(Result::unwrap));
    }
    all
}

/// The purge's audit lines (what they say).
fn purge_audit(store: &Store) -> Vec<String> {
    let conn = store.sqlite().unwrap();
    let mut stmt = conn
        .prepare("SELECT after FROM audit WHERE action = 'purge' ORDER BY id")
        .unwrap();
    stmt.query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

/// A copy of the database at `path` (closed) beside it, at `name`.
fn copy_db(path: &std::path::Path, name: &str) -> std::path::PathBuf {
    let copy = path.with_file_name(name);
    std::fs::copy(path, &copy).unwrap();
    copy
}

/// [`store_with_many_days`] at `path`, and a copy of it beside (`whole.sqlite3`) purged in one
/// transaction: what a purge in many must come to.
fn purged_in_one_transaction(
    path: &std::path::Path,
) -> (
    Store,
    frontdesk::store::privacy::PurgeReport,
    frontdesk::clock::FakeClock,
) {
    use frontdesk::clock::Clock as _;
    use frontdesk::domain::account::Action;
    use frontdesk::store::privacy::{self, Retention};
    let (store, clock) = store_with_many_days(path);
    drop(store);
    let mut whole = Store::open(copy_db(path, "whole.sqlite3")).unwrap();
    whole.set_actor(frontdesk::domain::account::Actor::system());
    let report = whole
        .write_as(Action::ManageAccounts, |tx| {
            privacy::purge(tx, clock.now(), Retention::default())
        })
        .unwrap();
    (whole, report, clock)
}

/// The purge in small transactions (a few ids each) anonymises exactly what the purge in one
/// transaction does: the same rows, the same counts, one audit line with the same totals; the
/// file is check-clean and no purged name is left in it.
#[test]
fn purge_in_chunks_anonymises_the_same_rows_as_one_transaction() {
    use frontdesk::clock::Clock as _;
    use frontdesk::store::privacy::{self, Retention};
    let (_dir, path) = common::temp_db();
    let (whole, whole_report, clock) = purged_in_one_transaction(&path);

    let mut chunked = Store::open(&path).unwrap();
    chunked.set_actor(frontdesk::domain::account::Actor::system());
    let mut steps = Vec::new();
    let chunked_report = privacy::purge_in_chunks(
        &mut chunked,
        clock.now(),
        Retention::default(),
        7,
        &mut |_, progress| {
            steps.push(progress);
            std::ops::ControlFlow::Continue(())
        },
    )
    .unwrap()
    .unwrap();
    let transactions = steps.len();
    // The progress moves on with every transaction and ends with all the ids looked at.
    assert!(
        steps
            .windows(2)
            .all(|w| w[0].done < w[1].done && w[0].total == w[1].total)
    );
    let last = steps.last().unwrap();
    assert_eq!(last.done, last.total, "{steps:?}");

    assert_eq!(chunked_report, whole_report);
    assert!(
        whole_report.visits > 30 && whole_report.calls > 15 && whole_report.customers > 30,
        "{whole_report:?}"
    );
    assert!(transactions > 20, "{transactions} transactions");
    assert_eq!(purged_tables(&chunked), purged_tables(&whole));
    assert_eq!(purge_audit(&chunked), purge_audit(&whole));
    assert_eq!(purge_audit(&chunked).len(), 1);
    assert!(chunked.check().unwrap().is_empty(), "{:?}", chunked.check());
    assert!(!privacy::purge_due(chunked.db(), clock.now(), Retention::default()).unwrap());

    privacy::scrub_files(&chunked).unwrap();
    let file = std::fs::read(&path).unwrap();
    let contains = |text: &str| file.windows(text.len()).any(|w| w == text.as_bytes());
    for day in 0..80 {
        // Day 22 is 368 days back: past the retention; day 23, 362 days back, is not.
        let purged = day <= 22;
        for name in [format!("标记{day}甲0"), format!("标记{day}来电")] {
            assert_eq!(contains(&name), !purged, "{name} in the file");
        }
        if day % 3 == 0 {
            assert_eq!(contains(&format!("标记{day}乙0")), !purged);
        }
    }
    assert!(
        frontdesk::store::customers::search(chunked.db(), "记3甲", 10)
            .unwrap()
            .is_empty(),
        "not in the search index"
    );
}

/// A purge stopped after a few of its transactions leaves a check-clean file with part of the
/// work done, and says a purge is due; the next purge finishes it: then the file is as after a
/// purge in one go, with one audit line with the totals of both.
#[test]
fn a_purge_stopped_halfway_is_finished_by_the_next() {
    use frontdesk::clock::Clock as _;
    use frontdesk::store::privacy::{self, Retention};
    let (_dir, path) = common::temp_db();
    let (whole, whole_report, clock) = purged_in_one_transaction(&path);

    let mut store = Store::open(&path).unwrap();
    store.set_actor(frontdesk::domain::account::Actor::system());
    let before = purged_tables(&store);
    let mut chunks = 0;
    let stopped = privacy::purge_in_chunks(
        &mut store,
        clock.now(),
        Retention::default(),
        7,
        &mut |so_far, _| {
            chunks += 1;
            if chunks == 4 {
                assert!(so_far.visits > 0, "{so_far:?}");
                std::ops::ControlFlow::Break(())
            } else {
                std::ops::ControlFlow::Continue(())
            }
        },
    )
    .unwrap();
    assert_eq!(stopped, None);
    drop(store);

    let mut store = Store::open(&path).unwrap();
    store.set_actor(frontdesk::domain::account::Actor::system());
    assert!(store.check().unwrap().is_empty(), "{:?}", store.check());
    let halfway = purged_tables(&store);
    assert_ne!(halfway, before, "the first chunks stay done");
    assert_ne!(halfway, purged_tables(&whole), "not everything is done");
    assert!(purge_audit(&store).is_empty());
    assert!(privacy::purge_due(store.db(), clock.now(), Retention::default()).unwrap());

    let rest = privacy::purge_in_chunks(
        &mut store,
        clock.now(),
        Retention::default(),
        7,
        &mut |_, _| std::ops::ControlFlow::Continue(()),
    )
    .unwrap()
    .unwrap();
    assert!(rest.visits < whole_report.visits, "{rest:?}");
    assert_eq!(rest.calls, whole_report.calls);
    assert_eq!(purged_tables(&store), purged_tables(&whole));
    assert_eq!(purge_audit(&store), purge_audit(&whole));
    assert!(store.check().unwrap().is_empty(), "{:?}", store.check());
    assert!(!privacy::purge_due(store.db(), clock.now(), Retention::default()).unwrap());
}

/// The whole purge (`purge_everywhere`: pre-purge backup, purge, scrubs) stopped by its
/// progress: during the pre-purge backup nothing is purged and no backup is left; during the
/// purge what was anonymised stays, the scrubs wait, and the next purge is due and finishes the
/// job everywhere.
#[test]
fn the_whole_purge_can_be_stopped_and_the_next_one_finishes_it() {
    use frontdesk::clock::Clock as _;
    use frontdesk::store::backup::Rotation;
    use frontdesk::store::privacy::{self, PURGE_STEPS, Retention};
    use std::ops::ControlFlow;
    let (dir, path) = common::temp_db();
    let (whole, whole_report, clock) = purged_in_one_transaction(&path);
    let folder = dir.path().join("backups");
    let mut store = Store::open(&path).unwrap();
    store.set_actor(frontdesk::domain::account::Actor::system());
    let before = purged_tables(&store);
    let everywhere = |store: &mut Store, stop_at: u64| {
        let mut seen = Vec::new();
        let done = privacy::purge_everywhere(
            store,
            &folder,
            None,
            clock.now(),
            Rotation::default(),
            &mut |_, p| {
                seen.push(p);
                assert_eq!(p.total, PURGE_STEPS);
                if p.done >= stop_at {
                    ControlFlow::Break(())
                } else {
                    ControlFlow::Continue(())
                }
            },
        )
        .unwrap();
        (done, seen)
    };

    // Stopped at the first step of the pre-purge backup.
    let (done, _) = everywhere(&mut store, 0);
    assert!(done.stopped && done.pre_purge.is_none(), "{done:?}");
    assert_eq!(done.report, privacy::PurgeReport::default());
    let files = |folder: &std::path::Path| std::fs::read_dir(folder).unwrap().count();
    assert_eq!(files(&folder), 0, "no backup, not even a partial one");
    assert_eq!(purged_tables(&store), before);

    // Stopped a little into the purge: the backup is made, part of the rows anonymised.
    let (done, seen) = everywhere(&mut store, 400);
    assert!(done.stopped, "{done:?}");
    assert!(done.pre_purge.as_ref().is_some_and(|p| p.exists()));
    let rows = |r: &privacy::PurgeReport| r.visits + r.calls + r.customers;
    assert!(
        rows(&done.report) > 0 && rows(&done.report) < rows(&whole_report),
        "{:?} of {whole_report:?}",
        done.report
    );
    assert!(seen.windows(2).all(|w| w[0].done <= w[1].done), "{seen:?}");
    assert!(store.check().unwrap().is_empty(), "{:?}", store.check());
    assert_ne!(purged_tables(&store), purged_tables(&whole));
    assert!(privacy::purge_due(store.db(), clock.now(), Retention::default()).unwrap());

    // The next one finishes: the same rows as a purge in one go, and every backup scrubbed.
    let (done, seen) = everywhere(&mut store, u64::MAX);
    assert!(!done.stopped, "{done:?}");
    assert_eq!(seen.last().map(|p| p.done), Some(PURGE_STEPS));
    assert_eq!(purged_tables(&store), purged_tables(&whole));
    assert!(!privacy::purge_due(store.db(), clock.now(), Retention::default()).unwrap());
    for entry in std::fs::read_dir(&folder).unwrap() {
        let file = std::fs::read(entry.unwrap().path()).unwrap();
        let name = "标记3甲0";
        assert!(!file.windows(name.len()).any(|w| w == name.as_bytes()));
    }
}

/// A claim's settlement deadline is kept with it and moved with a reason in its timeline; a
/// major accident goes to the supervisors' inbox when reported or when it becomes one; the mark
/// of a direct settlement is kept; a settled claim's deadline cannot move.
#[test]
fn claim_deadlines_major_accidents_and_direct_settlements() {
    use frontdesk::domain::claim::{ClaimStatus, SettleClock, SettleRules};
    use frontdesk::store::{claims, inbox};
    let (_dir, path) = common::temp_db();
    let clock = common::clock();
    let (mut store, li, _) = common::store_with_staff(&path, &clock);
    let rules = SettleRules::default();
    let now = clock.now();
    let day = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
    let major = store
        .write(|tx| {
            let mut c = common::damage_claim("SD20261201").validate(now).unwrap();
            c.major = true;
            c.settle_by = Some(rules.deadline(now));
            claims::create(tx, &c, Some(li))
        })
        .unwrap();
    let plain = store
        .write(|tx| {
            let c = common::damage_claim("SD20261202").validate(now).unwrap();
            claims::create(tx, &c, Some(li))
        })
        .unwrap();
    let items = inbox::list(store.db()).unwrap();
    assert_eq!(items.len(), 1, "only the major accident: {items:?}");
    assert_eq!(items[0].kind, inbox::Kind::Claim);
    assert_eq!(items[0].ref_id, major);
    assert!(
        items[0].summary.contains("重大事故"),
        "{}",
        items[0].summary
    );

    let c = claims::get(store.db(), major).unwrap();
    assert!(c.major && !c.settled_directly);
    assert_eq!(c.settle_by, Some(now.date() + chrono::Duration::days(30)));
    // Reported without a kept deadline: the settings' days from the report.
    let p = claims::get(store.db(), plain).unwrap();
    assert_eq!(p.settle_by, None);
    assert_eq!(p.settle_by(&rules), now.date() + chrono::Duration::days(30));

    // Moved, with the reason in the timeline.
    assert!(
        store
            .write(|tx| claims::set_deadline(tx, major, day("2027-01-10"), " ", now, Some(li)))
            .is_err(),
        "a reason is needed"
    );
    store
        .write(|tx| {
            claims::set_deadline(
                tx,
                major,
                day("2027-01-10"),
                "等保险公司定损",
                now,
                Some(li),
            )
        })
        .unwrap();
    let c = claims::get(store.db(), major).unwrap();
    assert_eq!(c.settle_by, Some(day("2027-01-10")));
    assert_eq!(
        c.settle_clock(day("2027-01-12"), &rules),
        SettleClock::Overdue { days_over: 2 }
    );
    let events = claims::events(store.db(), major).unwrap();
    assert!(
        events
            .iter()
            .any(|e| e.detail == "理赔时限改为 2027-01-10:等保险公司定损"),
        "{events:?}"
    );

    // The plain claim becomes major (to the inbox) and settled directly.
    store
        .write(|tx| claims::set_flags(tx, plain, true, true, now, Some(li)))
        .unwrap();
    let p = claims::get(store.db(), plain).unwrap();
    assert!(p.major && p.settled_directly);
    assert_eq!(inbox::list(store.db()).unwrap().len(), 2);
    // Saving the same marks again changes nothing.
    store
        .write(|tx| claims::set_flags(tx, plain, true, true, now, Some(li)))
        .unwrap();
    assert_eq!(inbox::list(store.db()).unwrap().len(), 2);

    // Rejected: done, no deadline to move.
    store
        .write(|tx| {
            claims::move_status(
                tx,
                plain,
                ClaimStatus::Rejected,
                "不属承运责任",
                now,
                Some(li),
            )
        })
        .unwrap();
    assert!(
        store
            .write(|tx| claims::set_deadline(tx, plain, day("2027-02-01"), "延期", now, Some(li)))
            .is_err()
    );
    assert!(store.check().unwrap().is_empty(), "{:?}", store.check());
}
