//! Finding a person's name in free text, and erasing it, for `motions forget`.
//!
//! A name matches only as a whole: the same words in the same order, in any case, with or
//! without accents ("Zoë" = "zoe"), with any spacing or line breaks between its words, and
//! through the invisible characters a pasted text may carry (soft hyphens, zero-width spaces
//! and joiners, the byte-order mark), which are ignored inside a word and count as a break
//! between words. It never matches part of a longer word or name: "Lee" is not found in
//! "Kathleen", "Leeds", "Lee2" or the double-barrelled "Lee-Anne" and "Hall-Lee", nor in
//! "O'Lee"; it is found in "Lee's", "Lee'll", "(Lee)", "lee@example.org" and in "Lee Hall",
//! where "Lee" is a word of its own (so give the full name to erase one person). A name needs at
//! least 3 letters, so that it cannot be a fragment of everything.

use std::io::{self, Read};
use std::ops::Range;

use unicode_normalization::char::{decompose_canonical, is_combining_mark};

use super::name::{MAX_NAME_CHARS, is_invisible};

/// What an erased name becomes.
pub(crate) const REDACTED: &str = "[name removed]";

/// The fewest letters a name to erase may have.
pub(crate) const MIN_LETTERS: usize = 3;

/// A name that cannot be erased safely, with the reason.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(crate) enum BadPersonName {
    #[error("give the name to erase, e.g. motions forget \"Sam Sample\"")]
    Empty,
    #[error(
        "\"{0}\" has fewer than {MIN_LETTERS} letters, so it would match parts of other names \
         and words; give the person's full name"
    )]
    TooShort(String),
    #[error("the name is {0} characters long; the limit is {MAX_NAME_CHARS}")]
    TooLong(usize),
    #[error("the name contains a control character; type it as it is written")]
    ControlCharacter,
    #[error(
        "\"{0}\" is part of \"{REDACTED}\", the words that replace an erased name; \
         give the person's full name"
    )]
    InMarker(String),
}

/// A person's name to find and erase, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PersonName {
    /// The name as typed, trimmed, spaces collapsed, invisible characters dropped.
    shown: String,
    /// Its words folded (lower case, no accents), one space between them.
    key: Vec<char>,
}

impl PersonName {
    /// Checks a name typed by a person: it needs at least 3 letters, and it must not be part of
    /// "[name removed]" itself. Punctuation around it (`"Lee,"`) is set aside.
    pub(crate) fn parse(raw: &str) -> Result<PersonName, BadPersonName> {
        if raw.chars().any(|c| c.is_control() && !c.is_whitespace()) {
            return Err(BadPersonName::ControlCharacter);
        }
        let visible: String = raw.chars().filter(|c| !ignorable(*c)).collect();
        let shown = visible
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .trim_matches(|c: char| !word_char(c))
            .to_string();
        let chars = shown.chars().count();
        if chars == 0 {
            return Err(BadPersonName::Empty);
        }
        if chars > MAX_NAME_CHARS {
            return Err(BadPersonName::TooLong(chars));
        }
        if shown.chars().filter(|c| c.is_alphabetic()).count() < MIN_LETTERS {
            return Err(BadPersonName::TooShort(echo(raw)));
        }
        let mut key = Vec::new();
        for c in shown.chars() {
            if c == ' ' {
                key.push(' ');
            } else {
                fold(c, &mut |f| key.push(f));
            }
        }
        let name = PersonName { shown, key };
        if !name.find(REDACTED).is_empty() {
            return Err(BadPersonName::InMarker(name.shown));
        }
        Ok(name)
    }

    /// The name as typed (trimmed, spaces collapsed).
    pub(crate) fn shown(&self) -> &str {
        &self.shown
    }

    /// Where the name stands as a whole in `text`, as byte ranges of `text`, first to last,
    /// not overlapping. A range covers the accents written after its last letter.
    pub(crate) fn find(&self, text: &str) -> Vec<Range<usize>> {
        self.spans(text, true)
    }

    /// Where the name is in `text`, as a whole when `whole`, else also as part of a longer
    /// word.
    fn spans(&self, text: &str, whole: bool) -> Vec<Range<usize>> {
        if !self.may_be_in(text) {
            return Vec::new();
        }
        let tokens = tokens(text);
        let mut spans = Vec::new();
        let mut i = 0;
        while i < tokens.len() {
            if let Some(next) = self.match_at(&tokens, i) {
                let start = tokens[i].start as usize;
                let mut end = tokens[next - 1].end as usize;
                end += text[end..]
                    .chars()
                    .take_while(|c| is_combining_mark(*c))
                    .map(char::len_utf8)
                    .sum::<usize>();
                // A full name is found wherever it stands ("Jo Bloggs Secretary"); a single
                // word beside another capitalised word is another person's name ("Lee Hall").
                let single = !self.key.contains(&' ');
                let alone = whole_before(&text[..start])
                    && whole_after(&text[end..])
                    && !(single && part_of_longer_name(&text[..start], &text[end..]));
                if !whole || alone {
                    spans.push(start..end);
                    i = next;
                    continue;
                }
            }
            i += 1;
        }
        spans
    }

    /// `text` with each whole match of the name replaced by "[name removed]", everything else
    /// exactly as it was; `None` when the name is not in it.
    pub(crate) fn redact(&self, text: &str) -> Option<String> {
        let spans = self.find(text);
        if spans.is_empty() {
            return None;
        }
        let mut erased = String::with_capacity(text.len());
        let mut from = 0;
        for span in spans {
            erased.push_str(&text[from..span.start]);
            erased.push_str(REDACTED);
            from = span.end;
        }
        erased.push_str(&text[from..]);
        Some(erased)
    }

    /// True when a motion slug (`lee-hall-motion`) spells the name, its words joined by `-`.
    pub(crate) fn in_slug(&self, slug: &str) -> bool {
        let key: String = self.key.iter().collect();
        let wanted = super::name::slugify(&key);
        wanted.len() >= MIN_LETTERS
            && key.is_ascii()
            && format!("-{slug}-").contains(&format!("-{wanted}-"))
    }

    /// True when the name is anywhere in the bytes read, read as UTF-8 (a database file, say,
    /// to make sure an erased name is gone from it): as a whole when `whole`, else also as part
    /// of a longer word, as it is where the file stores one text right after another
    /// ("2019-03-01Lee Hall"). Reads in blocks, so a file of any size takes little memory.
    pub(crate) fn occurs_in(&self, mut reader: impl Read, whole: bool) -> io::Result<bool> {
        const BLOCK: usize = 1 << 20;
        const OVERLAP: usize = 8 << 10;
        const EDGE: usize = 8;
        let mut buf: Vec<u8> = Vec::with_capacity(BLOCK + OVERLAP);
        let mut first = true;
        loop {
            let mut eof = false;
            while buf.len() < BLOCK + OVERLAP {
                let had = buf.len();
                buf.resize(BLOCK + OVERLAP, 0);
                match reader.read(&mut buf[had..]) {
                    Ok(0) => {
                        buf.truncate(had);
                        eof = true;
                        break;
                    }
                    Ok(n) => buf.truncate(had + n),
                    Err(err) if err.kind() == io::ErrorKind::Interrupted => buf.truncate(had),
                    Err(err) => return Err(err),
                }
            }
            let text = String::from_utf8_lossy(&buf);
            // A match touching the edge of a block may be cut short or lack the character
            // beside it; the overlap means it is seen whole in the block before or after.
            let found = self.spans(&text, whole).iter().any(|span| {
                (first || span.start >= EDGE) && (eof || span.end + EDGE <= text.len())
            });
            if found {
                return Ok(true);
            }
            if eof {
                return Ok(false);
            }
            first = false;
            buf.drain(..BLOCK);
        }
    }

    /// False when `text` cannot hold the name: a quick look that spares most texts the
    /// folding. Plain ASCII text must hold the name's first word as it is, in any case.
    fn may_be_in(&self, text: &str) -> bool {
        if !text.is_ascii() {
            return true;
        }
        let word: String = self.key.iter().take_while(|c| **c != ' ').collect();
        word.is_ascii()
            && text
                .as_bytes()
                .windows(word.len())
                .any(|w| w.eq_ignore_ascii_case(word.as_bytes()))
    }

    /// The first token after a match of the name starting at token `i`.
    fn match_at(&self, tokens: &[Token], i: usize) -> Option<usize> {
        let first = tokens.get(i)?;
        if !first.first || !matches!(first.kind, Kind::Char(_)) {
            return None;
        }
        let mut j = i;
        for &k in &self.key {
            if k == ' ' {
                let from = j;
                while tokens
                    .get(j)
                    .is_some_and(|t| matches!(t.kind, Kind::Break | Kind::Ignored))
                {
                    j += 1;
                }
                if j == from {
                    return None;
                }
            } else {
                while tokens.get(j).is_some_and(|t| t.kind == Kind::Ignored) && j > i {
                    j += 1;
                }
                match tokens.get(j) {
                    Some(t) if t.kind == Kind::Char(k) => j += 1,
                    _ => return None,
                }
            }
        }
        tokens[j - 1].last.then_some(j)
    }
}

/// What a character of the text is, for matching.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// One folded character (a letter may give more than one).
    Char(char),
    /// Spacing or a line break.
    Break,
    /// An invisible character: ignored inside a word, a break between words.
    Ignored,
}

/// One folded character and where the character it comes from stands in the text.
#[derive(Debug, Clone, Copy)]
struct Token {
    kind: Kind,
    start: u32,
    end: u32,
    /// The first, and the last, token of its character.
    first: bool,
    last: bool,
}

fn tokens(text: &str) -> Vec<Token> {
    let mut tokens = Vec::with_capacity(text.len());
    for (at, c) in text.char_indices() {
        let (start, end) = (at as u32, (at + c.len_utf8()) as u32);
        let one = |kind| Token {
            kind,
            start,
            end,
            first: true,
            last: true,
        };
        if ignorable(c) {
            tokens.push(one(Kind::Ignored));
        } else if c.is_whitespace() {
            tokens.push(one(Kind::Break));
        } else {
            let from = tokens.len();
            fold(c, &mut |f| {
                tokens.push(Token {
                    kind: Kind::Char(f),
                    start,
                    end,
                    first: false,
                    last: false,
                })
            });
            if tokens.len() > from {
                tokens[from].first = true;
                let n = tokens.len();
                tokens[n - 1].last = true;
            }
        }
    }
    tokens
}

/// A character as names are compared: lower case, accents set aside, curly apostrophes as
/// straight ones and hyphens as `-`; an accent on its own gives nothing.
fn fold(c: char, out: &mut impl FnMut(char)) {
    if c.is_ascii() {
        out(c.to_ascii_lowercase());
        return;
    }
    match c {
        '\u{2018}' | '\u{2019}' | '\u{02bc}' => return out('\''),
        '\u{2010}' | '\u{2011}' => return out('-'),
        _ => {}
    }
    decompose_canonical(c, |d| {
        if !is_combining_mark(d) {
            for l in d.to_lowercase().filter(|l| !is_combining_mark(*l)) {
                out(l);
            }
        }
    });
}

/// Characters that show as nothing, and soft hyphens, which show only at the end of a line.
fn ignorable(c: char) -> bool {
    c == '\u{ad}' || is_invisible(c)
}

/// A letter, digit or accent: part of a word.
fn word_char(c: char) -> bool {
    c.is_alphanumeric() || is_combining_mark(c)
}

fn hyphen(c: char) -> bool {
    matches!(c, '-' | '\u{2010}' | '\u{2011}')
}

fn apostrophe(c: char) -> bool {
    matches!(c, '\'' | '\u{2018}' | '\u{2019}' | '\u{02bc}')
}

/// True when a match may end where `before` ends: not after a letter, nor after a hyphen or
/// apostrophe joined to one ("Hall-Lee", "O'Lee").
fn whole_before(before: &str) -> bool {
    let mut chars = before.chars().rev().filter(|c| !ignorable(*c));
    match chars.next() {
        Some(c) if word_char(c) => false,
        Some(c) if hyphen(c) || apostrophe(c) => !chars.next().is_some_and(word_char),
        _ => true,
    }
}

/// True when a match may end where `after` begins: not before a letter, nor before a hyphen
/// joined to one ("Lee-Anne"); an apostrophe may be followed by 's, 'll, 'd, 've or 're.
fn whole_after(after: &str) -> bool {
    let mut chars = after.chars().filter(|c| !ignorable(*c));
    match chars.next() {
        Some(c) if word_char(c) => false,
        Some(c) if hyphen(c) => !chars.next().is_some_and(word_char),
        Some(c) if apostrophe(c) => {
            let word: String = chars
                .take_while(|c| word_char(*c))
                .take(4)
                .flat_map(char::to_lowercase)
                .collect();
            matches!(word.as_str(), "" | "s" | "ll" | "d" | "ve" | "re")
        }
        _ => true,
    }
}

/// True when a match stands next to another capitalised word on the same line, as a first name
/// does before a surname ("Lee Hall") or a surname after a first name ("Jo Lee"): then it is
/// part of another person's name, not the one to erase. A capitalised word that begins the
/// text or a sentence ("Thanks Lee") is an ordinary word.
fn part_of_longer_name(before: &str, after: &str) -> bool {
    let capital = |word: &str| word.chars().next().is_some_and(char::is_uppercase);
    let next = after
        .strip_prefix([' ', '\u{a0}'])
        .map(|rest| rest.trim_start_matches(' '))
        .map(|rest| {
            let end = rest
                .find(|c: char| !(c.is_alphabetic() || c == '\'' || c == '-'))
                .unwrap_or(rest.len());
            &rest[..end]
        });
    // "Lee Hall" is another person; "Lee CLP" or "Lee Ward Branch" is a body named after Lee.
    let surname = next.is_some_and(|word| {
        capital(word) && !is_acronym(word) && !BODY_WORDS.contains(&word.to_lowercase().as_str())
    });
    if surname {
        return true;
    }
    let Some(rest) = before.strip_suffix([' ', '\u{a0}']) else {
        return false;
    };
    let rest = rest.trim_end_matches(' ');
    let word_start = rest
        .char_indices()
        .rev()
        .take_while(|(_, c)| c.is_alphabetic() || *c == '\'' || *c == '-')
        .last()
        .map(|(i, _)| i);
    let Some(word_start) = word_start else {
        return false;
    };
    let word = &rest[word_start..];
    let opening = rest[..word_start].trim_end();
    let starts_sentence = opening.is_empty() || opening.ends_with(['.', '!', '?', ':', '\n']);
    capital(word) && !starts_sentence
}

/// Words that name a kind of body rather than a person, after a name ("Lee Ward Branch").
const BODY_WORDS: [&str; 14] = [
    "branch",
    "ward",
    "clp",
    "momentum",
    "group",
    "council",
    "party",
    "labour",
    "union",
    "motion",
    "constituency",
    "trades",
    "society",
    "committee",
];

/// All capitals: an abbreviation such as CLP, not a surname.
fn is_acronym(word: &str) -> bool {
    word.chars().count() >= 2 && word.chars().all(|c| !c.is_lowercase())
}

/// At most 80 characters of a value, for an error message.
fn echo(raw: &str) -> String {
    let raw = raw.trim();
    match raw.char_indices().nth(80) {
        Some((at, _)) => format!("{}…", &raw[..at]),
        None => raw.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name(raw: &str) -> PersonName {
        PersonName::parse(raw).unwrap()
    }

    fn found<'t>(text: &'t str, who: &str) -> Vec<&'t str> {
        name(who).find(text).into_iter().map(|s| &text[s]).collect()
    }

    #[test]
    fn a_name_is_found_whatever_its_case_accents_or_spacing() {
        let text = "Moved by ZOË  Ärmstrong; zoe\narmstrong seconded, Zoe Armstrong's motion";
        assert_eq!(
            found(text, "Zoë Ärmstrong"),
            ["ZOË  Ärmstrong", "zoe\narmstrong", "Zoe Armstrong"]
        );
        assert_eq!(
            found("Zoe\u{301} Armstrong", "zoë armstrong"),
            ["Zoe\u{301} Armstrong"]
        );
        assert_eq!(
            found("LEE, lee. Lee's (Lee)", "Lee"),
            ["LEE", "lee", "Lee", "Lee"]
        );
    }

    #[test]
    fn never_inside_another_word_or_name() {
        let text = "Kathleen Smith, Leeds meeting, Lee-Anne, Hall-Lee, O'Lee, Lee2, Lees, Leeé";
        assert!(found(text, "Lee").is_empty(), "{:?}", found(text, "Lee"));
        assert!(found("Lee Hall spoke", "Lee").is_empty(), "another person");
        assert!(found("and Jo Lee said", "Lee").is_empty(), "another person");
        assert_eq!(found("Thanks Lee for chairing", "Lee"), ["Lee"]);
        assert_eq!(found("Lee moved it. Lee Hall seconded", "Lee"), ["Lee"]);
        assert_eq!(found("Lee Hall spoke", "Lee Hall"), ["Lee Hall"]);
        // A full name is found beside capitalised words too: a title, a day, a role.
        assert_eq!(
            found("Chair Jo Bloggs Tuesday; Jo Bloggs Secretary", "Jo Bloggs"),
            ["Jo Bloggs", "Jo Bloggs"]
        );
        assert!(found("Lee Hall", "Lee Hallam").is_empty());
        assert!(found("Sam Sample", "Samuel").is_empty());
        assert_eq!(found("Lee-Anne spoke", "Lee-Anne"), ["Lee-Anne"]);
        assert_eq!(found("Lee‐Anne Hall", "lee-anne hall"), ["Lee‐Anne Hall"]);
        assert_eq!(found("Lee - chair, Lee-", "Lee"), ["Lee", "Lee"]);
        assert_eq!(found("Lee'll come; Lee’s; Lee'x", "Lee"), ["Lee", "Lee"]);
        assert_eq!(found("lee@example.org", "Lee"), ["lee"]);
    }

    #[test]
    fn invisible_characters_hide_nothing() {
        assert_eq!(found("Le\u{ad}e spoke", "Lee"), ["Le\u{ad}e"]);
        assert_eq!(
            found("L\u{200b}e\u{200d}e\u{feff}", "Lee"),
            ["L\u{200b}e\u{200d}e"]
        );
        assert_eq!(found("Jo\u{ad}Bloggs", "Jo Bloggs"), ["Jo\u{ad}Bloggs"]);
        assert_eq!(
            found("Jo \u{2060} Bloggs", "Jo Bloggs"),
            ["Jo \u{2060} Bloggs"]
        );
        assert!(found("JoBloggs", "Jo Bloggs").is_empty());
        assert!(
            found("Lee\u{ad}ds", "Lee").is_empty(),
            "still a longer word"
        );
        assert!(found("Kath\u{200b}leen", "Lee").is_empty());
        assert_eq!(name("Le\u{200b}e").shown(), "Lee");
    }

    #[test]
    fn redacting_keeps_everything_else() {
        let who = name("Lee");
        assert_eq!(
            who.redact("Leeds: LEE's note, cc Kathleen").unwrap(),
            "Leeds: [name removed]'s note, cc Kathleen"
        );
        assert_eq!(who.redact("Kathleen at Leeds"), None);
        assert_eq!(
            name("zoe armstrong")
                .redact("Über Zoë\u{a0}Armstrong!")
                .unwrap(),
            "Über [name removed]!"
        );
    }

    #[test]
    fn short_names_and_the_marker_are_refused() {
        for short in ["e", "Jo", "J. B.", "  ", "12345", "Lé"] {
            assert!(PersonName::parse(short).is_err(), "{short}");
        }
        assert!(matches!(
            PersonName::parse("e"),
            Err(BadPersonName::TooShort(_))
        ));
        assert_eq!(PersonName::parse(""), Err(BadPersonName::Empty));
        assert!(matches!(
            PersonName::parse("Removed"),
            Err(BadPersonName::InMarker(_))
        ));
        assert!(matches!(
            PersonName::parse("name"),
            Err(BadPersonName::InMarker(_))
        ));
        assert_eq!(
            PersonName::parse("a\u{7}bc"),
            Err(BadPersonName::ControlCharacter)
        );
        assert_eq!(name(" \"Lee,\" ").shown(), "Lee");
        assert_eq!(name("Lee\tHall").shown(), "Lee Hall");
        assert!(PersonName::parse(&"x".repeat(201)).is_err());
    }

    #[test]
    fn slugs_spell_names_with_hyphens() {
        assert!(name("Lee Hall").in_slug("lee-hall-motion"));
        assert!(name("Lee").in_slug("motion-from-lee"));
        assert!(!name("Lee").in_slug("leeds-motion"));
        assert!(!name("Lee").in_slug("kathleen"));
        assert!(name("Zoë Ärmstrong").in_slug("zoe-armstrong"));
    }

    #[test]
    fn bytes_of_any_length_are_searched() {
        let who = name("Zoë Ärmstrong");
        let mut file = vec![0u8; 3 << 20];
        assert!(!who.occurs_in(&file[..], false).unwrap());
        // Across the edge of a block, and after bytes that are not UTF-8.
        let written = "zoe ärmstrong\0\0".as_bytes();
        let block = 1 << 20;
        let ends = [
            0,
            block - 5,
            block + (8 << 10) - 7,
            2 * block + (8 << 10) - 1,
            3 * block - written.len(),
        ];
        for at in ends {
            let mut bytes = file.clone();
            bytes[at.max(1) - 1] = 0xff;
            bytes[at..at + written.len()].copy_from_slice(written);
            assert!(who.occurs_in(&bytes[..], true).unwrap(), "at {at}");
        }
        file[100..108].copy_from_slice(b"xZOE ARM");
        assert!(!who.occurs_in(&file[..], false).unwrap());
        file[100..116].copy_from_slice(b"1zoe armstrong2b");
        assert!(!who.occurs_in(&file[..], true).unwrap());
        assert!(
            who.occurs_in(&file[..], false).unwrap(),
            "texts stored end to end"
        );
    }
}

#[cfg(test)]
mod properties {
    use proptest::prelude::*;

    use super::*;

    proptest! {
        #[test]
        fn a_match_is_never_part_of_a_longer_word(
            text in "[a-cA-Cé ,'\\-\u{ad}\u{200b}\n]{0,40}",
            who in "[a-cA-Cé]{3,5}( [a-c]{3,4})?",
        ) {
            let who = PersonName::parse(&who).unwrap();
            for span in who.find(&text) {
                let before = text[..span.start].chars().rev().find(|c| !ignorable(*c));
                let after = text[span.end..].chars().find(|c| !ignorable(*c));
                prop_assert!(!before.is_some_and(char::is_alphanumeric), "{text:?} {span:?}");
                prop_assert!(!after.is_some_and(char::is_alphanumeric), "{text:?} {span:?}");
            }
        }

        #[test]
        fn once_erased_a_name_is_not_found_again(
            text in "[a-cA-Cé ,'\\-\u{ad}\u{200b}\n]{0,40}",
            who in "[a-cA-Cé]{3,5}( [a-c]{3,4})?",
            at in 0usize..40,
        ) {
            let who = PersonName::parse(&who).unwrap();
            // The name itself, dropped as a sentence of its own somewhere in the text (beside
            // another capitalised word it would be part of a longer name).
            let cut = text.char_indices().nth(at).map_or(text.len(), |(i, _)| i);
            let text = format!("{}. {}. {}", &text[..cut], who.shown(), &text[cut..]);
            let erased = who.redact(&text);
            prop_assert!(erased.is_some(), "{text:?}");
            let erased = erased.unwrap();
            prop_assert!(who.find(&erased).is_empty(), "{erased:?}");
            prop_assert!(erased.contains(REDACTED));
        }

        #[test]
        fn text_without_the_name_is_left_alone(
            text in "[ -~\n]{0,60}",
            who in "[a-zA-Z]{3,8}",
        ) {
            let who = PersonName::parse(&who).unwrap();
            if !text.to_lowercase().contains(&who.shown().to_lowercase()) {
                prop_assert_eq!(who.redact(&text), None);
            }
        }
    }
}
