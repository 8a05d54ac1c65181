//! Values a user can type or import: out-of-range dates and numbers are refused with a message,
//! text is either stored and read back identical or refused with a message; nothing panics.
#![allow(clippy::unwrap_used, reason = "test code: a panic is a failed test")]

mod common;

use std::path::Path;
use std::process::Output;

use chrono::Duration;
use frontdesk::clock::Clock as _;
use frontdesk::domain::account::{Action, Actor};
use frontdesk::domain::customer::Honorific;
use frontdesk::domain::visit::RegistrationDraft;
use frontdesk::store::privacy::{self, Retention};
use frontdesk::store::{Store, StoreError, customers, settings, visits};
use proptest::prelude::*;

/// The real binary with its folders in `dir` (the test's temporary folder: on a server run, the
/// database is a URL and has no folder of its own).
fn frontdesk(dir: &Path, db: &Path, args: &[&str]) -> Output {
    common::frontdesk_command(dir)
        .args(args)
        .arg("--db")
        .arg(db)
        .output()
        .expect("run frontdesk")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Runs a report job that must be refused: non-zero exit, a message naming `expected`, no panic.
fn refused(dir: &Path, db: &Path, args: &[&str], expected: &str) {
    let out = frontdesk(dir, db, args);
    let err = stderr(&out);
    assert!(!out.status.success(), "{args:?} succeeded");
    assert!(!err.contains("panicked"), "{args:?} panicked: {err}");
    assert!(err.contains(expected), "{args:?}: {err}");
}

#[test]
fn report_periods_out_of_range_are_refused_with_a_message() {
    let (dir, db) = common::temp_db();
    assert!(frontdesk(dir.path(), &db, &["init"]).status.success());
    let reception = |from: &str, to: &str| {
        vec![
            "report".to_owned(),
            "reception".to_owned(),
            "--from".to_owned(),
            from.to_owned(),
            "--to".to_owned(),
            to.to_owned(),
        ]
    };
    for (from, to) in [
        ("2026-11-01", "+262142-12-31"),
        ("0001-01-01", "9999-12-31"),
        ("1999-12-31", "2000-01-01"),
        ("2026-11-01", "2100-01-01"),
    ] {
        let args = reception(from, to);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        refused(dir.path(), &db, &args, "--from");
    }
    // Longer than 3660 days, and the wrong way round.
    refused(
        dir.path(),
        &db,
        &[
            "report",
            "reception",
            "--from",
            "2000-01-01",
            "--to",
            "2099-12-31",
        ],
        "3660",
    );
    refused(
        dir.path(),
        &db,
        &[
            "report",
            "reception",
            "--from",
            "2026-11-02",
            "--to",
            "2026-11-01",
        ],
        "--from",
    );
    // The longest period allowed works.
    let out = frontdesk(
        dir.path(),
        &db,
        &[
            "report",
            "reception",
            "--from",
            "2000-01-01",
            "--to",
            "2010-01-07",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(String::from_utf8_lossy(&out.stdout).lines().count(), 3662);

    refused(
        dir.path(),
        &db,
        &["report", "complaints", "--week", "262142-W52"],
        "--week",
    );
    refused(
        dir.path(),
        &db,
        &["report", "complaints", "--week", "1999-W01"],
        "--week",
    );
    refused(
        dir.path(),
        &db,
        &[
            "report",
            "complaints",
            "--week",
            "2026-W47",
            "--as-of",
            "+262142-12-31 00:00:00",
        ],
        "--as-of",
    );
    refused(
        dir.path(),
        &db,
        &[
            "report",
            "complaints",
            "--week",
            "2026-W47",
            "--as-of",
            "9999-12-31 00:00:00",
        ],
        "--as-of",
    );
    refused(
        dir.path(),
        &db,
        &["report", "claims", "--month", "262142-12"],
        "--month",
    );
    refused(
        dir.path(),
        &db,
        &["report", "inspections", "--month", "262143-01"],
        "--month",
    );
    refused(
        dir.path(),
        &db,
        &["report", "claims", "--month", "2100-01"],
        "--month",
    );
}

#[test]
fn retention_out_of_range_is_refused_and_stored_values_are_clamped() {
    let (_dir, path) = common::temp_db();
    let clock = common::clock();
    let mut store = Store::open(&path).unwrap();
    store.set_actor(Actor::system());
    for days in [100_000_000, 3651, 29, 0, -5, i64::MAX, i64::MIN] {
        let err = store
            .write_as(Action::ManageAccounts, |tx| {
                privacy::set_retention(
                    tx,
                    Retention {
                        personal_days: days,
                        call_days: 365,
                    },
                    clock.now(),
                )
            })
            .unwrap_err();
        assert!(matches!(err, StoreError::Domain(_)), "{days}: {err:?}");
        assert!(
            err.user_message().contains("3650"),
            "{}",
            err.user_message()
        );
    }
    store
        .write_as(Action::ManageAccounts, |tx| {
            privacy::set_retention(
                tx,
                Retention {
                    personal_days: 3650,
                    call_days: 30,
                },
                clock.now(),
            )
        })
        .unwrap();

    // A value written by hand (or by an older version) cannot make the purge panic.
    for (raw, expected) in [
        ("100000000", 3650),
        ("-7", 30),
        (" 400 ", 400),
        ("abc", 365),
    ] {
        store
            .write(|tx| {
                settings::set_value(tx, "retention_personal_days", raw)?;
                settings::set_value(tx, "retention_call_days", raw)
            })
            .unwrap();
        let r = privacy::retention(store.db()).unwrap();
        assert_eq!(
            (r.personal_days, r.call_days),
            (expected, expected),
            "{raw}"
        );
        assert_eq!(settings::load(store.db()).unwrap().retention, r);
        store
            .write_as(Action::ManageAccounts, |tx| {
                privacy::purge(tx, clock.now(), r)
            })
            .unwrap();
    }
}

#[test]
fn purge_job_survives_a_huge_stored_retention() {
    let (dir, db) = common::temp_db();
    assert!(frontdesk(dir.path(), &db, &["init"]).status.success());
    {
        let mut store = Store::open(&db).unwrap();
        store
            .write(|tx| settings::set_value(tx, "retention_personal_days", "100000000"))
            .unwrap();
    }
    let out = frontdesk(dir.path(), &db, &["purge"]);
    assert!(out.status.success(), "{}", stderr(&out));
}

fn registered_customer(store: &mut Store, clock: &frontdesk::clock::FakeClock) -> i64 {
    let reg = RegistrationDraft {
        surname: "王".into(),
        honorific: Some(Honorific::Mr),
        phone: "13800001111".into(),
        ..RegistrationDraft::default()
    }
    .validate()
    .unwrap();
    let id = store
        .write(|tx| visits::register(tx, None, &reg, clock.now(), None))
        .unwrap();
    visits::get(store.db(), id).unwrap().customer_id.unwrap()
}

#[test]
fn revisit_interval_out_of_range_is_refused_and_stored_values_do_not_panic() {
    let (_dir, path) = common::temp_db();
    let clock = common::clock();
    let (mut store, _, _) = common::store_with_staff(&path, &clock);
    let id = registered_customer(&mut store, &clock);
    let mut file = customers::file(store.db(), id).unwrap();
    file.key_account = true;
    for days in [0, -1, 3651, 100_000_000, i64::MAX] {
        file.revisit_days = Some(days);
        let err = store
            .write(|tx| customers::save_file(tx, &file, clock.now()))
            .unwrap_err();
        assert!(
            err.user_message().contains("3650"),
            "{}",
            err.user_message()
        );
    }
    file.revisit_days = Some(3650);
    store
        .write(|tx| customers::save_file(tx, &file, clock.now()))
        .unwrap();
    store
        .write(|tx| customers::mark_revisit(tx, id, clock.now()))
        .unwrap();
    // Written by hand: the due list clamps instead of overflowing the date.
    for raw in [i64::MAX, 100_000_000, 3651] {
        store
            .write(|tx| {
                tx.execute(
                    "UPDATE customers SET revisit_days = ?2 WHERE id = ?1",
                    frontdesk::db_params![id, raw],
                )?;
                Ok(())
            })
            .unwrap();
        customers::revisit_due(store.db(), clock.now().date()).unwrap();
        customers::revisit_due(store.db(), clock.now().date() + Duration::days(4000)).unwrap();
    }
}

#[test]
fn customer_page_text_rules() {
    let (_dir, path) = common::temp_db();
    let clock = common::clock();
    let (mut store, _, _) = common::store_with_staff(&path, &clock);
    let id = registered_customer(&mut store, &clock);
    let file = customers::file(store.db(), id).unwrap();
    type Change = Box<dyn Fn(&mut customers::CustomerFile)>;
    let cases: Vec<Change> = vec![
        Box::new(|f| f.customer.name = "名".repeat(10_000)),
        Box::new(|f| f.customer.company = "a\0b".into()),
        Box::new(|f| f.customer.surname = String::new()),
        Box::new(|f| f.customer.surname = "x".repeat(41)),
        Box::new(|f| f.notes = "a\u{1b}[31m".into()),
        Box::new(|f| f.notes = "注".repeat(2001)),
    ];
    for change in cases {
        let mut f = file.clone();
        change(&mut f);
        let err = store
            .write(|tx| customers::save_file(tx, &f, clock.now()))
            .unwrap_err();
        assert!(matches!(err, StoreError::Domain(_)), "{err:?}");
    }
    let mut f = file.clone();
    f.customer.surname = "O'Brien".into();
    f.notes = "第一行\n\t第二行".into();
    store
        .write(|tx| customers::save_file(tx, &f, clock.now()))
        .unwrap();
    let back = customers::file(store.db(), id).unwrap();
    assert_eq!(back.customer.surname, "O'Brien");
    assert_eq!(back.notes, "第一行\n\t第二行");
    assert_eq!(back.customer.salutation().as_deref(), Some("O'Brien先生"));
}

/// Text of every kind: any Unicode (NUL, RTL marks, emoji sequences), SQL-looking text,
/// formula-looking text, and now and then something very long.
fn any_text() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => any::<String>(),
        2 => "[\\PC]{0,45}",
        1 => Just("Robert'); DROP TABLE visits;--".to_owned()),
        1 => Just("\u{202e}\u{200f}عربي\u{200e}".to_owned()),
        1 => Just("👨\u{200d}👩\u{200d}👧\u{200d}👦🇨🇳".to_owned()),
        1 => Just("=cmd|'/c calc'!A1".to_owned()),
        1 => Just("a\0b".to_owned()),
        1 => (0usize..4).prop_map(|k| "长".repeat(40 + k * 200)),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// The registration form: every draft is either stored and read back identical (as checked)
    /// or refused with a message.
    #[test]
    fn registration_stores_or_refuses(
        surname in any_text(),
        name in any_text(),
        company in any_text(),
        region in any_text(),
        purpose in any_text(),
    ) {
        let draft = RegistrationDraft {
            surname: surname.clone(),
            honorific: Some(Honorific::Ms),
            name: name.clone(),
            company: company.clone(),
            region: region.clone(),
            purpose: purpose.clone(),
            ..RegistrationDraft::default()
        };
        match draft.validate() {
            Err(e) => prop_assert!(!e.user_message().is_empty()),
            Ok(reg) => {
                prop_assert_eq!(reg.surname.as_str(), surname.trim());
                prop_assert_eq!(reg.name.as_str(), name.trim());
                let (_dir, path) = common::temp_db();
                let clock = common::clock();
                let mut store = Store::open(&path).unwrap();
                let id = store
                    .write(|tx| visits::register(tx, None, &reg, clock.now(), None))
                    .unwrap();
                let v = visits::get(store.db(), id).unwrap();
                prop_assert_eq!(&v.surname, &reg.surname);
                prop_assert_eq!(&v.name, &reg.name);
                prop_assert_eq!(&v.company, &reg.company);
                prop_assert_eq!(&v.region, &reg.region);
                prop_assert_eq!(&v.purpose, &reg.purpose);
                let c = customers::get(store.db(), v.customer_id.unwrap()).unwrap();
                prop_assert_eq!(&c.surname, &reg.surname);
                prop_assert_eq!(&c.company, &reg.company);
            }
        }
    }

    /// The visit importer: a CSV row with arbitrary text is either imported and read back
    /// identical, or the file is refused with a message naming line 2.
    #[test]
    fn visit_import_stores_or_refuses(
        surname in any_text(),
        name in any_text(),
        company in any_text(),
        purpose in any_text(),
        crlf in any::<bool>(),
    ) {
        let (dir, path) = common::temp_db();
        let file = dir.path().join("visits.csv");
        let mut w = csv::WriterBuilder::new()
            .terminator(if crlf { csv::Terminator::CRLF } else { csv::Terminator::Any(b'\n') })
            .from_path(&file)
            .unwrap();
        w.write_record(["arrived_at", "surname", "honorific", "name", "company", "purpose"]).unwrap();
        w.write_record(["2026-11-20 09:00:00", &surname, "先生", &name, &company, &purpose]).unwrap();
        w.flush().unwrap();
        drop(w);
        match frontdesk::cli::read_visit_register(&file) {
            Err(e) => {
                let msg = e.to_string();
                prop_assert!(msg.contains("nothing imported"), "{}", msg);
                prop_assert!(msg.contains("line 2,"), "{}", msg);
            }
            Ok(rows) => {
                prop_assert_eq!(rows.len(), 1);
                prop_assert_eq!(rows[0].surname.as_str(), surname.trim());
                prop_assert_eq!(rows[0].name.as_str(), name.trim());
                prop_assert_eq!(rows[0].company.as_str(), company.trim());
                let clock = common::clock();
                let mut store = Store::open(&path).unwrap();
                store
                    .write(|tx| visits::insert_imported(tx, &rows, clock.now(), "import"))
                    .unwrap();
                let day = rows[0].arrived_at;
                let back = visits::arrived_between(store.db(), day, day + Duration::seconds(1)).unwrap();
                prop_assert_eq!(back.len(), 1);
                prop_assert_eq!(&back[0].surname, &rows[0].surname);
                prop_assert_eq!(&back[0].name, &rows[0].name);
                prop_assert_eq!(&back[0].company, &rows[0].company);
                prop_assert_eq!(&back[0].purpose, &rows[0].purpose);
            }
        }
    }

    /// The customer importer, likewise.
    #[test]
    fn customer_import_stores_or_refuses(
        surname in any_text(),
        name in any_text(),
        company in any_text(),
        region in any_text(),
    ) {
        let (dir, path) = common::temp_db();
        let file = dir.path().join("customers.csv");
        let mut w = csv::Writer::from_path(&file).unwrap();
        w.write_record(["surname", "honorific", "name", "phone", "company", "region"]).unwrap();
        w.write_record([&surname, "女士", &name, "13900002222", &company, &region]).unwrap();
        w.flush().unwrap();
        drop(w);
        match frontdesk::cli::read_customer_list(&file) {
            Err(e) => prop_assert!(e.to_string().contains("line 2,"), "{}", e),
            Ok(rows) => {
                let clock = common::clock();
                let mut store = Store::open(&path).unwrap();
                store.set_actor(Actor::system());
                store
                    .write(|tx| customers::import(tx, &rows, clock.now()))
                    .unwrap();
                let c = customers::by_phone(store.db(), "13900002222").unwrap().unwrap();
                prop_assert_eq!(c.surname.as_str(), surname.trim());
                prop_assert_eq!(c.name.as_str(), name.trim());
                prop_assert_eq!(c.company.as_str(), company.trim());
                prop_assert_eq!(c.region.as_str(), region.trim());
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3))]

    /// A megabyte in one cell is refused with a short message, not stored or echoed.
    #[test]
    fn megabyte_cells_are_refused(column in 0usize..3) {
        let (dir, _path) = common::temp_db();
        let file = dir.path().join("visits.csv");
        let big = "x".repeat(1 << 20);
        let mut cells = ["王", "", ""];
        cells[column] = &big;
        let mut w = csv::Writer::from_path(&file).unwrap();
        w.write_record(["arrived_at", "surname", "honorific", "name", "company"]).unwrap();
        w.write_record(["2026-11-20 09:00:00", cells[0], "先生", cells[1], cells[2]]).unwrap();
        w.flush().unwrap();
        drop(w);
        let msg = frontdesk::cli::read_visit_register(&file).unwrap_err().to_string();
        prop_assert!(msg.contains("line 2,"), "{}", msg);
        prop_assert!(msg.len() < 1000);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    /// The call form: accepted text comes back trimmed and free of control characters other
    /// than line breaks and tabs in the long texts; anything else is refused with a message.
    #[test]
    fn call_form_accepts_or_refuses(
        caller in any_text(),
        region in any_text(),
        content in any_text(),
        answer in any_text(),
    ) {
        use frontdesk::domain::call::{CallDraft, Category};
        let clock = common::clock();
        let draft = CallDraft {
            rings: "2".into(),
            category: Some(Category::ALL[0]),
            caller_name: caller.clone(),
            region: region.clone(),
            content: content.clone(),
            answer: answer.clone(),
            ..CallDraft::default()
        };
        match draft.validate(clock.now(), None) {
            Err(e) => prop_assert!(!e.user_message().is_empty()),
            Ok(call) => {
                prop_assert_eq!(call.caller_name.as_str(), caller.trim());
                prop_assert_eq!(call.region.as_str(), region.trim());
                prop_assert!(!call.caller_name.chars().any(char::is_control));
                prop_assert!(!call.content.is_empty());
                for text in [&call.content, &call.answer] {
                    prop_assert!(text.chars().all(|c| !c.is_control() || c == '\n' || c == '\t'));
                    prop_assert!(text.chars().count() <= 2000);
                }
            }
        }
    }

    /// The complaint form, likewise.
    #[test]
    fn complaint_form_accepts_or_refuses(
        customer in any_text(),
        waybill in any_text(),
        category in any_text(),
        content in any_text(),
    ) {
        use frontdesk::domain::complaint::{AtFault, Channel, ComplaintDraft, Severity};
        let draft = ComplaintDraft {
            channel: Some(Channel::ALL[0]),
            customer_name: customer.clone(),
            waybill: waybill.clone(),
            category: category.clone(),
            severity: Some(Severity::ALL[0]),
            at_fault: Some(AtFault::ALL[0]),
            content: content.clone(),
            ..ComplaintDraft::default()
        };
        match draft.validate() {
            Err(e) => prop_assert!(!e.user_message().is_empty()),
            Ok(c) => {
                prop_assert_eq!(c.customer_name.as_str(), customer.trim());
                prop_assert_eq!(c.waybill.as_str(), waybill.trim());
                prop_assert_eq!(c.category.as_str(), category.trim());
                prop_assert!(!c.customer_name.is_empty() && !c.category.is_empty());
                prop_assert!(c.content.chars().all(|ch| !ch.is_control() || ch == '\n' || ch == '\t'));
            }
        }
    }

    /// The new-claim form, likewise, with any typed incident date.
    #[test]
    fn claim_form_accepts_or_refuses(
        waybill in any_text(),
        customer in any_text(),
        cause in any_text(),
        description in any_text(),
        date in prop_oneof![any_text(), "[+-]?[0-9]{1,6}-[0-9]{2}-[0-9]{2}"],
    ) {
        use frontdesk::domain::claim::{ClaimDraft, ClaimType};
        let clock = common::clock();
        let draft = ClaimDraft {
            waybill: waybill.clone(),
            customer_name: customer.clone(),
            incident_date: date,
            claim_type: Some(ClaimType::Damage),
            cause: cause.clone(),
            description: description.clone(),
            claimed: "100.00".into(),
            ..ClaimDraft::default()
        };
        match draft.validate(clock.now()) {
            Err(e) => prop_assert!(!e.user_message().is_empty()),
            Ok(c) => {
                prop_assert_eq!(c.waybill.as_str(), waybill.trim());
                prop_assert_eq!(c.customer_name.as_str(), customer.trim());
                prop_assert_eq!(c.cause.as_str(), cause.trim());
                prop_assert!(c.incident_date.is_some_and(|d| d <= clock.now().date()));
            }
        }
    }
}

#[test]
fn stored_settings_out_of_range_fall_back_to_the_defaults() {
    let (_dir, path) = common::temp_db();
    let mut store = Store::open(&path).unwrap();
    let defaults = settings::Settings::default();
    for (key, raw) in [
        ("greeting_limit_secs", "9223372036854775807"),
        ("water_limit_secs", "-1"),
        ("sla_first_response_secs", "9223372036854775807"),
        ("idle_lock_secs", "100000000000"),
    ] {
        store.write(|tx| settings::set_value(tx, key, raw)).unwrap();
    }
    let loaded = settings::load(store.db()).unwrap();
    assert_eq!(loaded.rules, defaults.rules);
    assert_eq!(loaded.sla, defaults.sla);
    assert_eq!(loaded.idle_lock_secs, defaults.idle_lock_secs);
    // Saving refuses text that breaks the field rules.
    let mut s = loaded.clone();
    s.company_name = "公".repeat(101);
    assert!(store.write(|tx| settings::save(tx, &s)).is_err());
    s.company_name = "顺达\0物流".into();
    assert!(store.write(|tx| settings::save(tx, &s)).is_err());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Money and percentages typed in any form: parsed within range or refused, never a panic.
    #[test]
    fn money_and_percent_accept_or_refuse(
        text in prop_oneof![any_text(), "[¥+-]?[0-9,]{0,30}(\\.[0-9]{0,4})?%?"],
    ) {
        use frontdesk::domain::money::{MAX_FEN, parse_fen, parse_percent};
        match parse_fen(&text, "claim.claimed") {
            Ok(fen) => prop_assert!((0..=MAX_FEN).contains(&fen)),
            Err(e) => prop_assert!(!e.user_message().is_empty()),
        }
        match parse_percent(&text, "claim.parties") {
            Ok(bp) => prop_assert!((1..=10_000).contains(&bp)),
            Err(e) => prop_assert!(!e.user_message().is_empty()),
        }
    }
}
