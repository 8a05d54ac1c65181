//! The window on a server that asks for a password none of the usual places gives (the URL,
//! `PGPASSWORD`, the password file, the config file's `database_password`): the prompt
//! ([`crate::ui::server_login::PasswordPrompt`]) until the server accepts what was typed, then the
//! app. The password is kept only in memory, in the connection's settings.

use std::path::PathBuf;

use crate::app::App;
use crate::store::{Store, StoreError, connect, redacted_url};
use crate::ui::server_login::PasswordPrompt;

/// Builds the app on an opened store (the window's configuration, clock and start time).
pub type MakeApp = Box<dyn FnMut(Store) -> Result<App, StoreError>>;

/// Asks for the server's password, then runs the app.
pub struct ServerLogin {
    url: String,
    prompt: PasswordPrompt,
    make_app: MakeApp,
    app: Option<App>,
}

impl ServerLogin {
    /// For the server at `url` (without a password that works); `make_app` builds the app once
    /// the server is open.
    pub fn new(url: impl Into<String>, make_app: MakeApp) -> Self {
        Self {
            url: url.into(),
            prompt: PasswordPrompt::default(),
            make_app,
            app: None,
        }
    }

    /// The app, once the password was accepted (tests).
    pub fn app(&self) -> Option<&App> {
        self.app.as_ref()
    }

    /// Opens the server with `password`; on failure the prompt says why.
    fn try_open(&mut self, password: &str) {
        let location = PathBuf::from(connect::with_password(&self.url, password));
        match Store::open(&location).and_then(|store| (self.make_app)(store)) {
            Ok(app) => self.app = Some(app),
            Err(e) => self.prompt.refused(e.user_message()),
        }
    }

    /// Draws the prompt (or, once open, the app).
    pub fn ui(&mut self, ui: &mut egui::Ui) {
        if let Some(app) = &mut self.app {
            app.ui_frame(ui);
            return;
        }
        if let Some(password) = self.prompt.ui(ui, &redacted_url(&self.url)) {
            self.try_open(&password);
        }
    }

    /// The app's per-frame work, once open.
    pub fn logic(&mut self, ctx: &egui::Context) {
        if let Some(app) = &mut self.app {
            app.logic_frame(ctx);
        }
    }

    /// One whole frame (the app's logic, then what is drawn), as the window runs it: for tests.
    pub fn run_frame(&mut self, ui: &mut egui::Ui) {
        let ctx = ui.ctx().clone();
        self.logic(&ctx);
        self.ui(ui);
    }
}

impl eframe::App for ServerLogin {
    fn logic(&mut self, ctx: &egui::Context, _frame: &mut eframe::Frame) {
        ServerLogin::logic(self, ctx);
    }

    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        ServerLogin::ui(self, ui);
    }
}
