//! The coder: any text codes without panicking, into events that point
//! inside it.
#![no_main]

use std::sync::OnceLock;

use dyad_extract::{ArticleText, Coder, Dictionaries};

fn coder() -> &'static Coder {
    static CODER: OnceLock<Coder> = OnceLock::new();
    CODER.get_or_init(|| Coder::new(Dictionaries::builtin()))
}

libfuzzer_sys::fuzz_target!(|text: &str| {
    let published = chrono::NaiveDate::from_ymd_opt(2024, 5, 10).expect("a real date");
    let chars = text.chars().count();
    for event in coder().code(ArticleText { text, published }) {
        assert!(event.sentence_chars.end <= chars);
        assert!((0.0..=1.0).contains(&event.confidence));
    }
});
