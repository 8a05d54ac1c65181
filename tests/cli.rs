//! Command-line tests: run the built binary on temp files and compare outputs.
#![allow(clippy::unwrap_used, reason = "test code: a panic is a failed test")]

mod common;

use std::path::Path;
use std::process::{Command, Output};

fn frontdesk(db: &Path, args: &[&str]) -> Output {
    // Configuration files of this machine must not change what the tests see.
    common::frontdesk_command(db.parent().unwrap())
        .args(args)
        .arg("--db")
        .arg(db)
        .output()
        .expect("run frontdesk")
}

/// Runs frontdesk without `--db`, with the configuration files in `dir`.
fn frontdesk_configured(dir: &Path, args: &[&str]) -> Output {
    common::frontdesk_command(dir)
        .args(args)
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
/// An imported visit carries no seeing-off checklist: none is seen off with it (0 % of the two
/// departures of 11-02; no share on the days nobody left).
const EXPECTED: &str = "date,visits,greeted,greeted_within_limit,greeting_compliance_pct,median_greeting_s,max_greeting_s,water_served,water_served_pct,seen_off,seen_off_pct,seen_off_checklist,seen_off_checklist_pct
2026-11-02,3,2,1,33.3,60.0,90.0,1,33.3,2,66.7,0,0.0
2026-11-03,0,0,0,,,,0,,0,,0,
2026-11-04,1,1,1,100.0,60.0,60.0,1,100.0,0,0.0,0,
total,4,3,2,50.0,60.0,90.0,2,50.0,2,50.0,0,0.0
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

/// Visits seen off at the desk: the report counts those seen off with the whole checklist and
/// gives their share of the departures; one without a reminder, and one still in the building,
/// are not counted.
#[test]
fn report_reception_counts_departures_seen_off_with_the_whole_checklist() {
    use frontdesk::clock::Clock as _;
    use frontdesk::domain::visit::{SeeOffChecklist, TravelMode};
    let (_dir, db) = common::temp_db();
    let clock = common::clock();
    {
        let (mut store, li, _) = common::store_with_staff(&db, &clock);
        let whole = SeeOffChecklist {
            offered_accompany: true,
            travel_mode: Some(TravelMode::Plane),
            reminded_belongings: true,
            reminded_documents: true,
            reminded_next_contact: true,
        };
        let no_belongings = SeeOffChecklist {
            reminded_belongings: false,
            ..whole.clone()
        };
        for checklist in [Some(&whole), Some(&no_belongings), Some(&whole), None] {
            let id = store
                .write(|tx| frontdesk::store::visits::arrive(tx, clock.now(), Some(li)))
                .unwrap();
            clock.advance_secs(900);
            if let Some(c) = checklist {
                store
                    .write(|tx| {
                        frontdesk::store::visits::change(
                            tx,
                            id,
                            clock.now(),
                            Some(li),
                            "depart",
                            "",
                            |v| v.depart(c, Some(li), clock.now()),
                        )
                    })
                    .unwrap();
            }
        }
    }
    let report = frontdesk(
        &db,
        &[
            "report",
            "reception",
            "--from",
            "2026-11-23",
            "--to",
            "2026-11-23",
        ],
    );
    assert!(report.status.success(), "{}", stderr(&report));
    let text = stdout(&report);
    let lines: Vec<Vec<&str>> = text.lines().map(|l| l.split(',').collect()).collect();
    let column = |name: &str| lines[0].iter().position(|c| *c == name).unwrap();
    let (seen_off, done, share) = (
        column("seen_off"),
        column("seen_off_checklist"),
        column("seen_off_checklist_pct"),
    );
    assert_eq!(
        (done, share),
        (lines[0].len() - 2, lines[0].len() - 1),
        "last"
    );
    for row in &lines[1..] {
        assert_eq!(
            (row[0], row[1], row[seen_off], row[done], row[share]),
            (row[0], "4", "3", "2", "66.7"),
            "{text}"
        );
    }
    assert_eq!(lines.len(), 3, "the day and the total: {text}");
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

/// The demo's sign-ins (some late, one late day penalised), daily reports (one read), case
/// transfers at each stage, last month's quality measures and incidents.
fn demo_has_the_staff_work(conn: &rusqlite::Connection) {
    let count = |sql: &str| -> i64 { conn.query_row(sql, [], |r| r.get(0)).unwrap() };
    assert!(
        count("SELECT count(*) FROM attendance") >= 40,
        "two weeks of sign-ins"
    );
    assert!(
        count("SELECT count(*) FROM attendance WHERE signed_in_at > day || ' 09:00:59'") > 0,
        "some late"
    );
    assert_eq!(
        count(
            "SELECT count(*) FROM rewards_penalties r JOIN attendance a ON a.id = r.attendance_id
             WHERE r.kind = 'penalty' AND a.signed_in_at > a.day || ' 09:00:59'"
        ),
        1,
        "a late day penalised"
    );
    assert_eq!(count("SELECT count(*) FROM daily_reports"), 2);
    assert_eq!(
        count("SELECT count(*) FROM daily_reports WHERE read_at IS NOT NULL"),
        1
    );
    // One transfer at each stage: sent, accepted, answered, confirmed.
    let stages: Vec<(bool, bool, bool)> = conn
        .prepare(
            "SELECT accepted_at IS NOT NULL, outcome_at IS NOT NULL, confirmed_at IS NOT NULL
             FROM case_transfers ORDER BY id",
        )
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(
        stages,
        [
            (true, true, true),
            (true, true, false),
            (true, false, false),
            (false, false, false)
        ]
    );
    // The measures are last month's: the month before the one of the latest visit (now).
    assert!(
        count(
            "SELECT count(*) FROM quality_measures
             WHERE month = strftime('%Y-%m', (SELECT max(arrived_at) FROM visits), 'start of month', '-1 day')"
        ) >= 1,
        "last month's most failed items have their measures"
    );
    assert!(count("SELECT count(*) FROM incidents") >= 1);
    // Waybill change requests at each stage: told back, answered, waiting, just passed on.
    assert_eq!(
        count("SELECT count(*) FROM waybill_changes WHERE confirmed_at IS NOT NULL"),
        1
    );
    assert_eq!(
        count(
            "SELECT count(*) FROM waybill_changes WHERE handled_at IS NOT NULL AND confirmed_at IS NULL"
        ),
        1
    );
    assert_eq!(
        count("SELECT count(*) FROM waybill_changes WHERE handled_at IS NULL"),
        2
    );
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
    demo_has_the_staff_work(&conn);
    // A second demo would double the data: refused.
    assert!(!frontdesk(&db, &["demo"]).status.success());

    let backup = dir.path().join("backup.sqlite3");
    let out = frontdesk(&db, &["backup", "--out", backup.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let check = frontdesk(&backup, &["check"]);
    assert!(check.status.success(), "{}", stderr(&check));
}

/// Week 2026-W10 (2026-03-02 … 03-08), figures as of 2026-03-12 12:00, checked by hand:
/// C1 服务态度/一般/电话/是: responded after 1 h, answered after 24 h, closed 满意.
/// C2 货物破损/重大/来访/待查: responded after 25 h (late), still in progress (overdue).
/// C3 延误/一般/电话/否: never responded (overdue).
/// C4 服务态度/重大/电话/是: responded after 30 min, answered after 22.5 h, closed 不满意.
/// C5 is received the week after and is not counted.
const WEEKLY: &str = "dimension,value,complaints,first_response_met,resolution_met,overdue_open,company_at_fault,rated,satisfied
category,服务态度,2,2,2,0,2,2,1
category,货物破损,1,0,0,1,0,0,0
category,延误,1,0,0,1,0,0,0
severity,一般,2,1,1,1,1,1,1
severity,重大,2,1,1,1,1,1,0
channel,电话,3,2,2,1,2,2,1
channel,来访,1,0,0,1,0,0,0
status,受理,1,0,0,1,0,0,0
status,处理中,1,0,0,1,0,0,0
status,已结案,2,2,2,0,2,2,1
total,all,4,2,2,2,2,2,1
";

fn weekly_fixture(db: &Path) {
    use chrono::NaiveDateTime;
    use frontdesk::domain::complaint::{
        AtFault, Channel, ComplaintDraft, ReplyChannel, Satisfaction, Severity, Status,
    };
    use frontdesk::store::{Store, complaints};
    let at = |s: &str| NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S").unwrap();
    let draft = |channel, category: &str, severity, at_fault| ComplaintDraft {
        channel: Some(channel),
        customer_name: "客户".into(),
        category: category.into(),
        severity: Some(severity),
        at_fault: Some(at_fault),
        content: "内容".into(),
        ..ComplaintDraft::default()
    };
    let mut store = Store::open(db).unwrap();
    store
        .write(|tx| {
            let c1 = complaints::create(
                tx,
                &draft(Channel::Phone, "服务态度", Severity::Ordinary, AtFault::Yes),
                at("2026-03-02 09:00:00"),
                None,
            )?;
            complaints::set_status(
                tx,
                c1,
                Status::InProgress,
                None,
                "",
                at("2026-03-02 10:00:00"),
                None,
            )?;
            complaints::add_reply(
                tx,
                c1,
                ReplyChannel::Phone,
                "结果",
                true,
                at("2026-03-03 09:00:00"),
                None,
            )?;
            complaints::set_status(
                tx,
                c1,
                Status::Closed,
                Some(Satisfaction::Satisfied),
                "",
                at("2026-03-03 10:00:00"),
                None,
            )?;
            let c2 = complaints::create(
                tx,
                &draft(
                    Channel::Visit,
                    "货物破损",
                    Severity::Major,
                    AtFault::Unknown,
                ),
                at("2026-03-03 09:00:00"),
                None,
            )?;
            complaints::set_status(
                tx,
                c2,
                Status::InProgress,
                None,
                "",
                at("2026-03-04 10:00:00"),
                None,
            )?;
            complaints::create(
                tx,
                &draft(Channel::Phone, "延误", Severity::Ordinary, AtFault::No),
                at("2026-03-05 14:00:00"),
                None,
            )?;
            let c4 = complaints::create(
                tx,
                &draft(Channel::Phone, "服务态度", Severity::Major, AtFault::Yes),
                at("2026-03-06 09:00:00"),
                None,
            )?;
            complaints::set_status(
                tx,
                c4,
                Status::InProgress,
                None,
                "",
                at("2026-03-06 09:30:00"),
                None,
            )?;
            complaints::set_status(
                tx,
                c4,
                Status::Replied,
                None,
                "",
                at("2026-03-07 08:00:00"),
                None,
            )?;
            complaints::set_status(
                tx,
                c4,
                Status::Closed,
                Some(Satisfaction::Unsatisfied),
                "",
                at("2026-03-07 09:00:00"),
                None,
            )?;
            complaints::create(
                tx,
                &draft(Channel::Phone, "延误", Severity::Ordinary, AtFault::No),
                at("2026-03-09 09:00:00"),
                None,
            )?;
            Ok(())
        })
        .unwrap();
}

#[test]
fn weekly_complaint_summary_matches_hand_computed_figures_in_csv_and_xlsx() {
    use calamine::{Data, Reader as _};
    let (dir, db) = common::temp_db();
    weekly_fixture(&db);
    let args = [
        "report",
        "complaints",
        "--week",
        "2026-W10",
        "--as-of",
        "2026-03-12 12:00:00",
    ];
    let out = frontdesk(&db, &args);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out), WEEKLY);

    let xlsx = dir.path().join("weekly.xlsx");
    let mut with_out = args.to_vec();
    with_out.extend(["--format", "xlsx", "--out", xlsx.to_str().unwrap()]);
    let out = frontdesk(&db, &with_out);
    assert!(out.status.success(), "{}", stderr(&out));
    let mut book = calamine::open_workbook_auto(&xlsx).unwrap();
    let range = book.worksheet_range("summary").unwrap();
    let from_xlsx: Vec<String> = range
        .rows()
        .map(|row| {
            row.iter()
                .map(|c| match c {
                    Data::Float(f) => format!("{f:.0}"),
                    other => other.to_string(),
                })
                .collect::<Vec<_>>()
                .join(",")
        })
        .collect();
    assert_eq!(from_xlsx.join("\n") + "\n", WEEKLY, "CSV and XLSX agree");
    assert!(
        book.worksheet_range("complaints").unwrap().rows().count() == 5,
        "header + 4 complaints"
    );

    let bad = frontdesk(&db, &["report", "complaints", "--week", "2026-47"]);
    assert!(!bad.status.success());
    assert!(stderr(&bad).contains("ISO week"));
}

/// March 2026, checked by hand:
/// K1 破损/装卸不当 ¥1,500.00 claimed, 司机 60 % + 分公司 40 %, agreed and paid ¥1,000.01
/// (60,001 + 40,000 fen), ¥500.00 recovered (30,000 + 20,000), closed.
/// K2 丢失/交通事故 ¥800.00, 承运商 100 %, agreed ¥600.00, not paid yet.
/// K3 破损/包装不良 ¥300.00, no parties, rejected. K4 is reported in April and not counted.
const CLAIMS_MARCH: &str = "dimension,value,claims,claimed_fen,agreed_fen,paid_fen,recovered_fen
type,破损,2,180000,100001,100001,50000
type,丢失,1,80000,60000,0,0
cause,装卸不当,1,150000,100001,100001,50000
cause,包装不良,1,30000,0,0,0
cause,交通事故,1,80000,60000,0,0
responsible_role,司机,1,90000,60001,60001,30000
responsible_role,分公司,1,60000,40000,40000,20000
responsible_role,承运商,1,80000,60000,0,0
status,已协商,1,80000,60000,0,0
status,已结案,1,150000,100001,100001,50000
status,拒赔,1,30000,0,0,0
total,all,3,260000,160001,100001,50000
";

fn claims_fixture(db: &Path) {
    use chrono::NaiveDateTime;
    use frontdesk::domain::claim::{
        ClaimDraft, ClaimStatus, ClaimType, InsurerStatus, Party, PartyRole,
    };
    use frontdesk::store::{Store, claims};
    let at = |s: &str| NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S").unwrap();
    let draft = |ty, cause: &str, claimed: &str, day: &str| ClaimDraft {
        waybill: "SD1".into(),
        customer_name: "客户".into(),
        incident_date: day.into(),
        claim_type: Some(ty),
        cause: cause.into(),
        description: "经过".into(),
        claimed: claimed.into(),
        ..ClaimDraft::default()
    };
    let party = |name: &str, role, share_bp| Party {
        name: name.into(),
        role: Some(role),
        share_bp,
        ..Party::default()
    };
    let mut store = Store::open(db).unwrap();
    store
        .write(|tx| {
            let t = at("2026-03-02 10:00:00");
            let k1 = claims::create(
                tx,
                &draft(ClaimType::Damage, "装卸不当", "1500", "2026-03-01")
                    .validate(t)
                    .unwrap(),
                None,
            )?;
            claims::move_status(tx, k1, ClaimStatus::Investigating, "", t, None)?;
            claims::set_parties(
                tx,
                k1,
                &[
                    party("张伟", PartyRole::Driver, 6000),
                    party("上海分公司", PartyRole::Branch, 4000),
                ],
                t,
                None,
            )?;
            claims::move_status(tx, k1, ClaimStatus::LiabilitySet, "", t, None)?;
            claims::set_money(tx, k1, Some(100_001), None, t, None)?;
            claims::move_status(tx, k1, ClaimStatus::Agreed, "", t, None)?;
            claims::set_money(tx, k1, None, Some(100_001), t, None)?;
            claims::move_status(tx, k1, ClaimStatus::Paid, "", t, None)?;
            claims::move_status(tx, k1, ClaimStatus::Closed, "", t, None)?;
            let insurer = claims::Insurer {
                name: "平安".into(),
                status: Some(InsurerStatus::Paid),
                recovered_fen: 50_000,
                ..Default::default()
            };
            claims::set_insurer(tx, k1, &insurer, t, None)?;
            let t = at("2026-03-10 10:00:00");
            let k2 = claims::create(
                tx,
                &draft(ClaimType::Loss, "交通事故", "800", "2026-03-09")
                    .validate(t)
                    .unwrap(),
                None,
            )?;
            claims::move_status(tx, k2, ClaimStatus::Investigating, "", t, None)?;
            claims::set_parties(
                tx,
                k2,
                &[party("顺通运输", PartyRole::Carrier, 10_000)],
                t,
                None,
            )?;
            claims::move_status(tx, k2, ClaimStatus::LiabilitySet, "", t, None)?;
            claims::set_money(tx, k2, Some(60_000), None, t, None)?;
            claims::move_status(tx, k2, ClaimStatus::Agreed, "", t, None)?;
            let t = at("2026-03-20 10:00:00");
            let k3 = claims::create(
                tx,
                &draft(ClaimType::Damage, "包装不良", "300", "2026-03-19")
                    .validate(t)
                    .unwrap(),
                None,
            )?;
            claims::move_status(
                tx,
                k3,
                ClaimStatus::Rejected,
                "未保价且包装不符合要求",
                t,
                None,
            )?;
            let t = at("2026-04-01 09:00:00");
            claims::create(
                tx,
                &draft(ClaimType::Delay, "天气", "100", "2026-03-31")
                    .validate(t)
                    .unwrap(),
                None,
            )?;
            Ok(())
        })
        .unwrap();
}

#[test]
fn monthly_claims_report_matches_hand_computed_figures_in_csv_and_xlsx() {
    use calamine::{Data, Reader as _};
    let (dir, db) = common::temp_db();
    claims_fixture(&db);
    let out = frontdesk(&db, &["report", "claims", "--month", "2026-03"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out), CLAIMS_MARCH);
    let xlsx = dir.path().join("claims.xlsx");
    let out = frontdesk(
        &db,
        &[
            "report",
            "claims",
            "--month",
            "2026-03",
            "--format",
            "xlsx",
            "--out",
            xlsx.to_str().unwrap(),
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let mut book = calamine::open_workbook_auto(&xlsx).unwrap();
    let range = book.worksheet_range("summary").unwrap();
    let from_xlsx: Vec<String> = range
        .rows()
        .map(|row| {
            row.iter()
                .map(|c| match c {
                    Data::Float(f) => format!("{f:.0}"),
                    other => other.to_string(),
                })
                .collect::<Vec<_>>()
                .join(",")
        })
        .collect();
    assert_eq!(
        from_xlsx.join("\n") + "\n",
        CLAIMS_MARCH,
        "CSV and XLSX agree"
    );
    assert_eq!(
        book.worksheet_range("claims").unwrap().rows().count(),
        4,
        "header + 3 claims"
    );
    let bad = frontdesk(&db, &["report", "claims", "--month", "2026-3"]);
    assert!(!bad.status.success());
}

#[test]
fn check_finds_an_audit_row_edited_by_hand() {
    let (_dir, db) = common::temp_db();
    assert!(frontdesk(&db, &["demo"]).status.success());
    assert!(frontdesk(&db, &["check"]).status.success());
    {
        let conn = rusqlite::Connection::open(&db).unwrap();
        conn.execute_batch(
            "DROP TRIGGER audit_no_update; UPDATE audit SET after = '篡改' WHERE id = 2;",
        )
        .unwrap();
    }
    let out = frontdesk(&db, &["check"]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("audit trail: row 2"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn monthly_inspection_report_counts_each_item() {
    use chrono::NaiveDateTime;
    use frontdesk::domain::account::{Action, Actor};
    use frontdesk::domain::inspection::{CheckedItem, Inspection, ItemResult, TargetKind};
    use frontdesk::store::{Store, inspections};
    let (_dir, db) = common::temp_db();
    let at = |s: &str| NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S").unwrap();
    let item = |text: &str, result| CheckedItem {
        id: 0,
        text: text.into(),
        result,
        note: String::new(),
        photo: None,
    };
    let inspection = |when: &str, items| Inspection {
        id: 0,
        at: at(when),
        inspector: "吴昊".into(),
        target_kind: TargetKind::Counter,
        target: "一号柜台".into(),
        staff_id: None,
        template_name: "前台".into(),
        items,
        remark: String::new(),
    };
    {
        let mut store = Store::open(&db).unwrap();
        store.set_actor(Actor::system());
        store
            .write_as(Action::Inspect, |tx| {
                use ItemResult::{NotApplicable, Pass};
                inspections::create(
                    tx,
                    &inspection(
                        "2026-03-03 10:00:00",
                        vec![
                            item("A", Pass),
                            item("B", ItemResult::Fail),
                            item("C", NotApplicable),
                        ],
                    ),
                    None,
                    None,
                )?;
                inspections::create(
                    tx,
                    &inspection(
                        "2026-03-10 10:00:00",
                        vec![item("A", Pass), item("B", Pass)],
                    ),
                    None,
                    None,
                )?;
                inspections::create(
                    tx,
                    &inspection("2026-04-01 10:00:00", vec![item("A", ItemResult::Fail)]),
                    None,
                    None,
                )?;
                Ok(())
            })
            .unwrap();
    }
    let out = frontdesk(&db, &["report", "inspections", "--month", "2026-03"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        stdout(&out),
        "item,checked,passed,failed,not_applicable,pass_pct\nA,2,2,0,0,100.0\nB,2,1,1,0,50.0\nC,1,0,0,1,\ntotal,5,3,1,1,75.0\n"
    );
}

#[test]
fn import_customers_all_or_nothing_and_update_by_phone() {
    let (dir, db) = common::temp_db();
    let bad = dir.path().join("bad.csv");
    std::fs::write(&bad, "surname,honorific,phone,key_account,credit_grade\n王,先生,13812345678,是,A\n李,小姐,abc,也许,E\n").unwrap();
    let out = frontdesk(&db, &["import", "customers", bad.to_str().unwrap()]);
    assert!(!out.status.success());
    let err = stderr(&out);
    for expected in [
        "line 3, column honorific",
        "line 3, column phone",
        "line 3, column key_account",
        "line 3, column credit_grade",
    ] {
        assert!(err.contains(expected), "missing {expected}: {err}");
    }
    let good = dir.path().join("good.csv");
    std::fs::write(&good, "\u{feff}surname,honorific,name,phone,company,region,key_account,credit_grade\n王,先生,王堃,13812345678,重庆某运输有限公司,重庆,是,A\n李,女士,李娜,13900001111,,上海,否,\n").unwrap();
    let out = frontdesk(&db, &["import", "customers", good.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("2 added, 0 updated"));
    let again = frontdesk(&db, &["import", "customers", good.to_str().unwrap()]);
    assert!(
        stderr(&again).contains("0 added, 2 updated"),
        "{}",
        stderr(&again)
    );
    let conn = rusqlite::Connection::open(&db).unwrap();
    let (key, grade): (i64, String) = conn
        .query_row(
            "SELECT key_account, credit_grade FROM customers WHERE phone = '13812345678'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!((key, grade.as_str()), (1, "A"));
}

/// Purge with a fixed "now" (the register below is old): report figures stay identical, and a
/// marker put in a visitor's name is gone from the database file, its WAL and old backups.
#[test]
fn purge_anonymises_old_personal_data_and_leaves_no_trace_in_the_files() {
    let (dir, db) = common::temp_db();
    let register = dir.path().join("register.csv");
    let marker = "独特标记堃喆昇";
    std::fs::write(
        &register,
        format!(
            "surname,honorific,name,phone,company,arrived_at,greeted_at,water_served_at,departed_at\n王,先生,{marker},13812345678,{marker}公司,2024-03-02 09:00:00,2024-03-02 09:00:30,2024-03-02 09:03:00,2024-03-02 09:40:00\n"
        ),
    )
    .unwrap();
    assert!(
        frontdesk(&db, &["import", "visits", register.to_str().unwrap()])
            .status
            .success()
    );
    // An old backup beside the database, named the way `frontdesk backup` names them.
    let old_backup = dir.path().join("frontdesk-20240401-120000.sqlite3");
    assert!(
        frontdesk(&db, &["backup", "--out", old_backup.to_str().unwrap()])
            .status
            .success()
    );
    let report_before = stdout(&frontdesk(
        &db,
        &[
            "report",
            "reception",
            "--from",
            "2024-03-01",
            "--to",
            "2024-03-03",
        ],
    ));
    let contains = |path: &Path| {
        std::fs::read(path)
            .map(|b| b.windows(marker.len()).any(|w| w == marker.as_bytes()))
            .unwrap_or(false)
    };
    assert!(
        contains(&db) || contains(&db.with_extension("sqlite3-wal")),
        "the marker is there before"
    );

    let out = frontdesk(&db, &["purge"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("1 visits") && stdout(&out).contains("1 customers"),
        "{}",
        stdout(&out)
    );
    assert!(
        stdout(&out).contains("removed 1 old backups"),
        "{}",
        stdout(&out)
    );
    assert_eq!(
        stdout(&frontdesk(
            &db,
            &[
                "report",
                "reception",
                "--from",
                "2024-03-01",
                "--to",
                "2024-03-03"
            ]
        )),
        report_before,
        "counts and times stay, so reports do not change"
    );
    assert!(!contains(&db), "gone from the database file");
    assert!(
        !contains(&db.with_extension("sqlite3-wal")),
        "gone from the WAL"
    );
    // The search index stores two-character pieces: none of the marker's may be left either.
    let chars: Vec<char> = marker.chars().collect();
    let file = std::fs::read(&db).unwrap();
    for pair in chars.windows(2) {
        let pair: String = pair.iter().collect();
        assert!(
            !file.windows(pair.len()).any(|w| w == pair.as_bytes()),
            "the piece {pair} is still in the file (search index)"
        );
    }
    assert!(!old_backup.exists(), "old backups are removed");
    assert!(frontdesk(&db, &["check"]).status.success());
}

#[test]
fn version_names_the_program_and_the_schema_it_writes() {
    let out = Command::new(env!("CARGO_BIN_EXE_frontdesk"))
        .arg("--version")
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_eq!(
        stdout(&out).trim(),
        format!(
            "frontdesk {} (database schema version {})",
            env!("CARGO_PKG_VERSION"),
            frontdesk::store::SCHEMA_VERSION
        )
    );
}

#[test]
fn config_files_choose_the_database_and_the_backup_folder() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(
        d.join("machine.toml"),
        "# written by IT\ndatabase = 'shared/frontdesk.sqlite3'\nbackup_folder = 'backups'\n",
    )
    .unwrap();
    std::fs::create_dir(d.join("shared")).unwrap();
    // The machine-wide file names the database (relative to the file's folder).
    let out = frontdesk_configured(d, &["init"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(d.join("shared/frontdesk.sqlite3").exists());
    let shown = stdout(&frontdesk_configured(d, &["config"]));
    let machine = d.join("machine.toml").display().to_string();
    assert!(
        shown.contains(&format!(
            "database = {} (from {machine}:2)",
            d.join("shared/frontdesk.sqlite3").display()
        )),
        "{shown}"
    );
    assert!(shown.contains("user file:"), "{shown}");
    assert!(shown.contains("(not present)"), "{shown}");
    // Backups go to the configured folder, created when missing.
    let out = frontdesk_configured(d, &["backup"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let backups: Vec<_> = std::fs::read_dir(d.join("backups")).unwrap().collect();
    assert_eq!(backups.len(), 1);
    // The user's file overrides the machine-wide one; --db overrides both.
    std::fs::write(d.join("user.toml"), "database = 'mine.sqlite3'\n").unwrap();
    let shown = stdout(&frontdesk_configured(d, &["config"]));
    assert!(
        shown.contains(&format!(
            "database = {} (from {}:1)",
            d.join("mine.sqlite3").display(),
            d.join("user.toml").display()
        )),
        "{shown}"
    );
    let other = d.join("other.sqlite3");
    let shown = stdout(&frontdesk_configured(
        d,
        &["config", "--db", other.to_str().unwrap()],
    ));
    assert!(
        shown.contains(&format!("database = {} (from --db)", other.display())),
        "{shown}"
    );
}

#[test]
fn a_bad_config_file_is_named_with_its_line_and_no_other_database_is_used() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(
        d.join("machine.toml"),
        "database = 'ok.sqlite3'\n\ndatabase_file = 'typo.sqlite3'\n",
    )
    .unwrap();
    for args in [
        &["init"][..],
        &["check"],
        &["report", "claims", "--month", "2026-11"],
    ] {
        let out = frontdesk_configured(d, args);
        assert!(!out.status.success(), "{args:?}");
        let err = stderr(&out);
        assert!(
            err.contains(&d.join("machine.toml").display().to_string()),
            "{err}"
        );
        assert!(err.contains("第 3 行"), "{err}");
        assert!(err.contains("database_file"), "{err}");
    }
    // Nothing was created: neither the configured file nor the default one.
    assert!(!d.join("ok.sqlite3").exists());
    assert!(!d.join("home").exists());
    // A file that is not TOML at all.
    std::fs::write(d.join("machine.toml"), "[[[\n").unwrap();
    let out = frontdesk_configured(d, &["init"]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("第 1 行"), "{}", stderr(&out));
}

#[test]
fn config_set_writes_the_machine_file_as_the_installer_does() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let db = d.join("data").join("前台.sqlite3");
    let out = frontdesk_configured(
        d,
        &[
            "config",
            "set",
            "--machine",
            "database",
            db.to_str().unwrap(),
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let shown = stdout(&frontdesk_configured(d, &["config"]));
    assert!(
        shown.contains(&format!(
            "database = {} (from {}:",
            db.display(),
            d.join("machine.toml").display()
        )),
        "{shown}"
    );
    // Setting it again replaces the value and keeps what else is in the file.
    std::fs::write(
        d.join("machine.toml"),
        format!(
            "# deployed\n{}",
            std::fs::read_to_string(d.join("machine.toml")).unwrap()
        ),
    )
    .unwrap();
    let out = frontdesk_configured(d, &["config", "set", "--machine", "backup_folder", "bk"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = std::fs::read_to_string(d.join("machine.toml")).unwrap();
    assert!(text.starts_with("# deployed\n"), "{text}");
    assert!(text.contains("backup_folder"), "{text}");
    // The user's file is the default target; unknown keys are refused.
    let out = frontdesk_configured(d, &["config", "set", "database", "u.sqlite3"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(d.join("user.toml").exists());
    let out = frontdesk_configured(d, &["config", "set", "colour", "blue"]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("colour"), "{}", stderr(&out));
}

#[test]
fn purge_says_so_and_fails_while_another_program_reads_the_database() {
    let (dir, db) = common::temp_db();
    let register = dir.path().join("register.csv");
    std::fs::write(
        &register,
        "surname,honorific,name,phone,arrived_at\n王,先生,王堃,13812345678,2024-03-02 09:00:00\n",
    )
    .unwrap();
    assert!(
        frontdesk(&db, &["import", "visits", register.to_str().unwrap()])
            .status
            .success()
    );
    // Another program holds a read transaction on the old snapshot while the purge runs.
    let reader = rusqlite::Connection::open(&db).unwrap();
    reader
        .execute_batch("BEGIN; SELECT count(*) FROM visits;")
        .unwrap();
    let out = frontdesk(&db, &["purge"]);
    assert!(!out.status.success(), "purge reported success");
    assert!(
        stderr(&out).contains("另一个程序正在读取数据库"),
        "{}",
        stderr(&out)
    );
    // Once the reader is gone, purge completes.
    reader.execute_batch("COMMIT").unwrap();
    drop(reader);
    let out = frontdesk(&db, &["purge"]);
    assert!(out.status.success(), "{}", stderr(&out));
}

#[test]
fn purge_with_a_relative_db_path_removes_old_backups_beside_it() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let run = |args: &[&str]| {
        common::frontdesk_command(d)
            .current_dir(d)
            .args(args)
            .arg("--db")
            .arg("fd.sqlite3")
            .output()
            .unwrap()
    };
    assert!(run(&["init"]).status.success());
    let out = run(&["backup", "--out", "frontdesk-20240101-120000.sqlite3"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let out = run(&["backup"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let out = run(&["purge"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("removed 1 old backups"),
        "{}",
        stdout(&out)
    );
    assert!(!d.join("frontdesk-20240101-120000.sqlite3").exists());
    // The backup made today stays, beside the one the purge made first.
    let left: Vec<String> = std::fs::read_dir(d)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("frontdesk-"))
        .collect();
    assert_eq!(left.len(), 2, "{left:?}");
    assert_eq!(
        left.iter()
            .filter(|n| n.ends_with("-pre-purge.sqlite3"))
            .count(),
        1,
        "{left:?}"
    );
}

/// A PostgreSQL URL is never taken for a file path: no job creates a folder named `postgres:`
/// or a file, each says in Chinese that this version opens SQLite files only, and the password
/// in the URL is never printed.
#[test]
fn a_server_url_is_never_mistaken_for_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let url = "postgres://desk:s3cret-pw@127.0.0.1:1/frontdesk";
    let register = dir.path().join("visits.csv");
    std::fs::write(&register, "arrived_at,surname,honorific\n").unwrap();
    let jobs: [&[&str]; 8] = [
        &["init"],
        &["demo"],
        &["check"],
        &["backup"],
        &["purge"],
        &[
            "report",
            "reception",
            "--from",
            "2026-11-01",
            "--to",
            "2026-11-30",
        ],
        &["import", "visits", register.to_str().unwrap()],
        &["restore", register.to_str().unwrap()],
    ];
    for args in jobs {
        let out = common::frontdesk_command(dir.path())
            .current_dir(dir.path())
            .args(args)
            .args(["--db", url])
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{args:?}: {stderr}");
        assert!(stderr.contains("PostgreSQL"), "{args:?}: {stderr}");
        assert!(!stderr.contains("s3cret"), "{args:?}: {stderr}");
        // Every job takes it for a server: it cannot connect (or, for backup and restore,
        // sends the user to the server's own tools), and names it without the password.
        assert!(
            stderr.contains("desk:***@127.0.0.1:1"),
            "{args:?}: {stderr}"
        );
    }
    let left: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n != "visits.csv")
        .collect();
    assert!(
        left.iter().all(|n| !n.starts_with("postgres")),
        "created: {left:?}"
    );
}

#[test]
fn demo_years_adds_earlier_years_at_the_rate_asked_and_refuses_a_silly_scale() {
    let (_dir, db) = common::temp_db();
    let until = "2026-11-20 16:00:00";
    let out = frontdesk(
        &db,
        &[
            "demo",
            "--until",
            until,
            "--years",
            "1",
            "--visits-per-day",
            "6",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("demo: 2190/2190 visits of the earlier years"),
        "progress is shown: {}",
        stderr(&out)
    );
    // The earlier year: six visits a day, each greeted and seen off, most served water.
    let report = frontdesk(
        &db,
        &[
            "report",
            "reception",
            "--from",
            "2025-11-01",
            "--to",
            "2025-11-30",
        ],
    );
    assert!(report.status.success(), "{}", stderr(&report));
    let text = stdout(&report);
    let total = text.lines().last().unwrap();
    assert!(total.starts_with("total,180,180,"), "{total}");
    // Most visitors came back: far fewer customers than visits.
    let conn = rusqlite::Connection::open(&db).unwrap();
    let customers: i64 = conn
        .query_row("SELECT count(*) FROM customers", [], |r| r.get(0))
        .unwrap();
    assert!(customers < 500, "{customers} customers for 2,190 visits");
    drop(conn);
    let check = frontdesk(&db, &["check"]);
    assert!(check.status.success(), "{}", stderr(&check));

    let (_dir, other) = common::temp_db();
    let out = frontdesk(&other, &["demo", "--years", "0"]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("1–20"), "{}", stderr(&out));
    assert!(!other.exists(), "nothing was written");
}

#[test]
fn a_desk_named_in_the_configuration_is_kept_with_the_steps_it_records() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let db = d.join("frontdesk.sqlite3");
    for (key, value) in [("database", db.to_str().unwrap()), ("desk_name", "1号台")] {
        let out = frontdesk_configured(d, &["config", "set", "--machine", key, value]);
        assert!(out.status.success(), "{}", stderr(&out));
    }
    let shown = stdout(&frontdesk_configured(d, &["config"]));
    assert!(shown.contains("desk_name = 1号台 (from "), "{shown}");
    let register = d.join("register.csv");
    std::fs::write(
        &register,
        "surname,honorific,name,phone,arrived_at\n王,先生,王堃,13812345678,2026-11-02 09:00:00\n",
    )
    .unwrap();
    let out = frontdesk_configured(d, &["import", "visits", register.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let conn = rusqlite::Connection::open(&db).unwrap();
    let desk: String = conn
        .query_row("SELECT desk FROM visit_log", [], |r| r.get(0))
        .unwrap();
    assert_eq!(desk, "1号台");
    // A name nobody could read on the board is refused.
    let long = "台".repeat(41);
    let out = frontdesk_configured(d, &["config", "set", "desk_name", &long]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("desk_name"), "{}", stderr(&out));
}
