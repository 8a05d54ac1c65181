//! `frontdesk demo`: a realistic few weeks of reception, written through the real store functions.

use chrono::{Datelike as _, Duration, NaiveDateTime, Weekday};

use crate::domain::call::{CallDraft, CallbackResult, Category, Outcome};
use crate::domain::claim::ClaimStatus;
use crate::domain::complaint::{
    AtFault, Channel, ComplaintDraft, ReplyChannel, Satisfaction, Severity, Status,
};
use crate::domain::customer::Honorific;
use crate::domain::staff::Role;
use crate::domain::visit::{RegistrationDraft, SeeOffChecklist, TravelMode};
use crate::store::db::Db;
use crate::store::{Result, Store, callbacks, calls, complaints, settings, staff, visits};

mod staff_work;

/// Password of the demo accounts `admin` and `wuhao`.
pub const DEMO_PASSWORD: &str = "frontdesk-demo";

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

/// Years of visits wanted by `frontdesk demo --years`: at most this many.
pub const MAX_YEARS: u32 = 20;
/// Visits a day at most.
pub const MAX_VISITS_PER_DAY: u32 = 2_000;
/// Refuses a scale outside 1–[`MAX_YEARS`] years and 1–[`MAX_VISITS_PER_DAY`] visits a day.
pub fn check_scale(years: u32, per_day: u32) -> Result<(), crate::domain::DomainError> {
    if (1..=MAX_YEARS).contains(&years) && (1..=MAX_VISITS_PER_DAY).contains(&per_day) {
        Ok(())
    } else {
        Err(crate::domain::DomainError::Invalid {
            field: "demo.scale",
            reason: "err.demo_scale",
        })
    }
}

/// Visits written per transaction by [`fill_history`] (whole days, about this many).
const HISTORY_VISITS_PER_WRITE: u32 = 20_000;

/// What [`fill_history`] wrote.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct History {
    /// Visits.
    pub visits: usize,
    /// Calls.
    pub calls: usize,
    /// Complaints (from calls, worked to the end).
    pub complaints: usize,
    /// Claims with evidence.
    pub claims: usize,
    /// Spot checks.
    pub inspections: usize,
}

/// `years` of history before `before` (the demo's first day), for trying FrontDesk at scale.
/// Every day: `per_day` visits between 08:30 and 17:30, each registered, greeted (mostly within
/// a minute), mostly served water, seen off, by a pool of one customer per ten visits (so most
/// of them come back); about one call for every ten visits, a third of the complaint calls
/// worked as complaints to the end; at the default rate a claim with a small evidence photo
/// about every third day and a spot check about twice a week. The demo's staff (from [`fill`])
/// take the calls and are checked. Visits are written as an import writes them; each
/// transaction holds whole days, about `HISTORY_VISITS_PER_WRITE` visits, with
/// `progress(visits written, visits in all)` after each.
pub fn fill_history(
    store: &mut Store,
    before: chrono::NaiveDate,
    years: u32,
    per_day: u32,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<History> {
    check_scale(years, per_day)?;
    let crew = Crew::of(&staff::all(store.db())?);
    let template = crate::store::inspections::templates(store.db())?
        .into_iter()
        .next();
    let mut rng = fastrand::Rng::with_seed(20_161_123);
    let days = i64::from(years) * 365;
    let total = u64::try_from(days).unwrap_or(0) * u64::from(per_day);
    let pool = (total / 10).max(100);
    let first = before - Duration::days(days);
    let days_per_write = i64::from((HISTORY_VISITS_PER_WRITE / per_day).max(1));
    let photos: Vec<Vec<u8>> = (0..3).map(|seed| evidence_png(seed, 160, 120)).collect();
    let now = before.and_hms_opt(0, 0, 0).unwrap_or_default();
    let mut written = History::default();
    let mut complaint_no = 0;
    let mut start = 0;
    while start < days {
        let span = start..(start + days_per_write).min(days);
        let mut chunk = Vec::with_capacity(HISTORY_VISITS_PER_WRITE as usize);
        for d in span.clone() {
            day_of_visits(
                &mut rng,
                first + Duration::days(d),
                per_day,
                pool,
                &mut chunk,
            );
        }
        let rng = &mut rng;
        let complaint_no = &mut complaint_no;
        let crew = &crew;
        let photos = &photos;
        let template = template.as_ref();
        let done = store.write(move |tx| {
            let mut done = History {
                visits: visits::insert_imported(tx, &chunk, now, "demo")?,
                ..History::default()
            };
            let mut pick = |rng: &mut fastrand::Rng| history_customer(rng.u64(..pool));
            let desk: Vec<i64> = crew.desk.iter().map(|(id, _)| *id).collect();
            for d in span {
                let day = first + Duration::days(d);
                let n = per_day as usize * rng.usize(5..16) / 100;
                let (calls, complaints) = day_of_calls(
                    tx,
                    rng,
                    day,
                    n,
                    now,
                    &desk,
                    &crew.hosts,
                    &mut pick,
                    complaint_no,
                )?;
                done.calls += calls;
                done.complaints += complaints;
                let at = |rng: &mut fastrand::Rng| {
                    day.and_hms_opt(9 + rng.u32(..8), rng.u32(..60), 0)
                        .unwrap_or(now)
                };
                if rng.u32(..822) < per_day {
                    let target = [
                        ClaimStatus::Closed,
                        ClaimStatus::Closed,
                        ClaimStatus::Closed,
                        ClaimStatus::Closed,
                        ClaimStatus::Paid,
                        ClaimStatus::Rejected,
                    ][rng.usize(..6)];
                    let reported = at(rng);
                    let who = pick(rng);
                    let photo = &photos[done.claims % photos.len()];
                    let i = rng.usize(..1000);
                    one_claim(
                        tx,
                        rng,
                        i,
                        target,
                        reported,
                        &who,
                        photo,
                        crew.desk.first().map(|(id, _)| *id),
                        crew.driver,
                    )?;
                    done.claims += 1;
                }
                if let Some(tpl) = template
                    && !crew.desk.is_empty()
                    && rng.u32(..959) < per_day
                {
                    let (id, name) = &crew.desk[rng.usize(..crew.desk.len())];
                    let when = at(rng);
                    let results = random_results(rng, tpl.items.len());
                    one_inspection(tx, when, (*id, name), tpl, results, true)?;
                    done.inspections += 1;
                }
            }
            // The supervisor went through the inbox of those years.
            tx.execute(
                "UPDATE inbox SET acknowledged_at = created_at, acknowledged_by = ?1
                 WHERE acknowledged_at IS NULL AND created_at < ?2",
                crate::db_params![crew.hosts.last().copied(), now],
            )?;
            Ok(done)
        })?;
        written.visits += done.visits;
        written.calls += done.calls;
        written.complaints += done.complaints;
        written.claims += done.claims;
        written.inspections += done.inspections;
        progress(written.visits as u64, total);
        start += days_per_write;
    }
    Ok(written)
}

/// The demo's staff as the history uses them.
struct Crew {
    /// The front desk (id, name): they take calls and are spot-checked.
    desk: Vec<(i64, String)>,
    /// Everyone else: hosts of visitors; the last one acknowledges the inbox.
    hosts: Vec<i64>,
    /// The warehouse member named in claims.
    driver: Option<i64>,
}

impl Crew {
    fn of(staff: &[crate::domain::staff::Staff]) -> Self {
        let active = staff.iter().filter(|s| s.active);
        Self {
            desk: active
                .clone()
                .filter(|s| s.role == Role::ServiceRep)
                .map(|s| (s.id, s.name.clone()))
                .collect(),
            hosts: active
                .clone()
                .filter(|s| s.role != Role::ServiceRep)
                .map(|s| s.id)
                .collect(),
            driver: active
                .clone()
                .find(|s| s.role == Role::Warehouse)
                .map(|s| s.id),
        }
    }
}

/// Customer number `who` of the history's pool: the same person every time.
fn history_customer(who: u64) -> RegistrationDraft {
    let n = usize::try_from(who).unwrap_or(0);
    let surname = SURNAMES[n % SURNAMES.len()];
    let given = GIVEN[n / SURNAMES.len() % GIVEN.len()];
    RegistrationDraft {
        surname: surname.into(),
        honorific: Some(if who.is_multiple_of(2) {
            Honorific::Mr
        } else {
            Honorific::Ms
        }),
        name: format!("{surname}{given}"),
        phone: format!("139{who:08}"),
        company: COMPANIES[n % COMPANIES.len()].into(),
        region: REGIONS[n % REGIONS.len()].into(),
        party_size: "1".into(),
        purpose: String::new(),
        customer_id: None,
    }
}

/// One day's `per_day` visits of the history, evenly over the day with a few minutes of jitter,
/// in arrival order, by customers of a pool of `pool`.
fn day_of_visits(
    rng: &mut fastrand::Rng,
    day: chrono::NaiveDate,
    per_day: u32,
    pool: u64,
    out: &mut Vec<crate::domain::visit::ImportedVisit>,
) {
    let Some(opening) = day.and_hms_opt(8, 30, 0) else {
        return;
    };
    let step = 32_400 / i64::from(per_day);
    for i in 0..i64::from(per_day) {
        let arrived = opening + Duration::seconds(i * step + rng.i64(0..step.max(1)));
        let who = history_customer(rng.u64(..pool));
        let greeted = if rng.u8(..10) < 8 {
            rng.i64(5..60)
        } else {
            rng.i64(60..240)
        };
        out.push(crate::domain::visit::ImportedVisit {
            arrived_at: arrived,
            honorific: who.honorific.unwrap_or(Honorific::Mr),
            surname: who.surname,
            name: who.name,
            phone: who.phone,
            company: who.company,
            purpose: PURPOSES[rng.usize(..PURPOSES.len())].into(),
            party_size: if rng.u8(..10) == 0 { 2 } else { 1 },
            greeted_at: Some(arrived + Duration::seconds(greeted)),
            water_served_at: (rng.u8(..10) < 9)
                .then(|| arrived + Duration::seconds(rng.i64(90..400))),
            departed_at: Some(arrived + Duration::minutes(rng.i64(15..90))),
            travel_mode: Some(TravelMode::ALL[rng.usize(..TravelMode::ALL.len())]),
        });
    }
}

/// Fills `store` with about three weeks of visits ending at `now`, a few still present.
/// Refuses a database that already has visits. Returns the number of visits written.
pub fn fill(store: &mut Store, now: NaiveDateTime) -> Result<usize> {
    let existing: i64 = store
        .db()
        .query_value("SELECT count(*) FROM visits", crate::db_params![])?;
    if existing > 0 {
        return Err(crate::domain::DomainError::WrongState("err.demo_not_empty").into());
    }
    let mut rng = fastrand::Rng::with_seed(20_261_123);
    let now = crate::clock::whole_seconds(now);
    store.write(|tx| {
        let (staff_ids, supervisor) = add_staff_and_accounts(tx, now)?;
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
        let customers = customer_pool(&mut rng);
        let count = fill_visits(tx, &mut rng, now, &desk, &hosts, &customers)?;
        fill_service(tx, &mut rng, now, &desk, &hosts, &customers)?;
        fill_claims(tx, &mut rng, now, &desk, &staff_ids, &customers)?;
        fill_inspections(tx, &mut rng, now, &staff_ids)?;
        fill_incidents(tx, now, &desk)?;
        staff_work::fill(tx, now, &staff_ids, supervisor)?;
        fill_present(tx, now, &desk, &hosts, &customers)?;
        Ok(count + 3)
    })
}

/// Two on-site incidents (突发事件): last week's system outage, resolved with the waiting
/// customers told, and a dispute at the counter this morning, still open.
fn fill_incidents(tx: Db<'_>, now: NaiveDateTime, desk: &[i64]) -> Result<()> {
    use crate::domain::incident::{IncidentDraft, IncidentKind};
    let by = desk.first().copied();
    let outage_at = now - Duration::days(6) - Duration::hours(2);
    let outage = IncidentDraft {
        kind: Some(IncidentKind::Outage),
        at: Some(outage_at),
        description: "开单系统无法登录约 40 分钟,柜台暂停开单".into(),
        customers_informed: Some(true),
        handling: "通知信息部重启服务器;向排队客户说明情况并手工登记".into(),
    };
    let id = crate::store::incidents::record(tx, &outage, outage_at, by)?;
    crate::store::incidents::resolve(
        tx,
        id,
        "信息部重启服务器后恢复,手工登记的运单已补录",
        None,
        outage_at + Duration::minutes(45),
    )?;
    let dispute_at = now - Duration::hours(1);
    let dispute = IncidentDraft {
        kind: Some(IncidentKind::Dispute),
        at: Some(dispute_at),
        description: "客户因提货排队时间长与同事发生争执".into(),
        customers_informed: None,
        handling: "值班主管已出面安抚,安排优先办理".into(),
    };
    crate::store::incidents::record(tx, &dispute, dispute_at, by)?;
    Ok(())
}

/// Adds the demo staff, makes the first of the front desk the operator (and names the company if
/// it has no name), and creates the demo accounts. Returns the staff's ids with their roles, and
/// the supervisor's account.
fn add_staff_and_accounts(tx: Db<'_>, now: NaiveDateTime) -> Result<(Vec<(i64, Role)>, i64)> {
    let mut settings_now = settings::load(tx)?;
    if settings_now.company_name.is_empty() {
        settings_now.company_name = "顺达物流".into();
    }
    let mut staff_ids = Vec::new();
    for (name, role) in STAFF {
        staff_ids.push((staff::add(tx, name, role, now)?, role));
    }
    settings_now.operator_id = staff_ids
        .iter()
        .find(|(_, r)| *r == Role::ServiceRep)
        .map(|(id, _)| *id);
    settings::save(tx, &settings_now)?;
    // Demo accounts (documented in the README): an admin and a supervisor.
    crate::store::accounts::create_first_admin(tx, "admin", "系统管理员", DEMO_PASSWORD, now)?;
    let supervisor = crate::store::accounts::create(
        tx,
        "wuhao",
        "吴昊",
        crate::domain::account::AccountRole::Supervisor,
        DEMO_PASSWORD,
        now,
    )?;
    Ok((staff_ids, supervisor))
}

/// A pool of 80 customers for the demo's visits, so that some come back.
fn customer_pool(rng: &mut fastrand::Rng) -> Vec<RegistrationDraft> {
    (0..80)
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
        .collect()
}

/// The visits of the 21 days before `now` (none on Sundays, fewer on Saturdays), each taken as
/// far as `now` allows. Returns the number of visits written.
fn fill_visits(
    tx: Db<'_>,
    rng: &mut fastrand::Rng,
    now: NaiveDateTime,
    desk: &[i64],
    hosts: &[i64],
    customers: &[RegistrationDraft],
) -> Result<usize> {
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
            one_visit(tx, rng, now, arrived, desk, hosts, customers)?;
            count += 1;
        }
        day += Duration::days(1);
    }
    Ok(count)
}

/// One demo visit that arrived at `arrived`: greeted, registered, served water, handed over and
/// seen off, each step only when it falls before `now`.
fn one_visit(
    tx: Db<'_>,
    rng: &mut fastrand::Rng,
    now: NaiveDateTime,
    arrived: NaiveDateTime,
    desk: &[i64],
    hosts: &[i64],
    customers: &[RegistrationDraft],
) -> Result<()> {
    let at_desk = Some(desk[rng.usize(..desk.len())]);
    let id = visits::arrive(tx, arrived, at_desk)?;
    let age = (now - arrived).num_seconds();
    // Greeting: mostly quick, sometimes late; visitors of the last minute not yet.
    let greet_after = if rng.u8(..10) < 8 {
        rng.i64(5..50)
    } else {
        rng.i64(50..150)
    };
    if greet_after >= age {
        return Ok(());
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
        return Ok(());
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
        return Ok(());
    }
    let host = hosts[rng.usize(..hosts.len())];
    visits::change(tx, id, handed, at_desk, "hand_over", "", |v| {
        v.hand_over(host, &reg.purpose, handed)
    })?;
    let left = handed + Duration::seconds(rng.i64(600..5400));
    if left >= now {
        return Ok(());
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
    Ok(())
}

/// Three visitors in the building at `now`, at different stages: just arrived, greeted and
/// registered, and served and handed over.
fn fill_present(
    tx: Db<'_>,
    now: NaiveDateTime,
    desk: &[i64],
    hosts: &[i64],
    customers: &[RegistrationDraft],
) -> Result<()> {
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
    Ok(())
}

const CALL_TOPICS: [(Category, &str, &str); 8] = [
    (
        Category::Enquiry,
        "咨询上海到成都的零担运价",
        "按重量 1.2 元/公斤,起步价 50 元,已发报价单",
    ),
    (
        Category::Tracking,
        "查询运单 SD2026110388 到哪了",
        "已到成都分拨中心,预计明天上午派送",
    ),
    (
        Category::Tracking,
        "货物几天能到乌鲁木齐",
        "正常时效 5–6 天,已告知查询方式",
    ),
    (
        Category::Enquiry,
        "能否上门提货",
        "可以,已登记提货地址,明天 10 点前上门",
    ),
    (
        Category::Complaint,
        "司机送货态度不好,卸货时扔箱子",
        "已记录,转投诉处理",
    ),
    (
        Category::Claim,
        "收到的电器外箱破损,询问如何理赔",
        "已说明理赔所需材料",
    ),
    (
        Category::Complaint,
        "货物比承诺时间晚到三天",
        "已致歉并记录,转投诉",
    ),
    (Category::Other, "开具运费发票", "已转财务,三个工作日内寄出"),
];

const COMPLAINTS: [(&str, &str, Severity, AtFault); 6] = [
    (
        "服务态度",
        "送货司机态度恶劣,卸货时乱扔货物",
        Severity::Ordinary,
        AtFault::Yes,
    ),
    (
        "货物破损",
        "一批陶瓷到货破损 12 箱,客户要求赔偿",
        Severity::Major,
        AtFault::Unknown,
    ),
    (
        "延误",
        "承诺三天到货,实际晚到两天,影响客户生产",
        Severity::Ordinary,
        AtFault::Yes,
    ),
    (
        "运费争议",
        "结算运费比报价多 300 元",
        Severity::Ordinary,
        AtFault::No,
    ),
    (
        "货物丢失",
        "整票 3 件货物在中转时丢失",
        Severity::Major,
        AtFault::Yes,
    ),
    (
        "其他",
        "网点电话长时间无人接听",
        Severity::Ordinary,
        AtFault::Unknown,
    ),
];

/// Calls over the weeks, complaints in every state (major ones included), callbacks due and done.
fn fill_service(
    tx: Db<'_>,
    rng: &mut fastrand::Rng,
    now: NaiveDateTime,
    desk: &[i64],
    hosts: &[i64],
    customers: &[RegistrationDraft],
) -> Result<()> {
    let first_day = now.date() - Duration::days(21);
    let mut day = first_day;
    let mut complaint_no = 0;
    while day <= now.date() {
        if day.weekday() == Weekday::Sun {
            day += Duration::days(1);
            continue;
        }
        let n = rng.usize(6..14);
        let mut pick = |rng: &mut fastrand::Rng| customers[rng.usize(..customers.len())].clone();
        day_of_calls(
            tx,
            rng,
            day,
            n,
            now,
            desk,
            hosts,
            &mut pick,
            &mut complaint_no,
        )?;
        day += Duration::days(1);
    }
    // Two fresh complaints so that every state shows: one just received, one in progress.
    let fresh = [
        (
            now - Duration::minutes(40),
            "服务态度",
            Severity::Ordinary,
            "前台电话长时间占线,打了五次才打通",
        ),
        (
            now - Duration::hours(20),
            "延误",
            Severity::Major,
            "冷链货物延误一天,部分变质",
        ),
    ];
    for (i, (at, category, severity, content)) in fresh.into_iter().enumerate() {
        let who = &customers[10 + i];
        let draft = ComplaintDraft {
            channel: Some(if i == 0 {
                Channel::Phone
            } else {
                Channel::Visit
            }),
            customer_name: format!(
                "{}{}",
                who.surname,
                who.honorific.map_or("", Honorific::as_zh)
            ),
            phone: who.phone.clone(),
            category: category.into(),
            severity: Some(severity),
            at_fault: Some(AtFault::Unknown),
            content: content.into(),
            ..ComplaintDraft::default()
        };
        let id = complaints::create(tx, &draft, at, desk.first().copied())?;
        if i == 1 {
            complaints::clarify(
                tx,
                id,
                "核实:运输途中冷机故障两小时",
                at + Duration::hours(1),
                desk.first().copied(),
            )?;
        }
    }
    // Older inbox entries were acknowledged by the supervisor.
    tx.execute(
        "UPDATE inbox SET acknowledged_at = created_at, acknowledged_by = ?1 WHERE created_at < ?2",
        crate::db_params![
            hosts.last().copied(),
            crate::store::ts(now - Duration::days(7))
        ],
    )?;
    // Callbacks: some done, one due today, one overdue, one upcoming.
    let due = [
        now.date() - Duration::days(2),
        now.date(),
        now.date() + Duration::days(3),
        now.date() - Duration::days(6),
    ];
    for (i, d) in due.into_iter().enumerate() {
        let who = &customers[i * 5];
        let id: i64 = tx.query_value(
            "INSERT INTO callbacks (due, name, phone, purpose, created_at, created_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6) RETURNING id",
            crate::db_params![
                d.format("%Y-%m-%d").to_string(),
                format!("{}{}", who.surname, who.honorific.map_or("", Honorific::as_zh)),
                who.phone,
                "回访上次托运的服务质量和到货情况",
                crate::store::ts(now - Duration::days(7)),
                desk.first().copied()
            ],
        )?;
        if i == 3 {
            let result = CallbackResult {
                quality: Some(Satisfaction::Satisfied),
                usage: "每月发货两次".into(),
                satisfaction: Some(Satisfaction::Basic),
                notes: "希望提货更早一些".into(),
                staff_feedback: "客服人员态度好,回复及时".into(),
            };
            callbacks::complete(
                tx,
                id,
                &result,
                now - Duration::days(5),
                desk.first().copied(),
            )?;
        }
    }
    Ok(())
}

/// `n` calls on `day` before `now`, from callers `pick` chooses; a third of the complaints
/// among them become complaint records, worked according to their age. Returns the calls and
/// complaints written.
#[allow(clippy::too_many_arguments)]
fn day_of_calls(
    tx: Db<'_>,
    rng: &mut fastrand::Rng,
    day: chrono::NaiveDate,
    n: usize,
    now: NaiveDateTime,
    desk: &[i64],
    hosts: &[i64],
    pick: &mut dyn FnMut(&mut fastrand::Rng) -> RegistrationDraft,
    complaint_no: &mut usize,
) -> Result<(usize, usize)> {
    let mut written = (0, 0);
    for _ in 0..n {
        let Some(at) = day.and_hms_opt(8 + rng.u32(..9), rng.u32(..60), rng.u32(..60)) else {
            continue;
        };
        if at >= now {
            continue;
        }
        let (category, content, answer) = CALL_TOPICS[rng.usize(..CALL_TOPICS.len())];
        let who = pick(rng);
        let rings = match rng.u8(..10) {
            0 => rng.i64(6..9),
            1 | 2 => rng.i64(3..6),
            _ => rng.i64(1..3),
        };
        let draft = CallDraft {
            at: String::new(),
            rings: rings.to_string(),
            apology_said: rng.u8(..4) > 0,
            caller_name: format!(
                "{}{}",
                who.surname,
                who.honorific.map_or("", Honorific::as_zh)
            ),
            phone: who.phone.clone(),
            region: who.region.clone(),
            category: Some(category),
            content: content.into(),
            answer: answer.into(),
            repeated_back: rng.u8(..10) < 8,
            outcome: Some(if matches!(category, Category::Complaint) {
                Outcome::Converted
            } else {
                Outcome::Answered
            }),
            escalated: rng.u8(..40) == 0,
            customer_id: None,
            ..CallDraft::default()
        };
        let staff = Some(desk[rng.usize(..desk.len())]);
        let call_id = calls::insert(tx, &draft.validate(at, staff)?)?;
        written.0 += 1;
        if matches!(category, Category::Complaint) && rng.u8(..3) == 0 {
            let (cat, text, severity, fault) = COMPLAINTS[*complaint_no % COMPLAINTS.len()];
            *complaint_no += 1;
            let c = ComplaintDraft {
                channel: Some(Channel::Phone),
                customer_name: draft.caller_name.clone(),
                phone: draft.phone.clone(),
                waybill: format!("SD{}{:04}", day.format("%Y%m%d"), rng.u32(..10_000)),
                category: cat.into(),
                severity: Some(severity),
                at_fault: Some(fault),
                content: text.into(),
                call_id: Some(call_id),
                ..ComplaintDraft::default()
            };
            work_complaint(tx, rng, &c, at, now, staff, hosts)?;
            written.1 += 1;
        }
    }
    Ok(written)
}

/// Walks a complaint part of the way, depending on its age, so every state occurs.
fn work_complaint(
    tx: Db<'_>,
    rng: &mut fastrand::Rng,
    draft: &ComplaintDraft,
    at: NaiveDateTime,
    now: NaiveDateTime,
    staff: Option<i64>,
    hosts: &[i64],
) -> Result<()> {
    let id = complaints::create(tx, draft, at, staff)?;
    let mut t = at + Duration::minutes(rng.i64(20..300));
    let age_days = (now - at).num_days();
    if t >= now || age_days == 0 && rng.bool() {
        return Ok(());
    }
    complaints::clarify(
        tx,
        id,
        "已核实运单、到货时间和破损照片,客户诉求为赔偿或重发",
        t,
        staff,
    )?;
    t += Duration::hours(rng.i64(1..20));
    if t >= now {
        return Ok(());
    }
    let promise = (age_days < 3).then_some(t + Duration::hours(rng.i64(2..30)));
    complaints::add_handling(
        tx,
        id,
        "已联系分公司与司机核实情况",
        promise.filter(|p| *p > t),
        t,
        staff,
    )?;
    if age_days < 2 {
        return Ok(());
    }
    t += Duration::hours(rng.i64(2..30));
    if t >= now {
        return Ok(());
    }
    if age_days < 5 && rng.bool() {
        complaints::set_status(
            tx,
            id,
            Status::WaitingCustomer,
            None,
            "等待客户提供照片",
            t,
            staff,
        )?;
        return Ok(());
    }
    complaints::add_reply(
        tx,
        id,
        ReplyChannel::Phone,
        "已电话告知处理结果,赔偿按协议执行",
        true,
        t,
        staff,
    )?;
    if draft.severity == Some(Severity::Major) {
        complaints::report(tx, id, "客服部 吴经理", t, Some(hosts[hosts.len() - 1]))?;
    }
    if age_days < 7 {
        return Ok(());
    }
    complaints::mark_recorded(tx, id, t, staff)?;
    let satisfaction = [
        Satisfaction::Satisfied,
        Satisfaction::Basic,
        Satisfaction::Unsatisfied,
    ][rng.usize(..3)];
    complaints::set_status(
        tx,
        id,
        Status::Closed,
        Some(satisfaction),
        "",
        t + Duration::hours(2),
        staff,
    )?;
    Ok(())
}

/// A photo-like evidence image of `w`×`h` pixels: a box on a floor with a crack, in PNG.
fn evidence_png(seed: u32, w: u32, h: u32) -> Vec<u8> {
    let img = image::RgbImage::from_fn(w, h, |x, y| {
        let floor = image::Rgb([150 + (y / 8 % 2) as u8 * 10, 150, 140]);
        let in_box = (w / 4..w * 3 / 4).contains(&x) && (h / 4..h * 5 / 6).contains(&y);
        if !in_box {
            return floor;
        }
        let slant = (i64::from(y) - i64::from(h / 4)) * i64::from(seed % 3 + 1) / 2;
        let crack = (i64::from(x) - i64::from(w / 3) - slant).abs() < 3;
        if crack {
            image::Rgb([60, 40, 30])
        } else {
            image::Rgb([196, 154, 108])
        }
    });
    let mut out = std::io::Cursor::new(Vec::new());
    // Encoding an in-memory image cannot fail for a valid RGB buffer; an empty file would be
    // refused by the evidence check anyway.
    let _ = img.write_to(&mut out, image::ImageFormat::Png);
    out.into_inner()
}

/// The stages a demo claim is taken to.
const CLAIM_STAGES: [crate::domain::claim::ClaimStatus; 7] = {
    use crate::domain::claim::ClaimStatus;
    [
        ClaimStatus::Reported,
        ClaimStatus::Investigating,
        ClaimStatus::LiabilitySet,
        ClaimStatus::Agreed,
        ClaimStatus::Paid,
        ClaimStatus::Closed,
        ClaimStatus::Rejected,
    ]
};

/// Claims over the last weeks in every state, with evidence photos.
fn fill_claims(
    tx: Db<'_>,
    rng: &mut fastrand::Rng,
    now: NaiveDateTime,
    desk: &[i64],
    staff_ids: &[(i64, Role)],
    customers: &[RegistrationDraft],
) -> Result<()> {
    let me = desk.first().copied();
    let driver = staff_ids
        .iter()
        .find(|(_, r)| *r == Role::Warehouse)
        .map(|(id, _)| *id);
    for i in 0..18usize {
        let target = CLAIM_STAGES[i % CLAIM_STAGES.len()];
        let reported = now - Duration::days(40 - i as i64 * 2) - Duration::hours(rng.i64(0..8));
        let who = &customers[(i * 3) % customers.len()];
        let photo = evidence_png(i as u32, 480, 360);
        one_claim(tx, rng, i, target, reported, who, &photo, me, driver)?;
    }
    Ok(())
}

/// One claim reported at `reported` by `who`, with the photo as evidence, taken to `target`
/// through each stage before it (`i` varies the branch, place, type and cause).
#[allow(clippy::too_many_arguments)]
fn one_claim(
    tx: Db<'_>,
    rng: &mut fastrand::Rng,
    i: usize,
    target: crate::domain::claim::ClaimStatus,
    reported: NaiveDateTime,
    who: &RegistrationDraft,
    photo: &[u8],
    me: Option<i64>,
    driver: Option<i64>,
) -> Result<()> {
    use crate::domain::claim::{
        ClaimDraft, ClaimStatus, ClaimType, InsurerStatus, Party, PartyRole,
    };
    use crate::store::claims;
    let branches = ["上海分公司", "杭州分公司", "苏州网点", "南京分公司"];
    let causes = ["装卸不当", "包装不良", "交通事故", "天气", "仓储", "其他"];
    let claimed = rng.i64(20_000..1_500_000);
    let draft = ClaimDraft {
        waybill: format!("SD{}{:04}", reported.format("%Y%m%d"), rng.u32(..10_000)),
        customer_name: format!(
            "{}{}",
            who.surname,
            who.honorific.map_or("", Honorific::as_zh)
        ),
        phone: who.phone.clone(),
        incident_date: (reported.date() - Duration::days(rng.i64(0..4)))
            .format("%Y-%m-%d")
            .to_string(),
        incident_place: ["沪宁高速无锡段", "杭州转运中心", "苏州仓库", "客户收货点"][i % 4].into(),
        branch: branches[i % branches.len()].into(),
        claim_type: Some(ClaimType::ALL[i % ClaimType::ALL.len()]),
        cause: causes[i % causes.len()].into(),
        description: "到货时外包装破损,内有货物受损,客户拍照留证".into(),
        claimed: crate::domain::money::edit_fen(claimed),
        ..ClaimDraft::default()
    };
    let claim = draft.validate(reported)?;
    let id = claims::create(tx, &claim, me)?;
    let mut t = reported + Duration::hours(2);
    claims::add_file(tx, id, &format!("现场照片-{}.png", i + 1), photo, t, me)?;
    if target == ClaimStatus::Reported {
        return Ok(());
    }
    claims::move_status(tx, id, ClaimStatus::Investigating, "", t, me)?;
    claims::add_note(
        tx,
        id,
        "已调取装车记录并询问司机、装卸工",
        t + Duration::hours(3),
        me,
    )?;
    t += Duration::days(1);
    if target == ClaimStatus::Rejected {
        claims::move_status(
            tx,
            id,
            ClaimStatus::Rejected,
            "超过约定索赔时效且未保价",
            t,
            me,
        )?;
        return Ok(());
    }
    let parties = vec![
        Party {
            staff_id: driver,
            name: "周杰".into(),
            role: Some(PartyRole::Warehouse),
            share_bp: 6000,
            ..Party::default()
        },
        Party {
            name: branches[i % branches.len()].into(),
            role: Some(PartyRole::Branch),
            share_bp: 3000,
            ..Party::default()
        },
        Party {
            name: "顺通运输".into(),
            role: Some(PartyRole::Carrier),
            share_bp: 1000,
            ..Party::default()
        },
    ];
    claims::set_parties(tx, id, &parties, t, me)?;
    if target == ClaimStatus::Investigating {
        return Ok(());
    }
    claims::move_status(tx, id, ClaimStatus::LiabilitySet, "", t, me)?;
    let agreed = claimed * 8 / 10;
    claims::set_money(tx, id, Some(agreed), None, t + Duration::hours(5), me)?;
    if target == ClaimStatus::LiabilitySet {
        return Ok(());
    }
    t += Duration::days(2);
    claims::move_status(tx, id, ClaimStatus::Agreed, "", t, me)?;
    let insurer = claims::Insurer {
        name: "平安财险".into(),
        policy_no: format!("PA2026{:06}", rng.u32(..1_000_000)),
        case_no: format!("LP{:06}", rng.u32(..1_000_000)),
        status: Some(if target == ClaimStatus::Agreed {
            InsurerStatus::Reported
        } else {
            InsurerStatus::Paid
        }),
        recovered_fen: if target == ClaimStatus::Agreed {
            0
        } else {
            agreed / 2
        },
    };
    claims::set_insurer(tx, id, &insurer, t, me)?;
    if target == ClaimStatus::Agreed {
        return Ok(());
    }
    t += Duration::days(1);
    claims::set_money(tx, id, None, Some(agreed), t, me)?;
    claims::move_status(tx, id, ClaimStatus::Paid, "", t, me)?;
    for p in claims::get(tx, id)?.parties {
        claims::notify_party(tx, p.id, t.date(), t, me)?;
    }
    if target == ClaimStatus::Closed {
        claims::move_status(tx, id, ClaimStatus::Closed, "", t + Duration::days(1), me)?;
    }
    Ok(())
}

/// Spot checks over the last weeks with a few failures, rectifications and rewards/penalties.
fn fill_inspections(
    tx: Db<'_>,
    rng: &mut fastrand::Rng,
    now: NaiveDateTime,
    staff_ids: &[(i64, Role)],
) -> Result<()> {
    use crate::domain::inspection::RewardPenalty;
    let template = &crate::store::inspections::templates(tx)?[0];
    let desk: Vec<(i64, &str)> = staff_ids
        .iter()
        .zip(STAFF)
        .filter(|((_, r), _)| *r == Role::ServiceRep)
        .map(|((id, _), (name, _))| (*id, name))
        .collect();
    for k in 0..10i64 {
        let at = now - Duration::days(27 - k * 3) - Duration::hours(rng.i64(0..6));
        let checked = desk[k as usize % desk.len()];
        let results = random_results(rng, template.items.len());
        one_inspection(tx, at, checked, template, results, k < 7)?;
    }
    let (best, _) = desk[0];
    let reward = RewardPenalty {
        id: 0,
        staff_id: best,
        reward: true,
        amount_fen: 20_000,
        reason: "客户来信表扬".into(),
        on: now.date() - Duration::days(2),
        inspection_id: None,
        complaint_id: None,
        claim_id: None,
        attendance_id: None,
        attendance: None,
    };
    crate::store::inspections::add_reward_penalty(tx, &reward, now - Duration::days(2))?;
    Ok(())
}

/// The results of a spot check of `n` items: about one in twelve failed, one in twelve not
/// applicable.
fn random_results(rng: &mut fastrand::Rng, n: usize) -> Vec<crate::domain::inspection::ItemResult> {
    use crate::domain::inspection::ItemResult;
    (0..n)
        .map(|_| match rng.u8(..12) {
            0 => ItemResult::Fail,
            1 => ItemResult::NotApplicable,
            _ => ItemResult::Pass,
        })
        .collect()
}

/// A spot check of one desk member (`checked`: id and name) at `at` with the template's items,
/// each with its result in `results`: each failure gets a rectification (verified when
/// `verified`) and a penalty.
fn one_inspection(
    tx: Db<'_>,
    at: NaiveDateTime,
    checked: (i64, &str),
    tpl: &crate::domain::inspection::Template,
    results: Vec<crate::domain::inspection::ItemResult>,
    verified: bool,
) -> Result<()> {
    use crate::domain::inspection::{
        CheckedItem, Inspection, ItemResult, RewardPenalty, TargetKind,
    };
    use crate::store::inspections;
    let (staff_id, name) = checked;
    let items: Vec<CheckedItem> = tpl
        .items
        .iter()
        .zip(results)
        .map(|(text, result)| CheckedItem {
            id: 0,
            text: text.clone(),
            result,
            note: String::new(),
            photo: None,
        })
        .collect();
    let inspection = Inspection {
        id: 0,
        at,
        inspector: "吴昊".into(),
        target_kind: TargetKind::Staff,
        target: name.into(),
        staff_id: Some(staff_id),
        template_name: tpl.name.clone(),
        items,
        remark: "整体良好".into(),
    };
    let id = inspections::create(tx, &inspection, None, Some(tpl.id))?;
    let failed: Vec<i64> = inspections::get(tx, id)?
        .items
        .into_iter()
        .filter(|i| i.result == ItemResult::Fail)
        .map(|i| i.id)
        .collect();
    for item in failed {
        let due = (at + Duration::days(3)).date();
        let r = inspections::raise_rectification(
            tx,
            item,
            name,
            Some(staff_id),
            "按规范整改并拍照反馈",
            due,
            at,
        )?;
        if verified {
            inspections::verify(tx, r, "吴昊", true, "已整改到位", at + Duration::days(2))?;
        }
        let penalty = RewardPenalty {
            id: 0,
            staff_id,
            reward: false,
            amount_fen: 5_000,
            reason: "监察不合格项".into(),
            on: at.date(),
            inspection_id: Some(id),
            complaint_id: None,
            claim_id: None,
            attendance_id: None,
            attendance: None,
        };
        inspections::add_reward_penalty(tx, &penalty, at)?;
    }
    Ok(())
}
