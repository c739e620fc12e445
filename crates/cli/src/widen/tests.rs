use super::*;

fn reached(relation: Relation, code: &str, seed: &str) -> Reached {
    Reached {
        relation,
        code: code.to_string(),
        seed: seed.to_string(),
    }
}

#[test]
fn the_closest_relation_decides_and_categories_must_agree() {
    let ways: BTreeSet<Reached> = [
        reached(Relation::Troponym, "111", "criticize"),
        reached(Relation::Synonym, "190", "attack"),
    ]
    .into();
    assert_eq!(agreed(&ways).unwrap().code, "190");
    // Two seeds of one category: the category's own code.
    let ways: BTreeSet<Reached> = [
        reached(Relation::Synonym, "193", "fight"),
        reached(Relation::Synonym, "195", "bomb"),
    ]
    .into();
    assert_eq!(agreed(&ways).unwrap().code, "190");
    // Two categories: no code.
    let ways: BTreeSet<Reached> = [
        reached(Relation::Synonym, "111", "criticize"),
        reached(Relation::Synonym, "190", "attack"),
    ]
    .into();
    assert_eq!(agreed(&ways), None);
}

#[test]
fn words_the_written_patterns_start_are_left_to_them() {
    let row = |code: &str, pattern: &str| ActionRow {
        file: "verbs/verbs.tsv",
        code: code.to_string(),
        pattern: pattern.to_string(),
    };
    let taken = Taken::of(&[row("163", "lift .. sanctions"), row("040", "=talks with")]);
    assert!(taken.has(Pos::Verb, "lift"));
    assert!(taken.has(Pos::Noun, "talks"));
    assert!(
        taken.has(Pos::Noun, "talk"),
        "the plural's singular is taken too"
    );
    assert!(!taken.has(Pos::Verb, "raise"));
    assert!(!plain_words("o'clock") && plain_words("hand over"));
}

/// Debian's `wordnet-base` puts WordNet 3.0 here; CI installs it.
const WORDNET: &str = "/usr/share/wordnet";

fn wordnet() -> WordNet {
    load(Path::new(WORDNET)).unwrap_or_else(|e| {
        panic!("this test needs WordNet 3.0 at {WORDNET} (apt-get install wordnet-base): {e:#}")
    })
}

fn seed(code: &str, pattern: &str) -> ActionRow {
    ActionRow {
        file: SEED_FILE,
        code: code.to_string(),
        pattern: pattern.to_string(),
    }
}

/// Widens with the codebook's names, as `dyad train lexicon` does.
fn widen_with(wordnet: &WordNet, actions: &[ActionRow]) -> Vec<WidenedRow> {
    let dictionaries = Dictionaries::builtin();
    widen(wordnet, actions, |code| {
        dictionaries.cameo(code).map(|c| c.name.clone())
    })
}

fn code_of<'r>(rows: &'r [WidenedRow], pattern: &str) -> Option<&'r str> {
    rows.iter()
        .find(|r| r.pattern == pattern)
        .map(|r| r.code.as_str())
}

#[test]
fn a_seed_lends_its_code_to_synonyms_troponyms_and_act_nouns() {
    let wordnet = wordnet();
    let rows = widen_with(
        &wordnet,
        &[
            seed("180", "attack"),
            seed("190", "fight"),
            seed("150", "mobilize"),
            seed("171", "confiscate"),
            seed("171", "seize"),
        ],
    );
    // attack#1 "launch an attack or assault on" has the troponyms
    // "counterattack" and "strafe", each in its own first sense.
    assert_eq!(code_of(&rows, "counterattack"), Some("180"), "{rows:#?}");
    assert_eq!(code_of(&rows, "strafe"), Some("180"));
    // confiscate#1 {confiscate, impound, attach, sequester, ...}.
    assert_eq!(code_of(&rows, "impound"), Some("171"));
    // mobilize derives "mobilization" (noun.act): an event noun.
    assert_eq!(code_of(&rows, "=mobilization"), Some("150"));
    assert_eq!(code_of(&rows, "=mobilizations"), Some("150"));
    // "injury" comes from "injure" but names a state (noun.state) first.
    let rows = widen_with(&wordnet, &[seed("180", "injure"), seed("180", "attack")]);
    assert_eq!(code_of(&rows, "=injury"), None, "{rows:#?}");
    // Never a seed itself, never a person noun ("attacker").
    assert_eq!(code_of(&rows, "attack"), None);
    assert_eq!(code_of(&rows, "=attacker"), None);
}

#[test]
fn a_word_is_taken_only_in_its_own_most_frequent_sense() {
    let wordnet = wordnet();
    // steal#1 has the troponym {lift, pinch, hook, ...}, but "lift" means
    // stealing only in its seventh sense; its first is raising something.
    let rows = widen_with(&wordnet, &[seed("171", "steal")]);
    assert_eq!(code_of(&rows, "lift"), None, "{rows:#?}");
}

#[test]
fn a_written_pattern_keeps_its_word() {
    let wordnet = wordnet();
    let rows = widen_with(
        &wordnet,
        &[seed("190", "attack"), seed("---", "besiege .. with")],
    );
    assert_eq!(code_of(&rows, "besiege"), None);
}

#[test]
fn a_seeds_sense_is_the_one_its_category_names() {
    let wordnet = wordnet();
    let dictionaries = Dictionaries::builtin();
    let code_name = |code: &str| dictionaries.cameo(code).map(|c| c.name.clone());
    let seeds = [
        seed("174", "deport"),
        seed("174", "expel"),
        seed("192", "occupy"),
        seed("192", "invade"),
    ];
    let refs: Vec<&ActionRow> = seeds.iter().collect();
    let sense_of = |seed: &ActionRow| {
        let category = category_words(seed, &refs, code_name);
        seed_sense(&wordnet, &seed.pattern, &category).map(|s| s.gloss.definition.to_string())
    };
    // deport#1 is to behave; the codebook's "expel or deport" is a sense
    // of sending someone out of a country (#2 or #3).
    let deport = sense_of(&seeds[0]).unwrap();
    assert!(deport.contains("country"), "{deport}");
    // occupy#1 is to keep busy; "occupy territory" is occupy#5, invade's synset.
    let occupy = sense_of(&seeds[2]).unwrap();
    assert!(occupy.contains("territory"), "{occupy}");
}
