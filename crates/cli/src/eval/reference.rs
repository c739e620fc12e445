//! The reference scorer (`shared/tools/score_events.py`) in Rust, line for
//! line, so that `dyad eval` reports the figures the project is judged by.
//! It reads events as `dyad extract --jsonl` prints them (proto3 JSON) and
//! gold as the scorer reads it (gold JSONL, `NAME.expected.toml`).

use std::collections::HashSet;

use serde_json::Value;

/// Organisation codes in the gold files and the words that name them.
const ORG_NAMES: &[(&str, &[&str])] = &[
    ("UN", &["UNITED NATIONS", "UNO", "UNSC", "SECURITY COUNCIL"]),
    ("EU", &["EUROPEAN UNION"]),
    (
        "EEC",
        &["EUROPEAN ECONOMIC COMMUNITY", "EUROPEAN COMMUNITY", "EEC"],
    ),
    ("NATO", &["NORTH ATLANTIC TREATY", "NATO"]),
    ("CSTO", &["COLLECTIVE SECURITY TREATY", "CSTO"]),
    ("EAEU", &["EURASIAN ECONOMIC UNION", "EAEU", "EEU"]),
    (
        "ECOWAS",
        &["ECONOMIC COMMUNITY OF WEST AFRICAN", "ECOWAS", "ECW"],
    ),
    ("G7", &["G7", "GROUP OF SEVEN"]),
    ("AU", &["AFRICAN UNION"]),
    (
        "IAEA",
        &[
            "INTERNATIONAL ATOMIC ENERGY",
            "IAEA",
            "ATOMIC ENERGY AGENCY",
        ],
    ),
];
const NONSTATE: &[&str] = &["IGO", "NGO", "IMG", "ISM", "MNC", "UAF"];
const ALIASES: &[(&str, &str)] = &[
    ("USR", "SUN"),
    ("ROM", "ROU"),
    ("ZAR", "COD"),
    ("TMP", "TLS"),
];
const ROLE_FAMILY: &[(&str, &[&str])] = &[
    ("REB", &["REB", "SEP", "INS", "UAF"]),
    ("SEP", &["REB", "SEP", "INS"]),
    ("MIL", &["MIL", "SPY"]),
    ("BUS", &["BUS", "MNC"]),
    ("OPP", &["OPP", "CVL"]),
    ("CVL", &["CVL", "OPP"]),
];
/// Sentence gold has no real publication date: GOV also accepts ELI.
const SENTENCE_ROLE_FAMILY: &[(&str, &[&str])] = &[("GOV", &["GOV", "ELI"])];

/// A field of a JSON object by its snake_case name or its camelCase form;
/// null and "" count as absent.
fn get<'v>(object: &'v Value, name: &str) -> Option<&'v Value> {
    let camel = camel_case(name);
    [name, camel.as_str()].into_iter().find_map(|key| {
        object
            .get(key)
            .filter(|v| !v.is_null() && v.as_str() != Some(""))
    })
}

fn camel_case(name: &str) -> String {
    let mut out = String::new();
    let mut upper = false;
    for c in name.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

fn text_of(value: Option<&Value>) -> String {
    match value {
        Some(Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
        None => String::new(),
    }
}

/// An event's actor as the scorer sees it: upper-cased fields.
struct Actor {
    code: String,
    country: String,
    role: String,
    kind: String,
    name: String,
    present: bool,
}

fn actor(event: &Value, side: &str) -> Actor {
    let a = get(event, side);
    let field = |name: &str| a.map_or(String::new(), |a| text_of(get(a, name)).to_uppercase());
    let code = field("code");
    let country = match field("country_code") {
        c if c.is_empty() => code.chars().take(3).collect(),
        c => c,
    };
    Actor {
        country,
        role: field("role"),
        kind: field("kind"),
        name: field("name"),
        present: a.and_then(Value::as_object).is_some_and(|o| !o.is_empty()),
        code,
    }
}

/// The CAMEO root of an event ("03").
fn root(event: &Value) -> String {
    let r = text_of(get(event, "cameo_root"));
    let c = text_of(get(event, "cameo_code"));
    let either = if r.is_empty() { c } else { r };
    let two: String = either.chars().take(2).collect();
    if two.is_empty() {
        two
    } else {
        format!("{two:0>2}")
    }
}

fn code(event: &Value) -> String {
    text_of(get(event, "cameo_code"))
}

/// The event's date at its precision: "YYYY", "YYYY-MM" or "YYYY-MM-DD".
fn event_date(event: &Value) -> Option<String> {
    let date = get(event, "date")?;
    let start = text_of(get(date, "start_date").or_else(|| get(date, "end_date")));
    let digits =
        |s: &str, n: usize| s.len() >= n && s.as_bytes()[..n].iter().all(u8::is_ascii_digit);
    if !digits(&start, 4) {
        return None;
    }
    let mut out = start[..4].to_string();
    for (at, len) in [(5, 2), (8, 2)] {
        match start.get(at..at + len) {
            Some(part) if start.as_bytes()[at - 1] == b'-' && digits(part, len) => {
                out.push('-');
                out.push_str(part);
            }
            _ => break,
        }
    }
    let precision =
        text_of(get(event, "date_precision").or_else(|| get(date, "precision"))).to_uppercase();
    if precision.contains("YEAR") {
        out.truncate(4);
    } else if precision.contains("MONTH") {
        out.truncate(7.min(out.len()));
    }
    Some(out)
}

fn same_country(a: &str, b: &str) -> bool {
    let alias = |c: &str| {
        ALIASES
            .iter()
            .find(|(from, _)| *from == c)
            .map_or(c.to_string(), |(_, to)| to.to_string())
    };
    alias(a) == alias(b)
}

fn org_match(gold: &str, a: &Actor) -> bool {
    let hay = format!("{} {} {}", a.code, a.country, a.name).to_uppercase();
    let mut tokens: HashSet<&str> = hay
        .split(|c: char| !(c.is_ascii_uppercase() || c.is_ascii_digit()))
        .collect();
    tokens.insert(a.code.get(3..).unwrap_or(""));
    tokens.insert(&a.code);
    if tokens.contains(gold) || tokens.contains(format!("IGO{gold}").as_str()) {
        return true;
    }
    let org_codes: &[&str] = if gold == "UN" { &["UN", "UNO"] } else { &[] };
    if org_codes.iter().any(|c| {
        ["", "IGO"]
            .iter()
            .any(|p| a.code.starts_with(&format!("{p}{c}")))
    }) {
        return true;
    }
    ORG_NAMES
        .iter()
        .filter(|(code, _)| *code == gold)
        .flat_map(|(_, names)| names.iter())
        .any(|w| w.len() > 4 && hay.contains(w))
}

fn country_match(gold: &str, a: &Actor) -> bool {
    if gold.is_empty() {
        return true;
    }
    if !a.present {
        return false;
    }
    let is_org_name = ORG_NAMES.iter().any(|(c, _)| *c == gold);
    if is_org_name || (gold.chars().count() != 3 && gold.chars().all(char::is_alphanumeric)) {
        return org_match(gold, a);
    }
    if NONSTATE.contains(&gold) {
        return NONSTATE.contains(&a.country.as_str())
            || a.code.starts_with(gold)
            || ["ORG", "IGO", "NGO", "GROUP", "ARMED"]
                .iter()
                .any(|w| a.kind.contains(w));
    }
    same_country(&a.country, gold)
        || a.code.starts_with(gold)
        || (["MNC", "NGO", "IGO"].contains(&a.code.get(..3).unwrap_or(""))
            && a.code.get(3..6) == Some(gold))
}

fn role_match(gold: &str, a: &Actor, extra: &[(&str, &[&str])]) -> bool {
    if gold.is_empty() {
        return true;
    }
    let own = [gold];
    let family: &[&str] = extra
        .iter()
        .chain(ROLE_FAMILY)
        .find(|(g, _)| *g == gold)
        .map_or(&own, |(_, family)| family);
    let rest = a.code.get(3..).unwrap_or("");
    family.contains(&a.role.as_str())
        || family.iter().any(|r| rest.contains(r))
        || family.contains(&a.code.get(..3).unwrap_or(""))
        || (matches!(gold, "REB" | "SEP")
            && ["ARMED", "REBEL", "INSURG"]
                .iter()
                .any(|w| a.kind.contains(w)))
}

/// Precision, recall and F1, rounded as the scorer rounds them.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Prf {
    /// Precision.
    pub precision: f64,
    /// Recall.
    pub recall: f64,
    /// F1 of the unrounded precision and recall.
    pub f1: f64,
}

fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

fn prf(tp_p: usize, n_p: usize, tp_r: usize, n_r: usize) -> Prf {
    let p = if n_p > 0 {
        tp_p as f64 / n_p as f64
    } else {
        0.0
    };
    let r = if n_r > 0 {
        tp_r as f64 / n_r as f64
    } else {
        0.0
    };
    Prf {
        precision: round3(p),
        recall: round3(r),
        f1: if p + r > 0.0 {
            round3(2.0 * p * r / (p + r))
        } else {
            0.0
        },
    }
}

/// Sentence-mode figures: type, type+source, dyad.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SentenceScores {
    /// By level: type, type+source, dyad.
    pub levels: [Prf; 3],
    /// Gold events.
    pub gold_events: usize,
    /// Predicted events.
    pub predicted_events: usize,
}

/// Level names as the scorer prints them.
pub const LEVELS: [&str; 3] = ["type", "type_source", "dyad"];

/// Whether a predicted event matches a gold sentence event at `level`
/// (0 type, 1 type+source, 2 dyad).
pub fn sentence_match(level: usize, event: &Value, expected: &Value) -> bool {
    let roots: Vec<&str> = expected["roots"]
        .as_array()
        .map(|r| r.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    if !roots.contains(&root(event).as_str()) {
        return false;
    }
    if level == 0 {
        return true;
    }
    let s = actor(event, "source");
    let field = |name: &str| expected[name].as_str().unwrap_or("");
    if !(country_match(field("source"), &s)
        && role_match(field("source_role"), &s, SENTENCE_ROLE_FAMILY))
    {
        return false;
    }
    level == 1 || country_match(field("target"), &actor(event, "target"))
}

/// Scores predicted events against gold sentences (each a gold JSONL
/// object); `predicted(id)` gives the events coded for a case.
pub fn sentences<'p>(gold: &[Value], predicted: impl Fn(&str) -> &'p [Value]) -> SentenceScores {
    let mut stats = [[0usize; 4]; 3];
    for case in gold {
        let events = predicted(case["id"].as_str().unwrap_or(""));
        let expected = case["expected"].as_array().map_or(&[][..], Vec::as_slice);
        for (level, st) in stats.iter_mut().enumerate() {
            st[1] += events.len();
            st[0] += events
                .iter()
                .filter(|e| expected.iter().any(|x| sentence_match(level, e, x)))
                .count();
            st[3] += expected.len();
            let mut used = vec![false; events.len()];
            for x in expected {
                if let Some(i) =
                    (0..events.len()).find(|&i| !used[i] && sentence_match(level, &events[i], x))
                {
                    used[i] = true;
                    st[2] += 1;
                }
            }
        }
    }
    SentenceScores {
        levels: stats.map(|[tpp, np, tpr, nr]| prf(tpp, np, tpr, nr)),
        gold_events: stats[0][3],
        predicted_events: stats[0][1],
    }
}

/// A gold article event or must_not entry, as the scorer reads it from TOML.
pub struct ArticleExpected<'t>(pub &'t toml::Table);

impl ArticleExpected<'_> {
    fn text(&self, key: &str) -> Option<String> {
        self.0.get(key).map(|v| match v {
            toml::Value::String(s) => s.clone(),
            other => other.to_string(),
        })
    }

    fn side(&self, key: &str) -> (String, String) {
        let side = self.text(key).unwrap_or_default();
        match side.split_once('+') {
            Some((c, r)) => (c.to_string(), r.to_string()),
            None => (side, String::new()),
        }
    }
}

/// Whether a predicted event matches a gold article event (or must_not).
fn art_match(event: &Value, x: &ArticleExpected, with_date: bool, published: &str) -> bool {
    let codes: Vec<String> =
        x.0.get("codes")
            .and_then(toml::Value::as_array)
            .map(|c| {
                c.iter()
                    .filter_map(|v| v.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default();
    if Some(root(event)) != x.text("root") && !codes.contains(&code(event)) {
        return false;
    }
    let (sc, sr) = x.side("source");
    let (tc, tr) = x.side("target");
    let (s, t) = (actor(event, "source"), actor(event, "target"));
    let fits = |a: &Actor, b: &Actor| {
        country_match(&sc, a)
            && role_match(&sr, a, &[])
            && country_match(&tc, b)
            && role_match(&tr, b, &[])
    };
    let symmetric =
        x.0.get("symmetric")
            .and_then(toml::Value::as_bool)
            .unwrap_or(false);
    if !(fits(&s, &t) || (symmetric && fits(&t, &s))) {
        return false;
    }
    if with_date {
        let d = event_date(event).unwrap_or_default();
        if let Some(date) = x.text("date") {
            return !d.is_empty() && d.starts_with(&date);
        }
        if let Some(before) = x.text("date_before") {
            let year = published.get(..4).unwrap_or(published);
            return !d.is_empty()
                && d.get(..10).unwrap_or(&d) <= before.as_str()
                && d.get(..4).unwrap_or(&d) >= year;
        }
    }
    true
}

fn squash(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

fn words(text: &str) -> HashSet<&str> {
    text.split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .filter(|w| !w.is_empty())
        .collect()
}

/// Whether the prediction comes from the sentence holding the gold text.
fn anchored(event: &Value, x: &ArticleExpected) -> bool {
    let gold_text = squash(&x.text("text").unwrap_or_default());
    if gold_text.is_empty() {
        return true;
    }
    let gold_words = words(&gold_text);
    let mentions = get(event, "mentions")
        .and_then(Value::as_array)
        .map_or(&[][..], Vec::as_slice);
    mentions.iter().any(|m| {
        let sentence = squash(&text_of(
            get(m, "sentence_text").or_else(|| get(m, "sentence")),
        ));
        if sentence.is_empty() {
            return false;
        }
        if sentence.contains(&gold_text) || gold_text.contains(&sentence) {
            return true;
        }
        let shared = gold_words.intersection(&words(&sentence)).count();
        !gold_words.is_empty() && shared as f64 / gold_words.len() as f64 >= 0.6
    })
}

/// Greedy one-to-one matching of gold events to anchored predictions: for
/// each prediction, whether it was matched.
fn strict_matched(
    events: &[Value],
    golds: &[ArticleExpected],
    published: &str,
    with_date: bool,
) -> Vec<bool> {
    let mut used = vec![false; events.len()];
    for x in golds {
        if let Some(i) = (0..events.len()).find(|&i| {
            !used[i] && anchored(&events[i], x) && art_match(&events[i], x, with_date, published)
        }) {
            used[i] = true;
        }
    }
    used
}

/// The number of one-to-one matches of gold events to anchored predictions.
fn strict_pairs(
    events: &[Value],
    golds: &[ArticleExpected],
    published: &str,
    with_date: bool,
) -> usize {
    strict_matched(events, golds, published, with_date)
        .into_iter()
        .filter(|&m| m)
        .count()
}

/// An annotation's publication date and its entries under `key` ("event",
/// "must_not").
fn annotation_entries<'t>(
    annotation: &'t toml::Table,
    key: &str,
) -> (String, Vec<ArticleExpected<'t>>) {
    let published = annotation
        .get("published")
        .map(|v| match v {
            toml::Value::String(s) => s.clone(),
            other => other.to_string(),
        })
        .unwrap_or_default();
    let entries = annotation
        .get(key)
        .and_then(toml::Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(toml::Value::as_table)
                .map(ArticleExpected)
                .collect()
        })
        .unwrap_or_default();
    (published, entries)
}

/// For each predicted event of an annotated article, whether the strict
/// scoring matches it to a gold event: whether it counts as right.
pub fn strict_labels(annotation: &toml::Table, events: &[Value]) -> Vec<bool> {
    let (published, golds) = annotation_entries(annotation, "event");
    strict_matched(events, &golds, &published, false)
}

/// Article-mode totals, named as the scorer names them.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct ArticleScores {
    /// Gold events.
    pub events: usize,
    /// Gold events matched by any event of the article (lenient).
    pub found: usize,
    /// Gold events with a date.
    pub dated: usize,
    /// Of them, matched with the date right (lenient).
    pub dated_ok: usize,
    /// must_not entries.
    pub must_not: usize,
    /// must_not entries some prediction matches.
    pub must_not_hits: usize,
    /// Predicted events.
    pub predicted: usize,
    /// Predicted events matching some gold event (lenient).
    pub pred_matched: usize,
    /// Gold events matched one-to-one from their own sentence.
    pub strict_found: usize,
    /// Dated gold events so matched with the date right.
    pub strict_dated_ok: usize,
}

impl ArticleScores {
    /// Adds one article: its annotation (`published`, `event`, `must_not`) and its predicted events.
    pub fn add(&mut self, annotation: &toml::Table, events: &[Value]) {
        let (published, golds) = annotation_entries(annotation, "event");
        let list = |key: &str| annotation_entries(annotation, key).1;
        self.predicted += events.len();
        self.pred_matched += events
            .iter()
            .filter(|e| golds.iter().any(|x| art_match(e, x, false, &published)))
            .count();
        let has_date =
            |x: &ArticleExpected| x.0.contains_key("date") || x.0.contains_key("date_before");
        for x in &golds {
            self.events += 1;
            self.found += usize::from(events.iter().any(|e| art_match(e, x, false, &published)));
            if has_date(x) {
                self.dated += 1;
                self.dated_ok +=
                    usize::from(events.iter().any(|e| art_match(e, x, true, &published)));
            }
        }
        self.strict_found += strict_pairs(events, &golds, &published, false);
        let dated: Vec<ArticleExpected> = golds.into_iter().filter(has_date).collect();
        self.strict_dated_ok += strict_pairs(events, &dated, &published, true);
        for x in list("must_not") {
            self.must_not += 1;
            let with_date = x.0.contains_key("date");
            self.must_not_hits += usize::from(
                events
                    .iter()
                    .any(|e| art_match(e, &x, with_date, &published)),
            );
        }
    }

    fn ratio(a: usize, b: usize) -> f64 {
        if b > 0 {
            round3(a as f64 / b as f64)
        } else {
            0.0
        }
    }

    /// Lenient recall.
    pub fn recall(&self) -> f64 {
        Self::ratio(self.found, self.events)
    }

    /// Strict precision, recall and F1.
    pub fn strict(&self) -> Prf {
        prf(
            self.strict_found,
            self.predicted,
            self.strict_found,
            self.events,
        )
    }

    /// Strict date accuracy: dated gold events found from their sentence with the date right.
    pub fn strict_date_accuracy(&self) -> f64 {
        Self::ratio(self.strict_dated_ok, self.dated)
    }

    /// Lenient precision (a lower bound: any gold event of the article).
    pub fn precision_lower_bound(&self) -> f64 {
        Self::ratio(self.pred_matched, self.predicted)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn event(source: Value, target: Value, code: &str, sentence: &str) -> Value {
        json!({"source": source, "target": target, "cameoCode": code, "cameoRoot": &code[..2],
               "date": {"startDate": "2025-03-14", "endDate": "2025-03-14", "precision": "DATE_PRECISION_DAY"},
               "mentions": [{"sentenceText": sentence}]})
    }

    #[test]
    fn matches_countries_roles_and_organisations_as_the_reference_does() {
        let un = actor(
            &json!({"source": {"code": "IGOUNO", "name": "United Nations"}}),
            "source",
        );
        assert!(country_match("UN", &un));
        assert!(!country_match("SUN", &un));
        let rebels = actor(
            &json!({"s": {"code": "SYRREB", "countryCode": "SYR", "role": "REB"}}),
            "s",
        );
        assert!(country_match("SYR", &rebels) && role_match("REB", &rebels, &[]));
        assert!(role_match("SEP", &rebels, &[]));
        let former = actor(
            &json!({"s": {"code": "HUNELI", "countryCode": "HUN", "role": "ELI"}}),
            "s",
        );
        assert!(!role_match("GOV", &former, &[]));
        assert!(role_match("GOV", &former, SENTENCE_ROLE_FAMILY));
        assert!(same_country("USR", "SUN"));
    }

    #[test]
    fn strict_article_matching_needs_the_gold_sentence() {
        let annotation: toml::Table = toml::from_str(
            "published = \"2025-03-14\"\n[[event]]\nid = \"a\"\ntext = \"Syria shelled Turkey\"\nsource = \"SYR\"\ntarget = \"TUR\"\nroot = \"19\"\ndate = \"2025-03-14\"\n\
             [[must_not]]\nid = \"b\"\nsource = \"TUR\"\ntarget = \"SYR\"\nroot = \"19\"\n",
        )
        .unwrap();
        let right = event(
            json!({"code": "SYR"}),
            json!({"code": "TUR"}),
            "190",
            "Syria shelled Turkey on Friday.",
        );
        let elsewhere = event(
            json!({"code": "SYR"}),
            json!({"code": "TUR"}),
            "190",
            "Another sentence entirely.",
        );
        let mut scores = ArticleScores::default();
        scores.add(&annotation, std::slice::from_ref(&elsewhere));
        assert_eq!((scores.found, scores.strict_found), (1, 0));
        let mut scores = ArticleScores::default();
        scores.add(&annotation, &[right, elsewhere]);
        assert_eq!(
            (
                scores.strict_found,
                scores.strict_dated_ok,
                scores.predicted
            ),
            (1, 1, 2)
        );
        assert_eq!(scores.strict().precision, 0.5);
        assert_eq!(scores.must_not_hits, 0);
    }

    #[test]
    fn dates_keep_their_precision() {
        let e = json!({"date": {"startDate": "2025-03-01", "precision": "DATE_PRECISION_MONTH"}});
        assert_eq!(event_date(&e).as_deref(), Some("2025-03"));
        assert_eq!(root(&json!({"cameoCode": "0256"})), "02");
    }
}
