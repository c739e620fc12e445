//! From the coder's output to `dyad.v1` messages, and article identity.

use std::collections::HashMap;

use dyad_extract::{
    ActorKind, CodedActor, CodedEvent, CodedLocation, DateBasis, DatePrecision, EventIdentity,
    LocationPrecision, Modality, QuadClass,
};
use dyad_proto::v1;
use dyad_store::policy::more_precise;
use sha2::{Digest, Sha256};

/// Stable id of an article: the caller's id, else one derived from the
/// canonical url, else from the text.
pub fn article_id(article: &v1::Article, canonical_url: &str) -> String {
    if !article.id.is_empty() {
        article.id.clone()
    } else if !canonical_url.is_empty() {
        format!("url:{}", short_hash(&[canonical_url], 16))
    } else {
        format!("sha256:{}", short_hash(&[&article.text], 32))
    }
}

fn short_hash(parts: &[&str], hex_len: usize) -> String {
    let mut hasher = Sha256::new();
    for part in parts {
        hasher.update(part.as_bytes());
        hasher.update([0u8]);
    }
    let digest = hasher.finalize();
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    hex[..hex_len].to_string()
}

/// Converts a coded event of `article` (its id, url and outlet set) into a
/// `dyad.v1.Event` with one mention. The event id is derived from the
/// happening's identity
/// ([`CodedEvent::identity`]), not from the article: every report of the
/// same happening, in any article, gets the same id.
pub fn event(article: &v1::Article, coded: &CodedEvent) -> v1::Event {
    let source = actor(&coded.source);
    let target = coded.target.as_ref().map(actor);
    let id = event_id(&coded.identity());
    let modality = modality(coded.modality) as i32;
    v1::Event {
        id,
        cameo_code: coded.cameo.code.clone(),
        cameo_root: coded.cameo.root().to_string(),
        cameo_name: coded.cameo.name.clone(),
        quad_class: quad_class(coded.cameo.quad_class) as i32,
        goldstein: coded.cameo.goldstein,
        plover_type: coded.cameo.plover.clone(),
        date: Some(v1::EventDate {
            start_date: coded.date.start.to_string(),
            end_date: coded.date.end.to_string(),
            precision: match coded.date.precision {
                DatePrecision::Day => v1::DatePrecision::Day,
                DatePrecision::Week => v1::DatePrecision::Week,
                DatePrecision::Month => v1::DatePrecision::Month,
                DatePrecision::Year => v1::DatePrecision::Year,
                DatePrecision::Range => v1::DatePrecision::Range,
            } as i32,
            basis: match coded.date.basis {
                DateBasis::Stated => v1::DateBasis::Stated,
                DateBasis::Relative => v1::DateBasis::Relative,
                DateBasis::Inherited => v1::DateBasis::Inherited,
                DateBasis::Publication => v1::DateBasis::Publication,
            } as i32,
            text: coded.date.text.clone(),
        }),
        location: coded.location.as_ref().map(location),
        modality,
        reported_by: coded.reported_by.as_ref().map(actor),
        confidence: coded.confidence,
        source: Some(source),
        target,
        mentions: vec![v1::Mention {
            article_id: article.id.clone(),
            sentence_index: coded.sentence_index as u32,
            sentence_start: coded.sentence_chars.start as u32,
            sentence_end: coded.sentence_chars.end as u32,
            sentence_text: coded.sentence_text.clone(),
            rule: coded.rule.clone(),
            modality,
            confidence: coded.confidence,
            coder_version: dyad_extract::CODER_VERSION.to_string(),
            outlet: article.outlet.clone(),
            article_url: article.url.clone(),
        }],
        num_mentions: 1,
        num_articles: 1,
        num_sources: 1,
        first_seen: None,
        last_seen: None,
    }
}

/// The id of a happening: "ev_" and a hash of its identity key.
pub fn event_id(identity: &EventIdentity) -> String {
    format!("ev_{}", short_hash(&[&identity.key()], 20))
}

/// Most mentions of one event kept from one article: a story repeats its
/// news in the headline, the lede and a summary, not dozens of times, and
/// an article that does (or a page of boilerplate) must not weigh an event
/// more, nor make it too large to read back.
pub const MAX_MENTIONS_PER_ARTICLE: usize = 10;

/// Merges the events of one article that report the same happening (the
/// same id), as when a headline repeats the lede or a photo caption is
/// printed twice, into one event with several mentions, in text order (the
/// first [`MAX_MENTIONS_PER_ARTICLE`] of them). The merged event keeps the
/// most precise place any of its mentions gives, and the highest confidence.
pub fn merge_repeated(events: Vec<v1::Event>) -> Vec<v1::Event> {
    let mut merged: Vec<v1::Event> = Vec::with_capacity(events.len());
    let mut position: HashMap<String, usize> = HashMap::with_capacity(events.len());
    for event in events {
        match position.get(&event.id) {
            Some(&at) => {
                let first = &mut merged[at];
                let room = MAX_MENTIONS_PER_ARTICLE.saturating_sub(first.mentions.len());
                first.mentions.extend(event.mentions.into_iter().take(room));
                first.num_mentions = first.mentions.len() as u32;
                first.confidence = first.confidence.max(event.confidence);
                if more_precise(event.location.as_ref(), first.location.as_ref()) {
                    first.location = event.location;
                }
            }
            None => {
                position.insert(event.id.clone(), merged.len());
                merged.push(event);
            }
        }
    }
    merged
}

fn location(coded: &CodedLocation) -> v1::Location {
    v1::Location {
        name: coded.name.clone(),
        country_code: coded.country.clone(),
        latitude: coded.lat,
        longitude: coded.lon,
        precision: match coded.precision {
            LocationPrecision::Point => v1::LocationPrecision::Point,
            LocationPrecision::Region => v1::LocationPrecision::Region,
            LocationPrecision::CountryCentroid => v1::LocationPrecision::CountryCentroid,
        } as i32,
        text: coded.text.clone(),
    }
}

fn actor(coded: &CodedActor) -> v1::Actor {
    v1::Actor {
        code: coded.code(),
        name: coded.name.clone(),
        country_code: coded.country.clone(),
        role: coded.role.clone(),
        kind: match coded.kind {
            ActorKind::State => v1::ActorKind::State,
            ActorKind::Government => v1::ActorKind::Government,
            ActorKind::Military => v1::ActorKind::Military,
            ActorKind::Person => v1::ActorKind::Person,
            ActorKind::Organisation => v1::ActorKind::Organisation,
            ActorKind::ArmedGroup => v1::ActorKind::ArmedGroup,
            ActorKind::Civilian => v1::ActorKind::Civilian,
        } as i32,
        text: coded.text.clone(),
    }
}

fn modality(m: Modality) -> v1::Modality {
    match m {
        Modality::Asserted => v1::Modality::Asserted,
        Modality::Negated => v1::Modality::Negated,
        Modality::Intended => v1::Modality::Intended,
        Modality::Hypothetical => v1::Modality::Hypothetical,
    }
}

fn quad_class(q: QuadClass) -> v1::QuadClass {
    match q {
        QuadClass::VerbalCooperation => v1::QuadClass::VerbalCooperation,
        QuadClass::MaterialCooperation => v1::QuadClass::MaterialCooperation,
        QuadClass::VerbalConflict => v1::QuadClass::VerbalConflict,
        QuadClass::MaterialConflict => v1::QuadClass::MaterialConflict,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mentioned(id: &str, sentence_index: u32) -> v1::Event {
        v1::Event {
            id: id.into(),
            mentions: vec![v1::Mention {
                sentence_index,
                ..Default::default()
            }],
            num_mentions: 1,
            ..Default::default()
        }
    }

    #[test]
    fn an_event_repeated_in_one_article_keeps_its_first_mentions_only() {
        let repeated = (0..25_000).map(|i| mentioned("ev_a", i));
        let other = std::iter::once(mentioned("ev_b", 7));
        let merged = merge_repeated(repeated.chain(other).collect());
        assert_eq!(merged.len(), 2);
        assert_eq!(merged[0].id, "ev_a");
        assert_eq!(merged[0].num_mentions as usize, MAX_MENTIONS_PER_ARTICLE);
        let kept: Vec<u32> = merged[0]
            .mentions
            .iter()
            .map(|m| m.sentence_index)
            .collect();
        assert_eq!(
            kept,
            (0..MAX_MENTIONS_PER_ARTICLE as u32).collect::<Vec<_>>()
        );
        assert_eq!(merged[1].id, "ev_b");
        assert_eq!(merged[1].num_mentions, 1);
    }
}
