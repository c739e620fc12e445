//! The article's language: the caller's ISO 639-1 code, checked, or one
//! detected from the text (whatlang).

use whatlang::Lang;

/// How much of the text detection looks at: enough to be sure, cheap on
/// long articles.
const SAMPLE_BYTES: usize = 2_000;

/// The language Dyad codes.
pub const CODED: &str = "en";

/// The caller's language tag as a two-letter ISO 639-1 code ("en-GB" →
/// "en"), or why it is not one.
pub fn normalize(tag: &str) -> Result<String, String> {
    let primary = tag.trim().split(['-', '_']).next().unwrap_or_default();
    if primary.len() == 2 && primary.chars().all(|c| c.is_ascii_alphabetic()) {
        Ok(primary.to_ascii_lowercase())
    } else {
        Err(format!(
            "{tag:?} is not an ISO 639-1 language code: give two letters such as \"en\", or leave it empty to detect it"
        ))
    }
}

/// The language of `text` when the detector is sure of it.
pub fn detect(text: &str) -> Option<&'static str> {
    let mut end = text.len().min(SAMPLE_BYTES);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let info = whatlang::detect(&text[..end])?;
    info.is_reliable().then(|| iso_639_1(info.lang())).flatten()
}

/// The two-letter code of a whatlang language, where ISO 639-1 has one.
fn iso_639_1(lang: Lang) -> Option<&'static str> {
    use Lang::*;
    Some(match lang {
        Epo => "eo",
        Eng => "en",
        Rus => "ru",
        Cmn => "zh",
        Spa => "es",
        Por => "pt",
        Ita => "it",
        Ben => "bn",
        Fra => "fr",
        Deu => "de",
        Ukr => "uk",
        Kat => "ka",
        Ara => "ar",
        Hin => "hi",
        Jpn => "ja",
        Heb => "he",
        Yid => "yi",
        Pol => "pl",
        Amh => "am",
        Jav => "jv",
        Kor => "ko",
        Nob => "nb",
        Dan => "da",
        Swe => "sv",
        Fin => "fi",
        Tur => "tr",
        Nld => "nl",
        Hun => "hu",
        Ces => "cs",
        Ell => "el",
        Bul => "bg",
        Bel => "be",
        Mar => "mr",
        Kan => "kn",
        Ron => "ro",
        Slv => "sl",
        Hrv => "hr",
        Srp => "sr",
        Mkd => "mk",
        Lit => "lt",
        Lav => "lv",
        Est => "et",
        Tam => "ta",
        Vie => "vi",
        Urd => "ur",
        Tha => "th",
        Guj => "gu",
        Uzb => "uz",
        Pan => "pa",
        Aze => "az",
        Ind => "id",
        Tel => "te",
        Pes => "fa",
        Mal => "ml",
        Ori => "or",
        Mya => "my",
        Nep => "ne",
        Sin => "si",
        Khm => "km",
        Tuk => "tk",
        Aka => "ak",
        Zul => "zu",
        Sna => "sn",
        Afr => "af",
        Lat => "la",
        Slk => "sk",
        Cat => "ca",
        Tgl => "tl",
        Hye => "hy",
        Cym => "cy",
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_common_news_languages() {
        assert_eq!(
            detect(
                "Russia said on Tuesday it would withdraw its peacekeepers from the region. The \
                 foreign ministry said the decision was taken in agreement with Azerbaijan."
            ),
            Some("en")
        );
        // Too short to be sure: no answer (the article is then taken as English).
        assert_eq!(detect("Kyiv, Ukraine"), None);
        assert_eq!(
            detect(
                "La Russie a annoncé mardi le retrait de ses soldats de la paix de la région du \
                 Haut-Karabakh. Le ministère des affaires étrangères a déclaré que la décision \
                 avait été prise en accord avec les autorités de l'Azerbaïdjan."
            ),
            Some("fr")
        );
        assert_eq!(
            detect(
                "Россия объявила во вторник о выводе своих миротворцев из региона. Министерство \
                 иностранных дел заявило, что решение было принято по согласованию с властями."
            ),
            Some("ru")
        );
    }

    #[test]
    fn normalizes_tags() {
        assert_eq!(normalize("en-GB").unwrap(), "en");
        assert_eq!(normalize("FR").unwrap(), "fr");
        assert!(normalize("klingon").unwrap_err().contains("ISO 639-1"));
        assert!(normalize("e1").is_err());
    }
}
