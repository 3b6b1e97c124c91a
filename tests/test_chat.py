import pytest

from careerbot.chat import is_follow_up, user_questions
from careerbot.errors import QuestionError


def test_user_questions_reads_gradio_shapes() -> None:
    history = [
        {"role": "user", "content": "What does a junior technician earn?"},
        {"role": "assistant", "content": "Entry-Level: $65,250 [1]"},
        {"role": "assistant", "content": "sources", "metadata": {"title": "Sources"}},
        {"role": "user", "content": [{"type": "text", "text": "And seniors?"}]},  # content parts
        {"role": "user", "content": "   "},
    ]
    assert user_questions(history) == ["What does a junior technician earn?", "And seniors?"]
    assert user_questions(None) == []


def test_malformed_history_is_a_clear_error() -> None:
    with pytest.raises(QuestionError, match="history must be a list"):
        user_questions(["just a string"])  # type: ignore[list-item]


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("And at the senior level?", True),  # leading "and"
        ("What about the top 10%?", True),
        ("How much experience does it require?", True),  # pronoun, few content words
        ("asia?", True),  # a bare topic
        ("What are the key responsibilities of a lead technician?", False),
        ("Which certifications help a technician move into a supervisory role?", False),
    ],
)
def test_is_follow_up(question: str, expected: bool) -> None:
    assert is_follow_up(question) is expected


# --------------------------------------------------------------------------- reading a message

from careerbot.chat import read_message, requested_task  # noqa: E402
from careerbot.lexicon import plain_words  # noqa: E402


def test_backstory_is_set_apart_from_the_question() -> None:
    r = read_message("I'm 34 and have been a mechanic for 10 years. What do plumbers make?")
    assert r.questions == ("What do plumbers make?",) and "mechanic" in r.story and r.asked


def test_two_questions_in_one_message() -> None:
    r = read_message("whats the starting pay for this job and how fast is the field growing")
    assert r.questions == ("whats the starting pay for this job", "how fast is the field growing")
    r = read_message("How much does an insurance agent make? Is it mostly commission?")
    assert len(r.questions) == 2


def test_greetings_and_clarifications() -> None:
    r = read_message("Hi! roughly how much do stockbrokers earn? median pay i mean. thanks")
    assert r.questions == ("roughly how much do stockbrokers earn, median pay i mean",)


def test_a_question_without_a_topic_takes_the_story() -> None:
    r = read_message("My parents say I need a conservatory degree to be a musician. Is that true?")
    assert r.questions[0].startswith("My parents say") and r.questions[0].endswith("Is that true?")


def test_no_question_form_asks_with_the_whole_text() -> None:
    r = read_message("medical assistant salary yearly and hourly pls")
    assert r.questions == ("medical assistant salary yearly and hourly pls",) and not r.asked


def test_chat_shorthand_is_spelled_out() -> None:
    assert (
        plain_words("ngl do u need to be good w computers tho")
        == "do you need to be good with computers though"
    )
    assert plain_words("I have a U.S. degree and know R") == "I have a U.S. degree and know R"


@pytest.mark.parametrize(
    ("text", "task"),
    [
        ("can u write me a resume for a lead tech job?", "resume"),
        ("Draft a cover letter for me", "cover letter"),
        ("make me a 12 month study schedule", "schedule"),
        ("What should a resume for this job include?", None),
    ],
)
def test_requests_to_write_something(text: str, task: str | None) -> None:
    assert requested_task(text) == task
