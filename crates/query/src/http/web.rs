//! The web view: server-rendered pages for analysts on the HTTP port, each
//! at a stable, shareable URL and readable without JavaScript — home with
//! search, actor, dyad (its series with shifts and their example events),
//! event (every field, each mention's sentence) and the relation graph.
//! Every page reads through the same gRPC service, tokens and limits as
//! the API.

use axum::{
    Router,
    extract::{Path, Query, State},
    http::{HeaderMap, header},
    response::{IntoResponse, Response},
    routing::get,
};
use chrono::{Days, NaiveDate, Utc};
use dyad_proto::errors;
use dyad_proto::{
    Timestamp,
    v1::{
        ActorLevel, ActorMatch, Bucket, Event, EventFilter, GetArticleRequest, GetArticleResponse,
        GetDyadHistoryRequest, GetDyadHistoryResponse, GetEventRequest, GetEventResponse,
        GetRelationGraphRequest, GetRelationGraphResponse, GetTimelineRequest, GetTimelineResponse,
        GraphEdge, ListEventsRequest, ListEventsResponse, ListRelationsRequest,
        ListRelationsResponse, Modality, SearchActorsRequest, SearchActorsResponse, Tally,
    },
};
use maud::{DOCTYPE, Markup, PreEscaped, html};
use serde::Deserialize;
use tonic::Status;

use super::{Gateway, chart};

/// The pages' routes.
pub(super) fn routes() -> Router<Gateway> {
    Router::new()
        .route("/", get(home))
        .route("/search", get(search))
        .route("/actor/{code}", get(actor))
        .route("/dyad/{a}/{b}", get(dyad))
        .route("/event/{id}", get(event))
        .route("/article/{id}", get(article))
        .route("/graph", get(graph))
}

/// A page's window and bucket, from `?from=YYYY-MM-DD&to=YYYY-MM-DD&bucket=`.
#[derive(Deserialize, Default)]
struct Window {
    from: Option<String>,
    to: Option<String>,
    bucket: Option<String>,
    /// A CAMEO code or root ("19", "112").
    code: Option<String>,
    /// A quad class, 1 to 4.
    quad: Option<i32>,
    /// asserted, negated, intended or hypothetical.
    modality: Option<String>,
    /// Only events reported by at least this many outlets.
    min_sources: Option<u32>,
}

/// How far back a page looks by default.
const DEFAULT_YEARS: u64 = 10;

impl Window {
    fn dates(&self) -> Result<(NaiveDate, NaiveDate), Status> {
        let parse = |field: &str, text: &Option<String>| {
            text.as_deref()
                .filter(|t| !t.is_empty())
                .map(|t| {
                    NaiveDate::parse_from_str(t, "%Y-%m-%d").map_err(|_| {
                        errors::invalid_field(field, &format!("{t:?} is not YYYY-MM-DD"))
                    })
                })
                .transpose()
        };
        let to = parse("to", &self.to)?.unwrap_or_else(|| Utc::now().date_naive() + Days::new(1));
        let from = parse("from", &self.from)?
            .unwrap_or_else(|| to - Days::new(365 * DEFAULT_YEARS + DEFAULT_YEARS / 4));
        Ok((from, to))
    }

    fn timestamps(&self) -> Result<(Option<Timestamp>, Option<Timestamp>), Status> {
        let (from, to) = self.dates()?;
        let at = |d: NaiveDate| Timestamp {
            seconds: d
                .and_hms_opt(0, 0, 0)
                .expect("midnight")
                .and_utc()
                .timestamp(),
            nanos: 0,
        };
        Ok((Some(at(from)), Some(at(to))))
    }

    fn bucket(&self) -> Bucket {
        match self.bucket.as_deref() {
            Some("day") => Bucket::Day,
            Some("week") => Bucket::Week,
            Some("month") => Bucket::Month,
            Some("year") => Bucket::Year,
            _ => Bucket::Quarter,
        }
    }

    /// The event filter of the page's list: the window and its filters.
    fn filter(&self, actor: ActorMatch) -> Result<EventFilter, Status> {
        let (start_time, end_time) = self.timestamps()?;
        let modality = match self.modality.as_deref().unwrap_or_default() {
            "" => None,
            "asserted" => Some(Modality::Asserted),
            "negated" => Some(Modality::Negated),
            "intended" => Some(Modality::Intended),
            "hypothetical" => Some(Modality::Hypothetical),
            other => {
                return Err(errors::invalid_field(
                    "modality",
                    &format!("{other:?} is not asserted, negated, intended or hypothetical"),
                ));
            }
        };
        Ok(EventFilter {
            actor: Some(actor),
            start_time,
            end_time,
            cameo_codes: self
                .code
                .iter()
                .filter(|c| !c.is_empty())
                .cloned()
                .collect(),
            quad_classes: self.quad.into_iter().collect(),
            modalities: modality.into_iter().map(|m| m as i32).collect(),
            min_sources: self.min_sources.unwrap_or_default(),
            ..Default::default()
        })
    }

    /// The form that sets the window and filters, for the page at `action`.
    fn form(&self, action: &str, with_filters: bool) -> Markup {
        let (from, to) = self.dates().unwrap_or_default();
        let bucket = self.bucket.clone().unwrap_or_else(|| "quarter".to_string());
        html! {
            form.filters action=(action) method="get" {
                label { "From " input type="date" name="from" value=(from); }
                label { " to " input type="date" name="to" value=(to); }
                @if with_filters {
                    label { " CAMEO code " input type="text" name="code" size="4" value=(self.code.clone().unwrap_or_default()); }
                    label { " quad class "
                        select name="quad" {
                            option value="" { "any" }
                            @for (value, name) in [(1, "verbal cooperation"), (2, "material cooperation"), (3, "verbal conflict"), (4, "material conflict")] {
                                option value=(value) selected[self.quad == Some(value)] { (name) }
                            }
                        }
                    }
                    label { " modality "
                        select name="modality" {
                            @for value in ["", "asserted", "negated", "intended", "hypothetical"] {
                                option value=(value) selected[self.modality.as_deref().unwrap_or_default() == value] { (if value.is_empty() { "asserted (default)" } else { value }) }
                            }
                        }
                    }
                    label { " min. outlets " input type="number" name="min_sources" min="0" size="3" value=(self.min_sources.unwrap_or_default()); }
                } @else {
                    label { " buckets "
                        select name="bucket" {
                            @for value in ["day", "week", "month", "quarter", "year"] {
                                option value=(value) selected[bucket == value] { (value) }
                            }
                        }
                    }
                }
                " " button type="submit" { "Show" }
            }
        }
    }

    /// The window as a query string, to carry to the next page.
    fn query(&self) -> String {
        match self.dates() {
            Ok((from, to)) => format!("?from={from}&to={to}"),
            Err(_) => String::new(),
        }
    }
}

/// An actor in a URL: a three-letter country or a longer actor code.
fn matcher(code: &str) -> ActorMatch {
    let code = code.to_uppercase();
    if code.len() == 3 {
        ActorMatch {
            country_code: code,
            ..Default::default()
        }
    } else {
        ActorMatch {
            code,
            ..Default::default()
        }
    }
}

fn page(title: &str, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " — Dyad" }
                style { (PreEscaped(STYLE)) }
            }
            body {
                header {
                    a href="/" { strong { "Dyad" } }
                    form action="/search" method="get" role="search" {
                        label for="q" { "Find an actor " }
                        input id="q" name="q" type="search" placeholder="Armenia, Pashinyan, NATO";
                        button type="submit" { "Search" }
                    }
                    a href="/graph" { "Relation graph" }
                }
                main { h1 { (title) } (body) }
            }
        }
    }
}

const STYLE: &str = "body{font:15px/1.45 system-ui,sans-serif;margin:0 auto;max-width:62rem;padding:0 1rem;color:#222}\
header{display:flex;gap:1.5rem;align-items:center;padding:.6rem 0;border-bottom:1px solid #ddd}\
table{border-collapse:collapse;margin:.5rem 0}td,th{padding:.2rem .6rem;border-bottom:1px solid #eee;text-align:left}\
td.n{text-align:right;font-variant-numeric:tabular-nums}svg{width:100%;height:auto;background:#fafafa}\
.grid{stroke:#e4e4e4}.zero{stroke:#999}.tick{font-size:11px;fill:#666}.shift{stroke:#c0392b;stroke-dasharray:4 3}\
.shift-label{font-size:11px;fill:#c0392b}.a-to-b polyline{fill:none;stroke:#1f77b4;stroke-width:2}.a-to-b circle{fill:#1f77b4}\
.b-to-a polyline{fill:none;stroke:#ff7f0e;stroke-width:2}.b-to-a circle{fill:#ff7f0e}.cooperative{stroke:#2e8b57}\
.hostile{stroke:#c0392b}.neutral{stroke:#aaa}.edge{opacity:.6}.node{fill:#4a6fa5}.node-label{font-size:12px}\
mark{background:#fde68a}blockquote{margin:.4rem 0;padding:.3rem .8rem;border-left:3px solid #ccc}.legend span{margin-right:1rem}\
.key-a{color:#1f77b4}.key-b{color:#ff7f0e}";

/// A page that could not be made, answered with the HTTP status of the
/// call's status and a page saying why.
struct Failure(Status);

impl From<Status> for Failure {
    fn from(status: Status) -> Self {
        Failure(status)
    }
}

impl IntoResponse for Failure {
    fn into_response(self) -> Response {
        let code = super::error(self.0.clone()).status();
        let body = page(
            "Not available",
            html! { p { (self.0.message()) } p { a href="/" { "Back to the start" } } },
        );
        (code, body).into_response()
    }
}

fn authorization(headers: &HeaderMap) -> Option<&axum::http::HeaderValue> {
    headers.get(header::AUTHORIZATION)
}

fn tally_cells(tally: Option<&Tally>) -> Markup {
    let tally = tally.copied().unwrap_or_default();
    html! {
        td.n { (tally.events) }
        td.n { (format!("{:+.2}", tally.goldstein_mean)) }
        td.n { (format!("{:+.2}", tally.net_cooperation)) }
    }
}

fn quad_heads() -> Markup {
    html! { th { "verbal coop." } th { "material coop." } th { "verbal conflict" } th { "material conflict" } }
}

fn quad_cells(tally: Option<&Tally>) -> Markup {
    let tally = tally.copied().unwrap_or_default();
    html! {
        td.n { (tally.verbal_cooperation) }
        td.n { (tally.material_cooperation) }
        td.n { (tally.verbal_conflict) }
        td.n { (tally.material_conflict) }
    }
}

/// A bucket's first day.
fn day_of(time: &Option<Timestamp>) -> String {
    time.as_ref()
        .and_then(|t| chrono::DateTime::from_timestamp(t.seconds, 0))
        .map(|t| t.date_naive().to_string())
        .unwrap_or_default()
}

/// The relation graph of the window, its `top_k` actors.
async fn relation_graph(
    gateway: &Gateway,
    window: &Window,
    headers: &HeaderMap,
    top_k: i32,
) -> Result<GetRelationGraphResponse, Failure> {
    let (start_time, end_time) = window.timestamps()?;
    let request = GetRelationGraphRequest {
        start_time,
        end_time,
        top_k,
        ..Default::default()
    };
    Ok(gateway
        .call("GetRelationGraph", &request, authorization(headers))
        .await?)
}

/// The pairs of a graph, each linking to its dyad page in the same window.
fn pairs_table(caption: &str, edges: &[GraphEdge], window: &Window) -> Markup {
    let query = window.query();
    html! {
        table {
            caption { (caption) }
            thead { tr { th { "Pair" } th { "Events" } th { "Mean Goldstein" } th { "Net cooperation" } } }
            tbody {
                @for edge in edges {
                    tr {
                        td { a href=(format!("/dyad/{}/{}{query}", edge.source, edge.target)) { (edge.source) " – " (edge.target) } }
                        (tally_cells(edge.tally.as_ref()))
                    }
                }
            }
        }
    }
}

fn event_row(event: &Event) -> Markup {
    let side =
        |a: &Option<dyad_proto::v1::Actor>| a.as_ref().map(|a| a.code.clone()).unwrap_or_default();
    let date = event
        .date
        .as_ref()
        .map(|d| d.start_date.clone())
        .unwrap_or_default();
    let sentence = event
        .mentions
        .first()
        .map(|m| m.sentence_text.clone())
        .unwrap_or_default();
    html! {
        tr {
            td { (date) }
            td { (side(&event.source)) }
            td { a href=(format!("/event/{}", event.id)) { (event.cameo_code) " " (event.cameo_name) } }
            td { (side(&event.target)) }
            td { (sentence) }
        }
    }
}

async fn home(
    State(gateway): State<Gateway>,
    Query(window): Query<Window>,
    headers: HeaderMap,
) -> Result<Markup, Failure> {
    let mut graph = relation_graph(&gateway, &window, &headers, 15).await?;
    graph
        .edges
        .sort_by_key(|e| std::cmp::Reverse(e.tally.as_ref().map_or(0, |t| t.events)));
    Ok(page(
        "Who deals with whom",
        html! {
            p { "The pairs of actors with the most events in the window. Follow a pair for its history, an actor for its counterparts." }
            @if graph.edges.is_empty() {
                p { "No events in this window yet. Load articles with " code { "dyad ingest" } ", or start " code { "dyad up --demo" } "." }
            } @else {
                (pairs_table("Most reported pairs", &graph.edges, &window))
            }
        },
    ))
}

#[derive(Deserialize)]
struct SearchQuery {
    q: Option<String>,
}

async fn search(
    State(gateway): State<Gateway>,
    Query(query): Query<SearchQuery>,
    headers: HeaderMap,
) -> Result<Markup, Failure> {
    let text = query.q.unwrap_or_default();
    if text.trim().is_empty() {
        return Ok(page(
            "Find an actor",
            html! { p { "Type a name, a country or a code above." } },
        ));
    }
    let request = SearchActorsRequest {
        query: text.clone(),
        limit: 20,
        ..Default::default()
    };
    let found: SearchActorsResponse = gateway
        .call("SearchActors", &request, authorization(&headers))
        .await?;
    Ok(page(
        &format!("Actors matching “{text}”"),
        html! {
            @if found.actors.is_empty() { p { "No actor matches." } }
            ul {
                @for result in &found.actors {
                    @if let Some(actor) = &result.actor {
                        li { a href=(format!("/actor/{}", actor.code)) { (actor.name) " (" (actor.code) ")" } " — " (result.events) " events" }
                    }
                }
            }
        },
    ))
}

async fn actor(
    State(gateway): State<Gateway>,
    Path(code): Path<String>,
    Query(window): Query<Window>,
    headers: HeaderMap,
) -> Result<Markup, Failure> {
    let (start_time, end_time) = window.timestamps()?;
    let auth = authorization(&headers);
    let level = if code.len() == 3 {
        ActorLevel::Country
    } else {
        ActorLevel::Actor
    };
    let relations = ListRelationsRequest {
        actor: Some(matcher(&code)),
        start_time,
        end_time,
        level: level as i32,
        limit: 30,
        ..Default::default()
    };
    let relations: ListRelationsResponse = gateway.call("ListRelations", &relations, auth).await?;
    let filter = window.filter(matcher(&code))?;
    let events = ListEventsRequest {
        filter: Some(filter.clone()),
        page_size: 20,
        descending: true,
        include_mentions: true,
        ..Default::default()
    };
    let events: ListEventsResponse = gateway.call("ListEvents", &events, auth).await?;
    let timeline = GetTimelineRequest {
        filter: Some(filter),
        bucket: window.bucket() as i32,
        normalize: false,
    };
    let timeline: GetTimelineResponse = gateway.call("GetTimeline", &timeline, auth).await?;
    let names = SearchActorsRequest {
        query: code.clone(),
        limit: 5,
        ..Default::default()
    };
    let names: SearchActorsResponse = gateway
        .call("SearchActors", &names, auth)
        .await
        .unwrap_or_default();
    let code = code.to_uppercase();
    let aliases: Vec<String> = names
        .actors
        .iter()
        .filter(|m| m.actor.as_ref().is_some_and(|a| a.code == code))
        .flat_map(|m| m.aliases.iter().cloned())
        .take(12)
        .collect();
    let query = window.query();
    Ok(page(
        &format!("{code}: counterparts and events"),
        html! {
            (window.form(&format!("/actor/{code}"), true))
            @if !aliases.is_empty() {
                p { "In the news as: " (aliases.join(", ")) "." }
            }
            table {
                caption { "Counterparts, by events in the window" }
                thead { tr { th { "Counterpart" } th { "Events" } th { "Mean Goldstein" } th { "Net cooperation" } th { "History" } } }
                tbody {
                    @for relation in &relations.relations {
                        tr {
                            td { a href=(format!("/actor/{}{query}", relation.counterpart)) { (relation.counterpart_name) " (" (relation.counterpart) ")" } }
                            (tally_cells(relation.combined.as_ref()))
                            td { a href=(format!("/dyad/{code}/{}{query}", relation.counterpart)) { "with " (code) } }
                        }
                    }
                }
            }
            h2 { "Timeline" }
            table {
                caption { "Events per " (window.bucket.clone().unwrap_or_else(|| "quarter".to_string())) " by quad class" }
                thead { tr { th { "From" } th { "Events" } (quad_heads()) th { "Mean Goldstein" } } }
                tbody {
                    @for point in timeline.points.iter().filter(|p| p.tally.is_some_and(|t| t.events > 0)) {
                        tr {
                            td { (day_of(&point.start_time)) }
                            td.n { (point.tally.map_or(0, |t| t.events)) }
                            (quad_cells(point.tally.as_ref()))
                            td.n { (format!("{:+.2}", point.tally.map_or(0.0, |t| t.goldstein_mean))) }
                        }
                    }
                }
            }
            h2 { "Latest events" }
            table {
                thead { tr { th { "Date" } th { "Source" } th { "Event" } th { "Target" } th { "Sentence" } } }
                tbody { @for event in &events.events { (event_row(event)) } }
            }
        },
    ))
}

async fn dyad(
    State(gateway): State<Gateway>,
    Path((a, b)): Path<(String, String)>,
    Query(window): Query<Window>,
    headers: HeaderMap,
) -> Result<Markup, Failure> {
    let (start_time, end_time) = window.timestamps()?;
    let request = GetDyadHistoryRequest {
        actor_a: Some(matcher(&a)),
        actor_b: Some(matcher(&b)),
        start_time,
        end_time,
        bucket: window.bucket() as i32,
        examples_per_shift: 3,
        ..Default::default()
    };
    let history: GetDyadHistoryResponse = gateway
        .call("GetDyadHistory", &request, authorization(&headers))
        .await?;
    let (a, b) = (a.to_uppercase(), b.to_uppercase());
    let label = day_of;
    let mean = |t: &Option<Tally>| {
        t.as_ref()
            .filter(|t| t.events > 0)
            .map(|t| t.goldstein_mean)
    };
    let buckets: Vec<chart::Bucket> = history
        .points
        .iter()
        .map(|p| chart::Bucket {
            label: label(&p.start_time),
            a_to_b: mean(&p.a_to_b),
            b_to_a: mean(&p.b_to_a),
        })
        .collect();
    let shift_at: Vec<usize> = history
        .shifts
        .iter()
        .filter_map(|s| {
            history
                .points
                .iter()
                .position(|p| p.start_time == s.start_time)
        })
        .collect();
    let trend = history.trend.unwrap_or_default();
    let reading = match trend.direction() {
        dyad_proto::v1::TrendDirection::Improving => "improving",
        dyad_proto::v1::TrendDirection::Worsening => "worsening",
        dyad_proto::v1::TrendDirection::Stable => "stable",
        dyad_proto::v1::TrendDirection::Unspecified => "not enough data to tell",
    };
    let title = format!("{a} and {b}: how they deal with each other");
    Ok(page(
        &title,
        html! {
            (window.form(&format!("/dyad/{a}/{b}"), false))
            p.legend {
                span.key-a { "● " (a) " → " (b) }
                span.key-b { "● " (b) " → " (a) }
                "Mean Goldstein score per bucket (−10 hostile … +10 cooperative); dashed lines mark shifts."
            }
            (chart::series(&format!("Mean Goldstein score of {a} → {b} and {b} → {a} per bucket"), (&a, &b), &buckets, &shift_at))
            p {
                "Trend: " strong { (reading) } " (" (format!("{:+.2}", trend.slope_per_year)) " per year, "
                (format!("{:+.2} to {:+.2}", trend.slope_low, trend.slope_high)) ", " (trend.buckets_used) " buckets). "
                "All events: " (history.total.as_ref().map_or(0, |t| t.events)) "."
            }
            @for shift in &history.shifts {
                section.shift-section {
                    h2 { "Shift at " (label(&shift.start_time)) }
                    p { "Mean Goldstein " (format!("{:+.2} → {:+.2}", shift.goldstein_mean_before, shift.goldstein_mean_after))
                        ", net cooperation " (format!("{:+.2} → {:+.2}", shift.net_cooperation_before, shift.net_cooperation_after)) "." }
                    table { tbody { @for event in &shift.examples { (event_row(event)) } } }
                }
            }
            table {
                caption { "The numbers behind the chart" }
                thead {
                    tr { th {} th colspan="6" { (a) " → " (b) } th colspan="6" { (b) " → " (a) } }
                    tr { th { "Bucket" } th { "events" } th { "mean" } (quad_heads()) th { "events" } th { "mean" } (quad_heads()) }
                }
                tbody {
                    @for point in &history.points {
                        tr {
                            td { (label(&point.start_time)) }
                            td.n { (point.a_to_b.as_ref().map_or(0, |t| t.events)) }
                            td.n { (mean(&point.a_to_b).map(|m| format!("{m:+.2}")).unwrap_or_default()) }
                            (quad_cells(point.a_to_b.as_ref()))
                            td.n { (point.b_to_a.as_ref().map_or(0, |t| t.events)) }
                            td.n { (mean(&point.b_to_a).map(|m| format!("{m:+.2}")).unwrap_or_default()) }
                            (quad_cells(point.b_to_a.as_ref()))
                        }
                    }
                }
            }
        },
    ))
}

/// `text` with each of `marks` (actor words) highlighted where it occurs.
fn highlighted(text: &str, marks: &[String]) -> Markup {
    let mut spans: Vec<(usize, usize)> = marks
        .iter()
        .filter(|m| !m.is_empty())
        .filter_map(|m| text.find(m.as_str()).map(|start| (start, start + m.len())))
        .collect();
    spans.sort_unstable();
    // (words, highlighted) pieces in order, overlapping marks dropped.
    let mut pieces: Vec<(&str, bool)> = Vec::new();
    let mut at = 0;
    for (start, end) in spans {
        if start >= at {
            pieces.push((&text[at..start], false));
            pieces.push((&text[start..end], true));
            at = end;
        }
    }
    pieces.push((&text[at..], false));
    html! {
        @for (words, marked) in pieces {
            @if marked { mark { (words) } } @else { (words) }
        }
    }
}

async fn event(
    State(gateway): State<Gateway>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Markup, Failure> {
    let answer: GetEventResponse = gateway
        .call(
            "GetEvent",
            &GetEventRequest {
                id: id.clone(),
                ..Default::default()
            },
            authorization(&headers),
        )
        .await?;
    let Some(event) = answer.event else {
        return Err(Failure(errors::status(
            tonic::Code::NotFound,
            format!("no event {id}"),
            errors::Reason::NotFound,
        )));
    };
    let actor = |a: &Option<dyad_proto::v1::Actor>| {
        a.as_ref()
            .map(|a| format!("{} — {} ({})", a.code, a.name, a.text))
            .unwrap_or_else(|| "—".to_string())
    };
    let marks: Vec<String> = [&event.source, &event.target]
        .iter()
        .filter_map(|a| a.as_ref().map(|a| a.text.clone()))
        .collect();
    let date = event.date.clone().unwrap_or_default();
    let place = event
        .location
        .as_ref()
        .map(|l| {
            format!(
                "{} ({}), {:.3}, {:.3}",
                l.name, l.country_code, l.latitude, l.longitude
            )
        })
        .unwrap_or_else(|| "—".to_string());
    Ok(page(
        &format!("{}: {}", event.cameo_code, event.cameo_name),
        html! {
            dl {
                dt { "Source" } dd { (actor(&event.source)) }
                dt { "Target" } dd { (actor(&event.target)) }
                dt { "CAMEO" } dd { (event.cameo_code) " " (event.cameo_name) " (root " (event.cameo_root) ", quad class " (event.quad_class().as_str_name()) ")" }
                dt { "Goldstein" } dd { (format!("{:+.1}", event.goldstein)) }
                dt { "PLOVER" } dd { (event.plover_type) }
                dt { "When" } dd { (date.start_date) " … " (date.end_date) " (" (date.precision().as_str_name()) ", " (date.basis().as_str_name()) ") " (date.text) }
                dt { "Where" } dd { (place) }
                dt { "Modality" } dd { (event.modality().as_str_name()) }
                dt { "Reported by" } dd { (actor(&event.reported_by)) }
                dt { "Confidence" } dd { (format!("{:.2}", event.confidence)) }
                dt { "Reports" } dd { (event.num_mentions) " mentions in " (event.num_articles) " articles from " (event.num_sources) " outlets" }
                dt { "Id" } dd { code { (event.id) } }
            }
            h2 { "Mentions" }
            @for mention in &event.mentions {
                blockquote.mention { (highlighted(&mention.sentence_text, &marks)) }
                p.small {
                    "Article " a href=(format!("/article/{}", mention.article_id)) { code { (mention.article_id) } } " (" (mention.outlet) "), sentence " (mention.sentence_index + 1)
                    "; rule " code { (mention.rule) } "; confidence " (format!("{:.2}", mention.confidence))
                    "; coder " (mention.coder_version) "."
                }
            }
        },
    ))
}

async fn graph(
    State(gateway): State<Gateway>,
    Query(window): Query<Window>,
    headers: HeaderMap,
) -> Result<Markup, Failure> {
    let answer = relation_graph(&gateway, &window, &headers, 25).await?;
    let nodes: Vec<chart::Node> = answer
        .nodes
        .iter()
        .map(|n| chart::Node {
            code: n.code.clone(),
            name: n.name.clone(),
            events: n.strength,
        })
        .collect();
    let index = |code: &str| nodes.iter().position(|n| n.code == code);
    let edges: Vec<chart::Edge> = answer
        .edges
        .iter()
        .filter_map(|e| {
            let tally = e.tally.unwrap_or_default();
            Some(chart::Edge {
                from: index(&e.source)?,
                to: index(&e.target)?,
                events: tally.events,
                net_cooperation: tally.net_cooperation,
            })
        })
        .collect();
    Ok(page(
        "Relation graph",
        html! {
            p { "Actors sized by events; lines green where relations are cooperative, red where hostile. Select an actor for its page." }
            (chart::graph("Relation graph of the window's most active actors", &nodes, &edges, &window.query()))
            (pairs_table("The pairs behind the graph", &answer.edges, &window))
        },
    ))
}

async fn article(
    State(gateway): State<Gateway>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Markup, Failure> {
    let request = GetArticleRequest {
        id: id.clone(),
        page_size: crate::lookup::MAX_PAGE as i32,
        ..Default::default()
    };
    let answer: GetArticleResponse = gateway
        .call("GetArticle", &request, authorization(&headers))
        .await?;
    let article = answer.article.unwrap_or_default();
    let title = if article.title.is_empty() {
        format!("Article {id}")
    } else {
        article.title.clone()
    };
    Ok(page(
        &title,
        html! {
            p {
                (article.outlet) " · published " (day_of(&article.publish_time))
                @if !article.url.is_empty() { " · " a href=(article.url) rel="noreferrer" { "the original" } }
            }
            h2 { "Events coded from it" }
            table {
                thead { tr { th { "Date" } th { "Source" } th { "Event" } th { "Target" } th { "Sentence" } } }
                tbody { @for event in &answer.events { (event_row(event)) } }
            }
            h2 { "Text" }
            @for paragraph in article.text.split("\n").filter(|p| !p.trim().is_empty()) {
                p { (paragraph) }
            }
        },
    ))
}
