//! Small SVG charts for the HTML report, written with maud so every label is escaped. They
//! scale with the page (a viewBox, no fixed size) and need no script.

use chrono::NaiveDate;
use maud::{Markup, html};

/// The colour of "passed" in every chart: bluish green from the Okabe–Ito palette, which
/// people with colour-blindness tell apart, and dark enough to read in greyscale.
pub(crate) const PASSED: &str = "#009E73";

const WIDTH: f64 = 440.0;
const HEIGHT: f64 = 240.0;
const LEFT: f64 = 46.0;
const RIGHT: f64 = 36.0;
const TOP: f64 = 14.0;
const BOTTOM: f64 = 46.0;
/// Big enough to read at a phone's width, where the chart is drawn at about 0.85 of its size.
const FONT: f64 = 14.5;
/// About how many dates fit along the bottom at that size.
const MOST_DATE_TICKS: usize = 5;

/// The values to mark up the side: 0 and steps of 1, 2 or 5 (times a power of ten), up to at
/// least `most`, four or five of them.
fn value_ticks(most: u64) -> Vec<u64> {
    if most == 0 {
        return vec![0, 1];
    }
    let rough = (most as f64 / 5.0).max(1.0);
    let power = 10f64.powi(rough.log10().floor() as i32);
    let step = [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * power)
        .find(|step| *step >= rough)
        .unwrap_or(10.0 * power)
        .max(1.0) as u64;
    let top = most.div_ceil(step) * step;
    (0..=top / step).map(|i| i * step).collect()
}

/// Which points to mark along the bottom: the first and then every so many, about five.
fn date_ticks(count: usize) -> Vec<usize> {
    let every = count.div_ceil(MOST_DATE_TICKS).max(1);
    (0..count).step_by(every).collect()
}

/// A step chart of the running total of organisations that had passed the motion, one step
/// per period, with dates along the bottom and counts up the side, the last value marked and
/// labelled.
pub(crate) fn running_total(points: &[(NaiveDate, u64)]) -> Markup {
    let most = points.iter().map(|(_, n)| *n).max().unwrap_or(0);
    let values = value_ticks(most);
    let top = values.last().copied().unwrap_or(1).max(1) as f64;
    let right = WIDTH - RIGHT;
    let plot_w = right - LEFT;
    let plot_h = HEIGHT - TOP - BOTTOM;
    let base = TOP + plot_h;
    let first_day = points.first().map(|(d, _)| *d);
    let days = match (points.first(), points.last()) {
        (Some((a, _)), Some((b, _))) => (*b - *a).num_days(),
        _ => 0,
    };
    // Time runs left to right in proportion; a single point sits at the right-hand end.
    let x = |d: NaiveDate| match first_day {
        Some(first) if days > 0 => LEFT + plot_w * (d - first).num_days() as f64 / days as f64,
        _ => right,
    };
    let y = |n: u64| TOP + plot_h * (1.0 - n as f64 / top);
    let mut path = String::new();
    for (i, (d, n)) in points.iter().enumerate() {
        if i == 0 {
            let start = if days > 0 { x(*d) } else { LEFT };
            path.push_str(&format!("M{start:.1},{:.1}", y(*n)));
        } else {
            path.push_str(&format!(" H{:.1} V{:.1}", x(*d), y(*n)));
        }
    }
    if days == 0 && !points.is_empty() {
        path.push_str(&format!(" H{right:.1}"));
    }
    let first = first_day.map(|d| d.to_string()).unwrap_or_default();
    let last = points
        .last()
        .map(|(d, _)| d.to_string())
        .unwrap_or_default();
    let latest = points.last().map_or(0, |(_, n)| *n);
    let label = format!(
        "Organisations that had passed the motion, from {first} to {last}: {latest} at the end"
    );
    let mut ticks: Vec<(f64, String, Option<String>)> = Vec::new();
    let mut year = None;
    for i in date_ticks(points.len()) {
        let d = points[i].0;
        // A last period cut short by the day of the picture can fall close to the one before.
        if ticks
            .last()
            .is_some_and(|(at, _, _)| x(d) - at < 4.5 * FONT)
        {
            continue;
        }
        // The year under the first date and wherever it changes.
        let this_year = d.format("%Y").to_string();
        let new_year = (year.as_ref() != Some(&this_year)).then(|| this_year.clone());
        year = Some(this_year);
        ticks.push((x(d), d.format("%-d %b").to_string(), new_year));
    }
    html! {
        svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox=(format!("0 0 {WIDTH} {HEIGHT}")) role="img" aria-label=(label) font-size=(FONT) {
            title { (label) }
            g.values {
                @for value in &values {
                    @let at = y(*value);
                    line x1=(LEFT) y1=(format!("{at:.1}")) x2=(right) y2=(format!("{at:.1}")) stroke=(if *value == 0 { "#555" } else { "#dddddd" }) {}
                    text x=(LEFT - 6.0) y=(format!("{:.1}", at + 5.0)) text-anchor="end" { (value) }
                }
            }
            line x1=(LEFT) y1=(TOP) x2=(LEFT) y2=(base) stroke="#555" {}
            g.dates {
                @for (at, day, year) in &ticks {
                    line x1=(format!("{at:.1}")) y1=(base) x2=(format!("{at:.1}")) y2=(base + 5.0) stroke="#555" {}
                    text x=(format!("{at:.1}")) y=(base + 5.0 + FONT) text-anchor="middle" { (day) }
                    @if let Some(year) = year {
                        text x=(format!("{at:.1}")) y=(base + 6.0 + 2.0 * FONT) text-anchor="middle" fill="#595959" { (year) }
                    }
                }
            }
            @if !points.is_empty() {
                path d=(path) fill="none" stroke=(PASSED) stroke-width="3" {}
                circle cx=(format!("{right:.1}")) cy=(format!("{:.1}", y(latest))) r="4" fill=(PASSED) {}
                text x=(right + 6.0) y=(y(latest) + 5.0) font-weight="bold" { (latest) }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(markup: &Markup) -> roxmltree::Document<'_> {
        roxmltree::Document::parse(&markup.0).expect("the chart is well-formed XML")
    }

    #[test]
    fn ticks_are_round_values_and_about_five_dates() {
        assert_eq!(value_ticks(0), [0, 1]);
        assert_eq!(value_ticks(3), [0, 1, 2, 3]);
        assert_eq!(value_ticks(86), [0, 20, 40, 60, 80, 100]);
        assert_eq!(value_ticks(14), [0, 5, 10, 15]);
        assert_eq!(value_ticks(575), [0, 200, 400, 600]);
        assert_eq!(date_ticks(1), [0]);
        assert_eq!(date_ticks(5), [0, 1, 2, 3, 4]);
        assert_eq!(date_ticks(8), [0, 2, 4, 6]);
        assert_eq!(date_ticks(52).len(), 5);
    }

    #[test]
    fn the_running_total_is_one_step_line_with_its_range_labelled() {
        let day = |d: u32| NaiveDate::from_ymd_opt(2019, 2, d).unwrap();
        let chart = running_total(&[(day(3), 1), (day(10), 9), (day(17), 14)]);
        let doc = parse(&chart);
        let paths: Vec<_> = doc
            .descendants()
            .filter(|n| n.has_tag_name("path"))
            .collect();
        assert_eq!(paths.len(), 1);
        assert_eq!(
            paths[0].attribute("d").unwrap().matches('H').count(),
            2,
            "a step a period after the first"
        );
        let texts: Vec<&str> = doc
            .descendants()
            .filter(|n| n.has_tag_name("text"))
            .filter_map(|n| n.text())
            .collect();
        assert_eq!(
            texts,
            [
                "0", "5", "10", "15", "3 Feb", "2019", "10 Feb", "17 Feb", "14"
            ],
            "values up the side, dates along the bottom, the year once, the last value"
        );
        assert!(
            parse(&running_total(&[]))
                .descendants()
                .all(|n| !n.has_tag_name("path"))
        );
        let one = running_total(&[(day(3), 1)]);
        let doc = parse(&one);
        let d = doc
            .descendants()
            .find(|n| n.has_tag_name("path"))
            .and_then(|n| n.attribute("d"));
        assert!(
            d.is_some_and(|d| d.contains('H')),
            "a single period still draws a line: {d:?}"
        );
    }
}
