//! The 650 Westminster constituencies of the 2024 boundaries, embedded from
//! `data/uk-constituencies-2024.hexjson` (Open Innovations, MIT licence): their ONS codes,
//! names, regions and places on a hexagonal cartogram.

use std::sync::OnceLock;

/// One constituency.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Constituency {
    /// The ONS code (E14…, W07…, S14…, N05…).
    pub(crate) code: String,
    pub(crate) name: String,
    /// The region as Labour names it (Northern, Eastern, ...), or the nation.
    pub(crate) region: &'static str,
    /// Column and row on the cartogram (`odd-r` layout; rows count northwards).
    pub(crate) q: i32,
    pub(crate) r: i32,
}

impl Constituency {
    /// England and Wales, whose CLPs follow the Westminster seats.
    pub(crate) fn has_westminster_clp(&self) -> bool {
        self.code.starts_with("E14") || self.code.starts_with("W07")
    }

    /// The name of its CLP.
    pub(crate) fn clp_name(&self) -> String {
        format!("{} CLP", self.name)
    }
}

const HEXJSON: &str = include_str!("../../data/uk-constituencies-2024.hexjson");

/// The ONS regions and nations, as Labour names them.
fn region(code: &str) -> &'static str {
    match code {
        "E12000001" => "Northern",
        "E12000002" => "North West",
        "E12000003" => "Yorkshire and the Humber",
        "E12000004" => "East Midlands",
        "E12000005" => "West Midlands",
        "E12000006" => "Eastern",
        "E12000007" => "London",
        "E12000008" => "South East",
        "E12000009" => "South West",
        "W92000004" => "Wales",
        "S92000003" => "Scotland",
        "N92000002" => "Northern Ireland",
        _ => "",
    }
}

#[derive(serde::Deserialize)]
struct HexJson {
    hexes: std::collections::BTreeMap<String, Hex>,
}

#[derive(serde::Deserialize)]
struct Hex {
    n: String,
    q: i32,
    r: i32,
    region: String,
}

/// Every constituency, by ONS code.
pub(crate) fn constituencies() -> &'static [Constituency] {
    static ALL: OnceLock<Vec<Constituency>> = OnceLock::new();
    ALL.get_or_init(|| {
        // The file is part of the program, checked by the tests below: it always parses.
        let parsed: HexJson = serde_json::from_str(HEXJSON).unwrap_or(HexJson {
            hexes: Default::default(),
        });
        parsed
            .hexes
            .into_iter()
            .map(|(code, hex)| Constituency {
                code,
                name: hex.n,
                region: region(&hex.region),
                q: hex.q,
                r: hex.r,
            })
            .collect()
    })
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;

    #[test]
    fn all_650_seats_with_575_clps_in_england_and_wales_by_labour_region() {
        let all = constituencies();
        assert_eq!(all.len(), 650);
        let mut per_region: BTreeMap<&str, usize> = BTreeMap::new();
        for seat in all.iter().filter(|c| c.has_westminster_clp()) {
            *per_region.entry(seat.region).or_default() += 1;
        }
        assert_eq!(per_region.values().sum::<usize>(), 575);
        assert_eq!(
            per_region.into_iter().collect::<Vec<_>>(),
            [
                ("East Midlands", 47),
                ("Eastern", 61),
                ("London", 75),
                ("North West", 73),
                ("Northern", 27),
                ("South East", 91),
                ("South West", 58),
                ("Wales", 32),
                ("West Midlands", 57),
                ("Yorkshire and the Humber", 54),
            ]
        );
        assert!(
            all.iter()
                .all(|c| !c.region.is_empty() && !c.name.is_empty())
        );
        let barnsley = all.iter().find(|c| c.code == "E14001074").unwrap();
        assert_eq!(
            (barnsley.clp_name().as_str(), barnsley.region),
            ("Barnsley North CLP", "Yorkshire and the Humber")
        );
    }
}
