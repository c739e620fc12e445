//! Stage: statehood. Each actor is coded as the state it belonged to on the
//! event's day ("Moscow" in 1987 is the Soviet Union), and a state as a
//! whole carries that state's one name however the text named it.

use chrono::NaiveDate;

use crate::{
    dictionary::{ActorKind, Dictionaries},
    model::CodedActor,
};

/// Recodes `actor` as the historic state it was part of on `date`, if any,
/// and names a state as a whole by its canonical name.
pub(crate) fn as_of(dictionaries: &Dictionaries, actor: &mut CodedActor, date: NaiveDate) {
    let is_organisation = actor.kind == ActorKind::Organisation || actor.role == "IGO";
    let historic = (!is_organisation)
        .then(|| dictionaries.historic_state(&actor.country, date))
        .flatten();
    if let Some(state) = historic
        && state.country != actor.country
    {
        actor.rules.push(format!("historic:{}", state.country));
        actor.country.clone_from(&state.country);
    }
    if actor.kind == ActorKind::State && actor.role.is_empty() {
        let name = historic
            .map(|s| s.name.as_str())
            .or_else(|| dictionaries.country_name(&actor.country));
        if let Some(name) = name {
            actor.name = name.to_string();
        }
    }
}
