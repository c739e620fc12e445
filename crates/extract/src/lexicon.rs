//! The language data of the coder's stages: English function words, word
//! classes and fixed phrases, read from `data/lexicon/en/words.tsv`, so
//! that the stages hold mechanisms and the data file holds the language.

use std::sync::LazyLock;

use rustc_hash::FxHashMap;

use crate::dictionary::{DictionaryError, table::Table};

/// The sets of words the stages look for; each is named in the data file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum WordSet {
    Preposition,
    BeforeName,
    Be,
    Negation,
    Future,
    Attempt,
    Hypothetical,
    NounContext,
    AdjectiveSuffix,
    ModifierParticiple,
    FunctionWord,
    PlacePreposition,
    RelativePronoun,
    Background,
    SpeechVerb,
    NotPast,
    Locative,
    LocativeGap,
    PlaceNoun,
    OrganisationNoun,
    Abbreviation,
    PhraseBreak,
    PersonReference,
    PairPhrase,
    Month,
    Weekday,
    IrregularVerb,
    UnspecifiedViolence,
    FutureAuxiliary,
    Obligation,
    AddressedSpeech,
    Honorific,
    Commentator,
    FigurativeForce,
    MediaOutlet,
    OpinionVerb,
    NounTarget,
    NounSource,
    Definite,
    Ongoing,
    TopicCountry,
    Intransitive,
    Gathering,
    PressAudience,
    Former,
    RefusalVerb,
    Trend,
    ClauseBreak,
    SupportVerb,
    WarningVerb,
    Inviting,
    MeetingAct,
    Hearsay,
    Falsity,
    /// Nouns that, after an event noun, name that act itself ("an aid package").
    ActHead,
    GroupHead,
    RealisSubordinator,
    CitingWord,
    Encounter,
    Brokering,
    Partitive,
    ResearchBody,
    StateBodies,
    Penalty,
    ReportingVerb,
    Wrongdoing,
    Commissive,
}

impl WordSet {
    const ALL: [WordSet; 67] = [
        WordSet::Preposition,
        WordSet::BeforeName,
        WordSet::Be,
        WordSet::Negation,
        WordSet::Future,
        WordSet::Attempt,
        WordSet::Hypothetical,
        WordSet::NounContext,
        WordSet::AdjectiveSuffix,
        WordSet::ModifierParticiple,
        WordSet::FunctionWord,
        WordSet::PlacePreposition,
        WordSet::RelativePronoun,
        WordSet::Background,
        WordSet::SpeechVerb,
        WordSet::NotPast,
        WordSet::Locative,
        WordSet::LocativeGap,
        WordSet::PlaceNoun,
        WordSet::OrganisationNoun,
        WordSet::Abbreviation,
        WordSet::PhraseBreak,
        WordSet::PersonReference,
        WordSet::PairPhrase,
        WordSet::Month,
        WordSet::Weekday,
        WordSet::IrregularVerb,
        WordSet::UnspecifiedViolence,
        WordSet::FutureAuxiliary,
        WordSet::Obligation,
        WordSet::AddressedSpeech,
        WordSet::Honorific,
        WordSet::Commentator,
        WordSet::FigurativeForce,
        WordSet::MediaOutlet,
        WordSet::OpinionVerb,
        WordSet::NounTarget,
        WordSet::NounSource,
        WordSet::Definite,
        WordSet::Ongoing,
        WordSet::TopicCountry,
        WordSet::Intransitive,
        WordSet::Gathering,
        WordSet::PressAudience,
        WordSet::Former,
        WordSet::RefusalVerb,
        WordSet::Trend,
        WordSet::ClauseBreak,
        WordSet::SupportVerb,
        WordSet::WarningVerb,
        WordSet::Inviting,
        WordSet::MeetingAct,
        WordSet::Hearsay,
        WordSet::Falsity,
        WordSet::ActHead,
        WordSet::GroupHead,
        WordSet::RealisSubordinator,
        WordSet::CitingWord,
        WordSet::Encounter,
        WordSet::Brokering,
        WordSet::Partitive,
        WordSet::ResearchBody,
        WordSet::StateBodies,
        WordSet::Penalty,
        WordSet::ReportingVerb,
        WordSet::Wrongdoing,
        WordSet::Commissive,
    ];

    /// The set's name in the data file.
    fn name(self) -> &'static str {
        match self {
            WordSet::Preposition => "preposition",
            WordSet::BeforeName => "before-name",
            WordSet::Be => "be",
            WordSet::Negation => "negation",
            WordSet::Future => "future",
            WordSet::Attempt => "attempt",
            WordSet::Hypothetical => "hypothetical",
            WordSet::NounContext => "noun-context",
            WordSet::AdjectiveSuffix => "adjective-suffix",
            WordSet::ModifierParticiple => "modifier-participle",
            WordSet::FunctionWord => "function-word",
            WordSet::PlacePreposition => "place-preposition",
            WordSet::RelativePronoun => "relative-pronoun",
            WordSet::Background => "background",
            WordSet::SpeechVerb => "speech-verb",
            WordSet::NotPast => "not-past",
            WordSet::Locative => "locative",
            WordSet::LocativeGap => "locative-gap",
            WordSet::PlaceNoun => "place-noun",
            WordSet::OrganisationNoun => "organisation-noun",
            WordSet::Abbreviation => "abbreviation",
            WordSet::PhraseBreak => "phrase-break",
            WordSet::PersonReference => "person-reference",
            WordSet::PairPhrase => "pair-phrase",
            WordSet::Month => "month",
            WordSet::Weekday => "weekday",
            WordSet::IrregularVerb => "irregular-verb",
            WordSet::UnspecifiedViolence => "unspecified-violence",
            WordSet::FutureAuxiliary => "future-auxiliary",
            WordSet::Obligation => "obligation",
            WordSet::AddressedSpeech => "addressed-speech",
            WordSet::Honorific => "honorific",
            WordSet::Commentator => "commentator",
            WordSet::FigurativeForce => "figurative-force",
            WordSet::MediaOutlet => "media-outlet",
            WordSet::OpinionVerb => "opinion-verb",
            WordSet::NounTarget => "noun-target",
            WordSet::NounSource => "noun-source",
            WordSet::Definite => "definite",
            WordSet::Ongoing => "ongoing",
            WordSet::TopicCountry => "topic-country",
            WordSet::Intransitive => "intransitive",
            WordSet::Gathering => "gathering",
            WordSet::PressAudience => "press-audience",
            WordSet::Former => "former",
            WordSet::RefusalVerb => "refusal-verb",
            WordSet::Trend => "trend",
            WordSet::ClauseBreak => "clause-break",
            WordSet::SupportVerb => "support-verb",
            WordSet::WarningVerb => "warning-verb",
            WordSet::Inviting => "inviting",
            WordSet::MeetingAct => "meeting-act",
            WordSet::Hearsay => "hearsay",
            WordSet::Falsity => "falsity",
            WordSet::ActHead => "act-head",
            WordSet::GroupHead => "group-head",
            WordSet::RealisSubordinator => "realis-subordinator",
            WordSet::CitingWord => "citing-word",
            WordSet::Encounter => "encounter",
            WordSet::Brokering => "brokering",
            WordSet::Partitive => "partitive",
            WordSet::ResearchBody => "research-body",
            WordSet::StateBodies => "state-bodies",
            WordSet::Penalty => "penalty",
            WordSet::ReportingVerb => "reporting-verb",
            WordSet::Wrongdoing => "wrongdoing",
            WordSet::Commissive => "commissive",
        }
    }
}

/// Words and phrases by set, with their values.
#[derive(Debug)]
pub(crate) struct Lexicon {
    entries: Vec<FxHashMap<&'static str, &'static str>>,
    phrases: Vec<Vec<Vec<&'static str>>>,
}

const ENGLISH: (&str, &str) = (
    "lexicon/en/words.tsv",
    include_str!("../data/lexicon/en/words.tsv"),
);

static EN: LazyLock<Lexicon> = LazyLock::new(|| {
    Lexicon::parse(ENGLISH.0, ENGLISH.1).expect("the English lexicon is valid (tested)")
});

/// The English lexicon.
pub(crate) fn en() -> &'static Lexicon {
    &EN
}

impl Lexicon {
    fn parse(file: &'static str, contents: &'static str) -> Result<Self, DictionaryError> {
        let table = Table::parse(file, contents)?;
        let mut entries = vec![FxHashMap::default(); WordSet::ALL.len()];
        let mut phrases = vec![Vec::new(); WordSet::ALL.len()];
        for row in &table.rows {
            let [set, phrase, value] = row.cells[..] else {
                return Err(table.error(row.line, "expected set, phrase, value"));
            };
            let index = WordSet::ALL
                .iter()
                .position(|s| s.name() == set)
                .ok_or_else(|| table.error(row.line, format!("unknown set {set:?}")))?;
            if phrase.is_empty() {
                return Err(table.error(row.line, "empty phrase"));
            }
            entries[index].insert(phrase, value);
            phrases[index].push(phrase.split(' ').collect());
        }
        if let Some(empty) = WordSet::ALL
            .iter()
            .find(|s| entries[**s as usize].is_empty())
        {
            return Err(table.error(0, format!("no entries for set {:?}", empty.name())));
        }
        Ok(Self { entries, phrases })
    }

    /// Whether `word` (or phrase) is in `set`.
    pub(crate) fn has(&self, set: WordSet, word: &str) -> bool {
        self.entries[set as usize].contains_key(word)
    }

    /// The value `word` has in `set` ("march" → "3" among months).
    pub(crate) fn value(&self, set: WordSet, word: &str) -> Option<&'static str> {
        self.entries[set as usize].get(word).copied()
    }

    /// Every phrase of `set`, split into words, in file order.
    pub(crate) fn phrases(&self, set: WordSet) -> &[Vec<&'static str>] {
        &self.phrases[set as usize]
    }

    /// Every entry of `set`: (phrase, value), in no particular order.
    pub(crate) fn entries(
        &self,
        set: WordSet,
    ) -> impl Iterator<Item = (&'static str, &'static str)> + '_ {
        self.entries[set as usize].iter().map(|(k, v)| (*k, *v))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn english_lexicon_parses_with_every_set() {
        let lexicon = en();
        assert!(lexicon.has(WordSet::Negation, "never"));
        assert_eq!(lexicon.value(WordSet::Month, "sept"), Some("9"));
        assert_eq!(lexicon.value(WordSet::Weekday, "sunday"), Some("7"));
        assert!(
            lexicon
                .phrases(WordSet::PairPhrase)
                .iter()
                .any(|p| p.as_slice() == ["the", "two", "countries"])
        );
    }

    #[test]
    fn rejects_unknown_sets_and_missing_ones() {
        let error = Lexicon::parse("x.tsv", "set\tphrase\tvalue\nnoun\tdog\t\n").unwrap_err();
        assert!(error.message.contains("unknown set"), "{error}");
        let error = Lexicon::parse("x.tsv", "set\tphrase\tvalue\nbe\tis\t\n").unwrap_err();
        assert!(error.message.contains("no entries"), "{error}");
    }
}
