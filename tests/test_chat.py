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
