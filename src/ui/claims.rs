//! 理赔: the claims list with filters and totals, and each claim's file — workflow, liability
//! split, money, insurer, evidence photos and investigation notes.

use std::collections::HashMap;

use chrono::{NaiveDate, NaiveDateTime};
use egui::{RichText, Ui};

use super::{theme, widgets};
use crate::app::{Command, FileFor, ServiceCommand, ViewCtx};
use crate::domain::DISPLAY_FORMAT;
use crate::domain::claim::{
    Claim, ClaimDraft, ClaimStatus, ClaimType, InsurerStatus, Party, PartyRole,
};
use crate::domain::evidence::EvidenceKind;
use crate::domain::money::{
    WHOLE_BP, edit_fen, format_fen, format_percent, parse_fen, parse_fen_opt, parse_percent,
};
use crate::i18n::{t, tf};
use crate::store::claims::{ClaimFilter, Event, FileMeta, Insurer, Totals};
use crate::store::paging::{Page, Position};

/// Claims per page of the list.
pub const PAGE_SIZE: i64 = 50;

/// The new-claim form.
#[derive(Clone, Debug, Default)]
pub struct ClaimForm {
    /// What is typed.
    pub draft: ClaimDraft,
}

impl ClaimForm {
    /// A form pre-filled with `draft`.
    pub fn new(draft: ClaimDraft) -> Self {
        Self { draft }
    }

    /// Draws the form; `Some(Some(draft))` on save, `Some(None)` on cancel.
    pub fn ui(&mut self, ui: &mut Ui, causes: &[String]) -> Option<Option<ClaimDraft>> {
        let mut result = None;
        let d = &mut self.draft;
        egui::Window::new(t("claim.new_title"))
            .collapsible(false)
            .resizable(false)
            .anchor(egui::Align2::CENTER_CENTER, [0.0, 0.0])
            .min_width(480.0)
            .show(ui.ctx(), |ui| {
                egui::Grid::new("claim_form_grid")
                    .num_columns(2)
                    .spacing([10.0, 6.0])
                    .show(ui, |ui| {
                        widgets::labelled_text(ui, t("claim.waybill"), &mut d.waybill, 220.0);
                        ui.end_row();
                        widgets::labelled_text(
                            ui,
                            t("claim.customer"),
                            &mut d.customer_name,
                            220.0,
                        );
                        ui.end_row();
                        widgets::labelled_text(ui, t("field.phone"), &mut d.phone, 220.0);
                        ui.end_row();
                        widgets::labelled_text(
                            ui,
                            t("claim.incident_date"),
                            &mut d.incident_date,
                            120.0,
                        );
                        ui.end_row();
                        widgets::labelled_text(
                            ui,
                            t("claim.incident_place"),
                            &mut d.incident_place,
                            220.0,
                        );
                        ui.end_row();
                        widgets::labelled_text(ui, t("claim.branch"), &mut d.branch, 220.0);
                        ui.end_row();
                        ui.label(t("claim.type"));
                        ui.horizontal(|ui| {
                            for ct in ClaimType::ALL {
                                ui.radio_value(&mut d.claim_type, Some(*ct), t(ct.label_key()));
                            }
                        });
                        ui.end_row();
                        let l = ui.label(t("claim.cause"));
                        let shown = if d.cause.is_empty() {
                            t("complaint.pick_category").to_owned()
                        } else {
                            d.cause.clone()
                        };
                        egui::ComboBox::from_id_salt("claim_cause")
                            .selected_text(shown)
                            .width(220.0)
                            .show_ui(ui, |ui| {
                                for c in causes {
                                    ui.selectable_value(&mut d.cause, c.clone(), c.as_str());
                                }
                            })
                            .response
                            .labelled_by(l.id);
                        ui.end_row();
                        widgets::labelled_text(ui, t("claim.claimed"), &mut d.claimed, 140.0);
                        ui.end_row();
                    });
                let l = ui.label(t("claim.description"));
                ui.add(
                    egui::TextEdit::multiline(&mut d.description)
                        .desired_rows(3)
                        .desired_width(f32::INFINITY),
                )
                .labelled_by(l.id);
                ui.checkbox(&mut d.major, t("claim.major"))
                    .on_hover_text(t("claim.major_hint"));
                ui.checkbox(&mut d.settled_directly, t("claim.settled_directly"));
                ui.horizontal(|ui| {
                    if ui
                        .button(RichText::new(t("claim.create")).strong())
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

/// A party row being edited.
#[derive(Clone, Debug, Default)]
struct PartyDraft {
    name: String,
    role: Option<PartyRole>,
    share: String,
    staff_id: Option<i64>,
}

/// Drafts of the open claim's editable parts.
#[derive(Clone, Debug, Default)]
struct Drafts {
    parties: Vec<PartyDraft>,
    agreed: String,
    paid: String,
    insurer: String,
    policy_no: String,
    case_no: String,
    insurer_status: Option<InsurerStatus>,
    recovered: String,
    note: String,
    reject_reason: String,
    settle_by: String,
    deadline_reason: String,
    error: Option<String>,
}

impl Drafts {
    fn of(c: &Claim) -> Self {
        Self {
            parties: c
                .parties
                .iter()
                .map(|p| PartyDraft {
                    name: p.name.clone(),
                    role: p.role,
                    share: format_percent(p.share_bp).trim_end_matches('%').to_owned(),
                    staff_id: p.staff_id,
                })
                .collect(),
            agreed: c.agreed_fen.map(edit_fen).unwrap_or_default(),
            paid: c.paid_fen.map(edit_fen).unwrap_or_default(),
            insurer: c.insurer.clone(),
            policy_no: c.policy_no.clone(),
            case_no: c.insurer_case_no.clone(),
            insurer_status: c.insurer_status,
            recovered: edit_fen(c.recovered_fen),
            ..Self::default()
        }
    }
}

/// The claims screen.
#[derive(Default)]
pub struct ClaimsView {
    status: Option<ClaimStatus>,
    month: String,
    claim_type: Option<ClaimType>,
    branch: String,
    filter: ClaimFilter,
    filter_error: Option<String>,
    list: Vec<Claim>,
    totals: Totals,
    /// Where the page shown starts, and how many matching claims are newer than its first.
    position: Position,
    newer: i64,
    /// The filter and position of the page shown.
    list_loaded: Option<(ClaimFilter, Position)>,
    selected: Option<i64>,
    detail: Option<(Claim, Vec<Event>, Vec<FileMeta>)>,
    detail_transfers: Vec<crate::domain::transfer::Transfer>,
    transfer: super::transfers::TransferDraft,
    drafts: Drafts,
    /// The claim the edit forms were filled from and its stamp then: a save is refused if
    /// another desk changed it since (`store::versions`). While it stays, a reload of the
    /// detail keeps what is typed in the forms.
    based_on: Option<(i64, i64)>,
    /// Thumbnails of the evidence images, decoded once (`None`: the file does not decode).
    thumbs: HashMap<i64, Option<egui::TextureHandle>>,
    want_full: Option<i64>,
    full: Option<(i64, egui::TextureHandle)>,
    new_form: Option<ClaimForm>,
}

/// A claim's file as read on a worker: its stamp (read first), the claim, its timeline and the
/// list of its evidence files.
#[derive(Debug)]
pub struct ClaimDetail {
    /// The claim's version stamp (`store::versions`) when it was read.
    pub stamp: i64,
    /// The claim.
    pub claim: Claim,
    /// Its timeline.
    pub events: Vec<Event>,
    /// Its evidence files (without their bytes).
    pub files: Vec<FileMeta>,
    /// Its transfers (首问负责制), oldest first.
    pub transfers: Vec<crate::domain::transfer::Transfer>,
}

/// An evidence image decoded on a worker (`None`: the file does not decode).
pub type Decoded = Option<egui::ColorImage>;

/// Side of the evidence thumbnails and of the full view, in pixels.
pub const THUMB_SIDE: u32 = 160;
/// Largest side of an evidence image shown full size.
pub const FULL_SIDE: u32 = 1600;

impl std::fmt::Debug for ClaimsView {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClaimsView")
            .field("selected", &self.selected)
            .finish_non_exhaustive()
    }
}

/// Decodes an image file and scales it down to at most `max_side` pixels (on a worker: a photo
/// of 10 MB takes far longer than a frame).
pub fn decode_image(bytes: &[u8], max_side: u32) -> Decoded {
    let img = image::load_from_memory(bytes).ok()?;
    let img = if img.width() > max_side || img.height() > max_side {
        img.thumbnail(max_side, max_side)
    } else {
        img
    };
    let rgba = img.to_rgba8();
    let size = [rgba.width() as usize, rgba.height() as usize];
    Some(egui::ColorImage::from_rgba_unmultiplied(
        size,
        rgba.as_raw(),
    ))
}

/// A texture of a decoded image.
fn texture(ctx: &egui::Context, name: &str, image: Decoded) -> Option<egui::TextureHandle> {
    image.map(|img| ctx.load_texture(name, img, egui::TextureOptions::LINEAR))
}

impl ClaimsView {
    /// Forgets loaded data (textures of files stay: files never change).
    pub fn invalidate(&mut self) {
        self.list_loaded = None;
        self.detail = None;
    }

    /// The page of the list to read (filter and position), when it is not shown yet.
    pub fn list_to_load(&self) -> Option<(ClaimFilter, Position)> {
        let key = (self.filter.clone(), self.position);
        (self.list_loaded.as_ref() != Some(&key)).then_some(key)
    }

    /// Shows the page read for `key`, unless the screen asks for another one by now.
    pub fn set_list(&mut self, key: (ClaimFilter, Position), page: Page<Claim>, totals: Totals) {
        if self.list_to_load().as_ref() == Some(&key) {
            (self.list, self.newer, self.totals) = (page.rows, page.newer, totals);
            self.list_loaded = Some(key);
        }
    }

    /// The claim whose file is to be read, when the one shown is not it.
    pub fn detail_to_load(&self) -> Option<i64> {
        let id = self.selected?;
        self.detail
            .as_ref()
            .is_none_or(|(c, _, _)| c.id != id)
            .then_some(id)
    }

    /// Shows the file read for claim `id`, unless another claim is selected by now. The forms
    /// are filled from the claim when it is opened (or after this desk saved it); a reload
    /// because another desk changed something keeps what is typed.
    pub fn set_detail(&mut self, id: i64, read: ClaimDetail) {
        if self.detail_to_load() != Some(id) {
            return;
        }
        if self.based_on.is_none_or(|(based, _)| based != id) {
            let keep_error = self.drafts.error.take();
            self.drafts = Drafts::of(&read.claim);
            self.drafts.error = keep_error;
            self.based_on = Some((id, read.stamp));
        }
        self.detail = Some((read.claim, read.events, read.files));
        self.detail_transfers = read.transfers;
    }

    /// The evidence images of the claim shown whose thumbnails are not decoded yet.
    pub fn thumbs_to_load(&self) -> Option<Vec<i64>> {
        let (_, _, files) = self.detail.as_ref()?;
        let missing: Vec<i64> = files
            .iter()
            .filter(|f| f.kind == EvidenceKind::Image && !self.thumbs.contains_key(&f.id))
            .map(|f| f.id)
            .collect();
        (!missing.is_empty()).then_some(missing)
    }

    /// Keeps the thumbnails decoded on a worker (files never change: they stay).
    pub fn set_thumbs(&mut self, ctx: &egui::Context, decoded: Vec<(i64, Decoded)>) {
        for (id, image) in decoded {
            let tex = texture(ctx, &format!("thumb-{id}"), image);
            self.thumbs.insert(id, tex);
        }
    }

    /// The evidence image to show full size, when it was clicked and is not decoded yet.
    pub fn full_to_load(&self) -> Option<i64> {
        self.want_full
    }

    /// Shows an evidence image full size, unless another one was clicked by now.
    pub fn set_full(&mut self, ctx: &egui::Context, id: i64, image: Decoded) {
        if self.want_full == Some(id) {
            self.want_full = None;
            self.full = texture(ctx, &format!("full-{id}"), image).map(|t| (id, t));
        }
    }

    /// The claim the edit forms were filled from, and its stamp then.
    pub fn based_on(&self) -> Option<(i64, i64)> {
        self.based_on
    }

    /// Another desk changed the claim first: the forms now count as based on `stamp`, and the
    /// claim is read again (what is typed stays).
    pub fn changed_elsewhere(&mut self, id: i64, stamp: i64) {
        self.based_on = Some((id, stamp));
        self.invalidate();
    }

    /// Shows claim `id`.
    pub fn select(&mut self, id: i64) {
        if self.selected != Some(id) {
            self.selected = Some(id);
            self.detail = None;
            self.full = None;
        }
    }

    /// Opens the new-claim form with `draft`.
    pub fn open_form(&mut self, draft: ClaimDraft) {
        self.new_form = Some(ClaimForm::new(draft));
    }

    /// Reacts to a saved command.
    pub fn on_applied(&mut self, cmd: &Command) {
        let Command::Service(s) = cmd else { return };
        if s.changes().is_some() {
            // Saved: the forms are filled again from the state this desk just made.
            self.based_on = None;
        }
        match s {
            ServiceCommand::CreateClaim(_) => self.new_form = None,
            ServiceCommand::ClaimNote { .. } => self.drafts.note.clear(),
            _ => {}
        }
        self.drafts.error = None;
    }

    fn apply_filter(&mut self) {
        let month = self.month.trim();
        if !month.is_empty() && crate::report::claims::parse_month(month).is_none() {
            self.filter_error = Some(tf("report.bad_month", &[("value", month)]));
            return;
        }
        self.filter_error = None;
        self.position = Position::Newest;
        self.filter = ClaimFilter {
            status: self.status,
            month: (!month.is_empty()).then(|| month.to_owned()),
            claim_type: self.claim_type,
            branch: self.branch.trim().to_owned(),
            complaint_id: None,
        };
    }

    /// Draws the screen.
    pub fn ui(&mut self, ui: &mut Ui, cx: &ViewCtx<'_>) -> Vec<Command> {
        let mut commands = Vec::new();
        egui::Panel::left("claim_list")
            .resizable(true)
            .default_size(560.0)
            .show(ui, |ui| self.list_ui(ui, cx));
        egui::CentralPanel::default().show(ui, |ui| {
            egui::ScrollArea::vertical()
                .auto_shrink(false)
                .show(ui, |ui| commands.extend(self.detail_ui(ui, cx)));
        });
        if let Some(form) = &mut self.new_form {
            match form.ui(ui, &cx.board.causes) {
                Some(Some(draft)) => {
                    commands.push(Command::Service(ServiceCommand::CreateClaim(draft)))
                }
                Some(None) => self.new_form = None,
                None => {}
            }
        }
        let mut close_full = false;
        if let Some((_, tex)) = &self.full {
            let mut open = true;
            egui::Window::new(t("claim.evidence_view"))
                .open(&mut open)
                .default_size([820.0, 620.0])
                .show(ui.ctx(), |ui| {
                    egui::ScrollArea::both().show(ui, |ui| {
                        ui.add(
                            egui::Image::new(tex)
                                .max_width(ui.available_width())
                                .maintain_aspect_ratio(true),
                        );
                    });
                });
            close_full = !open || widgets::escape_pressed(ui);
        }
        if close_full {
            self.full = None;
        }
        commands
    }

    fn list_ui(&mut self, ui: &mut Ui, cx: &ViewCtx<'_>) {
        ui.horizontal(|ui| {
            ui.heading(t("claims.title"));
            if ui.button(RichText::new(t("claims.new")).strong()).clicked() {
                self.new_form = Some(ClaimForm::default());
            }
        });
        ui.horizontal_wrapped(|ui| {
            let l = ui.label(t("claim.status"));
            egui::ComboBox::from_id_salt("claim_filter_status")
                .selected_text(self.status.map_or(t("calls.all"), |s| t(s.label_key())))
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut self.status, None, t("calls.all"));
                    for s in ClaimStatus::ALL {
                        ui.selectable_value(&mut self.status, Some(*s), t(s.label_key()));
                    }
                })
                .response
                .labelled_by(l.id);
            let l = ui.label(t("claim.type"));
            egui::ComboBox::from_id_salt("claim_filter_type")
                .selected_text(self.claim_type.map_or(t("calls.all"), |s| t(s.label_key())))
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut self.claim_type, None, t("calls.all"));
                    for s in ClaimType::ALL {
                        ui.selectable_value(&mut self.claim_type, Some(*s), t(s.label_key()));
                    }
                })
                .response
                .labelled_by(l.id);
            widgets::labelled_text(ui, t("claims.month"), &mut self.month, 70.0);
            widgets::labelled_text(ui, t("claim.branch"), &mut self.branch, 80.0);
            if ui.button(t("history.apply")).clicked() {
                self.apply_filter();
            }
        });
        if let Some(e) = &self.filter_error {
            ui.label(RichText::new(e).color(theme::OVERDUE));
        }
        ui.horizontal(|ui| {
            let key = |c: &Claim| (c.reported_at, c.id);
            widgets::keyset_pager(
                ui,
                tf("claims.count", &[("n", &self.totals.claims.to_string())]),
                (self.totals.claims, self.newer, self.list.len()),
                (self.list.first().map(key), self.list.last().map(key)),
                &mut self.position,
            );
        });
        let tt = &self.totals;
        ui.label(
            RichText::new(tf(
                "claims.totals",
                &[
                    ("n", &tt.claims.to_string()),
                    ("claimed", &format_fen(tt.claimed_fen)),
                    ("agreed", &format_fen(tt.agreed_fen)),
                    ("paid", &format_fen(tt.paid_fen)),
                    ("recovered", &format_fen(tt.recovered_fen)),
                ],
            ))
            .strong(),
        );
        ui.separator();
        let mut pick = None;
        egui::ScrollArea::vertical()
            .auto_shrink(false)
            .show(ui, |ui| {
                egui::Grid::new("claims_grid")
                    .striped(true)
                    .num_columns(7)
                    .spacing([8.0, 6.0])
                    .show(ui, |ui| {
                        for key in [
                            "complaints.col_no",
                            "claims.col_waybill",
                            "claims.col_customer",
                            "claims.col_type",
                            "claims.col_status",
                            "claims.col_claimed",
                            "claims.col_deadline",
                        ] {
                            ui.label(RichText::new(t(key)).strong());
                        }
                        ui.end_row();
                        for c in &self.list {
                            if ui
                                .selectable_label(self.selected == Some(c.id), format!("#{}", c.id))
                                .clicked()
                            {
                                pick = Some(c.id);
                            }
                            ui.label(&c.waybill);
                            ui.label(&c.customer_name);
                            ui.label(c.claim_type.map_or("", |x| t(x.label_key())));
                            let colour = if c.status().is_open() {
                                theme::ACCENT
                            } else {
                                theme::MUTED
                            };
                            ui.label(RichText::new(t(c.status().label_key())).color(colour));
                            ui.label(format_fen(c.claimed_fen));
                            settle_clock_ui(ui, c, cx);
                            ui.end_row();
                        }
                    });
                if self.list.is_empty() {
                    ui.label(RichText::new(t("claims.none")).color(theme::MUTED));
                }
            });
        if let Some(id) = pick {
            self.select(id);
        }
    }

    /// Draws the open claim's file: header, workflow, money, liability split, insurer,
    /// evidence, investigation notes and the timeline.
    fn detail_ui(&mut self, ui: &mut Ui, cx: &ViewCtx<'_>) -> Vec<Command> {
        let mut commands = Vec::new();
        let Some((c, events, files)) = &self.detail else {
            ui.label(RichText::new(t("claims.pick")).color(theme::MUTED));
            return commands;
        };
        let (c, events, files) = (c.clone(), events.clone(), files.clone());
        Self::header_ui(ui, &c, &self.drafts, cx.can_print, &mut commands);
        Self::deadline_ui(ui, &c, &mut self.drafts, cx, &mut commands);
        ui.separator();
        Self::workflow_ui(ui, &c, &mut self.drafts, &mut commands);
        ui.separator();
        Self::money_ui(ui, &c, &mut self.drafts, &mut commands);
        ui.separator();
        Self::liability_ui(ui, &c, &mut self.drafts, cx, &mut commands);
        ui.separator();
        Self::insurer_ui(ui, c.id, &mut self.drafts, &mut commands);
        ui.separator();
        self.evidence_ui(ui, c.id, &files, &mut commands);
        ui.separator();
        super::transfers::case_ui(
            ui,
            (crate::domain::transfer::CaseKind::Claim, c.id),
            &self.detail_transfers,
            &mut self.transfer,
            cx,
            &mut commands,
        );
        ui.separator();
        Self::notes_ui(ui, c.id, &mut self.drafts, &mut commands);
        let lines = timeline(&events, &self.detail_transfers, &|id| cx.staff_name(id));
        super::transfers::timeline_ui(ui, "claim_timeline", &lines);
        commands
    }

    /// Draws the claim's heading and status, when, where and what happened, the complaint or
    /// call it came from, and the last error of a save.
    fn header_ui(ui: &mut Ui, c: &Claim, d: &Drafts, can_print: bool, commands: &mut Vec<Command>) {
        ui.horizontal(|ui| {
            ui.heading(tf(
                "claims.heading",
                &[
                    ("id", &c.id.to_string()),
                    ("waybill", &c.waybill),
                    ("who", &c.customer_name),
                ],
            ));
            ui.label(
                RichText::new(t(c.status().label_key()))
                    .color(theme::ACCENT)
                    .strong(),
            );
            commands.extend(widgets::print_button(
                ui,
                "pdf.print_button",
                crate::pdf::documents::Record::Claim(c.id),
                can_print,
            ));
        });
        ui.label(format!(
            "{} {} · {} {} {} · {} {} · {} {} / {}",
            t("claims.reported"),
            c.reported_at.format(DISPLAY_FORMAT),
            t("claim.incident_date"),
            c.incident_date
                .map(|x| x.format("%Y-%m-%d").to_string())
                .unwrap_or_default(),
            c.incident_place,
            t("claim.branch"),
            if c.branch.is_empty() {
                "—"
            } else {
                c.branch.as_str()
            },
            t("claim.type"),
            c.claim_type.map_or("", |x| t(x.label_key())),
            c.cause,
        ));
        ui.label(&c.description);
        if let Some(cid) = c.complaint_id {
            ui.horizontal(|ui| {
                ui.label(tf("claims.from_complaint", &[("id", &cid.to_string())]));
                if ui.small_button(t("inbox.open")).clicked() {
                    commands.push(Command::OpenComplaint(cid));
                }
            });
        }
        if let Some(call) = c.call_id {
            ui.label(tf("claims.from_call", &[("id", &call.to_string())]));
        }
        if let Some(e) = &d.error {
            ui.label(RichText::new(e).color(theme::OVERDUE));
        }
    }

    /// Draws the settlement deadline (amber, then red when missed) with its change and the
    /// claim's marks: a major accident (to the supervisors' inbox) and settled directly with
    /// the customer.
    fn deadline_ui(
        ui: &mut Ui,
        c: &Claim,
        d: &mut Drafts,
        cx: &ViewCtx<'_>,
        commands: &mut Vec<Command>,
    ) {
        ui.horizontal_wrapped(|ui| {
            ui.label(tf(
                "claims.settle_by",
                &[(
                    "date",
                    &c.settle_by(&cx.settings.settle)
                        .format("%Y-%m-%d")
                        .to_string(),
                )],
            ));
            settle_clock_ui(ui, c, cx);
            if !c.is_settled() {
                ui.separator();
                widgets::labelled_text(ui, t("claims.new_deadline"), &mut d.settle_by, 90.0);
                widgets::labelled_text(
                    ui,
                    t("claim.deadline_reason"),
                    &mut d.deadline_reason,
                    160.0,
                );
                if ui.button(t("claims.change_deadline")).clicked() {
                    match NaiveDate::parse_from_str(d.settle_by.trim(), "%Y-%m-%d") {
                        Ok(settle_by) => {
                            d.error = None;
                            commands.push(Command::Service(ServiceCommand::ClaimDeadline {
                                id: c.id,
                                settle_by,
                                reason: d.deadline_reason.clone(),
                            }));
                        }
                        Err(_) => {
                            d.error = Some(format!(
                                "{}: {}",
                                t("claims.new_deadline"),
                                t("err.date_format")
                            ));
                        }
                    }
                }
            }
        });
        ui.horizontal(|ui| {
            let (mut major, mut direct) = (c.major, c.settled_directly);
            let major_box = ui
                .checkbox(&mut major, t("claim.major"))
                .on_hover_text(t("claim.major_hint"));
            let direct_box = ui.checkbox(&mut direct, t("claim.settled_directly"));
            if major_box.changed() || direct_box.changed() {
                commands.push(Command::Service(ServiceCommand::ClaimFlags {
                    id: c.id,
                    major,
                    settled_directly: direct,
                }));
            }
        });
    }

    /// Draws the workflow: the statuses reached, the move to the next one and rejecting with
    /// a reason (or why it was rejected); a move queues `ClaimMove` in `commands`.
    fn workflow_ui(ui: &mut Ui, c: &Claim, d: &mut Drafts, commands: &mut Vec<Command>) {
        let id = c.id;
        ui.horizontal_wrapped(|ui| {
            ui.label(RichText::new(t("claim.workflow")).strong());
            for s in ClaimStatus::ALL
                .iter()
                .filter(|s| **s != ClaimStatus::Rejected)
            {
                let reached =
                    step_index(c.status()) >= step_index(*s) && c.status() != ClaimStatus::Rejected;
                let text = RichText::new(t(s.label_key()));
                ui.label(if reached {
                    text.color(theme::OK).strong()
                } else {
                    text.color(theme::MUTED)
                });
                if *s != ClaimStatus::Closed {
                    ui.label("→");
                }
            }
        });
        if let Some(next) = c.status().next() {
            ui.horizontal_wrapped(|ui| {
                if ui
                    .button(
                        RichText::new(tf("claim.move_to", &[("status", t(next.label_key()))]))
                            .strong(),
                    )
                    .clicked()
                {
                    commands.push(Command::Service(ServiceCommand::ClaimMove {
                        id,
                        to: next,
                        reason: String::new(),
                    }));
                }
                if c.status().is_open() && c.status() != ClaimStatus::Paid {
                    widgets::labelled_text(
                        ui,
                        t("claim.reject_reason"),
                        &mut d.reject_reason,
                        200.0,
                    );
                    if ui.button(t("claim.reject")).clicked() {
                        commands.push(Command::Service(ServiceCommand::ClaimMove {
                            id,
                            to: ClaimStatus::Rejected,
                            reason: d.reject_reason.clone(),
                        }));
                    }
                }
            });
        } else if c.status() == ClaimStatus::Rejected {
            ui.label(
                RichText::new(tf(
                    "claim.rejected_because",
                    &[("reason", &c.reject_reason)],
                ))
                .color(theme::OVERDUE),
            );
        }
    }

    /// Draws the money row: the amount claimed, the agreed amount (while investigating or
    /// liability is set) and the amount paid (once agreed); a save queues `ClaimMoney`.
    fn money_ui(ui: &mut Ui, c: &Claim, d: &mut Drafts, commands: &mut Vec<Command>) {
        let id = c.id;
        ui.label(RichText::new(t("claim.money")).strong());
        ui.horizontal_wrapped(|ui| {
            ui.label(tf(
                "claim.claimed_is",
                &[("amount", &format_fen(c.claimed_fen))],
            ));
            ui.separator();
            let agree_open = matches!(
                c.status(),
                ClaimStatus::Investigating | ClaimStatus::LiabilitySet
            );
            ui.add_enabled_ui(agree_open, |ui| {
                widgets::labelled_text(ui, t("claim.agreed"), &mut d.agreed, 110.0);
                if ui.button(t("claim.save_agreed")).clicked() {
                    match parse_fen(&d.agreed, "claim.agreed") {
                        Ok(a) => commands.push(Command::Service(ServiceCommand::ClaimMoney {
                            id,
                            agreed: Some(a),
                            paid: None,
                        })),
                        Err(e) => d.error = Some(e.user_message()),
                    }
                }
            });
            ui.separator();
            ui.add_enabled_ui(c.status() == ClaimStatus::Agreed, |ui| {
                widgets::labelled_text(ui, t("claim.paid"), &mut d.paid, 110.0);
                if ui.button(t("claim.save_paid")).clicked() {
                    match parse_fen(&d.paid, "claim.paid") {
                        Ok(p) => commands.push(Command::Service(ServiceCommand::ClaimMoney {
                            id,
                            agreed: None,
                            paid: Some(p),
                        })),
                        Err(e) => d.error = Some(e.user_message()),
                    }
                }
            });
        });
    }

    /// Draws the liability split: the party editor while the claim is reported or being
    /// investigated, then the parties' shares and amounts.
    fn liability_ui(
        ui: &mut Ui,
        c: &Claim,
        d: &mut Drafts,
        cx: &ViewCtx<'_>,
        commands: &mut Vec<Command>,
    ) {
        ui.label(RichText::new(t("claim.liability")).strong());
        let editable = matches!(
            c.status(),
            ClaimStatus::Reported | ClaimStatus::Investigating
        );
        if editable {
            Self::party_grid_ui(ui, d);
            Self::party_buttons_ui(ui, c.id, d, cx, commands);
        }
        Self::party_amounts_ui(ui, c, editable, cx, commands);
    }

    /// Draws the editable grid of parties (name, role, share, remove) and the total of their
    /// shares, green when it is 100 %.
    fn party_grid_ui(ui: &mut Ui, d: &mut Drafts) {
        let mut remove = None;
        egui::Grid::new("party_editor")
            .num_columns(5)
            .spacing([8.0, 4.0])
            .show(ui, |ui| {
                // Header labels name the cells below them for screen readers and tests.
                let name_l = ui.label(RichText::new(t("claim.party_name")).strong()).id;
                let role_l = ui.label(RichText::new(t("claim.party_role")).strong()).id;
                let share_l = ui.label(RichText::new(t("claim.party_share")).strong()).id;
                ui.label("");
                ui.label("");
                ui.end_row();
                for (i, p) in d.parties.iter_mut().enumerate() {
                    ui.push_id(i, |ui| {
                        ui.add(
                            egui::TextEdit::singleline(&mut p.name)
                                .desired_width(140.0)
                                .hint_text(t("claim.party_name")),
                        )
                        .labelled_by(name_l);
                    });
                    egui::ComboBox::from_id_salt(("party_role", i))
                        .selected_text(
                            p.role
                                .map_or(t("complaint.pick_category"), |r| t(r.label_key())),
                        )
                        .show_ui(ui, |ui| {
                            for r in PartyRole::ALL {
                                ui.selectable_value(&mut p.role, Some(*r), t(r.label_key()));
                            }
                        })
                        .response
                        .labelled_by(role_l);
                    ui.push_id(("share", i), |ui| {
                        ui.add(
                            egui::TextEdit::singleline(&mut p.share)
                                .desired_width(60.0)
                                .hint_text("%"),
                        )
                        .labelled_by(share_l);
                    });
                    ui.label("%");
                    if ui.small_button(t("claim.remove_party")).clicked() {
                        remove = Some(i);
                    }
                    ui.end_row();
                }
            });
        if let Some(i) = remove {
            d.parties.remove(i);
        }
        let total: i64 = d
            .parties
            .iter()
            .filter_map(|p| parse_percent(&p.share, "claim.party_share").ok())
            .sum();
        let colour = if total == WHOLE_BP {
            theme::OK
        } else {
            theme::OVERDUE
        };
        ui.label(
            RichText::new(tf("claim.shares_total", &[("pct", &format_percent(total))]))
                .color(colour),
        );
    }

    /// Draws the party buttons: add a party, add a staff member (by role; a driver or warehouse
    /// keeper gets that party role, see `PartyRole::of_staff`) and save the parties of claim
    /// `id`, which queues `ClaimParties`.
    fn party_buttons_ui(
        ui: &mut Ui,
        id: i64,
        d: &mut Drafts,
        cx: &ViewCtx<'_>,
        commands: &mut Vec<Command>,
    ) {
        ui.horizontal(|ui| {
            if ui.button(t("claim.add_party")).clicked() {
                d.parties.push(PartyDraft::default());
            }
            // Quick add of a staff member (e.g. the driver).
            egui::ComboBox::new("party_staff", t("claim.staff_pick_label"))
                .selected_text(t("claim.add_staff_party"))
                .show_ui(ui, |ui| {
                    let staff = cx.active_staff_by_role();
                    if let Some(s) = widgets::staff_choices_ui(ui, &staff, None) {
                        d.parties.push(PartyDraft {
                            name: s.name.clone(),
                            role: PartyRole::of_staff(s.role),
                            share: String::new(),
                            staff_id: Some(s.id),
                        });
                    }
                });
            if ui
                .button(RichText::new(t("claim.save_parties")).strong())
                .clicked()
            {
                let mut parties = Vec::new();
                let mut problem = None;
                for p in &d.parties {
                    match parse_percent(&p.share, "claim.party_share") {
                        Ok(bp) => parties.push(Party {
                            id: 0,
                            staff_id: p.staff_id,
                            name: p.name.clone(),
                            role: p.role,
                            share_bp: bp,
                            notified_on: None,
                        }),
                        Err(e) => problem = Some(e.user_message()),
                    }
                }
                match problem {
                    Some(e) => d.error = Some(e),
                    None => commands.push(Command::Service(ServiceCommand::ClaimParties {
                        id,
                        parties,
                    })),
                }
            }
        });
    }

    /// Draws the saved parties with their share, amount (of the agreed amount, else the
    /// claimed one) and the day they were notified; once the split is no longer `editable`
    /// a party not yet notified gets a button that queues `ClaimNotify` for today.
    fn party_amounts_ui(
        ui: &mut Ui,
        c: &Claim,
        editable: bool,
        cx: &ViewCtx<'_>,
        commands: &mut Vec<Command>,
    ) {
        let basis = c.agreed_fen.unwrap_or(c.claimed_fen);
        let amounts = c.party_amounts(basis);
        egui::Grid::new("party_amounts")
            .striped(true)
            .num_columns(5)
            .spacing([10.0, 4.0])
            .show(ui, |ui| {
                for key in [
                    "claim.col_party",
                    "claim.col_role",
                    "claim.col_share",
                    "claim.party_amount",
                    "claim.notified",
                ] {
                    ui.label(RichText::new(t(key)).strong());
                }
                ui.end_row();
                for (i, p) in c.parties.iter().enumerate() {
                    ui.label(&p.name);
                    ui.label(p.role.map_or("", |r| t(r.label_key())));
                    ui.label(format_percent(p.share_bp));
                    ui.label(format_fen(amounts.get(i).copied().unwrap_or(0)));
                    match p.notified_on {
                        Some(on) => {
                            ui.label(on.format("%Y-%m-%d").to_string());
                        }
                        None if !editable => {
                            if ui.small_button(t("claim.notify_today")).clicked() {
                                commands.push(Command::Service(ServiceCommand::ClaimNotify {
                                    party_id: p.id,
                                    on: cx.now.date(),
                                }));
                            }
                        }
                        None => {
                            ui.label("—");
                        }
                    }
                    ui.end_row();
                }
            });
        if !c.parties.is_empty() {
            ui.label(
                RichText::new(tf("claim.amount_basis", &[("amount", &format_fen(basis))]))
                    .small()
                    .color(theme::MUTED),
            );
        }
    }

    /// Draws the insurer section: insurer, policy and case numbers, the insurer's status and
    /// the amount recovered; a save queues `ClaimInsurer` for claim `id`.
    fn insurer_ui(ui: &mut Ui, id: i64, d: &mut Drafts, commands: &mut Vec<Command>) {
        ui.label(RichText::new(t("claim.insurer_section")).strong());
        ui.horizontal_wrapped(|ui| {
            widgets::labelled_text(ui, t("claim.insurer"), &mut d.insurer, 140.0);
            widgets::labelled_text(ui, t("claim.policy_no"), &mut d.policy_no, 120.0);
            widgets::labelled_text(ui, t("claim.case_no"), &mut d.case_no, 120.0);
        });
        ui.horizontal_wrapped(|ui| {
            ui.label(t("claim.insurer_status"));
            for s in InsurerStatus::ALL {
                ui.radio_value(&mut d.insurer_status, Some(*s), t(s.label_key()));
            }
            widgets::labelled_text(ui, t("claim.recovered"), &mut d.recovered, 110.0);
            if ui.button(t("claim.save_insurer")).clicked() {
                match parse_fen_opt(&d.recovered, "claim.recovered") {
                    Ok(recovered) => {
                        commands.push(Command::Service(ServiceCommand::ClaimInsurer {
                            id,
                            insurer: Insurer {
                                name: d.insurer.clone(),
                                policy_no: d.policy_no.clone(),
                                case_no: d.case_no.clone(),
                                status: d.insurer_status,
                                recovered_fen: recovered.unwrap_or(0),
                            },
                        }))
                    }
                    Err(e) => d.error = Some(e.user_message()),
                }
            }
        });
    }

    /// Draws the evidence section: the add button (which asks for a file for claim `id`) and
    /// each file as a thumbnail, a spinner while it is decoded, or its kind; a click on a
    /// thumbnail asks for the full image.
    fn evidence_ui(
        &mut self,
        ui: &mut Ui,
        id: i64,
        files: &[FileMeta],
        commands: &mut Vec<Command>,
    ) {
        ui.horizontal(|ui| {
            ui.label(RichText::new(t("claim.evidence_section")).strong());
            if ui.button(t("claim.add_evidence")).clicked() {
                commands.push(Command::PickFile(FileFor::ClaimEvidence(id)));
            }
        });
        ui.label(
            RichText::new(t("claim.evidence_hint"))
                .small()
                .color(theme::MUTED),
        );
        ui.horizontal_wrapped(|ui| {
            for f in files {
                ui.vertical(|ui| {
                    match (f.kind, self.thumbs.get(&f.id).map(Option::as_ref)) {
                        (EvidenceKind::Image, Some(Some(tex))) => {
                            let r = ui.add(
                                egui::Image::new(tex)
                                    .max_size(egui::vec2(160.0, 160.0))
                                    .sense(egui::Sense::click()),
                            );
                            if r.on_hover_text(t("claim.evidence_click")).clicked() {
                                self.want_full = Some(f.id);
                            }
                        }
                        // Being decoded on a worker.
                        (EvidenceKind::Image, None) => {
                            ui.spinner();
                        }
                        (EvidenceKind::Image, Some(None)) => {
                            ui.label(
                                RichText::new(t("claim.evidence_unreadable")).color(theme::MUTED),
                            );
                        }
                        (EvidenceKind::Pdf, _) => {
                            ui.label(RichText::new("PDF").size(28.0).color(theme::MUTED));
                        }
                    }
                    ui.label(RichText::new(format!("{} ({} KB)", f.name, f.size / 1024)).small());
                });
            }
        });
        if self.want_full.is_some() {
            ui.ctx().request_repaint();
        }
    }

    /// Draws the investigation notes: a box to add one to claim `id`, which queues
    /// `ClaimNote` (the notes are in the timeline below).
    fn notes_ui(ui: &mut Ui, id: i64, d: &mut Drafts, commands: &mut Vec<Command>) {
        ui.label(RichText::new(t("claim.notes_section")).strong());
        ui.horizontal(|ui| {
            widgets::labelled_text(ui, t("claim.note"), &mut d.note, 380.0);
            if ui.button(t("claim.add_note")).clicked() {
                commands.push(Command::Service(ServiceCommand::ClaimNote {
                    id,
                    text: d.note.clone(),
                }));
            }
        });
    }
}

/// A claim's timeline (the screen and the printed file): its steps, with the steps of its
/// transfers put in by time. `staff` names a staff member by id.
pub(crate) fn timeline(
    events: &[Event],
    transfers: &[crate::domain::transfer::Transfer],
    staff: &dyn Fn(Option<i64>) -> String,
) -> Vec<super::transfers::TimelineLine> {
    let lines = events
        .iter()
        .map(|e| super::transfers::TimelineLine {
            at: e.at,
            who: staff(e.staff_id),
            what: event_label(e),
            detail: e.detail.clone(),
            transfer: false,
        })
        .collect();
    super::transfers::with_transfers(lines, transfers, staff)
}

fn step_index(s: ClaimStatus) -> usize {
    ClaimStatus::ALL.iter().position(|x| *x == s).unwrap_or(0)
}

/// A claim draft from a complaint: customer, phone, waybill and description carried over.
pub fn draft_from_complaint(
    c: &crate::domain::complaint::Complaint,
    now: NaiveDateTime,
) -> ClaimDraft {
    let claim_type = match c.category.as_str() {
        "货物破损" => Some(ClaimType::Damage),
        "货物丢失" => Some(ClaimType::Loss),
        "延误" => Some(ClaimType::Delay),
        _ => None,
    };
    ClaimDraft {
        waybill: c.waybill.clone(),
        customer_id: c.customer_id,
        customer_name: c.customer_name.clone(),
        phone: c.phone.clone(),
        incident_date: now.date().format("%Y-%m-%d").to_string(),
        claim_type,
        description: c.content.clone(),
        complaint_id: Some(c.id),
        ..ClaimDraft::default()
    }
}

/// What a step of a claim's timeline was, in the UI language (the screen and the printed file).
pub(crate) fn event_label(e: &crate::store::claims::Event) -> String {
    match e.kind.as_str() {
        "status" => tf(
            "complaint.event_status",
            &[("status", e.status.map_or("", |s| t(s.label_key())))],
        ),
        "note" => t("claim.event_note").to_owned(),
        "parties" => t("claim.event_parties").to_owned(),
        "money" => t("claim.event_money").to_owned(),
        "insurer" => t("claim.event_insurer").to_owned(),
        "evidence" => t("claim.event_evidence").to_owned(),
        _ => t("claim.event_notified").to_owned(),
    }
}

/// A claim's settlement deadline as the lists show it: days left, amber close to it, red when
/// missed; nothing once it is paid, closed or rejected.
fn settle_clock_ui(ui: &mut Ui, c: &Claim, cx: &ViewCtx<'_>) {
    use crate::domain::claim::SettleClock;
    match c.settle_clock(cx.now.date(), &cx.settings.settle) {
        SettleClock::Done => {
            ui.label("");
        }
        SettleClock::Running { days_left } => {
            ui.label(tf("claims.days_left", &[("n", &days_left.to_string())]));
        }
        SettleClock::Warning { days_left } => {
            ui.label(
                RichText::new(tf("claims.days_left", &[("n", &days_left.to_string())]))
                    .color(theme::WARN)
                    .strong(),
            );
        }
        SettleClock::Overdue { days_over } => {
            ui.label(
                RichText::new(tf("claims.days_over", &[("n", &days_over.to_string())]))
                    .color(theme::OVERDUE)
                    .strong(),
            );
        }
    }
}
