//! `dyad train lexicon`: widens the coder's action patterns through
//! WordNet 3.0's lexical relations and writes them as a dictionary file.
//!
//! Each seed is a single-verb pattern written for the coder
//! (`verbs/verbs.tsv`: "attack" 190). Its sense is the one whose gloss,
//! words and hypernyms share most words with its CAMEO category (the
//! code's and root's names in the codebook, the category's other seed
//! verbs: a simplified Lesk, 1986); ties go to the more frequent sense.
//! That sense lends its code to
//! - the other verbs of that synset (synonyms: "assail"),
//! - the verbs of the synsets directly below it (troponyms, manners of
//!   the act: "ambush"),
//! - the act nouns derived from the seed in that sense ("invade" ->
//!   "invasion"), which the coder reads as event nouns with their own
//!   arguments.
//!
//! A word is taken only in the sense that is its own most frequent one,
//! so a rare sense never lends a common word a code ("lift" is no
//! theft), and a verb only if it is no more often a noun or adjective
//! ("gas"). A word that any written or Phoenix pattern already starts with
//! is left to those patterns, and a word two seeds of different
//! categories reach is left out.

use std::{
    collections::{BTreeMap, BTreeSet, HashSet},
    path::{Path, PathBuf},
    process::ExitCode,
};

use anyhow::Context;
use dyad_extract::{
    Dictionaries,
    dictionary::{ActionRow, builtin_actions, noun_forms},
};
use wordnet_db::WordNet;
use wordnet_types::{Pos, Synset, SynsetId};

use sense::{category_words, seed_sense};

/// Arguments of `dyad train lexicon`.
#[derive(clap::Args)]
pub struct LexiconArgs {
    /// WordNet 3.0's database directory (Debian's `wordnet-base`).
    #[arg(long, default_value = "/usr/share/wordnet")]
    wordnet: PathBuf,
    /// Where to write the patterns (crates/extract/data/verbs/wordnet.tsv).
    #[arg(long)]
    out: PathBuf,
}

/// The seed file: the coder's own verb list, written after the codebook.
const SEED_FILE: &str = "verbs/verbs.tsv";

/// WordNet's lexicographer file of nouns that name an act (noun.act):
/// "invasion", "deployment"; not "invader" (noun.person), "injury"
/// (noun.state) or "comment" (noun.communication, mostly what is said
/// rather than the act of saying it).
const ACT_NOUNS: u8 = 4;

/// How a word was reached from its seed, closest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Relation {
    Synonym,
    Troponym,
    DerivedNoun,
}

impl Relation {
    fn describe(self) -> &'static str {
        match self {
            Relation::Synonym => "synonym",
            Relation::Troponym => "troponym",
            Relation::DerivedNoun => "noun",
        }
    }
}

/// A word reached from a seed.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Reached {
    relation: Relation,
    code: String,
    seed: String,
}

/// Runs `dyad train lexicon`.
pub fn run(args: LexiconArgs) -> anyhow::Result<ExitCode> {
    let wordnet = load(&args.wordnet)?;
    let dictionaries = Dictionaries::builtin();
    let code_name = |code: &str| dictionaries.cameo(code).map(|c| c.name.clone());
    let rows = widen(&wordnet, &builtin_actions(), code_name);
    let verbs = rows.iter().filter(|r| !r.pattern.starts_with('=')).count();
    std::fs::write(&args.out, render(&rows))
        .with_context(|| format!("writing {}", args.out.display()))?;
    eprintln!(
        "wrote {} patterns ({verbs} verbs, {} noun forms) to {}",
        rows.len(),
        rows.len() - verbs,
        args.out.display()
    );
    Ok(ExitCode::SUCCESS)
}

fn load(dir: &Path) -> anyhow::Result<WordNet> {
    WordNet::load(dir).with_context(|| {
        format!(
            "reading WordNet from {} (on Debian: apt-get install wordnet-base)",
            dir.display()
        )
    })
}

/// One pattern of the widened file, with where it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
struct WidenedRow {
    code: String,
    pattern: String,
    reached: Reached,
}

/// The patterns WordNet adds to `actions`, sorted by code and pattern.
fn widen(
    wordnet: &WordNet,
    actions: &[ActionRow],
    code_name: impl Fn(&str) -> Option<String>,
) -> Vec<WidenedRow> {
    let taken = Taken::of(actions);
    let seeds: Vec<&ActionRow> = actions.iter().filter(|a| is_seed(a)).collect();
    // Keyed by WordNet's part-of-speech letter ('v', 'n') and the word.
    let mut reached: BTreeMap<(char, String), BTreeSet<Reached>> = BTreeMap::new();
    let mut senses = Vec::new();
    for seed in &seeds {
        let category = category_words(seed, &seeds, &code_name);
        if let Some(sense) = seed_sense(wordnet, &seed.pattern, &category) {
            senses.push((*seed, sense));
        }
    }
    for (seed, sense) in &senses {
        let mut reach = |pos: Pos, word: &str, relation: Relation| {
            reached
                .entry((pos.to_char(), word.to_string()))
                .or_default()
                .insert(Reached {
                    relation,
                    code: seed.code.clone(),
                    seed: seed.pattern.clone(),
                });
        };
        for word in &sense.words {
            reach(Pos::Verb, word.text, Relation::Synonym);
        }
        for pointer in sense.pointers.iter().filter(|p| p.symbol == "~") {
            for word in wordnet
                .get_synset(pointer.target)
                .iter()
                .flat_map(|s| &s.words)
            {
                reach(Pos::Verb, word.text, Relation::Troponym);
            }
        }
        let seed_word = sense
            .words
            .iter()
            .position(|w| w.text.eq_ignore_ascii_case(&seed.pattern))
            .map(|i| i as u16 + 1);
        let derived = sense
            .pointers
            .iter()
            .filter(|p| p.symbol == "+" && p.target.pos == Pos::Noun && p.src_word == seed_word);
        for pointer in derived {
            let Some(noun) = wordnet.get_synset(pointer.target) else {
                continue;
            };
            let word = pointer
                .dst_word
                .and_then(|i| noun.words.get(usize::from(i).checked_sub(1)?));
            // A noun spelt as its verb ("finance", "blame") is the verb's
            // business: the nominalisations ("invasion") are the new words.
            if let Some(word) = word
                && noun.lex_filenum == ACT_NOUNS
                && !word.text.eq_ignore_ascii_case(&seed.pattern)
            {
                reach(Pos::Noun, word.text, Relation::DerivedNoun);
            }
        }
    }
    let mut rows = Vec::new();
    for ((letter, word), ways) in reached {
        let pos = Pos::from_char(letter).expect("a letter of Pos::to_char");
        let phrase = word.replace('_', " ").to_lowercase();
        if !plain_words(&phrase) || taken.has(pos, &phrase) {
            continue;
        }
        let Some(best) = agreed(&ways) else {
            continue;
        };
        if !dominant_sense(wordnet, pos, &word, &ways, best.relation, &senses)
            || (pos == Pos::Verb && !mostly_verb(wordnet, &word))
        {
            continue;
        }
        match pos {
            Pos::Noun => rows.extend(noun_forms(&phrase).into_iter().map(|form| WidenedRow {
                code: best.code.clone(),
                pattern: format!("={form}"),
                reached: best.clone(),
            })),
            _ => rows.push(WidenedRow {
                code: best.code.clone(),
                pattern: phrase,
                reached: best,
            }),
        }
    }
    rows.sort_by(|a, b| (&a.code, &a.pattern).cmp(&(&b.code, &b.pattern)));
    rows.dedup_by(|a, b| a.pattern == b.pattern);
    rows
}

/// A seed: a single verb written for the coder, naming an event done by
/// the subject (not a "<" code, not "---").
fn is_seed(action: &ActionRow) -> bool {
    action.file == SEED_FILE
        && !action.pattern.contains(' ')
        && !action.pattern.starts_with('=')
        && action.code.chars().all(|c| c.is_ascii_digit())
}

/// The word's most frequent sense (WordNet lists senses by frequency).
fn first_sense<'w>(wordnet: &'w WordNet, pos: Pos, word: &str) -> Option<Synset<'w>> {
    let entry = wordnet.index_entry(pos, word)?;
    let offset = *entry.synset_offsets.first()?;
    wordnet.get_synset(SynsetId { pos, offset })
}

/// Whether the sense the word was reached in is its own most frequent
/// one: the synset of the seed it is a synonym of, the troponym's own
/// synset, the derived noun's synset.
fn dominant_sense(
    wordnet: &WordNet,
    pos: Pos,
    word: &str,
    ways: &BTreeSet<Reached>,
    relation: Relation,
    senses: &[(&ActionRow, Synset<'_>)],
) -> bool {
    let Some(first) = first_sense(wordnet, pos, word) else {
        return false;
    };
    ways.iter().filter(|r| r.relation == relation).any(|r| {
        let Some((_, seed)) = senses.iter().find(|(s, _)| s.pattern == r.seed) else {
            return false;
        };
        match relation {
            Relation::Synonym => first.id == seed.id,
            Relation::Troponym => seed
                .pointers
                .iter()
                .any(|p| p.symbol == "~" && p.target == first.id),
            // "injury" is derived from "injure", but names a state first.
            Relation::DerivedNoun => {
                first.lex_filenum == ACT_NOUNS
                    && seed
                        .pointers
                        .iter()
                        .any(|p| p.symbol == "+" && p.target == first.id)
            }
        }
    })
}

/// Whether the word has at least as many senses seen in WordNet's tagged
/// corpus (SemCor) as a verb as it has as a noun or adjective: "gas" and
/// "action" are nouns first, whatever verb senses they have.
fn mostly_verb(wordnet: &WordNet, word: &str) -> bool {
    let tagged = |pos| wordnet.index_entry(pos, word).map_or(0, |e| e.tagsense_cnt);
    let verb = tagged(Pos::Verb);
    verb >= tagged(Pos::Noun) && verb >= tagged(Pos::Adj)
}

/// The closest way a word was reached, when every seed reaching it that
/// closely agrees on the code; seeds of one CAMEO category that disagree
/// on the detail give the category's own code ("190").
fn agreed(ways: &BTreeSet<Reached>) -> Option<Reached> {
    let closest = ways.iter().map(|r| r.relation).min()?;
    let mut near = ways.iter().filter(|r| r.relation == closest);
    let first = near.next()?.clone();
    let mut code = first.code.clone();
    for other in near {
        if other.code == code {
            continue;
        }
        if other.code.get(..2) != code.get(..2) {
            return None;
        }
        code = format!("{}0", &code[..2]);
    }
    Some(Reached { code, ..first })
}

/// Lower-case letters, hyphens and spaces only (no "'s", no digits).
fn plain_words(phrase: &str) -> bool {
    phrase
        .chars()
        .all(|c| c.is_ascii_lowercase() || c == '-' || c == ' ')
}

/// The words the written and Phoenix patterns already decide about.
struct Taken {
    /// The first words of verb patterns ("lift" of "lift .. sanctions").
    verbs: HashSet<String>,
    /// The first words of noun patterns ("talks" of "=talks with").
    nouns: HashSet<String>,
}

impl Taken {
    fn of(actions: &[ActionRow]) -> Self {
        let first = |p: &str| p.split_whitespace().next().unwrap_or_default().to_string();
        let (nouns, verbs): (Vec<&ActionRow>, Vec<&ActionRow>) =
            actions.iter().partition(|a| a.pattern.starts_with('='));
        Self {
            verbs: verbs.iter().map(|a| first(&a.pattern)).collect(),
            nouns: nouns.iter().map(|a| first(&a.pattern[1..])).collect(),
        }
    }

    /// Whether a pattern decides about the phrase's first word.
    fn has(&self, pos: Pos, phrase: &str) -> bool {
        let first = phrase.split_whitespace().next().unwrap_or_default();
        match pos {
            Pos::Noun => noun_forms(first).iter().any(|f| self.nouns.contains(f)),
            _ => self.verbs.contains(first),
        }
    }
}

/// The dictionary file: its provenance, then the patterns, each under a
/// comment that names the seed and relation it came by.
fn render(rows: &[WidenedRow]) -> String {
    let mut out = String::from(
        "# Action patterns derived from Princeton WordNet 3.0 (WordNet 3.0 Copyright 2006 by\n\
         # Princeton University; licence in NOTICE) by `dyad train lexicon` from the verbs of\n\
         # verbs/verbs.tsv: the synonyms and troponyms of each verb's most frequent sense and the\n\
         # act nouns derived from it, each only where that sense is the word's own most frequent\n\
         # one. Generated: do not edit; widen the seeds instead. Loaded after every other pattern\n\
         # file, so a written pattern with the same words wins.\n\
         code\tpattern\n",
    );
    for row in rows {
        out.push_str(&format!(
            "# {} of {}\n{}\t{}\n",
            row.reached.relation.describe(),
            row.reached.seed,
            row.code,
            row.pattern
        ));
    }
    out
}

mod sense;
#[cfg(test)]
mod tests;
