//! Reading web pages: `dyad eval-pages` on the saved pages in
//! `tests/data/html-pages`, against the main text, title and publication
//! time Mozilla Readability expects.

use std::process::Command;

use dyad_tests::binary;

#[test]
fn saved_news_pages_are_read_as_readability_reads_them() {
    let pages = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data/html-pages");
    let output = Command::new(binary("dyad"))
        .arg("eval-pages")
        .arg(&pages)
        .args(["--min-recall", "0.9", "--min-precision", "0.9"])
        .args(["--min-title", "1", "--min-time", "1"])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(stdout.contains("7 pages"), "{stdout}");
    assert!(stdout.contains("publication time 3/3"), "{stdout}");
}
