//! Request validation: any bytes, decoded as an ingest request and
//! validated, never panic; what passes is usable.
#![no_main]

use prost::Message;

libfuzzer_sys::fuzz_target!(|bytes: &[u8]| {
    let Ok(request) = dyad_proto::v1::IngestArticleRequest::decode(bytes) else {
        return;
    };
    let limits = dyad_ingest::validate::Limits {
        max_text_bytes: 1 << 20,
        max_html_bytes: 4 << 20,
    };
    if let Ok(valid) = dyad_ingest::validate::validate(request.article, limits) {
        assert!(!valid.article.text.trim().is_empty());
        assert!(!valid.article.id.is_empty());
        assert!(valid.article.html.is_empty());
        assert_eq!(valid.article.language.len(), 2);
    }
});
