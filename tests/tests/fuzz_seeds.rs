//! The fuzz targets' saved inputs (`fuzz/seeds/<target>`: the seeds and
//! every input that once crashed a target), replayed through the same
//! calls as the targets in `fuzz/fuzz_targets`, without sanitizers: the
//! short form of fuzzing that CI runs. Long runs: `fuzz/README.md`.

use std::path::{Path, PathBuf};

use prost::Message;

/// The saved inputs of one target; fails when there are none.
fn inputs(target: &str) -> Vec<(PathBuf, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../fuzz/seeds")
        .join(target);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.unwrap().path())
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no saved inputs in {}", dir.display());
    files
        .into_iter()
        .map(|path| {
            let bytes = std::fs::read(&path).unwrap();
            (path, bytes)
        })
        .collect()
}

#[test]
fn page_inputs_read_without_panicking() {
    for (path, bytes) in inputs("page") {
        if let Ok(read) = dyad_ingest::page::read_page(&bytes, Some("https://example.com/a/b.html"))
        {
            assert!(!read.text.is_empty(), "{}", path.display());
        }
    }
}

#[test]
fn coder_inputs_code_without_panicking() {
    let coder = dyad_extract::Coder::new(dyad_extract::Dictionaries::builtin());
    let published = chrono::NaiveDate::from_ymd_opt(2024, 5, 10).unwrap();
    for (path, bytes) in inputs("coder") {
        let Ok(text) = std::str::from_utf8(&bytes) else {
            continue;
        };
        let chars = text.chars().count();
        for event in coder.code(dyad_extract::ArticleText { text, published }) {
            assert!(event.sentence_chars.end <= chars, "{}", path.display());
        }
    }
}

#[test]
fn date_inputs_resolve_without_panicking() {
    for (path, bytes) in inputs("dates") {
        // As the target reads them (arbitrary's layout): a u16, then the text.
        let day = u16::from_le_bytes([
            bytes.first().copied().unwrap_or(0),
            bytes.get(1).copied().unwrap_or(0),
        ]);
        let text = String::from_utf8_lossy(bytes.get(2..).unwrap_or_default());
        let published = chrono::NaiveDate::from_ymd_opt(1900, 1, 1).unwrap()
            + chrono::Days::new(u64::from(day) % 73_000);
        for date in dyad_extract::dates_in(&text, published) {
            assert!(date.start <= date.end, "{}: {date:?}", path.display());
        }
    }
}

#[test]
fn validation_inputs_validate_without_panicking() {
    let limits = dyad_ingest::IngestConfig::default().limits();
    for (path, bytes) in inputs("validate") {
        let Ok(request) = dyad_proto::v1::IngestArticleRequest::decode(bytes.as_slice()) else {
            continue;
        };
        if let Ok(valid) = dyad_ingest::validate::validate(request.article, limits) {
            assert!(!valid.article.text.trim().is_empty(), "{}", path.display());
            assert_eq!(valid.article.language.len(), 2, "{}", path.display());
        }
    }
}
