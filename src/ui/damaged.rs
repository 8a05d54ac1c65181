//! The window shown when the database file is damaged: what is wrong (the file, what SQLite
//! said), the good backups of that database (newest first, each checked), and a button that puts
//! the chosen one in its place. The damaged file is never written: it is moved aside unchanged
//! and kept. Like `startup_error`, a small app of its own, in the bundled font.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use egui::{RichText, Ui};

use super::theme;
use crate::app::backups::{Check, Recovery, Replaced};
use crate::domain::DISPLAY_FORMAT;
use crate::i18n::{t, tf};

/// The damaged-file window.
pub struct DamagedFile {
    detail: String,
    recovery: Recovery,
    chosen: Option<usize>,
    open_app: Arc<AtomicBool>,
}

impl DamagedFile {
    /// For the damaged file of `recovery`; `detail` is what SQLite reported.
    pub fn new(detail: impl Into<String>, recovery: Recovery) -> Self {
        Self {
            detail: detail.into(),
            recovery,
            chosen: None,
            open_app: Arc::new(AtomicBool::new(false)),
        }
    }

    /// Set when the user, after a successful replacement, asks to open FrontDesk.
    pub fn open_app_flag(&self) -> Arc<AtomicBool> {
        Arc::clone(&self.open_app)
    }

    /// The recovery (tests look at its outcome).
    pub fn recovery(&self) -> &Recovery {
        &self.recovery
    }

    /// Draws the window.
    pub fn ui(&mut self, ui: &mut Ui) {
        let ctx = ui.ctx().clone();
        self.recovery.poll();
        if self.recovery.busy() {
            ctx.request_repaint_after(crate::app::backups::POLL_INTERVAL);
        }
        if self.chosen.is_none() {
            self.chosen = self.recovery.newest_good();
        }
        egui::CentralPanel::default().show(ui, |ui| {
            egui::ScrollArea::vertical()
                .auto_shrink(false)
                .show(ui, |ui| {
                    ui.add_space(8.0);
                    ui.heading(RichText::new(t("damaged.title")).color(theme::OVERDUE));
                    ui.add_space(8.0);
                    ui.add(
                        egui::Label::new(tf(
                            "damaged.what",
                            &[("path", &self.recovery.database().display().to_string())],
                        ))
                        .wrap(),
                    );
                    ui.label(t("damaged.sqlite_said"));
                    ui.add(
                        egui::Label::new(RichText::new(&self.detail).monospace())
                            .wrap()
                            .selectable(true),
                    );
                    ui.add_space(6.0);
                    ui.add(
                        egui::Label::new(RichText::new(t("damaged.untouched")).color(theme::MUTED))
                            .wrap(),
                    );
                    ui.separator();
                    if let Some(Replaced::Done { from, aside }) = self.recovery.outcome() {
                        let (from, aside) = (from.clone(), aside.clone());
                        self.done_ui(ui, &from, &aside);
                    } else {
                        self.backups_ui(ui);
                        ui.add_space(12.0);
                        if ui.button(t("startup.close")).clicked() {
                            ui.ctx().send_viewport_cmd(egui::ViewportCommand::Close);
                        }
                    }
                });
        });
    }

    /// The backups found, their checks, and the button that restores the chosen one.
    fn backups_ui(&mut self, ui: &mut Ui) {
        ui.label(
            RichText::new(tf(
                "damaged.backups_in",
                &[("folder", &self.recovery.folder().display().to_string())],
            ))
            .strong(),
        );
        let Some(candidates) = self.recovery.candidates() else {
            ui.label(RichText::new(t("damaged.searching")).color(theme::MUTED));
            return;
        };
        if candidates.is_empty() {
            ui.add(egui::Label::new(RichText::new(t("damaged.none")).color(theme::OVERDUE)).wrap());
            return;
        }
        let ids: std::collections::HashSet<&String> = candidates
            .iter()
            .filter_map(|c| c.info.database_id.as_ref())
            .collect();
        let several_databases = ids.len() > 1;
        let mut chosen = self.chosen;
        egui::Grid::new("damaged_backups")
            .striped(true)
            .num_columns(5)
            .spacing([16.0, 4.0])
            .show(ui, |ui| {
                for (i, c) in candidates.iter().enumerate() {
                    ui.push_id(i, |ui| {
                        let time = c.info.made_at.format(DISPLAY_FORMAT).to_string();
                        if c.check == Check::Good {
                            if ui.radio(chosen == Some(i), time).clicked() {
                                chosen = Some(i);
                            }
                        } else {
                            ui.label(RichText::new(time).color(theme::MUTED));
                        }
                    });
                    let mut kind = t(c.info.kind.label_key()).to_owned();
                    if several_databases && let Some(id) = &c.info.database_id {
                        let short: String = id.chars().take(8).collect();
                        kind.push_str(&tf("damaged.database_id", &[("id", &short)]));
                    }
                    ui.label(kind);
                    ui.label(format!("{:.1} MB", c.info.bytes as f64 / (1024.0 * 1024.0)));
                    let file = c.info.path.file_name().unwrap_or_default();
                    ui.label(
                        RichText::new(file.to_string_lossy())
                            .monospace()
                            .color(theme::MUTED),
                    );
                    match &c.check {
                        Check::Pending => {
                            ui.label(RichText::new(t("damaged.checking")).color(theme::MUTED))
                        }
                        Check::Good => ui.label(RichText::new(t("damaged.good")).color(theme::OK)),
                        Check::Bad(why) => ui.add(
                            egui::Label::new(
                                RichText::new(tf("damaged.bad", &[("reason", why)]))
                                    .color(theme::OVERDUE),
                            )
                            .wrap(),
                        ),
                    };
                    ui.end_row();
                }
            });
        self.chosen = chosen;
        if !self.recovery.scanning() && self.recovery.newest_good().is_none() {
            ui.add(
                egui::Label::new(RichText::new(t("damaged.none_good")).color(theme::OVERDUE))
                    .wrap(),
            );
        }
        ui.add_space(8.0);
        let replacing = self.recovery.replacing();
        let usable = chosen.is_some_and(|i| {
            self.recovery
                .candidates()
                .and_then(|c| c.get(i))
                .is_some_and(|c| c.check == Check::Good)
        });
        ui.horizontal(|ui| {
            let button = egui::Button::new(RichText::new(t("damaged.restore")).strong());
            if ui
                .add_enabled(usable && replacing.is_none(), button)
                .clicked()
                && let Some(i) = chosen
            {
                self.recovery.replace_with(i);
            }
            if let Some(p) = replacing {
                let fraction = if p.total == 0 { 0.0 } else { p.fraction() };
                ui.add(
                    egui::ProgressBar::new(fraction)
                        .desired_width(240.0)
                        .text(tf(
                            "damaged.replacing",
                            &[("percent", &format!("{:.0}", fraction * 100.0))],
                        )),
                );
            }
        });
        if let Some(Replaced::Failed(why)) = self.recovery.outcome() {
            ui.add(
                egui::Label::new(
                    RichText::new(tf("damaged.failed", &[("detail", why)])).color(theme::OVERDUE),
                )
                .wrap(),
            );
        }
    }

    /// After the replacement: what was done, where the damaged file is, and the way on.
    fn done_ui(&mut self, ui: &mut Ui, from: &std::path::Path, aside: &std::path::Path) {
        let name = |p: &std::path::Path| {
            p.file_name().map_or_else(
                || p.display().to_string(),
                |n| n.to_string_lossy().into_owned(),
            )
        };
        ui.add(
            egui::Label::new(
                RichText::new(tf(
                    "damaged.done",
                    &[
                        ("file", &name(from)),
                        ("aside", &aside.display().to_string()),
                    ],
                ))
                .color(theme::OK)
                .strong(),
            )
            .wrap(),
        );
        ui.add(egui::Label::new(t("damaged.done_hint")).wrap());
        ui.add_space(12.0);
        ui.horizontal(|ui| {
            if ui
                .button(RichText::new(t("damaged.open_app")).strong())
                .clicked()
            {
                self.open_app.store(true, Ordering::Relaxed);
                ui.ctx().send_viewport_cmd(egui::ViewportCommand::Close);
            }
            if ui.button(t("startup.close")).clicked() {
                ui.ctx().send_viewport_cmd(egui::ViewportCommand::Close);
            }
        });
    }
}

impl eframe::App for DamagedFile {
    fn ui(&mut self, ui: &mut Ui, _frame: &mut eframe::Frame) {
        DamagedFile::ui(self, ui);
    }
}
