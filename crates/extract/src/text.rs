//! Text handling: character normalisation, sentence splitting and
//! tokenisation, all keeping offsets into the original text.

use std::ops::Range;

use crate::{
    lexicon::{WordSet, en},
    tagger::Upos,
};

/// Maps typographic variants to their plain forms, one character to one
/// character, so that offsets stay valid: curly quotes, dashes, non-breaking
/// and other Unicode spaces.
pub fn normalize_char(c: char) -> char {
    match c {
        '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{2032}' | '`' => '\'',
        '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{2033}' | '«' | '»' => '"',
        '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}' | '\u{2014}' | '\u{2015}'
        | '\u{2212}' => '-',
        '\u{00A0}' | '\u{2000}'..='\u{200A}' | '\u{202F}' | '\u{205F}' | '\u{3000}' => ' ',
        c => c,
    }
}

/// A sentence of a text: its byte range in the original text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SentenceSpan {
    /// Byte range in the original text, trimmed of surrounding whitespace.
    pub bytes: Range<usize>,
}

/// Splits `text` into sentences. Newlines end sentences (headlines, captions
/// and paragraphs stand alone), except in hard-wrapped text (newswire
/// wrapped at a fixed width), where only blank lines, indented lines and
/// the ends of headlines (lines in capitals) do;
/// so do `.`, `!` and `?` followed by space and
/// a capital, digit or quote, except after abbreviations ("Mr.", "Nov."),
/// initials ("J.") and dotted acronyms ("U.S."). Runs in linear time.
pub fn split_sentences(text: &str) -> Vec<SentenceSpan> {
    let mut spans = Vec::new();
    let mut start = 0;
    let bytes = text.as_bytes();
    let wrapped = is_hard_wrapped(text);
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let end_here = match b {
            b'\n' | b'\r' if !wrapped || paragraph_break(bytes, i) || beside_headline(text, i) => {
                Some(i)
            }
            b'.' | b'!' | b'?' => {
                let mut j = i + 1;
                while j < bytes.len() && matches!(bytes[j], b'"' | b'\'' | b')' | b']') {
                    j += 1;
                }
                // Closing curly quotes are multi-byte; include them in the sentence.
                while let Some(c) = text[j..]
                    .chars()
                    .next()
                    .filter(|c| matches!(c, '\u{201D}' | '\u{2019}'))
                {
                    j += c.len_utf8();
                }
                if followed_by_sentence_start(text, j) && !(b == b'.' && is_abbreviation(text, i)) {
                    Some(j)
                } else {
                    None
                }
            }
            _ => None,
        };
        if let Some(end) = end_here {
            push_trimmed(text, start..end, &mut spans);
            start = end;
            i = end.max(i + 1);
            continue;
        }
        i += 1;
    }
    push_trimmed(text, start..text.len(), &mut spans);
    spans
}

/// Whether the first of `sentences` is a headline: a line of its own
/// without a sentence's final punctuation, with the story after it.
pub fn is_headline(text: &str, sentences: &[SentenceSpan]) -> bool {
    let [first, _, ..] = sentences else {
        return false;
    };
    let gap: String = text[first.bytes.end..]
        .chars()
        .take_while(|c| c.is_whitespace())
        .collect();
    let line = &text[first.bytes.clone()];
    // Set off by a blank line, or in title case ("Turkey Threatens US With
    // Retaliation", "IRAN REPORTS HEAVY FIGHTING"): not a sentence wrapped
    // onto the next line ("Russia condemned Ukraine\non Tuesday.").
    let set_off = gap.matches('\n').count() >= 2;
    let title_case = line
        .split_whitespace()
        .filter(|w| w.chars().count() >= 4)
        .all(|w| w.starts_with(char::is_uppercase));
    gap.contains('\n')
        && (set_off || title_case)
        && !matches!(
            line.chars().next_back(),
            Some('.' | '!' | '?' | '"' | '\'' | '\u{201D}' | ':' | ',')
        )
}

/// Whether the text is wrapped at a fixed width: many of its line breaks
/// fall inside sentences (the next line starts in lower case).
fn is_hard_wrapped(text: &str) -> bool {
    let bytes = text.as_bytes();
    let (mut breaks, mut inside) = (0usize, 0usize);
    for (i, &b) in bytes.iter().enumerate() {
        if b == b'\n' {
            breaks += 1;
            if bytes.get(i + 1).is_some_and(u8::is_ascii_lowercase) {
                inside += 1;
            }
        }
    }
    breaks >= 4 && inside * 5 >= breaks
}

/// Whether the line break at `i` ends or starts a headline: a line whose
/// letters are all capitals ("IRAN REPORTS HEAVY FIGHTING").
fn beside_headline(text: &str, i: usize) -> bool {
    let before = &text[..i];
    let line_before = &before[before.rfind('\n').map_or(0, |p| p + 1)..];
    let after = &text[i + 1..];
    let line_after = &after[..after.find('\n').unwrap_or(after.len())];
    headline(line_before) || headline(line_after)
}

fn headline(line: &str) -> bool {
    let mut letters = line.chars().filter(|c| c.is_alphabetic());
    letters.clone().count() >= 8 && letters.all(char::is_uppercase)
}

/// In hard-wrapped text, a line break at `i` ends a paragraph when a blank
/// or indented line follows.
fn paragraph_break(bytes: &[u8], i: usize) -> bool {
    matches!(bytes.get(i + 1), None | Some(b'\n' | b'\r' | b' ' | b'\t'))
}

fn followed_by_sentence_start(text: &str, at: usize) -> bool {
    let rest = &text[at..];
    let mut chars = rest.chars();
    match chars.next() {
        None => true,
        Some(c) if c.is_whitespace() => {
            let next = rest.trim_start().chars().next();
            match next {
                None => true,
                Some(n) => {
                    n.is_uppercase()
                        || n.is_ascii_digit()
                        || matches!(n, '"' | '\'' | '\u{201C}' | '\u{2018}' | '(')
                }
            }
        }
        Some(_) => false,
    }
}

/// Whether the period at byte `dot` closes an abbreviation, an initial or a
/// dotted acronym rather than a sentence.
fn is_abbreviation(text: &str, dot: usize) -> bool {
    let before = &text[..dot];
    let word_start = before
        .char_indices()
        .rev()
        .find(|(_, c)| !(c.is_alphanumeric() || *c == '.'))
        .map_or(0, |(i, c)| i + c.len_utf8());
    let word = &before[word_start..];
    if word.is_empty() {
        return false;
    }
    if word.contains('.') {
        return true; // U.S, U.N, a.m
    }
    let mut chars = word.chars();
    let single_capital =
        matches!((chars.next(), chars.next()), (Some(c), None) if c.is_uppercase());
    single_capital || en().has(WordSet::Abbreviation, &word.to_ascii_lowercase())
}

/// Longest sentence, in bytes: a longer run of text without a sentence end
/// (a table, a list, garbage) is cut at spaces into pieces of at most this
/// size, so that no "sentence" is copied into thousands of events.
pub const MAX_SENTENCE_BYTES: usize = 2_000;

fn push_trimmed(text: &str, range: Range<usize>, spans: &mut Vec<SentenceSpan>) {
    let slice = &text[range.clone()];
    let lead = slice.len() - slice.trim_start().len();
    let trail = slice.len() - slice.trim_end().len();
    if lead + trail >= slice.len() {
        return;
    }
    let (mut start, end) = (range.start + lead, range.end - trail);
    while end - start > MAX_SENTENCE_BYTES {
        let mut cut = start + MAX_SENTENCE_BYTES;
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        let piece = &text[start..cut];
        let at_space = piece
            .rfind(char::is_whitespace)
            .filter(|&i| i > 0)
            .map_or(cut, |i| start + i);
        spans.push(SentenceSpan {
            bytes: start..at_space,
        });
        start = at_space;
        while start < end && text[start..].starts_with(char::is_whitespace) {
            start += text[start..].chars().next().map_or(1, char::len_utf8);
        }
    }
    if start < end {
        spans.push(SentenceSpan { bytes: start..end });
    }
}

/// A token: a word, a number, an abbreviation ("u.s."), the possessive
/// "'s", or one punctuation character.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    /// Lower-cased, normalised form used for matching.
    pub norm: String,
    /// Byte range in the original text.
    pub bytes: Range<usize>,
    /// Whether the token's first character is upper case in the text.
    pub capitalized: bool,
    /// Whether every letter of the token is upper case (acronyms: "WHO").
    pub all_caps: bool,
    /// Part of speech, set by the tagging stage ([`Upos::X`] until then).
    pub pos: Upos,
}

/// Splits `text[range]` into tokens. Letters and digits form words; a dot
/// between single letters keeps an acronym whole ("U.S."); "'s" after a word
/// is a token of its own; every other non-space character is a token.
pub fn tokenize(text: &str, range: Range<usize>) -> Vec<Token> {
    let mut tokens = Vec::new();
    let slice = &text[range.clone()];
    let chars: Vec<(usize, char)> = slice
        .char_indices()
        .map(|(i, c)| (i + range.start, normalize_char(c)))
        .collect();
    let end_of = |k: usize| chars.get(k).map_or(range.end, |(i, _)| *i);
    let mut k = 0;
    while k < chars.len() {
        let (start, c) = chars[k];
        if c.is_whitespace() {
            k += 1;
            continue;
        }
        let mut j = k;
        if c.is_alphanumeric() {
            while j < chars.len() && chars[j].1.is_alphanumeric() {
                j += 1;
            }
            // A number's group separators and decimal point stay inside it
            // ("25,000", "3.5"), as the treebank tokenises numbers.
            while c.is_ascii_digit()
                && chars.get(j).is_some_and(|(_, c)| matches!(c, ',' | '.'))
                && chars.get(j + 1).is_some_and(|(_, c)| c.is_ascii_digit())
            {
                j += 1;
                while j < chars.len() && chars[j].1.is_alphanumeric() {
                    j += 1;
                }
            }
            // Dotted acronym: single letters each followed by a dot ("U.S.").
            if j == k + 1 && chars.get(j).is_some_and(|(_, c)| *c == '.') {
                let mut m = j;
                while m + 1 < chars.len()
                    && chars[m].1 == '.'
                    && chars[m + 1].1.is_alphabetic()
                    && chars.get(m + 2).is_none_or(|(_, c)| !c.is_alphanumeric())
                {
                    m += 2;
                }
                if m > j && chars.get(m).is_some_and(|(_, c)| *c == '.') {
                    j = m + 1;
                }
            }
        } else if c == '\''
            && chars
                .get(k + 1)
                .is_some_and(|(_, c)| matches!(c, 's' | 'S'))
            && chars.get(k + 2).is_none_or(|(_, c)| !c.is_alphanumeric())
            && k > 0
            && chars[k - 1].1.is_alphanumeric()
        {
            j = k + 2;
        } else {
            j = k + 1;
        }
        let bytes = start..end_of(j);
        let raw = || chars[k..j].iter().map(|&(_, c)| c);
        let mut letters = raw().filter(|c| c.is_alphabetic()).peekable();
        let mut norm: String = raw().collect();
        if norm.is_ascii() {
            norm.make_ascii_lowercase();
        } else {
            // Unicode lower-casing looks at context (a final sigma).
            norm = norm.to_lowercase();
        }
        tokens.push(Token {
            capitalized: c.is_uppercase(),
            all_caps: letters.peek().is_some() && letters.all(char::is_uppercase),
            norm,
            bytes,
            pos: Upos::X,
        });
        k = j;
    }
    tokens
}

/// Tokenises a dictionary phrase the same way as text, returning the
/// normalised words.
pub fn phrase_words(phrase: &str) -> Vec<String> {
    // Fast path for the common case, plain words: the same tokens, cheaper.
    if phrase
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b' ')
    {
        return phrase
            .split_whitespace()
            .map(str::to_ascii_lowercase)
            .collect();
    }
    tokenize(phrase, 0..phrase.len())
        .into_iter()
        .map(|t| t.norm)
        .collect()
}

/// Converts a byte offset into `text` to a count of Unicode code points.
pub fn char_offset(text: &str, byte: usize) -> usize {
    text[..byte].chars().count()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sentences(text: &str) -> Vec<&str> {
        split_sentences(text)
            .into_iter()
            .map(|s| &text[s.bytes])
            .collect()
    }

    #[test]
    fn splits_sentences_but_not_abbreviations() {
        let text = "Mr. Peskov met U.S. officials on Nov. 21. They talked.\nA caption here";
        assert_eq!(
            sentences(text),
            vec![
                "Mr. Peskov met U.S. officials on Nov. 21.",
                "They talked.",
                "A caption here"
            ]
        );
    }

    #[test]
    fn joins_hard_wrapped_lines() {
        let text = "Showers continued throughout the week in\nthe Bahia cocoa zone, alleviating the drought since early\nJanuary and improving prospects for the coming\ntemporao, Comissaria Smith said.\n    The dry period means the temporao will be late.\n";
        assert_eq!(sentences(text).len(), 2);
        assert!(sentences(text)[0].contains("early\nJanuary"));
    }

    #[test]
    fn a_headline_in_capitals_stands_alone_in_wrapped_text() {
        let text = "TALKS OPEN IN GENEVA ON ARMS\nThe two delegations met on Monday\nin Geneva and agreed to meet\nagain on Tuesday, officials said\nafter the first session ended.\n";
        let found = sentences(text);
        assert_eq!(found[0], "TALKS OPEN IN GENEVA ON ARMS");
        assert!(found[1].starts_with("The two delegations"));
    }

    #[test]
    fn tells_a_headline_from_a_first_sentence() {
        let headline = "Turkey Threatens US With Retaliation\n\nTurkey warned on Monday.";
        assert!(is_headline(headline, &split_sentences(headline)));
        let lead = "Turkey warned the US on Monday.\nIt said more.";
        assert!(!is_headline(lead, &split_sentences(lead)));
        let wrapped = "Russia condemned Ukraine\non Tuesday.";
        assert!(!is_headline(wrapped, &split_sentences(wrapped)));
        let alone = "Turkey Threatens US";
        assert!(!is_headline(alone, &split_sentences(alone)));
    }

    #[test]
    fn cuts_overlong_runs_at_spaces() {
        let text = "word ".repeat(1_000);
        let pieces = split_sentences(&text);
        assert!(pieces.len() >= 3);
        for piece in &pieces {
            assert!(piece.bytes.len() <= MAX_SENTENCE_BYTES);
            assert!(text[piece.bytes.clone()].starts_with("word"));
        }
    }

    #[test]
    fn keeps_quotes_with_their_sentence() {
        let text = "\u{201C}We agree.\u{201D} He left. J. Smith stayed.";
        assert_eq!(
            sentences(text),
            vec!["\u{201C}We agree.\u{201D}", "He left.", "J. Smith stayed."]
        );
    }

    /// The normalised words of `text`'s tokens.
    fn norms(text: &str) -> Vec<String> {
        tokenize(text, 0..text.len())
            .into_iter()
            .map(|t| t.norm)
            .collect()
    }

    #[test]
    fn tokenizes_acronyms_possessives_and_hyphens() {
        assert_eq!(
            norms("Armenia\u{2019}s U.S.-backed cease-fire"),
            vec!["armenia", "'s", "u.s.", "-", "backed", "cease", "-", "fire"]
        );
    }

    #[test]
    fn keeps_numbers_whole_but_not_lists_or_dates() {
        assert_eq!(
            norms("25,000 tons, 3.5 km, 1, 2 and March 3, 1987."),
            vec![
                "25,000", "tons", ",", "3.5", "km", ",", "1", ",", "2", "and", "march", "3", ",",
                "1987", "."
            ]
        );
    }

    #[test]
    fn token_offsets_point_into_the_original_text() {
        let text = "Yerevan\u{2019}s airport";
        let tokens = tokenize(text, 0..text.len());
        assert_eq!(&text[tokens[1].bytes.clone()], "\u{2019}s");
        assert_eq!(&text[tokens[2].bytes.clone()], "airport");
    }
}
