//! Time buckets: which bucket a day falls in, the buckets of a window, and
//! which rollup grain serves them.

use chrono::{Datelike, Days, Months, NaiveDate};
use dyad_proto::v1::Bucket;
use dyad_store::Grain;

use crate::error::QueryError;

/// Most buckets a series may have.
pub const MAX_BUCKETS: usize = 5000;

/// The bucket of a request: unspecified means month; unknown values are
/// refused.
pub fn bucket_of(field: &'static str, value: i32) -> Result<Bucket, QueryError> {
    match Bucket::try_from(value) {
        Ok(Bucket::Unspecified) => Ok(Bucket::Month),
        Ok(bucket) => Ok(bucket),
        Err(_) => Err(QueryError::invalid(
            field,
            format!("{value} is not a bucket"),
        )),
    }
}

/// The first day of the bucket `day` falls in.
pub fn start_of(day: NaiveDate, bucket: Bucket) -> NaiveDate {
    let month_start = |month: u32| NaiveDate::from_ymd_opt(day.year(), month, 1).unwrap_or(day);
    match bucket {
        Bucket::Day | Bucket::Unspecified => day,
        Bucket::Week => day - Days::new(u64::from(day.weekday().num_days_from_monday())),
        Bucket::Month => month_start(day.month()),
        Bucket::Quarter => month_start((day.month0() / 3) * 3 + 1),
        Bucket::Year => month_start(1),
    }
}

/// The first day of the bucket after the one starting on `start`.
pub fn next(start: NaiveDate, bucket: Bucket) -> NaiveDate {
    match bucket {
        Bucket::Day | Bucket::Unspecified => start + Days::new(1),
        Bucket::Week => start + Days::new(7),
        Bucket::Month => start + Months::new(1),
        Bucket::Quarter => start + Months::new(3),
        Bucket::Year => start + Months::new(12),
    }
}

/// The buckets covering `[start, end)`, by first day; at most
/// [`MAX_BUCKETS`], else an error on `end_field`.
pub fn buckets(
    start: NaiveDate,
    end: NaiveDate,
    bucket: Bucket,
    end_field: &'static str,
) -> Result<Vec<NaiveDate>, QueryError> {
    let mut starts = Vec::new();
    let mut current = start_of(start, bucket);
    while current < end {
        if starts.len() == MAX_BUCKETS {
            return Err(QueryError::invalid(
                end_field,
                format!(
                    "the window has more than {MAX_BUCKETS} buckets: shorten it or widen the bucket"
                ),
            ));
        }
        starts.push(current);
        current = next(current, bucket);
    }
    Ok(starts)
}

/// The rollup grain that answers a bucket width.
pub fn grain_for(bucket: Bucket) -> Grain {
    match bucket {
        Bucket::Day | Bucket::Week | Bucket::Unspecified => Grain::Day,
        Bucket::Month | Bucket::Quarter | Bucket::Year => Grain::Month,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn days_fall_in_their_buckets() {
        let d = day("2024-05-08"); // a Wednesday
        assert_eq!(start_of(d, Bucket::Week), day("2024-05-06"));
        assert_eq!(start_of(d, Bucket::Month), day("2024-05-01"));
        assert_eq!(start_of(d, Bucket::Quarter), day("2024-04-01"));
        assert_eq!(start_of(d, Bucket::Year), day("2024-01-01"));
        assert_eq!(
            start_of(day("2024-12-31"), Bucket::Quarter),
            day("2024-10-01")
        );
    }

    #[test]
    fn a_window_is_covered_by_whole_buckets() {
        let months = buckets(day("2024-01-15"), day("2024-04-01"), Bucket::Month, "end").unwrap();
        assert_eq!(
            months,
            [day("2024-01-01"), day("2024-02-01"), day("2024-03-01")]
        );
        let weeks = buckets(day("2024-12-30"), day("2025-01-07"), Bucket::Week, "end").unwrap();
        assert_eq!(weeks, [day("2024-12-30"), day("2025-01-06")]);
        assert!(buckets(day("1900-01-01"), day("2024-01-01"), Bucket::Day, "end").is_err());
    }
}
