//! A cheap upper-bound scan of how deeply a page's elements nest, run
//! before parsing.

/// Deepest nesting accepted. Real news pages stay well under 100; the
/// content scoring takes about a second at 2,000.
pub const MAX_NESTING: usize = 1_000;

/// Elements that never contain others (void elements) or whose end tag is
/// usually left out (`<p>`, `<li>`, table cells…): not counted as nesting.
const NOT_NESTING: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr", "p", "li", "dt", "dd", "tr", "td", "th", "option", "thead", "tbody", "tfoot",
    "colgroup", "caption", "rb", "rt", "rp", "optgroup", "html", "head", "body",
];

/// How far past a tag's name its `>` is looked for (a `/>` further away,
/// after very long attributes, is counted as an open tag: safe).
const TAG_SCAN: usize = 4096;

/// The deepest run of open tags not yet closed, counting every start tag
/// of a nesting element and every end tag, stopping at `MAX_NESTING + 1`.
/// It over-counts unclosed elements, which only makes it safer.
pub fn nesting_depth(html: &str) -> usize {
    let bytes = html.as_bytes();
    let (mut depth, mut deepest) = (0usize, 0usize);
    let mut at = 0;
    while let Some(offset) = bytes[at..].iter().position(|&c| c == b'<') {
        let start = at + offset + 1;
        at = start;
        match bytes.get(start) {
            Some(b'/') => depth = depth.saturating_sub(1),
            Some(c) if c.is_ascii_alphabetic() => {
                let name_end = bytes[start..]
                    .iter()
                    .position(|c| !c.is_ascii_alphanumeric())
                    .map_or(bytes.len(), |n| start + n);
                let name = &html[start..name_end];
                let tag_end = bytes.len().min(name_end + TAG_SCAN);
                let self_closing = bytes[name_end..tag_end]
                    .iter()
                    .position(|&c| c == b'>')
                    .is_some_and(|end| end > 0 && bytes[name_end + end - 1] == b'/');
                if !self_closing && !NOT_NESTING.iter().any(|n| n.eq_ignore_ascii_case(name)) {
                    depth += 1;
                    deepest = deepest.max(depth);
                    if deepest > MAX_NESTING {
                        return deepest;
                    }
                }
            }
            _ => {}
        }
    }
    deepest
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_open_elements() {
        assert_eq!(nesting_depth("<div><div><p>x</div></div>"), 2);
        assert_eq!(nesting_depth("<div></div><div><br/><img src=x></div>"), 1);
        assert_eq!(nesting_depth("<ul><li>a<li>b</ul>"), 1);
        assert_eq!(nesting_depth("a < b and 3<4"), 0);
        assert_eq!(nesting_depth(&"<span>".repeat(5000)), MAX_NESTING + 1);
    }
}
