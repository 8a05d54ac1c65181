//! Waybill change requests (更改收货人、联系电话). The form records a request — from a call or a
//! visit it arrives pre-filled — once the desk has checked that the requester is the shipper,
//! and passes it to a department. The list shows the open requests (or all), newest first, a
//! page at a time, each with where it stands and, in red, when it is late. On a picked request
//! the department's answer is recorded, then that the customer was told.

use egui::{RichText, Ui};

use super::theme;
use crate::app::{Command, ExportFormat, FileFor, ViewCtx, WaybillCommand};
use crate::domain::DISPLAY_FORMAT;
use crate::domain::customer::mask_phone;
use crate::domain::waybill::{ChangeDraft, ChangeRules, ChangeStage, WaybillChange};
use crate::i18n::{t, tf};
use crate::store::waybill_changes::{ChangeFilter, ChangePage};

/// Requests per page of the list.
pub const PAGE_SIZE: i64 = 50;

/// What is being done to the request picked on the list.
#[derive(Clone, Debug, Default)]
struct Working {
    change: Option<WaybillChange>,
    handled_by: String,
    /// Whether the waybill was changed; `None` until chosen.
    changed: Option<bool>,
    handling_note: String,
    confirm_note: String,
}

/// The waybill change requests screen.
#[derive(Clone, Debug, Default)]
pub struct WaybillsView {
    filter: ChangeFilter,
    offset: i64,
    /// The filter and position of the page loaded, if any.
    loaded: Option<(ChangeFilter, i64)>,
    page: ChangePage,
    form: ChangeDraft,
    form_error: Option<String>,
    working: Working,
    work_error: Option<String>,
    /// The month to export, `YYYY-MM` (this month until typed).
    export_month: String,
}

impl WaybillsView {
    /// The filter and position of the page to read, when the one shown is not it.
    pub fn page_to_load(&self) -> Option<(ChangeFilter, i64)> {
        let want = (self.filter, self.offset);
        (self.loaded != Some(want)).then_some(want)
    }

    /// Shows the page read for `key`, unless another page is asked for by now.
    pub fn set_page(&mut self, key: (ChangeFilter, i64), page: ChangePage) {
        if self.page_to_load() == Some(key) {
            self.page = page;
            self.loaded = Some(key);
            // The picked request as it is now (another desk may have answered it).
            if let Some(w) = &self.working.change
                && let Some(now) = self.page.rows.iter().find(|r| r.id == w.id)
            {
                self.working.change = Some(now.clone());
            }
        }
    }

    /// Forgets the page shown: it is read again.
    pub fn invalidate(&mut self) {
        self.loaded = None;
    }

    /// Opens the form filled from a call or a visit (what is already typed is replaced).
    pub fn open_form(&mut self, draft: ChangeDraft) {
        self.form = draft;
        self.form_error = None;
    }

    /// Reacts to a saved command: the form, the answer or the confirmation is done.
    pub fn on_applied(&mut self, cmd: &Command) {
        match cmd {
            Command::Waybill(WaybillCommand::Record(_)) => {
                self.form = ChangeDraft::default();
                self.form_error = None;
                self.filter = ChangeFilter::Open;
                self.offset = 0;
            }
            Command::Waybill(WaybillCommand::Answer { .. } | WaybillCommand::Confirm { .. }) => {
                self.working = Working::default();
                self.work_error = None;
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
                ui.heading(t("waybill.title"));
                let open = self.page.open;
                let colour = if open > 0 { theme::WARN } else { theme::OK };
                ui.label(
                    RichText::new(tf("waybill.open_n", &[("n", &open.to_string())]))
                        .color(colour)
                        .strong(),
                );
                ui.separator();
                commands.extend(self.form_ui(ui, cx));
                ui.separator();
                commands.extend(self.work_ui(ui, cx));
                self.list_ui(ui, cx);
                ui.separator();
                commands.extend(self.export_ui(ui, cx));
            });
        commands
    }

    /// The month's requests as CSV, XLSX or PDF (the department, the answer and how long each
    /// step took; not who asked or the new consignee).
    fn export_ui(&mut self, ui: &mut Ui, cx: &ViewCtx<'_>) -> Option<Command> {
        if self.export_month.is_empty() {
            self.export_month = cx.now.format("%Y-%m").to_string();
        }
        let mut command = None;
        ui.horizontal_wrapped(|ui| {
            let l = ui.label(t("waybill.export_month"));
            ui.add(egui::TextEdit::singleline(&mut self.export_month).desired_width(80.0))
                .labelled_by(l.id);
            for (key, format) in [
                ("waybill.export_csv", ExportFormat::Csv),
                ("waybill.export_xlsx", ExportFormat::Xlsx),
                ("waybill.export_pdf", ExportFormat::Pdf),
            ] {
                if ui.button(t(key)).clicked() {
                    command = Some(Command::PickFile(FileFor::ExportWaybills {
                        month: self.export_month.trim().to_owned(),
                        format,
                    }));
                }
            }
        });
        command
    }

    /// The form of a new request; returns `Record` when it is sent and passes the checks.
    fn form_ui(&mut self, ui: &mut Ui, cx: &ViewCtx<'_>) -> Option<Command> {
        let f = &mut self.form;
        ui.label(RichText::new(t("waybill.new")).strong());
        if let Some(call) = f.call_id {
            ui.label(
                RichText::new(tf("waybill.from_call", &[("id", &call.to_string())]))
                    .color(theme::MUTED),
            );
        }
        if let Some(visit) = f.visit_id {
            ui.label(
                RichText::new(tf("waybill.from_visit", &[("id", &visit.to_string())]))
                    .color(theme::MUTED),
            );
        }
        egui::Grid::new("waybill_form")
            .num_columns(2)
            .spacing([10.0, 6.0])
            .show(ui, |ui| {
                let line = |ui: &mut Ui, key: &str, value: &mut String| {
                    let l = ui.label(t(key));
                    ui.add(egui::TextEdit::singleline(value).desired_width(260.0))
                        .labelled_by(l.id);
                    ui.end_row();
                };
                line(ui, "waybill.waybill_no", &mut f.waybill_no);
                line(ui, "waybill.requester", &mut f.requester);
                line(ui, "waybill.requester_phone", &mut f.requester_phone);
                ui.label("");
                ui.checkbox(&mut f.identity_checked, t("waybill.identity_checked"));
                ui.end_row();
                line(ui, "waybill.new_consignee", &mut f.new_consignee);
                line(ui, "waybill.new_phone", &mut f.new_phone);
                let l = ui.label(t("waybill.note"));
                ui.add(
                    egui::TextEdit::multiline(&mut f.note)
                        .desired_rows(2)
                        .desired_width(420.0),
                )
                .labelled_by(l.id);
                ui.end_row();
                ui.label(t("waybill.department"));
                ui.horizontal_wrapped(|ui| {
                    for d in &cx.settings.departments {
                        ui.selectable_value(&mut f.department, d.clone(), d);
                    }
                });
                ui.end_row();
            });
        ui.label(
            RichText::new(t("waybill.identity_hint"))
                .small()
                .color(theme::MUTED),
        );
        let send = ui
            .button(RichText::new(t("waybill.record")).strong())
            .clicked();
        if let Some(e) = &self.form_error {
            ui.label(RichText::new(e).color(theme::OVERDUE));
        }
        if !send {
            return None;
        }
        // The same checks as the store's, so the message shows next to the form.
        if let Err(e) = f.checked() {
            self.form_error = Some(e.user_message());
            return None;
        }
        self.form_error = None;
        Some(Command::Waybill(WaybillCommand::Record(f.clone())))
    }

    /// The request picked on the list: its details, the department's answer, and telling the
    /// customer.
    fn work_ui(&mut self, ui: &mut Ui, cx: &ViewCtx<'_>) -> Option<Command> {
        let w = &mut self.working;
        let change = w.change.clone()?;
        let mut command = None;
        let mut close = false;
        ui.label(
            RichText::new(tf(
                "waybill.work_title",
                &[("id", &change.id.to_string()), ("no", &change.waybill_no)],
            ))
            .strong(),
        );
        ui.label(details(&change, cx));
        if !change.note.is_empty() {
            ui.label(RichText::new(&change.note).color(theme::MUTED));
        }
        match change.stage() {
            ChangeStage::Passed | ChangeStage::Answered => {
                ui.label(RichText::new(t("waybill.answer_title")).strong());
                ui.horizontal(|ui| {
                    let l = ui.label(t("waybill.handled_by"));
                    ui.add(egui::TextEdit::singleline(&mut w.handled_by).desired_width(160.0))
                        .labelled_by(l.id);
                    ui.radio_value(&mut w.changed, Some(true), t("waybill.changed_yes"));
                    ui.radio_value(&mut w.changed, Some(false), t("waybill.changed_no"));
                });
                let l = ui.label(t("waybill.handling_note"));
                ui.add(
                    egui::TextEdit::multiline(&mut w.handling_note)
                        .desired_rows(2)
                        .desired_width(420.0),
                )
                .labelled_by(l.id);
                if ui.button(t("waybill.answer")).clicked() {
                    let answer = w.changed.map_or(
                        Err(crate::domain::DomainError::Invalid {
                            field: "waybill.changed",
                            reason: "err.required",
                        }),
                        |changed| change.answer(&w.handled_by, changed, &w.handling_note),
                    );
                    match answer {
                        Ok(_) => {
                            command = Some(Command::Waybill(WaybillCommand::Answer {
                                id: change.id,
                                handled_by: w.handled_by.clone(),
                                changed: w.changed.unwrap_or(false),
                                note: w.handling_note.clone(),
                            }));
                            self.work_error = None;
                        }
                        Err(e) => self.work_error = Some(e.user_message()),
                    }
                }
            }
            ChangeStage::Confirmed => {}
        }
        if change.stage() == ChangeStage::Answered {
            ui.label(RichText::new(t("waybill.confirm_title")).strong());
            let l = ui.label(t("waybill.confirm_note"));
            ui.add(egui::TextEdit::singleline(&mut w.confirm_note).desired_width(420.0))
                .labelled_by(l.id);
            if ui
                .button(RichText::new(t("waybill.confirm")).strong())
                .clicked()
            {
                match change.confirmation(&w.confirm_note) {
                    Ok(_) => {
                        command = Some(Command::Waybill(WaybillCommand::Confirm {
                            id: change.id,
                            note: w.confirm_note.clone(),
                        }));
                        self.work_error = None;
                    }
                    Err(e) => self.work_error = Some(e.user_message()),
                }
            }
        }
        if ui.button(t("common.close")).clicked() {
            close = true;
        }
        if let Some(e) = &self.work_error {
            ui.label(RichText::new(e).color(theme::OVERDUE));
        }
        if close {
            self.working = Working::default();
            self.work_error = None;
        }
        ui.separator();
        command
    }

    /// The list, newest first, a page at a time; a row's button picks it.
    fn list_ui(&mut self, ui: &mut Ui, cx: &ViewCtx<'_>) {
        let mut pick = None;
        ui.horizontal(|ui| {
            ui.label(RichText::new(t("waybill.list")).strong());
            for (filter, key) in [
                (ChangeFilter::Open, "waybill.filter_open"),
                (ChangeFilter::All, "waybill.filter_all"),
            ] {
                if ui.selectable_label(self.filter == filter, t(key)).clicked()
                    && self.filter != filter
                {
                    self.filter = filter;
                    self.offset = 0;
                }
            }
            super::widgets::newer_older(ui, &mut self.offset, self.page.more, PAGE_SIZE);
        });
        if self.page.rows.is_empty() {
            ui.label(RichText::new(t("waybill.none")).color(theme::MUTED));
            return;
        }
        egui::Grid::new("waybill_list")
            .striped(true)
            .num_columns(6)
            .spacing([10.0, 4.0])
            .show(ui, |ui| {
                for w in &self.page.rows {
                    ui.push_id(w.id, |ui| {
                        ui.label(w.at.format(DISPLAY_FORMAT).to_string());
                    });
                    ui.label(format!("#{} {}", w.id, w.waybill_no));
                    ui.label(format!(
                        "{} {}",
                        w.requester,
                        mask_phone(&w.requester_phone)
                    ));
                    ui.label(what_changes(w));
                    ui.label(&w.department);
                    ui.horizontal(|ui| {
                        ui.label(stage_text(w, cx.now));
                        if w.stage() != ChangeStage::Confirmed
                            && ui
                                .small_button(tf("waybill.work", &[("id", &w.id.to_string())]))
                                .clicked()
                        {
                            pick = Some(w.clone());
                        }
                    });
                    ui.end_row();
                }
            });
        if let Some(w) = pick {
            self.pick(w);
        }
    }

    /// Picks request `w` to be handled (from the list, or opened from 我的案件).
    pub fn pick(&mut self, w: WaybillChange) {
        self.working = Working {
            handled_by: w.handled_by.clone(),
            changed: w.changed,
            handling_note: w.handling_note.clone(),
            confirm_note: String::new(),
            change: Some(w),
        };
        self.work_error = None;
    }
}

/// Where request `w` stands at `now`: red with why when late, green once done, amber while it
/// waits (the list and 我的案件).
pub fn stage_text(w: &WaybillChange, now: chrono::NaiveDateTime) -> RichText {
    let stage = t(w.stage().label_key());
    match (w.stage(), w.late(now, &ChangeRules::default())) {
        (_, Some(late)) => RichText::new(format!("{stage} · {}", t(late.label_key())))
            .color(theme::OVERDUE)
            .strong(),
        (ChangeStage::Confirmed, None) => RichText::new(stage).color(theme::OK),
        (_, None) => RichText::new(stage).color(theme::WARN),
    }
}

/// What a request changes, for the list (phones masked).
fn what_changes(w: &WaybillChange) -> String {
    let mut parts = Vec::new();
    if !w.new_consignee.is_empty() {
        parts.push(tf("waybill.to_consignee", &[("name", &w.new_consignee)]));
    }
    if !w.new_phone.is_empty() {
        parts.push(tf(
            "waybill.to_phone",
            &[("phone", &mask_phone(&w.new_phone))],
        ));
    }
    parts.join(" · ")
}

/// The picked request in full: who asked, what changes (phones whole: the desk passes them on),
/// who recorded it, and the answer so far.
fn details(w: &WaybillChange, cx: &ViewCtx<'_>) -> String {
    let mut s = tf(
        "waybill.details",
        &[
            ("requester", &w.requester),
            ("phone", &w.requester_phone),
            ("at", &w.at.format(DISPLAY_FORMAT).to_string()),
            ("by", &cx.staff_name(w.recorded_by)),
            ("department", &w.department),
        ],
    );
    if !w.new_consignee.is_empty() {
        s.push('\n');
        s.push_str(&tf("waybill.to_consignee", &[("name", &w.new_consignee)]));
    }
    if !w.new_phone.is_empty() {
        s.push('\n');
        s.push_str(&tf("waybill.to_phone", &[("phone", &w.new_phone)]));
    }
    if let (Some(at), Some(changed)) = (w.handled_at, w.changed) {
        s.push('\n');
        s.push_str(&tf(
            if changed {
                "waybill.answered_changed"
            } else {
                "waybill.answered_refused"
            },
            &[
                ("at", &at.format(DISPLAY_FORMAT).to_string()),
                ("by", &w.handled_by),
                ("note", &w.handling_note),
            ],
        ));
    }
    s
}
