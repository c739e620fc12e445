//! Decoding a page's bytes: the charset a byte-order mark says; else UTF-8
//! when the bytes are valid UTF-8; else what a `<meta>` in the first
//! kilobytes declares; else UTF-8.

use encoding_rs::Encoding;

/// How far into the page a `<meta charset>` is looked for (the HTML
/// standard's prescan looks at 1,024 bytes; pages often put it later).
const PRESCAN: usize = 4096;

/// Most replacement characters tolerated, per thousand characters, before
/// the bytes are deemed not text at all.
const MAX_BAD_PER_MILLE: usize = 10;

/// Why page bytes are not text.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error(
    "is not {encoding} text ({bad} undecodable sequences in {chars} characters): send the page's bytes as fetched, with its charset declared"
)]
pub struct NotText {
    encoding: &'static str,
    bad: usize,
    chars: usize,
}

/// The page as text. Stray undecodable bytes become U+FFFD; more than one
/// in a hundred characters means the bytes are not text.
pub fn decode(bytes: &[u8]) -> Result<String, NotText> {
    // Bytes that are valid UTF-8 are UTF-8, whatever a (stale) <meta> says:
    // pages saved or re-served as UTF-8 often keep their old declaration,
    // and legacy encodings almost never form valid UTF-8 by accident.
    let encoding = Encoding::for_bom(bytes)
        .map(|(encoding, _)| encoding)
        .or_else(|| {
            std::str::from_utf8(bytes)
                .is_ok()
                .then_some(encoding_rs::UTF_8)
        })
        .or_else(|| declared(&bytes[..bytes.len().min(PRESCAN)]))
        .unwrap_or(encoding_rs::UTF_8);
    let (text, encoding, _) = encoding.decode(bytes);
    let bad = text.matches('\u{FFFD}').count() + text.matches('\0').count();
    let chars = text.chars().count();
    if bad * 1000 > chars.max(1) * MAX_BAD_PER_MILLE {
        return Err(NotText {
            encoding: encoding.name(),
            bad,
            chars,
        });
    }
    Ok(text.replace('\0', ""))
}

/// The charset named by `charset=` in the first bytes, if known.
fn declared(head: &[u8]) -> Option<&'static Encoding> {
    let head = String::from_utf8_lossy(head).to_ascii_lowercase();
    let at = head.find("charset=")? + "charset=".len();
    let label: String = head[at..]
        .trim_start_matches(['"', '\''])
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | ':' | '.'))
        .collect();
    let encoding = Encoding::for_label(label.as_bytes())?;
    // A page that reached us as bytes is not UTF-16 unless its BOM says so.
    (encoding != encoding_rs::UTF_16LE && encoding != encoding_rs::UTF_16BE).then_some(encoding)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn honours_the_declared_charset() {
        let latin1 = b"<meta charset=\"iso-8859-1\"><p>Fran\xe7ois Hollande a d\xe9clar\xe9</p>";
        assert!(
            decode(latin1)
                .unwrap()
                .contains("François Hollande a déclaré")
        );
        let utf8 = "<meta http-equiv=\"Content-Type\" content=\"text/html; charset=utf-8\"><p>Zelenskyy’s</p>";
        assert!(decode(utf8.as_bytes()).unwrap().contains("Zelenskyy’s"));
        let stale = "<meta charset=\"gb2312\"><title>腾讯新闻</title>";
        assert!(decode(stale.as_bytes()).unwrap().contains("腾讯新闻"));
        let bom = [&[0xEF, 0xBB, 0xBF][..], "<p>Kyiv</p>".as_bytes()].concat();
        assert_eq!(decode(&bom).unwrap(), "<p>Kyiv</p>");
    }

    #[test]
    fn tolerates_a_stray_byte_but_not_binary() {
        let mut page = "<p>Russia and Armenia</p>".repeat(20).into_bytes();
        page.push(0xFF);
        assert!(decode(&page).unwrap().contains('\u{FFFD}'));
        let binary: Vec<u8> = (0..10_000u32).map(|i| (i * 7919 % 251) as u8).collect();
        let error = decode(&binary).unwrap_err().to_string();
        assert!(error.starts_with("is not UTF-8 text"), "{error}");
    }
}
