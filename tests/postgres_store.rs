//! The store's core on a real PostgreSQL server: opening and upgrading a database, refusing a
//! foreign or newer one before writing, write transactions that check the actor and seal every
//! changed row, and a raw edit made outside FrontDesk (as with psql) named by the seal check.
#![allow(clippy::unwrap_used, reason = "test code: a panic is a failed test")]

mod common;

use chrono::NaiveDateTime;
use frontdesk::db_params;
use frontdesk::domain::account::{Action, Actor};
use frontdesk::store::db::Db;
use frontdesk::store::{SCHEMA_VERSION, StoreError, audit, seal, server};

fn now() -> NaiveDateTime {
    NaiveDateTime::parse_from_str("2026-11-23 09:00:00", "%Y-%m-%d %H:%M:%S").unwrap()
}

#[test]
fn a_new_server_database_is_set_up_sealed_and_guarded() {
    let Some(pg) = common::pg::PgServer::start() else {
        return;
    };
    let url = pg.create_database("fd");
    // Two desks starting at once: one upgrades, the other waits and finds it done.
    let handles: Vec<_> = (0..2)
        .map(|_| {
            let url = url.clone();
            std::thread::spawn(move || server::open(&url).map(|_| ()))
        })
        .collect();
    for h in handles {
        h.join().unwrap().unwrap();
    }
    let conn = server::open(&url).unwrap();
    let db = Db::Postgres(&conn);
    assert_eq!(
        server::schema_state(db).unwrap(),
        server::SchemaState::Ours(SCHEMA_VERSION)
    );
    assert!(seal::database_id(db).unwrap().is_some());
    // The default rows were sealed when the schema was made.
    let report = seal::verify(db, &[]).unwrap();
    assert!(report.problems.is_empty(), "{:?}", report.problems);
    assert!(report.rows > 0 && report.chain_len == 1, "{report:?}");

    // A desk may not do an admin's write: refused, nothing written.
    let refused = server::write(&conn, &Actor::desk(), Action::ManageAccounts, |db| {
        db.execute(
            "INSERT INTO staff (name, role, active, created_at) VALUES ('x', 'rep', 1, ?1)",
            db_params![now()],
        )
    });
    assert!(matches!(refused, Err(StoreError::Domain(_))), "{refused:?}");
    // A write is sealed and audited in its transaction.
    let (id, head) = server::write(&conn, &Actor::system(), Action::ChangeSettings, |db| {
        let id: i64 = db.query_value(
            "INSERT INTO staff (name, role, active, created_at) VALUES (?1, 'rep', 1, ?2) RETURNING id",
            db_params!["李娜", now()],
        )?;
        audit::record(db, now(), "create", "staff", Some(id), "", "李娜")?;
        Ok(id)
    })
    .unwrap();
    assert_eq!(head.unwrap().entry, 2);
    // A failing write leaves nothing behind, the seal notes included.
    let failed = server::write(&conn, &Actor::system(), Action::ChangeSettings, |db| {
        db.execute(
            "UPDATE staff SET name = '王芳' WHERE id = ?1",
            db_params![id],
        )?;
        db.execute("INSERT INTO staff (name) VALUES (NULL)", db_params![])
    });
    assert!(failed.is_err());
    let name: String = db
        .query_value("SELECT name FROM staff WHERE id = ?1", db_params![id])
        .unwrap();
    assert_eq!(name, "李娜");
    let report = seal::verify(db, &[]).unwrap();
    assert!(report.problems.is_empty(), "{:?}", report.problems);
    assert_eq!(audit::first_broken(db).unwrap(), None);
    let entries = audit::recent(db, 5).unwrap();
    assert_eq!(entries[0].actor, "命令行");
    assert_eq!(entries[0].entity_id, Some(id));

    // Someone edits the row with psql (a session without FrontDesk's temporary tables): the
    // edit is not stopped, and the seal check names the table and the row.
    let mut raw = postgres::Client::connect(&url, postgres::NoTls).unwrap();
    raw.batch_execute(&format!("UPDATE staff SET name = '李四' WHERE id = {id}"))
        .unwrap();
    let report = seal::verify(db, &[]).unwrap();
    assert_eq!(
        report.problems,
        [format!("table staff row {id}: changed outside FrontDesk")]
    );
    // The audit trail refuses changes even to its owner.
    let e = raw
        .batch_execute("UPDATE audit SET actor = 'x'")
        .unwrap_err();
    let message = e
        .as_db_error()
        .map(|d| d.message().to_owned())
        .unwrap_or_default();
    assert!(message.contains("append-only"), "{e:?}");
}

#[test]
fn a_foreign_or_newer_server_database_is_refused_before_anything_is_written() {
    let Some(pg) = common::pg::PgServer::start() else {
        return;
    };
    let foreign = pg.create_database("other");
    let mut raw = postgres::Client::connect(&foreign, postgres::NoTls).unwrap();
    raw.batch_execute("CREATE TABLE invoices (id BIGINT)")
        .unwrap();
    let e = server::open(&foreign).unwrap_err();
    assert!(matches!(e, StoreError::ForeignFile { .. }), "{e:?}");
    let tables: i64 = raw
        .query_one(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(tables, 1);

    let newer = pg.create_database("newer");
    drop(server::open(&newer).unwrap());
    let mut raw = postgres::Client::connect(&newer, postgres::NoTls).unwrap();
    raw.batch_execute("UPDATE frontdesk_meta SET value = '99' WHERE key = 'schema_version'")
        .unwrap();
    let e = server::open(&newer).unwrap_err();
    assert!(
        matches!(e, StoreError::NewerSchema { found: 99, .. }),
        "{e:?}"
    );
    assert!(e.user_message().contains("99"));
}
