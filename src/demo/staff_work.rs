//! The demo's staff work under the service rules: sign-ins over the recent days (some late, one
//! late day penalised), daily work reports (one read, one waiting), case transfers at each stage,
//! waybill change requests at each stage, and the improvement measures agreed for last month's
//! most failed spot-check items.
//!
//! It draws from a random source of its own, so the rest of the demo stays as it was.

use chrono::{Datelike as _, Duration, NaiveDate, NaiveDateTime, Weekday};

use super::{STAFF, one_inspection};
use crate::db_params;
use crate::domain::inspection::ItemResult;
use crate::domain::staff::Role;
use crate::domain::transfer::CaseKind;
use crate::store::db::Db;
use crate::store::{Result, attendance, daily_reports, inspections, settings, transfers};

/// Days back from today that the staff signed in.
const ATTENDANCE_DAYS: i64 = 14;

/// Everything of this module, for the demo staff (`staff_ids`, in the order of [`STAFF`]) until
/// `now`; `supervisor` is the supervisor's account (who reads a report and agrees the measures).
pub(super) fn fill(
    tx: Db<'_>,
    now: NaiveDateTime,
    staff_ids: &[(i64, Role)],
    supervisor: i64,
) -> Result<()> {
    let mut rng = fastrand::Rng::with_seed(20_261_128);
    let desk: Vec<(i64, &str)> = staff_ids
        .iter()
        .zip(STAFF)
        .filter(|((_, r), _)| *r == Role::ServiceRep)
        .map(|((id, _), (name, _))| (*id, name))
        .collect();
    fill_attendance(tx, &mut rng, now, staff_ids)?;
    penalise_the_last_late_day(tx, now)?;
    fill_daily_reports(tx, now, &desk, supervisor)?;
    fill_transfers(tx, now, staff_ids)?;
    fill_waybill_changes(tx, now, &desk)?;
    fill_quality_measures(tx, now, &desk, supervisor)?;
    Ok(())
}

/// Sign-ins of the last [`ATTENDANCE_DAYS`] days and today as far as `now`: everyone but the
/// supervisor on weekdays, the front desk on Saturdays too; now and then a day off, about one day
/// in six late by a few minutes to half an hour, and now and then a sign-out forgotten.
fn fill_attendance(
    tx: Db<'_>,
    rng: &mut fastrand::Rng,
    now: NaiveDateTime,
    staff_ids: &[(i64, Role)],
) -> Result<()> {
    let shift_start = settings::load(tx)?.shift_start;
    for back in (0..=ATTENDANCE_DAYS).rev() {
        let day = now.date() - Duration::days(back);
        let weekday = day.weekday();
        if weekday == Weekday::Sun {
            continue;
        }
        for (n, &(id, role)) in staff_ids.iter().enumerate() {
            let works =
                role != Role::Supervisor && (weekday != Weekday::Sat || role == Role::ServiceRep);
            if !works || rng.u8(..25) == 0 {
                continue;
            }
            let start = day.and_time(shift_start);
            let signed_in = if rng.u8(..6) == 0 {
                start + Duration::minutes(rng.i64(3..30)) + Duration::seconds(rng.i64(0..60))
            } else {
                start - Duration::minutes(rng.i64(1..20)) - Duration::seconds(rng.i64(0..60))
            };
            if signed_in > now {
                continue;
            }
            let desk = format!("{}号台", n % 3 + 1);
            attendance::sign_in(tx, id, signed_in, &desk)?;
            let signed_out =
                day.and_hms_opt(18, 0, 0).unwrap_or(start) + Duration::minutes(rng.i64(0..40));
            if day < now.date() && rng.u8(..20) != 0 {
                attendance::sign_out(tx, id, signed_out)?;
            }
        }
    }
    Ok(())
}

/// A penalty for the latest late arrival before today, linked to that day, given the day after.
fn penalise_the_last_late_day(tx: Db<'_>, now: NaiveDateTime) -> Result<()> {
    use crate::domain::inspection::RewardPenalty;
    let shift_start = settings::load(tx)?.shift_start;
    let days = attendance::between(tx, now.date() - Duration::days(ATTENDANCE_DAYS), now.date())?;
    let Some(late) = days
        .into_iter()
        .filter(|d| d.late_minutes(shift_start) > 0)
        .max_by_key(|d| (d.day, d.id))
    else {
        return Ok(());
    };
    let on = late.day + Duration::days(1);
    let penalty = RewardPenalty {
        id: 0,
        staff_id: late.staff_id,
        reward: false,
        amount_fen: 2_000,
        reason: format!("{} 迟到 {} 分钟", late.day, late.late_minutes(shift_start)),
        on,
        inspection_id: None,
        complaint_id: None,
        claim_id: None,
        attendance_id: Some(late.id),
        attendance: None,
    };
    let given = on.and_hms_opt(9, 30, 0).unwrap_or(now).min(now);
    inspections::add_reward_penalty(tx, &penalty, given)?;
    Ok(())
}

/// The last working day before `today` (Monday to Saturday, as the desk works).
fn previous_working_day(today: NaiveDate) -> NaiveDate {
    let day = today - Duration::days(1);
    if day.weekday() == Weekday::Sun {
        day - Duration::days(1)
    } else {
        day
    }
}

/// The daily work reports of the last working day: the first of the front desk's, read by the
/// supervisor the morning after; the second's, not read yet.
fn fill_daily_reports(
    tx: Db<'_>,
    now: NaiveDateTime,
    desk: &[(i64, &str)],
    supervisor: i64,
) -> Result<()> {
    let limit = settings::load(tx)?.rules.greeting_limit_secs;
    let day = previous_working_day(now.date());
    let evening = |minutes| day.and_hms_opt(17, 50, 0).unwrap_or(now) + Duration::minutes(minutes);
    let remarks = [
        "上午来访客户较多,已全部按时问候;下午回访两位投诉客户,均表示满意。",
        "电话咨询以查询到货时间为主;一票破损件已转理赔专员跟进。",
    ];
    for (i, ((staff_id, _), remarks)) in desk.iter().zip(remarks).enumerate() {
        let submitted = evening(i64::try_from(i).unwrap_or(0) * 7);
        let id = daily_reports::submit(tx, *staff_id, remarks, submitted, limit)?;
        if i == 0 {
            // The morning after, or now if that is earlier.
            let read = now.date().and_hms_opt(8, 45, 0).unwrap_or(now).min(now);
            daily_reports::mark_read(tx, id, read, Some(supervisor), "吴昊")?;
        }
    }
    Ok(())
}

/// An open case: its kind, id, owner and when it was received.
type OpenCase = (CaseKind, i64, i64, NaiveDateTime);

/// The open complaints and claims with an owner, newest first.
fn open_cases(tx: Db<'_>) -> Result<Vec<OpenCase>> {
    let complaints: Vec<OpenCase> = tx.query_map(
        "SELECT id, received_by, received_at FROM complaints
         WHERE status IN ('受理', '处理中', '等待客户') AND received_by IS NOT NULL
         ORDER BY received_at DESC, id DESC",
        db_params![],
        |r| Ok((CaseKind::Complaint, r.get(0)?, r.get(1)?, r.get(2)?)),
    )?;
    let claims: Vec<OpenCase> = tx.query_map(
        "SELECT id, created_by, reported_at FROM claims
         WHERE status IN ('报案', '调查中', '已定责', '已协商') AND created_by IS NOT NULL
         ORDER BY reported_at DESC, id DESC",
        db_params![],
        |r| Ok((CaseKind::Claim, r.get(0)?, r.get(1)?, r.get(2)?)),
    )?;
    Ok(complaints.into_iter().chain(claims).collect())
}

/// One transfer of the demo: handed over to a colleague or a department with the reason, how
/// long before now, who accepted it, the answer and whether the owner confirmed it back.
struct DemoTransfer {
    kind: CaseKind,
    to_staff: Option<i64>,
    department: &'static str,
    reason: &'static str,
    hours_ago: i64,
    accepted_by: Option<i64>,
    answer: Option<&'static str>,
    confirmed: bool,
}

/// Four case transfers, one at each stage: confirmed back (a claim to 财务), answered and waiting
/// for the owner's confirmation (a claim to the fleet's dispatcher), accepted and waiting for the
/// answer (a complaint to 仓库), and sent two hours ago, not accepted yet (a complaint to the
/// salesperson). Each on an open case received before it was sent (of the other kind when there
/// is none of the kind wanted).
fn fill_transfers(tx: Db<'_>, now: NaiveDateTime, staff_ids: &[(i64, Role)]) -> Result<()> {
    let of_role = |role| {
        staff_ids
            .iter()
            .find(|(_, r)| *r == role)
            .map(|(id, _)| *id)
    };
    let (sales, dispatcher, warehouse) = (
        of_role(Role::Salesperson),
        of_role(Role::Operator),
        of_role(Role::Warehouse),
    );
    let steps = [
        DemoTransfer {
            kind: CaseKind::Claim,
            to_staff: None,
            department: "财务",
            reason: "客户催问赔款,请财务核对赔付金额与付款日期",
            hours_ago: 5 * 24,
            accepted_by: None,
            answer: Some("财务已核对,赔款于本周五转账支付"),
            confirmed: true,
        },
        DemoTransfer {
            kind: CaseKind::Claim,
            to_staff: dispatcher,
            department: "",
            reason: "请车队核实破损发生在哪个运输环节",
            hours_ago: 3 * 24,
            accepted_by: dispatcher,
            answer: Some("司机确认装车时外包装已有破损,责任在始发站"),
            confirmed: false,
        },
        DemoTransfer {
            kind: CaseKind::Complaint,
            to_staff: None,
            department: "仓库",
            reason: "客户反映少收两件,请仓库查找",
            hours_ago: 26,
            accepted_by: warehouse,
            answer: None,
            confirmed: false,
        },
        DemoTransfer {
            kind: CaseKind::Complaint,
            to_staff: sales,
            department: "",
            reason: "客户为大客户,对新运价有异议,请业务员跟进",
            hours_ago: 2,
            accepted_by: None,
            answer: None,
            confirmed: false,
        },
    ];
    let cases = open_cases(tx)?;
    let mut used = Vec::new();
    let h = Duration::hours;
    for step in steps {
        let sent = now - h(step.hours_ago);
        let fits = |&&(kind, id, owner, at): &&OpenCase| {
            at < sent && step.to_staff != Some(owner) && !used.contains(&(kind, id))
        };
        // A case of the kind wanted, or else of the other kind.
        let Some(&(kind, id, owner, _)) = cases
            .iter()
            .filter(fits)
            .find(|c| c.0 == step.kind)
            .or_else(|| cases.iter().find(fits))
        else {
            continue;
        };
        used.push((kind, id));
        let t = transfers::send(
            tx,
            kind,
            id,
            Some(owner),
            step.to_staff,
            step.department,
            step.reason,
            sent,
        )?;
        if step.answer.is_none() && step.accepted_by.is_none() {
            continue;
        }
        transfers::accept(tx, t, step.accepted_by.or(Some(owner)), sent + h(1))?;
        if let Some(answer) = step.answer {
            transfers::answer(tx, t, answer, sent + h(22))?;
            if step.confirmed {
                transfers::confirm(tx, t, sent + h(25))?;
            }
        }
    }
    Ok(())
}

/// A demo waybill change request: hours ago, waybill, new consignee, new phone, department, the
/// department's answer (changed, words) if any, and whether the customer was told.
type DemoChange<'a> = (
    i64,
    &'a str,
    &'a str,
    &'a str,
    &'a str,
    Option<(bool, &'a str)>,
    bool,
);

/// Waybill change requests at each stage, recorded at the front desk from recent calls: one
/// changed and told back, one refused and still to be told, one waiting (late) for the
/// department's answer, and one just passed on.
fn fill_waybill_changes(tx: Db<'_>, now: NaiveDateTime, desk: &[(i64, &str)]) -> Result<()> {
    use crate::domain::waybill::ChangeDraft;
    use crate::store::waybill_changes;
    let Some(&(rep, _)) = desk.first() else {
        return Ok(());
    };
    let h = Duration::hours;
    let requests: [DemoChange<'_>; 4] = [
        (
            30,
            "SD202611010032",
            "",
            "13911112222",
            "业务",
            Some((true, "已在系统中更改收货电话")),
            true,
        ),
        (
            6,
            "SD202611050118",
            "陈静",
            "",
            "运输/车队",
            Some((false, "货物已派送签收,无法更改")),
            false,
        ),
        (
            3,
            "SD202611070204",
            "刘洋",
            "13822223333",
            "业务",
            None,
            false,
        ),
        (
            1,
            "SD202611080311",
            "",
            "13633334444",
            "分公司",
            None,
            false,
        ),
    ];
    for (ago, waybill, consignee, phone, department, answer, told) in requests {
        let at = now - h(ago);
        // The call it was asked on: the latest one before then.
        let call: Option<(i64, Option<i64>, String, String)> = tx.query_opt(
            "SELECT id, customer_id, caller_name, phone FROM calls WHERE at < ?1
             ORDER BY at DESC, id DESC LIMIT 1",
            db_params![at],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )?;
        let (call_id, customer_id, requester, requester_phone) = match call {
            Some((id, customer, name, phone)) if !name.is_empty() => {
                (Some(id), customer, name, phone)
            }
            _ => (None, None, "王先生".to_owned(), "13812345678".to_owned()),
        };
        let draft = ChangeDraft {
            waybill_no: waybill.into(),
            customer_id,
            call_id,
            requester,
            requester_phone,
            identity_checked: true,
            new_consignee: consignee.into(),
            new_phone: phone.into(),
            department: department.into(),
            ..ChangeDraft::default()
        };
        let id = waybill_changes::record(tx, &draft, at, Some(rep))?;
        if let Some((changed, words)) = answer {
            waybill_changes::answer(tx, id, "刘调度", changed, words, at + h(1))?;
            if told {
                waybill_changes::confirm(tx, id, Some(rep), "回电告知客户", at + h(2))?;
            }
        }
    }
    Ok(())
}

/// Spot checks last month with failures of their own, so that it always has most failed items;
/// then the measures agreed for its three most failed items (owned by the front desk, due in
/// the middle of this month), the first reviewed by how its failures went this month.
fn fill_quality_measures(
    tx: Db<'_>,
    now: NaiveDateTime,
    desk: &[(i64, &str)],
    supervisor: i64,
) -> Result<()> {
    use crate::domain::quality::MeasureDraft;
    use crate::report::claims::month_bounds;
    use crate::report::inspections::{build, top_failing};
    let first_of_month = now.date().with_day(1).unwrap_or(now.date());
    let last_month = (first_of_month - Duration::days(1))
        .with_day(1)
        .unwrap_or(first_of_month);
    let template = &inspections::templates(tx)?[0];
    // 问候时效 twice, 私人电话 and 仪容仪表 once.
    for (days, hour, failing, checked) in [(9, 10, [3, 5], 1), (19, 15, [3, 0], 2)] {
        let results = (0..template.items.len())
            .map(|i| {
                if failing.contains(&i) {
                    ItemResult::Fail
                } else {
                    ItemResult::Pass
                }
            })
            .collect();
        let at = (last_month + Duration::days(days))
            .and_hms_opt(hour, 0, 0)
            .unwrap_or(now);
        let Some(&checked) = desk.get(checked % desk.len().max(1)) else {
            return Ok(());
        };
        one_inspection(tx, at, checked, template, results, true)?;
    }
    let (from, to) = month_bounds(last_month);
    let before = build(&inspections::between(tx, from, to)?);
    let (from, _) = month_bounds(first_of_month);
    let after = build(&inspections::between(tx, from, now + Duration::seconds(1))?);
    let causes = [
        (
            "高峰时段人手不足,客户到达后未能及时起身问候",
            "高峰时段增派一名客服代表;主管每日抽看两次问候计时",
        ),
        (
            "新员工对服务规范不熟悉,班前检查流于形式",
            "组织服务规范专项培训,班前检查由主管签字确认",
        ),
        (
            "个别员工工作时间处理私事",
            "工作时间手机统一存放,私人电话限 3 分钟并登记",
        ),
    ];
    let month = last_month.format("%Y-%m").to_string();
    // Agreed on the second of this month (or now, if that is earlier).
    let agreed = (first_of_month.and_hms_opt(10, 0, 0).unwrap_or(now) + Duration::days(1)).min(now);
    for (n, (row, (cause, measure))) in top_failing(&before, 3).into_iter().zip(causes).enumerate()
    {
        let (owner_staff, owner) = desk[n % desk.len()];
        let draft = MeasureDraft {
            month: month.clone(),
            item: row.item.clone(),
            cause: cause.into(),
            measure: measure.into(),
            owner: owner.into(),
            owner_staff_id: Some(owner_staff),
            due: first_of_month + Duration::days(14),
        };
        let id = crate::store::quality_measures::save(tx, &draft, Some(supervisor), agreed)?;
        if n == 0 {
            let failures_after = crate::report::quality::failures_of(&after, &row.item);
            let effective = failures_after < row.failed;
            let note = if effective {
                "本月该项不合格次数下降,措施有效"
            } else {
                "本月该项仍有不合格,需继续跟进"
            };
            crate::store::quality_measures::review(tx, id, effective, note, now)?;
        }
    }
    Ok(())
}
