//! Benchmarks of what the UI and the reports do, on both backends: each data set is built once in
//! a SQLite file and benchmarked there (`sqlite/…`), then copied with `frontdesk migrate`'s code
//! into a throwaway PostgreSQL server (fsync on, as a real one) and benchmarked again
//! (`postgres/…`). Without PostgreSQL on the machine only the SQLite half runs, and it says so.
//!
//! Data sets: a year of visits (14,600 visits, 5,000 customers); a year of calls (50,000) and
//! complaints (2,000); 100,000 customers for the search as you type; the demo (three weeks of
//! every kind of record) for the claims and inspections reports.

#[path = "../tests/common/pg.rs"]
#[allow(dead_code, reason = "the benchmarks use part of the test helper")]
mod pg;

use std::hint::black_box;
use std::path::Path;
use std::sync::Mutex;

use chrono::{Duration, NaiveDate, NaiveDateTime};
use criterion::{Criterion, criterion_group};
use frontdesk::domain::account::{Action, Actor};
use frontdesk::domain::customer::Honorific;
use frontdesk::domain::visit::RegistrationDraft;
use frontdesk::report;
use frontdesk::store::{Store, customers, inspections, migrate, settings, visits};

fn at(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S").expect("time")
}

/// The throwaway server of this run: started at the first use (`None` inside when PostgreSQL
/// is not installed), stopped at the end of `main`.
static SERVER: Mutex<Option<Option<pg::PgServer>>> = Mutex::new(None);

/// A new database on the run's server, or `None` without PostgreSQL.
fn server_database(name: &str) -> Option<String> {
    let mut server = SERVER.lock().expect("server lock");
    server
        .get_or_insert_with(|| {
            pg::PgServer::start_with(pg::Options {
                durable: true,
                ..pg::Options::default()
            })
        })
        .as_ref()
        .map(|s| s.create_database(name))
}

/// The stores to benchmark: the file, and the same data on the server when there is one.
fn backends(file: &Path, name: &str) -> Vec<(&'static str, Store)> {
    let mut stores = vec![("sqlite", Store::open(file).expect("open file"))];
    if let Some(url) = server_database(name) {
        migrate::to_server(
            file,
            Path::new(&url),
            at("2026-11-27 08:00:00"),
            &mut |_, _| {},
        )
        .expect("copy to the server");
        let mut store = Store::open(&url).expect("open server");
        store.set_actor(Actor::system());
        stores.push(("postgres", store));
    } else {
        eprintln!("*** PostgreSQL is not installed: the postgres/… benchmarks did not run");
    }
    stores
}

fn fill_visits(path: &Path) -> NaiveDateTime {
    let mut store = Store::open(path).expect("open");
    let start = at("2025-11-01 08:00:00");
    store
        .write(|tx| {
            // A year of visits: 365 days × 40 visits, 5,000 customers.
            for day in 0..365 {
                for i in 0..40 {
                    let now = start + Duration::days(day) + Duration::minutes(i * 12);
                    let reg = RegistrationDraft {
                        surname: "王".into(),
                        honorific: Some(Honorific::Mr),
                        name: format!("王{}", (day * 40 + i) % 5000),
                        phone: format!("138{:08}", (day * 40 + i) % 5000),
                        party_size: "1".into(),
                        ..RegistrationDraft::default()
                    }
                    .validate()?;
                    let id = visits::register(tx, None, &reg, now, None)?;
                    visits::change(tx, id, now, None, "depart", "", |v| {
                        v.depart(&Default::default(), None, now + Duration::minutes(30))
                    })?;
                }
            }
            let now = start + Duration::days(365);
            for i in 0..10 {
                visits::arrive(tx, now + Duration::minutes(i), None)?;
            }
            Ok(())
        })
        .expect("fill");
    start + Duration::days(365)
}

fn reception(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("dir");
    let file = dir.path().join("visits.sqlite3");
    let now = fill_visits(&file);
    for (backend, mut store) in backends(&file, "bench_visits") {
        c.bench_function(
            &format!("{backend}/board reload (present + today) on 14,600 visits"),
            |b| {
                b.iter(|| {
                    let present = visits::present(store.db()).expect("present");
                    let today = visits::arrived_between(store.db(), now, now + Duration::days(1))
                        .expect("today");
                    black_box((present, today));
                });
            },
        );
        c.bench_function(
            &format!("{backend}/customer suggestions by phone prefix on 5,000 customers"),
            |b| {
                b.iter(|| {
                    black_box(customers::suggest(store.db(), "1380000", 8).expect("suggest"))
                });
            },
        );
        c.bench_function(
            &format!("{backend}/history page 100 of 14,600 visits"),
            |b| {
                let filter = visits::HistoryFilter::default();
                b.iter(|| {
                    black_box(visits::count(store.db(), &filter).expect("count"));
                    black_box(visits::page(store.db(), &filter, 5000, 50).expect("page"));
                });
            },
        );
        c.bench_function(
            &format!("{backend}/report reception, one month of 14,600 visits"),
            |b| {
                let from = NaiveDate::from_ymd_opt(2026, 10, 1).expect("day");
                let to = NaiveDate::from_ymd_opt(2026, 10, 31).expect("day");
                b.iter(|| {
                    let s = settings::load(store.db()).expect("settings");
                    let list = visits::arrived_between(
                        store.db(),
                        from.and_hms_opt(0, 0, 0).expect("time"),
                        to.and_hms_opt(23, 59, 59).expect("time"),
                    )
                    .expect("visits");
                    let rows =
                        report::reception::build(&list, from, to, s.rules.greeting_limit_secs);
                    black_box(report::reception::table(&rows));
                });
            },
        );
        c.bench_function(
            &format!("{backend}/greet (one write transaction, sealed)"),
            |b| {
                b.iter(|| {
                    store
                        .write(|tx| {
                            let id = visits::arrive(tx, now, None)?;
                            visits::change(tx, id, now, None, "greet", "", |v| v.greet(None, now))
                        })
                        .expect("greet");
                });
            },
        );
    }
}

fn fill_service(path: &Path) -> NaiveDateTime {
    use frontdesk::domain::call::{CallDraft, Category};
    use frontdesk::domain::complaint::{AtFault, Channel, ComplaintDraft, Severity, Status};
    use frontdesk::store::{calls, complaints};
    let mut store = Store::open(path).expect("open");
    let start = at("2025-11-01 08:00:00");
    store
        .write(|tx| {
            // A year of calls (50,000) and 2,000 complaints, a third of them still open.
            for i in 0..50_000 {
                let call = CallDraft {
                    rings: "2".into(),
                    category: Some(Category::ALL[(i % 5) as usize]),
                    content: format!("查询运单 {i}"),
                    ..CallDraft::default()
                }
                .validate(start + Duration::minutes(i * 10), None)?;
                calls::insert(tx, &call)?;
            }
            for i in 0..2_000 {
                let at = start + Duration::hours(i * 4);
                let draft = ComplaintDraft {
                    channel: Some(Channel::Phone),
                    customer_name: "王先生".into(),
                    category: "延误".into(),
                    severity: Some(if i % 10 == 0 {
                        Severity::Major
                    } else {
                        Severity::Ordinary
                    }),
                    at_fault: Some(AtFault::Unknown),
                    content: "晚到".into(),
                    ..ComplaintDraft::default()
                };
                let id = complaints::create(tx, &draft, at, None)?;
                complaints::add_handling(tx, id, "跟进", None, at + Duration::hours(1), None)?;
                if i % 3 != 0 {
                    complaints::set_status(
                        tx,
                        id,
                        Status::Replied,
                        None,
                        "",
                        at + Duration::hours(2),
                        None,
                    )?;
                }
            }
            Ok(())
        })
        .expect("fill");
    start + Duration::hours(2_000 * 4 + 1)
}

fn service(c: &mut Criterion) {
    use frontdesk::domain::call::Category;
    use frontdesk::store::{calls, complaints};
    let dir = tempfile::tempdir().expect("dir");
    let file = dir.path().join("service.sqlite3");
    let now = fill_service(&file);
    for (backend, store) in backends(&file, "bench_service") {
        c.bench_function(
            &format!("{backend}/complaint list (open + 14 days) of 2,000 complaints"),
            |b| {
                b.iter(|| black_box(complaints::list(store.db(), now, 14, "").expect("list")));
            },
        );
        c.bench_function(
            &format!("{backend}/call page with category filter on 50,000 calls"),
            |b| {
                let filter = calls::CallFilter {
                    category: Some(Category::Tracking),
                    ..Default::default()
                };
                b.iter(|| {
                    black_box(calls::count(store.db(), &filter).expect("count"));
                    black_box(calls::page(store.db(), &filter, 0, 50).expect("page"));
                });
            },
        );
        c.bench_function(
            &format!("{backend}/report complaints, one week of 2,000 complaints"),
            |b| {
                let s = settings::load(store.db()).expect("settings");
                b.iter(|| {
                    black_box(
                        frontdesk::app::week_tables(&store, "2026-W10", now, &s).expect("week"),
                    )
                });
            },
        );
    }
}

fn customer_search(c: &mut Criterion) {
    use frontdesk::domain::customer::Customer;
    let dir = tempfile::tempdir().expect("dir");
    let file = dir.path().join("customers.sqlite3");
    {
        let mut store = Store::open(&file).expect("open");
        let now = at("2026-11-01 08:00:00");
        let surnames = ["王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周"];
        let trades = [
            "运输", "贸易", "电子", "建材", "食品", "机械", "服装", "医药",
        ];
        let cities = ["重庆", "上海", "杭州", "苏州", "南京", "成都"];
        store
            .write(|tx| {
                // 100,000 customers.
                for i in 0..100_000usize {
                    let c = Customer {
                        id: 0,
                        surname: surnames[i % 10].into(),
                        honorific: Some(Honorific::Mr),
                        name: format!("{}{}", surnames[i % 10], i),
                        phone: format!("13{:09}", i * 7_919 % 1_000_000_000),
                        company: format!(
                            "{}某{}有限公司{}",
                            cities[i % 6],
                            trades[(i / 6) % 8],
                            i % 97
                        ),
                        region: cities[i % 6].into(),
                    };
                    customers::insert(tx, &c, now)?;
                }
                Ok(())
            })
            .expect("fill");
    }
    for (backend, store) in backends(&file, "bench_customers") {
        for query in ["运输", "重庆某运输", "5678", "王"] {
            c.bench_function(
                &format!("{backend}/customer search '{query}' on 100,000 customers"),
                |b| {
                    b.iter(|| {
                        black_box(customers::search(store.db(), query, 100).expect("search"))
                    });
                },
            );
        }
    }
}

fn demo_reports(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("dir");
    let file = dir.path().join("demo.sqlite3");
    {
        let mut store = Store::open(&file).expect("open");
        frontdesk::demo::fill(&mut store, at("2026-11-20 16:00:00")).expect("demo");
    }
    for (backend, mut store) in backends(&file, "bench_demo") {
        store.set_actor(Actor::system());
        c.bench_function(&format!("{backend}/report claims, one month (demo)"), |b| {
            b.iter(|| black_box(frontdesk::app::month_tables(&store, "2026-11").expect("month")));
        });
        c.bench_function(
            &format!("{backend}/report inspections, one month (demo)"),
            |b| {
                b.iter(|| {
                    let list = store
                        .read_as(Action::ReadSupervisorData, |db| {
                            inspections::between(
                                db,
                                at("2026-11-01 00:00:00"),
                                at("2026-12-01 00:00:00"),
                            )
                        })
                        .expect("inspections");
                    let rows = report::inspections::build(&list);
                    black_box(report::inspections::table(&rows));
                });
            },
        );
    }
}

criterion_group!(benches, reception, service, customer_search, demo_reports);

fn main() {
    benches();
    Criterion::default().configure_from_args().final_summary();
    // The server is stopped and its folder removed.
    drop(SERVER.lock().expect("server lock").take());
}
