"""Occupation names from the guides themselves, and the occupation a question names."""

from __future__ import annotations

import pytest

from careerbot.occupations import (
    Mention,
    OccupationIndex,
    asked_phrases,
    is_person_noun,
    singular,
    split_names,
    typed_tokens,
)

GUIDES = [
    (
        "plumbers",
        "Plumbers, Pipefitters, and Steamfitters",
        "How to Become a Plumber, Pipefitter, or Steamfitter",
    ),
    (
        "securities-agents",
        "Securities, Commodities, and Financial Services Sales Agents",
        "What Securities, Commodities, and Financial Services Sales Agents Do",
    ),
    (
        "lpn",
        "Licensed Practical and Licensed Vocational Nurses",
        "Licensed practical nurses (LPNs) and licensed vocational nurses (LVNs) care for patients.",
    ),
    ("surveyors", "Surveyors", "Surveyors, also called land surveyors, measure property lines."),
    ("hr-managers", "Human Resources Managers", "What Human Resources Managers Do"),
    ("lead-technician", "Lead Technician Career Path Guide", "Career Path Tiers\nSenior Technician"),
    ("insurance-agents", "Insurance Sales Agents", "Agents sell policies to pharmacy owners."),
    ("ot", "Occupational Therapists", "What Occupational Therapists Do"),
]


@pytest.fixture(scope="module")
def index() -> OccupationIndex:
    return OccupationIndex(GUIDES)


def test_singular_is_one_rule_for_guides_and_questions() -> None:
    assert singular("plumbers") == "plumber" and singular("nurses") == "nurse"
    assert singular("boss") == "boss" and singular("bus") == "bus"


def test_words_that_only_look_plural_stay_as_they_are() -> None:
    assert [singular(w) for w in ("police", "boss", "plumbers", "nurses")] == [
        "police",
        "boss",
        "plumber",
        "nurse",
    ]


def test_person_nouns_by_their_ending() -> None:
    assert all(map(is_person_noun, ["sommelier", "florists", "physician", "attendant", "barber"]))
    assert all(map(is_person_noun, ["cop", "vets", "mechanics", "paramedic", "detective"]))
    assert not any(map(is_person_noun, ["median", "computer", "career", "education", "securities"]))
    assert not any(map(is_person_noun, ["earlier", "tier", "bigger", "per", "her"]))
    # degrees ("is a bachelors enough?")
    assert not any(map(is_person_noun, ["bachelors", "masters"]))


def test_coordinated_titles_name_each_occupation() -> None:
    assert split_names("Plumbers, Pipefitters, and Steamfitters") == [
        ("plumber",),
        ("pipefitter",),
        ("steamfitter",),
    ]
    names = split_names("Securities, Commodities, and Financial Services Sales Agents")
    assert ("security", "agent") in names and ("financial", "service", "sale", "agent") in names


@pytest.mark.parametrize(
    ("question", "slug"),
    [
        ("how much does a plumber make?", "plumbers"),
        ("are pipefitters in demand", "plumbers"),
        ("what do LPNs earn", "lpn"),  # an abbreviation the guide defines
        ("do land surveyors need a license?", "surveyors"),  # "also called"
        ("HR manager salary?", "hr-managers"),  # a short form people type
        ("what do lead techs make", "lead-technician"),  # a shortened last word
        ("How much does an insurance agent make", "insurance-agents"),  # a word left out
    ],
)
def test_a_question_names_its_guide(index: OccupationIndex, question: str, slug: str) -> None:
    assert index.named(question)[0] == {slug}


def test_a_shared_head_word_alone_names_no_guide(index: OccupationIndex) -> None:
    slugs, _ = index.named("what do sales agents do all day?")
    assert slugs != {"insurance-agents"}  # both agent guides fit equally; neither is picked alone


@pytest.mark.parametrize(
    "question",
    [
        "what do sommeliers earn?",
        "how much does a dental hygienist make",
        "average salary for an air traffic controller",
        "how fast are actuary jobs growing? im a math major",  # the words just before "jobs"
        "is veterinarian a growing career?",
        "massage therapist - is that field growing?",  # the topic put first
        "security guard pay per hour?",
        "xray tech salary",  # a plain head made an occupation by a modifier no guide uses
        "how much do daycare workers make?",
        "is photography a dying career now that everyone has iphones",  # a field no guide names
        "how much do CNAs make an hour",  # an acronym no guide uses
        # another guide says "pharmacy", the technician guide does not: another kind of tech
        "pharmacy tech salary?",
    ],
)
def test_an_occupation_without_a_guide_is_noticed(index: OccupationIndex, question: str) -> None:
    mention = index.mention(question)
    assert mention is not None and not mention.slugs and mention.phrase


@pytest.mark.parametrize(
    "question",
    [
        "What is the median salary?",
        "Does my daughter need a degree to become one?",
        "what does a beginner make?",
        "is this job stressful?",
        "thx for the help earlier. what goes in a portfolio?",  # a comparative is nobody
        "what does the bottom tier of pay look like?",
        "are there going to be more or fewer jobs?",
        "is it still a good job?",
        "is this a dying career?",
        "Is it mostly a desk job or is it physical work?",
        "how much do senoir techs make",  # a typo, not a kind of tech
        "what education do employers usually expect?",  # who hires is nobody's occupation
    ],
)
def test_everyday_people_and_pay_words_are_no_occupation(index: OccupationIndex, question: str) -> None:
    mention = index.mention(question)
    assert mention is None or mention.slugs


def test_a_phrase_headed_like_a_guide_name_is_told_apart_by_its_other_words(index: OccupationIndex) -> None:
    # (the lookup by meaning then needs a near-identical meaning, not just a near one)
    heads = {n[-1] for names in index.phrases.values() for n in names}
    head = sorted(heads)[0]
    assert index.heads_a_name(f"tattoo {head}s")
    assert not index.heads_a_name("sommeliers")


def test_closest_guide_shares_the_most_name_words(index: OccupationIndex) -> None:
    assert index.closest("registered nurse") == "lpn"


def test_a_kind_of_tech_the_tech_guide_speaks_of_is_not_another_occupation() -> None:
    guides = [
        ("lead-technician", "Lead Technician Career Path Guide", "Lead technicians run maintenance crews."),
        ("bakers", "Bakers", "Bakers work in wind-free kitchens."),
    ]
    index = OccupationIndex(guides)
    assert index.mention("maintenance tech salary?") is None  # the guide's own kind of tech
    wind = index.mention("wind turbine tech salary?")  # "wind" only in the bakers guide
    assert wind is not None and wind.phrase == "wind turbine tech" and not wind.slugs


def test_an_acronym_of_a_guide_name_names_that_guide(index: OccupationIndex) -> None:
    mention = index.mention("how much do OTs make in a hospital")
    assert mention is not None and mention.slugs == {"ot"}


def test_an_acronym_the_guide_never_defines_is_read_by_its_initials() -> None:
    index = OccupationIndex(
        [
            ("registered-nurses", "Registered Nurses", "What Registered Nurses Do. RNs work in hospitals."),
            ("operations", "Operations Technicians", "What Operations Technicians Do"),
        ]
    )
    rns = index.mention("how much do RNs make and what do the top 10% pull in?")
    assert rns is not None and rns.slugs == {"registered-nurses"}
    # a whole title's initials before one of the names inside another title
    assert index.by_initials("rn") == {"registered-nurses"}


def test_a_compound_of_a_plain_kind_of_worker_is_another_occupation() -> None:
    index = OccupationIndex(
        [
            ("sheet-metal-workers", "Sheet Metal Workers", "What Sheet Metal Workers Do"),
            ("statisticians", "Statisticians", "What Statisticians Do"),
        ]
    )
    iron = index.mention("ironworker job outlook")
    assert iron is not None and iron.phrase == "ironworker" and not iron.slugs
    bio = index.mention("how much does a biostatistician make?")  # a compound of a real occupation
    assert bio is not None and bio.slugs == {"statisticians"}
    agents = index.mention("are travel agents a dying career?")  # "are X a … career"
    assert agents is not None and agents.phrase == "travel agents" and not agents.slugs


def test_a_possessive_is_the_person_it_belongs_to(index: OccupationIndex) -> None:
    mention = index.mention("what's a sommelier's salary")
    assert mention is not None and mention.phrase == "sommelier" and not mention.slugs


MODIFIED = [
    (
        "managers",
        "Advertising Managers",
        "What Advertising Managers Do. Managers plan campaigns and resources.",
    ),
    ("machinery-mechanics", "Industrial Machinery Mechanics", "Mechanics fix automotive plant machines."),
    ("auto-techs", "Automotive Service Technicians and Mechanics", "Mechanics repair cars and trucks."),
    ("correctional", "Correctional Officers", "Officers guard people in jails."),
    ("pta", "Physical Therapist Assistants", "What Physical Therapist Assistants Do"),
    ("benefits", "Compensation and Benefits Specialists", "What Compensation and Benefits Specialists Do"),
    ("pharmacists", "Pharmacists", "What Pharmacists Do"),
    ("trainers", "Fitness Trainers", "What Fitness Trainers Do"),
]


@pytest.mark.parametrize(
    ("question", "slugs"),
    [
        # a short form spelled out must stand in the guide as a phrase, not as two stray words
        ("HR manager salary?", set()),
        # an everyday word counts for the guide whose names hold what it stands for
        ("how much do auto mechanics make", {"auto-techs"}),
        # an acronym typed as one that the guide never uses makes another occupation
        ("TSA officer pay?", set()),
        ("how much do PT assistants make", {"pta"}),  # the guide's own initials
        # "/" ends a phrase: "analyst" is no modifier of "benefits specialist"
        ("pay for a compensation analyst / benefits specialist", {"benefits"}),
    ],
)
def test_a_modifier_the_guide_never_uses_makes_another_occupation(question: str, slugs: set[str]) -> None:
    mention = OccupationIndex(MODIFIED).mention(question)
    assert mention is not None and mention.slugs == slugs


@pytest.mark.parametrize(
    ("question", "slug"),
    [("is pharmacy still a good career?", "pharmacists"), ("are pharmacy jobs growing", "pharmacists")],
)
def test_a_field_names_the_guide_of_who_works_in_it(question: str, slug: str) -> None:
    assert OccupationIndex(MODIFIED).named(question)[0] == {slug}


def test_everyday_activities_name_no_one() -> None:
    index = OccupationIndex(MODIFIED)
    assert not index.named("how much training do i need?")[0]  # training is no trainer
    assert index.named("pharmacy tech salary?")[0] != {"pharmacists"}  # a tech, not a pharmacist


def test_a_guide_s_initials_in_any_slot_name_it() -> None:
    assert OccupationIndex(MODIFIED).someone_asked("what is the job outlook for PTAs") == Mention(
        "", frozenset({"pta"})
    )


def test_a_short_everyday_modifier_is_read_as_the_word_it_stands_for() -> None:
    # "car" is "automotive": the automotive guide's mechanic, not the machinery one
    mention = OccupationIndex(MODIFIED).mention("how much does a car mechanic make")
    assert mention is not None and mention.slugs == {"auto-techs"}


def test_a_guide_s_modifiers_by_their_initials_typed_as_a_word() -> None:
    index = OccupationIndex(MODIFIED)
    # "pt" stands for "physical therapist": the name is the two words, not the head alone
    assert index.named("what degree do i need to become a pt assistant?") == ({"pta"}, (8, 10))


def test_a_story_told_before_a_dash_or_a_comma_is_no_question() -> None:
    question = "I'm a receptionist at a law firm, how much do paralegals earn?"
    assert not OccupationIndex.in_question(question, (2, 3))
    assert OccupationIndex.in_question(question, (10, 11))


def test_a_head_clipped_as_people_clip_it_names_its_guide() -> None:
    index = OccupationIndex([*MODIFIED, ("photographers", "Photographers", "What Photographers Do")])
    assert index.named("job outlook for photogs? is it growing")[0] == {"photographers"}
    assert index.named("what do pharms make")[0] == {"pharmacists"}
    # an everyday word is no clipped name, nor a field ("photo", "registered", "esthetics")
    assert not index.named("do photo studios pay well")[0]
    assert not index.named("what does a registered one make")[0]


def test_a_word_of_degree_or_of_the_asking_is_no_one_asked() -> None:
    assert [w for _, w in asked_phrases("says CHWs are super in demand")] == []
    found = [w for _, w in asked_phrases("how fast is employment growing for OT assistants and aides")]
    assert found == [["ot", "assistants"]]
    assert ["plumbers"] in [w for _, w in asked_phrases("are plumbers in demand")]


NEIGHBOURS = [
    ("credit-counselors", "Credit Counselors", "What Credit Counselors Do. Credit counselors advise people."),
    ("pharmacy-techs", "Pharmacy Technicians", "What Pharmacy Technicians Do. They fill prescriptions."),
    ("food-prep", "Food Preparation Workers", "What Food Preparation Workers Do. Prep work in kitchens."),
    ("machine-workers", "Metal and Plastic Machine Workers", "Operators run machines that cut metal."),
    (
        "env-scientists",
        "Environmental Scientists and Specialists",
        "Scientists collect data on pollution. Scientists analyze data and write reports.",
    ),
    ("librarians", "Librarians", "What Librarians Do. Librarians help people find information."),
    ("food-scientists", "Agricultural and Food Scientists", "What Agricultural and Food Scientists Do"),
]


def test_another_kind_of_worker_in_a_guides_field_is_its_neighbour() -> None:
    index = OccupationIndex(NEIGHBOURS)
    assert index.neighbour("credit analyst", "credit-counselors")
    assert index.neighbour("pharmacy aides", "pharmacy-techs")
    assert not index.neighbour("credit counselor", "credit-counselors")  # the guide's own head
    assert not index.neighbour("pharmacy tech", "pharmacy-techs")  # a short form of its head
    assert not index.neighbour("plastics machine operator", "machine-workers")  # a plain worker's guide
    assert not index.neighbour("debt analyst", "credit-counselors")  # no word of its field


def test_a_person_noun_is_no_abbreviation_of_a_guides_field_word() -> None:
    # "preparer" stems like "preparation": a tax preparer is no food preparation worker
    index = OccupationIndex(NEIGHBOURS)
    assert not index.named("how much do tax preparers make?")[0]


def test_words_joining_clauses_are_no_part_of_a_name() -> None:
    index = OccupationIndex(NEIGHBOURS)
    question = "I'm wondering whether librarian jobs are growing"
    assert index.named(question)[0] == {"librarians"}


def test_a_modifier_used_only_elsewhere_in_the_guide_needs_the_same_meaning() -> None:
    def meaning(phrase: str, slug: str) -> float:
        return {"data scientist": 0.47, "environmental scientist": 0.9}.get(phrase, 0.7)

    plain = OccupationIndex(NEIGHBOURS).mention("data scientist median salary?")
    assert plain is not None and plain.slugs == {"env-scientists"}  # the guide's text says "data"
    judged = OccupationIndex(NEIGHBOURS, meaning=meaning).mention("data scientist median salary?")
    assert judged is not None and judged.phrase == "data scientist" and not judged.slugs


def test_a_modifier_in_place_of_the_guides_own_must_mean_the_same() -> None:
    guides = [("massage", "Massage Therapists", "Massage therapists relax clients with soft music at a spa.")]
    alike = {("music", "massage"): 0.33, ("spa", "massage"): 0.7}

    def meaning(phrase: str, slug: str) -> float:
        return 0.6  # near enough as a whole: the modifiers decide

    index = OccupationIndex(guides, meaning=meaning, alike=lambda a, b: alike[(a, b)])
    music = index.mention("how much do music therapists make?")
    assert music is not None and music.phrase == "music therapists" and not music.slugs
    spa = index.mention("how much do spa therapists make?")
    assert spa is not None and spa.slugs == {"massage"}


def _other(index: OccupationIndex, question: str) -> str | None:
    asked = index.asked_subject(question)
    return asked.phrase if asked is not None and not asked.slugs else None


def test_the_occupation_in_the_asked_subjects_place_is_found_beside_another_named() -> None:
    index = OccupationIndex(NEIGHBOURS)
    question = "what do credit analysts earn? heard they make more than credit counselors"
    assert index.named(question)[0] == {"credit-counselors"}
    assert _other(index, question) == "credit analysts"
    assert _other(index, "what do credit counselors earn?") is None
    # a gloss of the phrase is the same person in other words, not another option
    assert _other(index, "what do debt coaches earn? i mean credit counselors") is None
    assert _other(index, "what do debt coaches earn (credit counselors basically)") is None
    assert _other(index, "what do debt coaches earn? my aunt is a credit counselor") == "debt coaches"
    assert _other(index, "what do debt coaches earn? (not credit counselors)") == "debt coaches"  # a contrast
    # a story told before the question in the same sentence names no option of it
    assert _other(index, "my credit counselor sent me to a debt coach — what do debt coaches earn?") == (
        "debt coaches"
    )
    assert _other(index, "how are credit counselors paid; what do debt coaches earn?") is None
    assert _other(index, "my sister is a credit counselor, what do debt coaches earn?") == "debt coaches"
    # set against the guide's own kind: another occupation, however near it means
    against = index.asked_subject("what do debt counselors earn? not credit counselors")
    assert against is not None and against.against and not against.slugs
    # what happens to the jobs is no part of the name
    assert _other(index, "is demand for debt coaches growing? my aunt is a credit counselor") == (
        "debt coaches"
    )
    # a word no guide uses where the asked person stands, though no ending makes it a person
    assert _other(index, "whats the pay for a birth doula? not a credit counselor") == "birth doula"
    assert _other(index, "whats the pay like for a librarian? not a doula") is None
    # an asked subject with a guide of its own keeps it, whatever the story names after it
    asked = index.asked_subject("how much do librarians make, my mom is a credit counselor")
    assert asked is not None and asked.slugs == {"librarians"}
    # the question after a story in the same sentence asks; the story's guide is the teller's job
    assert _other(index, "i work as a credit counselor, what's debt coach pay like") == "debt coach"
    assert _other(index, "my friend's a librarian, could i make a living as a birth doula?") == "birth doula"
    assert _other(index, "i work as a credit counselor, what do credit counselors make") is None


LISTING = [
    ("physicians", "Physicians and Surgeons", "What Physicians and Surgeons Do"),
    ("cooks", "Cooks", "Cooks, such as personal chefs, prepare food."),
    ("dentists", "Dentists", "What Dentists Do"),
]
LISTED = [
    "Physician Assistants",
    "Chefs and Head Cooks",
    "Dental Hygienists",
    "Dentists",  # a guide's own: never another occupation
    "Painters, Construction and Maintenance",  # a title turned round: no lone "painters"
    "Veterinary Technologists and Technicians",  # "technicians" alone names no one
    "Paralegals and Legal Assistants",  # people beside people, whatever their endings
    "Actuaries and Masons",  # a lone kind of worker after another lone one names someone
    "Producers and Cooks",  # … unless a guide's names end in it
    "Psychiatric Technicians and Aides",  # a head after a modified name names no one alone
]


@pytest.mark.parametrize(
    ("question", "entry"),
    [
        ("are physician assistant jobs growing?", "Physician Assistants"),
        ("is demand for chefs growing?", "Chefs and Head Cooks"),
        ("what do dental hygienists make", "Dental Hygienists"),
        ("how fast are paralegal jobs growing?", "Paralegals and Legal Assistants"),
        ("what do dental hygenists make", "Dental Hygienists"),  # misspelt
        ("how much do masons make?", "Actuaries and Masons"),
    ],
)
def test_an_occupation_a_guide_lists_as_another_is_found(question: str, entry: str) -> None:
    found = OccupationIndex(LISTING, listed=LISTED).listed_other(question)
    assert found is not None and found[0] == entry


@pytest.mark.parametrize(
    "question",
    [
        "what do dentists make",  # the guide's own
        "how much do film chefs earn",  # a lone listed word with a modifier of its own
        "what do construction painters make",
        "do lab technicians need a degree",
        "how much do physicians earn",
        "what do cooks make",
        "what do aides make",
    ],
)
def test_only_a_listed_name_no_guide_owns_counts(question: str) -> None:
    assert OccupationIndex(LISTING, listed=LISTED).listed_other(question) is None


def test_the_listed_span_covers_the_guide_name_found_inside_it() -> None:
    index = OccupationIndex(LISTING, listed=LISTED)
    question = "are physician assistant jobs growing?"
    _, start, end = index.listed_other(question) or ("", -1, -1)
    slugs, span = index.named(question)
    assert slugs == {"physicians"} and span is not None and start <= span[0] and span[1] <= end


def test_a_story_sentence_is_not_the_question() -> None:
    story = "My brother is a dentist."
    question = f"{story} What do dental hygienists make?"
    told = len(typed_tokens(story))
    assert not OccupationIndex.in_question(question, (told - 1, told))  # "dentist"
    assert OccupationIndex.in_question(question, (told + 2, told + 4))  # "dental hygienist"
    assert OccupationIndex.in_question("what do dentists make", (2, 3))


def test_a_clause_telling_of_someone_after_the_question_is_story() -> None:
    question = "what's the pay for an accountant, i'm a bookkeeper now"
    words = [w for w, _ in typed_tokens(question)]
    asked, told = words.index("accountant"), words.index("bookkeeper")
    assert OccupationIndex.told_after(question, (asked, asked + 1), (told, told + 1))
    compare = "do accountants earn more than bookkeepers"
    words = [w for w, _ in typed_tokens(compare)]
    asked, told = words.index("accountant"), words.index("bookkeeper")
    assert not OccupationIndex.told_after(compare, (asked, asked + 1), (told, told + 1))


def test_a_feminine_form_names_the_guide_of_its_name_word() -> None:
    guides = [("actors", "Actors", "What Actors Do"), ("waiters", "Waiters and Waitresses", "")]
    index = OccupationIndex(guides)
    assert index.named("how much does an actress make?")[0] == {"actors"}
    assert index.named("do waitresses get tips")[0] == {"waiters"}
    assert index.named("is the business growing")[0] == frozenset()


def test_a_man_compound_of_a_title_word_names_that_guide() -> None:
    guides = [
        ("line", "Line Installers and Repairers", "What Line Installers Do"),
        ("fire-inspectors", "Fire Inspectors", "What Fire Inspectors Do"),
        ("firefighters", "Firefighters", "What Firefighters Do"),
    ]
    index = OccupationIndex(guides)
    assert index.named("how much do linemen make")[0] == {"line"}
    # "fireman" would be the firefighters' as much as the inspectors': neither by this rule
    assert "fire-inspectors" not in index.named("how much do firemen make")[0]


def test_a_short_form_that_is_an_english_word_is_no_name() -> None:
    text = "Health information technology (IT) workers keep records."
    index = OccupationIndex([("hit", "Health Information Technologists", text)])
    assert index.named("is it a good job?")[0] == frozenset()


def test_whom_the_work_is_for_is_not_who_is_asked() -> None:
    index = OccupationIndex(GUIDES)
    assert index.someone_asked("can i design furniture for manufacturers with a portfolio?") is None
    asked = index.someone_asked("what's the pay for sommeliers?")
    assert asked is not None and asked.phrase == "sommeliers"
    asked = index.someone_asked("is data scientist employment growing?")
    assert asked is not None and asked.phrase == "data scientist"
