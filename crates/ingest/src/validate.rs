//! Validation of incoming articles, at the edge.

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use dyad_proto::{
    Timestamp,
    v1::{Article, Rejection},
};

use crate::{
    language,
    page::{PageError, read_page},
};

/// Longest accepted caller id.
const MAX_ID_BYTES: usize = 256;
/// Longest accepted title or outlet.
const MAX_LABEL_BYTES: usize = 1_000;
/// Longest accepted `url`, in bytes: what browsers and sitemaps (RFC 9110
/// recommends 8,000) handle.
const MAX_URL_BYTES: usize = 8_000;
/// Earliest and latest accepted publication years.
const YEARS: std::ops::RangeInclusive<i32> = 1900..=2100;

/// An article that passed validation, with what was derived from it.
#[derive(Debug, Clone)]
pub struct ValidArticle {
    /// The article, with its id, canonical url and language filled in,
    /// its text read from `html` when it came as a page, `html` cleared.
    pub article: Article,
    /// The publication date (today when neither caller nor page gave one).
    pub published: NaiveDate,
    /// Why the article is stored without coding, e.g. its language.
    pub not_coded: Option<String>,
}

/// Size limits of what validation accepts.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Largest plain text, given or read from a page, in bytes.
    pub max_text_bytes: usize,
    /// Largest page, in bytes.
    pub max_html_bytes: usize,
}

fn reject(field: &str, description: impl Into<String>) -> Rejection {
    Rejection {
        field: field.to_string(),
        description: description.into(),
    }
}

/// Checks an article; fills in its id, canonical url and language; reads
/// its page when it came as HTML.
pub fn validate(article: Option<Article>, limits: Limits) -> Result<ValidArticle, Rejection> {
    let mut article =
        article.ok_or_else(|| reject("article", "missing: send the article to code"))?;
    let html = std::mem::take(&mut article.html);
    if html.len() > limits.max_html_bytes {
        return Err(reject(
            "article.html",
            format!(
                "is {} bytes, over the limit of {} bytes: send the page without inline images and scripts, or raise --max-html-bytes",
                html.len(),
                limits.max_html_bytes
            ),
        ));
    }
    check_text_size("article.text", article.text.len(), limits)?;
    if article.id.len() > MAX_ID_BYTES || article.id.chars().any(char::is_control) {
        return Err(reject(
            "article.id",
            format!("must be at most {MAX_ID_BYTES} bytes without control characters"),
        ));
    }
    for (field, value) in [
        ("article.title", &article.title),
        ("article.outlet", &article.outlet),
    ] {
        if value.len() > MAX_LABEL_BYTES {
            return Err(reject(
                field,
                format!(
                    "is {} bytes, over the limit of {MAX_LABEL_BYTES}",
                    value.len()
                ),
            ));
        }
    }
    if article.url.len() > MAX_URL_BYTES {
        return Err(reject(
            "article.url",
            format!(
                "is {} bytes, over the limit of {MAX_URL_BYTES}",
                article.url.len()
            ),
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
    let mut page_language = None;
    if !html.is_empty() {
        let base = (!article.url.is_empty()).then_some(article.url.as_str());
        match read_page(&html, base) {
            Ok(page) => {
                if article.text.trim().is_empty() {
                    check_text_size("article.html", page.text.len(), limits)?;
                    article.text = page.text;
                }
                if article.title.is_empty() {
                    article.title = truncate(&page.title, MAX_LABEL_BYTES).to_string();
                }
                if article.publish_time.is_none() {
                    article.publish_time = page.published.map(|time| Timestamp {
                        seconds: time.timestamp(),
                        nanos: time.timestamp_subsec_nanos() as i32,
                    });
                }
                if article.url.is_empty() {
                    article.url = page
                        .canonical_url
                        .and_then(|url| canonical_url(&url).ok())
                        .unwrap_or_default();
                }
                page_language = page.language.and_then(|tag| language::normalize(&tag).ok());
            }
            // A page that is no text or too deep is refused even with a text.
            Err(error @ (PageError::NotText(_) | PageError::TooDeep { .. })) => {
                return Err(reject("article.html", error.to_string()));
            }
            Err(PageError::NoText) if article.text.trim().is_empty() => {
                return Err(reject(
                    "article.html",
                    "has no readable text (no paragraphs of article text were found): send the article's page or its plain text",
                ));
            }
            Err(PageError::NoText) => {}
        }
    }
    article.text = clean_text(&article.text);
    article.title = clean_text(&article.title);
    // The outlet is a label too: a NUL in it is garbage on SQLite and a
    // refused row on PostgreSQL, so both stores get it without one.
    article.outlet = clean_text(&article.outlet);
    if article.text.trim().is_empty() {
        return Err(reject(
            "article.text",
            "is empty: send the article's plain text (text) or its web page (html)",
        ));
    }
    let published = match &article.publish_time {
        None => Utc::now().date_naive(),
        Some(ts) => publication_date(ts)?,
    };
    article.language = if article.language.trim().is_empty() {
        language::detect(&article.text)
            .map(str::to_string)
            .or(page_language)
            .unwrap_or_else(|| language::CODED.to_string())
    } else {
        language::normalize(&article.language).map_err(|why| reject("article.language", why))?
    };
    let not_coded = (article.language != language::CODED).then(|| {
        format!(
            "unsupported language: {} (only English is coded)",
            article.language
        )
    });
    article.id = crate::convert::article_id(&article, &article.url);
    Ok(ValidArticle {
        article,
        published,
        not_coded,
    })
}

fn check_text_size(field: &str, bytes: usize, limits: Limits) -> Result<(), Rejection> {
    if bytes > limits.max_text_bytes {
        return Err(reject(
            field,
            format!(
                "has {bytes} bytes of text, over the limit of {} bytes: split the article or raise --max-text-bytes",
                limits.max_text_bytes
            ),
        ));
    }
    Ok(())
}

/// The publication date of a timestamp, if it is a real one.
fn publication_date(ts: &Timestamp) -> Result<NaiveDate, Rejection> {
    let time =
        DateTime::<Utc>::from_timestamp(ts.seconds, u32::try_from(ts.nanos).unwrap_or(u32::MAX))
            .filter(|_| (0..1_000_000_000).contains(&ts.nanos))
            .ok_or_else(|| reject("article.publish_time", "is not a valid timestamp"))?;
    let date = time.date_naive();
    if !YEARS.contains(&date.year()) {
        return Err(reject(
            "article.publish_time",
            format!(
                "year {} is outside {}..={}: give the real publication time",
                date.year(),
                YEARS.start(),
                YEARS.end()
            ),
        ));
    }
    Ok(date)
}

/// Text without what only hides or garbles it: control characters (but
/// line breaks and tabs), bidirectional overrides and isolates, zero-width
/// and byte-order marks; Windows line ends made Unix ones.
pub fn clean_text(text: &str) -> String {
    text.replace("\r\n", "\n")
        .chars()
        .map(|c| if c == '\r' { '\n' } else { c })
        .filter(|&c| {
            !(c.is_control() && c != '\n' && c != '\t'
                || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200B}' | '\u{FEFF}'))
        })
        .collect()
}

/// `text` cut to at most `max` bytes at a character boundary.
fn truncate(text: &str, max: usize) -> &str {
    let mut end = text.len().min(max);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
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

    const LIMITS: Limits = Limits {
        max_text_bytes: 100,
        max_html_bytes: 1000,
    };

    fn article(text: &str) -> Article {
        Article {
            text: text.to_string(),
            ..Default::default()
        }
    }

    #[test]
    fn rejects_empty_and_oversized_text() {
        assert_eq!(
            validate(Some(article("  \n")), LIMITS).unwrap_err().field,
            "article.text"
        );
        assert_eq!(
            validate(Some(article(&"a".repeat(101))), LIMITS)
                .unwrap_err()
                .field,
            "article.text"
        );
        assert_eq!(validate(None, LIMITS).unwrap_err().field, "article");
    }

    #[test]
    fn rejects_bad_urls_and_times() {
        let mut a = article("Text.");
        a.url = "ftp://x".into();
        assert_eq!(validate(Some(a), LIMITS).unwrap_err().field, "article.url");
        let mut a = article("Text.");
        a.publish_time = Some(dyad_proto::Timestamp {
            seconds: 0,
            nanos: -1,
        });
        assert_eq!(
            validate(Some(a), LIMITS).unwrap_err().field,
            "article.publish_time"
        );
        let mut a = article("Text.");
        a.publish_time = Some(dyad_proto::Timestamp {
            seconds: 32_503_680_000,
            nanos: 0,
        });
        assert_eq!(
            validate(Some(a), LIMITS).unwrap_err().field,
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
            validate(Some(a), LIMITS).unwrap(),
            validate(Some(b), LIMITS).unwrap(),
        );
        assert_eq!(a.article.url, "https://example.com/a");
        assert_eq!(a.article.id, b.article.id);
        assert!(a.article.id.starts_with("url:"));
    }
}
