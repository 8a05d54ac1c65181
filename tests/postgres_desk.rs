//! The desk's store modules (staff, settings, inbox, callbacks, calls, complaints) on both
//! backends: one scenario run through the public store functions on a SQLite file and on a
//! throwaway PostgreSQL server, and what the read functions return compared field by field.
//! The searches mix the case of ASCII letters and use `%`, `_` and `!`, the lists sort ties
//! and optional times, and the server's record of changes is checked clean at the end.
#![allow(clippy::unwrap_used, reason = "test code: a panic is a failed test")]

mod common;

use chrono::{NaiveDate, NaiveDateTime};
use frontdesk::db_params;
use frontdesk::domain::account::{Action, Actor};
use frontdesk::domain::call::{Call, Callback, CallbackResult, Category, Outcome};
use frontdesk::domain::complaint::{
    AtFault, Channel, ComplaintDraft, ReplyChannel, Satisfaction, Severity, Status, WeekNotes,
};
use frontdesk::domain::staff::{Role, Staff};
use frontdesk::i18n::Lang;
use frontdesk::store::db::{Db, PgConn};
use frontdesk::store::{
    Result, Store, callbacks, calls, complaints, inbox, seal, server, settings, staff,
};

fn at(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S").unwrap()
}

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

/// One backend, as the scenario uses it.
trait Desk {
    /// Runs `f` in one write transaction as the system actor; on error nothing is written.
    fn try_write<T>(&mut self, action: Action, f: impl FnOnce(Db<'_>) -> Result<T>) -> Result<T>;
    /// Where reads run.
    fn read(&self) -> Db<'_>;

    fn write<T>(&mut self, action: Action, f: impl FnOnce(Db<'_>) -> Result<T>) -> T {
        self.try_write(action, f).unwrap()
    }
}

struct Sqlite(Store);

impl Desk for Sqlite {
    fn try_write<T>(&mut self, action: Action, f: impl FnOnce(Db<'_>) -> Result<T>) -> Result<T> {
        self.0.write_as(action, f)
    }

    fn read(&self) -> Db<'_> {
        Db::Sqlite(self.0.sqlite().unwrap())
    }
}

struct Postgres(PgConn);

impl Desk for Postgres {
    fn try_write<T>(&mut self, action: Action, f: impl FnOnce(Db<'_>) -> Result<T>) -> Result<T> {
        server::write(&self.0, &Actor::system(), "test", action, f).map(|(value, _)| value)
    }

    fn read(&self) -> Db<'_> {
        Db::Postgres(&self.0)
    }
}

/// Everything the read functions returned, in the order they were called.
#[derive(Debug, Default, PartialEq)]
struct Seen(Vec<String>);

impl Seen {
    fn note(&mut self, what: &str, value: impl std::fmt::Debug) {
        self.0.push(format!("{what}: {value:?}"));
    }
}

/// A customer made the way the archive makes one (only what the callback's revisit needs).
fn customer(db: Db<'_>, surname: &str, now: NaiveDateTime) -> Result<i64> {
    db.query_value(
        "INSERT INTO customers (surname, phone, created_at, updated_at) VALUES (?1, '13800001111', ?2, ?2)
         RETURNING id",
        db_params![surname, now],
    )
}

fn call(at_: &str, caller: &str, content: &str, staff_id: Option<i64>) -> Call {
    Call {
        at: at(at_),
        rings: 2,
        caller_name: caller.into(),
        phone: "13912345678".into(),
        region: "Pudong".into(),
        category: Some(Category::Enquiry),
        content: content.into(),
        answer: "已告知".into(),
        repeated_back: true,
        outcome: Some(Outcome::Answered),
        staff_id,
        ..Call::default()
    }
}

fn draft(name: &str, waybill: &str, severity: Severity, content: &str) -> ComplaintDraft {
    ComplaintDraft {
        channel: Some(Channel::Phone),
        customer_id: None,
        customer_name: name.into(),
        phone: "13700000000".into(),
        waybill: waybill.into(),
        category: "延误".into(),
        severity: Some(severity),
        at_fault: Some(AtFault::Unknown),
        content: content.into(),
        call_id: None,
    }
}

/// The scenario: staff, settings, calls and their inbox entries, callbacks, complaints.
fn scenario(d: &mut impl Desk) -> Seen {
    let mut seen = Seen::default();
    let t0 = at("2026-11-23 09:00:00");
    let (bob, li) = staff_steps(d, &mut seen, t0);
    settings_steps(d, &mut seen, li);
    let call_ids = call_steps(d, &mut seen, bob, li);
    let now = at("2026-11-24 09:00:00");
    let ordinary = complaint_steps(d, &mut seen, bob, li, &call_ids, now);
    category_and_week_note_steps(d, &mut seen, now);
    inbox_steps(d, &mut seen, li, &call_ids, t0, now);
    callback_steps(d, &mut seen, bob, li, ordinary, t0, now);
    seen
}

/// The scenario's staff; returns the ids of bob and 李娜, who do the desk work.
fn staff_steps(d: &mut impl Desk, seen: &mut Seen, t0: NaiveDateTime) -> (i64, i64) {
    // Staff: names that sort differently with and without case folding; one inactive.
    let ids = d.write(Action::ChangeSettings, |db| {
        let mut ids = Vec::new();
        for (name, role) in [
            ("bob", Role::ServiceRep),
            ("Alice", Role::Salesperson),
            ("alice", Role::Driver),
            ("李娜", Role::ServiceRep),
            ("Carl", Role::Operator),
        ] {
            ids.push(staff::add(db, name, role, t0)?);
        }
        Ok(ids)
    });
    let (bob, li, carl) = (ids[0], ids[3], ids[4]);
    d.write(Action::ChangeSettings, |db| {
        staff::update(
            db,
            &Staff {
                id: carl,
                name: " Carl Wu ".into(),
                role: Role::KeyAccountManager,
                active: false,
            },
        )
    });
    let missing = d.try_write(Action::ChangeSettings, |db| {
        staff::update(
            db,
            &Staff {
                id: 9_999,
                name: "x".into(),
                role: Role::Driver,
                active: true,
            },
        )
    });
    seen.note(
        "update of a missing member",
        missing.map_err(|e| e.to_string()),
    );
    seen.note("staff", staff::all(d.read()).unwrap());
    (bob, li)
}

/// The scenario's settings, with 李娜 as the operator for a while.
fn settings_steps(d: &mut impl Desk, seen: &mut Seen, li: i64) {
    // Settings: defaults, a save, single values, the operator removed again.
    seen.note("default settings", settings::load(d.read()).unwrap());
    let mut s = settings::load(d.read()).unwrap();
    s.company_name = "顺达 Express".into();
    s.operator_id = Some(li);
    s.idle_lock_secs = 600;
    d.write(Action::ChangeSettings, |db| settings::save(db, &s));
    d.write(Action::DeskWork, |db| settings::set_lang(db, Lang::En));
    d.write(Action::DeskWork, |db| {
        settings::set_value(db, "last_purge_on", "2026-11-22")?;
        settings::set_value(db, "retention_call_days", "99999")
    });
    seen.note("saved settings", settings::load(d.read()).unwrap());
    seen.note(
        "raw value",
        settings::value(d.read(), "last_purge_on").unwrap(),
    );
    d.write(Action::DeskWork, |db| settings::set_operator(db, None));
    seen.note(
        "operator removed",
        settings::load(d.read()).unwrap().operator_id,
    );
    seen.note(
        "no such value",
        settings::value(d.read(), "nothing").unwrap(),
    );
}

/// The scenario's calls and their searches; returns the calls' ids.
fn call_steps(d: &mut impl Desk, seen: &mut Seen, bob: i64, li: i64) -> Vec<i64> {
    // Calls: mixed-case text, `%`, `_` and `!` in what is searched, one escalated.
    let call_ids = d.write(Action::DeskWork, |db| {
        let made = [
            call(
                "2026-11-23 09:05:00",
                "Zhang SAN",
                "Where is my parcel?",
                Some(bob),
            ),
            Call {
                rings: 7,
                apology_said: Some(true),
                category: Some(Category::Complaint),
                escalated: true,
                ..call(
                    "2026-11-23 09:10:00",
                    "王芳",
                    "50% off promised_! NOT given",
                    Some(li),
                )
            },
            call("2026-11-23 09:10:00", "zhang san", "price list", None),
            Call {
                category: Some(Category::Tracking),
                escalated: true,
                ..call(
                    "2026-11-22 17:30:00",
                    "Ärger GmbH",
                    "ÄRGER über Zustellung",
                    Some(bob),
                )
            },
        ];
        made.iter()
            .map(|c| calls::insert(db, c))
            .collect::<Result<Vec<_>>>()
    });
    for (what, filter) in [
        ("all", calls::CallFilter::default()),
        (
            "text in mixed case",
            calls::CallFilter {
                text: "  ZHANG san ".into(),
                ..Default::default()
            },
        ),
        (
            "text with % and _ dropped",
            calls::CallFilter {
                text: "OFF%_ promised".into(),
                ..Default::default()
            },
        ),
        (
            "text with the escape character",
            calls::CallFilter {
                text: "! NOT".into(),
                ..Default::default()
            },
        ),
        (
            "non-ASCII letters in any case too",
            calls::CallFilter {
                text: "ärger".into(),
                ..Default::default()
            },
        ),
        (
            "staff, category and times",
            calls::CallFilter {
                from: Some(at("2026-11-23 00:00:00")),
                to: Some(at("2026-11-24 00:00:00")),
                category: Some(Category::Enquiry),
                staff_id: Some(bob),
                text: String::new(),
            },
        ),
    ] {
        seen.note(what, calls::count(d.read(), &filter).unwrap());
        seen.note(what, calls::page(d.read(), &filter, 0, 10).unwrap());
    }
    seen.note(
        "second page",
        calls::page(d.read(), &calls::CallFilter::default(), 2, 2).unwrap(),
    );
    seen.note("one call", calls::get(d.read(), call_ids[1]).unwrap());
    let rings = calls::rings_between(
        d.read(),
        at("2026-11-22 00:00:00"),
        at("2026-11-24 00:00:00"),
    )
    .unwrap();
    // Bob twice within 2 rings, Li once after 7 with the apology, one call with nobody.
    assert_eq!(rings.len(), 3, "{rings:?}");
    let total = calls::Rings::total(&rings);
    assert_eq!(
        (total.within_2, total.over_5, total.over_5_apologised),
        (3, 1, 1)
    );
    seen.note("rings", rings);
    // The same calls per day: one on 11-22, three on 11-23 (one late, with the apology).
    let per_day = calls::rings_per_day(
        d.read(),
        at("2026-11-22 00:00:00"),
        at("2026-11-24 00:00:00"),
    )
    .unwrap();
    let counts: Vec<_> = per_day
        .iter()
        .map(|d| {
            (
                d.day,
                d.rings.calls(),
                d.rings.within_2,
                d.rings.over_5_apologised,
            )
        })
        .collect();
    assert_eq!(
        counts,
        [(day("2026-11-22"), 1, 1, 0), (day("2026-11-23"), 3, 2, 1)]
    );
    assert_eq!(
        calls::Rings::total(&per_day.iter().map(|d| d.rings).collect::<Vec<_>>()),
        total,
        "the days add up to the staff's figures"
    );
    seen.note("rings per day", per_day);
    seen.note(
        "missing call",
        calls::get(d.read(), 9_999).map_err(|e| e.to_string()),
    );
    call_ids
}

/// The scenario's complaints and their workflow; returns the id of the closed one.
fn complaint_steps(
    d: &mut impl Desk,
    seen: &mut Seen,
    bob: i64,
    li: i64,
    call_ids: &[i64],
    now: NaiveDateTime,
) -> i64 {
    // Complaints: a major one (to the inbox), one from a call, the whole workflow on one.
    let t1 = at("2026-11-23 10:00:00");
    let (major, ordinary, from_call) = d.write(Action::DeskWork, |db| {
        let major = complaints::create(
            db,
            &draft("Li Lei", "SF1000_1", Severity::Major, "Box CRUSHED"),
            t1,
            Some(li),
        )?;
        let ordinary = complaints::create(
            db,
            &draft("han meimei", "SF2000", Severity::Ordinary, "late again"),
            t1,
            Some(bob),
        )?;
        let from_call = complaints::create(
            db,
            &ComplaintDraft {
                call_id: Some(call_ids[1]),
                ..draft("王芳", "", Severity::Ordinary, "折扣没有兑现")
            },
            at("2026-11-23 09:12:00"),
            Some(li),
        )?;
        Ok((major, ordinary, from_call))
    });
    let t2 = at("2026-11-23 11:00:00");
    d.write(Action::DeskWork, |db| {
        complaints::clarify(db, ordinary, "箱子在分拣时压坏", t2, Some(bob))?;
        complaints::add_handling(
            db,
            ordinary,
            "联系分拣中心",
            Some(at("2026-11-24 10:00:00")),
            t2,
            Some(bob),
        )?;
        complaints::add_reply(
            db,
            ordinary,
            ReplyChannel::Phone,
            "已赔偿",
            true,
            at("2026-11-23 15:00:00"),
            Some(bob),
        )?;
        complaints::mark_recorded(db, ordinary, at("2026-11-23 15:05:00"), Some(bob))?;
        complaints::set_status(
            db,
            ordinary,
            Status::Closed,
            Some(Satisfaction::Basic),
            "",
            at("2026-11-23 15:10:00"),
            Some(bob),
        )?;
        complaints::report(db, major, "经理 Zhou", t2, Some(li))?;
        complaints::classify(
            db,
            from_call,
            "运费争议",
            Severity::Major,
            AtFault::Yes,
            t2,
            Some(li),
        )?;
        complaints::add_handling(db, major, "核查监控", None, t2, Some(li))
    });
    for text in [
        "", "  li LEI", "sf1000_1", "SF2000", "crushed", "运费", "%", "nobody",
    ] {
        seen.note(
            &format!("complaint list {text:?}"),
            complaints::list(d.read(), now, 30, text).unwrap(),
        );
    }
    seen.note(
        "closed long ago leaves the list",
        complaints::list(d.read(), at("2027-03-01 09:00:00"), 30, "")
            .unwrap()
            .iter()
            .map(|c| c.id)
            .collect::<Vec<_>>(),
    );
    seen.note(
        "received between",
        complaints::received_between(d.read(), at("2026-11-23 00:00:00"), t1).unwrap(),
    );
    seen.note("events", complaints::events(d.read(), ordinary).unwrap());
    seen.note("one complaint", complaints::get(d.read(), major).unwrap());
    seen.note(
        "the call was linked",
        calls::get(d.read(), call_ids[1]).unwrap(),
    );
    let closed = d.try_write(Action::DeskWork, |db| {
        complaints::clarify(db, ordinary, "again", now, None)
    });
    seen.note(
        "a closed complaint takes no step",
        closed.map_err(|e| e.to_string()),
    );
    // The dashboard's figures: per day, the satisfaction given.
    let (from, to) = (at("2026-11-01 00:00:00"), at("2026-12-01 00:00:00"));
    seen.note(
        "complaints per day",
        complaints::received_per_day(d.read(), from, to).unwrap(),
    );
    seen.note(
        "claims per day",
        frontdesk::store::claims::reported_per_day(d.read(), from, to).unwrap(),
    );
    seen.note(
        "satisfaction",
        complaints::satisfaction(d.read(), now, 30).unwrap(),
    );
    ordinary
}

/// The scenario's complaint categories and week notes.
fn category_and_week_note_steps(d: &mut impl Desk, seen: &mut Seen, now: NaiveDateTime) {
    // Categories and week notes.
    d.write(Action::ChangeSettings, |db| {
        complaints::set_categories(
            db,
            &[
                "延误".into(),
                "New Cat".into(),
                "服务态度".into(),
                "延误".into(),
            ],
        )
    });
    seen.note("categories", complaints::categories(d.read()).unwrap());
    seen.note(
        "no week notes",
        complaints::week_notes(d.read(), "2026-W48").unwrap(),
    );
    for notes in [
        WeekNotes {
            waybills: Some(1_200),
            analysis: "  first ".into(),
        },
        WeekNotes {
            waybills: None,
            analysis: "second".into(),
        },
    ] {
        d.write(Action::DeskWork, |db| {
            complaints::save_week_notes(db, "2026-W48", &notes, now)
        });
        seen.note(
            "week notes",
            complaints::week_notes(d.read(), "2026-W48").unwrap(),
        );
    }
}

/// The scenario's inbox: entries acknowledged, once twice, and one added by hand.
fn inbox_steps(
    d: &mut impl Desk,
    seen: &mut Seen,
    li: i64,
    call_ids: &[i64],
    t0: NaiveDateTime,
    now: NaiveDateTime,
) {
    // The inbox: three entries; two acknowledged at the same moment (a tie), one waiting.
    seen.note("inbox", inbox::list(d.read()).unwrap());
    seen.note("waiting", inbox::open_count(d.read()).unwrap());
    let entries = inbox::list(d.read()).unwrap();
    let ack = at("2026-11-23 16:00:00");
    d.write(Action::AcknowledgeInbox, |db| {
        inbox::acknowledge(db, entries[2].id, Some(li), ack)?;
        inbox::acknowledge(db, entries[0].id, None, ack)
    });
    let again = d.try_write(Action::AcknowledgeInbox, |db| {
        inbox::acknowledge(db, entries[0].id, Some(li), now)
    });
    seen.note("acknowledged twice", again.map_err(|e| e.to_string()));
    d.write(Action::DeskWork, |db| {
        inbox::add(db, inbox::Kind::Call, call_ids[0], t0, "manual")
    });
    seen.note("inbox after", inbox::list(d.read()).unwrap());
    seen.note("waiting after", inbox::open_count(d.read()).unwrap());
}

/// The scenario's callbacks about the closed complaint `ordinary`, one of them completed.
fn callback_steps(
    d: &mut impl Desk,
    seen: &mut Seen,
    bob: i64,
    li: i64,
    ordinary: i64,
    t0: NaiveDateTime,
    now: NaiveDateTime,
) {
    // Callbacks: due dates out of order, one for a key customer completed.
    let (customer, cb) = d.write(Action::DeskWork, |db| {
        let customer = customer(db, "Zhou", t0)?;
        db.execute(
            "UPDATE customers SET key_account = 1 WHERE id = ?1",
            db_params![customer],
        )?;
        let mut ids = Vec::new();
        for (due, name, customer_id) in [
            ("2026-11-26", "Zhou", Some(customer)),
            ("2026-11-24", " 王芳 ", None),
            ("2026-11-24", "", None),
            ("2026-12-10", "Later", None),
        ] {
            ids.push(callbacks::schedule(
                db,
                &Callback {
                    due: day(due),
                    name: name.into(),
                    phone: "13600000000".into(),
                    purpose: "回访满意度".into(),
                    complaint_id: Some(ordinary),
                    customer_id,
                    ..Callback::default()
                },
                t0,
                Some(li),
            )?);
        }
        Ok((customer, ids))
    });
    let past = d.try_write(Action::DeskWork, |db| {
        callbacks::schedule(
            db,
            &Callback {
                due: day("2026-11-01"),
                name: "x".into(),
                ..Callback::default()
            },
            t0,
            None,
        )
    });
    seen.note("a past callback", past.map_err(|e| e.to_string()));
    seen.note(
        "due by the 26th",
        callbacks::open_until(d.read(), day("2026-11-26")).unwrap(),
    );
    d.write(Action::DeskWork, |db| {
        callbacks::complete(
            db,
            cb[0],
            &CallbackResult {
                quality: Some(Satisfaction::Satisfied),
                usage: " 每周发货 ".into(),
                satisfaction: Some(Satisfaction::Basic),
                notes: "ok".into(),
                staff_feedback: String::new(),
            },
            at("2026-11-25 10:00:00"),
            Some(bob),
        )
    });
    let twice = d.try_write(Action::DeskWork, |db| {
        callbacks::complete(
            db,
            cb[0],
            &CallbackResult {
                satisfaction: Some(Satisfaction::Basic),
                ..CallbackResult::default()
            },
            now,
            None,
        )
    });
    seen.note("completed twice", twice.map_err(|e| e.to_string()));
    seen.note(
        "due by the 26th after",
        callbacks::open_until(d.read(), day("2026-11-26")).unwrap(),
    );
    let revisit: Option<String> = d
        .read()
        .query_value(
            "SELECT last_revisit_at FROM customers WHERE id = ?1",
            db_params![customer],
        )
        .unwrap();
    seen.note("the key customer's revisit", revisit);
}

#[test]
fn the_desk_modules_behave_the_same_on_both_backends() {
    let Some(server_) = common::pg::PgServer::start() else {
        return;
    };
    let (_dir, path) = common::temp_db();
    let mut store = Store::open(&path).unwrap();
    store.set_actor(Actor::system());
    let mut sqlite = Sqlite(store);
    let on_sqlite = scenario(&mut sqlite);

    let url = server_.create_database("desk");
    let mut postgres = Postgres(server::open(&url).unwrap());
    let on_postgres = scenario(&mut postgres);

    for (i, (a, b)) in on_sqlite.0.iter().zip(&on_postgres.0).enumerate() {
        assert_eq!(a, b, "step {i} differs");
    }
    assert_eq!(on_sqlite, on_postgres);
    // The searches found what they should (not just the same nothing on both).
    let text = on_sqlite.0.join("\n");
    assert!(text.contains("text in mixed case: 2"), "{text}");
    assert!(text.contains("text with % and _ dropped: 1"), "{text}");
    assert!(text.contains("text with the escape character: 1"), "{text}");
    assert!(
        text.contains("non-ASCII letters in any case too: 1"),
        "{text}"
    );
    assert!(text.contains("waiting: 4"), "{text}");
    assert!(text.contains("waiting after: 3"), "{text}");

    let report = seal::verify(Db::Postgres(&postgres.0), &[]).unwrap();
    assert!(report.problems.is_empty(), "{:?}", report.problems);
}
