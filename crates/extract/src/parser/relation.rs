//! The dependency relations the parser predicts: the Universal
//! Dependencies relations an event coder reads, the rest folded together.

/// A dependency relation (<https://universaldependencies.org/u/dep/>),
/// with subtypes folded into their type except the passive subject and the
/// possessive, which argument structure needs apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[repr(u8)]
pub enum Relation {
    /// The sentence's head.
    Root,
    /// Nominal or clausal subject of an active clause.
    Nsubj,
    /// Subject of a passive clause.
    NsubjPass,
    /// Direct object.
    Obj,
    /// Indirect object ("gave Ukraine aid").
    Iobj,
    /// Oblique nominal of a verb ("talks *with* Iran" under a verb).
    Obl,
    /// Nominal modifier of a noun ("the attack on the base").
    Nmod,
    /// Possessive ("Russia's offer").
    Poss,
    /// Conjunct.
    Conj,
    /// Coordinating conjunction.
    Cc,
    /// Preposition or postposition of a nominal.
    Case,
    /// Subordinating marker ("that", "to" of an infinitive).
    Mark,
    /// Determiner.
    Det,
    /// Adjectival modifier.
    Amod,
    /// Compound, flat name, fixed expression, verb particle.
    Compound,
    /// Open clausal complement ("agreed *to meet*").
    Xcomp,
    /// Clausal complement ("said *that* …").
    Ccomp,
    /// Adverbial clause.
    Advcl,
    /// Clause modifying a noun, relative clauses included.
    Acl,
    /// Auxiliary, passive auxiliary included.
    Aux,
    /// Copula.
    Cop,
    /// Adverbial modifier.
    Advmod,
    /// Apposition.
    Appos,
    /// Numeric modifier.
    Nummod,
    /// Punctuation.
    Punct,
    /// Anything else (parataxis, list, discourse, expletive…).
    Dep,
}

impl Relation {
    /// Number of relations.
    pub const COUNT: usize = 26;

    /// Every relation, in index order.
    pub const ALL: [Relation; Self::COUNT] = [
        Self::Root,
        Self::Nsubj,
        Self::NsubjPass,
        Self::Obj,
        Self::Iobj,
        Self::Obl,
        Self::Nmod,
        Self::Poss,
        Self::Conj,
        Self::Cc,
        Self::Case,
        Self::Mark,
        Self::Det,
        Self::Amod,
        Self::Compound,
        Self::Xcomp,
        Self::Ccomp,
        Self::Advcl,
        Self::Acl,
        Self::Aux,
        Self::Cop,
        Self::Advmod,
        Self::Appos,
        Self::Nummod,
        Self::Punct,
        Self::Dep,
    ];

    /// The relation a UD label ("nsubj:pass", "obl:tmod") folds into.
    pub fn from_ud(label: &str) -> Self {
        match label {
            "nsubj:pass" | "csubj:pass" => return Self::NsubjPass,
            "nmod:poss" => return Self::Poss,
            _ => {}
        }
        match label.split(':').next().unwrap_or_default() {
            "root" => Self::Root,
            "nsubj" | "csubj" => Self::Nsubj,
            "obj" => Self::Obj,
            "iobj" => Self::Iobj,
            "obl" => Self::Obl,
            "nmod" => Self::Nmod,
            "conj" => Self::Conj,
            "cc" => Self::Cc,
            "case" => Self::Case,
            "mark" => Self::Mark,
            "det" => Self::Det,
            "amod" => Self::Amod,
            "compound" | "flat" | "fixed" => Self::Compound,
            "xcomp" => Self::Xcomp,
            "ccomp" => Self::Ccomp,
            "advcl" => Self::Advcl,
            "acl" => Self::Acl,
            "aux" => Self::Aux,
            "cop" => Self::Cop,
            "advmod" => Self::Advmod,
            "appos" => Self::Appos,
            "nummod" => Self::Nummod,
            "punct" => Self::Punct,
            _ => Self::Dep,
        }
    }

    /// The relation at `index` in [`Relation::ALL`].
    pub fn from_index(index: usize) -> Option<Self> {
        Self::ALL.get(index).copied()
    }

    /// Whether the relation makes its dependent the head's subject.
    pub fn is_subject(self) -> bool {
        matches!(self, Self::Nsubj | Self::NsubjPass)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subtypes_fold_into_their_type_but_passive_subjects_and_possessives() {
        assert_eq!(Relation::from_ud("obl:tmod"), Relation::Obl);
        assert_eq!(Relation::from_ud("acl:relcl"), Relation::Acl);
        assert_eq!(Relation::from_ud("nsubj:pass"), Relation::NsubjPass);
        assert_eq!(Relation::from_ud("nmod:poss"), Relation::Poss);
        assert_eq!(Relation::from_ud("compound:prt"), Relation::Compound);
        assert_eq!(Relation::from_ud("parataxis"), Relation::Dep);
    }

    #[test]
    fn the_index_order_is_the_declaration_order() {
        for (i, relation) in Relation::ALL.iter().enumerate() {
            assert_eq!(*relation as usize, i);
            assert_eq!(Relation::from_index(i), Some(*relation));
        }
    }
}
