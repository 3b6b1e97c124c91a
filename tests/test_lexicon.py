"""The everyday-words lexicon: tokens, stems, topic words and what everyday words stand for."""

from __future__ import annotations

import pytest

from careerbot import lexicon


def test_words_keep_hyphenated_words_whole_and_split() -> None:
    assert lexicon.words("Entry-level pay, it’s 5%") == ["entry-level", "entry", "level", "pay", "it's", "5%"]


def test_terms_drop_stopwords_and_stem() -> None:
    assert lexicon.terms("What are the salaries of the technicians?") == ["salari", "technician"]


def test_content_words_leave_out_generic_and_filler_words() -> None:
    # "job" and "career" name every question's topic; "honestly" and digits say nothing
    assert lexicon.content_words("honestly, is this job a good career after 3 years?") == ["good", "years"]


@pytest.mark.parametrize(
    ("question", "guide_word"),
    [
        ("what would I make?", "salary"),  # "make" → salary, wage, pay
        ("can I do it from home?", "remote"),
        ("is it good money?", "wage"),
    ],
)
def test_everyday_words_expand_to_the_guides_words(question: str, guide_word: str) -> None:
    stem = lexicon.stem(guide_word)
    assert stem in lexicon.expand(question)
    assert stem not in lexicon.expand(question, synonyms=False)  # only the lexicon adds it


def test_known_words_are_the_lexicons_everyday_words() -> None:
    known = lexicon.known_words()
    assert {"earn", "pay", "money"} <= known and "technician" not in known


@pytest.mark.parametrize(
    ("message", "plain"),
    [
        ("do u need to be good w computers", "do you need to be good with computers"),
        ("ngl the pay seems low tbh", "the pay seems low"),  # tone words dropped
        ("wanna know abt the U.S. market", "want to know about the U.S. market"),  # a letter stays
        ("pay for someone new-ish, 30-ish yrs old", "pay for someone new, 30 years old"),  # "-ish"
    ],
)
def test_chat_shorthand_is_spelled_out(message: str, plain: str) -> None:
    assert lexicon.plain_words(message) == plain


@pytest.mark.parametrize(
    ("message", "plain"),
    [
        ("whats the typical salery for a welder", "what is the typical salary for a welder"),
        ("is the outlok good", "is the outlook good"),
        ("do i need a diplomma", "do i need a diploma"),
        # real words and other misspellings stay as typed (occupation names have their own lookup)
        ("do celery farmers earn much", "do celery farmers earn much"),
        ("libarian pay", "libarian pay"),
    ],
)
def test_a_misspelt_word_of_what_is_asked_is_respelled(message: str, plain: str) -> None:
    assert lexicon.plain_words(message) == plain
