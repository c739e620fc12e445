//! `GetDyadHistory`: two actors' relation over time, its trend and its
//! shifts, with the events that mark each shift.

use chrono::NaiveDate;
use dyad_proto::v1::{
    DyadPoint, Event, GetDyadHistoryRequest, GetDyadHistoryResponse, Modality, Shift, Trend,
    TrendDirection,
};
use dyad_store::{ActorMatch, EventFilter, Grouping, MENTIONS_IN_LISTINGS, PageRequest, Tally};

use crate::{
    Querier,
    analysis::{self, Point},
    buckets,
    error::QueryError,
    request,
    series::{goldstein_mean, into_buckets, net_cooperation, tally_message},
};

/// Examples per shift when the request gives none.
const DEFAULT_EXAMPLES: usize = 3;
/// Most examples per shift.
const MAX_EXAMPLES: usize = 20;
/// Buckets after a shift that its examples are drawn from.
const EXAMPLE_BUCKETS: usize = 2;
/// Events read to choose a shift's examples from.
const EXAMPLE_CANDIDATES: usize = 500;

impl Querier {
    /// The history of a request's dyad.
    pub(crate) async fn dyad_history(
        &self,
        request: GetDyadHistoryRequest,
    ) -> Result<GetDyadHistoryResponse, QueryError> {
        let directory = self
            .directory(&[request.actor_a.as_ref(), request.actor_b.as_ref()])
            .await?;
        let a = request::actor_match("actor_a", request.actor_a.as_ref(), Some(&directory))?;
        let b = request::actor_match("actor_b", request.actor_b.as_ref(), Some(&directory))?;
        for (field, side) in [("actor_a", &a), ("actor_b", &b)] {
            if side.is_empty() {
                return Err(QueryError::invalid(
                    field,
                    "is required: give an actor code or a country code",
                ));
            }
        }
        let (start, end) = request::window(
            ("start_time", &request.start_time),
            ("end_time", &request.end_time),
        )?;
        let bucket = buckets::bucket_of("bucket", request.bucket)?;
        let starts = buckets::buckets(start, end, bucket, "end_time")?;
        let examples = request::limit(
            "examples_per_shift",
            request.examples_per_shift,
            DEFAULT_EXAMPLES,
            MAX_EXAMPLES,
        )?;
        let min_confidence = request::min_confidence("min_confidence", request.min_confidence)?;
        let window = EventFilter {
            start_date: start.to_string(),
            end_date: end.to_string(),
            modalities: vec![Modality::Asserted as i32],
            min_confidence,
            ..Default::default()
        };
        let direction = |from: &ActorMatch, to: &ActorMatch| EventFilter {
            actor: from.clone(),
            counterpart: to.clone(),
            directed: true,
            ..window.clone()
        };
        let grouping = Grouping {
            grain: Some(buckets::grain_for(bucket)),
            ..Default::default()
        };
        let (a_to_b, b_to_a) = (direction(&a, &b), direction(&b, &a));
        let (ab_rows, ba_rows) = tokio::try_join!(
            self.store.tally(&a_to_b, &grouping),
            self.store.tally(&b_to_a, &grouping)
        )?;
        let ab = into_buckets(&ab_rows, &starts, bucket);
        let ba = into_buckets(&ba_rows, &starts, bucket);
        let combined: Vec<Tally> = ab
            .iter()
            .zip(&ba)
            .map(|(x, y)| {
                let mut both = *x;
                both.add(y);
                both
            })
            .collect();
        let mut total = Tally::default();
        combined.iter().for_each(|t| total.add(t));

        // Buckets with events, as points of the mean Goldstein series.
        let filled: Vec<usize> = (0..starts.len())
            .filter(|&i| combined[i].events > 0)
            .collect();
        let points: Vec<Point> = filled
            .iter()
            .map(|&i| Point {
                x: (starts[i] - start).num_days() as f64 / 365.25,
                y: goldstein_mean(&combined[i]),
                w: combined[i].events as f64,
            })
            .collect();
        let trend = analysis::trend(&points).map(|slope| Trend {
            slope_per_year: slope.per_year,
            slope_standard_error: slope.standard_error,
            slope_low: slope.low,
            slope_high: slope.high,
            direction: if slope.low > 0.0 {
                TrendDirection::Improving
            } else if slope.high < 0.0 {
                TrendDirection::Worsening
            } else {
                TrendDirection::Stable
            } as i32,
            buckets_used: slope.points as u32,
        });
        let cuts = analysis::shifts(&points);
        let mut shifts = Vec::with_capacity(cuts.len());
        for (n, &cut) in cuts.iter().enumerate() {
            let from = if n == 0 { 0 } else { cuts[n - 1] };
            let to = cuts.get(n + 1).copied().unwrap_or(points.len());
            let segment = |range: std::ops::Range<usize>| {
                let mut sum = Tally::default();
                range.for_each(|p| sum.add(&combined[filled[p]]));
                sum
            };
            let (before, after) = (segment(from..cut), segment(cut..to));
            let first_bucket = filled[cut];
            let examples_end = starts
                .get(first_bucket + EXAMPLE_BUCKETS)
                .copied()
                .unwrap_or(end)
                .min(end);
            let worse = goldstein_mean(&after) < goldstein_mean(&before);
            let examples = self
                .examples(
                    &a,
                    &b,
                    (starts[first_bucket].max(start), examples_end),
                    worse,
                    examples,
                    min_confidence,
                )
                .await?;
            shifts.push(Shift {
                start_time: Some(request::timestamp_of(starts[first_bucket])),
                goldstein_mean_before: goldstein_mean(&before),
                goldstein_mean_after: goldstein_mean(&after),
                net_cooperation_before: net_cooperation(&before),
                net_cooperation_after: net_cooperation(&after),
                examples,
            });
        }
        let points = starts
            .iter()
            .enumerate()
            .map(|(i, &day)| DyadPoint {
                start_time: Some(request::timestamp_of(day)),
                a_to_b: Some(tally_message(&ab[i])),
                b_to_a: Some(tally_message(&ba[i])),
                combined: Some(tally_message(&combined[i])),
            })
            .collect();
        Ok(GetDyadHistoryResponse {
            points,
            total: Some(tally_message(&total)),
            trend,
            shifts,
        })
    }

    /// The events between `a` and `b` in `[start, end)` that moved the
    /// relation most in its new direction (most hostile when it `worsened`),
    /// most widely reported first, with their mentions; only events of at
    /// least `min_confidence`.
    async fn examples(
        &self,
        a: &ActorMatch,
        b: &ActorMatch,
        (start, end): (NaiveDate, NaiveDate),
        worsened: bool,
        count: usize,
        min_confidence: f64,
    ) -> Result<Vec<Event>, QueryError> {
        let filter = EventFilter {
            actor: a.clone(),
            counterpart: b.clone(),
            start_date: start.to_string(),
            end_date: end.to_string(),
            modalities: vec![Modality::Asserted as i32],
            min_confidence,
            ..Default::default()
        };
        let page = PageRequest {
            limit: EXAMPLE_CANDIDATES,
            ..Default::default()
        };
        let mut candidates = self.store.list_events(&filter, &page).await?.events;
        let sign = if worsened { 1.0 } else { -1.0 };
        candidates.sort_by(|x, y| {
            (sign * x.goldstein)
                .total_cmp(&(sign * y.goldstein))
                .then(y.num_sources.cmp(&x.num_sources))
                .then(y.num_mentions.cmp(&x.num_mentions))
                .then_with(|| x.id.cmp(&y.id))
        });
        candidates.truncate(count);
        let mut examples = Vec::with_capacity(candidates.len());
        for candidate in candidates {
            if let Some(mut event) = self.store.get_event(&candidate.id).await? {
                event.mentions = self
                    .store
                    .event_mentions(&event.id, None, MENTIONS_IN_LISTINGS)
                    .await?
                    .mentions;
                examples.push(event);
            }
        }
        Ok(examples)
    }
}
