"""Personal career plans (careerbot.guidance): ladder placement, what a profile changes, cited plan
text. Reading the profile itself is tested in test_profile.py."""

from __future__ import annotations

import re

import pytest
from helpers import ACCEPTANCE, GUIDE, NETWORK, PLC, PLC_EXAMPLE, TEAM

from careerbot.facts import GuideFacts, SalaryLevel, Tier, extract_facts
from careerbot.guidance import TELL_YEARS, CareerPlan, make_plan, read_profile
from careerbot.ingest import load_guide

# A spread of self-descriptions used by the property tests (citations, guide-only content, length).
PROFILES = [
    "I'm fresh out of school",
    "I have 1 year as a technician",
    ACCEPTANCE,
    PLC_EXAMPLE,
    "9 years in maintenance and I'd like to move into management",
    "15 yrs as a technician, I hold the CMRT and want to earn more",
    "I'm a maintenance tech with an associate degree, what should I do next?",
    "no experience but I've done this for 10 years",
    "I know PLCs but I have no PLC experience really, 4 years in",
    "just graduated from trade school and want to lead a team one day",
]


@pytest.fixture(scope="module")
def guide_sections() -> dict[str, str]:
    guide = load_guide(GUIDE)
    return {s.name: s.text for s in guide.sections}


@pytest.fixture(scope="module")
def facts() -> GuideFacts:
    guide = load_guide(GUIDE)
    return extract_facts(guide.title, [(s.name, s.text) for s in guide.sections])


@pytest.fixture(scope="module")
def guide_text(guide_sections: dict[str, str]) -> str:
    return "\n".join(guide_sections.values())


def _markers(text: str) -> list[int]:
    return [int(n) for n in re.findall(r"\[(\d+)\]", text)]


# --------------------------------------------------------------------------- ladder placement


@pytest.mark.parametrize(
    ("text", "years", "tier", "next_tier"),
    [
        ("I'm fresh out of school", 0, "Junior Technician", "Mid-Level Technician"),  # zero phrase
        ("I have 1 year as a technician", 1, "Junior Technician", "Mid-Level Technician"),  # inside 0-2
        ("I've been a tech for 3 years", 3, "Mid-Level Technician", "Senior Technician"),  # inside 2-5
        ("6 years in the field", 6, "Senior Technician", "Lead Technician"),  # inside 5-8
        ("I have 9 years of experience", 9, "Lead Technician", None),  # inside 8+
        ("15 yrs as a technician", 15, "Lead Technician", None),  # far past the top step
        ("I have 2 years", 2, "Mid-Level Technician", "Senior Technician"),  # boundary → higher tier
        ("I have 5 years", 5, "Senior Technician", "Lead Technician"),  # boundary → higher tier
        ("8 years as a tech", 8, "Lead Technician", None),  # boundary → 8+
        ("a couple of years in the trade", 2, "Mid-Level Technician", "Senior Technician"),  # vague: 2
        ("six years on the job", 6, "Senior Technician", "Lead Technician"),  # number word
        ("a few years as a field tech", 3, "Mid-Level Technician", "Senior Technician"),  # vague: 3
        ("3-4 years in maintenance", 3.5, "Mid-Level Technician", "Senior Technician"),  # range midpoint
        ("about 18 months in", 1.5, "Junior Technician", "Mid-Level Technician"),  # months
        ("I've been at it for a year and a half", 1.5, "Junior Technician", "Mid-Level Technician"),
        ("over a decade as a technician", 10, "Lead Technician", None),  # decade
    ],
)
def test_ladder_placement(
    facts: GuideFacts, text: str, years: float, tier: str, next_tier: str | None
) -> None:
    plan = make_plan(text, facts)
    assert plan.profile.years == pytest.approx(years)
    assert plan.tier is not None and plan.tier.name == tier
    assert (plan.next_tier.name if plan.next_tier else None) == next_tier
    assert not plan.needs_years
    assert f"**{tier}** ({plan.tier.years})" in plan.text
    if plan.next_tier is not None:
        assert plan.next_tier.name in plan.text and plan.next_tier.years in plan.text


def test_unknown_years_asks_and_still_gives_the_ladder(facts: GuideFacts) -> None:
    plan = make_plan("I'm a maintenance tech with an associate degree, what should I do next?", facts)
    assert plan.needs_years and plan.tier is None and plan.next_tier is None
    assert plan.profile.years is None
    assert plan.profile.education == "associate degree"
    assert TELL_YEARS in plan.text
    for tier in facts.tiers:  # the general ladder, every step with its years
        assert f"{tier.name} ({tier.years})" in plan.text
    assert {s.section for s in plan.sources} >= {t.section for t in facts.tiers}


def test_contradictory_years_are_flagged_not_guessed(facts: GuideFacts) -> None:
    plan = make_plan("no experience but I've done this for 10 years", facts)
    assert plan.profile.contradictions
    assert plan.profile.years is None and plan.needs_years and plan.tier is None
    assert "you mentioned both" in plan.text and "10 years" in plan.text and "won't guess" in plan.text
    assert TELL_YEARS in plan.text


def test_claimed_and_denied_skill_is_a_contradiction(facts: GuideFacts) -> None:
    plan = make_plan("I know PLCs but I have no PLC experience really, 4 years in", facts)
    assert any(PLC in c for c in plan.profile.contradictions)
    assert PLC not in plan.profile.skills
    assert plan.tier is not None and plan.tier.name == "Mid-Level Technician"


# --------------------------------------------------------------------------- what the profile changes


def test_plc_example_profile_and_gaps(facts: GuideFacts) -> None:
    plan = make_plan(PLC_EXAMPLE, facts)
    p = plan.profile
    assert p.years == 6
    assert p.education == "vocational/trade school"
    assert PLC in p.skills and NETWORK in p.skills
    assert TEAM not in p.skills  # "never led a team" is a negation
    assert PLC not in plan.skill_gaps and NETWORK not in plan.skill_gaps
    assert TEAM in plan.skill_gaps
    all_map_items = {i for items in facts.skill_map.values() for i in items}
    assert set(plan.skill_gaps) == all_map_items - set(p.skills)
    assert PLC not in plan.text.split("**Avoid**")[0]


def test_held_certification_is_not_recommended_again(facts: GuideFacts) -> None:
    plan = make_plan("15 yrs as a technician, I hold the CMRT", facts)
    assert not any("CMRT" in c for c in plan.certifications)
    assert "CCT" in plan.text


# --------------------------------------------------------------------------- the plan text


@pytest.mark.parametrize("text", PROFILES)
def test_every_marker_maps_to_a_source(facts: GuideFacts, text: str) -> None:
    plan = make_plan(text, facts)
    used = _markers(plan.text)
    assert used, "a plan cites the guide"
    assert set(used) == set(range(1, len(plan.sources) + 1))  # each source used, none missing
    first_use = list(dict.fromkeys(used))
    assert first_use == sorted(first_use)  # numbered in reading order
    for s in plan.sources:
        assert s.guide == facts.guide and s.score == 1.0 and s.id == "" and s.text


@pytest.mark.parametrize("text", PROFILES)
def test_every_statement_carries_a_marker(facts: GuideFacts, text: str) -> None:
    plan = make_plan(text, facts)
    for line in plan.text.splitlines():
        line = line.strip()
        if not line or re.fullmatch(r"\*\*[^*]+\*\*", line):  # blank line or a bold group label
            continue
        assert re.search(r"\[\d+\]\.?$", line), line
    for step in plan.steps:
        assert _markers(step)


@pytest.mark.parametrize("text", PROFILES)
def test_sources_quote_their_sections(facts: GuideFacts, guide_sections: dict[str, str], text: str) -> None:
    plan = make_plan(text, facts)
    for s in plan.sources:
        assert s.section in guide_sections
        body = " ".join(guide_sections[s.section].split())
        for line in s.text.splitlines():
            for part in line.split(": "):
                assert " ".join(part.split()) in body, (s.section, part)


@pytest.mark.parametrize("text", PROFILES)
def test_nothing_outside_the_guide(facts: GuideFacts, guide_text: str, text: str) -> None:
    plan = make_plan(text, facts)
    for figure in re.findall(r"\$\s?\d[\d,]*(?:\.\d+)?\+?", plan.text):
        assert figure in guide_text, figure
    for acronym in re.findall(r"\b[A-Z][A-Z0-9]+\b\+?", plan.text):
        assert re.search(rf"\b{re.escape(acronym)}", guide_text), acronym
    for cert in plan.certifications:
        assert cert in facts.certifications
    for level in plan.salary:
        assert level in facts.salary
    for role in re.findall(r"\b(?:[A-Z]\w+ )+(?:Manager|Director)\b", plan.text):
        assert role in facts.progression_roles


@pytest.mark.parametrize("text", PROFILES)
def test_plan_is_short(facts: GuideFacts, text: str) -> None:
    plan = make_plan(text, facts)
    words = re.sub(r"\[\d+\]", "", plan.text).split()
    assert len(words) < 180
    assert not re.search(r"^#", plan.text, re.M)  # no Markdown headings
    assert "**Avoid**" in plan.text
    assert 2 <= plan.text.split("**Avoid**")[1].count("\n- ") <= 3


def test_acceptance_example(facts: GuideFacts) -> None:
    plan = make_plan(ACCEPTANCE, facts)
    assert isinstance(plan, CareerPlan)
    assert plan.profile.years == 3 and "lead" in plan.profile.aims
    assert plan.tier is not None and plan.tier.name == "Mid-Level Technician"
    assert plan.next_tier is not None and plan.next_tier.name == "Senior Technician"
    assert "**Mid-Level Technician** (2-5 years)" in plan.text
    assert "**Senior Technician** (5-8 years)" in plan.text
    assert "about 2 years away" in plan.text
    assert "Lead Technician" in plan.text and "8+ years" in plan.text
    assert "$77,500" in plan.text and "$89,750" in plan.text
    assert [s.label for s in plan.salary] == ["Mid-Level", "Senior-Level"]
    assert "CMRT" in plan.text or "CCT" in plan.text
    # leadership skills come first for someone who wants to lead
    assert plan.skill_gaps[0] in facts.skill_map["Leadership and Professional Skills"]

    def cited(fragment: str) -> set[str]:
        """Sections cited on the line that says ``fragment``."""
        line = next(ln for ln in plan.text.splitlines() if fragment in ln)
        return {plan.sources[n - 1].section for n in _markers(line)}

    assert cited("(2-5 years)") == {"Career Path Tiers > Mid-Level Technician"}
    assert cited("(5-8 years)") == {"Career Path Tiers > Senior Technician"}
    assert cited("8+ years") == {"Career Path Tiers > Lead Technician"}
    assert cited("$89,750") == {facts.sources["salary"]}
    assert cited("CMRT") == {facts.sources["certifications"]}
    assert cited("Maintenance Manager") == {facts.sources["progression_roles"]}


def test_top_tier_shows_what_comes_after(facts: GuideFacts) -> None:
    plan = make_plan("9 years in maintenance and I'd like to move into management", facts)
    assert plan.tier is not None and plan.tier.name == "Lead Technician" and plan.next_tier is None
    assert [s.label for s in plan.salary] == ["Top 10%"]
    assert "top of the guide's ladder" in plan.text
    for role in facts.progression_roles:
        assert role in plan.text


def test_beginner_gaps_start_with_foundations(facts: GuideFacts) -> None:
    plan = make_plan("I'm fresh out of school", facts)
    assert plan.skill_gaps[:5] == facts.skill_map["Foundational Skills"]
    assert [s.label for s in plan.salary] == ["Entry-Level", "Mid-Level"]


def test_plan_from_a_sparse_guide() -> None:
    facts = GuideFacts(
        guide="Tiny Guide",
        salary=(SalaryLevel("Entry-Level", 40000, "$40,000"),),
        tiers=(
            Tier("Assistant", "0-3 years", 0, 3, "Assistants help.", "Ladder > Assistant"),
            Tier("Chef", "3+ years", 3, None, "", "Ladder > Chef"),
        ),
        sources={"salary": "Pay", "tiers": "Ladder > Assistant"},
    )
    plan = make_plan("I have 1 year", facts)
    assert plan.tier is not None and plan.tier.name == "Assistant"
    assert "$40,000" in plan.text and plan.certifications == () and plan.skill_gaps == ()
    assert set(_markers(plan.text)) == set(range(1, len(plan.sources) + 1))
    empty = make_plan("I have 1 year", GuideFacts(guide="Empty"))
    assert empty.tier is None and "no career ladder" in empty.text and empty.sources == ()
    assert not empty.needs_years
    assert TELL_YEARS in make_plan("I like tools", GuideFacts(guide="Empty")).text


def test_first_job_places_on_the_first_tier(facts: GuideFacts) -> None:
    plan = make_plan("I just finished a vocational program and started my first technician job", facts)
    assert plan.tier is not None and plan.tier.name == facts.tiers[0].name


def test_a_negative_amount_of_experience_places_nobody(facts: GuideFacts) -> None:
    assert read_profile("I have -5 years as a technician", facts).years is None
    assert make_plan("I have -5 years as a technician", facts).tier is None
