//! Fonts, colours and spacing.

use egui::epaint::text::{FontInsert, FontPriority, InsertFontFamily};
use egui::{Color32, FontData, FontFamily};

/// The bundled CJK font: a GBK-and-more subset of Noto Sans SC (SIL OFL 1.1, see assets/fonts).
pub static CJK_FONT: &[u8] = include_bytes!("../../assets/fonts/NotoSansSC-FrontDesk.ttf");

/// Installs the bundled CJK font as a fallback after egui's own fonts, for both families, and
/// the house style. Call once at start-up (and in UI tests).
pub fn install(ctx: &egui::Context) {
    ctx.add_font(FontInsert::new(
        "noto_sans_sc",
        FontData::from_static(CJK_FONT),
        vec![
            InsertFontFamily {
                family: FontFamily::Proportional,
                priority: FontPriority::Lowest,
            },
            InsertFontFamily {
                family: FontFamily::Monospace,
                priority: FontPriority::Lowest,
            },
        ],
    ));
    ctx.set_theme(egui::ThemePreference::Light);
    ctx.all_styles_mut(|style| {
        style.spacing.item_spacing = egui::vec2(8.0, 6.0);
        style.spacing.button_padding = egui::vec2(8.0, 4.0);
        style
            .text_styles
            .insert(egui::TextStyle::Body, egui::FontId::proportional(15.0));
        style
            .text_styles
            .insert(egui::TextStyle::Button, egui::FontId::proportional(15.0));
        style
            .text_styles
            .insert(egui::TextStyle::Heading, egui::FontId::proportional(20.0));
    });
}

/// Text colour of a timer that is fine.
pub const OK: Color32 = Color32::from_rgb(0x2e, 0x7d, 0x32);
/// Amber: close to a deadline.
pub const WARN: Color32 = Color32::from_rgb(0xe0, 0x8a, 0x00);
/// Red: past a deadline.
pub const OVERDUE: Color32 = Color32::from_rgb(0xd3, 0x2f, 0x2f);
/// Muted text (done, secondary).
pub const MUTED: Color32 = Color32::from_rgb(0x75, 0x75, 0x75);
/// Background of a highlighted (overdue) row or banner.
pub const OVERDUE_BG: Color32 = Color32::from_rgb(0xff, 0xeb, 0xee);
/// Background of a warning banner.
pub const WARN_BG: Color32 = Color32::from_rgb(0xff, 0xf3, 0xe0);
/// Accent for the main action.
pub const ACCENT: Color32 = Color32::from_rgb(0x15, 0x65, 0xc0);

/// Colour of a timer in `state`.
pub fn timer_colour(state: crate::domain::visit::TimerState) -> Color32 {
    use crate::domain::visit::TimerState;
    match state {
        TimerState::Running | TimerState::DoneOnTime => OK,
        TimerState::Warning => WARN,
        TimerState::Overdue | TimerState::DoneLate => OVERDUE,
    }
}
