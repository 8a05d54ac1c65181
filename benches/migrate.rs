//! `frontdesk migrate` of ten years of records, timed: a file with 1,000,000 visits over ten
//! years and 100,000 customers, on top of the demo's three weeks of every kind of record (claims
//! with their evidence files, complaints, inspections), moved by the real binary to a throwaway
//! PostgreSQL server (fsync on, as a real one). Prints how long each part took; fails unless the
//! four reports are byte-identical on the file and on the server and every evidence file arrived
//! byte for byte.
//!
//! `cargo bench --bench migrate` (several minutes: most of it is the migration); with
//! `FRONTDESK_BENCH_KEEP=<folder>` the ten-year file stays in that folder afterwards.

#[path = "../tests/common/mod.rs"]
mod common;

use std::path::Path;
use std::process::Output;
use std::time::Instant;

use chrono::NaiveDateTime;
use frontdesk::domain::account::{Action, Actor};
use frontdesk::store::db::Db;
use frontdesk::store::{Store, customers};
use frontdesk::{db_params, demo};
use sha2::{Digest as _, Sha256};

const VISITS: i64 = 1_000_000;
const CUSTOMERS: i64 = 100_000;
/// The demo's records end here.
const UNTIL: &str = "2026-11-20 16:00:00";

fn at(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S").expect("time")
}

fn frontdesk(dir: &Path, args: &[&str]) -> Output {
    let out = common::frontdesk_command(dir)
        .args(args)
        .output()
        .expect("run frontdesk");
    assert!(
        out.status.success(),
        "frontdesk {args:?} failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// The demo, then ten years of visits before it (as an import would leave them: registered,
/// greeted, mostly served water, departed) by 100,000 customers.
fn build(file: &Path) {
    let mut store = Store::open(file).expect("open");
    demo::fill(&mut store, at(UNTIL)).expect("demo");
    store.set_actor(Actor::system());
    store
        .write_as(Action::DeskWork, |db| {
            let first_customer: i64 =
                db.query_value("SELECT coalesce(max(id), 0) + 1 FROM customers", db_params![])?;
            db.execute(
                "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < ?1)
                 INSERT INTO customers (surname, honorific, name, phone, company, region, created_at, updated_at)
                 SELECT substr('王李张刘陈杨黄赵吴周', i % 10 + 1, 1),
                        CASE i % 2 WHEN 0 THEN '先生' ELSE '女士' END,
                        substr('王李张刘陈杨黄赵吴周', i % 10 + 1, 1)
                            || substr('伟芳娜敏静丽强磊军洋', i / 10 % 10 + 1, 1) || i,
                        printf('139%08d', i), '顺达物流' || (i % 5000) || '号公司',
                        substr('上海北京广州深圳杭州', i % 5 * 2 + 1, 2),
                        '2016-10-01 09:00:00', '2016-10-01 09:00:00'
                 FROM n",
                db_params![CUSTOMERS],
            )?;
            let first_visit: i64 =
                db.query_value("SELECT coalesce(max(id), 0) + 1 FROM visits", db_params![])?;
            let staff: i64 = db.query_value("SELECT min(id) FROM staff", db_params![])?;
            // 274 visits a day, every two minutes from 08:30, for 3,650 days before the demo.
            db.execute(
                "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < ?1),
                 v(i, c, at) AS (
                    SELECT i, ?2 + i * 7919 % ?3,
                           datetime('2016-10-25 08:30:00', '+' || (i / 274) || ' days',
                                    '+' || (i % 274 * 2) || ' minutes')
                    FROM n)
                 INSERT INTO visits (customer_id, arrived_at, surname, honorific, name, phone, company,
                    region, party_size, purpose, is_returning, registered_at, greeted_at, greeted_by,
                    water_served_at, water_served_by, seeing_off_at, departed_at, offered_accompany,
                    travel_mode, reminded_belongings, reminded_documents, reminded_next_contact,
                    seen_off_by, created_by, source)
                 SELECT v.c, v.at, c.surname, c.honorific, c.name, c.phone, c.company, c.region,
                    1 + v.i % 3, '提货', v.i % 4 = 0, datetime(v.at, '+30 seconds'),
                    datetime(v.at, '+' || (10 + v.i % 80) || ' seconds'), ?4,
                    CASE WHEN v.i % 10 <> 0 THEN datetime(v.at, '+150 seconds') END,
                    CASE WHEN v.i % 10 <> 0 THEN ?4 END,
                    datetime(v.at, '+38 minutes'), datetime(v.at, '+40 minutes'), 1, '打车', 1, 1,
                    v.i % 2, ?4, ?4, 'import'
                 FROM v JOIN customers c ON c.id = v.c",
                db_params![VISITS, first_customer, CUSTOMERS, staff],
            )?;
            db.execute(
                "INSERT INTO visit_log (visit_id, at, staff_id, action, detail)
                 SELECT id, arrived_at, created_by, 'import', '' FROM visits WHERE id >= ?1",
                db_params![first_visit],
            )?;
            customers::reindex_all(db)
        })
        .expect("ten years of visits");
}

/// SHA-256 of every evidence file, by id.
fn evidence(db: Db<'_>) -> Vec<(i64, String)> {
    db.query_map(
        "SELECT id, data FROM claim_files ORDER BY id",
        db_params![],
        |r| {
            let data: Vec<u8> = r.get(1)?;
            let hash: String = Sha256::digest(&data)
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect();
            Ok((r.get(0)?, hash))
        },
    )
    .expect("evidence")
}

fn main() {
    let Some(server) = common::pg::PgServer::start_with(common::pg::Options {
        durable: true,
        ..common::pg::Options::default()
    }) else {
        eprintln!("*** PostgreSQL is not installed: the migration benchmark did not run");
        return;
    };
    let dir = tempfile::tempdir().expect("dir");
    // FRONTDESK_BENCH_KEEP=folder keeps the ten-year file there, to measure it by hand.
    let file = match std::env::var_os("FRONTDESK_BENCH_KEEP") {
        Some(folder) => std::path::PathBuf::from(folder).join("ten_years.sqlite3"),
        None => dir.path().join("ten_years.sqlite3"),
    };
    if file.exists() {
        std::fs::remove_file(&file).expect("an earlier kept file");
    }
    let started = Instant::now();
    build(&file);
    let size = std::fs::metadata(&file).expect("file").len();
    println!(
        "built {VISITS} visits, {CUSTOMERS} customers (+ the demo) in {:.1} s; file {:.0} MB",
        started.elapsed().as_secs_f64(),
        size as f64 / 1e6
    );

    let url = server.create_database("ten_years");
    let file_arg = file.to_str().expect("path");
    let started = Instant::now();
    frontdesk(
        dir.path(),
        &["migrate", "--from", file_arg, "--to", url.as_str()],
    );
    println!(
        "frontdesk migrate (checks the file, copies, verifies counts, seals, checks the server): {:.1} s",
        started.elapsed().as_secs_f64()
    );

    let reports: [&[&str]; 5] = [
        &[
            "report",
            "reception",
            "--from",
            "2025-11-01",
            "--to",
            "2026-10-31",
        ],
        &[
            "report",
            "reception",
            "--from",
            "2016-10-25",
            "--to",
            "2026-10-31",
        ],
        &[
            "report",
            "complaints",
            "--week",
            "2026-W47",
            "--as-of",
            UNTIL,
        ],
        &["report", "claims", "--month", "2026-11"],
        &["report", "inspections", "--month", "2026-11"],
    ];
    for args in reports {
        let mut with_db = args.to_vec();
        with_db.extend(["--db", file_arg]);
        let started = Instant::now();
        let on_file = frontdesk(dir.path(), &with_db).stdout;
        let file_secs = started.elapsed().as_secs_f64();
        with_db.pop();
        with_db.push(url.as_str());
        let started = Instant::now();
        let on_server = frontdesk(dir.path(), &with_db).stdout;
        let server_secs = started.elapsed().as_secs_f64();
        assert!(
            on_file == on_server,
            "{args:?} differs:\n--- file\n{}\n--- server\n{}",
            String::from_utf8_lossy(&on_file),
            String::from_utf8_lossy(&on_server)
        );
        assert!(String::from_utf8_lossy(&on_file).lines().count() > 2);
        println!(
            "{args:?}: identical ({file_secs:.2} s on the file, {server_secs:.2} s on the server)"
        );
    }

    let on_file = evidence(Store::open_read_only(&file).expect("file").db());
    let server_store = Store::open(&url).expect("server");
    let on_server = evidence(server_store.db());
    assert!(!on_file.is_empty(), "the demo has evidence files");
    assert_eq!(on_file, on_server, "every evidence file byte for byte");
    println!("{} evidence files identical byte for byte", on_file.len());
}
