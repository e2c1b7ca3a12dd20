//! Small SVG charts for the HTML report, written with maud so every label is escaped. They
//! scale with the page (a viewBox, no fixed size) and need no script.

use chrono::NaiveDate;
use maud::{Markup, html};

/// The colour of "passed" in every chart: bluish green from the Okabe–Ito palette, which
/// people with colour-blindness tell apart, and dark enough to read in greyscale.
pub(crate) const PASSED: &str = "#009E73";

const WIDTH: f64 = 480.0;
const HEIGHT: f64 = 220.0;
const LEFT: f64 = 56.0;
const BOTTOM: f64 = 32.0;
const TOP: f64 = 12.0;

/// A step chart of the running total of organisations that had passed the motion, one step
/// per period, the last value marked and labelled.
pub(crate) fn running_total(points: &[(NaiveDate, u64)]) -> Markup {
    let most = points.iter().map(|(_, n)| *n).max().unwrap_or(0).max(1) as f64;
    let right = WIDTH - 40.0;
    let plot_w = right - LEFT;
    let plot_h = HEIGHT - TOP - BOTTOM;
    let step = plot_w / points.len().max(1) as f64;
    let x = |i: usize| LEFT + step * i as f64;
    let y = |n: u64| TOP + plot_h * (1.0 - n as f64 / most);
    let mut path = String::new();
    for (i, (_, n)) in points.iter().enumerate() {
        if i == 0 {
            path.push_str(&format!("M{:.1},{:.1}", x(0), y(*n)));
        } else {
            path.push_str(&format!(" H{:.1} V{:.1}", x(i), y(*n)));
        }
    }
    // Each period is a step: the last one runs to the end of the chart.
    path.push_str(&format!(" H{right:.1}"));
    let first = points
        .first()
        .map(|(d, _)| d.to_string())
        .unwrap_or_default();
    let last = points
        .last()
        .map(|(d, _)| d.to_string())
        .unwrap_or_default();
    let latest = points.last().map_or(0, |(_, n)| *n);
    let label = format!(
        "Organisations that had passed the motion, from {first} to {last}: {latest} at the end"
    );
    html! {
        svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox=(format!("0 0 {WIDTH} {HEIGHT}")) role="img" aria-label=(label) {
            title { (label) }
            line x1=(LEFT) y1=(TOP + plot_h) x2=(right) y2=(TOP + plot_h) stroke="#555" {}
            line x1=(LEFT) y1=(TOP) x2=(LEFT) y2=(TOP + plot_h) stroke="#555" {}
            text x=(LEFT - 6.0) y=(TOP + 5.0) text-anchor="end" font-size="15" { (most as u64) }
            text x=(LEFT - 6.0) y=(TOP + plot_h) text-anchor="end" font-size="15" { "0" }
            text x=(LEFT) y=(HEIGHT - 8.0) font-size="15" { (first) }
            text x=(right) y=(HEIGHT - 8.0) text-anchor="end" font-size="15" { (last) }
            @if !points.is_empty() {
                path d=(path) fill="none" stroke=(PASSED) stroke-width="3" {}
                circle cx=(format!("{right:.1}")) cy=(format!("{:.1}", y(latest))) r="4" fill=(PASSED) {}
                text x=(right + 6.0) y=(y(latest) + 5.0) font-size="15" font-weight="bold" { (latest) }
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
            3,
            "a step a period"
        );
        let texts: Vec<&str> = doc
            .descendants()
            .filter(|n| n.has_tag_name("text"))
            .filter_map(|n| n.text())
            .collect();
        assert_eq!(texts, ["14", "0", "2019-02-03", "2019-02-17", "14"]);
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
