//! Printable documents: A4 PDF files with Chinese text (the bundled font embedded and subset by
//! `krilla`, so the text is selectable and searchable), drawn from the same records and report
//! tables as the screens and exports.
//!
//! [`Layout`] lays content out top to bottom — headings, paragraphs, label/value blocks, tables
//! that break across pages with their header repeated, images, bar charts as vector drawings,
//! signature lines — into pages of drawing operations; [`Layout::finish`] then draws every page
//! with the company and title in its header and "第 n 页 / 共 N 页" in its footer. Text is
//! measured with the font's own advances (`skrifa`) and wrapped at any CJK character or at a
//! space.

pub mod documents;

use std::collections::HashMap;
use std::sync::Arc;

use krilla::Document;
use krilla::color::rgb;
use krilla::geom::{PathBuilder, Point, Rect, Size};
use krilla::image::Image;
use krilla::metadata::Metadata;
use krilla::num::NormalizedF32;
use krilla::page::PageSettings;
use krilla::paint::{Fill, Stroke};
use krilla::surface::Surface;
use krilla::text::{Font, TextDirection};
use skrifa::MetadataProvider as _;
use skrifa::instance::{LocationRef, Size as FontSize};

/// A4 in points.
pub const PAGE_WIDTH: f32 = 595.28;
/// A4 in points.
pub const PAGE_HEIGHT: f32 = 841.89;
/// Left and right margins.
const MARGIN_X: f32 = 48.0;
/// Where the body starts (below the header) and ends (above the footer).
const BODY_TOP: f32 = 86.0;
const BODY_BOTTOM: f32 = PAGE_HEIGHT - 56.0;
/// The body's width on a portrait page.
pub const BODY_WIDTH: f32 = PAGE_WIDTH - 2.0 * MARGIN_X;

/// Sizes of text.
pub const TEXT: f32 = 10.0;
const SMALL: f32 = 8.0;
const HEADING: f32 = 13.0;
const TITLE: f32 = 16.0;
/// Line height as a multiple of the size.
const LEADING: f32 = 1.45;
/// Padding inside a table cell.
const CELL_PAD: f32 = 3.5;

/// Colours (RGB).
const INK: (u8, u8, u8) = (20, 20, 20);
const MUTED: (u8, u8, u8) = (105, 105, 105);
const RULE: (u8, u8, u8) = (150, 150, 150);
const SHADE: (u8, u8, u8) = (234, 238, 244);
const BAR: (u8, u8, u8) = (52, 101, 164);
/// Red, for a figure that misses its target.
pub const MISSED: (u8, u8, u8) = (190, 30, 30);

/// The header every page carries.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Header {
    /// The company (from the settings).
    pub company: String,
    /// What the document is (《顾客投诉记录》, 接待日报 …).
    pub title: String,
    /// The period or the record's number, at the right.
    pub subtitle: String,
}

impl Header {
    /// The header of a report: the company from the settings, the report's name
    /// (`title_key`), the period.
    pub fn report(
        settings: &crate::store::settings::Settings,
        title_key: &str,
        period: &str,
    ) -> Self {
        Self {
            company: settings.company_name.clone(),
            title: crate::i18n::t(title_key).to_owned(),
            subtitle: period.to_owned(),
        }
    }
}

/// One drawing operation, in page coordinates (points, y down).
#[derive(Clone, Debug)]
enum Op {
    Text {
        x: f32,
        baseline: f32,
        size: f32,
        text: String,
        color: (u8, u8, u8),
    },
    Line {
        from: (f32, f32),
        to: (f32, f32),
        width: f32,
        color: (u8, u8, u8),
    },
    Rect {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        color: (u8, u8, u8),
    },
    Image {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        rgba: Arc<(Vec<u8>, u32, u32)>,
    },
}

/// Measures text with the bundled font.
struct Measure {
    font: skrifa::FontRef<'static>,
    /// Advance of each character seen, in ems.
    advances: HashMap<char, f32>,
    units_per_em: f32,
}

impl Measure {
    fn new(data: &'static [u8]) -> Option<Self> {
        let font = skrifa::FontRef::new(data).ok()?;
        let units_per_em = f32::from(
            font.metrics(FontSize::unscaled(), LocationRef::default())
                .units_per_em,
        );
        Some(Self {
            font,
            advances: HashMap::new(),
            units_per_em,
        })
    }

    /// The width of `text` at `size` points.
    fn width(&mut self, text: &str, size: f32) -> f32 {
        text.chars().map(|c| self.advance(c)).sum::<f32>() * size
    }

    fn advance(&mut self, c: char) -> f32 {
        if let Some(a) = self.advances.get(&c) {
            return *a;
        }
        let metrics = self
            .font
            .glyph_metrics(FontSize::unscaled(), LocationRef::default());
        let glyph = self.font.charmap().map(c).unwrap_or_default();
        let a = metrics.advance_width(glyph).unwrap_or(self.units_per_em) / self.units_per_em;
        self.advances.insert(c, a);
        a
    }

    /// `text` broken into lines no wider than `width` at `size`: at a line break in the text,
    /// after a space, or before any character that would not fit (CJK text has no spaces).
    fn wrap(&mut self, text: &str, size: f32, width: f32) -> Vec<String> {
        let mut lines = Vec::new();
        for paragraph in text.split('\n') {
            let mut line = String::new();
            let mut line_width = 0.0;
            // Where the line may break at the last space: its byte index and width there.
            let mut last_space: Option<(usize, f32)> = None;
            for c in paragraph.chars() {
                let w = self.advance(c) * size;
                if line_width + w > width && !line.is_empty() {
                    match last_space.take() {
                        Some((at, before)) if c != ' ' => {
                            let rest = line.split_off(at + 1);
                            lines.push(line.trim_end().to_owned());
                            line = rest;
                            line_width -= before + self.advance(' ') * size;
                        }
                        _ => {
                            lines.push(line.trim_end().to_owned());
                            line = String::new();
                            line_width = 0.0;
                        }
                    }
                    if c == ' ' {
                        continue;
                    }
                }
                if c == ' ' {
                    last_space = Some((line.len(), line_width));
                }
                line.push(c);
                line_width += w;
            }
            lines.push(line.trim_end().to_owned());
        }
        lines
    }
}

/// The pieces of `text` a line never breaks inside: runs of characters other than spaces and
/// CJK characters (each CJK character is a piece of its own).
fn pieces(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = text;
    std::iter::from_fn(move || {
        rest = rest.trim_start_matches(' ');
        let first = rest.chars().next()?;
        let end = if is_cjk(first) {
            first.len_utf8()
        } else {
            rest.find(|c: char| c == ' ' || is_cjk(c))
                .unwrap_or(rest.len())
        };
        let (piece, tail) = rest.split_at(end);
        rest = tail;
        Some(piece)
    })
}

/// Characters a CJK line may break before or after.
fn is_cjk(c: char) -> bool {
    matches!(c, '\u{2E80}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}' | '\u{FF00}'..='\u{FFEF}')
}

/// A column of a table: its share of the body's width and whether its cells are numbers
/// (right-aligned).
#[derive(Clone, Copy, Debug)]
pub struct Column {
    /// Relative width.
    pub weight: f32,
    /// Right-aligned.
    pub numeric: bool,
}

/// A table cell: its text and, for a figure that misses its target, red.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PdfCell {
    /// What is printed.
    pub text: String,
    /// Printed in red.
    pub missed: bool,
}

impl From<String> for PdfCell {
    fn from(text: String) -> Self {
        Self {
            text,
            missed: false,
        }
    }
}

impl From<&str> for PdfCell {
    fn from(text: &str) -> Self {
        text.to_owned().into()
    }
}

/// A document being laid out.
pub struct Layout {
    header: Header,
    measure: Measure,
    pages: Vec<Vec<Op>>,
    /// Where the next content goes on the last page.
    y: f32,
    /// The page's size, the body's width and where it ends.
    page_w: f32,
    page_h: f32,
    body: f32,
    bottom: f32,
    /// The left margin, where the body starts, and the baselines of the header and the footer.
    margin: f32,
    body_top: f32,
    header_y: f32,
    footer_y: f32,
}

/// What can go wrong making a PDF.
#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    /// The bundled font could not be read.
    #[error("the bundled font cannot be read")]
    Font,
    /// krilla refused the document.
    #[error("the PDF could not be written: {0}")]
    Write(String),
}

impl Layout {
    /// A new document on A4 portrait pages with `header` on every page.
    pub fn new(header: Header) -> Result<Self, PdfError> {
        let measure = Measure::new(crate::ui::theme::CJK_FONT).ok_or(PdfError::Font)?;
        Ok(Self {
            header,
            measure,
            pages: vec![Vec::new()],
            y: BODY_TOP,
            page_w: PAGE_WIDTH,
            page_h: PAGE_HEIGHT,
            body: BODY_WIDTH,
            bottom: BODY_BOTTOM,
            margin: MARGIN_X,
            body_top: BODY_TOP,
            header_y: 40.0,
            footer_y: PAGE_HEIGHT - 30.0,
        })
    }

    /// A new document on A6 portrait pages (a visitor's pass), narrow margins.
    pub fn small(header: Header) -> Result<Self, PdfError> {
        let mut doc = Self::new(header)?;
        let (w, h) = (297.64, 419.53);
        doc.page_w = w;
        doc.page_h = h;
        doc.margin = 24.0;
        doc.body = w - 48.0;
        doc.header_y = 26.0;
        doc.body_top = 46.0;
        doc.y = doc.body_top;
        doc.bottom = h - 34.0;
        doc.footer_y = h - 16.0;
        Ok(doc)
    }

    /// Turns the pages to landscape (A4 on its side), for tables of many columns; only before
    /// anything is laid out.
    pub fn landscape(&mut self) {
        if self.pages.iter().all(Vec::is_empty) {
            self.page_w = PAGE_HEIGHT;
            self.page_h = PAGE_WIDTH;
            self.body = self.page_w - 2.0 * self.margin;
            self.bottom = self.page_h - (PAGE_HEIGHT - BODY_BOTTOM);
            self.footer_y = self.page_h - 30.0;
        }
    }

    /// The width of the page's body.
    pub fn body_width(&self) -> f32 {
        self.body
    }

    /// Adds `op` to the last page.
    fn push(&mut self, op: Op) {
        match self.pages.last_mut() {
            Some(page) => page.push(op),
            None => self.pages.push(vec![op]),
        }
    }

    /// Starts a new page.
    pub fn page_break(&mut self) {
        self.pages.push(Vec::new());
        self.y = self.body_top;
    }

    /// Makes room for `height` points: a new page when they do not fit on this one (unless the
    /// page is still empty).
    fn room(&mut self, height: f32) {
        if self.y + height > self.bottom && self.y > self.body_top {
            self.page_break();
        }
    }

    /// Space below the last content.
    pub fn gap(&mut self, points: f32) {
        self.y += points;
    }

    fn text_op(&mut self, x: f32, baseline: f32, size: f32, text: &str, color: (u8, u8, u8)) {
        if text.is_empty() {
            return;
        }
        self.push(Op::Text {
            x,
            baseline,
            size,
            text: text.to_owned(),
            color,
        });
    }

    /// Lines of `text` at `size`, wrapped to `width`, starting at `x` (a new page when they do
    /// not fit).
    fn lines(&mut self, x: f32, width: f32, size: f32, text: &str, color: (u8, u8, u8)) {
        let line_height = size * LEADING;
        for line in self.measure.wrap(text, size, width) {
            self.room(line_height);
            let baseline = self.y + size;
            self.text_op(x, baseline, size, &line, color);
            self.y += line_height;
        }
    }

    /// The document's title line, centred, bigger.
    pub fn title(&mut self, text: &str) {
        let width = self.measure.width(text, TITLE);
        self.room(TITLE * 2.0);
        let baseline = self.y + TITLE;
        self.text_op((self.page_w - width) / 2.0, baseline, TITLE, text, INK);
        self.y += TITLE * 2.0;
    }

    /// A section heading with a rule under it.
    pub fn heading(&mut self, text: &str) {
        // A heading is never the last line of a page.
        self.room(HEADING * LEADING + TEXT * LEADING * 3.0);
        self.gap(4.0);
        self.lines(self.margin, self.body, HEADING, text, INK);
        let y = self.y;
        self.push(Op::Line {
            from: (self.margin, y),
            to: (self.margin + self.body, y),
            width: 0.6,
            color: RULE,
        });
        self.gap(5.0);
    }

    /// A paragraph of body text.
    pub fn paragraph(&mut self, text: &str) {
        self.lines(self.margin, self.body, TEXT, text, INK);
        self.gap(3.0);
    }

    /// Small grey text (notes, sources).
    pub fn note(&mut self, text: &str) {
        self.lines(self.margin, self.body, SMALL, text, MUTED);
        self.gap(2.0);
    }

    /// Label/value pairs one under the other, bigger (a visitor's pass).
    pub fn fields_in_one_column(&mut self, pairs: &[(&str, String)]) {
        let label_width = 64.0;
        for (label, value) in pairs {
            let start = self.y;
            self.room(HEADING * LEADING);
            self.text_op(self.margin, start + HEADING, TEXT, label, MUTED);
            let value = if value.is_empty() { "—" } else { value };
            let width = self.body - label_width;
            self.lines(self.margin + label_width, width, HEADING, value, INK);
            self.gap(2.0);
        }
        self.gap(4.0);
    }

    /// Label/value pairs in two columns of pairs (a record's details).
    pub fn fields(&mut self, pairs: &[(&str, String)]) {
        let label_width = 78.0;
        let half = self.body / 2.0;
        for row in pairs.chunks(2) {
            let start = self.y;
            let mut bottom = start;
            for (i, (label, value)) in row.iter().enumerate() {
                let x = self.margin + half * i as f32;
                self.y = start;
                let wide = row.len() == 1 && value.chars().count() > 20;
                let width = if wide { self.body } else { half } - label_width - 6.0;
                self.text_op(x, start + TEXT, TEXT, label, MUTED);
                let value = if value.is_empty() { "—" } else { value };
                self.lines(x + label_width, width, TEXT, value, INK);
                bottom = bottom.max(self.y);
            }
            self.y = bottom + 1.0;
        }
        self.gap(4.0);
    }

    /// A table: `header` shaded, rows wrapped in their cells, lines between rows; on a new page
    /// the header is drawn again.
    pub fn table(&mut self, columns: &[Column], header: &[&str], rows: &[Vec<PdfCell>]) {
        let total: f32 = columns.iter().map(|c| c.weight).sum::<f32>().max(1.0);
        let widths: Vec<f32> = columns
            .iter()
            .map(|c| self.body * c.weight / total)
            .collect();
        let header_cells: Vec<PdfCell> = header.iter().map(|&h| h.into()).collect();
        let header_height = self.row_height(&widths, &header_cells, SMALL);
        self.room(header_height * 2.0);
        self.table_row(columns, &widths, &header_cells, true);
        for row in rows {
            let height = self.row_height(&widths, row, TEXT);
            if self.y + height > self.bottom {
                self.page_break();
                self.table_row(columns, &widths, &header_cells, true);
            }
            self.table_row(columns, &widths, row, false);
        }
        self.gap(8.0);
    }

    /// Columns laid out as a browser lays out an automatic table: each as wide as its widest
    /// cell on one line when they all fit (then widened to fill the page); otherwise each gets
    /// at least its longest unbreakable piece (a number, a date, a Latin word; any CJK
    /// character breaks) and the rest of the page is shared in proportion to what each still
    /// lacks. The header may take two lines.
    pub fn fitted_columns(
        &mut self,
        header: &[&str],
        rows: &[Vec<PdfCell>],
        numeric: &[bool],
    ) -> Vec<Column> {
        // The padding, and a point to spare so that a cell's widest line is never broken by
        // rounding.
        let pad = 2.0 * CELL_PAD + 1.0;
        let mut natural = Vec::with_capacity(header.len());
        let mut least = Vec::with_capacity(header.len());
        for (i, head) in header.iter().enumerate() {
            let cells: Vec<&str> = rows
                .iter()
                .filter_map(|r| r.get(i))
                .map(|c| c.text.as_str())
                .collect();
            let head_width = self.measure.width(head, SMALL) / 2.0;
            let widest = cells
                .iter()
                .map(|c| self.measure.width(c, TEXT))
                .fold(head_width, f32::max);
            let head_piece = pieces(head)
                .map(|p| self.measure.width(p, SMALL))
                .fold(head_width, f32::max);
            let piece = cells
                .iter()
                .flat_map(|c| pieces(c))
                .map(|p| self.measure.width(p, TEXT))
                .fold(head_piece, f32::max)
                .min(self.body * 0.3);
            natural.push(widest + pad);
            // Short words (two characters) stay on one line when the cell has room for them.
            least.push(piece.max(widest.min(2.0 * TEXT)) + pad);
        }
        let sum_natural: f32 = natural.iter().sum();
        let sum_least: f32 = least.iter().sum();
        let widths: Vec<f32> = if sum_natural <= self.body {
            natural
                .iter()
                .map(|n| n + (self.body - sum_natural) * n / sum_natural.max(1.0))
                .collect()
        } else if sum_least >= self.body {
            least.iter().map(|l| l * self.body / sum_least).collect()
        } else {
            let lacking: f32 = natural.iter().zip(&least).map(|(n, l)| n - l).sum();
            natural
                .iter()
                .zip(&least)
                .map(|(n, l)| l + (self.body - sum_least) * (n - l) / lacking.max(1.0))
                .collect()
        };
        widths
            .into_iter()
            .enumerate()
            .map(|(i, weight)| Column {
                weight,
                numeric: numeric.get(i).copied().unwrap_or(false),
            })
            .collect()
    }

    fn row_height(&mut self, widths: &[f32], cells: &[PdfCell], size: f32) -> f32 {
        let lines = cells
            .iter()
            .zip(widths)
            .map(|(c, w)| self.measure.wrap(&c.text, size, w - 2.0 * CELL_PAD).len())
            .max()
            .unwrap_or(1);
        lines as f32 * size * LEADING + 2.0 * CELL_PAD
    }

    fn table_row(&mut self, columns: &[Column], widths: &[f32], cells: &[PdfCell], head: bool) {
        let size = if head { SMALL } else { TEXT };
        let height = self.row_height(widths, cells, size);
        let top = self.y;
        if head {
            self.push(Op::Rect {
                x: self.margin,
                y: top,
                w: self.body,
                h: height,
                color: SHADE,
            });
        }
        let mut x = self.margin;
        for ((cell, width), column) in cells.iter().zip(widths).zip(columns) {
            let inner = width - 2.0 * CELL_PAD;
            let color = if cell.missed { MISSED } else { INK };
            for (i, line) in self
                .measure
                .wrap(&cell.text, size, inner)
                .iter()
                .enumerate()
            {
                let line_x = if column.numeric && !head {
                    x + width - CELL_PAD - self.measure.width(line, size)
                } else {
                    x + CELL_PAD
                };
                let baseline = top + CELL_PAD + size + i as f32 * size * LEADING;
                self.text_op(line_x, baseline, size, line, color);
            }
            x += width;
        }
        let bottom = top + height;
        self.push(Op::Line {
            from: (self.margin, bottom),
            to: (self.margin + self.body, bottom),
            width: if head { 0.8 } else { 0.3 },
            color: RULE,
        });
        self.y = bottom;
    }

    /// Images in a row, each scaled into a box `side` points square (photos: thumbnails).
    pub fn images(&mut self, images: &[image::RgbaImage], side: f32) {
        let per_row = ((self.body + 8.0) / (side + 8.0)).floor().max(1.0) as usize;
        for row in images.chunks(per_row) {
            self.room(side + 8.0);
            let mut x = self.margin;
            for img in row {
                let (w, h) = (img.width().max(1) as f32, img.height().max(1) as f32);
                let scale = (side / w).min(side / h);
                let (dw, dh) = (w * scale, h * scale);
                let y = self.y;
                self.push(Op::Image {
                    x: x + (side - dw) / 2.0,
                    y: y + (side - dh) / 2.0,
                    w: dw,
                    h: dh,
                    rgba: Arc::new((img.as_raw().clone(), img.width(), img.height())),
                });
                x += side + 8.0;
            }
            self.y += side + 8.0;
        }
    }

    /// A horizontal bar chart: one bar per item with its name at the left and its value at the
    /// end of the bar (vector drawing). `shown` formats a value.
    pub fn bar_chart(&mut self, items: &[(String, f64)], shown: impl Fn(f64) -> String) {
        let bar_height = 11.0;
        let step = bar_height + 6.0;
        let label_width = items
            .iter()
            .map(|(l, _)| self.measure.width(l, SMALL))
            .fold(40.0_f32, f32::max)
            .min(self.body * 0.35);
        let max = items.iter().map(|(_, v)| *v).fold(0.0_f64, f64::max);
        let room = self.body - label_width - 60.0;
        for (label, value) in items {
            self.room(step);
            let top = self.y;
            let name = self.measure.wrap(label, SMALL, label_width).remove(0);
            self.text_op(self.margin, top + SMALL + 1.0, SMALL, &name, INK);
            let length = if max > 0.0 {
                (room as f64 * value / max) as f32
            } else {
                0.0
            };
            let x = self.margin + label_width + 6.0;
            if length > 0.0 {
                self.push(Op::Rect {
                    x,
                    y: top,
                    w: length,
                    h: bar_height,
                    color: BAR,
                });
            }
            let text = shown(*value);
            self.text_op(x + length + 4.0, top + SMALL + 1.0, SMALL, &text, INK);
            self.y = top + step;
        }
        self.gap(6.0);
    }

    /// A line chart of percentages (0–100 %) over `x_labels` (dates): one polyline per series
    /// with its colour, a gap where a value is missing, the axis at 0, 50 and 100 %, about eight
    /// labels under the x axis, and the legend under the chart (vector drawing).
    pub fn percent_chart(&mut self, x_labels: &[String], series: &[(String, Vec<Option<f64>>)]) {
        let height = 150.0;
        let axis = 26.0;
        self.room(height + 40.0);
        let top = self.y + 4.0;
        let left = self.margin + axis;
        let width = self.body - axis;
        let bottom = top + height;
        for pct in [0.0_f32, 50.0, 100.0] {
            let y = bottom - height * pct / 100.0;
            self.push(Op::Line {
                from: (left, y),
                to: (left + width, y),
                width: if pct == 0.0 { 0.6 } else { 0.25 },
                color: RULE,
            });
            self.text_op(
                self.margin,
                y + SMALL / 3.0,
                SMALL,
                &format!("{pct:.0}%"),
                MUTED,
            );
        }
        let n = x_labels.len().max(1);
        let x_at = |i: usize| left + width * (i as f32 + 0.5) / n as f32;
        let step = n.div_ceil(8).max(1);
        for (i, label) in x_labels.iter().enumerate().step_by(step) {
            let w = self.measure.width(label, SMALL);
            self.text_op(x_at(i) - w / 2.0, bottom + SMALL * 1.5, SMALL, label, MUTED);
        }
        let colours = [BAR, (60, 150, 90), (200, 120, 30)];
        for ((_, values), color) in series.iter().zip(colours.iter().cycle()) {
            let mut previous: Option<(f32, f32)> = None;
            for (i, v) in values.iter().enumerate() {
                let point = v.map(|v| {
                    (
                        x_at(i),
                        bottom - height * (v.clamp(0.0, 100.0) as f32) / 100.0,
                    )
                });
                if let (Some(from), Some(to)) = (previous, point) {
                    self.push(Op::Line {
                        from,
                        to,
                        width: 1.2,
                        color: *color,
                    });
                }
                if let Some((x, y)) = point
                    && n <= 62
                {
                    self.push(Op::Rect {
                        x: x - 1.3,
                        y: y - 1.3,
                        w: 2.6,
                        h: 2.6,
                        color: *color,
                    });
                }
                previous = point;
            }
        }
        let mut x = left;
        let legend_y = bottom + SMALL * 3.2;
        for ((name, _), color) in series.iter().zip(colours.iter().cycle()) {
            self.push(Op::Rect {
                x,
                y: legend_y - SMALL * 0.7,
                w: 10.0,
                h: 4.0,
                color: *color,
            });
            self.text_op(x + 14.0, legend_y, SMALL, name, INK);
            x += 24.0 + self.measure.width(name, SMALL);
        }
        self.y = legend_y + SMALL * 1.5;
    }

    /// Signature lines side by side: each label above a line and "日期" under it.
    pub fn signatures(&mut self, labels: &[&str]) {
        let height = TEXT * 4.4;
        self.room(height + TEXT * 0.6);
        self.gap(TEXT * 0.6);
        let width = self.body / labels.len().max(1) as f32;
        let top = self.y;
        for (i, label) in labels.iter().enumerate() {
            let x = self.margin + width * i as f32;
            self.text_op(x, top + TEXT, TEXT, &format!("{label}:"), INK);
            let line_y = top + TEXT * 3.2;
            self.push(Op::Line {
                from: (x, line_y),
                to: (x + width - 24.0, line_y),
                width: 0.6,
                color: INK,
            });
            self.text_op(
                x,
                line_y + SMALL * 1.6,
                SMALL,
                crate::i18n::t("pdf.date"),
                MUTED,
            );
        }
        self.y = top + height;
    }

    /// Draws every page, with the header and "第 n 页 / 共 N 页", and returns the PDF's bytes.
    pub fn finish(mut self) -> Result<Vec<u8>, PdfError> {
        let (width, height) = (self.page_w, self.page_h);
        let font = Font::new(crate::ui::theme::CJK_FONT.into(), 0).ok_or(PdfError::Font)?;
        let mut document = Document::new();
        document.set_metadata(
            Metadata::new()
                .title(format!("{} {}", self.header.title, self.header.subtitle))
                .creator("FrontDesk".to_owned())
                .language("zh-CN".to_owned()),
        );
        let pages = std::mem::take(&mut self.pages);
        let count = pages.len();
        let settings = PageSettings::from_wh(width, height).ok_or(PdfError::Font)?;
        for (i, ops) in pages.iter().enumerate() {
            let mut page = document.start_page_with(settings.clone());
            let mut surface = page.surface();
            self.decorate(&mut surface, &font, i + 1, count);
            for op in ops {
                draw(&mut surface, &font, op);
            }
            surface.finish();
            page.finish();
        }
        document
            .finish()
            .map_err(|e| PdfError::Write(format!("{e:?}")))
    }

    /// The header and footer of page `n` of `count`.
    fn decorate(&mut self, surface: &mut Surface<'_>, font: &Font, n: usize, count: usize) {
        let top = self.header_y;
        let mut ops = vec![Op::Text {
            x: self.margin,
            baseline: top,
            size: SMALL,
            text: self.header.company.clone(),
            color: MUTED,
        }];
        let right = format!("{}  {}", self.header.title, self.header.subtitle);
        let right = right.trim().to_owned();
        ops.push(Op::Text {
            x: self.page_w - self.margin - self.measure.width(&right, SMALL),
            baseline: top,
            size: SMALL,
            text: right,
            color: MUTED,
        });
        ops.push(Op::Line {
            from: (self.margin, top + 6.0),
            to: (self.page_w - self.margin, top + 6.0),
            width: 0.5,
            color: RULE,
        });
        let footer = crate::i18n::tf(
            "pdf.page",
            &[("n", &n.to_string()), ("count", &count.to_string())],
        );
        ops.push(Op::Text {
            x: (self.page_w - self.measure.width(&footer, SMALL)) / 2.0,
            baseline: self.footer_y,
            size: SMALL,
            text: footer,
            color: MUTED,
        });
        for op in &ops {
            draw(surface, font, op);
        }
    }
}

fn color((r, g, b): (u8, u8, u8)) -> krilla::paint::Paint {
    rgb::Color::new(r, g, b).into()
}

fn draw(surface: &mut Surface<'_>, font: &Font, op: &Op) {
    match op {
        Op::Text {
            x,
            baseline,
            size,
            text,
            color: c,
        } => {
            surface.set_fill(Some(Fill {
                paint: color(*c),
                opacity: NormalizedF32::ONE,
                rule: Default::default(),
            }));
            surface.set_stroke(None);
            surface.draw_text(
                Point::from_xy(*x, *baseline),
                font.clone(),
                *size,
                text,
                false,
                TextDirection::Auto,
            );
        }
        Op::Line {
            from,
            to,
            width,
            color: c,
        } => {
            let mut path = PathBuilder::new();
            path.move_to(from.0, from.1);
            path.line_to(to.0, to.1);
            if let Some(path) = path.finish() {
                surface.set_fill(None);
                surface.set_stroke(Some(Stroke {
                    paint: color(*c),
                    width: *width,
                    ..Default::default()
                }));
                surface.draw_path(&path);
                surface.set_stroke(None);
            }
        }
        Op::Rect {
            x,
            y,
            w,
            h,
            color: c,
        } => {
            let mut path = PathBuilder::new();
            if let Some(rect) = Rect::from_xywh(*x, *y, *w, *h) {
                path.push_rect(rect);
            }
            if let Some(path) = path.finish() {
                surface.set_stroke(None);
                surface.set_fill(Some(Fill {
                    paint: color(*c),
                    opacity: NormalizedF32::ONE,
                    rule: Default::default(),
                }));
                surface.draw_path(&path);
            }
        }
        Op::Image { x, y, w, h, rgba } => {
            let (data, width, height) = rgba.as_ref();
            let image = Image::from_rgba8(data.clone(), *width, *height);
            if let Some(size) = Size::from_wh(*w, *h) {
                surface.push_transform(&krilla::geom::Transform::from_translate(*x, *y));
                surface.draw_image(image, size);
                surface.pop();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_wraps_at_cjk_characters_and_at_spaces() {
        let mut m = Measure::new(crate::ui::theme::CJK_FONT).expect("font");
        let cjk = m.width("投诉", TEXT);
        assert!((cjk - 2.0 * TEXT).abs() < 0.5, "{cjk}");
        let lines = m.wrap("货物破损需要尽快处理并回复客户", TEXT, 5.0 * TEXT + 1.0);
        assert_eq!(lines, ["货物破损需", "要尽快处理", "并回复客户"]);
        let width = m.width("the parcel was", TEXT) + 1.0;
        let lines = m.wrap("the parcel was damaged", TEXT, width);
        assert_eq!(lines, ["the parcel was", "damaged"]);
        assert_eq!(m.wrap("第一行\n第二行", TEXT, 200.0), ["第一行", "第二行"]);
        assert_eq!(m.wrap("", TEXT, 200.0), [""]);
    }

    /// A long table goes on over several pages, each starting with the table's header, and
    /// every row is drawn once.
    #[test]
    fn a_long_table_repeats_its_header_on_every_page() {
        let mut doc = Layout::new(Header::default()).expect("layout");
        let rows: Vec<Vec<PdfCell>> = (0..200)
            .map(|i| vec![format!("第{i}行").into(), i.to_string().into()])
            .collect();
        let columns = doc.fitted_columns(&["项目", "数量"], &rows, &[false, true]);
        doc.table(&columns, &["项目", "数量"], &rows);
        assert!(doc.pages.len() >= 4, "{} pages", doc.pages.len());
        let texts = |page: &Vec<Op>| -> Vec<String> {
            page.iter()
                .filter_map(|op| match op {
                    Op::Text { text, .. } => Some(text.clone()),
                    _ => None,
                })
                .collect()
        };
        let mut seen = 0;
        for page in &doc.pages {
            let texts = texts(page);
            assert_eq!(texts[0], "项目");
            seen += texts.iter().filter(|t| t.starts_with('第')).count();
            for op in page {
                if let Op::Text { baseline, .. } = op {
                    assert!(*baseline <= BODY_BOTTOM, "{baseline} below the body");
                }
            }
        }
        assert_eq!(seen, 200);
        let pdf = doc.finish().expect("pdf");
        assert!(pdf.starts_with(b"%PDF-"));
    }

    #[test]
    fn pieces_break_at_spaces_and_cjk_characters() {
        let all: Vec<&str> = pieces("运单 SD2026 11-06 破损").collect();
        assert_eq!(all, ["运", "单", "SD2026", "11-06", "破", "损"]);
        assert_eq!(pieces("  ").count(), 0);
    }
}
