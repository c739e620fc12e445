//! The shapes articles come in besides Dyad's own: JSON Lines and CSV files
//! as scrapers, news APIs and corpora write them. Field names are matched
//! case- and separator-insensitively against the usual aliases (`body` is
//! the text, `link` the URL, `published` or `date` the publication time in
//! any of the common formats); fields that are not part of an article are
//! ignored and counted, so a load can say once what it left out.

use std::collections::BTreeMap;

use anyhow::{Context, bail};
use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use dyad_proto::{Timestamp, v1::Article};
use serde_json::{Map, Value};

/// Fields the files held that are not part of an article, with how many
/// articles carried each.
#[derive(Debug, Default)]
pub struct Ignored(BTreeMap<String, u64>);

impl Ignored {
    fn note(&mut self, field: &str) {
        *self.0.entry(field.to_string()).or_default() += 1;
    }

    /// One line naming every ignored field, or nothing when none was.
    pub fn summary(&self) -> Option<String> {
        (!self.0.is_empty()).then(|| {
            let fields: Vec<String> = self
                .0
                .iter()
                .map(|(field, count)| format!("{field} ({count})"))
                .collect();
            format!(
                "ignored fields that are not part of an article: {}",
                fields.join(", ")
            )
        })
    }
}

/// The article field (its proto3 JSON name) a file's field name stands for.
fn article_field(name: &str) -> Option<&'static str> {
    let key: String = name
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect();
    Some(match key.as_str() {
        "id" | "articleid" | "docid" | "guid" => "id",
        "url" | "link" | "href" | "sourceurl" | "canonicalurl" => "url",
        "title" | "headline" => "title",
        "outlet" | "publisher" | "source" | "sourcename" | "site" | "sitename" => "outlet",
        "publishtime" | "published" | "publishedat" | "publicationdate" | "pubdate" | "date"
        | "datepublished" | "datetime" | "timestamp" => "publishTime",
        "language" | "lang" => "language",
        "text" | "body" | "content" | "articletext" | "fulltext" | "maintext" => "text",
        "html" | "rawhtml" => "html",
        "ingesttime" => "ingestTime",
        _ => return None,
    })
}

/// A publication time in any of the common shapes: RFC 3339, `YYYY-MM-DD
/// HH:MM:SS` (UTC unless it says otherwise), `YYYY-MM-DD`, Reuters'
/// `26-FEB-1987 15:01:01.79`, or seconds since the epoch.
pub fn parse_time(value: &Value) -> anyhow::Result<Timestamp> {
    let at = |time: DateTime<Utc>| Timestamp {
        seconds: time.timestamp(),
        nanos: i32::try_from(time.timestamp_subsec_nanos()).unwrap_or(0),
    };
    if let Some(seconds) = value.as_i64() {
        return Ok(Timestamp { seconds, nanos: 0 });
    }
    let Some(text) = value.as_str().map(str::trim) else {
        bail!("expected a date or time, found {value}");
    };
    if let Ok(time) = DateTime::parse_from_rfc3339(text) {
        return Ok(at(time.with_timezone(&Utc)));
    }
    for zoned in ["%Y-%m-%d %H:%M:%S%#z", "%Y-%m-%d %H:%M:%S%.f%#z"] {
        if let Ok(time) = DateTime::parse_from_str(text, zoned) {
            return Ok(at(time.with_timezone(&Utc)));
        }
    }
    let plain = text.trim_end_matches(['Z', 'z']);
    for naive in [
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M",
        "%d-%b-%Y %H:%M:%S%.f",
        "%d-%b-%Y %H:%M:%S",
    ] {
        if let Ok(time) = NaiveDateTime::parse_from_str(plain, naive) {
            return Ok(at(time.and_utc()));
        }
    }
    for day in ["%Y-%m-%d", "%d-%b-%Y", "%Y/%m/%d"] {
        if let Ok(date) = NaiveDate::parse_from_str(plain, day) {
            return Ok(at(date
                .and_hms_opt(0, 0, 0)
                .expect("midnight exists")
                .and_utc()));
        }
    }
    bail!("{text:?} is not a date or time this reads (RFC 3339, YYYY-MM-DD HH:MM:SS, YYYY-MM-DD)")
}

/// The article of one record (a JSON object's or a CSV row's fields), its
/// field names mapped to the article's and unknown ones noted in `ignored`.
pub fn article_from_fields(
    fields: impl IntoIterator<Item = (String, Value)>,
    ignored: &mut Ignored,
) -> anyhow::Result<Article> {
    let mut canonical = Map::new();
    for (name, value) in fields {
        let Some(field) = article_field(&name) else {
            ignored.note(&name);
            continue;
        };
        if value.is_null() || canonical.contains_key(field) {
            continue;
        }
        let value = match field {
            "publishTime" | "ingestTime" => {
                let time = parse_time(&value).with_context(|| format!("field {name:?}"))?;
                serde_json::to_value(time).expect("a timestamp serialises")
            }
            "id" if value.is_number() => Value::String(value.to_string()),
            _ => value,
        };
        canonical.insert(field.to_string(), value);
    }
    serde_json::from_value(Value::Object(canonical)).context("not an article")
}

/// Parses one JSON Lines record into an article: Dyad's own `dyad.v1.Article`
/// in proto3 JSON, or an object in one of the common shapes.
pub fn article_from_json(line: &str, ignored: &mut Ignored) -> anyhow::Result<Article> {
    let value: Value = serde_json::from_str(line).context("not JSON")?;
    let Value::Object(object) = value else {
        bail!("expected a JSON object (one article per line)");
    };
    article_from_fields(object, ignored)
}

/// Reads a CSV file with a header row: each row is an article, its columns
/// named as in JSON Lines (an `html` column holds the page as text). Calls
/// `each` with every article or the error of a row that could not be read.
pub fn read_csv(
    path: &std::path::Path,
    ignored: &mut Ignored,
    mut each: impl FnMut(anyhow::Result<Article>) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    use base64::Engine;
    let mut reader =
        csv::Reader::from_path(path).with_context(|| format!("cannot open {}", path.display()))?;
    let headers = reader
        .headers()
        .with_context(|| format!("{}: no header row", path.display()))?
        .clone();
    for (index, record) in reader.records().enumerate() {
        let origin = format!("{}:{}", path.display(), index + 2);
        let article = record.with_context(|| origin.clone()).and_then(|record| {
            let fields = headers
                .iter()
                .zip(record.iter())
                .filter(|(_, cell)| !cell.is_empty())
                .map(|(name, cell)| {
                    let value = if article_field(name) == Some("html") {
                        base64::engine::general_purpose::STANDARD.encode(cell)
                    } else {
                        cell.to_string()
                    };
                    (name.to_string(), Value::String(value))
                });
            article_from_fields(fields, ignored).with_context(|| origin.clone())
        });
        each(article)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seconds(text: &str) -> i64 {
        parse_time(&Value::String(text.into())).unwrap().seconds
    }

    #[test]
    fn publication_times_in_the_common_shapes() {
        let noon = 1_741_953_600; // 2025-03-14T12:00:00Z
        assert_eq!(seconds("2025-03-14T12:00:00Z"), noon);
        assert_eq!(seconds("2025-03-14T14:00:00+02:00"), noon);
        assert_eq!(seconds("2025-03-14 12:00:00Z"), noon);
        assert_eq!(seconds("2025-03-14 12:00:00"), noon);
        assert_eq!(seconds("2025-03-14T12:00:00"), noon);
        assert_eq!(seconds("2025-03-14"), noon - 12 * 3600);
        assert_eq!(seconds("14-MAR-2025 12:00:00.00"), noon);
        assert_eq!(parse_time(&Value::from(noon)).unwrap().seconds, noon);
        assert!(parse_time(&Value::String("last Tuesday".into())).is_err());
    }

    #[test]
    fn a_scraped_record_becomes_an_article_and_its_extra_fields_are_counted() {
        let mut ignored = Ignored::default();
        let article = article_from_json(
            r#"{"id": 8011117, "link": "https://example.org/a", "section": "Middle East",
                "Headline": "Analysts see flaws", "published": "2025-03-14 20:28:39Z",
                "body": "Syria adopted a constitution.", "author": "S. K."}"#,
            &mut ignored,
        )
        .unwrap();
        assert_eq!(article.id, "8011117");
        assert_eq!(article.url, "https://example.org/a");
        assert_eq!(article.title, "Analysts see flaws");
        assert_eq!(article.text, "Syria adopted a constitution.");
        assert_eq!(article.publish_time.unwrap().seconds, 1_741_984_119);
        assert_eq!(
            ignored.summary().unwrap(),
            "ignored fields that are not part of an article: author (1), section (1)"
        );
    }

    #[test]
    fn dyads_own_shape_reads_as_before() {
        let mut ignored = Ignored::default();
        let article = article_from_json(
            r#"{"id": "a1", "publishTime": "2024-05-10T00:00:00Z", "text": "t", "html": "PHA+",
                "outlet": "Wire", "language": "en"}"#,
            &mut ignored,
        )
        .unwrap();
        assert_eq!(article.html, b"<p>");
        assert_eq!(article.outlet, "Wire");
        assert_eq!(article.language, "en");
        assert!(ignored.summary().is_none());
    }

    #[test]
    fn a_bad_time_names_its_field() {
        let error = article_from_json(r#"{"text": "t", "date": "soon"}"#, &mut Ignored::default())
            .unwrap_err();
        assert!(format!("{error:#}").contains("field \"date\""), "{error:#}");
    }

    #[test]
    fn csv_rows_with_a_header_are_articles() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("news.csv");
        std::fs::write(
            &path,
            "Title,Date,Body,Link,Views\n\
             \"Talks, again\",2024-05-10,Russia met Armenia.,https://example.org/1,3\n\
             Second,2024-05-11,\"Iran said \"\"no\"\".\",,\n",
        )
        .unwrap();
        let mut ignored = Ignored::default();
        let mut articles = Vec::new();
        read_csv(&path, &mut ignored, |article| {
            articles.push(article?);
            Ok(())
        })
        .unwrap();
        assert_eq!(articles.len(), 2);
        assert_eq!(articles[0].title, "Talks, again");
        assert_eq!(articles[0].url, "https://example.org/1");
        assert_eq!(articles[1].text, "Iran said \"no\".");
        assert_eq!(articles[1].publish_time.unwrap().seconds, 1_715_385_600);
        assert_eq!(
            ignored.summary().unwrap(),
            "ignored fields that are not part of an article: Views (1)"
        );
    }
}
