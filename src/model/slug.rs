//! Names as the parts of stable identifiers and file names: `Ynys Môn CLP` → `ynys-mon-clp`.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Lower-case ASCII letters and digits, runs of anything else as one `-`, accents dropped
/// (`ŵ` → `w`); empty when nothing is left (a name in another script, say).
pub(crate) fn slug_of(text: &str) -> String {
    let mut slug = String::new();
    let mut gap = false;
    for c in text.nfkd().filter(|c| !is_combining_mark(*c)) {
        if c.is_ascii_alphanumeric() {
            if gap && !slug.is_empty() {
                slug.push('-');
            }
            gap = false;
            slug.push(c.to_ascii_lowercase());
        } else {
            gap = true;
        }
    }
    slug
}

/// True for a GSS code as the ONS issues them: a letter and eight digits (`E14001063`).
pub(crate) fn is_gss_code(code: &str) -> bool {
    let bytes = code.as_bytes();
    bytes.len() == 9 && bytes[0].is_ascii_alphabetic() && bytes[1..].iter().all(u8::is_ascii_digit)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_keep_letters_and_digits_only() {
        assert_eq!(slug_of("Ynys Môn CLP"), "ynys-mon-clp");
        assert_eq!(slug_of("  Unite LE/999 -- Sample "), "unite-le-999-sample");
        assert_eq!(
            slug_of("<script>alert(1)</script>"),
            "script-alert-1-script"
        );
        assert_eq!(slug_of("ελληνικά"), "");
    }

    #[test]
    fn gss_codes() {
        assert!(is_gss_code("E14001063"));
        assert!(is_gss_code("w07000081"));
        assert!(!is_gss_code("LE/999"));
        assert!(!is_gss_code("E1400106"));
    }
}
