//! Ten years of records (`frontdesk demo --years 10`: 1,000,000 visits by 100,000 returning
//! customers, and the demo's three weeks of every record): what the window reads from them — the
//! visit history's pages and text search, the complaint list, the customer search, the
//! dashboard's reception figures — and the reception report over one and ten years, on a SQLite
//! file. The file is built once (about a minute and a half on 2 cores); with
//! `FRONTDESK_BENCH_TEN_YEARS=<file>` an existing one is used (or built there and kept).
//!
//! The supervisor's figures are also read from a PostgreSQL server when
//! `FRONTDESK_BENCH_SERVER=postgres://…` names a database holding a copy of that file (made
//! with `frontdesk migrate --from FILE --to URL`; a throwaway server: `.ci/pg-throwaway.sh`).
//!
//! `cargo bench --bench ten_years`

use std::hint::black_box;
use std::path::PathBuf;

use chrono::{Duration, NaiveDateTime};
use criterion::{Criterion, criterion_group};
use frontdesk::store::visits::{HistoryFilter, Position};
use frontdesk::store::{Store, complaints, customers, visits};
use frontdesk::{demo, report};

/// The demo's records end here.
const UNTIL: &str = "2026-11-20 16:00:00";

fn at(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S").expect("time")
}

/// The ten-year file: the one named by `FRONTDESK_BENCH_TEN_YEARS`, built when missing.
fn ten_years() -> (Option<tempfile::TempDir>, PathBuf) {
    let (dir, path) = match std::env::var_os("FRONTDESK_BENCH_TEN_YEARS") {
        Some(path) => (None, PathBuf::from(path)),
        None => {
            let dir = tempfile::tempdir().expect("temp dir");
            let path = dir.path().join("ten_years.sqlite3");
            (Some(dir), path)
        }
    };
    if !path.exists() {
        let started = std::time::Instant::now();
        let mut store = Store::open(&path).expect("open");
        let until = at(UNTIL);
        demo::fill(&mut store, until).expect("demo");
        let first_day = until.date() - Duration::days(21);
        demo::fill_history(&mut store, first_day, 10, 274, &mut |_, _| {}).expect("history");
        eprintln!(
            "built ten years in {:.0} s: {}",
            started.elapsed().as_secs_f64(),
            path.display()
        );
    }
    (dir, path)
}

fn bench(c: &mut Criterion) {
    let (_dir, path) = ten_years();
    let store = Store::open_read_only(&path).expect("open");
    let db = store.db();
    let now = at(UNTIL);
    let page = |filter: &HistoryFilter, position: Position| {
        black_box(visits::history_page(db, filter, position, 50).expect("page"))
    };
    let all = HistoryFilter::default();
    c.bench_function("ten years/history newest page", |b| {
        b.iter(|| page(&all, Position::Newest));
    });
    let five_years_ago = now - Duration::days(5 * 365);
    c.bench_function("ten years/history jump to a date five years ago", |b| {
        b.iter(|| page(&all, Position::Before(five_years_ago)));
    });
    let deep = page(&all, Position::Before(five_years_ago));
    let last = deep.rows.last().expect("rows");
    c.bench_function("ten years/history next page there", |b| {
        b.iter(|| page(&all, Position::OlderThan(last.arrived_at, last.id)));
    });
    for (what, text) in [
        ("a surname (many)", "王"),
        ("a full name", "王芳"),
        ("a phone", "13900027086"),
        ("no match", "不存在的名字"),
    ] {
        let filter = HistoryFilter {
            text: text.into(),
            ..HistoryFilter::default()
        };
        c.bench_function(&format!("ten years/history search, {what}"), |b| {
            b.iter(|| page(&filter, Position::Newest));
        });
    }
    c.bench_function("ten years/complaint list", |b| {
        b.iter(|| black_box(complaints::list(db, now, 14, "").expect("list")));
    });
    c.bench_function("ten years/customer search '王芳'", |b| {
        b.iter(|| black_box(customers::search(db, "王芳", 100).expect("search")));
    });
    let mut group = c.benchmark_group("ten years/report reception");
    group.sample_size(10);
    for (what, days) in [("one year", 365), ("ten years", 3650)] {
        let from = now.date() - Duration::days(days);
        group.bench_function(what, |b| {
            b.iter(|| {
                black_box(
                    report::reception::build_streamed(from, now.date(), 60, |add| {
                        visits::times_between(
                            db,
                            from.and_hms_opt(0, 0, 0).expect("midnight"),
                            now,
                            add,
                        )
                    })
                    .expect("report"),
                )
            });
        });
    }
    group.finish();
    supervisor_figures(c, &path, now);
    imports(c, &path, now);
}

/// The next statement of a batch.
fn fallible_next<'c>(batch: &mut rusqlite::Batch<'c, '_>) -> Option<rusqlite::Statement<'c>> {
    use rusqlite::fallible_iterator::FallibleIterator as _;
    batch.next().expect("statement")
}

/// Runs every statement of `sql` with the parameters it names (`@name`), reading every row:
/// SQLite computing the same figures as the app, on the same file, in the same process.
fn run_floor(conn: &rusqlite::Connection, sql: &str, params: &[(&str, String)]) -> usize {
    let mut rows = 0;
    let mut batch = rusqlite::Batch::new(conn, sql);
    while let Some(mut stmt) = fallible_next(&mut batch) {
        for (name, value) in params {
            if let Some(i) = stmt
                .parameter_index(&format!("@{name}"))
                .expect("parameter")
            {
                stmt.raw_bind_parameter(i, value).expect("bind");
            }
        }
        let mut result = stmt.raw_query();
        while result.next().expect("row").is_some() {
            rows += 1;
        }
    }
    rows
}

/// The statements of a PostgreSQL floor file with its psql variables (`:'name'`) as string
/// literals (as `psql -v name=…` gives them), prepared on `client`: the file split at the
/// semicolons outside string literals, comments left out.
fn prepare_server_floor(
    client: &mut postgres::Client,
    sql: &str,
    params: &[(&str, String)],
) -> Vec<postgres::Statement> {
    let sql = params.iter().fold(sql.to_owned(), |sql, (name, value)| {
        sql.replace(
            &format!(":'{name}'"),
            &format!("'{}'", value.replace('\'', "''")),
        )
    });
    let mut statements = Vec::new();
    let mut current = String::new();
    let mut chars = sql.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\'' => {
                current.push(c);
                for d in chars.by_ref() {
                    current.push(d);
                    if d == '\'' {
                        break;
                    }
                }
            }
            '-' if chars.peek() == Some(&'-') => {
                for d in chars.by_ref() {
                    if d == '\n' {
                        current.push(d);
                        break;
                    }
                }
            }
            ';' => {
                let statement = std::mem::take(&mut current);
                statements.push(client.prepare(&statement).expect("prepare"));
            }
            _ => current.push(c),
        }
    }
    assert!(
        current.trim().is_empty(),
        "a statement without its semicolon"
    );
    statements
}

/// Runs the statements on the server one after the other, reading every row and every column:
/// the server computing the same figures as the app, on the same database. Prepared once, as the
/// app's statements are (the server plans them once per connection, for the values given).
fn run_server_floor(client: &mut postgres::Client, statements: &[postgres::Statement]) -> usize {
    let mut rows = 0;
    for statement in statements {
        for row in client.query(statement, &[]).expect("floor") {
            for i in 0..row.len() {
                black_box(row.get::<_, frontdesk::store::db::Value>(i));
            }
            rows += 1;
        }
    }
    rows
}

/// The parameters of the SQL files at `now`, named as they name them: the dashboard's, then the
/// monthly report's (for 2026-10).
type FloorParams = Vec<(&'static str, String)>;

/// See [`FloorParams`].
fn floor_params(now: NaiveDateTime) -> (FloorParams, FloorParams) {
    let today = now.date();
    let weekday = chrono::Datelike::weekday(&today).num_days_from_monday();
    let first_monday = today - Duration::days(i64::from(weekday)) - Duration::weeks(11);
    let day = |d: chrono::NaiveDate| d.format("%Y-%m-%d").to_string();
    let time = |t: NaiveDateTime| t.format("%Y-%m-%d %H:%M:%S").to_string();
    let dashboard = vec![
        (
            "first_day",
            day(first_monday.min(today - Duration::days(29))),
        ),
        ("first_monday", day(first_monday)),
        ("trend_first_day", day(today - Duration::days(29))),
        ("today", day(today)),
        ("tomorrow", day(today + Duration::days(1))),
        ("since", time(now - Duration::days(30))),
        ("now", time(now)),
    ];
    let quality = vec![
        ("from", "2026-10-01".to_owned()),
        ("to", "2026-11-01".to_owned()),
        ("today", day(today)),
    ];
    (dashboard, quality)
}

/// The supervisor's dashboard and monthly quality report (read on a worker in the window),
/// each beside SQLite computing the same figures (benches/sql/dashboard.sql, quality.sql); and,
/// when `FRONTDESK_BENCH_SERVER` names a server database holding a copy of the file (`frontdesk
/// migrate --from FILE --to URL`), the same on that server, beside the server computing them
/// (benches/sql/pg/dashboard.sql, quality.sql).
fn supervisor_figures(c: &mut Criterion, path: &std::path::Path, now: NaiveDateTime) {
    let mut store = Store::open_read_only(path).expect("open");
    store.set_actor(frontdesk::domain::account::Actor::system());
    let conn =
        rusqlite::Connection::open_with_flags(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .expect("open");
    let settings = frontdesk::store::settings::load(store.db()).expect("settings");
    let (dashboard_params, quality_params) = floor_params(now);
    let dashboard_sql = include_str!("sql/dashboard.sql");
    let quality_sql = include_str!("sql/quality.sql");
    let mut group = c.benchmark_group("ten years/supervisor");
    group.bench_function("dashboard", |b| {
        b.iter(|| {
            black_box(frontdesk::app::dashboard(store.db(), now, &settings).expect("figures"))
        });
    });
    group.bench_function("dashboard floor (SQLite, same figures)", |b| {
        b.iter(|| black_box(run_floor(&conn, dashboard_sql, &dashboard_params)));
    });
    group.bench_function("monthly quality 2026-10", |b| {
        b.iter(|| {
            black_box(frontdesk::app::monthly(&store, "2026-10", now, &settings).expect("figures"))
        });
    });
    group.bench_function("monthly quality floor (SQLite, same figures)", |b| {
        b.iter(|| black_box(run_floor(&conn, quality_sql, &quality_params)));
    });
    group.finish();
    if let Some(url) = std::env::var("FRONTDESK_BENCH_SERVER")
        .ok()
        .filter(|url| !url.is_empty())
    {
        supervisor_figures_on_server(c, &url, now, &dashboard_params, &quality_params);
    }
}

/// [`supervisor_figures`] on the server database `url`: the app's store connected to it, and
/// the floor's SQL run by a connection made the same way.
fn supervisor_figures_on_server(
    c: &mut Criterion,
    url: &str,
    now: NaiveDateTime,
    dashboard_params: &[(&str, String)],
    quality_params: &[(&str, String)],
) {
    let mut store = Store::open_read_only(url).expect("open the server database");
    store.set_actor(frontdesk::domain::account::Actor::system());
    let settings = frontdesk::store::settings::load(store.db()).expect("settings");
    let mut client = frontdesk::store::connect::connect_client(url).expect("connect");
    let dashboard_sql = include_str!("sql/pg/dashboard.sql");
    let dashboard_sql = prepare_server_floor(&mut client, dashboard_sql, dashboard_params);
    let quality_sql = include_str!("sql/pg/quality.sql");
    let quality_sql = prepare_server_floor(&mut client, quality_sql, quality_params);
    let mut group = c.benchmark_group("ten years/supervisor on the server");
    group.bench_function("dashboard", |b| {
        b.iter(|| {
            black_box(frontdesk::app::dashboard(store.db(), now, &settings).expect("figures"))
        });
    });
    group.bench_function("dashboard floor (the server, same figures)", |b| {
        b.iter(|| black_box(run_server_floor(&mut client, &dashboard_sql)));
    });
    group.bench_function("monthly quality 2026-10", |b| {
        b.iter(|| {
            black_box(frontdesk::app::monthly(&store, "2026-10", now, &settings).expect("figures"))
        });
    });
    group.bench_function("monthly quality floor (the server, same figures)", |b| {
        b.iter(|| black_box(run_server_floor(&mut client, &quality_sql)));
    });
    group.finish();
}

/// Imports into ten years of records, as `frontdesk import` does them (the file read and checked,
/// then one write): 2,000 visits (half of them by customers already in the archive, found by
/// phone) and 1,000 customers (half updating one there). They run on a copy of the file, which
/// grows by each import.
fn imports(c: &mut Criterion, path: &std::path::Path, now: NaiveDateTime) {
    use std::fmt::Write as _;
    let dir = tempfile::tempdir().expect("temp dir");
    let copy = dir.path().join("imports.sqlite3");
    std::fs::copy(path, &copy).expect("copy of the ten-year file");
    let mut store = Store::open(&copy).expect("open");
    // Phones of customers in the archive, and new ones.
    let known: Vec<String> = store
        .db()
        .query_map(
            "SELECT phone FROM customers WHERE phone <> '' ORDER BY id LIMIT 1000",
            &[],
            |r| r.get(0),
        )
        .expect("phones");
    let phone = |i: usize| {
        if i.is_multiple_of(2) {
            known[(i / 2) % known.len()].clone()
        } else {
            format!("136{:08}", 40_000_000 + i)
        }
    };
    let mut visits_csv = String::from(
        "arrived_at,surname,honorific,name,phone,company,purpose,party_size,greeted_at,water_served_at,departed_at,travel_mode\n",
    );
    for i in 0..2_000 {
        let t = now - Duration::days(30) + Duration::minutes(i64::try_from(i).unwrap_or(0) * 7);
        let ts = |d: i64| {
            (t + Duration::seconds(d))
                .format("%Y-%m-%d %H:%M:%S")
                .to_string()
        };
        let _ = writeln!(
            visits_csv,
            "{},王,先生,王导入{i},{},某某物流,提货,1,{},{},{},自驾",
            ts(0),
            phone(i),
            ts(40),
            ts(200),
            ts(1800)
        );
    }
    let mut customers_csv =
        String::from("surname,honorific,name,phone,company,region,key_account,credit_grade\n");
    for i in 0..1_000 {
        let _ = writeln!(
            customers_csv,
            "李,女士,李导入{i},{},某某贸易,上海,{},B",
            phone(i),
            if i.is_multiple_of(10) { "是" } else { "否" }
        );
    }
    let visits_file = dir.path().join("visits.csv");
    let customers_file = dir.path().join("customers.csv");
    std::fs::write(&visits_file, visits_csv).expect("visits.csv");
    std::fs::write(&customers_file, customers_csv).expect("customers.csv");

    let mut group = c.benchmark_group("ten years/imports");
    group.sample_size(10);
    group.bench_function("2,000 visits (CSV read, checked, one write)", |b| {
        b.iter(|| {
            let rows = frontdesk::cli::read_visit_register(&visits_file).expect("read");
            let n = store
                .write(|tx| visits::insert_imported(tx, &rows, now, "import"))
                .expect("import");
            black_box(n)
        });
    });
    group.bench_function("1,000 customers (CSV read, checked, one write)", |b| {
        b.iter(|| {
            let rows = frontdesk::cli::read_customer_list(&customers_file).expect("read");
            let n = store
                .write(|tx| customers::import(tx, &rows, now))
                .expect("import");
            black_box(n)
        });
    });
    group.finish();
}

criterion_group!(benches, bench);

fn main() {
    benches();
    Criterion::default().configure_from_args().final_summary();
}
