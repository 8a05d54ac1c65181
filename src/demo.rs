//! `frontdesk demo`: a realistic few weeks of reception, written through the real store functions.

use chrono::{Datelike as _, Duration, NaiveDateTime, Weekday};

use crate::domain::customer::Honorific;
use crate::domain::staff::Role;
use crate::domain::visit::{RegistrationDraft, SeeOffChecklist, TravelMode};
use crate::store::{Result, Store, settings, staff, visits};

const STAFF: [(&str, Role); 9] = [
    ("李娜", Role::ServiceRep),
    ("王芳", Role::ServiceRep),
    ("陈静", Role::ServiceRep),
    ("张伟", Role::Salesperson),
    ("刘洋", Role::Salesperson),
    ("赵敏", Role::KeyAccountManager),
    ("孙强", Role::Operator),
    ("周杰", Role::Warehouse),
    ("吴昊", Role::Supervisor),
];

const SURNAMES: [&str; 24] = [
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭",
    "何", "林", "罗", "郑", "梁", "欧阳", "谢", "宋",
];
const GIVEN: [&str; 20] = [
    "堃", "喆", "昇", "伟", "芳", "敏", "静", "磊", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超",
    "秀英", "建国", "晓燕", "志强",
];
const COMPANIES: [&str; 12] = [
    "华东五金贸易有限公司",
    "鑫达电子科技",
    "恒通建材",
    "安顺医药",
    "宏远服装厂",
    "金桥食品有限公司",
    "瑞丰机械",
    "东方家具",
    "博雅文具",
    "天成汽配",
    "",
    "",
];
const REGIONS: [&str; 8] = [
    "上海", "杭州", "苏州", "南京", "宁波", "无锡", "合肥", "本市",
];
const PURPOSES: [&str; 8] = [
    "咨询运价",
    "办理托运",
    "查询货物",
    "提货",
    "签订合同",
    "货损理赔咨询",
    "结算运费",
    "投诉",
];

/// Fills `store` with about three weeks of visits ending at `now`, a few still present.
/// Refuses a database that already has visits. Returns the number of visits written.
pub fn fill(store: &mut Store, now: NaiveDateTime) -> Result<usize> {
    let existing: i64 = store
        .conn()
        .query_row("SELECT count(*) FROM visits", [], |r| r.get(0))?;
    if existing > 0 {
        return Err(crate::domain::DomainError::WrongState("err.demo_not_empty").into());
    }
    let mut rng = fastrand::Rng::with_seed(20_261_123);
    let now = crate::clock::whole_seconds(now);
    store.write(|tx| {
        let mut settings_now = settings::load(tx)?;
        if settings_now.company_name.is_empty() {
            settings_now.company_name = "顺达物流".into();
        }
        let mut staff_ids = Vec::new();
        for (name, role) in STAFF {
            staff_ids.push((staff::add(tx, name, role, now)?, role));
        }
        let desk: Vec<i64> = staff_ids
            .iter()
            .filter(|(_, r)| *r == Role::ServiceRep)
            .map(|(id, _)| *id)
            .collect();
        let hosts: Vec<i64> = staff_ids
            .iter()
            .filter(|(_, r)| *r != Role::ServiceRep)
            .map(|(id, _)| *id)
            .collect();
        settings_now.operator_id = desk.first().copied();
        settings::save(tx, &settings_now)?;

        // A pool of customers so that some come back.
        let customers: Vec<RegistrationDraft> = (0..80)
            .map(|i| {
                let surname = SURNAMES[rng.usize(..SURNAMES.len())];
                let given = GIVEN[rng.usize(..GIVEN.len())];
                RegistrationDraft {
                    surname: surname.into(),
                    honorific: Some(if rng.bool() {
                        Honorific::Mr
                    } else {
                        Honorific::Ms
                    }),
                    name: format!("{surname}{given}"),
                    phone: format!(
                        "13{}{:08}",
                        rng.u8(3..10),
                        10_000_000 + i * 7919 % 89_999_999
                    ),
                    company: COMPANIES[rng.usize(..COMPANIES.len())].into(),
                    region: REGIONS[rng.usize(..REGIONS.len())].into(),
                    party_size: if rng.u8(..10) == 0 {
                        "2".into()
                    } else {
                        "1".into()
                    },
                    purpose: String::new(),
                    customer_id: None,
                }
            })
            .collect();

        let mut count = 0;
        let first_day = now.date() - Duration::days(21);
        let mut day = first_day;
        while day <= now.date() {
            if matches!(day.weekday(), Weekday::Sun) {
                day += Duration::days(1);
                continue;
            }
            let n = if day.weekday() == Weekday::Sat {
                rng.usize(3..8)
            } else {
                rng.usize(8..20)
            };
            let mut arrivals: Vec<NaiveDateTime> = (0..n)
                .filter_map(|_| day.and_hms_opt(8 + rng.u32(..9), rng.u32(..60), rng.u32(..60)))
                .filter(|t| *t < now)
                .collect();
            arrivals.sort();
            for arrived in arrivals {
                let at_desk = Some(desk[rng.usize(..desk.len())]);
                let id = visits::arrive(tx, arrived, at_desk)?;
                count += 1;
                let age = (now - arrived).num_seconds();
                // Greeting: mostly quick, sometimes late; visitors of the last minute not yet.
                let greet_after = if rng.u8(..10) < 8 {
                    rng.i64(5..50)
                } else {
                    rng.i64(50..150)
                };
                if greet_after >= age {
                    continue;
                }
                let greeted = arrived + Duration::seconds(greet_after);
                visits::change(tx, id, greeted, at_desk, "greet", "", |v| {
                    v.greet(at_desk, greeted)
                })?;
                let mut reg = customers[rng.usize(..customers.len())].clone();
                reg.purpose = PURPOSES[rng.usize(..PURPOSES.len())].into();
                let reg = reg.validate()?;
                let registered = greeted + Duration::seconds(rng.i64(20..120));
                if registered >= now {
                    continue;
                }
                visits::register(tx, Some(id), &reg, registered, at_desk)?;
                let water_after = if rng.u8(..10) < 8 {
                    rng.i64(60..280)
                } else {
                    rng.i64(280..600)
                };
                let water = arrived + Duration::seconds(water_after);
                if rng.u8(..20) > 0 && water < now {
                    visits::change(tx, id, water, at_desk, "water", "", |v| {
                        v.serve_water(at_desk, water)
                    })?;
                }
                let handed = registered + Duration::seconds(rng.i64(60..600));
                if handed >= now {
                    continue;
                }
                let host = hosts[rng.usize(..hosts.len())];
                visits::change(tx, id, handed, at_desk, "hand_over", "", |v| {
                    v.hand_over(host, &reg.purpose, handed)
                })?;
                let left = handed + Duration::seconds(rng.i64(600..5400));
                if left >= now {
                    continue;
                }
                let checklist = SeeOffChecklist {
                    offered_accompany: rng.u8(..10) < 8,
                    travel_mode: Some(TravelMode::ALL[rng.usize(..TravelMode::ALL.len())]),
                    reminded_belongings: rng.u8(..10) < 9,
                    reminded_documents: rng.u8(..10) < 8,
                    reminded_next_contact: rng.u8(..10) < 6,
                };
                visits::change(tx, id, left, at_desk, "depart", "", |v| {
                    v.depart(&checklist, at_desk, left)
                })?;
            }
            day += Duration::days(1);
        }
        // A few visitors in the building right now, at different stages.
        let desk_id = desk.first().copied();
        let just_arrived = visits::arrive(tx, now - Duration::seconds(20), desk_id)?;
        let _ = just_arrived;
        let waiting = visits::arrive(tx, now - Duration::seconds(200), desk_id)?;
        let greeted = now - Duration::seconds(170);
        visits::change(tx, waiting, greeted, desk_id, "greet", "", |v| {
            v.greet(desk_id, greeted)
        })?;
        let mut reg = customers[3].clone();
        reg.purpose = "咨询运价".into();
        visits::register(tx, Some(waiting), &reg.validate()?, greeted, desk_id)?;
        let served = visits::arrive(tx, now - Duration::seconds(900), desk_id)?;
        let at = now - Duration::seconds(880);
        visits::change(tx, served, at, desk_id, "greet", "", |v| {
            v.greet(desk_id, at)
        })?;
        let mut reg = customers[7].clone();
        reg.purpose = "办理托运".into();
        visits::register(tx, Some(served), &reg.validate()?, at, desk_id)?;
        let at = now - Duration::seconds(800);
        visits::change(tx, served, at, desk_id, "water", "", |v| {
            v.serve_water(desk_id, at)
        })?;
        let host = hosts[0];
        visits::change(tx, served, at, desk_id, "hand_over", "", |v| {
            v.hand_over(host, "办理托运", at)
        })?;
        Ok(count + 3)
    })
}
