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


def test_a_story_without_its_subject_is_no_question() -> None:
    r = read_message("how much do LPNs make? was looking at PA school but thats a lot of time and money")
    assert r.questions == ("how much do LPNs make?",) and r.story.startswith("was looking at")
    # a question puts its subject after the verb
    assert read_message("was it worth the money? the schooling").questions[0].startswith("was it worth")
    # a question word after it: a polite question
    r = read_message("was wondering how much electricians make. and plumbers?")
    assert r.questions[0].startswith("was wondering how much electricians make")


def test_backstory_is_set_apart_from_the_question() -> None:
    r = read_message("I'm 34 and have been a mechanic for 10 years. What do plumbers make?")
    assert r.questions == ("What do plumbers make?",) and "mechanic" in r.story and r.asked


def test_a_sentence_ends_at_a_closing_bracket_after_its_mark() -> None:
    r = read_message("just got bumped up to lead last week (!!) any advice for a new lead")
    assert r.questions == ("any advice for a new lead",) and "bumped up" in r.story and r.asked


def test_two_questions_in_one_message() -> None:
    r = read_message("whats the starting pay for this job and how fast is the field growing")
    assert r.questions == ("whats the starting pay for this job", "how fast is the field growing")
    r = read_message("How much does an insurance agent make? Is it mostly commission?")
    assert len(r.questions) == 2


def test_greetings_and_clarifications() -> None:
    r = read_message("Hi! roughly how much do stockbrokers earn? median pay i mean. thanks")
    assert r.questions == ("roughly how much do stockbrokers earn, median pay i mean",)


def test_a_short_sentence_that_tells_is_story_not_a_clarification() -> None:
    r = read_message("whats good about this gig? trying to decide if its worth going for")
    assert r.own == ("whats good about this gig?",) and r.story.startswith("trying to decide")
    r = read_message("is software engineering still growing?? everyone says programmers are done")
    assert r.questions == ("is software engineering still growing??",) and "programmers" in r.story
    # someone "of mine", and what the person does "currently"
    r = read_message("is land surveying a growing field? a friend of mine is a hydrologist")
    assert r.questions == ("is land surveying a growing field?",) and "hydrologist" in r.story
    r = read_message("solar panel installer job outlook? currently do insulation")
    assert r.questions == ("solar panel installer job outlook?",) and "insulation" in r.story
    # a clarification stays with its question, its opening capital gone, a name's kept
    assert read_message("what do welders make? i mean per hour").questions == (
        "what do welders make, i mean per hour",
    )
    assert read_message("what do they do? Like day to day").questions == ("what do they do, like day to day",)
    assert (
        read_message("what do welders make? Texas specifically").questions[0].endswith("Texas specifically")
    )


def test_a_question_without_a_topic_takes_the_story() -> None:
    r = read_message("My parents say I need a conservatory degree to be a musician. Is that true?")
    assert r.questions[0].startswith("My parents say") and r.questions[0].endswith("Is that true?")


def test_a_question_with_its_own_topic_keeps_the_story_apart() -> None:
    r = read_message("Hi there! I'm 17 and graduate in June. What schooling is recommended for this?")
    assert r.questions == ("What schooling is recommended for this?",) and "June" in r.story
    r = read_message("My dad swears these jobs are drying up. is he right? how is the outlook?")
    # the verdict borrows the story; its own words stay apart for the scope check
    assert r.questions[0].startswith("My dad swears") and r.own_words(0) == "is he right?"
    assert r.own_words(1) == "how is the outlook?"


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
        ("pls translate the key duties into spanish for my crew", "translation"),
        ("Please draft a 30-60-90 day plan for my first lead job", "plan"),
        ("make me a plan to become a lead tech", None),  # the guide's steps: a personal plan
        ("do lead techs write reports?", None),
    ],
)
def test_requests_to_write_something(text: str, task: str | None) -> None:
    assert requested_task(text) == task


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("hi", "greeting"),
        ("ok cool thanks so much!", "thanks"),
        ("good morning!! hows your day going", "how are you"),
        ("who are you?", "about me"),
        ("are u a bot", "about me"),
        ("bye!", "bye"),
        ("hi! what do plumbers earn?", None),  # a question in a greeting is a question
        ("thanks, and what about seniors?", None),
        ("how are the hours?", None),
        ("how is the pay", None),
    ],
)
def test_small_talk_is_told_from_questions(text: str, kind: str | None) -> None:
    from careerbot.chat import small_talk

    assert small_talk(text) == kind
