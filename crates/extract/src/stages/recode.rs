//! Stage: CAMEO re-coding. An action's code changes with what the sentence
//! says around it — intended, ceased, refused, or violence whose manner
//! depends on who does it to whom. The rules are data
//! (`data/cameo/recode.tsv`, `data/cameo/classes.tsv`); each has an id that
//! the event's provenance names.

use std::sync::LazyLock;

use crate::{
    dictionary::{ActorKind, DictionaryError, table::Table},
    lexicon::{WordSet, en},
    model::CodedActor,
};

/// The mechanisms that re-code (the `recoding` column).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Recoding {
    /// The act is only intended, promised or planned.
    Intent,
    /// Cooperation stops ("no longer").
    Cessation,
    /// A negated cooperative act in the future.
    Refusal,
    /// Violence of unstated manner, by who does it to whom.
    Violence,
    /// An act governed by a verb of threat: the threat is the news (13x).
    Threat,
    /// Force that civilians use against police or soldiers (145).
    Riot,
    /// Seizing people rather than property (181).
    Abduction,
    /// A demand with a penalty for not complying: an ultimatum (139).
    Ultimatum,
    /// A warning that another party's own acts will do harm: a criticism.
    Forewarning,
    /// An invitation to do something other than meet: an appeal.
    Invitation,
}

/// The condition of a violence rule (the `when` column).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Condition {
    Always,
    MediaTarget,
    IrregularSource,
    NoncombatantTarget,
    StateSourceWithTarget,
    NoncombatantSourceOnSecurity,
}

/// Classes of CAMEO codes and roles (`data/cameo/classes.tsv`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CodeClass {
    /// Roots whose verbs govern another act ("agreed to withdraw").
    ControlRoot,
    /// Roles of armed actors outside a state's forces.
    IrregularForce,
    /// Roles of people outside any armed force.
    Noncombatant,
    /// Roles of a state's own government and forces ("" is the state).
    StateForce,
    /// Codes (prefixes) of acts that need no target actor.
    Monadic,
    /// Codes (prefixes) of acts that coordinated subjects do to each other
    /// ("Pakistan and China met", "... fought", "... cut ties").
    Reciprocal,
    /// Roles of a state's police and soldiers.
    SecurityForce,
    /// Codes (prefixes) of acts with a mover and no patient (withdrawals,
    /// visits): "of" after their nouns names who acts.
    Departure,
    /// Roles of bodies that use no force themselves (legislatures, courts,
    /// the press): force verbs with them as source are figurative.
    Unarmed,
    /// Codes (prefixes) of acts only a state's police do (arrest,
    /// detention, repression): unnamed, the doer is the police.
    PoliceAct,
    /// Codes (prefixes) of acts only a state's government does (sanctions
    /// and sentences on people): unnamed, the doer is it.
    GovernmentAct,
}

/// One re-coding rule.
#[derive(Debug, Clone)]
pub(crate) struct Rule {
    /// The rule's id, for provenance.
    pub id: &'static str,
    recoding: Recoding,
    from: Vec<&'static str>,
    when: Condition,
    /// The code the action takes.
    pub to: &'static str,
}

#[derive(Debug)]
struct Rules {
    rules: Vec<Rule>,
    classes: Vec<(CodeClass, &'static str)>,
}

const RECODE: (&str, &str) = (
    "cameo/recode.tsv",
    include_str!("../../data/cameo/recode.tsv"),
);
const CLASSES: (&str, &str) = (
    "cameo/classes.tsv",
    include_str!("../../data/cameo/classes.tsv"),
);

static RULES: LazyLock<Rules> =
    LazyLock::new(|| Rules::parse().expect("the re-coding tables are valid (tested)"));

impl Rules {
    fn parse() -> Result<Self, DictionaryError> {
        let table = Table::parse(RECODE.0, RECODE.1)?;
        let mut rules = Vec::new();
        for row in &table.rows {
            let [id, recoding, from, when, to] = row.cells[..] else {
                return Err(table.error(row.line, "expected id, recoding, from, when, to"));
            };
            let recoding = match recoding {
                "intent" => Recoding::Intent,
                "cessation" => Recoding::Cessation,
                "refusal" => Recoding::Refusal,
                "violence" => Recoding::Violence,
                "threat" => Recoding::Threat,
                "riot" => Recoding::Riot,
                "abduction" => Recoding::Abduction,
                "ultimatum" => Recoding::Ultimatum,
                "forewarning" => Recoding::Forewarning,
                "invitation" => Recoding::Invitation,
                other => return Err(table.error(row.line, format!("unknown recoding {other:?}"))),
            };
            let when = match when {
                "-" => Condition::Always,
                "media-target" => Condition::MediaTarget,
                "irregular-source" => Condition::IrregularSource,
                "noncombatant-target" => Condition::NoncombatantTarget,
                "state-source-with-target" => Condition::StateSourceWithTarget,
                "noncombatant-source-on-security" => Condition::NoncombatantSourceOnSecurity,
                other => return Err(table.error(row.line, format!("unknown condition {other:?}"))),
            };
            let from = from.split('|').filter(|c| !c.is_empty()).collect();
            rules.push(Rule {
                id,
                recoding,
                from,
                when,
                to,
            });
        }
        let table = Table::parse(CLASSES.0, CLASSES.1)?;
        let mut classes = Vec::new();
        for row in &table.rows {
            let [class, code] = row.cells[..] else {
                return Err(table.error(row.line, "expected class, code"));
            };
            let class = match class {
                "control-root" => CodeClass::ControlRoot,
                "irregular-force" => CodeClass::IrregularForce,
                "noncombatant" => CodeClass::Noncombatant,
                "state-force" => CodeClass::StateForce,
                "monadic" => CodeClass::Monadic,
                "unarmed" => CodeClass::Unarmed,
                "security-force" => CodeClass::SecurityForce,
                "departure" => CodeClass::Departure,
                "reciprocal" => CodeClass::Reciprocal,
                "police-act" => CodeClass::PoliceAct,
                "government-act" => CodeClass::GovernmentAct,
                other => return Err(table.error(row.line, format!("unknown class {other:?}"))),
            };
            classes.push((class, if code == "-" { "" } else { code }));
        }
        Ok(Self { rules, classes })
    }

    /// Rules of `recoding` for `code`, most specific first.
    fn matching(&self, recoding: Recoding, code: &str) -> Vec<(&Rule, usize)> {
        let mut found: Vec<(&Rule, usize)> = self
            .rules
            .iter()
            .filter(|r| r.recoding == recoding)
            .filter_map(|r| {
                let length = r
                    .from
                    .iter()
                    .filter(|f| code.starts_with(**f))
                    .map(|f| f.len())
                    .max()?;
                Some((r, length))
            })
            .collect();
        found.sort_by_key(|(_, length)| std::cmp::Reverse(*length));
        found
    }
}

/// The most specific rule of `recoding` (other than violence and riot) for `code`.
pub(crate) fn rule(recoding: Recoding, code: &str) -> Option<&'static Rule> {
    RULES
        .matching(recoding, code)
        .first()
        .map(|(rule, _)| *rule)
}

/// Whether `code` (a root, a code or a role) is in `class`.
pub(crate) fn in_class(class: CodeClass, code: &str) -> bool {
    RULES.classes.iter().any(|(c, v)| *c == class && *v == code)
}

/// Whether `code` is one of the codes of `class` or under one of them.
pub(crate) fn under_class(class: CodeClass, code: &str) -> bool {
    RULES
        .classes
        .iter()
        .any(|(c, v)| *c == class && code.starts_with(v))
}

/// Whether an act of `code` stands without a target actor (comment,
/// denial, protest): the codes of class `monadic` and those under them.
pub(crate) fn monadic(code: &str) -> bool {
    under_class(CodeClass::Monadic, code)
}

/// The violence rule for an action of `code` whose verb (`lemma`) leaves the
/// manner open, done by `source` to `target`, if one applies.
pub(crate) fn violence(
    lemma: &str,
    code: &str,
    source: &CodedActor,
    target: Option<&CodedActor>,
) -> Option<&'static Rule> {
    if !en().has(WordSet::UnspecifiedViolence, lemma) {
        return None;
    }
    conditional(Recoding::Violence, code, source, target)
}

/// The rule that re-codes an act of `code` by who does it to whom, whatever
/// the verb: "mourners clashed with police" is a violent protest (145),
/// "militants seized 20 villagers" an abduction (181).
pub(crate) fn by_participants(
    code: &str,
    source: &CodedActor,
    target: Option<&CodedActor>,
) -> Option<&'static Rule> {
    // Abduction rules name exact codes: 1711 and 1712 name property seized.
    conditional(Recoding::Riot, code, source, target).or_else(|| {
        conditional(Recoding::Abduction, code, source, target)
            .filter(|rule| rule.from.contains(&code))
    })
}

/// The most specific rule of `recoding` for `code` whose condition holds.
fn conditional(
    recoding: Recoding,
    code: &str,
    source: &CodedActor,
    target: Option<&CodedActor>,
) -> Option<&'static Rule> {
    RULES
        .matching(recoding, code)
        .into_iter()
        .map(|(rule, _)| rule)
        .find(|rule| match rule.when {
            Condition::Always => true,
            Condition::MediaTarget => target.is_some_and(|t| {
                t.role == "MED"
                    && t.text
                        .split_whitespace()
                        .last()
                        .is_some_and(|w| en().has(WordSet::MediaOutlet, &w.to_lowercase()))
            }),
            Condition::IrregularSource => in_class(CodeClass::IrregularForce, &source.role),
            Condition::NoncombatantTarget => {
                target.is_some_and(|t| in_class(CodeClass::Noncombatant, &t.role))
            }
            Condition::StateSourceWithTarget => {
                in_class(CodeClass::StateForce, &source.role)
                    && source.kind != ActorKind::Organisation
                    && target.is_some()
            }
            Condition::NoncombatantSourceOnSecurity => {
                in_class(CodeClass::Noncombatant, &source.role)
                    && target.is_some_and(|t| in_class(CodeClass::SecurityForce, &t.role))
            }
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Dictionaries;

    #[test]
    fn every_rule_names_real_cameo_codes() {
        let dictionaries = Dictionaries::builtin();
        for rule in &RULES.rules {
            assert!(
                dictionaries.cameo(rule.to).is_some(),
                "{}: {}",
                rule.id,
                rule.to
            );
            for from in &rule.from {
                assert!(from.len() >= 2, "{}: {from}", rule.id);
            }
        }
    }

    #[test]
    fn the_most_specific_rule_wins() {
        assert_eq!(rule(Recoding::Intent, "0711").unwrap().id, "intent-071");
        assert_eq!(rule(Recoding::Intent, "0712").unwrap().id, "intent-071");
        assert_eq!(rule(Recoding::Intent, "075").unwrap().id, "intent-07");
        assert_eq!(rule(Recoding::Intent, "190").unwrap().to, "138");
        assert!(rule(Recoding::Intent, "010").is_none());
        assert_eq!(rule(Recoding::Cessation, "070").unwrap().to, "162");
        assert_eq!(rule(Recoding::Refusal, "057").unwrap().to, "120");
    }

    #[test]
    fn a_threat_is_coded_by_what_it_threatens() {
        let threat = |code| rule(Recoding::Threat, code).unwrap().to;
        assert_eq!(threat("190"), "138"); // "threatened to invade"
        assert_eq!(threat("163"), "1312"); // "threatened to impose an embargo"
        assert_eq!(threat("162"), "1311"); // "threatened to cut aid"
        assert_eq!(threat("161"), "1313"); // "threatened to break off ties"
        assert_eq!(threat("173"), "137"); // "threatened to arrest"
        assert_eq!(threat("172"), "132"); // "threatened to ban the party"
        assert_eq!(threat("0871"), "130"); // "threatened to end the truce"
    }

    #[test]
    fn civilians_fighting_police_riot() {
        let mourners = actor("CVL");
        let police = actor("COP");
        let rebels = actor("REB");
        let riot = |code, s, t| by_participants(code, s, t).map(|r| r.to);
        assert_eq!(riot("190", &mourners, Some(&police)), Some("145"));
        assert_eq!(riot("190", &rebels, Some(&police)), None);
        assert_eq!(riot("190", &mourners, Some(&rebels)), None);
        assert_eq!(riot("190", &mourners, None), None);
        assert_eq!(riot("042", &mourners, Some(&police)), None);
    }

    #[test]
    fn people_seized_are_abducted() {
        let rebels = actor("REB");
        let villagers = actor("CVL");
        let army = actor("MIL");
        let seized = |t| by_participants("171", &rebels, Some(t)).map(|r| r.to);
        assert_eq!(seized(&villagers), Some("181"));
        assert_eq!(seized(&army), None);
        // Property set on fire is no abduction, whoever owns it.
        let burned = by_participants("1712", &rebels, Some(&villagers));
        assert!(burned.is_none());
    }

    fn actor(role: &str) -> CodedActor {
        CodedActor {
            country: "XYZ".into(),
            role: role.into(),
            kind: ActorKind::State,
            name: "X".into(),
            text: "X".into(),
            rules: Vec::new(),
        }
    }

    #[test]
    fn violence_is_coded_by_who_does_it_to_whom() {
        let rebels = actor("REB");
        let army = actor("MIL");
        let civilians = actor("CVL");
        assert_eq!(violence("kill", "190", &rebels, None).unwrap().to, "180");
        assert_eq!(
            violence("attack", "190", &army, Some(&civilians))
                .unwrap()
                .to,
            "180"
        );
        assert_eq!(
            violence("attack", "180", &army, Some(&army)).unwrap().to,
            "190"
        );
        assert!(violence("attack", "180", &army, None).is_none());
        // "attacked the newspaper": words, not force.
        let mut paper = actor("MED");
        paper.text = "the newspaper".into();
        assert_eq!(
            violence("attack", "190", &army, Some(&paper)).unwrap().to,
            "111"
        );
        let mut reporters = actor("MED");
        reporters.text = "two reporters".into();
        assert_ne!(
            violence("attack", "190", &army, Some(&reporters))
                .unwrap()
                .to,
            "111"
        );
        // A verb that names its manner ("shelled") keeps its own code.
        assert!(violence("shell", "190", &rebels, None).is_none());
        assert!(in_class(CodeClass::ControlRoot, "03"));
        assert!(in_class(CodeClass::StateForce, ""));
        assert!(monadic("016") && monadic("145") && !monadic("190") && !monadic("0311"));
    }
}
