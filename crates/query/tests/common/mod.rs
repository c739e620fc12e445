//! What the query tests share: articles with hand-built events, stored as
//! the ingest service stores them, so that what these tests expect does not
//! change when the coder does.

use dyad_proto::{
    Timestamp,
    v1::{
        Actor, Article, DateBasis, DatePrecision, Event, EventDate, Mention, Modality, QuadClass,
    },
};
use dyad_store::Store;

/// The coder version the hand-built events claim.
pub const CODER: &str = "test/1.0.0";

/// An actor of `country` (an ISO code, or an organisation's such as CSTO)
/// in `role` (GOV, MIL, … or empty).
pub fn actor(country: &str, role: &str) -> Actor {
    Actor {
        code: format!("{country}{role}"),
        name: format!("{country} {role}").trim().to_string(),
        country_code: country.into(),
        role: role.into(),
        text: country.into(),
        ..Default::default()
    }
}

/// One event as a coder reports it: who did what to whom, and when
/// (`YYYY-MM-DD`, or `YYYY` for an event known only by its year).
pub struct Coded<'a> {
    /// The sentence it is reported in.
    pub sentence: &'a str,
    /// Source actor.
    pub source: Actor,
    /// CAMEO code, e.g. "112".
    pub code: &'a str,
    /// Target actor.
    pub target: Actor,
    /// When it happened.
    pub date: &'a str,
}

/// The quad class and a Goldstein score typical of it, by CAMEO root.
fn class_and_score(code: &str) -> (QuadClass, f64) {
    match &code[..2] {
        "01" | "02" | "03" | "04" | "05" => (QuadClass::VerbalCooperation, 3.0),
        "06" | "07" | "08" | "09" => (QuadClass::MaterialCooperation, 5.0),
        "10" | "11" | "12" | "13" | "14" => (QuadClass::VerbalConflict, -4.0),
        _ => (QuadClass::MaterialConflict, -8.0),
    }
}

fn event_date(date: &str) -> EventDate {
    let (start, end, precision) = match date.len() {
        4 => (
            format!("{date}-01-01"),
            format!("{date}-12-31"),
            DatePrecision::Year,
        ),
        _ => (date.to_string(), date.to_string(), DatePrecision::Day),
    };
    EventDate {
        start_date: start,
        end_date: end,
        precision: precision as i32,
        basis: DateBasis::Stated as i32,
        text: date.into(),
    }
}

/// Stores article `id`, published `seconds` after the epoch, whose text is
/// the sentences of `coded` (each once, in order), with one event per entry
/// (ids `ev_<id>_<n>`) mentioned at its sentence: spans in code points, as
/// the ingest service writes them. Returns the events.
pub async fn store_article(
    store: &dyn Store,
    id: &str,
    seconds: i64,
    coded: &[Coded<'_>],
) -> Vec<Event> {
    let mut text = String::new();
    let mut spans: Vec<(&str, u32, u32)> = Vec::new();
    for said in coded {
        if !spans
            .iter()
            .any(|(sentence, ..)| *sentence == said.sentence)
        {
            if !text.is_empty() {
                text.push(' ');
            }
            let start = text.chars().count() as u32;
            text.push_str(said.sentence);
            spans.push((said.sentence, start, text.chars().count() as u32));
        }
    }
    let events: Vec<Event> = coded
        .iter()
        .enumerate()
        .map(|(n, said)| {
            let index = spans
                .iter()
                .position(|(s, ..)| *s == said.sentence)
                .unwrap();
            let (_, start, end) = spans[index];
            let (quad_class, goldstein) = class_and_score(said.code);
            Event {
                id: format!("ev_{id}_{n}"),
                source: Some(said.source.clone()),
                target: Some(said.target.clone()),
                cameo_code: said.code.into(),
                cameo_root: said.code[..2].into(),
                cameo_name: format!("CAMEO {}", said.code),
                quad_class: quad_class as i32,
                goldstein,
                date: Some(event_date(said.date)),
                modality: Modality::Asserted as i32,
                confidence: 0.8,
                mentions: vec![Mention {
                    article_id: id.into(),
                    sentence_index: index as u32,
                    sentence_start: start,
                    sentence_end: end,
                    sentence_text: said.sentence.into(),
                    rule: "test".into(),
                    modality: Modality::Asserted as i32,
                    confidence: 0.8,
                    coder_version: CODER.into(),
                    outlet: "Test Wire".into(),
                    article_url: String::new(),
                }],
                ..Default::default()
            }
        })
        .collect();
    let article = Article {
        id: id.into(),
        text,
        outlet: "Test Wire".into(),
        publish_time: Some(Timestamp { seconds, nanos: 0 }),
        ..Default::default()
    };
    store.put_article(&article, &events, CODER).await.unwrap();
    events
}
