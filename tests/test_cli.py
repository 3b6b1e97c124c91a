"""The CLI in-process with click's runner, over a real index."""

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from careerbot.cli import main

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def env(real_settings, engine) -> dict[str, str]:  # type: ignore[no-untyped-def]
    # The session engine already built this index, so the CLI only loads it.
    return {
        "CAREERBOT_CORPUS_DIR": str(real_settings.corpus_dir),
        "CAREERBOT_INDEX_DIR": str(real_settings.index_dir),
    }


def test_ask_prints_answer_and_numbered_sources(env: dict[str, str]) -> None:
    out = CliRunner().invoke(main, ["ask", "What does a lead technician earn?"], env=env)
    assert out.exit_code == 0, out.output
    assert "$77,500" in out.output and "[1] Lead Technician Career Path Guide › Annual Salary" in out.output


def test_ask_json(env: dict[str, str]) -> None:
    out = CliRunner().invoke(main, ["ask", "--json", "Can I work remotely?"], env=env)
    data = json.loads(out.output)
    assert data["refused"] is False and data["sources"][0]["n"] == 1


def test_errors_are_one_line_without_traceback(env: dict[str, str]) -> None:
    out = CliRunner().invoke(main, ["ask", "   "], env=env)
    assert out.exit_code == 1
    assert "Error: Please type a question" in out.output and "Traceback" not in out.output
    bad = CliRunner().invoke(main, ["ask", "hi"], env={**env, "CAREERBOT_TOP_K": "lots"})
    assert bad.exit_code == 1 and "CAREERBOT_TOP_K must be a whole number" in bad.output


def test_index_reports_up_to_date(env: dict[str, str]) -> None:
    out = CliRunner().invoke(main, ["index"], env=env)
    assert out.exit_code == 0 and "up to date" in out.output


FIRST, FOLLOW_UP = "What does a lead technician earn?", "And at the senior level?"


@pytest.fixture
def follow_up_answers(engine) -> tuple[str, str]:  # type: ignore[no-untyped-def]
    """The follow-up's answer after the first question, and the different one it gets alone
    (which also quotes the Senior Technician tier): a chat that drops its history shows that."""
    history = [{"role": "user", "content": FIRST}, {"role": "assistant", "content": engine.ask(FIRST).text}]
    with_history, alone = engine.ask(FOLLOW_UP, history).text, engine.ask(FOLLOW_UP).text
    assert with_history != alone and with_history.startswith("Senior-Level: $89,750")
    return with_history, alone


def test_chat_keeps_history(env: dict[str, str], follow_up_answers: tuple[str, str]) -> None:
    out = CliRunner().invoke(main, ["chat"], env=env, input=f"{FIRST}\n{FOLLOW_UP}\n\n")
    assert out.exit_code == 0
    shown = out.output.split("you> ")[2]  # the follow-up, as typed, and its answer
    with_history, alone = follow_up_answers
    assert with_history in shown and alone not in shown


def test_eval_prints_table_and_json(env: dict[str, str]) -> None:
    table = CliRunner().invoke(main, ["eval", str(ROOT / "eval" / "dev.jsonl")], env=env)
    assert table.exit_code == 0 and "| hit@1" in table.output and "| p95_ms" in table.output
    js = CliRunner().invoke(main, ["eval", "--json", str(ROOT / "eval" / "dev.jsonl")], env=env)
    assert json.loads(js.output)["metrics"]["questions"] == 31


def test_eval_missing_file(env: dict[str, str]) -> None:
    out = CliRunner().invoke(main, ["eval", "nope.jsonl"], env=env)
    assert out.exit_code == 1 and "Cannot read question set" in out.output


def test_cli_prints_only_the_answer(env: dict[str, str]) -> None:
    """No library chatter (bm25s's "Building index from tokens") under an answer, in a real process."""
    import os
    import subprocess
    import sys

    full = {**os.environ, **env, "HF_HUB_OFFLINE": "1"}
    done = subprocess.run(
        [sys.executable, "-m", "careerbot", "ask", "What does a lead technician earn?"],
        env=full,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert "$77,500" in done.stdout
    assert "Building index" not in done.stdout + done.stderr


def test_chat_process_reads_undecodable_input_and_keeps_history(
    env: dict[str, str], follow_up_answers: tuple[str, str]
) -> None:
    """A real `careerbot chat` fed bytes that are no UTF-8 (a lone surrogate's encoding, 0xff)."""
    import os
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-m", "careerbot", "chat"],
        env={**os.environ, **env, "HF_HUB_OFFLINE": "1"},
        input=b"What does a lead technician earn? \xed\xa0\x80\nAnd at the senior level? \xff\n\n",
        capture_output=True,
        timeout=300,
    )
    out = done.stdout.decode("utf-8", "replace")
    assert done.returncode == 0 and b"Traceback" not in done.stderr, done.stderr[-2000:]
    answers = out.split("you> ")
    assert "$77,500" in answers[1]
    with_history, alone = follow_up_answers
    assert answers[2].startswith(with_history) and alone not in answers[2]  # read with its history


@pytest.mark.parametrize(
    "content",
    [
        bytes(range(256)) * 8,  # a binary file
        b"question,sections\nwhat,salary\n",  # not JSON Lines
        b'{"question": "median?"}\n{"question": "pay?"\n',  # a malformed second line
    ],
)
def test_eval_of_a_file_that_is_no_question_set_is_one_line(tmp_path: Path, content: bytes) -> None:
    """A real process: one line naming the file and the format, exit status 1, no traceback. The
    index folder is empty and read-only, so had the engine loaded first its error would show."""
    import os
    import subprocess
    import sys

    f = tmp_path / "set.jsonl"
    f.write_bytes(content)
    env = {
        **os.environ,
        "HF_HUB_OFFLINE": "1",
        "CAREERBOT_INDEX_DIR": str(tmp_path / "no-index"),
        "CAREERBOT_AUTO_INDEX": "false",
    }
    done = subprocess.run(
        [sys.executable, "-m", "careerbot", "eval", str(f)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    lines = (done.stdout + done.stderr).strip().splitlines()
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert len(lines) == 1 and str(f) in lines[0] and "see eval/dev.jsonl" in lines[0], lines
