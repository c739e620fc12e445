//! CoNLL-U reading and writing (<https://universaldependencies.org/format.html>),
//! as much of it as tagging and parsing need: the words of each sentence
//! with their UPOS tags, heads and relations, every other line and column
//! kept as it was.

use super::Upos;

/// One sentence of a CoNLL-U file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConlluSentence {
    /// Every line of the sentence, comments and multiword ranges included,
    /// split into columns (comments are one column).
    lines: Vec<Vec<String>>,
    /// Indexes into `lines` of the syntactic words, in order.
    words: Vec<usize>,
}

/// A CoNLL-U line that is not what the format allows, with its line number.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {message}")]
pub struct ConlluError {
    /// One-based line number.
    pub line: usize,
    /// What is wrong.
    pub message: String,
}

const FORM: usize = 1;
const UPOS: usize = 3;
const HEAD: usize = 6;
const DEPREL: usize = 7;

impl ConlluSentence {
    /// The word forms.
    pub fn forms(&self) -> Vec<&str> {
        self.words
            .iter()
            .map(|&l| self.lines[l][FORM].as_str())
            .collect()
    }

    /// The UPOS column of each word (`None` where it is `_` or unknown).
    pub fn tags(&self) -> Vec<Option<Upos>> {
        self.words
            .iter()
            .map(|&l| Upos::parse(&self.lines[l][UPOS]))
            .collect()
    }

    /// Each word's head as a word index (`None` for the root, or where
    /// the column is `_` or out of range).
    pub fn heads(&self) -> Vec<Option<usize>> {
        let n = self.words.len();
        self.words
            .iter()
            .map(|&l| {
                self.lines[l][HEAD]
                    .parse::<usize>()
                    .ok()
                    .filter(|&h| h >= 1 && h <= n)
                    .map(|h| h - 1)
            })
            .collect()
    }

    /// Each word's dependency relation as written ("nsubj", "obl:tmod").
    pub fn relations(&self) -> Vec<&str> {
        self.words
            .iter()
            .map(|&l| self.lines[l][DEPREL].as_str())
            .collect()
    }

    /// Replaces the UPOS column of each word.
    pub fn set_tags(&mut self, tags: &[Upos]) {
        for (&l, tag) in self.words.iter().zip(tags) {
            self.lines[l][UPOS] = tag.as_str().to_string();
        }
    }
}

/// Reads every sentence of a CoNLL-U text.
pub fn parse_conllu(text: &str) -> Result<Vec<ConlluSentence>, ConlluError> {
    let mut sentences = Vec::new();
    let mut current = ConlluSentence {
        lines: Vec::new(),
        words: Vec::new(),
    };
    for (number, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            if !current.lines.is_empty() {
                sentences.push(std::mem::replace(
                    &mut current,
                    ConlluSentence {
                        lines: Vec::new(),
                        words: Vec::new(),
                    },
                ));
            }
            continue;
        }
        if line.starts_with('#') {
            current.lines.push(vec![line.to_string()]);
            continue;
        }
        let columns: Vec<String> = line.split('\t').map(str::to_string).collect();
        if columns.len() != 10 {
            return Err(ConlluError {
                line: number + 1,
                message: format!("{} columns where CoNLL-U has 10", columns.len()),
            });
        }
        // Multiword ranges ("1-2") and empty nodes ("8.1") are kept, not tagged.
        if columns[0].bytes().all(|b| b.is_ascii_digit()) {
            current.words.push(current.lines.len());
        }
        current.lines.push(columns);
    }
    if !current.lines.is_empty() {
        sentences.push(current);
    }
    Ok(sentences)
}

/// Writes sentences back in CoNLL-U, each followed by a blank line.
pub fn write_conllu(sentences: &[ConlluSentence]) -> String {
    let mut out = String::new();
    for sentence in sentences {
        for line in &sentence.lines {
            out.push_str(&line.join("\t"));
            out.push('\n');
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "# text = I don't know.\n\
        1\tI\tI\tPRON\tPRP\t_\t4\tnsubj\t_\t_\n\
        2-3\tdon't\t_\t_\t_\t_\t_\t_\t_\t_\n\
        2\tdo\tdo\tAUX\tVBP\t_\t4\taux\t_\t_\n\
        3\tn't\tnot\tPART\tRB\t_\t4\tadvmod\t_\t_\n\
        4\tknow\tknow\tVERB\tVB\t_\t0\troot\t_\tSpaceAfter=No\n\
        5\t.\t.\tPUNCT\t.\t_\t4\tpunct\t_\t_\n\n";

    #[test]
    fn reads_words_and_skips_multiword_ranges() {
        let sentences = parse_conllu(SAMPLE).unwrap();
        assert_eq!(sentences.len(), 1);
        assert_eq!(sentences[0].forms(), vec!["I", "do", "n't", "know", "."]);
        assert_eq!(sentences[0].tags()[3], Some(Upos::Verb));
        assert_eq!(
            sentences[0].heads(),
            vec![Some(3), Some(3), Some(3), None, Some(3)]
        );
        assert_eq!(sentences[0].relations()[0], "nsubj");
    }

    #[test]
    fn writes_back_what_it_read_with_new_tags() {
        let mut sentences = parse_conllu(SAMPLE).unwrap();
        assert_eq!(write_conllu(&sentences), SAMPLE);
        sentences[0].set_tags(&[Upos::Pron, Upos::Aux, Upos::Part, Upos::Noun, Upos::Punct]);
        assert!(write_conllu(&sentences).contains("4\tknow\tknow\tNOUN\t"));
    }

    #[test]
    fn names_the_line_of_a_malformed_row() {
        let error = parse_conllu("1\tonly\tthree\n").unwrap_err();
        assert_eq!(error.line, 1);
    }
}
