//! `GetTimeline`: events of a filter counted per time bucket.

use chrono::NaiveDate;
use dyad_proto::v1::{GetTimelineRequest, GetTimelineResponse, TimelinePoint};
use dyad_store::{EventFilter, Grouping, Tally};

use crate::{
    Querier, buckets,
    error::QueryError,
    request,
    series::{into_buckets, tally_message},
};

impl Querier {
    /// The series of a timeline request.
    pub(crate) async fn timeline(
        &self,
        request: GetTimelineRequest,
    ) -> Result<GetTimelineResponse, QueryError> {
        let filter = self.event_filter(request.filter.as_ref()).await?;
        let bucket = buckets::bucket_of("bucket", request.bucket)?;
        let day = |field: &'static str, text: &str| {
            text.parse::<NaiveDate>()
                .map_err(|_| QueryError::invalid(field, "is required: a timeline covers a window"))
        };
        let start = day("filter.start_time", &filter.start_date)?;
        let end = day("filter.end_time", &filter.end_date)?;
        crate::request::check_order(start, end, "filter.end_time")?;
        let starts = buckets::buckets(start, end, bucket, "filter.end_time")?;
        let grouping = Grouping {
            grain: Some(buckets::grain_for(bucket)),
            ..Default::default()
        };
        let everything = EventFilter {
            start_date: filter.start_date.clone(),
            end_date: filter.end_date.clone(),
            precisions: filter.precisions.clone(),
            modalities: filter.modalities.clone(),
            ..Default::default()
        };
        let (rows, all_rows) = if request.normalize {
            tokio::try_join!(
                self.store.tally(&filter, &grouping),
                self.store.tally(&everything, &grouping)
            )?
        } else {
            (self.store.tally(&filter, &grouping).await?, Vec::new())
        };
        let sums = into_buckets(&rows, &starts, bucket);
        let all = into_buckets(&all_rows, &starts, bucket);
        let mut total = Tally::default();
        let points = starts
            .iter()
            .enumerate()
            .map(|(i, &start)| {
                total.add(&sums[i]);
                let share = match all.get(i) {
                    Some(all) if all.events > 0 => sums[i].events as f64 / all.events as f64,
                    _ => 0.0,
                };
                TimelinePoint {
                    start_time: Some(request::timestamp_of(start)),
                    tally: Some(tally_message(&sums[i])),
                    share,
                }
            })
            .collect();
        Ok(GetTimelineResponse {
            points,
            total: Some(tally_message(&total)),
        })
    }
}
