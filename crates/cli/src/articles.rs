//! Reading articles from files: plain text or an HTML page (one article per
//! file), JSON Lines (one article per line: a `dyad.v1.Article` in proto3
//! JSON or a common shape, see `shapes`) or CSV with a header row.

use std::{
    io::BufRead,
    path::{Path, PathBuf},
};

use anyhow::{Context, bail};
use chrono::NaiveDate;
use dyad_proto::{Timestamp, v1::Article};

use crate::shapes::{self, Ignored};

/// Parses a `YYYY-MM-DD` date into a publication timestamp at midnight UTC.
pub fn publish_time(date: &str) -> anyhow::Result<Timestamp> {
    let date = NaiveDate::parse_from_str(date, "%Y-%m-%d")
        .with_context(|| format!("--published {date:?}: expected YYYY-MM-DD"))?;
    let time = date
        .and_hms_opt(0, 0, 0)
        .expect("midnight exists")
        .and_utc();
    Ok(Timestamp {
        seconds: time.timestamp(),
        nanos: 0,
    })
}

/// Every file under `paths`, directories walked in name order.
pub fn expand(paths: &[PathBuf]) -> anyhow::Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for path in paths {
        if path.is_dir() {
            let mut entries: Vec<PathBuf> = std::fs::read_dir(path)
                .with_context(|| format!("cannot read directory {}", path.display()))?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .collect();
            entries.sort();
            files.extend(expand(&entries)?);
        } else if path.is_file() {
            files.push(path.clone());
        } else {
            bail!("{}: no such file or directory", path.display());
        }
    }
    Ok(files)
}

/// Whether a file holds JSONL articles rather than one plain-text article.
pub fn is_jsonl(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e == "jsonl" || e == "ndjson")
}

/// Whether a file holds CSV articles.
fn is_csv(path: &Path) -> bool {
    path.extension().is_some_and(|e| e == "csv")
}

/// Reads the articles of one file, calling `each` with every article or the
/// error for a line that could not be read; fields of JSON Lines and CSV
/// records that are not part of an article are noted in `ignored`.
pub fn read_file(
    path: &Path,
    published: Option<&Timestamp>,
    ignored: &mut Ignored,
    mut each: impl FnMut(anyhow::Result<Article>) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    let dated = |mut article: anyhow::Result<Article>| {
        if let (Ok(article), Some(time)) = (&mut article, published)
            && article.publish_time.is_none()
        {
            article.publish_time = Some(*time);
        }
        article
    };
    if is_csv(path) {
        shapes::read_csv(path, ignored, |article| each(dated(article)))
    } else if is_jsonl(path) {
        let file =
            std::fs::File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
        for (index, line) in std::io::BufReader::new(file).lines().enumerate() {
            let line = line.with_context(|| format!("cannot read {}", path.display()))?;
            if line.trim().is_empty() {
                continue;
            }
            let origin = format!("{}:{}", path.display(), index + 1);
            let article = shapes::article_from_json(&line, ignored).context(origin);
            each(dated(article))?;
        }
        Ok(())
    } else {
        let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()));
        each(bytes.and_then(|bytes| {
            from_bytes(bytes, published).with_context(|| path.display().to_string())
        }))
    }
}

/// One article from a file's bytes: a web page (it starts with `<`) or
/// plain UTF-8 text.
pub fn from_bytes(bytes: Vec<u8>, published: Option<&Timestamp>) -> anyhow::Result<Article> {
    let start = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    let is_html = start.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'<');
    let mut article = if is_html {
        Article {
            html: bytes,
            ..Default::default()
        }
    } else {
        Article {
            text: String::from_utf8(bytes).context("not UTF-8 text (nor an HTML page)")?,
            ..Default::default()
        }
    };
    article.publish_time = published.copied();
    Ok(article)
}
