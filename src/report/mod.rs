//! Report tables built from store queries, and their CSV and XLSX writers.

pub mod claims;
pub mod complaints;
pub mod inspections;
pub mod quality;
pub mod reception;

use std::io::Write;

/// A report as a header and rows of cells, ready for CSV or XLSX.
#[derive(Clone, Debug, PartialEq)]
pub struct Table {
    /// Column names.
    pub header: Vec<String>,
    /// Rows; every row has as many cells as the header.
    pub rows: Vec<Vec<Cell>>,
}

impl Table {
    /// A table with these column names and rows.
    pub fn new(header: &[&str], rows: Vec<Vec<Cell>>) -> Self {
        Self {
            header: header.iter().map(|&c| c.to_owned()).collect(),
            rows,
        }
    }
}

/// One cell of a report.
#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    /// Text.
    Text(String),
    /// A whole number.
    Int(i64),
    /// A number shown with one decimal.
    Dec1(f64),
    /// Nothing (e.g. a percentage of zero visits).
    Empty,
}

impl Cell {
    fn to_csv(&self) -> String {
        match self {
            Self::Text(s) => s.clone(),
            Self::Int(n) => n.to_string(),
            Self::Dec1(x) => format!("{x:.1}"),
            Self::Empty => String::new(),
        }
    }
}

/// Writes `table` as CSV; with `bom` a UTF-8 byte-order mark comes first so Excel and WPS read
/// Chinese text correctly.
pub fn write_csv(table: &Table, out: impl Write, bom: bool) -> anyhow::Result<()> {
    let mut out = out;
    if bom {
        out.write_all("\u{feff}".as_bytes())?;
    }
    let mut w = csv::Writer::from_writer(out);
    w.write_record(&table.header)?;
    for row in &table.rows {
        w.write_record(row.iter().map(Cell::to_csv))?;
    }
    w.flush()?;
    Ok(())
}

/// Writes a report file the user chose: an XLSX workbook with one sheet per table, or the first
/// table as CSV with a BOM.
pub fn write_file(
    sheets: &[(&str, &Table)],
    path: &std::path::Path,
    xlsx: bool,
) -> anyhow::Result<()> {
    if xlsx {
        return write_xlsx_sheets(sheets, path);
    }
    let Some((_, table)) = sheets.first() else {
        anyhow::bail!("nothing to write");
    };
    let file = std::fs::File::create(path)?;
    write_csv(table, std::io::BufWriter::new(file), true)
}

/// Writes `table` as an XLSX workbook with one sheet named `sheet`.
pub fn write_xlsx(table: &Table, sheet: &str, path: &std::path::Path) -> anyhow::Result<()> {
    write_xlsx_sheets(&[(sheet, table)], path)
}

/// Writes an XLSX workbook with one sheet per `(name, table)`.
pub fn write_xlsx_sheets(sheets: &[(&str, &Table)], path: &std::path::Path) -> anyhow::Result<()> {
    use rust_xlsxwriter::Workbook;
    let mut book = Workbook::new();
    for (name, table) in sheets {
        let ws = book.add_worksheet();
        ws.set_name(*name)?;
        fill_sheet(ws, table)?;
    }
    book.save(path)?;
    Ok(())
}

fn fill_sheet(ws: &mut rust_xlsxwriter::Worksheet, table: &Table) -> anyhow::Result<()> {
    use rust_xlsxwriter::Format;
    let bold = Format::new().set_bold();
    let dec1 = Format::new().set_num_format("0.0");
    for (c, name) in table.header.iter().enumerate() {
        let c = u16::try_from(c)?;
        ws.write_string_with_format(0, c, name, &bold)?;
        ws.set_column_width(c, 14)?;
    }
    for (r, row) in table.rows.iter().enumerate() {
        let r = u32::try_from(r + 1)?;
        for (c, cell) in row.iter().enumerate() {
            let c = u16::try_from(c)?;
            match cell {
                Cell::Text(s) => {
                    ws.write_string(r, c, s)?;
                }
                #[expect(clippy::cast_precision_loss, reason = "counts are far below 2^52")]
                Cell::Int(n) => {
                    ws.write_number(r, c, *n as f64)?;
                }
                Cell::Dec1(x) => {
                    ws.write_number_with_format(r, c, *x, &dec1)?;
                }
                Cell::Empty => {}
            }
        }
    }
    ws.set_freeze_panes(1, 0)?;
    Ok(())
}
