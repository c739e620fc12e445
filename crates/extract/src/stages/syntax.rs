//! The sentence's dependency tree, parsed on demand: whom the grammar makes
//! the subject of a verb. Parsing costs more than every other stage
//! together, so the tree is built only the first time a stage asks.

use std::cell::OnceCell;

use crate::{
    parser::{Dependency, Parser, Relation},
    text::Token,
};

/// How many verbs up a chain of shared subjects is followed.
const SHARED_SUBJECT_DEPTH: usize = 4;

/// A sentence's tokens with their tree, parsed when first asked for.
#[derive(Debug)]
pub(crate) struct Syntax<'s> {
    parser: &'s Parser,
    text: &'s str,
    tokens: &'s [Token],
    tree: OnceCell<Vec<Dependency>>,
}

impl<'s> Syntax<'s> {
    /// The sentence `tokens` (tagged) of `text`, not parsed yet.
    pub(crate) fn new(parser: &'s Parser, text: &'s str, tokens: &'s [Token]) -> Self {
        Self {
            parser,
            text,
            tokens,
            tree: OnceCell::new(),
        }
    }

    fn tree(&self) -> &[Dependency] {
        self.tree.get_or_init(|| {
            let words: Vec<&str> = self
                .tokens
                .iter()
                .map(|t| &self.text[t.bytes.clone()])
                .collect();
            let tags: Vec<_> = self.tokens.iter().map(|t| t.pos).collect();
            self.parser.parse(&words, &tags)
        })
    }

    /// The word the parse makes the subject of verb `verb`: its own
    /// subject, or — for a verb that shares another's subject (an open
    /// complement, "agreed *to meet*"; a conjunct, "met and *agreed*"; a
    /// participle clause, "…, *killing* two") — that of the verb it hangs
    /// on. `None` when the parse gives it none.
    pub(crate) fn subject_of(&self, verb: usize) -> Option<usize> {
        let tree = self.tree();
        let mut verb = verb;
        for _ in 0..SHARED_SUBJECT_DEPTH {
            if let Some(subject) = tree
                .iter()
                .position(|d| d.head == Some(verb) && d.relation.is_subject())
            {
                return Some(subject);
            }
            match tree[verb].relation {
                Relation::Xcomp | Relation::Conj | Relation::Advcl => verb = tree[verb].head?,
                _ => return None,
            }
        }
        None
    }

    /// The word `word` depends on, and how.
    pub(crate) fn dependency(&self, word: usize) -> Dependency {
        self.tree()[word]
    }

    /// Whether word `word` lies in the subtree of `root` (`root` included).
    pub(crate) fn dominated_by(&self, word: usize, root: usize) -> bool {
        let tree = self.tree();
        let mut at = Some(word);
        for _ in 0..tree.len() {
            match at {
                Some(w) if w == root => return true,
                Some(w) => at = tree[w].head,
                None => return false,
            }
        }
        false
    }
}
