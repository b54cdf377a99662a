//! The progress chart: one stacked bar per class (or college), its students split by stage,
//! finished first, with the count and share done beside it — a PNG for the agents' group and
//! the README. Labels are drawn with a font built into the binary (WenQuanYi Micro Hei,
//! `assets/fonts/`), so Chinese class names render on a machine without any fonts.

use crate::domain::progress::{Stage, Totals};
use crate::service::ServiceError;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use std::sync::OnceLock;

const FONT: &[u8] = include_bytes!("../../../assets/fonts/wqy-microhei.ttc");
const FAMILY: &str = "helpdesk-cjk";

pub const WIDTH: u32 = 960;
const TOP: u32 = 64;
const ROW: u32 = 34;
const BAR: u32 = 22;
const LEGEND: u32 = 64;
const LABEL_RIGHT: i32 = 250;
const BAR_LEFT: i32 = 262;
const BAR_WIDTH: u32 = 560;
/// Bars drawn at most; the caller draws colleges instead of classes beyond this.
pub const MAX_BARS: usize = 60;

/// The order of the segments in a bar, and their colours: done, then what waits for the
/// school, then the students' own steps from the furthest.
const SEGMENTS: [(Stage, RGBColor); 8] = [
    (Stage::Done, RGBColor(34, 153, 84)),
    (Stage::TicketOpen, RGBColor(243, 156, 18)),
    (Stage::ReviewOpen, RGBColor(211, 84, 0)),
    (Stage::PhotoConfirmed, RGBColor(72, 201, 176)),
    (Stage::RecordConfirmed, RGBColor(93, 173, 226)),
    (Stage::Bound, RGBColor(133, 193, 233)),
    (Stage::Registered, RGBColor(174, 214, 241)),
    (Stage::NotRegistered, RGBColor(204, 209, 209)),
];

/// One bar: a class or college and its totals.
pub struct Bar {
    pub label: String,
    pub totals: Totals,
}

/// The picture's height for `bars` bars (the width is [`WIDTH`]).
pub fn height(bars: usize) -> u32 {
    TOP + ROW * u32::try_from(bars.clamp(1, MAX_BARS)).unwrap_or(1) + LEGEND
}

fn font_ready() -> bool {
    static READY: OnceLock<bool> = OnceLock::new();
    *READY.get_or_init(|| plotters::style::register_font(FAMILY, FontStyle::Normal, FONT).is_ok())
}

fn err(e: impl std::fmt::Display) -> ServiceError {
    ServiceError::Report(format!("drawing the chart: {e}"))
}

/// Draws the chart as PNG; `stage_label` names each stage in the legend.
pub fn png(
    bars: &[Bar],
    title: &str,
    stage_label: impl Fn(Stage) -> String,
) -> Result<Vec<u8>, ServiceError> {
    if !font_ready() {
        return Err(err("the built-in font could not be read"));
    }
    let bars = &bars[..bars.len().min(MAX_BARS)];
    let (w, h) = (WIDTH, height(bars.len()));
    let mut rgb = vec![255u8; (w * h * 3) as usize];
    {
        let root = BitMapBackend::with_buffer(&mut rgb, (w, h)).into_drawing_area();
        root.fill(&WHITE).map_err(err)?;
        let text = |size: u32, pos: Pos| {
            TextStyle::from((FAMILY, size).into_font())
                .color(&RGBColor(33, 37, 41))
                .pos(pos)
        };
        let left_mid = Pos::new(HPos::Left, VPos::Center);
        root.draw(&Text::new(title.to_string(), (20, 30), text(22, left_mid)))
            .map_err(err)?;
        for (i, bar) in bars.iter().enumerate() {
            let y = (TOP + ROW * i as u32) as i32;
            let mid = y + (BAR / 2) as i32;
            let style = text(15, Pos::new(HPos::Right, VPos::Center));
            let label = fit(&root, &bar.label, &style, LABEL_RIGHT - 12);
            root.draw(&Text::new(label, (LABEL_RIGHT, mid), style))
                .map_err(err)?;
            let total = bar.totals.students.max(1) as u64;
            let mut x = BAR_LEFT;
            let mut seen = 0u64;
            for (stage, colour) in SEGMENTS {
                seen += bar.totals.count(stage) as u64;
                // Edges from the running sum, so the segments always add up to the bar.
                let end = BAR_LEFT + (u64::from(BAR_WIDTH) * seen / total) as i32;
                if end > x {
                    root.draw(&Rectangle::new(
                        [(x, y), (end, y + BAR as i32)],
                        colour.filled(),
                    ))
                    .map_err(err)?;
                }
                x = end;
            }
            let outline = RGBColor(120, 120, 120);
            let right = BAR_LEFT + BAR_WIDTH as i32;
            root.draw(&Rectangle::new(
                [(BAR_LEFT, y), (right, y + BAR as i32)],
                outline,
            ))
            .map_err(err)?;
            let figures = format!(
                "{}/{} · {}%",
                bar.totals.done(),
                bar.totals.students,
                bar.totals.percent_done()
            );
            root.draw(&Text::new(figures, (right + 10, mid), text(15, left_mid)))
                .map_err(err)?;
        }
        // The legend: four stages a line.
        let legend_top = (TOP + ROW * bars.len().max(1) as u32 + 8) as i32;
        for (i, (stage, colour)) in SEGMENTS.iter().enumerate() {
            let x = 20 + (i % 4) as i32 * 230;
            let y = legend_top + (i / 4) as i32 * 26;
            root.draw(&Rectangle::new([(x, y), (x + 16, y + 16)], colour.filled()))
                .map_err(err)?;
            root.draw(&Text::new(
                stage_label(*stage),
                (x + 24, y + 8),
                text(14, left_mid),
            ))
            .map_err(err)?;
        }
        root.present().map_err(err)?;
    }
    encode(&rgb, w, h)
}

/// `label`, shortened with "…" until it fits in `room` pixels.
fn fit<DB: DrawingBackend>(
    area: &DrawingArea<DB, plotters::coord::Shift>,
    label: &str,
    style: &TextStyle,
    room: i32,
) -> String {
    let fits = |s: &str| {
        area.estimate_text_size(s, style)
            .map(|(w, _)| (w as i32) <= room)
            .unwrap_or(true)
    };
    if fits(label) {
        return label.to_string();
    }
    let mut chars: Vec<char> = label.chars().collect();
    while !chars.is_empty() {
        chars.pop();
        let short = format!("{}…", chars.iter().collect::<String>());
        if fits(&short) {
            return short;
        }
    }
    String::new()
}

fn encode(rgb: &[u8], w: u32, h: u32) -> Result<Vec<u8>, ServiceError> {
    let mut out = Vec::new();
    let mut encoder = ::png::Encoder::new(&mut out, w, h);
    encoder.set_color(::png::ColorType::Rgb);
    encoder.set_depth(::png::BitDepth::Eight);
    let mut writer = encoder.write_header().map_err(err)?;
    writer.write_image_data(rgb).map_err(err)?;
    writer.finish().map_err(err)?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bar(label: &str, done: usize, rest: usize) -> Bar {
        let mut totals = Totals::default();
        for _ in 0..done {
            totals.add(Stage::Done, true);
        }
        for _ in 0..rest {
            totals.add(Stage::NotRegistered, false);
        }
        Bar {
            label: label.into(),
            totals,
        }
    }

    #[test]
    fn the_chart_is_a_png_of_the_expected_size_with_chinese_labels() {
        let bars = [
            bar("2022级计算机1班", 3, 1),
            bar("2022级计算机科学与技术（中外合作办学）实验班", 0, 5),
        ];
        let png = png(&bars, "各班完成情况", |s| s.code().to_string()).expect("chart");
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
        let decoder = ::png::Decoder::new(std::io::Cursor::new(&png));
        let reader = decoder.read_info().expect("a readable PNG");
        let info = reader.info();
        assert_eq!((info.width, info.height), (WIDTH, height(2)));
        assert_eq!(height(2), TOP + 2 * ROW + LEGEND);
        // Labels were drawn: the label column is not blank.
        let mut reader = ::png::Decoder::new(std::io::Cursor::new(&png))
            .read_info()
            .expect("png");
        let mut pixels = vec![0; reader.output_buffer_size().expect("size")];
        reader.next_frame(&mut pixels).expect("frame");
        let dark = (TOP..TOP + ROW)
            .flat_map(|y| (20..LABEL_RIGHT as u32).map(move |x| (y, x)))
            .filter(|(y, x)| pixels[((y * WIDTH + x) * 3) as usize] < 128)
            .count();
        assert!(
            dark > 50,
            "the first class's name is drawn ({dark} dark pixels)"
        );
    }
}
