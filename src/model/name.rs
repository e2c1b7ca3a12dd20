//! Names of organisations and motion slugs: how they are cleaned, checked and compared.

/// The longest organisation name accepted, in characters.
pub(crate) const MAX_NAME_CHARS: usize = 200;

/// The longest free text accepted (a title, a note, a source, a CSV cell), in characters.
pub(crate) const MAX_TEXT_CHARS: usize = 10_000;

/// The longest wording of a motion accepted, in characters.
pub(crate) const MAX_WORDING_CHARS: usize = 100_000;

/// The most bytes read for the wording of a motion (a `--text-file`, a `text` cell), so that
/// a file that never ends is refused before it fills the memory.
pub(crate) const MAX_WORDING_BYTES: usize = 1 << 20;

/// A name or slug that cannot be stored, with the reason.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(crate) enum BadName {
    #[error("the name is empty")]
    Empty,
    #[error("the name is {0} characters long; the limit is {MAX_NAME_CHARS}")]
    TooLong(usize),
    #[error("the name contains a control character (such as a tab or line break)")]
    ControlCharacter,
    #[error(
        "the name contains an invisible character (U+{0:04X}), which would make two names look alike"
    )]
    Invisible(u32),
    #[error("the slug is empty; give the motion a short handle such as venezuela-coup")]
    EmptySlug,
    #[error(
        "slug \"{given}\" may hold only lower-case letters, digits and '-' (up to 64); \
         try \"{suggestion}\""
    )]
    Slug { given: String, suggestion: String },
}

/// Trims a name and collapses runs of spaces inside it; refuses empty, over-long and
/// control-character names.
pub(crate) fn clean_name(raw: &str) -> Result<String, BadName> {
    if raw.chars().any(char::is_control) {
        return Err(BadName::ControlCharacter);
    }
    if let Some(c) = raw.chars().find(|c| is_invisible(*c)) {
        return Err(BadName::Invisible(c as u32));
    }
    let name = raw.split_whitespace().collect::<Vec<_>>().join(" ");
    match name.chars().count() {
        0 => Err(BadName::Empty),
        n if n > MAX_NAME_CHARS => Err(BadName::TooLong(n)),
        _ => Ok(name),
    }
}

/// Line breaks as `\n`, however the text was typed or saved (`\r\n` from Windows, `\r`).
pub(crate) fn unix_newlines(text: &str) -> std::borrow::Cow<'_, str> {
    if text.contains('\r') {
        std::borrow::Cow::Owned(text.replace("\r\n", "\n").replace('\r', "\n"))
    } else {
        std::borrow::Cow::Borrowed(text)
    }
}

/// Characters that show as nothing: zero-width spaces and joiners, direction marks and
/// overrides, the byte-order mark.
pub(crate) fn is_invisible(c: char) -> bool {
    matches!(c, '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2060}'..='\u{2064}' | '\u{feff}')
}

/// The first character of free text that does not belong in it: a control character other than
/// a line break or a tab (a terminal would act on it when the text is shown).
pub(crate) fn stray_control(text: &str) -> Option<char> {
    text.chars()
        .find(|c| c.is_control() && *c != '\n' && *c != '\t')
}

/// Trims optional free text (region, union, code, source...): blank means absent.
pub(crate) fn clean_optional(raw: Option<&str>) -> Option<String> {
    raw.map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

/// The key two spellings of one name share: trimmed, spaces collapsed, Unicode lower case,
/// accents set aside (so "Atha" finds "Átha" and "Ystradgynlais" finds "Ystradgynlaïs" on a
/// phone keyboard), curly apostrophes read as straight ones ("Musicians’ Union").
pub(crate) fn name_key(name: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    use unicode_normalization::char::is_combining_mark;
    name.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .nfd()
        .filter(|c| !is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .map(|c| {
            if matches!(c, '\u{2019}' | '\u{2018}') {
                '\''
            } else {
                c
            }
        })
        .collect()
}

/// Checks a motion slug: `[a-z0-9-]`, 1 to 64 characters, starting with a letter or digit.
pub(crate) fn check_slug(slug: &str) -> Result<(), BadName> {
    if slug.is_empty() {
        return Err(BadName::EmptySlug);
    }
    let ok = (1..=64).contains(&slug.len())
        && slug
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !slug.starts_with('-');
    if ok {
        Ok(())
    } else {
        Err(BadName::Slug {
            given: super::words::visible(slug),
            suggestion: slugify(slug),
        })
    }
}

/// A slug made from any text: "Oppose the Coup!" → "oppose-the-coup".
pub(crate) fn slugify(text: &str) -> String {
    let mut slug = String::new();
    for c in text.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            slug.push(c);
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    let slug = slug.trim_end_matches('-');
    let cut = slug.char_indices().nth(64).map_or(slug.len(), |(at, _)| at);
    let slug = slug[..cut].trim_end_matches('-');
    if slug.is_empty() {
        "motion".to_string()
    } else {
        slug.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_trimmed_and_collapsed() {
        assert_eq!(
            clean_name("  Ashby   Ward Branch ").unwrap(),
            "Ashby Ward Branch"
        );
        assert_eq!(clean_name("   "), Err(BadName::Empty));
        assert_eq!(clean_name("Ashby\tCLP"), Err(BadName::ControlCharacter));
        assert_eq!(clean_name("Ashby\0CLP"), Err(BadName::ControlCharacter));
        assert_eq!(clean_name(&"x".repeat(201)), Err(BadName::TooLong(201)));
        assert!(
            clean_name(&"ŵ".repeat(200)).is_ok(),
            "the limit counts characters, not bytes"
        );
    }

    #[test]
    fn keys_ignore_case_spacing_and_apostrophe_style() {
        assert_eq!(name_key(" Ashby  CLP"), name_key("ashby clp"));
        assert_eq!(name_key("YSTRAD FFLUR ŴYR"), name_key("Ystrad Fflur ŵyr"));
        assert_eq!(
            name_key("Craobh Bhaile Átha Cliath"),
            name_key("craobh bhaile atha cliath")
        );
        assert_eq!(
            name_key("Pen-y-bont ar Ogwr ŵ"),
            name_key("pen-y-bont ar ogwr w")
        );
        assert_eq!(name_key("Musicians’ Union"), name_key("musicians' union"));
        assert_ne!(name_key("Ashby CLP"), name_key("Ashby CLPs"));
    }

    #[test]
    fn slugs() {
        assert!(check_slug("venezuela-coup").is_ok());
        assert!(check_slug("2019-motion-1").is_ok());
        let err = check_slug("Venezuela Coup").unwrap_err().to_string();
        assert!(err.contains("try \"venezuela-coup\""), "{err}");
        assert!(check_slug("").is_err());
        assert!(check_slug("-x").is_err());
        assert!(check_slug(&"a".repeat(65)).is_err());
        assert_eq!(slugify("  Oppose the Coup! "), "oppose-the-coup");
        assert_eq!(slugify("!!!"), "motion");
    }
}

#[cfg(test)]
mod properties {
    use proptest::prelude::*;

    use super::*;

    proptest! {
        #[test]
        fn names_are_cleaned_or_refused_and_keys_are_stable(raw in "\\PC{0,250}") {
            if let Ok(name) = clean_name(&raw) {
                prop_assert!(!name.is_empty() && name.chars().count() <= MAX_NAME_CHARS);
                prop_assert_eq!(clean_name(&name), Ok(name.clone()), "cleaning twice changes nothing");
                prop_assert_eq!(name_key(&name), name_key(&raw));
            }
            let _ = check_slug(&raw);
            prop_assert!(check_slug(&slugify(&raw)).is_ok(), "a suggested slug is a valid one");
        }
    }
}
