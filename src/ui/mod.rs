//! egui only — no SQL, no clock reads. Screens return [`Command`]s; `app.rs` applies them.

pub mod calls;
pub mod claims;
pub mod claims_report;
pub mod complaints;
pub mod customers;
pub mod daily;
pub mod damaged;
pub mod history;
pub mod inbox;
pub mod incidents;
pub mod login;
pub mod reception;
pub mod reception_report;
pub mod server_login;
pub mod settings;
pub mod startup_error;
pub mod supervisor;
pub mod theme;
pub mod transfers;
pub mod waybills;
pub mod weekly;
pub mod widgets;

use crate::app::{Command, Screen, ViewCtx};
use crate::domain::DISPLAY_FORMAT;
use crate::i18n::t;

/// The top bar: the title, the desk operator (choosing one signs them in) with their sign-in
/// and 签退, the session and the time on the first row; the screens on the second.
pub fn top_bar_ui(
    ui: &mut egui::Ui,
    cx: &ViewCtx<'_>,
    screen: &mut Screen,
    today: Option<&crate::domain::attendance::AttendanceDay>,
) -> Vec<Command> {
    let mut commands = Vec::new();
    ui.horizontal(|ui| {
        ui.heading(t("app.title"));
        ui.separator();
        let label = ui.label(t("app.operator"));
        let mut operator = cx.settings.operator_id;
        let selected = operator.map_or_else(
            || t("app.no_operator").to_owned(),
            |id| cx.staff_name(Some(id)),
        );
        egui::ComboBox::from_id_salt("operator")
            .selected_text(selected)
            .show_ui(ui, |ui| {
                ui.selectable_value(&mut operator, None, t("app.no_operator"));
                for s in cx.active_staff() {
                    ui.selectable_value(&mut operator, Some(s.id), widgets::staff_with_role(s));
                }
            })
            .response
            .labelled_by(label.id);
        if operator != cx.settings.operator_id {
            commands.push(Command::SetOperator(operator));
        }
        daily::sign_in_ui(ui, cx, today, &mut commands);
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            ui.label(cx.now.format(DISPLAY_FORMAT).to_string());
            ui.separator();
            running_work_ui(ui, cx, &mut commands);
            if cx.actor.account_id.is_some() {
                if ui.button(t("login.logout")).clicked() {
                    commands.push(Command::Logout);
                }
                ui.label(
                    egui::RichText::new(format!(
                        "{}({})",
                        cx.actor.name,
                        t(cx.actor.role.label_key())
                    ))
                    .color(theme::ACCENT)
                    .strong(),
                );
            } else if ui.button(t("login.open")).clicked() {
                commands.push(Command::ShowLogin);
            }
        });
    });
    ui.horizontal_wrapped(|ui| {
        for (s, key) in [
            (Screen::Reception, "nav.reception"),
            (Screen::History, "nav.history"),
            (Screen::Customers, "nav.customers"),
            (Screen::Calls, "nav.calls"),
            (Screen::Complaints, "nav.complaints"),
            (Screen::MyCases, "nav.my_cases"),
            (Screen::ReceptionReport, "nav.reception_report"),
            (Screen::Weekly, "nav.weekly"),
            (Screen::Claims, "nav.claims"),
            (Screen::ClaimsReport, "nav.claims_report"),
            (Screen::Settings, "nav.settings"),
            (Screen::DailyReport, "nav.daily_report"),
        ] {
            ui.selectable_value(screen, s, t(key));
        }
        // The incident log, red with the count while any incident is open.
        let open = cx.board.incidents_open;
        let incidents = if open > 0 {
            egui::RichText::new(crate::i18n::tf(
                "nav.incidents_n",
                &[("n", &open.to_string())],
            ))
            .color(theme::OVERDUE)
            .strong()
        } else {
            egui::RichText::new(t("nav.incidents"))
        };
        ui.selectable_value(screen, Screen::Incidents, incidents);
        // Waybill change requests, amber with the count while any waits for its answer or for
        // the customer to be told.
        let open = cx.board.waybills_open;
        let waybills = if open > 0 {
            egui::RichText::new(crate::i18n::tf(
                "nav.waybills_n",
                &[("n", &open.to_string())],
            ))
            .color(theme::WARN)
            .strong()
        } else {
            egui::RichText::new(t("nav.waybills"))
        };
        ui.selectable_value(screen, Screen::Waybills, waybills);
        if cx.is_supervisor() {
            ui.separator();
            let waiting = cx.board.inbox_open;
            let inbox = if waiting > 0 {
                egui::RichText::new(crate::i18n::tf(
                    "nav.inbox_n",
                    &[("n", &waiting.to_string())],
                ))
                .color(theme::OVERDUE)
                .strong()
            } else {
                egui::RichText::new(t("nav.inbox"))
            };
            ui.selectable_value(screen, Screen::Inbox, inbox);
            ui.selectable_value(screen, Screen::Supervision, t("nav.supervision"));
        }
    });
    commands
}

/// What runs on workers, in the top bar's right-to-left row: reads (a spinner), an export and
/// a backup or the daily purge, each with its stop button, so a long job can be stopped from
/// any screen.
fn running_work_ui(ui: &mut egui::Ui, cx: &ViewCtx<'_>, commands: &mut Vec<Command>) {
    if let Some(job) = cx
        .backups
        .job
        .filter(|j| j.kind != crate::app::backups::JobKind::Restore)
    {
        settings::stop_ui(ui, job, commands);
        let (fraction, text) = settings::job_text(job.kind, job.progress, true);
        ui.add(
            egui::ProgressBar::new(fraction)
                .desired_width(160.0)
                .text(text),
        );
        ui.separator();
    }
    if cx.exporting {
        if ui.button(t("app.export_stop")).clicked() {
            commands.push(Command::StopExport);
        }
        ui.label(egui::RichText::new(t("app.exporting")).color(theme::MUTED));
        ui.spinner();
        ui.separator();
    } else if cx.loading {
        ui.label(egui::RichText::new(t("app.reading")).color(theme::MUTED));
        ui.spinner();
        ui.separator();
    }
}

/// The status bar: the last message (errors in red, dismissable).
pub fn status_bar_ui(ui: &mut egui::Ui, message: &mut Option<crate::app::StatusMessage>) {
    ui.horizontal(|ui| {
        let Some(m) = message.as_ref() else {
            ui.label(egui::RichText::new(t("app.ready")).color(theme::MUTED));
            return;
        };
        let colour = if m.is_error {
            theme::OVERDUE
        } else {
            theme::OK
        };
        ui.label(egui::RichText::new(&m.text).color(colour));
        if ui.small_button(t("common.dismiss")).clicked() {
            *message = None;
        }
    });
}
