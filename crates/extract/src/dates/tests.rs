//! A table of date expressions with publication dates and what they must
//! resolve to.

use super::*;
use crate::text::tokenize;

/// Resolves the first date of `text` published on `published`, as
/// "START..END PRECISION BASIS".
fn resolve(published: &str, text: &str, anchor: Option<&str>) -> Option<String> {
    let published = NaiveDate::parse_from_str(published, "%Y-%m-%d").unwrap();
    let tokens = tokenize(text, 0..text.len());
    let reference = Reference {
        published,
        future: false,
        anchor: anchor.map(|a| NaiveDate::parse_from_str(a, "%Y-%m-%d").unwrap()),
    };
    let found = find_dates(text, &tokens, &reference);
    let date = &found.first()?.date;
    let precision = match date.precision {
        DatePrecision::Day => "day",
        DatePrecision::Week => "week",
        DatePrecision::Month => "month",
        DatePrecision::Year => "year",
        DatePrecision::Range => "range",
    };
    let basis = match date.basis {
        DateBasis::Stated => "stated",
        DateBasis::Relative => "relative",
        DateBasis::Inherited => "inherited",
        DateBasis::Publication => "publication",
    };
    Some(format!("{}..{} {precision} {basis}", date.start, date.end))
}

/// (publication date, text, expected). 2024-05-10 is a Friday; 2023-01-15 a
/// Sunday; 2020-03-02 a Monday (in a leap year).
const CASES: &[(&str, &str, &str)] = &[
    // Full dates in common news formats.
    (
        "2024-05-10",
        "on Nov. 23, 2022, they met",
        "2022-11-23..2022-11-23 day stated",
    ),
    (
        "2024-05-10",
        "on Nov 23, 2022",
        "2022-11-23..2022-11-23 day stated",
    ),
    (
        "2024-05-10",
        "on November 23, 2022",
        "2022-11-23..2022-11-23 day stated",
    ),
    (
        "2024-05-10",
        "on November 23 2022",
        "2022-11-23..2022-11-23 day stated",
    ),
    (
        "2024-05-10",
        "on 23 November 2022",
        "2022-11-23..2022-11-23 day stated",
    ),
    (
        "2024-05-10",
        "on 1 January 2000",
        "2000-01-01..2000-01-01 day stated",
    ),
    (
        "2024-05-10",
        "on Sept. 11, 2001",
        "2001-09-11..2001-09-11 day stated",
    ),
    (
        "2024-05-10",
        "on Sep 11, 2001",
        "2001-09-11..2001-09-11 day stated",
    ),
    (
        "2024-05-10",
        "on Feb. 24, 2022, Russia invaded",
        "2022-02-24..2022-02-24 day stated",
    ),
    (
        "2024-05-10",
        "on Feb. 29, 2020",
        "2020-02-29..2020-02-29 day stated",
    ),
    (
        "2024-05-10",
        "on 2024-05-08",
        "2024-05-08..2024-05-08 day stated",
    ),
    (
        "2024-05-10",
        "dated 2019-12-31",
        "2019-12-31..2019-12-31 day stated",
    ),
    (
        "2024-05-10",
        "on Jan. 6, 2021, rioters",
        "2021-01-06..2021-01-06 day stated",
    ),
    (
        "2024-05-10",
        "on Dec. 25, 1991",
        "1991-12-25..1991-12-25 day stated",
    ),
    (
        "2024-05-10",
        "on Aug. 2, 1990, Iraq invaded",
        "1990-08-02..1990-08-02 day stated",
    ),
    (
        "2024-05-10",
        "on 7 October 2023",
        "2023-10-07..2023-10-07 day stated",
    ),
    (
        "2024-05-10",
        "on October 7, 2023",
        "2023-10-07..2023-10-07 day stated",
    ),
    (
        "2024-05-10",
        "the March 15, 2019, attack",
        "2019-03-15..2019-03-15 day stated",
    ),
    (
        "2024-05-10",
        "on Jul. 4, 1976",
        "1976-07-04..1976-07-04 day stated",
    ),
    (
        "2024-05-10",
        "on Apr. 1, 2024",
        "2024-04-01..2024-04-01 day stated",
    ),
    // Days without a year.
    (
        "2024-05-10",
        "at a May 8 meeting",
        "2024-05-08..2024-05-08 day relative",
    ),
    (
        "2024-05-10",
        "on May 10",
        "2024-05-10..2024-05-10 day relative",
    ),
    (
        "2024-05-10",
        "on Dec. 3 they met",
        "2023-12-03..2023-12-03 day relative",
    ),
    (
        "2024-05-10",
        "on Jan. 15",
        "2024-01-15..2024-01-15 day relative",
    ),
    (
        "2024-05-10",
        "on 8 May",
        "2024-05-08..2024-05-08 day relative",
    ),
    (
        "2024-05-10",
        "on 3 December",
        "2023-12-03..2023-12-03 day relative",
    ),
    (
        "2024-05-10",
        "she said on May 8.",
        "2024-05-08..2024-05-08 day relative",
    ),
    (
        "2024-05-10",
        "\"We will refrain,\" she said on May 8.",
        "2024-05-08..2024-05-08 day relative",
    ),
    (
        "2024-05-10",
        "will meet on June 3",
        "2024-06-03..2024-06-03 day relative",
    ),
    (
        "2024-05-10",
        "will meet on May 3",
        "2025-05-03..2025-05-03 day relative",
    ),
    (
        "2023-01-15",
        "on Dec. 31",
        "2022-12-31..2022-12-31 day relative",
    ),
    (
        "2023-01-15",
        "is scheduled to vote on Feb. 2",
        "2023-02-02..2023-02-02 day relative",
    ),
    (
        "2020-03-02",
        "on Feb. 29",
        "2020-02-29..2020-02-29 day relative",
    ),
    (
        "2024-05-10",
        "on Nov. 21, 2020, as they agreed to a cease-fire on Nov. 9.",
        "2020-11-21..2020-11-21 day stated",
    ),
    // Weekdays.
    (
        "2024-05-10",
        "said on Tuesday",
        "2024-05-07..2024-05-07 day relative",
    ),
    (
        "2024-05-10",
        "said Tuesday",
        "2024-05-07..2024-05-07 day relative",
    ),
    (
        "2024-05-10",
        "said on Monday",
        "2024-05-06..2024-05-06 day relative",
    ),
    (
        "2024-05-10",
        "said on Wednesday",
        "2024-05-08..2024-05-08 day relative",
    ),
    (
        "2024-05-10",
        "said on Thursday",
        "2024-05-09..2024-05-09 day relative",
    ),
    (
        "2024-05-10",
        "said Friday",
        "2024-05-10..2024-05-10 day relative",
    ),
    (
        "2024-05-10",
        "said on Saturday",
        "2024-05-04..2024-05-04 day relative",
    ),
    (
        "2024-05-10",
        "said on Sunday",
        "2024-05-05..2024-05-05 day relative",
    ),
    (
        "2024-05-10",
        "last Friday",
        "2024-05-03..2024-05-03 day relative",
    ),
    (
        "2024-05-10",
        "last Thursday",
        "2024-05-09..2024-05-09 day relative",
    ),
    (
        "2024-05-10",
        "will visit on Tuesday",
        "2024-05-14..2024-05-14 day relative",
    ),
    (
        "2024-05-10",
        "will vote on Sunday",
        "2024-05-12..2024-05-12 day relative",
    ),
    (
        "2024-05-10",
        "next Monday",
        "2024-05-13..2024-05-13 day relative",
    ),
    (
        "2024-05-10",
        "talks are due to start on Wednesday",
        "2024-05-15..2024-05-15 day relative",
    ),
    (
        "2023-01-15",
        "said on Sunday",
        "2023-01-15..2023-01-15 day relative",
    ),
    (
        "2023-01-15",
        "said on Saturday",
        "2023-01-14..2023-01-14 day relative",
    ),
    (
        "2023-01-15",
        "said on Monday",
        "2023-01-09..2023-01-09 day relative",
    ),
    (
        "2020-03-02",
        "said on Saturday",
        "2020-02-29..2020-02-29 day relative",
    ),
    (
        "2020-03-02",
        "on Tuesday night",
        "2020-02-25..2020-02-25 day relative",
    ),
    // Yesterday, today and their kin.
    (
        "2024-05-10",
        "said yesterday",
        "2024-05-09..2024-05-09 day relative",
    ),
    (
        "2024-05-10",
        "said today",
        "2024-05-10..2024-05-10 day relative",
    ),
    (
        "2024-05-10",
        "will meet tomorrow",
        "2024-05-11..2024-05-11 day relative",
    ),
    (
        "2024-05-10",
        "clashes last night",
        "2024-05-09..2024-05-09 day relative",
    ),
    (
        "2024-05-10",
        "this morning",
        "2024-05-10..2024-05-10 day relative",
    ),
    (
        "2024-05-10",
        "this evening",
        "2024-05-10..2024-05-10 day relative",
    ),
    (
        "2024-05-10",
        "tonight",
        "2024-05-10..2024-05-10 day relative",
    ),
    (
        "2020-03-02",
        "said yesterday",
        "2020-03-01..2020-03-01 day relative",
    ),
    (
        "2023-01-01",
        "said yesterday",
        "2022-12-31..2022-12-31 day relative",
    ),
    // Weeks.
    (
        "2024-05-10",
        "went further last week",
        "2024-04-29..2024-05-05 week relative",
    ),
    (
        "2024-05-10",
        "earlier this week",
        "2024-05-06..2024-05-12 week relative",
    ),
    (
        "2024-05-10",
        "will meet next week",
        "2024-05-13..2024-05-19 week relative",
    ),
    (
        "2023-01-15",
        "last week",
        "2023-01-02..2023-01-08 week relative",
    ),
    (
        "2024-05-10",
        "two weeks ago",
        "2024-04-22..2024-04-28 week relative",
    ),
    (
        "2024-05-10",
        "a week ago",
        "2024-04-29..2024-05-05 week relative",
    ),
    // Months.
    (
        "2024-05-10",
        "In February, he announced",
        "2024-02-01..2024-02-29 month relative",
    ),
    (
        "2024-05-10",
        "in mid-April",
        "2024-04-01..2024-04-30 month relative",
    ),
    (
        "2024-05-10",
        "In June, he said",
        "2023-06-01..2023-06-30 month relative",
    ),
    (
        "2024-05-10",
        "in May",
        "2024-05-01..2024-05-31 month relative",
    ),
    (
        "2024-05-10",
        "in early March",
        "2024-03-01..2024-03-31 month relative",
    ),
    (
        "2024-05-10",
        "in late December",
        "2023-12-01..2023-12-31 month relative",
    ),
    (
        "2024-05-10",
        "since January",
        "2024-01-01..2024-01-31 month relative",
    ),
    (
        "2024-05-10",
        "will hold elections in June",
        "2024-06-01..2024-06-30 month relative",
    ),
    (
        "2024-05-10",
        "will hold elections in March",
        "2025-03-01..2025-03-31 month relative",
    ),
    (
        "2024-05-10",
        "vacate their posts by the end of July",
        "2024-07-01..2024-07-31 month relative",
    ),
    (
        "2024-05-10",
        "until August",
        "2024-08-01..2024-08-31 month relative",
    ),
    (
        "2024-05-10",
        "last May",
        "2023-05-01..2023-05-31 month relative",
    ),
    (
        "2024-05-10",
        "last February",
        "2024-02-01..2024-02-29 month relative",
    ),
    (
        "2024-05-10",
        "next January",
        "2025-01-01..2025-01-31 month relative",
    ),
    (
        "2024-05-10",
        "Late last month, he said",
        "2024-04-01..2024-04-30 month relative",
    ),
    (
        "2024-05-10",
        "earlier this month",
        "2024-05-01..2024-05-31 month relative",
    ),
    (
        "2024-05-10",
        "later this month",
        "2024-05-01..2024-05-31 month relative",
    ),
    (
        "2024-05-10",
        "next month",
        "2024-06-01..2024-06-30 month relative",
    ),
    (
        "2024-01-20",
        "last month",
        "2023-12-01..2023-12-31 month relative",
    ),
    (
        "2024-12-20",
        "next month",
        "2025-01-01..2025-01-31 month relative",
    ),
    (
        "2024-03-31",
        "last month",
        "2024-02-01..2024-02-29 month relative",
    ),
    (
        "2024-05-10",
        "The move comes less than a month after peacekeepers began",
        "2024-04-01..2024-04-30 month relative",
    ),
    (
        "2024-05-10",
        "The move comes a month after the vote",
        "2024-04-01..2024-04-30 month relative",
    ),
    (
        "2024-05-10",
        "six months ago",
        "2023-11-01..2023-11-30 month relative",
    ),
    (
        "2024-05-10",
        "In September 2023, Azerbaijan launched",
        "2023-09-01..2023-09-30 month stated",
    ),
    (
        "2024-05-10",
        "in March 2014",
        "2014-03-01..2014-03-31 month stated",
    ),
    (
        "2024-05-10",
        "by December 2025",
        "2025-12-01..2025-12-31 month stated",
    ),
    (
        "2024-05-10",
        "in Sept. 2023",
        "2023-09-01..2023-09-30 month stated",
    ),
    (
        "2024-05-10",
        "since October 2023",
        "2023-10-01..2023-10-31 month stated",
    ),
    (
        "2020-03-02",
        "in February",
        "2020-02-01..2020-02-29 month relative",
    ),
    (
        "2023-01-15",
        "in December",
        "2022-12-01..2022-12-31 month relative",
    ),
    (
        "2023-01-15",
        "in January",
        "2023-01-01..2023-01-31 month relative",
    ),
    // Years.
    (
        "2024-05-10",
        "In 2020, the two countries fought",
        "2020-01-01..2020-12-31 year stated",
    ),
    (
        "2024-05-10",
        "since 1994",
        "1994-01-01..1994-12-31 year stated",
    ),
    (
        "2024-05-10",
        "in 1994, separatists",
        "1994-01-01..1994-12-31 year stated",
    ),
    (
        "2024-05-10",
        "in early 2023",
        "2023-01-01..2023-12-31 year stated",
    ),
    (
        "2024-05-10",
        "in late 2022",
        "2022-01-01..2022-12-31 year stated",
    ),
    (
        "2024-05-10",
        "in mid-2021",
        "2021-01-01..2021-12-31 year stated",
    ),
    (
        "2024-05-10",
        "by 2030",
        "2030-01-01..2030-12-31 year stated",
    ),
    (
        "2024-05-10",
        "until 2016",
        "2016-01-01..2016-12-31 year stated",
    ),
    (
        "2024-05-10",
        "during 2019",
        "2019-01-01..2019-12-31 year stated",
    ),
    (
        "2024-05-10",
        "fighting in 1948",
        "1948-01-01..1948-12-31 year stated",
    ),
    (
        "2024-05-10",
        "last year",
        "2023-01-01..2023-12-31 year relative",
    ),
    (
        "2024-05-10",
        "earlier this year",
        "2024-01-01..2024-12-31 year relative",
    ),
    (
        "2024-05-10",
        "will meet next year",
        "2025-01-01..2025-12-31 year relative",
    ),
    (
        "2024-05-10",
        "four years ago",
        "2020-01-01..2020-12-31 year relative",
    ),
    (
        "2024-05-10",
        "two years ago",
        "2022-01-01..2022-12-31 year relative",
    ),
    (
        "2024-05-10",
        "a year ago",
        "2023-01-01..2023-12-31 year relative",
    ),
    (
        "2024-05-10",
        "10 years ago",
        "2014-01-01..2014-12-31 year relative",
    ),
    ("2024-05-10", "about a decade ago", "none"),
    (
        "2023-01-15",
        "last year",
        "2022-01-01..2022-12-31 year relative",
    ),
    // Days ago and anchored days.
    (
        "2024-05-10",
        "three days ago",
        "2024-05-07..2024-05-07 day relative",
    ),
    (
        "2024-05-10",
        "two days ago",
        "2024-05-08..2024-05-08 day relative",
    ),
    (
        "2020-03-02",
        "three days ago",
        "2020-02-28..2020-02-28 day relative",
    ),
    (
        "2024-05-10",
        "The next day, Mr. Peskov conceded",
        "2024-05-09..2024-05-09 day inherited",
    ),
    (
        "2024-05-10",
        "the following day",
        "2024-05-09..2024-05-09 day inherited",
    ),
    (
        "2024-05-10",
        "the previous day",
        "2024-05-07..2024-05-07 day inherited",
    ),
    (
        "2024-05-10",
        "the day before",
        "2024-05-07..2024-05-07 day inherited",
    ),
    // Ranges.
    (
        "2024-05-10",
        "during the 19th century",
        "1801-01-01..1900-12-31 range stated",
    ),
    (
        "2024-05-10",
        "in the early 20th centuries",
        "1901-01-01..2000-12-31 range stated",
    ),
    (
        "2024-05-10",
        "from May 3 to May 5",
        "2024-05-03..2024-05-05 range relative",
    ),
    (
        "2024-05-10",
        "between 2014 and 2016",
        "2014-01-01..2016-12-31 range stated",
    ),
    (
        "2024-05-10",
        "from 2014 to 2016",
        "2014-01-01..2016-12-31 range stated",
    ),
    (
        "2024-05-10",
        "on Nov. 23-25",
        "2023-11-23..2023-11-25 range relative",
    ),
    (
        "2024-05-10",
        "between March and April",
        "2024-03-01..2024-04-30 range relative",
    ),
    (
        "2024-05-10",
        "from January 2022 to March 2023",
        "2022-01-01..2023-03-31 range stated",
    ),
    (
        "2024-05-10",
        "from Monday to Wednesday",
        "2024-05-06..2024-05-08 range relative",
    ),
    // Not dates.
    ("2024-05-10", "it may rain", "none"),
    ("2024-05-10", "2,000 troops", "none"),
    ("2024-05-10", "a 24-hour offensive", "none"),
    ("2024-05-10", "five regions", "none"),
    ("2024-05-10", "the 1990s", "none"),
    ("2024-05-10", "in the 1990s", "none"),
    ("2024-05-10", "a six-week war", "none"),
    ("2024-05-10", "killed 1994 people", "none"),
    ("2024-05-10", "Resolution 2334", "none"),
    ("2024-05-10", "March on Washington", "none"),
    ("2024-05-10", "they march on", "none"),
    ("2024-05-10", "the week's events", "none"),
    ("2024-05-10", "the 2024 budget", "none"),
    ("2024-05-10", "a month of talks", "none"),
    ("2024-05-10", "several years ago", "none"),
    ("2024-05-10", "in 250 cities", "none"),
    ("2024-05-10", "May Day", "none"),
    ("2024-05-10", "Theresa May said", "none"),
    ("2024-05-10", "the next stage", "none"),
    ("2024-05-10", "a day of mourning", "none"),
    ("2024-05-10", "", "none"),
];

#[test]
fn resolves_the_date_table() {
    assert!(CASES.len() >= 150, "{} cases", CASES.len());
    let mut failures = Vec::new();
    for (published, text, expected) in CASES {
        let anchor = Some("2024-05-08");
        let found = resolve(published, text, anchor).unwrap_or_else(|| "none".to_string());
        if found != *expected {
            failures.push(format!(
                "{published} {text:?}: got {found}, expected {expected}"
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn the_next_day_needs_an_anchor() {
    assert_eq!(resolve("2024-05-10", "The next day, he left", None), None);
}

#[test]
fn a_later_day_takes_the_year_stated_before_it() {
    let text = "on Nov. 21, 2020, as they agreed to a cease-fire on Nov. 9.";
    let tokens = tokenize(text, 0..text.len());
    let reference = Reference {
        published: NaiveDate::from_ymd_opt(2024, 5, 10).unwrap(),
        future: false,
        anchor: None,
    };
    let dates: Vec<_> = find_dates(text, &tokens, &reference)
        .into_iter()
        .map(|m| (m.date.start.to_string(), m.date.text))
        .collect();
    assert_eq!(
        dates,
        [
            ("2020-11-21".to_string(), "Nov. 21, 2020".to_string()),
            ("2020-11-09".to_string(), "Nov. 9".to_string())
        ]
    );
}

#[test]
fn dates_in_a_text_resolve_against_publication() {
    let published = NaiveDate::from_ymd_opt(2024, 5, 10).unwrap(); // a Friday
    let dates = crate::dates_in(
        "Russia attacked on Tuesday. The ministers will meet on Monday. It began in 2014.",
        published,
    );
    let starts: Vec<String> = dates.iter().map(|d| d.start.to_string()).collect();
    assert_eq!(starts, ["2024-05-07", "2024-05-13", "2014-01-01"]);
}

/// Whether the words before `at` speak of the future, as the definition
/// reads: scan back to a quotation mark, at most `FUTURE_REACH` words.
fn speaks_of_future_by_scan(tokens: &[Token], at: usize) -> bool {
    let window = at.saturating_sub(FUTURE_REACH);
    let from = tokens[window..at]
        .iter()
        .rposition(|t| t.norm == "\"")
        .map_or(window, |q| window + q + 1);
    tokens[from..at]
        .windows(2)
        .any(|pair| future_pair(&pair[0], &pair[1]))
}

proptest::proptest! {
    #[test]
    fn future_markers_read_once_agree_with_a_scan(
        picks in proptest::collection::vec(0usize..9, 0..40)
    ) {
        let vocabulary = ["will", "due", "to", "is", "going", "\"", "meet", "Tuesday", "shall"];
        let text = picks.iter().map(|&p| vocabulary[p]).collect::<Vec<_>>().join(" ");
        let tokens = tokenize(&text, 0..text.len());
        let markers = FutureMarkers::new(&tokens);
        for at in 0..=tokens.len() {
            proptest::prop_assert_eq!(markers.before(at), speaks_of_future_by_scan(&tokens, at), "{} at {}", text, at);
        }
    }
}

#[test]
fn a_future_marker_reaches_back_to_a_quotation_mark() {
    let text = "He will say \" we meet Tuesday";
    let tokens = tokenize(text, 0..text.len());
    let markers = FutureMarkers::new(&tokens);
    assert!(markers.before(3), "after 'will say'");
    assert!(
        !markers.before(tokens.len() - 1),
        "the quotation starts afresh"
    );
}
