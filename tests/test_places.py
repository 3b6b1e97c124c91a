"""Places a question asks about, from the GeoNames data (no model, no index)."""

from __future__ import annotations

import pytest

from careerbot.places import asked_kind, asked_place, names_kind, names_place


@pytest.mark.parametrize(
    ("question", "place"),
    [
        ("which companies in houston are hiring lead techs?", "Houston"),  # a big city in any case
        ("whats a lead tech make in germany? we're moving to munich", "Germany"),
        ("best program near dayton ohio?", "Ohio"),  # a small city only capitalised
        ("jobs near Dayton?", "Dayton"),
        ("what do plumbers make in New York City", "New York City"),  # the longest name
        ("pay in the uk?", "United Kingdom"),
        ("what do they make in the US?", None),  # the guides' own country
        ("is it in demand?", None),
        ("do many work in mobile homes?", None),  # a word, not the small city
        ("I moved from Texas last year, what's the pay?", None),  # a story, not the question's place
    ],
)
def test_the_place_a_question_asks_about(question: str, place: str | None) -> None:
    assert asked_place(question) == place


def test_which_kind_of_place() -> None:
    assert asked_kind("which US state pays lead technicians the most?") == "state"
    assert asked_kind("what cities have the most jobs") == "city"
    assert asked_kind("what do they make?") is None
    assert names_kind("Demand is high in Texas and Ohio.", "state")
    assert not names_kind("Demand is high in the United States and Canada.", "state")
    assert names_place("...Germany, Japan...", "germany") and not names_place("Germanic", "Germany")


def test_where_the_person_is_is_no_question_about_it() -> None:
    from careerbot.places import only_told

    assert only_told("do u need a national license to be an arbitrator? i'm in ohio if it matters", "Ohio")
    assert not only_told("im in houston tx, what would one make HERE, not the national number", "Houston")
    assert not only_told("what do plumbers make in ohio", "Ohio")
