//! The hex map: every constituency the same size, coloured by where the motion stands with
//! its CLP. One SVG file (or a figure in the HTML report), every label escaped by maud.

use chrono::NaiveDate;
use maud::{Markup, html};

use crate::model::{Group, Status};

/// One hex: a constituency and, when its CLP is registered, where the motion stands.
pub(crate) struct Seat<'a> {
    pub(crate) constituency: &'a str,
    pub(crate) q: i32,
    pub(crate) r: i32,
    /// `None` when no registered organisation has the constituency's code.
    pub(crate) org: Option<SeatOrg<'a>>,
}

/// The registered organisation of a seat and its latest outcome.
pub(crate) struct SeatOrg<'a> {
    pub(crate) name: &'a str,
    pub(crate) status: Option<Status>,
    pub(crate) date: Option<NaiveDate>,
}

/// Fill colours by group, chosen so people with colour-blindness tell them apart and so they
/// differ in lightness too (they stay distinct printed in grey): from dark to light, passed,
/// rejected, pending, not yet moved. Withdrawn or ruled out is hatched, so it cannot be taken
/// for any of them in grey either.
fn fill(group: Group) -> &'static str {
    match group {
        Group::Passed => "#00563F",
        Group::Rejected => "#D55E00",
        Group::Dropped => "url(#hatched)",
        Group::Pending => "#F0B43C",
        Group::None => "#E8E8E8",
    }
}

const LEGEND: [(Group, &str); 5] = [
    (Group::Passed, "Passed"),
    (Group::Rejected, "Rejected"),
    (Group::Pending, "Under way"),
    (Group::Dropped, "Withdrawn or ruled out"),
    (Group::None, "Not yet moved"),
];

/// The radius of a hex, and the spacing that follows from it (pointy-top hexes).
const SIZE: f64 = 6.0;

/// The centre of a hex in the `odd-r` layout, rows counting northwards.
fn centre(q: i32, r: i32) -> (f64, f64) {
    let width = SIZE * 3f64.sqrt();
    let shift = if r.rem_euclid(2) == 1 {
        width / 2.0
    } else {
        0.0
    };
    (q as f64 * width + shift, -(r as f64) * SIZE * 1.5)
}

fn hexagon(cx: f64, cy: f64) -> String {
    let half = SIZE * 3f64.sqrt() / 2.0 - 0.3;
    let s = SIZE - 0.3;
    [
        (half, -s / 2.0),
        (half, s / 2.0),
        (0.0, s),
        (-half, s / 2.0),
        (-half, -s / 2.0),
        (0.0, -s),
    ]
    .iter()
    .map(|(dx, dy)| format!("{:.1},{:.1}", cx + dx, cy + dy))
    .collect::<Vec<_>>()
    .join(" ")
}

/// The map as an `<svg>` element; `standalone` adds a size for opening the file on its own.
pub(crate) fn hex_map(
    title: &str,
    as_of: NaiveDate,
    seats: &[Seat<'_>],
    standalone: bool,
) -> Markup {
    let centres: Vec<(f64, f64)> = seats.iter().map(|s| centre(s.q, s.r)).collect();
    let (min_x, max_x) = extent(centres.iter().map(|c| c.0));
    let (min_y, max_y) = extent(centres.iter().map(|c| c.1));
    let legend_w = 235.0;
    let top = 34.0;
    let (left, map_w, map_h) = (
        min_x - SIZE - 4.0,
        max_x - min_x + 2.0 * SIZE + 4.0,
        max_y - min_y + 2.0 * SIZE,
    );
    let width = map_w + legend_w;
    let height = (map_h + top).max(top + 22.0 * (LEGEND.len() + 1) as f64);
    let mut counts = [0usize; 5];
    let mut unregistered = 0;
    for seat in seats {
        match &seat.org {
            Some(org) => {
                counts[LEGEND
                    .iter()
                    .position(|(g, _)| *g == Group::of(org.status))
                    .unwrap_or(4)] += 1
            }
            None => unregistered += 1,
        }
    }
    let date = as_of.format("%-d %B %Y").to_string();
    let heading = format!("{title}: where it stands, {date}");
    html! {
        svg.map xmlns="http://www.w3.org/2000/svg"
            viewBox=(format!("{:.1} {:.1} {width:.1} {height:.1}", left, min_y - SIZE - top))
            width=[standalone.then(|| format!("{:.0}", width * 2.0))]
            height=[standalone.then(|| format!("{:.0}", height * 2.0))]
            role="img" aria-label=(heading) font-family="system-ui, sans-serif" {
            title { (heading) }
            defs {
                pattern id="hatched" width="3" height="3" patternUnits="userSpaceOnUse" patternTransform="rotate(45)" {
                    rect width="3" height="3" fill="#ffffff" {}
                    line x1="0" y1="0" x2="0" y2="3" stroke="#555555" stroke-width="1.6" {}
                }
            }
            text x=(left + 4.0) y=(min_y - SIZE - top + 14.0) font-size="12" font-weight="bold" { (title) }
            text x=(left + 4.0) y=(min_y - SIZE - top + 27.0) font-size="10" fill="#555" { "As of " (date) "; one hex a constituency" }
            g {
                @for (seat, (cx, cy)) in seats.iter().zip(&centres) {
                    @match &seat.org {
                        Some(org) => {
                            polygon class=(Group::of(org.status).as_str()) points=(hexagon(*cx, *cy)) fill=(fill(Group::of(org.status))) stroke="#fff" stroke-width="0.4" {
                                title { (seat.constituency) " — " (org.name) ": " (describe(org)) }
                            }
                        }
                        None => {
                            polygon class="unregistered" points=(hexagon(*cx, *cy)) fill="#fff" stroke="#b0b0b0" stroke-width="0.6" {
                                title { (seat.constituency) ": no organisation registered for it" }
                            }
                        }
                    }
                }
            }
            g.legend {
                @for (i, ((group, label), count)) in LEGEND.iter().zip(counts).enumerate() {
                    @let y = min_y - SIZE + 10.0 + 22.0 * i as f64;
                    rect x=(max_x + SIZE + 14.0) y=(y) width="14" height="14" fill=(fill(*group)) stroke="#777" stroke-width="0.5" {}
                    text x=(max_x + SIZE + 34.0) y=(y + 11.5) font-size="11" { (label) ": " (count) }
                }
                @let y = min_y - SIZE + 10.0 + 22.0 * LEGEND.len() as f64;
                rect x=(max_x + SIZE + 14.0) y=(y) width="14" height="14" fill="#fff" stroke="#b0b0b0" {}
                text x=(max_x + SIZE + 34.0) y=(y + 11.5) font-size="11" { "No organisation registered: " (unregistered) }
            }
        }
    }
}

fn describe(org: &SeatOrg<'_>) -> String {
    match (org.status, org.date) {
        (Some(status), Some(date)) => format!("{status} on {date}"),
        (Some(status), None) => status.to_string(),
        _ => "not yet moved".to_string(),
    }
}

fn extent(values: impl Iterator<Item = f64>) -> (f64, f64) {
    values.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
        (lo.min(v), hi.max(v))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hexes_carry_their_group_and_an_escaped_tooltip() {
        let day = NaiveDate::from_ymd_opt(2019, 3, 1).unwrap();
        let seats = [
            Seat {
                constituency: "A & <B>",
                q: 0,
                r: 0,
                org: Some(SeatOrg {
                    name: "<script>x</script> CLP",
                    status: Some(Status::Passed),
                    date: Some(day),
                }),
            },
            Seat {
                constituency: "C",
                q: 1,
                r: -1,
                org: Some(SeatOrg {
                    name: "C CLP",
                    status: None,
                    date: None,
                }),
            },
            Seat {
                constituency: "D",
                q: 2,
                r: 0,
                org: None,
            },
        ];
        let svg = hex_map("Oppose <it>", day, &seats, true).into_string();
        let doc = roxmltree::Document::parse(&svg).expect("the map is well-formed XML");
        let hexes: Vec<_> = doc
            .descendants()
            .filter(|n| n.has_tag_name("polygon"))
            .collect();
        assert_eq!(hexes.len(), 3);
        let classes: Vec<&str> = hexes.iter().filter_map(|n| n.attribute("class")).collect();
        assert_eq!(classes, ["passed", "none", "unregistered"]);
        let tip = hexes[0]
            .children()
            .find(|n| n.has_tag_name("title"))
            .and_then(|n| n.text())
            .unwrap();
        assert_eq!(
            tip,
            "A & <B> — <script>x</script> CLP: passed on 2019-03-01"
        );
        assert!(!svg.contains("<script>"), "user text is escaped");
        let legend: Vec<&str> = doc
            .descendants()
            .filter(|n| n.has_tag_name("text"))
            .filter_map(|n| n.text())
            .collect();
        assert!(
            legend.contains(&"Passed: 1") && legend.contains(&"Not yet moved: 1"),
            "{legend:?}"
        );
        assert!(
            legend.contains(&"No organisation registered: 1"),
            "{legend:?}"
        );
    }

    #[test]
    fn odd_rows_shift_half_a_hex() {
        let (x0, _) = centre(3, 2);
        let (x1, y1) = centre(3, 1);
        assert!((x1 - x0 - SIZE * 3f64.sqrt() / 2.0).abs() < 1e-9);
        assert!(
            y1 > centre(3, 2).1,
            "rows count northwards, so a lower row is further down"
        );
        assert_eq!(centre(3, -1).0, x1, "negative odd rows shift the same way");
    }
}
