//! 设置: language, company, reception limits, staff, and where the data lives.

use chrono::NaiveTime;
use egui::{RichText, Ui};

use super::{theme, widgets};
use crate::app::{Command, ViewCtx};
use crate::domain::staff::{Role, Staff};
use crate::i18n::{Lang, t, tf};
use crate::store::settings::Settings;

/// The sections of the settings screen.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
enum Tab {
    /// Language and reception rules.
    #[default]
    General,
    /// Complaint time limits and categories.
    Complaints,
    /// Staff.
    Staff,
    /// Where the data lives.
    Data,
}

/// The settings screen's drafts.
#[derive(Clone, Debug, Default)]
pub struct SettingsView {
    company_name: String,
    greeting_warn: String,
    greeting_limit: String,
    water_limit_min: String,
    wait_limit_min: String,
    closing_time: String,
    idle_lock_min: String,
    sla_first_h: String,
    sla_major_h: String,
    sla_ordinary_d: String,
    sla_warn_h: String,
    business_enabled: bool,
    workdays: [bool; 7],
    business_start: String,
    business_end: String,
    categories: String,
    categories_loaded: bool,
    causes: String,
    privacy_notice: String,
    retention_personal: String,
    retention_calls: String,
    error: Option<String>,
    tab: Tab,
    new_staff_name: String,
    new_staff_role: Option<Role>,
    editing: Option<Staff>,
}

impl SettingsView {
    /// Drafts filled from `s`.
    pub fn new(s: &Settings) -> Self {
        Self {
            company_name: s.company_name.clone(),
            greeting_warn: s.rules.greeting_warn_secs.to_string(),
            greeting_limit: s.rules.greeting_limit_secs.to_string(),
            water_limit_min: (s.rules.water_limit_secs / 60).to_string(),
            wait_limit_min: (s.rules.wait_limit_secs / 60).to_string(),
            closing_time: s.closing_time.format("%H:%M").to_string(),
            idle_lock_min: (s.idle_lock_secs / 60).to_string(),
            sla_first_h: hours(s.sla.first_response_secs),
            sla_major_h: hours(s.sla.major_resolution_secs),
            sla_ordinary_d: days(s.sla.ordinary_resolution_secs),
            sla_warn_h: hours(s.sla.warn_secs),
            business_enabled: s.sla.calendar.enabled,
            workdays: s.sla.calendar.workdays,
            business_start: s.sla.calendar.start.format("%H:%M").to_string(),
            business_end: s.sla.calendar.end.format("%H:%M").to_string(),
            categories: String::new(),
            categories_loaded: false,
            causes: String::new(),
            privacy_notice: s.privacy_notice.clone(),
            retention_personal: s.retention.personal_days.to_string(),
            retention_calls: s.retention.call_days.to_string(),
            error: None,
            tab: Tab::General,
            new_staff_name: String::new(),
            new_staff_role: Some(Role::ServiceRep),
            editing: None,
        }
    }

    /// Reacts to a saved command: clears the staff drafts, refreshes drafts after a save.
    pub fn on_applied(&mut self, cmd: &Command, settings: &Settings) {
        match cmd {
            Command::AddStaff { .. } => self.new_staff_name.clear(),
            Command::UpdateStaff(_) => self.editing = None,
            Command::SaveSettings(_) => {
                let tab = self.tab;
                *self = Self::new(settings);
                self.tab = tab;
            }
            _ => {}
        }
    }

    fn parsed(&self, current: &Settings) -> Result<Settings, String> {
        let int = |s: &str, key: &str| -> Result<i64, String> {
            s.trim()
                .parse::<i64>()
                .map_err(|_| tf("settings.not_a_number", &[("field", t(key))]))
        };
        // Minutes typed as a number too large for seconds count as out of range (the checks
        // below refuse them with the allowed range).
        let minutes = |s: &str, key: &str| -> Result<i64, String> {
            Ok(int(s, key)?.checked_mul(60).unwrap_or(i64::MAX))
        };
        let mut s = current.clone();
        s.company_name = self.company_name.trim().to_owned();
        s.rules.greeting_warn_secs = int(&self.greeting_warn, "settings.greeting_warn")?;
        s.rules.greeting_limit_secs = int(&self.greeting_limit, "settings.greeting_limit")?;
        s.rules.water_limit_secs = minutes(&self.water_limit_min, "settings.water_limit")?;
        s.rules.wait_limit_secs = minutes(&self.wait_limit_min, "settings.wait_limit")?;
        s.closing_time =
            NaiveTime::parse_from_str(self.closing_time.trim(), "%H:%M").map_err(|_| {
                tf(
                    "settings.bad_time",
                    &[("field", t("settings.closing_time"))],
                )
            })?;
        s.rules.validate().map_err(|e| e.user_message())?;
        s.privacy_notice = self.privacy_notice.trim().to_owned();
        s.idle_lock_secs = minutes(&self.idle_lock_min, "settings.idle_lock")?;
        let num = |text: &str, key: &str, unit: f64| -> Result<i64, String> {
            let v: f64 = text
                .trim()
                .parse()
                .map_err(|_| tf("settings.not_a_number", &[("field", t(key))]))?;
            #[expect(clippy::cast_possible_truncation, reason = "settings are small")]
            Ok((v * unit).round() as i64)
        };
        s.sla.first_response_secs = num(&self.sla_first_h, "settings.sla_first_response", 3600.0)?;
        s.sla.major_resolution_secs = num(&self.sla_major_h, "settings.sla_major", 3600.0)?;
        s.sla.ordinary_resolution_secs =
            num(&self.sla_ordinary_d, "settings.sla_ordinary", 86_400.0)?;
        s.sla.warn_secs = num(&self.sla_warn_h, "settings.sla_warn", 3600.0)?;
        let time = |text: &str| {
            NaiveTime::parse_from_str(text.trim(), "%H:%M").map_err(|_| {
                tf(
                    "settings.bad_time",
                    &[("field", t("settings.business_hours"))],
                )
            })
        };
        s.sla.calendar.enabled = self.business_enabled;
        s.sla.calendar.workdays = self.workdays;
        s.sla.calendar.start = time(&self.business_start)?;
        s.sla.calendar.end = time(&self.business_end)?;
        s.sla.validate().map_err(|e| e.user_message())?;
        Ok(s)
    }

    fn sla_ui(&mut self, ui: &mut Ui, cx: &ViewCtx<'_>) -> Vec<Command> {
        let mut commands = Vec::new();
        ui.heading(t("settings.complaints"));
        egui::Grid::new("sla_grid")
            .num_columns(2)
            .spacing([12.0, 8.0])
            .show(ui, |ui| {
                widgets::labelled_text(
                    ui,
                    t("settings.sla_first_response"),
                    &mut self.sla_first_h,
                    80.0,
                );
                ui.end_row();
                widgets::labelled_text(ui, t("settings.sla_major"), &mut self.sla_major_h, 80.0);
                ui.end_row();
                widgets::labelled_text(
                    ui,
                    t("settings.sla_ordinary"),
                    &mut self.sla_ordinary_d,
                    80.0,
                );
                ui.end_row();
                widgets::labelled_text(ui, t("settings.sla_warn"), &mut self.sla_warn_h, 80.0);
                ui.end_row();
            });
        ui.checkbox(&mut self.business_enabled, t("settings.business_hours"));
        ui.add_enabled_ui(self.business_enabled, |ui| {
            ui.horizontal(|ui| {
                for (i, key) in [
                    "settings.mon",
                    "settings.tue",
                    "settings.wed",
                    "settings.thu",
                    "settings.fri",
                    "settings.sat",
                    "settings.sun",
                ]
                .into_iter()
                .enumerate()
                {
                    ui.checkbox(&mut self.workdays[i], t(key));
                }
            });
            ui.horizontal(|ui| {
                widgets::labelled_text(
                    ui,
                    t("settings.business_start"),
                    &mut self.business_start,
                    70.0,
                );
                widgets::labelled_text(
                    ui,
                    t("settings.business_end"),
                    &mut self.business_end,
                    70.0,
                );
            });
        });
        if !self.categories_loaded {
            self.categories = cx.board.categories.join("\n");
            self.causes = cx.board.causes.join("\n");
            self.categories_loaded = true;
        }
        let l = ui.label(t("settings.categories"));
        ui.add(
            egui::TextEdit::multiline(&mut self.categories)
                .desired_rows(4)
                .desired_width(240.0),
        )
        .labelled_by(l.id);
        if ui.button(t("settings.save_categories")).clicked() {
            let names = self.categories.lines().map(str::to_owned).collect();
            commands.push(Command::Service(crate::app::ServiceCommand::SetCategories(
                names,
            )));
        }
        let l = ui.label(t("settings.causes"));
        ui.add(
            egui::TextEdit::multiline(&mut self.causes)
                .desired_rows(4)
                .desired_width(240.0),
        )
        .labelled_by(l.id);
        if ui.button(t("settings.save_causes")).clicked() {
            let names = self.causes.lines().map(str::to_owned).collect();
            commands.push(Command::Service(crate::app::ServiceCommand::SetCauses(
                names,
            )));
        }
        commands
    }

    /// Draws the screen.
    pub fn ui(&mut self, ui: &mut Ui, cx: &ViewCtx<'_>) -> Vec<Command> {
        let mut commands = Vec::new();
        ui.horizontal(|ui| {
            for (tab, key) in [
                (Tab::General, "settings.tab_general"),
                (Tab::Complaints, "settings.tab_complaints"),
                (Tab::Staff, "settings.tab_staff"),
                (Tab::Data, "settings.tab_data"),
            ] {
                ui.selectable_value(&mut self.tab, tab, t(key));
            }
        });
        ui.separator();
        egui::ScrollArea::vertical()
            .auto_shrink(false)
            .show(ui, |ui| match self.tab {
                Tab::General => commands.extend(self.general_ui(ui, cx)),
                Tab::Complaints => {
                    supervisor_hint(ui, cx);
                    ui.add_enabled_ui(cx.is_supervisor(), |ui| {
                        commands.extend(self.sla_ui(ui, cx));
                        ui.separator();
                        commands.extend(self.save_ui(ui, cx));
                    });
                }
                Tab::Staff => {
                    supervisor_hint(ui, cx);
                    ui.add_enabled_ui(cx.is_supervisor(), |ui| {
                        commands.extend(self.staff_ui(ui, cx))
                    });
                }
                Tab::Data => {
                    commands.extend(self.privacy_ui(ui, cx));
                    ui.separator();
                    data_location_ui(ui, cx);
                }
            });
        commands
    }

    fn save_ui(&mut self, ui: &mut Ui, cx: &ViewCtx<'_>) -> Vec<Command> {
        let mut commands = Vec::new();
        if ui
            .button(RichText::new(t("settings.save")).strong())
            .clicked()
        {
            match self.parsed(cx.settings) {
                Ok(s) => {
                    self.error = None;
                    commands.push(Command::SaveSettings(Box::new(s)));
                }
                Err(e) => self.error = Some(e),
            }
        }
        if let Some(e) = &self.error {
            ui.label(RichText::new(e).color(theme::OVERDUE));
        }
        commands
    }

    fn general_ui(&mut self, ui: &mut Ui, cx: &ViewCtx<'_>) -> Vec<Command> {
        let mut commands = Vec::new();
        {
            {
                ui.heading(t("settings.language"));
                ui.horizontal(|ui| {
                    for lang in Lang::ALL {
                        if ui
                            .radio(cx.settings.lang == lang, lang.native_name())
                            .clicked()
                            && cx.settings.lang != lang
                        {
                            commands.push(Command::SetLang(lang));
                        }
                    }
                });
                ui.separator();
                supervisor_hint(ui, cx);
                ui.add_enabled_ui(cx.is_supervisor(), |ui| {
                    ui.heading(t("settings.reception"));
                    egui::Grid::new("settings_grid")
                        .num_columns(2)
                        .spacing([12.0, 8.0])
                        .show(ui, |ui| {
                            widgets::labelled_text(
                                ui,
                                t("settings.company_name"),
                                &mut self.company_name,
                                240.0,
                            );
                            ui.end_row();
                            widgets::labelled_text(
                                ui,
                                t("settings.greeting_warn"),
                                &mut self.greeting_warn,
                                80.0,
                            );
                            ui.end_row();
                            widgets::labelled_text(
                                ui,
                                t("settings.greeting_limit"),
                                &mut self.greeting_limit,
                                80.0,
                            );
                            ui.end_row();
                            widgets::labelled_text(
                                ui,
                                t("settings.water_limit"),
                                &mut self.water_limit_min,
                                80.0,
                            );
                            ui.end_row();
                            widgets::labelled_text(
                                ui,
                                t("settings.wait_limit"),
                                &mut self.wait_limit_min,
                                80.0,
                            );
                            ui.end_row();
                            widgets::labelled_text(
                                ui,
                                t("settings.closing_time"),
                                &mut self.closing_time,
                                80.0,
                            );
                            ui.end_row();
                            widgets::labelled_text(
                                ui,
                                t("settings.idle_lock"),
                                &mut self.idle_lock_min,
                                80.0,
                            );
                            ui.end_row();
                        });
                    ui.separator();
                    commands.extend(self.save_ui(ui, cx));
                });
            }
        }
        commands
    }

    fn staff_ui(&mut self, ui: &mut Ui, cx: &ViewCtx<'_>) -> Vec<Command> {
        let mut commands = Vec::new();
        ui.heading(t("staff.title"));
        egui::Grid::new("staff_grid")
            .striped(true)
            .num_columns(4)
            .spacing([12.0, 6.0])
            .show(ui, |ui| {
                for key in [
                    "staff.col_name",
                    "staff.col_role",
                    "staff.col_status",
                    "staff.col_actions",
                ] {
                    ui.label(RichText::new(t(key)).strong());
                }
                ui.end_row();
                for s in cx.staff {
                    {
                        let mut stop_editing = false;
                        if let Some(edit) = self.editing.as_mut().filter(|e| e.id == s.id) {
                            let name = ui
                                .add(
                                    egui::TextEdit::singleline(&mut edit.name).desired_width(120.0),
                                )
                                .on_hover_text(t("staff.col_name"));
                            role_combo(
                                ui,
                                egui::IdSalt::new(("edit_role", s.id)),
                                &mut edit.role,
                                name.id,
                            );
                            ui.checkbox(&mut edit.active, t("staff.active"));
                            ui.horizontal(|ui| {
                                if ui.small_button(t("common.save")).clicked() {
                                    commands.push(Command::UpdateStaff(edit.clone()));
                                }
                                if ui.small_button(t("common.cancel")).clicked() {
                                    stop_editing = true;
                                }
                            });
                        } else {
                            ui.label(&s.name);
                            ui.label(t(s.role.label_key()));
                            ui.label(if s.active {
                                t("staff.active")
                            } else {
                                t("staff.inactive")
                            });
                            ui.horizontal(|ui| {
                                if ui.small_button(t("common.edit")).clicked() {
                                    self.editing = Some(s.clone());
                                }
                                let toggle = if s.active {
                                    t("staff.deactivate")
                                } else {
                                    t("staff.activate")
                                };
                                if ui.small_button(toggle).clicked() {
                                    commands.push(Command::UpdateStaff(Staff {
                                        active: !s.active,
                                        ..s.clone()
                                    }));
                                }
                            });
                        }
                        if stop_editing {
                            self.editing = None;
                        }
                    }
                    ui.end_row();
                }
            });
        ui.horizontal(|ui| {
            widgets::labelled_text(ui, t("staff.new_name"), &mut self.new_staff_name, 140.0);
            let mut role = self.new_staff_role.unwrap_or(Role::ServiceRep);
            let label = ui.label(t("staff.col_role"));
            role_combo(ui, egui::IdSalt::new("new_role"), &mut role, label.id);
            self.new_staff_role = Some(role);
            if ui.button(t("staff.add")).clicked() {
                commands.push(Command::AddStaff {
                    name: self.new_staff_name.clone(),
                    role,
                });
            }
        });
        commands
    }
}

fn role_combo(ui: &mut Ui, id: egui::IdSalt, role: &mut Role, labelled_by: egui::Id) {
    egui::ComboBox::from_id_salt(id)
        .selected_text(t(role.label_key()))
        .show_ui(ui, |ui| {
            for r in Role::ALL {
                ui.selectable_value(role, r, t(r.label_key()));
            }
        })
        .response
        .labelled_by(labelled_by);
}

fn hours(secs: i64) -> String {
    trim_number(secs as f64 / 3600.0)
}

fn days(secs: i64) -> String {
    trim_number(secs as f64 / 86_400.0)
}

fn trim_number(x: f64) -> String {
    let s = format!("{x:.2}");
    s.trim_end_matches('0').trim_end_matches('.').to_owned()
}

impl SettingsView {
    fn privacy_ui(&mut self, ui: &mut Ui, cx: &ViewCtx<'_>) -> Vec<Command> {
        let mut commands = Vec::new();
        ui.heading(t("settings.privacy"));
        let l = ui.label(t("settings.privacy_notice"));
        ui.add_enabled(
            cx.is_supervisor(),
            egui::TextEdit::multiline(&mut self.privacy_notice)
                .desired_rows(3)
                .desired_width(500.0),
        )
        .labelled_by(l.id);
        if cx.is_supervisor() {
            commands.extend(self.save_ui(ui, cx));
        }
        let admin = cx
            .actor
            .require(crate::domain::account::Action::ManageAccounts)
            .is_ok();
        ui.add_enabled_ui(admin, |ui| {
            ui.horizontal(|ui| {
                widgets::labelled_text(
                    ui,
                    t("settings.retention_personal"),
                    &mut self.retention_personal,
                    60.0,
                );
                widgets::labelled_text(
                    ui,
                    t("settings.retention_calls"),
                    &mut self.retention_calls,
                    60.0,
                );
                if ui.button(t("settings.save_retention")).clicked() {
                    match (
                        self.retention_personal.trim().parse(),
                        self.retention_calls.trim().parse(),
                    ) {
                        (Ok(personal_days), Ok(call_days)) => {
                            commands.push(Command::SetRetention(crate::store::privacy::Retention {
                                personal_days,
                                call_days,
                            }))
                        }
                        _ => {
                            self.error = Some(tf(
                                "settings.not_a_number",
                                &[("field", t("settings.retention"))],
                            ))
                        }
                    }
                }
            });
        });
        if !admin {
            ui.label(RichText::new(t("settings.need_admin")).color(theme::WARN));
        }
        ui.separator();
        commands
    }
}

/// Tells the desk that changing these settings needs a supervisor login.
fn supervisor_hint(ui: &mut Ui, cx: &ViewCtx<'_>) {
    if !cx.is_supervisor() {
        ui.label(RichText::new(t("settings.need_supervisor")).color(theme::WARN));
    }
}

/// Where the database and the backups are, which configuration files were read, and where each
/// choice came from (the command line, a configuration file and its line, or the default).
fn data_location_ui(ui: &mut Ui, cx: &ViewCtx<'_>) {
    ui.heading(t("settings.location_title"));
    let config = cx.config;
    egui::Grid::new("data_location_grid")
        .num_columns(2)
        .spacing([12.0, 6.0])
        .show(ui, |ui| {
            for (label, value) in [
                ("settings.db_path", &config.database),
                ("settings.backup_folder", &config.backup_folder),
            ] {
                ui.label(t(label));
                ui.vertical(|ui| {
                    ui.label(RichText::new(value.value.display().to_string()).monospace());
                    ui.label(RichText::new(value.source.describe()).color(theme::MUTED));
                });
                ui.end_row();
            }
            for file in &config.files {
                ui.label(t(match file.scope {
                    crate::config::Scope::Machine => "settings.machine_config",
                    crate::config::Scope::User => "settings.user_config",
                }));
                let state = t(if file.present {
                    "settings.config_read"
                } else {
                    "settings.config_absent"
                });
                ui.label(RichText::new(format!("{}  ({state})", file.path.display())).monospace());
                ui.end_row();
            }
        });
    ui.label(RichText::new(t("settings.db_hint")).color(theme::MUTED));
}
