use super::*;
use crate::tagger::Tagger;

fn parse(text: &str) -> (Vec<&str>, Vec<Dependency>) {
    let words: Vec<&str> = text.split(' ').collect();
    let tags = Tagger::builtin().tag(&words);
    let parsed = Parser::builtin().parse(&words, &tags);
    (words, parsed)
}

fn dependent<'w>(
    words: &[&'w str],
    parsed: &[Dependency],
    head: &str,
    relation: Relation,
) -> Option<&'w str> {
    let h = words.iter().position(|w| *w == head)?;
    parsed
        .iter()
        .position(|d| d.head == Some(h) && d.relation == relation)
        .map(|i| words[i])
}

#[test]
fn finds_the_subject_and_object_of_a_verb() {
    let (words, parsed) = parse("Iranian gunboats attacked a Kuwaiti tanker on Monday .");
    let verb = words.iter().position(|w| *w == "attacked").unwrap();
    assert_eq!(parsed[verb].head, None);
    assert_eq!(parsed[verb].relation, Relation::Root);
    assert_eq!(
        dependent(&words, &parsed, "attacked", Relation::Nsubj),
        Some("gunboats")
    );
    assert_eq!(
        dependent(&words, &parsed, "attacked", Relation::Obj),
        Some("tanker")
    );
}

#[test]
fn a_passive_subject_is_told_apart_and_the_agent_is_an_oblique() {
    let (words, parsed) = parse("The convoy was attacked by rebels near the border .");
    assert_eq!(
        dependent(&words, &parsed, "attacked", Relation::NsubjPass),
        Some("convoy")
    );
    assert_eq!(
        dependent(&words, &parsed, "attacked", Relation::Obl),
        Some("rebels")
    );
}

#[test]
fn an_infinitive_that_modifies_a_noun_has_no_subject_of_its_own() {
    let (words, parsed) =
        parse("He called for a new government and a process to draft a constitution .");
    assert_eq!(dependent(&words, &parsed, "draft", Relation::Nsubj), None);
    let draft = words.iter().position(|w| *w == "draft").unwrap();
    assert_eq!(parsed[draft].relation, Relation::Acl);
}

#[test]
fn every_word_gets_a_head_and_exactly_one_is_the_root() {
    let (_, parsed) = parse("Protesters marched in Nairobi , and police fired tear gas at them .");
    assert_eq!(parsed.iter().filter(|d| d.head.is_none()).count(), 1);
    for (i, d) in parsed.iter().enumerate() {
        assert_ne!(d.head, Some(i), "word {i} heads itself");
    }
}

#[test]
fn the_model_file_round_trips() {
    let parser = Parser::builtin();
    let bytes = parser.to_bytes("test header");
    let again = Parser::from_bytes(&bytes).unwrap();
    assert_eq!(again.feature_count(), parser.feature_count());
    assert!(Parser::from_bytes(b"dyad-tagger 1\n\n").is_err());
}

#[test]
fn an_over_long_sentence_is_left_flat_rather_than_parsed() {
    let words = vec!["word"; MAX_WORDS + 1];
    let tags = vec![Upos::Noun; MAX_WORDS + 1];
    let parsed = Parser::builtin().parse(&words, &tags);
    assert!(
        parsed
            .iter()
            .all(|d| d.head.is_none() && d.relation == Relation::Dep)
    );
}

#[test]
fn every_state_has_the_features_scoring_gathers() {
    let words = ["Troops", "fired", "on", "protesters", "."];
    let tags = Tagger::builtin().tag(&words);
    let sentence = Sentence::new(&words, &tags);
    let parser = Parser::builtin();
    let mut state = State::new(words.len());
    while !state.is_final() {
        let mut count = 0;
        sentence.features(&state, &mut |_| count += 1);
        assert_eq!(count, features::COUNT);
        state.apply(best_allowed(&state, &parser.scores(&sentence, &state)));
    }
}
