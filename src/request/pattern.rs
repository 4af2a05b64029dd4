//! The Connect model's patterns with the model's meaning. Smithy patterns are Java regular
//! expressions, not anchored unless they say so (a match anywhere counts); `\d`, `\s` and `\w` are
//! ASCII there, and `\p{C}` is Unicode's category C (Cc, Cf, Cs, Co and Cn, the unassigned code
//! points). The `regex` crate reads the same syntax with the same Unicode tables once `\d`, `\s`
//! and `\w` are made ASCII. For the JSON Schema, a category becomes explicit ranges, which every
//! validator reads (json-schema.org's interoperable subset has no `\p{..}`).

use std::sync::OnceLock;

use regex::Regex;
use regex_syntax::hir::{Class, HirKind};

/// The model's pattern read as the `regex` crate reads it, with Java's meaning. A pattern the
/// model writes with doubled backslashes (`\\+[1-9]\\d{1,14}$`, whose Java reading is "one or more
/// backslashes, then...", matching no phone number) is read as the single-escaped pattern it
/// plainly means.
pub fn model_regex(pattern: &str) -> Regex {
    let pattern = pattern.replace(r"\\", r"\");
    let java = ascii_classes(&pattern);
    Regex::new(&java).unwrap_or_else(|e| panic!("the model's pattern {pattern:?}: {e}"))
}

/// `\d`, `\s` and `\w` as Java means them (ASCII), written out: as a class of their own outside
/// brackets, as their ranges inside (`[^\s@]`: no ASCII white space, no '@').
fn ascii_classes(pattern: &str) -> String {
    let mut out = String::with_capacity(pattern.len() + 16);
    let mut in_class = false;
    let mut chars = pattern.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                let Some(next) = chars.next() else {
                    out.push(c);
                    break;
                };
                let ranges = match next {
                    'd' => Some("0-9"),
                    's' => Some(r" \t\n\x0B\x0C\r"),
                    'w' => Some("A-Za-z0-9_"),
                    _ => None,
                };
                match (ranges, in_class) {
                    (Some(ranges), true) => out.push_str(ranges),
                    (Some(ranges), false) => {
                        out.push('[');
                        out.push_str(ranges);
                        out.push(']');
                    }
                    (None, _) => {
                        out.push(c);
                        out.push(next);
                    }
                }
            }
            '[' if !in_class => {
                in_class = true;
                out.push(c);
            }
            ']' if in_class => {
                in_class = false;
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    out
}

/// The model's pattern of `Attachments[].FileName`: no character of Unicode category C.
pub const NO_CATEGORY_C: &str = r"^\P{C}*$";

/// Whether `text` has no character of category C (control, format, surrogate, private use,
/// unassigned), as [`NO_CATEGORY_C`] means it.
pub fn has_no_category_c(text: &str) -> bool {
    static REGEX: OnceLock<Regex> = OnceLock::new();
    REGEX
        .get_or_init(|| model_regex(NO_CATEGORY_C))
        .is_match(text)
}

/// [`NO_CATEGORY_C`] as a JSON Schema pattern of explicit ranges: `\uXXXX` for the Basic
/// Multilingual Plane, the characters themselves above it (one code point each in the languages
/// whose validators read JSON Schema: Python, JavaScript with its `u` flag, Rust, Java).
pub fn no_category_c_schema_pattern() -> &'static str {
    static PATTERN: OnceLock<String> = OnceLock::new();
    PATTERN.get_or_init(|| {
        let hir = regex_syntax::parse(r"\P{C}").expect("a Unicode class");
        let HirKind::Class(Class::Unicode(class)) = hir.kind() else {
            unreachable!("\\P{{C}} is a Unicode class")
        };
        let mut out = String::from("^[");
        for range in class.ranges() {
            push_char(&mut out, range.start());
            if range.end() != range.start() {
                out.push('-');
                push_char(&mut out, range.end());
            }
        }
        out.push_str("]*$");
        out
    })
}

fn push_char(out: &mut String, c: char) {
    if (c as u32) < 0x10000 {
        out.push_str(&format!("\\u{:04X}", c as u32));
    } else {
        out.push(c);
    }
}

/// The model's pattern `pattern` (one of the generated shapes'), compiled once with the model's
/// meaning ([`model_regex`]); `None` for a pattern no generated shape has.
pub fn of_model(pattern: &str) -> Option<&'static Regex> {
    static PATTERNS: OnceLock<Vec<(&'static str, Regex)>> = OnceLock::new();
    PATTERNS
        .get_or_init(|| {
            let mut patterns: Vec<&'static str> = Vec::new();
            for operation in super::generated::OPERATIONS {
                operation.input.each_reachable(&mut |shape| {
                    if let super::service_model::ModelKind::String {
                        pattern: Some(p), ..
                    } = &shape.kind
                        && !patterns.contains(p)
                    {
                        patterns.push(p);
                    }
                });
            }
            patterns.into_iter().map(|p| (p, model_regex(p))).collect()
        })
        .iter()
        .find(|(p, _)| *p == pattern)
        .map(|(_, regex)| regex)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The characters the review saw reach Connect, and one of each kind of category C.
    const CATEGORY_C: &[char] = &[
        '\u{0000}',
        '\u{001F}',
        '\u{007F}',
        '\u{0085}', // Cc
        '\u{00AD}',
        '\u{200B}',
        '\u{202E}',
        '\u{FEFF}',
        '\u{E0001}', // Cf
        '\u{E000}',
        '\u{F8FF}',
        '\u{F0000}', // Co
        '\u{0378}',
        '\u{FFFF}',
        '\u{10FFFF}', // Cn
    ];

    #[test]
    fn category_c_is_refused_and_the_rest_is_taken() {
        for c in CATEGORY_C {
            assert!(
                !has_no_category_c(&format!("report{c}.pdf")),
                "U+{:04X}",
                *c as u32
            );
        }
        for ok in [
            "report.pdf",
            "Überweisung 2026.pdf",
            "申请表.docx",
            "😀 photo.png",
            " ",
            "",
        ] {
            assert!(has_no_category_c(ok), "{ok:?}");
        }
    }

    #[test]
    fn the_schema_pattern_means_the_same() {
        let explicit = Regex::new(no_category_c_schema_pattern()).unwrap();
        assert!(!no_category_c_schema_pattern().contains(r"\p"));
        let samples = (0..0x11_0000u32)
            .step_by(97)
            .filter_map(char::from_u32)
            .chain(CATEGORY_C.iter().copied());
        for c in samples {
            let text = format!("a{c}b");
            assert_eq!(
                explicit.is_match(&text),
                has_no_category_c(&text),
                "U+{:04X}",
                c as u32
            );
        }
    }

    #[test]
    fn java_classes_are_ascii() {
        let digits = model_regex(r"^\d+$");
        assert!(digits.is_match("0123"));
        assert!(
            !digits.is_match("٣"),
            "an Arabic-Indic digit is not Java's \\d"
        );
        // The model's doubled escapes read as the pattern they mean; not anchored at the start.
        let phone = model_regex(r"\\+[1-9]\\d{1,14}$");
        assert!(phone.is_match("+12065550100"));
        assert!(!phone.is_match("+0206"));
    }
}
