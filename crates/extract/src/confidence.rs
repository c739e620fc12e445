//! How likely a coded event is right: a logistic model over what the coder
//! knows of how it found the event (the kind of trigger, how its actors were
//! found, its modality, how crowded its sentence is). The weights are
//! fitted on annotated events by `dyad train confidence` and shipped as
//! `data/confidence/calibration.tsv`, so that of the events given 0.8
//! about 80 % are right.

use std::sync::LazyLock;

use crate::{
    dictionary::{ActorKind, QuadClass},
    model::{CodedActor, CodedEvent, DateBasis, Modality},
};

/// The model's inputs, in order: each a number the coder knows of an event.
pub const FEATURES: [&str; 18] = [
    "bias",
    "noun_trigger",
    "phrase_pattern",
    "recoded",
    "noun_arguments",
    "no_target",
    "source_by_reference",
    "target_by_reference",
    "source_person",
    "source_whole_state",
    "target_whole_state",
    "not_asserted",
    "reported_speech",
    "date_in_text",
    "material",
    "conflict",
    "crowded_sentence",
    "long_sentence",
];

/// Number of inputs.
pub const FEATURE_COUNT: usize = FEATURES.len();

/// The inputs of one event; `events_in_sentence` is how many events its
/// sentence yielded.
fn features(event: &CodedEvent, events_in_sentence: usize) -> [f64; FEATURE_COUNT] {
    let flag = |b: bool| if b { 1.0 } else { 0.0 };
    let pattern = event.rule.split('>').next().unwrap_or_default();
    let pattern_words = pattern
        .strip_prefix("verb:")
        .unwrap_or(pattern)
        .trim_start_matches('=');
    let recodings = event
        .rule
        .split('>')
        .skip(1)
        .filter(|r| *r != crate::stages::events::NOUN_ARGUMENTS)
        .count();
    let by_reference = |actor: &CodedActor| {
        actor
            .rules
            .iter()
            .any(|r| r.starts_with("reference:") || r.starts_with("place:"))
    };
    let whole_state = |actor: &CodedActor| actor.kind == ActorKind::State && actor.role.is_empty();
    let quad = event.cameo.quad_class;
    [
        1.0,
        flag(pattern.starts_with("verb:=")),
        flag(pattern_words.contains(' ')),
        flag(recodings > 0),
        flag(event.rule.contains(crate::stages::events::NOUN_ARGUMENTS)),
        flag(event.target.is_none()),
        flag(by_reference(&event.source)),
        flag(event.target.as_ref().is_some_and(by_reference)),
        flag(event.source.kind == ActorKind::Person),
        flag(whole_state(&event.source)),
        flag(event.target.as_ref().is_some_and(whole_state)),
        flag(event.modality != Modality::Asserted),
        flag(event.reported_by.is_some()),
        flag(matches!(
            event.date.basis,
            DateBasis::Stated | DateBasis::Relative
        )),
        flag(matches!(
            quad,
            QuadClass::MaterialCooperation | QuadClass::MaterialConflict
        )),
        flag(matches!(
            quad,
            QuadClass::VerbalConflict | QuadClass::MaterialConflict
        )),
        (events_in_sentence.max(1) as f64).ln(),
        (event.sentence_text.chars().count() as f64 / 200.0).min(2.0),
    ]
}

/// A fitted model: one weight per input.
#[derive(Debug, Clone, PartialEq)]
pub struct Calibration {
    weights: [f64; FEATURE_COUNT],
}

/// A calibration file that cannot be read.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("calibration line {line}: {message}")]
pub struct CalibrationError {
    /// One-based line number.
    pub line: usize,
    /// What is wrong.
    pub message: String,
}

static BUILTIN: LazyLock<Calibration> = LazyLock::new(|| {
    Calibration::parse(include_str!("../data/confidence/calibration.tsv"))
        .expect("the built-in calibration is valid (tested)")
});

impl Calibration {
    /// The model shipped with the coder.
    pub fn builtin() -> &'static Self {
        &BUILTIN
    }

    /// A model with these weights, in the order of [`FEATURES`].
    pub fn new(weights: [f64; FEATURE_COUNT]) -> Self {
        Self { weights }
    }

    /// The weights, in the order of [`FEATURES`].
    pub fn weights(&self) -> &[f64; FEATURE_COUNT] {
        &self.weights
    }

    /// The probability that an event with inputs `x` is right.
    pub fn probability(&self, x: &[f64; FEATURE_COUNT]) -> f64 {
        let z: f64 = self.weights.iter().zip(x).map(|(w, v)| w * v).sum();
        1.0 / (1.0 + (-z).exp())
    }

    /// Reads a `feature weight` table (`#` lines are comments) naming every
    /// input of [`FEATURES`] once, in order.
    pub fn parse(text: &str) -> Result<Self, CalibrationError> {
        let rows = text
            .lines()
            .enumerate()
            .filter(|(_, l)| !l.starts_with('#') && !l.trim().is_empty())
            .skip(1);
        let mut weights = [0.0; FEATURE_COUNT];
        let mut seen = 0;
        for (index, line) in rows {
            let error = |message: String| CalibrationError {
                line: index + 1,
                message,
            };
            let (name, weight) = line
                .split_once('\t')
                .ok_or_else(|| error("expected `feature<TAB>weight`".into()))?;
            let expected = FEATURES
                .get(seen)
                .ok_or_else(|| error(format!("more than {FEATURE_COUNT} features")))?;
            if name != *expected {
                return Err(error(format!(
                    "expected feature {expected:?}, found {name:?}"
                )));
            }
            weights[seen] = weight
                .trim()
                .parse()
                .ok()
                .filter(|w: &f64| w.is_finite())
                .ok_or_else(|| error(format!("weight {weight:?} is not a number")))?;
            seen += 1;
        }
        if seen != FEATURE_COUNT {
            return Err(CalibrationError {
                line: 0,
                message: format!("{seen} of {FEATURE_COUNT} features given"),
            });
        }
        Ok(Self { weights })
    }

    /// The model as a table [`Calibration::parse`] reads, after `header`
    /// (each of its lines written as a comment).
    pub fn to_tsv(&self, header: &str) -> String {
        let mut out: String = header.lines().map(|l| format!("# {l}\n")).collect();
        out.push_str("feature\tweight\n");
        for (name, weight) in FEATURES.iter().zip(self.weights) {
            out.push_str(&format!("{name}\t{weight:.4}\n"));
        }
        out
    }
}

/// Fits a model to events labelled right or wrong: logistic regression
/// with an L2 penalty of `l2` on every weight but the bias, by Newton's
/// method (deterministic; a few iterations suffice).
pub fn fit(samples: &[([f64; FEATURE_COUNT], bool)], l2: f64) -> Calibration {
    let mut w = [0.0; FEATURE_COUNT];
    for _ in 0..50 {
        let model = Calibration::new(w);
        let mut gradient = [0.0; FEATURE_COUNT];
        let mut hessian = [[0.0; FEATURE_COUNT]; FEATURE_COUNT];
        for (x, right) in samples {
            let p = model.probability(x);
            let error = p - f64::from(u8::from(*right));
            let curvature = (p * (1.0 - p)).max(1e-9);
            for i in 0..FEATURE_COUNT {
                gradient[i] += error * x[i];
                for j in 0..FEATURE_COUNT {
                    hessian[i][j] += curvature * x[i] * x[j];
                }
            }
        }
        for i in 1..FEATURE_COUNT {
            gradient[i] += l2 * w[i];
            hessian[i][i] += l2;
        }
        hessian[0][0] += 1e-6;
        let step = solve(hessian, gradient);
        let mut largest: f64 = 0.0;
        for i in 0..FEATURE_COUNT {
            w[i] -= step[i];
            largest = largest.max(step[i].abs());
        }
        if largest < 1e-8 {
            break;
        }
    }
    Calibration::new(w)
}

/// Solves `a x = b` by Gaussian elimination with partial pivoting (`a` is
/// symmetric positive definite here, so a pivot is never zero).
fn solve(
    mut a: [[f64; FEATURE_COUNT]; FEATURE_COUNT],
    mut b: [f64; FEATURE_COUNT],
) -> [f64; FEATURE_COUNT] {
    for col in 0..FEATURE_COUNT {
        let pivot = (col..FEATURE_COUNT)
            .max_by(|&i, &j| a[i][col].abs().total_cmp(&a[j][col].abs()))
            .unwrap_or(col);
        a.swap(col, pivot);
        b.swap(col, pivot);
        let pivot_row = a[col];
        for row in col + 1..FEATURE_COUNT {
            let factor = a[row][col] / pivot_row[col];
            for (x, p) in a[row][col..].iter_mut().zip(&pivot_row[col..]) {
                *x -= factor * p;
            }
            b[row] -= factor * b[col];
        }
    }
    let mut x = [0.0; FEATURE_COUNT];
    for row in (0..FEATURE_COUNT).rev() {
        let rest: f64 = (row + 1..FEATURE_COUNT).map(|k| a[row][k] * x[k]).sum();
        x[row] = (b[row] - rest) / a[row][row];
    }
    x
}

/// The inputs of each event of one article's codings, in order.
pub fn features_of_article(events: &[CodedEvent]) -> Vec<[f64; FEATURE_COUNT]> {
    let mut per_sentence = std::collections::HashMap::new();
    for event in events {
        *per_sentence.entry(event.sentence_index).or_insert(0usize) += 1;
    }
    events
        .iter()
        .map(|event| features(event, per_sentence[&event.sentence_index]))
        .collect()
}

/// Sets each event's confidence from the built-in model.
pub(crate) fn assign(events: &mut [CodedEvent]) {
    let model = Calibration::builtin();
    let inputs = features_of_article(events);
    for (event, x) in events.iter_mut().zip(&inputs) {
        event.confidence = (model.probability(x) * 100.0).round() / 100.0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_builtin_model_reads_and_round_trips() {
        let model = Calibration::builtin();
        let again = Calibration::parse(&model.to_tsv("a header\nof two lines")).unwrap();
        assert_eq!(&again, model);
    }

    #[test]
    fn malformed_tables_are_refused_with_their_line() {
        let good = Calibration::builtin().to_tsv("");
        let renamed = good.replace("bias\t", "constant\t");
        assert!(
            Calibration::parse(&renamed)
                .unwrap_err()
                .message
                .contains("bias")
        );
        let short: String = good.lines().take(5).map(|l| format!("{l}\n")).collect();
        assert!(
            Calibration::parse(&short)
                .unwrap_err()
                .message
                .contains("of 18")
        );
        let nan = good.replace("bias\t", "bias\tNaN#");
        assert_eq!(Calibration::parse(&nan).unwrap_err().line, 2);
    }

    #[test]
    fn fitting_recovers_a_known_model() {
        // Events right with probability 0.8 when input 1 is set, 0.2 when not.
        let mut samples = Vec::new();
        for i in 0..1000 {
            let mut x = [0.0; FEATURE_COUNT];
            x[0] = 1.0;
            x[1] = f64::from(u8::from(i % 2 == 0));
            let right = if i % 2 == 0 { i % 10 < 8 } else { i % 10 == 1 };
            samples.push((x, right));
        }
        let model = fit(&samples, 1e-6);
        let mut x = [0.0; FEATURE_COUNT];
        x[0] = 1.0;
        assert!((model.probability(&x) - 0.2).abs() < 1e-3, "{model:?}");
        x[1] = 1.0;
        assert!((model.probability(&x) - 0.8).abs() < 1e-3, "{model:?}");
    }

    #[test]
    fn probability_is_the_logistic_of_the_weighted_sum() {
        let mut weights = [0.0; FEATURE_COUNT];
        weights[0] = 1.0;
        weights[5] = -2.0;
        let model = Calibration::new(weights);
        let mut x = [0.0; FEATURE_COUNT];
        x[0] = 1.0;
        assert!((model.probability(&x) - 0.731).abs() < 1e-3);
        x[5] = 1.0;
        assert!((model.probability(&x) - 0.269).abs() < 1e-3);
    }
}
