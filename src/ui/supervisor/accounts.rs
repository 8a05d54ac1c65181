//! The accounts tab (admins): accounts, roles, locks and password resets.

use egui::{RichText, Ui};

use super::*;
use crate::app::{Command, SupervisorCommand, ViewCtx};
use crate::domain::DISPLAY_FORMAT;
use crate::domain::account::{AccountRole, is_locked};
use crate::i18n::{t, tf};
use crate::store::accounts::Account;
use crate::ui::{theme, widgets};

impl SupervisorView {
    pub(super) fn accounts_ui(&mut self, ui: &mut Ui, cx: &ViewCtx<'_>) -> Vec<Command> {
        let mut commands = Vec::new();
        egui::Grid::new("accounts")
            .striped(true)
            .num_columns(6)
            .spacing([10.0, 4.0])
            .show(ui, |ui| {
                for key in [
                    "sup.account_col_login",
                    "sup.account_col_name",
                    "sup.account_col_role",
                    "sup.account_col_status",
                    "sup.account_col_failures",
                    "history.col_actions",
                ] {
                    ui.label(RichText::new(t(key)).strong());
                }
                ui.end_row();
                for a in &self.accounts {
                    ui.label(&a.username);
                    ui.label(&a.display_name);
                    ui.label(t(a.role.label_key()));
                    account_status_ui(ui, a, cx.now);
                    if a.failed_logins > 0 {
                        let last = a
                            .last_failed_at
                            .map(|at| at.format(DISPLAY_FORMAT).to_string())
                            .unwrap_or_default();
                        ui.label(tf(
                            "sup.account_failures",
                            &[("n", &a.failed_logins.to_string()), ("at", &last)],
                        ));
                    } else {
                        ui.label("—");
                    }
                    ui.horizontal(|ui| {
                        if ui.small_button(t("sup.reset_password")).clicked() {
                            self.reset = Some(ResetPasswordDraft {
                                id: a.id,
                                username: a.username.clone(),
                                active: a.active,
                                ..ResetPasswordDraft::default()
                            });
                        }
                        if (a.failed_logins > 0 || a.locked_until.is_some())
                            && ui.small_button(t("sup.unlock_account")).clicked()
                        {
                            commands
                                .push(Command::Supervisor(SupervisorCommand::UnlockAccount(a.id)));
                        }
                        let toggle = if a.active {
                            t("staff.deactivate")
                        } else {
                            t("staff.activate")
                        };
                        if ui.small_button(toggle).clicked() {
                            commands.push(Command::Supervisor(SupervisorCommand::UpdateAccount {
                                id: a.id,
                                active: !a.active,
                                password: None,
                            }));
                        }
                    });
                    ui.end_row();
                }
            });
        ui.separator();
        ui.heading(t("sup.new_account"));
        let a = &mut self.account;
        widgets::labelled_text(ui, t("login.username"), &mut a.username, 160.0);
        widgets::labelled_text(ui, t("login.display_name"), &mut a.display_name, 160.0);
        ui.horizontal(|ui| {
            for r in AccountRole::ALL {
                ui.radio_value(&mut a.role, Some(r), t(r.label_key()));
            }
        });
        let l = ui.label(t("login.password"));
        ui.add(
            egui::TextEdit::singleline(&mut a.password)
                .password(true)
                .desired_width(160.0),
        )
        .labelled_by(l.id);
        if ui
            .button(RichText::new(t("sup.create_account")).strong())
            .clicked()
        {
            commands.push(Command::Supervisor(SupervisorCommand::CreateAccount {
                username: a.username.clone(),
                display_name: a.display_name.clone(),
                role: a.role.unwrap_or(AccountRole::Supervisor),
                password: a.password.clone(),
            }));
        }
        commands
    }

    /// The reset-password dialog, when open: the new password typed twice.
    pub(super) fn reset_password_ui(&mut self, ui: &mut Ui) -> Vec<Command> {
        let mut commands = Vec::new();
        let Some(r) = &mut self.reset else {
            return commands;
        };
        let mut close = widgets::escape_pressed(ui);
        egui::Window::new(tf("sup.reset_title", &[("user", &r.username)]))
            .id(egui::Id::unique("reset_password_dialog"))
            .collapsible(false)
            .resizable(false)
            .anchor(egui::Align2::CENTER_CENTER, [0.0, 0.0])
            .show(ui.ctx(), |ui| {
                let l = ui.label(t("sup.new_password"));
                let field = ui
                    .add(
                        egui::TextEdit::singleline(&mut r.password)
                            .password(true)
                            .desired_width(200.0),
                    )
                    .labelled_by(l.id);
                widgets::focus_once(ui, &field, &mut r.focused);
                let l = ui.label(t("sup.confirm_new_password"));
                ui.add(
                    egui::TextEdit::singleline(&mut r.confirm)
                        .password(true)
                        .desired_width(200.0),
                )
                .labelled_by(l.id);
                if let Some(e) = &r.error {
                    ui.label(RichText::new(e).color(theme::OVERDUE));
                }
                ui.horizontal(|ui| {
                    if ui
                        .button(RichText::new(t("sup.reset_confirm")).strong())
                        .clicked()
                    {
                        if r.password == r.confirm {
                            r.error = None;
                            commands.push(Command::Supervisor(SupervisorCommand::UpdateAccount {
                                id: r.id,
                                active: r.active,
                                password: Some(r.password.clone()),
                            }));
                        } else {
                            r.error = Some(t("login.mismatch").to_owned());
                        }
                    }
                    if ui.button(t("common.cancel")).clicked() {
                        close = true;
                    }
                });
            });
        if close {
            self.reset = None;
        }
        commands
    }
}

/// Active, deactivated, or locked until a time.
fn account_status_ui(ui: &mut Ui, a: &Account, now: chrono::NaiveDateTime) {
    if !a.active {
        ui.label(RichText::new(t("sup.account_inactive")).color(theme::MUTED));
    } else if is_locked(a.locked_until, now)
        && let Some(until) = a.locked_until
    {
        ui.label(
            RichText::new(tf(
                "sup.account_locked_until",
                &[("until", &until.format(DISPLAY_FORMAT).to_string())],
            ))
            .color(theme::OVERDUE),
        );
    } else {
        ui.label(t("sup.account_active"));
    }
}
