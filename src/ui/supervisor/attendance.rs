//! The attendance tab (考勤: the month per staff member, each day on a click, 记奖罚 for a late
//! one) and the daily reports tab (日报: who submitted the chosen day's report and who did not,
//! each to open and mark read). Both exportable.

use chrono::{Duration, NaiveDate};
use egui::{RichText, Ui};

use super::*;
use crate::app::{Command, ExportFormat, FileFor, SupervisorCommand, ViewCtx};
use crate::domain::DISPLAY_FORMAT;
use crate::domain::attendance::{AttendanceDay, AttendanceSummary, DailyReport};
use crate::domain::inspection::RewardPenalty;
use crate::domain::money::format_fen;
use crate::i18n::{t, tf};
use crate::ui::{theme, widgets};

/// What the two tabs show and their view state.
#[derive(Clone, Debug, Default)]
pub(super) struct StaffDays {
    month: String,
    month_loaded: Option<String>,
    rows: Vec<AttendanceSummary>,
    expanded: Option<i64>,
    day: String,
    day_loaded: Option<String>,
    reports: Vec<DailyReport>,
    open: Option<i64>,
}

impl StaffDays {
    /// Forgets what was read.
    pub(super) fn invalidate(&mut self) {
        self.month_loaded = None;
        self.day_loaded = None;
    }
}

/// What was given for days of attendance: `已处罚 ¥50.00`, `已奖励 ¥20.00`, both, or nothing.
fn given_text<'a>(given: impl Iterator<Item = &'a RewardPenalty>) -> Option<RichText> {
    let (mut rewards, mut penalties) = (0, 0);
    for g in given {
        if g.reward {
            rewards += g.amount_fen;
        } else {
            penalties += g.amount_fen;
        }
    }
    let mut parts = Vec::new();
    if penalties > 0 {
        parts.push(tf("att.penalised", &[("amount", &format_fen(penalties))]));
    }
    if rewards > 0 {
        parts.push(tf("att.rewarded", &[("amount", &format_fen(rewards))]));
    }
    (!parts.is_empty()).then(|| {
        let text = RichText::new(parts.join(" "));
        if penalties > 0 {
            text.color(theme::OVERDUE)
        } else {
            text.color(theme::OK)
        }
    })
}

/// The days of one staff member's month, each with what was given for it; 记处罚 on a late day
/// without a penalty asks for one.
fn days_grid_ui(
    ui: &mut Ui,
    cx: &ViewCtx<'_>,
    r: &AttendanceSummary,
) -> Option<(AttendanceDay, String)> {
    let mut penalise = None;
    ui.separator();
    ui.label(RichText::new(cx.staff_name(Some(r.staff_id))).strong());
    egui::Grid::new("attendance_days")
        .striped(true)
        .num_columns(6)
        .spacing([12.0, 4.0])
        .show(ui, |ui| {
            for key in [
                "att.col_day",
                "att.col_in",
                "att.col_out",
                "att.col_late_minutes",
                "att.col_desk",
                "att.col_rewards",
            ] {
                ui.label(RichText::new(t(key)).strong());
            }
            ui.end_row();
            for d in &r.days {
                ui.label(d.day.format("%Y-%m-%d").to_string());
                ui.label(d.signed_in_at.format("%H:%M:%S").to_string());
                match d.signed_out_at {
                    Some(out) => ui.label(out.format("%H:%M:%S").to_string()),
                    None if d.missing_sign_out(cx.now.date()) => {
                        ui.label(RichText::new(t("att.missing_out")).color(theme::OVERDUE))
                    }
                    None => ui.label("—"),
                };
                let late = d.late_minutes(cx.settings.shift_start);
                ui.label(if late > 0 {
                    late.to_string()
                } else {
                    "—".into()
                });
                ui.label(d.desk.clone().unwrap_or_default());
                let given = r.rewards_of_day(d.id);
                let penalised = r.rewards_of_day(d.id).any(|g| !g.reward);
                ui.horizontal(|ui| {
                    if let Some(text) = given_text(given) {
                        ui.label(text);
                    }
                    if late > 0 && !penalised {
                        ui.push_id(("penalise", d.id), |ui| {
                            if ui.button(t("att.penalise_day")).clicked() {
                                let reason = tf(
                                    "att.day_penalty_reason",
                                    &[
                                        ("day", &d.day.format("%Y-%m-%d").to_string()),
                                        ("minutes", &late.to_string()),
                                    ],
                                );
                                penalise = Some((d.clone(), reason));
                            }
                        });
                    }
                });
                ui.end_row();
            }
        });
    penalise
}

/// The export buttons (CSV, XLSX, PDF) for `file` in each format.
fn export_buttons_ui(
    ui: &mut Ui,
    keys: [&str; 3],
    file: impl Fn(ExportFormat) -> FileFor,
    commands: &mut Vec<Command>,
) {
    ui.horizontal_wrapped(|ui| {
        for (key, format) in
            keys.into_iter()
                .zip([ExportFormat::Csv, ExportFormat::Xlsx, ExportFormat::Pdf])
        {
            if ui.button(t(key)).clicked() {
                commands.push(Command::PickFile(file(format)));
            }
        }
    });
}

impl SupervisorView {
    /// The month the attendance tab is to show (this month at first), when not read yet.
    pub fn attendance_to_load(&mut self, today: NaiveDate) -> Option<String> {
        let s = &mut self.staff_days;
        if s.month.is_empty() {
            s.month = today.format("%Y-%m").to_string();
        }
        if self.tab != Tab::Attendance || s.month_loaded.as_deref() == Some(s.month.as_str()) {
            return None;
        }
        if crate::report::claims::parse_month(&s.month).is_none() {
            self.error = Some(tf("report.bad_month", &[("value", &s.month)]));
            s.month_loaded = Some(s.month.clone());
            s.rows.clear();
            return None;
        }
        Some(s.month.clone())
    }

    /// Shows the month's attendance read for `month`, unless the tab asks for another by now.
    pub fn set_attendance(&mut self, month: String, rows: Vec<AttendanceSummary>) {
        let s = &mut self.staff_days;
        if s.month == month {
            s.rows = rows;
            s.month_loaded = Some(month);
            self.error = None;
        }
    }

    /// The day the daily reports tab is to show (today at first), when not read yet.
    pub fn daily_reports_to_load(&mut self, today: NaiveDate) -> Option<NaiveDate> {
        let s = &mut self.staff_days;
        if s.day.is_empty() {
            s.day = today.format("%Y-%m-%d").to_string();
        }
        if self.tab != Tab::DailyReports || s.day_loaded.as_deref() == Some(s.day.as_str()) {
            return None;
        }
        let Ok(day) = NaiveDate::parse_from_str(s.day.trim(), "%Y-%m-%d") else {
            self.error = Some(tf("history.bad_date", &[("value", s.day.trim())]));
            s.day_loaded = Some(s.day.clone());
            s.reports.clear();
            return None;
        };
        Some(day)
    }

    /// Shows the reports read for `day`, unless the tab asks for another day by now.
    pub fn set_daily_reports(&mut self, day: NaiveDate, reports: Vec<DailyReport>) {
        let s = &mut self.staff_days;
        let shown = day.format("%Y-%m-%d").to_string();
        if s.day.trim() == shown {
            s.reports = reports;
            s.day_loaded = Some(s.day.clone());
            self.error = None;
        }
    }

    pub(super) fn attendance_ui(&mut self, ui: &mut Ui, cx: &ViewCtx<'_>) -> Vec<Command> {
        let mut commands = Vec::new();
        ui.heading(t("att.title"));
        ui.horizontal(|ui| {
            widgets::labelled_text(ui, t("report.month"), &mut self.staff_days.month, 80.0);
            ui.label(
                RichText::new(tf(
                    "att.shift_start_is",
                    &[("time", &cx.settings.shift_start.format("%H:%M").to_string())],
                ))
                .color(theme::MUTED),
            );
        });
        let month = self.staff_days.month.clone();
        export_buttons_ui(
            ui,
            ["att.export_csv", "att.export_xlsx", "att.export_pdf"],
            |format| FileFor::ExportAttendance {
                month: month.clone(),
                format,
            },
            &mut commands,
        );
        let rows = &self.staff_days.rows;
        if rows.iter().all(|r| r.days_present == 0) {
            ui.label(RichText::new(t("att.none")).color(theme::MUTED));
        }
        if rows.is_empty() {
            return commands;
        }
        ui.label(RichText::new(t("att.absences_are")).color(theme::MUTED));
        let absent: Vec<String> = rows
            .iter()
            .filter(|r| r.days_present == 0)
            .map(|r| cx.staff_name(Some(r.staff_id)))
            .collect();
        if !absent.is_empty() {
            ui.label(
                RichText::new(tf("att.never_signed_in", &[("names", &absent.join("、"))]))
                    .color(theme::WARN),
            );
        }
        let mut penalise = self.month_grid_ui(ui, cx, &month);
        if let Some(r) = self
            .staff_days
            .expanded
            .and_then(|id| self.staff_days.rows.iter().find(|r| r.staff_id == id))
        {
            penalise = penalise.or(days_grid_ui(ui, cx, r));
        }
        if let Some((day, reason)) = penalise {
            self.penalise(day, reason, cx);
        }
        commands
    }

    /// The month's table, one row per staff member (a click shows their days); 记奖罚 on a row
    /// with late arrivals asks for a penalty for them.
    fn month_grid_ui(
        &mut self,
        ui: &mut Ui,
        cx: &ViewCtx<'_>,
        month: &str,
    ) -> Option<(AttendanceDay, String)> {
        let mut penalise = None;
        egui::Grid::new("attendance_month")
            .striped(true)
            .num_columns(8)
            .spacing([12.0, 4.0])
            .show(ui, |ui| {
                for key in [
                    "att.col_staff",
                    "att.col_days",
                    "att.col_late",
                    "att.col_late_minutes",
                    "att.col_missing_out",
                    "att.col_absences",
                    "att.col_rewards",
                    "att.col_actions",
                ] {
                    ui.label(RichText::new(t(key)).strong());
                }
                ui.end_row();
                for r in &self.staff_days.rows {
                    ui.push_id(r.staff_id, |ui| {
                        let open = self.staff_days.expanded == Some(r.staff_id);
                        let name = format!(
                            "{} {}",
                            if open { "▼" } else { "▶" },
                            cx.staff_name(Some(r.staff_id))
                        );
                        if ui.selectable_label(open, name).clicked() {
                            self.staff_days.expanded = (!open).then_some(r.staff_id);
                        }
                    });
                    ui.label(r.days_present.to_string());
                    let late = RichText::new(r.late_count.to_string());
                    ui.label(if r.late_count > 0 {
                        late.color(theme::OVERDUE)
                    } else {
                        late
                    });
                    ui.label(r.late_minutes.to_string());
                    ui.label(r.missing_sign_outs.to_string());
                    let absences = RichText::new(r.absences.to_string());
                    ui.label(if r.absences > 0 {
                        absences.color(theme::WARN)
                    } else {
                        absences
                    });
                    ui.label(given_text(r.rewards.iter()).unwrap_or_else(|| "—".into()));
                    ui.push_id(("reward", r.staff_id), |ui| {
                        if let Some(day) = r.last_late_day(cx.settings.shift_start)
                            && ui.button(t("att.reward_penalty")).clicked()
                        {
                            penalise = Some((
                                day.clone(),
                                tf(
                                    "att.penalty_reason",
                                    &[
                                        ("month", month),
                                        ("n", &r.late_count.to_string()),
                                        ("minutes", &r.late_minutes.to_string()),
                                    ],
                                ),
                            ));
                        }
                    });
                    ui.end_row();
                }
            });
        penalise
    }

    /// Opens the reward/penalty form prefilled as a penalty for `day` (a late arrival, or the
    /// last of a month's late arrivals) with `reason`, linked to that day.
    fn penalise(&mut self, day: AttendanceDay, reason: String, cx: &ViewCtx<'_>) {
        self.reward = RewardDraft {
            staff_id: Some(day.staff_id),
            reward: false,
            reason,
            on: cx.now.format("%Y-%m-%d").to_string(),
            attendance: Some(day),
            ..RewardDraft::default()
        };
        self.tab = Tab::Rewards;
    }

    pub(super) fn daily_reports_ui(&mut self, ui: &mut Ui, cx: &ViewCtx<'_>) -> Vec<Command> {
        let mut commands = Vec::new();
        ui.heading(t("daily.sup_title"));
        let s = &mut self.staff_days;
        ui.horizontal(|ui| {
            let day = NaiveDate::parse_from_str(s.day.trim(), "%Y-%m-%d").ok();
            if ui.button("◀").on_hover_text(t("daily.prev_day")).clicked()
                && let Some(d) = day
            {
                s.day = (d - Duration::days(1)).format("%Y-%m-%d").to_string();
            }
            widgets::labelled_text(ui, t("daily.day"), &mut s.day, 100.0);
            if ui.button("▶").on_hover_text(t("daily.next_day")).clicked()
                && let Some(d) = day
            {
                s.day = (d + Duration::days(1)).format("%Y-%m-%d").to_string();
            }
        });
        if let Ok(day) = NaiveDate::parse_from_str(s.day.trim(), "%Y-%m-%d") {
            export_buttons_ui(
                ui,
                ["daily.export_csv", "daily.export_xlsx", "daily.export_pdf"],
                |format| FileFor::ExportDailyReports { day, format },
                &mut commands,
            );
        }
        let missing: Vec<String> = cx
            .active_staff()
            .filter(|st| !s.reports.iter().any(|r| r.staff_id == st.id))
            .map(|st| st.name.clone())
            .collect();
        ui.label(tf(
            "daily.count",
            &[
                ("submitted", &s.reports.len().to_string()),
                ("missing", &missing.len().to_string()),
            ],
        ));
        if !missing.is_empty() {
            ui.label(
                RichText::new(tf("daily.not_submitted", &[("names", &missing.join("、"))]))
                    .color(theme::WARN),
            );
        }
        ui.separator();
        for r in &s.reports {
            ui.push_id(r.id, |ui| {
                let open = s.open == Some(r.id);
                ui.horizontal(|ui| {
                    let name = format!(
                        "{} {}",
                        if open { "▼" } else { "▶" },
                        cx.staff_name(Some(r.staff_id))
                    );
                    if ui.selectable_label(open, name).clicked() {
                        s.open = (!open).then_some(r.id);
                    }
                    ui.label(tf(
                        "daily.submitted_at",
                        &[("at", &r.submitted_at.format(DISPLAY_FORMAT).to_string())],
                    ));
                    match r.read_at {
                        Some(at) => {
                            ui.label(
                                RichText::new(tf(
                                    "daily.read_by",
                                    &[
                                        ("at", &at.format(DISPLAY_FORMAT).to_string()),
                                        ("name", &r.read_by),
                                    ],
                                ))
                                .color(theme::OK),
                            );
                        }
                        None => {
                            ui.label(RichText::new(t("daily.unread")).color(theme::WARN));
                        }
                    }
                });
                if open {
                    crate::ui::daily::figures_ui(ui, &r.figures, "report_figures");
                    ui.label(RichText::new(t("daily.remarks")).strong());
                    ui.label(if r.remarks.is_empty() {
                        "—"
                    } else {
                        &r.remarks
                    });
                    if r.read_at.is_none() && ui.button(t("daily.mark_read")).clicked() {
                        commands.push(Command::Supervisor(SupervisorCommand::MarkDailyReportRead(
                            r.id,
                        )));
                    }
                }
            });
        }
        commands
    }
}
