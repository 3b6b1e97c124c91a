import json
from pathlib import Path

import pytest

from careerbot.answer import Answer, Source
from careerbot.errors import EvalFileError
from careerbot.evaluate import evaluate, load_cases


def fake_ask(question: str, history=None) -> Answer:  # type: ignore[no-untyped-def]
    if "bread" in question:
        return Answer("Not covered.", (), True)
    if "top 10%" in question and history:
        return Answer("Top earners: $95,000+ [1]", (Source("Annual Salary (US, USD)", "G", "", 0.9),))
    return Answer(
        "Median: $77,500 [1]", (Source("Overview", "G", "", 0.9), Source("Annual Salary", "G", "", 0.8))
    )


def write(tmp_path: Path, rows: list[dict]) -> Path:  # type: ignore[type-arg]
    p = tmp_path / "set.jsonl"
    p.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    return p


def test_metrics(tmp_path: Path) -> None:
    rows = [
        {"id": "a", "kind": "fact", "question": "median?", "sections": ["salary"], "facts": [["77,500"]]},
        {
            "id": "b",
            "kind": "fact",
            "question": "what?",
            "sections": ["overview"],
            "facts": [["nope"], ["77,500"]],
        },
        {"id": "c", "kind": "out_of_scope", "question": "bread?"},
        {"id": "d", "kind": "out_of_scope", "question": "cake?"},
        {
            "id": "e",
            "kind": "followup",
            "history_questions": ["earn?"],
            "question": "top 10%?",
            "sections": ["salary"],
            "facts": [["95,000"]],
        },
    ]
    report = evaluate(fake_ask, load_cases(write(tmp_path, rows)))
    m = report.metrics
    assert m["hit@1"] == pytest.approx(2 / 3)  # a cites Overview first
    assert m["hit@3"] == 1.0
    assert m["fact_recall"] == pytest.approx(3 / 4)
    assert m["refusal_accuracy"] == 0.5 and m["false_refusals"] == 0
    assert {o.case.id for o in report.misses()} == {"b", "d"}
    assert "| hit@1" in report.table()
    assert json.loads(report.to_json())["metrics"]["questions"] == 5


def test_bad_rows_name_the_line(tmp_path: Path) -> None:
    p = tmp_path / "bad.jsonl"
    p.write_text('{"id": "x", "question": "ok"}\n{not json}\n')
    with pytest.raises(EvalFileError, match=r"bad\.jsonl:2: not JSON"):
        load_cases(p)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (bytes(range(256)) * 8, r"set\.jsonl is not a text file"),  # binary, not UTF-8
        (b"\x00\x00{}\n", r"set\.jsonl is not a text file"),  # NUL bytes: binary though UTF-8
        (b"", r"set\.jsonl holds no questions"),
        (b"\n  \n", r"set\.jsonl holds no questions"),
        (b'[{"question": "a"}]\n', r"set\.jsonl:1: not a JSON object"),  # a JSON array, not JSONL
        (b"question,sections\nwhat,salary\n", r"set\.jsonl:1: not JSON"),  # CSV
        (b'{"id": 1}\n', r'set\.jsonl:1: "question" must be non-empty text'),
        (b'{"question": 5}\n', r'"question" must be non-empty text'),
        (b'{"question": "a", "sections": "salary"}\n', r'"sections" must be a list of texts'),
        (b'{"question": "a", "facts": ["77,500"]}\n', r'"facts" must be a list of lists of texts'),
        (b'{"question": "a", "history_questions": [1]}\n', r'"history_questions" must be a list'),
    ],
)
def test_files_that_are_not_question_sets_are_named_with_the_format(
    tmp_path: Path, content: bytes, message: str
) -> None:
    p = tmp_path / "set.jsonl"
    p.write_bytes(content)
    with pytest.raises(EvalFileError, match=message) as caught:
        load_cases(p)
    text = str(caught.value)
    assert "\n" not in text and "see eval/dev.jsonl" in text  # one line, saying what is expected


def test_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(EvalFileError, match=r"Cannot read question set .*nope\.jsonl"):
        load_cases(tmp_path / "nope.jsonl")


def test_a_bom_is_read_as_text(tmp_path: Path) -> None:
    p = tmp_path / "set.jsonl"
    p.write_bytes(b'\xef\xbb\xbf{"question": "median?"}\n')
    assert [c.question for c in load_cases(p)] == ["median?"]
