//! The window's first screen when the database is a PostgreSQL server that asks for a password
//! none of the usual places gives (the URL, `PGPASSWORD`, the password file, the config file's
//! `database_password`): it asks for it, opens the server with it, and from then on is the app.
//! The password is kept only in memory, in the connection's settings.

use std::path::PathBuf;

use egui::{RichText, Ui};

use super::theme;
use crate::app::App;
use crate::i18n::{t, tf};
use crate::store::{Store, StoreError, connect, redacted_url};

/// Builds the app on an opened store (the window's configuration, clock and start time).
pub type MakeApp = Box<dyn FnMut(Store) -> Result<App, StoreError>>;

/// Asks for the server's password, then runs the app.
pub struct ServerLogin {
    url: String,
    password: String,
    message: Option<String>,
    make_app: MakeApp,
    app: Option<App>,
}

impl ServerLogin {
    /// For the server at `url` (without a password that works); `make_app` builds the app once
    /// the server is open.
    pub fn new(url: impl Into<String>, make_app: MakeApp) -> Self {
        Self {
            url: url.into(),
            password: String::new(),
            message: None,
            make_app,
            app: None,
        }
    }

    /// The app, once the password was accepted (tests).
    pub fn app(&self) -> Option<&App> {
        self.app.as_ref()
    }

    /// Opens the server with the typed password. On failure the password field is emptied and
    /// the reason shown; the URL stays.
    fn try_open(&mut self) {
        let location = PathBuf::from(connect::with_password(&self.url, &self.password));
        self.password.clear();
        match Store::open(&location).and_then(|store| (self.make_app)(store)) {
            Ok(app) => {
                self.message = None;
                self.app = Some(app);
            }
            Err(e) => self.message = Some(e.user_message()),
        }
    }

    /// Draws the prompt (or, once open, the app).
    pub fn ui(&mut self, ui: &mut Ui) {
        if let Some(app) = &mut self.app {
            app.ui_frame(ui);
            return;
        }
        let mut submit = false;
        egui::CentralPanel::default().show(ui, |ui| {
            ui.add_space(24.0);
            ui.heading(t("server_login.title"));
            ui.add_space(8.0);
            ui.label(tf(
                "server_login.explain",
                &[("url", &redacted_url(&self.url))],
            ));
            ui.add_space(12.0);
            ui.horizontal(|ui| {
                let label = ui.label(t("server_login.password"));
                let field = ui
                    .add(
                        egui::TextEdit::singleline(&mut self.password)
                            .password(true)
                            .desired_width(240.0),
                    )
                    .labelled_by(label.id);
                if field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter)) {
                    submit = true;
                }
                if self.message.is_none() && !field.has_focus() && self.password.is_empty() {
                    field.request_focus();
                }
            });
            ui.add_space(8.0);
            ui.horizontal(|ui| {
                if ui.button(t("server_login.connect")).clicked() {
                    submit = true;
                }
                if ui.button(t("startup.close")).clicked() {
                    ui.ctx().send_viewport_cmd(egui::ViewportCommand::Close);
                }
            });
            if let Some(message) = &self.message {
                ui.add_space(12.0);
                ui.add(
                    egui::Label::new(RichText::new(message).color(theme::OVERDUE))
                        .wrap()
                        .selectable(true),
                );
            }
            ui.add_space(12.0);
            ui.label(RichText::new(t("server_login.hint")).color(theme::MUTED));
        });
        if submit && !self.password.is_empty() {
            self.try_open();
        }
    }

    /// The app's per-frame work, once open.
    pub fn logic(&mut self, ctx: &egui::Context) {
        if let Some(app) = &mut self.app {
            app.logic_frame(ctx);
        }
    }
}

impl ServerLogin {
    /// One whole frame (the app's logic, then what is drawn), as the window runs it: for tests.
    pub fn run_frame(&mut self, ui: &mut Ui) {
        let ctx = ui.ctx().clone();
        self.logic(&ctx);
        self.ui(ui);
    }
}

impl eframe::App for ServerLogin {
    fn logic(&mut self, ctx: &egui::Context, _frame: &mut eframe::Frame) {
        ServerLogin::logic(self, ctx);
    }

    fn ui(&mut self, ui: &mut Ui, _frame: &mut eframe::Frame) {
        ServerLogin::ui(self, ui);
    }
}
