//! The dashboard tab: today's figures and the trends, with charts.

use chrono::NaiveDate;
use egui::{RichText, Ui};
use egui_plot::{Line, Plot, PlotPoints};

use super::*;
use crate::app::{Command, Screen};
use crate::domain::money::format_fen;
use crate::i18n::{t, tf};
use crate::ui::{theme, widgets};

impl SupervisorView {
    pub(super) fn dashboard_ui(
        &mut self,
        ui: &mut Ui,
        targets: &crate::domain::settings::Targets,
    ) -> Vec<Command> {
        let mut commands = Vec::new();
        let d = &self.dashboard;
        let pct = |p: Option<f64>| p.map_or_else(|| "—".to_owned(), |p| format!("{p:.1}%"));
        // A figure with a target is red when it misses it, and says the target.
        let mut figure =
            |ui: &mut Ui, label: String, go: Command, target: Option<(String, Option<bool>)>| {
                ui.horizontal(|ui| {
                    let text = RichText::new(label).size(16.0);
                    match target {
                        Some((target, met)) => widgets::against_target(ui, text, &target, met),
                        None => {
                            ui.label(text);
                        }
                    }
                    if ui.small_button(t("sup.open_list")).clicked() {
                        commands.push(go);
                    }
                });
            };
        ui.heading(t("sup.today"));
        figure(
            ui,
            tf(
                "sup.fig_greeting",
                &[
                    ("limit", &d.limit_secs.to_string()),
                    ("pct", &pct(d.greeting_today)),
                    (
                        "median",
                        &d.median_today
                            .map_or_else(|| "—".into(), |m| format!("{m:.0}")),
                    ),
                ],
            ),
            Command::Goto(Screen::History),
            None,
        );
        figure(
            ui,
            tf("sup.fig_water", &[("pct", &pct(d.water_today))]),
            Command::Goto(Screen::History),
            None,
        );
        figure(
            ui,
            tf(
                "sup.fig_complaints",
                &[
                    ("open", &d.complaints_open.to_string()),
                    ("overdue", &d.complaints_overdue.to_string()),
                    ("major", &d.complaints_major.to_string()),
                ],
            ),
            Command::Goto(Screen::Complaints),
            None,
        );
        figure(
            ui,
            tf("sup.fig_satisfaction", &[("pct", &pct(d.satisfaction))]),
            Command::Goto(Screen::Weekly),
            Some((
                crate::ui::weekly::at_least(targets),
                d.satisfaction
                    .map(|p| p * 100.0 + 1e-6 >= targets.satisfaction_bp as f64),
            )),
        );
        let r = &d.rings;
        figure(
            ui,
            tf(
                "sup.fig_rings",
                &[
                    (
                        "pct",
                        &pct(crate::domain::visit::percent(r.within_2, r.calls())),
                    ),
                    ("over", &r.over_5.to_string()),
                    ("apologised", &r.over_5_apologised.to_string()),
                ],
            ),
            Command::Goto(Screen::Weekly),
            None,
        );
        figure(
            ui,
            tf(
                "sup.fig_claims",
                &[
                    ("open", &d.claims_open.to_string()),
                    ("money", &format_fen(d.claims_open_fen)),
                ],
            ),
            Command::Goto(Screen::Claims),
            None,
        );
        figure(
            ui,
            tf(
                "sup.fig_transfers",
                &[
                    ("open", &d.transfers_open.to_string()),
                    ("late", &d.transfers_late.to_string()),
                ],
            ),
            Command::Goto(Screen::MyCases),
            Some((
                t("sup.transfers_target").to_owned(),
                Some(d.transfers_late == 0),
            )),
        );
        figure(
            ui,
            tf(
                "sup.fig_claims_deadline",
                &[
                    ("over", &d.claims_overdue.to_string()),
                    ("warn", &d.claims_due_soon.to_string()),
                ],
            ),
            Command::Goto(Screen::Claims),
            Some((
                tf("sup.claims_target", &[("days", &d.settle_days.to_string())]),
                Some(d.claims_overdue == 0),
            )),
        );
        figure(
            ui,
            tf("sup.fig_inspections", &[("pct", &pct(d.inspection_pass))]),
            Command::SupervisorTab(Tab::Inspections),
            None,
        );
        figure(
            ui,
            tf(
                "sup.fig_rectifications",
                &[("n", &d.rectifications_overdue.to_string())],
            ),
            Command::SupervisorTab(Tab::Rectifications),
            None,
        );
        incidents_ui(ui, d, &mut commands);
        waybills_ui(ui, d, &mut commands);
        ui.separator();
        self.trends_ui(ui);
        commands
    }

    /// The trends: greeting and water over 30 days (with the calls answered within 2 rings each
    /// day) and 12 weeks, complaints and claims a week.
    fn trends_ui(&self, ui: &mut Ui) {
        let d = &self.dashboard;
        ui.label(RichText::new(t("sup.trend_30")).strong());
        let series = |v: &[(NaiveDate, Option<f64>)]| -> PlotPoints<'static> {
            v.iter()
                .enumerate()
                .filter_map(|(i, (_, p))| p.map(|p| [i as f64, p]))
                .collect::<Vec<_>>()
                .into()
        };
        let greeting = series(&d.greeting_daily);
        let water = series(&d.water_daily);
        let rings = series(&d.rings_daily);
        // The axes name the days and the weeks' Mondays (`MM-DD`), the legends sit where the
        // lines and bars are not.
        let days: Vec<String> = d
            .greeting_daily
            .iter()
            .map(|(day, _)| day.format("%m-%d").to_string())
            .collect();
        let mondays: Vec<String> = d
            .greeting_weekly
            .iter()
            .map(|(day, _)| day.format("%m-%d").to_string())
            .collect();
        let weeks = mondays.clone();
        Plot::new("dashboard_trend")
            .height(220.0)
            .include_y(0.0)
            .include_y(100.0)
            .allow_zoom(false)
            .allow_drag(false)
            .allow_scroll(false)
            .legend(egui_plot::Legend::default().position(egui_plot::Corner::LeftBottom))
            .x_axis_formatter(move |mark, _| widgets::label_at(&days, mark.value))
            .show(ui, |plot| {
                plot.line(Line::new(t("sup.series_greeting"), greeting).color(theme::ACCENT));
                plot.line(Line::new(t("sup.series_water"), water).color(theme::OK));
                plot.line(Line::new(t("sup.series_rings"), rings).color(theme::WARN));
            });
        ui.label(RichText::new(t("sup.trend_12w")).strong());
        let greeting_w = series(&d.greeting_weekly);
        let water_w = series(&d.water_weekly);
        Plot::new("dashboard_weekly")
            .height(180.0)
            .include_y(0.0)
            .include_y(100.0)
            .allow_zoom(false)
            .allow_drag(false)
            .allow_scroll(false)
            .x_grid_spacer(egui_plot::uniform_grid_spacer(|_| [1.0, 1.0, 1.0]))
            .legend(egui_plot::Legend::default().position(egui_plot::Corner::LeftBottom))
            .x_axis_formatter(move |mark, _| widgets::label_at(&mondays, mark.value))
            .show(ui, |plot| {
                plot.line(Line::new(t("sup.series_greeting"), greeting_w).color(theme::ACCENT));
                plot.line(Line::new(t("sup.series_water"), water_w).color(theme::OK));
            });
        ui.label(RichText::new(t("sup.cases_12w")).strong());
        let complaints: Vec<egui_plot::Bar> = d
            .cases_weekly
            .iter()
            .enumerate()
            .map(|(i, (_, c, _))| egui_plot::Bar::new(i as f64 - 0.2, *c as f64).width(0.35))
            .collect();
        let claims: Vec<egui_plot::Bar> = d
            .cases_weekly
            .iter()
            .enumerate()
            .map(|(i, (_, _, c))| egui_plot::Bar::new(i as f64 + 0.2, *c as f64).width(0.35))
            .collect();
        Plot::new("dashboard_cases")
            .height(160.0)
            .allow_zoom(false)
            .allow_drag(false)
            .allow_scroll(false)
            .x_grid_spacer(egui_plot::uniform_grid_spacer(|_| [1.0, 1.0, 1.0]))
            .legend(egui_plot::Legend::default().position(egui_plot::Corner::LeftTop))
            .x_axis_formatter(move |mark, _| widgets::label_at(&weeks, mark.value))
            .show(ui, |plot| {
                plot.bar_chart(
                    egui_plot::BarChart::new(t("sup.series_complaints"), complaints)
                        .color(theme::WARN),
                );
                plot.bar_chart(
                    egui_plot::BarChart::new(t("sup.series_claims"), claims).color(theme::OVERDUE),
                );
            });
    }
}

/// The waybill change requests: "运单更改未办结 N 件,超时 M 件" (red while any is late) with a
/// button to the list.
fn waybills_ui(ui: &mut Ui, d: &Dashboard, commands: &mut Vec<Command>) {
    ui.horizontal(|ui| {
        let text = RichText::new(tf(
            "sup.fig_waybills",
            &[
                ("n", &d.waybills_open.to_string()),
                ("late", &d.waybills_late.to_string()),
            ],
        ))
        .size(16.0);
        ui.label(if d.waybills_late > 0 {
            text.color(theme::OVERDUE).strong()
        } else {
            text
        });
        if ui.small_button(t("sup.open_waybills")).clicked() {
            commands.push(Command::Goto(Screen::Waybills));
        }
    });
}

/// The incidents: "未处理突发事件 N 件" (red while any is open) with a button to the log, and
/// today's incidents.
fn incidents_ui(ui: &mut Ui, d: &Dashboard, commands: &mut Vec<Command>) {
    ui.horizontal(|ui| {
        let text = RichText::new(tf(
            "sup.fig_incidents",
            &[("n", &d.incidents_open.to_string())],
        ))
        .size(16.0);
        ui.label(if d.incidents_open > 0 {
            text.color(theme::OVERDUE).strong()
        } else {
            text
        });
        if ui.small_button(t("sup.open_incidents")).clicked() {
            commands.push(Command::Goto(Screen::Incidents));
        }
    });
    if d.incidents_today.is_empty() {
        ui.label(RichText::new(t("sup.incidents_today_none")).color(theme::MUTED));
    }
    for i in &d.incidents_today {
        let state = if i.is_open() {
            RichText::new(t("incident.open")).color(theme::OVERDUE)
        } else {
            RichText::new(t("incident.closed")).color(theme::OK)
        };
        ui.horizontal_wrapped(|ui| {
            ui.label(i.at.format("%H:%M").to_string());
            ui.label(t(i.kind.label_key()));
            ui.label(state);
            ui.label(&i.description);
        });
    }
}
