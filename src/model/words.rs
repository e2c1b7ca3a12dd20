//! Shared rules for the words users type for statuses and kinds.

/// A word that is not one of the accepted statuses or kinds.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown {what} \"{given}\"; use one of: {valid}")]
pub(crate) struct UnknownWord {
    pub(crate) what: &'static str,
    pub(crate) given: String,
    pub(crate) valid: String,
}

/// Text as it can be shown in a message: control and invisible characters written as
/// `\u{200b}`, so a stray one in a cell can be seen and found.
pub(crate) fn visible(text: &str) -> String {
    let mut shown = String::with_capacity(text.len());
    for c in text.chars() {
        let invisible = matches!(c, '\u{feff}' | '\u{200b}'..='\u{200f}' | '\u{2060}' | '\u{202a}'..='\u{202e}');
        if c.is_control() || invisible {
            shown.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            shown.push(c);
        }
    }
    shown
}

/// A value as a message may repeat it: visible (see [`visible`]) and at most 80 characters,
/// so a huge or hostile cell cannot flood the terminal.
pub(crate) fn shorten(text: &str) -> String {
    const MOST: usize = 80;
    let shown = visible(text);
    if shown.chars().count() <= MOST {
        return shown;
    }
    let mut cut: String = shown.chars().take(MOST - 1).collect();
    cut.push('…');
    cut
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

/// Lower case, with `_` and runs of spaces read as `-`, as the contract says.
pub(crate) fn normalise_word(s: &str) -> String {
    s.split(|c: char| c.is_whitespace() || c == '_' || c == '-')
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join("-")
        .to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::normalise_word;

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
