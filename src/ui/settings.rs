//! 设置: language, company, reception limits, staff, where the data lives, backups and restores.

use std::path::{Path, PathBuf};

use chrono::{NaiveDateTime, NaiveTime};
use egui::{RichText, Ui};

use super::{theme, widgets};
use crate::app::backups::{CountSource, JobKind, JobStatus};
use crate::app::{BackupCommand, Command, ViewCtx};
use crate::domain::account::Action;
use crate::domain::staff::{Role, Staff};
use crate::domain::{DISPLAY_FORMAT, money};
use crate::i18n::{Lang, t, tf};
use crate::store::backup::{self, BackupInfo, Counts, Rotation};
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
    target_satisfaction: String,
    target_rate: String,
    settle_days: String,
    settle_warn_days: String,
    departments: String,
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
    backup: BackupSection,
    /// On a server, for supervisors: the desks connected now; `None` until loaded.
    desks: Option<Vec<crate::store::DeskSession>>,
    shift_start: String,
    /// Public holidays, one day per line.
    holidays: String,
    /// Make-up working days, one day per line.
    makeup_workdays: String,
}

/// Backups listed per page in the data tab.
const BACKUPS_PER_PAGE: usize = 10;

/// The backup part of the data tab: the folder listing, the count drafts, the restore being
/// prepared. Filled by the app (`backups_to_list`/`set_backups`, `inspect_to_load`/
/// `set_inspected`), so the screen never reads a file.
#[derive(Clone, Debug, Default)]
struct BackupSection {
    /// The backups in the folder, newest first; `None` until listed.
    listing: Option<Vec<BackupInfo>>,
    list_requested: bool,
    page: usize,
    /// How the last backup started here ended.
    note: Option<Result<String, String>>,
    /// Drafts of the rotation counts saved in the settings.
    keep: [String; 4],
    keep_loaded: bool,
    keep_error: Option<String>,
    /// The backup chosen for a restore, its check and record counts.
    selected: Option<PathBuf>,
    /// When and why the chosen backup was made (from its name; `None` for another file).
    selected_made: Option<(NaiveDateTime, backup::Kind)>,
    details: Option<(PathBuf, Result<Counts, String>)>,
    inspect_requested: bool,
    /// The confirmation dialog, while open.
    confirm: Option<ConfirmRestore>,
    /// How the last restore ended.
    restore_note: Option<String>,
}

/// The dialog that confirms a restore; it stays open (with the error) when the restore fails.
#[derive(Clone, Debug)]
struct ConfirmRestore {
    from: PathBuf,
    made: Option<(NaiveDateTime, backup::Kind)>,
    error: Option<String>,
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
            shift_start: s.shift_start.format("%H:%M").to_string(),
            holidays: crate::domain::attendance::format_days(&s.days_off.holidays),
            makeup_workdays: crate::domain::attendance::format_days(&s.days_off.makeup_workdays),
            idle_lock_min: (s.idle_lock_secs / 60).to_string(),
            sla_first_h: hours(s.sla.first_response_secs),
            sla_major_h: hours(s.sla.major_resolution_secs),
            sla_ordinary_d: days(s.sla.ordinary_resolution_secs),
            sla_warn_h: hours(s.sla.warn_secs),
            target_satisfaction: money::format_percent(s.targets.satisfaction_bp),
            target_rate: money::format_percent(s.targets.complaint_rate_bp),
            settle_days: s.settle.days.to_string(),
            settle_warn_days: s.settle.warn_days.to_string(),
            departments: s.departments.join("\n"),
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
            backup: BackupSection::default(),
            desks: None,
        }
    }

    /// Reacts to a saved command: clears the staff drafts, refreshes drafts after a save.
    pub fn on_applied(&mut self, cmd: &Command, settings: &Settings) {
        match cmd {
            Command::AddStaff { .. } => self.new_staff_name.clear(),
            Command::UpdateStaff(_) => self.editing = None,
            Command::SaveSettings(_) => self.reload_drafts(settings),
            Command::Backup(BackupCommand::SetRotation(_)) => {
                self.backup.keep_loaded = false;
                self.backup.keep_error = None;
            }
            _ => {}
        }
    }

    /// Reacts to a command that failed: a restore refused at once keeps its dialog open and
    /// says why there too.
    pub fn on_failed(&mut self, cmd: &Command, message: &str) {
        if let Command::Backup(BackupCommand::Restore(_)) = cmd
            && let Some(c) = &mut self.backup.confirm
        {
            c.error = Some(message.to_owned());
        }
    }

    /// Drafts filled again from `settings`, keeping the tab and the backup section.
    fn reload_drafts(&mut self, settings: &Settings) {
        let tab = self.tab;
        let backup = std::mem::take(&mut self.backup);
        *self = Self::new(settings);
        self.tab = tab;
        self.backup = backup;
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
        s.shift_start = NaiveTime::parse_from_str(self.shift_start.trim(), "%H:%M")
            .map_err(|_| tf("settings.bad_time", &[("field", t("settings.shift_start"))]))?;
        let days = |text: &str, key: &str| {
            crate::domain::attendance::parse_days(text)
                .map_err(|line| tf("settings.bad_day", &[("field", t(key)), ("value", &line)]))
        };
        s.days_off.holidays = days(&self.holidays, "settings.holidays")?;
        s.days_off.makeup_workdays = days(&self.makeup_workdays, "settings.makeup_workdays")?;
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
        s.targets.satisfaction_bp =
            money::parse_percent(&self.target_satisfaction, "settings.target_satisfaction")
                .map_err(|e| e.user_message())?;
        s.targets.complaint_rate_bp =
            money::parse_percent(&self.target_rate, "settings.target_rate")
                .map_err(|e| e.user_message())?;
        s.settle.days = num(&self.settle_days, "settings.claim_settle_days", 1.0)?;
        s.settle.warn_days = num(&self.settle_warn_days, "settings.claim_warn_days", 1.0)?;
        s.settle.validate().map_err(|e| e.user_message())?;
        s.departments = self.departments.lines().map(str::to_owned).collect();
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
                widgets::labelled_text(
                    ui,
                    t("settings.target_satisfaction"),
                    &mut self.target_satisfaction,
                    80.0,
                );
                ui.end_row();
                widgets::labelled_text(ui, t("settings.target_rate"), &mut self.target_rate, 80.0);
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
        ui.horizontal(|ui| {
            widgets::labelled_text(
                ui,
                t("settings.claim_settle_days"),
                &mut self.settle_days,
                50.0,
            );
            widgets::labelled_text(
                ui,
                t("settings.claim_warn_days"),
                &mut self.settle_warn_days,
                50.0,
            );
        });
        let l = ui.label(t("settings.departments"));
        ui.add(
            egui::TextEdit::multiline(&mut self.departments)
                .desired_rows(4)
                .desired_width(240.0),
        )
        .labelled_by(l.id);
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
                    data_location_ui(ui, cx);
                    ui.separator();
                    if cx.config.on_server() {
                        server_clock_ui(ui, cx);
                        ui.separator();
                        ui.heading(t("backup.title"));
                        ui.label(t("settings.server_backups"));
                        ui.separator();
                        self.desks_ui(ui, cx);
                    } else {
                        commands.extend(self.backups_ui(ui, cx));
                    }
                    ui.separator();
                    commands.extend(self.privacy_ui(ui, cx));
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
                                t("settings.shift_start"),
                                &mut self.shift_start,
                                80.0,
                            );
                            ui.end_row();
                            for (key, text) in [
                                ("settings.holidays", &mut self.holidays),
                                ("settings.makeup_workdays", &mut self.makeup_workdays),
                            ] {
                                let l = ui.label(t(key));
                                ui.add(
                                    egui::TextEdit::multiline(text)
                                        .desired_rows(2)
                                        .desired_width(120.0)
                                        .hint_text("2026-10-01"),
                                )
                                .labelled_by(l.id);
                                ui.end_row();
                            }
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
        // Room for every role (fourteen) without a scroll bar.
        .height(400.0)
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
            let server = config.on_server();
            let rows = [
                ("settings.db_path", &config.database),
                ("settings.backup_folder", &config.backup_folder),
            ];
            // A server has no backup folder of FrontDesk's.
            for (label, value) in rows.into_iter().take(if server { 1 } else { 2 }) {
                ui.label(t(label));
                ui.vertical(|ui| {
                    ui.label(RichText::new(value.shown()).monospace());
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

/// The translation keys of the rotation counts, in the order of [`backup::ROTATION_KEYS`].
const KEEP_LABELS: [&str; 4] = [
    "backup.keep_recent",
    "backup.keep_daily",
    "backup.keep_weekly",
    "backup.keep_monthly",
];

fn file_name(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

fn megabytes(bytes: u64) -> String {
    format!("{:.1} MB", bytes as f64 / (1024.0 * 1024.0))
}

/// When and why a backup was made, as shown ("—" for other files).
fn made_and_kind(made: Option<(NaiveDateTime, backup::Kind)>) -> (String, String) {
    made.map_or_else(
        || ("—".to_owned(), "—".to_owned()),
        |(at, kind)| {
            (
                at.format(DISPLAY_FORMAT).to_string(),
                t(kind.label_key()).to_owned(),
            )
        },
    )
}

/// On a server: this desk's name and how its clock compares with the server's.
fn server_clock_ui(ui: &mut Ui, cx: &ViewCtx<'_>) {
    ui.label(tf("settings.this_desk", &[("desk", cx.desk)]));
    let text = match cx.clock_offset {
        None => t("settings.server_clock_unknown").to_owned(),
        Some(offset) => crate::app::clock_note(Some(offset), 1)
            .unwrap_or_else(|| t("settings.server_clock_same").to_owned()),
    };
    ui.label(text);
}

impl SettingsView {
    /// Whether the data tab wants the list of connected desks (on a server, for supervisors).
    pub fn desks_to_load(&self) -> bool {
        self.tab == Tab::Data && self.desks.is_none()
    }

    /// The desks connected to the server.
    pub fn set_desks(&mut self, desks: Vec<crate::store::DeskSession>) {
        self.desks = Some(desks);
    }

    /// The desks connected to the server now: PC, who is signed in, since when.
    fn desks_ui(&mut self, ui: &mut Ui, cx: &ViewCtx<'_>) {
        ui.heading(t("settings.desks_title"));
        if !cx.is_supervisor() {
            ui.label(RichText::new(t("settings.desks_need_supervisor")).color(theme::WARN));
            return;
        }
        let Some(desks) = &self.desks else {
            ui.label(t("settings.desks_loading"));
            return;
        };
        egui::Grid::new("desks_grid")
            .num_columns(3)
            .striped(true)
            .spacing([16.0, 4.0])
            .show(ui, |ui| {
                ui.strong(t("settings.desk_pc"));
                ui.strong(t("settings.desk_account"));
                ui.strong(t("settings.desk_since"));
                ui.end_row();
                for d in desks {
                    ui.label(&d.pc);
                    ui.label(if d.account.is_empty() {
                        t("settings.desk_no_login").to_owned()
                    } else {
                        d.account.clone()
                    });
                    ui.label(
                        d.since
                            .map(|at| at.format(DISPLAY_FORMAT).to_string())
                            .unwrap_or_default(),
                    );
                    ui.end_row();
                }
            });
        if ui.button(t("settings.desks_refresh")).clicked() {
            self.desks = None;
        }
    }

    /// Whether the data tab needs the backup folder listed (asked once until it is filled).
    pub fn backups_to_list(&mut self) -> bool {
        let b = &mut self.backup;
        if self.tab != Tab::Data || b.listing.is_some() || b.list_requested {
            return false;
        }
        b.list_requested = true;
        true
    }

    /// The backups in the folder, newest first.
    pub fn set_backups(&mut self, list: Vec<BackupInfo>) {
        let b = &mut self.backup;
        b.page = b.page.min(list.len().saturating_sub(1) / BACKUPS_PER_PAGE);
        b.listing = Some(list);
        b.list_requested = false;
    }

    /// The folder changed (a backup was made): list it again.
    pub fn backups_changed(&mut self) {
        self.backup.listing = None;
        self.backup.list_requested = false;
    }

    /// The backup to check and count before a restore, once, when one is chosen.
    pub fn inspect_to_load(&mut self) -> Option<PathBuf> {
        let b = &mut self.backup;
        let selected = b.selected.as_ref()?;
        if b.inspect_requested || b.details.as_ref().is_some_and(|(p, _)| p == selected) {
            return None;
        }
        b.inspect_requested = true;
        Some(selected.clone())
    }

    /// The check of `path`: its record counts, or why it cannot be used.
    pub fn set_inspected(&mut self, path: PathBuf, result: Result<Counts, String>) {
        let b = &mut self.backup;
        if b.selected.as_ref() == Some(&path) {
            b.details = Some((path, result));
            b.inspect_requested = false;
        }
    }

    /// Chooses a backup file for a restore (from the list or the file dialog), with when and why
    /// it was made as its name says (`None` for another file).
    pub fn select_backup(&mut self, path: PathBuf, made: Option<(NaiveDateTime, backup::Kind)>) {
        let b = &mut self.backup;
        if b.selected.as_ref() != Some(&path) {
            b.details = None;
            b.inspect_requested = false;
        }
        b.selected = Some(path);
        b.selected_made = made;
        b.restore_note = None;
    }

    /// A backup started with the button ended: the message, and the folder listed again.
    pub fn on_backup_finished(&mut self, shown: Result<String, String>) {
        self.backup.note = Some(shown);
        self.backups_changed();
    }

    /// A restore ended. On success the dialog closes and the drafts are filled from the
    /// restored settings; on failure it stays open with the error.
    pub fn on_restore_finished(&mut self, shown: Result<String, String>, settings: &Settings) {
        match shown {
            Ok(text) => {
                self.reload_drafts(settings);
                let b = &mut self.backup;
                b.confirm = None;
                b.restore_note = Some(text);
                b.keep_loaded = false;
                self.backups_changed();
            }
            Err(text) => match &mut self.backup.confirm {
                Some(c) => c.error = Some(text),
                None => self.backup.restore_note = Some(text),
            },
        }
    }

    /// The backup button with its progress, the list of backups, the rotation, and (admins)
    /// the restore.
    fn backups_ui(&mut self, ui: &mut Ui, cx: &ViewCtx<'_>) -> Vec<Command> {
        let mut commands = Vec::new();
        let admin = cx.actor.require(Action::RestoreBackup).is_ok();
        ui.heading(t("backup.title"));
        let job = cx.backups.job;
        ui.horizontal(|ui| {
            let button = egui::Button::new(RichText::new(t("backup.now")).strong());
            if ui.add_enabled(job.is_none(), button).clicked() {
                self.backup.note = None;
                commands.push(Command::Backup(BackupCommand::BackupNow));
            }
            if let Some(job) = job.filter(|j| j.kind != JobKind::Restore) {
                progress_ui(ui, job.kind, job.progress);
                stop_ui(ui, job, &mut commands);
            }
        });
        match &self.backup.note {
            Some(Ok(text)) => {
                ui.label(RichText::new(text).color(theme::OK));
            }
            Some(Err(text)) => {
                ui.add(egui::Label::new(RichText::new(text).color(theme::OVERDUE)).wrap());
            }
            None => {}
        }
        let mut auto = tf(
            "backup.auto_hint",
            &[("minutes", &backup::AUTOMATIC_INTERVAL_MINUTES.to_string())],
        );
        if let Some(at) = cx.backups.last_automatic {
            auto.push_str(&tf(
                "backup.last_automatic",
                &[("at", &at.format(DISPLAY_FORMAT).to_string())],
            ));
        }
        ui.label(RichText::new(auto).color(theme::MUTED));
        ui.add_space(6.0);
        self.backup_list_ui(ui, admin);
        ui.add_space(6.0);
        commands.extend(self.rotation_ui(ui, cx, admin));
        if admin {
            ui.separator();
            commands.extend(self.restore_ui(ui, cx));
        }
        commands
    }

    /// The backups in the folder, newest first, a page at a time; admins pick one to restore by
    /// its time.
    fn backup_list_ui(&mut self, ui: &mut Ui, admin: bool) {
        let b = &mut self.backup;
        ui.label(RichText::new(t("backup.list_title")).strong());
        let Some(list) = &b.listing else {
            ui.label(RichText::new(t("backup.listing")).color(theme::MUTED));
            return;
        };
        if list.is_empty() {
            ui.label(RichText::new(t("backup.none")).color(theme::MUTED));
            return;
        }
        let total = i64::try_from(list.len()).unwrap_or(i64::MAX);
        let per_page = i64::try_from(BACKUPS_PER_PAGE).unwrap_or(10);
        let count = tf("backup.count", &[("n", &list.len().to_string())]);
        if list.len() > BACKUPS_PER_PAGE {
            let mut page = i64::try_from(b.page).unwrap_or(0);
            widgets::pager(ui, count, &mut page, total, per_page);
            b.page = usize::try_from(page).unwrap_or(0);
        } else {
            ui.label(count);
        }
        let mut picked = None;
        egui::Grid::new("backup_list_grid")
            .striped(true)
            .num_columns(4)
            .spacing([16.0, 4.0])
            .show(ui, |ui| {
                for key in [
                    "backup.col_time",
                    "backup.col_kind",
                    "backup.col_size",
                    "backup.col_file",
                ] {
                    ui.label(RichText::new(t(key)).strong());
                }
                ui.end_row();
                for info in list
                    .iter()
                    .skip(b.page * BACKUPS_PER_PAGE)
                    .take(BACKUPS_PER_PAGE)
                {
                    ui.push_id(&info.path, |ui| {
                        let time = info.made_at.format(DISPLAY_FORMAT).to_string();
                        if admin {
                            let chosen = b.selected.as_ref() == Some(&info.path);
                            if ui
                                .selectable_label(chosen, time)
                                .on_hover_text(t("backup.pick_hint"))
                                .clicked()
                            {
                                picked = Some((info.path.clone(), (info.made_at, info.kind)));
                            }
                        } else {
                            ui.label(time);
                        }
                    });
                    ui.label(t(info.kind.label_key()));
                    ui.label(megabytes(info.bytes));
                    ui.label(
                        RichText::new(file_name(&info.path))
                            .monospace()
                            .color(theme::MUTED),
                    );
                    ui.end_row();
                }
            });
        if let Some((path, made)) = picked {
            self.select_backup(path, Some(made));
        }
    }

    /// The rotation counts in force and where each comes from; admins change the ones not set
    /// in a configuration file.
    fn rotation_ui(&mut self, ui: &mut Ui, cx: &ViewCtx<'_>, admin: bool) -> Vec<Command> {
        let mut commands = Vec::new();
        let b = &mut self.backup;
        let counts = &cx.backups.counts;
        if !b.keep_loaded {
            b.keep = counts.clone().map(|c| c.saved.to_string());
            b.keep_loaded = true;
        }
        ui.label(RichText::new(t("settings.backup_keep")).strong());
        egui::Grid::new("backup_keep_grid")
            .num_columns(3)
            .spacing([12.0, 4.0])
            .show(ui, |ui| {
                for (i, count) in counts.iter().enumerate() {
                    let label = ui.label(t(KEEP_LABELS[i]));
                    let source = match &count.source {
                        CountSource::Config(source) => {
                            ui.label(RichText::new(count.value.to_string()).strong());
                            tf("backup.keep_from_config", &[("source", &source.describe())])
                        }
                        other => {
                            if admin {
                                ui.add(
                                    egui::TextEdit::singleline(&mut b.keep[i]).desired_width(60.0),
                                )
                                .labelled_by(label.id);
                            } else {
                                ui.label(RichText::new(count.value.to_string()).strong());
                            }
                            t(if *other == CountSource::Settings {
                                "backup.keep_from_settings"
                            } else {
                                "backup.keep_default"
                            })
                            .to_owned()
                        }
                    };
                    ui.label(RichText::new(source).color(theme::MUTED));
                    ui.end_row();
                }
            });
        let editable = counts
            .iter()
            .any(|c| !matches!(c.source, CountSource::Config(_)));
        if admin && editable {
            if ui.button(t("backup.save_keep")).clicked() {
                match parse_counts(&b.keep, counts) {
                    Ok(r) => {
                        b.keep_error = None;
                        commands.push(Command::Backup(BackupCommand::SetRotation(r)));
                    }
                    Err(e) => b.keep_error = Some(e),
                }
            }
            if let Some(e) = &b.keep_error {
                ui.label(RichText::new(e).color(theme::OVERDUE));
            }
        } else if !admin {
            ui.label(RichText::new(t("settings.need_admin")).color(theme::WARN));
        }
        commands
    }

    /// The restore (admins): the chosen backup, its check and counts, the button that opens the
    /// confirmation.
    fn restore_ui(&mut self, ui: &mut Ui, cx: &ViewCtx<'_>) -> Vec<Command> {
        let mut commands = Vec::new();
        ui.heading(t("backup.restore_title"));
        ui.label(RichText::new(t("backup.restore_hint")).color(theme::MUTED));
        if ui.button(t("backup.pick_other")).clicked() {
            commands.push(Command::Backup(BackupCommand::PickFile));
        }
        let b = &mut self.backup;
        if let Some(selected) = b.selected.clone() {
            let (made, kind) = made_and_kind(b.selected_made);
            let details = b.details.as_ref().filter(|(p, _)| *p == selected);
            egui::Grid::new("restore_grid")
                .num_columns(2)
                .spacing([12.0, 4.0])
                .show(ui, |ui| {
                    ui.label(t("backup.selected"));
                    ui.label(RichText::new(selected.display().to_string()).monospace());
                    ui.end_row();
                    ui.label(t("backup.made_at"));
                    ui.label(made);
                    ui.end_row();
                    ui.label(t("backup.kind"));
                    ui.label(kind);
                    ui.end_row();
                    ui.label(t("backup.check"));
                    match details.map(|(_, r)| r) {
                        None => ui.label(RichText::new(t("backup.checking")).color(theme::MUTED)),
                        Some(Ok(c)) => ui.label(RichText::new(counts_text(c)).color(theme::OK)),
                        Some(Err(e)) => {
                            ui.add(egui::Label::new(RichText::new(e).color(theme::OVERDUE)).wrap())
                        }
                    };
                    ui.end_row();
                });
            let usable = details.is_some_and(|(_, r)| r.is_ok());
            if ui
                .add_enabled(
                    usable && cx.backups.job.is_none(),
                    egui::Button::new(RichText::new(t("backup.restore_open")).strong()),
                )
                .clicked()
            {
                b.confirm = Some(ConfirmRestore {
                    from: selected,
                    made: b.selected_made,
                    error: None,
                });
            }
        }
        if let Some(note) = &b.restore_note {
            ui.add(egui::Label::new(RichText::new(note).color(theme::OK)).wrap());
        }
        commands.extend(self.confirm_restore_ui(ui, cx));
        commands
    }

    /// The confirmation of a restore: what will be replaced and that a pre-restore copy is
    /// kept; the progress while it runs; the error if it failed.
    fn confirm_restore_ui(&mut self, ui: &mut Ui, cx: &ViewCtx<'_>) -> Vec<Command> {
        let mut commands = Vec::new();
        let Some(c) = &mut self.backup.confirm else {
            return commands;
        };
        let restoring = cx.backups.job.filter(|j| j.kind == JobKind::Restore);
        let mut close = widgets::escape_pressed(ui) && restoring.is_none();
        egui::Window::new(t("backup.confirm_title"))
            .id(egui::Id::unique("confirm_restore_dialog"))
            .collapsible(false)
            .resizable(false)
            .anchor(egui::Align2::CENTER_CENTER, [0.0, 0.0])
            .show(ui.ctx(), |ui| {
                ui.set_max_width(520.0);
                let (made, _) = made_and_kind(c.made);
                ui.add(
                    egui::Label::new(
                        RichText::new(tf(
                            "backup.confirm_text",
                            &[("file", &file_name(&c.from)), ("time", &made)],
                        ))
                        .color(theme::OVERDUE),
                    )
                    .wrap(),
                );
                ui.add(egui::Label::new(t("backup.confirm_pre_restore")).wrap());
                if let Some(job) = restoring {
                    progress_ui(ui, job.kind, job.progress);
                }
                if let Some(e) = &c.error {
                    ui.add(egui::Label::new(RichText::new(e).color(theme::OVERDUE)).wrap());
                }
                ui.horizontal(|ui| {
                    let confirm = egui::Button::new(RichText::new(t("backup.confirm")).strong());
                    if ui.add_enabled(cx.backups.job.is_none(), confirm).clicked() {
                        c.error = None;
                        commands.push(Command::Backup(BackupCommand::Restore(c.from.clone())));
                    }
                    if ui
                        .add_enabled(restoring.is_none(), egui::Button::new(t("common.cancel")))
                        .clicked()
                    {
                        close = true;
                    }
                });
            });
        if close {
            self.backup.confirm = None;
        }
        commands
    }
}

/// A progress bar for a backup or restore.
fn progress_ui(ui: &mut Ui, kind: JobKind, progress: backup::Progress) {
    let (fraction, text) = job_text(kind, progress, false);
    ui.add(
        egui::ProgressBar::new(fraction)
            .desired_width(260.0)
            .text(text),
    );
}

/// How far a backup job is, and what it is with its percentage (`short`: the top bar's few
/// words).
pub(crate) fn job_text(kind: JobKind, progress: backup::Progress, short: bool) -> (f32, String) {
    let fraction = if progress.total == 0 {
        0.0
    } else {
        progress.fraction()
    };
    let key = match (kind, short) {
        (JobKind::Automatic, false) => "backup.running_automatic",
        (JobKind::Automatic, true) => "backup.short_automatic",
        (JobKind::Manual, false) => "backup.running",
        (JobKind::Manual, true) => "backup.short_manual",
        (JobKind::Restore, _) => "backup.restoring_progress",
        (JobKind::Purge, false) => "backup.purging",
        (JobKind::Purge, true) => "backup.short_purging",
    };
    let percent = format!("{:.0}", fraction * 100.0);
    (fraction, tf(key, &[("percent", &percent)]))
}

/// The stop button of a running job that may be stopped ("正在停止…" once asked).
pub(crate) fn stop_ui(ui: &mut Ui, job: JobStatus, commands: &mut Vec<Command>) {
    if !job.stoppable {
        return;
    }
    if job.stopping {
        ui.label(RichText::new(t("backup.stopping")).color(theme::MUTED));
    } else if ui.button(t("backup.stop")).clicked() {
        commands.push(Command::Backup(BackupCommand::Stop));
    }
}

/// The record counts of a checked backup.
fn counts_text(c: &Counts) -> String {
    let mut text = tf(
        "backup.counts",
        &[
            ("visits", &c.visits.to_string()),
            ("calls", &c.calls.to_string()),
            ("complaints", &c.complaints.to_string()),
            ("claims", &c.claims.to_string()),
            ("customers", &c.customers.to_string()),
            ("inspections", &c.inspections.to_string()),
        ],
    );
    if let Some(newest) = &c.newest_record {
        text.push_str(&tf("backup.newest_record", &[("at", newest)]));
    }
    text
}

/// The rotation typed by an admin: each editable count a whole number within 0…1000; counts set
/// in a configuration file keep the value saved in the settings.
fn parse_counts(
    drafts: &[String; 4],
    counts: &[crate::app::backups::RotationCount; 4],
) -> Result<Rotation, String> {
    let mut out = [0u32; 4];
    for (i, c) in counts.iter().enumerate() {
        out[i] = if matches!(c.source, CountSource::Config(_)) {
            c.saved
        } else {
            drafts[i]
                .trim()
                .parse::<u32>()
                .ok()
                .filter(|n| *n <= backup::MAX_KEEP)
                .ok_or_else(|| {
                    tf(
                        "backup.keep_invalid",
                        &[
                            ("field", t(KEEP_LABELS[i])),
                            ("max", &backup::MAX_KEEP.to_string()),
                        ],
                    )
                })?
        };
    }
    Ok(Rotation::from_counts(out))
}
