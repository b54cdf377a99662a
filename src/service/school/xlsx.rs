//! The progress report as a spreadsheet: the students on the first sheet, the totals on the
//! second, each with its header row frozen and a filter on it, numbers as numbers.

use super::progress::Progress;
use super::report::{Cell, Labels, Table, students, totals};
use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};

/// The workbook's bytes.
pub fn workbook(p: &Progress, l: &Labels) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let header = Format::new()
        .set_bold()
        .set_background_color(0xDDEBF7)
        .set_border_bottom(rust_xlsxwriter::FormatBorder::Thin);
    let students_sheet = book.add_worksheet();
    students_sheet.set_name(l.get("school-sheet-students"))?;
    fill(students_sheet, &students(p, l), &header)?;
    let totals_sheet = book.add_worksheet();
    totals_sheet.set_name(l.get("school-sheet-totals"))?;
    fill(totals_sheet, &totals(p, l), &header)?;
    book.save_to_buffer()
}

fn fill(sheet: &mut Worksheet, table: &Table, header: &Format) -> Result<(), XlsxError> {
    let mut widths: Vec<usize> = table.header.iter().map(|h| display_width(h)).collect();
    for (col, title) in table.header.iter().enumerate() {
        sheet.write_string_with_format(0, column(col), title, header)?;
    }
    for (i, row) in table.rows.iter().enumerate() {
        let r = u32::try_from(i + 1).unwrap_or(u32::MAX);
        for (col, cell) in row.iter().enumerate() {
            match cell {
                Cell::Text(s) => sheet.write_string(r, column(col), s)?,
                // Counts are far below 2^53: exact as a spreadsheet number.
                Cell::Int(n) => sheet.write_number(r, column(col), *n as f64)?,
            };
            if let Some(w) = widths.get_mut(col) {
                *w = (*w).max(display_width(&cell.text()));
            }
        }
    }
    for (col, width) in widths.iter().enumerate() {
        sheet.set_column_width(column(col), (*width).clamp(6, 40) as f64 + 2.0)?;
    }
    let last_row = u32::try_from(table.rows.len()).unwrap_or(u32::MAX);
    let last_col = column(table.header.len().saturating_sub(1));
    sheet.set_freeze_panes(1, 0)?;
    sheet.autofilter(0, 0, last_row, last_col)?;
    Ok(())
}

fn column(i: usize) -> u16 {
    u16::try_from(i).unwrap_or(u16::MAX)
}

/// Columns wide enough for Chinese: a full-width character takes two.
fn display_width(s: &str) -> usize {
    s.chars().map(|c| if c.is_ascii() { 1 } else { 2 }).sum()
}
