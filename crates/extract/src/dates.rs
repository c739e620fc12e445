//! Event dates from the words of a sentence: explicit dates ("Nov. 23,
//! 2022", "23 November 2022", "2024-05-08", "in 2020", "in September 2023")
//! and expressions relative to the publication date ("on Tuesday",
//! "yesterday", "last week", "late last month", "in February", "four years
//! ago"), past or future as the sentence's tense says; ranges ("from May 3 to
//! May 5"). Which date an event takes, and dates carried across sentences,
//! are the coder's business.

use std::ops::Range;

use chrono::{Datelike, Days, Months, NaiveDate, Weekday};

use crate::{
    lexicon::{WordSet, en},
    model::{CodedDate, DateBasis, DatePrecision},
    tagger::Upos,
    text::Token,
};

fn month(token: &Token) -> Option<u32> {
    // Month names are capitalised: "may" is a modal verb.
    if !token.capitalized {
        return None;
    }
    en().value(WordSet::Month, &token.norm)?.parse().ok()
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

/// What relative expressions resolve against.
#[derive(Debug, Clone, Copy)]
pub struct Reference {
    /// The publication date.
    pub published: NaiveDate,
    /// Whether the expression speaks of the future ("will meet on Tuesday").
    pub future: bool,
    /// A day stated earlier in the passage, for "the next day".
    pub anchor: Option<NaiveDate>,
}

/// How far back (in tokens) a future marker reaches a date expression.
const FUTURE_REACH: usize = 10;

/// A date expression in a sentence: its tokens and the date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateMention {
    /// Token range of the expression.
    pub tokens: Range<usize>,
    /// The date it gives.
    pub date: CodedDate,
}

/// Month `m` of the year that makes it the most recent one not after
/// `published` (the current one included), or, in the future, the next one
/// not before it.
fn month_year(reference: &Reference, m: u32) -> i32 {
    let (year, current) = (reference.published.year(), reference.published.month());
    match (reference.future, m.cmp(&current)) {
        (false, std::cmp::Ordering::Greater) => year - 1,
        (true, std::cmp::Ordering::Less) => year + 1,
        _ => year,
    }
}

/// A day of month `m` without a year: this year's, or the nearest year's
/// that keeps it in the past (or the future, for future sentences).
fn day_without_year(reference: &Reference, m: u32, d: u32) -> Option<NaiveDate> {
    let published = reference.published;
    let this_year = NaiveDate::from_ymd_opt(published.year(), m, d)?;
    if reference.future && this_year < published {
        NaiveDate::from_ymd_opt(published.year() + 1, m, d)
    } else if !reference.future && this_year > published {
        NaiveDate::from_ymd_opt(published.year() - 1, m, d)
    } else {
        Some(this_year)
    }
}

/// The weekday `weekday` nearest to publication: the most recent one (the
/// publication day included, as wire copy says "said Monday" of the same
/// day), or the next one for future sentences.
fn weekday_date(reference: &Reference, weekday: Weekday) -> Option<NaiveDate> {
    let mut date = reference.published;
    while date.weekday() != weekday {
        date = if reference.future {
            date.succ_opt()?
        } else {
            date.pred_opt()?
        };
    }
    Some(date)
}

fn week_of(date: NaiveDate, basis: DateBasis) -> Option<CodedDate> {
    let start =
        date.checked_sub_days(Days::new(u64::from(date.weekday().num_days_from_monday())))?;
    Some(CodedDate {
        start,
        end: start.checked_add_days(Days::new(6))?,
        precision: DatePrecision::Week,
        basis,
        text: String::new(),
    })
}

/// A small count in words or digits ("a", "two", "12").
fn count(token: Option<&Token>) -> Option<u32> {
    let word = token?.norm.as_str();
    let words = [
        "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
        "eleven", "twelve",
    ];
    match word {
        "a" | "an" => Some(1),
        "several" | "few" => None,
        _ => words
            .iter()
            .position(|w| *w == word)
            .and_then(|n| u32::try_from(n).ok())
            .or_else(|| number(token).filter(|n| *n <= 1000)),
    }
}

/// `n` units before the publication date at the unit's precision.
fn ago(published: NaiveDate, n: u32, unit: &str) -> Option<CodedDate> {
    let basis = DateBasis::Relative;
    match unit.trim_end_matches('s') {
        "day" => Some(day(published.checked_sub_days(Days::new(n.into()))?, basis)),
        "week" => week_of(
            published.checked_sub_days(Days::new(7 * u64::from(n)))?,
            basis,
        ),
        "month" => {
            let date = published.checked_sub_months(Months::new(n))?;
            month_of(date.year(), date.month(), basis)
        }
        "year" => year_of(published.year() - i32::try_from(n).ok()?, basis),
        _ => None,
    }
}

/// "four years ago", "less than a month after" (as in "the move comes a
/// month after"): a count and a unit starting at `i`, with its length.
fn elapsed_at(tokens: &[Token], i: usize, published: NaiveDate) -> Option<(CodedDate, usize)> {
    let n = count(tokens.get(i))?;
    let unit = tokens.get(i + 1)?.norm.as_str();
    let direction = tokens.get(i + 2)?.norm.as_str();
    let after_coming = direction == "after"
        && tokens[i.saturating_sub(5)..i]
            .iter()
            .any(|t| matches!(t.norm.as_str(), "comes" | "came" | "coming"));
    if direction != "ago" && !after_coming {
        return None;
    }
    Some((ago(published, n, unit)?, 3))
}

/// A date expression starting at token `i`, with the number of tokens it spans.
fn date_at(tokens: &[Token], i: usize, reference: &Reference) -> Option<(CodedDate, usize)> {
    let published = reference.published;
    let t = &tokens[i];
    let at = |k: usize| tokens.get(i + k);
    let norm_at = |k: usize| at(k).map(|t| t.norm.as_str());
    let before = i.checked_sub(1).map(|p| tokens[p].norm.as_str());
    let skip_dot = usize::from(norm_at(1) == Some("."));
    // "in the 19th century", "the early 20th centuries": a hundred years.
    if matches!(norm_at(1), Some("century" | "centuries"))
        && let Some(n) = ["st", "nd", "rd", "th"]
            .iter()
            .find_map(|suffix| t.norm.strip_suffix(suffix))
            .and_then(|n| n.parse::<i32>().ok())
            .filter(|n| (1..=21).contains(n))
    {
        let first = (n - 1) * 100 + 1;
        let date = CodedDate {
            start: NaiveDate::from_ymd_opt(first, 1, 1)?,
            end: NaiveDate::from_ymd_opt(first + 99, 12, 31)?,
            precision: DatePrecision::Range,
            basis: DateBasis::Stated,
            text: String::new(),
        };
        return Some((date, 2));
    }
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
            let date = day_without_year(reference, m, d)?;
            return Some((day(date, DateBasis::Relative), after + 1));
        }
        if let Some(y) = year(at(after)) {
            return Some((month_of(y, m, DateBasis::Stated)?, after + 1));
        }
        // "in February", "mid-April", "by the end of July".
        if matches!(
            before,
            Some(
                "in" | "since"
                    | "-"
                    | "early"
                    | "late"
                    | "by"
                    | "until"
                    | "of"
                    | "last"
                    | "next"
                    | "between"
                    | "from"
                    | "and"
                    | "to"
                    | "during"
            )
        ) {
            // "by the end of July": a deadline lies ahead.
            let deadline = tokens[i.saturating_sub(4)..i]
                .iter()
                .any(|t| matches!(t.norm.as_str(), "by" | "until" | "till"));
            let mut reference = *reference;
            reference.future |= deadline || before == Some("next");
            let y = match before {
                Some("last") => published.year() - i32::from(m >= published.month()),
                _ => month_year(&reference, m),
            };
            return Some((month_of(y, m, DateBasis::Relative)?, 1));
        }
        return None;
    }
    if let Some(d) = number(Some(t)).filter(|d| (1..=31).contains(d) && t.norm.len() <= 2)
        && let Some(m) = at(1).and_then(month)
    {
        // "23 November 2022", "8 May"
        if let Some(y) = year(at(2)) {
            return Some((day(NaiveDate::from_ymd_opt(y, m, d)?, DateBasis::Stated), 3));
        }
        return Some((
            day(day_without_year(reference, m, d)?, DateBasis::Relative),
            2,
        ));
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
        if matches!(
            before,
            Some(
                "in" | "since"
                    | "by"
                    | "until"
                    | "early"
                    | "late"
                    | "mid"
                    | "-"
                    | "and"
                    | "between"
                    | "from"
                    | "to"
                    | "during"
            )
        ) && norm_at(1) != Some("s")
        {
            return Some((year_of(y, DateBasis::Stated)?, 1));
        }
        // "Boko Haram's 2014 abduction", "the 2020 war": a year before a noun dates it.
        if modifies_noun(tokens, &(i..i + 1)) {
            return Some((year_of(y, DateBasis::Stated)?, 1));
        }
        return None;
    }
    if let Some(weekday) = en()
        .value(WordSet::Weekday, &t.norm)
        .and_then(|n| n.parse::<u8>().ok())
        .and_then(|n| Weekday::try_from(n.checked_sub(1)?).ok())
    {
        let mut reference = *reference;
        match before {
            Some("next") => reference.future = true,
            Some("last") => {
                // "last Tuesday": the most recent one before publication.
                reference.future = false;
                reference.published = published.pred_opt()?;
            }
            _ => {}
        }
        return Some((
            day(weekday_date(&reference, weekday)?, DateBasis::Relative),
            1,
        ));
    }
    if let Some(found) = elapsed_at(tokens, i, published) {
        return Some(found);
    }
    let relative = DateBasis::Relative;
    let next_month = || published.checked_add_months(Months::new(1));
    let last_month = || published.checked_sub_months(Months::new(1));
    let found = match (t.norm.as_str(), norm_at(1), norm_at(2)) {
        ("the", Some("next" | "following"), Some("day")) => {
            (day(reference.anchor?.succ_opt()?, DateBasis::Inherited), 3)
        }
        ("the", Some("previous"), Some("day")) | ("the", Some("day"), Some("before")) => {
            (day(reference.anchor?.pred_opt()?, DateBasis::Inherited), 3)
        }
        ("yesterday", ..) => (day(published.pred_opt()?, relative), 1),
        ("last", Some("night"), _) => (day(published.pred_opt()?, relative), 2),
        ("today" | "tonight", ..) => (day(published, relative), 1),
        ("this", Some("morning" | "afternoon" | "evening"), _) => (day(published, relative), 2),
        ("tomorrow", ..) => (day(published.succ_opt()?, relative), 1),
        ("last", Some("week"), _) => (
            week_of(published.checked_sub_days(Days::new(7))?, relative)?,
            2,
        ),
        ("next", Some("week"), _) => (
            week_of(published.checked_add_days(Days::new(7))?, relative)?,
            2,
        ),
        ("this", Some("week"), _) => (week_of(published, relative)?, 2),
        ("last", Some("month"), _) => (
            month_of(last_month()?.year(), last_month()?.month(), relative)?,
            2,
        ),
        ("next", Some("month"), _) => (
            month_of(next_month()?.year(), next_month()?.month(), relative)?,
            2,
        ),
        ("this", Some("month"), _) => (month_of(published.year(), published.month(), relative)?, 2),
        ("last", Some("year"), _) => (year_of(published.year() - 1, relative)?, 2),
        ("next", Some("year"), _) => (year_of(published.year() + 1, relative)?, 2),
        ("this", Some("year"), _) => (year_of(published.year(), relative)?, 2),
        _ => return None,
    };
    Some(found)
}

/// Every date a text states, sentence by sentence, resolved against its
/// publication date as the coder resolves them ("on Tuesday" → the Tuesday
/// before `published`; "will meet on Tuesday" → the one after).
pub fn dates_in(text: &str, published: NaiveDate) -> Vec<CodedDate> {
    let mut found = Vec::new();
    for sentence in crate::text::split_sentences(text) {
        let tokens = crate::text::tokenize(text, sentence.bytes);
        let reference = Reference {
            published,
            future: false,
            anchor: None,
        };
        found.extend(
            find_dates(text, &tokens, &reference)
                .into_iter()
                .map(|m| m.date),
        );
    }
    found
}

/// Every date expression of a sentence, in order. A day given without a
/// year takes the year of a full date stated before it in the sentence
/// ("on Nov. 21, 2020, as they agreed to a cease-fire on Nov. 9"); "from May
/// 3 to May 5", "between 2014 and 2016" and "Nov. 23-25" become ranges.
pub fn find_dates(text: &str, tokens: &[Token], reference: &Reference) -> Vec<DateMention> {
    let mut mentions: Vec<DateMention> = Vec::new();
    let mut stated_year: Option<i32> = None;
    let future = FutureMarkers::new(tokens);
    let mut i = 0;
    while i < tokens.len() {
        let reference = Reference {
            future: reference.future || future.before(i),
            ..*reference
        };
        let Some((mut date, len)) = date_at(tokens, i, &reference) else {
            // A quotation mark ends the stretch whose year later days take.
            if tokens[i].norm == "\"" {
                stated_year = None;
            }
            i += 1;
            continue;
        };
        let mut end = (i + len).min(tokens.len());
        if date.basis == DateBasis::Stated && date.precision == DatePrecision::Day {
            stated_year = Some(date.start.year());
        } else if let (Some(y), DatePrecision::Day, DateBasis::Relative) =
            (stated_year, date.precision, date.basis)
            && month(&tokens[i]).is_some()
            && let Some(start) = date.start.with_year(y)
        {
            date = day(start, DateBasis::Stated);
        }
        if tokens[i..end].iter().any(|t| t.norm == "\"") {
            stated_year = None;
        }
        // "Nov. 23-25"
        if date.precision == DatePrecision::Day
            && tokens.get(end).is_some_and(|t| t.norm == "-")
            && let Some(last) = number(tokens.get(end + 1)).filter(|d| (1..=31).contains(d))
            && let Some(last) = date.start.with_day(last).filter(|l| *l > date.start)
        {
            date.end = last;
            date.precision = DatePrecision::Range;
            end += 2;
        }
        let start_word = i.checked_sub(1).map(|p| tokens[p].norm.as_str());
        if let Some(previous) = mentions.last_mut()
            && previous.tokens.end + 1 == i
            && matches!(
                tokens[previous.tokens.end].norm.as_str(),
                "to" | "and" | "until" | "-"
            )
            && previous.tokens.start > 0
            && matches!(
                tokens[previous.tokens.start - 1].norm.as_str(),
                "from" | "between"
            )
            && date.end > previous.date.start
            && start_word.is_some()
        {
            previous.date.end = date.end;
            previous.date.precision = DatePrecision::Range;
            previous.tokens.end = end;
            previous.date.text = words(text, tokens, &previous.tokens);
            i = end;
            continue;
        }
        let range = i..end;
        date.text = words(text, tokens, &range);
        mentions.push(DateMention {
            tokens: range,
            date,
        });
        i = end;
    }
    mentions
}

fn words(text: &str, tokens: &[Token], range: &Range<usize>) -> String {
    text[tokens[range.start].bytes.start..tokens[range.end - 1].bytes.end].to_string()
}

/// Where a sentence speaks of the future: whether the words before a token
/// (back to a quotation mark, at most [`FUTURE_REACH`] of them) say so
/// ("will meet on Tuesday", "is due to visit in June"), so that a weekday
/// or month there lies ahead. Read once per sentence, asked of each token.
struct FutureMarkers {
    /// Per token, how many marker pairs start before it.
    starts_before: Vec<u32>,
    /// Per token, the last quotation mark before it.
    quote_before: Vec<Option<usize>>,
}

impl FutureMarkers {
    fn new(tokens: &[Token]) -> Self {
        let mut starts_before = Vec::with_capacity(tokens.len() + 1);
        let mut quote_before = Vec::with_capacity(tokens.len() + 1);
        let (mut starts, mut quote) = (0u32, None);
        for (k, token) in tokens.iter().enumerate() {
            starts_before.push(starts);
            quote_before.push(quote);
            starts += u32::from(
                tokens
                    .get(k + 1)
                    .is_some_and(|next| future_pair(token, next)),
            );
            if token.norm == "\"" {
                quote = Some(k);
            }
        }
        starts_before.push(starts);
        quote_before.push(quote);
        Self {
            starts_before,
            quote_before,
        }
    }

    /// Whether a marker pair lies wholly before token `at`, within reach
    /// and after the last quotation mark.
    fn before(&self, at: usize) -> bool {
        let window = at.saturating_sub(FUTURE_REACH);
        let from = self.quote_before[at]
            .filter(|&q| q >= window)
            .map_or(window, |q| q + 1);
        // Pairs (k, k + 1) with from <= k and k + 1 < at.
        at >= from + 2 && self.starts_before[at - 1] > self.starts_before[from]
    }
}

/// Whether two words in a row mark the future: "will", "'ll", "shall"
/// before anything; "due to", "expected to", "is going".
fn future_pair(first: &Token, second: &Token) -> bool {
    matches!(first.norm.as_str(), "will" | "'ll" | "shall")
        || matches!(
            (first.norm.as_str(), second.norm.as_str()),
            (
                "due"
                    | "scheduled"
                    | "expected"
                    | "set"
                    | "plans"
                    | "planning"
                    | "hopes"
                    | "hoping"
                    | "aims",
                "to"
            ) | ("is" | "are", "going")
        )
}

/// Whether the date expression at `range` modifies the noun after it, behind
/// a determiner or possessor: "the 2014 abduction", "Boko Haram's 2014
/// abduction", "its March 6 attack".
pub(crate) fn modifies_noun(tokens: &[Token], range: &Range<usize>) -> bool {
    let determined = range.start.checked_sub(1).is_some_and(|k| {
        matches!(
            tokens[k].norm.as_str(),
            "the" | "a" | "'s" | "its" | "their" | "his" | "her" | "this" | "that"
        )
    });
    determined && tokens.get(range.end).is_some_and(|t| t.pos == Upos::Noun)
}

/// The publication date, for want of any other.
pub fn publication_date(published: NaiveDate) -> CodedDate {
    day(published, DateBasis::Publication)
}

#[cfg(test)]
mod tests;
