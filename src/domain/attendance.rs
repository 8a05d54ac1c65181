//! 按时出勤, 做好签到 and 每日工作报表: the attendance rules (late arrivals, missing sign-outs,
//! the month per staff member) and the daily work report's figures and submission rules.
//!
//! A staff member signs in once per day (the first pick at the desk's on-duty picker) and
//! signs out once. They are late when they sign in a whole minute or more after the shift
//! start (09:00:59 still counts as on time for a 09:00 start). A sign-out is missing for a day
//! before today that has none; today's is not missing yet.
//!
//! An absence is a working day of the month without a sign-in. The working days are the weekdays
//! of the business calendar in the settings (设置 → the complaint clocks' 工作日, Monday to Friday
//! unless set), used whether or not those clocks count only working time; there is no list of
//! public holidays, so a holiday on a weekday counts as an absence. Like a missing sign-out, a day
//! is an absence only once it is over: today is not one yet.

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};

use super::DomainError;
use super::calendar::BusinessCalendar;
use super::inspection::RewardPenalty;
use super::validation::{NOTES_MAX, multi_line};

/// The shift start unless set otherwise: 09:00.
pub fn default_shift_start() -> NaiveTime {
    NaiveTime::from_hms_opt(9, 0, 0).unwrap_or_default()
}

/// One staff member's sign-in and sign-out on one day.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AttendanceDay {
    /// Its id (what a reward or penalty given for the day links to).
    pub id: i64,
    /// The staff member.
    pub staff_id: i64,
    /// The day.
    pub day: NaiveDate,
    /// When they signed in.
    pub signed_in_at: NaiveDateTime,
    /// When they signed out, if they did.
    pub signed_out_at: Option<NaiveDateTime>,
    /// The desk they signed in at.
    pub desk: Option<String>,
}

impl AttendanceDay {
    /// Whole minutes after the shift start they signed in (0 when on time).
    pub fn late_minutes(&self, shift_start: NaiveTime) -> i64 {
        late_minutes(self.signed_in_at, shift_start)
    }

    /// Whether the day is over (before `today`) without a sign-out.
    pub fn missing_sign_out(&self, today: NaiveDate) -> bool {
        self.signed_out_at.is_none() && self.day < today
    }

    /// Checks a sign-out at `now`: once, and not before the sign-in.
    pub fn check_sign_out(&self, now: NaiveDateTime) -> Result<(), DomainError> {
        if self.signed_out_at.is_some() {
            return Err(DomainError::WrongState("att.already_signed_out"));
        }
        if now < self.signed_in_at {
            return Err(DomainError::WrongState("att.sign_out_before_in"));
        }
        Ok(())
    }
}

/// Whole minutes between the shift start of the sign-in's day and the sign-in (0 when on time).
pub fn late_minutes(signed_in_at: NaiveDateTime, shift_start: NaiveTime) -> i64 {
    let start = signed_in_at.date().and_time(shift_start);
    ((signed_in_at - start).num_seconds() / 60).max(0)
}

/// One staff member's attendance over a period (a month): the monthly attendance table's row.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AttendanceSummary {
    /// The staff member.
    pub staff_id: i64,
    /// Days signed in.
    pub days_present: i64,
    /// Days signed in late.
    pub late_count: i64,
    /// Minutes late on those days, together.
    pub late_minutes: i64,
    /// Days before today without a sign-out.
    pub missing_sign_outs: i64,
    /// Working days before today without a sign-in (see [`count_absences`]).
    pub absences: i64,
    /// Each day, oldest first.
    pub days: Vec<AttendanceDay>,
    /// The rewards and penalties given for days of the month (see [`attach_rewards`]).
    pub rewards: Vec<RewardPenalty>,
}

impl AttendanceSummary {
    /// The rewards and penalties given for the day `attendance_id`.
    pub fn rewards_of_day(&self, attendance_id: i64) -> impl Iterator<Item = &RewardPenalty> {
        self.rewards
            .iter()
            .filter(move |r| r.attendance_id == Some(attendance_id))
    }

    /// The day of the month's latest late arrival, the one a penalty for the month's late
    /// arrivals links to.
    pub fn last_late_day(&self, shift_start: NaiveTime) -> Option<&AttendanceDay> {
        self.days
            .iter()
            .rev()
            .find(|d| d.late_minutes(shift_start) > 0)
    }
}

/// The days off and extra working days of the year, as set (法定节假日 and 调休上班日): a public
/// holiday on a weekday is no working day, a make-up Saturday is one.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DaysOff {
    /// Public holidays (no working day, whatever the weekday).
    pub holidays: Vec<NaiveDate>,
    /// Make-up working days (a working day, whatever the weekday).
    pub makeup_workdays: Vec<NaiveDate>,
}

impl DaysOff {
    /// Whether `day` is a working day: by the weekdays of `calendar`, unless it is a holiday or
    /// a make-up working day.
    pub fn is_workday(&self, calendar: &BusinessCalendar, day: NaiveDate) -> bool {
        if self.makeup_workdays.contains(&day) {
            return true;
        }
        calendar.is_workday(day) && !self.holidays.contains(&day)
    }
}

/// Parses a list of days typed one per line (`2026-10-01`; blank lines ignored), sorted and
/// without repeats; a line that is not a day is refused with its text.
pub fn parse_days(text: &str) -> Result<Vec<NaiveDate>, String> {
    let mut days = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|l| NaiveDate::parse_from_str(l, "%Y-%m-%d").map_err(|_| l.to_owned()))
        .collect::<Result<Vec<_>, _>>()?;
    days.sort_unstable();
    days.dedup();
    Ok(days)
}

/// Days one per line, as [`parse_days`] reads them.
pub fn format_days(days: &[NaiveDate]) -> String {
    days.iter()
        .map(|d| d.format("%Y-%m-%d").to_string())
        .collect::<Vec<_>>()
        .join("\n")
}

/// The working days of `[from, to)` that are over by `today` (before it), by the weekdays of
/// `calendar` and the holidays and make-up working days of `off`, oldest first.
pub fn workdays_over(
    from: NaiveDate,
    to: NaiveDate,
    today: NaiveDate,
    calendar: &BusinessCalendar,
    off: &DaysOff,
) -> Vec<NaiveDate> {
    from.iter_days()
        .take_while(|d| *d < to.min(today))
        .filter(|d| off.is_workday(calendar, *d))
        .collect()
}

/// Counts each row's absences: the `workdays` (see [`workdays_over`]) without a sign-in. Each of
/// `staff` (the active staff) without a row gets one with no day present, every working day
/// absent, after the others in the order given.
pub fn count_absences(rows: &mut Vec<AttendanceSummary>, staff: &[i64], workdays: &[NaiveDate]) {
    for &id in staff {
        if !rows.iter().any(|r| r.staff_id == id) {
            rows.push(AttendanceSummary {
                staff_id: id,
                ..AttendanceSummary::default()
            });
        }
    }
    for r in rows.iter_mut() {
        let absent = workdays
            .iter()
            .filter(|w| !r.days.iter().any(|d| d.day == **w))
            .count();
        r.absences = i64::try_from(absent).unwrap_or(i64::MAX);
    }
}

/// Puts each reward or penalty given for a day's attendance on the row of its staff member
/// (the rows of [`summarize`]); one for a day outside the rows is left out.
pub fn attach_rewards(rows: &mut [AttendanceSummary], rewards: Vec<RewardPenalty>) {
    for r in rewards {
        if let Some(row) = rows.iter_mut().find(|row| {
            row.staff_id == r.staff_id && row.days.iter().any(|d| Some(d.id) == r.attendance_id)
        }) {
            row.rewards.push(r);
        }
    }
}

/// The rows of the monthly attendance table: one per staff member in `days` (in the order they
/// first appear), each day late against `shift_start`, sign-outs missing before `today`.
pub fn summarize(
    days: &[AttendanceDay],
    shift_start: NaiveTime,
    today: NaiveDate,
) -> Vec<AttendanceSummary> {
    let mut rows: Vec<AttendanceSummary> = Vec::new();
    for d in days {
        let index = match rows.iter().position(|r| r.staff_id == d.staff_id) {
            Some(i) => i,
            None => {
                rows.push(AttendanceSummary {
                    staff_id: d.staff_id,
                    ..AttendanceSummary::default()
                });
                rows.len() - 1
            }
        };
        let row = &mut rows[index];
        row.days_present += 1;
        let late = d.late_minutes(shift_start);
        if late > 0 {
            row.late_count += 1;
            row.late_minutes += late;
        }
        if d.missing_sign_out(today) {
            row.missing_sign_outs += 1;
        }
        row.days.push(d.clone());
    }
    for r in &mut rows {
        r.days.sort_by_key(|d| d.day);
    }
    rows
}

/// A staff member's work of one day as counted from the records (每日工作报表's figures).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DayFigures {
    /// Visitors they greeted.
    pub visits_greeted: i64,
    /// Of those, greeted within the greeting limit.
    pub greeted_on_time: i64,
    /// Calls they answered.
    pub calls_answered: i64,
    /// Of those, answered within 2 rings.
    pub calls_on_time: i64,
    /// Complaints they received.
    pub complaints_taken: i64,
    /// Complaints they closed.
    pub complaints_closed: i64,
    /// Callbacks they made.
    pub callbacks_done: i64,
    /// Claims they worked on (claims with an event of theirs that day).
    pub claims_worked: i64,
}

/// A submitted daily work report.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DailyReport {
    /// Its id.
    pub id: i64,
    /// The staff member.
    pub staff_id: i64,
    /// The day.
    pub day: NaiveDate,
    /// The figures as generated when it was (last) submitted.
    pub figures: DayFigures,
    /// The staff member's remarks.
    pub remarks: String,
    /// When it was (last) submitted.
    pub submitted_at: NaiveDateTime,
    /// When a supervisor read it.
    pub read_at: Option<NaiveDateTime>,
    /// That supervisor's account.
    pub read_by_id: Option<i64>,
    /// That supervisor's name.
    pub read_by: String,
}

impl DailyReport {
    /// Checks a new submission of the same day: it replaces the figures and remarks until a
    /// supervisor has read the report; after that the report stays as read.
    pub fn check_resubmit(&self) -> Result<(), DomainError> {
        if self.read_at.is_some() {
            return Err(DomainError::WrongState("daily.already_read"));
        }
        Ok(())
    }

    /// Checks marking it read: once.
    pub fn check_read(&self) -> Result<(), DomainError> {
        if self.read_at.is_some() {
            return Err(DomainError::WrongState("daily.already_read"));
        }
        Ok(())
    }
}

/// The remarks as saved: multi-line, at most [`NOTES_MAX`] characters, trimmed.
pub fn remarks(text: &str) -> Result<String, DomainError> {
    multi_line("daily.remarks", text, NOTES_MAX)
}

/// A share in percent, none of nothing.
pub fn share(part: i64, whole: i64) -> Option<f64> {
    super::visit::percent(part, whole)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "test code: a panic is a failed test")]

    use super::*;

    fn at(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S").unwrap()
    }

    fn day(staff_id: i64, signed_in: &str, signed_out: Option<&str>) -> AttendanceDay {
        let signed_in_at = at(signed_in);
        AttendanceDay {
            id: 0,
            staff_id,
            day: signed_in_at.date(),
            signed_in_at,
            signed_out_at: signed_out.map(at),
            desk: None,
        }
    }

    #[test]
    fn late_by_whole_minutes_after_the_shift_start() {
        let start = default_shift_start();
        assert_eq!(late_minutes(at("2026-11-23 08:55:00"), start), 0);
        assert_eq!(late_minutes(at("2026-11-23 09:00:00"), start), 0);
        assert_eq!(late_minutes(at("2026-11-23 09:00:59"), start), 0);
        assert_eq!(late_minutes(at("2026-11-23 09:01:00"), start), 1);
        assert_eq!(late_minutes(at("2026-11-23 09:17:30"), start), 17);
        let half_past = NaiveTime::from_hms_opt(8, 30, 0).unwrap();
        assert_eq!(late_minutes(at("2026-11-23 09:17:30"), half_past), 47);
    }

    #[test]
    fn a_sign_out_is_missing_only_once_the_day_is_over() {
        let d = day(1, "2026-11-23 09:00:00", None);
        let today = d.day;
        assert!(!d.missing_sign_out(today));
        assert!(d.missing_sign_out(today.succ_opt().unwrap()));
        let out = day(1, "2026-11-23 09:00:00", Some("2026-11-23 18:00:00"));
        assert!(!out.missing_sign_out(today.succ_opt().unwrap()));
    }

    #[test]
    fn sign_out_once_and_not_before_the_sign_in() {
        let d = day(1, "2026-11-23 09:00:00", None);
        assert!(d.check_sign_out(at("2026-11-23 18:00:00")).is_ok());
        assert_eq!(
            d.check_sign_out(at("2026-11-23 08:00:00")),
            Err(DomainError::WrongState("att.sign_out_before_in"))
        );
        let out = day(1, "2026-11-23 09:00:00", Some("2026-11-23 18:00:00"));
        assert_eq!(
            out.check_sign_out(at("2026-11-23 18:30:00")),
            Err(DomainError::WrongState("att.already_signed_out"))
        );
    }

    #[test]
    fn a_month_per_staff_member() {
        let days = [
            day(2, "2026-11-02 09:10:00", Some("2026-11-02 18:00:00")),
            day(1, "2026-11-02 08:50:00", None),
            day(1, "2026-11-03 09:05:00", Some("2026-11-03 18:00:00")),
            day(1, "2026-11-04 09:00:00", None),
        ];
        let today = NaiveDate::from_ymd_opt(2026, 11, 4).unwrap();
        let rows = summarize(&days, default_shift_start(), today);
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].staff_id, 2);
        assert_eq!(
            (
                rows[0].days_present,
                rows[0].late_count,
                rows[0].late_minutes
            ),
            (1, 1, 10)
        );
        let li = &rows[1];
        assert_eq!(
            (
                li.days_present,
                li.late_count,
                li.late_minutes,
                li.missing_sign_outs
            ),
            (3, 1, 5, 1)
        );
        assert_eq!(li.days.len(), 3);
    }

    #[test]
    fn public_holidays_and_make_up_days_move_the_working_days() {
        // 国庆 2026: Thursday 1 to Wednesday 7 October off, Saturday the 10th worked.
        let date = |m, d| NaiveDate::from_ymd_opt(2026, m, d).unwrap();
        let off = DaysOff {
            holidays: parse_days(
                "2026-10-01\n2026-10-02\n 2026-10-05 \n\n2026-10-06\n2026-10-07\n2026-10-03",
            )
            .unwrap(),
            makeup_workdays: parse_days("2026-10-10").unwrap(),
        };
        assert_eq!(off.holidays.len(), 6, "sorted, blank lines left out");
        let office = BusinessCalendar::default();
        assert!(
            !off.is_workday(&office, date(10, 1)),
            "a holiday on a Thursday"
        );
        assert!(off.is_workday(&office, date(10, 10)), "a make-up Saturday");
        assert!(!off.is_workday(&office, date(10, 11)), "an ordinary Sunday");
        // October 2026 has 22 weekdays; 5 of them are holidays, and one Saturday is worked.
        let days = workdays_over(date(10, 1), date(11, 1), date(11, 2), &office, &off);
        assert_eq!(days.len(), 18);
        assert_eq!(days.first(), Some(&date(10, 8)));
        assert_eq!(
            parse_days("2026-10-01\n十月一日"),
            Err("十月一日".to_owned())
        );
        assert_eq!(
            parse_days(&format_days(&off.holidays)).unwrap(),
            off.holidays,
            "read back as written"
        );
    }

    #[test]
    fn absences_are_the_working_days_over_without_a_sign_in() {
        let date = |d| NaiveDate::from_ymd_opt(2026, 11, d).unwrap();
        let (from, to) = (date(1), NaiveDate::from_ymd_opt(2026, 12, 1).unwrap());
        // Monday 2026-11-23: the working days before it are the 2nd–6th, 9th–13th, 16th–20th.
        let today = date(23);
        let office = BusinessCalendar::default();
        let none = DaysOff::default();
        let workdays = workdays_over(from, to, today, &office, &none);
        assert_eq!(workdays.len(), 15);
        assert_eq!(workdays.first(), Some(&date(2)));
        assert_eq!(
            workdays.last(),
            Some(&date(20)),
            "not today, not the weekend"
        );
        // Saturdays too when the settings say so; a month over counts all its working days; a
        // month to come none.
        let six_days = BusinessCalendar {
            workdays: [true, true, true, true, true, true, false],
            ..office
        };
        assert_eq!(workdays_over(from, to, today, &six_days, &none).len(), 18);
        assert_eq!(
            workdays_over(from, to, date(30) + chrono::Days::new(5), &office, &none).len(),
            21
        );
        assert!(
            workdays_over(to, date(1) + chrono::Months::new(2), today, &office, &none).is_empty()
        );

        let days = [
            day(2, "2026-11-20 09:10:00", Some("2026-11-20 18:00:00")),
            day(2, "2026-11-21 09:00:00", Some("2026-11-21 12:00:00")),
            day(1, "2026-11-02 08:50:00", Some("2026-11-02 18:00:00")),
            day(1, "2026-11-23 08:50:00", None),
        ];
        let mut rows = summarize(&days, default_shift_start(), today);
        count_absences(&mut rows, &[1, 2, 3], &workdays);
        let absences: Vec<(i64, i64, i64)> = rows
            .iter()
            .map(|r| (r.staff_id, r.days_present, r.absences))
            .collect();
        // 2: the 20th (a Saturday sign-in is no working day's); 1: the 2nd (today is not over);
        // 3: never signed in, a row of their own.
        assert_eq!(absences, [(2, 2, 14), (1, 2, 14), (3, 0, 15)]);
    }

    #[test]
    fn a_report_read_stays_as_read() {
        let mut r = DailyReport {
            id: 1,
            staff_id: 1,
            day: NaiveDate::from_ymd_opt(2026, 11, 23).unwrap(),
            figures: DayFigures::default(),
            remarks: String::new(),
            submitted_at: at("2026-11-23 17:00:00"),
            read_at: None,
            read_by_id: None,
            read_by: String::new(),
        };
        assert!(r.check_resubmit().is_ok());
        assert!(r.check_read().is_ok());
        r.read_at = Some(at("2026-11-23 18:00:00"));
        assert!(r.check_resubmit().is_err());
        assert!(r.check_read().is_err());
        assert!(remarks("  今日正常  ").unwrap() == "今日正常");
    }
}
