//! The hex map: every constituency the same size, coloured by where the motion stands with
//! its CLP. One SVG file (or a figure in the HTML report), every label escaped by maud.

use std::collections::HashMap;

use chrono::NaiveDate;
use maud::{Markup, html};

use crate::model::{Group, Status};

/// One hex: a constituency and, when its CLP is registered, where the motion stands.
pub(crate) struct Seat<'a> {
    pub(crate) constituency: &'a str,
    /// Its region (or nation), outlined and named on the map.
    pub(crate) region: &'a str,
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

/// How the map is drawn.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct MapStyle {
    /// A file of its own: a size to open it at, and the legend inside the picture. Otherwise
    /// the map is a figure for a page, which puts the legend beneath it ([`legend`]).
    pub(crate) standalone: bool,
    /// The constituency's name on each hex that passed or rejected the motion.
    pub(crate) labels: bool,
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

/// The six hexes around one in the `odd-r` layout: odd rows sit half a hex to the right.
fn neighbours(q: i32, r: i32) -> [(i32, i32); 6] {
    let left = if r.rem_euclid(2) == 1 { q } else { q - 1 };
    [
        (q - 1, r),
        (q + 1, r),
        (left, r - 1),
        (left + 1, r - 1),
        (left, r + 1),
        (left + 1, r + 1),
    ]
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

/// The edges between hexes of different regions, and those on the coast, as one path: the
/// regions' outlines.
fn outlines(seats: &[Seat<'_>]) -> String {
    let regions: HashMap<(i32, i32), &str> = seats.iter().map(|s| ((s.q, s.r), s.region)).collect();
    let mut path = String::new();
    for seat in seats {
        let (cx, cy) = centre(seat.q, seat.r);
        for (nq, nr) in neighbours(seat.q, seat.r) {
            let other = regions.get(&(nq, nr));
            // Each shared edge once: from the hex that comes first.
            let draw = match other {
                None => true,
                Some(region) => *region != seat.region && (seat.q, seat.r) < (nq, nr),
            };
            if !draw {
                continue;
            }
            // The shared edge is halfway to the neighbour's centre, across the line to it.
            let (nx, ny) = centre(nq, nr);
            let (dx, dy) = (nx - cx, ny - cy);
            let length = (dx * dx + dy * dy).sqrt();
            let (mx, my) = (cx + dx / 2.0, cy + dy / 2.0);
            let (px, py) = (-dy / length * SIZE / 2.0, dx / length * SIZE / 2.0);
            path.push_str(&format!(
                "M{:.1},{:.1}L{:.1},{:.1}",
                mx + px,
                my + py,
                mx - px,
                my - py
            ));
        }
    }
    path
}

/// Where to name each region: the hex nearest its centroid among those at least two hexes in
/// from its edge (or as far in as it has), so a region that curls round another (the South
/// East round London) is named on its own ground.
fn region_labels<'a>(seats: &[Seat<'a>]) -> Vec<(&'a str, f64, f64)> {
    let regions: HashMap<(i32, i32), &str> = seats.iter().map(|s| ((s.q, s.r), s.region)).collect();
    // How far each hex is from the edge of its region, by steps through the region.
    let mut depth: HashMap<(i32, i32), u32> = HashMap::new();
    let mut frontier: Vec<(i32, i32)> = seats
        .iter()
        .filter(|s| {
            neighbours(s.q, s.r)
                .iter()
                .any(|n| regions.get(n) != Some(&s.region))
        })
        .map(|s| (s.q, s.r))
        .collect();
    for at in &frontier {
        depth.insert(*at, 0);
    }
    let mut step = 0;
    while !frontier.is_empty() {
        step += 1;
        let mut next = Vec::new();
        for (q, r) in frontier {
            for n in neighbours(q, r) {
                if regions.get(&n) == regions.get(&(q, r)) && !depth.contains_key(&n) {
                    depth.insert(n, step);
                    next.push(n);
                }
            }
        }
        frontier = next;
    }
    let mut names: Vec<&str> = seats.iter().map(|s| s.region).collect();
    names.sort_unstable();
    names.dedup();
    names
        .into_iter()
        .filter(|name| !name.is_empty())
        .filter_map(|name| {
            let hexes: Vec<&Seat<'_>> = seats.iter().filter(|s| s.region == name).collect();
            let n = hexes.len() as f64;
            let (sx, sy) = hexes.iter().fold((0.0, 0.0), |(x, y), s| {
                let (cx, cy) = centre(s.q, s.r);
                (x + cx, y + cy)
            });
            let (gx, gy) = (sx / n, sy / n);
            let deepest = hexes
                .iter()
                .map(|s| depth.get(&(s.q, s.r)).copied().unwrap_or(0))
                .max()?;
            let inland = deepest.min(2);
            let (cx, cy) = hexes
                .iter()
                .filter(|s| depth.get(&(s.q, s.r)).copied().unwrap_or(0) >= inland)
                .map(|s| centre(s.q, s.r))
                .min_by(|a, b| {
                    let d = |p: &(f64, f64)| (p.0 - gx).powi(2) + (p.1 - gy).powi(2);
                    d(a).total_cmp(&d(b))
                })?;
            Some((name, cx, cy))
        })
        .collect()
}

/// A name broken into lines of about `width` characters, at spaces and after hyphens.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for word in text.split_whitespace() {
        let pieces: Vec<&str> = word.split_inclusive('-').collect();
        for (i, piece) in pieces.into_iter().enumerate() {
            let joiner = if i == 0 { " " } else { "" };
            match lines.last_mut() {
                Some(line)
                    if (i > 0 || !line.is_empty())
                        && line.chars().count() + joiner.len() + piece.chars().count() <= width =>
                {
                    line.push_str(joiner);
                    line.push_str(piece);
                }
                _ => lines.push(piece.to_string()),
            }
        }
    }
    lines
}

/// A constituency's name in lines that fit inside its hex, and the size of letters that fits
/// the longest line: at most 2.4 (a fifth of a hex), smaller for long words.
fn seat_label(name: &str) -> (Vec<String>, f64) {
    let lines = wrap(name, 10);
    let longest = lines.iter().map(|l| l.chars().count()).max().unwrap_or(1) as f64;
    let across = 9.0 / (0.56 * longest);
    let down = 9.0 / (1.15 * lines.len().max(1) as f64);
    (lines, 2.4f64.min(across).min(down))
}

/// Text that stays readable over any fill: a white halo drawn under the letters.
const HALO: &str = "paint-order: stroke; stroke: #fff; stroke-width: 3px; stroke-linejoin: round;";

/// How many hexes are in each group of the legend, and how many have no organisation.
pub(crate) fn counts(seats: &[Seat<'_>]) -> ([usize; 5], usize) {
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
    (counts, unregistered)
}

/// The legend as HTML, to put beneath the map on a page: it wraps to the width of a phone and
/// its text is the page's own size.
pub(crate) fn legend(seats: &[Seat<'_>]) -> Markup {
    let (counts, unregistered) = counts(seats);
    let swatch = |fill: &str, stroke: &str| {
        html! {
            svg.swatch xmlns="http://www.w3.org/2000/svg" viewBox="0 0 14 14" width="14" height="14" aria-hidden="true" {
                rect x="0.5" y="0.5" width="13" height="13" fill=(fill) stroke=(stroke) {}
            }
        }
    };
    html! {
        ul.legend {
            @for ((group, label), count) in LEGEND.iter().zip(counts) {
                li { (swatch(fill(*group), "#777")) " " (label) ": " (count) }
            }
            li { (swatch("#fff", "#b0b0b0")) " No organisation registered: " (unregistered) }
        }
    }
}

/// The map as an `<svg>` element.
pub(crate) fn hex_map(
    title: &str,
    as_of: NaiveDate,
    seats: &[Seat<'_>],
    style: MapStyle,
) -> Markup {
    let centres: Vec<(f64, f64)> = seats.iter().map(|s| centre(s.q, s.r)).collect();
    let (min_x, max_x) = extent(centres.iter().map(|c| c.0));
    let (min_y, max_y) = extent(centres.iter().map(|c| c.1));
    let legend_w = if style.standalone { 235.0 } else { 0.0 };
    let top = 34.0;
    let (left, map_w, map_h) = (
        min_x - SIZE - 4.0,
        max_x - min_x + 2.0 * SIZE + 8.0,
        max_y - min_y + 2.0 * SIZE + 4.0,
    );
    let width = map_w + legend_w;
    let height = (map_h + top).max(top + 22.0 * (LEGEND.len() + 1) as f64);
    let (counts, unregistered) = counts(seats);
    let date = as_of.format("%-d %B %Y").to_string();
    let heading = format!("{title}: where it stands, {date}");
    html! {
        svg.map xmlns="http://www.w3.org/2000/svg"
            viewBox=(format!("{:.1} {:.1} {width:.1} {height:.1}", left, min_y - SIZE - top))
            width=[style.standalone.then(|| format!("{:.0}", width * 2.0))]
            height=[style.standalone.then(|| format!("{:.0}", height * 2.0))]
            role="img" aria-label=(heading) font-family="system-ui, sans-serif" {
            title { (heading) }
            defs {
                // Dark, close lines on white: at the size of a hex on a phone or on paper they
                // still read as stripes, not as a grey that could be taken for another fill.
                pattern id="hatched" width="2.6" height="2.6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)" {
                    rect width="2.6" height="2.6" fill="#ffffff" {}
                    line x1="0.65" y1="0" x2="0.65" y2="2.6" stroke="#1a1a1a" stroke-width="1.3" {}
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
            path.outlines d=(outlines(seats)) fill="none" stroke="#1a1a1a" stroke-width="1.2" stroke-linecap="round" {}
            // With the seats named, the regions' names are smaller and fainter, under them.
            @let (region_font, region_opacity) = if style.labels { (7.0, "0.6") } else { (10.0, "1") };
            g.regions font-size=(region_font) font-weight="bold" text-anchor="middle" fill="#1a1a1a" opacity=(region_opacity) pointer-events="none" style=(HALO) {
                @for (name, x, y) in region_labels(seats) {
                    @let lines = wrap(name, 12);
                    @let step = region_font * 1.05;
                    @let first = y - step * (lines.len() as f64 - 1.0) / 2.0 + region_font * 0.35;
                    text x=(format!("{x:.1}")) y=(format!("{first:.1}")) {
                        @for (i, line) in lines.iter().enumerate() {
                            tspan x=(format!("{x:.1}")) dy=(if i == 0 { "0".to_string() } else { format!("{step:.1}") }) { (line) }
                        }
                    }
                }
            }
            @if style.labels {
                g.labels text-anchor="middle" pointer-events="none" {
                    @for (seat, (cx, cy)) in seats.iter().zip(&centres) {
                        @if let Some(group) = seat.org.as_ref().map(|o| Group::of(o.status)).filter(|g| matches!(g, Group::Passed | Group::Rejected)) {
                            @let (lines, size) = seat_label(seat.constituency);
                            @let step = size * 1.15;
                            @let first = cy - step * (lines.len() as f64 - 1.0) / 2.0 + size * 0.35;
                            text.seat x=(format!("{cx:.1}")) y=(format!("{first:.2}")) font-size=(format!("{size:.2}")) fill=(if group == Group::Passed { "#fff" } else { "#000" }) {
                                @for (i, line) in lines.iter().enumerate() {
                                    tspan x=(format!("{cx:.1}")) dy=(if i == 0 { "0".to_string() } else { format!("{step:.2}") }) { (line) }
                                }
                            }
                        }
                    }
                }
            }
            @if style.standalone {
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
                region: "North",
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
                region: "North",
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
                region: "South",
                q: 2,
                r: 0,
                org: None,
            },
        ];
        let svg = hex_map(
            "Oppose <it>",
            day,
            &seats,
            MapStyle {
                standalone: true,
                labels: false,
            },
        )
        .into_string();
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
