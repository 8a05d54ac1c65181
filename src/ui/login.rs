//! Supervisor login (and, on first use, creating the admin account).

use egui::{RichText, Ui};

use super::{theme, widgets};
use crate::app::{Command, ViewCtx};
use crate::i18n::t;

/// The login dialog.
#[derive(Clone, Debug, Default)]
pub struct LoginView {
    /// Whether the dialog is open.
    pub open: bool,
    username: String,
    display_name: String,
    password: String,
    confirm: String,
    error: Option<String>,
    focused: bool,
}

impl LoginView {
    /// Opens the dialog.
    pub fn open(&mut self) {
        *self = Self {
            open: true,
            ..Self::default()
        };
    }

    /// Closes the dialog after a successful login.
    pub fn on_applied(&mut self, cmd: &Command) {
        if matches!(
            cmd,
            Command::Login { .. } | Command::CreateFirstAdmin { .. }
        ) {
            *self = Self::default();
        }
    }

    /// Keeps the typed name, clears the password after a failed attempt.
    pub fn on_failed(&mut self, cmd: &Command) {
        if matches!(cmd, Command::Login { .. }) {
            self.password.clear();
        }
    }

    /// Draws the dialog when open.
    pub fn ui(&mut self, ui: &mut Ui, cx: &ViewCtx<'_>) -> Vec<Command> {
        let mut commands = Vec::new();
        if !self.open {
            return commands;
        }
        let first = !cx.has_accounts;
        let title = if first {
            t("login.first_title")
        } else {
            t("login.title")
        };
        let mut close = widgets::escape_pressed(ui);
        egui::Window::new(title)
            .collapsible(false)
            .resizable(false)
            .anchor(egui::Align2::CENTER_CENTER, [0.0, 0.0])
            .show(ui.ctx(), |ui| {
                if first {
                    ui.label(RichText::new(t("login.first_hint")).color(theme::MUTED));
                }
                let user =
                    widgets::labelled_text(ui, t("login.username"), &mut self.username, 200.0);
                widgets::focus_once(ui, &user, &mut self.focused);
                if first {
                    widgets::labelled_text(
                        ui,
                        t("login.display_name"),
                        &mut self.display_name,
                        200.0,
                    );
                }
                let l = ui.label(t("login.password"));
                ui.add(
                    egui::TextEdit::singleline(&mut self.password)
                        .password(true)
                        .desired_width(200.0),
                )
                .labelled_by(l.id);
                if first {
                    let l = ui.label(t("login.confirm"));
                    ui.add(
                        egui::TextEdit::singleline(&mut self.confirm)
                            .password(true)
                            .desired_width(200.0),
                    )
                    .labelled_by(l.id);
                }
                if let Some(e) = &self.error {
                    ui.label(RichText::new(e).color(theme::OVERDUE));
                }
                ui.horizontal(|ui| {
                    let label = if first {
                        t("login.create_admin")
                    } else {
                        t("login.submit")
                    };
                    if ui.button(RichText::new(label).strong()).clicked()
                        || widgets::enter_pressed(ui)
                    {
                        if first {
                            if self.password == self.confirm {
                                self.error = None;
                                commands.push(Command::CreateFirstAdmin {
                                    username: self.username.clone(),
                                    display_name: self.display_name.clone(),
                                    password: self.password.clone(),
                                });
                            } else {
                                self.error = Some(t("login.mismatch").to_owned());
                            }
                        } else {
                            commands.push(Command::Login {
                                username: self.username.clone(),
                                password: self.password.clone(),
                            });
                        }
                    }
                    if ui.button(t("common.cancel")).clicked() {
                        close = true;
                    }
                });
            });
        if close {
            *self = Self::default();
        }
        commands
    }
}
