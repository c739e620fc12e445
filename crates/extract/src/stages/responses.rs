//! Stage: what a denial answers. "Afghan officials accused the Taliban of
//! plotting the attack. The insurgent group denied involvement": a denial
//! (CAMEO 016) that names no one is addressed to whoever just accused,
//! criticised or demanded something of the denier — the second part of
//! the pair an accusation opens.

use crate::model::CodedEvent;

/// How many sentences back a denial may answer.
const ANSWER_REACH: usize = 2;

/// CAMEO code of a denial.
const DENIAL: &str = "016";

/// Roots of the acts a denial answers: appeals and demands (02, 10),
/// criticism and accusation (11), threats (13).
const ANSWERED_ROOTS: [&str; 4] = ["02", "10", "11", "13"];

/// Gives each denial without a target the source of the latest act of
/// [`ANSWERED_ROOTS`] done to the denier in the same or the last
/// [`ANSWER_REACH`] sentences before it. `events` are in text order.
pub(crate) fn address_denials(events: &mut [CodedEvent]) {
    for i in 0..events.len() {
        if events[i].cameo.code != DENIAL || events[i].target.is_some() {
            continue;
        }
        let (earlier, rest) = events.split_at_mut(i);
        let denial = &mut rest[0];
        let accuser = earlier.iter().rev().find(|e| {
            denial.sentence_index - e.sentence_index <= ANSWER_REACH
                && ANSWERED_ROOTS.contains(&e.cameo.root())
                && e.target
                    .as_ref()
                    .is_some_and(|t| t.code() == denial.source.code())
                && e.source.code() != denial.source.code()
        });
        if let Some(accuser) = accuser {
            let mut target = accuser.source.clone();
            target.rules.push(format!("answers:{}", accuser.cameo.code));
            denial.target = Some(target);
        }
    }
}
