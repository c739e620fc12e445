//! Validation of incoming articles, at the edge.

use chrono::{DateTime, NaiveDate, Utc};
use dyad_proto::v1::{Article, Rejection};

/// Longest accepted caller id.
const MAX_ID_BYTES: usize = 256;
/// Earliest and latest accepted publication years.
const YEARS: std::ops::RangeInclusive<i32> = 1900..=2100;

/// An article that passed validation, with what was derived from it.
#[derive(Debug, Clone)]
pub struct ValidArticle {
    /// The article, with its id, canonical url and language filled in.
    pub article: Article,
    /// The publication date (today when the caller gave none).
    pub published: NaiveDate,
}

fn reject(field: &str, description: impl Into<String>) -> Rejection {
    Rejection {
        field: field.to_string(),
        description: description.into(),
    }
}

/// Checks an article and fills in its id, canonical url and language.
pub fn validate(
    article: Option<Article>,
    max_text_bytes: usize,
) -> Result<ValidArticle, Rejection> {
    let mut article =
        article.ok_or_else(|| reject("article", "missing: send the article to code"))?;
    if article.text.trim().is_empty() {
        return Err(reject(
            "article.text",
            "is empty: send the article's plain text",
        ));
    }
    if article.text.len() > max_text_bytes {
        return Err(reject(
            "article.text",
            format!(
                "is {} bytes, over the limit of {max_text_bytes} bytes: split the article or raise --max-text-bytes",
                article.text.len()
            ),
        ));
    }
    if article.id.len() > MAX_ID_BYTES || article.id.chars().any(char::is_control) {
        return Err(reject(
            "article.id",
            format!("must be at most {MAX_ID_BYTES} bytes without control characters"),
        ));
    }
    if !article.url.is_empty() {
        article.url = canonical_url(&article.url).map_err(|why| {
            reject(
                "article.url",
                format!("{why}: give an absolute http(s) URL or leave it empty"),
            )
        })?;
    }
    let published = match &article.publish_time {
        None => Utc::now().date_naive(),
        Some(ts) => {
            let time = DateTime::<Utc>::from_timestamp(
                ts.seconds,
                u32::try_from(ts.nanos).unwrap_or(u32::MAX),
            )
            .filter(|_| (0..1_000_000_000).contains(&ts.nanos))
            .ok_or_else(|| reject("article.publish_time", "is not a valid timestamp"))?;
            let date = time.date_naive();
            if !YEARS.contains(&chrono::Datelike::year(&date)) {
                return Err(reject(
                    "article.publish_time",
                    format!(
                        "year {} is outside {}..={}: give the real publication time",
                        chrono::Datelike::year(&date),
                        YEARS.start(),
                        YEARS.end()
                    ),
                ));
            }
            date
        }
    };
    if article.language.is_empty() {
        article.language = "en".to_string();
    }
    article.language = article.language.to_ascii_lowercase();
    article.id = crate::convert::article_id(&article, &article.url);
    Ok(ValidArticle { article, published })
}

/// The canonical form of an article URL: lower-case scheme and host, no
/// fragment, no `utm_*` tracking parameters.
fn canonical_url(raw: &str) -> Result<String, String> {
    let mut url = url::Url::parse(raw.trim()).map_err(|e| format!("is not a valid URL ({e})"))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(format!("has scheme {:?}, not http or https", url.scheme()));
    }
    url.set_fragment(None);
    let kept: Vec<(String, String)> = url
        .query_pairs()
        .filter(|(k, _)| !k.starts_with("utm_"))
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    if kept.is_empty() {
        url.set_query(None);
    } else {
        url.query_pairs_mut().clear().extend_pairs(kept);
    }
    Ok(url.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn article(text: &str) -> Article {
        Article {
            text: text.to_string(),
            ..Default::default()
        }
    }

    #[test]
    fn rejects_empty_and_oversized_text() {
        assert_eq!(
            validate(Some(article("  \n")), 100).unwrap_err().field,
            "article.text"
        );
        assert_eq!(
            validate(Some(article(&"a".repeat(101))), 100)
                .unwrap_err()
                .field,
            "article.text"
        );
        assert_eq!(validate(None, 100).unwrap_err().field, "article");
    }

    #[test]
    fn rejects_bad_urls_and_times() {
        let mut a = article("Text.");
        a.url = "ftp://x".into();
        assert_eq!(validate(Some(a), 100).unwrap_err().field, "article.url");
        let mut a = article("Text.");
        a.publish_time = Some(dyad_proto::Timestamp {
            seconds: 0,
            nanos: -1,
        });
        assert_eq!(
            validate(Some(a), 100).unwrap_err().field,
            "article.publish_time"
        );
        let mut a = article("Text.");
        a.publish_time = Some(dyad_proto::Timestamp {
            seconds: 32_503_680_000,
            nanos: 0,
        });
        assert_eq!(
            validate(Some(a), 100).unwrap_err().field,
            "article.publish_time"
        );
    }

    #[test]
    fn derives_ids_from_canonical_urls() {
        let mut a = article("Text.");
        a.url = "HTTPS://Example.com/a?utm_source=x#top".into();
        let mut b = article("Other text.");
        b.url = "https://example.com/a".into();
        let (a, b) = (
            validate(Some(a), 100).unwrap(),
            validate(Some(b), 100).unwrap(),
        );
        assert_eq!(a.article.url, "https://example.com/a");
        assert_eq!(a.article.id, b.article.id);
        assert!(a.article.id.starts_with("url:"));
    }
}
