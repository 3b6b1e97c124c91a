import re
from dataclasses import replace

import pytest
from helpers import make_hit

from careerbot.answer import Answer, Source, compose, refusal_text, suggest_questions
from careerbot.retrieve import Retrieval


def markers(text: str) -> list[int]:
    return [int(m) for m in re.findall(r"\[(\d+)\]", text)]


def test_prose_answer_quotes_best_sentences_with_a_marker() -> None:
    hit = make_hit(
        "Work Setting",
        "They work in plants. They climb ladders often. Travel is occasional.",
        "prose",
        0.9,
        [0.2, 0.9, 0.3],
    )
    text, sources = compose("Do they climb?", [hit])
    assert "They climb ladders often." in text
    assert markers(text) == [1] and sources[0].section == "Work Setting"


def test_list_answer_is_a_short_bullet_list() -> None:
    items = "\n".join(f"- Task number {i}" for i in range(1, 10))
    text, _ = compose(
        "What are the responsibilities?", [make_hit("Key Responsibilities", items, "list", 0.9)]
    )
    assert text.startswith("Key Responsibilities [1]:")
    assert text.count("\n- Task number") == 6
    assert "…and 3 more in the guide" in text


def test_list_answer_names_only_matching_items_for_a_pointed_question() -> None:
    items = "- Multimeters\n- Network Diagnostic Tools (e.g., Wireshark)\n- CAD Software"
    hit = make_hit("Tech Stack", items, "list", 0.9)
    text, _ = compose("Do they use Wireshark?", [hit], frozenset({"wireshark"}))
    assert "Wireshark" in text and "Multimeters" not in text


def test_facts_answer_keeps_every_label() -> None:
    facts = "Range: 60,000—95,000\nMedian: $77,500\nEntry-Level: $65,250\nTop earners make $95,000+ per year."
    text, _ = compose("salary?", [make_hit("Annual Salary", facts, "facts", 0.9)])
    for piece in ("60,000—95,000", "$77,500", "$65,250", "$95,000+"):
        assert piece in text


def test_close_runner_up_from_another_section_is_cited_second() -> None:
    a = make_hit("FAQ > Is certification necessary?", "Not always, but it helps.", "faq", 0.80)
    b = make_hit("Required Education", "CMRT is a respected certification.", "prose", 0.78)
    c = make_hit("Portfolio Tips", "Show your work.", "prose", 0.30)
    text, sources = compose("Do I need a certificate?", [a, b, c])
    assert markers(text) == [1, 2]
    assert [s.section for s in sources] == ["FAQ > Is certification necessary?", "Required Education"]


def test_top_k_is_how_many_top_sections_an_answer_may_quote_from() -> None:
    a = make_hit("FAQ > Is certification necessary?", "Not always, but it helps.", "faq", 0.80)
    a2 = replace(a, score=0.79)  # the second part of a long section: never a runner-up of its own
    b = make_hit("Required Education", "CMRT is a respected certification.", "prose", 0.78)
    hits = [a, a2, b]
    assert [s.section for s in compose("Do I need a certificate?", hits)[1]] == [
        a.chunk.section,
        b.chunk.section,
    ]
    assert [s.section for s in compose("Do I need a certificate?", hits, top_k=2)[1]] == [a.chunk.section]
    text, sources = compose("Do I need a certificate?", [a, b], top_k=1)
    assert markers(text) == [1] and len(sources) == 1


def test_every_marker_indexes_a_source() -> None:
    hits = [make_hit(f"S{i}", f"Sentence {i}.", "prose", 0.9 - i / 100) for i in range(3)]
    text, sources = compose("anything", hits)
    assert max(markers(text)) == len(sources)


def test_answer_markdown_lists_sources() -> None:
    a = Answer("It is $5 [1].", (Source("Annual Salary", "Guide", "Median: $5", 0.9),))
    assert a.markdown.endswith("[1] Guide › Annual Salary")
    assert Source("A > B", "G", "t", 1.0).breadcrumb == "G › A › B"


def test_refusal_says_what_is_covered() -> None:
    text = refusal_text(["Lead Technician Career Path Guide"], ["annual salary", "career path tiers"])
    assert "doesn't cover that" in text
    assert "annual salary and career path tiers" in text


def test_refusal_names_a_few_guides_and_counts_many() -> None:
    assert refusal_text(["Baker Guide", "Welder Guide"], ["salary"]).startswith(
        "Sorry, Baker Guide and Welder Guide don't cover that"
    )
    many = refusal_text([f"Guide {i}" for i in range(250)], ["salary"])
    assert many.startswith("Sorry, the 250 career guides don't cover that") and "Guide 7" not in many


def test_an_uncovered_occupation_gets_the_closest_guide_or_an_invitation() -> None:
    titles = ["Bakers", "Welders", "Cooks"]
    near = refusal_text(titles, ["pay", "outlook"], other="sommeliers", closest="Cooks")
    assert "don't cover sommeliers" in near and "the closest is Cooks (it covers pay and outlook)." in near
    # with no closest guide, one guide's topics would stand for all of them ("help with its …")
    alone = refusal_text(titles, ["pay", "outlook"], other="CNAs")
    assert alone.endswith("ask me about one of those occupations.") and "its pay" not in alone


# --------------------------------------------------------------------------- figures and merging

from careerbot.answer import expected_figure, has_figure, merge_answers  # noqa: E402


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("How much does the CMRT exam cost?", "cost"),
        ("what's the pass rate for the series 7", "rate"),
        ("how many lead techs are there in the US?", "count"),
        ("how many years until senior?", None),
        ("how long does it take to finish a CompTIA Network+ course, like how many weeks?", "duration"),
        ("how many hours a week do they work?", None),
        ("is cost estimating a growing career?", None),  # "cost" in an occupation's name
        ("What does a lead technician earn?", None),
        # a share given names a group ("the top 10 percent"); one asked for is a rate
        ("what do the best paid 10 percent of lead techs make", None),
        ("what percent of techs get promoted?", "rate"),
        ("how many % fewer failures did they get?", "rate"),
        ("how many hours of studying does the PMP take", "duration"),
        ("how long is the cert good for before renewal?", "duration"),
        # a duration only within its clause
        ("how long is school for a surgical tech, do you need a degree?", None),
    ],
)
def test_expected_figure(question: str, kind: str | None) -> None:
    assert expected_figure(question) == kind


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("are there going to be more of those jobs or is the field flat", "percent"),
        ("hows the job market for welders", "percent"),
        ("is demand for pharmacy techs going up?", "percent"),
        ("can i pick up more jobs on weekends?", None),  # jobs to do, not openings
        ("whats the typical salery for a plumber", "money"),  # respelled before it is read
        ("whats a welder make in texas?", "money"),  # "what's" for "what does"
        ("whats a good way to make connections?", None),
    ],
)
def test_the_figure_a_question_asks_for(question: str, kind: str | None) -> None:
    from careerbot.lexicon import plain_words
    from careerbot.ranking import figure_asked

    assert figure_asked(plain_words(question)) == kind


def test_has_figure_ignores_citation_markers() -> None:
    assert not has_figure("Certification helps [1]", "count")
    assert has_figure("The exam costs $150 [1]", "cost") and has_figure("About 70% pass [2]", "rate")


def test_merged_answers_renumber_citations_and_name_declined_parts() -> None:
    s1, s2 = Source("Pay", "G", "pay text", 1.0, "a"), Source("Outlook", "G", "outlook text", 1.0, "b")
    first = Answer("Pay is $10 [1]", (s1,), question="pay?")
    second = Answer("Growth is 5% [1]", (s2,), question="growth?")
    declined = Answer("Sorry", (), True, question="pension?")
    merged = merge_answers([first, second, declined], "pay? growth? pension?")
    assert merged.sources == (s1, s2) and "Growth is 5% [2]" in merged.text
    assert "pension?" in merged.text and "doesn't say" in merged.text and not merged.refused
    twice = merge_answers([first, first], "pay and pay?")
    assert twice.text == "Pay is $10 [1]"  # the same passage is said once
    assert merge_answers([declined, declined], "x").refused


def test_a_count_is_not_a_percentage_or_an_amount() -> None:
    from careerbot.answer import has_figure

    assert not has_figure("Growth Rate: 7% (Status: Growing)", "count")
    assert not has_figure("Median: $77,500", "count")
    assert has_figure("Number of Jobs, 2024: 123,400", "count")


def test_small_talk_replies_point_back_to_the_guides() -> None:
    from careerbot.answer import small_talk_text

    text = small_talk_text("thanks", ["Plumbers Guide"], ["pay", "outlook"])
    assert text.startswith("You're welcome!") and "Plumbers Guide" in text and "pay or outlook" in text
    assert "3 career guides" not in small_talk_text("greeting", ["A", "B", "C", "D"], [])
    assert "4 career guides" in small_talk_text("greeting", ["A", "B", "C", "D"], [])


# --------------------------------------------------------------------------- the asked figure's line

_PERCENT = re.compile(r"\d\s?%")


def test_an_answer_without_the_asked_figure_gets_its_line_from_a_close_section() -> None:
    story = make_hit("Job Outlook > Employment", "An aging population will need more scans.", "prose", 0.9)
    table = make_hit(
        "Job Outlook > Sonographers",
        "Total, all occupations: 3%\nTest Guide: 13%\nHealth technologists: 5%",
        "facts",
        0.8,
    )
    text, sources = compose("are they in demand?", [story, table], figure=lambda h: _PERCENT)
    # the guide's own row, not the first or the total one
    assert text.endswith("Test Guide: 13% [2]") and len(sources) == 2
    far = make_hit("Job Outlook > Sonographers", "Test Guide: 13%", "facts", 0.5)
    alone, _ = compose("are they in demand?", [story, far], figure=lambda h: _PERCENT)
    assert "13%" not in alone  # too far below the first section to speak for the question
    plain, _ = compose("are they in demand?", [story, table])
    assert "13%" not in plain  # no figure asked for


def test_a_merged_answer_says_a_quote_once() -> None:
    from careerbot.answer import merge_answers

    src = (Source("A", "G", "a", 0.9, "a"), Source("B", "G", "b", 0.8, "b"))
    first = Answer("Demand grows. [1] Employment will grow 5 percent. [2]", src, question="in demand?")
    second = Answer("Employment will grow 5 percent. More openings. [1]", src[1:], question="how much?")
    merged = merge_answers([first, second], "in demand? how much?")
    assert merged.text.count("Employment will grow 5 percent.") == 1
    assert merged.text.startswith("Demand grows. [1]\n\n")


def test_headline_facts_are_added_only_when_asked_and_missing() -> None:
    from careerbot.answer import add_lines, quick_facts_asked

    quick = {
        "education": "Bachelor's degree",
        "median_pay": "$64,580 per year; $31.05 per hour",
        "jobs": "1,088,000",
    }
    assert quick_facts_asked("do u need a degree for this?", "Some take a course. [1]", quick, False) == [
        "education"
    ]
    assert quick_facts_asked("need a degree?", "A bachelor's degree is typical.", quick, False) == []
    assert quick_facts_asked("how much an hour?", "The median was $64,580. [1]", quick, True) == [
        "median_pay"
    ]
    assert quick_facts_asked("how much a year?", "The median was $64,580. [1]", quick, True) == []
    assert quick_facts_asked("how many of them are there?", "Many. [1]", quick, False) == ["jobs"]
    assert quick_facts_asked("how many years of training?", "Many. [1]", quick, False) == []
    # a growth question answered with why demand grows, not how much: the projected growth
    grows = {**quick, "outlook": "6% (Faster than average)"}
    why = "Demand is expected to increase as people age. [1]"
    assert quick_facts_asked("is demand going up?", why, grows, False, True) == ["outlook"]
    assert quick_facts_asked("is demand going up?", "Jobs grow 6 percent. [1]", grows, False, True) == []
    assert quick_facts_asked("is demand going up?", why, quick, False, True) == []  # no figure to give
    # a page that points elsewhere ("See How to Become One") gives no line
    assert quick_facts_asked("need a degree?", "x", {"education": "See How to Become One"}, False) == []
    first = Source("Pay", "G", "pay", 0.9, "p")
    facts = Source("Summary > Quick Facts", "G", "facts", 0.0, "q")
    text, sources = add_lines("Pay is good. [1]", (first,), [("Median pay: $1.", facts), ("Jobs: 2.", facts)])
    assert text == "Pay is good. [1] Median pay: $1. [2] Jobs: 2. [2]" and sources == (first, facts)


@pytest.mark.parametrize(
    ("question", "keys"),
    [
        ("which certs r worth getting for this career", ["certifications"]),
        ("whats the next step up after lead tech", ["progression_roles"]),
        ("Where do people usually go after that?", ["progression_roles"]),
        ("After some years as lead tech, which jobs can you move up to?", ["progression_roles"]),
        ("and after lunch?", []),  # "after" alone is no step up
        ("ok, and the next level up?", []),  # the ladder's own next step
        ("whats the next step to become a lead", []),
        ("is that above average?", []),
    ],
)
def test_named_facts_answer_which_and_what_next(question: str, keys: list[str]) -> None:
    from careerbot.answer import named_facts_asked

    certs = ["Certified Maintenance & Reliability Technician (CMRT)", "PMP"]
    roles = ["Maintenance Manager", "Operations Manager"]
    assert named_facts_asked(question, "Certification helps. [1]", certs, roles, True, "Lead") == keys


def test_named_facts_already_in_the_answer_or_of_another_occupation_are_not_added() -> None:
    from careerbot.answer import named_facts_asked

    certs, roles = ["Certified Maintenance & Reliability Technician (CMRT)"], ["Maintenance Manager"]
    assert named_facts_asked("which certs?", "The CMRT helps. [1]", certs, roles, True) == []
    # a guide among several is asked about only when the question names its occupation
    assert named_facts_asked("what's the next step after this job?", "x", certs, roles, False) == []


def test_suggestions_are_the_next_sections_of_the_guide_that_answered() -> None:
    cited = make_hit("Annual Salary", "Median: $77,500", "facts", 0.9)
    other_guide = make_hit("Pay Scale", "Median: $50,000", "facts", 0.8)
    other_guide = replace(other_guide, chunk=replace(other_guide.chunk, slug="baker", guide="Baker Guide"))
    hits = (
        cited,
        other_guide,
        make_hit("Overview", "What the job is.", "prose", 0.7),
        make_hit("FAQ > Is certification necessary?", "It helps.", "faq", 0.6),
        make_hit("Career Path > Senior Technician", "Five to eight years.", "prose", 0.5),
        make_hit("Work Setting", "Plants and sites.", "prose", 0.4),
    )
    source = Source("Annual Salary", "Test Guide", "Median: $77,500", 0.9, "id-Annual Salary", "test")
    answer = Answer("Median: $77,500 [1]", (source,))
    found = Retrieval("pay?", hits, True)
    assert suggest_questions(found, answer, "pay?", 2) == [
        "Is certification necessary?",
        "Tell me about Career Path: Senior Technician",
    ]
    assert (
        suggest_questions(found, answer, "tell me about work setting")[-1]
        == "Tell me about Career Path: Senior Technician"
    )
