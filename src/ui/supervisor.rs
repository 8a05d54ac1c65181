//! 主管: dashboard, spot-check inspections, rectifications, rewards and penalties, templates,
//! the audit trail and accounts. Only shown to a logged-in supervisor or admin; the store refuses
//! the data to anyone else.

use chrono::{Duration, NaiveDate};
use egui::{RichText, Ui};
use egui_plot::{Line, Plot, PlotPoints};

use super::{theme, widgets};
use crate::app::{Command, Screen, SupervisorCommand, ViewCtx};
use crate::domain::DISPLAY_FORMAT;
use crate::domain::account::{AccountRole, Action, is_locked};
use crate::domain::inspection::{
    CheckedItem, Inspection, ItemResult, Rectification, RewardPenalty, TargetKind,
};
use crate::domain::money::{format_fen, parse_fen};
use crate::i18n::{t, tf};
use crate::store::accounts::Account;
use crate::store::audit::Entry;
use crate::store::inspections::Template;

/// The tabs of the supervisor screen.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Tab {
    /// 看板
    #[default]
    Dashboard,
    /// 监察
    Inspections,
    /// 整改
    Rectifications,
    /// 奖罚
    Rewards,
    /// 模板
    Templates,
    /// 月度报表
    Monthly,
    /// 审计
    Audit,
    /// 账户
    Accounts,
}

/// Figures of the dashboard.
#[derive(Clone, Debug, Default)]
pub struct Dashboard {
    /// The greeting limit in seconds the compliance figures use.
    pub limit_secs: i64,
    /// Greeting compliance % per day, oldest first (30 days).
    pub greeting_daily: Vec<(NaiveDate, Option<f64>)>,
    /// Water-served % per day.
    pub water_daily: Vec<(NaiveDate, Option<f64>)>,
    /// Greeting compliance % per ISO week, 12 weeks, oldest first.
    pub greeting_weekly: Vec<(NaiveDate, Option<f64>)>,
    /// Water-served % per ISO week.
    pub water_weekly: Vec<(NaiveDate, Option<f64>)>,
    /// Complaints received and claims reported per ISO week, 12 weeks.
    pub cases_weekly: Vec<(NaiveDate, i64, i64)>,
    /// Today's greeting compliance %.
    pub greeting_today: Option<f64>,
    /// Today's median greeting seconds.
    pub median_today: Option<f64>,
    /// Today's water-served %.
    pub water_today: Option<f64>,
    /// Complaints open.
    pub complaints_open: i64,
    /// Complaints overdue.
    pub complaints_overdue: i64,
    /// Major complaints open.
    pub complaints_major: i64,
    /// Satisfaction % of complaints closed in the last 30 days.
    pub satisfaction: Option<f64>,
    /// Claims open.
    pub claims_open: i64,
    /// Money agreed on open claims.
    pub claims_open_fen: i64,
    /// Inspection pass rate over 30 days.
    pub inspection_pass: Option<f64>,
    /// Overdue rectifications.
    pub rectifications_overdue: i64,
}

#[derive(Clone, Debug, Default)]
pub(crate) struct InspectionDraft {
    pub(crate) template: Option<usize>,
    pub(crate) target_kind: Option<TargetKind>,
    pub(crate) target: String,
    pub(crate) staff_id: Option<i64>,
    pub(crate) items: Vec<CheckedItem>,
    pub(crate) remark: String,
}

#[derive(Clone, Debug, Default)]
pub(crate) struct RectifyDraft {
    pub(crate) item_id: i64,
    pub(crate) item_text: String,
    pub(crate) owner_staff: Option<i64>,
    pub(crate) requirement: String,
    pub(crate) due: String,
}

#[derive(Clone, Debug, Default)]
pub(crate) struct RewardDraft {
    pub(crate) staff_id: Option<i64>,
    pub(crate) reward: bool,
    pub(crate) amount: String,
    pub(crate) reason: String,
    pub(crate) on: String,
    pub(crate) inspection_id: String,
    pub(crate) complaint_id: String,
    pub(crate) claim_id: String,
}

#[derive(Clone, Debug, Default)]
pub(crate) struct AccountDraft {
    pub(crate) username: String,
    pub(crate) display_name: String,
    pub(crate) role: Option<AccountRole>,
    pub(crate) password: String,
}

/// The reset-password dialog of one account: the new password typed twice, kept apart from the
/// new-account form.
#[derive(Clone, Debug, Default)]
struct ResetPasswordDraft {
    id: i64,
    username: String,
    active: bool,
    password: String,
    confirm: String,
    error: Option<String>,
    focused: bool,
}

/// The supervisor screen.
#[derive(Clone, Default)]
pub struct SupervisorView {
    pub(crate) tab: Tab,
    pub(crate) loaded: bool,
    pub(crate) templates: Vec<Template>,
    pub(crate) inspections: Vec<Inspection>,
    pub(crate) rectifications: Vec<Rectification>,
    pub(crate) rewards: Vec<RewardPenalty>,
    pub(crate) audit: Vec<Entry>,
    pub(crate) accounts: Vec<Account>,
    pub(crate) dashboard: Dashboard,
    pub(crate) draft: InspectionDraft,
    pub(crate) selected: Option<i64>,
    pub(crate) rectify: Option<RectifyDraft>,
    pub(crate) verify_note: String,
    pub(crate) reward: RewardDraft,
    pub(crate) template_edit: Option<Template>,
    pub(crate) template_text: String,
    pub(crate) account: AccountDraft,
    reset: Option<ResetPasswordDraft>,
    pub(crate) error: Option<String>,
    pub(crate) month: String,
    pub(crate) monthly_loaded: Option<String>,
    pub(crate) quality: crate::report::quality::Quality,
    pub(crate) month_rewards: Vec<RewardPenalty>,
    pub(crate) photos: std::collections::HashMap<i64, Option<egui::TextureHandle>>,
}

impl SupervisorView {
    /// Forgets loaded data.
    pub fn invalidate(&mut self) {
        self.loaded = false;
    }

    /// Shows `tab`.
    pub fn show_tab(&mut self, tab: Tab) {
        self.tab = tab;
    }

    fn monthly_ui(&mut self, ui: &mut Ui, cx: &ViewCtx<'_>) -> Vec<Command> {
        let mut commands = Vec::new();
        ui.horizontal(|ui| {
            widgets::labelled_text(ui, t("report.month"), &mut self.month, 80.0);
        });
        let q = &self.quality;
        let pct = |p: Option<f64>| p.map_or_else(|| "—".to_owned(), |p| format!("{p:.1}%"));
        ui.heading(t("sup.quality_title"));
        ui.label(tf(
            "sup.q_inspections",
            &[("n", &q.inspections.to_string()), ("pct", &pct(q.pass_pct))],
        ));
        ui.label(tf(
            "sup.q_reception",
            &[
                ("greeting", &pct(q.greeting_pct)),
                ("water", &pct(q.water_pct)),
            ],
        ));
        ui.label(tf(
            "sup.q_rectifications",
            &[("n", &q.overdue_rectifications.to_string())],
        ));
        ui.label(RichText::new(t("sup.q_top_failing")).strong());
        let bars: Vec<egui_plot::Bar> = q
            .top_failing
            .iter()
            .enumerate()
            .map(|(i, (item, n))| {
                egui_plot::Bar::new(i as f64, *n as f64)
                    .name(item)
                    .width(0.6)
            })
            .collect();
        for (item, n) in &q.top_failing {
            ui.label(format!("{item}:{n}"));
        }
        Plot::new("top_failing")
            .height(150.0)
            .allow_zoom(false)
            .allow_drag(false)
            .allow_scroll(false)
            .show(ui, |plot| {
                plot.bar_chart(
                    egui_plot::BarChart::new(t("inspect.fail"), bars).color(theme::OVERDUE),
                );
            });
        ui.label(RichText::new(t("sup.q_complaints")).strong());
        for (cat, n) in &q.complaints_by_category {
            ui.label(format!("{cat}:{n}"));
        }
        ui.horizontal(|ui| {
            for (label, rewards, xlsx, ext) in [
                ("sup.export_quality_csv", false, false, "csv"),
                ("sup.export_quality_xlsx", false, true, "xlsx"),
                ("sup.export_rewards_csv", true, false, "csv"),
                ("sup.export_rewards_xlsx", true, true, "xlsx"),
            ] {
                if ui.button(t(label)).clicked()
                    && let Some(path) = rfd::FileDialog::new()
                        .set_file_name(format!(
                            "{}-{}.{ext}",
                            if rewards {
                                "监察奖罚明细"
                            } else {
                                "质量异常分析"
                            },
                            self.month
                        ))
                        .add_filter(ext.to_uppercase(), &[ext])
                        .save_file()
                {
                    commands.push(Command::Supervisor(SupervisorCommand::ExportMonthly {
                        month: self.month.clone(),
                        rewards,
                        path,
                        xlsx,
                    }));
                }
            }
        });
        ui.separator();
        ui.heading(t("sup.rewards_title"));
        egui::Grid::new("month_rewards")
            .striped(true)
            .num_columns(5)
            .spacing([10.0, 4.0])
            .show(ui, |ui| {
                for e in &self.month_rewards {
                    ui.label(e.on.format("%Y-%m-%d").to_string());
                    ui.label(cx.staff_name(Some(e.staff_id)));
                    ui.label(if e.reward {
                        t("sup.reward")
                    } else {
                        t("sup.penalty")
                    });
                    ui.label(format_fen(e.amount_fen));
                    ui.label(&e.reason);
                    ui.end_row();
                }
            });
        commands
    }

    /// Reacts to a saved command.
    pub fn on_applied(&mut self, cmd: &Command, created: Option<i64>) {
        let Command::Supervisor(s) = cmd else { return };
        self.error = None;
        match s {
            SupervisorCommand::SaveInspection { .. } => {
                self.draft = InspectionDraft::default();
                self.selected = created;
            }
            SupervisorCommand::RaiseRectification { .. } => self.rectify = None,
            SupervisorCommand::VerifyRectification { .. } => self.verify_note.clear(),
            SupervisorCommand::AddRewardPenalty(_) => self.reward = RewardDraft::default(),
            SupervisorCommand::SaveTemplate(_) => self.template_edit = None,
            SupervisorCommand::CreateAccount { .. } => self.account = AccountDraft::default(),
            SupervisorCommand::UpdateAccount {
                password: Some(_), ..
            } => self.reset = None,
            SupervisorCommand::UpdateAccount { .. }
            | SupervisorCommand::UnlockAccount(_)
            | SupervisorCommand::ExportMonthly { .. }
            | SupervisorCommand::ExportAudit(_) => {}
        }
    }

    /// Draws the screen.
    pub fn ui(&mut self, ui: &mut Ui, cx: &ViewCtx<'_>) -> Vec<Command> {
        let mut commands = Vec::new();
        ui.horizontal(|ui| {
            let admin = cx.actor.require(Action::ManageAccounts).is_ok();
            for (tab, key) in [
                (Tab::Dashboard, "sup.tab_dashboard"),
                (Tab::Inspections, "sup.tab_inspections"),
                (Tab::Rectifications, "sup.tab_rectifications"),
                (Tab::Rewards, "sup.tab_rewards"),
                (Tab::Templates, "sup.tab_templates"),
                (Tab::Monthly, "sup.tab_monthly"),
                (Tab::Audit, "sup.tab_audit"),
            ] {
                ui.selectable_value(&mut self.tab, tab, t(key));
            }
            if admin {
                ui.selectable_value(&mut self.tab, Tab::Accounts, t("sup.tab_accounts"));
            }
        });
        if let Some(e) = &self.error {
            ui.label(RichText::new(e).color(theme::OVERDUE));
        }
        ui.separator();
        egui::ScrollArea::vertical()
            .auto_shrink(false)
            .show(ui, |ui| match self.tab {
                Tab::Dashboard => commands.extend(self.dashboard_ui(ui)),
                Tab::Inspections => commands.extend(self.inspections_ui(ui, cx)),
                Tab::Rectifications => commands.extend(self.rectifications_ui(ui, cx)),
                Tab::Rewards => commands.extend(self.rewards_ui(ui, cx)),
                Tab::Templates => commands.extend(self.templates_ui(ui)),
                Tab::Monthly => commands.extend(self.monthly_ui(ui, cx)),
                Tab::Audit => commands.extend(self.audit_ui(ui)),
                Tab::Accounts => commands.extend(self.accounts_ui(ui, cx)),
            });
        if self.tab == Tab::Accounts {
            commands.extend(self.reset_password_ui(ui));
        }
        commands
    }

    fn dashboard_ui(&mut self, ui: &mut Ui) -> Vec<Command> {
        let mut commands = Vec::new();
        let d = &self.dashboard;
        let pct = |p: Option<f64>| p.map_or_else(|| "—".to_owned(), |p| format!("{p:.1}%"));
        let mut figure = |ui: &mut Ui, label: String, go: Command| {
            ui.horizontal(|ui| {
                ui.label(RichText::new(label).size(16.0));
                if ui.small_button(t("sup.open_list")).clicked() {
                    commands.push(go);
                }
            });
        };
        ui.heading(t("sup.today"));
        figure(
            ui,
            tf(
                "sup.fig_greeting",
                &[
                    ("limit", &d.limit_secs.to_string()),
                    ("pct", &pct(d.greeting_today)),
                    (
                        "median",
                        &d.median_today
                            .map_or_else(|| "—".into(), |m| format!("{m:.0}")),
                    ),
                ],
            ),
            Command::Goto(Screen::History),
        );
        figure(
            ui,
            tf("sup.fig_water", &[("pct", &pct(d.water_today))]),
            Command::Goto(Screen::History),
        );
        figure(
            ui,
            tf(
                "sup.fig_complaints",
                &[
                    ("open", &d.complaints_open.to_string()),
                    ("overdue", &d.complaints_overdue.to_string()),
                    ("major", &d.complaints_major.to_string()),
                ],
            ),
            Command::Goto(Screen::Complaints),
        );
        figure(
            ui,
            tf("sup.fig_satisfaction", &[("pct", &pct(d.satisfaction))]),
            Command::Goto(Screen::Weekly),
        );
        figure(
            ui,
            tf(
                "sup.fig_claims",
                &[
                    ("open", &d.claims_open.to_string()),
                    ("money", &format_fen(d.claims_open_fen)),
                ],
            ),
            Command::Goto(Screen::Claims),
        );
        figure(
            ui,
            tf("sup.fig_inspections", &[("pct", &pct(d.inspection_pass))]),
            Command::SupervisorTab(Tab::Inspections),
        );
        figure(
            ui,
            tf(
                "sup.fig_rectifications",
                &[("n", &d.rectifications_overdue.to_string())],
            ),
            Command::SupervisorTab(Tab::Rectifications),
        );
        ui.separator();
        ui.label(RichText::new(t("sup.trend_30")).strong());
        let series = |v: &[(NaiveDate, Option<f64>)]| -> PlotPoints<'static> {
            v.iter()
                .enumerate()
                .filter_map(|(i, (_, p))| p.map(|p| [i as f64, p]))
                .collect::<Vec<_>>()
                .into()
        };
        let greeting = series(&d.greeting_daily);
        let water = series(&d.water_daily);
        Plot::new("dashboard_trend")
            .height(220.0)
            .include_y(0.0)
            .include_y(100.0)
            .allow_zoom(false)
            .allow_drag(false)
            .allow_scroll(false)
            .legend(egui_plot::Legend::default())
            .show(ui, |plot| {
                plot.line(Line::new(t("sup.series_greeting"), greeting).color(theme::ACCENT));
                plot.line(Line::new(t("sup.series_water"), water).color(theme::OK));
            });
        ui.label(RichText::new(t("sup.trend_12w")).strong());
        let greeting_w = series(&d.greeting_weekly);
        let water_w = series(&d.water_weekly);
        Plot::new("dashboard_weekly")
            .height(180.0)
            .include_y(0.0)
            .include_y(100.0)
            .allow_zoom(false)
            .allow_drag(false)
            .allow_scroll(false)
            .legend(egui_plot::Legend::default())
            .show(ui, |plot| {
                plot.line(Line::new(t("sup.series_greeting"), greeting_w).color(theme::ACCENT));
                plot.line(Line::new(t("sup.series_water"), water_w).color(theme::OK));
            });
        ui.label(RichText::new(t("sup.cases_12w")).strong());
        let complaints: Vec<egui_plot::Bar> = d
            .cases_weekly
            .iter()
            .enumerate()
            .map(|(i, (_, c, _))| egui_plot::Bar::new(i as f64 - 0.2, *c as f64).width(0.35))
            .collect();
        let claims: Vec<egui_plot::Bar> = d
            .cases_weekly
            .iter()
            .enumerate()
            .map(|(i, (_, _, c))| egui_plot::Bar::new(i as f64 + 0.2, *c as f64).width(0.35))
            .collect();
        Plot::new("dashboard_cases")
            .height(160.0)
            .allow_zoom(false)
            .allow_drag(false)
            .allow_scroll(false)
            .legend(egui_plot::Legend::default())
            .show(ui, |plot| {
                plot.bar_chart(
                    egui_plot::BarChart::new(t("sup.series_complaints"), complaints)
                        .color(theme::WARN),
                );
                plot.bar_chart(
                    egui_plot::BarChart::new(t("sup.series_claims"), claims).color(theme::OVERDUE),
                );
            });
        commands
    }

    #[expect(
        clippy::too_many_lines,
        reason = "the inspection form, list and detail in one place"
    )]
    fn inspections_ui(&mut self, ui: &mut Ui, cx: &ViewCtx<'_>) -> Vec<Command> {
        let mut commands = Vec::new();
        ui.heading(t("sup.new_inspection"));
        let d = &mut self.draft;
        ui.horizontal_wrapped(|ui| {
            let l = ui.label(t("inspect.template"));
            let shown = d.template.and_then(|i| self.templates.get(i)).map_or_else(
                || t("complaint.pick_category").to_owned(),
                |t| t.name.clone(),
            );
            egui::ComboBox::from_id_salt("inspection_template")
                .selected_text(shown)
                .show_ui(ui, |ui| {
                    for (i, tpl) in self.templates.iter().enumerate() {
                        if ui
                            .selectable_label(d.template == Some(i), &tpl.name)
                            .clicked()
                        {
                            d.template = Some(i);
                            d.items = tpl
                                .items
                                .iter()
                                .map(|text| CheckedItem {
                                    id: 0,
                                    text: text.clone(),
                                    result: ItemResult::Pass,
                                    note: String::new(),
                                    photo: None,
                                })
                                .collect();
                        }
                    }
                })
                .response
                .labelled_by(l.id);
        });
        ui.horizontal_wrapped(|ui| {
            ui.label(t("inspect.target"));
            for k in TargetKind::ALL {
                ui.radio_value(&mut d.target_kind, Some(k), t(k.label_key()));
            }
        });
        if d.target_kind == Some(TargetKind::Staff) {
            let l = ui.label(t("sup.target_staff"));
            egui::ComboBox::from_id_salt("inspection_staff")
                .selected_text(d.staff_id.map_or_else(
                    || t("handover.pick").to_owned(),
                    |id| cx.staff_name(Some(id)),
                ))
                .show_ui(ui, |ui| {
                    for s in cx.active_staff() {
                        if ui
                            .selectable_label(d.staff_id == Some(s.id), &s.name)
                            .clicked()
                        {
                            d.staff_id = Some(s.id);
                            d.target.clone_from(&s.name);
                        }
                    }
                })
                .response
                .labelled_by(l.id);
        } else {
            widgets::labelled_text(ui, t("sup.target_name"), &mut d.target, 220.0);
        }
        let mut pick_photo = None;
        egui::Grid::new("inspection_items")
            .striped(true)
            .num_columns(4)
            .spacing([8.0, 4.0])
            .show(ui, |ui| {
                for (i, item) in d.items.iter_mut().enumerate() {
                    ui.label(&item.text);
                    ui.horizontal(|ui| {
                        for r in ItemResult::ALL {
                            ui.radio_value(&mut item.result, r, t(r.label_key()));
                        }
                    });
                    ui.push_id(i, |ui| {
                        ui.add(
                            egui::TextEdit::singleline(&mut item.note)
                                .desired_width(160.0)
                                .hint_text(t("sup.note")),
                        )
                        .on_hover_text(t("sup.note"));
                    });
                    let photo = item
                        .photo
                        .as_ref()
                        .map_or_else(|| t("sup.add_photo").to_owned(), |(n, _)| n.clone());
                    if ui.small_button(photo).clicked() {
                        pick_photo = Some(i);
                    }
                    ui.end_row();
                }
            });
        if let Some(i) = pick_photo
            && let Some(path) = rfd::FileDialog::new()
                .add_filter(t("claim.evidence_filter"), &["png", "jpg", "jpeg"])
                .pick_file()
        {
            match std::fs::read(&path) {
                Ok(bytes) => match crate::domain::evidence::check(&bytes) {
                    Ok(_) => {
                        d.items[i].photo = Some((
                            path.file_name()
                                .map(|n| n.to_string_lossy().into_owned())
                                .unwrap_or_default(),
                            bytes,
                        ))
                    }
                    Err(e) => self.error = Some(e.user_message()),
                },
                Err(e) => self.error = Some(e.to_string()),
            }
        }
        let d = &mut self.draft;
        widgets::labelled_text(ui, t("sup.remark"), &mut d.remark, 400.0);
        if ui
            .add_enabled(
                !d.items.is_empty(),
                egui::Button::new(RichText::new(t("sup.save_inspection")).strong()),
            )
            .clicked()
        {
            let template = d.template.and_then(|i| self.templates.get(i));
            let inspection = Inspection {
                id: 0,
                at: cx.now,
                inspector: cx.actor.name.clone(),
                target_kind: d.target_kind.unwrap_or(TargetKind::Staff),
                target: d.target.clone(),
                staff_id: d.staff_id,
                template_name: template.map(|t| t.name.clone()).unwrap_or_default(),
                items: d.items.clone(),
                remark: d.remark.clone(),
            };
            commands.push(Command::Supervisor(SupervisorCommand::SaveInspection {
                inspection: Box::new(inspection),
                template_id: template.map(|t| t.id),
            }));
        }
        ui.separator();
        ui.heading(t("sup.recent_inspections"));
        let mut pick = None;
        egui::Grid::new("inspections_list")
            .striped(true)
            .num_columns(5)
            .spacing([10.0, 4.0])
            .show(ui, |ui| {
                for i in &self.inspections {
                    if ui
                        .selectable_label(self.selected == Some(i.id), format!("#{}", i.id))
                        .clicked()
                    {
                        pick = Some(i.id);
                    }
                    ui.label(i.at.format(DISPLAY_FORMAT).to_string());
                    ui.label(format!("{} {}", t(i.target_kind.label_key()), i.target));
                    ui.label(&i.template_name);
                    ui.label(i.score_bp().map_or_else(
                        || "—".into(),
                        |s| {
                            tf(
                                "sup.score",
                                &[("pct", &format!("{}.{:02}", s / 100, s % 100))],
                            )
                        },
                    ));
                    ui.end_row();
                }
            });
        if let Some(id) = pick {
            self.selected = Some(id);
        }
        if let Some(i) = self
            .inspections
            .iter()
            .find(|i| Some(i.id) == self.selected)
        {
            ui.separator();
            ui.label(
                RichText::new(tf(
                    "sup.inspection_of",
                    &[("id", &i.id.to_string()), ("who", &i.inspector)],
                ))
                .strong(),
            );
            for item in &i.items {
                ui.horizontal(|ui| {
                    let colour = match item.result {
                        ItemResult::Pass => theme::OK,
                        ItemResult::Fail => theme::OVERDUE,
                        ItemResult::NotApplicable => theme::MUTED,
                    };
                    ui.label(
                        RichText::new(t(item.result.label_key()))
                            .color(colour)
                            .strong(),
                    );
                    ui.label(&item.text);
                    if !item.note.is_empty() {
                        ui.label(RichText::new(&item.note).color(theme::MUTED));
                    }
                    if let Some(Some(tex)) = self.photos.get(&item.id) {
                        ui.add(egui::Image::new(tex).max_size(egui::vec2(120.0, 90.0)));
                    }
                    if item.result == ItemResult::Fail
                        && ui.small_button(t("sup.raise_rectification")).clicked()
                    {
                        self.rectify = Some(RectifyDraft {
                            item_id: item.id,
                            item_text: item.text.clone(),
                            owner_staff: i.staff_id,
                            due: (cx.now.date() + Duration::days(3))
                                .format("%Y-%m-%d")
                                .to_string(),
                            ..RectifyDraft::default()
                        });
                    }
                });
            }
        }
        if let Some(r) = &mut self.rectify {
            ui.separator();
            ui.label(RichText::new(tf("sup.rectify_for", &[("item", &r.item_text)])).strong());
            let l = ui.label(t("sup.owner"));
            egui::ComboBox::from_id_salt("rectify_owner")
                .selected_text(r.owner_staff.map_or_else(
                    || t("handover.pick").to_owned(),
                    |id| cx.staff_name(Some(id)),
                ))
                .show_ui(ui, |ui| {
                    for s in cx.active_staff() {
                        ui.selectable_value(&mut r.owner_staff, Some(s.id), &s.name);
                    }
                })
                .response
                .labelled_by(l.id);
            widgets::labelled_text(ui, t("sup.requirement"), &mut r.requirement, 360.0);
            widgets::labelled_text(ui, t("inspect.due"), &mut r.due, 120.0);
            if ui
                .button(RichText::new(t("sup.save_rectification")).strong())
                .clicked()
            {
                match NaiveDate::parse_from_str(r.due.trim(), "%Y-%m-%d") {
                    Ok(due) => {
                        commands.push(Command::Supervisor(SupervisorCommand::RaiseRectification {
                            item_id: r.item_id,
                            owner: r
                                .owner_staff
                                .map(|id| cx.staff_name(Some(id)))
                                .unwrap_or_default(),
                            owner_staff_id: r.owner_staff,
                            requirement: r.requirement.clone(),
                            due,
                        }))
                    }
                    Err(_) => self.error = Some(tf("history.bad_date", &[("value", r.due.trim())])),
                }
            }
        }
        commands
    }

    fn rectifications_ui(&mut self, ui: &mut Ui, cx: &ViewCtx<'_>) -> Vec<Command> {
        let mut commands = Vec::new();
        let today = cx.now.date();
        let overdue = self
            .rectifications
            .iter()
            .filter(|r| r.is_overdue(today))
            .count();
        ui.label(
            RichText::new(tf("sup.overdue_count", &[("n", &overdue.to_string())]))
                .color(if overdue > 0 {
                    theme::OVERDUE
                } else {
                    theme::OK
                })
                .strong(),
        );
        widgets::labelled_text(ui, t("sup.verify_note"), &mut self.verify_note, 300.0);
        egui::Grid::new("rectifications")
            .striped(true)
            .num_columns(6)
            .spacing([10.0, 4.0])
            .show(ui, |ui| {
                for key in [
                    "sup.col_item",
                    "sup.owner",
                    "sup.requirement",
                    "inspect.due",
                    "sup.col_state",
                    "history.col_actions",
                ] {
                    ui.label(RichText::new(t(key)).strong());
                }
                ui.end_row();
                for r in &self.rectifications {
                    ui.label(&r.item_text);
                    ui.label(&r.owner);
                    ui.label(&r.requirement);
                    let due = RichText::new(r.due.format("%Y-%m-%d").to_string());
                    ui.label(if r.is_overdue(today) {
                        due.color(theme::OVERDUE).strong()
                    } else {
                        due
                    });
                    let state = match (r.verified_pass, r.verified_at) {
                        (Some(true), Some(at)) => tf(
                            "sup.verified_ok",
                            &[
                                ("who", &r.verified_by),
                                ("at", &at.format(DISPLAY_FORMAT).to_string()),
                            ],
                        ),
                        (Some(false), _) => tf("sup.verified_fail", &[("note", &r.verify_note)]),
                        _ => t("sup.open").to_owned(),
                    };
                    ui.label(state);
                    ui.horizontal(|ui| {
                        if r.verified_pass != Some(true) {
                            if ui.small_button(t("sup.verify_pass")).clicked() {
                                commands.push(Command::Supervisor(
                                    SupervisorCommand::VerifyRectification {
                                        id: r.id,
                                        passed: true,
                                        note: self.verify_note.clone(),
                                    },
                                ));
                            }
                            if ui.small_button(t("sup.verify_fail")).clicked() {
                                commands.push(Command::Supervisor(
                                    SupervisorCommand::VerifyRectification {
                                        id: r.id,
                                        passed: false,
                                        note: self.verify_note.clone(),
                                    },
                                ));
                            }
                        }
                    });
                    ui.end_row();
                }
            });
        commands
    }

    fn rewards_ui(&mut self, ui: &mut Ui, cx: &ViewCtx<'_>) -> Vec<Command> {
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

    fn templates_ui(&mut self, ui: &mut Ui) -> Vec<Command> {
        let mut commands = Vec::new();
        for tpl in &self.templates {
            ui.horizontal(|ui| {
                ui.label(RichText::new(&tpl.name).strong());
                if tpl.builtin {
                    ui.label(RichText::new(t("sup.builtin")).color(theme::MUTED));
                }
                if ui.small_button(t("sup.copy_template")).clicked() {
                    let copy = Template {
                        id: 0,
                        name: tf("sup.copy_of", &[("name", &tpl.name)]),
                        builtin: false,
                        items: tpl.items.clone(),
                    };
                    self.template_text = copy.items.join("\n");
                    self.template_edit = Some(copy);
                }
                if !tpl.builtin && ui.small_button(t("common.edit")).clicked() {
                    self.template_text = tpl.items.join("\n");
                    self.template_edit = Some(tpl.clone());
                }
            });
            for (i, item) in tpl.items.iter().enumerate() {
                ui.label(RichText::new(format!("  {}. {item}", i + 1)).color(theme::MUTED));
            }
        }
        if let Some(edit) = &mut self.template_edit {
            ui.separator();
            widgets::labelled_text(ui, t("sup.template_name"), &mut edit.name, 260.0);
            let l = ui.label(t("sup.template_items"));
            ui.add(
                egui::TextEdit::multiline(&mut self.template_text)
                    .desired_rows(8)
                    .desired_width(500.0),
            )
            .labelled_by(l.id);
            if ui
                .button(RichText::new(t("sup.save_template")).strong())
                .clicked()
            {
                let mut tpl = edit.clone();
                tpl.items = self.template_text.lines().map(str::to_owned).collect();
                commands.push(Command::Supervisor(SupervisorCommand::SaveTemplate(tpl)));
            }
        }
        commands
    }

    fn audit_ui(&self, ui: &mut Ui) -> Vec<Command> {
        let mut commands = Vec::new();
        ui.horizontal(|ui| {
            ui.label(RichText::new(t("sup.audit_hint")).color(theme::MUTED));
            if ui.button(t("sup.export_audit")).clicked()
                && let Some(path) = rfd::FileDialog::new()
                    .set_file_name("审计记录.csv")
                    .add_filter("CSV", &["csv"])
                    .save_file()
            {
                commands.push(Command::Supervisor(SupervisorCommand::ExportAudit(path)));
            }
        });
        egui::Grid::new("audit")
            .striped(true)
            .num_columns(5)
            .spacing([10.0, 4.0])
            .show(ui, |ui| {
                for e in &self.audit {
                    ui.label(e.at.format(DISPLAY_FORMAT).to_string());
                    ui.label(&e.actor);
                    ui.label(format!("{} {}", e.action, e.entity));
                    ui.label(e.entity_id.map(|i| format!("#{i}")).unwrap_or_default());
                    ui.label(if e.before.is_empty() {
                        e.after.clone()
                    } else {
                        format!("{} → {}", e.before, e.after)
                    });
                    ui.end_row();
                }
            });
        commands
    }

    fn accounts_ui(&mut self, ui: &mut Ui, cx: &ViewCtx<'_>) -> Vec<Command> {
        let mut commands = Vec::new();
        egui::Grid::new("accounts")
            .striped(true)
            .num_columns(6)
            .spacing([10.0, 4.0])
            .show(ui, |ui| {
                for key in [
                    "sup.account_col_login",
                    "sup.account_col_name",
                    "sup.account_col_role",
                    "sup.account_col_status",
                    "sup.account_col_failures",
                    "history.col_actions",
                ] {
                    ui.label(RichText::new(t(key)).strong());
                }
                ui.end_row();
                for a in &self.accounts {
                    ui.label(&a.username);
                    ui.label(&a.display_name);
                    ui.label(t(a.role.label_key()));
                    account_status_ui(ui, a, cx.now);
                    if a.failed_logins > 0 {
                        let last = a
                            .last_failed_at
                            .map(|at| at.format(DISPLAY_FORMAT).to_string())
                            .unwrap_or_default();
                        ui.label(tf(
                            "sup.account_failures",
                            &[("n", &a.failed_logins.to_string()), ("at", &last)],
                        ));
                    } else {
                        ui.label("—");
                    }
                    ui.horizontal(|ui| {
                        if ui.small_button(t("sup.reset_password")).clicked() {
                            self.reset = Some(ResetPasswordDraft {
                                id: a.id,
                                username: a.username.clone(),
                                active: a.active,
                                ..ResetPasswordDraft::default()
                            });
                        }
                        if (a.failed_logins > 0 || a.locked_until.is_some())
                            && ui.small_button(t("sup.unlock_account")).clicked()
                        {
                            commands
                                .push(Command::Supervisor(SupervisorCommand::UnlockAccount(a.id)));
                        }
                        let toggle = if a.active {
                            t("staff.deactivate")
                        } else {
                            t("staff.activate")
                        };
                        if ui.small_button(toggle).clicked() {
                            commands.push(Command::Supervisor(SupervisorCommand::UpdateAccount {
                                id: a.id,
                                active: !a.active,
                                password: None,
                            }));
                        }
                    });
                    ui.end_row();
                }
            });
        ui.separator();
        ui.heading(t("sup.new_account"));
        let a = &mut self.account;
        widgets::labelled_text(ui, t("login.username"), &mut a.username, 160.0);
        widgets::labelled_text(ui, t("login.display_name"), &mut a.display_name, 160.0);
        ui.horizontal(|ui| {
            for r in AccountRole::ALL {
                ui.radio_value(&mut a.role, Some(r), t(r.label_key()));
            }
        });
        let l = ui.label(t("login.password"));
        ui.add(
            egui::TextEdit::singleline(&mut a.password)
                .password(true)
                .desired_width(160.0),
        )
        .labelled_by(l.id);
        if ui
            .button(RichText::new(t("sup.create_account")).strong())
            .clicked()
        {
            commands.push(Command::Supervisor(SupervisorCommand::CreateAccount {
                username: a.username.clone(),
                display_name: a.display_name.clone(),
                role: a.role.unwrap_or(AccountRole::Supervisor),
                password: a.password.clone(),
            }));
        }
        commands
    }
}

impl SupervisorView {
    /// The reset-password dialog, when open: the new password typed twice.
    fn reset_password_ui(&mut self, ui: &mut Ui) -> Vec<Command> {
        let mut commands = Vec::new();
        let Some(r) = &mut self.reset else {
            return commands;
        };
        let mut close = widgets::escape_pressed(ui);
        egui::Window::new(tf("sup.reset_title", &[("user", &r.username)]))
            .id(egui::Id::unique("reset_password_dialog"))
            .collapsible(false)
            .resizable(false)
            .anchor(egui::Align2::CENTER_CENTER, [0.0, 0.0])
            .show(ui.ctx(), |ui| {
                let l = ui.label(t("sup.new_password"));
                let field = ui
                    .add(
                        egui::TextEdit::singleline(&mut r.password)
                            .password(true)
                            .desired_width(200.0),
                    )
                    .labelled_by(l.id);
                widgets::focus_once(ui, &field, &mut r.focused);
                let l = ui.label(t("sup.confirm_new_password"));
                ui.add(
                    egui::TextEdit::singleline(&mut r.confirm)
                        .password(true)
                        .desired_width(200.0),
                )
                .labelled_by(l.id);
                if let Some(e) = &r.error {
                    ui.label(RichText::new(e).color(theme::OVERDUE));
                }
                ui.horizontal(|ui| {
                    if ui
                        .button(RichText::new(t("sup.reset_confirm")).strong())
                        .clicked()
                    {
                        if r.password == r.confirm {
                            r.error = None;
                            commands.push(Command::Supervisor(SupervisorCommand::UpdateAccount {
                                id: r.id,
                                active: r.active,
                                password: Some(r.password.clone()),
                            }));
                        } else {
                            r.error = Some(t("login.mismatch").to_owned());
                        }
                    }
                    if ui.button(t("common.cancel")).clicked() {
                        close = true;
                    }
                });
            });
        if close {
            self.reset = None;
        }
        commands
    }
}

/// Active, deactivated, or locked until a time.
fn account_status_ui(ui: &mut Ui, a: &Account, now: chrono::NaiveDateTime) {
    if !a.active {
        ui.label(RichText::new(t("sup.account_inactive")).color(theme::MUTED));
    } else if is_locked(a.locked_until, now)
        && let Some(until) = a.locked_until
    {
        ui.label(
            RichText::new(tf(
                "sup.account_locked_until",
                &[("until", &until.format(DISPLAY_FORMAT).to_string())],
            ))
            .color(theme::OVERDUE),
        );
    } else {
        ui.label(t("sup.account_active"));
    }
}

impl std::fmt::Debug for SupervisorView {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SupervisorView")
            .field("tab", &self.tab)
            .finish_non_exhaustive()
    }
}
