//! Matching coded events against expected ones, and the scores.

use dyad_extract::{ActorKind, CodedActor, CodedEvent, DatePrecision};

use super::gold::Expected;

/// How much of an expected event must match.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Level {
    /// The CAMEO root.
    Type,
    /// The root and the source.
    #[value(name = "source")]
    TypeSource,
    /// The root, the source and the target.
    Dyad,
}

impl Level {
    /// All levels, coarsest first.
    pub const ALL: [Level; 3] = [Level::Type, Level::TypeSource, Level::Dyad];

    /// Name for reports.
    pub fn name(self) -> &'static str {
        match self {
            Level::Type => "type",
            Level::TypeSource => "type+source",
            Level::Dyad => "dyad",
        }
    }
}

/// Whether `actor` is the expected `code` (country or organisation, "IGO"
/// for any organisation, "" for anyone) with the expected role, when roles
/// are checked.
fn actor_matches(code: &str, role: &str, actor: Option<&CodedActor>, check_roles: bool) -> bool {
    if code.is_empty() {
        return true;
    }
    let Some(actor) = actor else {
        return false;
    };
    let country_ok = if code == "IGO" {
        actor.kind == ActorKind::Organisation
    } else if code == "NGO" {
        actor.role == "NGO"
    } else {
        actor.country == code
    };
    country_ok && (!check_roles || role.is_empty() || actor.role == role)
}

/// Whether `event` matches `expected` at `level`.
pub fn matches(level: Level, expected: &Expected, event: &CodedEvent, check_roles: bool) -> bool {
    if !expected.roots.iter().any(|r| r == event.cameo.root()) {
        return false;
    }
    let oriented = |source: Option<&CodedActor>, target: Option<&CodedActor>| {
        let source_ok = actor_matches(&expected.source, &expected.source_role, source, check_roles);
        match level {
            Level::Type => true,
            Level::TypeSource => source_ok,
            Level::Dyad => {
                source_ok
                    && actor_matches(&expected.target, &expected.target_role, target, check_roles)
            }
        }
    };
    oriented(Some(&event.source), event.target.as_ref())
        || (expected.symmetric && oriented(event.target.as_ref(), Some(&event.source)))
}

/// Whether the event's date agrees with the expected one: "YYYY",
/// "YYYY-MM", "YYYY-MM-DD" at that precision, or "<=YYYY-MM-DD".
pub fn date_matches(expected: &str, event: &CodedEvent) -> bool {
    if let Some(bound) = expected.strip_prefix("<=") {
        return event.date.end.to_string().as_str() <= bound;
    }
    let precision = match expected.len() {
        4 => DatePrecision::Year,
        7 => DatePrecision::Month,
        _ => DatePrecision::Day,
    };
    event.date.precision == precision && event.date.start.to_string().starts_with(expected)
}

/// Whether the event is placed at the expected place name.
pub fn location_matches(expected: &str, event: &CodedEvent) -> bool {
    event
        .location
        .as_ref()
        .is_some_and(|l| l.name.eq_ignore_ascii_case(expected))
}

/// How many found events have one attribute (date, place) right.
#[derive(Debug, Default)]
pub struct Tally {
    /// Expected events annotated with the attribute.
    pub annotated: usize,
    /// Of those, found with the attribute right.
    pub right: usize,
    /// A line for each annotated event missed or wrong.
    pub wrong: Vec<String>,
}

impl Tally {
    /// Tallies the attribute that `annotation` reads from expected events,
    /// checked by `right` on the coded event each was assigned.
    pub fn of<'e>(
        expected: &'e [Expected],
        assignment: &[Option<usize>],
        events: &[CodedEvent],
        annotation: impl Fn(&'e Expected) -> Option<&'e str>,
        right: impl Fn(&str, &CodedEvent) -> bool,
    ) -> Tally {
        let mut tally = Tally::default();
        for (e, found) in expected.iter().zip(assignment) {
            let Some(want) = annotation(e) else { continue };
            tally.annotated += 1;
            match found.map(|i| &events[i]) {
                Some(event) if right(want, event) => tally.right += 1,
                Some(event) => tally.wrong.push(format!(
                    "WRONG {}: expected {want}, coded {} {:?} {}",
                    e.label,
                    event.date.start,
                    event.date.precision,
                    event
                        .location
                        .as_ref()
                        .map_or("(no place)", |l| l.name.as_str())
                )),
                None => tally
                    .wrong
                    .push(format!("UNFOUND {}: expected {want}", e.label)),
            }
        }
        tally
    }
}

/// Counts at one level.
#[derive(Debug, Clone, Copy, Default)]
pub struct Counts {
    /// Expected events found.
    pub found: usize,
    /// Expected events in all.
    pub expected: usize,
    /// Coded events that matched an expected one.
    pub correct: usize,
    /// Coded events in all.
    pub coded: usize,
}

impl Counts {
    /// Precision: correct / coded.
    pub fn precision(&self) -> f64 {
        ratio(self.correct, self.coded)
    }

    /// Recall: found / expected.
    pub fn recall(&self) -> f64 {
        ratio(self.found, self.expected)
    }

    /// Harmonic mean of precision and recall.
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }

    /// Adds another case's counts.
    pub fn add(&mut self, other: Counts) {
        self.found += other.found;
        self.expected += other.expected;
        self.correct += other.correct;
        self.coded += other.coded;
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 { 0.0 } else { a as f64 / b as f64 }
}

/// One-to-one greedy matching: each expected event takes the first coded
/// event not yet taken that matches it. Returns, for each expected event,
/// the index of its coded event.
pub fn assign(
    level: Level,
    expected: &[Expected],
    events: &[CodedEvent],
    check_roles: bool,
) -> Vec<Option<usize>> {
    let mut taken = vec![false; events.len()];
    expected
        .iter()
        .map(|e| {
            let found = (0..events.len())
                .find(|&i| !taken[i] && matches(level, e, &events[i], check_roles));
            if let Some(i) = found {
                taken[i] = true;
            }
            found
        })
        .collect()
}

/// Like [`assign`] at dyad level with roles checked, but each expected
/// event first takes a coding that also satisfies `prefer`.
pub fn assign_preferring(
    expected: &[Expected],
    events: &[CodedEvent],
    prefer: impl Fn(&Expected, &CodedEvent) -> bool,
) -> Vec<Option<usize>> {
    let mut taken = vec![false; events.len()];
    let mut assignment = vec![None; expected.len()];
    for pass in [true, false] {
        for (e, slot) in expected.iter().zip(assignment.iter_mut()) {
            if slot.is_some() {
                continue;
            }
            *slot = (0..events.len()).find(|&i| {
                !taken[i]
                    && matches(Level::Dyad, e, &events[i], true)
                    && (!pass || prefer(e, &events[i]))
            });
            if let Some(i) = *slot {
                taken[i] = true;
            }
        }
    }
    assignment
}

/// Counts of an assignment.
pub fn counts(assignment: &[Option<usize>], coded: usize) -> Counts {
    let found = assignment.iter().flatten().count();
    Counts {
        found,
        expected: assignment.len(),
        correct: found,
        coded,
    }
}
