//! 电话: the call form with the scripts in front of the desk, the call list, turning a call into
//! a complaint or a callback, and the case panel of an escalated call or one to follow up
//! (首问负责制: its owner, its transfers).

use chrono::{Duration, NaiveDate};
use egui::{RichText, Ui};

use super::complaints::ComplaintForm;
use super::{theme, widgets};
use crate::app::{Command, ServiceCommand, ViewCtx};
use crate::domain::DISPLAY_FORMAT;
use crate::domain::call::{Answering, Call, CallDraft, Callback, Category, Outcome};
use crate::domain::complaint::{Channel, ComplaintDraft};
use crate::domain::customer::{Customer, mask_phone};
use crate::i18n::{t, tf};
use crate::store::calls::CallFilter;

/// Rows per page of the call list.
pub const PAGE_SIZE: i64 = 50;

/// The callback scheduling form.
#[derive(Clone, Debug, Default)]
pub struct CallbackForm {
    /// What is being scheduled (due date typed separately).
    pub callback: Callback,
    /// Due date as typed.
    pub due: String,
    /// A problem with what was typed.
    pub error: Option<String>,
}

impl CallbackForm {
    /// A form for a callback about `call`, due tomorrow.
    pub fn for_call(call: &Call, today: NaiveDate) -> Self {
        Self {
            callback: Callback {
                name: call.caller_name.clone(),
                phone: call.phone.clone(),
                purpose: call.content.clone(),
                call_id: Some(call.id),
                customer_id: call.customer_id,
                ..Callback::default()
            },
            due: (today + Duration::days(1)).format("%Y-%m-%d").to_string(),
            error: None,
        }
    }

    /// Draws the form as a window; returns the command on save, `Some(None)` on cancel.
    pub fn ui(&mut self, ui: &mut Ui) -> Option<Option<Command>> {
        let mut result = None;
        egui::Window::new(t("callback.title"))
            .collapsible(false)
            .resizable(false)
            .anchor(egui::Align2::CENTER_CENTER, [0.0, 0.0])
            .show(ui.ctx(), |ui| {
                ui.label(
                    RichText::new(format!(
                        "{} {}",
                        self.callback.name,
                        mask_phone(&self.callback.phone)
                    ))
                    .strong(),
                );
                widgets::labelled_text(ui, t("callback.due"), &mut self.due, 120.0);
                widgets::labelled_text(
                    ui,
                    t("callback.purpose"),
                    &mut self.callback.purpose,
                    300.0,
                );
                if let Some(e) = &self.error {
                    ui.label(RichText::new(e).color(theme::OVERDUE));
                }
                ui.horizontal(|ui| {
                    if ui
                        .button(RichText::new(t("callback.schedule")).strong())
                        .clicked()
                    {
                        match NaiveDate::parse_from_str(self.due.trim(), "%Y-%m-%d") {
                            Ok(due) => {
                                let cb = Callback {
                                    due,
                                    ..self.callback.clone()
                                };
                                self.error = None;
                                result = Some(Some(Command::Service(
                                    ServiceCommand::ScheduleCallback(cb),
                                )));
                            }
                            Err(_) => {
                                self.error =
                                    Some(tf("history.bad_date", &[("value", self.due.trim())]))
                            }
                        }
                    }
                    if ui.button(t("common.cancel")).clicked() || widgets::escape_pressed(ui) {
                        result = Some(None);
                    }
                });
            });
        result
    }
}

/// The calls screen.
#[derive(Clone, Debug, Default)]
pub struct CallsView {
    draft: CallDraft,
    then_complaint: bool,
    suggestions: Option<(String, Vec<Customer>)>,
    picked: Option<Customer>,
    from: String,
    to: String,
    text: String,
    category: Option<Category>,
    staff: Option<i64>,
    filter: CallFilter,
    filter_error: Option<String>,
    /// Where the page shown starts (keyset paging, as the visit history).
    position: crate::store::paging::Position,
    loaded: Option<(CallFilter, crate::store::paging::Position)>,
    total: i64,
    /// Calls newer than the first row shown.
    newer: i64,
    rows: Vec<Call>,
    /// The claim reported from each shown call that has one (call id → claim id).
    claims: std::collections::HashMap<i64, i64>,
    complaint_form: Option<ComplaintForm>,
    callback_form: Option<CallbackForm>,
    /// The call whose case panel is open.
    case_id: Option<i64>,
    /// What the case panel shows, as read (kept while it is read again).
    case: Option<CallCase>,
    /// The data changed since [`Self::case`] was read.
    case_stale: bool,
    case_transfer: super::transfers::TransferDraft,
}

/// A call's case as read on a worker: the call and its transfers, oldest first.
#[derive(Clone, Debug)]
pub struct CallCase {
    /// The call.
    pub call: Call,
    /// Its transfers (首问负责制).
    pub transfers: Vec<crate::domain::transfer::Transfer>,
}

/// A page of the call log as read on a worker, with the claim reported from each call that has
/// one.
#[derive(Debug)]
pub struct CallsPage {
    /// The page.
    pub page: crate::store::paging::Page<Call>,
    /// Call id → claim id.
    pub claims: std::collections::HashMap<i64, i64>,
}

impl CallsView {
    /// Forgets loaded rows and the case panel's data (the data changed).
    pub fn invalidate(&mut self) {
        self.loaded = None;
        self.case_stale = true;
    }

    /// Opens the case panel of call `id`: its owner and transfers.
    pub fn open_case(&mut self, id: i64) {
        if self.case_id != Some(id) {
            self.case_id = Some(id);
            self.case = None;
        }
    }

    /// The call whose case panel is to be read, when the panel does not show it yet.
    pub fn case_to_load(&self) -> Option<i64> {
        let id = self.case_id?;
        (self.case_stale || self.case.as_ref().is_none_or(|c| c.call.id != id)).then_some(id)
    }

    /// Shows the case read for call `id`, unless the panel asks for another one by now.
    pub fn set_case(&mut self, id: i64, read: CallCase) {
        if self.case_to_load() == Some(id) {
            self.case = Some(read);
            self.case_stale = false;
        }
    }

    /// The page to read (filter and position), when it is not shown yet.
    pub fn page_to_load(&self) -> Option<(CallFilter, crate::store::paging::Position)> {
        let key = (self.filter.clone(), self.position);
        (self.loaded.as_ref() != Some(&key)).then_some(key)
    }

    /// Shows the page read for `key`, unless the screen asks for another one by now.
    pub fn set_page(&mut self, key: (CallFilter, crate::store::paging::Position), read: CallsPage) {
        if self.page_to_load().as_ref() == Some(&key) {
            self.total = read.page.total;
            self.newer = read.page.newer;
            self.rows = read.page.rows;
            self.claims = read.claims;
            self.loaded = Some(key);
        }
    }

    /// The customer query to look up, if it changed (phone once 3 characters are typed).
    pub fn suggestion_query_to_load(&self) -> Option<String> {
        if self.picked.is_some() {
            return None;
        }
        let phone = self.draft.phone.trim();
        let q = if phone.chars().count() >= 3 {
            phone.to_owned()
        } else {
            String::new()
        };
        match &self.suggestions {
            Some((loaded, _)) if *loaded == q => None,
            _ if q.is_empty() && self.suggestions.is_none() => None,
            _ => Some(q),
        }
    }

    /// Stores suggestions.
    pub fn set_suggestions(&mut self, query: String, found: Vec<Customer>) {
        self.suggestions = Some((query, found));
    }

    /// Reacts to a saved command.
    pub fn on_applied(&mut self, cmd: &Command, created: Option<i64>) {
        match cmd {
            Command::Service(ServiceCommand::LogCall(draft)) => {
                if self.then_complaint {
                    self.complaint_form = Some(ComplaintForm::new(ComplaintDraft {
                        channel: Some(Channel::Phone),
                        customer_id: draft.customer_id,
                        customer_name: draft.caller_name.clone(),
                        phone: draft.phone.clone(),
                        content: draft.content.clone(),
                        call_id: created,
                        ..ComplaintDraft::default()
                    }));
                }
                self.draft = CallDraft::default();
                self.then_complaint = false;
                self.picked = None;
                self.suggestions = None;
            }
            Command::Service(ServiceCommand::CreateComplaint(_)) => self.complaint_form = None,
            Command::Service(ServiceCommand::ScheduleCallback(_)) => self.callback_form = None,
            _ => {}
        }
    }

    fn apply_filter(&mut self) {
        let parse = widgets::parse_date_field;
        match (parse(&self.from), parse(&self.to)) {
            (Ok(from), Ok(to)) => {
                self.filter = CallFilter {
                    from: from.and_then(|d| d.and_hms_opt(0, 0, 0)),
                    to: to.and_then(|d| (d + Duration::days(1)).and_hms_opt(0, 0, 0)),
                    category: self.category,
                    staff_id: self.staff,
                    text: self.text.trim().to_owned(),
                };
                self.filter_error = None;
                self.position = crate::store::paging::Position::Newest;
            }
            (Err(e), _) | (_, Err(e)) => self.filter_error = Some(e),
        }
    }

    /// Draws the screen.
    pub fn ui(&mut self, ui: &mut Ui, cx: &ViewCtx<'_>) -> Vec<Command> {
        let mut commands = Vec::new();
        egui::Panel::left("call_form")
            .resizable(true)
            .default_size(440.0)
            .show(ui, |ui| {
                egui::ScrollArea::vertical().show(ui, |ui| commands.extend(self.form_ui(ui, cx)));
            });
        egui::CentralPanel::default().show(ui, |ui| commands.extend(self.list_ui(ui, cx)));
        if let Some(form) = &mut self.complaint_form {
            match form.ui(ui, cx) {
                Some(Some(draft)) => {
                    commands.push(Command::Service(ServiceCommand::CreateComplaint(draft)))
                }
                Some(None) => self.complaint_form = None,
                None => {}
            }
        }
        if let Some(form) = &mut self.callback_form {
            match form.ui(ui) {
                Some(Some(cmd)) => commands.push(cmd),
                Some(None) => self.callback_form = None,
                None => {}
            }
        }
        self.case_ui(ui, cx, &mut commands);
        commands
    }

    /// Draws the case panel of the call it is open for, as a window: the call, who took it (its
    /// owner) and its transfers with the form that hands it over.
    fn case_ui(&mut self, ui: &mut Ui, cx: &ViewCtx<'_>, commands: &mut Vec<Command>) {
        let Some(id) = self.case_id else { return };
        let mut close = false;
        egui::Window::new(tf("calls.case_title", &[("id", &id.to_string())]))
            .id(egui::Id::unique("call_case_dialog"))
            .collapsible(false)
            .resizable(true)
            .default_width(760.0)
            .anchor(egui::Align2::CENTER_CENTER, [0.0, 0.0])
            .show(ui.ctx(), |ui| {
                match self.case.as_ref().filter(|c| c.call.id == id) {
                    None => {
                        ui.spinner();
                    }
                    Some(case) => {
                        case_details_ui(ui, &case.call, cx);
                        ui.separator();
                        if case.call.is_case() || !case.transfers.is_empty() {
                            super::transfers::case_ui(
                                ui,
                                (crate::domain::transfer::CaseKind::Call, id),
                                &case.transfers,
                                &mut self.case_transfer,
                                cx,
                                commands,
                            );
                        } else {
                            ui.label(RichText::new(t("calls.not_a_case")).color(theme::MUTED));
                        }
                    }
                }
                ui.separator();
                close = ui.button(t("common.dismiss")).clicked() || widgets::escape_pressed(ui);
            });
        if close {
            self.case_id = None;
            self.case = None;
        }
    }

    /// Draws the call form: the opening line, the caller, the call and the save buttons.
    fn form_ui(&mut self, ui: &mut Ui, cx: &ViewCtx<'_>) -> Vec<Command> {
        let mut commands = Vec::new();
        self.opening_ui(ui, cx);
        self.caller_grid_ui(ui);
        self.customer_match_ui(ui);
        self.conversation_ui(ui, cx);
        self.save_buttons_ui(ui, &mut commands);
        commands
    }

    /// Draws the form's heading, the opening line to say and the time the call came in.
    fn opening_ui(&mut self, ui: &mut Ui, cx: &ViewCtx<'_>) {
        ui.heading(t("calls.new"));
        let company = if cx.settings.company_name.is_empty() {
            t("calls.our_company")
        } else {
            cx.settings.company_name.as_str()
        };
        widgets::banner(
            ui,
            theme::WARN_BG,
            RichText::new(tf("calls.opening", &[("company", company)])).color(theme::ACCENT),
        );
        let d = &mut self.draft;
        ui.horizontal(|ui| {
            widgets::labelled_text(ui, t("call.at"), &mut d.at, 140.0);
        });
        if d.at.is_empty() {
            ui.label(
                RichText::new(t("calls.at_hint"))
                    .small()
                    .color(theme::MUTED),
            );
        }
    }

    /// Draws the grid of rings (with the answering verdict and the apology when late), the
    /// caller's name, phone and region, and the call's category.
    fn caller_grid_ui(&mut self, ui: &mut Ui) {
        let d = &mut self.draft;
        egui::Grid::new("call_form_grid")
            .num_columns(2)
            .spacing([10.0, 6.0])
            .show(ui, |ui| {
                widgets::labelled_text(ui, t("call.rings"), &mut d.rings, 60.0);
                ui.end_row();
                if let Ok(rings) = d.rings.trim().parse::<i64>() {
                    let answering = Answering::of(rings);
                    ui.label("");
                    let colour = match answering {
                        Answering::OnTime => theme::OK,
                        Answering::Late => theme::WARN,
                        Answering::Apology => theme::OVERDUE,
                    };
                    ui.label(RichText::new(t(answering.label_key())).color(colour));
                    ui.end_row();
                    if answering == Answering::Apology {
                        ui.label("");
                        ui.label(
                            RichText::new(tf(
                                "calls.say_apology",
                                &[("line", t("script.apology"))],
                            ))
                            .color(theme::OVERDUE)
                            .strong(),
                        );
                        ui.end_row();
                        ui.label("");
                        ui.checkbox(&mut d.apology_said, t("calls.apology_said"));
                        ui.end_row();
                    }
                }
                widgets::labelled_text(ui, t("calls.caller"), &mut d.caller_name, 200.0);
                ui.end_row();
                widgets::labelled_text(ui, t("field.phone"), &mut d.phone, 200.0);
                ui.end_row();
                widgets::labelled_text(ui, t("field.region"), &mut d.region, 200.0);
                ui.end_row();
                ui.label(t("call.category"));
                ui.horizontal_wrapped(|ui| {
                    for c in Category::ALL {
                        ui.radio_value(&mut d.category, Some(c), t(c.label_key()));
                    }
                });
                ui.end_row();
            });
    }

    /// Draws the returning customer picked for this call or, until one is picked, the customers
    /// found for what was typed; a click on one fills the caller's details from it.
    fn customer_match_ui(&mut self, ui: &mut Ui) {
        if let Some(c) = &self.picked {
            ui.label(
                RichText::new(tf(
                    "register.returning",
                    &[("who", &c.salutation().unwrap_or_else(|| c.name.clone()))],
                ))
                .color(theme::OK),
            );
        } else if let Some((_, found)) = &self.suggestions {
            let mut pick = None;
            for c in found {
                let text = format!(
                    "{} {} {}",
                    c.salutation().unwrap_or_else(|| c.surname.clone()),
                    mask_phone(&c.phone),
                    c.company
                );
                if ui.small_button(text).clicked() {
                    pick = Some(c.clone());
                }
            }
            if let Some(c) = pick {
                let d = &mut self.draft;
                d.customer_id = Some(c.id);
                d.phone.clone_from(&c.phone);
                if d.caller_name.trim().is_empty() {
                    d.caller_name = c.salutation().unwrap_or_else(|| c.name.clone());
                }
                if d.region.trim().is_empty() {
                    d.region.clone_from(&c.region);
                }
                self.picked = Some(c);
            }
        }
    }

    /// Draws what the caller said and what was answered, the repeat-back and escalation boxes,
    /// the outcome and the closing line to say.
    fn conversation_ui(&mut self, ui: &mut Ui, cx: &ViewCtx<'_>) {
        let d = &mut self.draft;
        let l = ui.label(t("call.content"));
        ui.add(
            egui::TextEdit::multiline(&mut d.content)
                .desired_rows(3)
                .desired_width(f32::INFINITY),
        )
        .labelled_by(l.id);
        let l = ui.label(t("calls.answer"));
        ui.add(
            egui::TextEdit::multiline(&mut d.answer)
                .desired_rows(3)
                .desired_width(f32::INFINITY),
        )
        .labelled_by(l.id);
        ui.checkbox(&mut d.repeated_back, t("calls.repeated_back"));
        ui.horizontal_wrapped(|ui| {
            ui.label(t("calls.outcome"));
            for o in Outcome::ALL {
                ui.radio_value(&mut d.outcome, Some(o), t(o.label_key()));
            }
        });
        ui.checkbox(&mut d.escalated, t("calls.escalate"));
        // 电话 12: a call passed to a colleague says to whom, and what they were told.
        ui.horizontal_wrapped(|ui| {
            let l = ui.label(t("calls.transfer_to"));
            let name = d.transferred_to.map_or_else(
                || t("calls.not_transferred").to_owned(),
                |id| cx.staff_name(Some(id)),
            );
            egui::ComboBox::from_id_salt("call_transfer_to")
                .selected_text(name)
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut d.transferred_to, None, t("calls.not_transferred"));
                    let active = cx
                        .staff
                        .iter()
                        .filter(|s| s.active && Some(s.id) != cx.settings.operator_id);
                    for s in crate::domain::staff::by_role(active) {
                        ui.selectable_value(
                            &mut d.transferred_to,
                            Some(s.id),
                            widgets::staff_with_role(s),
                        );
                    }
                })
                .response
                .labelled_by(l.id);
            if d.transferred_to.is_some() {
                widgets::labelled_text(ui, t("calls.transfer_note"), &mut d.transfer_note, 260.0);
            }
        });
        widgets::banner(
            ui,
            theme::WARN_BG,
            RichText::new(tf("calls.closing", &[("line", t("calls.closing_line"))]))
                .color(theme::ACCENT),
        );
    }

    /// Draws the save, save-and-complaint and clear buttons; a save queues the call in `commands`.
    fn save_buttons_ui(&mut self, ui: &mut Ui, commands: &mut Vec<Command>) {
        ui.horizontal(|ui| {
            if ui.button(RichText::new(t("calls.save")).strong()).clicked() {
                self.then_complaint = false;
                commands.push(Command::Service(ServiceCommand::LogCall(
                    self.draft.clone(),
                )));
            }
            if ui.button(t("calls.save_and_complaint")).clicked() {
                self.then_complaint = true;
                let mut draft = self.draft.clone();
                draft.outcome = Some(Outcome::Converted);
                commands.push(Command::Service(ServiceCommand::LogCall(draft)));
            }
            if ui.button(t("calls.clear")).clicked() {
                self.draft = CallDraft::default();
                self.picked = None;
                self.suggestions = None;
            }
        });
    }

    fn list_ui(&mut self, ui: &mut Ui, cx: &ViewCtx<'_>) -> Option<Command> {
        let mut claim = None;
        ui.heading(t("calls.list"));
        ui.horizontal_wrapped(|ui| {
            let mut go = false;
            go |= widgets::labelled_text(ui, t("history.from"), &mut self.from, 95.0).lost_focus();
            go |= widgets::labelled_text(ui, t("history.to"), &mut self.to, 95.0).lost_focus();
            let l = ui.label(t("call.category"));
            egui::ComboBox::from_id_salt("call_filter_category")
                .selected_text(self.category.map_or(t("calls.all"), |c| t(c.label_key())))
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut self.category, None, t("calls.all"));
                    for c in Category::ALL {
                        ui.selectable_value(&mut self.category, Some(c), t(c.label_key()));
                    }
                })
                .response
                .labelled_by(l.id);
            let l = ui.label(t("calls.staff"));
            egui::ComboBox::from_id_salt("call_filter_staff")
                .selected_text(
                    self.staff
                        .map_or_else(|| t("calls.all").to_owned(), |id| cx.staff_name(Some(id))),
                )
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut self.staff, None, t("calls.all"));
                    for s in cx.staff {
                        ui.selectable_value(&mut self.staff, Some(s.id), s.name.as_str());
                    }
                })
                .response
                .labelled_by(l.id);
            go |=
                widgets::labelled_text(ui, t("history.search"), &mut self.text, 120.0).lost_focus();
            if ui.button(t("history.apply")).clicked() || go {
                self.apply_filter();
            }
        });
        if let Some(e) = &self.filter_error {
            ui.label(RichText::new(e).color(theme::OVERDUE));
        }
        ui.horizontal(|ui| {
            let key = |c: &Call| (c.at, c.id);
            widgets::keyset_pager(
                ui,
                tf("calls.count", &[("n", &self.total.to_string())]),
                (self.total, self.newer, self.rows.len()),
                (self.rows.first().map(key), self.rows.last().map(key)),
                &mut self.position,
            );
        });
        ui.separator();
        let rows = std::mem::take(&mut self.rows);
        // Sideways too: on a narrow window the last actions stay within reach.
        egui::ScrollArea::both().auto_shrink(false).show(ui, |ui| {
            egui::Grid::new("calls_grid")
                .striped(true)
                .num_columns(7)
                .spacing([10.0, 6.0])
                .show(ui, |ui| {
                    for key in [
                        "calls.col_time",
                        "calls.col_rings",
                        "calls.col_caller",
                        "call.category",
                        "calls.col_staff",
                        "history.col_actions",
                        "calls.col_content",
                    ] {
                        ui.label(RichText::new(t(key)).strong());
                    }
                    ui.end_row();
                    for c in &rows {
                        ui.label(c.at.format(DISPLAY_FORMAT).to_string());
                        let colour = match Answering::of(c.rings) {
                            Answering::OnTime => theme::OK,
                            Answering::Late => theme::WARN,
                            Answering::Apology => theme::OVERDUE,
                        };
                        ui.label(RichText::new(c.rings.to_string()).color(colour));
                        ui.label(format!("{} {}", c.caller_name, mask_phone(&c.phone)));
                        ui.label(c.category.map_or("", |x| t(x.label_key())));
                        ui.label(cx.staff_name(c.staff_id));
                        ui.horizontal(|ui| {
                            if let Some(cmd) = self.row_actions_ui(ui, c, cx) {
                                claim = Some(cmd);
                            }
                        });
                        // What was asked last: on a narrow window it is what runs off the edge
                        // (all of it is on hover), not the actions.
                        let (content, hover) = content_cell(c, cx);
                        ui.label(content).on_hover_text(hover);
                        ui.end_row();
                    }
                });
        });
        self.rows = rows;
        claim
    }

    /// The actions on call `c` of the list: for a case, its case panel; its claim (or making
    /// one), making a complaint, scheduling a callback and a waybill change request. Returns a
    /// command to run.
    fn row_actions_ui(&mut self, ui: &mut Ui, c: &Call, cx: &ViewCtx<'_>) -> Option<Command> {
        let mut command = None;
        // A case first: following it up is what an escalated call needs.
        if c.is_case() && ui.small_button(t("calls.case")).clicked() {
            self.open_case(c.id);
        }
        // A call becomes one claim at most: once it has one, link to it.
        if let Some(&claim_id) = self.claims.get(&c.id) {
            if ui
                .small_button(tf("calls.open_claim", &[("id", &claim_id.to_string())]))
                .clicked()
            {
                command = Some(Command::OpenClaim(claim_id));
            }
        } else if c.category == Some(Category::Claim)
            && ui.small_button(t("calls.to_claim")).clicked()
        {
            command = Some(Command::OpenClaimForm(Box::new(
                crate::domain::claim::ClaimDraft {
                    customer_id: c.customer_id,
                    customer_name: c.caller_name.clone(),
                    phone: c.phone.clone(),
                    incident_date: c.at.format("%Y-%m-%d").to_string(),
                    description: c.content.clone(),
                    call_id: Some(c.id),
                    ..Default::default()
                },
            )));
        }
        if c.complaint_id.is_none() && ui.small_button(t("calls.to_complaint")).clicked() {
            self.complaint_form = Some(ComplaintForm::new(ComplaintDraft {
                channel: Some(Channel::Phone),
                customer_id: c.customer_id,
                customer_name: c.caller_name.clone(),
                phone: c.phone.clone(),
                content: c.content.clone(),
                call_id: Some(c.id),
                ..ComplaintDraft::default()
            }));
        }
        // The rarer actions in a menu, so that the row fits a 1280-pixel screen.
        ui.menu_button(t("calls.more"), |ui| {
            if ui.button(t("calls.schedule_callback")).clicked() {
                self.callback_form = Some(CallbackForm::for_call(c, cx.now.date()));
                ui.close();
            }
            // A waybill change asked on the call (更改收货人、联系电话).
            if ui.button(t("calls.to_waybill")).clicked() {
                command = Some(Command::OpenWaybillForm(Box::new(
                    crate::domain::waybill::ChangeDraft {
                        customer_id: c.customer_id,
                        call_id: Some(c.id),
                        requester: c.caller_name.clone(),
                        requester_phone: c.phone.clone(),
                        ..Default::default()
                    },
                )));
                ui.close();
            }
        });
        command
    }
}

/// The case panel's account of call `c`: when, who called, about what, what was answered, who
/// took it (the case's owner) and why it is a case.
fn case_details_ui(ui: &mut Ui, c: &Call, cx: &ViewCtx<'_>) {
    egui::Grid::new("call_case_details")
        .num_columns(2)
        .spacing([10.0, 4.0])
        .show(ui, |ui| {
            let mut row = |label: &str, value: String| {
                ui.label(RichText::new(label).color(theme::MUTED));
                ui.label(value);
                ui.end_row();
            };
            row(t("call.at"), c.at.format(DISPLAY_FORMAT).to_string());
            row(
                t("calls.caller"),
                format!("{} {}", c.caller_name, mask_phone(&c.phone)),
            );
            row(
                t("call.category"),
                c.category.map_or("", |x| t(x.label_key())).to_owned(),
            );
            row(t("call.content"), c.content.clone());
            row(t("calls.answer"), c.answer.clone());
            row(t("calls.case_owner"), cx.staff_name(c.staff_id));
            let mut why = vec![t(c.outcome().label_key())];
            if c.escalated {
                why.insert(0, t("calls.escalated"));
            }
            row(t("calls.outcome"), why.join(" · "));
        });
}

/// The call list's content cell: the start of what was asked, marked when escalated and with
/// the colleague it was passed to; the hover text says all of it, and what they were told.
fn content_cell(c: &crate::domain::call::Call, cx: &ViewCtx<'_>) -> (String, String) {
    let mut content: String = c.content.chars().take(24).collect();
    if c.content.chars().count() > 24 {
        content.push('…');
    }
    if c.escalated {
        content = format!("[{}] {content}", t("calls.escalated"));
    }
    if c.transferred_to.is_none() {
        return (content, c.content.clone());
    }
    let to = cx.staff_name(c.transferred_to);
    let hover = tf(
        "calls.transferred",
        &[
            ("content", &c.content),
            ("to", &to),
            ("note", &c.transfer_note),
        ],
    );
    (format!("{content} → {to}"), hover)
}
