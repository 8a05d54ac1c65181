//! Benchmarks of what the UI does between frames: the board's reload after a write and the
//! customer suggestions while typing, on a database with a year of visits.

use std::hint::black_box;

use chrono::{Duration, NaiveDateTime};
use criterion::{Criterion, criterion_group, criterion_main};
use frontdesk::domain::customer::Honorific;
use frontdesk::domain::visit::RegistrationDraft;
use frontdesk::store::{Store, customers, visits};

fn big_store(dir: &std::path::Path) -> (Store, NaiveDateTime) {
    let mut store = Store::open(dir.join("bench.sqlite3")).expect("open");
    let start =
        NaiveDateTime::parse_from_str("2025-11-01 08:00:00", "%Y-%m-%d %H:%M:%S").expect("time");
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
            Ok(())
        })
        .expect("fill");
    (store, start + Duration::days(365))
}

fn board(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("dir");
    let (mut store, now) = big_store(dir.path());
    store
        .write(|tx| {
            for i in 0..10 {
                visits::arrive(tx, now + Duration::minutes(i), None)?;
            }
            Ok(())
        })
        .expect("present");
    c.bench_function("board reload (present + today) on 14,600 visits", |b| {
        b.iter(|| {
            let present = visits::present(store.db()).expect("present");
            let today =
                visits::arrived_between(store.db(), now, now + Duration::days(1)).expect("today");
            black_box((present, today));
        });
    });
    c.bench_function(
        "customer suggestions by phone prefix on 5,000 customers",
        |b| {
            b.iter(|| black_box(customers::suggest(store.db(), "1380000", 8).expect("suggest")));
        },
    );
    c.bench_function("customer suggestions by name on 5,000 customers", |b| {
        b.iter(|| black_box(customers::suggest(store.db(), "王12", 8).expect("suggest")));
    });
    c.bench_function("history page 100 of 14,600 visits", |b| {
        let filter = visits::HistoryFilter::default();
        b.iter(|| {
            black_box(visits::count(store.db(), &filter).expect("count"));
            black_box(visits::page(store.db(), &filter, 5000, 50).expect("page"));
        });
    });
    let mut n = 0;
    c.bench_function("greet (one write transaction)", |b| {
        b.iter(|| {
            n += 1;
            store
                .write(|tx| {
                    let id = visits::arrive(tx, now, None)?;
                    visits::change(tx, id, now, None, "greet", "", |v| v.greet(None, now))
                })
                .expect("greet");
        });
    });
}

fn service(c: &mut Criterion) {
    use frontdesk::domain::call::{CallDraft, Category};
    use frontdesk::domain::complaint::{AtFault, Channel, ComplaintDraft, Severity, Status};
    use frontdesk::store::{calls, complaints};
    let dir = tempfile::tempdir().expect("dir");
    let mut store = Store::open(dir.path().join("service.sqlite3")).expect("open");
    let start =
        NaiveDateTime::parse_from_str("2025-11-01 08:00:00", "%Y-%m-%d %H:%M:%S").expect("time");
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
    let now = start + Duration::hours(2_000 * 4 + 1);
    c.bench_function("complaint list (open + 14 days) of 2,000 complaints", |b| {
        b.iter(|| black_box(complaints::list(store.db(), now, 14, "").expect("list")));
    });
    c.bench_function("call page with category filter on 50,000 calls", |b| {
        let filter = calls::CallFilter {
            category: Some(Category::Tracking),
            ..Default::default()
        };
        b.iter(|| {
            black_box(calls::count(store.db(), &filter).expect("count"));
            black_box(calls::page(store.db(), &filter, 0, 50).expect("page"));
        });
    });
}

fn customer_search(c: &mut Criterion) {
    use frontdesk::domain::customer::Customer;
    let dir = tempfile::tempdir().expect("dir");
    let mut store = Store::open(dir.path().join("customers.sqlite3")).expect("open");
    let now =
        NaiveDateTime::parse_from_str("2026-11-01 08:00:00", "%Y-%m-%d %H:%M:%S").expect("time");
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
    for query in ["运输", "重庆某运输", "5678", "王"] {
        c.bench_function(
            &format!("customer search '{query}' on 100,000 customers"),
            |b| {
                b.iter(|| black_box(customers::search(store.db(), query, 100).expect("search")));
            },
        );
    }
}

criterion_group!(benches, board, service, customer_search);
criterion_main!(benches);
