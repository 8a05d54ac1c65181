//! Report tables built from store queries, and their CSV and XLSX writers.

pub mod attendance;
pub mod claims;
pub mod complaints;
pub mod inspections;
pub mod quality;
pub mod reception;
pub mod waybills;

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
            Self::Text(s) => csv_text(s),
            Self::Int(n) => n.to_string(),
            Self::Dec1(x) => format!("{x:.1}"),
            Self::Empty => String::new(),
        }
    }
}

/// A text cell as written to CSV: text that a spreadsheet would take for a formula (starting with
/// `=`, `+`, `-`, `@`, a tab or a carriage return) gets a leading `'` (OWASP "CSV injection"),
/// unless it is a plain decimal number such as `-12.5`. Numbers in [`Cell::Int`] and
/// [`Cell::Dec1`] are never changed.
fn csv_text(s: &str) -> String {
    let risky = s.starts_with(['=', '+', '-', '@', '\t', '\r']);
    if risky && !is_plain_number(s) {
        format!("'{s}")
    } else {
        s.to_owned()
    }
}

/// `-3`, `+12`, `-12.5`: an optional sign, digits, and optionally a point and more digits.
fn is_plain_number(s: &str) -> bool {
    let digits = s.strip_prefix(['+', '-']).unwrap_or(s);
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, "0"));
    !whole.is_empty()
        && !fraction.is_empty()
        && whole.bytes().all(|b| b.is_ascii_digit())
        && fraction.bytes().all(|b| b.is_ascii_digit())
}

/// Writes `table` as CSV; with `bom` a UTF-8 byte-order mark comes first so Excel and WPS read
/// Chinese text correctly. Text that looks like a formula is neutralised (see [`csv_text`]).
pub fn write_csv(table: &Table, out: impl Write, bom: bool) -> anyhow::Result<()> {
    let mut out = out;
    if bom {
        out.write_all("\u{feff}".as_bytes())?;
    }
    let mut w = csv::Writer::from_writer(out);
    w.write_record(table.header.iter().map(|h| csv_text(h)))?;
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

#[cfg(test)]
mod tests {
    use super::*;

    fn csv_of(table: &Table) -> String {
        let mut out = Vec::new();
        write_csv(table, &mut out, false).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn formulas_in_text_cells_are_neutralised_numbers_stay_numbers() {
        let table = Table::new(
            &["name", "n", "x"],
            vec![
                vec![
                    Cell::Text("=cmd|'/c calc'!A1".into()),
                    Cell::Int(-3),
                    Cell::Dec1(-12.5),
                ],
                vec![Cell::Text("+1+2".into()), Cell::Int(7), Cell::Empty],
                vec![Cell::Text("-2+3".into()), Cell::Int(0), Cell::Empty],
                vec![Cell::Text("@SUM(A1)".into()), Cell::Int(0), Cell::Empty],
                vec![Cell::Text("\t=1".into()), Cell::Int(0), Cell::Empty],
                vec![Cell::Text("\r=1".into()), Cell::Int(0), Cell::Empty],
                vec![Cell::Text("-12.5".into()), Cell::Int(0), Cell::Empty],
                vec![Cell::Text("-3".into()), Cell::Int(0), Cell::Empty],
                vec![Cell::Text("王先生".into()), Cell::Int(0), Cell::Empty],
                vec![Cell::Text("a=b".into()), Cell::Int(0), Cell::Empty],
            ],
        );
        let text = csv_of(&table);
        let mut reader = csv::ReaderBuilder::new().from_reader(text.as_bytes());
        let cells: Vec<Vec<String>> = reader
            .records()
            .map(|r| r.unwrap().iter().map(str::to_owned).collect())
            .collect();
        let first: Vec<&str> = cells.iter().map(|r| r[0].as_str()).collect();
        assert_eq!(
            first,
            [
                "'=cmd|'/c calc'!A1",
                "'+1+2",
                "'-2+3",
                "'@SUM(A1)",
                "'\t=1",
                "'\r=1",
                "-12.5",
                "-3",
                "王先生",
                "a=b",
            ]
        );
        assert_eq!(cells[0][1], "-3");
        assert_eq!(cells[0][2], "-12.5");
    }

    #[test]
    fn plain_numbers() {
        for n in ["-3", "+12", "-12.5", "0", "3.0"] {
            assert!(is_plain_number(n), "{n}");
        }
        for s in ["-", "-.5", "-1.", "-1e5", "-inf", "=1", "-1+1", ""] {
            assert!(!is_plain_number(s), "{s}");
        }
    }
}
