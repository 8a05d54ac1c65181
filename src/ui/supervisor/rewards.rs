//! The rewards and penalties tab.

use chrono::NaiveDate;
use egui::{RichText, Ui};

use super::*;
use crate::app::{Command, SupervisorCommand, ViewCtx};
use crate::domain::inspection::RewardPenalty;
use crate::domain::money::{format_fen, parse_fen};
use crate::i18n::{t, tf};
use crate::ui::{theme, widgets};

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
                    for s in cx.active_staff() {
                        ui.selectable_value(&mut r.staff_id, Some(s.id), &s.name);
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
                    }),
                )),
            }
        }
        ui.separator();
        ui.heading(t("sup.rewards_month"));
        let mut per_person: std::collections::BTreeMap<String, (i64, i64)> =
            std::collections::BTreeMap::new();
        egui::Grid::new("rewards")
            .striped(true)
            .num_columns(5)
            .spacing([10.0, 4.0])
            .show(ui, |ui| {
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
        commands
    }
}
