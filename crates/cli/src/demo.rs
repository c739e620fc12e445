//! `dyad up --demo`: a store seeded with 74 Voice of America stories
//! (2019–2025; US government works, public domain) built into the binary,
//! so a newcomer sees real relations at once, and the queries to try on
//! them.

use std::collections::HashMap;

use chrono::Datelike;

use dyad_extract::Coder;
use dyad_proto::v1::Article;
use dyad_store::Store;

/// The demo corpus: one `dyad.v1.Article` per line in proto3 JSON.
const STORIES: &str = include_str!("../data/demo/voa-stories.jsonl");

/// Where `--demo` keeps its store, apart from the user's own.
pub const DATA_DIR: &str = "./dyad-demo";

/// What seeding stored.
pub struct Seeded {
    /// Stories in the corpus.
    pub stories: usize,
    /// Events coded from them.
    pub events: usize,
    /// The two countries most often in events with each other.
    pub top_pair: Option<(String, String)>,
    /// The years the stories were published in, first and last.
    pub years: Option<(i32, i32)>,
}

/// Codes and stores every demo story not stored yet (a second start finds
/// them all known).
pub async fn seed(store: &dyn Store, coder: &Coder) -> anyhow::Result<Seeded> {
    let limits = dyad_ingest::IngestConfig::default().limits();
    let mut pairs: HashMap<(String, String), usize> = HashMap::new();
    let mut years: Option<(i32, i32)> = None;
    let (mut stories, mut events) = (0, 0);
    for line in STORIES.lines().filter(|line| !line.trim().is_empty()) {
        let article: Article = serde_json::from_str(line)?;
        let coded = dyad_ingest::extract_events(coder, Some(article), limits)?;
        let article = coded.article.unwrap_or_default();
        // Stored now or by an earlier start: the examples are the same.
        store
            .put_article(&article, &coded.events, dyad_extract::CODER_VERSION)
            .await?;
        stories += 1;
        events += coded.events.len();
        let published = article
            .publish_time
            .as_ref()
            .and_then(|time| chrono::DateTime::from_timestamp(time.seconds, 0).map(|t| t.year()));
        if let Some(year) = published {
            years = Some(years.map_or((year, year), |(first, last)| {
                (first.min(year), last.max(year))
            }));
        }
        for event in &coded.events {
            let country = |side: &Option<dyad_proto::v1::Actor>| {
                side.as_ref()
                    .map(|a| a.country_code.clone())
                    .filter(|c| c.len() == 3)
            };
            if let (Some(a), Some(b)) = (country(&event.source), country(&event.target))
                && a != b
            {
                let pair = if a < b { (a, b) } else { (b, a) };
                *pairs.entry(pair).or_default() += 1;
            }
        }
    }
    let top_pair = pairs
        .into_iter()
        .max_by(|(pa, na), (pb, nb)| na.cmp(nb).then(pb.cmp(pa)))
        .map(|(pair, _)| pair);
    Ok(Seeded {
        stories,
        events,
        top_pair,
        years,
    })
}

/// The pages and queries to try on the seeded store, for the web view at
/// `http` (when served) and the query service at `query`.
pub fn examples(seeded: &Seeded, query: &str, http: Option<&str>) -> String {
    let (a, b) = seeded
        .top_pair
        .clone()
        .unwrap_or_else(|| ("USA".to_string(), "CHN".to_string()));
    let (first, last) = seeded.years.unwrap_or((2019, 2025));
    let window = format!("from={first}-01-01&to={}-01-01", last + 1);
    let pages = match http {
        Some(http) => format!(
            "open the web view: http://{http}/?{window}\n  \
             http://{http}/dyad/{a}/{b}?{window}&bucket=year\n  \
             http://{http}/actor/{a}?{window}\n  \
             http://{http}/graph?{window}\n"
        ),
        None => String::new(),
    };
    let window = format!(
        "\"startTime\": \"{first}-01-01T00:00:00Z\", \"endTime\": \"{}-01-01T00:00:00Z\"",
        last + 1
    );
    format!(
        "dyad: demo    {stories} Voice of America stories (public domain), {events} events, {first}–{last}\n\
         {pages}\
         try, on the pair the stories report most ({a} and {b}):\n  \
         grpcurl -plaintext -d '{{\"actor\": {{\"countryCode\": \"{a}\"}}, {window}}}' {query} dyad.v1.QueryService/ListRelations\n  \
         grpcurl -plaintext -d '{{\"actorA\": {{\"countryCode\": \"{a}\"}}, \"actorB\": {{\"countryCode\": \"{b}\"}}, {window}, \"bucket\": \"BUCKET_YEAR\"}}' {query} dyad.v1.QueryService/GetDyadHistory\n  \
         grpcurl -plaintext -d '{{\"filter\": {{\"actor\": {{\"countryCode\": \"{a}\"}}, \"counterpart\": {{\"countryCode\": \"{b}\"}}}}, \"includeMentions\": true}}' {query} dyad.v1.QueryService/ListEvents\n",
        stories = seeded.stories,
        events = seeded.events,
    )
}
