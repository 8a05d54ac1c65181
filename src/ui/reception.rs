//! 今日接待: the reception board — arrivals, greeting and water timers, the waiting queue,
//! registration, hand-over, seeing-off, and the day's counts.

use egui::{RichText, Ui};

use super::{theme, widgets};
use crate::app::{Command, ViewCtx};
use crate::domain::call::CallbackState;
use crate::domain::complaint::Satisfaction;
use crate::domain::customer::{Customer, Honorific, mask_phone};
use crate::domain::format_timer;
use crate::domain::visit::{
    RegistrationDraft, Script, SeeOffChecklist, Stage, TimerState, TravelMode, Visit,
};
use crate::i18n::{t, tf};

/// The text of a line to say.
pub fn script_text(script: &Script) -> String {
    match script {
        Script::GreetKnown(s) => tf("script.greet_known", &[("salutation", s)]),
        Script::GreetUnknown => t("script.greet_unknown").to_owned(),
        Script::Apology => t("script.apology").to_owned(),
        Script::AcknowledgeWaiting => t("script.acknowledge").to_owned(),
        Script::Farewell => t("script.farewell").to_owned(),
    }
}

/// How a visitor is named on the board: "王先生", or "访客 #12" before registration.
pub fn visitor_name(v: &Visit) -> String {
    match v.salutation() {
        Some(s) if !v.name.is_empty() => format!("{s}({})", v.name),
        Some(s) => s,
        None => tf("reception.unnamed", &[("id", &v.id.to_string())]),
    }
}

/// The registration form (new walk-in, details for an arrived visitor, or a correction).
#[derive(Clone, Debug, Default)]
pub struct RegForm {
    /// The visit being registered or corrected; `None` for a new walk-in.
    pub visit_id: Option<i64>,
    /// A correction of a registered visit (needs a reason).
    pub correcting: bool,
    /// What is typed.
    pub draft: RegistrationDraft,
    /// Why the correction is made.
    pub reason: String,
    /// The customer picked from the suggestions.
    pub picked: Option<Customer>,
    /// Set once the first field got the keyboard focus.
    pub focused: bool,
}

impl RegForm {
    /// A form pre-filled from an existing visit.
    pub fn for_visit(v: &Visit, correcting: bool) -> Self {
        Self {
            visit_id: Some(v.id),
            correcting,
            draft: RegistrationDraft {
                surname: v.surname.clone(),
                honorific: v.honorific,
                name: v.name.clone(),
                phone: v.phone.clone(),
                company: v.company.clone(),
                region: v.region.clone(),
                party_size: v.party_size.to_string(),
                purpose: v.purpose.clone(),
                customer_id: v.customer_id,
            },
            reason: String::new(),
            picked: None,
            focused: false,
        }
    }

    /// The text to look customers up by: the phone once 3 characters are typed, else the name
    /// or surname.
    fn query(&self) -> String {
        let phone = self.draft.phone.trim();
        if phone.chars().count() >= 3 {
            return phone.to_owned();
        }
        let name = self.draft.name.trim();
        if !name.is_empty() {
            return name.to_owned();
        }
        self.draft.surname.trim().to_owned()
    }
}

/// The hand-over form.
#[derive(Clone, Debug, Default)]
pub struct HandOverForm {
    /// The visit.
    pub visit_id: i64,
    /// Who takes over.
    pub to: Option<i64>,
    /// Purpose.
    pub purpose: String,
}

/// The seeing-off checklist form.
#[derive(Clone, Debug, Default)]
pub struct SeeOffForm {
    /// The visit.
    pub visit_id: i64,
    /// The checklist.
    pub checklist: SeeOffChecklist,
}

/// The cancel form.
#[derive(Clone, Debug, Default)]
pub struct CancelForm {
    /// The visit.
    pub visit_id: i64,
    /// Why.
    pub reason: String,
}

/// The dialogs that act on one visit; shared by the board and the history list.
#[derive(Clone, Debug, Default)]
pub struct Dialogs {
    /// Registration / correction.
    pub reg: Option<RegForm>,
    /// Hand-over.
    pub hand_over: Option<HandOverForm>,
    /// Seeing-off.
    pub see_off: Option<SeeOffForm>,
    /// Cancel.
    pub cancel: Option<CancelForm>,
    /// Recording a callback's result.
    pub callback_result: Option<CallbackResultForm>,
    /// Customers matching the registration form, and the query they were found for.
    pub suggestions: Option<(String, Vec<Customer>)>,
}

impl Dialogs {
    /// The visit an open dialog acts on (a new walk-in's registration acts on none).
    pub fn visit_id(&self) -> Option<i64> {
        self.reg
            .as_ref()
            .and_then(|f| f.visit_id)
            .or_else(|| self.hand_over.as_ref().map(|f| f.visit_id))
            .or_else(|| self.see_off.as_ref().map(|f| f.visit_id))
            .or_else(|| self.cancel.as_ref().map(|f| f.visit_id))
    }

    /// Closes the dialog whose command was saved (forms stay open, contents intact, on failure).
    pub fn on_applied(&mut self, cmd: &Command) {
        match cmd {
            Command::Register { .. } | Command::Correct { .. } => {
                self.reg = None;
                self.suggestions = None;
            }
            Command::HandOver { .. } => self.hand_over = None,
            Command::Depart { .. } => self.see_off = None,
            Command::Cancel { .. } => self.cancel = None,
            Command::Service(crate::app::ServiceCommand::CompleteCallback { .. }) => {
                self.callback_result = None;
            }
            _ => {}
        }
    }

    /// Draws the open dialogs.
    pub fn ui(&mut self, ui: &mut Ui, cx: &ViewCtx<'_>) -> Vec<Command> {
        let mut commands = Vec::new();
        commands.extend(self.reg_ui(ui, cx));
        commands.extend(self.hand_over_ui(ui, cx));
        commands.extend(self.see_off_ui(ui, cx));
        commands.extend(self.cancel_ui(ui));
        commands.extend(self.callback_result_ui(ui, cx));
        commands
    }

    fn reg_ui(&mut self, ui: &mut Ui, cx: &ViewCtx<'_>) -> Option<Command> {
        let form = self.reg.as_mut()?;
        let title = if form.correcting {
            t("register.title_correct")
        } else if form.visit_id.is_some() {
            t("register.title_visitor")
        } else {
            t("register.title_walk_in")
        };
        let mut close = widgets::escape_pressed(ui);
        let mut submit = false;
        let suggestions = self
            .suggestions
            .as_ref()
            .map(|(_, s)| s.as_slice())
            .unwrap_or_default();
        dialog(title).show(ui.ctx(), |ui| {
            egui::Grid::new("reg_grid")
                .num_columns(2)
                .spacing([12.0, 8.0])
                .show(ui, |ui| {
                    let phone =
                        widgets::labelled_text(ui, t("field.phone"), &mut form.draft.phone, 220.0);
                    widgets::focus_once(ui, &phone, &mut form.focused);
                    ui.end_row();
                    widgets::labelled_text(ui, t("field.surname"), &mut form.draft.surname, 220.0);
                    ui.end_row();
                    ui.label(t("field.honorific"));
                    ui.horizontal(|ui| {
                        for h in Honorific::ALL {
                            ui.radio_value(&mut form.draft.honorific, Some(h), t(h.label_key()));
                        }
                    });
                    ui.end_row();
                    widgets::labelled_text(ui, t("field.name"), &mut form.draft.name, 220.0);
                    ui.end_row();
                    widgets::labelled_text(ui, t("field.company"), &mut form.draft.company, 220.0);
                    ui.end_row();
                    widgets::labelled_text(ui, t("field.region"), &mut form.draft.region, 220.0);
                    ui.end_row();
                    widgets::labelled_text(
                        ui,
                        t("field.party_size"),
                        &mut form.draft.party_size,
                        60.0,
                    );
                    ui.end_row();
                    widgets::labelled_text(ui, t("field.purpose"), &mut form.draft.purpose, 220.0);
                    ui.end_row();
                    if form.correcting {
                        widgets::labelled_text(
                            ui,
                            t("field.correct_reason"),
                            &mut form.reason,
                            220.0,
                        );
                        ui.end_row();
                    }
                });
            if let Some(who) = form
                .picked
                .as_ref()
                .map(|c| c.salutation().unwrap_or_else(|| c.name.clone()))
            {
                ui.horizontal(|ui| {
                    ui.label(
                        RichText::new(tf("register.returning", &[("who", &who)]))
                            .color(theme::OK)
                            .strong(),
                    );
                    if ui.small_button(t("register.unpick")).clicked() {
                        form.picked = None;
                        form.draft.customer_id = None;
                    }
                });
            } else if !suggestions.is_empty() {
                ui.label(RichText::new(t("register.suggestions")).color(theme::MUTED));
                for c in suggestions {
                    let text = format!(
                        "{} {} {} {}",
                        c.salutation().unwrap_or_else(|| c.surname.clone()),
                        c.name,
                        mask_phone(&c.phone),
                        c.company
                    );
                    if ui.button(text).clicked() {
                        pick(form, c);
                    }
                }
            }
            egui::CollapsingHeader::new(t("register.privacy"))
                .default_open(false)
                .show(ui, |ui| {
                    ui.label(RichText::new(&cx.settings.privacy_notice).color(theme::MUTED));
                });
            ui.separator();
            ui.horizontal(|ui| {
                let save = if form.correcting {
                    t("register.save_correct")
                } else {
                    t("register.save")
                };
                if ui.button(RichText::new(save).strong()).clicked() || widgets::enter_pressed(ui) {
                    submit = true;
                }
                if ui.button(t("common.cancel")).clicked() {
                    close = true;
                }
            });
        });
        if close {
            self.reg = None;
            self.suggestions = None;
            return None;
        }
        if !submit {
            return None;
        }
        let form = self.reg.as_ref()?;
        Some(if form.correcting {
            Command::Correct {
                visit_id: form.visit_id?,
                draft: form.draft.clone(),
                reason: form.reason.clone(),
            }
        } else {
            Command::Register {
                visit_id: form.visit_id,
                draft: form.draft.clone(),
            }
        })
    }

    fn hand_over_ui(&mut self, ui: &mut Ui, cx: &ViewCtx<'_>) -> Option<Command> {
        let form = self.hand_over.as_mut()?;
        let mut close = widgets::escape_pressed(ui);
        let mut submit = false;
        dialog(t("handover.title")).show(ui.ctx(), |ui| {
            widgets::labelled_text(ui, t("field.purpose"), &mut form.purpose, 260.0);
            let label = ui.label(t("handover.to"));
            let selected = form.to.map_or_else(
                || t("handover.pick").to_owned(),
                |id| cx.staff_name(Some(id)),
            );
            egui::ComboBox::from_id_salt("hand_over_to")
                .selected_text(selected)
                .width(260.0)
                .show_ui(ui, |ui| {
                    // By role, so the matter goes to the right desk: a business question to a
                    // 业务员, a claim to a 理赔员, an invoice to a 开票员.
                    let staff = cx.active_staff_by_role();
                    if let Some(s) = widgets::staff_choices_ui(ui, &staff, form.to) {
                        form.to = Some(s.id);
                    }
                })
                .response
                .labelled_by(label.id);
            ui.separator();
            ui.horizontal(|ui| {
                if ui
                    .button(RichText::new(t("handover.confirm")).strong())
                    .clicked()
                    || widgets::enter_pressed(ui)
                {
                    submit = true;
                }
                if ui.button(t("common.cancel")).clicked() {
                    close = true;
                }
            });
        });
        if close {
            self.hand_over = None;
            return None;
        }
        let form = self.hand_over.as_ref()?;
        if !submit {
            return None;
        }
        Some(Command::HandOver {
            visit_id: form.visit_id,
            to: form.to,
            purpose: form.purpose.clone(),
        })
    }

    fn see_off_ui(&mut self, ui: &mut Ui, cx: &ViewCtx<'_>) -> Option<Command> {
        let form = self.see_off.as_mut()?;
        let mut close = widgets::escape_pressed(ui);
        let mut submit = false;
        let who = cx
            .board
            .present
            .iter()
            .find(|v| v.id == form.visit_id)
            .map(visitor_name)
            .unwrap_or_default();
        dialog(t("seeoff.title")).show(ui.ctx(), |ui| {
            ui.label(RichText::new(who).strong());
            ui.label(tf(
                "seeoff.say",
                &[("line", &script_text(&Script::Farewell))],
            ));
            ui.separator();
            let c = &mut form.checklist;
            ui.checkbox(&mut c.offered_accompany, t("seeoff.accompany"));
            ui.label(t("seeoff.travel"));
            ui.horizontal_wrapped(|ui| {
                for m in TravelMode::ALL {
                    ui.radio_value(&mut c.travel_mode, Some(m), t(m.label_key()));
                }
            });
            ui.label(
                RichText::new(t("seeoff.travel_hint"))
                    .color(theme::MUTED)
                    .small(),
            );
            ui.checkbox(&mut c.reminded_belongings, t("seeoff.belongings"));
            ui.checkbox(&mut c.reminded_documents, t("seeoff.documents"));
            ui.checkbox(&mut c.reminded_next_contact, t("seeoff.next_contact"));
            ui.separator();
            ui.horizontal(|ui| {
                if ui
                    .button(RichText::new(t("seeoff.confirm")).strong())
                    .clicked()
                {
                    submit = true;
                }
                if ui.button(t("seeoff.later")).clicked() {
                    close = true;
                }
            });
        });
        if close {
            self.see_off = None;
            return None;
        }
        let form = self.see_off.as_ref()?;
        submit.then(|| Command::Depart {
            visit_id: form.visit_id,
            checklist: form.checklist.clone(),
        })
    }

    fn cancel_ui(&mut self, ui: &mut Ui) -> Option<Command> {
        let form = self.cancel.as_mut()?;
        let mut close = widgets::escape_pressed(ui);
        let mut submit = false;
        dialog(t("cancel.title")).show(ui.ctx(), |ui| {
            ui.label(RichText::new(t("cancel.explain")).color(theme::MUTED));
            let reason =
                widgets::labelled_text(ui, t("field.cancel_reason"), &mut form.reason, 260.0);
            if form.reason.is_empty() && !reason.has_focus() && !reason.lost_focus() {
                reason.request_focus();
            }
            ui.horizontal(|ui| {
                if ui
                    .button(RichText::new(t("cancel.confirm")).strong())
                    .clicked()
                    || widgets::enter_pressed(ui)
                {
                    submit = true;
                }
                if ui.button(t("common.back")).clicked() {
                    close = true;
                }
            });
        });
        if close {
            self.cancel = None;
            return None;
        }
        let form = self.cancel.as_ref()?;
        submit.then(|| Command::Cancel {
            visit_id: form.visit_id,
            reason: form.reason.clone(),
        })
    }
}

fn pick(form: &mut RegForm, c: &Customer) {
    form.draft.customer_id = Some(c.id);
    form.draft.surname.clone_from(&c.surname);
    if c.honorific.is_some() {
        form.draft.honorific = c.honorific;
    }
    form.draft.name.clone_from(&c.name);
    form.draft.phone.clone_from(&c.phone);
    form.draft.company.clone_from(&c.company);
    form.draft.region.clone_from(&c.region);
    form.picked = Some(c.clone());
}

fn dialog(title: &str) -> egui::Window<'static> {
    egui::Window::new(title.to_owned())
        .collapsible(false)
        .resizable(false)
        .anchor(egui::Align2::CENTER_CENTER, [0.0, 0.0])
        .min_width(460.0)
}

/// The reception board.
#[derive(Clone, Debug, Default)]
pub struct ReceptionView {
    /// The dialogs.
    pub dialogs: Dialogs,
}

impl ReceptionView {
    /// The customer query whose suggestions should be loaded now, if it changed.
    pub fn suggestion_query_to_load(&self) -> Option<String> {
        let form = self.dialogs.reg.as_ref()?;
        if form.picked.is_some() {
            return None;
        }
        let q = form.query();
        match &self.dialogs.suggestions {
            Some((loaded, _)) if *loaded == q => None,
            _ => Some(q),
        }
    }

    /// Stores the suggestions found for `query`.
    pub fn set_suggestions(&mut self, query: String, found: Vec<Customer>) {
        self.dialogs.suggestions = Some((query, found));
    }

    /// Reacts to a saved command.
    pub fn on_applied(&mut self, cmd: &Command) {
        self.dialogs.on_applied(cmd);
    }

    /// The visit an open dialog acts on.
    pub fn dialog_visit(&self) -> Option<i64> {
        self.dialogs.visit_id()
    }

    /// Draws the board.
    pub fn ui(&mut self, ui: &mut Ui, cx: &ViewCtx<'_>) -> Vec<Command> {
        let mut commands = Vec::new();
        let no_dialog = self.dialogs.reg.is_none()
            && self.dialogs.hand_over.is_none()
            && self.dialogs.see_off.is_none()
            && self.dialogs.cancel.is_none();
        ui.horizontal(|ui| {
            let arrive = egui::Button::new(
                RichText::new(t("reception.arrive"))
                    .size(20.0)
                    .strong()
                    .color(egui::Color32::WHITE),
            )
            .fill(theme::ACCENT)
            .min_size(egui::vec2(140.0, 40.0));
            if ui
                .add(arrive)
                .on_hover_text(t("reception.arrive_hint"))
                .clicked()
                || (no_dialog
                    && ui.input_mut(|i| i.consume_key(egui::Modifiers::NONE, egui::Key::F2)))
            {
                commands.push(Command::Arrive);
            }
            let register = egui::Button::new(RichText::new(t("reception.walk_in")).size(16.0))
                .min_size(egui::vec2(110.0, 40.0));
            if ui
                .add(register)
                .on_hover_text(t("reception.walk_in_hint"))
                .clicked()
                || (no_dialog
                    && ui.input_mut(|i| i.consume_key(egui::Modifiers::NONE, egui::Key::F3)))
            {
                self.dialogs.reg = Some(RegForm::default());
            }
            ui.separator();
            counts_ui(ui, cx);
        });
        ui.add_space(4.0);
        callouts_ui(ui, cx);

        egui::Panel::right("waiting_queue")
            .resizable(true)
            .default_size(300.0)
            .show(ui, |ui| {
                queue_ui(ui, cx);
                if let Some(form) = callbacks_ui(ui, cx) {
                    self.dialogs.callback_result = Some(form);
                }
            });

        egui::CentralPanel::default().show(ui, |ui| {
            if cx.board.present.is_empty() {
                ui.add_space(40.0);
                ui.vertical_centered(|ui| {
                    ui.label(
                        RichText::new(t("reception.nobody"))
                            .size(18.0)
                            .color(theme::MUTED),
                    );
                    ui.label(RichText::new(t("reception.nobody_hint")).color(theme::MUTED));
                });
                return;
            }
            egui::ScrollArea::vertical()
                .auto_shrink(false)
                .show(ui, |ui| {
                    for v in &cx.board.present {
                        ui.push_id(v.id, |ui| self.visitor_card_ui(ui, cx, v, &mut commands));
                    }
                });
        });
        commands.extend(self.dialogs.ui(ui, cx));
        commands
    }

    /// One present visitor: name, stage, timers, the line to say, and the next actions.
    fn visitor_card_ui(
        &mut self,
        ui: &mut Ui,
        cx: &ViewCtx<'_>,
        v: &Visit,
        commands: &mut Vec<Command>,
    ) {
        let rules = &cx.settings.rules;
        let greeting = v.greeting_state(cx.now, rules);
        let fill = if greeting == TimerState::Overdue
            || v.water_state(cx.now, rules) == TimerState::Overdue
        {
            theme::OVERDUE_BG
        } else {
            ui.visuals().faint_bg_color
        };
        egui::Frame::new()
            .fill(fill)
            .inner_margin(8.0)
            .corner_radius(6.0)
            .show(ui, |ui| {
                ui.set_width(ui.available_width());
                visitor_header_ui(ui, v);
                ui.horizontal_wrapped(|ui| {
                    greeting_timer_ui(ui, cx, v, greeting, commands);
                    ui.separator();
                    water_timer_ui(ui, cx, v, commands);
                    ui.separator();
                    self.hand_over_ui(ui, cx, v);
                });
                say_line_ui(ui, v, greeting);
                self.visit_actions_ui(ui, v, cx.can_print, commands);
                step_log_ui(ui, cx, v);
            });
        ui.add_space(6.0);
    }

    /// The hand-over on a visitor's card: to whom the visitor was handed over, or the button
    /// that opens the hand-over dialog (not once the seeing-off has started).
    fn hand_over_ui(&mut self, ui: &mut Ui, cx: &ViewCtx<'_>, v: &Visit) {
        if let Some(to) = v.handed_over_to {
            ui.label(tf(
                "reception.handed_to",
                &[("who", &cx.staff_name(Some(to))), ("purpose", &v.purpose)],
            ));
        } else if v.seeing_off_at.is_none() && ui.button(t("reception.hand_over")).clicked() {
            self.dialogs.hand_over = Some(HandOverForm {
                visit_id: v.id,
                to: None,
                purpose: v.purpose.clone(),
            });
        }
    }

    /// The row of buttons under a visitor's card: register (or correct), leaving (or continue
    /// the seeing-off) and cancel; each opens its dialog.
    fn visit_actions_ui(
        &mut self,
        ui: &mut Ui,
        v: &Visit,
        can_print: bool,
        commands: &mut Vec<Command>,
    ) {
        ui.horizontal(|ui| {
            if v.registered_at.is_none() {
                if ui.button(t("reception.register")).clicked() {
                    self.dialogs.reg = Some(RegForm::for_visit(v, false));
                }
            } else {
                if ui.button(t("reception.correct")).clicked() {
                    self.dialogs.reg = Some(RegForm::for_visit(v, true));
                }
                commands.extend(widgets::print_button(
                    ui,
                    "pdf.pass_button",
                    crate::pdf::documents::Record::Pass(v.id),
                    can_print,
                ));
            }
            let leave_label = if v.stage() == Stage::SeeingOff {
                t("reception.see_off_continue")
            } else {
                t("reception.leaving")
            };
            if ui.button(leave_label).clicked() {
                if v.seeing_off_at.is_none() {
                    commands.push(Command::StartSeeOff(v.id));
                }
                self.dialogs.see_off = Some(SeeOffForm {
                    visit_id: v.id,
                    checklist: SeeOffChecklist::default(),
                });
            }
            // A waybill change asked at the counter (更改收货人、联系电话).
            if v.registered_at.is_some() && ui.button(t("reception.to_waybill")).clicked() {
                commands.push(Command::OpenWaybillForm(Box::new(
                    crate::domain::waybill::ChangeDraft {
                        customer_id: v.customer_id,
                        visit_id: Some(v.id),
                        requester: if v.name.is_empty() {
                            v.salutation().unwrap_or_default()
                        } else {
                            v.name.clone()
                        },
                        requester_phone: v.phone.clone(),
                        ..Default::default()
                    },
                )));
            }
            if ui.button(t("reception.cancel_visit")).clicked() {
                self.dialogs.cancel = Some(CancelForm {
                    visit_id: v.id,
                    reason: String::new(),
                });
            }
        });
    }
}

/// The top line of a visitor's card: name, party size, returning, arrival time, stage and phone.
fn visitor_header_ui(ui: &mut Ui, v: &Visit) {
    ui.horizontal(|ui| {
        ui.label(RichText::new(visitor_name(v)).size(18.0).strong());
        if v.party_size > 1 {
            ui.label(tf("reception.party", &[("n", &v.party_size.to_string())]));
        }
        if v.returning {
            ui.label(RichText::new(t("reception.returning")).color(theme::OK));
        }
        ui.label(
            RichText::new(tf(
                "reception.arrived_at",
                &[("time", &v.arrived_at.format("%H:%M:%S").to_string())],
            ))
            .color(theme::MUTED),
        );
        ui.label(
            RichText::new(t(v.stage().label_key()))
                .strong()
                .color(theme::ACCENT),
        );
        if !v.phone.is_empty() {
            ui.label(RichText::new(mask_phone(&v.phone)).color(theme::MUTED));
        }
    });
}

/// The greeting timer on a visitor's card with its warning, and the greet button or who greeted.
fn greeting_timer_ui(
    ui: &mut Ui,
    cx: &ViewCtx<'_>,
    v: &Visit,
    greeting: TimerState,
    commands: &mut Vec<Command>,
) {
    ui.label(t("timer.greeting"));
    let secs = v.greeting_timer_secs(cx.now);
    ui.label(
        RichText::new(format_timer(secs))
            .monospace()
            .size(18.0)
            .strong()
            .color(theme::timer_colour(greeting)),
    );
    match greeting {
        TimerState::Warning => {
            ui.label(RichText::new(t("timer.soon")).color(theme::WARN));
        }
        TimerState::Overdue => {
            ui.label(
                RichText::new(t("timer.overdue"))
                    .color(theme::OVERDUE)
                    .strong(),
            );
        }
        TimerState::DoneLate => {
            ui.label(RichText::new(t("timer.late")).color(theme::OVERDUE));
        }
        TimerState::Running | TimerState::DoneOnTime => {}
    }
    if v.greeted_at.is_none() {
        if ui
            .button(RichText::new(t("reception.greet")).strong())
            .clicked()
        {
            commands.push(Command::Greet(v.id));
        }
    } else {
        ui.label(
            RichText::new(tf(
                "reception.greeted_by",
                &[("who", &cx.staff_name(v.greeted_by))],
            ))
            .color(theme::MUTED),
        );
    }
}

/// The water on a visitor's card: when and by whom it was served, or its timer, warning and the
/// serve-water button.
fn water_timer_ui(ui: &mut Ui, cx: &ViewCtx<'_>, v: &Visit, commands: &mut Vec<Command>) {
    ui.label(t("timer.water"));
    if let Some(at) = v.water_served_at {
        ui.label(
            RichText::new(tf(
                "reception.water_done",
                &[
                    ("time", &at.format("%H:%M").to_string()),
                    ("who", &cx.staff_name(v.water_served_by)),
                ],
            ))
            .color(theme::MUTED),
        );
    } else {
        let state = v.water_state(cx.now, &cx.settings.rules);
        ui.label(
            RichText::new(format_timer(v.water_timer_secs(cx.now)))
                .monospace()
                .color(theme::timer_colour(state)),
        );
        if state == TimerState::Overdue {
            ui.label(
                RichText::new(t("timer.water_overdue"))
                    .color(theme::OVERDUE)
                    .strong(),
            );
        }
        if ui.button(t("reception.serve_water")).clicked() {
            commands.push(Command::ServeWater(v.id));
        }
    }
}

/// The line to say to a visitor not yet greeted, with the apology first when the greeting is late.
fn say_line_ui(ui: &mut Ui, v: &Visit, greeting: TimerState) {
    if v.greeted_at.is_none() {
        let mut line = String::new();
        if greeting == TimerState::Overdue {
            line.push_str(&script_text(&Script::Apology));
        }
        line.push_str(&script_text(&v.greeting_script()));
        ui.label(
            RichText::new(tf("reception.say", &[("line", &line)]))
                .size(16.0)
                .color(if greeting == TimerState::Overdue {
                    theme::OVERDUE
                } else {
                    theme::ACCENT
                }),
        );
    }
}

/// Who did each step of a visit, when, at which desk (several desks share one board).
fn step_log_ui(ui: &mut Ui, cx: &ViewCtx<'_>, v: &Visit) {
    if let Some(log) = cx.board.logs.get(&v.id) {
        ui.horizontal_wrapped(|ui| {
            ui.spacing_mut().item_spacing.x = 12.0;
            for e in log {
                ui.label(
                    RichText::new(step_text(e, cx))
                        .size(13.0)
                        .color(theme::MUTED),
                );
            }
        });
    }
}

/// One step of a visit's log on the board: "问候 09:00:20 李娜 @ 2号台".
fn step_text(e: &crate::store::visits::LogEntry, cx: &ViewCtx<'_>) -> String {
    let who = match e.staff_id {
        Some(_) => cx.staff_name(e.staff_id),
        None => String::new(),
    };
    let text = tf(
        "reception.step",
        &[
            ("action", t(super::history::action_key(&e.action))),
            ("time", &e.at.format("%H:%M:%S").to_string()),
            ("who", &who),
        ],
    );
    match e.desk.as_deref().filter(|d| !d.is_empty()) {
        Some(desk) => tf(
            "reception.step_desk",
            &[("step", text.trim_end()), ("desk", desk)],
        ),
        None => text.trim_end().to_owned(),
    }
}

/// Today's counts.
fn counts_ui(ui: &mut Ui, cx: &ViewCtx<'_>) {
    let c = &cx.board.today;
    let pct = |part| {
        c.pct(part)
            .map_or_else(|| "—".to_owned(), |p| format!("{p:.1}%"))
    };
    ui.label(tf("counts.visits", &[("n", &c.visits.to_string())]));
    ui.label(tf(
        "counts.greeted_within",
        &[
            ("limit", &cx.settings.rules.greeting_limit_secs.to_string()),
            ("pct", &pct(c.greeted_within_limit)),
        ],
    ));
    ui.label(tf("counts.water", &[("pct", &pct(c.water_served))]));
    ui.label(tf("counts.present", &[("n", &c.present.to_string())]));
}

/// End-of-day call-outs: visitors still marked present after closing time or since an earlier day.
fn callouts_ui(ui: &mut Ui, cx: &ViewCtx<'_>) {
    let today = cx.now.date();
    let earlier: Vec<String> = cx
        .board
        .present
        .iter()
        .filter(|v| v.arrived_at.date() < today)
        .map(|v| {
            format!(
                "{} ({})",
                visitor_name(v),
                v.arrived_at.format("%m-%d %H:%M")
            )
        })
        .collect();
    if !earlier.is_empty() {
        widgets::banner(
            ui,
            theme::OVERDUE_BG,
            RichText::new(tf(
                "reception.stale",
                &[
                    ("n", &earlier.len().to_string()),
                    ("who", &earlier.join("、")),
                ],
            ))
            .color(theme::OVERDUE),
        );
    }
    if cx.now.time() >= cx.settings.closing_time {
        let still: Vec<String> = cx
            .board
            .present
            .iter()
            .filter(|v| v.arrived_at.date() == today)
            .map(visitor_name)
            .collect();
        if !still.is_empty() {
            widgets::banner(
                ui,
                theme::WARN_BG,
                RichText::new(tf(
                    "reception.end_of_day",
                    &[
                        (
                            "time",
                            &cx.settings.closing_time.format("%H:%M").to_string(),
                        ),
                        ("n", &still.len().to_string()),
                        ("who", &still.join("、")),
                    ],
                ))
                .color(theme::WARN),
            );
        }
    }
}

/// The waiting queue in arrival order, and the standard phrases.
/// The callback-result form (回访结果).
#[derive(Clone, Debug, Default)]
pub struct CallbackResultForm {
    /// The callback.
    pub id: i64,
    /// Who is called, for the title.
    pub who: String,
    /// What to ask about.
    pub purpose: String,
    /// Quality as judged.
    pub quality: Option<Satisfaction>,
    /// Usage.
    pub usage: String,
    /// Satisfaction.
    pub satisfaction: Option<Satisfaction>,
    /// Notes.
    pub notes: String,
    /// The customer's feedback on the staff serving them (key accounts).
    pub staff_feedback: String,
}

impl Dialogs {
    fn callback_result_ui(&mut self, ui: &mut Ui, _cx: &ViewCtx<'_>) -> Option<Command> {
        let form = self.callback_result.as_mut()?;
        let mut close = widgets::escape_pressed(ui);
        let mut submit = false;
        dialog(t("callback.result_title")).show(ui.ctx(), |ui| {
            ui.label(RichText::new(&form.who).strong());
            ui.label(RichText::new(&form.purpose).color(theme::MUTED));
            ui.horizontal(|ui| {
                ui.label(t("callback.quality"));
                for s in Satisfaction::ALL {
                    ui.radio_value(&mut form.quality, Some(*s), t(s.label_key()));
                }
            });
            widgets::labelled_text(ui, t("callback.usage"), &mut form.usage, 300.0);
            ui.horizontal(|ui| {
                ui.label(t("callback.satisfaction"));
                for s in Satisfaction::ALL {
                    ui.radio_value(&mut form.satisfaction, Some(*s), t(s.label_key()));
                }
            });
            widgets::labelled_text(ui, t("callback.notes"), &mut form.notes, 300.0);
            widgets::labelled_text(
                ui,
                t("callback.staff_feedback"),
                &mut form.staff_feedback,
                300.0,
            );
            ui.label(
                RichText::new(t("callback.staff_feedback_hint"))
                    .small()
                    .color(theme::MUTED),
            );
            ui.horizontal(|ui| {
                if ui
                    .button(RichText::new(t("callback.save_result")).strong())
                    .clicked()
                {
                    submit = true;
                }
                if ui.button(t("common.cancel")).clicked() {
                    close = true;
                }
            });
        });
        if close {
            self.callback_result = None;
            return None;
        }
        let form = self.callback_result.as_ref()?;
        submit.then(|| {
            Command::Service(crate::app::ServiceCommand::CompleteCallback {
                id: form.id,
                result: crate::domain::call::CallbackResult {
                    quality: form.quality,
                    usage: form.usage.clone(),
                    satisfaction: form.satisfaction,
                    notes: form.notes.clone(),
                    staff_feedback: form.staff_feedback.clone(),
                },
            })
        })
    }
}

/// Callbacks due today or overdue; returns a result form when one is picked.
fn callbacks_ui(ui: &mut Ui, cx: &ViewCtx<'_>) -> Option<CallbackResultForm> {
    let mut picked = None;
    ui.add_space(12.0);
    ui.heading(t("callback.due_list"));
    if cx.board.callbacks.is_empty() {
        ui.label(RichText::new(t("callback.none_due")).color(theme::MUTED));
    }
    let today = cx.now.date();
    for cb in &cx.board.callbacks {
        let overdue = cb.state(today) == CallbackState::Overdue;
        let colour = if overdue { theme::OVERDUE } else { theme::WARN };
        let when = if overdue {
            tf(
                "callback.overdue_since",
                &[("date", &cb.due.format("%m-%d").to_string())],
            )
        } else {
            t("callback.due_today").to_owned()
        };
        ui.horizontal_wrapped(|ui| {
            ui.label(RichText::new(when).color(colour).strong());
            ui.label(format!("{} {}", cb.name, mask_phone(&cb.phone)));
            if ui.small_button(t("callback.record")).clicked() {
                picked = Some(CallbackResultForm {
                    id: cb.id,
                    who: format!("{} {}", cb.name, cb.phone),
                    purpose: cb.purpose.clone(),
                    ..CallbackResultForm::default()
                });
            }
        });
        if !cb.purpose.is_empty() {
            ui.label(RichText::new(&cb.purpose).small().color(theme::MUTED));
        }
    }
    picked
}

fn queue_ui(ui: &mut Ui, cx: &ViewCtx<'_>) {
    ui.heading(t("reception.queue"));
    let waiting: Vec<&Visit> = cx.board.present.iter().filter(|v| v.is_waiting()).collect();
    if waiting.is_empty() {
        ui.label(RichText::new(t("reception.queue_empty")).color(theme::MUTED));
    }
    for (i, v) in waiting.iter().enumerate() {
        let too_long = v.waited_too_long(cx.now, &cx.settings.rules);
        ui.horizontal(|ui| {
            let colour = if too_long {
                theme::OVERDUE
            } else {
                ui.visuals().text_color()
            };
            ui.label(RichText::new(format!("{}. {}", i + 1, visitor_name(v))).color(colour));
            ui.label(
                RichText::new(tf(
                    "reception.waited",
                    &[("time", &format_timer(v.waiting_secs(cx.now)))],
                ))
                .monospace()
                .color(colour),
            );
        });
        if too_long {
            ui.label(
                RichText::new(tf(
                    "reception.acknowledge",
                    &[("line", &script_text(&Script::AcknowledgeWaiting))],
                ))
                .color(theme::OVERDUE)
                .small(),
            );
        }
    }
    ui.add_space(12.0);
    egui::CollapsingHeader::new(t("reception.phrases"))
        .default_open(false)
        .show(ui, |ui| {
            ui.label(t("reception.phrases_good"));
            ui.label(RichText::new(t("reception.phrases_forbidden")).color(theme::OVERDUE));
        });
}
