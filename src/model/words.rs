//! Shared rules for the words users type for statuses and kinds.

/// A word that is not one of the accepted statuses or kinds.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown {what} \"{given}\"{}", advice(.hint, .valid))]
pub(crate) struct UnknownWord {
    pub(crate) what: &'static str,
    pub(crate) given: String,
    pub(crate) valid: String,
    /// `; did you mean "passed"?`, or why the word records nothing; empty when there is none.
    pub(crate) hint: String,
}

impl UnknownWord {
    /// The error for `given`, which is none of the `known` words (each with the word it
    /// stands for), with a "did you mean" when one is close.
    pub(crate) fn new<'a>(
        what: &'static str,
        given: &str,
        valid: String,
        known: impl Iterator<Item = (&'a str, &'a str)>,
    ) -> UnknownWord {
        let hint = match closest_word(&normalise_word(given), known) {
            Some(meant) => format!("; did you mean \"{meant}\"?"),
            None => String::new(),
        };
        UnknownWord {
            what,
            given: visible(given.trim()),
            valid,
            hint,
        }
    }
}

fn advice(hint: &str, valid: &str) -> String {
    match hint {
        "" => format!("; use one of: {valid}"),
        _ if valid.is_empty() => hint.to_string(),
        _ if hint.ends_with('?') => format!("{hint} Use one of: {valid}"),
        _ => format!("{hint}; or use one of: {valid}"),
    }
}

/// The word meant by `typed` (normalised), of `known` pairs of an accepted word and the word it
/// stands for: the one closest in spelling, when it is close enough to be a slip.
fn closest_word<'a>(
    typed: &str,
    known: impl Iterator<Item = (&'a str, &'a str)>,
) -> Option<&'a str> {
    if typed.chars().count() < 3 {
        return None;
    }
    let mut best: Option<(f64, &str)> = None;
    for (word, meant) in known {
        let mut score = strsim::jaro_winkler(typed, word);
        if strsim::damerau_levenshtein(typed, word) <= 1 + typed.chars().count() / 6 {
            score = score.max(0.9);
        }
        if score >= 0.88 && best.is_none_or(|(top, _)| score > top) {
            best = Some((score, meant));
        }
    }
    best.map(|(_, meant)| meant)
}

/// The most characters of a value that a message shows.
pub(crate) const SHOWN_CHARS: usize = 80;

/// Text as it can be shown in a message: control and invisible characters written as
/// `\u{200b}`, so a stray one in a cell can be seen and found, and at most [`SHOWN_CHARS`]
/// characters of it (a longer value is cut, ending in "…"), so a bad value of any size leaves
/// the message readable.
pub(crate) fn visible(text: &str) -> String {
    let mut shown = String::new();
    let mut count = 0;
    // How much of `shown` fits with room left for the "…".
    let mut fits = 0;
    for c in text.chars() {
        let invisible = matches!(c, '\u{feff}' | '\u{200b}'..='\u{200f}' | '\u{2060}' | '\u{202a}'..='\u{202e}');
        let piece = if c.is_control() || invisible {
            format!("\\u{{{:x}}}", c as u32)
        } else {
            c.to_string()
        };
        let n = piece.chars().count();
        if count + n > SHOWN_CHARS {
            shown.truncate(fits);
            shown.push('…');
            return shown;
        }
        shown.push_str(&piece);
        count += n;
        if count < SHOWN_CHARS {
            fits = shown.len();
        }
    }
    shown
}

/// "1,234": counts in summaries.
pub(crate) fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// "1 outcome", "2 outcomes".
pub(crate) fn plural(n: u64, one: &str, many: &str) -> String {
    format!("{} {}", thousands(n), if n == 1 { one } else { many })
}

/// Quotes a value for a shell command line when it needs it.
pub(crate) fn shell_quote(text: &str) -> String {
    let plain = !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./:@%+=,".contains(c));
    if plain {
        text.to_string()
    } else {
        format!("'{}'", text.replace('\'', r"'\''"))
    }
}

/// Lower case, with `_`, spaces and punctuation read as `-` (and `&` as "and"; apostrophes
/// dropped), so "Carried  (unanimously)" is `carried-unanimously` and "EC/GC" is `ec-gc`.
pub(crate) fn normalise_word(s: &str) -> String {
    s.replace('&', " and ")
        .replace(['\'', '\u{2019}'], "")
        .split(|c: char| !c.is_alphanumeric())
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join("-")
        .to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::{SHOWN_CHARS, normalise_word, plural, thousands, visible};

    #[test]
    fn counts_read_easily() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(1234567), "1,234,567");
        assert_eq!(plural(1, "outcome", "outcomes"), "1 outcome");
        assert_eq!(plural(1500, "outcome", "outcomes"), "1,500 outcomes");
    }

    #[test]
    fn a_long_value_is_cut_to_what_a_message_shows() {
        assert_eq!(visible("Ashby\u{200b} CLP"), "Ashby\\u{200b} CLP");
        let exact = "x".repeat(SHOWN_CHARS);
        assert_eq!(visible(&exact), exact);
        let long = "é".repeat(200_000);
        let shown = visible(&long);
        assert_eq!(shown.chars().count(), SHOWN_CHARS);
        assert!(shown.ends_with("é…"), "{shown}");
        let tabs = "\t".repeat(50);
        let shown = visible(&tabs);
        assert!(
            shown.chars().count() <= SHOWN_CHARS && shown.ends_with("\\u{9}…"),
            "{shown}"
        );
    }

    #[test]
    fn spaces_underscores_and_case_become_one_form() {
        assert_eq!(
            normalise_word(" Carried  as_Amended "),
            "carried-as-amended"
        );
        assert_eq!(normalise_word("ruled--out"), "ruled-out");
        assert_eq!(normalise_word(""), "");
    }
}

#[cfg(test)]
mod properties {
    use proptest::prelude::*;

    use crate::model::{Kind, Status};

    proptest! {
        #[test]
        fn parsing_any_word_never_panics(text in "\\PC{0,30}") {
            let _ = text.parse::<Status>();
            let _ = text.parse::<Kind>();
        }
    }
}
