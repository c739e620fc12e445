//! Reading news web pages: the main text, title, publication time and
//! canonical URL of an HTML page.
//!
//! The content scoring is Mozilla Readability's, as ported by `dom_smoothie`
//! (it reproduces Readability's own test pages); this module adds the
//! guard against pathological nesting, the metadata Readability leaves out
//! (canonical URL, `<time>` elements) and the parsing of dates.

mod charset;
mod depth;
mod metadata;

use chrono::{DateTime, Utc};

pub use charset::NotText;
pub use depth::{MAX_NESTING, nesting_depth};
pub use metadata::parse_time;

/// What Dyad reads from a web page.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Page {
    /// The headline, as the page's metadata or title states it.
    pub title: String,
    /// The main text: headline-free paragraphs, captions and lists, one
    /// paragraph per line; no navigation, scripts, ads or comments.
    pub text: String,
    /// The publication time the page states, if any.
    pub published: Option<DateTime<Utc>>,
    /// The canonical URL (`<link rel="canonical">`, else `og:url`), if any.
    pub canonical_url: Option<String>,
    /// The language the page declares (`<html lang>`), if any.
    pub language: Option<String>,
}

/// Why a page could not be read.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum PageError {
    /// The bytes are not text in the page's charset.
    #[error(transparent)]
    NotText(#[from] NotText),
    /// Elements nested deeper than any real page: refused before parsing,
    /// because the content scoring's cost grows with the square of depth.
    #[error("elements are nested {depth} deep, over the limit of {MAX_NESTING}")]
    TooDeep {
        /// The depth found (the scan stops counting past the limit).
        depth: usize,
    },
    /// Nothing readable: no paragraph of text was found.
    #[error("no readable text was found in the page")]
    NoText,
}

/// Reads a page from its bytes as fetched. `page_url`, when known, resolves
/// relative links.
pub fn read_page(html: &[u8], page_url: Option<&str>) -> Result<Page, PageError> {
    let html = charset::decode(html)?;
    let depth = nesting_depth(&html);
    if depth > MAX_NESTING {
        return Err(PageError::TooDeep { depth });
    }
    let document = dom_query::Document::from(html.as_str());
    let found = metadata::Found::in_document(&document, page_url);
    let base = page_url.filter(|url| url::Url::parse(url).is_ok_and(|u| u.has_host()));
    let config = dom_smoothie::Config {
        text_mode: dom_smoothie::TextMode::Formatted,
        ..Default::default()
    };
    let article = dom_smoothie::Readability::with_document(document, base, Some(config))
        .and_then(|mut readability| readability.parse())
        .map_err(|_| PageError::NoText)?;
    let text = tidy_text(&article.text_content);
    if text.is_empty() {
        return Err(PageError::NoText);
    }
    let published = article
        .published_time
        .as_deref()
        .and_then(metadata::parse_time)
        .or(found.time);
    Ok(Page {
        title: article.title.trim().to_string(),
        text,
        published,
        canonical_url: found.canonical_url,
        language: article.lang.or(found.language),
    })
}

/// The text with each paragraph on one line, trimmed, blank lines dropped.
fn tidy_text(text: &str) -> String {
    let mut tidy = String::with_capacity(text.len());
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        if !tidy.is_empty() {
            tidy.push('\n');
        }
        tidy.push_str(line);
    }
    tidy
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = r#"<!DOCTYPE html><html lang="en"><head>
        <title>Armenia asks Russian peacekeepers to leave | World News</title>
        <meta property="og:title" content="Armenia asks Russian peacekeepers to leave">
        <meta property="article:published_time" content="2024-04-17T09:30:00+02:00">
        <link rel="canonical" href="/world/armenia-peacekeepers?utm_source=feed">
        </head><body>
        <nav><a href="/">Home</a> <a href="/world">World</a> <a href="/sport">Sport</a></nav>
        <article><h1>Armenia asks Russian peacekeepers to leave</h1>
        <p>Armenia on Wednesday asked Russia to withdraw its peacekeepers from the border
        region, the foreign ministry in Yerevan said, in the latest sign of fraying ties
        between the two former allies.</p>
        <p>Russian Foreign Minister Sergei Lavrov criticised the decision, saying Moscow
        had kept the peace in the region for three years and would not abandon it.</p>
        <p>The Kremlin said talks with Yerevan would continue next week.</p></article>
        <aside class="comments"><p>Comment: first!</p></aside>
        <script>var ads = "<p>Buy now</p>";</script></body></html>"#;

    #[test]
    fn reads_text_title_time_and_canonical_url() {
        let page = read_page(PAGE.as_bytes(), Some("https://news.example.com/a/b.html")).unwrap();
        assert_eq!(page.title, "Armenia asks Russian peacekeepers to leave");
        assert!(page.text.starts_with("Armenia on Wednesday asked Russia"));
        assert!(page.text.contains("talks with Yerevan would continue"));
        for noise in ["Home", "Sport", "Buy now", "first!"] {
            assert!(
                !page.text.contains(noise),
                "{noise} leaked into {}",
                page.text
            );
        }
        assert_eq!(page.text.lines().count(), 3);
        assert_eq!(
            page.published.unwrap().to_rfc3339(),
            "2024-04-17T07:30:00+00:00"
        );
        assert_eq!(
            page.canonical_url.as_deref(),
            Some("https://news.example.com/world/armenia-peacekeepers?utm_source=feed")
        );
        assert_eq!(page.language.as_deref(), Some("en"));
    }

    #[test]
    fn refuses_pathological_nesting_quickly() {
        let html = format!("{}<p>text</p>", "<div>".repeat(100_000));
        let started = std::time::Instant::now();
        assert!(matches!(
            read_page(html.as_bytes(), None),
            Err(PageError::TooDeep { .. })
        ));
        assert!(started.elapsed() < std::time::Duration::from_secs(1));
    }

    #[test]
    fn a_page_without_text_is_an_error() {
        assert_eq!(read_page(b"", None), Err(PageError::NoText));
        assert_eq!(
            read_page(b"<html><body><nav></nav></body></html>", None),
            Err(PageError::NoText)
        );
    }
}
