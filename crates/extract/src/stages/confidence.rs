//! Stage: confidence. How sure the coder is of an event.

use super::triggers::Action;

pub(crate) fn confidence(action: &Action, has_target: bool) -> f64 {
    let mut c: f64 = 0.6;
    if has_target {
        c += 0.15;
    }
    if action.tokens.len() > 1 {
        c += 0.1;
    }
    if action.pattern.nominal {
        c -= 0.2;
    }
    (c.clamp(0.05, 0.95) * 100.0).round() / 100.0
}
