//! Fitting a table to the terminal's width: which columns to show and how wide each is drawn.
//!
//! Every column has a natural width (its widest heading or cell, unbroken) and a floor: the
//! narrowest it may be without breaking inside a word (a kind such as `labour-branch`, a date,
//! a count, any word of a heading) and, for text that wraps, not below [`SOFT_FLOOR`] characters,
//! so that a name wraps onto a second line rather than into a tall strip. A table is drawn at
//! its natural widths when they fit; otherwise at widths between the floors and the natural
//! widths, the columns that need least to be whole made whole first; and when even the floors
//! do not fit, the report's least important columns are left out, in the order it gives
//! ([`Column::drop`](super::Column)), until they do. A table whose every remaining column is at
//! its floor and still too wide is drawn whole, for `less -S` or a wider window, never broken
//! inside a word.

use unicode_width::UnicodeWidthStr;

use super::Cell;

/// The narrowest a column of wrapping text is drawn (unless its widest cell is narrower).
pub(super) const SOFT_FLOOR: usize = 24;

/// What a column needs, measured over its heading and cells.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(super) struct Need {
    /// Its heading's width, unbroken.
    pub(super) heading: usize,
    /// Its heading's longest word.
    pub(super) heading_word: usize,
    /// Its widest cell line.
    pub(super) widest: usize,
    /// Its cells' longest word (a count is one word).
    pub(super) longest_word: usize,
    /// When the report may leave it out to fit: lower first; `None` never.
    pub(super) drop: Option<u8>,
}

impl Need {
    /// What a column with this heading needs before any cell is seen.
    pub(super) fn of_heading(heading: &str, drop: Option<u8>) -> Need {
        Need {
            heading: heading.width(),
            heading_word: longest_word(heading),
            drop,
            ..Need::default()
        }
    }

    /// Takes in one more cell of the column.
    pub(super) fn see(&mut self, cell: &Cell) {
        self.widest = self.widest.max(display_width(cell));
        self.longest_word = self.longest_word.max(unbreakable(cell));
    }

    fn natural(&self) -> usize {
        self.heading.max(self.widest).max(1)
    }

    fn floor(&self) -> usize {
        let soft = self.widest.min(SOFT_FLOOR);
        self.heading_word
            .max(self.longest_word)
            .max(soft)
            .clamp(1, self.natural())
    }
}

/// How a table is drawn: the columns shown (by index), the content width of each, and the
/// columns left out to fit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Plan {
    pub(super) shown: Vec<usize>,
    pub(super) widths: Vec<usize>,
    pub(super) hidden: Vec<usize>,
}

impl Plan {
    /// Every column at its natural width: a table that is not fitted to anything.
    pub(super) fn whole(needs: &[Need]) -> Plan {
        Plan {
            shown: (0..needs.len()).collect(),
            widths: needs.iter().map(Need::natural).collect(),
            hidden: Vec::new(),
        }
    }

    /// The table's width drawn this way, borders and padding included.
    pub(super) fn width(&self) -> usize {
        drawn(self.widths.iter().copied())
    }
}

/// The width of a table whose columns' contents are these widths: each column has a space
/// either side and a border, and the table one more border.
fn drawn(widths: impl Iterator<Item = usize>) -> usize {
    widths.map(|w| w + 3).sum::<usize>() + 1
}

/// Lays out columns that need `needs` in `width` terminal columns.
pub(super) fn fit(needs: &[Need], width: usize) -> Plan {
    let mut shown: Vec<usize> = (0..needs.len()).collect();
    let mut hidden = Vec::new();
    loop {
        let natural = shown.iter().map(|&i| needs[i].natural());
        if drawn(natural.clone()) <= width {
            let widths = natural.collect();
            return Plan {
                shown,
                widths,
                hidden,
            };
        }
        let floors: Vec<usize> = shown.iter().map(|&i| needs[i].floor()).collect();
        if drawn(floors.iter().copied()) <= width {
            let widths = share(&shown, needs, floors, width);
            return Plan {
                shown,
                widths,
                hidden,
            };
        }
        // The least important columns still shown, all of one rank, go together.
        let Some(rank) = shown.iter().filter_map(|&i| needs[i].drop).min() else {
            return Plan {
                shown,
                widths: floors,
                hidden,
            };
        };
        let (gone, kept): (Vec<usize>, Vec<usize>) = shown
            .into_iter()
            .partition(|&i| needs[i].drop == Some(rank));
        hidden.extend(gone);
        shown = kept;
    }
}

/// Widths from the floors up, within `width`: the columns that need least to be whole are made
/// whole first, and what is left goes to the rest evenly.
fn share(shown: &[usize], needs: &[Need], mut widths: Vec<usize>, width: usize) -> Vec<usize> {
    let mut spare = width - drawn(widths.iter().copied());
    let mut order: Vec<usize> = (0..shown.len()).collect();
    order.sort_by_key(|&k| needs[shown[k]].natural() - widths[k]);
    let mut wanting = Vec::new();
    for k in order {
        let want = needs[shown[k]].natural() - widths[k];
        if want <= spare {
            widths[k] += want;
            spare -= want;
        } else {
            wanting.push(k);
        }
    }
    // Evenly, a character at a time, to those still short of whole.
    while spare > 0 && !wanting.is_empty() {
        wanting.retain(|&k| widths[k] < needs[shown[k]].natural());
        for &k in &wanting {
            if spare == 0 {
                break;
            }
            widths[k] += 1;
            spare -= 1;
        }
    }
    widths
}

/// The longest whitespace-separated word of `text`, as the terminal shows it.
fn longest_word(text: &str) -> usize {
    text.split_whitespace().map(str::width).max().unwrap_or(0)
}

/// How much of a cell must not break: a count, or its longest word.
pub(super) fn unbreakable(cell: &Cell) -> usize {
    match cell {
        Cell::Empty => 0,
        Cell::Count(n) => n.to_string().len(),
        Cell::Text(text) => longest_word(text),
        Cell::Missing(label) => longest_word(label),
    }
}

/// How wide a cell is drawn unbroken: its longest line, as the terminal shows it.
pub(super) fn display_width(cell: &Cell) -> usize {
    let widest = |text: &str| text.split('\n').map(str::width).max().unwrap_or(0);
    match cell {
        Cell::Empty => 0,
        Cell::Text(text) => widest(text),
        Cell::Count(n) => n.to_string().len(),
        Cell::Missing(label) => widest(label),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn need(heading: &str, cells: &[&str], drop: Option<u8>) -> Need {
        let mut need = Need::of_heading(heading, drop);
        for cell in cells {
            need.see(&Cell::from(*cell));
        }
        need
    }

    #[test]
    fn a_table_that_fits_is_drawn_whole() {
        let needs = [
            need("Kind", &["labour-branch"], None),
            need("Registered", &["12"], None),
        ];
        let plan = fit(&needs, 80);
        assert_eq!(plan.widths, vec![13, 10]);
        assert_eq!(plan.width(), 13 + 10 + 7);
        assert!(plan.hidden.is_empty());
    }

    #[test]
    fn no_column_is_squeezed_inside_a_word() {
        let needs = [
            need(
                "Organisation",
                &["Unite LE/999 Sample Branch of the Transport Workers"],
                None,
            ),
            need("Region", &["Yorkshire and the Humber"], None),
            need("Kind", &["labour-branch"], None),
        ];
        let plan = fit(&needs, 76);
        assert_eq!(plan.width(), 76, "{plan:?}");
        // The kind and the region are whole; the long name has the rest, and wraps at words.
        assert_eq!(plan.widths, vec![29, 24, 13]);
        // Narrower, each keeps its floor: its longest word, and the soft floor for text.
        let plan = fit(&needs, 71);
        assert_eq!(plan.widths, vec![SOFT_FLOOR, 24, 13]);
        assert!(
            fit(&needs, 70).width() > 70,
            "too narrow: drawn whole at the floors"
        );
    }

    #[test]
    fn the_least_important_columns_go_first_and_together() {
        let needs = [
            need("Organisation", &["Ashby Ward Branch"], None),
            need("Status", &["passed-amended"], None),
            need("For", &["120"], Some(0)),
            need("Against", &["3"], Some(0)),
            need(
                "Source",
                &["https://example.org/minutes/2019/02/28"],
                Some(0),
            ),
            need("Region", &["East Midlands"], Some(1)),
        ];
        let plan = fit(&needs, 60);
        assert_eq!(plan.hidden, vec![2, 3, 4]);
        assert_eq!(plan.shown, vec![0, 1, 5]);
        assert!(plan.width() <= 60);
        let plan = fit(&needs, 30);
        assert_eq!(plan.shown, vec![0, 1]);
        // Too narrow for what is never left out: drawn at the floors, wider than asked.
        let plan = fit(&needs, 20);
        assert_eq!(plan.shown, vec![0, 1]);
        assert_eq!(plan.widths, vec![17, 14]);
    }
}
