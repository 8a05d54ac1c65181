//! Command-line tests: run the built binary on temp files and compare outputs.
#![allow(clippy::unwrap_used, reason = "test code: a panic is a failed test")]

mod common;

use std::path::Path;
use std::process::{Command, Output};

fn frontdesk(db: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_frontdesk"))
        .args(args)
        .arg("--db")
        .arg(db)
        .env("FRONTDESK_LOG", "error")
        .output()
        .expect("run frontdesk")
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

/// A small register whose report is computed by hand below.
const REGISTER: &str = "\u{feff}surname,honorific,arrived_at,greeted_at,water_served_at,departed_at,phone,name,company,purpose,party_size,travel_mode
王,先生,2026-11-02 09:00:00,2026-11-02 09:00:30,2026-11-02 09:03:00,2026-11-02 09:40:00,13812345678,王堃,顺达贸易,提货,2,打车
李,女士,2026-11-02 10:00:00,2026-11-02 10:01:30,,2026-11-02 10:30:00,,,,,,
张,先生,2026-11-02 11:00:00,,,,,,,,,
王,先生,2026-11-04 14:00:00,2026-11-04 14:01:00,2026-11-04 14:02:00,,138 1234 5678,,,咨询,1,
";

/// By hand: 11-02 has 3 visits; greeted after 30 s and 90 s (one within 60 s); water 1; seen off 2.
/// 11-03 has none. 11-04 has 1, greeted after 60 s (within: ≤ 60), water 1, not seen off.
/// Total: 4 visits, 3 greeted (30, 90, 60 → median 60, max 90), 2 within, water 2, seen off 2.
const EXPECTED: &str = "date,visits,greeted,greeted_within_limit,greeting_compliance_pct,median_greeting_s,max_greeting_s,water_served,water_served_pct,seen_off,seen_off_pct
2026-11-02,3,2,1,33.3,60.0,90.0,1,33.3,2,66.7
2026-11-03,0,0,0,,,,0,,0,
2026-11-04,1,1,1,100.0,60.0,60.0,1,100.0,0,0.0
total,4,3,2,50.0,60.0,90.0,2,50.0,2,50.0
";

#[test]
fn init_creates_once_and_check_passes() {
    let (_dir, db) = common::temp_db();
    let out = frontdesk(&db, &["init"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(db.exists());
    let again = frontdesk(&db, &["init"]);
    assert!(again.status.success());
    assert!(stderr(&again).contains("already exists"));
    let check = frontdesk(&db, &["check"]);
    assert!(check.status.success(), "{}", stderr(&check));
    assert!(stdout(&check).starts_with("ok"));
}

#[test]
fn import_and_report_match_the_hand_computed_figures() {
    let (dir, db) = common::temp_db();
    let register = dir.path().join("register.csv");
    std::fs::write(&register, REGISTER).unwrap();
    let out = frontdesk(&db, &["import", "visits", register.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("imported 4 visits"));

    let report = frontdesk(
        &db,
        &[
            "report",
            "reception",
            "--from",
            "2026-11-02",
            "--to",
            "2026-11-04",
        ],
    );
    assert!(report.status.success(), "{}", stderr(&report));
    assert_eq!(stdout(&report), EXPECTED);

    // The same phone (typed differently) is the same customer; the visit without a phone is not.
    let conn = rusqlite::Connection::open(&db).unwrap();
    let customers: i64 = conn
        .query_row("SELECT count(*) FROM customers", [], |r| r.get(0))
        .unwrap();
    assert_eq!(customers, 3);
    let returning: i64 = conn
        .query_row(
            "SELECT count(*) FROM visits WHERE is_returning = 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(returning, 1);

    // To a file: UTF-8 with BOM so Excel/WPS read it.
    let file = dir.path().join("reception.csv");
    let out = frontdesk(
        &db,
        &[
            "report",
            "reception",
            "--from",
            "2026-11-02",
            "--to",
            "2026-11-04",
            "--out",
            file.to_str().unwrap(),
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let bytes = std::fs::read(&file).unwrap();
    assert!(bytes.starts_with("\u{feff}".as_bytes()));
    assert_eq!(std::str::from_utf8(&bytes[3..]).unwrap(), EXPECTED);
}

#[test]
fn an_import_with_bad_rows_names_each_and_imports_nothing() {
    let (dir, db) = common::temp_db();
    let register = dir.path().join("bad.csv");
    std::fs::write(
        &register,
        "arrived_at,surname,honorific,greeted_at,party_size,travel_mode,phone
2026-11-02 09:00:00,王,先生,2026-11-02 09:00:30,1,,
2026-11-02 25:00:00,李,女士,,,,
2026-11-02 10:00:00,,小姐,2026-11-02 09:59:00,0,高铁,13x
",
    )
    .unwrap();
    let out = frontdesk(&db, &["import", "visits", register.to_str().unwrap()]);
    assert!(!out.status.success());
    let err = stderr(&out);
    for expected in [
        "line 3, column arrived_at",
        "line 4, column surname: required",
        "line 4, column honorific",
        "line 4, column greeted_at: earlier than arrived_at",
        "line 4, column party_size",
        "line 4, column travel_mode",
        "line 4, column phone",
        "nothing imported; 7 problem(s)",
    ] {
        assert!(err.contains(expected), "missing {expected:?} in:\n{err}");
    }
    let conn = rusqlite::Connection::open(&db).unwrap();
    let visits: i64 = conn
        .query_row("SELECT count(*) FROM visits", [], |r| r.get(0))
        .unwrap_or(0);
    assert_eq!(visits, 0, "nothing imported");

    let missing = dir.path().join("missing.csv");
    std::fs::write(&missing, "surname,when\n王,2026\n").unwrap();
    let out = frontdesk(&db, &["import", "visits", missing.to_str().unwrap()]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(err.contains("column when: unknown column"), "{err}");
    assert!(
        err.contains("column arrived_at: required column is missing"),
        "{err}"
    );
}

#[test]
fn xlsx_import_and_xlsx_report() {
    use calamine::{Data, Reader as _};
    let (dir, db) = common::temp_db();
    let register = dir.path().join("register.xlsx");
    {
        let mut book = rust_xlsxwriter::Workbook::new();
        let ws = book.add_worksheet();
        let rows: Vec<Vec<&str>> = REGISTER
            .trim_start_matches('\u{feff}')
            .lines()
            .map(|l| l.split(',').collect())
            .collect();
        for (r, row) in rows.iter().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                if !cell.is_empty() {
                    ws.write_string(r as u32, c as u16, *cell).unwrap();
                }
            }
        }
        // One arrival time as a real Excel date-time cell, as registers typed in Excel have.
        let when = rust_xlsxwriter::ExcelDateTime::parse_from_str("2026-11-02 09:00:00").unwrap();
        let fmt = rust_xlsxwriter::Format::new().set_num_format("yyyy-mm-dd hh:mm:ss");
        ws.write_datetime_with_format(1, 2, &when, &fmt).unwrap();
        book.save(&register).unwrap();
    }
    let out = frontdesk(&db, &["import", "visits", register.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let report = frontdesk(
        &db,
        &[
            "report",
            "reception",
            "--from",
            "2026-11-02",
            "--to",
            "2026-11-04",
        ],
    );
    assert_eq!(stdout(&report), EXPECTED);

    let xlsx = dir.path().join("reception.xlsx");
    let out = frontdesk(
        &db,
        &[
            "report",
            "reception",
            "--from",
            "2026-11-02",
            "--to",
            "2026-11-04",
            "--format",
            "xlsx",
            "--out",
            xlsx.to_str().unwrap(),
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let mut book = calamine::open_workbook_auto(&xlsx).unwrap();
    let range = book.worksheet_range_at(0).unwrap().unwrap();
    assert_eq!(range.get((0, 0)), Some(&Data::String("date".into())));
    assert_eq!(range.get((4, 0)), Some(&Data::String("total".into())));
    assert_eq!(range.get((4, 1)), Some(&Data::Float(4.0)));
    assert_eq!(range.get((4, 4)), Some(&Data::Float(50.0)));
    assert!(
        matches!(range.get((2, 4)), None | Some(Data::Empty)),
        "no visits: no percentage"
    );

    let no_out = frontdesk(
        &db,
        &[
            "report",
            "reception",
            "--from",
            "2026-11-02",
            "--to",
            "2026-11-04",
            "--format",
            "xlsx",
        ],
    );
    assert!(!no_out.status.success());
}

#[test]
fn a_newer_database_is_refused_untouched() {
    let (_dir, db) = common::temp_db();
    assert!(frontdesk(&db, &["init"]).status.success());
    {
        let conn = rusqlite::Connection::open(&db).unwrap();
        conn.pragma_update(None, "user_version", 99).unwrap();
        conn.pragma_update(None, "journal_mode", "DELETE").unwrap();
    }
    let before = std::fs::read(&db).unwrap();
    for args in [
        &["init"][..],
        &[
            "report",
            "reception",
            "--from",
            "2026-11-01",
            "--to",
            "2026-11-02",
        ],
        &["demo"],
        &["check"],
    ] {
        let out = frontdesk(&db, args);
        assert!(!out.status.success(), "{args:?} must fail");
        assert!(stderr(&out).contains("99"), "{args:?}: {}", stderr(&out));
    }
    assert_eq!(std::fs::read(&db).unwrap(), before);
}

#[test]
fn demo_fills_weeks_of_visits_and_backup_copies_them() {
    let (dir, db) = common::temp_db();
    let out = frontdesk(&db, &["demo"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let conn = rusqlite::Connection::open(&db).unwrap();
    let days: i64 = conn
        .query_row(
            "SELECT count(DISTINCT substr(arrived_at, 1, 10)) FROM visits",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(days >= 14, "a few weeks of visits, got {days} days");
    let present: i64 = conn
        .query_row(
            "SELECT count(*) FROM visits WHERE departed_at IS NULL AND cancelled_at IS NULL",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(present >= 3, "someone is at the counter now");
    // A second demo would double the data: refused.
    assert!(!frontdesk(&db, &["demo"]).status.success());

    let backup = dir.path().join("backup.sqlite3");
    let out = frontdesk(&db, &["backup", "--out", backup.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let check = frontdesk(&backup, &["check"]);
    assert!(check.status.success(), "{}", stderr(&check));
}
