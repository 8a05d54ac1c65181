//! 每日工作报表 at the desk: today's figures of the staff member on duty, counted from the
//! records, their remarks and the submit button; and today's sign-in of that person, which the
//! top bar shows with its 签退 button.

use chrono::NaiveDate;
use egui::{RichText, Ui};

use super::theme;
use crate::app::{Command, ServiceCommand, ViewCtx};
use crate::domain::DISPLAY_FORMAT;
use crate::domain::attendance::{AttendanceDay, DailyReport, DayFigures, share};
use crate::i18n::{t, tf};

/// The on-duty person's day, read on a worker.
#[derive(Clone, Debug, Default)]
pub struct DeskDay {
    /// Their sign-in of the day, if they signed in.
    pub attendance: Option<AttendanceDay>,
    /// The day's figures, counted now (zeros when read without them).
    pub figures: DayFigures,
    /// Their report of the day, if submitted.
    pub report: Option<DailyReport>,
}

/// What [`DailyView`] reads: the staff member, the day, and whether with the day's figures.
pub type DayKey = (i64, NaiveDate, bool);

/// The daily report screen, and the top bar's sign-in state.
#[derive(Clone, Debug, Default)]
pub struct DailyView {
    loaded: Option<DayKey>,
    day: DeskDay,
    remarks: String,
    remarks_of: Option<(i64, NaiveDate)>,
}

impl DailyView {
    /// Forgets loaded data.
    pub fn invalidate(&mut self) {
        self.loaded = None;
    }

    /// The staff member and day to read — the person on duty today — and whether with the
    /// day's figures (only while the screen is shown: the top bar needs just the sign-in), when
    /// not read yet.
    pub fn today_to_load(
        &self,
        operator: Option<i64>,
        today: NaiveDate,
        shown: bool,
    ) -> Option<DayKey> {
        let key = (operator?, today, shown);
        let read = self
            .loaded
            .is_some_and(|(id, day, figures)| (id, day) == (key.0, key.1) && (figures || !shown));
        (!read).then_some(key)
    }

    /// Shows what was read for `key`. The remarks typed stay while it is the same person and
    /// day; a report submitted earlier fills them at first.
    pub fn set_today(&mut self, key: DayKey, day: DeskDay) {
        let (staff_id, date, _) = key;
        if self.remarks_of != Some((staff_id, date)) {
            self.remarks = day
                .report
                .as_ref()
                .map(|r| r.remarks.clone())
                .unwrap_or_default();
            self.remarks_of = Some((staff_id, date));
        }
        self.day = day;
        self.loaded = Some(key);
    }

    /// `staff_id`'s sign-in today, as read.
    pub fn attendance_of(&self, staff_id: Option<i64>) -> Option<&AttendanceDay> {
        let (id, _, _) = self.loaded?;
        (Some(id) == staff_id)
            .then_some(self.day.attendance.as_ref())
            .flatten()
    }

    /// Draws the screen.
    pub fn ui(&mut self, ui: &mut Ui, cx: &ViewCtx<'_>) -> Vec<Command> {
        let mut commands = Vec::new();
        ui.heading(t("daily.title"));
        let Some(staff_id) = cx.settings.operator_id else {
            ui.label(RichText::new(t("daily.no_operator")).color(theme::MUTED));
            return commands;
        };
        if self
            .loaded
            .is_none_or(|(id, _, figures)| id != staff_id || !figures)
        {
            ui.spinner();
            return commands;
        }
        ui.label(tf(
            "daily.of",
            &[
                ("name", &cx.staff_name(Some(staff_id))),
                ("day", &cx.now.format("%Y-%m-%d").to_string()),
            ],
        ));
        let read = self
            .day
            .report
            .as_ref()
            .and_then(|r| r.read_at.map(|at| (at, r.read_by.clone())));
        // A report read stays as submitted: its figures, not today's count since.
        let figures = match (&self.day.report, &read) {
            (Some(r), Some(_)) => &r.figures,
            _ => &self.day.figures,
        };
        figures_ui(ui, figures, "daily_figures");
        ui.separator();
        if let Some(r) = &self.day.report {
            ui.label(
                RichText::new(tf(
                    "daily.submitted_at",
                    &[("at", &r.submitted_at.format(DISPLAY_FORMAT).to_string())],
                ))
                .color(theme::OK),
            );
        }
        if let Some((at, by)) = read {
            ui.label(
                RichText::new(tf(
                    "daily.read_by",
                    &[
                        ("at", &at.format(DISPLAY_FORMAT).to_string()),
                        ("name", &by),
                    ],
                ))
                .color(theme::MUTED),
            );
            ui.label(RichText::new(&self.remarks).italics());
            return commands;
        }
        let label = ui.label(t("daily.remarks"));
        ui.add(
            egui::TextEdit::multiline(&mut self.remarks)
                .desired_rows(4)
                .desired_width(480.0),
        )
        .labelled_by(label.id);
        let key = if self.day.report.is_some() {
            "daily.resubmit"
        } else {
            "daily.submit"
        };
        if ui.button(RichText::new(t(key)).strong()).clicked() {
            commands.push(Command::Service(ServiceCommand::SubmitDailyReport {
                staff_id,
                remarks: self.remarks.clone(),
            }));
        }
        commands
    }
}

/// "12 / 10 (83.3%)": a count and the part of it on time, with the share.
fn with_share(whole: i64, part: i64) -> String {
    share(part, whole).map_or_else(
        || format!("{whole} / {part}"),
        |p| format!("{whole} / {part} ({p:.1}%)"),
    )
}

/// Draws a day's figures as a two-column grid (also the supervisors' view of a report).
pub fn figures_ui(ui: &mut Ui, f: &DayFigures, id: &str) {
    egui::Grid::new(id)
        .num_columns(2)
        .spacing([16.0, 4.0])
        .striped(true)
        .show(ui, |ui| {
            for (key, value) in [
                (
                    "daily.visits",
                    with_share(f.visits_greeted, f.greeted_on_time),
                ),
                ("daily.calls", with_share(f.calls_answered, f.calls_on_time)),
                (
                    "daily.complaints",
                    format!("{} / {}", f.complaints_taken, f.complaints_closed),
                ),
                ("daily.callbacks", f.callbacks_done.to_string()),
                ("daily.claims", f.claims_worked.to_string()),
            ] {
                ui.label(t(key));
                ui.label(value);
                ui.end_row();
            }
        });
}

/// The top bar's sign-in state of the person on duty: when they signed in (late in red), the
/// 签退 button, or when they signed out; "签到" when they have not signed in today.
pub fn sign_in_ui(
    ui: &mut Ui,
    cx: &ViewCtx<'_>,
    today: Option<&AttendanceDay>,
    commands: &mut Vec<Command>,
) {
    let Some(staff_id) = cx.settings.operator_id else {
        return;
    };
    let Some(a) = today else {
        if ui.button(t("att.sign_in")).clicked() {
            commands.push(Command::SetOperator(Some(staff_id)));
        }
        return;
    };
    let late = a.late_minutes(cx.settings.shift_start);
    let text = tf(
        "att.signed_in_at",
        &[("time", &a.signed_in_at.format("%H:%M").to_string())],
    );
    if late > 0 {
        ui.label(
            RichText::new(format!(
                "{text} {}",
                tf("att.late_n", &[("n", &late.to_string())])
            ))
            .color(theme::OVERDUE),
        );
    } else {
        ui.label(RichText::new(text).color(theme::OK));
    }
    match a.signed_out_at {
        Some(out) => {
            ui.label(tf(
                "att.signed_out_at",
                &[("time", &out.format("%H:%M").to_string())],
            ));
        }
        None => {
            if ui.button(t("att.sign_out")).clicked() {
                commands.push(Command::Service(ServiceCommand::SignOut(staff_id)));
            }
        }
    }
}
