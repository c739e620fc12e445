//! Page metadata Readability does not give: the canonical URL, `<time>`
//! and `itemprop` dates, and the declared language; and date parsing.

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use dom_query::Document;

/// Metadata found in a page's markup.
pub struct Found {
    pub canonical_url: Option<String>,
    pub time: Option<DateTime<Utc>>,
    pub language: Option<String>,
}

impl Found {
    /// Looks for the metadata in `document`, resolving relative URLs
    /// against `page_url`.
    pub fn in_document(document: &Document, page_url: Option<&str>) -> Self {
        let base = page_url.and_then(|u| url::Url::parse(u).ok());
        let canonical_url = [
            ("link[rel~=canonical]", "href"),
            ("meta[property='og:url']", "content"),
        ]
        .into_iter()
        .find_map(|(selector, attribute)| {
            let href = document.select(selector).attr(attribute)?;
            absolute_http_url(href.trim(), base.as_ref())
        });
        let time = [
            ("[itemprop=datePublished]", "content"),
            ("[itemprop=datePublished]", "datetime"),
            ("time[pubdate]", "datetime"),
            ("article time[datetime]", "datetime"),
            ("time[datetime]", "datetime"),
        ]
        .into_iter()
        .find_map(|(selector, attribute)| parse_time(&document.select(selector).attr(attribute)?));
        let language = document
            .select("html")
            .attr("lang")
            .map(|lang| lang.trim().to_string())
            .filter(|lang| !lang.is_empty());
        Self {
            canonical_url,
            time,
            language,
        }
    }
}

/// `href` as an absolute http(s) URL, resolved against `base` if relative.
fn absolute_http_url(href: &str, base: Option<&url::Url>) -> Option<String> {
    let url = match base {
        Some(base) => base.join(href).ok()?,
        None => url::Url::parse(href).ok()?,
    };
    matches!(url.scheme(), "http" | "https").then(|| url.to_string())
}

/// Parses the date forms pages use: RFC 3339 with or without seconds or
/// offset (no offset means UTC), RFC 2822, or a bare date.
pub fn parse_time(raw: &str) -> Option<DateTime<Utc>> {
    let raw = raw.trim();
    if let Ok(time) = DateTime::parse_from_rfc3339(raw) {
        return Some(time.to_utc());
    }
    if let Ok(time) = DateTime::parse_from_rfc2822(raw) {
        return Some(time.to_utc());
    }
    for format in [
        "%Y-%m-%dT%H:%M:%S%.f%z",
        "%Y-%m-%dT%H:%M%z",
        "%Y-%m-%d %H:%M:%S%z",
    ] {
        if let Ok(time) = DateTime::parse_from_str(raw, format) {
            return Some(time.to_utc());
        }
    }
    for format in [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M:%S",
    ] {
        if let Ok(time) = NaiveDateTime::parse_from_str(raw, format) {
            return Some(time.and_utc());
        }
    }
    let date = NaiveDate::parse_from_str(raw.get(..10)?, "%Y-%m-%d").ok()?;
    Some(date.and_hms_opt(0, 0, 0)?.and_utc())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_forms_pages_use() {
        let utc = |s: &str| parse_time(s).map(|t| t.to_rfc3339());
        assert_eq!(
            utc("2018-04-05T06:00").unwrap(),
            "2018-04-05T06:00:00+00:00"
        );
        assert_eq!(
            utc("2021-03-01T10:00:00-05:00").unwrap(),
            "2021-03-01T15:00:00+00:00"
        );
        assert_eq!(
            utc("2021-03-01T10:00:00.123+0100").unwrap(),
            "2021-03-01T09:00:00.123+00:00"
        );
        assert_eq!(
            utc("Tue, 1 Jul 2003 10:52:37 +0200").unwrap(),
            "2003-07-01T08:52:37+00:00"
        );
        assert_eq!(utc("2020-02-29").unwrap(), "2020-02-29T00:00:00+00:00");
        assert_eq!(utc("yesterday"), None);
        assert_eq!(utc("2020-13-45"), None);
    }

    #[test]
    fn finds_canonical_url_time_and_language() {
        let document = Document::from(
            r#"<html lang="fr"><head><meta property="og:url" content="https://x.fr/a">
            </head><body><article><time datetime="2022-01-02T03:04:05Z">2 janvier</time></article></body></html>"#,
        );
        let found = Found::in_document(&document, None);
        assert_eq!(found.canonical_url.as_deref(), Some("https://x.fr/a"));
        assert_eq!(
            found.time.map(|t| t.to_rfc3339()).as_deref(),
            Some("2022-01-02T03:04:05+00:00")
        );
        assert_eq!(found.language.as_deref(), Some("fr"));
    }
}
