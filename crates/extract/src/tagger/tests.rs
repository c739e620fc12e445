use super::*;

fn tags(tagger: &Tagger, sentence: &str) -> Vec<(String, Upos)> {
    let words: Vec<&str> = sentence.split(' ').collect();
    words
        .iter()
        .map(|w| w.to_string())
        .zip(tagger.tag(&words))
        .collect()
}

fn tag_of(tagged: &[(String, Upos)], word: &str) -> Upos {
    tagged
        .iter()
        .find(|(w, _)| w == word)
        .unwrap_or_else(|| panic!("{word} not in sentence"))
        .1
}

#[test]
fn tells_verbs_from_nouns_by_context() {
    let tagger = Tagger::builtin();
    let s = tags(&tagger, "The two states signed an arms deal in March .");
    assert_eq!(tag_of(&s, "states"), Upos::Noun);
    assert_eq!(tag_of(&s, "signed"), Upos::Verb);
    assert_eq!(tag_of(&s, "arms"), Upos::Noun);
    assert_eq!(tag_of(&s, "March"), Upos::Propn);
    let s = tags(
        &tagger,
        "The report states that troops will march on the capital .",
    );
    assert_eq!(tag_of(&s, "states"), Upos::Verb);
    assert_eq!(tag_of(&s, "march"), Upos::Verb);
    assert_eq!(tag_of(&s, "will"), Upos::Aux);
}

#[test]
fn tags_unknown_names_as_proper_nouns() {
    let tagger = Tagger::builtin();
    let s = tags(&tagger, "Pashinyan met Zelenskyy in Yerevan on Tuesday .");
    assert_eq!(tag_of(&s, "Pashinyan"), Upos::Propn);
    assert_eq!(tag_of(&s, "met"), Upos::Verb);
    assert_eq!(tag_of(&s, "Yerevan"), Upos::Propn);
}

#[test]
fn model_round_trips_through_its_file_format() {
    let tagger = Tagger::builtin();
    let bytes = tagger.to_bytes("test header\n# licence line");
    assert!(bytes.starts_with(b"dyad-tagger 1\n# test header\n# licence line\n\n"));
    let again = Tagger::from_bytes(&bytes).unwrap();
    let words = ["Russia", "condemned", "the", "attack", "."];
    assert_eq!(tagger.tag(&words), again.tag(&words));
    assert_eq!(tagger.feature_count(), again.feature_count());
}

#[test]
fn rejects_truncated_and_foreign_files() {
    let bytes = Tagger::builtin().to_bytes("x");
    assert!(Tagger::from_bytes(&bytes[..bytes.len() - 3]).is_err());
    assert!(Tagger::from_bytes(b"GIF89a").is_err());
    assert!(Tagger::from_bytes(b"dyad-tagger 1\n# no end").is_err());
}

#[test]
fn tags_empty_and_odd_input_without_panicking() {
    let tagger = Tagger::builtin();
    assert!(tagger.tag(&[]).is_empty());
    assert_eq!(tagger.tag(&["", "\u{0}", "ééé", "1,000,000"]).len(), 4);
}

const TOY: &str = "1\tThey\tthey\tPRON\t_\t_\t_\t_\t_\t_\n2\twalk\twalk\tVERB\t_\t_\t_\t_\t_\t_\n\n\
1\tThe\tthe\tDET\t_\t_\t_\t_\t_\t_\n2\twalk\twalk\tNOUN\t_\t_\t_\t_\t_\t_\n3\tended\tend\tVERB\t_\t_\t_\t_\t_\t_\n\n";

#[test]
fn training_learns_context_and_is_deterministic() {
    let sentences = parse_conllu(TOY).unwrap();
    let options = TrainOptions {
        iterations: 5,
        ..TrainOptions::default()
    };
    let (a, report) = train(&sentences, &options);
    let (b, _) = train(&sentences, &options);
    assert_eq!(report.tokens, 5);
    assert_eq!(a.to_bytes("h"), b.to_bytes("h"));
    assert_eq!(a.tag(&["They", "walk"]), vec![Upos::Pron, Upos::Verb]);
    assert_eq!(
        a.tag(&["The", "walk", "ended"]),
        vec![Upos::Det, Upos::Noun, Upos::Verb]
    );
}

/// Tags as training does: the dictionary, else every feature looked up.
fn tag_by_features(tagger: &Tagger, words: &[&str]) -> Vec<Upos> {
    let context = Context::new(words, &tagger.lexicon);
    let mut tags = Vec::new();
    for (i, word) in words.iter().enumerate() {
        let tag = match tagger.tag_dictionary.get(*word) {
            Some(&tag) => tag,
            None => {
                let mut hashes = Vec::new();
                context.features(i, &tags, &mut hashes);
                Upos::best(&tagger.summed_weights(&hashes))
            }
        };
        tags.push(tag);
    }
    tags
}

#[test]
fn precomputed_sums_tag_as_the_features_do() {
    let tagger = Tagger::builtin();
    assert!(
        tagger.forms.len() > 10_000,
        "lower-case and capitalised lexicon words, and dictionary words"
    );
    for sentence in [
        "The report states that troops will march on the capital .",
        "Talks Between Moscow and Kyiv Resumed in Istanbul on Monday , officials said .",
        "Pashinyan met Zelenskyy in Yerevan and signed 12 agreements worth $ 3.5 billion .",
        "Protesters",
        "Gbagbo Ouattara",
        "Shelling by Wagner-linked units near Bakhmut killed 1,200 civilians , Kyiv said on 3/4/2023 .",
        "\"We will not back down,\" said Al-Sadr , whose bloc won 73 seats in May .",
    ] {
        let words: Vec<&str> = sentence.split(' ').collect();
        assert_eq!(
            tagger.tag(&words),
            tag_by_features(&tagger, &words),
            "{sentence}"
        );
    }
}

#[test]
fn the_sentences_above_mix_precomputed_and_unknown_words() {
    let tagger = Tagger::builtin();
    let known = |word: &str| tagger.forms.get(word).map(|form| form.tag.is_some());
    assert_eq!(known("the"), Some(true), "a dictionary word");
    assert_eq!(known("Talks"), Some(false), "a capitalised lexicon word");
    assert_eq!(known("Zelenskyy"), None);
    assert_eq!(known("1,200"), None);
}
