//! 首问负责制 on screen: the transfers of a complaint, a claim or a call on its file or panel
//! (hand it to a colleague or a department, accept, give the outcome, confirm it back), their
//! steps in the case's timeline (on screen and printed), and 我的案件 — what the person at the desk
//! owns, what was handed to them and what they wait on, the late ones in red.

use std::collections::HashMap;

use chrono::NaiveDateTime;
use egui::{RichText, Ui};

use super::{theme, widgets};
use crate::app::{Command, ServiceCommand, ViewCtx};
use crate::domain::DISPLAY_FORMAT;
use crate::domain::transfer::{CaseKind, Late, Stage, Transfer, TransferRules};
use crate::i18n::{t, tf};
use crate::store::transfers::MyCases;

/// What is being typed about a case's transfers.
#[derive(Clone, Debug, Default)]
pub struct TransferDraft {
    /// The case the draft is about (a draft of another case is dropped).
    case: Option<(CaseKind, i64)>,
    to_department: bool,
    to_staff: Option<i64>,
    department: String,
    reason: String,
    outcomes: HashMap<i64, String>,
}

impl TransferDraft {
    fn for_case(&mut self, kind: CaseKind, id: i64) {
        if self.case != Some((kind, id)) {
            *self = Self {
                case: Some((kind, id)),
                ..Self::default()
            };
        }
    }
}

/// Who or where a transfer went, in words.
fn receiver(t: &Transfer, cx: &ViewCtx<'_>) -> String {
    receiver_named(t, &|id| cx.staff_name(id))
}

/// Who or where a transfer went, in words, staff named by `staff`.
fn receiver_named(t: &Transfer, staff: &dyn Fn(Option<i64>) -> String) -> String {
    if t.department.is_empty() {
        staff(t.to_staff_id)
    } else {
        t.department.clone()
    }
}

/// One line of a case's timeline, on its file and printed: when, who, what, and what was said
/// or done.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct TimelineLine {
    /// When.
    pub(crate) at: NaiveDateTime,
    /// Who.
    pub(crate) who: String,
    /// What happened.
    pub(crate) what: String,
    /// What was said or done.
    pub(crate) detail: String,
    /// A step of a transfer (not of the case's own record).
    pub(crate) transfer: bool,
}

/// The steps of transfer `tr` that happened, oldest first: handed over (to whom, why), accepted
/// (by whom), the outcome reported (by the receiver), confirmed (by the owner). `staff` names a
/// staff member by id.
pub(crate) fn transfer_steps(
    tr: &Transfer,
    staff: &dyn Fn(Option<i64>) -> String,
) -> Vec<TimelineLine> {
    let to = receiver_named(tr, staff);
    let line = |at, who, what, detail: &str| TimelineLine {
        at,
        who,
        what,
        detail: detail.to_owned(),
        transfer: true,
    };
    let mut steps = vec![line(
        tr.at,
        staff(tr.from_staff_id),
        tf("transfer.step_sent", &[("to", &to)]),
        &tr.reason,
    )];
    if let Some(at) = tr.accepted_at {
        steps.push(line(
            at,
            staff(tr.accepted_by),
            tf("transfer.step_accepted", &[("to", &to)]),
            "",
        ));
    }
    if let Some(at) = tr.outcome_at {
        let what = t("transfer.step_outcome").to_owned();
        steps.push(line(at, to.clone(), what, &tr.outcome));
    }
    if let Some(at) = tr.confirmed_at {
        let what = t("transfer.step_confirmed").to_owned();
        steps.push(line(at, staff(tr.from_staff_id), what, ""));
    }
    steps
}

/// A case's own timeline `lines` (oldest first, as recorded) with the steps of its `transfers`
/// put in by time; at the same time, the case's own line comes first.
pub(crate) fn with_transfers(
    lines: Vec<TimelineLine>,
    transfers: &[Transfer],
    staff: &dyn Fn(Option<i64>) -> String,
) -> Vec<TimelineLine> {
    let mut steps: Vec<TimelineLine> = transfers
        .iter()
        .flat_map(|tr| transfer_steps(tr, staff))
        .collect();
    steps.sort_by_key(|s| s.at);
    let mut steps = steps.into_iter().peekable();
    let mut all = Vec::with_capacity(lines.len() + steps.len());
    for line in lines {
        while let Some(step) = steps.next_if(|s| s.at < line.at) {
            all.push(step);
        }
        all.push(line);
    }
    all.extend(steps);
    all
}

/// Draws a case's timeline (`id_salt`: the grid's), the steps of its transfers in the accent
/// colour.
pub(crate) fn timeline_ui(ui: &mut Ui, id_salt: &str, lines: &[TimelineLine]) {
    egui::Grid::new(id_salt)
        .striped(true)
        .num_columns(4)
        .show(ui, |ui| {
            for l in lines {
                ui.label(l.at.format(DISPLAY_FORMAT).to_string());
                ui.label(&l.who);
                if l.transfer {
                    ui.label(RichText::new(&l.what).color(theme::ACCENT));
                } else {
                    ui.label(&l.what);
                }
                ui.label(&l.detail);
                ui.end_row();
            }
        });
}

/// A transfer's stage, in red with why when it is late.
fn stage_text(tr: &Transfer, cx: &ViewCtx<'_>) -> RichText {
    let stage = t(tr.stage().label_key());
    match tr.late(cx.now, &TransferRules::default()) {
        Some(Late::Acceptance) => RichText::new(format!("{stage} · {}", t("transfer.late_accept")))
            .color(theme::OVERDUE)
            .strong(),
        Some(Late::Outcome) => RichText::new(format!("{stage} · {}", t("transfer.late_outcome")))
            .color(theme::OVERDUE)
            .strong(),
        None if tr.stage() == Stage::Confirmed => RichText::new(stage).color(theme::OK),
        None => RichText::new(stage).color(theme::ACCENT),
    }
}

/// The actions on one transfer for `me`, the person at the desk: the receiver accepts it and
/// gives the outcome (for a department, the owner records both as the department tells them),
/// the owner confirms the outcome back.
fn actions_ui(
    ui: &mut Ui,
    tr: &Transfer,
    me: Option<i64>,
    outcomes: &mut HashMap<i64, String>,
    commands: &mut Vec<Command>,
) {
    let receiver = if tr.department.is_empty() {
        me.is_some() && tr.to_staff_id == me
    } else {
        me.is_some()
    };
    let owner = me.is_some() && tr.from_staff_id == me;
    match tr.stage() {
        Stage::Sent => {
            if receiver && ui.button(t("transfer.accept")).clicked() {
                commands.push(Command::Service(ServiceCommand::AcceptTransfer(tr.id)));
            }
        }
        Stage::Accepted | Stage::Answered if receiver => {
            let text = outcomes.entry(tr.id).or_insert_with(|| tr.outcome.clone());
            widgets::labelled_text(ui, t("transfer.outcome"), text, 200.0);
            if ui.button(t("transfer.answer")).clicked() {
                commands.push(Command::Service(ServiceCommand::AnswerTransfer {
                    id: tr.id,
                    outcome: text.clone(),
                }));
            }
            if owner && tr.stage() == Stage::Answered {
                confirm_ui(ui, tr, commands);
            }
        }
        Stage::Answered if owner => confirm_ui(ui, tr, commands),
        Stage::Accepted | Stage::Answered | Stage::Confirmed => {}
    }
}

fn confirm_ui(ui: &mut Ui, tr: &Transfer, commands: &mut Vec<Command>) {
    if ui
        .button(RichText::new(t("transfer.confirm")).strong())
        .clicked()
    {
        commands.push(Command::Service(ServiceCommand::ConfirmTransfer(tr.id)));
    }
}

/// One transfer as a line: when, from whom to whom, why, where it stands, the outcome.
fn transfer_line_ui(ui: &mut Ui, tr: &Transfer, cx: &ViewCtx<'_>) {
    ui.label(tr.at.format(DISPLAY_FORMAT).to_string());
    ui.label(tf(
        "transfer.from_to",
        &[
            ("from", &cx.staff_name(tr.from_staff_id)),
            ("to", &receiver(tr, cx)),
        ],
    ));
    ui.label(&tr.reason);
    ui.label(stage_text(tr, cx));
    let mut said = Vec::new();
    if let Some(at) = tr.accepted_at {
        said.push(tf(
            "transfer.accepted_by",
            &[
                ("who", &cx.staff_name(tr.accepted_by)),
                ("at", &at.format(DISPLAY_FORMAT).to_string()),
            ],
        ));
    }
    if !tr.outcome.is_empty() {
        said.push(tf("transfer.outcome_is", &[("text", &tr.outcome)]));
    }
    if let Some(at) = tr.confirmed_at {
        said.push(tf(
            "transfer.confirmed_at",
            &[("at", &at.format(DISPLAY_FORMAT).to_string())],
        ));
    }
    ui.label(said.join(" · "));
}

/// The transfers of case `id` of `kind` on its file, with the form that hands it over when no
/// transfer of it is open. Commands go to `commands`.
pub fn case_ui(
    ui: &mut Ui,
    (kind, id): (CaseKind, i64),
    transfers: &[Transfer],
    draft: &mut TransferDraft,
    cx: &ViewCtx<'_>,
    commands: &mut Vec<Command>,
) {
    draft.for_case(kind, id);
    ui.label(RichText::new(t("transfer.title")).strong());
    egui::Grid::new(("case_transfers", kind.code(), id))
        .striped(true)
        .num_columns(6)
        .spacing([8.0, 4.0])
        .show(ui, |ui| {
            for tr in transfers {
                transfer_line_ui(ui, tr, cx);
                ui.horizontal(|ui| {
                    actions_ui(
                        ui,
                        tr,
                        cx.settings.operator_id,
                        &mut draft.outcomes,
                        commands,
                    );
                });
                ui.end_row();
            }
        });
    if transfers.iter().any(|t| t.stage() != Stage::Confirmed) {
        return;
    }
    ui.horizontal_wrapped(|ui| {
        ui.radio_value(&mut draft.to_department, false, t("transfer.to_colleague"));
        ui.radio_value(&mut draft.to_department, true, t("transfer.to_department"));
        if draft.to_department {
            let l = ui.label(t("transfer.department"));
            egui::ComboBox::from_id_salt(("transfer_department", kind.code(), id))
                .selected_text(draft.department.clone())
                .show_ui(ui, |ui| {
                    for d in &cx.settings.departments {
                        ui.selectable_value(&mut draft.department, d.clone(), d);
                    }
                })
                .response
                .labelled_by(l.id);
        } else {
            let l = ui.label(t("transfer.colleague"));
            let active: Vec<&crate::domain::staff::Staff> = cx
                .staff
                .iter()
                .filter(|s| s.active && Some(s.id) != cx.settings.operator_id)
                .collect();
            egui::ComboBox::from_id_salt(("transfer_colleague", kind.code(), id))
                .selected_text(draft.to_staff.map_or_else(String::new, |s| {
                    cx.staff
                        .iter()
                        .find(|x| x.id == s)
                        .map_or_else(String::new, widgets::staff_with_role)
                }))
                .show_ui(ui, |ui| {
                    for s in crate::domain::staff::by_role(active) {
                        ui.selectable_value(
                            &mut draft.to_staff,
                            Some(s.id),
                            widgets::staff_with_role(s),
                        );
                    }
                })
                .response
                .labelled_by(l.id);
        }
        widgets::labelled_text(ui, t("transfer.reason"), &mut draft.reason, 220.0);
        if ui
            .button(RichText::new(t("transfer.send")).strong())
            .clicked()
        {
            let (to_staff, department) = if draft.to_department {
                (None, draft.department.clone())
            } else {
                (draft.to_staff, String::new())
            };
            commands.push(Command::Service(ServiceCommand::TransferCase {
                kind,
                id,
                to_staff,
                department,
                reason: draft.reason.clone(),
            }));
        }
    });
}

/// 我的案件: the cases of the person at the desk.
#[derive(Clone, Debug, Default)]
pub struct MyCasesView {
    loaded: Option<i64>,
    cases: MyCases,
    outcomes: HashMap<i64, String>,
}

impl MyCasesView {
    /// Forgets loaded data.
    pub fn invalidate(&mut self) {
        self.loaded = None;
    }

    /// The staff member whose cases are to be read (the one at the desk), when not shown yet.
    pub fn to_load(&self, operator: Option<i64>) -> Option<i64> {
        operator.filter(|id| self.loaded != Some(*id))
    }

    /// Shows the cases read for `staff`.
    pub fn set_cases(&mut self, staff: i64, cases: MyCases) {
        self.cases = cases;
        self.loaded = Some(staff);
    }

    /// Draws the screen.
    pub fn ui(&mut self, ui: &mut Ui, cx: &ViewCtx<'_>) -> Vec<Command> {
        let mut commands = Vec::new();
        ui.heading(t("mycases.title"));
        if cx.settings.operator_id.is_none() {
            ui.label(RichText::new(t("mycases.no_operator")).color(theme::MUTED));
            return commands;
        }
        ui.label(
            RichText::new(tf(
                "mycases.who",
                &[("who", &cx.staff_name(cx.settings.operator_id))],
            ))
            .color(theme::MUTED),
        );
        egui::ScrollArea::vertical()
            .auto_shrink(false)
            .show(ui, |ui| {
                let (cases, outcomes) = (&self.cases, &mut self.outcomes);
                let mut sections = vec![
                    ("mycases.to_me", &cases.to_me),
                    ("mycases.waiting_on", &cases.waiting_on),
                ];
                if cx.is_supervisor() {
                    sections.push(("mycases.all_open", &cases.all_open));
                }
                for (key, list) in sections {
                    ui.separator();
                    ui.label(
                        RichText::new(tf(key, &[("n", &list.len().to_string())]))
                            .strong()
                            .size(16.0),
                    );
                    egui::Grid::new(key)
                        .striped(true)
                        .num_columns(7)
                        .spacing([8.0, 4.0])
                        .show(ui, |ui| {
                            for tr in list {
                                case_link_ui(ui, tr, &mut commands);
                                transfer_line_ui(ui, tr, cx);
                                ui.horizontal(|ui| {
                                    let me = cx.settings.operator_id;
                                    actions_ui(ui, tr, me, outcomes, &mut commands);
                                });
                                ui.end_row();
                            }
                        });
                }
                waybills_ui(ui, &cases.waybills, cx, &mut commands);
                ui.separator();
                ui.label(
                    RichText::new(tf(
                        "mycases.owned",
                        &[("n", &cases.owned.len().to_string())],
                    ))
                    .strong()
                    .size(16.0),
                );
                egui::Grid::new("mycases_owned")
                    .striped(true)
                    .num_columns(3)
                    .spacing([8.0, 4.0])
                    .show(ui, |ui| {
                        for c in &cases.owned {
                            if ui
                                .link(tf(c.kind.label_key(), &[("id", &c.id.to_string())]))
                                .clicked()
                            {
                                commands.push(open_case(c.kind, c.id));
                            }
                            ui.label(c.at.format(DISPLAY_FORMAT).to_string());
                            ui.label(&c.summary);
                            ui.end_row();
                        }
                    });
            });
        commands
    }
}

/// The waybill change requests I recorded that wait for the department's answer or for the
/// customer to be told, late ones in red; each opens on its screen to be handled.
fn waybills_ui(
    ui: &mut Ui,
    waybills: &[crate::domain::waybill::WaybillChange],
    cx: &ViewCtx<'_>,
    commands: &mut Vec<Command>,
) {
    ui.separator();
    ui.label(
        RichText::new(tf(
            "mycases.waybills",
            &[("n", &waybills.len().to_string())],
        ))
        .strong()
        .size(16.0),
    );
    egui::Grid::new("mycases_waybills")
        .striped(true)
        .num_columns(4)
        .spacing([8.0, 4.0])
        .show(ui, |ui| {
            for w in waybills {
                if ui
                    .link(tf("mycases.waybill", &[("id", &w.id.to_string())]))
                    .clicked()
                {
                    commands.push(Command::OpenWaybill(Box::new(w.clone())));
                }
                ui.label(w.at.format(DISPLAY_FORMAT).to_string());
                ui.label(format!("{} → {}", w.waybill_no, w.department));
                ui.label(super::waybills::stage_text(w, cx.now));
                ui.end_row();
            }
        });
}

/// The link that opens the case of transfer `tr`.
fn case_link_ui(ui: &mut Ui, tr: &Transfer, commands: &mut Vec<Command>) {
    match tr.kind {
        Some(kind) => {
            if ui
                .link(tf(kind.label_key(), &[("id", &tr.case_id.to_string())]))
                .clicked()
            {
                commands.push(open_case(kind, tr.case_id));
            }
        }
        None => {
            ui.label("");
        }
    }
}

/// The command that opens a case on its screen.
fn open_case(kind: CaseKind, id: i64) -> Command {
    match kind {
        CaseKind::Complaint => Command::OpenComplaint(id),
        CaseKind::Claim => Command::OpenClaim(id),
        CaseKind::Call => Command::OpenCall(id),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").expect("time")
    }

    fn own(time: &str, what: &str) -> TimelineLine {
        TimelineLine {
            at: at(time),
            who: "李娜".into(),
            what: what.into(),
            detail: String::new(),
            transfer: false,
        }
    }

    #[test]
    fn transfer_steps_go_in_by_time_after_the_cases_own_lines_of_the_same_time() {
        let tr = Transfer {
            at: at("2026-11-23 10:00"),
            from_staff_id: Some(1),
            to_staff_id: Some(2),
            reason: "核实运费".into(),
            accepted_at: Some(at("2026-11-23 11:00")),
            accepted_by: Some(2),
            outcome: "已退还".into(),
            outcome_at: Some(at("2026-11-23 12:00")),
            ..Transfer::default()
        };
        let staff = |id: Option<i64>| match id {
            Some(1) => "李娜".to_owned(),
            Some(2) => "张伟".to_owned(),
            _ => String::new(),
        };
        let lines = with_transfers(
            vec![own("2026-11-23 09:00", "a"), own("2026-11-23 11:00", "b")],
            std::slice::from_ref(&tr),
            &staff,
        );
        let seen: Vec<(&str, bool, &str)> = lines
            .iter()
            .map(|l| (l.who.as_str(), l.transfer, l.detail.as_str()))
            .collect();
        assert_eq!(
            seen,
            [
                ("李娜", false, ""),
                ("李娜", true, "核实运费"),
                ("李娜", false, ""),
                ("张伟", true, ""),
                ("张伟", true, "已退还"),
            ]
        );
        assert_eq!(lines[2].what, "b", "the case's own line first at 11:00");
        assert!(
            !lines.iter().any(|l| l.what == t("transfer.step_confirmed")),
            "not confirmed yet"
        );
    }
}
