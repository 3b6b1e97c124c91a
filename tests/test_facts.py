"""Structured facts extracted from the section tree (careerbot.facts)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from careerbot.facts import (
    GuideFacts,
    SalaryLevel,
    Tier,
    extract_facts,
    facts_from_dict,
    facts_to_dict,
    parse_years,
    similar_occupations,
)
from careerbot.ingest import chunk_guide, load_guide

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).parent / "data"


def _facts(path: Path) -> tuple[GuideFacts, set[str]]:
    guide = load_guide(path)
    return extract_facts(guide.title, [(s.name, s.text) for s in guide.sections]), {
        s.name for s in guide.sections
    }


@pytest.fixture(scope="module")
def lead() -> GuideFacts:
    return _facts(ROOT / "corpus" / "lead-technician.txt")[0]


@pytest.fixture(scope="module")
def lead_sections() -> set[str]:
    return _facts(ROOT / "corpus" / "lead-technician.txt")[1]


# --------------------------------------------------------------------------- real guide


def test_lead_title(lead: GuideFacts) -> None:
    assert lead.guide == "Lead Technician Career Path Guide"


def test_lead_salary_levels_in_guide_order(lead: GuideFacts) -> None:
    assert lead.salary == (
        SalaryLevel("Median", 77500, "$77,500"),
        SalaryLevel("Entry-Level", 65250, "$65,250"),
        SalaryLevel("Mid-Level", 77500, "$77,500"),
        SalaryLevel("Senior-Level", 89750, "$89,750"),
        SalaryLevel("Top 10%", 95000, "$95,000+"),  # from the prose sentence, "+" kept in the text
    )
    assert lead.salary_range == "60,000—95,000"


@pytest.mark.parametrize(
    ("index", "name", "years", "lo", "hi", "summary_start"),
    [
        (0, "Junior Technician", "0-2 years", 0, 2, "Junior Technicians are entry-level"),  # first rung
        (1, "Mid-Level Technician", "2-5 years", 2, 5, "At this level, technicians"),  # hyphenated name
        (2, "Senior Technician", "5-8 years", 5, 8, "Senior Technicians hold advanced"),  # closed span
        (3, "Lead Technician", "8+ years", 8, None, "Lead Technicians take full"),  # open-ended top tier
    ],
)
def test_lead_tiers(
    lead: GuideFacts, index: int, name: str, years: str, lo: float, hi: float | None, summary_start: str
) -> None:
    tier = lead.tiers[index]
    assert (tier.name, tier.years, tier.min_years, tier.max_years) == (name, years, lo, hi)
    assert tier.summary.startswith(summary_start)
    assert tier.summary.endswith(".") and tier.summary.count(". ") == 0  # exactly one sentence
    assert tier.section == f"Career Path Tiers > {name}"


def test_lead_tier_count(lead: GuideFacts) -> None:
    assert len(lead.tiers) == 4


def test_lead_market_figures(lead: GuideFacts) -> None:
    assert lead.growth_rate == "7%"
    assert lead.market_demand == "High"


def test_lead_skill_map(lead: GuideFacts) -> None:
    assert list(lead.skill_map) == [
        "Foundational Skills",
        "Advanced Technical Skills",
        "Leadership and Professional Skills",
    ]
    assert all(len(items) == 5 for items in lead.skill_map.values())
    assert lead.skill_map["Foundational Skills"][0] == "Equipment Diagnostics and Troubleshooting"
    assert "Team Leadership and Mentoring" in lead.skill_map["Leadership and Professional Skills"]


@pytest.mark.parametrize(
    ("field", "count", "first", "last"),
    [
        # "Skills and Qualifications > Tech Skills" (not the Skill Map's "Advanced Technical Skills")
        ("tech_skills", 15, "Diagnostic Testing", "Data Analysis for Operational Efficiency"),
        # the guide calls them "Soft Abilities"
        ("soft_skills", 10, "Leadership and Team Management", "Collaboration and Interpersonal Skills"),
        # "Common Mistakes of Beginners"
        ("mistakes", 8, "Neglecting safety protocols", "Inadequate inventory management"),
        # "Contextual Advice" list; "Portfolio Tips" prose is not advice items
        ("advice", 8, "Prioritize safety at all times", "Stay informed about industry trends"),
    ],
)
def test_lead_lists(lead: GuideFacts, field: str, count: int, first: str, last: str) -> None:
    items = getattr(lead, field)
    assert len(items) == count
    assert items[0].startswith(first)
    assert items[-1].startswith(last)


@pytest.mark.parametrize(
    "cert",
    [
        "Certified Maintenance & Reliability Technician (CMRT)",  # capitalised name + acronym
        "Cisco Certified Technician (CCT)",  # same, second in the "such as" list
        "CompTIA Network+",  # list item without an acronym
        "PMP",  # "(e.g., PMP)"
        "OSHA training",  # "(e.g., OSHA training)"
    ],
)
def test_lead_certifications_found(lead: GuideFacts, cert: str) -> None:
    assert cert in lead.certifications


def test_lead_certifications_deduplicated_by_acronym(lead: GuideFacts) -> None:
    assert "CMRT" not in lead.certifications  # bare mentions merge into the full name
    assert "CCT" not in lead.certifications
    assert len(lead.certifications) == len(set(lead.certifications))
    assert not any("PLC" in c for c in lead.certifications)  # acronyms outside certification talk


def test_lead_progression_roles(lead: GuideFacts) -> None:
    assert lead.progression_roles == (
        "Maintenance Manager",
        "Operations Manager",
        "Project Manager",
        "Technical Director",
    )


@pytest.mark.parametrize(
    ("fact", "section"),
    [
        ("salary", "Annual Salary (US, USD)"),  # the salary section
        ("salary_range", "Annual Salary (US, USD)"),  # "Range:" line of the same section
        ("tiers", "Career Path Tiers > Junior Technician"),  # first ladder step
        ("growth_rate", "Overview"),  # first "Growth rate:" line in reading order
        ("market_demand", "Market Demand"),  # "Market Demand: High"
        ("skill_map", "Skill Map > Foundational Skills"),  # first skill-map group
        ("tech_skills", "Skills and Qualifications > Tech Skills"),
        ("soft_skills", "Skills and Qualifications > Soft Abilities"),
        ("certifications", "Skills and Qualifications > Education Level"),  # first certification mention
        ("mistakes", "Common Mistakes of Beginners"),
        ("advice", "Contextual Advice"),
        (
            "progression_roles",
            "Frequently Asked Questions > What are common career progression opportunities beyond "
            "Lead Technician?",
        ),
    ],
)
def test_lead_sources(lead: GuideFacts, lead_sections: set[str], fact: str, section: str) -> None:
    assert lead.sources[fact] == section
    assert section in lead_sections


def test_lead_sources_are_real_sections(lead: GuideFacts, lead_sections: set[str]) -> None:
    assert set(lead.sources.values()) <= lead_sections
    assert {t.section for t in lead.tiers} <= lead_sections


def test_chunks_give_the_same_facts(lead: GuideFacts) -> None:
    guide = load_guide(ROOT / "corpus" / "lead-technician.txt")
    chunks = chunk_guide(guide)
    assert extract_facts(guide.title, [(c.section, c.text) for c in chunks]) == lead


# --------------------------------------------------------------------------- fixture guides


def test_baker_facts() -> None:
    facts, sections = _facts(DATA / "baker.txt")
    assert facts.guide == "Baker Career Path Guide"
    assert facts.salary == (
        SalaryLevel("Median", 36000, "$36,000"),
        SalaryLevel("Entry-Level", 31000, "$31,000"),  # label and value on separate lines in the file
    )
    assert facts.salary_range == "30,000—45,000"  # repaired from mojibake
    assert facts.market_demand == "Moderate"  # from the Low/High/<value> widget
    assert facts.sources == {
        "salary": "Annual Salary (US, USD)",
        "salary_range": "Annual Salary (US, USD)",
        "market_demand": "Market Demand",
    }
    assert set(facts.sources.values()) <= sections


def test_mini_guide_facts() -> None:
    facts, _ = _facts(DATA / "mini-guide.md")
    assert facts.guide == "Wind Turbine Technician Career Guide"
    # "- Label: value" bullets under "## Annual Salary"
    assert facts.salary == (
        SalaryLevel("Entry-Level", 48000, "$48,000"),
        SalaryLevel("Senior-Level", 71000, "$71,000"),
    )
    assert facts.sources == {"salary": "Annual Salary"}
    # "a one-year technical certificate" names no certification
    assert facts.certifications == ()


@pytest.mark.parametrize(
    "field",
    [
        "salary_range",  # mini-guide: no range line
        "growth_rate",
        "market_demand",
    ],
)
def test_mini_guide_missing_scalars_are_none(field: str) -> None:
    facts, _ = _facts(DATA / "mini-guide.md")
    assert getattr(facts, field) is None


@pytest.mark.parametrize(
    ("path", "field"),
    [
        ("baker.txt", "tiers"),  # no career ladder
        ("baker.txt", "growth_rate"),  # no growth label
        ("baker.txt", "skill_map"),
        ("baker.txt", "certifications"),  # a food-handler card is not a named certification
        ("baker.txt", "progression_roles"),
        ("mini-guide.md", "tiers"),
        ("mini-guide.md", "tech_skills"),
        ("mini-guide.md", "soft_skills"),
        ("mini-guide.md", "mistakes"),
        ("mini-guide.md", "advice"),
        ("mini-guide.md", "progression_roles"),
    ],
)
def test_fixture_guides_missing_facts_are_empty(path: str, field: str) -> None:
    facts, _ = _facts(DATA / path)
    assert not getattr(facts, field)
    assert field not in facts.sources


# --------------------------------------------------------------------------- general rules


def test_empty_input_gives_empty_facts() -> None:
    assert extract_facts("Nothing", []) == GuideFacts(guide="Nothing")
    empty = extract_facts("Nothing", [])
    assert empty.salary == () and empty.salary_range is None and empty.tiers == ()
    assert empty.skill_map == {} and empty.sources == {}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("0-2 years", ("0-2 years", 0, 2)),  # hyphen
        ("2–5 years", ("2–5 years", 2, 5)),  # en dash
        ("8+ years", ("8+ years", 8, None)),  # open-ended
        ("5 to 8 years", ("5 to 8 years", 5, 8)),  # "to"
        ("10 years or more", ("10 years or more", 10, None)),  # open-ended in words
        ("about 3 years", ("3 years", 3, 3)),  # a single figure
        ("Experience: varies", None),  # no figure
    ],
)
def test_parse_years(text: str, expected: tuple[str, float, float | None] | None) -> None:
    assert parse_years(text) == expected


# A guide in other words: tolerant names, one-line ladder steps, other label spellings.
OTHER_GUIDE = [
    ("Overview", "Nurses care for patients.\nGrowth Rate: 4.5% (faster than average)"),
    ("Salary", "Range: $50k–$90k\nAverage: $70k\nThe top 25% earn about $88,000 a year."),
    (
        "Career Ladder",
        "- Staff Nurse (0–3 years): Gives bedside care. Learns the ward.\n"
        "- Charge Nurse (3 to 6 years): Leads shifts.\n"
        "- Nurse Manager (6+ years): Runs a unit.",
    ),
    ("Skills > Soft Skills", "- Empathy\n- Calm under pressure"),
    ("Skills > Technical Skills", "- IV insertion"),
    ("Certifications", "- Basic Life Support (BLS)\n- CCRN: critical care"),
    (
        "Education",
        "Most employers want BLS first. Later, credentials such as Advanced Cardiac Life Support "
        "(ACLS), CCRN, or Pediatric Advanced Life Support help. Nurses may advance into positions "
        "like Nurse Educator or Director of Nursing.",
    ),
    ("Interview Tips", "- Bring your license.\n- Arrive early."),
    ("Mistakes to Avoid", "- Skipping breaks."),
    ("Demand", "Market demand: Very High"),
]


@pytest.mark.parametrize(
    ("field", "expected"),
    [
        # "Average:" label and a lowercase "top 25%" sentence in a section named just "Salary"
        ("salary", (SalaryLevel("Average", 70000, "$70k"), SalaryLevel("Top 25%", 88000, "$88,000"))),
        ("salary_range", "$50k–$90k"),  # range kept as written
        ("growth_rate", "4.5%"),  # percentage taken out of a longer value
        ("market_demand", "Very High"),  # lower-case label spelling
        (
            "tiers",  # one-line steps in a "Career Ladder" list
            (
                Tier("Staff Nurse", "0–3 years", 0, 3, "Gives bedside care.", "Career Ladder"),
                Tier("Charge Nurse", "3 to 6 years", 3, 6, "Leads shifts.", "Career Ladder"),
                Tier("Nurse Manager", "6+ years", 6, None, "Runs a unit.", "Career Ladder"),
            ),
        ),
        ("soft_skills", ("Empathy", "Calm under pressure")),
        ("tech_skills", ("IV insertion",)),  # "Technical Skills"
        (
            "certifications",  # list section, then a "credentials such as" sentence; CCRN only once
            (
                "Basic Life Support (BLS)",
                "CCRN",
                "Advanced Cardiac Life Support (ACLS)",
                "Pediatric Advanced Life Support",
            ),
        ),
        ("advice", ("Bring your license.", "Arrive early.")),  # "...Tips" list
        ("mistakes", ("Skipping breaks.",)),  # "Mistakes to Avoid"
        ("progression_roles", ("Nurse Educator", "Director of Nursing")),  # "advance into positions like"
        ("skill_map", {}),  # none in this guide
    ],
)
def test_tolerant_section_names(field: str, expected: object) -> None:
    assert getattr(extract_facts("Nurse", OTHER_GUIDE), field) == expected


def test_advice_section_wins_over_tips() -> None:
    facts = extract_facts(
        "X",
        [("Resume Tips", "- Keep it short."), ("Contextual Advice", "- Ask questions.")],
    )
    assert facts.advice == ("Ask questions.",)
    assert facts.sources["advice"] == "Contextual Advice"


def test_prose_tips_are_not_advice() -> None:
    facts = extract_facts("X", [("Portfolio Tips", "Build a portfolio. Show your work.")])
    assert facts.advice == ()


# --------------------------------------------------------------------------- serialisation


@pytest.mark.parametrize(
    "facts",
    [
        pytest.param("lead", id="real-guide"),  # every field filled
        pytest.param(GuideFacts(guide="Empty"), id="empty"),  # defaults only
        pytest.param(extract_facts("Nurse", OTHER_GUIDE), id="other-guide"),  # float years, no skill map
    ],
)
def test_dict_round_trip_is_lossless(facts: GuideFacts | str, lead: GuideFacts) -> None:
    f = lead if facts == "lead" else facts
    assert isinstance(f, GuideFacts)
    d = facts_to_dict(f)
    assert facts_from_dict(json.loads(json.dumps(d))) == f
    assert facts_from_dict(d) == f


def test_similar_occupations_alone_are_the_facts_list() -> None:
    sections = [
        ("Similar Occupations", "Physician Assistants: Job Duties: They examine patients.\n"),
        ("Similar Occupations", "Dental Hygienists: Job Duties: They clean teeth.\n"),
        ("Pay", "The median annual wage was $239,200."),
    ]
    listed = similar_occupations(sections)
    assert listed == ("Physician Assistants", "Dental Hygienists")
    assert listed == extract_facts("Physicians", sections).similar
