//! 来访记录: every visit, newest first, paged; corrections and cancellations with a reason.

use chrono::Duration;
use egui::{RichText, Ui};

use super::reception::{CancelForm, Dialogs, RegForm, visitor_name};
use super::{theme, widgets};
use crate::app::{Command, ViewCtx};
use crate::domain::customer::mask_phone;
use crate::domain::visit::Visit;
use crate::domain::{DISPLAY_FORMAT, format_timer};
use crate::i18n::{t, tf};
use crate::store::visits::{HistoryFilter, HistoryPage, LogEntry, Position};

/// Rows per page.
pub const PAGE_SIZE: i64 = 50;

/// The visit history screen.
#[derive(Clone, Debug, Default)]
pub struct HistoryView {
    from: String,
    to: String,
    text: String,
    filter: HistoryFilter,
    filter_error: Option<String>,
    /// Where the page shown starts (keyset paging: ten years are not counted off row by row).
    position: Position,
    /// The date typed to jump to.
    jump: String,
    loaded: Option<(HistoryFilter, Position)>,
    total: i64,
    /// Visits newer than the first row shown.
    newer: i64,
    rows: Vec<Visit>,
    open_log: Option<i64>,
    log: Option<(i64, Vec<LogEntry>)>,
    dialogs: Dialogs,
    callback_form: Option<super::calls::CallbackForm>,
    /// A page is being read (on a worker); the one shown is the previous.
    loading: bool,
}

impl HistoryView {
    /// Forgets the loaded page (the data changed).
    pub fn invalidate(&mut self) {
        self.loaded = None;
        self.log = None;
    }

    /// The page to load (filter and position), if either changed since the last load.
    pub fn page_to_load(&self) -> Option<(HistoryFilter, Position)> {
        let key = (self.filter.clone(), self.position);
        (self.loaded.as_ref() != Some(&key)).then_some(key)
    }

    /// Shows the page read for `key`, unless the screen asks for another one by now.
    pub fn set_page(&mut self, key: (HistoryFilter, Position), page: HistoryPage) {
        if self.page_to_load().as_ref() != Some(&key) {
            return;
        }
        self.loaded = Some(key);
        self.total = page.total;
        self.newer = page.newer;
        self.rows = page.rows;
    }

    /// The visit whose log should be loaded.
    pub fn log_to_load(&self) -> Option<i64> {
        let id = self.open_log?;
        match &self.log {
            Some((loaded, _)) if *loaded == id => None,
            _ => Some(id),
        }
    }

    /// Whether a page is being read.
    pub fn set_loading(&mut self, loading: bool) {
        self.loading = loading;
    }

    /// The visit an open dialog acts on.
    pub fn dialog_visit(&self) -> Option<i64> {
        self.dialogs.visit_id()
    }

    /// Stores a loaded log.
    pub fn set_log(&mut self, id: i64, log: Vec<LogEntry>) {
        self.log = Some((id, log));
    }

    /// Reacts to a saved command.
    pub fn on_applied(&mut self, cmd: &Command) {
        self.dialogs.on_applied(cmd);
        if let Command::Service(crate::app::ServiceCommand::ScheduleCallback(_)) = cmd {
            self.callback_form = None;
        }
    }

    fn apply_filter(&mut self) {
        let parse = widgets::parse_date_field;
        match (parse(&self.from), parse(&self.to)) {
            (Ok(from), Ok(to)) => {
                self.filter = HistoryFilter {
                    from: from.and_then(|d| d.and_hms_opt(0, 0, 0)),
                    to: to.and_then(|d| (d + Duration::days(1)).and_hms_opt(0, 0, 0)),
                    text: self.text.trim().to_owned(),
                };
                self.filter_error = None;
                self.position = Position::Newest;
            }
            (Err(e), _) | (_, Err(e)) => self.filter_error = Some(e),
        }
    }

    /// The pager: newest, newer and older pages, the rows shown of how many, and a jump to a date
    /// (its newest visits first).
    fn pager(&mut self, ui: &mut Ui) {
        let key = |v: &Visit| (v.arrived_at, v.id);
        widgets::keyset_pager(
            ui,
            tf("history.count", &[("n", &self.total.to_string())]),
            (self.total, self.newer, self.rows.len()),
            (self.rows.first().map(key), self.rows.last().map(key)),
            &mut self.position,
        );
        ui.separator();
        let field = widgets::labelled_text(ui, t("history.jump"), &mut self.jump, 100.0);
        let entered = field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
        if ui.button(t("history.jump_go")).clicked() || entered {
            match widgets::parse_date_field(&self.jump) {
                Ok(Some(day)) => {
                    let next_midnight = (day + Duration::days(1)).and_hms_opt(0, 0, 0);
                    if let Some(at) = next_midnight {
                        self.position = Position::Before(at);
                        self.filter_error = None;
                    }
                }
                Ok(None) => self.position = Position::Newest,
                Err(e) => self.filter_error = Some(e),
            }
        }
    }

    /// Draws the screen.
    pub fn ui(&mut self, ui: &mut Ui, cx: &ViewCtx<'_>) -> Vec<Command> {
        ui.heading(t("history.title"));
        ui.horizontal(|ui| {
            let mut go = false;
            go |= widgets::labelled_text(ui, t("history.from"), &mut self.from, 100.0).lost_focus();
            go |= widgets::labelled_text(ui, t("history.to"), &mut self.to, 100.0).lost_focus();
            go |=
                widgets::labelled_text(ui, t("history.search"), &mut self.text, 160.0).lost_focus();
            if ui.button(t("history.apply")).clicked() || go {
                self.apply_filter();
            }
        });
        if let Some(e) = &self.filter_error {
            ui.label(RichText::new(e).color(theme::OVERDUE));
        }
        ui.horizontal(|ui| {
            self.pager(ui);
            if self.loading {
                ui.spinner();
                ui.label(RichText::new(t("history.loading")).color(theme::MUTED));
            }
        });
        ui.separator();
        let rows = std::mem::take(&mut self.rows);
        egui::ScrollArea::vertical()
            .auto_shrink(false)
            .show(ui, |ui| {
                egui::Grid::new("history_grid")
                    .striped(true)
                    .num_columns(8)
                    .spacing([12.0, 6.0])
                    .show(ui, |ui| {
                        for key in [
                            "history.col_arrived",
                            "history.col_visitor",
                            "history.col_phone",
                            "history.col_purpose",
                            "history.col_greeting",
                            "history.col_stage",
                            "history.col_duration",
                            "history.col_actions",
                        ] {
                            ui.label(RichText::new(t(key)).strong());
                        }
                        ui.end_row();
                        for v in &rows {
                            self.row_ui(ui, cx, v);
                            ui.end_row();
                        }
                    });
            });
        self.rows = rows;
        self.log_window_ui(ui, cx);
        let mut commands = self.dialogs.ui(ui, cx);
        if let Some(form) = &mut self.callback_form {
            match form.ui(ui) {
                Some(Some(cmd)) => commands.push(cmd),
                Some(None) => self.callback_form = None,
                None => {}
            }
        }
        commands
    }

    /// The open visit's log, in a window.
    fn log_window_ui(&mut self, ui: &mut Ui, cx: &ViewCtx<'_>) {
        let Some((id, log)) = self
            .log
            .as_ref()
            .filter(|(id, _)| self.open_log == Some(*id))
        else {
            return;
        };
        let mut open = true;
        egui::Window::new(tf("history.log_of", &[("id", &id.to_string())]))
            .open(&mut open)
            .collapsible(false)
            .default_width(520.0)
            .show(ui.ctx(), |ui| {
                egui::Grid::new("visit_log")
                    .striped(true)
                    .num_columns(5)
                    .show(ui, |ui| {
                        for e in log {
                            ui.label(e.at.format(DISPLAY_FORMAT).to_string());
                            ui.label(cx.staff_name(e.staff_id));
                            ui.label(e.desk.as_deref().unwrap_or_default());
                            ui.label(t(action_key(&e.action)));
                            ui.label(&e.detail);
                            ui.end_row();
                        }
                    });
            });
        if !open || widgets::escape_pressed(ui) {
            self.open_log = None;
        }
    }

    fn row_ui(&mut self, ui: &mut Ui, cx: &ViewCtx<'_>, v: &Visit) {
        ui.label(v.arrived_at.format(DISPLAY_FORMAT).to_string());
        ui.label(visitor_name(v));
        ui.label(mask_phone(&v.phone));
        ui.label(&v.purpose);
        match v.greeting_latency_secs() {
            Some(s) => {
                let late = s > cx.settings.rules.greeting_limit_secs;
                ui.label(RichText::new(format_timer(s)).color(if late {
                    theme::OVERDUE
                } else {
                    theme::OK
                }));
            }
            None => {
                ui.label("—");
            }
        }
        if v.cancelled_at.is_some() {
            ui.label(
                RichText::new(tf("history.cancelled", &[("reason", &v.cancel_reason)]))
                    .color(theme::MUTED),
            );
        } else {
            ui.label(t(v.stage().label_key()));
        }
        ui.label(
            v.duration_secs()
                .map_or_else(|| "—".to_owned(), format_timer),
        );
        ui.horizontal(|ui| {
            if v.cancelled_at.is_none() {
                if ui.small_button(t("reception.correct")).clicked() {
                    self.dialogs.reg = Some(RegForm::for_visit(v, true));
                }
                if ui.small_button(t("reception.cancel_visit")).clicked() {
                    self.dialogs.cancel = Some(CancelForm {
                        visit_id: v.id,
                        reason: String::new(),
                    });
                }
            }
            if ui.small_button(t("history.show_log")).clicked() {
                self.open_log = Some(v.id);
            }
            if v.customer_id.is_some() && ui.small_button(t("calls.schedule_callback")).clicked() {
                self.callback_form = Some(super::calls::CallbackForm {
                    callback: crate::domain::call::Callback {
                        name: v.salutation().unwrap_or_else(|| v.name.clone()),
                        phone: v.phone.clone(),
                        purpose: tf(
                            "history.callback_purpose",
                            &[("date", &v.arrived_at.format("%Y-%m-%d").to_string())],
                        ),
                        customer_id: v.customer_id,
                        ..Default::default()
                    },
                    due: (cx.now.date() + chrono::Duration::days(1))
                        .format("%Y-%m-%d")
                        .to_string(),
                    error: None,
                });
            }
        });
    }
}

/// The translation key of a logged action.
pub(crate) fn action_key(action: &str) -> &'static str {
    match action {
        "arrive" => "history.action_arrive",
        "greet" => "history.action_greet",
        "register" => "history.action_register",
        "water" => "history.action_water",
        "hand_over" => "history.action_hand_over",
        "see_off" => "history.action_see_off",
        "depart" => "history.action_depart",
        "cancel" => "history.action_cancel",
        "correct" => "history.action_correct",
        "import" => "history.action_import",
        "demo" => "history.action_demo",
        _ => "history.action_other",
    }
}
