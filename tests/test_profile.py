"""Reading a person (careerbot.profile): years, education, skills, certifications and aims from a
self-description; whether a message is personal or asks for a plan; the ladder step a question asks
about."""

from __future__ import annotations

import pytest
from helpers import ACCEPTANCE, GUIDE, NETWORK, PLC, PLC_EXAMPLE, TEAM

from careerbot.facts import GuideFacts, Tier, extract_facts
from careerbot.ingest import load_guide
from careerbot.profile import asked_tier, asks_for_plan, looks_personal, read_profile


@pytest.fixture(scope="module")
def facts() -> GuideFacts:
    guide = load_guide(GUIDE)
    return extract_facts(guide.title, [(s.name, s.text) for s in guide.sections])


@pytest.mark.parametrize(
    ("text", "years"),
    [
        ("I'm 25 years old with 2 years as a junior tech", 2),  # an age is not experience
        ("I make $60,000 a year after 3 years on the job", 3),  # "a year" of pay is not experience
        ("I want to be a lead in 5 years; currently 4 years in", 4),  # a goal is not experience
        ("I did a 4-year apprenticeship and have 2 years since then", 2),  # schooling is not experience
        ("three or four years as a technician", 3.5),  # worded range
        ("six months as a helper", 0.5),  # months in words
        ("half a year into my first technician job", 0.5),
        ("just graduated", 0),
        ("entry-level, looking for my first job", 0),
        ("I have 6 years but no experience leading a team", 6),  # "no experience leading" is not zero
        ("I have 18 months of experience and no PLC experience", 1.5),  # "no PLC experience" is not zero
        ("I know PLCs and Wireshark", None),  # unknown stays unknown
        ("several years in maintenance", None),  # too vague to place: not guessed
    ],
)
def test_years_reading(facts: GuideFacts, text: str, years: float | None) -> None:
    got = read_profile(text, facts).years
    assert got == (pytest.approx(years) if years is not None else None)


@pytest.mark.parametrize(
    ("text", "has", "lacks"),
    [
        ("I know PLCs and Wireshark", [PLC, NETWORK], []),
        ("good with networking, no PLC experience", [NETWORK], [PLC]),
        ("I don't know SCADA", [], ["Industrial Automation and SCADA Systems"]),
        (
            "I've led a crew and I'm good at preventive maintenance",
            [TEAM, "Preventive Maintenance Procedures"],
            [],
        ),
        ("I want to lead a team", [], [TEAM]),  # a wish is not a skill
        ("Do I need PLC skills?", [], [PLC]),  # a question is not a skill
        ("I hold CompTIA Network+", [], [NETWORK]),  # a certification name is not a skill
    ],
)
def test_skill_reading(facts: GuideFacts, text: str, has: list[str], lacks: list[str]) -> None:
    skills = read_profile(text, facts).skills
    for s in has:
        assert s in skills
    for s in lacks:
        assert s not in skills


@pytest.mark.parametrize(
    ("text", "certs"),
    [
        ("I hold the CMRT and CompTIA Network+", ["CMRT", "CompTIA Network+"]),
        ("I got my OSHA training last year", ["OSHA training"]),
        ("I have a Cisco Certified Technician cert", ["CCT"]),
        ("looking to get my CCT", []),  # wanted, not held
        ("I don't have PMP", []),
    ],
)
def test_certification_reading(facts: GuideFacts, text: str, certs: list[str]) -> None:
    got = read_profile(text, facts).certifications
    assert len(got) == len(certs)
    for c in certs:
        assert any(c in g for g in got)


@pytest.mark.parametrize(
    ("text", "education"),
    [
        ("I finished high school", "high school/GED"),
        ("I have a GED", "high school/GED"),
        ("went to trade school", "vocational/trade school"),
        ("I did an apprenticeship", "apprenticeship"),
        ("I have an associate's degree in electronics", "associate degree"),
        ("bachelor's in mechanical engineering", "bachelor's degree"),
        ("high school, then an associate degree", "associate degree"),  # the highest counts
        ("did 4 years of college and have 1 year as a technician", "college"),
        ("no degree, I learned on the job", None),
        ("I want to get an associate degree", None),  # a plan, not a qualification
    ],
)
def test_education_reading(facts: GuideFacts, text: str, education: str | None) -> None:
    assert read_profile(text, facts).education == education


@pytest.mark.parametrize(
    ("text", "aims"),
    [
        ("I want to lead a team", ("lead",)),
        ("my goal is to run a team", ("lead",)),
        ("how do I become a lead?", ("lead",)),
        ("I'd like to move into management", ("management",)),
        ("hoping to become a manager and earn more", ("management", "salary")),
        ("I led a team for a year", ()),  # done, not aimed at
        ("What does a lead technician earn?", ()),  # a question about the role, not an aim
        ("I don't want to manage people", ()),
    ],
)
def test_aims_reading(facts: GuideFacts, text: str, aims: tuple[str, ...]) -> None:
    assert read_profile(text, facts).aims == aims


@pytest.mark.parametrize(
    ("text", "personal"),
    [
        (ACCEPTANCE, True),
        ("I'm a maintenance tech with an associate degree, what should I do next?", True),
        (PLC_EXAMPLE, True),
        ("Fresh out of school with a vocational certificate, where do I start?", True),
        ("I just graduated from trade school; how do I become a lead technician?", True),
        ("My background is 2 years in HVAC, what's my next step?", True),
        ("over a decade as a technician, I supervise a crew of five", True),
        ("I'm 25 with 2 years as a junior tech", True),
        ("Been a field tech for 4 years, want to run a team someday", True),  # no subject
        ("Seven years as a senior tech; how do I get promoted to lead?", True),
        ("What does a lead technician earn?", False),
        ("How many years until senior?", False),
        ("Do I need a certificate to move up?", False),
        ("Can I work remotely as a lead technician?", False),
        ("I'd like to know what a senior tech makes", False),
        ("What skills do I need to become a lead?", False),
        ("Tell me about the Senior Technician tier", False),
        ("I'm curious, what's the salary for juniors?", False),
        ("How much does a technician with 5 years earn?", False),
        ("Is 5 years enough to become a senior technician?", False),
    ],
)
def test_looks_personal(text: str, personal: bool) -> None:
    assert looks_personal(text) is personal


@pytest.mark.parametrize(
    ("text", "plan"),
    [
        ("I'm a maintenance tech with an associate degree, what should I do next?", True),
        ("Seven years as a senior tech; how do I get promoted to lead?", True),
        ("Been a field tech for 4 years, want to run a team someday", True),  # a bare self-description
        ("My dad did this job for 30 years, is it still a good trade?", False),  # years in a story
        ("I was in the army 4 years before this, is the work physical?", False),
        ("I'm 40, 15 years in HVAC. Do you actually NEED certifications to move up?", False),
        ("can u write me a resume for a lead tech job? I have 9 years as a maintenance tech", False),
        ("What does a lead technician earn?", False),
    ],
)
def test_plan_only_when_asked_for(text: str, plan: bool) -> None:
    assert asks_for_plan(text) is plan


def test_the_ladder_step_a_question_asks_about() -> None:
    tiers = tuple(
        Tier(name, years, lo, hi, "", f"Career Path Tiers > {name}")
        for name, years, lo, hi in (
            ("Junior Technician", "0-2 years", 0.0, 2.0),
            ("Mid-Level Technician", "2-5 years", 2.0, 5.0),
            ("Senior Technician", "5-8 years", 5.0, 8.0),
            ("Lead Technician", "8+ years", 8.0, None),
        )
    )

    def name(question: str, context: str = "") -> str | None:
        tier = asked_tier(question, context, tiers)
        return tier.name if tier else None

    assert name("which experience level does 6 years normally line up with?") == "Senior Technician"
    told = "He has been a tech for 3 years now."
    assert name("What level would that count as?", told) == "Mid-Level Technician"
    assert name("how many yrs before ur considered a lead tech") == "Lead Technician"
    assert name("a junior tech w/ 1 yr in. how many yrs before i could be a lead tech?") == "Lead Technician"
    assert name("how long does it take to become a mid-level tech?") == "Mid-Level Technician"
    assert name("how many yrs of experience before someone's usually a lead tech") == "Lead Technician"
    assert name("how many years before you're a senior tech?") == "Senior Technician"
    question = "How many years does someone usually need before they're actually considered a Lead?"
    assert name(question) == "Lead Technician"
    assert name("what does a senior tech make?") is None  # no step asked about
    assert name("how long is the training?") is None
    # a step named by its place on the ladder just listed
    assert name("how long do ppl usually stay at the first one") == "Junior Technician"
    assert name("and how many years at the top level?") == "Lead Technician"
    assert name("what does the bottom tier of pay look like?") is None  # pay, not the step
    assert asked_tier("which level does 6 years line up with?", "", ()) is None  # no ladder
