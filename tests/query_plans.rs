//! Every list filter, search and report reads the big tables through an index: each statement
//! the store runs for them is captured (SQLite's statement trace, with its parameters) and its
//! `EXPLAIN QUERY PLAN` may not scan a big table from end to end.
//! The free-text filters (visit history, call log, complaint list) go through their text
//! indexes (schema version 10), as the customer search does.
#![allow(clippy::unwrap_used, reason = "test code: a panic is a failed test")]

use std::sync::Mutex;

use chrono::NaiveDateTime;
use frontdesk::store::calls::CallFilter;
use frontdesk::store::claims::ClaimFilter;
use frontdesk::store::db::Db;
use frontdesk::store::versions::{Record, latest};
use frontdesk::store::visits::HistoryFilter;
use frontdesk::store::{
    Store, attendance, calls, claims, complaints, customers, daily_reports, inspections, visits,
};
use rusqlite::Connection;
use rusqlite::trace::{TraceEvent, TraceEventCodes};

/// Tables that grow with the years: a full scan of one of them is a defect.
const BIG: &[&str] = &[
    "visits",
    "visit_log",
    "calls",
    "callbacks",
    "complaints",
    "complaint_events",
    "claims",
    "claim_events",
    "claim_files",
    "customers",
    "audit",
    "inbox",
    "inspections",
    "inspection_items",
    "rewards_penalties",
    "attendance",
    "daily_reports",
];
// Not here: rectifications, a few per failed spot check (a hundred or so a year); the list of
// open and recently verified ones reads them all.

static SEEN: Mutex<Vec<String>> = Mutex::new(Vec::new());

/// Notes each statement as it starts, with its parameters filled in.
fn note(event: TraceEvent<'_>) {
    if let TraceEvent::Stmt(stmt, _) = event
        && let Some(sql) = stmt.expanded_sql()
    {
        SEEN.lock().unwrap().push(sql);
    }
}

fn at(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S").unwrap()
}

/// The tables of `sql` by the names its plan calls them: a table's own name, or its alias
/// (`FROM visit_log l` is "SCAN l" in the plan).
fn table_names(sql: &str) -> Vec<(String, String)> {
    const NOT_ALIAS: &[&str] = &[
        "WHERE", "JOIN", "LEFT", "INNER", "CROSS", "ON", "USING", "ORDER", "GROUP", "LIMIT",
        "UNION", "AS", "WINDOW", "HAVING",
    ];
    let words: Vec<&str> = sql
        .split(|c: char| c.is_whitespace() || c == ',' || c == '(' || c == ')')
        .filter(|w| !w.is_empty())
        .collect();
    let mut names = Vec::new();
    for (i, word) in words.iter().enumerate() {
        if !(word.eq_ignore_ascii_case("FROM") || word.eq_ignore_ascii_case("JOIN")) {
            continue;
        }
        let Some(table) = words.get(i + 1) else {
            continue;
        };
        let mut next = i + 2;
        if words
            .get(next)
            .is_some_and(|w| w.eq_ignore_ascii_case("AS"))
        {
            next += 1;
        }
        let alias = words
            .get(next)
            .filter(|w| !NOT_ALIAS.iter().any(|k| w.eq_ignore_ascii_case(k)))
            .filter(|w| w.chars().all(|c| c.is_alphanumeric() || c == '_'))
            .unwrap_or(table);
        names.push(((*alias).to_owned(), (*table).to_owned()));
    }
    names
}

/// The lines of `sql`'s plan that read a big table without an index.
fn full_scans(conn: &Connection, sql: &str) -> Vec<String> {
    let names = table_names(sql);
    let partial: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_schema WHERE type = 'index' AND sql LIKE '% WHERE %'")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let mut stmt = conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}")).unwrap();
    let lines: Vec<String> = stmt
        .query_map([], |r| r.get::<_, String>(3))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    lines
        .into_iter()
        .filter(|line| {
            let Some(table) = line.strip_prefix("SCAN ") else {
                return false;
            };
            let name = table.split_whitespace().next().unwrap_or_default();
            let name = names
                .iter()
                .find(|(alias, _)| alias == name)
                .map_or(name, |(_, table)| table.as_str());
            // Walking a whole index is a full scan too, unless a LIMIT stops it early (a
            // newest-first page reads its rows in the index's order) or the index is partial
            // (it holds only the rows of its WHERE: the visitors present).
            let bounded = (sql.contains("LIMIT")
                && (line.contains("USING INDEX") || line.contains("COVERING INDEX")))
                || partial
                    .iter()
                    .any(|index| line.ends_with(&format!("INDEX {index}")));
            BIG.contains(&name) && !bounded
        })
        .collect()
}

/// The call log's reads with each filter and position, and the answering speed per staff
/// member and per day.
fn read_calls(db: Db<'_>, from: NaiveDateTime, to: NaiveDateTime) {
    for filter in [
        CallFilter::default(),
        CallFilter {
            from: Some(from),
            to: Some(to),
            ..CallFilter::default()
        },
        CallFilter {
            category: Some(frontdesk::domain::call::Category::Complaint),
            ..CallFilter::default()
        },
        CallFilter {
            staff_id: Some(1),
            ..CallFilter::default()
        },
        CallFilter {
            text: "运价".into(),
            ..CallFilter::default()
        },
    ] {
        calls::count(db, &filter).unwrap();
        calls::page(db, &filter, 0, 50).unwrap();
        for position in [
            frontdesk::store::paging::Position::Newest,
            frontdesk::store::paging::Position::OlderThan(to, 100),
            frontdesk::store::paging::Position::NewerThan(from, 100),
            frontdesk::store::paging::Position::Before(to),
        ] {
            calls::page_at(db, &filter, position, 50).unwrap();
        }
    }
    calls::rings_between(db, from, to).unwrap();
    calls::rings_per_day(db, from, to).unwrap();
}

#[test]
fn list_filters_searches_and_reports_read_big_tables_through_indexes() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("plans.sqlite3");
    {
        let mut store = Store::open(&path).unwrap();
        frontdesk::demo::fill(&mut store, at("2026-11-20 16:00:00")).unwrap();
    }
    let mut conn = Connection::open(&path).unwrap();
    conn.trace_v2(TraceEventCodes::SQLITE_TRACE_STMT, Some(note))
        .unwrap();
    let db = Db::from(&conn);
    let (from, to) = (at("2026-11-01 00:00:00"), at("2026-11-21 00:00:00"));
    let now = at("2026-11-20 16:00:00");

    // The reception report, the board, the visit history with each filter, the logs.
    visits::times_between(db, from, to, &mut |_| {}).unwrap();
    visits::arrived_between(db, from, to).unwrap();
    visits::present(db).unwrap();
    visits::present_logs(db).unwrap();
    for filter in [
        HistoryFilter::default(),
        HistoryFilter {
            from: Some(from),
            to: Some(to),
            ..HistoryFilter::default()
        },
        HistoryFilter {
            text: "王".into(),
            ..HistoryFilter::default()
        },
        HistoryFilter {
            from: Some(from),
            text: "1381".into(),
            ..HistoryFilter::default()
        },
    ] {
        visits::count(db, &filter).unwrap();
        visits::page(db, &filter, 0, 50).unwrap();
        visits::page(db, &filter, 200, 50).unwrap();
        for position in [
            visits::Position::Newest,
            visits::Position::OlderThan(to, 100),
            visits::Position::NewerThan(from, 100),
            visits::Position::Before(to),
        ] {
            visits::history_page(db, &filter, position, 50).unwrap();
        }
    }
    visits::log_of(db, 1).unwrap();
    // Calls with each filter.
    read_calls(db, from, to);
    // Complaints and claims: the lists, the reports' periods, the open ones.
    complaints::list(db, now, 14, "").unwrap();
    complaints::list(db, now, 14, "破损").unwrap();
    complaints::received_between(db, from, to).unwrap();
    complaints::count_by_category(db, from, to).unwrap();
    complaints::received_per_day(db, from, to).unwrap();
    complaints::satisfaction(db, now, 30).unwrap();
    claims::reported_per_day(db, from, to).unwrap();
    visits::day_counts(db, from, to, 60).unwrap();
    visits::counts_between(db, from, to, 60).unwrap();
    for filter in [
        ClaimFilter::default(),
        ClaimFilter {
            status: Some(frontdesk::domain::claim::ClaimStatus::Reported),
            ..ClaimFilter::default()
        },
        ClaimFilter {
            month: Some("2026-11".into()),
            ..ClaimFilter::default()
        },
        ClaimFilter {
            complaint_id: Some(1),
            ..ClaimFilter::default()
        },
    ] {
        // The window's pages, by position.
        claims::page_at(db, &filter, visits::Position::Newest, 50).unwrap();
        claims::page_at(db, &filter, visits::Position::OlderThan(from, 7), 50).unwrap();
        claims::page_at(db, &filter, visits::Position::NewerThan(from, 7), 50).unwrap();
    }
    claims::reported_between(db, from, to).unwrap();
    claims::open_claims(db).unwrap();
    claims::claims_for_calls(db, &[1, 2, 3]).unwrap();
    claims::events(db, 1).unwrap();
    claims::files(db, 1).unwrap();
    // Spot checks: the dashboard's and the monthly report's month, one check, its photos.
    inspections::between(db, from, to).unwrap();
    inspections::get(db, 1).unwrap();
    inspections::rectifications(db, now).unwrap();
    inspections::rectifications_of(db, 1).unwrap();
    inspections::rewards_between(db, from.date(), to.date()).unwrap();
    // Attendance: the month's table with the rewards and penalties given for its days, a
    // person's day; the daily work report's figures of a person's day, the day's reports.
    attendance::between(db, from.date(), to.date()).unwrap();
    attendance::on_day(db, 1, now.date()).unwrap();
    attendance::by_id(db, 1).unwrap();
    inspections::rewards_for_attendance(db, from.date(), to.date()).unwrap();
    daily_reports::figures(db, 1, now.date(), 60).unwrap();
    daily_reports::get(db, 1, now.date()).unwrap();
    daily_reports::on_day(db, now.date()).unwrap();
    // The customer archive.
    customers::search(db, "王", 100).unwrap();
    customers::search(db, "1381", 100).unwrap();
    customers::suggest(db, "138", 8).unwrap();
    customers::revisit_due(db, now.date()).unwrap();
    // Registration, imports, complaints and claims link a customer by phone.
    customers::by_phone(db, "13812345678").unwrap();
    customers::history(db, 1).unwrap();
    // The stamps a save is checked against.
    for record in [Record::Visit, Record::Complaint, Record::Claim] {
        latest(db, record, 1).unwrap();
    }
    conn.trace_v2(TraceEventCodes::empty(), None::<fn(TraceEvent<'_>)>)
        .unwrap();

    let seen = std::mem::take(&mut *SEEN.lock().unwrap());
    assert!(
        seen.len() > 30,
        "the statements were captured: {}",
        seen.len()
    );
    let mut failures = Vec::new();
    // Reads only: trigger programs ("-- TRIGGER …") and pragmas are not queries of the store.
    let reads = seen.iter().filter(|sql| {
        let head = sql.trim_start().to_ascii_uppercase();
        head.starts_with("SELECT") || head.starts_with("WITH")
    });
    // A total over every row (the claims list before any filter is chosen) reads them all by
    // definition.
    let reads = reads.filter(|sql| !sql.trim_end().ends_with("WHERE 1 = 1"));
    for sql in reads {
        let scans = full_scans(&conn, sql);
        if !scans.is_empty() {
            failures.push(format!("{sql}\n    {}", scans.join("\n    ")));
        }
    }
    assert!(
        failures.is_empty(),
        "full scans of big tables:\n{}",
        failures.join("\n\n")
    );
}
