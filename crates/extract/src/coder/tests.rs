//! Sentences written for these tests, with the event each must (or must
//! not) yield: one case per coding rule.

use chrono::NaiveDate;

use crate::{ArticleText, Coder, Dictionaries, Modality};

/// "SOURCE CODE TARGET MODALITY" of each event coded from `text`.
fn coded(coder: &Coder, text: &str) -> Vec<String> {
    let published = NaiveDate::from_ymd_opt(2024, 5, 10).unwrap();
    coder
        .code(ArticleText { text, published })
        .into_iter()
        .map(|e| {
            let target = e.target.map(|t| t.code()).unwrap_or_else(|| "-".into());
            let modality = match e.modality {
                Modality::Asserted => "asserted",
                Modality::Negated => "negated",
                Modality::Intended => "intended",
                Modality::Hypothetical => "hypothetical",
            };
            format!("{} {} {target} {modality}", e.source.code(), e.cameo.code)
        })
        .collect()
}

/// (sentence, the one event it must yield).
const CASES: &[(&str, &str)] = &[
    // A protest (CAMEO 14) needs no target in its noun's phrase: the
    // possessive or "by" names the protester, the protested government is
    // implied.
    (
        "Kenyan teachers' protest entered its third week.",
        "KENEDU 141 KENGOV asserted",
    ),
    (
        "A strike by Brazilian dockworkers halted exports from Santos.",
        "BRA 143 - asserted",
    ),
    // The parse's subject of a reported verb refers back to the speaker
    // through a pronoun possessor, or stands in apposition to the source:
    // the source stays.
    (
        "Kenyan officials said their police had arrested Somali smugglers.",
        "KENCOP 173 SOMCRM asserted",
    ),
    (
        "Japan, the largest buyer of Indian ore, has asked India to cut prices.",
        "JPN 020 IND asserted",
    ),
    // Verbs WordNet lends a written verb's code (verbs/wordnet.tsv): a
    // troponym of "attack" (to strafe is to attack from the air with
    // guns) and a synonym of "confiscate" in its most frequent sense.
    (
        "Russian jets strafed Ukrainian positions near Kharkiv on Monday.",
        "RUSMIL 180 UKR asserted",
    ),
    (
        "Israeli police impounded Palestinian fishing boats.",
        "ISRCOP 171 PSE asserted",
    ),
    // To receive visitors is to host a visit.
    (
        "Kenyan President William Ruto received the Ugandan foreign minister on Monday.",
        "KENGOV 043 UGAGOV asserted",
    ),
    // The "of" of a quantity or part is no phrase break in a verb's gap:
    // what is suspended is aid, what is launched exercises.
    (
        "Kenya suspended part of its military aid to Somalia.",
        "KEN 1622 SOM asserted",
    ),
    (
        "Indian troops launched three days of joint exercises with Russia.",
        "INDMIL 062 RUS asserted",
    ),
    // A role noun "across" or "throughout" a state is that state's, as
    // "in" one: the students protest, not Nigeria.
    (
        "Thousands of students across Nigeria staged protests on Saturday.",
        "NGAEDU 141 NGAGOV asserted",
    ),
    // "Across the country", the article's state named three times before,
    // is where the protest happens: the farmers are that state's.
    (
        "Kenya's farmers are angry. Kenya imports maize. Kenya exports tea. The rains came late. \
         Prices rose in March. On Monday dairy farmers staged protests across the country.",
        "KENAGR 141 KENGOV asserted",
    ),
    // Taking a town is occupying territory; "take" alone names no seizure.
    (
        "Turkish rebels took the town of Cizre from the Turkish army.",
        "TURREB 192 TURMIL asserted",
    ),
    // "A group of", like "hundreds of", names a quantity of the head after it.
    (
        "A group of Moroccan diplomats held talks with Algerian officials.",
        "MARGOV 040 DZAGOV asserted",
    ),
    // A gerund opening the sentence is its subject's head noun.
    (
        "Fighting between Armenia and Azerbaijan erupted on Monday.",
        "ARM 190 AZE asserted",
    ),
    // What "took place" happened; no one took anything.
    (
        "The meeting between Putin and Erdogan took place in Sochi on Monday.",
        "RUSGOV 040 TURGOV asserted",
    ),
    // Reporting that another actor did wrong is accusing it (112).
    (
        "Iran said Iraq violated the ceasefire on Monday.",
        "IRN 112 IRQ asserted",
    ),
    (
        "Somalia said Kenya was meddling in its internal affairs.",
        "SOM 112 KEN asserted",
    ),
    // A named armed group keeps its role whatever word describes it.
    (
        "The paramilitary Rapid Support Forces attacked the Sudanese Armed Forces.",
        "SDNREB 180 SDNMIL asserted",
    ),
    // A demand or appeal that names a penalty for not complying is an
    // ultimatum (139), whether the verb demands or only tells.
    (
        "The United States urged Iran to release the sailors or face sanctions.",
        "USA 139 IRN asserted",
    ),
    (
        "Kenya said Somalia must withdraw its troops or face the consequences.",
        "KEN 139 SOM asserted",
    ),
    // To stop diplomatic cooperation or talks is to reduce relations (16).
    (
        "Somalia will no longer recognize Kenya's envoy.",
        "SOM 161 KENGOV asserted",
    ),
    (
        "Iran said it would no longer meet with U.S. officials.",
        "IRN 164 USAGOV asserted",
    ),
    // Laying blame on someone is accusing them, whatever the verb.
    (
        "Somalia's government placed the blame on Kenya.",
        "SOMGOV 112 KEN asserted",
    ),
    (
        "Afghan President Ashraf Ghani pointed a finger at the Taliban.",
        "AFGELI 112 AFGREB asserted",
    ),
    // An arrest with no one named as its doer was made by the police of
    // the state where it happened, else of the prisoner's own state.
    (
        "Two Kenyan journalists were arrested in Uganda on Monday.",
        "UGACOP 173 KENMED asserted",
    ),
    (
        "Kenya's former foreign minister was detained.",
        "KENCOP 173 KENELI asserted",
    ),
    // A word a pattern names must head its noun: "government" only
    // modifies "forces", who were attacked with force (rebels: 180), not
    // criticised (111).
    (
        "Ugandan rebels attacked Kenyan government forces.",
        "UGAREB 180 KENMIL asserted",
    ),
    // A one-word name inside a longer name is someone else's: Francis
    // Okello is not Pope Francis, but the Ugandan minister the phrase names.
    (
        "Uganda's foreign minister Francis Okello criticized Kenya.",
        "UGAGOV 110 KEN asserted",
    ),
    // A protest that names no one it is aimed at is aimed at the
    // protesters' own government; one that names a place abroad, there.
    (
        "Kenyan workers went on strike.",
        "KENLAB 143 KENGOV asserted",
    ),
    // A title only one state's head bears names that state's government.
    ("The Pope criticized Israel.", "VATGOV 110 ISR asserted"),
    // Northern Ireland is part of the United Kingdom, not of Ireland.
    (
        "Rebels attacked an army base in Northern Ireland.",
        "GBRREB 190 GBRMIL asserted",
    ),
    // A verb that takes no object is no passive participle after its noun:
    // the prisoners rioted, whoever reports it.
    (
        "Kenyan prisoners rioted Monday in a jail in Uganda, witnesses said.",
        "KEN 145 UGA asserted",
    ),
    // "Its troops" as a subject are the forces of the state "its" refers
    // back to: the sentence's first subject.
    (
        "Kenya said its troops attacked Ugandan rebels in Uganda.",
        "KENMIL 190 UGAREB asserted",
    ),
    // A short fragment quoted inside a clause is part of it: the agent
    // after the closing mark is still the agent.
    (
        "Ugandan rebels were \"brutally attacked\" by Kenyan troops.",
        "KENMIL 190 UGAREB asserted",
    ),
    // A gerund coordinated with the content of an accusation is content too.
    (
        "Kenya accused Uganda of misrepresenting facts and providing misleading information to Tanzania.",
        "KEN 112 UGA asserted",
    ),
    // A backer's name says whom it backs, not whose they are; a leader's
    // name says whose forces they are.
    (
        "Iran-backed Houthi rebels attacked Saudi Arabia.",
        "YEMREB 180 SAU asserted",
    ),
    (
        "Saudi-led forces attacked Yemeni rebels.",
        "SAUMIL 190 YEMREB asserted",
    ),
    // The subject of a trailing reporting clause is no object of the act.
    (
        "Kenyan troops attacked Ugandan rebels, Ugandan police said.",
        "KENMIL 190 UGAREB asserted",
    ),
    // An act done to the subject ("<" patterns) goes from whom the object
    // names to the subject; "received" a person is still hosting.
    ("Kenya received a loan from Japan.", "JPN 071 KEN asserted"),
    (
        "The Malian army got weapons from Russia.",
        "RUS 072 MLIMIL asserted",
    ),
    (
        "The Greek government faced criticism from Turkey.",
        "TUR 111 GRCGOV asserted",
    ),
    (
        "The Kenyan president received the Ugandan foreign minister.",
        "KENGOV 043 UGAGOV asserted",
    ),
    // A verb right after an actor ending in "-ent" is a verb, not a noun.
    (
        "The Kenyan government criticized Uganda.",
        "KENGOV 110 UGA asserted",
    ),
    (
        "The Kenyan president criticized Uganda.",
        "KENGOV 110 UGA asserted",
    ),
    // Unspecified violence: by irregulars or on civilians 180, between forces 190.
    (
        "Syrian rebels killed three Syrian soldiers.",
        "SYRREB 180 SYRMIL asserted",
    ),
    (
        "Russian troops killed four Ukrainian soldiers.",
        "RUSMIL 190 UKRMIL asserted",
    ),
    (
        "Russian troops killed four Ukrainian civilians.",
        "RUSMIL 180 UKRCVL asserted",
    ),
    // Force used at a named place is used on its state.
    (
        "Israeli tanks fired at targets in Hebron.",
        "ISRMIL 193 PSE asserted",
    ),
    // A protest is aimed at whom its purpose clause names.
    (
        "Ukrainian students staged demonstrations to demand the resignation of the Ukrainian government.",
        "UKREDU 141 UKRGOV asserted",
    ),
    // A modal word inside a pattern's gap: "said they will release".
    (
        "Yemeni rebels said they will release the crew of the Greek ship.",
        "YEMREB 0353 GRC intended",
    ),
    // Comment, denial and protest need no target actor.
    (
        "The Russian government denied the reports on Monday.",
        "RUSGOV 016 - asserted",
    ),
    ("Syrian rebels attacked Syria.", "SYRREB 180 SYR asserted"),
    // An attempt is the act, not an intention.
    (
        "Iraqi insurgents attempted to assassinate the Iraqi prime minister.",
        "IRQREB 186 IRQGOV asserted",
    ),
    // An agreement one is eyeing is intended, not signed.
    (
        "Turkey is eyeing an agreement with Egypt.",
        "TUR 032 EGY intended",
    ),
    // Aspect is no intent: "continued to detain" detains.
    (
        "Iranian police continued to detain British diplomats.",
        "IRNCOP 173 GBRGOV asserted",
    ),
    // Taking people, by name or by seizing them, is abduction (181).
    (
        "Malian militants are holding Malian villagers hostage.",
        "MLIREB 181 MLICVL asserted",
    ),
    (
        "Malian militants seized Malian villagers.",
        "MLIREB 181 MLICVL asserted",
    ),
    // An agentless passive: the subject suffered the act; the other side
    // of the encounter did it.
    (
        "The Haitian gang leader was killed in a gun battle with Haitian police Friday.",
        "HTICOP 190 HTICRM asserted",
    ),
    // Destroying property.
    (
        "Malian soldiers set fire to the offices of the French aid group.",
        "MLIMIL 1712 FRANGO asserted",
    ),
    // "will not accept" is a rejection.
    (
        "Ukraine said it will not accept any Russian proposal.",
        "UKR 124 RUS asserted",
    ),
    // "according to" attributes; the shelling is the event.
    (
        "According to Russia's defence ministry, Ukraine shelled Belgorod.",
        "UKR 194 RUS asserted",
    ),
    // An event noun takes its arguments from its phrase: possessor and "to".
    (
        "Kenya's request to the United Nations was rejected on Monday.",
        "KEN 020 UNO asserted",
    ),
    // The UN's bodies code in the UN's family.
    (
        "The International Court of Justice rejected Kenya's request.",
        "UNOICJ 120 KEN asserted",
    ),
    // "peace accord" is a noun, not an agreement; the praise is the event.
    (
        "The peace accord between Sudan and Chad was praised by Egypt.",
        "EGY 051 TCD asserted",
    ),
    // A threat is coded by what it threatens (13x), and it was made.
    (
        "Serbia threatened to impose an embargo on Kosovo.",
        "SRB 1312 XKX asserted",
    ),
    (
        "The Egyptian government threatened to close or suspend Ethiopian flights.",
        "EGYGOV 1313 ETH asserted",
    ),
    // Civilians fighting the police riot (145), whatever the verb.
    (
        "Kenyan protesters clashed with Kenyan police in Nairobi.",
        "KENCVL 145 KENCOP asserted",
    ),
    // Declining comment is an act of its own (011), not a negated one.
    (
        "The Chinese government declined to comment on Monday.",
        "CHNGOV 011 - asserted",
    ),
    // An object belongs to the nearest verb: the offensive was launched,
    // not reported (Phoenix's "report .. offensive" is a threat, 138).
    (
        "Syria reported launching a new offensive against Turkey.",
        "SYR 193 TUR asserted",
    ),
    // A participle before its noun only modifies it.
    (
        "The Palestinians reject proposed Israeli changes to the deal.",
        "PSE 123 ISR asserted",
    ),
    // An act about another's act ("praised the withdrawal of ...") targets
    // whoever did that act; the subject did not withdraw.
    (
        "Egypt praised the withdrawal of Israeli troops from Lebanon.",
        "EGY 051 ISRMIL asserted",
    ),
    (
        "Jordan condemned the Israeli withdrawal.",
        "JOR 110 ISR asserted",
    ),
    // A clause after "after" tells an act with its own subject; "freed" is
    // a release (084); a weekday after a role noun is a date, not a name.
    (
        "Chadians rejoiced after Chadian schoolgirls were freed by their captors Tuesday.",
        "TCDCRM 084 TCDCVL asserted",
    ),
    // Human rights activists are HRI (Phoenix files them under OPP).
    (
        "Tunisian human rights activists criticized the Tunisian government.",
        "TUNHRI 110 TUNGOV asserted",
    ),
    // "X said Y must ..." is a demand (100); "should" a suggestion (020).
    (
        "The Ghanaian government said Togo must close its border.",
        "GHAGOV 100 TGO asserted",
    ),
    (
        "The Ghanaian government said Togo should close its border.",
        "GHAGOV 020 TGO asserted",
    ),
    // A term cited after "what it called" is the verb's object, quoted or
    // not, and "called" is no phone call.
    (
        "Kenya voiced its concern over what it called the “provocations from Somalia's leadership”.",
        "KEN 110 SOMGOV asserted",
    ),
    (
        "Kenya criticized what it called the insulting rhetoric of Somalia's leaders.",
        "KEN 110 SOMGOV asserted",
    ),
    // Idioms of the codebook's verbs: pointing a finger at is accusing
    // (112); crediting someone is praise (051).
    (
        "The Malian government pointed the finger at Algeria.",
        "MLIGOV 112 DZA asserted",
    ),
    ("Peru credited Chile for its help.", "PER 051 CHL asserted"),
    // A demand replaces only the act it governs: the accusation stays.
    (
        "The Malian government pointed the finger at Algeria, saying Algeria should respect its borders.",
        "MLIGOV 112 DZA asserted",
    ),
    // A visitor's visit to a host is 042 (the host's is 043).
    (
        "Macron's visit to Nigeria was postponed.",
        "FRAGOV 042 NGA asserted",
    ),
    // A relative clause describes its person: the main verb is the news,
    // and the clause's own act ("visited Uganda") is biography.
    (
        "The Kenyan president, who visited Uganda last year, criticized Tanzania on Monday.",
        "KENGOV 110 TZA asserted",
    ),
    // The object makes the act: trading barbs is criticism (111).
    (
        "The Kenyan president exchanged barbs with the Ugandan president.",
        "KENGOV 111 UGAGOV asserted",
    ),
    // The "of" of a quantity: the rebels did the attacking.
    (
        "Dozens of Syrian rebels attacked Turkish soldiers.",
        "SYRREB 180 TURMIL asserted",
    ),
    (
        "Members of the Kenyan opposition criticized the Ugandan government.",
        "KENOPP 110 UGAGOV asserted",
    ),
    // Opposition members in a legislature are the opposition (CAMEO OPP),
    // not the legislature (LEG).
    (
        "Somali opposition lawmakers criticized the Kenyan government.",
        "SOMOPP 110 KENGOV asserted",
    ),
    // A pledge is made to the public: it needs no addressee.
    (
        "The Chadian president promised to hold free elections within a year.",
        "TCDGOV 0341 - intended",
    ),
    (
        "Peru's government vowed on Friday to rebuild the flooded towns.",
        "PERGOV 030 - asserted",
    ),
    (
        "Vietnam is committed to opening up the economy.",
        "VNM 030 - asserted",
    ),
    // Being committed to something is a pledge, no wrongdoing to report.
    (
        "Iran said Iraq is committed to the ceasefire.",
        "IRQ 030 - asserted",
    ),
    // A title before a name no dictionary knows: of the one state the
    // sentence names.
    (
        "Judge Maria Vargas opened an investigation against 28 Chilean government officials.",
        "CHLJUD 090 CHLGOV asserted",
    ),
    // "Constantine" names a man here, not Algeria (it is an Algerian
    // city); the titled name is of the one state the sentence names.
    (
        "Opposition leader Constantine Vlachos criticized the Greek government.",
        "GRCOPP 110 GRCGOV asserted",
    ),
    // A state acting on armed groups and criminals within it is domestic
    // event data.
    (
        "Croatia arrested Croatian extremists.",
        "HRV 173 HRVRAD asserted",
    ),
    // Two people named by name are two actors, though CAMEO codes both
    // by the one office they hold.
    (
        "Peruvian President Dina Boluarte criticized Peruvian Prime Minister Gustavo Adrianzen.",
        "PERGOV 110 PERGOV asserted",
    ),
    // Two bodies of one state: the government blames regional leaders.
    (
        "The Somali government placed blame on the leaders of Puntland.",
        "SOMGOV 112 SOMGOV asserted",
    ),
    // "the government", with no state named near it, is the state the
    // article is about: named most, and twice as often as any other.
    (
        "Chad's army chief resigned. Chad's ruling council met. Chad, Sudan's neighbour, \
         closed its border. Sudan was silent. The Russian envoy flew in. A French diplomat \
         followed. The Brazilian ambassador left. Later the opposition criticized the \
         government.",
        "TCDOPP 110 TCDGOV asserted",
    ),
];

#[test]
fn each_rule_codes_its_sentence() {
    let coder = Coder::new(Dictionaries::builtin());
    let mut wrong = Vec::new();
    for (text, expected) in CASES {
        let got = coded(&coder, text);
        if got != [*expected] {
            wrong.push(format!("{text}\n  expected {expected}\n  got      {got:?}"));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn a_place_stands_for_its_state_by_the_states_name() {
    let coder = Coder::new(Dictionaries::builtin());
    let published = NaiveDate::from_ymd_opt(2024, 5, 10).unwrap();
    let events = coder.code(ArticleText {
        text: "Colombian rebels attacked targets in Monterrey.",
        published,
    });
    let target = events[0].target.as_ref().expect("the place's state");
    assert_eq!(
        (target.code().as_str(), target.name.as_str()),
        ("MEX", "Mexico")
    );
}

/// Sentences that must yield no event, each for a reason of its own.
const NON_EVENTS: &[&str] = &[
    // What an appeal asks of its addressee is no act, nor intent, of theirs
    // (the speaker here unknown, the appeal is not coded either).
    "He urged the Greek government to accept an offer from NATO.",
    // A protest noun with a modifier, no possessive, names no protester.
    "Public protests are common in Kenya.",
    // An intent read from tense alone is addressed to someone: with no one
    // named it is not coded, unlike a pledge.
    "The Chadian president would meet the strikers next week.",
    // A state acting on its own government is one actor acting on itself.
    "Kenya criticized the Kenyan government.",
    // One body on both sides is no event.
    "The Chadian government criticized the government.",
    // A verb's frame ends at its clause: in "said Y will release ..." the
    // release is Y's act of another clause, not what the speaker said
    // ("say .. release"), and it names no one it was done to.
    "Kenya said Somalia will release the prisoners.",
    // A dateline's place says where the story was filed: no one of that
    // state was arrested, nor did its police arrest a state.
    "NAIROBI, Kenya - A former banker was arrested on Monday.",
    // A gerund passive tells a circumstance of another act: no arrest is
    // news here.
    "The Ugandan student returned home after his release from being detained in Kenya.",
    // To engage in a process takes part in it: no fighting.
    "Kenyan officials engaged in a peace process with Uganda.",
    // To withdraw a request takes back words, no troops: no withdrawal.
    "The Kenyan government withdrew Friday's request to Uganda.",
    // "National governments" are those of several states, none of them
    // Kenya's though Kenya was named before.
    "Kenya joined the bloc in 2001. The European Union criticized national governments on Monday.",
    // "Demonstrate" with an object shows something; no one protested.
    "The Kenyan government must demonstrate the value of the deal with Uganda.",
    // A person presented by a research body is a commentator: what he
    // later says China will do is analysis.
    "Ivan Petrov, director of the Berlin-based Carnegie Eurasia Center, spoke on Monday. Petrov added that China will seize Russian weapons.",
    // A participle before its noun is an adjective: no one swept, no one
    // was jailed here.
    "The Taliban's sweeping curbs on Afghan women remain in place.",
    "The party of jailed former Kenyan president Daniel Moi met on Monday.",
    // Idioms of a light verb name no act: no one was paid, no one met.
    "Kenya has paid a high price for alienating Uganda.",
    "The Kenyan plan met with opposition from Uganda.",
    // A participle after its noun modifies it: the report was released,
    // no one was freed ("released" is no release of persons, 084).
    "According to a report released by Kenya last week, Uganda suffered more deaths.",
    "According to the Global Terrorism Index 2025 released last week, Uganda suffered more deaths.",
    // What a person once did, told in a relative clause, is no news of
    // the sentence ("who led Romania's negotiations with Hungary").
    "Ana Pop, who led Romania's negotiations with Hungary, says immigration should stop.",
    // After a nationality adjective comes its noun, not a verb: "ally" is
    // a noun here, however the tagger reads its "-ly".
    "The minister courted another key Egyptian ally, France.",
    // A passive without an agent names no one who acted: the soldiers did
    // not kill Niger, nor Niger them ("the border with Niger").
    "Three Malian soldiers were killed near the border with Niger.",
    // A commentator stays one: what the expert later "cautions" is analysis.
    "Ana Pop, an expert on Balkan politics, spoke on Monday. Pop cautions that Serbia has attacked Kosovo.",
    // A passive's agent is the phrase after "by": gunfire is no actor, and
    // the soldier who went missing hit nothing.
    "Chadian aid workers left Chad after their vehicles were hit by gunfire and a Chadian soldier went missing.",
    // Phoenix's null patterns: the object makes the verb no act ("took
    // office" is no seizure; "seized the opportunity" seizes nothing).
    "The Bolivian president took office in Lima.",
    "Ecuador seized the opportunity in Peru.",
    // A government does not act on its own state, and praise with no one
    // praised is no interaction.
    "The Russian government praised Russia on Monday.",
    // An unaddressed statement is comment, not an event.
    "The Kremlin said on Monday that the talks were useful.",
    // A noun is no trigger: "the two states" is not "states".
    "The two states have close ties.",
    // A headline restates the story; its lead is coded where the body tells it.
    "Russia Attacks Ukraine\n\nThe weather in Kyiv was mild on Monday.",
    // Commentators' views are analysis, not acts.
    "Analysts say Russia will attack Ukraine again.",
    // A trade war is no war.
    "The United States waged a tariff war against China.",
    // A surname alone outside the person's term is someone else.
    "Stoltenberg criticized Russia.",
    // The object of "told" is its hearer, never its speaker: the aide is
    // no actor, and the parliament said nothing.
    "An aide told the Kenyan parliament that the talks were useful.",
    // Rebels backed by Iran are not Iran's, nor those of the state they attack.
    "Iran-backed rebels attacked Saudi Arabia.",
    // An event noun in a phrase about another noun is what that noun is
    // about, background: no war is news here.
    "Western leaders called on China to end its support for Russia's war against Ukraine.",
    // Received from no one named: no one is known to have given it.
    "Kenya received a loan on Monday.",
    // A statement to the press is the report itself, not an act.
    "The Russian foreign minister told reporters that the plan was ready.",
    "The French ambassador told Radio France International he was hopeful.",
    // Bare verbs of moving, joining and facing name no meeting (Phoenix's
    // 040): a tanker arrives, a state joins a bloc, a company faces rivals.
    "The Iranian tanker arrived in southern China last month.",
    "Bulgaria joined Romania and Greece as a member of the bloc.",
    "The Brazilian airline faces Argentina in court.",
    "Dutch travellers coming back to Germany must stay at home for ten days.",
    // Stative verbs tell relations, not acts, and verbs of direction or
    // quantity no cooperation: no one expected, involved, affected or led
    // anyone, and issuing passports gives no aid.
    "Germany expects Poland to abstain in the vote.",
    "The new Kenyan policy affects Somalia.",
    "Egypt's plan involves Sudan.",
    "Egypt led Sudan in the vote.",
    "Nigeria issued new passports to Ghana.",
    // Holding and taking are coercion and seizure only with their objects:
    // banks hold debt, parties take a lead or an attitude.
    "Japanese banks hold a third of Brazil's debt.",
    "West German banks have taken a relaxed attitude toward Brazil.",
    "The Bolivian opposition took a lead over the Bolivian government in the poll.",
    // A company receiving a contract hosts no visit.
    "The Kenyan company received a contract from Uganda.",
    // Across a verb of saying, the parse gives the reported verb its own
    // subject: floods and missiles are no actors, and the speaker did not act.
    "Indian officials said the floods had destroyed Pakistani border posts.",
    "Iranian officials said the new missiles threatened American warships in the Gulf.",
    // An "-ing" participle after a noun modifies it, and the noun acts:
    // the orders block, not the court that lifted them.
    "A Kenyan court has lifted orders blocking the swearing-in of the Kenyan deputy president.",
    // A relative pronoun's clause is about the noun it modifies: the report
    // accused, not the officials who praised it.
    "Kenyan officials praised the report, which accused Somali officials of corruption.",
];

#[test]
fn a_word_of_an_actors_name_is_no_event_noun() {
    // With "finance" an event noun, "Finance Ministry approval" still
    // names no financing of the banks by the ministry.
    let nouns = "code\tpattern\n071\t=finance\n";
    let dictionaries = Dictionaries::with_files([("nouns.tsv", nouns)]).unwrap();
    let coder = Coder::new(dictionaries);
    assert_eq!(
        coded(
            &coder,
            "Four U.S. banks received Finance Ministry approval to operate in Japan."
        ),
        Vec::<String>::new()
    );
}

#[test]
fn non_events_yield_nothing() {
    let coder = Coder::new(Dictionaries::builtin());
    let published = NaiveDate::from_ymd_opt(1987, 5, 10).unwrap();
    for text in NON_EVENTS {
        let events = coder.code(ArticleText { text, published });
        assert!(
            events.is_empty(),
            "{text}: {:?}",
            events
                .iter()
                .map(|e| (&e.source.name, &e.cameo.code))
                .collect::<Vec<_>>()
        );
    }
}

#[test]
fn addressed_statements_are_events() {
    let coder = Coder::new(Dictionaries::builtin());
    let got = coded(
        &coder,
        "The Russian foreign minister told the Ukrainian parliament about the plan.",
    );
    assert_eq!(got.len(), 1, "{got:?}");
    assert!(got[0].starts_with("RUSGOV 010"), "{got:?}");
}

#[test]
fn coordinated_and_participle_verbs_yield_their_own_events() {
    let coder = Coder::new(Dictionaries::builtin());
    assert_eq!(
        coded(
            &coder,
            "Russian troops shelled Kharkiv and killed three Ukrainian soldiers."
        ),
        ["RUSMIL 194 UKR asserted", "RUSMIL 190 UKRMIL asserted"]
    );
    assert_eq!(
        coded(
            &coder,
            "Ukrainian forces retreated, killing two Russian soldiers."
        ),
        ["UKRMIL 190 RUSMIL asserted"]
    );
}

#[test]
fn a_verb_of_stopping_is_coded_by_what_it_stops() {
    let coder = Coder::new(Dictionaries::builtin());
    for (text, event) in [
        (
            "Kenya halted all trade with Uganda.",
            "KEN 163 UGA asserted",
        ),
        (
            "Kenya cut off military aid to Uganda.",
            "KEN 1622 UGA asserted",
        ),
        (
            "Kenya broke off negotiations with Uganda.",
            "KEN 164 UGA asserted",
        ),
        (
            "Kenya ended its cooperation with Uganda.",
            "KEN 160 UGA asserted",
        ),
        (
            "Kenya suspended joint projects with Uganda.",
            "KEN 160 UGA asserted",
        ),
        (
            "Kenya imposed new tariffs on Uganda.",
            "KEN 163 UGA asserted",
        ),
        (
            "Kenya lifted the sanctions on Uganda.",
            "KEN 085 UGA asserted",
        ),
        // Announced, a stop of trade is a threat to boycott (1312).
        (
            "Kenya will suspend trade with Uganda.",
            "KEN 1312 UGA intended",
        ),
    ] {
        assert_eq!(coded(&coder, text), [event], "{text}");
    }
}

#[test]
fn a_coordinated_clause_with_its_own_subject_is_an_event_of_its_own() {
    let coder = Coder::new(Dictionaries::builtin());
    // Each clause's subject acts; none is the object of the clause before.
    assert_eq!(
        coded(
            &coder,
            "Kenyan police clashed with protesters in Nairobi, and Ugandan rebels attacked an army base in the north."
        ),
        ["KENCOP 190 KENCVL asserted", "UGAREB 190 KEN asserted"]
    );
    // A list of subjects, subjects after a subordinator and the agents of
    // a participle are one subject of one verb.
    for (text, events) in [
        (
            "Kenya, Tanzania and Uganda criticized Ethiopia.",
            [
                "UGA 110 ETH asserted",
                "TZA 110 ETH asserted",
                "KEN 110 ETH asserted",
            ]
            .as_slice(),
        ),
        (
            "Officials met although Kenya and Uganda criticized Ethiopia.",
            ["UGA 110 ETH asserted", "KEN 110 ETH asserted"].as_slice(),
        ),
        (
            "Kenyan lawmakers led by Raila Odinga and Martha Karua criticized Ethiopia.",
            ["KENLEG 110 ETH asserted"].as_slice(),
        ),
    ] {
        assert_eq!(coded(&coder, text), events, "{text}");
    }
}

#[test]
fn month_names_are_dates_not_places() {
    let coder = Coder::new(Dictionaries::builtin());
    let published = NaiveDate::from_ymd_opt(2025, 3, 10).unwrap();
    let events = coder.code(ArticleText {
        text: "In March, Russia's foreign ministry criticized Armenia.",
        published,
    });
    assert_eq!(events.len(), 1);
    assert!(events[0].location.is_none(), "{:?}", events[0].location);
    assert_eq!(
        events[0].date.start,
        NaiveDate::from_ymd_opt(2025, 3, 1).unwrap()
    );
}

#[test]
fn a_gathering_after_at_is_the_subjects_meeting() {
    let coder = Coder::new(Dictionaries::builtin());
    let got = coded(
        &coder,
        "Putin and Pashinyan agreed on the withdrawal at a meeting in Moscow.",
    );
    assert!(got.iter().any(|e| e.starts_with("ARMGOV 04")), "{got:?}");
}

#[test]
fn a_definite_noun_refers_back_to_the_name_it_heads() {
    let coder = Coder::new(Dictionaries::builtin());
    let text = "Kenya boycotted a hearing of the International Court of Justice. \
                The court criticized Kenya on Monday. The agency praised Kenya.";
    // "the court" is the ICJ, not a Kenyan court; no agency was named.
    assert_eq!(
        coded(&coder, text),
        ["KEN 143 UNOICJ asserted", "UNOICJ 110 KEN asserted"]
    );
}

#[test]
fn a_definite_role_noun_of_armed_men_refers_back_to_the_one_group_named() {
    let coder = Coder::new(Dictionaries::builtin());
    let published = NaiveDate::from_ymd_opt(2024, 5, 10).unwrap();
    let text = "Al-Shabab attacked a hotel in Mogadishu. \
                Kenyan troops killed five of the militants on Monday.";
    let events = coder.code(ArticleText { text, published });
    let fight = events
        .iter()
        .find(|e| e.source.code() == "KENMIL")
        .expect("the troops' attack");
    let target = fight.target.as_ref().expect("the militants");
    assert_eq!(
        (target.code().as_str(), target.name.as_str()),
        ("SOMREB", "Al-Shabaab")
    );
    // With two groups named, "the militants" could be either: no one is chosen for them.
    let text = "Al-Shabab and the Islamic State attacked Mogadishu. \
                Kenyan troops killed five of the militants on Monday.";
    let events = coder.code(ArticleText { text, published });
    assert!(
        events
            .iter()
            .flat_map(|e| &e.target)
            .all(|t| t.name != "Al-Shabaab" || t.text != "militants"),
        "{events:?}"
    );
}

#[test]
fn a_denial_answers_whoever_just_accused_the_denier() {
    let coder = Coder::new(Dictionaries::builtin());
    let text = "Kenyan officials accused Al-Shabab of plotting the attack on Monday. \
                The militants denied involvement.";
    assert_eq!(
        coded(&coder, text),
        ["KENGOV 111 SOMREB asserted", "SOMREB 016 KENGOV asserted"]
    );
}

#[test]
fn states_found_by_reference_carry_their_names() {
    let coder = Coder::new(Dictionaries::builtin());
    let published = NaiveDate::from_ymd_opt(2024, 5, 10).unwrap();
    let events = coder.code(ArticleText {
        text: "Egypt criticized Turkey on Monday. Both countries withdrew their ambassadors.",
        published,
    });
    for event in &events {
        for actor in std::iter::once(&event.source).chain(&event.target) {
            assert_ne!(actor.name, actor.country, "{actor:?}");
        }
    }
}

/// "SOURCE (source name) CODE TARGET (target name)" of each event coded
/// from `text` as published on `published`.
fn coded_on(coder: &Coder, text: &str, published: &str) -> Vec<String> {
    let published = NaiveDate::parse_from_str(published, "%Y-%m-%d").unwrap();
    coder
        .code(ArticleText { text, published })
        .into_iter()
        .map(|e| {
            let target = e
                .target
                .map(|t| format!("{} ({})", t.code(), t.name))
                .unwrap_or_else(|| "-".into());
            let source = format!("{} ({})", e.source.code(), e.source.name);
            format!("{source} {} {target}", e.cameo.code)
        })
        .collect()
}

#[test]
fn actors_are_the_states_of_the_events_day() {
    let coder = Coder::new(Dictionaries::builtin());
    // The capital's state on the day: the Kremlin was the Soviet Union's.
    let kremlin = "The Kremlin accused Pakistan of aggression.";
    assert_eq!(
        coded_on(&coder, kremlin, "1987-04-02"),
        ["SUNGOV (Kremlin) 112 PAK (Pakistan)"]
    );
    assert_eq!(
        coded_on(&coder, kremlin, "2024-04-02"),
        ["RUSGOV (Kremlin) 112 PAK (Pakistan)"]
    );
    // A historic state's own name is that state at any date.
    assert_eq!(
        coded_on(&coder, "Yugoslavia criticized Albania.", "1990-03-01"),
        ["YUG (Yugoslavia) 110 ALB (Albania)"]
    );
    assert_eq!(
        coded_on(
            &coder,
            "Soviet troops attacked Afghan rebels.",
            "1987-04-02"
        ),
        ["SUNMIL (Soviet Union) 190 AFGREB (Afghanistan)"]
    );
    // A renamed state is coded and named as it was: Germany before 1990.
    assert_eq!(
        coded_on(&coder, "Germany criticized Zaire.", "1987-04-02"),
        ["DEU (West Germany) 110 ZAR (Zaire)"]
    );
    assert_eq!(
        coded_on(
            &coder,
            "East Germany criticized Czechoslovakia.",
            "2021-04-02"
        ),
        ["DDR (East Germany) 110 CSK (Czechoslovakia)"]
    );
}

#[test]
fn a_fronted_clause_holds_no_subject_of_the_main_verb() {
    let coder = Coder::new(Dictionaries::builtin());
    let got = coded(
        &coder,
        "Since Russia left the treaty in March, they have criticized Hungary.",
    );
    assert!(!got.iter().any(|e| e.starts_with("RUS 110")), "{got:?}");
    // Without a closing comma and a verb of its own, it is no clause.
    let got = coded(&coder, "Since March, Russia has criticized Hungary.");
    assert_eq!(got, ["RUS 110 HUN asserted"]);
}

#[test]
fn a_state_never_acts_on_itself() {
    let coder = Coder::new(Dictionaries::builtin());
    for text in [
        "Indonesia criticized the Indonesian government.",
        "The Kenyan government criticized the Kenyan government.",
    ] {
        assert_eq!(coded(&coder, text), Vec::<String>::new(), "{text}");
    }
    // A part of a state acting on the state as a whole is an event.
    assert_eq!(
        coded(&coder, "Ivorian rebels attacked Ivory Coast."),
        ["CIVREB 180 CIV asserted"]
    );
}

/// The start date of the one event coded from `text`, published on
/// 2025-03-07 (a Friday).
fn date_of_one_event(coder: &Coder, text: &str) -> String {
    let published = NaiveDate::from_ymd_opt(2025, 3, 7).unwrap();
    let events = coder.code(ArticleText { text, published });
    assert_eq!(events.len(), 1, "{text}: {events:?}");
    events[0].date.start.to_string()
}

#[test]
fn a_relative_clause_does_not_date_the_main_event() {
    let coder = Coder::new(Dictionaries::builtin());
    let date_of = |text| date_of_one_event(&coder, text);
    assert_eq!(
        date_of("Russia on Tuesday criticized Ukraine, which it invaded in February 2022."),
        "2025-03-04"
    );
    assert_eq!(
        date_of("Russia criticized Ukraine, which it invaded in February 2022."),
        "2025-03-07"
    );
    // A date of the main clause after the action still dates it.
    assert_eq!(
        date_of("Russia criticized Ukraine on Tuesday, March 4."),
        "2025-03-04"
    );
}

#[test]
fn a_since_date_opens_a_period_and_dates_only_a_states_onset() {
    let coder = Coder::new(Dictionaries::builtin());
    let date_of = |text| date_of_one_event(&coder, text);
    // Acts repeated over the period are reported, not dated, by it.
    assert_eq!(
        date_of("Since gaining independence in 1963, Kenya has received 12 loans from Japan."),
        "2025-03-07"
    );
    assert_eq!(
        date_of("Turkey has criticized Syria since 2016."),
        "2025-03-07"
    );
    // A state in the perfect began with the act the date names.
    assert_eq!(
        date_of("An American journalist has been detained by Iran since May 2022."),
        "2022-05-01"
    );
    // ", when" takes the time just named, even inside a "since" stretch.
    assert_eq!(
        date_of(
            "Ties have been frozen since the coup in 2013, when Turkey withdrew its ambassador from Egypt."
        ),
        "2013-01-01"
    );
}

#[test]
fn an_ongoing_act_named_in_an_object_is_news_of_its_own() {
    let coder = Coder::new(Dictionaries::builtin());
    // "The withdrawal" refers back to a known happening; "the ongoing
    // withdrawal" tells of one happening now, with its own actors.
    assert_eq!(
        coded(
            &coder,
            "Egypt praised the ongoing withdrawal of Israeli troops from Lebanon."
        ),
        ["EGY 051 ISRMIL asserted", "ISRMIL 0874 LBN asserted"]
    );
    assert_eq!(
        coded(
            &coder,
            "Egypt praised the withdrawal of Israeli troops from Lebanon."
        ),
        ["EGY 051 ISRMIL asserted"]
    );
}

#[test]
fn each_coordinated_actor_of_an_event_noun_acts() {
    let coder = Coder::new(Dictionaries::builtin());
    assert_eq!(
        coded(
            &coder,
            "The withdrawal of Kenyan and Ugandan troops from Somalia began on Monday."
        ),
        // The shared head noun is not yet distributed: "Kenyan" stays Kenya.
        ["KEN 0874 SOM asserted", "UGAMIL 0874 SOM asserted"]
    );
}

#[test]
fn a_title_names_the_person_and_former_makes_them_elite() {
    let coder = Coder::new(Dictionaries::builtin());
    let on = |text| coded_on(&coder, text, "2023-06-07");
    // Out of office: a title and surname still name the person, as elite.
    assert_eq!(
        on("President Trump criticized Russia."),
        ["USAELI (Donald Trump) 110 RUS (Russia)"]
    );
    // A surname alone out of office is too weak to name anyone.
    assert_eq!(on("Trump criticized Russia."), Vec::<String>::new());
    // "Former" puts the title in the past whatever the dictionary's dates.
    assert_eq!(
        coded_on(
            &coder,
            "Former Prime Minister Boris Johnson criticized Russia.",
            "2021-06-07"
        ),
        ["GBRELI (Boris Johnson) 110 RUS (Russia)"]
    );
    // A term the Phoenix file left open ends with that file (2014).
    assert_eq!(
        on("Angela Merkel criticized Russia."),
        ["DEUELI (Angela Merkel) 110 RUS (Russia)"]
    );
}

#[test]
fn verb_patterns_read_their_object_in_the_plural() {
    let coder = Coder::new(Dictionaries::builtin());
    for text in [
        "France recalled its ambassadors from Turkey.",
        "Egypt withdrew its ambassador from Turkey.",
    ] {
        let got = coded(&coder, text);
        assert_eq!(got.len(), 1, "{text}: {got:?}");
        assert!(got[0].contains(" 161 TUR "), "{text}: {got:?}");
    }
}

#[test]
fn an_apposition_is_not_the_subject() {
    let coder = Coder::new(Dictionaries::builtin());
    assert_eq!(
        coded(&coder, "Pakistan, a key U.S. ally, criticized Iraq."),
        ["PAK 110 IRQ asserted"]
    );
    // A list is no apposition.
    let got = coded(&coder, "Russia, Turkey, and Iran criticized Iraq.");
    assert_eq!(got.len(), 3, "{got:?}");
}

#[test]
fn a_refused_act_is_a_rejection_or_did_not_happen() {
    let coder = Coder::new(Dictionaries::builtin());
    // Refused cooperation is a rejection (12x), asserted.
    let got = coded(&coder, "Iran declined to meet the U.S. envoy.");
    assert_eq!(got, ["IRN 125 USAGOV asserted"]);
    // A refused act of force did not happen: negated, not a threat.
    let got = coded(&coder, "Russia refused to attack Ukraine.");
    assert_eq!(got, ["RUS 190 UKR negated"]);
}

#[test]
fn a_negation_inside_a_possibility_stays_a_possibility() {
    let coder = Coder::new(Dictionaries::builtin());
    // Possibilities are no events: a negated one neither.
    for text in [
        "Kenya should never criticize Uganda.",
        "Kenya will free Ugandan prisoners if Uganda does not criticize Kenya.",
    ] {
        let got = coded(&coder, text);
        assert!(!got.iter().any(|e| e.contains(" 110 ")), "{text}: {got:?}");
    }
    // "Could not" tells that the act did not happen.
    let got = coded(&coder, "Kenya could not meet the Ugandan president.");
    assert_eq!(got, ["KEN 040 UGAGOV negated"]);
}

#[test]
fn a_role_noun_takes_the_country_its_context_fixes() {
    let coder = Coder::new(Dictionaries::builtin());
    // The place the role noun is in, or the places where the acts happen
    // (Phoenix codes arresting protesters as repression, 175).
    assert_eq!(
        coded(&coder, "Police in Minsk arrested dozens of protesters."),
        ["BLRCOP 175 BLRCVL asserted"]
    );
    assert_eq!(
        coded(&coder, "Rebels attacked an army base in northern Mali."),
        ["MLIREB 190 MLIMIL asserted"]
    );
    // The one country the recent sentences name.
    let story = "Kenya held elections on Sunday. Police fired tear gas at protesters.";
    assert_eq!(coded(&coder, story), ["KENCOP 175 KENCVL asserted"]);
    // Two countries in view: the role noun stays unplaced, and so no event.
    let two = "Kenya and Uganda held talks on Sunday. Police fired tear gas at protesters.";
    assert!(!coded(&coder, two).iter().any(|e| e.contains("COP")));
    // A place troops are sent to is not theirs.
    assert_eq!(
        coded(&coder, "Moscow denied it had sent troops to Ukraine."),
        ["RUSGOV 016 UKR asserted"]
    );
    // Nor are forces, peacekeepers or a titled stranger placed by a place.
    let abroad = "The United States and Iran traded threats. Soldiers attacked civilians in Basra.";
    assert!(coded(&coder, abroad).iter().all(|e| !e.contains("MIL")));
    assert!(coded(&coder, "Archbishop Desmond Tutu criticized Nigeria.").is_empty());
}

#[test]
fn armed_groups_after_the_phoenix_dictionaries_are_known() {
    let coder = Coder::new(Dictionaries::builtin());
    assert_eq!(
        coded(&coder, "Houthi rebels fired missiles at Saudi Arabia."),
        ["YEMREB 190 SAU asserted"]
    );
    assert_eq!(
        coded(&coder, "Islamic State militants attacked Iraqi troops."),
        ["IMGREB 180 IRQMIL asserted"]
    );
}

#[test]
fn an_event_noun_needs_its_own_arguments_or_a_verb_that_takes_it() {
    let coder = Coder::new(Dictionaries::builtin());
    // After a plural actor a verb is a verb; after a determined singular
    // actor a noun is a compound ("the Kabul attack").
    assert_eq!(
        coded(&coder, "The Palestinians reject Israeli demands."),
        ["PSE 120 ISR asserted"]
    );
    // The noun is the object of the verb: the subject did it.
    assert_eq!(
        coded(&coder, "Iran launched a new offensive against Iraq."),
        ["IRN 193 IRQ asserted"]
    );
    // Deep in another phrase, with no actors of its own: no act of the subject.
    assert!(
        coded(
            &coder,
            "Iraq mourned the victims of recent bombings against civilians."
        )
        .is_empty()
    );
    // A trend is no event.
    assert!(
        coded(
            &coder,
            "Nigeria is seeing a wave of kidnappings of schoolchildren by criminal gangs."
        )
        .is_empty()
    );
}

#[test]
fn a_modal_word_scopes_over_its_clause() {
    let coder = Coder::new(Dictionaries::builtin());
    // "hopes to ... during talks Tuesday": the talks lie ahead.
    let events = coded(
        &coder,
        "Washington hopes to resolve the dispute over aid during talks Tuesday with Ukraine.",
    );
    assert!(
        !events.is_empty() && events.iter().all(|e| !e.contains(" 04")),
        "{events:?}"
    );
}

#[test]
fn a_year_before_an_event_noun_dates_it() {
    let coder = Coder::new(Dictionaries::builtin());
    let published = NaiveDate::from_ymd_opt(2021, 3, 2).unwrap();
    let date_of = |text, code: &str| {
        let events = coder.code(ArticleText { text, published });
        let event = events.iter().find(|e| e.cameo.code.starts_with(code));
        event.map(|e| e.date.start.to_string())
    };
    let attack = "Boko Haram's 2014 attack on Nigerian troops killed dozens.";
    assert_eq!(date_of(attack, "19"), Some("2014-01-01".into()));
    // It dates its noun only: the condemnation is not of 2014.
    let condemned = "The United Nations condemned Boko Haram's 2014 attack on Nigerian troops.";
    assert_eq!(date_of(condemned, "11"), Some("2021-03-02".into()));
    // ", where" is set in the main clause's time.
    let events = coder.code(ArticleText {
        text: "Violence began on March 6 in Latakia, where Syrian security forces clashed with Syrian rebels.",
        published: NaiveDate::from_ymd_opt(2025, 3, 14).unwrap(),
    });
    assert_eq!(
        events.first().map(|e| e.date.start.to_string()),
        Some("2025-03-06".into())
    );
}

#[test]
fn force_needs_a_source_that_uses_force() {
    let coder = Coder::new(Dictionaries::builtin());
    // A legislature or a court attacks only figuratively.
    assert!(coded(&coder, "The Russian parliament attacked Georgia.").is_empty());
    assert_eq!(
        coded(&coder, "The Russian army attacked Georgia."),
        ["RUSMIL 190 GEO asserted"]
    );
}

#[test]
fn a_possibility_is_no_event() {
    let coder = Coder::new(Dictionaries::builtin());
    assert!(coded(&coder, "Turkey may attack Syria.").is_empty());
    // The modal word scopes over its whole clause.
    assert!(
        coded(
            &coder,
            "Erdogan may provoke Washington further by buying more Russian weapons."
        )
        .is_empty()
    );
    assert!(coded(&coder, "If Iran attacks Israel, sanctions will follow.").is_empty());
}

#[test]
fn coordinated_subjects_act_on_each_other_only_in_reciprocal_acts() {
    let coder = Coder::new(Dictionaries::builtin());
    assert_eq!(
        coded(&coder, "Pakistan and China met in Beijing."),
        ["CHN 040 PAK asserted", "PAK 040 CHN asserted"]
    );
    // Each denies; neither denies the other.
    assert_eq!(
        coded(&coder, "Pakistan and China denied the reports."),
        ["CHN 016 - asserted", "PAK 016 - asserted"]
    );
    // Failing to agree is a mutual rejection.
    let failed = coded(
        &coder,
        "Serbia and Croatia failed to reach a new agreement.",
    );
    assert!(
        !failed.is_empty() && failed.iter().all(|e| e.contains(" 12")),
        "{failed:?}"
    );
}

#[test]
fn a_question_reports_no_event() {
    let coder = Coder::new(Dictionaries::builtin());
    assert!(coded(&coder, "Will Russia attack Ukraine?").is_empty());
}

#[test]
fn a_light_verb_leaves_the_act_to_its_noun() {
    let coder = Coder::new(Dictionaries::builtin());
    // "imposed" alone would be 170 (coerce); the ban is the act.
    assert_eq!(
        coded(
            &coder,
            "The United States imposed a broad ban on Iranian oil."
        ),
        ["USA 163 IRN asserted"]
    );
    // To repeat or lodge a speech act is to make it again.
    assert_eq!(
        coded(&coder, "Greece repeated a request to Turkey to withdraw."),
        ["GRC 020 TUR asserted"]
    );
    assert_eq!(
        coded(&coder, "Chile lodged a protest with Peru."),
        ["CHL 110 PER asserted"]
    );
}

#[test]
fn a_reported_obligation_is_a_demand_of_each_addressee() {
    let coder = Coder::new(Dictionaries::builtin());
    // The semi-modal "need to" is a suggestion, like "should"; each
    // coordinated addressee is asked.
    assert_eq!(
        coded(
            &coder,
            "France said both Armenia and Azerbaijan need to make concessions."
        ),
        ["FRA 020 ARM asserted", "FRA 020 AZE asserted"]
    );
    // The subject of the reporting verb speaks, not an actor in the quote
    // before it.
    assert_eq!(
        coded(
            &coder,
            "\"We will not draw lines for the Georgians,\" Germany said, adding that Russia must withdraw."
        ),
        ["DEU 100 RUS asserted"]
    );
    // The speaker is no addressee of its own "must".
    assert!(
        coded(
            &coder,
            "Analysts said Saudi Arabia sells oil, which OPEC says must stop."
        )
        .is_empty()
    );
}

#[test]
fn arguments_respect_quotes_possessors_and_group_heads() {
    let coder = Coder::new(Dictionaries::builtin());
    // The reporting clause after a quote holds no target of the quoted act.
    let quoted = "\"Russian troops attacked,\" a Ukrainian spokesman told Ukrainian lawmakers.";
    assert!(
        coded(&coder, quoted)
            .iter()
            .all(|e| !e.starts_with("RUSMIL 190 UKRGOV"))
    );
    // Nor does the reporting verb take its subject from inside the quote.
    let inside = "\"Haitian police opened fire,\" Frantz Exantus told Haitian lawmakers.";
    assert!(
        coded(&coder, inside)
            .iter()
            .all(|e| !e.starts_with("HTICOP"))
    );
    // "Turkey's rival Greece" is Greece.
    assert_eq!(
        coded(
            &coder,
            "Egypt signed an agreement with Turkey's rival Greece."
        ),
        ["EGY 057 GRC asserted"]
    );
    // A gang's leader is the gang's, not a government's.
    let story = "Haiti held elections on Sunday. The gang leader criticized the police.";
    assert!(
        coded(&coder, story)
            .iter()
            .all(|e| !e.starts_with("HTIGOV"))
    );
}

#[test]
fn a_long_alias_of_a_past_term_yields_to_the_current_one() {
    let coder = Coder::new(Dictionaries::builtin());
    assert_eq!(
        coded_on(
            &coder,
            "Russian President Vladimir Putin criticized Ukraine.",
            "2021-02-27"
        ),
        ["RUSGOV (Vladimir Putin) 110 UKR (Ukraine)"]
    );
}

#[test]
fn a_relative_clause_antecedent_is_the_verb_frames_object() {
    let coder = Coder::new(Dictionaries::builtin());
    assert_eq!(
        coded(
            &coder,
            "The sanctions that Washington imposed on Venezuela hurt its economy."
        ),
        ["USAGOV 163 VEN asserted"]
    );
}

#[test]
fn a_broker_mediates_between_the_parties_and_is_none_of_them() {
    let coder = Coder::new(Dictionaries::builtin());
    let events = coded(
        &coder,
        "A Qatar-brokered truce between Israel and Hamas took effect on Monday.",
    );
    assert!(
        events.contains(&"QAT 045 ISR asserted".to_string()),
        "{events:?}"
    );
    assert!(
        events.contains(&"QAT 045 PSEREB asserted".to_string()),
        "{events:?}"
    );
    assert!(
        events.iter().all(|e| !e.starts_with("QAT 0871")),
        "the broker declared no truce: {events:?}"
    );
    // "brokered by": the broker after the noun; no parties named, the
    // mediation stands alone.
    let events = coded(&coder, "The war ended with a ceasefire brokered by Egypt.");
    assert_eq!(events, ["EGY 045 - asserted"]);
    let events = coded(
        &coder,
        "That conflict ended with a Moscow-brokered cease-fire deal.",
    );
    assert_eq!(events, ["RUSGOV 045 - asserted"]);
    // A modifier that brokers nothing leaves the parties their act.
    let events = coded(&coder, "Israel and Hamas agreed to a new truce on Monday.");
    assert!(events.iter().all(|e| !e.contains(" 045 ")), "{events:?}");
}

#[test]
fn a_city_naming_a_meeting_is_its_venue_no_party() {
    let coder = Coder::new(Dictionaries::builtin());
    assert_eq!(
        coded(
            &coder,
            "Russia joined the Geneva talks with Iran on Monday."
        ),
        ["RUS 040 IRN asserted"]
    );
    assert_eq!(
        coded(
            &coder,
            "The Minsk agreement between Russia and Ukraine collapsed."
        ),
        ["RUS 057 UKR asserted"]
    );
    // With a possessive the city stands for its state.
    assert_eq!(
        coded(&coder, "Moscow's offer of talks with Kyiv was rejected."),
        ["RUSGOV 030 UKRGOV asserted"]
    );
}

#[test]
fn between_two_actors_and_a_determiner_is_one_pair() {
    let coder = Coder::new(Dictionaries::builtin());
    assert_eq!(
        coded(
            &coder,
            "Agreements between Turkey and the Syrian Democratic Forces were signed on Monday."
        ),
        ["TUR 057 SYRREB asserted"]
    );
    // The second named in apposition to its description.
    assert_eq!(
        coded(
            &coder,
            "Agreements between Turkey and an armed group, the Syrian Democratic Forces, were signed."
        ),
        ["TUR 057 SYRREB asserted"]
    );
}

#[test]
fn the_main_verbs_object_is_the_news_before_what_came_first() {
    let coder = Coder::new(Dictionaries::builtin());
    let events = coded(
        &coder,
        "Italy announced a suspension of air links with Serbia on Wednesday, \
         one day after Serbian troops shot down a helicopter carrying Croatian officials.",
    );
    assert_eq!(
        events.first().map(String::as_str),
        Some("ITA 161 SRB asserted"),
        "{events:?}"
    );
}

#[test]
fn a_subject_pronoun_opening_a_sentence_is_the_last_sentences_agent() {
    let coder = Coder::new(Dictionaries::builtin());
    // "It" continues a state, "they" a group named in the plural, also
    // after an opening phrase.
    assert_eq!(
        coded(
            &coder,
            "Iran launched a new offensive against Iraq on Monday. It also shelled Kuwait on Tuesday."
        ),
        ["IRN 193 IRQ asserted", "IRN 194 KWT asserted"]
    );
    assert_eq!(
        coded(
            &coder,
            "Houthi rebels attacked Saudi Arabia on Monday. On Tuesday, they also attacked Israel."
        ),
        ["YEMREB 180 SAU asserted", "YEMREB 180 ISR asserted"]
    );
    // The number must fit: "they" is not a state named in the singular,
    // nor "it" a group named in the plural.
    assert_eq!(
        coded(
            &coder,
            "Iran launched a new offensive against Iraq on Monday. They also shelled Kuwait on Tuesday."
        ),
        ["IRN 193 IRQ asserted"]
    );
    assert_eq!(
        coded(
            &coder,
            "Houthi rebels attacked Saudi Arabia on Monday. It also attacked Israel on Tuesday."
        ),
        ["YEMREB 180 SAU asserted"]
    );
    // Only the sentence right after the act: a sentence without one between
    // breaks the chain.
    assert_eq!(
        coded(
            &coder,
            "Iran launched a new offensive against Iraq on Monday. The weather was cold. It also shelled Kuwait on Tuesday."
        ),
        ["IRN 193 IRQ asserted"]
    );
    // "He" and "she" continue a person or a titled office, not a state,
    // and "it" is no titled office.
    assert_eq!(
        coded(
            &coder,
            "The U.N. special envoy for Syria urged Syrian leaders to hold talks on Monday. He also called on Turkey to withdraw its troops."
        ),
        ["UNO 020 SYRGOV asserted", "UNO 020 TUR asserted"]
    );
    assert_eq!(
        coded(
            &coder,
            "Iran launched a new offensive against Iraq on Monday. He also shelled Kuwait on Tuesday."
        ),
        ["IRN 193 IRQ asserted"]
    );
    assert_eq!(
        coded(
            &coder,
            "The U.N. special envoy for Syria urged Syrian leaders to hold talks on Monday. It also called on Turkey to withdraw its troops."
        ),
        ["UNO 020 SYRGOV asserted"]
    );
}

#[test]
fn a_reaction_to_a_known_happening_answers_the_other_party() {
    let coder = Coder::new(Dictionaries::builtin());
    // "the delay": the one other state the passage names made it.
    assert_eq!(
        coded(
            &coder,
            "The United States delayed the withdrawal of its troops from Afghanistan. \
             The Taliban denounced the delay."
        )[1..],
        ["AFGREB 110 USA asserted"]
    );
    // The opposition answers its own government.
    assert_eq!(
        coded(
            &coder,
            "Somalia's parliament extended the president's term. \
             Opposition lawmakers denounced the extension."
        ),
        ["SOMOPP 110 SOMGOV asserted"]
    );
    // Two other states: whose the pact is stays open, and so does the target.
    assert_eq!(
        coded(
            &coder,
            "Russia and China signed a pact. Japan denounced the pact."
        )
        .len(),
        2
    );
    // What is predicated on is not reacted to.
    assert_eq!(
        coded(
            &coder,
            "Kenya filed a claim against Somalia. Kenya described the dispute as serious."
        ),
        ["KEN 115 SOM asserted"]
    );
}

#[test]
fn a_warning_of_another_partys_doings_criticises_it() {
    let coder = Coder::new(Dictionaries::builtin());
    assert_eq!(
        coded(
            &coder,
            "Iran warned that Israel's policy would bring war to the region."
        ),
        ["IRN 111 ISR asserted"]
    );
    // The speaker's own side, a condition, or the party itself as the
    // subject: a threat.
    assert_eq!(
        coded(
            &coder,
            "Iran warned that if Israel deploys troops, it would respond."
        ),
        ["IRN 130 ISR asserted"]
    );
    assert_eq!(
        coded(
            &coder,
            "Russia warned that NATO would regret any deployment."
        ),
        ["RUS 130 NATO asserted"]
    );
}

#[test]
fn sanctions_considered_are_threatened() {
    let coder = Coder::new(Dictionaries::builtin());
    assert_eq!(
        coded(&coder, "Washington is preparing new sanctions on Iran."),
        ["USAGOV 1312 IRN asserted"]
    );
}

#[test]
fn both_sides_of_one_states_war_are_that_state() {
    let coder = Coder::new(Dictionaries::builtin());
    // The sides named in the sentences before, all of one state.
    assert_eq!(
        coded(
            &coder,
            "Afghan forces fought the Taliban in Kandahar on Monday. \
             The United States called on all warring parties to resume peace talks."
        )[1..],
        ["USA 020 AFG asserted"]
    );
    // The sides named earlier in the same sentence.
    assert!(
        coded(
            &coder,
            "Sudanese soldiers clashed with the Rapid Support Forces, and the United Nations \
             says both sides have committed grave abuses."
        )
        .contains(&"UNO 112 SDN asserted".to_string())
    );
}

#[test]
fn a_surname_alone_refers_to_the_person_named_with_it() {
    let coder = Coder::new(Dictionaries::builtin());
    let published = NaiveDate::from_ymd_opt(1987, 3, 30).unwrap();
    let coded = |text| {
        coder
            .code(ArticleText { text, published })
            .into_iter()
            .map(|e| e.source.code())
            .collect::<Vec<_>>()
    };
    assert_eq!(
        coded(
            "Greek Prime Minister Andreas Papandreou met opposition leaders on Sunday. \
             Papandreou repeated an invitation to Turkey."
        ),
        ["GRCGOV", "GRCGOV"]
    );
    // Another given name makes another person.
    assert_eq!(
        coded(
            "Greek Prime Minister Andreas Papandreou met opposition leaders on Sunday. \
             George Papandreou criticized Turkey."
        ),
        ["GRCGOV"]
    );
}

#[test]
fn an_invitation_to_act_is_an_appeal() {
    let coder = Coder::new(Dictionaries::builtin());
    assert_eq!(
        coded(
            &coder,
            "Greece repeated an invitation to Turkey to take the dispute to the court."
        ),
        ["GRC 020 TUR asserted"]
    );
    // Invited to meet or visit, it stays an invitation to meet.
    assert_eq!(
        coded(&coder, "Greece invited Turkey to visit Athens."),
        ["GRC 040 TUR asserted"]
    );
}

#[test]
fn an_opposition_is_of_the_government_it_faces() {
    let coder = Coder::new(Dictionaries::builtin());
    // Two states named, but one government: the opposition leader is its.
    assert_eq!(
        coded(
            &coder,
            "Opposition leader Kemal Aydin urged Turkish President Recep Tayyip Erdogan \
             to accept an offer from Britain."
        ),
        ["TUROPP 020 TURGOV asserted"]
    );
}

#[test]
fn to_deem_a_known_accord_void_rejects_it() {
    let coder = Coder::new(Dictionaries::builtin());
    assert_eq!(
        coded(
            &coder,
            "Turkey accused Greece of breaching the accord. Greece considers the accord void."
        ),
        ["TUR 112 GRC asserted", "GRC 120 TUR asserted"]
    );
}

#[test]
fn a_report_called_false_is_denied_and_did_not_happen() {
    let coder = Coder::new(Dictionaries::builtin());
    assert_eq!(
        coded(
            &coder,
            "Iran said reports that it had attacked Kuwaiti tankers were false."
        ),
        ["IRN 016 - asserted"]
    );
}

#[test]
fn a_penalty_for_an_alleged_wrong_accuses_its_target() {
    let coder = Coder::new(Dictionaries::builtin());
    assert_eq!(
        coded(
            &coder,
            "Russia expelled two British diplomats for allegedly spying."
        ),
        ["RUS 161 GBRGOV asserted", "RUS 112 GBRGOV asserted"]
    );
    // The writer's own reason is no one's accusation.
    assert_eq!(
        coded(&coder, "Russia expelled two British diplomats for spying."),
        ["RUS 161 GBRGOV asserted"]
    );
    assert_eq!(
        coded(
            &coder,
            "Kenyan police detained Somali traders on allegations of smuggling."
        ),
        ["KENCOP 173 SOMBUS asserted", "KENCOP 112 SOMBUS asserted"]
    );
}

#[test]
fn a_quantity_before_the_object_leaves_the_frame_whole() {
    let coder = Coder::new(Dictionaries::builtin());
    assert_eq!(
        coded(
            &coder,
            "The World Bank will provide nearly 40,000 tons of emergency food aid to Haiti."
        ),
        ["WB 0333 HTI intended"]
    );
}

#[test]
fn an_ethnic_community_takes_the_country_it_is_placed_in() {
    let coder = Coder::new(Dictionaries::builtin());
    // By nationality, and by the place they are in.
    assert_eq!(
        coded(&coder, "Syrian Druze protested in Sweida on Friday."),
        ["SYRCVL 140 SYRGOV asserted"]
    );
    assert_eq!(
        coded(&coder, "Hundreds of Kurds rallied in Diyarbakir on Monday."),
        ["TURCVL 141 TUR asserted"]
    );
    // A religious community only where the text places it.
    assert_eq!(
        coded(&coder, "Sikhs staged a rally in Amritsar on Sunday."),
        ["INDSIK 141 IND asserted"]
    );
    // Else by the one state its sentence names.
    assert_eq!(
        coded(
            &coder,
            "Moslems demanded the resignation of the Pakistani prime minister."
        ),
        ["PAKMOS 100 PAKGOV asserted"]
    );
    assert!(coded(&coder, "Archbishop Desmond Tutu criticised Nigeria.").is_empty());
}

#[test]
fn what_a_rejected_claim_tells_is_no_party_to_the_rejection() {
    let coder = Coder::new(Dictionaries::builtin());
    assert_eq!(
        coded(
            &coder,
            "Both Ethiopia and Eritrea rejected the claims that their troops had abused ethnic Tigrayans."
        ),
        ["ERI 016 - asserted", "ETH 016 - asserted"]
    );
}

#[test]
fn a_nations_crops_are_not_the_nation_in_an_obligation() {
    let coder = Coder::new(Dictionaries::builtin());
    assert!(
        coded(
            &coder,
            "The daily Pravda said a large amount of Soviet winter crops need to be reseeded."
        )
        .is_empty()
    );
}

#[test]
fn a_possible_act_conditioned_on_others_is_a_conditional_commitment() {
    let coder = Coder::new(Dictionaries::builtin());
    assert_eq!(
        coded(
            &coder,
            "The EU may halt aid to Serbia if the fighting continues."
        ),
        ["EU 1311 SRB intended"]
    );
    // Without the condition it stays a possibility, which is no event.
    assert!(coded(&coder, "The EU may halt aid to Serbia.").is_empty());
    // A condition before the act makes the act itself hypothetical.
    assert!(
        coded(
            &coder,
            "If the fighting continues, the EU may halt aid to Serbia."
        )
        .is_empty()
    );
}

#[test]
fn an_event_noun_that_modifies_another_noun_names_no_event() {
    let coder = Coder::new(Dictionaries::builtin());
    // "invasion forces" are forces: the withdrawal is the act.
    assert_eq!(
        coded(
            &coder,
            "Russia hastened the withdrawal of some invasion forces from Georgia on Monday."
        ),
        ["RUS 0874 GEO asserted"]
    );
    // Unless the head names the act itself: an aid package is aid.
    assert_eq!(
        coded(
            &coder,
            "The Japanese government approved an aid package for Ukraine."
        ),
        ["JPNGOV 070 UKR asserted"]
    );
}

#[test]
fn a_pronoun_obliged_after_a_reminder_is_the_one_reminded() {
    let coder = Coder::new(Dictionaries::builtin());
    assert_eq!(
        coded(
            &coder,
            "Egypt issued a stern reminder to Ethiopia that it must share the Nile's water."
        ),
        ["EGY 100 ETH asserted"]
    );
}
