//! The coder never panics, whatever the text.

use chrono::NaiveDate;
use dyad_extract::{ArticleText, Coder, Dictionaries, text};
use proptest::prelude::*;

fn coder() -> &'static Coder {
    static CODER: std::sync::OnceLock<Coder> = std::sync::OnceLock::new();
    CODER.get_or_init(|| Coder::new(Dictionaries::builtin()))
}

fn published() -> NaiveDate {
    NaiveDate::from_ymd_opt(2024, 5, 10).unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(500))]

    #[test]
    fn any_text_codes_without_panicking(text in any::<String>()) {
        for event in coder().code(ArticleText { text: &text, published: published() }) {
            prop_assert!(event.sentence_chars.end <= text.chars().count());
            prop_assert!((0.0..=1.0).contains(&event.confidence));
        }
    }

    #[test]
    fn news_like_text_codes_without_panicking(
        words in proptest::collection::vec(
            prop_oneof![
                Just("Russia"), Just("Armenia's"), Just("U.S."), Just("Mr."), Just("said"), Just("attacked"),
                Just("not"), Just("and"), Just("by"), Just("was"), Just("."), Just(","), Just("\u{201c}"),
                Just("foreign minister"), Just("agreed to"), Just("withdraw"), Just("\n"), Just("Putin"),
                Just("accused"), Just("of"), Just("the"), Just("Kremlin"), Just("CSTO"), Just("\u{2019}s"),
            ],
            0..60,
        )
    ) {
        let text = words.join(" ");
        let events = coder().code(ArticleText { text: &text, published: published() });
        for event in events {
            let sentence: String = text
                .chars()
                .skip(event.sentence_chars.start)
                .take(event.sentence_chars.len())
                .collect();
            prop_assert_eq!(sentence, event.sentence_text);
        }
    }

    #[test]
    fn token_offsets_are_char_boundaries(text in any::<String>()) {
        for token in text::tokenize(&text, 0..text.len()) {
            prop_assert!(text.is_char_boundary(token.bytes.start) && text.is_char_boundary(token.bytes.end));
        }
    }
}

#[test]
fn empty_and_foreign_text_yield_no_events() {
    for text in [
        "",
        "   \n\n",
        "Россия осудила Украину.",
        "日本は声明を発表した。",
        "\u{0}\u{1}\u{202e}",
    ] {
        assert!(
            coder()
                .code(ArticleText {
                    text,
                    published: published()
                })
                .is_empty(),
            "{text:?}"
        );
    }
}

#[test]
fn very_long_inputs_finish() {
    let sentence = "Russia accused Ukraine of shelling villages near the border. ";
    let article = sentence.repeat(20_000); // about 1.2 MB of sentences
    let events = coder().code(ArticleText {
        text: &article,
        published: published(),
    });
    assert_eq!(events.len() % 20_000, 0);
    let run_on = "Russia and Ukraine and Armenia said ".repeat(30_000); // about 1 MB without a full stop
    let _ = coder().code(ArticleText {
        text: &run_on,
        published: published(),
    });
}

#[test]
fn a_passive_whose_actor_lies_inside_its_pattern_codes() {
    // Found by the news-like property above: "withdraw by" read as a passive
    // whose first actor on the right stood inside the pattern, before "by".
    let text = "was said foreign minister withdraw by Putin Russia Russia";
    coder().code(ArticleText {
        text,
        published: published(),
    });
}
