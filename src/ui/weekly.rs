//! 投诉周报: the weekly complaint summary — counts, SLA, satisfaction, complaint rate, analysis.

use chrono::{Datelike as _, Duration, NaiveDate};
use egui::{RichText, Ui};

use super::{theme, widgets};
use crate::app::{Command, ExportFormat, FileFor, ServiceCommand, ViewCtx};
use crate::domain::visit::percent;
use crate::i18n::{t, tf};
use crate::report::complaints::{Row, parse_week, week_of};
use crate::store::complaints::WeekNotes;

/// The weekly summary screen.
#[derive(Clone, Debug, Default)]
pub struct WeeklyView {
    week: String,
    loaded: Option<String>,
    rows: Vec<Row>,
    waybills: String,
    analysis: String,
    error: Option<String>,
    rings: Vec<crate::store::calls::Rings>,
    rings_daily: Vec<crate::store::calls::DayRings>,
}

/// A week's figures and notes, read on a worker.
#[derive(Clone, Debug, Default)]
pub struct WeekData {
    /// The report's rows, the total last.
    pub rows: Vec<Row>,
    /// The waybill count and the analysis saved for the week.
    pub notes: WeekNotes,
    /// How fast the phone was answered that week, per staff member.
    pub rings: Vec<crate::store::calls::Rings>,
    /// How fast the phone was answered on each day of the week, Monday to Sunday.
    pub rings_daily: Vec<crate::store::calls::DayRings>,
}

impl WeeklyView {
    /// Forgets loaded data.
    pub fn invalidate(&mut self) {
        self.loaded = None;
    }

    /// Reacts to a saved command.
    pub fn on_applied(&mut self, cmd: &Command) {
        if let Command::Service(ServiceCommand::SaveWeekNotes { .. }) = cmd {
            self.loaded = None;
        }
    }

    /// The week to read (label and Monday; this week at first), when it is not shown yet. A week
    /// that is not one is said so at once, and nothing is read.
    pub fn week_to_load(&mut self, today: NaiveDate) -> Option<(String, NaiveDate)> {
        if self.week.is_empty() {
            self.week = week_of(today);
        }
        if self.loaded.as_deref() == Some(self.week.as_str()) {
            return None;
        }
        let Some(monday) = parse_week(&self.week) else {
            self.error = Some(tf("report.bad_week", &[("value", &self.week)]));
            self.loaded = Some(self.week.clone());
            self.rows.clear();
            return None;
        };
        Some((self.week.clone(), monday))
    }

    /// Shows the figures read for `week`, unless the screen asks for another week by now.
    pub fn set_week(&mut self, week: String, data: WeekData) {
        if self.week != week {
            return;
        }
        self.rows = data.rows;
        self.rings = data.rings;
        self.rings_daily = data.rings_daily;
        self.waybills = data
            .notes
            .waybills
            .map(|w| w.to_string())
            .unwrap_or_default();
        self.analysis = data.notes.analysis;
        self.error = None;
        self.loaded = Some(week);
    }

    fn shift(&mut self, weeks: i64) {
        if let Some(monday) = parse_week(&self.week) {
            self.week = week_of(monday + Duration::weeks(weeks));
        }
    }

    /// Draws the screen: the week, its totals, the table by dimension, the answering speed per
    /// staff member and per day, and the waybill count and analysis with their save and export
    /// buttons. It scrolls, as the claims report does: the rows per category and per staff
    /// member grow with the week.
    pub fn ui(&mut self, ui: &mut Ui, cx: &ViewCtx<'_>) -> Vec<Command> {
        let mut commands = Vec::new();
        egui::ScrollArea::vertical()
            .auto_shrink(false)
            .show(ui, |ui| {
                self.week_ui(ui);
                ui.separator();
                self.totals_ui(ui, &cx.settings.targets);
                ui.separator();
                self.table_ui(ui);
                ui.separator();
                self.rings_ui(ui, cx);
                ui.separator();
                self.notes_ui(ui, &mut commands);
            });
        commands
    }

    /// Draws the heading, the week picker (previous, typed week, next) with the week's
    /// dates, and the last error.
    fn week_ui(&mut self, ui: &mut Ui) {
        ui.heading(t("report.weekly_title"));
        ui.horizontal(|ui| {
            if ui
                .button("◀")
                .on_hover_text(t("report.prev_week"))
                .clicked()
            {
                self.shift(-1);
            }
            let mut week = self.week.clone();
            let r = widgets::labelled_text(ui, t("report.week"), &mut week, 90.0);
            if r.changed() {
                self.week = week;
            }
            if ui
                .button("▶")
                .on_hover_text(t("report.next_week"))
                .clicked()
            {
                self.shift(1);
            }
            if let Some(monday) = parse_week(&self.week) {
                ui.label(
                    RichText::new(format!(
                        "{} – {}",
                        monday.format("%Y-%m-%d"),
                        (monday + Duration::days(6)).format("%Y-%m-%d")
                    ))
                    .color(theme::MUTED),
                );
            }
        });
        if let Some(e) = &self.error {
            ui.label(RichText::new(e).color(theme::OVERDUE));
        }
    }

    /// Draws the week's totals: complaints, deadlines met, overdue, at fault, satisfaction
    /// and the complaint rate per waybill when the waybill count is typed.
    fn totals_ui(&self, ui: &mut Ui, targets: &crate::domain::settings::Targets) {
        let total = self.rows.last().cloned().unwrap_or_default();
        ui.horizontal_wrapped(|ui| {
            ui.label(tf("report.total", &[("n", &total.complaints.to_string())]));
            let pct = |a, b| percent(a, b).map_or_else(|| "—".to_owned(), |p| format!("{p:.1}%"));
            ui.label(tf(
                "report.first_met",
                &[("pct", &pct(total.first_response_met, total.complaints))],
            ));
            ui.label(tf(
                "report.resolution_met",
                &[("pct", &pct(total.resolution_met, total.complaints))],
            ));
            ui.label(tf(
                "report.overdue_open",
                &[("n", &total.overdue_open.to_string())],
            ));
            ui.label(tf(
                "report.at_fault",
                &[("n", &total.company_at_fault.to_string())],
            ));
            let satisfaction = tf(
                "report.satisfaction",
                &[
                    ("pct", &pct(total.satisfied, total.rated)),
                    ("rated", &total.rated.to_string()),
                ],
            );
            let met = targets.satisfaction_met(total.satisfied, total.rated);
            widgets::against_target(ui, &satisfaction, &at_least(targets), met);
            let waybills = self.waybills.trim().parse::<i64>().ok().filter(|w| *w > 0);
            let rate = waybills.map(|w| {
                #[expect(clippy::cast_precision_loss, reason = "counts are far below 2^52")]
                let r = total.complaints as f64 * 100.0 / w as f64;
                format!("{r:.3}%")
            });
            let rate = tf(
                "report.rate",
                &[("rate", &rate.unwrap_or_else(|| "—".to_owned()))],
            );
            let met = waybills.and_then(|w| targets.complaint_rate_met(total.complaints, w));
            widgets::against_target(ui, &rate, &below(targets), met);
        });
    }

    /// Draws how fast the phone was answered: shares within 2 rings, 3–5 and over 5 (with how
    /// many of those began with the apology), for the desk and per staff member, then per day of
    /// the week.
    fn rings_ui(&self, ui: &mut Ui, cx: &ViewCtx<'_>) {
        use crate::store::calls::Rings;
        ui.label(RichText::new(t("report.rings_title")).strong());
        if self.rings.is_empty() {
            ui.label(RichText::new(t("report.rings_none")).color(theme::MUTED));
            return;
        }
        let pct =
            |a: i64, b: i64| percent(a, b).map_or_else(|| "—".to_owned(), |p| format!("{p:.1}%"));
        let row = |ui: &mut Ui, who: String, r: &Rings| {
            ui.label(who);
            ui.label(r.calls().to_string());
            ui.label(pct(r.within_2, r.calls()));
            ui.label(pct(r.within_5, r.calls()));
            let late = RichText::new(pct(r.over_5, r.calls()));
            ui.label(if r.over_5 > 0 {
                late.color(theme::WARN)
            } else {
                late
            });
            let apologised = format!("{}/{}", r.over_5_apologised, r.over_5);
            let missed = r.over_5_apologised < r.over_5;
            let apologised = RichText::new(apologised);
            ui.label(if missed {
                apologised.color(theme::OVERDUE)
            } else {
                apologised
            });
            ui.end_row();
        };
        let header = |ui: &mut Ui, first: &str| {
            for key in [
                first,
                "report.rings_calls",
                "report.rings_2",
                "report.rings_5",
                "report.rings_over",
                "report.rings_apology",
            ] {
                ui.label(RichText::new(t(key)).strong());
            }
            ui.end_row();
        };
        egui::Grid::new("weekly_rings")
            .striped(true)
            .num_columns(6)
            .spacing([10.0, 4.0])
            .show(ui, |ui| {
                header(ui, "report.rings_who");
                for r in &self.rings {
                    let who = r.staff_id.map_or_else(
                        || t("report.rings_nobody").to_owned(),
                        |id| cx.staff_name(Some(id)),
                    );
                    row(ui, who, r);
                }
                row(
                    ui,
                    t("report.rings_all").to_owned(),
                    &Rings::total(&self.rings),
                );
            });
        ui.add_space(6.0);
        ui.label(RichText::new(t("report.rings_by_day")).strong());
        egui::Grid::new("weekly_rings_by_day")
            .striped(true)
            .num_columns(6)
            .spacing([10.0, 4.0])
            .show(ui, |ui| {
                header(ui, "report.rings_day");
                for d in &self.rings_daily {
                    row(ui, day_label(d.day), &d.rings);
                }
            });
    }

    /// Draws the table of complaint figures per dimension and value.
    fn table_ui(&self, ui: &mut Ui) {
        egui::Grid::new("weekly_grid")
            .striped(true)
            .num_columns(9)
            .spacing([10.0, 4.0])
            .show(ui, |ui| {
                for key in [
                    "report.col_dimension",
                    "report.col_value",
                    "report.col_complaints",
                    "report.col_first",
                    "report.col_resolution",
                    "report.col_overdue",
                    "report.col_fault",
                    "report.col_rated",
                    "report.col_satisfied",
                ] {
                    ui.label(RichText::new(t(key)).strong());
                }
                ui.end_row();
                for r in &self.rows {
                    ui.label(t(dimension_key(&r.dimension)));
                    ui.label(if r.value == "all" {
                        t("report.all").to_owned()
                    } else {
                        r.value.clone()
                    });
                    for n in [
                        r.complaints,
                        r.first_response_met,
                        r.resolution_met,
                        r.overdue_open,
                        r.company_at_fault,
                        r.rated,
                        r.satisfied,
                    ] {
                        ui.label(n.to_string());
                    }
                    ui.end_row();
                }
            });
    }

    /// Draws the waybill count and the analysis with the save button (a negative or
    /// non-numeric count goes to the error) and the export buttons, queued in `commands`.
    fn notes_ui(&mut self, ui: &mut Ui, commands: &mut Vec<Command>) {
        widgets::labelled_text(ui, t("report.waybills"), &mut self.waybills, 120.0);
        let l = ui.label(t("report.analysis"));
        ui.add(
            egui::TextEdit::multiline(&mut self.analysis)
                .desired_rows(5)
                .desired_width(f32::INFINITY),
        )
        .labelled_by(l.id);
        ui.horizontal(|ui| {
            if ui
                .button(RichText::new(t("report.save_notes")).strong())
                .clicked()
            {
                let waybills = self.waybills.trim();
                match (waybills.is_empty(), waybills.parse::<i64>()) {
                    (true, _) => commands.push(self.save(None)),
                    (false, Ok(w)) if w >= 0 => commands.push(self.save(Some(w))),
                    _ => {
                        self.error = Some(format!(
                            "{}: {}",
                            t("report.waybills"),
                            t("err.not_negative")
                        ))
                    }
                }
            }
            for (label, format) in [
                ("report.export_csv", ExportFormat::Csv),
                ("report.export_xlsx", ExportFormat::Xlsx),
                ("report.export_pdf", ExportFormat::Pdf),
            ] {
                if ui.button(t(label)).clicked() {
                    commands.push(Command::PickFile(FileFor::ExportWeek {
                        week: self.week.clone(),
                        format,
                    }));
                }
            }
        });
    }

    fn save(&self, waybills: Option<i64>) -> Command {
        Command::Service(ServiceCommand::SaveWeekNotes {
            week: self.week.clone(),
            notes: WeekNotes {
                waybills,
                analysis: self.analysis.clone(),
            },
        })
    }
}

/// "周一 11-23": the day of the week and the date.
fn day_label(day: NaiveDate) -> String {
    const WEEKDAYS: [&str; 7] = [
        "settings.mon",
        "settings.tue",
        "settings.wed",
        "settings.thu",
        "settings.fri",
        "settings.sat",
        "settings.sun",
    ];
    let weekday = WEEKDAYS[day.weekday().num_days_from_monday() as usize];
    format!("{} {}", t(weekday), day.format("%m-%d"))
}

fn dimension_key(d: &str) -> &'static str {
    match d {
        "category" => "report.dim_category",
        "severity" => "report.dim_severity",
        "channel" => "report.dim_channel",
        "status" => "report.dim_status",
        _ => "report.dim_total",
    }
}

/// "目标 ≥ 90%".
pub(crate) fn at_least(targets: &crate::domain::settings::Targets) -> String {
    tf(
        "report.target_at_least",
        &[(
            "target",
            &crate::domain::money::format_percent(targets.satisfaction_bp),
        )],
    )
}

/// "目标 < 0.5%".
pub(crate) fn below(targets: &crate::domain::settings::Targets) -> String {
    tf(
        "report.target_below",
        &[(
            "target",
            &crate::domain::money::format_percent(targets.complaint_rate_bp),
        )],
    )
}
