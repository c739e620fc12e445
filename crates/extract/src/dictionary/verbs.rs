//! Action patterns: verb phrases and nouns mapped to CAMEO codes.

use std::sync::LazyLock;

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use super::{DictionaryError, cameo::CameoTable, table::Table};
use crate::{
    lexicon::{WordSet, en},
    matcher::{Found, GAP, PhraseMatcher, WILDCARD, pattern_words},
    text::Token,
};

/// Action patterns, verbs stored once under their lemma: an inflected
/// form in the text is looked up through its lemma.
#[derive(Debug, Clone, Default)]
pub(crate) struct Verbs {
    patterns: PhraseMatcher<VerbPattern>,
    lemmas: HashMap<String, String>,
    /// Plural readings of patterns' objects, added after every written
    /// pattern so that a written one with the same words wins.
    plurals: Vec<(Vec<String>, VerbPattern)>,
}

impl Verbs {
    /// Orders the patterns for lookup; call after loading.
    pub fn finish(&mut self) {
        for (words, entry) in std::mem::take(&mut self.plurals) {
            self.patterns.insert(words, entry);
        }
        self.patterns.finish();
    }

    /// Whether `word` is an inflected or base form of a known verb.
    pub fn is_verb_form(&self, word: &str) -> bool {
        self.lemmas.contains_key(word)
    }

    /// Number of patterns.
    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.patterns.len()
    }

    /// The most specific pattern starting at token `start`, found through
    /// the token's lemma ("withdrew" -> "withdraw") or its literal form.
    pub fn longest_at<'s>(
        &'s self,
        tokens: &[Token],
        start: usize,
        mut accept: impl FnMut(&VerbPattern, &[Token]) -> bool,
    ) -> Option<(Found, Vec<&'s VerbPattern>)> {
        let norm = &tokens.get(start)?.norm;
        let by_lemma = self.lemmas.get(norm).and_then(|lemma| {
            self.patterns
                .longest_at_key(lemma, tokens, start, &mut accept)
        });
        let literal = self
            .patterns
            .longest_at_key(norm, tokens, start, &mut accept);
        let best = match (by_lemma, literal) {
            (Some(a), Some(b)) => Some(if b.2 > a.2 { b } else { a }),
            (a, b) => a.or(b),
        };
        best.map(|(found, patterns, _)| (found, patterns))
    }
}

/// The code of a pattern that names no event ("take .. lives", "seize ..
/// opportunity"): it blocks the shorter patterns inside it.
pub(crate) const NO_EVENT: &str = "---";

/// An action pattern and the CAMEO code it stands for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerbPattern {
    /// Id of the pattern, reported as provenance ("verb:pull out of").
    pub id: String,
    /// CAMEO code, or [`NO_EVENT`].
    pub code: String,
    /// Whether the pattern is a noun phrase ("cease-fire") rather than a verb.
    pub nominal: bool,
    /// Whether the act is done to the verb's subject by the actor its
    /// object names ("received a loan from the IMF", "faced criticism
    /// from"): TABARI's target-to-source code, written "<071".
    pub to_subject: bool,
}

impl VerbPattern {
    /// Whether the pattern names no event: the words are no act.
    pub fn names_no_event(&self) -> bool {
        self.code == NO_EVENT
    }
}

/// The simple past and past participles of the irregular verbs but "be".
static IRREGULAR_PAST: LazyLock<HashSet<&'static str>> = LazyLock::new(|| {
    en().entries(WordSet::IrregularVerb)
        .filter(|(base, _)| *base != "be")
        .flat_map(|(_, forms)| forms.split_whitespace())
        .filter(|f| !f.ends_with("ing"))
        .collect()
});

/// Whether `word` (lower case) is the simple past or past participle of a
/// verb: regular "-ed" forms and the irregular ones.
pub(crate) fn is_past_form(word: &str) -> bool {
    (word.len() > 4 && word.ends_with("ed"))
        || IRREGULAR_PAST.contains(word)
        || matches!(word, "was" | "were")
}

pub(crate) fn load(
    table: &Table,
    cameo: &CameoTable,
    verbs: &mut Verbs,
) -> Result<(), DictionaryError> {
    for row in &table.rows {
        let [code, written] = row.cells[..] else {
            unreachable!("checked by header")
        };
        let (to_subject, code) = match code.strip_prefix('<') {
            Some(code) => (true, code),
            None => (false, code),
        };
        if code != NO_EVENT && cameo.get(code).is_none() {
            return Err(table.error(row.line, format!("unknown CAMEO code {code:?}")));
        }
        let Some(patterns) = alternatives(written) else {
            return Err(table.error(row.line, "a '{' without its '}' or a '}' without its '{'"));
        };
        for pattern in &patterns {
            load_pattern(table, row.line, verbs, (code, to_subject), pattern)?;
        }
    }
    Ok(())
}

/// A written pattern with its alternatives spelt out: each group of
/// words in braces, "|" between the choices, is each choice in turn
/// ("{halt|cut off} .. {trade|aid}" is four patterns). None when a
/// brace is unmatched.
pub(super) fn alternatives(written: &str) -> Option<Vec<String>> {
    let Some(open) = written.find('{') else {
        return (!written.contains('}')).then(|| vec![written.to_string()]);
    };
    if written[..open].contains('}') {
        return None;
    }
    let close = open + written[open..].find('}')?;
    let rest = alternatives(&written[close + 1..])?;
    let choices = written[open + 1..close].split('|').map(str::trim);
    Some(
        choices
            .flat_map(|choice| {
                rest.iter()
                    .map(move |tail| format!("{}{choice}{tail}", &written[..open]))
            })
            .collect(),
    )
}

fn load_pattern(
    table: &Table,
    line: usize,
    verbs: &mut Verbs,
    (code, to_subject): (&str, bool),
    pattern: &str,
) -> Result<(), DictionaryError> {
    let (nominal, phrase) = match pattern.strip_prefix('=') {
        Some(p) => (true, p),
        None => (false, pattern),
    };
    let words = pattern_words(phrase);
    if words.is_empty() || words[0] == WILDCARD || words[0] == GAP {
        return Err(table.error(line, "a pattern must start with a word"));
    }
    let entry = VerbPattern {
        id: format!("verb:{pattern}"),
        code: code.to_string(),
        nominal,
        to_subject,
    };
    if !nominal {
        for form in verb_forms(&words[0]) {
            verbs.lemmas.entry(form).or_insert_with(|| words[0].clone());
        }
    }
    // "recall .. ambassador" also reads "recalled its ambassadors": the
    // object noun that ends a verb pattern in its plural too, as TABARI
    // read Phoenix's patterns (a word is a stem). Not for mass violence
    // (20): "killed four civilians" is no mass killing (CAMEO 202).
    let object = words
        .last()
        .filter(|_| words.len() > 1 && !nominal && !code.starts_with("20"))
        .filter(|w| w.chars().all(char::is_alphabetic))
        .filter(|w| !en().has(WordSet::Preposition, w) && !en().has(WordSet::FunctionWord, w));
    if let Some(plural) = object.and_then(|w| super::actors::noun_forms(w).into_iter().nth(1)) {
        let mut plural_words = words.clone();
        *plural_words.last_mut().expect("a pattern has words") = plural;
        verbs.plurals.push((plural_words, entry.clone()));
    }
    verbs.patterns.insert(words, entry);
    Ok(())
}

/// All forms of a verb: base, third person, past, participles.
pub(crate) fn verb_forms(base: &str) -> Vec<String> {
    let mut forms = vec![base.to_string()];
    if let Some(irregular) = en().value(WordSet::IrregularVerb, base) {
        forms.extend(irregular.split_whitespace().map(str::to_string));
        forms.push(third_person(base));
        forms.push(present_participle(base));
        // "cut" -> "cutting", "begin" -> "beginning".
        if let Some(doubled) = doubled_stem(base) {
            forms.push(format!("{doubled}ing"));
        }
    } else {
        forms.push(third_person(base));
        forms.extend(past(base));
        forms.push(present_participle(base));
        if let Some(doubled) = doubled_stem(base) {
            forms.push(format!("{doubled}ed"));
            forms.push(format!("{doubled}ing"));
        }
    }
    forms.sort();
    forms.dedup();
    forms
}

fn is_vowel(c: char) -> bool {
    matches!(c, 'a' | 'e' | 'i' | 'o' | 'u')
}

fn third_person(base: &str) -> String {
    if base.ends_with(['s', 'x', 'z'])
        || base.ends_with("ch")
        || base.ends_with("sh")
        || base == "go"
    {
        format!("{base}es")
    } else if let Some(stem) = base.strip_suffix('y').filter(|s| !s.ends_with(is_vowel)) {
        format!("{stem}ies")
    } else {
        format!("{base}s")
    }
}

fn past(base: &str) -> Vec<String> {
    if base.ends_with('e') {
        vec![format!("{base}d")]
    } else if let Some(stem) = base.strip_suffix('y').filter(|s| !s.ends_with(is_vowel)) {
        vec![format!("{stem}ied")]
    } else {
        vec![format!("{base}ed")]
    }
}

fn present_participle(base: &str) -> String {
    if let Some(stem) = base.strip_suffix("ie") {
        format!("{stem}ying")
    } else if base.ends_with("ee") || base.ends_with("ye") || base.ends_with("oe") {
        format!("{base}ing")
    } else if let Some(stem) = base.strip_suffix('e') {
        format!("{stem}ing")
    } else {
        format!("{base}ing")
    }
}

/// "ban" -> "bann": a final consonant-vowel-consonant may double.
fn doubled_stem(base: &str) -> Option<String> {
    let chars: Vec<char> = base.chars().collect();
    let n = chars.len();
    if n < 3 {
        return None;
    }
    let (a, b, c) = (chars[n - 3], chars[n - 2], chars[n - 1]);
    (!is_vowel(a) && is_vowel(b) && !is_vowel(c) && !matches!(c, 'w' | 'x' | 'y'))
        .then(|| format!("{base}{c}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn braces_spell_out_each_choice() {
        assert_eq!(
            alternatives("{halt|cut off} .. {trade|aid}").unwrap(),
            [
                "halt .. trade",
                "halt .. aid",
                "cut off .. trade",
                "cut off .. aid"
            ]
        );
        assert_eq!(
            alternatives("expel .. diplomats").unwrap(),
            ["expel .. diplomats"]
        );
        assert!(alternatives("{halt .. trade").is_none());
        assert!(alternatives("halt} .. trade").is_none());
        assert!(alternatives("halt} .. {trade|aid}").is_none());
    }

    #[test]
    fn a_written_pattern_wins_over_another_patterns_plural() {
        // Phoenix writes "lift .. sanction" (0351) and "lift .. sanctions"
        // (085): the plural read into the first must not shadow the second.
        let table = Table::parse(
            "t.tsv",
            "code\tpattern\n0351\tlift .. sanction\n085\tlift .. sanctions\n",
        )
        .unwrap();
        let cameo =
            CameoTable::parse("c.tsv", include_str!("../../data/cameo/eventcodes.tsv")).unwrap();
        let mut verbs = Verbs::default();
        load(&table, &cameo, &mut verbs).unwrap();
        verbs.finish();
        let text = "lifted the sanctions";
        let mut tokens = crate::text::tokenize(text, 0..text.len());
        for t in &mut tokens {
            t.pos = crate::tagger::Upos::Verb;
        }
        let (_, found) = verbs.longest_at(&tokens, 0, |_, _| true).unwrap();
        assert_eq!(found[0].code, "085");
    }

    #[test]
    fn inflects_regular_and_irregular_verbs() {
        let forms = verb_forms("agree");
        for f in ["agree", "agrees", "agreed", "agreeing"] {
            assert!(forms.contains(&f.to_string()), "{f} in {forms:?}");
        }
        let forms = verb_forms("withdraw");
        for f in ["withdrew", "withdrawn", "withdrawing", "withdraws"] {
            assert!(forms.contains(&f.to_string()), "{f} in {forms:?}");
        }
        assert!(verb_forms("ban").contains(&"banned".to_string()));
        assert!(verb_forms("cut").contains(&"cutting".to_string()));
        assert!(verb_forms("hit").contains(&"hitting".to_string()));
        assert!(verb_forms("deny").contains(&"denied".to_string()));
        assert!(verb_forms("vacate").contains(&"vacating".to_string()));
        assert!(verb_forms("criticize").contains(&"criticized".to_string()));
    }
}
