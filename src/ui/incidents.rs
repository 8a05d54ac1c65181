//! 突发事件: the on-site incident log. The form records an incident (kind, time — now unless
//! typed —, what happened, how it was handled so far, and for a system outage whether the
//! waiting customers were told); the list shows them newest first, the open ones marked, a page
//! at a time; an open incident is closed with its handling.

use chrono::NaiveDateTime;
use egui::{RichText, Ui};

use super::theme;
use crate::app::{Command, IncidentCommand, ViewCtx};
use crate::domain::DISPLAY_FORMAT;
use crate::domain::incident::{Incident, IncidentDraft, IncidentKind};
use crate::i18n::{t, tf};
use crate::store::incidents::IncidentPage;

/// Incidents per page of the list.
pub const PAGE_SIZE: i64 = 50;

/// How a time is typed on the form.
const TIME_FORMAT: &str = "%Y-%m-%d %H:%M";

/// The form of a new incident.
#[derive(Clone, Debug, Default)]
struct Form {
    kind: Option<IncidentKind>,
    /// The time as typed; empty is now.
    at: String,
    description: String,
    handling: String,
    customers_informed: Option<bool>,
}

/// Closing an open incident.
#[derive(Clone, Debug, Default)]
struct Resolving {
    incident: Option<Incident>,
    handling: String,
    customers_informed: Option<bool>,
}

/// The incident log screen.
#[derive(Clone, Debug, Default)]
pub struct IncidentsView {
    /// The position of the page shown.
    offset: i64,
    /// The position of the page loaded, if any.
    loaded: Option<i64>,
    page: IncidentPage,
    form: Form,
    /// Why the form was not sent (a time that does not parse, a required field).
    form_error: Option<String>,
    resolving: Resolving,
    resolve_error: Option<String>,
}

impl IncidentsView {
    /// The position of the page to read, when the one shown is not it.
    pub fn page_to_load(&self) -> Option<i64> {
        (self.loaded != Some(self.offset)).then_some(self.offset)
    }

    /// Shows the page read from `offset`, unless another page is asked for by now.
    pub fn set_page(&mut self, offset: i64, page: IncidentPage) {
        if self.page_to_load() == Some(offset) {
            self.page = page;
            self.loaded = Some(offset);
        }
    }

    /// Forgets the page shown: it is read again.
    pub fn invalidate(&mut self) {
        self.loaded = None;
    }

    /// Reacts to a saved command: the form or the closing is done.
    pub fn on_applied(&mut self, cmd: &Command) {
        match cmd {
            Command::Incident(IncidentCommand::Record(_)) => {
                self.form = Form::default();
                self.form_error = None;
                self.offset = 0;
            }
            Command::Incident(IncidentCommand::Resolve { .. }) => {
                self.resolving = Resolving::default();
                self.resolve_error = None;
            }
            _ => {}
        }
    }

    /// Draws the screen.
    pub fn ui(&mut self, ui: &mut Ui, cx: &ViewCtx<'_>) -> Vec<Command> {
        let mut commands = Vec::new();
        egui::ScrollArea::vertical()
            .auto_shrink(false)
            .show(ui, |ui| {
                ui.heading(t("incident.title"));
                let open = self.page.open;
                let text = tf("incident.open_n", &[("n", &open.to_string())]);
                let colour = if open > 0 { theme::OVERDUE } else { theme::OK };
                ui.label(RichText::new(text).color(colour).strong());
                ui.separator();
                commands.extend(self.form_ui(ui, cx));
                ui.separator();
                commands.extend(self.resolve_ui(ui));
                self.list_ui(ui, cx);
            });
        commands
    }

    /// The form of a new incident; returns `Record` when it is sent and passes the checks.
    fn form_ui(&mut self, ui: &mut Ui, cx: &ViewCtx<'_>) -> Option<Command> {
        let f = &mut self.form;
        ui.label(RichText::new(t("incident.new")).strong());
        let mut send = false;
        egui::Grid::new("incident_form")
            .num_columns(2)
            .spacing([10.0, 6.0])
            .show(ui, |ui| {
                ui.label(t("incident.kind"));
                ui.horizontal(|ui| {
                    for k in IncidentKind::ALL {
                        ui.radio_value(&mut f.kind, Some(k), t(k.label_key()));
                    }
                });
                ui.end_row();
                let l = ui.label(t("incident.at"));
                ui.horizontal(|ui| {
                    ui.add(
                        egui::TextEdit::singleline(&mut f.at)
                            .hint_text(cx.now.format(TIME_FORMAT).to_string())
                            .desired_width(160.0),
                    )
                    .labelled_by(l.id);
                    ui.label(
                        RichText::new(t("incident.at_hint"))
                            .small()
                            .color(theme::MUTED),
                    );
                });
                ui.end_row();
                let l = ui.label(t("incident.description"));
                ui.add(
                    egui::TextEdit::multiline(&mut f.description)
                        .desired_rows(2)
                        .desired_width(420.0),
                )
                .labelled_by(l.id);
                ui.end_row();
                let l = ui.label(t("incident.handling"));
                ui.add(
                    egui::TextEdit::multiline(&mut f.handling)
                        .desired_rows(2)
                        .desired_width(420.0),
                )
                .labelled_by(l.id);
                ui.end_row();
                if f.kind == Some(IncidentKind::Outage) {
                    ui.label(t("incident.customers_informed"));
                    informed_ui(ui, &mut f.customers_informed);
                    ui.end_row();
                }
            });
        if ui
            .button(RichText::new(t("incident.record")).strong())
            .clicked()
        {
            send = true;
        }
        if let Some(e) = &self.form_error {
            ui.label(RichText::new(e).color(theme::OVERDUE));
        }
        if !send {
            return None;
        }
        let at = match f.at.trim() {
            "" => None,
            typed => match NaiveDateTime::parse_from_str(typed, TIME_FORMAT) {
                Ok(at) => Some(at),
                Err(_) => {
                    self.form_error = Some(t("incident.err_time").to_owned());
                    return None;
                }
            },
        };
        let draft = IncidentDraft {
            kind: f.kind,
            at,
            description: f.description.clone(),
            customers_informed: f.customers_informed,
            handling: f.handling.clone(),
        };
        // The same checks as the store's, so the message shows next to the form.
        if let Err(e) = draft.checked(cx.now) {
            self.form_error = Some(e.user_message());
            return None;
        }
        self.form_error = None;
        Some(Command::Incident(IncidentCommand::Record(draft)))
    }

    /// Closing the incident picked on the list: the handling, and for an outage whether the
    /// customers were told; returns `Resolve` when confirmed and the checks pass.
    fn resolve_ui(&mut self, ui: &mut Ui) -> Option<Command> {
        let r = &mut self.resolving;
        let incident = r.incident.as_ref()?;
        let mut command = None;
        let mut cancel = false;
        ui.label(
            RichText::new(tf(
                "incident.resolve_title",
                &[("id", &incident.id.to_string())],
            ))
            .strong(),
        );
        ui.label(RichText::new(&incident.description).color(theme::MUTED));
        let l = ui.label(t("incident.resolve_handling"));
        ui.add(
            egui::TextEdit::multiline(&mut r.handling)
                .desired_rows(2)
                .desired_width(420.0),
        )
        .labelled_by(l.id);
        if incident.kind == IncidentKind::Outage {
            ui.horizontal(|ui| {
                ui.label(t("incident.customers_informed"));
                informed_ui(ui, &mut r.customers_informed);
            });
        }
        ui.horizontal(|ui| {
            if ui
                .button(RichText::new(t("incident.resolve_confirm")).strong())
                .clicked()
            {
                match incident.resolution(&r.handling, r.customers_informed) {
                    Ok(_) => {
                        command = Some(Command::Incident(IncidentCommand::Resolve {
                            id: incident.id,
                            handling: r.handling.clone(),
                            customers_informed: r.customers_informed,
                        }));
                        self.resolve_error = None;
                    }
                    Err(e) => self.resolve_error = Some(e.user_message()),
                }
            }
            if ui.button(t("common.cancel")).clicked() {
                cancel = true;
            }
        });
        if let Some(e) = &self.resolve_error {
            ui.label(RichText::new(e).color(theme::OVERDUE));
        }
        if cancel {
            self.resolving = Resolving::default();
            self.resolve_error = None;
        }
        ui.separator();
        command
    }

    /// The list, newest first, a page at a time; "处理完毕" on an open incident opens its closing.
    fn list_ui(&mut self, ui: &mut Ui, cx: &ViewCtx<'_>) {
        let mut pick = None;
        ui.horizontal(|ui| {
            ui.label(RichText::new(t("incident.list")).strong());
            super::widgets::newer_older(ui, &mut self.offset, self.page.more, PAGE_SIZE);
        });
        if self.page.rows.is_empty() {
            ui.label(RichText::new(t("incident.none")).color(theme::MUTED));
            return;
        }
        egui::Grid::new("incident_list")
            .striped(true)
            .num_columns(6)
            .spacing([10.0, 4.0])
            .show(ui, |ui| {
                for i in &self.page.rows {
                    ui.push_id(i.id, |ui| {
                        ui.label(i.at.format(DISPLAY_FORMAT).to_string());
                    });
                    ui.label(t(i.kind.label_key()));
                    match i.resolved_at {
                        None => {
                            ui.horizontal(|ui| {
                                ui.label(
                                    RichText::new(t("incident.open"))
                                        .color(theme::OVERDUE)
                                        .strong(),
                                );
                                if ui
                                    .small_button(tf(
                                        "incident.resolve",
                                        &[("id", &i.id.to_string())],
                                    ))
                                    .clicked()
                                {
                                    pick = Some(i.clone());
                                }
                            });
                        }
                        Some(at) => {
                            ui.label(
                                RichText::new(tf(
                                    "incident.resolved_at",
                                    &[("at", &at.format(DISPLAY_FORMAT).to_string())],
                                ))
                                .color(theme::OK),
                            );
                        }
                    }
                    ui.label(format!("#{} {}", i.id, i.description));
                    ui.label(&i.handling);
                    let mut who = cx.staff_name(i.recorded_by);
                    if let Some(informed) = i.customers_informed {
                        who.push(' ');
                        who.push_str(t(if informed {
                            "incident.informed_yes"
                        } else {
                            "incident.informed_no"
                        }));
                    }
                    if let Some(desk) = i.desk.as_deref().filter(|d| !d.is_empty()) {
                        who.push_str(&format!(" · {desk}"));
                    }
                    ui.label(RichText::new(who).color(theme::MUTED));
                    ui.end_row();
                }
            });
        if let Some(i) = pick {
            self.resolving = Resolving {
                handling: i.handling.clone(),
                customers_informed: i.customers_informed,
                incident: Some(i),
            };
            self.resolve_error = None;
        }
    }
}

/// Whether the waiting customers were told: 是 / 否.
fn informed_ui(ui: &mut Ui, informed: &mut Option<bool>) {
    ui.horizontal(|ui| {
        ui.radio_value(informed, Some(true), t("incident.informed_yes"));
        ui.radio_value(informed, Some(false), t("incident.informed_no"));
    });
}
