//! Page reading: any bytes, read as a web page, never panic and never
//! yield text outside the page.
#![no_main]

libfuzzer_sys::fuzz_target!(|page: &[u8]| {
    if let Ok(read) = dyad_ingest::page::read_page(page, Some("https://example.com/a/b.html")) {
        assert!(!read.text.is_empty());
    }
});
