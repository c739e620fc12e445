//! Prints the events coded from a text file (debugging aid).
fn main() {
    let path = std::env::args().nth(1).expect("usage: print_fixture FILE");
    let text = std::fs::read_to_string(path).unwrap();
    let coder = dyad_extract::Coder::new(dyad_extract::Dictionaries::builtin());
    let published = chrono::NaiveDate::from_ymd_opt(2024, 5, 10).unwrap();
    for e in coder.code(dyad_extract::ArticleText { text: &text, published }) {
        println!(
            "{:>3} {} {:>8} -> {:<8} {:?} {} [{}] | {}",
            e.sentence_index,
            e.cameo.code,
            e.source.code(),
            e.target.as_ref().map(|t| t.code()).unwrap_or_default(),
            e.modality,
            e.rule,
            e.source.text,
            e.sentence_text.chars().take(90).collect::<String>()
        );
    }
}
