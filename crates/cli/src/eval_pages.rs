//! `dyad eval-pages`: scores Dyad's reading of web pages against pages
//! with the expected readable text (Mozilla Readability's test layout:
//! `source.html`, `expected.html`, `expected-metadata.json` per folder).

use std::{collections::HashMap, path::PathBuf, process::ExitCode};

use anyhow::Context;
use dyad_ingest::page::read_page;

/// Arguments of `dyad eval-pages`.
#[derive(clap::Args)]
pub struct EvalPagesArgs {
    /// Directories of page folders (or page folders themselves).
    #[arg(required = true)]
    dirs: Vec<PathBuf>,
    /// Fail unless the median word recall reaches this.
    #[arg(long, default_value_t = 0.0)]
    min_recall: f64,
    /// Fail unless the median word precision reaches this.
    #[arg(long, default_value_t = 0.0)]
    min_precision: f64,
    /// Fail unless this share of the pages that state a title get it right.
    #[arg(long, default_value_t = 0.0)]
    min_title: f64,
    /// Fail unless this share of the pages that state a publication time
    /// get it right.
    #[arg(long, default_value_t = 0.0)]
    min_time: f64,
    /// List every page's scores, not only the weak ones.
    #[arg(long)]
    verbose: bool,
}

/// What is expected of one page.
#[derive(serde::Deserialize)]
struct Expected {
    #[serde(default)]
    title: Option<String>,
    #[serde(rename = "publishedTime", default)]
    published_time: Option<String>,
}

/// Scores of one page.
struct Scores {
    recall: f64,
    precision: f64,
    title: Option<bool>,
    time: Option<bool>,
}

/// Runs `dyad eval-pages`.
pub fn run(args: EvalPagesArgs) -> anyhow::Result<ExitCode> {
    let folders = page_folders(&args.dirs)?;
    anyhow::ensure!(
        !folders.is_empty(),
        "no page folders (with source.html) found"
    );
    let mut all = Vec::new();
    for folder in &folders {
        let scores = score_page(folder)?;
        if args.verbose || scores.recall < 0.9 || scores.precision < 0.9 {
            println!(
                "  {:<40} recall {:.3}  precision {:.3}",
                folder.file_name().unwrap_or_default().to_string_lossy(),
                scores.recall,
                scores.precision
            );
        }
        if scores.title == Some(false) || scores.time == Some(false) {
            println!(
                "  {:<40} title {}  time {}",
                folder.file_name().unwrap_or_default().to_string_lossy(),
                verdict(scores.title),
                verdict(scores.time)
            );
        }
        all.push(scores);
    }
    let recall = median(all.iter().map(|s| s.recall).collect());
    let precision = median(all.iter().map(|s| s.precision).collect());
    let (titles_right, titles) = share(all.iter().map(|s| s.title));
    let (times_right, times) = share(all.iter().map(|s| s.time));
    println!(
        "{} pages: median word recall {recall:.3}, precision {precision:.3} \
         (mean {:.3}, {:.3}); title {titles_right}/{titles}; publication time {times_right}/{times}",
        all.len(),
        all.iter().map(|s| s.recall).sum::<f64>() / all.len() as f64,
        all.iter().map(|s| s.precision).sum::<f64>() / all.len() as f64,
    );
    let ratio = |right: usize, of: usize| {
        if of == 0 {
            1.0
        } else {
            right as f64 / of as f64
        }
    };
    let failures: Vec<String> = [
        ("median word recall", recall, args.min_recall),
        ("median word precision", precision, args.min_precision),
        ("titles right", ratio(titles_right, titles), args.min_title),
        (
            "publication times right",
            ratio(times_right, times),
            args.min_time,
        ),
    ]
    .into_iter()
    .filter(|(_, value, min)| value < min)
    .map(|(what, value, min)| format!("{what} {value:.3} is below {min}"))
    .collect();
    for failure in &failures {
        eprintln!("dyad eval-pages: {failure}");
    }
    Ok(if failures.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

fn verdict(right: Option<bool>) -> &'static str {
    match right {
        Some(true) => "right",
        Some(false) => "WRONG",
        None => "-",
    }
}

/// The folders holding a `source.html`, in name order.
fn page_folders(dirs: &[PathBuf]) -> anyhow::Result<Vec<PathBuf>> {
    let mut folders = Vec::new();
    for dir in dirs {
        if dir.join("source.html").is_file() {
            folders.push(dir.clone());
            continue;
        }
        let entries = std::fs::read_dir(dir)
            .with_context(|| format!("cannot read directory {}", dir.display()))?;
        let mut found: Vec<PathBuf> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.join("source.html").is_file())
            .collect();
        found.sort();
        folders.extend(found);
    }
    Ok(folders)
}

/// Reads one page and compares it with what is expected.
fn score_page(folder: &std::path::Path) -> anyhow::Result<Scores> {
    let read = |name: &str| {
        std::fs::read_to_string(folder.join(name))
            .with_context(|| format!("cannot read {}", folder.join(name).display()))
    };
    let source = std::fs::read(folder.join("source.html"))
        .with_context(|| format!("cannot read {}", folder.join("source.html").display()))?;
    let expected_text = dom_query::Document::from(read("expected.html")?.as_str())
        .root()
        .text()
        .to_string();
    let expected: Expected = serde_json::from_str(&read("expected-metadata.json")?)
        .with_context(|| format!("{}: bad expected-metadata.json", folder.display()))?;
    // The page's own address is unknown; Readability's tests use this one.
    let page = read_page(&source, Some("http://fakehost/test/page.html")).unwrap_or_default();
    let (recall, precision) = word_overlap(&expected_text, &page.text);
    let title = expected
        .title
        .filter(|t| !t.trim().is_empty())
        .map(|t| t.trim() == page.title);
    let time = expected.published_time.map(|stated| {
        dyad_ingest::page::parse_time(&stated).is_some_and(|t| Some(t) == page.published)
    });
    Ok(Scores {
        recall,
        precision,
        title,
        time,
    })
}

/// Word-level recall and precision of `got` against `expected`: the words
/// (lower-cased runs of letters and digits) both share, counted as
/// multisets.
fn word_overlap(expected: &str, got: &str) -> (f64, f64) {
    let (expected, got) = (words(expected), words(got));
    let common: usize = expected
        .iter()
        .map(|(word, n)| (*n).min(got.get(word).copied().unwrap_or(0)))
        .sum();
    let ratio = |total: usize| {
        if total == 0 {
            1.0
        } else {
            common as f64 / total as f64
        }
    };
    (
        ratio(expected.values().sum()),
        if got.is_empty() && !expected.is_empty() {
            0.0
        } else {
            ratio(got.values().sum())
        },
    )
}

fn words(text: &str) -> HashMap<String, usize> {
    let mut counts = HashMap::new();
    for word in text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        *counts.entry(word.to_lowercase()).or_insert(0) += 1;
    }
    counts
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    match values.len() {
        0 => 0.0,
        n if n % 2 == 1 => values[n / 2],
        n => (values[n / 2 - 1] + values[n / 2]) / 2.0,
    }
}

/// How many of the stated values were right, and how many were stated.
fn share(verdicts: impl Iterator<Item = Option<bool>>) -> (usize, usize) {
    verdicts
        .flatten()
        .fold((0, 0), |(right, of), ok| (right + usize::from(ok), of + 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_overlap_counts_multisets() {
        assert_eq!(word_overlap("a b b c", "a b b c"), (1.0, 1.0));
        let (recall, precision) = word_overlap("A b b c", "a b x x");
        assert_eq!(recall, 0.5);
        assert_eq!(precision, 0.5);
        assert_eq!(word_overlap("a", ""), (0.0, 0.0));
        assert_eq!(median(vec![3.0, 1.0, 2.0, 10.0]), 2.5);
    }
}
