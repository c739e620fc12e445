//! Event dates from the words of a sentence: explicit dates ("Nov. 23,
//! 2022", "23 November 2022", "2024-05-08", "in 2020", "in September 2023")
//! and expressions relative to the publication date ("on Tuesday",
//! "yesterday", "last week", "late last month", "in February").

use chrono::{Datelike, Days, Months, NaiveDate, Weekday};

use crate::{
    model::{CodedDate, DateBasis, DatePrecision},
    text::Token,
};

const MONTHS: &[(&str, u32)] = &[
    ("january", 1),
    ("jan", 1),
    ("february", 2),
    ("feb", 2),
    ("march", 3),
    ("mar", 3),
    ("april", 4),
    ("apr", 4),
    ("may", 5),
    ("june", 6),
    ("jun", 6),
    ("july", 7),
    ("jul", 7),
    ("august", 8),
    ("aug", 8),
    ("september", 9),
    ("sept", 9),
    ("sep", 9),
    ("october", 10),
    ("oct", 10),
    ("november", 11),
    ("nov", 11),
    ("december", 12),
    ("dec", 12),
];

const WEEKDAYS: &[(&str, Weekday)] = &[
    ("monday", Weekday::Mon),
    ("tuesday", Weekday::Tue),
    ("wednesday", Weekday::Wed),
    ("thursday", Weekday::Thu),
    ("friday", Weekday::Fri),
    ("saturday", Weekday::Sat),
    ("sunday", Weekday::Sun),
];

fn month(token: &Token) -> Option<u32> {
    // Month names are capitalised: "may" is a modal verb.
    if !token.capitalized {
        return None;
    }
    MONTHS
        .iter()
        .find(|(name, _)| *name == token.norm)
        .map(|(_, m)| *m)
}

fn number(token: Option<&Token>) -> Option<u32> {
    let norm = &token?.norm;
    let digits = norm.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    if digits.is_empty() || digits.len() > 4 || !digits.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

fn year(token: Option<&Token>) -> Option<i32> {
    let t = token?;
    (t.norm.len() == 4 && t.norm.chars().all(|c| c.is_ascii_digit()))
        .then(|| t.norm.parse().ok())
        .flatten()
        .filter(|y| (1900..=2100).contains(y))
}

fn last_day_of_month(y: i32, m: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(y, m, 1)?
        .checked_add_months(Months::new(1))?
        .pred_opt()
}

fn day(date: NaiveDate, basis: DateBasis) -> CodedDate {
    CodedDate {
        start: date,
        end: date,
        precision: DatePrecision::Day,
        basis,
        text: String::new(),
    }
}

fn month_of(y: i32, m: u32, basis: DateBasis) -> Option<CodedDate> {
    Some(CodedDate {
        start: NaiveDate::from_ymd_opt(y, m, 1)?,
        end: last_day_of_month(y, m)?,
        precision: DatePrecision::Month,
        basis,
        text: String::new(),
    })
}

fn year_of(y: i32, basis: DateBasis) -> Option<CodedDate> {
    Some(CodedDate {
        start: NaiveDate::from_ymd_opt(y, 1, 1)?,
        end: NaiveDate::from_ymd_opt(y, 12, 31)?,
        precision: DatePrecision::Year,
        basis,
        text: String::new(),
    })
}

/// The most recent month `m` not after `published` (the current one included).
fn recent_month(published: NaiveDate, m: u32) -> i32 {
    if m <= published.month() {
        published.year()
    } else {
        published.year() - 1
    }
}

/// A date expression starting at token `i`, with the number of tokens it spans.
fn date_at(tokens: &[Token], i: usize, published: NaiveDate) -> Option<(CodedDate, usize)> {
    let t = &tokens[i];
    let at = |k: usize| tokens.get(i + k);
    let norm_at = |k: usize| at(k).map(|t| t.norm.as_str());
    let skip_dot = usize::from(norm_at(1) == Some("."));
    if let Some(m) = month(t) {
        let after = 1 + skip_dot;
        if let Some(d) = number(at(after)).filter(|d| (1..=31).contains(d)) {
            // "Nov. 23, 2022" / "May 8"
            let comma = usize::from(norm_at(after + 1) == Some(","));
            if let Some(y) = year(at(after + 1 + comma)) {
                return Some((
                    day(NaiveDate::from_ymd_opt(y, m, d)?, DateBasis::Stated),
                    after + 2 + comma,
                ));
            }
            let mut date = NaiveDate::from_ymd_opt(published.year(), m, d)?;
            if date > published {
                date = NaiveDate::from_ymd_opt(published.year() - 1, m, d)?;
            }
            return Some((day(date, DateBasis::Relative), after + 1));
        }
        if let Some(y) = year(at(after)) {
            return Some((month_of(y, m, DateBasis::Stated)?, after + 1));
        }
        // "in February", "mid-April": the most recent such month.
        let before = i.checked_sub(1).map(|p| tokens[p].norm.as_str());
        if matches!(
            before,
            Some("in" | "since" | "-" | "early" | "late" | "by" | "until")
        ) {
            return Some((
                month_of(recent_month(published, m), m, DateBasis::Relative)?,
                1,
            ));
        }
        return None;
    }
    // "23 November 2022"
    if let (Some(d), Some(m), Some(y)) = (
        number(Some(t)).filter(|d| (1..=31).contains(d)),
        at(1).and_then(month),
        year(at(2)),
    ) {
        return Some((day(NaiveDate::from_ymd_opt(y, m, d)?, DateBasis::Stated), 3));
    }
    // "2024-05-08"
    if let (Some(y), Some("-"), Some(m), Some("-"), Some(d)) = (
        year(Some(t)),
        norm_at(1),
        number(at(2)),
        norm_at(3),
        number(at(4)),
    ) {
        return Some((day(NaiveDate::from_ymd_opt(y, m, d)?, DateBasis::Stated), 5));
    }
    // "in 2020", "since 1994"
    if let Some(y) = year(Some(t)) {
        let before = i.checked_sub(1).map(|p| tokens[p].norm.as_str());
        if matches!(
            before,
            Some("in" | "since" | "by" | "until" | "early" | "late" | "mid" | "-")
        ) {
            return Some((year_of(y, DateBasis::Stated)?, 1));
        }
        return None;
    }
    if let Some((_, weekday)) = WEEKDAYS.iter().find(|(name, _)| *name == t.norm) {
        // The most recent such day before publication.
        let mut date = published.pred_opt()?;
        while date.weekday() != *weekday {
            date = date.pred_opt()?;
        }
        return Some((day(date, DateBasis::Relative), 1));
    }
    match (t.norm.as_str(), norm_at(1)) {
        ("yesterday", _) => Some((day(published.pred_opt()?, DateBasis::Relative), 1)),
        ("today", _) => Some((day(published, DateBasis::Relative), 1)),
        ("last", Some("week")) => {
            let start = published.checked_sub_days(Days::new(
                7 + u64::from(published.weekday().num_days_from_monday()),
            ))?;
            Some((
                CodedDate {
                    start,
                    end: start.checked_add_days(Days::new(6))?,
                    precision: DatePrecision::Week,
                    basis: DateBasis::Relative,
                    text: String::new(),
                },
                2,
            ))
        }
        ("last", Some("month")) => {
            let previous = published.checked_sub_months(Months::new(1))?;
            Some((
                month_of(previous.year(), previous.month(), DateBasis::Relative)?,
                2,
            ))
        }
        ("this", Some("month")) => Some((
            month_of(published.year(), published.month(), DateBasis::Relative)?,
            2,
        )),
        ("last", Some("year")) => Some((year_of(published.year() - 1, DateBasis::Relative)?, 2)),
        ("this", Some("year")) => Some((year_of(published.year(), DateBasis::Relative)?, 2)),
        _ => None,
    }
}

/// The first date expression of a sentence, or `None`.
pub fn sentence_date(text: &str, tokens: &[Token], published: NaiveDate) -> Option<CodedDate> {
    (0..tokens.len()).find_map(|i| {
        date_at(tokens, i, published).map(|(mut date, len)| {
            let end = tokens[(i + len).min(tokens.len()) - 1].bytes.end;
            date.text = text[tokens[i].bytes.start..end].to_string();
            date
        })
    })
}

/// The publication date, for want of any other.
pub fn publication_date(published: NaiveDate) -> CodedDate {
    day(published, DateBasis::Publication)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::tokenize;

    fn resolve(text: &str) -> Option<(String, String, DatePrecision, DateBasis)> {
        let published = NaiveDate::from_ymd_opt(2024, 5, 10).unwrap();
        let tokens = tokenize(text, 0..text.len());
        sentence_date(text, &tokens, published)
            .map(|d| (d.start.to_string(), d.end.to_string(), d.precision, d.basis))
    }

    #[test]
    fn resolves_common_news_dates() {
        use DateBasis::*;
        use DatePrecision::*;
        let cases = [
            (
                "on Nov. 23, 2022, they met",
                "2022-11-23",
                "2022-11-23",
                Day,
                Stated,
            ),
            (
                "on 23 November 2022",
                "2022-11-23",
                "2022-11-23",
                Day,
                Stated,
            ),
            (
                "at a May 8 meeting",
                "2024-05-08",
                "2024-05-08",
                Day,
                Relative,
            ),
            (
                "on Dec. 3 they met",
                "2023-12-03",
                "2023-12-03",
                Day,
                Relative,
            ),
            (
                "In 2020, the two countries fought",
                "2020-01-01",
                "2020-12-31",
                Year,
                Stated,
            ),
            (
                "In September 2023, Azerbaijan launched",
                "2023-09-01",
                "2023-09-30",
                Month,
                Stated,
            ),
            (
                "In February, he announced",
                "2024-02-01",
                "2024-02-29",
                Month,
                Relative,
            ),
            ("in mid-April", "2024-04-01", "2024-04-30", Month, Relative),
            (
                "In June, he said",
                "2023-06-01",
                "2023-06-30",
                Month,
                Relative,
            ),
            (
                "Late last month, he said",
                "2024-04-01",
                "2024-04-30",
                Month,
                Relative,
            ),
            (
                "went further last week",
                "2024-04-29",
                "2024-05-05",
                Week,
                Relative,
            ),
            ("said on Tuesday", "2024-05-07", "2024-05-07", Day, Relative),
            ("said on Friday", "2024-05-03", "2024-05-03", Day, Relative),
            ("said yesterday", "2024-05-09", "2024-05-09", Day, Relative),
            ("on 2024-05-08", "2024-05-08", "2024-05-08", Day, Stated),
            ("since 1994", "1994-01-01", "1994-12-31", Year, Stated),
        ];
        for (text, start, end, precision, basis) in cases {
            assert_eq!(
                resolve(text),
                Some((start.to_string(), end.to_string(), precision, basis)),
                "{text}"
            );
        }
    }

    #[test]
    fn ignores_numbers_and_modals_that_are_not_dates() {
        for text in [
            "it may rain",
            "2,000 troops",
            "a 24-hour offensive",
            "five regions",
            "the 1990s",
        ] {
            assert_eq!(resolve(text), None, "{text}");
        }
    }
}
