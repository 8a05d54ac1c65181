//! 投诉: the complaint register — list with SLA clocks, and each complaint's six steps (六清楚),
//! status workflow and timeline.

use chrono::NaiveDateTime;
use egui::{RichText, Ui};

use super::calls::CallbackForm;
use super::{theme, widgets};
use crate::app::{Command, ServiceCommand, ViewCtx};
use crate::domain::call::Callback;
use crate::domain::complaint::{
    AtFault, Channel, Clock, Complaint, ComplaintDraft, ReplyChannel, Satisfaction, Severity,
    Status, Step,
};
use crate::domain::customer::mask_phone;
use crate::domain::transfer::Transfer;
use crate::domain::{DISPLAY_FORMAT, TIMESTAMP_FORMAT};
use crate::i18n::{t, tf};
use crate::store::complaints::Event;

/// "2 天 3 小时" / "45 分钟" from seconds.
pub fn format_span(secs: i64) -> String {
    let secs = secs.max(0);
    let (d, h, m) = (secs / 86_400, (secs % 86_400) / 3600, (secs % 3600) / 60);
    if d > 0 {
        tf(
            "complaint.span_dh",
            &[("d", &d.to_string()), ("h", &h.to_string())],
        )
    } else if h > 0 {
        tf(
            "complaint.span_hm",
            &[("h", &h.to_string()), ("m", &m.to_string())],
        )
    } else {
        tf("complaint.span_m", &[("m", &m.to_string())])
    }
}

/// A clock as coloured text.
pub fn clock_text(clock: Clock) -> RichText {
    match clock {
        Clock::Met => RichText::new(t("complaint.clock_met")).color(theme::OK),
        Clock::Missed => RichText::new(t("complaint.clock_missed")).color(theme::OVERDUE),
        Clock::Running { left_secs, .. } => RichText::new(tf(
            "complaint.clock_left",
            &[("t", &format_span(left_secs))],
        )),
        Clock::Warning { left_secs, .. } => RichText::new(tf(
            "complaint.clock_left",
            &[("t", &format_span(left_secs))],
        ))
        .color(theme::WARN)
        .strong(),
        Clock::Overdue { over_secs } => RichText::new(tf(
            "complaint.clock_over",
            &[("t", &format_span(over_secs))],
        ))
        .color(theme::OVERDUE)
        .strong(),
        Clock::Paused { left_secs } => RichText::new(tf(
            "complaint.clock_paused",
            &[("t", &format_span(left_secs))],
        ))
        .color(theme::MUTED),
    }
}

/// The new-complaint form (from a call, a visit, or directly).
#[derive(Clone, Debug, Default)]
pub struct ComplaintForm {
    /// What is typed.
    pub draft: ComplaintDraft,
}

impl ComplaintForm {
    /// A form pre-filled with `draft`.
    pub fn new(draft: ComplaintDraft) -> Self {
        Self { draft }
    }

    /// Draws the form as a window; `Some(Some(draft))` on save, `Some(None)` on cancel.
    pub fn ui(&mut self, ui: &mut Ui, cx: &ViewCtx<'_>) -> Option<Option<ComplaintDraft>> {
        let mut result = None;
        let d = &mut self.draft;
        egui::Window::new(t("complaint.new_title"))
            .collapsible(false)
            .resizable(false)
            .anchor(egui::Align2::CENTER_CENTER, [0.0, 0.0])
            .min_width(480.0)
            .show(ui.ctx(), |ui| {
                ui.label(RichText::new(t("complaint.listen_hint")).color(theme::MUTED));
                egui::Grid::new("complaint_form_grid")
                    .num_columns(2)
                    .spacing([10.0, 6.0])
                    .show(ui, |ui| {
                        ui.label(t("complaint.channel"));
                        ui.horizontal(|ui| {
                            for c in Channel::ALL {
                                ui.radio_value(&mut d.channel, Some(*c), t(c.label_key()));
                            }
                        });
                        ui.end_row();
                        widgets::labelled_text(
                            ui,
                            t("complaint.customer"),
                            &mut d.customer_name,
                            220.0,
                        );
                        ui.end_row();
                        widgets::labelled_text(ui, t("field.phone"), &mut d.phone, 220.0);
                        ui.end_row();
                        widgets::labelled_text(ui, t("complaint.waybill"), &mut d.waybill, 220.0);
                        ui.end_row();
                        let l = ui.label(t("complaint.category"));
                        category_combo(
                            ui,
                            "new_complaint_category",
                            &mut d.category,
                            &cx.board.categories,
                            l.id,
                        );
                        ui.end_row();
                        ui.label(t("complaint.severity"));
                        ui.horizontal(|ui| {
                            for s in Severity::ALL {
                                ui.radio_value(&mut d.severity, Some(*s), t(s.label_key()));
                            }
                        });
                        ui.end_row();
                        ui.label(t("complaint.at_fault"));
                        ui.horizontal(|ui| {
                            for f in AtFault::ALL {
                                ui.radio_value(&mut d.at_fault, Some(*f), t(f.label_key()));
                            }
                        });
                        ui.end_row();
                    });
                let l = ui.label(t("complaint.content"));
                ui.add(
                    egui::TextEdit::multiline(&mut d.content)
                        .desired_rows(4)
                        .desired_width(f32::INFINITY),
                )
                .labelled_by(l.id);
                ui.horizontal(|ui| {
                    if ui
                        .button(RichText::new(t("complaint.create")).strong())
                        .clicked()
                    {
                        result = Some(Some(d.clone()));
                    }
                    if ui.button(t("common.cancel")).clicked() || widgets::escape_pressed(ui) {
                        result = Some(None);
                    }
                });
            });
        result
    }
}

fn category_combo(
    ui: &mut Ui,
    id: &str,
    value: &mut String,
    categories: &[String],
    label: egui::Id,
) {
    let shown = if value.is_empty() {
        t("complaint.pick_category").to_owned()
    } else {
        value.clone()
    };
    egui::ComboBox::from_id_salt(id)
        .selected_text(shown)
        .width(220.0)
        .show_ui(ui, |ui| {
            for c in categories {
                ui.selectable_value(value, c.clone(), c.as_str());
            }
        })
        .response
        .labelled_by(label);
}

/// Drafts of the step actions of the open complaint.
#[derive(Clone, Debug, Default)]
struct StepDrafts {
    facts: String,
    handling: String,
    next_reply: String,
    reply_channel: Option<ReplyChannel>,
    reply: String,
    answered: bool,
    reported_to: String,
    satisfaction: Option<Satisfaction>,
    status_note: String,
    category: String,
    severity: Option<Severity>,
    at_fault: Option<AtFault>,
    error: Option<String>,
}

/// A column of the complaint list, to sort it by.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Column {
    Number,
    Customer,
    Category,
    Status,
    FirstResponse,
    Resolution,
}

impl widgets::SortColumn for Column {}

impl Column {
    /// The columns in order, with their headers' translation keys.
    const ALL: [(Self, &'static str); 6] = [
        (Self::Number, "complaints.col_no"),
        (Self::Customer, "complaint.customer"),
        (Self::Category, "complaint.category"),
        (Self::Status, "complaints.col_status"),
        (Self::FirstResponse, "complaints.col_first"),
        (Self::Resolution, "complaints.col_resolution"),
    ];

    /// Compares two complaints by this column, ascending. Statuses go in workflow order; the
    /// clocks most urgent first, as [`urgency`] ranks them.
    fn compare(
        self,
        a: &Complaint,
        b: &Complaint,
        rules: &crate::domain::complaint::SlaRules,
        now: NaiveDateTime,
    ) -> std::cmp::Ordering {
        match self {
            Self::Number => a.id.cmp(&b.id),
            Self::Customer => a.customer_name.cmp(&b.customer_name),
            Self::Category => a.category.cmp(&b.category),
            Self::Status => a.status().cmp(&b.status()),
            Self::FirstResponse => urgency(a.first_response_clock(rules, now))
                .cmp(&urgency(b.first_response_clock(rules, now))),
            Self::Resolution => urgency(resolution_shown(a, rules, now))
                .cmp(&urgency(resolution_shown(b, rules, now))),
        }
    }
}

/// The clock the resolution column shows: the promised reply's once it is overdue, else the
/// resolution clock.
fn resolution_shown(
    c: &Complaint,
    rules: &crate::domain::complaint::SlaRules,
    now: NaiveDateTime,
) -> Clock {
    match c.next_reply_clock(rules, now) {
        Some(reply @ Clock::Overdue { .. }) => reply,
        _ => c.resolution_clock(rules, now),
    }
}

/// A clock's rank for sorting, most urgent first: running clocks by the seconds left (overdue
/// ones below zero, the most overdue first), then paused clocks, then clocks missed, then met.
fn urgency(clock: Clock) -> (u8, i64) {
    match clock {
        Clock::Overdue { over_secs } => (0, -over_secs),
        Clock::Running { left_secs, .. } | Clock::Warning { left_secs, .. } => (0, left_secs),
        Clock::Paused { left_secs } => (1, left_secs),
        Clock::Missed => (2, 0),
        Clock::Met => (3, 0),
    }
}

/// The complaints screen.
#[derive(Clone, Debug, Default)]
pub struct ComplaintsView {
    text: String,
    applied_text: String,
    list: Vec<Complaint>,
    list_loaded: bool,
    sort: widgets::Sort<Column>,
    selected: Option<i64>,
    detail: Option<(Complaint, Vec<Event>)>,
    /// The claim reported from the shown complaint, if any.
    detail_claim: Option<i64>,
    detail_transfers: Vec<crate::domain::transfer::Transfer>,
    transfer: super::transfers::TransferDraft,
    drafts: StepDrafts,
    /// The complaint the step forms were started on and its stamp then: a save is refused if
    /// another desk changed it since (`store::versions`). Kept when the detail reloads.
    based_on: Option<(i64, i64)>,
    new_form: Option<ComplaintForm>,
    callback_form: Option<CallbackForm>,
}

/// A complaint's file as read on a worker: its stamp (read first), the complaint, its timeline
/// and the claim reported from it.
#[derive(Debug)]
pub struct ComplaintDetail {
    /// The complaint's version stamp (`store::versions`) when it was read.
    pub stamp: i64,
    /// The complaint.
    pub complaint: Complaint,
    /// Its timeline.
    pub events: Vec<Event>,
    /// The claim reported from it, if any.
    pub claim: Option<i64>,
    /// Its transfers (首问负责制), oldest first.
    pub transfers: Vec<crate::domain::transfer::Transfer>,
}

impl ComplaintsView {
    /// Forgets loaded data.
    pub fn invalidate(&mut self) {
        self.list_loaded = false;
        self.detail = None;
    }

    /// The list's search text, when the list is to be read again.
    pub fn list_to_load(&self) -> Option<String> {
        (!self.list_loaded).then(|| self.applied_text.clone())
    }

    /// Shows the list read for `text`, unless the screen asks for another one by now.
    pub fn set_list(&mut self, text: &str, list: Vec<Complaint>) {
        if self.list_to_load().as_deref() == Some(text) {
            self.list = list;
            self.list_loaded = true;
            self.sort.rows_arrived();
        }
    }

    /// The complaint whose file is to be read, when the one shown is not it.
    pub fn detail_to_load(&self) -> Option<i64> {
        let id = self.selected?;
        self.detail
            .as_ref()
            .is_none_or(|(c, _)| c.id != id)
            .then_some(id)
    }

    /// Shows the file read for complaint `id`, unless another one is selected by now. The step
    /// forms keep what is typed; they count as based on the stamp read when first shown.
    pub fn set_detail(&mut self, id: i64, read: ComplaintDetail) {
        if self.detail_to_load() != Some(id) {
            return;
        }
        if self.based_on.is_none_or(|(based, _)| based != id) {
            self.based_on = Some((id, read.stamp));
        }
        let c = read.complaint;
        if self.drafts.category.is_empty() {
            self.drafts.category.clone_from(&c.category);
            self.drafts.severity = c.severity;
            self.drafts.at_fault = c.at_fault;
        }
        self.detail_claim = read.claim;
        self.detail_transfers = read.transfers;
        self.detail = Some((c, read.events));
    }

    /// The complaint the step forms were started on, and its stamp then.
    pub fn based_on(&self) -> Option<(i64, i64)> {
        self.based_on
    }

    /// Another desk changed the complaint first: the forms now count as based on `stamp`, and
    /// the complaint is read again (what is typed stays).
    pub fn changed_elsewhere(&mut self, id: i64, stamp: i64) {
        self.based_on = Some((id, stamp));
        self.invalidate();
    }

    /// Shows complaint `id`.
    pub fn select(&mut self, id: i64) {
        if self.selected != Some(id) {
            self.selected = Some(id);
            self.detail = None;
            self.drafts = StepDrafts::default();
        }
    }

    /// Reacts to a saved command: clears the step draft that was saved.
    pub fn on_applied(&mut self, cmd: &Command, _created: Option<i64>) {
        let Command::Service(s) = cmd else { return };
        if s.changes().is_some() {
            // Saved: the forms go on from the state this desk just made.
            self.based_on = None;
        }
        let d = &mut self.drafts;
        d.error = None;
        match s {
            ServiceCommand::Clarify { .. } => d.facts.clear(),
            ServiceCommand::Handling { .. } => {
                d.handling.clear();
                d.next_reply.clear();
            }
            ServiceCommand::Reply { .. } => {
                d.reply.clear();
                d.answered = false;
            }
            ServiceCommand::Report { .. } => d.reported_to.clear(),
            ServiceCommand::SetStatus { .. } => {
                d.status_note.clear();
                d.satisfaction = None;
            }
            ServiceCommand::CreateComplaint(_) => self.new_form = None,
            ServiceCommand::ScheduleCallback(_) => self.callback_form = None,
            _ => {}
        }
    }

    /// Draws the screen.
    pub fn ui(&mut self, ui: &mut Ui, cx: &ViewCtx<'_>) -> Vec<Command> {
        let mut commands = Vec::new();
        egui::Panel::left("complaint_list")
            .resizable(true)
            .default_size(520.0)
            .show(ui, |ui| self.list_ui(ui, cx));
        egui::CentralPanel::default().show(ui, |ui| {
            egui::ScrollArea::vertical()
                .auto_shrink(false)
                .show(ui, |ui| commands.extend(self.detail_ui(ui, cx)));
        });
        if let Some(form) = &mut self.new_form {
            match form.ui(ui, cx) {
                Some(Some(draft)) => {
                    commands.push(Command::Service(ServiceCommand::CreateComplaint(draft)))
                }
                Some(None) => self.new_form = None,
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
        commands
    }

    fn list_ui(&mut self, ui: &mut Ui, cx: &ViewCtx<'_>) {
        ui.horizontal(|ui| {
            ui.heading(t("complaints.title"));
            if ui
                .button(RichText::new(t("complaints.new")).strong())
                .clicked()
            {
                self.new_form = Some(ComplaintForm::new(ComplaintDraft {
                    channel: Some(Channel::Visit),
                    ..ComplaintDraft::default()
                }));
            }
        });
        ui.horizontal(|ui| {
            let go =
                widgets::labelled_text(ui, t("history.search"), &mut self.text, 180.0).lost_focus();
            if ui.button(t("history.apply")).clicked() || go {
                self.applied_text = self.text.trim().to_owned();
                self.list_loaded = false;
            }
        });
        ui.label(
            RichText::new(t("complaints.list_hint"))
                .color(theme::MUTED)
                .small(),
        );
        ui.separator();
        self.list_grid_ui(ui, cx);
    }

    /// Draws the complaints with their clocks under headers that sort them; a click on a
    /// number selects the complaint.
    fn list_grid_ui(&mut self, ui: &mut Ui, cx: &ViewCtx<'_>) {
        let rules = &cx.settings.sla;
        let mut pick = None;
        egui::ScrollArea::vertical()
            .auto_shrink(false)
            .show(ui, |ui| {
                egui::Grid::new("complaints_grid")
                    .striped(true)
                    .num_columns(6)
                    .spacing([8.0, 6.0])
                    .show(ui, |ui| {
                        for (column, key) in Column::ALL {
                            widgets::sort_header(ui, t(key), column, &mut self.sort);
                        }
                        ui.end_row();
                        self.sort.sort_if_stale(&mut self.list, |column, a, b| {
                            column.compare(a, b, rules, cx.now)
                        });
                        for c in &self.list {
                            if Self::row_ui(ui, c, self.selected == Some(c.id), cx) {
                                pick = Some(c.id);
                            }
                        }
                    });
                if self.list.is_empty() {
                    ui.label(RichText::new(t("complaints.none")).color(theme::MUTED));
                }
            });
        if let Some(id) = pick {
            self.select(id);
        }
    }

    /// Draws one complaint's row; true when its number was clicked.
    fn row_ui(ui: &mut Ui, c: &Complaint, selected: bool, cx: &ViewCtx<'_>) -> bool {
        let rules = &cx.settings.sla;
        let mut label = RichText::new(format!("#{}", c.id));
        if c.severity() == Severity::Major {
            label = RichText::new(format!("#{} {}", c.id, t("complaint.severity_major")))
                .color(theme::OVERDUE)
                .strong();
        }
        let clicked = ui.selectable_label(selected, label).clicked();
        ui.label(&c.customer_name);
        ui.label(&c.category);
        ui.label(t(c.status().label_key()));
        ui.label(clock_text(c.first_response_clock(rules, cx.now)));
        let mut res = clock_text(c.resolution_clock(rules, cx.now));
        if let Some(Clock::Overdue { .. }) = c.next_reply_clock(rules, cx.now) {
            res = RichText::new(t("complaint.reply_overdue"))
                .color(theme::OVERDUE)
                .strong();
        }
        ui.label(res);
        ui.end_row();
        clicked
    }

    /// Draws the open complaint's file: its header and clocks, classification, status
    /// workflow, the six steps, the claim and callback actions and the timeline.
    fn detail_ui(&mut self, ui: &mut Ui, cx: &ViewCtx<'_>) -> Vec<Command> {
        let mut commands = Vec::new();
        let Some((c, events)) = &self.detail else {
            ui.label(RichText::new(t("complaints.pick")).color(theme::MUTED));
            return commands;
        };
        let (c, events) = (c.clone(), events.clone());
        Self::header_ui(ui, &c, cx);
        commands.extend(widgets::print_button(
            ui,
            "pdf.print_button",
            crate::pdf::documents::Record::Complaint(c.id),
            cx.can_print,
        ));
        let d = &mut self.drafts;
        Self::classification_ui(ui, &c, d, cx, &mut commands);
        ui.separator();
        Self::status_ui(ui, &c, d, &mut commands);
        ui.separator();
        Self::steps_ui(ui, &c, d, &mut commands);
        ui.separator();
        self.claim_and_callback_ui(ui, &c, cx, &mut commands);
        ui.separator();
        super::transfers::case_ui(
            ui,
            (crate::domain::transfer::CaseKind::Complaint, c.id),
            &self.detail_transfers,
            &mut self.transfer,
            cx,
            &mut commands,
        );
        ui.separator();
        Self::timeline_ui(ui, &events, &self.detail_transfers, cx);
        commands
    }

    /// Draws the complaint's heading (number, customer, major mark, status), the line of when
    /// and how it came in, and its first-response, resolution and next-reply clocks.
    fn header_ui(ui: &mut Ui, c: &Complaint, cx: &ViewCtx<'_>) {
        let id = c.id;
        let rules = &cx.settings.sla;
        ui.horizontal(|ui| {
            ui.heading(tf(
                "complaints.heading",
                &[("id", &id.to_string()), ("who", &c.customer_name)],
            ));
            if c.severity() == Severity::Major {
                ui.label(
                    RichText::new(t("complaint.severity_major"))
                        .color(theme::OVERDUE)
                        .strong(),
                );
            }
            ui.label(
                RichText::new(t(c.status().label_key()))
                    .color(theme::ACCENT)
                    .strong(),
            );
        });
        ui.label(format!(
            "{} {} · {} {} · {} {} · {} {}",
            t("complaints.received"),
            c.received_at.format(DISPLAY_FORMAT),
            t("complaint.channel"),
            c.channel.map_or("", |x| t(x.label_key())),
            t("field.phone"),
            mask_phone(&c.phone),
            t("complaint.waybill"),
            if c.waybill.is_empty() {
                "—"
            } else {
                c.waybill.as_str()
            },
        ));
        ui.horizontal(|ui| {
            ui.label(t("complaints.col_first"));
            ui.label(clock_text(c.first_response_clock(rules, cx.now)));
            ui.separator();
            ui.label(t("complaints.col_resolution"));
            ui.label(clock_text(c.resolution_clock(rules, cx.now)));
            if let Some(clock) = c.next_reply_clock(rules, cx.now) {
                ui.separator();
                ui.label(tf(
                    "complaint.next_reply_at",
                    &[(
                        "t",
                        &c.next_reply_at
                            .map(|t| t.format(DISPLAY_FORMAT).to_string())
                            .unwrap_or_default(),
                    )],
                ));
                ui.label(clock_text(clock));
            }
        });
    }

    /// Draws the classification row (category, severity, who is at fault, save), the wording
    /// to use for that fault and the last step error; a save queues `Classify` in `commands`.
    fn classification_ui(
        ui: &mut Ui,
        c: &Complaint,
        d: &mut StepDrafts,
        cx: &ViewCtx<'_>,
        commands: &mut Vec<Command>,
    ) {
        let id = c.id;
        ui.horizontal_wrapped(|ui| {
            let l = ui.label(t("complaint.category"));
            category_combo(
                ui,
                "detail_category",
                &mut d.category,
                &cx.board.categories,
                l.id,
            );
            for s in Severity::ALL {
                ui.radio_value(&mut d.severity, Some(*s), t(s.label_key()));
            }
            ui.label(t("complaint.at_fault"));
            for f in AtFault::ALL {
                ui.radio_value(&mut d.at_fault, Some(*f), t(f.label_key()));
            }
            let changed =
                d.category != c.category || d.severity != c.severity || d.at_fault != c.at_fault;
            if ui
                .add_enabled(changed, egui::Button::new(t("complaint.save_class")))
                .clicked()
                && let (Some(severity), Some(at_fault)) = (d.severity, d.at_fault)
            {
                commands.push(Command::Service(ServiceCommand::Classify {
                    id,
                    category: d.category.clone(),
                    severity,
                    at_fault,
                }));
            }
        });
        let wording = Complaint {
            at_fault: d.at_fault,
            ..Complaint::default()
        }
        .wording_key();
        widgets::banner(
            ui,
            theme::WARN_BG,
            RichText::new(tf("complaint.wording", &[("line", t(wording))])).color(theme::ACCENT),
        );
        if let Some(e) = &d.error {
            ui.label(RichText::new(e).color(theme::OVERDUE));
        }
    }

    /// Draws the status workflow: the note, the moves the status allows (or reopen), and the
    /// satisfaction and close button while open; a move queues `SetStatus` in `commands`.
    fn status_ui(ui: &mut Ui, c: &Complaint, d: &mut StepDrafts, commands: &mut Vec<Command>) {
        let id = c.id;
        ui.label(RichText::new(t("complaint.status_change")).strong());
        widgets::labelled_text(ui, t("complaint.status_note"), &mut d.status_note, 380.0);
        ui.horizontal_wrapped(|ui| {
            for to in [Status::InProgress, Status::WaitingCustomer, Status::Replied] {
                if c.status().can_move_to(to) && c.status() != Status::Closed {
                    let label = tf("complaint.move_to", &[("status", t(to.label_key()))]);
                    if ui.button(label).clicked() {
                        commands.push(Command::Service(ServiceCommand::SetStatus {
                            id,
                            to,
                            satisfaction: None,
                            note: d.status_note.clone(),
                        }));
                    }
                }
            }
            if c.status() == Status::Closed && ui.button(t("complaint.reopen")).clicked() {
                commands.push(Command::Service(ServiceCommand::SetStatus {
                    id,
                    to: Status::InProgress,
                    satisfaction: None,
                    note: d.status_note.clone(),
                }));
            }
        });
        if c.status() != Status::Closed {
            ui.horizontal_wrapped(|ui| {
                ui.label(t("complaint.satisfaction"));
                for s in Satisfaction::ALL {
                    ui.radio_value(&mut d.satisfaction, Some(*s), t(s.label_key()));
                }
                if ui
                    .button(RichText::new(t("complaint.close")).strong())
                    .clicked()
                {
                    commands.push(Command::Service(ServiceCommand::SetStatus {
                        id,
                        to: Status::Closed,
                        satisfaction: d.satisfaction,
                        note: d.status_note.clone(),
                    }));
                }
            });
        } else if let Some(s) = c.satisfaction {
            ui.label(tf("complaint.closed_with", &[("s", t(s.label_key()))]));
        }
    }

    /// Draws the six steps, each with its done mark and, indented, what was recorded and the
    /// form for it; the report step only for a major complaint or one already reported.
    fn steps_ui(ui: &mut Ui, c: &Complaint, d: &mut StepDrafts, commands: &mut Vec<Command>) {
        for step in Step::ALL {
            if step == Step::Reported && c.severity() != Severity::Major && c.reported_at.is_none()
            {
                continue;
            }
            let done = c.step_done(step);
            let mark = if done { "●" } else { "○" };
            ui.label(
                RichText::new(format!("{mark} {}", t(step.label_key())))
                    .strong()
                    .color(if done { theme::OK } else { theme::ACCENT }),
            );
            ui.indent(step.label_key(), |ui| match step {
                Step::Heard => {
                    ui.label(&c.content);
                }
                Step::Clarified => Self::clarified_ui(ui, c, d, commands),
                Step::Followed => Self::followed_ui(ui, c, d, commands),
                Step::Replied => Self::replied_ui(ui, c, d, commands),
                Step::Recorded => {
                    if let Some(at) = c.recorded_at {
                        ui.label(at.format(DISPLAY_FORMAT).to_string());
                    } else if ui.button(t("complaint.mark_recorded")).clicked() {
                        commands.push(Command::Service(ServiceCommand::MarkRecorded(c.id)));
                    }
                }
                Step::Reported => Self::reported_ui(ui, c, d, commands),
            });
        }
    }

    /// Draws the clarify step: the facts found so far and the box to save them.
    fn clarified_ui(ui: &mut Ui, c: &Complaint, d: &mut StepDrafts, commands: &mut Vec<Command>) {
        if !c.facts.is_empty() {
            ui.label(&c.facts);
        }
        ui.horizontal(|ui| {
            widgets::labelled_text(ui, t("complaint.facts"), &mut d.facts, 320.0);
            if ui.button(t("complaint.save_facts")).clicked() {
                commands.push(Command::Service(ServiceCommand::Clarify {
                    id: c.id,
                    facts: d.facts.clone(),
                }));
            }
        });
    }

    /// Draws the follow-up step: how many handling entries there are, and the form for one
    /// more with the time of the next reply (a bad time goes to the step error).
    fn followed_ui(ui: &mut Ui, c: &Complaint, d: &mut StepDrafts, commands: &mut Vec<Command>) {
        ui.label(tf(
            "complaint.handling_count",
            &[("n", &c.handling_entries.to_string())],
        ));
        widgets::labelled_text(ui, t("complaint.handling"), &mut d.handling, 380.0);
        ui.horizontal(|ui| {
            widgets::labelled_text(ui, t("complaint.next_reply"), &mut d.next_reply, 140.0);
            if ui.button(t("complaint.add_handling")).clicked() {
                match parse_time(&d.next_reply) {
                    Ok(next_reply_at) => {
                        commands.push(Command::Service(ServiceCommand::Handling {
                            id: c.id,
                            text: d.handling.clone(),
                            next_reply_at,
                        }))
                    }
                    Err(e) => d.error = Some(e),
                }
            }
        });
    }

    /// Draws the reply step: how the customer was answered, what was said and whether it
    /// answered the complaint (no channel picked goes to the step error).
    fn replied_ui(ui: &mut Ui, c: &Complaint, d: &mut StepDrafts, commands: &mut Vec<Command>) {
        ui.horizontal(|ui| {
            ui.label(t("complaint.reply_how"));
            for r in ReplyChannel::ALL {
                ui.radio_value(&mut d.reply_channel, Some(*r), t(r.label_key()));
            }
        });
        widgets::labelled_text(ui, t("complaint.reply"), &mut d.reply, 380.0);
        ui.horizontal(|ui| {
            ui.checkbox(&mut d.answered, t("complaint.answered"));
            if ui.button(t("complaint.add_reply")).clicked() {
                match d.reply_channel {
                    Some(channel) => commands.push(Command::Service(ServiceCommand::Reply {
                        id: c.id,
                        channel,
                        text: d.reply.clone(),
                        answered: d.answered,
                    })),
                    None => {
                        d.error = Some(format!(
                            "{}: {}",
                            t("complaint.reply_how"),
                            t("err.required")
                        ))
                    }
                }
            }
        });
    }

    /// Draws the report step: the note that the supervisor's inbox gets it by itself, whom it
    /// was reported to and the box to save that.
    fn reported_ui(ui: &mut Ui, c: &Complaint, d: &mut StepDrafts, commands: &mut Vec<Command>) {
        ui.label(RichText::new(t("complaint.inbox_auto")).color(theme::MUTED));
        if !c.reported_to.is_empty() {
            ui.label(tf("complaint.reported_to_was", &[("who", &c.reported_to)]));
        }
        ui.horizontal(|ui| {
            widgets::labelled_text(ui, t("complaint.reported_to"), &mut d.reported_to, 200.0);
            if ui.button(t("complaint.save_report")).clicked() {
                commands.push(Command::Service(ServiceCommand::Report {
                    id: c.id,
                    to_whom: d.reported_to.clone(),
                }));
            }
        });
    }

    /// Draws the link to the complaint's claim (or the button to report one) and the button
    /// that opens the callback form for this customer.
    fn claim_and_callback_ui(
        &mut self,
        ui: &mut Ui,
        c: &Complaint,
        cx: &ViewCtx<'_>,
        commands: &mut Vec<Command>,
    ) {
        let id = c.id;
        // A complaint becomes one claim at most: once it has one, link to it.
        if let Some(claim_id) = self.detail_claim {
            if ui
                .button(tf("complaint.open_claim", &[("id", &claim_id.to_string())]))
                .clicked()
            {
                commands.push(Command::OpenClaim(claim_id));
            }
        } else if ui.button(t("complaint.to_claim")).clicked() {
            commands.push(Command::OpenClaimForm(Box::new(
                super::claims::draft_from_complaint(c, cx.now),
            )));
        }
        if ui.button(t("calls.schedule_callback")).clicked() {
            self.callback_form = Some(CallbackForm {
                callback: Callback {
                    name: c.customer_name.clone(),
                    phone: c.phone.clone(),
                    purpose: tf("complaint.callback_purpose", &[("id", &id.to_string())]),
                    complaint_id: Some(id),
                    customer_id: c.customer_id,
                    ..Callback::default()
                },
                due: (cx.now.date() + chrono::Duration::days(1))
                    .format("%Y-%m-%d")
                    .to_string(),
                error: None,
            });
        }
    }

    /// Draws the complaint's timeline: when, who, what, and the details of each event, with
    /// the steps of its transfers in between.
    fn timeline_ui(ui: &mut Ui, events: &[Event], transfers: &[Transfer], cx: &ViewCtx<'_>) {
        ui.label(RichText::new(t("complaint.timeline")).strong());
        let lines = timeline(events, transfers, &|id| cx.staff_name(id));
        super::transfers::timeline_ui(ui, "complaint_timeline", &lines);
    }
}

/// A complaint's timeline (the screen and the printed record): its events, with the steps of
/// its transfers put in by time. `staff` names a staff member by id.
pub(crate) fn timeline(
    events: &[Event],
    transfers: &[Transfer],
    staff: &dyn Fn(Option<i64>) -> String,
) -> Vec<super::transfers::TimelineLine> {
    let lines = events
        .iter()
        .map(|e| super::transfers::TimelineLine {
            at: e.at,
            who: staff(e.staff_id),
            what: event_label(e),
            detail: event_detail(e),
            transfer: false,
        })
        .collect();
    super::transfers::with_transfers(lines, transfers, staff)
}

/// What was said or done at a timeline event: its text, with how a reply reached the customer
/// and the next reply promised (the screen and the printed record).
pub(crate) fn event_detail(e: &Event) -> String {
    let mut detail = e.detail.clone();
    if let Some(ch) = e.reply_channel {
        detail = format!("[{}] {detail}", t(ch.label_key()));
    }
    if let Some(at) = e.next_reply_at {
        let promised = tf(
            "complaint.next_reply_at",
            &[("t", &at.format(DISPLAY_FORMAT).to_string())],
        );
        detail = format!("{detail} ({promised})");
    }
    detail
}

/// What a timeline event was, in the UI language (the screen and the printed record).
pub(crate) fn event_label(e: &Event) -> String {
    match e.kind.as_str() {
        "status" => tf(
            "complaint.event_status",
            &[("status", e.status.map_or("", |s| t(s.label_key())))],
        ),
        "clarified" => t("complaint.step_clarified").to_owned(),
        "handling" => t("complaint.event_handling").to_owned(),
        "reply" => t("complaint.event_reply").to_owned(),
        "recorded" => t("complaint.step_recorded").to_owned(),
        "reported" => t("complaint.step_reported").to_owned(),
        _ => t("complaint.event_edit").to_owned(),
    }
}

/// Parses an optional `YYYY-MM-DD HH:MM` time.
fn parse_time(s: &str) -> Result<Option<NaiveDateTime>, String> {
    let s = s.trim();
    if s.is_empty() {
        return Ok(None);
    }
    NaiveDateTime::parse_from_str(&format!("{s}:00"), TIMESTAMP_FORMAT)
        .map(Some)
        .map_err(|_| tf("complaint.bad_time", &[("value", s)]))
}
