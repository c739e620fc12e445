//! The web view's charts, drawn as SVG on the server: a dyad's two series
//! of mean Goldstein scores with its shifts marked, and a relation graph.
//! A few dozen lines of SVG each; a charting crate would bring font
//! handling and layout machinery these two pictures do not need. Each chart
//! has a title for screen readers, and the pages put the same numbers in a
//! table beside it.

use maud::{Markup, html};

const WIDTH: f64 = 760.0;
const HEIGHT: f64 = 280.0;
const LEFT: f64 = 44.0;
const RIGHT: f64 = 16.0;
const TOP: f64 = 16.0;
const BOTTOM: f64 = 36.0;
/// The Goldstein scale's extremes.
const SCALE: f64 = 10.0;

/// One bucket of a dyad's series: its label and each direction's mean
/// Goldstein score (none when nothing happened that way).
pub struct Bucket {
    pub label: String,
    pub a_to_b: Option<f64>,
    pub b_to_a: Option<f64>,
}

fn x_of(index: usize, count: usize) -> f64 {
    let span = WIDTH - LEFT - RIGHT;
    if count <= 1 {
        LEFT + span / 2.0
    } else {
        LEFT + span * index as f64 / (count - 1) as f64
    }
}

fn y_of(value: f64) -> f64 {
    let span = HEIGHT - TOP - BOTTOM;
    TOP + span * (SCALE - value.clamp(-SCALE, SCALE)) / (2.0 * SCALE)
}

/// Runs of consecutive buckets with a value, as SVG point lists.
fn segments(values: impl Iterator<Item = Option<f64>>, count: usize) -> Vec<String> {
    let mut runs = Vec::new();
    let mut run: Vec<String> = Vec::new();
    for (index, value) in values.enumerate() {
        match value {
            Some(v) => run.push(format!("{:.1},{:.1}", x_of(index, count), y_of(v))),
            None if !run.is_empty() => runs.push(std::mem::take(&mut run).join(" ")),
            None => {}
        }
    }
    if !run.is_empty() {
        runs.push(run.join(" "));
    }
    runs
}

/// The series chart of a dyad: A→B and B→A mean Goldstein per bucket, the
/// buckets at `shifts` marked.
pub fn series(title: &str, names: (&str, &str), buckets: &[Bucket], shifts: &[usize]) -> Markup {
    let count = buckets.len();
    let directions = [
        ("a-to-b", format!("{} → {}", names.0, names.1), 0),
        ("b-to-a", format!("{} → {}", names.1, names.0), 1),
    ];
    html! {
        svg class="chart" viewBox=(format!("0 0 {WIDTH} {HEIGHT}")) role="img" aria-labelledby="chart-title" {
            title id="chart-title" { (title) }
            @for tick in [-10.0, -5.0, 0.0, 5.0, 10.0] {
                line class=(if tick == 0.0 { "zero" } else { "grid" }) x1=(LEFT) x2=(WIDTH - RIGHT) y1=(y_of(tick)) y2=(y_of(tick)) {}
                text class="tick" x=(LEFT - 6.0) y=(y_of(tick) + 4.0) text-anchor="end" { (tick) }
            }
            @for &index in shifts {
                line class="shift" x1=(x_of(index, count)) x2=(x_of(index, count)) y1=(TOP) y2=(HEIGHT - BOTTOM) {}
                text class="shift-label" x=(x_of(index, count) + 4.0) y=(TOP + 12.0) { "shift" }
            }
            @for (class, label, side) in &directions {
                g class=(class) {
                    title { (label) }
                    @for points in segments(buckets.iter().map(|b| if *side == 0 { b.a_to_b } else { b.b_to_a }), count) {
                        polyline points=(points) {}
                    }
                    @for (index, bucket) in buckets.iter().enumerate() {
                        @if let Some(value) = if *side == 0 { bucket.a_to_b } else { bucket.b_to_a } {
                            circle cx=(format!("{:.1}", x_of(index, count))) cy=(format!("{:.1}", y_of(value))) r="3" {
                                title { (label) ", " (bucket.label) ": " (format!("{value:.2}")) }
                            }
                        }
                    }
                }
            }
            @if let (Some(first), Some(last)) = (buckets.first(), buckets.last()) {
                text class="tick" x=(LEFT) y=(HEIGHT - 12.0) { (first.label) }
                text class="tick" x=(WIDTH - RIGHT) y=(HEIGHT - 12.0) text-anchor="end" { (last.label) }
            }
        }
    }
}

/// A node of the relation graph: its code, name and events.
pub struct Node {
    pub code: String,
    pub name: String,
    pub events: u64,
}

/// An edge: its two nodes' indexes, events and net cooperation (−1 to 1).
pub struct Edge {
    pub from: usize,
    pub to: usize,
    pub events: u64,
    pub net_cooperation: f64,
}

/// The relation graph, nodes on a circle sized by events, edges coloured
/// by net cooperation (green cooperative, red hostile); each node links to
/// its actor page, each edge to its dyad page (with `query`, the window).
pub fn graph(title: &str, nodes: &[Node], edges: &[Edge], query: &str) -> Markup {
    let (cx, cy, radius) = (WIDTH / 2.0, 300.0, 240.0);
    let at = |index: usize| {
        let angle = std::f64::consts::TAU * index as f64 / nodes.len().max(1) as f64;
        (cx + radius * angle.cos(), cy + radius * angle.sin())
    };
    let most = nodes.iter().map(|n| n.events).max().unwrap_or(1).max(1) as f64;
    html! {
        svg class="graph" viewBox=(format!("0 0 {WIDTH} 600")) role="img" aria-labelledby="graph-title" {
            title id="graph-title" { (title) }
            @for edge in edges {
                @let ((x1, y1), (x2, y2)) = (at(edge.from), at(edge.to));
                a href=(format!("/dyad/{}/{}{query}", nodes[edge.from].code, nodes[edge.to].code)) {
                    line class=(if edge.net_cooperation > 0.0 { "edge cooperative" } else if edge.net_cooperation < 0.0 { "edge hostile" } else { "edge neutral" })
                        x1=(format!("{x1:.1}")) y1=(format!("{y1:.1}")) x2=(format!("{x2:.1}")) y2=(format!("{y2:.1}"))
                        stroke-width=(format!("{:.1}", 1.0 + (edge.events as f64).sqrt())) {
                        title { (nodes[edge.from].code) " – " (nodes[edge.to].code) ": " (edge.events) " events, net cooperation " (format!("{:.2}", edge.net_cooperation)) }
                    }
                }
            }
            @for (index, node) in nodes.iter().enumerate() {
                @let (x, y) = at(index);
                a href=(format!("/actor/{}{query}", node.code)) {
                    circle class="node" cx=(format!("{x:.1}")) cy=(format!("{y:.1}")) r=(format!("{:.1}", 6.0 + 18.0 * (node.events as f64 / most).sqrt())) {
                        title { (node.name) " (" (node.code) "): " (node.events) " events" }
                    }
                    text class="node-label" x=(format!("{x:.1}")) y=(format!("{:.1}", y - 26.0)) text-anchor="middle" { (node.code) }
                }
            }
        }
    }
}
