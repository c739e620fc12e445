//! A synthetic corpus with the skew of real event data, for benchmarks: a
//! few hundred actors whose activity follows a Zipf-like law, dyads drawn
//! from them, ten years of event dates, and happenings reported by several
//! articles (several mentions per event). Deterministic for a seed.

use dyad_proto::v1::{Actor, Article, Event, EventDate, Mention, Modality};

/// CAMEO codes drawn for synthetic events: (code, quad class, Goldstein).
const CODES: &[(&str, i32, f64)] = &[
    ("010", 1, 0.0),
    ("020", 1, 3.0),
    ("036", 1, 4.0),
    ("042", 1, 1.9),
    ("043", 1, 2.8),
    ("057", 1, 8.0),
    ("061", 2, 6.4),
    ("070", 2, 7.0),
    ("0874", 2, 10.0),
    ("111", 3, -2.0),
    ("112", 3, -2.0),
    ("130", 3, -4.4),
    ("163", 3, -8.0),
    ("172", 4, -5.0),
    ("180", 4, -9.0),
    ("190", 4, -10.0),
    ("193", 4, -10.0),
    ("195", 4, -10.0),
];
const ROLES: &[&str] = &["", "GOV", "MIL", "OPP", "REB"];
/// Days in the ten years the dates span.
const DAYS: u64 = 3652;

/// SplitMix64: a tiny, fast, reproducible random stream.
#[derive(Debug, Clone)]
struct Random(u64);

impl Random {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    /// A rank in `0..n` with probability falling as 1/(rank+1): Zipf, s = 1.
    fn zipf(&mut self, n: u64) -> u64 {
        let harmonic = (n as f64).ln() + 0.577_215_66;
        let u = (self.next() >> 11) as f64 / (1u64 << 53) as f64;
        ((u * harmonic).exp() - 1.0).clamp(0.0, (n - 1) as f64) as u64
    }
}

/// Generates articles with their coded events.
#[derive(Debug, Clone)]
pub struct SyntheticCorpus {
    random: Random,
    actors: Vec<(String, String)>,
    recent: Vec<Event>,
    article: u64,
}

impl SyntheticCorpus {
    /// A corpus of `countries` × 5 roles actors, reproducible from `seed`.
    pub fn new(seed: u64, countries: usize) -> Self {
        let actors = (0..countries)
            .flat_map(|c| {
                // "A00" … "A99", "B00" …: three characters, like ISO codes.
                let country = format!("{}{:02}", (b'A' + (c / 100) as u8) as char, c % 100);
                ROLES
                    .iter()
                    .map(move |role| (format!("{country}{role}"), country.clone()))
            })
            .collect();
        Self {
            random: Random(seed),
            actors,
            recent: Vec::new(),
            article: 0,
        }
    }

    fn actor(&mut self) -> Actor {
        let (code, country) = &self.actors[self.random.zipf(self.actors.len() as u64) as usize];
        Actor {
            code: code.clone(),
            country_code: country.clone(),
            name: code.clone(),
            ..Default::default()
        }
    }

    fn new_event(&mut self) -> Event {
        let source = self.actor();
        let mut target = self.actor();
        while target.code == source.code {
            target = self.actor();
        }
        let (code, quad, goldstein) = CODES[self.random.below(CODES.len() as u64) as usize];
        let day = chrono::NaiveDate::from_ymd_opt(2015, 1, 1).expect("valid date")
            + chrono::Days::new(self.random.below(DAYS));
        let id = format!("ev_syn{:016x}", self.random.next());
        Event {
            id,
            source: Some(source),
            target: Some(target),
            cameo_code: code.to_string(),
            cameo_root: code[..2].to_string(),
            cameo_name: format!("CAMEO {code}"),
            quad_class: quad,
            goldstein,
            date: Some(EventDate {
                start_date: day.to_string(),
                end_date: day.to_string(),
                precision: 1,
                basis: 1,
                text: String::new(),
            }),
            modality: Modality::Asserted as i32,
            confidence: 0.8,
            ..Default::default()
        }
    }

    /// The next article and its events: 1 to 8 events, 40 % of them
    /// happenings already reported by an earlier article.
    pub fn next_article(&mut self) -> (Article, Vec<Event>) {
        self.article += 1;
        let id = format!("syn-{}", self.article);
        let article = Article {
            id: id.clone(),
            url: format!("https://synthetic.example/{}", self.article),
            outlet: format!("outlet{}", self.random.zipf(50)),
            text: format!("Synthetic article {}.", self.article),
            ..Default::default()
        };
        let count = 1 + self.random.below(8) as usize;
        let mut events: Vec<Event> = Vec::with_capacity(count);
        for sentence in 0..count {
            let reuse = !self.recent.is_empty() && self.random.below(10) < 4;
            let mut event = if reuse {
                self.recent[self.random.below(self.recent.len() as u64) as usize].clone()
            } else {
                self.new_event()
            };
            if events.iter().any(|e| e.id == event.id) {
                continue;
            }
            event.mentions = vec![Mention {
                article_id: id.clone(),
                sentence_index: sentence as u32,
                sentence_text: format!("Sentence {sentence} of article {}.", self.article),
                modality: Modality::Asserted as i32,
                confidence: 0.8,
                coder_version: "synthetic".to_string(),
                ..Default::default()
            }];
            if !reuse {
                if self.recent.len() >= 1000 {
                    let slot = self.random.below(1000) as usize;
                    self.recent[slot] = event.clone();
                } else {
                    self.recent.push(event.clone());
                }
            }
            events.push(event);
        }
        (article, events)
    }
}

/// How many asserted events `store` holds: what a benchmark loading a
/// synthetic corpus counts to know when it has enough (or reuses a store).
pub async fn asserted_events(store: &dyn crate::Store) -> Result<i64, crate::StoreError> {
    let filter = crate::EventFilter {
        modalities: vec![Modality::Asserted as i32],
        ..Default::default()
    };
    Ok(store
        .tally(&filter, &crate::Grouping::default())
        .await?
        .first()
        .map_or(0, |row| row.tally.events))
}

/// Fills `store` with synthetic articles (seed 42, `countries` countries,
/// 5,000 articles a transaction) until it holds at least `target` asserted
/// events, for benchmarks; a store holding that many already is reused.
/// Returns the events held and whether any were loaded. Refuses a store
/// holding some events but too few (it is not a synthetic one to extend).
pub async fn fill_to(
    store: &dyn crate::Store,
    target: i64,
    countries: usize,
) -> Result<(i64, bool), crate::StoreError> {
    let mut events = asserted_events(store).await?;
    if events >= target {
        return Ok((events, false));
    }
    if events > 0 {
        return Err(crate::StoreError::invalid(&format!(
            "the store holds {events} events, fewer than {target}: remove it"
        )));
    }
    let mut corpus = SyntheticCorpus::new(42, countries);
    while events < target {
        let batch: Vec<_> = (0..5000).map(|_| corpus.next_article()).collect();
        store.put_articles(&batch, "synthetic").await?;
        events = asserted_events(store).await?;
    }
    Ok((events, true))
}
