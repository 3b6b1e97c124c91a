from __future__ import annotations

import gzip
import importlib.util
from pathlib import Path
from types import SimpleNamespace

import pytest

from careerbot import known
from careerbot.known import (
    filed_elsewhere,
    handbook_titles,
    lone_kinds,
    other_titles,
    shared_tails,
    titles_of_guides,
)
from careerbot.occupations import OccupationIndex


def test_the_handbook_index_comes_with_its_occupations() -> None:
    titles = {title.lower(): job for title, job, _ in handbook_titles()}
    assert len(titles) > 4000
    assert titles["massage therapists"] == "Massage therapists"
    assert titles["x-ray technician"].startswith("Radiologic")


def test_titles_of_a_guide_s_occupation_are_not_others() -> None:
    others = {t.lower() for t in other_titles(["Massage Therapists", "Software Developer"])}
    assert "massage therapists" not in others and "licensed massage therapist" not in others
    # a guide titled with part of its page's name covers the page ("…Developers, Quality Assurance…")
    assert "software developer" not in others
    assert "physical therapists" in others
    assert len(other_titles([])) == len(handbook_titles()) + len(shared_tails())


def test_the_index_s_titles_of_a_guide_s_occupation_are_its_other_names() -> None:
    titles = titles_of_guides({"p": "Plumbers, Pipefitters, and Steamfitters", "d": "Dental Hygienists"})
    assert titles["Fire Sprinkler Installer"] == "p" and titles["Oral Hygienist"] == "d"
    assert "Massage therapists" not in titles


def test_a_kind_of_worker_the_index_files_under_another_occupation() -> None:
    assert filed_elsewhere("videographer", ["Photographers"])
    assert not filed_elsewhere("photographer", ["Photographers"])
    assert not filed_elsewhere("director", ["Photographers"])  # filed under many occupations
    assert not filed_elsewhere("sommelier", ["Photographers"])  # filed nowhere


def test_kinds_of_worker_the_index_s_occupations_name() -> None:
    # a word alone first in a listing is a kind of worker; not a modifier of the last part's
    assert {"paralegal", "umpire", "athlete"} <= lone_kinds()
    assert "security" not in lone_kinds()  # "Securities, commodities, and … sales agents"
    # the last two words several titles of one occupation share ("High School Principal", …)
    tails = {tail: job for tail, job, _ in shared_tails()}
    assert tails["school principal"] == "Elementary, middle, and high school principals"
    assert "service technician" not in tails  # titles of many occupations
    assert "school principal" in other_titles(["Plumbers"])
    principals = titles_of_guides({"p": "Elementary, Middle, and High School Principals"})
    assert principals["school principal"] == "p"


GUIDES = [
    ("physical-therapists", "Physical Therapists", "What Physical Therapists Do. They use massage."),
    (
        "industrial-machinery",
        "Industrial Machinery Mechanics, Machinery Maintenance Workers, and Millwrights",
        "What Industrial Machinery Mechanics Do",
    ),
    ("truck-drivers", "Heavy and Tractor-trailer Truck Drivers", "What Truck Drivers Do"),
    (
        "aircraft",
        "Aircraft and Avionics Equipment Mechanics and Technicians",
        "What Aircraft and Avionics Equipment Mechanics and Technicians Do",
    ),
]
DENTAL = "Dental and ophthalmic laboratory technicians and medical appliance technicians"
KNOWN = [
    "Massage therapists",
    "Licensed Massage Therapist",
    "Maintenance Mechanic",
    "Elevator Repair and Maintenance Technician",
    "Cleaning and Maintenance Worker",
    "Maintenance Worker",
    "Veterinary Technologists and Technicians",
    "Diesel Service Technicians and Mechanics",
    "Aircraft Sheet Metal Mechanic",
    "Forestry Technician",
    "High School Algebra Teacher",
    "Truck Driver",
    "Securities, commodities, and financial services sales agents",
    DENTAL,
    "Software Engineer",
    "Architects",
    "Tile and marble setters",
    "Pre-K Special Education Teacher",
    "Sheet Metal Workers",
    "Real estate brokers and sales agents",
    "Ironworkers",
    "Paralegals and legal assistants",
    "Solar PV Installer",
]


@pytest.fixture(scope="module")
def index() -> OccupationIndex:
    return OccupationIndex(GUIDES, known=KNOWN)


def test_a_known_title_no_guide_covers_is_another_occupation(index: OccupationIndex) -> None:
    found = index.listed_other("how much do massage therapists make?")
    assert found is not None and found[0] == "Massage therapists"
    found = index.listed_other("what does a licensed massage therapist earn")
    assert found is not None and found[0] == "Licensed Massage Therapist"


@pytest.mark.parametrize(
    ("question", "entry", "span"),
    [
        # a modifier of the first listed name goes with the later ones; a shortened word
        ("vet tech pay?", "Veterinary Technologists and Technicians", (0, 2)),
        # the first word and the head alone
        ("what do diesel mechanics make", "Diesel Service Technicians and Mechanics", (2, 4)),
        ("what do diesel service techs make", "Diesel Service Technicians and Mechanics", (2, 5)),
        # a modifier alone goes with the next part's later words ("dental laboratory technician")
        ("do dental lab techs need a degree", DENTAL, (1, 4)),
        ("what do marble setters make", "Tile and marble setters", (2, 4)),
        # its first two words typed as one
        ("job outlook for sheetmetal workers?", "Sheet Metal Workers", (3, 5)),
        # the field its worker works in
        ("is software engineering still growing", "Software Engineer", (1, 3)),
        # a word that heads many of the index's titles is a kind of worker ("architect")
        ("what do architects make", "Architects", (2, 3)),
        # a first part's modifier of several words goes with a later head
        ("what do real estate agents make", "Real estate brokers and sales agents", (2, 5)),
        # a title of one word keeps its modifier ("film editors" stays a guide's listing's)
        ("what do structural ironworkers make", "Ironworkers", (3, 4)),
        # a word no ending marks, alone first in an occupation's listing
        ("what do paralegals make", "Paralegals and legal assistants", (2, 3)),
        # a title of three words with its middle one in other words
        ("solar panel installer job outlook?", "Solar PV Installer", (0, 3)),
    ],
)
def test_a_known_title_in_everyday_words(
    index: OccupationIndex, question: str, entry: str, span: tuple[int, int]
) -> None:
    found = index.listed_other(question)
    assert found is not None and found[0] == entry and found[1:] == span


@pytest.mark.parametrize(
    "question",
    [
        # all its words in a guide's name: that guide's
        "what do truck drivers make",
        # a guide's modifier before it makes it the guide's name
        "what education do industrial maintenance mechanics need",
        # one title, not a listing of "maintenance technician"
        "just hired as a maintenance tech, how do i move up",
        # the work, not the worker ("maintenance worker")
        "whats the software for tracking maintenance work called",
        # a listing's part that names no worker ("securities")
        "do truckers even have job security?",
        # a short word with a meaning of its own is no shortening ("car": automotive, "for")
        "car tech pay?",
        "which certification is mentioned for techs who want to run teams?",
        # a guide's title has the first word and the head
        "are aircraft mechanics in demand?",
        # the first word and head alone only as the whole phrase typed
        "is employment for junior high teachers going up?",
        # a field before another kind of worker names that worker
        "what do software engineering technicians make",
        # no words left out but between the first and the head
        "how much do pre-k teachers get paid",
    ],
)
def test_known_titles_name_no_one_else(index: OccupationIndex, question: str) -> None:
    assert index.listed_other(question) is None


def test_a_story_s_title_gives_way_to_the_asked_one(index: OccupationIndex) -> None:
    question = "my son is a licensed massage therapist, what do diesel mechanics make"
    assert index.listed_other(question) == ("Licensed Massage Therapist", 4, 7)
    found = index.listed_other(question, skip=lambda start, end: start < 7)
    assert found == ("Diesel Service Technicians and Mechanics", 9, 11)


def test_a_listed_occupation_by_its_field() -> None:
    listed = OccupationIndex(GUIDES, listed=["Construction Managers"])
    assert listed.listed_other("is construction management a growing field?") == (
        "Construction Managers",
        1,
        3,
    )


def test_a_title_the_guides_list_stays_theirs() -> None:
    both = OccupationIndex(GUIDES, listed=["Lawyers"], known=["Lawyers", "Massage therapists"])
    assert both.known == {"Massage therapists"}
    assert both.listed_other("what do lawyers make") == ("Lawyers", 2, 3)


@pytest.mark.parametrize("data", [None, b"not gzip at all", gzip.compress(b'{"titles": [1, 2]}')])
def test_missing_or_damaged_data_gives_no_titles(
    data: bytes | None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    spec = None
    if data is not None:
        (tmp_path / "data").mkdir()
        (tmp_path / "data" / "bls_titles.json.gz").write_bytes(data)
        spec = SimpleNamespace(submodule_search_locations=[str(tmp_path)])
    monkeypatch.setattr(importlib.util, "find_spec", lambda name: spec)
    known.handbook_titles.cache_clear()
    try:
        assert known.handbook_titles() == () and other_titles(["Lead Technician"]) == []
    finally:
        monkeypatch.undo()
        known.handbook_titles.cache_clear()
    assert len(known.handbook_titles()) > 4000
