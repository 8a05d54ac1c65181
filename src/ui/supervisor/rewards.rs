//! The rewards and penalties tab.

use chrono::NaiveDate;
use egui::{RichText, Ui};

use super::*;
use crate::app::{Command, SupervisorCommand, ViewCtx};
use crate::domain::inspection::RewardPenalty;
use crate::domain::money::{format_fen, parse_fen};
use crate::i18n::{t, tf};
use crate::ui::{theme, widgets};

/// A column of the month's rewards and penalties, to sort them by.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum RewardColumn {
    Date,
    Staff,
    Kind,
    Amount,
    Reason,
    Link,
}

impl widgets::SortColumn for RewardColumn {
    fn descending_first(self) -> bool {
        self == Self::Date
    }
}

impl RewardColumn {
    /// The columns in order, with their headers' translation keys.
    const ALL: [(Self, &'static str); 6] = [
        (Self::Date, "sup.col_reward_date"),
        (Self::Staff, "sup.col_reward_staff"),
        (Self::Kind, "sup.col_reward_kind"),
        (Self::Amount, "sup.col_reward_amount"),
        (Self::Reason, "sup.col_reward_reason"),
        (Self::Link, "sup.col_reward_link"),
    ];

    /// Compares two entries by this column, ascending: staff by name as shown, rewards before
    /// penalties, amounts as amounts.
    fn compare(self, a: &RewardPenalty, b: &RewardPenalty, cx: &ViewCtx<'_>) -> std::cmp::Ordering {
        match self {
            Self::Date => a.on.cmp(&b.on).then(a.id.cmp(&b.id)),
            Self::Staff => cx
                .staff_name(Some(a.staff_id))
                .cmp(&cx.staff_name(Some(b.staff_id))),
            Self::Kind => b.reward.cmp(&a.reward),
            Self::Amount => a.amount_fen.cmp(&b.amount_fen),
            Self::Reason => a.reason.cmp(&b.reason),
            Self::Link => links_text(a, cx).cmp(&links_text(b, cx)),
        }
    }
}

/// What a day of attendance was like, as a reward or penalty given for it says:
/// `考勤 2026-11-05 迟到 12 分钟`.
pub(super) fn attendance_text(day: chrono::NaiveDate, late_minutes: i64) -> String {
    let day = day.format("%Y-%m-%d").to_string();
    if late_minutes > 0 {
        tf(
            "reward.link_attendance",
            &[("day", &day), ("minutes", &late_minutes.to_string())],
        )
    } else {
        tf("reward.link_attendance_on_time", &[("day", &day)])
    }
}

/// What a reward or penalty was given for: the inspection, complaint, claim or day of
/// attendance it links to (late against the settings' shift start), or "—".
pub(super) fn links_text(e: &RewardPenalty, cx: &ViewCtx<'_>) -> String {
    let mut links: Vec<String> = [
        (e.inspection_id, "reward.link_inspection"),
        (e.complaint_id, "reward.link_complaint"),
        (e.claim_id, "reward.link_claim"),
    ]
    .into_iter()
    .filter_map(|(id, key)| id.map(|id| tf(key, &[("id", &id.to_string())])))
    .collect();
    if let Some((day, late)) = e.attendance_late(cx.settings.shift_start) {
        links.push(attendance_text(day, late));
    }
    if links.is_empty() {
        "—".to_owned()
    } else {
        links.join("、")
    }
}

impl SupervisorView {
    pub(super) fn rewards_ui(&mut self, ui: &mut Ui, cx: &ViewCtx<'_>) -> Vec<Command> {
        let mut commands = Vec::new();
        ui.heading(t("sup.new_reward"));
        let r = &mut self.reward;
        ui.horizontal_wrapped(|ui| {
            let l = ui.label(t("sup.reward_staff"));
            egui::ComboBox::from_id_salt("reward_staff")
                .selected_text(r.staff_id.map_or_else(
                    || t("handover.pick").to_owned(),
                    |id| cx.staff_name(Some(id)),
                ))
                .show_ui(ui, |ui| {
                    let staff = cx.active_staff_by_role();
                    if let Some(s) = widgets::staff_choices_ui(ui, &staff, r.staff_id) {
                        r.staff_id = Some(s.id);
                    }
                })
                .response
                .labelled_by(l.id);
            ui.radio_value(&mut r.reward, true, t("sup.reward"));
            ui.radio_value(&mut r.reward, false, t("sup.penalty"));
        });
        ui.horizontal_wrapped(|ui| {
            widgets::labelled_text(ui, t("reward.amount"), &mut r.amount, 100.0);
            widgets::labelled_text(ui, t("reward.reason"), &mut r.reason, 260.0);
            widgets::labelled_text(ui, t("sup.reward_date"), &mut r.on, 100.0);
            widgets::labelled_text(ui, t("sup.reward_inspection"), &mut r.inspection_id, 60.0);
            widgets::labelled_text(ui, t("sup.reward_complaint"), &mut r.complaint_id, 60.0);
            widgets::labelled_text(ui, t("sup.reward_claim"), &mut r.claim_id, 60.0);
        });
        if let Some(d) = &r.attendance {
            let link = attendance_text(d.day, d.late_minutes(cx.settings.shift_start));
            ui.horizontal(|ui| {
                ui.label(tf("sup.reward_linked", &[("link", &link)]));
                if ui.small_button(t("sup.reward_unlink")).clicked() {
                    r.attendance = None;
                }
            });
        }
        if ui
            .button(RichText::new(t("sup.save_reward")).strong())
            .clicked()
        {
            let on = if r.on.trim().is_empty() {
                Ok(cx.now.date())
            } else {
                NaiveDate::parse_from_str(r.on.trim(), "%Y-%m-%d")
            };
            match (r.staff_id, parse_fen(&r.amount, "reward.amount"), on) {
                (None, _, _) => {
                    self.error = Some(format!("{}: {}", t("sup.reward_staff"), t("err.required")))
                }
                (_, Err(e), _) => self.error = Some(e.user_message()),
                (_, _, Err(_)) => {
                    self.error = Some(tf("history.bad_date", &[("value", r.on.trim())]))
                }
                (Some(staff_id), Ok(amount_fen), Ok(on)) => commands.push(Command::Supervisor(
                    SupervisorCommand::AddRewardPenalty(RewardPenalty {
                        id: 0,
                        staff_id,
                        reward: r.reward,
                        amount_fen,
                        reason: r.reason.clone(),
                        on,
                        inspection_id: r.inspection_id.trim().trim_start_matches('#').parse().ok(),
                        complaint_id: r.complaint_id.trim().trim_start_matches('#').parse().ok(),
                        claim_id: r.claim_id.trim().trim_start_matches('#').parse().ok(),
                        attendance_id: r.attendance.as_ref().map(|d| d.id),
                        attendance: None,
                    }),
                )),
            }
        }
        ui.separator();
        self.rewards_list_ui(ui, cx);
        commands
    }

    /// Draws this month's rewards and penalties under headers that sort them, and each
    /// person's totals.
    fn rewards_list_ui(&mut self, ui: &mut Ui, cx: &ViewCtx<'_>) {
        ui.heading(t("sup.rewards_month"));
        let mut per_person: std::collections::BTreeMap<String, (i64, i64)> =
            std::collections::BTreeMap::new();
        egui::Grid::new("rewards")
            .striped(true)
            .num_columns(6)
            .spacing([10.0, 4.0])
            .show(ui, |ui| {
                if self.rewards.is_empty() {
                    return;
                }
                for (column, key) in RewardColumn::ALL {
                    widgets::sort_header(ui, t(key), column, &mut self.rewards_sort);
                }
                ui.end_row();
                self.rewards_sort
                    .sort_if_stale(&mut self.rewards, |column, a, b| column.compare(a, b, cx));
                for e in &self.rewards {
                    let name = cx.staff_name(Some(e.staff_id));
                    ui.label(e.on.format("%Y-%m-%d").to_string());
                    ui.label(&name);
                    ui.label(if e.reward {
                        RichText::new(t("sup.reward")).color(theme::OK)
                    } else {
                        RichText::new(t("sup.penalty")).color(theme::OVERDUE)
                    });
                    ui.label(format_fen(e.amount_fen));
                    ui.label(&e.reason);
                    ui.label(links_text(e, cx));
                    ui.end_row();
                    let slot = per_person.entry(name).or_default();
                    if e.reward {
                        slot.0 += e.amount_fen;
                    } else {
                        slot.1 += e.amount_fen;
                    }
                }
            });
        ui.separator();
        ui.label(RichText::new(t("sup.per_person")).strong());
        for (name, (reward, penalty)) in &per_person {
            ui.label(tf(
                "sup.person_totals",
                &[
                    ("who", name),
                    ("reward", &format_fen(*reward)),
                    ("penalty", &format_fen(*penalty)),
                ],
            ));
        }
    }
}
