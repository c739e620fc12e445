//! Counts as the API shows them, and the summing of tallied rows into
//! buckets.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use dyad_proto::v1::{self, Bucket};
use dyad_store::{Tally, TallyRow};

use crate::buckets;

/// The API form of a tally, with its mean and net cooperation.
pub fn tally_message(tally: &Tally) -> v1::Tally {
    let count = |n: i64| u64::try_from(n).unwrap_or(0);
    v1::Tally {
        events: count(tally.events),
        verbal_cooperation: count(tally.quads[0]),
        material_cooperation: count(tally.quads[1]),
        verbal_conflict: count(tally.quads[2]),
        material_conflict: count(tally.quads[3]),
        goldstein_sum: tally.goldstein_sum,
        goldstein_mean: goldstein_mean(tally),
        net_cooperation: net_cooperation(tally),
        mentions: count(tally.mentions),
    }
}

/// Mean Goldstein score; 0 without events.
pub fn goldstein_mean(tally: &Tally) -> f64 {
    if tally.events > 0 {
        tally.goldstein_sum / tally.events as f64
    } else {
        0.0
    }
}

/// (cooperation - conflict) / events; 0 without events.
pub fn net_cooperation(tally: &Tally) -> f64 {
    if tally.events > 0 {
        let [vc, mc, vk, mk] = tally.quads;
        (vc + mc - vk - mk) as f64 / tally.events as f64
    } else {
        0.0
    }
}

/// Sums rows (by period) into the buckets starting on `starts`; every
/// bucket is present, empty ones with zeros.
pub fn into_buckets(rows: &[TallyRow], starts: &[NaiveDate], bucket: Bucket) -> Vec<Tally> {
    let index: BTreeMap<NaiveDate, usize> =
        starts.iter().enumerate().map(|(i, &d)| (d, i)).collect();
    let mut sums = vec![Tally::default(); starts.len()];
    for row in rows {
        let Ok(day) = row.period.parse::<NaiveDate>() else {
            continue;
        };
        if let Some(&i) = index.get(&buckets::start_of(day, bucket)) {
            sums[i].add(&row.tally);
        }
    }
    sums
}
